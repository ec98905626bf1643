"""The exercise block: what a sheet, a booklet page and a programme page all print.

One function builds it, so every document lays an exercise out the same way.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from handouts.compose import NO_RX, Prescription, Schedule, dose_rows, step_text
from handouts.i18n import Labels
from handouts.model import Exercise, Library
from handouts.pagekit import Badge, qr_drawing
from handouts.panels import H, P, Prepared, prepared_lines, safety_panel
from handouts.tagging import new_key, tag
from handouts.text import esc
from handouts.theme import Theme


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
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
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
#: The dose box's share of the width where it sits beside the pictures.
DOSE_SHARE = 0.42


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
    # padding round the pictures.
    dashed = any(p.figure is not None and p.figure.ghost is not None for p in ex.pictures)
    legend = labels is not None and dashed
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


def _dose_box(rows: list[tuple[str, str]], theme: Theme, labels: Labels, width: float) -> Table:
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
    # the label column as wide as its longest label (within reason), the rest for the values
    from reportlab.pdfbase.pdfmetrics import stringWidth

    st = s["box_label"]
    longest = max(stringWidth(k, st.fontName, st.fontSize) for k, _ in rows) + 16
    label_w = min(max(longest, width * 0.3), width * 0.55)
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
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
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
) -> Table:
    """A tick grid: a row per week; per session a Done box and a 0–10 pain score; notes.

    Up to four sessions a week get a Done and a Pain column each; more get one
    column per session, in which the patient writes the pain score.
    """
    s = theme.styles
    sessions = schedule.per_week.high
    last_week = last_week or schedule.weeks.high
    weeks = last_week - first_week + 1
    pair = sessions <= 4
    per = 2 if pair else 1
    table = new_key()

    def th(text: str, style: str, row: int):
        return tag(Paragraph(esc(text), s[style]), ("Table", table), ("TR", (table, row)), ("TH", None))

    head1 = [th(labels("log_week"), "box_label", 0)]
    head2 = [""]
    for i in range(1, sessions + 1):
        if pair:
            head1 += [th(labels("log_session", n=i), "box_label", 0), ""]
            head2 += [th(labels("log_done"), "small", 1), th(labels("log_pain"), "small", 1)]
        else:
            head1.append(th(labels("log_session", n=i), "small", 0))
            head2.append(th(labels("log_pain"), "small", 1))
    head1.append(th(labels("log_notes"), "box_label", 0))
    head2.append("")
    body = [
        [th(str(w), "box_value", w - first_week + 2)] + [""] * (per * sessions + 1)
        for w in range(first_week, last_week + 1)
    ]
    first = 58
    notes = max(70.0, width - first - per * sessions * 48)
    cell = (width - first - notes) / (per * sessions)
    row_h = min(40.0, (theme.pagesize[1] - 360) / max(weeks, 1))  # room to write in
    t = Table(
        [head1, head2, *body],
        colWidths=[first] + [cell] * (per * sessions) + [notes],
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
    t.setStyle(TableStyle(style))
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
    panel_h = panel_h or PANEL * theme.picture_scale
    width = theme.frame_width
    s = theme.styles
    head = _title(ex, theme, labels, width, depth)
    lines = (
        []
        if prepared is None
        else [Spacer(1, 2), prepared_lines(prepared, theme, labels, width), Spacer(1, 2)]
    )
    if not theme.prepared_with_dose:
        head += lines
    parts = [head, _steps(ex, theme, labels, rx, width, depth)]
    notes = []
    if rx.notes:
        # the patient's notes sit under their dose
        notes = [
            Spacer(1, 4),
            H(2 + depth, Paragraph(esc(labels("your_notes")), s["h3"])),
            P(Paragraph(esc(rx.notes), s["body"])),
        ]
    rows = dose_rows(ex, labels, schedule, rx)
    safety = [Spacer(1, 8), safety_panel(lib, ex, theme, labels, width, depth)]
    if theme.columns == 1:  # pictures, dose and safety one under the other, each a part of its own
        pictures = _pictures(ex, theme, width, panel_h, labels)
        dose = [
            *(lines if theme.prepared_with_dose else []),
            Spacer(1, 8),
            _dose_box(rows, theme, labels, width),
        ]
        dose += notes
        return [*parts, *([pictures] if pictures else []), dose, safety]
    # the pictures and the dose box side by side, the safety panel across the page below them
    gap = 14
    dose_w = width * DOSE_SHARE
    pictures = _pictures(ex, theme, width - dose_w - gap, panel_h, labels)
    moved = lines if theme.prepared_with_dose else []
    if not pictures:
        return [*parts, [*moved, Spacer(1, 6), _dose_box(rows, theme, labels, dose_w), *notes], safety]
    # the patient's notes go across the page under the row: the pictures can then give back room
    row = Table([[pictures, _dose_box(rows, theme, labels, dose_w)]], colWidths=[width - dose_w, dose_w])
    row.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (1, 0), (1, 0), 8),
            ]
        )
    )
    return [*parts, [*moved, row, *notes], safety]


def exercise_block(*args, **kwargs) -> list:
    """Flowables for one exercise, top to bottom, at the theme's frame width (see exercise_parts)."""
    return [f for part in exercise_parts(*args, **kwargs) for f in part]
