"""One-page exercise sheets."""

from __future__ import annotations

import dataclasses
import io
import math
from dataclasses import dataclass

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

from handouts import __version__
from handouts.compose import cite_numbers
from handouts.errors import LayoutError
from handouts.i18n import Labels
from handouts.model import NO_RX, Exercise, Library, Prepared, Prescription, Schedule
from handouts.pdf.tagging import finish
from handouts.render.block import exercise_block
from handouts.render.furniture import band_height, draw_band, draw_footer, footer_height, numbered_canvas
from handouts.render.theme import FONT, Theme


def footer_lines(
    lib: Library, labels: Labels, ex: Exercise | None = None, contact: str | None = None
) -> list[str]:
    """Document control for every page: contact (the clinic's, or ``contact``), version and
    review date, sources."""
    d = lib.document
    ids = [r.id for r in lib.guide.references]
    refs = ex.references if ex and ex.references else ids
    if lib.translation_reviewed:
        version = labels("footer_version", version=d.version, date=labels.date(d.last_reviewed))
    else:
        version = labels("footer_version_draft", version=d.version)
    lines = [
        contact or lib.brand.contact,
        f"{version} · {labels('footer_sources', refs=cite_numbers(refs, ids))}",
    ]
    if not lib.translation_reviewed:
        lines.append(labels("unreviewed"))
    return lines


def measure(flowables, width: float) -> float:
    """The height ``flowables`` take stacked in a frame of ``width``."""
    total = 0.0
    prev_after = 0.0
    for i, f in enumerate(flowables):
        _, h = f.wrap(width, 10_000)
        before = f.getSpaceBefore() if i else 0
        total += h + max(before, prev_after) if i else h
        prev_after = f.getSpaceAfter()
    return total


def doc_info(lib: Library, labels: Labels, title: str, subject: str, keywords: list[str]) -> dict:
    return dict(
        title=title,
        author=lib.brand.organisation,
        subject=subject,
        keywords=keywords,
        creator=f"Handouts {__version__}",
        producer=f"Handouts {__version__}",
        lang=labels.language,
        displayDocTitle=True,
        invariant=1,
        initialFontName=FONT["regular"],
    )


def fit_pictures(build, frame_h: float, theme: Theme) -> list:
    """The flowables ``build(panel_h)`` makes, with picture panels sized to the room left.

    Panels grow into spare space (up to MAX_PANEL) and give back a little (down to
    MIN_PANEL) before a page overflows; type never changes size.
    """
    from handouts.render.block import MAX_PANEL, MIN_PANEL, PANEL

    scale = 1.4 if theme.large_print else 1
    flowables = build(PANEL * scale)
    spare = frame_h - measure(flowables, theme.frame_width)
    if 0 <= spare < 1:  # fits, with less than a point to spare
        return flowables
    panel = min(MAX_PANEL * scale, max(MIN_PANEL * scale, PANEL * scale + spare - 1))
    # A panel's height is not exactly its drawing's: measure again and give back what overflows.
    for _ in range(3):
        flowables = build(panel)
        over = measure(flowables, theme.frame_width) - frame_h
        if over <= 0 or panel <= MIN_PANEL * scale:
            break
        panel = max(MIN_PANEL * scale, panel - over - 1)
    return flowables


@dataclass
class Parts:
    """Content for up to ``max_pages`` pages, broken only between parts (large print).

    ``build(panel_h)`` makes the parts; smaller picture panels are tried before giving up.
    """

    build: object
    panels: tuple[float, ...]
    max_pages: int = 2
    continued: list | None = None  # flowables that open a continuation page
    #: how many leading parts belong together on the first page (steps with their pictures),
    #: and what page one says when the rest goes over the page
    keep_first: int = 0
    pointer: list | None = None


def _overflow(name: str, theme: Theme, over: float, pages: str = "one") -> LayoutError:
    return LayoutError(
        f"the {name} does not fit on {pages} {theme.paper.upper()} page{'' if pages == 'one' else 's'}: it is "
        f"{math.ceil(over / 72 * 25.4)} mm ({math.ceil(over)} pt) too long; shorten its text or split a step"
    )


def paginate(name: str, spec: Parts, frame_h: float, theme: Theme) -> list[list]:
    """Parts laid onto pages in order, a part never split; LayoutError past ``max_pages``."""
    if spec.keep_first:
        laid = _pairs(spec, frame_h, theme)
        if laid is not None:
            return laid
    error, fallback = None, None
    for panel in spec.panels:  # larger pictures first
        parts = spec.build(panel)
        try:
            fallback = fallback or _paginate(name, spec, parts, frame_h, theme)
        except LayoutError as exc:
            error = error or exc
    if fallback is not None:
        return fallback
    raise error


def _pair(spec: Parts, parts: list[list], frame_h: float, theme: Theme) -> list[list] | None:
    """One page, or two designed as a pair: the first ``keep_first`` parts (and a pointer to
    what follows) on page one, the rest on page two; None when that does not fit."""
    w = theme.frame_width
    flat = [f for part in parts for f in part]
    if measure(flat, w) <= frame_h:
        return [flat]
    first = [f for part in parts[: spec.keep_first] for f in part] + list(spec.pointer or [])
    second = list(spec.continued or []) + [f for part in parts[spec.keep_first :] for f in part]
    if measure(first, w) <= frame_h and measure(second, w) <= frame_h:
        return [first, second]
    return None


def _pairs(spec: Parts, frame_h: float, theme: Theme) -> list[list] | None:
    """The best pair: every picture size with the pictures on page one, then on page two."""
    for keep in range(spec.keep_first, 1, -1):
        for panel in spec.panels:
            laid = _pair(dataclasses.replace(spec, keep_first=keep), spec.build(panel), frame_h, theme)
            if laid is not None:
                return laid
    return None


def _paginate(name: str, spec: Parts, parts: list[list], frame_h: float, theme: Theme) -> list[list]:
    pages: list[list] = []
    current: list = []
    for part in parts:
        if current and measure(current + part, theme.frame_width) > frame_h:
            pages.append(current)
            current = list(spec.continued or [])
        current = current + part
        over = measure(current, theme.frame_width) - frame_h
        if over > 0:
            raise _overflow(name, theme, over)
    pages.append(current)
    if len(pages) > spec.max_pages:
        words = {2: "two", 3: "three"}.get(spec.max_pages, str(spec.max_pages))
        over = sum(measure(p, theme.frame_width) for p in pages[spec.max_pages :])
        raise _overflow(name, theme, over, words)
    return pages


def render_pages(
    lib: Library,
    theme: Theme,
    labels: Labels,
    pages: list[tuple[str, list]],
    band_right: str,
    footer: list[str],
    info: dict,
) -> bytes:
    """A document of fixed pages: each (name, flowables) must fit one page, or LayoutError says by how much."""
    from reportlab.platypus import PageBreak

    _, h = theme.pagesize
    foot = footer_height(theme, footer)
    band = band_height(theme, lib.brand.organisation, band_right, lib.brand.website)
    frame_h = h - band - foot - 10 - 10  # 10 pt clear above the footer rule
    if band > h / 4:
        raise LayoutError(
            f"the brand band takes {math.ceil(band / 72 * 25.4)} mm of the {theme.paper.upper()} page; "
            "shorten brand.organisation or brand.website"
        )
    story: list = []
    count = 0
    for name, content in pages:
        if isinstance(content, Parts):
            laid = paginate(name, content, frame_h, theme)
        else:
            laid = [fit_pictures(content, frame_h, theme) if callable(content) else content]
        for flowables in laid:
            over = measure(flowables, theme.frame_width) - frame_h
            if over > 0:
                raise _overflow(name, theme, over)
            story += ([PageBreak()] if story else []) + flowables
            count += 1
    frame = Frame(theme.margin, foot + 10, theme.frame_width, frame_h, 0, 0, 0, 0, id="body")

    def on_page(canv, doc):
        draw_band(canv, theme, lib.brand.organisation, band_right, lib.brand.website)

    def page_label(canv, n, m):
        draw_footer(canv, theme, footer, labels("page_of", n=n, m=m))

    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=theme.pagesize, **info)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=on_page)])
    doc.build(story, canvasmaker=numbered_canvas(page_label))
    if doc.page != count:
        raise LayoutError(
            f"the {pages[0][0]} ran onto {doc.page} pages on {theme.paper.upper()}; it must fit {count}"
        )
    return finish(buf.getvalue(), doc.canv._structure, info["title"], info["lang"])


def large_print_parts(lib, ex, theme, labels, schedule, rx, prepared, depth: int = 0, lead=()) -> Parts:
    """A large-print exercise: up to two pages, the second opening with the exercise's name."""
    from handouts.render.block import PANEL, P, exercise_parts
    from handouts.text import esc

    def build(panel_h: float) -> list[list]:
        parts = exercise_parts(lib, ex, theme, labels, schedule, rx, prepared, panel_h=panel_h, depth=depth)
        parts[0] = [*lead, *parts[0]]
        return parts

    s = theme.styles
    continued = [P(Paragraph(esc(labels("continued", name=ex.name)), s["h2"]))]
    pointer = [Spacer(1, 10), P(Paragraph(f"<b>{esc(labels('safety_over'))}</b>", s["safety_title"]))]
    n = 3 if ex.pictures else 2  # title, steps (and pictures) together on page one
    # Two pages designed as a pair; when a long organisation, clinician or name leaves the pair too
    # little room, a third page takes what follows rather than the build failing or type shrinking.
    panels = (PANEL * 1.4, PANEL * 1.2, PANEL, PANEL * 0.8, PANEL * 0.7)
    return Parts(build, panels, 3, continued, n, pointer)


def render_sheet(
    lib: Library,
    ex: Exercise,
    theme: Theme,
    labels: Labels,
    rx: Prescription = NO_RX,
    prepared: Prepared | None = None,
    schedule: Schedule | None = None,
) -> bytes:
    """The PDF bytes of one exercise's one-page sheet; LayoutError if it cannot fit."""
    schedule = schedule or Schedule(lib.programme.per_week, lib.programme.weeks)

    def story(panel_h: float) -> list:
        return exercise_block(lib, ex, theme, labels, schedule, rx, prepared or Prepared(), panel_h)

    if theme.large_print:
        story = large_print_parts(lib, ex, theme, labels, schedule, rx, prepared or Prepared())

    info = doc_info(
        lib,
        labels,
        ex.name,
        f"{labels('document_kind')}: {ex.name} — {lib.document.title}",
        [lib.document.title, ex.name, *ex.also_known_as],
    )
    return render_pages(
        lib,
        theme,
        labels,
        [(f"sheet for '{ex.id}'", story)],
        labels("document_kind"),
        footer_lines(lib, labels, ex),
        info,
    )
