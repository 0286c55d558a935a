"""Turns from real reports to a regent's portal (Purbalingga, ../shared/data), over real HTTP: a report that names
its spot by a landmark ("di depan kantor DKPP", "seputar pasar segamas") is offered that spot at the location step;
a junction named by its traffic lights ("pengemis di perempatan lampu merah") does not send beggars to the traffic
lights; a failing traffic light still goes there."""

from __future__ import annotations

import pytest

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.harness import payloads, say, texts


async def to_location_step(http, svc, who: str, text: str) -> str:  # noqa: F811
    replies = await say(http, svc.url, who, text)
    pays = payloads(replies)
    assert pays, texts(replies)
    return texts(await say(http, svc.url, who, pays[0]))  # "Ya, benar" or the likeliest office


@pytest.mark.parametrize(("text", "spot"), [
    ("Mohon di tertibkan untuk PKL malam di depan kantor DKPP Purbalingga yang memakai tenda sejak siang",
     "depan kantor DKPP"),
    ("jalan yang ada di seputar pasar segamas ada beberapa yang berlubang, mengganggu pengunjung",
     "seputar pasar segamas"),
    ("pelayanan pendaftaran di puskesmas bojongsari lambat sekali, antri dari pagi", "puskesmas bojongsari"),
])
async def test_a_spot_named_by_a_landmark_is_offered_at_the_location_step(svc, http, text, spot):  # noqa: F811
    said = await to_location_step(http, svc, "lm1", text)
    assert f"*{spot}*" in said, said
    said = texts(await say(http, svc.url, "lm1", "ya"))
    assert "foto" in said.lower(), said  # the spot was taken: on to the photo
    said = texts(await say(http, svc.url, "lm1", "btn:skip"))
    said = texts(await say(http, svc.url, "lm1", "privacy:publik"))
    assert f"Lokasi: {spot}" in said, said


async def test_a_village_named_in_the_report_goes_before_a_landmark(svc, http):  # noqa: F811
    said = await to_location_step(http, svc, "lm2", "PKL di depan pasar Kemlagi desa Sooko bikin macet tiap pagi")
    assert "*desa Sooko*" in said, said


async def test_a_landmark_without_its_name_is_asked_for(svc, http):  # noqa: F811
    said = await to_location_step(http, svc, "lm3", "sampah numpuk di depan pasar sudah seminggu tidak diangkut")
    assert "Di mana lokasinya?" in said, said


@pytest.mark.parametrize("text", [
    "Gerombolan anak-anak punk mengganggu di perempatan lampu merah Sumberejo, minta uang ke pengendara",
    "banyak pengemis mangkal di lampu merah dekat alun alun, makin hari makin banyak",
])
async def test_beggars_at_a_junction_named_by_its_lights_are_not_a_traffic_light_report(svc, http, text):  # noqa: F811
    replies = await say(http, svc.url, "lm4", text)
    said, offered = texts(replies), payloads(replies)
    # proposed for confirmation to Satpol PP, or Satpol PP's public order the first of the likely offices
    assert ("*Satpol PP*" in said and "Lampu lalu lintas" not in said) or \
        offered[0] == "topic:aduan_ketertiban_umum", (said, offered)


async def test_a_failing_traffic_light_still_goes_to_the_traffic_lights(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "lm5", "lampu merah di perempatan pasar sumberejo mati sejak kemarin"))
    assert "Lampu lalu lintas" in said and "Dishub" in said, said


async def test_a_long_report_to_the_regent_asking_who_did_it_is_no_question_who_the_regent_is(svc, http):  # noqa: F811
    text = ("selamat siang ibu bupati mohon dibantu ke jajarannya, terkait kegiatan PLN memotong pohon, sampah "
            "potongannya siapa yg membuang, numpuk di pinggir jalan desa sumberejo sudah seminggu")
    said = texts(await say(http, svc.url, "lm6", text))
    assert "adalah Bupati" not in said, said
    said = texts(await say(http, svc.url, "lm7", "siapa bupati sekarang?"))
    assert "adalah Bupati" in said, said
