"""Benchmark: one client tries to wear the service down; does a normal resident notice?

Starts the real service (`python -m bot run`, default limits, SQLite, built-in NLU) in its own process
on 127.0.0.1. Normal residents chat all the time: `--rate` messages/s spread over residents with their
own sessions and their own loopback addresses (127.0.1.x). One attacker, in a process of its own and from
another loopback address (127.0.0.2), then floods the service, one flood at a time, each bounded in
count and time:

1. streams: `--streams` attempts to open event streams (fresh sessions each), held open;
2. idle connections: `--idle` TCP connections that send half a request header and then nothing;
3. messages: `--messages` chat messages as fast as the service answers, `--concurrency` at once.

Prints, per phase, the normal resident's p50/p99/max latency and errors, what the attacker got (accepted,
refused, closed), and the service's memory (RSS) at the start, after each flood and at the end;
writes the figures to bench/results/abuse.txt. Targets: p99 under 250 ms during every flood, memory back
within 10% of the start.

    .venv/bin/python bench/abuse.py [--seconds 8] [--streams 3000] [--idle 3000] [--messages 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp
from service_process import free_port, wait_healthy  # noqa: E402 - bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
ATTACKER = "127.0.0.2"
QUESTIONS = ["halo", "syarat bikin ktp el apa saja?", "jam buka kantor dukcapil", "terima kasih"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Resident:
    """Normal residents: `rate` messages/s, each from one of `people` sessions (under the per-sender limit)."""

    def __init__(self, url: str, rate: float, people: int) -> None:
        self.url = url
        self.rate = rate
        self.people = people
        self.clients: list[tuple[aiohttp.ClientSession, str]] = []
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()

    async def sessions(self) -> None:
        """Each person: an own loopback address (residents are many people, not one client) and session."""
        for n in range(self.people):
            connector = aiohttp.TCPConnector(local_addr=(f"127.0.1.{n + 1}", 0))
            http = aiohttp.ClientSession(connector=connector)
            async with http.get(f"{self.url}/webhooks/rest/session") as resp:
                self.clients.append((http, resp.cookies["warga_session"].value))

    async def close(self) -> None:
        for http, _ in self.clients:
            await http.close()

    async def run(self, seconds: float) -> tuple[list[float], Counter[str]]:
        self.latencies, self.errors = [], Counter()
        tasks: set[asyncio.Task[None]] = set()
        interval = 1.0 / self.rate
        start = time.perf_counter()
        i = 0
        while (now := time.perf_counter()) - start < seconds:
            task = asyncio.create_task(self._one(i))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            i += 1
            await asyncio.sleep(max(0.0, start + i * interval - now))
        if tasks:
            await asyncio.wait(tasks, timeout=30)
        return self.latencies, self.errors

    async def _one(self, i: int) -> None:
        http, token = self.clients[i % len(self.clients)]
        started = time.perf_counter()
        try:
            async with http.post(f"{self.url}/webhooks/rest/webhook", json={"message": QUESTIONS[i % len(QUESTIONS)]},
                                 headers={"Authorization": f"Bearer {token}"},
                                 timeout=aiohttp.ClientTimeout(total=20)) as resp:
                body = await resp.json()
                if resp.status != 200 or not body:
                    self.errors[f"status {resp.status}"] += 1
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.errors[type(exc).__name__] += 1
        self.latencies.append(time.perf_counter() - started)


async def flood_streams(url: str, count: int, stop: asyncio.Event) -> Counter[str]:
    """Open up to `count` streams, each with a fresh session, and hold the accepted ones until `stop`."""
    outcome: Counter[str] = Counter()
    connector = aiohttp.TCPConnector(limit=0, local_addr=(ATTACKER, 0))
    async with aiohttp.ClientSession(connector=connector) as http, contextlib.AsyncExitStack() as held:
        semaphore = asyncio.Semaphore(200)

        async def one() -> None:
            async with semaphore:
                try:
                    async with http.get(f"{url}/webhooks/rest/session") as resp:
                        token = resp.cookies["warga_session"].value
                    resp = await http.get(f"{url}/webhooks/rest/stream", headers={"Authorization": f"Bearer {token}"})
                except aiohttp.ClientError as exc:
                    outcome[type(exc).__name__] += 1
                    return
                except KeyError:  # no cookie: the session request itself was refused (429, or 503 at the cap)
                    outcome["session refused"] += 1
                    return
                outcome[f"stream {resp.status}"] += 1
                if resp.status == 200:
                    await held.enter_async_context(resp)
                else:
                    resp.release()

        await asyncio.gather(*(one() for _ in range(count)))
        await stop.wait()
    return outcome


async def flood_idle(url: str, count: int, stop: asyncio.Event) -> Counter[str]:
    """Open up to `count` connections that start a request header and never finish it."""
    host, port = url.removeprefix("http://").split(":")
    outcome: Counter[str] = Counter()
    writers: list[asyncio.StreamWriter] = []
    readers: list[asyncio.StreamReader] = []
    for _ in range(count):
        try:
            reader, writer = await asyncio.open_connection(host, int(port), local_addr=(ATTACKER, 0))
        except OSError as exc:
            outcome[type(exc).__name__] += 1
            continue
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        writers.append(writer)
        readers.append(reader)
    await stop.wait()
    for reader in readers:
        if reader.at_eof() or reader._buffer.startswith(b"HTTP/1.1 503"):  # type: ignore[attr-defined]
            outcome["refused or closed by the server"] += 1
        else:
            outcome["still open"] += 1
    for writer in writers:
        writer.close()
    return outcome


async def flood_messages(url: str, count: int, concurrency: int, stop: asyncio.Event) -> Counter[str]:
    """Send up to `count` messages from one session as fast as the service answers (until `stop`)."""
    outcome: Counter[str] = Counter()
    connector = aiohttp.TCPConnector(limit=concurrency, local_addr=(ATTACKER, 0))
    async with aiohttp.ClientSession(connector=connector) as http:
        async with http.get(f"{url}/webhooks/rest/session") as resp:
            token = resp.cookies["warga_session"].value
        sent = 0

        async def worker() -> None:
            nonlocal sent
            while sent < count and not stop.is_set():
                sent += 1
                try:
                    async with http.post(f"{url}/webhooks/rest/webhook", json={"message": "x" * 3000},
                                         headers={"Authorization": f"Bearer {token}"}) as resp:
                        await resp.read()
                        outcome[f"message {resp.status}"] += 1
                except aiohttp.ClientError as exc:
                    outcome[type(exc).__name__] += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcome


FLOODS = {"streams": flood_streams, "idle": flood_idle, "messages": flood_messages}


async def attack(kind: str, url: str, count: int, concurrency: int, seconds: float) -> None:
    """Child process: run one flood for `seconds`, print what the attacker got as JSON."""
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, stop.set)
    if kind == "messages":
        outcome = await flood_messages(url, count, concurrency, stop)
    else:
        outcome = await FLOODS[kind](url, count, stop)  # type: ignore[operator]
    print(json.dumps(dict(outcome)), flush=True)


def summary(latencies: list[float], errors: Counter[str]) -> tuple[str, float]:
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000
    text = (f"{len(ordered):5d} req  p50 {statistics.median(ordered) * 1000:7.1f} ms  p99 {p99:7.1f} ms  "
            f"max {ordered[-1] * 1000:7.1f} ms  errors {dict(errors) or 0}")
    return text, p99


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each phase")
    parser.add_argument("--rate", type=float, default=20.0, help="normal resident messages/s")
    parser.add_argument("--streams", type=int, default=3000)
    parser.add_argument("--idle", type=int, default=3000)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--attack", choices=sorted(FLOODS), help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attack:
        count = {"streams": args.streams, "idle": args.idle, "messages": args.messages}[args.attack]
        await attack(args.attack, args.url, count, args.concurrency, args.seconds + 1.5)
        return

    data_dir = Path(tempfile.mkdtemp(prefix="warga-abuse-"))
    port = free_port()
    env = {**os.environ, "WARGA_DATA_DIR": str(data_dir), "WARGA_PORT": str(port), "LOG_LEVEL": "WARNING"}
    if (ROOT / "var" / "nlu-model.pkl").exists():
        env.setdefault("NLU_MODEL_PATH", str(ROOT / "var" / "nlu-model.pkl"))
    server = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    verdicts: list[str] = []
    try:
        await wait_healthy(url)
        resident = Resident(url, args.rate, people=int(args.rate * args.seconds * 5 / 15) + 10)
        await resident.sessions()
        try:
            await resident.run(3.0)  # warm-up: model, caches, first writes
            await asyncio.sleep(1.0)
            memory_start = rss_mb(server.pid)
            say(f"service pid {server.pid}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
                f"residents {args.rate:.0f} msg/s from 127.0.1.x; attacker "
                f"{ATTACKER}; phases of {args.seconds:.0f} s; default limits")
            say(f"memory at start: {memory_start:.1f} MB")
            text, _ = summary(*await resident.run(args.seconds))
            say(f"{'before any flood':28s} {text}")

            floods = [("streams", f"{args.streams} streams"), ("idle", f"{args.idle} idle connections"),
                      ("messages", f"{args.messages} messages")]
            for kind, name in floods:
                attacker = await asyncio.create_subprocess_exec(
                    sys.executable, __file__, "--attack", kind, "--url", url, "--seconds", str(args.seconds),
                    "--streams", str(args.streams), "--idle", str(args.idle), "--messages", str(args.messages),
                    "--concurrency", str(args.concurrency), stdout=asyncio.subprocess.PIPE)
                await asyncio.sleep(1.0)  # the flood is on
                text, p99 = summary(*await resident.run(args.seconds))
                out, _ = await attacker.communicate()
                say(f"{'during ' + name:28s} {text}")
                say(f"{'':28s} attacker got {out.decode().strip()}")
                verdicts.append(f"{name}: p99 {p99:.0f} ms {'OK' if p99 < 250 else 'OVER 250 ms'}")
                await asyncio.sleep(2.0)
                say(f"{'':28s} memory after: {rss_mb(server.pid):.1f} MB")
            await asyncio.sleep(3.0)
            text, _ = summary(*await resident.run(args.seconds))
            say(f"{'after every flood':28s} {text}")
        finally:
            await resident.close()
        memory_end = rss_mb(server.pid)
        change = (memory_end - memory_start) / memory_start * 100
        say(f"memory at end: {memory_end:.1f} MB ({change:+.1f}% of the start; target within 10%)")
        for verdict in verdicts:
            say(verdict)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "abuse.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
