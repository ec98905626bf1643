"""The programme's summary page: a picture beside each exercise, the key details and the
urgent-help signs at body size, and the page used to its bottom third."""

from __future__ import annotations

import pikepdf
import pytest
from pypdf import PdfReader

from handouts.api import localised

PROGRAMME = """\
patient: Ann Example
clinician: {name: Sam Physio, contact: Tel 0100 000 000 (weekdays 9–5)}
start: "2026-12-01"
review: "2027-01-12"
weeks: 6
per_week: 3
notes: Warm up with a short walk first. Bring this sheet to your review.
exercises:
  - {id: scapular-squeeze, sets: 2, reps: 12, hold: 5}
  - {id: doorway-stretch, hold: 30}
  - {id: wall-angels, reps: 8, notes: Keep your lower back against the wall.}
"""

BODY = {False: 12.5, True: 18}  # the theme's body size, standard and large print


def tagged_text(path, index: int) -> list[tuple[str, list[float]]]:
    """Each tagged paragraph's words (its /ActualText) and the type sizes it is drawn in."""
    out: list[tuple[str, list[float]]] = []
    with pikepdf.open(path) as pdf:
        stack: list = []
        size = 0.0
        for operands, op in pikepdf.parse_content_stream(pdf.pages[index]):
            name = str(op)
            if name == "BDC":
                props = operands[1]
                actual = props.get("/ActualText") if isinstance(props, pikepdf.Dictionary) else None
                entry = (str(actual), []) if actual is not None else None
                stack.append(entry)
                if entry is not None:
                    out.append(entry)
            elif name == "BMC":
                stack.append(None)
            elif name == "EMC" and stack:
                stack.pop()
            elif name == "Tf":
                size = float(operands[1])
            elif name in ("Tj", "TJ", "'", '"'):
                for entry in stack:
                    if entry is not None:
                        entry[1].append(size)
    return out


def _programme(run, tmp_path, lang="en", paper="a4", large=False):
    src = tmp_path / "p.yaml"
    src.write_text(PROGRAMME + f"lang: {lang}\npaper: {paper}\n", encoding="utf-8")
    out = tmp_path / "p.pdf"
    result = run("program", src, "-o", out, *(["--large-print"] if large else []))
    assert result.exit_code == 0, result.output
    return out


def _summary_pages(path) -> list[int]:
    """The summary: the pages before the first exercise page (which names its patient)."""
    texts = [p.extract_text() for p in PdfReader(str(path)).pages]
    first = next(
        i for i, t in enumerate(texts) if "Ann Example" in t and ("Prepared" in t or "Patient:" in t)
    )
    return list(range(first))


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_summary_is_one_page_with_every_urgent_sign_at_body_size(run, tmp_path, library, lang, paper):
    out = _programme(run, tmp_path, lang, paper)
    assert len(PdfReader(str(out)).pages) == 5  # summary, three exercises, log
    assert _summary_pages(out) == [0]
    _assert_signs(out, [0], localised(library, lang), BODY[False])


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_large_print_summary_carries_every_sign_at_body_size(run, tmp_path, library, lang):
    out = _programme(run, tmp_path, lang, "a4", large=True)
    _assert_signs(out, _summary_pages(out), localised(library, lang), BODY[True])


def _assert_signs(path, pages: list[int], lib, body: float) -> None:
    drawn = [t for i in pages for t in tagged_text(path, i)]
    u = lib.urgent_help
    for sign in (*u.emergency, *u.same_day):
        found = [sizes for text, sizes in drawn if text == sign]
        assert found, sign
        assert all(s >= body for s in found[0]), (sign, found[0])


def test_the_key_details_are_at_body_size(run, tmp_path):
    out = _programme(run, tmp_path)
    drawn = tagged_text(out, 0)
    for words in (
        "Sets: 2 · Repetitions: 12 · Hold: 5 seconds",
        "Repetitions: 8",
        "Review date: 12 January 2027",
        "Your clinician: Sam Physio · Tel 0100 000 000 (weekdays 9–5)",
        "When: 3 times a week for 6 weeks, starting 1 December 2026.",
    ):
        found = [sizes for text, sizes in drawn if text == words]
        assert found and all(s >= BODY[False] for s in found[0]), (words, found)


def test_a_picture_beside_each_exercise(run, tmp_path):
    out = _programme(run, tmp_path)
    with pikepdf.open(out) as pdf:
        first = pdf.pages[0].objgen
        figures = 0
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            el = stack.pop()
            if isinstance(el, pikepdf.Array):
                stack.extend(el)
            elif isinstance(el, pikepdf.Dictionary) and "/S" in el:
                if str(el.S) == "/Figure" and el.Pg.objgen == first:
                    assert str(el.Alt).strip()
                    figures += 1
                if "/K" in el:
                    stack.append(el.K)
    assert figures == 3


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_bottom_third_of_the_summary_is_used(run, tmp_path, paper):
    out = _programme(run, tmp_path, "en", paper)
    page = PdfReader(str(out)).pages[0]
    height = float(page.mediabox.height)
    drawn = {text for text, _ in tagged_text(out, 0)}
    lows: list[float] = []

    def visit(text, cm, tm, font, size):
        words = text.strip()
        if words and any(words in t for t in drawn):  # tagged content, not the footer
            lows.append(tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    assert min(lows) < height / 3, (min(lows), height)
