"""The README's command reference is what --help prints."""

from __future__ import annotations

import importlib.util

from conftest import ROOT


def test_readme_cli_section_matches_help():
    spec = importlib.util.spec_from_file_location("readme_cli", ROOT / "scripts" / "readme_cli.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert mod.updated(text) == text, "run `make readme`"


def test_quick_start_is_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick.split("```", 2)[1]
    commands = [ln for ln in block.splitlines()[1:] if ln.strip()]
    assert commands == ["make pdfs", "make test"]
