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
3. Once every page is added, :func:`install` writes the structure tree, the parent
   tree, ``/StructParents`` and ``/Tabs /S`` on each page, ``/MarkInfo`` and link
   elements for the link annotations into reportlab's document, which is then
   written once (compactly: see :mod:`handouts.pdf.packing`).

The layout code only says what a thing is; this module records and writes it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfdoc
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
        start = len(canv._code)
        tree.depth += 1
        canv.addLiteral(f"/{tag} <</MCID {mcid}{actual}>> BDC")
        self.flowable.drawOn(canv, x, y, _sW)
        canv.addLiteral("EMC")
        tree.depth -= 1
        if not tree.depth:
            tree.spans.setdefault(page, []).append((start, len(canv._code)))
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


class _Raw(pdfdoc.PDFObject):
    """An object written as the bytes given (filled in once every object it names has a number)."""

    __RefOnly__ = 1

    def __init__(self) -> None:
        self.data = b""

    def format(self, document) -> bytes:
        return self.data


def install(canv, tree: Structure) -> None:
    """Write ``tree`` into the canvas's document, once every page is added and before it is saved:
    the structure tree, the parent tree, ``/StructParents`` and ``/Tabs /S`` on each page,
    ``/MarkInfo``, and a ``/Link`` element for each link annotation."""

    doc = canv._doc
    pages = doc.Pages.pages
    ref = _referrer(doc)
    page_refs = [ref(p) for p in pages]
    root = _Raw()
    root_ref = ref(root)
    parent_of: dict[tuple[int, int], bytes] = {}
    made: dict[int, tuple[_Raw, bytes, list[bytes]]] = {}

    def build(el: Element, parent: bytes) -> bytes:
        obj = _Raw()
        me = ref(obj)
        kids: list[bytes] = []
        made[id(el)] = (obj, parent, kids)
        for kid in el.kids:
            if isinstance(kid, Element):
                kids.append(build(kid, me))
            else:
                page, mcid = kid
                kids.append(b"<< /Type /MCR /Pg %s /MCID %d >>" % (page_refs[page], mcid))
                parent_of[(page, mcid)] = me
        return me

    doc_ref = build(tree.root, root_ref)
    nums: list[bytes] = []
    for index, page in enumerate(pages):
        page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = index
        page.Tabs = pdfdoc.PDFName("S")
        parents = _Raw()
        parents.data = (
            b"[ " + b" ".join(parent_of[(index, m)] for m in range(tree.mcids.get(index, 0))) + b" ]"
        )
        nums.append(b"%d %s" % (index, ref(parents)))
    _links(doc, pages, page_refs, tree, made, nums, ref)
    for el in tree.root.walk():
        obj, parent, kids = made[id(el)]
        first = next((k for k in el.kids if not isinstance(k, Element)), None)
        obj.data = b"".join(
            (
                b"<< /Type /StructElem /S /%s /P %s" % (el.tag.encode("ascii"), parent),
                b" /Alt %s" % _text(doc, el.alt) if el.alt else b"",
                b" /ActualText %s" % _text(doc, " ".join(el.actual)) if el.actual else b"",
                b" /Pg %s" % page_refs[first[0]] if first is not None else b"",
                b" /K [ " + b" ".join(kids) + b" ] >>",
            )
        )
    tree_of_parents = _Raw()
    tree_of_parents.data = b"<< /Nums [ " + b" ".join(nums) + b" ] >>"
    root.data = b"<< /Type /StructTreeRoot /K %s /ParentTree %s /ParentTreeNextKey %d >>" % (
        doc_ref,
        ref(tree_of_parents),
        len(nums),
    )
    cat = doc.Catalog
    cat.StructTreeRoot = pdfdoc.PDFObjectReference(root.__InternalName__)
    cat.MarkInfo = pdfdoc.PDFDictionary({"Marked": pdfdoc.PDFtrue})
    prefs = getattr(cat, "ViewerPreferences", None)  # reportlab's, when the document set any
    if prefs is None:
        prefs = cat.ViewerPreferences = pdfdoc.PDFDictionary()
    prefs["DisplayDocTitle"] = pdfdoc.PDFtrue


def _referrer(doc):
    """``ref(obj)``: register ``obj`` in ``doc`` and return the bytes that refer to it."""

    numbers = doc.idToObjectNumberAndVersion

    def ref(obj) -> bytes:
        return b"%d 0 R" % numbers[doc.Reference(obj).name][0]

    return ref


#: Text reportlab writes as it is, but for a backslash before each ``\``, ``(`` and ``)``.
_PLAIN = re.compile(r"[\x20-\x7e]*\Z")
#: Characters reportlab's PDFDocEncoding writes as bytes the encoding leaves undefined (a reader
#: shows the soft hyphen, U+00AD, as a replacement character or nothing): written in UTF-16.
_UNDEFINED = re.compile("[\x7f\x9f\xad]")


def _text(doc, text: str) -> bytes:
    """A PDF text string: plain ASCII as it is (escaped), other text as reportlab's ``PDFString``
    writes it (PDFDocEncoding, or UTF-16 where that has no byte for a character), and text with
    a character PDFDocEncoding leaves undefined in UTF-16."""
    if _PLAIN.match(text):
        return b"(%s)" % text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii")
    if _UNDEFINED.search(text):
        return b"<FEFF%s>" % text.encode("utf-16-be").hex().upper().encode("ascii")
    return pdfdoc.PDFString(text).format(doc)


def _links(doc, pages, page_refs, tree: Structure, made: dict, nums: list, ref) -> None:
    """A /Link element for each link annotation, inside the element whose content it covers."""

    # each page's drawn boxes, in the order the elements were drawn: (element, x0, y0, x1, y1)
    boxes: dict[int, list] = {}
    for el in tree.root.walk():
        for p, *box in el.boxes:
            boxes.setdefault(p, []).append((el, *box))
    next_key = len(pages)
    for index, page in enumerate(pages):
        for name in page.Annots or ():
            annot = doc.idToObject[name.name]
            rect = _link_rect(annot)
            if rect is None:
                continue
            x0, y0, x1, y1 = rect
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            owner, best = tree.root, None
            for el, bx0, by0, bx1, by1 in boxes.get(index, ()):
                if bx0 - 1 <= cx <= bx1 + 1 and by0 - 1 <= cy <= by1 + 1:
                    area = (bx1 - bx0) * (by1 - by0)
                    if best is None or area < best:
                        owner, best = el, area
            _, _, kids = made[id(owner)]
            parent = ref(made[id(owner)][0])
            link = _Raw()
            me = ref(link)
            link.data = (
                b"<< /Type /StructElem /S /Link /P %s /Pg %s /K [ << /Type /OBJR /Obj %s /Pg %s >> ] >>"
                % (
                    parent,
                    page_refs[index],
                    name.format(doc),
                    page_refs[index],
                )
            )
            _mark_link(doc, name.name, annot, next_key, " ".join(owner.actual))
            nums.append(b"%d %s" % (next_key, me))
            next_key += 1
            kids.append(me)


def _link_rect(annot) -> tuple[float, float, float, float] | None:
    """A link annotation's rectangle, or None for an annotation that is not a link."""
    if isinstance(annot, pdfdoc.LinkAnnotation):
        return tuple(float(v) for v in annot.Rect)
    if isinstance(annot, pdfdoc.PDFDictionary) and _name(annot.dict.get("Subtype")) == "Link":
        return tuple(float(v) for v in annot["Rect"].sequence)
    return None


def _name(value) -> str | None:
    return value.lstrip("/") if isinstance(value, str) else None  # reportlab's names are "/Name"


def _mark_link(doc, name: str, annot, key: int, words: str) -> None:
    """Give a link annotation its place in the parent tree, and words if it has none: its web
    address, else the words of the element it covers (a contents entry's line), else "Link"."""
    if isinstance(annot, pdfdoc.LinkAnnotation):  # reportlab's link within the document
        annot = doc.idToObject[name] = annot.Dict()  # as it would write it, to add to
    annot["StructParent"] = key
    contents = annot.dict.get("Contents")
    if isinstance(contents, pdfdoc.PDFString) and contents.s:
        return
    action = annot.dict.get("A")
    uri = action.dict.get("URI") if isinstance(action, pdfdoc.PDFDictionary) else None
    if isinstance(uri, pdfdoc.PDFString) and isinstance(uri.s, str) and uri.s:
        words = uri.s
    annot["Contents"] = _text(doc, words or "Link")
