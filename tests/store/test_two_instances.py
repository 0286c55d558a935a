"""Two service instances on one MongoDB (the in-process stand-in): a resident's complaint and an
officer's actions go alternately through both, and everything stays consistent.

Each instance has its own MongoStore object and its own outbox worker; they share only the database,
as two processes behind a load balancer would.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import new_code
from bot.message import utcnow
from bot.store.base import (
    JOB_DEAD,
    JOB_PENDING,
    ROLE_OFFICER,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    EnrolmentCode,
    TicketQuery,
)
from bot.store.mongo import MongoStore
from tests.fakes.async_mongomock import AsyncMongoMockClient
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, wait_for

TICKET = re.compile(r"WRG-\d{4}-\d{4}")
RESIDENT, OFFICER = "warga-dua", "petugas-dua"


@pytest.fixture(params=["standalone", "replica-set"])
async def pair(request: pytest.FixtureRequest, tmp_path: Path, nlu_model_path: Path):
    client = AsyncMongoMockClient(transactions=request.param == "replica-set")
    stores = [MongoStore("mongodb://stand-in", "warga", client=client) for _ in range(2)]
    async with running_service(make_settings(tmp_path / "a"), store=stores[0]) as a, \
            running_service(make_settings(tmp_path / "b"), store=stores[1]) as b:
        yield a, b


async def test_conversation_and_officer_through_two_instances(pair, http):
    a, b = pair
    services = [a, b]
    sent = {"resident": 0, "officer": 0}

    async def resident(text: str) -> list[dict[str, Any]]:
        svc = services[sent["resident"] % 2]
        sent["resident"] += 1
        return await say(http, svc.url, RESIDENT, text)

    async def officer(text: str) -> list[dict[str, Any]]:
        svc = services[(sent["officer"] + 1) % 2]
        sent["officer"] += 1
        return await say(http, svc.url, OFFICER, text)

    # The operator issues a code on one instance; the officer redeems it on the other.
    code = new_code()
    now = utcnow()
    await a.store.add_enrolment_code(EnrolmentCode(code, ROLE_OFFICER, "dinas-pupr", now, now + timedelta(days=1)))
    assert "terdaftar" in texts(await officer(f"/daftar {code}"))
    assert (await b.store.get_identity(f"webchat:{OFFICER}")).opd_id == "dinas-pupr"

    # The complaint, one step per instance in turn.
    replies = await resident("jalan di desa Sooko rusak parah banyak lubang")
    assert "btn:yes" in payloads(replies), texts(replies)
    assert "lokasi" in texts(await resident("ya")).lower()
    assert "btn:skip" in payloads(await resident("Desa Sooko RT 02 RW 01, depan balai desa"))
    assert "privacy:publik" in payloads(await resident("lewati"))
    assert "btn:send" in payloads(await resident("privasi:publik"))
    number = TICKET.search(texts(await resident("kirim"))).group(0)

    def cards(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # the new-complaint card (a resident's answer later carries the same "Balas" button)
        return [i for i in items if f"/balas {number}" in [btn["payload"] for btn in i.get("buttons", [])]
                and "Aduan baru" in i["text"]]

    await wait_for(lambda: _having(a.store, f"webchat:{OFFICER}", cards))

    # Officer and resident talk through alternate instances.
    assert "dikirim" in texts(await officer(f"/balas {number} Terima kasih, tim kami meninjau lokasi besok pagi"))
    await wait_for(lambda: _having(b.store, f"webchat:{RESIDENT}",
                                   lambda items: [i for i in items if "meninjau lokasi" in i["text"]]))
    assert number in texts(await resident("baik pak, lubangnya ada tiga di dekat jembatan"))
    await wait_for(lambda: _having(a.store, f"webchat:{OFFICER}",
                                   lambda items: [i for i in items if "lubangnya ada tiga" in i["text"]]))

    # Two messages from the resident at the same moment, one to each instance: both are kept.
    first, second = await asyncio.gather(say(http, a.url, RESIDENT, "/bantuan"),
                                         say(http, b.url, RESIDENT, f"cek status {number}"))
    assert first and number in texts(second)
    history = [h["text"] for h in (await a.store.get_conversation(f"webchat:{RESIDENT}")).state["history"]]
    assert "/bantuan" in history and f"cek status {number}" in history

    assert "selesai" in texts(await officer(f"/selesai {number} Jalan sudah ditambal")).lower()
    await wait_for(lambda: _having(a.store, f"webchat:{RESIDENT}", lambda items: [
        i for i in items if any(btn["payload"] == f"fixed:{number}:yes" for btn in i.get("buttons", []))]))
    assert f"nilai:{number}:5" in payloads(await resident(f"fixed:{number}:yes"))  # "Sudah beres?" first
    assert "5/5" in texts(await resident(f"nilai:{number}:5"))
    await resident("Cepat sekali, terima kasih")

    # One ticket, a consistent history, every push delivered exactly once, nothing stuck or dead.
    for store in (a.store, b.store):
        tickets = await store.list_tickets(TicketQuery(reporter=f"webchat:{RESIDENT}"))
        assert [t.number for t in tickets] == [number]
        assert tickets[0].status == STATUS_CLOSED and tickets[0].rating == 5
        assert tickets[0].rating_comment == "Cepat sekali, terima kasih"
    events = await a.store.ticket_events(number)
    kinds = [e.kind for e in events]
    assert kinds[:2] == ["created", "routed"]
    assert {"message_out", "message_in", "rating"} <= set(kinds)
    statuses = [e.data.get("status") for e in events if e.kind == "status"]
    assert statuses[:2] == [STATUS_IN_PROGRESS, STATUS_DONE]
    assert [int(e.id) for e in events] == sorted(int(e.id) for e in events)
    answers = [e.text for e in events if e.kind == "message_in"]
    assert answers.count("baik pak, lubangnya ada tiga di dekat jembatan") == 1

    async def outbox_idle() -> bool:
        counts = await b.store.outbox_counts()
        return counts[JOB_PENDING] == 0 and counts[JOB_DEAD] == 0

    await wait_for(outbox_idle)
    officer_box = await mailbox(a.store, f"webchat:{OFFICER}")
    resident_box = await mailbox(b.store, f"webchat:{RESIDENT}")
    assert len(cards(officer_box)) == 1
    assert sum("lubangnya ada tiga" in i["text"] for i in officer_box) == 1
    assert sum("meninjau lokasi" in i["text"] for i in resident_box) == 1
    jobs = await a.store.list_jobs(limit=1000)
    assert len({j.key for j in jobs}) == len(jobs) and all(j.attempts == 1 for j in jobs)


async def _having(store: Any, key: str, select: Any) -> list[dict[str, Any]]:
    return select(await mailbox(store, key))


# --- named values written by both workers at once (compare-and-set) -----------------------------------
async def _pending_sign_in(pair: tuple[Any, Any], browser: Any, code: str) -> None:
    """A staff sign-in code waiting for the browser's session, as `POST /staff/masuk/kode` leaves it."""
    from bot.store.base import Changes, Identity
    from bot.web.staff_auth import _hash
    from tests.security.conftest import start_session

    a, _ = pair
    officer = Identity(key="telegram:700700", channel="telegram", sender_id="700700", role=ROLE_OFFICER,
                       opd_id="dinas-pupr")
    await a.store.commit(Changes(identities=[officer]))
    sender = await start_session(browser, a.url)  # the cookie is good on b too: one key in the store
    await a.store.set_value(f"staff_signin:{sender}", {"identity": officer.key, "code": _hash(code), "attempts": 0,
                                                       "expires_at": (utcnow() + timedelta(minutes=5)).isoformat()})


async def _try_code(browser: Any, svc: Any, code: str) -> int:
    async with browser.post(f"{svc.url}/staff/masuk", json={"code": code}) as resp:
        return resp.status


async def test_one_sign_in_code_sent_to_both_workers_at_once_signs_in_once(pair):
    from tests.security.conftest import visitor

    async with visitor() as browser:
        await _pending_sign_in(pair, browser, "KODE2345")
        statuses = await asyncio.gather(*(_try_code(browser, pair[n % 2], "KODE2345") for n in range(6)))
        assert sorted(statuses) == [200] + [403] * 5


async def test_wrong_guesses_at_both_workers_at_once_are_each_counted(pair):
    from tests.security.conftest import visitor

    async with visitor() as browser:
        await _pending_sign_in(pair, browser, "KODE2345")
        statuses = await asyncio.gather(*(_try_code(browser, pair[n % 2], "SALAH234") for n in range(5)))
        assert statuses == [403] * 5
        assert await _try_code(browser, pair[0], "KODE2345") == 403  # five tries used it up, however interleaved
