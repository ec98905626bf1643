from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "exercises.yaml"
#: The shipped library's exercises, in order.
IDS = [
    "thoracic-extension",
    "scapular-squeeze",
    "doorway-stretch",
    "cat-cow",
    "wall-angels",
    "childs-pose",
    "thread-the-needle",
    "thoracic-rotation",
]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_CANDIDATES = [ROOT.parent / "shared" / "seed" / "upper-back-pain-exercises.txt", FIXTURES / "seed.txt"]


def seed_text() -> str:
    for p in SEED_CANDIDATES:
        if p.is_file():
            return p.read_text(encoding="utf-8")
    raise FileNotFoundError("seed document")


def sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()) if s]


@pytest.fixture(scope="session", autouse=True)
def no_user_cache(tmp_path_factory):
    """No test reads or writes the user's cache folder: the library cache is off and any cache
    folder is a temporary one (tests/test_cache.py turns the cache on in its own tmp_path)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HANDOUTS_NO_CACHE", "1")
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture
def cached(monkeypatch, tmp_path):
    """The cache turned on, in this test's tmp_path, with nothing remembered in this process
    before or after (booklet pages, layout choices); the folder entries are written to."""
    from handouts.render import choices, passes

    monkeypatch.delenv("HANDOUTS_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    passes.forget()
    choices.forget()
    yield tmp_path / "cache" / "handouts"
    passes.forget()
    choices.forget()


@pytest.fixture(scope="session")
def library():
    from handouts.read.library import load_library

    return load_library(LIBRARY)


@pytest.fixture
def project(tmp_path):
    """A copy of the shipped library, its translation and its assets, free to change."""
    import shutil

    shutil.copy(ROOT / "exercises.yaml", tmp_path / "exercises.yaml")
    shutil.copy(ROOT / "exercises.sv.yaml", tmp_path / "exercises.sv.yaml")
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    return tmp_path


@pytest.fixture
def run(monkeypatch):
    """Run the CLI in-process from the project root; returns click's Result."""
    from handouts.cli import cli

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("HANDOUTS_CONFIG", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def _run(*args, **kw):
        return CliRunner().invoke(cli, [str(a) for a in args], prog_name="handouts", **kw)

    return _run


@pytest.fixture(autouse=True)
def every_pdf_is_sound(request, tmp_path):
    """After each test, every PDF it wrote under tmp_path opens cleanly, has text and passes the
    mechanical PDF/UA checks (the authors' figure contact sheet is not a patient document)."""
    yield
    if request.node.get_closest_marker("no_pdf_check"):
        return
    import pikepdf
    from pdfcheck import check_pdfua, check_structure

    for path in sorted(tmp_path.rglob("*.pdf")):
        if not path.read_bytes().startswith(b"%PDF-"):
            continue  # a fixture that only looks like a PDF
        with pikepdf.open(path) as pdf:
            if str(pdf.docinfo.get("/Subject", "")) == "Handouts figures contact sheet":
                continue
        check_structure(path)
        check_pdfua(path)
