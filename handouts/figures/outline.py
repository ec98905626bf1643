"""The body as outlined line art: every segment a closed shape with a dark outline and a light
fill, painted back to front by depth; the head shows which way the person faces; a start pose
is a dashed outline."""

from __future__ import annotations

import math

from handouts.figures import body as b
from handouts.figures.model import DASHED_PARTS
from handouts.figures.primitives import (
    Pt,
    Shape,
    _hull,
)
from handouts.records import record

#: Outline width of a body segment, and of a start pose's dashes, in body units.
OUTLINE, GHOST_LINE = 2.0, 2.2
#: Dash and gap of a start pose's outline, in body units.
DASH = (7.0, 4.0)
#: A thin stroke in the fill's own colour hides the seams between the pieces of one segment.
SEAM = 1.2
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


def xy(v) -> Pt:
    return (v[0], v[1])


def capsule(a: Pt, ra: float, c: Pt, rc: float, n: int = 14) -> tuple[Pt, ...]:
    """A closed tapered capsule: the hull of a circle of radius ``ra`` at ``a`` and ``rc`` at ``c``."""
    pts = []
    for (x, y), r in ((a, ra), (c, rc)):
        for i in range(n):
            t = 2 * math.pi * i / n
            pts.append((x + r * math.cos(t), y + r * math.sin(t)))
    return tuple(_hull(pts))


def seg_dist(p: Pt, a: Pt, c: Pt) -> float:
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
    return min(seg_dist(p, poly[i], poly[(i + 1) % n]) for i in range(n))


@record
class Segment:
    """One body segment on the page: its convex pieces, depth, and fill role."""

    part: str
    pieces: tuple[tuple[Pt, ...], ...]
    depth: float
    fill: str


def _head_outline(sk: b.Skeleton) -> tuple[Pt, ...]:
    """The head: a circle with a nose on the side it faces, when seen from the side."""
    cx, cy = xy(sk.points["head"])
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
    cx, cy = xy(sk.points["head"])
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
    c = xy(sk.points["head"])
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
            tuple(_hull([xy(p) for p in r1 + r2])) for r1, r2 in zip(group, group[1:], strict=False)
        )
        depth = sum(p[2] for r in group for p in r) / sum(len(r) for r in group)
        out.append(Segment(part, pieces, depth - 4, "near"))
    neck = capsule(xy(pts["neck"]), 4.6, xy(pts["neck_top"]), 4.4)
    out.append(Segment("neck", (neck,), (pts["neck"][2] + pts["neck_top"][2]) / 2 - 6, "near"))
    out.append(Segment("head", (_head_outline(sk),), pts["head"][2], "near"))
    for side in ("left", "right"):
        arm_far, leg_far = f"{side}_arm" in far_set, f"{side}_leg" in far_set
        for name, j0, j1, r0, r1 in LIMB_SEGMENTS:
            a, c = pts[f"{side}_{j0}"], pts[f"{side}_{j1}"]
            if name == "foot":  # the heel sits a little behind the ankle
                a = b.add(a, b.scale(b.unit(b.add(c, b.scale(a, -1))), -3.0))
            far = arm_far if name in ("upper_arm", "forearm", "hand") else leg_far
            shape = capsule(xy(a), r0, xy(c), r1)
            depth = (a[2] + c[2]) / 2
            out.append(Segment(f"{side}_{name}", (shape,), depth, "far" if far else "near"))
    return out


def back_details(sk: b.Skeleton) -> list[Shape]:
    """Seen from behind: the spine and both shoulder blades, drawn on the upper back."""
    if -sk.thorax.x[2] < 0.6:
        return []
    pts = sk.points
    spine = (xy(b.add(pts["neck"], sk.thorax((-10.0, -4.0, 0.0)))), xy(pts["waist"]))
    out = [Shape("line", spine, OUTLINE * 0.8, "outline", role="body", part="spine")]
    for side in ("left", "right"):
        sign = -1.0 if side == "left" else 1.0
        p = pts[f"{side}_blade"]
        corners = ((0.0, 8.0, 0.0), (0.0, 7.0, 5.0 * sign), (0.0, -9.0, 1.5 * sign))
        tri = tuple(xy(b.add(p, sk.thorax(c))) for c in corners)
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
