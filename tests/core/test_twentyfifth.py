"""The twenty-fifth trial: a message naming three problems, a complaint sent by mistake, a rating corrected, a
resident asking how to send a photo or a location, a resident's list of complaints, the regent asking which office
is slowest. Over real HTTP on a settable clock.

Each was wrong before: "pak jalan di desa puri rusak parah, lampu jalannya juga mati, terus sampah numpuk …" was
filed as rubbish alone, the road and the street light never mentioned; "waduh maaf pak salah kirim, batalkan aja
aduannya" a minute after sending got "Tidak ada proses yang sedang berjalan"; "eh salah pak, maksud saya 5" after a
rating of 4 was kept as the comment, and "ubah nilai jadi 5" later began an unrouted complaint; "gimana caranya share
lokasi pak?" to an officer who asked for the location was passed to the officer as the answer; "aduan saya yang mana
saja yang masih proses?" was offered as a question to Dispendukcapil, and "yang kedua" after the list was not
understood; "thanks! what's the ticket number again?" got the general FAQ; the regent's "dinas mana yang paling
lambat bulan ini?" got the queue, and "tampilkan aduan yang terlambat" the day's digest.
"""

from __future__ import annotations

from datetime import timedelta

from actions import complaint, resident
from actions.officer import asks_overdue_list
from actions.report_card import asks_ranking

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import payloads, say, texts

THREE = ("pak jalan di desa puri rusak parah, lampu jalannya juga mati, terus sampah numpuk di pinggir jalan ga "
         "diangkut seminggu")


async def _send_from_topic_question(http, svc, who: str) -> str:  # noqa: F811
    for answer in ("ya", "ya", "lewati", "publik"):
        await say(http, svc.url, who, answer)
    return texts(await say(http, svc.url, who, "kirim"))


# --- several problems in one message ----------------------------------------------------------------------
async def test_a_message_naming_three_problems_names_the_others_and_offers_each_in_turn(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y1", THREE))
    assert "Pesan Anda juga menyebut" in said and "*Jalan rusak* (Dinas PUPR)" in said, said
    assert "Dishub" in said and "Apakah sudah benar?" in said, said
    said = await _send_from_topic_question(http, svc, "warga-y1")
    assert "WRG-" in said and "Pesan Anda juga menyebut masalah lain" in said, said
    first_offer = said.split("masalah lain: ")[1]
    # declining the second still offers the third (the offers ended there)
    said = texts(await say(http, svc.url, "warga-y1", "tidak"))
    assert "Pesan Anda juga menyebut masalah lain" in said, said
    second_offer = said.split("masalah lain: ")[1]
    assert second_offer.split("*")[1] != first_offer.split("*")[1], (first_offer, second_offer)
    said = texts(await say(http, svc.url, "warga-y1", "ya"))
    assert "Apakah sudah benar?" in said and "juga menyebut" not in said, said  # named once, at the start
    said = await _send_from_topic_question(http, svc, "warga-y1")
    assert said.count("WRG-") == 1 and "masalah lain" not in said, said  # every office of the message has had its turn
    mine = await svc.store.recent_tickets("webchat:warga-y1", 5)
    assert len({t.opd_id for t in mine}) == 2, [(t.number, t.opd_id) for t in mine]


def test_only_a_short_message_is_split_into_problems():
    assert complaint.clauses_of(THREE) == ["pak jalan di desa puri rusak parah", "lampu jalannya juga mati",
                                           "sampah numpuk di pinggir jalan ga diangkut seminggu"]
    assert complaint.clauses_of("lampu jalannya juga mati sejak minggu lalu") == [
        "lampu jalannya juga mati sejak minggu lalu"]  # "juga" inside a clause is no boundary
    long_report = ("Dengan hormat, saya warga desa puri ingin melaporkan bahwa jalan utama desa kami rusak parah, "
                   "banyak lubang besar, dan kalau hujan tergenang air. Sudah beberapa kali diajukan lewat "
                   "musrenbang, tetapi belum ada tindak lanjut. Mohon dicek di aplikasi dan segera diperbaiki.")
    assert complaint.clauses_of(long_report) == []  # a portal-style report names many things in passing


async def test_a_single_problem_gets_no_note_of_others(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y2", "jalan berlubang besar di depan SD desa sukamaju, bahaya"))
    assert "juga menyebut" not in said and "Apakah sudah benar?" in said, said


# --- a complaint sent by mistake ----------------------------------------------------------------------------
async def test_cancel_words_right_after_sending_offer_to_withdraw_that_complaint(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-y3")
    replies = await say(http, svc.url, "warga-y3", "waduh maaf pak salah kirim, batalkan aja aduannya")
    said = texts(replies)
    assert f"*{number}*" in said and "ditutup?" in said and "btn:withdraw_yes" in payloads(replies), said
    said = texts(await say(http, svc.url, "warga-y3", "ya"))
    assert "sudah kami teruskan" in said, said
    assert (await svc.store.get_ticket(number)).extra.get("withdraw_requested"), "the officers were asked"
    # a bare "batal" minutes after sending too; an hour later it is no longer about that complaint
    other = await file_complaint(http, svc.url, "warga-y4", "sampah menumpuk di pasar sooko sudah seminggu")
    said = texts(await say(http, svc.url, "warga-y4", "batal"))
    assert f"*{other}*" in said and "ditutup?" in said, said
    said = texts(await say(http, svc.url, "warga-y4", "tidak"))
    assert "tetap berjalan" in said, said
    clock.now += timedelta(hours=2)
    said = texts(await say(http, svc.url, "warga-y4", "batal"))
    assert "Tidak ada proses yang sedang berjalan" in said, said
    assert resident.asks_withdrawal("waduh salah kirim, tolong dihapus laporannya")
    third = await file_complaint(http, svc.url, "warga-y4b", "sampah menumpuk di pasar sooko sudah seminggu")
    said = texts(await say(http, svc.url, "warga-y4b", "waduh salah kirim pak"))
    assert f"*{third}*" in said and "ditutup?" in said, said  # (it was not understood)
    assert not resident.sent_by_mistake("pesan saya salah kirim ke dinas lain kemarin, jalan rusaknya belum dicek")


async def test_batal_to_the_next_problem_offer_declines_it_only(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-y5", "jalan rusak di desa puri dan lampu jalan mati")
    said = await _send_from_topic_question(http, svc, "warga-y5")
    assert "masalah lain" in said, said
    said = texts(await say(http, svc.url, "warga-y5", "batal"))
    assert "ditutup?" not in said and "Terima kasih atas laporan Anda" in said, said


# --- a rating corrected -------------------------------------------------------------------------------------
async def test_a_rating_is_corrected_at_the_comment_and_later(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-y6")
    number = await file_complaint(http, svc.url, "warga-y6")
    await say(http, svc.url, "pupr-y6", f"/selesai {number} sudah ditambal")
    await say(http, svc.url, "warga-y6", "ya")
    said = texts(await say(http, svc.url, "warga-y6", "4"))
    assert "(4/5)" in said, said
    said = texts(await say(http, svc.url, "warga-y6", "eh salah pak, maksud saya 5"))
    assert "menjadi 5/5" in said and "komentar" in said, said
    assert (await svc.store.get_ticket(number)).rating == 5
    said = texts(await say(http, svc.url, "warga-y6", "pelayanannya cepat, terima kasih"))
    assert (await svc.store.get_ticket(number)).rating_comment == "pelayanannya cepat, terima kasih", said
    clock.now += timedelta(hours=3)
    said = texts(await say(http, svc.url, "warga-y6", "ubah nilai jadi 3 aja deh, ternyata tambalannya jelek"))
    assert f"*{number}*" in said and "menjadi 3/5" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.rating == 3 and "tambalannya jelek" in (ticket.rating_comment or ""), ticket
    assert resident.rating_change_in("maaf pencet salah, harusnya bintang 5") == 5
    assert resident.rating_change_in("sorry, I meant 4 stars") == 4
    assert resident.rating_change_in("salah ketik, maksud saya lampu jalan mati 3 hari") is None
    assert resident.rating_change_in("maksud saya 5", named=False) == 5
    assert resident.rating_change_in("pelayanan lambat, harusnya 3 hari sudah selesai", named=False) is None


# --- how to send a photo or a location ------------------------------------------------------------------------
async def test_asking_how_to_send_is_answered_not_passed_to_the_officer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-y7")
    number = await file_complaint(http, svc.url, "warga-y7")
    await say(http, svc.url, "pupr-y7", f"/balas {number} mohon kirim titik lokasi (share location) ya pak")
    said = texts(await say(http, svc.url, "warga-y7", "gimana caranya share lokasi pak?"))
    assert "📍" in said and f"petugas aduan *{number}*" in said and "sudah kami teruskan" not in said, said
    said = texts(await say(http, svc.url, "warga-y7", "how do I send a photo?"))
    assert "📷" in said, said
    events = await svc.store.ticket_events(number)
    assert not any("share lokasi" in (e.text or "") for e in events), "not passed on as the answer"
    said = texts(await say(http, svc.url, "warga-y7", "pokoknya depan SD sukamaju pak, sebelah masjid"))
    assert "sudah kami teruskan" in said, said  # the real answer still goes
    assert resident.how_to_send("bagaimana cara kirim foto lewat sini?") == "photo"
    assert resident.how_to_send("fotonya dikirim gimana ya pak") == "photo"
    assert resident.how_to_send("gimana kabarnya pak, sudah dikirim petugas?") is None
    assert resident.how_to_send("cara bikin ktp gimana") is None
    assert resident.how_to_send("foto yang tadi saya kirim gimana, sudah diterima?") is None


async def test_asking_how_to_send_beside_a_draft_keeps_its_step(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-y8", "jalan berlubang besar di depan SD desa sukamaju")
    said = texts(await say(http, svc.url, "warga-y8", "ya"))
    assert "Apakah lokasinya di *desa sukamaju*?" in said, said
    said = texts(await say(http, svc.url, "warga-y8", "gimana cara share lokasi?"))
    assert "📍" in said and "belum berupa lokasi" not in said, said
    said = texts(await say(http, svc.url, "warga-y8", "ya"))
    assert "Ada foto pendukung?" in said, said
    said = texts(await say(http, svc.url, "warga-y8", "cara kirim foto gimana ya?"))
    assert "📷" in said, said
    said = texts(await say(http, svc.url, "warga-y8", "lewati"))
    assert "identitas" in said, said


# --- a resident's own complaints ------------------------------------------------------------------------------
async def test_which_of_my_complaints_lists_them_and_a_place_in_the_list_picks_one(svc, http):  # noqa: F811
    road = await file_complaint(http, svc.url, "warga-y9")
    light = await file_complaint(http, svc.url, "warga-y9", "lampu jalan mati di depan SD desa sukamaju sudah seminggu")
    replies = await say(http, svc.url, "warga-y9", "aduan saya yang mana saja yang masih proses?")
    said = texts(replies)
    assert road in said and light in said and "/tanyakan" not in " ".join(payloads(replies)), said
    said = texts(await say(http, svc.url, "warga-y9", "yang kedua"))
    assert f"Status tiket *{road}*" in said, said  # the list shows the newest first
    said = texts(await say(http, svc.url, "warga-y9", "thanks! what's the ticket number again?"))
    assert road in said and light in said, said
    said = texts(await say(http, svc.url, "warga-y9", "the first one"))
    assert f"*{light}*" in said, said
    said = texts(await say(http, svc.url, "warga-y9", "yang kedua"))
    assert "Status tiket" not in said, said  # the list was answered already: no longer a pick


# --- the regent ---------------------------------------------------------------------------------------------
async def test_the_regent_asks_which_office_is_slowest_and_for_the_overdue(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-y10", "regent", None)
    await enrol(http, svc, "dishub-y10", "officer", "dishub")
    road = await file_complaint(http, svc.url, "warga-y10")
    light = await file_complaint(http, svc.url, "warga-y11", "lampu jalan mati di depan SD desa sukamaju seminggu")
    clock.now += timedelta(hours=3)
    await say(http, svc.url, "dishub-y10", f"/balas {light} baik pak, kami cek")
    clock.now += timedelta(days=12)
    replies = await say(http, svc.url, "bupati-y10", "dinas mana yang paling lambat bulan ini?")
    said = texts(replies)
    assert "Peringkat OPD, bulan ini" in said and "1. Dishub" in said and "Paling lambat: *Dinas PUPR*" in said, said
    assert "/ingatkan dinas-pupr" in payloads(replies), payloads(replies)
    said = texts(await say(http, svc.url, "bupati-y10", "tampilkan aduan yang terlambat"))
    assert "lewat batas waktu (1" in said and light in said and road not in said, said
    said = texts(await say(http, svc.url, "bupati-y10", "aduan dinas pupr yang telat mana saja?"))
    assert "Tidak ada aduan Dinas PUPR yang lewat batas waktu" in said, said
    said = texts(await say(http, svc.url, "dishub-y10", "tampilkan aduan yang terlambat"))
    assert light in said and road not in said, said  # an officer: their own office's
    said = texts(await say(http, svc.url, "bupati-y10", "aduan yang telat ditangani ada berapa?"))
    assert "Ringkasan aduan" in said, said  # a count is still the digest
    assert asks_ranking("which office is the slowest?") and asks_ranking("peringkat dinas minggu ini")
    assert not asks_ranking("aduan mana yang paling lama belum ditangani?")
    assert asks_overdue_list("show overdue complaints") and not asks_overdue_list("berapa aduan yang terlambat?")


# --- the English flow, and the photo step -------------------------------------------------------------------------
async def test_an_english_place_at_the_topic_question_is_the_place_not_a_new_report(svc, http):  # noqa: F811
    report = "hi, the streetlights on Jalan Merdeka have been off for a week, it's dangerous at night"
    said = texts(await say(http, svc.url, "warga-y12", report))
    assert "*Street lights*" in said, said
    said = texts(await say(http, svc.url, "warga-y12", "actually it's in Sooko village, near the mosque"))
    assert "noted the place: Sooko village, near the mosque" in said and "replaced" not in said, said
    assert "*Street lights*" in said, said  # the topic question again
    said = texts(await say(http, svc.url, "warga-y12", "yes"))
    assert "Do you have a photo?" in said, said  # the place was taken: not asked again
    said = texts(await say(http, svc.url, "warga-y12", "yes"))
    assert "please send the photo now" in said and "📷" in said and "identity" not in said, said
    said = texts(await say(http, svc.url, "warga-y12", "I'll send a photo later"))
    assert "any time after the complaint is sent" in said and "identity" in said, said
    said = texts(await say(http, svc.url, "warga-y12", "public is fine"))
    assert "Identity: Public" in said and "Text: " + report in said, said
    assert "Location: Sooko village, near the mosque" in said, said


async def test_public_is_fine_at_the_topic_list_is_the_identity_not_public_order(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y13", "the thing near my house is a problem, please help"))
    assert "Other" in said, said  # no topic: the list
    said = texts(await say(http, svc.url, "warga-y13", "public is fine"))
    assert "Public order" not in said.split("\n")[0] and "Satpol PP*" not in said, said
    assert complaint._early_privacy("public is fine") == "publik" and complaint._early_privacy("public") is None


async def test_words_added_at_the_summary_lose_their_tambahkan(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-y14", "air pdam mati sudah 3 hari di desa sooko")
    for answer in ("ya", "ya", "lewati"):
        await say(http, svc.url, "warga-y14", answer)
    said = texts(await say(http, svc.url, "warga-y14", "publik"))
    assert "Kirim aduan ini?" in said, said
    added = "tambahkan: sudah lapor ke kantor pdam tapi tidak ada tanggapan"
    said = texts(await say(http, svc.url, "warga-y14", added))
    assert "\nsudah lapor ke kantor pdam" in said and "tambahkan:" not in said, said


# --- the same problem again, a day later ---------------------------------------------------------------------------
async def test_still_broken_the_next_day_is_about_the_open_complaint(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-y15", "lampu jalan mati di depan SD desa sukamaju seminggu")
    clock.now += timedelta(hours=20)
    replies = await say(http, svc.url, "warga-y15", "lampu jalan di depan SD sukamaju masih mati pak")
    said = texts(replies)
    assert f"*{number}*" in said and "btn:forward" in payloads(replies) and "Apakah sudah benar?" not in said, said
    said = texts(await say(http, svc.url, "warga-y15", "ya"))
    assert f"ditambahkan ke aduan *{number}*" in said or f"tambahkan ke aduan *{number}*" in said, said
    events = await svc.store.ticket_events(number)
    assert any("masih mati" in (e.text or "") for e in events), "passed to the officers"
    # another street light of someone else's is a new complaint as before; a new matter too
    said = texts(await say(http, svc.url, "warga-y16", "lampu jalan di depan SD sukamaju masih mati pak"))
    assert "Apakah sudah benar?" in said, said
    assert resident.says_still("the road is still broken") and not resident.says_still("masih lama ga pak?")


async def test_not_the_same_after_all_becomes_a_new_complaint(svc, http, clock):  # noqa: F811
    await file_complaint(http, svc.url, "warga-y17", "lampu jalan mati di depan SD desa sukamaju seminggu")
    clock.now += timedelta(hours=20)
    replies = await say(http, svc.url, "warga-y17", "lampu jalan di depan pasar sooko masih mati juga pak")
    assert "btn:not_forward" in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-y17", "btn:not_forward"))
    assert "*Lampu penerangan jalan (PJU)*" in said and "Apakah sudah benar?" in said, said


# --- danger, fear, and a complaint moved ------------------------------------------------------------------------------
async def test_a_snake_in_the_house_is_an_emergency_for_the_fire_brigade(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y18", "ada ular kobra masuk rumah saya pak tolong"))
    assert "Keadaan darurat" in said and "Damkar" in said, said
    said = texts(await say(http, svc.url, "warga-y19", "banyak ular di sawah desa puri, mohon ditangani"))
    assert "Keadaan darurat" not in said, said  # snakes in a field: a complaint


async def test_afraid_to_report_is_told_identity_is_protected(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y20", "saya mau lapor tapi takut, nanti saya dicari orangnya"))
    assert "*Anonim*" in said and "ceritakan masalah" in said, said
    assert complaint.fears_reporting("saya takut melapor pak") and not complaint.fears_reporting("takut banjir lagi")


async def test_the_status_of_a_moved_complaint_says_from_where(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-y21")
    number = await file_complaint(http, svc.url, "warga-y21")
    await say(http, svc.url, "pupr-y21", f"/alihkan {number} dlh ini jalan lingkungan perumahan")
    said = texts(await say(http, svc.url, "warga-y21", "kenapa aduan saya dialihkan?"))
    assert "Dialihkan dari Dinas PUPR" in said and "kewenangan DLH" in said, said
    assert "perumahan" not in said, said  # the officer's reason stays between the offices
    await say(http, svc.url, "pupr-y21", f"/batal_alihkan {number}")
    said = texts(await say(http, svc.url, "warga-y21", f"status {number}"))
    assert "Dialihkan" not in said and "Dinas PUPR" in said, said


# --- small things -----------------------------------------------------------------------------------------------
async def test_status_by_the_end_of_the_number(svc, http):  # noqa: F811
    road = await file_complaint(http, svc.url, "warga-y22")
    light = await file_complaint(http, svc.url, "warga-y22", "lampu jalan mati di depan SD desa sukamaju seminggu")
    said = texts(await say(http, svc.url, "warga-y22", f"status {road[-4:]}"))
    assert f"Status tiket *{road}*" in said and "tambahan" not in said, said
    said = texts(await say(http, svc.url, "warga-y22", f"cek {int(light[-4:])}"))
    assert f"Status tiket *{light}*" in said, said
    assert not resident.asks_status("jalan rusak 3 hari")


async def test_a_report_made_in_person_is_filed_here(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y23", "saya sudah lapor ke kantor desa soal jalan rusak di dusun "
                                                       "krajan tapi tidak ditindaklanjuti"))
    assert "langsung ke kantor desa belum tercatat" in said and "*Jalan rusak*" in said, said
    assert "nomor tiketnya" not in said, said


async def test_a_greeting_with_the_wish_to_complain_asks_for_the_matter(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y24",
                           "Assalamualaikum wr wb. Mohon izin bapak/ibu, saya mau menyampaikan keluhan"))
    assert "Wa'alaikumussalam" in said and "ceritakan masalah" in said, said


def test_officials_and_what_they_do_are_no_place_names():
    assert complaint.place_in_text("petugas kecamatan minta uang 50 ribu untuk bikin KTP, katanya biar cepat") is None
    assert complaint.place_in_text("jalan rusak di kecamatan sooko desa puri") == "kecamatan sooko desa puri"


async def test_fixed_after_all_on_a_reopened_complaint_asks_to_close_it(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-y25")
    number = await file_complaint(http, svc.url, "warga-y25")
    await say(http, svc.url, "pupr-y25", f"/selesai {number} sudah ditambal tim kami hari ini")
    clock.now += timedelta(hours=5)
    said = texts(await say(http, svc.url, "warga-y25", "kok ditutup? belum diperbaiki sama sekali pak"))
    assert "buka kembali" in said, said
    clock.now += timedelta(hours=30)
    replies = await say(http, svc.url, "warga-y25", "terima kasih pak sudah dibantu, sekarang sudah mulus")
    said = texts(replies)
    assert f"*{number}*" in said and "boleh ditutup?" in said and "btn:withdraw_yes" in payloads(replies), said
    # once an officer has written since the reopening, the words are an answer to them, as before
    await say(http, svc.url, "warga-y25", "tidak")
    await say(http, svc.url, "pupr-y25", f"/balas {number} baik pak, apakah sudah rata semua?")
    said = texts(await say(http, svc.url, "warga-y25", "sudah pak, sekarang sudah mulus"))
    assert "boleh ditutup?" not in said and "sudah kami teruskan" in said, said


async def test_start_again_after_an_unconfirmed_stop_and_asking_for_news_are_not_answers(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-y26")
    number = await file_complaint(http, svc.url, "warga-y26")
    said = texts(await say(http, svc.url, "warga-y26", "STOP"))
    assert "berhenti menerima pesan" in said, said
    await say(http, svc.url, "pupr-y26", f"/balas {number} besok kami cek ke lokasi")
    said = texts(await say(http, svc.url, "warga-y26", "mulai lagi"))
    assert "tetap kami kirim" in said and "sudah kami teruskan" not in said, said
    said = texts(await say(http, svc.url, "warga-y26", "ada kabar dari petugas?"))
    assert f"Status tiket *{number}*" in said and "besok kami cek ke lokasi" in said, said
    events = await svc.store.ticket_events(number, "message_in")
    assert not any(e.text in ("mulai lagi", "ada kabar dari petugas?") for e in events), [e.text for e in events]


async def test_still_broken_said_to_an_officer_who_asked_is_their_answer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-y27")
    number = await file_complaint(http, svc.url, "warga-y27")
    await say(http, svc.url, "pupr-y27", f"/balas {number} pak, apakah jalannya masih rusak?")
    answer = "iya jalan di desa sooko masih rusak pak, lubangnya makin besar"
    said = texts(await say(http, svc.url, "warga-y27", answer))
    assert "sudah kami teruskan" in said and "btn:forward" not in said, said


async def test_impatience_with_an_open_complaint_gets_where_it_stands(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-y28")
    clock.now += timedelta(hours=2)
    replies = await say(http, svc.url, "warga-y28", "lama banget sih")
    said = texts(replies)
    assert f"Status tiket *{number}*" in said and "otomatis kami laporkan" in said and "/bupati" in payloads(replies)
    assert "btn:forward" not in payloads(replies), said
    said = texts(await say(http, svc.url, "warga-y28b", "lama banget sih"))
    assert "Apa yang lama?" in said and "belum yakin dinas mana" not in said, said  # nothing of theirs is open
    assert resident.complains_of_delay("kok lambat sekali ya?")
    assert resident.complains_of_delay("this is taking so long")
    assert not resident.complains_of_delay("yang lama aja pak") and not resident.complains_of_delay("jalan lama rusak")


async def test_a_village_official_asking_for_their_complaints_gets_those_filed_for_residents(svc, http):  # noqa: F811
    await enrol(http, svc, "desa-y29", "pendamping", None)
    await say(http, svc.url, "desa-y29", "/wakili Mbah Karto")
    await say(http, svc.url, "desa-y29", "ya")
    await say(http, svc.url, "desa-y29", "jalan depan rumah mbah karto di desa puri rusak parah banyak lubang")
    for answer in ("ya", "ya", "lewati", "publik"):
        await say(http, svc.url, "desa-y29", answer)
    said = texts(await say(http, svc.url, "desa-y29", "kirim"))
    assert "Mbah Karto" in said, said
    said = texts(await say(http, svc.url, "desa-y29", "aduan saya yang mana saja?"))
    assert "Aduan yang Anda catat untuk warga" in said and "Mbah Karto" in said, said
    assert "hanya untuk petugas" not in said, said  # (it got "/aduansaya hanya untuk petugas")
