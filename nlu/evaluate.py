"""Measure the NLU: real portal text first (nlu/evaluate_real.py), then our own data and held-out set.

Prints accuracy and macro-F1 for intents and for OPD routing, per-intent precision/recall/F1, the
most confused pairs, and language detection against plain langdetect; writes a confusion-matrix PNG
and the misclassified examples under the output directory.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from nlu import yamlio
from nlu.engine import FALLBACK_INTENT, NluEngine, route
from nlu.evaluate_real import run_real
from nlu.language import LanguageDetector, plain_langdetect
from nlu.realtext import shared_data_dir
from nlu.result import GATE_COMPLAINT, ParseResult
from nlu.training_data import Example, load_training_data

OUTSIDE = "luar"
NONE = "-"


@dataclass
class Scores:
    name: str
    n: int
    intent_accuracy: float
    intent_macro_f1: float
    opd_accuracy: float
    opd_macro_f1: float


def label_of(example: Example) -> str:
    """The label the evaluation compares: the full intent (`faq/ktp_el`, `aduan_sampah`)."""
    return example.intent


def predicted_label(result: dict[str, Any]) -> str:
    """The full predicted intent; for FAQs the response selector's key; the fallback's runner-up."""
    name = (result.get("intent") or {}).get("name") or NONE
    if name == FALLBACK_INTENT:
        ranking = [r for r in result.get("intent_ranking") or [] if r["name"] != FALLBACK_INTENT]
        name = ranking[0]["name"] if ranking else NONE
    if name == "faq":
        selector = (result.get("response_selector") or {}).get("faq") or {}
        name = ((selector.get("response") or {}).get("intent_response_key")) or "faq"
    return name


def opd_of(intent: str, routing: dict[str, str]) -> str:
    if intent in routing:
        return routing[intent]
    if intent.startswith("luar_"):
        return OUTSIDE
    return NONE


def routing_pairs(gold: Sequence[str], pred: Sequence[str], routing: dict[str, str]) -> tuple[list[str], list[str]]:
    """OPD labels for the complaint examples only (what routing is about)."""
    g, p = [], []
    for gi, pi in zip(gold, pred, strict=True):
        if gi in routing or gi.startswith("luar_"):
            g.append(opd_of(gi, routing))
            p.append(opd_of(pi, routing))
    return g, p


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-F1 over the labels of the test set (a wrong label predicted lowers recall, not the average)."""
    return float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0))


def routed_opd(result: dict[str, Any], routing: dict[str, str]) -> str:
    """The OPD the routing decision names (`route`, the same for every backend), or "-"."""
    decision = route(result, routing)
    return decision["id"] if decision else NONE


def score(name: str, gold: list[str], pred: list[str], routing: dict[str, str],
          opd_pred: list[str] | None = None) -> Scores:
    """Intent scores over every example; OPD scores over the complaint examples, from `opd_pred`
    (the routing decision per example) when given, else from the predicted intents."""
    og, op = routing_pairs(gold, pred, routing)
    if opd_pred is not None:
        op = [o for g, o in zip(gold, opd_pred, strict=True) if g in routing or g.startswith("luar_")]
    return Scores(name, len(gold), accuracy_score(gold, pred), macro_f1(gold, pred),
                  accuracy_score(og, op) if og else 0.0, macro_f1(og, op) if og else 0.0)


def cross_validate(config: Path, examples: list[Example], training: Any, routing: dict[str, str], folds: int,
                   progress: Callable[[str], None]) -> tuple[list[str], list[str], list[str], list[str]]:
    labels = [label_of(e) for e in examples]
    counts = Counter(labels)
    usable = [i for i, lab in enumerate(labels) if counts[lab] >= folds]
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=42)
    gold: list[str] = []
    pred: list[str] = []
    texts: list[str] = []
    opd: list[str] = []
    idx = np.array(usable)
    for fold, (train_i, test_i) in enumerate(skf.split(idx, [labels[i] for i in usable]), 1):
        engine = NluEngine.train(config, training, routing, examples=[examples[i] for i in idx[train_i]])
        tests = [examples[i] for i in idx[test_i]]
        results = engine.parse_many([e.text for e in tests])
        gold += [label_of(e) for e in tests]
        texts += [e.text for e in tests]
        pred += [predicted_label(r) for r in results]
        opd += [routed_opd(r, routing) for r in results]
        progress(f"cross-validation fold {fold}/{folds}: {accuracy_score(gold[-len(tests):], pred[-len(tests):]):.3f}")
    return gold, pred, texts, opd


def per_intent_table(gold: list[str], pred: list[str]) -> list[str]:
    labels = sorted(set(gold))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    lines = [f"{'intent':<34} {'prec':>6} {'rec':>6} {'f1':>6} {'n':>5}"]
    for i, label in enumerate(labels):
        lines.append(f"{label:<34} {p[i]:>6.3f} {r[i]:>6.3f} {f[i]:>6.3f} {int(s[i]):>5}")
    return lines


def confused_pairs(gold: list[str], pred: list[str], top: int = 15) -> list[tuple[str, str, int]]:
    pairs = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    return [(g, p, n) for (g, p), n in pairs.most_common(top)]


def plot_confusion(gold: list[str], pred: list[str], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = sorted(set(gold) | set(pred))
    matrix = confusion_matrix(gold, pred, labels=labels)
    with np.errstate(invalid="ignore", divide="ignore"):
        normalised = np.nan_to_num(matrix / matrix.sum(axis=1, keepdims=True))
    size = max(8, len(labels) * 0.22)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(normalised, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
    ax.set_yticks(range(len(labels)), labels, fontsize=6)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


# Held-out complaints in another language with their Indonesian twins (nlu/test/*_twins.yml):
# language -> (file, key of the non-Indonesian text).
TWIN_FILES = {"English": ("english_twins.yml", "en"), "Javanese": ("javanese_twins.yml", "jv")}


@dataclass
class TwinScores:
    """Complaints in one language against their Indonesian twins: OPD right, taken as complaints by the
    gate, routed without asking (confidence at the threshold); each for both sides."""

    language: str
    n: int
    opd: float
    twin_opd: float
    complaint: float
    twin_complaint: float
    routed: float
    twin_routed: float
    wrong: list[tuple[str, str, str]]  # (text, gold OPD, routed OPD) of the non-Indonesian side


def twin_pairs(test_dir: Path, language: str) -> list[dict[str, str]]:
    name, _ = TWIN_FILES[language]
    path = test_dir / name
    if not path.exists():
        return []
    return list(yamlio.safe_load(path.read_text(encoding="utf-8"))["pairs"])


def twin_scores(engine: NluEngine, test_dir: Path, language: str, routing: dict[str, str],
                threshold: float) -> TwinScores | None:
    """Route the complaints of `language` and their Indonesian twins; None without a twins file."""
    pairs = twin_pairs(test_dir, language)
    if not pairs:
        return None
    key = TWIN_FILES[language][1]
    gold = [routing[p["topic"]] for p in pairs]
    sides = [engine.parse_results([p[k] for p in pairs]) for k in (key, "id")]

    def rates(results: list[ParseResult]) -> tuple[float, float, float]:
        opd = [r.routing.id if r.routing else NONE for r in results]
        return (float(np.mean([g == o for g, o in zip(gold, opd, strict=True)])),
                float(np.mean([r.gate == GATE_COMPLAINT for r in results])),
                float(np.mean([bool(r.routing and r.routing.confidence >= threshold) for r in results])))

    (opd, complaint, routed), (twin_opd, twin_complaint, twin_routed) = rates(sides[0]), rates(sides[1])
    wrong = [(p[key], g, r.routing.id if r.routing else NONE)
             for p, g, r in zip(pairs, gold, sides[0], strict=True) if not r.routing or r.routing.id != g]
    return TwinScores(language, len(pairs), opd, twin_opd, complaint, twin_complaint, routed, twin_routed, wrong)


def print_twins(rows: Sequence[TwinScores], threshold: float) -> None:
    print(f"\nheld-out complaints in English and Javanese against their Indonesian twins (nlu/test/*_twins.yml; "
          f"routed = confidence >= route_threshold {threshold:g}):")
    print("| language | pairs | OPD right | twins right | taken as complaints | twins | routed without asking "
          "| twins |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for t in rows:
        print(f"| {t.language} | {t.n} | {t.opd:.3f} | {t.twin_opd:.3f} | {t.complaint:.3f} | {t.twin_complaint:.3f} "
              f"| {t.routed:.3f} | {t.twin_routed:.3f} |")
        for text, gold, got in t.wrong:
            print(f"  {t.language} wrong: {gold} -> {got}: {text}")


def language_report(path: Path) -> tuple[int, float, float]:
    rows = [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line]
    detector = LanguageDetector(seed=0)
    ours = sum(detector.detect(text) == lang for text, lang in rows)
    plain = sum(plain_langdetect(text) == lang for text, lang in rows)
    return len(rows), ours / len(rows), plain / len(rows)


def run(root: Path, config: Path, data_dir: Path, test_dir: Path, out_dir: Path, routing: dict[str, str],
        folds: int = 5, progress: Callable[[str], None] = print, real_only: bool = False,
        real: bool = True, threshold: float = 0.9) -> dict[str, Any]:
    """Real-text evaluation first (when ../shared/data is there and `real`), then our own data."""
    started = time.perf_counter()
    training = load_training_data(data_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shared = shared_data_dir() if real else None
    real_summary = None
    if shared is not None:
        print("Real portal text (../shared/data): OPD routing of SP4N-LAPOR! Kab. Bandung, sectors of Purbalingga")
        real_summary = run_real(config, training, routing, shared, out_dir, progress, configured=threshold)
    else:
        print("real-text evaluation skipped (../shared/data absent or not asked for)")
    if real_only:
        return {"real": real_summary}
    # Our own data: cross-validation over every example we wrote (real relabelled rows left out, so
    # the figure stays comparable with earlier runs), and the held-out test set.
    examples = [e for e in training.examples if "source" not in e.metadata]

    cv_gold, cv_pred, cv_texts, cv_opd = cross_validate(config, examples, training, routing, folds, progress)
    cv = score(f"{folds}-fold cross-validation", cv_gold, cv_pred, routing, cv_opd)

    engine = NluEngine.train(config, training, routing)
    heldout = load_training_data(test_dir).examples if test_dir.exists() else []
    results = engine.parse_many([e.text for e in heldout]) if heldout else []
    ho_gold = [label_of(e) for e in heldout]
    ho_pred = [predicted_label(r) for r in results]
    ho_opd = [routed_opd(r, routing) for r in results]
    ho = score("held-out test", ho_gold, ho_pred, routing, ho_opd) if heldout else None

    print()
    print(f"{'evaluation':<28} {'n':>6} {'intent acc':>11} {'intent F1':>10} {'OPD acc':>8} {'OPD F1':>7}")
    for s in [cv, ho] if ho else [cv]:
        print(f"{s.name:<28} {s.n:>6} {s.intent_accuracy:>11.3f} {s.intent_macro_f1:>10.3f} "
              f"{s.opd_accuracy:>8.3f} {s.opd_macro_f1:>7.3f}")
    gold, pred = (ho_gold, ho_pred) if ho else (cv_gold, cv_pred)
    print(f"\nper intent ({'held-out' if ho else 'cross-validation'}):")
    table = per_intent_table(gold, pred)
    print("\n".join(table))
    print("\nmost confused pairs (true -> predicted, count):")
    for g, p, n in confused_pairs(gold, pred):
        print(f"  {g} -> {p}: {n}")
    twins = [t for t in (twin_scores(engine, test_dir, lang, routing, threshold) for lang in TWIN_FILES) if t]
    if twins:
        print_twins(twins, threshold)
    n_lang, ours, plain = language_report(root / "nlu" / "test" / "language.tsv")
    print(f"\nlanguage detection on {n_lang} short messages: ours {ours:.3f}, plain langdetect {plain:.3f}")

    plot_confusion(gold, pred, out_dir / "confusion.png", "Warga NLU: " + ("held-out" if ho else "cross-validation"))
    with (out_dir / "misclassified.tsv").open("w", encoding="utf-8") as fh:
        fh.write("set\ttrue\tpredicted\ttext\n")
        for name, gs, ps, texts in (("cv", cv_gold, cv_pred, cv_texts),
                                    ("heldout", ho_gold, ho_pred, [e.text for e in heldout])):
            for g, p, text in zip(gs, ps, texts, strict=True):
                if g != p:
                    fh.write(f"{name}\t{g}\t{p}\t{text}\n")
    summary = {"real": real_summary, "cv": cv.__dict__, "heldout": ho.__dict__ if ho else None,
               "language": {"n": n_lang, "ours": ours, "plain_langdetect": plain},
               "twins": [{k: v for k, v in t.__dict__.items() if k != "wrong"} for t in twins],
               "seconds": time.perf_counter() - started}
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"\nwrote {out_dir / 'confusion.png'}, {out_dir / 'misclassified.tsv'}, {out_dir / 'summary.json'}")
    return summary
