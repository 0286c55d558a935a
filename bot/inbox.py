"""One inbox for every channel that receives webhooks or polls (Telegram, WhatsApp, the SMS gateway).

The path of one delivery, the same for every channel:

1. accept: the raw delivery is stored (`Store.inbox_add`, deduplicated by channel + platform id)
   before the platform gets its 200, so an acknowledged message survives any crash after it;
2. claim: the accepting worker stores the item already leased to itself (one attempt), and keeps
   renewing the lease while it works; items whose lease ran out (a dead worker's) or whose retry is
   due are claimed by any worker's poll (`Store.inbox_claim`, one attempt each). So several workers
   (processes) share the inbox and a dead worker's items are taken over once its lease runs out;
3. handle: the channel turns the item into a `Message` and the dialogue applies it. The dialogue's
   one commit holds the effects (tickets, cards to officers and the regent as outbox jobs) *and* the
   record that this channel message id was handled, with the replies it produced. A second run of
   the same item (a crash before step 4, a platform retry, two workers) finds that record, changes
   nothing and returns the same replies, so after a crash only the replies are sent again;
4. record: the replies are sent (what cannot go now becomes an outbox job) and the item is marked
   done.

Poison policy: an item whose handling raises is released and tried again later with backoff; after
`MAX_ATTEMPTS` claims (a worker killed by the item counts too) it is marked done with its error and
logged, so it can never block a channel or come back at every restart. An item the channel cannot read
at all (`MalformedDelivery`: its shape is wrong, bot/channels/shape.py) is set aside at once with one
warning line: trying again would fail the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
import weakref
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, ClassVar

from bot.message import utcnow
from bot.store.base import InboxItem, Store

logger = logging.getLogger(__name__)

Process = Callable[[InboxItem], Awaitable[None]]
OrderKey = Callable[[InboxItem], str]


class MalformedDelivery(ValueError):
    """A stored delivery the channel cannot read; the message says what is wrong, without its content."""


def worker_name(kind: str) -> str:
    """A name unique to this process and object, used as lease owner."""
    return f"{socket.gethostname()}:{os.getpid()}:{kind}:{uuid.uuid4().hex[:8]}"


class Inbox:
    """The inbox of one channel in one process: accept, claim with a lease, handle in order, record."""

    LEASE_SECONDS: ClassVar[float] = 30.0  # renewed every third of it while an item is in hand
    POLL_SECONDS: ClassVar[float] = 1.0  # look for items freed by a dead worker or due for a retry
    BATCH: ClassVar[int] = 100
    MAX_ATTEMPTS: ClassVar[int] = 5
    RETRY_BASE: ClassVar[float] = 2.0
    RETRY_CAP: ClassVar[float] = 300.0
    STOP_GRACE: ClassVar[float] = 10.0  # seconds stop() waits for items in hand

    def __init__(self, store: Store, channel: str, process: Process, order_key: OrderKey,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.channel = channel
        self.process = process
        self.order_key = order_key
        self.clock = clock
        self.owner = worker_name(f"inbox-{channel}")
        self._tasks: set[asyncio.Task[None]] = set()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._poller: asyncio.Task[None] | None = None
        self.stats: dict[str, int] = {"handled": 0, "retried": 0, "poison": 0, "malformed": 0, "taken_over": 0}

    # --- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        """Pick up what is waiting (left by a restart or a dead worker) now, then keep looking."""
        if self._poller is None:
            self._poller = asyncio.create_task(self._poll(), name=f"inbox:{self.channel}")

    async def stop(self) -> None:
        """Stop looking for items; let items in hand finish briefly, then cancel (their lease expires)."""
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=self.STOP_GRACE)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until no item is in hand in this process (tests and tools)."""
        while self._tasks:
            await asyncio.gather(*set(self._tasks), return_exceptions=True)

    # --- accept ---------------------------------------------------------------------------------
    async def accept(self, message_id: str, payload: dict[str, Any], received_at: datetime | None = None) -> bool:
        """Store a delivery durably, then start handling it; False when this id was stored before.

        Returns only after the store has it: the caller acknowledges the platform after this.
        """
        now = self.clock()
        item = InboxItem(channel=self.channel, message_id=message_id, payload=payload, received_at=received_at or now,
                         attempts=1, lease_owner=self.owner, lease_until=now + timedelta(seconds=self.LEASE_SECONDS))
        if not await self.store.inbox_add(item):  # stored already leased to us: one round trip
            logger.info("%s: delivery %s seen before; not handled again", self.channel, message_id)
            return False
        self._spawn(item)
        return True

    # --- claim and handle -----------------------------------------------------------------------
    async def run_once(self) -> int:
        """Claim the items whose lease is free (new, expired or due for a retry) and start each."""
        items = await self.store.inbox_claim(self.owner, self.clock(), self.LEASE_SECONDS, self.BATCH,
                                             channel=self.channel)
        for item in items:
            if item.attempts > 1:
                self.stats["taken_over"] += 1
            self._spawn(item)
        return len(items)

    async def _poll(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the store may be briefly unavailable: nothing is lost, try again
                logger.exception("%s inbox: claiming items failed; trying again", self.channel)
            await asyncio.sleep(self.POLL_SECONDS)

    def _spawn(self, item: InboxItem) -> None:
        task = asyncio.create_task(self._run(item))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _lock(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock

    async def _run(self, item: InboxItem) -> None:
        """Items of one chat are handled one at a time in arrival order (asyncio.Lock is FIFO); the lease
        is renewed from the claim on, also while the item waits for its turn."""
        heartbeat = asyncio.create_task(self._heartbeat(item))
        try:
            async with self._lock(self.order_key(item)):
                await self._handle(item)
        except asyncio.CancelledError:
            raise  # left leased: another worker (or this one after a restart) takes it over
        except Exception:  # the store failed while recording: the lease runs out and it is retried
            logger.exception("%s: delivery %s could not be recorded", self.channel, item.message_id)
        finally:
            heartbeat.cancel()

    async def _heartbeat(self, item: InboxItem) -> None:
        interval = self.LEASE_SECONDS / 3
        while True:
            await asyncio.sleep(interval)
            until = self.clock() + timedelta(seconds=self.LEASE_SECONDS)
            try:
                kept = await self.store.inbox_renew(self.channel, item.message_id, self.owner, until)
            except Exception:
                logger.warning("%s: could not renew the lease on %s", self.channel, item.message_id, exc_info=True)
                continue
            if not kept:
                logger.warning("%s: lease on %s was lost; another worker may take it over (its effects are "
                               "applied once either way)", self.channel, item.message_id)
                return

    async def _handle(self, item: InboxItem) -> None:
        if item.attempts > self.MAX_ATTEMPTS:  # claimed again and again: it kills whoever handles it
            await self._poison(item, f"gave up after {item.attempts - 1} attempts: {item.last_error or 'no error'}")
            return
        try:
            await self.process(item)
        except asyncio.CancelledError:
            raise
        except MalformedDelivery as exc:
            self.stats["malformed"] += 1
            logger.warning("%s: delivery %s set aside, it cannot be read: %s", self.channel, item.message_id, exc)
            await self.store.inbox_done(self.channel, item.message_id, error=f"malformed: {exc}")
            return
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            logger.exception("%s: delivery %s failed (attempt %d)", self.channel, item.message_id, item.attempts)
            if item.attempts >= self.MAX_ATTEMPTS:
                await self._poison(item, f"gave up after {item.attempts} attempts: {error}")
                return
            delay = min(self.RETRY_CAP, self.RETRY_BASE * 2 ** (item.attempts - 1))
            await self.store.inbox_release(self.channel, item.message_id, self.owner, error,
                                           self.clock() + timedelta(seconds=delay))
            self.stats["retried"] += 1
            return
        await self.store.inbox_done(self.channel, item.message_id)
        self.stats["handled"] += 1

    async def _poison(self, item: InboxItem, reason: str) -> None:
        self.stats["poison"] += 1
        logger.error("%s: delivery %s is poison and is set aside: %s", self.channel, item.message_id, reason)
        await self.store.inbox_done(self.channel, item.message_id, error=f"poison: {reason}")
