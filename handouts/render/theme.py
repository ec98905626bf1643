"""The one theme: fonts, colours, page sizes and named styles, built once per run."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from handouts import glyphs
from handouts.model import Brand

PAPERS = ("a4", "letter")
FONT = {
    "regular": "Handouts-Regular",
    "bold": "Handouts-Bold",
    "italic": "Handouts-Italic",
    "bolditalic": "Handouts-BoldItalic",
}
#: The smallest type any body text or step may use, in points.
MIN_BODY_PT = 12


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the shipped family with reportlab (embedded and subset when used)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for style, name in FONT.items():
        pdfmetrics.registerFont(TTFont(name, str(glyphs.font_path(style))))
    pdfmetrics.registerFontFamily(
        FONT["regular"],
        normal=FONT["regular"],
        bold=FONT["bold"],
        italic=FONT["italic"],
        boldItalic=FONT["bolditalic"],
    )
    addMapping(FONT["regular"], 0, 0, FONT["regular"])
    # No base-14 font may creep in as a default: drawings and canvases start in ours.
    from reportlab import rl_config
    from reportlab.graphics import shapes

    rl_config.canvas_basefontname = FONT["regular"]
    shapes.STATE_DEFAULTS["fontName"] = FONT["regular"]
    from reportlab.platypus.tables import CellStyle

    CellStyle.fontname = FONT["regular"]


@dataclass(frozen=True)
class Theme:
    brand: Brand
    paper: str
    pagesize: tuple[float, float]
    margin: float
    band_height: float
    colours: dict
    styles: dict
    large_print: bool = False

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * self.margin


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
    try:
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
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    register_fonts()
    c = {k: colors.HexColor(v) for k, v in vars(brand.colours).items()}
    scale = 18 / 14 if large_print else 1.0
    body = 18 if large_print else 12.5
    step = 18 if large_print else 14

    hyphens = None if large_print else hyphenator(language)  # large print: whole words only

    def style(name, size, bold=False, colour="text", leading=1.35, alignment=TA_LEFT, **kw):
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
        "title": style("title", 26 * scale, bold=True, colour="primary", leading=1.15, spaceAfter=2),
        "aka": style("aka", 13 * scale, colour="muted", spaceAfter=4),
        "lead": style("lead", body + 0.5, spaceAfter=4),
        "body": style("body", body, spaceAfter=6),
        "reading": style("reading", 18 if large_print else 14, leading=1.45, spaceAfter=8),
        "h1": style("h1", 24 * scale, bold=True, colour="primary", leading=1.2, spaceAfter=8),
        "h2": style("h2", 16 * scale, bold=True, colour="primary", leading=1.2, spaceBefore=5, spaceAfter=3),
        "h3": style("h3", 14 * scale, bold=True, leading=1.25, spaceBefore=6, spaceAfter=2),
        "step": style("step", step, leading=1.3),
        "step_num": style("step_num", step + 2, bold=True, colour="on_primary", leading=1.0, alignment=1),
        "box_title": style("box_title", 14 * scale, bold=True, colour="on_primary", leading=1.2),
        "box_label": style("box_label", body, bold=True),
        "box_value": style("box_value", body),
        "safety_title": style("safety_title", 16 * scale, bold=True, colour="safety", leading=1.2),
        "safety_h": style("safety_h", body, bold=True),
        "safety": style("safety", body, leading=1.3),
        "field": style("field", 16 if large_print else 12, colour="muted"),
        "caption": style("caption", 16 if large_print else 12, colour="muted", leading=1.2, alignment=1),
        "small": style("small", 14 if large_print else 10, colour="muted", leading=1.25),
        "band": style("band", 17 * scale, bold=True, colour="on_primary", leading=1.1),
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
        band_height=19 * mm * (1.2 if large_print else 1),
        colours=c,
        styles=styles,
        large_print=large_print,
    )
