"""What the speed-ups must not change: the pages, byte for byte, and a worker's memory over many sheets.

Timings are measured by ``make bench``, never here."""

from __future__ import annotations

import gc
import subprocess
import sys
import tracemalloc

import pytest
from conftest import LIBRARY

from handouts.figures import render as figures
from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.read.flags import personalise
from handouts.render.document import Document, Options, context, render
from handouts.render.sheet import render_sheet


@pytest.fixture(scope="module")
def lib():
    from handouts.read.library import load_library

    return load_library(LIBRARY)


def _forget_drawings() -> None:
    figures._OPS.clear()
    figures.picture_flowable.cache_clear()


def _documents(lib) -> list[bytes]:
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        personal = personalise(lib, "en", patient="Ann Example", reps=8)
        return [
            render(lib, Document("sheet", Options(), exercise="wall-angels")),
            render(lib, Document("sheet", Options(), exercise="wall-angels", personal=personal)),
            render(lib, Document("sheet", Options(paper="letter", large_print=True), exercise="cat-cow")),
            render(lib, Document("booklet", Options())),
        ]


def test_replayed_figures_write_the_same_bytes_as_figures_drawn_each_time(lib, monkeypatch):
    _forget_drawings()
    monkeypatch.setattr(figures, "REPLAY", False)
    drawn = _documents(lib)
    assert figures._OPS == {}
    monkeypatch.setattr(figures, "REPLAY", True)
    _forget_drawings()
    first = _documents(lib)  # each figure drawn once, then replayed
    assert figures._OPS, "no figure was replayed"
    replayed = _documents(lib)  # every figure replayed
    assert first == drawn
    assert replayed == drawn


def test_a_drawing_that_names_a_resource_is_drawn_each_time(lib):
    """The replay keeps only operators that name no page resource; one that does is not kept."""
    assert figures._NAMES_RESOURCE.search("/gRLs0 gs")
    assert figures._NAMES_RESOURCE.search("/F1 12 Tf")
    assert figures._NAMES_RESOURCE.search("/FormXob.x Do")
    assert figures._NAMES_RESOURCE.search("0.5 /P1 scn")
    assert figures._NAMES_RESOURCE.search("BI /W 1 /H 1 ID")
    assert not figures._NAMES_RESOURCE.search("n 1 2 m 3 4 l h S")
    assert not figures._NAMES_RESOURCE.search(".086275 .231373 .427451 RG")


def test_worker_memory_stays_flat_over_sheets_with_varied_doses_and_patients(lib):
    theme, labels = context(lib, Options())
    exercises = lib.exercises

    def sheet(i: int) -> None:
        ex = exercises[i % len(exercises)]
        dose = {}
        if ex.dose.reps is not None:
            dose["reps"] = 1 + i % 30
        elif ex.dose.hold is not None and ex.dose.hold.seconds is not None:
            dose["hold"] = 5 + i % 60
        kw = personalise(lib, "en", patient=f"Patient {i:05d} Example", clinician="Sam Physio", **dose)
        render_sheet(lib, ex, theme, labels, **kw)

    def traced() -> int:
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        for i in range(40):  # every exercise and many doses: the per-process caches fill
            sheet(i)
        tracemalloc.start()
        try:
            start = traced()
            for i in range(40, 120):
                sheet(i)
            growth = traced() - start
        finally:
            tracemalloc.stop()
    assert growth < 2 * 1024 * 1024, f"memory grew by {growth / 1e6:.1f} MB over 80 sheets"


def test_engine_versions_read_quickly_are_the_installed_ones():
    from importlib.metadata import PackageNotFoundError, version

    from handouts.fingerprint import ENGINES, engine_versions

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "none"

    assert engine_versions() == tuple(f"{name}={installed(name)}" for name in ENGINES)
    # and quickly: from the metadata folders' names, never importlib.metadata (10 ms), for every one
    code = "import sys\nfrom handouts.cachedir import engine_versions\nengine_versions()\nprint('importlib.metadata' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_label_catalogues_read_with_libyaml_equal_the_pure_python_reading():
    import yaml

    from handouts import i18n

    for code in i18n.available():
        path = i18n.catalogues() / f"{code}.yaml"
        assert i18n._read(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("large_print", [False, True])
def test_pictures_written_with_fewer_digits_look_the_same(lib, monkeypatch, large_print):
    """Picture coordinates keep only the digits that move a point by at most PRECISION points: the
    text is untouched and a 100 dpi raster differs only in a few edge pixels' shading."""
    import pypdfium2 as pdfium
    from PIL import ImageChops

    def sheet(precision):
        monkeypatch.setattr(figures, "PRECISION", precision)
        _forget_drawings()
        opts = Options(large_print=large_print)
        with fixed_time(source_date_epoch(lib.document.last_reviewed)):
            return render(lib, Document("sheet", opts, exercise="thoracic-extension"))

    precision = figures.PRECISION
    exact, short = sheet(None), sheet(precision)
    _forget_drawings()
    assert len(short) < len(exact) * 0.9, "fewer digits should make the sheet smaller"
    a, b = pdfium.PdfDocument(exact), pdfium.PdfDocument(short)
    assert len(a) == len(b)
    for i in range(len(a)):
        assert a[i].get_textpage().get_text_range() == b[i].get_textpage().get_text_range()
        x = a[i].render(scale=100 / 72).to_pil().convert("L")
        y = b[i].render(scale=100 / 72).to_pil().convert("L")
        changed = sum(ImageChops.difference(x, y).histogram()[1:])
        assert changed < 0.01 * x.size[0] * x.size[1], f"page {i + 1}: {changed} pixels changed"
    a.close()
    b.close()


def test_picture_precision_takes_the_fewest_digits_that_keep_it():
    for k in (0.05, 0.29, 0.8, 1.0, 1.01, 2.2, 9.0):
        d = figures._decimals(k)
        assert 0.5 * 10**-d * k <= figures.PRECISION
        assert d == 0 or 0.5 * 10 ** -(d - 1) * k > figures.PRECISION


def test_every_stream_is_compressed_once_by_the_writer(lib):
    """reportlab writes its streams plain (compressing them there was undone and redone when the
    structure tree is written); what leaves Handouts has every stream compressed all the same."""
    import io

    import pikepdf

    from handouts.read.programme import load_program

    program = load_program(LIBRARY.parent / "examples" / "programme.yaml", lib)
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        documents = [
            render(lib, Document("sheet", Options(), exercise="cat-cow")),
            render(lib, Document("program", Options(), program=program)),
            render(lib, Document("booklet", Options(large_print=True))),
        ]
    for data in documents:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            streams = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)]
            assert len(streams) > 5
            for stream in streams:
                assert stream.get("/Filter") in (
                    pikepdf.Name.FlateDecode,
                    pikepdf.Array([pikepdf.Name.FlateDecode]),
                )
            fonts = [s for s in streams if "/Length1" in s]
            assert fonts and all(len(s.read_raw_bytes()) < s.Length1 for s in fonts)
