"""Turns found by a seventh exploratory session, a resident who comes back over several days, each through the real
service: "ya" typed to "Teruskan ke petugas?" passes the held message on (not the word "ya"), a typed refusal
handles it as a new message and "batal" lets it go; a ticket number with more words adds them to that ticket; a
resident asks for a complaint to be withdrawn and its officer is told; everyday follow-up questions get the status.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.message import Attachment, Message
from tests.core.test_conversations import tickets_of
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, make_settings, payloads, photo_jpeg, running_service, say, texts, wait_for

OTHER = "lampu jalan di depan masjid desa Puri mati sudah dua minggu gelap sekali"


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def asked_and_held(http, svc, officer: str, resident: str) -> str:
    """A complaint filed, its officer asks something, and the resident writes about another matter: the bot holds
    it and asks whether to pass it on."""
    await enrol(http, svc, officer)
    number = await file_complaint(http, svc.url, resident)
    await say(http, svc.url, officer, f"/balas {number} Mohon foto lubangnya")
    replies = await say(http, svc.url, resident, OTHER)
    assert "Teruskan" in texts(replies) and payloads(replies) == ["btn:forward", "btn:not_forward"], texts(replies)
    return number


async def officer_heard(svc, officer: str, words: str) -> bool:
    return any(words in i["text"] for i in await mailbox(svc.store, f"webchat:{officer}"))


@pytest.mark.parametrize("typed", ["ya", "iya teruskan", "✅ Ya, teruskan ke petugas"])
async def test_yes_typed_to_the_forward_question_passes_the_held_message_on(svc, http, typed: str):
    number = await asked_and_held(http, svc, "pupr-ya", "sari")
    replies = await say(http, svc.url, "sari", typed)
    assert number in texts(replies) and "teruskan" in texts(replies).lower(), texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [OTHER]
    await wait_for(lambda: officer_heard(svc, "pupr-ya", "masjid desa Puri"))


@pytest.mark.parametrize("typed", ["bukan, itu laporan baru", "bukan", "Bukan, ini hal lain", "no, something else"])
async def test_a_typed_refusal_handles_the_held_message_as_a_new_one(svc, http, typed: str):
    number = await asked_and_held(http, svc, "pupr-no", "dewi")
    replies = await say(http, svc.url, "dewi", typed)
    said = texts(replies)
    assert "Teruskan" not in said, said
    assert "Dishub" in said or "topic:aduan_lampu_jalan" in payloads(replies) or "btn:yes" in payloads(replies), said
    assert await svc.store.ticket_events(number, "message_in") == []


async def test_cancel_typed_to_the_forward_question_lets_the_message_go(svc, http):
    number = await asked_and_held(http, svc, "pupr-batal", "wati")
    replies = await say(http, svc.url, "wati", "batal")
    assert "tidak kami teruskan" in texts(replies) and number in texts(replies), texts(replies)
    assert await svc.store.ticket_events(number, "message_in") == []
    assert len(await tickets_of(svc, "wati")) == 1


async def test_a_ticket_number_with_more_words_adds_them_to_that_ticket(svc, http):
    await enrol(http, svc, "pupr-more")
    number = await file_complaint(http, svc.url, "joko")
    words = f"{number} sekarang ada genangan air di lubangnya, bahaya buat motor"
    replies = await say(http, svc.url, "joko", words)
    assert number in texts(replies) and "teruskan" in texts(replies).lower(), texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [words]
    await wait_for(lambda: officer_heard(svc, "pupr-more", "genangan air"))
    replies = await say(http, svc.url, "joko", f"cek status {number}")  # a status question still shows the status
    assert "Status tiket" in texts(replies), texts(replies)
    assert len(await svc.store.ticket_events(number, "message_in")) == 1


async def test_someone_elses_number_with_words_reveals_and_adds_nothing(svc, http):
    number = await file_complaint(http, svc.url, "pemilik")
    replies = await say(http, svc.url, "orang-lain", f"{number} sekarang lubangnya makin besar dan dalam sekali")
    said = texts(replies)
    assert "Desa Sooko" not in said and "Status tiket" not in said and number not in said, said
    assert await svc.store.ticket_events(number, "message_in") == []


async def test_a_ticket_number_with_a_progress_question_shows_the_status(svc, http):
    number = await file_complaint(http, svc.url, "nanya")
    replies = await say(http, svc.url, "nanya", f"{number} kok belum ada kabar ya pak")
    assert "Status tiket" in texts(replies), texts(replies)
    assert await svc.store.ticket_events(number, "message_in") == []


async def test_a_withdrawal_is_confirmed_then_reaches_the_officer_with_the_reason(svc, http):
    await enrol(http, svc, "pupr-tarik")
    number = await file_complaint(http, svc.url, "rudi")
    words = "tolong laporan saya dibatalkan saja, sudah diperbaiki swadaya warga"
    replies = await say(http, svc.url, "rudi", words)
    said = texts(replies)
    assert number in said and "ditutup?" in said and payloads(replies) == ["btn:withdraw_yes", "btn:withdraw_no"], said
    assert await svc.store.ticket_events(number, "message_in") == []  # nothing is passed on before the yes
    replies = await say(http, svc.url, "rudi", "btn:withdraw_yes")
    assert number in texts(replies) and "menutup" in texts(replies), texts(replies)
    events = await svc.store.ticket_events(number, "message_in")
    assert [e.text for e in events] == [words] and events[0].data.get("withdrawal") is True
    await wait_for(lambda: officer_heard(svc, "pupr-tarik", "meminta aduannya ditutup"))
    assert (await svc.store.get_ticket(number)).status in ("baru", "diproses")

    # With two open complaints the resident is asked which (not the one already asked to be closed); the number
    # with the words then does it, once confirmed.
    second = await file_complaint(http, svc.url, "rudi", "sampah menumpuk di pinggir jalan desa Sooko sudah seminggu")
    third = await file_complaint(http, svc.url, "rudi", "lampu penerangan jalan di depan balai desa Sooko mati")
    replies = await say(http, svc.url, "rudi", "aduan saya dicabut saja")
    assert third in texts(replies) and second in texts(replies) and "mana" in texts(replies), texts(replies)
    assert number not in texts(replies)
    # one button each, carrying the words: a tap asks to confirm that one
    assert sorted(payloads(replies)) == sorted(f"{n} aduan saya dicabut saja" for n in (second, third))
    tapped = await say(http, svc.url, "rudi", f"{second} aduan saya dicabut saja")
    assert second in texts(tapped) and "btn:withdraw_yes" in payloads(tapped), texts(tapped)
    replies = await say(http, svc.url, "rudi", f"saya mau cabut aduan {second}, sampahnya sudah diangkut")
    assert second in texts(replies) and "btn:withdraw_yes" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "rudi", "tidak")  # changed their mind
    assert "tetap berjalan" in texts(replies), texts(replies)
    assert await svc.store.ticket_events(second, "message_in") == []


@pytest.mark.parametrize("typed", ["saya mau aduan, bansos saya ditarik kembali oleh kades",
                                   "kenapa laporan saya dibatalkan?", "jangan dibatalkan laporan saya"])
async def test_words_about_something_withdrawn_are_no_withdrawal(svc, http, typed: str):
    number = await file_complaint(http, svc.url, "bukan-tarik")
    replies = await say(http, svc.url, "bukan-tarik", typed)
    assert "btn:withdraw_yes" not in payloads(replies), texts(replies)
    assert await svc.store.ticket_events(number, "message_in") == [] or "menutup" not in texts(replies)


@pytest.mark.parametrize("typed", ["sudah ada tindak lanjut belum", "woy jalan yg kmrn lapor udh diurus blm sih",
                                   "any update on my complaint?"])
async def test_everyday_follow_up_questions_get_the_status(svc, http, typed: str):
    number = await file_complaint(http, svc.url, "tanya")
    replies = await say(http, svc.url, "tanya", typed)
    assert number in texts(replies) and ("Status" in texts(replies) or "status" in texts(replies)), texts(replies)
    assert len(await tickets_of(svc, "tanya")) == 1


# --- English: the place a report names, a privacy word at the location step, a place corrected later ---------
ENGLISH = "the street light in front of my house at Sooko village has been broken for a week"


async def test_english_report_offers_its_place_and_a_privacy_word_is_not_taken_for_one(svc, http):
    await say(http, svc.url, "eng", ENGLISH)
    replies = await say(http, svc.url, "eng", "topic:aduan_lampu_jalan")
    assert "*Sooko village*" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "eng", "public")
    assert "in a moment" in texts(replies) and "where is it" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "eng", "near the mosque of Sooko village, Sooko district")
    assert "photo" in texts(replies), texts(replies)


@pytest.mark.parametrize(("sender", "fix", "place"), [
    ("eng-fix", "the location is wrong, it's in Sooko village near the mosque", "Sooko village near the mosque"),
    ("id-fix", "lokasinya salah, harusnya di Desa Sooko dekat masjid", "Desa Sooko dekat masjid"),
])
async def test_a_place_corrected_at_the_privacy_step_is_kept_and_the_step_asked_again(svc, http, sender: str,
                                                                                    fix: str, place: str):
    await say(http, svc.url, sender, ENGLISH if sender.startswith("eng") else
              "lampu jalan di depan rumah saya di Desa Puri mati sudah seminggu")
    await say(http, svc.url, sender, "topic:aduan_lampu_jalan")
    await say(http, svc.url, sender, "Puri village, RT 01" if sender.startswith("eng") else "Desa Puri RT 01")
    replies = await say(http, svc.url, sender, "btn:skip")
    assert "privacy:publik" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, sender, fix)
    assert place in texts(replies) and "privacy:publik" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, sender, "privacy:publik")
    assert place in texts(replies) and "btn:send" in payloads(replies), texts(replies)


async def test_words_about_another_open_complaint_ask_which_complaint_they_are_for(svc, http):
    await enrol(http, svc, "pupr-dua")
    road = await file_complaint(http, svc.url, "sari2")
    lamp = await file_complaint(http, svc.url, "sari2", OTHER)
    assert (await svc.store.get_ticket(lamp)).opd_id == "dishub"
    await say(http, svc.url, "pupr-dua", f"/balas {road} Mohon foto lubangnya")
    replies = await say(http, svc.url, "sari2", "ini foto lampu yang mati")
    said = texts(replies)
    assert road in said and lamp in said, said
    assert payloads(replies) == ["btn:forward", "btn:forward_other", "btn:not_forward"], payloads(replies)
    replies = await say(http, svc.url, "sari2", "btn:forward_other")
    assert lamp in texts(replies), texts(replies)
    assert [e.text for e in await svc.store.ticket_events(lamp, "message_in")] == ["ini foto lampu yang mati"]
    assert await svc.store.ticket_events(road, "message_in") == []
    # An answer that reads as the road's still goes to the road's officer at once.
    await say(http, svc.url, "sari2", "lubangnya sudah saya foto pak, dalamnya 20 cm")
    assert len(await svc.store.ticket_events(road, "message_in")) == 1

    # A photo sent with such words waits with them; a bare "ya" does not say which, the number does.
    replies = await svc.dialogue.handle(Message(
        channel="webchat", sender_id="sari2", text="ini foto lampu yang mati",
        attachments=(Attachment(kind="photo", mime="image/jpeg", data=photo_jpeg((60, 40))),)))
    assert "btn:forward_other" in [b.payload.split("#")[0] for r in replies for b in r.buttons], replies
    replies = await say(http, svc.url, "sari2", "ya")
    assert "pilih salah satu" in texts(replies).lower(), texts(replies)
    replies = await say(http, svc.url, "sari2", f"yang {lamp}")
    assert lamp in texts(replies), texts(replies)
    events = await svc.store.ticket_events(lamp, "message_in")
    assert len(events) == 2 and len(events[1].data.get("media") or []) == 1, events
    assert len((await svc.store.get_ticket(lamp)).media) == 1


async def test_more_words_after_a_refusal_word_are_not_a_refusal(svc, http):
    number = await asked_and_held(http, svc, "pupr-lagi", "tono")
    replies = await say(http, svc.url, "tono", "gak cuma itu, got depan rumah juga mampet airnya meluap")
    said = texts(replies)
    assert "got depan rumah" in " ".join(e.text or "" for e in await svc.store.ticket_events(number, "message_in")) \
        or "Teruskan" in said or "btn:yes" in payloads(replies) or "topic:" in " ".join(payloads(replies)), said


async def test_a_status_question_with_several_tickets_lists_them_and_a_topic_word_picks_one(svc, http):
    road = await file_complaint(http, svc.url, "banyak")
    lamp = await file_complaint(http, svc.url, "banyak", OTHER)
    replies = await say(http, svc.url, "banyak", "nomor laporan saya berapa ya")
    said = texts(replies)
    assert road in said and lamp in said and "Lampu" in said and "Jalan" in said, said
    assert f"/status {lamp}" in payloads(replies) and f"/status {road}" in payloads(replies)
    replies = await say(http, svc.url, "banyak", "laporan saya yang lampu gimana?")
    assert "Status tiket" in texts(replies) and lamp in texts(replies) and road not in texts(replies), texts(replies)


async def test_thanks_after_a_finished_complaint_reach_its_officer_and_a_bare_thanks_stays_with_the_bot(svc, http):
    from tests.core.test_fifth_look import done_and_asked

    await enrol(http, svc, "pupr-makasih")
    number = await done_and_asked(http, svc, "pupr-makasih", "ani")
    replies = await say(http, svc.url, "ani", "terima kasih petugasnya ramah sekali")
    assert "sudah kami sampaikan" in texts(replies), texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "thanks")] == ["terima kasih petugasnya ramah sekali"]
    await wait_for(lambda: officer_heard(svc, "pupr-makasih", "petugasnya ramah"))
    replies = await say(http, svc.url, "ani", "makasih")
    assert "Sama-sama" in texts(replies) and "sampaikan" not in texts(replies), texts(replies)
    assert len(await svc.store.ticket_events(number, "thanks")) == 1


async def _to_summary(http, svc, sender: str, text: str) -> list:
    replies = await say(http, svc.url, sender, text)
    assert "btn:yes" in payloads(replies), texts(replies)
    await say(http, svc.url, sender, "btn:yes")
    await say(http, svc.url, sender, "Desa Sooko RT 02 RW 01, depan balai desa")
    await say(http, svc.url, sender, "btn:skip")
    return await say(http, svc.url, sender, "privacy:publik")


async def test_the_same_matter_reported_again_is_offered_to_join_the_open_complaint(svc, http):
    await enrol(http, svc, "pupr-sama")
    first = await file_complaint(http, svc.url, "berulang")
    replies = await _to_summary(http, svc, "berulang", "jalan di desa Sooko makin parah sekarang ada dua lubang besar")
    said = texts(replies)
    assert first in said and "sudah punya aduan" in said and "btn:merge" in payloads(replies), said
    replies = await say(http, svc.url, "berulang", "btn:merge")
    assert first in texts(replies) and "tidak ada aduan baru" in texts(replies), texts(replies)
    assert len(await tickets_of(svc, "berulang")) == 1
    [merged] = await svc.store.ticket_events(first, "message_in")
    assert "dua lubang besar" in merged.text and "Desa Sooko RT 02" in merged.text and merged.data.get("merged")
    await wait_for(lambda: officer_heard(svc, "pupr-sama", "dua lubang besar"))

    # A different matter is sent as a new complaint, as before.
    replies = await _to_summary(http, svc, "berulang", "jalan di desa Puri juga rusak parah banyak lubang")
    assert "btn:merge" in payloads(replies)
    await say(http, svc.url, "berulang", "btn:send")
    assert len(await tickets_of(svc, "berulang")) == 2


async def test_a_topic_named_in_a_status_question_wins_over_the_one_open_ticket(svc, http):
    await enrol(http, svc, "dishub-selesai", opd="dishub")
    road = await file_complaint(http, svc.url, "dua-tiket")
    lamp = await file_complaint(http, svc.url, "dua-tiket", OTHER)
    await say(http, svc.url, "dishub-selesai", f"/selesai {lamp} lampu sudah diganti")
    replies = await say(http, svc.url, "dua-tiket", "laporan lampu saya gimana?")
    assert lamp in texts(replies) and road not in texts(replies), texts(replies)


async def test_thanks_are_passed_on_once(svc, http):
    from tests.core.test_fifth_look import done_and_asked

    await enrol(http, svc, "pupr-sekali")
    number = await done_and_asked(http, svc, "pupr-sekali", "ina")
    await say(http, svc.url, "ina", "terima kasih petugasnya ramah sekali")
    replies = await say(http, svc.url, "ina", "terima kasih petugasnya ramah sekali")
    assert "Sama-sama" in texts(replies) and "sampaikan" not in texts(replies), texts(replies)
    replies = await say(http, svc.url, "ina", "makasih infonya kak")
    assert "sampaikan" not in texts(replies), texts(replies)
    assert len(await svc.store.ticket_events(number, "thanks")) == 1


async def test_an_anonymous_draft_is_not_offered_to_join_a_public_complaint(svc, http):
    await file_complaint(http, svc.url, "anon-sama")
    replies = await say(http, svc.url, "anon-sama", "jalan di desa Sooko makin parah sekarang ada dua lubang besar")
    await say(http, svc.url, "anon-sama", "btn:yes")
    await say(http, svc.url, "anon-sama", "Desa Sooko RT 02 RW 01, depan balai desa")
    await say(http, svc.url, "anon-sama", "btn:skip")
    replies = await say(http, svc.url, "anon-sama", "privacy:anonim")
    assert "btn:send" in payloads(replies) and "btn:merge" not in payloads(replies), texts(replies)


async def test_the_place_after_tapi_is_taken_and_a_privacy_choice_is_not_a_place_fix(svc, http):
    await say(http, svc.url, "tapi", "lampu jalan di depan rumah saya di Desa Puri mati sudah seminggu")
    await say(http, svc.url, "tapi", "topic:aduan_lampu_jalan")
    await say(http, svc.url, "tapi", "Desa Puri RT 01")
    await say(http, svc.url, "tapi", "btn:skip")
    replies = await say(http, svc.url, "tapi", "lokasinya salah, bukan di Desa Puri tapi di Desa Sooko dekat pasar")
    assert "Desa Sooko dekat pasar" in texts(replies) and "privacy:publik" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "tapi", "rahasia saja, bukan publik, alamat rumah saya jangan disebut")
    assert "btn:send" in payloads(replies) and "Desa Sooko dekat pasar" in texts(replies), texts(replies)


async def test_repaired_not_long_ago_is_an_answer_for_the_officer_not_a_status_question(svc, http):
    await enrol(http, svc, "pupr-jawab")
    number = await file_complaint(http, svc.url, "jawab")
    await say(http, svc.url, "pupr-jawab", f"/balas {number} Apakah lubangnya sudah ditutup warga?")
    replies = await say(http, svc.url, "jawab", "lubangnya sudah diperbaiki belum lama ini pak oleh warga")
    assert "Status tiket" not in texts(replies), texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [
        "lubangnya sudah diperbaiki belum lama ini pak oleh warga"]


async def test_a_photo_held_with_words_for_a_new_matter_goes_into_the_new_complaint(svc, http):
    await enrol(http, svc, "pupr-foto")
    road = await file_complaint(http, svc.url, "ratna")
    await say(http, svc.url, "pupr-foto", f"/balas {road} Mohon foto lubangnya")
    replies = await svc.dialogue.handle(Message(
        channel="webchat", sender_id="ratna", text=OTHER,
        attachments=(Attachment(kind="photo", mime="image/jpeg", data=photo_jpeg((60, 40))),)))
    assert "btn:not_forward" in [b.payload.split("#")[0] for r in replies for b in r.buttons], replies
    replies = await say(http, svc.url, "ratna", "bukan, itu laporan baru")
    assert "btn:yes" in payloads(replies), texts(replies)
    await say(http, svc.url, "ratna", "btn:yes")
    await say(http, svc.url, "ratna", "Desa Puri depan masjid")
    replies = await say(http, svc.url, "ratna", "lewati")
    if "privacy:publik" not in payloads(replies):  # the photo step is skipped when a photo is already there
        replies = await say(http, svc.url, "ratna", "lewati")
    await say(http, svc.url, "ratna", "privacy:publik")
    await say(http, svc.url, "ratna", "btn:send")
    tickets = [t for t in await tickets_of(svc, "ratna") if t.number != road]
    assert len(tickets) == 1 and len(tickets[0].media) == 1, tickets
    assert (await svc.store.get_ticket(road)).media == []
