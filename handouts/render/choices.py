"""Layout choices found by trying every candidate, kept between runs.

A sheet's urgent-help box shares its width between its two groups of signs in the way that makes
the taller group shortest: it tries thirteen shares, breaking both groups into lines for each.
In a process that has broken nothing into lines yet, that is 20 ms of a 240 ms ``handouts
sheet``. The choice depends only on the texts, their styles, the room, Handouts' code and the
engines, so it is kept (as the chosen candidate's place in the list) in this process and in the
cache folder, under a digest of all of them; the next run breaks only the chosen share's lines.

A kept choice is only ever one of the candidates (anything else is ignored and the trials run):
at worst, a tampered entry picks another share the trials could have picked, and the page is
still measured whole before it is written, as ever. Nothing about a patient is in a key, and
nothing is written while a patient's document is made (``cachedir.private``); ``--no-cache``
turns this off, this process's memory too.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence

from handouts import cachedir

#: Bumped when what a key holds or an entry's layout changes.
FORMAT = 1
#: Entries kept in the cache folder; more, and the oldest go.
LIMIT = 256
#: Entries kept in this process.
MEMO = 256
_MEMO: OrderedDict[str, int] = OrderedDict()
KIND = "choice"


def key(*parts) -> str:
    """What a choice is kept under: ``parts`` (everything the trials depend on), the code and engines."""
    stamp = (FORMAT, cachedir.code_stamp(), cachedir.engine_versions(), parts)
    return hashlib.sha256(repr(stamp).encode("utf-8")).hexdigest()


def choose(name: str, candidates: Sequence, score: Callable):
    """The first of ``candidates`` with the least ``score(candidate)``, as ``min`` finds it; kept
    under ``name`` (see :func:`key`), so a later call, or run, tries none of them."""
    n = len(candidates)
    found = _read(name, n)
    if found is None:
        found = min(range(n), key=lambda i: score(candidates[i]))
        _write(name, found, n)
    return candidates[found]


def forget() -> None:
    """Forget this process's choices (for tests and benchmarks)."""
    _MEMO.clear()


def _read(name: str, n: int) -> int | None:
    if not cachedir.enabled():
        return None
    held = _MEMO.get(name)
    if held is None:
        entry = cachedir.entry_path(KIND, name)
        data = cachedir.read_entry(entry) if entry is not None else None
        if not isinstance(data, dict) or set(data) != {"key", "index", "of"} or data["key"] != name:
            return None
        index, of = data["index"], data["of"]
        if not (_whole(index) and _whole(of) and of == n and 0 <= index < n):
            return None
        held = _remember(name, index)
    _MEMO.move_to_end(name)
    return held if held < n else None


def _write(name: str, index: int, n: int) -> None:
    if not cachedir.enabled():
        return
    _remember(name, index)
    entry = cachedir.entry_path(KIND, name)
    if entry is not None and cachedir.writing():
        cachedir.write_entry(entry, {"key": name, "index": index, "of": n})
        cachedir.prune(KIND, LIMIT)


def _remember(name: str, index: int) -> int:
    _MEMO[name] = index
    while len(_MEMO) > MEMO:
        _MEMO.popitem(last=False)
    return index


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
