"""Schedules the weekly OPD report card (actions/report_card.py): checked hourly, sent on Monday from 07:00."""

from __future__ import annotations

from actions.base import Services
from actions.report_card import LAST_SENT_KEY, due, last_week, send_report_card, week_label
from actions.sla import commit_turn, system_turn
from integrations.periodic import Periodic

CHECK_SECONDS = 3600.0


class ReportCardWorker:
    """Sends the report card once per week across all workers (a lease, and per-week delivery keys)."""

    def __init__(self, services: Services, interval: float = CHECK_SECONDS) -> None:
        self.services = services
        self._periodic = Periodic("report_card", interval, self.run_once, store=services.store,
                                  clock=services.clock)

    async def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()

    async def run_once(self) -> int:
        now = self.services.clock()
        if not due(self.services, now, await self.services.store.get_value(LAST_SENT_KEY)):
            return 0
        turn = system_turn(self.services, now, "system:report_card")
        sent = await send_report_card(turn)
        if await commit_turn(turn):
            await self.services.store.set_value(LAST_SENT_KEY, week_label(last_week(self.services, now)))
        return sent
