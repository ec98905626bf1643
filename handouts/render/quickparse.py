"""Paragraph text read without reportlab's markup parser, when it is plain words and bold.

reportlab reads a paragraph's markup with ``html.parser``, about 50 microseconds a paragraph.
The library's words are read once per process (see :mod:`handouts.render.para`), but a
patient's own lines ("Prepared for: <b>Ann Example</b>", the dates of a progress log) are read
afresh for every document, and a batch reads some fifteen of them for each programme. Most are
plain words with at most a bold run. For such text the pieces reportlab would make are copies of
two it makes once per style: a normal and a bold piece, each with the run's words. This module
makes those copies; anything else (an entity, any other tag, a bold run left open) is read by
reportlab as before.

The pieces are the parser's own, attribute for attribute, and share one list of links and one
of underlines per paragraph as the parser's do (a test compares the two over many texts).
"""

from __future__ import annotations

import re

from reportlab.platypus.paraparser import ParaParser

#: Off, every paragraph is read by reportlab (the tests compare the bytes both ways).
ENABLED = True
#: Text read here: no entity, no tag but ``<b>`` runs holding words, none nested.
_PLAIN = re.compile(r"[^<&]*(?:<b>[^<&]+</b>[^<&]*)*")
_BOLD = re.compile(r"<b>([^<&]+)</b>")
#: (style key, case sensitive) -> the parser's (normal, bold) pieces' attributes, or None where
#: the parser's pieces for a style are not as expected (then reportlab reads every text)
_TEMPLATES: dict = {}
#: Styles remembered at most (a theme has a few dozen).
LIMIT = 256
_MISSING = object()


def _template(style, case_sensitive):
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    parsed_style, frags, bullet = parser.parse("x<b>y</b>", style)
    if parsed_style is not style or bullet or not frags or len(frags) != 2:
        return None
    normal, bold = frags
    shared = ("link", "us_lines")
    if (normal.text, bold.text) != ("x", "y") or type(normal) is not type(bold):
        return None
    for name in shared:  # one empty list of each, shared by the paragraph's pieces
        a, b = getattr(normal, name, None), getattr(bold, name, None)
        if a is not b or a != [] or type(a) is not list:
            return None
    return type(normal), dict(vars(normal)), dict(vars(bold))


def frags(text: str, style, style_key, case_sensitive) -> list | None:
    """reportlab's parsed pieces of ``text`` (already cleaned) in ``style``, or None when the text
    is not plain words and bold runs, or the quick way is off."""
    if not ENABLED or not text or not _PLAIN.fullmatch(text):
        return None
    key = (style_key, case_sensitive)
    template = _TEMPLATES.get(key, _MISSING)
    if template is _MISSING:
        template = _template(style, case_sensitive)
        if len(_TEMPLATES) >= LIMIT:
            _TEMPLATES.clear()
        _TEMPLATES[key] = template
    if template is None:
        return None
    cls, normal, bold = template
    link, lines = [], []
    out = []

    def piece(attrs, words):
        frag = cls.__new__(cls)
        frag.__dict__.update(attrs)
        frag.link, frag.us_lines, frag.text = link, lines, words
        out.append(frag)

    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            piece(normal, text[pos : m.start()])
        piece(bold, m.group(1))
        pos = m.end()
    if pos < len(text):
        piece(normal, text[pos:])
    return out


def forget() -> None:
    """Forget the pieces made for every style (for tests, and should a style or a font family
    change after its first use)."""
    _TEMPLATES.clear()
