"""Arrows beside the part that moves: straight, curved, or following the path a joint takes,
placed clear of every body shape."""

from __future__ import annotations

import math
from dataclasses import replace

from handouts.figures import body as b
from handouts.figures.model import Arrow, Figure
from handouts.figures.outline import poly_distance, seg_dist, xy
from handouts.figures.posing import interpolate, world
from handouts.figures.primitives import (
    Pt,
    Shape,
)

#: Room kept between an arrow and every body shape, in body units.
CLEAR = 8.0
ARROW_W, HEAD_LEN, HEAD_W = 3.6, 14.0, 8.5
#: Arrows drawn on the back (beside the shoulder blades) are this much smaller.
ON_BODY_SIZE = 0.5


def arc_points(a: Arrow, anchors: dict[str, Pt], mirror: bool) -> list[Pt]:
    ox, oy = a.offset
    d, bend = a.direction, a.bend
    if mirror:
        ox, d, bend = -ox, 180.0 - d, -bend
    x, y = anchors[a.at]
    start = (x + ox, y + oy)
    n = 24 if bend else 1
    chord = math.radians(d)
    arc = a.length * (math.radians(bend) / 2 / math.sin(math.radians(bend) / 2) if bend else 1.0)
    pts, h = [start], chord + math.radians(bend) / 2
    step = arc / n
    for _ in range(n):
        mid = h - math.radians(bend) / n / 2
        pts.append((pts[-1][0] + step * math.cos(mid), pts[-1][1] + step * math.sin(mid)))
        h -= math.radians(bend) / n
    return pts


def follow_points(a: Arrow, fig: Figure, cam: b.Frame, mirror: bool) -> list[Pt]:
    """The path the ``at`` point takes from the start pose to the pose, moved by the offset."""
    pts = []
    for i in range(25):
        t = i / 24
        sk = world(interpolate(fig.ghost, fig.pose, t), fig).seen(cam)
        pts.append(xy(sk.points[a.at]))
    ox, oy = a.offset
    if mirror:
        ox = -ox
    pts = [(x + ox, y + oy) for x, y in pts]
    # Trim a little off both ends, so the arrow sits between the two positions; a short
    # path is drawn longer along its own direction, so the arrow can be seen.
    total = sum(math.dist(p, q) for p, q in zip(pts, pts[1:], strict=False))
    pts = _cut(_cut(pts, total * 0.08)[::-1], total * 0.08)[::-1]
    total *= 0.84
    if total < MIN_ARROW:
        grow = (MIN_ARROW - total) / 2
        pts = [_extend(pts[1], pts[0], grow)] + pts + [_extend(pts[-2], pts[-1], grow)]
    return pts


#: The shortest arrow drawn, in body units.
MIN_ARROW = 34.0


def _extend(before: Pt, end: Pt, length: float) -> Pt:
    d = math.dist(before, end) or 1.0
    return (end[0] + (end[0] - before[0]) / d * length, end[1] + (end[1] - before[1]) / d * length)


def _cut(seq, length):
    seq = list(seq)
    while length > 0 and len(seq) > 1:
        (x1, y1), (x0, y0) = seq[-1], seq[-2]
        seg = math.hypot(x1 - x0, y1 - y0)
        if seg > length:
            k = (seg - length) / seg
            seq[-1] = (x0 + (x1 - x0) * k, y0 + (y1 - y0) * k)
            break
        seq.pop()
        length -= seg
    return seq


def _head(tip: Pt, before: Pt, size: float = 1.0) -> tuple[Pt, ...]:
    ang = math.atan2(tip[1] - before[1], tip[0] - before[0])
    ux, uy = math.cos(ang), math.sin(ang)
    hl, hw = HEAD_LEN * size, HEAD_W * size
    bx, by = tip[0] - ux * hl, tip[1] - uy * hl
    return ((tip[0], tip[1]), (bx - uy * hw, by + ux * hw), (bx + uy * hw, by - ux * hw))


def _arrow_shapes(pts: list[Pt], heads: int, size: float = 1.0) -> list[Shape]:
    hl = HEAD_LEN * size

    # the head's direction is taken over a few units, so a curve's head points along it
    def before(seq):
        acc, i = 0.0, len(seq) - 1
        while i > 0 and acc < hl * 0.7:
            acc += math.dist(seq[i], seq[i - 1])
            i -= 1
        return seq[i]

    w = size
    out = [Shape("poly", _head(pts[-1], before(pts), size), w, "arrow", "arrow", role="arrow")]
    if heads == 2:
        out.append(Shape("poly", _head(pts[0], before(pts[::-1]), size), w, "arrow", "arrow", role="arrow"))
    line = _cut(pts, hl * 0.7)
    if heads == 2:
        line = _cut(line[::-1], hl * 0.7)[::-1]
    return [Shape("line", tuple(line), ARROW_W * (0.5 + size / 2), "arrow", role="arrow")] + out


def _samples(shapes: list[Shape]) -> list[tuple[Pt, float]]:
    """Points along an arrow's shapes, each with how far the arrow reaches round it."""
    out = []
    for s in shapes:
        pts = list(s.points) + ([s.points[0]] if s.kind == "poly" else [])
        pad = s.width / 2
        for p, q in zip(pts, pts[1:], strict=False):
            n = max(1, int(math.dist(p, q) / 2))
            out += [((p[0] + (q[0] - p[0]) * i / n, p[1] + (q[1] - p[1]) * i / n), pad) for i in range(n + 1)]
    return out


#: The torso's segments, and the lines drawn on the back (the shoulder blades and the spine).
TORSO, BACK_DETAILS = ("upper_torso", "lower_torso"), ("blade", "spine")
#: How far an arrow drawn ``on_body`` keeps from the blades and the spine, and from the limbs,
#: head and neck, in body units (such a figure is drawn larger: ``show: upper-body``).
DETAIL_GAP, ON_BODY_CLEAR = 1.0, 3.2


def _polygons(body: list[Shape], on_body: bool = False) -> list:
    """Every obstacle as (points, half stroke, bounds, slack): ``slack`` is added to the room.

    An ordinary arrow keeps CLEAR from every body shape. An arrow ``on_body`` (drawn on the back,
    beside the shoulder blades) keeps ON_BODY_CLEAR from every limb, the head and the neck, and
    DETAIL_GAP from the blades and the spine as they are now; it may lie on the torso and on the
    dashed start.
    """
    out = []
    for s in body:
        if on_body and (s.role != "body" or s.part in TORSO):
            continue
        slack = 0.0
        if on_body:
            slack = CLEAR - (DETAIL_GAP if s.part in BACK_DETAILS else ON_BODY_CLEAR)
        if s.kind == "poly":
            out.append((s.points, s.width / 2, s.bounds(), slack))
        elif on_body and s.kind == "line" and s.part in BACK_DETAILS:
            for p, q in zip(s.points, s.points[1:], strict=False):
                out.append(((p, q), s.width / 2, Shape("line", (p, q), s.width).bounds(), slack))
    return out


def clearance(arrow: list[Shape], body, limit: float = 40.0, on_body: bool = False) -> tuple[float, Pt]:
    """The least room between an arrow and the body shapes (``limit`` when none is nearer),
    and the way out of the tightest spot. ``body`` is a list of shapes or of ``_polygons``;
    for an arrow ``on_body`` the room is measured as :func:`_polygons` says."""
    polys = _polygons(body, on_body) if body and isinstance(body[0], Shape) else body
    best, away = limit, (0.0, 0.0)
    for p, pad in _samples(arrow):
        reach = best + pad
        for poly, pw, (x0, y0, x1, y1), slack in polys:
            m = reach + pw - slack
            if p[0] < x0 - m or p[0] > x1 + m or p[1] < y0 - m or p[1] > y1 + m:
                continue
            far = seg_dist(p, *poly) if len(poly) == 2 else poly_distance(p, poly)
            d = far - pw - pad + slack
            if d < best:
                best = d
                reach = best + pad
                cx = sum(q[0] for q in poly) / len(poly)
                cy = sum(q[1] for q in poly) / len(poly)
                away = (p[0] - cx, p[1] - cy)
    return best, away


def place_arrow(pts: list[Pt], heads: int, body: list[Shape], on_body: bool = False) -> list[Shape]:
    """The arrow, moved out from the body until it keeps CLEAR units from every body shape
    (an arrow ``on_body``: the room :func:`clearance` allows it on the back).

    First pushed straight away from the nearest shape; if that does not free it, the nearest
    place that is clear, trying every direction at growing distances.
    """
    polys = _polygons(body, on_body)
    start = _arrow_shapes(pts, heads, ON_BODY_SIZE if on_body else 1.0)
    if on_body:
        start = [replace(s, part="on_body") for s in start]
    shapes = start
    for _ in range(12):
        room, (ax, ay) = clearance(shapes, polys, CLEAR + 1)
        if room >= CLEAR:
            return shapes
        n = math.hypot(ax, ay)
        if n < 1e-9:
            break
        step = max(1.0, min(6.0, CLEAR - room))
        shapes = [s.moved(ax / n * step, ay / n * step) for s in shapes]
    step = 1 if on_body else 4
    for r in range(step, 160, step):
        for i in range(16):
            t = 2 * math.pi * i / 16
            moved = [s.moved(r * math.cos(t), r * math.sin(t)) for s in start]
            if clearance(moved, polys, CLEAR + 1)[0] >= CLEAR:
                return moved
    return shapes
