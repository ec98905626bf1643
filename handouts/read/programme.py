"""A patient's programme file (or the desk's text) read and checked into a model.Program."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from handouts.compose import unprescribed_reps
from handouts.model import Chosen, Library, Prescription, Program
from handouts.read import shapes as S
from handouts.read.fields import Checker, did_you_mean
from handouts.read.nodes import Node, load, loads

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
    program = c.finish(program)
    return dataclasses.replace(program, warnings=tuple(str(w) for w in c.warnings))
