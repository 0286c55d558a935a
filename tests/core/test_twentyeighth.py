"""The twenty-eighth trial: a complaint with two places, "please cancel it, it works now", a question before a
complaint, a photo announced a day later, "has anyone reported it already?", "yes, and the place is …" at the topic
question, "I don't know the village" at the place step, where a complaint went and why it moved, whether one may
report without a KTP, "call me at 0812…", a Sunday at the office, the Ombudsman named by a resident whose complaint
is overdue, thanks for an office; an officer asking who reported and moving every complaint of a matter, the regent
asking for the weekly report and which offices have not answered. Over real HTTP on a settable clock.

Each was wrong before: the street light of "jalan rusak di desa sooko dan lampu jalan mati di desa puri" was asked to
be in Desa Sooko, and the road then offered "at the same place"; "please cancel it, it works now" got "There is
nothing in progress"; "… syaratnya apa? terus jalan depan rumah saya di desa sooko rusak" got only KTP answers, the
road lost; "aduan saya yang kemarin mau saya tambah fotonya" began a new complaint and the photo after it was taken
for a topic; "sudah ada yang lapor jalan rusak di desa sooko belum?" began a complaint, unanswered; "iya pak betul,
lokasinya di desa sooko rt 3" added the place to the report and asked the topic again; "tidak tahu nama desanya pak,
dekat pasar baru" was offered as a new complaint; "aduan saya diteruskan ke siapa?", "bisa minta nama petugasnya?"
and "apakah bisa lapor tanpa KTP?" were offered to an office as questions; "hubungi saya di 0812…" was not
understood; "hari ini kantor dukcapil buka?" on a Sunday was offered to an office; the Ombudsman was named twice;
"terima kasih kepada dinas pupr karena jalan … sudah bagus" began a complaint about a damaged road; the officer's
"siapa yang lapor jalan di sooko?" and "tolong pindahkan semua aduan lampu ke perkim" were offered as an answer to
the road's reporter (the second with the road's transfer); "kirim laporan mingguan" and "laporan bulanan dong" got
the help, "dinas mana saja yang belum membalas aduan warga?" the day's summary. Later in the trial: "pak kapan
diperbaiki?" got FAQs on PBB, social aid and vaccination to pick from; "di kantor kecamatan, pelayanannya lama"
offered "kecamatan, pelayanannya" as the place and "jl. ahmad yani no 5" none; "tolong sampaikan ke pelapor bahwa …"
was offered with its lead; the regent's "apa kabar pak" got the help.
"""

from __future__ import annotations

from datetime import timedelta

from actions import complaint, resident

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, photo_jpeg, say, texts, upload, wait_for

LIGHT = "lampu jalan mati di depan SD desa sukamaju"


# --- residents ------------------------------------------------------------------------------------------------
async def test_two_problems_at_two_places_each_get_their_own_place(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-z1", "saya mau lapor 2 hal pak: jalan rusak di desa sooko dan lampu "
                                                      "jalan mati di desa puri"))
    assert "Lampu penerangan jalan" in said, said
    said = texts(await say(http, svc.url, "warga-z1", "ya"))
    assert "Apakah lokasinya di *desa puri*?" in said, said
    for answer in ("ya", "lewati", "publik"):
        await say(http, svc.url, "warga-z1", answer)
    said = texts(await say(http, svc.url, "warga-z1", "kirim"))
    assert "*Jalan rusak* di desa sooko" in said and "di lokasi yang sama" not in said, said
    await say(http, svc.url, "warga-z1", "btn:also")
    said = texts(await say(http, svc.url, "warga-z1", "ya"))
    assert "Apakah lokasinya di *desa sooko*?" in said, said


async def test_cancel_it_in_english_soon_after_filing_asks_to_close_it(svc, http):  # noqa: F811
    for answer in ("the street light in front of the mosque in puri village is out", "yes", "puri village, mosque",
                   "skip", "anonymous", "send"):
        said = texts(await say(http, svc.url, "warga-z2", answer))
    number = (await svc.store.recent_tickets("webchat:warga-z2", 1))[0].number
    assert number in said, said
    said = texts(await say(http, svc.url, "warga-z2", "please cancel it, it works now"))
    assert number in said and "be closed" in said and "nothing in progress" not in said, said
    said = texts(await say(http, svc.url, "warga-z2", "yes"))
    assert (await svc.store.get_ticket(number)).extra.get("withdraw_requested"), said


async def test_a_question_then_a_complaint_in_one_message(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-z3", "halo pak, saya mau tanya, kalau mau bikin KTP syaratnya apa? "
                                                      "terus jalan depan rumah saya di desa sooko rusak"))
    assert "Kartu Keluarga" in said and "*Jalan rusak*" in said and "Apakah sudah benar?" in said, said
    assert complaint.complaint_then_question("apa? ini jalan rusak di desa sooko") is None


async def test_a_photo_announced_a_day_later_joins_the_complaint(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-z4")
    clock.now += timedelta(days=2)
    said = texts(await say(http, svc.url, "warga-z4", "aduan saya yang kemarin mau saya tambah fotonya"))
    assert "Silakan kirim fotonya" in said and number in said and "Kami belum yakin" not in said, said
    said = texts(await upload(http, svc.url, "warga-z4", photo_jpeg()))
    assert "sudah kami tambahkan ke aduan" in said and number in said, said
    assert len((await svc.store.get_ticket(number)).media) == 1
    assert len(await svc.store.recent_tickets("webchat:warga-z4", 5)) == 1  # no new complaint
    assert not resident.announces_photo("saya kirim foto jalan rusak di desa sooko yang berlubang parah sekali")


async def test_has_anyone_reported_it_already(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-z5")  # a road in Desa Sooko
    said = texts(await say(http, svc.url, "warga-z5b", "sudah ada yang lapor jalan rusak di desa sooko belum?"))
    assert "warga lain sudah melaporkan Jalan rusak" in said and "Apakah sudah benar?" in said, said
    said = texts(await say(http, svc.url, "warga-z5c", "has anyone reported the broken road in sooko village?"))
    assert "another resident has reported" in said, said
    said = texts(await say(http, svc.url, "warga-z5d", "sudah ada yang lapor lampu jalan mati di desa puri belum?"))
    assert "Belum ada aduan terbuka" in said, said
    said = texts(await say(http, svc.url, "warga-z5", "sudah ada yang lapor jalan rusak di desa sooko belum?"))
    assert "Anda sendiri sudah melaporkannya" in said and "Apakah sudah benar?" not in said, said


async def test_yes_with_the_place_and_an_unknown_village(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-z6", "jalan rusak parah")
    said = texts(await say(http, svc.url, "warga-z6", "iya pak betul, lokasinya di desa sooko rt 3 depan masjid"))
    assert "Lokasinya kami catat" in said and "Ada foto pendukung?" in said, said
    await say(http, svc.url, "warga-z6b", "sampah menumpuk di pinggir jalan")
    await say(http, svc.url, "warga-z6b", "ya")
    said = texts(await say(http, svc.url, "warga-z6b", "tidak tahu nama desanya pak, dekat pasar baru"))
    assert "Sepertinya ini masalah lain" not in said and "Ada foto pendukung?" in said, said


async def test_where_it_went_why_it_moved_and_who_handles_it(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z7")
    number = await file_complaint(http, svc.url, "warga-z7")
    await say(http, svc.url, "pupr-z7", f"/alihkan {number} disperkim jalan perumahan itu urusan perkim")
    for asked in ("aduan saya diteruskan ke siapa?", "kenapa dialihkan ke dinas lain?", "bisa minta nama petugasnya?"):
        replies = await say(http, svc.url, "warga-z7", asked)
        said = texts(replies)
        assert number in said and "Dialihkan dari Dinas PUPR" in said, (asked, said)
        assert not any(p.startswith("/tanyakan") for p in payloads(replies)), (asked, payloads(replies))


async def test_reporting_without_a_ktp_and_call_me(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-z8", "mohon maaf mau tanya, apakah bisa lapor tanpa KTP?"))
    assert "tidak perlu KTP" in said, said
    said = texts(await say(http, svc.url, "warga-z8", "do I need an ID card to report?"))
    assert "need no ID card" in said, said
    said = texts(await say(http, svc.url, "warga-z8", "hubungi saya di 081234567890 ya pak kalau ada kabar"))
    assert "kami kirim di chat ini" in said and "belum memahami" not in said, said


async def test_whether_the_office_is_open_today_or_tomorrow(svc, http, clock):  # noqa: F811
    clock.now += timedelta(days=6)  # Sunday 13 December
    said = texts(await say(http, svc.url, "warga-z9", "hari ini kantor dukcapil buka?"))
    assert "Pada hari Minggu, kantor Dispendukcapil tutup" in said and "Senin-Kamis" in said, said
    said = texts(await say(http, svc.url, "warga-z9", "besok buka jam berapa?"))  # Monday: open
    assert "tutup" not in said and "Senin-Kamis" in said, said
    clock.now += timedelta(days=11)  # Thursday 24 December: tomorrow is Christmas
    said = texts(await say(http, svc.url, "warga-z9b", "besok kantor dukcapil buka?"))
    assert "hari libur" in said and "Jumat" in said, said


async def test_the_ombudsman_named_with_an_overdue_complaint_is_said_once(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-z10")
    clock.now += timedelta(days=15)
    said = texts(await say(http, svc.url, "warga-z10", "sudah 2 minggu tidak ada kabar, saya lapor ke ombudsman saja "
                                                       "kalau begini"))
    assert said.count("Ombudsman") == 1 and number in said and "137" in said, said


async def test_thanks_for_an_office_reach_its_officers(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z11")
    said = texts(await say(http, svc.url, "warga-z11", "saya ingin menyampaikan terima kasih kepada dinas pupr karena "
                                                       "jalan di desa sooko sudah bagus"))
    assert "apresiasinya" in said and "Apakah sudah benar?" not in said, said
    card = await wait_for(lambda: mailbox(svc.store, "webchat:pupr-z11"))
    assert any("Apresiasi dari warga" in item["text"] for item in card), card
    said = texts(await say(http, svc.url, "warga-z11b", "terima kasih dinas pupr, tapi jalan di desa puri masih rusak "
                                                        "parah"))
    assert "Apakah sudah benar?" in said, said  # a complaint after the "but"
    said = texts(await say(http, svc.url, "warga-z11d", "terima kasih kepada dinas pupr, mohon jalan di desa puri juga "
                                                        "diperbaiki"))
    assert "apresiasinya" not in said, said  # a request: no thanks card
    said = texts(await say(http, svc.url, "warga-z11c", "makasih dishub, lampu alun-alun sekarang terang"))
    assert "Terima kasih atas apresiasinya untuk Dishub" in said, said  # nobody enrolled there: not "passed"


# --- staff ------------------------------------------------------------------------------------------------------
async def test_an_officer_asks_who_reported_and_moves_every_complaint_of_a_matter(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z12")
    number = await file_complaint(http, svc.url, "warga-z12")
    replies = await say(http, svc.url, "pupr-z12", "siapa yang lapor jalan di sooko?")
    assert f"Tiket *{number}*" in texts(replies) and "Pelapor:" in texts(replies), texts(replies)
    assert not any(p.startswith("/balas WRG") and "siapa" in p for p in payloads(replies)), payloads(replies)
    replies = await say(http, svc.url, "pupr-z12", "siapa yang lapor jembatan di puri?")  # names none of theirs
    assert f"Tiket *{number}*" not in texts(replies), texts(replies)
    replies = await say(http, svc.url, "pupr-z12", "tolong pindahkan semua aduan lampu ke perkim")
    assert "Tidak ada aduan terbuka" in texts(replies) and not any(
        p.startswith("/alihkan") for p in payloads(replies)), payloads(replies)
    replies = await say(http, svc.url, "pupr-z12", "tolong pindahkan semua aduan jalan ke perkim")
    assert any(p.startswith(f"/alihkan {number} disperkim") for p in payloads(replies)), payloads(replies)
    assert (await svc.store.get_ticket(number)).opd_id == "dinas-pupr"  # offered, not done


async def test_the_regent_asks_for_the_weekly_report_and_who_has_not_answered(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-z13", "regent", None)
    await file_complaint(http, svc.url, "warga-z13")
    said = texts(await say(http, svc.url, "bupati-z13", "kirim laporan mingguan"))
    assert "Rekap aduan" in said and "7 hari terakhir" in said and "Perintah pimpinan" not in said, said
    said = texts(await say(http, svc.url, "bupati-z13", "laporan bulanan dong"))
    assert "Rekap aduan" in said and "30 hari terakhir" in said, said
    said = texts(await say(http, svc.url, "bupati-z13", "dinas mana saja yang belum membalas aduan warga?"))
    assert "Peringkat OPD" in said and "Dinas PUPR" in said, said


async def test_when_will_it_be_fixed_alone_shows_the_deadline(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-z14")
    said = texts(await say(http, svc.url, "warga-z14", "pak kapan diperbaiki?"))
    assert number in said and "Batas waktu" in said and "Apakah maksud Anda" not in said, said
    assert not resident.asks_status("kapan bansos cair?")


async def test_places_a_comma_ends_and_a_street_in_lower_case(svc, http):  # noqa: F811
    assert complaint.place_in_text("ada masalah di kantor kecamatan, pelayanannya lama") is None
    assert complaint.place_in_text("Desa, Girimulya rusak") == "Desa, Girimulya"  # a name after the comma, still
    await say(http, svc.url, "warga-z15", "jalan rusak di jl. ahmad yani no 5")
    said = texts(await say(http, svc.url, "warga-z15", "ya"))
    assert "Apakah lokasinya di *jl. ahmad yani no 5*?" in said, said


async def test_an_officers_words_for_the_reporter_and_the_regents_how_are_you(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z16")
    number = await file_complaint(http, svc.url, "warga-z16")
    await say(http, svc.url, "warga-z16", "pak kapan diperbaiki? sudah bahaya")
    replies = await say(http, svc.url, "pupr-z16", "tolong sampaikan ke pelapor bahwa besok kami cek ke lokasi")
    assert f"/balas {number} Besok kami cek ke lokasi" in payloads(replies), payloads(replies)
    await enrol(http, svc, "bupati-z16", "regent", None)
    replies = await say(http, svc.url, "bupati-z16", "apa kabar pak")
    assert "/ringkasan" in payloads(replies) and "Perintah pimpinan" not in texts(replies), texts(replies)


async def test_a_complaint_taken_to_the_regent_is_named_in_the_message(svc, http):  # noqa: F811
    road = await file_complaint(http, svc.url, "warga-z17")
    await file_complaint(http, svc.url, "warga-z17", LIGHT)
    said = texts(await say(http, svc.url, "warga-z17", "tolong aduan jalan saya dinaikkan ke bupati"))
    assert "Pesan ini akan dikirim kepada Bupati" in said and road in said, said
    said = texts(await say(http, svc.url, "warga-z17", "kirim"))
    assert "sudah kami sampaikan kepada Bupati" in said, said


async def test_the_operator_asks_for_a_code_and_an_officer_takes_the_first_of_the_queue(svc, http):  # noqa: F811
    await enrol(http, svc, "op-z18", "operator", None)
    said = texts(await say(http, svc.url, "op-z18", "kode untuk petugas dlh dong"))
    assert "Kode pendaftaran untuk petugas Dinas Lingkungan Hidup" in said and "/daftar" in said, said
    await enrol(http, svc, "pupr-z18")
    number = await file_complaint(http, svc.url, "warga-z18")
    await say(http, svc.url, "pupr-z18", "/antrian")
    said = texts(await say(http, svc.url, "pupr-z18", "yang pertama saya ambil"))
    assert number in said and "ditugaskan" in said, said
    assert (await svc.store.get_ticket(number)).extra["assignee"]["key"] == "webchat:pupr-z18"
