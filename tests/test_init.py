"""`handouts init`: a clinic's starter library, written whole or not at all."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT

from handouts import resources
from handouts.errors import ResourceMissing


def test_init_writes_a_library_that_validates_strictly_and_builds(run, tmp_path):
    target = tmp_path / "clinic"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    for rel in (
        "exercises.yaml",
        "exercises.sv.yaml",
        "assets/logo.svg",
        "assets/figures/wall-angels.yaml",
        "examples/programme.yaml",
        "examples/patients.csv",
        ".github/workflows/handouts.yml",
        ".gitignore",
        "README.md",
        "schemas/library.schema.json",
        "schemas/programme.schema.json",
    ):
        assert (target / rel).is_file(), rel
    first = (target / "exercises.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schemas/library.schema.json"
    first = (target / "examples" / "programme.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/programme.schema.json"
    assert "out/" in (target / ".gitignore").read_text(encoding="utf-8").split()
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert "brand:" in readme and "last_reviewed" in readme
    config = target / "exercises.yaml"
    assert run("--config", config, "validate", "--strict", "--lang", "all").exit_code == 0
    out = tmp_path / "out"
    built = run("--config", config, "build", "--out", out, "--jobs", "1", "-q")
    assert built.exit_code == 0, built.output
    assert len(list((out / "sheets").glob("*.pdf"))) == 8 and (out / "booklet.pdf").is_file()
    prog = run(
        "--config", config, "program", target / "examples" / "programme.yaml", "-o", tmp_path / "p.pdf"
    )
    assert prog.exit_code == 0, prog.output


def test_init_minimal_is_one_exercise_one_step_no_pictures(run, tmp_path):
    target = tmp_path / "small"
    assert run("init", "--minimal", target).exit_code == 0
    config = target / "exercises.yaml"
    text = config.read_text(encoding="utf-8")
    assert "pictures:" not in text and text.count("#") > 10
    assert not (target / "assets").exists()
    assert run("--config", config, "validate", "--strict").exit_code == 0
    listed = run("--config", config, "list")
    assert listed.output.count("\n") == 2  # a header and one exercise
    built = run("--config", config, "build", "--out", tmp_path / "out", "--jobs", "1", "-q")
    assert built.exit_code == 0, built.output
    # its booklet's how-to page names the one page its one exercise is on, in the singular
    from pdfcheck import pages_text

    booklet = " ".join(pages_text(tmp_path / "out" / "booklet.pdf"))
    assert re.search(r"Which page: the exercise is on page \d+, with its steps", booklet)
    assert "Which pages" not in booklet and not re.search(r"pages (\d+)–\1\b", booklet)


def test_init_refuses_to_overwrite_and_lists_what_exists(run, tmp_path):
    target = tmp_path / "clinic"
    target.mkdir()
    (target / "exercises.yaml").write_text("mine\n", encoding="utf-8")
    (target / "README.md").write_text("my notes\n", encoding="utf-8")
    result = run("init", target)
    assert result.exit_code == 2
    assert "exercises.yaml" in result.stderr and "README.md" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.output
    assert (target / "exercises.yaml").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in target.iterdir()) == ["README.md", "exercises.yaml"]
    forced = run("init", "--force", target)
    assert forced.exit_code == 0
    assert (target / "exercises.yaml").read_text(encoding="utf-8") != "mine\n"


def test_init_into_a_file_or_through_a_link_is_refused(run, tmp_path):
    afile = tmp_path / "a-file"
    afile.write_text("x", encoding="utf-8")
    result = run("init", afile)
    assert result.exit_code == 2 and "is a file" in result.stderr
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    result = run("init", link)
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert not (tmp_path / "elsewhere").exists()
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "assets").write_text("not a folder", encoding="utf-8")
    result = run("init", clinic)
    assert result.exit_code == 2 and "in the way" in result.stderr
    assert sorted(p.name for p in clinic.iterdir()) == ["assets"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_init_into_a_read_only_folder_is_a_clear_error(run, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        result = run("init", ro)
    finally:
        ro.chmod(0o700)
    assert result.exit_code == 2 and "cannot write here" in result.stderr
    assert list(ro.iterdir()) == []


def test_init_leaves_nothing_half_written_when_a_write_fails(run, tmp_path, monkeypatch):
    import handouts.starter as starter

    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(starter.os, "replace", failing)
    target = tmp_path / "clinic"
    result = run("init", target)
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert [p for p in target.rglob("*") if p.is_file()] == []


def test_python_dash_m_handouts_is_the_command():
    done = subprocess.run(
        [sys.executable, "-m", "handouts", "--version"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip().startswith("handouts, version ")


def test_a_missing_packaged_resource_is_a_clear_error():
    with pytest.raises(ResourceMissing) as err:
        resources.path("resources", "fonts", "NoSuchFont.ttf")
    message = err.value.format_message()
    assert "handouts/resources/fonts/NoSuchFont.ttf" in message and "reinstall" in message
    assert err.value.exit_code == 2


def test_a_missing_font_stops_a_command_with_a_message_not_a_traceback(tmp_path):
    """A broken install (a font deleted from the package) ends in one clear line, exit 2."""
    code = (
        "import sys\n"
        "from handouts import glyphs\n"
        "glyphs.FONT_FILES['regular'] = 'Gone.ttf'\n"
        "from handouts.cli import cli\n"
        "cli(['--config', sys.argv[1], 'list'], prog_name='handouts')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "exercises.yaml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert "handouts/resources/fonts/Gone.ttf" in done.stderr and "Traceback" not in done.stderr
