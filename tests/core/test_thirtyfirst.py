"""The thirty-first trial: "perkenalkan, saya Sri dari desa Puri"; "apakah ada biaya untuk lapor?" and "kenapa harus
pakai nik?" while a complaint is described; "tolong jangan disebar ke media ya"; an officer's question written with
/proses and the resident's plain answer; "tolong sampaikan terima kasih ke pelapor"; the regent's "tolong tindak
lanjuti semua aduan yang terlambat" and the ranking of two offices that answered nothing; "aduan saya dipindah ke
dinas lain kenapa?"; "sorry can we continue in english?" mid-complaint; "bisa kirim lokasi lewat google maps?";
"saya mau lapor 2 hal: jalan rusak dan lampu mati"; "saya tidak bisa baca tulis, bisa kirim pesan suara?"; a
letter's "kenapa harus pakai nik?", a NIK corrected and a request cancelled and wanted back; a village official
naming the resident with the problem; "masih bisa dilanjut?" days later, and the day a draft was begun; "apakah pak
bupati baca sendiri?"; "how long will it take?" and "can I add a photo later?" mid-complaint; a village head asking
what they can do and wanting to report; a child with a high fever; an officer who moved to another office; the
operator's "yang itu ke dinas pupr"; an officer's "balas yang jembatan: …" and "/balas jembatan puri: …"; a rating's
comment that nobody came; "kok ditutup? saya belum kasih nilai"; "saya sudah pindah rumah, aduan saya gimana?";
"sooko village" in English; an aid's status asked with a NIK; "bisa dicetak?"; "kembali" at the photo step and
"sebentar saya tanya suami dulu" at the summary; a photo where the place is asked; a link sent alone; "mohon izin
pak, …" before a question; a road complaint in krama ("margi … risak"); staff who cannot sign in to the desk; the
operator asking how topics are added and data backed up. "berapa lama biasanya aduan jalan rusak diperbaiki?"; a
message to the regent left unsent for days; "lho kok gitu, ini jalan desa pak bukan jalan provinsi" right after a
closing note. An officer's "tolong tandai sedang diproses", "yang ini saya yang pegang" and "terima kasih bot".
"kalau sudah diperbaiki kabari ya pak", "sudah dibaca belum pak?", an urge with its reason right after filing, and
"yang pertama gimana?" after the list of one's complaints. Over real HTTP on a settable clock.

Each was wrong before: the introduction began a complaint on unsure topics; the cost question got the privacy FAQ
and the NIK question was taken for the complaint's words; the media wish was "not understood"; the /proses note
reached only the officer's colleagues, and "besok jam 9 saya di rumah" was asked whether it was for the officer; the
officer was offered to send "tolong sampaikan terima kasih ke pelapor" to the reporter as it stood; the regent got
the day's summary; the office with a complaint past its deadline was ranked above the one without; "kenapa
dipindah?" was offered to the offices as a new question; "continue in english" got "I cannot answer that here yet";
the maps question got "that is not a place yet"; the two problems got unsure topics; someone who cannot read was
told to type; the letter's NIK question was "cannot answer", "eh salah, nik saya yang benar 3516…" was taken for the
name, and "eh jadi deh" got "nothing is under way"; the official was asked to tell the problem again; "masih bisa
dilanjut?" got "not a place yet", and the draft was said to be begun on the day of the last "halo"; "apakah pak
bupati baca sendiri?" got the message's status; "how long will it take?" was told the complaint was not sent, and
"can I add a photo later?" "cannot answer that here"; the village head got "not passed to anyone" twice; the fever
got only the topic question; "saya sudah tidak di dinas pupr, pindah ke dishub" was offered to the reporters; the
operator got the help; "balas yang jembatan: …" was offered to both reporters, lead included, and "/balas jembatan
puri: …" was told the number was not read; "petugasnya tidak datang sama sekali, ditutup sepihak" was thanked and
the complaint stayed closed; "kok ditutup?" sixteen days later got unsure topics; "pindah rumah" was offered to the
offices as a question; "sooko village" was no place; "cek status bansos saya? nik …" was told complaints are found
by number; "bisa dicetak?" was "not understood"; "kembali" showed the menu as if the draft were gone and "back" was
not understood, and asking one's husband got "choose one of the buttons"; the photo got "please describe the place
more clearly"; the link began a complaint on unsure topics; "mohon izin pak, kapan ada vaksin rabies gratis …?" got
the FAQ on event permits; "margi ing dusun krajan risak sanget, kathah bolongan" got unsure topics without the road;
an officer's "saya tidak bisa buka dasbor" got the help and "lupa password" the residents' FAQs, and the operator's
"bagaimana cara menambah topik baru?" and "backup data gimana?" were told no open complaint matches those words.
"Berapa lama … jalan rusak diperbaiki?" got the FAQ on checking a ticket's status; a complaint typed fifteen days
after a message to the regent was left unsent was added to that message; the contested closing note got the
provincial roads' answer, and the officer never heard it. The officer's last three were offered to the reporter as
words. "Kalau sudah diperbaiki kabari" was asked whether the complaint could be closed; "sudah dibaca … belum?" got
the privacy answer or an offer to ask an office; the urge ("… anak saya tiap hari lewat situ ke sekolah") began a
complaint for the schools; "yang pertama gimana?" got FAQs to pick from.
"""

from __future__ import annotations

from datetime import timedelta

from actions import complaint, my_report, officer, oversight, report_card, resident, safety
from actions.oversight import OpdFigures
from bot.letters_cli import issue_letter_code
from bot.store.base import Changes
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.harness import mailbox, payloads, photo_jpeg, say, texts, upload, wait_for


# --- residents ------------------------------------------------------------------------------------------------
async def test_an_introduction_with_a_village(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-a1", "perkenalkan, saya Sri dari desa Puri")
    assert "Salam kenal, Sri" in texts(replies) and not any(p.startswith("topic:") for p in payloads(replies))
    assert resident.introduction("Perkenalkan, saya bernama Sri, dari desa Puri.") == ("Sri", "desa puri")
    assert resident.introduction("perkenalkan, saya dari desa puri jalan rusak") is None


async def test_questions_about_reporting_while_the_complaint_is_described(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-a2", "saya mau lapor tapi takut ketahuan kepala desa")
    said = texts(await say(http, svc.url, "warga-a2", "apakah ada biaya untuk lapor?"))
    assert "gratis" in said and "ceritakan masalah" in said, said
    said = texts(await say(http, svc.url, "warga-a2", "kenapa harus pakai nik?"))
    assert "tidak perlu KTP atau NIK" in said and "ceritakan masalah" in said, said
    # what a resident pays for is a complaint's words, not a question about reporting
    replies = await say(http, svc.url, "warga-a2", "kenapa harus bayar retribusi sampah padahal sampahnya tidak "
                                                   "pernah diangkut?")
    assert "gratis" not in texts(replies) and any(p.startswith(("topic:", "btn:yes")) for p in payloads(replies))


async def test_a_wish_that_nothing_reaches_the_media(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-a3", "tolong jangan disebar ke media ya"))
    assert "tidak pernah kami berikan kepada media" in said and "*Rahasia*" in said, said
    number = await file_complaint(http, svc.url, "warga-a4")
    said = texts(await say(http, svc.url, "warga-a4", "pak laporan saya jangan dipublikasikan ya"))
    assert number in said and "sekarang bersifat *Rahasia*" in said, said
    assert (await svc.store.get_ticket(number)).privacy == "rahasia"
    said = texts(await say(http, svc.url, "warga-a4", "tolong jangan disebar ke media ya"))
    assert "bersifat *Rahasia*" in said and "tidak ditampilkan di peta aduan" in said, said
    assert not my_report.wants_kept_from_public("tolong nama saya jangan ditampilkan")  # the name only: anonymous


async def test_the_operators_are_asked_to_make_it_secret_at_lapor(svc, http):  # noqa: F811
    await enrol(http, svc, "ops-a39", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-a39")
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None
    ticket.lapor_id = "LAPOR-3131"  # (as integrations/lapor.py records a report SP4N-LAPOR! accepted)
    await svc.store.commit(Changes(tickets=[ticket]))
    await say(http, svc.url, "warga-a39", "tolong laporan saya jangan dipublikasikan")
    await wait_for(lambda: _heard(svc, "ops-a39", "LAPOR-3131"))
    assert await _heard(svc, "ops-a39", "menjadikannya rahasia")


async def test_why_a_complaint_went_to_another_office(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a5")
    number = await file_complaint(http, svc.url, "warga-a5")
    await say(http, svc.url, "pupr-a5", f"/alihkan {number} dishub ini jalan kewenangan dishub")
    said = texts(await say(http, svc.url, "warga-a5", "aduan saya dipindah ke dinas lain kenapa?"))
    assert f"Status tiket *{number}*" in said and "Dialihkan dari Dinas PUPR" in said, said


async def test_english_asked_for_in_the_middle_of_a_complaint(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-a6", "jalan di desa puri banyak lubang")
    said = texts(await say(http, svc.url, "warga-a6", "sorry can we continue in english?"))
    assert "I will answer in English" in said and "Is that right?" in said and "cannot answer" not in said, said


async def test_how_a_place_is_sent_by_maps(svc, http):  # noqa: F811
    for typed in ("sampah menumpuk di pasar sooko", "ya"):
        await say(http, svc.url, "warga-a7", typed)
    said = texts(await say(http, svc.url, "warga-a7", "bisa kirim lokasi lewat google maps?"))
    assert "Tautan Google Maps" in said and "Apakah lokasinya di *pasar sooko*?" in said, said
    assert "belum berupa lokasi" not in said


async def test_two_problems_announced_with_a_colon(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-a8", "saya mau lapor 2 hal: jalan rusak dan lampu mati di desa puri")
    assert "dua hal" in texts(replies), texts(replies)
    assert {"topic:aduan_jalan_rusak", "topic:aduan_lampu_jalan"} <= set(payloads(replies))
    assert complaint.clauses_of("mohon perhatiannya: jalan rusak parah") == ["mohon perhatiannya: jalan rusak parah"]


async def test_someone_who_cannot_type_asks_about_voice_notes(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-a9", "saya tidak bisa baca tulis, bisa kirim pesan suara?"))
    assert "perangkat desa" in said and "Mohon ketik pesannya" not in said, said
    said = texts(await say(http, svc.url, "warga-a10", "bisa kirim pesan suara?"))
    assert "Mohon ketik pesannya" in said, said


async def test_a_letters_nik_asked_corrected_and_the_request_wanted_back(svc, http):  # noqa: F811
    for typed in ("mau bikin surat domisili", "desa:sooko"):
        await say(http, svc.url, "warga-a11", typed)
    said = texts(await say(http, svc.url, "warga-a11", "kenapa harus pakai nik?"))
    assert "mencocokkan NIK" in said and said.rstrip().endswith("Nama lengkap?"), said
    await say(http, svc.url, "warga-a11", "3516011508900001")
    said = texts(await say(http, svc.url, "warga-a11", "eh salah, nik saya yang benar 3516011508900002"))
    assert "NIK-nya kami ganti" in said and said.rstrip().endswith("Nama lengkap?"), said
    assert (await _state(svc, "warga-a11"))["l"]["fields"]["nik"] == "3516011508900002"
    await say(http, svc.url, "warga-a11", "batal aja deh")
    said = texts(await say(http, svc.url, "warga-a11", "eh jadi deh"))
    assert "permohonan surat yang tadi kami lanjutkan" in said and "Nama lengkap?" in said, said
    assert (await _state(svc, "warga-a11"))["l"]["fields"]["nik"] == "3516011508900002"


async def test_a_draft_taken_up_days_later_says_the_day_it_was_begun(svc, http, clock):  # noqa: F811
    for typed in ("got sampah di depan pasar sooko mampet, air meluber ke jalan", "ya"):
        await say(http, svc.url, "warga-a12", typed)
    clock.now += timedelta(days=3)
    said = texts(await say(http, svc.url, "warga-a12", "halo"))
    assert "mulai pada Senin, 7 Desember 2026" in said, said
    said = texts(await say(http, svc.url, "warga-a12", "masih bisa dilanjut?"))
    assert "Apakah lokasinya di *depan pasar sooko*?" in said and "belum berupa lokasi" not in said, said
    clock.now += timedelta(days=10)
    said = texts(await say(http, svc.url, "warga-a12", "halo"))
    assert "mulai pada Senin, 7 Desember 2026" in said, said


async def test_who_reads_a_message_to_the_regent(svc, http):  # noqa: F811
    for typed in ("/bupati", "pak bupati, tolong perhatikan guru honorer di desa kami gajinya telat 3 bulan", "kirim"):
        await say(http, svc.url, "warga-a13", typed)
    replies = await say(http, svc.url, "warga-a13", "apakah pak bupati baca sendiri?")
    assert "dibaca oleh Bupati bersama staf" in texts(replies) and "Status tiket" not in texts(replies)


async def test_how_long_and_a_photo_later_asked_in_english_mid_complaint(svc, http):  # noqa: F811
    for typed in ("the garbage truck has not come to sooko village for two weeks", "yes"):
        said = texts(await say(http, svc.url, "warga-a14", typed))
    assert "Is it at *sooko village*?" in said, said
    await say(http, svc.url, "warga-a14", "yes")
    said = texts(await say(http, svc.url, "warga-a14", "how long will it take?"))
    assert "working days" in said and "not been sent" not in said and "Do you have a photo?" in said, said
    said = texts(await say(http, svc.url, "warga-a14", "can I add a photo later?"))
    assert "any time after the complaint is sent" in said and "cannot answer" not in said, said
    assert complaint.place_in_text("our village road is broken") is None


async def test_someone_ill_now_is_told_where_to_go_first(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-a15", "pak tolong, anak saya demam tinggi sudah 3 hari, puskesmas "
                                                       "tutup"))
    assert "IGD rumah sakit terdekat" in said and "119" in said, said
    assert safety.notes_for("bayi saya kejang-kejang dari tadi") == ["safety_ill_now"]
    assert safety.notes_for("banyak kasus demam berdarah di desa kami, tolong fogging") == []


async def test_a_rating_comment_that_nobody_came_reopens(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a16")
    number = await file_complaint(http, svc.url, "warga-a16")
    await say(http, svc.url, "pupr-a16", f"/selesai {number} sudah ditambal")
    await wait_for(lambda: _heard(svc, "warga-a16", "Sudah beres?"))
    await say(http, svc.url, "warga-a16", "1")
    said = texts(await say(http, svc.url, "warga-a16", "petugasnya tidak datang sama sekali, ditutup sepihak"))
    assert "kami buka kembali" in said, said
    assert (await svc.store.get_ticket(number)).status in ("baru", "diproses")


async def test_a_closing_note_contested_reopens(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a42")
    number = await file_complaint(http, svc.url, "warga-a42")
    await say(http, svc.url, "pupr-a42", f"/selesai {number} jalan tersebut jalan provinsi, lapor ke PU provinsi")
    await wait_for(lambda: _heard(svc, "warga-a42", "Sudah beres?"))
    said = texts(await say(http, svc.url, "warga-a42", "lho kok gitu, ini jalan desa pak bukan jalan provinsi"))
    assert "kami buka kembali" in said and "Dinas PU Provinsi" not in said, said
    await wait_for(lambda: _heard(svc, "pupr-a42", "ini jalan desa pak bukan jalan provinsi"))
    assert not resident.disputes_closing("sudah beres pak, terima kasih")


async def test_why_a_finished_complaint_was_closed_long_after(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-a17")
    number = await file_complaint(http, svc.url, "warga-a17")
    await say(http, svc.url, "pupr-a17", f"/selesai {number} sudah ditambal")
    clock.now += timedelta(days=16)
    replies = await say(http, svc.url, "warga-a17", "kok ditutup? saya belum kasih nilai")
    said = texts(replies)
    assert "ditandai selesai oleh Dinas PUPR" in said and "sudah ditambal" in said, said
    assert f"nilai:{number}:5" in payloads(replies) and f"/buka {number}" in payloads(replies)
    said = texts(await say(http, svc.url, "warga-a17", "4"))
    assert "(4/5)" in said, said
    said = texts(await say(http, svc.url, "warga-a17", "lewati"))
    said = texts(await say(http, svc.url, "warga-a17", "kenapa aduan saya ditutup?"))
    assert "Anda sudah memberi nilai 4/5" in said, said


async def test_going_back_a_step_and_waiting_to_ask_someone(svc, http):  # noqa: F811
    for typed in ("lampu jalan mati di desa sooko", "ya", "ya"):
        await say(http, svc.url, "warga-a31", typed)
    said = texts(await say(http, svc.url, "warga-a31", "kembali"))
    assert "kembali ke langkah sebelumnya" in said and "Apakah lokasinya di *desa sooko*?" in said, said
    said = texts(await say(http, svc.url, "warga-a31", "back"))
    assert "Apakah sudah benar?" in said, said
    for typed in ("ya", "desa puri", "lewati", "rahasia"):
        said = texts(await say(http, svc.url, "warga-a31", typed))
    assert "Lokasi: desa puri" in said, said
    said = texts(await say(http, svc.url, "warga-a31", "sebentar saya tanya suami dulu"))
    assert "belum kami kirim dan tetap tersimpan" in said and "Silakan pilih" not in said, said
    said = texts(await say(http, svc.url, "warga-a31", "kata suami saya kirim aja"))
    assert TICKET.search(said), said


async def test_a_photo_sent_where_the_place_is_asked(svc, http):  # noqa: F811
    for typed in ("lampu jalan mati di desa sooko", "ya"):
        await say(http, svc.url, "warga-a32", typed)
    said = texts(await upload(http, svc.url, "warga-a32", photo_jpeg()))
    assert "fotonya kami simpan" in said and "Apakah lokasinya di *desa sooko*?" in said, said
    said = texts(await say(http, svc.url, "warga-a32", "ya"))
    assert "Foto diterima (1)" in said, said  # the photo step knows it has one


async def test_a_link_sent_alone(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-a33", "https://facebook.com/groups/123/posts/456")
    assert "tautan tidak kami buka" in texts(replies) and not any(p.startswith("topic:") for p in payloads(replies))


async def test_a_courteous_izin_is_no_permit(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-a34", "mohon izin pak, kapan ada vaksin rabies gratis untuk anjing "
                                                       "peliharaan?"))
    assert "Izin keramaian" not in said, said
    said = texts(await say(http, svc.url, "warga-a35", "izin pak, syarat bikin izin usaha NIB apa saja?"))
    assert "NIB" in said and "Izin keramaian" not in said, said


async def test_a_road_complaint_in_krama(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-a38", "sugeng siang, nyuwun pangapunten, margi ing dusun krajan risak "
                                                    "sanget, kathah bolongan")
    assert "*Jalan rusak*" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)


async def test_how_long_a_kind_of_complaint_takes(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-a40", "berapa lama biasanya aduan jalan rusak diperbaiki?")
    said = texts(replies)
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in said and "10 hari kerja" in said, said
    assert "/aduan" in payloads(replies)
    said = texts(await say(http, svc.url, "warga-a40", "berapa lama bikin ktp?"))  # a service's FAQ
    assert "hari kerja sejak aduan tercatat" not in said, said


async def test_a_message_to_the_regent_left_for_days_takes_nothing_typed(svc, http, clock):  # noqa: F811
    for typed in ("/bupati", "pak bupati tolong perhatikan jalan di desa kami"):
        await say(http, svc.url, "warga-a41", typed)
    clock.now += timedelta(days=15)
    said = texts(await say(http, svc.url, "warga-a41", "sampah di pasar sooko tidak diangkut sudah seminggu"))
    assert "Pesan ini akan dikirim kepada Bupati" not in said and "*Sampah*" in said, said


async def test_one_picked_from_the_list_with_a_question(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-a46")
    lamp = await file_complaint(http, svc.url, "warga-a46", "lampu jalan di depan masjid desa puri mati semua")
    await say(http, svc.url, "warga-a46", "aduan saya ada berapa?")
    said = texts(await say(http, svc.url, "warga-a46", "yang pertama gimana?"))  # the first shown: the newest
    assert f"Status tiket *{lamp}*" in said, said


async def test_asking_to_be_told_and_whether_it_was_read(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-a47")
    said = texts(await say(http, svc.url, "warga-a47", "kalau sudah diperbaiki kabari ya pak"))
    assert "kami kirim di chat ini dengan sendirinya" in said and "ditutup" not in said, said
    said = texts(await say(http, svc.url, "warga-a47", "maaf pak, ini aduan saya sudah dibaca petugas belum?"))
    assert f"Status tiket *{number}*" in said and "Publik" not in said, said
    said = texts(await say(http, svc.url, "warga-a47", "sudah dibaca belum pak?"))
    assert f"Status tiket *{number}*" in said, said
    assert not resident.says_fixed_before_done("kalau sudah diperbaiki kabari ya pak")


async def test_an_urge_with_its_reason_is_added_to_the_complaint_just_sent(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-a48")
    said = texts(await say(http, svc.url, "warga-a48", "pak tolong dipercepat ya, anak saya tiap hari lewat situ ke "
                                                       "sekolah"))
    assert f"sudah kami tambahkan ke aduan *{number}*" in said, said


async def test_moving_house_keeps_a_complaint(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-a18")
    said = texts(await say(http, svc.url, "warga-a18", "saya sudah pindah rumah, aduan saya gimana?"))
    assert number in said and "tempat masalahnya, bukan alamat Anda" in said, said


async def test_an_aids_status_asked_with_a_nik_and_a_printed_proof(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-a19", "bisa bantu cek status bansos saya? nik 3516011508900001"))
    assert "cekbansos.kemensos.go.id" in said and "tidak perlu dikirim" in said, said
    await file_complaint(http, svc.url, "warga-a20")
    await say(http, svc.url, "warga-a20", "nanti saya dapat bukti laporan?")
    said = texts(await say(http, svc.url, "warga-a20", "bisa dicetak?"))
    assert "tangkap layar" in said and "belum memahami" not in said, said
    assert not resident.asks_print("suratnya bisa dicetak?")


# --- village officials and heads --------------------------------------------------------------------------------
async def test_a_village_official_names_the_resident_with_the_problem(svc, http):  # noqa: F811
    await enrol(http, svc, "desa-a21", role="pendamping", opd=None)
    await say(http, svc.url, "desa-a21", "saya kades sooko mau bantu warga lapor")
    replies = await say(http, svc.url, "desa-a21", "warganya bu minah, jalan di depan rumahnya ambles")
    assert "/wakili Bu Minah" in payloads(replies) and "Pesan tadi kami simpan" in texts(replies), texts(replies)
    await say(http, svc.url, "desa-a21", "ya")
    await say(http, svc.url, "desa-a21", "ya")
    assert (await _state(svc, "desa-a21")).get("draft", {}).get("text", "").startswith("warganya bu minah")


async def test_a_village_head_asks_what_they_can_do_and_wants_to_report(svc, http):  # noqa: F811
    code = await issue_letter_code(svc.settings, "village_head", "sooko")
    await say(http, svc.url, "kades-a22", f"/daftar {code}")
    said = texts(await say(http, svc.url, "kades-a22", "apa saja yang bisa saya lakukan di sini?"))
    assert "/antrian_surat" in said and "belum diteruskan" not in said, said
    said = texts(await say(http, svc.url, "kades-a22", "saya mau lapor jalan desa rusak"))
    assert "sebagai warga" in said and "belum diteruskan" not in said, said


# --- officers, the operator and the regent ------------------------------------------------------------------------
async def test_an_officers_question_written_with_in_progress(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a23")
    number = await file_complaint(http, svc.url, "warga-a23")
    said = texts(await say(http, svc.url, "pupr-a23", f"/proses {number} tim survei besok. kapan bapak di rumah?"))
    assert "dengan catatan Anda" in said, said
    await wait_for(lambda: _heard(svc, "warga-a23", "Catatan petugas: tim survei besok. kapan bapak di rumah?"))
    said = texts(await say(http, svc.url, "warga-a23", "besok jam 9 saya di rumah"))
    assert "sudah kami teruskan" in said and "btn:forward" not in said, said
    await wait_for(lambda: _heard(svc, "pupr-a23", "besok jam 9 saya di rumah"))
    said = texts(await say(http, svc.url, "pupr-a23", f"/proses {number} baik pak, jam 8 kami datang"))
    assert "sudah dikirim ke pelapor" in said, said
    await wait_for(lambda: _heard(svc, "warga-a23", "baik pak, jam 8 kami datang"))


async def test_words_the_officer_asks_to_pass_on(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a24")
    number = await file_complaint(http, svc.url, "warga-a24")
    replies = await say(http, svc.url, "pupr-a24", "tolong sampaikan terima kasih ke pelapor")
    assert f"/balas {number} Terima kasih." in payloads(replies), payloads(replies)
    assert officer.for_the_reporter("please pass our apologies to the reporter") == "Apologies."
    assert officer.for_the_reporter("tolong sampaikan ini ke pelapor") == "tolong sampaikan ini ke pelapor"


async def test_an_officer_answers_one_of_two_by_its_subject(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a25")
    await file_complaint(http, svc.url, "warga-a25")
    bridge = await file_complaint(http, svc.url, "warga-a26", "jembatan desa puri retak dan pegangannya patah")
    replies = await say(http, svc.url, "pupr-a25", "balas yang jembatan: besok kami cek ke lokasi")
    assert payloads(replies)[0] == f"/balas {bridge} besok kami cek ke lokasi", payloads(replies)


async def test_a_reply_command_naming_the_complaint_by_its_subject(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a36")
    await file_complaint(http, svc.url, "warga-a36")
    bridge = await file_complaint(http, svc.url, "warga-a37", "jembatan desa puri retak dan pegangannya patah")
    replies = await say(http, svc.url, "pupr-a36", "/balas jembatan puri: besok kami cek")
    assert payloads(replies)[0] == f"/balas {bridge} besok kami cek" and "belum terkirim" in texts(replies)
    assert not await _heard(svc, "warga-a37", "besok kami cek")  # offered, never sent on a guess


async def test_an_officer_says_the_work_is_under_way_and_thanks_the_bot(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a43")
    number = await file_complaint(http, svc.url, "warga-a43")
    replies = await say(http, svc.url, "pupr-a43", "tolong tandai sedang diproses")
    assert payloads(replies) == [f"/proses {number}", "/batal"], payloads(replies)
    said = texts(await say(http, svc.url, "pupr-a43", "ya"))
    assert "ditandai sedang diproses" in said, said
    number2 = await file_complaint(http, svc.url, "warga-a44", "jembatan desa puri retak dan pegangannya patah")
    replies = await say(http, svc.url, "pupr-a43", f"{number2} sedang kami proses")
    assert f"/proses {number2} sedang kami proses" in payloads(replies), payloads(replies)
    said = texts(await say(http, svc.url, "pupr-a43", "terima kasih bot"))
    assert "Sama-sama" in said and "belum terkirim" not in said, said


async def test_an_officer_takes_a_complaint_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a45")
    number = await file_complaint(http, svc.url, "warga-a45")
    replies = await say(http, svc.url, "pupr-a45", "yang ini saya yang pegang")
    assert payloads(replies) == [f"/ambil {number}", "/batal"], payloads(replies)
    replies = await say(http, svc.url, "pupr-a45", "saya yang tangani, besok ke lokasi")  # words for the reporter
    assert payloads(replies)[0].startswith(f"/balas {number}"), payloads(replies)


async def test_an_officer_who_moved_to_another_office(svc, http):  # noqa: F811
    await enrol(http, svc, "ops-a27", role="operator", opd=None)
    await enrol(http, svc, "pupr-a27")
    await file_complaint(http, svc.url, "warga-a27")
    replies = await say(http, svc.url, "pupr-a27", "saya sudah tidak di dinas pupr, pindah ke dishub")
    assert "operator Diskominfo sudah kami beri tahu" in texts(replies) and not any(
        p.startswith("/balas") for p in payloads(replies)), texts(replies)
    await wait_for(lambda: _heard(svc, "ops-a27", "/cabut_akses"))


async def test_the_operator_routes_in_few_words(svc, http):  # noqa: F811
    await enrol(http, svc, "ops-a28", role="operator", opd=None)
    for typed in ("ada yang aneh di desa kami pak, tolong dicek", "lainnya", "desa puri", "lewati", "publik", "kirim"):
        said = texts(await say(http, svc.url, "warga-a28", typed))
    number = TICKET.search(said).group(0)
    await say(http, svc.url, "ops-a28", "/triase")
    replies = await say(http, svc.url, "ops-a28", "yang itu ke dinas pupr")
    assert f"/rute {number} dinas-pupr" in payloads(replies), texts(replies)


async def test_the_regent_asks_every_late_complaint_followed_up(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-a29", role="regent", opd=None)
    said = texts(await say(http, svc.url, "bupati-a29", "tolong tindak lanjuti semua aduan yang terlambat"))
    assert "tidak ada dinas yang perlu diingatkan" in said, said
    assert report_card.asks_remind_all("follow up on all overdue complaints")


async def test_staff_sign_in_trouble_and_the_operators_topics_and_backups(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a30")
    for typed in ("saya tidak bisa buka dasbor", "lupa password"):
        said = texts(await say(http, svc.url, "pupr-a30", typed))
        assert "tidak memakai kata sandi" in said and "/desk" in said, said
    said = texts(await say(http, svc.url, "pupr-a30", "backup data gimana?"))
    assert "warga.sqlite3" not in said  # the operators' matter, not an officer's
    await enrol(http, svc, "ops-a30", role="operator", opd=None)
    said = texts(await say(http, svc.url, "ops-a30", "bagaimana cara menambah topik baru?"))
    assert "content/directory.yml" in said and "/muat_ulang" in said, said
    said = texts(await say(http, svc.url, "ops-a30", "backup data gimana?"))
    assert "warga.sqlite3" in said and "mongodump" in said, said


def test_an_office_with_a_late_complaint_ranks_below_one_without():
    late, fine = OpdFigures("dinas-pupr", received=1, overdue=1), OpdFigures("dishub", received=1)
    assert [f.opd_id for f in report_card.rank_for_card([late, fine])] == ["dishub", "dinas-pupr"]
    assert [f.opd_id for f in oversight.rank([late, fine])] == ["dishub", "dinas-pupr"]


# --- helpers --------------------------------------------------------------------------------------------------
async def _state(service, who: str) -> dict:
    conversation = await service.store.get_conversation(f"webchat:{who}")
    return conversation.state if conversation is not None else {}


async def _heard(service, who: str, words: str) -> bool:
    return any(words in item["text"] for item in await mailbox(service.store, f"webchat:{who}"))
