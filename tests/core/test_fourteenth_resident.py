"""Turns from the trial after the thirteenth session, over real HTTP: a "belum" after "Sudah beres?" about
another matter asks whether to reopen or file anew; "sudah semua" with several tickets waiting answers them all;
krama place answers; a first 🙏 is greeted; /info names the officer who took a ticket up; triage tickets stored
without a deadline get one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store.base import STATUS_DONE, STATUS_IN_PROGRESS, Changes
from tests.core.test_conversations import tickets_of

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.core.test_tenth_staff import said_to
from tests.core.test_twelfth_deadlines import services_of
from tests.harness import payloads, say, texts, wait_for
from tests.integrations.test_sla import sla_worker

ROAD = "jalan di dusun krajan desa sumberejo rusak parah banyak lubang"
LAMP = "lampu PJU depan balai desa sumberejo mati sudah seminggu"


async def road_done(http, svc, clock, resident: str) -> str:  # noqa: F811
    """A road complaint marked done: "Sudah beres?" waits."""
    await enrol(http, svc, f"pupr-{resident}")
    number = await file_complaint(http, svc.url, resident, ROAD)
    clock.now += timedelta(days=2)
    await say(http, svc.url, f"pupr-{resident}", f"/selesai {number} Jalan sudah ditambal.")
    return number


# --- 1. "belum" about another matter ------------------------------------------------------------------------------
OTHER = "belum pak, sampah di TPS dekat pasar tidak diangkut sudah seminggu"


async def test_a_not_yet_about_another_matter_asks_reopen_or_new(svc, http, clock):  # noqa: F811
    number = await road_done(http, svc, clock, "o1a")
    replies = await say(http, svc.url, "o1a", OTHER)
    said = texts(replies)
    assert f"Aduan *{number}* kami buka kembali" not in said and "soal lain (Sampah)" in said, said
    assert (await svc.store.get_ticket(number)).status == STATUS_DONE
    assert f"fixed:{number}:no" in payloads(replies) and "btn:other_matter" in payloads(replies), payloads(replies)
    titles = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert any(number in t and "Jalan rusak" in t for t in titles), titles

    replies = await say(http, svc.url, "o1a", "btn:other_matter")  # a new complaint: its topic is proposed
    said = texts(replies)
    assert "*DLH*" in said and "btn:yes" in payloads(replies), said
    assert (await svc.store.get_ticket(number)).status == STATUS_DONE
    assert await svc.store.ticket_events(number, "reopened") == []


async def test_the_reopen_button_reopens_it_with_the_words(svc, http, clock):  # noqa: F811
    number = await road_done(http, svc, clock, "o1b")
    await say(http, svc.url, "o1b", OTHER)
    said = texts(await say(http, svc.url, "o1b", f"fixed:{number}:no"))
    assert f"Aduan *{number}* kami buka kembali" in said, said
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS
    assert [e.text for e in await svc.store.ticket_events(number, "reopened")] == [OTHER]


async def test_a_not_yet_naming_a_landmark_its_own_topic_or_its_offices_still_reopens(svc, http, clock):  # noqa: F811
    for resident, words in (("o1c", "belum pak, yang depan toko bangunan"),
                            ("o1d", "belum pak, jalan dekat TPS sampah masih berlubang"),
                            ("o1f", "belum pak, jembatannya masih ambrol")):  # the same office's matter
        number = await road_done(http, svc, clock, resident)
        said = texts(await say(http, svc.url, resident, words))
        assert f"Aduan *{number}* kami buka kembali" in said, said
        assert [e.text for e in await svc.store.ticket_events(number, "reopened")] == [words]



async def test_a_typed_new_complaint_answer_files_the_words_anew(svc, http, clock):  # noqa: F811
    number = await road_done(http, svc, clock, "o1e")
    await say(http, svc.url, "o1e", OTHER)
    replies = await say(http, svc.url, "o1e", "aduan baru aja pak")
    assert "*DLH*" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).status == STATUS_DONE

# --- 2. "sudah semua" with two waiting ---------------------------------------------------------------------------
async def two_done(http, svc, clock, resident: str) -> tuple[str, str]:  # noqa: F811
    """A road and a street-light complaint of one resident, both marked done: two "Sudah beres?" wait."""
    road = await road_done(http, svc, clock, resident)
    await enrol(http, svc, f"dishub-{resident}", opd="dishub")
    lamp = await file_complaint(http, svc.url, resident, LAMP)
    await say(http, svc.url, f"dishub-{resident}", f"/selesai {lamp} Lampu sudah diganti.")
    return road, lamp


@pytest.mark.parametrize("words", ["sudah semua pak", "dua2nya sudah", "semuanya beres"])
async def test_all_fixed_with_two_waiting_thanks_once_and_asks_each_rating(svc, http, clock, words):  # noqa: F811
    resident = f"o2{len(words)}"
    road, lamp = await two_done(http, svc, clock, resident)
    replies = await say(http, svc.url, resident, words)
    said = texts(replies)
    assert "yang mana" not in said and said.count("Syukurlah") == 1, said
    assert f"{road}, {lamp}" in said or f"{lamp}, {road}" in said, said
    assert {f"nilai:{road}:5", f"nilai:{lamp}:5"} <= set(payloads(replies)), payloads(replies)

    await say(http, svc.url, resident, f"nilai:{road}:5")
    await say(http, svc.url, resident, f"nilai:{lamp}:4")
    assert (await svc.store.get_ticket(road)).rating == 5
    assert (await svc.store.get_ticket(lamp)).rating == 4


async def test_all_but_one_fixed_still_asks_which(svc, http, clock):  # noqa: F811
    road, lamp = await two_done(http, svc, clock, "o2x")
    said = texts(await say(http, svc.url, "o2x", "belum semua pak"))
    assert "yang mana" in said and "Syukurlah" not in said, said


# --- 3. krama place answers --------------------------------------------------------------------------------------
KRAMA = "Nyuwun sewu, lampu PJU wonten Desa Sumberejo. Kula nyuwun tulung dipun dandosi, sampun seminggu peteng."


async def place_stored(http, svc, resident: str, report: str, place: str) -> tuple[str, dict]:  # noqa: F811
    """The report, its topic confirmed, `place` typed at the place question: what the place question said, and the
    place the filed ticket holds."""
    await say(http, svc.url, resident, report)
    asked = texts(await say(http, svc.url, resident, "btn:yes"))
    for words in (place, "lewati", "privacy:publik", "btn:send"):
        await say(http, svc.url, resident, words)
    [ticket] = await tickets_of(svc, resident)
    return asked, ticket.location or {}


async def test_a_krama_report_guesses_its_place_without_the_next_sentence(svc, http):  # noqa: F811
    asked, location = await place_stored(http, svc, "o3a", KRAMA, "inggih leres")
    assert "*Desa Sumberejo*?" in asked, asked
    assert location.get("address") == "Desa Sumberejo", location


async def test_a_krama_place_answer_keeps_only_the_place(svc, http):  # noqa: F811
    _, location = await place_stored(http, svc, "o3b", KRAMA, "inggih leres, wonten dusun Sumberan")
    assert "dusun Sumberan" in str(location) and "leres" not in str(location), location
    _, location = await place_stored(http, svc, "o3c", "lampu jalan mati sudah seminggu, tolong diperbaiki",
                                     "inggih leres, wonten dusun Sumberan")
    assert location.get("address") == "dusun Sumberan", location


# --- 4. thanks before anything was done --------------------------------------------------------------------------
async def test_thanks_right_after_a_greeting_offers_help_not_you_are_welcome(svc, http):  # noqa: F811
    for resident, thanks in (("o4a", "🙏"), ("o4b", "makasih")):
        await say(http, svc.url, resident, "halo")
        replies = await say(http, svc.url, resident, thanks)
        said = texts(replies)
        assert "Sama-sama" not in said and "Ada yang bisa kami bantu" in said and "/aduan" in payloads(replies), said


async def test_thanks_after_an_answer_is_still_you_are_welcome(svc, http):  # noqa: F811
    await say(http, svc.url, "o4c", "halo")
    await say(http, svc.url, "o4c", "syarat bikin ktp apa ya?")
    assert "Sama-sama" in texts(await say(http, svc.url, "o4c", "🙏"))
    assert "Sama-sama" in texts(await say(http, svc.url, "o4c", "makasih"))


# --- 5. /info names the officer who answered ---------------------------------------------------------------------
async def test_info_names_the_officer_who_answered_when_nobody_was_assigned(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-o5a")
    await enrol(http, svc, "pupr-o5b")
    await say(http, svc.url, "pupr-o5b", "/nama Budi Contoh")
    number = await file_complaint(http, svc.url, "o5")
    info = texts(await say(http, svc.url, "pupr-o5a", f"/info {number}"))
    assert "Ditugaskan kepada: belum ada" in info and "Budi Contoh" not in info, info
    await say(http, svc.url, "pupr-o5b", f"/balas {number} Tim kami cek lokasi besok pagi")
    info = texts(await say(http, svc.url, "pupr-o5a", f"/info {number}"))
    assert "Ditangani oleh: Budi Contoh" in info and "belum ada" not in info, info


# --- 6. a complaint in triage stored without a deadline ----------------------------------------------------------
TRIAGE_FILING = ("ada masalah di kampung saya mohon dibantu pak", "topic:lainnya", "desa sooko", "lewati", "publik",
                 "kirim")


async def test_a_triage_complaint_without_a_deadline_gets_one_and_is_escalated(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "op-o6", role="operator", opd=None)
    for typed in TRIAGE_FILING:
        replies = await say(http, svc.url, "o6", typed)
    number = TICKET.search(texts(replies)).group(0)
    ticket = await svc.store.get_ticket(number)
    filed = ticket.created_at
    ticket.due_at = None  # as stored before triage had a deadline
    await svc.store.commit(Changes(tickets=[ticket]))

    clock.now += timedelta(days=5)
    worker = sla_worker(svc)
    assert await worker.triage_without_deadline(clock.now) == 1  # what the worker does when the service starts
    await worker.run_once(clock.now)
    ticket = await svc.store.get_ticket(number)
    assert ticket.due_at == services_of(svc).calendar.add_working_days(filed, services_of(svc).directory.triage_days)
    assert len(await svc.store.ticket_events(number, "escalated")) == 1  # long past it: the operators are asked
    [to_operator] = await wait_for(lambda: said_to(svc, "webchat:op-o6", "belum dipilihkan OPD"))
    assert number in to_operator, to_operator
