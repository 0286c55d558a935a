"""Benchmark: the desk's dashboard and ticket list with 100,000 tickets in SQLite.

Seeds `--tickets` tickets (21 OPDs, 180 days, statuses, deadlines, ratings, reopenings; three history
lines each) into a fresh SQLite store, serves the real app on 127.0.0.1 and times, one request at a
time, the regent's dashboard for 30 and 90 days, an officer's dashboard and the ticket lists.
Prints p50/p95 per page and writes them to bench/results/dashboard.txt. Target: p95 under 300 ms.

    .venv/bin/python bench/dashboard.py [--tickets 100000] [--requests 30]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import RUNTIME, create_app  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.store.base import Changes, Identity, Ticket, TicketEvent, TicketQuery  # noqa: E402
from bot.store.sqlite import SqliteStore  # noqa: E402

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
STATUSES = ["baru", "diproses", "selesai", "selesai", "selesai", "ditutup"]


class _NoNlu:
    async def parse(self, text: str) -> dict[str, Any]:
        return {"intent": {"name": "nlu_fallback", "confidence": 0.0}, "entities": [], "intent_ranking": []}

    async def close(self) -> None:
        return None


async def seed(store: SqliteStore, count: int, opds: list[str], topics: list[str]) -> None:
    rng = random.Random(15)
    batch = Changes()
    for n in range(count):
        created = NOW - timedelta(days=rng.uniform(0, 180))
        status = rng.choice(STATUSES)
        closed = created + timedelta(days=rng.uniform(0.2, 12)) if status in ("selesai", "ditutup") else None
        number = f"ADU-{n // 10000:04d}-{n % 10000:04d}"
        ticket = Ticket(number=number, kind="aduan", topic=rng.choice(topics), opd_id=rng.choice(opds),
                        status=status, text=f"laporan nomor {n}", reporter=f"telegram:{100000 + n % 5000}",
                        created_at=created, updated_at=closed or created, due_at=created + timedelta(days=7),
                        rating=rng.choice([None, 3, 4, 5]) if closed else None, closed_at=closed,
                        location={"latitude": -7.4 - rng.random() / 5, "longitude": 112.4 + rng.random() / 5,
                                  "kecamatan": f"Kec {rng.randint(1, 18)}"} if rng.random() < 0.6 else None)
        batch.tickets.append(ticket)
        batch.events.append(TicketEvent(ticket=number, kind="created", at=created, actor=ticket.reporter))
        answered = created + timedelta(hours=rng.uniform(1, 60))
        batch.events.append(TicketEvent(ticket=number, kind="message_out", at=answered, actor="telegram:1",
                                        text="ditangani"))
        if rng.random() < 0.05:
            batch.events.append(TicketEvent(ticket=number, kind="reopened", at=created + timedelta(days=3)))
        if len(batch.tickets) == 2000:
            await store.commit(batch)
            batch = Changes()
    if batch:
        await store.commit(batch)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db", type=Path, help="keep the seeded SQLite file here and reuse it on the next run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"WARGA_HOST": "127.0.0.1", "WARGA_PORT": "0", "WARGA_DATA_DIR": tmp,
                                  "LOG_LEVEL": "WARNING"}, dotenv=ROOT / ".env.none")
        store = SqliteStore(args.db or Path(tmp) / "bench.sqlite3")
        app = create_app(settings, store=store, nlu=_NoNlu(), clock=lambda: NOW)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}"
        runtime = app[RUNTIME]
        for worker in runtime.workers:  # measure the pages alone: no SLA passes or outbox over the seeded tickets
            await worker.stop()
        directory = runtime.services.directory
        started = time.perf_counter()
        have = await store.count_tickets(TicketQuery())
        if have and have != args.tickets:
            raise SystemExit(f"{args.db} holds {have} tickets, not {args.tickets}")
        if not have:
            await seed(store, args.tickets, list(directory.opds), list(directory.routing))
        seeded = time.perf_counter() - started
        staff = runtime.channels["webchat"].staff  # type: ignore[attr-defined]
        tokens = {}
        for role, opd in (("regent", None), ("officer", "dinas-pupr")):
            sender = staff.web_sender_for(f"telegram:{role}")
            await store.commit(Changes(identities=[Identity(key=f"webchat:{sender}", channel="webchat",
                                                            sender_id=sender, role=role, opd_id=opd, name=role)]))
            tokens[role] = runtime.sessions.issue(sender, staff=True).token  # type: ignore[union-attr]
        pages = [
            ("regent", "/desk?dari=2026-10-29&sampai=2026-11-27", "dashboard, all OPDs, 30 days"),
            ("regent", "/desk?dari=2026-08-30&sampai=2026-11-27", "dashboard, all OPDs, 90 days"),
            ("officer", "/desk?dari=2026-10-29&sampai=2026-11-27", "dashboard, one OPD, 30 days"),
            ("regent", "/desk/tiket?status=terbuka&dari=2026-10-29", "list, open, 30 days"),
            ("officer", "/desk/tiket?status=terlambat", "list, one OPD, overdue"),
            ("regent", "/desk/tiket.csv?opd=dishub&dari=2026-10-29", "CSV, one OPD, 30 days"),
            ("regent", "/desk/tiket.xlsx?opd=dishub&dari=2026-10-29", "XLSX, one OPD, 30 days"),
            ("regent", "/desk/peta.json?dari=2026-10-29&sampai=2026-11-27", "map pins, all OPDs, 30 days"),
            ("officer", "/desk/peta.json?dari=2026-08-30&sampai=2026-11-27&status=terbuka",
             "map pins, one OPD, open, 90d"),
        ]
        lines = [f"dashboard benchmark: {args.tickets} tickets in SQLite (seeded in {seeded:.0f} s), "
                 f"{args.requests} sequential requests per page", "",
                 f"{'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9}"]
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1800)) as http:
            # the first dashboard after seeding computes every ticket's working-time measures once (the store
            # keeps them; afterwards only tickets that changed are measured again)
            start = time.perf_counter()
            async with http.get(url + pages[0][1], headers={"Authorization": f"Bearer {tokens['regent']}"}) as resp:
                await resp.read()
            cold = (time.perf_counter() - start) * 1000
            for role, path, label in pages:
                headers = {"Authorization": f"Bearer {tokens[role]}"}
                times: list[float] = []
                size = 0
                for _ in range(args.requests + 2):
                    start = time.perf_counter()
                    async with http.get(url + path, headers=headers, allow_redirects=False) as resp:
                        body = await resp.read()
                        assert resp.status == 200, (path, resp.status)
                    times.append((time.perf_counter() - start) * 1000)
                    size = len(body)
                times = times[2:]  # warm-up
                lines.append(f"{label:<36} {statistics.median(times):8.0f} {percentile(times, 0.95):8.0f} {size:9d}")
        await runner.cleanup()
    lines.append("")
    lines.append(f"first dashboard after seeding (measures {args.tickets} tickets once): {cold:.0f} ms"
                 + ("" if seeded > 1 else " (store seeded by an earlier run)"))
    text = "\n".join(lines) + "\n"
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "dashboard.txt").write_text(text)


if __name__ == "__main__":
    asyncio.run(main())
