"""The booklet: order, contents, outline, every sentence, page numbers, promo."""

from __future__ import annotations

import pikepdf
import pytest
from conftest import seed_text, sentences
from pdfcheck import check_structure, fonts, norm, page_lines, pages_text
from pypdf import PdfReader


@pytest.fixture(scope="module")
def booklet(tmp_path_factory):
    from conftest import LIBRARY

    from handouts import api

    lib = api.load(str(LIBRARY))
    folder = tmp_path_factory.mktemp("booklet")
    plain, promo = folder / "booklet.pdf", folder / "promo.pdf"
    api.write_booklet(lib, plain, api.Options())
    api.write_booklet(lib, promo, api.Options(), promo=True)
    return lib, plain, promo


def _outline_titles(reader, items=None, depth=0):
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out += _outline_titles(reader, item, depth + 1)
        else:
            out.append(("  " * depth) + item.title)
    return out


def test_outline_mirrors_the_contents_and_opens_shown(booklet):
    lib, path, _ = booklet
    reader = PdfReader(str(path))
    titles = _outline_titles(reader)
    expected = [
        "How to use this booklet",
        "Introduction",
        "  Finding relief from upper back pain",
        "  Importance of exercise for upper back pain",
        "  Exercise recommendations for upper back pain relief",
        "The exercises",
        *[f"  {e.name}" for e in lib.exercises],
        "Evidence and effectiveness of upper back exercises",
        "  Trends and insights in upper back pain exercises",
        "Frequently asked questions",
        "Progress log",
        "References",
        "Contact",
    ]
    assert titles == expected
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.PageMode) == "/UseOutlines"


def test_contents_page_numbers_point_at_the_exercises(booklet):
    lib, path, _ = booklet
    lines = page_lines(path, 1)  # directly after the cover
    assert lines[:2] == ["Example Physiotherapy Clinic Contents", "Contents"]
    for ex in lib.exercises:
        entry = [ln for ln in lines if ln.startswith(ex.name + " .")]
        assert len(entry) == 1, (ex.name, lines)
        number = int(entry[0].rsplit(" ", 1)[1])
        page = page_lines(path, number - 1)
        # below the running header (brand, section), the page starts with the exercise
        n = lib.exercises.index(ex) + 1
        # the name, and on its line what else it is called
        assert page[1] == f"Exercise {n} of 8" and page[2].startswith(ex.name), (ex.name, page[:3])
        assert page[2] == ex.name or page[2].startswith(f"{ex.name} Also called:"), page[2]


def test_contents_entries_are_links(booklet):
    lib, path, _ = booklet
    with pikepdf.open(path) as pdf:
        links = [a for a in pdf.pages[1].get("/Annots", []) if a.Subtype == "/Link"]
    assert len(links) >= len(lib.exercises) + 6


def test_page_n_of_m_on_every_page_but_the_cover(booklet):
    _, path, _ = booklet
    texts = pages_text(path)
    total = len(texts)
    assert "Page 1 of" not in texts[0]
    for n, text in enumerate(texts[1:], start=2):
        assert f"Page {n} of {total}" in text


def test_every_source_sentence_is_printed(booklet):
    lib, path, _ = booklet
    text = " ".join(pages_text(path))
    lines = seed_text().splitlines()
    wanted = [ln[len("How-to: ") :] for ln in lines if ln.startswith("How-to: ")]
    wanted += [e.description for e in lib.exercises]
    wanted += list(lib.guide.evidence.paragraphs) + [f.answer for f in lib.guide.faq]
    wanted += list(lib.guide.introduction) + list(lib.guide.importance.paragraphs)
    missing = [s for p in wanted for s in sentences(p) if norm(s) not in text]
    assert missing == []


def test_all_references_numbered(booklet):
    lib, path, _ = booklet
    text = " ".join(pages_text(path))
    for n, r in enumerate(lib.guide.references, start=1):
        assert f"{n}. {r.authors or r.organisation} ({r.year or 'n.d.'})." in text
        assert r.title in text
        if r.url:
            assert r.url in text
    assert "Sources: [1]–[10]." in text


def test_progress_log_has_sessions_and_pain_scores(booklet):
    _, path, _ = booklet
    page = next(t for t in pages_text(path) if "Progress log Tick" in t)
    assert "Session 1" in page and "Session 3" in page and "Session 4" not in page
    assert page.count("Pain 0–10") == 3
    assert " 16 " in page


def test_promo_only_when_asked(booklet):
    lib, plain, promo = booklet
    plain_text, promo_text = " ".join(pages_text(plain)), " ".join(pages_text(promo))
    for p in lib.promotions:
        # a spaced hyphen means a break: printed as an en dash
        name = p.name.replace(" - ", " – ")
        assert p.name.split(" - ")[0] not in plain_text
        assert name in promo_text and p.description in promo_text
        assert p.name not in promo_text
    assert "Advertisement" not in plain_text


@pytest.mark.parametrize(
    ("lang", "label", "stamp"),
    [("en", "Advertisement", "Your clinic's details"), ("sv", "Annons", "Mottagningens uppgifter")],
)
def test_promo_is_a_labelled_advertisement_away_from_the_stamp_box(run, tmp_path, lang, label, stamp):
    out = tmp_path / "b.pdf"
    assert run("booklet", "--promo", "--lang", lang, "-o", out).exit_code == 0
    texts = pages_text(out)
    advert = [n for n, t in enumerate(texts) if "Posture Shirt" in t]
    assert len(advert) == 1, advert
    page = page_lines(out, advert[0])
    assert page[1] == label  # the page's heading, under the running header
    assert stamp not in texts[advert[0]]
    assert stamp in texts[-1] and "Posture Shirt" not in texts[-1]
    with pikepdf.open(out) as pdf:  # its own style: set in a dashed frame
        content = pdf.pages[advert[0]].Contents.read_bytes()
    assert b"[4 3] 0 d" in content or b"[4 3 ] 0 d" in content


def test_cover_carries_one_key_message_and_the_contents_follow(booklet):
    lib, path, _ = booklet
    cover = pages_text(path)[0]
    assert "Do these exercises 2–3 times a week. Stop if it hurts." in cover
    assert lib.guide.finding_relief.heading not in cover
    assert page_lines(path, 1)[1] == "Contents"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "Which pages: the exercises are on pages {first}–{last}: each with its steps, pictures",
                "How often: 2–3 times a week.",
                "For how long: 4–16 weeks.",
                "If it hurts: stop at once and read the safety advice below.",
                "Your log: tick off each session in the progress log on page {log}.",
                "Questions: the answers to common questions are on page {faq}.",
            ],
        ),
        (
            "sv",
            [
                "Vilka sidor: övningarna finns på sidorna {first}–{last}: var och en med steg, bilder",
                "Hur ofta: 2–3 gånger i veckan.",
                "Hur länge: 4–16 veckor.",
                "Om det gör ont: sluta direkt och läs säkerhetsråden nedan.",
                "Din dagbok: kryssa för varje pass i träningsdagboken på sidan {log}.",
                "Frågor: svar på vanliga frågor finns på sidan {faq}.",
            ],
        ),
    ],
)
@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
def test_how_to_use_says_which_pages_how_often_if_it_hurts_and_where_the_log_is(
    run, tmp_path, lang, words, large
):
    out = tmp_path / "b.pdf"
    assert run("booklet", "--lang", lang, "-o", out, *(["--large-print"] if large else [])).exit_code == 0
    texts = pages_text(out)
    exercise = "Exercise" if lang == "en" else "Övning"
    first = next(n for n, t in enumerate(texts, 1) if f"{exercise} 1 av 8" in t or f"{exercise} 1 of 8" in t)
    last = max(
        n
        for n, t in enumerate(texts, 1)
        if f"{exercise} 8 " in t or "(continued)" in t or "(fortsättning)" in t
    )
    log = next(
        n for n, t in enumerate(texts, 1) if ("Progress log Tick" in t or "Träningsdagbok Kryssa" in t)
    )
    faq = next(
        n
        for n, t in enumerate(texts, 1)
        if ("Frequently asked questions Get" in t or "Vanliga frågor Sök" in t)
    )
    how = next(n for n, t in enumerate(texts) if t.count(words[0].split(":")[0] + ":"))
    contents = [n for n in range(1, len(texts)) if page_lines(out, n)[0].endswith(("Contents", "Innehåll"))]
    assert contents[0] == 1 and how == contents[-1] + 1  # after the cover and the contents
    page = " ".join(pages_text(out)[how : how + 2])
    for w in words:
        assert w.format(first=first, last=last, log=log, faq=faq) in page


def test_fonts_metadata_structure(booklet):
    lib, path, _ = booklet
    assert all(f["embedded"] and "+" in f["name"] for f in fonts(path))
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo.Title) == lib.document.title
        assert str(pdf.Root.Lang) == "en"
    check_structure(path)


def test_booklet_rebuild_is_identical_and_letter_works(tmp_path, run):
    a, b, c = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    assert run("booklet", "-o", a).exit_code == 0
    assert run("booklet", "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    assert run("booklet", "-o", c, "--paper", "letter").exit_code == 0
    box = PdfReader(str(c)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_build_writes_sheets_and_booklet(tmp_path, run):
    result = run("build", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out" / "sheets").glob("*.pdf"))) == 8
    assert (tmp_path / "out" / "booklet.pdf").is_file()


@pytest.mark.parametrize(("lang", "paper"), [("en", "a4"), ("sv", "letter")])
def test_cover_is_one_page_even_in_large_print(run, tmp_path, lang, paper):
    out = tmp_path / "b.pdf"
    assert run("booklet", "--large-print", "--lang", lang, "--paper", paper, "-o", out).exit_code == 0
    second = page_lines(out, 1)
    assert second[0].endswith(("Contents", "Innehåll"))
    assert "Prepared for:" in page_lines(out, 0) or "Patient:" in page_lines(out, 0)


def _filled(path, foot: float, top: float) -> list[float]:
    """Per page, how far down between header and footer the lowest text reaches (0 to 1)."""
    out = []
    for page in PdfReader(str(path)).pages:
        h = float(page.mediabox.height)
        ys: list[float] = []

        def visit(text, cm, tm, font, size, ys=ys, h=h):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and foot < y < h - top:
                ys.append(y)

        page.extract_text(visitor_text=visit)
        out.append((h - top - min(ys)) / (h - top - foot) if ys else 0.0)
    return out


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_large_print_front_and_back_pages_are_at_least_half_full(run, tmp_path, library, lang, paper):
    """The contents keep to one page, and the evidence, FAQ, log, references and back page run on
    to the end: no page of theirs but the last is under half full. (The exercises' pages are the
    exercise block's; the page before the first exercise may still be short.)"""
    from handouts.api import localised
    from handouts.i18n import labels
    from handouts.render.furniture import footer_height
    from handouts.render.sheet import footer_lines
    from handouts.render.theme import build_theme

    out = tmp_path / "b.pdf"
    assert run("booklet", "--large-print", "--lang", lang, "--paper", paper, "-o", out).exit_code == 0
    lab = labels(lang)
    theme = build_theme(library.brand, paper=paper, large_print=True, language=lang)
    foot = footer_height(theme, footer_lines(localised(library, lang), lab))
    filled = _filled(out, foot, 70)
    texts = pages_text(out)
    evidence = localised(library, lang).guide.evidence.heading
    last_exercise = next(n for n, t in enumerate(texts) if lab("exercise_number", n=8, m=8) in t)
    start = next(n for n in range(last_exercise + 1, len(texts)) if evidence in texts[n])
    assert page_lines(out, 1)[1] == lab("contents") and lab("contents") not in page_lines(out, 2)[0]
    assert filled[1] >= 0.5
    for n in range(start, len(filled) - 1):
        assert filled[n] >= 0.5, (n + 1, round(filled[n], 2), page_lines(out, n)[:3])
