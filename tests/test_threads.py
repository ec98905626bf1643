"""Documents made in several threads at once (the desk's way) are each what one thread alone makes.

A reportlab flowable holds the canvas it draws on while it draws, so a flowable two threads share
draws into the other's document; and the environment is the process's, so a timestamp set there
by one thread is another's too."""

from __future__ import annotations

import calendar
import datetime
import hashlib
import io
import os
import threading

import pikepdf
import pytest

from handouts.figures import render as figures
from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.read.flags import personalise
from handouts.render import logo
from handouts.render.document import Document, Options, context, render
from handouts.render.furniture import qr_drawing


def _in_thread(fn):
    out = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    t.join()
    return out[0]


def test_flowables_a_document_places_are_never_shared_between_threads(library):
    theme, _ = context(library, Options())
    pic = library.exercise("wall-angels").pictures[0]
    here = figures.picture_flowable(pic, 120.0, 90.0, theme.brand.colours)
    assert figures.picture_flowable(pic, 120.0, 90.0, theme.brand.colours) is here  # kept in a thread
    there = _in_thread(lambda: figures.picture_flowable(pic, 120.0, 90.0, theme.brand.colours))
    assert there is not here
    assert _in_thread(lambda: qr_drawing("https://example.org/v", 60.0)) is not qr_drawing(
        "https://example.org/v", 60.0
    )
    band = theme.band_height
    assert _in_thread(lambda: logo.logo_drawing(theme, band)) is not logo.logo_drawing(theme, band)


def _created(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return str(doc.docinfo["/CreationDate"])


def test_a_fixed_timestamp_is_the_threads_own(library, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    inside, left = threading.Barrier(2, timeout=60), threading.Barrier(2, timeout=60)
    made = {}

    def make(epoch: int, first: bool):
        with fixed_time(epoch):
            inside.wait()  # both inside their fixed time
            if not first:
                left.wait()  # the first has made its document and left its fixed time
            made[epoch] = render(library, Document("sheet", Options(), exercise="cat-cow"))
        if first:
            left.wait()

    threads = [threading.Thread(target=make, args=a) for a in ((1_600_000_000, True), (1_700_000_000, False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _created(made[1_600_000_000]).startswith("D:20200913")
    assert _created(made[1_700_000_000]).startswith("D:20231114")
    assert "SOURCE_DATE_EPOCH" not in os.environ  # the process's environment is left alone
    # outside a fixed time, the library's date again
    assert source_date_epoch("2026-11-25") == calendar.timegm(datetime.date(2026, 11, 25).timetuple())


@pytest.mark.parametrize(("cache", "replay"), [("off", True), ("on", True), ("off", False)])
def test_documents_made_in_threads_at_once_are_each_one_threads(library, cache, replay, request, monkeypatch):
    """Each thread starts cold (no drawing kept in the process or the cache folder), so the
    threads draw their pictures themselves, at once (every time, with replaying off); a thread
    that fails fails the test."""
    if cache == "on":
        request.getfixturevalue("cached")
    monkeypatch.setattr(figures, "REPLAY", replay)
    docs = [
        Document("sheet", Options(paper=p), exercise=e.id)
        for e in library.exercises
        for p in ("a4", "letter")
    ]
    personal = personalise(library, "en", patient="Ann Example", note="Go gently now.")
    docs += [Document("sheet", Options(), exercise=e.id, personal=personal) for e in library.exercises[4:6]]
    alone = [hashlib.sha256(render(library, d)).hexdigest() for d in docs]
    figures._OPS.clear()
    wrong, failed = [], []
    start = threading.Barrier(6, timeout=60)

    def work(offset: int):
        try:
            start.wait()
            for i in range(len(docs)):
                n = (offset % 2 + i) % len(docs)  # threads draw the same pictures at once
                if hashlib.sha256(render(library, docs[n])).hexdigest() != alone[n]:
                    wrong.append(docs[n].exercise)
        except Exception as exc:  # noqa: BLE001 - any failure in a thread fails the test
            failed.append(repr(exc))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == []
    assert wrong == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_shared_lock_held_at_a_fork_is_free_in_the_worker():
    from handouts.perthread import ForkSafeLock

    lock = ForkSafeLock()
    with lock:  # held (by another thread, as far as a forked worker can tell) when it forks
        pid = os.fork()
        if pid == 0:  # the worker: the lock is its own, free
            os._exit(0 if lock._lock.acquire(blocking=False) else 1)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
