"""How routing on real text grows with a regency's own dispatched reports in training: a learning curve on the
grouped cross-validation split of `python -m nlu evaluate` (nlu.evaluate_real.grouped_folds).

Per fold, our engine (config.yml) is trained on the zero-shot set plus a share of the relabelled Kab. Bandung rows of
the other four folds (0, 1/4, 1/2, 3/4, all; one shuffle per fold, each share a prefix of the next, so a larger
share only adds rows), and the fold's held-out reports are routed as Kab. Bandung routes (bandung_routing). Every
row of the table scores the same 762 reports; share 0 is the zero-shot model, share 1 the grouped-CV figure of
`python -m nlu evaluate`. The last lines fit top-1 against log(rows) and say how many rows of its own the fit
would want for 0.88: an extrapolation, printed to show the size of the gap, not a promise.

    nice -n 10 .venv/bin/python bench/nlu_learning_curve.py [--seed 7]

About 20 trainings (5 folds x 4 shares), 8-10 minutes on 2 cores. Writes bench/results/nlu_learning_curve.txt.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.directory import Directory  # noqa: E402
from nlu.engine import NluEngine  # noqa: E402
from nlu.evaluate_real import (  # noqa: E402
    Routed,
    choose_threshold,
    coverage_curve,
    grouped_folds,
    route_all,
    scores,
    zero_shot_examples,
)
from nlu.realtext import bandung_routing, shared_data_dir  # noqa: E402
from nlu.training_data import load_training_data  # noqa: E402

SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
TARGET = 0.88
CONFIG = ROOT / "config.yml"
OUT = ROOT / "bench" / "results" / "nlu_learning_curve.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7, help="the shuffle of each fold's Bandung training rows")
    args = parser.parse_args()
    shared = shared_data_dir()
    if shared is None:
        raise SystemExit("../shared/data is absent: the learning curve needs the Bandung file")
    directory = Directory.load(ROOT / "content" / "directory.yml")
    routing = bandung_routing(directory.routing)
    training = load_training_data(ROOT / "nlu" / "data")
    base = zero_shot_examples(training)
    routed: dict[float, list[Routed]] = {share: [] for share in SHARES}
    rows: dict[float, list[int]] = {share: [] for share in SHARES}
    zero_shot = NluEngine.train(CONFIG, training, routing, examples=base)
    for fold, extra, held_out in grouped_folds(shared, directory.routing):
        order = list(extra)
        random.Random(args.seed * 100 + fold).shuffle(order)
        for share in SHARES:
            chosen = order[:round(share * len(order))]
            engine = zero_shot if not chosen else NluEngine.train(CONFIG, training, routing, examples=base + chosen)
            routed[share] += route_all(engine, held_out)
            rows[share].append(len(chosen))
        print(f"fold {fold}: " + ", ".join(f"{share:g}: {sum(r.gold == r.opd for r in routed[share])}"
                                           for share in SHARES), flush=True)

    threshold = directory.route_threshold
    lines = [f"Learning curve: OPD routing of {len(routed[0.0])} Kab. Bandung reports, grouped 5-fold split, "
             f"our engine (config.yml) trained on the zero-shot set plus a share of the other folds' Bandung rows "
             f"(seed {args.seed})", "",
             f"| share of the other folds' rows | Bandung rows in training (mean per fold) | OPD top-1 | macro-F1 "
             f"| routed at {threshold:g} | right among them | 95% right from (routed) |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for share in SHARES:
        s = scores(f"share {share:g}", routed[share])
        _, covered, precision, _ = coverage_curve(routed[share], [threshold])[0]
        strict = choose_threshold(routed[share])
        _, strict_covered, _, _ = coverage_curve(routed[share], [strict])[0]
        lines.append(f"| {share:g} | {np.mean(rows[share]):.0f} | {s.top1:.3f} | {s.macro_f1:.3f} | {covered:.1%} "
                     f"| {precision:.1%} | {strict:g} ({strict_covered:.1%}) |")
    points = [(float(np.mean(rows[share])), scores("", routed[share]).top1) for share in SHARES if share]
    slope, intercept = np.polyfit([math.log(n) for n, _ in points], [top1 for _, top1 in points], 1)
    lines += ["", f"top-1 = {intercept:.3f} + {slope:.4f} ln(rows), fitted on the four non-zero shares; "
                  f"each doubling of the rows adds {slope * math.log(2):.3f}."]
    if slope > 0:
        wanted = math.exp((TARGET - intercept) / slope)
        lines.append(f"Extrapolated, {TARGET} would want about {wanted:,.0f} rows of the regency's own dispatched "
                     f"reports (the file has {len(routed[0.0])}).")
    else:
        lines.append(f"The fit does not grow with more rows: no number of rows reaches {TARGET} on this curve.")
    text = "\n".join(lines)
    print("\n" + text)
    OUT.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
