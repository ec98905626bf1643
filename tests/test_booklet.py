"""The booklet: order, contents, outline, every sentence, page numbers, promo."""

from __future__ import annotations

import pikepdf
import pytest
from conftest import seed_text, sentences
from pdfcheck import check_structure, fonts, norm, page_lines, pages_text
from pypdf import PdfReader


@pytest.fixture(scope="module")
def booklet(tmp_path_factory):
    from conftest import LIBRARY

    from handouts import api

    lib = api.load(str(LIBRARY))
    folder = tmp_path_factory.mktemp("booklet")
    plain, promo = folder / "booklet.pdf", folder / "promo.pdf"
    api.write_booklet(lib, plain, api.Options())
    api.write_booklet(lib, promo, api.Options(), promo=True)
    return lib, plain, promo


def _outline_titles(reader, items=None, depth=0):
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out += _outline_titles(reader, item, depth + 1)
        else:
            out.append(("  " * depth) + item.title)
    return out


def test_outline_mirrors_the_contents_and_opens_shown(booklet):
    lib, path, _ = booklet
    reader = PdfReader(str(path))
    titles = _outline_titles(reader)
    expected = [
        "Introduction",
        "  Finding relief from upper back pain",
        "  Importance of exercise for upper back pain",
        "How to use this booklet",
        "The exercises",
        *[f"  {e.name}" for e in lib.exercises],
        "Evidence and effectiveness of upper back exercises",
        "  Trends and insights in upper back pain exercises",
        "Frequently asked questions",
        "Progress log",
        "References",
        "Contact",
    ]
    assert titles == expected
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.PageMode) == "/UseOutlines"


def test_contents_page_numbers_point_at_the_exercises(booklet):
    lib, path, _ = booklet
    lines = page_lines(path, 2)
    assert "Contents" in lines
    for ex in lib.exercises:
        entry = [ln for ln in lines if ln.startswith(ex.name + " .")]
        assert len(entry) == 1, (ex.name, lines)
        number = int(entry[0].rsplit(" ", 1)[1])
        page = page_lines(path, number - 1)
        # below the running header (brand, section), the page starts with the exercise
        n = lib.exercises.index(ex) + 1
        assert page[1:3] == [f"Exercise {n} of 8", ex.name], (ex.name, page[:3])


def test_contents_entries_are_links(booklet):
    lib, path, _ = booklet
    with pikepdf.open(path) as pdf:
        links = [a for a in pdf.pages[2].get("/Annots", []) if a.Subtype == "/Link"]
    assert len(links) >= len(lib.exercises) + 6


def test_page_n_of_m_on_every_page_but_the_cover(booklet):
    _, path, _ = booklet
    texts = pages_text(path)
    total = len(texts)
    assert "Page 1 of" not in texts[0]
    for n, text in enumerate(texts[1:], start=2):
        assert f"Page {n} of {total}" in text


def test_every_source_sentence_is_printed(booklet):
    lib, path, _ = booklet
    text = " ".join(pages_text(path))
    lines = seed_text().splitlines()
    wanted = [ln[len("How-to: ") :] for ln in lines if ln.startswith("How-to: ")]
    wanted += [e.description for e in lib.exercises]
    wanted += list(lib.guide.evidence.paragraphs) + [f.answer for f in lib.guide.faq]
    wanted += list(lib.guide.introduction) + list(lib.guide.importance.paragraphs)
    missing = [s for p in wanted for s in sentences(p) if norm(s) not in text]
    assert missing == []


def test_all_references_numbered(booklet):
    lib, path, _ = booklet
    text = " ".join(pages_text(path))
    for n, r in enumerate(lib.guide.references, start=1):
        assert f"{n}. {r.authors or r.organisation} ({r.year or 'n.d.'})." in text
        assert r.title in text
        if r.url:
            assert r.url in text
    assert "Sources: [1]–[10]." in text


def test_progress_log_has_sessions_and_pain_scores(booklet):
    _, path, _ = booklet
    page = next(t for t in pages_text(path) if "Progress log Tick" in t)
    assert "Session 1" in page and "Session 3" in page and "Session 4" not in page
    assert page.count("Pain 0–10") == 3
    assert " 16 " in page


def test_promo_only_when_asked(booklet):
    lib, plain, promo = booklet
    plain_text, promo_text = " ".join(pages_text(plain)), " ".join(pages_text(promo))
    for p in lib.promotions:
        assert p.name not in plain_text
        assert p.name in promo_text and p.description in promo_text


def test_fonts_metadata_structure(booklet):
    lib, path, _ = booklet
    assert all(f["embedded"] and "+" in f["name"] for f in fonts(path))
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo.Title) == lib.document.title
        assert str(pdf.Root.Lang) == "en"
    check_structure(path)


def test_booklet_rebuild_is_identical_and_letter_works(tmp_path, run):
    a, b, c = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    assert run("booklet", "-o", a).exit_code == 0
    assert run("booklet", "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    assert run("booklet", "-o", c, "--paper", "letter").exit_code == 0
    box = PdfReader(str(c)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_build_writes_sheets_and_booklet(tmp_path, run):
    result = run("build", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out" / "sheets").glob("*.pdf"))) == 8
    assert (tmp_path / "out" / "booklet.pdf").is_file()


@pytest.mark.parametrize(("lang", "paper"), [("en", "a4"), ("sv", "letter")])
def test_cover_is_one_page_even_in_large_print(run, tmp_path, lang, paper):
    out = tmp_path / "b.pdf"
    assert run("booklet", "--large-print", "--lang", lang, "--paper", paper, "-o", out).exit_code == 0
    second = page_lines(out, 1)
    assert second[0].endswith(("Introduction", "Inledning"))
    assert "Prepared for:" in page_lines(out, 0) or "Till:" in page_lines(out, 0)
