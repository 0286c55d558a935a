"""The twenty-third trial: turns a resident takes while correcting a report, days after filing, or before anything
was sent, over real HTTP on a settable clock.

Each was wrong before: a correction that opens "eh bukan, salah. maksud saya …" or "eh maaf bukan jalan, maksud
saya …" was offered as a new complaint; a place the report named took in the first word of a correction written
below it ("desa sukamaju salah"); "alamatnya salah, harusnya …" two days after filing was held with "the officer is
waiting for your answer" though no officer had asked anything (so was any message about an open complaint an
officer had only acted on); "pak yang kemarin gimana ya kok belum ada kabar" beside a complaint never sent got "Maaf,
saya belum memahami" and "aduan tentang *Belum ditentukan*"; "saya mau data pribadi saya dihapus dari sistem" was
not understood; "berapa lama biasanya diperbaiki pak?" with a complaint open got three unrelated FAQ titles; and
"kalau tidak diperbaiki saya lapor ke bupati ya" began a message to the regent at once, which then swallowed the
resident's next question.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from actions import complaint, resident

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_twentysecond import _pushed, _two_reports
from tests.harness import payloads, say, texts


async def _at_topic_question(http, svc, who: str, report: str) -> None:  # noqa: F811
    replies = await say(http, svc.url, who, report)
    assert "btn:yes" in payloads(replies) and "btn:change_topic" in payloads(replies), texts(replies)


# --- correcting the topic while filing ---------------------------------------------------------------------
@pytest.mark.parametrize("correction", [
    "eh bukan, salah. maksud saya lampu jalannya yang mati semua",
    "eh maaf bukan jalan, maksud saya lampu jalannya mati semua",
])
async def test_a_correction_that_takes_back_the_topic_first_changes_it(svc, http, correction):  # noqa: F811
    who = f"warga-k{len(correction)}"
    await _at_topic_question(http, svc, who, "mau lapor jalan rusak di jl. raya banjaran km 12, sudah 3 bulan")
    said = texts(await say(http, svc.url, who, correction))
    assert "Lampu penerangan jalan" in said and "Dishub" in said, said
    assert "masalah lain" not in said and "aduan baru" not in said, said


async def test_a_place_in_the_report_stops_at_the_correction_written_below_it(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-k3", "lampu jalan mati di desa sukamaju")
    said = texts(await say(http, svc.url, "warga-k3", "salah pak, maksud saya jalannya yang rusak bukan lampunya"))
    assert "Jalan rusak" in said and "*desa sukamaju*" in said, said
    assert complaint.place_in_text("lampu jalan mati di desa sukamaju\nsalah pak, maksud saya jalannya") == \
        "desa sukamaju"
    assert complaint.place_in_text("mohon dicek\nDesa Sooko RT 02 RW 01, depan balai desa") == "Desa Sooko RT 02 RW 01"
    # (nor does it take in what the road does: a village official's report for a neighbour without a phone)
    report = "jalan depan rumah mbah karto di dusun krajan desa sukamaju ambles, sudah 2 minggu"
    assert complaint.place_in_text(report) == "dusun krajan desa sukamaju"


# --- days after filing --------------------------------------------------------------------------------
async def test_a_place_corrected_days_after_filing_goes_to_the_complaint(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-k4")
    number = await file_complaint(http, svc.url, "warga-k4")
    clock.now += timedelta(hours=30)
    fixed = "alamatnya salah pak, harusnya depan SD desa sukamulya bukan Sooko"
    said = texts(await say(http, svc.url, "warga-k4", fixed))
    assert f"koreksi Anda sudah kami tambahkan ke aduan *{number}*" in said, said
    assert "menunggu jawaban" not in said, said
    events = [e.text for e in await svc.store.ticket_events(number, "message_in")]
    assert any("sukamulya" in (t or "") for t in events), events
    assert "sukamulya" in await _pushed(svc, "petugas-k4", "sukamulya")


async def test_more_words_days_later_are_asked_about_without_saying_an_officer_waits(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-k5")
    number = await file_complaint(http, svc.url, "warga-k5")
    clock.now += timedelta(hours=50)
    replies = await say(http, svc.url, "warga-k5", "pak tambahan, sekarang ada lubang baru juga di sebelahnya")
    said = texts(replies)
    assert f"tentang aduan Anda *{number}*" in said and "btn:forward" in payloads(replies), said
    assert "menunggu jawaban" not in said, said
    said = texts(await say(http, svc.url, "warga-k5", "ya"))
    assert f"sudah kami tambahkan ke aduan *{number}*" in said, said
    assert "lubang baru" in await _pushed(svc, "petugas-k5", "lubang baru")


# --- nothing was sent ----------------------------------------------------------------------------------
async def test_asking_after_a_report_never_sent_says_it_was_not_sent(svc, http, clock):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-k7", "mau lapor jalan rusak"))
    assert "ceritakan" in said, said
    clock.now += timedelta(hours=30)
    said = texts(await say(http, svc.url, "warga-k7", "pak yang kemarin gimana ya kok belum ada kabar"))
    assert "belum dikirim" in said or "belum terkirim" in said, said
    assert "belum memahami" not in said and "Belum ditentukan" not in said, said
    assert "memulai aduan baru, sebelum menceritakan masalahnya" in said, said


async def test_asking_after_it_in_the_middle_of_the_draft_says_the_same(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-k8", "lampu jalan mati di desa sukamaju sudah seminggu")
    said = texts(await say(http, svc.url, "warga-k8", "pak yang kemarin gimana ya kok belum ada kabar"))
    assert "belum terkirim" in said and "Lampu penerangan jalan" in said, said


# --- erasure, how long, the regent ------------------------------------------------------------------------
@pytest.mark.parametrize("asked", ["saya mau data pribadi saya dihapus dari sistem", "nomor saya tolong dihapus"])
async def test_asking_in_the_passive_for_ones_data_erased_is_understood(svc, http, asked):  # noqa: F811
    said = texts(await say(http, svc.url, f"warga-k9{len(asked)}", asked))
    assert "UU No. 27 Tahun 2022" in said, said


async def test_how_long_it_usually_takes_with_a_complaint_open_gives_its_deadline(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-k10")
    replies = await say(http, svc.url, "warga-k10", "berapa lama biasanya diperbaiki pak?")
    said = texts(replies)
    assert f"Status tiket *{number}*" in said and "Batas waktu" in said, said
    assert not [p for p in payloads(replies) if p.startswith("faq:")], payloads(replies)


@pytest.mark.parametrize("threat", ["kalau tidak diperbaiki saya lapor ke bupati ya",
                                    "kalo ga dibenerin gw laporin ke bupati",
                                    "nek ora didandani tak laporke bupati lho"])
async def test_if_not_fixed_ill_tell_the_regent_gets_the_status_and_the_regents_watch(svc, http, threat):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-k11")
    replies = await say(http, svc.url, "warga-k11", threat)
    said = texts(replies)
    assert f"Status tiket *{number}*" in said and "otomatis kami laporkan kepada Bupati" in said, said
    assert "/bupati" in payloads(replies), payloads(replies)
    said = texts(await say(http, svc.url, "warga-k11", "status aduan saya?"))
    assert f"Status tiket *{number}*" in said and "dikirim kepada Bupati" not in said, said


async def test_if_not_fixed_past_the_deadline_says_the_delay_is_followed(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-k12")
    clock.now += timedelta(days=30)
    said = texts(await say(http, svc.url, "warga-k12", "if nobody fixes it I'll report to the regent"))
    assert number in said and "past its deadline" in said, said
    assert "automatically" not in said, said


async def test_the_regent_named_with_no_complaint_open_is_still_a_message_to_him(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-k13", "kalau tidak ada yang peduli saya lapor ke bupati saja"))
    assert "Bupati" in said and "Status tiket" not in said, said


# --- staff --------------------------------------------------------------------------------------------------
async def test_an_officer_saying_in_words_it_is_another_offices_gets_the_transfer_offered(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-k14")
    number = await file_complaint(http, svc.url, "warga-k14")
    await say(http, svc.url, "warga-k14", "pak tolong segera ya, bahaya")  # the reporter wrote last
    replies = await say(http, svc.url, "petugas-k14", "ini sebenarnya bukan wewenang kami pak, harusnya ke dishub")
    assert f"/alihkan {number} dishub ini sebenarnya bukan wewenang kami" in " ".join(payloads(replies)), replies
    replies = await say(http, svc.url, "petugas-k14", "ini bukan wewenang kami, itu jalan desa")
    assert f"/alihkan {number} triase" in " ".join(payloads(replies)), payloads(replies)
    assert (await svc.store.get_ticket(number)).opd_id == "dinas-pupr"  # offered, never done unasked


async def test_staff_asking_after_a_matter_in_words_get_that_complaint(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-k15")
    await enrol(http, svc, "ajudan-k15", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-k15")
    await file_complaint(http, svc.url, "warga-k15b", "sampah menumpuk di pinggir pasar sudah seminggu")
    clock.now += timedelta(days=20)
    for who in ("ajudan-k15", "petugas-k15"):
        said = texts(await say(http, svc.url, who, "aduan jalan di sooko itu kok belum ditangani?"))
        assert f"Tiket *{number}*" in said and "Riwayat" in said, (who, said)
        assert "Batas waktu: Senin, 21 Desember 2026 (sudah lewat)" in said, said
    said = texts(await say(http, svc.url, "ajudan-k15", "berapa aduan yang belum ditangani?"))
    assert "Ringkasan" in said or "rekap" in said.lower(), said  # (the figures still answer a question on them)


async def test_the_regents_instruction_after_opening_a_complaint_offers_its_disposition(svc, http):  # noqa: F811
    await enrol(http, svc, "ajudan-k16", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-k16")
    await say(http, svc.url, "ajudan-k16", f"/info {number}")
    replies = await say(http, svc.url, "ajudan-k16", "tolong pupr segera tangani, lapor ke saya besok")
    assert f"Disposisikan *{number}*" in texts(replies), texts(replies)
    assert f"/disposisi {number} dinas-pupr tolong pupr segera tangani" in " ".join(payloads(replies))
    assert "/pesan_opd dinas-pupr tolong pupr segera tangani, lapor ke saya besok" in payloads(replies)
    said = texts(await say(http, svc.url, "ajudan-k16", "ya"))
    assert "dinas-pupr" in said or "Dinas Pekerjaan Umum" in said or "PUPR" in said, said
    assert (await svc.store.ticket_events(number, "disposition")), "the disposition was recorded"


async def test_more_like_keeps_what_the_report_said_first(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-k17", "hello, there is a big pothole on the main road near Sooko market")
    assert [p for p in payloads(replies) if p.startswith(("topic:", "btn:yes"))], texts(replies)
    said = texts(await say(http, svc.url, "warga-k17", "actually it's more like the whole road is collapsing"))
    assert "added that to your description" in said and "replaced" not in said, said
    await say(http, svc.url, "warga-k17", "topic:aduan_jalan_rusak")
    await say(http, svc.url, "warga-k17", "near the market in Sooko village")
    await say(http, svc.url, "warga-k17", "no photo")
    said = texts(await say(http, svc.url, "warga-k17", "privacy:publik"))
    assert "big pothole" in said and "whole road is collapsing" in said, said


async def test_naming_the_old_place_answers_the_offer_of_a_new_complaint_there(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-k18")
    number = await file_complaint(http, svc.url, "warga-k18")
    await say(http, svc.url, "petugas-k18", f"/selesai {number} sudah ditambal")
    await say(http, svc.url, "warga-k18", "sudah pak, makasih")
    clock.now += timedelta(days=40)
    replies = await say(http, svc.url, "warga-k18", "pak jalannya rusak lagi")
    assert "btn:recur" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "warga-k18", "yang di depan balai desa Sooko itu")
    said = texts(replies)
    assert "*Jalan rusak*" in said and "Dinas PUPR" in said and "belum yakin" not in said, said


# --- greetings and questions ----------------------------------------------------------------------------------
async def test_a_second_ping_gets_a_short_answer_not_the_whole_welcome(svc, http, clock):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-k19", "P"))
    assert "selamat datang" in said, said
    replies = await say(http, svc.url, "warga-k19", "min")
    assert "selamat datang" not in texts(replies) and "kami di sini" in texts(replies), texts(replies)
    assert "/aduan" in payloads(replies)
    clock.now += timedelta(hours=3)
    assert "selamat datang" in texts(await say(http, svc.url, "warga-k19", "halo"))  # hours later: welcomed again


async def test_a_longer_follow_up_to_an_answer_is_read_with_its_subject(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-k20", "mau tanya min, buat akta kelahiran anak syaratnya apa aja?"))
    assert "Syarat akta kelahiran" in said, said
    replies = await say(http, svc.url, "warga-k20", "kalau sudah lewat 60 hari kena denda gak?")
    assert "Akta kelahiran" in texts(replies) and "denda" in texts(replies), texts(replies)
    assert not [p for p in payloads(replies) if p.startswith("faq:")], payloads(replies)


async def test_an_officers_question_right_after_the_reporter_wrote_is_still_offered_as_the_answer(svc, http):  # noqa: F811
    # (the guard of the search above: words that name the matter are meant for the reporter who just wrote)
    await enrol(http, svc, "petugas-k21")
    number = await file_complaint(http, svc.url, "warga-k21")
    await say(http, svc.url, "warga-k21", "pak tolong segera ya, bahaya")
    replies = await say(http, svc.url, "petugas-k21", "gimana jalan di sooko itu pak, masih bisa dilewati?")
    assert f"/balas {number} gimana jalan di sooko itu pak, masih bisa dilewati?" in payloads(replies), texts(replies)


async def test_a_village_official_helping_another_resident_while_an_officer_waits_is_shown_how(svc, http):  # noqa: F811
    # filing for Mbah Karto, answered by the office; then "mau bantu bu sri lapor, …" was passed to that office as an
    # answer on Mbah Karto's complaint
    await enrol(http, svc, "petugas-k22")
    await enrol(http, svc, "kades-k22", role="pendamping", opd=None)
    for words in ("/wakili Mbah Karto, Dusun Krajan", "/wakili_setuju",
                  "jalan di desa Sooko rusak parah banyak lubang"):
        await say(http, svc.url, "kades-k22", words)
    await say(http, svc.url, "kades-k22", "btn:yes")
    await say(http, svc.url, "kades-k22", "Desa Sooko RT 02 RW 01, depan balai desa")
    await say(http, svc.url, "kades-k22", "lewati")
    await say(http, svc.url, "kades-k22", "privacy:publik")
    number = re.search(r"WRG-\d{4}-\d{4}", texts(await say(http, svc.url, "kades-k22", "btn:send"))).group(0)
    await say(http, svc.url, "petugas-k22", f"/balas {number} baik, besok kami cek")
    replies = await say(http, svc.url, "kades-k22", "saya juga mau bantu bu sri lapor, lampu jalan depan rumahnya mati")
    assert "/wakili Bu Sri" in payloads(replies) and "teruskan ke petugas" not in texts(replies), texts(replies)
    said = [e.text for e in await svc.store.ticket_events(number, "message_in")]
    assert not any("bu sri" in (t or "") for t in said), said


async def test_an_english_update_asked_beside_a_report_never_sent_starts_no_new_one(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-k23", "big pothole on the road in front of the village hall in Sooko")
    said = texts(await say(http, svc.url, "warga-k23", "yes"))
    assert "Is it at *in front of the village hall in Sooko*?" in said, said  # (since the 24th trial: offered)
    clock.now += timedelta(hours=50)
    replies = await say(http, svc.url, "warga-k23", "any update on my pothole report?")
    assert "not sent" in texts(replies) and "Is that right?" not in texts(replies), texts(replies)


async def test_urging_at_the_place_question_and_a_fuller_place_at_the_photo_are_both_kept(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-k24", "sampah numpuk di pinggir jalan desa puri, baunya sampai ke rumah")
    said = texts(await say(http, svc.url, "warga-k24", "ya"))
    assert "*desa puri*?" in said, said
    said = texts(await say(http, svc.url, "warga-k24", "tolong cepet ya pak, sudah seminggu"))
    assert "kami tambahkan" in said and "*desa puri*?" in said and "foto" not in said, said  # no yes to the place
    await say(http, svc.url, "warga-k24", "ya")
    said = texts(await say(http, svc.url, "warga-k24", "desa puri rt 05"))
    assert "desa puri rt 05" in said and "Ada foto" in said, said
    await say(http, svc.url, "warga-k24", "lewati")
    said = texts(await say(http, svc.url, "warga-k24", "privacy:anonim"))
    assert "Lokasi: desa puri rt 05" in said and "sudah seminggu" in said, said


async def test_more_words_days_later_from_a_joined_reporter_reach_the_main_complaint(svc, http, clock):  # noqa: F811
    # (they began a new complaint: a joined complaint is not open, and only open ones were asked about)
    main, dup = await _two_reports(http, svc, "petugas-k25", "warga-k25a", "warga-k25b")
    await say(http, svc.url, "petugas-k25", f"/gabung {dup} {main}")
    clock.now += timedelta(hours=50)
    replies = await say(http, svc.url, "warga-k25b", "pak tambahan, lubangnya sekarang makin dalam")
    assert f"tentang aduan Anda *{dup}*" in texts(replies) and "btn:forward" in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-k25b", "ya"))
    assert main in said, said
    assert "makin dalam" in await _pushed(svc, "petugas-k25", "makin dalam")


async def test_fixed_before_the_office_marked_it_done_offers_to_close_it(svc, http, clock):  # noqa: F811
    # (it began a new complaint about the same road)
    await enrol(http, svc, "petugas-k26")
    number = await file_complaint(http, svc.url, "warga-k26")
    clock.now += timedelta(hours=72)
    replies = await say(http, svc.url, "warga-k26", "pak, jalannya sudah diperbaiki kemarin, sekarang sudah mulus")
    said = texts(replies)
    assert f"aduan *{number}*" in said and "boleh ditutup" in said and "btn:withdraw_yes" in payloads(replies), said
    said = texts(await say(http, svc.url, "warga-k26", "btn:withdraw_yes"))
    assert number in said, said
    assert "sudah mulus" in await _pushed(svc, "petugas-k26", "sudah mulus")
    assert (await svc.store.get_ticket(number)).status not in ("selesai", "ditutup")  # the office closes it
    assert not resident.says_fixed_before_done("jalan di depan sudah tidak diperbaiki 3 tahun")  # a report of its own


async def test_fixed_said_to_an_officer_who_asked_is_their_answer(svc, http):  # noqa: F811
    # (the guard: an answer to an officer's question is not taken for a request to close)
    await enrol(http, svc, "petugas-k27")
    number = await file_complaint(http, svc.url, "warga-k27")
    await say(http, svc.url, "petugas-k27", f"/balas {number} Apakah jalannya sudah bisa dilewati lagi pak?")
    replies = await say(http, svc.url, "warga-k27", "sudah bagus pak sekarang, terima kasih")
    assert "boleh ditutup" not in texts(replies), texts(replies)
    assert "sudah bagus" in await _pushed(svc, "petugas-k27", "sudah bagus")
