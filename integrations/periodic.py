"""A step run every N seconds in a background task (LAPOR! sync, deadline reminders and digest).

With a store, each pass first takes the named lease `periodic:<name>` for most of the period, so
however many workers (processes) run the same Periodic, one pass happens per period: the others find
the lease held and skip. The last passes (when, by whom) are kept under the value `periodic:<name>`
for the operator and the tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.inbox import worker_name
from bot.message import utcnow
from bot.store.base import Store, background_task, update_value

logger = logging.getLogger(__name__)

#: The lease covers this share of the period, so a worker whose timer drifts a little still finds it free
#: at its next pass, while any other worker's pass inside the same period finds it held.
LEASE_SHARE = 0.9
KEPT_PASSES = 20


class Periodic:
    """Runs `await step()` every `interval` seconds until stopped; a failing step is logged and tried again
    at the next interval (nothing is lost: every step works from what the store holds)."""

    def __init__(self, name: str, interval: float, step: Callable[[], Awaitable[object]],
                 first_wait: Callable[[], Awaitable[float]] | None = None, *, store: Store | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.name = name
        self.interval = interval
        self.step = step
        self.first_wait = first_wait
        self.store = store
        self.clock = clock
        self.owner = worker_name(f"periodic-{name.replace(' ', '-')}")
        self.passes = 0
        self.skipped = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run_pass(self) -> bool:
        """One pass if this worker holds the period's lease; False when another worker has it."""
        if self.store is not None:
            now = self.clock()
            if not await self.store.acquire_lease(f"periodic:{self.name}", self.owner, now,
                                                  self.interval * LEASE_SHARE):
                self.skipped += 1
                return False
            await update_value(self.store, f"periodic:{self.name}", self._note(now))
        self.passes += 1
        await self.step()
        return True

    def _note(self, now: datetime) -> Callable[[Any], dict[str, Any]]:
        def note(current: Any) -> dict[str, Any]:
            passes = list((current or {}).get("passes") or [])
            passes.append({"at": now.isoformat(), "by": self.owner})
            return {"passes": passes[-KEPT_PASSES:]}

        return note

    async def _run(self) -> None:
        background_task()  # residents' store calls go before this task's (and its helpers')
        wait = await self.first_wait() if self.first_wait else self.interval
        while True:
            await asyncio.sleep(wait)
            wait = self.interval
            try:
                await self.run_pass()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("%s: pass failed; trying again in %.0fs", self.name, self.interval)
