"""Check the FAQ, conversational and entity NLU data and the language test set.

Run: .venv/bin/python scripts/data/check_other.py  (exit status 1 when a check fails)

Checked: every YAML file loads with PyYAML; counts per intent; no example repeated
within or across intents (all training files, so a clash with complaints.yml shows too);
nothing shared between training and held-out data (after lowercasing and collapsing
spaces, with entity annotations removed); every faq intent has an Indonesian answer and
an English one with the slot condition language=en; regexes compile and match what they
should; every annotated entity has a regex or lookup and every regex or lookup is
annotated; annotated values fit their regex or lookup; language.tsv is well formed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

OWN_TRAINING = ("faq.yml", "conversation.yml", "entities.yml")
OWN_HELDOUT = "heldout_other.yml"
REQUIRED_FAQ = (
    "ktp_el", "kk", "akta_kelahiran", "pindah_datang", "jam_layanan",
    "bpjs_pbi", "bansos", "pbb", "izin_usaha_nib", "ppdb",
)
CONVERSATIONAL = (
    "greet", "goodbye", "thanks", "affirm", "deny", "cancel", "help", "file_complaint",
    "ask_info", "check_status", "talk_to_regent", "bot_challenge", "out_of_scope",
)
MIN_FAQ_INTENTS = 30
MIN_FAQ_EXAMPLES = 15
MIN_CONV_EXAMPLES = 25
MIN_HELDOUT = 5
MIN_PLACES = 150
MIN_LANGUAGE_LINES = 250
MIN_ANNOTATIONS = 3
MAX_ANSWER_CHARS = 600

# [text](entity) or [text]{"entity": ..., "value": ...}, Rasa's inline annotation syntax.
ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<name>[^)]+)\)|(?P<json>\{[^}]*\}))")

# Strings each regex must match in full (as one entity) and strings it must not match.
REGEX_CASES = {
    "ticket_number": (
        ["WRG-2611-0042", "wrg-2610-0117", "Wrg-2701-0003"],
        ["2611-0042", "WRG-26110042", "tahun 2024 2025", "WRG-261-0042"],
    ),
    "nik": (
        ["3516041207890003"],
        ["351604120789000", "35160412078900031", "081234567890"],
    ),
    "phone": (
        ["081234567890", "+6285712345678", "6285712345678", "0812-3456-7890", "0812 3456 7890"],
        ["3516041207890003", "12345", "0212345678", "021 555 1234"],
    ),
}


@dataclass
class Example:
    """One training or test example: where it is and its plain text."""

    intent: str
    raw: str
    text: str
    path: str
    entities: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Report:
    """Errors and warnings collected by the checks."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def normalise(text: str) -> str:
    """Lowercase and collapse whitespace: the comparison key for duplicates."""
    return " ".join(text.lower().split())


def strip_annotations(raw: str) -> tuple[str, list[tuple[str, str]]]:
    """Return the plain text and the (entity, text) pairs of an annotated example."""
    entities: list[tuple[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name is None:
            name = json.loads(match.group("json")).get("entity", "")
        # Rasa allows roles/groups after the name: [x](place:origin) is not used here.
        entities.append((name.split(":")[0], match.group("text")))
        return match.group("text")

    return ANNOTATION.sub(replace, raw), entities


def load_yaml(path: Path, report: Report) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        report.error(f"{path}: does not load: {exc}")
        return {}
    if not isinstance(data, dict):
        report.error(f"{path}: top level is not a mapping")
        return {}
    if str(data.get("version")) != "3.1":
        report.error(f'{path}: version must be "3.1", got {data.get("version")!r}')
    return data


def example_lines(block: dict, path: Path, key: str, report: Report) -> list[str]:
    examples = block.get("examples")
    if not isinstance(examples, str):
        report.error(f"{path}: {key} {block.get(key)!r} has no examples block")
        return []
    lines = []
    for line in examples.splitlines():
        if not line.strip():
            continue
        if not line.startswith("- "):
            report.error(f"{path}: {block.get(key)!r}: line does not start with '- ': {line!r}")
            continue
        lines.append(line[2:].strip())
    return lines


@dataclass
class NluFiles:
    """Everything read from a set of Rasa NLU files."""

    examples: list[Example] = field(default_factory=list)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    responses: dict[str, list] = field(default_factory=dict)


def read_nlu(paths: list[Path], report: Report) -> NluFiles:
    out = NluFiles()
    for path in paths:
        data = load_yaml(path, report)
        for block in data.get("nlu") or []:
            if "intent" in block:
                for raw in example_lines(block, path, "intent", report):
                    text, entities = strip_annotations(raw)
                    out.examples.append(Example(block["intent"], raw, text, path.name, entities))
            elif "regex" in block:
                out.regexes.setdefault(block["regex"], []).extend(
                    example_lines(block, path, "regex", report))
            elif "lookup" in block:
                out.lookups.setdefault(block["lookup"], []).extend(
                    example_lines(block, path, "lookup", report))
            elif "synonym" in block:
                out.synonyms.setdefault(str(block["synonym"]), []).extend(
                    example_lines(block, path, "synonym", report))
            else:
                report.error(f"{path}: unknown nlu block {sorted(block)}")
        for name, items in (data.get("responses") or {}).items():
            if name in out.responses:
                report.error(f"{path}: response {name} defined twice")
            out.responses[name] = items
    return out


def check_duplicates(train: NluFiles, own: set[str], report: Report) -> None:
    seen: dict[str, list[Example]] = defaultdict(list)
    for ex in train.examples:
        seen[normalise(ex.text)].append(ex)
    for key, exs in seen.items():
        if len(exs) > 1 and any(e.path in own for e in exs):
            where = ", ".join(f"{e.path}:{e.intent}" for e in exs)
            report.error(f"duplicate training example {key!r} in {where}")


def check_counts(train: NluFiles, test: NluFiles, report: Report) -> None:
    per_intent = Counter(e.intent for e in train.examples)
    faq = sorted(i for i in per_intent if i.startswith("faq/"))
    if len(faq) < MIN_FAQ_INTENTS:
        report.error(f"only {len(faq)} faq intents, want >= {MIN_FAQ_INTENTS}")
    for name in REQUIRED_FAQ:
        if f"faq/{name}" not in per_intent:
            report.error(f"required faq intent faq/{name} missing")
    for intent in faq:
        if per_intent[intent] < MIN_FAQ_EXAMPLES:
            report.error(f"{intent}: {per_intent[intent]} examples, want >= {MIN_FAQ_EXAMPLES}")
    for intent in CONVERSATIONAL:
        if per_intent[intent] < MIN_CONV_EXAMPLES:
            report.error(f"{intent}: {per_intent[intent]} examples, want >= {MIN_CONV_EXAMPLES}")
    held = Counter(e.intent for e in test.examples)
    for intent in [*faq, *CONVERSATIONAL]:
        if held[intent] < MIN_HELDOUT:
            report.error(f"held-out {intent}: {held[intent]} examples, want >= {MIN_HELDOUT}")
    for intent in held:
        if intent not in per_intent:
            report.error(f"held-out intent {intent} has no training examples")


def check_heldout_overlap(train: NluFiles, test: NluFiles, report: Report) -> None:
    trained = {normalise(e.text): e for e in train.examples}
    seen: set[str] = set()
    for ex in test.examples:
        key = normalise(ex.text)
        if key in trained:
            report.error(f"held-out {ex.path}:{ex.intent} {key!r} is also training "
                         f"{trained[key].path}:{trained[key].intent}")
        if key in seen:
            report.error(f"held-out example repeated: {key!r}")
        seen.add(key)


def check_responses(train: NluFiles, report: Report) -> None:
    faq = {e.intent for e in train.examples if e.intent.startswith("faq/")}
    for intent in sorted(faq):
        name = f"utter_{intent}"
        items = train.responses.get(name)
        if not isinstance(items, list) or len(items) < 2:
            report.error(f"{name}: needs an Indonesian and an English answer")
            continue
        first, second = items[0], items[1]
        if not isinstance(first, dict) or not str(first.get("text", "")).strip():
            report.error(f"{name}: first item must be {{text: ...}} (Indonesian)")
        elif "condition" in first:
            report.error(f"{name}: the Indonesian answer must have no condition")
        want = [{"type": "slot", "name": "language", "value": "en"}]
        if not isinstance(second, dict) or not str(second.get("text", "")).strip():
            report.error(f"{name}: second item must be {{text: ...}} (English)")
        elif second.get("condition") != want:
            report.error(f"{name}: English answer needs condition {want}")
        for item in items:
            if isinstance(item, dict) and len(str(item.get("text", ""))) > MAX_ANSWER_CHARS:
                report.warn(f"{name}: answer longer than {MAX_ANSWER_CHARS} characters")
    for name in train.responses:
        if name.startswith("utter_faq/") and name[len("utter_"):] not in faq:
            report.error(f"{name}: response without a matching intent")


def check_entities(train: NluFiles, test: NluFiles, report: Report) -> None:
    compiled: dict[str, list[re.Pattern[str]]] = {}
    for name, patterns in train.regexes.items():
        for pattern in patterns:
            try:
                # Rasa's RegexEntityExtractor default: case_sensitive false.
                compiled.setdefault(name, []).append(re.compile(pattern, re.IGNORECASE))
            except re.error as exc:
                report.error(f"regex {name}: {pattern!r} does not compile: {exc}")
    for name, (good, bad) in REGEX_CASES.items():
        patterns = compiled.get(name)
        if not patterns:
            report.error(f"regex {name} missing")
            continue
        for text in good:
            if not any(m.group() == text for p in patterns for m in p.finditer(text)):
                report.error(f"regex {name} does not match {text!r}")
        for text in bad:
            if any(p.search(text) for p in patterns):
                report.error(f"regex {name} wrongly matches {text!r}")

    lookups = {name: {v.lower() for v in values} for name, values in train.lookups.items()}
    for name, values in train.lookups.items():
        dup = [v for v, c in Counter(v.lower() for v in values).items() if c > 1]
        if dup:
            report.error(f"lookup {name}: repeated {dup}")
    if len(lookups.get("place", ())) < MIN_PLACES:
        report.error(f"lookup place: {len(lookups.get('place', ()))} names, want >= {MIN_PLACES}")

    owner: dict[str, str] = {}
    for value, variants in train.synonyms.items():
        for variant in variants:
            if variant.lower() in owner and owner[variant.lower()] != value:
                report.error(f"synonym {variant!r} maps to {owner[variant.lower()]!r} and {value!r}")
            owner[variant.lower()] = value

    annotated = Counter(name for e in train.examples for name, _ in e.entities)
    for name in [*train.regexes, *train.lookups]:
        if annotated[name] < MIN_ANNOTATIONS:
            report.error(f"entity {name}: {annotated[name]} annotated training examples, "
                         f"want >= {MIN_ANNOTATIONS} (Rasa ignores a regex/lookup never annotated)")
    for name in annotated:
        if name not in train.regexes and name not in train.lookups:
            report.warn(f"entity {name} annotated but has no regex or lookup")
    for ex in [*train.examples, *test.examples]:
        for name, value in ex.entities:
            if name in compiled and not any(p.fullmatch(value) for p in compiled[name]):
                report.error(f"{ex.path}: {name} {value!r} does not fit its regex")
            if name in lookups and value.lower() not in lookups[name]:
                report.error(f"{ex.path}: {name} {value!r} is not in lookup {name}")


def check_language(path: Path, report: Report) -> None:
    if not path.exists():
        report.error(f"{path} missing")
        return
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or parts[1] not in ("id", "en"):
            report.error(f"{path}:{number}: want 'text<TAB>id|en', got {line!r}")
            continue
        rows.append((parts[0], parts[1]))
    if len(rows) < MIN_LANGUAGE_LINES:
        report.error(f"{path}: {len(rows)} lines, want >= {MIN_LANGUAGE_LINES}")
    dup = [t for t, c in Counter(normalise(t) for t, _ in rows).items() if c > 1]
    if dup:
        report.error(f"{path}: repeated texts {dup}")
    share = sum(1 for _, lang in rows if lang == "id") / max(len(rows), 1)
    if not 0.5 <= share <= 0.7:
        report.warn(f"{path}: {share:.0%} id, want about 60%")
    print(f"language.tsv: {len(rows)} lines, {share:.0%} id")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    args = parser.parse_args(argv)
    root: Path = args.root
    report = Report()

    train_paths = sorted((root / "nlu" / "data").glob("*.yml"))
    test_paths = sorted((root / "nlu" / "test").glob("*.yml"))
    for name in OWN_TRAINING:
        if not (root / "nlu" / "data" / name).exists():
            report.error(f"nlu/data/{name} missing")
    train = read_nlu(train_paths, report)
    test = read_nlu(test_paths, report)
    own_test = read_nlu([root / "nlu" / "test" / OWN_HELDOUT], report)

    check_duplicates(train, set(OWN_TRAINING), report)
    check_counts(train, own_test, report)
    check_heldout_overlap(train, test, report)
    check_responses(train, report)
    check_entities(train, test, report)
    check_language(root / "nlu" / "test" / "language.tsv", report)

    per_intent = Counter(e.intent for e in train.examples if e.path in OWN_TRAINING)
    faq = [i for i in per_intent if i.startswith("faq/")]
    print(f"training files: {', '.join(p.name for p in train_paths)}")
    print(f"own training: {len(faq)} faq intents ({sum(per_intent[i] for i in faq)} examples), "
          f"{sum(per_intent[i] for i in CONVERSATIONAL)} conversational examples, "
          f"{len(train.lookups.get('place', []))} places, {len(train.synonyms)} synonyms")
    print(f"own held-out: {len(own_test.examples)} examples")
    for message in report.warnings:
        print(f"WARNING: {message}")
    for message in report.errors:
        print(f"ERROR: {message}")
    print("OK" if not report.errors else f"{len(report.errors)} error(s)")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
