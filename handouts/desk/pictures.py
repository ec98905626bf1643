"""Exercise pictures for the desk's cards, drawn from the same figure data as the PDFs.

Each panel is drawn on a small PDF page by the figures' own entry point, then
rasterised to PNG with pypdfium2, and kept in memory for the life of the process.
"""

from __future__ import annotations

import io
import threading
from functools import lru_cache

import pypdfium2 as pdfium
from reportlab.pdfgen.canvas import Canvas

from handouts.figures.render import draw_on_canvas

#: The panel's box in points, and the pixels per point of the PNG.
BOX = (180.0, 150.0)
SCALE = 2.0
_LOCK = threading.Lock()


def _pdf(picture, colours) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=BOX, invariant=1)
    c.setFillColorRGB(1, 1, 1)
    c.rect(0, 0, *BOX, stroke=0, fill=1)
    draw_on_canvas(c, picture, 0, 0, BOX[0], BOX[1], colours)
    c.showPage()
    c.save()
    return buf.getvalue()


@lru_cache(maxsize=512)
def _png(picture, colours) -> bytes:
    with _LOCK:  # neither reportlab nor pdfium may be used from two threads at once
        data = _pdf(picture, colours)
        doc = pdfium.PdfDocument(data)
        try:
            image = doc[0].render(scale=SCALE).to_pil()
        finally:
            doc.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def picture_png(lib, exercise_id: str, number: int) -> bytes | None:
    """The PNG of panel ``number`` (1-based) of an exercise, or None when there is none."""
    try:
        ex = lib.exercise(exercise_id)
    except KeyError:
        return None
    if not 1 <= number <= len(ex.pictures):
        return None
    return _png(ex.pictures[number - 1], lib.brand.colours)
