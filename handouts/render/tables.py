"""The two tables a patient fills or reads: the dose table (what to do, how much) and the
progress log (a row per week, a column per session)."""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import TableStyle

from handouts.compose import week_dates
from handouts.i18n import Labels
from handouts.model import Schedule
from handouts.pdf.tagging import new_key, tag
from handouts.render.grid import Table
from handouts.render.para import Paragraph
from handouts.render.theme import FONT, Theme
from handouts.text import esc

#: The dose table's cell padding: left, right.
DOSE_PAD = (6.0, 5.0)


def _dose_columns(rows: list[tuple[str, str]], theme: Theme) -> tuple[float, float]:
    """The widths the dose table's columns need: the longest label word, and the longest value
    on one line ("2–3 times a week" never wraps)."""
    s = theme.styles
    lab, val = s["box_label"], s["box_value"]
    pad = sum(DOSE_PAD) + 1
    label_w = max(stringWidth(w, lab.fontName, lab.fontSize) for k, _ in rows for w in k.split()) + pad
    value_w = max(stringWidth(v, val.fontName, val.fontSize) for _, v in rows) + pad
    return label_w, value_w


def dose_width(rows: list[tuple[str, str]], theme: Theme, least: float, most: float) -> float:
    """How wide the dose table beside the safety box is: ``least``, or what its columns need up
    to ``most``."""
    return min(most, max(least, sum(_dose_columns(rows, theme))))


def dose_box(rows: list[tuple[str, str]], theme: Theme, labels: Labels, width: float) -> Table:
    s = theme.styles
    table = new_key()

    def cell(flowable, kind: str, row: int):
        return tag(flowable, ("Table", table), ("TR", (table, row)), (kind, None))

    data = [[cell(Paragraph(esc(labels("your_dose")), s["box_title"]), "TH", 0), ""]]
    data += [
        [
            cell(Paragraph(esc(k), s["box_label"]), "TH", r),
            cell(Paragraph(esc(v, keep_units=False), s["box_value"]), "TD", r),
        ]
        for r, (k, v) in enumerate(rows, start=1)
    ]
    # the values on one line where the width allows, the labels (which may wrap) the rest
    st = s["box_label"]
    label_need, value_need = _dose_columns(rows, theme)
    longest = max(stringWidth(k, st.fontName, st.fontSize) for k, _ in rows) + sum(DOSE_PAD) + 2
    label_w = min(max(longest, width * 0.3), width - value_need, width * 0.55)
    label_w = max(label_w, min(label_need, width * 0.55))
    t = Table(data, colWidths=[label_w, width - label_w])
    t.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), theme.colours["primary"]),
                ("BACKGROUND", (0, 1), (-1, -1), theme.colours["panel"]),
                ("BOX", (0, 0), (-1, -1), 1.5, theme.colours["primary"]),
                ("LINEBELOW", (0, 1), (-1, -2), 0.5, theme.colours["muted"]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), DOSE_PAD[0]),
                ("RIGHTPADDING", (0, 0), (-1, -1), DOSE_PAD[1]),
                ("LEFTPADDING", (0, 0), (-1, 0), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return t


def log_table(
    theme: Theme,
    labels: Labels,
    schedule: Schedule,
    width: float,
    first_week: int = 1,
    last_week: int | None = None,
    start: str | None = None,
) -> Table:
    """A tick grid: a row per week; per session a Done box and a 0–10 pain score; notes.

    Up to four sessions a week get a Done and a Pain column each, where their headings fit; more
    get one column per session, in which the patient writes the pain score. With a ``start``
    date (ISO) each week is labelled with its dates ("Week 2: 8–14 Dec").
    """
    s = theme.styles
    sessions = schedule.per_week.high
    last_week = last_week or schedule.weeks.high
    weeks = last_week - first_week + 1
    head_style = _log_head_style(theme)
    marked = [_week_label(labels, w, start) for w in range(first_week, last_week + 1)]
    first = _first_column(marked, s["box_value"])
    notes_min = max(44.0, _widest([labels("log_notes")], s["box_label"]) + 8)
    pair = sessions <= 4
    widths = _log_widths(width, first, notes_min, 2 * sessions)
    if pair and widths[1] < _widest([labels("log_done"), labels("log_pain")], head_style) + 8:
        pair = False  # the Done and Pain headings do not fit: a column a session
    if not pair:
        widths = _log_widths(width, first, notes_min, sessions)
    cells = sessions * (2 if pair else 1)
    table = new_key()

    def th(markup: str, style, row: int):
        return tag(Paragraph(markup, style), ("Table", table), ("TR", (table, row)), ("TH", None))

    head1 = [th(esc(labels("log_week")), s["box_label"], 0)]
    head2 = [""]
    if pair:
        for i in range(1, sessions + 1):
            head1 += [th(esc(labels("log_session", n=i)), s["box_label"], 0), ""]
            head2 += [th(esc(labels("log_done")), head_style, 1), th(esc(labels("log_pain")), head_style, 1)]
    else:  # one heading over the sessions, each column numbered
        head1 += [th(esc(labels("log_sessions")), s["box_label"], 0)] + [""] * (sessions - 1)
        head2 += [th(str(i), head_style, 1) for i in range(1, sessions + 1)]
    head1.append(th(esc(labels("log_notes")), s["box_label"], 0))
    head2.append("")
    week_style = s["box_value"].clone("log_week", leading=round(s["box_value"].fontSize * 1.2, 1))
    body = [[th(m, week_style, n + 2)] + [""] * (cells + 1) for n, m in enumerate(marked)]
    need = 2 * week_style.leading + 7 if start else 0  # a dated label takes two lines
    row_h = max(need, min(40.0, (theme.pagesize[1] - 360) / max(weeks, 1)))  # room to write in
    t = Table(
        [head1, head2, *body],
        colWidths=[first] + [widths[1]] * cells + [widths[2]],
        rowHeights=[None, None] + [row_h] * weeks,
        repeatRows=2,
    )
    style = [
        ("GRID", (0, 0), (-1, -1), 0.75, theme.colours["muted"]),
        ("BACKGROUND", (0, 0), (-1, 1), theme.colours["panel"]),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (-1, 0), (-1, 1)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if pair:
        style += [("SPAN", (1 + 2 * i, 0), (2 + 2 * i, 0)) for i in range(sessions)]
    else:
        style.append(("SPAN", (1, 0), (sessions, 0)))
    t.setStyle(TableStyle(style))
    return t


def _log_head_style(theme: Theme):
    """The log's column headings: body size (never under 12 pt), the text's full-strength colour."""
    value = theme.styles["box_value"]
    size = max(12, value.fontSize)
    return value.clone("log_head", fontSize=size, leading=size * 1.2)


def _log_widths(width: float, first: float, notes_min: float, cells: int) -> tuple[float, float, float]:
    """(week, cell, notes) widths: a cell as wide as before weeks had dates (room for a pen) where
    the notes keep ``notes_min``, the notes the rest."""
    before = (width - 58 - max(70.0, width - 58 - cells * 48)) / cells
    notes = max(notes_min, width - first - cells * before)
    return first, (width - first - notes) / cells, notes


def _widest(texts, style) -> float:
    return max(stringWidth(word, style.fontName, style.fontSize) for t in texts for word in t.split())


def _week_label(labels: Labels, week: int, start: str | None) -> str:
    """The week's number, or "<b>Week 2:</b> 8–14 Dec" (markup) when the log has a start date."""
    if start is None:
        return str(week)
    dates = week_dates(labels, start, week).replace(" ", "\u00a0")  # the dates never part
    return f"<b>{esc(labels('log_week_n', n=week))}:</b> {esc(dates, keep_units=False)}"


def _first_column(marked: list[str], style) -> float:
    """The week column: as wide as today's (58 pt), or as the widest week label's longest line."""
    widest = 0.0
    for text in marked:
        plain = re.sub(r"<[^>]+>", "", text).replace("&amp;", "&")
        for line in plain.split(" "):
            widest = max(widest, stringWidth(line, FONT["bold"], style.fontSize))
    return max(58.0, widest + 4 + 3 + 2)
