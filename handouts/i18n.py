"""Label catalogues: every fixed word printed on a page, per language."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

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
    """A catalogue's YAML, with libyaml's safe loader where PyYAML has it (the same tables, read
    about ten times faster)."""
    import yaml  # lazy: a build with nothing to do reads no catalogue

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as e:
        raise ValueError(f"{path.name}: {e}") from e


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
