"""The deadline worker: runs the deadline rules (actions/sla.py: reminders, escalation, the morning digest)
every `check_interval` seconds, once per interval across workers. Only scheduling lives here."""

from __future__ import annotations

import logging

from actions.base import Services
from actions.sla import (  # noqa: F401 - re-exported for the integrations and tools that import them from here
    DIGEST_KEY,
    PAGE,
    PASS_LIMIT,
    DeadlineRules,
    SlaConfig,
    commit_turn,
    deliver_once,
    parse_clock_time,
    reporter_lang,
    system_turn,
)
from integrations.periodic import Periodic

logger = logging.getLogger(__name__)


class SlaWorker(DeadlineRules):
    """The deadline rules on a schedule."""

    def __init__(self, services: Services, config: SlaConfig, digest_time: str = "07:00") -> None:
        super().__init__(services, config, digest_time)
        self._periodic = Periodic("sla", config.check_interval, lambda: self.run_once(self.services.clock()),
                                  store=services.store, clock=services.clock)

    async def start(self) -> None:
        try:  # complaints stored in triage before triage had a deadline get one; a failure never stops the worker
            await self.triage_without_deadline(self.services.clock())
        except Exception:
            logger.warning("sla: could not give complaints in triage their deadline at start-up", exc_info=True)
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()
