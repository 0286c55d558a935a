"""Turns from the twelfth look at the complaint steps (a trial of residents answering in their own words): words that
name no place are never kept as the place; everyday ways of dropping a draft drop it at every step; the privacy
question understands "dirahasiakan", "tanpa nama", "nomor 2" and "private please", and what the first message already
said is not asked again; "udah" after a photo goes on, in the conversation's language; a place corrected at the photo
step replaces the old one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.harness import make_settings, photo_jpeg, running_service, say, texts, upload

STREET_LIGHT = "lampu jalan mati semua udah seminggu"
ROAD_IN_SOOKO = "jalan di desa sooko kec sooko rusak parah banyak lubang"


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def state(svc, sender: str) -> dict[str, Any]:
    return (await svc.store.get_conversation(f"webchat:{sender}")).state


async def at_location(svc, http, sender: str, report: str = STREET_LIGHT) -> None:
    await say(http, svc.url, sender, report)
    replies = await say(http, svc.url, sender, "ya")
    assert (await state(svc, sender)).get("step") == "location", texts(replies)


async def at_step(svc, http, sender: str, step: str) -> None:
    """A road complaint in Desa Sooko, answered up to `step` (location, photo, privacy or confirm)."""
    await say(http, svc.url, sender, ROAD_IN_SOOKO)
    for answer, reached in (("ya", "location"), ("ya", "photo"), ("lewati", "privacy"), ("publik", "confirm")):
        if (await state(svc, sender)).get("step") == step:
            return
        await say(http, svc.url, sender, answer)
        assert (await state(svc, sender)).get("step") == reached
    assert (await state(svc, sender)).get("step") == step


@pytest.mark.parametrize("words", [
    "saya mau ngomong langsung sama pak bupati", "no foto", "ok makasih, lanjut yg tadi", "kok lama banget sih",
    "masih pak tapi pelan2",
])
async def test_words_that_name_no_place_are_not_kept_as_the_place(svc, http, words):
    await at_location(svc, http, "warga-tempat")
    replies = await say(http, svc.url, "warga-tempat", words)
    now = await state(svc, "warga-tempat")
    assert now.get("step") == "location" and not now["draft"].get("location"), texts(replies)
    assert "lokasi" in texts(replies).lower(), texts(replies)  # the place is asked again (or said to be needed)


async def test_the_regent_is_one_tap_away_and_no_photo_is_kept_for_the_photo_step(svc, http):
    await at_location(svc, http, "warga-bupati")
    replies = await say(http, svc.url, "warga-bupati", "saya mau ngomong langsung sama pak bupati")
    assert "/bupati" in [b["payload"] for r in replies for b in r.get("buttons") or ()], replies
    await say(http, svc.url, "warga-bupati", "no foto")
    replies = await say(http, svc.url, "warga-bupati", "depan masjid al ikhlas desa puri")
    assert "Tanpa foto" in texts(replies) and (await state(svc, "warga-bupati")).get("step") == "privacy"


async def test_thanks_after_an_answer_goes_on_with_the_question_and_a_place_is_still_taken(svc, http):
    await at_location(svc, http, "warga-lanjut", "lampu jalan di desa jabon kec jabon mati semua")
    replies = await say(http, svc.url, "warga-lanjut", "ok makasih, lanjut yg tadi")
    assert "desa jabon" in texts(replies) and "Itu belum berupa lokasi" not in texts(replies), texts(replies)
    await say(http, svc.url, "warga-lanjut", "depan pasar jabon")
    assert (await state(svc, "warga-lanjut"))["draft"]["location"]["name"] == "depan pasar jabon"


@pytest.mark.parametrize("step", ["location", "photo", "privacy", "confirm"])
@pytest.mark.parametrize("words", [
    "hapus aja laporannya", "udah gak usah pak", "ga jadi deh pak, udah dibersihin warga",
    "pak laporan saya batalin aja, udah nyala lagi ternyata", "never mind, I'll call the village head",
])
async def test_everyday_ways_of_dropping_a_draft_drop_it_at_every_step(svc, http, step, words):
    sender = f"warga-batal-{step}"
    await at_step(svc, http, sender, step)
    replies = await say(http, svc.url, sender, words)
    assert "dibatalkan" in texts(replies) or "cancelled" in texts(replies), texts(replies)
    assert not (await state(svc, sender)).get("flow")
    assert not await svc.store.recent_tickets(f"webchat:{sender}", 5)


async def test_a_dropped_draft_comes_back_as_it_was_and_gak_usah_at_the_photo_step_is_no_photo(svc, http):
    await at_step(svc, http, "warga-balik", "photo")
    await say(http, svc.url, "warga-balik", "hapus aja laporannya")
    replies = await say(http, svc.url, "warga-balik", "eh bentar, jadi deh")
    assert "kami lanjutkan" in texts(replies) and (await state(svc, "warga-balik")).get("step") == "photo"
    await say(http, svc.url, "warga-balik", "gak usah pak")  # no photo needed: the complaint goes on
    assert (await state(svc, "warga-balik")).get("step") == "privacy"


@pytest.mark.parametrize(("words", "privacy"), [
    ("kan tadi sudah saya bilang, dirahasiakan", "rahasia"), ("dirahasiakan", "rahasia"),
    ("tanpa nama aja", "anonim"), ("nomor 2", "anonim"), ("yg ketiga", "rahasia"), ("private please", "rahasia"),
    ("anonymous", "anonim"), ("publik aja", "publik"),
])
async def test_the_privacy_question_understands_words_and_places_in_the_list(svc, http, words, privacy):
    await at_step(svc, http, "warga-privasi", "privacy")
    replies = await say(http, svc.url, "warga-privasi", words)
    assert "Ringkasan aduan Anda" in texts(replies), texts(replies)  # in Indonesian still ("private please")
    now = await state(svc, "warga-privasi")
    assert now.get("step") == "confirm" and now["draft"]["privacy"] == privacy


async def test_what_the_first_message_said_about_photo_and_name_is_not_asked_again(svc, http):
    await say(http, svc.url, "warga-takut", "Selamat siang. Saya mau lapor jalan di Dusun Sumbersari Desa Pacet Kec "
              "Pacet depan masjid rusak parah, lubangnya banyak. Saya tidak punya foto. Tolong nama saya dirahasiakan "
              "ya pak, saya takut.")
    await say(http, svc.url, "warga-takut", "iya bener")
    replies = await say(http, svc.url, "warga-takut", "iya bener")  # the place the report names
    assert "Ada foto" not in texts(replies) and "Bagaimana identitas" not in texts(replies), texts(replies)
    assert "Identitas: Rahasia" in texts(replies) and "Rahasia*, seperti yang Anda minta" in texts(replies)
    await say(http, svc.url, "warga-takut", "kirim")
    [ticket] = await svc.store.recent_tickets("webchat:warga-takut", 5)
    assert ticket.privacy == "rahasia" and not ticket.media


@pytest.mark.parametrize("words", ["udah", "sudah pak", "done"])
async def test_after_a_photo_udah_and_done_go_on_in_the_conversations_language(svc, http, words):
    await at_step(svc, http, "warga-foto", "photo")
    await upload(http, svc.url, "warga-foto", photo_jpeg())
    replies = await say(http, svc.url, "warga-foto", words)
    assert "Bagaimana identitas Anda ditangani?" in texts(replies), texts(replies)
    assert (await state(svc, "warga-foto")).get("step") == "privacy"


@pytest.mark.parametrize("words", [
    "eh salah, bukan desa puri tp desa sooko", "maaf pak bukan di puri, di desa sooko",
    "eh lokasinya di desa sooko ding, bukan puri",
])
async def test_a_place_corrected_at_the_photo_step_replaces_the_old_one(svc, http, words):
    await at_location(svc, http, "warga-ralat")
    await say(http, svc.url, "warga-ralat", "depan masjid al ikhlas dusun krajan desa puri")
    replies = await say(http, svc.url, "warga-ralat", words)
    assert "lokasinya kami ubah menjadi: desa sooko." in texts(replies), texts(replies)
    now = await state(svc, "warga-ralat")
    assert now.get("step") == "photo" and now["draft"]["location"] == {"address": "desa sooko"}


async def test_a_photo_step_message_that_turns_down_no_given_place_changes_nothing(svc, http):
    await at_location(svc, http, "warga-foto-jalan")
    await say(http, svc.url, "warga-foto-jalan", "depan masjid al ikhlas dusun krajan desa puri")
    await say(http, svc.url, "warga-foto-jalan", "fotonya jalan di desa sooko, bukan jalan kabupaten")
    location = (await state(svc, "warga-foto-jalan"))["draft"]["location"]
    assert location == {"address": "depan masjid al ikhlas dusun krajan desa puri"}
