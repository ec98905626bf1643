"""Where things are drawn on a PDF page, read back with pdfium: every text object with its type
size and box, and how far down the page the content (everything that is not an artifact) reaches."""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw


@dataclass(frozen=True)
class Run:
    """One text object: its text, type size in points, box (left, bottom, right, top), and whether
    it is page furniture marked as an artifact (band, running header, footer, page number)."""

    text: str
    size: float
    box: tuple[float, float, float, float]
    artifact: bool
    font: str = ""


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    runs: list[Run]
    #: the lowest point of anything drawn that is not an artifact (text, paths, images)
    content_bottom: float


def _artifact(obj) -> bool:
    for i in range(raw.FPDFPageObj_CountMarks(obj)):
        mark = raw.FPDFPageObj_GetMark(obj, i)
        buf = (ctypes.c_ushort * 32)()
        n = ctypes.c_ulong()
        raw.FPDFPageObjMark_GetName(mark, buf, 64, ctypes.byref(n))
        if bytes(buf)[: max(n.value - 2, 0)].decode("utf-16-le") == "Artifact":
            return True
    return False


def _text(obj, textpage) -> str:
    n = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
    buf = (ctypes.c_ushort * (n // 2 + 1))()
    raw.FPDFTextObj_GetText(obj, textpage, buf, n)
    return bytes(buf)[: max(n - 2, 0)].decode("utf-16-le", "replace")


def _font(obj) -> str:
    font = raw.FPDFTextObj_GetFont(obj)
    buf = ctypes.create_string_buffer(128)
    n = raw.FPDFFont_GetBaseFontName(font, buf, 128)
    return buf.raw[: max(n - 1, 0)].decode("latin-1")


def _size(obj) -> float:
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
    return size.value * math.sqrt(abs(m.a * m.d - m.b * m.c))


def read(path: Path) -> list[Page]:
    pdf = pdfium.PdfDocument(str(path))
    out = []
    try:
        for page in pdf:
            textpage = page.get_textpage()
            w, h = page.get_size()
            runs, bottom = [], h
            for o in page.get_objects(max_depth=1):
                left, low, right, top = o.get_bounds()
                artifact = _artifact(o.raw)
                if o.type == raw.FPDF_PAGEOBJ_TEXT:
                    text = _text(o.raw, textpage)
                    if text.strip():
                        box = (left, low, right, top)
                        runs.append(Run(text, round(_size(o.raw), 2), box, artifact, _font(o.raw)))
                if not artifact and top > low:
                    bottom = min(bottom, low)
            out.append(Page(w, h, runs, bottom))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return out


def overlaps(a: tuple, b: tuple, clear: float = 0.0) -> bool:
    """Whether two boxes (left, bottom, right, top) come within ``clear`` points of each other."""
    return not (a[2] + clear <= b[0] or b[2] + clear <= a[0] or a[3] + clear <= b[1] or b[3] + clear <= a[1])


def text_in_font(path: Path, index: int, fragment: str) -> str:
    """The text of page ``index`` drawn in a font whose name holds ``fragment`` (e.g. "Bold"),
    a line break wherever text in another font comes between."""
    from pypdf import PdfReader

    out: list[str] = []

    def visit(text, cm, tm, font, size):
        name = str((font or {}).get("/BaseFont", ""))
        out.append(text if fragment in name else "\n")

    PdfReader(str(path)).pages[index].extract_text(visitor_text=visit)
    return "".join(out)


def text_at_least(path: Path, pt: float) -> str:
    """Every page's text drawn at ``pt`` points or larger, a line break wherever smaller text
    comes between."""
    from pypdf import PdfReader

    out: list[str] = []

    def visit(text, cm, tm, font, size):
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) if tm and cm else 1
        out.append(text if size * (scale or 1) >= pt - 0.01 else "\n")

    for page in PdfReader(str(path)).pages:
        page.extract_text(visitor_text=visit)
        out.append("\n")
    return "".join(out)
