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
3. :func:`finish` opens the finished bytes with pikepdf and writes the structure
   tree, the parent tree, ``/StructParents`` and ``/Tabs /S`` on each page,
   ``/MarkInfo`` and link elements for the link annotations.

The layout code only says what a thing is; this module records and writes it.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name
from reportlab.platypus import Flowable

from handouts.pdf import encoding

encoding.install()  # every document is written through here: see handouts/pdf/encoding.py

_KEYS = itertools.count(1)


def new_key() -> int:
    """A key that groups several drawn pieces under one structure element."""
    return next(_KEYS)


@dataclass
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

    def _share(self) -> None:
        """Give the wrapped flowable what the frame gave us (some flowables read them)."""
        for attr in ("canv", "_frame"):
            if attr in self.__dict__:
                setattr(self.flowable, attr, self.__dict__[attr])

    def wrap(self, aw, ah):
        self._share()
        self.width, self.height = self.flowable.wrap(aw, ah)
        return self.width, self.height

    def split(self, aw, ah):
        self._share()
        parts = self.flowable.split(aw, ah)
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
        canv.addLiteral(f"/{tag} <</MCID {mcid}{actual}>> BDC")
        self.flowable.drawOn(canv, x, y, _sW)
        canv.addLiteral("EMC")
        a, b, c, d, e, f = canv._currentMatrix
        x0, y0 = a * x + c * y + e, b * x + d * y + f
        x1, y1 = (
            a * (x + self.width) + c * (y + self.height) + e,
            b * (x + self.width) + d * (y + self.height) + f,
        )
        el.boxes.append((page, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))

    def _text(self) -> str:
        """A paragraph's words with the spaces at its line breaks, which the drawn text lacks."""
        if self.actual is not None:
            return self.actual
        getter = getattr(self.flowable, "getPlainText", None)
        return "" if getter is None or self.part else " ".join(getter().split())

    def draw(self):  # pragma: no cover - drawOn does the work
        self.flowable.draw()


def tag(flowable, *path, alt: str | None = None) -> Tagged:
    """``tag(p, ("P", None))``: shorthand for :class:`Tagged`."""
    return Tagged(flowable, path, alt)


# -- writing the tree ------------------------------------------------------------------


BEGIN_SUFFIX = ">> BDC"
END = "EMC"


def mark_artifacts(code: list[str]) -> list[str]:
    """A page's content (reportlab's list of operator strings) with every run outside
    a tagged sequence bracketed as an /Artifact: rules, backgrounds, bands, footers.

    Tagged sequences are the BDC/EMC pairs :class:`Tagged` writes, each its own
    element of the list, so a run never splits a text object.
    """
    out: list[str] = []
    run: list[str] = []
    depth = 0
    for op in code:
        if op.endswith(BEGIN_SUFFIX):
            if depth == 0 and run:
                out += ["/Artifact BMC", *run, END]
                run = []
            depth += 1
            out.append(op)
        elif depth:
            out.append(op)
            if op == END:
                depth -= 1
        else:
            run.append(op)
    if any(op.strip() for op in run):
        out += ["/Artifact BMC", *run, END]
    else:
        out += run
    return out


def finish(data: bytes, tree: Structure, title: str, lang: str) -> bytes:
    """Write ``tree`` into the PDF ``data``; returns the tagged PDF's bytes."""

    pdf = pikepdf.open(io.BytesIO(data))
    pages = list(pdf.pages)

    root_el = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    parent_of: dict[tuple[int, int], object] = {}
    made: dict[int, object] = {}

    def build(el: Element, parent) -> object:
        d = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + el.tag), P=parent))
        if el.alt:
            d.Alt = pikepdf.String(el.alt)
        if el.actual:
            d.ActualText = pikepdf.String(" ".join(el.actual))
        made[id(el)] = d
        kids = Array()
        for kid in el.kids:
            if isinstance(kid, Element):
                kids.append(build(kid, d))
            else:
                page, mcid = kid
                kids.append(Dictionary(Type=Name.MCR, Pg=pages[page].obj, MCID=mcid))
                parent_of[(page, mcid)] = d
        d.K = kids
        first = next((k for k in el.kids if not isinstance(k, Element)), None)
        if first is not None:
            d.Pg = pages[first[0]].obj
        return d

    doc = build(tree.root, root_el)
    nums = Array()
    for index, page in enumerate(pages):
        count = tree.mcids.get(index, 0)
        page.obj.StructParents = index
        page.obj.Tabs = Name.S
        nums.append(index)
        nums.append(pdf.make_indirect(Array([parent_of[(index, m)] for m in range(count)])))
    next_key = len(pages)
    _links(pdf, pages, tree, made, nums, next_key)
    root_el.K = doc
    root_el.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root_el.ParentTreeNextKey = len(nums) // 2
    pdf.Root.StructTreeRoot = root_el
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String(lang)
    prefs = pdf.Root.get("/ViewerPreferences", Dictionary())
    prefs.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = prefs
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    return out.getvalue()


def _links(pdf, pages, tree: Structure, made: dict, nums, next_key: int) -> None:
    """A /Link element for each link annotation, inside the element whose content it covers."""

    elements = [el for el in tree.root.walk() if el.boxes]
    for index, page in enumerate(pages):
        for annot in page.obj.get("/Annots", Array()):
            if annot.get("/Subtype") != Name.Link:
                continue
            x0, y0, x1, y1 = (float(v) for v in annot.Rect)
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            owner, best = tree.root, None
            for el in elements:
                for p, bx0, by0, bx1, by1 in el.boxes:
                    if p == index and bx0 - 1 <= cx <= bx1 + 1 and by0 - 1 <= cy <= by1 + 1:
                        area = (bx1 - bx0) * (by1 - by0)
                        if best is None or area < best:
                            owner, best = el, area
            parent = made[id(owner)]
            link = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, P=parent, Pg=page.obj))
            link.K = Array([Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj)])
            if "/Contents" not in annot:
                annot.Contents = annot.get("/A", Dictionary()).get("/URI", "Link")
            annot.StructParent = next_key
            nums.append(next_key)
            nums.append(link)
            next_key += 1
            parent.K.append(link)
