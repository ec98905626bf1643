"""Writes are atomic: a build killed at any moment never leaves a broken PDF behind.

``handouts build`` runs as a real subprocess and is killed with SIGKILL at random moments, so
no ``finally`` or ``atexit`` gets a chance to tidy up. Every ``*.pdf`` at a target path must then
be complete, and a PDF that was good before the run must still be good after it.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from pdfcheck import check_structure
from procs import alive, children, handouts_env
from pypdf import PdfReader

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

RUNS = 5
FRESH_RUNS = 2
#: A leftover of write_atomic: ".<target name>.<random>.tmp" beside the target.
TEMPORARY = re.compile(r"^\.(?P<target>.+\.pdf)\.[^/]+\.tmp$")


def _env() -> dict[str, str]:
    return {**handouts_env(), "PYTHONDONTWRITEBYTECODE": "1"}


def _build(out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        # --force: an incremental build would skip everything and the kill would test nothing
        [sys.executable, "-m", "handouts", "build", "--out", str(out), "--force", "--jobs", "2"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _pages(path: Path) -> int:
    """Page count of a complete PDF; raises (or fails) on a damaged or truncated one."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), f"{path}: no PDF header"
    assert data.rstrip().endswith(b"%%EOF"), f"{path}: truncated (no %%EOF at the end)"
    check_structure(path)  # pikepdf / qpdf, and extractable text
    return len(PdfReader(str(path), strict=True).pages)


def _targets(out: Path) -> list[Path]:
    return sorted([*out.glob("sheets/*.pdf"), *out.glob("booklet.pdf")])


def _check_folder(out: Path, expected_pages: dict[str, int], context: str) -> None:
    """Every file in ``out`` is a complete target PDF or a hidden temporary that is not a .pdf."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        m = TEMPORARY.match(path.name)
        if m:
            assert not path.name.endswith(".pdf"), f"{context}: temporary named like a PDF: {rel}"
            continue
        if rel == ".handouts-manifest.json":
            json.loads(path.read_text(encoding="utf-8"))  # written atomically too: always whole
            continue
        if rel == ".handouts.lock":
            assert path.stat().st_size == 0, f"{context}: the lock file holds data"
            continue
        assert path.suffix == ".pdf", f"{context}: unexpected file {rel}"
        assert rel in expected_pages, f"{context}: PDF at a path that is not a target: {rel}"
        try:
            pages = _pages(path)
        except Exception as exc:  # any failure to read it back is a broken PDF
            pytest.fail(f"{context}: {rel} is broken: {exc!r}")
        assert pages == expected_pages[rel], f"{context}: {rel} has {pages} pages"


def _kill_at(out: Path, delay: float) -> int | None:
    """Start a build, SIGKILL it after ``delay`` seconds; its exit code if it finished first.
    Its worker processes must end with it: none is left behind."""
    proc = _build(out)
    time.sleep(delay)
    workers = children(proc.pid)
    code = proc.poll()
    if code is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    deadline = time.monotonic() + 5
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [w for w in workers if alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, f"worker processes outlived the killed build: {left}"
    return code


def test_killed_build_never_leaves_a_broken_pdf(tmp_path):
    out = tmp_path / "out"
    first = _build(out)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, (
        f"the first, uninterrupted build failed (not an atomicity problem):\n{err.decode()}"
    )
    targets = _targets(out)
    assert targets and out / "booklet.pdf" in targets
    expected = {p.relative_to(out).as_posix(): _pages(p) for p in targets}
    assert all(n == 1 for rel, n in expected.items() if rel.startswith("sheets/")), expected
    assert expected["booklet.pdf"] > 1

    rng = random.Random()
    delays = [round(rng.uniform(0.05, 0.8), 3) for _ in range(RUNS + FRESH_RUNS)]
    for i, delay in enumerate(delays):
        fresh = i >= RUNS
        folder = tmp_path / f"fresh{i}" if fresh else out
        finished = _kill_at(folder, delay)
        context = f"run {i} ({'fresh folder' if fresh else 'after a good build'}), killed at {delay}s"
        if finished is not None:
            assert finished == 0, f"{context}: build failed with {finished}"
        if not folder.exists():
            continue  # killed before it created anything
        _check_folder(folder, expected, context)
        if not fresh:
            # previously good PDFs are still there and still good (checked above)
            missing = [p for p in targets if not p.is_file()]
            assert not missing, f"{context}: a good PDF disappeared: {missing}"
