"""Benchmark: exactly once across SIGKILL. Bursts of residents on Telegram, WhatsApp and the web chat
(interleaved) into the real service (`python -m bot run`, SQLite) in its own process, killed with
SIGKILL at several points, restarted; the platforms then deliver again what was not acknowledged (and
every 7th message that was). Prints per channel and kill point: messages sent, acknowledged by the
first process, messages with an effect (a ticket), duplicates (extra tickets or extra web chat cards),
lost (acknowledged without ticket, card or reply), and cards to the regent's Telegram chat sent again
because the kill fell between their send and its record. Writes bench/results/crash.txt.

    .venv/bin/python bench/crash.py [--residents 100] [--points 0.1,0.33,0.66,1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.crash.cluster import CHANNELS, HEADER, Cluster, crash_run, make_burst  # noqa: E402
from tests.fakes.graph_api import FakeGraphApi  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramApi  # noqa: E402


def ensure_model(path: Path) -> Path:
    if not path.exists():
        from nlu.engine import NluEngine

        path.parent.mkdir(parents=True, exist_ok=True)
        NluEngine.train(ROOT / "config.yml", ROOT / "nlu" / "data").save(path)
    return path


async def main() -> None:
    # The fakes log every request the killed process left half-sent: expected here, not news.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100, help="residents per channel, one message each")
    parser.add_argument("--points", default="0.1,0.33,0.66,1.0",
                        help="kill after this share of the burst was acknowledged (1.0: right after the last)")
    parser.add_argument("--nlu-model", type=Path, default=ROOT / "var" / "nlu-model.pkl")
    args = parser.parse_args()
    model = ensure_model(args.nlu_model)
    points = [float(p) for p in args.points.split(",")]
    lines = [f"Crash benchmark: {args.residents} residents per channel, each one message to the regent, channels "
             f"interleaved; SIGKILL, restart, platform redelivery. Machine {os.cpu_count()} cores, "
             f"load {os.getloadavg()[0]:.1f}.", ""]
    print("\n".join(lines), flush=True)
    for point in points:
        async with FakeTelegramApi(token="4242:CRASH") as telegram, FakeGraphApi(token="crash-token") as graph:
            cluster = Cluster(Path(tempfile.mkdtemp(prefix="warga-crash-")), model, telegram, graph)
            await cluster.prepare()
            run = f"k{int(point * 100)}"
            bursts = [make_burst(c, args.residents, 100_000 * (i + 1), run) for i, c in enumerate(CHANNELS)]
            messages = [m for group in zip(*bursts, strict=True) for m in group]
            started = time.perf_counter()
            try:
                audits = await crash_run(cluster, messages, max(1, int(len(messages) * point)), concurrency=24,
                                         settle=120.0)
            finally:
                cluster.stop_all()
            block = [f"kill point: after {point:.0%} of the burst acknowledged ({time.perf_counter() - started:.1f} s)",
                     f"  {'point':<6} {HEADER}"]
            block += [f"  {f'{point:.0%}':<6} {a.row()}" for a in audits.values()]
            block += [f"    {p}" for a in audits.values() for p in a.problems[:3]]
            print("\n".join(block), flush=True)
            lines += block
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "crash.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwritten to {out / 'crash.txt'}")


if __name__ == "__main__":
    asyncio.run(main())
