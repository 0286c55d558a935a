"""User-facing texts, per language, loaded from every YAML file in `content/texts/`.

Each file maps a snake_case key to `{id: "...", en: "..."}`; `{name}` fields are filled by
`Texts.get(key, lang, name=...)`. A key defined twice, a missing Indonesian text or a field that
does not parse stops start-up with the file and key named.

A text that must differ per channel (it names a control only that channel has, like WhatsApp's
"📎 → Lokasi") gives, for a language, a mapping of variants instead of one text:

    complaint_ask_location:
      id:
        default: "Di mana lokasinya? Ketik nama desa/kelurahan ..."
        web: "Di mana lokasinya? Tekan 📍 di samping kolom pesan ..."
        whatsapp: "Di mana lokasinya? Kirim titik lokasi (📎 → Lokasi) ..."

`Texts.get(key, lang, for_channel=...)` picks the channel's variant, else `default`.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import yaml

from nlu import yamlio

DEFAULT_LANG = "id"
LANGS = ("id", "en")
DEFAULT_VARIANT = "default"
VARIANTS = (DEFAULT_VARIANT, "web", "telegram", "whatsapp", "sms", "terminal")
# Channel names (Message.channel) whose variant key is spelled differently in the texts.
CHANNEL_VARIANT = {"webchat": "web"}

Entry = dict[str, str | dict[str, str]]


class TextsError(ValueError):
    """A texts file is malformed."""


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Texts:
    """Lookup of user-facing texts by key and language, Indonesian as the fallback."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self._entries = entries

    def replace_with(self, other: Texts) -> None:
        """Take `other`'s texts, in place: every part of the service that holds this object reads them from now."""
        self._entries = other._entries

    @classmethod
    def load(cls, directory: Path) -> Texts:
        entries: dict[str, Entry] = {}
        origin: dict[str, Path] = {}
        files = sorted(directory.glob("*.yml"))
        if not files:
            raise TextsError(f"{directory}: no texts files (*.yml) found")
        for path in files:
            try:
                data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise TextsError(f"{path}: {exc}") from None
            if not isinstance(data, dict):
                raise TextsError(f"{path}: expected a mapping of key -> {{id, en}}")
            for key, value in data.items():
                if key in entries:
                    raise TextsError(f"{path}: key {key!r} is already defined in {origin[key]}")
                if not isinstance(value, dict) or DEFAULT_LANG not in value:
                    raise TextsError(f"{path}: key {key!r} needs an Indonesian text under 'id'")
                for lang, text in value.items():
                    if lang not in LANGS:
                        raise TextsError(f"{path}: key {key!r}: unknown language {lang!r}")
                    _check_text(path, key, lang, text)
                _check_fields(path, key, value)
                entries[key] = value
                origin[key] = path
        return cls(entries)

    def keys(self) -> list[str]:
        return sorted(self._entries)

    def has(self, key: str) -> bool:
        return key in self._entries

    def get(self, key: str, lang: str = DEFAULT_LANG, for_channel: str | None = None, **fields: Any) -> str:
        """The text for `key` in `lang` (Indonesian when missing), in `channel`'s variant if it has one,
        with `fields` filled in."""
        entry = self._entries.get(key)
        if entry is None:
            raise KeyError(f"no text {key!r} in content/texts")
        template = _variant(entry.get(lang) or entry[DEFAULT_LANG], for_channel)
        return template.format_map(_Missing(fields)) if fields else template

    def raw(self, key: str) -> dict[str, str]:
        """The default text of `key` per language."""
        return {lang: _variant(text, None) for lang, text in self._entries[key].items()}


def _variant(text: str | dict[str, str], channel: str | None) -> str:
    if isinstance(text, str):
        return text
    wanted = CHANNEL_VARIANT.get(channel or "", channel or DEFAULT_VARIANT)
    return text.get(wanted) or text[DEFAULT_VARIANT]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _check_fields(path: Path, key: str, entry: dict[str, Any]) -> None:
    """A `{field}` misspelt in one language (`{regensi}` beside `{regency}`) would be shown as written: the
    languages of a text name the same fields, and a channel variant only fields its default names."""
    defaults: dict[str, set[str]] = {}
    for lang, text in entry.items():
        variants = text if isinstance(text, dict) else {DEFAULT_VARIANT: text}
        defaults[lang] = base = _fields(variants[DEFAULT_VARIANT])
        for variant, value in variants.items():
            if extra := _fields(value) - base:
                raise TextsError(f"{path}: key {key!r} ({lang}, {variant}): {{{sorted(extra)[0]}}} is not a field of "
                                 f"its default text ({', '.join(sorted(base)) or 'none'}); misspelt?")
    others = {lang: names for lang, names in defaults.items() if lang != DEFAULT_LANG}
    for lang, names in others.items():
        if names != defaults[DEFAULT_LANG]:
            odd = sorted(names ^ defaults[DEFAULT_LANG])
            raise TextsError(f"{path}: key {key!r}: the {lang} text and the id text name different fields "
                             f"({', '.join('{' + n + '}' for n in odd)}); misspelt?")


def _check_text(path: Path, key: str, lang: str, text: Any) -> None:
    variants = text if isinstance(text, dict) else {DEFAULT_VARIANT: text}
    if DEFAULT_VARIANT not in variants:
        raise TextsError(f"{path}: key {key!r} ({lang}): channel variants need a `default`")
    for variant, value in variants.items():
        if variant not in VARIANTS or not isinstance(value, str):
            raise TextsError(f"{path}: key {key!r} ({lang}): unknown channel {variant!r} or non-text value; "
                             f"variants are {', '.join(VARIANTS)}")
        try:
            list(string.Formatter().parse(value))
        except ValueError as exc:
            raise TextsError(f"{path}: key {key!r} ({lang}, {variant}): {exc}") from None
