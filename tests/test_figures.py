"""Exercise pictures: figure files, their validation, drawing and the contact sheet."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import IDS

from handouts.figures import outline, posing, primitives, scene
from handouts.figures.contact import write_contact_sheet
from handouts.figures.render import figure_drawing, picture_flowable
from handouts.figures.spec import read_pictures
from handouts.model import Colours
from handouts.read.fields import Checker
from handouts.read.nodes import Node

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "assets" / "figures"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "figures"
EXERCISES = tuple(IDS)
#: A segment's outline reaches half its width past the shape.
OUTLINE_SLACK = outline.OUTLINE
COLOURS = Colours("#1D4F91", "#FFFFFF", "#1A1A1A", "#4A4A4A", "#FFFFFF", "#EEF3FA", "#A4161A", "#FDF0F0")


def png_bytes(w: int = 4, h: int = 3) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), (29, 79, 145)).save(buf, "PNG")
    return buf.getvalue()


def read(base: Path, rel: str) -> tuple[tuple | None, Checker]:
    c = Checker("library.yaml", base=base)
    pics = read_pictures(c, Node("scalar", 3, 15, value=rel), "exercises[0].pictures")
    return pics, c


def write_figure(tmp_path: Path, text: str, name: str = "fig.yaml") -> str:
    (tmp_path / "figures").mkdir(exist_ok=True)
    (tmp_path / "figures" / name).write_text(text, encoding="utf-8")
    return f"figures/{name}"


def image_figure(image: str) -> str:
    return (
        'panels:\n  - caption: "Start"\n    alt: A person stands.\n    pose: {}\n'
        f'  - caption: "End"\n    alt: A picture.\n    image: {image}\n'
    )


@pytest.fixture(scope="module")
def real():
    out = {}
    for ex in EXERCISES:
        pics, c = read(ROOT, f"assets/figures/{ex}.yaml")
        assert not c.problems, [str(p) for p in c.problems]
        assert not c.warnings, [str(p) for p in c.warnings]
        out[ex] = pics
    return out


@pytest.mark.parametrize("ex", EXERCISES)
def test_every_exercise_has_captioned_panels(real, ex):
    pics = real[ex]
    assert pics is not None and len(pics) >= 2
    for p in pics:
        assert p.caption.strip() and len(p.caption) <= 80
        assert p.alt.strip().endswith(".") and len(p.alt.split()) >= 8
        assert p.figure is not None or p.image is not None
    assert any(p.steps for p in pics), "some panel must illustrate a step"


@pytest.mark.parametrize("fixture", sorted(p.stem for p in FIXTURES.glob("*.yaml")))
def test_bad_figure_files_are_reported_with_file_line_and_column(tmp_path, fixture):
    rel = write_figure(tmp_path, (FIXTURES / f"{fixture}.yaml").read_text(), f"{fixture}.yaml")
    pics, c = read(tmp_path, rel)
    assert pics is None
    expected = (FIXTURES / f"{fixture}.txt").read_text(encoding="utf-8").splitlines()
    assert [str(p) for p in c.problems] == expected


def test_figure_file_outside_the_library_is_refused(tmp_path):
    (tmp_path / "lib").mkdir()
    write_figure(tmp_path, (FIGURES / "cat-cow.yaml").read_text())
    pics, c = read(tmp_path / "lib", "../figures/fig.yaml")
    assert pics is None
    assert "outside the library's folder" in str(c.problems[0])


@pytest.mark.parametrize("ex", EXERCISES)
@pytest.mark.parametrize("size", [(130, 110), (60, 200), (300, 80), (500, 400)])
def test_drawings_stay_inside_their_box(real, ex, size):
    w, h = size
    for p in real[ex]:
        d = figure_drawing(p.figure, w, h, COLOURS)
        x0, y0, x1, y1 = d.getBounds()
        assert (d.width, d.height) == (w, h)
        assert min(x0, y0) >= -0.01 and x1 <= w + 0.01 and y1 <= h + 0.01
        # our own bounds count stroke widths too
        sx0, sy0, sx1, sy1 = primitives.bounds(scene.build(p.figure, COLOURS))
        assert sx1 > sx0 and sy1 > sy0


@pytest.mark.parametrize("ex", EXERCISES)
def test_bodies_rest_on_the_floor_or_mat(real, ex):
    for p in real[ex]:
        fig = p.figure
        support = primitives.MAT_TOP if any(pr.kind == "mat" for pr in fig.props) else 0.0
        sk = posing.world(fig.pose, fig)
        assert sk.lowest() == pytest.approx(support)
        if fig.cam.elevation == 0:  # seen level, the lowest drawn body shape is on the floor line
            shapes = [s for s in scene.geometry(fig) if s.role == "body"]
            assert min(s.bounds()[1] for s in shapes) == pytest.approx(support, abs=OUTLINE_SLACK)


def test_all_fours_hands_under_shoulders_and_knees_under_hips(real):
    fig = real["cat-cow"][0].figure
    from handouts.figures.body import pose_body

    pts = pose_body(fig.pose).points
    for side in ("left", "right"):
        assert abs(pts[f"{side}_wrist"][0] - pts[f"{side}_shoulder"][0]) < 3
        assert abs(pts[f"{side}_knee"][0] - pts[f"{side}_hip"][0]) < 3
        assert abs(pts[f"{side}_wrist"][1] - pts[f"{side}_knee"][1]) < 3  # both on the floor


def test_building_a_drawing_is_fast(real):
    pics = [p for ex in EXERCISES for p in real[ex]]
    for p in pics:  # warm the scene cache
        figure_drawing(p.figure, 130, 110, COLOURS)
    start = time.perf_counter()
    for p in pics:
        figure_drawing(p.figure, 140, 100, COLOURS)
    assert (time.perf_counter() - start) / len(pics) < 0.005


EVIL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&xxe;</text></svg>
"""
EVIL_HREF = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="10" height="10"><image xlink:href="https://example.org/x.png" width="10" height="10"/></svg>
"""
EVIL_FILE_HREF = """<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<use href="other.svg#shape"/></svg>
"""
GOOD_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">
<defs><circle id="c" cx="5" cy="5" r="4"/></defs>
<rect x="1" y="1" width="38" height="18" fill="#1D4F91"/><use href="#c"/></svg>
"""


@pytest.mark.parametrize(
    "svg, message",
    [
        (EVIL_ENTITY, "DOCTYPE or ENTITY"),
        (EVIL_HREF, "https://example.org/x.png"),
        (EVIL_FILE_HREF, "other.svg#shape"),
    ],
)
def test_unsafe_svg_is_refused(tmp_path, svg, message):
    rel = write_figure(tmp_path, image_figure("evil.svg"))
    (tmp_path / "figures" / "evil.svg").write_text(svg, encoding="utf-8")
    pics, c = read(tmp_path, rel)
    assert pics is None
    assert len(c.problems) == 1
    p = c.problems[0]
    assert (p.file, p.line, p.col, p.path) == ("figures/fig.yaml", 7, 12, "panels[1].image")
    assert message in p.message


@pytest.mark.no_pdf_check  # a bare canvas of pictures, not a patient document
def test_good_svg_and_png_render(tmp_path):
    rel = write_figure(tmp_path, image_figure("pic.svg"))
    (tmp_path / "figures" / "pic.svg").write_text(GOOD_SVG, encoding="utf-8")
    (tmp_path / "figures" / "pic.png").write_bytes(png_bytes())
    svg_pics, c = read(tmp_path, rel)
    assert not c.problems, [str(p) for p in c.problems]
    rel = write_figure(tmp_path, image_figure("pic.png"), "fig2.yaml")
    png_pics, c = read(tmp_path, rel)
    assert not c.problems, [str(p) for p in c.problems]
    for pic in (svg_pics[1], png_pics[1]):
        f = picture_flowable(pic, 120, 90, COLOURS)
        w, h = f.wrap(120, 90)
        assert 0 < w <= 120.01 and 0 < h <= 90.01
    svg = picture_flowable(svg_pics[1], 120, 90, COLOURS)
    assert svg.getBounds()[2] <= 120.01  # 40 x 20 scaled to 120 wide, 60 high
    pdf = tmp_path / "pics.pdf"
    from reportlab.platypus import SimpleDocTemplate

    SimpleDocTemplate(str(pdf)).build(
        [picture_flowable(p, 120, 90, COLOURS) for p in (svg_pics[1], png_pics[1], svg_pics[0])]
    )
    assert pdf.stat().st_size > 500


def test_corrupt_and_huge_bitmaps_are_refused(tmp_path):
    rel = write_figure(tmp_path, image_figure("bad.png"))
    good = png_bytes()
    (tmp_path / "figures" / "bad.png").write_bytes(good[:-20])
    pics, c = read(tmp_path, rel)
    assert pics is None and "corrupt or unreadable PNG" in c.problems[0].message
    # a PNG header claiming 10000 x 10000 pixels is refused before decoding
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 10000, 10000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    big = good[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + good[33:]
    (tmp_path / "figures" / "bad.png").write_bytes(big)
    pics, c = read(tmp_path, rel)
    assert pics is None and "megapixels" in c.problems[0].message
    (tmp_path / "figures" / "bad.png").write_bytes(b"\xff\xd8\xff\xe0 not a png")
    pics, c = read(tmp_path, rel)
    assert pics is None


def test_contact_sheet_lists_every_exercise(tmp_path, real):
    pypdf = pytest.importorskip("pypdf")
    from handouts.read.library import load_library

    lib = load_library(ROOT / "exercises.yaml")
    exercises = tuple(replace(e, pictures=real.get(e.id, ())) for e in lib.exercises)
    lib = replace(lib, exercises=exercises)
    out = tmp_path / "contact.pdf"
    from reportlab.lib.pagesizes import A4

    write_contact_sheet(lib, out, A4)
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) >= 1
    text = " ".join(page.extract_text() for page in reader.pages)
    for e in lib.exercises:
        assert e.name in text
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert all("Atkinson" in f or "Handouts" in f for f in fonts), fonts
    out2 = tmp_path / "again.pdf"
    write_contact_sheet(lib, out2, A4)
    assert out.read_bytes() == out2.read_bytes()


@pytest.mark.parametrize("options", [[], ["--paper", "letter"], ["--large-print"]])
def test_the_most_panels_a_figure_may_have_still_fit_a_sheet(run, project, options):
    """Whatever the validator accepts renders: cat-cow with MAX_PANELS panels."""
    import copy

    import yaml

    from handouts.figures.spec import MAX_PANELS

    path = project / "assets" / "figures" / "cat-cow.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    while len(data["panels"]) < MAX_PANELS:
        extra = copy.deepcopy(data["panels"][-1])
        data["panels"].append(extra)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    cfg = project / "exercises.yaml"
    assert run("--config", cfg, "validate", "--strict").exit_code == 0
    result = run("--config", cfg, "sheet", "cat-cow", "-o", project / "s.pdf", *options)
    assert result.exit_code == 0, result.output


#: How much larger large print draws everything (its panels are PANEL * 1.4 high to start with).
LARGE_PRINT_FACTOR = 1.4


def _drawn_scales(monkeypatch, lib, ex: str, large_print: bool) -> list[float]:
    """Points per body unit of each picture panel as the sheet finally lays it out."""
    from handouts import api
    from handouts.figures import render
    from handouts.figures.render import panel_scale

    calls = []
    real_flowable = render.picture_flowable

    def spy(pic, w, h, colours):
        calls.append((pic, w, h))
        return real_flowable(pic, w, h, colours)

    monkeypatch.setattr(render, "picture_flowable", spy)
    api.render(lib, api.Document("sheet", api.Options(large_print=large_print), exercise=ex))
    last = calls[-len(lib.exercise(ex).pictures) :]  # the sheet tries sizes; the last one is drawn
    return [panel_scale(p.figure, w, h)[0] for p, w, h in last]


@pytest.mark.parametrize("ex", EXERCISES)
def test_large_print_pictures_are_the_standard_size_times_the_factor(monkeypatch, ex):
    from handouts import api

    lib = api.load(str(ROOT / "exercises.yaml"))
    standard = min(_drawn_scales(monkeypatch, lib, ex, False))
    large = min(_drawn_scales(monkeypatch, lib, ex, True))
    assert large >= standard * LARGE_PRINT_FACTOR - 1e-6, (
        f"{ex}: {large / standard:.2f} times the standard size"
    )
