"""Installable anywhere: the wheel carries what Handouts reads at run time, and a clinic's first
steps work from a wheel installed in a fresh virtualenv, outside this checkout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from handouts.starter import pairs_from_list


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from this checkout the way a clinic's pip builds it (sdist, then wheel)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    (found,) = out.glob("*.whl")
    return found


def test_wheel_holds_fonts_licences_catalogues_and_the_starter(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert f"handouts/resources/fonts/AtkinsonHyperlegible-{style}.ttf" in names
    assert "handouts/resources/fonts/OFL.txt" in names
    assert any(n.endswith("licenses/handouts/resources/fonts/OFL.txt") for n in names)
    assert any(n.endswith("licenses/LICENSE") for n in names)
    for lang in ("en", "sv"):
        assert f"handouts/locales/{lang}.yaml" in names
    assert "handouts/resources/minimal.yaml" in names


def test_packaged_starter_is_the_repository_library_byte_for_byte(wheel):
    """One source of truth: the wheel's starter is copied from the top-level library at build time."""
    z = zipfile.ZipFile(wheel)
    pairs = pairs_from_list(ROOT)
    assert {d for d, _ in pairs} >= {"exercises.yaml", "exercises.sv.yaml", "assets/logo.svg"}
    assert len([d for d, _ in pairs if d.startswith("assets/figures/")]) == 8
    for dest, source in pairs:
        assert z.read(f"handouts/starter/{dest}") == source.read_bytes(), dest
    packaged = {n[len("handouts/starter/") :] for n in z.namelist() if n.startswith("handouts/starter/")}
    assert packaged == {d for d, _ in pairs}


def test_readme_install_line_matches_the_workflow():
    """The workflow installs what the README tells a clinic to install."""
    flow = yaml.safe_load((ROOT / "examples" / "ci" / "handouts.yml").read_text(encoding="utf-8"))
    default = re.search(r"\|\| '([^']+)'", flow["env"]["HANDOUTS_SOURCE"]).group(1)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f'pip install "{default}"' in readme
    installs = [
        s["run"] for job in flow["jobs"].values() for s in job["steps"] if "pip install" in s.get("run", "")
    ]
    assert installs and all(r == 'python -m pip install "$HANDOUTS_SOURCE"' for r in installs)


def _venv(where: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    return where / "bin"


def _sh(cmd: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done


def _workflow_steps(flow: dict, shard: int) -> list[str]:
    runs = []
    for job in flow["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                runs.append(step["run"].replace("${{ matrix.shard }}", str(shard)))
    return runs


def test_wheel_in_a_fresh_virtualenv_runs_the_clinic_workflow(wheel, tmp_path):
    """pip install of the wheel (not editable) into a new virtualenv, then, in an empty folder
    outside the checkout: init, and every command the CI workflow runs, shard by shard."""
    bin_ = _venv(tmp_path / "venv")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "PIP_NO_INPUT": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache")),
        "LANG": "C.UTF-8",
    }
    work = tmp_path / "clinic"
    work.mkdir()
    _sh(f'python -m pip install --quiet "{wheel}"', work, env)
    where = _sh("python -c 'import handouts; print(handouts.__file__)'", work, env).stdout.strip()
    assert "site-packages" in where and not where.startswith(str(ROOT))

    _sh("handouts init mylib", work, env)
    lib = work / "mylib"
    flow = yaml.safe_load((lib / ".github" / "workflows" / "handouts.yml").read_text(encoding="utf-8"))
    wf_env = {**env, "HANDOUTS_SOURCE": str(wheel), "HANDOUTS_CONFIG": flow["env"]["HANDOUTS_CONFIG"]}
    shards = flow["jobs"]["build"]["strategy"]["matrix"]["shard"]
    built: list[str] = []
    for k in shards:
        shard_dir = tmp_path / f"shard{k}"
        _sh(f"cp -r {lib} {shard_dir}", work, env)  # each CI job starts from a fresh checkout
        for cmd in _workflow_steps(flow, k):
            _sh(cmd, shard_dir, wf_env)
        built += [p.relative_to(shard_dir / "out").as_posix() for p in (shard_dir / "out").rglob("*.pdf")]
    _sh("handouts build --out full", lib, env)
    full = sorted(p.relative_to(lib / "full").as_posix() for p in (lib / "full").rglob("*.pdf"))
    assert sorted(built) == full, "the shards together must build every document exactly once"
    assert "booklet.pdf" in full and len([f for f in full if f.startswith("sheets/")]) == 8

    _sh("python -m handouts init --minimal small", work, env)
    _sh("handouts validate --strict && handouts build --out out", work / "small", env)
    assert sorted(p.name for p in (work / "small" / "out").rglob("*.pdf")) == [
        "booklet.pdf",
        "first-exercise.pdf",
    ]
