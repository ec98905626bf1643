"""A posed figure, its props and arrows as flat shapes in body units (y up, floor at 0).

The body is drawn as outlined line art: every segment (head, neck, upper and lower
torso, upper arm, forearm, hand, thigh, shin, foot) is a closed shape with a dark
outline and a light fill, painted back to front by its depth as the camera sees it.
Limbs on the far side get a darker fill than near ones. A start pose (``ghost``) is a
dashed outline. Arrows keep clear of every body shape.

Shapes carry colour *roles* (``outline``, ``near`` ...); :func:`build` turns them into
the brand's colours through :func:`palette`, so the geometry is worked out once per figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from handouts.colour import rgb
from handouts.figures import body as b
from handouts.figures.model import DASHED_PARTS, LIMB_JOINTS, Arrow, Figure, Pose
from handouts.figures.primitives import (  # noqa: F401 - shapes and measures, used here and re-exported
    MAT_TOP,
    SEAT_HIGH,
    SEAT_LOW,
    Pt,
    SceneError,
    Shape,
    _hull,
    bounds,
)
from handouts.figures.props import prop_shapes
from handouts.model import Colours

PROP_LINE, PROP_FILL, PROP_WALL = "#8F8F8F", "#D4D4D4", "#EDEDED"
#: Outline width of a body segment, and of a start pose's dashes, in body units.
OUTLINE, GHOST_LINE = 2.0, 2.2
#: Dash and gap of a start pose's outline, in body units.
DASH = (7.0, 4.0)
#: A thin stroke in the fill's own colour hides the seams between the pieces of one segment.
SEAM = 1.2
#: Room kept between an arrow and every body shape, in body units.
CLEAR = 8.0
ARROW_W, HEAD_LEN, HEAD_W = 3.6, 14.0, 8.5
#: Arrows drawn on the back (beside the shoulder blades) are this much smaller.
ON_BODY_SIZE = 0.5
#: Radii (half widths) at the two ends of each limb segment.
LIMB_SEGMENTS = (
    ("upper_arm", "shoulder", "elbow", 5.6, 4.7),
    ("forearm", "elbow", "wrist", 4.6, 3.6),
    ("hand", "wrist", "hand", 3.9, 3.0),
    ("thigh", "hip", "knee", 7.2, 5.4),
    ("shin", "knee", "ankle", 5.3, 3.7),
    ("foot", "ankle", "toe", 3.8, 2.6),
)
BODY_PARTS = ("head", "neck", "upper_torso", "lower_torso") + tuple(
    f"{s}_{seg[0]}" for s in ("left", "right") for seg in LIMB_SEGMENTS
)


# -- colour -----------------------------------------------------------------------------------


def lstar(hex_colour: str) -> float:
    """CIE L* (0 black .. 100 white) of a ``#RRGGBB`` colour: its lightness in greyscale."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, bl = (lin(c) for c in rgb(hex_colour))
    y = 0.2126 * r + 0.7152 * g + 0.0722 * bl
    f = y ** (1 / 3) if y > (6 / 29) ** 3 else y / (3 * (6 / 29) ** 2) + 4 / 29
    return 116 * f - 16


def tint(hex_colour: str, background: str, amount: float) -> str:
    """``hex_colour`` faded ``amount`` (0..1) of the way to ``background``."""
    a, g = rgb(hex_colour), rgb(background)
    return "#" + "".join(f"{round(255 * (x + (y - x) * amount)):02X}" for x, y in zip(a, g, strict=True))


def shade(hex_colour: str, target: float) -> str:
    """``hex_colour`` mixed with white or black until its L* is ``target``."""
    target = min(100.0, max(0.0, target))
    towards = "#FFFFFF" if lstar(hex_colour) < target else "#000000"
    lo, hi = 0.0, 1.0
    for _ in range(24):
        mid = (lo + hi) / 2
        if (lstar(tint(hex_colour, towards, mid)) < target) == (towards == "#FFFFFF"):
            lo = mid
        else:
            hi = mid
    return tint(hex_colour, towards, hi)


@dataclass(frozen=True)
class Palette:
    background: str
    outline: str
    near: str
    far: str
    hair: str
    arrow: str
    prop_line: str = PROP_LINE
    prop_fill: str = PROP_FILL
    wall: str = PROP_WALL

    def __call__(self, role: str | None) -> str | None:
        if role is None or role.startswith("#"):
            return role
        return getattr(self, role)


#: L* steps between background, near fill, far fill and outline (at least 20 apart in greyscale).
L_STEP = 21.5


@lru_cache(maxsize=64)
def palette(colours: Colours) -> Palette:
    """Body colours from the brand: a dark outline, a light near fill and a mid far fill,
    each at least 20 L* from the others and from the background."""
    bg = colours.background
    lb = lstar(bg)
    sign = -1.0 if lb >= 50 else 1.0
    near = shade(colours.primary, lb + sign * L_STEP)
    far = shade(colours.primary, lb + sign * 2 * L_STEP)
    outline = shade(colours.primary, lb + sign * 75.0)
    return Palette(bg, outline, near, far, outline, colours.text)


# -- geometry helpers -------------------------------------------------------------------------


def _xy(v) -> Pt:
    return (v[0], v[1])


def capsule(a: Pt, ra: float, c: Pt, rc: float, n: int = 14) -> tuple[Pt, ...]:
    """A closed tapered capsule: the hull of a circle of radius ``ra`` at ``a`` and ``rc`` at ``c``."""
    pts = []
    for (x, y), r in ((a, ra), (c, rc)):
        for i in range(n):
            t = 2 * math.pi * i / n
            pts.append((x + r * math.cos(t), y + r * math.sin(t)))
    return tuple(_hull(pts))


def _seg_dist(p: Pt, a: Pt, c: Pt) -> float:
    ax, ay = a
    dx, dy = c[0] - ax, c[1] - ay
    n = dx * dx + dy * dy
    t = 0.0 if n < 1e-12 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / n))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


def _inside(p: Pt, poly) -> bool:
    x, y = p
    inside = False
    n = len(poly)
    for i in range(n):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def poly_distance(p: Pt, poly) -> float:
    """Distance from ``p`` to a closed polygon's area (0 inside)."""
    if _inside(p, poly):
        return 0.0
    n = len(poly)
    return min(_seg_dist(p, poly[i], poly[(i + 1) % n]) for i in range(n))


# -- the body ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One body segment on the page: its convex pieces, depth, and fill role."""

    part: str
    pieces: tuple[tuple[Pt, ...], ...]
    depth: float
    fill: str


def _head_outline(sk: b.Skeleton) -> tuple[Pt, ...]:
    """The head: a circle with a nose on the side it faces, when seen from the side."""
    cx, cy = _xy(sk.points["head"])
    fwd, up = sk.head.x, sk.head.y
    fx, fy = fwd[0] - 0.2 * up[0], fwd[1] - 0.2 * up[1]
    m = math.hypot(fwd[0], fwd[1])
    amp = 0.2 * max(0.0, min(1.0, (m - 0.35) / 0.45))
    face = math.atan2(fy, fx)
    out = []
    r = b.HEAD_R
    for i in range(48):
        t = 2 * math.pi * i / 48
        d = math.atan2(math.sin(t - face), math.cos(t - face))
        k = 1 + amp * math.exp(-((d / 0.2) ** 2))
        out.append((cx + r * k * math.cos(t), cy + r * k * math.sin(t)))
    return tuple(out)


def _hair(sk: b.Skeleton) -> tuple[Pt, ...] | None:
    """The hair over the back and top of the head, as the camera sees it (None if hidden)."""
    cx, cy = _xy(sk.points["head"])
    fwd, up = sk.head.x, sk.head.y
    h = b.unit(b.add(b.scale(fwd, -0.9), b.scale(up, 0.45)))
    c = 0.2
    outer, inner, ok = [], [], []
    n = 72
    for i in range(n):
        phi = 2 * math.pi * i / n
        a = h[0] * math.cos(phi) + h[1] * math.sin(phi)
        amp = math.hypot(a, h[2])
        if amp <= c:
            ok.append(False)
            outer.append(None)
            inner.append(None)
            continue
        t0, dl = math.atan2(a, h[2]), math.acos(c / amp)
        lo, hi = max(0.0, t0 - dl), min(math.pi / 2, t0 + dl)
        if lo >= hi:
            ok.append(False)
            outer.append(None)
            inner.append(None)
            continue
        ok.append(True)
        rr = b.HEAD_R
        outer.append((cx + rr * math.sin(hi) * math.cos(phi), cy + rr * math.sin(hi) * math.sin(phi)))
        inner.append((cx + rr * math.sin(lo) * math.cos(phi), cy + rr * math.sin(lo) * math.sin(phi)))
    if not any(ok):
        return None
    if all(ok):
        return tuple(outer)
    start = next(i for i in range(n) if not ok[i] and ok[(i + 1) % n])
    order = [(start + 1 + j) % n for j in range(n)]
    run = []
    for i in order:
        if not ok[i]:
            break
        run.append(i)
    pts = [outer[i] for i in run] + [inner[i] for i in reversed(run)]
    return tuple(pts) if len(pts) >= 3 else None


def _head_details(sk: b.Skeleton) -> list[Shape]:
    """Hair, ear and eyes: which way the person faces."""
    out: list[Shape] = []
    c = _xy(sk.points["head"])
    r = b.HEAD_R
    hair = _hair(sk)
    if hair:
        out.append(Shape("poly", hair, OUTLINE * 0.5, "hair", "hair", role="body", part="head"))
    fwd, up, right = sk.head.x, sk.head.y, sk.head.z
    for s in (1.0, -1.0):
        n = b.unit(b.add(b.scale(right, s), b.scale(fwd, -0.15)))
        if n[2] > 0.3:
            e = (c[0] + r * 0.8 * n[0], c[1] + r * 0.8 * n[1] - 0.05 * r)
            u = b.unit((up[0], up[1], 0.0))
            v = (-u[1], u[0])
            a1, a2 = 0.3 * r, 0.2 * r * max(0.45, n[2])
            pts = tuple(
                (
                    e[0] + a1 * u[0] * math.cos(t) + a2 * v[0] * math.sin(t),
                    e[1] + a1 * u[1] * math.cos(t) + a2 * v[1] * math.sin(t),
                )
                for t in (2 * math.pi * i / 14 for i in range(14))
            )
            out.append(Shape("poly", pts, OUTLINE * 0.7, "outline", "near", role="body", part="head"))
        eye = b.unit(b.add(b.add(b.scale(fwd, 0.82), b.scale(up, 0.18)), b.scale(right, 0.38 * s)))
        if eye[2] > 0.2:
            p = (c[0] + r * eye[0], c[1] + r * eye[1])
            out.append(Shape("circle", (p,), 0.11 * r, None, "outline", role="body", part="head"))
    return out


def far_limbs(sk: b.Skeleton) -> frozenset[str]:
    """Which limbs (``left_arm``, ``right_leg`` ...) are on the far side of the body."""
    pts = sk.points
    rings = b.torso_sections(sk, 20)
    centre = sum(p[2] for r in rings for p in r) / sum(len(r) for r in rings)
    out = set()
    for side in ("left", "right"):
        if (pts[f"{side}_shoulder"][2] + pts[f"{side}_elbow"][2]) / 2 < centre - 6:
            out.add(f"{side}_arm")
        if (pts[f"{side}_hip"][2] + pts[f"{side}_knee"][2]) / 2 < centre - 5:
            out.add(f"{side}_leg")
    return frozenset(out)


def segments(sk: b.Skeleton, far_set: frozenset[str] | None = None) -> list[Segment]:
    """Every body segment of a posed skeleton on the page.

    ``far_set`` names the limbs filled as far ones; by default those on the far side now. A
    panel passes its start pose's, so a limb keeps its fill as it moves.
    """
    pts = sk.points
    out: list[Segment] = []
    rings = b.torso_sections(sk, 20)
    mid = len(rings) // 2
    far_set = far_limbs(sk) if far_set is None else far_set
    for part, group in (("lower_torso", rings[: mid + 1]), ("upper_torso", rings[mid:])):
        pieces = tuple(
            tuple(_hull([_xy(p) for p in r1 + r2])) for r1, r2 in zip(group, group[1:], strict=False)
        )
        depth = sum(p[2] for r in group for p in r) / sum(len(r) for r in group)
        out.append(Segment(part, pieces, depth - 4, "near"))
    neck = capsule(_xy(pts["neck"]), 4.6, _xy(pts["neck_top"]), 4.4)
    out.append(Segment("neck", (neck,), (pts["neck"][2] + pts["neck_top"][2]) / 2 - 6, "near"))
    out.append(Segment("head", (_head_outline(sk),), pts["head"][2], "near"))
    for side in ("left", "right"):
        arm_far, leg_far = f"{side}_arm" in far_set, f"{side}_leg" in far_set
        for name, j0, j1, r0, r1 in LIMB_SEGMENTS:
            a, c = pts[f"{side}_{j0}"], pts[f"{side}_{j1}"]
            if name == "foot":  # the heel sits a little behind the ankle
                a = b.add(a, b.scale(b.unit(b.add(c, b.scale(a, -1))), -3.0))
            far = arm_far if name in ("upper_arm", "forearm", "hand") else leg_far
            shape = capsule(_xy(a), r0, _xy(c), r1)
            depth = (a[2] + c[2]) / 2
            out.append(Segment(f"{side}_{name}", (shape,), depth, "far" if far else "near"))
    return out


def back_details(sk: b.Skeleton) -> list[Shape]:
    """Seen from behind: the spine and both shoulder blades, drawn on the upper back."""
    if -sk.thorax.x[2] < 0.6:
        return []
    pts = sk.points
    spine = (_xy(b.add(pts["neck"], sk.thorax((-10.0, -4.0, 0.0)))), _xy(pts["waist"]))
    out = [Shape("line", spine, OUTLINE * 0.8, "outline", role="body", part="spine")]
    for side in ("left", "right"):
        sign = -1.0 if side == "left" else 1.0
        p = pts[f"{side}_blade"]
        corners = ((0.0, 8.0, 0.0), (0.0, 7.0, 5.0 * sign), (0.0, -9.0, 1.5 * sign))
        tri = tuple(_xy(b.add(p, sk.thorax(c))) for c in corners)
        out.append(Shape("poly", tri, OUTLINE, "outline", "far", role="body", part="blade"))
    return out


def start_blades(start: b.Skeleton, sk: b.Skeleton) -> list[Shape]:
    """Seen from behind: where the shoulder blades started, dashed, when they have moved."""
    old = [s for s in back_details(start) if s.kind == "poly"]
    new = [s for s in back_details(sk) if s.kind == "poly"]
    if not old or all(
        math.dist(p, q) < 1.0
        for a, c in zip(old, new, strict=False)
        for p, q in zip(a.points, c.points, strict=False)
    ):
        return []
    return [
        Shape("poly", s.points, GHOST_LINE * 0.6, "outline", None, (3.0, 2.0), "ghost", "start") for s in old
    ]


def body_shapes(sk: b.Skeleton, far_set: frozenset[str] | None = None) -> list[Shape]:
    """The body, back to front, as outlined segments (colour roles)."""
    segs = sorted(segments(sk, far_set), key=lambda s: s.depth)
    out: list[Shape] = []
    for seg in segs:
        if len(seg.pieces) == 1:
            out.append(Shape("poly", seg.pieces[0], OUTLINE, "outline", seg.fill, role="body", part=seg.part))
        else:  # one outline round the union of the pieces: a wide outline pass, then the fills
            out += [
                Shape("poly", p, 2 * OUTLINE + SEAM, "outline", seg.fill, role="body", part=seg.part)
                for p in seg.pieces
            ]
            out += [
                Shape("poly", p, SEAM, seg.fill, seg.fill, role="body", part=seg.part) for p in seg.pieces
            ]
        if seg.part == "head":
            out += _head_details(sk)
        if seg.part == "upper_torso":
            out += back_details(sk)
    return out


def _same(a: Segment, c: Segment, tol: float = 6.0) -> bool:
    if len(a.pieces) != len(c.pieces):
        return False
    for p, q in zip(a.pieces, c.pieces, strict=True):
        if len(p) != len(q) or any(math.dist(u, v) > tol for u, v in zip(p, q, strict=True)):
            return False
    return True


def ghost_shapes(sk: b.Skeleton, final: b.Skeleton | None = None, only: tuple[str, ...] = ()) -> list[Shape]:
    """The start pose: one dashed outline round the parts that move, their inside left clear.

    Segments where the start and the finish are the same are left out (the finish covers them);
    ``only`` (names from ``DASHED_PARTS``) limits the outline to those parts.
    """
    segs = segments(sk)
    if only:
        keep = {seg for name in only for seg in DASHED_PARTS[name]}
        segs = [s for s in segs if s.part in keep]
    if final is not None:
        done = {s.part: s for s in segments(final)}
        segs = [s for s in segs if not (s.part in done and _same(s, done[s.part]))]
    pieces = [p for seg in segs for p in seg.pieces]
    lines = [Shape("poly", p, 2 * GHOST_LINE + SEAM, "outline", None, DASH, "ghost", "start") for p in pieces]
    fills = [Shape("poly", p, SEAM, "background", "background", None, "ghost", "start") for p in pieces]
    return lines + fills


# -- posing and placing -----------------------------------------------------------------------


def _camera(fig: Figure) -> b.Frame:
    cam = fig.cam
    return b.camera_frame(cam.azimuth, cam.elevation)


def _support(fig: Figure) -> float:
    return MAT_TOP if any(p.kind == "mat" for p in fig.props) else 0.0


def world(pose: Pose, fig: Figure) -> b.Skeleton:
    """The posed body in the world, resting on the floor or mat."""
    sk = b.pose_body(pose)
    return sk.moved(_support(fig) - sk.lowest())


def seat_height(sk: b.Skeleton) -> float:
    """How high the seat of a (world) body is above the floor."""
    sec = b.torso_sections(sk)[0]
    hips = [sk.points[f"{s}_hip"][1] - b.LEG_WIDTHS[0] / 2 for s in ("left", "right")]
    return min([p[1] for p in sec] + hips)


def _interpolate(a: Pose, c: Pose, t: float) -> Pose:
    names = {k for k, _ in a.angles} | {k for k, _ in c.angles}

    def value(p: Pose, k: str) -> float:
        if k.startswith(("left_", "right_")):
            side, base = k.split("_", 1)
            return p.angle(base, side)
        return p.angle(k)

    # A side-less joint may be overridden by a sided one: spell every joint out per side.
    full = set()
    for k in names:
        base = k.split("_", 1)[1] if k.startswith(("left_", "right_")) else k
        if base in LIMB_JOINTS:
            full |= {f"left_{base}", f"right_{base}"}
        else:
            full.add(k)
    angles = tuple(sorted((k, value(a, k) + (value(c, k) - value(a, k)) * t) for k in full))
    return Pose(angles, a.x + (c.x - a.x) * t)


# -- arrows -----------------------------------------------------------------------------------


def _arc_points(a: Arrow, anchors: dict[str, Pt], mirror: bool) -> list[Pt]:
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


def _follow_points(a: Arrow, fig: Figure, cam: b.Frame, mirror: bool) -> list[Pt]:
    """The path the ``at`` point takes from the start pose to the pose, moved by the offset."""
    pts = []
    for i in range(25):
        t = i / 24
        sk = world(_interpolate(fig.ghost, fig.pose, t), fig).seen(cam)
        pts.append(_xy(sk.points[a.at]))
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
            far = _seg_dist(p, *poly) if len(poly) == 2 else poly_distance(p, poly)
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


# -- the scene --------------------------------------------------------------------------------


def _posed(pose: Pose, fig: Figure):
    """The posed skeleton as the camera sees it."""
    return world(pose, fig).seen(_camera(fig))


@lru_cache(maxsize=512)
def geometry(fig: Figure) -> tuple[Shape, ...]:
    """Every shape of the panel, back to front, in body units, with colour roles."""

    cam = _camera(fig)
    wsk = world(fig.pose, fig)
    sk = wsk.seen(cam)
    start = _posed(fig.ghost, fig) if fig.ghost is not None else None
    body = body_shapes(sk, far_limbs(start) if start is not None else None)
    ghost, blades = [], []
    if fig.ghost is not None:
        start = _posed(fig.ghost, fig)
        ghost, blades = ghost_shapes(start, sk, fig.dashed), start_blades(start, sk)
    walls, floor, back = prop_shapes(fig, wsk, cam, body + ghost, seat_height(wsk))
    mirror = math.cos(math.radians(fig.cam.azimuth)) < -0.5
    anchors = {k: _xy(v) for k, v in sk.points.items()}
    solid = body + [s for s in ghost if s.fill is None]
    arrows: list[Shape] = []
    for a in fig.arrows:
        if a.follow and fig.ghost is not None:
            pts = _follow_points(a, fig, cam, mirror)
        else:
            pts = _arc_points(a, anchors, mirror)
        arrows += place_arrow(pts, a.heads, solid, a.on_body)
    shapes = walls + ghost + floor + back + body + blades + arrows
    if fig.show == "upper-body":
        shapes = crop_below(shapes, upper_body_cut(sk))
    return tuple(shapes)


#: Room kept below the lowest hand of an upper-body picture, in body units.
CUT_MARGIN = 4.0


def upper_body_cut(sk: b.Skeleton) -> float:
    """Where an upper-body picture ends: a little below the hands and the hips, on the page."""
    p = sk.points
    low = [p[f"{s}_{j}"][1] for s in ("left", "right") for j in ("hand", "wrist", "hip")]
    return min(low) - CUT_MARGIN


def _clip_poly(points, cut: float) -> tuple[Pt, ...]:
    """The part of a polygon at or above ``y = cut`` (Sutherland-Hodgman, one edge)."""
    out: list[Pt] = []
    n = len(points)
    for i in range(n):
        p, q = points[i], points[(i + 1) % n]
        pin, qin = p[1] >= cut, q[1] >= cut
        if pin:
            out.append(p)
        if pin != qin:
            t = (cut - p[1]) / (q[1] - p[1])
            out.append((p[0] + (q[0] - p[0]) * t, cut))
    return tuple(out)


def _clip_line(points, cut: float) -> list[tuple[Pt, ...]]:
    runs: list[list[Pt]] = [[]]
    for p, q in zip(points, points[1:], strict=False):
        pin, qin = p[1] >= cut, q[1] >= cut
        if pin and not runs[-1]:
            runs[-1].append(p)
        if pin != qin:
            t = (cut - p[1]) / (q[1] - p[1])
            runs[-1].append((p[0] + (q[0] - p[0]) * t, cut))
            if pin:
                runs.append([])
        if qin:
            runs[-1].append(q)
    return [tuple(r) for r in runs if len(r) >= 2]


def crop_below(shapes: list[Shape], cut: float) -> list[Shape]:
    """Every shape cut off at ``y = cut``: the floor and anything wholly below it go; the
    picture then starts at the cut (its new floor)."""
    out: list[Shape] = []
    for s in shapes:
        if s.role == "floor":
            continue
        if s.kind == "poly":
            pts = _clip_poly(s.points, cut)
            if len(pts) >= 3:
                out.append(replace(s, points=pts))
        elif s.kind == "line":
            out += [replace(s, points=r) for r in _clip_line(s.points, cut)]
        elif s.points[0][1] - s.width >= cut:
            out.append(s)
    return [s.moved(0.0, -cut) for s in out]


@lru_cache(maxsize=512)
def build(fig: Figure, colours: Colours) -> tuple[Shape, ...]:
    """Every shape of the panel, back to front, in body units, in the brand's colours."""
    pal = palette(colours)
    return tuple(replace(s, stroke=pal(s.stroke), fill=pal(s.fill)) for s in geometry(fig))


def problems(fig: Figure) -> list[str]:
    """Why a figure cannot be drawn as asked (empty when it can)."""
    try:
        geometry(fig)
    except SceneError as exc:
        return [str(exc)]
    return []
