"""Background work gives way to residents on the SQLite store's one thread (issue #18): a resident's store call
that arrives while a periodic pass's or the outbox's calls are queued runs before them, background calls still
run (in their turn once they have waited GIVE_WAY), a background call is not even queued while a resident's call is
in flight (for at most RESIDENTS_FIRST), and only the workers' own tasks are marked as background."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import bot.store.sqlite as sqlite_module
from bot.message import utcnow
from bot.store.base import BACKGROUND, PATIENT, RESIDENT_TURNS, OutboxJob, background_task
from bot.store.sqlite import SqliteStore
from integrations.outbox import OutboxWorker
from integrations.periodic import Periodic


async def queued_in_order(sqlite_store: SqliteStore) -> list[str]:
    """Hold the store's thread, queue three background calls and then a resident's, release: the order they ran."""
    ran: list[str] = []
    held, release = threading.Event(), threading.Event()

    def hold(db: object) -> None:
        held.set()
        release.wait(30)

    def note(name: str):
        def write(db) -> None:
            db.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, '1')", (name,))
            ran.append(name)

        return write

    async def worker(n: int) -> None:
        background_task()
        await sqlite_store._run(note(f"pass-{n}"))

    async def holder() -> None:
        background_task()  # a pass's call holds the thread (a resident's would keep the passes' calls on the event
        await sqlite_store._run(hold)  # loop instead: see test_background_calls_wait_on_the_loop_...)

    holding = asyncio.create_task(holder())
    await asyncio.to_thread(held.wait, 30)  # the store's thread is busy with `hold` now
    passes = [asyncio.create_task(worker(n)) for n in range(3)]
    await asyncio.sleep(0)  # each worker's call is on the queue now
    resident = asyncio.create_task(sqlite_store._run(note("resident")))
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(holding, resident, *passes)
    written = await sqlite_store._all("SELECT key FROM kv WHERE key LIKE 'pass-%' OR key = 'resident' ORDER BY key")
    assert [r[0] for r in written] == ["pass-0", "pass-1", "pass-2", "resident"]
    return ran


async def test_a_residents_call_goes_before_queued_background_calls(sqlite_store: SqliteStore) -> None:
    assert await queued_in_order(sqlite_store) == ["resident", "pass-0", "pass-1", "pass-2"]


async def test_background_calls_that_waited_long_enough_go_in_their_turn(sqlite_store: SqliteStore,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_module, "GIVE_WAY", 0.0)  # as if they had waited GIVE_WAY already: arrival order
    assert await queued_in_order(sqlite_store) == ["pass-0", "pass-1", "pass-2", "resident"]


async def test_only_the_workers_tasks_are_background(sqlite_store: SqliteStore) -> None:
    seen: dict[str, bool] = {}
    ran = asyncio.Event()

    async def step() -> None:
        seen["periodic"] = (BACKGROUND.get(), PATIENT.get())
        ran.set()

    async def send(job: OutboxJob) -> None:
        seen["outbox"] = (BACKGROUND.get(), PATIENT.get())
        sent.set()

    sent = asyncio.Event()
    periodic = Periodic("test background", 0.001, step, store=sqlite_store)
    outbox = OutboxWorker(sqlite_store, {"deliver": send}, owner="w", clock=utcnow)
    await sqlite_store.enqueue([OutboxJob(key="k", kind="deliver", payload={"to": "webchat:a"}, created_at=utcnow())])
    periodic.start()
    await outbox.start()
    await asyncio.wait_for(asyncio.gather(ran.wait(), sent.wait()), 30)
    await periodic.stop()
    await outbox.stop()
    # the passes wait for residents on the loop too; the outbox (residents' replies) only on the thread
    assert seen == {"periodic": (True, True), "outbox": (True, False)}
    assert (BACKGROUND.get(), PATIENT.get()) == (False, False)  # a resident's request's context: untouched


async def test_background_work_reads_beside_the_writer_and_sees_its_own_writes(sqlite_store: SqliteStore) -> None:
    async def worker() -> tuple[str, object, str]:
        background_task()
        await sqlite_store.set_value("sla:test", "ditulis")  # a write: on the store's one thread
        read_on = await sqlite_store._read(lambda db: threading.current_thread().name)
        written_on = await sqlite_store._run(lambda db: threading.current_thread().name)
        return read_on, await sqlite_store.get_value("sla:test"), written_on

    assert await asyncio.create_task(worker()) == ("sqlite-reader", "ditulis", "sqlite")
    assert await sqlite_store._read(lambda db: threading.current_thread().name) == "sqlite"  # a resident's read


async def test_the_background_readers_connection_refuses_writes(sqlite_store: SqliteStore) -> None:
    async def worker() -> None:
        background_task()
        await sqlite_store._read(lambda db: db.execute("INSERT INTO kv (key, value) VALUES ('x', 'y')"))

    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await asyncio.create_task(worker())
    assert await sqlite_store.get_value("x") is None


async def test_the_write_ahead_log_is_checkpointed_by_the_reader_not_inside_a_residents_commit(
        sqlite_store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer never checkpoints (a commit that crossed SQLite's automatic threshold did it while every
    call queued behind waited); the reader's thread does, every CHECKPOINT_INTERVAL seconds."""
    path = sqlite_store.path
    assert isinstance(path, Path)
    assert await sqlite_store._run(lambda db: db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]) == 0
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_INTERVAL", 3600.0)
    sqlite_store._checkpoint_at = time.monotonic()  # just checkpointed: none due for an hour
    await sqlite_store._run(lambda db: db.execute("PRAGMA wal_checkpoint(TRUNCATE)"))  # start from an empty log
    before = path.stat().st_size
    for n in range(30):  # ~3 MB, past SQLite's automatic threshold of 1,000 pages
        await sqlite_store._run(lambda db, n=n: db.execute(
            "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (f"wal-{n}", json.dumps("x" * 100_000))))
    assert path.stat().st_size == before  # all of it still in the log: no commit checkpointed
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_INTERVAL", 0.0)
    await sqlite_store.get_value("wal-0")  # any call: the reader's checkpoint is due

    async def grown() -> bool:
        for _ in range(100):
            if path.stat().st_size > before + 2_000_000:
                return True
            await asyncio.sleep(0.05)
        return False

    assert await grown()  # the log's pages are in the database file


async def queued_calls(sqlite_store: SqliteStore) -> int:
    thread = sqlite_store._thread
    assert thread is not None
    return thread._queue.qsize()


@contextlib.asynccontextmanager
async def residents_call_in_flight(sqlite_store: SqliteStore, ran: list[str] | None = None) -> AsyncIterator[None]:
    """A resident's call that holds the store's thread until the block ends (noting "resident" in `ran`)."""
    held, release = threading.Event(), threading.Event()

    def hold(db: object) -> str:
        held.set()
        release.wait(30)
        if ran is not None:
            ran.append("resident")
        return "resident"

    resident = asyncio.create_task(sqlite_store._run(hold))
    await asyncio.to_thread(held.wait, 30)
    try:
        yield
    finally:
        release.set()
        assert await resident == "resident"


async def test_background_calls_wait_on_the_loop_while_a_residents_call_is_in_flight(
        sqlite_store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the store's thread returns a resident's rows, a pass's Python on the event loop would take the GIL
    from it at every row: the pass's next call (a write, or a read on the reader's thread) waits until the
    resident's call is back."""
    monkeypatch.setattr(sqlite_module, "RESIDENTS_FIRST", 3600.0)
    ran: list[str] = []

    async def worker() -> None:
        background_task()
        await sqlite_store._run(lambda db: ran.append("pass write"))
        await sqlite_store._read(lambda db: ran.append("pass read"))

    async with residents_call_in_flight(sqlite_store, ran):
        passing = asyncio.create_task(worker())
        for _ in range(20):  # the worker's task runs up to its wait and no further, however many turns the loop takes
            await asyncio.sleep(0)
        assert await queued_calls(sqlite_store) == 0 and ran == [] and not passing.done()
    await asyncio.wait_for(passing, 30)
    assert ran == ["resident", "pass write", "pass read"]


async def test_background_calls_go_anyway_when_residents_keep_the_store_busy(
        sqlite_store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Residents' calls without a pause never starve a pass: past RESIDENTS_FIRST its call is queued."""
    monkeypatch.setattr(sqlite_module, "RESIDENTS_FIRST", 0.01)

    async def worker() -> None:
        background_task()
        await sqlite_store._run(lambda db: None)

    async with residents_call_in_flight(sqlite_store):
        passing = asyncio.create_task(worker())
        for _ in range(3000):  # the resident's call never returns meanwhile
            if await queued_calls(sqlite_store):
                break
            await asyncio.sleep(0.01)
        assert await queued_calls(sqlite_store) == 1  # the pass's call is on the thread's queue, resident or not
    await asyncio.wait_for(passing, 30)


async def test_the_outboxs_calls_do_not_wait_on_the_loop(sqlite_store: SqliteStore,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox's jobs are residents' replies: its calls give way on the store's thread only."""
    monkeypatch.setattr(sqlite_module, "RESIDENTS_FIRST", 3600.0)

    async def outbox() -> None:
        background_task(patient=False)
        await sqlite_store._run(lambda db: None)

    async with residents_call_in_flight(sqlite_store):
        sending = asyncio.create_task(outbox())
        for _ in range(20):
            await asyncio.sleep(0)
        assert await queued_calls(sqlite_store) == 1  # queued at once, behind the resident's call
    await asyncio.wait_for(sending, 30)


async def test_background_calls_wait_for_a_gap_between_residents_turns(sqlite_store: SqliteStore,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A resident's turn on the event loop (the NLU, the dialogue) with no store call in flight still holds a
    pass's next store call back until the turn is answered."""
    monkeypatch.setattr(sqlite_module, "RESIDENTS_FIRST", 3600.0)
    ran: list[str] = []

    async def worker() -> None:
        background_task()
        await sqlite_store._run(lambda db: ran.append("pass"))

    with RESIDENT_TURNS.turn():
        passing = asyncio.create_task(worker())
        for _ in range(10):
            await asyncio.sleep(0.002)  # time passes; the turn goes on
        assert ran == [] and not passing.done()
        ran.append("turn answered")
    await asyncio.wait_for(passing, 30)
    assert ran == ["turn answered", "pass"]


async def test_every_channels_message_is_a_residents_turn_while_it_is_answered(tmp_path: Path) -> None:
    """The message gate (every channel's way in) counts the turn from its first step to its answer."""
    import aiohttp

    from tests.harness import make_settings, running_service, say

    async with running_service(make_settings(tmp_path)) as service:
        counted: list[int] = []
        answer = service.dialogue.handle

        async def handle(message):  # the dialogue's step, inside the gate
            counted.append(RESIDENT_TURNS.count)
            return await answer(message)

        service.dialogue.handle = handle
        async with aiohttp.ClientSession() as http:
            replies = await say(http, service.url, "turns-1", "halo")
    assert replies and counted == [1]
    assert RESIDENT_TURNS.count == 0


async def test_a_gap_is_signalled_by_the_end_of_the_last_turn() -> None:
    """Patient work waiting for a gap is woken when the last turn being answered ends, not before (another turn
    still holds it) and not at its limit (no polling), and leaves no waiter behind."""
    with RESIDENT_TURNS.turn():
        with RESIDENT_TURNS.turn():
            waiting = asyncio.create_task(RESIDENT_TURNS.gap(3600.0))
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)
        assert not waiting.done()  # one turn is still being answered
    await asyncio.wait_for(waiting, 5)
    assert RESIDENT_TURNS._waiters == []


async def test_a_gap_wait_ends_at_its_limit_or_when_cancelled_and_leaves_nothing_behind() -> None:
    loop = asyncio.get_running_loop()
    with RESIDENT_TURNS.turn():
        started = loop.time()
        await asyncio.wait_for(RESIDENT_TURNS.gap(0.05), 5)  # residents never pause: it goes after the limit
        assert loop.time() - started >= 0.04
        cancelled = asyncio.create_task(RESIDENT_TURNS.gap(3600.0))
        await asyncio.sleep(0.01)
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        assert RESIDENT_TURNS._waiters == []
    started = loop.time()
    await RESIDENT_TURNS.gap(3600.0)  # no turn: at once
    assert loop.time() - started < 1
