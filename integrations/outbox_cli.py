"""`python -m bot outbox list [--status S] | retry ID | retry-dead | health` for the operator."""

from __future__ import annotations

import argparse

from bot.message import utcnow
from bot.settings import Settings
from bot.store import create_store
from bot.store.base import JOB_DEAD, JOB_DONE, OutboxJob


def _line(job: OutboxJob) -> str:
    when = job.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S") if job.next_attempt_at else "-"
    target = job.payload.get("to") or job.payload.get("ticket") or ""
    error = (job.last_error or "").replace("\n", " ")[:80] if job.status != JOB_DONE else ""  # done: no error now
    return f"{job.id:>6}  {job.status:<7}  {job.kind:<14}  {job.attempts:>3}  {when}  {target:<24}  {error}"


async def main(argv: list[str], settings: Settings) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot outbox", description="List and retry outbox jobs.")
    sub = parser.add_subparsers(dest="action", required=True)
    listing = sub.add_parser("list", help="list jobs (newest last)")
    listing.add_argument("--status", choices=("pending", "done", "dead"))
    listing.add_argument("--limit", type=int, default=50)
    retry = sub.add_parser("retry", help="put one job back in the queue")
    retry.add_argument("id")
    sub.add_parser("retry-dead", help="put every dead letter back in the queue")
    sub.add_parser("health", help="one-line summary")
    args = parser.parse_args(argv)

    store = create_store(settings)
    await store.open()
    try:
        if args.action == "list":
            jobs = await store.list_jobs(args.status, limit=args.limit)
            print(f"{'id':>6}  {'status':<7}  {'kind':<14}  {'try':>3}  {'next attempt (UTC)':<19}  "
                  f"{'to / ticket':<24}  last error")
            for job in jobs:
                print(_line(job))
            if not jobs:
                print("(no jobs)")
            return 0
        if args.action == "retry":
            if await store.retry_job(args.id, utcnow()):
                print(f"job {args.id} queued again")
                return 0
            print(f"job {args.id} not found or already sent")
            return 1
        if args.action == "retry-dead":
            count, seen = 0, set()
            while True:  # pages of dead letters; each job is tried once even if it cannot be requeued
                dead = [job for job in await store.list_jobs(JOB_DEAD, limit=500) if job.id not in seen]
                if not dead:
                    break
                for job in dead:
                    seen.add(job.id)
                    count += bool(await store.retry_job(str(job.id), utcnow()))
            print(f"{count} dead job(s) queued again")
            return 0
        counts = await store.outbox_counts()
        print("outbox: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        return 0
    finally:
        await store.close()
