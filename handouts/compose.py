"""What goes on a page: doses and step wording, resolved for one reader.

Pure functions over the model: no reportlab here. A prescription overrides the
library's dose; every place the dose is printed (the steps and the dose box)
reads it from here, so a page never shows two numbers for the same thing.
"""

from __future__ import annotations

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
    elif d.duration is None:
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


def dose_line(ex: Exercise, labels: Labels, rx: Prescription = NO_RX) -> str:
    """The dose on one line for a summary: "2 sets · 12 repetitions · hold 5 seconds"."""
    rows = dose_rows(ex, labels, Schedule(Range(1, 1), Range(1, 1)), rx)[:-2]
    return " · ".join(f"{k}: {v}" for k, v in rows)


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
