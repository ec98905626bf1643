"""The command line: help, version, list."""

from __future__ import annotations

import subprocess
import sys

import pytest

from handouts import __version__
from handouts.cli import cli

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_group_help_and_short_flag(run):
    assert run("-h").output == run("--help").output
    assert "Example:" in run("--help").output


def test_version(run):
    assert run("--version").output == f"handouts, version {__version__}\n"


def test_list_is_a_table(run):
    result = run("list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "NAME", "POSITIONS"]
    assert lines[1] == "thoracic-extension  Thoracic extensions  seated, standing"
    assert len(lines) == 9


def test_validate_ok(run):
    result = run("validate", "--strict")
    assert result.exit_code == 0
    assert result.output == "exercises.yaml: OK, 8 exercises\n"


def test_config_from_environment(run, monkeypatch):
    monkeypatch.setenv("HANDOUTS_CONFIG", "tests/fixtures/minimal.yaml")
    assert run("validate").output == "tests/fixtures/minimal.yaml: OK, 1 exercise\n"


def test_help_does_not_import_reportlab():
    code = (
        "import sys; from handouts.cli import cli; cli(['--help'], standalone_mode=False); "
        "heavy = ('reportlab', 'yaml', 'pikepdf', 'shutil', 'dataclasses', 'handouts.errors'); "
        "print(sorted({m for m in sys.modules if m.startswith(heavy)}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[-2] == "[]"


@pytest.mark.parametrize("columns", ["", "0", "40", "60", "99", "100", "120", "wide"])
def test_help_is_as_wide_as_click_would_make_it(monkeypatch, columns):
    """The help width worked out without shutil is the one click works out with it."""
    import shutil

    from handouts.cli.base import HELP_WIDTH, help_width

    monkeypatch.setenv("COLUMNS", columns)
    assert help_width() == max(min(shutil.get_terminal_size().columns, HELP_WIDTH) - 2, 50)


def test_figures_writes_one_exercise(run, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "one.pdf"
    r = run("figures", "thread-the-needle", "-o", out)
    assert r.exit_code == 0, r.output
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Thread the needle" in text and "Cat-cow" not in text and "Camera:" in text
    r = run("figures", "thread-needle", "-o", tmp_path / "x.pdf")
    assert r.exit_code == 2 and "Did you mean 'thread-the-needle'" in r.output


def test_a_personal_sheet_without_prescribed_repetitions_warns(run, tmp_path):
    """A patient's sheet never prints a blank; when the library gives words, not a number, the
    clinician hears so (and a sheet with --reps, or an unpersonalised one, says nothing)."""
    result = run("sheet", "doorway-stretch", "--patient", "Ann Example", "-o", tmp_path / "a.pdf")
    assert result.exit_code == 0
    assert "warning: 'doorway-stretch' has no prescribed repetitions" in result.stderr
    assert "--reps N" in result.stderr
    for args in (["--patient", "Ann Example", "--reps", "8"], []):
        quiet = run("sheet", "doorway-stretch", *args, "-o", tmp_path / "b.pdf", "--force")
        assert quiet.exit_code == 0 and "warning" not in quiet.stderr
