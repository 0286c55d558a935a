"""Turns residents and officers took when the service was tried as they use it (a session of exploratory
chat on the service's defaults), each through the real REST endpoint: typed answers where buttons were
expected, a ticket number retyped with spaces, a rating in words, a place "already given", an officer typing
outside a command.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_conversations import done_by_officer, officer_texts, tickets_of
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, unmarked, wait_for

LETTER = "Yth. Bapak Bupati, kami warga Desa Sooko memohon perbaikan jembatan penghubung dusun yang sudah retak"


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def regent_tickets(svc, sender: str) -> list:
    return [t for t in await tickets_of(svc, sender) if t.kind == "bupati"]


# --- the message to the regent ----------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["ya kirim saja", "yes please send it", "iya pak silakan dikirim", "kirim sekarang"])
async def test_a_typed_yes_sends_the_letter_to_the_regent_unchanged(svc, http, typed):
    await say(http, svc.url, "gita", "/bupati")
    replies = await say(http, svc.url, "gita", LETTER)
    assert "btn:send" in payloads(replies)
    await say(http, svc.url, "gita", typed)
    sent = await regent_tickets(svc, "gita")
    assert [t.text for t in sent] == [LETTER]


async def test_thanks_or_a_bare_no_at_the_regent_confirmation_keeps_the_letter(svc, http):
    await say(http, svc.url, "gita2", "/bupati")
    await say(http, svc.url, "gita2", LETTER)
    for typed in ("terima kasih banyak", "tidak", "hmm"):
        replies = await say(http, svc.url, "gita2", typed)
        assert LETTER in texts(replies) and "btn:send" in payloads(replies), (typed, texts(replies))
    assert await regent_tickets(svc, "gita2") == []
    await say(http, svc.url, "gita2", "btn:send")
    assert [t.text for t in await regent_tickets(svc, "gita2")] == [LETTER]


@pytest.mark.parametrize("typed", ["ok tunggu dulu", "iya sebentar", "boleh saya ganti", "betul tapi kurang lengkap"])
async def test_a_wait_at_the_regent_confirmation_sends_nothing(svc, http, typed):
    await say(http, svc.url, "gita4", "/bupati")
    await say(http, svc.url, "gita4", LETTER)
    await say(http, svc.url, "gita4", typed)
    assert await regent_tickets(svc, "gita4") == []


async def test_thanks_is_not_taken_as_the_message_to_the_regent(svc, http):
    await say(http, svc.url, "gita3", "/bupati")
    replies = await say(http, svc.url, "gita3", "terima kasih banyak")
    assert "btn:send" not in payloads(replies) and "satu atau dua kalimat" in texts(replies)


# --- status in the resident's words ---------------------------------------------------------------
async def test_a_ticket_number_retyped_with_spaces_or_run_together_shows_its_status(svc, http):
    number = await file_complaint(http, svc.url, "ina")
    prefix, period, seq = number.split("-")
    for typed in (f"cek status {prefix} {period} {seq}", f"{prefix}{period}{seq}", f"{prefix.lower()}.{period}.{seq}"):
        replies = await say(http, svc.url, "ina", typed)
        assert "Status tiket" in texts(replies) and number in texts(replies), (typed, texts(replies))
    assert len(await tickets_of(svc, "ina")) == 1


async def test_asking_for_the_status_while_an_officer_waits_is_answered_not_forwarded(svc, http):
    await enrol(http, svc, "pupr-st")
    number = await file_complaint(http, svc.url, "andi")
    await say(http, svc.url, "pupr-st", f"/balas {number} Mohon info RT berapa?")
    prefix, period, seq = number.split("-")
    for typed in (f"status tiket {prefix.lower()} {period} {seq}", "what is the status of my complaint?",
                  "aduan saya sudah sampai mana ya"):
        replies = await say(http, svc.url, "andi", typed)
        assert number in texts(replies) and "diteruskan ke petugas" not in texts(replies), (typed, texts(replies))
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == []
    replies = await say(http, svc.url, "andi", "rt 02 pak, lubangnya dalam")  # the real answer still goes
    assert number in texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == ["rt 02 pak, lubangnya dalam"]


# --- "Sudah beres?" and the rating in words ---------------------------------------------------------
async def test_fixed_in_own_words_asks_for_a_rating_and_a_rating_in_words_keeps_its_comment(svc, http):
    number = await done_by_officer(http, svc, "pupr-rt", "budi")
    replies = await say(http, svc.url, "budi", "alhamdulillah sudah pak, terima kasih banyak")
    assert f"nilai:{number}:5" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "budi", "bintang 4 deh, agak lama tapi oke")
    assert "4/5" in texts(replies)
    ticket = await svc.store.get_ticket(number)
    assert ticket.rating == 4 and ticket.rating_comment == "bintang 4 deh, agak lama tapi oke"
    assert len(await tickets_of(svc, "budi")) == 1  # no new complaint was started

    async def officer_told():
        return any("agak lama tapi oke" in t for t in await officer_texts(svc, "webchat:pupr-rt"))

    await wait_for(officer_told)


async def test_a_number_in_an_answer_to_sudah_beres_is_no_rating(svc, http):
    number = await done_by_officer(http, svc, "pupr-rt3", "budi3")
    for typed in ("sudah 3 hari", "jam 3"):
        await say(http, svc.url, "budi3", typed)
        assert (await svc.store.get_ticket(number)).rating is None, typed
    replies = await say(http, svc.url, "budi3", "sudah tapi bocor lagi")  # not a plain yes: no rating asked
    assert f"nilai:{number}:5" not in payloads(replies)
    assert (await svc.store.get_ticket(number)).rating is None


async def test_words_that_hold_a_number_are_no_rating(svc, http):
    number = await done_by_officer(http, svc, "pupr-rt2", "budi2")
    await say(http, svc.url, "budi2", f"fixed:{number}:yes")
    replies = await say(http, svc.url, "budi2", "RT 3 masih banjir pak")
    assert "buka kembali" in texts(replies)
    assert (await svc.store.get_ticket(number)).rating is None


# --- the place and the photo ------------------------------------------------------------------------
async def start_to_location(http, svc, sender: str, text: str = "jalan di desa Sooko rusak parah banyak lubang"):
    await say(http, svc.url, sender, text)
    replies = await say(http, svc.url, sender, "btn:yes")
    assert "lokasi" in texts(replies).lower()


@pytest.mark.parametrize("typed", ["Ya, di Cileunyi", "iya Cikoneng", "di atas jembatan Citarum",
                                   "tidak tahu persisnya, sekitar Rancaekek", "bukan di sini, di Cileunyi"])
async def test_a_place_that_starts_with_an_answer_word_is_still_a_place(svc, http, typed):
    await start_to_location(http, svc, "lina3")
    replies = await say(http, svc.url, "lina3", typed)
    assert "btn:skip" in payloads(replies), (typed, texts(replies))


@pytest.mark.parametrize("typed", ["lanjut", "eh salah, bukan itu", "yes", "oke", "tidak tahu"])
async def test_words_about_the_conversation_are_no_place(svc, http, typed):
    # a report that names no place (one that does is offered to confirm: see the next tests)
    await start_to_location(http, svc, "lina", "jalan di depan rumah saya rusak parah banyak lubang")
    replies = await say(http, svc.url, "lina", typed)
    said = texts(replies).lower()  # a bare "yes" may switch the reply to English
    assert "btn:skip" not in payloads(replies) and ("lokasi" in said or "place" in said), (typed, said)


async def test_a_place_already_in_the_description_is_taken_from_it(svc, http):
    await start_to_location(http, svc, "eko", "Jalan di Desa Sooko RT 03 RW 02 depan balai desa rusak parah")
    replies = await say(http, svc.url, "eko", "kan sudah saya sebutkan tadi")
    assert "uraian aduan" in texts(replies) and "btn:skip" in payloads(replies)


@pytest.mark.parametrize("typed", ["ya", "btn:yes", "nggih leres"])
async def test_a_place_named_in_the_report_is_offered_and_a_yes_takes_it(svc, http, typed):
    sender = f"eko-{typed.replace(' ', '-').replace(':', '')}"
    await say(http, svc.url, sender, "Yth. Bapak, saya warga Dusun Kedungrejo Desa Trowulan Kecamatan Trowulan. "
                                     "Jalan di depan SD Negeri Trowulan 1 rusak parah dan banyak lubang")
    replies = await say(http, svc.url, sender, "btn:yes")
    assert "Dusun Kedungrejo Desa Trowulan Kecamatan Trowulan" in texts(replies), texts(replies)
    assert "btn:yes" in payloads(replies)
    replies = await say(http, svc.url, sender, typed)
    assert "btn:skip" in payloads(replies), texts(replies)
    for message in ("lewati", "privacy:publik", "btn:send"):
        await say(http, svc.url, sender, message)
    [ticket] = await tickets_of(svc, sender)
    assert ticket.location["address"] == "Dusun Kedungrejo Desa Trowulan Kecamatan Trowulan"


async def test_a_fuller_place_typed_instead_of_the_offered_one_is_taken(svc, http):
    await start_to_location(http, svc, "eko5")  # "jalan di desa Sooko ...": Desa Sooko is offered
    replies = await say(http, svc.url, "eko5", "Ya, di Dusun Krajan RT 03, depan masjid")
    assert "btn:skip" in payloads(replies), texts(replies)
    for message in ("lewati", "privacy:publik", "btn:send"):
        await say(http, svc.url, "eko5", message)
    [ticket] = await tickets_of(svc, "eko5")
    assert ticket.location["address"] == "di Dusun Krajan RT 03, depan masjid"  # the "ya" is no part of the place


@pytest.mark.parametrize("typed", ["tidak ada foto", "gak punya fotonya", "belum sempat foto", "I don't have a photo"])
async def test_no_photo_in_words_moves_on(svc, http, typed):
    await start_to_location(http, svc, "dewi")
    await say(http, svc.url, "dewi", "Desa Sooko RT 02, depan masjid")
    replies = await say(http, svc.url, "dewi", typed)
    assert "privacy:publik" in payloads(replies), (typed, texts(replies))


async def test_typed_lanjutkan_after_a_greeting_resumes_at_the_same_step(svc, http):
    await start_to_location(http, svc, "lina2")
    await say(http, svc.url, "lina2", "Desa Sooko RT 02, depan masjid")
    replies = await say(http, svc.url, "lina2", "halo")
    assert "btn:resume" in payloads(replies)
    replies = await say(http, svc.url, "lina2", "lanjutkan")
    assert "btn:skip" in payloads(replies) and "privacy:publik" not in payloads(replies), texts(replies)


# --- officers -----------------------------------------------------------------------------------------
async def test_a_residents_answer_reaches_the_officer_with_a_reply_button(svc, http):
    await enrol(http, svc, "pupr-bt")
    number = await file_complaint(http, svc.url, "sri")
    await say(http, svc.url, "pupr-bt", f"/balas {number} Sejak kapan rusaknya, bu?")
    await say(http, svc.url, "sri", "sudah sebulan pak")

    async def answer():
        return [m for m in await mailbox(svc.store, "webchat:pupr-bt") if "sudah sebulan pak" in m["text"]]

    card = (await wait_for(answer))[-1]
    assert [b["payload"] for b in card["buttons"]] == [f"/balas {number}"]


async def test_an_officers_plain_words_are_not_taken_for_a_residents(svc, http):
    await enrol(http, svc, "dishub-1", opd="dishub")
    replies = await say(http, svc.url, "dishub-1", "siap bu, besok tim turun ke lokasi")
    body = texts(replies)
    assert "belum terkirim" in body and "/balas" in body and "/aduan" not in payloads(replies)
    assert await tickets_of(svc, "dishub-1") == []


async def test_an_answer_to_the_officer_typed_during_a_new_complaint_reaches_the_officer_and_keeps_the_draft(svc, http):
    await enrol(http, svc, "pupr-dr")
    number = await file_complaint(http, svc.url, "andi2")
    await say(http, svc.url, "pupr-dr", f"/balas {number} Rusaknya sepanjang berapa meter, pak?")
    replies = await say(http, svc.url, "andi2", "sampah menumpuk di pinggir sungai dekat pasar Sooko sudah seminggu")
    assert "btn:not_forward" in payloads(replies)  # "is this for the officer?"
    replies = await say(http, svc.url, "andi2", "btn:not_forward")
    assert "btn:yes" in payloads(replies)  # no: a new complaint, half written
    answer = "rt 02 pak, rusaknya kira2 50 meter, lubangnya dalam sekali dan sering ada motor jatuh"
    replies = await say(http, svc.url, "andi2", answer)
    assert number in texts(replies) and "btn:resume" in payloads(replies), texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [answer]
    replies = await say(http, svc.url, "andi2", "btn:resume")
    assert "btn:yes" in payloads(replies)  # the sampah draft is still there


# --- changing one's mind at the end -------------------------------------------------------------------
async def to_summary(http, svc, sender: str) -> None:
    await start_to_location(http, svc, sender)
    await say(http, svc.url, sender, "Desa Sooko RT 02, depan masjid")
    await say(http, svc.url, sender, "lewati")
    replies = await say(http, svc.url, sender, "privacy:publik")
    assert "btn:send" in payloads(replies) and "btn:change_place" in payloads(replies)


async def test_a_no_at_the_summary_asks_what_to_change_and_keeps_the_complaint(svc, http):
    await to_summary(http, svc, "sri2")
    replies = await say(http, svc.url, "sri2", "eh salah, bukan itu")
    assert "belum dikirim" in texts(replies)
    assert {"btn:change_topic", "btn:change_place", "btn:cancel"} <= set(payloads(replies))
    replies = await say(http, svc.url, "sri2", "btn:change_place")
    assert "lokasi" in texts(replies).lower()
    await say(http, svc.url, "sri2", "Desa Sooko RT 05, depan SDN 3")
    await say(http, svc.url, "sri2", "lewati")
    replies = await say(http, svc.url, "sri2", "privacy:publik")
    assert "SDN 3" in texts(replies)
    await say(http, svc.url, "sri2", "btn:send")
    [ticket] = await tickets_of(svc, "sri2")
    assert "SDN 3" in ticket.location["address"]


async def test_a_yes_that_mentions_the_place_sends_the_complaint(svc, http):
    await to_summary(http, svc, "eko3")
    replies = await say(http, svc.url, "eko3", "ya, lokasinya sudah benar")
    assert len(await tickets_of(svc, "eko3")) == 1, texts(replies)


async def test_the_place_corrected_in_words_at_the_summary_is_taken_or_asked_again(svc, http):
    await to_summary(http, svc, "eko2")
    replies = await say(http, svc.url, "eko2", "eh lokasinya salah, harusnya depan SDN 3")
    assert "depan SDN 3" in texts(replies) and "btn:send" in payloads(replies), texts(replies)  # the spot named,
    assert "Desa Sooko" in texts(replies) and "masjid" not in texts(replies), texts(replies)  # in the same village
    replies = await say(http, svc.url, "eko2", "eh lokasinya salah pak")
    assert "lokasi" in texts(replies).lower() and "btn:send" not in payloads(replies)  # none named: asked again


async def test_two_misses_at_the_topic_list_hand_the_choice_to_an_officer(svc, http):
    await say(http, svc.url, "john", "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, "john", "btn:change_topic")
    replies = await say(http, svc.url, "john", "hmm bingung saya")
    assert "belum menemukan topik" in texts(replies)
    replies = await say(http, svc.url, "john", "pokoknya itu deh")
    assert "memilihkan dinas" in texts(replies) and "lokasi" in texts(replies).lower()


def offered(replies: list[dict]) -> list[tuple[str, str]]:
    """(topic, button title) of the topics a list offers, in order ("Lainnya" and "Semua topik" left out)."""
    buttons = [(unmarked(b["payload"]), b["title"]) for r in replies for b in r.get("buttons") or ()]
    return [(p.removeprefix("topic:"), title) for p, title in buttons
            if p.startswith("topic:") and p != "topic:lainnya"]


@pytest.mark.parametrize(("typed", "place"), [("yang pertama", 0), ("nomor 2", 1), ("pilih yang kedua", 1),
                                              ("sing kapindho", 1)])
async def test_a_place_in_the_offered_list_typed_in_words_picks_that_topic(svc, http, typed, place):
    sender = f"nina-{typed.replace(' ', '-')}"
    await say(http, svc.url, sender, "jalan di desa Sooko rusak parah banyak lubang")
    listed = offered(await say(http, svc.url, sender, "btn:change_topic"))
    assert len(listed) >= 2
    replies = await say(http, svc.url, sender, typed)
    topic_name = listed[place][1].split(": ", 1)[-1]
    assert topic_name in texts(replies) and "belum menemukan" not in texts(replies), (typed, texts(replies))


VIOLENCE = "tolong, ibu di rumah sebelah sering dianiaya suaminya sampai lebam, anaknya juga ketakutan"


async def test_the_offered_agency_typed_by_its_short_name_is_taken_in_the_residents_language(svc, http):
    """A report of domestic violence goes to the protection service (DP2KBP3A / UPTD PPA); the model is not sure,
    so the likely OPDs are offered, and the resident types the agency's short name instead of pressing it."""
    listed = offered(await say(http, svc.url, "sari", VIOLENCE))
    assert listed[0][0] == "aduan_kekerasan_perempuan_anak", listed
    replies = await say(http, svc.url, "sari", "DP2KBP3A")
    assert "Baik, aduan Anda tentang *Kekerasan terhadap perempuan dan anak*" in texts(replies), texts(replies)
    assert "lokasi" in texts(replies).lower()


def test_a_code_or_an_acronym_with_digits_does_not_switch_the_language() -> None:
    from nlu.language import LanguageDetector

    detector = LanguageDetector()
    for text in ("DP2KBP3A", "RT03 RW05", "gas 3kg"):
        assert detector.detect(text, "id") == "id", text
    assert detector.detect("the first one", "id") == "en"


async def test_a_complaint_that_says_status_is_no_status_question(svc, http):
    replies = await say(http, svc.url, "rina", "Status BPJS saya tidak aktif padahal sudah bayar iuran tiap bulan")
    assert "Status tiket" not in texts(replies) and "nomor tiket" not in texts(replies), texts(replies)


async def test_a_long_answer_that_mentions_the_reports_progress_still_reaches_the_officer(svc, http):
    await enrol(http, svc, "pupr-pr")
    number = await file_complaint(http, svc.url, "andi3")
    await say(http, svc.url, "pupr-pr", f"/balas {number} Apakah lampunya masih mati, pak?")
    answer = "iya pak masih mati, bagaimana perkembangan laporan saya ini, sudah seminggu gelap sekali di depan masjid"
    replies = await say(http, svc.url, "andi3", answer)
    assert number in texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [answer]


def test_a_place_typed_in_words_is_read_as_its_number() -> None:
    from actions.complaint import _place_in_list

    for typed, place in (("yang pertama", "1"), ("the second one", "2"), ("nomor 3", "3"), ("sing kapindho", "2")):
        assert _place_in_list(typed) == place, typed
    for typed in ("one", "yang pertama dan kedua", "lampu jalan satu lagi"):  # no single place: left as typed
        assert _place_in_list(typed) == typed, typed


def test_a_resident_who_keeps_the_place_private_is_told_how_identity_is_protected() -> None:
    from actions.complaint import location_problem

    for typed in ("rahasia", "dirahasiakan saja pak", "jangan disebutkan ya", "tidak mau disebutkan",
                  "private please", "I would rather not say"):
        assert location_problem(typed) == "complaint_location_private", typed
    for place in ("Gang Rahasia RT 03, Desa Sooko", "Perum Griya Asri blok C"):
        assert location_problem(place) is None, place
