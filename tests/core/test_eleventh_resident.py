"""Turns from the eleventh look, residents filing through chat: a place typed at the topic list is a place, a
landmark said with "ya bener" is kept with the village, a housing estate keeps its whole name, and "yang mana"
gets the choices again without the whole paragraph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.core.test_tenth_look import a_list_of_two
from tests.harness import make_settings, payloads, running_service, say, texts

TICKET = re.compile(r"WRG-\d{4}-\d{4}")


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def finish(http, svc, resident: str) -> str:
    """From the photo step on: no photo, public, sent; the ticket number."""
    replies = await say(http, svc.url, resident, "lewati")
    assert "privacy:publik" in payloads(replies), texts(replies)
    await say(http, svc.url, resident, "privacy:publik")
    replies = await say(http, svc.url, resident, "btn:send")
    return TICKET.search(texts(replies)).group(0)  # type: ignore[union-attr]


async def place_of(svc, number: str) -> str:
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.location, ticket
    return " ".join(str(ticket.location.get(k) or "") for k in ("name", "address"))


async def test_a_place_typed_at_the_topic_list_is_kept_as_the_place_and_the_list_asked_again(svc, http):
    await a_list_of_two(http, svc, "warga-tempat-list")
    replies = await say(http, svc.url, "warga-tempat-list", "depan pasar kemlagi")
    said = texts(replies)
    assert "Harga dan pasar" not in said and "depan pasar kemlagi" in said, said
    assert any(p.startswith("topic:") for p in payloads(replies)), said  # the list again
    replies = await say(http, svc.url, "warga-tempat-list", "1")
    assert "btn:skip" in payloads(replies), texts(replies)  # the place is known: on to the photo
    number = await finish(http, svc, "warga-tempat-list")
    assert "depan pasar kemlagi" in await place_of(svc, number)


@pytest.mark.parametrize("answer", ["pasar", "harga cabai naik", "harga dan pasar"])
async def test_a_market_topic_typed_at_the_topic_list_is_still_the_topic(svc, http, answer):
    resident = f"warga-pasar-{abs(hash(answer)) % 1000}"
    await a_list_of_two(http, svc, resident)
    replies = await say(http, svc.url, resident, answer)
    said = texts(replies)
    assert "Lokasinya kami catat" not in said, said
    assert "Harga dan pasar" in said or any("pasar" in p for p in payloads(replies)), said


async def test_yes_with_a_landmark_keeps_the_landmark_with_the_village(svc, http):
    resident = "warga-sdn"
    await say(http, svc.url, resident, "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, resident, "btn:yes")
    assert "Sooko" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)  # "Apakah lokasinya di …?"
    replies = await say(http, svc.url, resident, "ya bener, depan SDN 2 sooko")
    assert "btn:skip" in payloads(replies), texts(replies)
    number = await finish(http, svc, resident)
    place = await place_of(svc, number)
    assert "depan SDN 2" in place and "sooko" in place.lower(), place


@pytest.mark.parametrize("report", ["saluran air di perumahan griya permata sooko sudah seminggu mampet, tiap hujan "
                                    "banjir", "lampu jalan di perumahan griya permata sooko, mati semua sudah 3 hari"])
async def test_a_housing_estate_keeps_its_whole_name(svc, http, report):
    resident = f"warga-griya-{abs(hash(report)) % 1000}"
    replies = await say(http, svc.url, resident, report)
    replies = await say(http, svc.url, resident, "btn:yes" if "btn:yes" in payloads(replies) else "1")
    assert "*perumahan griya permata sooko*" in texts(replies), texts(replies)  # "Apakah lokasinya di …?"
    replies = await say(http, svc.url, resident, "ya")
    number = await finish(http, svc, resident)
    assert "perumahan griya permata sooko" in await place_of(svc, number)


async def test_an_estate_typed_at_the_topic_list_is_the_place(svc, http):
    await a_list_of_two(http, svc, "warga-griya-list")
    replies = await say(http, svc.url, "warga-griya-list", "perumahan griya permata sooko")
    assert "Lokasinya kami catat: perumahan griya permata sooko" in texts(replies), texts(replies)


async def test_which_one_gets_the_choices_again_without_the_whole_paragraph(svc, http):
    listed = await a_list_of_two(http, svc, "warga-yang-mana")
    replies = await say(http, svc.url, "warga-yang-mana", "Yang mana")
    said = texts(replies)
    assert "Kami belum yakin" not in said and "belum menemukan topik" not in said and "Lainnya" in said, said
    assert [p.removeprefix("topic:") for p in payloads(replies) if p.startswith("topic:")][:len(listed)] == listed
    replies = await say(http, svc.url, "warga-yang-mana", "ya")  # "ya" to a list proposing none: which one?
    assert "Yang mana yang paling sesuai" in texts(replies) and "Kami belum yakin" not in texts(replies), replies
    assert len(replies) == 1 and any(p.startswith("topic:") for p in payloads(replies)), replies
    replies = await say(http, svc.url, "warga-yang-mana", "2")  # still a choice: "yang mana" counted no miss
    assert "lokasi" in texts(replies).lower() and "memilihkan" not in texts(replies), texts(replies)
