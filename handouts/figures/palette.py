"""The figure's colours: a brand's colours turned into outline, near, far and background
roles that stay at least 20 L* apart in greyscale."""

from __future__ import annotations

from functools import lru_cache

from handouts.colour import rgb
from handouts.model import Colours
from handouts.records import record

PROP_LINE, PROP_FILL, PROP_WALL = "#8F8F8F", "#D4D4D4", "#EDEDED"


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


@record
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
