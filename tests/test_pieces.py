"""A page's content compressed in pieces (handouts/pdf/pieces.py): the same content, the same bytes
whether a piece was kept or not, nothing kept that a page's patient could have changed."""

from __future__ import annotations

import io
import random
import re
import zlib

import pikepdf
import pytest
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Spacer

from handouts.api import localised
from handouts.errors import LayoutError
from handouts.pdf import pieces
from handouts.pdf.tagging import tag
from handouts.read.flags import personalise
from handouts.render import block, reuse
from handouts.render.document import Document, Options, context, render
from handouts.render.furniture import numbered_canvas
from handouts.render.grid import Table
from handouts.render.para import Paragraph
from handouts.text import esc


def _render(library, *documents) -> list[bytes]:
    return [render(library, d) for d in documents]  # each stamped with the library's date


def _documents(library) -> list[Document]:
    return [
        Document("sheet", Options(), exercise="wall-angels"),
        Document(
            "sheet",
            Options(),
            exercise="cat-cow",
            personal=personalise(library, "en", patient="Ann Example", reps=8, note="Go gently."),
        ),
        Document("sheet", Options(paper="letter", large_print=True), exercise="thread-the-needle"),
        Document("booklet", Options()),
    ]


def _contents(pdf_bytes: bytes) -> list[bytes]:
    """Each page's content, inflated."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return [page.Contents.read_bytes() for page in pdf.pages]


def test_spliced_parts_inflate_to_the_whole():
    rng = random.Random(7)
    words = [b"q", b"Q", b"1 0 0 1 12.5 30 cm", b"BT /F1+0 12 Tf (Hello) Tj ET", b"0 0 m 10 10 l S", b"\n"]
    for _ in range(200):
        raw = b" ".join(rng.choice(words) for _ in range(rng.randrange(0, 3000)))
        points = sorted(rng.sample(range(len(raw) + 1), k=min(len(raw) + 1, 2 * rng.randrange(0, 4))))
        cuts = [(points[i], points[i + 1], rng.random() < 0.5) for i in range(0, len(points) - 1, 2)]
        out = pieces.spliced(raw, cuts)
        assert zlib.decompress(out) == raw
        assert out == pieces.spliced(raw, cuts)  # kept or made now: the same bytes


def test_pages_hold_the_same_content_in_pieces_as_whole(library, monkeypatch):
    monkeypatch.setattr(pieces, "ENABLED", False)
    whole = _render(library, *_documents(library))
    monkeypatch.setattr(pieces, "ENABLED", True)
    pieces.clear()
    split = _render(library, *_documents(library))
    for a, b in zip(whole, split, strict=True):
        assert a != b  # each has a picture row, compressed on its own
        assert _contents(a) == _contents(b)
        # compressed apart, the row and the words round it lose little room
        assert len(b) <= len(a) * 1.025


def test_a_kept_piece_writes_the_bytes_compressing_it_now_writes(library):
    pieces.clear()
    first = _render(library, *_documents(library))
    assert pieces._KEPT, "no picture row was kept"
    again = _render(library, *_documents(library))  # every row's compressed bytes from the store
    pieces.clear()
    afresh = _render(library, *_documents(library))
    assert first == again == afresh


def test_only_library_rows_coded_alike_in_every_document_are_kept(library):
    pieces.clear()
    # a name whose letters are coded first, in the order the page prints them
    odd = personalise(library, "en", patient="Åsa Öberg-Ünal", reps=8, note="Lätt.")
    _render(library, Document("sheet", Options(), exercise="wall-angels", personal=odd))
    assert len(pieces._KEPT) == 1
    # the library's own sheet keeps the same row: nothing in it came from the patient
    _render(library, Document("sheet", Options(), exercise="wall-angels"))
    assert len(pieces._KEPT) == 1
    # Swedish captions hold letters coded by the order a document first uses them: not kept
    _render(localised(library, "sv"), Document("sheet", Options(language="sv"), exercise="wall-angels"))
    assert len(pieces._KEPT) == 1
    (raw,) = pieces._KEPT
    text = raw.decode("ascii")
    assert "/Figure" in text and "Slide your arms up" in text
    assert not re.search(r"\\[0-3][0-7]{2}|/F\d+\+[1-9]", text)


@pytest.mark.parametrize(
    ("piece", "same"),
    [
        (b"q 1 0 0 1 2 3 cm 0 0 m 10 10 l S Q", True),
        (b"BT /F1+0 12 Tf (Start: \\(picture A\\)) Tj ET", True),
        (b"BT /F1+0 12 Tf (back\\\\123) Tj ET", True),  # a backslash, then digits
        (b"BT /F1+0 12 Tf (\\201sa) Tj ET", False),  # a letter coded by first use
        (b"BT /F1+0 12 Tf (\\004ngs) Tj ET", False),
        (b"BT /F1+1 12 Tf (a) Tj ET", False),  # a font's second subset
        (b"q /gRLs3 gs 0 0 m S Q", False),  # a graphics state numbered by first use
        (b"q /FormXob.abc Do Q", False),
        (b"BI /W 1 /H 1 ID x EI", False),
    ],
)
def test_only_pieces_written_alike_everywhere_may_be_kept(piece, same):
    assert pieces._same_everywhere(piece) is same


def test_rows_sized_for_a_patient_are_never_kept(library, monkeypatch):
    """A row at a size a patient's notes gave it tells something about them: compressed for
    their page alone. Every kept row is one the library's own sheets keep."""
    pieces.clear()
    _render(library, *(Document("sheet", Options(), exercise=ex.id) for ex in library.exercises))
    from_library = set(pieces._KEPT)
    made_for_a_patient = []
    original = block._pictures

    def pictures(*args, **kw):
        if not kw.get("shared"):
            made_for_a_patient.append(args[0].id)
        return original(*args, **kw)

    monkeypatch.setattr(block, "_pictures", pictures)
    for ex in library.exercises:
        for words in (1, 12, 24):
            personal = personalise(
                library,
                "en",
                patient="Ann Example",
                note="Go gently now. " * words,
                sets=3,
                reps=12 if ex.dose.reps else None,
            )
            try:
                _render(library, Document("sheet", Options(), exercise=ex.id, personal=personal))
            except LayoutError:
                break  # too long a note for this sheet: the user is told by how much
    assert made_for_a_patient, "no row was made at a patient's size: the test tests nothing"
    assert set(pieces._KEPT) <= from_library


def test_a_kept_piece_is_not_compressed_again(library, monkeypatch):
    pieces.clear()
    sheet = Document("sheet", Options(), exercise="wall-angels")
    _render(library, sheet)
    sizes = []
    original = pieces._part
    monkeypatch.setattr(
        pieces, "_part", lambda data, *flush: sizes.append(len(data)) or original(data, *flush)
    )
    _render(library, sheet)
    row = max(len(raw) for raw in pieces._KEPT)
    assert sizes and max(sizes) < row  # only the words round the row were compressed


def test_the_store_stays_bounded_and_forgets_the_least_recently_used(library, monkeypatch):
    monkeypatch.setattr(pieces, "LIMIT", 2)
    pieces.clear()

    def sheet(ex_id):
        _render(library, Document("sheet", Options(), exercise=ex_id))
        return next(reversed(pieces._KEPT))  # the row just kept or used

    a, b = sheet("wall-angels"), sheet("cat-cow")
    assert sheet("wall-angels") == a  # used again: the latest
    sheet("thread-the-needle")
    assert len(pieces._KEPT) == 2 and a in pieces._KEPT and b not in pieces._KEPT


# -- pieces anywhere on a page, drawn by hand -----------------------------------------------


class _Lines(Flowable):
    """Many lines: a drawing as long as a picture's."""

    def __init__(self, n: int):
        super().__init__()
        self.n, self.width, self.height = n, 100, 20

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        for i in range(self.n):
            self.canv.line(0, i % 20, 100, (i * 7) % 20)


def _row(theme, text: str, inner=None):
    cells = [
        [
            tag(_Lines(200), ("Figure", None), alt="lines"),
            tag(Paragraph(esc(text), theme.styles["caption"]), ("Caption", None)),
        ]
    ]
    if inner is not None:
        cells[0].append(inner)
    row = block.PictureRow([cells], colWidths=[200] + ([200] if inner is not None else []))
    row.shared = True
    return row


def _build(story) -> bytes:
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=(450, 800), invariant=1)
    doc.addPageTemplates([PageTemplate("page", [Frame(0, 0, 450, 800, 0, 0, 0, 0)])])
    doc.build(story, canvasmaker=numbered_canvas(lambda canv, n, m: None))
    return buf.getvalue()


STORIES = {
    "first on its page": lambda t: [_row(t, "First"), Spacer(1, 10)],
    "last on its page": lambda t: [Spacer(1, 10), _row(t, "Last")],
    "alone": lambda t: [_row(t, "Only")],
    "two on a page": lambda t: [_row(t, "One"), Spacer(1, 5), _row(t, "Two")],
    "the same twice": lambda t: [_row(t, "Same"), _row(t, "Same")],
    "inside another": lambda t: [_row(t, "Outer", inner=_row(t, "Inner"))],
    "on two pages": lambda t: [_row(t, "Page one"), PageBreak(), _row(t, "Page two")],
    "a letter coded by first use": lambda t: [_row(t, "Åsa"), _row(t, "Plain")],
}


@pytest.mark.parametrize("story", STORIES)
def test_pieces_anywhere_give_the_same_content(library, monkeypatch, story):
    theme, _ = context(library, Options())
    monkeypatch.setattr(pieces, "ENABLED", False)
    whole = _build(STORIES[story](theme))
    monkeypatch.setattr(pieces, "ENABLED", True)
    pieces.clear()
    first, again = _build(STORIES[story](theme)), _build(STORIES[story](theme))
    assert first != whole  # compressed in pieces
    assert _contents(first) == _contents(whole)
    assert first == again  # kept or compressed now: the same bytes
    for raw in pieces._KEPT:
        assert b"\\" not in raw.replace(b"\\(", b"").replace(b"\\)", b"")  # no coded letter kept


def test_a_piece_inside_a_recorded_part_is_cut_on_every_page(library, cached):
    """A part kept for every document is drawn, then recorded, then written again: a piece
    inside it makes it be drawn every time instead, so every document is cut the same way."""
    theme, _ = context(library, Options())
    pieces.clear()
    reuse.clear()

    def outer():
        made = lambda: Table([[_row(theme, "Inside a kept part")]], colWidths=[400])  # noqa: E731
        return reuse.kept("test-outer", (theme,), ("pieces",), made)

    documents = [_build([Spacer(1, 10), outer()]) for _ in range(4)]
    assert len(set(documents)) == 1
    pieces.ENABLED = False
    try:
        assert _contents(documents[0]) == _contents(_build([Spacer(1, 10), outer()]))
    finally:
        pieces.ENABLED = True
    reuse.clear()
