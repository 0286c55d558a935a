"""Reading request bodies safely: JSON with a depth limit and valid Unicode, for every channel's webhook, and
forms (the desks) that answer 400 instead of failing."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_request import FileField
from multidict import MultiDict, MultiDictProxy

from bot.message import InputError

MAX_JSON_DEPTH = 32
# What aiohttp raises for a form or multipart body it cannot read (no boundary, broken or cut-off parts, text
# that is not UTF-8, a part whose headers are broken: "--zz\r\nbroken"): every reader of one answers 400 (or its
# page's "no file") on these, never 500.
FORM_ERRORS = (ValueError, LookupError, AssertionError, aiohttp.ClientError, HttpProcessingError)


def parse_json(raw: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a JSON body; InputError (a ValueError) when it is not JSON, nests too deep or holds a lone surrogate."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise InputError(f"JSON nests deeper than {max_depth} levels") from None
    except (ValueError, UnicodeDecodeError):
        raise InputError("Body is not valid JSON") from None
    _check(value, max_depth)
    return value


def _check(value: Any, max_depth: int) -> None:
    """Walk the value without recursion: depth limit, and every string (keys too) must encode as UTF-8."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > max_depth:
                raise InputError(f"JSON nests deeper than {max_depth} levels")
            for key, child in item.items():
                _check_string(key)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            if depth > max_depth:
                raise InputError(f"JSON nests deeper than {max_depth} levels")
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            _check_string(item)


def _check_string(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("JSON holds a lone surrogate (\\ud800-\\udfff), which is not valid text") from None


async def read_form(request: web.Request, *, keep_files: bool = False
                    ) -> MultiDictProxy[str | bytes | bytearray | FileField]:
    """A form body (urlencoded or multipart), or 400 when it cannot be read: multipart without a boundary,
    a broken body, text that is not UTF-8. NUL and other control characters (but line breaks and tabs) are
    taken out of every text field, so they are never stored or shown. Files are dropped, their temporary files
    closed, unless `keep_files` (then the caller closes them): a form that takes none never holds one open."""
    try:
        if request.content_type == "application/x-www-form-urlencoded":
            # aiohttp reads escapes that are not UTF-8 ("%FF", a lone surrogate) as "\ufffd": refuse them instead
            parse_qsl((await request.read()).decode("utf-8"), keep_blank_values=True, errors="strict")
        form = await request.post()
    except FORM_ERRORS:
        raise web.HTTPBadRequest(text="The form cannot be read; send application/x-www-form-urlencoded or "
                                      "multipart/form-data with its boundary") from None
    files = [v for v in form.values() if isinstance(v, FileField)]
    if files and not keep_files:
        for field in files:
            field.file.close()
        form = MultiDictProxy(MultiDict((k, v) for k, v in form.items() if not isinstance(v, FileField)))
    if not any(isinstance(v, str) and _CONTROL.search(v) for v in form.values()):
        return form
    cleaned: MultiDict[str | bytes | bytearray | FileField] = MultiDict(
        (k, _CONTROL.sub("", v) if isinstance(v, str) else v) for k, v in form.items())
    return MultiDictProxy(cleaned)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
