"""Paragraphs drawn once per process: a paragraph's operators kept and written again.

Drawing a paragraph is reportlab's slowest step after wrapping it (its lines, words, fonts and
colours turned into text operators), and a batch or a build draws the same labels, steps and
safety text on page after page. A paragraph of the library's or the labels' words (one the
shared memo of :mod:`handouts.render.para` holds, so never anything about a patient) is drawn
by reportlab the first two times; the second time its operators are kept, keyed by its text,
style and width and by the canvas's state where it starts (font, colours, line settings), and
written again wherever the same paragraph starts from the same state. (Most paragraphs of a
single document are drawn once, and keeping one costs more than drawing it.)

The operators are only as good as what they name. An entry is kept only when drawing it touched
nothing but the page's operators and the document's fonts (no link, destination, colour space,
form or object added) and names no resource but a font subset; what it asked of the fonts (the
runs it encoded, the subsets it named) and the PDF features it asked the document for (a text
colour asks for transparency, so PDF 1.4) are kept with it. To write it again into a document,
the same is asked of that document's fonts first (naming them and numbering new characters as
drawing it would), and the operators are written only if every font then has the name, and
every character the code, they had; otherwise the paragraph is drawn as before. The bytes are
the same either way (the tests build documents both ways and compare them).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from operator import attrgetter

from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import fonts
from handouts.perthread import ForkSafeLock

#: Off, every paragraph is drawn by reportlab.
ENABLED = True
#: Paragraphs kept; a sheet draws about sixty, a full build of every language a few thousand.
LIMIT = 4096
#: Ways of coding one paragraph's letters kept for it, the latest first.
VARIANTS = 4

_KEPT: OrderedDict = OrderedDict()
#: paragraphs drawn once and not kept (yet), the latest last
_SEEN: OrderedDict = OrderedDict()
_LOCK = ForkSafeLock()
#: the canvas's state a paragraph's operators depend on: all of it but where it is drawn
_STATE = tuple(n for n in Canvas.STATE_ATTRIBUTES if n not in ("_currentMatrix", "_extgstate"))
_GET = attrgetter(*_STATE)
#: a PDF name in the operators (a font subset's is ``/F1+0``)
_NAME = re.compile(r"/[^\s/\[\]<>(){}%]*")
#: a literal string in the operators (reportlab escapes every parenthesis and backslash in one)
_STRING = re.compile(r"\((?:\\.|[^\\()])*\)", re.S)


def clear() -> None:
    """Forget every kept paragraph (for tests and benchmarks)."""
    with _LOCK:
        _KEPT.clear()
        _SEEN.clear()


def kept() -> int:
    with _LOCK:
        return len(_KEPT)


def state(canv) -> tuple | None:
    """The canvas's state as a key, or None when a value in it cannot be one. A colour counts
    with its class (an RGB and a CMYK colour may hold equal numbers and write different operators)."""
    values = _GET(canv)
    key = (
        values,
        type(canv._fillColorObj),
        type(canv._strokeColorObj),
        tuple(sorted(canv._extgstate._d.items())),
    )
    try:
        hash(key)
    except TypeError:  # a dash pattern is a list
        key = (tuple(tuple(v) if isinstance(v, list) else v for v in values), *key[1:])
        try:
            hash(key)
        except TypeError:
            return None
    return key


def _touched(canv) -> tuple:
    """What drawing may add besides operators and font names and codes: with any of it changed,
    the drawing is not kept."""
    return (
        len(canv._annotationrefs),
        canv._annotationCount,
        len(canv._colorsUsed),
        len(canv._shadingUsed),
        len(canv._formsinuse),
        len(canv._destinations),
        len(canv._doc.idToObject),
    )


def _fonts(doc) -> tuple:
    """The fonts the document has named, and how many characters each font has numbered."""
    return (
        tuple(doc.fontMapping),
        len(doc.delayedFonts),
        [(f, len(f.state[doc].assignments)) for f in fonts.made() if doc in f.state],
    )


def _explained(before: tuple, after: tuple, calls: list) -> bool:
    """Whether what changed in the document's fonts is what the fonts asked in ``calls`` did:
    the only fonts newly named are theirs, and only theirs numbered characters."""
    asked = {font for font, _, _ in calls}
    named = after[0][len(before[0]) :]
    if after[0][: len(before[0])] != before[0] or after[1] - before[1] != len(named):
        return False
    if not set(named) <= {f.fontName for f in asked}:
        return False
    counts = dict(before[2])
    return all(font in asked for font, n in after[2] if counts.get(font, 0) != n)


def _ask(doc, calls) -> None:
    """Ask the fonts what a kept drawing asked them, in order: the document then names the fonts
    and numbers the characters as drawing it would have. (Naming a subset names its font, the
    same whichever subset is asked; the first always exists, the one the drawing asked for
    may not in this document, whose codes may differ.)"""
    for font, kind, arg in calls:
        if kind == fonts.ENCODE:
            font.splitString(arg, doc)
        else:
            font.getSubsetInternalName(0, doc)


def _fits(doc, used) -> bool:
    """Whether ``doc`` names every font of ``used`` and codes every character as when it was kept."""
    for font, name, pairs in used:
        state = font.state.get(doc)
        if state is None or state.internalName != name:
            return False
        assignments = state.assignments
        for code, n in pairs:
            if assignments.get(code) != n:
                return False
    return True


def _used(doc, calls) -> tuple | None:
    """Each font a drawing encoded text in, with its name and its characters' codes in ``doc``."""
    texts: dict = {}
    for font, kind, arg in calls:
        if kind == fonts.ENCODE:
            texts.setdefault(font, []).append(arg)
    used = []
    for font, runs in texts.items():
        state = font.state.get(doc)
        if state is None or state.internalName is None:
            return None
        assignments = state.assignments
        pairs = []
        for code in sorted(set(map(ord, "".join(runs)))):
            code = 32 if code == 0xA0 else code  # reportlab draws a no-break space as a space
            n = assignments.get(code)
            if n is None:  # not in the font: drawn as its missing glyph; not kept
                return None
            pairs.append((code, n))
        used.append((font, state.internalName, tuple(pairs)))
    return tuple(used)


def draw(paragraph, key, draw_now) -> None:
    """Draw ``paragraph`` (keyed by ``key``: its text, style and width) on its canvas: its kept
    operators when they fit this document, else ``draw_now()``, keeping what it wrote."""
    canv = paragraph.canv
    now = state(canv) if ENABLED else None
    if now is None:
        draw_now()
        return
    key = (key, now)
    with _LOCK:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
        elif key not in _SEEN:
            # drawn for the first time: only noted (most paragraphs of a single document are
            # drawn once, and keeping one costs more than drawing it); kept when drawn again
            _SEEN[key] = None
            while len(_SEEN) > LIMIT:
                _SEEN.popitem(last=False)
            found = ()
    if found == ():
        draw_now()
        return
    doc = canv._doc
    for entry in found or ():
        if fits(doc, entry):
            write(canv, entry)
            return
    entry = recorded(canv, draw_now)
    if entry is None or not named(doc, entry, entry[0]):
        return
    with _LOCK:
        # a few ways of coding its letters are kept (documents number them as they meet them)
        _KEPT[key] = (entry, *_KEPT.get(key, ())[: VARIANTS - 1])
        while len(_KEPT) > LIMIT:
            _KEPT.popitem(last=False)


def fits(doc, entry) -> bool:
    """Whether a kept drawing's operators fit ``doc``, once what drawing it would do to the
    document's fonts is done (drawing it after would find them done and do nothing more): the
    operators fit when the codes come out the same. Where the document has named its fonts and
    coded its characters already, asking would change nothing (the usual case, once a page's
    first lines are drawn): a drawing being watched is only told what it would have asked."""
    _, calls, used, _, settled = entry
    if settled and _fits(doc, used):
        fonts.asked(calls)
        return True
    _ask(doc, calls)
    return _fits(doc, used)


def write(canv, entry, ops=None) -> None:
    """Write a kept drawing (that :func:`fits`) on ``canv``: its operators, or ``ops`` in their place."""
    canv._code.extend(entry[0] if ops is None else ops)
    if entry[3]:  # the PDF features it asked the document for (a text colour: transparency)
        canv._doc.ensureMinPdfVersion(*entry[3])


def recorded(canv, draw_now) -> tuple | None:
    """Run ``draw_now()`` on ``canv``, watching what it writes and asks: the drawing to keep
    (operators, what it asked of the fonts, their codes, the PDF features it asked for, whether
    the fonts it asked were all ones it encoded text in), or None when it touched more than the
    page's operators and the document's fonts."""
    doc = canv._doc
    before, fonts_before = _touched(canv), _fonts(doc)
    start = len(canv._code)
    needs: list = []
    ensure, own = doc.ensureMinPdfVersion, doc.__dict__.get("ensureMinPdfVersion")
    # what the drawing asks the document for, whatever the document's version already is
    doc.ensureMinPdfVersion = lambda *keys: needs.extend(keys) or ensure(*keys)
    try:
        with fonts.watching() as calls:
            draw_now()
    finally:
        if own is None:
            del doc.ensureMinPdfVersion  # reportlab's own method again
        else:
            doc.ensureMinPdfVersion = own
    if _touched(canv) != before or len(canv._code) < start:
        return None
    if not _explained(fonts_before, _fonts(doc), calls):
        return None
    used = _used(doc, calls)
    if used is None:
        return None
    # every font it asked anything of encoded text in it: where each is named and codes every
    # character as when kept, asking it all again would do nothing (reportlab's splitString only
    # numbers characters new to the document, and naming a named font only returns its name)
    settled = {font for font, _, _ in calls} <= {font for font, _, _ in used}
    return tuple(canv._code[start:]), tuple(calls), used, tuple(dict.fromkeys(needs)), settled


def named(doc, entry, ops) -> bool:
    """Whether ``ops`` name no resource but the subsets of the fonts a kept drawing encoded in."""
    used = entry[2]
    names = {f"/{name}+{k}" for _, name, _ in used for k in range(_subsets(used, doc))}
    return not any(n not in names for op in ops for n in _NAME.findall(_STRING.sub("", op)))


def _subsets(used, doc) -> int:
    return max((len(font.state[doc].subsets) for font, _, _ in used), default=0)
