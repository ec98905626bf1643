"""Colour parsing and WCAG contrast."""

from __future__ import annotations

import re

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
#: WCAG 2 AA for normal-size text.
MIN_CONTRAST = 4.5


def rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(hex_colour: str) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#RRGGBB`` colours, from 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: Every text colour drawn on every background in the theme: (text, background).
TEXT_PAIRS = (
    ("text", "background"),
    ("muted", "background"),
    ("primary", "background"),
    ("on_primary", "primary"),
    ("text", "panel"),
    ("primary", "panel"),
    ("text", "safety_panel"),
    ("safety", "safety_panel"),
    ("safety", "background"),
)
