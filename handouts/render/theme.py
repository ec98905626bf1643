"""The one theme: fonts, colours, page sizes and named styles, built once per run."""

from __future__ import annotations

from functools import lru_cache

from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus.tables import CellStyle

from handouts import glyphs
from handouts.model import Brand
from handouts.pdf.fonts import Font, register_unread
from handouts.records import record

PAPERS = ("a4", "letter")
FONT = {
    "regular": "Handouts-Regular",
    "bold": "Handouts-Bold",
    "italic": "Handouts-Italic",
    "bolditalic": "Handouts-BoldItalic",
}
#: The smallest type anything on a standard page may use, in points (footers and captions
#: included); body text and steps are larger.
MIN_PT = 10
#: The smallest type anything in the large-print edition may use, in points (APH and RNIB).
LARGE_PRINT_PT = 18
#: How much larger large-print pictures are than the standard ones: stated here, once.
LARGE_PRINT_FACTOR = 1.4


#: The faces every document prints, read from their files when registered; the others (italic)
#: are read when first used.
READ_AT_ONCE = ("regular", "bold")


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the shipped family with reportlab (embedded and subset when used)."""

    for style, name in FONT.items():
        if style in READ_AT_ONCE:
            pdfmetrics.registerFont(Font(name, str(glyphs.font_path(style))))
        else:  # read when first used
            register_unread(name, str(glyphs.font_path(style)))
    pdfmetrics.registerFontFamily(
        FONT["regular"],
        normal=FONT["regular"],
        bold=FONT["bold"],
        italic=FONT["italic"],
        boldItalic=FONT["bolditalic"],
    )
    addMapping(FONT["regular"], 0, 0, FONT["regular"])
    # No base-14 font may creep in as a default: drawings and canvases start in ours.
    rl_config.canvas_basefontname = FONT["regular"]
    shapes.STATE_DEFAULTS["fontName"] = FONT["regular"]
    CellStyle.fontname = FONT["regular"]


@record
class Theme:
    """Everything layout code asks about an edition. The large-print edition differs from the
    standard one only in these values; no layout code asks which edition it is drawing."""

    brand: Brand
    paper: str
    pagesize: tuple[float, float]
    margin: float
    band_height: float
    colours: dict
    styles: dict
    #: no text on the page is smaller than this, in points
    min_pt: float = MIN_PT
    #: picture panels are the standard size times this
    picture_scale: float = 1.0
    #: blocks side by side: the dose and safety boxes, the urgent-help groups, Prepared for/by/Date
    columns: int = 2
    #: the most pages one exercise may take (sheet, booklet, programme page)
    exercise_pages: int = 1
    #: whether the footer carries the contact line and the sources (else they print in the body)
    footer_detail: bool = True
    #: weeks on one page of the progress log
    log_weeks: int = 12
    #: whether Prepared for / by / Date sit with the dose (else under the exercise's name), so
    #: a large-print exercise's first page has room for its pictures beside its steps
    prepared_with_dose: bool = False
    #: whether the booklet's reading sections run on one after another (else each opens a page)
    flowing_sections: bool = False
    #: whether the booklet's contents list the guide's subsections (else only the outline has them)
    contents_subsections: bool = True

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * self.margin


#: How the large-print edition differs from the standard one besides its type sizes: every value
#: layout code asks about an edition (the standard edition's are the Theme's defaults).
LARGE_PRINT = dict(
    min_pt=LARGE_PRINT_PT,
    picture_scale=LARGE_PRINT_FACTOR,
    columns=1,
    exercise_pages=2,
    footer_detail=False,
    log_weeks=8,
    prepared_with_dose=True,
    flowing_sections=True,
    contents_subsections=False,
)


@lru_cache(maxsize=8)
def hyphenator(language: str):
    """Where a long word may break across lines in ``language``, or None.

    Only long compound words are split (twelve letters or more): never words with
    digits (numbers, doses, units such as 20–30), never English, never large print.
    A run of letters longer than any real word (over 60) is left to be broken at the
    line's end: hyphenating it would take minutes and could leave it running off the page.
    """
    if language == "en":
        return None
    try:  # lazy: an optional nicety, and only for languages that hyphenate
        import pyphen
    except ImportError:  # pragma: no cover - a dependency, but hyphenation is only a nicety
        return None
    lang = pyphen.language_fallback(language)
    if lang is None:
        return None
    iterate = pyphen.Pyphen(lang=lang).iterate

    def pairs(word: str):
        if len(word) < 12 or len(word) > 60 or any(ch.isdigit() for ch in word):
            return ()
        return iterate(word)

    return pairs


def build_theme(brand: Brand, paper: str = "a4", large_print: bool = False, language: str = "en") -> Theme:

    register_fonts()
    c = {k: colors.HexColor(v) for k, v in vars(brand.colours).items()}
    # The large-print edition: headings scaled up, every text at least LARGE_PRINT_PT.
    scale = 18 / 14 if large_print else 1.0
    floor = LARGE_PRINT_PT if large_print else MIN_PT
    body = 18 if large_print else 12.5
    step = 18 if large_print else 14

    hyphens = None if large_print else hyphenator(language)  # large print: whole words only

    def style(name, size, bold=False, colour="text", leading=1.35, alignment=TA_LEFT, **kw):
        size = max(size, floor)
        # the band holds names and a web address: never hyphenated (see blocks._title)
        if hyphens is not None and name not in ("band", "band_right"):
            kw.setdefault("hyphenationLang", hyphens)
            # not at a word's own hyphens: reportlab then leaves the rest of a long run unbroken
            kw.setdefault("embeddedHyphenation", 0)
        kw.setdefault("allowWidows", 0)  # never a paragraph's last line alone atop a page
        return ParagraphStyle(
            name,
            fontName=FONT["bold" if bold else "regular"],
            fontSize=size,
            leading=round(size * leading, 1),
            textColor=c[colour],
            alignment=alignment,
            **kw,
        )

    styles = {
        "title": style("title", 26 * scale, bold=True, colour="primary", leading=1.1, spaceAfter=1),
        "aka": style("aka", 13 * scale, colour="muted", spaceAfter=4),
        "lead": style("lead", body + 0.5, leading=1.25, spaceAfter=1),
        "body": style("body", body, leading=1.25, spaceAfter=4),
        "reading": style("reading", 18 if large_print else 14, leading=1.45, spaceAfter=8),
        "h1": style("h1", 24 * scale, bold=True, colour="primary", leading=1.2, spaceAfter=8),
        "h2": style("h2", 16 * scale, bold=True, colour="primary", leading=1.15, spaceBefore=2, spaceAfter=0),
        "h3": style("h3", 14 * scale, bold=True, leading=1.25, spaceBefore=6, spaceAfter=2),
        "step": style("step", step, leading=1.22),
        "box_title": style("box_title", 14 * scale, bold=True, colour="on_primary", leading=1.2),
        "box_label": style("box_label", body, bold=True),
        "box_value": style("box_value", body),
        "safety_title": style("safety_title", 16 * scale, bold=True, colour="safety", leading=1.2),
        "safety": style("safety", body, leading=1.22),
        "field": style("field", 12, colour="muted"),
        "caption": style("caption", 12, colour="muted", leading=1.2, alignment=1),
        "small": style("small", 10, colour="muted", leading=1.25),
        # the booklet's running header: the organisation on the left, the section on the right
        "header": style("header", 11, bold=True, colour="primary", leading=1.25),
        "band": style("band", 17, bold=True, colour="on_primary", leading=1.1),
        "band_right": style("band_right", 11 * scale, colour="on_primary", leading=1.25, alignment=2),
        "toc": style("toc", body + 1, leading=1.3 if large_print else 1.5),
        "cover_title": style(
            "cover_title", 40 * scale, bold=True, colour="primary", leading=1.1, spaceAfter=12
        ),
        "cover_sub": style("cover_sub", 20 * scale, colour="text", leading=1.3, spaceAfter=16),
    }
    size = {"a4": A4, "letter": LETTER}[paper]
    return Theme(
        brand=brand,
        paper=paper,
        pagesize=size,
        margin=20 * mm,
        band_height=(17 if large_print else 16) * mm,
        colours=c,
        styles=styles,
        **(LARGE_PRINT if large_print else {}),
    )
