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
#: A number as a drawing writes it, of bounded length.
_NUMBER = re.compile(r"[-+]?(?:[0-9]{1,16}(?:\.[0-9]{0,16})?|\.[0-9]{1,16})")
#: What is not a number among the tokens.
_NAMES = frozenset([*OPERANDS, "[", "]"])
#: Each number's characters as ``#`` (the numbers are checked one by one before).
_MARKS = str.maketrans(dict.fromkeys("0123456789.+-", "#"))
_RUNS = re.compile(r"#+")
#: A dash array (its numbers already ``#``): it becomes ``A``.
_ARRAY = re.compile(r"\[(?: #)* \]")
#: One operator with its operands, in the text made of ``#``, ``A`` and operators.
_UNIT = re.compile(r"(?:[#A] )*[^#A ]+")
#: Every operator as it may be written: ``# # m``, ``A # d``.
_WHOLE = frozenset(["A # d", *(("# " * n) + name for name, n in OPERANDS.items() if name != "d")])
_Q = re.compile(r"[qQ]")
#: What an operator ends with.
_ENDS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*")


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
    spaced = text.replace("[", " [ ").replace("]", " ] ")
    for token in set(spaced.split()) - _NAMES:  # each number once, however often it is drawn
        if not _NUMBER.fullmatch(token):
            return False
    # numbers as #, dash arrays as A: then each operator with its operands must be a whole one
    shape = _ARRAY.sub("A", " ".join(_RUNS.sub("#", spaced.translate(_MARKS)).split()))
    units = _UNIT.findall(shape)
    if " ".join(units) != shape or not _WHOLE.issuperset(units):
        return False
    depth = 0
    for mark in _Q.findall(text):  # no other operator has either letter
        depth += 1 if mark == "q" else -1
        if depth < 0:
            return False
    return depth == 0
