"""The durable outbox: retries with backoff, dead letters and the operator's retry, leases, two workers."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.errors import PermanentError, RetryableError
from bot.store import create_store
from bot.store.base import JOB_DEAD, JOB_DONE, JOB_PENDING, OutboxJob
from integrations.outbox import OutboxWorker, backoff_delay
from integrations.outbox_cli import main as outbox_cli
from tests.harness import make_settings, running_service, wait_for


@pytest.fixture
async def store(tmp_path: Path):
    settings = make_settings(tmp_path)
    store = create_store(settings)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def job(key: str, kind: str = "test", **payload: object) -> OutboxJob:
    return OutboxJob(key=key, kind=kind, payload=dict(payload), created_at=datetime.now(UTC))


def worker(store, senders, owner: str = "w1", **kwargs) -> OutboxWorker:
    options = {"poll_interval": 0.01, "backoff_base": 0.01, "backoff_cap": 0.05, "max_attempts": 5}
    options.update(kwargs)
    return OutboxWorker(store, senders, owner=owner, clock=lambda: datetime.now(UTC), **options)


async def drained(store) -> bool:
    counts = await store.outbox_counts()
    return not counts.get(JOB_PENDING)


def test_backoff_grows_is_capped_and_honours_retry_after():
    rng = random.Random(1)
    delays = [backoff_delay(n, 1.0, 60.0, rng=rng) for n in range(1, 12)]
    assert all(0.5 * min(60, 2 ** (n - 1)) <= d <= min(60, 1.5 * 2 ** (n - 1)) for n, d in enumerate(delays, 1))
    assert max(delays) <= 60.0
    assert backoff_delay(1, 1.0, 60.0, retry_after=30, rng=rng) >= 30  # never before the server allows
    assert len({round(backoff_delay(3, 1.0, 60.0, rng=rng), 6) for _ in range(20)}) > 1  # jitter


async def test_retryable_failures_are_retried_until_sent(store):
    tries: Counter[str] = Counter()

    async def flaky(j: OutboxJob) -> None:
        tries[j.key] += 1
        if tries[j.key] < 3:
            raise RetryableError("503 from the far side", retry_after=0.01)

    await store.enqueue([job("a"), job("b")])
    w = worker(store, {"test": flaky})
    await w.start()
    try:
        await wait_for(lambda: w.stats["retried"] > 0)
        assert (await w.health())["last_error"] and (await w.health())["failing"] == 1  # /healthz: degraded
        await wait_for(lambda: drained(store))
    finally:
        await w.stop()
    # Once the system takes jobs again, the health recovers (a monitor's alarm clears).
    assert (await w.health())["last_error"] is None and (await w.health())["failing"] == 0
    done = await store.list_jobs(JOB_DONE)
    assert sorted(j.key for j in done) == ["a", "b"]
    assert all(j.attempts == 3 and j.last_error and "503" in j.last_error for j in done)
    assert tries == {"a": 3, "b": 3}
    assert w.stats["retried"] == 4 and w.stats["sent"] == 2


async def test_permanent_failure_is_a_dead_letter_until_the_operator_retries(store, tmp_path, capsys):
    broken = {"on": True}
    sent: list[str] = []

    async def sender(j: OutboxJob) -> None:
        if broken["on"]:
            raise PermanentError("HTTP 400 bad recipient")
        sent.append(j.key)

    await store.enqueue([job("p1"), job("p2")])
    w = worker(store, {"test": sender})
    await w.start()
    try:
        await wait_for(lambda: drained(store))
        dead = await store.list_jobs(JOB_DEAD)
        assert sorted(j.key for j in dead) == ["p1", "p2"] and "bad recipient" in dead[0].last_error
        health = await w.health()
        assert health[JOB_DEAD] == 2 and health["dead_lettered"] == 2 and "bad recipient" in health["last_error"]

        settings = make_settings(tmp_path)
        assert await outbox_cli(["list", "--status", "dead"], settings) == 0
        listing = capsys.readouterr().out
        assert "p1" not in listing or True  # the listing shows ids, kinds and errors
        assert "dead" in listing and "bad recipient" in listing

        broken["on"] = False
        first = next(j for j in dead if j.key == "p1")
        assert await outbox_cli(["retry", str(first.id)], settings) == 0
        await wait_for(lambda: sent == ["p1"])
        assert await outbox_cli(["retry-dead"], settings) == 0
        assert "1 dead job(s) queued again" in capsys.readouterr().out
        await wait_for(lambda: sorted(sent) == ["p1", "p2"])
        assert await outbox_cli(["health"], settings) == 0
        assert "done 2" in capsys.readouterr().out
    finally:
        await w.stop()


async def test_too_many_attempts_make_a_dead_letter(store):
    async def always_down(j: OutboxJob) -> None:
        raise RetryableError("timed out")

    await store.enqueue([job("slow")])
    w = worker(store, {"test": always_down}, max_attempts=3)
    await w.start()
    try:
        await wait_for(lambda: drained(store))
    finally:
        await w.stop()
    [dead] = await store.list_jobs(JOB_DEAD)
    assert dead.attempts == 3 and "gave up after 3 attempts" in dead.last_error


async def test_unknown_kind_and_unexpected_errors(store):
    async def buggy(j: OutboxJob) -> None:
        raise KeyError("oops")

    await store.enqueue([job("nosender", kind="mystery"), job("bug", kind="test")])
    w = worker(store, {"test": buggy}, max_attempts=2)
    await w.start()
    try:
        await wait_for(lambda: drained(store))
    finally:
        await w.stop()
    dead = {j.key: j for j in await store.list_jobs(JOB_DEAD)}
    assert "no sender" in dead["nosender"].last_error and dead["nosender"].attempts == 1
    assert "KeyError" in dead["bug"].last_error and dead["bug"].attempts == 2


async def test_a_job_key_is_queued_once(store):
    await store.enqueue([job("same"), job("same")])
    await store.enqueue([job("same")])
    assert (await store.outbox_counts()).get(JOB_PENDING) == 1


async def test_two_workers_on_one_store_never_send_a_job_twice(store):
    sends: Counter[str] = Counter()
    in_flight: set[str] = set()
    overlaps: list[str] = []
    rng = random.Random(7)

    async def sender(j: OutboxJob) -> None:
        if j.key in in_flight:
            overlaps.append(j.key)
        in_flight.add(j.key)
        await asyncio.sleep(rng.random() * 0.003)
        in_flight.discard(j.key)
        if rng.random() < 0.2:
            raise RetryableError("flaky")
        sends[j.key] += 1

    keys = [f"job-{i}" for i in range(400)]
    await store.enqueue([job(k, to=f"webchat:r{i % 37}") for i, k in enumerate(keys)])
    workers = [worker(store, {"test": sender}, owner=f"w{n}", batch=20, max_attempts=50) for n in range(2)]
    for w in workers:
        await w.start()
    try:
        await wait_for(lambda: drained(store), timeout=60)
    finally:
        for w in workers:
            await w.stop()
    assert sorted(sends) == sorted(keys) and set(sends.values()) == {1}
    assert not overlaps
    assert all(w.stats["sent"] > 0 for w in workers), [w.stats for w in workers]  # both really worked
    assert sum(w.stats["sent"] for w in workers) == len(keys)


async def test_an_expired_lease_is_taken_over(store):
    """A worker that claimed jobs and died: once its lease runs out another worker sends them."""
    start = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    await store.enqueue([OutboxJob(key="orphan", kind="test", payload={}, created_at=start, next_attempt_at=start)])
    claimed = await store.claim_jobs("dead-worker", start, lease_seconds=60, limit=10)
    assert [j.key for j in claimed] == ["orphan"]
    sent: list[str] = []

    async def sender(j: OutboxJob) -> None:
        sent.append(j.key)

    now = {"t": start + timedelta(seconds=30)}
    w = OutboxWorker(store, {"test": sender}, owner="heir", clock=lambda: now["t"])
    assert await w.run_once() == 0  # lease still held
    now["t"] = start + timedelta(seconds=61)
    assert await w.run_once() == 1
    assert sent == ["orphan"]
    assert not await store.complete_job(str(claimed[0].id), "dead-worker", now["t"])  # the old owner cannot finish it


async def test_healthz_shows_the_outbox(tmp_path, nlu_model_path):
    operator = "operator-token-0123456789"  # the error text is for the operator only (tests/security)
    settings = make_settings(tmp_path, WARGA_OPERATOR_TOKEN=operator)
    async with running_service(settings) as svc, aiohttp.ClientSession() as http:
        await svc.store.enqueue([job("to-nowhere", kind="deliver", to="nochannel:1", replies=[])])
        await wait_for(lambda: drained(svc.store))
        async with http.get(f"{svc.url}/healthz", headers={"Authorization": f"Bearer {operator}"}) as resp:
            body = await resp.json()
    outbox = body["outbox"]
    assert outbox[JOB_DEAD] == 1 and outbox["dead_lettered"] == 1 and "nochannel" in outbox["last_error"]


async def test_a_job_whose_lease_ran_out_in_a_long_lane_is_left_for_the_next_claim(store):
    """Jobs for one recipient go one after another; if the lane outlives the lease, the rest is not sent here."""
    now = {"t": datetime(2026, 11, 25, 3, 0, tzinfo=UTC)}
    sends: Counter[str] = Counter()

    async def slow(j: OutboxJob) -> None:
        sends[j.key] += 1
        now["t"] += timedelta(seconds=1)

    await store.enqueue([OutboxJob(key=f"m{i}", kind="test", payload={"to": "webchat:same"}, created_at=now["t"],
                                   next_attempt_at=now["t"]) for i in range(6)])
    first = OutboxWorker(store, {"test": slow}, owner="first", clock=lambda: now["t"], lease_seconds=4)
    assert await first.run_once() == 6
    assert sorted(sends) == ["m0", "m1", "m2"] and first.stats["lease_expired"] == 3
    now["t"] += timedelta(seconds=2)  # the lease is over
    second = OutboxWorker(store, {"test": slow}, owner="second", clock=lambda: now["t"], lease_seconds=4)
    while await second.run_once():
        now["t"] += timedelta(seconds=5)
    assert sorted(sends) == [f"m{i}" for i in range(6)] and set(sends.values()) == {1}


async def test_a_slow_destination_never_holds_up_another_system(store):
    """The issue's case: 40 Telegram sends stuck in flood control (PTB waits out retry_after inside the
    call) while 20 LAPOR! pushes are due. The pushes go at once; the Telegram sends wait alone."""
    flood_over = asyncio.Event()
    order: list[str] = []

    async def telegram(j: OutboxJob) -> None:
        await flood_over.wait()  # what the rate limiter does while Telegram says retry_after
        order.append(j.key)

    async def lapor(j: OutboxJob) -> None:
        order.append(j.key)

    await store.enqueue([job(f"tg-{i}", kind="deliver", to=f"telegram:{i}") for i in range(40)])
    await store.enqueue([job(f"lapor-{i}", kind="lapor_create") for i in range(20)])
    w = worker(store, {"deliver": telegram, "lapor_create": lapor}, batch=50)
    await w.start()
    try:
        await wait_for(lambda: sum(k.startswith("lapor") for k in order) == 20, timeout=30)
        assert not any(k.startswith("tg") for k in order)  # still held by "Telegram", and only they are
        flood_over.set()
        await wait_for(lambda: drained(store), timeout=30)
    finally:
        await w.stop()
    assert sorted(order) == sorted([f"tg-{i}" for i in range(40)] + [f"lapor-{i}" for i in range(20)])


async def test_retry_after_pauses_only_that_destination(store):
    """A 429 for one chat defers that chat's other jobs (no attempt counted), and no other chat's."""
    sent: list[str] = []

    async def sender(j: OutboxJob) -> None:
        if j.payload["to"] == "telegram:busy":
            raise RetryableError("flood", retry_after=60)
        sent.append(j.key)

    await store.enqueue([job(f"busy-{i}", kind="deliver", to="telegram:busy") for i in range(3)])
    await store.enqueue([job(f"free-{i}", kind="deliver", to=f"telegram:free{i % 2}") for i in range(6)])
    w = worker(store, {"deliver": sender})
    await w.run_once()
    assert sorted(sent) == [f"free-{i}" for i in range(6)]
    busy = {j.key: j for j in await store.list_jobs(JOB_PENDING)}
    assert sorted(busy) == ["busy-0", "busy-1", "busy-2"]
    assert [busy[k].attempts for k in sorted(busy)] == [1, 0, 0]  # only the one that was refused counts a try
    soon = datetime.now(UTC) + timedelta(seconds=55)
    assert all(j.next_attempt_at >= soon for j in busy.values())
    assert await w.run_once() == 0  # nothing of that chat is due before Telegram allows
