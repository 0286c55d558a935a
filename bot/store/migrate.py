"""`python -m bot migrate sqlite-to-mongo`: copy the embedded SQLite store into MongoDB, then verify.

Why it is safe to run more than once and to interrupt:
- every record is upserted by its natural key (ticket number, event id, identity key, (channel,
  message id), ...), so copying a record twice leaves one copy;
- after each batch the last copied key of that table is saved in the target's `kv` collection
  (`migrate:sqlite-to-mongo:<table>`), so a re-run continues after it instead of starting over.

Verification reads both sides through their own decoders and prints, per collection, the record
count and a sha256 over the canonical JSON of the sorted records (datetimes at millisecond
precision, which is what MongoDB keeps; media as the sha256 of their bytes). Mailbox replies older
than the mailbox TTL are not copied (MongoDB would delete them at once) and are left out of both
sides' counts. Stop the service before migrating: rows written meanwhile may be missed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosqlite
from pymongo.errors import DuplicateKeyError

from bot.store.base import Conversation, EnrolmentCode, Identity, InboxItem, Media, OutboxJob, Ticket, TicketEvent
from bot.store.codec import dt_to_text, from_record, text_to_dt, to_record
from bot.store.mongo import (
    RETENTION_SECONDS,
    MongoStore,
    code_doc,
    code_from,
    conversation_from,
    dec,
    enc,
    event_doc,
    event_from,
    identity_doc,
    identity_from,
    inbox_from,
    job_from,
    media_doc,
    media_from,
    ticket_doc,
    ticket_from,
)
from bot.store.sqlite import SqliteStore

CHECKPOINT = "migrate:sqlite-to-mongo:"
Row = aiosqlite.Row


# --- canonical form (what the checksums are computed over) -------------------------------------------
def _canonical_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return dt_to_text(value.replace(microsecond=value.microsecond // 1000 * 1000))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, dict):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical_value(v) for v in value]
    return value


def canonical(record: Any) -> str:
    """One record as canonical JSON (dataclasses through the shared codec)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        record = to_record(record, native_datetimes=True)
    return json.dumps(_canonical_value(record), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def checksum(lines: list[str]) -> str:
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


# --- per table: how a SQLite row becomes a MongoDB document and a canonical record -----------------
def _json(text: str | None) -> Any:
    return json.loads(text) if text is not None else None


def _conversation(row: Row) -> Conversation:
    return Conversation(row["key"], _json(row["state"]), row["lang"], int(row["version"]),
                        text_to_dt(row["updated_at"]), text_to_dt(row["last_inbound_at"]))


def _event(row: Row) -> TicketEvent:
    return TicketEvent(ticket=row["ticket"], kind=row["kind"], at=text_to_dt(row["at"]),  # type: ignore[arg-type]
                       actor=row["actor"], text=row["text"], data=_json(row["data"]), id=str(row["id"]))


def _media(row: Row) -> Media:
    return Media(row["id"], row["mime"], bytes(row["data"]), text_to_dt(row["created_at"]),  # type: ignore[arg-type]
                 row["ticket"])


def _inbox(row: Row) -> InboxItem:
    return InboxItem(row["channel"], row["message_id"], _json(row["payload"]),
                     text_to_dt(row["received_at"]), bool(row["done"]))  # type: ignore[arg-type]


def _job(row: Row) -> OutboxJob:
    data = dict(row)
    data["id"] = str(data["id"])
    data["payload"] = _json(data["payload"])
    return from_record(OutboxJob, data)


def _conversation_doc(row: Row) -> tuple[dict[str, Any], dict[str, Any]]:
    conv = _conversation(row)
    return {"_id": conv.key}, {"_id": conv.key, "version": conv.version, "lang": conv.lang,
                               "state": enc(conv.state), "updated_at": conv.updated_at,
                               "last_inbound_at": conv.last_inbound_at}


def _inbox_doc(row: Row) -> tuple[dict[str, Any], dict[str, Any]]:
    item = _inbox(row)
    key = {"channel": item.channel, "message_id": item.message_id}
    return key, {**key, "payload": enc(item.payload), "received_at": item.received_at, "done": item.done,
                 "done_at": datetime.now(UTC) if item.done else None}


def _job_doc(row: Row) -> tuple[dict[str, Any], dict[str, Any]]:
    job = _job(row)
    doc = to_record(job, native_datetimes=True, exclude=("id",))
    doc["payload"] = enc(job.payload)
    return {"_id": int(row["id"])}, {"_id": int(row["id"]), **doc}


def _link_doc(row: Row) -> tuple[dict[str, Any], dict[str, Any]]:
    key = {"channel": row["channel"], "chat_id": row["chat_id"], "message_id": row["message_id"]}
    return key, {**key, "ticket": row["ticket"]}


def _mailbox_doc(row: Row) -> tuple[dict[str, Any], dict[str, Any]]:
    key = {"key": row["key"], "n": int(row["id"])}
    return key, {**key, "reply": enc(_json(row["reply"])), "at": text_to_dt(row["at"])}


@dataclass(frozen=True)
class Table:
    """One SQLite table and its MongoDB collection (same name)."""

    name: str
    keys: tuple[str, ...]  # natural key columns: the order of copying and the checkpoint
    to_doc: Callable[[Row], tuple[dict[str, Any], dict[str, Any]]]  # -> (filter, document)
    source_record: Callable[[Row], Any]
    target_record: Callable[[dict[str, Any]], Any]
    source_where: str = ""  # rows left out on both sides (see module docstring)
    target_filter: dict[str, Any] = field(default_factory=dict)


def _mailbox_cutoff() -> datetime:
    return datetime.now(UTC) - timedelta(seconds=RETENTION_SECONDS) + timedelta(hours=1)


TABLES: tuple[Table, ...] = (
    Table("conversations", ("key",), _conversation_doc, _conversation, conversation_from),
    Table("tickets", ("number",), lambda r: (lambda t: ({"_id": t.number}, ticket_doc(t)))(
        from_record(Ticket, _json(r["data"]))), lambda r: from_record(Ticket, _json(r["data"])), ticket_from),
    Table("events", ("id",), lambda r: ({"_id": int(r["id"])}, event_doc(_event(r), int(r["id"]))), _event,
          event_from),
    Table("identities", ("key",), lambda r: (lambda i: ({"_id": i.key}, identity_doc(i)))(
        from_record(Identity, _json(r["data"]))), lambda r: from_record(Identity, _json(r["data"])), identity_from),
    Table("enrolment_codes", ("code",), lambda r: (lambda c: ({"_id": c.code}, code_doc(c)))(
        from_record(EnrolmentCode, _json(r["data"]))), lambda r: from_record(EnrolmentCode, _json(r["data"])),
        code_from),
    Table("media", ("id",), lambda r: ({"_id": r["id"]}, media_doc(_media(r))), _media, media_from),
    Table("inbox", ("channel", "message_id"), _inbox_doc, _inbox, inbox_from),
    Table("message_links", ("channel", "chat_id", "message_id"), _link_doc,
          lambda r: {k: r[k] for k in ("channel", "chat_id", "message_id", "ticket")},
          lambda d: {k: d[k] for k in ("channel", "chat_id", "message_id", "ticket")}),
    Table("mailbox", ("id",), _mailbox_doc,
          lambda r: {"key": r["key"], "id": int(r["id"]), "reply": _json(r["reply"]), "at": text_to_dt(r["at"])},
          lambda d: {"key": d["key"], "id": int(d["n"]), "reply": dec(d["reply"]), "at": d["at"]},
          source_where="at >= :cutoff"),
    Table("kv", ("key",), lambda r: ({"_id": r["key"]}, {"_id": r["key"], "value": enc(_json(r["value"]))}),
          lambda r: {"key": r["key"], "value": _json(r["value"])},
          lambda d: {"key": d["_id"], "value": dec(d["value"])},
          source_where="key NOT LIKE 'migrate:%'", target_filter={"_id": {"$not": {"$regex": "^migrate:"}}}),
    Table("counters", ("name",), lambda r: ({"_id": r["name"]}, {"value": int(r["value"])}),
          lambda r: {"name": r["name"], "value": int(r["value"])},
          lambda d: {"name": d["_id"], "value": int(d["value"])},
          target_filter={"_id": {"$not": {"$regex": "^(seq|mailbox):"}}}),
    Table("jobs", ("id",), _job_doc, _job, job_from),
)


# --- the report ----------------------------------------------------------------------------------------
@dataclass
class CollectionReport:
    name: str
    copied: int = 0
    source_count: int | None = None
    target_count: int | None = None
    source_checksum: str | None = None
    target_checksum: str | None = None

    @property
    def ok(self) -> bool:
        return (self.source_count is not None and self.source_count == self.target_count
                and self.source_checksum == self.target_checksum)


@dataclass
class MigrationReport:
    collections: list[CollectionReport]
    complete: bool

    @property
    def copied(self) -> int:
        return sum(c.copied for c in self.collections)

    @property
    def ok(self) -> bool:
        return self.complete and all(c.ok for c in self.collections)


class _Stop(Exception):
    """The copy limit was reached (used to test resuming)."""


# --- copying -------------------------------------------------------------------------------------------
async def _rows(db: Any, table: Table, after: list[Any] | None, batch: int) -> list[Row]:
    cols = ", ".join(table.keys)
    where: list[str] = []
    params: dict[str, Any] = {"cutoff": dt_to_text(_mailbox_cutoff()), "batch": batch}
    if table.source_where:
        where.append(table.source_where)
    if after is not None:
        marks = ", ".join(f":k{i}" for i in range(len(after)))
        where.append(f"({cols}) > ({marks})")
        params.update({f"k{i}": v for i, v in enumerate(after)})
    sql = f"SELECT * FROM {table.name}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {cols} LIMIT :batch"
    async with db.execute(sql, params) as cur:
        return list(await cur.fetchall())


async def _write(target: MongoStore, table: Table, row: Row) -> None:
    filter_, doc = table.to_doc(row)
    if table.name == "counters":  # never move a counter back (the target may have used it already)
        await target.db["counters"].update_one(filter_, {"$max": doc}, upsert=True)
        return
    try:
        await target.db[table.name].replace_one(filter_, doc, upsert=True)
    except DuplicateKeyError:
        if table.name != "jobs":
            raise
        return  # --force into a live database: the job with this idempotency key is there already
    if table.name == "mailbox":
        await target.db["counters"].update_one({"_id": f"mailbox:{doc['key']}"}, {"$max": {"value": doc["n"]}},
                                               upsert=True)


async def _raise_sequence(source: SqliteStore, target: MongoStore, table: str) -> None:
    """New ids in MongoDB continue after the highest id SQLite ever gave out."""
    async with source.db.execute(
            f"SELECT MAX(m) AS m FROM (SELECT MAX(id) AS m FROM {table} "
            "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = ?)", (table,)) as cur:
        row = await cur.fetchone()
    if row and row["m"] is not None:
        await target.db["counters"].update_one({"_id": f"seq:{table}"}, {"$max": {"value": int(row["m"])}},
                                               upsert=True)


async def _copy(source: SqliteStore, target: MongoStore, table: Table, report: CollectionReport,
                progress: Callable[[str], Any], batch_size: int, budget: list[int | None]) -> None:
    checkpoint_key = CHECKPOINT + table.name
    after = await target.get_value(checkpoint_key)
    if after is not None:
        progress(f"{table.name}: resuming after {after}")
    while True:
        rows = await _rows(source.db, table, after, batch_size)
        if not rows:
            break
        for row in rows:
            if budget[0] is not None and budget[0] <= 0:
                if after is not None:
                    await target.set_value(checkpoint_key, after)
                raise _Stop
            await _write(target, table, row)
            report.copied += 1
            after = [row[k] for k in table.keys]
            if budget[0] is not None:
                budget[0] -= 1
        await target.set_value(checkpoint_key, after)
    if table.name in ("events", "jobs"):
        await _raise_sequence(source, target, table.name)
    progress(f"{table.name}: copied {report.copied}")


# --- verification --------------------------------------------------------------------------------------
async def _source_lines(source: SqliteStore, table: Table) -> list[str]:
    sql = f"SELECT * FROM {table.name}" + (f" WHERE {table.source_where}" if table.source_where else "")
    lines = []
    async with source.db.execute(sql, {"cutoff": dt_to_text(_mailbox_cutoff())}) as cur:
        async for row in cur:
            lines.append(canonical(table.source_record(row)))
    return lines


async def _target_lines(target: MongoStore, table: Table) -> list[str]:
    return [canonical(table.target_record(doc)) async for doc in target.db[table.name].find(table.target_filter)]


async def verify(source: SqliteStore, target: MongoStore, reports: list[CollectionReport]) -> None:
    for table, report in zip(TABLES, reports, strict=True):
        source_lines = await _source_lines(source, table)
        target_lines = await _target_lines(target, table)
        report.source_count, report.target_count = len(source_lines), len(target_lines)
        report.source_checksum, report.target_checksum = checksum(source_lines), checksum(target_lines)


def _or_dash(value: int | None) -> str:
    return "-" if value is None else str(value)


def format_report(report: MigrationReport) -> str:
    lines = [f"{'collection':<16} {'copied':>7} {'sqlite':>7} {'mongodb':>7}  {'sha256 sqlite':<16} "
             f"{'sha256 mongodb':<16} result"]
    for c in report.collections:
        verified = c.source_count is not None
        result = ("OK" if c.ok else "MISMATCH") if verified else "not verified"
        lines.append(f"{c.name:<16} {c.copied:>7} {_or_dash(c.source_count):>7} {_or_dash(c.target_count):>7}  "
                     f"{(c.source_checksum or '-')[:16]:<16} {(c.target_checksum or '-')[:16]:<16} {result}")
    if not report.complete:
        lines.append("Stopped before the end; run the command again to continue.")
    elif report.ok:
        lines.append("Verified: every collection has the same records on both sides.")
    else:
        lines.append("Verification FAILED: see the collections marked MISMATCH.")
    return "\n".join(lines)


class TargetInUse(Exception):
    """The target database holds data that no run of this migration put there."""


async def target_in_use(target: MongoStore) -> str | None:
    """The first collection with data of its own in the target, or None when it is empty or holds only what
    an earlier run of this migration copied (its checkpoints are there: then a run resumes)."""
    if await target.db["kv"].find_one({"_id": {"$regex": f"^{CHECKPOINT}"}}) is not None:
        return None
    for table in TABLES:
        if table.name == "counters":
            continue  # open() and id reservations create counters; they are never lowered
        if await target.db[table.name].find_one(table.target_filter) is not None:
            return table.name
    return None


async def migrate(source: SqliteStore, target: MongoStore, progress: Callable[[str], Any] = print, *,
                  batch_size: int = 500, limit: int | None = None, force: bool = False) -> MigrationReport:
    """Copy every table from `source` into `target` (both open), then verify counts and checksums.

    `limit` stops after that many records (as an interrupted run would); a later call resumes. A target
    that holds other data is refused (TargetInUse) unless `force`; `force` also forgets the checkpoints,
    so every record is copied again (a rerun after the source changed).
    """
    if force:
        await target.db["kv"].delete_many({"_id": {"$regex": f"^{CHECKPOINT}"}})
    else:
        used = await target_in_use(target)
        if used is not None:
            raise TargetInUse(used)
    reports = [CollectionReport(t.name) for t in TABLES]
    budget: list[int | None] = [limit]
    try:
        for table, report in zip(TABLES, reports, strict=True):
            await _copy(source, target, table, report, progress, batch_size, budget)
    except _Stop:
        result = MigrationReport(reports, complete=False)
        progress(format_report(result))
        return result
    await verify(source, target, reports)
    result = MigrationReport(reports, complete=True)
    if not result.ok:
        progress("A difference may come from records changed in SQLite after they were copied: "
                 "run again with --force to copy everything again.")
    progress(format_report(result))
    return result


async def main(settings: Any, force: bool = False) -> int:
    """The command: SQLite at settings.sqlite_path -> MONGODB_URL / MONGODB_DB. Exit 0 when verified,
    1 on a difference, 2 when not configured, 3 when the target is in use and --force was not given."""
    if not settings.mongodb_url:
        print("MONGODB_URL is not set: set it (and MONGODB_DB, default 'warga') to the target MongoDB, "
              "e.g. MONGODB_URL=mongodb://db1,db2,db3/?replicaSet=rs0", file=sys.stderr)
        return 2
    if not settings.sqlite_path.exists():
        print(f"No SQLite store at {settings.sqlite_path} (WARGA_DATA_DIR); nothing to migrate.", file=sys.stderr)
        return 2
    source = SqliteStore(settings.sqlite_path)
    target = MongoStore(settings.mongodb_url, settings.mongodb_db)
    await source.open()
    try:
        await target.open()
        print(f"Copying {settings.sqlite_path} to MongoDB database {settings.mongodb_db!r} ...")
        try:
            report = await migrate(source, target, force=force)
        except TargetInUse as exc:
            print(f"MongoDB database {settings.mongodb_db!r} is not empty (collection {exc}) and was not filled "
                  "by this command: refusing to copy over it. Use an empty database, or add --force to "
                  "overwrite records with the same keys.", file=sys.stderr)
            return 3
    finally:
        await target.close()
        await source.close()
    return 0 if report.ok else 1

