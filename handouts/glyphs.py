"""Which characters the shipped fonts can draw."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT_FILES = {
    "regular": "AtkinsonHyperlegible-Regular.ttf",
    "bold": "AtkinsonHyperlegible-Bold.ttf",
    "italic": "AtkinsonHyperlegible-Italic.ttf",
    "bolditalic": "AtkinsonHyperlegible-BoldItalic.ttf",
}


def font_path(style: str) -> Path:
    return FONT_DIR / FONT_FILES[style]


@lru_cache(maxsize=1)
def drawable() -> frozenset[int]:
    """Code points every face of the family can draw (the intersection)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    sets = [set(TTFontFile(str(font_path(s))).charToGlyph) for s in FONT_FILES]
    return frozenset(set.intersection(*sets))


def missing(text: str) -> str | None:
    """The first character of ``text`` the fonts cannot draw, or None."""
    have = drawable()
    for ch in text:
        if ch != "\n" and ord(ch) not in have:
            return ch
    return None
