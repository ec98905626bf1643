"""A page's content compressed in pieces, so a picture row is compressed once per process.

An exercise's row of pictures (its panels and their captions) is about two-thirds of a sheet's
content and the slowest part of it to compress: thousands of coordinates. It is the same in
every document that shows the exercise at the standard size, but its page is compressed whole,
so it was compressed afresh for every sheet and every programme page.

A flowable of class :class:`Piece` marks what its drawing writes as a piece of its page. The
page's content is then compressed in parts: what comes before a piece, the piece, what comes
after. Each part goes to a compressor of its own and is flushed to a byte boundary (a full
flush), so no part refers back into another, and the parts joined, after zlib's two-byte header
and before the checksum of the whole content, are one zlib stream (RFC 1950 and 1951) that any
reader inflates to the same content. The same parts always give the same bytes, so a piece's
compressed bytes can be kept and written again: the bytes are those compressing it now would
write, and a document is the same whether its pieces were kept or not.

What may be kept: a piece made from the library alone (``shared``, set only where the part is
made that way: see ``render.block``), whose every shown character is coded the same in every
document. reportlab codes the ASCII letters as themselves and gives every other letter the next
free code (1 to 31, then 128 and up) in the order a document first uses it, so a piece with such
a letter (written as an octal escape, or in a font's second subset) could tell something of what
the page printed before it, a patient's name say: it is compressed afresh every time, as is a
piece naming a resource other than a font (numbered by first use too). The structure's marks in
a piece (``/Figure <</MCID 14>> BDC``) count what the page marked before it, which the library's
layout decides. At most LIMIT pieces are kept, the latest last.

Compressing in parts costs a little room, as the words before and after a row no longer share
one compressor: the shipped documents grow by 0.6% to 2% (a sheet by 200 to 400 bytes; the
tests check a bound). The two panels of a row stay in one part, which matters more: compressed
apart, a row grows by half.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from itertools import accumulate

from handouts.pdf import packing
from handouts.pdf.tagging import RECORDING, REFUSE
from handouts.perthread import ForkSafeLock

#: Off, every page is compressed whole (the tests compare the inflated content both ways).
ENABLED = True
#: Where a canvas keeps the current page's pieces (a page's own, taken when it is shown).
PIECES = "_handouts_pieces"
#: Pieces kept, compressed, the latest last.
LIMIT = 64

_KEPT: OrderedDict[bytes, bytes] = OrderedDict()
_LOCK = ForkSafeLock()


class _First(str):
    """The first operator string of a piece, marked so it is found again once the page's
    content is put together (the string itself is unchanged)."""

    __slots__ = ()


class _Last(str):
    """The last operator string of a piece (see :class:`_First`)."""

    __slots__ = ()


class Piece:
    """A flowable whose drawing is a piece of its page (see the module); ``shared``: made from
    the library alone, so its compressed bytes may be kept."""

    shared = False

    def _drawOn(self, canv):  # noqa: N802 - reportlab's name
        start = len(canv._code)
        super()._drawOn(canv)
        if ENABLED:
            if RECORDING in canv.__dict__:
                # inside a part being recorded to be written again: that part is drawn every time
                # instead, so this piece is cut on every page that holds it, the same bytes
                canv.__dict__[REFUSE] = True
            note(canv, start, len(canv._code), self.shared)


def note(canv, start: int, end: int, shared: bool) -> None:
    """Mark ``canv._code[start:end]`` as a piece of the current page."""
    if end - start < 2:
        return
    code = canv._code
    first, last = _First(code[start]), _Last(code[end - 1])
    code[start], code[end - 1] = first, last
    canv.__dict__.setdefault(PIECES, []).append((start, first, end - 1, last, shared))


def take(canv) -> list:
    """The current page's pieces, forgotten by the canvas (a new page starts with none)."""
    return canv.__dict__.pop(PIECES, None) or []


def head(canv) -> int:
    """Where the canvas's current page's operators start in the content reportlab will put
    together from them (after the commands before the page and the preamble)."""
    return len("\n".join([*canv._psCommandsBeforePage, canv._preamble])) + 1


def install(page, code: list, pieces: list, start: int) -> None:
    """Have ``page`` (a reportlab ``PDFPage`` just shown, its content put together from
    ``code``, whose first operator is at ``start``: see :func:`head`) compress its content in
    pieces."""
    stream = page.stream
    if not pieces or not isinstance(stream, str) or not stream.isascii():
        return
    found = []
    for first_at, first, last_at, last, shared in pieces:
        a, b = _at(code, first_at, first), _at(code, last_at, last)
        if a is not None and b is not None and a <= b:
            found.append((a, b, shared))
    if not found:
        return
    found.sort()
    # where each operator starts: reportlab joins them with a newline each
    before = list(accumulate(map(len, code[: max(b for _, b, _ in found)]), initial=start))
    cuts, end = [], -1
    for a, b, shared in found:
        if a <= end:  # inside a piece already cut (a piece drawn inside a piece): that one is enough
            continue
        begin, stop = before[a] + a, before[b] + b + len(code[b])
        if not (stream.startswith(code[a], begin) and stream.startswith(code[b], stop - len(code[b]))):
            continue  # not where it was put (never seen): compressed with the rest
        cuts.append((begin, stop, shared))
        end = b
    if not cuts:
        return
    from reportlab.pdfbase.pdfdoc import PDFStream  # lazy: reportlab's document module

    content = PDFStream(content=stream, filters=[_Spliced(cuts)])
    content.__Comment__ = "page stream"
    page.Contents = content


#: What a piece may not hold to be kept: operators naming a resource other than a font (an
#: extended graphics state, an image or form, a shading, a colour space or pattern), whose names a
#: document numbers as it first uses them, and an inline image. A piece with words that only look
#: like one is just not kept.
_RESOURCES = (b" gs", b" Do", b" sh", b" cs", b" CS", b" scn", b" SCN", b"BI", b" ID")
_OCTAL = frozenset(b"01234567")
_LOW = frozenset(b"0123")


def _same_everywhere(data: bytes) -> bool:
    """Whether ``data`` (a piece) is written the same in every document that draws it: no letter
    coded by the order the document first used it (an octal escape, a font's second subset) and
    no resource named by that order (see _RESOURCES). Only the lines that name something (a
    ``/``) can name a resource: a drawing's thousands of coordinates are passed over."""
    find = data.find
    at = find(b"/")
    while at >= 0:
        start, end = data.rfind(b"\n", 0, at) + 1, find(b"\n", at)
        line = data[start:] if end < 0 else data[start:end]
        if any(op in line for op in _RESOURCES):
            return False
        if end < 0:
            break
        at = find(b"/", end)
    at = find(b"\\")
    while at >= 0:
        escaped = data[at + 1 : at + 4]
        if escaped[:1] == b"\\":  # a backslash itself
            at = find(b"\\", at + 2)
            continue
        if len(escaped) == 3 and escaped[0] in _LOW and escaped[1] in _OCTAL and escaped[2] in _OCTAL:
            return False
        at = find(b"\\", at + 1)
    at = find(b"+")  # a font's subset: /F1+0 is its first
    while at >= 0:
        if data[at + 1 : at + 2] != b"0":
            return False
        at = find(b"+", at + 1)
    return True


def _at(code: list, index: int, op) -> int | None:
    """Where ``op`` (that very string) is in ``code``: at ``index`` or after it, where marking
    what is not tagged (``tagging.mark_artifacts``) moved it by the markers it put before it."""
    for i in range(index, len(code)):
        if code[i] is op:
            return i
    return None


class _Spliced:
    """reportlab's Flate filter for one page: its content compressed in parts (see the module)."""

    pdfname = "FlateDecode"

    def __init__(self, cuts: list[tuple[int, int, bool]]):
        self.cuts = cuts

    def encode(self, data) -> bytes:
        raw = data.encode("ascii") if isinstance(data, str) else bytes(data)
        return spliced(raw, self.cuts)


def spliced(raw: bytes, cuts) -> bytes:
    """``raw`` compressed as one zlib stream in parts: each (begin, end, keep) of ``cuts`` (in
    order, not overlapping) a part of its own, kept when ``keep``, and the runs between them."""
    out = [_HEAD]
    at = 0
    for begin, end, keep in cuts:
        if begin > at:
            out.append(_part(raw[at:begin]))
        out.append(_kept(raw[begin:end]) if keep else _part(raw[begin:end]))
        at = end
    out.append(_part(raw[at:], zlib.Z_FINISH))  # the stream's last block
    out.append(zlib.adler32(raw).to_bytes(4, "big"))
    return b"".join(out)


#: zlib's header for a stream compressed at packing.LEVEL.
_HEAD = zlib.compress(b"", packing.LEVEL)[:2]


def _part(data: bytes, flush: int = zlib.Z_FULL_FLUSH) -> bytes:
    """``data`` deflated on its own, flushed to a byte boundary (``Z_FINISH``: the last block)."""
    c = zlib.compressobj(packing.LEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(flush)


def _kept(data: bytes) -> bytes:
    """:func:`_part`, kept for the next page that holds the same piece when it is written the same
    in every document (a piece found kept passed that check: the check reads only its bytes)."""
    with _LOCK:
        found = _KEPT.get(data)
        if found is not None:
            _KEPT.move_to_end(data)
            return found
    made = _part(data)
    if not _same_everywhere(data):
        return made
    with _LOCK:
        _KEPT[data] = made
        while len(_KEPT) > LIMIT:
            _KEPT.popitem(last=False)
    return made


def clear() -> None:
    """Forget the kept pieces (for tests and benchmarks)."""
    with _LOCK:
        _KEPT.clear()
