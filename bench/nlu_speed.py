"""Benchmark: NLU training time and parse latency of a 300-character message, wall clock and CPU.

    .venv/bin/python bench/nlu_speed.py [--repeat 2000] [--model PATH]

Trains the built-in engine on config.yml + nlu/data (as `python -m nlu train`) unless --model names a
trained one, then parses bench/nlu_vs_rasa.py's 300-character complaint --repeat times in-process.
CPU figures (process/thread time) say what the work costs; wall-clock figures also carry whatever else
the machine is doing (the load average is printed with them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.nlu_vs_rasa import LONG_MESSAGE, percentile  # noqa: E402
from bot.directory import Directory  # noqa: E402
from nlu.engine import NluEngine  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--model", type=Path, default=None, help="a trained model (skips training)")
    args = parser.parse_args(argv)
    if args.model:
        engine = NluEngine.load(args.model)
    else:
        routing = Directory.load(ROOT / "content" / "directory.yml").routing
        wall, cpu = time.perf_counter(), time.process_time()
        engine = NluEngine.train(ROOT / "config.yml", ROOT / "nlu" / "data", routing)
        print(f"train: {time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    for _ in range(50):
        engine.parse(LONG_MESSAGE)
    walls, cpus = [], []
    for _ in range(args.repeat):
        w, c = time.perf_counter(), time.thread_time()
        engine.parse(LONG_MESSAGE)
        cpus.append((time.thread_time() - c) * 1000)
        walls.append((time.perf_counter() - w) * 1000)
    print(f"parse {len(LONG_MESSAGE)} chars x {args.repeat}: wall p50 {statistics.median(walls):.2f} ms, "
          f"p99 {percentile(walls, 0.99):.2f} ms; CPU p50 {statistics.median(cpus):.2f} ms, "
          f"p99 {percentile(cpus, 0.99):.2f} ms (load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
