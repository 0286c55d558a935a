"""A neighbour's report of the same matter at the same place: the officer's card of the new complaint names the open
one (actions/nearby.py), so the matter is fixed once and every reporter answered; another village, another topic or
a pin far away names nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.nearby import metres, same_place, village_names
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.desk.test_desk_http import staff_client
from tests.harness import mailbox, make_settings, running_service, say, texts, wait_for


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def cards(svc, officer: str, number: str) -> list[str]:
    async def card() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, f"webchat:{officer}")
                if f"Aduan baru *{number}*" in i["text"]]

    return await wait_for(card)


async def test_the_officer_card_names_an_open_complaint_of_the_same_matter_in_the_same_village(svc, http):
    await enrol(http, svc, "pupr-dekat")
    first = await file_complaint(http, svc.url, "tetangga1")
    second = await file_complaint(http, svc.url, "tetangga2", "jalan berlubang besar di desa Sooko bahaya motor")
    [card] = await cards(svc, "pupr-dekat", second)
    assert "Mungkin hal yang sama" in card and first in card, card
    [card] = await cards(svc, "pupr-dekat", first)
    assert "Mungkin" not in card, card  # the first had no neighbour yet
    officer = await svc.store.get_identity("webchat:pupr-dekat")
    async with await staff_client(svc, officer) as desk, desk.get(f"{svc.url}/desk/tiket/{first}") as resp:
        page = await resp.text()
    assert resp.status == 200 and f'href="/desk/tiket/{second}' in page, page  # the desk shows it both ways


async def test_another_village_or_another_matter_is_not_named(svc, http):
    await enrol(http, svc, "pupr-jauh")
    await enrol(http, svc, "dishub-jauh", opd="dishub")
    await file_complaint(http, svc.url, "warga-a")
    lamp = await file_complaint(http, svc.url, "warga-b", "lampu jalan di desa Sooko mati sudah seminggu")
    [card] = await cards(svc, "dishub-jauh", lamp)
    assert "Mungkin" not in card, card
    await say(http, svc.url, "warga-c", "jalan di desa Puri rusak parah banyak lubang")
    await say(http, svc.url, "warga-c", "btn:yes")
    await say(http, svc.url, "warga-c", "Desa Puri RT 01, depan pasar")
    for answer in ("lewati", "privacy:publik", "btn:send"):
        replies = await say(http, svc.url, "warga-c", answer)
    puri = TICKET.search(texts(replies))
    assert puri, texts(replies)
    [card] = await cards(svc, "pupr-jauh", puri.group(0))
    assert "Mungkin" not in card, card


def test_places_match_by_pin_distance_or_by_a_named_village():
    near = {"latitude": -7.5521, "longitude": 112.4367}
    assert 100 < metres((-7.5521, 112.4367), (-7.5530, 112.4367)) < 110
    assert same_place(near, {"latitude": -7.5530, "longitude": 112.4367})
    assert not same_place(near, {"latitude": -7.5600, "longitude": 112.4367})  # about 880 m away
    assert village_names({"name": "Desa Sooko RT 02 RW 01, depan balai desa"}) == {"sooko"}
    assert village_names({"address": "ds. Sumber Rejo dekat masjid"}) == {"sumber rejo"}
    assert village_names({"name": "near the mosque in Sooko village"}) == {"sooko"}
    assert village_names({"name": "depan pasar Trowulan"}) == set()  # no village named: never matched
    assert village_names({"latitude": 1.0, "longitude": 2.0, "desa": "Sooko"}) == {"sooko"}
    assert same_place({"name": "Desa Sooko RT 02"}, {"name": "dusun krajan, desa sooko"})
    assert not same_place({"name": "Desa Sooko"}, {"name": "Desa Puri"})
    assert village_names({"name": "ds sooko deket masjid"}) == {"sooko"}
    assert same_place({"name": "Desa Sooko RT 02"}, {"name": "desa sooko kidul pojok"})  # one word against two
    assert not same_place({"name": "desa sumber rejo"}, {"name": "desa sumber agung"})


async def test_a_colleagues_answer_is_seen_by_the_other_officers_and_not_by_who_answered(svc, http):
    await enrol(http, svc, "pupr-satu")
    await enrol(http, svc, "pupr-dua")
    await enrol(http, svc, "bupati-x", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-jawab")
    await say(http, svc.url, "pupr-satu", f"/balas {number} Tim kami ke lokasi besok pagi.")

    async def seen(officer: str, words: str) -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, f"webchat:{officer}") if words in i["text"]]

    [notice] = await wait_for(lambda: seen("pupr-dua", "sudah menjawab pelapor"))
    assert number in notice and "Tim kami ke lokasi besok pagi." in notice, notice
    assert await seen("pupr-satu", "sudah menjawab pelapor") == []
    await say(http, svc.url, "bupati-x", f"/balas {number} Saya minta segera ditangani.")
    notices = await wait_for(lambda: seen("pupr-satu", "Saya minta segera"))
    assert "sudah menjawab pelapor" in notices[0], notices
