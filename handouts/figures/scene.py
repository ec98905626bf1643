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
from dataclasses import replace
from functools import lru_cache

from handouts.figures import body as b
from handouts.figures.arrows import arc_points, follow_points, place_arrow
from handouts.figures.model import Figure, Pose
from handouts.figures.outline import body_shapes, far_limbs, ghost_shapes, start_blades, xy
from handouts.figures.palette import palette
from handouts.figures.posing import camera_frame, seat_height, world
from handouts.figures.primitives import (
    Pt,
    SceneError,
    Shape,
)
from handouts.figures.props import prop_shapes
from handouts.model import Colours

# -- the scene --------------------------------------------------------------------------------


def _posed(pose: Pose, fig: Figure):
    """The posed skeleton as the camera sees it."""
    return world(pose, fig).seen(camera_frame(fig))


@lru_cache(maxsize=512)
def geometry(fig: Figure) -> tuple[Shape, ...]:
    """Every shape of the panel, back to front, in body units, with colour roles."""

    cam = camera_frame(fig)
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
    anchors = {k: xy(v) for k, v in sk.points.items()}
    solid = body + [s for s in ghost if s.fill is None]
    arrows: list[Shape] = []
    for a in fig.arrows:
        if a.follow and fig.ghost is not None:
            pts = follow_points(a, fig, cam, mirror)
        else:
            pts = arc_points(a, anchors, mirror)
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
