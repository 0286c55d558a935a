"""The durable outbox: every push to an outside system or another person's chat is a job in the store.

Jobs are written in the same `Store.commit` as the change that caused them, each with an idempotency
key. `OutboxWorker` claims due jobs with a lease (so several workers, in one process or many, never
send one job twice while its lease holds), hands each to the sender registered for its kind, and
records the outcome: done; a retry with exponential backoff, jitter and a cap, honouring Retry-After;
or a dead letter after a permanent failure or too many attempts. The operator lists and retries
dead letters with `python -m bot outbox` and sees the health summary on `/healthz` and in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

from bot.channels.base import Channel
from bot.errors import NotYetError, PermanentError, RetryableError
from bot.message import Reply
from bot.store.base import (
    JOB_DEAD,
    JOB_PENDING,
    MUTED_VALUE_KEY,
    ROLE_RESIDENT,
    Changes,
    OutboxJob,
    Store,
    TicketEvent,
    background_task,
)

logger = logging.getLogger(__name__)

Sender = Callable[[OutboxJob], Awaitable[None]]


class _Startable(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


class DeliverySender:
    """Sends `deliver` jobs: {"to": "<channel>:<sender id>", "replies": [Reply dicts]}."""

    def __init__(self, channels: Mapping[str, Channel]) -> None:
        self.channels = channels

    async def __call__(self, job: OutboxJob) -> None:
        to = str(job.payload.get("to", ""))
        channel_name, _, recipient = to.partition(":")
        channel = self.channels.get(channel_name)
        if channel is None or not recipient:
            raise PermanentError(f"no channel {channel_name!r} is switched on for {to!r}")
        replies = [Reply.from_dict(r) for r in job.payload.get("replies", [])]
        await channel.deliver(recipient, replies, job.key)


def backoff_delay(attempts: int, base: float, cap: float, retry_after: float | None = None,
                  rng: random.Random | None = None) -> float:
    """Seconds before the next try: base·2^(attempts-1) with ±50% jitter, capped; never before Retry-After."""
    exponential = min(cap, base * (2 ** max(0, attempts - 1)))
    delay = exponential * (0.5 + (rng.random() if rng is not None else random.random()))
    delay = min(delay, cap)
    if retry_after is not None:
        delay = max(delay, float(retry_after))
    return delay


class OutboxWorker:
    """Claims due jobs and sends them; run one or several per process."""

    #: How long a claimed job is ours; a worker that dies holds its jobs this long before another
    #: worker takes them over (the crash tests lower it).
    LEASE_SECONDS: ClassVar[float] = 120.0

    def __init__(
        self,
        store: Store,
        senders: Mapping[str, Sender],
        *,
        owner: str,
        clock: Callable[[], datetime],
        poll_interval: float = 0.2,
        max_attempts: int = 12,
        backoff_base: float = 2.0,
        backoff_cap: float = 900.0,
        lease_seconds: float | None = None,
        batch: int = 50,
        concurrency: int = 16,
        health_log_interval: float = 300.0,
    ) -> None:
        self.store = store
        self.senders = dict(senders)
        self.owner = owner
        self.clock = clock
        self.poll_interval = poll_interval
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.lease_seconds = self.LEASE_SECONDS if lease_seconds is None else lease_seconds
        self.batch = batch
        self.concurrency = concurrency
        self.health_log_interval = health_log_interval
        self.stats: dict[str, int] = defaultdict(int)
        self.last_error: str | None = None
        #: Outside systems whose latest job failed (system -> error), until one of their jobs goes through again:
        #: /healthz is degraded while any is failing, and recovers with them.
        self.failing: dict[str, str] = {}
        self.max_in_hand = batch * 4
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_hand = 0
        self._lanes: defaultdict[str, deque[OutboxJob]] = defaultdict(deque)
        self._lane_tasks: dict[str, asyncio.Task[None]] = {}
        self._pools: dict[str, asyncio.Semaphore] = {}
        self._paused: dict[str, float] = {}  # destination -> loop time until which it asked us to wait
        self._stopping = False

    # --- lifecycle ---------------------------------------------------------------------------------
    def wake(self) -> None:
        """Look for due jobs now instead of at the next poll (called after a commit that added jobs)."""
        self._wake.set()

    async def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=f"outbox:{self.owner}")

    async def stop(self) -> None:
        """Stop claiming and cancel the lanes: a job in hand stays leased and is sent after its lease."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        lanes = list(self._lane_tasks.values())
        for lane in lanes:
            lane.cancel()
        if lanes:
            await asyncio.gather(*lanes, return_exceptions=True)

    async def health(self) -> dict[str, Any]:
        counts = await self.store.outbox_counts()
        return {**counts, "sent": self.stats["sent"], "retried": self.stats["retried"],
                "dead_lettered": self.stats["dead"], "failing": len(self.failing),
                "last_error": "; ".join(sorted(self.failing.values())) or None}

    async def _run(self) -> None:
        # residents' store calls go before the claims and the lanes' (started from here); not patient: its
        # jobs are residents' replies, and its Python between store calls is a send's, small
        background_task(patient=False)
        loop = asyncio.get_running_loop()
        next_health_log = loop.time() + self.health_log_interval
        while not self._stopping:
            try:
                claimed = await self._claim_and_dispatch()
            except asyncio.CancelledError:
                raise
            except Exception:  # the store may be briefly unavailable; keep the worker alive
                logger.exception("outbox: claiming jobs failed; trying again")
                claimed = 0
            if loop.time() >= next_health_log:
                next_health_log = loop.time() + self.health_log_interval
                await self._log_health()
            if claimed >= self.batch:
                continue  # more may be waiting
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)

    async def _log_health(self) -> None:
        health = await self.health()
        if health.get(JOB_PENDING) or health.get(JOB_DEAD):
            logger.info("outbox: %s pending, %s dead, %s sent, %s retried (last error: %s)",
                        health.get(JOB_PENDING), health.get(JOB_DEAD), health["sent"], health["retried"],
                        health["last_error"] or "none")

    # --- work: one lane per destination, one pool of senders per outside system ----------------------
    @staticmethod
    def destination(job: OutboxJob) -> str:
        """Who receives the job: a chat (`telegram:123`) for deliveries, else the outside system (its kind)."""
        return str(job.payload.get("to") or job.kind)

    @staticmethod
    def system(job: OutboxJob) -> str:
        """The outside system a job talks to (a channel, or LAPOR! for `lapor_*`): each has its own pool."""
        if job.kind == "deliver":
            return str(job.payload.get("to") or "").partition(":")[0] or "deliver"
        return job.kind.partition("_")[0]

    async def run_once(self) -> int:
        """Claim one batch of due jobs and process it; returns how many were claimed (tests and tools)."""
        claimed = await self._claim_and_dispatch()
        await self._drain_lanes()
        return claimed

    async def _claim_and_dispatch(self) -> int:
        """Claim what there is room for and hand each job to its destination's lane; does not wait for them.

        Lanes run on their own, so a destination that is slow, rate-limited or down (a chat in
        Telegram's flood control, LAPOR! timing out) holds only its own lane and its system's pool,
        never the others, and the next claim does not wait for it.
        """
        room = self.max_in_hand - self._in_hand
        if room <= 0:
            return 0
        jobs = await self.store.claim_jobs(self.owner, self.clock(), self.lease_seconds, min(self.batch, room))
        loop = asyncio.get_running_loop()
        for job in jobs:
            destination = self.destination(job)
            paused = self._paused.get(destination)
            if paused is not None and paused > loop.time():
                await self._defer(job, paused - loop.time())
                continue
            self._in_hand += 1
            self._lanes[destination].append(job)
            if destination not in self._lane_tasks:
                self._lane_tasks[destination] = asyncio.create_task(self._lane(destination))
        return len(jobs)

    async def _drain_lanes(self) -> None:
        while self._lane_tasks:
            await asyncio.gather(*list(self._lane_tasks.values()), return_exceptions=True)

    async def _lane(self, destination: str) -> None:
        """Jobs for one destination go in order, one at a time."""
        queue = self._lanes[destination]
        margin = timedelta(seconds=min(30.0, self.lease_seconds / 4))
        loop = asyncio.get_running_loop()
        try:
            while queue:
                job = queue.popleft()
                try:
                    # A long lane may outlive the lease; another worker can then claim the job, so
                    # sending it here too could send it twice. Leave it for the next claim.
                    if job.lease_until is not None and self.clock() >= job.lease_until - margin:
                        self.stats["lease_expired"] += 1
                        continue
                    paused = self._paused.get(destination)
                    if paused is not None and paused > loop.time():  # this destination said "wait"
                        await self._defer(job, paused - loop.time())
                        continue
                    async with self._pool(self.system(job)):
                        await self._process(job)
                finally:
                    self._in_hand -= 1
        finally:
            self._lane_tasks.pop(destination, None)
            if not queue:
                self._lanes.pop(destination, None)

    def _pool(self, system: str) -> asyncio.Semaphore:
        pool = self._pools.get(system)
        if pool is None:
            pool = self._pools[system] = asyncio.Semaphore(self.concurrency)
        return pool

    async def _defer(self, job: OutboxJob, seconds: float) -> None:
        """Give a claimed job back, due when its destination allows again; no attempt is counted."""
        self.stats["deferred"] += 1
        await self.store.release_job(str(job.id), self.owner, self.clock() + timedelta(seconds=seconds))

    async def _process(self, job: OutboxJob) -> None:
        sender = self.senders.get(job.kind)
        now = self.clock
        try:
            if sender is None:
                raise PermanentError(f"no sender for job kind {job.kind!r}")
            if await self._muted(job):  # the resident said "STOP": kept in their tickets' history, not sent
                await self._note_undelivered(job, muted=True)
                self.stats["muted"] += 1
            else:
                await sender(job)
        except asyncio.CancelledError:
            raise
        except PermanentError as exc:
            await self._dead(job, f"permanent: {exc}")
        except NotYetError as exc:  # waits for another job (a complaint not at LAPOR! yet): no attempt counted
            logger.debug("outbox: job %s (%s) waits: %s", job.id, job.kind, exc)
            await self._defer(job, max(self.backoff_base, min(30.0, self.backoff_cap / 30)))
        except RetryableError as exc:
            await self._retry(job, str(exc) or type(exc).__name__, exc.retry_after)
        except Exception as exc:  # an unexpected failure is retried; the reason is kept on the job
            logger.exception("outbox: job %s (%s) failed unexpectedly", job.id, job.kind)
            await self._retry(job, f"{type(exc).__name__}: {exc}", None)
        else:
            self.failing.pop(self.system(job), None)
            if await self.store.complete_job(str(job.id), self.owner, now()):
                self.stats["sent"] += 1
            else:
                logger.warning("outbox: lease on job %s was lost before completion", job.id)

    async def _retry(self, job: OutboxJob, reason: str, retry_after: float | None) -> None:
        attempts = job.attempts + 1
        if retry_after:  # the destination asked us to wait: its other jobs wait too, nobody else does
            self._paused[self.destination(job)] = asyncio.get_running_loop().time() + retry_after
        self.last_error = self.failing[self.system(job)] = f"{job.kind}: {reason}"[:300]
        if attempts >= self.max_attempts:
            await self._dead(job, f"gave up after {attempts} attempts: {reason}")
            return
        delay = backoff_delay(attempts, self.backoff_base, self.backoff_cap, retry_after)
        now = self.clock()
        await self.store.fail_job(str(job.id), self.owner, now, reason, now + timedelta(seconds=delay))
        self.stats["retried"] += 1
        logger.info("outbox: job %s (%s) attempt %d failed (%s); next try in %.1fs",
                    job.id, job.kind, attempts, reason, delay)

    async def _dead(self, job: OutboxJob, reason: str) -> None:
        self.last_error = self.failing[self.system(job)] = f"{job.kind}: {reason}"[:300]
        await self.store.fail_job(str(job.id), self.owner, self.clock(), reason, None)
        self.stats["dead"] += 1
        logger.warning("outbox: job %s (%s) is a dead letter: %s", job.id, job.kind, reason)
        if job.kind == "deliver":
            await self._note_undelivered(job)

    async def _muted(self, job: OutboxJob) -> bool:
        """A delivery to a resident who asked for no more pushed messages (actions/mute.py). A document they asked
        for (a signed letter) still goes: it is what they asked for, not news."""
        replies = job.payload.get("replies", [])
        if job.kind != "deliver" or any(isinstance(r, dict) and r.get("document") for r in replies):
            return False
        to = str(job.payload.get("to", ""))
        value = await self.store.get_value(MUTED_VALUE_KEY.format(to))
        if not (isinstance(value, dict) and value.get("on")):
            return False
        identity = await self.store.get_identity(to)
        return identity is not None and identity.role == ROLE_RESIDENT

    async def _note_undelivered(self, job: OutboxJob, muted: bool = False) -> None:
        """A message about a ticket that could not be delivered (the resident blocked the bot, the number is gone,
        the channel was switched off) goes into that ticket's history, so its officers see on the desk that the
        reporter did not get it and can reach them another way. Only the channel is named: the failure's own
        words may quote an API address with its token."""
        to = str(job.payload.get("to", ""))
        replies = [r for r in job.payload.get("replies", []) if isinstance(r, dict)]
        numbers = list(dict.fromkeys(str(r["ticket"]) for r in replies if r.get("ticket")))
        if not numbers:
            return
        text = next((str(r.get("text") or "") for r in replies if r.get("text")), "")[:500] or None
        events = []
        for number in numbers:
            ticket = await self.store.get_ticket(number)
            if ticket is None:
                continue
            data = {"channel": to.partition(":")[0], "to_reporter": to == ticket.reporter, "job": job.key}
            events.append(TicketEvent(ticket=number, kind="not_sent_muted", at=self.clock(), text=text, data=data)
                          if muted else  # (the resident said "STOP": kept here instead of sent)
                          TicketEvent(ticket=number, kind="undelivered", at=self.clock(), text=text, data=data))
        if events:
            try:
                await self.store.commit(Changes(events=events))
            except Exception:  # the dead letter stays listed for the operator either way
                logger.exception("outbox: could not note undelivered job %s in its ticket's history", job.id)
