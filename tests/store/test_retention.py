"""Finished records do not pile up for ever: delivered inbox items, sent outbox jobs and web chat mailbox
replies leave the store FINISHED_RETENTION (30 days) after they finished; pending items and dead letters
stay until someone deals with them. SQLite removes them in small periodic passes, MongoDB by TTL indexes."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from bot.store.base import FINISHED_RETENTION, JOB_DEAD, JOB_DONE, JOB_PENDING, InboxItem, OutboxJob
from bot.store.codec import dt_to_text
from bot.store.mongo import MongoStore
from bot.store.sqlite import PURGE_STATEMENTS, SqliteStore
from tests.fakes.async_mongomock import AsyncMongoMockClient

NOW = datetime.now(UTC).replace(microsecond=0)
OLD = NOW - FINISHED_RETENTION - timedelta(days=1)
RECENT = NOW - FINISHED_RETENTION + timedelta(days=1)


async def seed(store, *, sqlite: bool) -> None:
    """Per kind: finished long ago, finished recently, and still pending (or dead) long ago."""
    for n in range(3):
        await store.inbox_add(InboxItem("telegram", f"old-{n}", {"n": n}, OLD))
        await store.inbox_done("telegram", f"old-{n}")
    for name in ("recent", "pending"):
        await store.inbox_add(InboxItem("telegram", name, {}, OLD))
    await store.inbox_done("telegram", "recent")
    jobs = [OutboxJob(key=f"job-{name}", kind="deliver", payload={}, created_at=OLD, next_attempt_at=OLD)
            for name in ("old-0", "old-1", "old-2", "recent", "pending", "dead")]
    await store.enqueue(jobs)
    for job in await store.claim_jobs("w", OLD, 60, 10):
        name = job.key.removeprefix("job-")
        if name.startswith("old"):
            assert await store.complete_job(job.id, "w", OLD)
        elif name == "recent":
            assert await store.complete_job(job.id, "w", RECENT)
        elif name == "dead":
            assert await store.fail_job(job.id, "w", OLD, "refused", None)
        else:
            assert await store.release_job(job.id, "w", NOW + timedelta(days=1))
    for n in range(3):
        await store.mailbox_add("webchat:w1", {"text": f"lama {n}"}, OLD)
    await store.mailbox_add("webchat:w1", {"text": "baru"}, RECENT)
    # When the inbox item was handled is the store's own clock: age it as thirty-one days passing would.
    if sqlite:
        await store._run(lambda db: db.execute("UPDATE inbox SET done_at = ? WHERE message_id LIKE 'old-%'",
                                               (dt_to_text(OLD),)))
    else:
        await store.db["inbox"].update_many({"message_id": {"$regex": "^old-"}}, {"$set": {"done_at": OLD}})


async def kept(store) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    if isinstance(store, SqliteStore):
        rows = await store._all("SELECT message_id FROM inbox ORDER BY message_id")
        inbox = [r[0] for r in rows]
    else:
        inbox = sorted([d["message_id"] for d in await store.db["inbox"].find({}).to_list()])
    jobs = sorted((j.key, j.status) for j in await store.list_jobs(limit=100))
    mail = [r["text"] for _, r in await store.mailbox_after("webchat:w1", 0)]
    return inbox, jobs, mail


EXPECTED = (["pending", "recent"],
            [("job-dead", JOB_DEAD), ("job-pending", JOB_PENDING), ("job-recent", JOB_DONE)],
            ["baru"])


async def test_sqlite_removes_finished_records_in_bounded_passes(sqlite_store):
    store = sqlite_store
    await seed(store, sqlite=True)
    assert await store.purge_finished(NOW, limit=2) == 6  # two of each kind per pass, oldest first
    inbox, jobs, mail = await kept(store)
    assert len(inbox) == 3 and len(jobs) == 4 and len(mail) == 2
    assert await store.purge_finished(NOW, limit=2) == 3
    assert await kept(store) == EXPECTED
    assert await store.purge_finished(NOW) == 0
    counts = await store.outbox_counts()
    assert (counts[JOB_PENDING], counts[JOB_DEAD]) == (1, 1)
    assert await store.inbox_add(InboxItem("telegram", "pending", {}, NOW)) is False  # still deduplicated


async def test_sqlite_passes_read_only_what_they_delete(sqlite_store):
    store = sqlite_store
    for sql in PURGE_STATEMENTS:
        plan = [str(r["detail"]) for r in await store._all("EXPLAIN QUERY PLAN " + sql,
                                                           {"before": "x", "limit": 1})]
        assert not [step for step in plan if step.startswith("SCAN") or "TEMP B-TREE" in step], plan


async def test_sqlite_runs_the_pass_by_itself(sqlite_store):
    store = sqlite_store
    await seed(store, sqlite=True)
    store.purge_interval = 0  # due at the next store call, on the store's own thread
    await store.get_value("anything")
    store.purge_interval = 3600  # that call queued one pass, as background work: it runs once the thread is free
    for _ in range(200):
        if await kept(store) == EXPECTED:
            break
        await asyncio.sleep(0.05)
    assert await kept(store) == EXPECTED


@pytest.mark.parametrize("transactions", [False, True], ids=["standalone", "replica-set"])
async def test_mongodb_expires_them_by_ttl_index(transactions: bool):
    """The stand-in drops expired documents when they are read, as the server's TTL monitor would within a
    minute; that the server's monitor runs needs a real server (MONGODB_URL)."""
    store = MongoStore("mongodb://stand-in", f"warga_{uuid.uuid4().hex[:8]}",
                       client=AsyncMongoMockClient(transactions=transactions))
    await store.open()
    try:
        ttl = {name: {i: v.get("expireAfterSeconds") for i, v in (await store.db[name].index_information()).items()}
               for name in ("inbox", "jobs", "mailbox")}
        seconds = int(FINISHED_RETENTION.total_seconds())
        assert (ttl["inbox"]["done_ttl"], ttl["jobs"]["done_ttl"], ttl["mailbox"]["at_ttl"]) == (seconds,) * 3
        await seed(store, sqlite=False)
        assert await kept(store) == EXPECTED
    finally:
        await store.close()
