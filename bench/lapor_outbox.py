"""Benchmark: 10,000 tickets pushed to a failing SP4N-LAPOR! through the outbox, nothing lost, nothing twice.

Files N tickets straight into the store (SQLite), each with its `lapor_create` job in the same commit,
as actions/complaint.py does. The fake LAPOR! (tests/fakes/lapor.py, 127.0.0.1) fails 30% of calls
with 5xx and lets 5% time out (the complaint is still created but the answer comes after the client's
timeout, the case that would duplicate a complaint without idempotency). W outbox workers run until
the queue is drained. Prints time to drain, LAPOR! calls, retries, duplicates and losses (both must
be 0) and writes them to bench/results/lapor.txt.

    .venv/bin/python bench/lapor_outbox.py [--tickets 10000] [--workers 8] [--fail 0.3] [--timeouts 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.base import Services  # noqa: E402
from bot.app import load_content  # noqa: E402
from bot.message import utcnow  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.store import create_store  # noqa: E402
from bot.store.base import JOB_DEAD, JOB_PENDING, STATUS_NEW, Changes, OutboxJob, Ticket, TicketQuery  # noqa: E402
from bot.workdays import WorkCalendar  # noqa: E402
from integrations.lapor import LaporClient, LaporConfig, LaporPusher  # noqa: E402
from integrations.outbox import OutboxWorker  # noqa: E402

TOKEN, API_KEY = "bench-token", "bench-key"
TOPICS = [("aduan_jalan_rusak", "dinas-pupr"), ("aduan_sampah", "dlh"), ("aduan_lampu_jalan", "dishub"),
          ("aduan_ktp_el", "dispendukcapil")]


async def file_tickets(store: Any, calendar: WorkCalendar, count: int, batch: int = 500) -> list[str]:
    """Tickets as a resident's submit creates them: ticket, events and the lapor_create job in one commit."""
    numbers: list[str] = []
    now = utcnow()
    privacies = ("publik", "anonim", "rahasia")
    for start in range(0, count, batch):
        tickets, jobs = [], []
        for i in range(start, min(count, start + batch)):
            number = f"WRG-2611-{i + 1:05d}"
            topic, opd = TOPICS[i % len(TOPICS)]
            tickets.append(Ticket(
                number=number, kind="aduan", topic=topic, opd_id=opd, status=STATUS_NEW,
                text=f"Keluhan warga nomor {i + 1}: mohon segera ditindaklanjuti.", reporter=f"webchat:bench{i}",
                created_at=now, updated_at=now, due_at=calendar.add_working_days(now, 5),
                privacy=privacies[i % 3], location={"address": f"Desa Bench RT {i % 20:02d}"}))
            jobs.append(OutboxJob(key=f"lapor_create:{number}", kind="lapor_create", payload={"ticket": number},
                                  created_at=now))
            numbers.append(number)
        await store.commit(Changes(tickets=tickets, jobs=jobs))
    return numbers


async def start_fake(args: argparse.Namespace) -> tuple[asyncio.subprocess.Process, str]:
    """The fake LAPOR! in its own process, so its work does not slow the workers' event loop."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.lapor", "--token", TOKEN, "--api-key", API_KEY, "--seed", str(args.seed),
        "--fail", str(args.fail), "--timeouts", str(args.timeouts), "--timeout-delay", str(args.client_timeout * 2),
        cwd=str(ROOT), stdout=asyncio.subprocess.PIPE)
    assert proc.stdout is not None
    url = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode().strip()
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit(f"fake LAPOR! did not start: {url!r}")
    return proc, url


async def run(args: argparse.Namespace) -> dict[str, Any]:
    logging.basicConfig(level=logging.ERROR)
    work = Path(tempfile.mkdtemp(prefix="warga-lapor-bench-"))
    proc, url = await start_fake(args)
    try:
        return await _run(args, work, url)
    finally:
        proc.terminate()
        await proc.wait()


async def _run(args: argparse.Namespace, work: Path, url: str) -> dict[str, Any]:
    settings = load_settings({
        "WARGA_DATA_DIR": str(work), "LAPOR_BASE_URL": url, "LAPOR_TOKEN": TOKEN,
        "LAPOR_API_KEY": API_KEY, "LAPOR_TIMEOUT": str(args.client_timeout),
    }, dotenv=ROOT / ".env.none")
    directory, texts = load_content(settings)
    store = create_store(settings)
    await store.open()
    calendar = WorkCalendar(directory.timezone, directory.days_off)
    services = Services(settings=settings, store=store, nlu=None, directory=directory,  # type: ignore[arg-type]
                        texts=texts, calendar=calendar, clock=utcnow)
    client = LaporClient(settings.lapor, LaporConfig.load(settings.content_dir / "lapor.yml"))
    pusher = LaporPusher(services, client)
    delivered: Counter[str] = Counter()

    async def deliver(job: OutboxJob) -> None:  # the resident's "your LAPOR! number is ..." message
        delivered[job.key] += 1

    t0 = time.perf_counter()
    numbers = await file_tickets(store, calendar, args.tickets)
    filed_s = time.perf_counter() - t0
    workers = [OutboxWorker(store, {"lapor_create": pusher, "deliver": deliver}, owner=f"bench-{n}",
                            clock=utcnow, poll_interval=0.05, max_attempts=args.max_attempts,
                            backoff_base=0.05, backoff_cap=1.0, lease_seconds=60, batch=50, concurrency=32)
               for n in range(args.workers)]
    t1 = time.perf_counter()
    for worker in workers:
        await worker.start()
    try:
        # A push commits the resident's message before its own job is marked done, so no pending job
        # means nothing is in flight either.
        while True:
            if not (await store.outbox_counts()).get(JOB_PENDING):
                break
            await asyncio.sleep(0.2)
    finally:
        for worker in workers:
            await worker.stop()
        await client.close()
    drain_s = time.perf_counter() - t1

    async with aiohttp.ClientSession() as http, http.get(f"{url}/_fake/stats") as resp:
        fake = await resp.json()
    by_reference: dict[str, list[list[str | None]]] = fake["by_reference"]
    tickets = {t.number: t for t in await store.list_tickets(TicketQuery(limit=args.tickets + 10))}
    lost = [n for n in numbers if not tickets.get(n) or not tickets[n].lapor_id
            or [c[0] for c in by_reference.get(n, [])][:1] != [tickets[n].lapor_id]]
    dead = (await store.outbox_counts()).get(JOB_DEAD, 0)
    privacy_errors = sum(
        1 for n in numbers for _, anonymous, secret in by_reference.get(n, [])
        if (anonymous == "1") != (tickets[n].privacy == "anonim")
        or (secret == "1") != (tickets[n].privacy == "rahasia"))
    if lost and args.debug:
        jobs = {j.key: j for j in await store.list_jobs(limit=args.tickets * 3)}
        for n in lost[:5]:
            print("lost:", n, tickets.get(n) and tickets[n].lapor_id, by_reference.get(n),
                  jobs.get(f"lapor_create:{n}"))
    await store.close()
    return {
        "tickets": args.tickets, "workers": args.workers, "fail_rate": args.fail, "timeout_rate": args.timeouts,
        "client_timeout_s": args.client_timeout, "filing_s": round(filed_s, 2), "drain_s": round(drain_s, 2),
        "tickets_per_s": round(args.tickets / drain_s, 1),
        "lapor_calls": sum(fake["calls"].values()), "calls_by_endpoint": fake["calls"],
        "faults_injected": fake["faults"],
        "retries": sum(w.stats["retried"] for w in workers), "lookups": pusher.lookups,
        "created_at_lapor": fake["complaints"], "duplicates": fake["duplicates"], "losses": len(lost),
        "dead_letters": dead, "resident_messages": len(delivered),
        "resident_messages_twice": sum(1 for v in delivered.values() if v > 1),
        "privacy_flag_errors": privacy_errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--fail", type=float, default=0.30)
    parser.add_argument("--timeouts", type=float, default=0.05)
    parser.add_argument("--client-timeout", type=float, default=0.25)
    parser.add_argument("--max-attempts", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    lines = [f"{k}: {v}" for k, v in result.items()]
    report = "\n".join(["# bench/lapor_outbox.py — SP4N-LAPOR! push through the outbox under faults", *lines])
    print(report)
    out = ROOT / "bench" / "results" / "lapor.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report + "\n", encoding="utf-8")
    ok = result["duplicates"] == 0 and result["losses"] == 0
    print("OK: no duplicates, no losses" if ok else "FAILED: duplicates or losses")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
