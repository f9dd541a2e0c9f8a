"""Helpers for JSON values: equality that distinguishes `true` from `1`, set keys and pointers."""

from __future__ import annotations

import json
from typing import Any


def same(old: Any, new: Any) -> bool:
    """Compare two JSON values as JSON does: `1 == 1.0`, but `true != 1` and key order is ignored.

    Python's `==` already ignores key order and runs in C, so it decides most cases; only
    when it says equal do we walk the values to catch booleans standing in for numbers.
    """
    if old != new:
        return False
    return _same_kinds(old, new)


def _same_kinds(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new)
    if isinstance(old, dict):
        return all(_same_kinds(value, new[key]) for key, value in old.items())
    if isinstance(old, list):
        return all(_same_kinds(a, b) for a, b in zip(old, new))
    return True


def printable(text: str) -> str:
    """Escape line breaks and other control characters, so that text from a schema stays on one line."""
    return "".join(character if character.isprintable() or character == " " else repr(character)[1:-1] for character in text)


def kind_of(value: Any) -> str:
    """Return the JSON Schema type of a value, with integral numbers as "integer"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def value_key(value: Any) -> Any:
    """Return a hashable key for a JSON value, equal for equal values, for comparing lists as sets."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, (int, float)):
        # 1 and 1.0 are the same JSON number.
        return ("number", float(value) if isinstance(value, float) and not value.is_integer() else int(value))
    if isinstance(value, str):
        return ("string", value)
    return ("json", json.dumps(value, sort_keys=True, separators=(",", ":")))


def escape(token: str | int) -> str:
    """Escape one reference token for an RFC 6901 pointer."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join(pointer: str, *tokens: str | int) -> str:
    """Extend a pointer by one or more reference tokens."""
    return pointer + "".join("/" + escape(token) for token in tokens)


def show(value: Any) -> str:
    """Render a JSON value for a message, short and in JSON syntax."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
