"""The dashboard's, the lists' and the map's queries on the oversight facts are served by indexes.

SQLite's facts table: no full scan, no temporary sort for ORDER BY (grouping the period's rows may sort them),
on a store with history. MongoDB's facts collection: the same cases, every collection call an explainable
command (the stand-in), and with MONGODB_URL no winning plan that scans the collection or sorts in memory."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from actions.oversight import Period, oversight, refresh_measures
from bot.desk.views import EXPORT_COLUMNS
from bot.store.base import OPEN_STATUSES, FactsFilter
from bot.store.mongo import MongoStore
from bot.store.sqlite import SqliteStore
from bot.workdays import WorkCalendar
from tests.store.seed import BUSIEST_OPD, Seeded, create_schema, seed
from tests.store.test_query_plans import (
    Case,
    RecordingClient,
    bad_steps,
    explain_command,
    partial_indexes,
    plans_of,
    seed_mongo,
    winning_stages,
)

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
CAL = WorkCalendar("Asia/Jakarta")
MONTH = Period(NOW.date() - timedelta(days=29), NOW.date())


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    path = tmp_path_factory.mktemp("facts") / "warga.sqlite3"
    asyncio.run(create_schema(path))
    return path, seed(path, tickets=12_000, events_per_ticket=8, messages=1_000, jobs=1_000, now=NOW)


@pytest.fixture
async def store(seeded: tuple[Path, Seeded]) -> Any:
    sqlite_store = SqliteStore(seeded[0])
    await sqlite_store.open()
    # A store in service has measured its facts under the current calendar; the first measuring (which
    # marks every row out of date on purpose) is not what a dashboard request plans.
    await refresh_measures(sqlite_store, CAL)
    yield sqlite_store
    await sqlite_store.close()


SINCE, UNTIL = MONTH.bounds(CAL)
CASES = [
    Case("dashboard_all", lambda s, d: oversight(s, CAL, NOW, MONTH), "facts_opd_cover", group_by=True),
    Case("dashboard_opd", lambda s, d: oversight(s, CAL, NOW, MONTH, opd_id=BUSIEST_OPD), "facts_opd_cover",
         group_by=True),
    Case("list_open", lambda s, d: s.find_facts(FactsFilter(statuses=OPEN_STATUSES, created_since=SINCE)), "facts"),
    Case("list_opd_overdue", lambda s, d: s.find_facts(FactsFilter(opd_id=BUSIEST_OPD, statuses=OPEN_STATUSES,
                                                                due_before=NOW)), "facts_opd_cover"),
    Case("map_pins", lambda s, d: s.find_facts(FactsFilter(created_since=SINCE, created_until=UNTIL, with_pin=True),
                                            columns="lat, lon, number, status", limit=20_000), "facts"),
    Case("export_rows", lambda s, d: s.find_facts(FactsFilter(opd_id=BUSIEST_OPD, created_since=SINCE),
                                               columns=EXPORT_COLUMNS, limit=5000), "facts_opd_cover|facts"),
    Case("measures_to_refresh", lambda s, d: s.stale_facts(100), "facts_stale"),
    Case("pins_without_area", lambda s, d: s.pinned_without_area(100), "facts_pin"),
    Case("tickets_of_a_list", lambda s, d: s.get_tickets([d.sample_ticket, "WRG-0000-000000"]),
         "sqlite_autoindex_tickets_1"),
    # complaints withdrawn by their reporter, set apart from the resolved ones (a month, of all OPDs and of one)
    Case("withdrawn_month", lambda s, d: s.resolved_unmeasured(SINCE, UNTIL), "facts_unmeasured"),
    Case("withdrawn_month_opd", lambda s, d: s.resolved_unmeasured(SINCE, UNTIL, BUSIEST_OPD), "facts_unmeasured"),
    Case("withdrawn_among", lambda s, d: s.withdrawn_among([d.sample_ticket, "WRG-0000-000000"]),
         "sqlite_autoindex_tickets_1"),
    # a stamp no row has: the plan of storing measures, without changing the seeded store
    Case("measures_stored", lambda s, d: s.set_fact_metrics([(d.sample_ticket, -1, 1.5, 2)]), "facts_number"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_facts_queries_use_their_indexes(store: SqliteStore, seeded: tuple[Path, Seeded], case: Case) -> None:
    plans = await plans_of(store, lambda: case.call(store, seeded[1]))
    assert plans, "the call made no query"
    partial = await partial_indexes(store)
    for sql, plan in plans.items():
        assert not bad_steps(plan, case, partial), f"{sql}\n{plan}"
    used = " ".join(step for plan in plans.values() for step in plan)
    assert any(f"INDEX {name} " in used + " " or (name == "facts" and "facts USING PRIMARY KEY" in used)
               for name in case.index.split("|")), used


async def test_the_facts_follow_the_tickets(store: SqliteStore, seeded: tuple[Path, Seeded]) -> None:
    """Every seeded ticket has its facts row (the triggers ran for rows written by plain SQL too)."""
    total, _ = await store.find_facts(FactsFilter(), limit=1)
    assert total == seeded[1].tickets
    open_count, _ = await store.find_facts(FactsFilter(statuses=OPEN_STATUSES), limit=1)
    assert open_count == seeded[1].open


# --- MongoDB: the same cases on the facts collection -------------------------------------------------------
async def run_facts_cases_on_mongo(client: RecordingClient, tickets: int, explain: bool = False) -> list[Any]:
    """Seed tickets as raw documents (as `bot migrate` copies them), let the store build their facts and
    measure them (as a store in service has), then run each case with its collection calls recorded.

    Returns the cases' calls that read no document by a filter or cannot be explained (KeyError), and with
    `explain` those whose winning plan on the server scans the collection or sorts in memory."""
    store = MongoStore("mongodb://stand-in", f"warga_facts_{uuid.uuid4().hex[:8]}", client=client)
    await store.open()
    failures: list[Any] = []
    try:
        data = await seed_mongo(store, tickets)
        assert await store._build_facts() == tickets
        await refresh_measures(store, CAL)
        for case in CASES:
            client.log.clear()
            await case.call(store, data)
            commands = [command for command in (explain_command(op) for op in client.log) if command]
            if not commands:
                failures.append((case.name, "no query reached MongoDB"))
            for command in commands if explain else []:
                stages = winning_stages(await store.db.command({"explain": command, "verbosity": "queryPlanner"}))
                if "COLLSCAN" in stages or "SORT" in stages:
                    failures.append((case.name, command, stages))
        total, _ = await store.find_facts(FactsFilter(), limit=1)
        assert total == tickets
    finally:
        if explain:
            await client.drop_database(store.db_name)
        await store.close()
    return failures


async def test_every_mongo_facts_call_can_be_explained() -> None:
    from tests.fakes.async_mongomock import AsyncMongoMockClient

    failures = await run_facts_cases_on_mongo(RecordingClient(AsyncMongoMockClient()), 300)
    assert not failures, failures


@pytest.mark.skipif(not os.environ.get("MONGODB_URL"), reason="explain needs a real MongoDB (set MONGODB_URL)")
async def test_mongo_facts_queries_use_indexes() -> None:
    from pymongo import AsyncMongoClient

    client = RecordingClient(AsyncMongoClient(os.environ["MONGODB_URL"], tz_aware=True))
    try:
        failures = await run_facts_cases_on_mongo(client, 3000, explain=True)
        assert not failures, failures
    finally:
        await client.close()
