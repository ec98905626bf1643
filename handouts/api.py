"""The library layer the CLI calls: load, then write documents. No click here."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from handouts.errors import UsageProblem
from handouts.model import Library


@dataclass(frozen=True)
class Options:
    paper: str = "a4"
    language: str = "en"
    large_print: bool = False


def load(config: str, strict: bool = False) -> Library:
    from handouts.validate import load_library

    return load_library(config, strict=strict)


def check_ids(lib: Library, ids) -> None:
    for i in ids:
        if i not in lib.ids:
            close = difflib.get_close_matches(i, lib.ids, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise UsageProblem(f"no exercise with id '{i}'.{hint} Valid ids: {', '.join(lib.ids)}")


def context(lib: Library, opts: Options):
    """The theme and labels for one run, built once."""
    from handouts.i18n import labels
    from handouts.theme import build_theme

    return build_theme(lib.brand, opts.paper, opts.large_print), labels(opts.language)


def write_sheets(lib: Library, ids, targets: list[Path], opts: Options, **kw) -> list[Path]:
    from handouts.sheet import render_sheet
    from handouts.writer import fixed_time, source_date_epoch, write_atomic

    epoch = source_date_epoch(lib.document.last_reviewed)
    theme, labels = context(lib, opts)
    with fixed_time(epoch):
        rendered = [
            (t, render_sheet(lib, lib.exercise(i), theme, labels, **kw))
            for i, t in zip(ids, targets, strict=True)
        ]
    for target, data in rendered:
        write_atomic(target, data)
    return targets


def personalise(
    lib: Library,
    patient=None,
    clinician=None,
    date=None,
    sets=None,
    reps=None,
    hold=None,
    per_week=None,
    weeks=None,
    note=None,
) -> dict:
    """Keyword arguments for write_sheets from the quick one-off sheet options."""
    from handouts.blocks import Prepared
    from handouts.checker import CONTROL
    from handouts.compose import Prescription, Schedule
    from handouts.glyphs import missing
    from handouts.i18n import labels
    from handouts.model import Range

    given = [patient, clinician, date, sets, reps, hold, per_week, weeks, note]
    if all(v is None for v in given):
        return {}
    if patient is None:
        raise UsageProblem("--patient is required to personalise a sheet")
    for flag, value in (("--patient", patient), ("--clinician", clinician), ("--note", note)):
        if value is None:
            continue
        bad = CONTROL.search(value)
        if bad:
            raise UsageProblem(f"{flag}: control character U+{ord(bad.group()):04X} is not allowed")
        ch = missing(value)
        if ch is not None:
            raise UsageProblem(f"{flag}: the font cannot draw {ch!r} (U+{ord(ch):04X})")
    p = lib.programme
    schedule = Schedule(
        Range(per_week, per_week) if per_week else p.per_week, Range(weeks, weeks) if weeks else p.weeks
    )
    iso = date.date().isoformat() if date else None
    return {
        "rx": Prescription(sets=sets, reps=reps, hold=hold, notes=note),
        "prepared": Prepared(patient, clinician or "", labels("en").date(iso) if iso else ""),
        "schedule": schedule,
    }


def write_booklet(lib: Library, target: Path, opts: Options, promo: bool = False) -> Path:
    from handouts.booklet import render_booklet
    from handouts.writer import fixed_time, source_date_epoch, write_atomic

    epoch = source_date_epoch(lib.document.last_reviewed)
    theme, labels = context(lib, opts)
    with fixed_time(epoch):
        data = render_booklet(lib, theme, labels, promo=promo)
    write_atomic(target, data)
    return target


def write_program(lib: Library, program_path: Path, target: Path, paper: str | None = None) -> Path:
    from handouts.program import load_program
    from handouts.writer import write_atomic

    prog = load_program(program_path, lib)
    opts = Options(paper=paper or prog.paper or "a4", language=prog.language or "en")
    write_atomic(target, render_program_bytes(lib, prog, opts))
    return target


def render_program_bytes(lib: Library, prog, opts: Options) -> bytes:
    from handouts.programdoc import render_program
    from handouts.writer import fixed_time, source_date_epoch

    epoch = source_date_epoch(lib.document.last_reviewed)
    theme, labels = context(lib, opts)
    with fixed_time(epoch):
        return render_program(lib, prog, theme, labels)


def write_batch(lib: Library, csv_path: Path, out: Path, paper: str = "a4") -> tuple[list[Path], list[str]]:
    """Build one programme per CSV row. Returns (written files, error messages)."""
    from handouts.batch import output_names, read_rows
    from handouts.errors import HandoutsError
    from handouts.writer import write_atomic

    rows = read_rows(csv_path, lib)
    written, errors = [], []
    for row, name in zip(rows, output_names(rows), strict=True):
        if row.program is None:
            errors.append(row.error)
            continue
        opts = Options(paper=row.program.paper or paper)
        try:
            data = render_program_bytes(lib, row.program, opts)
        except HandoutsError as exc:
            errors.append(f"{csv_path}:{row.line}: {exc.format_message()}")
            continue
        target = out / name
        write_atomic(target, data)
        written.append(target)
    return written, errors
