"""What a booklet's last build found out about its pages, to start the next build's first pass.

The booklet's contents list the page each section starts on, and its how-to page names the pages
of the exercises, the log and the questions; so reportlab builds it in passes (``multiBuild``):
one to find the pages, another to print them, until a pass prints the pages it finds. Like a
LaTeX ``.aux`` file, the pages the last build found are kept, in this process and in the cache
folder, and given to the next build's first pass. When nothing moved, that pass prints the right
pages, finds the same ones and is the only one. When something moved, it finds other pages and
reportlab builds again, as it did before anything was kept: a wrong or stale entry costs a pass,
never a wrong page.

Reading an entry runs no code and draws no markup of its own: checked JSON of the contents'
entries (a level, the title as ``esc`` writes it, a page, a bookmark name) and the pages the
how-to page names. Nothing about a patient is in a booklet; the cache is off with ``--no-cache``.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict

from handouts import cachedir

#: Bumped when an entry's layout changes.
FORMAT = 1
#: Entries kept in the cache folder (one a library, language, edition and paper); more, and the
#: oldest go.
LIMIT = 64
#: Entries kept in this process.
MEMO = 16
_MEMO: OrderedDict[str, tuple[list[tuple], dict[str, int]]] = OrderedDict()

#: A contents title as ``esc`` writes it: no tags, and ``&`` only in the three entities.
_TITLE = re.compile(r"(?:[^<>&]|&(?:amp|lt|gt);){1,2000}")
#: A bookmark name as the booklet makes them (``s12``).
_BOOKMARK = re.compile(r"s[0-9]{1,6}")
#: A page reference's name (``exercises``, ``after-exercises``).
_REF = re.compile(r"[a-z][a-z0-9-]{0,63}")
_MOST = 2000


def key(lib, theme, language: str, promo: bool) -> str:
    """What a booklet's pages are kept under: the library (by its title and exercises), the
    language, the edition's values and the paper. Anything else that moves a page (an edited
    text) is caught by the first pass, which then builds again."""
    parts = [
        lib.document.title,
        lib.ids,
        language,
        promo,
        theme.paper,
        theme.pagesize,
        theme.margin,
        theme.min_pt,
        theme.picture_scale,
        theme.columns,
        theme.exercise_pages,
        theme.log_weeks,
        theme.flowing_sections,
        theme.contents_subsections,
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _stamp() -> list:
    return [FORMAT, cachedir.code_stamp(), *cachedir.engine_versions()]


def read(name: str) -> tuple[list[tuple], dict[str, int]] | None:
    """The contents entries and page references the last build under ``name`` found, or None."""
    held = _MEMO.get(name)
    if held is not None:
        _MEMO.move_to_end(name)
        return list(held[0]), dict(held[1])
    entry = cachedir.entry_path("pages", name)
    data = cachedir.read_entry(entry) if entry is not None else None
    if not isinstance(data, dict) or set(data) != {"stamp", "key", "entries", "pages"}:
        return None
    if data["stamp"] != _stamp() or data["key"] != name:
        return None
    entries, pages = _entries(data["entries"]), _pages(data["pages"])
    if entries is None or pages is None:
        return None
    _remember(name, entries, pages)
    return list(entries), dict(pages)


def write(name: str, entries: list, pages: dict) -> None:
    """Keep what a build found (in this process, and in the cache folder when it is new)."""
    entries = [tuple(e) for e in entries]
    found = _entries([list(e) for e in entries]), _pages(pages)
    if found[0] is None or found[1] is None:  # not what a booklet makes: keep nothing
        return
    if read(name) == (entries, dict(pages)):
        return
    _remember(name, entries, dict(pages))
    path = cachedir.entry_path("pages", name)
    if path is not None and cachedir.writing():
        cachedir.write_entry(
            path, {"stamp": _stamp(), "key": name, "entries": [list(e) for e in entries], "pages": pages}
        )
        cachedir.prune("pages", LIMIT)


def forget() -> None:
    """Forget this process's entries (for tests and benchmarks)."""
    _MEMO.clear()


def _remember(name: str, entries: list[tuple], pages: dict[str, int]) -> None:
    _MEMO[name] = (entries, pages)
    _MEMO.move_to_end(name)
    while len(_MEMO) > MEMO:
        _MEMO.popitem(last=False)


def _whole(v, low: int, high: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _entries(value) -> list[tuple] | None:
    """Contents entries as reportlab keeps them, (level, title, page, bookmark), or None."""
    if not isinstance(value, list) or len(value) > _MOST:
        return None
    out = []
    for e in value:
        if not isinstance(e, list) or len(e) != 4:
            return None
        level, title, page, mark = e
        if not (_whole(level, 0, 9) and _whole(page, 1, 100_000)):
            return None
        if not isinstance(title, str) or not _TITLE.fullmatch(title):
            return None
        if mark is not None and not (isinstance(mark, str) and _BOOKMARK.fullmatch(mark)):
            return None
        out.append((level, title, page, mark))
    return out


def _pages(value) -> dict[str, int] | None:
    """The pages the how-to page names, or None."""
    if not isinstance(value, dict) or len(value) > _MOST:
        return None
    for k, v in value.items():
        if not (isinstance(k, str) and _REF.fullmatch(k) and _whole(v, 1, 100_000)):
            return None
    return dict(value)
