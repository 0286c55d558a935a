"""Turns from the sixteenth trial, over real HTTP: a correction that says what the report is not about ("no, I meant
the road, not the light", "bukan, maksud saya jalannya berlubang", "dudu, maksudku dalane bolong-bolong") takes the
topic it names, never the one it takes back; a thank-you alone after an officer's words reaches the officer and
tells the resident the ticket goes on (not "Jika ini aduan baru"); "nomor tiket saya berapa ya?" while an officer
waits is answered, not held for them; a greeting after the resident answered is not told the officer still waits;
"mau lapor … gimana caranya?" with the matter told starts that report; secrecy asked first is answered first; a
photo after the photo step is attached; "P" and "pak" alone are greeted; English "can you add that …" at the
summary adds; "did anyone fix the pothole yet?" is a status question; "aduan jalan saya sudah 12 hari belum ada
kabar, saya mau lapor ke bupati saja" shows the status and offers the message to the regent."""

from __future__ import annotations

from datetime import timedelta

import pytest

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, photo_jpeg, say, texts, upload, wait_for


@pytest.mark.parametrize(("first", "typed", "shown"), [
    ("the street light in front of the mosque has been off for a week",
     "no, I meant the road, not the light. the road is full of holes", "*Damaged road*"),
    ("lampu jalan depan masjid mati seminggu", "bukan, maksud saya jalannya berlubang banyak", "*Jalan rusak*"),
])
async def test_a_correction_takes_the_topic_it_names_not_the_one_it_takes_back(svc, http, first, typed,  # noqa: F811
                                                                              shown):
    said = texts(await say(http, svc.url, "fix1", first))
    assert "PJU" in said or "Street lights" in said, said
    said = texts(await say(http, svc.url, "fix1", typed))
    assert shown in said and "Dinas PUPR" in said and "Tetap" not in said, said


async def test_a_javanese_correction_is_read_as_one(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "fix2", "lampu dalan ngarep masjid mati seminggu"))
    assert "PJU" in said, said
    replies = await say(http, svc.url, "fix2", "dudu, maksudku dalane bolong-bolong")
    assert "Silakan pilih salah satu tombol" not in texts(replies), texts(replies)
    assert "topic:aduan_jalan_rusak" in [p.split("#")[0] for p in payloads(replies)], payloads(replies)


async def _officer_got(svc, officer: str, words: str) -> list | None:  # noqa: F811
    box = await mailbox(svc.store, f"webchat:{officer}")
    return box if any(words in texts([m]) for m in box) else None


async def _officer_wrote(svc, http, who: str, words: str) -> str:  # noqa: F811
    await enrol(http, svc, f"pupr-{who}", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, who)
    await say(http, svc.url, f"pupr-{who}", f"/balas {number} {words}")
    return number


@pytest.mark.parametrize("typed", ["oke makasih pak", "siap, terima kasih banyak bu 🙏", "matur nuwun nggih",
                                   "nggih matur nuwun pak, kula tengga", "alright, thank you sir"])
async def test_thanks_alone_after_an_officers_words_reaches_them_and_says_the_ticket_goes_on(svc, http,  # noqa: F811
                                                                                           typed):
    number = await _officer_wrote(svc, http, "tq1", "Baik pak, sudah kami jadwalkan ditambal hari Kamis.")
    said = texts(await say(http, svc.url, "tq1", typed))
    assert "masih kami tindak lanjuti" in said or "is still being followed up" in said, said
    assert "aduan baru" not in said and "new complaint" not in said, said
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [typed]
    assert await wait_for(lambda: _officer_got(svc, "pupr-tq1", typed))  # the officer sees their words were read
    said = texts(await say(http, svc.url, "tq1", "halo"))
    assert "masih ditindaklanjuti" in said or "still being followed up by" in said, said
    assert "menunggu jawaban" not in said and "waiting for your answer" not in said, said


async def test_thanks_with_an_answer_in_it_still_reaches_the_officer(svc, http):  # noqa: F811
    number = await _officer_wrote(svc, http, "tq2", "Pak, lubangnya tepatnya di depan rumah nomor berapa?")
    said = texts(await say(http, svc.url, "tq2", "makasih pak, depan rumah nomor 12"))
    assert "sudah kami teruskan" in said and "masih kami tindak lanjuti" not in said, said
    assert await wait_for(lambda: _officer_got(svc, "pupr-tq2", "nomor 12"))
    answers = [e.text for e in await svc.store.ticket_events(number, "message_in")]
    assert answers == ["makasih pak, depan rumah nomor 12"], answers


async def test_a_greeting_while_a_question_is_unanswered_reminds_who_waits(svc, http):  # noqa: F811
    await _officer_wrote(svc, http, "tq3", "Pak, lubangnya tepatnya di depan rumah nomor berapa?")
    said = texts(await say(http, svc.url, "tq3", "halo"))
    assert "menunggu jawaban Anda" in said, said


@pytest.mark.parametrize("typed", ["nomor tiket saya berapa ya?", "tiket saya nomor berapa pak",
                                   "what's my ticket number?"])
async def test_asking_ones_ticket_number_while_an_officer_waits_is_answered(svc, http, typed):  # noqa: F811
    number = await _officer_wrote(svc, http, "nr1", "Pak, lubangnya tepatnya di depan rumah nomor berapa?")
    replies = await say(http, svc.url, "nr1", typed)
    assert number in texts(replies) and "btn:forward" not in payloads(replies), texts(replies)
    assert not any(typed in (e.text or "") for e in await svc.store.ticket_events(number, "message_in"))


@pytest.mark.parametrize(("typed", "shown"), [
    ("kalau mau lapor ke dinas kesehatan soal puskesmas yang tutup siang gimana caranya?", "*Dinas Kesehatan*"),
    ("how can I report the broken bridge in sooko village?", "*Dinas PUPR*"),
])
async def test_asking_how_to_report_a_matter_told_in_the_question_starts_the_report(svc, http, typed,  # noqa: F811
                                                                                    shown):
    replies = await say(http, svc.url, "how1", typed)
    said = texts(replies)
    assert shown in said and "btn:yes" in [p.split("#")[0] for p in payloads(replies)], said
    assert not any(p.startswith("faq:") for p in payloads(replies)), payloads(replies)


async def test_asking_how_to_report_without_a_matter_is_told_the_way(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "how2", "mau lapor gimana caranya?")
    assert "/aduan" in payloads(replies) and "btn:yes" not in " ".join(payloads(replies)), texts(replies)


@pytest.mark.parametrize("typed", ["pak", "P", "permisi min", "punten"])
async def test_a_call_for_attention_is_greeted(svc, http, typed):  # noqa: F811
    replies = await say(http, svc.url, "call1", typed)
    assert "selamat datang" in texts(replies) and "belum memahami" not in texts(replies), texts(replies)


async def test_a_krama_question_after_what_was_reported_is_a_status_question(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "kr1")
    said = texts(await say(http, svc.url, "kr1", "sampun dipun dandosi dereng dalan ingkang kula laporaken?"))
    assert number in said and "Apakah sudah benar" not in said, said


async def test_asking_for_secrecy_before_the_matter_is_answered_then_the_report_asked(svc, http):  # noqa: F811
    asked = "pak saya mau lapor tapi takut ketahuan kepala desa, bisa dirahasiakan?"
    said = texts(await say(http, svc.url, "sec1", asked))
    assert "Anonim" in said and "Rahasia" in said and "ceritakan masalah" in said, said
    assert "Apakah sudah benar" not in said, said  # no topic guessed from a message that tells no matter
    said = texts(await say(http, svc.url, "sec1", "kepala desa minta uang 500 ribu buat tanda tangan surat keterangan"))
    assert "Apakah sudah benar" in said or "Kami belum yakin" in said, said


async def test_asking_for_secrecy_with_the_matter_told_starts_that_report(svc, http):  # noqa: F811
    asked = "saya mau lapor kades pungli bantuan beras, apakah nama saya bisa dirahasiakan?"
    replies = await say(http, svc.url, "sec2", asked)
    said = texts(replies)
    assert "Anonim" in said and "ceritakan masalah" not in said, said
    assert any(p.startswith(("topic:aduan_pungli", "topic:aduan_perangkat_desa", "btn:yes")) for p in payloads(replies))


async def _at_privacy(svc, http, who: str) -> None:  # noqa: F811
    await say(http, svc.url, who, "sampah di pinggir jalan raya desa sumber numpuk sudah seminggu")
    await say(http, svc.url, who, "iya")
    await say(http, svc.url, who, "depan sd negeri 2 sumber")
    replies = await say(http, svc.url, who, "gak ada foto")
    assert "privacy:publik" in [p.split("#")[0] for p in payloads(replies)], texts(replies)


async def test_a_photo_sent_at_the_identity_question_is_attached_not_lost(svc, http):  # noqa: F811
    await _at_privacy(svc, http, "late1")
    said = texts(await say(http, svc.url, "late1", "eh tunggu, saya ada fotonya, bentar saya foto dulu"))
    assert "silakan kirim fotonya" in said and "Silakan pilih salah satu tombol" not in said, said
    replies = await upload(http, svc.url, "late1", photo_jpeg())
    assert "Foto sudah kami lampirkan" in texts(replies), texts(replies)
    said = texts(await say(http, svc.url, "late1", "rahasia"))
    assert "Foto: 1" in said, said
    said = texts(await say(http, svc.url, "late1", "kirim"))
    number = said.split("*")[1] if "*" in said else ""
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and len(ticket.media) == 1, said


async def test_a_photo_sent_at_the_summary_is_attached_and_shown(svc, http):  # noqa: F811
    await _at_privacy(svc, http, "late2")
    said = texts(await say(http, svc.url, "late2", "publik"))
    assert "Foto: tidak ada" in said, said
    said = texts(await upload(http, svc.url, "late2", photo_jpeg()))
    assert "Foto sudah kami lampirkan" in said and "Foto: 1" in said, said


async def test_words_asked_to_be_added_at_the_summary_join_the_description(svc, http):  # noqa: F811
    await _at_privacy(svc, http, "add1")
    await say(http, svc.url, "add1", "anonymous please")
    said = texts(await say(http, svc.url, "add1", "wait, can you add that two people already got hurt last week?"))
    assert "two people already got hurt last week" in said and "cannot answer" not in said, said


@pytest.mark.parametrize("typed", ["hi I'm back, did anyone fix the pothole yet?", "has the road been repaired yet?"])
async def test_an_english_question_after_ones_report_is_a_status_question(svc, http, typed):  # noqa: F811
    number = await file_complaint(http, svc.url, "st1")
    said = texts(await say(http, svc.url, "st1", typed))
    assert number in said and "Is that right?" not in said and "Apakah sudah benar" not in said, said


async def test_a_krama_privacy_answer_is_understood(svc, http):  # noqa: F811
    await _at_privacy(svc, http, "kr2")
    said = texts(await say(http, svc.url, "kr2", "umum mawon"))
    assert "Identitas: Publik" in said, said


async def test_thanks_with_urging_reaches_the_officer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-urg", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "urg1")
    said = texts(await say(http, svc.url, "urg1", "ok thanks, please hurry, it's dangerous"))
    assert number in said, said
    assert await wait_for(lambda: _officer_got(svc, "pupr-urg", "please hurry"))


async def test_a_long_wait_taken_to_the_regent_shows_the_status_then_offers_the_message(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "dl1")
    clock.now += timedelta(days=12)
    typed = "selamat pagi pak, aduan jalan saya sudah 12 hari belum ada kabar, saya mau lapor ke bupati saja"
    replies = await say(http, svc.url, "dl1", typed)
    said = texts(replies)
    assert f"Status tiket *{number}*" in said and "Bupati" in said and f"Tentang aduan {number}" in said, said
    assert "Apakah sudah benar" not in said and "Kami belum yakin" not in said, said
    assert not [t for t in await svc.store.recent_tickets("webchat:dl1", 5) if t.kind == "bupati"]  # not unasked
    said = texts(await say(http, svc.url, "dl1", "kirim"))
    sent = [t for t in await svc.store.recent_tickets("webchat:dl1", 5) if t.kind == "bupati"]
    assert len(sent) == 1 and number in sent[0].text, said
    # then "batalkan aduan jalan" is about the road complaint, not the message to the regent
    said = texts(await say(http, svc.url, "dl1", "pak saya mau batalkan aduan jalan, sudah diperbaiki swadaya warga"))
    assert f"*{number}*" in said and sent[0].number not in said, said


async def test_a_long_wait_without_the_regent_shows_the_status_only(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "dl2")
    clock.now += timedelta(days=12)
    typed = "selamat siang, aduan jalan saya sudah hampir dua minggu belum ada kabar sama sekali dari dinas, gimana ini"
    said = texts(await say(http, svc.url, "dl2", typed))
    assert f"Status tiket *{number}*" in said and "akan dikirim kepada Bupati" not in said, said


async def test_an_acknowledgement_of_news_is_answered_as_such_but_one_to_a_question_is_its_answer(svc, http):  # noqa: F811
    news = "Mohon maaf pak, yang ditambal ternyata ruas utara. Besok tim ke lokasi."
    number = await _officer_wrote(svc, http, "ack1", news)
    said = texts(await say(http, svc.url, "ack1", "ok ditunggu pak"))
    assert "Kabar berikutnya" in said and "aduan baru" not in said, said
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == ["ok ditunggu pak"]
    assert await wait_for(lambda: _officer_got(svc, "pupr-ack1", "ok ditunggu pak"))
    await say(http, svc.url, "pupr-ack1", f"/balas {number} Apakah bapak ada di rumah besok pagi?")
    said = texts(await say(http, svc.url, "ack1", "ok pak"))
    assert "sudah kami teruskan" in said, said
    assert await wait_for(lambda: _officer_got(svc, "pupr-ack1", "ok pak"))


async def test_a_new_matter_not_handled_yet_is_a_new_report_even_with_one_open(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "dl3")
    said = texts(await say(http, svc.url, "dl3", "lampu jalan depan rumah saya sudah seminggu mati belum diperbaiki"))
    assert "PJU" in said and "Status tiket" not in said, said


@pytest.mark.parametrize(("typed", "office"), [("kalau jalan rusak lapornya ke mana ya pak?", "Dinas PUPR"),
                                              ("siapa yang menangani sampah?", "DLH")])
async def test_where_to_report_a_named_matter_names_its_office(svc, http, typed, office):  # noqa: F811
    replies = await say(http, svc.url, "wh1", typed)
    said = texts(replies)
    assert f"*{office}*" in said and "/aduan" in payloads(replies), said
    assert not any(p.startswith("/tanyakan") for p in payloads(replies)), payloads(replies)
