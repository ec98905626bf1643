"""The booklet: cover, contents, how to use it, introduction, every exercise, evidence, FAQ, log,
references and the back page. Each part is made by its own function (booklet_front, booklet_back);
this module puts them in order and draws the pages round them."""

from __future__ import annotations

import io

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Frame, NextPageTemplate, PageBreak, PageTemplate, Spacer

from handouts.compose import cite_numbers
from handouts.errors import LayoutError
from handouts.i18n import Labels
from handouts.model import Library
from handouts.render import para as paragraphs
from handouts.render import passes
from handouts.render.booklet_back import (
    back_page,
    evidence,
    exercises,
    faq,
    progress_log,
    promotions,
    references,
)
from handouts.render.booklet_flow import BookletDoc, Contents, contents_entries, keep_headings
from handouts.render.booklet_front import contents, cover, how_to_use, introduction
from handouts.render.furniture import draw_footer, footer_height, numbered_canvas
from handouts.render.para import Paragraph
from handouts.render.sheet import doc_info, footer_lines
from handouts.render.theme import FONT, Theme
from handouts.text import esc


def booklet_story(
    lib: Library, theme: Theme, labels: Labels, promo: bool, frame_h: float, pages: dict | None = None
) -> list:
    """Every part of the booklet in order; ``pages`` collects where the parts the how-to page
    points to land."""
    pages = {} if pages is None else pages
    ids = [r.id for r in lib.guide.references]
    cites = labels("cites", refs=cite_numbers(ids, ids))
    lp = theme.flowing_sections
    # Each part opens a page; in large print the reading sections run on, one after another,
    # so no page is left with a few lines (the exercises and the back page still open a page).
    flows = [
        [contents(theme, labels)],
        [how_to_use(lib, theme, labels, pages), *([introduction(lib, theme, labels, cites)] if lp else [])],
        *([] if lp else [[introduction(lib, theme, labels, cites)]]),
        [exercises(lib, theme, labels, frame_h)],
    ]
    rest = [evidence(lib, theme, labels, cites), faq(lib, theme, labels), progress_log(lib, theme, labels)]
    rest.append(references(lib, theme, labels))
    if promo and lib.promotions:  # never on the page with the clinic's stamp box
        rest.append(promotions(lib, theme, labels))
    flows += [rest] if lp else [[part] for part in rest]
    back = back_page(lib, theme, labels)
    if lp and not (promo and lib.promotions):
        flows[-1].append(back)
    else:
        flows.append([back])
    story = [*cover(lib, theme, labels), NextPageTemplate("body")]
    for flow in flows:
        story.append(PageBreak())
        for n, part in enumerate(flow):
            story += [*([Spacer(1, 24)] if n else []), *part]
    return keep_headings(story, theme.frame_width)


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
        "advertisement",
    )
    return ["", *(labels(k) for k in keys), lib.guide.evidence.heading]


def _header_paragraphs(theme: Theme, organisation: str, section: str):
    """The running header's two paragraphs and their widths: each wraps in its own column, the
    organisation taking what the section leaves, so the two never meet."""
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
    """The PDF bytes of the booklet (with the products on its back page when ``promo``)."""
    with paragraphs.document():  # nothing about a patient: the library's words only
        return _booklet(lib, theme, labels, promo)


def _booklet(lib: Library, theme: Theme, labels: Labels, promo: bool, seeded: bool = True) -> bytes:
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
    pages: dict = {}
    doc = BookletDoc(
        buf,
        pages=pages,
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
    story = booklet_story(lib, theme, labels, promo, frame_h, pages)
    # the pages the last build of this booklet found start the first pass (see passes.py)
    toc = next(f for f in (getattr(f, "flowable", f) for f in story) if isinstance(f, Contents))
    expected = contents_entries(story)
    kept = passes.key(lib, theme, labels.language, promo)
    seed = passes.read(kept, expected) if seeded else None
    if seed is not None:
        toc._entries = seed[0]  # what the first pass prints (reportlab moves it to _lastEntries)
        pages.update(seed[1])
    try:
        doc.multiBuild(story, canvasmaker=numbered_canvas(page_label))
    except LayoutError:
        if seed is None:
            raise
        return _booklet(lib, theme, labels, promo, seeded=False)  # as if nothing were kept
    passes.write(kept, expected, toc._entries, pages)
    return buf.getvalue()
