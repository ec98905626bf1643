"""Exercise sheets: one page, every step, the safety text and the urgent-help signs."""

from __future__ import annotations

import pikepdf
import pytest
from conftest import FIXTURES, IDS
from pdfcheck import check_structure, fonts, norm, pages_text
from pypdf import PdfReader


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every sheet on both papers, built once for this module."""
    from conftest import LIBRARY

    from handouts import api

    lib = api.load(str(LIBRARY))
    out = {}
    for lang in ("en", "sv"):
        for paper in ("a4", "letter"):
            folder = tmp_path_factory.mktemp(f"{lang}-{paper}")
            targets = [folder / f"{i}.pdf" for i in lib.ids]
            api.write_sheets(lib, lib.ids, targets, api.Options(paper=paper, language=lang))
            out[paper if lang == "en" else f"{lang}-{paper}"] = dict(zip(lib.ids, targets, strict=True))
    return lib, out


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("exercise_id", IDS)
def test_one_page_with_every_step_the_safety_text_and_the_urgent_signs(built, paper, exercise_id):
    """Exactly one page holds the whole exercise and the urgent-help box."""
    lib, out = built
    path = out[paper][exercise_id]
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (
        (595, 842) if paper == "a4" else (612, 792)
    )
    (text,) = pages_text(path)
    for sign in (*lib.urgent_help.emergency, *lib.urgent_help.same_day):
        assert norm(sign) in text
    assert "Get help urgently" in text and "Not yet clinically reviewed" in text
    ex = lib.exercise(exercise_id)
    for step in ex.steps:
        assert norm(step.plain()) in text
    assert norm(ex.starting_position) in text
    assert norm(ex.description) in text
    for fid in lib.guide.safety:
        assert norm(lib.guide.faq_by_id(fid).answer) in text
    assert "Stop if it hurts" in text
    assert "Page 1 of 1" in text
    assert "Your dose" in text and "2–3 times a week" in text and "4–16 weeks" in text
    assert lib.brand.organisation in text and lib.brand.contact in text
    check_structure(path)


def test_fonts_are_embedded_subsets_and_never_base14(built):
    _, out = built
    for path in out["a4"].values():
        found = fonts(path)
        assert found
        for f in found:
            assert f["embedded"], f
            assert "+" in f["name"] and "AtkinsonHyperlegible" in f["name"], f


def test_metadata(built):
    lib, out = built
    with pikepdf.open(out["a4"]["wall-angels"]) as pdf:
        info = pdf.docinfo
        assert str(info.Title) == "Wall angels"
        assert str(info.Author) == lib.brand.organisation
        assert "Wall angels" in str(info.Subject)
        assert "Upper back pain exercises" in str(info.Keywords)
        assert str(info.Creator).startswith("Handouts ")
        assert str(pdf.Root.Lang) == "en"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("exercise_id", IDS)
def test_every_swedish_sheet_is_one_page_with_the_urgent_signs(built, paper, exercise_id):
    from handouts.api import localised

    lib, out = built
    sv = localised(lib, "sv")
    path = out[f"sv-{paper}"][exercise_id]
    assert len(PdfReader(str(path)).pages) == 1
    (text,) = pages_text(path)

    def flat(s: str) -> str:  # long Swedish words may break at a hyphen
        return "".join(s.replace("-", "").split())

    for sign in (*sv.urgent_help.emergency, *sv.urgent_help.same_day):
        assert flat(sign) in flat(text)
    ex = sv.exercise(exercise_id)
    for step in ex.steps:
        assert flat(step.plain()) in flat(text)
    assert "Ännu inte granskat av vårdpersonal" in text and "Sida 1 av 1" in text


def test_dose_box_values(built):
    _, out = built
    text = pages_text(out["a4"]["doorway-stretch"])[0]
    assert "Hold 20–30 seconds" in text
    assert "Sides each side in turn" in text
    assert "Repetitions as needed" in text


def test_same_input_same_bytes(tmp_path, run):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert run("sheet", "cat-cow", "-o", a).exit_code == 0
    assert run("sheet", "cat-cow", "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_source_date_epoch_sets_the_dates(tmp_path, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = tmp_path / "s.pdf"
    assert run("sheet", "cat-cow", "-o", path).exit_code == 0
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20231114")


def test_non_numeric_source_date_epoch_is_a_clear_error(tmp_path, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run("sheet", "cat-cow", "-o", tmp_path / "s.pdf")
    assert result.exit_code == 2
    assert (
        result.stderr == "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got 'yesterday'\n"
    )
    assert not (tmp_path / "s.pdf").exists()


def test_unknown_id_suggests(run, tmp_path):
    result = run("sheet", "wall-angel", "-o", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "no exercise with id 'wall-angel'. Did you mean 'wall-angels'? Valid ids: "
    )


def test_several_ids_go_to_a_folder(run, tmp_path):
    result = run("sheet", "cat-cow", "childs-pose", "-o", tmp_path / "sheets")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "sheets").iterdir()) == ["cat-cow.pdf", "childs-pose.pdf"]


def _fixture_library(tmp_path, old, new):
    text = (FIXTURES / "minimal.yaml").read_text()
    for a, b in zip(old, new, strict=True):
        assert a in text
        text = text.replace(a, b)
    path = tmp_path / "lib.yaml"
    path.write_text(text)
    return path


def test_markup_in_data_prints_literally(run, tmp_path):
    lib = _fixture_library(
        tmp_path,
        ["    name: Squeeze", "Pull your shoulder blades together."],
        [
            '    name: "<b>Squeeze</b> & hold"',
            'Pull <img src=x.png/> & <a href="javascript:alert(1)">go</a>.',
        ],
    )
    out = tmp_path / "s.pdf"
    result = run("--config", lib, "sheet", "squeeze", "-o", out)
    assert result.exit_code == 0, result.output
    text = pages_text(out)[0]
    assert "<b>Squeeze</b> & hold" in text
    assert 'Pull <img src=x.png/> & <a href="javascript:alert(1)">go</a>.' in text


@pytest.mark.no_pdf_check
def test_overflowing_sheet_fails_naming_the_exercise(run, tmp_path):
    steps = "".join(
        f"      - Step number {i} is a long instruction that goes on and on to fill the page.\n"
        for i in range(30)
    )
    lib = _fixture_library(tmp_path, ["      - Pull your shoulder blades together.\n"], [steps])
    out = tmp_path / "s.pdf"
    out.write_bytes(b"%PDF-1.7 previous good file")
    result = run("--config", lib, "sheet", "squeeze", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("the sheet for 'squeeze' does not fit on one A4 page: it is ")
    assert "mm (" in result.stderr and "pt) too long" in result.stderr
    assert out.read_bytes() == b"%PDF-1.7 previous good file"


def test_video_gets_a_qr_code_and_a_link(run, tmp_path):
    url = "https://videos.example.org/squeeze"
    lib = _fixture_library(tmp_path, ["    dose:\n"], [f"    video: {url}\n    dose:\n"])
    out = tmp_path / "s.pdf"
    assert run("--config", lib, "sheet", "squeeze", "-o", out).exit_code == 0
    assert url in pages_text(out)[0]
    with pikepdf.open(out) as pdf:
        uris = [str(a.A.URI) for a in pdf.pages[0].get("/Annots", []) if "/A" in a]
    assert url in uris


def test_shipped_library_has_no_video_links(library):
    assert all(e.video is None for e in library.exercises)


def test_no_text_closer_than_9_mm_to_the_paper_edge(built, tmp_path, run):
    from pdfcheck import text_extent

    booklet = tmp_path / "b.pdf"
    assert run("booklet", "--lang", "sv", "-o", booklet).exit_code == 0
    _, out = built
    files = [*out["a4"].values(), *out["letter"].values(), booklet]
    mm = 72 / 25.4
    for path in files:
        box = PdfReader(str(path)).pages[0].mediabox
        for x0, y0, x1, y1 in text_extent(path):
            # baselines: 9 mm above the bottom edge, 9 mm in from the sides, the top line's
            # baseline 8 mm down (its capitals then stay 5 mm clear of the edge)
            assert y0 >= 9 * mm and x0 >= 9 * mm, (path.name, y0, x0)
            assert y1 <= float(box.height) - 8 * mm, (path.name, y1)
            assert x1 <= float(box.width) - 9 * mm, (path.name, x1)


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_bitmap_logo(run, tmp_path, suffix):
    from PIL import Image

    (tmp_path / "assets").mkdir()
    Image.new("RGB", (64, 64), "white").save(tmp_path / "assets" / f"logo{suffix}")
    lib = _fixture_library(
        tmp_path,
        ["  contact: Call the clinic.\n"],
        [f"  contact: Call the clinic.\n  logo: assets/logo{suffix}\n"],
    )
    out = tmp_path / "s.pdf"
    result = run("--config", lib, "sheet", "squeeze", "-o", out)
    assert result.exit_code == 0, result.output
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages[0].get_images()) == 1


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("exercise_id", IDS)
def test_the_dashed_start_outline_is_explained_under_the_pictures(built, paper, exercise_id):
    lib, out = built
    text = pages_text(out[paper][exercise_id])[0]
    dashed = any(
        p.figure is not None and p.figure.ghost is not None for p in lib.exercise(exercise_id).pictures
    )
    assert ("Dashed outline: where you start." in text) == dashed


@pytest.mark.no_pdf_check
def test_a_sheet_a_little_too_long_fails_rather_than_move_the_urgent_box_over(run, project):
    """The fullest shipped sheet (thoracic extensions on Letter) with one more step: the build
    fails saying by how much; the urgent-help box never goes over the page."""
    cfg = project / "exercises.yaml"
    text = cfg.read_text(encoding="utf-8")
    last = "      - Aim for {reps:10 repetitions}, ensuring you maintain a steady breathing pattern throughout.\n"
    assert last in text
    extra = "      - Rest for a moment with your hands on your knees before the next round of repetitions.\n"
    cfg.write_text(text.replace(last, last + extra, 1), encoding="utf-8")
    out = project / "s.pdf"
    result = run("--config", cfg, "sheet", "thoracic-extension", "--paper", "letter", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("the sheet for 'thoracic-extension' does not fit on one LETTER page")
    assert "pt) too long" in result.stderr and not out.exists()
    # the same library still builds on A4, where the page has room for the step
    assert run("--config", cfg, "sheet", "thoracic-extension", "-o", out).exit_code == 0
    assert len(PdfReader(str(out)).pages) == 1
