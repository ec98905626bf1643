"""Personalised home-exercise programmes: one patient, the exercises and doses prescribed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from handouts import shapes as S
from handouts.checker import Checker, did_you_mean
from handouts.compose import Prescription, unprescribed_reps
from handouts.errors import ValidationError
from handouts.loader import Node, load, loads
from handouts.model import Library

BOUNDS = {
    k: S.limits(v)
    for k, v in {
        "sets": S.SETS,
        "reps": S.REPS,
        "hold": S.HOLD,
        "weeks": S.WEEKS,
        "per_week": S.PER_WEEK,
    }.items()
}
SIDES = S.SIDES


@dataclass(frozen=True)
class Chosen:
    id: str
    rx: Prescription


@dataclass(frozen=True)
class Program:
    patient: str
    clinician: str
    clinician_contact: str | None
    start: str
    review: str | None
    weeks: int
    per_week: int
    notes: str | None
    exercises: tuple[Chosen, ...]
    language: str | None = None
    paper: str | None = None
    large_print: bool = False
    #: what the build should tell the clinician (file:line:col: key: message), never a patient's data
    warnings: tuple[str, ...] = field(default=(), compare=False)


def check_exercise_id(c: Checker, node: Node | None, path: str, value: str, lib: Library) -> bool:
    if value in lib.ids:
        return True
    c.error(node, path, f"no exercise with id '{value}'{did_you_mean(value, lib.ids)}")
    return False


def _chosen(c: Checker, node: Node, path: str, lib: Library) -> Chosen | None:
    if node.kind == "scalar":
        eid = c.text(node, path, S.ID_REF.max_len)
        if not (eid and check_exercise_id(c, node, path, eid, lib)):
            return None
        _warn_unprescribed(c, node, path, Chosen(eid, Prescription()), lib)
        return Chosen(eid, Prescription())
    d = c.mapping(node, path, **S.CHOSEN.keys)
    if d is None or "id" not in d:
        return None
    eid = c.text(d["id"], f"{path}.id", S.ID_REF.max_len)
    ok = eid is not None and check_exercise_id(c, d["id"], f"{path}.id", eid, lib)
    kw = {k: c.integer(d[k], f"{path}.{k}", *BOUNDS[k]) for k in ("sets", "reps", "hold") if k in d}
    if "sides" in d:
        kw["sides"] = c.choice(d["sides"], f"{path}.sides", SIDES)
    if "notes" in d:
        kw["notes"] = c.text(d["notes"], f"{path}.notes", S.CHOSEN["notes"].max_len)
    if not ok or None in kw.values():
        return None
    chosen = Chosen(eid, Prescription(**kw))
    _warn_unprescribed(c, node, path, chosen, lib)
    return chosen


def _warn_unprescribed(c: Checker, node: Node, path: str, chosen: Chosen, lib: Library) -> None:
    why = unprescribed_reps(lib.exercise(chosen.id), chosen.rx)
    if why is not None:
        c.warn(node, path, f"'{chosen.id}' {why}; add reps: N to prescribe them")


def read_program(c: Checker, root: Node, lib: Library) -> Program | None:
    """The programme, or None with every problem found (present keys are checked even when others are missing)."""
    d = c.mapping(root, "", **S.PROGRAM.keys)
    if d is None:
        return None

    def read(key, fn, *args):
        return fn(d[key], key, *args) if key in d else None

    patient = read("patient", c.text, S.PROGRAM["patient"].max_len)
    cd = c.mapping(d["clinician"], "clinician", **S.CLINICIAN.keys) if "clinician" in d else None
    clinician = (
        c.text(cd["name"], "clinician.name", S.CLINICIAN["name"].max_len) if cd and "name" in cd else None
    )
    contact = (
        c.text(cd["contact"], "clinician.contact", S.CLINICIAN["contact"].max_len)
        if cd and "contact" in cd
        else None
    )
    start = read("start", c.date)
    review = read("review", c.date)
    weeks = read("weeks", c.integer, *BOUNDS["weeks"])
    per_week = read("per_week", c.integer, *BOUNDS["per_week"])
    notes = read("notes", c.text, S.PROGRAM["notes"].max_len)
    lang = read("lang", c.text, S.PROGRAM["lang"].max_len)
    paper = read("paper", c.choice, S.PAPERS)
    large_print = read("large_print", c.boolean)
    items = (c.seq(d["exercises"], "exercises", 1) or []) if "exercises" in d else []
    chosen = [_chosen(c, n, f"exercises[{i}]", lib) for i, n in enumerate(items)]
    if start and review and review < start:
        c.error(d["review"], "review", f"the review date {review} is before the start date {start}")
    if c.problems or None in (patient, clinician, start, weeks, per_week) or not chosen or None in chosen:
        return None
    return Program(
        patient,
        clinician,
        contact,
        start,
        review,
        weeks,
        per_week,
        notes,
        tuple(chosen),
        lang,
        paper,
        bool(large_print),
    )


def load_program(path: Path | str, lib: Library) -> Program:
    """Read and check a programme file; every problem is reported at once (ValidationError)."""
    path = Path(path)
    name = str(path)
    root, problems = load(path, name)
    return _checked(root, problems, name, path.resolve().parent, lib)


def loads_program(text: str, lib: Library, name: str = "programme.yaml") -> Program:
    """Read and check a programme from text (as the desk sends it), exactly as from a file."""
    root, problems = loads(text, name)
    return _checked(root, problems, name, Path.cwd(), lib)


def _checked(root: Node, problems: list, name: str, base: Path, lib: Library) -> Program:
    c = Checker(name, base=base)
    c.problems.extend(problems)
    program = read_program(c, root, lib)
    c.check_glyphs()
    if c.problems or program is None:
        raise ValidationError(sorted(c.problems, key=lambda p: (p.line or 0, p.col or 0)), name)
    return dataclasses.replace(program, warnings=tuple(str(w) for w in c.warnings))
