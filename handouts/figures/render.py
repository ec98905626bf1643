"""Draw a picture panel as a reportlab flowable scaled to fit a box."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, PolyLine
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Image

from handouts import glyphs
from handouts.figures import kept
from handouts.figures.cached import known_shapes
from handouts.figures.images import load_svg
from handouts.figures.model import Figure
from handouts.figures.palette import palette
from handouts.figures.primitives import bounds
from handouts.model import Colours, Picture
from handouts.pdf.fonts import Font
from handouts.perthread import ForkSafeLock, per_thread

#: Space kept free inside the box, in points.
PAD = 2.0
REGULAR, BOLD = "Handouts-Regular", "Handouts-Bold"


def register_fonts() -> None:
    """Register the shipped fonts under the names the rest of Handouts uses, once."""

    have = set(pdfmetrics.getRegisteredFontNames())
    for name, style in ((REGULAR, "regular"), (BOLD, "bold")):
        if name not in have:
            pdfmetrics.registerFont(Font(name, str(glyphs.font_path(style))))


def _drawing(width: float, height: float) -> Drawing:
    """An empty drawing whose default font is ours, so no base-14 font is ever named."""
    register_fonts()
    d = Drawing(width, height)
    d.initialFontName = REGULAR
    return d


@lru_cache(maxsize=64)
def _colour(hex_colour: str):
    return HexColor(hex_colour)


def _geometry(fig: Figure):
    """The panel's shapes with colour roles: from the library cache when it holds them, else worked
    out (once per process; the shapes do not depend on ``extent``, so validation's are reused)."""
    fig = replace(fig, extent=None)
    shapes = known_shapes(fig)
    if shapes is not None:
        return shapes
    from handouts.figures.scene import geometry  # lazy: posing loads only for shapes not cached

    return geometry(fig)


@lru_cache(maxsize=512)
def _bounds(fig: Figure) -> tuple[float, float, float, float]:
    return bounds(_geometry(fig))


@lru_cache(maxsize=512)
def _build(fig: Figure, colours: Colours) -> tuple:
    """Every shape of the panel in the brand's colours (as :func:`handouts.figures.scene.build`)."""
    pal = palette(colours)
    return tuple(replace(s, stroke=pal(s.stroke), fill=pal(s.fill)) for s in _geometry(fig))


def panel_scale(fig: Figure, width: float, height: float) -> tuple[float, float, float]:
    """How a panel is drawn into a ``width`` x ``height`` box: (points per body unit, x shift,
    y shift). Every panel of an exercise shares one ``extent``, so at one box size they share
    one scale and their floors sit at one height."""
    x0, y0, x1, y1 = _bounds(fig)
    ew, eh, low = fig.extent if fig.extent else (x1 - x0, y1 - y0, y0)
    k = min((width - 2 * PAD) / ew, (height - 2 * PAD) / eh)
    ox = (width - k * (x1 - x0)) / 2 - k * x0
    if fig.cam.elevation >= 80:  # seen from above: centred
        return k, ox, (height - k * (y1 - y0)) / 2 - k * y0
    return k, ox, PAD - k * low


#: How far a picture's point may move when its coordinates are written with fewer digits than the
#: six reportlab writes, in points on the page: a fiftieth of a millimetre, under a tenth of a
#: pixel at 100 dpi and under half a 600 dpi printer's dot. A sheet is about a sixth smaller.
#: None writes every digit (the tests compare the two).
PRECISION: float | None = 0.05


def _decimals(k: float) -> int | None:
    """The fewest decimals, in body units drawn at ``k`` points each, that keep PRECISION."""
    if PRECISION is None:
        return None
    d = 0
    while 0.5 * 10**-d * k > PRECISION:
        d += 1
    return d


@per_thread(maxsize=512)
def _unit_shapes(fig: Figure, colours: Colours, decimals: int | None) -> tuple:
    """The panel's reportlab shapes in body units, their coordinates to ``decimals`` places; a
    drawing scales them with one transform. Made once per thread: reportlab's renderer writes
    onto each shape while it draws it, so threads never share one."""

    def _round(value: float) -> float:
        return value if decimals is None else round(value, decimals)

    out = []
    for s in _build(fig, colours):
        pts = [_round(c) for x, y in s.points for c in (x, y)]
        dash = list(s.dash) if s.dash else None
        if s.kind == "circle":
            out.append(Circle(pts[0], pts[1], _round(s.width), fillColor=_colour(s.fill), strokeColor=None))
        elif s.kind == "poly":
            out.append(
                Polygon(
                    pts,
                    fillColor=_colour(s.fill) if s.fill else None,
                    strokeColor=_colour(s.stroke) if s.stroke else None,
                    strokeWidth=s.width,
                    strokeLineJoin=1,
                    strokeDashArray=dash,
                )
            )
        else:
            out.append(
                PolyLine(
                    pts,
                    strokeColor=_colour(s.stroke),
                    strokeWidth=s.width,
                    strokeLineCap=1,
                    strokeLineJoin=1,
                    strokeDashArray=dash,
                )
            )
    return tuple(out)


#: Set False to draw every figure through reportlab's renderer each time (the tests compare the two).
REPLAY = True
#: Each figure's PDF drawing operators, worked out once per process: key -> operators, the most
#: recently drawn last; at most MAX_OPS kept, so a long batch's memory stays flat.
_OPS: OrderedDict[str, list[str]] = OrderedDict()
MAX_OPS = 128
_OPS_LOCK = ForkSafeLock()


def _replay(key: str) -> list[str] | None:
    """The operators kept for ``key`` (now the most recently drawn), or None."""
    with _OPS_LOCK:
        ops = _OPS.get(key)
        if ops is not None:
            _OPS.move_to_end(key)
        return ops


#: A PDF name (``/gRLs0 gs``, ``/F1 12 Tf``, ``/Im0 Do``) or an inline image: operators naming a
#: document's own resource, which another document would not have.
_NAMES_RESOURCE = re.compile(r"/|\bBI\b")


class ReplayedDrawing(Flowable):
    """A drawn figure whose PDF operators are worked out once per process and written again into
    every page that shows it: the same operators, so the same bytes, as drawing it each time.

    (A PDF form XObject placed by reference was measured too: as fast, but each figure then
    compresses on its own, without the panels beside it, and a sheet grows by about a fifth.)"""

    def __init__(self, drawing: Drawing, key: str, on_record=None):
        super().__init__()
        self.drawing, self.key, self.on_record = drawing, key, on_record
        self.width, self.height = drawing.wrap(0, 0)
        self.hAlign, self.vAlign = drawing.hAlign, drawing.vAlign

    def wrap(self, avail_width, avail_height):
        return self.drawing.wrap(avail_width, avail_height)

    def draw(self) -> None:
        c = self.canv
        ops = _replay(self.key) if REPLAY else None
        if ops is not None:
            c._code.extend(ops)
            return
        start = len(c._code)
        self.drawing.canv = c
        try:
            self.drawing.draw()
        finally:
            del self.drawing.canv
        drawn = c._code[start:]
        # operators that name no resource (graphics state, font, image, shading, colour space) can
        # be written into any document; a drawing that names one is drawn again each time
        if REPLAY and not any(_NAMES_RESOURCE.search(op) for op in drawn):
            with _OPS_LOCK:
                _OPS[self.key] = list(drawn)
                if len(_OPS) > MAX_OPS:
                    _OPS.popitem(last=False)
            if self.on_record is not None:
                self.on_record(list(drawn))
                self.on_record = None


class RecordedDrawing(Flowable):
    """A drawing's operators as a ReplayedDrawing recorded them, without the drawing: laid out
    like a reportlab Drawing of the same size, and written as they are."""

    def __init__(self, width: float, height: float, ops: list[str]):
        super().__init__()
        self.width, self.height, self.ops = width, height, ops
        self.hAlign, self.vAlign = "LEFT", "BOTTOM"  # a Drawing's

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        self.canv._code.extend(self.ops)


def _key(*key) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()


def replayed(drawing: Drawing, *key) -> Flowable:
    """``drawing`` drawn once per process and replayed (see :class:`ReplayedDrawing`); ``key``
    names everything it depends on. With REPLAY off, the drawing itself."""
    return ReplayedDrawing(drawing, _key(*key)) if REPLAY else drawing


def kept_drawing(key: str, draw, box: tuple[float, float] | None = None) -> Flowable:
    """A drawing that is the same in every document, named by ``key``: its operators from the cache
    folder when an earlier run kept them (of size ``box``, when given), neither built nor drawn now;
    else ``draw()``, drawn once per process and replayed, its operators kept for the next run.
    With REPLAY off, ``draw()`` itself."""
    if REPLAY:
        found = kept.read(key)
        if found is not None and (box is None or found[:2] == box):
            return RecordedDrawing(*found)
    drawing = draw()
    if not REPLAY:
        return drawing
    width, height = drawing.wrap(0, 0)
    return ReplayedDrawing(drawing, key, lambda ops: kept.write(key, width, height, ops))


def figure_drawing(fig: Figure, width: float, height: float, colours: Colours) -> Drawing:
    """The figure scaled to fit ``width`` x ``height`` points, aspect kept.

    Centred across; standing on the bottom of the box (a view from the top is centred).
    """
    k, ox, oy = panel_scale(fig, width, height)
    g = Group(*_unit_shapes(fig, colours, _decimals(k)))
    g.transform = (k, 0, 0, k, ox, oy)
    d = _drawing(width, height)
    d.add(g)
    return d


@per_thread(maxsize=32)
def _svg(path: Path):
    """An SVG picture read (once per thread: its shapes are drawn, see :func:`_unit_shapes`)."""

    return load_svg(path)


def _svg_drawing(path: Path, width: float, height: float) -> Drawing:
    src = _svg(path)
    k = min(width / src.width, height / src.height)
    g = Group(*src.contents)
    g.transform = (k, 0, 0, k, (width - k * src.width) / 2, (height - k * src.height) / 2)
    d = _drawing(width, height)
    d.add(g)
    return d


def _bitmap(path: Path, width: float, height: float) -> Image:

    iw, ih = ImageReader(str(path)).getSize()
    k = min(width / iw, height / ih)
    img = Image(str(path), width=iw * k, height=ih * k)
    img.hAlign = "CENTER"
    return img


@per_thread(maxsize=256)
def picture_flowable(picture: Picture, width: float, height: float, colours: Colours) -> Flowable:
    """A flowable for one panel, at most ``width`` x ``height`` points, aspect kept.

    Made once per thread: a drawing holds no per-document state, so every document the thread
    makes shares it (while it draws, it holds the canvas: never two threads at once).
    """
    if picture.image is not None:
        if picture.image.suffix.lower() == ".svg":
            return _svg_drawing(picture.image, width, height)
        return _bitmap(picture.image, width, height)
    key = _key(picture.figure, width, height, colours, PRECISION)
    return kept_drawing(key, lambda: figure_drawing(picture.figure, width, height, colours), (width, height))


def draw_on_canvas(
    canvas, picture: Picture, x: float, y: float, width: float, height: float, colours
) -> None:
    """Draw the panel straight onto a reportlab canvas, centred in the box at (x, y)."""
    f = picture_flowable(picture, width, height, colours)
    w, h = f.wrap(width, height)
    f.drawOn(canvas, x + (width - w) / 2, y + (height - h) / 2)
