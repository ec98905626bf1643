"""What every printed sheet and booklet owes a patient holding it alone: its sources named on it,
the safety words emphasised sparingly, and every text readable from a black-and-white printer."""

from __future__ import annotations

import pytest
from conftest import IDS, sentences
from pdfboxes import text_in_font
from pdfcheck import norm, pages_text

from handouts.api import localised
from handouts.colour import MIN_CONTRAST, contrast


@pytest.mark.parametrize(("lang", "large"), [("en", False), ("sv", False), ("en", True)])
def test_a_sheet_names_where_its_sources_are(run, tmp_path, library, lang, large):
    out = tmp_path / "s.pdf"
    args = ["sheet", "cat-cow", "--lang", lang, "-o", out] + (["--large-print"] if large else [])
    assert run(*args).exit_code == 0
    text = " ".join(pages_text(out))
    at = {"en": "Sources: the reference list at", "sv": "Källor: källförteckningen på"}[lang]
    assert f"{at} {library.brand.website}" in text
    assert "booklet's reference list" not in text and "broschyrens källförteckning" not in text


def test_a_sheet_without_a_website_lists_its_sources_in_short_form(project, run, library):
    """Every reference in short form fills the footer: a sheet with room for it (child's pose) prints
    it; one without fails the build saying by how much (test_sheet covers the message)."""
    cfg = project / "exercises.yaml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("  website: https://example.org/back-care\n", "", 1),
        encoding="utf-8",
    )
    out = project / "s.pdf"
    assert run("--config", cfg, "sheet", "childs-pose", "-o", out).exit_code == 0
    text = " ".join(pages_text(out))
    for ref in library.guide.references:
        who = ref.authors or ref.organisation
        assert norm(f"{who} ({ref.year or 'n.d.'}) {ref.title}") in text, ref.id


def test_the_booklet_footer_points_to_its_own_reference_list(run, tmp_path):
    out = tmp_path / "b.pdf"
    assert run("booklet", "-o", out).exit_code == 0
    texts = pages_text(out)
    for text in texts[1:]:
        assert "Sources: the reference list in this booklet." in text
        assert "this sheet" not in text


@pytest.mark.parametrize("exercise_id", IDS[:3])
def test_only_the_first_sentence_of_each_safety_paragraph_is_bold(tmp_path, run, library, exercise_id):
    out = tmp_path / "s.pdf"
    assert run("sheet", exercise_id, "-o", out).exit_code == 0
    bold = norm(text_in_font(out, 0, "Bold"))
    for fid in library.guide.safety:
        first, *rest = sentences(library.guide.faq_by_id(fid).answer)
        assert norm(first) in bold
        for sentence in rest:
            assert norm(sentence) not in bold


def grey(hex_colour: str) -> str:
    """The grey a black-and-white printer makes of a colour: its luma (ITU-R BT.601)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    y = round(0.299 * r + 0.587 * g + 0.114 * b)
    return f"#{y:02X}{y:02X}{y:02X}"


#: Every (text, background) pair that prints, and where: the page, the band, the dose box, the
#: safety panel, the urgent-help box, links, the log's headings.
PRINTED = {
    ("text", "background"): "body text, steps, the urgent-help box",
    ("muted", "background"): "captions, Prepared for, footer",
    ("primary", "background"): "headings, links, the running header",
    ("safety", "background"): "the urgent-help title, the pointer to the safety panel",
    ("on_primary", "primary"): "the brand band, the dose box's title, step badges",
    ("text", "panel"): "the dose box, the log's headings",
    ("muted", "panel"): "the log's column headings",
    ("text", "safety_panel"): "the safety panel's text",
    ("safety", "safety_panel"): "the safety panel's title",
}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_printed_text_keeps_its_contrast_in_greyscale(library, lang):
    colours = vars(localised(library, lang).brand.colours)
    for (fg, bg), where in PRINTED.items():
        ratio = contrast(grey(colours[fg]), grey(colours[bg]))
        assert ratio >= MIN_CONTRAST, f"{where}: {fg} on {bg} is {ratio:.2f}:1 in greyscale"


def test_the_greyscale_check_can_fail():
    # red on green reads well in colour and not at all from a black-and-white printer
    assert contrast("#D00000", "#00A000") > 1 and contrast(grey("#D00000"), grey("#00A000")) < MIN_CONTRAST
