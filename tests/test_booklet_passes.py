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
    return [
        ("every page one later", lambda d: d.update(pages=[p + 1 for p in d["pages"]])),
        ("an entry's page dropped", lambda d: d["pages"].pop()),
        ("the how-to's pages", lambda d: d["refs"].update({k: v + 2 for k, v in d["refs"].items()})),
        ("the last possible pages", lambda d: d.update(pages=[10_000] * len(d["pages"]))),
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
        ("titles beside the pages", lambda d: d.update(entries=[[0, "<img src='/etc/passwd'/>", 1, "s1"]])),
        ("a page that is true", lambda d: d["pages"].__setitem__(0, True)),
        ("page nought", lambda d: d["pages"].__setitem__(0, 0)),
        ("a page past the last", lambda d: d["pages"].__setitem__(0, 10_001)),
        ("a page as text", lambda d: d["pages"].__setitem__(0, "7")),
        ("a page as a fraction", lambda d: d["pages"].__setitem__(0, 7.5)),
        ("a reference name with markup", lambda d: d["refs"].update({"<b>": 3})),
        ("a reference page of NaN", lambda d: d["refs"].update(log=float("nan"))),
        ("another key", lambda d: d.update(key="0" * 64)),
        ("pages not a list", lambda d: d.update(pages={})),
        ("too many pages", lambda d: d.update(pages=d["pages"] * 1000)),
        ("refs not a mapping", lambda d: d.update(refs=[])),
    ]


@pytest.mark.parametrize("name,mutate", _hostile(), ids=[h[0] for h in _hostile()])
def test_a_hostile_entry_is_never_read(cached, shipped, monkeypatch, name, mutate):
    first, good = tampered(cached, shipped, monkeypatch, mutate)
    assert passes.read(good["key"], [(0, "x", "s1")] * len(good["pages"])) is None
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


def test_without_the_cache_every_build_finds_its_pages(cached, shipped, monkeypatch):
    monkeypatch.setenv("HANDOUTS_NO_CACHE", "1")
    first, n1 = booklet(shipped, monkeypatch)
    again, n2 = booklet(shipped, monkeypatch)  # the same process: not even its memory is used
    assert first == again and n1 >= 2 and n2 >= 2
    assert not cached.exists()


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"large_print": True},
        {"paper": "letter"},
        {"language": "sv"},
        {"language": "sv", "large_print": True},
    ],
)
def test_the_story_names_every_contents_entry_before_it_is_laid_out(cached, shipped, monkeypatch, options):
    """The titles, levels and bookmarks come from the story, not the cache: they must be the very
    entries the build records, or no page would ever be kept."""
    from handouts.render import booklet as booklet_module

    seen = {}
    real = passes.write

    def spy(name, expected, entries, refs):
        seen["expected"], seen["entries"] = expected, [(e[0], e[1], e[3]) for e in entries]
        return real(name, expected, entries, refs)

    monkeypatch.setattr(booklet_module.passes, "write", spy)
    booklet(shipped, monkeypatch, **options)
    assert seen["expected"] == seen["entries"] and len(seen["expected"]) >= 8


def test_a_kept_build_that_fails_is_built_again_as_if_nothing_were_kept(cached, shipped, monkeypatch):
    from handouts.errors import LayoutError
    from handouts.render.booklet_flow import BookletDoc, Contents

    first, _ = booklet(shipped, monkeypatch)
    real = BookletDoc.multiBuild
    calls = []

    def failing_when_seeded(self, story, **kw):
        toc = next(f for f in story if isinstance(f, Contents))
        calls.append(bool(toc._entries))
        if toc._entries:
            raise LayoutError("as if a kept page had made something too long")
        return real(self, story, **kw)

    monkeypatch.setattr(BookletDoc, "multiBuild", failing_when_seeded)
    again, _ = booklet(shipped, monkeypatch)
    assert calls == [True, False] and again == first


def test_pages_of_other_entries_than_the_storys_are_not_kept(cached):
    expected = [(0, "Contents", "s1"), (1, "Wall angels", "s2")]
    passes.write("k", expected, [(0, "Contents", 3, "s1"), (1, "Another", 4, "s2")], {})
    passes.write("k2", expected, [(0, "Contents", 3, "s1")], {})
    passes.write("k3", expected, [(0, "Contents", 3, "s1"), (1, "Wall angels", 4, "s2")], {"Bad Name": 2})
    assert passes.read("k", expected) is None and passes.read("k2", expected) is None
    assert passes.read("k3", expected) is None
    assert not cached.exists() or not list(cached.glob("pages-*.json"))
    passes.write("k4", expected, [(0, "Contents", 3, "s1"), (1, "Wall angels", 4, "s2")], {"log": 9})
    assert passes.read("k4", expected) == (
        [(0, "Contents", 3, "s1"), (1, "Wall angels", 4, "s2")],
        {"log": 9},
    )
