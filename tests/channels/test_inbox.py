"""The one inbox every polling or webhook channel uses (bot/inbox.py): order per chat, takeover of a
dead worker's items, and the poison policy. Over a real SQLite store; the channels' own tests and
tests/crash/ drive it through real HTTP."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.inbox import Inbox
from bot.message import utcnow
from bot.store.base import InboxItem
from bot.store.sqlite import SqliteStore
from tests.harness import wait_for


@pytest.fixture
async def store(tmp_path: Path) -> Any:
    s = SqliteStore(tmp_path / "inbox.sqlite3")
    await s.open()
    yield s
    await s.close()


class FastInbox(Inbox):
    LEASE_SECONDS = 1.0
    POLL_SECONDS = 0.05
    RETRY_BASE = 0.05
    MAX_ATTEMPTS = 3


async def test_items_of_one_chat_in_order_and_a_duplicate_stored_once(store):
    seen: list[str] = []

    async def process(item: InboxItem) -> None:
        await asyncio.sleep(0.01 if item.payload["n"] % 2 else 0)
        seen.append(f"{item.payload['chat']}:{item.payload['n']}")

    inbox = FastInbox(store, "sms", process, lambda item: item.payload["chat"])
    accepted = [await inbox.accept(f"{chat}-{n}", {"chat": chat, "n": n}) for n in range(5) for chat in "ab"]
    assert all(accepted) and await inbox.accept("a-0", {"chat": "a", "n": 0}) is False
    await inbox.idle()
    assert [s for s in seen if s.startswith("a")] == [f"a:{n}" for n in range(5)]
    assert [s for s in seen if s.startswith("b")] == [f"b:{n}" for n in range(5)]
    assert await store.inbox_pending() == []


async def test_a_dead_workers_items_are_taken_over(store):
    await store.inbox_add(InboxItem("sms", "m1", {"chat": "a"}, utcnow()))
    assert await store.inbox_claim("dead-worker", utcnow(), 0.3, 10)  # claimed, then the worker died
    handled: list[str] = []

    async def process(item: InboxItem) -> None:
        handled.append(item.message_id)

    inbox = FastInbox(store, "sms", process, lambda item: "a")
    await inbox.start()
    try:
        await wait_for(lambda: handled == ["m1"], timeout=5)
        await wait_for(lambda: _pending_empty(store), timeout=5)
    finally:
        await inbox.stop()
    assert inbox.stats["taken_over"] == 1


async def test_poison_is_retried_then_set_aside_with_its_error(store, caplog):
    calls: list[int] = []

    async def process(item: InboxItem) -> None:
        calls.append(item.attempts)
        if item.payload["bad"]:
            raise ValueError("cannot read this")

    inbox = FastInbox(store, "sms", process, lambda item: item.message_id)
    await inbox.start()
    try:
        await inbox.accept("bad", {"bad": True})
        await inbox.accept("good", {"bad": False})
        await wait_for(lambda: _pending_empty(store), timeout=10)
    finally:
        await inbox.stop()
    assert sorted(calls) == [1, 1, 2, 3]  # the good one once; the bad one MAX_ATTEMPTS times
    assert inbox.stats["poison"] == 1 and inbox.stats["retried"] == 2
    assert "poison" in caplog.text and "cannot read this" in caplog.text
    assert await store.inbox_add(InboxItem("sms", "bad", {}, utcnow())) is False  # never handled again
    assert await store.inbox_claim("x", utcnow() + timedelta(days=1), 30, 10) == []


async def _pending_empty(store: SqliteStore) -> bool:
    return await store.inbox_pending() == []
