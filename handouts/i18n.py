"""Label catalogues: every fixed word printed on a page, per language."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from functools import lru_cache
from importlib import resources

from handouts.errors import Problem, UsageProblem, ValidationError
from handouts.limits import LANGUAGE_PATTERN
from handouts.records import record


@record
class Labels:
    language: str
    table: dict

    def __call__(self, key: str, **values) -> str:
        if not values:
            return self.table[key]
        # a count of exactly one reads in the singular where the catalogue has a KEY_one form
        # ("once a week", "1 week", "1 second"); any other count or range keeps KEY
        count = values.get("n", values.get("range"))
        if str(count) == "1" and f"{key}_one" in self.table:
            key = f"{key}_one"
        return self.table[key].format(**values)

    def date(self, iso: str) -> str:
        d = _dt.date.fromisoformat(iso)
        return self("date", day=d.day, month=self.table["months"][d.month - 1], year=d.year)

    def range(self, low: int, high: int) -> str:
        return str(low) if low == high else self("range", low=low, high=high)


def language_code(value, where: str = "--lang") -> str:
    """``value`` if it has the shape of a language code ('en', 'sv', 'pt-BR'), else a UsageProblem.

    Codes name files (``exercises.LANG.yaml``, the label catalogues), so nothing else may pass.
    """

    if not isinstance(value, str) or not re.fullmatch(LANGUAGE_PATTERN, value):
        raise UsageProblem(f"{where}: expected a language code such as 'en' or 'sv', got {value!r}")
    return value


def _read(path) -> dict:
    """A catalogue's data: read directly when every line is in the plain subset of YAML the
    catalogues are written in (so a run does not even import YAML), else with libyaml's safe
    loader. Both give the same tables (a test compares them)."""
    raw = path.read_bytes()
    try:
        simple = _simple(raw.decode("utf-8"))
    except UnicodeDecodeError:
        simple = None
    return simple if simple is not None else _parse(raw, path.name)


def _parse(raw: bytes, name: str):
    import yaml  # lazy: a catalogue in the plain subset is read without YAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ValueError(f"{name}: {e}") from e


#: A top-level line (``name: English``, ``labels:``) and a label line (two spaces, then the same).
_TOP = re.compile(r"([a-z_]+):(?:[ ]+(.*))?")
_LABEL = re.compile(r"  ([A-Za-z0-9_]+):[ ]+(.*)")
#: A double-quoted value without escapes, then perhaps a comment.
_QUOTED = re.compile(r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"(?:[ ]+#.*)?')
#: A flow list of plain items, then perhaps a comment (inside brackets, YAML ends a plain item at
#: any of ``,?[]{}``).
_LIST = re.compile(r"\[([^\[\]{}\"'#:?\x00-\x1f\x7f]*)\](?:[ ]+#.*)?")
#: What YAML reads as something other than text (true, no, null, numbers, dates): never plain here.
_NOT_TEXT = re.compile(r"(?i:y|n|yes|no|true|false|on|off|null|~|=|<<)|[-+.]?[0-9].*|[-+]?\.(?i:inf|nan)")
#: Characters YAML reads as line breaks or refuses, a byte-order mark, tabs: never in the subset.
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
#: A plain value: no indicator first, no comment, no mapping, no control character.
_PLAIN = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s](?:(?!: |[ ]#)[^\x00-\x1f\x7f])*")


def _plain_text(value: str) -> str | None:
    value = value.strip(" ")
    if not value or value.endswith(":") or not _PLAIN.fullmatch(value) or _NOT_TEXT.fullmatch(value):
        return None
    return value


def _value(text: str):
    """A label's value as YAML reads it, when written in the plain subset; else None."""
    text = text.rstrip(" ")
    if text.startswith('"'):
        m = _QUOTED.fullmatch(text)
        return m[1] if m else None
    if text.startswith("["):
        m = _LIST.fullmatch(text)
        if not m:
            return None
        items = [_plain_text(item) for item in m[1].split(",")]
        return None if any(item is None or "," in item for item in items) else items
    return _plain_text(text)


def _simple(text: str) -> dict | None:
    """A catalogue written in the plain subset of YAML its files use: top-level ``key: value``
    lines and a ``labels:`` block of ``  key: value`` lines, each value plain text, text in double
    quotes without escapes, or a flow list of plain items; comments and blank lines. Anything
    else (quotes with escapes, several lines, anchors, a value YAML reads as a number or a
    yes/no) gives None, and the file is read as YAML."""
    if _ODD.search(text):
        return None
    data: dict = {}
    labels = None
    for line in text.split("\n"):
        if not line.strip(" ") or line.lstrip(" ").startswith("#"):
            continue
        top = _TOP.fullmatch(line.rstrip(" "))
        if top:
            key, value = top[1], top[2]
            if key in data or _NOT_TEXT.fullmatch(key):
                return None
            if key == "labels" and not value:
                labels = data[key] = {}
                continue
            labels = None  # a top-level key ends the labels
            data[key] = _value(value) if value else None
            if data[key] is None:
                return None
            continue
        label = _LABEL.fullmatch(line)
        if label is None or labels is None or label[1] in labels or _NOT_TEXT.fullmatch(label[1]):
            return None
        labels[label[1]] = _value(label[2])
        if labels[label[1]] is None:
            return None
    return data


@lru_cache(maxsize=8)
def catalogue_digest(language: str = "en") -> str:
    """A hash of the files ``language``'s labels come from (its catalogue, and English's, which
    it must match): what a fingerprint needs, without reading YAML."""
    language_code(language)
    digest = hashlib.sha256()
    for code in dict.fromkeys(("en", language)):
        path = catalogues() / f"{code}.yaml"
        digest.update(path.read_bytes() if path.is_file() else b"(none)")
    return digest.hexdigest()


def catalogues():
    return resources.files("handouts") / "locales"


def available() -> list[str]:
    return sorted(p.name[: -len(".yaml")] for p in catalogues().iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=8)
def labels(language: str = "en") -> Labels:
    """The catalogue for ``language``; a key missing from it is an error naming the key."""

    language_code(language)
    path = catalogues() / f"{language}.yaml"
    if not path.is_file():
        raise ValidationError(
            [
                Problem(
                    str(path.name),
                    None,
                    None,
                    "",
                    f"no label catalogue for language '{language}' (have: {', '.join(available())})",
                )
            ],
            path.name,
        )
    table = _read(path)["labels"]
    if language != "en":
        english = labels("en").table
        missing = [k for k in english if k not in table]
        if missing:
            raise ValidationError(
                [Problem(path.name, None, None, f"labels.{k}", "missing label") for k in missing], path.name
            )
    return Labels(language, table)


def language_name(code: str) -> str:
    """The language's own name from its label catalogue ("Svenska"), else its code."""

    try:
        data = _read(catalogues() / f"{code}.yaml")
        return str(data.get("name") or code)
    except (OSError, ValueError, AttributeError):  # _read gives a YAML error as a ValueError
        return code
