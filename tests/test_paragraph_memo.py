"""Paragraphs remember their parsing and line breaking (handouts/render/para.py): the pages do not
change, a split paragraph is still whole, and nothing about a patient stays in the shared memo."""

from __future__ import annotations

import contextlib
import dataclasses
import io

import pytest
from conftest import LIBRARY, ROOT
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as PlainParagraph

from handouts.compose import week_dates
from handouts.i18n import labels as catalogue
from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.read.flags import personalise
from handouts.read.translation import localised
from handouts.render import para
from handouts.render.document import Document, Options, render

NAME = "Zoë O'Brien-Smythe & Co 42 Quixotic"
CLINICIAN = "Dr Wilhelmina Quackenbush"
NOTES = "Mind the left knee, Zoë; 3 sets only"


@pytest.fixture(scope="module")
def lib():
    from handouts.read.library import load_library

    return load_library(LIBRARY)


def _documents(lib) -> list[bytes]:
    sv = localised(lib, "sv")
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        personal = personalise(lib, "en", patient=NAME, clinician=CLINICIAN, reps=8)
        return [
            render(lib, Document("sheet", Options(), exercise="wall-angels")),
            render(lib, Document("sheet", Options(), exercise="wall-angels", personal=personal)),
            render(lib, Document("sheet", Options(large_print=True), exercise="cat-cow", personal=personal)),
            render(lib, Document("booklet", Options())),
            # Swedish: hyphenated, where a paragraph's bytes once depended on its wraps before
            render(sv, Document("sheet", Options(language="sv"), exercise="thoracic-rotation")),
            render(sv, Document("booklet", Options(language="sv"))),
        ]


def test_remembered_paragraphs_write_the_same_bytes(lib, monkeypatch):
    monkeypatch.setattr(para, "ENABLED", False)
    para.clear()
    plain = _documents(lib)
    assert not para.shared_texts()
    monkeypatch.setattr(para, "ENABLED", True)
    first = _documents(lib)  # each paragraph worked out once, then remembered
    assert para.shared_texts(), "nothing was remembered"
    again = _documents(lib)  # every paragraph remembered
    assert first == plain
    assert again == plain


def _words(text: str) -> str:
    return para._canon(text)


def test_nothing_about_a_patient_stays_in_the_shared_memo(lib):
    para.clear()
    _documents(lib)
    texts = [_words(t) for t in para.shared_texts()]
    assert texts
    for secret in (NAME, CLINICIAN, "O'Brien", "Quixotic", "Quackenbush"):
        words = _words(secret)
        assert not [t for t in texts if words in t], f"{secret!r} was kept after its document"
    assert para._DOCUMENT.get() is None  # the document's own memo went with it


@pytest.mark.parametrize(
    "text",
    [
        "Ann&nbsp;Example",  # as markup would keep a name together
        "Prepared for: <b>Ann\u00a0Example</b>",
        "prepared for ann   example.",
        "ANN EXAMPLE",
        "Ann<b> </b>Example",
        "ann_example",
        "&#65;nn Example",  # an entity spells a letter
        "Zoë STRASSE-Bartholomew",
        "<i>zoë</i> straße bartholomew",
    ],
)
def test_a_private_value_is_found_however_it_was_written(text):
    with para.document("Ann Example", "Zoë Straße Bartholomew"):
        assert para._memo(text) is not para._SHARED
        assert para._memo("Prepared for: a reader") is para._SHARED


def test_a_value_that_looks_like_markup_is_found_escaped():
    """A note such as "pain <3/10; stop if >5/10" is printed escaped: its words are still found
    when its spaces are kept together, though its own "<...>" would read as a tag."""
    from handouts.text import esc

    note = "Keep pain <3/10; stop if >5/10"
    with para.document(note):
        assert para._memo(esc(note).replace(" ", "\u00a0")) is not para._SHARED
        assert para._memo(f"<b>{esc(note).upper()}</b>") is not para._SHARED


def test_the_quick_look_for_a_value_agrees_with_the_whole_one(lib):
    """A text is read in canonical form only when it holds a value's longest word or an entity:
    over the library's words and many ways of writing the values, the same answer either way."""
    values = ("Ann Example", "Zoë Straße Bartholomew", "O'Brien", "Sam Physio")
    texts = [e.description for e in lib.exercises] + [s.text for e in lib.exercises for s in e.steps]
    for v in values:
        texts += [v, v.upper(), v.replace(" ", "\u00a0"), f"<b>{v}</b>", v.replace(" ", "&nbsp;"), v[:-1]]
    with para.document(*values):
        (raw, canon, _), _, _ = para._DOCUMENT.get()
        for text in texts:
            whole = any(v in text for v in raw) or any(v in para._canon(text) for v in canon)
            assert (para._memo(text) is not para._SHARED) == whole, text


def test_outside_a_document_nothing_is_remembered():
    assert para._memo("any text") is None
    p = para.Paragraph("Some words to wrap", ParagraphStyle("t"))
    assert p.__dict__.get("_memo_key") is None


def _split_and_draw(cls, text: str, style) -> tuple[list[str], bytes]:
    """The pieces of ``text`` split at 100 pt, their words and the page they draw."""
    from reportlab.pdfgen.canvas import Canvas

    p = cls(text, style)
    p.wrap(200, 10_000)
    pieces = p.split(200, 100)
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    y = 700
    for piece in pieces:
        _, h = piece.wrap(200, 10_000)
        piece.drawOn(canvas, 50, y - h)
        y -= h + 20
    canvas.save()
    return [piece.getPlainText() for piece in pieces], buf.getvalue()


def test_a_remembered_paragraph_splits_like_a_plain_one():
    style = ParagraphStyle("t", fontSize=10, leading=12, allowWidows=0, allowOrphans=0)
    text = " ".join(f"word{i} <b>bold{i}</b>" for i in range(120))
    words, page = _split_and_draw(PlainParagraph, text, style)
    assert len(words) == 2
    para.clear()
    with para.document():
        for _ in range(3):  # worked out, then remembered
            assert _split_and_draw(para.Paragraph, text, style) == (words, page)


def test_programme_with_patient_data_is_kept_out_of_the_shared_memo(lib):
    from handouts.read.programme import load_program

    prog = load_program(ROOT / "examples" / "programme.yaml", lib)
    chosen = tuple(dataclasses.replace(c, rx=dataclasses.replace(c.rx, notes=NOTES)) for c in prog.exercises)
    prog = dataclasses.replace(
        prog,
        patient=NAME,
        clinician=CLINICIAN,
        notes=NOTES,
        clinician_contact="Quackenbush clinic",
        exercises=chosen,
    )
    para.clear()
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        render(lib, Document("program", Options(), program=prog))
    texts = [_words(t) for t in para.shared_texts()]
    labels = catalogue("en")
    dates = [
        labels.date(prog.start),
        week_dates(labels, prog.start, 1),
        week_dates(labels, prog.start, prog.weeks),
    ]
    for secret in (NAME, CLINICIAN, NOTES, "Quackenbush clinic", *dates):
        assert not [t for t in texts if _words(secret) in t], f"{secret!r} was kept"


def test_remembered_paragraphs_keep_their_own_attributes():
    from handouts.render.booklet_flow import Heading

    style = ParagraphStyle("t", fontSize=10, leading=12)
    para.clear()
    with para.document():
        a = Heading("The same words", style, level=0, section="First")
        a.ref = "a"
        a.wrap(200, 1000)
        b = Heading("The same words", style, level=1, section="Second")
        b.ref = "b"
        b.wrap(200, 1000)
    assert (a.level, a.section, a.ref) == (0, "First", "a")
    assert (b.level, b.section, b.ref) == (1, "Second", "b")
    assert b.blPara is a.blPara  # the line breaking itself was remembered


def test_a_paragraph_wrapped_at_two_widths_is_remembered_whole():
    style = ParagraphStyle("t", fontSize=10, leading=12)
    text = "Some words that <b>wrap</b> differently at different widths " * 4
    plain = PlainParagraph(text, style)
    expected = plain.wrap(120, 1000)
    para.clear()
    with para.document():
        first = para.Paragraph(text, style)
        first.wrap(300, 1000)
        first.wrap(120, 1000)  # remembered at 120 after a wrap at 300
        later = para.Paragraph(text, style)
        assert later.wrap(120, 1000) == expected
        for key in ("width", "height", "blPara", "frags", "_wrapWidths", "_width_max"):
            assert key in vars(later), key
        assert [len(line.words) for line in later.blPara.lines] == [
            len(line.words) for line in plain.blPara.lines
        ]


def test_a_document_inside_another_keeps_the_outer_ones_private_values():
    with para.document("Ann Example"), para.document("Sam Physio"):
        assert para._memo("Prepared for: Ann Example") is not para._SHARED
        assert para._memo("Prepared by: Sam Physio") is not para._SHARED
        assert para._memo("Stop if it hurts") is para._SHARED
    assert para._DOCUMENT.get() is None


def test_a_documents_own_memo_is_emptied_when_it_is_done():
    style = ParagraphStyle("t", fontSize=10, leading=12)
    with para.document("Ann Example"):
        p = para.Paragraph("Prepared for: Ann Example", style)
        p.wrap(200, 1000)
        own = p._memo_key[0]
        assert own is not para._SHARED and own
    assert own == {}  # even though the paragraph is still held here


def _drawn(p, width: float) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    _, h = p.wrap(width, 10_000)
    p.drawOn(canvas, 40, 780 - h)
    canvas.save()
    return buf.getvalue()


@pytest.mark.parametrize("remembered", [False, True])
def test_a_paragraph_is_written_the_same_whatever_it_was_wrapped_at_before(lib, remembered):
    """With hyphenation (Swedish), reportlab's result depended on the wraps before; here it does not."""
    from handouts.render.theme import build_theme

    style = build_theme(lib.brand, "a4", False, "sv").styles["body"]
    assert style.hyphenationLang, "the Swedish body style should hyphenate"
    text = (
        "Rehabiliteringsprogrammet <b>för bröstryggen</b> innehåller "
        "axelbladsstabiliseringsövningar och rörlighetsträningsmoment " * 3
    )
    widths = [90 + 7 * i for i in range(20)]
    for w in widths:
        para.clear()
        with para.document() if remembered else contextlib.nullcontext():
            once = _drawn(para.Paragraph(text, style), w)
            twice = para.Paragraph(text, style)
            twice.wrap(w, 10_000)
            after_other = para.Paragraph(text, style)
            after_other.wrap(w + 33, 10_000)
            assert _drawn(twice, w) == once, w
            assert _drawn(after_other, w) == once, w


def test_a_private_bullet_keeps_its_paragraph_out_of_the_shared_memo():
    from reportlab.lib.styles import ParagraphStyle as Style

    para.clear()
    with para.document(NAME):
        para.Paragraph("Plain words", Style("b"), bulletText=NAME)
        para.Paragraph("Other plain words", Style("b"), bulletText="•")
    texts = para.shared_texts()
    assert "Other plain words" in texts and "Plain words" not in texts


def test_a_clone_is_numbered_by_its_parent_and_what_it_changes():
    base = ParagraphStyle("base", fontSize=10, textColor=colors.darkblue)
    para._style_key(base)
    right = [base.clone(f"right{i}", alignment=2) for i in range(3)]
    centred = base.clone("centred", alignment=1)
    made = ParagraphStyle("made", parent=base, alignment=2)  # made with a parent, not cloned
    grand = right[0].clone("grand", fontSize=12)
    styles = [base, *right, centred, made, grand, base.clone("grand2", alignment=2, fontSize=12)]
    keys = [para._style_key(s) for s in styles]
    assert len({para._style_key(s) for s in right}) == 1  # one number for clones alike
    assert keys[4] != keys[1]
    for s, k in zip(styles, keys, strict=True):  # one number, one set of settings
        for t, m in zip(styles, keys, strict=True):
            if k == m:
                assert para.style_settings(s) == para.style_settings(t)
    # a clone missing one of its parent's settings is numbered by all of its own
    odd = base.clone("odd", alignment=2)
    del odd.__dict__["leading"]
    assert para._derived(odd) is None
