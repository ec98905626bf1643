"""Which characters the shipped fonts can draw.

The fonts' character maps are read straight from the TrueType files (a few
dozen lines of struct), so checking text does not have to load reportlab.
"""

from __future__ import annotations

import struct
import unicodedata
from functools import lru_cache
from pathlib import Path

from handouts import resources

FONT_FILES = {
    "regular": "AtkinsonHyperlegible-Regular.ttf",
    "bold": "AtkinsonHyperlegible-Bold.ttf",
    "italic": "AtkinsonHyperlegible-Italic.ttf",
    "bolditalic": "AtkinsonHyperlegible-BoldItalic.ttf",
}


def font_path(style: str) -> Path:

    return resources.font(FONT_FILES[style])


def cmap(path: Path) -> set[int]:
    """The code points a TrueType font maps to a glyph other than .notdef (cmap formats 4 and 12)."""
    data = path.read_bytes()
    (num_tables,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for i in range(num_tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = offset
    base = tables[b"cmap"]
    _, count = struct.unpack_from(">HH", data, base)
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        subtables[(platform, encoding)] = base + offset
    points: set[int] = set()
    if (3, 10) in subtables:  # format 12: full Unicode
        at = subtables[(3, 10)]
        (groups,) = struct.unpack_from(">I", data, at + 12)
        for g in range(groups):
            start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
            points.update(range(start, end + 1) if glyph else range(start + 1, end + 1))
        return points
    at = subtables.get((3, 1), subtables.get((0, 3)))
    if at is None:
        raise ValueError(f"{path.name}: no Unicode character map")
    fmt, _, _, seg2 = struct.unpack_from(">HHHH", data, at)
    if fmt != 4:
        raise ValueError(f"{path.name}: unsupported cmap format {fmt}")
    segs = seg2 // 2
    ends = struct.unpack_from(f">{segs}H", data, at + 14)
    starts = struct.unpack_from(f">{segs}H", data, at + 16 + seg2)
    deltas = struct.unpack_from(f">{segs}h", data, at + 16 + 2 * seg2)
    range_at = at + 16 + 3 * seg2
    offsets = struct.unpack_from(f">{segs}H", data, range_at)
    for i in range(segs):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                where = range_at + 2 * i + offsets[i] + 2 * (code - starts[i])
                (glyph,) = struct.unpack_from(">H", data, where)
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                points.add(code)
    return points


@lru_cache(maxsize=1)
def drawable() -> frozenset[int]:
    """Code points every face of the family can draw (the intersection)."""
    sets = [cmap(font_path(s)) for s in FONT_FILES]
    return frozenset(set.intersection(*sets))


def missing(text: str) -> str | None:
    """The first character of ``text`` the fonts cannot draw, or None."""
    have = drawable()
    for ch in text:
        if ch != "\n" and ord(ch) not in have:
            return ch
    return None


def cannot_draw(text: str) -> str | None:
    """What to tell the user when the fonts cannot draw a character of ``text``, or None."""
    ch = missing(text)
    if ch is None:
        return None
    return f"the font cannot draw {ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')})"
