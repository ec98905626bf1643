"""What goes on a page: doses and step wording, resolved for one reader.

Pure functions over the model: no reportlab here. A prescription overrides the
library's dose; every place the dose is printed (the steps and the dose box)
reads it from here, so a page never shows two numbers for the same thing.
"""

from __future__ import annotations

import datetime as _dt

from handouts.i18n import Labels
from handouts.model import DOSE_SPAN, NO_RX, Exercise, Prescription, Range, Schedule, Step


def step_text(step: Step, labels: Labels, rx: Prescription = NO_RX) -> str:
    """The step's words, with any dose the prescription overrides put in its place."""

    def fill(match) -> str:
        field, words = match.groups()
        if field in ("reps", "times") and rx.reps is not None:
            return labels("repetitions" if field == "reps" else "times", n=rx.reps)
        if field == "hold" and rx.hold is not None:
            return labels("seconds", n=rx.hold)
        return words

    return DOSE_SPAN.sub(fill, step.text)


def hold_text(ex: Exercise, labels: Labels, rx: Prescription = NO_RX) -> str | None:
    if rx.hold is not None:
        return labels("seconds", n=rx.hold)
    hold = ex.dose.hold
    if hold is None:
        return None
    if hold.seconds is not None:
        return labels("seconds", n=labels.range(hold.seconds.low, hold.seconds.high))
    return hold.words


def dose_rows(
    ex: Exercise, labels: Labels, schedule: Schedule, rx: Prescription = NO_RX
) -> list[tuple[str, str]]:
    """(label, value) rows of the dose box, in print order."""
    d = ex.dose
    rows: list[tuple[str, str]] = []
    sets = rx.sets if rx.sets is not None else d.sets
    if sets is not None:
        rows.append((labels("dose_sets"), str(sets)))
    reps = rx.reps if rx.reps is not None else d.reps
    if reps is not None:
        rows.append((labels("dose_reps"), str(reps)))
    elif d.repeat:
        rows.append((labels("dose_reps"), d.repeat))
    elif d.duration is None and not rx.personal:
        rows.append((labels("dose_reps"), labels("fill_in")))  # the source gives none: a blank to fill in
    hold = hold_text(ex, labels, rx)
    if hold:
        rows.append((labels("dose_hold"), hold))
    if d.duration:
        rows.append((labels("dose_duration"), d.duration))
    sides = rx.sides or d.sides
    if sides:
        rows.append((labels("dose_sides"), labels(f"dose_sides_{sides}")))
    pw, wk = schedule.per_week, schedule.weeks
    rows.append((labels("dose_how_often"), labels("per_week", range=labels.range(pw.low, pw.high))))
    rows.append((labels("dose_how_long"), labels("weeks", range=labels.range(wk.low, wk.high))))
    return rows


def unprescribed_reps(ex: Exercise, rx: Prescription) -> str | None:
    """Why a patient's page has no number of repetitions for ``ex``, or None when it has one.

    A personalised page never prints a blank: it shows the library's words ("as needed") or
    leaves the row out, and the build says so (see program.read_program and batch.plan_batch).
    """
    d = ex.dose
    if rx.reps is not None or d.reps is not None or d.duration is not None:
        return None
    if d.repeat:
        return f"has no prescribed repetitions; the page prints the library's words, {d.repeat!r}"
    return "has no prescribed repetitions and the library gives none; the page leaves the row out"


def dose_line(ex: Exercise, labels: Labels, rx: Prescription = NO_RX) -> str:
    """The dose on one line for a summary: "2 sets · 12 repetitions · hold 5 seconds"."""
    rows = dose_rows(ex, labels, Schedule(Range(1, 1), Range(1, 1)), rx)[:-2]
    return " · ".join(f"{k}: {v}" for k, v in rows)


def week_dates(labels: Labels, start: str, week: int) -> str:
    """Week ``week``'s dates from the ``start`` date (ISO): "8–14 Dec", "29 Dec–4 Jan"."""
    first = _dt.date.fromisoformat(start) + _dt.timedelta(weeks=week - 1)
    last = first + _dt.timedelta(days=6)
    month = labels.table["months_short"]
    if first.month == last.month:
        return labels("day_span", low=first.day, high=last.day, month=month[first.month - 1])
    return labels(
        "day_span_months",
        low=first.day,
        low_month=month[first.month - 1],
        high=last.day,
        high_month=month[last.month - 1],
    )


def cite_numbers(ref_ids, all_ids) -> str:
    """Reference numbers as a compact list: [1]–[3], [5]."""
    nums = sorted(all_ids.index(r) + 1 for r in ref_ids)
    parts, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(f"[{nums[i]}]" if i == j else f"[{nums[i]}]–[{nums[j]}]")
        i = j + 1
    return ", ".join(parts)
