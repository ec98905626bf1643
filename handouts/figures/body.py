"""A simple 3-D stick figure posed by joint angles and projected onto the page.

Units are about a centimetre of a 170 cm adult. The body frame is X forward,
Y up, Z to the body's right; the page is x right, y up, z towards the viewer.
Each limb is worked out for its side's outward direction, so left and right
mirror exactly.
"""

from __future__ import annotations

import math

from handouts.figures.model import Pose
from handouts.records import record

Vec = tuple[float, float, float]
X, Y, Z = (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)

LUMBAR, THORAX = 22.0, 26.0
UPPER_ARM, FOREARM, HAND = 28.0, 25.0, 9.0
THIGH, SHIN, FOOT = 44.0, 42.0, 18.0
HEAD_R = 11.0


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def unit(a: Vec) -> Vec:
    n = math.sqrt(dot(a, a))
    return a if n < 1e-9 else scale(a, 1 / n)


def mix(a: Vec, b: Vec, deg: float) -> Vec:
    """``a`` turned ``deg`` degrees towards ``b`` (both unit and at right angles)."""
    r = math.radians(deg)
    return add(scale(a, math.cos(r)), scale(b, math.sin(r)))


class Frame:
    """An orthonormal frame (three unit vectors in the parent's coordinates)."""

    def __init__(self, x: Vec = X, y: Vec = Y, z: Vec = Z):
        self.x, self.y, self.z = x, y, z

    def __call__(self, v: Vec) -> Vec:
        return add(add(scale(self.x, v[0]), scale(self.y, v[1])), scale(self.z, v[2]))

    def turn(self, a: Vec, b: Vec, deg: float) -> Frame:
        """This frame turned ``deg`` about the axis a x b (local vectors), moving a towards b."""
        k = unit(self(cross(a, b)))
        return Frame(*(rotate(v, k, deg) for v in (self.x, self.y, self.z)))


def rotate(v: Vec, k: Vec, deg: float) -> Vec:
    """Rodrigues: ``v`` turned ``deg`` about the unit axis ``k``."""
    r = math.radians(deg)
    c, s = math.cos(r), math.sin(r)
    return add(add(scale(v, c), scale(cross(k, v), s)), scale(k, dot(k, v) * (1 - c)))


def camera_frame(azimuth: float, elevation: float) -> Frame:
    """The page vectors of the world's X (forward), Y (up) and Z (right) seen by a camera.

    Azimuth 0 looks at the person's right side, 90 at their front, -90 at their back;
    elevation lifts the eye above them.
    """
    a, e = math.radians(azimuth), math.radians(elevation)
    ca, sa, ce, se = math.cos(a), math.sin(a), math.cos(e), math.sin(e)
    return Frame((ca, -se * sa, ce * sa), (0.0, ce, se), (-sa, -se * ca, ce * ca))


@record(frozen=False)
class Skeleton:
    """Named 3-D points of a posed body, plus the frames the drawing needs."""

    points: dict[str, Vec]
    pelvis: Frame
    thorax: Frame
    head: Frame

    def moved(self, dy: float) -> Skeleton:
        """The skeleton lifted ``dy`` (world or page y)."""
        pts = {k: (v[0], v[1] + dy, v[2]) for k, v in self.points.items()}
        return Skeleton(pts, self.pelvis, self.thorax, self.head)

    def seen(self, cam: Frame) -> Skeleton:
        """The world skeleton in page coordinates (x right, y up, z towards the eye)."""

        def f(fr: Frame) -> Frame:
            return Frame(cam(fr.x), cam(fr.y), cam(fr.z))

        pts = {k: cam(v) for k, v in self.points.items()}
        return Skeleton(pts, f(self.pelvis), f(self.thorax), f(self.head))

    def lowest(self) -> float:
        """The lowest y of the body's surface (joints less their half widths, torso, head)."""
        p = self.points
        low = [p["head"][1] - HEAD_R] + [q[1] for ring in torso_sections(self, 12) for q in ring]
        for side in ("left", "right"):
            for chain, widths in ((ARM_CHAIN, ARM_WIDTHS), (LEG_CHAIN, LEG_WIDTHS)):
                for j, w in zip(chain, widths + (widths[-1] * 0.8,), strict=True):
                    low.append(p[f"{side}_{j}"][1] - w / 2)
        return min(low)


def _arm(p: Pose, side: str, t: Frame, shoulder: Vec, out: Vec, pts: dict) -> None:
    a = lambda n: p.angle(n, side)  # noqa: E731
    plane, elev = a("arm_plane"), a("shoulder")
    d = mix(X, out, plane)
    u = mix((0.0, -1.0, 0.0), d, elev)
    k = unit(cross((0.0, -1.0, 0.0), d))
    f, g = rotate(X, k, elev), rotate(out, k, elev)
    f = mix(f, g, a("arm_turn"))
    e = mix(u, f, a("elbow"))
    e_perp = mix(f, scale(u, -1), a("elbow"))
    h = mix(e, e_perp, a("wrist"))
    elbow = add(shoulder, t(scale(u, UPPER_ARM)))
    wrist = add(elbow, t(scale(e, FOREARM)))
    pts[f"{side}_elbow"], pts[f"{side}_wrist"] = elbow, wrist
    pts[f"{side}_hand"] = add(wrist, t(scale(h, HAND)))


def _leg(p: Pose, side: str, pf: Frame, hip: Vec, out: Vec, pts: dict) -> None:
    a = lambda n: p.angle(n, side)  # noqa: E731
    down = (0.0, -1.0, 0.0)
    leg = Frame().turn(down, out, a("hip_side"))
    leg = Frame(*(Frame().turn(down, X, a("hip"))(v) for v in (leg.x, leg.y, leg.z)))
    u, f, g = leg(down), leg((-1.0, 0.0, 0.0)), leg(out)
    f = mix(f, scale(g, -1), a("hip_turn"))
    s = mix(u, f, a("knee"))
    s_fwd = scale(mix(f, scale(u, -1), a("knee")), -1)
    foot = mix(s_fwd, s, a("ankle"))
    knee = add(hip, pf(scale(u, THIGH)))
    ankle = add(knee, pf(scale(s, SHIN)))
    pts[f"{side}_knee"], pts[f"{side}_ankle"] = knee, ankle
    pts[f"{side}_toe"] = add(ankle, pf(scale(foot, FOOT)))


def pose_body(p: Pose) -> Skeleton:
    """Work out every body point of ``p`` in the world (X forward, Y up, Z right), the hip centre
    at (x, 0, 0)."""
    pelvis = Frame()
    pelvis = pelvis.turn(X, (0.0, 0.0, -1.0), p.angle("turn"))
    pelvis = pelvis.turn(Y, X, p.angle("trunk")).turn(Y, (0.0, 0.0, -1.0), p.angle("trunk_side"))
    thorax = pelvis.turn(X, (0.0, 0.0, -1.0), p.angle("spine_turn"))
    thorax = thorax.turn(Y, (0.0, 0.0, -1.0), p.angle("spine_side")).turn(Y, X, p.angle("spine"))
    head = thorax.turn(Y, X, p.angle("neck")).turn(Y, (0.0, 0.0, -1.0), p.angle("neck_side"))
    root = (p.x, 0.0, 0.0)
    pts: dict[str, Vec] = {"pelvis": root}
    waist = add(root, pelvis((0.0, LUMBAR, 0.0)))
    neck = add(waist, thorax((0.0, THORAX, 0.0)))
    pts.update(waist=waist, neck=neck, chest=add(waist, thorax((2.0, 14.0, 0.0))))
    pts["head"] = add(neck, head((2.0, 19.0, 0.0)))
    pts["neck_top"] = add(neck, head((1.0, 8.0, 0.0)))
    for side, sign in (("left", -1.0), ("right", 1.0)):
        out = (0.0, 0.0, sign)
        shoulder = add(neck, thorax((0.0, -5.0, 17.0 * sign)))
        pts[f"{side}_shoulder"] = shoulder
        blade = 5.2 - 0.15 * p.angle("blade", side)  # 6.7 apart (-10) .. 0.7, at the spine (30)
        pts[f"{side}_blade"] = add(neck, thorax((-11.0, -14.0, blade * sign)))
        _arm(p, side, thorax, shoulder, out, pts)
        hip = add(root, pelvis((0.0, -2.0, 9.0 * sign)))
        pts[f"{side}_hip"] = hip
        _leg(p, side, pelvis, hip, out, pts)
    return Skeleton(pts, pelvis, thorax, head)


ARM_CHAIN = ("shoulder", "elbow", "wrist", "hand")
LEG_CHAIN = ("hip", "knee", "ankle", "toe")
ARM_WIDTHS = (11.0, 9.5, 8.0)
LEG_WIDTHS = (13.0, 11.0, 7.5)
#: Torso cross-sections at the hips, waist and chest: (centre in its frame, half width, half depth).
SECTIONS = (((-3.0, -3.0, 0.0), 14.0, 12.0), ((-1.0, 0.0, 0.0), 12.5, 10.0), ((-1.0, -9.0, 0.0), 16.0, 12.0))
SAMPLES = 7


def _lerp(a: Vec, b: Vec, t: float) -> Vec:
    return add(scale(a, 1 - t), scale(b, t))


def torso_sections(sk: Skeleton, n: int = 24) -> list[list[Vec]]:
    """Outlines of cross-sections along a smooth curve from the hips to the chest."""
    pf, tf = sk.pelvis, sk.thorax
    p0 = add(sk.points["pelvis"], pf(SECTIONS[0][0]))
    p1 = add(sk.points["waist"], pf(SECTIONS[1][0]))
    p2 = add(sk.points["neck"], tf(SECTIONS[2][0]))
    # Pull the control point so the curve passes through the waist itself: a bent back
    # (an arched sway back or a rounded hump) then shows its full curve.
    p1 = add(scale(p1, 2.0), scale(add(p0, p2), -0.5))
    rings = []
    for i in range(SAMPLES):
        t = i / (SAMPLES - 1)
        c = _lerp(_lerp(p0, p1, t), _lerp(p1, p2, t), t)
        ax, az = unit(_lerp(pf.x, tf.x, t)), unit(_lerp(pf.z, tf.z, t))
        lo, hi, k = (SECTIONS[0], SECTIONS[1], 2 * t) if t < 0.5 else (SECTIONS[1], SECTIONS[2], 2 * t - 1)
        rings.append((c, ax, az, lo[1] + (hi[1] - lo[1]) * k, lo[2] + (hi[2] - lo[2]) * k))
    # Rounded ends: the seat below the hips and the shoulders above the chest.
    for frame, (c, ax, az, w, d), sign, depth in ((pf, rings[0], -1, 7.5), (tf, rings[-1], 1, 7.0)):
        caps = []
        for h in (0.45, 0.75, 0.95):
            k = math.sqrt(1 - h * h)
            caps.append((add(c, frame.y and scale(frame.y, sign * h * depth)), ax, az, w * k, d * k))
        rings = caps[::-1] + rings if sign < 0 else rings + caps
    out = []
    for c, ax, az, w, d in rings:
        ring = []
        for j in range(n):
            a = 2 * math.pi * j / n
            ring.append(add(c, add(scale(ax, d * math.sin(a)), scale(az, w * math.cos(a)))))
        out.append(ring)
    return out
