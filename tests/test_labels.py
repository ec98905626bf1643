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


def test_swedish_labels_read_as_a_physiotherapist_would_print_them(run, tmp_path):
    """Not a medicine's dose ("Din dos") nor a gift tag ("Till:/Från:")."""
    from pdfcheck import pages_text

    sv = yaml.safe_load((LOCALE_DIR / "sv.yaml").read_text(encoding="utf-8"))["labels"]
    assert (sv["prepared_for"], sv["prepared_by"], sv["your_dose"]) == (
        "Patient",
        "Behandlare",
        "Så här mycket",
    )
    words = " ".join(str(v) for v in sv.values())
    assert "Din dos" not in words and "dos " not in words.lower() + " "
    assert sv["advertisement"] == "Annons"
    out = tmp_path / "s.pdf"
    assert run("sheet", "cat-cow", "--lang", "sv", "-o", out).exit_code == 0
    text = pages_text(out)[0]
    assert "Patient:" in text and "Behandlare:" in text and "Så här mycket" in text
    assert "Till:" not in text and "Från:" not in text and "Din dos" not in text
