"""Tables work out their rows and columns once per width (handouts/render/grid.py): the pages do
not change, and a wrap measures afresh whenever what it would work out could differ."""

from __future__ import annotations

import pytest
from conftest import LIBRARY
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus import Table as PlainTable

from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.read.flags import personalise
from handouts.read.translation import localised
from handouts.render import grid
from handouts.render.document import Document, Options, render
from handouts.render.grid import Table

STYLE = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)


@pytest.fixture(scope="module")
def lib():
    from handouts.read.library import load_library

    return load_library(LIBRARY)


def _documents(lib) -> list[bytes]:
    from handouts.read.programme import load_program

    program = load_program(LIBRARY.parent / "examples" / "programme.yaml", lib)
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        personal = personalise(lib, "en", patient="Ann Example", clinician="Sam Physio", reps=8)
        sv = localised(lib, "sv")
        return [
            render(lib, Document("sheet", Options(), exercise="wall-angels", personal=personal)),
            render(lib, Document("sheet", Options(large_print=True), exercise="cat-cow")),
            render(lib, Document("program", Options(), program=program)),
            render(lib, Document("booklet", Options())),
            render(sv, Document("booklet", Options(language="sv", large_print=True))),
        ]


def test_remembered_tables_write_the_same_bytes(lib, monkeypatch):
    monkeypatch.setattr(grid, "ENABLED", False)
    plain = _documents(lib)
    monkeypatch.setattr(grid, "ENABLED", True)
    assert _documents(lib) == plain


class Counted(Table):
    measured = 0

    def _calc_height(self, *args, **kwargs):
        type(self).measured += 1
        return super()._calc_height(*args, **kwargs)


def _table(rows: int = 3, **kwargs) -> Counted:
    Counted.measured = 0
    cells = [[Paragraph(f"Row {i} with some words to wrap", STYLE), "x"] for i in range(rows)]
    return Counted(cells, colWidths=[80, 30], **kwargs)


def test_a_second_wrap_at_the_same_width_measures_nothing():
    t = _table()
    first = t.wrap(110, 1000)
    assert Counted.measured == 1
    assert t.wrap(110, 1000) == first
    assert t.wrap(110, first[1]) == first  # exactly the room it needs
    assert Counted.measured == 1
    plain = PlainTable(
        [[Paragraph(f"Row {i} with some words to wrap", STYLE), "x"] for i in range(3)], colWidths=[80, 30]
    )
    assert plain.wrap(110, 1000) == first


def test_less_height_another_width_or_a_new_style_measure_again():
    # reportlab stops measuring a long table's rows past the height offered only when it spans rows
    t = _table(rows=40, longTableOptimize=1, style=[("SPAN", (1, 0), (1, 1))])
    full = t.wrap(110, 10_000)
    assert Counted.measured == 1
    short = t.wrap(110, 100)  # stops measuring past 100 points
    assert Counted.measured == 2 and short[1] < full[1]
    assert t.wrap(110, 10_000) == full  # the short measurement was not kept
    assert Counted.measured == 3
    t.wrap(100, 10_000)
    assert Counted.measured == 4
    t.setStyle([("TOPPADDING", (0, 0), (-1, -1), 9)])
    taller = t.wrap(100, 10_000)
    assert Counted.measured == 5 and taller[1] > full[1]
    t.wrap(100, 5)  # less room than it needs: measured again, even though the last was complete
    assert Counted.measured == 6


def test_a_split_table_measures_its_pieces():
    t = _table(rows=40)
    t.wrap(110, 10_000)
    pieces = t.split(110, 200)
    assert len(pieces) == 2 and all(isinstance(p, Table) for p in pieces)
    heights = [p.wrap(110, 10_000)[1] for p in pieces]
    assert heights[0] <= 200
    assert sum(heights) == pytest.approx(t.wrap(110, 10_000)[1])


def _empty_cells_drawn(monkeypatch, enabled: bool) -> tuple[str, int]:
    from reportlab.pdfgen.canvas import Canvas

    monkeypatch.setattr(grid, "ENABLED", enabled)
    canvas = Canvas(None)
    drawn_by_reportlab = []
    real = PlainTable._drawCell
    monkeypatch.setattr(
        PlainTable, "_drawCell", lambda self, v, *a: drawn_by_reportlab.append(v) or real(self, v, *a)
    )
    cells = [["", "a", "", Paragraph("words", STYLE)], ["", "", "b\nc", ""], ["", "", "", ""]]
    styles = [("GRID", (0, 0), (-1, -1), 0.5, "grey"), ("FONTSIZE", (1, 1), (2, 2), 13)]
    for i, (just, valign) in enumerate(
        [("LEFT", "TOP"), ("RIGHT", "MIDDLE"), ("CENTRE", "BOTTOM"), ("CENTER", "MIDDLE")]
    ):
        styles += [("ALIGN", (i, 0), (i, -1), just), ("VALIGN", (i, 0), (i, -1), valign)]
    styles += [("TEXTCOLOR", (0, 2), (-1, 2), "red"), ("LEADING", (3, 0), (3, -1), 17.5)]
    for padding in (3, 4.25):
        table = Table(cells, colWidths=[40.5, 33, 50, 61.25], rowHeights=[20, None, 31.7])
        table.setStyle([*styles, ("LEFTPADDING", (0, 0), (-1, -1), padding)])
        table.wrapOn(canvas, 400, 400)
        table.drawOn(canvas, 17.3, 101.9)
    return "\n".join(canvas._code), sum(1 for v in drawn_by_reportlab if v == "")


def test_an_empty_cell_is_written_as_reportlab_writes_it(monkeypatch):
    plain, by_reportlab = _empty_cells_drawn(monkeypatch, False)
    quick, by_reportlab_quick = _empty_cells_drawn(monkeypatch, True)
    assert quick == plain
    assert by_reportlab == 18 and by_reportlab_quick == 0  # each empty cell written the quick way
    assert plain.count("Tm  T* ET") == 18


def test_an_empty_cell_in_a_font_that_names_itself_is_left_to_reportlab(monkeypatch):
    """In a multi-byte font that is not TrueType, reportlab names the font and shows an empty
    string for an empty cell: such a cell is drawn by reportlab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = []
    for enabled in (False, True):
        monkeypatch.setattr(grid, "ENABLED", enabled)
        canvas = Canvas(None)
        table = Table([["", "x"], ["", ""]], colWidths=[50, 60])
        table.setStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 9, 11)])
        table.wrapOn(canvas, 200, 200)
        table.drawOn(canvas, 10.5, 20.25)
        out.append("\n".join(canvas._code))
    assert out[0] == out[1]
    assert "() Tj" in out[1]
