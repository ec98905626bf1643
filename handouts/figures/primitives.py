"""The flat shapes a figure is drawn with, and the few measures props and scenes share.

In body units: y up, the floor at 0. Kept apart from ``scene`` so ``props`` (the mat, seats,
wall and door frame) and ``scene`` (the posed body) can both use them without importing each
other.
"""

from __future__ import annotations

from dataclasses import replace

from handouts.records import record

Pt = tuple[float, float]
#: The mat's top, in body units above the floor.
MAT_TOP = 4.0
#: A seat lower or higher than this (units above the floor) means the pose is not sitting.
SEAT_LOW, SEAT_HIGH = 25.0, 75.0


@record
class Shape:
    """``line`` (a polyline), ``poly`` (a polygon) or ``circle`` (centre, radius in ``width``).

    ``stroke`` and ``fill`` are colours (or colour roles before :func:`build`); ``dash`` is
    (on, off) in body units; ``role`` is body, ghost, prop, floor or arrow; ``part`` names
    the body segment.
    """

    kind: str
    points: tuple[Pt, ...]
    width: float = 0.0
    stroke: str | None = None
    fill: str | None = None
    dash: tuple[float, float] | None = None
    role: str = ""
    part: str = ""

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        pad = self.width if self.kind == "circle" else self.width / 2
        return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad

    def moved(self, dx: float, dy: float) -> Shape:
        pts = tuple((x + dx, y + dy) for x, y in self.points)
        return replace(self, points=pts)


class SceneError(ValueError):
    """A figure that cannot be drawn as asked (the message names what and why)."""


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
