"""A TrueType subset made from a font's glyphs read once: reportlab's ``makeSubset``, quicker.

Every document embeds a subset of each font it uses, and reportlab makes one by reading the
font file afresh each time: each glyph's header and its components through a Python read per
field, each table copied out of the file, each composite's references patched by slicing.
:class:`Subsetter` reads the whole font once, the first time a subset of it is made: every
glyph's bytes, the components a composite glyph names and where, and the tables a subset copies
as they are (the second time: reading it all costs about five subsets, and a single document
makes one). A subset is then put together from those. It writes the bytes reportlab's
``makeSubset`` writes (a test compares the two over many subsets of every shipped font).

What is kept is the font's own data, read whole and the same for every document; nothing in it
says which characters a document used.
"""

from __future__ import annotations

from itertools import accumulate
from struct import Struct, pack, unpack_from

from reportlab.lib.rl_accel import add32, calcChecksum
from reportlab.pdfbase.ttfonts import (
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
)

#: Off, reportlab makes every subset (the tests compare the bytes both ways).
ENABLED = True
_USHORT = Struct(">H")
#: the tables a subset copies from the font as they are (the last three are optional)
_COPIED = ("name", "OS/2", "cvt ", "fpgm", "prep")


def _components(data: bytes, at: int, end: int | None) -> list[tuple[int, int]]:
    """A composite glyph's components as (offset of the glyph index in the glyph, glyph index),
    read as reportlab reads them: from offset 10 of the glyph starting at ``at``, while its flags
    say more follow (``end``, when given, stops at the glyph's end as reportlab's patching does)."""
    out = []
    pos = 10
    flags = GF_MORE_COMPONENTS
    while flags & GF_MORE_COMPONENTS:
        if end is not None and at + pos + 4 > end:
            raise ValueError("a composite glyph runs past its end")
        flags, index = unpack_from(">HH", data, at + pos)
        out.append((pos + 2, index))
        pos += 4 + (4 if flags & GF_ARG_1_AND_2_ARE_WORDS else 2)
        if flags & GF_WE_HAVE_A_SCALE:
            pos += 2
        elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
            pos += 4
        elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
            pos += 8
    return out


class Subsetter:
    """``face.makeSubset`` for a reportlab TrueType face, from the face's glyphs read once."""

    def __init__(self, face):
        self.face = face
        self.original = face.makeSubset  # reportlab's own, bound to the face
        self._read: tuple | None = None
        self._failed = False
        self._made = 0

    def __call__(self, subset):
        if not ENABLED or self._failed:
            return self.original(subset)
        if self._read is None:
            # reading the whole font costs about five subsets: a process that makes one subset
            # of a font (one document) has reportlab make it
            self._made += 1
            if self._made == 1:
                return self.original(subset)
            try:
                self._read = self._read_font()
            except Exception:  # an odd font: reportlab's reading, errors and all, as before
                self._failed = True
                return self.original(subset)
        return self._make(subset)

    def _read_font(self) -> tuple:
        face = self.face
        data = face._ttf_data
        start, _ = face.get_table_pos("glyf")
        positions = face.glyphPos
        glyphs, components, patches = [], [], []
        for g in range(len(positions) - 1):
            at, length = positions[g], positions[g + 1] - positions[g]
            # each glyph padded to four bytes, as a subset lays them out
            glyphs.append(data[start + at : start + at + length] + b"\0" * (-length % 4))
            composite = length and unpack_from(">h", data, start + at)[0] < 0
            # reportlab follows a composite's components from the font file, and patches their
            # indices only in a glyph longer than two bytes
            components.append(tuple(i for _, i in _components(data, start + at, None)) if composite else ())
            patches.append(
                _components(data, start + at, start + at + length) if composite and length > 2 else ()
            )
        # the optional tables (cvt, fpgm, prep) where the font has them; loading checked the rest
        copied = [(tag, face.get_table(tag)) for tag in _COPIED if tag in face.table]
        post = b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16
        tables = (face.get_table("hhea"), face.get_table("maxp"), face.get_table("head"))
        metrics = [(int(aw), int(lsb)) for aw, lsb in face.hmetrics]
        return glyphs, components, patches, copied, post, tables, face.charToGlyph, metrics

    def _make(self, subset) -> bytes:
        glyphs, components, patches, copied, post, (hhea, maxp, head), char_to_glyph, hmetrics = self._read
        glyph_map = [0]  # new glyph index -> old glyph index
        glyph_set = {0: 0}  # old glyph index -> new glyph index
        code_to_glyph = []
        for code in subset:
            old = char_to_glyph.get(code, 0)
            new = glyph_set.get(old)
            if new is None:
                new = glyph_set[old] = len(glyph_map)
                glyph_map.append(old)
            code_to_glyph.append(new)
        n = 0
        while n < len(glyph_map):  # the components of composite glyphs join the subset too
            for index in components[glyph_map[n]]:
                if index not in glyph_set:
                    glyph_set[index] = len(glyph_map)
                    glyph_map.append(index)
            n += 1

        tables = dict(copied)
        tables["post"] = post
        count = len(glyph_map)

        hmtx = [v for old in glyph_map for v in hmetrics[old]]
        n = len(hmtx) - 2
        while n and hmtx[n] == hmtx[n - 2]:
            n -= 2
        n += 2
        metrics = n >> 1  # full (advance, side bearing) pairs; the rest give side bearings only
        hmtx = hmtx[:n] + hmtx[n + 1 :: 2]
        tables["hmtx"] = pack(f">{len(hmtx)}H", *hmtx)
        tables["hhea"] = _set_ushort(hhea, 34, metrics)
        tables["maxp"] = _set_ushort(maxp, 4, count)

        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + len(subset) * 2, 0, 0, len(subset), *code_to_glyph]
        tables["cmap"] = pack(f">{len(cmap)}H", *cmap)

        glyf = [glyphs[old] for old in glyph_map]
        for i, old in enumerate(glyph_map):
            if patches[old]:
                data = bytearray(glyf[i])
                for at, index in patches[old]:
                    _USHORT.pack_into(data, at, glyph_set[index])
                glyf[i] = bytes(data)
        offsets = [0, *accumulate(map(len, glyf))]
        pos = offsets[-1]
        tables["glyf"] = b"".join(glyf)
        if (pos + 1) >> 1 > 0xFFFF:
            long_offsets = 1
            tables["loca"] = pack(f">{len(offsets)}L", *offsets)
        else:
            long_offsets = 0
            tables["loca"] = pack(f">{len(offsets)}H", *(o >> 1 for o in offsets))
        # the head's checksum adjustment is zero until the whole file's checksum sets it
        head = _set_ushort(head, 50, long_offsets)
        tables["head"] = head[:8] + b"\0\0\0\0" + head[12:]
        return make_stream(tables)


def _set_ushort(table: bytes, offset: int, value: int) -> bytes:
    return table[:offset] + _USHORT.pack(value) + table[offset + 2 :]


def make_stream(tables: dict[str, bytes]) -> bytes:
    """reportlab's ``TTFontMaker.makeStream``: the font file of ``tables``, the same bytes."""
    count = len(tables)
    search, selector = 1, 0
    while search * 2 <= count:
        search *= 2
        selector += 1
    search *= 16
    parts = [pack(">lHHHH", 0x00010000, count, search, selector, count * 16 - search)]
    offset = 12 + count * 16
    items = sorted(tables.items())
    head_at = None
    for tag, data in items:
        if tag == "head":
            head_at = offset
        parts.append(tag.encode("latin1") + pack(">LLL", calcChecksum(data), offset, len(data)))
        offset += (len(data) + 3) & ~3
    for _, data in items:
        parts.append(data)
        if len(data) & 3:
            parts.append(b"\0" * (4 - (len(data) & 3)))
    font = b"".join(parts)
    checksum = add32(0xB1B0AFBA, -calcChecksum(font))
    return font[: head_at + 8] + pack(">L", checksum) + font[head_at + 12 :]
