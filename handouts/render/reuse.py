"""Flowables made once per thread and handed to every document that places them: the parts of a
page that hold nothing about a patient.

A sheet or a programme page prints boxes made from the library and the labels alone (the brand
band, the urgent-help box, an exercise's title, steps, safety panel and pictures at the standard
size). Making one (its paragraphs parsed, its table set up) and measuring it (every cell wrapped)
costs the same for every patient, so it is done once per thread and the same flowable given to
each document after: it keeps its measurements (see :mod:`handouts.render.grid`), and its
paragraphs their lines.

What may be kept this way:

- only what is made from the library, the theme and the labels, never from a patient's name,
  dose, notes or dates; it is made as a paragraph with no private values would be
  (:func:`handouts.render.para.public`);
- only what is placed whole: never split over pages (a split makes new flowables and may leave
  the old one changed);
- only what a document places once, or what is tagged without keys that join elements
  (``("P", None)``, never a list's ``("L", key)``): a document that prints the same exercise
  twice draws its kept title and safety panel twice, and must get two sets of elements (the
  urgent-help box, whose lists are keyed, is placed once; an exercise's steps, a list, are
  handed to a document once, and made afresh if it asks again).

Each thread keeps its own: laying out and drawing write into the flowables. With the cache off
(``--no-cache``) everything is made for each document, as the layout choices in it are; kept
flowables are made again once the layout choices are forgotten (:func:`choices.generation`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from handouts import cachedir
from handouts.render import choices, para, replay

#: Flowables a thread keeps, the latest last: a full build of every language and edition makes
#: a few hundred; a batch or a desk a few per exercise.
LIMIT = 256

_LOCAL = threading.local()


def clear() -> None:
    """Forget this thread's kept flowables and their recorded drawings (for tests and benchmarks,
    and when a document is abandoned part-way: reportlab takes its canvas back from a flowable
    only once drawing it is done)."""
    _LOCAL.__dict__.pop("kept", None)
    replay.clear()


para.on_abandon(clear)


def kept(kind: str, owners: tuple, key: tuple, make: Callable, once: bool = False):
    """``make()``, or what it made before in this thread for the same ``kind``, ``owners`` (the
    objects it reads, compared by identity: the library, theme and labels) and ``key`` (plain
    values: widths, depths, ids). ``once``: the part's tags join elements by key (a list's), so
    a document gets it once; asked again in the same document, it is made afresh for it."""
    if not cachedir.enabled():  # --no-cache: made for each document, its layout choices too
        return make()
    document = para.current()
    if once and document is None:  # outside a document, no telling one from the next
        return make()
    store = _LOCAL.__dict__.setdefault("kept", OrderedDict())
    # made afresh with the paragraph memo off (the tests' way of seeing everything worked out),
    # and once the layout choices made in it are forgotten
    full = (kind, *map(id, owners), *key, para.ENABLED, choices.generation())
    found = store.get(full)
    if found is not None and all(a is b for a, b in zip(found[0], owners, strict=True)):
        if once and found[2] == document:
            return make()  # the same exercise twice in one document: its own, not kept
        store.move_to_end(full)
        found[2] = document if once else None
        return found[1]
    with para.public():
        made = replay.install(make())
    store[full] = [owners, made, document if once else None]
    while len(store) > LIMIT:
        store.popitem(last=False)
    return made
