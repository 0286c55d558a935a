"""Replies held for someone a channel may not write to yet: WhatsApp outside its 24-hour window.

WhatsApp lets us write freely only within 24 hours of a person's last message. Outside it the channel keeps
the replies (`wa_pending:<number>`, compare-and-set) and delivers them, first, when the person writes again. The
held replies of everyone are listed in one more value (`wa_held`: number -> since when), so the operator's outbox
page (bot/desk/outbox.py) and /healthz can show them: a store has no listing of values by prefix. That list is
kept in step with the replies themselves: an entry is written after the replies (so what is held is always
listed), removed only once the replies are gone, and put back when more were held meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.message import Reply
from bot.store.base import Store, update_value

PENDING_KEY = "wa_pending:{}"
INDEX_KEY = "wa_held"
#: Why a held reply waits, as the outbox page says it (content/texts/tenth_channels.yml).
REASON = "held_reason_whatsapp_window"


@dataclass(frozen=True, slots=True)
class Held:
    """What waits for one person: how many replies, since when."""

    recipient: str  # the WhatsApp number
    count: int
    since: datetime | None


class HeldReplies:
    """The replies held for WhatsApp numbers, in the store's named values."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def replies(self, recipient: str) -> list[Reply]:
        return [Reply.from_dict(r) for r in await self.store.get_value(PENDING_KEY.format(recipient)) or []]

    async def add(self, recipient: str, replies: Sequence[Reply], drop: int = 0, key: str | None = None) -> bool:
        """Hold `replies` after what is held; True when nothing was held before (a new wait begins).

        `drop` removes that many from the front first (the caller has just tried to send them and passes what
        is left). `key` (an outbox job's) holds a job's replies once, however often the job is retried.
        """
        began = False

        def hold(current: Any | None) -> list[dict[str, Any]]:
            nonlocal began
            current = list(current or [])
            began = not current
            if key is not None and any(entry.get("key") == key for entry in current):
                return current  # this job's replies are held already (a retry after a crash)
            entries = [{**r.to_dict(), **({"key": key} if key else {})} for r in replies]
            return current[drop:] + entries

        await update_value(self.store, PENDING_KEY.format(recipient), hold)
        await self._list(recipient, fresh=began)
        return began

    async def delivered(self, recipient: str, count: int) -> None:
        """The first `count` held replies were sent: drop exactly those, keeping what was held meanwhile."""
        left = await update_value(self.store, PENDING_KEY.format(recipient), lambda current: (current or [])[count:])
        if left:
            return
        await update_value(self.store, INDEX_KEY, lambda index: {k: v for k, v in (index or {}).items()
                                                                 if k != recipient})
        if await self.store.get_value(PENDING_KEY.format(recipient)):  # held by another worker meanwhile
            await self._list(recipient, fresh=False)

    async def all(self) -> list[Held]:
        """Everyone something waits for, longest waiting first."""
        index: dict[str, Any] = await self.store.get_value(INDEX_KEY) or {}
        held: list[Held] = []
        for recipient, entry in index.items():
            count = len(await self.store.get_value(PENDING_KEY.format(recipient)) or [])
            if count:  # an entry whose replies just went out is not shown
                since = entry.get("since") if isinstance(entry, dict) else None
                held.append(Held(recipient, count, datetime.fromisoformat(since) if since else None))
        return sorted(held, key=lambda h: (h.since is None, h.since or self.clock(), h.recipient))

    async def _list(self, recipient: str, fresh: bool) -> None:
        """List `recipient` (since now when a wait begins; an entry already there keeps its time otherwise)."""
        now = self.clock().isoformat()

        def listed(index: Any | None) -> dict[str, Any]:
            index = dict(index or {})
            if fresh or recipient not in index:
                index[recipient] = {"since": now}
            return index

        await update_value(self.store, INDEX_KEY, listed)
