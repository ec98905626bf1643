"""The booklet: cover, contents, how to use it, introduction, every exercise, evidence, FAQ, log,
references and the back page. Each part is made by its own function (booklet_front, booklet_back);
this module puts them in order and draws the pages round them."""

from __future__ import annotations

import io

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer

from handouts.booklet_back import back_page, evidence, exercises, faq, progress_log, promotions, references
from handouts.booklet_flow import BookletDoc, keep_headings
from handouts.booklet_front import contents, cover, how_to_use, introduction
from handouts.compose import cite_numbers
from handouts.errors import LayoutError
from handouts.i18n import Labels
from handouts.model import Library
from handouts.pagekit import draw_footer, footer_height, numbered_canvas
from handouts.sheet import doc_info, footer_lines
from handouts.tagging import finish
from handouts.text import esc
from handouts.theme import FONT, Theme


def booklet_story(
    lib: Library, theme: Theme, labels: Labels, promo: bool, frame_h: float, pages: dict | None = None
) -> list:
    """Every part of the booklet in order; ``pages`` collects where the parts the how-to page
    points to land."""
    pages = {} if pages is None else pages
    ids = [r.id for r in lib.guide.references]
    cites = labels("cites", refs=cite_numbers(ids, ids))
    lp = theme.large_print
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


#: The running header's type size: the organisation on the left, the section on the right.
HEADER_PT = 11
#: ... and in large print, where no text is under 18 pt.
HEADER_PT_LARGE = 18


def header_pt(theme: Theme) -> float:
    return HEADER_PT_LARGE if theme.large_print else HEADER_PT


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
    size = header_pt(theme)
    w = theme.frame_width
    left_style = ParagraphStyle(
        "header_org",
        fontName=FONT["bold"],
        fontSize=size,
        leading=size * 1.25,
        textColor=theme.colours["primary"],
    )
    right_style = left_style.clone(
        "header_section", fontName=FONT["regular"], textColor=theme.colours["muted"], alignment=2
    )
    if theme.large_print:  # each on one line: at 18 pt a long name would take the page's room
        section = _one_line(section, right_style.fontName, size, w * 0.45)
        taken = stringWidth(section, right_style.fontName, size) + gap if section else 0
        organisation = _one_line(organisation, left_style.fontName, size, w - taken)
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


def _one_line(text: str, font: str, size: float, width: float) -> str:
    """``text``, or as many of its words as fit ``width`` followed by an ellipsis."""
    if stringWidth(text, font, size) <= width - 1:
        return text
    words = text.split()
    while len(words) > 1 and stringWidth(" ".join(words) + "…", font, size) > width - 1:
        words.pop()
    return " ".join(words) + "…"


def render_booklet(lib: Library, theme: Theme, labels: Labels, promo: bool = False) -> bytes:
    w, h = theme.pagesize
    m = theme.margin
    header_top = 13 * 72 / 25.4  # the running header's first baseline, from the paper's top edge
    # the header is as deep as its deepest page: a long organisation or section name wraps
    text_h = max(
        _header_paragraphs(theme, lib.brand.organisation, t)[-1] for t in running_sections(lib, labels)
    )
    text_top = header_top - header_pt(theme)  # the top of the header's first line, from the top edge
    rule = text_top + text_h + 3
    header_h = rule + 14
    footer = footer_lines(lib, labels)
    foot = footer_height(theme, footer)
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
    footer = footer_lines(lib, labels)

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
            draw_footer(canv, theme, footer, labels("page_of", n=n, m=total))

    doc.addPageTemplates(
        [
            PageTemplate("cover", [cover]),
            PageTemplate("body", [body], onPageEnd=header),
        ]
    )
    doc.multiBuild(
        booklet_story(lib, theme, labels, promo, frame_h, pages), canvasmaker=numbered_canvas(page_label)
    )
    return finish(buf.getvalue(), doc.canv._structure, lib.document.title, labels.language)
