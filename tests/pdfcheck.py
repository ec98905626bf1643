"""Helpers that read PDFs back for assertions."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
from pypdf import PdfReader


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pages_text(path: Path) -> list[str]:
    return [norm(p.extract_text() or "") for p in PdfReader(str(path)).pages]


def fonts(path: Path) -> list[dict]:
    """Every font resource: its BaseFont and whether a font file is embedded."""
    out = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for _, font in (page.Resources.get("/Font") or {}).items():
                desc = font.get("/FontDescriptor")
                if desc is None and "/DescendantFonts" in font:
                    desc = font.DescendantFonts[0].get("/FontDescriptor")
                embedded = desc is not None and any(
                    k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                out.append({"name": str(font.BaseFont), "embedded": embedded})
    return out


def check_structure(path: Path) -> None:
    """Open with qpdf; raise if the file is damaged; require extractable text."""
    with pikepdf.open(path) as pdf:
        problems = pdf.check_pdf_syntax()
        assert not [p for p in problems if "error" in str(p).lower()], problems
    assert any(pages_text(path)), f"{path}: no extractable text"


def page_lines(path: Path, index: int) -> list[str]:
    """The page's text as visual lines, top to bottom, each read left to right."""
    reader = PdfReader(str(path))
    pieces: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            pieces.append((round(y), x, text))

    reader.pages[index].extract_text(visitor_text=visit)
    rows: dict[int, list[tuple[float, str]]] = {}
    for y, x, text in pieces:
        key = next((k for k in rows if abs(k - y) <= 2), y)
        rows.setdefault(key, []).append((x, text))
    return [norm(" ".join(t for _, t in sorted(rows[y]))) for y in sorted(rows, reverse=True)]


def text_extent(path: Path) -> list[tuple[float, float, float, float]]:
    """Per page, the (min x, min y, max x, max y) of where text starts, in points."""
    reader = PdfReader(str(path))
    out = []
    for page in reader.pages:
        xs: list[float] = []
        ys: list[float] = []

        def visit(text, cm, tm, font, size, xs=xs, ys=ys):
            if text.strip():
                xs.append(tm[4] * cm[0] + cm[4])
                ys.append(tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        out.append((min(xs), min(ys), max(xs), max(ys)) if xs else (0, 0, 0, 0))
    return out
