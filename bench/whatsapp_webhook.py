"""Benchmark: signed WhatsApp webhook deliveries through the real service to a fake Graph API.

Starts the fake Graph API (tests/fakes/graph_api.py) in this process and the real service
(`python -m bot run`, SQLite, built-in NLU) in its own process on 127.0.0.1 with
WHATSAPP_GRAPH_URL pointing at the fake. N residents write concurrently, each M messages one
after another (the next when the bot's answer reached the fake). Prints deliveries/s, p50/p99
from the webhook POST to the fake recording the answer, and how many deliveries were lost
(no answer within the timeout). Writes the figures to bench/results/whatsapp.txt.

    .venv/bin/python bench/whatsapp_webhook.py [--residents 200] [--messages 5]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service_process import free_port, wait_healthy  # noqa: E402 - bench/ is on sys.path when run as a script

from bot.channels.whatsapp import signature_of  # noqa: E402
from tests.fakes.graph_api import FakeGraphApi, Sent  # noqa: E402

TOKEN = "bench-token"
SECRET = "bench-app-secret"
PHONE_ID = "1234567890"
# Each of these is answered with exactly one WhatsApp message, so answers map to deliveries.
SCRIPT = ["halo", "selamat pagi", "menu", "halo admin", "permisi"]
TEMPLATE = json.loads((ROOT / "tests" / "payloads" / "whatsapp" / "text.json").read_text(encoding="utf-8"))



def delivery(sender: str, wamid: str, text: str) -> bytes:
    body = copy.deepcopy(TEMPLATE)
    value = body["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = sender
    message = value["messages"][0]
    message.update({"from": sender, "id": wamid, "timestamp": str(int(time.time()))})
    message["text"]["body"] = text
    return json.dumps(body).encode()


class Arrivals:
    """Answers the fake recorded, per resident, with a wake-up for whoever waits for them."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.waiters: dict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def __call__(self, sent: Sent) -> None:
        self.times[sent.to].append(time.perf_counter())
        self.waiters[sent.to].set()

    async def nth(self, to: str, n: int, timeout: float) -> float | None:
        deadline = time.perf_counter() + timeout
        while len(self.times[to]) < n:
            event = self.waiters[to]
            event.clear()
            if len(self.times[to]) >= n:
                break
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return None
        return self.times[to][n - 1]


async def resident(http: aiohttp.ClientSession, url: str, number: str, messages: int, arrivals: Arrivals,
                   latencies: list[float], lost: list[str], timeout: float) -> None:
    for index in range(messages):
        text = SCRIPT[index % len(SCRIPT)]
        raw = delivery(number, f"wamid.BENCH{number}{index:03d}", text)
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature_of(SECRET, raw)}
        started = time.perf_counter()
        try:
            async with http.post(f"{url}/webhooks/whatsapp", data=raw, headers=headers) as resp:
                ok = resp.status == 200
        except (TimeoutError, aiohttp.ClientError):
            ok = False
        arrived = await arrivals.nth(number, index + 1, timeout) if ok else None
        if arrived is None:
            lost.append(f"{number}#{index}")
            return
        latencies.append(arrived - started)



async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    arrivals = Arrivals()
    async with FakeGraphApi(token=TOKEN, phone_number_id=PHONE_ID, on_sent=[arrivals]) as graph:
        data_dir = Path(tempfile.mkdtemp(prefix="warga-bench-wa-"))
        port = free_port()
        env = {**os.environ, "WARGA_DATA_DIR": str(data_dir), "WARGA_PORT": str(port), "LOG_LEVEL": "WARNING",
               "WHATSAPP_TOKEN": TOKEN, "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID, "WHATSAPP_APP_SECRET": SECRET,
               "WHATSAPP_VERIFY_TOKEN": "bench", "WHATSAPP_GRAPH_URL": graph.url,
               "WHATSAPP_TEMPLATE_NAME": "warga_balasan"}
        if (ROOT / "var" / "nlu-model.pkl").exists():
            env.setdefault("NLU_MODEL_PATH", str(ROOT / "var" / "nlu-model.pkl"))
        server = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            await wait_healthy(url, server)
            connector = aiohttp.TCPConnector(limit=args.residents)
            async with aiohttp.ClientSession(connector=connector) as http:
                await asyncio.gather(*(resident(http, url, f"62899000{i:05d}", 1, arrivals, [], [], args.timeout)
                                       for i in range(args.warmup)))
                latencies: list[float] = []
                lost: list[str] = []
                started = time.perf_counter()
                await asyncio.gather(*(resident(http, url, f"62812{i:07d}", args.messages, arrivals, latencies, lost,
                                                args.timeout) for i in range(args.residents)))
                elapsed = time.perf_counter() - started
            await asyncio.sleep(0.5)  # let stragglers arrive so extra answers would be counted
        finally:
            server.terminate()
            server.wait(timeout=30)
        answered = sum(len(graph.sent_to(f"62812{i:07d}")) for i in range(args.residents))

    expected = args.residents * args.messages
    lost_count = expected - len(latencies)
    latencies.sort()
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else float("nan")
    worst = latencies[-1] * 1000 if latencies else 0.0
    lines = [
        f"WhatsApp webhook benchmark ({args.residents} concurrent residents x {args.messages} messages, "
        "signed deliveries)",
        f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, SQLite + built-in NLU, "
        "fake Graph API on loopback",
        f"deliveries: {len(latencies)} answered of {expected} in {elapsed:.2f} s = "
        f"{expected / elapsed:.0f} deliveries/s",
        f"POST to answer at the fake: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms",
        f"messages the fake received for these residents: {answered}",
        f"lost deliveries: {lost_count}",
    ]
    report = "\n".join(lines)
    print(report)
    for item in lost[:5]:
        print("  lost:", item)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "whatsapp.txt").write_text(report + "\n", encoding="utf-8")
    if lost_count:
        raise SystemExit(1)


if __name__ == "__main__":
    asyncio.run(main())
