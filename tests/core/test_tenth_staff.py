"""Turns from the tenth trial, the staff side, over real HTTP: a message the regent answered is no longer overdue nor
escalated to him; every history line reads in words, the service's own acts named as the system's; the assignment
notice names who assigned; the assignee sees a colleague's question to the reporter; a revoked officer is told
their access was revoked; someone else's ticket is answered alike whatever is typed; a transfer to an office with
nobody enrolled says so to the officer who moved it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from actions.base import WEB_ORIGIN_KEY
from bot.settings import ROOT
from bot.texts import Texts
from tests.channels.test_telegram import (  # noqa: F401 - `fake` is the Telegram API fixture
    deliver,
    enrol_on_telegram,
    fake,
    joined,
    payload,
    tg_settings,
)
from tests.core.test_eighth_look import (  # noqa: F401 - the service on a settable clock (Monday 7 December 2026)
    Clock,
    clock,
    svc,
)
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.desk.test_desk_actions import csrf_of
from tests.desk.test_desk_http import staff_client
from tests.harness import mailbox, payloads, running_service, say, texts, wait_for
from tests.integrations.test_sla import sla_worker


async def said_to(service, who: str, words: str) -> list[str]:
    return [i["text"] for i in await mailbox(service.store, who) if words in i["text"]]


async def to_regent(http, service, sender: str, text: str) -> str:
    found = TICKET.search(texts(await say(http, service.url, sender, f"/bupati {text}")))
    assert found, sender
    return found.group(0)


# --- 1. the regent's own answered message ---------------------------------------------------------------
async def test_a_message_the_regent_answered_is_neither_overdue_nor_escalated_to_him(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-x", role="regent", opd=None)
    answered = await to_regent(http, svc, "warga-x1", "Pak bupati, jembatan desa kami setahun rusak mohon perhatian")
    waiting = await to_regent(http, svc, "warga-x2", "Pak bupati, mohon bantuan beasiswa untuk anak kami berprestasi")
    due = (await svc.store.get_ticket(answered)).due_at
    await say(http, svc.url, "bupati-x", f"/balas {answered} Terima kasih, sudah saya minta dinas meninjau jembatannya")
    ticket = await svc.store.get_ticket(answered)
    assert ticket.due_at is None and ticket.status == "baru", ticket  # answered: no deadline left; still open

    # A message answered before this change kept its deadline: the pass settles it, saying nothing to anyone.
    stale = await to_regent(http, svc, "warga-x3", "Pak bupati, saya ingin menyampaikan terima kasih atas pasar baru")
    await say(http, svc.url, "bupati-x", f"/balas {stale} Sama-sama, semoga pasarnya bermanfaat")
    from bot.store.base import Changes

    old = await svc.store.get_ticket(stale)
    old.due_at = due
    await svc.store.commit(Changes(tickets=[old]))

    clock.now += timedelta(days=10)
    await sla_worker(svc).run_once(clock.now)
    [escalation] = await wait_for(lambda: said_to(svc, "webchat:bupati-x", "melewati batas waktu"))
    assert waiting in escalation and answered not in escalation and stale not in escalation, escalation
    for number in (answered, stale):
        assert await svc.store.ticket_events(number, "escalated") == [], number
        assert (await svc.store.get_ticket(number)).due_at is None, number
    summary = texts(await say(http, svc.url, "bupati-x", "/ringkasan"))
    assert waiting in summary and answered not in summary and stale not in summary, summary
    assert "lewat batas waktu: 1." in summary, summary
    # The reporter's answer still reaches the regent: the message stays open.
    await say(http, svc.url, "warga-x1", "Terima kasih pak, kami tunggu kedatangan petugasnya")
    await wait_for(lambda: said_to(svc, "webchat:bupati-x", "kami tunggu kedatangan petugasnya"))


# --- 2, 3, 4. history in words, who assigned, a colleague's question ------------------------------------
_KIND = re.compile(r"""\.event\(\s*\w+,\s*"(\w+)"|kind="(\w+)"|kind: str = "(\w+)"|kind=["'](\w+)["']\)""")


def event_kinds() -> set[str]:
    """Every kind of ticket history event the code writes (`turn.event(ticket, "kind", …)`, `TicketEvent(kind=…)`,
    and the kinds `reroute` is given)."""
    found: set[str] = set()
    for folder in ("actions", "bot", "integrations"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for line in source.splitlines():
                if ".event(" in line or "TicketEvent(" in line or "def reroute" in line or "reroute(" in line:
                    found |= {k for groups in _KIND.findall(line) for k in groups if k}
    return found


def test_every_event_kind_has_a_name_in_both_languages_for_the_chat_and_the_desk():
    kinds = event_kinds()
    assert {"assigned", "unassigned", "location", "photo", "retracted", "returned", "undelivered", "escalated",
            "rerouted", "routed", "lapor_pushed", "letter_issued", "note"} <= kinds, kinds
    names = Texts.load(ROOT / "content" / "texts")
    missing = [f"{prefix}{kind}" for kind in sorted(kinds) for prefix in ("event_name_", "desk_event_")
               if not names.has(f"{prefix}{kind}")]
    assert not missing, missing
    for kind in kinds:  # in Indonesian, never the code's English word ("assigned")
        assert names.get(f"event_name_{kind}", "id") not in (kind, kind.replace("_", " ")), kind


async def desk_of(svc, chat_key: str):  # noqa: F811
    """The desk session of an officer enrolled in chat, linked to that chat identity as the sign-in links it."""
    person = await svc.store.get_identity(chat_key)
    web = f"webchat:{svc.runtime.channels['webchat'].staff.web_sender_for(chat_key)}"
    await svc.store.set_value(WEB_ORIGIN_KEY + web, chat_key)
    return await staff_client(svc, person)


async def act_on_desk(desk, url: str, **form: str) -> None:
    """One of the ticket page's forms, sent with the page's CSRF token."""
    async with desk.post(url, data={"csrf": await csrf_of(desk, url), **form}) as resp:
        assert resp.status == 200, await resp.text()


async def test_assignment_and_a_question_from_the_desk_reach_the_assignee_in_words(svc, http, clock):  # noqa: F811
    for officer in ("pupr-a", "pupr-k", "pupr-z"):
        await enrol(http, svc, officer)
    number = await file_complaint(http, svc.url, "warga-a")
    url = f"{svc.url}/desk/tiket/{number}"
    async with await desk_of(svc, "webchat:pupr-a") as desk:
        await act_on_desk(desk, url, action="tugaskan", officer="webchat:pupr-k")
        [notice] = await wait_for(lambda: said_to(svc, "webchat:pupr-k", "Anda ditugaskan menangani"))
        assert f"*{number}* oleh Petugas Dinas PUPR (…pr-a)." in notice, notice  # not "oleh petugas."
        await say(http, svc.url, "pupr-a", "/nama Agus Santoso")
        question = "Lubangnya di sisi utara atau selatan jalan?"
        await act_on_desk(desk, url, action="minta_info", text=question)
    [seen] = await wait_for(lambda: said_to(svc, "webchat:pupr-k", question))
    assert "Agus Santoso meminta informasi tambahan kepada pelapor" in seen, seen
    # Assigned: the assignee is told, not the OPD's others, nor the one who asked.
    assert not await said_to(svc, "webchat:pupr-z", question) and not await said_to(svc, "webchat:pupr-a", question)

    # Unassigned: the OPD's others are told, as of a colleague's reply.
    other = await file_complaint(http, svc.url, "warga-b")
    url = f"{svc.url}/desk/tiket/{other}"
    async with await desk_of(svc, "webchat:pupr-a") as desk:
        await act_on_desk(desk, url, action="minta_info", text="Sejak kapan jalannya rusak?")
    await wait_for(lambda: said_to(svc, "webchat:pupr-k", "Sejak kapan jalannya rusak?"))
    await wait_for(lambda: said_to(svc, "webchat:pupr-z", "Sejak kapan jalannya rusak?"))
    assert not await said_to(svc, "webchat:pupr-a", "Sejak kapan jalannya rusak?")

    # The history in words, in chat and on the desk; what the deadline worker did is the system's, by name.
    clock.now = (await svc.store.get_ticket(number)).due_at + timedelta(days=3)
    await sla_worker(svc).run_once(clock.now)
    await wait_for(lambda: svc.store.ticket_events(number, "escalated"))
    info = texts(await say(http, svc.url, "pupr-k", f"/info {number}"))
    assert "ditugaskan kepada petugas (Petugas Dinas PUPR (…pr-a))" in info or \
        "ditugaskan kepada petugas (Agus Santoso)" in info, info
    assert "assigned" not in info and "dieskalasi ke pimpinan (Sistem (batas waktu))" in info, info
    async with await desk_of(svc, "webchat:pupr-k") as desk:
        async with desk.get(f"{svc.url}/desk/tiket/{number}") as resp:
            page = await resp.text()
    assert "· Sistem (batas waktu)" in page and "· system" not in page, page


# --- 5. a revoked officer ------------------------------------------------------------------------------
@pytest.fixture
async def tg(tmp_path: Path, fake, nlu_model_path: Path):  # noqa: F811
    async with running_service(tg_settings(tmp_path, fake)) as service:
        yield service


async def test_a_revoked_officer_is_told_their_access_was_revoked(tg, fake, http):  # noqa: F811
    from actions.staff_admin import staff_ref

    await enrol(http, tg, "op-r", "operator", None)
    await enrol_on_telegram(http, tg, fake, "4409100")
    code = staff_ref("telegram:4409100")
    await say(http, tg.url, "op-r", f"/cabut_akses {code} ✓ pindah tugas")
    for command in ("/antrian", "/muat_ulang"):
        sent = joined(await deliver(http, tg, fake, payload("private_reply", text=command, sender="4409100"),
                                    chat="4409100"))
        assert "akses petugas anda sudah dicabut" in sent.lower() and "hanya untuk petugas" not in sent, sent
    assert "khusus untuk operator Diskominfo" in sent, sent  # /muat_ulang: the operator's
    # A resident who never was staff: /antrian is for staff, /muat_ulang for the operator.
    assert "hanya untuk petugas" in texts(await say(http, tg.url, "warga-r", "/antrian"))
    said = texts(await say(http, tg.url, "warga-r", "/muat_ulang"))
    assert "khusus untuk operator Diskominfo" in said and "dicabut" not in said, said


# --- 6. someone else's ticket ---------------------------------------------------------------------------
async def test_someone_elses_ticket_is_answered_alike_however_it_is_typed(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "pemilik-s")
    words = "sekarang tambah parah, lubang jalannya makin lebar dan dalam"
    answers = set()
    for typed in (f"{number} {words}", f"/tanggapi {number} {words}", f"/tanggapi WRG-2612-0999 {words}"):
        said = texts(await say(http, svc.url, "orang-s", typed))
        assert "tidak kami teruskan" in said and "tidak ada di antara aduan Anda" in said, (typed, said)
        assert number not in said and "Sooko" not in said, said  # no more than /status tells of a number alone
        answers.add(said)
    assert len(answers) == 1, answers  # someone else's ticket or none: the same answer
    for typed in (f"/tanggapi {number}", f"/status {number}"):  # the number alone: what /status says of it
        said = texts(await say(http, svc.url, "orang-s", typed))
        assert f"Tiket {number} tercatat" in said and "hanya dapat dilihat oleh pelapornya" in said, (typed, said)
    assert await svc.store.ticket_events(number, "message_in") == []
    # The reporter's own words still go to the ticket.
    said = texts(await say(http, svc.url, "pemilik-s", f"{number} {words}"))
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [f"{number} {words}"], said


# --- 7. a transfer to an office with nobody enrolled ------------------------------------------------------
async def test_a_transfer_to_an_office_with_nobody_enrolled_tells_the_officer_who_moved_it(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t")
    await enrol(http, svc, "dishub-t", opd="dishub")
    await enrol(http, svc, "op-t", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-t")
    replies = await say(http, svc.url, "pupr-t", f"/alihkan {number} dlh ada tumpukan sampah di lubangnya")
    said = texts(replies)
    assert "dialihkan ke DLH" in said and "Belum ada petugas DLH yang terdaftar" in said, said
    assert payloads(replies) == [f"/batal_alihkan {number}"], payloads(replies)
    await wait_for(lambda: said_to(svc, "webchat:op-t", "Belum ada petugas terdaftar untuk DLH"))
    # An office with someone enrolled: no such line.
    other = await file_complaint(http, svc.url, "warga-t2")
    said = texts(await say(http, svc.url, "pupr-t", f"/alihkan {other} dishub lampu lalu lintasnya yang mati"))
    assert "dialihkan ke Dishub" in said and "Belum ada petugas" not in said, said
