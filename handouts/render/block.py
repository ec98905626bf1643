"""The exercise block: what a sheet, a booklet page and a programme page all print.

One function builds it, so every document lays an exercise out the same way.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from handouts.compose import dose_rows, step_text
from handouts.i18n import Labels
from handouts.model import NO_RX, Exercise, Library, Prepared, Prescription, Schedule
from handouts.pdf.tagging import new_key, tag
from handouts.render.furniture import Badge, qr_drawing, warning_icon
from handouts.render.tables import dose_box as _dose_box
from handouts.render.tables import dose_width
from handouts.render.theme import FONT, Theme
from handouts.text import esc


def P(flowable, kind: str = "P"):  # noqa: N802 - named for the structure type it makes
    """A paragraph-level structure element."""
    return tag(flowable, (kind, None))


def H(level: int, flowable):  # noqa: N802 - named for the structure type it makes
    return tag(flowable, (f"H{min(level, 6)}", None))


def _title(ex: Exercise, theme: Theme, labels: Labels, width: float, depth: int) -> list:
    s = theme.styles
    parts = [H(1 + depth, Paragraph(esc(ex.name), s["title"]))]
    if ex.also_known_as:
        parts.append(P(Paragraph(esc(labels("also_called", names=", ".join(ex.also_known_as))), s["aka"])))
    parts.append(P(Paragraph(esc(ex.description), s["lead"])))
    if not ex.video:
        return parts
    qr = 84
    link = f'<a href="{esc(ex.video)}" color="#{theme.brand.colours.primary[1:]}"><u>{esc(ex.video)}</u></a>'
    # an address is never hyphenated: hyphenation would break it at its own hyphens and leave the
    # rest unbroken, running off the page; without it a long address breaks at the line's end
    plain = s["body"].clone("link", hyphenationLang="", embeddedHyphenation=0)
    parts.append(P(Paragraph(f"{esc(labels('video'))}: {link}", plain)))
    right = [
        tag(qr_drawing(ex.video, qr), ("Figure", None), alt=f"{labels('video')}: QR code for {ex.video}"),
        P(Paragraph(esc(labels("video")), s["caption"]), "Caption"),
    ]
    t = Table([[parts, right]], colWidths=[width - qr - 40, qr + 40])
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
            ]
        )
    )
    return [t]


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
    if theme.large_print:  # one field a line: the names and the date need the width
        widths = [width * 0.8]
        rows = [[c] for c in cells]
        least = 30.0
    else:
        widths = [width * 0.37, width * 0.33, width * 0.30]
        rows = [cells]
        least = 24.0
        if any(c.wrap(w - pad_right, 10_000)[1] > line * 1.5 for c, w in zip(cells, widths, strict=True)):
            # a long name gets the whole width; who prepared it and the date share the line below
            # the date column as wide as the date, the rest for who prepared it
            from reportlab.pdfbase.pdfmetrics import stringWidth

            st = s["field"]
            date_text = f"{labels('date_label')}: {prep.date}"
            date_w = stringWidth(date_text, FONT["bold"], st.fontSize) + pad_right + 4
            date_w = min(max(date_w, width * 0.25), width * 0.4)
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
    if theme.large_print:
        t.hAlign = "LEFT"
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


def _steps(ex: Exercise, theme: Theme, labels: Labels, rx: Prescription, width: float, depth: int) -> list:
    s = theme.styles
    badge = s["step"].fontSize * 1.8
    refs: dict[int, list[str]] = {}
    for n, pic in enumerate(ex.pictures):
        # a panel that illustrates no step shows the starting position
        for step_no in pic.steps or (0,):
            refs.setdefault(step_no, []).append(picture_letter(n))
    out = [H(2 + depth, Paragraph(esc(labels("starting_position")), s["h2"]))]
    start_refs = refs.get(0)
    start = esc(ex.starting_position)
    if start_refs:
        start += " " + esc(labels("picture_ref", numbers=", ".join(start_refs)))
    out.append(P(Paragraph(start, s["step"])))
    out.append(H(2 + depth, Paragraph(esc(labels("how_to")), s["h2"])))
    rows = []
    lst = new_key()
    for i, step in enumerate(ex.steps, start=1):
        text = esc(step_text(step, labels, rx))
        if i in refs:
            text += " " + esc(labels("picture_ref", numbers=", ".join(refs[i])))
        item = new_key()
        rows.append(
            [
                tag(Badge(i, theme, badge), ("L", lst), ("LI", item), ("Lbl", None)),
                tag(Paragraph(text, s["step"]), ("L", lst), ("LI", item), ("LBody", None)),
            ]
        )
    t = Table(rows, colWidths=[badge + 12, width - badge - 12])
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    out.append(t)
    return out


def picture_letter(index: int) -> str:
    """Pictures are lettered A, B, C so they are never mistaken for step numbers."""
    return chr(ord("A") + index)


#: Picture panel height in points; a sheet with room to spare grows it up to MAX_PANEL.
PANEL = 96.0
MIN_PANEL = 70.0
MAX_PANEL = 150.0


def _pictures(ex: Exercise, theme: Theme, width: float, panel_h: float, labels: Labels | None = None) -> list:
    if not ex.pictures:
        return []
    from handouts.figures.render import picture_flowable

    s = theme.styles
    n = len(ex.pictures)
    gap = 14
    cell_w = (width - gap * (n - 1)) / n
    panel_w = min(cell_w, panel_h * 1.35)
    cells = []
    for i, pic in enumerate(ex.pictures):
        caption = Paragraph(f"<b>{picture_letter(i)}</b>  {esc(pic.caption)}", s["caption"])
        figure = picture_flowable(pic, panel_w, panel_h, theme.brand.colours)
        cells.append([tag(figure, ("Figure", None), alt=pic.alt), P(caption, "Caption")])
    widths = []
    for i in range(n):
        widths.append(cell_w + (gap if i < n - 1 else 0))
    # What the dashed outline means, on a line under the captions; the room comes from the
    # padding round the pictures. Large print has no line to spare on page one: there the
    # booklet's how-to page explains it.
    dashed = any(p.figure is not None and p.figure.ghost is not None for p in ex.pictures)
    legend = labels is not None and dashed and not theme.large_print
    t = Table([cells], colWidths=widths)
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), gap),
                ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1 if legend else 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0 if legend else 3),
            ]
        )
    )
    if not legend:
        return [t]
    return [t, P(Paragraph(esc(labels("start_legend")), s["caption"]))]


def _lead_sentence_bold(text: str) -> str:
    """The text, escaped, with its first sentence in bold: the source's words, emphasised."""
    head, sep, tail = text.partition(". ")
    if not sep:
        return f"<b>{esc(text)}</b>"
    return f"<b>{esc(head)}.</b> {esc(tail)}"


def safety_panel(
    lib: Library, ex: Exercise | None, theme: Theme, labels: Labels, width: float, depth: int = 0
) -> Table:
    """The "Stop if it hurts" panel: a heavy box, a bold title, the source's safety answers."""
    s = theme.styles
    ids = list(lib.guide.safety) + [i for i in (ex.safety if ex else ()) if i not in lib.guide.safety]
    size = s["safety_title"].fontSize * 1.5
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
    body = [title, Spacer(1, 4)]
    for fid in ids:
        body.append(P(Paragraph(_lead_sentence_bold(lib.guide.faq_by_id(fid).answer), s["safety"])))
        body.append(Spacer(1, 4))
    t = Table([[body[:-1]]], colWidths=[width])
    t.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 3, theme.colours["safety"]),
                ("BACKGROUND", (0, 0), (-1, -1), theme.colours["safety_panel"]),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


def exercise_parts(
    lib: Library,
    ex: Exercise,
    theme: Theme,
    labels: Labels,
    schedule: Schedule,
    rx: Prescription = NO_RX,
    prepared: Prepared | None = None,
    panel_h: float | None = None,
    depth: int = 0,
) -> list[list]:
    """The exercise block in parts that are never split: title, steps, pictures, dose, safety.

    A large-print exercise that needs two pages breaks between parts, never inside one.
    ``depth`` shifts heading levels: 0 on a sheet (the name is H1), 1 in the booklet.
    """
    panel_h = panel_h or PANEL * (1.4 if theme.large_print else 1)
    width = theme.frame_width
    s = theme.styles
    head = _title(ex, theme, labels, width, depth)
    if prepared is not None:
        head += [Spacer(1, 2), prepared_lines(prepared, theme, labels, width), Spacer(1, 2)]
    parts = [head, _steps(ex, theme, labels, rx, width, depth)]
    pictures = _pictures(ex, theme, width, panel_h, labels)
    if pictures:
        parts.append(pictures)
    notes = []
    if rx.notes:
        # the patient's notes sit under their dose, where the safety panel leaves room
        notes = [
            Spacer(1, 4),
            H(2 + depth, Paragraph(esc(labels("your_notes")), s["h3"])),
            P(Paragraph(esc(rx.notes), s["body"])),
        ]
    rows = dose_rows(ex, labels, schedule, rx)
    gap = 12
    if theme.large_print:
        parts.append([Spacer(1, 8), _dose_box(rows, theme, labels, width), *notes])
        parts.append([Spacer(1, 12), safety_panel(lib, ex, theme, labels, width, depth)])
        return parts
    left = dose_width(rows, theme, width * 0.42, width * 0.46)  # wide enough for its values
    bottom = Table(
        [
            [
                [_dose_box(rows, theme, labels, left), *notes],
                safety_panel(lib, ex, theme, labels, width - left - gap, depth),
            ]
        ],
        colWidths=[left + gap, width - left - gap],
    )
    bottom.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    parts.append([Spacer(1, 3), bottom])
    return parts


def exercise_block(*args, **kwargs) -> list:
    """Flowables for one exercise, top to bottom, at the theme's frame width (see exercise_parts)."""
    return [f for part in exercise_parts(*args, **kwargs) for f in part]
