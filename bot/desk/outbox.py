"""The operator's outbox page on the desk: /desk/kiriman.

What the outbox (integrations/outbox.py) still has to send or gave up on: deliveries waiting, being retried,
failed, and messages that did not reach a resident, an officer or the regent (`undelivered`), as well as the
pushes to SP4N-LAPOR!. Each row says which ticket it is about, where it goes, how often it was tried, the last
error in short, when it is tried next and how old it is. Its button makes the job due now, as
`python -m bot outbox retry ID` does (`Store.retry_job`: attempts counted afresh); the outbox worker then sends
it, nothing is sent from the request, and a job a worker is sending at that moment is left alone. Below them, the
messages WhatsApp's 24-hour window holds until their recipient writes (bot/held.py): for whom, how many, since
when, and why; they go out by themselves when that person writes, so they have no button. Phone numbers and NIK
are masked (bot/logging_setup.py), chat ids shortened as the desk shows staff. Only the Diskominfo operator sees
the page or posts to it, with the desk's CSRF token.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from actions.common import identity_can_act, staff_label
from bot.desk.staff import operator_only
from bot.desk.views import NOTICE_COOKIE, back_to_page, said_after_action
from bot.held import REASON, HeldReplies
from bot.http_input import read_form
from bot.logging_setup import mask_personal
from bot.store.base import JOB_DEAD, JOB_DONE, JOB_PENDING, ROLE_RESIDENT, OutboxJob, OversightStore, Ticket

if TYPE_CHECKING:
    from actions.base import Turn
    from bot.desk.views import Desk

logger = logging.getLogger(__name__)

PATH = "/desk/kiriman"
ROWS = 300  # jobs of each status the page reads at most (the counts above the table are exact)
ERROR_CHARS = 120
#: A job id as the stores write it (SQLite's row id, MongoDB's sequence): ASCII digits, within a 64-bit integer.
JOB_ID = re.compile(r"[0-9]{1,18}")
#: An address in an error (an API URL may carry a bot token in its path): only its host is shown.
_URL = re.compile(r"\bhttps?://([^/\s\"'<>]+)[^\s\"'<>]*")
#: A Telegram bot token ("123456:AA…") wherever an error quotes one.
_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}")
#: A chat address an error names ("for 'telegram:700001'"): shown as the page shows its destination.
_ADDRESS = re.compile(r"\b(telegram|whatsapp|sms|webchat):([\w.+-]+)")
#: The states a row can be in, worst first (the page's order).
STATES = ("undelivered", "failed", "retrying", "sending", "pending")


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One outbox job as the operator's page shows it."""

    id: str
    state: str
    ticket: str | None
    linked: bool  # the ticket's desk page is open to the operator (a letter request's is not)
    destination: str
    channel: str
    attempts: int
    error: str
    next_try: datetime | None
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class HeldRow:
    """The messages held for one person, as the operator's page shows them."""

    destination: str
    channel: str
    count: int
    since: datetime | None
    reason: str  # the text key saying why they wait


def short_error(error: str | None, limit: int = ERROR_CHARS) -> str:
    """The last error in short, on one line: addresses cut to their host, tokens, NIK and phone numbers masked."""
    text = _TOKEN.sub("…", _URL.sub(r"\1/…", " ".join((error or "").split())))
    text = mask_personal(_ADDRESS.sub(lambda m: f"{m.group(1)}:{masked_address(m.group(2))}", text))
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def masked_address(sender_id: str) -> str:
    """A chat address without the person: a phone number masked, another id by its last four characters."""
    masked = mask_personal(sender_id)
    return masked if masked != sender_id else f"…{sender_id[-4:]}"


def job_ticket(job: OutboxJob) -> str | None:
    """The ticket (or letter request) a job is about: a delivery's replies name it, the others carry it."""
    if job.kind == "deliver":
        replies = job.payload.get("replies") or []
        return next((str(r["ticket"]) for r in replies if isinstance(r, dict) and r.get("ticket")), None)
    number = job.payload.get("ticket") or job.payload.get("number")
    return str(number) if number else None


def job_state(job: OutboxJob, now: datetime) -> str:
    if job.status == JOB_DEAD:
        return "undelivered" if job.kind == "deliver" else "failed"
    if job.lease_until is not None and job.lease_until > now:
        return "sending"
    return "retrying" if job.attempts else "pending"


class OutboxPage:
    """Routes of the operator's outbox page; uses the desk's sign-in, renderer and CSRF token."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.get(PATH, self.page), web.post(PATH, self.retry_now)]

    async def page(self, request: web.Request, notice: str | None = None, status: int = 200) -> web.Response:
        identity = await operator_only(self.desk, request, "see the outbox")
        lang = self.desk._lang(request)
        store, now = self.desk.services.store, self.desk.services.clock()
        turn = self.desk._turn(identity, lang)
        jobs = await store.list_jobs(JOB_DEAD, limit=ROWS) + await store.list_jobs(JOB_PENDING, limit=ROWS)
        numbers = list(dict.fromkeys(n for n in map(job_ticket, jobs) if n))
        tickets = {t.number: t for t in await self._tickets(numbers)}
        names: dict[tuple[str, bool], str] = {}
        rows = [await self._row(turn, job, now, tickets, names) for job in jobs]
        rows.sort(key=lambda r: (STATES.index(r.state), r.created_at or now, int(r.id)))
        held = [HeldRow(await self._recipient(turn, f"whatsapp:{h.recipient}", False), "whatsapp", h.count, h.since,
                        REASON) for h in await HeldReplies(store, self.desk.services.clock).all()]
        counts = await store.outbox_counts()
        said = notice or said_after_action(request)
        response = self.desk._render("outbox.html", request, identity, status, rows=rows, message=said, held=held,
                                     held_messages=sum(h.count for h in held),
                                     pending=counts.get(JOB_PENDING, 0), dead=counts.get(JOB_DEAD, 0),
                                     age=lambda moment: self._age(moment, now, lang), now=now)
        if said and notice is None:
            response.del_cookie(NOTICE_COOKIE, path=request.path)
        return response

    async def _tickets(self, numbers: list[str]) -> list[Ticket]:
        """The tickets the listed jobs are about: one read on a store that keeps oversight facts."""
        store: Any = self.desk.services.store
        if not numbers:
            return []
        if isinstance(store, OversightStore):
            return list(await store.get_tickets(numbers))
        return [t for t in [await store.get_ticket(n) for n in numbers] if t is not None]

    async def _row(self, turn: Turn, job: OutboxJob, now: datetime, tickets: dict[str, Ticket],
                   names: dict[tuple[str, bool], str]) -> OutboxRow:
        number = job_ticket(job)
        ticket = tickets.get(number or "")
        channel = ""
        if job.kind == "deliver":
            to = str(job.payload.get("to") or "")
            channel = to.partition(":")[0]
            reporter = ticket is not None and ticket.reporter == to
            if (to, reporter) not in names:
                names[to, reporter] = await self._recipient(turn, to, reporter)
            destination = names[to, reporter]
        else:
            key = f"desk_outbox_kind_{job.kind}"
            destination = turn.t(key) if turn.texts.has(key) else job.kind
        # a letter request is not on the complaint desk: its number is shown without a link
        linked = ticket is not None and identity_can_act(turn.identity, ticket.opd_id, ticket.kind)
        return OutboxRow(id=str(job.id), state=job_state(job, now), ticket=number, linked=linked,
                         destination=destination, channel=channel,
                         attempts=job.attempts, error=short_error(job.last_error),
                         next_try=job.next_attempt_at if job.status == JOB_PENDING else None,
                         created_at=job.created_at)

    async def _recipient(self, turn: Turn, to: str, reporter: bool) -> str:
        """Who a delivery goes to, without their number: the reporter, or staff as colleagues read them."""
        who = await turn.store.get_identity(to)
        if who is not None and who.role != ROLE_RESIDENT:
            return mask_personal(staff_label(turn, who))
        role = "desk_outbox_to_reporter" if reporter else "desk_outbox_to_resident"
        return f"{turn.t(role)} ({masked_address(to.partition(':')[2])})"

    def _age(self, moment: datetime | None, now: datetime, lang: str) -> str:
        if moment is None:
            return "-"
        minutes = max(0, int((now - moment).total_seconds() // 60))
        texts = self.desk.services.texts
        if minutes < 60:
            return texts.get("desk_outbox_age_minutes", lang, n=minutes)
        if minutes < 48 * 60:
            return texts.get("desk_outbox_age_hours", lang, n=minutes // 60)
        return texts.get("desk_outbox_age_days", lang, n=minutes // (24 * 60))

    async def retry_now(self, request: web.Request) -> web.StreamResponse:
        identity = await operator_only(self.desk, request, "retry outbox jobs")
        lang = self.desk._lang(request)
        texts = self.desk.services.texts
        form = await read_form(request)
        token, job_id = form.get("csrf"), form.get("job")
        if not isinstance(token, str) or token != self.desk._csrf(identity):
            return await self.page(request, texts.get("desk_bad_request", lang), 400)
        if not isinstance(job_id, str) or not JOB_ID.fullmatch(job_id.strip()):
            return await self.page(request, texts.get("desk_outbox_bad_job", lang), 400)
        job_id = job_id.strip()
        store, now = self.desk.services.store, self.desk.services.clock()
        job = await store.get_job(job_id)
        if job is None:
            return await self.page(request, texts.get("desk_outbox_unknown_job", lang, id=job_id), 404)
        if job.status == JOB_DONE:
            return await self.page(request, texts.get("desk_outbox_already_sent", lang, id=job_id), 409)
        if job_state(job, now) == "sending" or not await store.retry_job(job_id, now):
            # a worker holds it this moment (taking its lease away could send it twice), or it went out meanwhile
            return await self.page(request, texts.get("desk_outbox_busy", lang, id=job_id), 409)
        logger.info("desk: %s made outbox job %s (%s) due now", identity.key, job_id, job.kind)
        self.desk.services.wake_outbox()
        raise back_to_page(PATH, lang, texts.get("desk_outbox_retried", lang, id=job_id),
                           self.desk.services.settings.public_url)

