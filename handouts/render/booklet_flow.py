"""The booklet's flow: headings that feed the contents, outline and running header, page
references, and the document template that records where each section landed."""

from __future__ import annotations

import re
from ast import literal_eval

from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

from handouts.pdf.tagging import Tagged
from handouts.render.block import H, P
from handouts.render.grid import Table
from handouts.render.para import Paragraph
from handouts.text import esc, unesc


class Heading(Paragraph):
    """A heading that becomes a contents entry, an outline entry and the running header."""

    def __init__(self, text: str, style, level: int = 0, section: str | None = None, toc: bool = True):
        super().__init__(esc(text), style)
        self.plain = text
        self.level = level
        self.section = section or text
        self.toc = toc


class Marker(Flowable):
    """An invisible contents and outline entry for content whose first flowable is not a Heading."""

    def __init__(self, text: str, level: int, section: str, ref: str | None = None):
        super().__init__()
        self.plain, self.level, self.section, self.toc, self.ref = text, level, section, True, ref

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


class Anchor(Marker):
    """Records the page it lands on under ``ref``, for page references; nothing in the contents."""

    def __init__(self, ref: str):
        super().__init__("", 0, "", ref)
        self.toc = False


def h(
    text: str,
    style,
    level: int = 0,
    section: str | None = None,
    toc: bool = True,
    ref: str | None = None,
    contents: bool = True,
):
    """A tagged heading (H1 for sections, H2 under them) that stays with what follows it;
    ``toc`` makes it an outline entry, and ``contents`` also a line on the contents page."""
    heading = Heading(text, style, level, section, toc)
    heading.ref, heading.contents = ref, contents
    return H(level + 1, heading)


def paras(texts, style) -> list:
    """Paragraphs kept whole: one moves to the next page rather than leave a line or two behind."""
    return [KeepTogether([P(Paragraph(esc(t), style))]) for t in texts]


_HEADING = re.compile(r"H[1-6]")


def _is_heading(f) -> bool:
    return isinstance(f, Tagged) and bool(_HEADING.fullmatch(f.path[-1][0]))


def first_rows(table: Table, width: float) -> float:
    """The height of the rows a table that goes on over the page keeps on its first page: its
    ``keep_rows`` (set by who made it), else its first."""
    table.wrap(width, 1e6)
    return sum(table._rowHeights[: getattr(table, "keep_rows", 1)]) + 2


def contents_entries(story: list) -> list[tuple[int, str, str]]:
    """The (level, title, bookmark) of each contents entry the story will make, in order, as
    BookletDoc.afterFlowable makes them: known before the story is laid out, only the pages are
    not. A heading this does not find (inside a table, say) makes the list differ from the
    entries the build records, and the booklet is then built without what the last build found."""
    found: list[tuple[int, str, str]] = []
    marks = 0

    def walk(items) -> None:
        nonlocal marks
        for f in items:
            inner = getattr(f, "flowable", f)  # a Tagged wrapper's content
            if isinstance(inner, KeepTogether):
                walk(inner._content)
            elif isinstance(inner, (Heading, Marker)) and not isinstance(inner, Anchor) and inner.toc:
                marks += 1
                if getattr(inner, "contents", True):
                    found.append((inner.level, esc(inner.plain), f"s{marks}"))

    walk(story)
    return found


def keep_headings(story: list, width: float) -> list:
    """Every heading keeps with what follows it, so no page ends on a heading.

    A heading and a paragraph kept whole become one KeepTogether (reportlab's keepWithNext
    does not reach into a KeepTogether); a heading over a table that may go on over the page
    (the urgent-help signs) needs room for itself and the table's first row; before anything
    else the heading keeps with next.
    """
    out: list = []
    for f in reversed(story):
        if _is_heading(f) and out and not isinstance(out[0], (PageBreak, Spacer)):
            nxt = out[0]
            if isinstance(nxt, KeepTogether):
                out[0] = KeepTogether([f, *nxt._content])
                continue
            if isinstance(nxt, Table) and len(nxt._cellvalues) > 1:
                need = f.wrap(width, 1e6)[1] + f.getSpaceAfter() + first_rows(nxt, width)
                out.insert(0, f)
                out.insert(0, CondPageBreak(need))
                continue
            f.keepWithNext = 1
        out.insert(0, f)
    return out


class PageRef(Flowable):
    """A paragraph whose text names pages: ``text(pages)`` is formatted when it is laid out, from
    the pages the previous pass recorded (the booklet is built in several passes for its contents)."""

    def __init__(self, text, style, pages: dict):
        super().__init__()
        self.text, self.style, self.pages = text, style, pages
        self._para = None

    def _make(self) -> Paragraph:
        self._seen = dict(self.pages)
        self._para = Paragraph(self.text(self.pages), self.style)
        return self._para

    def isIndexing(self):  # noqa: N802 - reportlab API: another pass until the pages settle
        return 1

    def isSatisfied(self):  # noqa: N802 - reportlab API
        return getattr(self, "_seen", None) == self.pages

    def wrap(self, aw, ah):
        self.width, self.height = self._make().wrap(aw, ah)
        return self.width, self.height

    def split(self, aw, ah):
        return self._make().split(aw, ah)

    def getPlainText(self):  # noqa: N802 - read by the structure tree for /ActualText
        return (self._para or self._make()).getPlainText()

    def drawOn(self, canv, x, y, _sW=0):  # noqa: N802 - reportlab API
        self._para.drawOn(canv, x, y, _sW)


class Contents(TableOfContents):
    """The contents page, each entry its own TOCI in the structure tree.

    reportlab draws an entry's dot leader and page number after its title; the
    entry's /ActualText gives a screen reader the title and then the page, once.
    (This follows TableOfContents.wrap, wrapping each entry before the table is made.)
    """

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        entries = self._lastEntries or [(0, "Placeholder for table of contents", 0, None)]

        def draw_entry_end(canvas, kind, label):
            page, level, key = label.split(",")
            style = self.getLevelStyle(int(level))
            dot = " . " if self.dotsMinLevel >= 0 and int(level) >= self.dotsMinLevel else ""
            drawPageNumbers(canvas, style, [(int(page), literal_eval(key))], availWidth, availHeight, dot)

        self.canv.setNamedCB("drawTOCEntryEnd", draw_entry_end)
        toc = id(self)
        rows = []
        for level, text, page, key in entries:
            style = self.getLevelStyle(level)
            linked = f'<a href="#{key}">{text}</a>' if key else text
            key_val = repr(key).replace(",", "\\x2c").replace('"', "\\x2c") if key else None
            para = Paragraph(
                f'{linked}<onDraw name="drawTOCEntryEnd" label="{page},{level},{key_val}"/>', style
            )
            words = " ".join(unesc(text).split())
            if style.spaceBefore:
                rows.append([Spacer(1, style.spaceBefore)])
            rows.append([Tagged(para, [("TOC", toc), ("TOCI", None)], actual=f"{words} {page}")])
        self._table = Table(rows, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


class BookletDoc(BaseDocTemplate):
    """Records each section's heading as a contents and outline entry, and the page of each
    ``ref`` in ``pages`` (read by PageRef on the next pass)."""

    def __init__(self, *args, pages: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = ""
        self._keys = 0
        self.pages = {} if pages is None else pages

    def afterFlowable(self, flowable):  # noqa: N802 - reportlab API
        flowable = getattr(flowable, "flowable", flowable)  # a Tagged wrapper's content
        if not isinstance(flowable, (Heading, Marker)):
            return
        if getattr(flowable, "ref", None):
            self.pages[flowable.ref] = self.page
        if isinstance(flowable, Anchor):
            return
        self.section = flowable.section
        if not flowable.toc:
            return
        self._keys += 1
        key = f"s{self._keys}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.plain, key, level=flowable.level, closed=False)
        if getattr(flowable, "contents", True):
            self.notify("TOCEntry", (flowable.level, esc(flowable.plain), self.page, key))

    def beforeDocument(self):  # noqa: N802 - reportlab API
        self.canv.showOutline()

    def handle_documentBegin(self):  # noqa: N802 - reportlab API
        self._keys = 0
        self.section = ""
        super().handle_documentBegin()
