"""Turns from the twenty-first trial, over real HTTP.

A report typed in pieces ("mau lapor", "jalan rusak", "di desa cibiru hilir depan SD") lost its first piece and was
routed by the place alone; "pak" a minute after "mau lapor" was welcomed back as if the resident had been away.
"tapi saya kerja sampai sore, bisanya setelah jam 4", right after an answer passed to the officer, was asked about
instead of going with it. A complaint reopened because "yang ditambal cuma sebagian" showed "Sudah ditambal" as its
latest word. "kenapa harus kasih lokasi?" was told it was no place, "buat apa fotonya?" that it could not be answered;
"sebenarnya lubangnya ada tiga, …" at the identity question was lost. "bukan PUPR, ke dinas perkim aja" offered
PUPR's topics again. The regent's "gimana aduan hari ini?" was answered as a resident's status question; the
operator's "pindahkan WRG-… ke disperkim" showed the ticket and moved nothing. "ok thanks. also can I report noise
from a karaoke bar at night?" got only "You're welcome".
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from actions import complaint
from actions import understand as u
from bot.__main__ import issue_code
from bot.store.base import STATUS_DONE, Changes

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, photo_jpeg, say, texts, upload, wait_for


async def _tickets(svc, who: str) -> list:  # noqa: F811
    return await svc.store.recent_tickets(f"webchat:{who}", 10)


async def _heard(svc, who: str, words: str) -> bool:  # noqa: F811
    return any(words in texts([m]) for m in await mailbox(svc.store, f"webchat:{who}"))


# --- a report typed in pieces -----------------------------------------------------------------------------
async def test_a_report_typed_in_pieces_is_one_report(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-u1", "mau lapor")
    said = texts(await say(http, svc.url, "warga-u1", "jalan rusak"))
    assert "sedikit lebih lengkap" in said, said
    replies = await say(http, svc.url, "warga-u1", "di desa cibiru hilir depan SD")
    assert "*Jalan rusak*" in texts(replies) and "*Dinas PUPR*" in texts(replies), texts(replies)
    await say(http, svc.url, "warga-u1", "btn:yes")
    await say(http, svc.url, "warga-u1", "ya")  # the place guessed from the pieces
    await say(http, svc.url, "warga-u1", "lewati")
    summary = texts(await say(http, svc.url, "warga-u1", "privacy:publik"))
    assert "Isi: jalan rusak di desa cibiru hilir depan SD" in summary, summary


async def test_a_word_of_address_is_not_held_as_part_of_the_report(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-u2", "mau lapor")
    await say(http, svc.url, "warga-u2", "pak")
    replies = await say(http, svc.url, "warga-u2", "lampu jalan di gang mawar mati sudah seminggu")
    assert "*Lampu penerangan jalan (PJU)*" in texts(replies), texts(replies)
    await say(http, svc.url, "warga-u2", "btn:yes")
    await say(http, svc.url, "warga-u2", "gang mawar desa sukamaju")
    await say(http, svc.url, "warga-u2", "lewati")
    summary = texts(await say(http, svc.url, "warga-u2", "privacy:publik"))
    assert "Isi: lampu jalan di gang mawar mati sudah seminggu" in summary, summary


async def test_pak_a_minute_after_starting_is_no_return_a_day_later_it_is(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-u3", "mau lapor")
    said = texts(await say(http, svc.url, "warga-u3", "pak"))
    assert "masih di sini" in said and "Selamat datang kembali" not in said and "ceritakan" in said, said
    clock.now += timedelta(hours=3)
    said = texts(await say(http, svc.url, "warga-u3", "halo"))
    assert "Selamat datang kembali" in said, said


# --- answering an officer in more than one message ------------------------------------------------------------
async def test_more_of_an_answer_minutes_later_goes_to_the_officer_too(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-u4")
    number = await file_complaint(http, svc.url, "warga-u4")
    await say(http, svc.url, "petugas-u4", f"/balas {number} Baik pak, tim kami survei Kamis. Boleh minta nomor "
                                           "yang bisa dihubungi?")
    clock.now += timedelta(minutes=5)
    await say(http, svc.url, "warga-u4", "boleh pak, 0812 3456 7890 atas nama budi")
    clock.now += timedelta(minutes=2)
    replies = await say(http, svc.url, "warga-u4", "tapi saya kerja sampai sore, bisanya setelah jam 4")
    assert "btn:forward" not in payloads(replies) and "teruskan ke petugas (tiket" in texts(replies), texts(replies)
    await wait_for(lambda: _heard(svc, "petugas-u4", "bisanya setelah jam 4"))
    said = [e.text for e in await svc.store.ticket_events(number, "message_in")]
    assert said[-1] == "tapi saya kerja sampai sore, bisanya setelah jam 4", said


async def test_the_same_words_an_hour_later_are_asked_about(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-u5")
    number = await file_complaint(http, svc.url, "warga-u5")
    await say(http, svc.url, "petugas-u5", f"/balas {number} Boleh minta nomor yang bisa dihubungi?")
    await say(http, svc.url, "warga-u5", "boleh pak, 0812 3456 7890 atas nama budi")
    clock.now += timedelta(hours=1)
    replies = await say(http, svc.url, "warga-u5", "tapi saya kerja sampai sore, bisanya setelah jam 4")
    assert "btn:forward" in payloads(replies), texts(replies)


async def test_a_confident_new_complaint_right_after_an_answer_is_still_asked_about(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-u6")
    number = await file_complaint(http, svc.url, "warga-u6")
    await say(http, svc.url, "petugas-u6", f"/balas {number} Boleh minta nomor yang bisa dihubungi?")
    await say(http, svc.url, "warga-u6", "boleh pak, 0812 3456 7890")
    replies = await say(http, svc.url, "warga-u6", "sampah di pasar sooko menumpuk dan bau busuk sudah seminggu "
                                                   "tidak diangkut")
    assert "teruskan ke petugas (tiket" not in texts(replies), texts(replies)


# --- a reopened complaint's status ------------------------------------------------------------------------
async def test_the_status_of_a_reopened_complaint_says_it_was_reopened_and_why(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-u7")
    number = await file_complaint(http, svc.url, "warga-u7")
    clock.now += timedelta(hours=30)
    await say(http, svc.url, "petugas-u7", f"/selesai {number} Sudah ditambal tim UPT")
    assert (await svc.store.get_ticket(number)).status == STATUS_DONE
    clock.now += timedelta(hours=2)
    await say(http, svc.url, "warga-u7", "belum pak, yang ditambal cuma sebagian, lubang yang besar masih ada")
    clock.now += timedelta(hours=48)
    said = texts(await say(http, svc.url, "warga-u7", f"/status {number}"))
    assert "Sudah ditambal tim UPT" in said and "Dibuka kembali" in said and "cuma sebagian" in said, said
    assert said.index("Sudah ditambal") < said.index("Dibuka kembali"), said
    # the officers' next word: the reopening is no longer the news
    clock.now += timedelta(hours=1)
    await say(http, svc.url, "petugas-u7", f"/balas {number} Besok kami tambal yang besar")
    said = texts(await say(http, svc.url, "warga-u7", f"/status {number}"))
    assert "Besok kami tambal yang besar" in said and "Dibuka kembali" not in said, said


# --- why a step is asked --------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, kind", [
    ("kenapa harus kasih lokasi?", "why_place"),
    ("kenapa minta alamat segala?", "why_place"),
    ("why do you need the location?", "why_place"),
    ("fotonya wajib ga?", "why_photo"),
    ("buat apa fotonya?", "why_photo"),
    ("is a photo required?", "why_photo"),
    ("kenapa foto saya tidak masuk?", None),  # a trouble, not why it is asked
    ("lokasinya di mana ya?", None),
])
def test_why_a_step_is_asked(typed, kind):
    assert complaint.aside_kind(typed) == kind


async def test_why_the_place_and_the_photo_are_asked_is_answered_and_the_step_goes_on(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-u8", "jalan di depan pasar rusak parah banyak lubang")
    await say(http, svc.url, "warga-u8", "btn:yes")
    said = texts(await say(http, svc.url, "warga-u8", "kenapa harus kasih lokasi?"))
    assert "menemukan tempatnya" in said and "Di mana lokasinya" in said and "belum berupa lokasi" not in said, said
    replies = await say(http, svc.url, "warga-u8", "pasar lama desa sukamaju")
    assert "btn:skip" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "warga-u8", "buat apa fotonya?")
    assert "Foto tidak wajib" in texts(replies) and "btn:skip" in payloads(replies), texts(replies)


async def test_why_the_place_in_english(svc, http):  # noqa: F811
    await say(http, svc.url, "tourist-u9", "I want to report a broken street light near my house")
    await say(http, svc.url, "tourist-u9", "yes")
    said = texts(await say(http, svc.url, "tourist-u9", "why do you need the location?"))
    assert "find the spot" in said and "Where is it?" in said, said


# --- the report told more exactly at the identity question ------------------------------------------------------
@pytest.mark.parametrize("typed", ["sebenarnya lubangnya ada tiga, yang paling besar di depan toko emas",
                                   "actually there are three holes, the biggest in front of the gold shop"])
async def test_actually_more_at_the_identity_question_is_added(svc, http, typed):  # noqa: F811
    await say(http, svc.url, "warga-u10", "jalan di depan pasar rusak parah banyak lubang")
    await say(http, svc.url, "warga-u10", "btn:yes")
    await say(http, svc.url, "warga-u10", "pasar lama desa sukamaju")
    await say(http, svc.url, "warga-u10", "lewati")
    replies = await say(http, svc.url, "warga-u10", typed)
    assert "privacy:publik" in payloads(replies) and "pilih salah satu" not in texts(replies), texts(replies)
    summary = texts(await say(http, svc.url, "warga-u10", "privacy:publik"))
    assert typed in summary, summary


@pytest.mark.parametrize("typed, more", [
    ("sebenarnya lubangnya ada tiga, yang paling besar di depan toko", True),
    ("actually it's two lights, both broken", True),
    ("sebenarnya iya", False),
    ("actually yes", False),
])
def test_actually_leads_more_of_the_report(typed, more):
    assert u.adds_detail(typed) is more


# --- an office named as the correction ----------------------------------------------------------------------------
async def test_not_this_office_but_that_one_offers_that_offices_topics(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-u11", "got depan rumah mampet, air meluap ke jalan kalau hujan")
    assert "*Dinas PUPR*" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-u11", "bukan PUPR, ke dinas perkim aja")
    offered = [p for p in payloads(replies) if p.startswith("topic:") and not p.startswith("topic:lainnya")]
    routing = svc.runtime.services.directory.routing
    assert offered and all(routing[p.split(":", 1)[1].split("#")[0]] == "disperkim" for p in offered), payloads(replies)


# --- staff in plain words -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["gimana aduan hari ini?", "bagaimana laporan minggu ini pak?"])
async def test_the_regent_asking_how_things_stand_gets_the_summary(svc, http, typed):  # noqa: F811
    await enrol(http, svc, "bupati-u12", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-u12")
    said = texts(await say(http, svc.url, "bupati-u12", typed))
    assert "Ringkasan aduan" in said or "Rekap" in said, said
    assert "belum menemukan aduan dari akun ini" not in said, said


async def test_a_transfer_asked_in_words_is_offered_then_asks_its_reason(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-u13", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-u13", "lampu jalan di desa sooko mati semua sejak minggu lalu")
    replies = await say(http, svc.url, "operator-u13", f"pindahkan {number} ke disperkim")
    assert f"/alihkan {number} disperkim" in payloads(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).opd_id == "dishub"  # nothing moved unasked
    said = texts(await say(http, svc.url, "operator-u13", "ya"))
    assert "Mengapa" in said, said
    await say(http, svc.url, "operator-u13", "lampunya di perumahan, urusan PSU")
    assert (await svc.store.get_ticket(number)).opd_id == "disperkim"


async def test_a_transfer_with_its_reason_in_words_moves_on_one_yes(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-u14", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-u14")
    replies = await say(http, svc.url, "petugas-u14", f"tolong {number} dialihkan ke dishub karena itu rambu jalan")
    assert f"/alihkan {number} dishub itu rambu jalan" in payloads(replies), texts(replies)
    await say(http, svc.url, "petugas-u14", "ya")
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "dishub"


async def test_words_without_a_move_or_an_office_are_not_a_transfer(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-u15", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-u15")
    replies = await say(http, svc.url, "operator-u15", f"{number} sudah ditangani belum?")
    assert not any(p.startswith(f"/alihkan {number} ") for p in payloads(replies)), payloads(replies)


# --- thanks, and then a question ------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, words", [
    ("ok thanks. also can I report noise from a karaoke bar at night?", "*Noise*"),
    ("makasih pak. kalau mau bikin KTP baru syaratnya apa ya?", "Kartu Keluarga"),
])
async def test_the_question_after_thanks_is_answered(svc, http, typed, words):  # noqa: F811
    await file_complaint(http, svc.url, "warga-u16")
    said = texts(await say(http, svc.url, "warga-u16", typed))
    assert words in said, said


async def test_thanks_with_praise_is_still_thanks(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-u17")
    replies = await say(http, svc.url, "warga-u17", "terima kasih, pelayanannya cepat sekali")
    assert "btn:yes" not in payloads(replies), texts(replies)
    assert len(await _tickets(svc, "warga-u17")) == 1


# --- "Sudah beres?" answered while another complaint is being written ---------------------------------------------
async def _draft_at_photo_then_closed(http, svc, clock, who: str, officer: str) -> str:  # noqa: F811
    await enrol(http, svc, officer)
    number = await file_complaint(http, svc.url, who)
    clock.now += timedelta(hours=24)
    await say(http, svc.url, who, "ada lagi pak, lampu jalan mati")
    await say(http, svc.url, who, "ya")
    await say(http, svc.url, who, "lokasinya sama dengan laporan saya kemarin")  # at the photo question now
    clock.now += timedelta(minutes=30)
    await say(http, svc.url, officer, f"/selesai {number} Jalan sudah ditambal")
    await wait_for(lambda: _heard(svc, who, "ditandai selesai"))
    return number


async def _sent_draft_topic(http, svc, who: str) -> str:  # noqa: F811
    await say(http, svc.url, who, "lewati")
    await say(http, svc.url, who, "privacy:publik")
    await say(http, svc.url, who, "btn:send")
    return (await _tickets(svc, who))[0].topic


@pytest.mark.parametrize("answer", ["yes", "no"])
async def test_sudah_beres_tapped_during_a_draft_keeps_the_draft(svc, http, clock, answer):  # noqa: F811
    number = await _draft_at_photo_then_closed(http, svc, clock, f"warga-u18{answer}", f"petugas-u18{answer}")
    replies = await say(http, svc.url, f"warga-u18{answer}", f"fixed:{number}:{answer}")
    said = texts(replies)
    assert "belum terkirim; kita lanjutkan" in said and "btn:skip" in payloads(replies), said
    if answer == "yes":
        said = texts(await say(http, svc.url, f"warga-u18{answer}", "4"))
        assert "Terima kasih atas penilaian Anda." in said and "komentar" not in said.lower(), said
        assert (await svc.store.get_ticket(number)).rating == 4
    else:
        assert (await svc.store.get_ticket(number)).status != STATUS_DONE  # reopened
    assert await _sent_draft_topic(http, svc, f"warga-u18{answer}") == "aduan_lampu_jalan"


async def test_a_typed_answer_to_sudah_beres_during_a_draft_answers_it(svc, http, clock):  # noqa: F811
    number = await _draft_at_photo_then_closed(http, svc, clock, "warga-u19", "petugas-u19")
    replies = await say(http, svc.url, "warga-u19", "sudah tapi kurang rapi, masih bergelombang")
    said = texts(replies)
    assert number in said and f"fixed:{number}:no" in payloads(replies) and "btn:skip" in payloads(replies), said
    assert await _sent_draft_topic(http, svc, "warga-u19") == "aduan_lampu_jalan"


async def test_pak_laporan_saya_tolong_dihapus_asks_to_withdraw_it(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-u20")
    replies = await say(http, svc.url, "warga-u20", "pak laporan saya yang barusan tolong dihapus aja, salah kirim")
    assert number in texts(replies) and "btn:withdraw_yes" in payloads(replies), texts(replies)


# --- a greeting with the wish to report; the photo later; may the officer contact me --------------------------------
@pytest.mark.parametrize("typed", ["sugeng enjing, kula badhe lapor", "selamat pagi, saya mau lapor",
                                   "hi, I'd like to report something"])
async def test_a_greeting_that_says_it_wants_to_report_asks_for_the_report(svc, http, typed):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-u21", typed))
    assert "ceritakan masalah" in said or "describe the problem" in said, said


@pytest.mark.parametrize("typed", ["fotonya nanti saya kirim ya", "I have a photo but I'll send it later"])
async def test_the_photo_promised_for_later_is_told_where_to_go_and_joins_the_ticket(svc, http, typed):  # noqa: F811
    who = f"warga-u22{len(typed)}"
    await say(http, svc.url, who, "jalan di depan pasar rusak parah banyak lubang")
    await say(http, svc.url, who, "btn:yes")
    await say(http, svc.url, who, "pasar lama desa sukamaju")
    replies = await say(http, svc.url, who, typed)
    said = texts(replies)
    assert ("setelah aduan terkirim" in said or "after the complaint is sent" in said) and \
        "privacy:publik" in payloads(replies), said
    await say(http, svc.url, who, "privacy:publik")
    await say(http, svc.url, who, "btn:send")
    [ticket] = await _tickets(svc, who)
    assert ticket.media == []
    await upload(http, svc.url, who, photo_jpeg())
    assert len((await svc.store.get_ticket(ticket.number)).media) == 1


@pytest.mark.parametrize("typed", ["fotonya wajib ga?", "nanti fotonya dikirim kemana?", "tidak ada foto", "lewati"])
def test_what_is_no_promise_of_a_photo_later(typed):
    assert not complaint.photo_later(typed)


@pytest.mark.parametrize("typed, words", [
    ("nanti petugasnya bisa hubungi saya kalau perlu info tambahan?", "bertanya lewat chat ini"),
    ("wait, can the officer contact me if they need more info?", "they ask in this chat"),
])
async def test_whether_the_officer_can_contact_me_is_answered_at_the_summary(svc, http, typed, words):  # noqa: F811
    await say(http, svc.url, "warga-u23", "jalan di depan pasar rusak parah banyak lubang")
    await say(http, svc.url, "warga-u23", "btn:yes")
    await say(http, svc.url, "warga-u23", "pasar lama desa sukamaju")
    await say(http, svc.url, "warga-u23", "lewati")
    await say(http, svc.url, "warga-u23", "privacy:anonim")
    replies = await say(http, svc.url, "warga-u23", typed)
    assert words in texts(replies) and "btn:send" in payloads(replies), texts(replies)


# --- a village official telling the matter before the consent; the place before the matter --------------------------
async def test_the_matter_told_before_the_residents_consent_is_filed_from_after_it(svc, http):  # noqa: F811
    code = await issue_code(svc.settings, "pendamping", None)
    await say(http, svc.url, "kades-u24", f"/daftar {code}")
    await say(http, svc.url, "kades-u24", "/wakili Darto, Dusun Krajan")
    said = texts(await say(http, svc.url, "kades-u24", "saluran irigasi sawah pak darto jebol sejak banjir kemarin"))
    assert "kami simpan" in said and "setuju" in said, said
    replies = await say(http, svc.url, "kades-u24", "ya")
    assert "*Saluran irigasi*" in texts(replies) and "ceritakan masalah" not in texts(replies), texts(replies)


async def test_a_short_unclear_answer_to_the_consent_is_still_asked_again(svc, http):  # noqa: F811
    code = await issue_code(svc.settings, "pendamping", None)
    await say(http, svc.url, "kades-u25", f"/daftar {code}")
    await say(http, svc.url, "kades-u25", "/wakili Darto, Dusun Krajan")
    said = texts(await say(http, svc.url, "kades-u25", "hmm sebentar"))
    assert "jawab dulu" in said, said
    said = texts(await say(http, svc.url, "kades-u25", "ya"))
    assert "ceritakan masalah" in said, said


async def test_the_place_typed_before_the_matter_is_kept_and_the_matter_asked(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-u26", "mau lapor")
    said = texts(await say(http, svc.url, "warga-u26", "dusun krajan desa sukamaju"))
    assert "Lokasinya kami catat: dusun krajan desa sukamaju" in said and "apa masalahnya" in said, said
    replies = await say(http, svc.url, "warga-u26", "jalan rusak")
    assert "*Jalan rusak*" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-u26", "ya")
    assert "btn:skip" in payloads(replies), texts(replies)  # the place is not asked again
    await say(http, svc.url, "warga-u26", "lewati")
    summary = texts(await say(http, svc.url, "warga-u26", "privacy:publik"))
    assert "Lokasi: dusun krajan desa sukamaju" in summary and "Isi: jalan rusak" in summary, summary


@pytest.mark.parametrize("typed, place", [
    ("di RT 3 dekat masjid al ikhlas desa sooko", True),
    ("lampu jalan mati di desa sooko", False),
    ("banjir di desa sooko", False),
    ("jembatan desa sooko", False),
])
async def test_what_is_a_place_alone(svc, http, typed, place):  # noqa: F811
    await say(http, svc.url, f"warga-u27{len(typed)}", "mau lapor")
    said = texts(await say(http, svc.url, f"warga-u27{len(typed)}", typed))
    assert ("Lokasinya kami catat" in said) is place, said


async def test_a_topic_correction_that_says_why_is_kept_in_the_description(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-u28", "jalan di depan pasar rusak parah banyak lubang")
    await say(http, svc.url, "warga-u28", "btn:yes")
    said = texts(await say(http, svc.url, "warga-u28", "eh bentar, sebenarnya yang rusak jembatannya bukan jalannya"))
    assert "*Jembatan rusak*" in said, said
    await say(http, svc.url, "warga-u28", "desa sooko dekat pasar")
    await say(http, svc.url, "warga-u28", "lewati")
    await say(http, svc.url, "warga-u28", "privacy:publik")
    await say(http, svc.url, "warga-u28", "btn:send")
    [ticket] = await _tickets(svc, "warga-u28")
    assert ticket.topic == "aduan_jembatan" and "jembatannya bukan jalannya" in ticket.text, ticket.text


async def test_the_photo_promised_after_filing_is_told_where_it_goes(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-u29")
    said = texts(await say(http, svc.url, "warga-u29", "dan fotonya menyusul besok ya"))
    assert number in said and "tambahkan" in said, said
    await upload(http, svc.url, "warga-u29", photo_jpeg())
    assert len((await svc.store.get_ticket(number)).media) == 1


# --- a report on SP4N-LAPOR!; an outside matter read unsurely --------------------------------------------------
async def test_a_report_followed_on_lapor_is_told_where_it_is_followed(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-u30", "min, kenapa laporan saya di lapor.go.id tidak ada tanggapan? "
                                                    "nomor tracking 3412345")
    said = texts(replies)
    assert "di SP4N-LAPOR!" in said and "3412345" in said and "topic:" not in " ".join(payloads(replies)), said


async def test_our_complaint_pushed_to_lapor_is_found_by_its_lapor_number(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-u31")
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None
    ticket.lapor_id = "LAPOR-8812"  # (as integrations/lapor.py records a report SP4N-LAPOR! accepted)
    await svc.store.commit(Changes(tickets=[ticket]))
    said = texts(await say(http, svc.url, "warga-u31", "laporan saya nomor tracking LAPOR 8812 statusnya gimana?"))
    assert f"Status tiket *{number}*" in said and "LAPOR-8812" in said, said


async def test_an_outside_matter_read_unsurely_offers_offices_not_a_refusal(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "tourist-u33", "My water bill is way too high this month, can someone check "
                                                      "the meter?")
    said = texts(replies)
    assert "PLN" not in said and "topic:aduan_air_bersih" in " ".join(payloads(replies)), said


async def test_a_sure_outside_matter_is_still_sent_to_who_handles_it(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-u34", "listrik padam sejak pagi"))
    assert "PLN" in said, said


@pytest.mark.parametrize("typed, done", [
    ("{n} sudah selesai diperbaiki tadi siang, lubang sudah ditambal aspal", True),
    ("tiket {s} sudah beres pak", True),
    ("{n} besok pagi tim kami survei ke lokasi", False),
    ("{n} sudah kami tangani pak, besok ditambal", False),  # handled, the work still to come
    ("{n} sudah selesai belum ya?", False),  # a question
])
async def test_staff_saying_the_work_is_done_are_offered_to_mark_it_done(svc, http, typed, done):  # noqa: F811
    await enrol(http, svc, "petugas-u35")
    number = await file_complaint(http, svc.url, f"warga-u35{len(typed)}")
    replies = await say(http, svc.url, "petugas-u35", typed.format(n=number, s=number[-4:]))
    offered = [p for p in payloads(replies) if p.startswith(f"/selesai {number} ")]
    assert bool(offered) is done, payloads(replies)
    if done:
        await say(http, svc.url, "petugas-u35", offered[0])
        ticket = await svc.store.get_ticket(number)
        assert ticket.status == STATUS_DONE
        await wait_for(lambda: _heard(svc, f"warga-u35{len(typed)}", "ditandai selesai"))


# --- vague words at the topic list; the operator's triage in words ----------------------------------------------------
async def test_vague_words_at_the_topic_list_pick_no_topic_and_other_typed_later_is_no_place(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-u36", "ada masalah di desa kami")
    assert "topic:lainnya" in " ".join(payloads(replies)), texts(replies)
    said = texts(await say(http, svc.url, "warga-u36", "pokoknya ada masalah pak warga resah"))
    assert "ODGJ" not in said, said
    said = texts(await say(http, svc.url, "warga-u36", "lainnya"))
    assert "memilihkan dinas" in said, said


async def test_other_typed_at_the_place_question_goes_back_to_the_topics(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-u37", "jalan di depan pasar rusak parah banyak lubang")
    await say(http, svc.url, "warga-u37", "btn:yes")
    replies = await say(http, svc.url, "warga-u37", "lainnya")
    assert "topic:lainnya" in " ".join(payloads(replies)), texts(replies)
    assert (await svc.store.get_conversation("webchat:warga-u37")).state.get("step") == "choose_topic"


async def test_the_operator_asking_for_complaints_without_an_office_gets_triage_and_routes_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-u38", role="operator", opd=None)
    await say(http, svc.url, "warga-u38", "ada masalah di desa kami")
    await say(http, svc.url, "warga-u38", "lainnya")
    await say(http, svc.url, "warga-u38", "desa sooko")
    await say(http, svc.url, "warga-u38", "lewati")
    await say(http, svc.url, "warga-u38", "publik")
    await say(http, svc.url, "warga-u38", "kirim")
    [ticket] = await _tickets(svc, "warga-u38")
    said = texts(await say(http, svc.url, "operator-u38", "aduan mana yang belum ada dinasnya?"))
    assert "menunggu triase" in said and ticket.number in said, said
    replies = await say(http, svc.url, "operator-u38", "yang itu arahkan ke satpol pp")
    assert f"/rute {ticket.number} satpol-pp" in payloads(replies), texts(replies)
    await say(http, svc.url, "operator-u38", "ya")
    assert (await svc.store.get_ticket(ticket.number)).opd_id == "satpol-pp"


# --- violence at home; a live wire; the regent's number ------------------------------------------------------------
@pytest.mark.parametrize("typed", ["suami saya sering memukul saya, saya takut pulang", "saya sering dipukuli suami",
                                   "my husband hits me when he is drunk"])
async def test_violence_against_the_writer_gets_safety_first_and_a_confidential_report(svc, http, typed):  # noqa: F811
    who = f"warga-u39{len(typed)}"
    replies = await say(http, svc.url, who, typed)
    said = texts(replies)
    assert "112" in said and "129" in said and "08111-129-129" in said, said
    assert "btn:yes" in " ".join(payloads(replies)) and "UPTD PPA" in said, said
    await say(http, svc.url, who, "btn:yes")
    await say(http, svc.url, who, "desa sooko")
    summary = texts(await say(http, svc.url, who, "lewati"))
    assert "Rahasia" in summary or "Confidential" in summary, summary


@pytest.mark.parametrize("typed, harm", [
    ("saya dipukul preman di pasar", False),
    ("bapak saya dipukul orang di pasar", False),
    ("anak tetangga sering dipukuli orang tuanya", False),  # told of someone else: the routing's, as any report
    ("bojoku nggebuki aku terus", True),
    ("pacar saya mengancam akan menyebar foto saya", True),
])
def test_what_is_violence_against_the_writer(typed, harm):
    assert complaint.harmed(typed) is harm


async def test_a_live_wire_gets_safety_first_then_who_handles_it(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-u40", "tiang listrik roboh ke jalan, kabelnya masih nyala"))
    assert "Jauhi tiang dan kabelnya" in said and "PLN 123" in said, said
    assert said.index("Jauhi") < said.index("ditangani oleh PLN"), said


async def test_the_regents_number_is_not_given_and_the_message_asked_for(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-u41", "minta nomor hp pak bupati dong"))
    assert "Nomor pribadi Bupati tidak kami berikan" in said and "tulis pesan" in said, said
    said = texts(await say(http, svc.url, "warga-u42", "saya mau kirim pesan ke pak bupati"))
    assert "Nomor pribadi" not in said, said


async def test_another_matter_said_so_right_after_an_answer_is_asked_about(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-u43")
    number = await file_complaint(http, svc.url, "warga-u43")
    await say(http, svc.url, "petugas-u43", f"/balas {number} Boleh minta nomor yang bisa dihubungi?")
    await say(http, svc.url, "warga-u43", "boleh pak, 0812 3456 7890")
    replies = await say(http, svc.url, "warga-u43", "oh iya satu lagi, lampu jalan di gang sebelah mati")
    said = [e.text for e in await svc.store.ticket_events(number, "message_in")]
    assert "oh iya satu lagi, lampu jalan di gang sebelah mati" not in said, (said, texts(replies))


# --- a letter request: the NIK early, a question at a field --------------------------------------------------------
async def test_a_nik_typed_where_the_name_is_asked_is_kept_and_a_question_is_no_answer(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-u44", "mau bikin surat keterangan tidak mampu buat berobat")
    await say(http, svc.url, "warga-u44", "sooko")
    said = texts(await say(http, svc.url, "warga-u44", "3516011203850001"))
    assert "NIK-nya kami catat" in said and "Nama lengkap?" in said, said
    said = texts(await say(http, svc.url, "warga-u44", "Budi Santoso"))
    assert "NIK?" not in said, said  # not asked again
    said = texts(await say(http, svc.url, "warga-u44", "eh tunggu, alamat saya beda dengan KTP, gimana?"))
    assert "belum bisa saya jawab" in said and "karakter" not in said, said
    conversation = await svc.store.get_conversation("webchat:warga-u44")
    assert conversation is not None and conversation.state["l"]["fields"].get("nik") == "3516011203850001"


async def test_a_command_without_a_number_right_after_info_is_offered_for_that_ticket(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-u45")
    number = await file_complaint(http, svc.url, "warga-u45")
    await say(http, svc.url, "petugas-u45", f"/info {number}")
    replies = await say(http, svc.url, "petugas-u45", "/balas Baik pak, besok kami cek")
    assert f"/balas {number} Baik pak, besok kami cek" in payloads(replies), texts(replies)
    await say(http, svc.url, "petugas-u45", "ya")
    await wait_for(lambda: _heard(svc, "warga-u45", "besok kami cek"))
    clock.now += timedelta(hours=1)  # long after: the number is asked for, as before
    said = texts(await say(http, svc.url, "petugas-u45", "/balas Sudah kami jadwalkan"))
    assert "nomor tiketnya belum terbaca" in said, said


async def test_words_on_another_ticket_while_an_office_is_awaited_are_not_taken_for_it(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-u46")
    first = await file_complaint(http, svc.url, "warga-u46a")
    second = await file_complaint(http, svc.url, "warga-u46b")
    await say(http, svc.url, "petugas-u46", f"/alihkan {first}")
    replies = await say(http, svc.url, "petugas-u46", f"{second} sudah selesai diperbaiki tadi siang")
    said = texts(replies)
    assert "tidak terbaca sebagai OPD" not in said and f"/balas {second} sudah selesai diperbaiki tadi siang" in \
        payloads(replies), said
    assert (await svc.store.get_ticket(first)).opd_id == "dinas-pupr"


# --- nobody came, three weeks on; the procedure asked --------------------------------------------------------------
async def test_nobody_came_weeks_later_gets_the_overdue_status_and_what_to_do_next(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-u47")
    clock.now += timedelta(days=20)
    said = texts(await say(http, svc.url, "warga-u47", "pak sudah 3 minggu kok belum ada yang datang?"))
    assert f"Status tiket *{number}*" in said and "(sudah lewat)" in said, said
    replies = await say(http, svc.url, "warga-u47", "terus saya harus bagaimana?")
    said = texts(replies)
    assert "Ombudsman" in said and f"/tanggapi {number}" in payloads(replies) and "/bupati" in payloads(replies), said
    assert len(await _tickets(svc, "warga-u47")) == 1


async def test_the_complaint_procedure_asked_is_told_it_is_here(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-u48", "Selamat malam. Saya ingin menanyakan prosedur pengaduan pelayanan "
                                                    "publik di kabupaten ini.")
    said = texts(replies)
    assert "langsung di sini" in said and "/aduan" in payloads(replies) and "Wi-Fi" not in said, said
