"""Checked JSON: text parsed into plain values without running code, every number bounded,
duplicate keys and NaN refused. The library cache and the cached figure shapes read it."""

from __future__ import annotations

import json

#: Bounds of any number; the model's real bounds are far inside.
MAX_INT = 10**7
MAX_FLOAT = 1e7
MAX_TEXT = 100_000
MAX_ITEMS = 100_000


class Refused(ValueError):
    """An entry that is not exactly what this version writes."""


def number(value, kind):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Refused("expected a number")
    if kind is int and not isinstance(value, int):
        raise Refused("expected a whole number")
    limit = MAX_INT if isinstance(value, int) else MAX_FLOAT
    if not -limit <= value <= limit:  # also refuses NaN
        raise Refused("a number out of bounds")
    return value


def _object(pairs):
    out = dict(pairs)
    if len(out) != len(pairs):
        raise Refused("a duplicate key")
    return out


def _no_constant(name):
    raise Refused(f"{name} is not a number")


def loads(text: str | bytes):
    """Plain values from JSON text; Refused (a ValueError) for what is not plain, bounded JSON."""
    return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_object)
