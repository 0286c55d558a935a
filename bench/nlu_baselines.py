"""Plain classifiers on the grouped cross-validation split of `python -m nlu evaluate`: how far the obvious
alternatives to our router get on the Kab. Bandung reports.

Every baseline sees the same folds (nlu.evaluate_real.grouped_folds): trained on the training rows of four folds,
scored on the held-out reports of the fifth, OPD top-1 over all 762 mapped reports. Features are those of our
router (TF-IDF word 1-2-grams and char_wb 2-5-grams, sublinear tf), without its courtesy stripping, gate,
normaliser or agency override:

    flat OPD SVM, Bandung rows only      a linear SVM over OPDs, trained on the relabelled Bandung rows alone
    flat OPD SVM, all complaints         the same over the zero-shot complaints (topic -> OPD) and the Bandung rows
    topic SVM, summed per OPD            an SVM over topics (long texts weigh more, as ours), softmax, summed per OPD
    the same + nearest Bandung reports   blended with a vote of the 10 most similar Bandung training reports

    .venv/bin/python bench/nlu_baselines.py

Prints the table and, when `python -m nlu evaluate` has run, our router's figure from var/nlu-eval/real.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from bot.directory import Directory  # noqa: E402
from nlu.evaluate_real import grouped_folds, zero_shot_examples  # noqa: E402
from nlu.realtext import bandung_routing, shared_data_dir  # noqa: E402
from nlu.router import opd_of_topic  # noqa: E402
from nlu.training_data import load_training_data  # noqa: E402

NEIGHBOURS = 10
NEIGHBOUR_SHARE = 0.2
TEMPERATURE = 5.0


class Features:
    """Our router's two TF-IDF blocks, each l2-normalised, the row scaled to norm 1."""

    def __init__(self) -> None:
        self.word = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2, token_pattern=r"(?u)\b\w+\b")
        self.char = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                    max_features=40000)

    def fit(self, texts: list[str]) -> sp.csr_matrix:
        return sp.hstack([self.word.fit_transform(texts), self.char.fit_transform(texts)], format="csr") * np.sqrt(0.5)

    def __call__(self, texts: list[str]) -> sp.csr_matrix:
        return sp.hstack([self.word.transform(texts), self.char.transform(texts)], format="csr") * np.sqrt(0.5)


def svm(x: sp.csr_matrix, y: list[str], weights: np.ndarray | None = None) -> LinearSVC:
    return LinearSVC(C=0.5, max_iter=2000, random_state=42).fit(x, y, sample_weight=weights)


def main() -> int:
    shared = shared_data_dir()
    if shared is None:
        raise SystemExit("../shared/data is absent: the baselines need the Bandung file")
    directory = Directory.load(ROOT / "content" / "directory.yml")
    routing = bandung_routing(directory.routing)
    complaints = [(e.text, e.intent) for e in zero_shot_examples(load_training_data(ROOT / "nlu" / "data"))
                  if opd_of_topic(e.intent, routing) is not None]
    names = ["flat OPD SVM, Bandung rows only", "flat OPD SVM, all complaints", "topic SVM, summed per OPD",
             "the same + nearest Bandung reports"]
    right = dict.fromkeys(names, 0)
    total = 0
    for fold, extra, held_out in grouped_folds(shared, directory.routing):
        gold = [r.label for r in held_out]
        total += len(held_out)
        texts = [r.text for r in held_out]
        bandung = [(e.text, e.intent) for e in extra]

        features = Features()
        x = features.fit([t for t, _ in bandung])
        model = svm(x, [str(opd_of_topic(topic, routing)) for _, topic in bandung])
        right[names[0]] += sum(p == g for p, g in zip(model.predict(features(texts)), gold, strict=True))

        rows = complaints + bandung
        features = Features()
        x = features.fit([t for t, _ in rows])
        q = features(texts)
        model = svm(x, [str(opd_of_topic(topic, routing)) for _, topic in rows])
        right[names[1]] += sum(p == g for p, g in zip(model.predict(q), gold, strict=True))

        weights = np.clip(np.array([len(t.split()) for t, _ in rows]) / 15.0, 1.0, 3.0)
        model = svm(x, [topic for _, topic in rows], weights)
        margins = np.asarray(q @ model.coef_.T + model.intercept_) * TEMPERATURE
        topic_p = np.exp(margins - margins.max(axis=1, keepdims=True))
        topic_p /= topic_p.sum(axis=1, keepdims=True)
        opds = sorted({str(opd_of_topic(t, routing)) for t in model.classes_})
        column = {o: j for j, o in enumerate(opds)}
        summed = np.zeros((len(texts), len(opds)))
        for j, topic in enumerate(model.classes_):
            summed[:, column[str(opd_of_topic(topic, routing))]] += topic_p[:, j]
        right[names[2]] += sum(opds[j] == g for j, g in zip(summed.argmax(axis=1), gold, strict=True))

        similarity = (q @ x[len(complaints):].T).toarray()
        votes = np.zeros_like(summed)
        for i, nearest in enumerate(np.argsort(-similarity, axis=1)[:, :NEIGHBOURS]):
            for j in nearest:
                votes[i, column[str(opd_of_topic(bandung[j][1], routing))]] += similarity[i, j]
        votes /= np.maximum(votes.sum(axis=1, keepdims=True), 1e-9)
        blended = (1 - NEIGHBOUR_SHARE) * summed + NEIGHBOUR_SHARE * votes
        right[names[3]] += sum(opds[j] == g for j, g in zip(blended.argmax(axis=1), gold, strict=True))
        print(f"fold {fold}: " + ", ".join(f"{right[n]}" for n in names), flush=True)

    print(f"\nOPD top-1 on {total} Kab. Bandung reports, grouped 5-fold cross-validation (the split of "
          "`python -m nlu evaluate`):\n")
    print("| model | right | OPD top-1 |\n|---|---:|---:|")
    for name in names:
        print(f"| {name} | {right[name]} | {right[name] / total:.3f} |")
    summary = ROOT / "var" / "nlu-eval" / "real.json"
    if summary.exists():
        ours = json.loads(summary.read_text(encoding="utf-8"))["grouped_cv"]
        print(f"| our router (`python -m nlu evaluate`, {summary.relative_to(ROOT)}) | "
              f"{round(ours['top1'] * ours['n'])} | {ours['top1']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
