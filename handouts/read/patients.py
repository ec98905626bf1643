"""A patients CSV export read into programmes: one per row, every problem of a bad row at once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from handouts import glyphs
from handouts.errors import UsageProblem
from handouts.i18n import language_code
from handouts.model import Chosen, Library, Prescription, Program
from handouts.paths import safe_file_name
from handouts.read import shapes as S
from handouts.read.fields import CONTROL, did_you_mean
from handouts.read.nodes import read_text
from handouts.read.programme import BOUNDS
from handouts.records import record

REQUIRED = ("patient", "clinician", "date", "exercises")
OPTIONAL = ("per_week", "weeks", "notes", "file", "paper", "contact", "review", "lang", "large_print")
SPEC = re.compile(r"^(?P<id>[a-z0-9-]+)(?::(?:(?P<sets>\d+)x(?P<reps>\d+)|hold=(?P<hold>\d+)))?$")


#: A CSV export may be large: 64 MiB is some 500,000 rows.
MAX_CSV_BYTES = 64 * 1024 * 1024
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Each column's longest value: the same limits as a programme file (handouts.read.shapes).
TEXT_LIMITS = {
    "patient": S.PROGRAM["patient"].max_len,
    "clinician": S.CLINICIAN["name"].max_len,
    "contact": S.CLINICIAN["contact"].max_len,
    "notes": S.PROGRAM["notes"].max_len,
    "file": 500,
    "exercises": 2000,
}


class RowError(Exception):
    def __init__(self, column: str, message: str):
        self.column = column
        super().__init__(f"{column}: {message}")


class RowErrors(Exception):
    """Every problem of one row."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@record
class Row:
    line: int
    program: Program | None
    file: str | None
    error: str | None = None


def _int(value: str, column: str) -> int:
    low, high = BOUNDS[column]
    if not re.fullmatch(r"[0-9]+", value.strip()):
        raise RowError(column, f"expected a whole number, got {value!r}")
    n = int(value)
    if not low <= n <= high:
        raise RowError(column, f"must be from {low} to {high}, got {n}")
    return n


def parse_exercises(value: str, lib: Library, cache: dict | None = None) -> tuple[Chosen, ...]:
    """The chosen exercises of an ``exercises`` cell; ``cache`` (per file) parses each text once,
    since an export repeats the same few prescriptions row after row."""
    if cache is None:
        return _parse_exercises(value, frozenset(lib.ids))
    if value not in cache:
        ids = cache.setdefault(None, frozenset(lib.ids))
        try:
            cache[value] = (_parse_exercises(value, ids), None)
        except RowError as exc:
            cache[value] = (None, exc)
    chosen, error = cache[value]
    if error is not None:
        raise error
    return chosen


def _parse_exercises(value: str, ids: frozenset) -> tuple[Chosen, ...]:
    out = []
    for part in [p.strip() for p in value.split(";") if p.strip()] or [""]:
        m = SPEC.match(part)
        if not m:
            raise RowError("exercises", f"expected id, id:3x10 or id:hold=30, got {part!r}")
        eid = m["id"]
        if eid not in ids:
            raise RowError("exercises", f"no exercise with id '{eid}'{did_you_mean(eid, sorted(ids))}")
        kw = {}
        if m["sets"]:
            kw = {"sets": _int(m["sets"], "sets"), "reps": _int(m["reps"], "reps")}
        if m["hold"]:
            kw = {"hold": _int(m["hold"], "hold")}
        out.append(Chosen(eid, Prescription(**kw)))
    return tuple(out)


#: Columns where a spreadsheet's line break inside a cell (Alt+Enter) is a space on the page.
MULTILINE = ("notes", "contact")


def _text(row: dict, column: str, required: bool = False) -> str | None:
    value = (row.get(column) or "").strip()
    if column in MULTILINE:
        value = re.sub(r"\s*[\r\n]+\s*", " ", value)
    if not value:
        if required:
            raise RowError(column, "must not be empty")
        return None
    bad = CONTROL.search(value) or re.search("\n", value)  # a line break only where MULTILINE allows
    if bad:
        raise RowError(column, f"control character U+{ord(bad.group()):04X} is not allowed")
    limit = TEXT_LIMITS.get(column, S.MAX_TEXT)
    if len(value) > limit:
        raise RowError(column, f"text is {len(value)} characters long; at most {limit} are allowed")

    problem = glyphs.cannot_draw(value)
    if problem is not None:
        raise RowError(column, problem)
    return value


def _date(row: dict, column: str, required: bool) -> str | None:

    value = (row.get(column) or "").strip()
    if not value:
        if required:
            raise RowError(column, "must not be empty")
        return None
    try:
        if not DATE.fullmatch(value):  # plain ASCII YYYY-MM-DD: no week dates, no other digits
            raise ValueError
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise RowError(column, f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _language(row: dict) -> str | None:

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


def _paper(row: dict) -> str | None:
    paper = _text(row, "paper")
    if paper is not None and paper.lower() not in S.PAPERS:
        raise RowError("paper", f"expected {' or '.join(S.PAPERS)}, got {paper!r}")
    return paper.lower() if paper else None


def row_program(row: dict, lib: Library, cache: dict | None = None) -> Program:
    """The row's programme; every problem of the row is reported at once (RowErrors)."""
    errors: list[RowError] = []

    def read(fn, *args, default=None):
        try:
            return fn(*args)
        except RowError as exc:
            errors.append(exc)
            return default

    def count(column: str, default: int) -> int:
        value = (row.get(column) or "").strip()
        return _int(value, column) if value else default

    values = {
        "patient": read(_text, row, "patient", True),
        "clinician": read(_text, row, "clinician", True),
        "clinician_contact": read(_text, row, "contact"),
        "start": read(_date, row, "date", True),
        "review": read(_date, row, "review", False),
        "weeks": read(count, "weeks", lib.programme.weeks.high),
        "per_week": read(count, "per_week", lib.programme.per_week.high),
        "notes": read(_text, row, "notes"),
        "exercises": read(parse_exercises, row.get("exercises") or "", lib, cache),
        "paper": read(_paper, row),
        "language": read(_language, row),
        "large_print": read(_flag, row, "large_print", default=False),
    }
    read(_text, row, "file")
    start, review = values["start"], values["review"]
    if start and review and review < start:
        errors.append(RowError("review", f"the review date {review} is before the start date {start}"))
    if errors:
        raise RowErrors(errors)
    return Program(**values)


def safe_name(name: str) -> str:
    return safe_file_name(name)


def read_rows(path: Path, lib: Library) -> list[Row]:
    """Every row as a Program or its problems; a file-level problem is a UsageProblem.

    Problems name the line a row starts on (a quoted field may span lines), the column and
    what is wrong, every problem of the row at once.
    """
    text = read_text(path, str(path), limit=MAX_CSV_BYTES)
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise UsageProblem(f"{path}: the file is empty")
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        raise UsageProblem(
            f"{path}:1: the header has no comma, semicolon or tab between the column names; "
            f"separate the columns with one of them (found {first.strip()[:80]!r})"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = _header(path, next(reader))
        rows = []
        cache: dict = {}
        end = reader.line_num
        for record in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # a blank line, or a row of empty cells as spreadsheets export
            rows.append(_row(path, line, header, record, lib, cache))
        return rows
    except csv.Error as exc:
        raise UsageProblem(f"{path}:{reader.line_num}: malformed CSV: {exc}") from None


def _header(path: Path, cells: list[str]) -> list[str]:
    header = [h.strip().lower() for h in cells]
    while header and header[-1] == "":
        header.pop()  # spreadsheets add empty columns after the last one
    for i, column in enumerate(header, 1):
        if column == "":
            raise UsageProblem(f"{path}:1: column {i} has no name; name it or delete it")
        if header.count(column) > 1:
            raise UsageProblem(
                f"{path}:1: column {column!r} is given twice; each column may appear only once"
            )
        if column not in REQUIRED + OPTIONAL:
            raise UsageProblem(
                f"{path}:1: unknown column {column!r}{did_you_mean(column, REQUIRED + OPTIONAL)}; "
                f"the columns are {', '.join(REQUIRED + OPTIONAL)}"
            )
    for column in REQUIRED:
        if column not in header:
            raise UsageProblem(f"{path}:1: missing column {column!r} (found: {', '.join(header)})")
    return header


def _row(path: Path, line: int, header: list[str], record: list[str], lib: Library, cache: dict) -> Row:
    extra = record[len(header) :]
    if any(cell.strip() for cell in extra):
        n = len(record) - len(header)
        return Row(line, None, None, f"{path}:{line}: (row): {n} more field(s) than the header has columns")
    if len(record) < len(header):
        missing = header[len(record)]
        return Row(
            line, None, None, f"{path}:{line}: {missing}: missing: the row has fewer fields than the header"
        )
    fields = dict(zip(header, record, strict=False))
    try:
        prog = row_program(fields, lib, cache)
    except RowErrors as exc:
        return Row(line, None, None, "\n".join(f"{path}:{line}: {e}" for e in exc.errors))
    return Row(line, prog, (fields.get("file") or "").strip() or None)


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
