"""Paragraphs drawn once per process (handouts/render/drawn.py): the same bytes as drawing each
one, and nothing about a patient kept."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import SimpleDocTemplate

from handouts.pdf import fonts
from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.read.flags import personalise
from handouts.read.translation import localised
from handouts.render import drawn, para
from handouts.render.document import Document, Options, render
from handouts.render.theme import FONT, register_fonts

NAME = "Zoë O'Brien-Smythe"
CLINICIAN = "Dr Wilhelmina Quackenbush"


@pytest.fixture
def lib(library):
    return library


def _documents(lib) -> list[bytes]:
    sv = localised(lib, "sv")
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        personal = personalise(lib, "en", patient=NAME, clinician=CLINICIAN, reps=8)
        other = personalise(lib, "en", patient="Ann Example", reps=12)
        return [
            render(lib, Document("sheet", Options(), exercise="wall-angels")),
            render(lib, Document("sheet", Options(), exercise="wall-angels", personal=personal)),
            render(lib, Document("sheet", Options(), exercise="wall-angels", personal=other)),
            render(lib, Document("sheet", Options(large_print=True), exercise="cat-cow", personal=personal)),
            render(lib, Document("sheet", Options(paper="letter"), exercise="doorway-stretch")),
            render(lib, Document("booklet", Options())),
            render(sv, Document("sheet", Options(language="sv"), exercise="thoracic-rotation")),
            render(sv, Document("sheet", Options(language="sv"), exercise="wall-angels")),
            render(sv, Document("booklet", Options(language="sv"))),
        ]


def test_paragraphs_drawn_once_write_the_same_bytes(lib, monkeypatch):
    monkeypatch.setattr(drawn, "ENABLED", False)
    monkeypatch.setattr(fonts, "ENABLED", False)
    drawn.clear()
    plain = _documents(lib)
    assert drawn.kept() == 0
    monkeypatch.setattr(drawn, "ENABLED", True)
    monkeypatch.setattr(fonts, "ENABLED", True)
    hits = []
    real = drawn._fits
    monkeypatch.setattr(drawn, "_fits", lambda doc, used: hits.append(real(doc, used)) or hits[-1])
    first = _documents(lib)
    again = _documents(lib)
    assert drawn.kept() > 50, "few paragraphs were kept"
    assert hits.count(True) > 500, "kept paragraphs were seldom written again"
    assert first == plain
    assert again == plain


def test_a_kept_paragraph_asks_nothing_of_a_document_that_has_its_letters(lib, monkeypatch):
    """Once a page's first lines have named the fonts and coded the letters, writing a kept
    paragraph again asks the fonts nothing (asking would change nothing)."""
    drawn.clear()
    asks, fits = [], []
    ask, fit = drawn._ask, drawn._fits
    monkeypatch.setattr(drawn, "_ask", lambda doc, calls: asks.append(1) or ask(doc, calls))
    monkeypatch.setattr(drawn, "_fits", lambda doc, used: fits.append(fit(doc, used)) or fits[-1])
    _documents(lib)
    _documents(lib)
    assert fits.count(True) > 500
    assert len(asks) < fits.count(True) / 4


def test_nothing_about_a_patient_is_kept(lib):
    drawn.clear()
    _documents(lib)
    assert drawn.kept()
    ops = " ".join(op for variants in list(drawn._KEPT.values()) for entry in variants for op in entry[0])
    for secret in ("O'Brien", "Smythe", "Quackenbush", "Wilhelmina", "Ann Example"):
        assert secret.encode("latin-1").hex() not in ops.encode("latin-1").hex()
        assert secret not in ops


def _one_page(paragraphs) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, invariant=1)
    doc.build(list(paragraphs))
    return buf.getvalue()


def test_a_kept_paragraph_is_drawn_again_where_the_document_codes_its_letters_otherwise(monkeypatch):
    """'é' takes one code in a document where 'ü' came first and another where it did not:
    'Café crème', kept from the second document (a paragraph is kept the second time it is
    drawn), does not fit the third and is drawn afresh (and kept too); the fourth, like the
    second, gets the operators kept from it."""
    register_fonts()
    style = ParagraphStyle("t", fontName=FONT["regular"], fontSize=12, leading=15)

    def pages():
        with para.document():
            return [
                _one_page([para.Paragraph(first, style), para.Paragraph("Café crème", style)])
                for first in ("Plain é è", "Plain ü é è", "Plain é è", "Plain ü é è")
            ]

    monkeypatch.setattr(drawn, "ENABLED", False)
    plain = pages()
    monkeypatch.setattr(drawn, "ENABLED", True)
    drawn.clear()
    verdicts = []
    real = drawn._fits
    monkeypatch.setattr(drawn, "_fits", lambda doc, used: verdicts.append(real(doc, used)) or verdicts[-1])
    assert pages() == plain
    assert False in verdicts, "the kept 'Café crème' was never refused"
    assert True in verdicts, "nothing kept was written again"


def test_a_kept_paragraph_whose_letters_fall_in_another_subset_elsewhere(monkeypatch):
    """A paragraph kept where its letter took a code in the font's second subset (the first was
    full) is asked for again in a document where the letter lands in the first: asking must not
    name a subset that document lacks; the paragraph is drawn afresh there, as reportlab would."""
    register_fonts()
    font = pdfmetrics.getFont(FONT["regular"])
    extra = [chr(c) for c in sorted(font.face.charToGlyph) if c > 0xA0][:240]
    letter = extra.pop()
    style = ParagraphStyle("t", fontName=FONT["regular"], fontSize=12, leading=15)
    filler = " ".join(extra)

    def pages():
        with para.document():
            return [
                _one_page([para.Paragraph(first, style), para.Paragraph(f"A {letter} here", style)])
                for first in (filler, filler, "plain", filler)
            ]

    monkeypatch.setattr(drawn, "ENABLED", False)
    plain = pages()
    monkeypatch.setattr(drawn, "ENABLED", True)
    drawn.clear()
    assert pages() == plain


def test_a_kept_paragraph_asks_the_document_for_what_drawing_it_asks(monkeypatch):
    """A paragraph kept where something before it had already raised the PDF version still raises
    it in a document where nothing had (reportlab writes the version it was asked for)."""
    register_fonts()
    style = ParagraphStyle("t", fontName=FONT["regular"], fontSize=12, leading=15)

    def pages():
        with para.document():
            return [
                _one_page([para.Paragraph(text, style) for text in texts])
                for texts in (["Alpha", "Beta"], ["Alpha", "Beta"], ["Beta"])
            ]

    monkeypatch.setattr(drawn, "ENABLED", False)
    plain = pages()
    assert all(page.startswith(b"%PDF-1.4") for page in plain)
    monkeypatch.setattr(drawn, "ENABLED", True)
    drawn.clear()
    assert pages() == plain
