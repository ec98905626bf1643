"""Label catalogues kept in the cache folder as JSON (handouts/i18n.py): the same tables as their
YAML, no YAML read when an entry is current, and a stale, damaged or hostile entry ignored and
written again. Every cache here is in tmp_path."""

from __future__ import annotations

import json

import pytest
import yaml

from handouts import i18n


@pytest.fixture
def cached(monkeypatch, tmp_path):
    monkeypatch.delenv("HANDOUTS_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "handouts"


def catalogues():
    return sorted((p for p in i18n.catalogues().iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)


def test_a_kept_catalogue_is_its_yaml_and_reads_no_yaml(cached, monkeypatch):
    paths = catalogues()
    assert len(paths) >= 2
    first = [i18n._read(p) for p in paths]
    assert len(list(cached.glob("labels-*.json"))) == len(paths)
    monkeypatch.setattr(i18n, "_parse", lambda *a: pytest.fail("read the YAML again"))
    for path, was in zip(paths, first, strict=True):
        kept = i18n._read(path)
        assert kept == was == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_without_the_cache_nothing_is_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("HANDOUTS_NO_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    i18n._read(catalogues()[0])
    assert not (tmp_path / "cache").exists()


def _mutations():
    return [
        ("another source", lambda d: d.update(source="0" * 64)),
        ("another stamp", lambda d: d["stamp"].__setitem__(1, "0" * 64)),
        ("a number", lambda d: d["data"]["labels"].update(prepared_for=1.5)),
        ("data not a mapping", lambda d: d.update(data=["labels"])),
        ("too deep", lambda d: d["data"].update(x=json.loads("[" * 12 + "]" * 12))),
        ("a key too many", lambda d: d.update(extra=1)),
        ("not a mapping", lambda d: d.clear()),
        # the right types, the wrong shape: each would break every run that read it
        ("eleven months", lambda d: d["data"]["labels"]["months"].pop()),
        ("a month not text", lambda d: d["data"]["labels"]["months"].__setitem__(0, ["January"])),
        ("months as text", lambda d: d["data"]["labels"].update(months="January")),
        ("a label dropped", lambda d: d["data"]["labels"].pop("prepared_for")),
        ("a label added", lambda d: d["data"]["labels"].update(pwned="text")),
        ("a label as a list", lambda d: d["data"]["labels"].update(prepared_for=["Prepared for"])),
        ("a placeholder changed", lambda d: d["data"]["labels"].update(date="{day} {month} {yr}")),
        ("a placeholder dropped", lambda d: d["data"]["labels"].update(date="{day} {month}")),
        ("no labels", lambda d: d["data"].pop("labels")),
        ("labels a list", lambda d: d["data"].update(labels=[])),
        ("a name not text", lambda d: d["data"].update(name=None)),
        ("a key more", lambda d: d["data"].update(other="x")),
    ]


@pytest.mark.parametrize("name,mutate", _mutations(), ids=[m[0] for m in _mutations()])
def test_a_wrong_or_hostile_entry_is_ignored_and_written_again(cached, name, mutate):
    path = catalogues()[0]
    want = yaml.safe_load(path.read_text(encoding="utf-8"))
    i18n._read(path)
    (entry,) = cached.glob("labels-*.json")
    good = entry.read_text(encoding="utf-8")
    data = json.loads(good)
    mutate(data)
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert i18n._read(path) == want
    assert entry.read_text(encoding="utf-8") == good


@pytest.mark.parametrize("language", ["en", "sv"])
def test_labels_from_a_wrong_entry_work(cached, language):
    """What labels() hands on from a bad entry is the catalogue: dates print, every label is there."""
    path = i18n.catalogues() / f"{language}.yaml"
    i18n._read(path)
    for entry in cached.glob("labels-*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["data"]["labels"]["months"] = ["x"]
        data["data"]["labels"].pop("date_label")
        entry.write_text(json.dumps(data), encoding="utf-8")
    i18n.labels.cache_clear()
    try:
        labels = i18n.labels(language)
        assert len(labels.table["months"]) == 12 and labels("date_label")
        assert labels.date("2026-12-02").endswith("2026")
    finally:
        i18n.labels.cache_clear()


@pytest.mark.parametrize("damage", ["", "{", "\x00", "[" * 5000], ids=["empty", "truncated", "nul", "deep"])
def test_a_damaged_entry_is_ignored_and_written_again(cached, damage):
    path = catalogues()[0]
    i18n._read(path)
    (entry,) = cached.glob("labels-*.json")
    good = entry.read_text(encoding="utf-8")
    entry.write_text(damage, encoding="utf-8")
    assert i18n._read(path) == yaml.safe_load(path.read_text(encoding="utf-8"))
    assert entry.read_text(encoding="utf-8") == good


def test_two_versions_sharing_a_cache_keep_an_entry_each(cached, monkeypatch):
    from handouts import cachedir

    path = catalogues()[0]
    i18n._read(path)
    with monkeypatch.context() as m:
        m.setattr(cachedir, "code_stamp", lambda: "another version")
        i18n._read(path)
    assert len(list(cached.glob("labels-*.json"))) == 2
    monkeypatch.setattr(i18n, "_parse", lambda *a: pytest.fail("read the YAML again"))
    i18n._read(path)
