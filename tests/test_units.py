"""Unit tests for the parts a whole build hides: fingerprints, shard selection and CSV parsing.

Each test calls one function with a small input and checks what it gives back; the build tests
check the same parts end to end."""

from __future__ import annotations

import dataclasses as dc

import pytest

from handouts.build import in_shard, parse_shard, plan_build
from handouts.errors import UsageProblem
from handouts.fingerprint import fingerprint
from handouts.model import Job, Prescription
from handouts.read.patients import output_names, parse_exercises, read_rows

SHEET = Job("sheet", "sheets/cat-cow.pdf", exercise="cat-cow")
BOOKLET = Job("booklet", "booklet.pdf")


# -- fingerprints ------------------------------------------------------------------------------


def test_the_same_input_gives_the_same_fingerprint(library):
    assert fingerprint(library, SHEET, 0) == fingerprint(library, SHEET, 0)


@pytest.mark.parametrize(
    "change",
    [
        lambda j: dc.replace(j, paper="letter"),
        lambda j: dc.replace(j, language="sv"),
        lambda j: dc.replace(j, large_print=True),
        lambda j: dc.replace(j, exercise="wall-angels"),
    ],
    ids=["paper", "language", "large-print", "exercise"],
)
def test_every_job_field_changes_the_fingerprint(library, change):
    assert fingerprint(library, change(SHEET), 0) != fingerprint(library, SHEET, 0)


def test_the_timestamp_changes_the_fingerprint(library):
    assert fingerprint(library, SHEET, 1) != fingerprint(library, SHEET, 0)


def _with_urgent_sign(lib, text):
    u = lib.urgent_help
    return dc.replace(lib, urgent_help=dc.replace(u, emergency=(text, *u.emergency[1:])))


@pytest.mark.parametrize("job", [SHEET, BOOKLET], ids=["sheet", "booklet"])
def test_what_a_document_prints_changes_its_fingerprint(library, job):
    """The urgent-help signs and the references print on sheets and booklets: a change to either
    must rebuild them (a stale file is never reported as unchanged)."""
    before = fingerprint(library, job, 0)
    assert fingerprint(_with_urgent_sign(library, "Changed sign."), job, 0) != before
    refs = library.guide.references
    changed = dc.replace(
        library.guide, references=(dc.replace(refs[0], title=refs[0].title + " (2nd ed.)"), *refs[1:])
    )
    assert fingerprint(dc.replace(library, guide=changed), job, 0) != before


def test_an_exercise_another_sheet_prints_leaves_this_sheet_alone(library):
    other = [e for e in library.exercises if e.id != "cat-cow"][0]
    exercises = tuple(dc.replace(e, name=e.name + " (new)") if e is other else e for e in library.exercises)
    changed = dc.replace(library, exercises=exercises)
    assert fingerprint(changed, SHEET, 0) == fingerprint(library, SHEET, 0)
    assert fingerprint(changed, BOOKLET, 0) != fingerprint(library, BOOKLET, 0)


# -- shards ------------------------------------------------------------------------------------


def test_parse_shard():
    assert parse_shard(None) is None
    assert parse_shard("2/4") == (2, 4)
    for bad in ("0/4", "5/4", "1", "a/b", "1/0"):
        with pytest.raises(UsageProblem, match="--shard"):
            parse_shard(bad)


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_shards_split_the_outputs_into_parts_that_cover_them_once(library, n):
    targets = [j.target for j in plan_build(library, ["en", "sv"], "a4", True, nested=True)]
    owners = {t: [k for k in range(1, n + 1) if in_shard(t, (k, n))] for t in targets}
    assert all(len(o) == 1 for o in owners.values())
    assert all(in_shard(t, None) for t in targets)


def test_a_shard_is_stable_and_not_all_in_one_part(library):
    targets = [j.target for j in plan_build(library, ["en"], "a4", False, nested=False)]
    first = [t for t in targets if in_shard(t, (1, 2))]
    assert first == [t for t in targets if in_shard(t, (1, 2))]
    assert 0 < len(first) < len(targets)


# -- CSV ----------------------------------------------------------------------------------------

HEADER = "patient,clinician,date,exercises,per_week,weeks,notes\n"


def _rows(tmp_path, library, text, name="p.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return read_rows(path, library)


def test_a_good_row_becomes_a_programme(tmp_path, library):
    (row,) = _rows(
        tmp_path,
        library,
        HEADER + "Ann Example,Sam Physio,2026-12-01,cat-cow:2x10;wall-angels,3,6,Go gently.\n",
    )
    p = row.program
    assert (row.line, p.patient, p.clinician, p.start, p.per_week, p.weeks, p.notes) == (
        2,
        "Ann Example",
        "Sam Physio",
        "2026-12-01",
        3,
        6,
        "Go gently.",
    )
    assert [(c.id, c.rx) for c in p.exercises] == [
        ("cat-cow", Prescription(sets=2, reps=10)),
        ("wall-angels", Prescription()),
    ]


def test_a_row_reports_every_problem_at_the_line_it_starts_on(tmp_path, library):
    text = HEADER + 'Ann,Sam,2026-12-01,cat-cow,3,6,"one\ntwo\nthree"\nBo,Sam,someday,no-such,x,6,\n'
    good, bad = _rows(tmp_path, library, text)
    assert good.program.notes == "one two three"
    assert bad.program is None and bad.line == 5
    for part in ("p.csv:5", "date", "exercises", "no exercise with id 'no-such'", "per_week"):
        assert part in bad.error


def test_semicolons_tabs_blank_rows_and_trailing_empty_columns(tmp_path, library):
    text = HEADER.replace(",", ";").rstrip("\n") + ";;\n\nAnn;Sam;2026-12-01;cat-cow;3;6;;;\n;;;;;;;;\n"
    (row,) = _rows(tmp_path, library, text)
    assert row.program.patient == "Ann" and row.line == 3
    (tab,) = _rows(
        tmp_path, library, HEADER.replace(",", "\t") + "Ann\tSam\t2026-12-01\tcat-cow\t3\t6\t\n", "t.csv"
    )
    assert tab.program.exercises[0].id == "cat-cow"


@pytest.mark.parametrize(
    "cell, message",
    [
        ("cat-cow:2x", "expected id, id:3x10 or id:hold=30"),
        ("cat-cow:0x10", "sets: must be from"),
        ("cat-cow:hold=ten", "expected id"),
        ("cat-cowe", "did you mean 'cat-cow'"),
    ],
)
def test_the_exercises_cell(library, cell, message):
    with pytest.raises(Exception, match=message):
        parse_exercises(cell, library)


def test_output_names_are_unique_whatever_the_case(tmp_path, library):
    text = HEADER + "".join(
        f"{p},Sam,2026-12-01,cat-cow,3,6,\n" for p in ("Ann Example", "ann example", "Ann Example")
    )
    names = output_names(_rows(tmp_path, library, text))
    assert len({n.lower() for n in names}) == 3
