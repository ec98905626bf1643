"""The programme PDF: a summary page, a page per exercise, and a log."""

from __future__ import annotations

from functools import partial

from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from handouts.compose import dose_line
from handouts.i18n import Labels
from handouts.model import Library, Prepared, Program, Range, Schedule
from handouts.pdf.tagging import new_key, tag
from handouts.render.block import H, P, exercise_block, log_table, safety_panel
from handouts.render.sheet import Parts, doc_info, footer_lines, large_print_parts, render_pages
from handouts.render.theme import Theme
from handouts.text import esc

LOG_WEEKS_PER_PAGE = 16


def _summary(lib: Library, prog: Program, theme: Theme, labels: Labels, sched: Schedule) -> list[list]:
    """The summary page in parts that are never split: heading, exercises, safety, clinician."""
    s = theme.styles
    w = theme.frame_width
    schedule = labels(
        "program_schedule",
        per_week=labels("per_week", range=str(prog.per_week)),
        weeks=labels("weeks", range=str(prog.weeks)),
        start=labels.date(prog.start),
    )
    out = [
        H(1, Paragraph(esc(labels("program_title")), s["title"])),
        H(2, Paragraph(esc(labels("program_for", patient=prog.patient)), s["h2"])),
        P(Paragraph(esc(schedule), s["step"])),
    ]
    if prog.review:
        out.append(P(Paragraph(esc(labels("program_review", date=labels.date(prog.review))), s["body"])))
    parts = [out]
    out = [Spacer(1, 6), H(2, Paragraph(esc(labels("program_exercises")), s["h2"]))]
    rows = []
    lst = new_key()
    for n, chosen in enumerate(prog.exercises, start=1):
        ex = lib.exercise(chosen.id)
        item = new_key()
        body = [
            Paragraph(f"<b>{esc(ex.name)}</b>", s["step"]),
            Paragraph(esc(dose_line(ex, labels, chosen.rx)), s["body"]),
        ]
        if chosen.rx.notes:
            body.append(Paragraph(f"<i>{esc(chosen.rx.notes)}</i>", s["body"]))
        rows.append(
            [
                tag(Paragraph(f"<b>{n}</b>", s["step"]), ("L", lst), ("LI", item), ("Lbl", None)),
                [tag(f, ("L", lst), ("LI", item), ("LBody", item)) for f in body],
            ]
        )
    t = Table(rows, colWidths=[28, w - 28])
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, theme.colours["muted"]),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    parts += [[*out, t], [Spacer(1, 10), safety_panel(lib, None, theme, labels, w), Spacer(1, 8)]]
    who = prog.clinician + (f" · {prog.clinician_contact}" if prog.clinician_contact else "")
    out = [H(2, Paragraph(esc(labels("program_clinician")), s["h3"])), P(Paragraph(esc(who), s["body"]))]
    if prog.notes:
        out += [
            H(2, Paragraph(esc(labels("program_notes")), s["h3"])),
            P(Paragraph(esc(prog.notes), s["body"])),
        ]
    return [*parts, out]


def render_program(lib: Library, prog: Program, theme: Theme, labels: Labels) -> bytes:
    sched = Schedule(Range(prog.per_week, prog.per_week), Range(prog.weeks, prog.weeks))
    prepared = Prepared(prog.patient, prog.clinician, labels.date(prog.start))
    parts = _summary(lib, prog, theme, labels, sched)
    if theme.large_print:  # the summary may take two pages, broken between its blocks
        summary = Parts(lambda _panel: parts, (0,), 2)
    else:
        summary = [f for part in parts for f in part]
    pages: list = [("programme summary", summary)]
    for chosen in prog.exercises:
        ex = lib.exercise(chosen.id)
        if theme.large_print:
            content = large_print_parts(lib, ex, theme, labels, sched, chosen.rx, prepared, depth=1)
        else:
            content = partial(exercise_block, lib, ex, theme, labels, sched, chosen.rx, prepared, depth=1)
        pages.append((f"programme page for '{ex.id}'", content))
    s = theme.styles
    per_page = LOG_WEEKS_PER_PAGE // 2 if theme.large_print else LOG_WEEKS_PER_PAGE
    for first in range(1, prog.weeks + 1, per_page):
        last = min(prog.weeks, first + per_page - 1)
        head = [
            H(2, Paragraph(esc(labels("progress_log")), s["title"])),
            P(Paragraph(esc(labels("program_for", patient=prog.patient)), s["h3"])),
            P(Paragraph(esc(labels("progress_log_intro")), s["body"])),
            Spacer(1, 6),
        ]
        pages.append(
            ("progress log", head + [log_table(theme, labels, sched, theme.frame_width, first, last)])
        )
    title = f"{labels('program_title')}: {prog.patient}"
    info = doc_info(
        lib, labels, title, labels("program_kind"), [lib.document.title, *(c.id for c in prog.exercises)]
    )
    who = prog.clinician + (f" · {prog.clinician_contact}" if prog.clinician_contact else "")
    contact = f"{labels('program_clinician')}: {who}"
    return render_pages(
        lib, theme, labels, pages, labels("program_kind"), footer_lines(lib, labels, contact=contact), info
    )
