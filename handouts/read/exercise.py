"""One exercise of the library: its dose, its steps (whose dose marks must agree with the dose)
and the rest of its fields, read into the model."""

from __future__ import annotations

import re

from handouts import model as m
from handouts.figures.spec import read_pictures
from handouts.read import shapes as S
from handouts.read.fields import Checker
from handouts.read.nodes import Node

#: A step longer than this many characters is more than about three printed lines.
LONG_STEP = 220
NUMBER = re.compile(r"\d+")
EXERCISE_REQUIRED = tuple(S.EXERCISE.required)


def _hold(c: Checker, node: Node, path: str) -> m.Hold | None:
    if node.kind == "scalar" and node.type == "text":
        w = c.text(node, path, S.WORDS.max_len)
        return None if w is None else m.Hold(words=w)
    r = c.number_range(node, path, *S.limits(S.HOLD))
    return None if r is None else m.Hold(seconds=r)


def _dose(c: Checker, node: Node, path: str) -> m.Dose | None:
    d = c.mapping(node, path, **S.DOSE.keys)
    if d is None:
        return None
    kw: dict = {}
    if "reps" in d:
        kw["reps"] = c.integer(d["reps"], f"{path}.reps", *S.limits(S.REPS))
    if "repeat" in d:
        kw["repeat"] = c.text(d["repeat"], f"{path}.repeat", S.DOSE["repeat"].max_len)
    if "hold" in d:
        kw["hold"] = _hold(c, d["hold"], f"{path}.hold")
    if "duration" in d:
        kw["duration"] = c.text(d["duration"], f"{path}.duration", S.DOSE["duration"].max_len)
    if "sides" in d:
        kw["sides"] = c.choice(d["sides"], f"{path}.sides", S.DOSE["sides"].values)
    if "sets" in d:
        kw["sets"] = c.integer(d["sets"], f"{path}.sets", *S.limits(S.SETS))
    if None in kw.values():
        return None
    return m.Dose(**kw)


def _span_value(dose: m.Dose, field: str) -> tuple[bool, list[int] | None, str | None]:
    """Whether the dose has ``field``, its numbers, and its words."""
    if field in ("reps", "times"):
        if dose.reps is not None:
            return True, [dose.reps], None
        return dose.repeat is not None, None, dose.repeat
    if field == "hold":
        if dose.hold is None:
            return False, None, None
        if dose.hold.seconds is not None:
            s = dose.hold.seconds
            return True, sorted({s.low, s.high}), None
        return True, None, dose.hold.words
    return dose.duration is not None, None, dose.duration


def steps(c: Checker, node: Node, path: str, dose: m.Dose | None) -> tuple[m.Step, ...] | None:
    texts = c.text_list(node, path, 1, max_len=S.EXERCISE["steps"].item.max_len)
    if texts is None:
        return None
    items = node.value
    steps = []
    for i, text in enumerate(texts):
        p, n = f"{path}[{i}]", items[i]
        rest = m.DOSE_SPAN.sub("", text)
        if "{" in rest or "}" in rest:
            c.error(n, p, "unbalanced or misplaced brace; mark a dose as {reps:10 repetitions}")
            continue
        if len(m.Step(text).plain()) > LONG_STEP:
            c.warn(n, p, f"step is longer than {LONG_STEP} characters; split it into two steps")
        for match in m.DOSE_SPAN.finditer(text):
            field, words = match.groups()
            if field not in m.SPAN_FIELDS:
                c.error(n, p, f"unknown dose field '{{{field}:'; expected one of {', '.join(m.SPAN_FIELDS)}")
                continue
            if dose is None:
                continue
            has, numbers, dwords = _span_value(dose, field)
            key = (
                ("reps" if dose.reps is not None or dose.repeat is None else "repeat")
                if field in ("reps", "times")
                else field
            )
            if not has:
                c.error(n, p, f"the step states {{{field}:{words}}} but the exercise's dose has no '{key}'")
            elif numbers is not None and [int(x) for x in NUMBER.findall(words)] != numbers:
                shown = "–".join(map(str, numbers))
                c.error(n, p, f"the step says {words!r} but dose.{key} is {shown}; they must agree")
            elif dwords is not None and words != dwords:
                c.error(n, p, f"the step says {words!r} but dose.{key} is {dwords!r}; they must agree")
        steps.append(m.Step(text))
    return tuple(steps) if len(steps) == len(texts) else None


def exercise(c: Checker, node: Node, path: str, seen: dict, faq_ids, ref_ids) -> m.Exercise | None:
    E = S.EXERCISE
    d = c.mapping(node, path, **E.keys)
    if d is None or not set(EXERCISE_REQUIRED) <= d.keys():
        return None
    kw: dict = {
        "id": c.unique_id(d["id"], f"{path}.id", seen),
        "name": c.text(d["name"], f"{path}.name", E["name"].max_len),
        "description": c.text(d["description"], f"{path}.description", E["description"].max_len),
        "starting_position": c.text(
            d["starting_position"], f"{path}.starting_position", E["starting_position"].max_len
        ),
        "dose": _dose(c, d["dose"], f"{path}.dose"),
    }
    kw["steps"] = steps(c, d["steps"], f"{path}.steps", kw["dose"])
    if "also_known_as" in d:
        kw["also_known_as"] = c.text_list(
            d["also_known_as"], f"{path}.also_known_as", max_len=E["also_known_as"].item.max_len
        )
    if "positions" in d:
        kw["positions"] = c.text_list(
            d["positions"], f"{path}.positions", max_len=E["positions"].item.max_len
        )
    if "safety" in d:
        kw["safety"] = c.refs(d["safety"], f"{path}.safety", faq_ids, "FAQ entry")
    if "references" in d:
        kw["references"] = c.refs(d["references"], f"{path}.references", ref_ids, "reference")
    if "video" in d:
        kw["video"] = c.https_url(d["video"], f"{path}.video", E["video"].max_len)
    if "pictures" in d:
        kw["pictures"] = read_pictures(c, d["pictures"], f"{path}.pictures")
    if None in kw.values():
        return None
    return m.Exercise(**kw)
