"""Turns from the eighteenth trial, over real HTTP.

Someone who speaks of ending their life ("saya sudah tidak kuat lagi, mau bunuh diri saja") was told "Maaf, saya
belum memahami pesan Anda" with the menu. Now they hear care and a counsellor's number at once, in their language,
and are offered a health worker in the chat; what they told goes, only when they accept, as a confidential request
to the crisis OPD (never to the regent's channel), answered with "Balas" like any ticket, and closed without
"Sudah beres?" nor a rating. Someone worried about another person hears what to do for them; words about prevention,
"lampu mau mati" and a long road complaint that says "seperti bunuh diri" in passing are not a crisis.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from actions import crisis

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for

COUNSELLOR = "119 ext. 8"


async def _heard(svc, who: str, words: str) -> bool:  # noqa: F811
    return any(words in texts([m]) for m in await mailbox(svc.store, f"webchat:{who}"))


async def _tickets(svc, who: str) -> list:  # noqa: F811
    return await svc.store.recent_tickets(f"webchat:{who}", 10)


@pytest.mark.parametrize("typed, words", [
    ("saya sudah tidak kuat lagi, mau bunuh diri saja", "tidak harus menanggungnya sendirian"),
    ("tapi jujur saya capek hidup, rasanya ingin mati", "tidak harus menanggungnya sendirian"),
    ("aku pengen mati wae", "tidak harus menanggungnya sendirian"),
    ("I want to kill myself", "you do not have to carry it alone"),
    ("I feel like ending my life", "you do not have to carry it alone"),
])
async def test_someone_in_crisis_hears_care_and_a_number_first(svc, http, typed, words):  # noqa: F811
    replies = await say(http, svc.url, "warga-k1", typed)
    said = texts(replies)
    assert words in said and COUNSELLOR in said and "112" in said, said
    assert "belum memahami" not in said and "not understand" not in said.lower()
    assert payloads(replies) == [crisis.HELP, crisis.DECLINE]
    assert await _tickets(svc, "warga-k1") == []  # nothing is sent before they say yes


async def test_more_words_are_heard_and_yes_sends_them_confidentially_to_a_health_worker(svc, http):  # noqa: F811
    await enrol(http, svc, "dinkes-k2", opd="dinas-kesehatan")
    await enrol(http, svc, "bupati-k2", role="regent", opd=None)
    await say(http, svc.url, "warga-k2", "saya sudah tidak kuat lagi, mau bunuh diri saja")
    replies = await say(http, svc.url, "warga-k2", "hutang saya banyak, suami pergi")
    assert "saya membaca semuanya" in texts(replies) and crisis.HELP in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-k2", "iya"))
    assert "secara rahasia" in said and "Dinas Kesehatan" in said, said
    [ticket] = await _tickets(svc, "warga-k2")
    assert (ticket.opd_id, ticket.privacy, ticket.extra.get("crisis")) == ("dinas-kesehatan", "rahasia", "self")
    assert "bunuh diri" in ticket.text and "hutang saya banyak" in ticket.text
    await wait_for(lambda: _heard(svc, "dinkes-k2", "RAHASIA"))
    card = texts(await mailbox(svc.store, "webchat:dinkes-k2"))
    assert f"Permintaan pendampingan *{ticket.number}*" in card and "hutang saya banyak" in card, card
    assert "Aduan baru" not in card and "Lokasi" not in card
    assert await mailbox(svc.store, "webchat:bupati-k2") == []  # not the regent's channel


@pytest.mark.parametrize("typed, words", [
    ("warga saya mbah karto bilang ingin mati saja, tidak ada yang merawat", "temani dia"),
    ("my friend wants to kill himself", "stay with them"),
])
async def test_what_someone_else_said_is_answered_for_them(svc, http, typed, words):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-k16", typed))
    assert words in said and COUNSELLOR in said, said


async def test_someone_worried_for_another_hears_what_to_do_and_may_decline(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-k3",
                        "teman saya bilang dia ingin mengakhiri hidupnya, saya harus bagaimana?")
    said = texts(replies)
    assert "temani dia" in said and COUNSELLOR in said, said
    said = texts(await say(http, svc.url, "warga-k3", "Tidak sekarang"))
    assert "Kapan pun Anda ingin bicara" in said, said
    assert await _tickets(svc, "warga-k3") == []


@pytest.mark.parametrize("typed", ["lampu jalan mau mati aja nih kedip kedip",
                                   "sosialisasi pencegahan bunuh diri di sekolah kapan ada lagi?",
                                   "saya tidak ingin mati konyol di jalan berlubang itu",
                                   "I don't want to live near this dump, the smell is terrible"])
async def test_words_that_are_no_crisis_go_their_usual_way(svc, http, typed):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-k4", typed))
    assert COUNSELLOR not in said, said


async def test_a_long_complaint_that_says_it_in_passing_keeps_its_course(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-k5", (
        "jalan di desa kami sangat rusak, lubangnya dalam dan banyak, setiap malam gelap tanpa lampu, lewat situ "
        "seperti bunuh diri, sudah banyak pengendara motor jatuh, mohon segera diperbaiki oleh dinas PU karena ini "
        "jalan utama anak sekolah"))
    said = texts(replies)
    assert COUNSELLOR in said and "Dinas PUPR" in said and "btn:yes" in payloads(replies), said


async def test_a_draft_is_kept_and_the_resident_then_talks_to_the_health_worker(svc, http):  # noqa: F811
    await enrol(http, svc, "dinkes-k6", opd="dinas-kesehatan")
    await say(http, svc.url, "warga-k6", "jalan di desa Puri rusak parah banyak lubang")
    await say(http, svc.url, "warga-k6", "tapi jujur saya capek hidup, rasanya ingin mati")
    said = texts(await say(http, svc.url, "warga-k6", "ya"))
    assert "lanjut yang tadi" in said, said
    [ticket] = await _tickets(svc, "warga-k6")
    await wait_for(lambda: _heard(svc, "dinkes-k6", ticket.number))
    await say(http, svc.url, "dinkes-k6", f"/balas {ticket.number}")
    await say(http, svc.url, "dinkes-k6", "Selamat siang, saya Rina dari Dinas Kesehatan. Kita ngobrol di sini?")
    await wait_for(lambda: _heard(svc, "warga-k6", "saya Rina"))
    await say(http, svc.url, "warga-k6", "di sini aja bu")
    await wait_for(lambda: _heard(svc, "dinkes-k6", "di sini aja bu"))  # to her, not into the road draft
    said = texts(await say(http, svc.url, "warga-k6", "lanjut yang tadi"))
    assert "Jalan rusak" in said, said


async def test_closing_a_crisis_request_asks_no_rating_and_leaves_the_door_open(svc, http):  # noqa: F811
    await enrol(http, svc, "dinkes-k7", opd="dinas-kesehatan")
    await say(http, svc.url, "warga-k7", "saya mau bunuh diri")
    await say(http, svc.url, "warga-k7", crisis.HELP)
    [ticket] = await _tickets(svc, "warga-k7")
    await say(http, svc.url, "dinkes-k7", f"/selesai {ticket.number}")
    await say(http, svc.url, "dinkes-k7", "sudah dirujuk ke psikolog puskesmas")
    await wait_for(lambda: _heard(svc, "warga-k7", "Pendampingan"))
    last = (await mailbox(svc.store, "webchat:warga-k7"))[-1]
    assert "Sudah beres" not in texts([last]) and COUNSELLOR in texts([last]), texts([last])
    assert payloads([last]) == [f"/buka {ticket.number}"]


async def test_the_button_still_works_after_other_messages_and_a_day_later_offers_again(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-k8", "saya mau bunuh diri")
    await say(http, svc.url, "warga-k8", "halo")
    said = texts(await say(http, svc.url, "warga-k8", crisis.HELP))
    assert "secara rahasia" in said, said
    [ticket] = await _tickets(svc, "warga-k8")
    assert "saya mau bunuh diri" in ticket.text
    await say(http, svc.url, "warga-k9", "saya mau bunuh diri")
    clock.now += timedelta(days=2)
    replies = await say(http, svc.url, "warga-k9", crisis.HELP)
    assert COUNSELLOR in texts(replies) and crisis.HELP in payloads(replies), texts(replies)
    assert await _tickets(svc, "warga-k9") == []


# --- medical emergencies: the ambulance first ---------------------------------------------------------------
@pytest.mark.parametrize("typed", ["istri saya mau melahirkan, ambulans desa tidak ada, tolong",
                                   "anak saya kejang kejang tolong",
                                   "bapak saya digigit ular di sawah",
                                   "keracunan makanan massal di hajatan, banyak yang muntah",
                                   "my son is having a seizure, please help"])
async def test_a_medical_emergency_gets_the_ambulance_number_first(svc, http, typed):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-m1", typed))
    assert "PSC 119" in said and "Dinas Kesehatan" in said, said
    [ticket] = await _tickets(svc, "warga-m1")
    assert (ticket.priority, ticket.opd_id) == ("darurat", "dinas-kesehatan")


@pytest.mark.parametrize("typed", [
    "istri saya mau melahirkan bulan depan, biaya persalinan pakai bpjs bagaimana?",
    "asap pembakaran sampah tiap sore bikin warga sesak napas",
    "anak saya demam kejang dan kami bawa ke IGD RSUD, tetapi perawat hanya mengecek suhu lalu menyuruh kami menunggu "
    "berjam-jam tanpa dokter jaga, pelayanan sangat lambat dan tidak ramah, mohon dievaluasi agar tidak terulang",
])
async def test_costs_smoke_and_a_story_about_the_igd_are_no_emergency(svc, http, typed):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-m2", typed))
    assert "Keadaan darurat" not in said and "Emergency" not in said, said
    assert all(t.priority != "darurat" for t in await _tickets(svc, "warga-m2"))


# --- where and when an office is found ----------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["di mana alamat kantor dukcapil?", "dukcapil buka hari sabtu?",
                                   "where is the dukcapil office?"])
async def test_an_office_with_its_line_in_the_directory_is_answered_with_it(svc, http, typed):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-o1", typed))
    assert "Jl. Raya Warga No. 1 (loket Dispendukcapil)" in said and "Jumat 08.00-11.00" in said, said


@pytest.mark.parametrize("typed", ["jam buka dinas sosial sampai jam berapa?", "nomor wa dinsos berapa?",
                                   "kantor dishub dimana ya", "alamat rsud?",
                                   "nyuwun pirsa, kantor dinas sosial bukak jam pinten?"])
async def test_an_office_without_one_gets_the_regency_contact_and_this_chat(svc, http, typed):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-o2", typed))
    assert "belum tercatat" in said and "(0321) 321 321" in said, said
    assert "Senin-Kamis 08.00-15.30 dan Jumat" not in said  # not the general opening-hours answer


async def test_a_complaint_about_an_office_hours_is_still_a_complaint(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-o3", "dukcapil buka jam 8 tapi petugasnya baru datang jam 10")
    assert "btn:yes" in payloads(replies) and "belum tercatat" not in texts(replies), texts(replies)


# --- trying the service, tired of the bot, what it costs, fear, who handles it ----------------------------
@pytest.mark.parametrize("typed, words", [
    ("tes", "layanan ini aktif 24 jam"),
    ("test 123", "layanan ini aktif 24 jam"),
    ("bot nya gak ngerti2, capek saya", "(0321) 321 321"),
    ("you don't understand me", "(0321) 321 321"),
    ("apakah layanan ini gratis?", "tidak dipungut biaya"),
    ("lapor di sini bayar gak?", "tidak dipungut biaya"),
    ("is anyone there?", "virtual assistant"),
    ("halo ada orang?", "asisten virtual"),
])
async def test_short_turns_about_the_service_itself_are_answered(svc, http, typed, words):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-s1", typed))
    assert words in said and "belum memahami" not in said, said


@pytest.mark.parametrize("typed, words", [
    ("saya mau melapor pungli di kantor desa tapi saya takut diancam", "mengerti kekhawatiran Anda"),
    ("I'm afraid of retaliation if I report the village head", "We understand your concern"),
])
async def test_fear_of_reporting_is_heard_and_the_report_goes_on(svc, http, typed, words):  # noqa: F811
    replies = await say(http, svc.url, "warga-s2", typed)
    said = texts(replies)
    assert words in said, said
    assert any(p.startswith(("topic:", "btn:yes")) for p in payloads(replies)), said  # the matter is taken up


@pytest.mark.parametrize("typed", ["siapa petugas yang menangani aduan saya?", "who is handling my complaint?"])
async def test_who_handles_my_complaint_shows_its_status(svc, http, typed):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-s3", "jalan di desa Puri rusak parah banyak lubang")
    said = texts(await say(http, svc.url, "warga-s3", typed))
    assert number in said and "Dinas PUPR" in said and "btn:" not in said, said


# --- a new number: the operators check, then move the complaint ---------------------------------------------
async def test_a_lost_phone_complaint_moves_to_the_new_account_after_the_operator_checks(svc, http):  # noqa: F811
    await enrol(http, svc, "op-n1", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "lama-n1", "jalan di desa Puri rusak parah banyak lubang")
    replies = await say(http, svc.url, "baru-n1", "hp saya hilang, nomor wa ganti, aduan saya gimana?")
    assert "akun pelapornya" in texts(replies) and "/pindah_akun" in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "baru-n1", "iya"))
    [request] = await svc.store.recent_tickets("webchat:baru-n1", 5)
    assert request.number in said and request.extra["request"] == "pindah_akun", said
    await wait_for(lambda: _heard(svc, "op-n1", request.number))
    card = (await mailbox(svc.store, "webchat:op-n1"))[-1]
    assert payloads([card]) == [f"/balas {request.number}", f"/pindahkan_pelapor {request.number}"]
    await say(http, svc.url, "op-n1", f"/balas {request.number}")
    await say(http, svc.url, "op-n1", "Aduan bapak tentang apa dan di mana? Nomor tiketnya ingat?")
    await wait_for(lambda: _heard(svc, "baru-n1", "Nomor tiketnya ingat"))
    said = texts(await say(http, svc.url, "baru-n1", f"jalan rusak di desa puri, {number}"))
    assert "tidak kami teruskan" not in said, said  # the answer reaches the operator
    await wait_for(lambda: _heard(svc, "op-n1", f"jalan rusak di desa puri, {number}"))
    # a resident cannot move a complaint themselves
    said = texts(await say(http, svc.url, "baru-n1", f"/pindahkan_pelapor {request.number}"))
    assert "hanya untuk petugas" in said, said
    assert (await svc.store.get_ticket(number)).reporter == "webchat:lama-n1"
    said = texts(await say(http, svc.url, "op-n1", "/triase"))
    assert "Permintaan pindah akun" in said, said
    said = texts(await say(http, svc.url, "op-n1", f"/rute {request.number} dinas-pupr"))
    assert "bukan aduan untuk OPD" in said, said
    said = texts(await say(http, svc.url, "op-n1", f"/pindahkan_pelapor {request.number} {number}"))
    assert "dipindahkan" in said, said
    assert (await svc.store.get_ticket(number)).reporter == "webchat:baru-n1"
    await wait_for(lambda: _heard(svc, "baru-n1", "sekarang terhubung dengan akun ini"))
    await wait_for(lambda: _heard(svc, "lama-n1", "Bila Anda tidak memintanya"))
    assert "Dinas PUPR" in texts(await say(http, svc.url, "baru-n1", f"status {number}"))
    assert "hanya dapat dilihat oleh pelapornya" in texts(await say(http, svc.url, "lama-n1", f"status {number}"))


async def test_the_reporter_is_told_it_is_theirs_and_other_number_changes_are_not_about_complaints(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-n2", "jalan di desa Puri rusak parah banyak lubang")
    said = texts(await say(http, svc.url, "warga-n2", f"nomor saya ganti, aduan {number} gimana?"))
    assert "sudah terhubung dengan akun ini" in said, said
    said = texts(await say(http, svc.url, "warga-n3", "nomor hp saya ganti, bagaimana ubah data di dukcapil?"))
    assert "akun pelapornya" not in said, said


async def test_a_late_crisis_request_reaches_the_regent_without_its_words(svc, http, clock):  # noqa: F811
    from tests.core.test_tenth_staff import said_to
    from tests.core.test_twelfth_deadlines import run_days

    await enrol(http, svc, "bupati-k10", role="regent", opd=None)
    await enrol(http, svc, "dinkes-k10", opd="dinas-kesehatan")
    await say(http, svc.url, "warga-k10", "hutang saya banyak, saya mau bunuh diri")
    await say(http, svc.url, "warga-k10", crisis.HELP)
    [ticket] = await _tickets(svc, "warga-k10")
    await run_days(svc, clock, 3)
    [escalation] = await wait_for(lambda: said_to(svc, "webchat:bupati-k10", "melewati batas waktu"))
    assert ticket.number in escalation and "hutang" not in escalation and "rahasia" in escalation, escalation


async def test_requests_to_move_complaints_are_few_at_a_time(svc, http):  # noqa: F811
    for serial in ("0101", "0102", "0103"):
        said = texts(await say(http, svc.url, "warga-n4", f"/pindah_akun WRG-2612-{serial}"))
        assert "tidak ditemukan" in said, said  # no such ticket: nothing filed
    numbers = [await file_complaint(http, svc.url, f"lama-n4{i}", "jalan di desa Puri rusak parah banyak lubang")
               for i in range(4)]
    for number in numbers[:3]:
        assert "tercatat dengan nomor" in texts(await say(http, svc.url, "warga-n4", f"/pindah_akun {number}"))
    said = texts(await say(http, svc.url, "warga-n4", f"/pindah_akun {numbers[3]}"))
    assert "masih diperiksa" in said, said
    said = texts(await say(http, svc.url, "warga-n4", f"/pindah_akun {numbers[0]}"))
    assert "sudah Anda ajukan" in said, said


async def test_a_follow_up_about_the_office_just_named_is_about_that_office(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-o4", "di mana alamat kantor dukcapil?")
    said = texts(await say(http, svc.url, "warga-o4", "kalau hari sabtu buka?"))
    assert "loket Dispendukcapil" in said, said
    clock.now += timedelta(hours=2)  # hours later, the same words are the general question
    said = texts(await say(http, svc.url, "warga-o4", "kalau hari sabtu buka?"))
    assert "loket Dispendukcapil" not in said, said


async def test_not_now_then_asking_to_be_contacted_later_the_same_day_files_it(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-k11", "saya mau bunuh diri")
    await say(http, svc.url, "warga-k11", "Tidak sekarang")
    clock.now += timedelta(hours=3)
    said = texts(await say(http, svc.url, "warga-k11", "sebenarnya saya mau dihubungi petugas"))
    assert "secara rahasia" in said, said
    [ticket] = await _tickets(svc, "warga-k11")
    assert "bunuh diri" in ticket.text and "mau dihubungi" in ticket.text


async def test_a_letter_request_being_filled_in_is_kept_for_later(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-k12", "minta surat pengantar SKCK")
    await say(http, svc.url, "warga-k12", "saya capek hidup, ingin mati saja")
    said = texts(await say(http, svc.url, "warga-k12", "ya"))
    assert "secara rahasia" in said and "lanjut surat" in said, said
    said = texts(await say(http, svc.url, "warga-k12", "lanjut surat"))
    assert "Surat Pengantar SKCK" in said and "desa/kelurahan mana" in said, said


async def test_while_the_offer_stands_sorrow_is_heard_and_another_matter_goes_its_way(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-k13", "saya mau bunuh diri")
    for words in ("semua orang benci saya", "saya sendirian terus", "gak tau lagi"):
        replies = await say(http, svc.url, "warga-k13", words)
        assert "Saya membaca" in texts(replies) or "saya membaca" in texts(replies), (words, texts(replies))
        assert crisis.HELP in payloads(replies)
    assert await _tickets(svc, "warga-k13") == []  # "gak tau lagi" is no answer, and nothing is sent unasked
    await say(http, svc.url, "warga-k14", "rasanya ingin mati")
    replies = await say(http, svc.url, "warga-k14", "lampu jalan di desa sooko mati semua sejak seminggu")
    assert "btn:yes" in payloads(replies) and crisis.HELP not in payloads(replies), texts(replies)
    await say(http, svc.url, "warga-k15", "rasanya ingin mati")
    said = texts(await say(http, svc.url, "warga-k15", "syarat bikin ktp apa?"))
    assert "Kartu Keluarga" in said, said


@pytest.mark.parametrize("first", ["hp saya hilang, nomor wa ganti, aduan saya gimana?", "saya mau bunuh diri"])
async def test_cancel_at_an_offer_sends_nothing_later(svc, http, first):  # noqa: F811
    await say(http, svc.url, "warga-n5", first)
    await say(http, svc.url, "warga-n5", "/batal")
    await say(http, svc.url, "warga-n5", "ya")
    assert await _tickets(svc, "warga-n5") == []
