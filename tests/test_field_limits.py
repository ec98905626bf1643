"""Every printed field at the longest length the validator allows, in every document it is printed on.

Each case sets one field of the shipped library (or of a programme) to its limit from
``handouts.read.shapes``, as realistic words and as one unbroken run of letters, renders the sheet,
booklet and programme it appears on (English and Swedish; standard and large print), and reads the
PDF back: no two text lines overlap, no text leaves the page or straddles the edge of a band or box,
and the field's whole text is there. Body text that cannot fit its page may instead fail the build
with the overflow error, which says by how much; fields printed on page furniture (the band, the
running header, the footer, the "Prepared for" line) must always fit.
"""

from __future__ import annotations

import dataclasses as dc
import io
import re
from datetime import datetime

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from conftest import LIBRARY

from handouts import api
from handouts.api import Options
from handouts.errors import LayoutError
from handouts.model import Chosen, Hold, Prescription, Program, Promotion, Section, Step
from handouts.read import shapes as S
from handouts.read.flags import personalise
from handouts.read.library import load_library
from handouts.render.document import Document
from handouts.render.document import render as render_document

#: the fullest exercise on the page: the one with the least room to spare; fields that must always
#: fit are tried on it
EXERCISE = "thoracic-extension"
#: the roomiest: exercise text that may overflow its page is tried here, so that what does fit is
#: read back and checked rather than only failing on the fullest page
ROOMY = "childs-pose"
WORDS = {
    "en": "Anna-Karin Margareta Johansson Lindqvist physiotherapy and rehabilitation clinic for the "
    "northern region gently arch your upper back while keeping shoulders relaxed and breathe slowly ",
    "sv": "Fysioterapimottagningen Övre Norrlands rehabilitering för ryggbesvär håll skulderbladen "
    "avslappnade och andas lugnt medan du sträcker bröstryggen försiktigt bakåt ",
}
UNBROKEN = "Xylofonmästarnaslindqvistjohanssonmargaretawww"


def words(n: int, lang: str) -> str:
    """``n`` characters of real words, neither starting nor ending in a space."""
    base = WORDS[lang] * (n // len(WORDS[lang]) + 1)
    text = base[:n]
    return text[:-1] + "a" if text.endswith(" ") else text


def unbroken(n: int) -> str:
    """``n`` characters with no space: a hyphenated first name, then one run of letters (a word's
    own hyphen once left the rest of such a run unbroken, off the page, in Swedish)."""
    return ("Anna-" + UNBROKEN * (n // len(UNBROKEN) + 1))[:n]


# -- reading the PDF back ----------------------------------------------------------------------


@dc.dataclass(frozen=True)
class Run:
    """A line of text as printed: its characters' tight boxes joined."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def _runs(tp, page_no: int) -> list[Run]:
    """The page's characters joined into runs: a new run at a line break, a new baseline, a jump
    back or a wide gap. A run's box is its characters' tight boxes joined."""
    import ctypes

    runs: list[Run] = []
    cur: list = []  # [x0, y0, x1, y1, text, baseline, em]
    ox, oy = ctypes.c_double(), ctypes.c_double()
    for i in range(tp.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(tp, i))
        if ch.isspace() and ch not in "\r\n":
            if cur:
                cur[4] += " "
            continue
        if ch in "\r\n\x02\ufffe":
            if cur and cur[4].strip():
                runs.append(Run(page_no, *cur[:5]))
            cur = []
            continue
        x0, y0, x1, y1 = tp.get_charbox(i)
        lx0, ly0, lx1, ly1 = tp.get_charbox(i, loose=True)
        em = ly1 - ly0
        pdfium_c.FPDFText_GetCharOrigin(tp, i, ctypes.byref(ox), ctypes.byref(oy))
        base = oy.value
        if cur and (abs(base - cur[5]) > 0.5 or x0 < cur[2] - em * 0.3 or x0 > cur[2] + em * 1.5):
            if cur[4].strip():
                runs.append(Run(page_no, *cur[:5]))
            cur = []
        if not cur:
            cur = [x0, y0, x1, y1, ch, base, em]
        else:
            cur = [min(cur[0], x0), min(cur[1], y0), max(cur[2], x1), max(cur[3], y1), cur[4] + ch, base, em]
    if cur and cur[4].strip():
        runs.append(Run(page_no, *cur[:5]))
    return runs


def without_actual_text(data: bytes) -> bytes:
    """The PDF with its tagged text's /ActualText taken out of the page content: a reader that
    honours it spreads the replacement text over the whole paragraph, so the glyphs' own boxes
    are measured only without it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            streams = (
                page.obj.Contents if isinstance(page.obj.Contents, pikepdf.Array) else [page.obj.Contents]
            )
            for stream in streams:
                raw = stream.read_bytes()
                stream.write(re.sub(rb"/ActualText\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))", b"", raw))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _is_rectangle(obj, bounds) -> bool:
    """A band, box or cell background: a path of straight lines between its bounds' corners (a
    drawing's curves are not boxes; their bounds reach out to their control points)."""
    import ctypes

    n = pdfium_c.FPDFPath_CountSegments(obj.raw)
    if not 4 <= n <= 5:
        return False
    matrix = obj.get_matrix()
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            return False
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px, py = matrix.on_point(x.value, y.value)
        if (
            min(abs(px - bounds[0]), abs(px - bounds[2])) > 1
            or min(abs(py - bounds[1]), abs(py - bounds[3])) > 1
        ):
            return False
    return True


def read_pdf(data: bytes):
    """Per page: (width, height, text runs, filled boxes, the page's text)."""
    doc = pdfium.PdfDocument(without_actual_text(data))
    pages = []
    try:
        for n in range(len(doc)):
            page = doc[n]
            w, h = page.get_size()
            tp = page.get_textpage()
            boxes = []
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
                left, bottom, right, top = obj.get_bounds()
                if (
                    right - left >= 40
                    and top - bottom >= 14
                    and _is_rectangle(obj, (left, bottom, right, top))
                ):
                    boxes.append((left, bottom, right, top))
            pages.append((w, h, _runs(tp, n), boxes, tp.get_text_range()))
            tp.close()
            page.close()
    finally:
        doc.close()
    return pages


def squash(text: str) -> str:
    """Text without what a line break may add or take away: spaces and hyphens."""
    return re.sub(r"[\s\u00ad\u2010\u2011\ufffe\x02-]+", "", text)


def in_order(needle: str, hay: str, piece: int = 20) -> bool:
    """``needle`` is printed in ``hay`` as one or more pieces, in order, each at least ``piece``
    characters long: text running over a page break or around the page number and running header
    is still found whole, while a dropped or clipped piece is not."""
    pos = i = 0
    while i < len(needle):
        size = min(piece, len(needle) - i)
        at = hay.find(needle[i : i + size], pos)
        if at < 0:
            return False
        k = size  # the piece runs on as far as the printed text goes on matching
        while i + k < len(needle) and at + k < len(hay) and hay[at + k] == needle[i + k]:
            k += 1
        i, pos = i + k, at + k
    return True


def problems(pages, margin: float) -> list[str]:
    out = []
    for w, h, runs, boxes, _ in pages:
        for r in runs:
            where = f"page {r.page + 1}: {r.text[:50]!r}"
            if r.x0 < margin - 3 or r.x1 > w - margin + 3 or r.y0 < 12 or r.y1 > h - 3:
                out.append(
                    f"{where} runs outside the page's margins ({r.x0:.0f}..{r.x1:.0f}, {r.y0:.0f}..{r.y1:.0f})"
                )
            for b in boxes:
                inter_x = min(r.x1, b[2]) - max(r.x0, b[0])
                inter_y = min(r.y1, b[3]) - max(r.y0, b[1])
                inside = (
                    r.x0 >= b[0] - 0.5 and r.x1 <= b[2] + 0.5 and r.y0 >= b[1] - 0.5 and r.y1 <= b[3] + 0.5
                )
                if inter_x > 0.5 and inter_y > 0.5 and not inside:
                    out.append(f"{where} crosses the edge of a box or band at {tuple(round(v) for v in b)}")
        for i, a in enumerate(runs):
            for b in runs[i + 1 :]:
                ox = min(a.x1, b.x1) - max(a.x0, b.x0)
                oy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if ox > 1 and oy > 1:
                    out.append(f"page {a.page + 1}: {a.text[:40]!r} overprints {b.text[:40]!r}")
    return out


# -- the cases ---------------------------------------------------------------------------------


_LIBS: dict = {}


def base_library(lang: str, exercise: str = EXERCISE):
    """The shipped library (in ``lang``) with one exercise."""
    if (lang, exercise) not in _LIBS:
        lib = load_library(LIBRARY)
        if lang != "en":
            lib = api.localised(lib, lang)
        ex = next(e for e in lib.exercises if e.id == exercise)
        _LIBS[lang, exercise] = dc.replace(lib, exercises=(ex,))
    return _LIBS[lang, exercise]


def base_program(
    patient="Ann Example",
    clinician="Sam Physio",
    contact="Tel 0100 000 000",
    notes=None,
    rx_notes=None,
    exercise=EXERCISE,
    dose=True,
):
    """A programme for one exercise; ``dose=False`` keeps the library's dose (its words print)."""
    note = rx_notes or "Keep your lower back against the wall."
    rx = Prescription(sets=2, reps=12, hold=5, notes=note) if dose else Prescription(notes=note)
    return Program(
        patient, clinician, contact, "2026-12-01", "2027-01-12", 6, 3,
        notes or "Warm up with a short walk first.", (Chosen(exercise, rx),),
    )  # fmt: skip


def _ex(lib, **kw):
    return dc.replace(lib, exercises=(dc.replace(lib.exercises[0], **kw),))


def _guide(lib, **kw):
    return dc.replace(lib, guide=dc.replace(lib.guide, **kw))


def _faq0(lib, **kw):
    g = lib.guide
    first = next(f for f in g.faq if f.id == g.safety[0])
    faq = tuple(dc.replace(f, **kw) if f is first else f for f in g.faq)
    return _guide(lib, faq=faq)


def _dose(lib, text):
    """The exercise's hold, in the source's words, as long as words may be."""
    return _ex(lib, dose=dc.replace(lib.exercises[0].dose, hold=Hold(words=text)))


def url(n: int) -> str:
    """A valid https address ``n`` characters long."""
    head = "https://www.example-clinic.org/"
    return head + unbroken(n - len(head)).lower()


def _website(lib, text):
    return dc.replace(lib, brand=dc.replace(lib.brand, website=text))


def _video(lib, text):
    return _ex(lib, video=text)


#: The longest web address the checker accepts (handouts/read/fields.py https_url).
URL_MAX = 2000
#: The longest web address the band holds on the fullest page without it overflowing.
WEBSITE_FITS = 100

#: field -> (limit, documents, how to set it on a library, whether a page may overflow instead)
LIBRARY_FIELDS = {
    "brand.organisation": (
        S.BRAND["organisation"].max_len,
        ("sheet", "booklet", "program"),
        lambda lib, t: dc.replace(lib, brand=dc.replace(lib.brand, organisation=t)),
        False,
    ),
    "brand.contact": (
        S.BRAND["contact"].max_len,
        ("sheet",),
        lambda lib, t: dc.replace(lib, brand=dc.replace(lib.brand, contact=t)),
        False,
    ),
    "document.title": (
        S.DOCUMENT["title"].max_len,
        ("booklet",),
        lambda lib, t: dc.replace(lib, document=dc.replace(lib.document, title=t)),
        False,
    ),
    "document.subtitle": (
        S.DOCUMENT["subtitle"].max_len,
        ("booklet",),
        lambda lib, t: dc.replace(lib, document=dc.replace(lib.document, subtitle=t)),
        False,
    ),
    "document.version": (
        S.DOCUMENT["version"].max_len,
        ("sheet", "program"),
        lambda lib, t: dc.replace(lib, document=dc.replace(lib.document, version=t)),
        False,
    ),
    "exercise.name": (
        S.EXERCISE["name"].max_len,
        ("sheet", "booklet", "program"),
        lambda lib, t: _ex(lib, name=t),
        True,
    ),
    "exercise.also_known_as": (
        S.EXERCISE["also_known_as"].item.max_len,
        ("sheet",),
        lambda lib, t: _ex(lib, also_known_as=(t,)),
        True,
    ),
    "exercise.description": (
        S.EXERCISE["description"].max_len,
        ("sheet",),
        lambda lib, t: _ex(lib, description=t),
        True,
    ),
    "exercise.starting_position": (
        S.EXERCISE["starting_position"].max_len,
        ("sheet",),
        lambda lib, t: _ex(lib, starting_position=t),
        True,
    ),
    "exercise.steps": (
        S.EXERCISE["steps"].item.max_len,
        ("sheet",),
        lambda lib, t: _ex(lib, steps=(Step(t), *lib.exercises[0].steps[1:])),
        True,
    ),
    "exercise.dose words": (S.WORDS.max_len, ("sheet",), _dose, True),
    "guide.faq.question": (
        S.FAQ["question"].max_len,
        ("booklet",),
        lambda lib, t: _faq0(lib, question=t),
        False,
    ),
    "guide.faq.answer (safety)": (
        S.FAQ["answer"].max_len,
        ("sheet",),
        lambda lib, t: _faq0(lib, answer=t),
        True,
    ),
    "guide.section.heading": (
        S.SECTION["heading"].max_len,
        ("booklet",),
        lambda lib, t: _guide(lib, evidence=Section(t, lib.guide.evidence.paragraphs)),
        False,
    ),
    "guide.references": (  # a title, and another entry's authors and publisher, each at the limit
        S.REFERENCE["title"].max_len,
        ("booklet",),
        lambda lib, t: _guide(
            lib,
            references=(
                dc.replace(lib.guide.references[0], title=t, publisher=None),
                dc.replace(lib.guide.references[1], authors=t, publisher=t),
                *lib.guide.references[2:],
            ),
        ),
        False,
    ),
    "brand.website": (S.BRAND["website"].max_len, ("sheet", "program"), _website, False),
    "exercise.video": (S.EXERCISE["video"].max_len, ("sheet",), _video, True),
    "guide.introduction paragraph": (
        S.MAX_TEXT,
        ("booklet",),
        lambda lib, t: _guide(lib, introduction=(t, *lib.guide.introduction[1:])),
        False,
    ),
    "promotions.name+description": (
        S.PROMOTION["name"].max_len,
        ("booklet",),
        lambda lib, t: dc.replace(
            lib, promotions=(Promotion(t, words(S.PROMOTION["description"].max_len, "en")),)
        ),
        False,
    ),
}
PROGRAM_FIELDS = {
    "patient": (S.PROGRAM["patient"].max_len, lambda t: base_program(patient=t), False),
    "clinician.name": (S.CLINICIAN["name"].max_len, lambda t: base_program(clinician=t), False),
    "clinician.contact": (S.CLINICIAN["contact"].max_len, lambda t: base_program(contact=t), False),
    "notes": (S.PROGRAM["notes"].max_len, lambda t: base_program(notes=t), False),
    "exercises.notes": (S.CHOSEN["notes"].max_len, lambda t: base_program(rx_notes=t), True),
}
#: (language, large print, text)
MODES = [  # every pair of language, print size and kind of text, in four renders
    ("en", False, "words"),
    ("sv", True, "words"),
    ("sv", False, "unbroken"),
    ("en", True, "unbroken"),
]


def render(kind: str, lib, lang: str, large: bool, prog=None, sheet_kw=None) -> bytes:
    opts = Options(language=lang, large_print=large)
    lib = api.localised(lib, lang)
    if kind == "sheet":
        doc = Document("sheet", opts, exercise=lib.exercises[0].id, personal=sheet_kw or {})
    elif kind == "booklet":
        doc = Document("booklet", opts, promo=True)
    else:
        doc = Document(
            "program", opts, program=prog or base_program(exercise=lib.exercises[0].id, dose=False)
        )
    return render_document(lib, doc)


def check(kind: str, make, text: str, may_overflow: bool, margin: float = 20 * 72 / 25.4):
    """Render; the page reads back clean with ``text`` on it, or the build says what overflowed."""
    try:
        data = make()
    except LayoutError as exc:
        assert may_overflow, f"the {kind} failed at the field's limit: {exc}"
        assert re.search(r"\d+ mm .*too long|too long", str(exc)), str(exc)
        return None
    pages = read_pdf(data)
    found = problems(pages, margin)
    assert not found, "\n".join(found[:8])
    printed = squash("".join(p[4] for p in pages))
    assert in_order(squash(text), printed), f"the {kind} does not print the whole field"
    return data


CASES = [
    pytest.param(
        field, kind, lang, large, style, id=f"{field}-{kind}-{lang}-{'large' if large else 'std'}-{style}"
    )
    for field, (_, kinds, _, _) in LIBRARY_FIELDS.items()
    for kind in kinds
    for lang, large, style in MODES
]


@pytest.mark.parametrize(("field", "kind", "lang", "large", "style"), CASES)
def test_library_field_at_its_limit(field, kind, lang, large, style):
    limit, _, put, may_overflow = LIBRARY_FIELDS[field]
    text = words(limit, lang) if style == "words" else unbroken(limit)
    if field in ("brand.website", "exercise.video"):
        text = url(limit)  # an address is one unbroken run whatever the style
    assert len(text) == limit
    lib = put(base_library(lang, ROOMY if may_overflow else EXERCISE), text)
    check(kind, lambda: render(kind, lib, lang, large), text, may_overflow)


PROGRAM_CASES = [
    pytest.param(field, lang, large, style, id=f"{field}-{lang}-{'large' if large else 'std'}-{style}")
    for field in PROGRAM_FIELDS
    for lang, large, style in MODES
]


@pytest.mark.parametrize(("field", "lang", "large", "style"), PROGRAM_CASES)
def test_programme_field_at_its_limit(field, lang, large, style):
    limit, make, may_overflow = PROGRAM_FIELDS[field]
    text = words(limit, lang) if style == "words" else unbroken(limit)
    lib = base_library(lang)
    check("programme", lambda: render("program", lib, lang, large, prog=make(text)), text, may_overflow)


SHEET_FIELDS = {  # the one-off personalised sheet: handouts sheet --patient --clinician --note
    "--patient": (S.PROGRAM["patient"].max_len, "patient", False),
    "--clinician": (S.CLINICIAN["name"].max_len, "clinician", False),
    "--note": (S.CHOSEN["notes"].max_len, "note", True),
}


@pytest.mark.parametrize(
    ("flag", "lang", "large", "style"),
    [
        pytest.param(f, lang, large, style, id=f"{f}-{lang}-{'large' if large else 'std'}-{style}")
        for f in SHEET_FIELDS
        for lang, large, style in MODES
    ],
)
def test_personalised_sheet_field_at_its_limit(flag, lang, large, style):
    limit, key, may_overflow = SHEET_FIELDS[flag]
    text = words(limit, lang) if style == "words" else unbroken(limit)
    lib = base_library(lang)
    kw = {"patient": "Ann Example", "clinician": "Sam Physio", "date": datetime(2026, 12, 1), key: text}
    sheet_kw = personalise(lib, lang=lang, **kw)
    check("sheet", lambda: render("sheet", lib, lang, large, sheet_kw=sheet_kw), text, may_overflow)


def test_the_reported_name_prints_under_the_description_on_every_page():
    """The name from the report ("Anna-Karin Margareta Johansson Lindqvist") wrapped upward over
    the description; now its lines sit below the description and above the next heading."""
    name = "Anna-Karin Margareta Johansson Lindqvist"
    lib = base_library("en")
    data = check(
        "programme", lambda: render("program", lib, "en", False, prog=base_program(patient=name)), name, False
    )
    pages = read_pdf(data)
    for _, _, runs, _, _ in pages[1:2]:
        desc = [r for r in runs if r.text.startswith(lib.exercises[0].description[:20])]
        prepared = [r for r in runs if "Prepared for" in r.text]
        assert desc and prepared
        assert prepared[0].y1 < desc[0].y0


def test_checker_sees_overprinting():
    """The checks themselves: two lines drawn on top of each other, and text off the page, are found."""
    from reportlab.pdfgen.canvas import Canvas

    from handouts.render.theme import FONT, register_fonts

    register_fonts()
    import io

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(400, 400))
    c.setFont(FONT["regular"], 12)
    c.drawString(60, 200, "Prepared for: Anna-Karin")
    c.drawString(70, 204, "thoracic spine, which is crucial")
    c.drawString(300, 300, "runs off the right-hand edge of the page")
    c.rect(60, 100, 100, 30, fill=1)
    c.drawString(120, 110, "crosses the box edge")
    c.save()
    found = "\n".join(problems(read_pdf(buf.getvalue()), margin=50))
    assert "overprints" in found
    assert "outside the page" in found
    assert "crosses the edge" in found
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    assert in_order(alphabet, alphabet[:24] + "Page1of2" + alphabet[24:])
    assert not in_order(alphabet, alphabet[:24] + alphabet[26:])  # two letters clipped
    assert not in_order(alphabet, alphabet[18:] + alphabet[:18])  # out of order


@pytest.mark.parametrize("kind", ["sheet", "program"])
def test_a_website_too_long_for_the_band_fails_naming_the_brand(kind):
    """The checker takes web addresses up to 2000 characters; one the band cannot hold fails the build
    with a message naming the brand fields, never a clipped band."""
    lib = _website(base_library("en"), url(URL_MAX))
    with pytest.raises(LayoutError, match="brand.website"):
        render(kind, lib, "en", False)


@pytest.mark.parametrize("large", [False, True], ids=["std", "large"])
def test_every_field_at_its_limit_at_once(large):
    """A clinic and a patient with every furniture field at its limit at once: the page reads back
    clean, or the build says what is too long; never overprinted or clipped."""
    lib = base_library("sv")
    for field in ("brand.organisation", "brand.contact", "document.version"):
        limit, _, put, _ = LIBRARY_FIELDS[field]
        lib = put(lib, words(limit, "sv"))
    lib = _website(lib, url(WEBSITE_FITS))
    prog = base_program(
        patient=words(S.PROGRAM["patient"].max_len, "sv"),
        clinician=words(S.CLINICIAN["name"].max_len, "sv"),
        contact=words(S.CLINICIAN["contact"].max_len, "sv"),
    )
    check("programme", lambda: render("program", lib, "sv", large, prog=prog), prog.patient, True)
