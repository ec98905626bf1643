"""A pose placed in the world and seen by the exercise's camera; poses between two poses."""

from __future__ import annotations

from handouts.figures import body as b
from handouts.figures.model import LIMB_JOINTS, Figure, Pose
from handouts.figures.primitives import (
    MAT_TOP,
)


def camera_frame(fig: Figure) -> b.Frame:
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


def interpolate(a: Pose, c: Pose, t: float) -> Pose:
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
