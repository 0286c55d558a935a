"""Fill a SQLite store with years of history fast (bulk inserts through sqlite3), for the query-plan tests
and bench/growth.py.

The shape follows a regency after a few years: most tickets closed, a few percent open and half of
those in the busiest OPD, deadlines five working days out (the overdue ones already reminded and
escalated, as the deadline worker leaves them), about 13 history events per ticket, most of them
replies, and every chat message in the inbox with its delivery job done.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store.base import (
    JOB_DONE,
    ROLE_OFFICER,
    ROLE_REGENT,
    ROLE_RESIDENT,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    STATUS_TRIAGE,
    Identity,
    Ticket,
)
from bot.store.codec import dt_to_text, to_record
from bot.store.sqlite import SqliteStore

OPDS = ["dinas-pupr", "dispendukcapil", "dlh", "dishub", "disperkim", "dinas-kesehatan", "dinas-sosial",
        "satpol-pp", "dinas-pendidikan", "perumda-air-minum", "bpbd", "disnaker"]
BUSIEST_OPD = OPDS[0]
#: The resident with the longest history (for `/status` without a number).
BUSY_RESIDENT = "webchat:seed-busy"
EVENT_KINDS = ["message_out", "message_out", "message_out", "message_out", "message_in", "message_in",
               "status", "lapor"]
BATCH = 20_000


@dataclass(frozen=True)
class Seeded:
    """What a seeding wrote, and a few names the measurements ask for."""

    tickets: int
    open: int
    events: int
    messages: int
    jobs: int
    busiest_open: int
    sample_ticket: str
    sample_reporter: str
    officer: str


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def create_schema(path: Path) -> None:
    store = SqliteStore(path)
    await store.open()
    await store.close()


def seed(path: Path, *, tickets: int, events_per_ticket: int = 13, messages: int = 0, jobs: int = 0,
         open_share: float = 0.066, days: int = 3 * 365, now: datetime | None = None, seed_value: int = 7) -> Seeded:
    """Append `tickets` tickets filed over the last `days` days (and their history) to the store at `path`
    (its schema must exist). `BUSY_RESIDENT` files about 100 of them, whatever the total."""
    rng = random.Random(seed_value)
    now = now or datetime.now(UTC)
    span = timedelta(days=days)
    busy_every = max(1, tickets // 100)
    residents = max(1, tickets // 3)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    try:
        officers = _seed_identities(db, residents, now)
        open_count = busiest = 0
        rows: list[tuple[object, ...]] = []
        events: list[tuple[object, ...]] = []
        sample_ticket = sample_reporter = ""
        for i in range(tickets):
            created = now - span + span * (i / tickets) + timedelta(seconds=rng.random() * 60)
            age = now - created
            # recent tickets are mostly open; a few old ones are stuck open for ever
            is_open = rng.random() < (0.55 if age < timedelta(days=10) else open_share)
            opd = BUSIEST_OPD if rng.random() < (0.5 if is_open else 0.2) else rng.choice(OPDS)
            status = rng.choice((STATUS_NEW, STATUS_IN_PROGRESS, STATUS_IN_PROGRESS, STATUS_TRIAGE)) if is_open \
                else rng.choice((STATUS_DONE, STATUS_CLOSED))
            reporter = BUSY_RESIDENT if i % busy_every == 0 else f"webchat:seed-{rng.randrange(residents)}"
            due = created + timedelta(days=7)
            number = f"WRG-{created:%y%m}-{i:06d}"
            ticket = Ticket(
                number=number, kind="aduan", topic="jalan_rusak", opd_id=None if status == STATUS_TRIAGE else opd,
                status=status, text=f"jalan rusak di desa nomor {i}, sudah lama tidak diperbaiki", reporter=reporter,
                created_at=created, updated_at=created + min(age, timedelta(days=rng.randrange(1, 9))),
                due_at=due, version=3,
                location={"desa": "Sooko", "kecamatan": "Sooko"}, confidence=0.9)
            if rng.random() < 0.8:  # pushed to SP4N-LAPOR!, and its status there read back already
                ticket.lapor_id, ticket.lapor_status = f"L{i}", "Dalam Proses" if is_open else "Selesai"
            if due < now and is_open:
                ticket.reminded_at = due - timedelta(days=1)
                ticket.escalated_at = due + timedelta(minutes=1)
            elif due - now < timedelta(days=2) and is_open:
                ticket.reminded_at = now - timedelta(hours=1)
            if not is_open:
                ticket.closed_at = ticket.updated_at
                ticket.rating = rng.randrange(1, 6) if rng.random() < 0.4 else None
            if is_open:
                open_count += 1
                busiest += ticket.opd_id == BUSIEST_OPD
                sample_ticket, sample_reporter = number, reporter
            record = to_record(ticket)
            rows.append((number, ticket.kind, ticket.opd_id, status, reporter, record["due_at"],
                         record["created_at"], record["updated_at"], _dump(record)))
            at = created
            for n in range(events_per_ticket):
                kind = "created" if n == 0 else rng.choice(EVENT_KINDS)
                at += timedelta(minutes=rng.randrange(5, 600))
                events.append((number, kind, dt_to_text(at), officers[opd] if kind == "message_out" else reporter,
                               "terima kasih, sudah kami tindak lanjuti" if kind == "message_out" else None, "{}"))
            if len(rows) >= BATCH // 4:
                _flush(db, rows, events)
        _flush(db, rows, events)
        _seed_messages(db, messages, jobs, residents, now, span, rng)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    finally:
        db.close()
    return Seeded(tickets=tickets, open=open_count, events=tickets * events_per_ticket, messages=messages,
                  jobs=jobs, busiest_open=busiest, sample_ticket=sample_ticket, sample_reporter=sample_reporter,
                  officer=officers[BUSIEST_OPD])


def _flush(db: sqlite3.Connection, rows: list[tuple[object, ...]], events: list[tuple[object, ...]]) -> None:
    db.executemany("INSERT INTO tickets (number, kind, opd_id, status, reporter, due_at, created_at, updated_at, "
                   "data) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO events (ticket, kind, at, actor, text, data) VALUES (?,?,?,?,?,?)", events)
    rows.clear()
    events.clear()


def _seed_identities(db: sqlite3.Connection, residents: int, now: datetime) -> dict[str, str]:
    officers = {opd: f"webchat:seed-officer-{opd}" for opd in OPDS}
    people = [Identity(key, "webchat", key.split(":", 1)[1], ROLE_OFFICER, opd, "petugas", created_at=now)
              for opd, key in officers.items()]
    people.append(Identity("webchat:seed-regent", "webchat", "seed-regent", ROLE_REGENT, None, "bupati",
                           created_at=now))
    people += [Identity(f"webchat:seed-{n}", "webchat", f"seed-{n}", ROLE_RESIDENT, created_at=now)
               for n in range(residents)]
    people.append(Identity(BUSY_RESIDENT, "webchat", BUSY_RESIDENT.split(":", 1)[1], created_at=now))
    db.executemany("INSERT OR REPLACE INTO identities (key, role, opd_id, data) VALUES (?,?,?,?)",
                   [(p.key, p.role, p.opd_id, _dump(to_record(p))) for p in people])
    return officers


def _seed_messages(db: sqlite3.Connection, messages: int, jobs: int, residents: int, now: datetime,
                   span: timedelta, rng: random.Random) -> None:
    """Every chat message a resident sent (the inbox) and the delivery jobs, all done."""
    for start in range(0, messages, BATCH):
        db.executemany(
            "INSERT INTO inbox (channel, message_id, payload, received_at, done, done_at) VALUES (?,?,?,?,1,?)",
            [("webchat", f"seed-{n}", _dump({"sender": f"seed-{rng.randrange(residents)}", "message": "halo"}),
              at, at) for n in range(start, min(messages, start + BATCH))
             for at in [dt_to_text(now - span + span * (n / messages))]])
        db.executemany(  # the web chat's replies, kept for the page to fetch
            "INSERT INTO mailbox (key, reply, at) VALUES (?,?,?)",
            [(f"webchat:seed-{rng.randrange(residents)}", _dump({"text": "Tiket diterima."}),
              dt_to_text(now - span + span * (n / messages))) for n in range(start, min(messages, start + BATCH))])
    for start in range(0, jobs, BATCH):
        batch = []
        for n in range(start, min(jobs, start + BATCH)):
            at = dt_to_text(now - span + span * (n / jobs))
            payload = {"to": f"webchat:seed-{rng.randrange(residents)}", "replies": [{"text": "Tiket diterima."}]}
            batch.append((f"seed-deliver-{n}", "deliver", JOB_DONE, 1, at, _dump(payload), at, at))
        db.executemany("INSERT INTO jobs (key, kind, status, attempts, next_attempt_at, payload, created_at, "
                       "done_at) VALUES (?,?,?,?,?,?,?,?)", batch)
