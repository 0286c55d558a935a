"""The routing model: a gate (complaint / FAQ / chat), a complaint-only topic model, OPD sums, calibration.

Shared by the built-in engine's `ComplaintRouter` component (nlu/engine.py) and the real-Rasa one
(nlu/rasa_components.py), so both run the very same model:

- features: TF-IDF of word 1-2-grams and `char_wb` 2-5-grams with sublinear tf and l2 norm, so a long
  multi-sentence report does not get extreme scores just for being long;
- gate: logistic regression over every example, labelled complaint (`aduan_*`, `luar_*`), FAQ
  (`faq/*`) or chat (the rest); a message of `chat_max_words` words or more is never chat;
- topic model: a linear SVM over complaint examples only (an example of n words weighs
  n / `chat_max_words`, between 1 and `long_weight`: a long real report carries more of how residents
  write than a short line of ours; a topic weighs by `class_weight`, `sqrt` being the square root of
  `balanced`), its margins turned into probabilities by a
  temperature fitted out-of-fold; the routing decision sums topic
  probabilities per OPD (a regency's routing table, applied at parse time, so re-routing a topic needs
  no retraining) and takes the best topic inside the best OPD;
- OPD head (`opd_head_share` > 0): a second linear SVM over the same complaint examples labelled with their
  topic's OPD under the training-time routing (a topic no OPD takes is a group of its own), its margins turned
  into probabilities by its own out-of-fold temperature. Its group probability is shared among the group's
  topics as the topic model shares it (p(topic | group)), and blended: share * that + (1 - share) * p(topic).
  Under the training routing the OPD sums are exactly share * p_head(OPD) + (1 - share) * sum of p(topic);
  a topic re-routed at parse time takes its part of both with it, so re-routing still needs no retraining;
- other intents: logistic regression over FAQ and chat examples, for the intent ranking;
- calibration: out-of-fold predictions on the training complaints give P(right | summed OPD
  probability) by Platt scaling, so a confidence of 0.9 means right about 9 times in 10;
- agency override: a resident who names exactly one agency (`agency` entities, value = OPD id) is
  routed there, to that OPD's most likely topic.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from nlu.result import GATE_CHAT, GATE_COMPLAINT, GATE_FAQ, IntentScore, OpdScore, RoutingDecision

OUTSIDE_AUTHORITY = "luar"
AGENCY_ENTITY = "agency"
AGENCY_CONFIDENCE = 0.97

DEFAULTS: dict[str, Any] = {
    "word_max_ngram": 2,
    "char_min_ngram": 2,
    "char_max_ngram": 5,
    "char_max_features": 40000,
    "min_df": 2,
    "word_min_df": 2,
    "C": 0.5,
    "gate_C": 10.0,
    "max_iter": 1000,
    "lr_max_iter": 300,
    "tol": 0.0001,
    "calibration_folds": 2,
    "calibration_min_words": 6,
    "chat_max_words": 15,
    "ranking_length": 10,
    "random_state": 42,
    "agency_disagree_confidence": 0.7,
    "class_weight": "balanced",
    "strip_courtesy": True,
    "long_weight": 1.0,
    "opd_head_share": 0.0,
}

# Courtesy phrases of Indonesian (and Sundanese, Javanese) reports, on normalised (lower-case) text.
COURTESY = re.compile(
    r"\b(?:assalamu ?alaikum(?: warahmatullahi wabarakatuh| wr wb| wr\.? ?wb)?|wassalamu ?alaikum(?: wr wb)?"
    r"|selamat (?:pagi|siang|sore|malam)|sampurasun|punten|permisi|mohon maaf(?: mengganggu)?"
    r"|(?:kepada )?(?:yth|yang terhormat|yang saya hormati)|bapak ibu|bapak|ibu|admin|min|sdr"
    r"|di tempat|dengan hormat|hormat (?:saya|kami)|terima ?kasih(?: banyak| atas perhatian(?:nya)?)?|hatur nuhun"
    r"|matur nuwun|atas perhatian(?:nya)?|mohon (?:segera )?(?:di ?tindak ?lanjuti|tindak ?lanjut(?:nya)?)"
    r"|mohon (?:bantuan(?:nya)?|perhatian(?:nya)?)|sebelumnya|salam)\b")


def gate_of(intent: str) -> str:
    """The gate label of a training intent."""
    if intent.startswith(("aduan_", "luar_")):
        return GATE_COMPLAINT
    if intent.startswith("faq"):
        return GATE_FAQ
    return GATE_CHAT


def opd_of_topic(topic: str, routing: dict[str, str]) -> str | None:
    if topic in routing:
        return routing[topic]
    if topic.startswith("luar_"):
        return OUTSIDE_AUTHORITY
    return None


def group_of(topic: str, routing: dict[str, str]) -> str:
    """The OPD head's label of a topic: its OPD under the training routing, or the topic itself."""
    return opd_of_topic(topic, routing) or topic


def _fit(model: LogisticRegression, x: sp.csr_matrix, y: Sequence[str]) -> LogisticRegression:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, list(y))
    return model


def fit_on_used_columns(model: LogisticRegression, x: sp.csr_matrix,
                        y: Sequence[str]) -> tuple[LogisticRegression, np.ndarray]:
    """Fit on the columns some training row uses, and return the weights over all columns.

    A column that is zero in every training row gets weight 0 under L2 regularisation anyway, so this
    is the same model; the solver just works on far fewer weights (a FAQ or chat model over a vocabulary
    built mostly from long reports)."""
    used = np.unique(x.indices)
    _fit(model, x[:, used], y)
    coef = np.zeros((model.coef_.shape[0], x.shape[1]))
    coef[:, used] = model.coef_
    return model, coef


def known_counts(grams: Sequence[str], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Vocabulary ids of the n-grams and how often each occurs (counted in C by `Counter`)."""
    found = [(vocabulary.get(g), n) for g, n in Counter(grams).items()]
    pairs = [(i, n) for i, n in found if i is not None]
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    ids, counts = zip(*pairs, strict=True)
    return np.array(ids, dtype=np.int64), np.array(counts, dtype=np.float64)


class _Linear:
    """softmax(T (W x + b)) of a fitted linear model, with W kept as a dense array for fast rows.

    T = 1 gives a LogisticRegression's own probabilities; for a LinearSVC, T is fitted on out-of-fold
    margins (`_temperature`) so the softmax of its margins is a probability."""

    def __init__(self, model: LogisticRegression | LinearSVC, coef: np.ndarray | None = None,
                 temperature: float = 1.0) -> None:
        self.classes = [str(c) for c in model.classes_]
        # features x classes, scaled by the temperature
        weights = np.asarray(model.coef_ if coef is None else coef, dtype=np.float64)
        self.coef = np.ascontiguousarray(weights.T * temperature)
        self.intercept = np.asarray(model.intercept_, dtype=np.float64) * temperature

    def proba(self, x: sp.csr_matrix) -> np.ndarray:
        return self._softmax(np.asarray(x @ self.coef) + self.intercept)

    def proba_row(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Probabilities of one message from its feature indices and values (no sparse matrix)."""
        return self._softmax((values @ self.coef[indices] + self.intercept).reshape(1, -1))[0]

    def _softmax(self, scores: np.ndarray) -> np.ndarray:
        if len(self.classes) == 2 and scores.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - p, p])
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)


class _Constant:
    """The model of a single class (e.g. training data without complaints): probability 1."""

    def __init__(self, name: str) -> None:
        self.classes = [name]

    def proba_row(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.ones(1)


@dataclass
class Platt:
    """P(right | p) = sigmoid(a * logit(p) + b), fitted on out-of-fold predictions."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, p: np.ndarray | float) -> np.ndarray:
        q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
        return 1.0 / (1.0 + np.exp(-(self.a * np.log(q / (1 - q)) + self.b)))

    @classmethod
    def fit(cls, p: np.ndarray, right: np.ndarray) -> Platt:
        if len(set(right.tolist())) < 2:
            return cls()
        q = np.clip(p, 1e-6, 1 - 1e-6)
        x = np.log(q / (1 - q)).reshape(-1, 1)
        model = LogisticRegression(C=100.0).fit(x, right.astype(int))
        return cls(float(model.coef_[0, 0]), float(model.intercept_[0]))


@dataclass
class Prediction:
    """The router's view of one message."""

    gate: str
    intent_ranking: list[IntentScore]
    routing: RoutingDecision | None


@dataclass
class RoutingModel:
    """Gate + topic model + other-intent model over shared TF-IDF features (see the module docstring)."""

    config: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.config = {**DEFAULTS, **{k: v for k, v in self.config.items() if k != "name"}}

    # --- training ----------------------------------------------------------------------------------
    def _vectorizers(self) -> tuple[TfidfVectorizer, TfidfVectorizer]:
        c = self.config
        word = TfidfVectorizer(analyzer="word", ngram_range=(1, int(c["word_max_ngram"])), sublinear_tf=True,
                               min_df=int(c["word_min_df"]), token_pattern=r"(?u)\b\w+\b", dtype=np.float64)
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=(int(c["char_min_ngram"]), int(c["char_max_ngram"])),
                               sublinear_tf=True, min_df=int(c["min_df"]), max_features=int(c["char_max_features"]),
                               dtype=np.float64)
        return word, char

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows, each featurizer l2-normalised, scaled so a row has norm 1.

        The same numbers as `TfidfVectorizer.transform` (sublinear tf, idf, l2), computed directly from
        the analyzers: sklearn's per-call overhead would otherwise dominate parsing one message.
        """
        rows = [self.row(t) for t in texts]
        indptr = np.cumsum([0, *(len(r[0]) for r in rows)])
        indices = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=np.int64)
        values = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0)
        return sp.csr_matrix((values, indices, indptr), shape=(len(texts), self.size))

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One message's feature indices and values (see `features`)."""
        parts_i: list[np.ndarray] = []
        parts_v: list[np.ndarray] = []
        offset = 0
        for vectorizer, analyzer in zip((self.word, self.char), self._analyzers(), strict=True):
            vocabulary = vectorizer.vocabulary_
            ids, counts = known_counts(analyzer(text), vocabulary)
            if len(ids):
                values = (1.0 + np.log(counts)) * vectorizer.idf_[ids]
                values *= np.sqrt(0.5) / np.sqrt(values @ values)
                parts_i.append(ids + offset)
                parts_v.append(values)
            offset += len(vocabulary)
        if not parts_i:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(parts_i), np.concatenate(parts_v)

    def content(self, text: str) -> str:
        """A report without its courtesies: greetings, forms of address and closings say nothing about where
        it goes, and real reports are full of them. Only for messages of `chat_max_words` words or more
        (never chat), so a plain "selamat pagi" still reaches the gate as it is."""
        if not self.config["strip_courtesy"] or len(text.split()) < int(self.config["chat_max_words"]):
            return text
        return " ".join(COURTESY.sub(" ", text).split())

    def _analyzers(self) -> list[Any]:
        cached = self.__dict__.get("_cached_analyzers")
        if cached is None:
            cached = self.__dict__["_cached_analyzers"] = [self.word.build_analyzer(), self.char.build_analyzer()]
        return cached

    @property
    def size(self) -> int:
        return len(self.word.vocabulary_) + len(self.char.vocabulary_)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_cached_analyzers"}

    def _weights(self, texts: Sequence[str]) -> np.ndarray:
        """Sample weights of complaint examples: longer ones (real reports) count more, up to `long_weight`."""
        cap = float(self.config["long_weight"])
        words = np.array([len(t.split()) for t in texts], dtype=np.float64)
        return np.clip(words / float(self.config["chat_max_words"]), 1.0, max(1.0, cap))

    def _topic_model(self, x: sp.csr_matrix, y: Sequence[str], weights: np.ndarray | None = None) -> LinearSVC:
        """A linear SVM over complaint topics: on long texts it trains in seconds where a multinomial
        logistic regression over 70 topics takes minutes; a temperature turns its margins into probabilities."""
        c = self.config
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return LinearSVC(C=float(c["C"]), class_weight=_class_weight(c["class_weight"], y),
                             max_iter=int(c["max_iter"]),
                             random_state=int(c["random_state"])).fit(x, list(y), sample_weight=weights)

    def _logistic(self, x: sp.csr_matrix, y: Sequence[str]) -> _Linear:
        c = self.config
        model = LogisticRegression(C=float(c["gate_C"]), max_iter=int(c["lr_max_iter"]), tol=float(c["tol"]),
                                   class_weight="balanced")
        return _Linear(*fit_on_used_columns(model, x, y))

    def fit(self, texts: Sequence[str], intents: Sequence[str], routing: dict[str, str]) -> RoutingModel:
        """Train on normalised texts and their intents (`aduan_*`, `luar_*`, `faq`, chat intents)."""
        self.word, self.char = self._vectorizers()
        # The training rows straight from fit_transform (the same numbers `row` computes for one message):
        # each text is analysed once.
        content = [self.content(t) for t in texts]
        x = sp.hstack([self.word.fit_transform(content), self.char.fit_transform(content)], format="csr") * np.sqrt(0.5)
        gates = [gate_of(i) for i in intents]
        self.gate = self._logistic(x, gates) if len(set(gates)) >= 2 else _Constant(gates[0])
        complaint = np.array([g == GATE_COMPLAINT for g in gates])
        topics = [i for i, g in zip(intents, gates, strict=True) if g == GATE_COMPLAINT]
        self.topics: _Linear | _Constant | None = None
        self.head: _Linear | None = None
        self.head_index: np.ndarray | None = None
        self.platt = Platt()
        if len(set(topics)) >= 2:
            complaint_texts = [t for t, g in zip(texts, gates, strict=True) if g == GATE_COMPLAINT]
            weights = self._weights(complaint_texts)
            temperature, head_temperature, self.platt = self._calibrate(x[complaint], topics, complaint_texts,
                                                                        routing)
            self.topics = _Linear(self._topic_model(x[complaint], topics, weights), temperature=temperature)
            groups = [group_of(t, routing) for t in topics]
            if self._share() > 0 and len(set(groups)) >= 2:
                self.head = _Linear(self._topic_model(x[complaint], groups, weights), temperature=head_temperature)
                self.head_index = _head_index(self.topics.classes, self.head.classes, routing)
        elif topics:
            self.topics = _Constant(topics[0])
        others = [i for i, g in zip(intents, gates, strict=True) if g != GATE_COMPLAINT]
        self.others: _Linear | _Constant | None = None
        if len(set(others)) >= 2:
            self.others = self._logistic(x[~complaint], others)
        elif others:
            self.others = _Constant(others[0])
        return self

    def _share(self) -> float:
        return float(self.config.get("opd_head_share") or 0.0)

    def _calibrate(self, x: sp.csr_matrix, topics: list[str], texts: list[str],
                   routing: dict[str, str]) -> tuple[float, float, Platt]:
        """Temperatures of the topic margins and of the OPD head's, and Platt scaling of the (blended) summed
        OPD probability, all fitted on out-of-fold predictions of report-length texts."""
        folds = int(self.config["calibration_folds"])
        counts: dict[str, int] = {}
        for t in topics:
            counts[t] = counts.get(t, 0) + 1
        usable = np.array([i for i, t in enumerate(topics) if counts[t] >= folds])
        if folds < 2 or len(usable) < 50:
            return 1.0, 1.0, Platt()
        min_words = int(self.config["calibration_min_words"])
        labels = [topics[i] for i in usable]
        share = self._share()
        margins: list[np.ndarray] = []
        classes: list[list[str]] = []
        head_margins: list[np.ndarray] = []
        head_classes: list[list[str]] = []
        truth: list[str] = []
        split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=int(self.config["random_state"]))
        for train, test in split.split(usable, labels):
            weights = self._weights([texts[usable[i]] for i in train])
            model = _Linear(self._topic_model(x[usable[train]], [labels[i] for i in train], weights))
            kept = [i for i in test if len(texts[usable[i]].split()) >= min_words]
            if not kept:
                continue
            margins.append(np.asarray(x[usable[kept]] @ model.coef) + model.intercept)
            classes.append(model.classes)
            truth += [labels[i] for i in kept]
            if share > 0:
                head = _Linear(self._topic_model(x[usable[train]], [group_of(labels[i], routing) for i in train],
                                                 weights))
                head_margins.append(np.asarray(x[usable[kept]] @ head.coef) + head.intercept)
                head_classes.append(head.classes)
        if len(truth) < 30:
            return 1.0, 1.0, Platt()
        temperature = _temperature(margins, classes, truth)
        head_temperature = 1.0
        if share > 0:
            head_temperature = _temperature(head_margins, head_classes, [group_of(t, routing) for t in truth])
        probs: list[float] = []
        right: list[bool] = []
        start = 0
        for k, (block, names) in enumerate(zip(margins, classes, strict=True)):
            rows = _softmax_rows(block * temperature)
            if share > 0:
                rows = _blend(rows, _softmax_rows(head_margins[k] * head_temperature),
                              _head_index(names, head_classes[k], routing), share)
            for row, gold in zip(rows, truth[start:start + len(block)], strict=True):
                opds = _sum_by_opd(names, row, routing)
                best = max(opds, key=lambda o: opds[o])
                probs.append(opds[best])
                right.append(best == opd_of_topic(gold, routing))
            start += len(block)
        return temperature, head_temperature, Platt.fit(np.array(probs), np.array(right))

    # --- use ---------------------------------------------------------------------------------------
    def predict(self, texts: Sequence[str], routing: dict[str, str],
                agencies: Sequence[set[str]] | None = None) -> list[Prediction]:
        rows = [self.row(self.content(t)) for t in texts]
        gate_p = [self.gate.proba_row(*r) for r in rows]
        topics = self.topics
        topic_p = [topics.proba_row(*r) for r in rows] if topics is not None else None
        head = getattr(self, "head", None)  # None in a model pickled before the OPD head existed
        if head is not None and topic_p is not None and self.head_index is not None:
            topic_p = [_blend(p.reshape(1, -1), head.proba_row(*r).reshape(1, -1), self.head_index, self._share())[0]
                       for p, r in zip(topic_p, rows, strict=True)]
        other_p = [self.others.proba_row(*r) for r in rows] if self.others is not None else None
        out = []
        for i, text in enumerate(texts):
            gate = dict(zip(self.gate.classes, gate_p[i], strict=True))
            if len(text.split()) >= int(self.config["chat_max_words"]) and gate.get(GATE_CHAT, 0.0) > 0.0:
                # A long message is a report or a question, never small talk.
                rest = 1.0 - gate[GATE_CHAT]
                gate = {k: (v / rest if rest > 0 else 0.5) for k, v in gate.items() if k != GATE_CHAT}
                gate[GATE_CHAT] = 0.0
            verdict = max(gate, key=lambda k: gate[k])
            complaint = gate.get(GATE_COMPLAINT, 0.0)
            scores: list[tuple[str, float]] = []
            if topics is not None and topic_p is not None:
                scores = [(t, complaint * float(p)) for t, p in zip(topics.classes, topic_p[i], strict=True)]
            if other_p is not None and self.others is not None:
                for name, p in zip(self.others.classes, other_p[i], strict=True):
                    scores.append((name, gate.get(gate_of(name), 0.0) * float(p)))
            named = agencies[i] if agencies is not None else set()
            decision = self._decide(topics.classes, topic_p[i], routing, named) \
                if topics is not None and topic_p is not None else None
            if verdict == GATE_COMPLAINT and decision is not None:
                # The intent of a complaint is the topic the routing decision chose (best topic of the
                # best OPD), as sure as the gate is that this is a complaint.
                scores = [(decision.topic, gate[GATE_COMPLAINT])] + [s for s in scores if s[0] != decision.topic]
            scores.sort(key=lambda s: -s[1])
            ranking = [IntentScore(n, float(s)) for n, s in scores[: int(self.config["ranking_length"])]]
            out.append(Prediction(verdict, ranking, decision))
        return out

    def _decide(self, classes: list[str], row: np.ndarray, routing: dict[str, str],
                named: set[str]) -> RoutingDecision | None:
        opds = _sum_by_opd(classes, row, routing)
        if not opds:
            return None
        best_topic: dict[str, tuple[str, float]] = {}
        for topic, p in zip(classes, row, strict=True):
            opd = opd_of_topic(topic, routing)
            if opd is not None and (opd not in best_topic or p > best_topic[opd][1]):
                best_topic[opd] = (topic, float(p))
        ranked = sorted(opds, key=lambda o: -opds[o])
        calibrated = dict(zip(ranked, self.platt(np.array([opds[o] for o in ranked])).tolist(), strict=True))
        ranking = tuple(OpdScore(o, best_topic[o][0], calibrated[o]) for o in ranked[:5])
        named = {o for o in named if o in best_topic}
        if len(named) == 1:
            # The agency the resident names goes first. Real reports name an agency they are writing *to*
            # as often as the one they are writing *about* ("Yth. Kepala Dinas Kesehatan, the parking at the
            # hospital ..."), so the name is only sure when the text agrees: otherwise the resident confirms.
            opd = next(iter(named))
            sure = AGENCY_CONFIDENCE if opd == ranked[0] else float(self.config["agency_disagree_confidence"])
            ranking = (OpdScore(opd, best_topic[opd][0], max(calibrated[opd], sure)),
                       *(o for o in ranking if o.id != opd))[:5]
            return RoutingDecision(best_topic[opd][0], opd, ranking[0].confidence, ranking, "agency")
        top = ranked[0]
        return RoutingDecision(best_topic[top][0], top, calibrated[top], ranking, "model")


def _class_weight(kind: str | None, y: Sequence[str]) -> str | dict[str, float] | None:
    """`balanced` (n / (k * count)), `sqrt` (its square root: rare topics are still heard, common
    complaints keep part of their prior) or none."""
    if kind != "sqrt":
        return kind or None
    counts = Counter(y)
    return {t: float(np.sqrt(len(y) / (len(counts) * n))) for t, n in counts.items()}


def _head_index(topics: Sequence[str], groups: Sequence[str], routing: dict[str, str]) -> np.ndarray:
    """For each topic (column of the topic model), the column of its group in the OPD head."""
    where = {g: j for j, g in enumerate(groups)}
    return np.array([where.get(group_of(t, routing), -1) for t in topics], dtype=np.int64)


def _blend(topic_p: np.ndarray, head_p: np.ndarray, index: np.ndarray, share: float) -> np.ndarray:
    """share * p_head(group of t) * p(t | group) + (1 - share) * p(t), rows of topic probabilities.

    p(t | group) is the topic model's probability renormalised inside the topic's training-time group, so the
    OPD sums under the training routing are share * p_head(OPD) + (1 - share) * summed p(topic), and a topic
    re-routed at parse time carries its part of the head's probability to its new OPD. A topic whose group the
    head never saw keeps its own probability."""
    known = index >= 0
    column = np.where(known, index, 0)
    summed = np.zeros((topic_p.shape[0], head_p.shape[1]))
    for j in np.flatnonzero(known):
        summed[:, column[j]] += topic_p[:, j]
    inside = topic_p / np.maximum(summed[:, column], 1e-300)
    from_head = np.where(known, head_p[:, column] * inside, topic_p)
    return share * from_head + (1.0 - share) * topic_p


def _softmax_rows(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    return scores / scores.sum(axis=1, keepdims=True)


def _temperature(margins: list[np.ndarray], classes: list[list[str]], truth: list[str]) -> float:
    """The T minimising the negative log-likelihood of softmax(T * margin) for the true topics."""
    best, best_nll = 1.0, float("inf")
    for t in (0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20):
        nll, start = 0.0, 0
        for block, names in zip(margins, classes, strict=True):
            p = _softmax_rows(block * t)
            index = {n: j for j, n in enumerate(names)}
            for row, gold in zip(p, truth[start:start + len(block)], strict=True):
                nll -= float(np.log(max(row[index[gold]], 1e-9))) if gold in index else 0.0
            start += len(block)
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def _sum_by_opd(classes: Sequence[str], row: np.ndarray, routing: dict[str, str]) -> dict[str, float]:
    opds: dict[str, float] = {}
    for topic, p in zip(classes, row, strict=True):
        opd = opd_of_topic(topic, routing)
        if opd is not None:
            opds[opd] = opds.get(opd, 0.0) + float(p)
    return opds


def agencies_of(entities: Sequence[dict[str, Any]], text: str | None = None) -> set[str]:
    """OPD ids the message names (`agency` entities after the synonym mapper; "satpol pp" -> satpol-pp).

    A name inside a web address ("bapenda.bandungkab.go.id/slot-...") names a website, not the agency
    to send the report to, and does not count when the text is given."""
    return {"-".join(str(e.get("value")).lower().split()) for e in entities
            if e.get("entity") == AGENCY_ENTITY and e.get("value") and not _in_address(text, e)}


def _in_address(text: str | None, entity: dict[str, Any]) -> bool:
    if text is None or not isinstance(entity.get("start"), int) or not isinstance(entity.get("end"), int):
        return False
    start, end = int(entity["start"]), int(entity["end"])
    left = text[:start].rsplit(None, 1)[-1] if text[:start] and not text[:start][-1].isspace() else ""
    right = text[end:].split(None, 1)[0] if text[end:] and not text[end:][0].isspace() else ""
    token = (left + text[start:end] + right).lower()
    return "/" in token or "www" in token or ".go.id" in token or ".com" in token or "http" in token
