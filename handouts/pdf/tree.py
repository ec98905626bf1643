"""The structure tree written into reportlab's document, once every page is added (see tagging.py).

:func:`install` writes the elements :class:`~handouts.pdf.tagging.Structure` recorded as the
pages were drawn, the parent tree, ``/StructParents`` and ``/Tabs /S`` on each page,
``/MarkInfo``, and a ``/Link`` element for each link annotation, as objects of reportlab's own
document: it is then written once, compactly (:mod:`handouts.pdf.packing`), never reopened.
"""

from __future__ import annotations

import re

from reportlab.pdfbase import pdfdoc

from handouts.pdf.tagging import Element, Structure


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
    order: list[tuple[Element, int | None]] = []  # every element as walk() gives them, and its first page

    def build(el: Element, parent: bytes) -> bytes:
        obj = _Raw()
        me = ref(obj)
        kids: list[bytes] = []
        made[id(el)] = (obj, parent, kids)
        at = len(order)
        order.append((el, None))
        first = None
        for kid in el.kids:
            if isinstance(kid, Element):
                kids.append(build(kid, me))
            else:
                page, mcid = kid
                if first is None:
                    first = page
                kids.append(b"<< /Type /MCR /Pg %s /MCID %d >>" % (page_refs[page], mcid))
                parent_of[(page, mcid)] = me
        order[at] = (el, first)
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
    _links(doc, pages, page_refs, tree, made, nums, ref, order)
    for el, first in order:
        obj, parent, kids = made[id(el)]
        obj.data = b"".join(
            (
                b"<< /Type /StructElem /S /%s /P %s" % (el.tag.encode("ascii"), parent),
                b" /Alt %s" % _text(doc, el.alt) if el.alt else b"",
                b" /ActualText %s" % _text(doc, " ".join(el.actual)) if el.actual else b"",
                b" /Pg %s" % page_refs[first] if first is not None else b"",
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


def _links(doc, pages, page_refs, tree: Structure, made: dict, nums: list, ref, order: list) -> None:
    """A /Link element for each link annotation, inside the element whose content it covers."""

    if not any(page.Annots for page in pages):
        return
    # each page's drawn boxes, in the order the elements were drawn: (element, x0, y0, x1, y1)
    boxes: dict[int, list] = {}
    for el, _ in order:
        for p, *box in el.boxes:
            boxes.setdefault(p, []).append((el, *box))
    next_key = len(pages)
    for index, page in enumerate(pages):
        for name in page.Annots or ():
            annot = doc.idToObject[name.name]
            if isinstance(annot, pdfdoc.LinkAnnotation):  # reportlab's link within the document:
                annot = doc.idToObject[name.name] = annot.Dict()  # the dictionary it would write
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
            element, _, kids = made[id(owner)]
            parent = ref(element)
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
            _mark_link(doc, annot, next_key, " ".join(owner.actual))
            nums.append(b"%d %s" % (next_key, me))
            next_key += 1
            kids.append(me)


def _link_rect(annot) -> tuple[float, float, float, float] | None:
    """A link annotation's rectangle, or None for an annotation that is not a link."""
    if isinstance(annot, pdfdoc.PDFDictionary) and _name(annot.dict.get("Subtype")) == "Link":
        return tuple(float(v) for v in annot["Rect"].sequence)
    return None


def _name(value) -> str | None:
    return value.lstrip("/") if isinstance(value, str) else None  # reportlab's names are "/Name"


def _mark_link(doc, annot, key: int, words: str) -> None:
    """Give a link annotation its place in the parent tree, and words if it has none: its web
    address, else the words of the element it covers (a contents entry's line), else "Link"."""
    annot["StructParent"] = key
    contents = annot.dict.get("Contents")
    if isinstance(contents, pdfdoc.PDFString) and contents.s:
        return
    action = annot.dict.get("A")
    uri = action.dict.get("URI") if isinstance(action, pdfdoc.PDFDictionary) else None
    if isinstance(uri, pdfdoc.PDFString) and isinstance(uri.s, str) and uri.s:
        words = uri.s
    annot["Contents"] = _text(doc, words or "Link")
