"""Drawings kept between runs: a drawing's recorded operators in the user's cache folder.

A picture panel or an SVG logo is drawn through reportlab once per process and its operators
replayed on every page after (``ReplayedDrawing``). The operators are also kept here, keyed by
everything the drawing depends on (the caller's key: the figure or the logo file's content, the
size, the colours), Handouts' own code and the versions of the libraries that draw, so the next
run writes them without building or drawing anything: the same operators, so the same bytes.

Reading an entry runs no code: checked JSON whose every operator is a number or one of the path,
colour and graphics-state operators a drawing writes (:func:`portable`:
nothing that names a resource, shows text or an image), its ``q`` and ``Q`` balanced, its size a
plain number. An entry that is missing, stale, corrupt or odd is ignored, the drawing drawn, and
the entry written again. At most LIMIT entries are kept (the oldest go first); ``--no-cache``
turns it off.
"""

from __future__ import annotations

import math
import re

from handouts import cachedir

#: Bumped when an entry's layout changes.
FORMAT = 1
#: Entries kept; more, and the oldest quarter goes (a full build of the shipped library, every
#: language and large print, writes about a hundred, 2.6 MB in all).
LIMIT = 1000
_KEYS = {"stamp", "key", "width", "height", "ops"}


def _stamp() -> list:
    return [FORMAT, cachedir.code_stamp(), *cachedir.engine_versions()]


def read(key: str) -> tuple[float, float, list[str]] | None:
    """The kept (width, height, operators) for ``key`` when its entry is current and sound."""
    entry = cachedir.entry_path("drawing", key)
    data = cachedir.read_entry(entry) if entry is not None else None
    if not isinstance(data, dict) or set(data) != _KEYS:
        return None
    if data["stamp"] != _stamp() or data["key"] != key:
        return None
    width, height, ops = data["width"], data["height"], data["ops"]
    for v in (width, height):
        if (
            not isinstance(v, int | float)
            or isinstance(v, bool)
            or not math.isfinite(v)
            or not 0 < v <= 10_000
        ):
            return None
    if not ops or not portable(ops):
        return None
    return float(width), float(height), ops


def write(key: str, width: float, height: float, ops: list[str]) -> None:
    """Keep ``ops`` for ``key``; any failure is silently skipped."""
    entry = cachedir.entry_path("drawing", key)
    if entry is None:
        return
    cachedir.write_entry(entry, {"stamp": _stamp(), "key": key, "width": width, "height": height, "ops": ops})
    cachedir.prune("drawing", LIMIT)


#: The operators a recorded drawing may hold: the path, painting, colour and graphics-state
#: operators (nothing that names a resource, shows text or an image, or marks content).
PORTABLE_OPERATORS = frozenset((
    "q", "Q", "cm", "w", "J", "j", "M", "d",  # graphics state
    "m", "l", "c", "v", "y", "h", "re",  # paths
    "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "W", "W*",  # painting and clipping
    "rg", "RG", "g", "G", "k", "K",  # colour
))  # fmt: skip
_NUMBER = re.compile(r"\[?(?:[-+]?(?:\d+\.?\d*|\.\d+))?\]?")


def portable(ops) -> bool:
    """Whether ``ops`` (from the cache, say) are recorded drawing operators and nothing else:
    numbers, number arrays and the operators above, every ``q`` closed by its ``Q``."""
    if not isinstance(ops, list) or len(ops) > 100_000:
        return False
    depth = 0
    for op in ops:
        if not isinstance(op, str) or len(op) > 10_000:
            return False
        for token in op.split():
            if token in PORTABLE_OPERATORS:
                depth += (token == "q") - (token == "Q")
                if depth < 0:
                    return False
            elif not _NUMBER.fullmatch(token) or len(token) > 24:
                return False
    return depth == 0
