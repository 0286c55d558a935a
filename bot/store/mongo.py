"""The MongoDB store, through PyMongo's async API (`pymongo.AsyncMongoClient`, PyMongo >= 4.13).

Several service processes can share one database: ticket numbers and record ids come from atomic
counters (`find_one_and_update` + `$inc`), a conversation is written only if its `version` is still
the one that was read (optimistic concurrency), and outbox jobs are leased one by one with
`find_one_and_update`, so two workers never hold the same job.

`commit(Changes)` runs in a multi-document transaction when the server supports one (a replica set
or a sharded cluster). On a standalone server (and on the test stand-in in its default mode) it falls
back to ordered writes: the conversation is written first, so a version conflict writes nothing at all;
after that point a crash can leave a commit half applied. docs/mongodb.md lists the guarantees.

Values from residents reach queries only as plain strings in equality filters on known fields
(`_text` refuses anything else), and free-form data (conversation state, payloads, values) is stored
with its keys escaped, so text such as `{"$ne": null}` is only ever data.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import weakref
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import unquote

from pymongo import ASCENDING, DESCENDING, IndexModel, ReadPreference, ReturnDocument, WriteConcern
from pymongo.errors import BulkWriteError, DuplicateKeyError
from pymongo.read_concern import ReadConcern

from bot.store.base import (
    ESCALATED,
    FINISHED_RETENTION,
    FIRST_RESPONSE_KINDS,
    JOB_DEAD,
    JOB_DONE,
    JOB_PENDING,
    LETTER_KIND,
    OPEN_STATUSES,
    REMINDED,
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
    answers_for_opd,
)
from bot.store.codec import from_record, to_record

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Done inbox items, sent jobs and mailbox replies are removed by TTL indexes after this long.
RETENTION_SECONDS = int(FINISHED_RETENTION.total_seconds())
_UPSERT_RETRIES = 5

_QUEUE = [("due_at", ASCENDING), ("created_at", ASCENDING), ("number", ASCENDING)]
#: Indexes that earlier versions created and a wider one above replaces; `open()` drops them.
SUPERSEDED = {"tickets": ["opd_status_due", "status_due", "reporter_created", "created"], "identities": ["role_opd"],
              "inbox": ["pending"]}
_MARKED_FIELDS = {REMINDED: "reminded_at", ESCALATED: "escalated_at"}

#: Indexes per collection, created idempotently by `open()`. Each serves a query of this module.
INDEXES: dict[str, list[IndexModel]] = {
    "tickets": [
        IndexModel([("number", ASCENDING)], name="number_unique", unique=True),
        # Queues and deadline pages: equality (and `$in` on status, which the planner merges in order)
        # then the queue order, so no page is sorted in memory.
        IndexModel([("opd_id", ASCENDING), ("status", ASCENDING), *_QUEUE], name="opd_status_queue"),
        IndexModel([("status", ASCENDING), *_QUEUE], name="status_queue"),
        # a kind's tickets: the letter desk's lists by status, and counting letters (they have no facts)
        IndexModel([("kind", ASCENDING), ("status", ASCENDING), *_QUEUE], name="kind_status_queue"),
        IndexModel([("reminded_at", ASCENDING), ("status", ASCENDING), *_QUEUE], name="remind_queue"),
        IndexModel([("escalated_at", ASCENDING), ("status", ASCENDING), *_QUEUE], name="escalate_queue"),
        IndexModel([("reporter", ASCENDING), ("created_at", ASCENDING), ("number", ASCENDING)],
                   name="reporter_recent"),
        IndexModel([("created_at", ASCENDING), ("number", ASCENDING)], name="created_number"),
        IndexModel([("status", ASCENDING), ("updated_at", ASCENDING)], name="status_updated"),
        IndexModel([("status", ASCENDING), ("number", ASCENDING)], name="lapor_open",
                   partialFilterExpression={"lapor_id": {"$type": "string"}}),
    ],
    "events": [
        IndexModel([("ticket", ASCENDING), ("_id", ASCENDING)], name="ticket_seq"),
        IndexModel([("ticket", ASCENDING), ("kind", ASCENDING), ("_id", ASCENDING)], name="ticket_kind_seq"),
        IndexModel([("kind", ASCENDING), ("_id", ASCENDING)], name="kind_seq"),
    ],
    "identities": [
        IndexModel([("role", ASCENDING), ("opd_id", ASCENDING), ("_id", ASCENDING)], name="role_opd_key"),
        IndexModel([("role", ASCENDING), ("_id", ASCENDING)], name="role_key"),
    ],
    "media": [IndexModel([("ticket", ASCENDING)], name="ticket")],
    "inbox": [
        IndexModel([("channel", ASCENDING), ("message_id", ASCENDING)], name="delivery_unique", unique=True),
        # (…, _id): the claim's and the pending list's tie-break, so neither sorts in memory
        IndexModel([("done", ASCENDING), ("received_at", ASCENDING), ("_id", ASCENDING)], name="pending_order"),
        IndexModel([("done_at", ASCENDING)], name="done_ttl", expireAfterSeconds=RETENTION_SECONDS),
    ],
    "message_links": [
        IndexModel([("channel", ASCENDING), ("chat_id", ASCENDING), ("message_id", ASCENDING)],
                   name="link_unique", unique=True),
    ],
    "mailbox": [
        IndexModel([("key", ASCENDING), ("n", ASCENDING)], name="key_seq_unique", unique=True),
        IndexModel([("at", ASCENDING)], name="at_ttl", expireAfterSeconds=RETENTION_SECONDS),
        IndexModel([("dedupe", ASCENDING)], name="dedupe_unique", unique=True, sparse=True),
    ],
    "jobs": [
        IndexModel([("key", ASCENDING)], name="key_unique", unique=True),
        IndexModel([("status", ASCENDING), ("next_attempt_at", ASCENDING), ("_id", ASCENDING)], name="due"),
        # Only finished jobs have a done_at (dead letters keep None), so only they expire.
        IndexModel([("done_at", ASCENDING)], name="done_ttl", expireAfterSeconds=RETENTION_SECONDS),
    ],
    # The oversight facts (one narrow document per ticket, `_id` = number; see `fact_fields`): the dashboard's
    # period and OPD ranges, the lists' filters in their order (newest first), the medians read in value
    # order, and the passes that measure facts and derive areas.
    "facts": [
        IndexModel([("created_at", ASCENDING), ("number", ASCENDING)], name="created_number"),
        IndexModel([("opd_id", ASCENDING), ("created_at", ASCENDING), ("number", ASCENDING)], name="opd_created"),
        IndexModel([("status", ASCENDING), ("created_at", ASCENDING), ("number", ASCENDING)], name="status_created"),
        IndexModel([("opd_id", ASCENDING), ("first_hours", ASCENDING), ("created_at", ASCENDING)], name="opd_hours"),
        IndexModel([("first_hours", ASCENDING), ("created_at", ASCENDING)], name="hours"),
        IndexModel([("opd_id", ASCENDING), ("resolved", ASCENDING), ("resolution_days", ASCENDING),
                    ("created_at", ASCENDING)], name="opd_resolution"),
        IndexModel([("resolved", ASCENDING), ("resolution_days", ASCENDING), ("created_at", ASCENDING)],
                   name="resolution"),
        IndexModel([("stale", ASCENDING), ("_id", ASCENDING)], name="stale", partialFilterExpression={"stale": True}),
        IndexModel([("pin", ASCENDING), ("_id", ASCENDING)], name="pin", partialFilterExpression={"pin": True}),
    ],
    # conversations, enrolment_codes, kv, counters and leases are read only by `_id`.
    "conversations": [],
    "enrolment_codes": [],
    "kv": [],
    "counters": [],
    "leases": [],
}

#: Pinned for every operation (docs/mongodb.md): read what the primary has, and acknowledge a write
#: only once a majority of the replica set has it in its journal, so a failover cannot roll back an
#: acknowledged message. A URL's `readPreference=` / `w=` is deliberately not used; pass other values
#: to MongoStore(...) only on purpose (e.g. a benchmark measuring their cost).
READ_PREFERENCE = ReadPreference.PRIMARY
WRITE_CONCERN = WriteConcern(w="majority", j=True)
#: A transaction reads only what a majority has (it cannot see data a failover would roll back).
TRANSACTION_READ_CONCERN = ReadConcern("majority")

#: The lease a service process holds on a standalone server (no transactions), where only one may run.
SOLE_WORKER_LEASE = "store:sole-worker"
SOLE_WORKER_SECONDS = 20.0


class SecondWorkerError(StoreError):
    """Another live service process already works on this standalone MongoDB server."""


def process_id() -> str:
    """This service process, as it names itself in the sole-worker lease."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _client_options(read_preference: Any, write_concern: WriteConcern) -> dict[str, Any]:
    """Keyword options that pin the client itself (they override the URL's, and sessions and
    transactions inherit them from the client, not from the database object)."""
    document = write_concern.document
    options: dict[str, Any] = {"read_preference": read_preference}
    for key, option in (("w", "w"), ("j", "journal"), ("wtimeout", "wTimeoutMS")):
        if key in document:
            options[option] = document[key]
    return options


#: One lock per event loop and database: on a standalone server every commit of this process checks and
#: writes under it, however many store objects the process opened on that database.
_COMMIT_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str], asyncio.Lock]] = \
    weakref.WeakKeyDictionary()


def _commit_lock(url: str, db_name: str) -> asyncio.Lock:
    locks = _COMMIT_LOCKS.setdefault(asyncio.get_running_loop(), {})
    return locks.setdefault((url, db_name), asyncio.Lock())


# --- values ---------------------------------------------------------------------------------------
def _text(value: Any, what: str = "key") -> str:
    """A filter value for an equality match: only a string (or an int, as text) ever reaches a query."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"{what} must be a string, not {type(value).__name__}")


def _int_id(value: Any) -> int | None:
    """A numeric record id from its text form; None when it is not one (so nothing matches)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _escape_key(key: str) -> str:
    key = key.replace("%", "%25").replace(".", "%2E").replace("\x00", "%00")
    return "%24" + key[1:] if key.startswith("$") else key


def _escape(value: Any) -> Any:
    """Free-form data as stored: keys that MongoDB would read as operators or paths are escaped."""
    if isinstance(value, dict):
        return {_escape_key(str(k)): _escape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escape(v) for v in value]
    return value


def _unescape(value: Any) -> Any:
    if isinstance(value, dict):
        return {(unquote(k) if "%" in k else k): _unescape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unescape(v) for v in value]
    return value


def enc(value: Any) -> Any:
    """JSON-like data the way the SQLite store keeps it (a JSON round trip), with keys escaped."""
    return _escape(json.loads(json.dumps(value, ensure_ascii=False)))


def dec(value: Any) -> Any:
    return _unescape(value)


def _utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value


def _plain(doc: dict[str, Any], *blobs: str) -> dict[str, Any]:
    """A stored document as a record dict: `_id` dropped, datetimes in UTC, blobs unescaped."""
    out = {k: _utc(v) for k, v in doc.items() if k != "_id"}
    for name in blobs:
        if name in out:
            out[name] = dec(out[name])
    return out


# --- documents -------------------------------------------------------------------------------------
def ticket_doc(ticket: Ticket) -> dict[str, Any]:
    doc = to_record(ticket, native_datetimes=True)
    doc["location"] = enc(doc["location"]) if doc["location"] is not None else None
    doc["extra"] = enc(doc["extra"])
    return {"_id": ticket.number, **doc}


def ticket_from(doc: dict[str, Any]) -> Ticket:
    return from_record(Ticket, _plain(doc, "location", "extra"))


#: The facts' columns `find_facts` can return (the desk's lists, exports and map pins).
FACT_COLUMNS = frozenset({"number", "kind", "opd_id", "topic", "status", "reporter", "channel", "created_at", "due_at",
                          "closed_at", "rating", "privacy", "lat", "lon", "kecamatan", "desa", "assignee"})
_RESOLVED = (STATUS_DONE, STATUS_CLOSED)


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def fact_fields(ticket: Ticket) -> dict[str, Any]:
    """What a ticket write sets in its facts document (the oversight figures' columns, as SQLite's facts
    table has them): the ticket's own fields, and 0/1 flags the dashboard sums. The facts from its history
    (`first_response_at`, `reopened`) and the stored working-time measures are kept by other writes."""
    location = ticket.location or {}
    lat, lon = _number(location.get("latitude")), _number(location.get("longitude"))
    assignee = ticket.extra.get("assignee")
    resolved = ticket.status in _RESOLVED and ticket.closed_at is not None
    with_deadline = resolved and ticket.due_at is not None
    reporter = ticket.reporter or ""
    return {
        "number": ticket.number, "kind": ticket.kind, "opd_id": ticket.opd_id, "topic": ticket.topic,
        "status": ticket.status, "reporter": reporter, "channel": reporter.partition(":")[0] if ":" in reporter else "",
        "created_at": ticket.created_at, "due_at": ticket.due_at, "closed_at": ticket.closed_at,
        "rating": ticket.rating, "privacy": ticket.privacy or "publik", "lat": lat, "lon": lon,
        "kecamatan": location.get("kecamatan"), "desa": location.get("desa"),
        "assignee": assignee.get("name") if isinstance(assignee, dict) else None,
        "pin": lat is not None and lon is not None and location.get("kecamatan") is None
        and location.get("area_checked") is None,
        "open": int(ticket.status in OPEN_STATUSES), "resolved": int(resolved), "with_deadline": int(with_deadline),
        "on_time": int(with_deadline and ticket.closed_at <= ticket.due_at),  # type: ignore[operator]
        "rated": int(ticket.rating is not None),
    }


#: A new facts document's other fields (a ticket write never sets them).
FACT_DEFAULTS = {"first_response_at": None, "reopened": 0, "first_hours": None, "resolution_days": None}


def event_doc(event: TicketEvent, seq: int) -> dict[str, Any]:
    return {"_id": seq, "ticket": event.ticket, "kind": event.kind, "at": event.at, "actor": event.actor,
            "text": event.text, "data": enc(event.data)}


def event_from(doc: dict[str, Any]) -> TicketEvent:
    record = _plain(doc, "data")
    record["id"] = str(doc["_id"])
    return from_record(TicketEvent, record)


def identity_doc(identity: Identity) -> dict[str, Any]:
    return {"_id": identity.key, **to_record(identity, native_datetimes=True)}


def identity_from(doc: dict[str, Any]) -> Identity:
    return from_record(Identity, _plain(doc))


def code_doc(code: EnrolmentCode) -> dict[str, Any]:
    return {"_id": code.code, **to_record(code, native_datetimes=True)}


def code_from(doc: dict[str, Any]) -> EnrolmentCode:
    return from_record(EnrolmentCode, _plain(doc))


def media_doc(media: Media) -> dict[str, Any]:
    return {"_id": media.id, "mime": media.mime, "data": bytes(media.data), "created_at": media.created_at,
            "ticket": media.ticket}


def media_from(doc: dict[str, Any]) -> Media:
    return Media(doc["_id"], doc["mime"], bytes(doc["data"]), _utc(doc["created_at"]), doc.get("ticket"))


def conversation_from(doc: dict[str, Any]) -> Conversation:
    return Conversation(doc["_id"], dec(doc.get("state") or {}), doc.get("lang") or "id", int(doc["version"]),
                        _utc(doc.get("updated_at")), _utc(doc.get("last_inbound_at")))


def inbox_from(doc: dict[str, Any]) -> InboxItem:
    return InboxItem(doc["channel"], doc["message_id"], dec(doc["payload"]), _utc(doc["received_at"]),
                     bool(doc.get("done")), int(doc.get("attempts") or 0), doc.get("last_error"),
                     doc.get("lease_owner"), _utc(doc.get("lease_until")))


def job_doc(job: OutboxJob, seq: int) -> dict[str, Any]:
    """A new job as inserted: pending, no attempts, due at `next_attempt_at` (or when created)."""
    return {"_id": seq, "key": job.key, "kind": job.kind, "status": JOB_PENDING, "attempts": 0,
            "next_attempt_at": job.next_attempt_at or job.created_at, "payload": enc(job.payload),
            "last_error": None, "last_attempt_at": None, "lease_owner": None, "lease_until": None,
            "created_at": job.created_at, "done_at": None}


def job_from(doc: dict[str, Any]) -> OutboxJob:
    record = _plain(doc, "payload")
    record["id"] = str(doc["_id"])
    return from_record(OutboxJob, record)


class MongoStore:
    """The Store protocol on MongoDB (see bot/store/base.py for each method's contract)."""

    #: A file is one document, and a document at most 16 MiB (BSON): keep room for its other fields.
    #: Channels refuse bigger files when they download them (the message itself is still handled).
    max_media_bytes = 15 * 1024 * 1024

    def __init__(self, url: str, db_name: str, *, client: Any = None, transactions: bool | None = None,
                 read_preference: Any = READ_PREFERENCE, write_concern: WriteConcern = WRITE_CONCERN,
                 process: str | None = None, sole_worker_seconds: float = SOLE_WORKER_SECONDS) -> None:
        self.url = url
        self.db_name = db_name
        self.read_preference = read_preference
        self.write_concern = write_concern
        self._client = client
        self._owns_client = client is None
        self._db: Any = None
        #: None: ask the server at open() (replica set or mongos -> transactions).
        self.transactions = transactions
        #: Who this process is in the sole-worker lease (tests give two store objects two identities).
        self.process = process or process_id()
        self.sole_worker_seconds = sole_worker_seconds
        self._sole_worker: asyncio.Task[None] | None = None

    # --- lifecycle ---------------------------------------------------------------------------------
    async def open(self) -> None:
        if self._db is not None:
            return
        if self._client is None:
            from pymongo import AsyncMongoClient

            self._client = AsyncMongoClient(self.url, tz_aware=True, appname="warga",
                                            **_client_options(self.read_preference, self.write_concern))
        db = self._client.get_database(self.db_name, read_preference=self.read_preference,
                                       write_concern=self.write_concern)
        if self.transactions is None:
            hello = await self._client.admin.command("hello")
            clustered = bool(hello.get("setName")) or hello.get("msg") == "isdbgrid"
            self.transactions = clustered and hasattr(self._client, "start_session")
        for name, models in INDEXES.items():
            if models:
                await db[name].create_indexes(models)
        for name, old_indexes in SUPERSEDED.items():
            existing = await db[name].index_information()
            for index in old_indexes:
                if index in existing:
                    await db[name].drop_index(index)
        self._db = db
        built = await self._build_facts()
        if built:
            logger.info("MongoDB store: oversight facts written for %d tickets that had none", built)
        logger.info("MongoDB store open (database %s, transactions %s)", self.db_name,
                    "on" if self.transactions else "off: ordered writes")

    async def close(self) -> None:
        await self._release_sole_worker()
        if self._client is not None and self._owns_client:
            await self._client.close()
            self._client = None
        self._db = None

    @property
    def db(self) -> Any:
        if self._db is None:
            raise StoreError("store is not open")
        return self._db

    @property
    def client(self) -> Any:
        return self._client

    def _c(self, name: str) -> Any:
        return self.db[name]

    # --- one service process on a standalone server -------------------------------------------------
    @property
    def standalone(self) -> bool:
        """No transactions (a standalone server): only one service process may work on the database."""
        return self.transactions is False

    async def hold_sole_worker(self, wait: float | None = None) -> None:
        """On a standalone server, become the one service process of this database, or refuse to start.

        The lease `store:sole-worker` names this process and is renewed every quarter of its length
        while the store is open. A live worker keeps renewing, so a second process sees the lease move
        on and gives up with SecondWorkerError; a worker that was killed stops renewing, its lease runs
        out within `sole_worker_seconds` and the new process takes over (a restart waits at most that
        long, `wait` when given). Store objects of one process share the lease. A replica set needs none.
        """
        if not self.standalone or self._sole_worker is not None:
            return
        seconds = self.sole_worker_seconds
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (seconds * 1.25 if wait is None else wait)
        seen: Any = None
        while not await self.acquire_lease(SOLE_WORKER_LEASE, self.process, datetime.now(UTC), seconds):
            holder = await self._c("leases").find_one({"_id": SOLE_WORKER_LEASE}) or {}
            until = _utc(holder.get("until"))
            if (seen is not None and until is not None and until > seen) or loop.time() >= deadline:
                raise SecondWorkerError(
                    f"another service process ({holder.get('owner')}) works on the standalone MongoDB database "
                    f"{self.db_name!r}; a standalone server (no transactions) takes one worker only. Stop the "
                    f"other process, or run MongoDB as a replica set (docs/mongodb.md) to run several.")
            if seen is None:
                logger.warning("MongoDB standalone: %s holds the sole-worker lease until %s; waiting to see "
                               "whether it is still alive", holder.get("owner"), until)
                seen = until
            await asyncio.sleep(min(seconds / 4, 1.0))
        self._sole_worker = asyncio.create_task(self._renew_sole_worker(), name="mongo-sole-worker")
        logger.info("MongoDB standalone: this process (%s) is the one worker of database %s", self.process,
                    self.db_name)

    async def _renew_sole_worker(self) -> None:
        seconds = self.sole_worker_seconds
        while True:
            await asyncio.sleep(seconds / 4)
            try:
                kept = await self.acquire_lease(SOLE_WORKER_LEASE, self.process, datetime.now(UTC), seconds)
            except Exception:  # the server may be briefly away: the lease lasts four renewals
                logger.warning("MongoDB standalone: renewing the sole-worker lease failed", exc_info=True)
                continue
            if not kept:
                logger.error("MongoDB standalone: another process took the sole-worker lease (this one stalled "
                             "past %.0f s); two workers on a standalone server can half-apply commits", seconds)

    async def _release_sole_worker(self) -> None:
        task, self._sole_worker = self._sole_worker, None
        if task is None:
            return
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        if self._db is not None:
            try:  # a clean stop frees it at once: the next process need not wait for it to run out
                await self._c("leases").delete_one({"_id": SOLE_WORKER_LEASE, "owner": self.process})
            except Exception:
                logger.warning("MongoDB standalone: could not free the sole-worker lease", exc_info=True)

    async def _atomic(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Run `work(session)` in a transaction when the server has them, else as ordered writes."""
        if self.transactions:
            async with self._client.start_session() as session:
                return await session.with_transaction(
                    work, read_concern=TRANSACTION_READ_CONCERN, write_concern=self.write_concern,
                    read_preference=self.read_preference)
        return await work(None)

    async def _reserve(self, name: str, n: int) -> list[int]:
        """`n` fresh increasing ids from the counter `seq:<name>` (taken outside any transaction)."""
        if n <= 0:
            return []
        end = await self._increment(f"seq:{name}", n)
        return list(range(end - n + 1, end + 1))

    async def _increment(self, name: str, by: int = 1) -> int:
        for _ in range(_UPSERT_RETRIES):
            try:
                doc = await self._c("counters").find_one_and_update(
                    {"_id": name}, {"$inc": {"value": by}}, upsert=True, return_document=ReturnDocument.AFTER)
                return int(doc["value"])
            except DuplicateKeyError:  # two first upserts raced; the document exists now
                continue
        raise StoreError(f"counter {name} could not be incremented")

    async def _upsert(self, collection: str, filter_: dict[str, Any], doc: dict[str, Any],
                      session: Any = None) -> None:
        """Replace-or-insert by a unique key; a racing first insert is retried as a replace."""
        for attempt in range(_UPSERT_RETRIES):
            try:
                await self._c(collection).replace_one(filter_, doc, upsert=True, session=session)
                return
            except DuplicateKeyError:
                if session is not None or attempt == _UPSERT_RETRIES - 1:
                    raise

    async def _write_ticket(self, ticket: Ticket, session: Any) -> None:
        """Insert a new ticket (version 0) or replace it only if nobody changed it since it was read."""
        doc = ticket_doc(ticket)
        doc["version"] = ticket.version + 1
        if ticket.version == 0:
            try:
                await self._c("tickets").insert_one(doc, session=session)
            except DuplicateKeyError:
                raise ConflictError(f"ticket {ticket.number} exists already") from None
            return
        result = await self._c("tickets").replace_one({"_id": _text(ticket.number), "version": ticket.version}, doc,
                                                      session=session)
        if result.matched_count != 1:
            raise ConflictError(f"ticket {ticket.number} changed since it was read")

    async def _write_facts(self, ticket: Ticket, session: Any) -> None:
        """Keep the ticket's facts document in the same write (MongoDB has no triggers): its fields set, its
        working-time measures marked out of date (a new stamp, see `stale_facts`). A letter request has none."""
        if ticket.kind == LETTER_KIND:
            return
        update = {"$set": {**fact_fields(ticket), "stale": True}, "$inc": {"stamp": 1}, "$setOnInsert": FACT_DEFAULTS}
        for attempt in range(_UPSERT_RETRIES):
            try:
                await self._c("facts").update_one({"_id": _text(ticket.number)}, update, upsert=True, session=session)
                return
            except DuplicateKeyError:  # a racing first upsert (outside a transaction): it exists now
                if session is not None or attempt == _UPSERT_RETRIES - 1:
                    raise

    async def _note_history(self, events: list[TicketEvent], session: Any) -> None:
        """The facts the history gives: the earliest staff answer (`FIRST_RESPONSE_KINDS`) and how many times
        a ticket was reopened, written to its facts document with the events."""
        answers: dict[str, list[TicketEvent]] = {}
        reopened: Counter[str] = Counter()
        for event in events:
            if event.kind in FIRST_RESPONSE_KINDS:
                answers.setdefault(event.ticket, []).append(event)
            elif event.kind == "reopened":
                reopened[event.ticket] += 1
        facts = self._c("facts")
        first: dict[str, datetime] = {}
        for number, candidates in answers.items():
            at = await self._first_opd_answer(number, candidates, session)
            if at is not None:
                first[number] = at
        for number, at in first.items():
            await facts.update_one(
                {"_id": _text(number), "$or": [{"first_response_at": None}, {"first_response_at": {"$gt": at}}]},
                {"$set": {"first_response_at": at, "stale": True}, "$inc": {"stamp": 1}}, session=session)
        for number, n in reopened.items():
            await facts.update_one({"_id": _text(number)}, {"$inc": {"reopened": n}}, session=session)

    async def _first_opd_answer(self, number: str, answers: list[TicketEvent], session: Any) -> datetime | None:
        """The earliest of these answers that is the ticket's OPD's own (`answers_for_opd`), as its facts and the
        actors' enrolments stand now (within the commit that writes them)."""
        fact = await self._c("facts").find_one({"_id": _text(number)}, {"opd_id": 1}, session=session)
        ticket_opd = fact.get("opd_id") if fact else None
        identities = self._c("identities")
        for event in sorted(answers, key=lambda e: e.at):
            who = await identities.find_one({"_id": _text(event.actor)}, {"role": 1, "opd_id": 1}, session=session) \
                if event.actor else None
            if answers_for_opd((event.data or {}).get("role"), (who or {}).get("role"), (who or {}).get("opd_id"),
                               ticket_opd, who is not None):
                return event.at
        return None

    async def _build_facts(self, batch: int = 1000) -> int:
        """Write the facts of tickets that have none (written before the facts existed, or copied in by
        `bot migrate`); the writes above keep them after. Only missing documents are inserted, none for a letter
        request; those an earlier release wrote for letters are deleted. Returns how many were written."""
        tickets, facts, events = self._c("tickets"), self._c("facts"), self._c("events")
        letters = await tickets.count_documents({"kind": LETTER_KIND})
        wanted = await tickets.estimated_document_count() - letters
        have_count = await facts.estimated_document_count()
        if have_count > wanted and letters:
            await self._drop_letter_facts(batch)
            have_count = await facts.estimated_document_count()
        if have_count >= wanted:
            return 0
        built, after = 0, ""
        while True:
            docs = await tickets.find({"_id": {"$gt": after}}).sort("_id", ASCENDING).limit(batch).to_list()
            if not docs:
                return built
            after = docs[-1]["_id"]
            numbers = [d["_id"] for d in docs]
            have = {d["_id"] for d in await facts.find({"_id": {"$in": numbers}}, {"_id": 1}).to_list()}
            missing = [ticket_from(d) for d in docs if d["_id"] not in have and d.get("kind") != LETTER_KIND]
            if not missing:
                continue
            new = {t.number: {"_id": t.number, **fact_fields(t), **FACT_DEFAULTS, "stale": True, "stamp": 1}
                   for t in missing}
            history = await events.find({"ticket": {"$in": list(new)}, "kind": {"$in": [*FIRST_RESPONSE_KINDS,
                                                                                        "reopened"]}},
                                        {"ticket": 1, "kind": 1, "at": 1}).to_list()
            for event in history:
                doc, at = new[event["ticket"]], _utc(event["at"])
                if event["kind"] == "reopened":
                    doc["reopened"] += 1
                elif doc["first_response_at"] is None or at < doc["first_response_at"]:
                    doc["first_response_at"] = at
            try:
                await facts.insert_many(list(new.values()), ordered=False)
            except BulkWriteError:  # another process built some of them meanwhile
                pass
            built += len(new)

    async def _drop_letter_facts(self, batch: int) -> None:
        """Delete the facts documents an earlier release wrote for letter requests (read on kind_status_queue)."""
        numbers: list[str] = []
        async for doc in self._c("tickets").find({"kind": LETTER_KIND}, {"_id": 1}):
            numbers.append(doc["_id"])
            if len(numbers) == batch:
                await self._c("facts").delete_many({"_id": {"$in": numbers}})
                numbers = []
        if numbers:
            await self._c("facts").delete_many({"_id": {"$in": numbers}})

    # --- conversations -----------------------------------------------------------------------------
    async def get_conversation(self, key: str) -> Conversation | None:
        doc = await self._c("conversations").find_one({"_id": _text(key)})
        return conversation_from(doc) if doc else None

    async def commit(self, changes: Changes) -> None:
        if not changes:
            return
        if not self.transactions:
            # No transaction on a standalone server: under one lock per process, check every version
            # before writing anything, so a conflict writes nothing and no other commit of this
            # process can slip in between (docs/mongodb.md: one worker only on a standalone server,
            # which `hold_sole_worker` enforces).
            async with _commit_lock(self.url, self.db_name):
                await self._check_versions(changes)
                await self._apply(changes)
            return
        await self._apply(changes)

    async def _apply(self, changes: Changes) -> None:
        event_ids = await self._reserve("events", len(changes.events))
        job_ids = await self._reserve("jobs", len(changes.jobs))

        async def work(session: Any) -> list[tuple[OutboxJob, int]]:
            conv = changes.conversation
            if conv is not None:
                await self._write_conversation(conv, session)
            for key, patch in changes.conversation_patches.items():
                await self._patch_conversation(key, patch, session)
            for ticket in changes.tickets:
                await self._write_ticket(ticket, session)
                await self._write_facts(ticket, session)
            if changes.events:
                await self._c("events").insert_many(
                    [event_doc(e, seq) for e, seq in zip(changes.events, event_ids, strict=True)],
                    ordered=True, session=session)
                await self._note_history(changes.events, session)
            for identity in changes.identities:
                await self._upsert("identities", {"_id": _text(identity.key)}, identity_doc(identity), session)
            for media in changes.media:
                await self._upsert("media", {"_id": _text(media.id)}, media_doc(media), session)
            return await self._insert_jobs(changes.jobs, job_ids, session)

        inserted = await self._atomic(work)
        for event, seq in zip(changes.events, event_ids, strict=True):
            event.id = str(seq)
        for job, seq in inserted:
            job.id = str(seq)
        if changes.conversation is not None:
            changes.conversation.version += 1
        for ticket in changes.tickets:
            ticket.version += 1

    async def _check_versions(self, changes: Changes) -> None:
        """Raise ConflictError when the conversation or a ticket is no longer at the version read."""
        conv = changes.conversation
        if conv is not None:
            doc = await self._c("conversations").find_one({"_id": _text(conv.key)}, {"version": 1})
            if (int(doc["version"]) if doc else 0) != conv.version:
                raise ConflictError(f"conversation {conv.key} changed since it was read")
        for ticket in changes.tickets:
            doc = await self._c("tickets").find_one({"_id": _text(ticket.number)}, {"version": 1})
            if ticket.version == 0:
                stale = doc is not None
            else:
                stale = doc is None or int(doc.get("version") or 0) != ticket.version
            if stale:
                raise ConflictError(f"ticket {ticket.number} changed since it was read")

    async def _write_conversation(self, conv: Conversation, session: Any) -> None:
        fields = {"state": enc(conv.state), "lang": conv.lang, "updated_at": conv.updated_at,
                  "last_inbound_at": conv.last_inbound_at}
        key = _text(conv.key)
        if conv.version == 0:
            try:
                await self._c("conversations").insert_one({"_id": key, "version": 1, **fields}, session=session)
            except DuplicateKeyError as exc:
                raise ConflictError(f"conversation {key} changed since it was read") from exc
            return
        result = await self._c("conversations").update_one(
            {"_id": key, "version": int(conv.version)}, {"$set": fields, "$inc": {"version": 1}}, session=session)
        if result.matched_count != 1:
            raise ConflictError(f"conversation {key} changed since it was read")

    async def _patch_conversation(self, key: str, patch: dict[str, Any], session: Any) -> None:
        """Merge `patch` into a conversation's state without the caller's version (compare-and-set loop)."""
        key = _text(key)
        conversations = self._c("conversations")
        for _ in range(50):
            doc = await conversations.find_one({"_id": key}, session=session)
            if doc is None:
                try:
                    await conversations.insert_one(
                        {"_id": key, "version": 1, "lang": "id", "state": enc(patch), "updated_at": None,
                         "last_inbound_at": None}, session=session)
                    return
                except DuplicateKeyError:
                    if session is not None:
                        raise
                    continue
            state = dec(doc.get("state") or {})
            state.update(patch)
            result = await conversations.update_one({"_id": key, "version": doc["version"]},
                                                    {"$set": {"state": enc(state)}, "$inc": {"version": 1}},
                                                    session=session)
            if result.matched_count == 1:
                return
        raise ConflictError(f"conversation {key} kept changing while patching it")

    async def _insert_jobs(self, jobs: list[OutboxJob], ids: list[int], session: Any) -> list[tuple[OutboxJob, int]]:
        """Insert jobs whose key is new; a job with a known key is skipped (idempotency)."""
        inserted = []
        for job, seq in zip(jobs, ids, strict=True):
            doc = job_doc(job, seq)
            key = _text(doc.pop("key"), "job key")
            try:
                result = await self._c("jobs").update_one({"key": key}, {"$setOnInsert": doc}, upsert=True,
                                                          session=session)
            except DuplicateKeyError:  # a racing insert of the same key won: skipped, as documented
                if session is not None:
                    raise
                continue
            if result.upserted_id is not None:
                inserted.append((job, seq))
        return inserted

    # --- tickets -----------------------------------------------------------------------------------
    async def next_ticket_seq(self, period: str) -> int:
        return await self._increment(f"ticket:{_text(period, 'period')}")

    async def get_ticket(self, number: str) -> Ticket | None:
        doc = await self._c("tickets").find_one({"_id": _text(number)})
        return ticket_from(doc) if doc else None

    @staticmethod
    def _ticket_filter(query: TicketQuery) -> dict[str, Any]:
        base: dict[str, Any] = {}
        for name, value in (("opd_id", query.opd_id), ("reporter", query.reporter), ("kind", query.kind)):
            if value is not None:
                base[name] = _text(value, name)
        if query.statuses is not None:
            base["status"] = {"$in": [_text(s, "status") for s in query.statuses]}
        if query.unreminded:
            base["reminded_at"] = None
        if query.withdrawn:
            base["extra.withdrawn"] = True
        for name, moment in (("created_at", query.created_after), ("updated_at", query.updated_after),
                             ("closed_at", query.closed_after)):
            if moment is not None:
                base[name] = {"$gte": moment}
        return base

    async def list_tickets(self, query: TicketQuery) -> list[Ticket]:
        base = self._ticket_filter(query)
        if query.limit <= 0:  # MongoDB reads limit 0 as "no limit"
            return []
        tickets = self._c("tickets")
        # Dated tickets first (by due date), then undated ones: MongoDB sorts nulls first, SQL here last.
        due: dict[str, Any] = {"$ne": None}
        if query.due_before is not None:
            due["$lt"] = query.due_before
        docs = await tickets.find({**base, "due_at": due}).sort(_QUEUE).limit(query.limit).to_list()
        if query.due_before is None and len(docs) < query.limit:
            docs += await tickets.find({**base, "due_at": None}).sort(_QUEUE).limit(query.limit - len(docs)).to_list()
        return [ticket_from(d) for d in docs]

    def _count_filter(self, query: TicketQuery) -> dict[str, Any]:
        filter_ = self._ticket_filter(query)
        if query.due_before is not None:
            filter_["due_at"] = {"$lt": query.due_before, "$ne": None}
        return filter_

    async def count_tickets(self, query: TicketQuery) -> int:
        return int(await self._c("tickets").count_documents(self._count_filter(query)))

    async def count_tickets_by_opd(self, query: TicketQuery) -> dict[tuple[str | None, str], int]:
        cursor = await self._c("tickets").aggregate([
            {"$match": self._count_filter(query)},
            {"$group": {"_id": {"opd_id": "$opd_id", "kind": "$kind"}, "n": {"$sum": 1}}}])
        return {(d["_id"].get("opd_id"), d["_id"]["kind"]): int(d["n"]) for d in await cursor.to_list()}

    async def recent_tickets(self, reporter: str, limit: int) -> list[Ticket]:
        if limit <= 0:
            return []
        docs = await self._c("tickets").find({"reporter": _text(reporter, "reporter")}).sort(
            [("created_at", DESCENDING), ("number", DESCENDING)]).limit(limit).to_list()
        return [ticket_from(d) for d in docs]

    async def open_tickets_due(self, before: datetime, *, after: datetime | None = None,
                               unmarked: str | None = None, start: QueueKey | None = None,
                               limit: int = 100) -> list[Ticket]:
        if limit <= 0:
            return []
        due: dict[str, Any] = {"$lt": before, "$ne": None}
        if after is not None:
            due["$gte"] = after
        filter_: dict[str, Any] = {"status": {"$in": list(OPEN_STATUSES)}, "due_at": due}
        if unmarked is not None:
            filter_[_MARKED_FIELDS[unmarked]] = None
        if start is not None:
            due_at, created_at, number = start
            due["$gte"] = max(due_at, after) if after is not None else due_at
            filter_["$or"] = [{"due_at": {"$gt": due_at}}, {"due_at": due_at, "created_at": {"$gt": created_at}},
                              {"due_at": due_at, "created_at": created_at, "number": {"$gt": _text(number)}}]
        docs = await self._c("tickets").find(filter_).sort(_QUEUE).limit(limit).to_list()
        return [ticket_from(d) for d in docs]

    async def rating_summary(self, since: datetime) -> tuple[int, float | None]:
        cursor = await self._c("tickets").aggregate([
            {"$match": {"status": {"$in": [STATUS_DONE, STATUS_CLOSED]}, "updated_at": {"$gte": since},
                        "rating": {"$ne": None}}},
            {"$group": {"_id": None, "n": {"$sum": 1}, "avg": {"$avg": "$rating"}}}])
        rows = await cursor.to_list()
        if not rows or not rows[0]["n"]:
            return 0, None
        return int(rows[0]["n"]), float(rows[0]["avg"])

    async def open_lapor_tickets(self, after_number: str | None, limit: int) -> list[tuple[str, str]]:
        if limit <= 0:
            return []
        docs = await self._c("tickets").find(
            {"status": {"$in": list(OPEN_STATUSES)}, "lapor_id": {"$type": "string"},
             "number": {"$gt": _text(after_number or "")}}, {"number": 1, "lapor_id": 1}).sort(
            "number", ASCENDING).limit(limit).to_list()
        return [(str(d["number"]), str(d["lapor_id"])) for d in docs]

    async def ticket_events(self, number: str, kind: str | None = None) -> list[TicketEvent]:
        filter_ = {"ticket": _text(number)}
        if kind is not None:
            filter_["kind"] = _text(kind, "kind")
        docs = await self._c("events").find(filter_).sort("_id", ASCENDING).to_list()
        return [event_from(d) for d in docs]

    async def events_of_kind(self, kind: str, limit: int = 10000) -> list[TicketEvent]:
        if limit <= 0:
            return []
        docs = await self._c("events").find({"kind": _text(kind, "kind")}).sort("_id", ASCENDING).limit(
            limit).to_list()
        return [event_from(d) for d in docs]

    # --- identities and enrolment ------------------------------------------------------------------
    async def get_identity(self, key: str) -> Identity | None:
        doc = await self._c("identities").find_one({"_id": _text(key)})
        return identity_from(doc) if doc else None

    async def list_identities(self, role: str | None = None, opd_id: str | None = None) -> list[Identity]:
        filter_: dict[str, Any] = {}
        if role is not None:
            filter_["role"] = _text(role, "role")
        if opd_id is not None:
            filter_["opd_id"] = _text(opd_id, "opd_id")
        docs = await self._c("identities").find(filter_).sort("_id", ASCENDING).to_list()
        return [identity_from(d) for d in docs]

    async def add_enrolment_code(self, code: EnrolmentCode) -> None:
        _text(code.code, "code")
        await self._c("enrolment_codes").insert_one(code_doc(code))

    async def void_enrolment_codes(self, codes: Sequence[str], now: datetime) -> int:
        result = await self._c("enrolment_codes").update_many(
            {"_id": {"$in": [_text(c, "code") for c in codes]}, "used_by": None,
             "$or": [{"expires_at": None}, {"expires_at": {"$gt": now}}]}, {"$set": {"expires_at": now}})
        return int(result.modified_count)

    async def redeem_enrolment_code(self, code: str, identity: Identity, now: datetime) -> EnrolmentCode | None:
        filter_ = {"_id": _text(code, "code"), "used_by": None,
                   "$or": [{"expires_at": None}, {"expires_at": {"$gt": now}}]}

        async def work(session: Any) -> EnrolmentCode | None:
            doc = await self._c("enrolment_codes").find_one_and_update(
                filter_, {"$set": {"used_by": _text(identity.key), "used_at": now}},
                return_document=ReturnDocument.AFTER, session=session)
            if doc is None:
                return None
            record = code_from(doc)
            identity.role, identity.opd_id = record.role, record.opd_id
            await self._upsert("identities", {"_id": identity.key}, identity_doc(identity), session)
            return record

        return await self._atomic(work)

    # --- media -------------------------------------------------------------------------------------
    async def get_media(self, media_id: str) -> Media | None:
        doc = await self._c("media").find_one({"_id": _text(media_id, "media id")})
        return media_from(doc) if doc else None

    # --- inbox -------------------------------------------------------------------------------------
    async def inbox_add(self, item: InboxItem) -> bool:
        try:
            await self._c("inbox").insert_one({
                "channel": _text(item.channel, "channel"), "message_id": _text(item.message_id, "message id"),
                "payload": enc(item.payload), "received_at": item.received_at, "done": False, "done_at": None,
                "attempts": 1 if item.lease_owner else 0, "last_error": None,
                "lease_owner": _text(item.lease_owner, "owner") if item.lease_owner else None,
                "lease_until": item.lease_until if item.lease_owner else None})
        except DuplicateKeyError:
            return False
        return True

    async def inbox_done(self, channel: str, message_id: str, error: str | None = None) -> None:
        fields: dict[str, Any] = {"done": True, "done_at": datetime.now(UTC), "lease_owner": None,
                                  "lease_until": None}
        if error:
            fields["last_error"] = error[:1000]
        await self._c("inbox").update_one(
            {"channel": _text(channel, "channel"), "message_id": _text(message_id, "message id")}, {"$set": fields})

    async def inbox_pending(self, limit: int = 100) -> list[InboxItem]:
        if limit <= 0:
            return []
        docs = await self._c("inbox").find({"done": False}).sort(
            [("received_at", ASCENDING), ("_id", ASCENDING)]).limit(limit).to_list()
        return [inbox_from(d) for d in docs]

    async def inbox_claim(self, owner: str, now: datetime, lease_seconds: float, limit: int,
                          channel: str | None = None, message_id: str | None = None) -> list[InboxItem]:
        """Lease items one at a time; each `find_one_and_update` is atomic, so no item has two owners."""
        filter_: dict[str, Any] = {"done": False, "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}]}
        if channel is not None:
            filter_["channel"] = _text(channel, "channel")
        if message_id is not None:
            filter_["message_id"] = _text(message_id, "message id")
        until = now + timedelta(seconds=lease_seconds)
        claimed: list[InboxItem] = []
        for _ in range(limit):
            doc = await self._c("inbox").find_one_and_update(
                filter_, {"$set": {"lease_owner": _text(owner, "owner"), "lease_until": until},
                          "$inc": {"attempts": 1}},
                sort=[("received_at", ASCENDING), ("_id", ASCENDING)], return_document=ReturnDocument.AFTER)
            if doc is None:
                break
            claimed.append(inbox_from(doc))
        return claimed

    async def inbox_renew(self, channel: str, message_id: str, owner: str, until: datetime) -> bool:
        result = await self._c("inbox").update_one(
            {"channel": _text(channel, "channel"), "message_id": _text(message_id, "message id"),
             "lease_owner": _text(owner, "owner"), "done": False}, {"$set": {"lease_until": until}})
        return result.matched_count == 1

    async def inbox_release(self, channel: str, message_id: str, owner: str, error: str,
                            retry_at: datetime) -> bool:
        result = await self._c("inbox").update_one(
            {"channel": _text(channel, "channel"), "message_id": _text(message_id, "message id"),
             "lease_owner": _text(owner, "owner"), "done": False},
            {"$set": {"lease_owner": None, "lease_until": retry_at, "last_error": str(error)[:1000]}})
        return result.matched_count == 1

    # --- message links -----------------------------------------------------------------------------
    async def link_message(self, channel: str, chat_id: str, message_id: str, ticket: str) -> None:
        filter_ = {"channel": _text(channel, "channel"), "chat_id": _text(chat_id, "chat id"),
                   "message_id": _text(message_id, "message id")}
        await self._upsert("message_links", filter_, {**filter_, "ticket": _text(ticket, "ticket")})

    async def linked_ticket(self, channel: str, chat_id: str, message_id: str) -> str | None:
        doc = await self._c("message_links").find_one(
            {"channel": _text(channel, "channel"), "chat_id": _text(chat_id, "chat id"),
             "message_id": _text(message_id, "message id")})
        return doc["ticket"] if doc else None

    # --- web chat mailbox --------------------------------------------------------------------------
    async def mailbox_add(self, key: str, reply: dict[str, Any], now: datetime, dedupe: str | None = None) -> int:
        """Append with the next per-key number; the unique (key, n) index makes the insert the allocation.

        Because number n+1 can only be taken after n is visible, a reader's cursor never skips a reply
        that is inserted later with a smaller number. A high-water mark in `counters` keeps numbers
        increasing after the TTL index has removed every old reply of a key.
        """
        key = _text(key)
        mailbox = self._c("mailbox")
        doc = enc(reply)
        extra = {} if dedupe is None else {"dedupe": _text(dedupe, "dedupe key")}
        for _ in range(100):
            if extra:
                seen = await mailbox.find_one(extra)
                if seen is not None:  # recorded before (an outbox delivery that is retried)
                    return int(seen["n"])
            last = await mailbox.find_one({"key": key}, sort=[("n", DESCENDING)])
            mark = await self._c("counters").find_one({"_id": f"mailbox:{key}"})
            n = max(last["n"] if last else 0, mark["value"] if mark else 0) + 1
            try:
                await mailbox.insert_one({"key": key, "n": n, "reply": doc, "at": now, **extra})
            except DuplicateKeyError:
                continue
            await self._c("counters").update_one({"_id": f"mailbox:{key}"}, {"$max": {"value": n}}, upsert=True)
            return n
        raise StoreError(f"mailbox {key}: too many concurrent writers")

    async def mailbox_after(self, key: str, after_id: int, limit: int = 100) -> list[tuple[int, dict[str, Any]]]:
        if limit <= 0:
            return []
        docs = await self._c("mailbox").find({"key": _text(key), "n": {"$gt": int(after_id)}}).sort(
            "n", ASCENDING).limit(limit).to_list()
        return [(int(d["n"]), dec(d["reply"])) for d in docs]

    # --- named values ------------------------------------------------------------------------------
    async def get_value(self, key: str) -> Any | None:
        doc = await self._c("kv").find_one({"_id": _text(key)})
        return dec(doc["value"]) if doc else None

    async def set_value(self, key: str, value: Any) -> None:
        await self._upsert("kv", {"_id": _text(key)}, {"value": enc(value)})

    async def set_value_if(self, key: str, expected: Any | None, value: Any) -> bool:
        kv = self._c("kv")
        if expected is None:
            try:
                await kv.insert_one({"_id": _text(key), "value": enc(value)})
            except DuplicateKeyError:
                return False
            return True
        result = await kv.update_one({"_id": _text(key), "value": enc(expected)}, {"$set": {"value": enc(value)}})
        return result.matched_count == 1

    # --- leases ------------------------------------------------------------------------------------
    async def acquire_lease(self, name: str, owner: str, now: datetime, seconds: float) -> bool:
        owner = _text(owner, "owner")
        try:
            await self._c("leases").find_one_and_update(
                {"_id": _text(name, "lease"), "$or": [{"until": {"$lte": now}}, {"owner": owner}]},
                {"$set": {"owner": owner, "until": now + timedelta(seconds=seconds)}}, upsert=True)
        except DuplicateKeyError:  # held by another owner: the upsert's insert met the existing lease
            return False
        return True

    # --- outbox ------------------------------------------------------------------------------------
    async def enqueue(self, jobs: list[OutboxJob]) -> None:
        if not jobs:
            return
        ids = await self._reserve("jobs", len(jobs))
        for job, seq in await self._insert_jobs(jobs, ids, None):
            job.id = str(seq)

    async def claim_jobs(self, owner: str, now: datetime, lease_seconds: float, limit: int) -> list[OutboxJob]:
        """Lease due jobs one at a time; each `find_one_and_update` is atomic, so no job has two owners."""
        owner = _text(owner, "owner")
        until = now + timedelta(seconds=lease_seconds)
        filter_ = {"status": JOB_PENDING, "next_attempt_at": {"$lte": now},
                   "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}]}
        claimed: list[OutboxJob] = []
        for _ in range(limit):
            doc = await self._c("jobs").find_one_and_update(
                filter_, {"$set": {"lease_owner": owner, "lease_until": until}},
                sort=[("next_attempt_at", ASCENDING), ("_id", ASCENDING)], return_document=ReturnDocument.AFTER)
            if doc is None:
                break
            claimed.append(job_from(doc))
        return claimed

    async def complete_job(self, job_id: str, owner: str, now: datetime) -> bool:
        seq = _int_id(job_id)
        if seq is None:
            return False
        result = await self._c("jobs").update_one(
            {"_id": seq, "lease_owner": _text(owner, "owner"), "status": JOB_PENDING},
            {"$set": {"status": JOB_DONE, "done_at": now, "last_attempt_at": now, "lease_owner": None,
                      "lease_until": None}, "$inc": {"attempts": 1}})
        return result.matched_count == 1

    async def fail_job(self, job_id: str, owner: str, now: datetime, error: str,
                       next_attempt_at: datetime | None) -> bool:
        seq = _int_id(job_id)
        if seq is None:
            return False
        status = JOB_PENDING if next_attempt_at is not None else JOB_DEAD
        result = await self._c("jobs").update_one(
            {"_id": seq, "lease_owner": _text(owner, "owner"), "status": JOB_PENDING},
            {"$set": {"status": status, "last_error": str(error)[:1000], "last_attempt_at": now,
                      "next_attempt_at": next_attempt_at or now, "lease_owner": None, "lease_until": None},
             "$inc": {"attempts": 1}})
        return result.matched_count == 1

    async def release_job(self, job_id: str, owner: str, next_attempt_at: datetime) -> bool:
        seq = _int_id(job_id)
        if seq is None:
            return False
        result = await self._c("jobs").update_one(
            {"_id": seq, "lease_owner": _text(owner, "owner"), "status": JOB_PENDING},
            {"$set": {"next_attempt_at": next_attempt_at, "lease_owner": None, "lease_until": None}})
        return result.matched_count == 1

    async def get_job(self, job_id: str) -> OutboxJob | None:
        seq = _int_id(job_id)
        if seq is None:
            return None
        doc = await self._c("jobs").find_one({"_id": seq})
        return job_from(doc) if doc else None

    async def list_jobs(self, status: str | None = None, limit: int = 100) -> list[OutboxJob]:
        if limit <= 0:
            return []
        filter_ = {} if status is None else {"status": _text(status, "status")}
        order = [("_id", ASCENDING)] if status is None else [("next_attempt_at", ASCENDING), ("_id", ASCENDING)]
        docs = await self._c("jobs").find(filter_).sort(order).limit(limit).to_list()
        return [job_from(d) for d in docs]

    async def retry_job(self, job_id: str, now: datetime) -> bool:
        seq = _int_id(job_id)
        if seq is None:
            return False
        result = await self._c("jobs").update_one(
            {"_id": seq, "status": {"$in": [JOB_PENDING, JOB_DEAD]},
             "$or": [{"lease_until": None}, {"lease_until": {"$lte": now}}]},
            {"$set": {"status": JOB_PENDING, "attempts": 0, "next_attempt_at": now, "lease_owner": None,
                      "lease_until": None}})
        return result.matched_count == 1

    async def outbox_counts(self) -> dict[str, int]:
        # Pending and dead jobs are counted on the `due` index; done ones pile up for ever, so they are
        # the rest of the collection's count from its metadata, never a scan of every job.
        jobs = self._c("jobs")
        counts = {status: int(await jobs.count_documents({"status": status})) for status in (JOB_PENDING, JOB_DEAD)}
        total = int(await jobs.estimated_document_count())
        counts[JOB_DONE] = max(0, total - counts[JOB_PENDING] - counts[JOB_DEAD])
        return counts

    # --- oversight (issue #15) ----------------------------------------------------------------------
    async def ticket_facts(self, since: datetime, until: datetime, opd_id: str | None = None,
                           limit: int = 500_000) -> list[TicketFacts]:
        if limit <= 0:
            return []
        filter_: dict[str, Any] = {"created_at": {"$gte": since, "$lt": until}, "kind": {"$ne": LETTER_KIND}}
        if opd_id is not None:
            filter_["opd_id"] = _text(opd_id, "opd_id")
        fields = ("number", "kind", "opd_id", "topic", "status", "reporter", "created_at", "due_at", "closed_at",
                  "rating", "privacy", "location")
        docs = await self._c("tickets").find(filter_, {name: 1 for name in fields}).sort(
            [("created_at", ASCENDING), ("number", ASCENDING)]).limit(limit).to_list()
        first: dict[str, datetime] = {}
        reopened: dict[str, int] = {}
        numbers = [d["_id"] for d in docs]
        for start in range(0, len(numbers), 5000):
            events = self._c("events").find(
                {"ticket": {"$in": numbers[start:start + 5000]},
                 "kind": {"$in": [*FIRST_RESPONSE_KINDS, "reopened"]}},
                {"ticket": 1, "kind": 1, "at": 1})
            for event in await events.to_list():
                number, at = event["ticket"], _utc(event["at"])
                if event["kind"] == "reopened":
                    reopened[number] = reopened.get(number, 0) + 1
                elif number not in first or at < first[number]:
                    first[number] = at
        return [TicketFacts(
            number=d["number"], kind=d["kind"], opd_id=d.get("opd_id"), topic=d.get("topic"), status=d["status"],
            reporter=d["reporter"], created_at=_utc(d["created_at"]), due_at=_utc(d.get("due_at")),
            closed_at=_utc(d.get("closed_at")), rating=d.get("rating"), privacy=d.get("privacy") or "publik",
            location=dec(d["location"]) if d.get("location") is not None else None,
            first_response_at=first.get(d["_id"]), reopened=reopened.get(d["_id"], 0),
        ) for d in docs]

    # --- oversight aggregated here (issue #15): the facts collection, kept with every ticket write ----------
    async def stale_facts(self, limit: int = 5000) -> list[tuple[TicketFacts, int]]:
        """Facts whose working-time measures are missing or out of date, with the stamp to write them under."""
        if limit <= 0:
            return []
        docs = await self._c("facts").find(
            {"stale": True}, {"kind": 1, "status": 1, "reporter": 1, "created_at": 1, "closed_at": 1,
                              "first_response_at": 1, "stamp": 1}).limit(limit).to_list()
        return [(TicketFacts(
            number=d["_id"], kind=d["kind"], opd_id=None, topic=None, status=d["status"],
            reporter=d.get("reporter") or "", created_at=_utc(d["created_at"]), closed_at=_utc(d.get("closed_at")),
            first_response_at=_utc(d.get("first_response_at"))), int(d.get("stamp") or 0)) for d in docs]

    async def set_fact_metrics(self, metrics: list[tuple[str, int, float | None, int | None]]) -> int:
        """Store (number, stamp, first-response working hours, resolution working days); a fact changed since
        its stamp was read stays stale. Returns how many were stored."""
        facts = self._c("facts")

        async def one(number: str, stamp: int, hours: float | None, days: int | None) -> int:
            result = await facts.update_one({"_id": _text(number), "stamp": int(stamp)},
                                            {"$set": {"first_hours": hours, "resolution_days": days, "stale": False}})
            return int(result.matched_count)

        stored = 0
        for start in range(0, len(metrics), 64):  # a few dozen round trips in flight at a time
            stored += sum(await asyncio.gather(*(one(*m) for m in metrics[start:start + 64])))
        return stored

    async def reset_fact_metrics(self) -> None:
        """Mark every fact's measures out of date (the working-day calendar changed)."""
        await self._c("facts").update_many({}, {"$set": {"stale": True}, "$inc": {"stamp": 1}})

    async def resolved_unmeasured(self, since: datetime, until: datetime,
                                  opd_id: str | None = None) -> list[TicketFacts]:
        """Resolved facts created in [since, until) without a resolution measure (withdrawn ones, and any not
        measured since they changed), on the resolution indexes."""
        filter_: dict[str, Any] = {"resolved": 1, "resolution_days": None, "created_at": {"$gte": since, "$lt": until}}
        if opd_id is not None:
            filter_["opd_id"] = _text(opd_id, "opd_id")
        docs = await self._c("facts").find(filter_, {"kind": 1, "opd_id": 1, "status": 1, "created_at": 1,
                                                     "due_at": 1, "closed_at": 1, "reopened": 1}).to_list()
        return [TicketFacts(number=d["_id"], kind=d["kind"], opd_id=d.get("opd_id"), topic=None, status=d["status"],
                            reporter="", created_at=_utc(d["created_at"]), due_at=_utc(d.get("due_at")),
                            closed_at=_utc(d.get("closed_at")), reopened=int(d.get("reopened") or 0)) for d in docs]

    async def withdrawn_among(self, numbers: list[str]) -> set[str]:
        """Which of these tickets were closed as withdrawn by their reporter; found by their keys."""
        found: set[str] = set()
        for start in range(0, len(numbers), 1000):
            chunk = [_text(n) for n in numbers[start:start + 1000]]
            docs = await self._c("tickets").find({"_id": {"$in": chunk}, "extra.withdrawn": True}, {"_id": 1}).to_list()
            found.update(str(d["_id"]) for d in docs)
        return found

    async def pinned_without_area(self, limit: int) -> list[str]:
        if limit <= 0:
            return []
        docs = await self._c("facts").find({"pin": True}, {"_id": 1}).sort("_id", ASCENDING).limit(limit).to_list()
        return [str(d["_id"]) for d in docs]

    async def get_tickets(self, numbers: list[str]) -> list[Ticket]:
        """Whole tickets by number, in the order asked (unknown numbers left out)."""
        found: dict[str, Ticket] = {}
        for start in range(0, len(numbers), 1000):
            chunk = [_text(n) for n in numbers[start:start + 1000]]
            for doc in await self._c("tickets").find({"_id": {"$in": chunk}}).to_list():
                found[doc["_id"]] = ticket_from(doc)
        return [found[n] for n in numbers if n in found]

    @staticmethod
    def _facts_filter(flt: FactsFilter) -> dict[str, Any]:
        filter_: dict[str, Any] = {}
        if flt.no_opd:
            filter_["opd_id"] = None
        elif flt.opd_id is not None:
            filter_["opd_id"] = _text(flt.opd_id, "opd_id")
        created: dict[str, Any] = {}
        if flt.created_since is not None:
            created["$gte"] = flt.created_since
        if flt.created_until is not None:
            created["$lt"] = flt.created_until
        if created:
            filter_["created_at"] = created
        if flt.statuses:
            filter_["status"] = {"$in": [_text(s, "status") for s in flt.statuses]}
        if flt.due_before is not None:
            filter_["due_at"] = {"$lt": flt.due_before}  # never matches a ticket without a deadline
        for name, value in (("topic", flt.topic), ("privacy", flt.privacy), ("channel", flt.channel)):
            if value is not None:
                filter_[name] = _text(value, name)
        areas = []
        for name, value in (("kecamatan", flt.kecamatan), ("desa", flt.desa)):
            if value == "-":
                areas.append({name: {"$in": [None, ""]}})
            elif value is not None:
                filter_[name] = _text(value, name)
        if areas:
            filter_["$and"] = areas
        if flt.with_pin:
            filter_["lat"] = {"$ne": None}
            filter_["lon"] = {"$ne": None}
        return filter_

    async def find_facts(self, flt: FactsFilter, limit: int = 200, columns: str = "number",
                         count: bool = True) -> tuple[int, list[tuple[Any, ...]]]:
        """How many tickets match `flt` (-1 unless `count`), and the newest `limit` of them (the named facts
        columns, `FACT_COLUMNS`)."""
        names = [c.strip() for c in columns.split(",")]
        unknown = [n for n in names if n not in FACT_COLUMNS]
        if unknown:
            raise ValueError(f"no facts column {unknown}")
        filter_ = self._facts_filter(flt)
        facts = self._c("facts")
        if not count:
            total = -1
        elif filter_:
            total = int(await facts.count_documents(filter_))
        else:  # every ticket: the collection's count from its metadata (one document per ticket)
            total = int(await facts.estimated_document_count())
        rows: list[tuple[Any, ...]] = []
        if limit > 0:
            docs = await facts.find(filter_, {n: 1 for n in names}).sort(
                [("created_at", DESCENDING), ("number", DESCENDING)]).limit(limit).to_list()
            rows = [tuple(_utc(d.get(n)) for n in names) for d in docs]
        return total, rows

    async def facts_summary(self, since: datetime, until: datetime, now: datetime,
                            days: list[tuple[str, datetime, datetime]], opd_id: str | None = None) -> FactsSummary:
        """The dashboard's figures of tickets created in [since, until), aggregated on the server.

        One pipeline reads the period's facts on an index (per OPD: `opd_created`, else `created_number`) and
        sums each OPD's 0/1 flags, counts overdue ones, buckets received and resolved per local day (`days`:
        label, start, end) and counts the breakdowns, in one `$facet`. Medians: the middle of each OPD's
        measured values, read in value order on an index (`$sort`, `$skip`, `$limit`)."""
        match: dict[str, Any] = {"created_at": {"$gte": since, "$lt": until}}
        if opd_id is not None:
            match["opd_id"] = _text(opd_id, "opd_id")
        measured_days = {"$and": [{"$eq": ["$resolved", 1]}, {"$gt": ["$resolution_days", None]}]}
        counts = {
            "received": {"$sum": 1}, "open": {"$sum": "$open"}, "resolved": {"$sum": "$resolved"},
            "with_deadline": {"$sum": "$with_deadline"}, "on_time": {"$sum": "$on_time"},
            "rated": {"$sum": "$rated"}, "rating_sum": {"$sum": "$rating"},
            "reopened": {"$sum": {"$cond": [{"$gt": ["$reopened", 0]}, 1, 0]}},
            "ever_resolved": {"$sum": {"$cond": [{"$or": [{"$eq": ["$resolved", 1]}, {"$gt": ["$reopened", 0]}]},
                                                 1, 0]}},
            "hours_measured": {"$sum": {"$cond": [{"$gt": ["$first_hours", None]}, 1, 0]}},
            "days_measured": {"$sum": {"$cond": [measured_days, 1, 0]}},
        }
        bounds = [start for _, start, _ in days] + ([days[-1][2]] if days else [])
        labels = {start: label for label, start, _ in days}
        facet: dict[str, Any] = {
            "opds": [{"$group": {"_id": "$opd_id", **counts}}],
            "overdue": [{"$match": {"status": {"$in": list(OPEN_STATUSES)}, "due_at": {"$lt": now}}},
                        {"$group": {"_id": "$opd_id", "n": {"$sum": 1}}}],
            **{f"by_{dim}": [{"$group": {"_id": f"${dim}", "n": {"$sum": 1}}}]
               for dim in ("topic", "kecamatan", "desa", "channel")},
        }
        if len(bounds) > 1:
            facet["received"] = [{"$bucket": {"groupBy": "$created_at", "boundaries": bounds, "default": "-",
                                              "output": {"n": {"$sum": 1}}}}]
            facet["done"] = [{"$match": {"resolved": 1}},
                             {"$bucket": {"groupBy": "$closed_at", "boundaries": bounds, "default": "-",
                                          "output": {"n": {"$sum": 1}}}}]
        cursor = await self._c("facts").aggregate([{"$match": match}, {"$facet": facet}])
        rows = await cursor.to_list()
        result: dict[str, Any] = rows[0] if rows else {}  # $facet gives one document, even for no facts

        opds: dict[str | None, OpdCounts] = {}
        measured: dict[str | None, tuple[int, int]] = {}
        overdue = {row["_id"]: int(row["n"]) for row in result.get("overdue", [])}
        for row in result.get("opds", []):
            key = row["_id"]
            got = {name: int(row.get(name) or 0) for name in counts}
            measured[key] = (got.pop("hours_measured"), got.pop("days_measured"))
            opds[key] = OpdCounts(key, overdue=overdue.get(key, 0), **got)
        total = OpdCounts(None)
        for one in opds.values():
            for name in ("received", "open", "overdue", "resolved", "with_deadline", "on_time", "rated",
                         "rating_sum", "reopened", "ever_resolved"):
                setattr(total, name, getattr(total, name) + getattr(one, name))

        async def middle(column: str, n: int, opd: str | None, every: bool) -> float | None:
            if n <= 0:
                return None
            where: dict[str, Any] = {} if every else {"opd_id": opd}
            if column == "resolution_days":
                where["resolved"] = 1
            where.update({column: {"$ne": None}, "created_at": {"$gte": since, "$lt": until}})
            found = await self._c("facts").aggregate([
                {"$match": where}, {"$sort": {column: 1}}, {"$skip": (n - 1) // 2}, {"$limit": 2},
                {"$project": {"_id": 0, "v": f"${column}"}}])
            values = [row["v"] for row in await found.to_list()]
            if not values:
                return None
            return float(values[0]) if n % 2 or len(values) < 2 else (values[0] + values[1]) / 2

        keys = list(measured)
        every = opd_id is None
        hours_all, days_all = sum(h for h, _ in measured.values()), sum(d for _, d in measured.values())
        found = await asyncio.gather(
            *(middle("first_hours", measured[k][0], k, False) for k in keys),
            *(middle("resolution_days", measured[k][1], k, False) for k in keys),
            middle("first_hours", hours_all, opd_id, every), middle("resolution_days", days_all, opd_id, every))
        for i, key in enumerate(keys):
            opds[key].median_first_response_hours = found[i]
            opds[key].median_resolution_days = found[len(keys) + i]
        total.median_first_response_hours, total.median_resolution_days = found[-2], found[-1]

        def per_day(rows: list[dict[str, Any]]) -> dict[str, int]:
            out: dict[str, int] = {}
            for row in rows:
                label = labels.get(_utc(row["_id"])) if isinstance(row["_id"], datetime) else None
                if label is not None and row["n"]:
                    out[label] = int(row["n"])
            return out

        def grouped(rows: list[dict[str, Any]]) -> dict[str, int]:
            out: dict[str, int] = {}
            for row in rows:
                key = str(row["_id"]) if row["_id"] not in (None, "") else "-"
                out[key] = out.get(key, 0) + int(row["n"])
            return {k: v for k, v in out.items() if v}

        return FactsSummary(
            opds=list(opds.values()), total=total, received_by_day=per_day(result.get("received", [])),
            resolved_by_day=per_day(result.get("done", [])), by_topic=grouped(result.get("by_topic", [])),
            by_kecamatan=grouped(result.get("by_kecamatan", [])), by_desa=grouped(result.get("by_desa", [])),
            by_channel=grouped(result.get("by_channel", [])))
