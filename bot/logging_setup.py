"""Logging set-up with one masking function for NIK and phone numbers, applied to every record and traceback."""

from __future__ import annotations

import logging
import re

# A NIK: 16 digits, written together or in groups split by spaces, dots or dashes (3516 0123 4567 8901,
# 35.16.01.234567.8901). Checked before phone numbers so a NIK is never half-masked as a phone.
# Neither is followed by a letter: a run of digits inside a hex id ("w-0812345a9f…", a web session) is no number.
_NIK = re.compile(r"(?<![\d.\-])\d(?:[ .\-]?\d){15}(?![\dA-Za-z])")
# An Indonesian mobile number: 08…, +62 8…, 62 8…, (0812) …, with spaces, dots or dashes between groups.
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?62|62|\(0|0)[ .\-]?\(?8\d{1,3}\)?(?:[ .\-]?\d){5,10}(?![\dA-Za-z])")


def _mask_nik(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return f"{digits[:4]}********{digits[-4:]}"


def _mask_phone(match: re.Match[str]) -> str:
    found = match.group(0)
    digits = re.sub(r"\D", "", found)
    if not 9 <= len(digits) <= 14:
        return found
    prefix = "+62" if found.startswith("+") else ("62" if digits.startswith("62") else "0")
    return f"{prefix}8*****{digits[-3:]}"


def mask_nik_in(text: str) -> str:
    """Every NIK in `text` masked ('3516********8901'), phone numbers left (a resident's own copy of what they
    typed: the web chat's history and the conversation's recent messages)."""
    return _NIK.sub(_mask_nik, text)


def has_personal_data(text: str) -> bool:
    """Whether `text` holds a NIK or a phone number."""
    return bool(_NIK.search(text) or _PHONE.search(text))


# The words that lead a number a resident gives of themself: "nik saya 3516…", "no hp: 0812…", "wa 0812…".
_PERSONAL_LEAD = re.compile(
    r"\b(?:(?:nomor|nomer|no\.?)\s*)?(?:nik|ktp|kk|hp|telp|telepon|wa|whatsapp)\b(?:\s*(?:saya|aku|sy|ku|ibu|bapak))?"
    r"\s*[:=]?\s*$", re.IGNORECASE)


def without_personal(text: str) -> str:
    """`text` with each NIK and phone number, and the words that lead it, taken out: what a resident tells apart
    from the numbers ("bansos saya tidak cair, nik saya 3516…, hp 0812…" -> "bansos saya tidak cair")."""
    out = ""
    rest = text
    while found := min((m for m in (_NIK.search(rest), _PHONE.search(rest)) if m), key=lambda m: m.start(),
                       default=None):
        out += _PERSONAL_LEAD.sub("", rest[:found.start()])
        rest = rest[found.end():]
    kept = re.sub(r"(?:\s*[,;.]\s*)+(?=[,;.]|$)", "", out + rest)
    return re.sub(r"\s{2,}", " ", kept).strip(" ,;.")


def mask_personal(text: str) -> str:
    """'3516 0123 4567 8901' -> '3516********8901'; '+62 812-3456-7890' -> '+628*****890'."""
    text = _NIK.sub(_mask_nik, text)
    return _PHONE.sub(_mask_phone, text)


class MaskingFilter(logging.Filter):
    """Masks NIK and phone numbers in the message, the traceback and the stack of every record."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal(record.stack_info)
        return True


class MaskingFormatter(logging.Formatter):
    """Formats, then masks the whole output: also catches what a filter cannot see (formatted extras)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal(super().format(record))


class MalformedRequestFilter(logging.Filter):
    """aiohttp logs a request it cannot parse (a URL over 8 KB, a broken header) as an ERROR with its traceback,
    though it answers 400 and nothing of ours ran: one WARNING line naming the fault instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp.http_exceptions import BadHttpMessage

        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, BadHttpMessage):
            fault = str(error.message).split(":", 1)[0][:80]
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "refused a malformed HTTP request (400): %s: %s", (type(error).__name__, fault)
            record.exc_info, record.exc_text = None, None
        return True


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    server = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, MalformedRequestFilter) for f in server.filters):
        server.addFilter(MalformedRequestFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "telegram.ext", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
