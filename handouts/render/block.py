"""The exercise block: what a sheet, a booklet page and a programme page all print.

One function builds it, so every document lays an exercise out the same way.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer, TableStyle

from handouts.compose import dose_rows, step_text
from handouts.figures import render as figures
from handouts.i18n import Labels
from handouts.model import NO_RX, Exercise, Library, Prescription, Schedule
from handouts.pdf.pieces import Piece
from handouts.pdf.tagging import new_key, tag
from handouts.render import reuse
from handouts.render.furniture import BADGE_DIGIT, Badge, qr_drawing
from handouts.render.grid import Table
from handouts.render.panels import H, P, Prepared, prepared_lines, safety_panel
from handouts.render.para import Paragraph
from handouts.render.tables import dose_box as _dose_box
from handouts.render.tables import dose_width
from handouts.render.theme import Theme
from handouts.text import esc


def _title(ex: Exercise, theme: Theme, labels: Labels, width: float, depth: int) -> list:
    s = theme.styles
    parts = [H(1 + depth, Paragraph(esc(ex.name), s["title"]))]
    if ex.also_known_as:
        aka = labels("also_called", names=", ".join(ex.also_known_as))
        parts = _beside(parts[0], P(Paragraph(esc(aka), s["aka"])), ex.name, aka, theme, width)
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


def _beside(title, aka, name: str, text: str, theme: Theme, width: float) -> list:
    """The name and what else it is called: on one line where both fit, else one under the other."""
    s = theme.styles
    gap = 12
    need = [stringWidth(name, s["title"].fontName, s["title"].fontSize) + gap + 2]
    need.append(stringWidth(text, s["aka"].fontName, s["aka"].fontSize) + 2)
    if sum(need) > width:
        return [title, aka]
    t = Table([[title, aka]], colWidths=[need[0], width - need[0]])
    # both on one baseline: the cell whose baseline sits lower is raised by the difference
    lift = (s["aka"].leading - s["aka"].fontSize) - (s["title"].leading - s["title"].fontSize)
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (0, 0), max(lift, 0)),
                ("BOTTOMPADDING", (1, 0), (1, 0), max(-lift, 0)),
            ]
        )
    )
    return [t, Spacer(1, 4)]


def _steps(ex: Exercise, theme: Theme, labels: Labels, rx: Prescription, width: float, depth: int) -> list:
    s = theme.styles
    # the number never under the edition's least type size
    badge = max(s["step"].fontSize * 1.45, theme.min_pt / BADGE_DIGIT)
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
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    out.append(t)
    return out


def _kept_steps(
    ex: Exercise, theme: Theme, labels: Labels, rx: Prescription, width: float, depth: int
) -> list:
    """:func:`_steps`, made once per thread where the prescription changes none of the steps' words
    (a dose chosen for a patient is about them: steps that print it are made for their document)."""
    if any(step_text(step, labels, rx) != step_text(step, labels) for step in ex.steps):
        return _steps(ex, theme, labels, rx, width, depth)
    made = reuse.kept(
        "steps",
        (ex, theme, labels),
        (width, depth),
        lambda: _steps(ex, theme, labels, NO_RX, width, depth),
        once=True,
    )
    return list(made)


def picture_letter(index: int) -> str:
    """Pictures are lettered A, B, C so they are never mistaken for step numbers."""
    return chr(ord("A") + index)


#: Picture panel height in points. A standard sheet gives back room down to MIN_PANEL but never
#: grows past PANEL: large print promises pictures at least PANEL times its factor (theme), which
#: holds only while the standard ones stay at most PANEL.
PANEL = 96.0
MIN_PANEL = 70.0
MAX_PANEL = PANEL
#: The dose box's share of the width where it sits beside the pictures.
DOSE_SHARE = 0.42


class PictureRow(Piece, Table):
    """An exercise's pictures and their captions, side by side: a piece of its page, compressed
    on its own (see :mod:`handouts.pdf.pieces`)."""


def _pictures(
    ex: Exercise,
    theme: Theme,
    width: float,
    panel_h: float,
    labels: Labels | None = None,
    shared: bool = False,
) -> list:
    """The exercise's picture row (and the legend under it); ``shared``: at a size made from the
    library alone, so the row's compressed bytes may be kept for the next page."""
    if not ex.pictures:
        return []
    s = theme.styles
    n = len(ex.pictures)
    gap = 14 if n < 4 else 8  # four or more share a narrow row: their captions need the width
    cell_w = (width - gap * (n - 1)) / n
    panel_w = min(cell_w, panel_h * 1.35)
    cells = []
    for i, pic in enumerate(ex.pictures):
        caption = Paragraph(f"<b>{picture_letter(i)}</b>  {esc(pic.caption)}", s["caption"])
        figure = figures.picture_flowable(pic, panel_w, panel_h, theme.brand.colours)
        cells.append([tag(figure, ("Figure", None), alt=pic.alt), P(caption, "Caption")])
    widths = []
    for i in range(n):
        widths.append(cell_w + (gap if i < n - 1 else 0))
    # What the dashed outline means, on a line under the captions; the room comes from the
    # padding round the pictures.
    dashed = any(p.figure is not None and p.figure.ghost is not None for p in ex.pictures)
    legend = labels is not None and dashed
    t = PictureRow([cells], colWidths=widths)
    t.shared = shared
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), gap),
                ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1 if legend else 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0 if legend else 3),
            ]
        )
    )
    if not legend:
        return [t]
    return [t, P(Paragraph(esc(labels("start_legend")), s["caption"]))]


def _kept_pictures(
    ex: Exercise, theme: Theme, width: float, panel_h: float, labels: Labels, keep: bool = True
) -> list:
    """:func:`_pictures`, made once per thread at the standard size and a width the library's own
    dose gives (a size a patient's page gave back room for, or the width left beside a patient's
    dose, is made for that document only: it tells something about the page)."""
    if not keep or panel_h != PANEL * theme.picture_scale:
        return _pictures(ex, theme, width, panel_h, labels)
    kept = reuse.kept(
        "pictures",
        (ex, theme, labels),
        (width, panel_h),
        lambda: _pictures(ex, theme, width, panel_h, labels, shared=True),
    )
    return list(kept)


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
    fixed: dict | None = None,
) -> list[list]:
    """The exercise block in parts that are never split: title, steps, pictures, dose, safety.

    A large-print exercise that needs two pages breaks between parts, never inside one.
    ``depth`` shifts heading levels: 0 on a sheet (the name is H1), 1 in the booklet. ``fixed``
    keeps what does not depend on the picture size between calls for one document (fitting the
    pictures builds the block at several sizes; only one of them is drawn).
    """
    panel_h = panel_h or PANEL * theme.picture_scale
    width = theme.frame_width
    f = _fixed_parts(lib, ex, theme, labels, schedule, rx, prepared, depth, {} if fixed is None else fixed)
    lines = f["lines"]
    head = [*f["head"], *([] if theme.prepared_with_dose else lines)]
    parts = [head, f["steps"]]
    notes, rows, safety = f["notes"], f["rows"], f["safety"]
    if theme.columns == 1:  # pictures, dose and safety one under the other, each a part of its own
        pictures = _kept_pictures(ex, theme, width, panel_h, labels)
        dose = [
            *(lines if theme.prepared_with_dose else []),
            Spacer(1, 8),
            _dose_in(f, rows, theme, labels, width),
        ]
        dose += notes
        return [*parts, *([pictures] if pictures else []), dose, safety]
    # the pictures and the dose box side by side, the safety panel across the page below them
    gap = 14
    dose_w = dose_width(rows, theme, width * DOSE_SHARE, width * 0.46)  # wide enough for its values
    own = _library_dose_width(lib, ex, theme, labels, width)
    pictures = _kept_pictures(ex, theme, width - dose_w - gap, panel_h, labels, keep=dose_w == own)
    moved = lines if theme.prepared_with_dose else []
    box = _dose_in(f, rows, theme, labels, dose_w)
    if not pictures:
        return [*parts, [*moved, Spacer(1, 6), box, *notes], safety]
    # the patient's notes go across the page under the row: the pictures can then give back room
    return [*parts, [*moved, _row(pictures, box, width), *notes], safety]


def _library_dose_width(lib: Library, ex: Exercise, theme: Theme, labels: Labels, width: float) -> float:
    """The dose box's width for the library's own dose and schedule (worked out once per thread)."""

    def measure() -> float:
        schedule = Schedule(lib.programme.per_week, lib.programme.weeks)
        return dose_width(dose_rows(ex, labels, schedule), theme, width * DOSE_SHARE, width * 0.46)

    return reuse.kept("dose-width", (lib, ex, theme, labels), (width,), measure)


def _fixed_parts(lib, ex, theme, labels, schedule, rx, prepared, depth, fixed: dict) -> dict:
    """The parts of the block the picture size does not change, made once into ``fixed``."""
    if fixed:
        return fixed
    width = theme.frame_width
    s = theme.styles
    notes = []
    if rx.notes:
        # the patient's notes sit under their dose
        notes = [
            Spacer(1, 4),
            H(2 + depth, Paragraph(esc(labels("your_notes")), s["h3"])),
            P(Paragraph(esc(rx.notes), s["body"])),
        ]
    fixed.update(
        # the title and the safety panel hold nothing about a patient: made once per thread
        head=reuse.kept(
            "title", (ex, theme, labels), (width, depth), lambda: _title(ex, theme, labels, width, depth)
        ),
        lines=[]
        if prepared is None
        else [Spacer(1, 1), prepared_lines(prepared, theme, labels, width), Spacer(1, 2)],
        steps=_kept_steps(ex, theme, labels, rx, width, depth),
        notes=notes,
        rows=dose_rows(ex, labels, schedule, rx),
        safety=[
            Spacer(1, 5),
            reuse.kept(
                "safety",
                (lib, ex, theme, labels),
                (width, depth),
                lambda: safety_panel(lib, ex, theme, labels, width, depth),
            ),
        ],
    )
    return fixed


def _dose_in(fixed: dict, rows, theme: Theme, labels: Labels, width: float):
    """The dose box at ``width``, made once per document."""
    key = ("dose", width)
    if key not in fixed:
        fixed[key] = _dose_box(rows, theme, labels, width)
    return fixed[key]


def _row(pictures: list, dose, width: float) -> Table:
    """The pictures and the dose box side by side. The pictures' legend (what the dashed
    outline means) goes under the dose box where that column has room for it, else under them."""
    dose_w = dose.wrap(width, 10_000)[0]
    right = [dose]
    if len(pictures) > 1:
        pics_h = pictures[0].wrap(width - dose_w, 10_000)[1]
        legend = pictures[-1]
        need = dose.wrap(dose_w, 10_000)[1] + 8 + 4 + legend.wrap(dose_w, 10_000)[1]
        if need <= pics_h:
            pictures, right = pictures[:-1], [dose, Spacer(1, 4), legend]
    row = Table([[pictures, right]], colWidths=[width - dose_w, dose_w])
    row.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (1, 0), (1, 0), 6),
            ]
        )
    )
    return row
