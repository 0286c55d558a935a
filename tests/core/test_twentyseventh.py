"""The twenty-seventh trial: "ya" at an emergency's photo step, a status asked by its topic in words (in English too)
and "and the road one?" after the list, "sudah nyala, tidak jadi" soon after filing, thanks for a patched road and a
"5" after it, a suggestion, the ways to report and a question on the president, a Saturday at the office, "bentar ya
pak" in the middle of a complaint; an officer telling in words that a complaint is done or not theirs, staff greeted,
the regent asking for one village's complaints, the operator for failed messages, a village official naming the
resident after a comma. Over real HTTP on a settable clock.

Each was wrong before: "ya" and "ok" at the emergency's photo step went to the officers as messages; "what is the
status of my street light complaint?" and "status aduan lampu saya gimana pak" listed both complaints, and "and the
road one?" after the list began a complaint; "oh ternyata sudah nyala pak, tidak jadi" was offered a change of topic to
a house; "jalannya sudah ditambal kemarin" was only thanked, "5" then not understood and "mantap, cepat sekali" began a
complaint; "saya mau kasih saran …" was filed as a complaint without a word; "bisa lapor lewat telepon?" got FAQs on
SP4N-LAPOR!, privacy and ambulances, "siapa presiden indonesia sekarang?" an offer to ask Disperkim; "buka hari
sabtu?" the hours alone; "bentar ya pak saya cek dulu" confirmed the topic; the officer's "… sudah kami perbaiki" and
"ini bukan urusan kami, harusnya perkim" got "not sent" and the whole help, as did "selamat pagi"; the regent's "aduan
dari desa sukamaju apa saja?" got the day's summary; the operator's "ada pesan yang gagal terkirim?" the help; "untuk
warga saya, mbah darmo …" named nobody.
"""

from __future__ import annotations

from datetime import timedelta

from actions import complaint, public_info

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for

LIGHT = "lampu jalan mati di depan SD desa sukamaju"


async def _events(svc, number: str, kind: str) -> list:  # noqa: F811
    return [e.text for e in await svc.store.ticket_events(number, kind)]


# --- residents ------------------------------------------------------------------------------------------------
async def test_yes_and_ok_at_an_emergencys_photo_step_are_no_news(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y1", "tolong pak ada pohon tumbang menimpa rumah warga di desa "
                                                      "sukamaju rt 02, ada orang terjepit"))
    assert "Laporan darurat" in said and "kirim foto kejadian" in said, said
    number = (await svc.store.recent_tickets("webchat:warga-y1", 1))[0].number
    for answer in ("ya", "ok", "👍"):
        said = texts(await say(http, svc.url, "warga-y1", answer))
        assert "Bila aman, kirim foto kejadian di sini" in said and "Tanggapan Anda sudah kami catat" not in said, said
    assert await _events(svc, number, "message_in") == [], "an acknowledgement went to the officers"
    said = texts(await say(http, svc.url, "warga-y1", "gak ada foto pak"))
    assert "sedang ditangani" in said, said  # done, as "Selesai"
    # news at that step still reaches them
    await say(http, svc.url, "warga-y1b", "tolong ada kebakaran rumah di desa sukamaju rt 03, apinya besar")
    other = (await svc.store.recent_tickets("webchat:warga-y1b", 1))[0].number
    said = texts(await say(http, svc.url, "warga-y1b", "tidak bisa keluar rumah, asapnya tebal"))
    assert "Bila aman, kirim foto kejadian di sini" not in said, said
    assert await _events(svc, other, "message_in") == ["tidak bisa keluar rumah, asapnya tebal"]


async def test_a_status_asked_by_its_topic_in_words_and_the_other_after_the_list(svc, http):  # noqa: F811
    road = await file_complaint(http, svc.url, "warga-y2")
    light = await file_complaint(http, svc.url, "warga-y2", LIGHT)
    said = texts(await say(http, svc.url, "warga-y2", "what is the status of my street light complaint?"))
    assert light in said and road not in said and "Street lights" in said, said
    said = texts(await say(http, svc.url, "warga-y2", "status aduan lampu saya gimana pak"))
    assert light in said and road not in said, said
    said = texts(await say(http, svc.url, "warga-y2", "yang kedua sudah sampai mana?"))  # no list was shown: which
    assert light in said and road in said and "Semoga hari Anda menyenangkan" not in said, said
    said = texts(await say(http, svc.url, "warga-y2", "status aduan saya?"))
    assert light in said and road in said, said  # both listed
    said = texts(await say(http, svc.url, "warga-y2", "and the road one?"))
    assert road in said and "Damaged road" in said and light not in said, said
    assert "Kami belum yakin" not in said and "not sure" not in said, said


async def test_fixed_and_never_mind_soon_after_filing_asks_to_close_it(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-y3", LIGHT)
    clock.now += timedelta(minutes=6)
    said = texts(await say(http, svc.url, "warga-y3", "oh ternyata sudah nyala pak, tidak jadi"))
    assert number in said and "boleh ditutup" in said and "Maksud Anda" not in said, said


async def test_thanks_for_a_patched_road_then_a_five_and_praise(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-y4")
    clock.now += timedelta(hours=30)
    said = texts(await say(http, svc.url, "warga-y4", "pak terima kasih ya jalannya sudah ditambal kemarin"))
    assert number in said and "boleh ditutup" in said, said
    said = texts(await say(http, svc.url, "warga-y4", "5"))
    assert "sudah kami teruskan" in said and number in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.extra.get("withdraw_requested"), ticket.extra
    said = texts(await say(http, svc.url, "warga-y4", "mantap, cepat sekali"))
    assert "Sama-sama" in said and "Kami belum yakin" not in said, said


async def test_a_suggestion_is_kept_as_aspirasi_and_told_so(svc, http):  # noqa: F811
    await enrol(http, svc, "dlh-y5", "officer", "dlh")
    said = texts(await say(http, svc.url, "warga-y5", "saya mau kasih saran pak, sebaiknya di alun-alun desa sooko "
                                                      "ditambah tempat sampah karena sampah sering menumpuk"))
    assert "Terima kasih atas sarannya" in said and "aspirasi" in said, said
    for answer in ("ya", "Desa Sooko, alun-alun", "lewati", "publik"):
        await say(http, svc.url, "warga-y5", answer)
    said = texts(await say(http, svc.url, "warga-y5", "kirim"))
    assert "tercatat sebagai aspirasi" in said, said
    ticket = (await svc.store.recent_tickets("webchat:warga-y5", 1))[0]
    assert ticket.extra.get("aspiration") is True, ticket.extra
    card = await wait_for(lambda: mailbox(svc.store, "webchat:dlh-y5"))
    assert any("Saran/aspirasi warga" in item["text"] for item in card), card
    # a complaint is no suggestion
    number = await file_complaint(http, svc.url, "warga-y5b")
    assert not (await svc.store.get_ticket(number)).extra.get("aspiration")


async def test_the_ways_to_report_and_questions_outside_the_service(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y6", "bisa lapor lewat telepon?"))
    # the regency's call centre (content/directory.yml), this chat beside it, and 112
    assert "Aduan lewat telepon diterima di Call center Pengaduan" in said and "112" in said, said
    assert "web chat" in said, said
    said = texts(await say(http, svc.url, "warga-y6", "bisa lapor lewat sms?"))  # SMS is not switched on here
    assert "lewat SMS belum bisa" in said, said
    said = texts(await say(http, svc.url, "warga-y6", "siapa presiden indonesia sekarang?"))
    assert "di luar layanan kami" in said and "/tanyakan" not in str(payloads(await say(
        http, svc.url, "warga-y6b", "siapa presiden indonesia sekarang?"))), said
    assert not public_info.general_knowledge("jalan rusak karena cuaca ekstrem di desa sooko")
    assert not public_info.general_knowledge("berapa harga beras di pasar sooko?")
    assert public_info.channel_asked("saya sudah lapor lewat telepon tapi tidak ada tanggapan") is None


async def test_a_day_the_office_is_closed_is_said(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y7", "jam berapa kantor disdukcapil buka hari sabtu?"))
    assert "Pada hari Sabtu, kantor Dispendukcapil tutup" in said and "Senin-Kamis" in said, said
    said = texts(await say(http, svc.url, "warga-y7b", "jam berapa kantor disdukcapil buka hari jumat?"))
    assert "tutup" not in said and "Jumat 08.00-11.00" in said, said


async def test_a_moment_asked_mid_complaint_keeps_its_step(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y8", "lampu jalan mati di depan masjid desa puri"))
    assert "Apakah sudah benar?" in said, said
    said = texts(await say(http, svc.url, "warga-y8", "bentar ya pak saya cek dulu"))
    assert "Kami tunggu" in said and "lokasinya" not in said, said
    said = texts(await say(http, svc.url, "warga-y8", "ya"))
    assert "lokasinya" in said.lower(), said  # the topic question answered now, not before


async def test_a_village_official_names_the_resident_after_a_comma(svc, http):  # noqa: F811
    await enrol(http, svc, "desa-y9", "pendamping", None)
    replies = await say(http, svc.url, "desa-y9", "saya mau lapor untuk warga saya, mbah darmo rt 3 desa sukamaju, "
                                                  "rumahnya bocor parah mau roboh")
    assert "/wakili Mbah Darmo" in payloads(replies), texts(replies)


# --- staff ------------------------------------------------------------------------------------------------------
async def test_an_officer_tells_in_words_that_a_complaint_is_done_or_not_theirs(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-y10")
    number = await file_complaint(http, svc.url, "warga-y10")
    replies = await say(http, svc.url, "pupr-y10", "yang jalan rusak di desa sooko sudah kami perbaiki")
    assert any(p.startswith(f"/selesai {number} ") for p in payloads(replies)), payloads(replies)
    assert "Perintah petugas" not in texts(replies), texts(replies)
    replies = await say(http, svc.url, "pupr-y10", "ini bukan urusan kami, harusnya perkim")
    assert any(p.startswith(f"/alihkan {number} disperkim") for p in payloads(replies)), payloads(replies)
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "baru" and ticket.opd_id == "dinas-pupr", ticket  # offered, never done unasked
    # with two complaints in the queue, "ini" names none of them: nothing guessed
    await file_complaint(http, svc.url, "warga-y10b", "jalan di desa puri berlubang besar, bahaya")
    replies = await say(http, svc.url, "pupr-y10", "ini bukan urusan kami, harusnya perkim")
    assert not any(p.startswith("/alihkan WRG") for p in payloads(replies)), payloads(replies)


async def test_staff_are_greeted_briefly_and_menu_still_lists_the_commands(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-y11")
    replies = await say(http, svc.url, "pupr-y11", "selamat pagi")
    assert "/antrian" in payloads(replies) and "/alihkan TIKET" not in texts(replies), texts(replies)
    assert "/alihkan TIKET" in texts(await say(http, svc.url, "pupr-y11", "menu"))
    await enrol(http, svc, "bupati-y11", "regent", None)
    replies = await say(http, svc.url, "bupati-y11", "assalamualaikum")
    assert "Wa'alaikumussalam" in texts(replies) and "/ringkasan" in payloads(replies), texts(replies)


async def test_the_regent_asks_for_one_villages_complaints(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-y12", "regent", None)
    number = await file_complaint(http, svc.url, "warga-y12")  # in Desa Sooko
    said = texts(await say(http, svc.url, "bupati-y12", "aduan dari desa sooko apa saja?"))
    assert number in said and "Ringkasan aduan" not in said, said
    said = texts(await say(http, svc.url, "bupati-y12", "aduan dari desa puri apa saja?"))
    assert "Tidak ada aduan terbuka yang menyebut Puri" in said, said


async def test_the_operator_asks_for_failed_messages(svc, http):  # noqa: F811
    await enrol(http, svc, "op-y13", "operator", None)
    said = texts(await say(http, svc.url, "op-y13", "ada pesan yang gagal terkirim?"))
    assert "Antrean kirim" in said and "belum terkirim kepada siapa pun" not in said, said


async def test_an_officer_takes_a_complaint_and_asks_for_a_photo_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-y14")
    number = await file_complaint(http, svc.url, "warga-y14")
    said = texts(await say(http, svc.url, "pupr-y14", "saya ambil yang jalan di desa sooko"))
    assert number in said and "ditugaskan" in said, said
    assert (await svc.store.get_ticket(number)).extra["assignee"]["key"] == "webchat:pupr-y14"
    replies = await say(http, svc.url, "pupr-y14", "tolong minta foto ke pelapor jalan di desa sooko")
    assert any(p.startswith(f"/balas {number} Mohon bantuannya mengirimkan foto") for p in payloads(replies)), \
        payloads(replies)
    assert await _events(svc, number, "message_out") == []  # offered, not sent


async def test_the_regent_instructs_on_a_complaint_named_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-y15", "regent", None)
    number = await file_complaint(http, svc.url, "warga-y15")
    # every complaint of an office is a message to that office, no one complaint's disposition
    replies = await say(http, svc.url, "bupati-y15", "dinas pupr tolong segera tangani semua aduan jalan rusak")
    assert any(p.startswith("/pesan_opd dinas-pupr") for p in payloads(replies)), payloads(replies)
    assert not any(p.startswith("/disposisi") for p in payloads(replies)), payloads(replies)
    replies = await say(http, svc.url, "bupati-y15", "tolong tindak lanjuti aduan jalan di desa sooko, segera "
                                                     "diperbaiki")
    assert any(p.startswith(f"/disposisi {number} dinas-pupr tolong") for p in payloads(replies)), texts(replies)


async def test_being_ignored_said_alone_is_about_the_open_complaint(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-y16")
    clock.now += timedelta(days=10)
    said = texts(await say(http, svc.url, "warga-y16", "kok diam aja"))
    assert number in said and "Bupati" in said and "Kami belum yakin" not in said, said


async def test_when_the_deadline_is_asked_after_filing(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-y17")
    said = texts(await say(http, svc.url, "warga-y17", "kapan batas waktunya?"))
    assert number in said and "Batas waktu" in said, said


async def test_a_suggestion_announced_first_then_told_and_in_english(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y18", "usul pak"))
    assert "Silakan tulis saran Anda" in said, said
    said = texts(await say(http, svc.url, "warga-y18", "tambah tempat sampah di alun-alun desa sooko, sering menumpuk"))
    assert "Terima kasih atas sarannya" in said and "Apakah sudah benar?" in said, said
    for answer in ("ya", "alun-alun desa sooko", "lewati", "publik", "kirim"):
        said = texts(await say(http, svc.url, "warga-y18", answer))
    assert "tercatat sebagai aspirasi" in said, said
    assert (await svc.store.recent_tickets("webchat:warga-y18", 1))[0].extra.get("aspiration") is True
    said = texts(await say(http, svc.url, "warga-y18b", "hello, I'd like to suggest adding more trash bins at the "
                                                        "sooko village square"))
    assert "Thank you for your suggestion" in said, said
    said = texts(await say(http, svc.url, "warga-y18c", "bentar"))
    assert "Kami di sini bila Anda sudah siap" in said, said
    assert not complaint.is_suggestion("masukan data ktp susah sekali di kantor kecamatan")
