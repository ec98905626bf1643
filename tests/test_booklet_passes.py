"""The pages a booklet's last build found start the next build's first pass (handouts/render/passes.py):
one pass when nothing moved, the same bytes always, and a wrong, stale or hostile entry costs a
pass, never a wrong page. Every cache here is in tmp_path."""

from __future__ import annotations

import json

import pytest
from conftest import LIBRARY
from reportlab.platypus import doctemplate

from handouts import api
from handouts.pdf.writer import fixed_time
from handouts.render import passes
from handouts.render.booklet import render_booklet
from handouts.render.document import Options, context

EPOCH = 1764547200


@pytest.fixture
def cached(monkeypatch, tmp_path):
    monkeypatch.delenv("HANDOUTS_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    passes.forget()
    yield tmp_path / "cache" / "handouts"
    passes.forget()


@pytest.fixture(scope="module")
def shipped():
    return api.load(str(LIBRARY))


def booklet(lib, monkeypatch, **options) -> tuple[bytes, int]:
    """The booklet's bytes and how many passes reportlab made."""
    built = []
    real = doctemplate.BaseDocTemplate.build

    def counted(self, *a, **k):
        built.append(1)
        return real(self, *a, **k)

    with monkeypatch.context() as m:
        m.setattr(doctemplate.BaseDocTemplate, "build", counted)
        theme, labels = context(lib, Options(**options))
        with fixed_time(EPOCH):
            data = render_booklet(lib, theme, labels)
    return data, len(built)


def entry(folder) -> tuple:
    (path,) = folder.glob("pages-*.json")
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_a_kept_build_takes_one_pass_and_gives_the_same_bytes(cached, shipped, monkeypatch):
    first, n1 = booklet(shipped, monkeypatch)
    assert n1 >= 2  # the contents and the how-to page need the pages
    again, n2 = booklet(shipped, monkeypatch)  # from this process's memory
    passes.forget()
    third, n3 = booklet(shipped, monkeypatch)  # from the cache folder
    assert (n2, n3) == (1, 1)
    assert again == third == first
    monkeypatch.setenv("HANDOUTS_NO_CACHE", "1")
    passes.forget()
    fresh, _ = booklet(shipped, monkeypatch)
    assert fresh == first


@pytest.mark.parametrize("options", [{"large_print": True}, {"paper": "letter"}, {"language": "sv"}])
def test_each_edition_keeps_its_own_pages(cached, shipped, monkeypatch, options):
    standard, _ = booklet(shipped, monkeypatch)
    other, n = booklet(shipped, monkeypatch, **options)
    assert n >= 2 and other != standard  # not the standard booklet's pages
    assert booklet(shipped, monkeypatch, **options) == (other, 1)
    assert len(list(cached.glob("pages-*.json"))) == 2


def _wrong():
    def shift(d):
        for e in d["entries"]:
            e[2] += 1

    return [
        ("every page one later", shift),
        ("an entry dropped", lambda d: d["entries"].pop()),
        ("a title changed", lambda d: d["entries"][0].__setitem__(1, "Another title")),
        ("the how-to's pages", lambda d: d["pages"].update({k: v + 2 for k, v in d["pages"].items()})),
    ]


def tampered(cached, shipped, monkeypatch, mutate) -> tuple[bytes, dict]:
    """The booklet built once, and its kept entry as written; the entry is then changed by
    ``mutate`` and this process's memory of it forgotten."""
    first, _ = booklet(shipped, monkeypatch)
    path, good = entry(cached)
    data = json.loads(json.dumps(good))
    mutate(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    passes.forget()
    return first, good


@pytest.mark.parametrize("name,mutate", _wrong(), ids=[w[0] for w in _wrong()])
def test_a_wrong_entry_costs_a_pass_not_a_wrong_page(cached, shipped, monkeypatch, name, mutate):
    first, good = tampered(cached, shipped, monkeypatch, mutate)
    again, n = booklet(shipped, monkeypatch)
    assert again == first and n >= 2
    assert entry(cached)[1] == good  # written again


def _hostile():
    return [
        ("markup in a title", lambda d: d["entries"][0].__setitem__(1, "<img src='/etc/passwd'/>")),
        ("a bare ampersand", lambda d: d["entries"][0].__setitem__(1, "A & B")),
        ("a link in a bookmark", lambda d: d["entries"][0].__setitem__(3, 's1" href="https://x.example')),
        ("a level that is true", lambda d: d["entries"][0].__setitem__(0, True)),
        ("page nought", lambda d: d["entries"][0].__setitem__(2, 0)),
        ("a page as text", lambda d: d["entries"][0].__setitem__(2, "7")),
        ("an entry of three", lambda d: d["entries"][0].pop()),
        ("a reference name with markup", lambda d: d["pages"].update({"<b>": 3})),
        ("a reference page of NaN", lambda d: d["pages"].update(log=float("nan"))),
        ("another stamp", lambda d: d["stamp"].__setitem__(1, "0" * 64)),
        ("another key", lambda d: d.update(key="0" * 64)),
        ("a key too many", lambda d: d.update(extra=1)),
        ("entries not a list", lambda d: d.update(entries={})),
        ("too many entries", lambda d: d.update(entries=d["entries"] * 1000)),
    ]


@pytest.mark.parametrize("name,mutate", _hostile(), ids=[h[0] for h in _hostile()])
def test_a_hostile_entry_is_never_read(cached, shipped, monkeypatch, name, mutate):
    first, good = tampered(cached, shipped, monkeypatch, mutate)
    assert passes.read(good["key"]) is None
    again, n = booklet(shipped, monkeypatch)
    assert again == first and n >= 2
    assert entry(cached)[1] == good


@pytest.mark.parametrize("damage", ["", "{", "[" * 5000, "\x00"], ids=["empty", "truncated", "deep", "nul"])
def test_a_damaged_entry_is_ignored_and_written_again(cached, shipped, monkeypatch, damage):
    first, _ = booklet(shipped, monkeypatch)
    path, good = entry(cached)
    path.write_text(damage, encoding="utf-8")
    passes.forget()
    assert booklet(shipped, monkeypatch)[0] == first
    assert entry(cached)[1] == good


def test_what_a_booklet_does_not_make_is_not_kept(cached):
    passes.write("k", [(0, "<b>bold</b>", 1, "s1")], {})
    passes.write("k2", [(0, "Title", 1, "s1")], {"Bad Name": 2})
    assert passes.read("k") is None and passes.read("k2") is None
    assert not cached.exists() or not list(cached.glob("pages-*.json"))
