"""Turns from the eleventh trial, the staff side, over real HTTP: a short ticket number ("/balas 0002 …") is the one
ticket of that number the officer may act on (several: asked which; another office's: never named); /info says who
the ticket is assigned to; a reporter writing again after the regent answered their message starts a new deadline;
an answer held after the regent's names the regent by title; a reply to a disposition's follow-up notice stays with
the staff."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

# `fake` is the Telegram API fixture; `svc` the service on a settable `clock` (Monday 7 December 2026)
from tests.channels.test_telegram import deliver, enrol_on_telegram, fake, joined, payload, tg_settings  # noqa: F401
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_tenth_staff import act_on_desk, desk_of, said_to, to_regent
from tests.harness import mailbox, payloads, running_service, say, texts, wait_for
from tests.integrations.test_sla import sla_worker


async def relayed(svc, number: str) -> list[str]:  # noqa: F811
    return [e.text or "" for e in await svc.store.ticket_events(number, "message_out")]


# --- 1. a short ticket number ------------------------------------------------------------------------------
async def test_a_short_number_is_the_one_ticket_of_ones_office_and_never_anothers(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s")
    await enrol(http, svc, "dishub-s", opd="dishub")
    road = await file_complaint(http, svc.url, "warga-s1")
    lamp = await file_complaint(http, svc.url, "warga-s2", "lampu jalan di desa Sooko mati sudah seminggu")
    assert road.endswith("-0001") and lamp.endswith("-0002"), (road, lamp)
    assert (await svc.store.get_ticket(lamp)).opd_id == "dishub"

    said = texts(await say(http, svc.url, "pupr-s", "/balas 0001 Tim kami datang besok"))
    assert f"Balasan untuk {road} sudah dikirim" in said, said
    assert await relayed(svc, road) == ["Tim kami datang besok"]
    assert f"Tiket *{road}*" in texts(await say(http, svc.url, "pupr-s", f"/info {road[4:]}"))  # "2612-0001"

    # Another office's ticket of that number: not sent, and not named (nor its office, nor what it is about).
    said = texts(await say(http, svc.url, "pupr-s", "/balas 0002 Tim kami datang besok"))
    assert "belum terkirim" in said and "0002" in said, said
    assert lamp not in said and "Dishub" not in said and "Lampu" not in said, said
    assert await relayed(svc, lamp) == []
    said = texts(await say(http, svc.url, "dishub-s", "/info #2"))
    assert f"Tiket *{lamp}*" in said, said
    # A bare "2" may begin the message: never taken for a ticket.
    said = texts(await say(http, svc.url, "dishub-s", "/balas 2 hari lagi tim kami datang"))
    assert "belum terkirim" in said and await relayed(svc, lamp) == [], said

    # A month later the numbers start again: "0001" is now two of the office's tickets, so the bot asks which.
    clock.now += timedelta(days=35)
    road2 = await file_complaint(http, svc.url, "warga-s3", "jalan berlubang besar di desa Pungging bahaya motor")
    assert road2.endswith("-0001") and road2 != road, road2
    replies = await say(http, svc.url, "pupr-s", "/balas 0001 Kami cek lagi hari ini")
    said = texts(replies)
    assert road in said and road2 in said and "Yang mana" in said, said
    assert payloads(replies) == [f"/balas {road2} Kami cek lagi hari ini", f"/balas {road} Kami cek lagi hari ini"]
    assert await relayed(svc, road2) == [] and await relayed(svc, road) == ["Tim kami datang besok"]
    said = texts(await say(http, svc.url, "pupr-s", payloads(replies)[0]))  # the button
    assert f"Balasan untuk {road2} sudah dikirim" in said, said
    assert await relayed(svc, road2) == ["Kami cek lagi hari ini"]

    # Other commands read it too; the other office's officer is never shown the two road tickets.
    replies = await say(http, svc.url, "pupr-s", "/proses 0001")
    assert payloads(replies) == [f"/proses {road2}", f"/proses {road}"], texts(replies)
    said = texts(await say(http, svc.url, "dishub-s", "/info 0001"))
    assert road not in said and road2 not in said and "tidak cocok" in said, said


# --- 2. /info names the assignee ----------------------------------------------------------------------------
async def test_info_says_who_the_ticket_is_assigned_to(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-i1")
    await enrol(http, svc, "pupr-i2")
    number = await file_complaint(http, svc.url, "warga-i")
    info = texts(await say(http, svc.url, "pupr-i1", f"/info {number}"))
    assert "Ditugaskan kepada: belum ada" in info, info
    await say(http, svc.url, "pupr-i2", "/nama Budi Hartono")
    async with await desk_of(svc, "webchat:pupr-i1") as desk:
        await act_on_desk(desk, f"{svc.url}/desk/tiket/{number}", action="tugaskan", officer="webchat:pupr-i2")
    info = texts(await say(http, svc.url, "pupr-i1", f"/info {number}"))
    assert "Ditugaskan kepada: Budi Hartono" in info and "belum ada" not in info, info
    # A message to the regent is assigned to nobody: no such line.
    regent_message = await to_regent(http, svc, "warga-i2", "Pak bupati, mohon perhatian untuk jembatan desa kami")
    await enrol(http, svc, "op-i", role="operator", opd=None)
    info = texts(await say(http, svc.url, "op-i", f"/info {regent_message}"))
    assert "Ditugaskan kepada" not in info, info


# --- 3. the reporter writes again after the regent's answer --------------------------------------------------
async def test_a_reporters_words_after_the_regents_answer_get_a_new_deadline(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-y", role="regent", opd=None)
    number = await to_regent(http, svc, "warga-y", "Pak bupati, jembatan desa kami setahun rusak mohon perhatian")
    await say(http, svc.url, "bupati-y", f"/balas {number} Terima kasih, sudah saya minta dinas meninjau jembatannya")
    assert (await svc.store.get_ticket(number)).due_at is None

    clock.now += timedelta(days=2)
    await say(http, svc.url, "warga-y", "Terima kasih pak, tapi sampai sekarang belum ada petugas yang datang")
    await wait_for(lambda: said_to(svc, "webchat:bupati-y", "belum ada petugas yang datang"))
    due = (await svc.store.get_ticket(number)).due_at
    assert due is not None and due > clock.now, due

    # Nobody answers: the regent's watch sees it overdue.
    clock.now += timedelta(days=10)
    await sla_worker(svc).run_once(clock.now)
    [escalation] = await wait_for(lambda: said_to(svc, "webchat:bupati-y", "melewati batas waktu"))
    assert number in escalation, escalation
    assert len(await svc.store.ticket_events(number, "escalated")) == 1
    summary = texts(await say(http, svc.url, "bupati-y", "/ringkasan"))
    assert number in summary and "lewat batas waktu: 1." in summary, summary

    # Answered again: no deadline left, and the next pass leaves it alone.
    await say(http, svc.url, "bupati-y", f"/balas {number} Mohon maaf, besok Dinas PUPR ke lokasi")
    assert (await svc.store.get_ticket(number)).due_at is None
    clock.now += timedelta(days=10)
    await sla_worker(svc).run_once(clock.now)
    assert len(await svc.store.ticket_events(number, "escalated")) == 1


# --- 4. a held answer names the regent by title -----------------------------------------------------------
async def test_an_answer_held_after_the_regents_names_the_regent_by_title(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-h")
    await enrol(http, svc, "bupati-h", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-h")
    await say(http, svc.url, "bupati-h", f"/balas {number} Saya minta segera ditangani.")
    held = texts(await say(http, svc.url, "pupr-h", f"/balas {number} Besok kami cek."))
    assert "belum dikirim" in held and "Bapak/Ibu Bupati sudah menjawab pelapor" in held, held
    assert "Pimpinan" not in held and "pimpinan" not in held, held
    assert await relayed(svc, number) == ["Saya minta segera ditangani."]


# --- 5. a reply to a disposition's follow-up notice ----------------------------------------------------------
@pytest.fixture
async def tg(tmp_path: Path, fake, nlu_model_path: Path):  # noqa: F811
    async with running_service(tg_settings(tmp_path, fake)) as service:
        yield service


async def test_a_reply_to_a_disposition_follow_up_stays_with_the_staff(tg, fake, http):  # noqa: F811
    await enrol_on_telegram(http, tg, fake, user="3003", role="regent", opd=None)
    await enrol(http, tg, "pupr-d")
    number = await file_complaint(http, tg.url, "warga-d")
    await deliver(http, tg, fake, payload("private_reply", sender="3003",
                                          text=f"/disposisi {number} dinas-pupr mohon segera ditambal"), chat="3003")
    await say(http, tg.url, "pupr-d", f"/balas {number} Tim kami ke lokasi besok pagi.")
    notice = await wait_for(lambda: [c for c in fake.sent("sendMessage", chat_id="3003")
                                     if "Tindak lanjut disposisi" in c.text])
    sent = await deliver(http, tg, fake, payload("private_reply", sender="3003", reply_to=notice[0].message_id,
                                                 text="Baik, tolong dipantau sampai tuntas"), chat="3003")
    assert await relayed(tg, number) == ["Tim kami ke lokasi besok pagi."]
    assert "belum terkirim kepada siapa pun" in joined(sent), joined(sent)  # the hint: how to reach the resident
    assert not [m for m in await mailbox(tg.store, "webchat:warga-d") if "dipantau" in m["text"]]
