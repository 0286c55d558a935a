"""The thirty-fifth trial: "saya korban penipuan online, uang saya 2 juta hilang"; "apakah bisa lapor untuk desa
lain?"; "mas, iki piye to, lampune mati wis seminggu"; "kok nomornya tidak bisa ditelepon?"; "di pertigaan sooko ada
kecelakaan barusan, korbannya masih tergeletak"; "lanjut yang kemarin" to a draft left two days; "eh jangan
dibatalkan, tadi salah pencet" after a cancel; "I live in Puri, near the big mosque" and "actually can you make it
public?" at the topic list; "lumayan lah, tapi agak lama" to "Sudah beres?"; "tambalannya sudah lepas lagi pak" after
the rating; "kapan dikerjakan pak? perkiraan tanggalnya"; "oh ya pak, sekalian, di dekat situ ada gorong-gorong yang
tersumbat" just after filing; "apakah saya bisa ketemu langsung dengan bupati?"; "can I speak to the head of the
office?"; an officer's "berapa aduan yang masuk minggu ini?", "siapa yang balas aduan saya tadi?", "tolong kirim foto
bukti ke pelapor" and "kenapa bot ini lama sekali balasnya"; the regent's "tolong tegur dinas PU, aduannya banyak yang
telat" and "saya mau lihat peta aduan"; the operator's "tambah petugas baru untuk dinas kesehatan", "tolong cek apakah
lapor.go.id tersambung", "bagaimana cara restart bot?" and "tolong umumkan ke semua warga bahwa kantor tutup besok";
a village official's "pak darmo, rumahnya kebanjiran tiap hujan, di RT 4" after the hint on filing for a resident, and
"bagaimana cara melaporkan untuk warga yang tidak punya HP?" at the consent question. Over real HTTP on a settable
clock.

Each was wrong before: the fraud got the answer on a lost belonging; the other village the privacy FAQ; the Javanese
lament was not understood; the unanswered phone was offered to the offices as a question; the accident got topics to
pick from; the draft's place question took "lanjut yang kemarin" for a yes; the regret was not understood; the English
place was "another matter" and the identity wish "cannot be answered here"; the rating words began a complaint on
unsure topics; "lepas lagi" was not understood; the estimate got FAQs to pick from; the new drain was offered as the
topic of the complaint just sent; the meeting with the regent got the status of the message sent to him; the head of
the office got the opening hours; the officer got the open queue, an offer to send the words to the reporter, and
the help twice; the regent and the operator the help, or residents' FAQs; the village official's resident's problem
was filed as the official's own, and the question at the consent was taken for "not agreed".
"""

from __future__ import annotations

from datetime import timedelta

from actions import emergency, resident
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for


async def _said(http, svc, who: str, *lines: str) -> str:  # noqa: F811
    said = ""
    for line in lines:
        said = texts(await say(http, svc.url, who, line))
    return said


async def _heard(svc, who: str, words: str) -> bool:  # noqa: F811
    return any(words in texts([m]) for m in await mailbox(svc.store, f"webchat:{who}"))


# --- residents, first words ------------------------------------------------------------------------------------------
async def test_a_fraud_is_reported_to_the_police_and_the_bank(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-a1", "saya korban penipuan online, uang saya 2 juta hilang")
    assert "SPKT" in said and "patrolisiber.id" in said and "cekrekening.id" in said, said
    assert "Kehilangan barang" not in said and "belum yakin" not in said, said
    said = await _said(http, svc, "warga-a2", "my mother got scammed on the phone")
    assert "police" in said and "bank" in said, said
    # a fraud in the government's name, or one that struck a village, is no answer of this kind
    assert not emergency.defrauded("saya ditipu oknum yang mengaku petugas dinsos, diminta transfer")
    assert not emergency.defrauded("penipuan investasi bodong di desa, banyak warga jadi korban")
    assert not emergency.defrauded("bagaimana cara lapor penipuan online?")


async def test_a_problem_in_another_village_may_be_reported(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-b1", "apakah bisa lapor untuk desa lain?")
    assert "tidak harus tentang desa tempat Anda tinggal" in said and "Anonim" not in said, said
    said = await _said(http, svc, "warga-b2", "can I report something in another village?")
    assert "any village" in said, said
    assert not resident.asks_other_village("ktp saya dari kabupaten lain, bisa lapor?")  # (someone from elsewhere)


async def test_a_javanese_lament_before_the_matter_is_read_past(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-c1", "mas, iki piye to, lampune mati wis seminggu")
    said = texts(replies)
    assert "Lampu penerangan jalan" in said and "btn:yes" in payloads(replies), said
    replies = await say(http, svc.url, "warga-c2", "gimana ini pak, sampah di pinggir jalan belum diangkut 3 hari")
    assert "Sampah" in texts(replies) and "belum memahami" not in texts(replies), texts(replies)


async def test_an_unanswered_phone_line_gets_the_line_and_this_chat(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-d1", "kok nomornya tidak bisa ditelepon?")
    assert "(0321) 321 321" in said and "24 jam" in said and "tanyakan" not in said, said
    assert not resident.says_call_failed("nomor wa saya tidak aktif lagi")  # (one's own number: a move)


async def test_an_accident_with_a_victim_on_the_ground_is_an_emergency(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-e1", "saya mau kasih tau, di pertigaan sooko ada kecelakaan barusan, "
                                              "korbannya masih tergeletak")
    assert "119" in said and "darurat" in said.lower() and "belum yakin" not in said, said
    said = await _said(http, svc, "warga-e2", "bangkai kucing masih tergeletak di jalan depan pasar")
    assert "🚨" not in said, said


# --- while a complaint is written -------------------------------------------------------------------------------------
async def test_continue_yesterdays_draft_asks_its_question_again(svc, http, clock):  # noqa: F811
    await _said(http, svc, "warga-f1", "sampah menumpuk di pinggir jalan raya puri", "ya")
    clock.now += timedelta(days=2)
    said = await _said(http, svc, "warga-f1", "lanjut yang kemarin")
    assert "Apakah lokasinya di *jalan raya puri*?" in said and "belum memahami" not in said, said
    said = await _said(http, svc, "warga-f1", "dekat jembatan puri")
    assert "foto" in said.lower(), said
    said = await _said(http, svc, "warga-f1", "lewati", "publik")
    assert "Lokasi: dekat jembatan puri" in said, said


async def test_a_cancel_tapped_by_mistake_is_undone(svc, http, clock):  # noqa: F811
    await _said(http, svc, "warga-g1", "saluran air depan rumah mampet", "ya", "dusun krajan rt 2 desa sooko")
    assert "dibatalkan" in await _said(http, svc, "warga-g1", "batal aja deh")
    said = await _said(http, svc, "warga-g1", "eh jangan dibatalkan, tadi salah pencet")
    assert "kami lanjutkan" in said and "foto" in said.lower(), said
    # a mis-tap said long after a cancel is of something else: nothing comes back
    await _said(http, svc, "warga-g2", "lampu jalan mati di desa puri", "ya", "batal")
    clock.now += timedelta(hours=3)
    said = await _said(http, svc, "warga-g2", "maaf kepencet")
    assert "kami lanjutkan" not in said, said


async def test_a_place_and_an_identity_wish_at_the_english_topic_list(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-h1", "Hi, the water from the tap has been brown for a week")
    assert "topic:aduan_air_bersih" in payloads(replies), texts(replies)
    said = await _said(http, svc, "warga-h1", "I live in Puri, near the big mosque")
    assert "noted the place: Puri, near the big mosque" in said and "another matter" not in said, said
    said = await _said(http, svc, "warga-h1", "anonymous")
    assert "*Anonymous*" in said, said
    said = await _said(http, svc, "warga-h1", "actually can you make it public?")
    assert "*Public*" in said and "cannot answer" not in said, said
    said = await _said(http, svc, "warga-h1", "1", "skip")
    assert "Location: Puri, near the big mosque" in said and "Identity: Public" in said, said


# --- after filing ----------------------------------------------------------------------------------------------------
async def test_the_scales_words_and_a_comment_answer_is_it_fixed(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-i1")
    number = await file_complaint(http, svc.url, "warga-i1")
    await say(http, svc.url, "pupr-i1", f"/selesai {number} sudah ditambal")
    said = await _said(http, svc, "warga-i1", "lumayan lah, tapi agak lama")
    assert "(3/5)" in said and "belum yakin" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.rating == 3 and "agak lama" in (ticket.rating_comment or ""), ticket


async def test_a_repair_that_came_off_after_the_rating_reopens_it(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-j1")
    number = await file_complaint(http, svc.url, "warga-j1")
    await say(http, svc.url, "pupr-j1", f"/selesai {number} sudah ditambal")
    await _said(http, svc, "warga-j1", "lumayan lah, tapi agak lama")
    clock.now += timedelta(days=3)
    said = await _said(http, svc, "warga-j1", "tambalannya sudah lepas lagi pak")
    assert number in said and "buka kembali" in said and "belum memahami" not in said, said
    assert resident.says_not_fixed("tambalannya sudah lepas lagi pak")
    assert not resident.says_not_fixed("semoga tidak lepas lagi")


async def test_when_asked_with_an_estimate_gets_the_status(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-k1")
    number = await file_complaint(http, svc.url, "warga-k1")
    await say(http, svc.url, "pupr-k1", f"/proses {number}")
    said = await _said(http, svc, "warga-k1", "kapan dikerjakan pak? perkiraan tanggalnya")
    assert number in said and "Sedang diproses" in said and "maksud Anda salah satu" not in said, said


async def test_one_more_problem_just_after_filing_is_no_topic_fix(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-l1", "lampu jalan depan masjid sooko mati")
    said = await _said(http, svc, "warga-l1", "oh ya pak, sekalian, di dekat situ ada gorong-gorong yang tersumbat")
    assert "sebenarnya tentang" not in said, said


async def test_meeting_the_regent_and_the_head_of_an_office(svc, http):  # noqa: F811
    await _said(http, svc, "warga-m1", "/bupati", "pak bupati, saya mau usul agar ada taman bermain anak di desa sooko")
    await _said(http, svc, "warga-m1", "kirim")
    replies = await say(http, svc.url, "warga-m1", "apakah saya bisa ketemu langsung dengan bupati?")
    said = texts(replies)
    assert "audiensi" in said and "Status tiket" not in said and "/bupati" in payloads(replies), said
    await file_complaint(http, svc.url, "warga-m2")
    said = await _said(http, svc, "warga-m2", "can I speak to the head of the office?")
    assert "Monday-Thursday" not in said and "Dinas" in said, said


async def test_the_later_of_two_words_at_one_instant_is_the_latest_answer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n1")
    number = await file_complaint(http, svc.url, "warga-n1")
    await say(http, svc.url, "pupr-n1", f"/balas {number} berapa kira-kira lebar lubangnya?")
    await say(http, svc.url, "pupr-n1", f"/proses {number} kami pasang rambu sementara hari ini")
    said = await _said(http, svc, "warga-n1", f"/status {number}")
    assert "kami pasang rambu sementara hari ini" in said and "lebar lubangnya" not in said, said


# --- staff -----------------------------------------------------------------------------------------------------------
async def test_an_officer_asks_what_came_in_this_week_who_answered_and_how(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-o1")
    await enrol(http, svc, "pupr-o2")
    number = await file_complaint(http, svc.url, "warga-o1")
    said = await _said(http, svc, "pupr-o1", "berapa aduan yang masuk minggu ini?")
    assert "Rekap aduan" in said and "Aduan masuk: 1" in said, said
    await say(http, svc.url, "pupr-o2", f"/balas {number} baik pak kami cek besok")
    said = await _said(http, svc, "pupr-o1", "siapa yang balas aduan saya tadi?")
    assert f"Tiket *{number}*" in said and "baik pak kami cek besok" in said and "belum terkirim" not in said, said
    said = await _said(http, svc, "pupr-o1", "tolong kirim foto bukti ke pelapor")
    assert f"/selesai {number}" in said and "caption" in said, said
    said = await _said(http, svc, "pupr-o1", "kenapa bot ini lama sekali balasnya")
    assert "operator Diskominfo" in said and "Perintah petugas" not in said, said


async def test_the_regent_reminds_an_office_by_its_common_name_and_finds_the_map(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-p1", role="regent", opd=None)
    replies = await say(http, svc.url, "bupati-p1", "tolong tegur dinas PU, aduannya banyak yang telat")
    assert "/ingatkan dinas-pupr" in payloads(replies), texts(replies)
    said = await _said(http, svc, "bupati-p1", "saya mau lihat peta aduan")
    assert "Peta aduan" in said and "/desk" in said and "Perintah pimpinan" not in said, said


async def test_the_operator_adds_staff_checks_lapor_restarts_and_cannot_broadcast(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-q1", role="operator", opd=None)
    said = await _said(http, svc, "operator-q1", "tambah petugas baru untuk dinas kesehatan")
    assert "Kode pendaftaran untuk petugas Dinas Kesehatan" in said and "/daftar" in said, said
    said = await _said(http, svc, "operator-q1", "tolong cek apakah lapor.go.id tersambung")
    assert "/healthz" in said and "Perintah operator" not in said, said
    said = await _said(http, svc, "operator-q1", "bagaimana cara restart bot?")
    assert "/muat_ulang" in said and "pengelola server" in said, said
    said = await _said(http, svc, "operator-q1", "tolong umumkan ke semua warga bahwa kantor tutup besok")
    assert "tidak mengirim pengumuman" in said and "Perintah operator" not in said, said


async def test_a_village_official_names_the_resident_first_and_asks_at_the_consent(svc, http):  # noqa: F811
    await enrol(http, svc, "pd-r1", role="pendamping", opd=None)
    await _said(http, svc, "pd-r1", "saya perangkat desa sooko, mau bantu lapor warga saya")
    replies = await say(http, svc.url, "pd-r1", "pak darmo, rumahnya kebanjiran tiap hujan, di RT 4")
    assert "/wakili Pak Darmo" in payloads(replies), texts(replies)
    await _said(http, svc, "pd-r1", "ya")
    replies = await say(http, svc.url, "pd-r1", "bagaimana cara melaporkan untuk warga yang tidak punya HP?")
    said = texts(replies)
    assert "/wakili Nama Warga" in said and "tanpa persetujuan" not in said, said
    assert "/wakili_setuju" in payloads(replies), said
    said = await _said(http, svc, "pd-r1", "sudah setuju")
    assert "Banjir" in said, said


# --- second round ----------------------------------------------------------------------------------------------------
async def test_a_wish_to_report_with_a_short_matter_tells_the_matter(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-s1", "saya mau lapor pak lurah jarang ngantor")
    said = texts(replies)
    assert "Perangkat desa" in said and "btn:yes" in payloads(replies) and "Silakan ceritakan" not in said, said


async def test_when_a_programme_runs_is_asked_of_its_office(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-s2", "kapan ada pasar murah?")
    assert "/tanyakan disperindag" in payloads(replies) and "maksud Anda" not in texts(replies), texts(replies)


async def test_impatience_and_a_threat_with_nothing_filed(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-s3", "kenapa tidak dijawab-jawab?")
    assert "Apa yang lama?" in said and "belum memahami" not in said, said
    said = await _said(http, svc, "warga-s4", "saya tunggu sampai besok, kalau tidak ada tindakan saya lapor ombudsman")
    assert "kami mengerti Anda kecewa" in said and "belum yakin" not in said, said
    said = await _said(http, svc, "warga-s5", "thanks for nothing")
    assert "sorry" in said.lower() and "Glad to help" not in said, said


async def test_why_a_phone_number_is_answered_before_and_during_a_complaint(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-s6", "kenapa harus pakai nomor hp?")
    assert "tidak perlu mengetik nomor HP" in said and "maksud Anda" not in said, said
    await _said(http, svc, "warga-s7", "lampu jalan mati di desa puri", "ya")
    said = await _said(http, svc, "warga-s7", "buat apa nomor wa saya?")
    assert "tidak perlu mengetik nomor HP" in said and "lokasi" in said.lower(), said


async def test_an_english_question_after_i_d_like_to_ask_is_no_complaint(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-s8", "Good afternoon. I'd like to ask where I can get a health certificate "
                                              "for work")
    assert "not sure which agency handles your complaint" not in said, said


async def test_a_certificate_of_residence_in_english_is_a_letter_request(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-s9", "I need a certificate of residence")
    assert "Certificate of domicile" in said and "complaint" not in said, said


async def test_the_regent_sends_a_message_to_him_on_to_offices_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-t1", role="regent", opd=None)
    await _said(http, svc, "warga-t1", "/bupati", "pak bupati, jalan poros desa puri rusak sudah 3 tahun tidak pernah "
                                                   "diperbaiki, mohon perhatiannya", "kirim")
    number = next(t.number for t in await svc.store.recent_tickets("webchat:warga-t1", 1))
    replies = await say(http, svc.url, "bupati-t1", "tolong teruskan ke dinas pupr dan dishub")
    offered = payloads(replies)
    assert any(p.startswith(f"/disposisi {number} dinas-pupr ") for p in offered), offered
    assert any(p.startswith(f"/disposisi {number} dishub ") for p in offered), offered
    assert not any(p.startswith("/balas") for p in offered), offered
    replies = await say(http, svc.url, "bupati-t1", f"{number} disposisi ke pupr, tolong ditinjau minggu ini")
    assert any(p.startswith(f"/disposisi {number} dinas-pupr ") for p in payloads(replies)), texts(replies)


# --- third round -----------------------------------------------------------------------------------------------------
async def test_an_officer_takes_the_one_just_opened_joins_two_in_words_and_thanks_the_bot(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-u1")
    first = await file_complaint(http, svc.url, "warga-u1")
    second = await file_complaint(http, svc.url, "warga-u2", "jembatan desa Puri retak dan hampir ambruk")
    await say(http, svc.url, "pupr-u1", f"/info {second}")
    said = await _said(http, svc, "pupr-u1", "ini saya ambil ya")
    assert f"{second} ditugaskan ke" in said and "belum terkirim" not in said, said
    replies = await say(http, svc.url, "pupr-u1", "aduan yang jalan sooko itu gabungkan saja dengan yang jembatan")
    assert f"/gabung {first} {second}" in payloads(replies), texts(replies)
    await say(http, svc.url, "pupr-u1", "/batal")
    await say(http, svc.url, "pupr-u1", "bisa minta perpanjangan waktu untuk aduan jembatan?")
    replies = await say(http, svc.url, "pupr-u1", "oke makasih")
    assert not any(p.startswith("/balas") for p in payloads(replies)), texts(replies)  # (the reporters only filed)
    said = await _said(http, svc, "pupr-u1", "saya ganti hp, akun saya gimana?")
    assert "/daftar KODE" in said and "belum terkirim" not in said, said


async def test_the_operator_asks_to_route_a_topic_not_a_complaint(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-v1", role="operator", opd=None)
    for line in ("ada yang aneh di desa kami pak, tolong dicek", "lainnya", "desa puri", "lewati", "publik", "kirim"):
        await say(http, svc.url, "warga-v1", line)
    replies = await say(http, svc.url, "operator-v1", "ubah rute topik lampu jalan ke disperkim")
    assert "content/directory.yml" in texts(replies) and not any(p.startswith("/rute") for p in payloads(replies))


async def test_the_regencys_hours_in_english_and_a_question_no_faq_fits(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-w1", "is the regent's office open on saturday?")
    assert "Monday" in said and "Where should the question go?" not in said, said
    replies = await say(http, svc.url, "warga-w2", "dimana bisa buang sampah elektronik?")
    assert any(p.startswith("/tanyakan ") for p in payloads(replies)), payloads(replies)
    assert not any(p.startswith("faq:") for p in payloads(replies)), payloads(replies)


# --- fourth round ----------------------------------------------------------------------------------------------------
async def test_a_krama_wish_to_hide_the_name_at_the_identity_question(svc, http):  # noqa: F811
    for line in ("sampah ing pinggir margi mboten dipundhut sampun seminggu", "leres",
                 "wonten dusun krajan, celak masjid", "mboten wonten foto"):
        await say(http, svc.url, "warga-x1", line)
    said = await _said(http, svc, "warga-x1", "asma kula mboten usah dipunpirsani")
    assert "Identitas: Anonim" in said and "pilih salah satu tombol" not in said, said


async def test_the_regent_asks_what_is_left_at_an_office_and_last_months_report(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-y1", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-y1")
    said = await _said(http, svc, "bupati-y1", "berapa yang belum selesai di dinas pupr?")
    assert "Dinas Pekerjaan Umum" in said and "1 masih terbuka" in said and "Perintah pimpinan" not in said, said
    said = await _said(http, svc, "bupati-y1", "saya mau lihat laporan bulan lalu")
    assert "bulan lalu (01-11 s.d. 30-11-2026)" in said, said
    said = await _said(http, svc, "bupati-y1", "rekap bulan kemarin")  # (not yesterday's)
    assert "bulan lalu" in said and "kemarin (" not in said, said


async def test_answering_an_officer_a_correction_and_a_question_of_ones_own(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z1")
    number = await file_complaint(http, svc.url, "warga-z1")
    await say(http, svc.url, "pupr-z1", f"/balas {number} Mohon maaf bu, apakah lubangnya di tengah jalan atau di "
                                        "pinggir?")
    await say(http, svc.url, "warga-z1", "di tengah pak")
    said = await _said(http, svc, "warga-z1", "eh salah, di pinggir dekat selokan")
    assert "sudah kami teruskan ke petugas" in said and "sebenarnya tentang" not in said, said
    await wait_for(lambda: _heard(svc, "pupr-z1", "eh salah, di pinggir dekat selokan"))
    replies = await say(http, svc.url, "warga-z1", "oh iya pak, saya juga mau tanya, syarat bikin KK baru apa ya?")
    assert "biodata keluarga" in texts(replies) and "btn:forward" not in payloads(replies), texts(replies)


async def test_changing_ones_name_on_a_complaint_is_explained(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-aa1")
    said = await _said(http, svc, "warga-aa1", "saya mau ganti nama di aduan saya")
    assert "/nama Budi Santoso" in said and "Silakan ceritakan" not in said, said
    said = await _said(http, svc, "warga-aa1", "jadikan anonim")
    assert number in said and "Anonim" in said, said


# --- second commit ---------------------------------------------------------------------------------------------------
async def test_a_lament_after_the_matter_and_an_ok_sip(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-bb1", "banyune pdam mati telung dina, piye iki?")
    assert "Air bersih/PDAM" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    said = await _said(http, svc, "warga-bb2", "ok sip")
    assert "Bila ada lagi yang bisa kami bantu" in said and "belum memahami" not in said, said


async def test_the_same_place_as_before_and_a_detail_added_without_its_lead(svc, http):  # noqa: F811
    for line in ("got depan rumah mampet, air meluber ke jalan", "ya", "gang melati rt 3 desa japan", "lewati",
                 "publik"):
        await say(http, svc.url, "warga-cc1", line)
    said = await _said(http, svc, "warga-cc1", "oh iya tambahkan juga baunya menyengat")
    assert "jalan\nbaunya menyengat" in said and "tambahkan juga" not in said.split("Isi:")[-1], said
    await say(http, svc.url, "warga-cc1", "kirim")
    await _said(http, svc, "warga-cc1", "satu lagi pak, lampu di gang melati juga mati", "iya")
    said = await _said(http, svc, "warga-cc1", "sama seperti tadi lokasinya")
    assert "lokasinya kami samakan" in said and "gang melati rt 3 desa japan" in said, said


async def test_the_regent_watches_what_has_no_follow_up_and_an_office_that_is_slow(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-dd1")
    await enrol(http, svc, "bupati-dd1", role="regent", opd=None)
    first = await file_complaint(http, svc.url, "warga-dd1")
    second = await file_complaint(http, svc.url, "warga-dd2", "lampu jalan di desa puri mati semua sejak seminggu")
    await say(http, svc.url, "pupr-dd1", f"/balas {first} kami cek besok")
    clock.now += timedelta(days=12)
    said = await _said(http, svc, "bupati-dd1", "aduan mana yang belum ada tindak lanjut sama sekali?")
    assert second in said and "menunggu tindak lanjut" in said and "Perintah pimpinan" not in said, said
    replies = await say(http, svc.url, "bupati-dd1", "dishub kok belum balas aduan lampu?")
    assert second in texts(replies) and "/ingatkan dishub" in payloads(replies), texts(replies)
    assert "Untuk menjawab pelapor" not in texts(replies), texts(replies)
    await say(http, svc.url, "bupati-dd1", "/batal")
    await say(http, svc.url, "bupati-dd1", "ingatkan semua dinas yang terlambat")
    said = await _said(http, svc, "bupati-dd1", "ya")
    assert "Pengingat sudah dikirim" in said and "Dishub" in said, said


async def test_thanks_said_after_a_wish_and_a_number_asked_of_an_outside_service(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-ee1", "pak saya mau mengucapkan terima kasih, jalan di desa kami sudah "
                                               "diaspal")
    assert "apresiasi" in said and "belum yakin" not in said, said
    said = await _said(http, svc, "warga-ee2", "berapa nomor pengaduan PLN?")
    assert "PLN 123" in said and "nomor tiket" not in said, said
