"""Check the complaint-topic NLU data and its held-out test set.

Run: .venv/bin/python scripts/data/check_complaints.py  (exit status 1 when a check fails)

Checked: the YAML files load with PyYAML and use version "3.1"; the intents of complaints.yml and
complaints_more.yml (the topics added from real reports) are together exactly the routing topics plus the
external keys of content/directory.yml, and the held-out file has them all; enough examples per intent
(training and held-out, fewer for the newer topics); no example repeated within or across files after lowercasing and
collapsing whitespace (also against nlu/data/faq.yml and nlu/data/conversation.yml, so FAQ
questions and complaints never share a line); every held-out intent carries metadata opd equal to
its routing OPD (or "luar" for matters outside the regency); no personal identifiers (16-digit
numbers, phone-number-like digit runs); no overlong lines. Prints a per-intent count table.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "content" / "directory.yml"
TRAIN = ROOT / "nlu" / "data" / "complaints.yml"
HELDOUT = ROOT / "nlu" / "test" / "heldout_complaints.yml"
OTHER_TRAINING = (ROOT / "nlu" / "data" / "faq.yml", ROOT / "nlu" / "data" / "conversation.yml")
MORE = ROOT / "nlu" / "data" / "complaints_more.yml"
MIN_TRAIN = 35
MIN_HELDOUT = 10
MIN_TRAIN_NEWER = 5
MIN_HELDOUT_NEWER = 5
MAX_CHARS = 600
OUTSIDE = "luar"

# A NIK is 16 digits; phone numbers are 08.. / +628.. / 628.. with 8-13 more digits, maybe split by - or space.
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE = re.compile(r"(?<![\d+])(?:\+?62|0)8\d{1,3}[\s.-]?\d{3,4}[\s.-]?\d{3,5}(?!\d)")
LONG_DIGITS = re.compile(r"\d{10,}")
# Rasa inline entity annotation: [text](entity) or [text]{"entity": ...}; compared without it.
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]+\)|\{[^}]*\})")


def normalise(text: str) -> str:
    """Lowercase and collapse whitespace: the comparison key for duplicates."""
    return " ".join(ANNOTATION.sub(r"\1", text).lower().split())


def load(path: Path, errors: list[str]) -> dict:
    """Load a YAML file as a mapping, recording why it cannot be used instead of raising."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        errors.append(f"{path.relative_to(ROOT)}: does not load: {exc}")
        return {}
    if not isinstance(data, dict):
        errors.append(f"{path.relative_to(ROOT)}: top level is not a mapping")
        return {}
    return data


def examples_of(block: object) -> list[str]:
    """Split a Rasa `examples: |` block into example texts (lines starting with '- ')."""
    if not isinstance(block, str):
        return []
    out = []
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("- "):
            out.append(line[2:].strip())
        elif line:
            out.append(line)
    return out


def read_nlu(path: Path, errors: list[str]) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """Return examples and metadata per intent of a Rasa NLU file; repeated intent blocks are an error."""
    data = load(path, errors)
    rel = path.relative_to(ROOT)
    if data and str(data.get("version")) != "3.1":
        errors.append(f'{rel}: version must be "3.1", got {data.get("version")!r}')
    examples: dict[str, list[str]] = {}
    metadata: dict[str, dict] = {}
    for item in data.get("nlu") or []:
        if not isinstance(item, dict) or "intent" not in item:
            continue
        intent = str(item["intent"])
        if intent in examples:
            errors.append(f"{rel}: intent {intent} appears in more than one block")
        examples.setdefault(intent, []).extend(examples_of(item.get("examples")))
        if isinstance(item.get("metadata"), dict):
            metadata[intent] = item["metadata"]
    return examples, metadata


def check_text(rel: str, intent: str, text: str, errors: list[str]) -> None:
    """Personal identifiers and overlong lines."""
    if len(text) > MAX_CHARS:
        errors.append(f"{rel}: {intent}: line longer than {MAX_CHARS} chars: {text[:60]!r}...")
    if NIK.search(text) or LONG_DIGITS.search(text):
        errors.append(f"{rel}: {intent}: 16-digit or long number (NIK?): {text[:80]!r}")
    if PHONE.search(text):
        errors.append(f"{rel}: {intent}: phone-number-like digits: {text[:80]!r}")
    if "[NIK]" in text or "[TELP]" in text or "[EMAIL]" in text:
        errors.append(f"{rel}: {intent}: placeholder from the source data: {text[:80]!r}")


def main() -> int:
    errors: list[str] = []
    directory = load(DIRECTORY, errors)
    routing: dict[str, str] = {str(k): str(v) for k, v in (directory.get("routing") or {}).items()}
    external = [str(k) for k in (directory.get("external") or {})]
    expected_opd = {**routing, **{key: OUTSIDE for key in external}}
    expected = set(expected_opd)

    train, _ = read_nlu(TRAIN, errors)
    heldout, meta = read_nlu(HELDOUT, errors)
    # Topics added from real reports train on complaints_more.yml (fewer lines of ours; most of their
    # examples are real reports in real_reports.yml) and have fewer held-out lines (MIN_HELDOUT_NEWER).
    newer, _ = read_nlu(MORE, errors)
    for name in sorted(set(newer) - expected):
        errors.append(f"{MORE.relative_to(ROOT)}: intent {name} is not a routing topic")
    original = expected - set(newer)

    for path, found, wanted in ((TRAIN, train, original), (MORE, newer, expected - original),
                                (HELDOUT, heldout, expected)):
        rel = path.relative_to(ROOT)
        for name in sorted(wanted - set(found)):
            errors.append(f"{rel}: missing intent {name}")
        for name in sorted(set(found) - wanted):
            errors.append(f"{rel}: intent {name} is neither a routing topic nor an external key")
    train = {**train, **newer}

    # Duplicates: key -> first place seen. Other training files are read first so a clash names them.
    seen: dict[str, str] = {}
    for path in OTHER_TRAINING:
        if path.exists():
            other, _ = read_nlu(path, errors)
            for intent, texts in other.items():
                for text in texts:
                    seen.setdefault(normalise(text), f"{path.relative_to(ROOT)}:{intent}")

    for path, found in ((TRAIN, train), (HELDOUT, heldout)):
        rel = str(path.relative_to(ROOT))
        for intent, texts in found.items():
            if path == TRAIN and intent in newer:
                rel = str(MORE.relative_to(ROOT))
            for text in texts:
                check_text(rel, intent, text, errors)
                key = normalise(text)
                where = f"{rel}:{intent}"
                if key in seen:
                    errors.append(f"duplicate {text[:70]!r} in {where}, first in {seen[key]}")
                else:
                    seen[key] = where

    for intent in sorted(heldout):
        opd = (meta.get(intent) or {}).get("opd")
        want = expected_opd.get(intent)
        if want is not None and opd != want:
            errors.append(f"{HELDOUT.relative_to(ROOT)}: {intent}: metadata opd {opd!r}, directory says {want!r}")

    counts: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
    print(f"{'intent':32} {'opd':20} {'train':>6} {'heldout':>8}")
    for intent in sorted(expected | set(train) | set(heldout)):
        n_train, n_held = len(train.get(intent, [])), len(heldout.get(intent, []))
        counts[intent] = (n_train, n_held)
        need_train, need_held = (MIN_TRAIN_NEWER, MIN_HELDOUT_NEWER) if intent in newer else (MIN_TRAIN, MIN_HELDOUT)
        flag = "" if n_train >= need_train and n_held >= need_held else "  <-- too few"
        print(f"{intent:32} {expected_opd.get(intent, '?'):20} {n_train:>6} {n_held:>8}{flag}")
        if intent in expected:
            if n_train < need_train:
                where = MORE if intent in newer else TRAIN
                errors.append(f"{where.relative_to(ROOT)}: {intent}: {n_train} examples, need {need_train}")
            if n_held < need_held:
                errors.append(f"{HELDOUT.relative_to(ROOT)}: {intent}: {n_held} examples, need {need_held}")
    total_train = sum(c[0] for c in counts.values())
    total_held = sum(c[1] for c in counts.values())
    print(f"{'TOTAL (' + str(len(counts)) + ' intents)':53} {total_train:>6} {total_held:>8}")

    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for message in errors:
            print(f"  {message}", file=sys.stderr)
        return 1
    print("\nOK: complaint data passes all checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
