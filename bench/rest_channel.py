"""Benchmark: N concurrent residents through the web chat's REST channel on the embedded defaults.

Starts the real service (`python -m bot run`, SQLite, built-in NLU) in its own process on
127.0.0.1, drives N residents concurrently (each: greeting, a question, a whole complaint), and
prints messages/s, p50/p99 latency and how many messages or tickets were lost. Writes the figures
to bench/results/rest_channel.txt.

    .venv/bin/python bench/rest_channel.py [--residents 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_healthy(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(f"{url}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("service did not become healthy")


async def resident(http: aiohttp.ClientSession, url: str, name: str, rounds: int,
                   latencies: list[float], failures: list[str], tickets: list[str]) -> None:
    for _ in range(rounds):
        for text in SCRIPT:
            started = time.perf_counter()
            try:
                async with http.post(f"{url}/webhooks/rest/webhook", json={"sender": name, "message": text}) as resp:
                    body = await resp.json()
                    ok = resp.status == 200 and bool(body)
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                ok, body = False, str(exc)
            latencies.append(time.perf_counter() - started)
            if not ok:
                failures.append(f"{name}: {text!r} -> {body!r}")
                continue
            if text == "kirim":
                match = TICKET.search(" ".join(r.get("text", "") for r in body))
                if match:
                    tickets.append(match.group(0))
                else:
                    failures.append(f"{name}: no ticket number in {body!r}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="warga-bench-"))
    port = free_port()
    env = {**os.environ, "WARGA_DATA_DIR": str(data_dir), "WARGA_PORT": str(port), "LOG_LEVEL": "WARNING"}
    if (ROOT / "var" / "nlu-model.pkl").exists():
        env.setdefault("NLU_MODEL_PATH", str(ROOT / "var" / "nlu-model.pkl"))
    server = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_healthy(url)
        connector = aiohttp.TCPConnector(limit=args.residents)
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
    finally:
        server.terminate()
        server.wait(timeout=30)

    with sqlite3.connect(data_dir / "warga.sqlite3") as db:
        stored = {row[0] for row in db.execute("SELECT number FROM tickets")}
    expected = args.residents * args.rounds
    lost_tickets = len(set(tickets) - stored) + (expected - len(tickets))
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    lines = [
        f"REST channel benchmark ({args.residents} concurrent residents x {args.rounds} rounds x {len(SCRIPT)} messages)",
        f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, SQLite + built-in NLU",
        f"messages: {len(latencies)} in {elapsed:.2f} s = {len(latencies) / elapsed:.0f} messages/s",
        f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {latencies[-1] * 1000:.1f} ms",
        f"tickets: {len(tickets)} filed, {len(stored)} stored, {len(set(tickets))} distinct",
        f"lost messages: {len(failures)}, lost tickets: {lost_tickets}",
    ]
    report = "\n".join(lines)
    print(report)
    for failure in failures[:5]:
        print("  failure:", failure)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "rest_channel.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
