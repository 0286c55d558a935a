"""Staff turns from the fifteenth trial, over real HTTP: an officer takes a ticket in the chat ("/ambil", "saya ambil
WRG-…"), as on the desk, and a colleague's ticket only after saying so; "ada aduan apa aja hari ini?" is the
officer's queue, not the list of commands; the regent's "tolong WRG-… diprioritaskan" is offered as a disposition."""

from __future__ import annotations

import pytest

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for

BRIDGE = "jembatan bambu di dusun krajan desa puri hampir putus, anak sekolah lewat situ"


async def _said(svc, who: str, words: str) -> str | None:  # noqa: F811
    for reply in reversed(await mailbox(svc.store, f"webchat:{who}")):
        if words in texts([reply]):
            return texts([reply])
    return None


@pytest.mark.parametrize("typed", ["/ambil {n}", "saya ambil {n}", "{n} biar saya yang tangani ya"])
async def test_an_officer_takes_a_ticket_in_the_chat(svc, http, typed):  # noqa: F811
    await enrol(http, svc, "pupr-c1", opd="dinas-pupr")
    await say(http, svc.url, "pupr-c1", "/nama Budi Santoso")
    number = await file_complaint(http, svc.url, "warga-c1", BRIDGE)
    said = texts(await say(http, svc.url, "pupr-c1", typed.format(n=number)))
    assert f"{number} ditugaskan ke Budi Santoso" in said, said
    assert (await svc.store.get_ticket(number)).extra["assignee"]["key"] == "webchat:pupr-c1"
    said = texts(await say(http, svc.url, "pupr-c1", f"/info {number}"))
    assert "Budi Santoso" in said, said
    said = texts(await say(http, svc.url, "pupr-c1", f"/ambil {number}"))
    assert "sudah Anda pegang" in said, said
    assert "Budi" not in texts(await mailbox(svc.store, "webchat:warga-c1"))  # the reporter is not told who took it


async def test_a_colleagues_ticket_is_taken_over_only_when_confirmed_and_the_colleague_hears(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-c2", opd="dinas-pupr")
    await enrol(http, svc, "pupr-c3", opd="dinas-pupr")
    await say(http, svc.url, "pupr-c2", "/nama Sri Wahyuni")
    await say(http, svc.url, "pupr-c3", "/nama Agus")
    number = await file_complaint(http, svc.url, "warga-c2", BRIDGE)
    await say(http, svc.url, "pupr-c2", f"/ambil {number}")
    replies = await say(http, svc.url, "pupr-c3", f"saya ambil {number}")
    assert "sedang dipegang Sri Wahyuni" in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).extra["assignee"]["key"] == "webchat:pupr-c2"  # not yet
    await say(http, svc.url, "pupr-c3", f"/ambil {number} alih")
    assert (await svc.store.get_ticket(number)).extra["assignee"]["key"] == "webchat:pupr-c3"
    told = await wait_for(lambda: _said(svc, "pupr-c2", "kini dipegang Agus"))
    assert number in told, told


async def test_another_offices_officer_cannot_take_a_ticket(svc, http):  # noqa: F811
    await enrol(http, svc, "dishub-c4", opd="dishub")
    number = await file_complaint(http, svc.url, "warga-c4", BRIDGE)
    said = texts(await say(http, svc.url, "dishub-c4", f"/ambil {number}"))
    assert "assignee" not in (await svc.store.get_ticket(number)).extra and "ditugaskan" not in said, said


async def test_an_officer_asking_what_came_in_today_gets_the_queue(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-c5", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-c5", BRIDGE)
    said = texts(await say(http, svc.url, "pupr-c5", "ada aduan apa aja hari ini?"))
    assert "Antrian" in said and number in said and "Perintah petugas" not in said, said


async def test_the_regent_asking_a_ticket_be_prioritised_is_offered_a_disposition(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-c6", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-c6", BRIDGE)
    replies = await say(http, svc.url, "bupati-c6", f"tolong {number} diprioritaskan, anak sekolah bahaya")
    assert any(p.startswith(f"/disposisi {number} dinas-pupr") for p in payloads(replies)), payloads(replies)
    assert (await svc.store.get_ticket(number)).extra.get("disposition") is None  # offered, not sent unasked
    await say(http, svc.url, "bupati-c6", "ya")
    disposition = (await svc.store.get_ticket(number)).extra.get("disposition")
    assert disposition and "diprioritaskan" in disposition["instruction"], disposition
