"""The booklet: cover, introduction, contents, every exercise, evidence, FAQ, log, references."""

from __future__ import annotations

import io
import math

from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from handouts.blocks import H, P, Prepared, log_table, prepared_lines, safety_panel
from handouts.compose import NO_RX, Schedule, cite_numbers
from handouts.errors import LayoutError
from handouts.i18n import Labels
from handouts.model import Library, Reference
from handouts.pagekit import draw_footer, footer_height, logo_drawing, numbered_canvas
from handouts.pages import exercise_pages, measure, paginate
from handouts.sheet import doc_info, footer_lines
from handouts.tagging import Tagged, finish, new_key, tag
from handouts.text import esc
from handouts.theme import FONT, Theme
from handouts.urgent import urgent_box


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

    def __init__(self, text: str, level: int, section: str):
        super().__init__()
        self.plain, self.level, self.section, self.toc = text, level, section, True

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


class Contents(TableOfContents):
    """The contents page, each entry its own TOCI in the structure tree.

    reportlab draws an entry's dot leader and page number after its title; the
    entry's /ActualText gives a screen reader the title and then the page, once.
    (This follows TableOfContents.wrap, wrapping each entry before the table is made.)
    """

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        from ast import literal_eval
        from xml.sax.saxutils import unescape

        from reportlab.platypus.tableofcontents import drawPageNumbers

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
            words = " ".join(unescape(text).split())
            if style.spaceBefore:
                rows.append([Spacer(1, style.spaceBefore)])
            rows.append([Tagged(para, [("TOC", toc), ("TOCI", None)], actual=f"{words} {page}")])
        self._table = Table(rows, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


class BookletDoc(BaseDocTemplate):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = ""
        self._keys = 0

    def afterFlowable(self, flowable):  # noqa: N802 - reportlab API
        flowable = getattr(flowable, "flowable", flowable)  # a Tagged wrapper's content
        if not isinstance(flowable, (Heading, Marker)):
            return
        self.section = flowable.section
        if not flowable.toc:
            return
        self._keys += 1
        key = f"s{self._keys}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.plain, key, level=flowable.level, closed=False)
        self.notify("TOCEntry", (flowable.level, esc(flowable.plain), self.page, key))

    def beforeDocument(self):  # noqa: N802 - reportlab API
        self.canv.showOutline()

    def handle_documentBegin(self):  # noqa: N802 - reportlab API
        self._keys = 0
        self.section = ""
        super().handle_documentBegin()


def cover_version(lib: Library, labels: Labels) -> str:
    d = lib.document
    if lib.translation_reviewed:
        return labels("cover_version", version=d.version, date=labels.date(d.last_reviewed))
    return labels("footer_version_draft", version=d.version)


def _urgent(lib: Library, theme: Theme, labels: Labels, depth: int = 1) -> list:
    """The urgent-help box, set apart by space above it (nothing when the library has none)."""
    box = urgent_box(lib, theme, labels, theme.frame_width, depth=depth)
    return [] if box is None else [Spacer(1, 12), box]


def reference_text(n: int, r: Reference, no_date: str = "n.d.") -> str:
    who = r.authors or r.organisation
    title = f"“{r.title}.”" if r.publisher else f"{r.title}."
    tail = f" {r.publisher}." if r.publisher else ""
    if r.url:
        tail += f" {r.url}"
    return f"{n}. {who} ({r.year or no_date}). {title}{tail}"


def _paras(texts, style) -> list:
    """Paragraphs kept whole: one moves to the next page rather than leave a line or two behind."""
    return [KeepTogether([P(Paragraph(esc(t), style))]) for t in texts]


def _h(text: str, style, level: int = 0, section: str | None = None, toc: bool = True):
    """A tagged heading: H1 for sections, H2 for what sits under them."""
    return H(level + 1, Heading(text, style, level, section, toc))


def booklet_story(lib: Library, theme: Theme, labels: Labels, promo: bool, frame_h: float) -> list:
    s = dict(theme.styles)
    s["body"] = s["reading"]
    g = lib.guide
    schedule = Schedule(lib.programme.per_week, lib.programme.weeks)
    all_refs = [r.id for r in g.references]
    cites = labels("cites", refs=cite_numbers(all_refs, all_refs))
    story: list = []
    # 1. cover, on one page: the space between its parts gives way before anything else
    cover = []
    logo = logo_drawing(theme, 72)
    if logo is not None:
        cover += [logo, Spacer(1, 18)]
    cover += [
        P(Paragraph(esc(lib.brand.organisation), s["h3"])),
        Spacer(1, 60),
        _h(lib.document.title, s["cover_title"], toc=False, section=""),
        P(Paragraph(esc(lib.document.subtitle), s["cover_sub"])),
        Spacer(1, 36),
        # the one key message, at the top and emphasised; its paragraphs open the introduction
        P(
            Paragraph(
                f"<b>{esc(g.finding_relief.heading)}</b>",
                s["cover_sub"].clone("key", textColor=theme.colours["primary"]),
            )
        ),
        Spacer(1, 40),
        prepared_lines(Prepared(), theme, labels, theme.frame_width),
        Spacer(1, 30),
        *(
            []
            if lib.translation_reviewed
            else [P(Paragraph(f"<b>{esc(labels('unreviewed'))}</b>", s["body"]))]
        ),
        P(Paragraph(esc(cover_version(lib, labels)), s["small"])),
    ]
    cover_h = theme.pagesize[1] - 2 * theme.margin
    over = measure(cover, theme.frame_width) - cover_h
    if over > 0:
        gaps = [f for f in cover if isinstance(f, Spacer)]
        room = sum(gap.height for gap in gaps)
        if over >= room:
            raise LayoutError(
                f"the booklet's cover does not fit on one {theme.paper.upper()} page: "
                f"it is {math.ceil((over - room) / 72 * 25.4)} mm too long; shorten the title or subtitle"
            )
        for gap in gaps:
            gap.height *= 1 - over / room
    story += [*cover, NextPageTemplate("body"), PageBreak()]
    # 2. introduction and why exercise matters
    story += [
        _h(labels("introduction"), s["h1"]),
        *_paras(g.introduction, s["body"]),
        _h(g.finding_relief.heading, s["h2"], level=1, section=labels("introduction")),
        *_paras(g.finding_relief.paragraphs, s["body"]),
        _h(g.importance.heading, s["h2"], level=1, section=labels("introduction")),
        *_paras(g.importance.paragraphs, s["body"]),
        PageBreak(),
    ]
    # 3. contents
    toc = Contents(dotsMinLevel=0)
    toc.levelStyles = [s["toc"], s["toc"].clone("toc1", leftIndent=20, fontSize=s["toc"].fontSize - 1)]
    story += [_h(labels("contents"), s["h1"], toc=False), toc, PageBreak()]
    # 4. how to use
    pw, wk = schedule.per_week, schedule.weeks
    story += [
        _h(labels("how_to_use"), s["h1"]),
        *_paras(g.recommendations.paragraphs, s["body"]),
        P(
            Paragraph(
                esc(
                    labels(
                        "how_to_use_often", per_week=labels("per_week", range=labels.range(pw.low, pw.high))
                    )
                ),
                s["step"],
            )
        ),
        P(
            Paragraph(
                esc(labels("how_to_use_long", weeks=labels("weeks", range=labels.range(wk.low, wk.high)))),
                s["step"],
            )
        ),
        P(Paragraph(esc(labels("start_legend")), s["step"])),
        P(Paragraph(esc(cites), s["small"])),
        Spacer(1, 14),
        H(2, Paragraph(esc(labels("how_to_use_safety")), s["h2"])),
        safety_panel(lib, None, theme, labels, theme.frame_width, depth=1),
        *_urgent(lib, theme, labels),
        PageBreak(),
    ]
    # 5. exercises, each on a new page
    story.append(Marker(labels("exercises"), level=0, section=labels("exercises")))
    n = len(lib.exercises)
    for i, ex in enumerate(lib.exercises, start=1):
        counter = P(Paragraph(esc(labels("exercise_number", n=i, m=n)), s["field"]))
        spec = exercise_pages(
            lib, ex, theme, labels, schedule, NO_RX, None, depth=1, lead=[counter], ends_document=False
        )
        laid = paginate(f"booklet page for '{ex.id}'", spec, frame_h, theme)
        block = [f for k, page in enumerate(laid) for f in ([PageBreak()] if k else []) + page]
        story += [Marker(ex.name, level=1, section=labels("exercises")), *block, PageBreak()]
    # 6. evidence (and the source's notes on trends)
    story += [
        _h(g.evidence.heading, s["h1"]),
        *_paras(g.evidence.paragraphs, s["body"]),
        P(Paragraph(esc(cites), s["small"])),
        _h(g.trends.heading, s["h2"], level=1, section=g.evidence.heading),
        *_paras(g.trends.paragraphs, s["body"]),
        PageBreak(),
    ]
    # 7. FAQ
    story += [_h(labels("faq"), s["h1"]), *_urgent(lib, theme, labels, depth=0)[1:], Spacer(1, 8)]
    for f in g.faq:
        story.append(
            KeepTogether([H(2, Paragraph(esc(f.question), s["h3"])), P(Paragraph(esc(f.answer), s["body"]))])
        )
    story.append(PageBreak())
    # 8. progress log
    story += [
        _h(labels("progress_log"), s["h1"]),
        P(Paragraph(esc(labels("progress_log_intro")), s["body"])),
        Spacer(1, 6),
        log_table(theme, labels, schedule, theme.frame_width),
        PageBreak(),
    ]
    # 9. references
    story.append(_h(labels("references"), s["h1"]))
    refs_list = new_key()
    story += [
        tag(
            Paragraph(
                esc(reference_text(n, r, labels("no_date"))),
                s["body"].clone("ref", leftIndent=18, firstLineIndent=-18),
            ),
            ("L", refs_list),
            ("LI", None),
        )
        for n, r in enumerate(g.references, start=1)
    ]
    story.append(PageBreak())
    # 10. back page: the clinic's details and a box for its stamp or contact sticker
    story += [
        _h(labels("back_page"), s["h1"]),
        P(Paragraph(esc(lib.brand.organisation), s["h3"])),
        P(Paragraph(esc(lib.brand.contact), s["body"])),
    ]
    if lib.brand.website:
        link = s["body"].clone("link", hyphenationLang="", embeddedHyphenation=0)  # see blocks._title
        story.append(P(Paragraph(esc(lib.brand.website), link)))
    stamp = Table(
        [[P(Paragraph(esc(labels("stamp_box")), s["field"]))]],
        colWidths=[theme.frame_width * 0.6],
        rowHeights=[110],
    )
    stamp.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1, theme.colours["muted"]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    stamp.hAlign = "LEFT"
    story += [Spacer(1, 12), stamp]
    if promo and lib.promotions:
        story += [Spacer(1, 24), _h(labels("promotions"), s["h2"], level=1, section=labels("back_page"))]
        for p in lib.promotions:
            story += [H(3, Paragraph(esc(p.name), s["h3"])), P(Paragraph(esc(p.description), s["body"]))]
    return story


def running_sections(lib: Library, labels: Labels) -> list[str]:
    """Every text the running header can show on its right (the sections booklet_story opens)."""
    keys = (
        "introduction",
        "contents",
        "how_to_use",
        "exercises",
        "faq",
        "progress_log",
        "references",
        "back_page",
    )
    return ["", *(labels(k) for k in keys), lib.guide.evidence.heading]


def _header_paragraphs(theme: Theme, organisation: str, section: str):
    """The running header's two paragraphs and their widths: each wraps in its own column, the
    organisation taking what the section leaves, so the two never meet."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    gap = 14
    w = theme.frame_width
    left_style = theme.styles["header"]
    size = left_style.fontSize
    right_style = left_style.clone(
        "header_section", fontName=FONT["regular"], textColor=theme.colours["muted"], alignment=2
    )
    section_w = stringWidth(section, right_style.fontName, size) + 1 if section else 0
    org_w = stringWidth(organisation, left_style.fontName, size) + 1
    right_w = min(section_w, w * 0.45)
    left_w = w - right_w - gap if org_w > w - right_w - gap else org_w
    right_w = max(right_w, w - left_w - gap) if section else 0
    left = Paragraph(esc(organisation), left_style)
    right = Paragraph(esc(section), right_style) if section else None
    lh = left.wrap(left_w, 10_000)[1]
    rh = right.wrap(right_w, 10_000)[1] if right else 0
    return left, left_w, right, right_w, max(lh, rh)


def render_booklet(lib: Library, theme: Theme, labels: Labels, promo: bool = False) -> bytes:
    w, h = theme.pagesize
    m = theme.margin
    header_top = 13 * 72 / 25.4  # the running header's first baseline, from the paper's top edge
    # the header is as deep as its deepest page: a long organisation or section name wraps
    text_h = max(
        _header_paragraphs(theme, lib.brand.organisation, t)[-1] for t in running_sections(lib, labels)
    )
    # the top of the header's first line, from the top edge
    text_top = header_top - theme.styles["header"].fontSize
    rule = text_top + text_h + 3
    header_h = rule + 14
    footer = footer_lines(lib, labels, theme=theme, sources=labels("sources_here"))
    sample = labels("page_of", n=888, m=888)
    foot = footer_height(theme, footer, sample)
    frame_h = h - header_h - foot - 14
    body = Frame(m, foot + 10, theme.frame_width, frame_h, 0, 0, 0, 0, id="body")
    cover = Frame(m, m, theme.frame_width, h - 2 * m, 0, 0, 0, 0, id="cover")
    buf = io.BytesIO()
    doc = BookletDoc(
        buf,
        pagesize=theme.pagesize,
        **doc_info(lib, labels, lib.document.title, labels("booklet_kind"), [lib.document.title, *lib.ids]),
    )

    def header(canv, doc_):
        left, left_w, right, right_w, need = _header_paragraphs(theme, lib.brand.organisation, doc_.section)
        if need > text_h + 0.5:  # a section running_sections does not know of: never overprint
            raise LayoutError(f"the booklet's running header has no room for the section {doc_.section!r}")
        canv.saveState()
        top = h - text_top
        left.drawOn(canv, m, top - left.height)
        if right is not None:
            right.drawOn(canv, w - m - right_w, top - right.height)
        canv.setStrokeColor(theme.colours["primary"])
        canv.line(m, h - rule, w - m, h - rule)
        canv.restoreState()

    def page_label(canv, n, total):
        if n > 1:
            draw_footer(canv, theme, footer, labels("page_of", n=n, m=total), sample)

    doc.addPageTemplates(
        [
            PageTemplate("cover", [cover]),
            PageTemplate("body", [body], onPageEnd=header),
        ]
    )
    doc.multiBuild(booklet_story(lib, theme, labels, promo, frame_h), canvasmaker=numbered_canvas(page_label))
    return finish(buf.getvalue(), doc.canv._structure, lib.document.title, labels.language)
