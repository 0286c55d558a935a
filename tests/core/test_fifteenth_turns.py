"""Turns from the fifteenth trial, a whole report carried through by a resident of a Sundanese regency and by one
writing English, over real HTTP: "teu aya poto" at the photo step is no photo; "sorry, actually it is the road"
at the topic question corrects the report; "naha teu acan dibereskeun?" after a status is a question about the
ticket, not a question for an office."""

from __future__ import annotations

import pytest

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import file_complaint
from tests.harness import payloads, say, texts

LIGHT = "lampu jalan di kampung solokan garut sudah 5 bulan mati, mohon diperbaiki"


@pytest.mark.parametrize("typed", ["teu aya poto", "henteu gaduh fotona", "tidak ada foto"])
async def test_no_photo_said_in_sundanese_skips_the_photo_step(svc, http, typed):  # noqa: F811
    replies = await say(http, svc.url, "su1", LIGHT)
    assert "btn:yes" in payloads(replies[-1:]), texts(replies)
    await say(http, svc.url, "su1", "muhun leres")
    said = texts(await say(http, svc.url, "su1", "desa solokanjeruk sebrang masjid jamie an nur"))
    assert "foto" in said.lower(), said
    replies = await say(http, svc.url, "su1", typed)
    assert "privacy:publik" in payloads(replies) and "Silakan kirim foto" not in texts(replies), texts(replies)


@pytest.mark.parametrize("typed", ["sorry, actually it is the road, big potholes",
                                   "actually it's the road, it has big potholes"])
async def test_an_english_correction_at_the_topic_question_replaces_the_report(svc, http, typed):  # noqa: F811
    said = texts(await say(http, svc.url, "en1", "the street light near my house has been off for a week"))
    assert "*Street lights*" in said, said
    said = texts(await say(http, svc.url, "en1", typed))
    assert "another matter" not in said and "*Damaged road*" in said and "*Dinas PUPR*" in said, said


@pytest.mark.parametrize("typed", ["naha teu acan dibereskeun?", "naha tacan dibenerkeun jalanna?"])
async def test_a_sundanese_why_not_yet_after_a_report_asks_after_the_ticket(svc, http, typed):  # noqa: F811
    number = await file_complaint(http, svc.url, "su2")
    replies = await say(http, svc.url, "su2", typed)
    said = texts(replies)
    assert number in said and not any(p.startswith("/tanyakan") for p in payloads(replies)), said


@pytest.mark.parametrize(("typed", "shown"), [("jenengku ojo disebut yo", "Anonim"),
                                              ("namaku jangan ditulis ya", "Anonim"),
                                              ("jenengku ditampilke wae", "Publik")])
async def test_a_name_with_its_owner_glued_on_answers_the_privacy_step(svc, http, typed, shown):  # noqa: F811
    first = "sampah ning pinggir dalan desa sooko numpuk wis rong minggu ora diangkut"
    replies = await say(http, svc.url, "jv1", first)
    assert "btn:yes" in payloads(replies[-1:]), texts(replies)
    await say(http, svc.url, "jv1", "nggih leres")
    await say(http, svc.url, "jv1", "cedhak balai desa sooko, ngarepe toko")
    said = texts(await say(http, svc.url, "jv1", "mboten wonten foto"))
    assert "identitas" in said.lower(), said
    said = texts(await say(http, svc.url, "jv1", typed))
    assert f"Identitas: {shown}" in said and "Silakan pilih" not in said, said
