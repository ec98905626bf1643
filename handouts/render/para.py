"""Paragraphs that parse their markup and break their lines once.

reportlab parses a paragraph's markup when it is made and breaks its lines again on every wrap,
and laying out a page measures the same text many times: pictures sized to the room left, the
urgent-help box's columns balanced, a large-print exercise's layouts compared, and every page of
a batch printing the same exercises. This :class:`Paragraph` remembers both, keyed by its class,
text, style (by value) and width, and restores what reportlab worked out instead of redoing it:

- text with nothing about a patient (the library's words, the labels) in a memo the process
  shares, bounded: the oldest entries go first;
- text that holds one of the document's private values (a patient's or clinician's name, notes,
  a contact) only in the document's own memo, which goes when the document is done, so nothing
  about a patient outlives the request.

Outside :func:`document` nothing is remembered. A paragraph split across pages is worked out
afresh first, because reportlab's split edits the pieces it hands on.
"""

from __future__ import annotations

import html
import itertools
import re
import weakref
from collections import OrderedDict
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus import paragraph as _paragraph_module
from reportlab.platypus.paragraph import _FUZZ, textTransformFrags

from handouts import cachedir
from handouts.pdf.tagging import RECORDING, REFUSE
from handouts.perthread import ForkSafeLock
from handouts.render import drawn, quickparse
from handouts.text import esc

#: Off, nothing is remembered (the tests compare the bytes both ways).
ENABLED = True
#: Entries the shared memo keeps (parsed texts and wraps together); a sheet uses about a hundred.
LIMIT = 4096

_SHARED: OrderedDict = OrderedDict()
_LOCK = ForkSafeLock()
_STYLE_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: every style's settings seen, numbered (a theme has a few dozen; clones with new settings add more)
_STYLE_IDS: dict[tuple, int] = {}
#: the current document's private values and its own memo; None outside a document
_DOCUMENT: ContextVar[tuple[tuple, dict, tuple[str, ...]] | None] = ContextVar(
    "handouts_paragraph_doc", default=None
)
#: the number of the document being made (see :func:`current`)
_SERIAL: ContextVar[int | None] = ContextVar("handouts_paragraph_doc_serial", default=None)
_SERIALS = itertools.count(1)
#: what a frame or a wrapper hands a flowable before wrapping it: never part of what is remembered
_TRANSIENT = frozenset({"canv", "_frame"})
#: what reportlab's wrap and line breaking set, kept even when a value is the one already there
_WRAPPED = frozenset(
    {
        "width",
        "height",
        "blPara",
        "frags",
        "_wrapWidths",
        "_width_max",
        "_hyphenations",
        "_splitLongWordCount",
    }
)


#: what two forms of one text share however it was written into markup: its letters and digits
_NOT_WORD = re.compile(r"[\W_]+")
_TAG = re.compile(r"<[^<>]*>")


def _canon(text: str) -> str:
    """``text`` as lower-case words between single spaces, entities read, so a name is found
    however it was escaped or its spaces kept together (``&amp;``, no-break spaces)."""
    return f" {_NOT_WORD.sub(' ', html.unescape(text)).casefold().strip()} "


def _needles(private) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What marks a text as holding a private value: the value as given and as escaped, its
    words in canonical form (see :func:`_canon`), and the longest word of each of those."""
    raw, canon = set(), set()
    for v in private:
        if not v:
            continue
        raw |= {v, esc(v), esc(v, keep_units=False)}
        words = _canon(v)
        if words.strip():
            canon.add(words)
    return tuple(raw), tuple(canon), tuple({max(c.split(), key=len) for c in canon})


@contextmanager
def document(*private: str | None):
    """Remember paragraphs while one document is made; text holding any of ``private`` (a patient's
    name, a clinician's, notes) only until it is done. Inside another document, that one's private
    values stay private too."""
    outer = _DOCUMENT.get()
    if outer is not None:
        private = (*private, *outer[2])
    own: dict = {}
    token = _DOCUMENT.set((_needles(private), own, tuple(v for v in private if v)))
    serial = _SERIAL.set(next(_SERIALS))
    try:
        with cachedir.private(any(private)):  # nothing kept between runs from a patient's document
            yield
    except BaseException:
        # a document abandoned part-way (an error, an interrupt) may leave its canvas, and with it
        # a patient's pages, in flowables kept for later documents: they are forgotten
        for forget in _ABANDONED:
            forget()
        raise
    finally:
        _SERIAL.reset(serial)
        _DOCUMENT.reset(token)
        own.clear()  # gone even where a paragraph of the document is still held


#: What to forget when a document is abandoned part-way (see :func:`on_abandon`).
_ABANDONED: list = []


def on_abandon(forget) -> None:
    """Call ``forget()`` whenever a :func:`document` block ends with an error."""
    if forget not in _ABANDONED:
        _ABANDONED.append(forget)


def current() -> int | None:
    """The number of the document being made in this process (each :func:`document` block has
    its own), or None outside one."""
    return _SERIAL.get()


@contextmanager
def public():
    """Within the block, paragraphs are made as in a document with no private values: for
    flowables built from the library and the labels alone and kept for later documents (their
    words are remembered in the shared memo, never in a document's own, which goes with it)."""
    token = _DOCUMENT.set((_needles(()), {}, ()))
    try:
        yield
    finally:
        _DOCUMENT.reset(token)


#: What two fragments of a paragraph must share to print as one run (reportlab's own list).
_SAME_FRAG = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")


def same_frag(f, g) -> bool:
    """Whether fragments ``f`` and ``g`` print alike: reportlab's ``sameFrag``, read from each
    fragment's own attributes as reportlab's Python version does. Its C version asks for each
    attribute in a way that raises and clears an error for every one a fragment lacks: about
    10 microseconds a call, a thousand calls a sheet; this takes about 2."""
    fd, gd = getattr(f, "__dict__", None), getattr(g, "__dict__", None)
    if fd is None or gd is None:  # not a fragment as reportlab makes them: its own check
        return bool(_C_SAME_FRAG(f, g))
    if "cbDefn" in fd or "lineBreak" in fd or "cbDefn" in gd or "lineBreak" in gd:
        return False
    fget, gget = fd.get, gd.get
    return [fget(k) for k in _SAME_FRAG] == [gget(k) for k in _SAME_FRAG]


_C_SAME_FRAG = getattr(_paragraph_module.sameFrag, "__wrapped__", _paragraph_module.sameFrag)
same_frag.__wrapped__ = _C_SAME_FRAG
_paragraph_module.sameFrag = same_frag  # what reportlab's line breaking calls


def clear() -> None:
    """Forget every shared entry (for tests and benchmarks), and the pieces plain text is read into."""
    with _LOCK:
        _SHARED.clear()
    quickparse.forget()


def shared_texts() -> list[str]:
    """The texts in the shared memo (for tests: nothing about a patient may be there)."""
    with _LOCK:
        return [(key[0] if isinstance(key[0], tuple) else key)[1] for key in _SHARED]


def style_settings(style) -> tuple:
    """A style's settings by value (its name and parent aside), as text."""
    return tuple(sorted((k, repr(v)) for k, v in vars(style).items() if k not in ("name", "parent")))


def _style_key(style) -> int:
    """A style by value, as a small number (quick to hash in every key): two clones with the same
    settings break lines the same way and get the same number."""
    try:
        return _STYLE_KEYS[style]
    except (KeyError, TypeError):
        pass
    settings = _derived(style) or style_settings(style)
    with _LOCK:
        key = _STYLE_IDS.setdefault(settings, len(_STYLE_IDS))
    with suppress(TypeError):  # every ParagraphStyle can be weakly referenced; others are not kept
        _STYLE_KEYS[style] = key
    return key


def _derived(style) -> tuple | None:
    """A clone's settings as its parent's number and what it changed, when its parent has a number
    and it has every setting its parent has (reportlab copies them, so unchanged ones are the very
    same objects): quicker than all its settings as text, and as telling."""
    parent = vars(style).get("parent")
    try:
        base = _STYLE_KEYS[parent]
    except (KeyError, TypeError):
        return None
    mine, theirs = vars(style), vars(parent)
    if not mine.keys() >= theirs.keys():
        return None
    changed = sorted(
        (k, repr(v))
        for k, v in mine.items()
        if k not in ("name", "parent") and theirs.get(k, _MISSING) is not v
    )
    return ("clone of", base, tuple(changed))


def _holds_any(folded: str, words) -> bool:
    return any(w in folded for w in words)


def _memo(text: str):
    """The memo for ``text`` in the current document, or None outside one."""
    doc = _DOCUMENT.get()
    if doc is None or not ENABLED:
        return None
    (raw, canon, longest), own, _ = doc
    if any(v in text for v in raw):
        return own
    # Each word of a canonical value is in the folded text wherever the value is in the text's
    # canonical form (folding goes letter by letter), unless an entity spells it: a text without
    # an entity and without the longest word of any value cannot hold one.
    if canon and ("&" in text or _holds_any(text.casefold(), longest)):
        words = _canon(text)
        if any(v in words for v in canon):
            return own
        if "<" in text:  # and with its tags taken out, should one split a value's words
            words = _canon(_TAG.sub(" ", text))
            if any(v in words for v in canon):
                return own
    return _SHARED


def _get(memo, key):
    if memo is _SHARED:
        with _LOCK:
            found = _SHARED.get(key)
            if found is not None:
                _SHARED.move_to_end(key)
            return found
    return memo.get(key)


def _put(memo, key, value) -> None:
    if memo is _SHARED:
        with _LOCK:
            _SHARED[key] = value
            while len(_SHARED) > LIMIT:
                _SHARED.popitem(last=False)
    else:
        memo[key] = value


class Paragraph(_Paragraph):
    """reportlab's Paragraph, its parsing and line breaking remembered (see the module's notes)."""

    def _setup(self, text, style, bulletText, frags, cleaner):  # noqa: N803 - reportlab's names
        self._memo_key = None
        memo = (
            _memo(text if bulletText is None else f"{bulletText}\n{text}")  # either may be private
            if frags is None and isinstance(text, str) and isinstance(bulletText, (str, type(None)))
            else None
        )
        key = None
        if memo is not None:
            key = (type(self), text, _style_key(style), bulletText, self.caseSensitive, self.encoding)
            found = _get(memo, key)
            if found is not None:
                self.__dict__.update(found)
                self._memo_key = (memo, key)
                return
        self._read(text, style, bulletText, frags, cleaner)
        self._parsed = self.frags
        if memo is not None:
            _put(memo, key, {k: v for k, v in vars(self).items() if k not in _TRANSIENT and k != "_memo_key"})
            self._memo_key = (memo, key)

    def _read(self, text, style, bulletText, frags, cleaner):  # noqa: N803 - reportlab's names
        """reportlab's ``_setup``; plain words and bold runs read without its parser (see
        :mod:`handouts.render.quickparse`)."""
        if frags is None and isinstance(text, str):
            text = cleaner(text)
            frags = quickparse.frags(text, style, _style_key(style), self.caseSensitive)
            if frags is not None:
                textTransformFrags(frags, style)
            cleaner = _clean
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        # reportlab's line breaking replaces the parsed text with its word list, and the next wrap
        # starts from that: with hyphenation, a paragraph wrapped twice is not written as one
        # wrapped once. Every wrap starts from the parsed text, so the result depends only on
        # the text, style and width, whatever was wrapped before (and in whichever order).
        parsed = self.__dict__.get("_parsed")
        if parsed is not None:
            self.frags = parsed
        memo_key = self.__dict__.get("_memo_key")
        if memo_key is None or availWidth < _FUZZ:  # too narrow: reportlab works nothing out
            return super().wrap(availWidth, availHeight)
        memo, key = memo_key
        wkey = (key, availWidth)
        found = _get(memo, wkey)
        if found is None:
            before = dict(vars(self))
            size = super().wrap(availWidth, availHeight)
            found = (
                {
                    k: v
                    for k, v in vars(self).items()
                    if k not in _TRANSIENT and (k in _WRAPPED or before.get(k, _MISSING) is not v)
                },
                size,
            )
            _put(memo, wkey, found)
            return size
        self.__dict__.update(found[0])
        return found[1]

    def draw(self):
        memo_key = self.__dict__.get("_memo_key")
        # a patient's words are never kept; nor is a paragraph that calls back while it is drawn
        # (a contents entry's dots and link), which may do anything
        if memo_key is None or memo_key[0] is not _SHARED or _calls_back(self.__dict__.get("_parsed")):
            if RECORDING in self.canv.__dict__ and _calls_back(self.__dict__.get("_parsed")):
                self.canv.__dict__[REFUSE] = True  # what calls back is drawn every time, never replayed
            super().draw()
            return
        key = (memo_key[1], self.width, self.height, self.debug, self.__dict__.get("autoLeading"))
        drawn.draw(self, key, super().draw)

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        if self.__dict__.get("_memo_key") is not None:
            # reportlab's split edits the words it hands on: start from this paragraph's own
            self._memo_key = None
            for k in ("blPara", "_wrapWidths"):
                self.__dict__.pop(k, None)
            super()._setup(self.text, self.style, self.bulletText, None, _clean)
            self._parsed = self.frags
            super().wrap(availWidth, availHeight)
        return super().split(availWidth, availHeight)


_MISSING = object()


def _calls_back(frags) -> bool:
    return frags is None or any(getattr(f, "cbDefn", None) is not None for f in frags)


def _clean(text):
    return text  # already cleaned when first set up
