"""Questions to an office named as questions, over real HTTP: a follow-up the bot is unsure of is asked about as one
(not as a complaint), and is not lost when the office marks the question answered meanwhile; reopening and archiving
say "Pertanyaan"; an old "Tanyakan ke …" button says its offer is no longer valid."""

from __future__ import annotations

from datetime import timedelta

from tests.core.test_conversations import tickets_of

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for

BEDAH_RUMAH = "apakah ada program bedah rumah tahun ini?"
ANSWER = "Ada pak, pendaftaran lewat kantor desa bulan Januari."
# After the answer, a follow-up that also reads as another office's matter: the bot asks before passing it on.
UNSURE_FOLLOW_UP = "kalau jalan depan rumah rusak juga bisa diperbaiki?"


async def _said(svc, who: str, words: str) -> str:  # noqa: F811
    said = "\n".join(m.get("text", "") for m in await mailbox(svc.store, f"webchat:{who}"))
    return said if words in said else ""


async def _asked_and_answered(svc, http, officer: str, resident: str) -> str:  # noqa: F811
    """`resident` asks Disperkim a question and `officer` answers it; gives the question's number."""
    await enrol(http, svc, officer, opd="disperkim")
    await say(http, svc.url, resident, BEDAH_RUMAH)
    [number] = TICKET.findall(texts(await say(http, svc.url, resident, "/tanyakan disperkim")))
    await say(http, svc.url, officer, f"/balas {number} {ANSWER}")
    await wait_for(lambda: _said(svc, resident, "pendaftaran lewat kantor desa"))
    return number


async def test_a_follow_up_is_asked_about_as_a_question_and_batal_says_so(svc, http):  # noqa: F811
    number = await _asked_and_answered(svc, http, "perkim-f1", "wf1")
    replies = await say(http, svc.url, "wf1", UNSURE_FOLLOW_UP)
    said = texts(replies)
    assert f"lanjutan pertanyaan Anda *{number}*" in said and "aduan" not in said.lower(), said
    assert payloads(replies)[:2] == ["btn:forward", "btn:not_forward"], payloads(replies)
    said = texts(await say(http, svc.url, "wf1", "batal"))
    assert f"tidak kami teruskan sebagai lanjutan pertanyaan *{number}*" in said and "aduan" not in said, said


async def test_which_one_names_a_question_as_a_question(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-f11")
    complaint = await file_complaint(http, svc.url, "wf11")  # a road complaint open at the roads office
    number = await _asked_and_answered(svc, http, "perkim-f11", "wf11")
    replies = await say(http, svc.url, "wf11", UNSURE_FOLLOW_UP)  # reads as the roads office's
    said = texts(replies)
    assert f"pertanyaan Anda *{number}* kepada Disperkim" in said and f"aduan Anda *{complaint}*" in said, said
    assert f"aduan *{number}*" not in said and "untuk aduan yang mana" not in said, said
    titles = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert f"Untuk pertanyaan {number}" in titles and f"Untuk aduan {complaint}" in titles, titles
    said = texts(await say(http, svc.url, "wf11", "yang mana ya"))
    assert "untuk aduan" not in said and f"untuk *{number}*" in said, said
    said = texts(await say(http, svc.url, "wf11", "btn:forward"))
    assert any(e.kind == "message_in" and e.text == UNSURE_FOLLOW_UP for e in await svc.store.ticket_events(number))


async def test_a_follow_up_held_while_the_office_closes_the_question_reopens_it(svc, http):  # noqa: F811
    number = await _asked_and_answered(svc, http, "perkim-f2", "wf2")
    said = texts(await say(http, svc.url, "wf2", UNSURE_FOLLOW_UP))
    assert "Teruskan" in said or "teruskan" in said, said
    await say(http, svc.url, "perkim-f2", f"/selesai {number} Sudah dijawab.")
    await wait_for(lambda: _said(svc, "wf2", "ditandai sudah dijawab"))
    said = texts(await say(http, svc.url, "wf2", "btn:forward"))  # "Ya, teruskan" after the question was closed
    assert f"Pertanyaan *{number}* baru saja ditandai sudah dijawab" in said and "kami buka kembali" in said, said
    assert "tidak ditemukan" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "diproses", ticket.status
    assert any(e.kind == "reopened" and e.text == UNSURE_FOLLOW_UP for e in await svc.store.ticket_events(number))
    card = await wait_for(lambda: _said(svc, "perkim-f2", "dibuka kembali"))
    assert f"Pertanyaan *{number}* dibuka kembali oleh penanya" in card and UNSURE_FOLLOW_UP in card, card
    assert "masalahnya belum selesai" not in card, card


async def test_not_answered_while_a_follow_up_is_held_takes_the_follow_up_along(svc, http):  # noqa: F811
    number = await _asked_and_answered(svc, http, "perkim-f10", "wf10")
    await say(http, svc.url, "wf10", UNSURE_FOLLOW_UP)
    await say(http, svc.url, "perkim-f10", f"/selesai {number} Sudah dijawab.")
    await wait_for(lambda: _said(svc, "wf10", "ditandai sudah dijawab"))
    said = texts(await say(http, svc.url, "wf10", f"fixed:{number}:no"))  # "Belum terjawab", not "Ya, teruskan"
    assert f"Pertanyaan *{number}* kami buka kembali dan pesan Anda sudah diteruskan" in said, said
    assert "tidak kami teruskan" not in said, said  # the follow-up is not let go
    card = await wait_for(lambda: _said(svc, "perkim-f10", "dibuka kembali"))
    assert UNSURE_FOLLOW_UP in card, card


async def test_a_complaints_held_answer_still_reaches_its_officer_after_it_is_marked_done(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-f3")
    number = await file_complaint(http, svc.url, "wf3")
    await say(http, svc.url, "pupr-f3", f"/balas {number} Baik pak, kami cek besok.")
    await wait_for(lambda: _said(svc, "wf3", "kami cek besok"))
    said = texts(await say(http, svc.url, "wf3", "sampah di pasar juga menumpuk tidak diangkut seminggu"))
    assert "Teruskan pesan ini" in said and f"aduan *{number}*" in said, said  # a complaint keeps its wording
    await say(http, svc.url, "pupr-f3", f"/selesai {number} Sudah ditambal.")
    await wait_for(lambda: _said(svc, "wf3", "Sudah beres?"))
    said = texts(await say(http, svc.url, "wf3", "btn:forward"))
    assert "sudah kami teruskan ke petugas" in said and "apakah masalahnya sudah beres?" in said, said
    assert any(e.kind == "message_in" and "sampah di pasar" in (e.text or "")
               for e in await svc.store.ticket_events(number))


async def test_a_reopened_question_is_called_a_question(svc, http):  # noqa: F811
    number = await _asked_and_answered(svc, http, "perkim-f4", "wf4")
    await say(http, svc.url, "perkim-f4", f"/selesai {number} Sudah dijawab.")
    await wait_for(lambda: _said(svc, "wf4", "ditandai sudah dijawab"))
    said = texts(await say(http, svc.url, "wf4", f"fixed:{number}:no"))  # "Belum terjawab"
    assert f"Pertanyaan *{number}* kami buka kembali" in said and "Aduan" not in said, said
    card = await wait_for(lambda: _said(svc, "perkim-f4", "dibuka kembali"))
    assert f"Pertanyaan *{number}* dibuka kembali oleh penanya" in card, card
    await say(http, svc.url, "perkim-f4", f"/selesai {number} Sudah dijawab lagi.")
    await wait_for(lambda: _said(svc, "wf4", "Sudah dijawab lagi"))
    said = texts(await say(http, svc.url, "wf4", f"/buka {number} syaratnya apa saja?"))
    assert f"Pertanyaan *{number}* kami buka kembali dan pesan Anda sudah diteruskan" in said, said


async def test_a_reopened_complaint_is_still_called_a_complaint(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-f5")
    number = await file_complaint(http, svc.url, "wf5")
    await say(http, svc.url, "pupr-f5", f"/selesai {number} Sudah ditambal.")
    await wait_for(lambda: _said(svc, "wf5", "Sudah beres?"))
    said = texts(await say(http, svc.url, "wf5", f"fixed:{number}:no"))
    assert f"Aduan *{number}* kami buka kembali" in said, said


async def test_an_archived_question_is_called_a_question(svc, http):  # noqa: F811
    await enrol(http, svc, "op-f6", role="operator", opd=None)
    await say(http, svc.url, "wf6", BEDAH_RUMAH)
    [number] = TICKET.findall(texts(await say(http, svc.url, "wf6", "/tanyakan disperkim")))
    said = texts(await say(http, svc.url, "op-f6", f"/arsipkan {number} program itu dari kementerian"))
    assert f"Pertanyaan {number} diarsipkan" in said and "Aduan" not in said, said
    notice = await wait_for(lambda: _said(svc, "wf6", "arsipkan"))
    assert f"pertanyaan *{number}* kami tutup dan arsipkan" in notice and "aduan" not in notice.lower(), notice
    said = texts(await say(http, svc.url, "wf6", "lho kok ditutup, terus gimana pak?"))
    assert f"Pertanyaan *{number}* ditutup dan diarsipkan" in said and "Aduan" not in said, said
    said = texts(await say(http, svc.url, "wf6", f"/status {number}"))
    assert "Pertanyaan ini tidak dapat dijawab" in said and "Aduan" not in said, said


async def test_an_old_offer_button_says_the_offer_is_no_longer_valid(svc, http, clock):  # noqa: F811
    replies = await say(http, svc.url, "wf7", BEDAH_RUMAH)
    assert "/tanyakan lainnya" in payloads(replies), payloads(replies)
    [number] = TICKET.findall(texts(await say(http, svc.url, "wf7", "/tanyakan disperkim")))
    said = texts(await say(http, svc.url, "wf7", "/tanyakan lainnya"))  # the same offer's other button
    assert "tawaran ini sudah tidak berlaku" in said and f"*{number}*" in said, said
    assert "Tidak ada pertanyaan yang menunggu" not in said and len(await tickets_of(svc, "wf7")) == 1, said
    await say(http, svc.url, "wf8", BEDAH_RUMAH)
    clock.now += timedelta(hours=25)  # the offer lapses
    said = texts(await say(http, svc.url, "wf8", "/tanyakan disperkim"))
    assert "tawaran ini sudah tidak berlaku" in said and "tulis kembali pertanyaan Anda" in said, said
    assert await tickets_of(svc, "wf8") == []


async def test_an_old_offer_button_in_english(svc, http, clock):  # noqa: F811
    replies = await say(http, svc.url, "wf9", "I would like to ask, is there a house renovation programme this year?")
    assert "/tanyakan disperkim" in payloads(replies), (texts(replies), payloads(replies))
    clock.now += timedelta(hours=25)
    said = texts(await say(http, svc.url, "wf9", "/tanyakan disperkim"))
    assert "this offer is no longer valid" in said and "write your question again" in said, said


async def test_a_held_message_whose_ticket_was_archived_meanwhile_becomes_a_new_report(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-f9")
    await enrol(http, svc, "op-f9", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "wf9")
    await say(http, svc.url, "pupr-f9", f"/balas {number} Baik pak, kami cek besok.")
    await wait_for(lambda: _said(svc, "wf9", "kami cek besok"))
    said = texts(await say(http, svc.url, "wf9", "sampah di pasar juga menumpuk tidak diangkut seminggu"))
    assert "Teruskan pesan ini" in said, said
    await say(http, svc.url, "op-f9", f"/arsipkan {number} jalan milik provinsi")
    assert (await svc.store.get_ticket(number)).status == "diarsipkan"
    replies = await say(http, svc.url, "wf9", "btn:forward")
    said = texts(replies)
    assert "tidak ditemukan" not in said and "sudah berstatus *Diarsipkan" in said, said
    assert "*Sampah*" in said and "btn:yes" in " ".join(payloads(replies)), said  # its complaint steps start


async def test_the_regents_disposition_of_an_archived_question_names_it_a_question(svc, http):  # noqa: F811
    await enrol(http, svc, "op-f10", role="operator", opd=None)
    await enrol(http, svc, "bupati-f10", role="regent", opd=None)
    await say(http, svc.url, "wf10", BEDAH_RUMAH)
    [number] = TICKET.findall(texts(await say(http, svc.url, "wf10", "/tanyakan disperkim")))
    await say(http, svc.url, "op-f10", f"/arsipkan {number} program pemerintah pusat, bukan kewenangan kabupaten")
    said = texts(await say(http, svc.url, "bupati-f10", f"/disposisi {number} disperkim tolong dijawab"))
    assert f"Pertanyaan {number} tidak dapat didisposisikan" in said and "Aduan" not in said, said


async def test_words_on_a_question_are_passed_on_as_words_on_a_question(svc, http):  # noqa: F811
    number = await _asked_and_answered(svc, http, "perkim-f11", "wf11")
    said = texts(await say(http, svc.url, "wf11", "terus kalau syaratnya kurang bagaimana pak?"))
    assert f"pertanyaan {number}" in said and "aduan baru" not in said, said
