"""The fortieth trial, over real HTTP on a settable clock. Residents: "apakah identitas saya dirahasiakan?" with a
complaint open; "jangan kirim pesan lagi" to the question about stopping messages; "ok pak ditunggu" after filing;
"halo pak, yang kemarin gimana?" days later, "kira2 kapan ya diangkut?"; "lampu yang saya laporkan kemarin belum juga
nyala"; "kalau pindah dari luar kota?" after the answer on a new KK; "eh bukan, jembatannya yang rusak" after "mau
lapor jalan rusak"; "saya gak mau ketahuan tetangga" and "fotonya besok aja" at the identity question; a question
among greetings and thanks; a thief in the house now, and one told of the day after; "tolong dong" alone; "kok lama
banget balasnya" minutes after filing; everyone's complaints, volunteering; "matur nuwun pak, sampun sae dalanipun";
words after writing to the regent; "sama2 pak"; "eh tunggu, jangan dikirim dulu" at the summary, a place fixed after
sending; a report typed a word at a time, a ticket number in pieces; "AIR PDAM MATI 3 HARI GMN INI", "mhn info syrat
nikah di kua"; "tolong sampaikan ke petugasnya, …" just after filing. Village officials: "pak, warga saya bu Ijah mau
lapor …"; "berapa warga yang sudah saya bantu lapor bulan ini?". Staff: "lho kok pak budi yang balas?"; a complaint
handed to a colleague by name, and to one not enrolled; "berapa rating saya?" where the closing note is asked; "tutup
semua tiket yang sudah selesai"; "kapan batas waktu aduan jalan sooko?"; "harusnya ke PLN kan?"; "close WRG-…,
patched this morning"; "tiket sing durung digarap opo wae?"; access revoked in words; a question about the reporter,
and a name two colleagues share. The regent: the slowest office when nothing is measured yet, the lowest rated,
"kirim ringkasan tiap pagi", his unanswered messages, his dispositions of "yesterday" and those not reported back.
The operator: an officer added for "dinkes", "siapa saja yang terdaftar jadi petugas?", service hours, complaints by
channel.

Each was wrong before (all of these tests fail on the code of the last stop, fc3f773): the complaint made anonymous
unasked; "news still comes"; "not understood"; offered to the offices as a question, the answer on vehicle tests
(KIR); a second complaint on unsure topics; a complaint on moving house begun; routed as the road; "choose a button"
twice; offered to the office as a question; wasp nests to pick from, and the emergency and a missing person for the
theft told afterwards; "not understood"; the status card alone; offered to the offices, topics; "you're welcome";
"reached its officers" and "not understood"; "not understood"; the complaint sent to teachers' allowances, asked
whether more of the report; topics to choose, "topic not found", the emergency numbers; the answer on new
connections, "not understood"; asked whether to pass it on; filed as the official's own on unsure topics, a filing
offered in the name of "Bulan"; each offered to the reporter as words, or as the closing note; the help; offered as
words; the ticket's card alone; offered as words; offered as words; the help; "slowest: DLH" by name; the day's
summary twice; offered to the sender as his answer; "none yesterday", the help; the help three times; the recap with
no word of channels; offered as words, the one named wrongly told none is enrolled.
"""
from __future__ import annotations

from datetime import timedelta

from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_thirtyfifth import _heard, _said
from tests.harness import payloads, say, texts, wait_for


# --- residents -------------------------------------------------------------------------------------------------------
async def test_asking_whether_one_is_anonymous_answers_and_changes_nothing(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-a1")
    said = await _said(http, svc, "warga-a1", "apakah identitas saya dirahasiakan?")
    assert f"*{number}* Anda kirim sebagai *Publik*" in said and "Mulai sekarang" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.privacy == "publik", ticket
    said = await _said(http, svc, "warga-a2", "apakah identitas saya dirahasiakan?")  # nothing filed: how it is kept
    assert "anonim (petugas tidak melihat siapa pelapornya)" in said and "ceritakan" not in said.lower(), said


async def test_saying_stop_again_to_the_question_stops_the_messages(svc, http):  # noqa: F811
    await _said(http, svc, "warga-b1", "stop")
    said = await _said(http, svc, "warga-b1", "jangan kirim pesan lagi")
    assert "tidak mengirim pesan kepada Anda" in said and "tetap kami kirim" not in said, said


async def test_ok_waiting_after_filing_is_acknowledged_with_the_office(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-c1")
    said = await _said(http, svc, "warga-c1", "ok pak ditunggu")
    assert f"Aduan *{number}* sudah ada di Dinas PUPR" in said and "belum memahami" not in said, said


async def test_the_one_from_yesterday_and_when_it_is_collected_get_its_status(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-d1", "saluran air depan rumah saya mampet, bau sekali")
    clock.now += timedelta(days=3)
    said = await _said(http, svc, "warga-d1", "halo pak, yang kemarin gimana?")
    assert f"Status tiket *{number}*" in said and "Tanyakan ke" not in said, said
    rubbish = await file_complaint(http, svc.url, "warga-d2", "sampah menumpuk di pasar tanjung sudah seminggu")
    for line in ("kira2 kapan ya diangkut?", "kapan ya kira2 diangkut?"):
        said = await _said(http, svc, "warga-d2", line)
        assert f"Status tiket *{rubbish}*" in said and "KIR" not in said, (line, said)


async def test_still_not_on_said_of_the_reported_lamp_gets_its_status(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-e1", "lampu jalan di depan SDN 2 Sooko mati sudah 2 minggu")
    clock.now += timedelta(days=2)
    replies = await say(http, svc.url, "warga-e1", "pagi min, lampu yang saya laporkan kemarin belum juga nyala")
    assert f"Status tiket *{number}*" in texts(replies) and "topic:lainnya" not in " ".join(payloads(replies)), \
        texts(replies)
    mine = await svc.store.recent_tickets("webchat:warga-e1", 5)
    assert len(mine) == 1, mine


async def test_a_what_if_after_an_answer_is_answered_by_the_faq_it_names(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-f1", "mau tanya syarat bikin KK baru setelah menikah apa saja ya?")
    assert "KK" in said, said
    replies = await say(http, svc.url, "warga-f1", "kalau pindah dari luar kota?")
    assert "Pindah datang: bawa SKPWNI" in texts(replies) and "btn:yes" not in " ".join(payloads(replies)), \
        texts(replies)


async def test_a_correction_of_the_named_matter_routes_by_the_new_one(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-g1", "mau lapor jalan rusak")
    said = await _said(http, svc, "warga-g1", "eh bukan, jembatannya yang rusak, di desa japan")
    assert "*Jembatan rusak*" in said and "*Jalan rusak*" not in said, said


async def _at_identity_question(http, svc, who: str) -> None:  # noqa: F811
    await say(http, svc.url, who, "tetangga saya buang sampah ke sungai terus, sudah saya tegur gak mempan")
    await say(http, svc.url, who, "ya")
    await say(http, svc.url, who, "di desa trowulan dekat jembatan")
    said = await _said(http, svc, who, "lewati")
    assert "identitas" in said, said


async def test_fear_of_being_known_and_a_photo_later_at_the_identity_question(svc, http):  # noqa: F811
    await _at_identity_question(http, svc, "warga-h1")
    said = await _said(http, svc, "warga-h1", "eh kok minta foto? saya gak mau ketahuan tetangga")
    assert "kami catat sebagai *Anonim*" in said and "Identitas: Anonim" in said and "pilih salah satu" not in said, \
        said
    await _at_identity_question(http, svc, "warga-h2")
    said = await _said(http, svc, "warga-h2", "ini fotonya belum ada, besok aja")
    assert "Fotonya bisa Anda kirim kapan saja" in said and "pilih salah satu tombol" not in said, said
    assert "Bagaimana identitas Anda" in said, said


async def test_a_question_among_greetings_and_thanks_gets_the_faq(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-i1", "Selamat pagi. Saya mau menanyakan, apakah pembuatan akta kematian "
                                                   "dipungut biaya? Terima kasih")
    assert "Syarat akta kematian" in texts(replies) and "/tanyakan" not in " ".join(payloads(replies)), texts(replies)


async def test_a_thief_in_the_house_now_is_an_emergency(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-j1", "ada maling masuk rumah tetangga sekarang!!")
    assert "*112*" in said and "diteruskan ke Satpol PP dan Bupati" in said, said
    said = await _said(http, svc, "warga-j2", "kemarin ada maling masuk rumah tetangga, motornya hilang")
    assert "*112*" not in said and "Orang hilang" not in said, said


async def test_a_bare_call_for_help_is_listened_to(svc, http):  # noqa: F811
    said = await _said(http, svc, "warga-k1", "tolong dong")
    assert "Ceritakan apa yang terjadi" in said and "112" in said and "belum memahami" not in said, said


# --- village officials -----------------------------------------------------------------------------------------------
async def test_a_resident_named_after_a_comma_is_filed_for_them(svc, http):  # noqa: F811
    await enrol(http, svc, "desa-l1", role="pendamping", opd=None)
    replies = await say(http, svc.url, "desa-l1", "pak, warga saya bu Ijah mau lapor rumahnya bocor parah, dia janda "
                                                  "tidak mampu")
    assert "/wakili Bu Ijah" in payloads(replies), texts(replies)
    said = await _said(http, svc, "desa-l1", "berapa warga yang sudah saya bantu lapor bulan ini?")
    assert "belum mencatat aduan untuk warga" in said and "Bulan" not in said, said


# --- staff -----------------------------------------------------------------------------------------------------------
async def test_a_colleagues_answer_is_explained_and_tickets_handed_over_by_name(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-m1")
    await enrol(http, svc, "pupr-m2")
    await say(http, svc.url, "pupr-m2", "/nama Budi Santoso")
    number = await file_complaint(http, svc.url, "warga-m1")
    await say(http, svc.url, "pupr-m1", f"saya ambil {number}")
    await say(http, svc.url, "pupr-m2", f"/balas {number} besok tim kami survei")
    said = await _said(http, svc, "pupr-m1", "lho kok pak budi yang balas? kan saya yang ambil")
    assert "Setiap petugas dinas Anda boleh menjawab" in said and "kirim ke pelapor" not in said, said
    said = await _said(http, svc, "pupr-m1", f"{number} saya serahkan ke pak budi ya")
    assert "ditugaskan ke Budi Santoso" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.extra["assignee"]["name"] == "Budi Santoso", ticket.extra
    await wait_for(lambda: _heard(svc, "pupr-m2", f"Anda ditugaskan menangani *{number}*"))
    said = await _said(http, svc, "pupr-m2", f"tiket {number} oper ke pak joko")
    assert "bernama “pak joko”" in said and "kirim ke pelapor" not in said, said


async def test_a_question_where_the_closing_note_is_asked_is_not_the_note(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n1")
    number = await file_complaint(http, svc.url, "warga-n1")
    await say(http, svc.url, "pupr-n1", f"/selesai {number}")
    said = await _said(http, svc, "pupr-n1", "berapa rating saya?")
    assert "belum kami pakai sebagai catatan penyelesaian" in said and "Kinerja Dinas PUPR" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.status != "selesai", ticket.status


async def test_closing_all_at_once_is_explained_with_the_queue(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-o1")
    number = await file_complaint(http, svc.url, "warga-o1")
    said = await _said(http, svc, "pupr-o1", "tutup semua tiket yang sudah selesai")
    assert "ditutup satu per satu" in said and number in said and "Perintah petugas" not in said, said


async def test_a_deadline_asked_by_the_matter_shows_that_ticket(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-p1")
    number = await file_complaint(http, svc.url, "warga-p1")
    said = await _said(http, svc, "pupr-p1", "kapan batas waktu aduan jalan sooko?")
    assert f"Tiket *{number}*" in said and "Batas waktu:" in said and "kirim ke pelapor" not in said, said


async def test_should_go_to_an_outside_authority_offers_the_way_out(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-q1", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-q1", "lampu jalan mati di desa japan")
    replies = await say(http, svc.url, "operator-q1", f"aduan {number} kok masuk dishub? harusnya ke PLN kan?")
    assert "urusan PLN (listrik)" in texts(replies), texts(replies)
    assert any(p.startswith(f"/arsipkan {number} bukan kewenangan") for p in payloads(replies)), payloads(replies)


# --- the regent ------------------------------------------------------------------------------------------------------
async def test_the_regents_ranking_rating_and_digest_questions(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-r1", role="regent", opd=None)
    for i, text in enumerate(["jalan di desa Sooko rusak parah banyak lubang", "sampah menumpuk di pasar tanjung",
                              "lampu jalan mati di desa japan"]):
        await file_complaint(http, svc.url, f"warga-r{i}", text)
    said = await _said(http, svc, "bupati-r1", "OPD mana yang paling lambat bulan ini?")
    assert "Belum ada yang bisa dibandingkan" in said and "Paling lambat" not in said, said
    said = await _said(http, svc, "bupati-r1", "dinas mana yang ratingnya paling rendah?")
    assert "Penilaian warga" in said and "Ringkasan aduan" not in said, said
    said = await _said(http, svc, "bupati-r1", "tolong kirim ringkasan tiap pagi")
    assert "setiap pagi pukul 07.00" in said, said


# --- the operator ----------------------------------------------------------------------------------------------------
async def test_the_operators_staff_hours_and_channel_questions(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-s1", role="operator", opd=None)
    said = await _said(http, svc, "operator-s1", "tambah petugas baru untuk dinkes")
    assert "Kode pendaftaran untuk petugas Dinas Kesehatan" in said, said
    said = await _said(http, svc, "operator-s1", "siapa saja yang terdaftar jadi petugas?")
    assert "Staf terdaftar" in said and "Perintah operator" not in said, said
    said = await _said(http, svc, "operator-s1", "ganti jam layanan jadi jam 8 sampai 4")
    assert "content/directory.yml" in said and "Perintah operator" not in said, said
    await file_complaint(http, svc.url, "warga-s1")
    said = await _said(http, svc, "operator-s1", "berapa aduan yang masuk lewat whatsapp minggu ini?")
    assert "lewat WhatsApp" in said and "*0* dari 1 aduan" in said, said


async def test_close_in_english_with_a_comma_offers_the_closing_with_its_note(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t1")
    number = await file_complaint(http, svc.url, "warga-t1")
    await say(http, svc.url, "pupr-t1", "/lang en")
    replies = await say(http, svc.url, "pupr-t1", f"close {number}, patched this morning")
    assert f"/selesai {number} patched this morning" in payloads(replies), payloads(replies)


async def test_thanks_in_krama_that_it_is_fixed_asks_to_close_it(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-u1")
    said = await _said(http, svc, "warga-u1", "matur nuwun pak, sampun sae dalanipun")
    assert f"Apakah aduan *{number}* (Jalan rusak) boleh ditutup?" in said, said


async def test_impatience_minutes_after_filing_is_told_how_new_it_is(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-v1")
    clock.now += timedelta(minutes=5)
    said = await _said(http, svc, "warga-v1", "kok lama banget balasnya")
    assert "baru masuk 5 menit yang lalu" in said and f"Status tiket *{number}*" in said, said


async def test_everyones_complaints_and_volunteering_are_answered(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-w1", "di mana saya bisa lihat semua aduan warga?")
    assert "hanya dapat dilihat pelapornya" in texts(replies) and "/tanyakan lainnya" not in payloads(replies), \
        texts(replies)
    said = await _said(http, svc, "warga-w2", "saya mau jadi relawan membantu warga lapor, bisa?")
    assert "Terima kasih atas niat baik Anda" in said and "belum yakin" not in said, said


async def test_words_after_writing_to_the_regent_go_with_the_message(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-x1", role="regent", opd=None)
    await say(http, svc.url, "warga-x1", "/bupati")
    await say(http, svc.url, "warga-x1", "Pak Bupati, jalan ke desa kami sudah 5 tahun tidak diaspal, anak-anak "
                                         "sekolah susah lewat kalau hujan")
    said = await _said(http, svc, "warga-x1", "kirim")
    number = said.split("*")[1]
    said = await _said(http, svc, "warga-x1", "terima kasih banyak pak bupati, semoga sehat selalu")
    assert f"Pesan Anda *{number}* sudah sampai kepada Bupati" in said and "petugasnya" not in said, said
    said = await _said(http, svc, "warga-x1", "kalau bisa sebelum musim hujan pak")
    assert "sampaikan kepada Bupati" in said and "belum memahami" not in said, said
    await wait_for(lambda: _heard(svc, "bupati-x1", "kalau bisa sebelum musim hujan pak"))
    said = await _said(http, svc, "bupati-x1", "pesan warga tadi sudah saya balas belum?")
    assert "belum dijawab" in said and number in said and "kirim ke pelapor" not in said, said


async def test_youre_welcome_to_an_officers_thanks_is_answered(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-y1")
    number = await file_complaint(http, svc.url, "warga-y1")
    await say(http, svc.url, "pupr-y1", f"/selesai {number} sudah ditambal")
    await say(http, svc.url, "warga-y1", "4")
    await say(http, svc.url, "warga-y1", "lewati")
    await say(http, svc.url, "pupr-y1", f"/balas {number} terima kasih atas penilaiannya")
    said = await _said(http, svc, "warga-y1", "sama2 pak")
    assert "Bila ada yang bisa kami bantu lagi" in said and "belum memahami" not in said, said


async def test_a_javanese_queue_question_and_revoking_access_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z1")
    await enrol(http, svc, "operator-z1", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-z1")
    said = await _said(http, svc, "pupr-z1", "tiket sing durung digarap opo wae?")
    assert "Antrian Dinas PUPR" in said and number in said and "kirim ke pelapor" not in said, said
    said = await _said(http, svc, "operator-z1", "pupr-z1 sudah pindah tugas, tolong hapus aksesnya")
    assert "/cabut_akses KODE alasan" in said and "Staf terdaftar" in said and "Perintah operator" not in said, said


async def test_a_report_typed_a_word_at_a_time_and_a_number_in_pieces(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-aa1", "jalan")
    said = await _said(http, svc, "warga-aa1", "rusak")
    assert "kami tambahkan ke uraian aduan" in said and "Pilihan sekarang" not in said, said
    said = await _said(http, svc, "warga-aa1", "di sooko")
    assert "Lokasinya kami catat: di sooko" in said and "belum menemukan topik" not in said, said
    number = await file_complaint(http, svc.url, "warga-aa2")
    said = await _said(http, svc, "warga-aa2", number.lower().replace("-", " ") + " gimana")
    assert f"Status tiket *{number}*" in said and "112" not in said, said


async def test_the_regents_dispositions_from_yesterday_and_not_reported(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-bb1", role="regent", opd=None)
    await enrol(http, svc, "pupr-bb1")
    number = await file_complaint(http, svc.url, "warga-bb1")
    await say(http, svc.url, "bupati-bb1", f"/disposisi {number} dinas-pupr segera ditinjau")
    clock.now += timedelta(days=2)
    said = await _said(http, svc, "bupati-bb1", "bagaimana tindak lanjut disposisi saya kemarin?")
    assert number in said and "segera ditinjau" in said and "Belum ada disposisi" not in said, said
    said = await _said(http, svc, "bupati-bb1", "disposisi mana saja yang belum dilaporkan?")
    assert number in said and "Perintah pimpinan" not in said, said
    await say(http, svc.url, "pupr-bb1", f"/lapor_bupati {number} sudah kami tinjau, minggu depan ditambal")
    said = await _said(http, svc, "bupati-bb1", "disposisi mana saja yang belum dilaporkan?")
    assert "sudah dilaporkan kembali" in said, said


async def test_wait_at_the_summary_keeps_it_and_a_place_fixed_after_sending(svc, http):  # noqa: F811
    for line in ("sampah menumpuk di pasar tanjung sudah seminggu", "ya", "pasar tanjung desa sooko", "lewati",
                 "publik"):
        said = await _said(http, svc, "warga-cc1", line)
    assert "Ringkasan aduan Anda" in said, said
    said = await _said(http, svc, "warga-cc1", "eh tunggu, jangan dikirim dulu")
    assert "belum kami kirim" in said and "Topik: Sampah" in said and "Tunjangan" not in said, said
    said = await _said(http, svc, "warga-cc1", "ok kirim")
    number = said.split("*")[1]
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.opd_id == "dlh", ticket
    said = await _said(http, svc, "warga-cc1", "eh salah kirim, itu bukan di sooko tapi di japan")
    assert "koreksi Anda sudah kami tambahkan ke aduan" in said and "Bukan, ini hal lain" not in said, said


async def test_shorthand_outage_with_the_office_named_and_a_shorthand_question(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-dd1", "AIR PDAM MATI 3 HARI GMN INI")
    assert "*Air bersih/PDAM*" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    said = await _said(http, svc, "warga-dd2", "mhn info syrat nikah di kua")
    assert "KUA" in said and "belum memahami" not in said, said


async def test_words_asked_to_be_passed_to_the_officers_are_passed(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-ee1")
    said = await _said(http, svc, "warga-ee1", "tolong sampaikan ke petugasnya, lubangnya makin besar setelah hujan "
                                                "semalam")
    assert f"sudah kami tambahkan ke aduan *{number}*" in said and "Bukan, ini hal lain" not in said, said


async def test_a_question_about_the_reporter_and_two_colleagues_of_one_name(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-ff1")
    await enrol(http, svc, "pupr-ff2")
    await enrol(http, svc, "pupr-ff3")
    await say(http, svc.url, "pupr-ff2", "/nama Budi Santoso")
    await say(http, svc.url, "pupr-ff3", "/nama Budi Hartono")
    number = await file_complaint(http, svc.url, "warga-ff1")
    await say(http, svc.url, "warga-ff1", "tolong dipercepat ya pak")
    said = await _said(http, svc, "pupr-ff1", "pelapornya minta dipercepat, gimana?")
    assert "seperti pertanyaan tentang pelapor" in said and "Menghadapi pelapor" in said, said
    said = await _said(http, svc, "pupr-ff1", f"{number} saya serahkan ke pak budi ya")
    assert "lebih dari satu rekan" in said and "Budi Santoso" in said and "Budi Hartono" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and not (ticket.extra or {}).get("assignee"), ticket.extra
