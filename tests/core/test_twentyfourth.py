"""The twenty-fourth trial: a resident who pauses in the middle of a complaint, asks something beside it, keeps a
complaint open after saying it was fixed, or comes back to a draft begun weeks ago; staff and the regent in their own
words. Over real HTTP on a settable clock.

Each was wrong before: "mau tanya syarat bikin ktp" at "is the topic right?" was taken as a yes (its "mau"), and
"nanti saja ya pak, saya lagi di jalan" at "is the place *desa puri*?" confirmed the place (its "ya"); "tidak, tetap
berjalan saja" to "may it be closed?" began a new complaint, and the news of the fix the question promised to pass on
never reached the officers; "pohon tumbang menimpa rumah" was an ordinary complaint; "halo?? kok belum dibales" got
the whole welcome; "dudu, maksudku lampu dalan sing mati" replaced the report (and lost its place); a draft begun two
months before was offered as "yang tadi"; "jalan rusak …, sekalian mau tanya cara bikin ktp" got only KTP answers to
pick from; "ini bot ya? saya mau bicara dengan manusia saja" was a yes to the topic; "how long until it's fixed?"
after filing got unrelated FAQ titles; "eh jangan publik deh, anonim aja, takut sama pak kades" at the summary was
offered as another complaint, and "kirim" then sent it public; asking after the road complaint sent that morning,
beside a new draft, was told its report was never sent; the regent's "berapa aduan yang belum ditangani minggu ini?"
said 0 open while an older complaint was past its deadline; "/alihkan … dinas lingkungan" did not know the office.
"""

from __future__ import annotations

from datetime import timedelta

from actions import complaint
from actions import understand as u
from actions.common import WITHDRAW_REQUESTED
from bot.dialogue import _pauses

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_twentysecond import _pushed
from tests.harness import payloads, say, texts


async def _at_topic_question(http, svc, who: str, report: str) -> None:  # noqa: F811
    replies = await say(http, svc.url, who, report)
    assert "btn:yes" in payloads(replies) and "btn:change_topic" in payloads(replies), texts(replies)


async def _at_summary(http, svc, who: str) -> None:  # noqa: F811
    await _at_topic_question(http, svc, who, "jalan berlubang besar di depan SD desa sukamaju, bahaya buat motor")
    for answer in ("ya", "ya", "lewati"):
        await say(http, svc.url, who, answer)
    said = texts(await say(http, svc.url, who, "publik"))
    assert "Kirim aduan ini?" in said and "Identitas: Publik" in said, said


# --- asking or pausing in the middle of a complaint ---------------------------------------------------------
async def test_wanting_to_ask_something_at_the_topic_question_is_answered_not_taken_as_yes(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l1", "sampah menumpuk di pinggir jalan desa puri")
    said = texts(await say(http, svc.url, "warga-l1", "mau tanya syarat bikin ktp"))
    assert "KTP-el dibuat" in said and "*Sampah*" in said and "DLH" in said, said
    assert "lokasinya" not in said and "Dispendukcapil*" not in said, said
    assert u.yes_no("mau tanya syarat bikin ktp") is None and u.yes_no("iya mau") is True
    assert u.yes_no("nanti saja ya pak, saya lagi di jalan") is None


async def test_putting_a_draft_off_keeps_it_and_lanjut_takes_it_up(svc, http, clock):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l2", "jalan berlubang di desa puri")
    said = texts(await say(http, svc.url, "warga-l2", "ya"))
    assert "Apakah lokasinya di *desa puri*?" in said, said
    replies = await say(http, svc.url, "warga-l2", "nanti saja ya pak, saya lagi di jalan")
    said = texts(replies)
    assert "belum terkirim dan tetap tersimpan" in said and "lokasi" in said, said
    assert "foto" not in said.lower() and "btn:resume" in payloads(replies), said
    clock.now += timedelta(hours=3)
    said = texts(await say(http, svc.url, "warga-l2", "lanjut yang tadi"))
    assert "Apakah lokasinya di *desa puri*?" in said, said  # the place is still to be confirmed
    assert _pauses("tunggu sebentar, saya cek alamatnya") and _pauses("later, I'm driving")
    assert _pauses("nanti saya lanjutkan ya")
    for not_a_pause in ("wait, can you change the location to Japan village?", "nanti saya tanya pak RT dulu",
                        "nanti fotonya nyusul", "saya lanjutkan ceritanya", "tunggu, lokasinya salah"):
        assert not _pauses(not_a_pause), not_a_pause


async def test_asking_for_a_person_in_the_middle_of_a_draft_is_answered_and_the_draft_kept(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l3", "saluran air mampet depan rumah saya desa puri, meluber ke jalan")
    replies = await say(http, svc.url, "warga-l3", "ini bot ya? saya mau bicara dengan manusia saja")
    said = texts(replies)
    assert "asisten virtual" in said and "belum terkirim" in said and "btn:resume" in payloads(replies), said
    assert "lokasinya" not in said, said
    said = texts(await say(http, svc.url, "warga-l3", "bisa lapor lewat telpon aja gak?"))
    assert "asisten virtual" in said and "belum bisa saya jawab" not in said, said
    said = texts(await say(http, svc.url, "warga-l3", "ya"))
    assert "*Saluran air/drainase*" in said and "Apakah sudah benar?" in said, said  # back where it was


async def test_a_report_and_a_question_in_one_message_get_both(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-l4",
                        "jalan rusak di desa sooko, kapan diperbaiki? sekalian mau tanya cara bikin ktp")
    said = texts(replies)
    assert "KTP-el dibuat" in said and "*Jalan rusak*" in said and "btn:yes" in payloads(replies), said
    assert not [p for p in payloads(replies) if p.startswith("faq:")], payloads(replies)
    assert complaint.complaint_then_question("mau tanya cara bikin ktp") is None  # a question alone


async def test_changing_the_identity_choice_at_the_summary_in_a_sentence(svc, http):  # noqa: F811
    await _at_summary(http, svc, "warga-l5")
    said = texts(await say(http, svc.url, "warga-l5", "eh jangan publik deh, anonim aja, takut sama pak kades"))
    assert "Identitas: Anonim" in said and "masalah lain" not in said, said
    said = texts(await say(http, svc.url, "warga-l5", "kirim"))
    number = next(w.strip("*.,") for w in said.split() if w.strip("*.,").startswith("WRG-"))
    assert (await svc.store.get_ticket(number)).privacy == "anonim"


# --- corrections ------------------------------------------------------------------------------------------
async def test_a_javanese_topic_correction_changes_only_the_topic(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l6", "dalan rusak neng ngarep balai desa sooko")
    said = texts(await say(http, svc.url, "warga-l6", "dudu, maksudku lampu dalan sing mati"))
    assert "Lampu penerangan jalan" in said and "*desa sooko*" in said, said
    assert "kami ganti dengan yang baru" not in said, said


async def test_english_places_are_offered_and_a_new_one_taken_at_the_topic_list(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l7",
                             "the street light in front of the village hall in Sooko has been off for a week")
    said = texts(await say(http, svc.url, "warga-l7", "yes"))
    assert "*in front of the village hall in Sooko*" in said, said
    assert complaint.landmark_in_text("a big pothole on the main road near Sooko market") == "near Sooko market"
    assert complaint.landmark_in_text("The school is closed") is None
    await say(http, svc.url, "warga-l8", "the road near the hospital is flooded and has a big pothole")
    said = texts(await say(http, svc.url, "warga-l8", "wait, can you change the location to Japan village?"))
    assert "Japan village" in said and "cannot answer" not in said, said


# --- after filing ------------------------------------------------------------------------------------------
async def test_keeping_a_complaint_open_after_news_of_a_fix_passes_the_news_on(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-l9")
    number = await file_complaint(http, svc.url, "warga-l9")
    clock.now += timedelta(hours=72)
    replies = await say(http, svc.url, "warga-l9", "pak, jalannya sudah diperbaiki kemarin, sekarang sudah mulus")
    assert "boleh ditutup" in texts(replies) and "btn:withdraw_no" in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-l9", "tidak, tetap berjalan saja, takut rusak lagi"))
    assert f"*{number}* tetap berjalan" in said and "sudah kami teruskan" in said, said
    assert "belum yakin" not in said and "Apakah sudah benar?" not in said, said  # no new complaint
    pushed = await _pushed(svc, "petugas-l9", "tetap berjalan")
    assert "sekarang sudah mulus" in pushed, pushed
    ticket = await svc.store.get_ticket(number)
    assert ticket.status not in ("selesai", "ditutup") and WITHDRAW_REQUESTED not in ticket.extra


async def test_no_reply_yet_said_with_a_greeting_gets_the_status(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-l10")
    said = texts(await say(http, svc.url, "warga-l10", "halo?? kok belum dibales"))
    assert f"Status tiket *{number}*" in said and "selamat datang" not in said, said


async def test_how_long_asked_in_english_after_filing_gets_the_deadline(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-l11")
    replies = await say(http, svc.url, "warga-l11", "how long until it's fixed?")
    said = texts(replies)
    assert number in said and ("Deadline" in said or "Batas waktu" in said), said
    assert not [p for p in payloads(replies) if p.startswith("faq:")], payloads(replies)


async def test_asking_after_a_sent_complaint_beside_a_new_draft_gets_its_status(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-l12")  # a road in Sooko
    clock.now += timedelta(hours=2)
    await _at_topic_question(http, svc, "warga-l12", "satu lagi pak, sampah di pasar puri menumpuk sudah 3 hari")
    await say(http, svc.url, "warga-l12", "ya")
    said = texts(await say(http, svc.url, "warga-l12", "eh, aduan saya yang jalan tadi sudah sampai mana?"))
    assert f"Status tiket *{number}*" in said and "belum terkirim" in said and "*Sampah*" in said, said
    assert "Aduan Anda *belum terkirim*" not in said, said


async def test_a_draft_begun_weeks_ago_is_offered_with_its_day(svc, http, clock):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l13", "sampah menumpuk di pinggir jalan desa puri")
    clock.now += timedelta(days=60)
    said = texts(await say(http, svc.url, "warga-l13", "halo"))
    assert "Aduan yang Anda mulai pada Senin, 7 Desember 2026 belum terkirim" in said, said
    assert "Yang tadi" not in said, said


# --- danger ---------------------------------------------------------------------------------------------------
async def test_a_tree_fallen_on_a_house_is_an_emergency_even_in_the_middle_of_a_draft(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l14", "lampu jalan mati di depan SD desa sukamaju sudah seminggu")
    said = texts(await say(http, svc.url, "warga-l14",
                           "tolong kirim petugas ke rumah saya sekarang, pohon tumbang menimpa rumah"))
    assert "112" in said and "BPBD" in said, said
    number = next(w.strip("*.,") for w in said.split() if w.strip("*.,").startswith("WRG-"))
    ticket = await svc.store.get_ticket(number)
    assert ticket.priority == "darurat" and ticket.opd_id == "bpbd"
    said = texts(await say(http, svc.url, "warga-l15", "pohon tumbang menghalangi jalan desa puri, tolong dipotong"))
    assert "112" not in said and "Pohon tumbang" in said, said  # across a road: a complaint


# --- staff and the regent -----------------------------------------------------------------------------------
async def test_the_regents_recap_counts_what_is_open_now(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "ajudan-l16", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-l16")
    clock.now += timedelta(days=15)
    said = texts(await say(http, svc.url, "ajudan-l16", "berapa aduan yang belum ditangani minggu ini?"))
    assert "Aduan masuk: 0" in said, said  # none came in this week …
    assert "Saat ini masih terbuka seluruhnya: 1 aduan (1 lewat tenggat)" in said, said  # … one is still open


async def test_a_transfer_names_the_office_by_the_start_of_its_name(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-l17")
    number = await file_complaint(http, svc.url, "warga-l17")
    said = texts(await say(http, svc.url, "petugas-l17", f"/alihkan {number} dinas lingkungan"))
    assert "Dinas Lingkungan Hidup" in said and "tidak dikenal" not in said, said
    said = texts(await say(http, svc.url, "petugas-l17", "ini soal sampah, bukan jalan"))
    assert (await svc.store.get_ticket(number)).opd_id == "dlh", said


# --- a village official, and an answer with another matter after it ----------------------------------------------
async def test_a_village_officials_yes_to_the_hint_files_for_the_resident_from_the_words_told(svc, http):  # noqa: F811
    await enrol(http, svc, "perangkat-l18", role="pendamping", opd=None)
    told = ("saya mau lapor untuk warga saya pak Darmo, rumahnya hampir roboh, dia lansia tinggal sendiri di dusun "
            "krajan desa puri")
    replies = await say(http, svc.url, "perangkat-l18", told)
    assert "/wakili Pak Darmo" in payloads(replies) and "kami simpan" in texts(replies), texts(replies)
    said = texts(await say(http, svc.url, "perangkat-l18", "ya"))  # ("Maaf, saya belum memahami" before)
    assert "atas nama Pak Darmo" in said and "setuju" in said, said
    said = texts(await say(http, svc.url, "perangkat-l18", "ya, sudah setuju"))
    assert "ceritakan masalah" not in said, said  # the report is the message told first
    for answer in ("lainnya", "ya", "lewati", "publik"):
        said = texts(await say(http, svc.url, "perangkat-l18", answer))
    assert "rumahnya hampir roboh" in said and "Pak Darmo" in said, said


async def test_an_answer_to_an_officer_with_another_offices_matter_after_it_gets_both(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-l19")
    number = await file_complaint(http, svc.url, "warga-l19")
    await say(http, svc.url, "petugas-l19", f"/balas {number} Baik pak, boleh kirim foto lubangnya?")
    replies = await say(http, svc.url, "warga-l19",
                        "iya pak nanti sore saya foto. oh ya lampu jalan di depan rumah saya juga mati sudah 3 hari")
    said = texts(replies)
    assert "sudah kami teruskan" in said and "Lampu penerangan jalan" in said and "Dishub" in said, said
    assert "Jika ini aduan baru" not in said, said  # (twenty-fifth trial: it came just before the new complaint)
    assert "btn:yes" in payloads(replies), payloads(replies)
    pushed = await _pushed(svc, "petugas-l19", "nanti sore saya foto")
    assert "lampu jalan" not in pushed.split("nanti sore saya foto")[-1], pushed  # only the answer went there


# --- the language, and a missing person ------------------------------------------------------------------------
async def test_asking_for_indonesian_with_an_apology_first_switches_and_asks_the_step_again(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l20", "there is garbage piling up near Puri market for a week")
    said = texts(await say(http, svc.url, "warga-l20", "yes"))
    assert "Is it at *near Puri market*?" in said, said
    said = texts(await say(http, svc.url, "warga-l20", "maaf pak saya pakai bahasa indonesia saja ya"))
    assert "Bahasa Indonesia" in said and "Apakah lokasinya di *near Puri market*?" in said, said
    assert "not a place" not in said, said


async def test_a_missing_child_is_sent_to_the_police_at_once(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-l21", "tolong pak anak saya hilang sejak kemarin sore belum pulang")
    said = texts(replies)
    assert "*110*" in said and "Tidak perlu menunggu 24 jam" in said and "112" in said, said
    assert not [p for p in payloads(replies) if p.startswith("topic:")], payloads(replies)
    await _at_topic_question(http, svc, "warga-l22", "jalan berlubang di desa puri")
    said = texts(await say(http, svc.url, "warga-l22", "pak, mbah saya belum pulang dari sawah sejak kemarin"))
    assert "*110*" in said and "belum terkirim" in said, said  # the draft waits
    said = texts(await say(http, svc.url, "warga-l23", "KTP anak saya hilang, bagaimana cara mengurusnya?"))
    assert "*110*" not in said, said  # a document lost, not a person


async def test_the_regents_plain_words_after_a_sender_wrote_name_a_message_not_a_complaint(svc, http):  # noqa: F811
    await enrol(http, svc, "ajudan-l24", role="regent", opd=None)
    await say(http, svc.url, "warga-l24", "/bupati")
    await say(http, svc.url, "warga-l24", "Yth. Bapak Bupati, kami warga Desa Sooko memohon perbaikan jembatan dusun")
    said = texts(await say(http, svc.url, "warga-l24", "btn:send"))
    number = next(w.strip("*.,") for w in said.split() if w.strip("*.,").startswith("WRG-"))
    await say(http, svc.url, "warga-l24", "mohon maaf pak, jembatannya makin parah setelah hujan")
    replies = await say(http, svc.url, "ajudan-l24", "baik, minggu ini saya minta PUPR meninjau jembatannya")
    said = texts(replies)
    assert f"pengirim pesan kepada Bupati *{number}*" in said and "pelapor aduan" not in said, said


async def test_asking_for_the_regent_instead_while_filing_says_who_acts_and_keeps_the_draft(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l25", "jalan rusak di desa puri depan masjid, sudah 2 bulan")
    replies = await say(http, svc.url, "warga-l25", "langsung ke bupati aja pak, dinas ga pernah respon")
    said = texts(replies)
    assert "Dinas PUPR" in said and "otomatis dilaporkan" in said and "/bupati" in payloads(replies), said
    assert "kami tambahkan ke uraian" not in said and "belum terkirim" in said, said
    said = texts(await say(http, svc.url, "warga-l25", "kalau tidak diperbaiki saya lapor ke bupati ya"))
    assert "otomatis dilaporkan" not in said, said  # a threat for later is not this request


async def test_waiting_to_take_the_photo_keeps_the_photo_step(svc, http):  # noqa: F811
    await _at_topic_question(http, svc, "warga-l26", "jalan berlubang besar di depan SD desa sukamaju, bahaya motor")
    await say(http, svc.url, "warga-l26", "ya")
    said = texts(await say(http, svc.url, "warga-l26", "ya"))
    assert "foto" in said.lower(), said
    said = texts(await say(http, svc.url, "warga-l26", "tunggu ya pak, saya fotoin dulu"))
    assert "Kirim fotonya bila sudah siap" in said and "Bagaimana identitas" not in said, said
    said = texts(await say(http, svc.url, "warga-l26", "lanjut"))  # no photo after all
    assert "Bagaimana identitas" in said, said


async def test_asking_what_the_officer_said_shows_their_last_word(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-l27")
    number = await file_complaint(http, svc.url, "warga-l27")
    await say(http, svc.url, "petugas-l27", f"/balas {number} Tim kami akan datang hari Kamis jam 9 pagi")
    said = texts(await say(http, svc.url, "warga-l27", "tadi petugas bilang apa ya? pesannya kehapus"))
    assert f"Status tiket *{number}*" in said and "Kamis jam 9 pagi" in said, said
    assert "sudah kami teruskan" not in said, said  # not passed to the officer as an answer


async def test_good_enough_after_done_is_a_yes_then_the_rating(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-l28")
    number = await file_complaint(http, svc.url, "warga-l28")
    await say(http, svc.url, "petugas-l28", f"/selesai {number} sudah ditambal")
    said = texts(await say(http, svc.url, "warga-l28", "lumayan lah"))
    assert "belum memahami" not in said and ("nilai" in said.lower() or "⭐" in said), said


async def test_an_officer_with_no_name_is_named_by_role_and_asks_after_their_own_queue(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-l29")
    await enrol(http, svc, "petugas-m29")
    number = await file_complaint(http, svc.url, "warga-l29")
    said = texts(await say(http, svc.url, "petugas-l29", f"/ambil {number}"))
    assert "Petugas Dinas PUPR (…-l29)" in said and "webchat" not in said, said
    said = texts(await say(http, svc.url, "petugas-m29", f"/ambil {number}"))
    assert "dipegang Petugas Dinas PUPR (…-l29)" in said, said
    said = texts(await say(http, svc.url, "petugas-l29", "aduan saya ada berapa yang telat?"))
    assert "Antrian Dinas PUPR" in said and number in said and "Belum ada aduan dari akun ini" not in said, said


async def test_the_report_sent_twice_is_kept_once(svc, http):  # noqa: F811
    report = "jalan rusak di desa puri banyak lubang"
    await _at_topic_question(http, svc, "warga-l30", report)
    said = texts(await say(http, svc.url, "warga-l30", report))
    assert "sudah kami terima" in said and "kami tambahkan" not in said and "*Jalan rusak*" in said, said
    for answer in ("ya", "ya", "lewati"):
        await say(http, svc.url, "warga-l30", answer)
    said = texts(await say(http, svc.url, "warga-l30", "publik"))
    assert said.count("banyak lubang") == 1, said  # the summary holds it once


async def test_staff_sending_a_complaint_named_by_its_matter_to_an_office_get_it_offered(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-l31", role="operator", opd=None)
    await enrol(http, svc, "petugas-l31")
    for answer in ("ada yang aneh di desa puri, tiap malam ada suara bising dari pabrik", "btn:change_topic",
                   "lainnya", "ya", "lewati", "publik", "kirim"):
        said = texts(await say(http, svc.url, "warga-l31", answer))
    triage = next(w.strip("*.,") for w in said.split() if w.strip("*.,").startswith("WRG-"))
    road = await file_complaint(http, svc.url, "warga-l31b", "jalan berlubang besar di depan SD desa sukamaju")
    replies = await say(http, svc.url, "operator-l31", "yang pabrik bising itu ke dlh aja")
    assert f"/rute {triage} dlh" in payloads(replies), texts(replies)  # (generic help before)
    replies = await say(http, svc.url, "petugas-l31", "jalan berlubang depan SD itu harusnya ke dinas perkim")
    assert any(p.startswith(f"/alihkan {road} disperkim ") for p in payloads(replies)), payloads(replies)
    assert (await svc.store.get_ticket(road)).opd_id == "dinas-pupr"  # offered, never done unasked
