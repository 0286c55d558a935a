"""Turns from the eleventh look (a trial of residents coming back later and writing English): an answer to an
officer typed while a new complaint sat half written reaches the officer; an answer held with "pass this to the
officer?" goes along with the next message to the same officer; "aduan saya" works mid-draft; a place typed at the
topic list is not "another matter"; "ya" or "lewati" to "continue, or make it a new complaint?" is asked again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_flows import enrol, file_complaint
from tests.harness import make_settings, payloads, running_service, say, texts


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


def titles(replies: list[dict]) -> list[str]:
    return [b["title"] for r in replies for b in r.get("buttons") or ()]


async def incoming(svc, number: str) -> list[str]:
    return [e.text or "" for e in await svc.store.ticket_events(number, "message_in")]


async def half_written_street_light(svc, http, sender: str) -> None:
    """A second complaint, left at "… will go to Dishub. Is that right?"."""
    await say(http, svc.url, sender, "aduan baru")
    replies = await say(http, svc.url, sender, "lampu penerangan jalan di depan rumah saya mati sudah seminggu")
    assert "btn:yes" in payloads(replies) and "Dishub" in texts(replies), texts(replies)


async def test_the_answer_to_an_officer_typed_while_a_new_complaint_waits_goes_to_the_officer(svc, http):
    await enrol(http, svc, "pupr-ela")
    number = await file_complaint(http, svc.url, "warga-balik")
    await half_written_street_light(svc, http, "warga-balik")
    await say(http, svc.url, "pupr-ela", f"/balas {number} Lubangnya seberapa besar? Sebelah utara atau selatan?")
    answer = "maaf pak baru sempat balas. lubangnya sekitar 2 meter, di sebelah selatan musholla persis"
    replies = await say(http, svc.url, "warga-balik", answer)
    assert answer in await incoming(svc, number)  # the officer has it
    assert "ditambahkan" not in texts(replies) and "Lanjutkan" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-balik", "lanjut")  # the street-light draft goes on ("lanjut": yes)
    assert "lokasi" in texts(replies), texts(replies)
    assert (await svc.store.get_conversation("webchat:warga-balik")).state["draft"]["topic"] == "aduan_lampu_jalan"


async def test_words_for_the_draft_written_after_the_question_stay_with_the_draft(svc, http):
    await enrol(http, svc, "pupr-fia")
    number = await file_complaint(http, svc.url, "warga-lanjut")
    await say(http, svc.url, "pupr-fia", f"/balas {number} Lubangnya seberapa besar pak?")
    await say(http, svc.url, "warga-lanjut", "sekitar 2 meter pak, di depan musholla")  # the answer, no draft open
    await half_written_street_light(svc, http, "warga-lanjut")
    await say(http, svc.url, "warga-lanjut", "btn:yes")  # the resident goes on with the draft: its words are its own
    replies = await say(http, svc.url, "warga-lanjut", "depan rumah pak RT 02 dusun Krajan desa Sooko")
    assert "depan rumah pak RT 02 dusun Krajan desa Sooko" not in await incoming(svc, number)
    assert "foto" in texts(replies).lower(), texts(replies)


async def test_an_answer_held_a_moment_goes_along_with_the_next_message_to_the_same_officer(svc, http):
    await enrol(http, svc, "pupr-gita")
    number = await file_complaint(http, svc.url, "warga-tahan")
    await say(http, svc.url, "pupr-gita", f"/proses {number}")  # the officer acted; no question asked
    replies = await say(http, svc.url, "warga-tahan", "lubangnya makin lebar setiap hari")
    assert "btn:forward" in " ".join(payloads(replies)), replies  # "pass this message to the officer?"
    replies = await say(http, svc.url, "warga-tahan", "tolong segera diperbaiki pak")
    assert "tidak kami teruskan" not in texts(replies), texts(replies)
    assert await incoming(svc, number) == ["lubangnya makin lebar setiap hari\ntolong segera diperbaiki pak"]


async def test_an_english_answer_that_starts_with_sorry_reaches_the_officer_at_once(svc, http):
    await enrol(http, svc, "pupr-jaya")
    number = await file_complaint(http, svc.url, "warga-sorry")
    await say(http, svc.url, "pupr-jaya", f"/balas {number} Bisa kirim foto lubangnya dan patokan yang lebih jelas?")
    words = "Sorry I can't take a photo now, but the biggest hole is right at the school gate, about 1 meter wide"
    await say(http, svc.url, "warga-sorry", words)
    assert words in await incoming(svc, number)  # it read as the school's matter, and was held


async def test_a_held_message_the_next_one_does_not_take_along_is_said_to_be_dropped(svc, http):
    await enrol(http, svc, "pupr-hana")
    number = await file_complaint(http, svc.url, "warga-lepas")
    await say(http, svc.url, "pupr-hana", f"/balas {number} Bisa kirim foto lubangnya?")
    replies = await say(http, svc.url, "warga-lepas", "syarat bikin KTP baru apa saja pak?")
    assert "btn:forward" in " ".join(payloads(replies)), replies  # a question that may be for the bot: asked
    replies = await say(http, svc.url, "warga-lepas", "halo")
    assert "tidak kami teruskan" in texts(replies), texts(replies)
    assert replies[0]["text"].startswith("(Pesan Anda sebelumnya"), texts(replies)  # said first, as before
    assert not any("KTP" in t for t in await incoming(svc, number))


async def test_my_complaints_are_listed_in_the_middle_of_a_draft(svc, http):
    number = await file_complaint(http, svc.url, "warga-daftar")
    await half_written_street_light(svc, http, "warga-daftar")
    replies = await say(http, svc.url, "warga-daftar", "aduan saya")
    assert number in texts(replies) and "Lanjutkan" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-daftar", "lanjut")
    assert "lokasi" in texts(replies), texts(replies)  # the street-light draft goes on


async def test_a_place_typed_at_the_topic_step_is_the_place_not_another_matter(svc, http):
    replies = await say(http, svc.url, "warga-tempat",
                        "jalan di dusun Krajan desa Puri berlubang besar di tikungan dekat musholla, sudah 3 bulan")
    assert "topic:aduan_jalan_rusak" in payloads(replies) or "btn:yes" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "warga-tempat", "di tikungan dekat musholla Al Falah dusun Krajan")
    assert "masalah lain" not in texts(replies), texts(replies)


@pytest.mark.parametrize("typed", ["ya", "lewati"])
async def test_yes_or_skip_to_continue_or_new_complaint_is_asked_again(svc, http, typed):
    sender = f"warga-pilih-{typed}"
    await say(http, svc.url, sender, "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, sender, "sampah di pasar Kemlagi tidak diangkut dua minggu, baunya menyengat")
    assert "masalah lain" in texts(replies) and "📝 Jadikan aduan baru" in titles(replies), texts(replies)
    replies = await say(http, svc.url, sender, typed)
    assert "Mohon pilih salah satu" in texts(replies), texts(replies)
    assert "petugas kami akan memilihkan" not in texts(replies), texts(replies)
    replies = await say(http, svc.url, sender, "aduan baru")  # the message typed becomes the new complaint
    assert "DLH" in texts(replies) or "Lingkungan Hidup" in texts(replies), texts(replies)


# --- a second trial of the above -------------------------------------------------------------------------------
async def asked_with_a_draft_open(svc, http, officer: str, sender: str) -> str:
    await enrol(http, svc, officer)
    number = await file_complaint(http, svc.url, sender)
    await half_written_street_light(svc, http, sender)
    await say(http, svc.url, officer, f"/balas {number} Baik bu, lubangnya kira-kira seberapa besar?")
    return number


@pytest.mark.parametrize("words", ["iya bener itu pak", "iya betul lampu PJU"])
async def test_the_drafts_own_answers_after_an_officer_wrote_stay_with_the_draft(svc, http, words):
    sender = f"warga-draf-{len(words)}"
    number = await asked_with_a_draft_open(svc, http, f"pupr-{len(words)}", sender)
    replies = await say(http, svc.url, sender, words)
    assert words not in await incoming(svc, number)
    assert "lokasi" in texts(replies).lower(), texts(replies)  # the topic confirmed, the place asked


async def test_a_new_complaint_typed_after_an_officer_wrote_is_not_the_answer(svc, http):
    number = await asked_with_a_draft_open(svc, http, "pupr-baru", "warga-jembatan")
    words = "jembatan di dusun krajan ambrol pak tolong segera diperbaiki"
    await say(http, svc.url, "warga-jembatan", words)
    assert words not in await incoming(svc, number)


async def test_a_held_question_for_the_bot_does_not_go_along_with_the_answer(svc, http):
    await enrol(http, svc, "pupr-ira")
    number = await file_complaint(http, svc.url, "warga-ktp")
    await say(http, svc.url, "pupr-ira", f"/balas {number} Bisa kirim foto lubangnya?")
    replies = await say(http, svc.url, "warga-ktp", "syarat bikin KTP baru apa saja pak?")
    assert "btn:forward" in " ".join(payloads(replies)), replies
    replies = await say(http, svc.url, "warga-ktp", "lubangnya sekitar 1 meter pak")
    assert "tidak kami teruskan" in texts(replies), texts(replies)
    assert await incoming(svc, number) == ["lubangnya sekitar 1 meter pak"]


async def test_a_short_problem_typed_at_the_location_step_is_another_matter(svc, http):
    await say(http, svc.url, "warga-lokasi", "lampu penerangan jalan di depan rumah saya mati sudah seminggu")
    replies = await say(http, svc.url, "warga-lokasi", "btn:yes")
    assert "lokasi" in texts(replies).lower(), texts(replies)
    replies = await say(http, svc.url, "warga-lokasi", "sampah numpuk di pasar sooko")
    assert "masalah lain" in texts(replies), texts(replies)


@pytest.mark.parametrize("words", ["kirim besok aja", "send it tomorrow", "jangan dikirim dulu", "don't send yet",
                                   "wait"])
async def test_not_now_at_the_summary_sends_nothing_and_keeps_the_draft(svc, http, words):
    sender = f"warga-nanti-{len(words)}"
    await say(http, svc.url, sender, "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, sender, "btn:yes")
    await say(http, svc.url, sender, "Desa Sooko RT 02 RW 01, depan balai desa")
    await say(http, svc.url, sender, "lewati")
    replies = await say(http, svc.url, sender, "privacy:publik")
    assert "btn:send" in " ".join(payloads(replies)), texts(replies)  # the summary
    replies = await say(http, svc.url, sender, words)
    assert "belum kami kirim" in texts(replies) or "not been sent" in texts(replies), texts(replies)
    assert await svc.store.recent_tickets(f"webchat:{sender}", 5) == []
    replies = await say(http, svc.url, sender, "btn:send")
    assert "WRG-" in texts(replies), texts(replies)
