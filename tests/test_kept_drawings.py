"""Drawings kept between runs (handouts/figures/kept.py): the brand logo's and the picture panels'
operators. The same bytes with and without them, no SVG read and no figure built or drawn when
they are current, and a stale, damaged or hostile entry ignored and written again. Every cache
here is in tmp_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handouts.figures import render as figures
from handouts.render import logo, reuse

EPOCH = "1764547200"


@pytest.fixture
def cached(monkeypatch, tmp_path):
    """The cache turned on, in tmp_path/cache; this process's logos forgotten."""
    monkeypatch.delenv("HANDOUTS_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    forget()
    yield tmp_path / "cache" / "handouts"
    forget()


def drawings(folder: Path, kind: str = "logo") -> list[Path]:
    """The kept drawings of the logo (``kind="logo"``) or of the pictures (``"picture"``)."""
    found = sorted(folder.glob("drawing-*.json")) if folder.is_dir() else []
    is_logo = [json.loads(p.read_text(encoding="utf-8"))["key"].startswith("logo\0") for p in found]
    return [p for p, logo in zip(found, is_logo, strict=True) if logo == (kind == "logo")]


def forget() -> None:
    """This process's own memory of logos and pictures: only the cache folder is left."""
    logo.forget()
    figures._OPS.clear()
    figures.picture_flowable.cache_clear()
    reuse.clear()  # the band and the pictures this thread kept for later documents


def sheet(run, cfg: Path, out: Path, *extra, options=(), exercise="wall-angels") -> bytes:
    """``handouts [extra] sheet EXERCISE [options]``'s PDF."""
    forget()
    result = run("--config", cfg, *extra, "sheet", exercise, *options, "-o", out)
    os.environ.pop("HANDOUTS_NO_CACHE", None)  # --no-cache sets it for the process (the fixture restores it)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_a_kept_logo_writes_the_same_bytes_without_reading_the_svg(cached, project, tmp_path):
    cfg = project / "exercises.yaml"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    code = (
        "import sys\n"
        "from handouts.cli import main\n"
        "sys.argv = ['handouts', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('svglib' in sys.modules, 'yaml' in sys.modules, file=sys.stderr)\n"
    )

    def cold(out: Path, *extra) -> str:
        args = [
            sys.executable,
            "-c",
            code,
            "--config",
            str(cfg),
            *extra,
            "sheet",
            "wall-angels",
            "-o",
            str(out),
        ]
        done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=project, check=True)
        return " ".join(done.stderr.split()[-2:])  # svglib, yaml imported

    assert cold(tmp_path / "fresh.pdf", "--no-cache") == "True True"
    assert drawings(cached) == []  # --no-cache neither reads nor writes
    assert cold(tmp_path / "first.pdf") == "True True"  # drawn from the SVG, and kept
    assert len(drawings(cached)) == 1
    assert len(drawings(cached, "picture")) == 2  # wall angels: two panels
    # the library, its labels and the logo from the cache: neither svglib nor YAML even imported
    assert cold(tmp_path / "second.pdf") == "False False"
    fresh = (tmp_path / "fresh.pdf").read_bytes()
    assert (tmp_path / "first.pdf").read_bytes() == fresh
    assert (tmp_path / "second.pdf").read_bytes() == fresh


def _mutations():
    def ops(data, *more):
        data["ops"] = [*data["ops"], *more]

    return [
        ("text shown", lambda d: ops(d, "BT /F1 12 Tf 72 72 Td (pwned) Tj ET")),
        ("a resource", lambda d: ops(d, "/GS0 gs")),
        ("an image", lambda d: ops(d, "/Im0 Do")),
        ("an unclosed q", lambda d: ops(d, "q 9 0 0 9 0 0 cm")),
        ("a Q too many", lambda d: ops(d, "Q")),
        ("an unknown operator", lambda d: ops(d, "1 0 0 1 0 0 Tm")),
        ("a huge number", lambda d: ops(d, "1" * 40 + " w")),
        ("a Unicode separator", lambda d: ops(d, "q\x1cQ")),
        ("a no-break space", lambda d: ops(d, "q\xa0Q")),
        ("a non-ASCII digit", lambda d: ops(d, "\u0661 w")),
        ("an unclosed array", lambda d: ops(d, "[3 2 0 d")),
        ("a nested array", lambda d: ops(d, "[[3] 2] 0 d")),
        ("an array where a number goes", lambda d: ops(d, "[2] w")),
        ("too few operands", lambda d: ops(d, "0 0 m 10 l")),
        ("too many operands", lambda d: ops(d, "1 2 3 4 5 rg")),
        ("an operand left over", lambda d: ops(d, "0 0 m 5")),
        ("ops not a list", lambda d: d.update(ops="q Q")),
        ("no ops", lambda d: d.update(ops=[])),
        ("an op not text", lambda d: ops(d, 7)),
        ("a width of NaN", lambda d: d.update(width="NaN")),
        ("a negative height", lambda d: d.update(height=-5)),
        ("a huge width", lambda d: d.update(width=1e9)),
        ("another key", lambda d: d.update(key=d["key"] + "x")),
        ("another stamp", lambda d: d["stamp"].__setitem__(1, "0" * 64)),
        ("a key too many", lambda d: d.update(extra=1)),
        ("a list", lambda d: d.clear()),
    ]


@pytest.mark.parametrize("kind", ["logo", "picture"])
@pytest.mark.parametrize("name,mutate", _mutations(), ids=[m[0] for m in _mutations()])
def test_a_hostile_or_wrong_entry_is_ignored_and_written_again(
    run, cached, project, tmp_path, name, mutate, kind
):
    cfg = project / "exercises.yaml"
    fresh = sheet(run, cfg, tmp_path / "fresh.pdf", "--no-cache")
    assert sheet(run, cfg, tmp_path / "first.pdf") == fresh
    entry = drawings(cached, kind)[0]
    good = entry.read_text(encoding="utf-8")
    data = json.loads(good)
    mutate(data)
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert sheet(run, cfg, tmp_path / "again.pdf") == fresh
    assert entry.read_text(encoding="utf-8") == good  # written again


@pytest.mark.parametrize(
    "damage",
    [lambda t: t[: len(t) // 2], lambda t: "\x00garbage{", lambda t: "", lambda t: "[" * 5000 + "]" * 5000],
    ids=["truncated", "corrupt", "empty", "deep"],
)
def test_a_damaged_entry_is_ignored_and_written_again(run, cached, project, tmp_path, damage):
    cfg = project / "exercises.yaml"
    fresh = sheet(run, cfg, tmp_path / "fresh.pdf", "--no-cache")
    sheet(run, cfg, tmp_path / "first.pdf")
    entry = drawings(cached, "picture")[0]
    good = entry.read_text(encoding="utf-8")
    entry.write_text(damage(good), encoding="utf-8")
    assert sheet(run, cfg, tmp_path / "again.pdf") == fresh
    assert entry.read_text(encoding="utf-8") == good


def test_an_edited_logo_is_drawn_again(run, cached, project, tmp_path):
    cfg = project / "exercises.yaml"
    before = sheet(run, cfg, tmp_path / "before.pdf")
    svg = project / "assets" / "logo.svg"
    text = svg.read_text(encoding="utf-8")
    edited = text.replace("<svg", "<svg data-edited='1'", 1)
    assert edited != text
    # the same drawing from different bytes: a new entry, the same page
    svg.write_text(edited, encoding="utf-8")
    assert sheet(run, cfg, tmp_path / "same.pdf") == before
    assert len(drawings(cached)) == 2
    # a different drawing: never the kept one
    assert 'fill="#FFFFFF"' in text
    svg.write_text(text.replace('fill="#FFFFFF"', 'fill="#000000"'), encoding="utf-8")
    changed = sheet(run, cfg, tmp_path / "changed.pdf")
    fresh = sheet(run, cfg, tmp_path / "fresh.pdf", "--no-cache")
    assert changed == fresh
    assert changed != before


def test_a_recorded_drawing_is_laid_out_like_its_drawing(cached, project):
    d_flow = logo._svg_logo(str(project / "assets" / "logo.svg"), 40.0)
    assert isinstance(d_flow, figures.ReplayedDrawing)
    ops = ["q", "1 0 0 1 0 0 cm", "0 0 m 10 10 l S", "Q"]
    kept = figures.RecordedDrawing(*d_flow.wrap(0, 0), ops)
    assert kept.wrap(500, 500) == d_flow.wrap(500, 500)
    assert (kept.hAlign, kept.vAlign) == (d_flow.hAlign, d_flow.vAlign)


def test_kept_pictures_are_neither_built_nor_drawn(run, cached, project, tmp_path, monkeypatch):
    cfg = project / "exercises.yaml"
    fresh = sheet(run, cfg, tmp_path / "fresh.pdf", "--no-cache")
    assert sheet(run, cfg, tmp_path / "first.pdf") == fresh
    monkeypatch.setattr(figures, "figure_drawing", lambda *a: pytest.fail("a kept picture was built again"))
    assert sheet(run, cfg, tmp_path / "again.pdf") == fresh


def test_a_changed_figure_is_drawn_again(run, cached, project, tmp_path):
    cfg = project / "exercises.yaml"
    before = sheet(run, cfg, tmp_path / "before.pdf")
    kept_before = set(drawings(cached, "picture"))
    figure = project / "assets" / "figures" / "wall-angels.yaml"
    text = figure.read_text(encoding="utf-8")
    assert "      shoulder: 155\n" in text
    figure.write_text(text.replace("      shoulder: 155\n", "      shoulder: 140\n"), encoding="utf-8")
    after = sheet(run, cfg, tmp_path / "after.pdf")
    fresh = sheet(run, cfg, tmp_path / "fresh.pdf", "--no-cache")
    assert after == fresh != before
    assert set(drawings(cached, "picture")) - kept_before  # new entries beside the old


def test_only_the_oldest_own_entries_are_pruned(cached, monkeypatch):
    from handouts import cachedir
    from handouts.figures import kept

    cached.mkdir(parents=True)
    strangers = [cached / "drawing-notours.json", cached / "library-x.json", cached / "notes.txt"]
    for p in strangers:
        p.write_text("{}", encoding="utf-8")
    dangling = cached / f"drawing-{'e' * 40}.json"
    dangling.symlink_to(cached / "gone")  # one of ours by name, but no file: skipped, not the end
    for i in range(6):
        kept.write(f"key {i}", 10.0, 10.0, ["q", "Q"])
        entry = cached / next(
            p.name
            for p in cached.glob("drawing-*.json")
            if p.is_file() and json.loads(p.read_text()).get("key") == f"key {i}"
        )
        os.utime(entry, ns=(i * 10**9, i * 10**9))
    cachedir.prune("drawing", 4)
    left = sorted(
        json.loads(p.read_text()).get("key")
        for p in cached.glob("drawing-*.json")
        if p not in strangers and p.is_file()
    )
    assert len(left) <= 4 and "key 5" in left and "key 0" not in left
    assert all(p.exists() for p in strangers) and dangling.is_symlink()


def test_a_run_prunes_once_when_it_first_writes(cached, monkeypatch):
    from handouts import cachedir
    from handouts.figures import kept

    pruned = []
    monkeypatch.setattr(kept, "_pruned", False)
    monkeypatch.setattr(cachedir, "prune", lambda kind, limit: pruned.append((kind, limit)))
    for i in range(3):
        kept.write(f"key {i}", 10.0, 10.0, ["q", "Q"])
    assert pruned == [("drawing", kept.LIMIT)]
    assert len(list(cached.glob("drawing-*.json"))) == 3


GOOD_OPS = [
    "q",
    "1 0 0 1 12.5 -3 cm",
    "0 0 m 10 10 l 1 2 3 4 5 6 c 1 2 3 4 v 1 2 3 4 y h S",
    ".5 w 1 J 0 j 10 M [3 2] 0 d [] 0 d",
    "0 0 10 10 re W n f f* F B B* b b* s",
    ".2 .4 .6 rg 1 0 0 RG .5 g 0 G 0 0 0 1 k 0 0 0 1 K",
    "+1 -2 m\n3. 4 l",
    "Q",
]


def test_portable_accepts_what_a_drawing_records():
    from handouts.figures import kept

    assert kept.portable(GOOD_OPS)


@pytest.mark.parametrize(
    "bad",
    [
        "q\tQ",
        "q\x1cQ",
        "q\u2003Q",
        "\u0661 w",
        "1\u00b2 w",
        "[3 2 0 d",
        "3 2] 0 d",
        "[3 [2]] 0 d",
        "0 [3 2] d",
        "[3 q] 0 d",
        "1 [2] m",
        "0 0 m 10 l",
        "0 0 0 0 0 rg",
        "1 2",
        "w",
        "1 0 0 1 0 0 Tm",
        "/F1 12 Tf",
        "(x) Tj",
        "1 1 1 sc",
    ],
)
def test_portable_refuses_what_is_not_a_whole_drawing_operator(bad):
    from handouts.figures import kept

    assert not kept.portable(["q", bad, "Q"])


def test_a_drawing_kept_under_another_invariant_setting_is_not_read(cached, monkeypatch):
    from reportlab import rl_config

    from handouts.figures import kept

    kept.write("key", 10.0, 10.0, ["q", "Q"])
    assert kept.read("key") == (10.0, 10.0, ["q", "Q"])
    monkeypatch.setattr(rl_config, "invariant", 0 if rl_config.invariant else 1)
    assert kept.read("key") is None


LONG_NOTE = " ".join(["Keep the elbows low and stop if the tingling in the fingers comes back."] * 2)


def _listing(folder: Path) -> dict:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.mark.parametrize("private", [True, False], ids=["private", "check-the-check"])
def test_a_patients_sheet_keeps_nothing_in_the_cache(run, cached, project, tmp_path, monkeypatch, private):
    """A personalised sheet's pictures are sized to the room its note and dose leave: kept, their
    entries would tell how long a patient's note was, and when. The cache is read, never written."""
    from contextlib import nullcontext

    from handouts import cachedir

    cfg = project / "exercises.yaml"
    sheet(run, cfg, tmp_path / "plain.pdf", exercise="doorway-stretch")
    before = _listing(cached)
    assert len(drawings(cached, "picture")) == 2
    if not private:  # the same run without the rule writes the smaller panels: the test can fail
        monkeypatch.setattr(cachedir, "private", lambda on=True: nullcontext())
    args = ["--patient", "Ann Example", "--reps", "8", "--note", LONG_NOTE]
    sheet(run, cfg, tmp_path / "ann.pdf", options=args, exercise="doorway-stretch")
    if private:
        assert _listing(cached) == before
    else:
        assert len(drawings(cached, "picture")) > 2


def test_two_versions_sharing_a_cache_keep_an_entry_each(cached, monkeypatch):
    """Two installed versions of Handouts (say, a clinic's CI and a laptop) alternating on one cache
    folder must not write over each other's drawings on every run."""
    from handouts import cachedir
    from handouts.figures import kept

    kept.write("key", 10.0, 10.0, ["q", "Q"])
    with monkeypatch.context() as m:
        m.setattr(cachedir, "code_stamp", lambda: "another version")
        assert kept.read("key") is None
        kept.write("key", 20.0, 20.0, ["q", "Q"])
        assert kept.read("key") == (20.0, 20.0, ["q", "Q"])
    assert kept.read("key") == (10.0, 10.0, ["q", "Q"])
    assert len(list(cached.glob("drawing-*.json"))) == 2


def test_every_operator_has_a_letter_of_its_own():
    from handouts.figures import kept

    assert set(kept._LETTER) == {*kept.OPERANDS, "[", "]"}
    assert len(set(kept._LETTER.values())) == len(kept._LETTER)
    assert "#" not in kept._LETTER.values()


def _chosen():
    from handouts.model import Prescription, Range, Schedule

    return [
        ("dose", {"rx": Prescription(reps=8, personal=True)}),
        ("schedule", {"schedule": Schedule(Range(3, 3), Range(6, 6))}),
    ]


@pytest.mark.parametrize("name,chosen", _chosen(), ids=[c[0] for c in _chosen()])
def test_a_sheet_with_a_chosen_dose_keeps_no_drawings(cached, project, name, chosen):
    """A dose or schedule chosen for a patient is about them: a sheet with one (through the API,
    which needs no name) keeps nothing from inside the document."""
    from handouts import api
    from handouts.pdf.writer import fixed_time
    from handouts.render.document import Options, context
    from handouts.render.sheet import render_sheet

    lib = api.load(str(project / "exercises.yaml"))
    theme, labels = context(lib, Options())
    ex = lib.exercise("doorway-stretch")
    with fixed_time(int(EPOCH)):
        render_sheet(lib, ex, theme, labels, **chosen)
        assert drawings(cached, "picture") == [] and drawings(cached) == []
        forget()
        render_sheet(lib, ex, theme, labels)
    assert len(drawings(cached, "picture")) == 2  # the same sheet unchosen keeps them
