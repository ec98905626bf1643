"""Page furniture shared by every document: the canvas, brand band, footer, badges."""

from __future__ import annotations

from functools import lru_cache

from reportlab.graphics.shapes import Circle, Drawing, Polygon, Rect
from reportlab.lib.colors import white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from handouts.figures.render import replayed
from handouts.pdf import pieces
from handouts.pdf.packing import compact
from handouts.pdf.tagging import Structure, mark_artifacts
from handouts.pdf.tree import install
from handouts.pdf.writer import stamp
from handouts.perthread import per_thread
from handouts.render import drawn, reuse
from handouts.render.logo import logo_drawing
from handouts.render.para import Paragraph
from handouts.render.theme import FONT, Theme
from handouts.text import esc


def numbered_canvas(page_label):
    """A canvas class that knows the page count when it draws "Page N of M".

    ``page_label(canvas, n, m)`` is called for every page once the last page
    is known. Pages are buffered and written at save.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            if not kwargs.get("initialFontName"):
                kwargs["initialFontName"] = FONT["regular"]
            super().__init__(*args, **kwargs)
            stamp(self._doc)  # the fixed timestamp, this thread's
            self._pages: list[dict] = []
            self._structure = Structure()  # a new tree for every pass over the document

        def showPage(self):  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            pieces.take(self)  # the page's own: the next starts with none
            self._startPage()

        def save(self):
            total = len(self._pages)
            for i, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                page_label(self, i, total)
                self._code[:] = mark_artifacts(self._code, self._structure.spans.get(i - 1, []))
                code, mine, start = self._code, pieces.take(self), pieces.head(self)
                Canvas.showPage(self)
                pieces.install(self._doc.Pages.pages[-1], code, mine, start)
            install(self, self._structure)
            compact(self._doc)
            Canvas.save(self)

    return NumberedCanvas


#: Room kept above and below the band's text when the band grows to hold it.
BAND_PAD = 5.0
#: A step badge's number, as a share of the badge's diameter.
BADGE_DIGIT = 0.58
#: The band's first line of text stays this far below the paper's top edge.
TOP_LINE = 8.5 * 72 / 25.4


def _band_parts(theme: Theme, left: str, right: str, website: str | None):
    """The band's logo, organisation and right-hand text, wrapped to their columns."""
    w, _ = theme.pagesize
    bh = theme.band_height
    x = theme.margin
    logo = logo_drawing(theme, bh * 0.62)
    logo_w = logo_h = 0.0
    if logo is not None:
        logo_w, logo_h = logo.wrap(bh, bh)
        x += logo_w + 8
    # the right-hand column as wide as its longest line, up to 60% of the frame: the rest is the
    # organisation's
    st = theme.styles["band_right"]
    natural = max(stringWidth(t, st.fontName, st.fontSize) for t in (right, website or ""))
    right_w = min(theme.frame_width * 0.6, natural + 2)
    right_text = esc(right) + (f"<br/>{esc(website)}" if website else "")
    right_p = Paragraph(right_text, st)
    _, rh = right_p.wrap(right_w, 10_000)
    p = Paragraph(esc(left), theme.styles["band"])
    left_w = w - theme.margin - x - right_w - 8  # a clear gap between the two columns
    _, ph = p.wrap(left_w, 10_000)
    return logo, logo_h, x, p, ph, right_p, rh, right_w


class _Band(Flowable):
    """The brand band, its parts made once: one per thread for every page of every document
    (it holds the library's and the labels' words only), its drawing written again on each
    (see :mod:`handouts.render.reuse` and :mod:`handouts.render.replay`)."""

    def __init__(self, theme: Theme, left: str, right: str, website: str | None):
        super().__init__()
        self.theme = theme
        self.parts = _band_parts(theme, left, right, website)
        logo_h, ph, rh = self.parts[1], self.parts[4], self.parts[6]
        self.band_height = max(theme.band_height, ph + 2 * BAND_PAD, rh + 2 * BAND_PAD, logo_h + 2 * BAND_PAD)

    def draw(self) -> None:
        _draw_band(self.canv, self.theme, self.band_height, self.parts)


def _band(theme: Theme, left: str, right: str, website: str | None) -> _Band:
    return reuse.kept("band", (theme,), (left, right, website), lambda: _Band(theme, left, right, website))


def band_height(theme: Theme, left: str, right: str, website: str | None = None) -> float:
    """The band's height: the theme's, or taller when the organisation or the right-hand text
    needs more lines (they wrap; nothing in the band is ever clipped or overprinted)."""
    return _band(theme, left, right, website).band_height


def draw_band(canv: Canvas, theme: Theme, left: str, right: str, website: str | None = None) -> None:
    """The brand band across the top of the page: logo, organisation, document kind."""
    band = _band(theme, left, right, website)
    band.canv = canv
    try:
        band.draw()
    finally:
        del band.canv


def _draw_band(canv: Canvas, theme: Theme, bh: float, parts: tuple) -> None:
    w, h = theme.pagesize
    logo, logo_h, x, p, ph, right_p, rh, right_w = parts
    canv.saveState()
    canv.setFillColor(theme.colours["primary"])
    canv.rect(0, h - bh, w, bh, stroke=0, fill=1)
    if logo is not None:
        logo.drawOn(canv, theme.margin, h - bh + (bh - logo_h) / 2)
    # centred, but its first line at least TOP_LINE down (printers need the edge clear)
    first = theme.styles["band_right"].fontSize
    right_top = max((bh - rh) / 2, min(TOP_LINE - first, bh - rh - 2))
    right_p.drawOn(canv, w - theme.margin - right_w, h - right_top - rh)
    p.drawOn(canv, x, h - bh + (bh - ph) / 2)
    canv.restoreState()


#: The footer's last line stays this far above the paper's edge (most printers need 5 mm).
FOOTER_BOTTOM = 9 * 72 / 25.4
#: The clear space between the footer's text and the page number's column.
PAGE_LABEL_GAP = 14.0
#: What the page number's column is measured for when the caller does not say.
PAGE_SAMPLE = "Page 888 of 888"


def page_label_width(theme: Theme, sample: str = PAGE_SAMPLE) -> float:
    """The page number's own column: as wide as the widest "Page N of M" the document can print."""
    st = theme.styles["small"]
    return stringWidth(sample, st.fontName, st.fontSize) + 2


def _footer_paragraphs(theme: Theme, lines: list[str], sample: str) -> list[tuple[Paragraph, float]]:
    style = theme.styles["small"]
    beside = theme.frame_width - page_label_width(theme, sample) - PAGE_LABEL_GAP
    out = []
    for i, line in enumerate(lines):
        p = Paragraph(esc(line), style)
        # the first line shares its row with the page number; the lines below it have the width
        _, ph = p.wrap(beside if i == 0 else theme.frame_width, 1000)
        out.append((p, ph))
    return out


def footer_height(theme: Theme, lines: list[str], sample: str = PAGE_SAMPLE) -> float:
    """From the paper's bottom edge to the footer's rule."""
    return _footer_top(theme, _footer_paragraphs(theme, lines, sample))


def _footer_top(theme: Theme, paras: list[tuple[Paragraph, float]]) -> float:
    return FOOTER_BOTTOM + max(sum(h for _, h in paras), theme.styles["small"].leading) + 6


@lru_cache(maxsize=16)
def _page_label_style(small):
    """The page number's style: a theme's small type, right-aligned (made once, not for every page)."""
    return small.clone("page_label", alignment=2)


def draw_footer(
    canv: Canvas, theme: Theme, lines: list[str], page_text: str, sample: str = PAGE_SAMPLE
) -> None:
    """Footer: a rule, ``lines`` on the left, and the page number on the right of the first
    line, in a column as wide as ``sample`` and ``PAGE_LABEL_GAP`` clear of the first line; the
    lines below start under the page number's row, so the two never meet."""

    w, _ = theme.pagesize
    m = theme.margin
    paras = _footer_paragraphs(theme, lines, sample)
    top = _footer_top(theme, paras)
    canv.saveState()
    canv.setStrokeColor(theme.colours["primary"])
    canv.setLineWidth(1)
    canv.line(m, top, w - m, top)
    style = _page_label_style(theme.styles["small"])
    column = page_label_width(theme, sample)
    page = Paragraph(esc(page_text), style)
    _, ph = page.wrap(column, 1000)
    if ph > style.leading * 1.01:
        raise ValueError(f"the page number {page_text!r} is wider than its column ({sample!r})")
    page.drawOn(canv, w - m - column, top - 4 - ph)
    y = top - 4
    for p, h in paras:
        y -= h
        p.drawOn(canv, m, y)
    canv.restoreState()


class Badge(Flowable):
    """A number in a filled circle: the step numbers and picture numbers."""

    def __init__(self, number: int, theme: Theme, diameter: float):
        super().__init__()
        self.number = number
        self.theme = theme
        self.diameter = diameter
        self.width = self.height = diameter

    def wrap(self, aw, ah):
        return self.diameter, self.diameter

    def draw(self):
        # the same number, size and colours draw the same: kept once drawn twice (see drawn.py)
        colours = self.theme.colours
        key = (
            "badge",
            self.number,
            self.diameter,
            FONT["bold"],
            _colour(colours["primary"]),
            _colour(colours["on_primary"]),
        )
        drawn.draw(self, key, self._draw)

    def _draw(self):
        c = self.canv
        r = self.diameter / 2
        c.setFillColor(self.theme.colours["primary"])
        c.circle(r, r, r, stroke=0, fill=1)
        c.setFillColor(self.theme.colours["on_primary"])
        size = self.diameter * BADGE_DIGIT
        c.setFont(FONT["bold"], size)
        c.drawCentredString(r, r - size * 0.35, str(self.number))


def _colour(colour) -> tuple:
    """A colour as a key: its class and its values (an RGB and a CMYK colour may hold equal numbers)."""
    return (type(colour), *colour.rgba()) if hasattr(colour, "rgba") else (type(colour), colour)


@per_thread(maxsize=64)
def qr_drawing(url: str, size: float) -> Drawing:
    """The QR code for ``url``, ``size`` points square; made once per address and size in a thread
    (encoding a long address takes a second, and a page is laid out several times while it is
    fitted; a drawing holds the canvas while it draws, so threads never share one)."""
    # lazy: only a sheet with a video link draws a QR code
    from reportlab.graphics.barcode.qr import QrCodeWidget

    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    return d


def warning_icon(size: float, colour) -> Flowable:
    """A warning triangle with an exclamation mark: the safety panel's shape cue, clear in black and
    white; drawn once per size and colour, then replayed."""
    return replayed(_warning_drawing(size, colour), "warning", size, colour.rgba())


def _warning_drawing(size: float, colour) -> Drawing:
    d = Drawing(size, size)
    d.add(
        Polygon(
            [size / 2, size * 0.98, size * 0.02, size * 0.08, size * 0.98, size * 0.08],
            fillColor=colour,
            strokeColor=colour,
            strokeWidth=size * 0.06,
            strokeLineJoin=1,
        )
    )
    bar = size * 0.11
    d.add(Rect(size / 2 - bar / 2, size * 0.36, bar, size * 0.36, fillColor=white, strokeColor=None))
    d.add(Circle(size / 2, size * 0.24, bar * 0.62, fillColor=white, strokeColor=None))
    return d
