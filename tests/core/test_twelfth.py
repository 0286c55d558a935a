"""Questions residents ask before or after reporting, in Indonesian and English (the twelfth look): who handles
something and where to report it get the office and the way to report here; "kapan diperbaiki?" and "why is my report
not answered?" are status questions; English questions with a single function word are read as English."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nlu.normalise import normalise
from tests.core import test_eleventh_dialogue as eleventh
from tests.core.test_eighth_look import Clock
from tests.core.test_flows import TICKET, file_complaint
from tests.harness import make_settings, payloads, running_service, say, texts

svc = eleventh.svc  # the service on its defaults, one per test
titles = eleventh.titles


@pytest.mark.parametrize(("question", "office", "lang_word"), [
    ("who handles garbage collection?", "DLH", "handled by"),
    ("which office handles broken roads?", "Dinas PUPR", "handled by"),
    ("siapa yang menangani lampu jalan mati?", "Dishub", "ditangani"),
    ("dinas apa yang ngurus sampah?", "DLH", "ditangani"),
])
async def test_who_handles_a_matter_is_answered_with_its_office_not_filed(svc, http, question, office, lang_word):
    replies = await say(http, svc.url, "warga-tanya", question)
    assert office in texts(replies) and lang_word in texts(replies), texts(replies)
    assert "/aduan" in payloads(replies) and "btn:yes" not in payloads(replies)  # nothing was started for them
    conversation = await svc.store.get_conversation("webchat:warga-tanya")
    assert not (conversation.state or {}).get("draft")


@pytest.mark.parametrize("question", ["lapor kemana ya?", "where can I report?", "kemana saya harus lapor?"])
async def test_where_to_report_without_a_subject_says_here(svc, http, question):
    replies = await say(http, svc.url, "warga-mana", question)
    assert ("langsung di sini" in texts(replies) or "right here" in texts(replies)), texts(replies)
    assert payloads(replies)[:2] == ["/aduan", "/status"]


@pytest.mark.parametrize("question", ["kapan diperbaiki?", "why is my report not answered?",
                                      "when will it be fixed?", "why hasn't anyone replied to my complaint?"])
async def test_a_status_question_shows_the_residents_complaint(svc, http, question):
    number = await file_complaint(http, svc.url, "warga-tunggu")
    replies = await say(http, svc.url, "warga-tunggu", question)
    assert number in texts(replies), texts(replies)


async def test_a_status_question_from_a_chat_with_no_complaint_says_so_and_asks_for_the_number(svc, http):
    replies = await say(http, svc.url, "warga-baru", "kapan diperbaiki?")
    assert "belum menemukan aduan" in texts(replies) and "WRG-" in texts(replies), texts(replies)
    assert payloads(replies) == ["/aduan"]
    replies = await say(http, svc.url, "warga-baru", "/status")  # the command still just asks for the number
    assert texts(replies).startswith("Silakan kirim nomor tiket"), texts(replies)


async def test_asking_to_report_anonymously_in_english_gets_the_privacy_answer(svc, http):
    replies = await say(http, svc.url, "warga-anon", "can I complain anonymously?")
    assert "anonymous" in texts(replies) and "faq:" not in " ".join(payloads(replies)), texts(replies)


def test_english_questions_with_one_function_word_are_read_in_indonesian():
    assert normalise("who handles garbage collection?") == "siapa menangani sampah pengangkutan"
    assert normalise("can I complain anonymously?") == "bisa lapor anonim"
    assert normalise("why is my report not answered?") == "kenapa lapor tidak dijawab"
    # Indonesian with an English word or two stays as it was
    assert normalise("siapa yang menangani sampah") == "siapa yang menangani sampah"
    assert normalise("apa syarat bikin ktp") == "apa syarat membuat ktp"


async def test_a_bribe_at_a_school_is_a_bribe_not_a_school_facility(svc, http):
    for sender, message in (("warga-suap", "bribes at the school"), ("warga-sogok", "petugas kecamatan minta sogokan")):
        replies = await say(http, svc.url, sender, message)
        # routed there, or asked with it offered first
        first = texts(replies) if "btn:yes" in payloads(replies) else titles(replies)[0]
        assert "Inspektorat" in first or "pungutan" in first.lower() or "pungli" in first.lower(), (first, replies)


async def test_a_short_follow_up_question_is_about_the_answer_before_it(svc, http):
    sender = "warga-akta"
    first = await say(http, svc.url, sender, "syarat bikin akta kelahiran apa ya?")
    assert "akta kelahiran" in texts(first).lower()
    for follow_up in ("brp lama jadinya?", "bayar gk?", "kantornya dmn"):
        replies = await say(http, svc.url, sender, follow_up)
        assert "Akta kelahiran" in texts(replies) and texts(first) in texts(replies), (follow_up, texts(replies))
    replies = await say(http, svc.url, sender, "syarat bikin KTP?")  # a question of its own is answered as it is
    assert "KTP-el" in texts(replies) and "Akta" not in texts(replies), texts(replies)


async def test_a_follow_up_long_after_the_answer_is_read_on_its_own(tmp_path, nlu_model_path, http):
    clock = Clock()
    async with running_service(make_settings(tmp_path), clock=clock) as service:
        await say(http, service.url, "warga-lama", "syarat bikin akta kelahiran apa ya?")
        clock.now += timedelta(hours=3)
        replies = await say(http, service.url, "warga-lama", "bayar gk?")
        assert "Akta kelahiran" not in texts(replies), texts(replies)


async def test_how_to_report_says_it_is_done_here(svc, http):
    replies = await say(http, svc.url, "warga-cara", "gmn cara lapor?")
    assert "langsung di sini" in texts(replies) and payloads(replies)[0] == "/aduan", texts(replies)


async def test_a_smile_to_open_a_chat_is_greeted_and_dots_are_asked_for_words(svc, http):
    replies = await say(http, svc.url, "warga-senyum", "🙂")
    assert "Sama-sama" not in texts(replies) and "/aduan" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "warga-senyum", "👍")  # later, a thumbs-up is a thank-you
    assert "Sama-sama" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-titik", "...")
    assert "belum berisi kata-kata" in texts(replies) and "emoji" not in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-marah", "😡😡")
    assert "emoji" in texts(replies), texts(replies)


async def test_a_question_after_writing_to_the_regent_shows_that_message_and_more_words_are_added(svc, http):
    sender = "warga-bupati"
    await say(http, svc.url, sender, "/bupati")
    await say(http, svc.url, sender, "Pak bupati, tolong perhatikan jalan di desa kami yang rusak sudah 2 tahun")
    replies = await say(http, svc.url, sender, "oh iya, juga lampu jalannya mati semua")  # more, not a rewrite
    assert "sudah 2 tahun\noh iya, juga lampu jalannya mati semua" in texts(replies), texts(replies)
    replies = await say(http, svc.url, sender, "Pak bupati, tolong perhatikan jalan di desa kami yang rusak parah")
    assert "lampu" not in texts(replies) and "rusak parah" in texts(replies)  # written again: it replaces
    replies = await say(http, svc.url, sender, "btn:send")
    number = TICKET.search(texts(replies)).group(0)
    for question in ("kapan pak bupati bales?", "pak bupati sudah baca belum?"):
        replies = await say(http, svc.url, sender, question)
        assert number in texts(replies) and "Pesan ini akan dikirim" not in texts(replies), texts(replies)


async def test_how_long_after_filing_shows_the_deadline(svc, http):
    number = await file_complaint(http, svc.url, "warga-lama-proses")
    for question in ("berapa lama prosesnya?", "how long will it take?"):
        replies = await say(http, svc.url, "warga-lama-proses", question)
        assert number in texts(replies) and ("Batas waktu" in texts(replies) or "Deadline" in texts(replies)), \
            texts(replies)
    replies = await say(http, svc.url, "warga-lama-proses", "berapa lama proses bikin ktp?")  # the FAQ's question
    assert number not in texts(replies), texts(replies)


async def test_an_anonymous_complaint_holding_a_nik_is_pointed_out_before_it_is_sent(svc, http):
    sender = "warga-anonim"
    await say(http, svc.url, sender, "jalan di desa sooko rusak parah banyak lubang, NIK saya 3516014506650002")
    for message in ("btn:yes", "Desa Sooko RT 02", "lewati"):
        await say(http, svc.url, sender, message)
    replies = await say(http, svc.url, sender, "privacy:anonim")
    assert "memuat NIK atau nomor HP" in texts(replies) and "Kirim aduan ini?" in texts(replies), texts(replies)
    replies = await say(http, svc.url, sender, "isinya saya ganti: jalan di desa sooko rusak parah banyak lubang")
    assert "memuat NIK" not in texts(replies) and "3516014506650002" not in texts(replies), texts(replies)
    # a public complaint is not told: its reporter is named to the officers anyway
    await say(http, svc.url, "warga-publik", "jalan di desa sooko rusak parah, hubungi saya di 081234567890")
    for message in ("btn:yes", "Desa Sooko RT 02", "lewati"):
        await say(http, svc.url, "warga-publik", message)
    replies = await say(http, svc.url, "warga-publik", "privacy:publik")
    assert "memuat NIK" not in texts(replies) and "Kirim aduan ini?" in texts(replies), texts(replies)
