"""Benchmark: the service as history grows: a store of 100,000 tickets against a nearly empty one (#18, #19).

Seeds two SQLite stores with `tests/store/seed.py` (bulk inserts through sqlite3): a big one (100,000
tickets, 13 history events each, 1,000,000 inbox messages and delivery jobs) and a small one (300
tickets, so every command has the same kind of answer to give). Then, for each round and alternating
which store goes first, it starts the real service on the store (`python bench/growth.py --serve`:
the app of `python -m bot run` plus a loop-lag probe and a control port on 127.0.0.1) and measures:

- start-up: process start to `/healthz` answering, and its memory (RSS) then and after the run;
- `/status WRG-...` (the reporter asking), `/status` without a number (a resident with ~100
  tickets), `/antrian` (an officer of the busiest OPD) and `/info WRG-...`: p50/p99 of sequential
  requests through the REST channel, interleaved;
- REST messages/s and p99 at an offered load (`bench/rest_channel.py`'s paced residents), with the
  periodic workers idle and with them running far more often than a service runs them (the deadline
  pass every 2 s instead of every 60 s, the LAPOR! sync of a batch (100 tickets) every 1.7 s instead of 300 s).
  The load runs without a break while the workers are switched on and off every few seconds (idle, running,
  running, idle, ...), so a hiccup of the machine falls on both phases alike rather than deciding one of them;
  and, measured inside the service, where a REST request's time goes: waiting for the SQLite store's thread
  (and behind whose calls), running there, getting back onto the event loop;
- one pass of each periodic worker (reminders, escalations, the digest, the SP4N-LAPOR! sync of a batch of
  tickets against the fake LAPOR! on loopback, in a process of its own, the outbox health line): seconds and the longest
  event-loop stall seen by a probe that wakes every 5 ms. Each pass first adds 20 tickets due for a
  reminder and 20 overdue ones, so it has the same real work on both stores.

Prints a table, writes it to bench/results/growth.txt.

    .venv/bin/python bench/growth.py [--tickets 100000] [--messages 1000000] [--jobs 1000000] [--rounds 2]
                                     [--rate 250] [--seconds 10] [--requests 150] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import gc
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rest_channel import paced_resident, percentiles  # noqa: E402 - bench/ is on sys.path as a script
from service_process import free_port, wait_healthy  # noqa: E402

from bot.store.base import OPEN_STATUSES, STATUS_IN_PROGRESS, Changes, Ticket, background_task  # noqa: E402
from tests.store.seed import BUSIEST_OPD, BUSY_RESIDENT, create_schema, seed  # noqa: E402

TOKEN, API_KEY = "growth-token", "growth-key"
#: The services' session secret: the benchmark signs the sessions of the reporter, the busy resident and the
#: officer itself (a web chat sender is always the session's, never the body's).
SESSION_SECRET = "growth-benchmark-session-secret-0123456789"
OFFICER = "growth-officer"  # a web chat officer of the busiest OPD
PROBE_PERIOD = 0.005
EXTRA_DUE = 20
SEED_COMMIT = 5  # tickets per commit of those the passes find due (`Passes.add_due_tickets`)
#: Seconds between passes while "the workers run" (60 and 300 in service): 30 and 180 times as often.
SLA_EVERY, SYNC_EVERY = 2.0, 300 / 180
#: A slice of the REST load in which the host stole less than this share of the machine's CPU (from this virtual
#: machine: /proc/stat) is "calm"; the ratio is also given over the calm slices of both phases alone.
CALM_STOLEN = 0.01


# --- inside the service process ------------------------------------------------------------------
class LoopProbe:
    """Wakes every 5 ms; the longest lateness since the last `take()` is the longest event-loop stall.

    It also notes how much of each lateness the event loop's thread spent on the CPU (`time.thread_time`):
    the loop's own work holding it (`held`). The rest is time the thread was not running at all: the
    other processes on the machine had the cores (or, rarer, the store's thread had the GIL). On a busy
    machine the lateness is mostly the former; `held` is what the code under test is answerable for.
    """

    def __init__(self) -> None:
        self.longest = 0.0
        self.longest_held = 0.0
        self.over_50ms = 0

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before, cpu = loop.time(), time.thread_time()
            await asyncio.sleep(PROBE_PERIOD)
            lag = loop.time() - before - PROBE_PERIOD
            held = min(lag, time.thread_time() - cpu)
            self.longest = max(self.longest, lag)
            self.longest_held = max(self.longest_held, held)
            self.over_50ms += lag > 0.05

    def take(self) -> float:
        longest, self.longest = self.longest, 0.0
        return longest

    def take_held(self) -> float:
        held, self.longest_held = self.longest_held, 0.0
        return held


class GcWatch:
    """The longest garbage collection since start-up (a collection holds the event loop too)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._started)


#: Who a store call works for: "resident" inside a REST request, "pass" inside the benchmark's passes, else
#: "other" (the outbox, the inbox poller).
CALLER: contextvars.ContextVar[str] = contextvars.ContextVar("growth_caller", default="other")
#: The REST request being served: [store calls, waiting for the store's thread, running there, back to the loop].
TURN: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("growth_turn", default=None)


def store_method(fn: Any) -> str:
    """The store method a call on the store's thread comes from (`commit`, `claim_jobs`), or for a plain read
    (`_one`, `_all`) the start of its SQL."""
    name = getattr(fn, "__qualname__", "?").removeprefix("SqliteStore.").split(".<locals>")[0]
    for cell in getattr(fn, "__closure__", None) or ():
        inner = cell.cell_contents
        if name == "_transaction" and callable(inner) and "<locals>" in getattr(inner, "__qualname__", ""):
            return store_method(inner)
        if name in ("_one", "_all") and isinstance(inner, str):
            return " ".join(inner.split()[:6])
    return name


class StoreTimer:
    """Where a resident's REST request spends its time while a pass runs. Each SQLite store call is split into
    waiting for the store's thread (`wait`), running there (`run`, and `cpu`: the thread's CPU time in it) and
    getting back onto the event loop (`back`); the rest of a request is the loop's own Python work and its ready
    queue. For each call it also counts the calls that ran on the store's thread while it waited, residents'
    and background ones (passes, the outbox, the benchmark's seeding), and their CPU time there: figures a busy
    machine barely changes, unlike the wall-clock ones.

    Wraps the store's one-hop `_run` (every SqliteStore method goes through it) and the REST webhook.
    """

    FIELDS = ("total", "calls", "wait", "run", "cpu", "back", "bg_ahead", "bg_ahead_cpu", "res_ahead",
              "res_ahead_cpu")

    def __init__(self) -> None:
        #: "idle" or "running": whether the benchmark's workers run; a call or request counts in the phase it
        #: began in, and `take(phase)` gives that phase's figures
        self.phase = "idle"
        self.turns: dict[str, list[list[float]]] = {}  # phase -> FIELDS per REST request
        self.calls: dict[str, dict[str, list[tuple[float, ...]]]] = {}  # phase -> caller -> FIELDS[2:] per call
        self.done = {"resident": [0, 0.0], "background": [0, 0.0]}  # calls finished on the thread, their CPU s
        #: phase -> (caller, store method) -> [calls, CPU s]
        self.by_method: dict[str, dict[tuple[str, str], list[float]]] = {}

    def wrap_store(self, store: Any) -> None:
        original = store._run
        if getattr(original, "__self__", None) is None:
            return
        timer, turns, done = self, TURN, self.done

        async def timed(fn: Any, *args: Any, **kwargs: Any) -> Any:
            caller, phase = CALLER.get(), timer.phase
            kind = "resident" if caller == "resident" else "background"
            snap = (done["background"][0], done["background"][1], done["resident"][0], done["resident"][1])
            marks: list[float] = [time.perf_counter()]

            def inner(conn: Any) -> Any:
                marks.append(time.perf_counter())
                ahead = (done["background"][0] - snap[0], done["background"][1] - snap[1],
                         done["resident"][0] - snap[2], done["resident"][1] - snap[3])
                cpu = time.thread_time()
                try:
                    return fn(conn)
                finally:
                    marks.append(time.perf_counter())
                    cpu = time.thread_time() - cpu
                    done[kind][0] += 1
                    done[kind][1] += cpu
                    marks.extend((cpu, *ahead))

            try:
                return await original(inner, *args, **kwargs)
            finally:
                if len(marks) == 8:
                    submitted, begun, ended, cpu, bg_n, bg_cpu, res_n, res_cpu = marks
                    method = store_method(fn)
                    tally = timer.by_method.setdefault(phase, {}).setdefault((caller, method), [0, 0.0])
                    tally[0] += 1
                    tally[1] += cpu
                    figures = (begun - submitted, ended - begun, cpu, time.perf_counter() - ended, bg_n, bg_cpu,
                               res_n, res_cpu)
                    timer.calls.setdefault(phase, {}).setdefault(caller, []).append(figures)
                    turn = turns.get()
                    if turn is not None:
                        turn[1] += 1
                        for i, value in enumerate(figures, 2):
                            turn[i] += value

        store._run = timed

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path != "/webhooks/rest/webhook":
            return await handler(request)
        turn = [0.0] * len(self.FIELDS)
        TURN.set(turn)
        CALLER.set("resident")
        phase = self.phase
        started = time.perf_counter()
        try:
            return await handler(request)
        finally:
            turn[0] = time.perf_counter() - started
            self.turns.setdefault(phase, []).append(turn)

    def take(self, phase: str) -> dict[str, Any]:
        """One phase's figures since its last take: REST requests (on average over all, and over the slowest 1%)
        and store calls per caller (how many, the store thread's busy seconds, wait ms: mean and p99)."""
        turns = self.turns.pop(phase, [])
        calls = self.calls.pop(phase, {})
        by_method = self.by_method.pop(phase, {})
        result: dict[str, Any] = {"turns": len(turns)}
        ms = {name: 1 if name in ("calls", "bg_ahead", "res_ahead") else 1000 for name in self.FIELDS}
        if turns:
            ordered = sorted(turns)
            tail = ordered[max(0, int(len(ordered) * 0.99) - 1):]
            result["p99_ms"] = ordered[max(0, int(len(ordered) * 0.99) - 1)][0] * 1000
            result["p50_ms"] = ordered[len(ordered) // 2][0] * 1000
            for label, group in (("mean", ordered), ("tail", tail)):
                result[label] = {name: sum(t[i] for t in group) / len(group) * ms[name]
                                 for i, name in enumerate(self.FIELDS)}
        result["callers"] = {
            caller: {"calls": len(values), "busy_s": sum(v[1] for v in values), "cpu_s": sum(v[2] for v in values),
                     "wait_mean_ms": sum(v[0] for v in values) / len(values) * 1000,
                     "wait_p99_ms": sorted(v[0] for v in values)[max(0, int(len(values) * 0.99) - 1)] * 1000,
                     "run_mean_ms": sum(v[1] for v in values) / len(values) * 1000,
                     "run_max_ms": max(v[1] for v in values) * 1000,
                     "bg_ahead_mean": sum(v[4] for v in values) / len(values),
                     "bg_ahead_cpu_mean_ms": sum(v[5] for v in values) / len(values) * 1000}
            for caller, values in calls.items() if values}
        top = sorted(by_method.items(), key=lambda item: -item[1][1])[:8]
        result["top"] = [[caller, method, n, cpu * 1000] for (caller, method), (n, cpu) in top]
        return result


async def cpu_seconds(request: web.Request) -> web.Response:
    """CPU seconds this process (every thread) has used."""
    return web.json_response({"cpu": time.process_time()})


def rss_mb() -> tuple[float, float]:
    """(resident set size, its peak) of this process in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            name, amount = line.split(":")
            values[name] = int(amount.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


class Passes:
    """One pass of each periodic worker of a running service, timed and probed."""

    def __init__(self, runtime: Any, probe: LoopProbe) -> None:
        from integrations.outbox import OutboxWorker
        from integrations.sla import SlaWorker
        from integrations.wiring import lapor_for

        self.runtime, self.probe = runtime, probe
        self.sla = next(w for w in runtime.workers if isinstance(w, SlaWorker))
        self.outbox = next(w for w in runtime.workers if isinstance(w, OutboxWorker))
        parts = lapor_for(runtime)
        self.sync = parts.sync if parts else None
        self.added = 0
        self.running: asyncio.Task[None] | None = None
        self.stopping = asyncio.Event()  # set: the loop ends after the pass it is in (never cut one short)
        self.background: dict[str, float] = {"passes": 0, "syncs": 0, "stall_ms": 0.0, "held_ms": 0.0}

    async def add_due_tickets(self) -> None:
        """The tickets the next pass reminds and escalates. They stand for tickets residents filed over the days
        before, not for work of the workers or of the residents measured: written as patient background work
        (each commit between residents' turns, a few tickets at a time), as gently as the store allows.
        Before, one commit of 40 at residents' priority held the store's thread 10-12 ms every 2 s, in the
        running phase only."""
        CALLER.set("seed")  # the benchmark's own writes, not a worker's (this call's context only)
        background_task()
        services = self.runtime.services
        now, calendar = services.clock(), services.calendar
        tickets = []
        for n in range(2 * EXTRA_DUE):
            self.added += 1
            due = calendar.add_working_days(now, 1) if n < EXTRA_DUE else now - timedelta(hours=1)
            tickets.append(Ticket(
                number=f"WRG-{now:%y%m}-9{os.getpid()}{self.added:05d}", kind="aduan", topic="aduan_jalan_rusak",
                opd_id=BUSIEST_OPD, status=STATUS_IN_PROGRESS, text="jalan berlubang dekat sekolah",
                reporter=f"webchat:growth-{self.added}", created_at=now - timedelta(days=6), updated_at=now,
                due_at=due))
        for start in range(0, len(tickets), SEED_COMMIT):
            await services.store.commit(Changes(tickets=tickets[start:start + SEED_COMMIT]))

    async def once(self, sync: bool = True, deadlines: bool = True) -> dict[str, dict[str, float]]:
        from integrations.sla import DIGEST_KEY

        if deadlines:
            await asyncio.create_task(self.add_due_tickets())  # its own context: tagged "seed", not background
        CALLER.set("pass")
        background_task()  # as a worker's Periodic marks its task: residents' store calls go first
        now = self.runtime.services.clock()
        steps: list[tuple[str, Any]] = []
        if deadlines:
            await self.runtime.services.store.set_value(DIGEST_KEY, "")
            steps += [("reminders", lambda: self.sla.remind(now)), ("escalations", lambda: self.sla.escalate(now)),
                      ("digest", lambda: self.sla.digest(now))]
        if self.sync is not None and sync:
            steps.append(("LAPOR! sync", lambda: self.sync.run_once(now)))
        if deadlines:
            steps.append(("outbox health", self.outbox.health))
        result: dict[str, dict[str, float]] = {}
        for name, step in steps:
            self.probe.take()
            self.probe.take_held()
            started, cpu = time.perf_counter(), time.thread_time()
            answer = await step()
            seconds, cpu = time.perf_counter() - started, time.thread_time() - cpu
            await asyncio.sleep(PROBE_PERIOD * 2)  # let the probe see a stall at the very end
            result[name] = {"seconds": seconds, "loop_cpu_ms": cpu * 1000, "stall_ms": self.probe.take() * 1000,
                            "held_ms": self.probe.take_held() * 1000,
                            "did": float(answer if isinstance(answer, int) else
                                         answer.get("checked", 0) if isinstance(answer, dict) else 0)}
        return result

    async def loop(self) -> None:
        """The workers as a service runs them, only far more often: the deadline pass (and the outbox health
        line) every SLA_EVERY seconds instead of 60, the LAPOR! sync every SYNC_EVERY instead of 300; one at a
        time, each when it is due."""
        clock = asyncio.get_running_loop().time
        next_deadlines = next_sync = clock()
        while not self.stopping.is_set():
            started = clock()
            deadlines, sync = started >= next_deadlines, started >= next_sync
            passed = await self.once(sync=sync, deadlines=deadlines)
            if deadlines:
                next_deadlines = started + SLA_EVERY
                self.background["passes"] += 1
            if sync:
                next_sync = started + SYNC_EVERY
                self.background["syncs"] += 1
            for key in ("stall_ms", "held_ms"):
                self.background[key] = max(self.background[key], *(step[key] for step in passed.values()))
            try:
                await asyncio.wait_for(self.stopping.wait(), max(0.0, min(next_deadlines, next_sync) - clock()))
            except TimeoutError:
                pass


async def serve(control_port: int) -> None:
    """The service of `python -m bot run` (settings from the environment) plus the benchmark's control port."""
    from bot.app import RUNTIME, create_app, freeze_start_up_heap
    from bot.settings import load_settings

    settings = load_settings()
    app = create_app(settings)
    timer = StoreTimer()
    timer.wrap_store(app[RUNTIME].services.store)
    app.middlewares.append(timer.middleware)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", settings.port).start()
    freeze_start_up_heap()  # as `python -m bot run` does once it serves
    if os.environ.get("GROWTH_SWITCH_INTERVAL"):  # an experiment: another GIL switch interval than the service's
        sys.setswitchinterval(float(os.environ["GROWTH_SWITCH_INTERVAL"]))
    runtime = app[RUNTIME]
    probe = LoopProbe()
    collections = GcWatch()
    probe_task = asyncio.create_task(probe.run())
    passes = Passes(runtime, probe)
    await passes.sla.stop()  # the benchmark runs the passes itself: idle, once, or back to back

    async def one_pass(request: web.Request) -> web.Response:
        return web.json_response(await passes.once())

    async def workers(request: web.Request) -> web.Response:
        """on: the workers start (a pass at once, then every SLA_EVERY s); off: they stop once the pass they are
        in has finished, and the answer comes then."""
        if request.match_info["state"] == "on" and passes.running is None:
            passes.background = {"passes": 0, "syncs": 0, "stall_ms": 0.0, "held_ms": 0.0}
            timer.phase = "running"
            passes.stopping.clear()
            passes.running = asyncio.create_task(passes.loop())
        elif request.match_info["state"] == "off" and passes.running is not None:
            passes.stopping.set()
            await passes.running
            passes.running = None
            timer.phase = "idle"
        return web.json_response(passes.background)

    async def store_calls(request: web.Request) -> web.Response:
        return web.json_response(timer.take(request.query.get("phase", "idle")))

    async def memory(request: web.Request) -> web.Response:
        rss, peak = rss_mb()
        over, probe.over_50ms = probe.over_50ms, 0
        return web.json_response({"rss": rss, "peak": peak, "stall_ms": probe.take() * 1000, "over_50ms": over,
                                  "held_ms": probe.take_held() * 1000, "gc_ms": collections.longest * 1000})

    control = web.Application()
    control.router.add_post("/pass", one_pass)
    control.router.add_post("/workers/{state}", workers)
    control.router.add_get("/memory", memory)
    control.router.add_get("/cpu", cpu_seconds)
    control.router.add_get("/store", store_calls)
    control_runner = web.AppRunner(control, access_log=None)
    await control_runner.setup()
    await web.TCPSite(control_runner, "127.0.0.1", control_port).start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    if passes.running is not None:
        passes.running.cancel()
    probe_task.cancel()
    await control_runner.cleanup()
    await runner.cleanup()


# --- the benchmark -------------------------------------------------------------------------------
async def store_queries(store: Prepared, repeat: int = 21) -> dict[str, float]:
    """Median ms of each indexed question on the store itself (no service, no HTTP): what the queries cost."""
    from datetime import UTC, datetime

    import bot.store.sqlite as sqlite_module
    from bot.store.base import ESCALATED, REMINDED, STATUS_CLOSED, STATUS_DONE, TicketQuery
    from bot.store.sqlite import SqliteStore

    sqlite_module.JOBS_TOTAL_TTL = 0.0  # measure the outbox's recount of every job, not its cache
    sqlite_store = SqliteStore(store.data_dir / "warga.sqlite3")
    await sqlite_store.open()
    now = datetime.now(UTC)
    day = timedelta(days=1)
    calls: dict[str, Any] = {
        "ticket_events(number, message_out)": lambda: sqlite_store.ticket_events(store.ticket, "message_out"),
        "recent_tickets(resident, 3)": lambda: sqlite_store.recent_tickets(BUSY_RESIDENT, 3),
        "queue page (busiest OPD, 30)": lambda: sqlite_store.list_tickets(
            TicketQuery(opd_id=BUSIEST_OPD, statuses=OPEN_STATUSES, limit=30)),
        "queue count (busiest OPD)": lambda: sqlite_store.count_tickets(
            TicketQuery(opd_id=BUSIEST_OPD, statuses=OPEN_STATUSES)),
        "reminders due (page of 50)": lambda: sqlite_store.open_tickets_due(now + 2 * day, after=now,
                                                                            unmarked=REMINDED, limit=50),
        "escalations due (page of 50)": lambda: sqlite_store.open_tickets_due(now, unmarked=ESCALATED, limit=50),
        "digest: new per OPD": lambda: sqlite_store.count_tickets_by_opd(TicketQuery(created_after=now - day)),
        "digest: done per OPD": lambda: sqlite_store.count_tickets_by_opd(TicketQuery(
            statuses=(STATUS_DONE, STATUS_CLOSED), updated_after=now - day, closed_after=now - day)),
        "digest: overdue per OPD": lambda: sqlite_store.count_tickets_by_opd(
            TicketQuery(statuses=OPEN_STATUSES, due_before=now)),
        "digest: open count": lambda: sqlite_store.count_tickets(TicketQuery(statuses=OPEN_STATUSES)),
        "digest: rating (30 days)": lambda: sqlite_store.rating_summary(now - 30 * day),
        "LAPOR! sync page (100)": lambda: sqlite_store.open_lapor_tickets(None, 100),
        "outbox counts (job total recounted)": lambda: sqlite_store.outbox_counts(),
    }
    result = {}
    try:
        for name, call in calls.items():
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                await call()
                times.append((time.perf_counter() - started) * 1000)
            result[name] = sorted(times)[len(times) // 2]
    finally:
        await sqlite_store.close()
    return result


@dataclass
class Prepared:
    """A prepared data directory and the names its commands ask about."""

    label: str
    data_dir: Path
    tickets: int
    ticket: str = ""
    reporter: str = ""
    lapor_ids: list[str] = field(default_factory=list)


async def prepare(label: str, data_dir: Path, tickets: int, messages: int, jobs: int, days: int) -> Prepared:
    path = data_dir / "warga.sqlite3"
    marker = data_dir / "seeded.json"
    if not marker.exists():
        if data_dir.exists():
            shutil.rmtree(data_dir)
        data_dir.mkdir(parents=True)
        started = time.perf_counter()
        await create_schema(path)
        seeded = seed(path, tickets=tickets, messages=messages, jobs=jobs, days=days)
        with sqlite3.connect(path) as db:
            db.execute("INSERT OR REPLACE INTO identities (key, role, opd_id, data) VALUES (?,?,?,?)",
                       (f"webchat:{OFFICER}", "officer", BUSIEST_OPD, json.dumps(
                           {"key": f"webchat:{OFFICER}", "channel": "webchat", "sender_id": OFFICER,
                            "role": "officer", "opd_id": BUSIEST_OPD, "name": "petugas", "lang": "id"})))
        marker.write_text(json.dumps({"tickets": seeded.tickets, "open": seeded.open, "events": seeded.events,
                                      "messages": seeded.messages, "jobs": seeded.jobs,
                                      "busiest_open": seeded.busiest_open}))
        print(f"seeded {label}: {seeded.tickets:,} tickets ({seeded.open:,} open, {seeded.busiest_open:,} in the "
              f"busiest OPD), {seeded.events:,} events, {seeded.messages:,} messages, {seeded.jobs:,} jobs in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    with sqlite3.connect(path) as db:
        # an open ticket of the busiest OPD with replies: the reporter asks /status, the officer /info
        number, reporter = db.execute(
            "SELECT number, reporter FROM tickets WHERE opd_id = ? AND status IN (?, ?, ?) AND reporter != ? "
            "AND EXISTS (SELECT 1 FROM events WHERE ticket = number AND +kind = 'message_out') "
            "ORDER BY created_at DESC LIMIT 1", (BUSIEST_OPD, *OPEN_STATUSES, BUSY_RESIDENT)).fetchone()
        lapor_ids = [r[0] for r in db.execute(
            "SELECT json_extract(data, '$.lapor_id') FROM tickets WHERE status IN (?, ?, ?) "
            "AND json_extract(data, '$.lapor_id') IS NOT NULL", OPEN_STATUSES)]
    return Prepared(label, data_dir, tickets, number, reporter, lapor_ids)


async def command_latencies(http: aiohttp.ClientSession, url: str, ctl: str, store: Prepared,
                            requests: int) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Sequential requests, the four commands interleaved, each from its sender's signed session; then
    each command alone, to take the service's CPU time per request (all its threads), which the other
    processes on the machine barely change, unlike the wall-clock tail."""
    from bot.settings import WebSettings
    from bot.web.session import SessionSigner

    signer = SessionSigner(WebSettings(session_secret=SESSION_SECRET))

    def bearer(sender: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {signer.issue(sender, staff=sender == OFFICER).token}"}

    commands = {
        "/status WRG-...": (store.reporter.split(":", 1)[1], f"/status {store.ticket}"),
        "/status": (BUSY_RESIDENT.split(":", 1)[1], "/status"),
        "/antrian": (OFFICER, "/antrian"),
        "/info WRG-...": (OFFICER, f"/info {store.ticket}"),
    }
    headers = {name: bearer(sender) for name, (sender, _) in commands.items()}
    # what each answer must show: the ticket itself, the resident's latest ticket, the queue's header
    expect = {"/status WRG-...": store.ticket, "/status": "WRG-", "/antrian": "WRG-", "/info WRG-...": store.ticket}
    refused = ("hanya untuk petugas", "hanya dapat dilihat", "tidak ditemukan")
    found = {name: 0 for name in commands}
    latencies: dict[str, list[float]] = {name: [] for name in commands}
    for n in range(requests + 10):
        for name, (_, text) in commands.items():
            started = time.perf_counter()
            async with http.post(f"{url}/webhooks/rest/webhook", json={"message": text},
                                 headers=headers[name]) as resp:
                body = await resp.json()
            elapsed = time.perf_counter() - started
            if n >= 10:  # the first ten of each warm up
                latencies[name].append(elapsed)
            answer = json.dumps(body, ensure_ascii=False)
            found[name] += expect[name] in answer and not any(word in answer for word in refused)
    assert all(count == requests + 10 for count in found.values()), (found, answer)
    cpu: dict[str, float] = {}
    for name, (_, text) in commands.items():
        async with http.get(f"{ctl}/cpu") as resp:
            before = (await resp.json())["cpu"]
        for _ in range(requests):
            async with http.post(f"{url}/webhooks/rest/webhook", json={"message": text},
                                 headers=headers[name]) as resp:
                await resp.read()
        async with http.get(f"{ctl}/cpu") as resp:
            cpu[name] = ((await resp.json())["cpu"] - before) * 1000 / requests
    return latencies, cpu


def machine_jiffies() -> tuple[int, int, int]:
    """(all, idle, stolen) CPU time of the whole machine so far, in jiffies (/proc/stat): "stolen" is time the
    virtual machine's cores were runnable but the host ran something else."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields), fields[3] + fields[4], fields[7]


class PhaseClock:
    """Per phase: wall seconds, the service's CPU seconds (all its threads), and the machine's idle and stolen
    share, between marks taken at each switch."""

    def __init__(self, http: aiohttp.ClientSession, ctl: str) -> None:
        self.http, self.ctl = http, ctl
        self.totals: dict[str, list[float]] = {"idle": [0.0] * 5, "running": [0.0] * 5}
        self.last: tuple[float, float, tuple[int, int, int]] | None = None

    async def mark(self, phase_before: str) -> None:
        async with self.http.get(f"{self.ctl}/cpu") as resp:
            cpu = (await resp.json())["cpu"]
        now = (time.perf_counter(), cpu, machine_jiffies())
        if self.last is not None:
            total = self.totals[phase_before]
            total[0] += now[0] - self.last[0]
            total[1] += now[1] - self.last[1]
            for i in range(3):
                total[2 + i] += now[2][i] - self.last[2][i]
        self.last = now

    def figures(self) -> dict[str, dict[str, float]]:
        """phase -> wall s, service CPU s per s, machine idle share, stolen share."""
        return {phase: {"wall_s": t[0], "service_cpu": t[1] / max(t[0], 1e-9),
                        "machine_idle": t[3] / max(t[2], 1), "stolen": t[4] / max(t[2], 1)}
                for phase, t in self.totals.items()}


def phase_pattern(slices: int) -> list[str]:
    """idle, running, running, idle, idle, running, ...: each phase has as many early slices as late ones, so a
    drift of the machine over the run weighs on both alike."""
    return [("idle", "running", "running", "idle")[n % 4] for n in range(slices)]


async def rest_alternating(http: aiohttp.ClientSession, url: str, ctl: str, rate: float, seconds: float,
                           slice_s: float, tag: str) -> dict[str, Any]:
    """REST load offered at `rate` messages/s for 2 × `seconds`, the workers switched on and off every `slice_s`
    seconds (`phase_pattern`). A message counts as "running" when it was sent between the switch on being asked
    for and the switch off being answered (which waits for the pass in progress), else as "idle". Returns per
    phase (messages/s in steady state, p99 ms, failures, every latency in s), the passes' figures, and the probe's
    stalls while idle."""
    think = 1.0
    sent: list[tuple[float, float]] = []
    failures: list[str] = []
    slices = max(2, round(2 * seconds / slice_s))
    started = time.perf_counter()
    until = started + slices * slice_s
    residents = asyncio.gather(*(paced_resident(http, url, f"{tag}-{i}", think, until, [], failures, [], [], sent)
                                 for i in range(max(1, int(rate * think)))))
    windows: list[tuple[float, float]] = []  # (switched on, switched off) while the workers ran
    background = {"passes": 0.0, "syncs": 0.0, "stall_ms": 0.0, "held_ms": 0.0, "over_50ms": 0}
    idle_stall = {"stall_ms": 0.0, "over_50ms": 0, "held_ms": 0.0}
    async with http.get(f"{ctl}/memory") as resp:
        await resp.json()  # resets the probe
    clock = PhaseClock(http, ctl)
    await clock.mark("idle")
    boundaries = [machine_jiffies()]  # at each slice's start and the last one's end: the host's stolen time
    phase, on = "idle", started
    for n, wanted in enumerate([*phase_pattern(slices), "idle"]):
        if wanted != phase:
            if wanted == "running":
                await clock.mark("idle")
                async with http.get(f"{ctl}/memory") as resp:
                    probed = await resp.json()
                idle_stall = {"stall_ms": max(idle_stall["stall_ms"], probed["stall_ms"]),
                              "over_50ms": idle_stall["over_50ms"] + probed["over_50ms"],
                              "held_ms": max(idle_stall["held_ms"], probed["held_ms"])}
                on = time.perf_counter()
                async with http.post(f"{ctl}/workers/on") as resp:
                    await resp.json()
            else:
                async with http.post(f"{ctl}/workers/off") as resp:
                    passed = await resp.json()
                windows.append((on, time.perf_counter()))
                await clock.mark("running")  # the pass the switch off waited for counts as running
                async with http.get(f"{ctl}/memory") as resp:
                    over = (await resp.json())["over_50ms"]  # every stall over 50 ms in the slice, any cause
                background = {"passes": background["passes"] + passed["passes"],
                              "syncs": background["syncs"] + passed["syncs"],
                              "stall_ms": max(background["stall_ms"], passed["stall_ms"]),
                              "held_ms": max(background["held_ms"], passed["held_ms"]),
                              "over_50ms": background["over_50ms"] + over}
            phase = wanted
        if n < slices:
            await asyncio.sleep(max(0.0, started + (n + 1) * slice_s - time.perf_counter()))
            boundaries.append(machine_jiffies())
    await residents
    await clock.mark(phase)
    steady_from = started + think
    running_s = sum(max(0.0, end - max(begin, steady_from)) for begin, end in windows)
    idle_s = max(1e-9, until - steady_from - running_s)

    def running(at: float) -> bool:
        return any(begin <= at <= end for begin, end in windows)

    stolen = [(b[2] - a[2]) / max(b[0] - a[0], 1) for a, b in zip(boundaries, boundaries[1:], strict=False)]
    pattern = phase_pattern(slices)
    calm = {n for n, share in enumerate(stolen) if share < CALM_STOLEN}

    def slice_of(at: float) -> int:
        return min(slices - 1, max(0, int((at - started) / slice_s)))

    result: dict[str, Any] = {"background": background, "idle_stall": idle_stall, "slices": slices,
                              "clock": clock.figures(), "stolen": stolen,
                              "calm_slices": {name: (sum(1 for n in calm if pattern[n] == name), pattern.count(name))
                                              for name in ("idle", "running")}}
    for name, seconds_in in (("idle", idle_s), ("running", running_s)):
        latencies = [latency for at, latency in sent if running(at) == (name == "running")]
        steady = sum(1 for at, _ in sent if at >= steady_from and running(at) == (name == "running"))
        result[name] = (steady / max(seconds_in, 1e-9), percentiles(latencies)[1], len(failures), latencies)
        quiet = [latency for at, latency in sent if running(at) == (name == "running") and slice_of(at) in calm]
        result[f"{name}_calm"] = quiet
    return result


async def measure(store: Prepared, args: argparse.Namespace, lapor_url: str, round_no: int) -> dict[str, Any]:
    port, control = free_port(), free_port()
    data_dir = store.data_dir
    if store.tickets < 10_000:  # the small store starts from the same state each round
        data_dir = store.data_dir.with_name(f"{store.data_dir.name}-run")
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.copytree(store.data_dir, data_dir)
    env = {**os.environ, "WARGA_DATA_DIR": str(data_dir), "WARGA_PORT": str(port), "LOG_LEVEL": "WARNING",
           "NLU_MODEL_PATH": str(args.model), "DIGEST_TIME": "00:00", "LAPOR_BASE_URL": lapor_url,
           "LAPOR_TOKEN": TOKEN, "LAPOR_API_KEY": API_KEY, "LAPOR_SYNC_INTERVAL": "0",
           # every resident and officer here comes from 127.0.0.1 and asks hundreds of times a minute: lift the
           # per-address and per-sender limits (bench/abuse.py measures them)
           "WARGA_IP_MESSAGES_PER_MINUTE": "10000000", "WARGA_CONNECTIONS_PER_IP": "100000",
           "WARGA_MESSAGES_PER_MINUTE": "10000000", "WARGA_SESSION_SECRET": SESSION_SECRET}
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve", str(control)], cwd=ROOT,
                              env=env)
    url, ctl = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{control}"
    result: dict[str, Any] = {}
    try:
        await wait_healthy(url, server)
        result["startup_s"] = time.perf_counter() - started
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            for _ in range(50):  # the control port may come up a moment after the service
                try:
                    async with http.get(f"{ctl}/memory") as resp:
                        result["rss_start"] = (await resp.json())["rss"]
                        break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            result["commands"], result["command_cpu"] = await command_latencies(http, url, ctl, store, args.requests)
            async with http.post(f"{ctl}/pass") as resp:  # a first pass imports and caches what passes need
                await resp.json()
            passes = []
            for _ in range(3):
                async with http.post(f"{ctl}/pass") as resp:
                    passes.append(await resp.json())
            result["passes"] = passes
            for phase in ("idle", "running"):
                async with http.get(f"{ctl}/store", params={"phase": phase}) as resp:
                    await resp.json()  # resets the store's timings
            load = await rest_alternating(http, url, ctl, args.rate, args.seconds, args.slice, f"r{round_no}")
            stores = {}
            for phase in ("idle", "running"):
                async with http.get(f"{ctl}/store", params={"phase": phase}) as resp:
                    stores[phase] = await resp.json()
            idle_stall = load["idle_stall"]
            result["rest"] = {"idle": load["idle"], "busy": load["running"], "background": load["background"],
                              "idle_calm": load["idle_calm"], "busy_calm": load["running_calm"],
                              "calm_slices": load["calm_slices"], "stolen": load["stolen"],
                              "idle_stall_ms": (idle_stall["stall_ms"], idle_stall["over_50ms"],
                                                idle_stall["held_ms"]),
                              "store_idle": stores["idle"], "store_busy": stores["running"], "clock": load["clock"]}
            async with http.get(f"{ctl}/memory") as resp:
                memory = await resp.json()
            result["rss_end"], result["rss_peak"], result["gc_ms"] = memory["rss"], memory["peak"], memory["gc_ms"]
    finally:
        server.terminate()
        server.wait(timeout=60)
    return result


def pooled_p99(phases: list[Any]) -> float:
    """p99 ms of every request of these REST phases together."""
    return percentiles([latency for phase in phases for latency in phase[3]])[1]


def summarise(label: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    commands: dict[str, list[float]] = {}
    for run in runs:
        for name, values in run["commands"].items():
            commands.setdefault(name, []).extend(values)
    steps: dict[str, dict[str, float]] = {}
    for run in runs:
        for one in run["passes"]:
            for name, figures in one.items():
                step = steps.setdefault(name, {"seconds": 0.0, "loop_cpu_ms": 0.0, "stall_ms": 0.0, "held_ms": 0.0,
                                               "did": 0.0})
                for key in step:
                    step[key] = max(step[key], figures[key])
    idle = [run["rest"]["idle"] for run in runs]
    busy = [run["rest"]["busy"] for run in runs]
    return {
        "label": label,
        "startup_s": min(run["startup_s"] for run in runs),
        "rss_start": max(run["rss_start"] for run in runs),
        "rss_end": max(run["rss_end"] for run in runs),
        "gc_ms": max(run["gc_ms"] for run in runs),
        "commands": {name: percentiles(values)[:2] for name, values in commands.items()},
        "command_cpu": {name: sum(run["command_cpu"][name] for run in runs) / len(runs) for name in commands},
        "passes": steps,
        # p99 of every round's requests together (a round's own p99 is its 10th-slowest of 1,000: one stray
        # hiccup of the machine moves it), and the range of the rounds' own p99s beside it
        "rest_idle": (sum(r[0] for r in idle) / len(idle), pooled_p99(idle), sum(r[2] for r in idle),
                      min(r[1] for r in idle), max(r[1] for r in idle)),
        "rest_busy": (sum(r[0] for r in busy) / len(busy), pooled_p99(busy), sum(r[2] for r in busy),
                      min(r[1] for r in busy), max(r[1] for r in busy)),
        "calm": (percentiles([x for run in runs for x in run["rest"]["idle_calm"]] or [0.0])[1],
                 percentiles([x for run in runs for x in run["rest"]["busy_calm"]] or [0.0])[1],
                 sum(run["rest"]["calm_slices"]["idle"][0] for run in runs),
                 sum(run["rest"]["calm_slices"]["idle"][1] for run in runs),
                 sum(run["rest"]["calm_slices"]["running"][0] for run in runs),
                 sum(run["rest"]["calm_slices"]["running"][1] for run in runs)),
        "background": {"passes": sum(run["rest"]["background"]["passes"] for run in runs),
                       "syncs": sum(run["rest"]["background"].get("syncs", 0) for run in runs),
                       "stall_ms": max(run["rest"]["background"]["stall_ms"] for run in runs),
                       "held_ms": max(run["rest"]["background"]["held_ms"] for run in runs),
                       "over_50ms": sum(run["rest"]["background"]["over_50ms"] for run in runs)},
        "idle_stall_ms": max(run["rest"]["idle_stall_ms"][0] for run in runs),
        "idle_over_50ms": sum(run["rest"]["idle_stall_ms"][1] for run in runs),
        "idle_held_ms": max(run["rest"]["idle_stall_ms"][2] for run in runs),
    }


def table(small: dict[str, Any], big: dict[str, Any], info: str, args: argparse.Namespace) -> str:
    rows = [f"| measure | {small['label']} | {big['label']} | target |", "|---|---:|---:|---|"]

    def row(name: str, a: str, b: str, target: str) -> None:
        rows.append(f"| {name} | {a} | {b} | {target} |")

    for name in small["commands"]:
        a50, a99 = small["commands"][name]
        b50, b99 = big["commands"][name]
        a_cpu, b_cpu = small["command_cpu"][name], big["command_cpu"][name]
        row(f"`{name}` p50 / p99 ms (service CPU ms per request)", f"{a50:.1f} / {a99:.1f} ({a_cpu:.1f})",
            f"{b50:.1f} / {b99:.1f} ({b_cpu:.1f})",
            f"p99 ≤ 2× empty and < 20 ms: {'yes' if b99 <= max(2 * a99, 1.0) and b99 < 20 else 'NO'}")
    for key, label in (("rest_idle", "workers idle"), ("rest_busy", "workers running")):
        row(f"REST {args.rate:.0f} msg/s offered, {label}: msg/s, p99 ms of all rounds (rounds' own p99s)",
            f"{small[key][0]:.0f}, {small[key][1]:.1f} ({small[key][3]:.1f}-{small[key][4]:.1f})",
            f"{big[key][0]:.0f}, {big[key][1]:.1f} ({big[key][3]:.1f}-{big[key][4]:.1f})", "")
    for s in (small, big):
        s["p99_ratio"] = s["rest_busy"][1] / s["rest_idle"][1] if s["rest_idle"][1] else 0.0
    row("REST p99 workers running / idle", f"{small['p99_ratio']:.2f}", f"{big['p99_ratio']:.2f}",
        f"≤ 1.20: {'yes' if big['p99_ratio'] <= 1.2 else 'NO'}")

    def calm(s: dict[str, Any]) -> str:
        idle, busy, idle_kept, idle_all, busy_kept, busy_all = s["calm"]
        s["calm_ratio"] = busy / idle if idle else 0.0
        return (f"{s['calm_ratio']:.2f}: {busy:.1f} / {idle:.1f} ({busy_kept} of {busy_all} / "
                f"{idle_kept} of {idle_all})")

    row(f"the same over the slices in which the host stole < {CALM_STOLEN:.0%} of the CPU: ratio: running / idle "
        "p99 ms (slices kept running / idle)", calm(small), calm(big),
        f"≤ 1.20: {'yes' if big['calm_ratio'] <= 1.2 else 'NO'}")
    row("under REST load, workers idle: longest event-loop stall ms (stalls > 50 ms) / held by the loop ms",
        f"{small['idle_stall_ms']:.1f} ({small['idle_over_50ms']}) / {small['idle_held_ms']:.1f}",
        f"{big['idle_stall_ms']:.1f} ({big['idle_over_50ms']}) / {big['idle_held_ms']:.1f}", "")
    row(f"under REST load, deadline pass every {SLA_EVERY:.0f} s, LAPOR! sync every {SYNC_EVERY:.1f} s: passes / syncs "
        "run, longest stall in one ms / held by the loop ms (stalls > 50 ms, any cause)",
        f"{small['background']['passes']:.0f} / {small['background']['syncs']:.0f}, "
        f"{small['background']['stall_ms']:.1f} / {small['background']['held_ms']:.1f} "
        f"({small['background']['over_50ms']})",
        f"{big['background']['passes']:.0f} / {big['background']['syncs']:.0f}, "
        f"{big['background']['stall_ms']:.1f} / {big['background']['held_ms']:.1f} ({big['background']['over_50ms']})",
        f"stall ≤ 50 ms: {'yes' if big['background']['stall_ms'] <= 50 else 'NO'}; held ≤ 50 ms: "
        f"{'yes' if big['background']['held_ms'] <= 50 else 'NO'}")
    for name in big["passes"]:
        a, b = small["passes"][name], big["passes"][name]
        row(f"one pass: {name} (items), s (ms per item) [event loop's CPU ms] / longest stall ms / held by the "
            "loop ms",
            f"({a['did']:.0f}) {a['seconds']:.3f} ({a['seconds'] * 1000 / max(a['did'], 1):.1f}) "
            f"[{a['loop_cpu_ms']:.0f}] / {a['stall_ms']:.1f} / {a['held_ms']:.1f}",
            f"({b['did']:.0f}) {b['seconds']:.3f} ({b['seconds'] * 1000 / max(b['did'], 1):.1f}) "
            f"[{b['loop_cpu_ms']:.0f}] / {b['stall_ms']:.1f} / {b['held_ms']:.1f}",
            f"< 1 s, stall ≤ 50 ms: {'yes' if b['seconds'] < 1 and b['stall_ms'] <= 50 else 'NO'}; held ≤ 50 ms: "
            f"{'yes' if b['held_ms'] <= 50 else 'NO'}")
    row("longest garbage collection in the service, ms", f"{small['gc_ms']:.1f}", f"{big['gc_ms']:.1f}", "")
    row("start-up s", f"{small['startup_s']:.2f}", f"{big['startup_s']:.2f}", "")
    row("memory MB after start / after the run", f"{small['rss_start']:.0f} / {small['rss_end']:.0f}",
        f"{big['rss_start']:.0f} / {big['rss_end']:.0f}",
        f"growth < 20 MB: {'yes' if big['rss_end'] - small['rss_end'] < 20 else 'NO'} "
        f"({big['rss_end'] - small['rss_end']:+.0f})")
    return info + "\n\n" + "\n".join(rows)


def store_table(runs: dict[str, list[dict[str, Any]]]) -> str:
    """Where the service's REST requests spent their time, per store, round and phase (see StoreTimer)."""
    rows = ["| store, round, workers | REST server-side p50 / p99 ms | slowest 1%: ms in all / waiting for the "
            "store's thread / running there / back onto the loop / the rest (the loop), store calls | per request, "
            "all / slowest 1%: background calls run while its calls waited (their store-thread CPU ms) | the same, "
            "other residents' calls | store thread CPU s: residents / passes / the benchmark's seeding / other | "
            "service CPU s per s / machine idle % / stolen % (by the host) |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for label, label_runs in runs.items():
        for n, run in enumerate(label_runs, 1):
            for phase in ("idle", "busy"):
                figures = run["rest"].get(f"store_{phase}")
                if not figures or not figures.get("turns"):
                    continue
                mean, tail, callers = figures["mean"], figures["tail"], figures["callers"]
                rest = tail["total"] - tail["wait"] - tail["run"] - tail["back"]
                cpu = " / ".join(f"{callers.get(c, {}).get('cpu_s', 0.0):.2f}"
                                 for c in ("resident", "pass", "seed", "other"))
                clock = run["rest"].get("clock", {}).get("running" if phase == "busy" else "idle")
                machine = (f"{clock['service_cpu']:.2f} / {clock['machine_idle'] * 100:.0f} / "
                           f"{clock['stolen'] * 100:.1f}" if clock else "")
                rows.append(
                    f"| {label}, {n}, {'running' if phase == 'busy' else 'idle'} | {figures['p50_ms']:.1f} / "
                    f"{figures['p99_ms']:.1f} | {tail['total']:.1f} / {tail['wait']:.1f} / {tail['run']:.1f} / "
                    f"{tail['back']:.1f} / {rest:.1f}, {tail['calls']:.0f} | "
                    f"{mean['bg_ahead']:.2f} ({mean['bg_ahead_cpu']:.2f}) / {tail['bg_ahead']:.1f} "
                    f"({tail['bg_ahead_cpu']:.1f}) | {mean['res_ahead']:.2f} ({mean['res_ahead_cpu']:.2f}) / "
                    f"{tail['res_ahead']:.1f} ({tail['res_ahead_cpu']:.1f}) | {cpu} | {machine} |")
    rows.append("\nThe store thread's CPU by caller and store call (the last round of each store, workers running): "
                "caller method calls ms")
    for label, label_runs in runs.items():
        top = label_runs[-1]["rest"].get("store_busy", {}).get("top", [])
        rows.append(f"- {label}: " + "; ".join(f"{c} {m} {n:.0f} {ms:.0f}" for c, m, n, ms in top))
    return "\n".join(rows)


async def ensure_model(model: Path, small: Prepared) -> None:
    """Train the NLU model once (a first start without one trains it), so no measured start does."""
    if model.exists():
        return
    print("training the NLU model once ...", flush=True)
    port = free_port()
    env = {**os.environ, "WARGA_DATA_DIR": str(small.data_dir.with_name("train")), "WARGA_PORT": str(port),
           "NLU_MODEL_PATH": str(model), "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env)
    try:
        await wait_healthy(f"http://127.0.0.1:{port}", server, timeout=600)
    finally:
        server.terminate()
        server.wait(timeout=60)


async def fake_lapor(ids_file: str) -> None:
    """The fake LAPOR! in a process of its own (prints its URL): answering a sync's 600 requests in the load
    generator's process would delay the residents' answers there and count against the service. It runs at the
    lowest CPU priority: the real LAPOR! answers from its own servers and costs the service's machine nothing,
    while on these 2 cores the fake's CPU would be taken from the service and the residents it serves."""
    from tests.fakes.lapor import Complaint, FakeLapor

    os.nice(19)

    async with FakeLapor(token=TOKEN, api_key=API_KEY, seed=11) as lapor:
        for n, lapor_id in enumerate(json.loads(Path(ids_file).read_text())):
            # as the seeded tickets last read it, except one in fifty that LAPOR! has finished since
            lapor.complaints[lapor_id] = Complaint(id=lapor_id, fields={},
                                                   status="Selesai" if n % 50 == 0 else "Dalam Proses")
        print(lapor.url, flush=True)
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()


async def run(args: argparse.Namespace) -> None:
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="warga-growth-"))
    # the small store holds only recent tickets, so its queue fills a page and its resident has a history too
    small = await prepare("near-empty (300 tickets)", base / "small", 300, 0, 0, days=20)
    big = await prepare(f"{args.tickets:,} tickets", base / "big", args.tickets, args.messages, args.jobs,
                        days=3 * 365)
    seeded = json.loads((big.data_dir / "seeded.json").read_text())
    args.model = base / "nlu-model.pkl"
    await ensure_model(args.model, small)
    runs: dict[str, list[dict[str, Any]]] = {small.label: [], big.label: []}
    queries = {s.label: await store_queries(s) for s in (small, big)}
    ids_file = base / "lapor-ids.json"
    ids_file.write_text(json.dumps(sorted(set(small.lapor_ids) | set(big.lapor_ids))))
    lapor = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--fake-lapor", str(ids_file)],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert lapor.stdout is not None
        lapor_url = (await asyncio.to_thread(lapor.stdout.readline)).strip()
        for round_no in range(args.rounds):
            order = (small, big) if round_no % 2 == 0 else (big, small)
            for store in order:
                print(f"round {round_no + 1}: {store.label} ...", flush=True)
                runs[store.label].append(await measure(store, args, lapor_url, round_no))
    finally:
        lapor.terminate()
        lapor.wait(timeout=60)
    info = (f"growth benchmark, machine: {os.cpu_count()} cores, load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, python {sys.version.split()[0]}, SQLite "
            f"{sqlite3.sqlite_version}; big store: {seeded['tickets']:,} tickets ({seeded['open']:,} open, "
            f"{seeded['busiest_open']:,} in the busiest OPD), {seeded['events']:,} events, "
            f"{seeded['messages']:,} messages, {seeded['jobs']:,} jobs, "
            f"{(big.data_dir / 'warga.sqlite3').stat().st_size / 2**30:.2f} GB; {args.rounds} rounds interleaved, "
            f"{args.requests} requests per command per round, REST load {args.seconds:.0f} s per phase and round, "
            f"in {args.slice:.0f} s slices: {', '.join(phase_pattern(4))}, ...")
    report = table(summarise(small.label, runs[small.label]), summarise(big.label, runs[big.label]), info, args)
    report += "\n\nStore queries alone (median ms of 21, in the benchmark's process):\n\n" + "\n".join(
        [f"| query | {small.label} | {big.label} |", "|---|---:|---:|"]
        + [f"| {name} | {queries[small.label][name]:.2f} | {queries[big.label][name]:.2f} |"
           for name in queries[small.label]])
    report += ("\n\nWhere the service's REST requests spent their time (measured inside the service; the client's "
               "p99 above adds the benchmark's own process):\n\n" + store_table(runs))
    print(report)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "growth.txt").write_text(report + "\n", encoding="utf-8")
    (out / "growth.json").write_text(json.dumps(runs, indent=1, default=str), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", type=int, metavar="CONTROL_PORT", help=argparse.SUPPRESS)
    parser.add_argument("--fake-lapor", metavar="IDS_FILE", help=argparse.SUPPRESS)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--rate", type=float, default=250.0, help="offered REST messages/s")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each REST load phase per round")
    parser.add_argument("--slice", type=float, default=5.0,
                        help="seconds between switching the workers on and off under REST load")
    parser.add_argument("--requests", type=int, default=150, help="requests per command per round")
    parser.add_argument("--keep", help="keep (and reuse) the seeded stores in this directory")
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
    elif args.fake_lapor:
        asyncio.run(fake_lapor(args.fake_lapor))
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
