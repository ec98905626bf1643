"""Swedish alongside English, and a way to add a language."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import yaml
from pdfcheck import pages_text
from pypdf import PdfReader

from handouts.i18n import catalogues

LOCALE_DIR = Path(str(catalogues()))


def test_every_label_key_exists_in_both_catalogues():
    en = yaml.safe_load((LOCALE_DIR / "en.yaml").read_text())["labels"]
    sv = yaml.safe_load((LOCALE_DIR / "sv.yaml").read_text())["labels"]
    assert set(en) == set(sv)
    assert len(sv["months"]) == 12


def test_swedish_sheet(run, tmp_path):
    out = tmp_path / "s.pdf"
    assert run("sheet", "doorway-stretch", "--lang", "sv", "-o", out).exit_code == 0
    assert len(PdfReader(str(out)).pages) == 1
    text = pages_text(out)[0]
    assert "Så här gör du" in text and "Så här mycket" in text and "Sluta om det gör ont" in text
    assert "20–30 sekunder" in text and "2–3 gånger i veckan" in text and "Sida 1 av 1" in text
    assert "Översättningen är ännu inte kliniskt granskad." in text
    assert "How to do it" not in text
    with pikepdf.open(out) as pdf:
        assert str(pdf.Root.Lang) == "sv"


def test_swedish_booklet_and_programme(run, tmp_path):
    out = tmp_path / "b.pdf"
    assert run("booklet", "--lang", "sv", "-o", out).exit_code == 0
    texts = pages_text(out)
    assert any("Innehåll" in t for t in texts[1:5]) and f"Sida 2 av {len(texts)}" in texts[1]
    assert any("Vanliga frågor" in t for t in texts)
    prog = tmp_path / "p.yaml"
    prog.write_text(
        'patient: Åsa\nclinician: {name: Sam}\nstart: "2026-12-01"\nweeks: 4\nper_week: 2\n'
        "lang: sv\nexercises:\n  - id: scapular-squeeze\n    reps: 12\n"
    )
    pout = tmp_path / "p.pdf"
    result = run("program", prog, "-o", pout)
    assert result.exit_code == 0, result.output
    ptexts = pages_text(pout)
    assert "Ditt träningsprogram" in ptexts[0] and "Upprepa rörelsen 12 gånger" in " ".join(ptexts)
    with pikepdf.open(pout) as pdf:
        assert str(pdf.Root.Lang) == "sv"


def test_missing_translation_warns_falls_back_and_fails_under_strict(run, tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    import shutil

    from conftest import ROOT

    shutil.copy(ROOT / "exercises.yaml", root / "exercises.yaml")
    shutil.copytree(ROOT / "assets", root / "assets")
    sv = yaml.safe_load((ROOT / "exercises.sv.yaml").read_text())
    del sv["exercises"]["cat-cow"]["description"]
    (root / "exercises.sv.yaml").write_text(yaml.safe_dump(sv, allow_unicode=True, sort_keys=False))
    out = tmp_path / "s.pdf"
    ok = run("--config", root / "exercises.yaml", "sheet", "cat-cow", "--lang", "sv", "-o", out)
    assert ok.exit_code == 0
    lib = __import__("handouts.api", fromlist=["load"]).load(str(root / "exercises.yaml"), lang="sv")
    assert any(
        "exercises.cat-cow.description: not translated; the English text is used" in w for w in lib.warnings
    )
    assert "The cat-cow stretch is a dynamic exercise" in pages_text(out)[0]
    from handouts.api import load
    from handouts.errors import ValidationError

    try:
        load(str(root / "exercises.yaml"), strict=True, lang="sv")
    except ValidationError as exc:
        assert "exercises.cat-cow.description: not translated" in exc.format_message()
    else:
        raise AssertionError("strict should fail")


def test_template_round_trips(run, tmp_path):
    target = tmp_path / "exercises.de.yaml"
    assert run("translate-template", "--lang", "de", "-o", target).exit_code == 0
    data = yaml.safe_load(target.read_text())
    assert data["reviewed"] is False and data["language"] == "de"
    assert set(data["exercises"]) >= {"cat-cow", "wall-angels"}
    from conftest import LIBRARY

    from handouts.api import load
    from handouts.read.translation import apply_translation

    lib = load(str(LIBRARY))
    import dataclasses

    lib_copy = dataclasses.replace(lib, path=tmp_path / "exercises.yaml")
    translated = apply_translation(lib_copy, "de", strict=True)
    assert [e.steps for e in translated.exercises] == [e.steps for e in lib.exercises]
    assert translated.translation_reviewed is False


def test_build_all_languages(run, tmp_path):
    result = run("build", "--out", tmp_path, "--lang", "all")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "en" / "booklet.pdf").is_file() and (
        tmp_path / "sv" / "sheets" / "cat-cow.pdf"
    ).is_file()


def test_swedish_hyphenates_long_words_but_never_numbers():
    from conftest import LIBRARY
    from reportlab.platypus import Paragraph

    from handouts import api
    from handouts.render.theme import build_theme, hyphenator
    from handouts.text import esc

    lib = api.load(str(LIBRARY))
    sv = build_theme(lib.brand, "a4", language="sv")
    p = Paragraph(
        esc("Kliniskt Översättningen Bröstmuskelstretchen skulderbladsindragningen hjälper."),
        sv.styles["body"],
    )
    p.wrap(200, 1000)
    assert any(line[1][-1].endswith("-") for line in p.blPara.lines)
    assert hyphenator("en") is None
    assert list(hyphenator("sv")("20–30sekunder")) == []
    assert esc("Håll i 20–30 sekunder, 2–3 gånger") == "Håll i 20–30\u00a0sekunder, 2–3\u00a0gånger"


def test_validate_checks_translations(run):
    result = run("validate", "--strict", "--lang", "all")
    assert result.exit_code == 0, result.output
    assert result.output == "exercises.yaml: OK, 8 exercises in en, sv\n"
    listed = run("list", "--lang", "sv").output.splitlines()
    assert listed[1] == "thoracic-extension  Bakåtböjning av bröstryggen  sittande, stående"


def test_a_translation_that_marks_other_dose_fields_is_an_error(run, project):
    text = (project / "exercises.sv.yaml").read_text(encoding="utf-8")
    assert "{reps:10 repetitioner}" in text
    (project / "exercises.sv.yaml").write_text(
        text.replace("{reps:10 repetitioner}", "{reps:12 repetitioner}", 1), encoding="utf-8"
    )
    result = run("--config", project / "exercises.yaml", "validate", "--lang", "sv")
    assert result.exit_code == 2
    assert "the step says '12 repetitioner' but dose.reps is 10; they must agree" in result.stderr


def test_a_translation_with_too_few_steps_or_pictures_says_how_many(run, project):
    text = (project / "exercises.sv.yaml").read_text(encoding="utf-8")
    three_steps = (
        "      - Böj försiktigt ryggen bakåt och skjut fram bröstet, samtidigt som du håller ländryggen stabil.\n"
        "      - Håll kvar {hold:en stund} och gå sedan tillbaka till startpositionen.\n"
        "      - Sikta på {reps:10 repetitioner} och se till att andas lugnt och jämnt hela tiden.\n"
    )
    assert three_steps in text
    text = text.replace(three_steps, "", 1)
    second_picture = '      - caption: "Svanka ryggen, skjut bröstet framåt"\n'
    assert second_picture in text
    head, tail = text.split(second_picture, 1)
    text = head + tail.split("\n\n", 1)[1]
    (project / "exercises.sv.yaml").write_text(text, encoding="utf-8")
    result = run("--config", project / "exercises.yaml", "validate", "--lang", "sv")
    assert result.exit_code == 2
    assert "exercises.thoracic-extension.steps: has 1 step; the English has 4" in result.stderr
    assert "exercises.thoracic-extension.pictures: has 1 item; the English has 2" in result.stderr
