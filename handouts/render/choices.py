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
from collections.abc import Callable, Sequence

from handouts import cachedir

#: Bumped when what a key holds or an entry's layout changes.
FORMAT = 1
#: Entries kept in the cache folder; more, and the oldest go.
LIMIT = 256
#: Entries kept in this process.
MEMO = 256
KIND = "choice"
_KEPT = cachedir.Kept(KIND, LIMIT, MEMO)


def key(*parts) -> str:
    """What a choice is kept under: ``parts`` (everything the trials depend on), the code and engines."""
    stamp = (FORMAT, cachedir.code_stamp(), cachedir.engine_versions(), parts)
    return hashlib.sha256(repr(stamp).encode("utf-8")).hexdigest()


def choose(name: str, candidates: Sequence, score: Callable):
    """The first of ``candidates`` with the least ``score(candidate)``, as ``min`` finds it; kept
    under ``name`` (see :func:`key`), so a later call, or run, tries none of them."""
    n = len(candidates)
    found = _KEPT.get(name, lambda fields: _checked(fields, n))
    if found is None or found >= n:
        found = min(range(n), key=lambda i: score(candidates[i]))
        _KEPT.put(name, found, {"index": found, "of": n})
    return candidates[found]


#: How many times this process's choices were forgotten: what was laid out with them is stale.
_FORGOTTEN = [0]


def forget() -> None:
    """Forget this process's choices (for tests and benchmarks)."""
    _KEPT.forget()
    _FORGOTTEN[0] += 1


def generation() -> int:
    """A number that changes when this process's choices are forgotten: flowables kept for later
    documents (a choice made in them) are kept under it, and made again after."""
    return _FORGOTTEN[0]


def _checked(fields: dict, n: int) -> int | None:
    """A folder entry's index among ``n`` candidates, or None."""
    if set(fields) != {"index", "of"}:
        return None
    index, of = fields["index"], fields["of"]
    return index if _whole(index) and _whole(of) and of == n and 0 <= index < n else None


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
