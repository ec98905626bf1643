"""The booklet's front: the cover, the contents, how to use the booklet and the introduction."""

from __future__ import annotations

import math

from reportlab.platypus import CondPageBreak, Spacer

from handouts.errors import LayoutError
from handouts.i18n import Labels
from handouts.model import Library, Prepared
from handouts.render.block import P, prepared_lines, safety_panel
from handouts.render.booklet_flow import Contents, PageRef, first_rows, h, paras
from handouts.render.logo import logo_drawing
from handouts.render.para import Paragraph
from handouts.render.sheet import measure
from handouts.render.theme import Theme
from handouts.render.urgent import urgent_box
from handouts.text import esc

#: Where the how-to page's page references point (recorded by BookletDoc as the pages land).
FIRST_EXERCISE, AFTER_EXERCISES, LOG, FAQ = "exercises", "after-exercises", "log", "faq"


def cover_version(lib: Library, labels: Labels) -> str:
    d = lib.document
    if lib.translation_reviewed:
        return labels("cover_version", version=d.version, date=labels.date(d.last_reviewed))
    return labels("footer_version_draft", version=d.version)


def per_week(lib: Library, labels: Labels) -> str:
    pw = lib.programme.per_week
    return labels("per_week", range=labels.range(pw.low, pw.high))


def cover(lib: Library, theme: Theme, labels: Labels) -> list:
    """The cover, on one page: the space between its parts gives way before anything else."""
    s = theme.styles
    out = []
    logo = logo_drawing(theme, 72)
    if logo is not None:
        out += [logo, Spacer(1, 18)]
    key = s["cover_sub"].clone("key", textColor=theme.colours["primary"])
    out += [
        P(Paragraph(esc(lib.brand.organisation), s["h3"])),
        Spacer(1, 60),
        h(lib.document.title, s["cover_title"], toc=False, section=""),
        P(Paragraph(esc(lib.document.subtitle), s["cover_sub"])),
        Spacer(1, 36),
        # the one key message for the patient: how often, and to stop if it hurts
        P(Paragraph(f"<b>{esc(labels('cover_message', per_week=per_week(lib, labels)))}</b>", key)),
        Spacer(1, 40),
        prepared_lines(Prepared(), theme, labels, theme.frame_width),
        Spacer(1, 30),
    ]
    if not lib.translation_reviewed:
        out.append(P(Paragraph(f"<b>{esc(labels('unreviewed'))}</b>", s["reading"])))
    out.append(P(Paragraph(esc(cover_version(lib, labels)), s["small"])))
    cover_h = theme.pagesize[1] - 2 * theme.margin
    over = measure(out, theme.frame_width) - cover_h
    if over > 0:
        gaps = [f for f in out if isinstance(f, Spacer)]
        room = sum(gap.height for gap in gaps)
        if over >= room:
            raise LayoutError(
                f"the booklet's cover does not fit on one {theme.paper.upper()} page: "
                f"it is {math.ceil((over - room) / 72 * 25.4)} mm too long; shorten the title or subtitle"
            )
        for gap in gaps:
            gap.height *= 1 - over / room
    return out


def contents(theme: Theme, labels: Labels) -> list:
    s = theme.styles
    toc = Contents(dotsMinLevel=0)
    toc.levelStyles = [s["toc"], s["toc"].clone("toc1", leftIndent=20, fontSize=s["toc"].fontSize - 1)]
    return [h(labels("contents"), s["h1"], toc=False), toc]


def _page_ref(key: str, labels: Labels, pages: dict, style, **values):
    """A how-to line whose {first}, {last}, {log} and {faq} are the pages they name."""

    def text(pages: dict) -> str:
        first = pages.get(FIRST_EXERCISE, 1)
        last = max(first, pages.get(AFTER_EXERCISES, first + 1) - 1)
        found = dict(first=first, last=last, log=pages.get(LOG, 1), faq=pages.get(FAQ, 1))
        # a library of one exercise has it on one page (each exercise starts a page): "page 5",
        # not "pages 5–5"
        one = f"{key}_one" if first == last and f"{key}_one" in labels.table else key
        label, rest = labels(one, **found, **values).split(":", 1)
        return f"<b>{esc(label)}:</b>{esc(rest)}"

    return P(PageRef(text, style, pages))


def how_to_use(lib: Library, theme: Theme, labels: Labels, pages: dict) -> list:
    """Which pages, how often, for how long, what to do if it hurts, where the log is."""
    s = theme.styles
    body = s["reading"]
    wk = lib.programme.weeks
    weeks = labels("weeks", range=labels.range(wk.low, wk.high))
    lines = [
        _page_ref("how_to_use_pages", labels, pages, body),
        _page_ref("how_to_use_pictures", labels, pages, body),
        _page_ref("how_to_use_often", labels, pages, body, per_week=per_week(lib, labels)),
        _page_ref("how_to_use_long", labels, pages, body, weeks=weeks),
        _page_ref("how_to_use_hurts", labels, pages, body),
        _page_ref("how_to_use_log", labels, pages, body),
        _page_ref("how_to_use_questions", labels, pages, body),
    ]
    out = [h(labels("how_to_use"), s["h1"]), *lines]
    out += [Spacer(1, 10)]
    return [*out, safety_panel(lib, None, theme, labels, theme.frame_width), *urgent(lib, theme, labels, 0)]


def urgent(lib: Library, theme: Theme, labels: Labels, depth: int = 1) -> list:
    """The urgent-help box, set apart by space above it (nothing when the library has none).

    A large-print box goes on over the page, a row a sign: it starts where the page has room
    for its first group whole ("call the emergency number if..."), never parting those signs.
    """
    box = urgent_box(lib, theme, labels, theme.frame_width, depth=depth)
    if box is None:
        return []
    box.keep_rows = len(lib.urgent_help.emergency) if theme.columns == 1 else 1
    return [Spacer(1, 12), CondPageBreak(first_rows(box, theme.frame_width)), box]


def introduction(lib: Library, theme: Theme, labels: Labels, cites: str) -> list:
    """The source's introduction, why exercise matters and its recommendations."""
    s = theme.styles
    g = lib.guide
    section = labels("introduction")
    out = [h(section, s["h1"]), *paras(g.introduction, s["reading"])]
    listed = theme.contents_subsections  # else the contents keep to one page, the outline has all
    for part in (g.finding_relief, g.importance, g.recommendations):
        heading = h(part.heading, s["h2"], level=1, section=section, contents=listed)
        out += [heading, *paras(part.paragraphs, s["reading"])]
    return [*out, P(Paragraph(esc(cites), s["small"]))]
