"""The programme PDF: a summary page, a page per exercise, and a log."""

from __future__ import annotations

import dataclasses

from reportlab.platypus import Spacer, TableStyle

from handouts.compose import dose_line, week_dates
from handouts.figures.render import picture_flowable
from handouts.i18n import Labels
from handouts.model import Exercise, Library, Prepared, Program, Range, Schedule
from handouts.pdf.tagging import new_key, tag
from handouts.render import para as paragraphs
from handouts.render import reuse
from handouts.render.block import H, P, safety_panel
from handouts.render.grid import Table
from handouts.render.pagination import Parts, exercise_pages, measure
from handouts.render.panels import two_columns
from handouts.render.para import Paragraph
from handouts.render.sheet import detail_flowables, doc_info, footer_lines, frame_height, render_pages
from handouts.render.tables import log_table
from handouts.render.theme import Theme
from handouts.render.urgent import placed_whole, urgent_box
from handouts.text import esc

#: Weeks on one page of the log: each row has room for its dates and for a pen.
#: The picture beside each exercise on the summary, in points (larger in large print).
THUMB = 46


def _details(prog: Program, theme: Theme, labels: Labels) -> list:
    """When, the review date, who to call and the clinician's notes, labelled, at body size."""
    s = theme.styles
    schedule = labels(
        "program_schedule",
        per_week=labels("per_week", range=str(prog.per_week)),
        weeks=labels("weeks", range=str(prog.weeks)),
        start=labels.date(prog.start),
    )
    rows = [(labels("program_when"), schedule)]
    if prog.review:
        rows.append((labels("program_review"), labels.date(prog.review)))
    rows.append((labels("program_clinician"), _who(prog)))
    if prog.notes:
        rows.append((labels("program_notes"), prog.notes))
    style = s["body"].clone("detail", spaceAfter=2)
    return [P(Paragraph(f"<b>{esc(k)}:</b> {esc(v)}", style)) for k, v in rows]


def _thumbnail(ex: Exercise, theme: Theme, size: float):
    """The exercise's first picture of a step (else its first), small, as a tagged Figure."""
    if not ex.pictures:
        return ""
    pic = next((p for p in ex.pictures if p.steps), ex.pictures[0])
    return tag(picture_flowable(pic, size, size, theme.brand.colours), ("Figure", None), alt=pic.alt)


def _exercise_rows(lib: Library, prog: Program, theme: Theme, labels: Labels, w: float) -> Table:
    """A row per exercise, ``w`` wide: its number, a small picture, its name, dose and notes."""
    s = theme.styles
    size = THUMB * theme.picture_scale
    rows = []
    lst = new_key()
    for n, chosen in enumerate(prog.exercises, start=1):
        ex = lib.exercise(chosen.id)
        rx = dataclasses.replace(chosen.rx, personal=True)
        item = new_key()
        body = [
            Paragraph(f"<b>{esc(ex.name)}</b>", s["body"]),
            Paragraph(esc(dose_line(ex, labels, rx)), s["body"]),
        ]
        if chosen.rx.notes:
            body.append(Paragraph(f"<i>{esc(chosen.rx.notes)}</i>", s["body"]))
        rows.append(
            [
                tag(Paragraph(f"<b>{n}</b>", s["step"]), ("L", lst), ("LI", item), ("Lbl", None)),
                _thumbnail(ex, theme, size),
                [tag(f, ("L", lst), ("LI", item), ("LBody", item)) for f in body],
            ]
        )
    t = Table(rows, colWidths=[20, size + 10, w - size - 30])
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, theme.colours["muted"]),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


def _flow(parts: list[list], box, width: float, frame_h: float) -> list[list]:
    """Large print: the parts laid onto pages in order, each whole, then the urgent-help box,
    cut between its rows to fill what room the last page leaves and go on over the next."""
    pages: list[list] = [[]]
    for part in parts:
        if pages[-1] and measure(pages[-1] + part, width) > frame_h:
            pages.append([])
        pages[-1] += part
    rest = box
    while rest is not None:
        lead = [Spacer(1, 10)] if pages[-1] else []
        room = frame_h - measure(pages[-1] + lead, width) - 1
        if measure([rest], width) <= room:
            pages[-1] += [*lead, rest]
            break
        # what goes over should fill half a page at least: a large-print page is never under half full
        balanced = measure([rest], width) - frame_h / 2
        if 0 < balanced < room and measure(pages[-1], width) + balanced >= frame_h / 2:
            room = balanced
        cut = rest.split(width, room) if room > 0 else []
        if len(cut) == 2:
            pages[-1] += [*lead, cut[0]]
            rest = cut[1]
        elif not pages[-1]:  # a row taller than a page: render_pages says by how much
            pages[-1].append(rest)
            break
        pages.append([])
    return pages


def _summary(lib: Library, prog: Program, theme: Theme, labels: Labels, frame_h: float) -> list[list]:
    """The summary page in parts never split: who, when and the clinician's notes; the exercises
    beside what to do if it hurts; and when to get help urgently (the bottom of the page).
    In large print, the pages it takes (see _flow)."""
    s = theme.styles
    w = theme.frame_width
    details = _details(prog, theme, labels)
    head = [
        H(1, Paragraph(esc(labels("program_title")), s["title"])),
        H(2, Paragraph(esc(labels("program_for", patient=prog.patient)), s["h2"])),
        Spacer(1, 2),
        details[0],
    ]
    heading = H(2, Paragraph(esc(labels("program_exercises")), s["h2"]))
    if theme.columns == 1:  # one column: the details (a long note may go over), the exercises, safety
        rows = _exercise_rows(lib, prog, theme, labels, w)
        parts = [
            head,
            *([d] for d in details[1:]),
            [Spacer(1, 6), heading, rows],
            [Spacer(1, 10), _summary_safety(lib, theme, labels, w, whole=True)],
        ]
    else:  # the exercises beside the safety box, so the page has room for the urgent-help signs:
        # the box says what to do if it hurts; each exercise's page has its other safety words
        share = 0.6
        rows = _exercise_rows(lib, prog, theme, labels, w * share)
        panel = _summary_safety(lib, theme, labels, w * (1 - share) - 14, whole=False)
        parts = [
            head + details[1:],
            [
                Spacer(1, 4),
                two_columns([heading, rows], [Spacer(1, 8), panel], w * share, w * (1 - share) - 14, 14),
            ],
        ]
    if theme.columns == 1:  # the box may go over a page: made for this document
        return _flow(parts, urgent_box(lib, theme, labels, w, depth=0), w, frame_h)
    box = placed_whole(lib, theme, labels, w)
    if box is not None:
        parts.append([Spacer(1, 8), box])
    return parts


def _summary_safety(lib: Library, theme: Theme, labels: Labels, width: float, whole: bool):
    """The summary's "Stop if it hurts" box (beside the exercises, its first answer only): nothing
    about a patient in it, so made once per thread."""

    def make():
        if whole:
            return safety_panel(lib, None, theme, labels, width)
        first = dataclasses.replace(lib.guide, safety=lib.guide.safety[:1])
        return safety_panel(dataclasses.replace(lib, guide=first), None, theme, labels, width)

    return reuse.kept("summary-safety", (lib, theme, labels), (width, whole), make)


def _log_pages(prog: Program, theme: Theme, labels: Labels, sched: Schedule) -> list:
    s = theme.styles
    per_page = theme.log_weeks
    pages = []
    for first in range(1, prog.weeks + 1, per_page):
        last = min(prog.weeks, first + per_page - 1)
        head = [
            H(2, Paragraph(esc(labels("progress_log")), s["title"])),
            P(Paragraph(esc(labels("program_for", patient=prog.patient)), s["h3"])),
            P(Paragraph(esc(labels("progress_log_intro")), s["body"])),
            Spacer(1, 6),
        ]
        table = log_table(theme, labels, sched, theme.frame_width, first, last, start=prog.start)
        pages.append(("progress log", [*head, table]))
    return pages


def render_program(lib: Library, prog: Program, theme: Theme, labels: Labels) -> bytes:
    """The PDF bytes of one patient's programme: summary, a page per exercise, the log."""
    private = (
        prog.patient,
        prog.clinician,
        prog.clinician_contact,
        prog.notes,
        *(c.rx.notes for c in prog.exercises),
        # its dates too: the start, the review and every week of the log
        *(labels.date(d) for d in (prog.start, prog.review) if d),
        *(week_dates(labels, prog.start, w) for w in range(1, prog.weeks + 1) if prog.start),
    )
    with paragraphs.document(*private):
        return _program(lib, prog, theme, labels)


def _program(lib: Library, prog: Program, theme: Theme, labels: Labels) -> bytes:
    sched = Schedule(Range(prog.per_week, prog.per_week), Range(prog.weeks, prog.weeks))
    prepared = Prepared(prog.patient, prog.clinician, labels.date(prog.start))
    contact = f"{labels('program_clinician')}: {_who(prog)}"
    footer = footer_lines(lib, labels, contact=contact, theme=theme)
    frame_h = frame_height(lib, theme, labels, labels("program_kind"), footer)
    parts = _summary(lib, prog, theme, labels, frame_h)
    parts[-1] = [*parts[-1], *detail_flowables(lib, labels, theme, contact=contact)]  # footer has no room
    if theme.columns == 1:  # laid out already, page by page
        pages: list = [("programme summary", page) for page in parts]
    else:  # one page; broken between its parts (never inside one) only when it must be
        pages = [("programme summary", Parts(lambda _panel: parts, (0,), 2, ends_document=False))]
    for chosen in prog.exercises:
        ex = lib.exercise(chosen.id)
        rx = dataclasses.replace(chosen.rx, personal=True)  # a patient's page: never a blank to fill
        content = exercise_pages(lib, ex, theme, labels, sched, rx, prepared, depth=1, ends_document=False)
        pages.append((f"programme page for '{ex.id}'", content))
    pages += _log_pages(prog, theme, labels, sched)
    title = f"{labels('program_title')}: {prog.patient}"
    info = doc_info(
        lib, labels, title, labels("program_kind"), [lib.document.title, *(c.id for c in prog.exercises)]
    )
    return render_pages(lib, theme, labels, pages, labels("program_kind"), footer, info)


def _who(prog: Program) -> str:
    return prog.clinician + (f" · {prog.clinician_contact}" if prog.clinician_contact else "")
