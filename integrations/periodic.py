"""A step run every N seconds in a background task (LAPOR! sync, deadline reminders and digest)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


class Periodic:
    """Runs `await step()` every `interval` seconds until stopped; a failing step is logged and tried again
    at the next interval (nothing is lost: every step works from what the store holds)."""

    def __init__(self, name: str, interval: float, step: Callable[[], Awaitable[object]],
                 first_wait: Callable[[], Awaitable[float]] | None = None) -> None:
        self.name = name
        self.interval = interval
        self.step = step
        self.first_wait = first_wait
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

    async def _run(self) -> None:
        wait = await self.first_wait() if self.first_wait else self.interval
        while True:
            await asyncio.sleep(wait)
            wait = self.interval
            try:
                await self.step()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("%s: pass failed; trying again in %.0fs", self.name, self.interval)
