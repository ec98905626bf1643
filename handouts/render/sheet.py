"""One-page exercise sheets."""

from __future__ import annotations

import io
import math

from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer

from handouts import __version__, cachedir
from handouts.errors import LayoutError
from handouts.i18n import Labels
from handouts.model import NO_RX, Exercise, Library, Prepared, Prescription, Reference, Schedule
from handouts.render import para as paragraphs
from handouts.render.furniture import band_height, draw_band, draw_footer, footer_height, numbered_canvas
from handouts.render.pagination import Parts, _overflow, exercise_pages, fit_pictures, measure, paginate
from handouts.render.panels import P
from handouts.render.para import Paragraph
from handouts.render.theme import FONT, Theme
from handouts.render.urgent import placed_whole
from handouts.text import esc

#: The clear space between the band and the body, and between the body and the footer's rule.
FRAME_GAP = 3.0

__all__ = ["Parts", "doc_info", "footer_lines", "measure", "paginate", "render_pages", "render_sheet"]


def short_reference(r: Reference, no_date: str = "n.d.") -> str:
    """A reference in short form: who, year, title."""
    return f"{r.authors or r.organisation} ({r.year or no_date}) {r.title}"


def sources_text(lib: Library, labels: Labels, ex: Exercise | None = None) -> str:
    """Where a reader finds the sources of a stand-alone document: the reference list at the
    clinic's web address, or, for a library without one, each cited reference in short form."""
    ids = [r.id for r in lib.guide.references]
    refs = ex.references if ex and ex.references else ids
    if lib.brand.website:
        return labels("sources_at", url=lib.brand.website)
    chosen = [r for r in lib.guide.references if r.id in refs]
    return labels("sources_short", refs="; ".join(short_reference(r, labels("no_date")) for r in chosen))


def footer_lines(
    lib: Library,
    labels: Labels,
    ex: Exercise | None = None,
    contact: str | None = None,
    theme: Theme | None = None,
    sources: str | None = None,
) -> list[str]:
    """Document control for every page: contact (the clinic's, or ``contact``), version and
    review date, sources (``sources``, or where a stand-alone document's are found). A theme
    without ``footer_detail`` keeps only the version (and the unreviewed note): its contact and
    sources print in the body (``detail_flowables``)."""
    d = lib.document
    if lib.translation_reviewed:
        version = labels("footer_version", version=d.version, date=labels.date(d.last_reviewed))
    else:
        version = labels("footer_version_draft", version=d.version)
    if theme is not None and not theme.footer_detail:
        lines = [version]
    else:
        sources = sources or sources_text(lib, labels, ex)
        lines = [contact or lib.brand.contact, f"{version} · {sources}"]
    if not lib.translation_reviewed:
        lines.append(labels("unreviewed"))
    return lines


def detail_flowables(
    lib: Library, labels: Labels, theme: Theme, ex: Exercise | None = None, contact: str | None = None
) -> list:
    """The contact line and the sources, in the body: for a theme whose footer has no room."""
    if theme.footer_detail:
        return []
    st = theme.styles["field"].clone("detail", hyphenationLang="", embeddedHyphenation=0)
    return [
        Spacer(1, 8),
        P(Paragraph(esc(contact or lib.brand.contact), st)),
        P(Paragraph(esc(sources_text(lib, labels, ex)), st)),
    ]


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
        # every stream is compressed as the document is written (handouts/pdf/packing.py)
        pageCompression=0,
    )


def frame_height(lib: Library, theme: Theme, labels: Labels, band_right: str, footer: list[str]) -> float:
    """The body's height on a page of fixed pages: clear below the band and above the footer rule."""
    return _heights(lib, theme, labels, band_right, footer)[2]


def _heights(lib: Library, theme: Theme, labels: Labels, band_right: str, footer: list[str]):
    """(band, footer, body) heights on a page of fixed pages, the footer's with room for the widest
    page number (see :func:`frame_height`)."""
    foot = footer_height(theme, footer, labels("page_of", n=888, m=888))
    band = band_height(theme, lib.brand.organisation, band_right, lib.brand.website)
    return band, foot, theme.pagesize[1] - band - foot - 2 * FRAME_GAP


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
    _, h = theme.pagesize
    sample = labels("page_of", n=888, m=888)
    band, foot, frame_h = _heights(lib, theme, labels, band_right, footer)
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
    frame = Frame(theme.margin, foot + FRAME_GAP, theme.frame_width, frame_h, 0, 0, 0, 0, id="body")

    def on_page(canv, doc):
        draw_band(canv, theme, lib.brand.organisation, band_right, lib.brand.website)

    def page_label(canv, n, m):
        draw_footer(canv, theme, footer, labels("page_of", n=n, m=m), sample)

    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=theme.pagesize, **info)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=on_page)])
    doc.build(story, canvasmaker=numbered_canvas(page_label))
    if doc.page != count:
        raise LayoutError(
            f"the {pages[0][0]} ran onto {doc.page} pages on {theme.paper.upper()}; it must fit {count}"
        )
    return buf.getvalue()


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
    prepared = prepared or Prepared()
    # a dose or schedule chosen for a patient is about them too: nothing kept from this sheet
    chosen = rx.personal or schedule is not None
    with (
        paragraphs.document(prepared.patient, prepared.clinician, prepared.date, rx.notes),
        cachedir.private(chosen),
    ):
        return _sheet(lib, ex, theme, labels, rx, prepared, schedule)


def _sheet(lib, ex, theme, labels, rx, prepared, schedule) -> bytes:
    schedule = schedule or Schedule(lib.programme.per_week, lib.programme.weeks)

    # the urgent-help signs in their compact box, and (where the footer has no room for them)
    # the contact line and the sources: a sheet is all a patient holds
    urgent = placed_whole(lib, theme, labels, theme.frame_width, compact=True)
    tail = [
        part
        for part in ([Spacer(1, 3), urgent] if urgent else [], detail_flowables(lib, labels, theme, ex))
        if part
    ]
    story = exercise_pages(lib, ex, theme, labels, schedule, rx, prepared, tail=tail)

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
        footer_lines(lib, labels, ex, theme=theme),
        info,
    )
