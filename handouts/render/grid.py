"""Tables that work out their rows and columns once per width.

reportlab's :class:`~reportlab.platypus.Table` measures every cell again each time it is wrapped,
and laying out a page wraps the same table several times at the same width (the pictures sized
to the room left, then the frame placing it). Nothing a table measures changes between those
wraps: its cells are its own, and each is wrapped at its column's width. So a wrap at the width
and within the height of the last complete one keeps what that one worked out.

Only a complete measurement is kept: reportlab stops measuring a long table's rows once they
pass the height it was offered, so a wrap in less height than the table needs, and every split,
measures afresh.
"""

from __future__ import annotations

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
