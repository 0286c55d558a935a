"""SQLite's dashboard adds up per-day totals kept by triggers (facts_days, facts_by) and reads medians off
value-ordered indexes; MongoDB's aggregates its facts collection (kept with every ticket write) on the server.
On both the figures must equal the ticket-by-ticket computation for any period (partial UTC days at both ends,
one OPD or all), also after tickets move between OPDs, change status and are reopened, and after the totals
(SQLite) or the facts themselves (MongoDB) are rebuilt when a store is opened."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from actions.oversight import Period, oversight, summarise
from bot.store.base import Changes, OversightStore, Ticket, TicketEvent
from bot.store.mongo import MongoStore
from bot.store.sqlite import SqliteStore
from bot.workdays import WorkCalendar
from tests.fakes.async_mongomock import AsyncMongoMockClient

CAL = WorkCalendar("Asia/Jakarta")
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
OPDS = ["dinas-pupr", "dishub", "dlh"]
PERIODS = [Period(date(2026, 10, 20), date(2026, 11, 27)), Period(date(2026, 11, 3), date(2026, 11, 10)),
           Period(date(2026, 11, 15), date(2026, 11, 15)), Period(date(2026, 9, 1), date(2026, 12, 31))]


async def seed(store: Any, rng: random.Random) -> list[Ticket]:
    changes = Changes()
    for n in range(240):
        created = NOW - timedelta(hours=rng.uniform(0, 24 * 45))
        status = rng.choice(["baru", "diproses", "selesai", "selesai", "ditutup", "triase"])
        closed = (min(created + timedelta(hours=rng.uniform(1, 300)), NOW - timedelta(minutes=5))
                  if status in ("selesai", "ditutup") else None)
        ticket = Ticket(
            number=f"ADU-2611-{n:04d}", kind="aduan", topic=rng.choice(["jalan", "air", None]),
            opd_id=rng.choice([*OPDS, None]), status=status, text="uji", reporter=rng.choice(
                ["telegram:1", "whatsapp:2", "webchat:3"]), created_at=created, updated_at=closed or created,
            due_at=rng.choice([None, created + timedelta(days=rng.uniform(1, 9))]), closed_at=closed,
            rating=rng.choice([None, 2, 5]) if closed else None,
            location=rng.choice([None, {"kecamatan": rng.choice(["Kota", "Gedangan"]), "desa": "Sawah"}]))
        changes.tickets.append(ticket)
        changes.events.append(TicketEvent(ticket=ticket.number, kind="created", at=created))
        if rng.random() < 0.7:
            changes.events.append(TicketEvent(ticket=ticket.number, kind="message_out", actor="telegram:9",
                                              at=created + timedelta(hours=rng.uniform(0.1, 80)), text="ok"))
    await store.commit(changes)
    return changes.tickets


async def change_some(store: Any, tickets: list[Ticket], rng: random.Random) -> None:
    changes = Changes()
    for number in rng.sample([t.number for t in tickets], 60):
        ticket = await store.get_ticket(number)
        assert ticket is not None
        ticket.opd_id = rng.choice([*OPDS, None])
        ticket.topic = rng.choice(["jalan", "sampah"])
        if ticket.status in ("selesai", "ditutup"):
            ticket.status, ticket.closed_at, ticket.rating = "diproses", None, None
            changes.events.append(TicketEvent(ticket=number, kind="reopened", at=NOW - timedelta(hours=2)))
        else:
            ticket.status, ticket.closed_at, ticket.rating = "selesai", NOW - timedelta(hours=1), 4
        changes.tickets.append(ticket)
    await store.commit(changes)


async def assert_equal_everywhere(store: Any) -> None:
    assert isinstance(store, OversightStore)  # the store aggregates: not the figures computed in Python
    for period in PERIODS:
        for opd in (None, "dishub"):
            fast = await oversight(store, CAL, NOW, period, opd_id=opd, opd_ids=OPDS)
            facts = await store.ticket_facts(*period.bounds(CAL), opd)
            slow = summarise(facts, CAL, NOW, period, [opd] if opd else OPDS)
            assert replace(fast, facts=[]) == replace(slow, facts=[]), (period, opd)
            assert fast.total.received == len(facts)


async def test_per_day_totals_and_index_medians_equal_the_single_facts(tmp_path: Path) -> None:
    """SQLite."""
    rng = random.Random(7)
    path = tmp_path / "warga.sqlite3"
    store = SqliteStore(path)
    await store.open()
    tickets = await seed(store, rng)
    await assert_equal_everywhere(store)
    await change_some(store, tickets, rng)
    await assert_equal_everywhere(store)
    # the totals lost (a store from before they existed): rebuilt from the facts when the store opens
    await store._run(lambda db: db.executescript("DELETE FROM facts_days; DELETE FROM facts_by;"))
    await store.close()
    store = SqliteStore(path)
    await store.open()
    try:
        await assert_equal_everywhere(store)
    finally:
        await store.close()


@pytest.mark.parametrize("transactions", [False, True], ids=["standalone", "replica-set"])
async def test_mongo_aggregates_equal_the_single_facts(transactions: bool) -> None:
    """MongoDB (the in-process stand-in): the same periods, changes and comparison; then the facts collection
    lost (a database from before it existed, or tickets copied in by `bot migrate`) is rebuilt at open."""
    rng = random.Random(7)
    client = AsyncMongoMockClient(transactions=transactions)
    store = MongoStore("mongodb://stand-in", "warga_days", client=client)
    await store.open()
    tickets = await seed(store, rng)
    await assert_equal_everywhere(store)
    await change_some(store, tickets, rng)
    await assert_equal_everywhere(store)
    await store.db["facts"].delete_many({})
    await store.close()
    store = MongoStore("mongodb://stand-in", "warga_days", client=client)
    await store.open()
    try:
        assert await store.db["facts"].count_documents({}) == len(tickets)
        await assert_equal_everywhere(store)
    finally:
        await store.close()
