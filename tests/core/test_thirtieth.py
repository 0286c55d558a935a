"""The thirtieth trial: a NIK and a phone number typed with a problem, "sudah lapor berkali-kali" from a chat
that has filed nothing, "apakah laporan saya bisa dicabut?", a follow-up to an answer ("kalau anaknya sudah umur
5 tahun?"), the place corrected at the photo step ("eh tunggu, yang benar di pasar sooko"), "boleh minta nomor
wa petugasnya?", "kok tidak bisa dilihat?" after a refused status, "can I talk to the officer?", "ktp saya dari
kabupaten lain, bisa lapor?", a dog bite, a teacher hitting pupils and water in the house, "kirim" typed again
after sending, "apakah nama saya kelihatan sama petugas?", "bisa dicek lagi?" of a finished complaint, "kok lama
banget" right after the status, the purpose of a letter told at the village question, a village official's "ya"
to filing for a resident, "saya mau ubah isi laporan saya" after sending, "⭐⭐⭐⭐" to "Sudah beres?", "kenapa
belum ada yang balas?", "actually can you add that …?" after filing, another matter told while an officer waits,
a baby abandoned, "ini harusnya ke dinas perkim bukan pupr" after filing, a number to call back after filing, a
NIK given for a status, "kalau mau lapor jalan rusak gimana?", "nama saya budi", someone ill without health
cover, "kalau lewat telegram bisa?" after asking about SMS, "salah pilih, harusnya rahasia bukan publik" after
filing, "kok hari sabtu tidak ada yang balas?"; staff choosing English and giving commands in it; an officer
asking for a later deadline and for what is nearly due, and saying a complaint was reported before; the regent
asking how many complaints a village has and who heads an office; the operator routing "the latest" with nothing
in triage; a village head asking what waits and to approve "the one from Budi". Over real HTTP on a settable
clock.

Each was wrong before: "bansos saya tidak cair, nik saya 3507…, hp 0812…" was not understood; "jalan di desa
puri rusak sudah 3 tahun, sudah lapor berkali-kali tidak pernah diperbaiki" got "no complaint from this account"
and was lost; "apakah laporan saya bisa dicabut?" was offered to an office as a question; "kalau anaknya sudah
umur 5 tahun?" after the birth-certificate answer began a complaint (bansos first); "eh tunggu, yang benar di
pasar sooko" at the photo step got "send a photo", the place unchanged; "boleh minta nomor wa petugasnya?" and
"kok tidak bisa dilihat?" were offered to the officer as more words; "can I talk to the officer?" was offered to
an office as a question; "ktp saya dari kabupaten lain, bisa lapor?" got FAQs on privacy and ID cards; a dog
bite, a teacher hitting pupils and flood water in a house got the topic question and nothing else; "kirim" after
sending was not understood; "apakah nama saya kelihatan sama petugas?" got the general privacy FAQ, not the
resident's own choice; "pak bisa dicek lagi?" was offered to an office as a question; "kok lama banget, sudah
sebulan" got the same status again; "untuk berobat anak saya" at the village question set the letter aside for a
complaint; "ya" to "is this complaint for Pak Karto?" was not understood; "saya mau ubah isi laporan saya" began
a new complaint; "⭐⭐⭐⭐" was "emoji only", and "kenapa belum ada yang balas? sudah 2 jam" began a complaint;
"actually can you add that it smells really bad?" was offered to an office as a question; "oh iya pak satu lagi,
lampu jalan di desa puri juga mati" went to the roads officer as an answer; "ada orang buang bayi di sungai" got
topics about garbage; "pak ini harusnya ke dinas perkim bukan pupr" was not understood; "hubungi saya di 0812…
kalau ada kabar" after filing was offered to the officer as more words, "nik saya 3516…" got "no complaint from
this account" again, and "kalau mau lapor jalan rusak gimana?" got FAQs on ticket status; "nama saya budi" was
not understood and "saya warga desa sooko" began a complaint; "ibu saya sakit tidak punya bpjs, biaya rumah
sakit mahal" got unsure topics about the hospital and housing; "kalau lewat telegram bisa?" got FAQs to pick
from and "harusnya rahasia bukan publik" was not understood; "kok hari sabtu tidak ada yang balas?" got the
status without a word that the offices are closed; staff's "english please" got the help, their answers stayed
Indonesian, and "reply to WRG-…: …" was offered to the reporter word for word; "aduan ini sudah pernah
dilaporkan sebelumnya" got the help; the officer's "bisa minta perpanjangan batas waktu?" and "aduan yang hampir
lewat batas" were offered to a reporter as answers; the regent's "berapa aduan dari desa sooko?" got one
ticket's card and "siapa kepala dinas pupr?" the help; the operator's "yang terbaru arahkan ke dinas sosial" got
the help; the village head's "ada permohonan surat baru?" and "setujui yang dari budi" got "not passed to
anyone" and the help.
"""

from __future__ import annotations

from datetime import timedelta

from actions import complaint, letters, officer, question, resident, safety
from bot.letters_cli import issue_letter_code
from bot.logging_setup import without_personal
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for


# --- residents ------------------------------------------------------------------------------------------------
async def test_a_nik_and_a_phone_typed_with_the_problem(svc, http):  # noqa: F811
    typed = "bansos saya tidak cair, nik saya 3507123456780001, hp 081234567890"
    replies = await say(http, svc.url, "warga-z1", typed)
    assert "*Dinas Sosial*" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    assert without_personal(typed) == "bansos saya tidak cair"
    assert without_personal("no hp: 0812-3456-7890. jalan rusak") == "jalan rusak"
    assert without_personal("hp 081234567890 nik 3507123456780001 bansos") == "bansos"


async def test_reported_before_elsewhere_is_filed_now(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-z2", "jalan di desa puri rusak sudah 3 tahun, sudah lapor "
                                                      "berkali-kali tidak pernah diperbaiki"))
    assert "belum ditindaklanjuti" in said and "*Dinas PUPR*" in said, said
    said = texts(await say(http, svc.url, "warga-z3", "sudah lapor kok belum diperbaiki?"))  # no problem told
    assert "Kami belum menemukan aduan dari akun ini." in said, said


async def test_asking_whether_a_complaint_can_be_withdrawn(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-z4")
    replies = await say(http, svc.url, "warga-z4", "apakah laporan saya bisa dicabut?")
    said = texts(replies)
    assert said.startswith("Bisa.") and number in said and "btn:withdraw_yes" in payloads(replies), said
    said = texts(await say(http, svc.url, "warga-z4", "tidak jadi"))
    assert "tetap berjalan" in said, said
    assert resident.asks_how_to_withdraw("can I withdraw my complaint?")
    assert not resident.asks_how_to_withdraw("kenapa laporan saya dibatalkan?")


async def test_a_follow_up_to_an_answer_is_asked_of_the_office(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-z5", "syarat bikin akta kelahiran apa saja?")
    replies = await say(http, svc.url, "warga-z5", "kalau anaknya sudah umur 5 tahun?")
    assert "pertanyaan lanjutan" in texts(replies) and "/tanyakan dispendukcapil" in payloads(replies), texts(replies)
    state = await _state(svc, "warga-z5")
    assert state[question.DRAFT_KEY]["text"].startswith("Akta kelahiran: kalau anaknya"), state


async def test_the_place_corrected_at_the_photo_step(svc, http):  # noqa: F811
    for typed in ("sampah numpuk di pasar", "ya", "pasar desa puri"):
        await say(http, svc.url, "warga-z6", typed)
    said = texts(await say(http, svc.url, "warga-z6", "eh tunggu, yang benar di pasar sooko"))
    assert "pasar sooko" in said and "Ada foto" in said, said
    for typed in ("lewati", "publik"):
        said = texts(await say(http, svc.url, "warga-z6", typed))
    assert "Lokasi: pasar sooko" in said, said
    assert not complaint.fixes_place("maksudnya di sini gak ada foto")


async def test_an_officers_number_and_why_a_status_was_refused(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-z7")
    said = texts(await say(http, svc.url, "warga-z7", "boleh minta nomor wa petugasnya?"))
    assert "nomor pribadi petugas tidak kami berikan" in said and "btn:forward" not in said, said
    await say(http, svc.url, "warga-z7", "cek WRG-2026-00099")
    said = texts(await say(http, svc.url, "warga-z7", "kok tidak bisa dilihat?"))
    assert "tidak ada di layanan ini" in said, said
    other = await file_complaint(http, svc.url, "warga-z8")
    await say(http, svc.url, "warga-z7", f"cek {other}")
    said = texts(await say(http, svc.url, "warga-z7", "lho kenapa gak bisa?"))
    assert "hanya dapat dilihat dari akun yang melaporkannya" in said and "nomor baru" in said, said
    said = texts(await say(http, svc.url, "warga-z7", "can I talk to the officer?"))
    assert "virtual assistant" in said, said


async def test_someone_from_another_regency_may_report(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-z9", "ktp saya dari kabupaten lain, bisa lapor?"))
    assert said.startswith("Bisa.") and "KTP tidak diperlukan" in said, said


async def test_safety_first_for_a_bite_a_child_hurt_at_school_and_water_in_the_house(svc, http):  # noqa: F811
    for who, typed, words in (
            ("warga-z10", "anjing liar gigit anak saya tadi pagi di desa puri, harus kemana ya?", "vaksin anti rabies"),
            ("warga-z11", "guru di sd negeri 2 sooko sering memukul murid, anak saya jadi takut sekolah", "SAPA 129"),
            ("warga-z12", "banjir sudah masuk rumah setinggi lutut pak tolong", "matikan listrik")):
        replies = await say(http, svc.url, who, typed)
        said = texts(replies)
        assert words in said and ("btn:yes" in payloads(replies) or "topic:lainnya" in payloads(replies)), said
    assert safety.notes_for("tiap hujan banjir masuk rumah") == []  # the flood of every season: a complaint to plan
    assert safety.notes_for("a stray dog bit my son") == ["safety_bite"]
    assert safety.notes_for("siswa dipukul kakak kelasnya di sekolah") == ["safety_child_school"]
    assert safety.notes_for("air hujan masuk rumah karena atap bocor") == []  # a leaking roof, not a flood


async def test_send_typed_again_after_sending(svc, http):  # noqa: F811
    for typed in ("lampu jalan mati di desa puri", "ya", "desa puri", "lewati", "publik"):
        await say(http, svc.url, "warga-z13", typed)
    said = texts(await say(http, svc.url, "warga-z13", "kirim"))
    number = said.split("*")[1]
    said = texts(await say(http, svc.url, "warga-z13", "kirim"))
    assert "sudah terkirim" in said and number in said, said
    assert len(await svc.store.recent_tickets("webchat:warga-z13", 5)) == 1


async def test_who_sees_ones_own_complaint(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-z14")
    said = texts(await say(http, svc.url, "warga-z14", "apakah nama saya kelihatan sama petugas?"))
    assert number in said and "*Publik*" in said and "sembunyikan nama saya" in said, said
    said = texts(await say(http, svc.url, "warga-z15", "apakah nama saya kelihatan sama petugas?"))
    assert "Saat melapor Anda memilih" in said, said  # nothing filed: the privacy answer


async def test_check_again_reopens_a_finished_complaint(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-z16")
    number = await file_complaint(http, svc.url, "warga-z16")
    await say(http, svc.url, "petugas-z16", f"/selesai {number} sudah ditambal")
    clock.now += timedelta(days=3)
    said = texts(await say(http, svc.url, "warga-z16", "pak bisa dicek lagi?"))
    assert "buka kembali" in said and number in said, said
    assert await wait_for(lambda: _heard(svc, "petugas-z16", "pak bisa dicek lagi?"))


async def test_a_complaint_of_delay_right_after_the_status_is_passed_on(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-z17")
    number = await file_complaint(http, svc.url, "warga-z17")
    clock.now += timedelta(days=35)
    said = texts(await say(http, svc.url, "warga-z17", "gimana laporan saya yang dulu?"))
    assert "sudah lewat" in said, said
    said = texts(await say(http, svc.url, "warga-z17", "kok lama banget, sudah sebulan"))
    assert "Mohon maaf atas lamanya" in said and number in said and "Status tiket" not in said, said
    assert await wait_for(lambda: _heard(svc, "petugas-z17", "kok lama banget, sudah sebulan"))


async def test_a_letters_purpose_told_at_the_village_question(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-z18", "minta surat keterangan tidak mampu")
    replies = await say(http, svc.url, "warga-z18", "untuk berobat anak saya")
    assert "berobat anak saya" in texts(replies) and "desa:sooko" in payloads(replies), texts(replies)
    await say(http, svc.url, "warga-z18", "desa:sooko")
    state = await _state(svc, "warga-z18")
    assert state["l"]["fields"]["purpose"] == "berobat anak saya" and state.get("flow") == letters.FLOW, state


async def test_a_village_officials_yes_files_for_the_resident_with_the_matter(svc, http):  # noqa: F811
    await enrol(http, svc, "desa-z19", role="pendamping", opd=None)
    await say(http, svc.url, "desa-z19", "saya bantu lapor untuk pak karto, beliau tidak punya hp")
    await say(http, svc.url, "desa-z19", "rumah pak karto atapnya bocor parah kalau hujan")
    replies = await say(http, svc.url, "desa-z19", "ya")
    assert "/wakili_setuju" in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "desa-z19", "ya"))
    assert "Maaf, saya belum memahami" not in said and "ceritakan" not in said, said
    assert (await _state(svc, "desa-z19")).get("draft", {}).get("text", "").startswith("rumah pak karto atapnya")


async def test_changing_a_sent_complaints_words(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-z23")
    number = await file_complaint(http, svc.url, "warga-z23")
    said = texts(await say(http, svc.url, "warga-z23", "saya mau ubah isi laporan saya"))
    assert number in said and "tidak diubah" in said and "Silakan ceritakan masalah" not in said, said
    said = texts(await say(http, svc.url, "warga-z23", "lubangnya ada tiga, bukan satu"))
    assert number in said, said
    assert await wait_for(lambda: _heard(svc, "petugas-z23", "lubangnya ada tiga, bukan satu"))
    said = texts(await say(http, svc.url, "warga-z23", "is my report anonymous?"))
    assert number in said and "*Public*" in said, said


async def test_stars_alone_rate_a_finished_complaint(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-z25")
    number = await file_complaint(http, svc.url, "warga-z25")
    await say(http, svc.url, "petugas-z25", f"/selesai {number} sudah ditambal")
    said = texts(await say(http, svc.url, "warga-z25", "⭐⭐⭐⭐"))
    assert "4/5" in said and "emoji" not in said, said
    await say(http, svc.url, "warga-z25", "cepat dan ramah")
    ticket = await svc.store.get_ticket(number)
    assert ticket.rating == 4 and ticket.rating_comment == "cepat dan ramah", (ticket.rating, ticket.rating_comment)


async def test_no_reply_yet_gets_the_status(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-z26")
    replies = await say(http, svc.url, "warga-z26", "kenapa belum ada yang balas? sudah 2 jam")
    assert number in texts(replies) and not any(p.startswith("topic:") for p in payloads(replies)), texts(replies)


async def test_asked_to_add_in_english_after_filing(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-z27")
    number = await file_complaint(http, svc.url, "warga-z27")
    await say(http, svc.url, "warga-z27", "english please")
    said = texts(await say(http, svc.url, "warga-z27", "actually can you add that it smells really bad?"))
    assert number in said and "added" in said and "/tanyakan" not in said, said
    assert await wait_for(lambda: _heard(svc, "petugas-z27", "it smells really bad"))


async def test_another_matter_while_an_officer_waits_is_a_new_complaint(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-z28")
    number = await file_complaint(http, svc.url, "warga-z28")
    await say(http, svc.url, "petugas-z28", f"/balas {number} lubangnya sebesar apa pak?")
    await say(http, svc.url, "warga-z28", "kira2 1 meter pak")
    replies = await say(http, svc.url, "warga-z28", "oh iya pak satu lagi, lampu jalan di desa puri juga mati")
    said = texts(replies)
    assert "aduan baru" in said and "*Dishub*" in said and "btn:yes" in payloads(replies), said
    assert not await _heard(svc, "petugas-z28", "lampu jalan di desa puri")


async def test_a_baby_abandoned_is_an_emergency(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-z29", opd="dinas-sosial")
    said = texts(await say(http, svc.url, "warga-z29", "ada orang buang bayi di sungai desa puri"))
    assert "112" in said and "Dinas Sosial" in said and "Kami belum yakin" not in said, said
    assert await wait_for(lambda: _heard(svc, "petugas-z29", "buang bayi"))


async def test_the_office_a_resident_says_their_complaint_belongs_to(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-z31")
    number = await file_complaint(http, svc.url, "warga-z31")
    replies = await say(http, svc.url, "warga-z31", "pak ini harusnya ke dinas perkim bukan pupr")
    said = texts(replies)  # just filed: the resident may move it (the nineteenth trial's offer)
    assert "seharusnya ditangani Dinas Perumahan" in said and "btn:topic_fix" in payloads(replies), said
    number = await file_complaint(http, svc.url, "warga-z31b")
    clock.now += timedelta(days=3)  # days later: to its officers, who transfer it when it is so
    said = texts(await say(http, svc.url, "warga-z31b", "pak ini harusnya ke dinas perkim bukan pupr"))
    assert number in said and "dialihkan" in said and "belum memahami" not in said, said
    assert await wait_for(lambda: _heard(svc, "petugas-z31", "harusnya ke dinas perkim"))


async def test_a_number_to_call_back_after_filing_and_a_nik_for_a_status(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-z33")
    said = texts(await say(http, svc.url, "warga-z33", "hubungi saya di 081234567890 kalau ada kabar"))
    assert "nomor HP tidak perlu dikirim" in said and "tambahan untuk aduan" not in said, said
    said = texts(await say(http, svc.url, "warga-z34", "nik saya 3516011508900001"))
    assert "bukan dengan NIK" in said, said
    replies = await say(http, svc.url, "warga-z35", "kalau mau lapor jalan rusak gimana?")
    assert "*Dinas PUPR*" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)


async def test_a_resident_introduces_themself(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-z36", "nama saya budi"))
    assert "Salam kenal, Budi" in said and "belum memahami" not in said, said
    replies = await say(http, svc.url, "warga-z36", "saya warga desa sooko")
    said = texts(replies)
    assert "Salam kenal" in said and not any(p.startswith("topic:") for p in payloads(replies)), said
    assert resident.introduction("saya warga desa sooko, jalan rusak parah") is None  # a complaint follows: filed


async def test_someone_ill_without_health_cover(svc, http):  # noqa: F811
    typed = "minta tolong pak, ibu saya sakit tidak punya bpjs, biaya rumah sakit mahal"
    replies = await say(http, svc.url, "warga-z37", typed)
    said = texts(replies)
    assert "iurannya dibayar pemerintah" in said and "/aduan" in payloads(replies), said
    assert "Kami belum yakin" not in said, said
    assert not complaint.uninsured_sick("puskesmas menolak pasien karena tidak punya bpjs")  # a complaint: filed


async def test_another_channel_asked_after_one_and_a_privacy_chosen_wrongly(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-z38", "apakah aduan bisa lewat sms?")
    said = texts(await say(http, svc.url, "warga-z38", "kalau lewat telegram bisa?"))
    assert "Telegram" in said and "Apakah maksud Anda" not in said, said
    number = await file_complaint(http, svc.url, "warga-z39")
    said = texts(await say(http, svc.url, "warga-z39", "maaf pak saya salah pilih, harusnya rahasia bukan publik"))
    assert number in said and "belum memahami" not in said, said
    assert (await svc.store.get_ticket(number)).privacy != "publik"


async def test_no_reply_on_a_day_off_is_told_the_offices_are_closed(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-z40")
    clock.now += timedelta(days=5)  # Saturday
    said = texts(await say(http, svc.url, "warga-z40", "kok hari sabtu tidak ada yang balas?"))
    assert number in said and "kantor pemerintah libur" in said, said
    clock.now += timedelta(days=2)  # Monday
    said = texts(await say(http, svc.url, "warga-z41", "halo"))
    await file_complaint(http, svc.url, "warga-z41")
    said = texts(await say(http, svc.url, "warga-z41", "kok belum ada yang balas?"))
    assert "libur" not in said, said


# --- staff ----------------------------------------------------------------------------------------------------
async def test_staff_choose_english_and_give_commands_in_it(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-z30")
    number = await file_complaint(http, svc.url, "warga-z30")
    said = texts(await say(http, svc.url, "petugas-z30", "english please"))
    assert "English" in said and "Officer commands" not in said, said
    said = texts(await say(http, svc.url, "petugas-z30", "what's in my queue?"))
    assert "queue" in said and number in said and "not been sent" not in said, said
    said = texts(await say(http, svc.url, "petugas-z30", f"reply to {number}: we will check tomorrow"))
    assert "sent to the reporter" in said, said
    assert await wait_for(lambda: _heard(svc, "warga-z30", "we will check tomorrow"))
    assert not await _heard(svc, "warga-z30", "reply to")
    said = texts(await say(http, svc.url, "petugas-z30", f"mark {number} as done: patched this morning"))
    assert number in said and (await svc.store.get_ticket(number)).status == "selesai", said
    await enrol(http, svc, "bupati-z30", role="regent", opd=None)
    await say(http, svc.url, "bupati-z30", "english please")
    said = texts(await say(http, svc.url, "bupati-z30", "show overdue complaints"))
    assert "past its deadline" in said, said



async def test_an_officer_says_a_complaint_was_reported_before(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-z24")
    await file_complaint(http, svc.url, "warga-z24")
    said = texts(await say(http, svc.url, "petugas-z24", "aduan ini sudah pernah dilaporkan sebelumnya"))
    assert "/gabung TIKET TIKET-UTAMA" in said and "Perintah petugas" not in said, said



async def test_an_officer_asks_for_a_later_deadline_and_what_is_nearly_due(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-z20")
    number = await file_complaint(http, svc.url, "warga-z20")
    for typed in ("bisa minta perpanjangan batas waktu?", f"minta perpanjangan waktu 3 hari untuk {number}"):
        replies = await say(http, svc.url, "petugas-z20", typed)
        assert "tidak diubah dari chat" in texts(replies) and not any(p.startswith("/balas") for p in payloads(
            replies)), texts(replies)
    said = texts(await say(http, svc.url, "petugas-z20", "aduan yang hampir lewat batas"))
    assert "urut batas waktu" in said and number in said and "belum terkirim" not in said, said
    assert officer.asks_due_soon("what is due soon?")


async def test_the_regent_asks_a_villages_count_and_who_heads_an_office(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-z21", role="regent", opd=None)
    await enrol(http, svc, "petugas-z21")
    await file_complaint(http, svc.url, "warga-z21")
    said = texts(await say(http, svc.url, "bupati-z21", "berapa aduan dari desa sooko?"))
    assert said.startswith("1 aduan terbuka") and "Riwayat" not in said, said
    said = texts(await say(http, svc.url, "bupati-z21", "siapa kepala dinas pupr?"))
    assert "Nama kepala dinas tidak dicatat" in said and "Dinas PUPR" in said and "Perintah pimpinan" not in said, said


async def test_the_operator_routes_the_latest_with_nothing_in_triage(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-z22", role="operator", opd=None)
    said = texts(await say(http, svc.url, "operator-z22", "yang terbaru arahkan ke dinas sosial"))
    assert "Tidak ada aduan yang menunggu triase" in said and "Perintah operator" not in said, said


async def test_a_village_head_asks_what_waits_and_to_approve_by_name(svc, http):  # noqa: F811
    code = await issue_letter_code(svc.settings, "village_head", "sooko")
    await say(http, svc.url, "kades-z32", f"/daftar {code}")
    for typed in ("ada permohonan surat baru?", "berapa surat yang belum saya tanda tangani?"):
        said = texts(await say(http, svc.url, "kades-z32", typed))
        assert "Tidak ada permohonan surat yang menunggu" in said and "belum diteruskan" not in said, said
    said = texts(await say(http, svc.url, "kades-z32", "setujui yang dari budi"))
    assert "per permohonan" in said and "belum diteruskan" not in said, said


# --- helpers --------------------------------------------------------------------------------------------------
async def _state(service, who: str) -> dict:
    conversation = await service.store.get_conversation(f"webchat:{who}")
    return conversation.state if conversation is not None else {}


async def _heard(service, who: str, words: str) -> bool:
    return any(words in item["text"] for item in await mailbox(service.store, f"webchat:{who}"))
