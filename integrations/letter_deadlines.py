"""Letter requests past their deadline (working days) remind the village head or camat who must decide, once.

`LetterDeadlineWorker.run_once(now)` does one pass (the worker runs it every `interval` seconds with the
service clock; tests call it with any moment). Each reminder is a `deliver` job under a key made of the
request and its deadline, committed with the request's `reminded_at`, so a repeated pass or a second
service instance sends nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime

from actions.base import Services
from actions.letters import KIND, WAIT_CAMAT, WAIT_HEAD, decider_place, reminder_card
from bot.store.base import TicketQuery
from integrations.periodic import Periodic
from integrations.sla import PASS_LIMIT, commit_turn, deliver_once, system_turn

logger = logging.getLogger(__name__)


class LetterDeadlineWorker:
    """Reminds the deciders of overdue letter requests."""

    def __init__(self, services: Services, interval: float = 300.0) -> None:
        self.services = services
        self._periodic = Periodic("letters", interval, lambda: self.run_once(self.services.clock()),
                                  store=services.store, clock=services.clock)

    async def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()

    async def run_once(self, now: datetime | None = None) -> int:
        now = now or self.services.clock()
        store = self.services.store
        sent = 0
        # One query per status: each is an index range in deadline order (a query on both statuses would
        # sort every overdue request of both in a temporary table). Only requests not reminded yet: those
        # reminded before and still undecided would otherwise fill the page and starve newer ones.
        waiting = [ticket for status in (WAIT_HEAD, WAIT_CAMAT) for ticket in await store.list_tickets(
            TicketQuery(kind=KIND, statuses=(status,), due_before=now, unreminded=True, limit=PASS_LIMIT))]
        for candidate in waiting:
            ticket = await store.get_ticket(candidate.number)
            if (ticket is None or ticket.due_at is None or ticket.due_at > now
                    or ticket.status not in (WAIT_HEAD, WAIT_CAMAT) or ticket.reminded_at is not None):
                continue
            turn = system_turn(self.services, now, "system:letters")
            role, place = decider_place(turn.services, ticket)
            recipients = [i.key for i in await store.list_identities(role, place)]
            for to in recipients:
                deliver_once(turn, to, await reminder_card(turn, ticket, to),
                             f"letter_overdue:{ticket.number}:{ticket.due_at.isoformat()}")
            ticket.reminded_at = ticket.updated_at = now
            turn.changes.tickets.append(ticket)
            turn.event(ticket, "reminder", None, due_at=ticket.due_at.isoformat(), recipients=len(recipients))
            sent += await commit_turn(turn)
        if sent:
            logger.info("letters: %d overdue request(s) reminded", sent)
        return sent
