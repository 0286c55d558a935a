"""Every query the service makes is served by an index the planner picks, on a store with years of history.

Each case below is one real use of the store (what a command, a page, a periodic pass or a write does).
`test_every_store_method_is_checked` fails when the store gains a method no case calls, so a new query
cannot arrive without its plan being checked.

SQLite: a store seeded with thousands of tickets (a few percent open), their history, messages and
delivery jobs; each case runs for real with a trace on, and every statement it ran (reads and writes)
must plan as index searches, with no full scan and no temporary sort for ORDER BY.

MongoDB: the same cases run against the store with every collection call recorded. Without a server
(the in-process stand-in) the test checks that each recorded call becomes an explainable command; with
MONGODB_URL set, each of those commands is explained on the server and its winning plan may not scan
the collection or sort in memory.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from actions.letters import KIND as LETTER
from actions.letters import WAIT_CAMAT, WAIT_HEAD
from bot.store.base import (
    ESCALATED,
    JOB_DEAD,
    OPEN_STATUSES,
    REMINDED,
    ROLE_OFFICER,
    ROLE_REGENT,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_TRIAGE,
    Changes,
    Conversation,
    EnrolmentCode,
    Identity,
    InboxItem,
    Media,
    OutboxJob,
    Ticket,
    TicketEvent,
    TicketQuery,
)
from bot.store.mongo import MongoStore
from bot.store.sqlite import SqliteStore
from tests.store.seed import BUSIEST_OPD, BUSY_RESIDENT, Seeded, create_schema, seed

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
DAY = timedelta(days=1)

#: Methods that are not queries the service makes: lifecycle, and the tools these tests use.
#: hold_sole_worker is start-up on a standalone MongoDB; the lease calls it makes are acquire_lease's case.
#: reset_fact_metrics marks every dashboard row out of date on purpose, once, when the working-day calendar
#: changes (actions/oversight.refresh_measures); the rows are then measured again a page at a time.
NOT_QUERIES = {"open", "close", "trace", "explain", "refresh_statistics", "hold_sole_worker", "reset_fact_metrics"}


@dataclass(frozen=True)
class Case:
    """One store call (or a short sequence), the index that must serve it, and what else its plan may show."""

    name: str
    call: Callable[[Any, Seeded], Awaitable[object]]
    index: str  # the index (or one of the indexes, separated by "|") that must serve it; "" for pure inserts
    group_by: bool = False  # counts per OPD sort the (already narrowed) rows to group them
    count_all: bool = False  # a bare COUNT(*), answered from b-tree page headers
    walk: str = ""  # a table this call may walk in its key order (it stops at the LIMIT)
    sqlite_only: bool = False  # MongoDB does this on the server (TTL indexes), with no call of the store


def _key(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def _commit_everything(s: Any, d: Seeded) -> None:
    """What a resident's or officer's turn commits: a ticket change with its event, a reply job, an identity,
    a photo, a new conversation and a patch to another one; then the conversation again (a version check)."""
    ticket = await s.get_ticket(d.sample_ticket)
    ticket.updated_at = NOW
    conv = Conversation(key=_key("webchat:plans"), updated_at=NOW)
    media_id = _key("media")
    await s.commit(Changes(
        conversation=conv, tickets=[ticket], events=[TicketEvent(ticket.number, "message_out", NOW, d.officer, "ok")],
        jobs=[OutboxJob(key=_key("deliver"), kind="deliver", payload={"to": ticket.reporter}, created_at=NOW)],
        identities=[Identity(_key("webchat:plans"), "webchat", "plans", created_at=NOW)],
        media=[Media(media_id, "image/jpeg", b"\xff\xd8", NOW, ticket.number)],
        conversation_patches={ticket.reporter: {"reply_ticket": ticket.number}}))
    conv.state["step"] = "done"
    await s.commit(Changes(conversation=conv))
    await s.get_conversation(conv.key)
    await s.get_media(media_id)


async def _new_ticket(s: Any, d: Seeded) -> None:
    """Filing a complaint: the next number of the month, then the ticket itself."""
    seq = await s.next_ticket_seq("2611")
    await s.commit(Changes(tickets=[Ticket(
        number=f"WRG-2611-P{seq:05d}-{uuid.uuid4().hex[:6]}", kind="aduan", topic="jalan_rusak", opd_id=BUSIEST_OPD,
        status=STATUS_IN_PROGRESS, text="jalan rusak", reporter=BUSY_RESIDENT, created_at=NOW, updated_at=NOW,
        due_at=NOW + 7 * DAY)]))


async def _enrol(s: Any, d: Seeded) -> None:
    code = _key("code")
    await s.add_enrolment_code(EnrolmentCode(code, ROLE_OFFICER, BUSIEST_OPD, NOW, NOW + DAY))
    await s.redeem_enrolment_code(code, Identity(_key("webchat:new-officer"), "webchat", "x"), NOW)


async def _void_codes(s: Any, d: Seeded) -> None:
    """Revoking someone voids the codes they made, each found by its key."""
    code = _key("code")
    await s.add_enrolment_code(EnrolmentCode(code, ROLE_OFFICER, BUSIEST_OPD, NOW, NOW + DAY))
    assert await s.void_enrolment_codes([code, _key("code")], NOW) == 1


async def _retention(s: Any, d: Seeded) -> None:
    """SQLite removes finished inbox items, sent jobs and mailbox replies in bounded passes; MongoDB's TTL
    indexes do it on the server, so that store has no such method."""
    purge = getattr(s, "purge_finished", None)
    if purge is not None:
        await purge(NOW - 3650 * DAY, limit=100)  # the plans, without emptying the seeded store


async def _inbox_cycle(s: Any, d: Seeded) -> None:
    """A delivery stored, claimed (by key, then the next due ones), renewed, released and done."""
    item = InboxItem("webchat", _key("plans"), {"message": "halo"}, NOW)
    await s.inbox_add(item)
    await s.inbox_claim("w1", NOW, 30, 1, channel="webchat", message_id=item.message_id)
    await s.inbox_renew("webchat", item.message_id, "w1", NOW + timedelta(seconds=60))
    await s.inbox_release("webchat", item.message_id, "w1", "boom", NOW)
    await s.inbox_claim("w2", NOW + timedelta(seconds=1), 30, 10)
    await s.inbox_done("webchat", item.message_id)
    await s.inbox_pending()


async def _job_cycle(s: Any, d: Seeded) -> None:
    """Jobs queued, claimed, sent, failed for good, retried by the operator, released and looked at."""
    jobs = [OutboxJob(key=_key("deliver"), kind="deliver", payload={}, created_at=NOW - timedelta(minutes=n))
            for n in range(3)]
    await s.enqueue(jobs)
    claimed = await s.claim_jobs("w1", NOW, 30, 3)
    await s.complete_job(claimed[0].id, "w1", NOW)
    await s.fail_job(claimed[1].id, "w1", NOW, "refused", None)
    await s.release_job(claimed[2].id, "w1", NOW)
    await s.retry_job(claimed[1].id, NOW)
    await s.get_job(claimed[1].id)


async def _values(s: Any, d: Seeded) -> None:
    key = _key("plans")
    await s.set_value(key, {"n": 1})
    await s.set_value_if(key, {"n": 1}, {"n": 2})
    await s.get_value(key)
    await s.acquire_lease(key, "w1", NOW, 30)


async def _mailbox(s: Any, d: Seeded) -> None:
    dedupe = _key("plans")
    await s.mailbox_add(BUSY_RESIDENT, {"text": "halo"}, NOW, dedupe=dedupe)
    await s.mailbox_add(BUSY_RESIDENT, {"text": "halo"}, NOW, dedupe=dedupe)  # a retried delivery: found


async def _links(s: Any, d: Seeded) -> None:
    message_id = _key("m")
    await s.link_message("telegram", "42", message_id, d.sample_ticket)
    await s.linked_ticket("telegram", "42", message_id)


CASES = [
    # resident commands
    Case("get_ticket", lambda s, d: s.get_ticket(d.sample_ticket), "sqlite_autoindex_tickets_1"),
    Case("status_last_reply", lambda s, d: s.ticket_events(d.sample_ticket, "message_out"), "events_ticket"),
    Case("status_without_number", lambda s, d: s.recent_tickets(BUSY_RESIDENT, 3), "tickets_reporter_recent"),
    # officer commands
    Case("queue_opd_page", lambda s, d: s.list_tickets(TicketQuery(opd_id=BUSIEST_OPD, statuses=OPEN_STATUSES,
                                                                   limit=30)), "tickets_open_opd"),
    Case("queue_opd_count", lambda s, d: s.count_tickets(TicketQuery(opd_id=BUSIEST_OPD, statuses=OPEN_STATUSES)),
         "tickets_open_opd|tickets_opd_status"),
    Case("queue_all_page", lambda s, d: s.list_tickets(TicketQuery(statuses=OPEN_STATUSES, limit=30)),
         "tickets_open_all"),
    Case("queue_all_count", lambda s, d: s.count_tickets(TicketQuery(statuses=OPEN_STATUSES)),
         "tickets_open_all|tickets_open_opd|tickets_status_queue|tickets_status_updated"),
    Case("info_history", lambda s, d: s.ticket_events(d.sample_ticket), "events_ticket"),
    Case("triage", lambda s, d: s.list_tickets(TicketQuery(statuses=(STATUS_TRIAGE,), limit=200)),
         "tickets_status_queue"),
    Case("officers_of_opd", lambda s, d: s.list_identities(ROLE_OFFICER, BUSIEST_OPD),
         "identities_role_opd|identities_role_key"),
    Case("regents", lambda s, d: s.list_identities(ROLE_REGENT), "identities_role_key"),
    Case("identity", lambda s, d: s.get_identity(d.officer), "sqlite_autoindex_identities_1"),
    Case("enrolment", _enrol, "sqlite_autoindex_enrolment_codes_1"),
    Case("void_codes", _void_codes, "sqlite_autoindex_enrolment_codes_1"),
    # village heads and camats (letters): their queue and the overdue pass
    Case("letter_queue", lambda s, d: s.list_tickets(TicketQuery(kind=LETTER, statuses=(WAIT_HEAD,), limit=500)),
         "tickets_status_queue"),
    Case("letters_overdue", lambda s, d: s.list_tickets(TicketQuery(
        kind=LETTER, statuses=(WAIT_CAMAT,), due_before=NOW, unreminded=True, limit=200)), "tickets_status_queue"),
    # deadline passes and the digest
    Case("reminders_due", lambda s, d: s.open_tickets_due(NOW + 3 * DAY, after=NOW, unmarked=REMINDED, limit=50),
         "tickets_remind_due"),
    Case("escalations_due", lambda s, d: s.open_tickets_due(NOW, unmarked=ESCALATED, limit=50),
         "tickets_escalate_due"),
    Case("escalations_next_page", lambda s, d: s.open_tickets_due(
        NOW, unmarked=ESCALATED, start=(NOW - 30 * DAY, NOW - 37 * DAY, "WRG-2610-000000"), limit=50),
        "tickets_escalate_due"),
    Case("oldest_overdue", lambda s, d: s.open_tickets_due(NOW, limit=5), "tickets_open_deadline"),
    Case("digest_new", lambda s, d: s.count_tickets_by_opd(TicketQuery(created_after=NOW - DAY)),
         "tickets_created_number", group_by=True),
    Case("digest_done", lambda s, d: s.count_tickets_by_opd(TicketQuery(
        statuses=(STATUS_DONE, STATUS_CLOSED), updated_after=NOW - DAY, closed_after=NOW - DAY)),
        "tickets_status_updated", group_by=True),
    Case("digest_overdue", lambda s, d: s.count_tickets_by_opd(TicketQuery(statuses=OPEN_STATUSES, due_before=NOW)),
         "tickets_open_deadline|tickets_opd_status", group_by=True),
    Case("digest_rating", lambda s, d: s.rating_summary(NOW - 30 * DAY),
         "tickets_rated|tickets_status_updated"),
    # the oversight dashboard and the weekly report card (a week of one OPD, and of all) on the facts table
    Case("facts_week_opd", lambda s, d: s.ticket_facts(NOW - 7 * DAY, NOW, BUSIEST_OPD), "facts_opd_cover"),
    Case("facts_week", lambda s, d: s.ticket_facts(NOW - 7 * DAY, NOW), "facts"),
    # NLU corrections export
    Case("reroutes", lambda s, d: s.events_of_kind("rerouted"), "events_kind"),
    # LAPOR! sync and the outbox
    Case("lapor_sync_batch", lambda s, d: s.open_lapor_tickets("WRG-2611", 500), "tickets_open_lapor"),
    Case("outbox_health", lambda s, d: s.outbox_counts(), "jobs_due", count_all=True),
    Case("outbox_dead_list", lambda s, d: s.list_jobs(JOB_DEAD, limit=100), "jobs_due"),
    Case("outbox_list", lambda s, d: s.list_jobs(limit=100), "", walk="jobs"),
    Case("outbox_claim", lambda s, d: s.claim_jobs("w1", NOW, 30, 10), "jobs_due"),
    Case("outbox_job_cycle", _job_cycle, "jobs_due"),
    # writes (each row found by its key) and the small tables
    Case("commit_turn", _commit_everything, "sqlite_autoindex_tickets_1"),
    Case("new_ticket", _new_ticket, "sqlite_autoindex_counters_1"),
    Case("inbox_cycle", _inbox_cycle, "inbox_pending"),
    Case("mailbox", lambda s, d: s.mailbox_after(BUSY_RESIDENT, 0), "mailbox_key"),
    Case("retention", _retention, "inbox_done_at|jobs_done_at|mailbox_at", sqlite_only=True),
    Case("mailbox_add", _mailbox, "mailbox_dedupe"),
    Case("message_links", _links, "sqlite_autoindex_message_links_1"),
    Case("values_and_leases", _values, "sqlite_autoindex_kv_1"),
]


def bad_steps(plan: list[str], case: Case, partial: frozenset[str] = frozenset()) -> list[str]:
    """The steps of a plan that read a whole table or index, or sort rows for ORDER BY.

    Walking a partial index (`partial`: those of open tickets only) in order under a LIMIT is fine: it
    holds a few percent of the table and the walk stops at the page's end.
    """
    bad = []
    for step in plan:
        if step.startswith("SCAN ") and not (case.count_all and step.startswith("SCAN jobs USING COVERING INDEX")) \
                and not any(step.endswith(f"INDEX {name}") for name in partial) and step != f"SCAN {case.walk}":
            bad.append(step)
        elif "TEMP B-TREE" in step and not (case.group_by and step.endswith("FOR GROUP BY")):
            bad.append(step)
    return bad


# --- every method of the store is checked ------------------------------------------------------------
def store_methods(cls: type) -> set[str]:
    """The public coroutine methods of a store class: every query (or write) the service can make."""
    return {name for name, fn in inspect.getmembers(cls, inspect.iscoroutinefunction)
            if not name.startswith("_")} - NOT_QUERIES


class _Calls:
    """Forwards to a store and notes which of its methods were called."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.called: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        self.called.add(name)
        return getattr(self._store, name)


async def test_every_store_method_is_checked(store: SqliteStore, seeded: tuple[Path, Seeded]) -> None:
    """A method (a query) added to a store without a case here fails this test: add its case to CASES."""
    from tests.desk.test_facts_plans import CASES as FACTS_CASES  # the dashboard's own table (SQLite)

    calls = _Calls(store)
    for case in CASES + FACTS_CASES:
        await case.call(calls, seeded[1])
    for cls in (SqliteStore, MongoStore):
        missing = store_methods(cls) - calls.called
        assert not missing, f"{cls.__name__}: no case in CASES calls {sorted(missing)}; add one"


def test_the_coverage_check_can_fail() -> None:
    class Wider(SqliteStore):
        async def tickets_by_color(self, color: str) -> list[Ticket]:
            return []

    assert "tickets_by_color" in store_methods(Wider) - store_methods(SqliteStore)


# --- SQLite: EXPLAIN QUERY PLAN of every statement ----------------------------------------------------
@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    path = tmp_path_factory.mktemp("plans") / "warga.sqlite3"
    asyncio.run(create_schema(path))
    return path, seed(path, tickets=12_000, events_per_ticket=8, messages=5_000, jobs=10_000, now=NOW)


@pytest.fixture
async def store(seeded: tuple[Path, Seeded]) -> Any:
    sqlite_store = SqliteStore(seeded[0])
    await sqlite_store.open()
    yield sqlite_store
    await sqlite_store.close()


#: Statements that read rows (and so may scan); INSERTs of one row, BEGIN and COMMIT have no plan to check.
PLANNED = ("SELECT", "WITH", "UPDATE", "DELETE", "INSERT", "REPLACE")


async def plans_of(store: SqliteStore, call: Callable[[], Awaitable[object]]) -> dict[str, list[str]]:
    """Run `call` against the store and return the plan of every statement it made that has one."""
    statements: list[str] = []
    await store.trace(statements.append)
    try:
        await call()
    finally:
        await store.trace(None)
    plans = {}
    for sql in statements:
        if sql.lstrip().split(None, 1)[0].upper() in PLANNED:
            plans[sql] = await store.explain(sql)
    return plans


async def partial_indexes(store: SqliteStore) -> frozenset[str]:
    async with store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%) WHERE %'") as cur:
        return frozenset(r["name"] for r in await cur.fetchall())


def test_seed_has_the_shape_of_years_of_history(seeded: tuple[Path, Seeded]) -> None:
    data = seeded[1]
    assert 0.03 < data.open / data.tickets < 0.12
    assert data.busiest_open > data.open / 3


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_sqlite_query_uses_its_index(store: SqliteStore, seeded: tuple[Path, Seeded], case: Case) -> None:
    plans = await plans_of(store, lambda: case.call(store, seeded[1]))
    assert plans, "the call made no query"
    partial = await partial_indexes(store)
    for sql, plan in plans.items():
        assert not bad_steps(plan, case, partial), f"{sql}\n{plan}"
    used = " ".join(step for plan in plans.values() for step in plan) + " "
    assert not case.index or any(f"INDEX {name} " in used or f"{name} USING PRIMARY KEY" in used
                                 for name in case.index.split("|")), used


async def test_queries_return_what_they_count(store: SqliteStore, seeded: tuple[Path, Seeded]) -> None:
    """The indexed answers agree with the seed (the partial indexes hold every open ticket)."""
    data = seeded[1]
    assert await store.count_tickets(TicketQuery(statuses=OPEN_STATUSES)) >= data.open
    assert await store.count_tickets(TicketQuery(opd_id=BUSIEST_OPD, statuses=OPEN_STATUSES)) >= data.busiest_open
    page = await store.list_tickets(TicketQuery(opd_id=BUSIEST_OPD, statuses=OPEN_STATUSES, limit=30))
    assert len(page) == 30 and all(t.opd_id == BUSIEST_OPD and t.status in OPEN_STATUSES for t in page)
    assert [t.due_at for t in page] == sorted(t.due_at for t in page if t.due_at)
    recent = await store.recent_tickets(BUSY_RESIDENT, 3)
    assert [t.created_at for t in recent] == sorted((t.created_at for t in recent), reverse=True)
    counts = await store.outbox_counts()
    assert counts["done"] >= data.jobs


async def test_a_missing_index_shows(store: SqliteStore, seeded: tuple[Path, Seeded]) -> None:
    """The check above can fail: a queue sorted by a column no index orders, a filter on an unindexed
    field, or a write that finds its row by one, plans as a scan or a temporary sort on this store."""
    case = Case("bad", lambda s, d: s.get_ticket(""), "")
    by_update = await store.explain(f"SELECT data FROM tickets WHERE opd_id = '{BUSIEST_OPD}' AND status IN "
                                    "('baru','triase','diproses') ORDER BY updated_at LIMIT 30")
    assert any("TEMP B-TREE FOR ORDER BY" in step for step in bad_steps(by_update, case)), by_update
    by_rating = await store.explain("SELECT data FROM tickets WHERE json_extract(data, '$.rating') = 5")
    assert any(step.startswith("SCAN tickets") for step in bad_steps(by_rating, case)), by_rating
    write = await store.explain("UPDATE jobs SET attempts = 0 WHERE last_error = 'x'")
    assert any(step.startswith("SCAN jobs") for step in bad_steps(write, case)), write


async def test_statistics_are_kept(store: SqliteStore) -> None:
    """ANALYZE ran at open: the planner knows how selective each index is."""
    async def analysed() -> set[str]:
        async with store.db.execute("SELECT idx FROM sqlite_stat1 WHERE tbl IN ('events', 'tickets')") as cur:
            return {r["idx"] for r in await cur.fetchall()}

    assert {"events_ticket", "events_kind", "tickets_open_opd", "tickets_escalate_due"} <= await analysed()
    assert "tickets_open_lapor" in await partial_indexes(store)
    async with store.db.execute("DELETE FROM sqlite_stat1"):
        pass
    store.stats_interval = 0  # the next call queues a refresh on the store's thread, as background work
    await store.get_value("x")
    store.stats_interval = 3600
    for _ in range(200):
        if {"events_ticket", "tickets_open_opd"} <= await analysed():
            break
        await asyncio.sleep(0.05)
    assert {"events_ticket", "tickets_open_opd"} <= await analysed()


async def test_statistics_are_refreshed_once_the_store_has_grown(tmp_path: Path) -> None:
    """A store that opened empty and was then filled (an import) does not keep an empty table's statistics
    until the hourly refresh: they are taken again once more tickets were written than they had seen."""
    from bot.store.base import Changes, Ticket

    grown = SqliteStore(tmp_path / "grown.sqlite3")
    await grown.open()
    try:
        async def tickets_seen() -> int:
            async with grown.db.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'tickets'") as cur:
                rows = await cur.fetchall()
            return int(str(rows[0]["stat"]).split()[0]) if rows else 0

        assert await tickets_seen() == 0
        now = datetime.now(UTC)
        for batch in range(3):  # 1,500 tickets, more than STATS_GROWTH_MIN and than the 0 seen at open
            await grown.commit(Changes(tickets=[
                Ticket(number=f"WRG-2612-{batch}{n:04d}", kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr",
                       status="baru", text="jalan berlubang", reporter=f"webchat:r{n}", created_at=now, updated_at=now)
                for n in range(500)]))
        await grown.get_value("x")  # any call after the growth queues the refresh
        for _ in range(200):  # ANALYZE samples (analysis_limit): its count of 1,500 is an estimate
            if await tickets_seen() >= 1000:
                break
            await asyncio.sleep(0.05)
        assert await tickets_seen() >= 1000
        seen = await tickets_seen()
        await grown.commit(Changes(tickets=[
            Ticket(number="WRG-2612-99999", kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr",
                   status="baru", text="jalan berlubang", reporter="webchat:r", created_at=now, updated_at=now)]))
        await grown.get_value("x")
        await asyncio.sleep(0.3)  # a refresh, were one queued, would have run (background calls wait 0.25 s)
        assert await tickets_seen() == seen  # one more ticket is no reason to take them again
    finally:
        await grown.close()


# --- MongoDB: every collection call, explained ---------------------------------------------------------
@dataclass
class Op:
    """One call the store made on a collection."""

    collection: str
    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    sort: Any = None
    limit: int | None = None


#: Collection calls that read no documents by a filter (writes of new documents, metadata, admin).
NO_FILTER = {"insert_one", "insert_many", "estimated_document_count", "create_indexes", "create_index",
             "index_information", "drop_index", "list_indexes", "drop"}


class _Cursor:
    def __init__(self, inner: Any, op: Op, log: list[Op]) -> None:
        self._inner, self._op, self._log = inner, op, log

    def sort(self, key: Any, direction: int | None = None) -> _Cursor:
        self._op.sort = key if direction is None else [(key, direction)]
        self._inner = self._inner.sort(key, direction) if direction is not None else self._inner.sort(key)
        return self

    def limit(self, n: int) -> _Cursor:
        self._op.limit = n
        self._inner = self._inner.limit(n)
        return self

    async def to_list(self, length: int | None = None) -> list[Any]:
        self._log.append(self._op)
        return list(await self._inner.to_list(length))

    def __aiter__(self) -> Any:
        self._log.append(self._op)
        return self._inner.__aiter__()


class _Collection:
    def __init__(self, inner: Any, name: str, log: list[Op]) -> None:
        self._inner, self._name, self._log = inner, name, log

    def find(self, *args: Any, **kwargs: Any) -> _Cursor:
        return _Cursor(self._inner.find(*args, **kwargs), Op(self._name, "find", args, kwargs), self._log)

    def __getattr__(self, method: str) -> Any:
        target = getattr(self._inner, method)
        if not callable(target):
            return target

        async def call(*args: Any, **kwargs: Any) -> Any:
            self._log.append(Op(self._name, method, args, kwargs, kwargs.get("sort")))
            return await target(*args, **kwargs)

        return call


class _Database:
    def __init__(self, inner: Any, log: list[Op]) -> None:
        self._inner, self._log = inner, log

    def __getitem__(self, name: str) -> _Collection:
        return _Collection(self._inner[name], name, self._log)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class RecordingClient:
    """A MongoDB client (the real one or the stand-in) whose databases note every collection call."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.log: list[Op] = []

    def get_database(self, name: str, **kwargs: Any) -> _Database:
        return _Database(self._inner.get_database(name, **kwargs), self.log)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _sort_spec(sort: Any) -> dict[str, int] | None:
    if sort is None:
        return None
    if isinstance(sort, str):
        return {sort: 1}
    return {name: int(direction) for name, direction in sort}


def explain_command(op: Op) -> dict[str, Any] | None:
    """The command `op` sends, as `explain` takes it (None: it reads nothing by a filter).

    Raises KeyError for a collection call this translation does not know: add it here, so its plan is checked.
    """
    if op.method in NO_FILTER:
        return None
    args, kw, coll = op.args, op.kwargs, op.collection
    if op.method == "aggregate":
        return {"aggregate": coll, "pipeline": list(args[0]), "cursor": {}}
    query = dict(args[0]) if args else dict(kw.get("filter") or {})
    sort = _sort_spec(op.sort)
    if op.method in ("find", "find_one"):
        command: dict[str, Any] = {"find": coll, "filter": query}
        if sort:
            command["sort"] = sort
        limit = 1 if op.method == "find_one" else op.limit
        if limit:
            command["limit"] = limit
        return command
    if op.method == "count_documents":  # what PyMongo sends for it
        return {"aggregate": coll, "pipeline": [{"$match": query}, {"$group": {"_id": 1, "n": {"$sum": 1}}}],
                "cursor": {}}
    if op.method == "distinct":
        return {"distinct": coll, "key": args[0], "query": dict(args[1]) if len(args) > 1 else {}}
    if op.method in ("update_one", "update_many", "replace_one"):
        return {"update": coll, "updates": [{"q": query, "u": args[1], "upsert": bool(kw.get("upsert")),
                                             "multi": op.method == "update_many"}]}
    if op.method in ("delete_one", "delete_many"):
        return {"delete": coll, "deletes": [{"q": query, "limit": 1 if op.method == "delete_one" else 0}]}
    if op.method in ("find_one_and_update", "find_one_and_replace", "find_one_and_delete"):
        command = {"findAndModify": coll, "query": query}
        if op.method == "find_one_and_delete":
            command["remove"] = True
        else:
            command["update"] = args[1]
            command["upsert"] = bool(kw.get("upsert"))
        if sort:
            command["sort"] = sort
        return command
    raise KeyError(f"{coll}.{op.method}: no explain translation; add one to explain_command")


def winning_stages(explain: Any, inside: bool = False) -> list[str]:
    stages: list[str] = []
    if isinstance(explain, dict):
        if inside and isinstance(explain.get("stage"), str):
            stages.append(explain["stage"])
        for key, value in explain.items():
            if key == "rejectedPlans":
                continue
            stages += winning_stages(value, inside or key in ("winningPlan", "queryPlan"))
    elif isinstance(explain, list):
        for value in explain:
            stages += winning_stages(value, inside)
    return stages


MONGO_TICKETS = 3000


async def seed_mongo(store: MongoStore, tickets: int) -> Seeded:
    """Tickets (a few percent open, half of those in the busiest OPD), staff, and a history for one ticket."""
    docs = []
    from bot.store.mongo import ticket_doc

    for i in range(tickets):
        created = NOW - timedelta(hours=tickets - i)
        status = ("baru", "diproses", "triase")[i % 3] if i % 15 == 0 else ("selesai", "ditutup")[i % 2]
        ticket = Ticket(number=f"WRG-2611-{i:06d}", kind="aduan", topic="jalan_rusak",
                        opd_id=BUSIEST_OPD if i % 2 else "dlh", status=status, text="jalan rusak",
                        reporter=BUSY_RESIDENT if i % 30 == 0 else f"webchat:w{i % 500}", created_at=created,
                        updated_at=created, due_at=created + 7 * DAY, lapor_id=f"L{i}", rating=i % 5 + 1,
                        version=1)
        docs.append(ticket_doc(ticket))
    await store.db["tickets"].insert_many(docs)
    sample = f"WRG-2611-{(tickets - 15) // 15 * 15:06d}"
    officer = "webchat:plans-officer"
    await store.commit(Changes(
        identities=[Identity(officer, "webchat", "plans-officer", ROLE_OFFICER, BUSIEST_OPD),
                    Identity("webchat:plans-regent", "webchat", "plans-regent", ROLE_REGENT)],
        events=[TicketEvent(sample, kind, NOW - timedelta(hours=n), officer) for n, kind in
                enumerate(("created", "message_in", "message_out", "status", "rerouted"))]))
    return Seeded(tickets=tickets, open=tickets // 15, events=5, messages=0, jobs=0, busiest_open=tickets // 30,
                  sample_ticket=sample, sample_reporter="webchat:w485", officer=officer)


@dataclass
class MongoRun:
    """The store calls each case made (name -> the collection calls)."""

    calls: dict[str, list[Op]] = field(default_factory=dict)


async def run_cases_on_mongo(store: MongoStore, client: RecordingClient, data: Seeded) -> MongoRun:
    run = MongoRun()
    for case in CASES:
        client.log.clear()
        await case.call(store, data)
        run.calls[case.name] = list(client.log)
    return run


async def test_every_mongo_call_can_be_explained() -> None:
    """On the stand-in (no server needed): every case reaches MongoDB, and each collection call it makes
    becomes an explainable command, so the check against a real server below leaves none out."""
    from tests.fakes.async_mongomock import AsyncMongoMockClient

    client = RecordingClient(AsyncMongoMockClient())
    store = MongoStore("mongodb://stand-in", f"warga_plans_{uuid.uuid4().hex[:8]}", client=client)
    await store.open()
    try:
        data = await seed_mongo(store, 300)
        run = await run_cases_on_mongo(store, client, data)
    finally:
        await store.close()
    sqlite_only = {case.name for case in CASES if case.sqlite_only}
    for name, ops in run.calls.items():
        if name in sqlite_only:
            assert not ops, f"{name}: expected no MongoDB call"
            continue
        commands = [explain_command(op) for op in ops]
        assert any(commands), f"{name}: no query reached MongoDB"


def test_explain_translation_refuses_unknown_calls() -> None:
    with pytest.raises(KeyError):
        explain_command(Op("tickets", "map_reduce", ({},), {}))


@pytest.mark.skipif(not os.environ.get("MONGODB_URL"), reason="explain needs a real MongoDB (set MONGODB_URL)")
async def test_mongo_queries_use_indexes() -> None:
    from pymongo import AsyncMongoClient

    client = RecordingClient(AsyncMongoClient(os.environ["MONGODB_URL"], tz_aware=True))
    name = f"warga_plans_{uuid.uuid4().hex[:10]}"
    store = MongoStore(os.environ["MONGODB_URL"], name, client=client)
    try:
        await store.open()
        data = await seed_mongo(store, MONGO_TICKETS)
        run = await run_cases_on_mongo(store, client, data)
        failures = []
        for case_name, ops in run.calls.items():
            for op in ops:
                command = explain_command(op)
                if command is None:
                    continue
                explain = await store.db.command({"explain": command, "verbosity": "queryPlanner"})
                stages = winning_stages(explain)
                if "COLLSCAN" in stages or "SORT" in stages:
                    failures.append((case_name, command, stages))
        assert not failures, failures
    finally:
        await client.drop_database(name)
        await client.close()
