"""Kept parts drawn once per thread: a kept table's operators and tags written again.

A part kept for every document (see :mod:`handouts.render.reuse`: the urgent-help box, an
exercise's safety panel) is the same flowable in every document, drawn the same way on every
page it lands on; only where it lands changes. Its drawing (a table: backgrounds, rules, cells,
the tagged paragraphs in them) is what reportlab does most slowly after writing the file.

So the second time a kept table is drawn (a single document draws it once, and recording costs
more than drawing), what its ``draw`` writes is recorded: the operators
(written after the flowable's own move to where it lands, so the same wherever that is), what it
asked of the fonts (as :mod:`handouts.render.drawn` keeps a paragraph's), and what each tagged
piece in it marked: its structure element's path, its words, where its ``BDC`` line is, and
where it lay relative to the table. Drawing it again in a document whose canvas is in the same
state marks the same elements in the same order (each gets this page's next MCID), puts those
MCIDs in the ``BDC`` lines, records each piece's place for the structure tree, and writes the
operators, when the fonts fit as :func:`drawn.fits` tells; otherwise it draws as before.

A drawing is kept only when it touched nothing but the page's operators, the document's fonts
and the structure (the same rules as a paragraph's), left the canvas's state as it found it,
and names no resource but the font subsets. The bytes are the same either way (the tests
build documents both ways and compare them).
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict

from reportlab.graphics.shapes import inverse, mmult
from reportlab.platypus import Flowable

from handouts.pdf import tagging
from handouts.render import drawn

#: Off, every kept part is drawn by reportlab.
ENABLED = True
#: Drawings kept for one part and canvas state: one per way its letters are coded.
VARIANTS = 4


def install(part):
    """Have ``part`` (a flowable kept for every document, or a list of them) write its drawing
    again where it can: it becomes an instance of a subclass of its class whose ``draw`` does
    (see the module)."""
    if isinstance(part, (list, tuple)):  # parts: each table in them
        for each in part:
            install(each)
        return part
    if not isinstance(part, Flowable) or isinstance(part, tagging.Tagged) or "draw" in part.__dict__:
        return part
    cls = type(part)
    if not getattr(cls, "_handouts_replays", False):
        sub = _SUBCLASSES.get(cls)
        if sub is None:
            namespace = {"draw": _draw, "_handouts_replays": True, "_handouts_draw": cls.draw}
            sub = _SUBCLASSES[cls] = type(cls.__name__, (cls,), {**namespace, "__module__": cls.__module__})
        part.__class__ = sub
    return part


_SUBCLASSES: dict[type, type] = {}


def _draw(part) -> None:
    """A kept part's ``draw``: its recorded drawing written again where it fits, else reportlab's
    (recorded the second time)."""
    canv = part.canv
    tree = tagging.structure(canv)
    state = drawn.state(canv) if ENABLED and tree is not None else None
    # (inside another part's recording, drawn: that recording holds it)
    if state is None or tagging.RECORDING in canv.__dict__:
        part._handouts_draw()
        return
    number = part.__dict__.get("_handouts_number")
    if number is None:  # its recordings' key: never an id a later part may reuse
        number = part._handouts_number = next(_NUMBERS)
    key = (number, state, tree.depth, getattr(part, "_width", None), getattr(part, "_height", None))
    store = _store()
    found = store.get(key)
    if found is None or found == REFUSED:
        _put(store, key, found or SEEN)
        part._handouts_draw()
        return
    store.move_to_end(key)
    doc = canv._doc
    variants = () if found == SEEN else found
    for entry, marks in variants:
        if drawn.fits(doc, entry):
            _write(canv, tree, entry, marks)
            return
    recorded = _record(part, canv, tree, state)
    if recorded is not None:
        _put(store, key, [recorded, *variants[: VARIANTS - 1]])
    elif not variants:
        _put(store, key, REFUSED)


#: What this thread has recorded, the latest last, bounded: (part's number, canvas state,
#: structure depth, size) -> SEEN, REFUSED, or up to VARIANTS (drawing, marks), the latest first.
_LOCAL = threading.local()
LIMIT = 256
#: drawn once: recorded when drawn again (a single document draws each part once)
SEEN = "seen"
#: could not be kept: drawn by reportlab from then on
REFUSED = "refused"
_NUMBERS = itertools.count(1)


def clear() -> None:
    """Forget this thread's recordings (for tests, and when a document is abandoned)."""
    _LOCAL.__dict__.pop("kept", None)


def _store() -> OrderedDict:
    return _LOCAL.__dict__.setdefault("kept", OrderedDict())


def _record(part, canv, tree, state) -> tuple | None:
    """Draw ``part``, recording it: (drawing, marks), or None when it cannot be kept."""
    origin = canv._currentMatrix
    start = len(canv._code)
    events: list = []
    setattr(canv, tagging.RECORDING, events)
    try:
        entry = drawn.recorded(canv, part._handouts_draw)
    finally:
        delattr(canv, tagging.RECORDING)
        refused = canv.__dict__.pop(tagging.REFUSE, False)  # a drawing that calls back
    if entry is None or refused or drawn.state(canv) != state or canv._currentMatrix != origin:
        return None
    ops = entry[0]
    if any(len(e) != 10 or not start <= e[0] < e[1] <= start + len(ops) for e in events):
        return None  # a mark not closed within the drawing (it never is)
    at = {e[0] - start for e in events}
    if not drawn.named(canv._doc, entry, [op for i, op in enumerate(ops) if i not in at]):
        return None
    back = inverse(origin)
    marks = tuple(
        (
            first - start,
            end - start,
            path,
            alt,
            tag,
            actual,
            text,
            depth - tree.depth,
            mmult(back, matrix),
            xywh,
        )
        for first, end, path, alt, tag, actual, text, depth, matrix, xywh in events
    )
    return entry, marks


def _write(canv, tree, entry, marks) -> None:
    base = len(canv._code)
    origin = canv._currentMatrix
    ops = list(entry[0])
    for first, end, path, alt, tag, actual, text, depth, relative, (x, y, w, h) in marks:
        el, page, mcid = tree.mark(canv, path, alt)
        if text:
            el.actual.append(text)
        ops[first] = f"/{tag} <</MCID {mcid}{actual}>> BDC"
        if depth + tree.depth == 0:
            tree.spans.setdefault(page, []).append((base + first, base + end))
        el.boxes.append(tagging.box(mmult(origin, relative), page, x, y, w, h))
    drawn.write(canv, entry, ops)


def _put(store: OrderedDict, key, value) -> None:
    store[key] = value
    store.move_to_end(key)
    while len(store) > LIMIT:
        store.popitem(last=False)
