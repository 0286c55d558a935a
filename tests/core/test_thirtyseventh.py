"""The thirty-seventh trial: "ya" to an offer of one command in one tap that said nothing of "ya"; "saya mau lapor
jalan berlubang", then the place alone; "oh iya, lubangnya udah ada 3 bulan lho pak" at the topic question; "lanjut"
typed after "welcome back"; a Javanese report whose place guess was "pasar mboten"; the operator's "WRG-… kirim ke
dpmd", "yang mabuk itu ke satpol pp", "ada aduan baru yang perlu dipilihkan dinas?" and a notice to every officer; an
officer's "WRG-… itu jembatan desa, harusnya dana desa bukan pupr", "berapa aduan yang belum diambil?", "/selesai"
alone, and words right after opening one of two new complaints; a question typed where a transfer's reason was asked;
"halo?? kok diam aja" and "apakah aman kasih NIK di sini?" in the middle of a complaint; "bisa dipercepat gak pak?
anak saya sekolah lewat situ" after filing; a village official's "tolong juga laporkan untuk pak sarno, …"; "surat
domisili syaratnya apa"; "minta nomor telepon damkar"; "maaf salah kirim"; "saya mau daftar jadi petugas"; the place
corrected at the summary ("lokasinya sebelah utara pasar, bukan depan") and the topic at the place question
("sebenernya yang mau saya laporkan itu saluran airnya mampet"); "nanti saya minta tolong anak saya fotoin" to an
officer's request for a photo; "saya kecewa, mau lapor ke bupati saja" with one complaint past its deadline. Over
real HTTP on a settable clock.

Each was wrong before: "ya" was "Baik 🙏" and nothing done; the road was lost and the complaint filed unrouted; the
words were taken for a yes and lost; the guessed place was taken; the operator got a ticket card, the help, or the
day's summary, and was told residents get no broadcasts; the officer's words were offered only as an answer, the
whole queue was listed, the usage was given and the number typed next opened a card, and the words were offered to
both reporters; the question became the transfer's reason; the resident's words were added to the complaint, or "I
cannot answer that here"; a new complaint about schools was begun; the official was told how to file with no name;
FAQs were offered to pick from; the office's number "was not recorded"; "not understood"; topics to pick from; the
place was asked again with the old guess; another complaint was offered; the help; the regent's message went without
its number.
"""

from __future__ import annotations

from datetime import timedelta

from actions import resident
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_thirtyfifth import _heard, _said
from tests.harness import payloads, say, texts, wait_for


# --- "ya" to an offer of one command ---------------------------------------------------------------------------------
async def test_ya_to_a_lone_offered_command_runs_it(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a1")
    number = await file_complaint(http, svc.url, "warga-a1")
    replies = await say(http, svc.url, "pupr-a1", f"/balas {number} ini jalan provinsi, bukan kewenangan kami")
    assert any(p.startswith(f"/alihkan {number} triase") for p in payloads(replies)), texts(replies)
    said = await _said(http, svc, "pupr-a1", "ya")
    assert "dikembalikan ke operator" in said and "Baik" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.status == "triase", ticket
    # the operator's "hapus tiket …" is answered with archiving, which "ya" begins (its reason asked)
    await enrol(http, svc, "op-a1", role="operator", opd=None)
    await _said(http, svc, "op-a1", f"hapus tiket {number}")
    said = await _said(http, svc, "op-a1", "ya")
    assert f"/arsipkan {number} alasan" in said, said


# --- residents -------------------------------------------------------------------------------------------------------
async def test_a_topic_named_with_the_wish_is_kept_for_the_place_that_follows(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-b1", "saya mau lapor jalan berlubang")
    assert "*jalan berlubang*" in said and "di mana tepatnya" in said, said
    said = await _said(http, svc, "warga-b1", "ya")
    assert "lebih lengkap" in said, said
    replies = await say(http, svc.url, "warga-b1", "di jalan kenanga, dekat sd 1 desa puri")
    said = texts(replies)
    assert "*Jalan rusak*" in said and "Dinas PUPR" in said and "btn:yes" in payloads(replies), said
    # the more told with the yes is kept, not lost
    said = await _said(http, svc, "warga-b1", "oh iya, lubangnya udah ada 3 bulan lho pak")
    assert "kami tambahkan" in said and "foto" in said, said
    said = await _said(http, svc, "warga-b1", "lewati", "publik")
    assert "jalan berlubang" in said and "lubangnya udah ada 3 bulan" in said and "jalan kenanga" in said, said
    # "mau lapor" alone still asks what happened, as before
    said = await _said(http, svc, "warga-b2", "mau lapor")
    assert "ceritakan masalah" in said, said


async def test_lanjut_typed_after_welcome_back_asks_the_step_again(svc, http, clock):  # noqa: F811
    await _said(http, svc, "warga-c1", "air pdam mati 3 hari di desa japan", "ya")
    clock.now += timedelta(hours=20)
    said = await _said(http, svc, "warga-c1", "halo")
    assert "Selamat datang kembali" in said, said
    said = await _said(http, svc, "warga-c1", "lanjut")
    assert "lokasinya di *desa japan*" in said and "foto" not in said, said


async def test_a_javanese_negation_is_no_place(svc, http):  # noqa: F811
    await _said(http, svc, "warga-d1",
                "sugeng enjing, kula badhe matur menawi sampah wonten pasar mboten dipun angkut sampun seminggu")
    said = await _said(http, svc, "warga-d1", "inggih")
    assert "mboten" not in said and "lokasinya" in said, said


async def test_a_resident_who_thinks_nobody_answers_is_told_the_question_waits(svc, http):  # noqa: F811
    await _said(http, svc, "warga-e1", "NIK saya 3516012345670001, kenapa bansos belum cair?")
    said = await _said(http, svc, "warga-e1", "apakah aman kasih NIK di sini?")
    assert "tidak pernah dipublikasikan" in said and "NIK tidak diperlukan" in said, said
    assert "belum bisa saya jawab" not in said, said
    said = await _said(http, svc, "warga-e1", "halo?? kok diam aja")
    assert "kami di sini" in said and "Bantuan sosial" in said and "kami tambahkan" not in said, said
    said = await _said(http, svc, "warga-e1", "ya", "lewati", "lewati", "publik")
    assert "kok diam" not in said and "aman kasih" not in said, said


async def test_a_plea_to_hurry_goes_to_the_officer_with_its_reason(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-f1")
    number = await file_complaint(http, svc.url, "warga-f1")
    said = await _said(http, svc, "warga-f1", "bisa dipercepat gak pak? anak saya sekolah lewat situ")
    assert "disegerakan" in said and f"ke aduan *{number}*" in said and "belum yakin" not in said, said
    await wait_for(lambda: _heard(svc, "pupr-f1", "anak saya sekolah lewat situ"))
    # another office's matter, routed surely, is still its own complaint
    said = await _said(http, svc, "warga-f1",
                       "tolong segera perbaiki lampu jalan di desa puri yang mati, sudah seminggu")
    assert "Lampu penerangan jalan" in said and "disegerakan" not in said, said


async def test_the_office_asked_for_gives_its_emergency_number(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-g1", "minta nomor telepon damkar")
    assert "(0321) 113 113" in said and "112" in said, said
    said = await _said(http, svc, "warga-g2", "apa nomor wa dinas sosial?")
    assert "113 113" not in said and "Dinas Sosial" in said, said


async def test_small_things_residents_say(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-h1", "maaf salah kirim")
    assert "Tidak apa-apa" in said and "belum memahami" not in said, said
    said = await _said(http, svc, "warga-h2", "saya mau daftar jadi petugas")
    assert "/daftar KODE" in said and "belum yakin" not in said, said
    assert not resident.asks_to_become_staff("saya mau jadi petugas kebersihan")
    said = await _said(http, svc, "warga-h3", "surat domisili syaratnya apa")
    assert "Surat Keterangan Domisili" in said and "/surat domisili" in str(
        payloads(await say(http, svc.url, "warga-h4", "surat domisili syaratnya apa"))), said
    said = await _said(http, svc, "warga-h5", "syarat skck apa saja?")
    assert "Surat Keterangan Domisili" not in said, said


async def test_a_place_corrected_at_the_summary_replaces_the_old(svc, http):  # noqa: F811
    await _said(http, svc, "warga-i1", "sampah numpuk di depan pasar sooko", "ya", "ya", "ga ada")
    said = await _said(http, svc, "warga-i1", "anonim aja")
    assert "Ringkasan" in said, said
    said = await _said(http, svc, "warga-i1", "eh tunggu, lokasinya sebelah utara pasar, bukan depan")
    assert "Lokasi: sebelah utara pasar sooko" in said and "Apakah lokasinya" not in said, said


async def test_a_topic_corrected_at_the_place_question_is_taken(svc, http):  # noqa: F811
    await _said(http, svc, "warga-j1", "sampah numpuk di depan pasar sooko", "ya")
    said = await _said(http, svc, "warga-j1",
                       "eh bentar, sebenernya yang mau saya laporkan itu saluran airnya mampet gara2 sampah")
    assert "Saluran air/drainase" in said and "masalah lain" not in said, said
    assert "depan pasar sooko" in said, said


async def test_a_photo_promised_by_someone_else_goes_to_the_officer_who_asked(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-k1")
    number = await file_complaint(http, svc.url, "warga-k1")
    await _said(http, svc, "pupr-k1", f"/balas {number} bisa kirim foto lubangnya pak?")
    await _said(http, svc, "warga-k1", "waduh hp saya kameranya rusak pak")
    said = await _said(http, svc, "warga-k1", "nanti saya minta tolong anak saya fotoin")
    assert number in said and "Yang bisa Anda lakukan" not in said, said
    await wait_for(lambda: _heard(svc, "pupr-k1", "anak saya fotoin"))


async def test_disappointment_with_a_late_complaint_writes_to_the_regent_about_it(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-l1")
    clock.now += timedelta(days=20)
    said = await _said(http, svc, "warga-l1", "saya kecewa, mau lapor ke bupati saja")
    assert f"Tentang aduan {number}" in said and "Kirim sekarang" in said, said


async def test_a_village_official_files_for_someone_named_after_laporkan_untuk(svc, http):  # noqa: F811
    await enrol(http, svc, "kades-m1", role="pendamping", opd=None)
    replies = await say(http, svc.url, "kades-m1",
                        "tolong juga laporkan untuk pak sarno, rumahnya rusak kena angin, dia tidak punya hp")
    assert "/wakili Pak Sarno" in payloads(replies), texts(replies)
    said = await _said(http, svc, "kades-m1", "ya")
    assert "atas nama Pak Sarno" in said, said


# --- staff ---------------------------------------------------------------------------------------------------------
async def test_the_operator_transfers_and_routes_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "op-n1", role="operator", opd=None)
    await enrol(http, svc, "dpmd-n1", opd="dpmd")
    number = await file_complaint(http, svc.url, "warga-n1", "jembatan bambu di dusun krajan desa puri hampir putus")
    said = await _said(http, svc, "op-n1", f"{number} kirim ke dpmd")
    assert "Alihkan aduan" in said and "Pemberdayaan Masyarakat" in said and "Riwayat" not in said, said
    said = await _said(http, svc, "op-n1", "ya")
    assert "alasan" in said.lower(), said
    # a question typed where the reason was asked is answered, and the transfer waits for a tap
    replies = await say(http, svc.url, "op-n1", "siapa saja petugas dpmd yang aktif?")
    said = texts(replies)
    assert "belum kami alihkan" in said and "Staf terdaftar" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.opd_id == "dinas-pupr", ticket
    # triage, asked in words, and a complaint there routed by one word of it
    await _said(http, svc, "warga-n2", "ada tetangga saya yang suka mabuk dan bikin onar tiap malam di pos ronda",
                "lainnya", "lewati", "pos ronda rt 3 desa sooko", "lewati", "rahasia", "kirim")
    said = await _said(http, svc, "op-n1", "ada aduan baru yang perlu dipilihkan dinas?")
    assert "menunggu triase" in said and "mabuk" in said and "Ringkasan" not in said, said
    replies = await say(http, svc.url, "op-n1", "yang mabuk itu ke satpol pp")
    assert any(p.startswith("/rute ") and p.endswith(" satpol-pp") for p in payloads(replies)), texts(replies)
    said = await _said(http, svc, "op-n1", "ya")
    assert "diteruskan ke Satpol PP" in said, said


async def test_the_operator_sends_a_notice_to_every_officer(svc, http):  # noqa: F811
    await enrol(http, svc, "op-o1", role="operator", opd=None)
    await enrol(http, svc, "pupr-o1")
    replies = await say(http, svc.url, "op-o1",
                        "tolong kirim pengumuman ke semua petugas: besok server maintenance jam 22.00")
    assert "/pesan_opd semua besok server maintenance jam 22.00" in payloads(replies), texts(replies)
    said = await _said(http, svc, "op-o1", "ya")
    assert "sudah dikirim ke 1 petugas" in said, said
    await wait_for(lambda: _heard(svc, "pupr-o1", "Pemberitahuan dari operator"))
    said = await _said(http, svc, "pupr-o1", "siap, noted")
    assert "pemberitahuan operator" in said, said
    said = await _said(http, svc, "pupr-o1", "ya")
    assert "diteruskan kepada operator" in said, said
    await wait_for(lambda: _heard(svc, "op-o1", "siap, noted"))


async def test_an_officer_says_a_complaint_is_not_their_offices(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-p1")
    number = await file_complaint(http, svc.url, "warga-p1", "jembatan bambu di dusun krajan desa puri hampir putus")
    replies = await say(http, svc.url, "pupr-p1", f"{number} itu jembatan desa, harusnya dana desa bukan pupr")
    assert any(p.startswith(f"/alihkan {number} triase") for p in payloads(replies)), texts(replies)


async def test_an_officer_asks_which_complaints_nobody_has_taken(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-q1")
    await enrol(http, svc, "pupr-q2")
    taken = await file_complaint(http, svc.url, "warga-q1")
    free = await file_complaint(http, svc.url, "warga-q2", "jembatan bambu di dusun krajan desa puri hampir putus")
    await _said(http, svc, "pupr-q1", f"saya ambil {taken}")
    said = await _said(http, svc, "pupr-q2", "berapa aduan yang belum diambil?")
    assert "belum diambil petugas (1" in said and free in said and taken not in said, said
    await _said(http, svc, "pupr-q1", f"saya ambil {free}")
    said = await _said(http, svc, "pupr-q2", "ada aduan yang belum diambil?")
    assert "sudah diambil petugas" in said, said


async def test_a_command_typed_alone_asks_which_complaint(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-r1")
    first = await file_complaint(http, svc.url, "warga-r1")
    second = await file_complaint(http, svc.url, "warga-r2", "jembatan bambu di dusun krajan desa puri hampir putus")
    replies = await say(http, svc.url, "pupr-r1", "/selesai")
    assert f"/selesai {first}" in payloads(replies) and f"/selesai {second}" in payloads(replies), texts(replies)
    said = await _said(http, svc, "pupr-r1", first)
    assert f"catatan penyelesaian untuk {first}" in said, said
    await _said(http, svc, "pupr-r1", "/batal")
    # words right after opening one of the two new complaints are offered for that one
    clock.now += timedelta(minutes=2)
    await _said(http, svc, "pupr-r1", f"/info {second}")
    clock.now += timedelta(minutes=1)
    replies = await say(http, svc.url, "pupr-r1", "jembatannya sudah kami cek, minggu depan diganti")
    assert f"/balas {second} jembatannya sudah kami cek, minggu depan diganti" in payloads(replies), texts(replies)
    assert not any(p.startswith(f"/balas {first}") for p in payloads(replies)), texts(replies)


async def test_the_reporter_of_a_named_ticket_cannot_be_called_directly(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-s1")
    number = await file_complaint(http, svc.url, "warga-s1")
    said = await _said(http, svc, "pupr-s1", f"pelapor {number} bisa dihubungi gak?")
    assert "Nomor pelapor tidak kami tampilkan" in said and "Riwayat" not in said, said


async def test_never_mind_its_fine_keeps_the_request_to_close(svc, http):  # noqa: F811
    assert not resident.keeps_open("oops, sorry, I meant to cancel only... never mind, it's fine")
    assert resident.keeps_open("never mind, keep it open")


async def test_words_addressed_to_the_regent_are_the_message(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-t1",
                       "pak bupati, saya mau mengucapkan terima kasih atas bantuan sembako kemarin")
    assert "akan dikirim kepada Bupati" in said and "bantuan sembako kemarin" in said, said
    assert "Silakan tulis pesan" not in said, said
    said = await _said(http, svc, "warga-t2", "saya mau sampaikan langsung ke pak bupati")
    assert "Silakan tulis pesan" in said, said


async def test_an_english_comment_after_rating_is_kept(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-u1")
    number = await file_complaint(http, svc.url, "warga-u1")
    await _said(http, svc, "pupr-u1", f"/selesai {number} sudah ditambal")
    await _said(http, svc, "warga-u1", "yes it's fixed now, thanks")
    said = await _said(http, svc, "warga-u1", "4")
    assert "(4/5)" in said, said
    said = await _said(http, svc, "warga-u1", "they came late but did a good job")
    assert "feedback" in said and "did not understand" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and "came late" in (ticket.rating_comment or ""), ticket


async def test_the_regent_asks_what_is_viral_and_for_a_report_for_a_meeting(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-v1", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-v1")
    said = await _said(http, svc, "bupati-v1", "ada aduan yang viral?")
    assert "tidak memantau media sosial" in said and "mendesak" in said and "Perintah pimpinan" not in said, said
    said = await _said(http, svc, "bupati-v1", "tolong buatkan laporan untuk rapat besok")
    assert "Ringkasan aduan" in said and "Perintah pimpinan" not in said, said
    said = await _said(http, svc, "bupati-v1", "terima kasih, sudah cukup")
    assert "Sama-sama" in said and "belum terkirim" not in said, said


async def test_whether_anyone_reported_it_in_another_word_order(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-w1")
    said = await _said(http, svc, "warga-w2", "ada yang sudah lapor jalan rusak di desa sooko belum?")
    assert "warga lain sudah melaporkan" in said and "belum menemukan aduan dari akun ini" not in said, said


async def test_the_time_and_whether_offices_open_that_day(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-x1", "jam berapa sekarang?")
    assert "Sekarang pukul 09.00 WIB, Senin, 7 Desember 2026" in said, said
    said = await _said(http, svc, "warga-x2", "besok kantor dinas buka gak? kan tanggal merah")
    assert "Selasa, 8 Desember 2026 adalah hari kerja" in said and "belum yakin" not in said, said
    said = await _said(http, svc, "warga-x3", "hari sabtu kantor kecamatan buka?")
    assert "Sabtu, 12 Desember 2026 adalah akhir pekan" in said and "tutup" in said, said


async def test_feedback_on_the_service_reaches_the_operators(svc, http):  # noqa: F811
    await enrol(http, svc, "op-y1", role="operator", opd=None)
    said = await _said(http, svc, "warga-y1", "saya mau kasih masukan untuk aplikasi ini")
    assert "Silakan tulis masukan" in said and "belum memahami" not in said, said
    said = await _said(http, svc, "warga-y1", "tombolnya kebanyakan, bingung")
    assert "Terima kasih atas masukan" in said and "Yang bisa Anda lakukan" not in said, said
    await wait_for(lambda: _heard(svc, "op-y1", "tombolnya kebanyakan"))
    # the words told with the wish go at once
    said = await _said(http, svc, "warga-y2", "saran untuk chatbot ini: tolong ada pilihan bahasa jawa di menu awal")
    assert "Terima kasih atas masukan" in said, said
    await wait_for(lambda: _heard(svc, "op-y1", "pilihan bahasa jawa"))


async def test_a_new_report_announced_after_an_officer_wrote_is_a_new_complaint(svc, http):  # noqa: F811
    await enrol(http, svc, "sos-z1", opd="dinas-sosial")
    number = await file_complaint(http, svc.url, "warga-z1", "mbah sumi lansia sebatang kara belum pernah dapat bansos")
    await _said(http, svc, "sos-z1",
                f"/balas {number} baik pak, besok petugas kami survei ke rumahnya, mohon didampingi")
    said = await _said(http, svc, "warga-z1", "siap pak, saya dampingi jam 9")
    assert number in said, said
    said = await _said(http, svc, "warga-z1", "saya juga mau lapor untuk diri sendiri, lampu depan balai desa mati")
    assert "Lampu penerangan jalan" in said and "sudah kami teruskan ke petugas" not in said, said
    assert not await _heard(svc, "sos-z1", "lampu depan balai desa")


async def test_too_complicated_is_met_with_an_apology(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-za1", "ribet banget sih")
    assert "Mohon maaf atas kerepotannya" in said and "belum yakin" not in said, said
    assert not resident.finds_it_too_hard("jalan ke desa susah dilewati karena rusak")


async def test_job_training_and_rabies_vaccination_have_answers(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-zb1", "apakah pemkab ada program pelatihan kerja gratis?")
    assert "Balai Latihan Kerja" in said and "Wi-Fi" not in said, said
    said = await _said(http, svc, "warga-zb2", "kapan jadwal vaksinasi rabies untuk anjing peliharaan?")
    assert "Puskeswan" in said and "posyandu" not in said, said


async def test_the_operator_asks_how_offices_change_exports_and_reminds_an_office(svc, http):  # noqa: F811
    await enrol(http, svc, "op-zc1", role="operator", opd=None)
    await enrol(http, svc, "pupr-zc1")
    number = await file_complaint(http, svc.url, "warga-zc1")
    said = await _said(http, svc, "op-zc1", "gimana cara ganti nama dinas di sistem?")
    assert "content/directory.yml" in said and "/muat_ulang" in said and "KK" not in said, said
    said = await _said(http, svc, "op-zc1", "tambah topik baru: aduan kebersihan makam")
    assert "nlu/data" in said and "belum terkirim" not in said, said
    said = await _said(http, svc, "op-zc1", "export data bulan ini")
    assert "Unduh CSV" in said and "belum terkirim" not in said, said
    replies = await say(http, svc.url, "op-zc1", f"tolong ingatkan pupr soal {number}")
    assert any(p.startswith(f"/pesan_opd dinas-pupr Mohon aduan {number}") for p in payloads(replies)), texts(replies)
    said = await _said(http, svc, "op-zc1", "ya")
    assert "sudah dikirim ke 1 petugas" in said, said
    await wait_for(lambda: _heard(svc, "pupr-zc1", f"Mohon aduan {number}"))


async def test_a_complaint_in_sms_shorthand_is_routed(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-zd1", "tlg pk, jln dpn rmh sy rsk parah, bnyk lbng, ds sooko rt 2")
    said = texts(replies)
    assert "*Jalan rusak*" in said and "Dinas PUPR" in said and "belum yakin" not in said, said


async def test_a_photo_given_up_and_the_words_changed_at_the_summary(svc, http):  # noqa: F811
    await _said(http, svc, "warga-ze1", "banjir di perumahan griya indah, air masuk rumah sebetis", "ya",
                "perumahan griya indah blok c desa japan")
    said = await _said(http, svc, "warga-ze1", "tunggu, saya mau tambah foto")
    assert "Kirim fotonya bila sudah siap" in said, said
    said = await _said(http, svc, "warga-ze1", "ga jadi deh, fotonya gelap")
    assert "identitas" in said.lower() and "Silakan kirim foto" not in said, said
    await _said(http, svc, "warga-ze1", "publik")
    said = await _said(http, svc, "warga-ze1", "ubah isinya: air masuk rumah sampai selutut, bukan sebetis")
    assert "sudah kami ganti" in said and "Isi: air masuk rumah sampai selutut" in said, said


async def test_where_were_we_in_the_middle_of_a_complaint(svc, http):  # noqa: F811
    await _said(http, svc, "warga-zf1", "jalan rusak di desa puri dekat balai desa, lubang besar", "ya")
    said = await _said(http, svc, "warga-zf1", "maaf tadi sinyal hilang, sampai mana ya?")
    assert "di langkah mengisi lokasi" in said and "belum bisa saya jawab" not in said, said
    said = await _said(http, svc, "warga-zf1", "??")
    assert "belum ada yang terkirim" in said and "lokasinya" in said, said


async def test_english_staff_words_with_a_ticket_number(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-zg1")
    await enrol(http, svc, "bupati-zg1", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-zg1")
    replies = await say(http, svc.url, "pupr-zg1", f"tell the reporter of {number} that we will patch it on thursday")
    assert f"/balas {number} We will patch it on thursday" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "bupati-zg1", f"please ask PUPR to prioritise {number}")
    assert any(p.startswith(f"/disposisi {number} dinas-pupr") for p in payloads(replies)), texts(replies)


async def test_after_filing_a_result_photo_what_if_nobody_comes_and_a_bare_yes(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-zh1")
    number = await file_complaint(http, svc.url, "warga-zh1")
    said = await _said(http, svc, "warga-zh1", "bisa minta foto hasil perbaikannya nanti?")
    assert "foto hasil pengerjaannya" in said and "Kirim fotonya di chat ini" not in said, said
    await wait_for(lambda: _heard(svc, "pupr-zh1", "foto hasil perbaikannya"))
    said = await _said(http, svc, "warga-zh1", "bagaimana kalau petugasnya tidak datang?")
    assert f"*{number}*" in said and "otomatis kami laporkan" in said and "Tanyakan ke" not in said, said
    said = await _said(http, svc, "warga-zh1", "oke terima kasih infonya")
    assert "Sama-sama" in said and "Silakan tulis pesan" not in said, said
    said = await _said(http, svc, "warga-zh2", "ya")
    assert "belum memahami" not in said, said


# --- second round --------------------------------------------------------------------------------------------------
async def test_questions_about_the_service_itself(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-zi1", "pak mau tanya, kalau lapor di sini beneran ditindaklanjuti gak sih?")
    assert "batas waktu" in said and "Tanyakan ke" not in said, said
    said = await _said(http, svc, "warga-zi2", "kenapa tidak ada tombol untuk kirim lokasi?")
    assert "📍" in said and "belum yakin" not in said, said
    said = await _said(http, svc, "warga-zi3", "boleh lapor pakai voice note?")
    assert "pesan suara" in said and "Tanyakan ke" not in said, said
    said = await _said(http, svc, "warga-zi4", "mohon maaf, apakah layanan ini bisa pakai bahasa jawa?")
    assert "bahasa Jawa tetap kami pahami" in said and "Yang bisa Anda lakukan" not in said, said


async def test_how_many_reported_it_is_whether_anyone_has(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-zj1")
    said = await _said(http, svc, "warga-zj2", "sudah berapa orang yang lapor jalan rusak di sooko?")
    assert "warga lain sudah melaporkan Jalan rusak di Desa Sooko" in said, said
