"""The thirty-sixth trial: an officer's "/tanya WRG-… lubangnya sebesar apa pak?"; "lubangnya dalam, sudah 2 motor
jatuh" at the topic question; "eh bentar, sebenarnya itu di jalan mawar, bukan melati" after the place was given;
"bisakah saya melapor tanpa menyebutkan nama?"; "bisa minta tolong kirimin ambulans ke desa sooko? ada yang
melahirkan"; "knp sih pemerintah gak pernah dengerin rakyat"; the regent's "bagaimana kinerja dinas minggu ini?" and
"tolong kirim rekap ke saya tiap senin pagi"; the operator's "status sistem"; an officer's "bisa export data aduan ke
excel?" and "gimana cara pindahin sebagian aduan ke dinas lain?"; a village official's "mbah karto tidak punya hp,
nanti kabarnya ke saya saja ya" at the consent question; three problems of three offices in one message; "jalan
rusak di depan pasar, tolong teruskan ke dishub"; "can you notify me by email too?"; "syaratnya apa aja?" in a letter
request; "kalau jalan desa rusak itu tanggung jawab siapa ya? desa atau kabupaten?". Over real HTTP on a settable
clock.

Each was wrong before: the officer got the residents' "write your question" and nothing was sent; the detail was taken
for a yes and lost; the corrected place was added to the complaint's words and the wrong one kept; the anonymity
question was offered to the offices; the ambulance got topics to pick from; the lament began a complaint on unsure
topics; the regent and the operator got the help or "no open complaint matches"; the officer's questions were offered
to reporters as answers; the official's words were kept as the resident's matter; the third problem went unnamed;
the complaint naming an office was "not understood"; the e-mail question was offered to the offices; the letter's
requirements "cannot be answered here"; the question of responsibility was filed as a complaint.
"""

from __future__ import annotations

from datetime import timedelta

from actions import complaint, resident
from actions import understand as u
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_thirtyfifth import _heard, _said
from tests.harness import payloads, say, texts, wait_for


# --- staff ------------------------------------------------------------------------------------------------------------
async def test_an_officers_tanya_with_a_ticket_asks_its_reporter(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a1")
    number = await file_complaint(http, svc.url, "warga-a1")
    said = await _said(http, svc, "pupr-a1", f"/tanya {number} lubangnya sebesar apa pak?")
    assert "sudah dikirim ke pelapor" in said and "Silakan tulis pertanyaan" not in said, said
    await wait_for(lambda: _heard(svc, "warga-a1", "lubangnya sebesar apa pak?"))
    # the resident's answer goes back to the officer as the answer to that question
    said = await _said(http, svc, "warga-a1", "kira kira sebesar ban truk pak")
    assert number in said and "belum yakin" not in said, said
    await wait_for(lambda: _heard(svc, "pupr-a1", "sebesar ban truk"))
    # a resident's /tanya is still their own question
    said = await _said(http, svc, "warga-a2", "/tanya")
    assert "Silakan tulis pertanyaan" in said, said


async def test_an_officer_asking_how_to_export_or_move_part_of_a_complaint_is_told(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-b1")
    number = await file_complaint(http, svc.url, "warga-b1", "jembatan desa Puri retak dan lampunya mati")
    said = await _said(http, svc, "pupr-b1", "bisa export data aduan ke excel?")
    assert "Unduh CSV" in said and "belum terkirim" not in said, said
    said = await _said(http, svc, "pupr-b1", "gimana cara pindahin sebagian aduan ke dinas lain?")
    assert "seluruhnya" in said and f"/balas {number}" in said and "belum terkirim" not in said, said
    assert not await _heard(svc, "warga-b1", "export")


async def test_the_regent_asks_how_the_offices_do_this_week_and_for_a_weekly_recap(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-c1")
    await enrol(http, svc, "bupati-c", role="regent", opd=None)
    said = await _said(http, svc, "bupati-c", "bagaimana kinerja dinas minggu ini?")
    assert "Peringkat OPD" in said and "minggu ini" in said and "Dinas PUPR" in said, said
    said = await _said(http, svc, "bupati-c", "tolong kirim rekap ke saya tiap senin pagi")
    assert "setiap Senin pukul 07.00" in said and "Perintah pimpinan" not in said, said


async def test_the_operator_asks_the_system_state_in_two_words(svc, http):  # noqa: F811
    await enrol(http, svc, "ops-d", role="operator", opd=None)
    said = await _said(http, svc, "ops-d", "status sistem")
    assert "Antrean kirim saat ini" in said and "/healthz" in said, said


# --- residents --------------------------------------------------------------------------------------------------------
async def test_a_detail_with_sudah_at_the_topic_question_is_kept(svc, http):  # noqa: F811
    await _said(http, svc, "warga-e1", "jalan rusak", "di desa sooko dekat balai desa")
    replies = await say(http, svc.url, "warga-e1", "lubangnya dalam, sudah 2 motor jatuh")
    said = texts(replies)
    assert "kami tambahkan" in said and "btn:yes" in payloads(replies) and "foto" not in said.lower(), said
    await _said(http, svc, "warga-e1", "ya", "lewati")
    said = await _said(http, svc, "warga-e1", "publik")
    assert "2 motor jatuh" in said, said
    # a "sudah" at the start, or beside a word that says it fits, is still a yes
    assert not u.yes_as_aspect("sudah benar pak") and not u.yes_as_aspect("kayaknya sudah tepat itu")
    assert u.yes_as_aspect("lubangnya dalam, sudah 2 motor jatuh")


async def test_a_soft_place_correction_at_the_topic_question_changes_the_place(svc, http):  # noqa: F811
    await _said(http, svc, "warga-f1", "saluran air depan rumah saya mampet", "di jalan melati no 5 desa puri")
    said = await _said(http, svc, "warga-f1", "eh bentar, sebenarnya itu di jalan mawar, bukan melati")
    assert "jalan mawar no 5 desa puri" in said and "kami tambahkan" not in said, said
    await _said(http, svc, "warga-f1", "ya", "lewati")
    said = await _said(http, svc, "warga-f1", "publik")
    assert "Lokasi: jalan mawar no 5 desa puri" in said and "melati" not in said, said
    # "sebenarnya di …" without a place turned down corrects nothing
    assert not complaint.fixes_place("sebenarnya di desa kami banyak jalan rusak", "desa puri")


async def test_asking_to_report_without_a_name_is_answered(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-g1", "bisakah saya melapor tanpa menyebutkan nama?")
    said = texts(replies)
    assert "Anonim" in said and "Rahasia" in said and "/tanyakan" not in " ".join(payloads(replies)), said


async def test_a_call_for_an_ambulance_gets_the_emergency_numbers(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-h1", "bisa minta tolong kirimin ambulans ke desa sooko? ada yang melahirkan")
    assert "119" in said and "Keadaan darurat" in said and "belum yakin" not in said, said
    said = await _said(http, svc, "warga-h2", "please send an ambulance, my father collapsed")
    assert "119" in said, said


async def test_a_lament_at_the_government_gets_the_apology_and_the_way_to_report(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-i1", "knp sih pemerintah gak pernah dengerin rakyat")
    assert "Mohon maaf" in said and "belum yakin" not in said, said
    assert not resident.going_public("dinas tidak mengurus warga miskin di desa kami yang sakit")


async def test_three_problems_of_three_offices_are_all_named(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-j1",
                        "saya mau lapor. 1. jalan rusak di sooko 2. lampu mati di puri 3. sampah numpuk di pasar")
    said = texts(replies)
    assert "tiga hal" in said and "Sampah" in said, said
    assert {"topic:aduan_jalan_rusak", "topic:aduan_lampu_jalan", "topic:aduan_sampah"} <= set(payloads(replies))


async def test_a_complaint_that_names_an_office_is_understood(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-k1", "jalan rusak di depan pasar, tolong teruskan ke dishub")
    said = texts(replies)
    assert "belum memahami" not in said, said
    assert {"topic:aduan_jalan_rusak"} <= set(payloads(replies)) and any(
        p.startswith("topic:") and "dishub" in t.lower() for r in replies for b in r.get("buttons", [])
        for p, t in [(b["payload"], b["title"])]), said


async def test_news_by_email_is_answered(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-l1", "can you notify me by email too?")
    assert "comes to the chat you reported from" in said, said
    said = await _said(http, svc, "warga-l2", "kabarnya bisa dikirim ke email saya?")
    assert "surel (email) belum kami kirim" in said, said


async def test_a_letters_requirements_asked_in_the_middle_are_told(svc, http):  # noqa: F811
    await _said(http, svc, "warga-m1", "saya butuh surat pengantar skck")
    said = await _said(http, svc, "warga-m1", "eh tunggu, syaratnya apa aja?")
    assert "foto KTP" in said and "belum bisa saya jawab" not in said and "desa/kelurahan mana" in said, said


async def test_whose_responsibility_a_matter_is_gets_its_office(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-n1",
                        "kalau jalan desa rusak itu tanggung jawab siapa ya? desa atau kabupaten?")
    said = texts(replies)
    assert "ditangani *Dinas PUPR*" in said and "btn:yes" not in payloads(replies), said


# --- village officials ------------------------------------------------------------------------------------------------
async def test_news_through_the_official_for_a_resident_without_a_phone_is_not_the_matter(svc, http):  # noqa: F811
    await enrol(http, svc, "pd-o1", role="pendamping", opd=None)
    await _said(http, svc, "pd-o1", "saya kades sooko, mau bantu lapor untuk mbah karto, rumahnya hampir roboh", "ya")
    replies = await say(http, svc.url, "pd-o1", "mbah karto tidak punya hp, nanti kabarnya ke saya saja ya")
    said = texts(replies)
    assert "kami kirim kepada Anda" in said and "Keluhan itu kami simpan" not in said, said
    assert "/wakili_setuju" in payloads(replies)
    replies = await say(http, svc.url, "pd-o1", "sudah setuju")
    said = texts(replies)
    assert "Rumah" in said or "topic:aduan_rumah_tidak_layak" in payloads(replies), said


async def test_an_officer_asks_for_words_to_reach_the_reporter_of_the_ticket_just_opened(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-p1")
    await enrol(http, svc, "pupr-p1")  # (enrolled after it came in: no card, no reporter who wrote to them)
    await _said(http, svc, "pupr-p1", f"/info {number}")
    replies = await say(http, svc.url, "pupr-p1", "pelapornya bisa dihubungi gak?")
    said = texts(replies)
    assert "Nomor pelapor tidak kami tampilkan" in said and number in said, said
    replies = await say(http, svc.url, "pupr-p1", "tolong kirim pesan ke pelapor bahwa tim datang besok jam 9")
    said = texts(replies)
    assert f"pelapor aduan *{number}*" in said and "yang terakhir menulis" not in said, said
    assert f"/balas {number} Tim datang besok jam 9" in payloads(replies), payloads(replies)
    assert not await _heard(svc, "warga-p1", "Tim datang")  # nothing sent before the tap
    await _said(http, svc, "pupr-p1", "ya")
    await wait_for(lambda: _heard(svc, "warga-p1", "Tim datang besok jam 9"))


async def test_switching_off_notices_is_explained_to_staff(svc, http):  # noqa: F811
    await enrol(http, svc, "ops-q1", role="operator", opd=None)
    said = await _said(http, svc, "ops-q1", "tolong matikan notifikasi untuk dinas sosial")
    assert "tidak bisa dimatikan per dinas" in said and "/cabut_akses" in said, said
    await enrol(http, svc, "pupr-q2")
    said = await _said(http, svc, "pupr-q2", "bisa matikan notifikasi saya?")
    assert "tidak bisa dimatikan" in said and "/undang" in said, said


async def test_the_operator_counts_messages_and_the_regent_asks_who_reports_most(svc, http):  # noqa: F811
    await enrol(http, svc, "ops-r1", role="operator", opd=None)
    said = await _said(http, svc, "ops-r1", "berapa pesan yang masuk hari ini?")
    assert "bukan setiap pesan chat" in said and "Ringkasan aduan" in said, said
    await enrol(http, svc, "bupati-r2", role="regent", opd=None)
    said = await _said(http, svc, "bupati-r2", "siapa yang paling sering lapor?")
    assert "Pelapor tidak kami peringkat" in said and "desa/kelurahan" in said and "Perintah" not in said, said


async def test_a_doubt_about_the_topic_at_the_summary_is_answered(svc, http):  # noqa: F811
    await _said(http, svc, "warga-s1", "got depan sd 1 sooko mampet, airnya meluber ke jalan", "ya", "ya", "lewati")
    replies = await say(http, svc.url, "warga-s1", "publik")
    assert "btn:send" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "warga-s1", "sebentar, topiknya kok saluran? itu selokan pak")
    said = texts(replies)
    assert "hanya menentukan dinas" in said and "Kirim aduan ini?" in said and "pilih salah satu" not in said, said
    assert not complaint.doubts_topic("topiknya salah, harusnya jalan rusak")


async def test_a_school_named_at_the_topic_question_is_the_place(svc, http):  # noqa: F811
    await _said(http, svc, "warga-t1", "saya mau lapor soal guru anak saya yang sering tidak masuk")
    said = await _said(http, svc, "warga-t1", "SDN 2 Puri")
    assert "Lokasinya kami catat: SDN 2 Puri" in said and "kami tambahkan" not in said, said


async def test_not_this_but_that_after_ga_jadi_corrects_the_topic_and_keeps_the_draft(svc, http):  # noqa: F811
    await _said(http, svc, "warga-u1", "trotoar di depan alun2 rusak parah")
    said = await _said(http, svc, "warga-u1", "eh ga jadi, itu bukan trotoar tapi jalan aspalnya")
    assert "dibatalkan" not in said and "Jalan rusak" in said, said
    assert complaint.cancels_draft("eh ga jadi deh pak, udah dibersihin warga")


async def test_a_residents_own_letter_asked_after(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-v1", "surat saya sudah jadi belum?")
    assert "belum menemukan permohonan surat" in said and "SRT-" in said, said
    await _said(http, svc, "warga-v2", "surat keterangan domisili", "Desa Sooko")
    await _said(http, svc, "warga-v2", "batal")
    said = await _said(http, svc, "warga-v2", "suratnya kapan jadi?")
    assert "belum menemukan permohonan surat" in said, said  # (a request never sent is none)


async def test_an_english_writer_hides_their_name_and_adds_a_detail_at_the_identity_question(svc, http):  # noqa: F811
    await _said(http, svc, "warga-w1", "The garbage in front of the Sooko market hasn't been collected for 5 days",
                "correct", "yes", "I'll send a picture later")
    said = await _said(http, svc, "warga-w1", "wait, can I add that there are rats too?")
    assert "added" in said and "cannot answer" not in said, said
    said = await _said(http, svc, "warga-w1", "keep my name hidden please")
    assert "Identity: Anonymous" in said and "there are rats too" in said, said


async def test_no_photo_typed_short_and_a_visit_asked_after(svc, http):  # noqa: F811
    await _said(http, svc, "warga-x1", "lpr jln rsk d ds sooko bnyk lbg", "y", "y")
    replies = await say(http, svc.url, "warga-x1", "g ad")
    assert "privacy:anonim" in payloads(replies), texts(replies)
    number = await file_complaint(http, svc.url, "warga-x2")
    said = await _said(http, svc, "warga-x2", "pak, sudah ada yang datang belum ke lokasi?")
    assert f"Status tiket *{number}*" in said and "teruskan ke petugas" not in said, said


async def test_yes_to_the_button_to_write_to_the_regent_opens_it(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-y1")
    replies = await say(http, svc.url, "warga-y1", "kalau belum diperbaiki saya mau lapor ke bupati langsung")
    assert "/bupati" in payloads(replies), texts(replies)
    said = await _said(http, svc, "warga-y1", "ya")
    assert "Silakan tulis pesan yang ingin Anda sampaikan kepada Bupati" in said, said


async def test_a_complaint_named_by_its_matter_while_another_officer_waits(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z1")
    road = await file_complaint(http, svc.url, "warga-z1")
    lamp = await file_complaint(http, svc.url, "warga-z1", "lampu jalan di depan masjid desa sooko mati")
    await _said(http, svc, "pupr-z1", f"/balas {road} besok kami cek ya pak")
    said = await _said(http, svc, "warga-z1", "yang lampu gimana pak?")
    assert f"Status tiket *{lamp}*" in said and "yang mana" not in said, said
    said = await _said(http, svc, "warga-z1", "tolong tutup aduan lampu saya, sudah nyala")
    assert lamp in said and "ditutup?" in said, said


async def test_a_rating_said_again_is_noted(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z2")
    number = await file_complaint(http, svc.url, "warga-z2")
    await _said(http, svc, "pupr-z2", f"/selesai {number} sudah diperbaiki")
    await _said(http, svc, "warga-z2", "mantap pak, terima kasih banyak, cepat sekali")
    said = await _said(http, svc, "warga-z2", "bintang 5 deh")
    assert "(5/5) sudah kami catat" in said and "belum memahami" not in said, said
    said = await _said(http, svc, "warga-z2", "nilai 4 aja")
    assert "4/5" in said, said
    assert (await svc.store.get_ticket(number)).rating == 4


async def test_an_idle_draft_asked_whether_it_was_sent(svc, http, clock):  # noqa: F811
    await _said(http, svc, "warga-aa1", "ada sampah numpuk di pinggir sungai desa puri", "ya")
    clock.now += timedelta(days=3)
    await _said(http, svc, "warga-aa1", "halo pak")
    said = await _said(http, svc, "warga-aa1", "yang kemarin belum saya kirim ya?")
    assert "belum terkirim" in said and "belum berupa lokasi" not in said, said
    assert not resident.asks_if_sent("fotonya belum saya kirim, nanti ya")


async def test_the_place_question_explained_when_not_understood(svc, http):  # noqa: F811
    await _said(http, svc, "warga-ab1", "jalan berlubang besar di jalan raya sooko", "ya")
    said = await _said(http, svc, "warga-ab1", "maksudnya lokasi gimana? saya kurang paham")
    assert "patokan terdekat" in said and "belum berupa lokasi" not in said, said


async def test_an_insult_at_the_staff_is_no_complaint_to_set_aside(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-ac1", "goblok semua pegawai pemkab")
    assert "Mohon maaf" in said and "belum yakin" not in said, said
    replies = await say(http, svc.url, "warga-ac1", "jalan depan rumah saya rusak dari tahun lalu")
    assert "Jalan rusak" in texts(replies) and "masalah lain" not in texts(replies), texts(replies)


async def test_an_officers_words_that_order_a_transfer_make_ya_transfer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-ad")  # (the new complaint's card reaches them)
    number = await file_complaint(http, svc.url, "warga-ad1", "jembatan desa Puri retak dan lampunya mati")
    replies = await say(http, svc.url, "pupr-ad", "ini bukan wewenang kami, tolong alihkan ke dishub")
    assert payloads(replies)[0].startswith(f"/alihkan {number} dishub"), payloads(replies)
    assert "Alihkan aduan" in texts(replies), texts(replies)
    said = await _said(http, svc, "pupr-ad", "ya")
    assert "dialihkan ke Dishub" in said, said
    assert (await svc.store.get_ticket(number)).opd_id == "dishub"
    assert not await _heard(svc, "warga-ad1", "bukan wewenang kami")  # nothing of it went to the reporter


async def test_yes_to_routing_a_complaint_named_in_words_routes_it(svc, http):  # noqa: F811
    await _said(http, svc, "warga-ae1", "ada masalah di desa kami, tolong dibantu, sudah lama sekali tidak ada yang "
                "peduli", "topic:lainnya", "desa japan", "lewati", "publik")
    said = await _said(http, svc, "warga-ae1", "kirim")
    number = said.split("*")[1]
    await enrol(http, svc, "ops-ae", role="operator", opd=None)
    await _said(http, svc, "ops-ae", "yang desa japan itu ke dinas sosial saja")
    said = await _said(http, svc, "ops-ae", "ya")
    assert "diteruskan ke Dinas Sosial" in said, said
    assert (await svc.store.get_ticket(number)).opd_id == "dinas-sosial"


async def test_an_officer_asks_for_finished_complaints_and_their_offices_figures(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-af")
    number = await file_complaint(http, svc.url, "warga-af1")
    await _said(http, svc, "pupr-af", f"/selesai {number} sudah ditambal")
    said = await _said(http, svc, "pupr-af", "minta daftar aduan yang sudah selesai bulan ini")
    assert "Aduan yang selesai, bulan ini" in said and number in said, said
    said = await _said(http, svc, "pupr-af", "berapa rata-rata nilai dari warga untuk dinas kami?")
    assert "Dinas PUPR" in said and "Perintah petugas" not in said, said


async def test_an_officers_number_asked_after_their_reply_is_not_passed_on(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-ag1")
    await enrol(http, svc, "pupr-ag")
    await _said(http, svc, "pupr-ag", f"/balas {number} baik pak, kami jadwalkan minggu ini")
    said = await _said(http, svc, "warga-ag1", "boleh minta no wa petugasnya?")
    assert "nomor pribadi petugas tidak kami berikan" in said and "sudah kami teruskan" not in said, said
    assert not await _heard(svc, "pupr-ag", "no wa petugasnya")


async def test_a_village_of_the_regency_named_after_di_is_the_place_guessed(svc, http):  # noqa: F811
    await _said(http, svc, "warga-ah1", "mau lapor", "jalan rusak", "di sooko")
    said = await _said(http, svc, "warga-ah1", "ya")
    assert "Apakah lokasinya di *Desa Sooko*?" in said, said
    await _said(http, svc, "warga-ah2", "the garbage at Sooko market has not been collected for a week")
    said = await _said(http, svc, "warga-ah2", "yes")
    assert "Is it at *Sooko market*?" in said, said


async def test_the_regents_answer_to_a_resident_who_wrote_after_he_opened_a_complaint(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-ai", role="regent", opd=None)
    await enrol(http, svc, "pupr-ai")
    number = await file_complaint(http, svc.url, "warga-ai1")
    clock.now += timedelta(days=20)
    said = await _said(http, svc, "bupati-ai", "ada yang terlambat?")
    assert number in said and "Perintah pimpinan" not in said, said
    await _said(http, svc, "bupati-ai", f"{number} kenapa belum ditangani?")
    await _said(http, svc, "bupati-ai", "tolong pupr segera tangani jalan di sooko itu", "ya")
    # the office answers him in words, and is offered to send them as its report
    replies = await say(http, svc.url, "pupr-ai", "siap pak bupati, besok kami kerjakan")
    assert f"/lapor_bupati {number} siap pak bupati, besok kami kerjakan" in payloads(replies), texts(replies)
    # a resident writes to the regent; his thanks is for that resident, not an instruction on the complaint opened
    await _said(http, svc, "warga-ai2", "/bupati",
                "pak bupati, saya ingin mengusulkan agar taman kota diberi lampu karena malam gelap", "kirim")
    replies = await say(http, svc.url, "bupati-ai", "terima kasih usulannya, akan kami tindak lanjuti")
    assert not any(p.startswith(f"/disposisi {number}") for p in payloads(replies)), payloads(replies)
    assert any(p.startswith("/balas ") and number not in p for p in payloads(replies)), payloads(replies)


async def test_a_resident_of_the_officials_named_after_ini_ada_warga_saya(svc, http):  # noqa: F811
    await enrol(http, svc, "pd-aj1", role="pendamping", opd=None)
    replies = await say(http, svc.url, "pd-aj1", "ini ada warga saya bu suminah, rt 3, atap rumahnya bocor parah "
                                                 "kalau hujan")
    assert "/wakili Bu Suminah" in payloads(replies), texts(replies)
    await _said(http, svc, "pd-aj1", "ya", "sudah setuju")
    said = await _said(http, svc, "pd-aj1", "aduan warga yang saya bantu apa saja?")
    assert "belum terkirim" in said and "belum bisa saya jawab" not in said, said


async def test_praise_with_a_but_and_a_fear_of_apps(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-ak1", "aplikasi ini bagus tapi balasnya lama")
    assert "Terima kasih atas masukannya" in said and "belum yakin" not in said, said
    said = await _said(http, svc, "warga-ak3", "kenapa harus pakai aplikasi, saya gaptek")
    assert "Tidak perlu memasang aplikasi" in said and "belum yakin" not in said, said
    assert not resident.praises_but_slow("jalannya bagus tapi lampunya lama mati")


async def test_thanks_and_a_hope_after_filing_a_disappointment_and_anonymity_asked_in_english(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-al1")
    said = await _said(http, svc, "warga-al1", "terima kasih pak, semoga cepat ditangani")
    assert "terima kasih sudah melapor" in said and "kami tambahkan" not in said, said
    assert not any(e.kind == "message_in" for e in await svc.store.ticket_events(number))
    clock.now += timedelta(days=12)
    said = await _said(http, svc, "warga-al1", "saya kecewa sekali")
    assert "Mohon maaf" in said and number in said and "belum memahami" not in said, said
    await _said(http, svc, "warga-al2", "the street light in front of the mosque in Sooko is broken", "yes", "yes",
                "skip", "public")
    said = await _said(http, svc, "warga-al2", "send")
    other = said.split("*")[1]
    said = await _said(http, svc, "warga-al2", "can I change my complaint to anonymous?")
    assert "*Anonymous*" in said and "is not changed" not in said, said
    assert (await svc.store.get_ticket(other)).privacy == "anonim"


async def test_a_copy_of_ones_data_is_asked_for(svc, http):  # noqa: F811
    await enrol(http, svc, "ops-am", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-am1")
    replies = await say(http, svc.url, "warga-am1", "apakah bisa minta salinan data aduan saya?")
    said = texts(replies)
    assert "UU No. 27 Tahun 2022" in said and "salinannya" in said and "/tanyakan" not in " ".join(payloads(replies))
    assert "/aduansaya" in payloads(replies), payloads(replies)
    await wait_for(lambda: _heard(svc, "ops-am", "Permintaan salinan data pribadi"))
    assert await _heard(svc, "ops-am", number)
