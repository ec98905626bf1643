"""The programme PDF: a summary page, a page per exercise, and a log."""

from __future__ import annotations

from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from handouts.blocks import H, P, Prepared, log_table, safety_panel
from handouts.compose import Schedule, dose_line
from handouts.i18n import Labels
from handouts.model import Library, Range
from handouts.pages import Parts, exercise_pages
from handouts.program import Program
from handouts.sheet import detail_flowables, doc_info, footer_lines, render_pages
from handouts.tagging import new_key, tag
from handouts.text import esc
from handouts.theme import Theme


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
    who = prog.clinician + (f" · {prog.clinician_contact}" if prog.clinician_contact else "")
    contact = f"{labels('program_clinician')}: {who}"
    parts = _summary(lib, prog, theme, labels, sched)
    parts[-1] += detail_flowables(lib, labels, theme, contact=contact)  # where the footer has no room
    # the summary may take as many pages as an exercise, broken between its blocks
    summary = Parts(lambda _panel: parts, (0,), theme.exercise_pages, ends_document=False)
    pages: list = [("programme summary", summary)]
    for chosen in prog.exercises:
        ex = lib.exercise(chosen.id)
        content = exercise_pages(
            lib, ex, theme, labels, sched, chosen.rx, prepared, depth=1, ends_document=False
        )
        pages.append((f"programme page for '{ex.id}'", content))
    s = theme.styles
    per_page = theme.log_weeks
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
    footer = footer_lines(lib, labels, contact=contact, theme=theme)
    return render_pages(lib, theme, labels, pages, labels("program_kind"), footer, info)
