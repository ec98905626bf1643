"""No page ends on a heading: a heading always shares its page with what it heads.

Read from the structure tree: the last tagged text on each page (in drawing order, which is
reading order) must not belong to a heading (H1-H6).
"""

from __future__ import annotations

import pikepdf
import pytest

PROGRAMME = """\
patient: Ann Example
clinician: {name: Sam Physio, contact: Tel 0100 000 000}
start: "2026-12-01"
review: "2027-01-12"
weeks: 6
per_week: 3
notes: Warm up first.
exercises:
  - {id: scapular-squeeze, sets: 2, reps: 12, hold: 5}
  - {id: doorway-stretch, hold: 30, sides: left, notes: Keep your shoulders down.}
  - {id: wall-angels, reps: 8}
"""


def _heading_mcids(pdf) -> dict[int, set[int]]:
    """Page index -> the MCIDs drawn as part of a heading."""
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
    out: dict[int, set[int]] = {}

    def visit(el, heading: bool, page):
        if isinstance(el, pikepdf.Array):
            for kid in el:
                visit(kid, heading, page)
            return
        if isinstance(el, int):
            if heading and page is not None:
                out.setdefault(pages[page.objgen], set()).add(int(el))
            return
        if not isinstance(el, pikepdf.Dictionary):
            return
        if el.get("/Type") == "/MCR":
            if heading:
                out.setdefault(pages[el.Pg.objgen], set()).add(int(el.MCID))
            return
        s = str(el.get("/S", ""))
        here = heading or (len(s) == 3 and s.startswith("/H") and s[2].isdigit())
        if "/K" in el:
            visit(el.K, here, el.get("/Pg", page))

    visit(pdf.Root.StructTreeRoot.K, False, None)
    return out


def pages_ending_on_a_heading(path) -> list[int]:
    """The 1-based numbers of the pages whose last tagged text is a heading's."""
    found = []
    with pikepdf.open(path) as pdf:
        headings = _heading_mcids(pdf)
        for n, page in enumerate(pdf.pages):
            stack: list[int | None] = []
            last = None
            for operands, op in pikepdf.parse_content_stream(page):
                name = str(op)
                if name == "BDC":
                    props = operands[1]
                    mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                    stack.append(int(mcid) if mcid is not None else None)
                elif name == "BMC":
                    stack.append(None)
                elif name == "EMC" and stack:
                    stack.pop()
                elif name in ("Tj", "TJ", "'", '"'):
                    mcid = next((m for m in reversed(stack) if m is not None), None)
                    if mcid is not None:
                        last = mcid
            if last is not None and last in headings.get(n, set()):
                found.append(n + 1)
    return found


def test_the_check_finds_a_page_that_ends_on_a_heading(tmp_path, library):
    """A document whose first page ends on a heading is caught (the check can fail)."""
    import io

    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from handouts.render.block import H, P
    from handouts.render.furniture import numbered_canvas
    from handouts.render.theme import build_theme

    s = build_theme(library.brand).styles
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, lang="en", title="bad", displayDocTitle=True)
    story = [
        H(1, Paragraph("Title", s["h1"])),
        P(Paragraph("Text.", s["body"])),
        H(2, Paragraph("Stranded", s["h2"])),
        PageBreak(),
        P(Paragraph("Its paragraph.", s["body"])),
    ]
    doc.build(story, canvasmaker=numbered_canvas(lambda canv, n, m: None))
    path = tmp_path / "bad.pdf"
    path.write_bytes(buf.getvalue())
    assert pages_ending_on_a_heading(path) == [1]


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_no_booklet_page_ends_on_a_heading(run, tmp_path, lang, paper, large):
    out = tmp_path / "b.pdf"
    args = ["booklet", "--promo", "--lang", lang, "--paper", paper, "-o", out]
    result = run(*args, *(["--large-print"] if large else []))
    assert result.exit_code == 0, result.output
    assert pages_ending_on_a_heading(out) == []


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_no_programme_page_ends_on_a_heading(run, tmp_path, lang, large):
    src = tmp_path / "p.yaml"
    src.write_text(PROGRAMME + f"lang: {lang}\n", encoding="utf-8")
    out = tmp_path / "p.pdf"
    result = run("program", src, "-o", out, *(["--large-print"] if large else []))
    assert result.exit_code == 0, result.output
    assert pages_ending_on_a_heading(out) == []
