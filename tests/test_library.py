"""The shipped library: complete, verbatim, valid."""

from __future__ import annotations

import re

from conftest import IDS, LIBRARY, seed_text, sentences

from handouts.read.library import load_library


def test_shipped_library_is_valid_under_strict():
    lib = load_library(LIBRARY, strict=True)
    assert lib.warnings == ()


def test_eight_exercises_with_stable_ids(library):
    assert library.ids == IDS


def test_other_names_from_the_source(library):
    assert library.exercise("scapular-squeeze").also_known_as == ("shoulder blade pinches",)
    assert library.exercise("doorway-stretch").also_known_as == ("pectoral stretch",)


def _model_text(lib) -> str:
    parts = list(lib.guide.introduction)
    for sec in (
        lib.guide.importance,
        lib.guide.finding_relief,
        lib.guide.recommendations,
        lib.guide.evidence,
        lib.guide.trends,
    ):
        parts += [sec.heading, *sec.paragraphs]
    for f in lib.guide.faq:
        parts += [f.question, f.answer]
    for e in lib.exercises:
        parts += [e.description, e.starting_position, *(s.plain() for s in e.steps)]
    return "\n".join(parts)


def _seed_paragraphs():
    lines = seed_text().splitlines()
    howtos = [ln[len("How-to: ") :] for ln in lines if ln.startswith("How-to: ")]
    long_lines = [ln for ln in lines if len(ln) > 100 and not ln.startswith("How-to: ")]
    faq_start = lines.index("frequently asked questions")
    answers = lines[faq_start + 2 : faq_start + 11 : 2]
    return howtos, long_lines, answers


def test_every_source_sentence_is_in_the_model_word_for_word(library):
    text = _model_text(library)
    howtos, paragraphs, answers = _seed_paragraphs()
    assert len(howtos) == 8 and len(answers) == 5
    missing = [s for p in howtos + paragraphs + answers for s in sentences(p) if s not in text]
    assert missing == []


def test_steps_keep_the_source_order(library):
    howtos, _, _ = _seed_paragraphs()
    for ex, howto in zip(library.exercises, howtos, strict=True):
        ours = " ".join([ex.starting_position, *(s.plain() for s in ex.steps)])
        assert ours == howto


def test_faq_and_references(library):
    assert [f.question for f in library.guide.faq][0] == "How often should I perform these exercises?"
    assert len(library.guide.faq) == 5
    # the source's nine, and the NHS page the clinic added for the urgent-help signs
    refs = [r for r in library.guide.references if r.id != library.urgent_help.source]
    assert len(refs) == 9 and len(library.guide.references) == 10
    assert refs[3].organisation == "American Academy of Orthopaedic Surgeons" and refs[3].year == 2017
    seed = seed_text()
    for r in refs:
        assert r.title in seed and str(r.year) in seed
        assert (r.authors or r.organisation) in seed


def test_programme_guidance_and_document_control(library):
    p = library.programme
    assert (p.per_week.low, p.per_week.high, p.weeks.low, p.weeks.high) == (2, 3, 4, 16)
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", library.document.last_reviewed)
    assert library.document.version


def test_promotions_are_kept_but_separate(library):
    names = [p.name for p in library.promotions]
    assert names == ["Men's Posture Shirt™ - Black", "Women's Posture Shirt™ - Black"]


def test_doses_are_structured(library):
    assert library.exercise("thoracic-extension").dose.reps == 10
    hold = library.exercise("doorway-stretch").dose.hold.seconds
    assert (hold.low, hold.high) == (20, 30)
    assert library.exercise("doorway-stretch").dose.sides == "each"
    assert library.exercise("cat-cow").dose.duration == "several breaths"


def test_every_exercise_has_numbered_pictures_with_captions_and_alt_text(library):
    for ex in library.exercises:
        assert len(ex.pictures) >= 2, ex.id
        for pic in ex.pictures:
            assert pic.caption.strip() and len(pic.alt.split()) >= 5, (ex.id, pic)
            assert all(0 <= n <= len(ex.steps) for n in pic.steps), (ex.id, pic.steps)


def test_font_character_map_matches_reportlab():
    from reportlab.pdfbase.ttfonts import TTFontFile

    from handouts import glyphs

    for style in glyphs.FONT_FILES:
        path = glyphs.font_path(style)
        assert glyphs.cmap(path) == set(TTFontFile(str(path)).charToGlyph) - {0xFFFF}
    assert glyphs.missing("Åsa Öberg – 20–30 s") is None
    assert glyphs.missing("ok 😀") == "😀"
