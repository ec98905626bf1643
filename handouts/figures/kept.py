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
import sys
from operator import itemgetter

from reportlab import rl_config

from handouts import cachedir

#: Bumped when an entry's layout changes.
FORMAT = 1
#: Entries kept; more, and the oldest quarter goes (a full build of the shipped library, every
#: language and large print, writes about a hundred, 2.6 MB in all).
LIMIT = 1000
_KEYS = {"stamp", "key", "width", "height", "ops"}


def _stamp() -> list:
    return [
        FORMAT,
        cachedir.code_stamp(),
        *cachedir.engine_versions(),
        f"python={sys.version_info[0]}.{sys.version_info[1]}",
        f"invariant={int(bool(rl_config.invariant))}",
    ]


def _entry(key: str):
    """Where ``key``'s drawing is kept: named by the stamp too, so two versions of Handouts sharing
    a cache folder keep an entry each instead of writing over each other's on every run."""
    return cachedir.entry_path("drawing", f"{_stamp()!r}\0{key}")


#: Whether this process has pruned the drawings already: once a run is enough.
_pruned = False


def read(key: str) -> tuple[float, float, list[str]] | None:
    """The kept (width, height, operators) for ``key`` when its entry is current and sound."""
    entry = _entry(key)
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
    entry = _entry(key)
    if entry is None:
        return
    global _pruned
    if not cachedir.writing():  # off, or a patient's document: nothing kept (see cachedir.private)
        return
    cachedir.write_entry(entry, {"stamp": _stamp(), "key": key, "width": width, "height": height, "ops": ops})
    if not _pruned:
        _pruned = True
        cachedir.prune("drawing", LIMIT)


#: The operators a recorded drawing may hold (the path, painting, colour and graphics-state
#: operators: nothing that names a resource, shows text or an image, or marks content), each with
#: its operands: so many numbers, or for ``d`` a dash array and a phase.
OPERANDS = {
    **dict.fromkeys(("q", "Q", "h", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "W", "W*"), 0),
    **dict.fromkeys(("w", "J", "j", "M", "g", "G"), 1),
    **dict.fromkeys(("m", "l"), 2),
    **dict.fromkeys(("rg", "RG"), 3),
    **dict.fromkeys(("v", "y", "re", "k", "K"), 4),
    **dict.fromkeys(("cm", "c"), 6),
    "d": 2,
}
PORTABLE_OPERATORS = frozenset(OPERANDS)


#: What operator strings may hold at all: ASCII letters, digits, signs, points, stars, brackets,
#: spaces and newlines (a Unicode space or digit is not a drawing's).
_NOT_OURS = re.compile(r"[^0-9A-Za-z.+\-*\[\] \n]")
#: Numbers as a drawing writes them, of bounded length, between single spaces.
_NUMBER = r"[-+]?(?:[0-9]{1,16}(?:\.[0-9]{0,16})?|\.[0-9]{1,16})"
_NUMBERS = re.compile(f"(?:{_NUMBER}(?: {_NUMBER})*)?")
#: Each operator (and bracket) as one character of a drawing's shape; every number is ``#``.
_LETTER = {
    **{name: name for name in OPERANDS if len(name) == 1},
    **{"f*": "1", "B*": "2", "b*": "3", "W*": "4", "rg": "5", "RG": "6", "re": "7", "cm": "8"},
    "[": "[",
    "]": "]",
}


def _shape_grammar() -> re.Pattern:
    """A drawing's shape: each operator after exactly its operands; ``d`` after ``[# ...] #``."""
    units = ["\\[#*\\]#d"]
    for count in sorted(set(OPERANDS.values())):
        letters = "".join(_LETTER[k] for k, v in OPERANDS.items() if v == count and k != "d")
        units.append("#" * count + f"[{re.escape(letters)}]")
    return re.compile(f"(?:{'|'.join(units)})*")


_SHAPE = _shape_grammar()
#: What an operator ends with.
_ENDS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*")
#: Only the q and Q of a shape.
_SAVES = str.maketrans("", "", "".join(sorted({*_LETTER.values(), "#"} - {"q", "Q"})))


def portable(ops) -> bool:
    """Whether ``ops`` (from the cache, say) are recorded drawing operators and nothing else: each
    string whole operators, each with its operands (numbers, and for ``d`` a dash array of numbers
    and a phase), every ``q`` closed by its ``Q``."""
    if not isinstance(ops, list) or not 0 < len(ops) <= 100_000:
        return False
    # Each string ends with an operator (a letter or the star of f*, B*, b*, W*), so checked
    # together, every string is whole operators: the end of one is the end of an operator.
    for op in ops:
        if not isinstance(op, str) or not 0 < len(op) <= 10_000 or op[-1] not in _ENDS:
            return False
    text = "\n".join(ops)
    if _NOT_OURS.search(text):
        return False
    tokens = text.replace("[", " [ ").replace("]", " ] ").split()
    numbers = set(tokens) - _LETTER.keys()
    if not _NUMBERS.fullmatch(" ".join(numbers)):  # each number once, however often it is drawn
        return False
    # one character a token: each operator must come after exactly its operands
    letters = {**_LETTER, **dict.fromkeys(numbers, "#")}
    shape = "".join(itemgetter(*tokens)(letters)) if len(tokens) > 1 else letters[tokens[0]]
    if not _SHAPE.fullmatch(shape):
        return False
    depth = 0
    for mark in shape.translate(_SAVES):  # the q and Q, in order: never a Q before its q
        depth += 1 if mark == "q" else -1
        if depth < 0:
            return False
    return depth == 0
