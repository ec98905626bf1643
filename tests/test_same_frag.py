"""Whether two fragments of a paragraph print alike: Handouts' same_frag (handouts/render/para.py)
answers as reportlab's own C function does, for every pair of fragments of paragraphs using each
kind of markup, and reportlab's line breaking calls it."""

from __future__ import annotations

import itertools

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as reportlab_paragraph

from handouts.render import para

MARKUP = [
    "Plain text with several words and 20 kg",
    "Some <b>bold</b>, some <i>italic</i> and <b><i>both</i></b> words",
    'A <font color="#ff0000">red</font> and a <font color="#00ff00" size="14">large green</font> word',
    'A <a href="https://example.org/x">link</a> and <link href="#here">another</link> here',
    "Up<super>2</super> and down<sub>3</sub> and <u>underlined</u> and <strike>struck</strike>",
    'A <span backColor="#ffff00">marked</span> word and a <nobr>kept together run</nobr>',
    "Line one<br/>line two<br/>line three",
    'An <onDraw name="x" label="y"/> callback between words',
    "Mixed <b>bold <font color='#123456'>blue <u>under</u></font></b> end",
]


def fragments():
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10)
    frags = []
    for text in MARKUP:
        p = Paragraph(text, style)
        frags += p.frags
        p.wrap(120, 1000)  # line breaking clones fragments and adds more
        frags += [f for line in getattr(p.blPara, "lines", []) for f in getattr(line, "words", [])]
    return frags


def test_same_frag_answers_as_reportlabs_own():
    frags = fragments()
    assert len(frags) > 40
    own = para.same_frag.__wrapped__
    assert own is not para.same_frag
    answers = [(bool(own(f, g)), para.same_frag(f, g)) for f, g in itertools.product(frags, repeat=2)]
    assert all(a == b for a, b in answers)
    assert {a for a, _ in answers} == {True, False}  # both answers were asked for


def test_reportlab_breaks_lines_with_it(monkeypatch):
    assert reportlab_paragraph.sameFrag is para.same_frag
    called = []
    monkeypatch.setattr(
        reportlab_paragraph, "sameFrag", lambda f, g: called.append(1) or para.same_frag(f, g)
    )
    Paragraph("Some <b>bold</b> and plain words " * 6, ParagraphStyle("t")).wrap(100, 1000)
    assert called


@pytest.mark.parametrize("other", [object(), "text", 3])
def test_what_is_not_a_fragment_goes_to_reportlabs_own(other):
    frag = fragments()[0]
    own = para.same_frag.__wrapped__
    try:
        want = bool(own(frag, other))
    except Exception as e:  # noqa: BLE001 - whatever reportlab's raises, ours raises too
        with pytest.raises(type(e)):
            para.same_frag(frag, other)
        return
    assert para.same_frag(frag, other) == want
