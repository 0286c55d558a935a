"""Read Rasa 3.x NLU YAML (`nlu:` intents, `regex:`, `lookup:`, `synonym:`, `responses:`) from files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlu import yamlio

# [text](entity), [text](entity:value), [text]{"entity": "x", "value": "y"}
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[^)]+)\)|(?P<json>\{[^}]*\}))")


@dataclass
class Example:
    text: str
    intent: str  # full name, e.g. "faq/ktp_el" or "aduan_jalan_rusak"
    metadata: dict[str, Any] = field(default_factory=dict)
    entities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def base_intent(self) -> str:
        """The intent the classifier sees: retrieval intents collapse to their base (`faq`)."""
        return self.intent.split("/", 1)[0]


@dataclass
class TrainingData:
    examples: list[Example] = field(default_factory=list)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)  # lower-cased variant -> canonical value
    responses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def merge(self, other: TrainingData) -> None:
        self.examples.extend(other.examples)
        for target, source in ((self.regexes, other.regexes), (self.lookups, other.lookups)):
            for name, values in source.items():
                target.setdefault(name, []).extend(values)
        self.synonyms.update(other.synonyms)
        self.responses.update(other.responses)
        self.files.extend(other.files)


def strip_annotations(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text of an example and the entities annotated in it (Rasa markup)."""
    entities: list[dict[str, Any]] = []
    out: list[str] = []
    last = 0
    for match in _ANNOTATION.finditer(text):
        out.append(text[last:match.start()])
        start = sum(len(p) for p in out)
        value = match.group("text")
        out.append(value)
        entity = match.group("entity")
        if entity:
            name, _, synonym = entity.partition(":")
            entities.append({"entity": name, "start": start, "end": start + len(value), "value": synonym or value})
        else:
            data = yamlio.safe_load(match.group("json")) or {}
            entities.append({"entity": data.get("entity"), "start": start, "end": start + len(value),
                             "value": data.get("value", value)})
        last = match.end()
    out.append(text[last:])
    return "".join(out), entities


def _examples(block: Any) -> list[str]:
    if isinstance(block, str):
        lines = [line.strip() for line in block.splitlines()]
        return [line[2:].strip() for line in lines if line.startswith("- ")]
    if isinstance(block, list):
        return [str(item.get("text", "")) if isinstance(item, dict) else str(item) for item in block]
    return []


def load_file(path: Path) -> TrainingData:
    data = TrainingData(files=[path])
    content = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(content, dict):
        raise ValueError(f"{path}: expected a Rasa YAML mapping with an `nlu:` key")
    for item in content.get("nlu") or []:
        if "intent" in item:
            metadata = item.get("metadata") or {}
            for raw in _examples(item.get("examples")):
                text, entities = strip_annotations(raw)
                if text:
                    data.examples.append(Example(text, str(item["intent"]), dict(metadata), entities))
        elif "regex" in item:
            data.regexes.setdefault(str(item["regex"]), []).extend(_examples(item.get("examples")))
        elif "lookup" in item:
            data.lookups.setdefault(str(item["lookup"]), []).extend(_examples(item.get("examples")))
        elif "synonym" in item:
            canonical = str(item["synonym"])
            for variant in _examples(item.get("examples")):
                data.synonyms[variant.lower()] = canonical
    for name, variants in (content.get("responses") or {}).items():
        data.responses[str(name)] = list(variants or [])
    return data


def data_files(path: Path) -> list[Path]:
    """YAML files of a data directory (or the one file given), in a stable order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def load_training_data(path: Path) -> TrainingData:
    data = TrainingData()
    for file in data_files(path):
        data.merge(load_file(file))
    for example in data.examples:
        for entity in example.entities:
            synonym = data.synonyms.get(str(entity["value"]).lower())
            if synonym is None and entity["value"] != example.text[entity["start"]:entity["end"]]:
                data.synonyms[example.text[entity["start"]:entity["end"]].lower()] = entity["value"]
    return data
