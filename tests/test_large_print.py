"""Large print: 18 pt or more, one column, an exercise on one page or a designed pair, the
urgent-help box after it."""

from __future__ import annotations

import pytest
from conftest import IDS
from pdfcheck import check_pdfua, pages_text
from pypdf import PdfReader


def _font_sizes(path):
    """Every font size used to draw text, per page."""
    sizes = []
    for page in PdfReader(str(path)).pages:
        found = set()

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                found.add(round(size * abs(tm[3] or 1) * abs(cm[3] or 1), 1))

        page.extract_text(visitor_text=visit)
        sizes.append(found)
    return sizes


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_large_print_sheet_is_its_exercise_pair_and_the_urgent_box(run, tmp_path, library, paper):
    for exercise_id in IDS:
        out = tmp_path / f"{exercise_id}-{paper}.pdf"
        result = run("sheet", exercise_id, "--large-print", "--paper", paper, "-o", out)
        assert result.exit_code == 0, result.output
        texts = pages_text(out)
        # the exercise on one page or a pair (three on Letter when it is long), the urgent box after
        assert 1 <= len(texts) <= 4
        ex = library.exercise(exercise_id)
        for n, text in enumerate(texts, start=1):
            assert f"Page {n} of {len(texts)}" in text
        for text in texts[1:]:
            # every page after the first opens with the exercise's name, not a stray line
            assert text.split("Example Physiotherapy Clinic ", 1)[1].startswith(f"{ex.name} (continued)")
        joined = " ".join(texts)
        assert "Stop if it hurts" in joined and "Your dose" in joined and "Get help urgently" in joined
        # the contact line and the sources, which the footer has no room for, close the sheet
        assert texts[-1].index("Get help urgently") < texts[-1].index("Sources: the reference list at")
        check_pdfua(out)


def test_large_print_body_is_at_least_18_pt(run, tmp_path):
    out = tmp_path / "s.pdf"
    assert run("sheet", "wall-angels", "--large-print", "-o", out).exit_code == 0
    step_sizes = _font_sizes(out)[0]
    # everything is 18 pt or more (test_large_print_pages reads every document); headings larger
    assert min(step_sizes) >= 18 and max(step_sizes) >= 30
    normal = tmp_path / "n.pdf"
    assert run("sheet", "wall-angels", "-o", normal).exit_code == 0
    assert max(_font_sizes(normal)[0]) < max(step_sizes)
    text = pages_text(out)[0]
    assert "Press your lower back, upper back, and head against the wall." in text


def test_large_print_steps_are_18_pt():
    from conftest import LIBRARY

    from handouts import api
    from handouts.render.theme import build_theme

    lib = api.load(str(LIBRARY))
    theme = build_theme(lib.brand, "a4", large_print=True)
    for name in ("step", "body", "safety", "box_value", "box_label", "lead", "reading"):
        assert theme.styles[name].fontSize >= 18, name
    for name in ("title", "h1", "h2"):
        assert theme.styles[name].fontSize > 18, name


def test_large_print_programme_and_booklet(run, tmp_path):
    prog = tmp_path / "p.pdf"
    assert run("program", "examples/programme.yaml", "--large-print", "-o", prog).exit_code == 0
    check_pdfua(prog)
    texts = pages_text(prog)
    assert "Your exercise programme" in texts[0] and "Progress log" in texts[-1]
    book = tmp_path / "b.pdf"
    assert run("booklet", "--large-print", "-o", book).exit_code == 0
    check_pdfua(book)


def test_build_writes_the_large_print_set_beside_the_standard_one(run, tmp_path):
    result = run("build", "--out", tmp_path, "--large-print", "-q")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "sheets").glob("*.pdf"))) == 8
    assert len(list((tmp_path / "large-print" / "sheets").glob("*.pdf"))) == 8
    assert (tmp_path / "large-print" / "booklet.pdf").is_file()


def test_batch_large_print_column(run, tmp_path):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(
        "patient,clinician,date,exercises,large_print\nAnn,Sam,2026-12-01,cat-cow,yes\n"
        "Bo,Sam,2026-12-01,cat-cow,maybe\n"
    )
    result = run("batch", csv_path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{csv_path}:3: large_print: expected yes or no, got 'maybe'" in result.stderr
    assert len(PdfReader(str(tmp_path / "out" / "Ann-2026-12-01.pdf")).pages) >= 4
