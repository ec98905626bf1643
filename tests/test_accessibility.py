"""Tagged PDF: the structure tree a screen reader reads, on every kind of document."""

from __future__ import annotations

import pikepdf
import pytest
from pdfcheck import check_pdfua


def _tree(path):
    """The structure tree as (depth, tag, alt) in reading order."""
    out = []
    with pikepdf.open(path) as pdf:

        def walk(el, depth):
            if isinstance(el, pikepdf.Array):
                for kid in el:
                    walk(kid, depth)
                return
            if not isinstance(el, pikepdf.Dictionary) or el.get("/Type") in ("/MCR", "/OBJR"):
                return
            out.append((depth, str(el.S)[1:], str(el.get("/Alt", "")) or None))
            if "/K" in el:
                walk(el.K, depth + 1)

        walk(pdf.Root.StructTreeRoot.K, 0)
    return out


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    from click.testing import CliRunner
    from conftest import ROOT

    from handouts.cli import cli

    out = tmp_path_factory.mktemp("a11y")
    import os

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        runner = CliRunner()
        for args in (
            ["sheet", "cat-cow", "-o", out / "sheet.pdf"],
            ["booklet", "-o", out / "booklet.pdf"],
            ["program", "examples/programme.yaml", "-o", out / "programme.pdf"],
        ):
            assert runner.invoke(cli, [str(a) for a in args]).exit_code == 0
    finally:
        os.chdir(old)
    return out


@pytest.mark.parametrize("name", ["sheet.pdf", "booklet.pdf", "programme.pdf"])
def test_pdfua_mechanical_rules(documents, name):
    check_pdfua(documents / name)


def test_sheet_structure_in_reading_order(documents, library):
    tree = _tree(documents / "sheet.pdf")
    tags = [t for _, t, _ in tree]
    assert tags[0] == "Document"
    # the name; starting position, how to do it, stop if it hurts, get help urgently
    assert [t for t in tags if t.startswith("H")] == ["H1", "H2", "H2", "H2", "H2"]
    ex = library.exercise("cat-cow")
    assert tags.count("LI") == len(ex.steps) and tags.count("Lbl") == len(ex.steps)
    assert tags.count("LBody") == len(ex.steps)
    figures = [alt for _, t, alt in tree if t == "Figure"]
    assert figures == [p.alt for p in ex.pictures]
    assert tags.count("Table") == 1 and tags.count("TH") >= 3 and tags.count("TD") >= 2
    # visual order: title, steps, pictures, dose box, safety panel
    assert tags.index("H1") < tags.index("L") < tags.index("Figure") < tags.index("Table")


def test_booklet_headings_follow_the_outline(documents):
    tree = _tree(documents / "booklet.pdf")
    tags = [t for _, t, _ in tree]
    assert tags.count("TOC") == 1 and tags.count("Link") >= 14
    # one TOCI per contents entry, each read as "title page"
    entries = [alt for _, t, alt in tree if t == "TOCI"]
    assert len(entries) == 20  # 8 sections (the exercises among them), 4 subsections, 8 exercises
    assert tags.count("Figure") >= 16


def test_every_link_annotation_is_in_the_tree(documents):
    with pikepdf.open(documents / "booklet.pdf") as pdf:
        links = [a for p in pdf.pages for a in p.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert links and all("/StructParent" in a for a in links)


def test_paragraphs_carry_their_words_with_spaces_for_screen_readers(documents, library):
    """Drawn lines lose the space at each line break; /ActualText keeps the sentence whole."""
    ex = library.exercise("cat-cow")
    with pikepdf.open(documents / "sheet.pdf") as pdf:
        texts = []
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            el = stack.pop()
            if isinstance(el, pikepdf.Array):
                stack.extend(reversed(list(el)))
            elif isinstance(el, pikepdf.Dictionary) and "/S" in el:
                if str(el.S) == "/LBody":
                    texts.append(str(el.ActualText))
                if "/K" in el:
                    stack.append(el.K)
    assert [t.split(" (picture")[0] for t in texts] == [s.plain() for s in ex.steps]
