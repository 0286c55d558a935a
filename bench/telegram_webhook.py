"""Benchmark: 1,000 Telegram updates through the real webhook, answered through a fake Bot API.

Starts the fake Bot API (tests/fakes/telegram_api.py) in this process and the real service
(`python -m bot run`, SQLite, built-in NLU, python-telegram-bot unchanged) in its own process on
127.0.0.1, pointed at the fake. N residents (default 200) each send M messages (default 5) one after
another, all residents at once; for every update it measures the time from the webhook POST to the
fake recording the first sendMessage to that chat. Prints updates/s, p50/p99 and how many updates
got no answer (lost). Three runs:

  1. capacity   python-telegram-bot's overall 30 msg/s limiter lifted: what the service itself does
  2. flood      the same, with the fake answering 429 (retry_after 1) to bursts of sends
  3. limits     Telegram's real limits (30 msg/s overall) in force: what residents would see

Writes the figures to bench/results/telegram.txt.

    .venv/bin/python bench/telegram_webhook.py [--residents 200] [--messages 5] [--skip-limits]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service_process import free_port, wait_healthy  # noqa: E402 - bench/ is on sys.path when run as a script

from tests.fakes.telegram_api import Call, FakeTelegramApi  # noqa: E402

TOKEN = "123:ABC"
SECRET = "bench-secret"
SCRIPT = ["/start", "halo", "/bantuan", "bagaimana cara membuat akta kelahiran?", "terima kasih"]
# Run the real entry point, with python-telegram-bot's overall limiter set from argv[1] (0 = lifted).
LAUNCHER = ("import sys\n"
            "from bot.channels.telegram import TelegramChannel\n"
            "TelegramChannel.OVERALL_MAX_RATE = float(sys.argv[1])\n"
            "from bot.__main__ import main\n"
            "sys.exit(main(['run']))\n")
_update_ids = itertools.count(900000000)
_message_ids = itertools.count(1)



def update(chat_id: int, text: str) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Warga", "last_name": str(chat_id), "language_code": "id"}
    return {"update_id": next(_update_ids),
            "message": {"message_id": next(_message_ids), "from": user, "date": int(time.time()),
                        "chat": {"id": chat_id, "first_name": "Warga", "type": "private"}, "text": text}}


@dataclass
class Tracker:
    """Counts sendMessage per chat and wakes the resident waiting for its next answer."""

    counts: Counter[str] = field(default_factory=Counter)
    waiting: dict[str, tuple[int, asyncio.Future[float]]] = field(default_factory=dict)

    def __call__(self, call: Call) -> None:
        if call.method != "sendMessage" or call.chat_id is None:
            return
        self.counts[call.chat_id] += 1
        entry = self.waiting.get(call.chat_id)
        if entry and self.counts[call.chat_id] >= entry[0] and not entry[1].done():
            entry[1].set_result(time.perf_counter())


async def resident(http: aiohttp.ClientSession, url: str, tracker: Tracker, chat_id: int, messages: int,
                   latencies: list[float], lost: list[str], timeout: float) -> None:
    key = str(chat_id)
    for text in (SCRIPT * ((messages // len(SCRIPT)) + 1))[:messages]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        tracker.waiting[key] = (tracker.counts[key] + 1, future)
        started = time.perf_counter()
        try:
            async with http.post(f"{url}/webhooks/telegram", json=update(chat_id, text),
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as resp:
                if resp.status != 200:
                    lost.append(f"{chat_id}: {text!r} -> HTTP {resp.status}")
                    continue
            answered = await asyncio.wait_for(future, timeout)
        except (aiohttp.ClientError, TimeoutError) as exc:
            lost.append(f"{chat_id}: {text!r} -> {exc.__class__.__name__}")
            continue
        finally:
            tracker.waiting.pop(key, None)
        latencies.append(answered - started)



def start_service(fake: FakeTelegramApi, rate: float, model: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "WARGA_DATA_DIR": tempfile.mkdtemp(prefix="warga-bench-tg-"), "WARGA_PORT": str(port),
           "WARGA_HOST": "127.0.0.1", "LOG_LEVEL": "WARNING", "NLU_MODEL_PATH": str(model),
           "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": "webhook",
           "TELEGRAM_API_BASE_URL": fake.api_base, "TELEGRAM_FILE_BASE_URL": fake.file_base,
           "WARGA_PUBLIC_URL": f"http://127.0.0.1:{port}", "OUTBOX_POLL_INTERVAL": "0.1",
           "OUTBOX_BACKOFF_BASE": "0.5", "OUTBOX_BACKOFF_CAP": "5"}
    server = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(rate)], cwd=ROOT, env=env)
    return server, f"http://127.0.0.1:{port}"


def stop_service(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def run(label: str, url: str, fake: FakeTelegramApi, first_chat: int, residents: int, messages: int,
              timeout: float) -> list[str]:
    tracker = Tracker()
    fake.listeners[:] = [tracker]
    limited_before = sum(1 for c in fake.calls if c.status == 429)
    latencies: list[float] = []
    lost: list[str] = []
    connector = aiohttp.TCPConnector(limit=residents)
    async with aiohttp.ClientSession(connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(resident(http, url, tracker, first_chat + i, messages, latencies, lost, timeout)
                               for i in range(residents)))
        elapsed = time.perf_counter() - started
        await asyncio.sleep(2.0)  # let trailing replies land before counting them
    total = residents * messages
    latencies.sort()
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000 if latencies else float("nan")
    sent = sum(tracker.counts[str(first_chat + i)] for i in range(residents))
    limited = sum(1 for c in fake.calls if c.status == 429) - limited_before
    lines = [
        f"{label}: {total} updates ({residents} residents x {messages} messages, residents concurrent)",
        f"  updates: {len(latencies)} answered in {elapsed:.2f} s = {len(latencies) / elapsed:.0f} updates/s",
        f"  POST -> sendMessage: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
        f"max {latencies[-1] * 1000 if latencies else 0:.1f} ms",
        f"  sendMessage calls recorded: {sent} ({sent / max(total, 1):.2f} per update); 429 answers: {limited}",
        f"  lost updates: {len(lost)}",
    ]
    for failure in lost[:5]:
        lines.append(f"    lost: {failure}")
    print("\n".join(lines), flush=True)
    return lines


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds an update may wait for its answer")
    parser.add_argument("--skip-limits", action="store_true", help="skip the run with Telegram's 30 msg/s limit")
    parser.add_argument("--nlu-model", type=Path, default=ROOT / "var" / "nlu-model.pkl",
                        help="trained model to use (trained and saved there when missing)")
    args = parser.parse_args()
    args.nlu_model.parent.mkdir(parents=True, exist_ok=True)
    report = [f"Telegram webhook benchmark: machine {os.cpu_count()} cores, python {sys.version.split()[0]}, "
              "SQLite + built-in NLU, python-telegram-bot against a fake Bot API on 127.0.0.1",
              f"load average at start (other work on the machine): {os.getloadavg()[0]:.1f}"]
    async with FakeTelegramApi(token=TOKEN) as fake:
        server, url = start_service(fake, 0, args.nlu_model)
        try:
            await wait_healthy(url, server)
            warm = Tracker()
            fake.listeners[:] = [warm]
            async with aiohttp.ClientSession() as http:
                await asyncio.gather(*(resident(http, url, warm, 10_000 + i, 1, [], [], args.timeout)
                                       for i in range(20)))
            report += await run("1. capacity (PTB overall limiter lifted)", url, fake, 100_000,
                                args.residents, args.messages, args.timeout)
            fake.flood(every=100, burst=5, retry_after=1)
            report += await run("2. flood (fake answers 429 retry_after=1 to 5 sends after every 100)", url, fake,
                                200_000, args.residents, args.messages, args.timeout)
            fake.flood(every=0, burst=0)
        finally:
            stop_service(server)
        if not args.skip_limits:
            server, url = start_service(fake, 30, args.nlu_model)
            try:
                await wait_healthy(url, server)
                report += await run("3. limits (Telegram's 30 msg/s overall, as in production)", url, fake, 300_000,
                                    args.residents, args.messages, args.timeout)
            finally:
                stop_service(server)
    text = "\n".join(report)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "telegram.txt").write_text(text + "\n", encoding="utf-8")
    print(f"\nwritten to {out / 'telegram.txt'}")


if __name__ == "__main__":
    asyncio.run(main())
