"""Tables that work out their rows and columns once per width.

reportlab's :class:`~reportlab.platypus.Table` measures every cell again each time it is wrapped,
and laying out a page wraps the same table several times at the same width (the pictures sized
to the room left, then the frame placing it). Nothing a table measures changes between those
wraps: its cells are its own, and each is wrapped at its column's width. So a wrap at the width
and within the height of the last complete one keeps what that one worked out.

Only a complete measurement is kept: reportlab stops measuring a long table's rows once they
pass the height it was offered, so a wrap in less height than the table needs, and every split,
measures afresh.

An empty cell (a span's other cells, a log's boxes to fill in) is drawn by reportlab as an empty
text object at the cell's first line, through its whole text machinery. :meth:`Table._drawCell`
writes that same text object itself: the same bytes, a tenth of the time.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Table as _Table

#: Off, every wrap measures (the tests compare the bytes both ways).
ENABLED = True


class Table(_Table):
    """reportlab's Table; a wrap that would repeat the last complete one keeps its result."""

    _measured: tuple[float, float] | None = None  # (width, height) of the last complete measurement

    def _calc(self, availWidth, availHeight):
        last = self._measured
        if ENABLED and last is not None and last[0] == availWidth and availHeight >= last[1]:
            return
        self._measured = None
        super()._calc(availWidth, availHeight)
        if self._hmax == len(self._argH):  # every row measured: what it worked out holds
            self._measured = (availWidth, self._height)

    def setStyle(self, tblstyle):
        self._measured = None  # padding, spans and such change what a wrap works out
        super().setStyle(tblstyle)

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: N802 - reportlab's name
        if (
            not ENABLED
            or cellval.__class__ is not str
            or cellval
            or cellstyle.href
            or cellstyle.destination
            or cellstyle.direction
            or cellstyle.shaping
            or cellstyle.alignment not in _ALIGNED
            or cellstyle.valign not in _VALIGNED
            or not self.canv.bottomup
            or _names_itself(cellstyle.fontname)
        ):
            return super()._drawCell(cellval, cellstyle, pos, size)
        canv = self.canv
        if self._curcellstyle is not cellstyle:  # as reportlab sets the cell's colour and font
            cur = self._curcellstyle
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if (
                cur is None
                or cellstyle.leading != cur.leading
                or cellstyle.fontname != cur.fontname
                or cellstyle.fontsize != cur.fontsize
            ):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        colpos, rowpos = pos
        colwidth, rowheight = size
        just, valign = cellstyle.alignment, cellstyle.valign
        if just == "LEFT":
            x = colpos + cellstyle.leftPadding
        elif just == "RIGHT":
            x = colpos + colwidth - cellstyle.rightPadding
        else:  # centred: an empty string has no width
            x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
        leading, fontsize = cellstyle.leading, cellstyle.fontsize
        if valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + leading - fontsize
        elif valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        else:
            y = (
                rowpos
                + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + leading) / 2.0
                - fontsize
            )
        canv._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm  T* ET")  # reportlab's drawString(x, y, "")


@lru_cache(maxsize=64)
def _names_itself(fontname: str) -> bool:
    """Whether reportlab writes an empty string in this font as more than an empty text object: a
    multi-byte font that is not TrueType names itself and shows the empty string. Its class says
    so (a font read on first use stays unread)."""
    font = pdfmetrics.getFont(fontname)
    return bool(getattr(font, "_multiByte", 0)) and not getattr(font, "_dynamicFont", 0)


_ALIGNED = frozenset({"LEFT", "RIGHT", "CENTRE", "CENTER"})
_VALIGNED = frozenset({"BOTTOM", "TOP", "MIDDLE"})
