"""Each bad library in fixtures/bad/ fails with exactly the message beside it."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

CASES = sorted((FIXTURES / "bad").glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_library_message(run, case):
    expected = case.with_suffix(".expected").read_text(encoding="utf-8")
    code_line, message = expected.split("\n", 1)
    rel = case.relative_to(FIXTURES.parent.parent)
    result = run("--config", rel, "validate")
    assert f"exit {result.exit_code}" == code_line
    assert result.stderr == message
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_every_problem_is_reported_at_once(run):
    result = run("--config", "tests/fixtures/bad/several-errors.yaml", "validate")
    assert result.stderr.strip().splitlines()[-1] == "3 errors in tests/fixtures/bad/several-errors.yaml"


def test_unknown_key_without_a_close_match_warns_and_fails_only_under_strict(run, tmp_path):
    text = (FIXTURES / "minimal.yaml").read_text().replace("    dose:\n", "    clinic_code: X1\n    dose:\n")
    lib = tmp_path / "lib.yaml"
    lib.write_text(text)
    ok = run("--config", lib, "validate")
    assert ok.exit_code == 0
    assert "exercises[0].clinic_code: unknown key, ignored" in ok.stderr
    strict = run("--config", lib, "validate", "--strict")
    assert strict.exit_code == 2
    assert f"{lib}:48:5: exercises[0].clinic_code: unknown key, ignored" in strict.stderr


def test_over_long_step_warns(run, tmp_path):
    long_step = "Pull " + "very " * 60 + "slowly."
    text = (FIXTURES / "minimal.yaml").read_text().replace("Pull your shoulder blades together.", long_step)
    lib = tmp_path / "lib.yaml"
    lib.write_text(text)
    assert run("--config", lib, "validate").exit_code == 0
    strict = run("--config", lib, "validate", "--strict")
    assert strict.exit_code == 2
    assert "exercises[0].steps[0]: step is longer than 220 characters" in strict.stderr


def test_missing_config_file(run):
    result = run("--config", "nope.yaml", "validate")
    assert result.exit_code == 2
    assert result.stderr == "nope.yaml: no such file\n1 error in nope.yaml\n"
