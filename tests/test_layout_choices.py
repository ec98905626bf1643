"""Layout choices kept between runs (handouts/render/choices.py): the sheet's urgent-help box breaks
its groups into lines thirteen times only when nothing is kept; a kept choice gives the same bytes;
a corrupt, hostile or out-of-range entry is ignored; nothing is kept with the cache off or for a
patient's sheet. Every cache here is in tmp_path."""

from __future__ import annotations

import json

import pytest

from handouts.pdf.writer import fixed_time
from handouts.render import choices, urgent
from handouts.render.document import Options, context
from handouts.render.sheet import render_sheet

EPOCH = 1764547200


@pytest.fixture(scope="module")
def shipped(library):
    return library


def sheet(lib, monkeypatch, exercise="cat-cow", **kw) -> tuple[bytes, int]:
    """A sheet's bytes and how many shares its urgent-help box tried."""
    tried = []
    real = choices.choose

    def counting(name, candidates, score):
        return real(name, candidates, lambda c: (tried.append(c), score(c))[1])

    with monkeypatch.context() as m:
        m.setattr(choices, "choose", counting)
        theme, labels = context(lib, Options())
        with fixed_time(EPOCH):
            data = render_sheet(lib, lib.exercise(exercise), theme, labels, **kw)
    return data, len(tried)


def entries(folder) -> list:
    return sorted(folder.glob(f"{choices.KIND}-*.json"))


def test_a_kept_choice_tries_nothing_and_gives_the_same_bytes(cached, shipped, monkeypatch):
    first, tried = sheet(shipped, monkeypatch)
    assert tried == len(urgent.SHARES)
    (path,) = entries(cached)
    choices.forget()  # a new process: only the cache folder remembers
    again, tried_again = sheet(shipped, monkeypatch)
    assert tried_again == 0 and again == first
    # and the same bytes as a run that keeps nothing at all
    monkeypatch.setenv("HANDOUTS_NO_CACHE", "1")
    choices.forget()
    uncached, tried_uncached = sheet(shipped, monkeypatch)
    assert uncached == first and tried_uncached == len(urgent.SHARES)
    assert json.loads(path.read_text(encoding="utf-8"))["of"] == len(urgent.SHARES)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: {**d, "index": 99},
        lambda d: {**d, "index": -1},
        lambda d: {**d, "index": True},
        lambda d: {**d, "index": 1.0},
        lambda d: {**d, "index": "3"},
        lambda d: {**d, "of": d["of"] + 1},
        lambda d: {**d, "key": "0" * 64},
        lambda d: {**d, "extra": 1},
        lambda d: [d],
        lambda d: None,
    ],
    ids=[
        "past-the-end",
        "negative",
        "bool",
        "float",
        "text",
        "other-count",
        "other-key",
        "extra",
        "list",
        "null",
    ],
)
def test_a_hostile_entry_is_ignored(cached, shipped, monkeypatch, tamper):
    first, _ = sheet(shipped, monkeypatch)
    (path,) = entries(cached)
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(tamper(data)), encoding="utf-8")
    choices.forget()
    again, tried = sheet(shipped, monkeypatch)
    assert tried == len(urgent.SHARES) and again == first


def test_a_corrupt_entry_is_ignored(cached, shipped, monkeypatch):
    first, _ = sheet(shipped, monkeypatch)
    (path,) = entries(cached)
    path.write_bytes(b'{"key": "' + b"\xff" * 10)
    choices.forget()
    again, tried = sheet(shipped, monkeypatch)
    assert tried == len(urgent.SHARES) and again == first


def test_nothing_is_kept_with_the_cache_off(cached, shipped, monkeypatch):
    monkeypatch.setenv("HANDOUTS_NO_CACHE", "1")
    sheet(shipped, monkeypatch)
    _, tried = sheet(shipped, monkeypatch)
    assert tried == len(urgent.SHARES), "--no-cache uses not even this process's memory"
    assert not cached.exists() or entries(cached) == []


def test_a_patients_sheet_writes_nothing(cached, shipped, monkeypatch):
    from handouts.read.flags import personalise

    kw = personalise(shipped, "en", patient="Ann Example", note="Slowly.")
    sheet(shipped, monkeypatch, **kw)
    assert not cached.exists() or entries(cached) == []


def test_a_different_text_is_a_different_choice(cached, shipped, monkeypatch):
    """The key holds the groups' words: a library with other signs does not use this one's."""
    import dataclasses

    sheet(shipped, monkeypatch)
    u = shipped.urgent_help
    other = dataclasses.replace(shipped, urgent_help=dataclasses.replace(u, same_day=(*u.same_day[:-1],)))
    choices.forget()
    _, tried = sheet(other, monkeypatch)
    assert tried == len(urgent.SHARES)
    assert len(entries(cached)) == 2
