"""User-facing texts, per language, loaded from every YAML file in `content/texts/`.

Each file maps a snake_case key to `{id: "...", en: "..."}`; `{name}` fields are filled by
`Texts.get(key, lang, name=...)`. A key defined twice, a missing Indonesian text or a field that
does not parse stops start-up with the file and key named.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import yaml

DEFAULT_LANG = "id"
LANGS = ("id", "en")


class TextsError(ValueError):
    """A texts file is malformed."""


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Texts:
    """Lookup of user-facing texts by key and language, Indonesian as the fallback."""

    def __init__(self, entries: dict[str, dict[str, str]]) -> None:
        self._entries = entries

    @classmethod
    def load(cls, directory: Path) -> Texts:
        entries: dict[str, dict[str, str]] = {}
        origin: dict[str, Path] = {}
        files = sorted(directory.glob("*.yml"))
        if not files:
            raise TextsError(f"{directory}: no texts files (*.yml) found")
        for path in files:
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise TextsError(f"{path}: {exc}") from None
            if not isinstance(data, dict):
                raise TextsError(f"{path}: expected a mapping of key -> {{id, en}}")
            for key, value in data.items():
                if key in entries:
                    raise TextsError(f"{path}: key {key!r} is already defined in {origin[key]}")
                if not isinstance(value, dict) or not isinstance(value.get(DEFAULT_LANG), str):
                    raise TextsError(f"{path}: key {key!r} needs an Indonesian text under 'id'")
                for lang, text in value.items():
                    if lang not in LANGS or not isinstance(text, str):
                        raise TextsError(f"{path}: key {key!r}: unknown language {lang!r} or non-text value")
                    try:
                        list(string.Formatter().parse(text))
                    except ValueError as exc:
                        raise TextsError(f"{path}: key {key!r} ({lang}): {exc}") from None
                entries[key] = value
                origin[key] = path
        return cls(entries)

    def keys(self) -> list[str]:
        return sorted(self._entries)

    def has(self, key: str) -> bool:
        return key in self._entries

    def get(self, key: str, lang: str = DEFAULT_LANG, **fields: Any) -> str:
        """The text for `key` in `lang` (Indonesian when missing), with `fields` filled in."""
        entry = self._entries.get(key)
        if entry is None:
            raise KeyError(f"no text {key!r} in content/texts")
        template = entry.get(lang) or entry[DEFAULT_LANG]
        return template.format_map(_Missing(fields)) if fields else template

    def raw(self, key: str) -> dict[str, str]:
        return dict(self._entries[key])
