"""Turns left over from the twelfth trial, over real HTTP: a reopening in words reaches the officers as one message;
"terserah" at the privacy question gets a choice made for the resident; a threat to go viral is heard with the
resident's complaint (or the way to file one) instead of the police's answer; "mantap pak" is thanked; "bupati aja
pokoknya" in the middle of a complaint takes it to the regent; a complaint in triage shows when its office will be
chosen; a second reply passed to an officer beside an unsent draft reminds of the draft briefly."""

from __future__ import annotations

from datetime import timedelta

from bot.store.base import STATUS_IN_PROGRESS, STATUS_TRIAGE, Changes
from tests.core.test_eighth_look import clock, svc  # noqa: F401 - the service on a settable clock (Monday 09:00)
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.core.test_twelfth_close import done_and_rated
from tests.harness import mailbox, payloads, say, texts, wait_for


async def test_a_reopening_in_words_reaches_the_officer_as_one_message_with_a_reply_button(svc, http, clock):  # noqa: F811
    number = await done_and_rated(http, svc, clock, "pupr-t1", "warga-t1")
    clock.now += timedelta(days=2)
    words = "pak lubangnya muncul lagi setelah hujan semalam"
    await say(http, svc.url, "warga-t1", words)
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS

    async def reopened() -> list[dict]:
        return [i for i in await mailbox(svc.store, "webchat:pupr-t1") if "dibuka kembali" in i["text"]]
    (item,) = await wait_for(reopened)
    assert words in item["text"], item
    assert f"/balas {number}" in [b["payload"] for b in item.get("buttons") or []]
    await say(http, svc.url, "pupr-t1", "/bantuan")  # a turn later every push of the reopening has gone out
    heard = [i["text"] for i in await mailbox(svc.store, "webchat:pupr-t1")]
    assert sum(words in text for text in heard) == 1, heard  # one message, not the reopening and then the words
    assert not any("Tanggapan pelapor" in text for text in heard), heard


async def test_up_to_you_at_the_privacy_question_chooses_confidential_and_says_so(svc, http, clock):  # noqa: F811
    sender = "warga-t2"
    await say(http, svc.url, sender, "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, sender, "btn:yes")
    await say(http, svc.url, sender, "Desa Sooko RT 02 RW 01, depan balai desa")
    replies = await say(http, svc.url, sender, "lewati")
    assert "privacy:rahasia" in payloads(replies)
    replies = await say(http, svc.url, sender, "terserah pak")
    said = texts(replies)
    assert "kami pilihkan *Rahasia*" in said and "Identitas: Rahasia" in said, said
    assert "btn:send" in payloads(replies)
    number = TICKET.search(texts(await say(http, svc.url, sender, "kirim"))).group(0)
    assert (await svc.store.get_ticket(number)).privacy == "rahasia"


async def test_a_threat_to_go_viral_is_heard_with_the_complaint_not_sent_to_the_police(svc, http, clock):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-t3", "awas kalo ga dibenerin, saya viralin"))
    assert "Kepolisian" not in said and "110" not in said, said
    assert "mengerti Anda kecewa" in said and "ceritakan masalahnya" in said, said
    number = await file_complaint(http, svc.url, "warga-t4")
    clock.now += timedelta(days=3)
    said = texts(await say(http, svc.url, "warga-t4", "kalau 2 hari lagi belum dibenerin saya upload ke fb"))
    assert "Kepolisian" not in said and number in said and "Mohon maaf" in said, said


async def test_praise_the_model_does_not_know_is_thanked(svc, http, clock):  # noqa: F811
    number = await done_and_rated(http, svc, clock, "pupr-t5", "warga-t5")
    clock.now += timedelta(days=2)  # the rating's "any comment?" is long over
    said = texts(await say(http, svc.url, "warga-t5", "mantap pak"))
    assert said.startswith("Sama-sama"), said
    assert (await svc.store.get_ticket(number)).rating_comment is None


async def test_regent_only_at_the_photo_step_takes_the_complaint_to_the_regent(svc, http, clock):  # noqa: F811
    sender = "warga-t6"
    await say(http, svc.url, sender, "jalan di desa Sooko rusak parah banyak lubang sudah tiga bulan")
    await say(http, svc.url, sender, "btn:yes")
    replies = await say(http, svc.url, sender, "depan balai desa Sooko")
    assert "btn:skip" in payloads(replies)  # the photo is asked
    said = texts(await say(http, svc.url, sender, "bupati aja pokoknya"))
    assert "jalan di desa Sooko rusak parah" in said and ("Bupati" in said or "bupati" in said), said
    conversation = await svc.store.get_conversation(f"webchat:{sender}")
    assert (conversation.state or {}).get("flow") != "complaint", conversation.state


async def test_a_complaint_in_triage_shows_when_its_office_will_be_chosen(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-t7")
    ticket = await svc.store.get_ticket(number)
    said = texts(await say(http, svc.url, "warga-t7", f"/status {number}"))
    assert "Batas waktu:" in said, said
    ticket.status, ticket.opd_id = STATUS_TRIAGE, None
    await svc.store.commit(Changes(tickets=[ticket]))
    said = texts(await say(http, svc.url, "warga-t7", f"/status {number}"))
    assert "Dinas penanganan ditentukan paling lambat:" in said and "Batas waktu:" not in said, said


async def test_a_second_reply_to_the_officer_beside_a_draft_reminds_of_it_briefly(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-t8")
    number = await file_complaint(http, svc.url, "warga-t8")
    await say(http, svc.url, "warga-t8", "aduan baru")
    await say(http, svc.url, "warga-t8", "lampu penerangan jalan di depan rumah saya mati sudah seminggu")
    clock.now += timedelta(minutes=2)
    await say(http, svc.url, "pupr-t8", f"/balas {number} Terima kasih pak, minggu depan tim kami turun ke lokasi.")
    first = texts(await say(http, svc.url, "warga-t8", "terima kasih pak"))
    assert "Yang tadi belum terkirim" in first, first
    second = texts(await say(http, svc.url, "warga-t8", "ditunggu ya pak"))
    assert "Yang tadi belum terkirim" not in second and "tetap tersimpan" in second, second
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == ["terima kasih pak",
                                                                                     "ditunggu ya pak"]
    replies = await say(http, svc.url, "warga-t8", "lanjut")
    assert "lokasi" in texts(replies).lower(), texts(replies)


async def test_asking_for_a_number_to_call_gets_this_chat_the_regencys_contact_and_emergencies(svc, http, clock):  # noqa: F811
    for sender, question in (("warga-t9", "ada nomor telepon yg bisa dihubungi?"),
                             ("warga-t10", "call center pemkab berapa"), ("warga-t11", "what is your phone number?")):
        said = texts(await say(http, svc.url, sender, question))
        assert svc.runtime.services.directory.contact in said and "112" in said, (question, said)
    said = texts(await say(http, svc.url, "warga-t12", "nomor ambulans berapa"))  # a named service keeps its answer
    assert "Call center Pengaduan" not in said and "119" in said, said


async def test_asking_after_a_report_never_sent_says_it_is_a_draft_and_offers_it(svc, http, clock):  # noqa: F811
    for sender, gap in (("warga-t13", timedelta(days=4)), ("warga-t14", timedelta(minutes=20))):
        for message in ("jalan berlubang di desa sukorejo kec. gurah, udh 2 bulan", "iya", "iya", "lewati"):
            await say(http, svc.url, sender, message)
        clock.now += gap
        replies = await say(http, svc.url, sender, "pak laporan saya kemarin gmn? udh ditangani blm?")
        said = texts(replies)
        assert "belum menemukan aduan" not in said and "belum" in said and "identitas" in said, said
        assert "btn:resume" in payloads(replies), replies


async def test_a_ticket_number_with_check_or_without_its_prefix_shows_the_status(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-t15")
    short = number.split("-", 1)[1]  # "2612-0001"
    for message in (f"cek {number.replace('-', ' ').lower()}", f"no tiket sy {short}"):
        said = texts(await say(http, svc.url, "warga-t15", message))
        assert said.startswith(f"Status tiket *{number}*"), (message, said)
    assert await svc.store.ticket_events(number, "message_in") == []  # nothing went to the officer as an answer


async def test_the_list_of_ones_reports_asked_in_more_words(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-t16")
    for message in ("laporan saya apa aja ya? bisa liat daftarnya?", "laporan saya masih ada yg aktif gk?",
                    "can I see a list of all my reports?"):
        said = texts(await say(http, svc.url, "warga-t16", message))
        assert number in said and ("Aduan Anda:" in said or "Your complaints:" in said), (message, said)


async def test_asking_for_a_person_is_told_officers_answer_here_and_how_to_reach_them(svc, http, clock):  # noqa: F811
    for sender, message in (("warga-t17", "mau ngomong sama orang beneran"),
                            ("warga-t18", "I'd like to speak with a real person"),
                            ("warga-t19", "kula badhe matur kaliyan petugas langsung")):
        said = texts(await say(http, svc.url, sender, message))
        assert ("petugas dinas sungguhan" in said or "real officers" in said) and "(0321) 321 321" in said, said


async def test_is_this_the_right_place_is_answered_yes_here(svc, http, clock):  # noqa: F811
    for sender, message in (
            ("warga-t20", "hi, I'm an expat living in Sooko village. Is this the right place to report a problem?"),
            ("warga-t21", "Hi, I'm a foreigner living in Kediri, can I use this service?")):
        replies = await say(http, svc.url, sender, message)
        said = texts(replies)
        assert "right here" in said and "Police" not in said, said
        assert "/aduan" in payloads(replies)
        conversation = await svc.store.get_conversation(f"webchat:{sender}")
        assert not (conversation.state or {}).get("draft"), conversation.state


async def test_one_english_question_from_an_officer_does_not_switch_their_cards_to_english(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-t22")
    await say(http, svc.url, "pupr-t22", "how many complaints do I have?")
    number = await file_complaint(http, svc.url, "warga-t22")

    async def card() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, "webchat:pupr-t22") if number in i["text"]]
    cards = await wait_for(card)
    assert cards[0].startswith("📋 Aduan baru"), cards
    said = texts(await say(http, svc.url, "pupr-t22", "/bahasa en"))  # chosen, it holds
    assert "English" in said or "english" in said.lower(), said
    other = await file_complaint(http, svc.url, "warga-t23")

    async def english_card() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, "webchat:pupr-t22") if other in i["text"]]
    assert (await wait_for(english_card))[0].startswith("📋 New complaint"), await english_card()


async def test_of_two_officers_who_wrote_the_answer_goes_to_the_one_whose_question_it_takes_up(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-t24")
    await enrol(http, svc, "dishub-t24", opd="dishub")
    road = await file_complaint(http, svc.url, "warga-t24")
    light = await file_complaint(http, svc.url, "warga-t24", "lampu PJU depan balai desa Sooko mati udh seminggu")
    await say(http, svc.url, "pupr-t24", f"/balas {road} Mohon maaf, bisa dikirim patokan yang lebih jelas?")
    await say(http, svc.url, "dishub-t24", f"/balas {light} Lampu sudah kami jadwalkan perbaikan hari Senin.")
    words = "siap pak, patokannya sebelah warung bu sri, dekat jembatan kecil"
    said = texts(await say(http, svc.url, "warga-t24", words))
    assert road in said and "yang mana" not in said, said
    assert [e.text for e in await svc.store.ticket_events(road, "message_in")] == [words]
    assert await svc.store.ticket_events(light, "message_in") == []


async def test_withdrawing_names_the_complaint_in_words_and_takes_a_yes_please(svc, http, clock):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-t25", "sy mau cabut laporan saya"))
    assert "tidak ada yang perlu dibatalkan" in said, said  # nothing filed: no complaint started either
    conversation = await svc.store.get_conversation("webchat:warga-t25")
    assert not (conversation.state or {}).get("draft")
    road = await file_complaint(http, svc.url, "warga-t25")
    await file_complaint(http, svc.url, "warga-t25", "lampu PJU depan balai desa Sooko mati udh seminggu")
    said = texts(await say(http, svc.url, "warga-t25", "batalin aduan saya yg jalan aja"))
    assert road in said and "ditutup?" in said and "alasan" not in said, said  # the road one, no reason was given
    said = texts(await say(http, svc.url, "warga-t25", "yes please"))
    assert "sudah kami teruskan" in said and "alasan" not in said, said
    assert (await svc.store.get_ticket(road)).extra.get("withdraw_requested")


async def test_two_short_problems_in_one_message_offer_the_second_after_filing(svc, http, clock):  # noqa: F811
    sender = "warga-t26"
    await say(http, svc.url, sender,
              "jalan rusak dan lampu mati juga di jl. diponegoro desa tambakrejo kec. sumbergempol, dua2nya udh lama")
    for message in ("topic:aduan_jalan_rusak", "iya", "lewati", "publik"):
        await say(http, svc.url, sender, message)
    replies = await say(http, svc.url, sender, "kirim")
    said = texts(replies)
    assert "masalah lain: *Lampu penerangan jalan (PJU)*" in said and "btn:also" in payloads(replies), said


async def test_one_of_several_complaints_asked_after_by_its_topic_shows_its_status(svc, http, clock):  # noqa: F811
    await file_complaint(http, svc.url, "warga-t27")
    light = await file_complaint(http, svc.url, "warga-t27", "lampu PJU depan balai desa Sooko mati udh seminggu")
    await say(http, svc.url, "warga-t27", "makasih")
    said = texts(await say(http, svc.url, "warga-t27", "yg lampu gmn pak?"))
    assert said.startswith(f"Status tiket *{light}*"), said


async def test_questions_beside_a_draft_are_answered_not_taken_for_its_buttons(svc, http, clock):  # noqa: F811
    sender = "warga-t28"
    # (its question, "akta … telat 2 thn, kena denda gk?", is answered from the FAQ now: test_fourteenth_questions)
    said = texts(await say(http, svc.url, sender, "akta kelahiran anak sy sudah 2 bulan belum jadi, berkas lengkap"))
    assert "Apakah sudah benar?" in said, said
    said = texts(await say(http, svc.url, sender, "kok sy gk dapet bansos ya pak padahal tetangga yg mampu dapet"))
    assert "Lanjutkan aduan tadi" in said, said
    said = texts(await say(http, svc.url, sender, "bayar PBB bisa online gk?"))
    assert "PBB" in said and "Mohon pilih salah satu" not in said, said
    said = texts(await say(http, svc.url, sender, "jam buka disdukcapil sampai jam brp ya"))
    assert "Jam layanan" in said and "lokasinya" not in said.lower(), said
    conversation = await svc.store.get_conversation(f"webchat:{sender}")
    assert conversation.state.get("step") == "confirm_topic", conversation.state


async def test_an_english_question_about_the_privacy_choices_at_the_summary_is_answered(svc, http, clock):  # noqa: F811
    sender = "warga-t29"
    for message in ("the road in Sooko village is badly damaged with many holes", "yes", "Sooko village hall",
                    "skip", "privacy:publik"):
        replies = await say(http, svc.url, sender, message)
    assert "btn:send" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, sender, "what's the difference between anonymous and confidential?")
    said = texts(replies)
    assert "Please choose" not in said and "anonymous" in said.lower() and "btn:send" in payloads(replies), said


async def test_a_transfer_to_an_office_named_in_two_words_or_outside_the_regency_is_helped(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-t30")
    number = await file_complaint(http, svc.url, "warga-t30")
    replies = await say(http, svc.url, "pupr-t30", f"/alihkan {number} dinas kesehatn ini soal puskesmas")
    assert "dinas-kesehatan" in texts(replies) and any("dinas-kesehatan ini soal puskesmas" in p
                                                        for p in payloads(replies)), replies
    said = texts(await say(http, svc.url, "pupr-t30", f"/alihkan {number} bpjn itu jalan nasional"))
    assert "tidak dikenal" in said and f"/alihkan {number} triase" in said, said


async def test_the_regent_asked_for_an_instruction_and_offered_a_disposition_in_words(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-t31")
    await enrol(http, svc, "bupati-t31", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-t31")
    said = texts(await say(http, svc.url, "bupati-t31", f"/disposisi {number} pupr"))
    assert "Apa instruksi" in said and (await svc.store.get_ticket(number)).extra.get("disposition") is None, said
    said = texts(await say(http, svc.url, "bupati-t31", "segera ditangani, lapor ke saya besok"))
    disposition = (await svc.store.get_ticket(number)).extra.get("disposition")
    assert disposition and disposition["instruction"] == "segera ditangani, lapor ke saya besok", (said, disposition)
    assert disposition.get("report_by"), disposition  # "lapor ke saya besok" is his report-back time

    other = await file_complaint(http, svc.url, "warga-t32")
    replies = await say(http, svc.url, "bupati-t31",
                        f"piye iki {other} kok durung ditangani? tolong PUPR segera ditindaklanjuti yo")
    assert (await svc.store.get_ticket(other)).extra.get("disposition") is None  # offered, not sent unasked
    offer = next(p for p in payloads(replies) if p.startswith(f"/disposisi {other} dinas-pupr"))
    await say(http, svc.url, "bupati-t31", "ya")
    disposition = (await svc.store.get_ticket(other)).extra.get("disposition")
    assert disposition and "segera ditindaklanjuti" in disposition["instruction"], (offer, disposition)


async def test_a_place_only_the_resident_can_find_is_asked_again(svc, http, clock):  # noqa: F811
    sender = "warga-t33"
    await say(http, svc.url, sender, "lampu jalan mati sudah seminggu gelap sekali")
    replies = await say(http, svc.url, sender, "btn:yes")
    assert "lokasi" in texts(replies).lower(), texts(replies)
    for vague in ("di sini pak", "rumah sy"):
        said = texts(await say(http, svc.url, sender, vague))
        assert "lebih jelas" in said, (vague, said)
    conversation = await svc.store.get_conversation(f"webchat:{sender}")
    assert conversation.state.get("step") == "location" and not conversation.state["draft"].get("location")


async def test_asking_after_or_threatening_over_a_complaint_never_sent_says_it_is_not_sent(svc, http, clock):  # noqa: F811
    sender = "warga-t34"
    await say(http, svc.url, sender, "jalan di desa karangrejo kec. kalidawir udh ancur 2 tahun gk pernah dibenerin")
    said = texts(await say(http, svc.url, sender,
                           "woy gmn ini laporan sy gk ada yg respon, mau sy viralin di tiktok sama lapor gubernur ya"))
    assert "belum terkirim" in said and "Mohon maaf" in said, said
    conversation = await svc.store.get_conversation(f"webchat:{sender}")
    assert conversation.state.get("flow") == "complaint" and "karangrejo" in conversation.state["draft"]["text"]
    said = texts(await say(http, svc.url, sender, "status laporan saya gimana?"))
    assert "belum menemukan aduan" not in said and "belum terkirim" in said, said


async def test_up_to_you_or_send_it_at_the_topic_list_leaves_the_office_to_staff(svc, http, clock):  # noqa: F811
    for sender, words in (("warga-t35", "terserah"), ("warga-t36", "kirim aja")):
        replies = await say(http, svc.url, sender,
                            "ada masalah di kampung kami yang sudah lama tidak ada yang mengurus")
        if "topic:lainnya" not in payloads(replies):
            replies = await say(http, svc.url, sender, "ganti topik")
        assert "topic:lainnya" in payloads(replies), texts(replies)
        said = texts(await say(http, svc.url, sender, words))
        assert "lokasi" in said.lower() and "belum menemukan topik" not in said, (words, said)
        conversation = await svc.store.get_conversation(f"webchat:{sender}")
        assert conversation.state["draft"].get("routed_by") == "triage", conversation.state


async def test_the_regents_ok_and_javanese_summary_ask(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-t37", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-t37")
    said = texts(await say(http, svc.url, "bupati-t37", "ok"))
    assert said.startswith("Baik.") and "/disposisi" not in said, said  # not the whole help again
    said = texts(await say(http, svc.url, "bupati-t37", "rekap aduan dino iki piye?"))
    assert "Ringkasan aduan" in said, said


async def test_a_curse_outside_a_complaint_gets_a_calm_answer_not_a_topic(svc, http, clock):  # noqa: F811
    for sender, words in (("warga-t38", "tai lah"), ("warga-t39", "monyet kalian semua")):
        replies = await say(http, svc.url, sender, words)
        said = texts(replies)
        assert said.startswith("Mohon maaf bila Anda kecewa") and "/aduan" in payloads(replies), (words, said)
        conversation = await svc.store.get_conversation(f"webchat:{sender}")
        assert not (conversation.state or {}).get("draft"), conversation.state


async def test_writing_to_the_regent_in_the_middle_of_a_complaint_keeps_the_complaint(svc, http, clock):  # noqa: F811
    sender = "warga-t40"
    await say(http, svc.url, sender, "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, sender, "btn:yes")
    said = texts(await say(http, svc.url, sender, "/bupati"))
    assert "Bupati" in said, said
    await say(http, svc.url, sender, "pak bupati, tolong perhatikan jalan-jalan desa di kecamatan Sooko")
    replies = await say(http, svc.url, sender, "kirim")
    said = texts(replies)
    assert "belum terkirim" in said and "Jalan rusak" in said and "btn:resume" in payloads(replies), said
    replies = await say(http, svc.url, sender, "lanjut")
    assert "lokasi" in texts(replies).lower(), texts(replies)


async def test_a_lone_digit_answering_the_officers_number_question_is_no_rating(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-t41")
    number = await file_complaint(http, svc.url, "warga-t41")
    await say(http, svc.url, "pupr-t41", f"/balas {number} Maaf pak, lubangnya di RT berapa?")
    await say(http, svc.url, "pupr-t41", f"/selesai {number} Sudah ditambal")
    said = texts(await say(http, svc.url, "warga-t41", "3"))
    assert (await svc.store.get_ticket(number)).rating is None, said
    assert "3" in [e.text for e in await svc.store.ticket_events(number, "message_in")]


async def test_a_clarification_of_a_complaint_in_triage_reaches_the_operators(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "operator-t42", role="operator", opd=None)
    sender = "warga-t42"
    replies = await say(http, svc.url, sender, "ada masalah di kampung kami yang sudah lama tidak ada yang mengurus")
    if "topic:lainnya" not in payloads(replies):
        await say(http, svc.url, sender, "ganti topik")
    for message in ("topic:lainnya", "Desa Sooko", "lewati", "privacy:publik"):
        await say(http, svc.url, sender, message)
    number = TICKET.search(texts(await say(http, svc.url, sender, "kirim"))).group(0)
    assert (await svc.store.get_ticket(number)).status == STATUS_TRIAGE
    words = f"{number} maksud saya pak, ada tiang listrik miring mau roboh di depan sd sooko"
    said = texts(await say(http, svc.url, sender, words))
    assert "PLN 123" not in said, said
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [words]

    async def heard() -> bool:
        return any("tiang listrik miring" in i["text"] for i in await mailbox(svc.store, "webchat:operator-t42"))
    assert await wait_for(heard)


async def test_a_village_official_asks_after_one_residents_report_by_name(svc, http, clock):  # noqa: F811
    from tests.core.test_on_behalf_nophone import file_through

    official = "perangkat-t43"
    await enrol(http, svc, official, role="pendamping", opd=None)
    await enrol(http, svc, "dishub-t43", opd="dishub")
    await say(http, svc.url, official, "/wakili mbah Sarinah, Dusun Krajan")
    await say(http, svc.url, official, "/wakili_setuju")
    sarinah, _ = await file_through(http, svc, official, "jalan depan rumah mbah Sarinah di dusun Krajan rusak parah")
    await say(http, svc.url, official, "/wakili pak Darmo, Dusun Krajan")
    await say(http, svc.url, official, "/wakili_setuju")
    darmo, _ = await file_through(http, svc, official, "lampu jalan depan rumah pak Darmo mati sudah seminggu")
    await say(http, svc.url, "dishub-t43", f"/balas {darmo} Baik pak, lampu kami jadwalkan diganti Senin.")
    said = texts(await say(http, svc.url, official, "laporan mbah sarinah gimana pak?"))
    assert sarinah in said and "Sarinah" in said and darmo not in said, said
    assert await svc.store.ticket_events(darmo, "message_in") == []  # not passed to the street-light officer
