"""The shape a platform's delivery must have before a channel reads it, checked once where it arrives.

A signed webhook proves who sent a delivery, not that it is well-formed: a payload with a field of the wrong type
or without a required one used to pass the webhook and fail deep in the parser, again at every inbox attempt. Each
channel states what it reads as a small spec and checks it at its boundary (the webhook, and the inbox for items
stored before), so such a delivery is refused or set aside with one warning line.

A spec is a type (or a tuple of types), a dict of field specs (a name ending in `?` may be absent or null), or a
one-item list: a list whose items all have that spec.
"""

from __future__ import annotations

from typing import Any

Spec = Any
#: A number as JSON gives one (a bool is not a number here).
NUMBER = (int, float)
#: What a third-party parser (python-telegram-bot's de_json, datetime) raises on a payload it cannot read.
PARSE_ERRORS = (TypeError, KeyError, ValueError, AttributeError, IndexError, OverflowError, OSError)

_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false", dict: "an object",
          list: "a list"}


def _is(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def shape_problem(value: Any, spec: Spec, where: str = "payload") -> str | None:
    """What is wrong with `value` against `spec` ("message.text.body is not a string"), or None."""
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return f"{where} is not an object"
        for name, inner in spec.items():
            optional = name.endswith("?")
            key = name.rstrip("?")
            if value.get(key) is None:
                if optional:
                    continue
                return f"{where}.{key} is missing"
            problem = shape_problem(value[key], inner, f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(spec, list):
        if not isinstance(value, list):
            return f"{where} is not a list"
        for index, item in enumerate(value):
            problem = shape_problem(item, spec[0], f"{where}[{index}]")
            if problem:
                return problem
        return None
    types = spec if isinstance(spec, tuple) else (spec,)
    if not _is(value, types):
        return f"{where} is not {' or '.join(_NAMES.get(t, t.__name__) for t in types)}"
    return None
