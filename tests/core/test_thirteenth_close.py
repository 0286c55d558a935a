"""Turns from the fourteenth trial, over real HTTP: a past fire, a habit ("burning trash every night") and a question
("kalo ada kebakaran nomor damkar berapa?") raise no emergency while a danger happening now still does; a "belum"
with two tickets waiting for "Sudah beres?" asks which; a new complaint on another topic after a rating starts on its
own; a status question that brings news ("sudah ada yang jatuh") reaches the officer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store.base import STATUS_CLOSED, STATUS_DONE, STATUS_IN_PROGRESS

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_conversations import tickets_of
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for


# --- 1. only a danger happening now is an emergency ----------------------------------------------------------
@pytest.mark.parametrize("text", [
    "dulu pernah ada kebakaran di pasar, skrg hydrant nya rusak gk pernah dicek",
    "Is this the right place to complain about my neighbour burning trash every night?",
    "tetangga sy tiap malam bakar sampah, asapnya masuk rumah, anak sy batuk2",
])
async def test_a_past_fire_or_burning_trash_is_an_ordinary_complaint(svc, http, text):  # noqa: F811
    await enrol(http, svc, "damkar-p", opd="damkar")
    said = texts(await say(http, svc.url, "lalu", text))
    assert "112" not in said and not TICKET.search(said), said
    assert await tickets_of(svc, "lalu") == []
    assert "Aduan baru" not in "\n".join(m["text"] for m in await mailbox(svc.store, "webchat:damkar-p"))


@pytest.mark.parametrize(("text", "answer"), [
    ("sy mau tanya, kalo ada kebakaran nomor damkar berapa ya?", "113"),  # the fire brigade's FAQ answer
    ("kalau ada kebakaran di rumah, harus ngapain ya?", "tidak kami catat sebagai laporan"),  # the numbers
])
async def test_a_question_about_a_fire_is_answered_and_nothing_is_filed(svc, http, text, answer):  # noqa: F811
    said = texts(await say(http, svc.url, "tanya", text))
    assert answer in said and "Laporan darurat" not in said and "Apakah sudah benar" not in said, said
    assert await tickets_of(svc, "tanya") == []


@pytest.mark.parametrize(("text", "opd"), [
    ("rumah tetangga kebakaran apinya besar", "damkar"),
    ("tolong ada orang terjebak di dalam sumur", "damkar"),
    ("banjir bandang masuk desa, air naik cepat", "bpbd"),
    ("tolong cepat kalau bisa, gudang sebelah terbakar", "damkar"),
    ("dulu pernah kebakaran, sekarang kebakaran lagi di pasar apinya besar", "damkar"),
])
async def test_a_danger_happening_now_is_still_an_emergency_at_once(svc, http, text, opd):  # noqa: F811
    replies = await say(http, svc.url, "api", text)
    assert "112" in replies[0]["text"], texts(replies)
    [ticket] = await tickets_of(svc, "api")
    assert ticket.priority == "darurat" and ticket.opd_id == opd


# --- 2. "belum" with two tickets waiting for "Sudah beres?" -------------------------------------------------------
ROAD = "jalan di dusun krajan desa sumberejo rusak parah banyak lubang"
LAMP = "lampu PJU depan balai desa sumberejo mati sudah seminggu"


async def two_done(http, svc, clock, resident: str) -> tuple[str, str]:  # noqa: F811
    """A road and a street-light complaint of one resident, both marked done: two "Sudah beres?" wait."""
    await enrol(http, svc, f"pupr-{resident}")
    await enrol(http, svc, f"dishub-{resident}", opd="dishub")
    road = await file_complaint(http, svc.url, resident, ROAD)
    lamp = await file_complaint(http, svc.url, resident, LAMP)
    clock.now += timedelta(days=2)
    await say(http, svc.url, f"pupr-{resident}", f"/selesai {road} Jalan sudah ditambal.")
    await say(http, svc.url, f"dishub-{resident}", f"/selesai {lamp} Lampu sudah diganti.")
    return road, lamp


async def test_a_bare_not_yet_with_two_waiting_asks_which_and_the_words_name_it(svc, http, clock):  # noqa: F811
    road, lamp = await two_done(http, svc, clock, "w2a")
    replies = await say(http, svc.url, "w2a", "belum pak, masih rusak")
    said = texts(replies)
    assert "yang mana" in said and "buka kembali" not in said, said
    assert sorted(payloads(replies)) == sorted([f"fixed:{road}:no", f"fixed:{lamp}:no"]), payloads(replies)
    titles = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert any("Jalan rusak" in t and "Desa Sooko" in t for t in titles), titles  # topic and place
    assert (await svc.store.get_ticket(road)).status == STATUS_DONE
    assert (await svc.store.get_ticket(lamp)).status == STATUS_DONE

    said = texts(await say(http, svc.url, "w2a", "yg jalan pak"))
    assert f"Aduan *{road}* kami buka kembali" in said, said
    assert (await svc.store.get_ticket(road)).status == STATUS_IN_PROGRESS
    assert (await svc.store.get_ticket(lamp)).status == STATUS_DONE
    assert [e.text for e in await svc.store.ticket_events(road, "reopened")] == ["belum pak, masih rusak"]

    replies = await say(http, svc.url, "w2a", "lampunya udh nyala kok, makasih")
    assert f"nilai:{lamp}:5" in payloads(replies), texts(replies)  # the street light's rating is asked
    assert await svc.store.ticket_events(road, "message_in") == []  # nothing went to the road's officer
    assert await svc.store.ticket_events(lamp, "message_in") == []


async def test_the_button_of_which_one_reopens_it_with_the_words_typed(svc, http, clock):  # noqa: F811
    road, lamp = await two_done(http, svc, clock, "w2b")
    await say(http, svc.url, "w2b", "belum pak, yang depan toko bangunan")
    said = texts(await say(http, svc.url, "w2b", f"fixed:{lamp}:no"))
    assert f"Aduan *{lamp}* kami buka kembali" in said, said
    assert [e.text for e in await svc.store.ticket_events(lamp, "reopened")] == ["belum pak, yang depan toko bangunan"]
    assert (await svc.store.get_ticket(road)).status == STATUS_DONE


async def test_a_not_yet_that_names_one_of_two_reopens_that_one_at_once(svc, http, clock):  # noqa: F811
    road, lamp = await two_done(http, svc, clock, "w2c")
    said = texts(await say(http, svc.url, "w2c", "lampunya belum nyala pak"))
    assert f"Aduan *{lamp}* kami buka kembali" in said, said
    assert (await svc.store.get_ticket(road)).status == STATUS_DONE
    replies = await say(http, svc.url, "w2c", "sudah pak")  # the one left waiting: the road
    assert f"nilai:{road}:5" in payloads(replies), texts(replies)


async def test_with_one_ticket_waiting_a_bare_not_yet_still_reopens_it(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-w2d")
    number = await file_complaint(http, svc.url, "w2d", ROAD)
    await say(http, svc.url, "pupr-w2d", f"/selesai {number} Jalan sudah ditambal.")
    said = texts(await say(http, svc.url, "w2d", "belum pak, masih rusak"))
    assert f"Aduan *{number}* kami buka kembali" in said, said


# --- 3. another topic after a rating is a new complaint -----------------------------------------------------------
async def lamp_rated(http, svc, clock, resident: str) -> str:  # noqa: F811
    """A street-light complaint marked done, said fixed and rated 5: "Ada komentar?" is asked."""
    await enrol(http, svc, f"dishub-{resident}", opd="dishub")
    number = await file_complaint(http, svc.url, resident, LAMP)
    clock.now += timedelta(hours=2)
    await say(http, svc.url, f"dishub-{resident}", f"/selesai {number} Lampu sudah diganti")
    await say(http, svc.url, resident, "sudah beres pak")
    assert "Ada komentar" in texts(await say(http, svc.url, resident, "5"))
    return number


@pytest.mark.parametrize("minutes", [5, 120])  # at "Ada komentar?", and after its wait is over
async def test_a_complaint_on_another_topic_after_a_rating_starts_anew(svc, http, clock, minutes):  # noqa: F811
    number = await lamp_rated(http, svc, clock, "w3a")
    clock.now += timedelta(minutes=minutes)
    replies = await say(http, svc.url, "w3a", "sampah menumpuk di depan balai desa puri sudah seminggu tidak diangkut")
    said = texts(replies)
    assert "*DLH*" in said and "btn:yes" in payloads(replies), said
    assert "buka kembali" not in said and "masukan Anda" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == STATUS_CLOSED and ticket.rating == 5 and ticket.rating_comment is None
    assert await svc.store.ticket_events(number, "reopened") == []


async def test_the_same_topic_after_a_rating_still_reopens(svc, http, clock):  # noqa: F811
    number = await lamp_rated(http, svc, clock, "w3b")
    clock.now += timedelta(minutes=10)
    said = texts(await say(http, svc.url, "w3b", "lampunya mati lagi pak"))
    assert f"Aduan *{number}* kami buka kembali" in said, said
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS


async def test_not_fixed_words_on_another_topic_of_the_same_office_start_anew(svc, http, clock):  # noqa: F811
    """A street light done, "Sudah beres?" asked: a broken traffic light (Dishub too) is a new complaint."""
    await enrol(http, svc, "dishub-w3c", opd="dishub")
    number = await file_complaint(http, svc.url, "w3c", LAMP)
    await say(http, svc.url, "dishub-w3c", f"/selesai {number} Lampu sudah diganti")
    words = "lampu merah di perempatan pasar puri mati sudah tiga hari tidak diperbaiki"
    replies = await say(http, svc.url, "w3c", words)
    said = texts(replies)
    assert "buka kembali" not in said and "Lampu lalu lintas" in said and "btn:yes" in payloads(replies), said
    assert (await svc.store.get_ticket(number)).status == STATUS_DONE


# --- 4. a status question with news -------------------------------------------------------------------------------
async def test_a_status_question_with_news_shows_the_status_and_tells_the_officer(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-w4")
    number = await file_complaint(http, svc.url, "w4")
    words = f"{number} kapan diperbaiki pak? sudah ada yang jatuh"
    said = texts(await say(http, svc.url, "w4", words))
    assert f"Status tiket *{number}*" in said and "sudah kami teruskan ke petugas Dinas PUPR" in said, said
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [words]
    assert await wait_for(lambda: officer_said(svc, "pupr-w4", "sudah ada yang jatuh"))


async def test_a_status_question_alone_only_shows_the_status(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-w4b")
    number = await file_complaint(http, svc.url, "w4b")
    said = texts(await say(http, svc.url, "w4b", f"{number} kapan diperbaiki pak? sudah seminggu lebih"))
    assert f"Status tiket *{number}*" in said and "teruskan" not in said, said
    assert await svc.store.ticket_events(number, "message_in") == []


async def officer_said(svc, officer: str, words: str) -> bool:  # noqa: F811
    return any(words in m["text"] for m in await mailbox(svc.store, f"webchat:{officer}"))
