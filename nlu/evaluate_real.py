"""Real-text evaluation: OPD routing of real SP4N-LAPOR! reports (Kab. Bandung) and Purbalingga sectors.

- zero-shot: trained without any Bandung row; every mapped Bandung report is scored;
- grouped cross-validation: Bandung reports in training, 5 folds, near-duplicates in one fold
  (nlu/realtext.py `group_ids`), the training rows of each fold relabelled as in
  scripts/data/build_real_examples.py;
- Purbalingga: sector agreement of a model trained without the Purbalingga rows.

For each: top-1, macro-F1, per-OPD recall, the most confused pairs, the most confident mistakes,
precision/coverage per routing threshold, and the reliability curve of the routing confidence.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

from nlu.engine import NluEngine
from nlu.realtext import (
    OTHER,
    RealReport,
    bandung_reports,
    bandung_routing,
    purbalingga_reports,
    purbalingga_sectors,
)
from nlu.relabel import bandung_examples, common_words
from nlu.result import GATE_COMPLAINT, ParseResult
from nlu.training_data import Example, TrainingData

THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
# The threshold is chosen on a finer grid than the printed table (a threshold is any number; 0.005 apart, two
# neighbours on the Bandung curve differ by a few reports).
FINE_THRESHOLDS = tuple(round(0.5 + 0.005 * i, 3) for i in range(100))
TARGET_PRECISION = 0.95
Progress = Callable[[str], None]


@dataclass
class Routed:
    """One scored report."""

    text: str
    gold: str
    opd: str
    confidence: float
    by: str
    gate: str | None


@dataclass
class RealScores:
    """Headline figures of one real-text evaluation."""

    name: str
    n: int
    top1: float
    macro_f1: float
    complaint_gate: float
    agency_routed: int
    agency_right: int


def source_of(example: Example) -> str:
    return str(example.metadata.get("source") or "ours")


def routed_of(report: RealReport, result: ParseResult) -> Routed:
    """One report scored by the routing decision of its parse (from any backend)."""
    decision = result.routing
    return Routed(report.text, report.label, decision.id if decision else "-",
                  decision.confidence if decision else 0.0, decision.by if decision else "-", result.gate)


def route_all(engine: NluEngine, reports: Sequence[RealReport]) -> list[Routed]:
    return [routed_of(report, result)
            for report, result in zip(reports, engine.parse_results([r.text for r in reports]), strict=True)]


def scores(name: str, routed: Sequence[Routed]) -> RealScores:
    gold = [r.gold for r in routed]
    pred = [r.opd for r in routed]
    agency = [r for r in routed if r.by == "agency"]
    return RealScores(
        name, len(routed), float(np.mean([g == p for g, p in zip(gold, pred, strict=True)])),
        float(f1_score(gold, pred, labels=sorted(set(gold) - {OTHER}), average="macro", zero_division=0)),
        float(np.mean([r.gate == GATE_COMPLAINT for r in routed])),
        len(agency), sum(r.gold == r.opd for r in agency))


def coverage_curve(routed: Sequence[Routed],
                   thresholds: Sequence[float] = THRESHOLDS) -> list[tuple[float, float, float, int]]:
    """(threshold, share routed without asking, precision of those, n routed) per threshold."""
    rows = []
    for t in thresholds:
        kept = [r for r in routed if r.confidence >= t]
        precision = float(np.mean([r.gold == r.opd for r in kept])) if kept else float("nan")
        rows.append((t, len(kept) / len(routed), precision, len(kept)))
    return rows


def reliability(routed: Sequence[Routed], bins: int = 10) -> list[tuple[str, int, float, float]]:
    """(bin, n, mean confidence, share right) per confidence bin."""
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [r for r in routed if lo <= r.confidence < hi or (b == bins - 1 and r.confidence == 1.0)]
        if inside:
            rows.append((f"{lo:.1f}-{hi:.1f}", len(inside), float(np.mean([r.confidence for r in inside])),
                         float(np.mean([r.gold == r.opd for r in inside]))))
    return rows


def expected_calibration_error(routed: Sequence[Routed]) -> float:
    return sum(n * abs(conf - acc) for _, n, conf, acc in reliability(routed)) / max(1, len(routed))


def choose_threshold(routed: Sequence[Routed], target: float = TARGET_PRECISION) -> float:
    """The lowest threshold (0.500-0.995, by 0.005) whose routed share is right at least `target` of the time."""
    for t, _, precision, n in coverage_curve(routed, FINE_THRESHOLDS):
        if n and precision >= target:
            return t
    return FINE_THRESHOLDS[-1]


_CAPITALISED = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+\b")


def masked(text: str, words: int = 14) -> str:
    """A report's opening for printing: capitalised words (names, places) masked."""
    short = " ".join(text.split()[:words])
    return _CAPITALISED.sub("X", short)


def print_report(routed: Sequence[Routed], s: RealScores, out: Callable[[str], None] = print) -> None:
    out(f"\n== {s.name}: {s.n} reports, OPD top-1 {s.top1:.3f}, macro-F1 {s.macro_f1:.3f}, "
        f"taken as complaints by the gate {s.complaint_gate:.3f}, named agency routed {s.agency_routed} "
        f"({s.agency_right} right)")
    out("\nper OPD (gold):")
    out(f"| {'OPD':<22} | {'n':>4} | {'recall':>6} | {'precision':>9} |")
    gold = Counter(r.gold for r in routed)
    pred = Counter(r.opd for r in routed)
    for opd, n in gold.most_common():
        right = sum(r.gold == opd and r.opd == opd for r in routed)
        precision = right / pred[opd] if pred[opd] else float("nan")
        out(f"| {opd:<22} | {n:>4} | {right / n:>6.3f} | {precision:>9.3f} |")
    out("\nmost confused (gold -> routed: count):")
    pairs = Counter((r.gold, r.opd) for r in routed if r.gold != r.opd)
    out("  " + "; ".join(f"{g} -> {p}: {n}" for (g, p), n in pairs.most_common(12)))
    out("\nmost confident mistakes (confidence, gold -> routed, opening with capitalised words masked):")
    for r in sorted((r for r in routed if r.gold != r.opd), key=lambda r: -r.confidence)[:8]:
        out(f"  {r.confidence:.2f} {r.gold} -> {r.opd} ({r.by}): {masked(r.text)}")
    out("\nprecision/coverage of the routing confidence:")
    out("| threshold | routed without asking | right among them | n |")
    out("|---:|---:|---:|---:|")
    for t, cov, precision, n in coverage_curve(routed):
        out(f"| {t:.2f} | {cov:.3f} | {precision:.3f} | {n} |")
    out(f"\nreliability (ECE {expected_calibration_error(routed):.3f}):")
    out("| confidence | n | mean confidence | share right |")
    out("|---|---:|---:|---:|")
    for label, n, conf, acc in reliability(routed):
        out(f"| {label} | {n} | {conf:.3f} | {acc:.3f} |")


# Sources (`metadata: source:` of nlu/data) the zero-shot model never sees: everything derived from the
# Bandung file. bench/nlu_vs_rasa.py --real trains every backend on the same set.
ZERO_SHOT_LEFT_OUT = frozenset({"bandung"})


def _without(training: TrainingData, sources: set[str] | frozenset[str]) -> list[Example]:
    return [e for e in training.examples if source_of(e) not in sources]


def zero_shot_examples(training: TrainingData) -> list[Example]:
    """The zero-shot training set: our data without any row derived from the Bandung file."""
    return _without(training, ZERO_SHOT_LEFT_OUT)


def zero_shot_engine(config: Path, training: TrainingData, routing: dict[str, str]) -> NluEngine:
    """The zero-shot model, routing as Kab. Bandung does (`bandung_routing`)."""
    return NluEngine.train(config, training, bandung_routing(routing), examples=zero_shot_examples(training))


def zero_shot(config: Path, training: TrainingData, routing: dict[str, str], data_dir: Path,
              progress: Progress) -> list[Routed]:
    engine = zero_shot_engine(config, training, routing)
    progress("zero-shot model trained (no Bandung row)")
    reports = bandung_reports(data_dir)
    ours = route_all(engine.with_routing(routing), reports)
    progress(f"zero-shot OPD top-1 under our own directory's routing: {scores('ours', ours).top1:.3f}")
    return route_all(engine.with_routing(bandung_routing(routing)), reports)


def grouped_folds(data_dir: Path, routing: dict[str, str],
                  folds: int = 5) -> Iterator[tuple[int, list[Example], list[RealReport]]]:
    """The grouped cross-validation folds: (fold number from 1, the Bandung training rows of the other folds as
    examples, the held-out reports). One split for `python -m nlu evaluate` and the Rasa bench
    (bench/nlu_vs_rasa.py --real --cv), so both score the same reports trained on the same rows."""
    reports = bandung_reports(data_dir)
    routing = bandung_routing(routing)
    groups = [r.group for r in reports]
    vocabulary = common_words(data_dir)
    for fold, (train_i, test_i) in enumerate(GroupKFold(n_splits=folds).split(reports, groups=groups), 1):
        train_reports = [reports[i] for i in train_i if reports[i].label != OTHER]
        extra = [Example(text, topic, {"source": "bandung"})
                 for text, topic, _ in bandung_examples(train_reports, routing, vocabulary)]
        yield fold, extra, [reports[i] for i in test_i]


def grouped_cv(config: Path, training: TrainingData, routing: dict[str, str], data_dir: Path, progress: Progress,
               folds: int = 5, only_fold: int | None = None) -> list[Routed]:
    base = zero_shot_examples(training)
    routed: list[Routed] = []
    for fold, extra, held_out in grouped_folds(data_dir, routing, folds):
        if only_fold is not None and fold != only_fold:
            continue
        engine = NluEngine.train(config, training, bandung_routing(routing), examples=base + extra)
        routed += route_all(engine, held_out)
        progress(f"grouped cross-validation fold {fold}/{folds}")
    return routed


def purbalingga_agreement(config: Path, training: TrainingData, routing: dict[str, str], data_dir: Path,
                          progress: Progress) -> tuple[int, float, dict[str, float]]:
    engine = NluEngine.train(config, training, routing, examples=_without(training, {"purbalingga"}))
    progress("model without Purbalingga rows trained")
    reports = purbalingga_reports(data_dir)
    sectors = purbalingga_sectors()
    results: list[ParseResult] = engine.parse_results([r.text for r in reports])
    agree = [bool(res.routing and res.routing.id in sectors.get(r.label, set())) for r, res in zip(reports, results,
                                                                                                  strict=True)]
    per: dict[str, float] = {}
    for sector in sectors:
        inside = [a for a, r in zip(agree, reports, strict=True) if r.label == sector]
        if inside:
            per[sector] = float(np.mean(inside))
    return len(reports), float(np.mean(agree)), per


def run_real(config: Path, training: TrainingData, routing: dict[str, str], data_dir: Path, out_dir: Path,
             progress: Progress = print, folds: int = 5, configured: float | None = None) -> dict[str, object]:
    """Every real-text evaluation, printed, and a summary written to `out_dir/real.json`. `configured`: the
    `route_threshold` in use, whose figures are printed too when the curve would choose another."""
    zs = zero_shot(config, training, routing, data_dir, progress)
    zs_scores = scores("zero-shot (no Bandung row in training)", zs)
    cv = grouped_cv(config, training, routing, data_dir, progress, folds)
    cv_scores = scores(f"grouped {folds}-fold cross-validation (Bandung in training)", cv)
    threshold = choose_threshold(cv)
    n_pbg, agreement, per_sector = purbalingga_agreement(config, training, routing, data_dir, progress)

    print_report(zs, zs_scores)
    print_report(cv, cv_scores)
    reached = any(n and precision >= TARGET_PRECISION for _, _, precision, n in coverage_curve(cv, FINE_THRESHOLDS))
    print(f"\nroute_threshold chosen on the cross-validated curve (lowest with >= {TARGET_PRECISION:.0%} right): "
          + (f"{threshold:g}" if reached else f"none reaches it; the highest, {threshold:g}, is closest"))
    shown = [threshold] if configured is None or abs(configured - threshold) < 1e-9 else [threshold, configured]
    for at in shown:
        if at != threshold:
            print(f"at the configured route_threshold {at:g} (content/directory.yml):")
        for name, routed in (("zero-shot", zs), ("grouped CV", cv)):
            kept = [r for r in routed if r.confidence >= at]
            precision = float(np.mean([r.gold == r.opd for r in kept])) if kept else float("nan")
            print(f"  {name}: {len(kept) / len(routed):.3f} routed without asking, {precision:.3f} of them right")
    print(f"\nPurbalingga sector agreement (model without Purbalingga rows): {agreement:.3f} of {n_pbg}; "
          + ", ".join(f"{k} {v:.2f}" for k, v in per_sector.items()))
    summary: dict[str, object] = {
        "zero_shot": asdict(zs_scores), "grouped_cv": asdict(cv_scores), "threshold": threshold,
        "zero_shot_curve": coverage_curve(zs), "cv_curve": coverage_curve(cv),
        "zero_shot_reliability": reliability(zs), "cv_reliability": reliability(cv),
        "purbalingga": {"n": n_pbg, "agreement": agreement, "per_sector": per_sector},
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "real.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary
