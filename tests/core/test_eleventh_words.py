"""Words from the eleventh look's user trial: English status questions without a number show the status (also while
an officer waits for an answer), everyday "send it" wording sends at the summary, words about a later step typed at
the topic list are not added to the description, a second "yes" at the list offers the top choice, Javanese at the
photo and privacy steps, staff notices in the staff member's language, a withdrawn complaint listed as withdrawn,
and a two-word district name in lower case kept whole."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from actions.complaint import place_in_text
from tests.core.test_eighth_look import clock, svc  # noqa: F401 - the service on a settable clock (Monday 09:00)
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_tenth_look import a_list_of_two
from tests.harness import mailbox, payloads, say, texts, wait_for

TICKET = re.compile(r"WRG-\d{4}-\d{4}")


async def to_summary(http, service, resident: str, english: bool = False) -> None:
    """A street-light complaint up to its summary."""
    steps = (["the street light on my street has been off for two weeks, it is very dark at night", "btn:yes",
              "Jl. Veteran RT 02 RW 05 Sooko village", "btn:skip", "privacy:publik"] if english else
             ["lampu jalan di depan rumah saya mati sudah dua minggu, gelap sekali", "btn:yes",
              "Jl. Veteran RT 02 RW 05 desa Sooko", "btn:skip", "privacy:publik"])
    for text in steps:
        replies = await say(http, service.url, resident, text)
    assert "btn:send" in payloads(replies), texts(replies)


async def file_english(http, service, resident: str) -> str:
    await to_summary(http, service, resident, english=True)
    replies = await say(http, service.url, resident, "btn:send")
    return TICKET.search(texts(replies)).group(0)  # type: ignore[union-attr]


def status_shown(replies: list[dict]) -> bool:
    said = texts(replies)
    return ("Ticket *WRG-" in said or "Status tiket *WRG-" in said) and "passed to the officer" not in said \
        and "kami teruskan ke petugas" not in said


# --- 1. status questions with no number ------------------------------------------------------------------------------
ENGLISH_STATUS = ["has anyone looked at my complaint yet?", "is there any news about my report?",
                  "how is my complaint going?", "what's happening with my report?", "did you receive my report?",
                  "any progress?", "when will my complaint be handled?"]


@pytest.mark.parametrize("question", ENGLISH_STATUS)
async def test_an_english_status_question_shows_the_status(svc, http, question):  # noqa: F811
    resident = f"en-status-{ENGLISH_STATUS.index(question)}"
    number = await file_english(http, svc, resident)
    replies = await say(http, svc.url, resident, question)
    assert status_shown(replies) and number in texts(replies), texts(replies)
    assert "btn:send" not in payloads(replies) and "Please describe" not in texts(replies), texts(replies)


@pytest.mark.parametrize("question", [*ENGLISH_STATUS, "udah sampai mana laporan saya pak?"])
async def test_a_status_question_while_an_officer_waits_is_not_the_answer(svc, http, question):  # noqa: F811
    resident = f"wait-status-{abs(hash(question)) % 10000}"
    english = question in ENGLISH_STATUS  # a street light in English, a road in Indonesian
    await enrol(http, svc, f"pupr-{resident}", opd="dishub" if english else "dinas-pupr")
    number = await (file_english(http, svc, resident) if english else file_complaint(http, svc.url, resident))
    await say(http, svc.url, f"pupr-{resident}", f"/balas {number} Baik, bisa dikirim fotonya?")
    replies = await say(http, svc.url, resident, question)
    assert status_shown(replies) and number in texts(replies), texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == []  # nothing went to the officer


# --- 2. "send it" at the summary -------------------------------------------------------------------------------------
SEND = ["send it", "submit", "please send", "go ahead", "looks good", "kirim aja", "kirim sekarang", "monggo dikirim",
        "nggih, kintunaken"]


@pytest.mark.parametrize("wording", SEND)
async def test_everyday_send_wording_sends_at_the_summary(svc, http, wording):  # noqa: F811
    resident = f"kirim-{SEND.index(wording)}"
    await to_summary(http, svc, resident, english=wording.isascii() and "kirim" not in wording
                     and "kintun" not in wording)
    replies = await say(http, svc.url, resident, wording)
    assert TICKET.search(texts(replies)), texts(replies)


NOT_SEND = ["jangan kirim", "don't send", "belum, jangan dikirim dulu", "don't send it yet", "jangan dikirim dulu pak"]


@pytest.mark.parametrize("wording", NOT_SEND)
async def test_a_refusal_to_send_never_sends(svc, http, wording):  # noqa: F811
    resident = f"jangan-kirim-{NOT_SEND.index(wording)}"
    await to_summary(http, svc, resident, english=wording.startswith("don"))
    replies = await say(http, svc.url, resident, wording)
    assert not TICKET.search(texts(replies)), texts(replies)
    assert await svc.store.recent_tickets(f"webchat:{resident}", 1) == []


# --- 3. words about a later step at the topic list -----------------------------------------------------------------
ENGLISH_LIST = "The road near Sooko village hall is getting worse every week"  # not sure enough: the list


async def english_list(http, service, resident: str) -> list[str]:
    replies = await say(http, service.url, resident, ENGLISH_LIST)
    listed = [p.removeprefix("topic:") for p in payloads(replies) if p.startswith("topic:") and p != "topic:lainnya"]
    assert len(listed) >= 2, texts(replies)
    return listed


async def test_no_photo_and_anonymous_at_the_topic_list_are_kept_for_their_steps(svc, http):  # noqa: F811
    resident = "en-later-steps"
    listed = await english_list(http, svc, resident)
    for text in ("I don't have a photo", "please keep my name anonymous", "looks good, send it"):
        replies = await say(http, svc.url, resident, text)
        said = texts(replies)
        assert "added that to your description" not in said, said
        assert [p.removeprefix("topic:") for p in payloads(replies) if p.startswith("topic:")][:1] == listed[:1], said
    replies = await say(http, svc.url, resident, "thanks!")
    assert "could not find that topic" not in texts(replies) and any(p.startswith("topic:") for p in payloads(replies))
    replies = await say(http, svc.url, resident, "1")
    replies = await say(http, svc.url, resident, "btn:yes")  # the place the report named
    said = texts(replies)  # no photo and anonymous were said already: straight to the summary
    assert "btn:send" in payloads(replies) and "Anonymous" in said, said
    replies = await say(http, svc.url, resident, "btn:send")
    number = TICKET.search(texts(replies)).group(0)  # type: ignore[union-attr]
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.privacy == "anonim" and ticket.text == ENGLISH_LIST, ticket


async def test_thanks_at_the_indonesian_topic_list_is_answered_and_the_list_shown(svc, http):  # noqa: F811
    listed = await a_list_of_two(http, svc, "warga-makasih-list")
    replies = await say(http, svc.url, "warga-makasih-list", "makasih ya")
    said = texts(replies)
    assert "belum menemukan topik" not in said and "ditambahkan" not in said, said
    assert [p.removeprefix("topic:") for p in payloads(replies) if p.startswith("topic:")][:len(listed)] == listed


# --- 4. a second "yes" at the list -----------------------------------------------------------------------------------
async def test_a_second_yes_at_the_list_offers_the_top_choice_not_triage(svc, http):  # noqa: F811
    listed = await a_list_of_two(http, svc, "warga-ya-ya")
    replies = await say(http, svc.url, "warga-ya-ya", "ya")
    assert "Yang mana yang paling sesuai" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-ya-ya", "ya")
    said = texts(replies)
    assert "memilihkan" not in said and "btn:yes" in payloads(replies), said
    ticket_topic = listed[0]
    assert "btn:change_topic" in payloads(replies), payloads(replies)
    replies = await say(http, svc.url, "warga-ya-ya", "ya")
    assert "lokasi" in texts(replies).lower(), texts(replies)
    replies = await say(http, svc.url, "warga-ya-ya", "Desa Sooko RT 02, depan balai desa")
    await say(http, svc.url, "warga-ya-ya", "lewati")
    await say(http, svc.url, "warga-ya-ya", "privacy:publik")
    replies = await say(http, svc.url, "warga-ya-ya", "btn:send")
    ticket = await svc.store.get_ticket(TICKET.search(texts(replies)).group(0))  # type: ignore[union-attr]
    assert ticket is not None and ticket.topic == ticket_topic and ticket.opd_id, ticket


# --- 5. Javanese at the photo and privacy steps -------------------------------------------------------------------
@pytest.mark.parametrize("no_photo", ["ra duwe foto", "ora ana foto", "mboten wonten foto"])
async def test_javanese_no_photo_skips_the_photo(svc, http, no_photo):  # noqa: F811
    resident = f"jawa-foto-{abs(hash(no_photo)) % 10000}"
    await say(http, svc.url, resident, "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, resident, "btn:yes")
    replies = await say(http, svc.url, resident, "Desa Sooko RT 02, depan balai desa")
    assert "btn:skip" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, resident, no_photo)
    assert "privacy:publik" in payloads(replies), texts(replies)


async def test_krama_keep_it_secret_then_send(svc, http):  # noqa: F811
    resident = "jawa-krama"
    await say(http, svc.url, resident, "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, resident, "btn:yes")
    await say(http, svc.url, resident, "Desa Sooko RT 02, depan balai desa")
    await say(http, svc.url, resident, "mboten wonten foto")
    replies = await say(http, svc.url, resident, "kula nyuwun dipun rahasiakaken")
    assert "btn:send" in payloads(replies) and "Rahasia" in texts(replies), texts(replies)
    replies = await say(http, svc.url, resident, "nggih, kintunaken")
    ticket = await svc.store.get_ticket(TICKET.search(texts(replies)).group(0))  # type: ignore[union-attr]
    assert ticket is not None and ticket.privacy == "rahasia"


# --- 6. staff texts in the staff member's language; English time in English -----------------------------------
async def test_an_english_reopen_reaches_the_officer_in_indonesian_with_a_reply_button(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-reopen", opd="dishub")
    number = await file_english(http, svc, "en-reopen")
    await say(http, svc.url, "pupr-reopen", f"/selesai {number} The lamp was replaced")
    clock.now += timedelta(hours=20)
    await say(http, svc.url, "en-reopen", "not fixed yet, the light still goes off every night")

    async def reopened() -> list[dict]:
        return [n for n in await mailbox(svc.store, "webchat:pupr-reopen") if "dibuka kembali" in n.get("text", "")]

    notices = await wait_for(reopened)  # one message: the reopening with the resident's words and a reply button
    assert "Batas waktu baru" in notices[0]["text"] and "still goes off every night" in notices[0]["text"], notices
    assert not re.search(r"Monday|Tuesday|Wednesday|Thursday|Friday|December|January", notices[0]["text"]), notices
    assert f"/balas {number}" in [b.get("payload") for b in notices[0].get("buttons", [])], notices


async def test_an_english_status_shows_the_time_the_english_way(svc, http):  # noqa: F811
    await file_english(http, svc, "en-time")
    replies = await say(http, svc.url, "en-time", "what is the status of my complaint?")
    said = texts(replies)
    assert "Filed:" in said and re.search(r"\d{2}:\d{2}", said) and not re.search(r"\d{4} \d{2}\.\d{2}", said), said


# --- 7. a withdrawn complaint in "aduan saya" --------------------------------------------------------------------
async def test_a_withdrawn_complaint_is_listed_as_closed_at_the_reporters_request(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-cabut")
    number = await file_complaint(http, svc.url, "warga-cabut")
    replies = await say(http, svc.url, "warga-cabut", "tolong laporan saya dibatalkan saja, sudah diperbaiki warga")
    assert "btn:withdraw_yes" in payloads(replies), texts(replies)
    await say(http, svc.url, "warga-cabut", "btn:withdraw_yes")
    await say(http, svc.url, "pupr-cabut", f"/selesai {number} -")
    replies = await say(http, svc.url, "warga-cabut", "aduan saya")
    said = texts(replies)
    assert number in said and "Ditutup atas permintaan Anda" in said and "Selesai" not in said, said


# --- 8. a two-word district name in lower case -------------------------------------------------------------------
@pytest.mark.parametrize(("text", "place"), [
    ("warga kampong ciputat kelurahan andir kecamatan bale endah selalu terkena banjir",
     "kelurahan andir kecamatan bale endah"),
    ("banjir di desa sukamaju kecamatan bale endah", "desa sukamaju kecamatan bale endah"),
    ("lampu jalan di desa sooko mati semua", "desa sooko"),
    ("sampah di desa sooko numpuk sudah seminggu", "desa sooko"),
    ("jalan di desa sooko jalannya berlubang", "desa sooko"),
    ("di desa sooko kemarin ada pohon tumbang", "desa sooko"),
])
def test_a_lower_case_two_word_name_after_an_area_word_is_kept(text, place):
    assert place_in_text(text) == place


async def test_a_two_word_district_is_offered_whole(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-bale-endah",
                        "jalan di kelurahan andir kecamatan bale endah rusak parah banyak lubang")
    replies = await say(http, svc.url, "warga-bale-endah", "btn:yes" if "btn:yes" in payloads(replies) else "1")
    assert "*kelurahan andir kecamatan bale endah*" in texts(replies), texts(replies)
