"""The validated library's cache: the same documents with and without it, rebuilt when stale, and
ignored (and rebuilt) when corrupt or hostile, running no code. Every cache here is in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES

from handouts import cachedir
from handouts.figures import cached as cached_shapes
from handouts.read import cache
from handouts.read import library as reader


@pytest.fixture
def cached(monkeypatch, tmp_path):
    """The cache turned on, in tmp_path/cache."""
    monkeypatch.delenv("HANDOUTS_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "handouts"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("library-*.json")) if folder.is_dir() else []


def test_the_folder_follows_xdg_cache_home_and_only_an_absolute_one(monkeypatch, tmp_path):
    monkeypatch.setattr(cachedir.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cachedir.folder() == tmp_path / "handouts"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cachedir.folder() == tmp_path / "home" / ".cache" / "handouts"


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_one(cached, project, monkeypatch):
    lib_path = project / "exercises.yaml"
    first = reader.load_library(lib_path)
    assert len(entries(cached)) == 1
    with monkeypatch.context() as mp:
        mp.setattr(reader, "validate_node", lambda *a: pytest.fail("validated again"))
        second = reader.load_library(lib_path)
    assert second == first
    assert second.path == lib_path
    assert [p.image for e in second.exercises for p in e.pictures] == [
        p.image for e in first.exercises for p in e.pictures
    ]
    assert second.brand.logo == first.brand.logo
    # only the library's files: nothing anywhere else under the cache folder's parent
    assert sorted(p.name for p in cached.parent.rglob("*")) == ["handouts", entries(cached)[0].name]


@pytest.mark.parametrize("personal", [(), ("--patient", "Zed Cachetest", "--reps", "7", "--note", "Knee op")])
def test_cached_and_uncached_runs_write_the_same_bytes(run, cached, project, tmp_path, monkeypatch, personal):
    cfg = project / "exercises.yaml"
    fresh = tmp_path / "fresh.pdf"
    assert run("--config", cfg, "--no-cache", "sheet", "wall-angels", *personal, "-o", fresh).exit_code == 0
    assert entries(cached) == []  # --no-cache neither reads nor writes
    monkeypatch.delenv("HANDOUTS_NO_CACHE", raising=False)  # --no-cache set it for this process
    assert run("--config", cfg, "sheet", "wall-angels", *personal, "-o", tmp_path / "one.pdf").exit_code == 0
    assert len(entries(cached)) == 1
    monkeypatch.setattr(reader, "validate_node", lambda *a: pytest.fail("validated again"))
    result = run("--config", cfg, "sheet", "wall-angels", *personal, "-o", tmp_path / "two.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "two.pdf").read_bytes() == fresh.read_bytes()
    assert (tmp_path / "one.pdf").read_bytes() == fresh.read_bytes()
    # nothing about a patient in the cache
    for entry in entries(cached):
        text = entry.read_text(encoding="utf-8")
        assert "Zed" not in text and "Knee op" not in text


def test_the_environment_variable_turns_the_cache_off(cached, project, monkeypatch):
    monkeypatch.setenv("HANDOUTS_NO_CACHE", "1")
    reader.load_library(project / "exercises.yaml")
    reader.load_library(project / "exercises.yaml")
    assert entries(cached) == []


def test_warnings_still_print_from_a_cached_library_and_strict_still_fails(run, cached, tmp_path):
    text = (FIXTURES / "minimal.yaml").read_text().replace("    dose:\n", "    clinic_code: X1\n    dose:\n")
    lib = tmp_path / "lib.yaml"
    lib.write_text(text)
    first = run("--config", lib, "validate")
    assert first.exit_code == 0 and "clinic_code: unknown key, ignored" in first.stderr
    assert len(entries(cached)) == 1
    again = run("--config", lib, "validate")
    assert again.exit_code == 0
    assert again.stderr == first.stderr
    strict = run("--config", lib, "validate", "--strict")
    assert strict.exit_code == 2
    assert f"{lib}:48:5: exercises[0].clinic_code: unknown key, ignored" in strict.stderr


def test_a_changed_figure_file_or_library_is_validated_again(cached, project):
    lib_path = project / "exercises.yaml"
    before = reader.load_library(lib_path)
    fig = project / "assets" / "figures" / "wall-angels.yaml"
    caption = before.exercise("wall-angels").pictures[0].caption
    fig.write_text(fig.read_text(encoding="utf-8").replace(caption, "A caption changed"), encoding="utf-8")
    after = reader.load_library(lib_path)
    assert after.exercise("wall-angels").pictures[0].caption == "A caption changed"
    lib_path.write_text(lib_path.read_text(encoding="utf-8").replace("Wall angels", "Wall seraphs", 1))
    assert reader.load_library(lib_path).exercise("wall-angels").name == "Wall seraphs"
    # an error is still reported from a library once cached
    lib_path.write_text(lib_path.read_text(encoding="utf-8").replace("reps: 10", "reps: 0", 1))
    with pytest.raises(Exception, match="reps"):
        reader.load_library(lib_path)


def _mutations():
    """(name, change to the entry's JSON data): each must be refused."""

    def exercise(d):
        return d["model"]["exercises"][0]

    def first_figure(d):
        return next(p["figure"] for e in d["model"]["exercises"] for p in e["pictures"] if p["figure"])

    return [
        ("wrong format", lambda d: d.update(format=99)),
        ("another version of the code", lambda d: d.update(code="0" * 64)),
        ("another library", lambda d: d.update(library="/elsewhere/exercises.yaml")),
        ("a listed file changed", lambda d: d["files"].update({next(iter(d["files"])): "0" * 64})),
        ("no files", lambda d: d.update(files={})),
        ("a listed file outside", lambda d: d["files"].update({"../../etc/passwd": "0" * 64})),
        ("a logo outside", lambda d: d["model"]["brand"].update(logo={"_path": "../../etc/passwd"})),
        ("an absolute logo", lambda d: d["model"]["brand"].update(logo={"_path": "/etc/passwd"})),
        ("a huge number", lambda d: exercise(d)["dose"].update(sets=10**400)),
        ("a big number", lambda d: exercise(d)["dose"].update(sets=10**9)),
        ("a huge float", lambda d: first_figure(d).update(extent=[1e308, 1.0, 1.0])),
        ("a number as text", lambda d: exercise(d)["dose"].update(sets="3")),
        ("a bool as a number", lambda d: exercise(d)["dose"].update(sets=True)),
        ("text as a number", lambda d: exercise(d).update(name=12)),
        ("a missing field", lambda d: exercise(d).pop("name")),
        ("an extra field", lambda d: exercise(d).update(__class__="os.system")),
        ("an unknown class", lambda d: exercise(d)["dose"].update(_t="Popen")),
        ("a class in the wrong place", lambda d: exercise(d).update(dose={"_t": "Range", "low": 1, "high": 2})),
        ("a wrong-length tuple", lambda d: first_figure(d).update(extent=[1.0, 2.0])),
        ("a figure that is not one", lambda d: exercise(d)["pictures"][0].update(figure={"_t": "Pose"})),
        ("a pickle", lambda d: d["model"].update(path="cos\nsystem\n(S'touch pwned'\ntR.")),
        ("a list for the model", lambda d: d.update(model=[])),
        ("deep nesting", lambda d: exercise(d).update(name=json.loads("[" * 40 + "1" + "]" * 40))),
    ]  # fmt: skip


@pytest.mark.parametrize("name,mutate", _mutations(), ids=[m[0] for m in _mutations()])
def test_a_hostile_or_wrong_entry_is_ignored_and_rebuilt(cached, project, monkeypatch, name, mutate):
    lib_path = project / "exercises.yaml"
    fresh = reader.load_library(lib_path)
    (entry,) = entries(cached)
    good = entry.read_text(encoding="utf-8")
    data = json.loads(good)
    mutate(data)
    entry.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.chdir(project)
    assert cache.read(lib_path) is None
    again = reader.load_library(lib_path)
    assert again == fresh
    assert entry.read_text(encoding="utf-8") == good  # rebuilt
    assert not (project / "pwned").exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: "\x00garbage{",  # corrupt
        lambda text: "",  # empty
        lambda text: "NaN",
        lambda text: '{"format": 1, "x": ' * 5000 + "1" + "}" * 5000,  # deep
        lambda text: text.replace('"_t":"Library"', '"_t":"Library","_t":"Library"'),
    ],
    ids=["truncated", "corrupt", "empty", "nan", "deep", "duplicate-key"],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(cached, project, damage):
    lib_path = project / "exercises.yaml"
    fresh = reader.load_library(lib_path)
    (entry,) = entries(cached)
    good = entry.read_text(encoding="utf-8")
    entry.write_text(damage(good), encoding="utf-8")
    assert reader.load_library(lib_path) == fresh
    assert entry.read_text(encoding="utf-8") == good


def test_an_unreadable_or_unwritable_cache_is_no_error(cached, project, monkeypatch, tmp_path):
    lib_path = project / "exercises.yaml"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert reader.load_library(lib_path).ids  # cannot write: validated each time, no error
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    reader.load_library(lib_path)
    (entry,) = entries(cached)
    entry.unlink()
    entry.mkdir()  # an entry that is a folder
    assert reader.load_library(lib_path).ids


@pytest.mark.parametrize(
    "text",
    [
        '[["line", 1.0, null, null, null, "", "", [1e308, 0.0, 1.0, 1.0]]]',  # a huge number
        '[["poly", 1.0, null, null, null, "", "", [1.0, 2.0, 3.0]]]',  # an odd count of coordinates
        '[["exec", 1.0, null, null, null, "", "", [1.0, 2.0]]]',  # an unknown kind
        '[["line", "1", null, null, null, "", "", [1.0, 2.0]]]',  # a width as text
        '[["line", 1.0, null, null, [1.0], "", "", [1.0, 2.0]]]',  # a dash of one number
        '{"kind": "line"}',
        "not json",
    ],
)
def test_hostile_figure_shapes_are_ignored_and_the_figure_posed_again(
    run, cached, project, tmp_path, monkeypatch, text
):
    from dataclasses import replace

    from handouts.figures import render

    cfg = project / "exercises.yaml"
    fresh = tmp_path / "fresh.pdf"
    assert run("--config", cfg, "sheet", "wall-angels", "-o", fresh).exit_code == 0
    (entry,) = entries(cached)
    data = json.loads(entry.read_text(encoding="utf-8"))
    lib = reader.load_library(cfg)
    figures = [p.figure for e in lib.exercises for p in e.pictures if p.figure is not None]
    wall = lib.exercise("wall-angels").pictures[0].figure
    at = figures.index(wall)
    data["shapes"][at] = text
    entry.write_text(json.dumps(data), encoding="utf-8")
    cached_shapes.SHAPES.clear()
    render._bounds.cache_clear()
    render._build.cache_clear()
    render._unit_shapes.cache_clear()
    render.picture_flowable.cache_clear()
    assert cache.read(cfg) is not None  # the model is sound; only the shapes are checked when drawn
    assert cached_shapes.known_shapes(replace(wall, extent=None)) is None
    assert cached_shapes.known_shapes(replace(figures[at + 1], extent=None))  # the others are used
    assert run("--config", cfg, "sheet", "wall-angels", "-o", tmp_path / "again.pdf").exit_code == 0
    assert (tmp_path / "again.pdf").read_bytes() == fresh.read_bytes()


def test_a_translation_is_cached_over_its_library_and_rebuilt_when_either_changes(
    run, cached, project, tmp_path, monkeypatch
):
    from handouts import api
    from handouts.read import translation

    cfg = project / "exercises.yaml"
    fresh = tmp_path / "fresh.pdf"
    assert (
        run("--config", cfg, "--no-cache", "sheet", "wall-angels", "--lang", "sv", "-o", fresh).exit_code == 0
    )
    monkeypatch.delenv("HANDOUTS_NO_CACHE", raising=False)
    monkeypatch.setattr(translation, "_LOCALISED", {})  # as in a new process
    assert (
        run("--config", cfg, "sheet", "wall-angels", "--lang", "sv", "-o", tmp_path / "one.pdf").exit_code
        == 0
    )
    assert len(entries(cached)) == 2  # the library, and the library in Swedish
    with monkeypatch.context() as mp:
        mp.setattr(translation, "apply_translation", lambda *a: pytest.fail("translated again"))
        mp.setattr(reader, "validate_node", lambda *a: pytest.fail("validated again"))
        result = run("--config", cfg, "sheet", "wall-angels", "--lang", "sv", "-o", tmp_path / "two.pdf")
        assert result.exit_code == 0, result.output
    assert (tmp_path / "one.pdf").read_bytes() == fresh.read_bytes()
    assert (tmp_path / "two.pdf").read_bytes() == fresh.read_bytes()
    # a changed translation is read again
    sv = project / "exercises.sv.yaml"
    lib = api.load(str(cfg))
    name = api.localised(lib, "sv").exercise("wall-angels").name
    sv.write_text(sv.read_text(encoding="utf-8").replace(name, "Vinkelvinkar", 1), encoding="utf-8")
    monkeypatch.setattr(translation, "_LOCALISED", {})  # a new process
    assert api.localised(api.load(str(cfg)), "sv").exercise("wall-angels").name == "Vinkelvinkar"
    # a library not read by this process (changed in memory) is never given a cached translation
    from dataclasses import replace

    changed = replace(lib, promotions=())
    assert cache.files_of(changed) is None
    assert api.localised(changed, "sv").exercise("wall-angels").name == "Vinkelvinkar"


def test_each_model_class_is_read_with_the_types_its_fields_declare():
    """The decoder reads each field's annotation once per module: the very types
    ``typing.get_type_hints`` gives, for every class an entry may hold."""
    import typing

    for cls in cache._classes().values():
        assert cache._hints(cls) == typing.get_type_hints(cls), cls.__name__


def test_one_decoder_a_type_checks_as_reading_the_type_each_time(project):
    lib = reader.load_library(project / "exercises.yaml")
    base = (project / "exercises.yaml").resolve().parent
    data = cache.encode(lib, base)
    cache._DECODERS.clear()
    first = cache.decode(data, type(lib), base, cache._classes())
    assert first == lib
    assert len(cache._DECODERS) > 20  # a decoder for each kind of value, made once
    assert cache.decode(data, type(lib), base, cache._classes()) == lib
    data["exercises"][0]["dose"]["sets"] = "3"
    with pytest.raises(cache.Refused):
        cache.decode(data, type(lib), base, cache._classes())


def test_a_decoder_made_in_one_thread_is_whole_in_another(project, monkeypatch):
    """A class's decoder learns its fields on first use; a second thread decoding meanwhile
    makes its own or uses the whole one, never one with fields missing."""
    import threading
    import time

    from handouts import model

    lib = reader.load_library(project / "exercises.yaml")
    base = (project / "exercises.yaml").resolve().parent
    data = cache.encode(lib, base)
    monkeypatch.setattr(cache, "_DECODERS", {})
    monkeypatch.setattr(cache, "_HINTS", {})
    real, paused = cache._decoder, threading.Event()

    def slow(hint, classes):  # the first thread pauses part-way through a class's fields
        if threading.current_thread().name == "first" and hint == tuple[str, ...] and not paused.is_set():
            paused.set()
            time.sleep(0.3)
        return real(hint, classes)

    monkeypatch.setattr(cache, "_decoder", slow)
    out = {}

    def run(name):
        out[name] = cache.decode(data, model.Library, base, cache._classes())

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert paused.wait(10)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    second.join()
    first.join()
    assert out["first"] == lib
    assert out["second"] == lib
