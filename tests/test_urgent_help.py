"""Urgent-help signs: a library section validated like the rest, translated, cited, and held
back from a release until a clinician has signed it off."""

from __future__ import annotations

import pytest

from handouts.api import load, localised
from handouts.errors import ValidationError

SIGN_SOURCE = "https://www.nhs.uk/conditions/back-pain/"


def test_the_shipped_library_has_both_groups_cited_and_unreviewed(library):
    u = library.urgent_help
    assert len(u.emergency) == 6 and len(u.same_day) == 6
    assert any("both legs" in s for s in u.emergency)
    assert any("between the shoulders" in s for s in u.same_day)
    assert (u.emergency_number, u.urgent_number) == ("999", "111")
    ref = next(r for r in library.guide.references if r.id == u.source)
    assert ref.organisation == "NHS" and ref.url == SIGN_SOURCE and ref.year is None
    assert u.reviewed is False and u.reviewed_by is None


def test_the_swedish_translation_has_its_words_and_numbers(library):
    sv = localised(library, "sv").urgent_help
    assert (sv.emergency_number, sv.urgent_number) == ("112", "1177")
    assert len(sv.emergency) == 6 and sv.emergency != library.urgent_help.emergency
    assert sv.source == library.urgent_help.source and sv.reviewed is False


def test_release_refuses_unreviewed_clinical_content(run, project):
    cfg = project / "exercises.yaml"
    assert run("--config", cfg, "validate", "--strict").exit_code == 0
    result = run("--config", cfg, "validate", "--release")
    assert result.exit_code == 2
    assert "urgent_help.reviewed: the urgent-help signs are not yet clinically reviewed" in result.stderr
    assert "exercises.sv.yaml: reviewed: the translation is not yet clinically reviewed" in result.stderr


def test_release_passes_once_a_clinician_signed_everything_off(run, project):
    cfg = project / "exercises.yaml"
    text = cfg.read_text(encoding="utf-8").replace(
        "  reviewed: false\n", '  reviewed: true\n  reviewed_by: {name: Sam Physio, date: "2026-12-01"}\n', 1
    )
    cfg.write_text(text, encoding="utf-8")
    sv = project / "exercises.sv.yaml"
    sv.write_text(
        sv.read_text(encoding="utf-8").replace("reviewed: false", "reviewed: true", 1), encoding="utf-8"
    )
    result = run("--config", cfg, "validate", "--release")
    assert result.exit_code == 0, result.output
    assert load(str(cfg)).urgent_help.reviewed_by == "Sam Physio"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  reviewed: false\n", "  reviewed: true\n", "reviewed: true needs reviewed_by"),
        ("  source: nhs-back-pain\n", "  source: nhs\n", "urgent_help.source: no reference with id 'nhs'"),
        (
            '{emergency: "999", urgent: "111"}',
            '{emergency: "call us", urgent: "111"}',
            "expected a phone number",
        ),
        ("  same_day:\n", "  same_days:\n", "did you mean 'same_day'"),
        ("    - Chest pain\n", "    - " + "Chest pain " * 10 + "\n", "at most 90 are allowed"),
    ],
)
def test_a_bad_urgent_help_section_is_an_error(project, old, new, message):
    cfg = project / "exercises.yaml"
    text = cfg.read_text(encoding="utf-8")
    assert old in text
    cfg.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load(str(cfg))
    assert message in err.value.format_message()


def test_a_web_reference_without_a_year_needs_its_address(project):
    cfg = project / "exercises.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace(f"      url: {SIGN_SOURCE}\n", "", 1), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load(str(cfg))
    assert "a reference needs a 'year', or a 'url'" in err.value.format_message()


def _pages(path):
    from pypdf import PdfReader

    return [" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages]


@pytest.mark.parametrize(("lang", "large"), [("en", False), ("sv", False), ("en", True)])
def test_the_booklet_prints_every_sign_on_the_how_to_and_faq_pages(run, tmp_path, library, lang, large):
    out = tmp_path / "booklet.pdf"
    args = ["booklet", "-o", out, "--lang", lang] + (["--large-print"] if large else [])
    assert run(*args).exit_code == 0
    lib = localised(library, lang)
    u = lib.urgent_help
    pages = _pages(out)
    with_box = [i for i, text in enumerate(pages) if all(" ".join(s.split()) in text for s in u.emergency)]
    assert len(with_box) == 2, with_box  # how to use this booklet, and the FAQ
    for i in with_box:
        text = pages[i] + (pages[i + 1] if i + 1 < len(pages) else "")
        for sign in u.same_day:
            assert " ".join(sign.split()) in text
        assert u.emergency_number in text and u.urgent_number in text
    unreviewed = "Not yet clinically reviewed" if lang == "en" else "Ännu inte granskat av vårdpersonal"
    assert unreviewed in pages[with_box[0]] + pages[with_box[0] + 1]


@pytest.mark.parametrize(("lang", "large"), [("en", False), ("sv", False), ("en", True), ("sv", True)])
def test_every_sign_is_on_every_sheet_at_body_size(run, tmp_path, library, lang, large):
    from pdfboxes import text_at_least

    from handouts.render.theme import build_theme

    lib = localised(library, lang)
    u = lib.urgent_help
    body = build_theme(lib.brand, large_print=large).styles["body"].fontSize
    assert body >= 12
    extra = ["--lang", lang] + (["--large-print"] if large else [])
    docs = [tmp_path / f"{i}.pdf" for i in ("cat-cow", "wall-angels", "thoracic-extension")]
    for path in docs:
        assert run("sheet", path.stem, *extra, "-o", path).exit_code == 0
    for path in docs:
        text = " ".join(text_at_least(path, body).split())
        for sign in (*u.emergency, *u.same_day):
            assert " ".join(sign.split()) in text, (path.name, sign)
        unreviewed = "Not yet clinically reviewed" if lang == "en" else "Ännu inte granskat av vårdpersonal"
        assert unreviewed in " ".join(_pages(path)), path.name
