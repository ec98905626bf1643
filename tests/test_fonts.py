"""Text encoded with one lookup (handouts/pdf/fonts.py): what reportlab's own loop encodes."""

from __future__ import annotations

import random

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from handouts import glyphs
from handouts.pdf import fonts
from handouts.render.theme import FONT, register_fonts


class _Doc:
    """What a font's per-document state is keyed by."""


def _texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    # ASCII, Latin-1, typography, Swedish, a no-break space, controls, a character the font lacks,
    # and enough distinct characters to fill the first subset and open a second
    pool = (
        [chr(c) for c in range(32, 127)]
        + [chr(c) for c in range(0xA0, 0x180)]
        + list("—–‘’“”•…→✓\t\n\x7f")
        + ["\u4e2d"]
    )
    texts = ["plain words", "", "Ångström — 10 s\u00a0each", "åäö ÅÄÖ", "a\u4e2db"]
    for _ in range(300):
        texts.append("".join(rng.choice(pool) for _ in range(rng.randint(0, 40))))
    return texts


def test_one_lookup_encodes_as_reportlab_does():
    path = str(glyphs.font_path("regular"))
    fast, slow = fonts.Font("FastCheck", path), TTFont("SlowCheck", path)
    for seed in range(3):
        doc_fast, doc_slow = _Doc(), _Doc()
        for text in _texts(seed):
            assert fast.splitString(text, doc_fast) == slow.splitString(text, doc_slow), repr(text)
        a, b = fast.state[doc_fast], slow.state[doc_slow]
        assert (a.assignments, a.subsets, a.nextCode) == (b.assignments, b.subsets, b.nextCode)
        assert len(a.subsets) > 1, "the texts never opened a second subset"


def test_the_lookup_answers_most_runs(monkeypatch):
    """Not a test that cannot fail: reportlab's loop is asked only for runs with new characters."""
    font = fonts.Font("CountCheck", str(glyphs.font_path("regular")))
    calls = []
    real = TTFont.splitString
    monkeypatch.setattr(
        TTFont, "splitString", lambda self, *a, **k: calls.append(a[0]) or real(self, *a, **k)
    )
    doc = _Doc()
    for text in ["Hello — world", "Hello — world", "Hello again", "naïve", "naïve — Hello"]:
        font.splitString(text, doc)
    # the first run numbers its new characters; 'naïve' brings ï; then everything is known
    assert calls == ["Hello — world", "naïve"]


def test_fonts_registered_for_pages_encode_with_one_lookup():
    register_fonts()
    for name in FONT.values():
        assert isinstance(pdfmetrics.getFont(name), fonts.Font)


def test_the_italic_faces_are_read_when_first_used():
    """Registering reads the faces every document prints; the italic ones are read from their
    files the first time anything asks them for more than their name, once, whichever thread asks."""
    import subprocess
    import sys

    code = (
        "import sys, threading\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "from handouts.pdf import fonts\n"
        "from handouts.render.theme import FONT, register_fonts\n"
        "register_fonts()\n"
        "unread = [s for s, n in FONT.items() if '_unread' in vars(pdfmetrics.getFont(n))]\n"
        "print(sorted(unread), len(fonts.made()))\n"
        "italic = pdfmetrics.getFont(FONT['italic'])\n"
        "widths = []\n"
        "threads = [threading.Thread(target=lambda: widths.append(italic.stringWidth('Notes', 12)))\n"
        "           for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(len(set(widths)), len(widths), len(fonts.made()), '_unread' in vars(italic))\n"
        "print(italic.face.name, pdfmetrics.getFont(FONT['bolditalic']).face.name)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, second, third = done.stdout.splitlines()
    assert first == "['bolditalic', 'italic'] 2"
    assert second == "1 8 3 False"  # read once, the same width for every thread
    assert third.split() == ["b'AtkinsonHyperlegible-Italic'", "b'AtkinsonHyperlegible-BoldItalic'"]


def test_an_unread_face_is_reportlabs_font_once_read():
    register_fonts()
    italic = pdfmetrics.getFont(FONT["italic"])
    plain = TTFont("PlainItalicForTest", str(glyphs.font_path("italic")))
    text = "Slowly, and only as far as is comfortable — 10 s"
    assert italic.stringWidth(text, 11) == plain.stringWidth(text, 11)
    assert isinstance(italic, fonts.Font) and "_unread" not in vars(italic)
    assert pdfmetrics.getFont(FONT["regular"]) is not italic
