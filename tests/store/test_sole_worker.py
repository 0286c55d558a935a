"""One service process on a standalone MongoDB: a second one is refused at start, a dead one is taken over.

A standalone server has no transactions, so a commit is a series of writes checked under a lock that
only one process holds (docs/mongodb.md). These tests run on the in-process stand-in; store objects with
different `process` names stand for different service processes. Against a real server
(`MONGODB_URL`) the same lease is a `leases` document; a replica set needs none.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.store.mongo import SOLE_WORKER_LEASE, MongoStore, SecondWorkerError
from tests.fakes.async_mongomock import AsyncMongoMockClient
from tests.harness import make_settings, running_service, say, texts

LEASE = 0.4  # seconds; the service's default is 20


def standalone() -> tuple[AsyncMongoMockClient, str]:
    return AsyncMongoMockClient(), f"warga_{uuid.uuid4().hex[:8]}"


async def opened(client: AsyncMongoMockClient, db: str, process: str) -> MongoStore:
    store = MongoStore("mongodb://stand-in", db, client=client, process=process, sole_worker_seconds=LEASE)
    await store.open()
    return store


async def test_a_second_process_is_refused_while_the_first_lives():
    client, db = standalone()
    first = await opened(client, db, "host-a:101")
    second = await opened(client, db, "host-b:202")
    try:
        await first.hold_sole_worker()
        with pytest.raises(SecondWorkerError, match=r"host-a:101.*replica set"):
            await second.hold_sole_worker()
        lease = await first.db["leases"].find_one({"_id": SOLE_WORKER_LEASE})
        assert lease["owner"] == "host-a:101"
    finally:
        await second.close()
        await first.close()


async def test_a_clean_stop_frees_the_lease_at_once():
    client, db = standalone()
    first = await opened(client, db, "host-a:101")
    await first.hold_sole_worker()
    await first.close()
    second = await opened(client, db, "host-b:202")
    try:
        await second.hold_sole_worker(wait=0)  # no waiting: the lease was given back
        lease = await second.db["leases"].find_one({"_id": SOLE_WORKER_LEASE})
        assert lease["owner"] == "host-b:202"
    finally:
        await second.close()


async def test_a_killed_workers_lease_runs_out_and_is_taken_over():
    client, db = standalone()
    store = await opened(client, db, "host-b:202")
    try:
        # A worker that died without stopping: its lease is there and nobody renews it.
        assert await store.acquire_lease(SOLE_WORKER_LEASE, "host-a:101", datetime.now(UTC), LEASE)
        await store.hold_sole_worker()
        lease = await store.db["leases"].find_one({"_id": SOLE_WORKER_LEASE})
        assert lease["owner"] == "host-b:202"
        await asyncio.sleep(LEASE * 1.5)  # renewed meanwhile: still ours
        assert await store.acquire_lease(SOLE_WORKER_LEASE, "host-c:303", datetime.now(UTC), LEASE) is False
    finally:
        await store.close()


async def test_store_objects_of_one_process_share_the_lease_and_a_replica_set_needs_none():
    client, db = standalone()
    stores = [await opened(client, db, "host-a:101") for _ in range(2)]
    replica = AsyncMongoMockClient(transactions=True)
    others = [await opened(replica, db, f"host-{n}:1") for n in "xy"]
    try:
        for store in stores:
            await store.hold_sole_worker(wait=0)
        for store in others:
            assert not store.standalone
            await store.hold_sole_worker(wait=0)
        assert await others[0].db["leases"].find_one({"_id": SOLE_WORKER_LEASE}) is None
    finally:
        for store in [*stores, *others]:
            await store.close()


async def test_a_second_service_on_a_standalone_server_does_not_start(tmp_path: Path, nlu_model_path: Path, http):
    """Over real HTTP: the first service answers; the second stops at start-up with the reason."""
    client, db = standalone()
    first = MongoStore("mongodb://stand-in", db, client=client, process="host-a:101", sole_worker_seconds=LEASE)
    second = MongoStore("mongodb://stand-in", db, client=client, process="host-b:202", sole_worker_seconds=LEASE)
    async with running_service(make_settings(tmp_path / "a"), store=first) as svc:
        with pytest.raises(SecondWorkerError, match="one worker only"):
            async with running_service(make_settings(tmp_path / "b"), store=second):
                pass
        assert "selamat datang" in texts(await say(http, svc.url, "warga-satu", "halo")).lower()
