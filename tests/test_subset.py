"""Font subsets from glyphs read once (handouts/pdf/subset.py): reportlab's bytes, every time."""

from __future__ import annotations

import random

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

from handouts import glyphs
from handouts.pdf import fonts, subset

STYLES = ("regular", "bold", "italic", "bolditalic")


def _subsets(font, seed: int) -> list[list[int]]:
    """Subsets as documents make them: code 0 first, then characters in the order first used;
    some the font lacks; up to the 256 a subset holds."""
    rng = random.Random(seed)
    chars = sorted(font.face.charToGlyph)
    out = [[0], [0, 32], [0, *range(32, 127)], [0, 0x4E2D, 0x10FFFF]]
    for _ in range(60):
        picked = rng.sample(chars, rng.randint(1, min(255, len(chars))))
        if rng.random() < 0.3:
            picked.insert(rng.randrange(len(picked) + 1), 0x4E2D)  # not in the font: its .notdef
        out.append([0, *picked][:256])
    return out


@pytest.mark.parametrize("style", STYLES)
def test_a_subset_is_reportlabs_byte_for_byte(style):
    path = str(glyphs.font_path(style))
    ours, theirs = fonts.Font(f"SubsetCheck-{style}", path), TTFont(f"SubsetPlain-{style}", path)
    assert isinstance(ours.face.makeSubset, subset.Subsetter)
    for codes in _subsets(theirs, seed=len(style)):
        assert ours.face.makeSubset(codes) == theirs.face.makeSubset(codes), codes


def test_composite_glyphs_bring_their_components():
    """A font's accented letters are often composites: their parts join the subset, renumbered."""
    path = str(glyphs.font_path("regular"))
    font = fonts.Font("SubsetComposite", path)
    read = font.face.makeSubset._read_font()
    composites = [g for g, parts in enumerate(read[1]) if parts]
    if not composites:
        pytest.skip("the shipped font has no composite glyphs")
    to_char = {g: c for c, g in font.face.charToGlyph.items()}
    codes = [0, *(to_char[g] for g in composites if g in to_char)][:256]
    assert len(codes) > 1
    plain = TTFont("SubsetCompositePlain", path)
    assert font.face.makeSubset(codes) == plain.face.makeSubset(codes)


def test_off_and_odd_fonts_use_reportlabs_own(monkeypatch):
    path = str(glyphs.font_path("regular"))
    font = fonts.Font("SubsetFallback", path)
    calls = []
    original = font.face.makeSubset.original
    font.face.makeSubset.original = lambda codes: calls.append(codes) or original(codes)
    monkeypatch.setattr(subset, "ENABLED", False)
    expected = font.face.makeSubset([0, 65, 66])
    assert calls == [[0, 65, 66]]
    monkeypatch.setattr(subset, "ENABLED", True)

    def odd(self):
        raise ValueError("a glyph runs past the end of the font")

    monkeypatch.setattr(subset.Subsetter, "_read_font", odd)
    assert font.face.makeSubset([0, 65, 66]) == expected  # the first: reportlab's, nothing read
    assert font.face.makeSubset([0, 65, 66]) == expected  # the font read, and found odd
    assert len(calls) == 3 and font.face.makeSubset._failed


def test_the_font_is_read_once_and_only_for_a_second_subset():
    font = fonts.Font("SubsetOnce", str(glyphs.font_path("bold")))
    maker = font.face.makeSubset
    maker([0, 65])
    assert maker._read is None  # one document's one subset: reportlab's, the font not read
    maker([0, 66, 67])
    first = maker._read
    assert first is not None
    maker([0, 68])
    assert maker._read is first
    assert isinstance(font.face, TTFontFile)
