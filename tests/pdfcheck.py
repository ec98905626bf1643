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


def check_pdfua(path: Path) -> None:
    """The PDF/UA rules that can be checked mechanically; raises AssertionError naming the rule."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert bool(root.get("/MarkInfo", {}).get("/Marked")), f"{path.name}: /MarkInfo /Marked is not true"
        assert "/StructTreeRoot" in root, f"{path.name}: no structure tree"
        assert str(root.get("/Lang", "")), f"{path.name}: no /Lang"
        assert bool(root.ViewerPreferences.DisplayDocTitle), f"{path.name}: DisplayDocTitle is not set"
        assert str(pdf.docinfo.get("/Title", "")), f"{path.name}: no title"
        headings, figures = [], 0
        stack = [root.StructTreeRoot.K]
        while stack:
            el = stack.pop()
            if isinstance(el, pikepdf.Array):
                stack.extend(reversed(list(el)))
                continue
            if not isinstance(el, pikepdf.Dictionary) or el.get("/Type") in ("/MCR", "/OBJR"):
                continue
            s = str(el.get("/S", ""))
            if s == "/Figure":
                figures += 1
                assert str(el.get("/Alt", "")).strip(), f"{path.name}: a Figure without /Alt"
            if len(s) == 3 and s.startswith("/H") and s[2].isdigit():
                headings.append(int(s[2]))
            if "/K" in el:
                stack.append(el.K)
        assert headings and headings[0] == 1, f"{path.name}: the first heading is not H1 ({headings[:3]})"
        for a, b in zip(headings, headings[1:], strict=False):
            assert b <= a + 1, f"{path.name}: heading levels skip from H{a} to H{b}"
        for n, page in enumerate(pdf.pages, start=1):
            assert page.obj.get("/Tabs") == "/S", (
                f"{path.name}: page {n} tab order does not follow the structure"
            )
            assert "/StructParents" in page.obj, f"{path.name}: page {n} has no /StructParents"
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link":
                    assert "/StructParent" in annot and "/Contents" in annot, (
                        f"{path.name}: untagged link on page {n}"
                    )
            depth = 0
            for _operands, op in pikepdf.parse_content_stream(page):
                name = str(op)
                if name in ("BDC", "BMC"):
                    depth += 1
                elif name == "EMC":
                    depth -= 1
                elif name in ("Tj", "TJ", "'", '"', "Do", "re", "f", "S", "B", "sh"):
                    assert depth > 0, f"{path.name}: page {n}: '{name}' outside tagged content or an artifact"
    for f in fonts(path):
        assert f["embedded"], f"{path.name}: font {f['name']} is not embedded"
