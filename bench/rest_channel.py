"""Benchmark: concurrent residents through the web chat's REST channel on the embedded defaults.

Starts the real service (`python -m bot run`, SQLite, built-in NLU) in its own process on
127.0.0.1 and drives residents through a whole conversation (greeting, a question, a complaint to
its ticket number), in two phases:

1. capacity: `--residents` residents send as fast as the service answers (closed loop) -> the most
   messages/s one process serves;
2. load: `--rate` messages/s offered by residents who pause `--think` seconds between messages, as
   people do (open loop, for `--seconds`) -> latency p50/p99 at that load.

Prints messages/s, p50/p99 latency and lost messages/tickets (answers missing, tickets not stored);
writes the figures to bench/results/rest_channel.txt.

    .venv/bin/python bench/rest_channel.py [--residents 50] [--rounds 3] [--rate 500] [--seconds 12]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from service_process import free_port, wait_healthy  # noqa: E402 - bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
TICKET = re.compile(r"WRG-\d{4}-\d{4}")
SCRIPT = [
    "halo",
    "syarat bikin ktp el apa saja?",
    "jalan di desa Sooko rusak parah banyak lubang, sudah dua bulan",
    "ya",
    "Desa Sooko RT 01 RW 03",
    "lewati",
    "privasi:publik",
    "kirim",
]




async def resident(http: aiohttp.ClientSession, url: str, name: str, rounds: int,
                   latencies: list[float], failures: list[str], tickets: list[str]) -> None:
    for _ in range(rounds):
        for text in SCRIPT:
            await resident_step(http, url, name, text, latencies, failures, tickets)


async def paced_resident(http: aiohttp.ClientSession, url: str, name: str, think: float, until: float,
                         latencies: list[float], failures: list[str], tickets: list[str],
                         sent_at: list[float], timed: list[tuple[float, float]] | None = None) -> None:
    """A person: one message, wait for the answer, pause `think` seconds, next message. `timed`, if given, gets
    each message's (time sent, latency), for a benchmark that counts a message in the phase it was sent in."""
    await asyncio.sleep(random.uniform(0, think))
    while time.perf_counter() < until:
        for text in SCRIPT:
            if time.perf_counter() >= until:
                return
            before = len(latencies)
            sent_at.append(time.perf_counter())
            await resident_step(http, url, name, text, latencies, failures, tickets)
            spent = latencies[-1] if len(latencies) > before else 0.0
            if timed is not None:
                timed.append((sent_at[-1], spent))
            await asyncio.sleep(max(0.0, think - spent))


SESSIONS: dict[str, str] = {}  # resident name -> the session the server issued (clients cannot choose a sender)


async def session_headers(http: aiohttp.ClientSession, url: str, name: str) -> dict[str, str]:
    if name not in SESSIONS:
        async with http.get(f"{url}/webhooks/rest/session") as resp:
            SESSIONS[name] = resp.cookies["warga_session"].value
    return {"Authorization": f"Bearer {SESSIONS[name]}"}


async def resident_step(http: aiohttp.ClientSession, url: str, name: str, text: str,
                        latencies: list[float], failures: list[str], tickets: list[str]) -> None:
    headers = await session_headers(http, url, name)
    started = time.perf_counter()
    try:
        async with http.post(f"{url}/webhooks/rest/webhook", json={"message": text}, headers=headers) as resp:
            body = await resp.json()
            ok = resp.status == 200 and bool(body)
    except (TimeoutError, aiohttp.ClientError) as exc:
        ok, body = False, str(exc)
    latencies.append(time.perf_counter() - started)
    if not ok:
        failures.append(f"{name}: {text!r} -> {body!r}")
    elif text == "kirim":
        match = TICKET.search(" ".join(r.get("text", "") for r in body))
        if match:
            tickets.append(match.group(0))
        else:
            failures.append(f"{name}: no ticket number in {body!r}")


def percentiles(latencies: list[float]) -> tuple[float, float, float]:
    ordered = sorted(latencies)
    return (statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
            ordered[-1] * 1000)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rate", type=float, default=520.0, help="offered messages/s in the load phase")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a resident pauses between messages")
    parser.add_argument("--seconds", type=float, default=12.0, help="length of the load phase")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="warga-bench-"))
    port = free_port()
    env = {**os.environ, "WARGA_DATA_DIR": str(data_dir), "WARGA_PORT": str(port), "LOG_LEVEL": "WARNING",
           # every resident here comes from 127.0.0.1: lift the per-address limits (bench/abuse.py measures them)
           "WARGA_IP_MESSAGES_PER_MINUTE": "10000000", "WARGA_CONNECTIONS_PER_IP": "100000"}
    if (ROOT / "var" / "nlu-model.pkl").exists():
        env.setdefault("NLU_MODEL_PATH", str(ROOT / "var" / "nlu-model.pkl"))
    server = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_healthy(url)
        connector = aiohttp.TCPConnector(limit=0)  # no client-side queue: measure the service, not the pool
        async with aiohttp.ClientSession(connector=connector) as http:
            warm: list[float] = []
            await asyncio.gather(*(resident(http, url, f"warmup-{i}", 1, warm, [], [])
                                   for i in range(args.warmup)))
            latencies: list[float] = []
            failures: list[str] = []
            tickets: list[str] = []
            started = time.perf_counter()
            await asyncio.gather(*(resident(http, url, f"resident-{i}", args.rounds, latencies, failures, tickets)
                                   for i in range(args.residents)))
            elapsed = time.perf_counter() - started

            # Load phase: people with think time, offering about `rate` messages/s.
            paced = max(1, int(args.rate * args.think))
            load_latencies: list[float] = []
            load_failures: list[str] = []
            load_tickets: list[str] = []
            sent_at: list[float] = []
            load_started = time.perf_counter()
            until = load_started + args.seconds
            await asyncio.gather(*(paced_resident(http, url, f"paced-{i}", args.think, until, load_latencies,
                                                  load_failures, load_tickets, sent_at) for i in range(paced)))
            load_elapsed = time.perf_counter() - load_started
            # Steady state: after every resident has started (one think time), until the end.
            steady = sum(1 for t in sent_at if t >= load_started + args.think) / (args.seconds - args.think)
    finally:
        server.terminate()
        server.wait(timeout=30)

    with sqlite3.connect(data_dir / "warga.sqlite3") as db:
        stored = {row[0] for row in db.execute("SELECT number FROM tickets")}
    expected = args.residents * args.rounds
    lost_tickets = len(set(tickets) - stored) + (expected - len(tickets)) + len(set(load_tickets) - stored)
    p50, p99, worst = percentiles(latencies)
    l50, l99, lworst = percentiles(load_latencies)
    lines = [
        f"REST channel benchmark, machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, "
        "SQLite + built-in NLU, one service process",
        f"capacity: {args.residents} residents x {args.rounds} rounds x {len(SCRIPT)} messages, no pauses: "
        f"{len(latencies)} messages in {elapsed:.2f} s = {len(latencies) / elapsed:.0f} messages/s, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms",
        f"load: {paced} residents pausing {args.think:.1f} s, {len(load_latencies)} messages in {load_elapsed:.1f} s "
        f"({steady:.0f} messages/s in steady state), p50 {l50:.1f} ms, p99 {l99:.1f} ms, max {lworst:.1f} ms",
        f"tickets: {len(tickets) + len(load_tickets)} filed and answered, all {len(set(tickets) | set(load_tickets))} "
        f"distinct numbers stored: {not (set(tickets) | set(load_tickets)) - stored}",
        f"lost messages: {len(failures) + len(load_failures)}, lost tickets: {lost_tickets}",
    ]
    failures += load_failures
    report = "\n".join(lines)
    print(report)
    for failure in failures[:5]:
        print("  failure:", failure)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "rest_channel.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
