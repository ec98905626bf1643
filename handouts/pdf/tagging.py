"""Tagged PDF: a logical structure tree over reportlab's output, for screen readers.

reportlab writes untagged PDFs. This module adds the tags in two steps:

1. While a document is drawn, layout code wraps what it draws in :class:`Tagged`
   flowables that say what a thing is (``H1``, ``P``, ``LI``/``LBody``, ``TD``,
   ``Figure`` with its alt text...). Each wrapper brackets its drawing with a
   marked-content sequence (``/P <</MCID n>> BDC ... EMC``) and records, in the
   canvas's :class:`Structure`, which structure element owns that MCID on which
   page. Elements are found or created by key as they are drawn, so reading
   order is drawing order: top to bottom, left to right.
2. As each page is written, :func:`mark_artifacts` brackets every drawing
   operation outside a tagged sequence as an ``/Artifact`` (brand band, rules,
   table backgrounds, running headers, page numbers).
3. Once every page is added, :func:`handouts.pdf.tree.install` writes the structure
   tree, the parent tree, ``/StructParents`` and ``/Tabs /S`` on each page,
   ``/MarkInfo`` and link elements for the link annotations into reportlab's document,
   which is then written once (compactly: see :mod:`handouts.pdf.packing`).

The layout code only says what a thing is; this module records and writes it.
"""

from __future__ import annotations

import itertools
from dataclasses import field

from reportlab.platypus import Flowable

from handouts.pdf import encoding
from handouts.records import record

encoding.install()  # every document is written through here: see handouts/pdf/encoding.py

_KEYS = itertools.count(1)


#: A canvas attribute: while set (to a list), every tagged drawing appends what it marked, so a
#: recorded drawing can be written again with its marks (see handouts/render/replay.py).
RECORDING = "_handouts_tagged"
#: A canvas attribute a drawing sets while a recording is open to say it must be drawn every
#: time (a paragraph that calls back while it is drawn).
REFUSE = "_handouts_refuse"


def new_key() -> int:
    """A key that groups several drawn pieces under one structure element."""
    return next(_KEYS)


@record(frozen=False)
class Element:
    tag: str
    key: object = None
    alt: str | None = None
    kids: list = field(default_factory=list)  # Element or (page index, mcid)
    actual: list = field(default_factory=list)  # the words of its paragraphs, spaces intact
    boxes: list = field(default_factory=list)  # (page index, x0, y0, x1, y1) of drawn content

    def child(self, tag: str, key, alt: str | None = None) -> Element:
        if key is not None:
            for kid in self.kids:
                if isinstance(kid, Element) and kid.key == key and kid.tag == tag:
                    return kid
        el = Element(tag, key, alt)
        self.kids.append(el)
        return el

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()


class Structure:
    """The structure tree of one pass over a document, kept on its canvas."""

    def __init__(self) -> None:
        self.root = Element("Document")
        self.mcids: dict[int, int] = {}  # page index -> next MCID
        #: page index -> where each outermost tagged sequence starts and ends in the page's content
        self.spans: dict[int, list[tuple[int, int]]] = {}
        self.depth = 0  # how many tagged sequences are open

    def mark(self, canv, path, alt: str | None = None) -> tuple[Element, int, int]:
        el = self.root
        for i, (tag, key) in enumerate(path):
            el = el.child(tag, key, alt if i == len(path) - 1 else None)
        page = canv.getPageNumber() - 1
        mcid = self.mcids.get(page, 0)
        self.mcids[page] = mcid + 1
        el.kids.append((page, mcid))
        return el, page, mcid


def structure(canv) -> Structure | None:
    return getattr(canv, "_structure", None)


class Tagged(Flowable):
    """Draws ``flowable`` as the content of the structure element at ``path``.

    ``path`` is a sequence of (tag, key) pairs from the document down, e.g.
    ``[("L", k1), ("LI", k2), ("LBody", None)]``; equal keys join one element.
    """

    def __init__(self, flowable, path, alt: str | None = None, part: bool = False, actual: str | None = None):
        super().__init__()
        self.flowable = flowable
        self.part = part  # one piece of a paragraph split across pages
        self.actual = actual  # what a screen reader should read, when the drawn text says it badly
        self.path = [(t, k) for t, k in path]
        self.alt = alt
        for attr in ("hAlign", "vAlign", "_showBoundary"):
            if hasattr(flowable, attr):
                setattr(self, attr, getattr(flowable, attr))

    def _share(self) -> list[str]:
        """Give the wrapped flowable what the frame gave us (some flowables read them); what was given."""
        given = [attr for attr in ("canv", "_frame") if attr in self.__dict__]
        for attr in given:
            setattr(self.flowable, attr, self.__dict__[attr])
        return given

    def _unshare(self, given: list[str]) -> None:
        """Take back what :meth:`_share` gave, as reportlab takes its canvas back from a flowable
        after wrapping it: a flowable kept for later documents must not hold this one's canvas."""
        inner = self.flowable.__dict__
        for attr in given:
            if inner.get(attr) is self.__dict__.get(attr):
                inner.pop(attr, None)

    def wrap(self, aw, ah):
        d = self.__dict__
        if "canv" not in d and "_frame" not in d:  # nothing to lend (most wraps of a table's cells)
            self.width, self.height = self.flowable.wrap(aw, ah)
            return self.width, self.height
        given = self._share()
        try:
            self.width, self.height = self.flowable.wrap(aw, ah)
        finally:
            self._unshare(given)
        return self.width, self.height

    def split(self, aw, ah):
        given = self._share()
        try:
            parts = self.flowable.split(aw, ah)
        finally:
            self._unshare(given)
        return [Tagged(p, self.path, self.alt, part=len(parts) > 1) for p in parts]

    def getSpaceBefore(self):  # noqa: N802 - reportlab API
        return self.flowable.getSpaceBefore()

    def getSpaceAfter(self):  # noqa: N802 - reportlab API
        return self.flowable.getSpaceAfter()

    def minWidth(self):  # noqa: N802 - reportlab API
        return self.flowable.minWidth()

    def isIndexing(self):  # noqa: N802 - reportlab API: multiBuild asks the table of contents
        return getattr(self.flowable, "isIndexing", lambda: 0)()

    def isSatisfied(self):  # noqa: N802 - reportlab API
        return getattr(self.flowable, "isSatisfied", lambda: 1)()

    def notify(self, kind, stuff):
        if hasattr(self.flowable, "notify"):
            self.flowable.notify(kind, stuff)

    def beforeBuild(self):  # noqa: N802 - reportlab API
        if hasattr(self.flowable, "beforeBuild"):
            self.flowable.beforeBuild()

    def afterBuild(self):  # noqa: N802 - reportlab API
        if hasattr(self.flowable, "afterBuild"):
            self.flowable.afterBuild()

    def drawOn(self, canv, x, y, _sW=0):  # noqa: N802 - reportlab API
        tree = structure(canv)
        if tree is None:
            self.flowable.drawOn(canv, x, y, _sW)
            return
        el, page, mcid = tree.mark(canv, self.path, self.alt)
        tag = self.path[-1][0]
        text = self._text()
        actual = f" /ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>" if text else ""
        if text:
            el.actual.append(text)
        start = len(canv._code)
        recording = canv.__dict__.get(RECORDING)
        if recording is not None:  # what it marked, for the drawing to be written again
            event = [start, 0, self.path, self.alt, tag, actual, text, tree.depth, canv._currentMatrix]
            recording.append(event)
        tree.depth += 1
        canv.addLiteral(f"/{tag} <</MCID {mcid}{actual}>> BDC")
        self.flowable.drawOn(canv, x, y, _sW)
        canv.addLiteral("EMC")
        tree.depth -= 1
        if not tree.depth:
            tree.spans.setdefault(page, []).append((start, len(canv._code)))
        if recording is not None:
            event[1] = len(canv._code)
            event.append((x, y, self.width, self.height))
        el.boxes.append(box(canv._currentMatrix, page, x, y, self.width, self.height))

    def _text(self) -> str:
        """A paragraph's words with the spaces at its line breaks, which the drawn text lacks."""
        if self.actual is not None:
            return self.actual
        getter = getattr(self.flowable, "getPlainText", None)
        return "" if getter is None or self.part else " ".join(getter().split())

    def draw(self):  # pragma: no cover - drawOn does the work
        self.flowable.draw()


def box(matrix, page: int, x: float, y: float, width: float, height: float) -> tuple:
    """(page, x0, y0, x1, y1): where a flowable drawn at (x, y) under ``matrix`` lies on its page."""
    a, b, c, d, e, f = matrix
    x0, y0 = a * x + c * y + e, b * x + d * y + f
    x1, y1 = a * (x + width) + c * (y + height) + e, b * (x + width) + d * (y + height) + f
    return (page, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def tag(flowable, *path, alt: str | None = None) -> Tagged:
    """``tag(p, ("P", None))``: shorthand for :class:`Tagged`."""
    return Tagged(flowable, path, alt)


# -- marking what is not tagged -------------------------------------------------------


END = "EMC"


def mark_artifacts(code: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """A page's content (reportlab's list of operator strings) with every run outside
    a tagged sequence bracketed as an /Artifact: rules, backgrounds, bands, footers.

    ``spans`` are where the outermost tagged sequences (the BDC/EMC pairs :class:`Tagged`
    writes, each its own element of the list) start and end, in order, so a run never splits
    a text object; a trailing run of blank lines only is left as it is.
    """
    out: list[str] = []
    at = 0
    for start, end in spans:
        if start > at:
            out += ["/Artifact BMC", *code[at:start], END]
        out += code[start:end]
        at = end
    run = code[at:]
    if any(op.strip() for op in run):
        out += ["/Artifact BMC", *run, END]
    else:
        out += run
    return out
