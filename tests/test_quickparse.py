"""Plain paragraph text read without reportlab's parser (handouts/render/quickparse.py): the same
pieces as the parser's, attribute for attribute, and the same bytes in every document."""

from __future__ import annotations

import pytest
from conftest import LIBRARY
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paraparser import ParaParser

from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.read.flags import personalise
from handouts.read.programme import load_program
from handouts.read.translation import localised
from handouts.render import para, quickparse, reuse
from handouts.render.document import Document, Options, context, render

PLAIN = [
    "Prepared for: <b>Ann Example</b>",
    "<b>Week 1:</b> 1–7\xa0Dec",
    "<b>When:</b> 3\xa0times a week for 6\xa0weeks, starting 1\xa0December 2026.",
    "Your clinician: Sam Physio",
    "<b>Zoë</b>",
    "<b>a</b><b>b</b> c <b> </b>",
    "  spaces  inside and out  ",
    "greater > than, quotes \" ' and / slashes",
    "x",
]
#: what the quick way leaves to reportlab
MARKUP = [
    "",
    "Fish &amp; chips",
    "<i>italic</i>",
    "<b>open",
    "closed</b>",
    "<b></b>",
    "<b><b>nested</b></b>",
    "<para>whole</para>",
    "<B>upper</B>",
    "<b >spaced</b>",
    "line<br/>break",
    '<font color="red">red</font>',
]


def _styles(library):
    theme, _ = context(library, Options())
    yield from theme.styles.values()
    base = ParagraphStyle("plain", fontName="Helvetica", fontSize=11, textColor=colors.darkblue)
    yield base.clone("upper", textTransform="uppercase")
    yield base.clone("underlined", underlineWidth=2, underlineColor=colors.red)


def _parsed(text, style):
    parser = ParaParser()
    parser.caseSensitive = 1
    _, frags, _ = parser.parse(text, style)
    return frags


def _pattern(frags):
    """Which pieces share their lists: the index of each piece's link and underline list."""
    ids = []
    for f in frags:
        for name in ("link", "us_lines"):
            ids.append(next(i for i, g in enumerate(frags) if getattr(g, name) is getattr(f, name)))
    return ids


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_gives_the_parsers_pieces(library, text):
    for style in _styles(library):
        quick = quickparse.frags(text, style, para._style_key(style), 1)
        assert quick is not None, text
        slow = _parsed(text, style)
        assert [type(f) for f in quick] == [type(f) for f in slow]
        assert [vars(f) for f in quick] == [vars(f) for f in slow]
        assert [list(vars(f)) for f in quick] == [list(vars(f)) for f in slow]  # in the same order
        assert _pattern(quick) == _pattern(slow)
        assert quick[0].link is not slow[0].link  # a paragraph's own lists, never another's


@pytest.mark.parametrize("text", MARKUP)
def test_other_markup_is_left_to_reportlab(library, text):
    style = next(iter(_styles(library)))
    assert quickparse.frags(text, style, para._style_key(style), 1) is None


def test_lists_are_a_paragraphs_own(library):
    style = next(iter(_styles(library)))
    key = para._style_key(style)
    first = quickparse.frags("<b>a</b> b", style, key, 1)
    second = quickparse.frags("<b>a</b> b", style, key, 1)
    first[0].link.append("x")
    assert second[0].link == [] and second[1].us_lines == []
    assert first[1].link == ["x"]  # the pieces of one paragraph share theirs, as the parser's do


def test_a_style_the_parser_reads_otherwise_is_left_to_it(library, monkeypatch):
    style = next(iter(_styles(library)))
    monkeypatch.setattr(quickparse, "_TEMPLATES", {})
    monkeypatch.setattr(quickparse, "_template", lambda style, case: None)
    assert quickparse.frags("plain", style, para._style_key(style), 1) is None


def _documents(lib) -> list[bytes]:
    para.clear()
    reuse.clear()
    quickparse._TEMPLATES.clear()
    sv = localised(lib, "sv")
    programme = load_program(LIBRARY.parent / "examples" / "programme.yaml", lib)
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        out = []
        for i in range(2):
            personal = personalise(lib, "en", patient=f"Zoë Example {i}", clinician="Sam Physio", reps=5 + i)
            out.append(render(lib, Document("sheet", Options(), exercise="wall-angels", personal=personal)))
        out += [
            render(lib, Document("program", Options(), program=programme)),
            render(lib, Document("program", Options(large_print=True), program=programme)),
            render(sv, Document("sheet", Options(language="sv"), exercise="wall-angels")),
            render(lib, Document("booklet", Options())),
        ]
        return out


def test_the_same_bytes_read_either_way(library, monkeypatch):
    monkeypatch.setattr(quickparse, "ENABLED", False)
    slow = _documents(library)
    monkeypatch.setattr(quickparse, "ENABLED", True)
    calls = []
    real = quickparse._template
    monkeypatch.setattr(quickparse, "_template", lambda *a: calls.append(a) or real(*a))
    assert _documents(library) == slow
    assert calls  # the quick way was taken
