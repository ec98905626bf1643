"""Every label in the catalogues is used, and every label the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from handouts.i18n import catalogues

LOCALE_DIR = Path(str(catalogues()))

CODE = "\n".join(p.read_text(encoding="utf-8") for p in Path(LOCALE_DIR).parent.rglob("*.py"))


def test_no_unused_labels():
    keys = yaml.safe_load((LOCALE_DIR / "en.yaml").read_text(encoding="utf-8"))["labels"]
    dynamic = ("dose_sides_",)  # looked up as f"dose_sides_{sides}"
    unused = [k for k in keys if not k.startswith(dynamic) and not re.search(rf"[\"']{k}[\"']", CODE)]
    assert unused == []


def test_every_label_the_code_asks_for_exists():
    keys = yaml.safe_load((LOCALE_DIR / "en.yaml").read_text(encoding="utf-8"))["labels"]
    # labels("en") and labels(lang) load a catalogue; labels("key") looks a label up
    asked = set(re.findall(r"labels\(\s*[\"']([a-z_]+)[\"']", CODE)) - {"en"}
    assert asked and asked <= set(keys), asked - set(keys)
