"""With an audit hook watching every open, rename, removal and new folder: whatever manifest,
language code, output path or CSV file cell it is given, a build, batch or prune touches
nothing outside its output folder, and never reports a wrong file as unchanged.

The hook (``sys.addaudithook``) sees what the interpreter does, not what the code says it does,
so a path that escapes through ``..``, a link or an absolute name in any module is caught.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import invoke, write_base_library

MANIFEST = ".handouts-manifest.json"
_WATCH: dict = {"on": False, "events": []}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _hook(event: str, args) -> None:
    if not _WATCH["on"]:
        return
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writing and isinstance(path, str | bytes | os.PathLike):
            _WATCH["events"].append(("write", os.fsdecode(path)))
        elif isinstance(path, str | bytes | os.PathLike):
            _WATCH["events"].append(("read", os.fsdecode(path)))
    elif event == "os.rename":
        _WATCH["events"] += [("rename", os.fsdecode(args[0])), ("rename", os.fsdecode(args[1]))]
    elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.truncate", "os.chmod", "os.symlink"):
        if isinstance(args[0], str | bytes | os.PathLike):
            _WATCH["events"].append((event, os.fsdecode(args[0])))
    elif event == "shutil.rmtree":
        _WATCH["events"].append((event, os.fsdecode(args[0])))


sys.addaudithook(_hook)


def _inside(path: str, folder: Path) -> bool:
    p = Path(os.path.abspath(path))
    return p == folder or folder in p.parents


def _watched(fn):
    _WATCH["events"] = []
    _WATCH["on"] = True
    old, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        return fn()
    finally:
        _WATCH["on"] = False
        sys.dont_write_bytecode = old


def _check(events, out: Path, root: Path) -> None:
    """Writes only inside OUT; reads inside the temporary root only of the inputs and OUT."""
    for kind, path in events:
        if kind == "read":
            if _inside(path, root):
                assert _inside(path, out) or _inside(path, root / "lib"), f"read outside: {path}"
            continue
        assert _inside(path, out), f"{kind} outside the output folder: {path}"


HOSTILE_NAMES = st.sampled_from(
    [
        "../victim.txt",
        "../../victim.txt",
        "/tmp/victim.txt",
        "sheets/../../victim.txt",
        "sheets/../../lib/library.yaml",
        "booklet.pdf",
        "sheets/squeeze.pdf",
        "large-print/booklet.pdf",
        "Ann-Example-2026-12-01.pdf",
        "..",
        "",
        ".",
        "sheets/link/x.pdf",
        "a\\..\\..\\victim.txt",
    ]
)
ENTRIES = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=5),
    st.fixed_dictionaries(
        {
            "fingerprint": st.text(max_size=8),
            "sha256": st.sampled_from(["0" * 64, "f" * 64, "xyz"]),
            "size": st.one_of(st.integers(-1, 10**6), st.booleans()),
            "maker": st.sampled_from(["build", "batch", "site", None]),
        }
    ),
)
MANIFESTS = st.one_of(
    st.none(),
    st.just("{corrupt"),
    st.fixed_dictionaries(
        {
            "version": st.sampled_from([1, 2, "2", None]),
            "outputs": st.one_of(st.none(), st.lists(st.integers()), st.dictionaries(HOSTILE_NAMES, ENTRIES)),
            "site": st.one_of(st.none(), st.dictionaries(HOSTILE_NAMES, st.text(max_size=4))),
        }
    ),
)
LANGS = st.sampled_from(
    ["en", "sv", "../lib/library", "../../etc/passwd", "sv/../..", "EN", "e n", "all", "xx"]
)
OUT_NAMES = st.sampled_from(["out", "out/deeper", "lib/../out", "out/./x"])
CELLS = st.one_of(
    st.sampled_from(
        ["../../victim", "/tmp/victim", "CON", "a/b", "..", "€" * 100, "x" * 300, "ann", ".hidden"]
    ),
    st.text(max_size=30),
)


def _setup(root: Path) -> tuple[Path, Path]:
    lib = root / "lib"
    lib.mkdir()
    config = write_base_library(lib)
    victim = root / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    return config, victim


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(manifest=MANIFESTS, lang=LANGS, out_name=OUT_NAMES, prune=st.booleans(), link=st.booleans())
def test_build_and_prune_stay_inside_out(manifest, lang, out_name, prune, link):
    with tempfile.TemporaryDirectory() as d:
        root = Path(d).resolve()
        config, victim = _setup(root)
        out = root / "out"
        out.mkdir()
        if manifest is not None:
            text = manifest if isinstance(manifest, str) else json.dumps(manifest)
            (out / MANIFEST).write_text(text, encoding="utf-8")
        if link:
            (out / "sheets").mkdir()
            (out / "sheets" / "link").symlink_to(root)
        target = root / out_name
        args = ["--config", config, "build", "--out", target, "--jobs", "1", "-q"]
        if lang != "en":
            args += ["--lang", lang]
        if prune:
            args.append("--prune")
        result = _watched(lambda: invoke(*args))
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1, 2), result.output
        _check(_WATCH["events"], out, root)
        assert victim.read_text(encoding="utf-8") == "precious"
        assert (config.parent / "library.yaml").read_text(encoding="utf-8").startswith("schema_version")
        if result.exit_code == 0:  # what is recorded as built is the file on disk
            _recorded_files_are_on_disk(target)


def _recorded_files_are_on_disk(out: Path) -> None:
    from handouts.manifest import file_hash, read_manifest

    for name, entry in read_manifest(out)["outputs"].items():
        assert file_hash(str(out / name)) == entry["sha256"], name


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(cells=st.lists(CELLS, min_size=1, max_size=4), langs=st.lists(LANGS, min_size=1, max_size=4))
def test_batch_file_cells_and_languages_stay_inside_out(cells, langs):
    with tempfile.TemporaryDirectory() as d:
        root = Path(d).resolve()
        config, victim = _setup(root)
        out = root / "out"
        rows = ["patient,clinician,date,exercises,file,lang"]
        for i, cell in enumerate(cells):
            quoted = '"' + cell.replace('"', '""') + '"'
            rows.append(f'P{i},Sam,2026-12-01,squeeze,{quoted},"{langs[i % len(langs)]}"')
        csv_path = root / "lib" / "patients.csv"
        csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        result = _watched(
            lambda: invoke("--config", config, "batch", csv_path, "--out", out, "-j", "1", "-q")
        )
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        _check(_WATCH["events"], out, root)
        assert victim.read_text(encoding="utf-8") == "precious"
        if out.is_dir():
            _recorded_files_are_on_disk(out)


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    target=st.sampled_from(
        [
            "-",
            "x.pdf",
            "dir/",
            "lib/library.yaml",
            "lib/",
            "victim.txt",
            "../x.pdf",
            "a/b/c.pdf",
            "x",
            "out.PDF",
        ]
    ),
    several=st.booleans(),
    command=st.sampled_from(["sheet", "booklet"]),
)
def test_output_option_writes_only_what_it_names(target, several, command):
    with tempfile.TemporaryDirectory() as d:
        root = Path(d).resolve()
        config, victim = _setup(root)
        work = root / "work"
        work.mkdir()
        before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        cwd = os.getcwd()
        os.chdir(work)
        try:
            args = ["--config", config, command]
            if command == "sheet":
                args += ["squeeze", "stretch"] if several else ["squeeze"]
            result = _watched(lambda: invoke(*args, "-o", target if target != "dir/" else str(work) + "/"))
        finally:
            os.chdir(cwd)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        for p, data in before.items():
            assert p.read_bytes() == data, f"{p} was changed"
        for kind, path in _WATCH["events"]:
            if kind not in ("read", "os.mkdir"):  # a new folder for several sheets is fine
                assert Path(path).suffix in (".pdf", ".PDF", ".tmp") or Path(path).is_dir(), (kind, path)
        shutil.rmtree(work, ignore_errors=True)
