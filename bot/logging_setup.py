"""Logging set-up with a filter that masks NIK and phone numbers wherever they appear."""

from __future__ import annotations

import logging
import re

# 16-digit NIK, and Indonesian phone numbers (08…, +62…, 62…), possibly with spaces or dashes.
_NIK = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
_PHONE = re.compile(r"(?<![\d])(\+?62|0)(8\d)[\d\- ]{5,11}(\d{3})(?!\d)")


def mask_personal(text: str) -> str:
    """'3516012345678901' -> '3516********8901'; '081234567890' -> '08********890'."""
    text = _NIK.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    return _PHONE.sub(lambda m: f"{m.group(1)}{m.group(2)}*****{m.group(3)}", text)


class MaskingFilter(logging.Filter):
    """Masks NIK and phone numbers in the final log message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "telegram.ext", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
