"""The drawn pictures: outlined segments, greyscale contrast, one camera and scale per exercise,
dashed start poses, arrows clear of the body, which way the head faces, the contact sheet."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import IDS

from handouts.figures import arrows, outline, palette, posing, scene
from handouts.figures.model import Camera, Figure, Pose
from handouts.figures.render import figure_drawing, panel_scale
from handouts.figures.spec import read_pictures
from handouts.model import Colours
from handouts.read.fields import Checker
from handouts.read.nodes import Node
from handouts.render.block import MIN_PANEL, PANEL

ROOT = Path(__file__).resolve().parent.parent
COLOURS = Colours("#1D4F91", "#FFFFFF", "#1A1A1A", "#4A4A4A", "#FFFFFF", "#EEF3FA", "#A4161A", "#FDF0F0")
#: Brand colour sets a clinic might choose: dark, mid and light primaries, a tinted background.
BRANDS = [
    COLOURS,
    replace(COLOURS, primary="#000000"),
    replace(COLOURS, primary="#7FB3E6"),
    replace(COLOURS, primary="#C0392B"),
    replace(COLOURS, primary="#2E7D32", background="#FAF7F0"),
]
#: The smallest picture box a sheet draws (points): MIN_PANEL high, as wide as the layout allows.
SMALLEST = (MIN_PANEL * 1.35, MIN_PANEL)
SIZES = [SMALLEST, (PANEL * 1.35, PANEL), (160.0, 106.0)]


def read(rel: str):
    c = Checker("library.yaml", base=ROOT)
    pics = read_pictures(c, Node("scalar", 3, 15, value=rel), "exercises[0].pictures")
    assert not c.problems, [str(p) for p in c.problems]
    return pics


@pytest.fixture(scope="module")
def real():
    return {ex: read(f"assets/figures/{ex}.yaml") for ex in IDS}


def figures(real, ex) -> list[Figure]:
    return [p.figure for p in real[ex] if p.figure is not None]


@pytest.mark.parametrize("brand", BRANDS, ids=lambda c: f"{c.primary}-on-{c.background}")
def test_outline_fills_and_background_are_20_lstar_apart(brand):
    pal = palette.palette(brand)
    tones = {k: palette.lstar(getattr(pal, k)) for k in ("outline", "near", "far", "background")}
    for (a, la), (b, lb) in itertools.combinations(tones.items(), 2):
        assert abs(la - lb) >= 20, f"{a} {la:.1f} and {b} {lb:.1f}"
    # props and arrows stay apart from the background too
    for k in ("arrow", "prop_line"):
        assert abs(palette.lstar(getattr(pal, k)) - tones["background"]) >= 20, k


def test_lstar_matches_known_values():
    assert palette.lstar("#000000") == pytest.approx(0, abs=0.01)
    assert palette.lstar("#FFFFFF") == pytest.approx(100, abs=0.01)
    assert palette.lstar("#777777") == pytest.approx(50.0, abs=0.5)


def _shown_parts(fig: Figure) -> list[str]:
    """Every body part, or for an upper-body picture those that reach above where it is cut."""
    if fig.show == "whole-body":
        return list(outline.BODY_PARTS)
    sk = scene._posed(fig.pose, fig)
    cut = scene.upper_body_cut(sk)
    return [seg.part for seg in outline.segments(sk) if max(y for p in seg.pieces for _, y in p) > cut + 1]


@pytest.mark.parametrize("ex", IDS)
def test_every_segment_is_an_outlined_shape(real, ex):
    pal = palette.palette(COLOURS)
    for fig in figures(real, ex):
        shapes = [s for s in scene.build(fig, COLOURS) if s.role == "body"]
        for part in _shown_parts(fig):
            mine = [s for s in shapes if s.part == part and s.kind == "poly"]
            assert mine, f"{ex}: no {part}"
            outlined = [s for s in mine if s.stroke == pal.outline and s.width >= outline.OUTLINE]
            assert outlined, f"{ex}: {part} has no outline"
            assert {s.fill for s in mine} & {pal.near, pal.far}, f"{ex}: {part} is not filled"


def test_far_limbs_get_the_far_fill():
    fig = Figure("side", Pose())
    shapes = {s.part: s for s in scene.geometry(fig) if s.role == "body" and s.kind == "poly"}
    # seen from the right side the right limbs are near, the left ones far
    assert shapes["right_thigh"].fill == "near" and shapes["left_thigh"].fill == "far"
    assert shapes["right_forearm"].fill == "near" and shapes["left_forearm"].fill == "far"


def test_segments_are_painted_back_to_front():
    fig = Figure("side", Pose(), camera=Camera(30.0, 0.0))
    order = [s.part for s in scene.geometry(fig) if s.role == "body" and s.stroke == "outline"]
    # the far arm first, then the torso, then the near arm over it
    assert order.index("left_upper_arm") < order.index("upper_torso") < order.index("right_upper_arm")


@pytest.mark.parametrize("azimuth, eyes", [(90.0, 2), (-90.0, 0), (0.0, 1)])
def test_the_head_shows_which_way_the_person_faces(azimuth, eyes):
    fig = Figure("side", Pose(), camera=Camera(azimuth, 0.0))
    head = [s for s in scene.geometry(fig) if s.part == "head"]
    assert sum(s.kind == "circle" for s in head) == eyes
    hair = [s for s in head if s.fill == "hair"]
    assert hair, "the hair line is drawn"
    face = next(s for s in head if s.kind == "poly" and s.fill == "near")

    def area(pts):
        ring = zip(pts, pts[1:] + pts[:1], strict=True)
        return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in ring)) / 2

    share = area(list(hair[0].points)) / area(list(face.points))
    # seen from behind the hair covers most of the head, from the front only its top
    assert (share > 0.5) if azimuth == -90.0 else (share < 0.5)


@pytest.mark.parametrize("ex", IDS)
def test_one_camera_and_one_scale_per_exercise(real, ex):
    pics = real[ex]
    figs = figures(real, ex)
    main = figs[0].cam
    for pic in pics:
        fig = pic.figure
        if fig.own_camera:
            assert "seen from" in pic.caption, f"{ex}: a panel with its own camera says so"
        else:
            assert fig.cam == main
    for w, h in SIZES:
        scales = {round(panel_scale(f, w, h)[0], 6) for f in figs}
        assert len(scales) == 1, f"{ex}: panels drawn at different scales {scales}"
        floors = {round(panel_scale(f, w, h)[2], 6) for f in figs if f.cam.elevation < 80}
        assert len(floors) <= 1, f"{ex}: floors not in line {floors}"


def _room(arrow, others) -> float:
    return arrows.clearance(arrow, others)[0]


@pytest.mark.parametrize("ex", IDS)
def test_arrows_keep_2pt_clear_of_every_body_shape(real, ex):
    """Every arrow keeps 2 pt clear of every body shape, except an arrow drawn on the back beside
    the shoulder blades (``on_body``): that one keeps 2 pt clear of every limb, the head and the
    neck, lies on the back, and does not touch the blades or the spine as they are now."""
    for fig in figures(real, ex):
        shapes = scene.geometry(fig)
        body = [s for s in shapes if s.role == "body" or (s.role == "ghost" and s.fill is None)]
        beside = [s for s in shapes if s.role == "arrow" and s.part != "on_body"]
        on_back = [s for s in shapes if s.role == "arrow" and s.part == "on_body"]
        limbs = [s for s in body if s.role == "body" and s.part not in arrows.TORSO + arrows.BACK_DETAILS]
        details = [s for s in body if s.part in arrows.BACK_DETAILS]
        for w, h in SIZES:
            k = panel_scale(fig, w, h)[0]
            if beside:
                room = _room(beside, body)
                assert room * k >= 2.0, (
                    f"{ex}: an arrow is {room * k:.2f} pt from the body in a {w:g}x{h:g} box"
                )
            if on_back:
                room = _room(on_back, limbs)
                assert room * k >= 2.0, f"{ex}: an arrow on the back is {room * k:.2f} pt from a limb"
                assert _room(on_back, details) > 0, f"{ex}: an arrow on the back touches a blade"
        if on_back:
            torso = [s.points for s in body if s.part in arrows.TORSO and s.kind == "poly"]
            tips = [s.points[0] for s in on_back if s.kind == "poly"]
            assert all(any(outline._inside(t, poly) for poly in torso) for t in tips), (
                f"{ex}: not on the back"
            )


def test_an_arrow_on_the_back_is_only_clear_of_the_limbs():
    fig = Figure("side", Pose(), camera=Camera(-90.0, 0.0))
    body = [s for s in scene.geometry(fig) if s.role == "body"]
    sk = scene._posed(fig.pose, fig)
    x, y = outline.xy(sk.points["waist"])
    across = [(x - 6.0, y - 6.0), (x + 1.0, y - 6.0)]
    on = arrows.place_arrow(across, 1, body, on_body=True)
    assert {s.part for s in on} == {"on_body"}
    # it stays on the back (near where it was put), clear of the arms, while an ordinary arrow
    # is moved off the body
    torso = [s.points for s in body if s.part in arrows.TORSO]
    tip = next(s.points[0] for s in on if s.kind == "poly")
    assert any(outline._inside(tip, poly) for poly in torso)
    assert math.dist(tip, across[-1]) < 3.0
    limbs = [s for s in body if s.part not in arrows.TORSO + arrows.BACK_DETAILS]
    assert _room(on, limbs) >= arrows.ON_BODY_CLEAR - 0.01
    assert _room(on, body) < 0
    off = arrows.place_arrow(across, 1, body)
    assert _room(off, body) >= arrows.CLEAR


def test_clearance_sees_an_arrow_over_the_body():
    fig = Figure("side", Pose())
    body = [s for s in scene.geometry(fig) if s.role == "body"]
    over = arrows._arrow_shapes([(0.0, 40.0), (30.0, 40.0)], 1)
    assert _room(over, body) < 0
    moved = arrows.place_arrow([(0.0, 40.0), (30.0, 40.0)], 1, body)
    assert _room(moved, body) >= arrows.CLEAR


@pytest.mark.parametrize("ex", IDS)
def test_a_panel_with_movement_has_a_dashed_start_pose(real, ex):
    first = real[ex][0].figure.pose
    for pic in real[ex]:
        fig = pic.figure
        if not fig.arrows and fig.pose == first:
            continue
        assert fig.ghost is not None, f"{ex}: {pic.caption}: movement without a start pose"
        dashed = [s for s in scene.geometry(fig) if s.role == "ghost" and s.dash]
        assert dashed, f"{ex}: {pic.caption}: the start pose is not dashed"
        assert all(s.fill is None for s in dashed), "a start pose is an outline, not a pale fill"


@pytest.mark.parametrize("ex", IDS)
def test_alt_text_describes_each_panel(real, ex):
    pics = real[ex]
    alts = [p.alt for p in pics]
    assert len(set(alts)) == len(alts), f"{ex}: two panels share an alt text"
    for p in pics:
        assert len(p.alt.split()) >= 12 and p.alt.endswith(".")
        if p.figure.ghost is not None and p.figure.arrows:
            assert "dashed" in p.alt or "arrow" in p.alt.lower()


@pytest.mark.parametrize("ex", IDS)
def test_steps_that_return_to_the_start_point_to_picture_a(real, ex):
    from handouts.read.library import load_library

    lib = load_library(ROOT / "exercises.yaml")
    e = next(e for e in lib.exercises if e.id == ex)
    pics = real[ex]
    assert not pics[0].steps or 0 in pics[0].steps, f"{ex}: the starting position points to picture A"
    assert all(0 not in p.steps for p in pics[1:])
    for n, step in enumerate(e.steps, start=1):
        text = getattr(step, "text", step).lower()
        if "return to the starting position" in text or "before releasing" in text:
            assert n in pics[0].steps, f"{ex}: step {n} returns to the start; it should point to A"


def test_drawing_is_the_same_at_every_box_size(real):
    fig = figures(real, "cat-cow")[1]
    small = figure_drawing(fig, *SMALLEST, COLOURS)
    big = figure_drawing(fig, 400, 300, COLOURS)
    assert len(small.contents[0].contents) == len(big.contents[0].contents)


@pytest.mark.no_pdf_check  # the authors' contact sheet is not a patient document
def test_contact_sheet_names_each_camera_and_can_show_one_exercise(tmp_path, real):
    pypdf = pytest.importorskip("pypdf")
    from reportlab.lib.pagesizes import A4

    from handouts.figures.contact import write_contact_sheet
    from handouts.read.library import load_library

    lib = load_library(ROOT / "exercises.yaml")
    lib = replace(lib, exercises=tuple(replace(e, pictures=real[e.id]) for e in lib.exercises))
    out = tmp_path / "one.pdf"
    write_contact_sheet(lib, out, A4, ids=["thread-the-needle"])
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages)
    assert "Thread the needle" in text and "Cat-cow" not in text
    cam = real["thread-the-needle"][1].figure.cam
    assert f"azimuth {cam.azimuth:g}" in text and f"elevation {cam.elevation:g}" in text
    with pytest.raises(ValueError, match="no-such"):
        write_contact_sheet(lib, tmp_path / "x.pdf", A4, ids=["no-such"])


@pytest.mark.parametrize("ex", IDS)
def test_a_limb_keeps_its_fill_from_start_to_finish(real, ex):
    figs = figures(real, ex)
    start = {s.part: s.fill for s in scene.geometry(figs[0]) if s.role == "body" and s.kind == "poly"}
    for fig in figs[1:]:
        if fig.ghost is None or fig.ghost != figs[0].pose:
            continue
        now = {s.part: s.fill for s in scene.geometry(fig) if s.role == "body" and s.kind == "poly"}
        for part in outline.BODY_PARTS:
            if part.startswith(("left_", "right_")) and part in now:
                assert now[part] == start[part], f"{ex}: {part} changes fill between panels"


def _read_figure(tmp_path, text: str):
    """The panels of figure file ``text`` as a library at ``tmp_path`` names it, and its checker."""
    from handouts.read.fields import Checker

    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "f.yaml").write_text(text, encoding="utf-8")
    c = Checker("library.yaml", base=tmp_path)
    return read_pictures(c, Node("scalar", 3, 15, value="figures/f.yaml"), "exercises[0].pictures"), c


def test_a_following_arrow_needs_a_start_pose_and_cameras_are_checked(tmp_path):
    pics, c = _read_figure(
        tmp_path,
        "camera: {azimuth: 400}\n"
        "panels:\n"
        '  - caption: "Start"\n    alt: A person stands.\n    pose: {}\n'
        '  - caption: "End"\n    alt: A person stands.\n    camera: sideways\n    pose: {}\n'
        "    arrows:\n      - {kind: curved, at: chest, follow: true}\n",
    )
    assert pics is None
    text = "\n".join(str(p) for p in c.problems)
    assert "camera.azimuth: 400 is outside the allowed range -180 to 180" in text
    assert "panels[1].camera: expected one of side" in text


def test_a_start_picture_may_point_to_the_starting_position(tmp_path):
    pics, c = _read_figure(
        tmp_path,
        "panels:\n"
        '  - caption: "Start"\n    alt: A person stands.\n    steps: [0, 3]\n    pose: {}\n'
        '  - caption: "End"\n    alt: A person stands.\n    ghost: 1\n    pose: {shoulder: 90}\n'
        "    arrows:\n      - {kind: curved, at: right_hand, follow: true}\n",
    )
    assert not c.problems, [str(p) for p in c.problems]
    assert pics[0].steps == (0, 3)
    arrow = [s for s in scene.geometry(pics[1].figure) if s.role == "arrow"]
    assert (
        arrow
        and _room(arrow, [s for s in scene.geometry(pics[1].figure) if s.role == "body"]) >= arrows.CLEAR
    )


def test_follow_without_a_start_pose_is_refused(tmp_path):
    pics, c = _read_figure(
        tmp_path,
        "panels:\n"
        '  - caption: "Start"\n    alt: A person stands.\n    pose: {}\n'
        '  - caption: "End"\n    alt: A person stands.\n    pose: {shoulder: 90}\n'
        "    arrows:\n      - {kind: curved, at: right_hand, follow: true}\n",
    )
    assert pics is None
    assert "needs a 'ghost'" in str(c.problems[0])


def test_dashed_show_and_on_body_are_checked(tmp_path):
    pics, c = _read_figure(
        tmp_path,
        "show: legs\n"
        "panels:\n"
        '  - caption: "Start"\n    alt: A person stands.\n    pose: {}\n    dashed: [right_arm]\n'
        '  - caption: "End"\n    alt: A person stands.\n    ghost: 1\n    dashed: [right_elbow]\n'
        "    pose: {}\n    arrows:\n      - {kind: straight, at: chest, on_body: maybe}\n",
    )
    assert pics is None
    text = "\n".join(str(p) for p in c.problems)
    assert "show" in text and "legs" in text
    assert "panels[0].dashed" in text and "needs a 'ghost'" in text
    assert "panels[1].dashed[0]" in text and "right_elbow" in text
    assert "panels[1].arrows[0].on_body" in text


def test_dashed_limits_the_start_outline_to_the_parts_named():
    start = scene._posed(Pose((("right_shoulder", 120.0),)), Figure("side", Pose()))
    now = scene._posed(Pose((("spine", 30.0),)), Figure("side", Pose()))
    every = outline.ghost_shapes(start, now)
    arm = outline.ghost_shapes(start, now, ("right_arm",))
    # one dashed outline (and its clear inside) per piece: the arm has three segments
    assert len([s for s in arm if s.dash]) == 3 < len([s for s in every if s.dash])


@pytest.mark.parametrize("ex", IDS)
def test_one_floor_and_mat_under_every_panel(real, ex):
    figs = figures(real, ex)
    assert len({f.stage for f in figs}) == 1, f"{ex}: the floor area changes between panels"
    mats = [[s.points for s in scene.geometry(f) if s.role == "prop" and s.fill == "prop_fill"] for f in figs]
    if any(p.kind == "mat" for f in figs for p in f.props):
        assert all(m == mats[0] for m in mats), f"{ex}: the mat moves or changes size between panels"


def test_thread_the_needle_keeps_the_knees_and_the_planted_hand_still(real):
    a, b = (posing.world(f.pose, f) for f in figures(real, "thread-the-needle"))
    for point in ("left_knee", "right_knee", "left_hand"):
        assert math.dist(a.points[point], b.points[point]) < 3.0, point


def test_the_shoulder_blades_move_visibly(real):
    """Seen from behind, the blades' change from A to B is at least 5 pt at the standard size."""
    a, b = figures(real, "scapular-squeeze")
    k = panel_scale(a, PANEL * 1.35, PANEL)[0]
    xa = [p[0] for s in scene.geometry(a) if s.part == "blade" for p in s.points]
    xb = [p[0] for s in scene.geometry(b) if s.part == "blade" for p in s.points]
    assert ((max(xa) - min(xa)) - (max(xb) - min(xb))) * k >= 5.0
