"""The shipped fonts as reportlab TrueType fonts, their text encoded with one lookup a run.

reportlab writes text in a TrueType font through a subset of it per document, numbering each
character the first time the document uses it (``TTFont.splitString``, a Python loop over every
character of every run). :class:`Font` encodes a run whose characters the document has all
numbered in its first subset already (nearly every run after the first lines of a page) with
one ``str.translate``, and hands any other run to reportlab's loop, which numbers the new
characters as before: the same bytes either way (the tests compare them).

It also tells :func:`watching` callers what a drawing asked of each font (the runs it encoded,
the subsets it named), so :mod:`handouts.render.drawn` can ask the same of another document
and know what a paragraph's operators depend on.
"""

from __future__ import annotations

import itertools
import threading
from contextlib import contextmanager
from contextvars import ContextVar

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from handouts.pdf.subset import Subsetter

#: Off, every run goes through reportlab's loop (the tests compare the bytes both ways).
ENABLED = True
#: What a character the document has not numbered in its first subset becomes in the lookup:
#: not a Latin-1 code, so the run does not encode and reportlab's loop takes it.
_UNKNOWN = 0xFFFF
#: What :func:`watching` records: a run of text encoded, a subset's name asked for.
ENCODE, NAME = "encode", "name"
#: the lists of every :func:`watching` block open in this context, innermost last: each gets the
#: (font, ENCODE, text) and (font, NAME, subset) calls made while it is open
_WATCH: ContextVar[tuple] = ContextVar("handouts_font_watch", default=())
#: every Font made (a handful, registered with reportlab for the life of the process)
_MADE: list = []


def made() -> list:
    """Every :class:`Font` this process has made."""
    return _MADE


class Font(TTFont):
    """reportlab's TTFont with a quicker ``splitString`` (see the module's notes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.face.makeSubset = Subsetter(self.face)  # the same bytes, from the glyphs read once
        _MADE.append(self)

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 - reportlab's name
        for watch in _WATCH.get():
            watch.append((self, ENCODE, text))
        if ENABLED and isinstance(text, str):
            state = self.state.get(doc)
            if state is not None:
                try:
                    data = text.translate(_table(state)).encode("latin-1")
                except UnicodeEncodeError:
                    pass  # a character new to the document, or past its first subset
                else:
                    return [(0, data)] if data else []
        return super().splitString(text, doc, encoding)

    def getSubsetInternalName(self, subset, doc):  # noqa: N802 - reportlab's name
        for watch in _WATCH.get():
            watch.append((self, NAME, subset))
        return super().getSubsetInternalName(subset, doc)


class _Unread(Font):
    """A :class:`Font` read from its file (about 2 ms) only when something first asks it for more
    than its name: the italic faces, which few documents use."""

    def __init__(self, name: str, filename: str):  # read from the file on first use, not here
        self.fontName = name
        self._unread = filename

    def __getattr__(self, attr):  # only for what the instance does not hold yet
        filename = self.__dict__.get("_unread")
        if filename is None or attr.startswith("__"):
            raise AttributeError(attr)
        with _READING:
            if "_unread" in self.__dict__:
                Font.__init__(self, self.fontName, filename)
                del self._unread
        return getattr(self, attr)


_READING = threading.RLock()


def register_unread(name: str, filename: str) -> None:
    """Register ``filename`` as the font ``name`` as reportlab's ``registerFont`` does (its name,
    and a family of its own), to be read when it is first used."""
    pdfmetrics._fonts[name] = _Unread(name, filename)
    pdfmetrics.registerFontFamily(name)


def _table(state) -> dict[int, int]:
    """Character -> its code in the document's first subset, for every numbered character; every
    other Latin-1 character -> :data:`_UNKNOWN`. Brought up to date when the document numbers
    more (reportlab only ever adds to its numbering, in order)."""
    assignments = state.assignments
    kept = state.__dict__.get("_handouts_table")
    if kept is None:
        kept = state._handouts_table = [0, dict.fromkeys(range(256), _UNKNOWN)]
    seen, table = kept
    if seen != len(assignments):
        for code, n in itertools.islice(assignments.items(), seen, None):
            table[code] = n if n < 256 else _UNKNOWN
        # reportlab draws a no-break space as a space
        table[0xA0] = assignments[32] if assignments.get(32, 256) < 256 else _UNKNOWN
        kept[0] = len(assignments)
    return table


def asked(calls) -> None:
    """Tell every open :func:`watching` block of ``calls`` asked of the fonts (by a drawing written
    without asking them: they would have changed nothing), so it can ask them elsewhere."""
    for watch in _WATCH.get():
        watch.extend(calls)


@contextmanager
def watching():
    """Within the block, the list of what fonts were asked in this context, in order: (font,
    ENCODE, text) for a run of text encoded, (font, NAME, subset) for a subset's name. Each may
    number new characters or name the font in the document; asking again, in the same order,
    does the same to another document. Blocks nest: an outer block sees what an inner one sees."""
    runs: list = []
    token = _WATCH.set((*_WATCH.get(), runs))
    try:
        yield runs
    finally:
        _WATCH.reset(token)
