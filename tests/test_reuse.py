"""Parts made once per thread (handouts/render/reuse.py): the urgent-help box, an exercise's title
and safety panel. The same bytes as making them for each document, made from shared words only,
and nothing about a patient reachable from them."""

from __future__ import annotations

import threading

import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table

from handouts.pdf.tagging import Tagged
from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.read.flags import personalise
from handouts.read.programme import loads_program
from handouts.read.translation import localised
from handouts.render import para, reuse, urgent
from handouts.render.document import Document, Options, context, render

NAME = "Zoë Secretname"
CLINICIAN = "Dr Wilhelmina Quackenbush"

#: one exercise twice: a document that draws a kept panel twice must tag it twice
TWICE = """\
patient: Ann Example
clinician:
  name: Sam Physio
start: "2026-12-01"
weeks: 6
per_week: 3
exercises:
  - id: wall-angels
    reps: 8
  - id: wall-angels
    reps: 10
"""


@pytest.fixture
def lib(library):
    return library


def _documents(lib) -> list[bytes]:
    sv = localised(lib, "sv")
    twice = loads_program(TWICE, lib)
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        out = []
        for i in range(3):  # personal documents, one after another in this thread
            personal = personalise(lib, "en", patient=f"{NAME} {i}", clinician=CLINICIAN, reps=5 + i)
            out.append(render(lib, Document("sheet", Options(), exercise="wall-angels", personal=personal)))
        out += [
            render(lib, Document("sheet", Options(paper="letter"), exercise="cat-cow")),
            render(lib, Document("sheet", Options(large_print=True), exercise="cat-cow")),
            render(lib, Document("program", Options(), program=twice)),
            render(lib, Document("program", Options(), program=twice)),
            render(sv, Document("sheet", Options(language="sv"), exercise="wall-angels")),
            render(lib, Document("booklet", Options())),
        ]
        return out


def test_kept_parts_write_the_same_bytes(cached, lib, monkeypatch):
    reuse.clear()
    monkeypatch.setattr(reuse, "LIMIT", 0)  # none kept: made for each document
    made = _documents(lib)
    assert not reuse._LOCAL.kept
    monkeypatch.setattr(reuse, "LIMIT", 256)
    assert _documents(lib) == made
    kinds = {key[0] for key in reuse._LOCAL.kept}
    assert kinds == {"urgent", "title", "safety", "band", "pictures", "steps", "dose-width", "summary-safety"}
    assert _documents(lib) == made  # and again, every part kept


def test_a_part_is_made_once_per_thread(cached, lib):
    reuse.clear()
    theme, labels = context(lib, Options())
    width = theme.frame_width
    first = urgent.placed_whole(lib, theme, labels, width, compact=True)
    assert urgent.placed_whole(lib, theme, labels, width, compact=True) is first
    assert urgent.placed_whole(lib, theme, labels, width - 10, compact=True) is not first
    other_theme, _ = context(lib, Options(paper="letter"))
    assert urgent.placed_whole(lib, other_theme, labels, width, compact=True) is not first
    other = []
    thread = threading.Thread(
        target=lambda: other.append(urgent.placed_whole(lib, theme, labels, width, True))
    )
    thread.start()
    thread.join()
    assert other and other[0] is not first


def test_a_part_is_made_again_once_layout_choices_are_forgotten(cached, lib):
    from handouts.render import choices

    reuse.clear()
    theme, labels = context(lib, Options())
    first = urgent.placed_whole(lib, theme, labels, theme.frame_width, compact=True)
    choices.forget()
    assert urgent.placed_whole(lib, theme, labels, theme.frame_width, compact=True) is not first


def test_a_part_is_made_for_each_document_with_the_cache_off(lib, monkeypatch):
    monkeypatch.setenv("HANDOUTS_NO_CACHE", "1")
    reuse.clear()
    theme, labels = context(lib, Options())
    first = urgent.placed_whole(lib, theme, labels, theme.frame_width, compact=True)
    assert urgent.placed_whole(lib, theme, labels, theme.frame_width, compact=True) is not first
    assert not reuse._LOCAL.__dict__.get("kept")


def _walk(x, seen=None):
    """Every object reachable from a kept flowable through Handouts' and reportlab's objects."""
    seen = set() if seen is None else seen
    if id(x) in seen:
        return
    seen.add(id(x))
    yield x
    if isinstance(x, (list, tuple, set, frozenset)):
        items = list(x)
    elif isinstance(x, dict):
        items = [*x.keys(), *x.values()]
    elif hasattr(x, "__dict__") and type(x).__module__.startswith(("reportlab", "handouts")):
        items = list(vars(x).values())
    else:
        items = []
    for item in items:
        yield from _walk(item, seen)


def test_kept_parts_are_shared_words_and_hold_nothing_about_a_patient(cached, lib):
    reuse.clear()
    _documents(lib)
    kept = [entry[1] for entry in reuse._LOCAL.kept.values()]
    reached = [x for made in kept for x in _walk(made)]
    # made as shared words, even inside a patient's document
    paragraphs = [x for x in reached if isinstance(x, para.Paragraph)]
    assert len(paragraphs) > 10
    assert all(p._memo_key[0] is para._SHARED for p in paragraphs)
    # no patient's words, and no canvas (which would hold the last document's pages)
    words = [x for x in reached if isinstance(x, str)]
    assert words and not [w for w in words if "Secretname" in w or "Quackenbush" in w]
    assert not [x for x in reached if isinstance(x, Canvas)]


def test_kept_parts_join_no_structure_elements_by_key(cached, lib):
    """An exercise's kept parts are drawn twice where a document prints the exercise twice: their
    tags must make new elements each time, which a keyed path (a list's) would not. (The urgent
    box's lists are keyed: a document places it once; an exercise's steps, a list, are handed to
    a document once.)"""
    reuse.clear()
    _documents(lib)
    parts = [entry[1] for key, entry in reuse._LOCAL.kept.items() if key[0] not in ("urgent", "steps")]
    tagged = [x for made in parts for x in _walk(made) if isinstance(x, Tagged)]
    assert tagged
    keyed = [t.path for t in tagged if any(key is not None for _, key in t.path)]
    assert keyed == [], "a kept part holds tags that join elements by key"
    assert any(isinstance(x, Table) for made in parts for x in _walk(made))


def test_kept_parts_drawn_again_write_the_same_bytes(cached, lib, monkeypatch):
    """A kept table's drawing written again (its operators, its tags renumbered for the page)
    gives the bytes drawing it gives: with replay off, on, and on with every drawing refused."""
    from handouts.render import drawn, replay

    monkeypatch.setattr(replay, "ENABLED", False)
    reuse.clear()
    plain = _documents(lib)
    monkeypatch.setattr(replay, "ENABLED", True)
    reuse.clear()
    writes = []
    real = replay._write
    monkeypatch.setattr(replay, "_write", lambda *a: writes.append(1) or real(*a))
    assert _documents(lib) == plain
    assert _documents(lib) == plain
    # the urgent box and a safety panel on every sheet and programme page after the first
    assert len(writes) >= 20
    reuse.clear()
    writes.clear()
    touched = drawn._touched
    monkeypatch.setattr(drawn, "_touched", lambda canv: (*touched(canv), object()))  # never kept
    assert _documents(lib) == plain
    assert writes == []


def test_a_kept_part_is_drawn_by_reportlab_where_it_cannot_be_written_again(cached, lib, monkeypatch):
    """Drawn in a canvas state of its own, or inside another part's recording: reportlab draws."""
    from handouts.pdf import tagging
    from handouts.render import replay

    reuse.clear()
    theme, labels = context(lib, Options())
    box = urgent.placed_whole(lib, theme, labels, theme.frame_width, compact=True)
    assert getattr(type(box), "_handouts_replays", False)
    assert replay.install(box) is box and type(replay.install(box)) is type(box)  # installed once
    calls = []
    original = type(box)._handouts_draw
    monkeypatch.setattr(type(box), "_handouts_draw", lambda self: calls.append(1) or original(self))
    _documents(lib)
    drawn_by_reportlab = len(calls)
    assert drawn_by_reportlab >= 1  # the first time, recorded
    calls.clear()
    real_structure = tagging.structure

    def recording(canv):  # as if every drawing were inside another part's recording
        canv.__dict__.setdefault(tagging.RECORDING, [])
        return real_structure(canv)

    monkeypatch.setattr(tagging, "structure", recording)
    _documents(lib)
    assert len(calls) >= 4  # every sheet's box, drawn by reportlab


def test_a_part_with_a_list_is_handed_to_a_document_once(cached, lib):
    """An exercise's steps are a list whose items join one element by key: a document printing
    the exercise twice gets a second list of its own; the next document gets the kept one."""
    reuse.clear()
    made = []

    def make():
        made.append(object())
        return made[-1]

    with para.document("Ann Example"):
        first = reuse.kept("steps", (lib,), (1,), make, once=True)
        assert reuse.kept("steps", (lib,), (1,), make, once=True) is not first
    with para.document("Bo Example"):
        assert reuse.kept("steps", (lib,), (1,), make, once=True) is first
    assert reuse.kept("steps", (lib,), (1,), make, once=True) is not first  # outside a document
    assert len(made) == 3
    # what is kept says which document took it by number only: nothing of its private values
    assert all(isinstance(entry[2], int) for entry in reuse._LOCAL.kept.values())


def test_steps_that_print_a_patients_dose_are_made_for_their_document(cached, lib):
    from handouts.model import Prescription
    from handouts.render import block

    theme, labels = context(lib, Options())
    reuse.clear()
    dosed = next(
        ex for ex in lib.exercises if any("{reps:" in s.text or "{hold:" in s.text for s in ex.steps)
    )
    rx = Prescription(reps=7, hold=7)
    with para.document("Ann Example"):
        block._kept_steps(dosed, theme, labels, rx, theme.frame_width, 0)
    assert not any(key[0] == "steps" for key in reuse._LOCAL.__dict__.get("kept", {}))
    with para.document("Ann Example"):
        block._kept_steps(dosed, theme, labels, Prescription(), theme.frame_width, 0)
    assert any(key[0] == "steps" for key in reuse._LOCAL.kept)  # the library's dose: kept


def test_pictures_beside_a_patients_wider_dose_are_made_for_their_document(cached, lib):
    """The pictures' width is what the dose box leaves: kept only where that is the library's own
    dose's width (a patient's dose may widen the box, and the width would tell of it)."""
    sv = localised(lib, "sv")

    def widths():
        return sorted({key[4] for key in reuse._LOCAL.kept if key[0] == "pictures"})

    reuse.clear()
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        render(sv, Document("sheet", Options(language="sv"), exercise="cat-cow"))
        library = widths()
        assert library
        for reps in (5, 12, 25):
            personal = personalise(sv, "sv", patient=NAME, reps=reps)
            render(sv, Document("sheet", Options(language="sv"), exercise="cat-cow", personal=personal))
    assert widths() == library


def test_an_abandoned_document_leaves_nothing_kept(cached, lib, monkeypatch):
    """A document that fails part-way through drawing may leave its canvas in kept flowables
    (reportlab takes it back only when drawing is done): everything this thread kept is forgotten."""
    from handouts.render import furniture, replay

    _documents(lib)
    assert reuse._LOCAL.kept and replay._LOCAL.kept

    def broken(self):
        raise RuntimeError("the drawing failed")

    monkeypatch.setattr(furniture.Badge, "draw", broken)  # the steps' badges: mid-page
    personal = personalise(lib, "en", patient=NAME, clinician=CLINICIAN, reps=9)
    with pytest.raises(RuntimeError), fixed_time(source_date_epoch(lib.document.last_reviewed)):
        render(lib, Document("sheet", Options(), exercise="cat-cow", personal=personal))
    assert not reuse._LOCAL.__dict__.get("kept")
    assert not replay._LOCAL.__dict__.get("kept")


def test_a_part_that_calls_back_is_never_replayed(cached, lib, monkeypatch):
    """A paragraph that calls back while it is drawn (a contents entry, an index term) must be
    drawn every time: a kept part holding one is refused, and drawn by reportlab."""
    from handouts.render import replay

    reuse.clear()
    plain = _documents(lib)
    reuse.clear()
    monkeypatch.setattr(para, "_calls_back", lambda frags: True)  # every paragraph calls back
    writes = []
    real = replay._write
    monkeypatch.setattr(replay, "_write", lambda *a: writes.append(1) or real(*a))
    assert _documents(lib) == plain
    assert _documents(lib) == plain
    assert writes == []
    assert replay.REFUSED in replay._LOCAL.kept.values()
