"""Label catalogues read without YAML when they are written in the plain subset of YAML the
shipped ones use (handouts/i18n.py ``_simple``): the same tables as YAML for every shipped
catalogue, no YAML imported, and anything outside the subset read by YAML itself."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handouts import i18n

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the loader i18n._parse uses


def load(text: str):
    return yaml.load(text, Loader=LOADER)  # noqa: S506 - a safe loader


def catalogues():
    return sorted((p for p in i18n.catalogues().iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)


def test_every_shipped_catalogue_reads_as_yaml_reads_it():
    paths = catalogues()
    assert len(paths) >= 2
    for path in paths:
        text = path.read_text(encoding="utf-8")
        simple = i18n._simple(text)
        assert simple is not None, f"{path.name} left the plain subset: every run now imports YAML"
        assert simple == load(text) == yaml.safe_load(text)


def test_labels_read_no_yaml():
    code = (
        "import sys\n"
        "from handouts import i18n\n"
        "i18n.labels('en'); i18n.labels('sv'); i18n.language_name('sv')\n"
        "print('yaml' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]


HEAD = "language: en\nname: English\nlabels:\n"

OUTSIDE = {
    "an escape": '  a: "tab\\there"\n',
    "single quotes": "  a: 'it''s'\n",
    "a comment after plain text": "  a: text # note\n",
    "a comment glued to quotes": '  a: "text"#note\n',
    "yes": "  a: yes\n",
    "No": "  a: No\n",
    "a number": "  a: 12\n",
    "a float": "  a: .5\n",
    "a date": "  a: 2026-12-02\n",
    "null": "  a: ~\n",
    "a key YAML reads as true": "  on: text\n",
    "a numeric key": "  12: text\n",
    "a duplicate key": "  a: one\n  a: two\n",
    "a second line": "  a: one\n    two\n",
    "a block scalar": "  a: |\n    text\n",
    "an anchor": "  a: &x text\n  b: *x\n",
    "an empty value": "  a:\n",
    "an empty list": "  a: []\n",
    "a list with quotes": '  a: ["x", y]\n',
    "a list item with a colon": "  a: [a:b, c]\n",
    "a list item with a question mark": "  a: [A?, B]\n",  # YAML ends a plain item at ? in brackets
    "a mapping in a value": "  a: b: c\n",
    "a tab": "  a: x\ty\n",
    "a carriage return": "  a: text\r\n",
    "a line separator": "  a: one\u2028two\n",
    "a byte-order mark": "\ufeff",
    "a document marker": "---\n",
    "four spaces": "    a: text\n",
    "a flow mapping": "  a: {b: c}\n",
    "an indicator first": "  a: @text\n",
}


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_what_is_outside_the_subset_is_read_by_yaml(name, tmp_path):
    text = (
        HEAD + OUTSIDE[name]
        if name not in ("a byte-order mark", "a document marker")
        else OUTSIDE[name] + HEAD
    )
    assert i18n._simple(text) is None
    path = tmp_path / "xx.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    try:
        want = load(text)
    except yaml.YAMLError:
        with pytest.raises(ValueError):
            i18n._read(path)
        return
    assert i18n._read(path) == want


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), min_codepoint=0x20, max_codepoint=0x2FFF)
    | st.sampled_from(list(":#'\"{}[],&*!|>%@`-? \\\t")),
    max_size=30,
)


def _written(value: str, form: str) -> str:
    if form == "plain":
        return value
    if form == "quoted":
        return f'"{value}"'
    if form == "list":
        return f"[{value}, {value}]"
    return yaml.safe_dump(value, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(_TEXT, st.sampled_from(["plain", "quoted", "list", "dumped"])), min_size=1, max_size=4)
)
def test_the_subset_never_reads_otherwise_than_yaml(values):
    text = HEAD + "".join(f"  k{i}: {_written(v, form)}\n" for i, (v, form) in enumerate(values))
    simple = i18n._simple(text)
    if simple is None:
        return
    assert (
        simple == load(text) == yaml.safe_load(text)
    )  # never a different table, never an error YAML would raise
