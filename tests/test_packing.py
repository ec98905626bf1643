"""The writer: one pass, object streams, a cross-reference stream that points at every object."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zlib

import pytest

from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.render.document import Document, Options, render


def _render(lib, kind: str, **kw) -> bytes:
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        return render(lib, Document(kind, Options(), **kw))


def _xref(data: bytes) -> tuple[dict, dict[int, tuple[int, int, int]]]:
    """The cross-reference stream's dictionary (as text) and its entries, read by hand."""
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    head = re.match(rb"(\d+) 0 obj\n<<(.*?)>>\nstream\n", data[start:], re.S)
    assert head, "startxref does not point at an object"
    fields = head.group(2).decode("latin-1")
    assert "/Type /XRef" in fields and "/W [ 1 4 2 ]" in fields
    length = int(re.search(r"/Length (\d+)", fields).group(1))
    body = data[start + head.end() : start + head.end() + length]
    table = zlib.decompress(body)
    entries = {n: struct.unpack(">BIH", table[i : i + 7]) for n, i in enumerate(range(0, len(table), 7))}
    size = int(re.search(r"/Size (\d+)", fields).group(1))
    assert len(entries) == size and entries[int(head.group(1))] == (1, start, 0)
    return {"fields": fields, "number": int(head.group(1))}, entries


@pytest.mark.parametrize("kind", ["sheet", "booklet"])
def test_every_cross_reference_points_at_its_object(library, kind):
    data = _render(library, kind, **({"exercise": "cat-cow"} if kind == "sheet" else {}))
    assert data.startswith(b"%PDF-1.5\n")
    _, entries = _xref(data)
    assert entries[0] == (0, 0, 65535)
    for number, (kind_, field, _index) in entries.items():
        if kind_ == 1:
            assert data[field:].startswith(b"%d 0 obj\n" % number), number
        elif kind_ == 2:
            assert entries[field][0] == 1, (
                f"object {number} is packed in {field}, which is not at the top level"
            )
            assert data[entries[field][1] :].startswith(b"%d 0 obj\n<< /Type /ObjStm" % field)
    # at the top level: streams only (pages' content, fonts, the object streams, the cross-references)
    top = [n for n, e in entries.items() if e[0] == 1]
    for n in top:
        chunk = data[entries[n][1] : entries[n][1] + 4000]
        assert b"\nstream\n" in chunk[: chunk.find(b"endobj")] or b">>\nstream\n" in chunk, n
    packed = [n for n, e in entries.items() if e[0] == 2]
    assert len(packed) > len(top), "the structure tree's elements are packed, not written one by one"


def test_each_object_stream_holds_what_its_index_says(library):
    """Each packed object is where the cross-references say: its stream's index names it there."""
    import io

    import pikepdf

    data = _render(library, "sheet", exercise="wall-angels")
    _, entries = _xref(data)
    indexes = {}
    for number, (kind, offset, _gen) in entries.items():
        head = re.match(
            rb"\d+ 0 obj\n<< /Type /ObjStm /N (\d+) /First (\d+) .*?/Length (\d+) >>\nstream\n", data[offset:]
        )
        if kind == 1 and head:
            n, first, length = (int(g) for g in head.groups())
            raw = zlib.decompress(data[offset + head.end() : offset + head.end() + length])
            pairs = raw[:first].split()
            indexes[number] = [int(pairs[i]) for i in range(0, 2 * n, 2)]
    assert indexes
    for number, (kind, stream_no, index) in entries.items():
        if kind == 2:
            assert indexes[stream_no][index] == number
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tags = []

        def walk(el):
            if isinstance(el, pikepdf.Dictionary) and "/S" in el:
                tags.append(str(el.S))
                for kid in el.get("/K", []):
                    walk(kid)

        walk(pdf.Root.StructTreeRoot.K)
        assert tags[0] == "/Document" and "/H1" in tags and "/Figure" in tags and tags.count("/P") > 3


def test_the_file_id_is_a_digest_of_the_document(library):
    one = _render(library, "sheet", exercise="cat-cow")
    again = _render(library, "sheet", exercise="cat-cow")
    other = _render(library, "sheet", exercise="wall-angels")
    ids = [_xref(d)[0]["fields"].split("/ID")[1].split("]")[0] for d in (one, again, other)]
    assert one == again and ids[0] == ids[1]
    assert ids[0] != ids[2], "two documents must not share an /ID"


def test_writing_a_sheet_does_not_open_the_written_file_again():
    """The structure tree is written with the document: no PDF library is loaded to reopen it."""
    code = (
        "import sys\n"
        "from handouts import api\n"
        "from handouts.render.document import Document, Options, render\n"
        "lib = api.load('exercises.yaml')\n"
        "data = render(lib, Document('sheet', Options(), exercise='cat-cow'))\n"
        "print(data[:8].decode(), sorted(m for m in sys.modules if m.split('.')[0] in ('pikepdf', 'pypdf')))\n"
    )
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.split() == ["%PDF-1.5", "[]"]


TEXTS = [
    "",
    "Plain words.",
    "A (bracketed) note",
    "back\\slash",
    ")(",
    "tab\there",
    "caf\u00e9",
    "\u2013 dash",
    "\u00e5\u00e4\u00f6",
    "~",
    "pre\u00adcise",  # a soft hyphen: PDFDocEncoding has no byte for it
    "\U0001f600 \u65e5\u672c",
]


def _read_back(data: bytes) -> str:
    import pikepdf

    return str(pikepdf.Object.parse(data))


@pytest.mark.parametrize("text", TEXTS)
def test_structure_text_reads_back_as_written(text):
    from reportlab.pdfbase import pdfdoc

    from handouts.pdf.tree import _text

    doc = pdfdoc.PDFDocument(invariant=1)
    assert _read_back(_text(doc, text)) == text
    if text.isascii() and text.isprintable():  # written as reportlab writes it, only quicker
        assert _text(doc, text) == pdfdoc.PDFString(text).format(doc)


def test_structure_text_reads_back_for_any_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from reportlab.pdfbase import pdfdoc

    from handouts.pdf.tree import _text

    doc = pdfdoc.PDFDocument(invariant=1)

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
    def same(text):
        assert _read_back(_text(doc, text)) == text

    same()


def test_every_link_says_where_it_goes(library):
    """A contents entry's links carry its words; a web link its address (PDF/UA: an alternate
    description on every link annotation)."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(_render(library, "booklet"))) as pdf:
        links = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        words = [str(a.Contents) for a in links]
    assert len(links) > 10 and all(w.strip() for w in words)
    assert any(w.startswith("How to use this booklet") for w in words)


def test_every_stream_ends_with_an_end_of_line_before_endstream(library):
    data = _render(library, "sheet", exercise="cat-cow")
    ends = [m.start() for m in re.finditer(rb"endstream", data)]
    assert ends and all(data[i - 1 : i] in (b"\n", b"\r") for i in ends)


def test_a_document_the_writer_cannot_write_is_refused():
    """A gap in reportlab's numbering (objects would be left out) or encryption: an error, never a
    damaged file."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from handouts.pdf.packing import compact

    canv = Canvas(io.BytesIO(), invariant=1)
    canv.drawString(10, 10, "x")
    compact(canv._doc)
    from reportlab.pdfbase.pdfdoc import PDFDictionary

    for i in range(3):
        canv._doc.Reference(PDFDictionary({"N": i}))
    del canv._doc.numberToId[max(canv._doc.numberToId) - 1]  # a gap: what follows it would be left out
    with pytest.raises(ValueError, match="missing"):
        canv.save()
    locked = Canvas(io.BytesIO(), invariant=1, encrypt="secret")
    locked.drawString(10, 10, "x")
    compact(locked._doc)
    with pytest.raises(ValueError, match="encrypted"):
        locked.save()


def test_untagged_runs_between_tagged_sequences_become_artifacts():
    """A tagged paragraph inside a tagged table cell is one sequence; the rule before it, the
    background between and the footer after are artifacts; trailing blank lines stay as they are."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable

    from handouts.pdf.tagging import Structure, mark_artifacts, tag

    class Ops(Flowable):
        def __init__(self, *ops, inner=None):
            super().__init__()
            self.ops, self.inner, self.width, self.height = ops, inner, 10, 10

        def draw(self):
            self.canv._code.extend(self.ops)
            if self.inner is not None:
                self.inner.drawOn(self.canv, 0, 0)

    canv = Canvas("unused.pdf")
    canv._structure = Structure()
    start = len(canv._code)
    canv._code.append("0 0 m 1 1 l S")  # a rule
    tag(Ops("cell", inner=tag(Ops("BT (words) Tj ET"), ("P", None))), ("TD", None)).drawOn(canv, 0, 0)
    canv._code.append("0 0 1 1 re f")  # a background
    tag(Ops("BT (more) Tj ET"), ("P", None)).drawOn(canv, 0, 0)
    canv._code += ["BT (footer) Tj ET", "", " "]
    code = canv._code[start:]
    spans = [(a - start, b - start) for a, b in canv._structure.spans[0]]
    assert len(spans) == 2, "the nested sequence is inside its cell's"
    out = mark_artifacts(code, spans)
    assert out[:3] == ["/Artifact BMC", "0 0 m 1 1 l S", "EMC"]
    artifacts = [i for i, op in enumerate(out) if op == "/Artifact BMC"]
    assert [out[i + 1] for i in artifacts] == ["0 0 m 1 1 l S", "0 0 1 1 re f", "BT (footer) Tj ET"]
    assert out[-3:] == ["", " ", "EMC"] and sum(op.endswith("BDC") for op in out) == 3
    assert mark_artifacts(["q", "", "Q"][1:2], []) == [""], "a page of blank lines only is left as it is"


def test_arrays_of_numbers_are_written_as_reportlab_writes_them():
    import random

    from reportlab.pdfbase import pdfdoc

    from handouts.pdf import packing

    doc = pdfdoc.PDFDocument(invariant=1)
    packing.compact(doc)
    assert pdfdoc.PDFArray.format is packing._format_array
    original = packing._ORIGINAL_ARRAY
    rng = random.Random(5)
    pool = [0, 1, -1, 600, 1000.0, 0.5, -0.25, 1e-7, 123456.789, 2**31]
    cases = [
        [rng.choice(pool) * rng.random() if rng.random() < 0.5 else rng.choice(pool) for _ in range(n)]
        for n in range(0, 140)
    ]
    cases += [
        list(range(-600, 2000, 13)),  # whole numbers only, as a font's widths
        [0, 1, -1, 2**31, -(2**40), 10**15] * 3,
        [True, 1, 2] * 5,
        [1, "a", 2] * 5,
        [1, pdfdoc.PDFName("X")] * 8,
    ]  # not plain numbers: reportlab's own
    for seq in cases:
        for kind in (pdfdoc.PDFArray, pdfdoc.PDFArrayCompact):
            array = kind(seq)
            assert packing._format_array(array, doc) == original(array, doc), seq
    widths = pdfdoc.PDFArray(list(range(128)))
    assert packing._format_array(widths, doc).count(b"\n") == 12  # lines of ten, as reportlab writes


def test_dictionaries_are_written_as_reportlab_writes_them():
    from collections import OrderedDict

    from reportlab.pdfbase import pdfdoc

    from handouts.pdf import packing

    doc = pdfdoc.PDFDocument(invariant=1)
    packing.compact(doc)
    assert pdfdoc.PDFDictionary.format is packing._format_dict
    original = packing._ORIGINAL_DICT
    keys = ["Type", "Font", "A", "Z", "a b", "x#y", "(odd)", "Ω", "tab\tkey", "F1+0", "Lång"]
    values = [1, 2.5, "/Name", pdfdoc.PDFString("text"), pdfdoc.PDFArray([1, 2]), pdfdoc.PDFName("N")]
    cases = [{}, {"Type": pdfdoc.PDFName("Page")}]
    for n in range(1, 15):  # a line break every six entries
        cases.append({keys[i % len(keys)] + str(i // len(keys)): values[i % len(values)] for i in range(n)})
    cases.append(OrderedDict((k, 1) for k in reversed(keys)))  # kept in its order, not sorted
    for multiline in (True, False, "forced"):
        for case in cases:
            for _ in range(2):  # a second time, from the names written before
                d = pdfdoc.PDFDictionary(case)
                d.dict = case if isinstance(case, OrderedDict) else d.dict
                d.multiline = multiline
                assert packing._format_dict(d, doc) == original(d, doc), case
    nested = pdfdoc.PDFDictionary({"Inner": pdfdoc.PDFDictionary({"B": 1, "A": 2}), "K": 3})
    assert packing._format_dict(nested, doc) == original(nested, doc)
