"""Turns from the seventeenth trial, over real HTTP: "pak tolong segera, kemarin ada yang jatuh" a minute after
filing is added to that complaint (it used to start a second, unsure complaint); other words that read as a
complaint within FOLLOW_UP_HOURS of filing are asked about (more of the same, or something else?), "satu lagi, …"
and another office's matter are not; "eh nggak jadi deh, nanti aja" sets the draft aside for a day and "pak saya mau
lanjut lapor yang tadi" hours later brings it back; /info shows each role its own buttons (the regent disposes, the
operator routes a ticket in triage; neither is offered the OPD's Proses and Selesai)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store.base import STATUS_TRIAGE

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for

ROAD = "jalan di desa Puri rusak parah banyak lubang"


async def _officer_heard(svc, officer: str, words: str) -> bool:  # noqa: F811
    return any(words in texts([m]) for m in await mailbox(svc.store, f"webchat:{officer}"))


@pytest.mark.parametrize("typed", ["pak tolong segera, kemarin ada yang jatuh",
                                   "lubangnya makin besar kena hujan semalam, sudah 2 motor jatuh",
                                   "please hurry, someone already fell there"])
async def test_urging_or_harm_right_after_filing_is_added_to_that_complaint(svc, http, typed):  # noqa: F811
    await enrol(http, svc, "pupr-f1", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-f1", ROAD)
    replies = await say(http, svc.url, "warga-f1", typed)
    said = texts(replies)
    assert number in said and "btn:yes" not in payloads(replies), said
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [typed]
    assert len(await svc.store.recent_tickets("webchat:warga-f1", 5)) == 1
    await wait_for(lambda: _officer_heard(svc, "pupr-f1", typed))


async def test_complaint_words_soon_after_filing_are_asked_about_and_yes_adds_them(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-f2", ROAD)
    words = "lubangnya makin besar kena hujan semalam"  # (the topic read is unsure: a complaint's list, before)
    replies = await say(http, svc.url, "warga-f2", words)
    assert number in texts(replies) and "Jalan rusak" in texts(replies), texts(replies)
    assert payloads(replies) == ["btn:forward", "btn:not_forward"], payloads(replies)
    said = texts(await say(http, svc.url, "warga-f2", "ya"))
    assert "tambahkan ke aduan" in said and number in said, said
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [words]


async def test_no_it_is_another_one_files_the_words_as_a_new_complaint(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-f3", ROAD)
    replies = await say(http, svc.url, "warga-f3", "lubangnya makin besar kena hujan semalam")
    assert "btn:forward" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "warga-f3", "bukan, itu lubang lain di jalan desa sebelah")
    assert "btn:yes" in payloads(replies) or any(p.startswith("topic:") for p in payloads(replies)), texts(replies)
    assert await svc.store.ticket_events(number, "message_in") == []


@pytest.mark.parametrize("typed", ["mau lapor jalan lain yang rusak di desa sebelah",
                                   "ada masalah lain pak, jalan di depan SD 2 juga berlubang besar"])
async def test_another_matter_said_so_is_a_new_complaint(svc, http, typed):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-f4", ROAD)
    replies = await say(http, svc.url, "warga-f4", typed)
    assert "btn:forward" not in payloads(replies), texts(replies)
    assert await svc.store.ticket_events(number, "message_in") == []


async def test_hours_later_complaint_words_are_a_new_complaint_again(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-f5", ROAD)
    clock.now += timedelta(hours=3)
    replies = await say(http, svc.url, "warga-f5", "lubangnya makin besar kena hujan semalam")
    assert "btn:forward" not in payloads(replies), texts(replies)
    assert await svc.store.ticket_events(number, "message_in") == []


async def test_a_draft_set_aside_for_later_comes_back_hours_later(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-f6", "jalan rusak di depan SD 2 puri, terus lampu jalannya juga mati semua")
    said = texts(await say(http, svc.url, "warga-f6", "eh nggak jadi deh, nanti aja"))
    assert "lanjut yang tadi" in said, said
    clock.now += timedelta(hours=5)
    said = texts(await say(http, svc.url, "warga-f6", "pak saya mau lanjut lapor yang tadi"))
    assert "kami lanjutkan" in said, said
    draft = (await svc.store.get_conversation("webchat:warga-f6")).state.get("draft") or {}
    assert "SD 2 puri" in str(draft.get("text")), draft


async def test_a_draft_is_not_kept_past_a_day(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-f7", "jalan rusak di depan SD 2 puri banyak lubang besar")
    await say(http, svc.url, "warga-f7", "batal")
    clock.now += timedelta(hours=30)
    said = texts(await say(http, svc.url, "warga-f7", "lanjut yang tadi"))
    assert "kami lanjutkan" not in said, said


async def test_info_shows_the_regent_disposition_not_the_offices_steps(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-f8", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-f8", ROAD)
    buttons = payloads(await say(http, svc.url, "bupati-f8", f"/info {number}"))
    assert buttons == [f"/balas {number}", f"/disposisi {number} dinas-pupr"], buttons
    said = texts(await say(http, svc.url, "bupati-f8", buttons[1]))
    assert "instruksi" in said.lower(), said


async def test_info_of_a_ticket_in_triage_offers_the_operator_its_likeliest_offices(svc, http):  # noqa: F811
    await enrol(http, svc, "op-f9", role="operator", opd=None)
    await enrol(http, svc, "pupr-f9", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-f9", ROAD)
    await say(http, svc.url, "op-f9", f"/alihkan {number} triase bukan kewenangan PUPR")
    assert (await svc.store.get_ticket(number)).status == STATUS_TRIAGE
    buttons = payloads(await say(http, svc.url, "op-f9", f"/info {number}"))
    assert buttons[0] == f"/balas {number}" and f"/rute {number} dinas-pupr" in buttons, buttons
    assert not any(p.startswith(("/proses", "/selesai")) for p in buttons), buttons
    await say(http, svc.url, "op-f9", f"/rute {number} dinas-pupr")
    assert (await svc.store.get_ticket(number)).opd_id == "dinas-pupr"
    # an OPD's officer still has its four
    buttons = payloads(await say(http, svc.url, "pupr-f9", f"/info {number}"))
    assert [b.split()[0] for b in buttons] == ["/balas", "/proses", "/selesai", "/alihkan"], buttons


async def test_two_problems_of_two_offices_are_recorded_one_at_a_time(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-f10",
                        "jalan rusak di depan SD 2 puri, terus lampu jalannya juga mati semua")
    said = texts(replies)
    assert "dua hal" in said and "Dinas PUPR" in said and "Dishub" in said, said
    topics = [p.split("#")[0] for p in payloads(replies) if p.startswith("topic:") and p != "topic:lainnya"]
    assert topics == ["topic:aduan_jalan_rusak", "topic:aduan_lampu_jalan"], payloads(replies)
    for typed in ("1", "depan SD 2 Puri", "lewati", "publik"):
        await say(http, svc.url, "warga-f10", typed)
    replies = await say(http, svc.url, "warga-f10", "kirim")
    assert "btn:also" in payloads(replies) and "Lampu penerangan jalan" in texts(replies), texts(replies)
    [ticket] = await svc.store.recent_tickets("webchat:warga-f10", 5)
    assert ticket.topic == "aduan_jalan_rusak" and ticket.opd_id == "dinas-pupr"


async def test_one_problem_told_in_two_parts_is_not_split(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-f11", "jalan di desa Puri rusak parah dan banyak lubang besar"))
    assert "dua hal" not in said, said


async def _finished(svc, http, who: str) -> str:  # noqa: F811
    await enrol(http, svc, f"pupr-{who}", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, who, ROAD)
    await say(http, svc.url, f"pupr-{who}", f"/selesai {number} Sudah ditambal")
    await wait_for(lambda: _officer_heard(svc, who, "Sudah beres?"))
    return number


@pytest.mark.parametrize("typed", ["kurang puas, cuma ditambal pakai tanah",
                                   "ditambal pakai tanah doang pak, 2 hari juga lubang lagi",
                                   "not happy with the repair, they only patched it with gravel"])
async def test_words_finding_the_work_wanting_ask_to_reopen_and_carry_the_words(svc, http, typed):  # noqa: F811
    number = await _finished(svc, http, "warga-p1")
    replies = await say(http, svc.url, "warga-p1", typed)
    assert "BPN" not in texts(replies) and number in texts(replies), texts(replies)
    assert payloads(replies) == [f"fixed:{number}:no", f"fixed:{number}:yes"], payloads(replies)
    await say(http, svc.url, "warga-p1", f"fixed:{number}:no")
    assert (await svc.store.get_ticket(number)).status not in ("selesai", "ditutup")
    assert [e.text for e in await svc.store.ticket_events(number, "reopened")] == [typed]


async def test_fixed_after_all_keeps_the_words_as_the_ratings_comment(svc, http):  # noqa: F811
    number = await _finished(svc, http, "warga-p2")
    words = "kurang puas, cuma ditambal pakai tanah"
    await say(http, svc.url, "warga-p2", words)
    await say(http, svc.url, "warga-p2", f"fixed:{number}:yes")
    await say(http, svc.url, "warga-p2", f"nilai:{number}:2")
    ticket = await svc.store.get_ticket(number)
    assert ticket.rating == 2 and words in [e.text for e in await svc.store.ticket_events(number, "rating")]


@pytest.mark.parametrize(("emoji", "fixed"), [("👍", True), ("👎", False)])
async def test_a_thumb_answers_is_it_fixed(svc, http, emoji, fixed):  # noqa: F811
    number = await _finished(svc, http, "warga-p3")
    said = texts(await say(http, svc.url, "warga-p3", emoji))
    if fixed:
        assert "penilaian" in said and (await svc.store.get_ticket(number)).status == "selesai", said
    else:
        assert (await svc.store.ticket_events(number, "reopened")) and "kembali" in said, said


@pytest.mark.parametrize(("typed", "lang", "said"), [
    ("english please", "en", "I will answer in English"),
    ("can you speak english?", "en", "I will answer in English"),
    ("bahasa indonesia saja", "id", "Bahasa Indonesia"),
    ("bisa pakai bahasa jawa?", None, "bahasa Jawa tetap kami pahami"),
    ("bahasa sunda tiasa?", None, "bahasa Sunda tetap kami pahami"),
])
async def test_asking_for_a_language_sets_it_and_is_never_passed_to_an_officer(svc, http, typed, lang,  # noqa: F811
                                                                             said):
    await enrol(http, svc, "pupr-l1", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-l1", ROAD)
    await say(http, svc.url, "pupr-l1", f"/balas {number} Lubangnya kira-kira selebar berapa meter pak?")
    if lang == "id":
        await say(http, svc.url, "warga-l1", "/bahasa en")
    answer = texts(await say(http, svc.url, "warga-l1", typed))
    assert said in answer, answer
    assert await svc.store.ticket_events(number, "message_in") == []
    conversation = await svc.store.get_conversation("webchat:warga-l1")
    assert conversation.lang == (lang or "id"), conversation.lang


async def test_asking_for_english_in_the_middle_of_a_complaint_asks_the_step_again_in_english(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-l2", ROAD)
    await say(http, svc.url, "warga-l2", "ya")
    said = texts(await say(http, svc.url, "warga-l2", "in english please"))
    assert "I will answer in English" in said and "Is it at *desa Puri*?" in said, said


@pytest.mark.parametrize("typed", ["ke jawa", "indonesia", "saya orang jawa"])
async def test_a_place_or_a_people_is_no_language_request(svc, http, typed):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-l3", typed))
    assert "menjawab dalam" not in said and "answer in" not in said, said


async def test_the_regent_asking_in_words_gets_the_days_figures_or_the_oldest_first(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-r1", role="regent", opd=None)
    road = await file_complaint(http, svc.url, "warga-r1", ROAD)
    rubbish = await file_complaint(http, svc.url, "warga-r1b", "sampah di TPS pasar legi menumpuk tidak diangkut")
    said = texts(await say(http, svc.url, "bupati-r1", "aduan hari ini apa saja?"))
    assert "Ringkasan aduan" in said and "belum terkirim" not in said, said
    replies = await say(http, svc.url, "bupati-r1", "yang paling lama belum ditangani yang mana?")
    said = texts(replies)
    assert "Antrian" in said and said.index(rubbish) < said.index(road), said  # DLH's deadline comes first


async def test_an_officers_words_to_the_regent_after_his_disposition_can_go_to_him(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-r2", role="regent", opd=None)
    await enrol(http, svc, "dlh-r2", opd="dlh")
    number = await file_complaint(http, svc.url, "warga-r2", "sampah di TPS pasar legi menumpuk tidak diangkut")
    await say(http, svc.url, "bupati-r2", f"/disposisi {number} dlh segera diangkut, laporkan ke saya besok")
    words = "siap pak bupati, hari ini kami angkut"
    replies = await say(http, svc.url, "dlh-r2", f"{number} {words}")
    report = f"/lapor_bupati {number} {words}"
    assert payloads(replies)[0] == report and f"/balas {number} {words}" in payloads(replies), payloads(replies)
    said = texts(await say(http, svc.url, "dlh-r2", report))
    assert "sudah dikirim ke Bupati" in said, said
    await wait_for(lambda: _officer_heard(svc, "bupati-r2", words))
    assert await svc.store.ticket_events(number, "message_out") == []  # the reporter is not sent it
    assert [e.text for e in await svc.store.ticket_events(number, "regent_report")] == [words]
    # words to the reporter, without the regent named, offer no report
    replies = await say(http, svc.url, "dlh-r2", f"{number} sudah kami angkut tadi pagi")
    assert not any(p.startswith("/lapor_bupati") for p in payloads(replies)), payloads(replies)


async def test_no_report_is_taken_on_a_ticket_the_regent_did_not_dispose_of(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-r3", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-r3", ROAD)
    said = texts(await say(http, svc.url, "pupr-r3", f"/lapor_bupati {number} sudah kami cek pak bupati"))
    assert "bukan disposisi" in said, said
    assert await svc.store.ticket_events(number, "regent_report") == []


@pytest.mark.parametrize("typed", ["apakah laporan saya bisa dilihat orang lain?", "can other people see my report?"])
async def test_who_sees_my_report_is_answered_not_passed_to_the_officer(svc, http, typed):  # noqa: F811
    await enrol(http, svc, "pupr-d1", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-d1", ROAD)
    await say(http, svc.url, "pupr-d1", f"/balas {number} Lubangnya kira-kira selebar berapa meter pak?")
    said = texts(await say(http, svc.url, "warga-d1", typed))
    assert "anonim" in said or "anonymous" in said, said
    assert await svc.store.ticket_events(number, "message_in") == []


async def test_asking_to_erase_ones_data_is_answered_and_passed_to_the_operators(svc, http):  # noqa: F811
    await enrol(http, svc, "op-d2", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-d2", ROAD)
    words = "saya mau hapus data saya dari sistem ini"
    said = texts(await say(http, svc.url, "warga-d2", words))
    assert "UU No. 27 Tahun 2022" in said and "operator" in said, said
    assert await svc.store.ticket_events(number, "message_in") == []
    await wait_for(lambda: _officer_heard(svc, "op-d2", words))
    assert number in texts(await mailbox(svc.store, "webchat:op-d2"))


async def test_an_offices_data_to_correct_is_its_complaint_not_an_erasure(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-d3",
                           "tolong hapus data KTP saya yang salah di dukcapil, nama saya salah ketik"))
    assert "UU No. 27" not in said and "Dispendukcapil" in said, said


async def test_english_waiting_words_get_the_status_and_escalation_the_regent_offer(svc, http, clock):  # noqa: F811
    for typed in ("hello, the drain in front of my house is blocked and water floods the street whenever it rains",
                  "yes", "Jalan Melati 5, Sooko", "skip", "privacy:anonim"):
        await say(http, svc.url, "warga-e1", typed)
    assert await svc.store.recent_tickets("webchat:warga-e1", 5) == []  # not sent yet: the summary waits
    said = texts(await say(http, svc.url, "warga-e1", "send"))
    [ticket] = await svc.store.recent_tickets("webchat:warga-e1", 5)
    assert ticket.number in said, said
    clock.now += timedelta(days=6)
    said = texts(await say(http, svc.url, "warga-e1", "hi, any news?"))
    assert ticket.number in said and "did not understand" not in said, said
    replies = await say(http, svc.url, "warga-e1", "this is taking too long, who can I escalate to?")
    said = texts(replies)
    assert ticket.number in said and "Bupati" in said and "btn:send" in payloads(replies), said


async def test_a_complaint_told_at_a_letters_village_question_is_filed_and_the_request_kept(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-s1", "saya butuh surat pengantar untuk bikin SKCK")
    replies = await say(http, svc.url, "warga-s1", "eh sebentar, jalan depan rumah saya juga rusak parah")
    said = texts(replies)
    assert "lanjut surat" in said and "*Jalan rusak*" in said and "btn:yes" in payloads(replies), said
    for typed in ("ya", "depan rumah, dusun krajan desa sooko", "lewati", "publik"):
        await say(http, svc.url, "warga-s1", typed)
    replies = await say(http, svc.url, "warga-s1", "kirim")
    assert "lanjut surat" in payloads(replies), payloads(replies)
    [ticket] = await svc.store.recent_tickets("webchat:warga-s1", 5)
    assert ticket.topic == "aduan_jalan_rusak"
    replies = await say(http, svc.url, "warga-s1", "lanjut surat")
    assert "desa:sooko" in payloads(replies) and "SKCK" in texts(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-s1", "desa:sooko"))
    assert "Nama lengkap" in said, said


async def test_an_unknown_village_is_still_told_the_villages_served(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-s2", "saya butuh surat pengantar untuk bikin SKCK")
    said = texts(await say(http, svc.url, "warga-s2", "desa kali mas kecamatan puri"))
    assert "belum melayani surat" in said, said


async def test_what_happens_next_at_the_place_question_is_answered_then_the_place_asked(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-w2", "hello, the drain in front of my house is blocked and water floods the street "
                                         "whenever it rains")
    await say(http, svc.url, "warga-w2", "yes")
    said = texts(await say(http, svc.url, "warga-w2", "wait, what happens after I send this?"))
    assert "Once the complaint is sent" in said and "Where is it?" in said and "not a place" not in said, said


async def test_a_thumb_to_an_officers_question_says_the_question_still_waits(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t1", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-t1", ROAD)
    question = "Lubangnya kira-kira selebar berapa meter pak?"
    await say(http, svc.url, "pupr-t1", f"/balas {number} {question}")
    said = texts(await say(http, svc.url, "warga-t1", "👍"))
    assert question in said and "Sama-sama" not in said, said
    await say(http, svc.url, "pupr-t1", f"/balas {number} Baik, besok kami tambal.")
    said = texts(await say(http, svc.url, "warga-t1", "👍"))
    assert "Sama-sama" in said, said  # news, not a question: a thank-you


@pytest.mark.parametrize("typed", ["ok", "oke deh", "siap pak"])
async def test_ok_after_the_ticket_number_is_acknowledged(svc, http, typed):  # noqa: F811
    await file_complaint(http, svc.url, "warga-k1", ROAD)
    said = texts(await say(http, svc.url, "warga-k1", typed))
    assert "Baik" in said and "belum memahami" not in said, said
