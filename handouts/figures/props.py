"""Props placed around a posed body in the world, then seen by the camera: floor, mat, chair or
stool, wall, doorway frame. Props are drawn behind the body, in greys."""

from __future__ import annotations

import math

from handouts.figures import body as b
from handouts.figures.model import Figure
from handouts.figures.primitives import (
    MAT_TOP,
    SEAT_HIGH,
    SEAT_LOW,
    SceneError,
    Shape,
    _hull,
    bounds,
)

POST = 11.0
DOOR_HEIGHT = 190.0
PROP_W = 1.4


def _box(cam: b.Frame, x0, x1, y0, y1, z0, z1, fill: str, stroke: str | None = "prop_line") -> Shape:
    pts = [cam((x, y, z)) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)]
    hull = tuple(_hull([(p[0], p[1]) for p in pts]))
    return Shape("poly", hull, PROP_W if stroke else 0.0, stroke, fill, role="prop")


def _line(cam: b.Frame, a, c, width: float) -> Shape:
    p, q = cam(a), cam(c)
    return Shape("line", ((p[0], p[1]), (q[0], q[1])), width, "prop_line", role="prop")


def stage(skeletons: list[b.Skeleton]) -> tuple[float, float, float, float, float]:
    """The room every one of ``skeletons`` takes (x0, x1, top, z0, z1 in the world): the floor,
    the mat and the wall are drawn from it, the same in every panel."""
    ext = [_extent(sk) for sk in skeletons]
    return (
        min(e[0] for e in ext),
        max(e[1] for e in ext),
        max(e[2] for e in ext),
        min(e[3] for e in ext),
        max(e[4] for e in ext),
    )


def _extent(sk: b.Skeleton) -> tuple[float, float, float, float, float]:
    pts = list(sk.points.values())
    xs, ys, zs = [p[0] for p in pts], [p[1] for p in pts], [p[2] for p in pts]
    return min(xs) - 10, max(xs) + 10, max(ys) + 12, min(zs) - 10, max(zs) + 10


def _seat(cam: b.Frame, sk: b.Skeleton, seat: float, kind: str) -> list[Shape]:
    if not SEAT_LOW <= seat <= SEAT_HIGH:
        raise SceneError(
            f"{kind}: the pose does not sit on it (its hips would be {seat:.0f} units above the floor; "
            f"a seat is {SEAT_LOW:.0f} to {SEAT_HIGH:.0f}); bend the hips and knees to sit"
        )
    px, _, pz = sk.points["pelvis"]
    back, front, half = px - 15, px + 17, 20.0
    top = seat
    out = []
    for x in (back + 3, front - 3):
        for z in (pz - half + 3, pz + half - 3):
            out.append(_line(cam, (x, top - 3, z), (x + (x - px) * 0.08, 1.2, z + (z - pz) * 0.08), 3.2))
    if kind == "chair":
        out.append(_box(cam, back - 3, back, top, top + 44, pz - half + 2, pz + half - 2, "prop_fill"))
    out.append(_box(cam, back, front, top - 4.4, top, pz - half, pz + half, "prop_fill"))
    return out


def prop_shapes(
    fig: Figure, sk: b.Skeleton, cam: b.Frame, body: list[Shape], seat: float
) -> tuple[list[Shape], list[Shape], list[Shape]]:
    """Walls (drawn first), the floor, and the other props (drawn behind the body).

    ``sk`` is the body in the world; ``body`` its shapes on the page.
    """
    el = fig.cam.elevation
    x0, x1, top, z0, z1 = _extent(sk)
    if fig.stage is not None:
        x0, x1, top, z0, z1 = fig.stage
    px0, _, px1, _ = bounds(body)
    walls: list[Shape] = []
    back: list[Shape] = []
    floor: list[Shape] = []
    for prop in fig.props:
        k = prop.kind
        if el >= 80 and k != "mat":
            raise SceneError(f"{k}: a view from the top can show only a mat")
        if k == "mat":
            back.append(_box(cam, x0 - 4, x1 + 4, 0.0, MAT_TOP, z0 - 4, z1 + 4, "prop_fill"))
        elif k in ("chair", "stool"):
            back += _seat(cam, sk, seat, k)
        elif k == "wall":
            face = min(p[0] for p in sk.points.values()) - 7.5
            side = max(abs(z0), abs(z1)) + 12
            walls.append(_box(cam, face - 12, face, 0.0, top + 10, -side, side, "wall", None))
            if abs(math.sin(math.radians(fig.cam.azimuth))) < 0.3:  # seen from the side: the wall's face
                walls.append(_line(cam, (face, 0.0, 0.0), (face, top + 10, 0.0), 2.0))
        elif k == "doorway":
            height = max(top + 8, DOOR_HEIGHT)
            reach = 0.0
            for side, sign in (("left", -1.0), ("right", 1.0)):
                e = sk.points[prop.at] if prop.at else sk.points[f"{side}_elbow"]
                w = sk.points[f"{side}_wrist"]
                zin = max(abs(e[2]), abs(w[2])) - 6.0
                reach = max(reach, zin + 26)
                front = max(e[0], w[0]) + 4.6
                zs = sorted((sign * zin, sign * (zin + 26)))
                back.append(_box(cam, front, front + POST, 0.0, height, zs[0], zs[1], "prop_fill"))
            front = max(sk.points[f"{s}_{j}"][0] for s in ("left", "right") for j in ("elbow", "wrist")) + 4.6
            back.append(_box(cam, front, front + POST, height, height + POST, -reach, reach, "prop_fill"))
    if el < 80:
        if el < 3:
            floor.append(Shape("line", ((px0 - 6, 0.0), (px1 + 6, 0.0)), 2.4, "prop_line", role="floor"))
        else:
            quad = [cam((x, 0.0, z)) for x in (x0, x1) for z in (z0, z1)]
            hull = tuple(_hull([(p[0], p[1]) for p in quad]))
            floor.append(Shape("poly", hull, 0.0, None, "wall", role="floor"))
    return walls, floor, back
