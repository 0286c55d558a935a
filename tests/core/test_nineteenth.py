"""Turns from the nineteenth trial, over real HTTP.

A resident who asked, after filing, "tolong nama saya jangan ditampilkan ya, takut" was told "Maaf, saya belum
memahami pesan Anda", and the same wish said at the photo question was passed over. "eh ternyata bukan jalannya
pak, yang rusak itu jembatannya" right after filing started a second complaint. "siapa nama petugas yang
menangani?" was offered as a complaint about civil servants; "saya mau ketemu langsung sama petugasnya bisa?" at
the topic question was read as a yes; a loan promotion with a link was offered to Diskominfo as a complaint.
"""

from __future__ import annotations

import pytest

from actions import mute, my_report, unsolicited
from bot.store.base import STATUS_NEW, Changes

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for

HIDE = "tolong nama saya jangan ditampilkan ya, takut"


async def _heard(svc, who: str, words: str) -> bool:  # noqa: F811
    return any(words in texts([m]) for m in await mailbox(svc.store, f"webchat:{who}"))


async def _tickets(svc, who: str) -> list:  # noqa: F811
    return await svc.store.recent_tickets(f"webchat:{who}", 10)


# --- "tolong nama saya jangan ditampilkan" ----------------------------------------------------------------
async def test_a_sent_complaint_is_made_anonymous_at_the_reporters_word(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n1")
    await enrol(http, svc, "operator-n1", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-n1")
    said = texts(await say(http, svc.url, "warga-n1", HIDE))
    assert f"*{number}* bersifat *Anonim*" in said and "belum memahami" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.privacy == "anonim"
    assert [e.kind for e in await svc.store.ticket_events(number)].count("privacy_changed") == 1
    await wait_for(lambda: _heard(svc, "pupr-n1", "meminta identitasnya tidak ditampilkan"))
    info = texts(await say(http, svc.url, "pupr-n1", f"/info {number}"))
    assert "anonim" in info.lower(), info
    assert await mailbox(svc.store, "webchat:operator-n1") == []  # not yet at SP4N-LAPOR!: nothing to ask there
    # asked again: it already is
    again = texts(await say(http, svc.url, "warga-n1", "nama saya jangan ditampilkan ya pak"))
    assert "sudah bersifat *Anonim*" in again, again


async def test_the_operators_are_asked_to_hide_it_at_lapor_when_it_is_already_there(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-n2", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-n2")
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None
    ticket.lapor_id = "LAPOR-7781"  # (as integrations/lapor.py records a report SP4N-LAPOR! accepted)
    await svc.store.commit(Changes(tickets=[ticket]))
    await say(http, svc.url, "warga-n2", "tolong identitas saya disembunyikan")
    await wait_for(lambda: _heard(svc, "operator-n2", "LAPOR-7781"))
    notice = texts(await mailbox(svc.store, "webchat:operator-n2"))
    assert number in notice and "admin SP4N-LAPOR!" in notice, notice


async def test_a_wish_for_a_report_to_come_begins_it_anonymous(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-n3", "tolong nama saya jangan ditampilkan kalau lapor"))
    assert "*Anonim*" in said and "ceritakan masalah" in said, said
    await say(http, svc.url, "warga-n3", "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, "warga-n3", "btn:yes")
    await say(http, svc.url, "warga-n3", "Desa Sooko RT 02 RW 01, depan balai desa")
    summary = texts(await say(http, svc.url, "warga-n3", "lewati"))
    assert "Identitas: Anonim" in summary and "tolong nama saya" not in summary, summary
    await say(http, svc.url, "warga-n3", "kirim")
    [ticket] = await _tickets(svc, "warga-n3")
    assert ticket.privacy == "anonim" and ticket.text == "jalan di desa Sooko rusak parah banyak lubang"


@pytest.mark.parametrize("step_words, at", [
    ("btn:yes", "lokasi"),  # at the place question
    ("Desa Sooko RT 02 RW 01, depan balai desa", "foto"),  # at the photo question
])
async def test_the_wish_said_at_a_later_step_is_kept_and_the_step_asked_again(svc, http, step_words, at):  # noqa: F811
    await say(http, svc.url, "warga-n4", "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, "warga-n4", "btn:yes")
    if at == "foto":
        await say(http, svc.url, "warga-n4", step_words)
    said = texts(await say(http, svc.url, "warga-n4", "tolong nama saya jangan ditampilkan ya"))
    assert "*Anonim*" in said and at in said.lower(), said
    if at == "lokasi":
        await say(http, svc.url, "warga-n4", "Desa Sooko RT 02 RW 01, depan balai desa")
    summary = texts(await say(http, svc.url, "warga-n4", "lewati"))
    assert "Identitas: Anonim" in summary, summary


# --- "eh ternyata bukan jalannya, yang rusak itu jembatannya" ----------------------------------------------
async def test_a_topic_corrected_soon_after_filing_changes_that_complaint(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n5")
    number = await file_complaint(http, svc.url, "warga-n5")
    replies = await say(http, svc.url, "warga-n5", "eh ternyata bukan jalannya pak, yang rusak itu jembatannya")
    assert "*Jembatan rusak*" in texts(replies) and number in texts(replies), texts(replies)
    assert payloads(replies) == [my_report.FIX_YES, my_report.FIX_NEW]
    said = texts(await say(http, svc.url, "warga-n5", "iya"))
    assert "kini tercatat tentang *Jembatan rusak*" in said, said
    [ticket] = await _tickets(svc, "warga-n5")  # no second complaint
    assert (ticket.number, ticket.topic, ticket.opd_id) == (number, "aduan_jembatan", "dinas-pupr")
    await wait_for(lambda: _heard(svc, "pupr-n5", "mengoreksi topik"))


async def test_a_correction_to_another_office_moves_it_while_nobody_has_acted(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n6")
    await enrol(http, svc, "dishub-n6", opd="dishub")
    number = await file_complaint(http, svc.url, "warga-n6")
    replies = await say(http, svc.url, "warga-n6", "eh maaf bukan jalan, maksudnya lampu jalannya mati semua")
    assert "Lampu penerangan jalan" in texts(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-n6", my_report.FIX_YES))
    assert "kami teruskan ke Dinas Perhubungan" in said and "Batas waktu" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and (ticket.opd_id, ticket.topic) == ("dishub", "aduan_lampu_jalan")
    await wait_for(lambda: _heard(svc, "dishub-n6", number))
    card = texts(await mailbox(svc.store, "webchat:dishub-n6"))
    assert "oleh Pelapor" in card and "warga-n6" not in card, card
    await wait_for(lambda: _heard(svc, "pupr-n6", "mengoreksi topiknya sebelum ada tindakan"))
    assert len(await _tickets(svc, "warga-n6")) == 1


async def test_once_an_officer_acted_the_correction_is_theirs_to_weigh(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n7")
    number = await file_complaint(http, svc.url, "warga-n7")
    await say(http, svc.url, "pupr-n7", f"/proses {number}")
    await say(http, svc.url, "warga-n7", "eh maaf bukan jalan, maksudnya lampu jalannya mati semua")
    said = texts(await say(http, svc.url, "warga-n7", my_report.FIX_YES))
    assert "koreksi Anda kami teruskan" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.opd_id == "dinas-pupr" and ticket.topic == "aduan_jalan_rusak"
    await wait_for(lambda: _heard(svc, "pupr-n7", "lampu jalannya mati semua"))


async def test_it_is_a_new_one_files_nothing_over_the_first(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-n8")
    await say(http, svc.url, "warga-n8", "eh maaf bukan jalan, maksudnya lampu jalannya mati semua")
    said = texts(await say(http, svc.url, "warga-n8", "bukan, ini aduan baru"))
    assert "*Lampu penerangan jalan (PJU)*" in said and "Apakah sudah benar" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.topic == "aduan_jalan_rusak" and ticket.status == STATUS_NEW


async def test_a_correction_hours_later_is_no_change_offer(svc, http, clock):  # noqa: F811
    from datetime import timedelta

    await file_complaint(http, svc.url, "warga-n9")
    clock.now += timedelta(hours=my_report.FIX_HOURS, minutes=5)
    replies = await say(http, svc.url, "warga-n9", "eh ternyata bukan jalannya pak, yang rusak itu jembatannya")
    assert my_report.FIX_YES not in payloads(replies), texts(replies)


# --- who, and meeting them ----------------------------------------------------------------------------------
async def test_who_handles_it_is_its_status(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-n10")
    said = texts(await say(http, svc.url, "warga-n10", "siapa nama petugas yang menangani?"))
    assert f"Status tiket *{number}*" in said and "Dinas PUPR" in said, said
    assert len(await _tickets(svc, "warga-n10")) == 1


async def test_a_resident_who_wants_to_meet_the_officer_is_told_where_and_may_ask_them(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n11")
    number = await file_complaint(http, svc.url, "warga-n11")
    replies = await say(http, svc.url, "warga-n11", "saya mau ketemu langsung sama petugasnya bisa?")
    said = texts(replies)
    assert "buat janji" in said and "(0321) 321 321" in said and number in said, said
    assert "btn:forward" in payloads(replies)
    await say(http, svc.url, "warga-n11", "ya")
    await wait_for(lambda: _heard(svc, "pupr-n11", "ketemu langsung sama petugasnya"))
    await say(http, svc.url, "warga-n11", "can I meet the officer in person?")
    said = texts(await say(http, svc.url, "warga-n11", "no"))  # not passed on: said so, not offered again
    assert "not passed on" in said and "Pass it on?" not in said, said


async def test_a_question_at_the_topic_question_is_no_yes(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-n12", "sampah menumpuk di pinggir jalan desa Sooko")
    said = texts(await say(http, svc.url, "warga-n12", "saya mau ketemu langsung sama petugasnya bisa?"))
    assert "Apakah lokasinya" not in said and "Di mana lokasinya" not in said, said


# --- promotions -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", [
    "Promo spesial! Dapatkan pinjaman online cepat cair tanpa jaminan, hubungi wa.me/6281234567890",
    "SLOT GACOR hari ini!! deposit 10rb bonus 100% daftar di www.gacor88.xyz",
])
async def test_a_promotion_is_told_what_this_chat_is_for(svc, http, typed):  # noqa: F811
    replies = await say(http, svc.url, "warga-n13", typed)
    assert "pesan promosi tidak kami teruskan" in texts(replies), texts(replies)
    assert not any(p.startswith("topic:") for p in payloads(replies))
    assert await _tickets(svc, "warga-n13") == []


@pytest.mark.parametrize("typed", [
    "tolong pak berantas pinjol ilegal, warga sering dapat sms pinjaman cair klik bit.ly/abc",
    "jalan rusak di desa sukamaju, fotonya di bit.ly/abc",
    "info lowongan kerja di pemkab ada? www.bandungkab.go.id/loker",
])
def test_a_resident_speaking_of_one_is_no_promotion(typed):
    assert not unsolicited.is_promotion(typed)


async def test_a_named_office_moves_it_there_with_a_topic_read_as_a_transfer_reads_it(svc, http):  # noqa: F811
    await enrol(http, svc, "perkim-n14", opd="disperkim")
    number = await file_complaint(http, svc.url, "warga-n14",
                                  "pohon tumbang menutup jalan di desa Sooko, belum dipotong")
    before = await svc.store.get_ticket(number)
    assert before is not None and before.opd_id == "dlh"
    replies = await say(http, svc.url, "warga-n14", "salah dinas pak, harusnya ke dinas perkim")
    assert "seharusnya ditangani Dinas Perumahan" in texts(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-n14", "ya"))
    assert "kami teruskan ke Dinas Perumahan" in said and "tercatat tentang" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.opd_id == "disperkim"
    await wait_for(lambda: _heard(svc, "perkim-n14", number))


@pytest.mark.parametrize("typed", ["please keep my name anonymous", "jadikan aduan saya anonim",
                                   "jenengku ojo ditampilke"])
async def test_the_wish_is_heard_in_other_words(svc, http, typed):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-n15")
    await say(http, svc.url, "warga-n15", typed)
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.privacy == "anonim", typed


async def test_another_identity_choice_at_the_summary_changes_it(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-n16", "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, "warga-n16", "btn:yes")
    await say(http, svc.url, "warga-n16", "Desa Sooko RT 02 RW 01, depan balai desa")
    await say(http, svc.url, "warga-n16", "lewati")
    assert "Identitas: Anonim" in texts(await say(http, svc.url, "warga-n16", "anonim"))
    said = texts(await say(http, svc.url, "warga-n16", "eh jadi publik aja deh"))
    assert "diubah menjadi *Publik*" in said and "Identitas: Publik" in said, said


async def test_urging_ones_own_complaint_is_added_to_it(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n17")
    number = await file_complaint(http, svc.url, "warga-n17")
    said = texts(await say(http, svc.url, "warga-n17", "aduan saya tolong diprioritaskan pak, ibu saya sakit harus "
                                                       "lewat jalan itu tiap hari ke puskesmas"))
    assert f"tambahkan ke aduan *{number}*" in said, said
    assert len(await _tickets(svc, "warga-n17")) == 1
    await wait_for(lambda: _heard(svc, "pupr-n17", "diprioritaskan"))


async def test_is_this_the_official_number_is_answered_with_what_we_never_ask(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-n18", "ini nomor resmi pemkab bukan? takut penipuan"))
    assert "layanan aduan dan informasi resmi" in said and "OTP" in said, said


async def test_what_can_be_sent_is_answered_also_at_the_photo_question(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-n19", "bisa kirim bukti video?"))
    assert "video belum bisa kami terima" in said, said
    await say(http, svc.url, "warga-n19", "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, "warga-n19", "btn:yes")
    await say(http, svc.url, "warga-n19", "Desa Sooko RT 02 RW 01, depan balai desa")
    said = texts(await say(http, svc.url, "warga-n19", "boleh kirim foto lebih dari satu?"))
    assert "boleh beberapa" in said and "Ada foto pendukung" in said, said
    said = texts(await say(http, svc.url, "warga-n19", "bisa kirim voice note?"))
    assert "pesan suara belum bisa kami baca" in said, said  # (no speech-to-text service in this test's settings)


# --- "STOP" -----------------------------------------------------------------------------------------------------
async def test_stop_is_asked_then_nothing_more_is_pushed_and_start_turns_it_back_on(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n20")
    number = await file_complaint(http, svc.url, "warga-n20")
    replies = await say(http, svc.url, "warga-n20", "STOP")
    assert number in texts(replies) and "berhenti menerima pesan" in texts(replies), texts(replies)
    assert payloads(replies) == [mute.YES, mute.NO]
    assert "tidak mengirim pesan" in texts(await say(http, svc.url, "warga-n20", "ya"))
    await wait_for(lambda: _heard(svc, "pupr-n20", "memilih berhenti menerima pesan"))
    before = len(await mailbox(svc.store, "webchat:warga-n20"))
    said = texts(await say(http, svc.url, "pupr-n20", f"/balas {number} besok kami cek lokasinya pak"))
    assert "tidak dikirim" in said, said

    async def kept() -> bool:
        return any(e.kind == "not_sent_muted" for e in await svc.store.ticket_events(number))

    await wait_for(kept)
    assert len(await mailbox(svc.store, "webchat:warga-n20")) == before  # nothing pushed
    status = texts(await say(http, svc.url, "warga-n20", "status"))
    assert "besok kami cek lokasinya" in status, status  # what was not pushed is there when they look
    assert "kembali kami kirim" in texts(await say(http, svc.url, "warga-n20", "mulai"))
    await say(http, svc.url, "pupr-n20", f"/balas {number} sudah kami jadwalkan")
    await wait_for(lambda: _heard(svc, "warga-n20", "sudah kami jadwalkan"))


async def test_no_to_the_stop_question_keeps_the_news_and_stop_in_a_form_still_cancels(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-n21", "jangan kirim pesan lagi")
    assert "tetap kami kirim" in texts(await say(http, svc.url, "warga-n21", "tidak"))
    assert not await mute.is_muted(svc.store, "webchat:warga-n21")
    await say(http, svc.url, "warga-n21", "jalan di desa Sooko rusak parah banyak lubang")
    said = texts(await say(http, svc.url, "warga-n21", "stop"))
    assert "dibatalkan" in said and mute.YES not in said, said
    assert not await mute.is_muted(svc.store, "webchat:warga-n21")


async def test_news_of_the_officers_call_is_kept_with_the_complaint(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n22")
    number = await file_complaint(http, svc.url, "warga-n22")
    said = texts(await say(http, svc.url, "warga-n22", "pak petugasnya tadi nelpon saya, katanya besok diperbaiki"))
    assert f"Kami catat di aduan *{number}*" in said, said
    assert len(await _tickets(svc, "warga-n22")) == 1
    await wait_for(lambda: _heard(svc, "pupr-n22", "tadi nelpon saya"))


# --- staff: words about the reporter or the work, never offered to the reporter ------------------------------------
async def test_staff_words_about_the_reporter_are_answered_not_offered_to_them(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-n23")
    number = await file_complaint(http, svc.url, "warga-n23")
    replies = await say(http, svc.url, "pupr-n23", f"nomor hp pelapor {number} berapa? mau saya telpon")
    assert "Nomor pelapor tidak kami tampilkan" in texts(replies), texts(replies)
    [payload] = payloads(replies)
    assert payload.startswith(f"/balas {number} Mohon izin, boleh kami menelepon")
    replies = await say(http, svc.url, "pupr-n23", "maaf tadi salah kirim balasan ke pelapor, bisa dihapus?")
    assert "tidak bisa ditarik" in texts(replies) and not any("salah kirim" in p for p in payloads(replies))
    said = texts(await say(http, svc.url, "pupr-n23", "saya cuti minggu depan, aduan saya siapa yang pegang?"))
    assert "satu-satunya petugas Dinas PUPR" in said, said
    await enrol(http, svc, "pupr-n23b")
    said = texts(await say(http, svc.url, "pupr-n23", "saya cuti minggu depan, aduan saya siapa yang pegang?"))
    assert "bisa dijawab semua petugasnya" in said and "saya ambil" in said, said
    assert await mailbox(svc.store, "webchat:warga-n23") == [], "nothing reached the reporter"


async def test_the_regent_asking_which_office_has_most_gets_the_figures(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-n24", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-n24")
    said = texts(await say(http, svc.url, "bupati-n24", "dinas mana yang paling banyak aduannya?"))
    assert "Per OPD" in said and "Dinas PUPR: 1" in said, said


async def test_the_same_place_as_before_takes_the_earlier_complaints_place(svc, http, clock):  # noqa: F811
    from datetime import timedelta

    first = await file_complaint(http, svc.url, "warga-n25")
    clock.now += timedelta(days=2)
    await say(http, svc.url, "warga-n25", "sampah menumpuk di pinggir jalan dan tidak diangkut")
    await say(http, svc.url, "warga-n25", "btn:yes")
    said = texts(await say(http, svc.url, "warga-n25", "lokasinya sama dengan aduan saya sebelumnya"))
    assert f"samakan dengan aduan *{first}*" in said and "balai desa" in said and "foto" in said, said
    await say(http, svc.url, "warga-n25", "lewati")
    await say(http, svc.url, "warga-n25", "publik")
    await say(http, svc.url, "warga-n25", "kirim")
    second = (await _tickets(svc, "warga-n25"))[0]
    assert second.number != first and "balai desa" in str(second.location)


async def test_the_regent_reminds_every_office_with_an_overdue_complaint_in_one_tap(svc, http, clock):  # noqa: F811
    from datetime import timedelta

    await enrol(http, svc, "bupati-n26", role="regent", opd=None)
    await enrol(http, svc, "pupr-n26")
    asked = "ingatkan semua dinas yang punya aduan lewat batas waktu"
    assert "tidak ada aduan yang lewat batas waktu" in texts(await say(http, svc.url, "bupati-n26", asked))
    await file_complaint(http, svc.url, "warga-n26")
    clock.now += timedelta(days=30)
    replies = await say(http, svc.url, "bupati-n26", asked)
    assert "Dinas PUPR: 1 aduan" in texts(replies), texts(replies)
    assert "/ingatkan semua" in payloads(replies)
    said = texts(await say(http, svc.url, "bupati-n26", "/ingatkan semua"))
    assert "Pengingat sudah dikirim" in said and "Dinas PUPR" in said, said
    await wait_for(lambda: _heard(svc, "pupr-n26", "lewat"))


async def test_a_message_to_the_regent_kept_from_the_office_goes_anonymous(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-n27", role="regent", opd=None)
    said = texts(await say(http, svc.url, "warga-n27",
                           "saya mau sampaikan ke bupati, tapi jangan sampai kepala dinasnya tahu nama saya"))
    assert "sebagai *Anonim*" in said and "tulis pesan" in said, said
    said = texts(await say(http, svc.url, "warga-n27", "Pak bupati, pelayanan di kantor dinas lambat dan kami "
                                                       "diminta uang pelicin untuk mengurus izin"))
    assert "uang pelicin" in said and "Kirim sekarang" in said, said
    await say(http, svc.url, "warga-n27", "kirim")
    [ticket] = await _tickets(svc, "warga-n27")
    assert (ticket.kind, ticket.privacy) == ("bupati", "anonim") and "tahu nama saya" not in ticket.text
    await wait_for(lambda: _heard(svc, "bupati-n27", "uang pelicin"))


async def test_questions_in_a_letter_request_are_answered_and_the_step_asked_again(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-n28", "minta surat keterangan tidak mampu")
    said = texts(await say(http, svc.url, "warga-n28", "berapa lama jadinya?"))
    assert "hari kerja setelah permohonan dikirim" in said and "desa/kelurahan mana" in said, said
    assert "belum melayani" not in said
    said = texts(await say(http, svc.url, "warga-n28", "bisa diwakilkan ambil suratnya?"))
    assert "tidak perlu diambil" in said and "desa/kelurahan mana" in said, said


async def test_a_report_made_at_lapor_itself_is_told_where_it_is_followed(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-n29", "pak saya sudah lapor lewat lapor.go.id tapi belum ada jawaban, "
                                                    "nomor laporannya 1234567")
    said = texts(replies)
    assert "ditindaklanjuti dan dijawab di sana" in said and "(1234567)" in said, said
    assert "/aduan" in payloads(replies)


async def test_reporting_for_someone_else_is_explained(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-n30", "apakah bisa lapor atas nama orang lain? ibu saya tidak bisa "
                                                       "pakai hp"))
    assert "untuk ibu saya" in said and "pendamping" in said and "publik (aduan" not in said, said


async def test_asking_to_close_ones_complaint_is_a_withdrawal_not_a_new_complaint(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-n31")
    replies = await say(http, svc.url, "warga-n31", "pak jalannya sudah diperbaiki warga sendiri, aduan saya tolong "
                                                    "ditutup saja")
    assert f"aduan *{number}*" in texts(replies) and "btn:withdraw_yes" in payloads(replies), texts(replies)
    assert len(await _tickets(svc, "warga-n31")) == 1


async def test_why_it_was_moved_is_its_status(svc, http):  # noqa: F811
    await enrol(http, svc, "dishub-n32", opd="dishub")
    number = await file_complaint(http, svc.url, "warga-n32", "lampu jalan di depan masjid desa Sooko mati semua")
    await say(http, svc.url, "dishub-n32", f"/alihkan {number} dinas-pupr lampu jalan kabupaten dipegang PUPR")
    said = texts(await say(http, svc.url, "warga-n32", "kenapa aduan saya dialihkan ke pupr?"))
    assert f"Status tiket *{number}*" in said and "Dinas PUPR" in said and "Tanyakan ke" not in said, said
