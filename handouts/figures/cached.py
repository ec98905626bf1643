"""Figure shapes kept in the library cache as JSON text, read back and checked only when a figure
is drawn: a cached run draws its pictures without posing the figures again."""

from __future__ import annotations

from handouts.checkedjson import MAX_ITEMS, Refused, loads, number
from handouts.figures.primitives import Shape

#: Each drawn figure's shapes (``extent`` cleared) as the cache's JSON text, read with the library and
#: checked only when drawn: a cached run draws its pictures without posing the figures again.
SHAPES: dict = {}
_SHAPE_KINDS = ("line", "poly", "circle")


def known_shapes(fig) -> tuple[Shape, ...] | None:
    """The shapes of ``fig`` (its ``extent`` cleared) from the cache, or None (then work them out)."""
    text = SHAPES.get(fig)
    if text is None or isinstance(text, tuple):
        return text
    try:
        shapes = _shapes_from(loads(text))
    except (ValueError, TypeError, RecursionError):
        shapes = None
    SHAPES[fig] = shapes
    return shapes


def shape_json(shape: Shape) -> list:
    pts = [c for p in shape.points for c in p]
    dash = list(shape.dash) if shape.dash is not None else None
    return [shape.kind, shape.width, shape.stroke, shape.fill, dash, shape.role, shape.part, pts]


def _text_or_none(v):
    if v is None or (isinstance(v, str) and len(v) <= 100):
        return v
    raise Refused("expected a short text")


def _shapes_from(data) -> tuple[Shape, ...]:
    if not isinstance(data, list) or len(data) > MAX_ITEMS:
        raise Refused("expected a list of shapes")
    out = []
    for one in data:
        if not isinstance(one, list) or len(one) != 8:
            raise Refused("expected a shape")
        kind, width, stroke, fill, dash, role, part, pts = one
        if kind not in _SHAPE_KINDS or not isinstance(pts, list) or len(pts) % 2 or len(pts) > MAX_ITEMS:
            raise Refused("expected a shape")
        for v in pts:
            number(v, float)
        if dash is not None:
            if not isinstance(dash, list) or len(dash) != 2:
                raise Refused("expected a dash")
            dash = (number(dash[0], float), number(dash[1], float))
        points = tuple(zip(pts[::2], pts[1::2], strict=True))
        if not points:
            raise Refused("a shape without points")
        shape = Shape(
            kind,
            points,
            number(width, float),
            _text_or_none(stroke),
            _text_or_none(fill),
            dash,
            _text_or_none(role) or "",
            _text_or_none(part) or "",
        )
        out.append(shape)
    return tuple(out)
