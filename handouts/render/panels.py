"""The panels every document shares around an exercise: the "Prepared for / by / Date" lines and
the "Stop if it hurts" safety panel (and the paragraph and heading tags they use)."""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer, TableStyle

from handouts.i18n import Labels
from handouts.model import Exercise, Library, Prepared
from handouts.pdf.tagging import tag
from handouts.render.furniture import warning_icon
from handouts.render.grid import Table
from handouts.render.para import Paragraph
from handouts.render.theme import FONT, Theme
from handouts.text import esc


def P(flowable, kind: str = "P"):  # noqa: N802 - named for the structure type it makes
    """A paragraph-level structure element."""
    return tag(flowable, (kind, None))


def H(level: int, flowable):  # noqa: N802 - named for the structure type it makes
    return tag(flowable, (f"H{min(level, 6)}", None))


def prepared_lines(prep: Prepared, theme: Theme, labels: Labels, width: float) -> Table:
    s = theme.styles
    cells = []
    for key, value in (
        ("prepared_for", prep.patient),
        ("prepared_by", prep.clinician),
        ("date_label", prep.date),
    ):
        cells.append(
            P(
                Paragraph(
                    f"{esc(labels(key))}: <b>{esc(value)}</b>" if value else esc(labels(key)) + ":",
                    s["field"],
                )
            )
        )
    # Each row is at least the writing line's height and grows downward to hold what is printed:
    # a long name wraps onto more lines and pushes what follows down, never over it.
    pad_top, pad_bottom, pad_right = 2, 3, 10
    line = s["field"].leading
    spans = []
    widths = [width * 0.37, width * 0.33, width * 0.30]
    rows = [cells]
    least = 21.0 if theme.columns > 1 else 27.0
    long = any(c.wrap(w - pad_right, 10_000)[1] > line * 1.5 for c, w in zip(cells, widths, strict=True))
    if theme.columns == 1 or long:
        # the patient's name gets the whole width; who prepared it and the date share the line
        # below, the date column as wide as the date (and room to write one by hand)
        st = s["field"]
        date_text = f"{labels('date_label')}: {prep.date or '00 September 0000'}"
        date_w = stringWidth(date_text, FONT["bold"], st.fontSize) + pad_right + 4
        date_w = min(max(date_w, width * 0.25), width * 0.45)
        widths = [width - date_w, date_w]
        rows = [[cells[0], ""], cells[1:]]
        spans = [("SPAN", (0, 0), (1, 0))]

    def need(row) -> float:
        if row[1:] == [""]:
            return row[0].wrap(sum(widths) - pad_right, 10_000)[1]
        return max(c.wrap(w - pad_right, 10_000)[1] for c, w in zip(row, widths, strict=True))

    # a blank keeps room to write in by hand; a printed row is as tall as its text
    blank = not (prep.patient and prep.clinician and prep.date)
    heights = [max(least if blank else 0, need(row) + pad_top + pad_bottom) for row in rows]
    t = Table(rows, colWidths=widths, rowHeights=heights)
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.75, theme.colours["muted"]),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad_right),
                ("TOPPADDING", (0, 0), (-1, -1), pad_top),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad_bottom),
                *spans,
            ]
        )
    )
    return t


def _lead_sentence_bold(text: str) -> str:
    """The text, escaped, with its first sentence in bold: the source's words, emphasised."""
    head, *rest = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)
    return f"<b>{esc(head)}</b>" + (f" {esc(rest[0])}" if rest else "")


def safety_panel(
    lib: Library, ex: Exercise | None, theme: Theme, labels: Labels, width: float, depth: int = 0
) -> Table:
    """The "Stop if it hurts" panel: a heavy box, a bold title, the source's safety answers."""
    s = theme.styles
    ids = list(lib.guide.safety) + [i for i in (ex.safety if ex else ()) if i not in lib.guide.safety]
    size = s["safety_title"].fontSize * 1.25
    title = Table(
        [
            [
                warning_icon(size, theme.colours["safety"]),
                H(2 + depth, Paragraph(esc(labels("safety_title")), s["safety_title"])),
            ]
        ],
        colWidths=[size + 8, width - size - 28],
    )
    title.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    body = [title, Spacer(1, 3)]
    for fid in ids:
        body.append(P(Paragraph(_lead_sentence_bold(lib.guide.faq_by_id(fid).answer), s["safety"])))
        body.append(Spacer(1, 2))
    t = Table([[body[:-1]]], colWidths=[width])
    t.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 3, theme.colours["safety"]),
                ("BACKGROUND", (0, 0), (-1, -1), theme.colours["safety_panel"]),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


def two_columns(left, right, left_w: float, right_w: float, gap: float, style=()) -> Table:
    """Two columns of flowables side by side, top-aligned, with ``gap`` after the first and no other
    padding; ``style`` adds table commands (a rule between them, say)."""
    t = Table([[left, right]], colWidths=[left_w + gap, right_w])
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), gap),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                *style,
            ]
        )
    )
    return t
