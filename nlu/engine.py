"""The in-process NLU engine: Rasa 3.x pipeline components, trained and run with scikit-learn.

`config.yml` is a Rasa pipeline that real Rasa can train too. Every component it names is
implemented here with Rasa's parameters and semantics:

- `nlu.rasa_components.IndonesianChatNormalizer`: our own component (nlu/normalise.py); real Rasa
  loads the same code through nlu/rasa_components.py.
- `RegexEntityExtractor`: regexes and lookup tables of the data, on the original text
  (`use_regexes`, `use_lookup_tables`, `use_word_boundaries`, `case_sensitive`).
- `WhitespaceTokenizer`: splits on whitespace after removing punctuation (`intent_tokenization_flag`,
  `intent_split_symbol`).
- `CountVectorsFeaturizer`: bag of words or `char_wb` n-grams (`analyzer`, `min_ngram`, `max_ngram`,
  `lowercase`, `min_df`, `max_df`, `max_features`, `OOV_token`).
- `LogisticRegressionClassifier`: scikit-learn's, balanced class weights (`max_iter`, `solver`, `tol`,
  `C`, `random_state`, `ranking_length`).
- `ResponseSelector`: picks the answer of a retrieval intent (`faq/<name>`) among its sub-intents. Rasa
  trains a small transformer; this engine trains a balanced logistic regression on the same features
  (its `epochs` etc. are accepted and ignored) and returns Rasa's `response_selector` shape.
- `EntitySynonymMapper`: maps extracted values through the data's synonyms.
- `FallbackClassifier`: `nlu_fallback` when the top confidence is below `threshold` or the top two
  are closer than `ambiguity_threshold`.

`NluEngine.parse(text)` returns Rasa's `/model/parse` result plus `opd`, our routing decision.
"""

from __future__ import annotations

import logging
import pickle
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from nlu import yamlio
from nlu.normalise import normalise
from nlu.result import IntentScore, ParseResult, RoutingDecision
from nlu.router import DEFAULTS as ROUTER_DEFAULTS
from nlu.router import RoutingModel, agencies_of, fit_on_used_columns, known_counts
from nlu.training_data import Example, TrainingData, load_training_data

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
MODEL_FORMAT = 4
Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


# A parse in progress: the original text plus what the components add.
Msg = dict[str, Any]


class Component:
    """One pipeline step. `fit` sees all training messages at once; `process` a batch."""

    defaults: dict[str, Any] = {}

    def __init__(self, config: dict[str, Any]) -> None:
        unknown = {k: v for k, v in config.items() if k != "name"}
        self.config = {**self.defaults, **unknown}

    def fit(self, messages: list[Msg], data: TrainingData) -> None:
        self.process(messages)

    def process(self, messages: list[Msg]) -> None:
        return None


class IndonesianChatNormalizer(Component):
    """Slang, abbreviations, repeated letters and Javanese words -> standard Indonesian."""

    defaults = {"extra_slang": {}}

    def process(self, messages: list[Msg]) -> None:
        from nlu.normalise import SLANG

        table = {**SLANG, **self.config.get("extra_slang", {})} if self.config.get("extra_slang") else None
        for m in messages:
            m["norm"] = normalise(m["norm"], table)


class WhitespaceTokenizer(Component):
    defaults = {"intent_tokenization_flag": False, "intent_split_symbol": "_", "token_pattern": None}
    _PUNCT = re.compile(r"(?<=[^\d])[.,!?;:]+|[.,!?;:]+(?=\s|$)|[\"'`()\[\]{}<>*#@~|\\/]+")

    def process(self, messages: list[Msg]) -> None:
        for m in messages:
            text = self._PUNCT.sub(" ", m["norm"])
            m["tokens"] = [t for t in text.split() if t] or ["__empty__"]


class CountVectorsFeaturizer(Component):
    defaults = {"analyzer": "word", "min_ngram": 1, "max_ngram": 1, "lowercase": True, "min_df": 1,
                "max_df": 1.0, "max_features": None, "OOV_token": None, "use_shared_vocab": False}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        c = self.config
        kwargs: dict[str, Any] = dict(ngram_range=(int(c["min_ngram"]), int(c["max_ngram"])),
                                      lowercase=bool(c["lowercase"]), min_df=c["min_df"], max_df=c["max_df"],
                                      max_features=c["max_features"], dtype=np.float32)
        if c["analyzer"] == "word":
            kwargs.update(analyzer="word", token_pattern=r"(?u)\b\w+\b")
        else:
            kwargs.update(analyzer=c["analyzer"])
        self.vectorizer = CountVectorizer(**kwargs)

    def _texts(self, messages: list[Msg]) -> list[str]:
        return [" ".join(m["tokens"]) for m in messages]

    def fit(self, messages: list[Msg], data: TrainingData) -> None:
        matrix = self.vectorizer.fit_transform(self._texts(messages)).tocsr()
        for i, m in enumerate(messages):
            m.setdefault("features", []).append(matrix[i])

    def process(self, messages: list[Msg]) -> None:
        """Counts as (indices, values) arrays: the same numbers as `vectorizer.transform`, without building
        sparse matrices for one message at a time (most of the parse time otherwise)."""
        analyzer = self._analyzer()
        vocabulary = self.vectorizer.vocabulary_
        for m in messages:
            m.setdefault("counts", []).append(known_counts(analyzer(" ".join(m["tokens"])), vocabulary))

    def _analyzer(self) -> Callable[[str], list[str]]:
        analyzer = self.__dict__.get("_cached_analyzer")
        if analyzer is None:
            analyzer = self.__dict__["_cached_analyzer"] = self.vectorizer.build_analyzer()
        return analyzer

    @property
    def size(self) -> int:
        return len(self.vectorizer.vocabulary_)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_cached_analyzer"}


def _stack(messages: list[Msg]) -> sp.csr_matrix:
    rows = [sp.hstack(m["features"], format="csr") for m in messages]
    return sp.vstack(rows, format="csr")


def _fit_quietly(model: LogisticRegression, features: sp.csr_matrix, labels: list[str]) -> None:
    """Fit; reaching `max_iter` before full convergence is expected with raw counts and is logged, not raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(features, labels)
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        logger.debug("%s stopped at max_iter=%s before full convergence", type(model).__name__, model.max_iter)


class LinearScorer:
    """Class probabilities of a fitted multinomial LogisticRegression from per-featurizer counts.

    Equivalent to `predict_proba` on the stacked features: softmax(W·x + b), computed only over the
    features present in the message. Only the columns with a weight are kept (`lookup` maps a
    featurizer's column to its place in the block, -1 for none), so a FAQ model over a large vocabulary
    stays small.
    """

    def __init__(self, model: LogisticRegression, sizes: list[int], coef: np.ndarray | None = None) -> None:
        coef = np.asarray(model.coef_ if coef is None else coef, dtype=np.float64)
        self.intercept = np.asarray(model.intercept_, dtype=np.float64)
        self.blocks: list[tuple[np.ndarray, np.ndarray]] = []
        offset = 0
        for size in sizes:
            block = coef[:, offset:offset + size]
            used = np.flatnonzero(np.any(block != 0, axis=0))
            lookup = np.full(size, -1, dtype=np.int64)
            lookup[used] = np.arange(len(used))
            self.blocks.append((lookup, np.ascontiguousarray(block[:, used])))
            offset += size
        self.binary = coef.shape[0] == 1

    def probabilities(self, counts: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        scores = self.intercept.copy()
        for (lookup, block), (indices, values) in zip(self.blocks, counts, strict=True):
            if len(indices):
                columns = lookup[indices]
                kept = columns >= 0
                scores += block[:, columns[kept]] @ values[kept]
        if self.binary:
            p = 1.0 / (1.0 + np.exp(-scores[0]))
            return np.array([1.0 - p, p])
        scores -= scores.max()
        np.exp(scores, out=scores)
        return scores / scores.sum()


def _feature_sizes(messages: list[Msg]) -> list[int]:
    return [int(f.shape[1]) for f in messages[0]["features"]]


def _ranking(classes: Sequence[str], probs: np.ndarray, length: int) -> list[dict[str, Any]]:
    order = np.argsort(-probs)
    if length:
        order = order[:length]
    return [{"name": str(classes[i]), "confidence": float(probs[i])} for i in order]


class LogisticRegressionClassifier(Component):
    defaults = {"max_iter": 100, "solver": "lbfgs", "tol": 1e-4, "C": 1.0, "random_state": None,
                "ranking_length": 10}

    def fit(self, messages: list[Msg], data: TrainingData) -> None:
        labels = [m["label"] for m in messages]
        c = self.config
        self.model = LogisticRegression(C=float(c["C"]), solver=c["solver"], max_iter=int(c["max_iter"]),
                                        tol=float(c["tol"]), random_state=c["random_state"], class_weight="balanced")
        _fit_quietly(self.model, _stack(messages), labels)
        self.classes = [str(x) for x in self.model.classes_]
        self.scorer = LinearScorer(self.model, _feature_sizes(messages))

    def process(self, messages: list[Msg]) -> None:
        for m in messages:
            row = self.scorer.probabilities(m["counts"])
            ranking = _ranking(self.classes, row, int(self.config["ranking_length"]))
            m["intent"] = dict(ranking[0])
            m["intent_ranking"] = ranking


class ComplaintRouter(Component):
    """Gate, complaint-only topic model, OPD sums, calibration and agency override (nlu/router.py)."""

    defaults = dict(ROUTER_DEFAULTS)

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.routing: dict[str, str] = {}

    def fit(self, messages: list[Msg], data: TrainingData) -> None:
        self.model = RoutingModel(dict(self.config)).fit(
            [m["norm"] for m in messages], [m["label"] for m in messages], self.routing)

    def process(self, messages: list[Msg]) -> None:
        predictions = self.model.predict([m["norm"] for m in messages], self.routing,
                                         [agencies_of(m.get("entities", []), m["text"]) for m in messages])
        for m, p in zip(messages, predictions, strict=True):
            m["intent"] = p.intent_ranking[0].to_dict() if p.intent_ranking else {"name": None, "confidence": 0.0}
            m["intent_ranking"] = [i.to_dict() for i in p.intent_ranking]
            m["routing"] = p.routing
            m["gate"] = p.gate


class ResponseSelector(Component):
    defaults = {"retrieval_intent": None, "epochs": 100, "ranking_length": 10, "C": 1.0, "max_iter": 200}

    def fit(self, messages: list[Msg], data: TrainingData) -> None:
        wanted = self.config.get("retrieval_intent")
        self.retrieval = [m for m in messages if "/" in m["full_label"]
                          and (wanted is None or m["full_label"].split("/", 1)[0] == wanted)]
        self.key = wanted or "default"
        self.responses = data.responses
        self.model: LogisticRegression | None = None
        if len({m["full_label"] for m in self.retrieval}) >= 2:
            self.model = LogisticRegression(C=float(self.config["C"]), max_iter=int(self.config["max_iter"]),
                                            class_weight="balanced")
            _, coef = fit_on_used_columns(self.model, _stack(self.retrieval), [m["full_label"] for m in self.retrieval])
            self.scorer = LinearScorer(self.model, _feature_sizes(messages), coef)
            self.classes = [str(c) for c in self.model.classes_]
        self.all_retrieval_intents = sorted({m["full_label"].split("/", 1)[0] for m in self.retrieval})
        del self.retrieval

    def process(self, messages: list[Msg]) -> None:
        if self.model is None:
            return
        for m in messages:
            row = self.scorer.probabilities(m["counts"])
            ranking = _ranking(self.classes, row, int(self.config["ranking_length"]))
            top = ranking[0]
            utter = f"utter_{top['name']}"
            templates = self.responses.get(utter, [])
            m["response_selector"] = {
                "all_retrieval_intents": self.all_retrieval_intents,
                self.key: {
                    "response": {
                        "responses": templates[:1] if templates else None,
                        "confidence": top["confidence"],
                        "intent_response_key": top["name"],
                        "utter_action": utter,
                    },
                    "ranking": [{"confidence": r["confidence"], "intent_response_key": r["name"]} for r in ranking],
                },
            }


class RegexEntityExtractor(Component):
    defaults = {"case_sensitive": False, "use_lookup_tables": True, "use_regexes": True,
                "use_word_boundaries": True}

    def fit(self, messages: list[Msg], data: TrainingData) -> None:
        ignore_case = not self.config["case_sensitive"]
        flags = re.IGNORECASE if ignore_case else 0
        boundary = self.config["use_word_boundaries"]
        # (entity, pattern, fallback): a case-insensitive lookup is matched on the lower-cased text without
        # re.IGNORECASE (several times faster on a long alternation); `fallback` is the IGNORECASE pattern
        # for the rare text whose lower-casing changes its length (so positions would shift).
        self.patterns: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]] = []
        if self.config["use_regexes"]:
            for name, patterns in data.regexes.items():
                for pattern in patterns:
                    source = rf"\b(?:{pattern})\b" if boundary else pattern
                    self.patterns.append((name, re.compile(source, flags), None))
        if self.config["use_lookup_tables"]:
            for name, values in data.lookups.items():
                ordered = sorted({v.lower() if ignore_case else v for v in values if v}, key=len, reverse=True)
                if ordered:
                    body = "|".join(re.escape(v) for v in ordered)
                    source = rf"\b(?:{body})\b" if boundary else f"(?:{body})"
                    self.patterns.append((name, re.compile(source), re.compile(source, flags) if ignore_case else None))
        # No training step reads entities (the router and the selectors learn from text), so the training
        # messages are not searched.

    def process(self, messages: list[Msg]) -> None:
        for m in messages:
            text: str = m["text"]
            lowered = text.lower()
            same_length = len(lowered) == len(text)
            found: list[dict[str, Any]] = []
            for name, pattern, fallback in self.patterns:
                if fallback is None:
                    matches = pattern.finditer(text)
                else:
                    matches = pattern.finditer(lowered) if same_length else fallback.finditer(text)
                for match in matches:
                    if match.end() > match.start():
                        found.append({"entity": name, "start": match.start(), "end": match.end(),
                                      "value": text[match.start():match.end()], "extractor": "RegexEntityExtractor"})
            found.sort(key=lambda e: (e["start"], -(e["end"] - e["start"])))
            kept: list[dict[str, Any]] = []
            for entity in found:  # overlapping matches of one entity type: keep the longest
                if kept and entity["entity"] == kept[-1]["entity"] and entity["start"] < kept[-1]["end"]:
                    continue
                kept.append(entity)
            m.setdefault("entities", []).extend(kept)


class EntitySynonymMapper(Component):
    def fit(self, messages: list[Msg], data: TrainingData) -> None:
        self.synonyms = dict(data.synonyms)

    def process(self, messages: list[Msg]) -> None:
        for m in messages:
            for entity in m.get("entities", []):
                canonical = self.synonyms.get(str(entity["value"]).lower())
                if canonical is not None and canonical != entity["value"]:
                    entity["value"] = canonical
                    entity.setdefault("processors", []).append("EntitySynonymMapper")


class FallbackClassifier(Component):
    defaults = {"threshold": 0.3, "ambiguity_threshold": 0.1}

    def process(self, messages: list[Msg]) -> None:
        threshold = float(self.config["threshold"])
        for m in messages:
            ranking = m.get("intent_ranking") or []
            if not ranking:
                continue
            low = ranking[0]["confidence"] < threshold
            ambiguous = len(ranking) > 1 and ranking[0]["confidence"] - ranking[1]["confidence"] < float(
                self.config["ambiguity_threshold"])
            if low or ambiguous:
                fallback = {"name": FALLBACK_INTENT, "confidence": threshold}
                m["intent"] = fallback
                m["intent_ranking"] = [dict(fallback), *ranking]


COMPONENTS: dict[str, type[Component]] = {
    "nlu.rasa_components.IndonesianChatNormalizer": IndonesianChatNormalizer,
    "IndonesianChatNormalizer": IndonesianChatNormalizer,
    "WhitespaceTokenizer": WhitespaceTokenizer,
    "CountVectorsFeaturizer": CountVectorsFeaturizer,
    "LogisticRegressionClassifier": LogisticRegressionClassifier,
    "ResponseSelector": ResponseSelector,
    "RegexEntityExtractor": RegexEntityExtractor,
    "EntitySynonymMapper": EntitySynonymMapper,
    "FallbackClassifier": FallbackClassifier,
    "nlu.rasa_components.ComplaintRouter": ComplaintRouter,
    "ComplaintRouter": ComplaintRouter,
}
# Components real Rasa runs that change nothing in the result shape we use.
IGNORED = {"RegexFeaturizer", "LexicalSyntacticFeaturizer"}


def read_pipeline(config_path: Path) -> list[dict[str, Any]]:
    """The `pipeline:` of a Rasa config.yml; unknown components are an error naming the file."""
    config = yamlio.safe_load(config_path.read_text(encoding="utf-8")) or {}
    pipeline = config.get("pipeline") or []
    if not isinstance(pipeline, list) or not pipeline:
        raise ValueError(f"{config_path}: no `pipeline:` list")
    for step in pipeline:
        name = step.get("name") if isinstance(step, dict) else None
        if name not in COMPONENTS and name not in IGNORED:
            raise ValueError(f"{config_path}: component {name!r} is not supported by the built-in engine "
                             f"(supported: {', '.join(sorted(COMPONENTS))})")
    return [step for step in pipeline if step["name"] not in IGNORED]


@dataclass
class NluEngine:
    """A trained pipeline. `parse` is synchronous and fast (well under a millisecond per message)."""

    components: list[Component]
    routing: dict[str, str]
    trained_at: float
    config_path: str
    format: int = MODEL_FORMAT

    # --- training ----------------------------------------------------------------------------------
    @classmethod
    def train(cls, config_path: Path, data: Path | TrainingData, routing: dict[str, str] | None = None,
              progress: Progress = _quiet, examples: Iterable[Example] | None = None) -> NluEngine:
        """Train on Rasa YAML data (a directory, a file or loaded TrainingData; `examples` overrides)."""
        started, cpu = time.perf_counter(), time.process_time()
        training = data if isinstance(data, TrainingData) else load_training_data(Path(data))
        chosen = list(examples) if examples is not None else training.examples
        if not chosen:
            raise ValueError("no training examples")
        steps = read_pipeline(Path(config_path))
        if routing is None:
            routing = _default_routing(Path(config_path))
        messages: list[Msg] = [
            {"text": ex.text, "norm": ex.text, "label": ex.base_intent, "full_label": ex.intent} for ex in chosen
        ]
        intents = len({m["full_label"] for m in messages})
        progress(f"training on {len(messages)} examples of {intents} intents, {len(steps)} components")
        components: list[Component] = []
        for index, step in enumerate(steps, 1):
            component = COMPONENTS[step["name"]](step)
            if isinstance(component, ComplaintRouter):
                component.routing = dict(routing)
            t0 = time.perf_counter()
            # One thread: scikit-learn's OpenMP loss threads spin against each other on a small shared
            # machine (training took 3-4 times longer with them under load).
            with threadpool_limits(1):
                component.fit(messages, training)
            components.append(component)
            progress(f"[{index}/{len(steps)}] {step['name']}: {time.perf_counter() - t0:.2f}s")
        engine = cls(components, dict(routing), time.time(), str(config_path))
        progress(f"trained in {time.perf_counter() - started:.1f}s ({time.process_time() - cpu:.1f}s CPU)")
        return engine

    # --- use ---------------------------------------------------------------------------------------
    def parse(self, text: str) -> dict[str, Any]:
        """Rasa's `/model/parse` result plus `opd` (see `ParseResult.to_dict`)."""
        return self.parse_result(text).to_dict()

    def parse_result(self, text: str) -> ParseResult:
        return self.parse_results([text])[0]

    def parse_many(self, texts: Sequence[str]) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.parse_results(texts)]

    def parse_results(self, texts: Sequence[str]) -> list[ParseResult]:
        messages: list[Msg] = [{"text": t, "norm": t, "entities": []} for t in texts]
        for component in self.components:
            component.process(messages)
        return [self._result(m) for m in messages]

    def _result(self, m: Msg) -> ParseResult:
        intent = m.get("intent") or {"name": None, "confidence": 0.0}
        selector = None
        if intent.get("name") == "faq" or (m.get("response_selector") and intent.get("name") == FALLBACK_INTENT):
            selector = m.get("response_selector", {})
        ranking = [IntentScore(r["name"], float(r["confidence"])) for r in m.get("intent_ranking", [])]
        decision = m.get("routing")
        if decision is None and "gate" not in m:  # a pipeline without the ComplaintRouter
            decision = RoutingDecision.from_dict(route({"intent_ranking": m.get("intent_ranking", [])}, self.routing))
        return ParseResult(m["text"], IntentScore(intent.get("name"), float(intent.get("confidence") or 0.0)),
                           ranking, m.get("entities", []), selector, decision, m.get("gate"))

    def with_routing(self, routing: dict[str, str]) -> NluEngine:
        """Use another routing table (topic -> OPD) without retraining."""
        self.routing = dict(routing)
        for component in self.components:
            if isinstance(component, ComplaintRouter):
                component.routing = dict(routing)
        return self

    # --- persistence -------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> NluEngine:
        with Path(path).open("rb") as fh:
            engine = pickle.load(fh)  # noqa: S301 - our own model file, written by `save`
        if not isinstance(engine, cls) or getattr(engine, "format", None) != MODEL_FORMAT:
            raise ValueError(f"{path}: not a model of this version; run `python -m nlu train`")
        return engine


OUTSIDE_AUTHORITY = "luar"


def route(result: dict[str, Any], routing: dict[str, str]) -> dict[str, Any] | None:
    """Our routing decision: the most likely complaint topic in the ranking, its OPD and confidence.

    Complaint topics are the routing table's intents plus `luar_*` (outside the regency's authority,
    OPD "luar"). Other intents (greetings, FAQs, chat) are passed over: whether a message *is* a
    complaint is the intent's job; once it is one (or the resident is describing one), this says where
    it goes. `None` when no complaint topic is in the ranking. Whether the confidence is enough is the
    directory's `route_threshold`, applied by the dialogue.
    """
    for entry in result.get("intent_ranking") or []:
        name = str(entry.get("name"))
        if name in routing:
            return {"topic": name, "id": routing[name], "confidence": float(entry["confidence"])}
        if name.startswith("luar_"):
            return {"topic": name, "id": OUTSIDE_AUTHORITY, "confidence": float(entry["confidence"])}
    return None


def _default_routing(config_path: Path) -> dict[str, str]:
    """The directory's routing table, when the content directory sits next to config.yml."""
    directory = config_path.parent / "content" / "directory.yml"
    if not directory.exists():
        return {}
    content = yamlio.safe_load(directory.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in (content.get("routing") or {}).items()}


def model_is_stale(model_path: Path, config_path: Path, data_dir: Path) -> bool:
    """True when the model is missing or older than config.yml or any data file."""
    if not model_path.exists():
        return True
    built = model_path.stat().st_mtime
    sources = [config_path, *(p for p in data_dir.rglob("*.yml"))]
    return any(p.stat().st_mtime > built for p in sources if p.exists())


def print_progress(line: str) -> None:
    print(f"nlu: {line}", file=sys.stderr, flush=True)
