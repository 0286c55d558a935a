"""The thirty-third trial: an officer's `/tolak WRG-…`; an officer's "pelapor marah-marah terus, gimana ini?" after
`/selesai` asked for the note; a complaint closed by mistake ("mohon maaf saya salah tutup tiket", `/proses` on it);
`/alihkan WRG-… dinaspupr` on a ticket at Dinas PUPR; "siapa nama petugasnya?", "berapa lama lagi kira-kira?" and
"sudah sebulan lebih pak" of one's open complaint; 👍 to "boleh ditutup?"; the operator's "bagaimana menambah petugas
baru?", "hapus aduan spam ini WRG-…", "ada aduan yang belum dibaca?" and "reset password petugas"; an officer's "ini
aduan iseng, bisa dihapus?" and "tolong ingatkan saya besok"; "selamat malam pak, maaf mengganggu malam-malam"; "selamat
pagi pak" right after /bupati; the regent's "tolong OPD yang lambat ditegur"; "eh tunggu, jangan dikirim dulu" right
after sending; "eh bukan, sebenarnya lampunya nyala tapi redup" at the photo question; "bukan, maksud saya di sungai" at
the topic question; a village official telling the matter at the consent question ("… mau roboh"); "terima kasih atas
pelayanannya, jalan di desa kami sudah bagus sekarang"; "bangsat lama banget pelayanan disini"; "tolong kirim petugas
sekarang juga!!!" after filing; "bisa telpon saya saja?"; a place sent days later to a complaint left at the place
question; "I lost my passport" and "kapan pemilu berikutnya?"; "ini istrinya, mau tanya laporan suami saya kemarin" and
"nomor tiket saya WRG-2612-1 ya?"; the regent's "kirim ucapan terima kasih ke dinas pupr …"; "kok ga dibales2 sih min";
"jadwal posyandu bulan ini". Over real HTTP on a settable clock.

Each was wrong before: `/tolak` told an officer it was "for officers only"; the question became the closing note,
sent to the reporter; nothing could reopen the complaint; the OPD was "unknown" and missing from the list; the name
was not understood, how long got the FAQ on vehicle testing, and the month unsure topics; 👍 was thanked and the
complaint left open; the operator and the officer got the ticket's card or the help; the greeting got "Halo" alone, and
the regent's "welcome back, continue?"; the regent got the help; "jangan dikirim" was offered as a change of topic to
teachers' allowances; the correction was asked for a photo, and "di sungai" got "choose a button"; the matter was taken
for the consent ("mau") and lost; the thanks began a complaint with unsure topics, and so did the curse; "kirim
petugas" was told the complaint was sent already; the call got the help; the place began a complaint with unsure
topics; the passport got unsure topics and the election FAQs on land tax and social aid; the spouse's question was
offered to an office and the short number passed to the officer as words; the regent's thanks and "dibales2" were not
understood; the month's schedule got the FAQ alone.
"""

from __future__ import annotations

from datetime import timedelta

from actions import resident, staff_asides
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for


async def _heard(svc, who: str, words: str) -> bool:  # noqa: F811
    return any(words in texts([m]) for m in await mailbox(svc.store, f"webchat:{who}"))


# --- staff -----------------------------------------------------------------------------------------------------------
async def test_an_officer_who_types_tolak_hears_how_a_complaint_is_declined(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a1")
    number = await file_complaint(http, svc.url, "warga-a1")
    said = texts(await say(http, svc.url, "pupr-a1", f"/tolak {number}"))
    assert "hanya untuk petugas" not in said, said
    assert f"/alihkan {number} triase" in said and f"/selesai {number}" in said, said
    await enrol(http, svc, "op-a1", role="operator", opd=None)
    said = texts(await say(http, svc.url, "op-a1", f"/tolak {number}"))
    assert f"/arsipkan {number}" in said and "hanya untuk petugas" not in said, said
    # a village official using an officer's command: not "for officers only" (they are staff), their own commands
    await enrol(http, svc, "pd-a1", role="pendamping", opd=None)
    said = texts(await say(http, svc.url, "pd-a1", "/antrian"))
    assert "bukan untuk peran Anda" in said and "/bantuan" in said, said
    # a resident: as before
    assert "hanya untuk petugas" in texts(await say(http, svc.url, "warga-a2", "/antrian"))


async def test_words_about_the_reporter_are_not_taken_for_the_closing_note(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a3")
    number = await file_complaint(http, svc.url, "warga-a3")
    await say(http, svc.url, "pupr-a3", f"/selesai {number}")
    replies = await say(http, svc.url, "pupr-a3", "pelapor marah-marah terus, gimana ini?")
    said = texts(replies)
    assert "belum ditandai selesai" in said, said
    assert (await svc.store.get_ticket(number)).status != "selesai"
    assert any(p.endswith(f"/selesai {number} pelapor marah-marah terus, gimana ini?") for p in payloads(replies))
    assert not await _heard(svc, "warga-a3", "marah-marah")
    # a real note after it closes as before
    await say(http, svc.url, "pupr-a3", f"/selesai {number} sudah ditambal")
    assert (await svc.store.get_ticket(number)).status == "selesai"


async def test_a_complaint_closed_by_mistake_is_reopened_by_its_office(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a4")
    await enrol(http, svc, "pupr-a4b")
    number = await file_complaint(http, svc.url, "warga-a4")
    await say(http, svc.url, "pupr-a4", f"/selesai {number} sudah ditambal")
    replies = await say(http, svc.url, "pupr-a4", f"/proses {number}")
    assert any(p.endswith(f"/buka_kembali {number}") for p in payloads(replies)), payloads(replies)
    # a colleague who closed nothing is not offered it
    assert "Tidak ada aduan" in texts(await say(http, svc.url, "pupr-a4b", "mohon maaf saya salah tutup tiket"))
    replies = await say(http, svc.url, "pupr-a4", "mohon maaf saya salah tutup tiket")
    assert any(p.endswith(f"/buka_kembali {number}") for p in payloads(replies)), texts(replies)
    due = (await svc.store.get_ticket(number)).due_at
    said = texts(await say(http, svc.url, "pupr-a4", f"/buka_kembali {number}"))
    assert "dibuka kembali" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "diproses" and ticket.closed_at is None and ticket.due_at == due
    await wait_for(lambda: _heard(svc, "warga-a4", "penandaan selesai sebelumnya keliru"))
    await wait_for(lambda: _heard(svc, "pupr-a4b", "dibuka kembali"))
    # the reporter is not asked to rate it any more, and it is open for the office again
    assert "belum selesai" in texts(await say(http, svc.url, "warga-a4", "5"))
    assert "sedang diproses" in texts(await say(http, svc.url, "pupr-a4", f"/buka_kembali {number}")).lower()


async def test_a_complaint_rated_cannot_be_reopened_by_an_officer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a5")
    number = await file_complaint(http, svc.url, "warga-a5")
    await say(http, svc.url, "pupr-a5", f"/selesai {number} sudah ditambal")
    await say(http, svc.url, "warga-a5", "5")
    said = texts(await say(http, svc.url, "pupr-a5", f"/buka_kembali {number}"))
    assert "tidak bisa dibuka kembali" in said and "penilaian" in said, said
    assert (await svc.store.get_ticket(number)).status == "ditutup"


async def test_transfer_to_the_office_a_ticket_is_at_says_so(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-a6")
    number = await file_complaint(http, svc.url, "warga-a6")
    said = texts(await say(http, svc.url, "pupr-a6", f"/alihkan {number} dinaspupr"))
    assert "sudah berada di Dinas Pekerjaan Umum" in said and "tidak dikenal" not in said, said
    assert "dishub" in said and f"/alihkan {number} triase" in said, said


async def test_operator_and_officer_asides_on_deleting_reading_and_passwords(svc, http):  # noqa: F811
    await enrol(http, svc, "op-a7", role="operator", opd=None)
    await enrol(http, svc, "pupr-a7")
    number = await file_complaint(http, svc.url, "warga-a7")
    said = texts(await say(http, svc.url, "op-a7", "bagaimana menambah petugas baru?"))
    assert "/undang" in said, said
    replies = await say(http, svc.url, "op-a7", f"hapus aduan spam ini {number}")
    assert "tidak dihapus" in texts(replies) and payloads(replies) == [f"/arsipkan {number}"], texts(replies)
    said = texts(await say(http, svc.url, "pupr-a7", f"ini aduan iseng pak {number}, bisa dihapus?"))
    assert "tidak dapat dihapus" in said and f"/alihkan {number} triase" in said, said
    said = texts(await say(http, svc.url, "op-a7", "ada aduan yang belum dibaca?"))
    assert number in said and "belum terkirim kepada siapa pun" not in said, said
    said = texts(await say(http, svc.url, "op-a7", "reset password petugas dinas pupr"))
    assert "tidak memakai kata sandi" in said, said
    said = texts(await say(http, svc.url, "pupr-a7", "tolong ingatkan saya besok soal aduan ini"))
    assert "Pengingat pribadi" in said and "/antrian" in said, said
    assert staff_asides._REMIND_ME.search("ingatkan saya") and not staff_asides._REMIND_ME.search("ingatkan dishub")


async def test_regent_asks_slow_offices_to_be_warned(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "rg-a8", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-a8")
    clock.now += timedelta(days=20)
    replies = await say(http, svc.url, "rg-a8", "tolong OPD yang lambat ditegur")
    assert "/ingatkan semua" in payloads(replies) or any("/ingatkan" in p for p in payloads(replies)), texts(replies)
    assert "belum terkirim kepada siapa pun" not in texts(replies)


# --- residents: one's open complaint -------------------------------------------------------------------------------
async def test_officer_name_how_long_and_a_month_gone_get_the_status(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-b1")
    for line in ("siapa nama petugasnya?", "berapa lama lagi kira-kira?"):
        said = texts(await say(http, svc.url, "warga-b1", line))
        assert number in said and "KIR" not in said, (line, said)
    clock.now += timedelta(days=31)
    said = texts(await say(http, svc.url, "warga-b1", "sudah sebulan lebih pak"))
    assert number in said and "belum yakin dinas mana" not in said, said
    assert resident.complains_of_delay("udah 2 minggu loh") and not resident.complains_of_delay("sudah diperbaiki")


async def test_thumbs_up_to_close_it_closes_it(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-b2")
    number = await file_complaint(http, svc.url, "warga-b2")
    said = texts(await say(http, svc.url, "warga-b2", "terima kasih pak, jalannya sudah diperbaiki kemarin"))
    assert "boleh ditutup" in said, said
    said = texts(await say(http, svc.url, "warga-b2", "👍"))
    assert "sudah kami teruskan" in said and "Sama-sama" not in said, said
    await wait_for(lambda: _heard(svc, "pupr-b2", number))


async def test_a_status_question_after_rating_is_no_comment(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-b3")
    number = await file_complaint(http, svc.url, "warga-b3")
    await say(http, svc.url, "pupr-b3", f"/selesai {number} sudah ditambal")
    await say(http, svc.url, "warga-b3", "4")
    said = texts(await say(http, svc.url, "warga-b3", "siapa nama petugasnya?"))
    assert number in said and "masukan Anda" not in said, said
    assert (await svc.store.get_ticket(number)).rating_comment in (None, "")


async def test_wait_dont_send_right_after_sending_offers_to_withdraw(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-b4")
    replies = await say(http, svc.url, "warga-b4", "eh tunggu, jangan dikirim dulu")
    assert "btn:withdraw_yes" in payloads(replies) and number in texts(replies), texts(replies)
    assert "Tunjangan" not in texts(replies)


async def test_send_someone_now_is_urging_not_sending_again(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-b5")
    number = await file_complaint(http, svc.url, "warga-b5")
    said = texts(await say(http, svc.url, "warga-b5", "tolong kirim petugas sekarang juga!!!"))
    assert "tidak perlu dikirim lagi" not in said and number in said, said
    await wait_for(lambda: _heard(svc, "pupr-b5", "sekarang juga"))


# --- residents: first words ------------------------------------------------------------------------------------------
async def test_greeting_of_the_hour_is_returned(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-c1", "selamat malam pak, maaf mengganggu malam-malam"))
    assert said.startswith("Selamat malam.") and "Tidak mengganggu" in said and "selamat datang" in said.lower()
    said = texts(await say(http, svc.url, "warga-c2", "good morning"))
    assert said.startswith("Good morning.") and "welcome" in said.lower(), said
    assert texts(await say(http, svc.url, "warga-c3", "halo")).startswith("Halo")


async def test_greeting_the_regent_after_bupati_is_answered_and_the_message_asked(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-c4", "/bupati")
    said = texts(await say(http, svc.url, "warga-c4", "selamat pagi pak"))
    assert said.startswith("Selamat pagi.") and "Bupati" in said and "Lanjutkan" not in said, said
    said = texts(await say(http, svc.url, "warga-c4", "mohon jalan di desa sooko diperbaiki, sudah rusak 3 tahun"))
    assert "Bupati" in said, said


async def test_thanks_naming_no_office_is_thanked(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-c5",
                           "terima kasih atas pelayanannya, semua sudah bagus sekarang"))
    assert "apresiasi" in said and "belum yakin dinas mana" not in said, said


async def test_a_curse_and_a_delay_get_an_apology(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-c6", "bangsat lama banget pelayanan disini"))
    assert "Mohon maaf" in said and "belum yakin dinas mana" not in said, said


async def test_call_me_gets_the_call_centre(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-c7", "bisa telpon saya saja?"))
    assert "(0321) 321 321" in said and "Yang bisa Anda lakukan" not in said, said
    assert not resident.asks_human("telpon saya rusak")


async def test_passport_and_election_are_told_who_handles_them(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-c8", "I lost my passport"))
    assert "Immigration" in said and "not sure which agency" not in said, said
    said = texts(await say(http, svc.url, "warga-c9", "kapan pemilu berikutnya?"))
    assert "KPU" in said and "Bawaslu" in said, said


# --- residents: while a complaint is written -----------------------------------------------------------------------
async def test_a_correction_at_the_photo_question_is_added(svc, http):  # noqa: F811
    for line in ("lampu jalan mati", "ya", "desa puri"):
        await say(http, svc.url, "warga-d1", line)
    said = texts(await say(http, svc.url, "warga-d1", "eh bukan, sebenarnya lampunya nyala tapi redup"))
    assert "kami tambahkan" in said and "foto" in said.lower(), said
    for line in ("lewati", "publik"):
        said = texts(await say(http, svc.url, "warga-d1", line))
    assert "nyala tapi redup" in said, said


async def test_a_corrected_place_at_the_topic_question_is_kept(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-d2", "sampah numpuk di pasar")
    replies = await say(http, svc.url, "warga-d2", "bukan, maksud saya di sungai")
    said = texts(replies)
    assert "kami tambahkan" in said and "Silakan pilih salah satu tombol" not in said, said
    assert "btn:yes" in payloads(replies)
    for line in ("ya", "desa sooko", "lewati", "publik"):
        said = texts(await say(http, svc.url, "warga-d2", line))
    assert "ralat pelapor: di sungai" in said, said


async def test_a_bare_place_days_later_answers_the_waiting_place_question(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-d3", "lampu jalan mati")
    await say(http, svc.url, "warga-d3", "ya")
    clock.now += timedelta(days=3)
    replies = await say(http, svc.url, "warga-d3", "desa puri dekat masjid")
    said = texts(replies)
    assert "belum yakin dinas mana" not in said and "Lampu penerangan jalan" in said, said
    assert "btn:place_for_draft" in payloads(replies), payloads(replies)
    said = texts(await say(http, svc.url, "warga-d3", "ya"))
    assert "foto" in said.lower(), said
    for line in ("lewati", "publik"):
        said = texts(await say(http, svc.url, "warga-d3", line))
    assert "desa puri dekat masjid" in said, said
    # "no, another matter": the place starts a new complaint if the resident wants
    await say(http, svc.url, "warga-d4", "lampu jalan mati")
    await say(http, svc.url, "warga-d4", "ya")
    clock.now += timedelta(days=3)
    await say(http, svc.url, "warga-d4", "desa sooko depan balai desa")
    replies = await say(http, svc.url, "warga-d4", "btn:place_not_for_draft")
    assert "btn:restart" in payloads(replies) and "btn:resume" in payloads(replies), texts(replies)
    # "no, this is about …": another matter told, offered as the new complaint (not the draft's topic changed)
    await say(http, svc.url, "warga-d5", "lampu jalan mati")
    await say(http, svc.url, "warga-d5", "ya")
    clock.now += timedelta(days=3)
    await say(http, svc.url, "warga-d5", "desa puri dekat masjid")
    replies = await say(http, svc.url, "warga-d5", "bukan, ini soal jalan rusak di desa puri")
    assert "btn:restart" in payloads(replies) and "Lampu penerangan jalan" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-d5", "btn:restart")
    assert "Jalan rusak" in texts(replies), texts(replies)


async def test_a_village_official_telling_the_matter_at_the_consent_keeps_it(svc, http):  # noqa: F811
    await enrol(http, svc, "pd-d4", role="pendamping", opd=None)
    await say(http, svc.url, "pd-d4", "/wakili Mbah Darmi")
    said = texts(await say(http, svc.url, "pd-d4", "rumah mbah darmi atapnya bocor parah, mau roboh"))
    assert "kami simpan" in said and "setuju" in said, said
    said = texts(await say(http, svc.url, "pd-d4", "ya"))
    assert "Silakan ceritakan masalah" not in said, said  # (it was asked for again: the matter was lost)
    assert "Apakah sudah benar" in said or "belum yakin dinas mana" in said, said  # routed from the words kept


async def test_a_spouse_asking_after_the_report_and_a_short_number_get_its_status(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-e1")
    number = await file_complaint(http, svc.url, "warga-e1")
    said = texts(await say(http, svc.url, "warga-e1", "ini istrinya, mau tanya laporan suami saya kemarin"))
    assert f"Status tiket *{number}*" in said and "/tanyakan" not in said, said
    short = number.rsplit("-", 1)[0] + "-" + str(int(number.rsplit("-", 1)[1]))  # WRG-2612-1
    said = texts(await say(http, svc.url, "warga-e1", f"nomor tiket saya {short} ya?"))
    assert f"Status tiket *{number}*" in said and "sudah kami catat" not in said, said
    events = await svc.store.ticket_events(number, "message_in")
    assert not [e for e in events if "nomor tiket saya" in (e.text or "")]


async def test_the_regent_thanking_an_office_is_offered_as_his_message(svc, http):  # noqa: F811
    await enrol(http, svc, "rg-e2", role="regent", opd=None)
    await enrol(http, svc, "pupr-e2")
    replies = await say(http, svc.url, "rg-e2",
                        "kirim ucapan terima kasih ke dinas pupr atas kerja kerasnya minggu ini")
    assert any("/pesan_opd dinas-pupr" in p for p in payloads(replies)), texts(replies)
    await say(http, svc.url, "rg-e2", "ya")
    await wait_for(lambda: _heard(svc, "pupr-e2", "kerja kerasnya"))


async def test_ignored_said_with_a_doubled_verb_gets_an_apology(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-e3", "kok ga dibales2 sih min"))
    assert "Mohon maaf" in said and "belum memahami" not in said, said


async def test_an_faq_asked_about_this_month_offers_the_office_too(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-e4", "saya mau tanya jadwal posyandu bulan ini")
    said = texts(replies)
    assert "posyandu" in said.lower() and "hanya diketahui dinasnya" in said, said
    assert "/tanyakan dinas-kesehatan" in payloads(replies), payloads(replies)
    # an FAQ asked with no time in it gets no offer
    replies = await say(http, svc.url, "warga-e6", "syarat bikin akta kelahiran apa saja?")
    assert not any(p.startswith("/tanyakan") for p in payloads(replies)), payloads(replies)


async def test_a_problem_in_another_regency_is_told_where_it_goes(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-e7", "jalan di kabupaten sebelah rusak parah"))
    assert "SP4N-LAPOR!" in said and "Apakah sudah benar" not in said, said
    said = texts(await say(http, svc.url, "warga-e8", "jalan di desa sooko rusak parah"))
    assert "Apakah sudah benar" in said, said


async def test_only_looked_at_is_not_fixed(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-e9")
    number = await file_complaint(http, svc.url, "warga-e9")
    await say(http, svc.url, "pupr-e9", f"/selesai {number} sudah ditambal")
    said = texts(await say(http, svc.url, "warga-e9", "jelek, petugasnya datang cuma lihat-lihat terus pergi"))
    assert "belum yakin dinas mana" not in said and number in said, said
    assert (await svc.store.get_ticket(number)).status == "diproses"
    assert resident.says_not_fixed("belum diapa-apain pak") and not resident.says_not_fixed("hanya lihat saja, bagus")


async def test_reporting_later_and_reporting_in_english_asked(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-f1", "pak saya mau lapor tapi nanti saja, sekarang lagi kerja"))
    assert "24 jam" in said and "belum yakin dinas mana" not in said, said
    said = texts(await say(http, svc.url, "warga-f2", "apakah bisa lapor pakai bahasa inggris?"))
    assert "English" in said and "publik" not in said, said
    said = texts(await say(http, svc.url, "warga-f3", "saya mau lapor jalan rusak nanti malam jam 7 gelap sekali"))
    assert "24 jam" not in said, said  # a problem told: no "whenever you are ready"
