"""Writing reportlab's document compactly: object streams and a cross-reference stream.

reportlab writes every object at the top level of the file with a plain cross-reference table.
A tagged PDF has a structure element for every heading, paragraph, list item and cell, so that
layout made a sheet a third larger than it need be, and the booklet nearly twice as large.
:func:`write` takes reportlab's place in :meth:`PDFDocument.format` for every document Handouts
writes (see ``furniture.numbered_canvas``): each object is formatted by reportlab as before,
then every object that is not a stream goes into a compressed object stream (up to
:data:`PER_STREAM` a stream), every stream is compressed, and a cross-reference stream ends
the file (PDF 1.5, read by every reader since 2003).

The file's ``/ID`` is a digest of what is written before it, so two different documents never
share one and the same document always has the same one.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections import OrderedDict

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

#: Objects in one object stream: a reader unpacks a whole stream to reach one of them.
PER_STREAM = 100
HEADER = b"%PDF-1.5\n%\xbf\xf7\xa2\xfe\n"
#: zlib's level for every stream. Its default, 6, spends twice the time of 5 on a page of pictures
#: (2.4 against 1.3 ms for 70 KB of drawing) for files 0.5% smaller (all 51 documents of a build).
LEVEL = 5
#: Cross-reference entries: a type byte, a 4-byte offset or stream number, a 2-byte index.
_ENTRY = struct.Struct(">BIH")


class _Flate:
    """reportlab's Flate filter, at :data:`LEVEL`."""

    pdfname = "FlateDecode"

    def encode(self, data):
        return zlib.compress(data.encode("utf8") if isinstance(data, str) else data, LEVEL)


_FLATE = _Flate()


def compact(doc) -> None:
    """Have ``doc`` (a reportlab ``PDFDocument``) written by :func:`write` when it is saved."""
    doc.defaultStreamFilters = [_FLATE]  # every stream without a filter of its own
    doc.format = lambda: write(doc)


#: reportlab's own ``PDFArray.format``, which :func:`_format_array` hands every other array
_ORIGINAL_ARRAY = pdfdoc.PDFArray.format


def _format_array(self, document, IND=b"\n "):  # noqa: N803 - reportlab's name
    """reportlab's ``PDFArray.format``, quicker for an array of plain numbers written on lines of
    ten (a font's glyph widths: 128 whole numbers a subset): each line of whole numbers written
    as Python writes them (as reportlab's number formatter does), any other line by one call of
    that formatter instead of a call per number. The same bytes (a test compares the two)."""
    seq = self.sequence
    if len(seq) > 10 and not ((self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced"):
        kinds = set(map(type, seq))
        if kinds == {int}:
            lines = [" ".join(map(str, seq[i : i + 10])) for i in range(0, len(seq), 10)]
            return b"[ " + " \n  ".join(lines).encode("ascii") + b" ]"
        if kinds <= {int, float}:
            lines = [fp_str(*seq[i : i + 10]) for i in range(0, len(seq), 10)]
            return b"[ " + " \n  ".join(lines).encode("ascii") + b" ]"
    return _ORIGINAL_ARRAY(self, document, IND)


pdfdoc.PDFArray.format = _format_array  # every document Handouts writes is packed here

#: A dictionary key -> its name as written: reportlab escapes each key's characters and encodes
#: the name through its PDFDocEncoding codec afresh for every key of every dictionary (a few
#: hundred a document, the same few dozen keys). Bounded; keys are reportlab's and ours, never text.
_NAMES: dict[str, bytes] = {}
_NAMES_LIMIT = 4096


def _format_dict(self, document, IND=b"\n "):  # noqa: N803 - reportlab's name
    """reportlab's ``PDFDictionary.format`` with each key's name written once per process; the
    same bytes (a test compares the two)."""
    d = self.dict
    keys = list(d.keys())
    if not isinstance(d, OrderedDict):
        keys.sort()
    names, fmt = _NAMES, pdfdoc.format
    lines = []
    for k in keys:
        name = names.get(k)
        if name is None:
            name = fmt(pdfdoc.PDFName(k), document)
            if type(k) is str and len(names) < _NAMES_LIMIT:
                names[k] = name
        lines.append(name + b" " + fmt(d[k], document))
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        body = IND.join(lines)
    else:
        for i in reversed(range(6, len(lines), 6)):  # reportlab breaks a line every six entries
            lines.insert(i, b"\n ")
        body = b" ".join(lines)
    return b"<<\n" + body + b"\n>>"


_ORIGINAL_DICT = pdfdoc.PDFDictionary.format
pdfdoc.PDFDictionary.format = _format_dict


def write(doc) -> bytes:
    """The bytes of ``doc``: what reportlab's ``format`` writes, packed (see the module's notes)."""
    if not isinstance(doc.encrypt, pdfdoc.NoEncryption) or getattr(doc, "_digiSigs", None):
        raise ValueError("packing writes neither encrypted nor signed documents")
    cat, info = doc.Catalog, doc.info
    root, info_ref = doc.Reference(cat), doc.Reference(info)
    numbers, objects = doc.numberToId, doc.idToObject
    plain: list[tuple[int, bytes]] = []
    streams: list[tuple[int, bytes]] = []
    counter = 0
    while True:  # formatting an object may register new ones: go on until none is left
        counter += 1
        name = numbers.get(counter)
        if name is None:
            break
        body = pdfdoc.format(objects[name], doc, toplevel=1)
        if body.rstrip().endswith(b"endstream"):
            streams.append((counter, _eol_before_endstream(body)))
        else:
            plain.append((counter, body))
    last = counter - 1
    if last != len(numbers):  # as reportlab's own check: a gap would leave objects out
        raise ValueError(f"object {counter} is missing: {len(numbers)} objects are numbered")
    out = [HEADER]
    offset = len(HEADER)
    entries: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}

    def put(number: int, body: bytes) -> None:
        nonlocal offset
        entries[number] = (1, offset, 0)
        chunk = b"%d 0 obj\n%s%sendobj\n" % (number, body, b"" if body.endswith(b"\n") else b"\n")
        out.append(chunk)
        offset += len(chunk)

    for number, body in streams:
        put(number, body)
    for start in range(0, len(plain), PER_STREAM):
        group = plain[start : start + PER_STREAM]
        last += 1
        index, parts, at = [], [], 0
        for i, (number, body) in enumerate(group):
            entries[number] = (2, last, i)
            index.append(b"%d %d" % (number, at))
            parts.append(body)
            at += len(body) + 1
        head = b" ".join(index) + b"\n"
        data = zlib.compress(head + b"\n".join(parts) + b"\n", LEVEL)
        put(
            last,
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\n"
            % (len(group), len(head), len(data), data),
        )
    xref = last + 1
    entries[xref] = (1, offset, 0)
    table = zlib.compress(b"".join(_ENTRY.pack(*entries[n]) for n in range(xref + 1)), LEVEL)
    digest = hashlib.md5(b"".join(out), usedforsecurity=False).hexdigest().encode()
    out.append(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %s /Info %s /ID [ <%s> <%s> ]"
        b" /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n"
        % (xref, xref + 1, root.format(doc), info_ref.format(doc), digest, digest, len(table), table)
    )
    out.append(b"startxref\n%d\n%%%%EOF\n" % offset)
    return b"".join(out)


def _eol_before_endstream(body: bytes) -> bytes:
    """A stream object with an end-of-line before ``endstream`` (reportlab writes none after
    some data): outside the data, so its /Length stays (ISO 32000-1, 7.3.8.1)."""
    at = body.rfind(b"endstream")
    return body if body[at - 1 : at] in (b"\n", b"\r") else body[:at] + b"\n" + body[at:]
