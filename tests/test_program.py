"""Personalised programmes, quick personalised sheets and CSV batches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdfcheck import check_structure, page_lines, pages_text
from pypdf import PdfReader

PROGRAM = """\
patient: {patient}
clinician:
  name: Sam Physio
  contact: Tel 0100 000 000
start: "2026-12-01"
review: "2027-01-12"
weeks: {weeks}
per_week: {per_week}
notes: Warm up first.
exercises:
  - id: scapular-squeeze
    sets: 2
    reps: 12
    hold: 5
  - id: doorway-stretch
    hold: 30
    sides: left
  - wall-angels
"""


def write_program(tmp_path: Path, patient="Ann Example", weeks=6, per_week=3, text=None) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(text or PROGRAM.format(patient=patient, weeks=weeks, per_week=per_week), encoding="utf-8")
    return path


def test_programme_has_summary_exercise_pages_and_log(run, tmp_path):
    out = tmp_path / "p.pdf"
    result = run("program", write_program(tmp_path), "-o", out)
    assert result.exit_code == 0, result.output
    texts = pages_text(out)
    assert len(texts) == 5
    assert "Your exercise programme For Ann Example" in texts[0]
    assert "3 times a week for 6 weeks, starting 1 December 2026." in texts[0]
    assert "Sam Physio · Tel 0100 000 000" in texts[0] and "Stop if it hurts" in texts[0]
    # every page's footer says who to contact: this patient's clinician
    assert all("Your clinician: Sam Physio · Tel 0100 000 000" in t for t in texts)
    assert "Sets: 2 · Repetitions: 12 · Hold: 5 seconds" in texts[0]
    assert "Scapular squeezes" in texts[1][:120]
    assert "Prepared for: Ann Example" in texts[1] and "Prepared by: Sam Physio" in texts[1]
    assert "Progress log" in texts[4]
    for n, t in enumerate(texts, start=1):
        assert f"Page {n} of 5" in t
    check_structure(out)


def test_prescribed_dose_replaces_the_library_dose_everywhere(run, tmp_path):
    out = tmp_path / "p.pdf"
    assert run("program", write_program(tmp_path), "-o", out).exit_code == 0
    squeeze, doorway, wall = pages_text(out)[1:4]
    assert "Hold the squeeze for 5 seconds before releasing." in squeeze
    assert "Repeat this movement 12 times" in squeeze
    assert "10 times" not in squeeze and "a few seconds" not in squeeze
    assert "Hold this position for 30 seconds, then switch sides." in doorway
    assert "20–30" not in doorway and "left side only" in doorway
    assert "3 times a week" in doorway and "2–3 times a week" not in doorway
    assert "6 weeks" in doorway and "4–16 weeks" not in doorway
    # not overridden: the library's words stay
    assert "Perform 10 repetitions" in wall


@pytest.mark.parametrize(("per_week", "weeks", "pages"), [(3, 6, 1), (2, 20, 2), (5, 1, 1)])
def test_log_grid_has_the_prescribed_sessions_and_weeks(run, tmp_path, per_week, weeks, pages):
    out = tmp_path / "p.pdf"
    assert run("program", write_program(tmp_path, weeks=weeks, per_week=per_week), "-o", out).exit_code == 0
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1 + 3 + pages
    rows = []
    for i in range(4, 4 + pages):
        head = " ".join(page_lines(out, i))
        rows += re.findall(r"Week (\d+):", head)
        if per_week <= 4:
            assert head.count("Done") == per_week and head.count("Pain") == per_week
            assert all(f"Session {n}" in head for n in range(1, per_week + 1))
        else:  # one heading over the sessions, each column numbered
            assert "Sessions: write your pain score, 0–10, in each" in pages_text(out)[i]
            assert " ".join(str(n) for n in range(1, per_week + 1)) in head
    assert rows == [str(w) for w in range(1, weeks + 1)]


def test_patient_name_with_markup_and_non_latin_prints_literally(run, tmp_path):
    name = "Åsa Øberg-Łukasz <b>&amp; Ünal</b> & Co"
    out = tmp_path / "p.pdf"
    text = PROGRAM.format(patient=f'"{name}"', weeks=6, per_week=3)
    assert run("program", write_program(tmp_path, text=text), "-o", out).exit_code == 0
    texts = pages_text(out)
    assert f"For {name}" in texts[0]
    assert f"Prepared for: {name}" in texts[1]


def test_quick_personalised_sheet(run, tmp_path):
    out = tmp_path / "s.pdf"
    result = run(
        "sheet",
        "scapular-squeeze",
        "--patient",
        "Bo <x> & y",
        "--clinician",
        "Sam",
        "--date",
        "2026-12-03",
        "--reps",
        "15",
        "--hold",
        "8",
        "--per-week",
        "4",
        "--weeks",
        "5",
        "--note",
        "Slowly.",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    text = pages_text(out)[0]
    assert "Prepared for: Bo <x> & y" in text and "Date: 3 December 2026" in text
    assert "Repeat this movement 15 times" in text and "Hold the squeeze for 8 seconds" in text
    assert "10 times" not in text and "a few seconds" not in text
    assert "4 times a week" in text and "5 weeks" in text and "Slowly." in text


def test_quick_sheet_bounds_and_patient_required(run, tmp_path):
    bad = run("sheet", "cat-cow", "--patient", "A", "--reps", "500", "-o", tmp_path / "s.pdf")
    assert bad.exit_code == 2 and "500 is not in the range 1<=x<=100" in bad.output
    none = run("sheet", "cat-cow", "--reps", "5", "-o", tmp_path / "s.pdf")
    assert none.exit_code == 2 and none.stderr == "--patient is required to personalise a sheet\n"


def test_programme_errors_are_reported_with_positions(run, tmp_path):
    text = (
        PROGRAM.format(patient="A", weeks=60, per_week=3)
        .replace("  - wall-angels", "  - wall-angle")
        .replace("    reps: 12", "    reps: 0")
    )
    result = run("program", write_program(tmp_path, text=text), "-o", tmp_path / "p.pdf")
    assert result.exit_code == 2
    p = tmp_path / "p.yaml"
    assert result.stderr == (
        f"{p}:7:8: weeks: must be from 1 to 52, got 60\n"
        f"{p}:13:11: exercises[0].reps: must be from 1 to 100, got 0\n"
        f"{p}:18:5: exercises[2]: no exercise with id 'wall-angle' (did you mean 'wall-angels'?)\n"
        f"3 errors in {p}\n"
    )
    assert not (tmp_path / "p.pdf").exists()


def test_example_programme_builds(run, tmp_path):
    assert run("program", "examples/programme.yaml", "-o", tmp_path / "e.pdf").exit_code == 0


CSV = (
    "patient,clinician,date,exercises,per_week,weeks,notes,file,paper\n"
    "Ann,Sam,2026-12-01,scapular-squeeze:2x12;doorway-stretch:hold=30,3,6,,,a4\n"
    "Bad,Sam,2026-12-01,wal-angels,3,6,,,\n"
    "Cy,Sam,2026-12-01,cat-cow,2,4,,../../escape,letter\n"
    "Di,Sam,2026-12-01,cat-cow,2,4,,../../escape,\n"
)


def test_batch_builds_good_rows_reports_bad_and_exits_1(run, tmp_path):
    csv_path = tmp_path / "patients.csv"
    csv_path.write_text(CSV)
    out = tmp_path / "out"
    result = run("batch", csv_path, "--out", out)
    assert result.exit_code == 1
    assert (
        f"{csv_path}:3: exercises: no exercise with id 'wal-angels' (did you mean 'wall-angels'?)"
        in result.stderr
    )
    assert "built 3 of 4 programmes; 1 failed" in result.stderr
    assert sorted(p.name for p in out.glob("*.pdf")) == ["Ann-2026-12-01.pdf", "escape-2.pdf", "escape.pdf"]
    assert not (tmp_path / "escape.pdf").exists()
    box = PdfReader(str(out / "escape.pdf")).pages[0].mediabox
    assert round(float(box.height)) == 792


def test_batch_reads_excel_exports(run, tmp_path):
    rows = [
        "patient;clinician;date;exercises;notes",
        'Ann;Sam;2026-12-01;"scapular-squeeze:2x12;cat-cow";Å, ö',
    ]
    csv_path = tmp_path / "excel.csv"
    csv_path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode() + b"\r\n")
    result = run("batch", csv_path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "Ann-2026-12-01.pdf").is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("patient,clinician,date\nA,B,2026-01-01\n", ":1: missing column 'exercises'"),
        ("patient,clinician,date,exercises,colour\n", ":1: unknown column 'colour'"),
        ('patient,clinician,date,exercises\n"A,B,2026-01-01,cat-cow\n', "malformed CSV"),
    ],
)
def test_batch_file_level_errors(run, tmp_path, content, message):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(content)
    result = run("batch", csv_path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,B,2026-01-01,cat-cow,3", ":2: (row): 1 more field(s) than the header has columns"),
        ("A,B,2026-01-01", ":2: exercises: missing: the row has fewer fields than the header"),
        ("A,B,tomorrow,cat-cow", ":2: date: expected a date as YYYY-MM-DD, got 'tomorrow'"),
        ("A,B,2026-01-01,cat-cow:hold=999", ":2: hold: must be from 1 to 300, got 999"),
        (",B,2026-01-01,cat-cow", ":2: patient: must not be empty"),
    ],
)
def test_batch_row_errors(run, tmp_path, row, message):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("patient,clinician,date,exercises\n" + row + "\n")
    result = run("batch", csv_path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{csv_path}{message}" in result.stderr


UNPRESCRIBED = """\
patient: Ann Example
clinician: {name: Sam Physio, contact: Tel 0100 000 000}
start: "2026-12-29"
review: "2027-02-09"
weeks: 6
per_week: 3
exercises:
  - childs-pose
  - thoracic-rotation
  - doorway-stretch
  - {id: wall-angels, reps: 8}
"""


def test_a_programme_never_prints_a_blank_to_fill_and_says_why(run, tmp_path):
    src = tmp_path / "p.yaml"
    src.write_text(UNPRESCRIBED, encoding="utf-8")
    out = tmp_path / "p.pdf"
    result = run("program", src, "-o", out)
    assert result.exit_code == 0, result.output
    # the build names each exercise that has no prescribed repetitions, and what the page does
    assert result.stderr.splitlines() == [
        f"warning: {src}:8:5: exercises[0]: 'childs-pose' has no prescribed repetitions and the library "
        "gives none; the page leaves the row out; add reps: N to prescribe them",
        f"warning: {src}:9:5: exercises[1]: 'thoracic-rotation' has no prescribed repetitions and the "
        "library gives none; the page leaves the row out; add reps: N to prescribe them",
        f"warning: {src}:10:5: exercises[2]: 'doorway-stretch' has no prescribed repetitions; the page "
        "prints the library's words, 'as needed'; add reps: N to prescribe them",
    ]
    texts = pages_text(out)
    for text in texts:
        assert "__" not in text and "Repetitions: ·" not in text
    assert "Repetitions" not in texts[1] and "Repetitions" not in texts[2]  # childs-pose, rotation
    assert "Repetitions as needed" in texts[3] and "Repetitions 8" in texts[4]
    assert "Repetitions: as needed" in texts[0] and "Repetitions: 8" in texts[0]
    # every dose cell has a value: the row is left out, never printed empty
    for n in range(1, 5):
        lines = page_lines(out, n)
        dose = lines[lines.index("Your dose") + 1 :]
        for label in ("Repetitions", "Hold", "Sides", "How often", "For how long"):
            assert label not in [ln.strip() for ln in dose], (n, label, dose)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_large_print_programme_prints_no_blank_either(run, tmp_path, lang):
    src = tmp_path / "p.yaml"
    src.write_text(UNPRESCRIBED + f"lang: {lang}\n", encoding="utf-8")
    out = tmp_path / "p.pdf"
    assert run("program", src, "-o", out, "--large-print").exit_code == 0
    assert not [n for n, text in enumerate(pages_text(out), 1) if "__" in text]


def test_unpersonalised_sheets_keep_the_blank_for_the_pen(run, tmp_path):
    out = tmp_path / "s.pdf"
    assert run("sheet", "childs-pose", "-o", out).exit_code == 0
    assert "Repetitions ________" in pages_text(out)[0]


def test_batch_warns_of_unprescribed_repetitions_naming_row_and_exercise(run, tmp_path):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(
        "patient,clinician,date,exercises\nAnn,Sam,2026-12-01,childs-pose;cat-cow;wall-angels\n"
    )
    result = run("batch", csv_path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"warning: {csv_path}:2: exercises: 'childs-pose' has no prescribed repetitions and the library "
        "gives none; the page leaves the row out; write childs-pose:SETSxREPS"
    )
    assert "cat-cow" not in result.stderr and "wall-angels" not in result.stderr  # a duration; a number
    assert "Ann" not in result.stderr  # nothing about the patient


@pytest.mark.parametrize(
    ("lang", "weeks"),
    [
        ("en", ["Week 1: 29 Dec–4 Jan", "Week 2: 5–11 Jan", "Week 6: 2–8 Feb"]),
        ("sv", ["Vecka 1: 29 dec–4 jan", "Vecka 2: 5–11 jan", "Vecka 6: 2–8 feb"]),
    ],
)
def test_log_weeks_carry_their_dates_in_the_language(run, tmp_path, lang, weeks):
    src = tmp_path / "p.yaml"
    src.write_text(UNPRESCRIBED + f"lang: {lang}\n", encoding="utf-8")
    out = tmp_path / "p.pdf"
    assert run("program", src, "-o", out).exit_code == 0
    log = pages_text(out)[-1]
    for week in weeks:
        assert week in log


@pytest.mark.parametrize("per_week", [3, 6])
@pytest.mark.parametrize("large", [False, True])
def test_log_headings_are_at_least_12_pt_in_full_strength_colour(run, tmp_path, library, per_week, large):
    out = tmp_path / "p.pdf"
    program = write_program(tmp_path, per_week=per_week)
    assert run("program", program, "-o", out, *(["--large-print"] if large else [])).exit_code == 0
    heads = ("Session", "Done", "Pain", "0–10", "Week", "Notes")
    sizes = [(t, s) for t, s in _sizes(out, -1) if t.strip().startswith(heads)]
    assert sizes and all(s >= 12 for _, s in sizes), sizes
    # every heading cell's style: the text colour or the brand's, never the muted grey
    from handouts.i18n import labels
    from handouts.model import Range, Schedule
    from handouts.render.tables import log_table
    from handouts.render.theme import build_theme

    theme = build_theme(library.brand, large_print=large)
    sched = Schedule(Range(per_week, per_week), Range(6, 6))
    table = log_table(theme, labels("en"), sched, theme.frame_width, start="2026-12-01")
    styles = [c.flowable.style for row in table._cellvalues[:2] for c in row if hasattr(c, "flowable")]
    full = {theme.colours["text"].hexval(), theme.colours["primary"].hexval()}
    assert styles and all(st.textColor.hexval() in full and st.fontSize >= 12 for st in styles)


def _sizes(path, index: int) -> list[tuple[str, float]]:
    """(text, font size) of every piece of text on the page."""
    reader = PdfReader(str(path))
    out = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            out.append((text, size * (tm[3] or 1) * (cm[3] or 1)))

    reader.pages[index].extract_text(visitor_text=visit)
    return out


ONCE = """\
patient: Ann Example
clinician:
  name: Sam Physio
start: "2026-12-01"
weeks: 1
per_week: 1
lang: {lang}
exercises:
  - id: scapular-squeeze
    sets: 1
    reps: 1
    hold: 1
"""


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            ["once a week for 1 week, starting", "Hold the squeeze for 1 second before", "movement once,"],
        ),
        ("sv", ["en gång i veckan i 1 vecka, med start", "i 1 sekund innan", "rörelsen en gång och"]),
    ],
)
def test_a_count_of_one_prints_in_the_singular(run, tmp_path, lang, words):
    """Not "1 times a week for 1 weeks": a clinician may prescribe one of anything."""
    src = tmp_path / "p.yaml"
    src.write_text(ONCE.format(lang=lang), encoding="utf-8")
    out = tmp_path / "p.pdf"
    result = run("program", src, "-o", out)
    assert result.exit_code == 0, result.output
    text = " ".join(pages_text(out))
    for w in words:
        assert w in text, w
    assert not re.search(r"\b1 (times|weeks|seconds|repetitions|gånger|veckor|sekunder|repetitioner)\b", text)
