"""A posed figure, its props and arrows as flat shapes in body units (y up, floor at 0).

The renderer only scales these into a box; everything here is plain data, so a
scene is worked out once per figure and colour scheme and cached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from handouts.colour import rgb
from handouts.figures import body as b
from handouts.figures.model import Arrow, Figure, Pose
from handouts.model import Colours

Pt = tuple[float, float]
PROP_LINE, PROP_FILL, PROP_WALL = "#8A8A8A", "#C8C8C8", "#E6E6E6"
MAT_TOP = 4.0
HALO = 2.6
#: Width of the outline that rounds the torso's corners.
TORSO_ROUND = 7.0
#: A seat lower or higher than this (units above the floor) means the pose is not sitting.
SEAT_LOW, SEAT_HIGH = 25.0, 75.0


@dataclass(frozen=True)
class Shape:
    """``line`` (a polyline), ``poly`` (a filled polygon), ``circle`` (centre, radius in ``width``)."""

    kind: str
    points: tuple[Pt, ...]
    width: float = 0.0
    stroke: str | None = None
    fill: str | None = None

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        pad = self.width if self.kind == "circle" else self.width / 2
        return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad

    def moved(self, dx: float, dy: float) -> Shape:
        pts = tuple((x + dx, y + dy) for x, y in self.points)
        return Shape(self.kind, pts, self.width, self.stroke, self.fill)


class SceneError(ValueError):
    """A figure that cannot be drawn as asked (the message names what and why)."""


def tint(hex_colour: str, background: str, amount: float) -> str:
    """``hex_colour`` faded ``amount`` (0..1) of the way to ``background``."""
    a, g = rgb(hex_colour), rgb(background)
    return "#" + "".join(f"{round(255 * (x + (y - x) * amount)):02X}" for x, y in zip(a, g, strict=True))


def bounds(shapes) -> tuple[float, float, float, float]:
    bs = [s.bounds() for s in shapes]
    return min(x[0] for x in bs), min(x[1] for x in bs), max(x[2] for x in bs), max(x[3] for x in bs)


def _hull(points: list[Pt]) -> list[Pt]:
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def half(seq):
        out: list[Pt] = []
        for p in seq:
            while (
                len(out) > 1
                and (
                    (out[-1][0] - out[-2][0]) * (p[1] - out[-2][1])
                    - (out[-1][1] - out[-2][1]) * (p[0] - out[-2][0])
                )
                <= 0
            ):
                out.pop()
            out.append(p)
        return out[:-1]

    return half(pts) + half(reversed(pts))


def _xy(v) -> Pt:
    return (v[0], v[1])


def body_shapes(sk: b.Skeleton, colour: str, far: str, halo: str | None, blade: str) -> list[Shape]:
    """The body drawn back to front; far-side limbs in ``far``; no halo for a ghost."""
    pts = sk.points
    items: list[tuple[float, list[Shape]]] = []
    sections = b.torso_sections(sk)
    centre = sum(p[2] for s in sections for p in s) / sum(len(s) for s in sections)
    pieces = [
        (sum(p[2] for p in s1 + s2) / len(s1 + s2), s1 + s2)
        for s1, s2 in zip(sections, sections[1:], strict=False)
    ]
    near = max(d for d, _ in pieces)
    for d, ring in pieces:
        # Parts of the torso that reach away from the viewer fade towards the far-side colour.
        c = tint(colour, far, min(1.0, max(0.0, (near - d - 6) / 40))) if far != colour else colour
        items.append((d - 3, [Shape("poly", tuple(_hull([_xy(p) for p in ring])), TORSO_ROUND, c, c)]))
    neck = Shape("line", (_xy(pts["neck"]), _xy(pts["neck_top"])), b.NECK_WIDTH, colour)
    head = [Shape("circle", (_xy(pts["head"]),), b.HEAD_R, None, colour)]
    if halo:
        head.insert(0, Shape("circle", (_xy(pts["head"]),), b.HEAD_R + HALO, None, halo))
    items.append((pts["head"][2] - 1, [neck, *head]))
    if halo and dot_back(sk) > 0.8:
        items.append((centre - 2.9, [_blade(sk, side, blade) for side in ("left", "right")]))
    for side in ("left", "right"):
        for chain, widths in ((b.ARM_CHAIN, b.ARM_WIDTHS), (b.LEG_CHAIN, b.LEG_WIDTHS)):
            p3 = [pts[f"{side}_{j}"] for j in chain]
            depth = sum(p[2] for p in p3[:3]) / 3
            c = far if depth < centre - 7 else colour
            line = [_xy(p) for p in p3]
            # The halo starts part way down the limb, so the limb grows out of the torso.
            (ax, ay), (bx, by) = line[0], line[1]
            root = (ax + (bx - ax) * 0.45, ay + (by - ay) * 0.45)
            shapes = [Shape("line", (root, *line[1:]), max(widths) + 2 * HALO, halo)] if halo else []
            shapes += [Shape("line", (line[i], line[i + 1]), w, c) for i, w in enumerate(widths)]
            lower = sum(p[2] for p in p3[1:]) / 3
            if chain is b.ARM_CHAIN and lower < pts["head"][2] - 4 < depth:
                # A hand reaching behind the head (hands clasped behind it): the forearm and hand
                # go behind the head, the upper arm stays in front.
                upper = [Shape("line", (root, line[1]), max(widths) + 2 * HALO, halo)] if halo else []
                fore = [Shape("line", tuple(line[1:]), max(widths[1:]) + 2 * HALO, halo)] if halo else []
                items.append((depth + 3, upper + shapes[-3:-2]))
                items.append((lower + 3, fore + shapes[-2:]))
                continue
            items.append((depth + 3, shapes))
    items.sort(key=lambda it: it[0])
    return [s for _, group in items for s in group]


def dot_back(sk: b.Skeleton) -> float:
    """How squarely the back faces the viewer (1 = seen straight from behind)."""
    return -sk.thorax.x[2]


def _blade(sk: b.Skeleton, side: str, colour: str) -> Shape:
    sign = -1.0 if side == "left" else 1.0
    p = sk.points[f"{side}_blade"]
    # The point is the inner (spine-side) edge: a triangle with its long edge along the spine.
    corners = ((0.0, 7.0, 0.0), (0.0, 7.0, 6.5 * sign), (0.0, -11.0, 0.5 * sign))
    pts = tuple(_xy(b.add(p, sk.thorax(c))) for c in corners)
    return Shape("poly", pts, 3.0, colour, colour)


def _lowest(shapes) -> float:
    return min(s.bounds()[1] for s in shapes)


def _place(shapes: list[Shape], support: float) -> tuple[list[Shape], float]:
    dy = support - _lowest(shapes)
    return [s.moved(0.0, dy) for s in shapes], dy


def _seat_top(sk: b.Skeleton, dy: float) -> float:
    sec = b.torso_sections(sk)[0]
    hips = [sk.points[f"{s}_hip"][1] - b.LEG_WIDTHS[0] / 2 for s in ("left", "right")]
    return min([p[1] for p in sec] + hips) + dy


def _arrow(a: Arrow, anchors: dict[str, Pt], mirror: bool, colour: str, halo: str) -> list[Shape]:
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
    head_len, head_w, width = 12.0, 7.5, 3.8
    heads = [_head(pts[-1], pts[-2], head_len, head_w, colour)]
    if a.heads == 2:
        heads.append(_head(pts[0], pts[1], head_len, head_w, colour))
    line = _trimmed_line(pts, head_len * 0.6, head_len * 0.6 if a.heads == 2 else 0.0, width, colour)
    # A thin outline in the background colour keeps the arrow readable over the figure.
    rim = [
        Shape(s.kind, s.points, s.width + 2 * HALO, halo, halo if s.kind == "poly" else None) for s in heads
    ]
    rim.insert(0, Shape("line", line.points, width + 2 * HALO, halo))
    return rim + [line] + heads


def _trimmed_line(pts, end_cut, start_cut, width, colour) -> Shape:
    def cut(seq, length):
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

    pts = cut(pts, end_cut)
    pts = cut(reversed(pts), start_cut)[::-1]
    return Shape("line", tuple(pts), width, colour)


def _head(tip: Pt, before: Pt, length: float, width: float, colour: str) -> Shape:
    ang = math.atan2(tip[1] - before[1], tip[0] - before[0])
    ux, uy = math.cos(ang), math.sin(ang)
    bx, by = tip[0] - ux * length, tip[1] - uy * length
    pts = ((tip[0], tip[1]), (bx - uy * width, by + ux * width), (bx + uy * width, by - ux * width))
    return Shape("poly", pts, 1.2, colour, colour)


def _posed(pose: Pose, fig: Figure, colours: Colours, ghost: bool):
    sk = b.pose_body(pose, fig.view, fig.facing)
    if ghost:
        # On a grey wall the usual faint ghost all but vanishes; keep it a shade darker there.
        on_wall = any(p.kind == "wall" for p in fig.props)
        g = tint(colours.primary, colours.background, 0.62 if on_wall else 0.8)
        shapes = body_shapes(sk, g, g, None, g)
    else:
        far = tint(colours.primary, colours.background, 0.5)
        blade = tint(colours.primary, colours.background, 0.62)
        shapes = body_shapes(sk, colours.primary, far, colours.background, blade)
    if fig.view == "top":  # seen from above, the floor is the page itself
        return sk, shapes, 0.0
    support = MAT_TOP if any(p.kind == "mat" for p in fig.props) else 0.0
    shapes, dy = _place(shapes, support)
    return sk, shapes, dy


@lru_cache(maxsize=512)
def build(fig: Figure, colours: Colours) -> tuple[Shape, ...]:
    """Every shape of the panel, back to front, in body units."""
    from handouts.figures.props import prop_shapes

    sk, body, dy = _posed(fig.pose, fig, colours, ghost=False)
    ghost = _posed(fig.ghost, fig, colours, ghost=True)[1] if fig.ghost is not None else []
    anchors = {k: (v[0], v[1] + dy) for k, v in sk.points.items()}
    walls, back = prop_shapes(fig, sk, body + ghost, anchors, _seat_top(sk, dy))
    mirror = fig.view in ("side", "top") and fig.facing == "left"
    arrows = [s for a in fig.arrows for s in _arrow(a, anchors, mirror, colours.text, colours.background)]
    if fig.view == "top":
        return tuple(walls + back + ghost + body + arrows)
    x0, _, x1, _ = bounds(back + ghost + body + arrows)
    floor = Shape("line", ((x0 - 6, 0.0), (x1 + 6, 0.0)), 2.4, PROP_LINE)
    return tuple(walls + [floor] + back + ghost + body + arrows)


def problems(fig: Figure) -> list[str]:
    """Why a figure cannot be drawn as asked (empty when it can)."""
    from handouts.model import Colours as C

    plain = C(*(["#000000"] * 8))
    try:
        build(fig, plain)
    except SceneError as exc:
        return [str(exc)]
    return []
