"""The twenty-sixth trial: a topic corrected at the summary, a rating said in words, the regent asking how one office
performs, what is urgent and who its officers are, a resident asking whether their data is safe, "satu lagi" in the
middle of a complaint, withdrawing every complaint at once, a lower-case "jalan raya" as the place, an English answer
to an officer. Over real HTTP on a settable clock.

Each was wrong before: "eh bukan lampu pak, maksud saya jalannya yang rusak" at the summary got "Silakan pilih salah
satu tombol", and "kirim" then sent a road complaint to Dishub as a street light; "bagus sekali" to the rating was not
understood; the regent's "bagaimana kinerja dinas pupr?" got "Tidak ada aduan terbuka yang cocok", and "ada yang
mendesak?" and "siapa petugas pupr?" the staff help; "data saya aman gak?" began a complaint; "eh iya pak satu lagi,
sampah di pasar …" at the photo step asked "continue, or a new complaint?", and "lewati" then was no answer; "saya mau
membatalkan aduan saya" began a new complaint; "ada orang gila ngamuk di pasar bawa golok" was an ordinary complaint
to Dinas Sosial; "👍" to "pass this to the officer?" dropped the answer.
"""

from __future__ import annotations

from actions import complaint, resident
from actions.officer import asks_urgent
from actions.staff_admin import asks_who_staff

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for


async def _to_summary(http, svc, who: str, text: str) -> str:  # noqa: F811
    await say(http, svc.url, who, text)
    for answer in ("ya", "ya", "lewati"):
        await say(http, svc.url, who, answer)
    return texts(await say(http, svc.url, who, "publik"))


# --- the draft ------------------------------------------------------------------------------------------------
async def test_a_topic_corrected_in_words_at_the_summary_changes_it(svc, http):  # noqa: F811
    said = await _to_summary(http, svc, "warga-z1", "lampu jalan mati di depan SD desa sukamaju")
    assert "Kirim aduan ini?" in said and "Dishub" in said, said
    said = texts(await say(http, svc.url, "warga-z1", "eh bukan lampu pak, maksud saya jalannya yang rusak"))
    assert "*Jalan rusak*" in said and "Dinas PUPR" in said and "Kirim aduan ini?" in said, said
    assert "Silakan pilih salah satu tombol" not in said, said
    said = texts(await say(http, svc.url, "warga-z1", "kirim"))
    assert "Dinas Pekerjaan Umum" in said, said
    ticket = (await svc.store.recent_tickets("webchat:warga-z1", 1))[0]
    assert ticket.opd_id == "dinas-pupr" and ticket.topic == "aduan_jalan_rusak", ticket
    assert ticket.location and "sukamaju" in str(ticket.location), ticket.location  # the place stays


async def test_one_more_matter_mid_draft_is_kept_for_after_sending(svc, http):  # noqa: F811
    for answer in ("jalan berlubang besar di depan SD desa sukamaju", "ya", "ya"):
        await say(http, svc.url, "warga-z2", answer)
    said = texts(await say(http, svc.url, "warga-z2",
                           "eh iya pak satu lagi, sampah di pasar sukamaju numpuk gak diangkut"))
    assert "kami catat" in said and "*Sampah*" in said and "Ada foto pendukung?" in said, said
    assert "Lanjutkan aduan tadi" not in said, said
    said = texts(await say(http, svc.url, "warga-z2", "lewati"))
    assert "identitas" in said.lower(), said  # the photo step's answer, as before the other matter
    await say(http, svc.url, "warga-z2", "publik")
    said = texts(await say(http, svc.url, "warga-z2", "kirim"))
    assert "WRG-" in said and '"sampah di pasar sukamaju numpuk gak diangkut"' in said, said
    said = texts(await say(http, svc.url, "warga-z2", "ya"))
    assert "*Sampah*" in said and "DLH" in said and "Apakah sudah benar?" in said, said
    # "oh iya satu lagi, lubangnya dalam" is more of the same complaint, not another
    for answer in ("jalan berlubang besar di depan SD desa sukamaju", "ya", "ya"):
        await say(http, svc.url, "warga-z3", answer)
    said = texts(await say(http, svc.url, "warga-z3", "oh iya satu lagi, lubang jalannya dalam sekali"))
    assert "kami catat: setelah aduan ini terkirim" not in said, said


async def test_lower_case_jalan_raya_is_a_place_and_words_for_later_steps_wait(svc, http):  # noqa: F811
    assert complaint.place_in_text("jalan raya sooko km 3") == "jalan raya sooko"
    assert complaint.place_in_text("jalan raya rusak parah") is None
    assert complaint.place_in_text("jalan raya depan pasar berlubang") is None
    assert complaint.place_in_text("saya mau lapor korupsi dana desa, tapi jangan sampai pak kades tahu") is None
    assert complaint.place_in_text("Rt 03, Desa, Girimulya kec Pacet") is not None  # a name after the comma stays
    await say(http, svc.url, "warga-z4", "lampu jalan mati")
    said = texts(await say(http, svc.url, "warga-z4", "jalan raya sooko km 3"))
    assert "Lokasinya kami catat: jalan raya sooko km 3" in said, said
    said = texts(await say(http, svc.url, "warga-z4", "nanti fotonya nyusul"))
    assert "fotonya boleh menyusul" in said and "uraian" not in said, said
    said = texts(await say(http, svc.url, "warga-z4", "di depan rumah saya"))
    assert "desa/dusun" in said and "Apakah sudah benar?" in said and "Pilihan sekarang" not in said, said
    said = texts(await say(http, svc.url, "warga-z4", "ya"))
    assert "Fotonya bisa Anda kirim kapan saja" in said and "identitas" in said.lower(), said  # no photo step
    said = texts(await say(http, svc.url, "warga-z4", "publik"))
    assert "jalan raya sooko km 3" in said and "nanti fotonya nyusul" not in said, said


# --- ratings --------------------------------------------------------------------------------------------------
async def test_a_rating_said_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z5")
    number = await file_complaint(http, svc.url, "warga-z5")
    await say(http, svc.url, "pupr-z5", f"/selesai {number} sudah ditambal")
    said = texts(await say(http, svc.url, "warga-z5", "terimakasih banyak pak, jalannya sudah diperbaiki 👍"))
    assert "penilaian" in said, said
    said = texts(await say(http, svc.url, "warga-z5", "bagus sekali"))
    assert "(5/5)" in said, said
    assert (await svc.store.get_ticket(number)).rating == 5
    assert resident.rating_in("lumayan lah") == (3, "")
    assert resident.rating_in("kurang memuaskan") == (2, "")
    assert resident.rating_in("sangat buruk") == (1, "")
    assert resident.rating_in("mantap pak") == (5, "")
    assert resident.rating_in("baik") is None  # as often "alright"
    assert resident.rating_in("bagus tapi lama") is None


# --- the regent and officers ------------------------------------------------------------------------------------
async def test_the_regent_asks_after_one_office_what_is_urgent_and_who_its_officers_are(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-z6", "regent", None)
    await enrol(http, svc, "pupr-z6a")
    await say(http, svc.url, "pupr-z6a", "/nama Agus Salim")
    await enrol(http, svc, "pupr-z6b")
    await enrol(http, svc, "dishub-z6", "officer", "dishub")
    number = await file_complaint(http, svc.url, "warga-z6")
    await say(http, svc.url, "warga-z6b", "ada kebakaran rumah di desa puri, apinya besar")
    await say(http, svc.url, "pupr-z6a", f"/balas {number} besok kami cek")
    said = texts(await say(http, svc.url, "bupati-z6", "bagaimana kinerja dinas pupr?"))
    assert "Kinerja Dinas PUPR" in said and "Peringkat 1 dari" in said and "1 masuk" in said, said
    said = texts(await say(http, svc.url, "bupati-z6", "kinerja dishub gimana?"))
    assert "Dishub belum menerima aduan" in said, said
    replies = await say(http, svc.url, "bupati-z6", "ada yang mendesak?")
    said = texts(replies)
    assert "darurat dan mendesak" in said and "Damkar" in said and number not in said, said
    said = texts(await say(http, svc.url, "bupati-z6", "siapa petugas pupr?"))
    assert "2 orang" in said and "Agus Salim" in said and "kode" not in said, said
    said = texts(await say(http, svc.url, "bupati-z6", "siapa saja petugasnya?"))
    assert "Sebut dinasnya" in said, said
    said = texts(await say(http, svc.url, "dishub-z6", "siapa saja petugas di dinas saya?"))
    assert "Petugas Dishub" in said and "1 orang" in said and "Agus" not in said, said
    said = texts(await say(http, svc.url, "dishub-z6", "siapa petugas pupr?"))
    assert "OPD Anda sendiri" in said and "Petugas Dishub" in said and "Agus" not in said, said
    said = texts(await say(http, svc.url, "pupr-z6b", "ada aduan darurat?"))
    assert "Tidak ada aduan darurat atau mendesak" in said and "Dinas PUPR" in said, said  # their own office's
    assert asks_urgent("anything urgent?") and not asks_urgent("jalan rusak parah, mohon segera, darurat sekali")
    assert asks_who_staff("who are the officers of DLH?") and not asks_who_staff("siapa yang menangani aduan saya?")


# --- residents' questions ---------------------------------------------------------------------------------------
async def test_questions_about_data_reporting_for_another_and_status_are_answered(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-z7", "data saya aman gak?"))
    assert "NIK dan nomor HP tidak pernah dipublikasikan" in said and "dinas mana" not in said, said
    said = texts(await say(http, svc.url, "warga-z8", "bisa lapor atas nama orang lain? ibu saya tidak punya hp"))
    assert said.startswith("Bisa.") and "pendamping" in said, said
    said = texts(await say(http, svc.url, "warga-z9", "how do i check my complaint status?"))
    assert "We have not found a complaint" in said and "/tanyakan" not in str(said), said
    number = await file_complaint(http, svc.url, "warga-z9")
    said = texts(await say(http, svc.url, "warga-z9", "how do i check my complaint status?"))
    assert number in said and "Deadline" in said, said
    assert resident.asks_who_sees("is my data safe?")
    assert not resident.asks_who_sees("data bansos saya tidak aman")


async def test_the_other_of_two_complaints_after_a_status_and_when_the_officer_comes(svc, http):  # noqa: F811
    road = await file_complaint(http, svc.url, "warga-z10")
    light = await file_complaint(http, svc.url, "warga-z10", "lampu jalan mati di depan SD desa sukamaju")
    said = texts(await say(http, svc.url, "warga-z10", "aduan saya yang soal lampu sudah sampai mana?"))
    assert light in said, said
    said = texts(await say(http, svc.url, "warga-z10", "kalau yang jalan?"))
    assert road in said and "Status tiket" in said and "tambahan" not in said, said
    said = texts(await say(http, svc.url, "warga-z10", "oh ya makasih, terus kapan petugas datang?"))
    assert "Aduan Anda yang terakhir" in said and "dinas mana" not in said, said  # two open: which one
    said = texts(await say(http, svc.url, "warga-z10", "lampunya masih mati pak"))
    assert "Status tiket" not in said, said  # no lead word: not a question about the other complaint
    said = texts(await say(http, svc.url, "warga-z11", "aduan saya sudah lama tidak ada kabar, mau lapor ombudsman"))
    assert "belum menemukan" in said and "Ombudsman RI" in said and "dinas mana" not in said, said  # none filed
    number = await file_complaint(http, svc.url, "warga-z11")
    said = texts(await say(http, svc.url, "warga-z11", "aduan saya sudah lama tidak ada kabar, saya mau lapor ke "
                                                       "ombudsman saja"))
    assert "Status tiket" in said and "Ombudsman RI" in said and "137" in said and number in said, said


async def test_withdrawing_with_membatalkan_and_every_complaint_at_once(svc, http, clock):  # noqa: F811
    first = await file_complaint(http, svc.url, "warga-z12")
    second = await file_complaint(http, svc.url, "warga-z12", "lampu jalan mati di depan SD desa sukamaju")
    said = texts(await say(http, svc.url, "warga-z12", "saya mau membatalkan aduan saya"))
    assert "Aduan mana yang ingin ditutup?" in said, said
    said = texts(await say(http, svc.url, "warga-z12", "dua duanya"))
    assert "semua aduan ini ditutup?" in said and first in said and second in said, said
    said = texts(await say(http, svc.url, "warga-z12", "ya"))
    assert said.count("sudah kami teruskan") == 2, said
    for number in (first, second):
        assert (await svc.store.get_ticket(number)).extra.get("withdraw_requested"), number
    await file_complaint(http, svc.url, "warga-z13")
    await file_complaint(http, svc.url, "warga-z13", "lampu jalan mati di depan SD desa sukamaju")
    replies = await say(http, svc.url, "warga-z13", "saya mau membatalkan semua aduan saya, sudah diperbaiki swadaya")
    assert "semua aduan ini ditutup?" in texts(replies) and "btn:withdraw_yes" in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-z13", "tidak"))
    assert said.count("tetap berjalan") == 2, said
    said = texts(await say(http, svc.url, "warga-z14", "saya mau membatalkan aduan saya"))
    assert "tidak ada yang perlu dibatalkan" in said, said  # (it began a new complaint)


# --- danger and fear ---------------------------------------------------------------------------------------------
async def test_an_armed_person_is_an_emergency_a_disturbed_one_a_complaint(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-z15", "lapor pak, ada orang gila ngamuk di pasar bawa golok"))
    assert "Keadaan darurat" in said and "112" in said and "Satpol PP dan Bupati" in said, said
    said = texts(await say(http, svc.url, "warga-z16", "ada odgj ngamuk di pasar, warga resah"))
    assert "Keadaan darurat" not in said and "Dinas Sosial" in said, said


async def test_a_wish_that_the_village_head_not_know_is_heard(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-z17",
                           "saya mau lapor korupsi dana desa, tapi jangan sampai pak kades tahu ya"))
    assert "Identitas Anda bisa dilindungi" in said and "*Dana desa*" in said, said
    said = texts(await say(http, svc.url, "warga-z17", "ya"))
    assert "desa, tapi" not in said and "Di mana lokasinya?" in said, said


# --- answering an officer -------------------------------------------------------------------------------------------
async def test_an_english_answer_and_a_thumbs_up_reach_the_officer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z18")
    number = await file_complaint(http, svc.url, "warga-z18")
    await say(http, svc.url, "pupr-z18", f"/balas {number} Could you send the exact location please?")
    said = texts(await say(http, svc.url, "warga-z18",
                           "it's right in front of the elementary school, next to the mosque"))
    assert "passed to the officer" in said and "Pass this message" not in said, said
    # another office's matter as the answer is still asked about; "👍" to that question passes it on
    await say(http, svc.url, "pupr-z18", f"/balas {number} apakah ada hal lain?")
    replies = await say(http, svc.url, "warga-z18", "sampah di pasar sooko menumpuk belum diangkut seminggu")
    assert "btn:forward" in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-z18", "👍"))
    assert "sudah kami teruskan" in said and "tidak kami teruskan" not in said, said
    messages = [e.text or "" for e in await svc.store.ticket_events(number, "message_in")]
    assert any("next to the mosque" in m for m in messages) and any("pasar sooko" in m for m in messages), messages


async def test_the_regent_asks_for_common_complaints_response_times_and_answers_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-z19", "regent", None)
    await enrol(http, svc, "pupr-z19")
    road = await file_complaint(http, svc.url, "warga-z19")
    await file_complaint(http, svc.url, "warga-z19b", "lampu jalan mati di depan SD desa sukamaju")
    await file_complaint(http, svc.url, "warga-z19c", "jalan di desa puri berlubang besar, bahaya")
    await say(http, svc.url, "pupr-z19", f"/balas {road} besok kami cek")
    said = texts(await say(http, svc.url, "bupati-z19", "aduan terbanyak tentang apa?"))
    assert "Aduan terbanyak" in said and "1. Jalan rusak: 2" in said and "2. Lampu" in said, said
    said = texts(await say(http, svc.url, "bupati-z19", "berapa rata-rata waktu tanggapan bulan ini?"))
    assert "Kecepatan penanganan, bulan ini" in said and "Peringkat OPD" in said, said
    assert "Tanggapan pertama (median) se-kabupaten: 0 jam" in said, said  # answered within the hour (the clock)
    replies = await say(http, svc.url, "bupati-z19", "tolong balas warga yang lapor lampu jalan mati, bilang besok "
                                                     "petugas dishub datang")
    said = texts(replies)
    assert "Kirim sebagai balasan kepada pelapor" in said and "Besok petugas dishub datang" in said, said
    button = next(p for p in payloads(replies) if p.startswith("/balas "))
    light = (await svc.store.recent_tickets("webchat:warga-z19b", 1))[0].number
    assert button == f"/balas {light} Besok petugas dishub datang", button
    said = texts(await say(http, svc.url, "bupati-z19", button))
    assert light in said, said
    outs = [e.text for e in await svc.store.ticket_events(light, "message_out")]
    assert "Besok petugas dishub datang" in outs, outs
    # a matter that names no complaint is not guessed at; one that names a few alike asks which
    said = texts(await say(http, svc.url, "bupati-z19", "tolong balas warga yang lapor banjir, bilang sabar"))
    assert "Kirim sebagai balasan" not in said and "yang mana?" not in said, said
    other = await file_complaint(http, svc.url, "warga-z19d", "lampu jalan mati di depan pasar desa puri")
    replies = await say(http, svc.url, "bupati-z19", "tolong balas warga yang lapor lampu jalan mati, bilang sabar ya")
    assert "kepada pelapor aduan yang mana?" in texts(replies), texts(replies)
    assert {f"/balas {light} Sabar ya", f"/balas {other} Sabar ya"} <= set(payloads(replies)), payloads(replies)


async def test_words_at_the_identity_question(svc, http):  # noqa: F811
    for answer in ("jalan berlubang besar di depan SD desa sukamaju", "ya", "ya", "lewati"):
        await say(http, svc.url, "warga-z20", answer)
    said = texts(await say(http, svc.url, "warga-z20", "nama saya budi santoso"))
    assert "Terima kasih, Budi Santoso" in said and "Bagaimana identitas Anda ditangani?" in said, said
    said = texts(await say(http, svc.url, "warga-z20", "bedanya apa?"))
    assert "*Anonim*: petugas tidak tahu siapa pelapornya" in said and "belum bisa saya jawab" not in said, said
    said = texts(await say(http, svc.url, "warga-z20", "NIK saya 3201123456780001"))
    assert "tidak perlu dikirim" in said and "Silakan pilih salah satu tombol" not in said, said
    await say(http, svc.url, "warga-z20", "publik")
    number = texts(await say(http, svc.url, "warga-z20", "kirim")).split("*")[1]
    ticket = await svc.store.get_ticket(number)
    assert "3201123456780001" not in ticket.text, ticket.text
    assert (await svc.store.get_identity("webchat:warga-z20")).name == "Budi Santoso"


async def test_broken_again_weeks_later_is_about_the_open_complaint(svc, http, clock):  # noqa: F811
    from datetime import timedelta

    number = await file_complaint(http, svc.url, "warga-z21")
    clock.now += timedelta(days=21)
    replies = await say(http, svc.url, "warga-z21", "jalannya rusak lagi pak")
    said = texts(replies)
    assert f"*{number}*" in said and "btn:forward" in payloads(replies) and "Apakah sudah benar?" not in said, said
    assert resident.says_still("lampunya mati lagi") and not resident.says_still("saya mau lapor lagi")


async def test_a_house_brought_down_by_wind_is_an_emergency_with_its_place(svc, http):  # noqa: F811
    await enrol(http, svc, "desa-z22", "pendamping", None)
    replies = await say(http, svc.url, "desa-z22", "mau lapor untuk warga saya pak tarno, rumahnya roboh kena angin "
                                                   "semalam di dusun krajan desa sooko")
    said = texts(replies)
    assert "Keadaan darurat" in said and "BPBD dan Bupati" in said, said
    assert "Lokasi dari pesan Anda sudah kami teruskan: *dusun krajan desa sooko*" in said, said
    assert "kirim foto kejadian" in said and "kirim lokasi kejadian" not in said, said
    ticket = (await svc.store.recent_tickets("webchat:desa-z22", 1))[0]
    assert ticket.opd_id == "bpbd" and ticket.location and ticket.location.get("address") == "dusun krajan desa sooko"
    said = texts(await say(http, svc.url, "warga-z22",
                           "apa harus ada rumah warga roboh dulu baru jalannya diperbaiki?"))
    assert "Keadaan darurat" not in said, said  # what a report fears is no emergency


async def test_javanese_one_more_and_withdrawal(svc, http):  # noqa: F811
    for answer in ("dalan ing desa sooko rusak parah, akeh bolongan", "nggih", "nggih"):
        await say(http, svc.url, "warga-z23", answer)
    said = texts(await say(http, svc.url, "warga-z23",
                           "oh nggih setunggal malih, sampah ing pasar sooko numpuk mboten diangkut"))
    assert "kami catat" in said and "Lanjutkan aduan tadi" not in said, said
    said = texts(await say(http, svc.url, "warga-z24", "kula badhe mbatalaken aduan kula"))
    assert "tidak ada yang perlu dibatalkan" in said, said


async def test_a_request_for_proof_of_the_work_reaches_the_officers(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-z25")
    number = await file_complaint(http, svc.url, "warga-z25")
    await say(http, svc.url, "pupr-z25", f"/selesai {number} sudah kami tambal")
    said = texts(await say(http, svc.url, "warga-z25", "boleh minta foto bukti perbaikannya pak?"))
    assert "sudah kami teruskan kepada petugas Dinas PUPR" in said and "penilaian" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.rating is None, ticket.rating  # (its "boleh" was taken for "fixed", and the rating asked)
    events = [e.text for e in await svc.store.ticket_events(number, "message_in")]
    assert "boleh minta foto bukti perbaikannya pak?" in events, events

    async def request_card() -> bool:
        return any("meminta" in m.get("text", "") and "foto bukti" in m.get("text", "")
                   for m in await mailbox(svc.store, "webchat:pupr-z25"))

    await wait_for(request_card)
    said = texts(await say(http, svc.url, "pupr-z25", f"/balas {number} Ini fotonya pak, sudah rata"))
    assert "dikirim" in said, said
    said = texts(await say(http, svc.url, "warga-z26", "siapa kepala dinas PUPR sekarang?"))
    assert "tidak kami catat" in said and "dinas mana" not in said, said
