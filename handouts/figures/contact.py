"""A contact sheet for authors: every exercise's picture panels, numbered and captioned."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from handouts.figures.render import BOLD, REGULAR, draw_on_canvas, register_fonts
from handouts.model import Library

MARGIN = 40.0
COLUMNS = 3
GAP = 14.0
BOX_H = 110.0
CAPTION_PT, ALT_PT, NAME_PT = 9.0, 7.0, 13.0


#: Marks the authors' contact sheet, which is not a patient document.
CONTACT_SHEET_SUBJECT = "Handouts figures contact sheet"


def _lines(text: str, font: str, size: float, width: float, most: int) -> list[str]:
    lines = simpleSplit(text, font, size, width)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip() + " …"
    return lines


def write_contact_sheet(library: Library, path: Path | str, pagesize, ids=None) -> None:
    """Write a PDF showing every exercise's panels with their numbers, captions, cameras and alt text.

    ``ids`` limits it to those exercises (in the library's order); unknown ids raise ValueError.
    """
    register_fonts()
    colours = library.brand.colours
    c = Canvas(
        path if hasattr(path, "write") else str(path), pagesize=pagesize, invariant=1, initialFontName=REGULAR
    )
    c.setTitle(f"{library.document.title}: pictures")
    c.setSubject(CONTACT_SHEET_SUBJECT)
    pw, ph = pagesize
    box_w = (pw - 2 * MARGIN - (COLUMNS - 1) * GAP) / COLUMNS
    text_h = CAPTION_PT * 1.25 * 2 + ALT_PT * 1.2 * 5 + 6
    row_h = BOX_H + text_h + GAP
    y = ph - MARGIN
    ink, muted = HexColor(colours.text), HexColor(colours.muted)
    exercises = library.exercises
    if ids:
        known = {e.id for e in exercises}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"no exercise with id {', '.join(map(repr, unknown))}")
        exercises = tuple(e for e in exercises if e.id in set(ids))
    for ex in exercises:
        rows = max(1, -(-len(ex.pictures) // COLUMNS))
        # Keep an exercise on one page when it fits on one.
        if y - NAME_PT * 2 - rows * row_h < MARGIN and y < ph - MARGIN:
            c.showPage()
            y = ph - MARGIN
        c.setFillColor(ink)
        c.setFont(BOLD, NAME_PT)
        y -= NAME_PT
        c.drawString(MARGIN, y, f"{ex.name}  ({ex.id})")
        y -= NAME_PT * 0.8
        if not ex.pictures:
            c.setFont(REGULAR, CAPTION_PT)
            y -= CAPTION_PT * 1.5
            c.drawString(MARGIN, y, "No pictures.")
            y -= GAP
            continue
        for i, pic in enumerate(ex.pictures):
            col = i % COLUMNS
            if col == 0 and i:
                y -= row_h
                if y - row_h < MARGIN:
                    c.showPage()
                    y = ph - MARGIN
            x = MARGIN + col * (box_w + GAP)
            top = y
            c.setStrokeColor(HexColor("#D0D0D0"))
            c.setLineWidth(0.5)
            c.rect(x, top - BOX_H, box_w, BOX_H, stroke=1, fill=0)
            draw_on_canvas(c, pic, x + 2, top - BOX_H + 2, box_w - 4, BOX_H - 4, colours)
            ty = top - BOX_H - CAPTION_PT * 1.3
            named = ["start" if n == 0 else str(n) for n in pic.steps]
            steps = f"  (steps {', '.join(named)})" if pic.steps else ""
            c.setFillColor(ink)
            for line in _lines(f"{i + 1}. {pic.caption}{steps}", BOLD, CAPTION_PT, box_w, 2):
                c.setFont(BOLD, CAPTION_PT)
                c.drawString(x, ty, line)
                ty -= CAPTION_PT * 1.25
            c.setFillColor(muted)
            c.setFont(REGULAR, ALT_PT)
            fig = pic.figure
            camera = f"Camera: {fig.cam.describe()}" if fig is not None else "Picture file"
            if fig is not None and fig.own_camera:
                camera += ", not the exercise's camera"
            if fig is not None and fig.show == "upper-body":
                camera += ", from the hands up"
            for line in _lines(camera, REGULAR, ALT_PT, box_w, 2):
                c.drawString(x, ty, line)
                ty -= ALT_PT * 1.2
            for line in _lines(pic.alt, REGULAR, ALT_PT, box_w, 3):
                c.drawString(x, ty, line)
                ty -= ALT_PT * 1.2
        y -= row_h
    c.showPage()
    c.save()
