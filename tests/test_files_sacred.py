"""Files are sacred: builds write only inside OUT, delete only what they wrote, never report a
wrong file as unchanged, and stop cleanly when interrupted."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from procs import alive, children, handouts_env
from pypdf import PdfReader

from handouts import build as b
from handouts import fingerprint as fpr
from handouts import manifest as mf
from handouts.model import Job
from handouts.paths import Escape, confine, safe_file_name
from handouts.read import patients as batch_module

MANIFEST = ".handouts-manifest.json"


def _manifest(out: Path) -> dict:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))


def _write_manifest(out: Path, data) -> None:
    (out / MANIFEST).write_text(json.dumps(data), encoding="utf-8")


def _handouts(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handouts", *map(str, args)],
        capture_output=True,
        text=True,
        env=handouts_env(),
        timeout=kw.pop("timeout", 120),
        **kw,
    )


# -- prune ---------------------------------------------------------------------------------


def test_prune_never_follows_hostile_manifest_entries(run, project, tmp_path):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out, "-q").exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    data = _manifest(out)
    some = next(iter(data["outputs"].values()))
    for hostile in ("../victim.txt", str(victim), "sheets/../../victim.txt", "sheets\\..\\..\\victim.txt"):
        data["outputs"][hostile] = dict(some)
    _write_manifest(out, data)
    result = run("--config", cfg, "build", "--out", out, "--prune")
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "precious"
    assert "victim" not in result.output


def test_prune_keeps_batch_outputs_and_the_other_edition(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    csv = project / "patients.csv"
    csv.write_text("patient,clinician,date,exercises\nAnn Example,Sam,2026-12-01,cat-cow\n", encoding="utf-8")
    assert run("--config", cfg, "batch", csv, "--out", out, "-q").exit_code == 0
    assert run("--config", cfg, "build", "--out", out, "--large-print", "-q").exit_code == 0
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert "Ann-Example-2026-12-01.pdf" in before and "large-print/booklet.pdf" in before
    result = run("--config", cfg, "build", "--out", out, "--prune")
    assert result.exit_code == 0, result.output
    after = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert after == before


def test_prune_removes_only_the_file_it_wrote(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out, "-q").exit_code == 0
    text = cfg.read_text(encoding="utf-8")
    start = text.index("  - id: thread-the-needle")
    end = text.index("  - id: thoracic-rotation")
    cfg.write_text(text[:start] + text[end:], encoding="utf-8")
    (out / "sheets" / "cat-cow.pdf").write_bytes(b"%PDF-1.7 the clinic's own edited copy")
    mine = out / "sheets" / "thread-the-needle.pdf"
    result = run("--config", cfg, "build", "--out", out, "--prune")
    assert result.exit_code == 0, result.output
    assert not mine.exists()
    assert "removed 1 stale output(s): sheets/thread-the-needle.pdf" in result.output
    assert (out / "sheets" / "cat-cow.pdf").is_file()  # rebuilt: it is still in the library


def test_prune_leaves_a_stale_file_the_clinic_changed(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out, "-q").exit_code == 0
    changed = out / "sheets" / "thread-the-needle.pdf"
    changed.write_bytes(changed.read_bytes() + b"\n% annotated by the clinic\n")
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(
        text[: text.index("  - id: thread-the-needle")] + text[text.index("  - id: thoracic-rotation") :],
        encoding="utf-8",
    )
    result = run("--config", cfg, "build", "--out", out, "--prune")
    assert result.exit_code == 0
    assert changed.is_file() and "left alone" in result.stderr


# -- manifests -----------------------------------------------------------------------------

MALFORMED = [
    "null",
    "[]",
    '"text"',
    '{"version": 2}',
    '{"version": 2, "outputs": null}',
    '{"version": 2, "outputs": []}',
    '{"version": 2, "outputs": {"sheets/cat-cow.pdf": null}}',
    '{"version": 2, "outputs": {"sheets/cat-cow.pdf": {}}}',
    '{"version": 2, "outputs": {"sheets/cat-cow.pdf": {"fingerprint": 1, "sha256": [], "size": "x"}}}',
    '{"version": 2, "outputs": {"": {"fingerprint": "a", "sha256": "b", "size": 1, "maker": "build"}}}',
    '{"version": "2", "outputs": {}}',
    "{not json",
    "\x00\x01binary",
]


@pytest.mark.no_pdf_check
@pytest.mark.parametrize("text", MALFORMED)
def test_a_malformed_manifest_reads_as_empty(tmp_path, text):
    (tmp_path / MANIFEST).write_text(text, encoding="utf-8")
    (tmp_path / "sheets").mkdir()
    (tmp_path / "sheets" / "cat-cow.pdf").write_bytes(b"%PDF-")
    assert mf.read_manifest(tmp_path)["outputs"] == {}


def test_a_malformed_manifest_is_ignored_and_everything_rebuilt(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    assert run("--config", cfg, "build", "--out", out, "-q").exit_code == 0
    (out / MANIFEST).write_text('{"version": 2, "outputs": {"booklet.pdf": null, "x": []}}', encoding="utf-8")
    result = run("--config", cfg, "build", "--out", out, "--prune")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("built 9, unchanged 0")
    assert run("--config", cfg, "build", "--out", out).output.startswith("built 0, unchanged 9")


def test_a_file_replaced_behind_the_manifest_is_rebuilt_not_unchanged(run, project):
    """As after a Letter build killed before it recorded anything: the files are not the ones
    the manifest recorded, so the next A4 build must rebuild them."""
    cfg, out, letter = project / "exercises.yaml", project / "out", project / "letter"
    assert run("--config", cfg, "build", "--out", out, "-q").exit_code == 0
    assert run("--config", cfg, "build", "--out", letter, "--paper", "letter", "-q").exit_code == 0
    for name in ("cat-cow", "wall-angels", "childs-pose"):
        shutil.copy(letter / "sheets" / f"{name}.pdf", out / "sheets" / f"{name}.pdf")
    result = run("--config", cfg, "build", "--out", out)
    assert result.output.startswith("built 3, unchanged 6"), result.output
    for name in ("cat-cow", "wall-angels", "childs-pose"):
        box = PdfReader(out / "sheets" / f"{name}.pdf").pages[0].mediabox
        assert round(float(box.height)) == 842  # A4 again


def test_a_second_build_into_the_same_folder_waits_its_turn(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    out.mkdir()
    with open(out / ".handouts.lock", "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = run("--config", cfg, "build", "--out", out)
    assert result.exit_code == 2
    assert "another Handouts build is writing into this folder" in result.stderr
    assert not list(out.rglob("*.pdf"))
    assert run("--config", cfg, "build", "--out", out, "-q").exit_code == 0


def test_engine_versions_are_in_the_fingerprint(monkeypatch, library):
    job = Job("sheet", "sheets/cat-cow.pdf", exercise="cat-cow")
    before = fpr.fingerprint(library, job, 0)
    monkeypatch.setattr(fpr, "engine_versions", lambda: ("reportlab=99.0",))
    assert fpr.fingerprint(library, job, 0) != before


def test_the_manifest_forgets_files_that_are_gone(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    csv = project / "patients.csv"
    csv.write_text("patient,clinician,date,exercises\nAnn Example,Sam,2026-12-01,cat-cow\n", encoding="utf-8")
    assert run("--config", cfg, "batch", csv, "--out", out, "-q").exit_code == 0
    assert "Ann-Example" in (out / MANIFEST).read_text(encoding="utf-8")
    (out / "Ann-Example-2026-12-01.pdf").unlink()
    assert run("--config", cfg, "build", "--out", out, "-q").exit_code == 0
    text = (out / MANIFEST).read_text(encoding="utf-8")
    assert "Ann" not in text and "Example" not in text


# -- paths ---------------------------------------------------------------------------------


def test_a_linked_output_subfolder_is_refused(run, project, tmp_path):
    cfg, out = project / "exercises.yaml", project / "out"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    (out / "sheets").symlink_to(elsewhere)
    result = run("--config", cfg, "build", "--out", out)
    assert result.exit_code == 2
    assert "is a symbolic link" in result.stderr and "Traceback" not in result.output
    assert list(elsewhere.iterdir()) == []
    assert (out / "booklet.pdf").is_file()


@pytest.mark.parametrize(
    "rel",
    ["../x.pdf", "/etc/x.pdf", "a/../../x.pdf", "", ".", "a//b.pdf", "C:/x.pdf", "a\\..\\x.pdf", "a\x00.pdf"],
)
def test_confine_refuses_every_way_out(tmp_path, rel):
    with pytest.raises(Escape):
        confine(tmp_path, rel)


def test_confine_refuses_a_link_at_the_end_too(tmp_path):
    (tmp_path / "x").symlink_to(tmp_path.parent / "victim")
    with pytest.raises(Escape):
        confine(tmp_path, "x")
    assert confine(tmp_path, "sheets/a.pdf") == tmp_path / "sheets" / "a.pdf"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("CON", "CON-.pdf"),
        ("nul.txt", "nul.txt-.pdf"),
        ("name. . ", "name.pdf"),
        ("../../etc/passwd", "etc-passwd.pdf"),
        ("a\\b:c", "a-b-c.pdf"),
    ],
)
def test_output_names_are_safe_everywhere(cell, expected):
    assert safe_file_name(cell) == expected


def test_a_very_long_file_cell_is_cut_to_a_name_the_disk_accepts(run, project):
    cfg, out = project / "exercises.yaml", project / "out"
    csv = project / "patients.csv"
    rows = ["patient,clinician,date,exercises,file"]
    rows += ["Ann Example,Sam,2026-12-01,cat-cow," + "€" * 100]
    rows += ["Bo Example,Sam,2026-12-01,cat-cow," + "€" * 100]
    rows += ["Cy Example,Sam,2026-12-01,cat-cow,cy"]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("--config", cfg, "batch", csv, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert len(names) == 3 and "cy.pdf" in names
    assert all(len(n.encode()) <= 200 for n in names)


def test_output_naming_is_linear(monkeypatch):
    """8,000 rows for one patient and date: each name is looked up a bounded number of times."""
    probes = [0]

    class Counting(set):
        def __contains__(self, item):
            probes[0] += 1
            return super().__contains__(item)

    monkeypatch.setattr(batch_module, "set", Counting, raising=False)
    prog = object()
    rows = [batch_module.Row(i, _Prog(), None) for i in range(8000)]
    names = batch_module.output_names(rows)
    assert len(set(names)) == 8000
    assert probes[0] <= 3 * len(rows), probes[0]
    assert prog is not None


class _Prog:
    patient = "Ann Example"
    start = "2026-12-01"


# -- inputs and streams -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["library", "programme", "csv"])
def test_a_fifo_as_input_is_refused_not_waited_on(project, kind):
    fifo = project / f"input.{'csv' if kind == 'csv' else 'yaml'}"
    os.mkfifo(fifo)
    args = {
        "library": ["--config", fifo, "validate"],
        "programme": ["--config", project / "exercises.yaml", "program", fifo, "-o", project / "p.pdf"],
        "csv": ["--config", project / "exercises.yaml", "batch", fifo, "--out", project / "out"],
    }[kind]
    done = _handouts(*args, cwd=project, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_a_full_standard_output_is_a_message_not_a_traceback(project):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "handouts", "--config", project / "exercises.yaml", "list"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=handouts_env(),
            timeout=60,
        )
    assert done.returncode == 1
    assert "cannot write to standard output" in done.stderr and "Traceback" not in done.stderr


def test_a_closed_stderr_still_builds(project):
    out = project / "out"
    cmd = f"{sys.executable} -m handouts --config exercises.yaml build --out out --jobs 1 2>&-"
    done = subprocess.run(
        ["bash", "-c", cmd], cwd=project, env=handouts_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout
    assert len(list(out.rglob("*.pdf"))) == 9


# -- interrupts ------------------------------------------------------------------------------


def _big_batch(project: Path, rows: int) -> Path:
    csv = project / "patients.csv"
    lines = ["patient,clinician,date,exercises"]
    lines += [f"P{i},Sam,2026-12-01,cat-cow:2x{5 + i % 10};wall-angels;childs-pose" for i in range(rows)]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return csv


def _start_batch(project: Path, out: Path, stream) -> subprocess.Popen:
    """A 200-row batch with two workers, running as a real process."""
    csv = _big_batch(project, 200)
    cmd = [
        sys.executable,
        "-m",
        "handouts",
        "--config",
        "exercises.yaml",
        "batch",
        csv,
        "--out",
        out,
        "-j",
        "2",
    ]
    return subprocess.Popen(cmd, cwd=project, env=handouts_env(), stdout=stream, stderr=stream, text=True)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_stops_a_parallel_batch_at_once(project, sig):
    out = project / "out"
    proc = _start_batch(project, out, subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while len(list(out.glob("*.pdf"))) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = children(proc.pid)
        assert workers, "the batch should run in worker processes"
        sent = time.monotonic()
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr
    assert took < 2.0, f"took {took:.1f} s to stop"
    assert "interrupted:" in stderr and "Traceback" not in stderr
    time.sleep(0.2)
    assert not [w for w in workers if alive(w)], "worker processes were left behind"
    recorded = _manifest(out)["outputs"]
    on_disk = {p.name for p in out.glob("*.pdf")}
    # every recorded file is on disk; a file a worker finished as it was stopped may be unrecorded
    # (the next run rebuilds it), at most one a worker
    assert set(recorded) <= on_disk and len(on_disk - set(recorded)) <= 2 and 0 < len(on_disk) < 200
    for name, entry in recorded.items():  # what the manifest calls built is the file on disk
        assert mf.file_hash(str(out / name)) == entry["sha256"]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc (Linux)")
def test_workers_die_with_a_killed_parent(project):
    out = project / "out"
    proc = _start_batch(project, out, subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(list(out.glob("*.pdf"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers |= children(proc.pid)
        assert workers
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 5
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if alive(w)], "workers outlived their killed parent"
    finally:  # never leave a process behind, even when the test fails
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)


def test_a_programme_that_does_not_fit_names_the_fields_it_prints(monkeypatch, library, tmp_path):
    """An overflow in a batch names the row's printed columns, longest first."""
    from handouts.errors import LayoutError
    from handouts.model import Program

    def overflow(lib, job):
        raise LayoutError("the page for 'cat-cow' does not fit on one A4 page: it is 3 mm (9 pt) too long")

    monkeypatch.setattr(b, "_render", overflow)
    b._WORKER["lib"] = library
    prog = Program("A" * 70, "Sam Physio", "Tel 0100", "2026-12-01", None, 6, 3, "Warm up first.", ())
    job = Job("program", "x.pdf", program=prog, label="patients.csv:7")
    result = b.run_job(job, str(tmp_path), 0)
    assert result.error.startswith("patients.csv:7: the page for 'cat-cow' does not fit")
    assert result.error.endswith(
        "(printed from this programme: patient 70 characters, notes 14 characters, clinician 10 characters, "
        "contact 8 characters; shorten the longest)"
    )
