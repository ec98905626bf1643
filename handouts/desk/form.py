"""The desk's form as a programme file, and the programme's problems as form fields.

The form becomes the YAML text of a programme file; that text is checked with
:func:`handouts.read.programme.loads_program` and rendered as it is, so the PDF the desk
gives and the file it saves make the same PDF by construction. A problem's key path
(``exercises[1].reps``) names the field it is shown beside, in the CLI's words.
"""

from __future__ import annotations

import re
from dataclasses import field

import yaml

from handouts import api
from handouts.errors import HandoutsError, ValidationError
from handouts.model import Library
from handouts.read.programme import loads_program
from handouts.records import record

HEADER = (
    "# A home-exercise programme for one patient, made at the desk.\n"
    "# handouts program THIS-FILE.yaml writes the same PDF.\n"
)
DOSE_FIELDS = ("sets", "reps", "hold")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]{0,8})")
_EXERCISE = re.compile(r"exercises\[(\d+)\](?:\.(\w+))?$")
_MISSING = re.compile(r"missing required key '(\w+)'")
#: top-level keys whose field has the same name
_TOP = {
    "patient": "patient",
    "clinician": "clinician",
    "clinician.name": "clinician",
    "clinician.contact": "contact",
    "start": "start",
    "review": "review",
    "weeks": "weeks",
    "per_week": "per_week",
    "notes": "notes",
    "lang": "lang",
    "paper": "paper",
    "large_print": "large_print",
    "exercises": "exercises",
}


def _number(value: str):
    """A whole number as YAML would read it from plain digits; anything else stays text,
    so the programme check reports it in its own words."""
    return int(value) if _NUMBER.fullmatch(value) else value


def chosen_ids(form, lib: Library) -> list[str]:
    return [i for i in lib.ids if form.get(f"ex-{i}")]


def programme_text(form, lib: Library) -> str:
    """The programme file for the form's values (a mapping of field name to text)."""

    def get(name: str) -> str:
        return (form.get(name) or "").strip()

    data: dict = {}
    if get("patient"):
        data["patient"] = get("patient")
    clinician = {}
    if get("clinician"):
        clinician["name"] = get("clinician")
    if get("contact"):
        clinician["contact"] = get("contact")
    data["clinician"] = clinician
    for key in ("start", "review"):
        if get(key):
            data[key] = get(key)
    for key in ("weeks", "per_week"):
        if get(key):
            data[key] = _number(get(key))
    if get("notes"):
        data["notes"] = get("notes")
    data["lang"] = get("lang") or lib.document.language
    data["paper"] = get("paper") or "a4"
    data["large_print"] = bool(form.get("large_print"))
    items = []
    for i in chosen_ids(form, lib):
        item: dict = {"id": i}
        for key in DOSE_FIELDS:
            if get(f"{key}-{i}"):
                item[key] = _number(get(f"{key}-{i}"))
        if get(f"sides-{i}"):
            item["sides"] = get(f"sides-{i}")
        if get(f"notes-{i}"):
            item["notes"] = get(f"notes-{i}")
        items.append(item if len(item) > 1 else i)
    data["exercises"] = items
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return HEADER + body


@record(frozen=False)
class Errors:
    """Problems by form field (the CLI's message), and every problem for the summary."""

    fields: dict[str, str] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)  # (field or "", "key.path: message")

    def add(self, name: str, message: str, path: str = "") -> None:
        self.fields.setdefault(name, message)
        self.summary.append((name, f"{path}: {message}" if path else message))

    def __bool__(self) -> bool:
        return bool(self.summary)

    def as_json(self) -> dict:
        return {
            "ok": not self,
            "fields": self.fields,
            "summary": [{"field": f, "message": m} for f, m in self.summary],
        }


def field_of(path: str, message: str, ids: list[str]) -> str:
    """The form field a problem's key path names ('' when none)."""
    if path in ("", "(top level)"):
        m = _MISSING.search(message)
        return _TOP.get(m.group(1), "") if m else ""
    if path in _TOP:
        return _TOP[path]
    m = _EXERCISE.match(path)
    if m and int(m.group(1)) < len(ids):
        eid = ids[int(m.group(1))]
        key = m.group(2)
        if key is None or key == "id":
            return f"ex-{eid}"
        return f"{key}-{eid}"
    return ""


def check(form, lib: Library) -> tuple[str, Errors, object]:
    """The programme text, its problems by field, and the programme (None when it has problems)."""

    text = programme_text(form, lib)
    errors = Errors()
    ids = chosen_ids(form, lib)
    try:
        prog = loads_program(text, lib)
    except ValidationError as exc:
        for p in exc.problems:
            m = _EXERCISE.match(p.path)
            where = p.path
            if m and int(m.group(1)) < len(ids):  # name the exercise, as the clinician knows it
                where = f"{lib.exercise(ids[int(m.group(1))]).name} ({p.path})"
            errors.add(field_of(p.path, p.message, ids), p.message, where)
        return text, errors, None
    try:
        api.localised(lib, prog.language or lib.document.language)
    except HandoutsError as exc:
        errors.add("lang", exc.format_message(), "lang")
        return text, errors, None
    return text, errors, prog
