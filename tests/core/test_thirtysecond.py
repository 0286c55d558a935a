"""The thirty-second trial: a market complaint with "lalat dimana2"; `/selesai` with two tickets; "boleh saya kirim
lokasi nanti saja? sekarang lagi di jalan"; "udah itu aja" at the photo question; "aduh saya lupa, tadi harusnya lampu
jalan bukan jalan rusak" after the place; "NIK saya 3516…" at the topic question; "percuma lapor di sini"; "I
reported a pothole last week, any update?"; "is this answered by a human?" and "when will it be fixed?" while a
complaint is written; an officer's "pelapor tidak bisa dihubungi, tutup saja" and "ok" to the bot; "nomor hp pak
bupati berapa?" while writing to the regent; "kok berhenti?" after "stop"; "tunggu, saya tambah keterangan dulu: …" at
the summary; an SP4N-LAPOR! number told after filing; "nanti kabarnya lewat saya saja ya?"; "saya mau ganti foto, yang
tadi salah"; the regent's recap asked by e-mail; a fallen tree across a road; an officer's "ringkasan minggu ini";
"aduan paling banyak tentang apa?"; "warga saya mau lapor tapi tidak punya hp, bisa lewat saya?"; a rating's comment
that the workers asked for money; "saya tidak mau nama saya muncul tapi petugas boleh hubungi saya" at the privacy
question; "kalau lapor disini nanti ditindaklanjuti berapa lama?"; "bisa minta tolong bapak datang ke rumah saya?";
"ini laporan ke-3 saya …, kok gak ada tindakan"; "minggu lalu saya lapor via telepon …, sudah dicatat belum?";
"ternyata saya mau anonim saja" after sending; a question behind "permisi, saya mau tanya" or "nyuwun sewu, kula
badhe nyuwun pirsa"; "bisa minta nomor tiket lagi? lupa". Over real HTTP on a settable clock.

Each was wrong before: the market got the FAQ on motor-vehicle tax; the second ticket stayed open and its number
went to the first one's reporter inside the note; "lokasi nanti" was kept as the place; "udah itu aja" was asked for
a photo again; the topic fix was offered as another complaint; the NIK was added to the complaint's words; "percuma"
was not understood and "kenapa lapor ke sini …" got unsure topics; the English status ask got unsure topics; "is this
answered by a human?" got "I cannot answer that here yet", and "when will it be fixed?" was told the complaint was
never sent and asked to go on; "tutup saja" was offered only as words to the reporter, and "ok" too; the regent's
number question was taken for the message; "kok berhenti?" got "nothing is under way"; the lead went into the
complaint; the LAPOR! number got the status only; "kabarnya lewat saya" got "cannot answer that here yet"; "ganti
foto" was not understood; the e-mail went unanswered; the tree got only the topic question; the officer got the
help; the figures question was offered to the offices; helping a neighbour without a phone got unsure topics; the
money asked for began a complaint with unsure topics; the name wish was "choose a button"; the question on how long
was offered to the offices; the visit got unsure topics; the third report began a complaint on unsure topics; the
phone report was told reporting by phone is possible; "anonim saja" was not understood; the question behind the lead
was offered to an office or routed as a complaint; the ticket number was answered by the general FAQ.
"""

from __future__ import annotations

from datetime import timedelta

from actions import complaint, officer, public_info, resident, safety
from nlu.normalise import normalise
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, photo_jpeg, say, texts, upload, wait_for


async def _to_photo_step(http, svc, who: str) -> None:  # noqa: F811
    for line in ("jalan rusak", "ya", "desa sooko"):
        await say(http, svc.url, who, line)


async def _to_summary(http, svc, who: str) -> None:  # noqa: F811
    await _to_photo_step(http, svc, who)
    await say(http, svc.url, who, "lewati")
    await say(http, svc.url, who, "publik")


# --- the words of a complaint --------------------------------------------------------------------------------------
async def test_flies_everywhere_is_no_question(svc, http):  # noqa: F811
    assert "banyak" in normalise("lalat dimana2") and "dimana" not in normalise("lalat dimana2")
    assert normalise("dimana kantor samsat") == "dimana kantor samsat"
    said = texts(await say(http, svc.url, "warga-a1", "pak pasar sooko kotor bgt, bau, lalat dimana2"))
    assert "Samsat" not in said and "pajak" not in said.lower(), said


async def test_a_place_to_come_later(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-a2", "jalan rusak")
    await say(http, svc.url, "warga-a2", "ya")
    said = texts(await say(http, svc.url, "warga-a2", "boleh saya kirim lokasi nanti saja? sekarang lagi di jalan"))
    assert "belum Anda ketahui" in said and "foto" not in said.lower(), said
    assert complaint.place_later("lokasinya nyusul ya")
    assert not complaint.place_later("di jalan raya sooko")


async def test_thats_all_at_the_photo_question(svc, http):  # noqa: F811
    await _to_photo_step(http, svc, "warga-a3")
    replies = await say(http, svc.url, "warga-a3", "udah itu aja")
    assert "privacy:anonim" in payloads(replies), texts(replies)


async def test_a_topic_fixed_after_the_place(svc, http):  # noqa: F811
    await _to_photo_step(http, svc, "warga-a4")
    replies = await say(http, svc.url, "warga-a4", "aduh saya lupa, tadi harusnya lampu jalan bukan jalan rusak")
    said = texts(replies)
    assert "Lampu penerangan jalan" in said and "foto" in said.lower() and "btn:resume" not in payloads(replies), said
    summary = texts(await say(http, svc.url, "warga-a4", "lewati")) + texts(await say(http, svc.url, "warga-a4",
                                                                                       "publik"))
    assert "desa sooko" in summary and "Lampu penerangan jalan" in summary, summary


async def test_a_nik_at_the_topic_question_is_not_kept(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-a5", "jalan rusak")
    said = texts(await say(http, svc.url, "warga-a5", "NIK saya 3516123456780001"))
    assert "tidak diperlukan" in said and "tambahkan" not in said, said
    for line in ("ya", "desa sooko", "lewati"):
        await say(http, svc.url, "warga-a5", line)
    summary = texts(await say(http, svc.url, "warga-a5", "publik"))
    assert "3516123456780001" not in summary, summary


async def test_a_lead_before_the_words_added(svc, http):  # noqa: F811
    await _to_summary(http, svc, "warga-a6")
    said = texts(await say(http, svc.url, "warga-a6", "tunggu, saya tambah keterangan dulu: lubangnya sedalam 30 cm"))
    assert "lubangnya sedalam 30 cm" in said and "tambah keterangan dulu" not in said, said


async def test_stop_regretted(svc, http):  # noqa: F811
    await _to_photo_step(http, svc, "warga-a7")
    await say(http, svc.url, "warga-a7", "lewati")
    await say(http, svc.url, "warga-a7", "stop")
    replies = await say(http, svc.url, "warga-a7", "kok berhenti?")
    assert "belum hilang" in texts(replies) and "privacy:publik" in payloads(replies), texts(replies)


# --- questions while a complaint is written --------------------------------------------------------------------------
async def test_english_questions_mid_complaint(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-b1", "the jalan is rusak near my house")
    said = texts(await say(http, svc.url, "warga-b1", "is this answered by a human?"))
    assert "real officers" in said and "cannot answer" not in said, said
    for line in ("yes", "yes", "puri village near the bridge", "no photo"):  # (Continue, then the topic)
        await say(http, svc.url, "warga-b1", line)
    await say(http, svc.url, "warga-b1", "public")
    replies = await say(http, svc.url, "warga-b1", "when will it be fixed?")
    said = texts(replies)
    assert "working days" in said and "not been sent" not in said and "btn:send" in payloads(replies), said


async def test_news_through_the_one_writing(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-b2", "jalan rusak")
    said = texts(await say(http, svc.url, "warga-b2", "mbah darmi tidak punya hp, nanti kabarnya lewat saya saja ya?"))
    assert "dikirim ke chat ini" in said and "belum bisa saya jawab" not in said, said


async def test_the_privacy_wish_in_words(svc, http):  # noqa: F811
    await _to_photo_step(http, svc, "warga-b3")
    await say(http, svc.url, "warga-b3", "lewati")
    replies = await say(http, svc.url, "warga-b3", "saya tidak mau nama saya muncul tapi petugas boleh hubungi saya")
    assert "Anonim" in texts(replies) and "btn:send" in payloads(replies), texts(replies)
    assert complaint.privacy_in("nama saya jangan sampai kelihatan") == "anonim"


# --- after filing ----------------------------------------------------------------------------------------------------
async def test_no_use_reporting(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-c1", "kenapa lapor ke sini kalau tidak ada tindakan"))
    assert "kecewa" in said and "belum yakin" not in said, said
    await file_complaint(http, svc.url, "warga-c2")
    said = texts(await say(http, svc.url, "warga-c2", "percuma lapor di sini"))
    assert "kecewa" in said and "Status tiket" in said, said
    assert resident.going_public("sia-sia lapor")


async def test_english_status_without_a_number(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-c3")
    said = texts(await say(http, svc.url, "warga-c3", "I reported a pothole last week, any update?"))
    assert number in said, said
    said = texts(await say(http, svc.url, "warga-c4", "I reported a pothole last week, any update?"))
    assert "not found a complaint" in said and "not sure which agency" not in said, said


async def test_a_lapor_number_reaches_the_officer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-c5")
    number = await file_complaint(http, svc.url, "warga-c5")
    said = texts(await say(http, svc.url, "warga-c5", "saya sudah lapor lewat lapor.go.id juga, nomornya 1234567"))
    assert "SP4N-LAPOR!" in said and number in said, said
    await wait_for(lambda: _said_to(svc, "pupr-c5", "1234567"))


async def _said_to(svc, who: str, words: str) -> bool:  # noqa: F811
    return any(words in item["text"] for item in await mailbox(svc.store, f"webchat:{who}"))


async def test_a_wrong_photo(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-c6")
    number = await file_complaint(http, svc.url, "warga-c6")
    said = texts(await say(http, svc.url, "warga-c6", "saya mau ganti foto, yang tadi salah"))
    assert "foto yang benar" in said and number in said, said
    await wait_for(lambda: _said_to(svc, "pupr-c6", "yang tadi salah"))
    said = texts(await upload(http, svc.url, "warga-c6", photo_jpeg()))
    assert number in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.media


async def test_anonymous_after_sending(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-c7")
    said = texts(await say(http, svc.url, "warga-c7", "ternyata saya mau anonim saja"))
    assert "Anonim" in said and number in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.privacy == "anonim"


async def test_reported_again_and_nothing_done(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-c8")
    clock.now += timedelta(days=10)
    replies = await say(http, svc.url, "warga-c8", "ini laporan ke-3 saya soal jalan yang sama, kok gak ada tindakan")
    assert number in texts(replies) and not any(p.startswith("topic:") for p in payloads(replies)), texts(replies)
    replies = await say(http, svc.url, "warga-c8", "bisa minta nomor tiket lagi? lupa")
    assert number in texts(replies) + " ".join(payloads(replies)), texts(replies)
    assert not resident.complains_of_delay("lampu mati tidak ada perbaikan")


async def test_extortion_in_a_rating_comment(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-c9")
    number = await file_complaint(http, svc.url, "warga-c9")
    await say(http, svc.url, "pupr-c9", f"/selesai {number} sudah ditambal")
    await say(http, svc.url, "warga-c9", "5")
    replies = await say(http, svc.url, "warga-c9", "pak yang perbaiki minta uang rokok")
    said = texts(replies)
    assert "Inspektorat" in said and "rahasia" in said and "btn:yes" in payloads(replies), said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and not ticket.rating_comment  # not passed to the office whose crew asked
    for line in ("ya", "desa sooko", "lewati"):
        replies = await say(http, svc.url, "warga-c9", line)
    summary = texts(replies)
    assert number in summary and "Rahasia" in summary, summary


# --- before a complaint -------------------------------------------------------------------------------------------
async def test_questions_before_reporting(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-d1", "halo pak, saya mau tanya, kalau lapor disini nanti "
                                                     "ditindaklanjuti berapa lama?"))
    assert "1-10 hari kerja" in said and "/tanyakan" not in said, said
    said = texts(await say(http, svc.url, "warga-d2", "bisa minta tolong bapak datang ke rumah saya?"))
    assert "meninjau lokasi" in said, said
    said = texts(await say(http, svc.url, "warga-d3", "warga saya mau lapor tapi tidak punya hp, bisa lewat saya?"))
    assert "untuk siapa" in said, said
    said = texts(await say(http, svc.url, "warga-d4", "aduan paling banyak tentang apa?"))
    assert "/tanyakan" not in said and "PPID" in said, said
    said = texts(await say(http, svc.url, "warga-d5", "minggu lalu saya lapor via telepon ke call center, "
                                                     "sudah dicatat belum?"))
    assert "nomor tiket" in said and "Bisa. Aduan lewat telepon" not in said, said
    assert public_info.channel_asked("bisa lapor lewat telepon?") == "phone"


async def test_a_question_behind_a_lead(svc, http):  # noqa: F811
    for who, line in (("warga-d6", "permisi, saya mau tanya syarat buat ktp"),
                      ("warga-d7", "nyuwun sewu, kula badhe nyuwun pirsa syarat damel KTP")):
        replies = await say(http, svc.url, who, line)
        said = texts(replies)
        assert "Kartu Keluarga" in said and "/tanyakan" not in " ".join(payloads(replies)), said
    assert normalise("nyuwun sewu kula badhe nyuwun pirsa") == "permisi saya mau mohon tanya"


async def test_a_fallen_tree_across_the_road(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-d8", "ada pohon tumbang menutup jalan sekarang di desa puri"))
    assert "112" in said and "Jauhi pohon" in said, said
    assert safety.notes_for("pohon rawan tumbang di pinggir jalan") == []


# --- staff ----------------------------------------------------------------------------------------------------------
async def test_two_tickets_closed_at_once(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-e1")
    first = await file_complaint(http, svc.url, "warga-e1")
    second = await file_complaint(http, svc.url, "warga-e2", text="jembatan di desa puri retak dan miring")
    said = texts(await say(http, svc.url, "pupr-e1", f"/selesai {first} {second} sudah diperbaiki"))
    assert first in said and second in said, said
    for number in (first, second):
        ticket = await svc.store.get_ticket(number)
        assert ticket is not None and ticket.status == "selesai"
    notice = await wait_for(lambda: _notice(svc, "warga-e1", "sudah diperbaiki"))
    assert second not in notice, notice


async def _notice(svc, who: str, words: str) -> str | None:  # noqa: F811
    return next((item["text"] for item in await mailbox(svc.store, f"webchat:{who}") if words in item["text"]), None)


async def test_close_it_in_words_and_ok_to_the_bot(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-e2")
    number = await file_complaint(http, svc.url, "warga-e3")
    replies = await say(http, svc.url, "pupr-e2", "pelapor tidak bisa dihubungi, tutup saja")
    assert f"/selesai {number} pelapor tidak bisa dihubungi" in payloads(replies), payloads(replies)
    await say(http, svc.url, "pupr-e2", "/batal")
    await say(http, svc.url, "pupr-e2", f"/balas {number} besok kami cek ke lokasi")
    await say(http, svc.url, "pupr-e2", "maaf salah kirim balasan, tolong tarik")
    replies = await say(http, svc.url, "pupr-e2", "ok")
    assert not any(p.startswith("/balas") for p in payloads(replies)), texts(replies)
    assert "Baik" in texts(replies)


async def test_an_officers_weekly_recap(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-e4")
    await file_complaint(http, svc.url, "warga-e4")
    said = texts(await say(http, svc.url, "pupr-e4", "tolong kasih saya ringkasan minggu ini"))
    assert "Rekap aduan Dinas Pekerjaan Umum" in said and "Perintah petugas" not in said, said


async def test_the_regent_asks_for_e_mail(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-e5", role="regent", opd=None)
    said = texts(await say(http, svc.url, "bupati-e5", "tolong kirim laporan mingguan ke email saya"))
    assert "Rekap aduan" in said and "tidak dikirim lewat email" in said, said


async def test_the_regents_number_asked_while_writing(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-e6", "/bupati")
    replies = await say(http, svc.url, "warga-e6", "nomor hp pak bupati berapa?")
    said = texts(replies)
    assert "Nomor pribadi Bupati tidak kami berikan" in said and "btn:send" not in payloads(replies), said
    assert not resident.asks_regent_number("pak bupati, nomor hp saya 081234567890 mohon dihubungi")


async def test_ack_words_shared_by_staff():
    assert "siap pak" in officer.STAFF_ACK


# --- the fourth round ---------------------------------------------------------------------------------------------
async def test_when_the_service_answers(svc, http):  # noqa: F811
    for who, line in (("warga-f1", "selamat malam, apakah layanan ini buka 24 jam?"),
                      ("warga-f2", "kalau hari minggu ada yang balas?")):
        said = texts(await say(http, svc.url, who, line))
        assert "aktif 24 jam" in said and "hari kerja" in said, said
    assert not resident.asks_service_hours("kantor dukcapil buka jam berapa?")


async def test_what_to_do_in_an_emergency(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-f3", "ada orang tenggelam di sungai brantas desa sooko")
    replies = await say(http, svc.url, "warga-f3", "saya harus gimana?")
    said = texts(replies)
    assert "112" in said and "jangan ikut terjun" in said and "sudah kami catat" not in said, said
    assert "btn:skip" in payloads(replies)


async def test_a_letters_questions_about_time_and_data(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-f4", "mau bikin surat pengantar skck")
    await say(http, svc.url, "warga-f4", "sooko")
    said = texts(await say(http, svc.url, "warga-f4", "buat apa sih pak nanya-nanya?"))
    assert "mencocokkan" in said and "belum bisa saya jawab" not in said, said
    said = texts(await say(http, svc.url, "warga-f4", "kapan jadinya?"))
    assert "hari kerja" in said and "belum bisa saya jawab" not in said, said


async def test_street_light_in_three_words(svc, http):  # noqa: F811
    assert "lampu jalan" in normalise("street light broken")
    said = texts(await say(http, svc.url, "warga-f5", "street light broken"))
    assert "Traffic lights" not in said, said


async def test_report_again_after_an_officers_answer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-f6")
    number = await file_complaint(http, svc.url, "warga-f6")
    await say(http, svc.url, "pupr-f6", f"/balas {number} besok kami cek ke lokasi")
    said = texts(await say(http, svc.url, "warga-f6", "saya mau lapor lagi"))
    assert "ceritakan masalah" in said.lower() and "sudah kami teruskan" not in said, said


async def test_to_the_regent_too_right_after_filing(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-f7")
    replies = await say(http, svc.url, "warga-f7", "tolong sampaikan ke pak bupati juga")
    assert number in texts(replies) and "btn:send" in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-f7", "makasih ya bot"))
    assert "sudah kami sampaikan kepada Bupati" not in said, said  # thanks is no "send"
    assert not resident.says_send("saya mau lapor lagi")
    assert resident.says_send("ya kirim")


# --- the fifth round ----------------------------------------------------------------------------------------------
async def test_unsure_at_the_topic_list(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-g1", "ada yang aneh di desa kami pak, tolong dicek")
    replies = await say(http, svc.url, "warga-g1", "yang mana ya? saya bingung")
    said = texts(replies)
    assert "Lainnya" in said and "belum menemukan topik" not in said and "topic:lainnya" in payloads(replies), said


async def test_a_photo_announced_at_the_summary(svc, http):  # noqa: F811
    await _to_summary(http, svc, "warga-g2")
    said = texts(await say(http, svc.url, "warga-g2", "fotonya mau saya tambah"))
    assert "kirim" in said.lower() and "fotonya mau saya tambah" not in said, said
    said = texts(await upload(http, svc.url, "warga-g2", photo_jpeg()))
    assert "Foto: 1" in said, said
    said = texts(await say(http, svc.url, "warga-g2", "krim"))
    assert "WRG-" in said, said


async def test_a_bare_rating_to_is_it_fixed(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-g3")
    number = await file_complaint(http, svc.url, "warga-g3")
    await say(http, svc.url, "pupr-g3", f"/selesai {number} sudah ditambal")
    said = texts(await say(http, svc.url, "warga-g3", "3 aja"))
    assert "3/5" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.rating == 3


async def test_money_asked_by_an_official(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-g4", "pak RT minta uang untuk urus KTP"))
    assert "Pungutan liar" in said, said
    assert not complaint.extortion_by_official("sekolah minta uang gedung 2 juta")


async def test_an_officers_short_commands_and_contact_questions(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-g5")
    number = await file_complaint(http, svc.url, "warga-g5")
    replies = await say(http, svc.url, "pupr-g5", "/info")
    assert number in texts(replies) and "Cara pakai" not in texts(replies), texts(replies)
    said = texts(await say(http, svc.url, "pupr-g5", "/antrian dishub"))
    assert "hanya dapat dilihat petugasnya" in said and number in said, said
    await say(http, svc.url, "pupr-g5", f"/balas {number}")
    replies = await say(http, svc.url, "pupr-g5", "/batal")
    assert "tidak ada yang dikirim" in texts(replies) and "/aduan" not in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "pupr-g5", "pelapor minta nomor saya, boleh dikasih?"))
    assert "nomor kantor" in said and "Nomor pelapor tidak kami tampilkan" not in said, said
    said = texts(await say(http, svc.url, "pupr-g5", "tolong hubungkan saya dengan pelapor"))
    assert "Nomor pelapor tidak kami tampilkan" in said, said
    replies = await say(http, svc.url, "pupr-g5", f"aduan {number} ini bukan di wilayah kami, ini wilayah kabupaten "
                                                  "sebelah")
    assert any(p.startswith(f"/alihkan {number} triase") for p in payloads(replies)), payloads(replies)


async def test_words_typed_in_haste_and_a_promise_passed(svc, http, clock):  # noqa: F811
    assert normalise("jlan rsak prah di ds sooko") == "jalan rusak parah di desa sooko"
    said = texts(await say(http, svc.url, "warga-g6", "lmpu jln mti di desa sooko"))
    assert "Lampu penerangan jalan" in said, said
    await enrol(http, svc, "pupr-g7")
    number = await file_complaint(http, svc.url, "warga-g7")
    await say(http, svc.url, "pupr-g7", f"/proses {number} akan kami perbaiki minggu depan")
    clock.now += timedelta(days=21)
    replies = await say(http, svc.url, "warga-g7", "pak katanya minggu depan, ini sudah 3 minggu belum juga")
    assert number in texts(replies) and not any(p.startswith("topic:") for p in payloads(replies)), texts(replies)


async def test_a_digit_at_the_summary_changes_nothing(svc, http):  # noqa: F811
    await _to_photo_step(http, svc, "warga-g8")
    await say(http, svc.url, "warga-g8", "lewati")
    await say(http, svc.url, "warga-g8", "anonim")
    said = texts(await say(http, svc.url, "warga-g8", "1"))  # (it made the anonymous complaint public)
    assert "diubah menjadi" not in said and "Identitas: Anonim" in said, said


async def test_hello_days_after_filing(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-g9")
    clock.now += timedelta(days=12)
    replies = await say(http, svc.url, "warga-g9", "halo")
    assert number in texts(replies) and "masih berjalan" in texts(replies), texts(replies)
    assert f"/status {number}" in payloads(replies)
    replies = await say(http, svc.url, "warga-g10", "halo")
    assert payloads(replies) == ["/aduan", "/tanya", "/status", "/bupati"], payloads(replies)


async def test_how_to_get_subsidised_fertiliser(svc, http):  # noqa: F811
    # a question real reports ask (the Purbalingga portal): it got the FAQ on changing population data
    said = texts(await say(http, svc.url, "warga-h1", "bagaimana cara membuat kartu tani untuk beli pupuk bersubsidi?"))
    assert "e-RDKK" in said and "Dispendukcapil" not in said, said
    said = texts(await say(http, svc.url, "warga-h2", "harga pupuk subsidi di kios mahal, di atas HET"))
    assert "Pupuk bersubsidi" in said and "e-RDKK" not in said, said  # a complaint stays one


async def test_a_letters_answers_out_of_order(svc, http):  # noqa: F811
    for line in ("mau minta surat keterangan domisili", "sooko", "Budi Santoso", "3516100101900001"):
        await say(http, svc.url, "warga-h3", line)
    said = texts(await upload(http, svc.url, "warga-h3", photo_jpeg()))  # the KTP photo, sent before it is asked
    assert "foto KTP kami simpan" in said and "Tempat lahir" in said and "2 sampai 40" not in said, said
    for line in ("Mojokerto", "ya", "ya"):
        said = texts(await say(http, svc.url, "warga-h3", line))
    assert "Pekerjaan" in said, said
    said = texts(await say(http, svc.url, "warga-h3", "Dusun Krajan RT 02 RW 01"))
    assert "Alamat (dusun, RT/RW) kami catat" in said and "Pekerjaan" in said, said
    said = texts(await say(http, svc.url, "warga-h3", "untuk daftar sekolah anak"))
    assert "Keperluan kami catat" in said, said
    said = texts(await say(http, svc.url, "warga-h3", "wiraswasta"))
    assert "Pekerjaan: wiraswasta" in said and "Alamat (dusun, RT/RW): Dusun Krajan RT 02 RW 01" in said, said
    assert "Foto: terlampir" in said, said


async def test_a_scam_neglect_and_how_to_report_fraud(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-h4", "ada penipuan mengatasnamakan dinas sosial minta transfer 500 "
                                                     "ribu biar bansos cair"))
    assert "Jangan mentransfer" in said and "cekrekening.id" in said, said
    said = texts(await say(http, svc.url, "warga-h5", "bagaimana cara lapor penipuan online?"))
    assert "Kepolisian" in said or "polisi" in said.lower(), said
    replies = await say(http, svc.url, "warga-h6", "bu, saya mau melaporkan suami saya yang tidak menafkahi anak-anak")
    said = texts(replies)
    assert "SAPA 129" in said and "belum memahami" not in said and "btn:yes" in payloads(replies), said
    assert not complaint.harmed("pemerintah menelantarkan warga miskin")


async def test_the_operator_routes_from_the_triage_list_in_words(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-h7", role="operator", opd=None)
    numbers = []
    for who, words in (("warga-h7", "ada yang aneh di desa kami pak, tolong dicek"),
                       ("warga-h8", "ada sesuatu yang mengganggu di dusun krajan")):
        for line in (words, "lainnya", "desa puri", "lewati", "publik"):
            await say(http, svc.url, who, line)
        said = texts(await say(http, svc.url, who, "kirim"))
        numbers.append(next(w.strip("*.,") for w in said.split() if w.strip("*.,").startswith("WRG-")))
    await say(http, svc.url, "operator-h7", "/triase")
    replies = await say(http, svc.url, "operator-h7", "nomor 1 ke dishub")
    assert f"/rute {numbers[0]} dishub" in payloads(replies), texts(replies)
    assert "Perintah operator" not in texts(replies), texts(replies)
    replies = await say(http, svc.url, "operator-h7", "semua ke dinas pupr")
    assert {f"/rute {n} dinas-pupr" for n in numbers} <= set(payloads(replies)), payloads(replies)


async def test_where_the_hospital_is(svc, http):  # noqa: F811
    for who, line in (("warga-h9", "dimana rumah sakit terdekat?"), ("warga-h10", "Where is the nearest hospital?")):
        said = texts(await say(http, svc.url, who, line))
        assert "Rumah Sakit Umum Daerah" in said, said


async def test_an_answer_to_one_officer_and_news_of_two(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-i1")
    await enrol(http, svc, "dishub-i1", opd="dishub")
    road = await file_complaint(http, svc.url, "warga-i1")
    light = await file_complaint(http, svc.url, "warga-i1", text="lampu jalan di desa sooko mati semua sejak seminggu")
    await say(http, svc.url, "pupr-i1", f"/balas {road} lubangnya di depan rumah nomor berapa pak?")
    said = texts(await say(http, svc.url, "warga-i1", "depan rumah no 12 pak, yang lampu juga belum ada kabar"))
    assert light in said and "sudah kami teruskan" in said, said  # the street light's status, and the answer passed
    await wait_for(lambda: _said_to(svc, "pupr-i1", "depan rumah no 12"))
    clock.now += timedelta(days=3)
    await say(http, svc.url, "dishub-i1", f"/selesai {light} lampu sudah diganti")
    replies = await say(http, svc.url, "warga-i1", "yang jalan belum, yang lampu sudah")
    assert f"nilai:{light}:5" in payloads(replies) and road in texts(replies), texts(replies)
    ticket = await svc.store.get_ticket(light)
    assert ticket is not None and ticket.status == "selesai"  # (the street light was reopened)


async def test_coordinates_at_the_topic_question(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-i2", "jalan rusak")
    said = texts(await say(http, svc.url, "warga-i2", "-7.5521, 112.4367"))
    assert "-7.552100,112.436700" in said and "tambahkan" not in said, said


async def test_changing_course_mid_draft_and_after_filing(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-i3", "jalan rusak")
    await say(http, svc.url, "warga-i3", "ya")
    replies = await say(http, svc.url, "warga-i3", "ga jadi lapor jalan, mau tanya aja soal ktp")
    said = texts(replies)
    assert "tidak kami lanjutkan" in said and "pertanyaan" in said and "btn:resume" not in payloads(replies), said
    said = texts(await say(http, svc.url, "warga-i3", "eh jadi deh"))
    assert "lokasi" in said.lower(), said  # the draft comes back where it was
    await enrol(http, svc, "pupr-i4")
    number = await file_complaint(http, svc.url, "warga-i4")
    said = texts(await say(http, svc.url, "warga-i4", "saya mau ubah lokasinya"))
    assert "lokasi yang benar" in said and "sudah kami tambahkan" not in said, said
    await say(http, svc.url, "warga-i4", "desa puri rt 3")
    await wait_for(lambda: _said_to(svc, "pupr-i4", "desa puri rt 3"))
    said = texts(await say(http, svc.url, "warga-i4", "yang tadi salah kirim, harusnya ke bupati"))
    assert "tidak perlu dikirim lagi" not in said and number in said, said


async def test_a_bribe_named_with_the_office_that_took_it(svc, http):  # noqa: F811
    # a real Purbalingga report's words (Javanese): Satpol PP said to take envelopes; it went to Satpol PP
    said = texts(await say(http, svc.url, "warga-i5", "operasi miras belum ada tindakan tegas, sapol PP ne pada "
                                                     "nampani amplop dadi pada meneng"))
    assert "Pungutan liar" in said and "Inspektorat" in said, said
    assert not complaint.asked_for_money("pak rt menerima amplop undangan nikah")


async def test_the_regent_asks_who_handles_and_wants_it_hurried(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-i6", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-i6", text="jembatan di desa puri retak dan miring")
    await say(http, svc.url, "bupati-i6", "aduan soal jembatan di desa puri gimana?")
    said = texts(await say(http, svc.url, "bupati-i6", "siapa yang menangani?"))
    assert number in said and "Dinas PUPR" in said and "Perintah pimpinan" not in said, said
    replies = await say(http, svc.url, "bupati-i6", "tolong dipercepat, itu jalur anak sekolah")
    wanted = f"/disposisi {number} dinas-pupr tolong dipercepat, itu jalur anak sekolah"
    assert wanted in payloads(replies), texts(replies)


async def test_well_as_an_english_adverb_names_no_topic(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-i7", "the jalan is rusak near my house")
    await say(http, svc.url, "warga-i7", "yes")
    said = texts(await say(http, svc.url, "warga-i7", "sorry I don't understand Indonesian well"))
    assert "well water" not in said and "Damaged road" not in said, said  # (the topic became "Polluted well water")


async def test_a_landmark_at_the_topic_question_is_the_place(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-i8", "mau lapor jalan rusak tapi saya lupa nama jalannya")
    said = texts(await say(http, svc.url, "warga-i8", "pokoknya dekat pasar sooko"))
    assert "Lokasinya kami catat: dekat pasar sooko" in said and "Harga dan pasar" not in said, said
