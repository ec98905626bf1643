"""A page's content compressed in pieces (handouts/pdf/pieces.py): the same content, the same bytes
whether a piece was kept or not, nothing kept that a page's patient could have changed."""

from __future__ import annotations

import io
import random
import re
import zlib

import pikepdf
import pytest
from conftest import LIBRARY

from handouts.api import localised
from handouts.pdf import pieces
from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.read.flags import personalise
from handouts.render.document import Document, Options, render


@pytest.fixture(scope="module")
def lib():
    from handouts.read.library import load_library

    return load_library(LIBRARY)


def _render(lib, *documents) -> list[bytes]:
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        return [render(lib, d) for d in documents]


def _documents(lib) -> list[Document]:
    return [
        Document("sheet", Options(), exercise="wall-angels"),
        Document(
            "sheet",
            Options(),
            exercise="cat-cow",
            personal=personalise(lib, "en", patient="Ann Example", reps=8, note="Go gently."),
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


def test_pages_hold_the_same_content_in_pieces_as_whole(lib, monkeypatch):
    monkeypatch.setattr(pieces, "ENABLED", False)
    whole = _render(lib, *_documents(lib))
    monkeypatch.setattr(pieces, "ENABLED", True)
    pieces.clear()
    split = _render(lib, *_documents(lib))
    for a, b in zip(whole, split, strict=True):
        assert a != b  # each has a picture row, compressed on its own
        assert _contents(a) == _contents(b)
        # compressed apart, the row and the words round it lose little room
        assert len(b) <= len(a) * 1.025


def test_a_kept_piece_writes_the_bytes_compressing_it_now_writes(lib):
    pieces.clear()
    first = _render(lib, *_documents(lib))
    assert pieces._KEPT, "no picture row was kept"
    again = _render(lib, *_documents(lib))  # every row's compressed bytes from the store
    pieces.clear()
    afresh = _render(lib, *_documents(lib))
    assert first == again == afresh


def test_only_library_rows_coded_alike_in_every_document_are_kept(lib):
    pieces.clear()
    # a name whose letters are coded first, in the order the page prints them
    odd = personalise(lib, "en", patient="Åsa Öberg-Ünal", reps=8, note="Lätt.")
    _render(lib, Document("sheet", Options(), exercise="wall-angels", personal=odd))
    assert len(pieces._KEPT) == 1
    # the library's own sheet keeps the same row: nothing in it came from the patient
    _render(lib, Document("sheet", Options(), exercise="wall-angels"))
    assert len(pieces._KEPT) == 1
    # Swedish captions hold letters coded by the order a document first uses them: not kept
    _render(localised(lib, "sv"), Document("sheet", Options(language="sv"), exercise="wall-angels"))
    assert len(pieces._KEPT) == 1
    (raw,) = pieces._KEPT
    text = raw.decode("ascii")
    assert "/Figure" in text and "Slide your arms up" in text
    assert not re.search(r"\\[0-3][0-7]{2}|/F\d+\+[1-9]", text)


def test_the_store_stays_bounded(lib, monkeypatch):
    monkeypatch.setattr(pieces, "LIMIT", 2)
    pieces.clear()
    _render(lib, *(Document("sheet", Options(), exercise=ex.id) for ex in lib.exercises[:4]))
    assert len(pieces._KEPT) == 2
