"""GSM-7 text for SMS: transliterate what would force UCS-2, count septets and segments (160/153)."""

from __future__ import annotations

import re
import unicodedata

# GSM 03.38 basic character set (one septet each) and its extension table (escape + char: two septets).
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = frozenset("^{}\\[~]|€\f")
SINGLE = 160  # septets in a message of one segment
PART = 153  # septets in each segment of a concatenated message (the rest carries the UDH)

_REPLACE = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "–": "-", "—": "-", "‒": "-", "−": "-", "…": "...", "•": "-", "·": "-", "→": "->", "←": "<-",
    "×": "x", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "✓": "v", "✔": "v", "`": "'",
}
_SYMBOL_FORMS = ("<font>", "<circle>")  # compatibility forms of letters that are symbols (ℹ, Ⓜ), dropped like emoji
_SPACES = re.compile(r"[ ]{2,}")
_MARKUP = re.compile(r"[*_]{1,2}(?=\S)|(?<=\S)[*_]{1,2}")


def septets(text: str) -> int:
    """Septets `text` takes in GSM-7; raises ValueError when a character is not in GSM-7 at all."""
    count = 0
    for char in text:
        if char in BASIC:
            count += 1
        elif char in EXTENSION:
            count += 2
        else:
            raise ValueError(f"character {char!r} is not in GSM-7 (it would force UCS-2)")
    return count


def is_gsm7(text: str) -> bool:
    """True when every character of `text` has a GSM-7 encoding."""
    return all(c in BASIC or c in EXTENSION for c in text)


def segments(text: str) -> int:
    """SMS segments `text` needs: 1 up to 160 septets, else one per 153; UCS-2 (70/67) when not GSM-7."""
    if is_gsm7(text):
        length, single, part = septets(text), SINGLE, PART
    else:
        length, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    if length <= single:
        return 1
    return -(-length // part)


def to_gsm7(text: str) -> str:
    """`text` with every character outside GSM-7 transliterated or dropped (emoji), markup stars removed."""
    out: list[str] = []
    for index, char in enumerate(text):
        if char in BASIC or char in EXTENSION:
            out.append(char)
            continue
        if char in _REPLACE:
            out.append(_REPLACE[char])
            continue
        emoji = text[index + 1:index + 2] == "\ufe0f" or unicodedata.decomposition(char).startswith(_SYMBOL_FORMS)
        if emoji:  # "ℹ️", "Ⓜ": a symbol drawn from a letter, not the letter "i" or "M"
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        kept = "".join(c for c in decomposed if c in BASIC or c in EXTENSION)
        out.append(kept)  # emoji and other symbols have no GSM-7 form: dropped
    plain = _MARKUP.sub("", "".join(out))
    lines = [_SPACES.sub(" ", line).strip() for line in plain.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def fit(text: str, max_segments: int = 2) -> list[str]:
    """Split GSM-7 `text` into messages of at most `max_segments` segments each, at line or word ends."""
    limit = SINGLE if max_segments == 1 else PART * max_segments
    pieces: list[str] = []
    rest = text
    while septets(rest) > limit:
        cut = _cut(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _cut(text: str, limit: int) -> int:
    """The largest index at a line or word end whose prefix fits in `limit` septets."""
    used, end = 0, 0
    for index, char in enumerate(text):
        used += 2 if char in EXTENSION else 1
        if used > limit:
            break
        end = index + 1
    window = text[:end]
    for sep in ("\n", " "):
        at = window.rfind(sep)
        if at > end // 2:
            return at
    return end
