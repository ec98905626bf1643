"""Large print keeps its promise, read back from the PDFs: every text at least 18 pt, the page
number clear of the footer, no page under half full but a document's last, pictures on the page
of the steps that cite them; and large print is theme values, not branches in layout code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import IDS, ROOT
from pdfboxes import overlaps, read
from pdfcheck import pages_text

FACTOR = re.compile(r"(?<![\d.])1\.4(?!\d)")
PAGE_LABEL = re.compile(r"^(Page|Sida) \d+ (of|av) \d+$")


def _documents(run, tmp_path, lang, paper):
    """A large-print booklet, programme and two sheets in ``lang`` on ``paper``."""
    common = ["--large-print", "--lang", lang, "--paper", paper]
    out = {
        "booklet": tmp_path / "booklet.pdf",
        "programme": tmp_path / "programme.pdf",
        "wall-angels": tmp_path / "wall-angels.pdf",
        "doorway-stretch": tmp_path / "doorway-stretch.pdf",
    }
    assert run("booklet", *common, "-o", out["booklet"]).exit_code == 0
    assert run("program", "examples/programme.yaml", *common, "-o", out["programme"]).exit_code == 0
    for ex in ("wall-angels", "doorway-stretch"):
        result = run("sheet", ex, *common, "-o", out[ex])
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(("lang", "paper"), [("en", "a4"), ("sv", "letter")])
def test_large_print_keeps_its_promise(run, tmp_path, lang, paper):
    for kind, path in _documents(run, tmp_path, lang, paper).items():
        pages = read(path)
        for n, page in enumerate(pages, start=1):
            where = f"{kind} page {n}"
            small = [(r.text, r.size) for r in page.runs if r.size < 18 - 0.01]
            assert not small, f"{where}: text under 18 pt: {small[:5]}"
            labels = [r for r in page.runs if PAGE_LABEL.match(r.text.strip())]
            if kind == "booklet" and n == 1:
                assert not labels  # the cover has no footer
                continue
            assert len(labels) == 1, where
            label = labels[0]
            for other in page.runs:
                if other is not label:
                    assert not overlaps(label.box, other.box, clear=6), (
                        f"{where}: {other.text!r} touches the page number"
                    )


@pytest.mark.parametrize(("lang", "paper"), [("en", "a4"), ("sv", "letter")])
def test_no_large_print_page_is_under_half_full_but_the_last(run, tmp_path, lang, paper):
    for kind, path in _documents(run, tmp_path, lang, paper).items():
        pages = read(path)
        for n, page in enumerate(pages[:-1], start=1):
            # text and drawings reach at least half way down the page
            assert page.content_bottom <= page.height / 2, f"{kind} page {n} is under half full"


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("exercise_id", IDS)
def test_every_large_print_sheet_has_its_pictures_beside_the_steps_that_cite_them(
    run, tmp_path, library, exercise_id, paper
):
    out = tmp_path / f"{exercise_id}.pdf"
    assert run("sheet", exercise_id, "--large-print", "--paper", paper, "-o", out).exit_code == 0
    texts = pages_text(out)
    ex = library.exercise(exercise_id)
    for i, pic in enumerate(ex.pictures):
        letter = chr(ord("A") + i)
        cites = [n for n, t in enumerate(texts) if re.search(rf"\(pictures? [^)]*\b{letter}\b", t)]
        shows = [n for n, t in enumerate(texts) if " ".join(pic.caption.split()) in t]
        assert cites and shows, (exercise_id, letter)
        assert set(cites) <= set(shows), f"{exercise_id}: picture {letter} is not beside its steps"


def test_large_print_pictures_are_at_least_the_standard_size_times_the_factor(library):
    from handouts.model import Schedule
    from handouts.render.block import PANEL
    from handouts.render.document import Options, context
    from handouts.render.pagination import exercise_pages
    from handouts.render.theme import LARGE_PRINT_FACTOR

    lib = library
    theme, labels = context(lib, Options(large_print=True))
    assert theme.picture_scale == LARGE_PRINT_FACTOR > 1
    schedule = Schedule(lib.programme.per_week, lib.programme.weeks)
    for ex in lib.exercises:
        spec = exercise_pages(lib, ex, theme, labels, schedule)
        assert min(spec.panels) >= PANEL * LARGE_PRINT_FACTOR - 0.01


def test_the_page_number_never_touches_the_standard_footer(run, tmp_path):
    out = tmp_path / "booklet.pdf"
    assert run("booklet", "--lang", "sv", "--paper", "letter", "-o", out).exit_code == 0
    for n, page in enumerate(read(out)[1:], start=2):
        label = next(r for r in page.runs if PAGE_LABEL.match(r.text.strip()))
        for other in page.runs:
            if other is not label:
                assert not overlaps(label.box, other.box, clear=6), (n, other.text)


LAYOUT = (
    "block",
    "sheet",
    "booklet",
    "booklet_front",
    "booklet_back",
    "booklet_flow",
    "programme",
    "furniture",
    "pagination",
    "panels",
    "tables",
    "urgent",
)


@pytest.mark.parametrize("module", LAYOUT)
def test_layout_code_never_asks_which_edition_it_draws(module):
    """Large print is theme values (sizes, picture scale, columns, pages): no branch on it."""
    text = (ROOT / "handouts" / "render" / f"{module}.py").read_text(encoding="utf-8")
    assert "large_print" not in text
    assert not FACTOR.search(re.sub(r"#.*", "", text))  # the picture factor is the theme's, stated once


def test_the_theme_states_the_large_print_values_once(library):
    from handouts.render.theme import LARGE_PRINT_FACTOR, LARGE_PRINT_PT, build_theme

    standard, large = build_theme(library.brand), build_theme(library.brand, large_print=True)
    assert large.min_pt == LARGE_PRINT_PT == 18
    assert all(st.fontSize >= LARGE_PRINT_PT for st in large.styles.values())
    assert all(st.fontSize >= standard.min_pt for st in standard.styles.values())
    assert (standard.picture_scale, large.picture_scale) == (1.0, LARGE_PRINT_FACTOR)
    assert (standard.columns, large.columns) == (2, 1)
    assert (standard.exercise_pages, large.exercise_pages) == (1, 2)
    source = (Path(ROOT) / "handouts" / "render" / "theme.py").read_text(encoding="utf-8")
    assert len(FACTOR.findall(source)) == 1
