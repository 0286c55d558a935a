"""Conversations that never lose or twist what a resident says (issue 12), through the real REST endpoint.

Answers to an officer reach the ticket; emergencies give numbers first and are filed at once; every step
checks its answer (cancel words, greetings, questions); topics are corrected in the resident's words;
language, reopening, the regent's confirmation and "aduan saya".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.directory import Directory, DirectoryError
from bot.message import utcnow
from bot.store.base import STATUS_DONE, STATUS_IN_PROGRESS, Changes, Conversation
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.harness import (
    edited_content,
    mailbox,
    make_settings,
    payloads,
    photo_jpeg,
    running_service,
    say,
    texts,
    upload,
    wait_for,
)


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def officer_texts(svc, key: str) -> list[str]:
    return [m["text"] for m in await mailbox(svc.store, key)]


async def tickets_of(svc, sender: str) -> list:
    return await svc.store.recent_tickets(f"webchat:{sender}", 50)


# --- 1. answers to an officer ---------------------------------------------------------------------
ANSWERS = [
    "iya pak, nomor sy 081234567890",
    "nama saya Dewi",
    "sudah parah sejak bulan lalu",
    "terima kasih pak, kapan diperbaiki?",
    "kapan petugas datang? lubangnya makin besar",
]


async def test_every_realistic_answer_to_an_officer_reaches_the_ticket(svc, http):
    await enrol(http, svc, "pupr-1")
    number = await file_complaint(http, svc.url, "dewi")
    await say(http, svc.url, "pupr-1", f"/balas {number} Mohon info nomor HP yg bisa dihubungi")
    replies = await say(http, svc.url, "dewi", "halo")  # the page's greeting after a reload
    assert "menunggu jawaban Anda" in texts(replies) and number in texts(replies)
    for answer in ANSWERS:
        replies = await say(http, svc.url, "dewi", answer)
        assert number in texts(replies) and "Sama-sama" not in texts(replies), (answer, texts(replies))

    async def officer_has_all():
        got = "\n".join(await officer_texts(svc, "webchat:pupr-1"))
        return all(a in got for a in ANSWERS)

    await wait_for(officer_has_all)
    with_number = f"{number} sudah sy kirim fotonya lewat WA pak"
    assert number in texts(await say(http, svc.url, "dewi", with_number))
    kept = [e.text for e in await svc.store.ticket_events(number, "message_in")]
    assert kept == [*ANSWERS, with_number]
    replies = await say(http, svc.url, "dewi", number)  # the number alone still shows the status
    assert "Status tiket" in texts(replies)
    assert len(await tickets_of(svc, "dewi")) == 1  # nothing became a new complaint


async def test_a_question_the_bot_can_answer_is_answered_not_forwarded(svc, http):
    await enrol(http, svc, "pupr-2")
    number = await file_complaint(http, svc.url, "rina")
    await say(http, svc.url, "pupr-2", f"/balas {number} Kami cek minggu ini")
    replies = await say(http, svc.url, "rina", "syarat bikin ktp apa ya?")
    assert "Kartu Keluarga" in texts(replies) and number not in texts(replies)
    assert await svc.store.ticket_events(number, "message_in") == []


async def test_when_unsure_the_bot_asks_before_forwarding(svc, http):
    await enrol(http, svc, "pupr-3")
    number = await file_complaint(http, svc.url, "sari")
    await say(http, svc.url, "pupr-3", f"/balas {number} Mohon foto lubangnya")
    other = "lampu jalan di depan masjid desa Puri mati sudah dua minggu gelap sekali"
    replies = await say(http, svc.url, "sari", other)
    assert "Teruskan" in texts(replies) and payloads(replies) == ["btn:forward", "btn:not_forward"]
    replies = await say(http, svc.url, "sari", "btn:forward")
    assert number in texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [other]

    await say(http, svc.url, "sari", other)
    replies = await say(http, svc.url, "sari", "btn:not_forward")  # a new complaint after all
    assert "Dishub" in texts(replies) or "topic:aduan_lampu_jalan" in payloads(replies), texts(replies)
    assert len(await svc.store.ticket_events(number, "message_in")) == 1


async def test_after_an_officer_acts_answers_go_to_the_ticket_and_other_words_are_asked_about(svc, http):
    await enrol(http, svc, "pupr-4")
    number = await file_complaint(http, svc.url, "budi")
    await say(http, svc.url, "pupr-4", f"/proses {number}")
    replies = await say(http, svc.url, "budi", "sudah makin parah sejak kemarin pak")
    assert number in texts(replies)
    replies = await say(http, svc.url, "budi", "jalan lain di desa sebelah juga berlubang parah sekali")
    assert payloads(replies) == ["btn:forward", "btn:not_forward"]
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [
        "sudah makin parah sejak kemarin pak"]


# --- 2. emergencies -------------------------------------------------------------------------------
async def test_a_fire_gets_the_numbers_first_and_is_filed_and_alerted_at_once(svc, http):
    await enrol(http, svc, "damkar-1", opd="damkar")
    await enrol(http, svc, "ajudan-1", role="regent", opd=None)
    replies = await say(http, svc.url, "korban", "rumah warga kebakaran, api besar")
    first = replies[0]["text"]
    assert "112" in first and "(0321) 113 113" in first and "BPBD" in first  # from content/directory.yml
    number = TICKET.search(texts(replies)).group(0)
    ticket = await svc.store.get_ticket(number)
    assert ticket.priority == "darurat" and ticket.opd_id == "damkar" and ticket.location is None
    assert "batas waktu" not in texts(replies).lower()
    await wait_for(lambda: officer_texts(svc, "webchat:damkar-1"))
    assert any(number in t for t in await wait_for(lambda: officer_texts(svc, "webchat:ajudan-1")))

    replies = await say(http, svc.url, "korban", "Dusun Krajan, Desa Puri, dekat masjid")
    assert "lokasi" in texts(replies).lower()
    assert (await svc.store.get_ticket(number)).location == {"address": "Dusun Krajan, Desa Puri, dekat masjid"}
    replies = await upload(http, svc.url, "korban", photo_jpeg())
    assert number in texts(replies)
    assert len((await svc.store.get_ticket(number)).media) == 1

    async def officer_got_place_and_photo():
        got = await mailbox(svc.store, "webchat:damkar-1")
        return any("Dusun Krajan" in m["text"] for m in got) and any(m.get("image") for m in got)

    await wait_for(officer_got_place_and_photo)
    replies = await say(http, svc.url, "korban", "btn:skip")
    assert (await svc.store.get_conversation("webchat:korban")).state.get("flow") is None


async def test_a_landslide_with_people_buried_goes_to_bpbd_at_once(svc, http):
    replies = await say(http, svc.url, "warga-l", "longsor nimpa rumah, ada org ketimbun")
    assert "112" in replies[0]["text"]
    ticket = await svc.store.get_ticket(TICKET.search(texts(replies)).group(0))
    assert ticket.opd_id == "bpbd" and ticket.priority == "darurat"


async def test_a_serious_accident_gets_the_numbers_and_a_report(svc, http):
    replies = await say(http, svc.url, "saksi", "kecelakaan parah di jalan raya Sooko, korban tidak sadarkan diri")
    assert "119" in replies[0]["text"]
    ticket = await svc.store.get_ticket(TICKET.search(texts(replies)).group(0))
    assert ticket.priority == "darurat" and ticket.opd_id == "dinas-kesehatan"


async def test_emergency_numbers_are_edited_in_the_directory(tmp_path: Path, nlu_model_path: Path, http):
    content = edited_content(tmp_path, '"(0321) 113 113"', '"(0321) 555 113"')
    async with running_service(make_settings(tmp_path, WARGA_CONTENT_DIR=str(content))) as svc:
        replies = await say(http, svc.url, "w", "tolong ada kebakaran di gudang, api sudah besar")
        assert "(0321) 555 113" in replies[0]["text"]


def test_an_emergency_sign_for_the_wrong_agency_stops_the_start(tmp_path: Path):
    sign = "\n      topic: aduan_longsor"
    content = edited_content(tmp_path, "    - opd: bpbd" + sign, "    - opd: dlh" + sign)
    with pytest.raises(DirectoryError, match=r"directory.yml: line \d+: .*aduan_longsor.* not routed to dlh"):
        Directory.load(content / "directory.yml")


async def test_an_ordinary_question_about_the_fire_brigade_is_no_emergency(svc, http):
    await say(http, svc.url, "tanya", "rumah saya sudah tidak terbakar lagi, apinya padam")
    assert await tickets_of(svc, "tanya") == []


# --- 3. every step checks its answer --------------------------------------------------------------
async def at_location_step(http, svc, sender: str) -> None:
    await say(http, svc.url, sender, "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, sender, "btn:yes")
    assert "lokasi" in texts(replies).lower()


@pytest.mark.parametrize("words", ["batal", "gajadi", "ga jadi deh", "keluar", "cancel", "stop", "mboten sido"])
async def test_cancel_words_leave_the_flow_at_any_step(svc, http, words):
    await at_location_step(http, svc, "c1")
    replies = await say(http, svc.url, "c1", words)
    assert "dibatalkan" in texts(replies) or "cancelled" in texts(replies)  # "stop" and "cancel" are English
    state = (await svc.store.get_conversation("webchat:c1")).state
    assert "flow" not in state and "draft" not in state


async def test_a_question_at_the_location_step_is_answered_and_never_saved_as_the_place(svc, http):
    await at_location_step(http, svc, "q1")
    replies = await say(http, svc.url, "q1", "syarat bikin ktp apa ya?")
    assert "Kartu Keluarga" in texts(replies) and "lokasi" in texts(replies).lower()
    replies = await say(http, svc.url, "q1", "kapan ini diperbaiki?")  # asked of a complaint not sent yet: it says so
    assert "belum terkirim" in texts(replies) and "btn:resume" in payloads(replies), texts(replies)
    await say(http, svc.url, "q1", "btn:resume")
    replies = await say(http, svc.url, "q1", "lho kok ga bisa sih?")  # a question the bot cannot answer
    assert "belum berupa lokasi" in texts(replies), texts(replies)
    for message in ("Desa Sooko RT 02", "lewati"):
        replies = await say(http, svc.url, "q1", message)
    replies = await say(http, svc.url, "q1", "privacy:publik")
    assert "Lokasi: Desa Sooko RT 02" in texts(replies)


async def test_the_pages_greeting_never_answers_a_step_and_the_resident_can_continue(svc, http):
    await at_location_step(http, svc, "g1")
    replies = await say(http, svc.url, "g1", "halo")  # the web page greets automatically on reload
    assert "Jalan rusak" in texts(replies) and "lokasi" in texts(replies).lower()
    assert payloads(replies) == ["btn:resume", "btn:restart", "btn:cancel"]
    replies = await say(http, svc.url, "g1", "btn:resume")
    assert "Apakah lokasinya di *desa Sooko*" in texts(replies)  # the place the report names, offered again
    await say(http, svc.url, "g1", "Desa Sooko RT 02")
    await say(http, svc.url, "g1", "lewati")
    replies = await say(http, svc.url, "g1", "privacy:publik")
    assert "Lokasi: Desa Sooko RT 02" in texts(replies) and "halo" not in texts(replies).lower()
    replies = await say(http, svc.url, "g1", "selamat pagi")
    replies = await say(http, svc.url, "g1", "btn:restart")
    assert "ceritakan" in texts(replies).lower()


async def test_the_pages_greeting_never_becomes_a_message_to_the_regent(svc, http):
    await enrol(http, svc, "ajudan-2", role="regent", opd=None)
    await say(http, svc.url, "g2", "/bupati")
    replies = await say(http, svc.url, "g2", "halo")
    assert "btn:resume" in payloads(replies)
    assert await tickets_of(svc, "g2") == []
    assert await mailbox(svc.store, "webchat:ajudan-2") == []


async def test_a_conversation_saved_in_the_old_shape_goes_on(svc, http):
    """A resident mid-flow during the upgrade: the draft was stored under state["c"]."""
    old = Conversation(key="webchat:lama", state={
        "flow": "complaint", "step": "location",
        "c": {"text": "jalan di desa Sooko rusak parah banyak lubang", "topic": "aduan_jalan_rusak",
              "opd": "dinas-pupr", "confidence": 0.97, "routed_by": "nlu", "media": [],
              "ranking": [["aduan_jalan_rusak", 0.97]]},
    }, updated_at=utcnow())
    await svc.store.commit(Changes(conversation=old))
    replies = await say(http, svc.url, "lama", "Desa Sooko RT 02")
    assert "btn:skip" in payloads(replies)
    await say(http, svc.url, "lama", "btn:skip")
    await say(http, svc.url, "lama", "privacy:publik")
    replies = await say(http, svc.url, "lama", "btn:send")
    ticket = await svc.store.get_ticket(TICKET.search(texts(replies)).group(0))
    assert ticket.topic == "aduan_jalan_rusak" and ticket.text.startswith("jalan di desa Sooko")
    assert ticket.location == {"address": "Desa Sooko RT 02"}


# --- 4. topic correction --------------------------------------------------------------------------
async def test_the_resident_types_the_right_topic_in_their_own_words(svc, http):
    await say(http, svc.url, "t1", "sapi warga banyak yang sakit mulutnya berbusa di desa Sooko")
    replies = await say(http, svc.url, "t1", "bukan, harusnya ke dinas peternakan")
    assert "Dinas Pertanian" in texts(replies) and "lokasi" in texts(replies).lower()
    draft = (await svc.store.get_conversation("webchat:t1")).state["draft"]
    assert draft["opd"] == "dinas-pertanian" and draft["routed_by"] == "resident"


async def test_change_topic_keeps_the_current_choice_visible_and_offers_the_full_list(svc, http):
    await say(http, svc.url, "t2", "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, "t2", "btn:change_topic")
    assert "Pilihan sekarang: *Jalan rusak*" in texts(replies)
    assert {"btn:yes", "btn:all_topics", "topic:lainnya"} <= set(payloads(replies))
    replies = await say(http, svc.url, "t2", "btn:all_topics")
    assert "*Dishub*" in texts(replies) and "Lampu penerangan jalan" in texts(replies) and "*BPBD*" in texts(replies)
    listed = re.search(r"(\d+)\. Lampu penerangan jalan", texts(replies)).group(1)
    replies = await say(http, svc.url, "t2", listed)  # the number in the full list
    assert "Dishub" in texts(replies) and "lokasi" in texts(replies).lower()


# --- 5. language ----------------------------------------------------------------------------------
async def test_an_english_speaker_stays_english_to_the_end(svc, http):
    await enrol(http, svc, "pupr-en")
    replies = await say(http, svc.url, "tourist", "the road in Sooko village is badly damaged with many potholes")
    # in English either way: sure of the OPD (asks to confirm it) or not (asks which agency)
    assert "will go to *Dinas PUPR*" in texts(replies) or "agency" in texts(replies), texts(replies)
    pick = "btn:yes" if "btn:yes" in payloads(replies) else "topic:aduan_jalan_rusak"
    replies = await say(http, svc.url, "tourist", pick)
    assert "Is it at *Sooko village*?" in texts(replies), texts(replies)  # the place the report names, in English
    replies = await say(http, svc.url, "tourist", "Sooko village, near the mosque")
    assert "photo" in texts(replies)
    await say(http, svc.url, "tourist", "btn:skip")
    await say(http, svc.url, "tourist", "privacy:publik")
    replies = await say(http, svc.url, "tourist", "btn:send")
    assert "your complaint is recorded" in texts(replies)
    number = TICKET.search(texts(replies)).group(0)
    assert (await svc.store.get_ticket(number)).lang == "en"
    await say(http, svc.url, "pupr-en", f"/balas {number} Tim kami akan datang besok")
    relayed = await wait_for(lambda: mailbox(svc.store, "webchat:tourist"))
    assert relayed[-1]["text"].startswith("Answer from") and "Tim kami akan datang besok" in relayed[-1]["text"]


async def test_a_javanese_speaker_is_answered_in_indonesian(svc, http):
    replies = await say(http, svc.url, "jawa", "dalan ing desa Sooko rusak parah akeh bolongan, mbok didandani")
    assert "Aduan Anda" in texts(replies) or "Kami belum yakin" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "jawa", "mboten sido")
    assert "dibatalkan" in texts(replies)


# --- 6. "Sudah beres?" and reopening in words -----------------------------------------------------
async def done_by_officer(http, svc, officer: str, resident: str) -> str:
    await enrol(http, svc, officer)
    number = await file_complaint(http, svc.url, resident)
    await say(http, svc.url, officer, f"/selesai {number} Sudah diperbaiki")

    async def asked():
        items = await mailbox(svc.store, f"webchat:{resident}")
        return [i for i in items if [b["payload"] for b in i.get("buttons", [])]
                == [f"fixed:{number}:yes", f"fixed:{number}:no"]]

    notice = (await wait_for(asked))[-1]
    assert "Sudah beres?" in notice["text"]
    return number


async def test_not_fixed_in_words_reopens_the_ticket_and_tells_the_opd(svc, http):
    number = await done_by_officer(http, svc, "pupr-r1", "r1")
    replies = await say(http, svc.url, "r1", "belum selesai pak, jembatannya masih ambrol")
    assert number in texts(replies) and "buka kembali" in texts(replies)
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS
    assert len(await tickets_of(svc, "r1")) == 1  # not a new complaint

    async def opd_told():
        got = "\n".join(await officer_texts(svc, "webchat:pupr-r1"))
        return "dibuka kembali" in got and "masih ambrol" in got

    await wait_for(opd_told)


async def test_not_fixed_after_rating_reopens_instead_of_being_a_comment(svc, http):
    number = await done_by_officer(http, svc, "pupr-r3", "r3")
    await say(http, svc.url, "r3", f"fixed:{number}:yes")
    await say(http, svc.url, "r3", f"nilai:{number}:1")
    replies = await say(http, svc.url, "r3", "lubangnya masih ada pak, cuma ditutup tanah")
    assert "buka kembali" in texts(replies)
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == STATUS_IN_PROGRESS and ticket.rating_comment is None


async def test_not_yet_button_reopens_and_yes_asks_for_a_rating(svc, http):
    number = await done_by_officer(http, svc, "pupr-r2", "r2")
    replies = await say(http, svc.url, "r2", f"fixed:{number}:no")
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS and "buka kembali" in texts(replies)

    async def opd_told():
        return any("dibuka kembali" in t for t in await officer_texts(svc, "webchat:pupr-r2"))

    await wait_for(opd_told)
    await say(http, svc.url, "pupr-r2", f"/selesai {number} Sudah diganti baru")
    assert (await svc.store.get_ticket(number)).status == STATUS_DONE
    replies = await say(http, svc.url, "r2", "sudah pak")  # typed instead of the button
    assert f"nilai:{number}:5" in payloads(replies)
    replies = await say(http, svc.url, "r2", "4")
    assert "4/5" in texts(replies)


async def test_a_photo_the_officer_asked_for_goes_to_the_ticket(svc, http):
    await enrol(http, svc, "pupr-5")
    number = await file_complaint(http, svc.url, "foto")
    await say(http, svc.url, "pupr-5", f"/balas {number} Mohon foto lubangnya")
    replies = await upload(http, svc.url, "foto", photo_jpeg())
    assert number in texts(replies)
    assert len((await svc.store.get_ticket(number)).media) == 1

    async def officer_got_photo():
        return [m for m in await mailbox(svc.store, "webchat:pupr-5") if m.get("image")]

    await wait_for(officer_got_photo)


async def test_a_new_complaint_typed_at_the_location_step_is_not_taken_as_the_place(svc, http):
    await at_location_step(http, svc, "n1")
    replies = await say(http, svc.url, "n1", "sampah numpuk di pinggir jalan dekat pasar sudah seminggu tidak diangkut")
    assert "btn:restart" in payloads(replies) and "Lokasi" not in texts(replies)
    replies = await say(http, svc.url, "n1", "btn:restart")
    assert "DLH" in texts(replies), texts(replies)


# --- 7. the regent ------------------------------------------------------------------------------------
async def test_a_question_about_the_regent_is_answered_not_forwarded(svc, http):
    await enrol(http, svc, "ajudan-3", role="regent", opd=None)
    replies = await say(http, svc.url, "p1", "siapa bupati sekarang")
    assert "H. Ahmad Warga" in texts(replies)
    state = (await svc.store.get_conversation("webchat:p1")).state
    assert state.get("flow") is None and await tickets_of(svc, "p1") == []


async def test_the_regent_flow_shows_the_message_before_sending(svc, http):
    await enrol(http, svc, "ajudan-4", role="regent", opd=None)
    await say(http, svc.url, "p2", "/bupati")
    message = "Mohon perhatian untuk guru honorer di desa kami yang belum digaji tiga bulan"
    replies = await say(http, svc.url, "p2", message)
    assert message in texts(replies) and payloads(replies) == ["btn:send", "btn:edit", "btn:cancel"]
    assert await tickets_of(svc, "p2") == []
    replies = await say(http, svc.url, "p2", "btn:send")
    number = TICKET.search(texts(replies)).group(0)
    cards = await wait_for(lambda: mailbox(svc.store, "webchat:ajudan-4"))
    assert number in cards[-1]["text"] and "guru honorer" in cards[-1]["text"]


# --- 8. "aduan saya" ----------------------------------------------------------------------------------
async def test_aduan_saya_lists_only_the_residents_own_tickets(svc, http):
    first = await file_complaint(http, svc.url, "m1")
    second = await file_complaint(http, svc.url, "m1", text="sampah numpuk di pinggir jalan dekat pasar sudah seminggu")
    replies = await say(http, svc.url, "m1", "aduan saya")
    assert first in texts(replies) and second in texts(replies) and "Jalan rusak" in texts(replies)
    assert "Diterima" in texts(replies)
    replies = await say(http, svc.url, "m2", "my complaints")
    assert first not in texts(replies) and "no complaints" in texts(replies)
