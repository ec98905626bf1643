"""Batch programmes from a CSV export: one PDF per row, bad rows reported, good rows built."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from handouts.checker import did_you_mean
from handouts.compose import Prescription
from handouts.errors import UsageProblem
from handouts.loader import read_text
from handouts.model import Library
from handouts.paths import safe_file_name
from handouts.program import BOUNDS, Chosen, Program

REQUIRED = ("patient", "clinician", "date", "exercises")
OPTIONAL = ("per_week", "weeks", "notes", "file", "paper", "contact", "review", "lang", "large_print")
SPEC = re.compile(r"^(?P<id>[a-z0-9-]+)(?::(?:(?P<sets>\d+)x(?P<reps>\d+)|hold=(?P<hold>\d+)))?$")


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(f"{column}: {message}")


@dataclass(frozen=True)
class Row:
    line: int
    program: Program | None
    file: str | None
    error: str | None = None


def _int(value: str, column: str) -> int:
    low, high = BOUNDS[column]
    if not re.fullmatch(r"\d+", value.strip()):
        raise RowError(column, f"expected a whole number, got {value!r}")
    n = int(value)
    if not low <= n <= high:
        raise RowError(column, f"must be from {low} to {high}, got {n}")
    return n


def parse_exercises(value: str, lib: Library) -> tuple[Chosen, ...]:
    out = []
    for part in [p.strip() for p in value.split(";") if p.strip()] or [""]:
        m = SPEC.match(part)
        if not m:
            raise RowError("exercises", f"expected id, id:3x10 or id:hold=30, got {part!r}")
        eid = m["id"]
        if eid not in lib.ids:
            raise RowError("exercises", f"no exercise with id '{eid}'{did_you_mean(eid, lib.ids)}")
        kw = {}
        if m["sets"]:
            kw = {"sets": _int(m["sets"], "sets"), "reps": _int(m["reps"], "reps")}
        if m["hold"]:
            kw = {"hold": _int(m["hold"], "hold")}
        out.append(Chosen(eid, Prescription(**kw)))
    return tuple(out)


def _text(row: dict, column: str, required: bool = False) -> str | None:
    value = (row.get(column) or "").strip()
    if not value:
        if required:
            raise RowError(column, "must not be empty")
        return None
    bad = re.search(r"[\x00-\x1f\x7f]", value)
    if bad:
        raise RowError(column, f"control character U+{ord(bad.group()):04X} is not allowed")
    from handouts import glyphs

    ch = glyphs.missing(value)
    if ch is not None:
        raise RowError(column, f"the font cannot draw {ch!r} (U+{ord(ch):04X})")
    return value


def _date(row: dict, column: str, required: bool) -> str | None:
    import datetime as dt

    value = _text(row, column, required)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise RowError(column, f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _language(row: dict) -> str | None:
    from handouts.i18n import language_code

    value = _text(row, "lang")
    if value is None:
        return None
    try:
        return language_code(value, "lang")
    except UsageProblem:
        raise RowError("lang", f"expected a language code such as 'en' or 'sv', got {value!r}") from None


def _flag(row: dict, column: str) -> bool:
    value = (row.get(column) or "").strip().lower()
    if value in ("", "no", "false", "0", "n"):
        return False
    if value in ("yes", "true", "1", "y"):
        return True
    raise RowError(column, f"expected yes or no, got {value!r}")


def row_program(row: dict, lib: Library) -> Program:
    if None in row:
        raise RowError("(row)", f"{len(row[None])} more field(s) than the header has columns")
    missing = [k for k, v in row.items() if v is None]
    if missing:
        raise RowError(missing[0], "missing: the row has fewer fields than the header")
    paper = _text(row, "paper")
    if paper is not None and paper.lower() not in ("a4", "letter"):
        raise RowError("paper", f"expected a4 or letter, got {paper!r}")
    pw = row.get("per_week", "").strip()
    wk = row.get("weeks", "").strip()
    return Program(
        patient=_text(row, "patient", True),
        clinician=_text(row, "clinician", True),
        clinician_contact=_text(row, "contact"),
        start=_date(row, "date", True),
        review=_date(row, "review", False),
        weeks=_int(wk, "weeks") if wk else lib.programme.weeks.high,
        per_week=_int(pw, "per_week") if pw else lib.programme.per_week.high,
        notes=_text(row, "notes"),
        exercises=parse_exercises(row.get("exercises") or "", lib),
        paper=paper.lower() if paper else None,
        language=_language(row),
        large_print=_flag(row, "large_print"),
    )


def safe_name(name: str) -> str:
    return safe_file_name(name)


def read_rows(path: Path, lib: Library) -> list[Row]:
    """Every row as a Program or an error; a file-level problem is a UsageProblem."""
    text = read_text(path, str(path))
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise UsageProblem(f"{path}: the file is empty")
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        raise UsageProblem(
            f"{path}:1: the header has no comma, semicolon or tab between the column names; "
            f"separate the columns with one of them (found {first.strip()[:80]!r})"
        )
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        for column in header:
            if header.count(column) > 1:
                raise UsageProblem(
                    f"{path}:1: column {column!r} is given twice; each column may appear only once"
                )
        for column in header:
            if column not in REQUIRED + OPTIONAL:
                raise UsageProblem(
                    f"{path}:1: unknown column {column!r}{did_you_mean(column, REQUIRED + OPTIONAL)}; "
                    f"the columns are {', '.join(REQUIRED + OPTIONAL)}"
                )
        for column in REQUIRED:
            if column not in header:
                raise UsageProblem(f"{path}:1: missing column {column!r} (found: {', '.join(header)})")
        rows = []
        for record in reader:
            line = reader.line_num
            try:
                prog = row_program(record, lib)
                rows.append(Row(line, prog, (record.get("file") or "").strip() or None))
            except RowError as exc:
                rows.append(Row(line, None, None, f"{path}:{line}: {exc}"))
        return rows
    except csv.Error as exc:
        # the reader has not counted the line it was reading when it failed
        raise UsageProblem(f"{path}:{reader.line_num + 1}: malformed CSV: {exc}") from None


def output_names(rows: list[Row]) -> list[str | None]:
    """A safe, distinct file name per good row; repeats get -2, -3 (linear in the number of rows)."""
    taken: set[str] = set()
    next_n: dict[str, int] = {}
    names: list[str | None] = []
    for r in rows:
        if r.program is None:
            names.append(None)
            continue
        base = safe_name(r.file or f"{r.program.patient}-{r.program.start}")
        key = base.lower()
        name = base
        if key in taken:
            n = next_n.get(key, 2)
            while True:
                name = base.removesuffix(".pdf") + f"-{n}.pdf"
                n += 1
                if name.lower() not in taken:
                    break
            next_n[key] = n
        taken.add(name.lower())
        names.append(name)
    return names
