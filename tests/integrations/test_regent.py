"""The regent's direct channel: residents' messages and urgent complaints reach the regent, the regent's
answer reaches the resident (by /balas or by replying to the card), /disposisi hands a ticket to an OPD."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import aiohttp
import pytest

from bot.__main__ import issue_code
from bot.channels.base import Channel
from bot.message import Message, Reply
from bot.store.base import ROLE_REGENT, STATUS_IN_PROGRESS
from tests.harness import edited_content, make_settings, running_service, say, wait_for
from tests.integrations.test_lapor import TICKET, mailbox, mailbox_text, payloads, texts


class PagerChannel(Channel):
    """A channel that keeps what it sends and links cards to tickets like Telegram and WhatsApp do."""

    name: ClassVar[str] = "pager"

    def __init__(self) -> None:
        super().__init__(handler=self._no_inbound)
        self.store: Any = None
        self.sent: list[tuple[str, str, Reply]] = []  # (recipient, message id, reply)
        self._ids = itertools.count(500)

    @staticmethod
    async def _no_inbound(message: Message) -> list[Reply]:
        return []

    async def send(self, recipient_id: str, replies: Sequence[Reply]) -> None:
        for reply in replies:
            message_id = str(next(self._ids))
            self.sent.append((recipient_id, message_id, reply))
            if reply.ticket:
                await self.store.link_message(self.name, recipient_id, message_id, reply.ticket)

    def to(self, recipient: str) -> list[tuple[str, Reply]]:
        return [(mid, r) for rid, mid, r in self.sent if rid == recipient]


def content_with_regent(tmp_path: Path, identity: str) -> Path:
    return edited_content(tmp_path, "  identities: []", f'  identities: ["{identity}"]')


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    settings = make_settings(tmp_path, WARGA_CONTENT_DIR=str(content_with_regent(tmp_path, "pager:bupati")))
    pager = PagerChannel()
    async with running_service(settings, extra_channels={"pager": pager}) as service:
        pager.store = service.store
        service.pager = pager  # type: ignore[attr-defined]
        yield service


async def regent_says(svc: Any, text: str, reply_to: str | None = None) -> str:
    replies = await svc.dialogue.handle(Message(channel="pager", sender_id="bupati", text=text, reply_to=reply_to))
    return "\n".join(r.text for r in replies)


async def enrol(http: aiohttp.ClientSession, svc: Any, sender: str, role: str, opd: str | None) -> None:
    code = await issue_code(svc.settings, role, opd)
    replies = await say(http, svc.url, sender, f"/daftar {code}")
    assert "terdaftar" in texts(replies), texts(replies)


async def write_to_regent(http: aiohttp.ClientSession, svc: Any, sender: str, text: str) -> str:
    replies = await say(http, svc.url, sender, "/bupati")
    assert "Bupati" in texts(replies)
    replies = await say(http, svc.url, sender, text)
    assert text in texts(replies)  # shown for confirmation before anything is sent (issue 12)
    replies = await say(http, svc.url, sender, "btn:send")
    return TICKET.search(texts(replies)).group(0)


async def test_a_message_to_the_regent_and_the_answer_by_command(svc, http):
    number = await write_to_regent(http, svc, "warga1", "Pak Bupati, mohon perhatikan nasib guru honorer di desa kami")
    cards = await wait_for(lambda: svc.pager.to("bupati"))
    _, card = cards[-1]
    assert "guru honorer" in card.text and card.ticket == number
    assert f"/balas {number}" in [b.payload for b in card.buttons]
    # The regent named in the directory acts as the regent without enrolling.
    answer = await regent_says(svc, f"/balas {number} Terima kasih, akan kami bahas dengan Dinas Pendidikan")
    assert number in answer
    relayed = await wait_for(lambda: mailbox_text(svc.store, "webchat:warga1"))
    assert "Jawaban Bupati" in relayed and "Dinas Pendidikan" in relayed
    identity = await svc.store.get_identity("pager:bupati")
    assert identity.role == ROLE_REGENT
    [event] = await svc.store.ticket_events(number, "message_out")
    assert event.actor == "pager:bupati" and event.data["role"] == ROLE_REGENT


async def test_the_regent_answers_by_replying_to_the_card(svc, http):
    number = await write_to_regent(http, svc, "warga2", "Pak, lampu jalan di kampung kami mati sudah sebulan lebih")
    cards = await wait_for(lambda: svc.pager.to("bupati"))
    message_id, _ = cards[-1]
    answer = await regent_says(svc, "Sudah saya minta Dishub memperbaikinya minggu ini.", reply_to=message_id)
    assert number in answer
    relayed = await wait_for(lambda: mailbox_text(svc.store, "webchat:warga2"))
    assert "Dishub memperbaikinya" in relayed
    # And the resident's answer comes back to the regent.
    replies = await say(http, svc.url, "warga2", "Baik Pak, kami tunggu perbaikannya di RT 03")
    assert number in texts(replies)
    await wait_for(lambda: any("kami tunggu" in r.text for _, r in svc.pager.to("bupati")))


async def test_an_urgent_complaint_goes_straight_to_the_regent(svc, http):
    # An emergency is filed at once (issue 12): numbers first, then the place, added to the ticket.
    replies = await say(http, svc.url, "warga3", "ada kebakaran rumah warga di desa Sooko, api sudah besar sekali")
    assert "112" in texts(replies)
    number = TICKET.search(texts(replies)).group(0)
    ticket = await svc.store.get_ticket(number)
    assert ticket.priority == "darurat" and ticket.topic == "aduan_kebakaran"
    cards = await wait_for(lambda: [r for _, r in svc.pager.to("bupati") if r.ticket == number])
    assert "kebakaran" in cards[0].text.lower()
    await say(http, svc.url, "warga3", "Desa Sooko RT 01")
    assert (await svc.store.get_ticket(number)).location == {"address": "Desa Sooko RT 01"}


async def test_disposition_sends_the_ticket_to_an_opd_with_the_instruction_and_priority(svc, http):
    await enrol(http, svc, "petugas-pupr", "officer", "dinas-pupr")
    number = await write_to_regent(http, svc, "warga4",
                                   "Jembatan di Dusun Krajan ambrol, anak-anak sekolah memutar jauh")
    answer = await regent_says(svc, f"/disposisi {number} dinas-pupr "
                                    "Segera bangun jembatan darurat sebelum musim hujan")
    assert number in answer and "Dinas PUPR" in answer
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "dinas-pupr" and ticket.priority == "tinggi" and ticket.due_at is not None
    [event] = await svc.store.ticket_events(number, "disposition")
    assert event.text == "Segera bangun jembatan darurat sebelum musim hujan" and event.data["opd"] == "dinas-pupr"

    async def officer_cards() -> str:
        return await mailbox_text(svc.store, "webchat:petugas-pupr")

    received = await wait_for(lambda: _contains(officer_cards, "Jembatan di Dusun Krajan"))  # the card follows the note
    assert "TINGGI" in received and "jembatan darurat" in received
    items = await mailbox(svc.store, "webchat:petugas-pupr")
    assert f"/balas {number}" in [b["payload"] for i in items for b in i.get("buttons", [])]
    told = await wait_for(lambda: _contains(lambda: mailbox_text(svc.store, "webchat:warga4"), "Dinas Pekerjaan Umum"))
    assert number in told

    # The OPD now handles it: its answer reaches the resident.
    replies = await say(http, svc.url, "petugas-pupr", f"/balas {number} Tim kami survei besok pagi.")
    assert number in texts(replies)
    await wait_for(lambda: _contains(lambda: mailbox_text(svc.store, "webchat:warga4"), "survei besok pagi"))


async def _contains(read: Any, needle: str) -> str | None:
    text = await read()
    return text if needle in text else None


async def test_disposition_is_for_the_regent_only_and_checks_its_input(svc, http):
    number = await write_to_regent(http, svc, "warga5", "Pak Bupati, pasar desa kami becek dan kumuh sekali")
    replies = await say(http, svc.url, "warga5", f"/disposisi {number} dinas-pupr tolong")
    assert "petugas" in texts(replies).lower() or "/disposisi" in texts(replies)
    assert (await svc.store.get_ticket(number)).opd_id is None
    assert "Cara pakai" in await regent_says(svc, "/disposisi")
    assert "tidak dikenal" in await regent_says(svc, f"/disposisi {number} dinas-antah-berantah cepat")
    assert "tidak ditemukan" in await regent_says(svc, "/disposisi WRG-2611-9999 dinas-pupr cepat")
    # Without enrolled officers the operators are warned; the ticket still moves.
    answer = await regent_says(svc, f"/disposisi {number} disperindag Tolong tata ulang pasar")
    assert "Disperindag" in answer
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "disperindag" and ticket.status != STATUS_IN_PROGRESS


async def test_regent_help_lists_disposition(svc):
    assert "/disposisi" in await regent_says(svc, "/bantuan")
    assert payloads([]) == []
