"""The narrow store protocol and the records it keeps; SQLite and MongoDB implement it.

Every write that belongs together goes through one `commit(Changes)` call, which the store
applies atomically: a conversation's new state, the tickets it touched, their history events and
the outbox jobs they cause land together or not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import copy
import random
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar, runtime_checkable

# Ticket statuses. `triase` waits for an operator to pick the OPD.
STATUS_NEW = "baru"
STATUS_TRIAGE = "triase"
STATUS_IN_PROGRESS = "diproses"
STATUS_DONE = "selesai"
STATUS_CLOSED = "ditutup"
#: Closed as outside the government's authority (actions/archive.py): neither open nor resolved in any figure.
STATUS_ARCHIVED = "diarsipkan"
#: Joined to another complaint on the same matter (actions/duplicates.py): its reporter follows that one. Neither open
#: nor resolved in any figure while it is; done with the other complaint, it counts as done.
STATUS_JOINED = "digabung"
OPEN_STATUSES = (STATUS_NEW, STATUS_TRIAGE, STATUS_IN_PROGRESS)

# Roles an identity may hold.
ROLE_RESIDENT = "resident"
#: key-value: a resident who asked for no more pushed messages ({"on": bool, "at": iso}; actions/mute.py)
MUTED_VALUE_KEY = "muted:{}"
ROLE_OFFICER = "officer"
ROLE_OPERATOR = "operator"
ROLE_REGENT = "regent"

# Outbox job states.
JOB_PENDING = "pending"
JOB_DONE = "done"
JOB_DEAD = "dead"

#: How long finished records are kept: delivered inbox items (long past any platform's redelivery),
#: sent outbox jobs and web chat mailbox replies. Pending items and dead letters are kept until dealt with.
FINISHED_RETENTION = timedelta(days=30)


#: True in the tasks of the periodic workers and the outbox: work nobody is waiting for on the other end of a
#: chat. A store that serves its calls one at a time (SQLite's one thread) lets such calls give way to a
#: resident's; see `background_task`.
BACKGROUND: contextvars.ContextVar[bool] = contextvars.ContextVar("store_background", default=False)
#: True in the periodic passes' tasks (not the outbox's, whose jobs are residents' replies): before each store
#: call they also wait, on the event loop, until no resident's call is in flight (a store may bound the wait).
PATIENT: contextvars.ContextVar[bool] = contextvars.ContextVar("store_patient", default=False)


#: How long patient work waits for a moment without residents' turns (slowed under load, never stopped).
GAP_LIMIT = 0.05


class _Turns:
    """How many residents' turns this process is answering right now (a plain count: it is only touched on
    event loops' threads, between awaits), and the patient work waiting for the count to reach zero: the last turn
    to end wakes it (no polling: a waiter costs the event loop nothing until then)."""

    def __init__(self) -> None:
        self.count = 0
        self._waiters: list[asyncio.Future[None]] = []

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        self.count += 1
        try:
            yield
        finally:
            self.count -= 1
            if not self.count and self._waiters:
                waiters, self._waiters = self._waiters, []
                for waiter in waiters:
                    _wake(waiter)

    async def gap(self, limit: float | None = None) -> None:
        """Return once no turn is being answered, or after `limit` seconds: patient work that is not a store call,
        a pass's request to an outside service, starts between residents' turns."""
        if not self.count:
            return
        loop = asyncio.get_running_loop()
        until = loop.time() + (GAP_LIMIT if limit is None else limit)
        while self.count and (left := until - loop.time()) > 0:
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            timer = loop.call_later(left, _wake, waiter)
            try:
                await waiter  # woken by the last turn's end, or by the timer
            finally:
                timer.cancel()
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)  # the timer's wake-up (or a cancellation) left it listed


def _wake(waiter: asyncio.Future[None]) -> None:
    """Wake one waiter of `_Turns.gap` (called on the event loop's thread; a test's loop may be closed by now)."""
    if not waiter.done() and not waiter.get_loop().is_closed():
        waiter.set_result(None)


#: Residents' turns being answered (the message gate wraps each in `RESIDENT_TURNS.turn()`): patient background
#: work waits for a moment with none before each store call, so a pass's Python runs between residents' turns
#: instead of inside them (a store may bound the wait: see bot/store/sqlite.py RESIDENTS_FIRST).
RESIDENT_TURNS = _Turns()


def background_task(*, patient: bool = True) -> None:
    """Mark the running task (and the tasks it starts) as background work for the store; `patient` work also
    waits for residents' calls in flight before each of its own. Call it first thing in a worker's own task: a
    context variable, so it never leaks to the residents' request tasks."""
    BACKGROUND.set(True)
    PATIENT.set(patient)


class StoreError(Exception):
    """A store operation failed."""


class ConflictError(StoreError):
    """Optimistic concurrency: the conversation changed since it was read."""


class BusyError(StoreError):
    """A write kept conflicting with concurrent writers after every bounded retry."""


@dataclass(slots=True)
class Identity:
    """A person on one channel (`key` = `channel:sender_id`) and the role they hold."""

    key: str
    channel: str
    sender_id: str
    role: str = ROLE_RESIDENT
    opd_id: str | None = None
    name: str | None = None
    lang: str = "id"
    created_at: datetime | None = None


@dataclass(slots=True)
class EnrolmentCode:
    """A one-time code the operator issues; redeeming it grants `role` (and `opd_id`)."""

    code: str
    role: str
    opd_id: str | None
    created_at: datetime
    expires_at: datetime | None = None
    used_by: str | None = None
    used_at: datetime | None = None
    #: Who issued it in chat (identity key); None from the command line. Their unused codes are void when their
    #: access is revoked (actions/staff_admin.py).
    issued_by: str | None = None


@dataclass(slots=True)
class Conversation:
    """Dialogue state of one identity. `version` guards against two writers interleaving."""

    key: str
    state: dict[str, Any] = field(default_factory=dict)
    lang: str = "id"
    version: int = 0
    updated_at: datetime | None = None
    last_inbound_at: datetime | None = None

    def copy(self) -> Conversation:
        return Conversation(self.key, copy.deepcopy(self.state), self.lang, self.version,
                            self.updated_at, self.last_inbound_at)


@dataclass(slots=True)
class Ticket:
    """A complaint (or a message to the regent) and where it stands."""

    number: str
    kind: str  # "aduan" (complaint) or "bupati" (a message to the regent)
    topic: str | None
    opd_id: str | None
    status: str
    text: str
    reporter: str  # identity key
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None = None
    privacy: str = "publik"  # publik | anonim | rahasia
    location: dict[str, Any] | None = None
    media: list[str] = field(default_factory=list)  # media ids
    lang: str = "id"
    confidence: float | None = None
    priority: str = "normal"  # normal | tinggi | darurat
    rating: int | None = None
    rating_comment: str | None = None
    lapor_id: str | None = None
    lapor_status: str | None = None
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None
    closed_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Optimistic concurrency, like conversations: 0 = new; a commit writes the ticket only if the
    # stored version still equals this one (two officers acting at once cannot overwrite each other).
    version: int = 0


@dataclass(slots=True)
class TicketEvent:
    """One line of a ticket's history: who did what, when.

    kinds: created, message_in (from the reporter), message_out (an officer's or regent's reply),
    status, routed, rerouted (a correction; `data` holds from/to topic and OPD), rating, reopened,
    disposition, lapor, escalated, reminder.
    """

    ticket: str
    kind: str
    at: datetime
    actor: str | None = None
    text: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    id: str | None = None


@dataclass(slots=True)
class OutboxJob:
    """A durable push to an outside system or another person's chat.

    kinds: `deliver` (payload: {"to": identity key, "replies": [Reply.to_dict()...]}),
    `lapor_create`, `lapor_sync` and others the integrations add. `key` is the idempotency key;
    a second job with the same key is ignored.
    """

    key: str
    kind: str
    payload: dict[str, Any]
    id: str | None = None
    status: str = JOB_PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    last_attempt_at: datetime | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None
    created_at: datetime | None = None
    done_at: datetime | None = None


@dataclass(slots=True)
class Media:
    """A file kept with a ticket (a photo a resident sent)."""

    id: str
    mime: str
    data: bytes
    created_at: datetime
    ticket: str | None = None


@dataclass(slots=True)
class InboxItem:
    """A raw inbound delivery, stored before it is acknowledged, claimed with a lease, processed after.

    `attempts` counts claims (a worker that dies mid-item still counts), `last_error` keeps why the
    last attempt failed; a poison item is marked done with its error (see bot/inbox.py).
    """

    channel: str
    message_id: str
    payload: dict[str, Any]
    received_at: datetime
    done: bool = False
    attempts: int = 0
    last_error: str | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None


@dataclass(slots=True)
class Changes:
    """Everything one step changes; `Store.commit` applies it atomically.

    `conversation` is written only if its stored version still equals `conversation.version`
    (then stored with version + 1); otherwise ConflictError and nothing is written.
    `tickets` are written whole, each only if its stored version still equals `ticket.version` (0 =
    must not exist yet), else ConflictError; on success every written ticket's version is incremented.
    `events`, `jobs` and `media` are appended (a job whose key
    exists already is skipped). `identities` are upserted.
    """

    conversation: Conversation | None = None
    tickets: list[Ticket] = field(default_factory=list)
    events: list[TicketEvent] = field(default_factory=list)
    jobs: list[OutboxJob] = field(default_factory=list)
    identities: list[Identity] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    # Other conversations to update without a version check (e.g. mark that a resident has an
    # officer reply to answer): key -> dict merged into that conversation's state.
    conversation_patches: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.conversation or self.tickets or self.events or self.jobs
                    or self.identities or self.media or self.conversation_patches)


@dataclass(slots=True)
class TicketQuery:
    """Filters for `Store.list_tickets`; results come ordered by due date, oldest first."""

    opd_id: str | None = None
    statuses: tuple[str, ...] | None = None
    reporter: str | None = None
    kind: str | None = None
    due_before: datetime | None = None
    created_after: datetime | None = None
    updated_after: datetime | None = None
    closed_after: datetime | None = None
    #: Only tickets not reminded yet (`reminded_at` empty): a reminder pass's page is not filled by the
    #: ones it reminded before, however many still wait.
    unreminded: bool = False
    #: Only tickets closed as withdrawn by their reporter (`extra.withdrawn`, actions/common.py `WITHDRAWN`).
    withdrawn: bool = False
    limit: int = 100


#: The order of every queue and deadline page, and the key a page continues after (keyset paging):
#: (due_at, created_at, number) of the last ticket of the previous page.
QueueKey = tuple[datetime, datetime, str]

#: The ticket fields `open_tickets_due(unmarked=...)` may require to be empty.
REMINDED = "reminded_at"
ESCALATED = "escalated_at"


def queue_key(ticket: Ticket) -> QueueKey:
    """Where the next page of a deadline scan starts: after this ticket."""
    if ticket.due_at is None:
        raise ValueError(f"{ticket.number} has no deadline")
    return (ticket.due_at, ticket.created_at, ticket.number)
# --- oversight (issue #15: the dashboard and the web desk) -------------------------------------------
FIRST_RESPONSE_KINDS = ("message_out", "status")  # what counts as staff answering a ticket


def answers_for_opd(role: str | None, identity_role: str | None, identity_opd: str | None, ticket_opd: str | None,
                    enrolled: bool) -> bool:
    """Whether an answer (a `FIRST_RESPONSE_KINDS` event) is the ticket's OPD's first response: not one whose
    data names another role (the regent's, an operator's), nor one by someone enrolled as anything but an
    officer of the ticket's OPD at that moment. Actors not enrolled at all (older history, an outside status)
    count as before. The SQLite store's trigger `facts_answered_by_opd` says the same in SQL."""
    if (role or ROLE_OFFICER) != ROLE_OFFICER:
        return False
    return not enrolled or (identity_role == ROLE_OFFICER and identity_opd == ticket_opd)
# A village letter request (actions/letters.py keeps it as a ticket of this kind): only its village head and
# camat see it, on the letter desk. It has no oversight facts, so the complaint desk's lists, map, exports and
# figures never hold it; the complaint desk and the officers' commands never act on it, whatever the role.
LETTER_KIND = "surat"


@dataclass(slots=True)
class TicketFacts:
    """The few fields of one ticket the oversight figures need, with two facts from its history.

    `first_response_at`: the earliest `message_out` or `status` event by the ticket's OPD (`answers_for_opd`: not
    the regent's or an operator's); `reopened`: how many `reopened` events.
    """

    number: str
    kind: str
    opd_id: str | None
    topic: str | None
    status: str
    reporter: str
    created_at: datetime
    due_at: datetime | None = None
    closed_at: datetime | None = None
    rating: int | None = None
    privacy: str = "publik"
    location: dict[str, Any] | None = None
    first_response_at: datetime | None = None
    reopened: int = 0
    withdrawn: bool = False  # closed as withdrawn by its reporter: neither resolved nor measured as such


class Store(Protocol):
    """What the bot needs from storage. All methods are async and safe to call concurrently."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...

    # conversations
    async def get_conversation(self, key: str) -> Conversation | None: ...
    async def commit(self, changes: Changes) -> None: ...

    # tickets
    async def next_ticket_seq(self, period: str) -> int:
        """Atomically the next number (1, 2, ...) in `period` (e.g. "2611"); unique across workers."""
        ...
    async def get_ticket(self, number: str) -> Ticket | None: ...
    async def list_tickets(self, query: TicketQuery) -> list[Ticket]: ...
    async def ticket_events(self, number: str, kind: str | None = None) -> list[TicketEvent]: ...
    async def events_of_kind(self, kind: str, limit: int = 10000) -> list[TicketEvent]: ...

    # indexed questions for the commands and periodic passes: each is served by an index, never by
    # loading every ticket (see tests/store/test_query_plans.py)
    async def count_tickets(self, query: TicketQuery) -> int:
        """How many tickets match `query` (its `limit` is ignored)."""
        ...
    async def count_tickets_by_opd(self, query: TicketQuery) -> dict[tuple[str | None, str], int]:
        """Tickets matching `query` counted per (opd_id, kind)."""
        ...
    async def recent_tickets(self, reporter: str, limit: int) -> list[Ticket]:
        """The reporter's latest tickets, newest first."""
        ...
    async def open_tickets_due(self, before: datetime, *, after: datetime | None = None,
                               unmarked: str | None = None, start: QueueKey | None = None,
                               limit: int = 100) -> list[Ticket]:
        """Open tickets due in [after, before), ordered by `queue_key`, continuing after `start`.

        `unmarked` (REMINDED or ESCALATED) keeps only tickets where that field is still empty.
        """
        ...
    async def rating_summary(self, since: datetime) -> tuple[int, float | None]:
        """(number of rated tickets, average rating) of tickets done or closed and updated since `since`."""
        ...
    async def open_lapor_tickets(self, after_number: str | None, limit: int) -> list[tuple[str, str]]:
        """(number, LAPOR! id) of open tickets that have one, by number, after `after_number`."""
        ...

    # identities and enrolment
    async def get_identity(self, key: str) -> Identity | None: ...
    async def list_identities(self, role: str | None = None, opd_id: str | None = None) -> list[Identity]: ...
    async def add_enrolment_code(self, code: EnrolmentCode) -> None: ...
    async def redeem_enrolment_code(self, code: str, identity: Identity, now: datetime) -> EnrolmentCode | None:
        """Atomically mark an unused, unexpired code used and upsert `identity` with its role/OPD.

        Returns the code as redeemed, or None when it is unknown, used or expired.
        """
        ...

    async def void_enrolment_codes(self, codes: Sequence[str], now: datetime) -> int:
        """Make those of `codes` that are unused and unexpired expire now; returns how many."""
        ...

    # media
    async def get_media(self, media_id: str) -> Media | None: ...

    # inbound deduplication / inbox
    async def inbox_add(self, item: InboxItem) -> bool:
        """Store a raw delivery; False (and nothing written) if (channel, message_id) was seen.

        With `lease_owner` and `lease_until` set the item is stored already claimed by that owner (one
        attempt): the worker that accepts a delivery handles it without a second round trip."""
        ...
    async def inbox_done(self, channel: str, message_id: str, error: str | None = None) -> None:
        """Mark an item finished (its effects and replies are recorded); `error` for a poison item."""
        ...
    async def inbox_pending(self, limit: int = 100) -> list[InboxItem]: ...
    async def inbox_claim(self, owner: str, now: datetime, lease_seconds: float, limit: int,
                          channel: str | None = None, message_id: str | None = None) -> list[InboxItem]:
        """Lease up to `limit` unfinished items whose lease is free or expired (oldest first) to `owner`,
        counting one attempt each; only `channel` / only `message_id` when given."""
        ...
    async def inbox_renew(self, channel: str, message_id: str, owner: str, until: datetime) -> bool:
        """Extend `owner`'s lease on an item; False when the lease was lost (another worker took it)."""
        ...
    async def inbox_release(self, channel: str, message_id: str, owner: str, error: str,
                            retry_at: datetime) -> bool:
        """A failed attempt: keep the error, free the lease, and leave the item alone until `retry_at`."""
        ...

    # links from a sent platform message to the ticket it was about (reply-to-card)
    async def link_message(self, channel: str, chat_id: str, message_id: str, ticket: str) -> None: ...
    async def linked_ticket(self, channel: str, chat_id: str, message_id: str) -> str | None: ...

    # web chat mailbox: replies pushed to a web chat resident, kept until read, replayable by cursor
    async def mailbox_add(self, key: str, reply: dict[str, Any], now: datetime, dedupe: str | None = None) -> int:
        """Append one reply (Reply.to_dict()) for identity `key`; returns its increasing id.

        With `dedupe` (an outbox job's key and the reply's place in it) a reply recorded before is not
        added again: its id is returned, so a retried delivery reaches the mailbox once."""
        ...
    async def mailbox_after(self, key: str, after_id: int, limit: int = 100) -> list[tuple[int, dict[str, Any]]]:
        """Replies for `key` with id > after_id, oldest first."""
        ...

    # small named values (cursors, last-run times of periodic jobs, a WhatsApp user's pending cursor)
    async def get_value(self, key: str) -> Any | None: ...
    async def set_value(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value under `key` (upsert)."""
        ...
    async def set_value_if(self, key: str, expected: Any | None, value: Any) -> bool:
        """Compare-and-set: store `value` only if the stored value equals `expected` (None: absent)."""
        ...

    # leases on named tasks (a periodic worker runs once per period across all workers)
    async def acquire_lease(self, name: str, owner: str, now: datetime, seconds: float) -> bool:
        """Take (or extend, for the same owner) the lease `name` until now + seconds; False if another
        owner holds it unexpired."""
        ...

    # outbox
    async def enqueue(self, jobs: list[OutboxJob]) -> None: ...
    async def claim_jobs(self, owner: str, now: datetime, lease_seconds: float, limit: int) -> list[OutboxJob]:
        """Lease up to `limit` pending jobs due at `now` (or whose lease expired) to `owner`."""
        ...
    async def complete_job(self, job_id: str, owner: str, now: datetime) -> bool: ...
    async def fail_job(self, job_id: str, owner: str, now: datetime, error: str,
                       next_attempt_at: datetime | None) -> bool:
        """Record a failed attempt; `next_attempt_at` None makes it a dead letter."""
        ...
    async def release_job(self, job_id: str, owner: str, next_attempt_at: datetime) -> bool:
        """Give a leased job back untried (its destination asked to wait): due at `next_attempt_at`,
        no attempt counted."""
        ...
    async def get_job(self, job_id: str) -> OutboxJob | None: ...
    async def list_jobs(self, status: str | None = None, limit: int = 100) -> list[OutboxJob]: ...
    async def retry_job(self, job_id: str, now: datetime) -> bool:
        """Put a dead (or pending) job back to pending, due now, attempts reset; False for a job a worker holds
        right now (its lease not run out): taking it from the worker could send it twice."""
        ...
    async def outbox_counts(self) -> dict[str, int]:
        """Number of jobs per status. Pending and dead are exact; done (the count that grows for ever) may
        lag new jobs by up to half a minute."""
        ...

    # --- oversight (issue #15) ----------------------------------------------------------------------
    async def ticket_facts(self, since: datetime, until: datetime, opd_id: str | None = None,
                           limit: int = 500_000) -> list[TicketFacts]:
        """The oversight facts of tickets created in [since, until) (of one OPD when given), oldest first;
        letter requests (`LETTER_KIND`) have none."""
        ...


T = TypeVar("T")

#: Bounded retries of work that meets a concurrent writer (ConflictError): enough for dozens of
#: writers on one record (four staff answering one ticket at full speed needs a handful).
CONFLICT_ATTEMPTS = 25


async def retry_conflicts(work: Callable[[], Awaitable[T]], attempts: int = CONFLICT_ATTEMPTS,
                          base_delay: float = 0.002, max_delay: float = 0.1,
                          serialise: asyncio.Lock | None = None) -> T:
    """Run `work()` again (it re-reads what it needs) each time it meets a ConflictError, with a short
    jittered backoff, at most `attempts` times; then BusyError. A conflict is never a refusal: the
    caller's work is redone on fresh data, so nobody sees a failure for it.

    With `serialise` (one lock per process) the retries of this process run one at a time, so a retry
    competes only with first tries and with other processes: nobody starves behind a busy record.
    """
    for attempt in range(attempts):
        try:
            if attempt == 0 or serialise is None:
                return await work()
            async with serialise:
                return await work()
        except ConflictError:
            if attempt == attempts - 1:
                break
            delay = min(max_delay, base_delay * (2 ** min(attempt, 10)))
            await asyncio.sleep(delay * (0.5 + random.random()))
    raise BusyError(f"still conflicting after {attempts} attempts")


async def update_value(store: Store, key: str, change: Callable[[Any | None], Any],
                       attempts: int = CONFLICT_ATTEMPTS) -> Any:
    """Read-modify-write a named value with compare-and-set, so concurrent workers lose no update.

    `change(current)` returns the new value (it may be called more than once). Returns what was stored.
    """

    async def once() -> Any:
        current = await store.get_value(key)
        new = change(copy.deepcopy(current))
        if new == current:
            return current
        if not await store.set_value_if(key, current, new):
            raise ConflictError(f"value {key} changed concurrently")
        return new

    return await retry_conflicts(once, attempts)


# --- oversight aggregated by the store (issue #15: the dashboard at 100,000 tickets) ---------------------
@dataclass(slots=True)
class OpdCounts:
    """What the store counts for one OPD (None: every OPD together) over a period's tickets.

    The medians come from each ticket's stored working-time measures (`set_fact_metrics`)."""

    opd_id: str | None
    received: int = 0
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    with_deadline: int = 0  # resolved tickets that had a deadline
    on_time: int = 0  # ... and were closed by it
    rated: int = 0
    rating_sum: int = 0
    reopened: int = 0  # tickets reopened at least once
    ever_resolved: int = 0  # resolved now or reopened
    withdrawn: int = 0  # closed as withdrawn by the reporter (set apart from `resolved` by actions/oversight.py)
    median_first_response_hours: float | None = None
    median_resolution_days: float | None = None


@dataclass(slots=True)
class FactsSummary:
    """A period's figures as the store aggregates them: per OPD, in total, per local day and per breakdown."""

    opds: list[OpdCounts]
    total: OpdCounts
    received_by_day: dict[str, int]  # local "YYYY-MM-DD" -> tickets created
    resolved_by_day: dict[str, int]  # local "YYYY-MM-DD" -> of those, resolved that day
    by_topic: dict[str, int]
    by_kecamatan: dict[str, int]
    by_desa: dict[str, int]
    by_channel: dict[str, int]


@dataclass(frozen=True, slots=True)
class FactsFilter:
    """Filters of the desk's lists, the map and exports, on the oversight facts of tickets."""

    opd_id: str | None = None
    no_opd: bool = False  # only tickets without an OPD (triage, messages to the regent)
    statuses: tuple[str, ...] | None = None
    due_before: datetime | None = None  # open and overdue at that moment (with OPEN statuses)
    created_since: datetime | None = None
    created_until: datetime | None = None
    topic: str | None = None
    kecamatan: str | None = None  # "-" for tickets without one
    desa: str | None = None
    channel: str | None = None
    privacy: str | None = None
    with_pin: bool = False


@runtime_checkable
class OversightStore(Protocol):
    """A store that keeps the oversight facts of its tickets and aggregates them itself (SQLite's facts
    table, kept by triggers; MongoDB's facts collection, written with every ticket and history write).
    A store without them answers `Store.ticket_facts` and the figures are computed in actions/."""

    async def facts_summary(self, since: datetime, until: datetime, now: datetime,
                            days: list[tuple[str, datetime, datetime]], opd_id: str | None = None) -> FactsSummary: ...
    async def find_facts(self, flt: FactsFilter, limit: int = 200, columns: str = "number",
                         count: bool = True) -> tuple[int, list[tuple[Any, ...]]]:
        """(how many match or -1 without `count`, the newest `limit` rows). `columns`: comma-separated names
        of number, kind, opd_id, topic, status, reporter, channel, created_at, due_at, closed_at, rating,
        privacy, lat, lon, kecamatan, desa, assignee (datetimes come as text or as datetimes)."""
        ...
    async def get_tickets(self, numbers: list[str]) -> list[Ticket]: ...
    async def stale_facts(self, limit: int = 5000) -> list[tuple[TicketFacts, int]]: ...
    async def set_fact_metrics(self, metrics: list[tuple[str, int, float | None, int | None]]) -> int: ...
    async def reset_fact_metrics(self) -> None: ...
    async def resolved_unmeasured(self, since: datetime, until: datetime,
                                  opd_id: str | None = None) -> list[TicketFacts]:
        """Facts of tickets created in [since, until), resolved, with no resolution measure: those closed as
        withdrawn (actions/oversight.py measures none for them) and any changed since the last measuring."""
        ...
    async def withdrawn_among(self, numbers: list[str]) -> set[str]:
        """Which of these tickets were closed as withdrawn by their reporter (`extra.withdrawn`)."""
        ...
    async def pinned_without_area(self, limit: int) -> list[str]:
        """Numbers of tickets with a location pin whose kecamatan/desa was not derived yet."""
        ...
