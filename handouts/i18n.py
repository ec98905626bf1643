"""Label catalogues: every fixed word printed on a page, per language."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from handouts import cachedir
from handouts.errors import Problem, UsageProblem, ValidationError
from handouts.limits import LANGUAGE_PATTERN


@dataclass(frozen=True)
class Labels:
    language: str
    table: dict

    def __call__(self, key: str, **values) -> str:
        text = self.table[key]
        return text.format(**values) if values else text

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
    """A catalogue's data. Kept in the cache folder as JSON for these exact bytes, so a run whose
    catalogues are unchanged does not even import YAML; else read with libyaml's safe loader (the
    same tables, about ten times faster than PyYAML's own) and kept."""
    raw = path.read_bytes()
    source = hashlib.sha256(raw).hexdigest()
    stamp = [KEPT, cachedir.code_stamp()]
    entry = cachedir.entry_path("labels", f"{stamp!r}\0{source}")  # two versions: an entry each
    kept = cachedir.read_entry(entry) if entry is not None else None
    if _current(kept, stamp, source) and _agrees(kept["data"], raw):
        return kept["data"]
    data = _parse(raw, path.name)
    if entry is not None and _plain(data):
        cachedir.write_entry(entry, {"stamp": stamp, "source": source, "data": data})
        cachedir.prune("labels", LIMIT)
    return data


#: Bumped when a kept catalogue's layout changes.
KEPT = 1
#: Catalogues kept (two a version of Handouts, one a language); more, and the oldest go.
LIMIT = 64


def _current(kept, stamp: list, source: str) -> bool:
    """Whether a kept entry is for these bytes and this code, and holds only what YAML gives."""
    return (
        isinstance(kept, dict)
        and set(kept) == {"stamp", "source", "data"}
        and kept["stamp"] == stamp
        and kept["source"] == source
        and isinstance(kept["data"], dict)
        and _plain(kept["data"])
    )


#: A catalogue's label line as written: two spaces, the key, a colon and the rest of the line.
_LABEL_LINE = re.compile(r"^  ([A-Za-z0-9_]+):(.*)$", re.M)
#: A placeholder in a label: ``{name}``.
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
#: Labels that are lists, and how long each is.
_LISTS = {"months": 12, "months_short": 12}


def _agrees(data: dict, raw: bytes) -> bool:
    """Whether a kept catalogue has the shape every run relies on and agrees with the file it was
    read from, checked without reading YAML: its language and name are text; its labels are text,
    or 12 month names; it has exactly the labels the file's lines name, each with the placeholders
    that label's line holds. A catalogue written in another style (a label over several lines) is
    simply never taken from the cache."""
    labels = data.get("labels")
    if set(data) != {"language", "name", "labels"} or not isinstance(labels, dict):
        return False
    if not all(isinstance(data[k], str) for k in ("language", "name")):
        return False
    try:
        lines = dict(_LABEL_LINE.findall(raw.decode("utf-8")))
    except UnicodeDecodeError:
        return False
    if set(lines) != set(labels):
        return False
    for key, value in labels.items():
        if key in _LISTS:
            if (
                not isinstance(value, list)
                or len(value) != _LISTS[key]
                or not all(isinstance(v, str) for v in value)
            ):
                return False
        elif not isinstance(value, str) or set(_PLACEHOLDER.findall(value)) != set(
            _PLACEHOLDER.findall(lines[key])
        ):
            return False
    return True


def _parse(raw: bytes, name: str):
    import yaml  # lazy: a run whose catalogues are kept reads no YAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ValueError(f"{name}: {e}") from e


def _plain(value, depth: int = 0) -> bool:
    """Whether ``value`` is what a catalogue holds: mappings with text keys, lists, text, whole
    numbers, true/false and nothing; no deeper than a catalogue goes."""
    if depth > 8:
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v, depth + 1) for v in value)
    return value is None or isinstance(value, str | bool | int)


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
