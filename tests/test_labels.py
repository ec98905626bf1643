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
    # KEY_one is KEY's singular, looked up for a count of one: KEY itself must be asked for
    unused = [
        k
        for k in keys
        if not k.startswith(dynamic) and not re.search(rf"[\"']{k.removesuffix('_one')}[\"']", CODE)
    ]
    orphans = [k for k in keys if k.endswith("_one") and k.removesuffix("_one") not in keys]
    assert orphans == []
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


def test_a_count_of_one_reads_in_the_singular_and_other_counts_do_not():
    from handouts.i18n import labels

    en, sv = labels("en"), labels("sv")
    assert en("per_week", range="1") == "once a week" and en("per_week", range="2") == "2 times a week"
    assert en("weeks", range="1") == "1 week" and en("weeks", range="1–2") == "1–2 weeks"
    assert en("seconds", n=1) == "1 second" and en("seconds", n=11) == "11 seconds"
    assert en("repetitions", n=1) == "1 repetition" and en("times", n=1) == "once"
    assert sv("per_week", range="1") == "en gång i veckan" and sv("weeks", range="1") == "1 vecka"
    assert sv("seconds", n=1) == "1 sekund" and sv("times", n=1) == "en gång"
    # a label without a singular form is unchanged for one
    assert en("page_of", n=1, m=1) == "Page 1 of 1"
    for table in (en.table, sv.table):
        assert {k for k in table if k.endswith("_one")} == {
            "per_week_one",
            "weeks_one",
            "seconds_one",
            "repetitions_one",
            "times_one",
            "how_to_use_pages_one",  # chosen by page numbers, in the booklet's how-to page
        }
