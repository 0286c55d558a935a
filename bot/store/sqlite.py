"""The embedded default store: one SQLite file under `var/`.

One connection in WAL mode, owned by one worker thread: every store call runs there as a single
hop (a whole transaction per call, never a blocking call on the event loop), so a
`commit(Changes)` lands whole or not at all and counters such as ticket numbers cannot interleave.
Residents' calls go before background work's (periodic passes, the outbox: see GIVE_WAY), and background
reads run on a second, read-only connection with a thread of its own (see `_read`).
Records are kept as JSON next to the columns the queries filter on.

(aiosqlite does the same with one hop per statement; a commit here is one hop for all its
statements, which is what lets one process serve 500+ messages/s.)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import math
import os
import queue
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from bot.store.base import (
    BACKGROUND,
    ESCALATED,
    FINISHED_RETENTION,
    FIRST_RESPONSE_KINDS,
    GAP_LIMIT,
    JOB_DEAD,
    JOB_DONE,
    JOB_PENDING,
    LETTER_KIND,
    OPEN_STATUSES,
    PATIENT,
    REMINDED,
    RESIDENT_TURNS,
    ROLE_OFFICER,
    STATUS_CLOSED,
    STATUS_DONE,
    Changes,
    ConflictError,
    Conversation,
    EnrolmentCode,
    FactsFilter,
    FactsSummary,
    Identity,
    InboxItem,
    Media,
    OpdCounts,
    OutboxJob,
    QueueKey,
    StoreError,
    Ticket,
    TicketEvent,
    TicketFacts,
    TicketQuery,
)
from bot.store.codec import dt_to_text, from_record, text_to_dt, to_record

# Open tickets, spelt as a literal: a partial index `WHERE <this>` serves a query only when the query
# says exactly the same (a bound parameter would not do).
OPEN_SQL = "status IN (" + ",".join(f"'{s}'" for s in OPEN_STATUSES) + ")"
# The order of every queue: dated tickets by deadline, then undated ones.
QUEUE_ORDER = "due_at IS NULL, due_at, created_at, number"
DUE_ORDER = "due_at, created_at, number"
_MARKS = {REMINDED: "json_extract(data, '$.reminded_at') IS NULL",
          ESCALATED: "json_extract(data, '$.escalated_at') IS NULL"}
LAPOR_SQL = "json_extract(data, '$.lapor_id') IS NOT NULL"
RATING_SQL = "json_extract(data, '$.rating')"

# Query indexes (tests/store/test_query_plans.py checks each query's plan against them). The partial
# ones cover only open tickets, a few percent of the table, so they stay small as history grows.
INDEXES = f"""
DROP INDEX IF EXISTS tickets_reporter;
DROP INDEX IF EXISTS tickets_status;
DROP INDEX IF EXISTS tickets_opd;
CREATE INDEX IF NOT EXISTS tickets_opd_status ON tickets (opd_id, status, due_at, kind);
CREATE INDEX IF NOT EXISTS tickets_status_queue ON tickets (status, {QUEUE_ORDER});
CREATE INDEX IF NOT EXISTS tickets_status_updated ON tickets (status, updated_at);
CREATE INDEX IF NOT EXISTS tickets_reporter_recent ON tickets (reporter, created_at, number);
DROP INDEX IF EXISTS tickets_created;
CREATE INDEX IF NOT EXISTS tickets_created_number ON tickets (created_at, number);
CREATE INDEX IF NOT EXISTS tickets_open_opd ON tickets (opd_id, {QUEUE_ORDER}) WHERE {OPEN_SQL};
CREATE INDEX IF NOT EXISTS tickets_open_all ON tickets ({QUEUE_ORDER}) WHERE {OPEN_SQL};
CREATE INDEX IF NOT EXISTS tickets_open_deadline ON tickets ({DUE_ORDER}, opd_id, kind, status)
    WHERE {OPEN_SQL} AND due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_remind_due ON tickets ({DUE_ORDER}) WHERE {OPEN_SQL} AND {_MARKS[REMINDED]};
CREATE INDEX IF NOT EXISTS tickets_escalate_due ON tickets ({DUE_ORDER}) WHERE {OPEN_SQL} AND {_MARKS[ESCALATED]};
DROP INDEX IF EXISTS identities_role;
CREATE INDEX IF NOT EXISTS identities_role_opd ON identities (role, opd_id, key);
CREATE INDEX IF NOT EXISTS identities_role_key ON identities (role, key);
CREATE INDEX IF NOT EXISTS tickets_rated ON tickets (status, updated_at, {RATING_SQL}) WHERE {RATING_SQL} IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_open_lapor ON tickets (number) WHERE {OPEN_SQL} AND {LAPOR_SQL};
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    key TEXT PRIMARY KEY, version INTEGER NOT NULL, lang TEXT NOT NULL, state TEXT NOT NULL,
    updated_at TEXT, last_inbound_at TEXT);
CREATE TABLE IF NOT EXISTS tickets (
    number TEXT PRIMARY KEY, kind TEXT NOT NULL, opd_id TEXT, status TEXT NOT NULL, reporter TEXT NOT NULL,
    due_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, ticket TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
    actor TEXT, text TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_ticket ON events (ticket, id);
CREATE INDEX IF NOT EXISTS events_kind ON events (kind, id);
CREATE TABLE IF NOT EXISTS identities (
    key TEXT PRIMARY KEY, role TEXT NOT NULL, opd_id TEXT, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enrolment_codes (code TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS media (
    id TEXT PRIMARY KEY, mime TEXT NOT NULL, data BLOB NOT NULL, created_at TEXT NOT NULL, ticket TEXT);
CREATE TABLE IF NOT EXISTS inbox (
    channel TEXT NOT NULL, message_id TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (channel, message_id));
CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (done, received_at);
CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS message_links (
    channel TEXT NOT NULL, chat_id TEXT NOT NULL, message_id TEXT NOT NULL, ticket TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id, message_id));
CREATE TABLE IF NOT EXISTS mailbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, reply TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mailbox_key ON mailbox (key, id);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, lease_owner TEXT, lease_until TEXT,
    payload TEXT NOT NULL, last_error TEXT, last_attempt_at TEXT, created_at TEXT, done_at TEXT);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (status, next_attempt_at);
""" + INDEXES


# The oversight facts (issue #15): one narrow row per ticket, kept by triggers as tickets and their
# history are written, so the dashboard reads plain columns on an index (no JSON, no per-ticket
# subqueries over the history). `first_response_at` is the earliest staff answer, `reopened` counts
# reopenings; `pin` is 1 when the location has coordinates and no kecamatan/desa was derived yet.
_FIRST_KINDS_SQL = ",".join(f"'{k}'" for k in FIRST_RESPONSE_KINDS)
# The OPD's own answer only (`answers_for_opd`): no other role named in the event, and its actor, if enrolled, an
# officer of the ticket's OPD at that moment (a transfer moves the facts' OPD in the same commit, before).
_OPD_ANSWER_SQL = (
    f"COALESCE(json_extract(NEW.data, '$.role'), '{ROLE_OFFICER}') = '{ROLE_OFFICER}' AND NOT EXISTS ("
    f"SELECT 1 FROM identities i WHERE i.key = NEW.actor AND (i.role IS NOT '{ROLE_OFFICER}' "
    "OR i.opd_id IS NOT facts.opd_id))")
_FACT_COLUMNS = ("number, kind, opd_id, topic, status, reporter, channel, created_at, due_at, closed_at, rating, "
                 "privacy, lat, lon, kecamatan, desa, pin")
_FACT_VALUES = (
    "NEW.number, NEW.kind, NEW.opd_id, json_extract(NEW.data, '$.topic'), NEW.status, "
    "NEW.reporter, substr(NEW.reporter, 1, instr(NEW.reporter, ':') - 1), NEW.created_at, NEW.due_at, "
    "json_extract(NEW.data, '$.closed_at'), json_extract(NEW.data, '$.rating'), "
    "COALESCE(json_extract(NEW.data, '$.privacy'), 'publik'), "
    "json_extract(NEW.data, '$.location.latitude'), json_extract(NEW.data, '$.location.longitude'), "
    "json_extract(NEW.data, '$.location.kecamatan'), json_extract(NEW.data, '$.location.desa'), "
    "COALESCE(json_type(NEW.data, '$.location.latitude') IN ('real', 'integer') "
    " AND json_type(NEW.data, '$.location.longitude') IN ('real', 'integer') "
    " AND json_extract(NEW.data, '$.location.kecamatan') IS NULL "
    " AND json_extract(NEW.data, '$.location.area_checked') IS NULL, 0)")
# The facts summed per UTC day and OPD ('' for none), kept exact by triggers on the facts: a dashboard adds
# up the period's whole UTC days here and counts only the two partial days at its ends on the facts.
_RESOLVED_SQL = f"status IN ('{STATUS_DONE}', '{STATUS_CLOSED}') AND closed_at IS NOT NULL"
_DAY_COUNTS = {  # column -> what one fact adds (plain column names; prefixed per trigger)
    "received": "1", "open": OPEN_SQL, "resolved": _RESOLVED_SQL,
    "with_deadline": f"({_RESOLVED_SQL}) AND due_at IS NOT NULL",
    "on_time": f"({_RESOLVED_SQL}) AND due_at IS NOT NULL AND closed_at <= due_at",
    "rated": "rating IS NOT NULL", "rating_sum": "COALESCE(rating, 0)", "reopened": "reopened > 0",
    "ever_resolved": f"({_RESOLVED_SQL}) OR reopened > 0", "hours_measured": "first_hours IS NOT NULL",
    "days_measured": f"({_RESOLVED_SQL}) AND resolution_days IS NOT NULL",
}
_DAY_COLUMNS = ", ".join(_DAY_COUNTS)
_DAY_WATCHED = ("created_at", "opd_id", "status", "due_at", "closed_at", "rating", "reopened", "first_hours",
                "resolution_days")


def _day_expr(expr: str, row: str) -> str:
    """`expr` over the columns of the trigger's NEW or OLD row."""
    for column in _DAY_WATCHED:
        expr = re.sub(rf"(?<![.\w]){column}\b", f"{row}.{column}", expr)
    return expr


def _day_upsert(row: str, sign: int) -> str:
    values = ", ".join(f"{sign} * ({_day_expr(e, row)})" for e in _DAY_COUNTS.values())
    return (f"INSERT INTO facts_days (day, opd, {_DAY_COLUMNS}) VALUES (substr({row}.created_at, 1, 10), "
            f"COALESCE({row}.opd_id, ''), {values}) ON CONFLICT (day, opd) DO UPDATE SET "
            + ", ".join(f"{c} = {c} + excluded.{c}" for c in _DAY_COUNTS) + ";")


BREAKDOWNS = ("topic", "kecamatan", "desa", "channel")


def _by_upsert(row: str, sign: int) -> str:
    return " ".join(
        f"INSERT INTO facts_by (day, dim, value, n) VALUES (substr({row}.created_at, 1, 10), '{dim}', "
        f"COALESCE({row}.{dim}, ''), {sign}) ON CONFLICT (day, dim, value) DO UPDATE SET n = n + excluded.n;"
        for dim in BREAKDOWNS)


DAYS_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS facts_days (day TEXT NOT NULL, opd TEXT NOT NULL,
    {", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in _DAY_COUNTS)}, PRIMARY KEY (day, opd)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS facts_days_new AFTER INSERT ON facts BEGIN {_day_upsert("NEW", 1)} END;
CREATE TRIGGER IF NOT EXISTS facts_gone AFTER DELETE ON facts BEGIN {_day_upsert("OLD", -1)} END;
CREATE TRIGGER IF NOT EXISTS facts_days_changed AFTER UPDATE OF {", ".join(_DAY_WATCHED)} ON facts
WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _DAY_WATCHED)} BEGIN
    {_day_upsert("OLD", -1)} {_day_upsert("NEW", 1)}
END;
-- the breakdowns (topic, kecamatan, desa, channel) of all OPDs per UTC day, '' for none
CREATE TABLE IF NOT EXISTS facts_by (day TEXT NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, dim, value)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS facts_by_new AFTER INSERT ON facts BEGIN {_by_upsert("NEW", 1)} END;
CREATE TRIGGER IF NOT EXISTS facts_by_gone AFTER DELETE ON facts BEGIN {_by_upsert("OLD", -1)} END;
CREATE TRIGGER IF NOT EXISTS facts_by_changed AFTER UPDATE OF created_at, {", ".join(BREAKDOWNS)} ON facts
WHEN OLD.created_at IS NOT NEW.created_at OR {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in BREAKDOWNS)} BEGIN
    {_by_upsert("OLD", -1)} {_by_upsert("NEW", 1)}
END;
-- the medians, read in value order per OPD and in all (ORDER BY ... LIMIT 2 OFFSET half)
CREATE INDEX IF NOT EXISTS facts_hours ON facts (opd_id, first_hours, created_at) WHERE first_hours IS NOT NULL;
CREATE INDEX IF NOT EXISTS facts_hours_all ON facts (first_hours, created_at) WHERE first_hours IS NOT NULL;
CREATE INDEX IF NOT EXISTS facts_resolution ON facts (opd_id, resolution_days, created_at, status, closed_at)
    WHERE {_RESOLVED_SQL} AND resolution_days IS NOT NULL;
CREATE INDEX IF NOT EXISTS facts_resolution_all ON facts (resolution_days, created_at, status, closed_at)
    WHERE {_RESOLVED_SQL} AND resolution_days IS NOT NULL;
-- closed without a resolution measure: the few withdrawn by their reporter (actions/oversight.py)
CREATE INDEX IF NOT EXISTS facts_unmeasured ON facts (created_at, opd_id)
    WHERE {_RESOLVED_SQL} AND resolution_days IS NULL;
-- overdue depends on the hour asked: the open facts with their deadlines
CREATE INDEX IF NOT EXISTS facts_open_due ON facts (opd_id, created_at, due_at, status) WHERE {OPEN_SQL};
-- resolved per local day, covering (the period and the OPD read off the index)
CREATE INDEX IF NOT EXISTS facts_closed_cover ON facts (closed_at, created_at, status, opd_id)
    WHERE {_RESOLVED_SQL};
"""


def _build_days(conn: sqlite3.Connection) -> None:
    """Sum the facts per day when the day totals are missing or do not add up (the triggers keep them after)."""
    facts = conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
    if conn.execute("SELECT TOTAL(received) FROM facts_days").fetchone()[0] == facts == \
            conn.execute("SELECT TOTAL(n) FROM facts_by WHERE dim = 'channel'").fetchone()[0]:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM facts_by")
        for dim in BREAKDOWNS:
            conn.execute(f"INSERT INTO facts_by (day, dim, value, n) SELECT substr(created_at, 1, 10), '{dim}', "
                         f"COALESCE({dim}, ''), COUNT(*) FROM facts GROUP BY 1, 3")
        conn.execute("DELETE FROM facts_days")
        conn.execute(f"INSERT INTO facts_days (day, opd, {_DAY_COLUMNS}) SELECT substr(created_at, 1, 10), "
                     "COALESCE(opd_id, ''), " + ", ".join(f"TOTAL({e})" for e in _DAY_COUNTS.values())
                     + " FROM facts GROUP BY 1, 2")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


FACTS_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS facts (
    created_at TEXT NOT NULL, number TEXT NOT NULL, kind TEXT NOT NULL, opd_id TEXT, topic TEXT,
    status TEXT NOT NULL, reporter TEXT, channel TEXT, due_at TEXT, closed_at TEXT, rating INTEGER, privacy TEXT,
    lat REAL, lon REAL, kecamatan TEXT, desa TEXT, pin INTEGER NOT NULL DEFAULT 0, first_response_at TEXT,
    reopened INTEGER NOT NULL DEFAULT 0, first_hours REAL, resolution_days INTEGER,
    stale INTEGER NOT NULL DEFAULT 1, stamp INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (created_at, number)) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS facts_number ON facts (number);
-- per OPD, covering what the dashboard counts (no table reads); one per breakdown, read in group order
CREATE INDEX IF NOT EXISTS facts_opd_cover ON facts (opd_id, created_at, number, status, due_at, closed_at,
    rating, reopened, first_hours, resolution_days);
CREATE INDEX IF NOT EXISTS facts_topic ON facts (topic, created_at);
CREATE INDEX IF NOT EXISTS facts_kecamatan ON facts (kecamatan, created_at);
CREATE INDEX IF NOT EXISTS facts_desa ON facts (desa, created_at);
CREATE INDEX IF NOT EXISTS facts_channel ON facts (channel, created_at);
DROP INDEX IF EXISTS facts_closed;  -- resolved per day: facts_closed_cover (below) reads it off the index
CREATE INDEX IF NOT EXISTS facts_pin ON facts (number) WHERE pin = 1;
CREATE INDEX IF NOT EXISTS facts_stale ON facts (number) WHERE stale = 1;
DROP TRIGGER IF EXISTS facts_ticket_new;  -- before the day totals: it replaced a row without a delete
DROP TRIGGER IF EXISTS facts_ticket_added;  -- it gave letter requests facts too
CREATE TRIGGER IF NOT EXISTS facts_complaint_added AFTER INSERT ON tickets WHEN NEW.kind != '{LETTER_KIND}' BEGIN
    DELETE FROM facts WHERE number = NEW.number;  -- through facts_gone, so the day totals stay exact
    INSERT OR REPLACE INTO facts ({_FACT_COLUMNS}, first_response_at, reopened) VALUES ({_FACT_VALUES},
        (SELECT MIN(e.at) FROM events e WHERE e.ticket = NEW.number AND +e.kind IN ({_FIRST_KINDS_SQL})),
        (SELECT COUNT(*) FROM events e WHERE e.ticket = NEW.number AND +e.kind = 'reopened'));
END;
CREATE TRIGGER IF NOT EXISTS facts_ticket_changed AFTER UPDATE ON tickets BEGIN
    UPDATE facts SET ({_FACT_COLUMNS}) = ({_FACT_VALUES}), stale = 1, stamp = stamp + 1 WHERE number = NEW.number;
END;
DROP TRIGGER IF EXISTS facts_answered;  -- it took the regent's and operators' answers for the OPD's first response
CREATE TRIGGER IF NOT EXISTS facts_answered_by_opd AFTER INSERT ON events WHEN NEW.kind IN ({_FIRST_KINDS_SQL}) BEGIN
    UPDATE facts SET first_response_at = NEW.at, stale = 1, stamp = stamp + 1
        WHERE number = NEW.ticket AND (first_response_at IS NULL OR first_response_at > NEW.at) AND {_OPD_ANSWER_SQL};
END;
CREATE TRIGGER IF NOT EXISTS facts_reopened AFTER INSERT ON events WHEN NEW.kind = 'reopened' BEGIN
    UPDATE facts SET reopened = reopened + 1 WHERE number = NEW.ticket;
END;
""" + DAYS_SCHEMA


# A ticket closed as withdrawn by its reporter (actions/common.py `WITHDRAWN`).
_WITHDRAWN_SQL = "json_extract(data, '$.extra.withdrawn')"


# `find_facts` columns that are not the facts table's own: the assignee from the ticket's record
_COLUMN_SQL = {"assignee": "(SELECT json_extract(t.data, '$.extra.assignee.name') FROM tickets t "
                           "WHERE t.number = facts.number)"}


def _private(path: Path) -> None:
    """The database holds NIKs, phone numbers and photos: a new file is readable by its owner only (SQLite gives
    its -wal and -shm files the same mode), and an existing one loses what other users could read."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        return
    mode = path.stat().st_mode & 0o777
    if mode & 0o007:
        with contextlib.suppress(OSError):  # not the owner: leave it, as before
            path.chmod(mode & ~0o007)
            logger.warning("sqlite: %s was readable by every user of this machine; now it is not (mode %o)",
                           path, mode & ~0o007)


def _build_facts(conn: sqlite3.Connection) -> None:
    """Fill the facts of tickets written before the table existed (the triggers keep it after), and drop those
    of letter requests an earlier release gave facts to."""
    tickets = conn.execute("SELECT COUNT(*) FROM tickets WHERE kind != ?", (LETTER_KIND,)).fetchone()[0]
    if conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0] == tickets:
        return
    values = _FACT_VALUES.replace("NEW.", "t.")
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM facts WHERE kind = ?", (LETTER_KIND,))  # through facts_gone: day totals exact
        conn.execute(
            f"INSERT OR IGNORE INTO facts ({_FACT_COLUMNS}, first_response_at, reopened) SELECT {values}, "
            f"(SELECT MIN(e.at) FROM events e WHERE e.ticket = t.number AND +e.kind IN ({_FIRST_KINDS_SQL})), "
            "(SELECT COUNT(*) FROM events e WHERE e.ticket = t.number AND +e.kind = 'reopened') FROM tickets t "
            "WHERE t.kind != ?", (LETTER_KIND,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# Columns added to the inbox after its first release (claims with a lease, attempts, poison errors).
INBOX_COLUMNS = {"attempts": "INTEGER NOT NULL DEFAULT 0", "last_error": "TEXT", "lease_owner": "TEXT",
                 "lease_until": "TEXT", "done_at": "TEXT"}



def _add_missing_columns(conn: sqlite3.Connection, table: str, columns: dict[str, str]) -> None:
    """Bring a table made by an older release up to date (ALTER TABLE ADD COLUMN is idempotent here)."""
    present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    for name, definition in columns.items():
        if name not in present:
            try:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {definition}")
            except sqlite3.OperationalError as exc:  # another process added it meanwhile
                if "duplicate column" not in str(exc):
                    raise


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


T = TypeVar("T")
logger = logging.getLogger(__name__)

STATS_INTERVAL = 3600.0
# The statistics are also refreshed, sooner, once more tickets were written since the last refresh than the table
# then held (and at least STATS_GROWTH_MIN): a store filled quickly after it opened (an import, a migration) kept
# an empty table's plans until the hourly refresh, and the all-OPD dashboard took 4 times as long.
STATS_GROWTH_MIN = 1000
JOBS_TOTAL_TTL = 30.0
# Rows ANALYZE samples per index: enough for the planner to tell a selective index from a
# common value, and it keeps a refresh to milliseconds on a store of any size.
ANALYSIS_LIMIT = 1000


def _log_failure(future: Future[Any]) -> None:
    if future.exception() is not None:
        logger.warning("sqlite: refreshing the planner's statistics failed: %s", future.exception())


# With a reader connection (a store in a file), the writer does not checkpoint the WAL itself: SQLite's
# automatic checkpoint runs inside whichever commit crosses 1,000 WAL pages (often a resident's), copying
# pages into the database file and syncing it while every call queued behind waits. Instead the reader's
# thread runs a PASSIVE checkpoint every CHECKPOINT_INTERVAL seconds, which never blocks the writer.
CHECKPOINT_INTERVAL = 1.0


def _checkpoint(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def _log_checkpoint(future: Future[None]) -> None:
    if future.exception() is not None:
        logger.warning("sqlite: checkpointing the write-ahead log failed: %s", future.exception())


# Finished records leave the store after FINISHED_RETENTION (MongoDB does the same with TTL indexes):
# every PURGE_INTERVAL seconds at most PURGE_BATCH rows of each kind, oldest first, so a pass stays a
# few milliseconds and a backlog (a store that ran without it) drains over the next passes.
PURGE_INTERVAL = 60.0
PURGE_BATCH = 1000
# Indexes on the finishing time (partial: finished rows only): a pass reads what it deletes and no more.
PURGE_INDEXES = f"""
CREATE INDEX IF NOT EXISTS inbox_done_at ON inbox (done_at) WHERE done = 1;
CREATE INDEX IF NOT EXISTS jobs_done_at ON jobs (done_at) WHERE status = '{JOB_DONE}';
CREATE INDEX IF NOT EXISTS mailbox_at ON mailbox (at);
"""
PURGE_STATEMENTS = (
    "DELETE FROM inbox WHERE rowid IN (SELECT rowid FROM inbox INDEXED BY inbox_done_at "
    "WHERE done = 1 AND done_at < :before ORDER BY done_at LIMIT :limit)",
    f"DELETE FROM jobs WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_done_at WHERE status = '{JOB_DONE}' "
    "AND done_at < :before ORDER BY done_at LIMIT :limit)",
    "DELETE FROM mailbox WHERE id IN (SELECT id FROM mailbox INDEXED BY mailbox_at WHERE at < :before "
    "ORDER BY at LIMIT :limit)",
)


def _purge_finished(conn: sqlite3.Connection, before: datetime, limit: int) -> int:
    """Delete at most `limit` finished inbox items, sent jobs and mailbox replies each, finished before `before`."""
    params = {"before": dt_to_text(before), "limit": limit}
    conn.execute("BEGIN IMMEDIATE")
    try:
        removed = sum(conn.execute(sql, params).rowcount for sql in PURGE_STATEMENTS)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return removed


def _log_purge(future: Future[int]) -> None:
    if future.exception() is not None:  # another process held the write lock: the next pass catches up
        logger.warning("sqlite: removing finished inbox items and jobs failed: %s", future.exception())
    elif future.result():
        logger.info("sqlite: removed %d finished inbox items, jobs and mailbox replies older than %d days",
                    future.result(), FINISHED_RETENTION.days)


def _refresh_statistics(conn: sqlite3.Connection) -> int:
    """ANALYZE (sampled): without statistics SQLite guesses, and on `ticket = ? AND kind = ?` it
    guessed the index on kind and read every reply in the store. Returns the tickets the statistics saw."""
    conn.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA optimize")
    row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'tickets' LIMIT 1").fetchone()
    return int(str(row[0]).split()[0]) if row else 0


# How long a background call (a periodic pass, the outbox: see bot/store/base.py BACKGROUND) lets residents'
# calls that arrive after it go first. A pass's calls queued on the store's thread would otherwise sit ahead of
# a resident's ten or so calls per chat turn, each adding a pass's call to the resident's answer; past this
# wait the call goes in its turn, so background work is delayed under load, never starved.
GIVE_WAY = 0.25

# How long a patient background call (a periodic pass's: see bot/store/base.py PATIENT) waits on the event loop,
# before it is even queued, for a moment when no resident's store call is in flight and no resident's turn is
# being answered. The store's thread needs the GIL for every row it returns, and a pass's Python running on the
# event loop meanwhile holds it for a switch interval each time (a resident's 40-row read could take 40 ms
# instead of 1); and a pass's Python between a turn's steps delays the turn's answer. A pass that waits here
# runs its Python in the gaps between residents; past this wait it goes anyway: slowed under load, never
# stopped. Both waits are signalled (the last resident's call or turn to end wakes it), never polled.
RESIDENTS_FIRST = GAP_LIMIT


class _StoreThread:
    """The store's one thread: calls run one at a time, the earliest due first. A resident's call is due when
    it arrives, a background call GIVE_WAY seconds after it arrives; equal ones in arrival order."""

    def __init__(self, name: str = "sqlite") -> None:
        self._queue: queue.PriorityQueue[tuple[float, int, Callable[..., Any] | None, tuple[Any, ...],
                                               Future[Any]]] = queue.PriorityQueue()
        self._order = itertools.count()
        # a daemon: a store left open must not keep the process from exiting (a call cut short by the exit
        # is a transaction SQLite rolls back)
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., T], *args: Any, background: bool = False, last: bool = False) -> Future[T]:
        """Queue `fn(*args)`; `last`: after everything queued (closing the connection)."""
        future: Future[T] = Future()
        due = math.inf if last else time.monotonic() + (GIVE_WAY if background else 0.0)
        self._queue.put((due, next(self._order), fn, args, future))
        return future

    def shutdown(self) -> None:
        """Run what is queued, then stop."""
        self._queue.put((math.inf, next(self._order), None, (), Future()))
        self._thread.join()

    def _serve(self) -> None:
        while True:
            _, _, fn, args, future = self._queue.get()
            if fn is None:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to the caller, as an executor does
                future.set_exception(exc)
            else:
                future.set_result(result)


class _Query:
    """`async with store.db.execute(sql, params) as cur: await cur.fetchall()` (aiosqlite's reading style)."""

    def __init__(self, store: SqliteStore, sql: str, params: Any) -> None:
        self.store, self.sql, self.params = store, sql, params
        self.rows: list[sqlite3.Row] = []

    async def __aenter__(self) -> _Query:
        self.rows = await self.store._all(self.sql, self.params)
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def fetchall(self) -> list[sqlite3.Row]:
        return self.rows

    async def fetchone(self) -> sqlite3.Row | None:
        return self.rows[0] if self.rows else None

    def __aiter__(self) -> Any:
        async def rows() -> Any:
            for row in self.rows:
                yield row

        return rows()


class _Reader:
    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def execute(self, sql: str, params: Any = ()) -> _Query:
        return _Query(self.store, sql, params)


class SqliteStore:
    """The Store protocol on one SQLite file (see bot/store/base.py for each method's contract)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self._conn: sqlite3.Connection | None = None
        self._thread: _StoreThread | None = None
        #: Background work's reads: a second connection on its own thread (see _read); None for ":memory:".
        self._reader: tuple[_StoreThread, sqlite3.Connection] | None = None
        self._stats_at = self._checkpoint_at = 0.0
        #: Tickets the last statistics saw, and tickets written since (see STATS_GROWTH_MIN).
        self._tickets_at_stats = self._tickets_written = 0
        #: Residents' (not background) calls in flight, and an event set while there are none: see RESIDENTS_FIRST.
        self._residents = 0
        self._residents_idle = asyncio.Event()
        self._residents_idle.set()
        self._jobs_total = (-JOBS_TOTAL_TTL, 0)  # (when counted, how many jobs): see outbox_counts
        #: Seconds between refreshes of the planner's statistics (ANALYZE with a row limit: milliseconds).
        self.stats_interval = STATS_INTERVAL
        self._purge_at = 0.0
        #: Seconds between removals of finished records (see PURGE_INTERVAL).
        self.purge_interval = PURGE_INTERVAL

    # --- lifecycle ---------------------------------------------------------------------------------
    async def open(self) -> None:
        if self._conn is not None:
            return
        if isinstance(self.path, Path):
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _private(self.path)
        self._thread = _StoreThread()

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.executescript(SCHEMA)
            conn.executescript(FACTS_SCHEMA)
            _build_facts(conn)
            _build_days(conn)
            _add_missing_columns(conn, "inbox", INBOX_COLUMNS)
            _add_missing_columns(conn, "mailbox", {"dedupe": "TEXT"})
            conn.executescript(PURGE_INDEXES)  # after the inbox's done_at column exists
            conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS mailbox_dedupe ON mailbox (dedupe) "
                         "WHERE dedupe IS NOT NULL")
            try:
                self._tickets_at_stats = _refresh_statistics(conn)
            except sqlite3.OperationalError as exc:  # another process holds the write lock: next hour
                logger.warning("sqlite: could not refresh the planner's statistics at start: %s", exc)
            # The dashboard's period query (issue #15) uses tickets_created_number; an (opd_id, created_at) index
            # would lure the digest's GROUP BY opd_id into a skip-scan with a temporary sort.
            conn.execute("DROP INDEX IF EXISTS tickets_opd_created")
            return conn

        self._conn = await asyncio.wrap_future(self._thread.submit(connect))
        if isinstance(self.path, Path):
            reader = _StoreThread("sqlite-reader")

            def connect_reader() -> sqlite3.Connection:
                conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA busy_timeout=5000")
                conn.execute("PRAGMA query_only=1")  # a write here would be a bug: fail loudly
                return conn

            self._reader = (reader, await asyncio.wrap_future(reader.submit(connect_reader)))
            # the reader checkpoints (_checkpoint)
            await asyncio.wrap_future(self._thread.submit(self._conn.execute, "PRAGMA wal_autocheckpoint=0"))
        self._stats_at = self._purge_at = self._checkpoint_at = time.monotonic()

    async def close(self) -> None:
        if self._conn is not None and self._thread is not None:
            conn, self._conn = self._conn, None
            await asyncio.wrap_future(self._thread.submit(conn.close, last=True))
            self._thread.shutdown()
            if self._reader is not None:
                reader, self._reader = self._reader, None
                await asyncio.wrap_future(reader[0].submit(reader[1].close, last=True))
                reader[0].shutdown()
            self._thread = None

    @property
    def db(self) -> _Reader:
        """Read-only SQL for tools (migration): `async with store.db.execute(sql, params) as cur`."""
        return _Reader(self)

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn(connection)` on the store's thread: one hop, nothing blocking on the event loop. A call from
        background work (BACKGROUND) lets residents' calls go first (see GIVE_WAY)."""
        conn, thread = self._conn, self._thread
        if conn is None or thread is None:
            raise StoreError("store is not open")
        if (time.monotonic() - self._stats_at >= self.stats_interval
                or self._tickets_written > max(STATS_GROWTH_MIN, self._tickets_at_stats)):
            self._stats_at, self._tickets_written = time.monotonic(), 0
            # on the same single thread, as background work; a failure (say, another process holds the write
            # lock past the busy timeout) only postpones it to the next interval
            thread.submit(_refresh_statistics, conn, background=True).add_done_callback(self._statistics_done)
        reader = self._reader
        if reader is not None and time.monotonic() - self._checkpoint_at >= CHECKPOINT_INTERVAL:
            self._checkpoint_at = time.monotonic()
            reader[0].submit(_checkpoint, reader[1]).add_done_callback(_log_checkpoint)
        if time.monotonic() - self._purge_at >= self.purge_interval:
            self._purge_at = time.monotonic()
            thread.submit(_purge_finished, conn, datetime.now(UTC) - FINISHED_RETENTION,
                          PURGE_BATCH, background=True).add_done_callback(_log_purge)
        if BACKGROUND.get():
            if PATIENT.get():
                await self._after_residents()
            return await asyncio.wrap_future(thread.submit(fn, conn, background=True))
        self._residents += 1
        self._residents_idle.clear()
        try:
            return await asyncio.wrap_future(thread.submit(fn, conn))
        finally:
            self._residents -= 1
            if not self._residents:
                self._residents_idle.set()

    async def _after_residents(self) -> None:
        """A patient background call's turn: once no resident's call is in flight and no resident's turn is being
        answered (RESIDENT_TURNS), or after RESIDENTS_FIRST. Both are signalled: waiting costs the loop nothing."""
        loop = asyncio.get_running_loop()
        until = loop.time() + RESIDENTS_FIRST
        while (left := until - loop.time()) > 0:
            if self._residents:
                try:
                    await asyncio.wait_for(self._residents_idle.wait(), left)
                except TimeoutError:
                    return
            elif RESIDENT_TURNS.count:
                await RESIDENT_TURNS.gap(left)  # a turn on the event loop: woken when it is answered
            else:
                return

    async def trace(self, callback: Callable[[str], object] | None) -> None:
        """Hand every SQL statement the store runs to `callback` (None stops): query-plan tests, debugging."""
        await self._run(lambda db: db.set_trace_callback(callback))
        if self._reader is not None:
            await asyncio.wrap_future(self._reader[0].submit(self._reader[1].set_trace_callback, callback))

    async def explain(self, sql: str) -> list[str]:
        """SQLite's `EXPLAIN QUERY PLAN` of `sql` on this store, one line per step."""
        return [str(row["detail"]) for row in await self._all("EXPLAIN QUERY PLAN " + sql)]

    async def purge_finished(self, now: datetime | None = None, limit: int = PURGE_BATCH) -> int:
        """Remove now (the store also does it every minute) at most `limit` each of the inbox items, jobs and
        mailbox replies that finished more than FINISHED_RETENTION before `now`; returns how many went."""
        self._purge_at = time.monotonic()
        before = (now or datetime.now(UTC)) - FINISHED_RETENTION
        return await self._run(lambda db: _purge_finished(db, before, limit))

    async def refresh_statistics(self) -> None:
        """Bring the planner's statistics up to date now (the store also does it at open, hourly and after
        growth: see STATS_GROWTH_MIN)."""
        self._stats_at, self._tickets_written = time.monotonic(), 0
        self._tickets_at_stats = await self._run(_refresh_statistics)

    def _statistics_done(self, future: Future[int]) -> None:
        _log_failure(future)
        if future.exception() is None:
            self._tickets_at_stats = future.result()

    async def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run a read-only `fn(connection)`. Background work (BACKGROUND) reads on the store's second connection
        and thread, which WAL lets read beside the writer: a pass's queries (the digest's counts, a LAPOR! page)
        then never hold the thread residents' calls run on. It sees every commit made before it starts, so a
        worker reads its own writes. Everything else runs as `_run`."""
        reader = self._reader
        if reader is None or not BACKGROUND.get():
            return await self._run(fn)
        if PATIENT.get():
            await self._after_residents()
        return await asyncio.wrap_future(reader[0].submit(fn, reader[1]))

    async def _one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        args = tuple(params) if not isinstance(params, dict) else params
        return await self._read(lambda db: db.execute(sql, args).fetchone())

    async def _all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        args = tuple(params) if not isinstance(params, dict) else params
        return await self._read(lambda db: db.execute(sql, args).fetchall())

    async def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work(db)` in one IMMEDIATE transaction on the store's thread."""

        def run(db: sqlite3.Connection) -> T:
            db.execute("BEGIN IMMEDIATE")
            try:
                result = work(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return result

        return await self._run(run)

    # --- conversations -----------------------------------------------------------------------------
    async def get_conversation(self, key: str) -> Conversation | None:
        row = await self._one("SELECT * FROM conversations WHERE key = ?", (key,))
        if row is None:
            return None
        return Conversation(row["key"], json.loads(row["state"]), row["lang"], row["version"],
                            text_to_dt(row["updated_at"]), text_to_dt(row["last_inbound_at"]))

    async def commit(self, changes: Changes) -> None:
        if not changes:
            return

        def work(db: sqlite3.Connection) -> None:
            conv = changes.conversation
            if conv is not None:
                self._write_conversation(db, conv)
            for key, patch in changes.conversation_patches.items():
                self._patch_conversation(db, key, patch)
            for ticket in changes.tickets:
                self._write_ticket(db, ticket)
            for event in changes.events:
                self._write_event(db, event)
            for identity in changes.identities:
                self._write_identity(db, identity)
            for media in changes.media:
                db.execute("INSERT OR REPLACE INTO media (id, mime, data, created_at, ticket) VALUES (?,?,?,?,?)",
                                 (media.id, media.mime, media.data, dt_to_text(media.created_at), media.ticket))
            self._insert_jobs(db, changes.jobs)

        await self._transaction(work)
        self._tickets_written += len(changes.tickets)
        if changes.conversation is not None:
            changes.conversation.version += 1
        for ticket in changes.tickets:
            ticket.version += 1

    def _write_conversation(self, db: sqlite3.Connection, conv: Conversation) -> None:
        params = (_dumps(conv.state), conv.lang, dt_to_text(conv.updated_at), dt_to_text(conv.last_inbound_at))
        if conv.version == 0:
            cur = db.execute(
                "INSERT OR IGNORE INTO conversations (state, lang, updated_at, last_inbound_at, key, version) "
                "VALUES (?,?,?,?,?,1)", (*params, conv.key))
        else:
            cur = db.execute(
                "UPDATE conversations SET state = ?, lang = ?, updated_at = ?, last_inbound_at = ?, "
                "version = version + 1 WHERE key = ? AND version = ?", (*params, conv.key, conv.version))
        if cur.rowcount != 1:
            raise ConflictError(f"conversation {conv.key} changed since it was read")

    def _patch_conversation(self, db: sqlite3.Connection, key: str, patch: dict[str, Any]) -> None:
        row = db.execute("SELECT state FROM conversations WHERE key = ?", (key,)).fetchone()
        if row is None:
            db.execute("INSERT INTO conversations (key, version, lang, state) VALUES (?, 1, 'id', ?)",
                             (key, _dumps(patch)))
            return
        state = json.loads(row["state"])
        state.update(patch)
        db.execute("UPDATE conversations SET state = ?, version = version + 1 WHERE key = ?",
                         (_dumps(state), key))

    def _write_ticket(self, db: sqlite3.Connection, ticket: Ticket) -> None:
        record = to_record(ticket)
        record["version"] = ticket.version + 1
        columns = (ticket.kind, ticket.opd_id, ticket.status, ticket.reporter, record["due_at"], record["created_at"],
                   record["updated_at"], _dumps(record), ticket.number)
        if ticket.version == 0:
            try:
                db.execute("INSERT INTO tickets (kind, opd_id, status, reporter, due_at, created_at, updated_at, data, "
                           "number) VALUES (?,?,?,?,?,?,?,?,?)", columns)
            except sqlite3.IntegrityError:
                raise ConflictError(f"ticket {ticket.number} exists already") from None
            return
        cur = db.execute(
            "UPDATE tickets SET kind = ?, opd_id = ?, status = ?, reporter = ?, due_at = ?, created_at = ?, "
            "updated_at = ?, data = ? WHERE number = ? AND COALESCE(json_extract(data, '$.version'), 0) = ?",
            (*columns, ticket.version))
        if cur.rowcount != 1:
            raise ConflictError(f"ticket {ticket.number} changed since it was read")

    def _write_event(self, db: sqlite3.Connection, event: TicketEvent) -> None:
        record = to_record(event)
        cur = db.execute("INSERT INTO events (ticket, kind, at, actor, text, data) VALUES (?,?,?,?,?,?)",
                               (event.ticket, event.kind, record["at"], event.actor, event.text,
                                _dumps(record["data"])))
        event.id = str(cur.lastrowid)

    def _write_identity(self, db: sqlite3.Connection, identity: Identity) -> None:
        db.execute("INSERT OR REPLACE INTO identities (key, role, opd_id, data) VALUES (?,?,?,?)",
                         (identity.key, identity.role, identity.opd_id, _dumps(to_record(identity))))

    def _insert_jobs(self, db: sqlite3.Connection, jobs: list[OutboxJob]) -> None:
        for job in jobs:
            record = to_record(job)
            cur = db.execute(
                "INSERT OR IGNORE INTO jobs (key, kind, status, attempts, next_attempt_at, payload, created_at) "
                "VALUES (?,?,?,?,?,?,?)",
                (job.key, job.kind, JOB_PENDING, 0, record["next_attempt_at"] or record["created_at"],
                 _dumps(job.payload), record["created_at"]))
            if cur.rowcount == 1:
                job.id = str(cur.lastrowid)

    # --- tickets -----------------------------------------------------------------------------------
    async def next_ticket_seq(self, period: str) -> int:
        def work(db: sqlite3.Connection) -> int:
            name = f"ticket:{period}"
            db.execute("INSERT INTO counters (name, value) VALUES (?, 1) "
                             "ON CONFLICT(name) DO UPDATE SET value = value + 1", (name,))
            row = db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
            return int(row["value"])

        return await self._transaction(work)

    async def get_ticket(self, number: str) -> Ticket | None:
        row = await self._one("SELECT data FROM tickets WHERE number = ?", (number,))
        return from_record(Ticket, json.loads(row["data"])) if row else None

    @staticmethod
    def _ticket_where(query: TicketQuery) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("opd_id", query.opd_id), ("reporter", query.reporter), ("kind", query.kind)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if query.statuses is not None:
            if set(query.statuses) == set(OPEN_STATUSES):
                where.append(OPEN_SQL)  # literal: lets the partial indexes of open tickets serve it
            else:
                where.append(f"status IN ({','.join('?' * len(query.statuses))})")
                params.extend(query.statuses)
        if query.unreminded:
            where.append(_MARKS[REMINDED])
        if query.withdrawn:
            where.append(f"{_WITHDRAWN_SQL} = 1")
        for column, op, moment in (("due_at", "<", query.due_before), ("created_at", ">=", query.created_after),
                                   ("updated_at", ">=", query.updated_after),
                                   ("json_extract(data, '$.closed_at')", ">=", query.closed_after)):
            if moment is not None:
                where.append(f"{column} {op} ?")
                params.append(dt_to_text(moment))
        return (" WHERE " + " AND ".join(where)) if where else "", params

    async def list_tickets(self, query: TicketQuery) -> list[Ticket]:
        where, params = self._ticket_where(query)
        sql = f"SELECT data FROM tickets{where} ORDER BY {QUEUE_ORDER} LIMIT ?"
        return self._tickets(await self._all(sql, [*params, query.limit]))

    @staticmethod
    def _tickets(rows: list[sqlite3.Row]) -> list[Ticket]:
        return [from_record(Ticket, json.loads(r["data"])) for r in rows]

    async def count_tickets(self, query: TicketQuery) -> int:
        where, params = self._ticket_where(query)
        row = await self._one(f"SELECT COUNT(*) AS n FROM tickets{where}", params)
        return int(row["n"]) if row else 0

    async def count_tickets_by_opd(self, query: TicketQuery) -> dict[tuple[str | None, str], int]:
        where, params = self._ticket_where(query)
        rows = await self._all(f"SELECT opd_id, kind, COUNT(*) AS n FROM tickets{where} GROUP BY opd_id, kind",
                               params)
        return {(r["opd_id"], r["kind"]): int(r["n"]) for r in rows}

    async def recent_tickets(self, reporter: str, limit: int) -> list[Ticket]:
        rows = await self._all("SELECT data FROM tickets WHERE reporter = ? "
                               "ORDER BY created_at DESC, number DESC LIMIT ?", (reporter, limit))
        return self._tickets(rows)

    async def open_tickets_due(self, before: datetime, *, after: datetime | None = None,
                               unmarked: str | None = None, start: QueueKey | None = None,
                               limit: int = 100) -> list[Ticket]:
        where = [OPEN_SQL, "due_at IS NOT NULL" if unmarked is None else _MARKS[unmarked], "due_at < ?"]
        params: list[Any] = [dt_to_text(before)]
        if after is not None:
            where.append("due_at >= ?")
            params.append(dt_to_text(after))
        if start is not None:
            where.append("(due_at, created_at, number) > (?, ?, ?)")
            params += [dt_to_text(start[0]), dt_to_text(start[1]), start[2]]
        sql = f"SELECT data FROM tickets WHERE {' AND '.join(where)} ORDER BY {DUE_ORDER} LIMIT ?"
        return self._tickets(await self._all(sql, [*params, limit]))

    async def rating_summary(self, since: datetime) -> tuple[int, float | None]:
        row = await self._one(
            f"SELECT COUNT(*) AS n, AVG({RATING_SQL}) AS avg FROM tickets "
            f"WHERE status IN (?, ?) AND updated_at >= ? AND {RATING_SQL} IS NOT NULL",
            (STATUS_DONE, STATUS_CLOSED, dt_to_text(since)))
        if row is None or not row["n"]:
            return 0, None
        return int(row["n"]), float(row["avg"])

    async def open_lapor_tickets(self, after_number: str | None, limit: int) -> list[tuple[str, str]]:
        rows = await self._all(f"SELECT number, json_extract(data, '$.lapor_id') AS lapor_id FROM tickets "
                               f"WHERE {OPEN_SQL} AND {LAPOR_SQL} AND number > ? ORDER BY number LIMIT ?",
                               (after_number or "", limit))
        return [(r["number"], str(r["lapor_id"])) for r in rows]

    def _event(self, row: sqlite3.Row) -> TicketEvent:
        return TicketEvent(ticket=row["ticket"], kind=row["kind"], at=text_to_dt(row["at"]),  # type: ignore[arg-type]
                           actor=row["actor"], text=row["text"], data=json.loads(row["data"]), id=str(row["id"]))

    async def ticket_events(self, number: str, kind: str | None = None) -> list[TicketEvent]:
        if kind is None:
            rows = await self._all("SELECT * FROM events WHERE ticket = ? ORDER BY id", (number,))
        else:
            # `+kind`: filter this ticket's few events by kind; never walk the index of a common kind
            rows = await self._all("SELECT * FROM events WHERE ticket = ? AND +kind = ? ORDER BY id", (number, kind))
        return [self._event(r) for r in rows]

    async def events_of_kind(self, kind: str, limit: int = 10000) -> list[TicketEvent]:
        rows = await self._all("SELECT * FROM events WHERE kind = ? ORDER BY id LIMIT ?", (kind, limit))
        return [self._event(r) for r in rows]

    # --- identities and enrolment ------------------------------------------------------------------
    async def get_identity(self, key: str) -> Identity | None:
        row = await self._one("SELECT data FROM identities WHERE key = ?", (key,))
        return from_record(Identity, json.loads(row["data"])) if row else None

    async def list_identities(self, role: str | None = None, opd_id: str | None = None) -> list[Identity]:
        sql, params = "SELECT data FROM identities WHERE 1=1", []
        if role is not None:
            sql += " AND role = ?"
            params.append(role)
        if opd_id is not None:
            sql += " AND opd_id = ?"
            params.append(opd_id)
        rows = await self._all(sql + " ORDER BY key", params)
        return [from_record(Identity, json.loads(r["data"])) for r in rows]

    async def add_enrolment_code(self, code: EnrolmentCode) -> None:
        def work(db: sqlite3.Connection) -> None:
            db.execute("INSERT INTO enrolment_codes (code, data) VALUES (?, ?)",
                             (code.code, _dumps(to_record(code))))

        await self._transaction(work)

    async def void_enrolment_codes(self, codes: Sequence[str], now: datetime) -> int:
        def work(db: sqlite3.Connection) -> int:
            voided = 0
            for code in dict.fromkeys(codes):
                row = db.execute("SELECT data FROM enrolment_codes WHERE code = ?", (code,)).fetchone()
                record = from_record(EnrolmentCode, json.loads(row["data"])) if row else None
                if record is not None and record.used_by is None and \
                        (record.expires_at is None or record.expires_at > now):
                    record.expires_at = now
                    db.execute("UPDATE enrolment_codes SET data = ? WHERE code = ?", (_dumps(to_record(record)), code))
                    voided += 1
            return voided

        return await self._transaction(work)

    async def redeem_enrolment_code(self, code: str, identity: Identity, now: datetime) -> EnrolmentCode | None:
        def work(db: sqlite3.Connection) -> EnrolmentCode | None:
            row = db.execute("SELECT data FROM enrolment_codes WHERE code = ?", (code,)).fetchone()
            if row is None:
                return None
            record = from_record(EnrolmentCode, json.loads(row["data"]))
            if record.used_by is not None or (record.expires_at is not None and record.expires_at <= now):
                return None
            record.used_by, record.used_at = identity.key, now
            db.execute("UPDATE enrolment_codes SET data = ? WHERE code = ?", (_dumps(to_record(record)), code))
            identity.role, identity.opd_id = record.role, record.opd_id
            self._write_identity(db, identity)
            return record

        return await self._transaction(work)

    # --- media -------------------------------------------------------------------------------------
    async def get_media(self, media_id: str) -> Media | None:
        row = await self._one("SELECT * FROM media WHERE id = ?", (media_id,))
        if row is None:
            return None
        return Media(row["id"], row["mime"], bytes(row["data"]), text_to_dt(row["created_at"]),  # type: ignore[arg-type]
                     row["ticket"])

    # --- inbox -------------------------------------------------------------------------------------
    async def inbox_add(self, item: InboxItem) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            cur = db.execute(
                "INSERT OR IGNORE INTO inbox (channel, message_id, payload, received_at, done, lease_owner, "
                "lease_until, attempts) VALUES (?,?,?,?,0,?,?,?)",
                (item.channel, item.message_id, _dumps(item.payload), dt_to_text(item.received_at), item.lease_owner,
                 dt_to_text(item.lease_until), 1 if item.lease_owner else 0))
            return cur.rowcount == 1

        return await self._transaction(work)

    async def inbox_done(self, channel: str, message_id: str, error: str | None = None) -> None:
        def work(db: sqlite3.Connection) -> None:
            db.execute("UPDATE inbox SET done = 1, done_at = ?, lease_owner = NULL, lease_until = NULL, "
                       "last_error = COALESCE(?, last_error) WHERE channel = ? AND message_id = ?",
                       (dt_to_text(datetime.now(UTC)), error[:1000] if error else None, channel, message_id))

        await self._transaction(work)

    @staticmethod
    def _inbox_item(r: sqlite3.Row) -> InboxItem:
        return InboxItem(r["channel"], r["message_id"], json.loads(r["payload"]),
                         text_to_dt(r["received_at"]), bool(r["done"]), int(r["attempts"] or 0),  # type: ignore[arg-type]
                         r["last_error"], r["lease_owner"], text_to_dt(r["lease_until"]))

    async def inbox_pending(self, limit: int = 100) -> list[InboxItem]:
        rows = await self._all("SELECT * FROM inbox WHERE done = 0 ORDER BY received_at LIMIT ?", (limit,))
        return [self._inbox_item(r) for r in rows]

    async def inbox_claim(self, owner: str, now: datetime, lease_seconds: float, limit: int,
                          channel: str | None = None, message_id: str | None = None) -> list[InboxItem]:
        now_text = dt_to_text(now)
        until = dt_to_text(now + timedelta(seconds=lease_seconds))
        where = "done = 0 AND (lease_until IS NULL OR lease_until <= ?)"
        params: list[Any] = [now_text]
        if channel is not None:
            where += " AND channel = ?"
            params.append(channel)
        if message_id is not None:
            where += " AND message_id = ?"
            params.append(message_id)

        def work(db: sqlite3.Connection) -> list[InboxItem]:
            rows = db.execute(f"SELECT channel, message_id FROM inbox WHERE {where} ORDER BY received_at LIMIT ?",
                              (*params, limit)).fetchall()
            claimed = []
            for row in rows:
                db.execute("UPDATE inbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 "
                           "WHERE channel = ? AND message_id = ?", (owner, until, row[0], row[1]))
                claimed.append(db.execute("SELECT * FROM inbox WHERE channel = ? AND message_id = ?",
                                          (row[0], row[1])).fetchone())
            return [self._inbox_item(r) for r in claimed]

        return await self._transaction(work)

    async def inbox_renew(self, channel: str, message_id: str, owner: str, until: datetime) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            cur = db.execute("UPDATE inbox SET lease_until = ? WHERE channel = ? AND message_id = ? "
                             "AND lease_owner = ? AND done = 0", (dt_to_text(until), channel, message_id, owner))
            return cur.rowcount == 1

        return await self._transaction(work)

    async def inbox_release(self, channel: str, message_id: str, owner: str, error: str,
                            retry_at: datetime) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            cur = db.execute("UPDATE inbox SET lease_owner = NULL, lease_until = ?, last_error = ? "
                             "WHERE channel = ? AND message_id = ? AND lease_owner = ? AND done = 0",
                             (dt_to_text(retry_at), error[:1000], channel, message_id, owner))
            return cur.rowcount == 1

        return await self._transaction(work)

    # --- message links -----------------------------------------------------------------------------
    async def link_message(self, channel: str, chat_id: str, message_id: str, ticket: str) -> None:
        def work(db: sqlite3.Connection) -> None:
            db.execute("INSERT OR REPLACE INTO message_links (channel, chat_id, message_id, ticket) "
                             "VALUES (?,?,?,?)", (channel, str(chat_id), str(message_id), ticket))

        await self._transaction(work)

    async def linked_ticket(self, channel: str, chat_id: str, message_id: str) -> str | None:
        row = await self._one("SELECT ticket FROM message_links WHERE channel = ? AND chat_id = ? AND message_id = ?",
                              (channel, str(chat_id), str(message_id)))
        return row["ticket"] if row else None

    # --- web chat mailbox --------------------------------------------------------------------------
    async def mailbox_add(self, key: str, reply: dict[str, Any], now: datetime, dedupe: str | None = None) -> int:
        def work(db: sqlite3.Connection) -> int:
            if dedupe is not None:
                row = db.execute("SELECT id FROM mailbox WHERE dedupe = ?", (dedupe,)).fetchone()
                if row is not None:
                    return int(row["id"])
            cur = db.execute("INSERT INTO mailbox (key, reply, at, dedupe) VALUES (?,?,?,?)",
                             (key, _dumps(reply), dt_to_text(now), dedupe))
            return int(cur.lastrowid or 0)

        return await self._transaction(work)

    async def mailbox_after(self, key: str, after_id: int, limit: int = 100) -> list[tuple[int, dict[str, Any]]]:
        rows = await self._all("SELECT id, reply FROM mailbox WHERE key = ? AND id > ? ORDER BY id LIMIT ?",
                               (key, after_id, limit))
        return [(int(r["id"]), json.loads(r["reply"])) for r in rows]

    # --- named values ------------------------------------------------------------------------------
    async def get_value(self, key: str) -> Any | None:
        row = await self._one("SELECT value FROM kv WHERE key = ?", (key,))
        return json.loads(row["value"]) if row else None

    async def set_value(self, key: str, value: Any) -> None:
        def work(db: sqlite3.Connection) -> None:
            db.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, _dumps(value)))

        await self._transaction(work)

    async def set_value_if(self, key: str, expected: Any | None, value: Any) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            row = db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
            if expected is None:
                matches = row is None
            else:
                matches = row is not None and json.loads(row["value"]) == json.loads(_dumps(expected))
            if not matches:
                return False
            db.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, _dumps(value)))
            return True

        return await self._transaction(work)

    # --- leases ------------------------------------------------------------------------------------
    async def acquire_lease(self, name: str, owner: str, now: datetime, seconds: float) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            cur = db.execute(
                "INSERT INTO leases (name, owner, until) VALUES (?,?,?) ON CONFLICT(name) DO UPDATE SET "
                "owner = excluded.owner, until = excluded.until WHERE leases.until <= ? OR leases.owner = ?",
                (name, owner, dt_to_text(now + timedelta(seconds=seconds)), dt_to_text(now), owner))
            return cur.rowcount == 1

        return await self._transaction(work)

    # --- outbox ------------------------------------------------------------------------------------
    def _job(self, row: sqlite3.Row) -> OutboxJob:
        data = dict(row)
        data["id"] = str(data["id"])
        data["payload"] = json.loads(data["payload"])
        return from_record(OutboxJob, data)

    async def enqueue(self, jobs: list[OutboxJob]) -> None:
        def work(db: sqlite3.Connection) -> None:
            self._insert_jobs(db, jobs)

        await self._transaction(work)

    async def claim_jobs(self, owner: str, now: datetime, lease_seconds: float, limit: int) -> list[OutboxJob]:
        now_text = dt_to_text(now)
        until = dt_to_text(now + timedelta(seconds=lease_seconds))

        def work(db: sqlite3.Connection) -> list[OutboxJob]:
            rows = db.execute(
                "SELECT id FROM jobs WHERE status = ? AND next_attempt_at <= ? "
                "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, id LIMIT ?",
                (JOB_PENDING, now_text, now_text, limit)).fetchall()
            ids = [r["id"] for r in rows]
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            db.execute(f"UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE id IN ({marks})",
                             (owner, until, *ids))
            # in the order claimed (due first); sorting these few rows in SQL would take a temporary b-tree
            place = {job_id: n for n, job_id in enumerate(ids)}
            rows = db.execute(f"SELECT * FROM jobs WHERE id IN ({marks})", ids).fetchall()
            return [self._job(r) for r in sorted(rows, key=lambda r: place[r["id"]])]

        return await self._transaction(work)

    async def complete_job(self, job_id: str, owner: str, now: datetime) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            cur = db.execute(
                "UPDATE jobs SET status = ?, done_at = ?, last_attempt_at = ?, attempts = attempts + 1, "
                "lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND status = ?",
                (JOB_DONE, dt_to_text(now), dt_to_text(now), int(job_id), owner, JOB_PENDING))
            return cur.rowcount == 1

        return await self._transaction(work)

    async def fail_job(self, job_id: str, owner: str, now: datetime, error: str,
                       next_attempt_at: datetime | None) -> bool:
        status = JOB_PENDING if next_attempt_at is not None else JOB_DEAD

        def work(db: sqlite3.Connection) -> bool:
            cur = db.execute(
                "UPDATE jobs SET status = ?, attempts = attempts + 1, last_error = ?, last_attempt_at = ?, "
                "next_attempt_at = ?, lease_owner = NULL, lease_until = NULL "
                "WHERE id = ? AND lease_owner = ? AND status = ?",
                (status, error[:1000], dt_to_text(now), dt_to_text(next_attempt_at or now), int(job_id), owner,
                 JOB_PENDING))
            return cur.rowcount == 1

        return await self._transaction(work)

    async def release_job(self, job_id: str, owner: str, next_attempt_at: datetime) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            cur = db.execute("UPDATE jobs SET next_attempt_at = ?, lease_owner = NULL, lease_until = NULL "
                             "WHERE id = ? AND lease_owner = ? AND status = ?",
                             (dt_to_text(next_attempt_at), int(job_id), owner, JOB_PENDING))
            return cur.rowcount == 1

        return await self._transaction(work)

    async def get_job(self, job_id: str) -> OutboxJob | None:
        try:
            row = await self._one("SELECT * FROM jobs WHERE id = ?", (int(job_id),))
        except ValueError:
            return None
        return self._job(row) if row else None

    async def list_jobs(self, status: str | None = None, limit: int = 100) -> list[OutboxJob]:
        if status is None:
            rows = await self._all("SELECT * FROM jobs ORDER BY id LIMIT ?", (limit,))
        else:
            rows = await self._all("SELECT * FROM jobs WHERE status = ? ORDER BY next_attempt_at, id LIMIT ?",
                                   (status, limit))
        return [self._job(r) for r in rows]

    async def retry_job(self, job_id: str, now: datetime) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            cur = db.execute(
                "UPDATE jobs SET status = ?, attempts = 0, next_attempt_at = ?, lease_owner = NULL, "
                "lease_until = NULL WHERE id = ? AND status IN (?, ?) AND (lease_until IS NULL OR lease_until <= ?)",
                (JOB_PENDING, dt_to_text(now), int(job_id), JOB_PENDING, JOB_DEAD, dt_to_text(now)))
            return cur.rowcount == 1

        try:
            return await self._transaction(work)
        except ValueError:
            return False

    async def outbox_counts(self) -> dict[str, int]:
        fresh = time.monotonic() - self._jobs_total[0] < JOBS_TOTAL_TTL

        def work(db: sqlite3.Connection) -> dict[str, int]:
            # Pending and dead jobs are few: counted on the index. Done jobs pile up for ever, so they are
            # the rest of the table's size: a bare COUNT(*) (SQLite adds up page headers, ~20 ms per million
            # jobs), taken at most every JOBS_TOTAL_TTL seconds, since /healthz may be polled often.
            counts = {status: int(db.execute("SELECT COUNT(*) FROM jobs WHERE status = ?", (status,)).fetchone()[0])
                      for status in (JOB_PENDING, JOB_DEAD)}
            if not fresh:
                self._jobs_total = (time.monotonic(), int(db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]))
            counts[JOB_DONE] = max(0, self._jobs_total[1] - counts[JOB_PENDING] - counts[JOB_DEAD])
            return counts

        return await self._read(work)

    # --- oversight (issue #15) ----------------------------------------------------------------------
    async def ticket_facts(self, since: datetime, until: datetime, opd_id: str | None = None,
                           limit: int = 500_000) -> list[TicketFacts]:
        # the facts table (kept by triggers) on facts_created / facts_opd_created: plain columns only
        where = "created_at >= ? AND created_at < ?"
        params: list[Any] = [dt_to_text(since), dt_to_text(until)]
        if opd_id is not None:
            where = "opd_id = ? AND " + where
            params.insert(0, opd_id)
        sql = ("SELECT number, kind, opd_id, topic, status, reporter, created_at, due_at, closed_at, rating, privacy, "
               f"lat, lon, kecamatan, desa, first_response_at, reopened FROM facts WHERE {where} "
               "ORDER BY created_at, number LIMIT ?")
        rows = await self._run(lambda db: db.execute(sql, [*params, limit]).fetchall())
        out = []
        parse = text_to_dt
        for (number, kind, opd, topic, status, reporter, created, due, closed, rating, privacy, lat, lon,
             kecamatan, desa, first, reopened) in rows:
            location: dict[str, Any] | None = None
            if lat is not None or kecamatan is not None or desa is not None:
                location = {k: v for k, v in (("latitude", lat), ("longitude", lon), ("kecamatan", kecamatan),
                                              ("desa", desa)) if v is not None}
            out.append(TicketFacts(
                number=number, kind=kind, opd_id=opd, topic=topic, status=status, reporter=reporter or "",
                created_at=parse(created), due_at=parse(due), closed_at=parse(closed),  # type: ignore[arg-type]
                rating=int(rating) if rating is not None else None, privacy=privacy or "publik", location=location,
                first_response_at=parse(first), reopened=int(reopened)))
        return out

    # --- oversight aggregated here (issue #15: the dashboard at 100,000 tickets) -------------------------
    async def stale_facts(self, limit: int = 5000) -> list[tuple[TicketFacts, int]]:
        """Facts whose working-time measures are missing or out of date, with the stamp to write them under."""
        rows = await self._all(
            "SELECT number, created_at, status, closed_at, first_response_at, stamp, kind, reporter FROM facts "
            "INDEXED BY facts_stale WHERE stale = 1 LIMIT ?", (limit,))
        return [(TicketFacts(
            number=r["number"], kind=r["kind"], opd_id=None, topic=None, status=r["status"],
            reporter=r["reporter"] or "", created_at=text_to_dt(r["created_at"]), closed_at=text_to_dt(r["closed_at"]),  # type: ignore[arg-type]
            first_response_at=text_to_dt(r["first_response_at"])), int(r["stamp"])) for r in rows]

    async def set_fact_metrics(self, metrics: list[tuple[str, int, float | None, int | None]]) -> int:
        """Store (number, stamp, first-response working hours, resolution working days); a fact changed since
        its stamp was read stays stale. Returns how many were stored."""
        def work(db: sqlite3.Connection) -> int:
            cur = db.executemany("UPDATE facts SET first_hours = ?, resolution_days = ?, stale = 0 "
                                 "WHERE number = ? AND stamp = ?",
                                 [(hours, days, number, stamp) for number, stamp, hours, days in metrics])
            return cur.rowcount
        return await self._transaction(work)

    async def reset_fact_metrics(self) -> None:
        """Mark every fact's measures out of date (the working-day calendar changed)."""
        await self._transaction(lambda db: db.execute("UPDATE facts SET stale = 1, stamp = stamp + 1"))

    async def facts_summary(self, since: datetime, until: datetime, now: datetime,
                            days: list[tuple[str, datetime, datetime]], opd_id: str | None = None) -> FactsSummary:
        """The dashboard's figures of tickets created in [since, until), aggregated here on the facts' indexes.

        Counts: the period's whole UTC days from facts_days (kept by triggers), its partial first and last
        days from the facts. Overdue (it depends on the hour) on the open facts. Medians: the middle of each
        OPD's measured values read in value order on an index (LIMIT 2 OFFSET half). `days` are the period's
        local days (label, start, end): received and resolved are counted per day on covering index ranges."""
        lo, hi = dt_to_text(since) or "", dt_to_text(until) or ""
        whole_from = since.astimezone(UTC).date() + timedelta(days=0 if lo[10:] == "T00:00:00.000000Z" else 1)
        whole_to = until.astimezone(UTC).date()
        if whole_from < whole_to:  # [lo, whole_from) and [whole_to, hi) from the facts, the days between summed
            cut_lo, cut_hi = f"{whole_from.isoformat()}T00:00:00.000000Z", f"{whole_to.isoformat()}T00:00:00.000000Z"
            edges = [(lo, cut_lo), (cut_hi, hi)]
        else:
            whole_from = whole_to = since.date()
            edges = [(lo, hi)]
        one_opd = " AND opd_id = ?" if opd_id is not None else ""
        extra = [opd_id] if opd_id is not None else []
        edge_sql = ("SELECT COALESCE(opd_id, ''), COUNT(*), "
                    + ", ".join(f"TOTAL({e})" for c, e in _DAY_COUNTS.items() if c != "received")
                    + " FROM facts INDEXED BY facts_opd_cover WHERE created_at >= ? AND created_at < ?"
                    + f"{one_opd} GROUP BY opd_id")
        days_sql = (f"SELECT opd, {', '.join(f'SUM({c})' for c in _DAY_COUNTS)} FROM facts_days "
                    f"WHERE day >= ? AND day < ?{' AND opd = ?' if opd_id is not None else ''} GROUP BY opd")
        overdue_sql = (f"SELECT COALESCE(opd_id, ''), COUNT(*) FROM facts INDEXED BY facts_open_due WHERE {OPEN_SQL} "
                       f"AND created_at >= ? AND created_at < ?{one_opd} AND due_at < ? GROUP BY opd_id")
        period = [lo, hi]

        def middle(db: sqlite3.Connection, column: str, n: int, opd: str | None, every: bool) -> float | None:
            if n <= 0:
                return None
            if column == "first_hours":
                index, cond = ("facts_hours_all" if every else "facts_hours"), "first_hours IS NOT NULL"
            else:
                index, cond = (("facts_resolution_all" if every else "facts_resolution"),
                               f"{_RESOLVED_SQL} AND resolution_days IS NOT NULL")
            which = "" if every else ("opd_id IS NULL AND " if opd is None else "opd_id = ? AND ")
            values = [r[0] for r in db.execute(
                f"SELECT {column} FROM facts INDEXED BY {index} WHERE {which}{cond} AND created_at >= ? "
                f"AND created_at < ? ORDER BY {column} LIMIT 2 OFFSET ?",
                [*([] if every or opd is None else [opd]), *period, (n - 1) // 2])]
            if not values:
                return None
            return float(values[0]) if n % 2 or len(values) < 2 else (values[0] + values[1]) / 2

        def work(db: sqlite3.Connection) -> FactsSummary:
            sums: dict[str, list[float]] = {}
            rows = list(db.execute(days_sql, [whole_from.isoformat(), whole_to.isoformat(), *extra]))
            for edge in edges:
                rows += db.execute(edge_sql, [*edge, *extra]).fetchall()
            for row in rows:
                into = sums.setdefault(row[0], [0.0] * len(_DAY_COUNTS))
                for i, value in enumerate(row[1:]):
                    into[i] += value or 0
            overdue = dict(db.execute(overdue_sql, [*period, *extra, dt_to_text(now)]).fetchall())
            opds: dict[str | None, OpdCounts] = {}
            measured: dict[str | None, tuple[int, int]] = {}
            for key, values in sums.items():
                got = dict(zip(_DAY_COUNTS, (int(v) for v in values), strict=True))
                if not got["received"]:
                    continue
                opd = key or None
                measured[opd] = (got.pop("hours_measured"), got.pop("days_measured"))
                opds[opd] = OpdCounts(opd, overdue=int(overdue.get(key, 0)), **got)
            total = OpdCounts(None)
            for counts in opds.values():
                for name in ("received", "open", "overdue", "resolved", "with_deadline", "on_time", "rated",
                             "rating_sum", "reopened", "ever_resolved"):
                    setattr(total, name, getattr(total, name) + getattr(counts, name))
            for opd, (hours, resolutions) in measured.items():
                opds[opd].median_first_response_hours = middle(db, "first_hours", hours, opd, False)
                opds[opd].median_resolution_days = middle(db, "resolution_days", resolutions, opd, False)
            every = opd_id is None
            total.median_first_response_hours = middle(db, "first_hours", sum(h for h, _ in measured.values()),
                                                       opd_id, every)
            total.median_resolution_days = middle(db, "resolution_days", sum(d for _, d in measured.values()),
                                                  opd_id, every)
            received, done = {}, {}
            for label, start, end in days:
                bounds = [dt_to_text(start), dt_to_text(end)]
                received[label] = db.execute(
                    f"SELECT COUNT(*) FROM facts {'INDEXED BY facts_opd_cover ' if opd_id is not None else ''}"
                    "WHERE created_at >= ? AND created_at < ? AND created_at >= ? "
                    f"AND created_at < ?{one_opd}", [*bounds, *period, *extra]).fetchone()[0]
                done[label] = db.execute(
                    f"SELECT COUNT(*) FROM facts INDEXED BY facts_closed_cover WHERE closed_at >= ? AND closed_at < ? "
                    f"AND created_at >= ? AND created_at < ? AND {_RESOLVED_SQL}{one_opd}",
                    [*bounds, *period, *extra]).fetchone()[0]
            return FactsSummary(
                opds=list(opds.values()), total=total,
                received_by_day={k: v for k, v in received.items() if v},
                resolved_by_day={k: v for k, v in done.items() if v},
                by_topic=grouped(db, "topic"), by_kecamatan=grouped(db, "kecamatan"), by_desa=grouped(db, "desa"),
                by_channel=grouped(db, "channel"))

        def grouped(db: sqlite3.Connection, column: str) -> dict[str, int]:
            out: dict[str, int] = {}
            # every OPD: the whole days from facts_by and the partial ones on the breakdown's own index (read
            # in group order); one OPD: its few rows, grouped
            index = "facts_opd_cover" if opd_id is not None else f"facts_{column}"
            rows: list[tuple[Any, int]] = []
            if opd_id is None:
                rows += db.execute("SELECT value, SUM(n) FROM facts_by WHERE day >= ? AND day < ? AND dim = ? "
                                   "GROUP BY value", [whole_from.isoformat(), whole_to.isoformat(), column]).fetchall()
            for edge in (edges if opd_id is None else [(lo, hi)]):
                rows += db.execute(f"SELECT {column}, COUNT(*) FROM facts INDEXED BY {index} "
                                   f"WHERE created_at >= ? AND created_at < ?{one_opd} GROUP BY {column}",
                                   [*edge, *extra]).fetchall()
            for value, n in rows:
                key = str(value) if value not in (None, "") else "-"
                out[key] = out.get(key, 0) + int(n)
            return {k: v for k, v in out.items() if v}

        return await self._run(work)

    async def find_facts(self, flt: FactsFilter, limit: int = 200, columns: str = "number",
                         count: bool = True) -> tuple[int, list[tuple[Any, ...]]]:
        """How many tickets match `flt` (-1 unless `count`), and the newest `limit` of them (the named facts
        columns)."""
        where: list[str] = ["1"]
        params: list[Any] = []
        if flt.no_opd:
            where.append("opd_id IS NULL")
        elif flt.opd_id is not None:
            where.append("opd_id = ?")
            params.append(flt.opd_id)
        if flt.created_since is not None:
            where.append("created_at >= ?")
            params.append(dt_to_text(flt.created_since))
        if flt.created_until is not None:
            where.append("created_at < ?")
            params.append(dt_to_text(flt.created_until))
        if flt.statuses:
            where.append(f"status IN ({','.join('?' * len(flt.statuses))})")
            params.extend(flt.statuses)
        if flt.due_before is not None:
            where.append("due_at < ?")
            params.append(dt_to_text(flt.due_before))
        for column, value in (("topic", flt.topic), ("privacy", flt.privacy)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        for column, value in (("kecamatan", flt.kecamatan), ("desa", flt.desa)):
            if value == "-":
                where.append(f"COALESCE({column}, '') = ''")
            elif value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if flt.channel is not None:
            where.append("reporter >= ? AND reporter < ?")  # the channel is the key's prefix
            params += [f"{flt.channel}:", f"{flt.channel};"]
        if flt.with_pin:
            where.append("lat IS NOT NULL AND lon IS NOT NULL")
        clause = " AND ".join(where)
        select = ", ".join(_COLUMN_SQL.get(c.strip(), c.strip()) for c in columns.split(","))

        def work(db: sqlite3.Connection) -> tuple[int, list[tuple[Any, ...]]]:
            total = db.execute(f"SELECT COUNT(*) FROM facts WHERE {clause}", params).fetchone()[0] if count else -1
            rows = db.execute(f"SELECT {select} FROM facts WHERE {clause} ORDER BY created_at DESC, number DESC "
                              "LIMIT ?", [*params, limit]).fetchall()
            return int(total), [tuple(r) for r in rows]

        return await self._run(work)

    async def get_tickets(self, numbers: list[str]) -> list[Ticket]:
        """Whole tickets by number, in the order asked (unknown numbers left out), in one hop."""
        def work(db: sqlite3.Connection) -> list[Ticket]:
            found: dict[str, Ticket] = {}
            for start in range(0, len(numbers), 500):
                chunk = numbers[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for row in db.execute(f"SELECT number, data FROM tickets WHERE number IN ({marks})", chunk):
                    found[row[0]] = from_record(Ticket, json.loads(row[1]))
            return [found[n] for n in numbers if n in found]
        return await self._run(work)

    async def resolved_unmeasured(self, since: datetime, until: datetime,
                                  opd_id: str | None = None) -> list[TicketFacts]:
        """Resolved facts created in [since, until) without a resolution measure (withdrawn ones, and any not
        measured since they changed), on their own partial index."""
        where = f"created_at >= ? AND created_at < ? AND {_RESOLVED_SQL} AND resolution_days IS NULL"
        params: list[Any] = [dt_to_text(since), dt_to_text(until)]
        index = "facts INDEXED BY facts_unmeasured"  # a partial index of those rows only
        if opd_id is not None:
            where = f"opd_id = ? AND {where}"
            params.insert(0, opd_id)
        rows = await self._all(f"SELECT number, kind, opd_id, status, created_at, due_at, closed_at, reopened "
                               f"FROM {index} WHERE {where}", params)
        return [TicketFacts(number=r["number"], kind=r["kind"], opd_id=r["opd_id"], topic=None, status=r["status"],
                            reporter="", created_at=text_to_dt(r["created_at"]),  # type: ignore[arg-type]
                            due_at=text_to_dt(r["due_at"]), closed_at=text_to_dt(r["closed_at"]),
                            reopened=int(r["reopened"])) for r in rows]

    async def withdrawn_among(self, numbers: list[str]) -> set[str]:
        """Which of these tickets were closed as withdrawn by their reporter; each found by its key."""
        def work(db: sqlite3.Connection) -> set[str]:
            found: set[str] = set()
            for start in range(0, len(numbers), 500):
                chunk = numbers[start:start + 500]
                found.update(r[0] for r in db.execute(
                    f"SELECT number FROM tickets WHERE number IN ({','.join('?' * len(chunk))}) "
                    f"AND {_WITHDRAWN_SQL} = 1", chunk))
            return found
        return await self._run(work)

    async def pinned_without_area(self, limit: int) -> list[str]:
        rows = await self._all("SELECT number FROM facts INDEXED BY facts_pin WHERE pin = 1 LIMIT ?", (limit,))
        return [r[0] for r in rows]
