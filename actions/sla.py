"""The deadline rules: reminders to the OPD, escalation to the regent, a morning digest (issue #15 moved
them here from integrations/; integrations/sla.py only schedules them).

`DeadlineRules.run_once(now)` does one pass; the worker (integrations/sla.py) calls it every
`check_interval` seconds with the service clock, and tests call it directly with any moment. Everything it
says goes through the outbox as `deliver` jobs committed together with the ticket change that caused them, under
idempotency keys derived from the ticket and its deadline, so two service instances (or a pass
repeated after a crash) never send a reminder or an escalation twice; `reminded_at` / `escalated_at`
on the ticket and the store value `sla:digest:last` keep each of them to once. The escalations of one pass
reach the regent as one message (keyed by the tickets it names), committed with their marks.

A complaint waiting in triage has a deadline too (`triage_deadline`): past it the operators are asked to route it,
the regent gets it escalated and the reporter an apology once. The regent's report-back time on a disposition ("lapor
ke saya 2 hari") is watched apart (`report_back`): it is the staff's, never the reporter's deadline.

A pass asks the store only for what is due: open tickets whose deadline falls in the window and
that are not yet reminded (or escalated), an index range read a page at a time in deadline order, at
most `PASS_LIMIT` per pass (a backlog drains over the next passes). The digest's figures are counts
the store makes on its indexes; no pass loads every open ticket into Python.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from actions.base import Services, Turn
from actions.common import (
    format_date,
    officer_buttons,
    opd_name,
    opd_recipients,
    operator_recipients,
    regent_recipients,
    staff_lang,
    status_name,
    subject_name,
)
from bot.message import Button, Message, Reply
from bot.store.base import (
    ESCALATED,
    LETTER_KIND,
    OPEN_STATUSES,
    REMINDED,
    ROLE_OPERATOR,
    ROLE_REGENT,
    ROLE_RESIDENT,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_TRIAGE,
    ConflictError,
    Conversation,
    Identity,
    OutboxJob,
    QueueKey,
    Store,
    Ticket,
    TicketQuery,
    queue_key,
    update_value,
)

logger = logging.getLogger(__name__)

DIGEST_KEY = "sla:digest:last"
#: The regent's report-back times still watched: {ticket number: {"report_by": iso, "reminded": bool}}. Few (only
#: dispositions that name a time), so a pass reads them whole; `watch_report_back` adds one.
REPORT_BACK_KEY = "sla:report_back"
#: What counts as the OPD's follow-up on a disposition (each is reported to the regent by actions/officer.py).
FOLLOW_UPS = frozenset({"message_out", "status", "regent_report"})
#: How long after the digest time a morning's digest may still go out (a late start sends it; an evening one not).
DIGEST_WINDOW = timedelta(hours=6)
DIGEST_CATCH_UP_DAYS = 7  # a digest after mornings without one counts from the last one, at most this far back
#: Tickets per store call of a deadline pass.
PAGE = 50
#: Most reminders (and escalations) one pass sends; a backlog drains over the next passes.
PASS_LIMIT = 200
#: Complaints in triage read at start-up to find those without a deadline (a handful wait there at any time).
TRIAGE_LOOK = 10000
#: Overdue tickets the regent's message of one pass names; the rest are counted ("dan 35 lainnya").
BATCH_LINES = 10
#: How many times a pass reads its overdue tickets again when one changed while it escalated them.
ESCALATION_TRIES = 3


# --- helpers shared by the integrations ----------------------------------------------------------
def system_turn(services: Services, now: datetime, actor: str) -> Turn:
    """A Turn for work nobody typed (a worker): gives the actions' helpers, texts and `changes`."""
    channel, _, sender = actor.partition(":")
    identity = Identity(key=actor, channel=channel, sender_id=sender, role=ROLE_OPERATOR, name=sender)
    message = Message(channel=channel, sender_id=sender, text="", received_at=now)
    return Turn(services=services, message=message, identity=identity, conv=Conversation(key=actor), now=now)


def deliver_once(turn: Turn, to: str, replies: Iterable[Reply], key: str) -> None:
    """Queue replies for `to` under a deterministic key: repeating the same step queues nothing new."""
    payload = {"to": to, "replies": [r.to_dict() for r in replies]}
    turn.changes.jobs.append(OutboxJob(key=f"deliver:{key}:{to}", kind="deliver", payload=payload,
                                       created_at=turn.now))


async def commit_turn(turn: Turn) -> bool:
    """Commit what a system turn collected (no conversation of its own) and wake the outbox.

    False when a ticket changed since it was read (an officer acted, or another worker's pass got
    there first): nothing was written and the next pass looks at the ticket again.
    """
    if not turn.changes:
        return True
    try:
        await turn.store.commit(turn.changes)
    except ConflictError:
        logger.info("a ticket changed while a worker was updating it; the next pass retries")
        return False
    if turn.changes.jobs:
        turn.services.wake_outbox()
    return True


async def reporter_lang(turn: Turn, ticket: Ticket) -> str:
    identity = await turn.store.get_identity(ticket.reporter)
    return identity.lang if identity else ticket.lang


async def answered_message_to_regent(turn: Turn, ticket: Ticket) -> bool:
    """A message to the regent (no OPD: not disposed) that staff answered after the reporter last wrote: its
    deadline was for that answer, so it is met. A question asked from the desk ("Minta informasi") is no answer
    yet, and the reporter's words after an answer wait for one again (`await_answer_again`)."""
    if ticket.kind != "bupati" or ticket.opd_id:
        return False
    answered = False
    for event in await turn.store.ticket_events(ticket.number):
        if event.kind == "message_in":
            answered = False
        elif event.kind == "message_out" and not event.data.get("ask"):
            answered = True
    return answered


def settle_answered(turn: Turn, ticket: Ticket) -> None:
    """The regent answered a message addressed to him: it has no deadline left, so it is no longer reminded,
    escalated (to the regent himself) nor counted overdue in the digest and /ringkasan; it stays open, so the
    reporter's answers still reach the regent, and each starts a deadline again (`await_answer_again`). (A
    disposition gives it the OPD's deadline.)"""
    ticket.due_at = None
    ticket.reminded_at = ticket.escalated_at = None
    turn.save_ticket(ticket)


def await_answer_again(turn: Turn, ticket: Ticket) -> None:
    """The reporter wrote again on a message to the regent that was answered (`settle_answered`): their words wait
    for an answer as a new message to the regent does, with its deadline, so the regent's watch (reminder,
    escalation, /ringkasan) sees them overdue when nobody replies. An unanswered message keeps its deadline."""
    if ticket.kind != "bupati" or ticket.opd_id or ticket.due_at is not None or ticket.status not in OPEN_STATUSES:
        return
    from actions.resident import REGENT_SLA_DAYS

    ticket.due_at = turn.services.calendar.add_working_days(turn.now, REGENT_SLA_DAYS)
    ticket.reminded_at = ticket.escalated_at = None
    turn.save_ticket(ticket)


def triage_deadline(services: Services, now: datetime) -> datetime:
    """When a complaint waiting for the operators to choose its OPD is overdue: `regency.triage_days` working days
    (content/directory.yml) after it came in or came back to triage. Past it, the deadline pass tells the operators,
    the regent and (once) the reporter, as it does for an OPD's ticket."""
    return services.calendar.add_working_days(now, services.directory.triage_days)


async def watch_report_back(store: Store, number: str, report_by: datetime) -> None:
    """Have the deadline pass watch the regent's report-back time on `number` ("lapor ke saya 2 hari")."""

    def add(current: Any) -> dict[str, Any]:
        return {**(current if isinstance(current, dict) else {}),
                number: {"report_by": report_by.isoformat(), "reminded": False}}

    await update_value(store, REPORT_BACK_KEY, add)


# --- configuration --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SlaConfig:
    """The `sla:` section of content/lapor.yml."""

    reminder_days: int = 1
    digest_oldest: int = 5
    rating_days: int = 30
    check_interval: float = 60.0
    #: Regency local time during which the passes' messages to residents and the regent wait for its end ("" = none).
    quiet_hours: str = "21:00-06:00"

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> SlaConfig:
        raw = raw or {}
        config = cls(
            reminder_days=int(raw.get("reminder_days", cls.reminder_days)),
            digest_oldest=int(raw.get("digest_oldest", cls.digest_oldest)),
            rating_days=int(raw.get("rating_days", cls.rating_days)),
            check_interval=float(raw.get("check_interval", cls.check_interval)),
            quiet_hours=str(raw.get("quiet_hours", cls.quiet_hours) or ""),
        )
        config.quiet_span()  # a slip fails at start, naming the key
        return config

    def quiet_span(self) -> tuple[time, time] | None:
        """The quiet hours as (start, end) clock times, None without any."""
        if not self.quiet_hours.strip():
            return None
        start, sep, end = self.quiet_hours.partition("-")
        if not sep:
            raise ValueError(f"quiet_hours must look like 21:00-06:00, got {self.quiet_hours!r}")
        return parse_clock_time(start, "quiet_hours"), parse_clock_time(end, "quiet_hours")


def parse_clock_time(text: str, name: str = "DIGEST_TIME") -> time:
    """'07:00' or '7.30' -> time; the digest hour in the regency's time zone."""
    cleaned = text.strip().replace(".", ":")
    hour, _, minute = cleaned.partition(":")
    try:
        return time(int(hour), int(minute or 0))
    except ValueError:
        raise ValueError(f"{name} must look like 07:00, got {text!r}") from None


class _PassMemo:
    """Who is told, and in which language, looked up once per pass rather than once per ticket: a pass
    over many tickets of one OPD would otherwise ask the store the same few questions again for each."""

    def __init__(self, rules: DeadlineRules) -> None:
        self.rules = rules
        self._recipients: dict[str, list[str]] = {}
        self._langs: dict[str, str] = {}

    async def staff(self, turn: Turn, ticket: Ticket) -> list[str]:
        """The OPD's staff (the operators for a complaint in triage, the regent's for a message to him): who is
        reminded."""
        key = DeadlineRules._group(ticket)  # the OPD, triage (the operators), the regent's
        if key not in self._recipients:
            self._recipients[key] = await self.rules._staff_for(turn, ticket)
        return self._recipients[key]

    async def regents(self, turn: Turn) -> list[str]:
        """Who overdue tickets escalate to."""
        if "regent" not in self._recipients:
            self._recipients["regent"] = await regent_recipients(turn)
        return self._recipients["regent"]

    async def lang(self, turn: Turn, to: str) -> str:
        if to not in self._langs:
            self._langs[to] = await staff_lang(turn, to)
        return self._langs[to]


# --- the rules ------------------------------------------------------------------------------------
class DeadlineRules:
    """Reminders before deadlines, one escalation per overdue ticket, one digest per morning."""

    def __init__(self, services: Services, config: SlaConfig, digest_time: str = "07:00") -> None:
        self.services = services
        self.config = config
        self.digest_at = parse_clock_time(digest_time)

    # one pass
    async def run_once(self, now: datetime | None = None) -> dict[str, int]:
        """Remind, escalate and (once a day, after the digest time) send the digest; returns counts."""
        now = now or self.services.clock()
        reminders, escalations = await self.remind(now), await self.escalate(now)
        reported = await self.report_back(now)  # the regent's report-back times: reminders and escalations too
        result = {"reminders": reminders + reported["reminders"], "escalations": escalations + reported["escalations"],
                  "digests": await self.digest(now)}
        if any(result.values()):
            logger.info("sla: %(reminders)d reminder(s), %(escalations)d escalation(s), %(digests)d digest(s)",
                        result)
        return result

    def _turn(self, now: datetime) -> Turn:
        return system_turn(self.services, now, "system:sla")

    def quiet_until(self, now: datetime) -> datetime | None:
        """The end of the quiet hours `now` falls in (regency local time), None outside them."""
        span = self.config.quiet_span()
        if span is None:
            return None
        start, end = span
        local = now.astimezone(self.services.calendar.tz)
        at = local.time()
        inside = (start <= at or at < end) if start > end else (start <= at < end)
        if not inside:
            return None
        day = local.date() if at < end else local.date() + timedelta(days=1)
        return datetime.combine(day, end, tzinfo=self.services.calendar.tz).astimezone(now.tzinfo)

    async def _commit(self, turn: Turn) -> bool:
        """Commit a pass's turn; during the quiet hours (the deadline pass just after midnight) its messages to
        residents and the regent wait in the outbox until they end: an overdue notice is no reason to wake
        anyone. Staff on duty (the OPD, the operators) are told at once."""
        until = self.quiet_until(turn.now)
        if until is not None:
            waits: dict[str, bool] = {}  # each recipient looked up once
            for job in turn.changes.jobs:
                to = str(job.payload.get("to") or "") if job.kind == "deliver" else ""
                if to and to not in waits:
                    identity = await turn.store.get_identity(to)
                    waits[to] = identity is None or identity.role in (ROLE_RESIDENT, ROLE_REGENT)
                if to and waits[to]:
                    job.next_attempt_at = until
        return await commit_turn(turn)

    async def triage_without_deadline(self, now: datetime) -> int:
        """Complaints stored in triage before triage had a deadline (no `due_at`, so no pass ever saw them): each
        gets the one it would have had, counted from when it entered triage (it came in, or an officer returned
        it), and the passes watch it from then on. Run at start-up (integrations/sla.py), never in a pass: it lists
        the complaints in triage (a handful at any time), which a pass never does."""
        store = self.services.store
        page = await store.list_tickets(TicketQuery(statuses=(STATUS_TRIAGE,), limit=TRIAGE_LOOK))
        missing = [t for t in page if t.due_at is None]
        if not missing:
            return 0
        turn = self._turn(now)
        for ticket in missing:
            entered = max((e.at for e in await store.ticket_events(ticket.number, "returned")),
                          default=ticket.created_at)
            ticket.due_at = triage_deadline(self.services, entered)
            ticket.updated_at = now
            turn.changes.tickets.append(ticket)
        if not await commit_turn(turn):
            return 0  # a ticket changed meanwhile: the next start-up gives it its deadline
        logger.info("sla: %d complaint(s) in triage had no deadline; given one from when they entered triage",
                    len(missing))
        return len(missing)

    async def _due(self, before: datetime, *, after: datetime | None = None,
                   unmarked: str | None = None) -> AsyncIterator[Ticket]:
        """Open tickets due in [after, before) still `unmarked`, in deadline order, a page per store call.

        Each page is an index range (never every open ticket), and decoding one stays far below a few
        milliseconds of the event loop; the pass yields to residents between pages.
        """
        store = self.services.store
        start: QueueKey | None = None
        while True:
            page = await store.open_tickets_due(before, after=after, unmarked=unmarked, start=start, limit=PAGE)
            for ticket in page:
                yield ticket
            if len(page) < PAGE:
                return
            start = queue_key(page[-1])
            await asyncio.sleep(0)

    async def _staff_for(self, turn: Turn, ticket: Ticket) -> list[str]:
        if ticket.opd_id:
            return await opd_recipients(turn, ticket.opd_id) or await operator_recipients(turn)
        if ticket.status == STATUS_TRIAGE:  # waiting for the operators to choose its OPD
            return await operator_recipients(turn)
        return await regent_recipients(turn)

    # reminders
    def reminder_due(self, ticket: Ticket, now: datetime) -> bool:
        """Within `reminder_days` working days of the deadline and not yet past it (not for triage's short one)."""
        if ticket.due_at is None or ticket.reminded_at is not None:
            return False
        if ticket.status == STATUS_TRIAGE:  # its card to the operators is hours old: they hear when it is overdue
            return False
        return self.within_reminder(now, ticket.due_at)

    def within_reminder(self, now: datetime, deadline: datetime) -> bool:
        """`deadline` is within `reminder_days` working days and not yet past."""
        calendar = self.services.calendar
        return deadline > now and calendar.working_days_between(now, deadline) <= self.config.reminder_days

    def reminder_horizon(self, now: datetime) -> datetime:
        """The first moment more than `reminder_days` working days after `now`: every deadline before it
        (and after now) gets its reminder in this pass."""
        calendar = self.services.calendar
        day, counted = calendar.local_date(now), 0
        while counted <= self.config.reminder_days:
            day += timedelta(days=1)
            if calendar.is_working_day(day):
                counted += 1
        return datetime.combine(day, time(0), calendar.tz)

    async def remind(self, now: datetime) -> int:
        sent = 0
        memo = _PassMemo(self)
        async for candidate in self._due(self.reminder_horizon(now), after=now, unmarked=REMINDED):
            if sent >= PASS_LIMIT:
                break
            if not self.reminder_due(candidate, now):
                continue
            ticket = await self.services.store.get_ticket(candidate.number)
            if (ticket is None or ticket.due_at is None or ticket.status not in OPEN_STATUSES
                    or not self.reminder_due(ticket, now)):
                continue
            turn = self._turn(now)
            if await answered_message_to_regent(turn, ticket):  # the regent's own answer met its deadline
                settle_answered(turn, ticket)
                await self._commit(turn)
                continue
            recipients = await memo.staff(turn, ticket)
            for to in recipients:
                lang = await memo.lang(turn, to)
                text = turn.t("sla_reminder", lang, number=ticket.number, topic=self._topic(turn, ticket, lang),
                              due=format_date(turn, ticket.due_at, lang), status=status_name(turn, ticket.status, lang),
                              text=_shorten(ticket.text, 600))
                deliver_once(turn, to, [Reply(text, officer_buttons(turn, ticket.number, lang), ticket=ticket.number)],
                             f"sla_reminder:{ticket.number}:{ticket.due_at.isoformat()}")
            ticket.reminded_at = now
            ticket.updated_at = now
            turn.changes.tickets.append(ticket)
            turn.event(ticket, "reminder", None, due_at=ticket.due_at.isoformat(), recipients=len(recipients))
            sent += await self._commit(turn)
        return sent

    # escalation
    async def escalate(self, now: datetime) -> int:
        """Escalate every ticket that passed its deadline since the last pass, once: the regent gets one message
        for the pass (the ticket itself when it is the only one), its officers and its reporter one each.

        The marks on the tickets, their history and every message are one commit, so a crash before it leaves
        the tickets for the next pass and a crash after it leaves the messages in the outbox; the regent's
        message is keyed by the tickets it names, so a repeated pass queues nothing twice. When a ticket changed
        while the pass ran, nothing is written and the pass reads them again (`ESCALATION_TRIES` times, then the
        next pass does)."""
        for _ in range(ESCALATION_TRIES):
            escalated = await self._escalate_once(now)
            if escalated is not None:
                return escalated
        return 0

    async def _escalate_once(self, now: datetime) -> int | None:
        """One try of `escalate`: how many tickets it escalated, None when a ticket changed meanwhile."""
        memo = _PassMemo(self)
        calendar = self.services.calendar
        turn = self._turn(now)
        regents = await memo.regents(turn)
        batch: list[tuple[Ticket, int]] = []
        async for candidate in self._due(now, unmarked=ESCALATED):
            if len(batch) >= PASS_LIMIT:
                break
            if candidate.escalated_at is not None:
                continue
            ticket = await self.services.store.get_ticket(candidate.number)
            if (ticket is None or ticket.status not in OPEN_STATUSES or ticket.escalated_at is not None
                    or ticket.due_at is None or ticket.due_at >= now):
                continue
            if await answered_message_to_regent(turn, ticket):  # answered: never escalated to the regent himself
                settle_answered(turn, ticket)
                continue
            late = max(1, calendar.working_days_between(ticket.due_at, now))
            batch.append((ticket, late))
            if ticket.kind == "aduan":
                await self._overdue_notices(turn, memo, ticket, late)
            ticket.escalated_at = now
            ticket.updated_at = now
            turn.changes.tickets.append(ticket)
            turn.event(ticket, "escalated", None, due_at=ticket.due_at.isoformat(), late_days=late,
                       recipients=len(regents))
        if not batch:
            return 0 if await self._commit(turn) else None  # answered messages settled, if any
        if not regents:
            logger.warning("sla: %d ticket(s) overdue but no regent identity is configured or enrolled", len(batch))
        for to in regents:
            self._escalate_to(turn, to, await memo.lang(turn, to), batch)
        return len(batch) if await self._commit(turn) else None

    async def _overdue_notices(self, turn: Turn, memo: _PassMemo, ticket: Ticket, late: int) -> None:
        """The OPD hears that the regent was told; the resident hears it is late and not forgotten."""
        if ticket.status == STATUS_TRIAGE:
            await self._triage_overdue_notices(turn, memo, ticket, late)
            return
        due = ticket.due_at.isoformat() if ticket.due_at else ""
        for to in await memo.staff(turn, ticket) if ticket.opd_id else []:
            lang = await memo.lang(turn, to)
            deliver_once(turn, to, [Reply(turn.t("sla_overdue_to_officer", lang, number=ticket.number,
                                                 due=format_date(turn, ticket.due_at, lang), late=late),
                                          officer_buttons(turn, ticket.number, lang), ticket=ticket.number)],
                         f"sla_overdue_officer:{ticket.number}:{due}")
        lang = await memo.lang(turn, ticket.reporter)
        deliver_once(turn, ticket.reporter, [Reply(turn.t("sla_overdue_to_resident", lang, number=ticket.number,
                                                          due=format_date(turn, ticket.due_at, lang)),
                                                   ticket=ticket.number)],
                     f"sla_overdue_resident:{ticket.number}:{due}")

    async def _triage_overdue_notices(self, turn: Turn, memo: _PassMemo, ticket: Ticket, late: int) -> None:
        """A complaint nobody routed by its triage deadline: the operators are asked to route it now, and the
        reporter, who was told the right office is being found, hears once that it takes longer and was reported
        to the regent ("Mohon maaf, aduan Anda … belum kami teruskan ke dinas yang menangani")."""
        due = ticket.due_at.isoformat() if ticket.due_at else ""
        for to in await memo.staff(turn, ticket):
            lang = await memo.lang(turn, to)
            text = turn.t("sla_triage_overdue_to_operator", lang, number=ticket.number,
                          due=format_date(turn, ticket.due_at, lang), late=late, text=_shorten(ticket.text, 400))
            deliver_once(turn, to, [Reply(text, (Button(turn.t("triage_queue_button", lang), "/triase"),),
                                          ticket=ticket.number)], f"sla_triage_overdue:{ticket.number}:{due}")
        lang = await memo.lang(turn, ticket.reporter)
        deliver_once(turn, ticket.reporter, [Reply(turn.t("sla_triage_overdue_to_resident", lang, number=ticket.number),
                                                   ticket=ticket.number)],
                     f"sla_triage_overdue_resident:{ticket.number}")  # once, however often it returns to triage

    def _escalate_to(self, turn: Turn, to: str, lang: str, batch: list[tuple[Ticket, int]]) -> None:
        """The regent's message of one pass: the ticket in full when it is the only one; else how many, the most
        overdue `BATCH_LINES` (ticket, OPD, topic, days late) and where the rest are."""
        if len(batch) == 1:
            [(ticket, late)] = batch
            text = turn.t("sla_escalation", lang, number=ticket.number, topic=self._topic(turn, ticket, lang),
                          opd=self._opd_label(turn, ticket), due=format_date(turn, ticket.due_at, lang),
                          late=late, status=status_name(turn, ticket.status, lang),
                          text=turn.t("crisis_text_withheld", lang) if ticket.extra.get("crisis")
                          else _shorten(ticket.text, 600))  # a crisis request's words stay with its health workers
            deliver_once(turn, to, [Reply(text, officer_buttons(turn, ticket.number, lang), ticket=ticket.number)],
                         f"sla_escalation:{ticket.number}:{ticket.due_at.isoformat() if ticket.due_at else ''}")
            return
        from actions.letters import public_base  # where the dashboard is (WARGA_PUBLIC_URL)

        shown = sorted(batch, key=lambda pair: -pair[1])[:BATCH_LINES]  # the pass read them by deadline
        lines = [turn.t("sla_escalation_batch_header", lang, count=len(batch))]
        lines += [turn.t("sla_escalation_batch_line", lang, number=t.number, opd=self._opd_label(turn, t),
                         topic=self._topic(turn, t, lang), late=late) for t, late in shown]
        if len(batch) > len(shown):
            lines.append(turn.t("sla_escalation_batch_more", lang, count=len(batch) - len(shown)))
        lines.append(turn.t("sla_escalation_batch_footer", lang,
                            desk=f"{public_base(self.services)}/desk/tiket?status=terlambat"))
        buttons = (Button(turn.t("sla_escalation_batch_queue_button", lang), "/antrian"),
                   *(Button(t.number, f"/info {t.number}") for t, _ in shown[:2]))
        marks = ",".join(f"{t.number}@{t.due_at.isoformat() if t.due_at else ''}" for t, _ in batch)
        deliver_once(turn, to, [Reply("\n".join(lines), buttons)],
                     f"sla_escalation_batch:{hashlib.sha256(marks.encode()).hexdigest()[:20]}")

    # the regent's report-back times
    async def report_back(self, now: datetime) -> dict[str, int]:
        """Watch the report-back times dispositions named ("lapor ke saya 2 hari", actions/regent.py): a reminder to
        the OPD within `reminder_days` working days of one, and when it passes with no follow-up from the OPD (an
        answer to the reporter, in progress, done) the regent and the OPD are told. Staff only: the reporter's
        deadline is the ticket's `due_at`, watched by `remind` and `escalate` as any other.

        Each message is keyed by the ticket and its report-back time, so a pass repeated after a crash queues nothing
        twice; the watch list (`REPORT_BACK_KEY`) then drops what is settled."""
        store = self.services.store
        watched = await store.get_value(REPORT_BACK_KEY)
        counts = {"reminders": 0, "escalations": 0}
        if not isinstance(watched, dict) or not watched:
            return counts
        memo = _PassMemo(self)
        settled: dict[str, dict[str, Any] | None] = {}  # number -> its entry marked reminded, or None: watched no more
        for number, entry in sorted(watched.items(), key=lambda item: str(item[1].get("report_by"))):
            report_by = datetime.fromisoformat(entry["report_by"])
            ticket = await store.get_ticket(number)
            if ticket is None or not await self._report_awaited(ticket, entry["report_by"]):
                settled[number] = None
                continue
            turn = self._turn(now)
            if report_by < now:
                await self._report_overdue(turn, memo, ticket, report_by, now)
                counts["escalations"] += 1
                settled[number] = None
            elif not entry.get("reminded") and self.within_reminder(now, report_by):
                for to in await memo.staff(turn, ticket):
                    lang = await memo.lang(turn, to)
                    text = turn.t("report_back_reminder", lang, number=ticket.number,
                                  topic=self._topic(turn, ticket, lang), report_by=format_date(turn, report_by, lang))
                    deliver_once(turn, to, [Reply(text, officer_buttons(turn, ticket.number, lang),
                                                  ticket=ticket.number)],
                                 f"report_back_reminder:{ticket.number}:{entry['report_by']}")
                turn.event(ticket, "report_back_reminder", None, report_by=entry["report_by"])
                counts["reminders"] += 1
                settled[number] = {**entry, "reminded": True}
            else:
                continue
            if not await self._commit(turn):
                settled.pop(number)  # nothing was written: the next pass tries again

        def apply(current: Any) -> dict[str, Any]:
            current = dict(current) if isinstance(current, dict) else {}
            for number, entry in settled.items():
                if current.get(number, {}).get("report_by") == watched[number]["report_by"]:  # not asked anew meanwhile
                    if entry is None:
                        current.pop(number)
                    else:
                        current[number] = entry
            return current

        if settled:
            await update_value(store, REPORT_BACK_KEY, apply)
        return counts

    async def _report_awaited(self, ticket: Ticket, report_by: str) -> bool:
        """The ticket is open, its latest disposition still names this report-back time, and nobody but the regent
        followed it up since."""
        disposition = ticket.extra.get("disposition")
        if (ticket.status not in OPEN_STATUSES or not isinstance(disposition, dict)
                or disposition.get("report_by") != report_by):
            return False
        since = datetime.fromisoformat(str(disposition.get("at")))
        return not any(e.kind in FOLLOW_UPS and e.at >= since and e.actor != disposition.get("by")
                       for e in await self.services.store.ticket_events(ticket.number))

    async def _report_overdue(self, turn: Turn, memo: _PassMemo, ticket: Ticket, report_by: datetime,
                              now: datetime) -> None:
        """The report-back time passed with no follow-up: the regent and the OPD hear it, the reporter does not
        (their deadline is `due_at`)."""
        key = f"{ticket.number}:{report_by.isoformat()}"
        for to in await memo.staff(turn, ticket):
            lang = await memo.lang(turn, to)
            text = turn.t("report_back_overdue_to_officer", lang, number=ticket.number,
                          report_by=format_date(turn, report_by, lang), due=format_date(turn, ticket.due_at, lang))
            deliver_once(turn, to, [Reply(text, officer_buttons(turn, ticket.number, lang), ticket=ticket.number)],
                         f"report_back_officer:{key}")
        for to in await memo.regents(turn):
            lang = await memo.lang(turn, to)
            text = turn.t("report_back_overdue_to_regent", lang, number=ticket.number,
                          topic=self._topic(turn, ticket, lang), opd=self._opd_label(turn, ticket),
                          report_by=format_date(turn, report_by, lang), status=status_name(turn, ticket.status, lang),
                          due=format_date(turn, ticket.due_at, lang))
            deliver_once(turn, to, [Reply(text, (Button(ticket.number, f"/info {ticket.number}"),),
                                          ticket=ticket.number)], f"report_back_regent:{key}")
        turn.event(ticket, "report_back_overdue", None, report_by=report_by.isoformat(),
                   late_days=max(1, self.services.calendar.working_days_between(report_by, now)))

    # digest
    def digest_due(self, now: datetime, last: str | None) -> bool:
        """Once a day, from the digest time until `DIGEST_WINDOW` after it: a service started (or back from an
        outage) at 9 still sends the morning's digest, one started at 22:00 waits for the next morning."""
        local = now.astimezone(self.services.calendar.tz)
        start = datetime.combine(local.date(), self.digest_at, tzinfo=local.tzinfo)
        return start <= local < start + DIGEST_WINDOW and last != local.date().isoformat()

    async def digest(self, now: datetime) -> int:
        store = self.services.store
        last = await store.get_value(DIGEST_KEY)
        if not self.digest_due(now, last if isinstance(last, str) else None):
            return 0
        turn = self._turn(now)
        day = now.astimezone(self.services.calendar.tz).date().isoformat()
        recipients = await regent_recipients(turn)
        stats = await self.digest_stats(now, self._since_last_digest(now, last if isinstance(last, str) else None))
        for to in recipients:
            lang = await staff_lang(turn, to)
            deliver_once(turn, to, [Reply(self.digest_text(turn, stats, lang))], f"sla_digest:{day}")
        await self._commit(turn)
        await store.set_value(DIGEST_KEY, day)
        return 1

    def _since_last_digest(self, now: datetime, last: str | None) -> datetime | None:
        """When the last digest went out more than a day ago (a morning the service was down or asleep, so Saturday's
        complaints were never in one): its morning, at most DIGEST_CATCH_UP_DAYS back; None for the usual 24 hours."""
        if not last:
            return None
        try:
            day = date.fromisoformat(last)
        except ValueError:
            return None
        tz = self.services.calendar.tz
        since = max(datetime.combine(day, self.digest_at, tzinfo=tz), now - timedelta(days=DIGEST_CATCH_UP_DAYS))
        return since if since < now - timedelta(hours=25) else None

    async def digest_stats(self, now: datetime, since: datetime | None = None) -> dict[str, Any]:
        """What the morning digest says: counts per OPD, the oldest overdue tickets, the average rating; counted
        over the last 24 hours, or since `since` (the last digest's morning, when days were missed)."""
        store, calendar = self.services.store, self.services.calendar
        counted_from = since
        since = since or now - timedelta(hours=24)
        # Counted by the store on its indexes: the day's new and finished tickets, the open and overdue ones.
        new = await store.count_tickets_by_opd(TicketQuery(created_after=since))
        finished = await store.count_tickets_by_opd(TicketQuery(statuses=(STATUS_DONE, STATUS_CLOSED),
                                                                updated_after=since, closed_after=since))
        # of those, closed as withdrawn by their reporter: counted apart, not as done
        withdrawn = await store.count_tickets_by_opd(TicketQuery(statuses=(STATUS_DONE, STATUS_CLOSED),
                                                                 updated_after=since, closed_after=since,
                                                                 withdrawn=True))
        finished = Counter(finished)
        finished.subtract(withdrawn)
        overdue = await store.count_tickets_by_opd(TicketQuery(statuses=OPEN_STATUSES, due_before=now))
        open_count = await store.count_tickets(TicketQuery(statuses=OPEN_STATUSES))
        rated, rating = await store.rating_summary(now - timedelta(days=self.config.rating_days))
        oldest = await store.open_tickets_due(now, limit=self.config.digest_oldest)
        per_opd: dict[str, Counter[str]] = defaultdict(Counter)
        for label, counts in (("new", new), ("done", finished), ("withdrawn", withdrawn), ("overdue", overdue)):
            for (opd_id, kind), n in counts.items():
                per_opd[self._group_of(opd_id, kind)][label] += n
        return {
            "date": now, "new": sum(new.values()), "done": sum(finished.values()), "withdrawn": sum(withdrawn.values()),
            "overdue": sum(overdue.values()), "open": open_count,
            "per_opd": {k: dict(v) for k, v in sorted(per_opd.items())},
            "oldest": [(t, max(1, calendar.working_days_between(t.due_at or now, now))) for t in oldest],
            "rating": rating, "rated": rated, "since": counted_from,
        }

    def digest_text(self, turn: Turn, stats: dict[str, Any], lang: str) -> str:
        # complaints withdrawn by their reporter get their own count and column, when there are any
        apart = "_withdrawn" if stats.get("withdrawn") else ""
        period = turn.t("digest_period_since", lang, since=format_date(turn, stats["since"], lang, with_time=True)) \
            if stats.get("since") else turn.t("digest_period_day", lang)
        lines = [turn.t(f"digest_header{apart}", lang, period=period, date=format_date(turn, stats["date"], lang),
                        new=stats["new"],
                        done=stats["done"], withdrawn=stats.get("withdrawn", 0), open=stats["open"],
                        overdue=stats["overdue"])]
        if stats["per_opd"]:
            lines.append(turn.t(f"digest_opd_header{apart}", lang))
            for group, counts in stats["per_opd"].items():
                lines.append(turn.t(f"digest_opd_line{apart}", lang, opd=self._group_label(turn, group),
                                    new=counts.get("new", 0), done=counts.get("done", 0),
                                    withdrawn=counts.get("withdrawn", 0), overdue=counts.get("overdue", 0)))
        else:
            lines.append(turn.t("digest_nothing", lang))
        if stats["oldest"]:
            lines.append(turn.t("digest_oldest_header", lang))
            for ticket, late in stats["oldest"]:
                lines.append(turn.t("digest_oldest_line", lang, number=ticket.number,
                                    opd=self._opd_label(turn, ticket), late=late,
                                    topic=self._topic(turn, ticket, lang)))
        if stats["rating"] is not None:
            rating = f"{stats['rating']:.1f}".replace(".", "," if lang == "id" else ".")
            lines.append(turn.t("digest_rating", lang, rating=rating, count=stats["rated"],
                                days=self.config.rating_days))
        else:
            lines.append(turn.t("digest_rating_none", lang, days=self.config.rating_days))
        return "\n".join(lines)

    # labels
    @staticmethod
    def _group_of(opd_id: str | None, kind: str) -> str:
        """A row of the digest: the OPD; messages to the regent; village letters (no OPD: never "triage");
        complaints waiting for the operator to choose the OPD."""
        if opd_id:
            return opd_id
        return {"bupati": "~bupati", LETTER_KIND: "~surat"}.get(kind, "~triase")

    @classmethod
    def _group(cls, ticket: Ticket) -> str:
        return cls._group_of(ticket.opd_id, ticket.kind)

    def _group_label(self, turn: Turn, group: str) -> str:
        return group_label(turn, group)

    def _opd_label(self, turn: Turn, ticket: Ticket) -> str:
        return ticket_opd_label(turn, ticket)

    @staticmethod
    def _topic(turn: Turn, ticket: Ticket, lang: str) -> str:
        return subject_name(turn, ticket, lang)


def group_label(turn: Turn, group: str) -> str:
    """A digest row's name: the OPD's short name, the regent, triage or village letters."""
    if group == "~bupati":
        return turn.directory.regent_title
    if group == "~triase":
        return "Triase"
    if group == "~surat":
        return turn.t("digest_letters")
    return opd_name(turn, group)


def ticket_opd_label(turn: Turn, ticket: Ticket) -> str:
    """Who has `ticket` now, as the regent reads it: the OPD's short name (as the officers' cards name it), the
    regent for a message to the regent not yet disposed, or triage."""
    return group_label(turn, DeadlineRules._group(ticket))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
