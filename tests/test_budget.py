"""The budget for rendering what the validator accepts: at most 512 MB of memory and 10 s of
processor time a document, enforced with resource limits on a real process.

The heaviest input the validator lets through is a picture at its limits: a 25-megapixel logo
(drawn on every page) and pictures of that size in the panels.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from procs import handouts_env

MEMORY = 512 * 1024 * 1024
CPU_SECONDS = 10


def _limits() -> None:  # runs in the child before it starts Python
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


@pytest.fixture(scope="module")
def heavy(tmp_path_factory) -> Path:
    from PIL import Image

    folder = tmp_path_factory.mktemp("heavy")
    text = (FIXTURES / "hostile" / "logo-corrupt-png" / "library.yaml").read_text(encoding="utf-8")
    (folder / "library.yaml").write_text(text, encoding="utf-8")
    side = 5000  # 25 megapixels, the most a picture may have
    Image.new("RGB", (side, side), (30, 80, 160)).save(folder / "logo.png", optimize=True)
    return folder


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS"), reason="needs POSIX resource limits")
@pytest.mark.parametrize("command", [["sheet", "squeeze", "-o", "s.pdf"], ["booklet", "-o", "b.pdf"]])
def test_rendering_the_heaviest_valid_input_stays_within_budget(heavy, command, tmp_path):
    env = handouts_env()
    config = heavy / "library.yaml"
    assert (
        subprocess.run(
            [sys.executable, "-m", "handouts", "--config", config, "validate", "--strict"],
            env=env,
            capture_output=True,
        ).returncode
        == 0
    )
    done = subprocess.run(
        [sys.executable, "-m", "handouts", "--config", str(config), *command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=_limits,  # noqa: PLW1509 - only sets limits
        timeout=120,
    )
    assert done.returncode == 0, f"over budget or failed ({done.returncode}):\n{done.stderr[-2000:]}"
    out = tmp_path / command[-1]
    assert out.read_bytes().startswith(b"%PDF-")
