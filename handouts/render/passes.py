"""The pages a booklet's last build found, to start the next build's first pass.

The booklet's contents list the page each section starts on, and its how-to page names the pages
of the exercises, the log and the questions; so reportlab builds it in passes (``multiBuild``):
one to find the pages, another to print them, until a pass prints the pages it finds. Like a
LaTeX ``.aux`` file, the pages the last build of the same booklet found are kept, in this process
and in the cache folder, and given to the next build's first pass. When nothing moved, that pass
prints the right pages, finds the same ones and is the only one. When something moved, reportlab
builds again, as it did before anything was kept: a kept page never prints wrong.

Only page numbers are kept. The contents' titles, levels and bookmarks come from the story
itself (booklet_flow.contents_entries), so nothing from the cache is ever drawn as text. An entry
is kept under a digest of everything the booklet is made from (the library, the labels, the
edition, the paper, Handouts' code and the engines), so it is used only for the very booklet
it came from. A booklet holds nothing about a patient; ``--no-cache`` turns this off.
"""

from __future__ import annotations

import hashlib
import re

from handouts import cachedir
from handouts.i18n import catalogue_digest

#: Bumped when an entry's layout changes.
FORMAT = 2
#: Entries kept in the cache folder; more, and the oldest go.
LIMIT = 64
#: Entries kept in this process.
MEMO = 16
_KEPT = cachedir.Kept("pages", LIMIT, MEMO)

#: A page reference's name (``exercises``, ``after-exercises``).
_REF = re.compile(r"[a-z][a-z0-9-]{0,63}")
_MOST = 2000
_LAST_PAGE = 10_000


def key(lib, theme, language: str, promo: bool) -> str:
    """What a booklet's pages are kept under: everything the booklet is made from."""
    parts = [
        FORMAT,
        cachedir.code_stamp(),
        cachedir.engine_versions(),
        hashlib.sha256(repr(lib).encode("utf-8")).hexdigest(),
        catalogue_digest(language),
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
        theme.prepared_with_dose,
        theme.footer_detail,
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def read(name: str, expected: list[tuple[int, str, str]]) -> tuple[list[tuple], dict[str, int]] | None:
    """The contents entries (``expected``'s titles with the pages the last build under ``name``
    found) and the how-to page's references, or None."""
    held = _KEPT.get(name, _checked)
    if held is None:
        return None
    pages, refs = held
    if len(pages) != len(expected):
        return None
    return [
        (level, title, page, mark) for (level, title, mark), page in zip(expected, pages, strict=True)
    ], dict(refs)


def write(name: str, expected: list[tuple[int, str, str]], entries: list, refs: dict) -> None:
    """Keep the pages a build found, when its contents are the ones the story made known."""
    if not cachedir.enabled() or [(e[0], e[1], e[3]) for e in entries] != expected:
        return
    pages = _pages([e[2] for e in entries])
    refs = _refs(refs)
    if pages is None or refs is None:
        return
    _KEPT.put(name, (pages, refs), {"pages": pages, "refs": refs})


def forget() -> None:
    """Forget this process's entries (for tests and benchmarks)."""
    _KEPT.forget()


def _checked(fields: dict) -> tuple[list[int], dict[str, int]] | None:
    """A folder entry's pages and references, or None."""
    if set(fields) != {"pages", "refs"}:
        return None
    pages, refs = _pages(fields["pages"]), _refs(fields["refs"])
    return None if pages is None or refs is None else (pages, refs)


def _page(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= _LAST_PAGE


def _pages(value) -> list[int] | None:
    """Page numbers, one a contents entry, or None."""
    if not isinstance(value, list) or len(value) > _MOST or not all(_page(v) for v in value):
        return None
    return list(value)


def _refs(value) -> dict[str, int] | None:
    """The pages the how-to page names, or None."""
    if not isinstance(value, dict) or len(value) > _MOST:
        return None
    if not all(isinstance(k, str) and _REF.fullmatch(k) and _page(v) for k, v in value.items()):
        return None
    return dict(value)
