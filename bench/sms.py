"""Benchmark: inbound SMS through the Android gateway's signed webhook, real service, fake gateway.

Starts the fake SMS Gateway for Android (tests/fakes/sms_gateways.py) in this process and the real
service (`python -m bot run`, SQLite, built-in NLU) in its own process on 127.0.0.1. N residents
write concurrently, each SMS after the bot's answer to the previous one reached the fake. Half of them
file a complaint with numbered choices ("1", ...) and then check its status by SMS (7 SMS each); the
other half ask questions (3 SMS each): 200 residents send 1,000 SMS. Prints
messages/s, p50/p99 from the webhook POST to the first answer SMS at the fake, lost messages (no
answer), SMS segments per ticket, and writes the figures to bench/results/sms.txt.

    .venv/bin/python bench/sms.py [--residents 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service_process import free_port, wait_healthy  # noqa: E402 - bench/ is on sys.path when run as a script

from tests.fakes.sms_gateways import FakeAndroidGateway  # noqa: E402

TICKET = re.compile(r"WRG-\d{4}-\d{4}")
QUIET = 0.05  # seconds without a new SMS after which an answer counts as complete
PREFERRED = ("ya", "lewati", "lanjut", "publik", "kirim")
FILER_SMS = 7
ASKER_SMS = 3


QUESTIONS = ["apa syarat bikin KTP", "menu", "terima kasih"]


def next_text(answer: str, index: int, files: bool) -> str:
    """What a resident sends next: the first SMS describes the problem, then numbered choices, then status."""
    if not files:
        return QUESTIONS[index % len(QUESTIONS)]
    if index == 0:
        return "jalan di desa Sooko rusak parah banyak lubang"
    found = TICKET.search(answer)
    if found:
        return found.group(0)
    lines = [ln.lower() for ln in answer.splitlines() if ln.startswith("Balas ")]
    if not lines:
        return "dekat balai desa Sooko"
    for title in PREFERRED:
        match = re.search(r"(\d+) untuk [^,]*\b" + title, lines[-1])
        if match:
            return match.group(1)
    return "1"


async def answer_after(phone: FakeAndroidGateway, to: str, before: int, timeout: float) -> tuple[float, str] | None:
    """Time of the first new SMS to `to`, and the whole answer once it is quiet."""
    deadline = time.perf_counter() + timeout
    first: float | None = None
    while time.perf_counter() < deadline:
        sent = phone.sent_to(to)
        if len(sent) > before:
            if first is None:
                first = time.perf_counter()
            count = len(sent)
            await asyncio.sleep(QUIET)
            if len(phone.sent_to(to)) == count:
                return first, "\n".join(s.text for s in phone.sent_to(to)[before:])
            continue
        await asyncio.sleep(0.005)
    return None


async def resident(http: aiohttp.ClientSession, url: str, phone: FakeAndroidGateway, number: str, files: bool,
                   latencies: list[float], lost: list[str], tickets: dict[str, str], timeout: float) -> None:
    answer = ""
    for index in range(FILER_SMS if files else ASKER_SMS):
        text = next_text(answer, index, files)
        before = len(phone.sent_to(number))
        raw, headers = phone.signed(phone.received_event(number, text, event_id=uuid.uuid4().hex[:21]))
        started = time.perf_counter()
        try:
            async with http.post(f"{url}/webhooks/sms", data=raw, headers=headers) as resp:
                ok = resp.status == 200
        except (TimeoutError, aiohttp.ClientError):
            ok = False
        got = await answer_after(phone, number, before, timeout) if ok else None
        if got is None:
            lost.append(f"{number}#{index}")
            return
        latencies.append(got[0] - started)
        answer = got[1]
        found = TICKET.search(answer)
        if found and number not in tickets:
            tickets[number] = found.group(0)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()

    async with FakeAndroidGateway(username="bench", password="bench-password", signing_key="bench-key") as phone:
        data_dir = Path(tempfile.mkdtemp(prefix="warga-bench-sms-"))
        port = free_port()
        env = {**os.environ, "WARGA_DATA_DIR": str(data_dir), "WARGA_PORT": str(port), "LOG_LEVEL": "WARNING",
               "SMS_ANDROID_URL": phone.url, "SMS_ANDROID_USERNAME": phone.username,
               "SMS_ANDROID_PASSWORD": phone.password, "SMS_ANDROID_SIGNING_KEY": phone.signing_key}
        if (ROOT / "var" / "nlu-model.pkl").exists():
            env.setdefault("NLU_MODEL_PATH", str(ROOT / "var" / "nlu-model.pkl"))
        server = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env)
        url = f"http://127.0.0.1:{port}"
        latencies: list[float] = []
        lost: list[str] = []
        tickets: dict[str, str] = {}
        try:
            await wait_healthy(url, server)
            # The gateway is one phone (or one provider) posting webhooks: at most `--connections` at once.
            connector = aiohttp.TCPConnector(limit=args.connections)
            async with aiohttp.ClientSession(connector=connector) as http:
                started = time.perf_counter()
                await asyncio.gather(*(resident(http, url, phone, f"62813{i:07d}", i % 2 == 0, latencies, lost,
                                                tickets, args.timeout) for i in range(args.residents)))
                elapsed = time.perf_counter() - started
                async with http.get(f"{url}/healthz") as resp:
                    health = await resp.json()
        finally:
            server.terminate()
            server.wait(timeout=30)

    expected = sum(FILER_SMS if i % 2 == 0 else ASKER_SMS for i in range(args.residents))
    segments = {n: sum(s.segments for s in phone.sent_to(n)) for n in tickets}
    per_ticket = list(segments.values())
    latencies.sort()
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else float("nan")
    sms_health = health.get("outbox", {}).get("sms", {})
    lines = [
        f"SMS webhook benchmark ({args.residents} concurrent residents, {expected} SMS: half file a complaint "
        f"({FILER_SMS} SMS), half ask ({ASKER_SMS} SMS); {args.connections} connections; signed "
        "sms:received webhooks, Android gateway fake on loopback)",
        f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, SQLite + built-in NLU",
        f"inbound SMS: {len(latencies)} answered of {expected} in {elapsed:.2f} s = "
        f"{expected / elapsed:.0f} messages/s",
        f"POST to first answer SMS at the gateway: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"(answers counted complete after {QUIET * 1000:.0f} ms without a new SMS)",
        f"lost messages: {expected - len(latencies)}",
        f"SMS sent: {len(phone.sent)}, rejected by the gateway (not GSM-7 or over 2 segments): {len(phone.rejected)}, "
        f"largest {max((s.segments for s in phone.sent), default=0)} segments",
        f"tickets filed: {len(tickets)}; SMS segments per ticket (all its resident got): "
        f"mean {statistics.mean(per_ticket) if per_ticket else 0:.1f}, max {max(per_ticket, default=0)}",
        f"/healthz SMS segments: total {sms_health.get('segments')}, per OPD {sms_health.get('per_opd')}",
    ]
    report = "\n".join(lines)
    print(report)
    for item in lost[:5]:
        print("  lost:", item)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "sms.txt").write_text(report + "\n", encoding="utf-8")
    if expected - len(latencies):
        raise SystemExit(1)


if __name__ == "__main__":
    asyncio.run(main())
