"""Props placed around a posed body: floor mat, chair or stool, wall, doorway frame."""

from __future__ import annotations

from handouts.figures import body as b
from handouts.figures.model import Figure
from handouts.figures.scene import (
    MAT_TOP,
    PROP_FILL,
    PROP_LINE,
    PROP_WALL,
    SEAT_HIGH,
    SEAT_LOW,
    SceneError,
    Shape,
    bounds,
)

POST = 11.0


def _rect(x0: float, y0: float, x1: float, y1: float, fill: str, stroke: str | None = None) -> Shape:
    pts = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    return Shape("poly", pts, 1.4 if stroke else 0.0, stroke, fill)


def _seat(fig: Figure, sk: b.Skeleton, seat: float, kind: str, body: list[Shape]) -> list[Shape]:
    if not SEAT_LOW <= seat <= SEAT_HIGH:
        raise SceneError(
            f"{kind}: the pose does not sit on it (its hips would be {seat:.0f} units above the floor; "
            f"a seat is {SEAT_LOW:.0f} to {SEAT_HIGH:.0f}); bend the hips and knees to sit"
        )
    px = sk.points["pelvis"][0]
    sign = -1.0 if fig.view == "side" and fig.facing == "left" else 1.0
    if fig.view == "side":
        back, front = px - 15 * sign, px + 17 * sign
    else:
        back, front = px - 30, px + 30
    top = seat - 2.2
    out = [Shape("line", ((back, top), (front, top)), 4.4, PROP_LINE)]
    inset = 3.0 * sign
    for x in (back + inset, front - inset):
        out.append(Shape("line", ((x, top), (x + (x - px) * 0.08, 1.2)), 3.2, PROP_LINE))
    if kind == "chair" and fig.view == "side":
        near = [s.bounds() for s in body if s.bounds()[1] < seat + 40 and s.fill != PROP_WALL]
        edge = min(x[0] for x in near) - 2 if sign > 0 else max(x[2] for x in near) + 2
        out.append(Shape("line", ((edge, top), (edge - 2 * sign, top + 42)), 4.0, PROP_LINE))
    elif kind == "chair":
        out.append(Shape("line", ((back + 4, top + 44), (front - 4, top + 44)), 4.0, PROP_LINE))
    return out


def prop_shapes(
    fig: Figure, sk: b.Skeleton, body: list[Shape], anchors: dict, seat: float
) -> tuple[list[Shape], list[Shape]]:
    """Walls (drawn first, under the floor line) and the other props (drawn behind the body)."""
    x0, y0, x1, top = bounds(body)
    back: list[Shape] = []
    walls: list[Shape] = []
    for prop in fig.props:
        k = prop.kind
        if fig.view == "top" and k != "mat":
            raise SceneError(f"{k}: a view from the top can show only a mat")
        if k == "mat" and fig.view == "top":
            back.append(_rect(x0 - 8, y0 - 8, x1 + 8, top + 8, PROP_WALL, PROP_FILL))
        elif k == "mat":
            back.append(_rect(x0 - 8, 0.0, x1 + 8, MAT_TOP, PROP_FILL, PROP_LINE))
        elif k in ("chair", "stool"):
            back += _seat(fig, sk, seat, k, body)
        elif k == "wall" and fig.view == "side":
            if fig.facing == "right":
                walls.append(_rect(x0 - 12, 0.0, x0, top + 14, PROP_WALL))
                walls.append(Shape("line", ((x0, 0.0), (x0, top + 14)), 2.0, PROP_LINE))
            else:
                walls.append(_rect(x1, 0.0, x1 + 12, top + 14, PROP_WALL))
                walls.append(Shape("line", ((x1, 0.0), (x1, top + 14)), 2.0, PROP_LINE))
        elif k == "wall":
            walls.append(_rect(x0 - 30, 0.0, x1 + 30, top + 12, PROP_WALL))
        elif k == "doorway" and fig.view == "side":
            near = "right" if fig.facing == "right" else "left"
            ax = anchors[prop.at or f"{near}_elbow"][0]
            half = b.ARM_WIDTHS[1] / 2
            if fig.facing == "right":
                back.append(_rect(ax - half - POST, 0.0, ax - half, max(top + 12, 205), PROP_FILL, PROP_LINE))
            else:
                back.append(_rect(ax + half, 0.0, ax + half + POST, max(top + 12, 205), PROP_FILL, PROP_LINE))
        elif k == "doorway":
            head = max(top + 8, 205)
            back.append(_rect(x0 - POST, 0.0, x0, head, PROP_FILL, PROP_LINE))
            back.append(_rect(x1, 0.0, x1 + POST, head, PROP_FILL, PROP_LINE))
            back.append(_rect(x0 - POST, head, x1 + POST, head + POST, PROP_FILL, PROP_LINE))
    return walls, back
