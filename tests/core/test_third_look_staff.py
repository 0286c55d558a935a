"""Turns found by a third exploratory session, on the staff side, each through the real REST endpoint (and the
desk over HTTP): a finished ticket transferred (one officer after the other, at the same moment, after the reason
was asked for, and from the desk), the regent or an operator changing an OPD's ticket (who the resident is told
acted, and the OPD's officers told of it), the regent's /bantuan, and the regent asking for today's summary.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from pathlib import Path

import pytest

from bot.store.base import Identity
from tests.core.test_flows import enrol, file_complaint
from tests.desk.test_desk_actions import csrf_of
from tests.desk.test_desk_http import staff_client
from tests.harness import mailbox, make_settings, running_service, say, texts, wait_for


async def mail_with(svc, sender: str, words: str) -> list[dict]:
    """What `sender` has been sent that contains `words`."""
    return [m for m in await mailbox(svc.store, sender) if words in m["text"]]


async def outbox_to(svc, key: str) -> str:
    """Every text queued for `key` (delivered or not), one per line: what they are told, without waiting."""
    jobs = await svc.store.list_jobs(limit=1000)
    return "\n".join(r["text"] for j in jobs if j.payload.get("to") == key for r in j.payload.get("replies", []))


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


# --- 1. a finished ticket is not transferred -------------------------------------------------------------------
async def assert_still_finished_at_pupr(svc, number: str, resident: str, dlh: str) -> None:
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "selesai" and ticket.opd_id == "dinas-pupr", (ticket.status, ticket.opd_id)
    assert await svc.store.ticket_events(number, "rerouted") == []
    assert await svc.store.ticket_events(number, "returned") == []
    assert number not in await outbox_to(svc, f"webchat:{dlh}")
    assert "dialihkan" not in await outbox_to(svc, f"webchat:{resident}")


async def test_a_finished_ticket_is_not_transferred_until_the_resident_reopens_it(svc, http):
    await enrol(http, svc, "pupr-beres")
    await enrol(http, svc, "pupr-alih")
    await enrol(http, svc, "dlh-terima", opd="dlh")
    number = await file_complaint(http, svc.url, "warga-beres")
    await say(http, svc.url, "pupr-beres", f"/selesai {number} lubang sudah ditambal")

    for typed in (f"/alihkan {number} dlh bukan jalan kabupaten", f"/alihkan {number} triase jalan tol",
                  f"/alihkan {number}"):
        replies = await say(http, svc.url, "pupr-alih", typed)
        said = texts(replies)
        assert "tidak dapat dialihkan" in said and f"/buka {number}" in said and "Selesai" in said, said
        assert not any(b["payload"].startswith("/alihkan") for r in replies for b in r.get("buttons", [])), replies
    await assert_still_finished_at_pupr(svc, number, "warga-beres", "dlh-terima")
    replies = await say(http, svc.url, "dlh-terima", "/antrian")
    assert number not in texts(replies)

    # what the refusal advises works: the resident reopens it, and then it can be transferred
    await say(http, svc.url, "warga-beres", f"/buka {number} masih berlubang")
    replies = await say(http, svc.url, "pupr-alih", f"/alihkan {number} dlh bukan jalan kabupaten")
    assert "dialihkan ke DLH" in texts(replies), texts(replies)
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "dlh" and ticket.status in ("baru", "diproses")
    assert number in texts(await say(http, svc.url, "dlh-terima", "/antrian"))


async def test_a_ticket_finished_while_the_transfer_reason_was_asked_for_stays_finished(svc, http):
    await enrol(http, svc, "pupr-tanya")
    await enrol(http, svc, "pupr-tutup")
    await enrol(http, svc, "dlh-tunggu", opd="dlh")
    number = await file_complaint(http, svc.url, "warga-tanya")
    replies = await say(http, svc.url, "pupr-tanya", f"/alihkan {number} dlh")
    assert "Mengapa" in texts(replies), texts(replies)
    await say(http, svc.url, "pupr-tutup", f"/selesai {number} sudah diperbaiki")
    replies = await say(http, svc.url, "pupr-tanya", "ini sampah di bahu jalan, urusan DLH")
    assert "tidak dapat dialihkan" in texts(replies), texts(replies)
    await assert_still_finished_at_pupr(svc, number, "warga-tanya", "dlh-tunggu")
    # the flow is over: the officer's next words are not taken as a reason again
    conv = await svc.store.get_conversation("webchat:pupr-tanya")
    assert conv.state.get("flow") is None and "to" not in conv.state

    # the same for a note asked for by /selesai: a ticket a colleague finished meanwhile is not finished twice
    other = await file_complaint(http, svc.url, "warga-tanya2")
    assert "catatan" in texts(await say(http, svc.url, "pupr-tanya", f"/selesai {other}")).lower()
    await say(http, svc.url, "pupr-tutup", f"/selesai {other} sudah diperbaiki")
    replies = await say(http, svc.url, "pupr-tanya", "sudah kami tambal")
    assert "sudah Selesai" in texts(replies), texts(replies)
    assert len([e for e in await svc.store.ticket_events(other, "status") if e.data.get("status") == "selesai"]) == 1
    assert (await outbox_to(svc, "webchat:warga-tanya2")).count("Sudah beres?") == 1


async def test_finishing_and_transferring_at_the_same_moment_do_not_both_happen(svc, http, monkeypatch):
    """Both officers read the open ticket before either writes: the finish is written first, so the transfer's
    write meets a newer version, is redone on the ticket as stored, and is refused."""
    await enrol(http, svc, "pupr-kilat1")
    await enrol(http, svc, "pupr-kilat2")
    await enrol(http, svc, "dlh-kilat", opd="dlh")
    number = await file_complaint(http, svc.url, "warga-kilat")
    store, real_get = svc.store, svc.store.get_ticket
    reads: list[str] = []
    both_read = asyncio.Event()

    async def get_ticket(wanted: str):
        ticket = await real_get(wanted)
        if wanted == number:
            reads.append(ticket.status)
            if len(reads) == 1:  # the finish: goes on once the transfer has read the same open ticket
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(both_read.wait(), 5)
            elif len(reads) == 2:  # the transfer: holds its (soon stale) copy until the finish is written
                both_read.set()
                await asyncio.sleep(0.3)
        return ticket

    monkeypatch.setattr(store, "get_ticket", get_ticket)
    finish = asyncio.create_task(say(http, svc.url, "pupr-kilat1", f"/selesai {number} sudah ditambal"))
    await wait_for(lambda: len(reads) >= 1)
    moved = await say(http, svc.url, "pupr-kilat2", f"/alihkan {number} dlh bukan jalan kabupaten")
    done = await finish
    monkeypatch.undo()

    assert reads[:2] == ["baru", "baru"] and "selesai" in reads[2:], reads  # both read it open; the transfer again
    assert "ditandai selesai" in texts(done), texts(done)
    assert "tidak dapat dialihkan" in texts(moved), texts(moved)
    await assert_still_finished_at_pupr(svc, number, "warga-kilat", "dlh-kilat")


async def test_the_desk_refuses_to_transfer_a_finished_ticket(svc, http):
    await enrol(http, svc, "pupr-meja")
    await enrol(http, svc, "dlh-meja", opd="dlh")
    number = await file_complaint(http, svc.url, "warga-meja")
    officer = Identity(key="telegram:7101", channel="telegram", sender_id="7101", role="officer", opd_id="dinas-pupr")
    url = f"{svc.url}/desk/tiket/{number}"
    async with await staff_client(svc, officer) as desk:
        csrf = await csrf_of(desk, url)  # the page as it was while the ticket was open
        await say(http, svc.url, "pupr-meja", f"/selesai {number} sudah ditambal")
        for target in ("dlh", "triase"):
            async with desk.post(url, data={"csrf": csrf, "action": "alihkan", "opd": target,
                                            "text": "bukan kewenangan kami"}) as resp:
                page = await resp.text()
            assert resp.status == 200 and "tidak dapat dialihkan" in page, page[-2000:]
    await assert_still_finished_at_pupr(svc, number, "warga-meja", "dlh-meja")


# --- 2. the regent or an operator acting on an OPD's ticket -------------------------------------------------------
async def test_the_regent_finishing_an_agencys_ticket_is_named_and_the_agency_is_told(svc, http):
    await enrol(http, svc, "pupr-kabar")
    await enrol(http, svc, "ajudan-kabar", role="regent", opd=None)
    await say(http, svc.url, "ajudan-kabar", "/nama Rudi Hartono")
    number = await file_complaint(http, svc.url, "warga-kabar")
    replies = await say(http, svc.url, "ajudan-kabar", f"/selesai {number} sudah")
    assert "ditandai selesai" in texts(replies), texts(replies)

    told = await wait_for(lambda: mail_with(svc, "webchat:warga-kabar", "Sudah beres?"))
    assert "ditandai selesai oleh Bupati" in told[-1]["text"] and "Dinas PUPR" not in told[-1]["text"], told
    notice = await wait_for(lambda: mail_with(svc, "webchat:pupr-kabar", "ditandai selesai oleh"))
    assert number in notice[-1]["text"] and "Pimpinan (Rudi Hartono)" in notice[-1]["text"], notice
    assert "Catatan: sudah" in notice[-1]["text"]
    assert not await mail_with(svc, "webchat:ajudan-kabar", "OPD Anda ditandai")  # the regent is not told of it


async def test_an_operator_processing_or_moving_an_agencys_ticket_is_named_and_the_agency_is_told(svc, http):
    await enrol(http, svc, "pupr-ops")
    await enrol(http, svc, "operator-ops", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-ops")
    await say(http, svc.url, "operator-ops", f"/proses {number}")
    told = await wait_for(lambda: mail_with(svc, "webchat:warga-ops", "sedang ditindaklanjuti"))
    assert "oleh Layanan Aduan" in told[-1]["text"] and "Dinas PUPR" not in told[-1]["text"], told
    await wait_for(lambda: mail_with(svc, "webchat:pupr-ops", f"*{number}* OPD Anda ditandai sedang diproses"))

    await say(http, svc.url, "operator-ops", f"/alihkan {number} dlh sampah, bukan jalan")
    moved = await wait_for(lambda: mail_with(svc, "webchat:pupr-ops", "dialihkan dari OPD Anda ke DLH"))
    assert "Operator" in moved[-1]["text"] and "sampah, bukan jalan" in moved[-1]["text"], moved


async def test_an_officer_acting_tells_their_colleagues_not_themselves_and_names_their_agency(svc, http):
    # (Until the eighth look colleagues heard nothing; an officer then closed a ticket a colleague had just closed.)
    await enrol(http, svc, "pupr-sendiri")
    await enrol(http, svc, "pupr-rekan")
    number = await file_complaint(http, svc.url, "warga-sendiri")
    await say(http, svc.url, "pupr-sendiri", f"/proses {number}")
    await say(http, svc.url, "pupr-sendiri", f"/selesai {number} sudah ditambal")
    told = await wait_for(lambda: mail_with(svc, "webchat:warga-sendiri", "Sudah beres?"))
    assert "ditandai selesai oleh Dinas PUPR" in told[-1]["text"], told
    colleague = await wait_for(lambda: _has_text(outbox_to(svc, "webchat:pupr-rekan"), "OPD Anda ditandai selesai"))
    assert "sudah ditambal" in colleague and "OPD Anda ditandai sedang diproses" in colleague, colleague
    assert "OPD Anda ditandai" not in await outbox_to(svc, "webchat:pupr-sendiri")


async def _has_text(read, words: str) -> str | None:
    text = await read
    return text if words in text else None


async def test_a_regents_disposition_away_from_an_agency_tells_that_agency(svc, http):
    await enrol(http, svc, "pupr-disp")
    await enrol(http, svc, "dlh-disp", opd="dlh")
    await enrol(http, svc, "ajudan-disp", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-disp")
    await say(http, svc.url, "ajudan-disp", f"/disposisi {number} dlh segera angkut sampahnya")
    moved = await wait_for(lambda: mail_with(svc, "webchat:pupr-disp", "dialihkan dari OPD Anda ke DLH"))
    assert "Pimpinan" in moved[-1]["text"] and "segera angkut sampahnya" in moved[-1]["text"], moved
    await wait_for(lambda: mail_with(svc, "webchat:dlh-disp", number))


async def test_the_regents_help_lists_only_what_the_regent_can_do(svc, http):
    await enrol(http, svc, "ajudan-bantu", role="regent", opd=None)
    said = texts(await say(http, svc.url, "ajudan-bantu", "/bantuan"))
    listed = set(re.findall(r"(?<![\w/])/(\w+)", said))
    assert {"ringkasan", "antrian", "disposisi", "ingatkan", "selesai", "alihkan"} <= listed, said
    commands = svc.dialogue.commands
    assert all(name in commands and "regent" in commands[name].roles for name in listed), said
    assert "OPD Anda" not in said, said
    await enrol(http, svc, "pupr-bantu")
    officer = texts(await say(http, svc.url, "pupr-bantu", "/bantuan"))
    assert "/ringkasan" not in officer and "/disposisi" not in officer and "/alihkan" in officer


# --- 3. the regent asking for today's summary ---------------------------------------------------------------------
async def test_the_regent_gets_todays_summary_and_the_dashboards_address(svc, http):
    await enrol(http, svc, "ajudan-rekap", role="regent", opd=None)
    await enrol(http, svc, "pupr-rekap")
    await file_complaint(http, svc.url, "warga-rekap")
    replies = await say(http, svc.url, "ajudan-rekap", "/ringkasan")
    said = texts(replies)
    assert "Ringkasan aduan" in said and "1 baru" in said and "Dinas PUPR" in said, said
    assert "/desk" in said and "di luar layanan kami" not in said and not replies[0].get("buttons"), said
    refused = texts(await say(http, svc.url, "pupr-rekap", "/ringkasan"))
    assert "Ringkasan aduan" not in refused, refused


@pytest.mark.parametrize("typed", ["ringkasan hari ini", "rekap hari ini", "summary"])
async def test_the_regent_asking_for_the_summary_in_words_is_not_answered_as_a_resident(svc, http, typed):
    await enrol(http, svc, "ajudan-kata", role="regent", opd=None)
    replies = await say(http, svc.url, "ajudan-kata", typed)
    said = texts(replies)
    assert "di luar layanan kami" not in said and "outside our service" not in said, said
    assert "/aduan" not in [b["payload"] for r in replies for b in r.get("buttons", [])], replies
    assert "/ringkasan" in said or "Ringkasan aduan" in said, said
