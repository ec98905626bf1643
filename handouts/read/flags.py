"""The quick one-off personalisation of ``handouts sheet`` (--patient, --reps, ...): the command
line's values checked like a programme file's, each problem named by its option."""

from __future__ import annotations

from handouts.errors import UsageProblem
from handouts.glyphs import cannot_draw
from handouts.i18n import labels
from handouts.model import Library, Prepared, Prescription, Range, Schedule


def personalise(
    lib: Library,
    lang: str = "en",
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
    """A sheet's personal part (rx, prepared, schedule) from the quick one-off sheet options of
    ``handouts sheet``; each value checked as the command line gave it."""
    given = [patient, clinician, date, sets, reps, hold, per_week, weeks, note]
    if all(v is None for v in given):
        return {}
    # lazy: the shapes and the field checks, only for a sheet that is personalised
    from handouts.read import shapes as S
    from handouts.read.fields import CONTROL

    if patient is None:
        raise UsageProblem("--patient is required to personalise a sheet")
    for flag, value, limit in (
        ("--patient", patient, S.PROGRAM["patient"].max_len),
        ("--clinician", clinician, S.CLINICIAN["name"].max_len),
        ("--note", note, S.CHOSEN["notes"].max_len),
    ):
        if value is None:
            continue
        if len(value) > limit:
            raise UsageProblem(f"{flag}: at most {limit} characters are allowed, got {len(value)}")
        bad = CONTROL.search(value)
        if bad:
            raise UsageProblem(f"{flag}: control character U+{ord(bad.group()):04X} is not allowed")
        problem = cannot_draw(value)
        if problem is not None:
            raise UsageProblem(f"{flag}: {problem}")
    p = lib.programme
    schedule = Schedule(
        Range(per_week, per_week) if per_week else p.per_week, Range(weeks, weeks) if weeks else p.weeks
    )
    iso = date.date().isoformat() if date else None
    return {
        "rx": Prescription(sets=sets, reps=reps, hold=hold, notes=note, personal=True),
        "prepared": Prepared(patient, clinician or "", labels(lang).date(iso) if iso else ""),
        "schedule": schedule,
    }
