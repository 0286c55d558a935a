"""Comparing what a client sent with a secret, safely.

Header and query values are text the client chose: aiohttp hands header bytes that are not UTF-8 over as
surrogate escapes, which `str.encode()` refuses. Every check of a token, signature or verify token goes
through `same_secret`, so such a value is a wrong secret (403), never an exception (500).
"""

from __future__ import annotations

import hmac


def same_secret(given: str | None, expected: str | None) -> bool:
    """Constant-time equality of a client-sent value and the expected one; False when either is empty or the
    given value is not plain text."""
    if not given or not expected:
        return False
    try:
        return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
    except UnicodeEncodeError:
        return False
