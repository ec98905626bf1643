"""A corpus of named hostile and broken inputs, each with the exact message and exit code expected.

Every case is a folder under fixtures/hostile/<case>/ holding:

* the input files (a library, a programme, a CSV, pictures, ...);
* ``command.txt``: the CLI arguments, one per line;
* ``expected.txt``: ``exit N`` on the first line, then the exact stderr;
* optionally ``env.txt``: ``NAME=value`` lines set for the run;
* optionally ``pdf.txt``: ``@ PATH`` lines naming a PDF the run must write, each followed by
  lines of text that must appear, literally, in that PDF's extracted text;
* optionally ``xfail.txt``: the reason the product does not yet print what ``expected.txt`` says
  (the case is then a strict xfail: it starts failing the day the product is fixed).

In every file ``{dir}`` stands for the case's folder (copied to a temporary folder first) and
``{tmp}`` for an empty temporary output folder. Inputs too big to commit, or that cannot be
committed (symlinks, unreadable folders), are written by a generator below, keyed by case name.

Hostile inputs already pinned elsewhere, not repeated here:

* markup in an exercise name and step, and in --patient / a programme's patient: test_sheet.py
  test_markup_in_data_prints_literally, test_program.py test_patient_name_with_markup_...,
  test_quick_personalised_sheet;
* a form feed in a library text field, an emoji in the library, flow-style nesting, anchors and
  aliases, duplicate keys, unquoted ``no`` / ``1:30`` / ``010``, Latin-1, UTF-16 with a BOM, an
  empty file, a top-level list, ``../../etc/passwd`` and absolute asset paths, http:// and
  javascript: video links: fixtures/bad/ (test_validation_errors.py);
* CSV unbalanced quotes, missing and extra fields, missing and unknown columns: test_program.py
  test_batch_file_level_errors and test_batch_row_errors;
* corrupt PNG, 100-megapixel PNG header, SVG with an entity or an outside reference as a picture
  panel: test_figures.py test_corrupt_and_huge_bitmaps_are_refused, test_unsafe_svg_is_refused;
* a non-numeric SOURCE_DATE_EPOCH for ``sheet``: test_sheet.py
  test_non_numeric_source_date_epoch_is_a_clear_error.
"""

from __future__ import annotations

import os
import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest
from conftest import FIXTURES
from pdfcheck import pages_text

HOSTILE = FIXTURES / "hostile"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "command.txt").is_file())

#: Cases whose run must finish within this many seconds (measured inside the test).
TIME_LIMITS = {
    "logo-svg-many-elements": 5.0,
    "many-exercises": 10.0,
    "huge-text-field": 5.0,
    "deep-nesting-block-map": 5.0,
}


# -- generated inputs ------------------------------------------------------------------------------


def _library_with(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` pixels, with one tiny data chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def gen_huge_text_field(case: Path, args: list[str]) -> list[str]:
    text = _library_with("description: Squeeze your shoulder blades.", "description: " + "a" * (1024 * 1024))
    (case / "library.yaml").write_text(text, encoding="utf-8")
    return args


def gen_huge_csv_cell(case: Path, args: list[str]) -> list[str]:
    header = "patient,clinician,date,exercises,notes\n"
    (case / "patients.csv").write_text(header + f"Ann,Sam,2026-12-01,squeeze,{'n' * 1024 * 1024}\n")
    return args


def gen_huge_cli_patient(case: Path, args: list[str]) -> list[str]:
    """The argument HUGE becomes a 1 MB one (too big for command.txt)."""
    return [a.replace("HUGE", "A" * (1024 * 1024)) for a in args]


def gen_huge_programme_notes(case: Path, args: list[str]) -> list[str]:
    text = 'patient: Ann\nclinician: {name: Sam}\nstart: "2026-12-01"\nweeks: 6\nper_week: 3\n'
    (case / "p.yaml").write_text(text + f"notes: {'n' * 1024 * 1024}\nexercises: [squeeze]\n")
    return args


def gen_many_exercises(case: Path, args: list[str]) -> list[str]:
    head, _, first = MINIMAL.partition("exercises:\n")
    one = first.replace("id: squeeze", "id: squeeze-{n}")
    body = "".join(one.replace("{n}", str(n)) for n in range(10_000))
    (case / "library.yaml").write_text(head + "exercises:\n" + body, encoding="utf-8")
    return args


def gen_svg_many_elements(case: Path, args: list[str]) -> list[str]:
    body = "<g/>" * 1_000_000  # 4 MB: under the size limit, minutes of drawing
    (case / "logo.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">{body}</svg>', encoding="utf-8"
    )
    return args


def gen_file_too_large(case: Path, args: list[str]) -> list[str]:
    padding = "# " + "x" * 1022 + "\n"
    (case / "library.yaml").write_text(MINIMAL + padding * (4 * 1024 + 1), encoding="utf-8")
    return args


def gen_deep_nesting_block_map(case: Path, args: list[str]) -> list[str]:
    lines = [" " * i + f"k{i}:" for i in range(1000)]
    (case / "library.yaml").write_text("\n".join(lines) + " leaf\n", encoding="utf-8")
    return args


def gen_utf16_be_no_bom(case: Path, args: list[str]) -> list[str]:
    (case / "library.yaml").write_bytes(MINIMAL.encode("utf-16-be"))
    return args


def gen_utf16_csv(case: Path, args: list[str]) -> list[str]:
    text = "patient\tclinician\tdate\texercises\r\nAnn\tSam\t2026-12-01\tsqueeze\r\n"
    (case / "patients.csv").write_bytes(text.encode("utf-16"))
    return args


def gen_logo_huge_png(case: Path, args: list[str]) -> list[str]:
    (case / "logo.png").write_bytes(_png_header_only(10_000, 10_000))
    return args


def gen_logo_symlink_escape(case: Path, args: list[str]) -> list[str]:
    outside = case.parent / "outside.png"
    outside.write_bytes(_png_header_only(4, 3))
    (case / "logo.png").symlink_to(outside)
    return args


def gen_output_folder_read_only(case: Path, args: list[str]) -> list[str]:
    folder = case / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root ignores the mode bits: the write would succeed
        folder.chmod(0o755)
        pytest.skip("running as a user who can write to a 0o555 folder (root)")
    return args


GENERATORS = {
    "huge-text-field": gen_huge_text_field,
    "huge-csv-cell": gen_huge_csv_cell,
    "huge-cli-patient": gen_huge_cli_patient,
    "huge-cli-note": gen_huge_cli_patient,
    "huge-programme-notes": gen_huge_programme_notes,
    "many-exercises": gen_many_exercises,
    "logo-svg-many-elements": gen_svg_many_elements,
    "file-too-large": gen_file_too_large,
    "deep-nesting-block-map": gen_deep_nesting_block_map,
    "utf16-be-no-bom": gen_utf16_be_no_bom,
    "utf16-csv": gen_utf16_csv,
    "logo-huge-png": gen_logo_huge_png,
    "logo-symlink-escape": gen_logo_symlink_escape,
    "output-folder-read-only": gen_output_folder_read_only,
}


# -- the cases -------------------------------------------------------------------------------------


def _params() -> list:
    params = []
    for name in CASES:
        marks = []
        reason = HOSTILE / name / "xfail.txt"
        if reason.is_file():
            marks.append(pytest.mark.xfail(strict=True, reason=reason.read_text(encoding="utf-8").strip()))
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def _lines(path: Path) -> list[str]:
    """The file's lines, split on newlines only: arguments may hold form feeds and other breaks."""
    return path.read_text(encoding="utf-8").removesuffix("\n").split("\n")


def _fill(text: str, case: Path, out: Path) -> str:
    return text.replace("{dir}", str(case)).replace("{tmp}", str(out))


def run_case(name: str, tmp_path: Path, run):
    """Copy the case, run its command; returns (result, expected stderr, seconds, case, out)."""
    case = tmp_path / "case"
    shutil.copytree(HOSTILE / name, case, symlinks=True)
    out = tmp_path / "out"
    out.mkdir()
    args = [_fill(a, case, out) for a in _lines(case / "command.txt")]
    if name in GENERATORS:
        args = GENERATORS[name](case, args)
    env = {}
    if (case / "env.txt").is_file():
        for line in _lines(case / "env.txt"):
            key, _, value = line.partition("=")
            env[key] = value
    start = time.perf_counter()
    result = run(*args, env=env)
    seconds = time.perf_counter() - start
    expected = _fill((case / "expected.txt").read_text(encoding="utf-8"), case, out)
    return result, expected, seconds, case, out


@pytest.mark.parametrize("name", _params())
def test_hostile_input(name, tmp_path, run):
    result, expected, seconds, case, out = run_case(name, tmp_path, run)
    try:
        code_line, message = expected.split("\n", 1)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert f"exit {result.exit_code}" == code_line
        assert result.stderr == message
        if name in TIME_LIMITS:
            assert seconds < TIME_LIMITS[name], f"took {seconds:.1f} s"
        if (case / "pdf.txt").is_file():
            text = ""
            for line in _fill((case / "pdf.txt").read_text(encoding="utf-8"), case, out).splitlines():
                if line.startswith("@ "):
                    text = "".join("".join(pages_text(Path(line[2:]))).split())
                elif line:  # compared without white space: a long word may wrap anywhere
                    assert "".join(line.split()) in text, line
    finally:
        if (case / "read-only").is_dir():
            (case / "read-only").chmod(0o755)
