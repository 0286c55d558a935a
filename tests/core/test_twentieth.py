"""Turns from the twentieth trial, over real HTTP.

At the place question, "alamat persisnya saya belum tahu, nanti saya tanya pak RT dulu" was kept as the place (it
names "RT"), and the place sent two days later started a second complaint; "maaf baru balas, ini fotonya nggak ada,
langsung kirim aja" at the photo question was asked for the photo again. "ada lowongan kerja di pemkab?" began a
complaint, "kapan pendaftaran PPPK dibuka?" was answered about school admissions, "I live in the next regency, can I
report here?" about noise, "nomor hp saya ganti pak" was not understood. An officer's answer "ini jalan provinsi,
bukan kewenangan kabupaten" left the complaint waiting at the office with no word of it; "foto sesudah perbaikan
saya kirim lewat mana?" was offered as an answer to the reporter. A resident who asked that a complaint be closed and
then wrote "tunggu, jangan dibatalkan dulu" had the words passed on while the officer's one-tap close still closed it;
"oh iya satu lagi, got di sampingnya juga mampet" soon after filing was offered as a correction of its topic.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from actions import complaint, my_report, public_info
from actions.draft import ComplaintDraft
from bot.dialogue import DRAFT_IDLE_HOURS
from bot.store.base import STATUS_DONE, STATUS_NEW

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for

LATER = "alamat persisnya saya belum tahu, nanti saya tanya pak RT dulu"


async def _heard(svc, who: str, words: str) -> bool:  # noqa: F811
    return any(words in texts([m]) for m in await mailbox(svc.store, f"webchat:{who}"))


async def _tickets(svc, who: str) -> list:  # noqa: F811
    return await svc.store.recent_tickets(f"webchat:{who}", 10)


async def _at_the_place_question(http, svc, who: str) -> None:  # noqa: F811
    replies = await say(http, svc.url, who, "jalan di depan pasar rusak parah banyak lubang")
    assert "btn:yes" in payloads(replies), texts(replies)
    assert "lokasi" in texts(await say(http, svc.url, who, "btn:yes")).lower()


# --- the place not known yet ------------------------------------------------------------------------------
async def test_a_place_not_known_yet_is_not_kept_as_the_place_and_the_draft_waits(svc, http, clock):  # noqa: F811
    await _at_the_place_question(http, svc, "warga-t1")
    said = texts(await say(http, svc.url, "warga-t1", LATER))
    assert "Tidak apa-apa" in said and "kirim lokasinya kapan saja" in said and "foto" not in said.lower(), said
    # two days on, the place the resident went to ask about is still this draft's answer
    clock.now += timedelta(hours=DRAFT_IDLE_HOURS + 24)
    replies = await say(http, svc.url, "warga-t1", "pak RT bilang di RT 02 RW 05 desa ciwidey, dekat pasar")
    said = texts(replies)
    assert "lokasi itu kami catat untuk aduan Anda tentang *Jalan rusak*" in said and "btn:skip" in payloads(replies), \
        said
    await say(http, svc.url, "warga-t1", "lewati")
    summary = texts(await say(http, svc.url, "warga-t1", "privacy:publik"))
    assert "Lokasi: di RT 02 RW 05 desa ciwidey, dekat pasar" in summary and "pak RT" not in summary, summary
    await say(http, svc.url, "warga-t1", "btn:send")
    [ticket] = await _tickets(svc, "warga-t1")  # one complaint, no second one from the place
    assert ticket.text == "jalan di depan pasar rusak parah banyak lubang"


async def test_without_that_promise_an_idle_draft_still_takes_nothing_typed(svc, http, clock):  # noqa: F811
    await _at_the_place_question(http, svc, "warga-t2")
    clock.now += timedelta(hours=DRAFT_IDLE_HOURS + 24)
    said = texts(await say(http, svc.url, "warga-t2", "pak RT bilang di RT 02 RW 05 desa ciwidey, dekat pasar"))
    assert "lokasi itu kami catat" not in said, said


@pytest.mark.parametrize("typed, later", [
    (LATER, True),
    ("nanti saya kabari lokasinya, saya tanya pak RT dulu", True),
    ("tidak tahu", True),
    ("mboten ngertos alamate, mengko tak takon pak RT", True),
    ("I'm not sure of the exact address, I'll ask my neighbour and get back to you", True),
    ("tidak tahu persisnya, sekitar Rancaekek", False),  # a place, loosely named
    ("kurang tahu, dekat masjid al ikhlas", False),
    ("nanti saya kirim fotonya", False),  # the photo comes later: the place question's own answer for that
    ("Desa Sooko RT 02 RW 01, depan balai desa", False),
])
def test_what_says_the_place_comes_later(typed, later):
    assert complaint.place_later(typed) is later


async def test_a_place_later_in_javanese_is_answered_in_the_draft(svc, http):  # noqa: F811
    await _at_the_place_question(http, svc, "warga-t3")
    said = texts(await say(http, svc.url, "warga-t3", "mboten ngertos alamate, mengko tak takon pak RT"))
    assert "Tidak apa-apa" in said, said
    conversation = await svc.store.get_conversation("webchat:warga-t3")
    assert conversation is not None
    draft = ComplaintDraft.load(conversation.state)
    assert draft.place_later and draft.location is None


async def test_no_photo_said_mid_sentence_goes_on_to_the_identity_question(svc, http):  # noqa: F811
    await _at_the_place_question(http, svc, "warga-t4")
    await say(http, svc.url, "warga-t4", "Desa Sooko RT 02 RW 01, depan balai desa")
    replies = await say(http, svc.url, "warga-t4", "maaf baru balas, ini fotonya nggak ada, langsung kirim aja")
    assert "privacy:publik" in payloads(replies), texts(replies)


# --- questions that are no complaint ------------------------------------------------------------------------
@pytest.mark.parametrize("typed, words", [
    ("ada lowongan kerja di pemkab?", "sscasn.bkn.go.id"),
    ("info loker pemkab dong", "karirhub.kemnaker.go.id"),
    ("kapan pendaftaran PPPK dibuka?", "pendaftarannya gratis"),
    ("are there any job openings at the regency government?", "applying is free"),
])
async def test_job_openings_are_answered_not_filed(svc, http, typed, words):  # noqa: F811
    replies = await say(http, svc.url, "warga-t5", typed)
    said = texts(replies)
    assert words in said and "btn:yes" not in payloads(replies) and "SPMB" not in said, said
    assert await _tickets(svc, "warga-t5") == []


@pytest.mark.parametrize("typed", ["loker abal2 minta uang pendaftaran",
                                   "lowongan kerja di pemkab gak pernah transparan",
                                   "tes cpns dijanjikan lulus kalau bayar ke oknum pegawai"])
def test_a_complaint_about_recruitment_is_no_job_question(typed):
    assert not public_info.asks_jobs(typed)


@pytest.mark.parametrize("typed, words", [
    ("saya warga kabupaten sebelah, bisa lapor di sini?", "tempat kejadiannya, bukan alamat KTP"),
    ("I live in the next regency, can I report here?", "where it happened, not the address"),
])
async def test_someone_from_elsewhere_is_told_the_place_of_the_problem_counts(svc, http, typed, words):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-t6", typed))
    assert words in said and "Satpol PP" not in said, said


async def test_someone_from_elsewhere_telling_the_problem_files_it(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-t7", "saya bukan warga sini, tapi kemarin lewat jalan di desa sukamaju "
                                                   "rusak parah, bisa lapor?")
    assert "*Jalan rusak*" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)


async def test_a_new_number_needs_no_sign_up_and_a_move_is_offered(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-t8", "nomor hp saya ganti pak")
    assert "tidak perlu didaftarkan" in texts(replies) and "/pindah_akun" in payloads(replies), texts(replies)


async def test_a_reporter_changing_numbers_is_told_how_to_follow_from_the_new_one(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-t9")
    replies = await say(http, svc.url, "warga-t9", "saya mau ganti nomor hp, yang lama hilang")
    said = texts(replies)
    assert f"nomor baru {number}" in said and "/pindah_akun" not in payloads(replies), said


# --- officers -----------------------------------------------------------------------------------------------
async def test_an_answer_that_it_is_not_ours_offers_the_return_to_the_operators(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t10")
    number = await file_complaint(http, svc.url, "warga-t10")
    replies = await say(http, svc.url, "pupr-t10", f"/balas {number} kami sudah cek, ini jalan provinsi, bukan "
                                                   "kewenangan kabupaten")
    said = texts(replies)
    assert "sudah dikirim ke pelapor" in said and "masih terbuka di Dinas PUPR" in said, said
    back = [p for p in payloads(replies) if p.startswith(f"/alihkan {number} triase")]
    assert back, payloads(replies)
    await wait_for(lambda: _heard(svc, "warga-t10", "jalan provinsi"))
    said = texts(await say(http, svc.url, "pupr-t10", back[0]))
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.opd_id is None, said
    # an ordinary answer gets no such hint
    other = await file_complaint(http, svc.url, "warga-t10b")
    said = texts(await say(http, svc.url, "pupr-t10", f"/balas {other} besok tim kami survei ke lokasi"))
    assert "masih terbuka" not in said, said


async def test_an_officer_asking_how_to_send_a_photo_is_told_not_offered_to_the_reporter(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t11")
    number = await file_complaint(http, svc.url, "warga-t11")
    await say(http, svc.url, "pupr-t11", f"/balas {number} mohon kirim foto lokasinya pak")
    await say(http, svc.url, "warga-t11", "ini pak, lubangnya besar sekali sebesar ban truk")
    replies = await say(http, svc.url, "pupr-t11", "foto sesudah perbaikan saya kirim lewat mana?")
    said = texts(replies)
    assert f"/selesai {number} catatan" in said and not any(p.startswith("/balas") for p in payloads(replies)), said


# --- a withdrawal taken back; one more problem ------------------------------------------------------------
async def test_a_request_to_close_taken_back_keeps_it_open_and_the_one_tap_close_refuses(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t12")
    number = await file_complaint(http, svc.url, "warga-t12")
    await say(http, svc.url, "warga-t12", "eh maaf, aduan saya yang tadi batal aja, ternyata sudah ada yang lapor "
                                          "duluan")
    await say(http, svc.url, "warga-t12", "ya")
    await wait_for(lambda: _heard(svc, "pupr-t12", "meminta aduannya ditutup"))
    said = texts(await say(http, svc.url, "warga-t12", "tunggu, jangan dibatalkan dulu"))
    assert f"aduan *{number}* tetap berjalan" in said, said
    await wait_for(lambda: _heard(svc, "pupr-t12", "membatalkan permintaan penutupannya"))
    said = texts(await say(http, svc.url, "pupr-t12", f"/selesai {number} -"))  # the button sent before
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.status == STATUS_NEW and "belum ditutup" in said, said
    assert "withdrawal_retracted" in [e.kind for e in await svc.store.ticket_events(number)]
    # closed with a note it closes, as done (not as withdrawn)
    await say(http, svc.url, "pupr-t12", f"/selesai {number} sudah ditambal")
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.status == STATUS_DONE and not ticket.extra.get("withdrawn")


async def test_keep_it_open_with_nothing_asked_is_not_taken_for_it(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-t13")
    said = texts(await say(http, svc.url, "warga-t13", "tunggu, jangan dibatalkan dulu"))
    assert "tetap berjalan. Permintaan penutupannya" not in said, said


async def test_one_more_problem_soon_after_filing_is_no_topic_correction(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-t14")
    replies = await say(http, svc.url, "warga-t14", "oh iya satu lagi, got di sampingnya juga mampet")
    assert my_report.FIX_YES not in payloads(replies), texts(replies)
    # a correction still is one
    replies = await say(http, svc.url, "warga-t14", "eh ternyata bukan jalannya pak, yang rusak itu jembatannya")
    assert my_report.FIX_YES in payloads(replies), texts(replies)


# --- the regent's message to an office ----------------------------------------------------------------------
async def test_the_regents_word_to_an_office_is_offered_sent_and_its_reading_reported(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t15a")
    await enrol(http, svc, "pupr-t15b")
    await enrol(http, svc, "dishub-t15", opd="dishub")
    await enrol(http, svc, "bupati-t15", role="regent", opd=None)
    words = "tolong minta kepala dinas pupr lapor ke saya besok pagi soal jalan-jalan rusak"
    replies = await say(http, svc.url, "bupati-t15", words)
    said = texts(replies)
    assert "Kirim pesan ini ke petugas Dinas Pekerjaan Umum" in said and "belum terkirim" not in said, said
    assert f"/pesan_opd dinas-pupr {words}" in payloads(replies)
    assert await mailbox(svc.store, "webchat:pupr-t15a") == []  # never sent unasked
    said = texts(await say(http, svc.url, "bupati-t15", "ya"))
    assert "sudah dikirim ke 2 petugas" in said, said
    await wait_for(lambda: _heard(svc, "pupr-t15a", "lapor ke saya besok pagi"))
    await wait_for(lambda: _heard(svc, "pupr-t15b", "lapor ke saya besok pagi"))
    assert await mailbox(svc.store, "webchat:dishub-t15") == []
    [read] = [p for p in payloads(await mailbox(svc.store, "webchat:pupr-t15a")) if p.startswith("/terima_pesan ")]
    code = read.split()[1]
    # another office's officer cannot mark it read
    said = texts(await say(http, svc.url, "dishub-t15", read))
    assert "dinas lain" in said, said
    said = texts(await say(http, svc.url, "pupr-t15a", read))
    assert "pimpinan sudah diberi tahu" in said, said
    await wait_for(lambda: _heard(svc, "bupati-t15", "sudah membaca pesan Anda"))
    said = texts(await say(http, svc.url, "pupr-t15a", read))  # tapped twice: told once
    assert "sudah menandai" in said, said
    await say(http, svc.url, "pupr-t15b", f"/terima_pesan {code} siap pak, besok jam 8 kepala dinas menghadap")
    await wait_for(lambda: _heard(svc, "bupati-t15", "besok jam 8 kepala dinas menghadap"))
    told = [m for m in await mailbox(svc.store, "webchat:bupati-t15") if "sudah membaca pesan Anda" in texts([m])]
    assert len(told) == 2, told


async def test_a_word_to_an_office_with_nobody_enrolled_asks_the_operators(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-t16", role="regent", opd=None)
    await enrol(http, svc, "operator-t16", role="operator", opd=None)
    said = texts(await say(http, svc.url, "bupati-t16", "/pesan_opd dinas-sosial data bansos segera diperbarui"))
    assert "belum terkirim" in said, said
    await wait_for(lambda: _heard(svc, "operator-t16", "/undang dinas-sosial"))


async def test_a_word_to_every_office_reaches_each_enrolled_one(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t17")
    await enrol(http, svc, "dishub-t17", opd="dishub")
    await enrol(http, svc, "bupati-t17", role="regent", opd=None)
    replies = await say(http, svc.url, "bupati-t17", "tolong sampaikan ke semua dinas, aduan warga dijawab paling "
                                                     "lambat 3 hari")
    assert any(p.startswith("/pesan_opd semua ") for p in payloads(replies)), texts(replies)
    said = texts(await say(http, svc.url, "bupati-t17", "ya"))
    assert "2 petugas di 2 OPD" in said and "Belum ada petugas terdaftar di" in said, said
    await wait_for(lambda: _heard(svc, "pupr-t17", "paling lambat 3 hari"))
    await wait_for(lambda: _heard(svc, "dishub-t17", "paling lambat 3 hari"))
    [read] = [p for p in payloads(await mailbox(svc.store, "webchat:dishub-t17")) if p.startswith("/terima_pesan ")]
    await say(http, svc.url, "dishub-t17", read)
    await wait_for(lambda: _heard(svc, "bupati-t17", "Petugas Dishub"))
    assert "sudah membaca pesan Anda" in texts(await mailbox(svc.store, "webchat:bupati-t17"))


async def test_regent_words_about_a_complaint_are_no_word_to_an_office(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-t18", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-t18")
    replies = await say(http, svc.url, "bupati-t18", f"tolong {number} segera ditangani dinas pupr")
    assert not any(p.startswith("/pesan_opd") for p in payloads(replies)), texts(replies)


# --- three problems in one message; a complaint past its deadline ---------------------------------------------
async def test_three_problems_in_one_message_are_offered_one_after_another(svc, http):  # noqa: F811
    who = "warga-t19"
    text = ("saya mau lapor 3 hal: 1. jalan rusak di desa sukamaju 2. lampu jalan mati di depan masjid 3. sampah "
            "menumpuk di pasar")
    await say(http, svc.url, who, text)
    for step in ("ya", "desa sukamaju", "lewati", "privacy:publik"):
        await say(http, svc.url, who, step)
    offices = []
    for _ in range(3):
        replies = await say(http, svc.url, who, "btn:send")
        [ticket] = [t for t in await _tickets(svc, who) if t.opd_id not in offices]
        offices.append(ticket.opd_id)
        if "btn:also" not in payloads(replies):
            break
        await say(http, svc.url, who, "btn:also")
        for step in ("ya", "lewati", "privacy:publik"):
            await say(http, svc.url, who, step)
    assert sorted(offices) == ["dinas-pupr", "dishub", "dlh"], offices  # each once, none offered twice
    assert "btn:also" not in payloads(replies), texts(replies)


async def test_a_status_past_its_deadline_says_so_and_what_the_resident_may_do(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-t20")
    said = texts(await say(http, svc.url, "warga-t20", f"status {number}"))
    assert "(sudah lewat)" not in said and "Ombudsman" not in said, said
    clock.now += timedelta(days=20)
    replies = await say(http, svc.url, "warga-t20", f"status {number}")
    said = texts(replies)
    assert "(sudah lewat)" in said and "Ombudsman RI" in said and "/bupati" in payloads(replies), said


async def test_a_rating_in_words_to_is_it_fixed_is_the_rating_and_its_comment(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t21")
    number = await file_complaint(http, svc.url, "warga-t21")
    await say(http, svc.url, "pupr-t21", f"/selesai {number} sudah ditambal")
    await wait_for(lambda: _heard(svc, "warga-t21", "Sudah beres?"))
    said = texts(await say(http, svc.url, "warga-t21", "bintang 3 aja, soalnya lama banget baru diperbaiki"))
    assert "(3/5)" in said and "Kami belum yakin dinas mana" not in said, said
    assert await _tickets(svc, "warga-t21") == [await svc.store.get_ticket(number)]  # no new complaint
    await wait_for(lambda: _heard(svc, "pupr-t21", "lama banget baru diperbaiki"))


# --- in a letter request ------------------------------------------------------------------------------------
async def test_a_question_about_the_letter_keeps_the_request(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-t22", "mau bikin surat keterangan domisili")
    said = texts(await say(http, svc.url, "warga-t22", "buat apa ya ini, saya cuma perlu buat daftar sekolah anak"))
    assert "Permohonan ini tetap kami simpan" in said and "kita catat aduan" not in said, said
    assert "Nama lengkap" in texts(await say(http, svc.url, "warga-t22", "desa sooko"))


async def test_an_answer_put_off_keeps_the_request_at_its_question(svc, http, clock):  # noqa: F811
    for words in ("mau bikin surat keterangan domisili", "desa sooko", "Budi Santoso"):
        await say(http, svc.url, "warga-t23", words)
    said = texts(await say(http, svc.url, "warga-t23", "nik saya lupa, nanti saya lihat dulu di KTP"))
    assert "Permohonan ini kami simpan" in said and "NIK" in said and "kita catat aduan" not in said, said
    clock.now += timedelta(days=2)
    said = texts(await say(http, svc.url, "warga-t23", "3204101708900003"))
    assert "Tempat lahir" in said, said


async def test_another_letter_type_named_as_a_correction_changes_the_request(svc, http):  # noqa: F811
    for words in ("surat sktm", "desa sooko", "Siti Aminah"):
        await say(http, svc.url, "warga-t24", words)
    said = texts(await say(http, svc.url, "warga-t24", "eh bukan, maksudnya surat keterangan usaha"))
    assert "*Surat Keterangan Usaha*" in said and "belum melayani" not in said, said
    assert "NIK" in said  # the name, asked by both, is kept


async def test_the_operator_asking_whether_the_service_is_down_gets_the_outbox_figures(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-t25", role="operator", opd=None)
    said = texts(await say(http, svc.url, "operator-t25", "bot nya error gak ya? cek status sistem"))
    assert "Antrean kirim saat ini" in said and "/desk/kiriman" in said and "/healthz" in said, said
    assert "Perintah operator" not in said, said


# --- a few words more -----------------------------------------------------------------------------------------
async def test_how_long_it_has_been_at_the_topic_question_is_more_of_the_report_not_a_yes(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-t26", "jalan depan rumah saya rusak")
    replies = await say(http, svc.url, "warga-t26", "udah lama banget")
    assert "btn:yes" in payloads(replies) and "kami tambahkan" in texts(replies), texts(replies)
    conversation = await svc.store.get_conversation("webchat:warga-t26")
    assert conversation is not None and conversation.state.get("step") == "confirm_topic"
    assert "udah lama banget" in ComplaintDraft.load(conversation.state).text


@pytest.mark.parametrize("typed", ["kalau saya lapor nanti yang datang ngecek siapa?", "who will come to check it?"])
async def test_who_follows_a_complaint_up_is_answered(svc, http, typed):  # noqa: F811
    replies = await say(http, svc.url, "warga-t27", typed)
    said = texts(replies)
    assert ("Dinas PUPR untuk jalan" in said or "Dinas PUPR for roads" in said) and "/tanyakan" not in str(
        payloads(replies)), said


async def test_who_comes_asked_in_the_middle_of_a_complaint_names_its_office(svc, http):  # noqa: F811
    await _at_the_place_question(http, svc, "warga-t28")
    said = texts(await say(http, svc.url, "warga-t28", "nanti yang datang ngecek siapa ya?"))
    assert "ditindaklanjuti petugas Dinas Pekerjaan Umum" in said and "Di mana lokasinya" in said, said


async def test_asking_to_report_in_javanese_is_a_language_question(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-t29", "bisa lapor pakai bahasa jawa?"))
    assert "bahasa Jawa tetap kami pahami" in said and "publik (aduan" not in said, said


@pytest.mark.parametrize("typed, words", [
    ("cara alihkan aduan ke dinas lain gimana?", "/alihkan {number} triase"),
    ("gimana cara tutup aduan?", "/selesai {number} catatan"),
    ("bisa lihat di web gak aduannya?", "/desk"),
])
async def test_staff_asking_how_to_use_it_are_told_not_offered_to_the_reporter(svc, http, typed, words):  # noqa: F811
    await enrol(http, svc, "pupr-t30")
    number = await file_complaint(http, svc.url, "warga-t30")
    replies = await say(http, svc.url, "pupr-t30", typed)
    said = texts(replies)
    assert words.format(number=number) in said and not any(p.startswith("/balas") for p in payloads(replies)), said


async def test_dont_tell_the_village_head_it_was_me_begins_the_report_anonymous(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-t31", "tolong jangan kasih tahu kades kalau saya yang lapor, ini soal "
                                                       "dana desa yang diselewengkan"))
    assert "*Anonim*" in said and "*Dana desa*" in said, said


@pytest.mark.parametrize("typed, emergency", [
    ("pak tolong, rumah saya kebanjiran sekarang, air sudah sepinggang, ada lansia", True),
    ("tiap hujan deras kampung kami banjir sepinggang, tolong dinormalisasi sungainya", False),
])
async def test_water_waist_high_now_is_an_emergency_a_flood_every_rain_is_not(svc, http, typed, emergency):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-t32", typed))
    assert ("Keadaan darurat" in said and "BPBD" in said) is emergency, said


async def test_the_operator_asking_who_is_enrolled_gets_the_staff_list(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-t33", role="operator", opd=None)
    await enrol(http, svc, "pupr-t33")
    said = texts(await say(http, svc.url, "operator-t33", "siapa saja petugas dinas pupr yang sudah terdaftar?"))
    assert "Dinas PUPR" in said and "Perintah operator" not in said and "/cabut_akses" in said, said


@pytest.mark.parametrize("who, role, typed, words", [
    ("operator-t34", "operator", "gimana cara daftarkan petugas baru?", "/undang ID-OPD"),
    ("pupr-t34", "officer", "gimana cara daftarkan petugas baru?", "mintalah kode pendaftaran kepada operator"),
    ("bupati-t34", "regent", "gimana cara kirim pesan ke semua dinas?", "/pesan_opd semua pesan"),
])
async def test_how_to_enrol_and_how_to_message_offices_are_told(svc, http, who, role, typed, words):  # noqa: F811
    await enrol(http, svc, who, role=role, opd="dinas-pupr" if role == "officer" else None)
    said = texts(await say(http, svc.url, who, typed))
    assert words in said and "Apakah maksud Anda" not in said, said


# --- a village official -------------------------------------------------------------------------------------
async def test_a_village_official_is_told_how_to_file_for_a_resident_and_sees_their_list(svc, http):  # noqa: F811
    await enrol(http, svc, "desa-t35", role="pendamping", opd=None)
    said = texts(await say(http, svc.url, "desa-t35", "gimana cara lapor untuk warga yang gak punya hp?"))
    assert "/wakili Nama Warga" in said and "ibu saya" not in said, said
    replies = await say(http, svc.url, "desa-t35", "mbah sarinah minta dilaporkan, jalan depan rumahnya rusak")
    assert "/wakili Mbah Sarinah" in payloads(replies), texts(replies)
    assert await _tickets(svc, "desa-t35") == []
    said = texts(await say(http, svc.url, "desa-t35", "apakah saya bisa lihat status semua laporan warga yang saya "
                                                      "bantu?"))
    assert "belum mencatat aduan untuk warga" in said, said


# --- coming back later --------------------------------------------------------------------------------------
async def test_the_problem_back_after_the_window_offers_a_new_complaint_at_the_same_place(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-t36")
    number = await file_complaint(http, svc.url, "warga-t36")
    await say(http, svc.url, "pupr-t36", f"/selesai {number} sudah ditambal")
    clock.now += timedelta(days=60)
    replies = await say(http, svc.url, "warga-t36", "pak lubangnya muncul lagi di tempat yang sama")
    assert my_report.RECUR_YES in payloads(replies) and number in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-t36", "iya")
    assert "*Jalan rusak*" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    await say(http, svc.url, "warga-t36", "ya")  # the place is the earlier one's: the photo is asked next
    await say(http, svc.url, "warga-t36", "lewati")
    summary = texts(await say(http, svc.url, "warga-t36", "privacy:publik"))
    assert "Desa Sooko RT 02 RW 01" in summary and f"ditutup: {number}" in summary, summary
    await say(http, svc.url, "warga-t36", "btn:send")
    newer = [t for t in await _tickets(svc, "warga-t36") if t.number != number]
    assert len(newer) == 1 and newer[0].opd_id == "dinas-pupr", newer
    earlier = await svc.store.get_ticket(number)
    assert earlier is not None and earlier.status != STATUS_NEW  # the closed one stays closed


async def test_asking_ones_ticket_numbers_lists_them_and_keeps_a_draft(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-t37")
    await say(http, svc.url, "warga-t37", "lampu jalan di depan masjid mati")
    said = texts(await say(http, svc.url, "warga-t37", "aduan saya yang bulan lalu nomornya berapa ya?"))
    assert f"*{number}*" in said and "belum terkirim" in said and "Lampu penerangan jalan" in said, said


async def test_the_regents_word_to_an_office_is_offered_beside_answers_to_residents_who_wrote(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t38")
    await enrol(http, svc, "bupati-t38", role="regent", opd=None)
    for who in ("warga-t38a", "warga-t38b"):
        await say(http, svc.url, who, "/bupati")
        await say(http, svc.url, who, "Pak bupati, jalan di desa kami rusak sudah tiga tahun belum diperbaiki")
        await say(http, svc.url, who, "kirim")
    await wait_for(lambda: _heard(svc, "bupati-t38", "tiga tahun"))
    replies = await say(http, svc.url, "bupati-t38", "tolong minta kepala dinas pupr lapor ke saya besok pagi")
    assert any(p.startswith("/pesan_opd dinas-pupr ") for p in payloads(replies)), payloads(replies)


async def test_an_officer_trying_the_regents_message_is_told_it_is_the_regents(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t39")
    said = texts(await say(http, svc.url, "pupr-t39", "/pesan_opd dinas-pupr halo semua"))
    assert "khusus untuk Bupati" in said and "hanya untuk petugas" not in said, said
    said = texts(await say(http, svc.url, "warga-t39", "/pesan_opd dinas-pupr halo semua"))
    assert "hanya untuk petugas" in said, said  # a resident: as before


async def test_an_officers_plain_answer_to_the_regents_message_is_offered_to_him_not_a_reporter(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t40")
    await enrol(http, svc, "bupati-t40", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-t40")  # a reporter who wrote to the officer last
    await say(http, svc.url, "bupati-t40", "/pesan_opd dinas-pupr mohon kepala dinas menghadap saya besok jam 8")
    await wait_for(lambda: _heard(svc, "pupr-t40", "menghadap saya besok"))
    replies = await say(http, svc.url, "pupr-t40", "siap pak, besok jam 8 kepala dinas menghadap")
    assert any(p.startswith("/terima_pesan M") for p in payloads(replies)), payloads(replies)
    assert not any(p.startswith("/balas") for p in payloads(replies)), payloads(replies)
    await say(http, svc.url, "pupr-t40", "ya")
    await wait_for(lambda: _heard(svc, "bupati-t40", "Jawabannya: siap pak, besok jam 8"))


async def test_after_a_reporter_wrote_an_officers_plain_words_are_offered_to_the_reporter(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-t41")
    await enrol(http, svc, "bupati-t41", role="regent", opd=None)
    await say(http, svc.url, "bupati-t41", "/pesan_opd dinas-pupr mohon laporan jalan rusak besok")
    await wait_for(lambda: _heard(svc, "pupr-t41", "mohon laporan jalan rusak"))
    clock.now += timedelta(minutes=20)
    number = await file_complaint(http, svc.url, "warga-t41")  # a reporter writes after the regent's message
    await wait_for(lambda: _heard(svc, "pupr-t41", number))
    replies = await say(http, svc.url, "pupr-t41", "baik pak, besok kami perbaiki")
    assert f"/balas {number} baik pak, besok kami perbaiki" in payloads(replies), payloads(replies)


@pytest.mark.parametrize("step_words", [["lewati"], ["lewati", "privacy:publik"]])
async def test_more_of_the_report_at_the_last_steps_is_added_not_lost(svc, http, step_words):  # noqa: F811
    who = f"warga-t42-{len(step_words)}"
    await _at_the_place_question(http, svc, who)
    await say(http, svc.url, who, "Desa Sooko RT 02 RW 01, depan balai desa")
    for words in step_words:
        await say(http, svc.url, who, words)
    said = texts(await say(http, svc.url, who, "tambahin ya, lubangnya ada 3 dan dalam sekali, sudah ada motor jatuh"))
    assert "kami tambahkan" in said and "masalah lain" not in said, said
    said = texts(await say(http, svc.url, who, "oh iya, kemarin ada anak sekolah yang jatuh juga"))
    assert "kami tambahkan" in said and "masalah lain" not in said, said
    if len(step_words) == 1:
        await say(http, svc.url, who, "privacy:publik")
    await say(http, svc.url, who, "btn:send")
    [ticket] = await _tickets(svc, who)
    assert "motor jatuh" in ticket.text and "anak sekolah" in ticket.text, ticket.text
