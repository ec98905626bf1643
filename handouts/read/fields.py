"""Typed reads of loaded YAML nodes that collect every problem instead of stopping.

Each read returns the value or None; what was wrong goes into ``problems``
(or ``warnings``) with file, line, column and key path.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import unicodedata
from pathlib import Path

from handouts import glyphs
from handouts.errors import Problem, ValidationError
from handouts.model import Range
from handouts.read import record
from handouts.read import shapes as S
from handouts.read.nodes import RAW_CONTROL_BASE, Node

MAX_TEXT = S.MAX_TEXT
_ID = re.compile(S.ID_PATTERN)
_CONTROL_NAMES = {
    "\x00": "NUL",
    "\t": "tab",
    "\x0c": "form feed",
    "\r": "carriage return",
    "\x1b": "escape",
    "\x7f": "delete",
}


def control_name(ch: str) -> tuple[int, str]:
    """The code point and a readable name of a control character (or its loader stand-in)."""
    code = ord(ch)
    if RAW_CONTROL_BASE <= code < RAW_CONTROL_BASE + 0x100:
        code -= RAW_CONTROL_BASE
    c = chr(code)
    return code, _CONTROL_NAMES.get(c) or unicodedata.name(c, "control character")


CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\uf700-\uf7ff]")


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Checker:
    def __init__(self, name: str, base: Path | None = None):
        self.name = name
        self.base = base
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.texts: list[tuple[Node, str, str]] = []

    # -- reporting ---------------------------------------------------------
    def error(self, node: Node | None, path: str, message: str) -> None:
        line, col = (node.line, node.col) if node is not None else (None, None)
        self.problems.append(Problem(self.name, line, col, path, message))

    def warn(self, node: Node | None, path: str, message: str) -> None:
        line, col = (node.line, node.col) if node is not None else (None, None)
        self.warnings.append(Problem(self.name, line, col, path, message))

    # -- shapes -------------------------------------------------------------
    def mapping(self, node: Node, path: str, required=(), optional=()) -> dict[str, Node] | None:
        if node.kind != "map":
            self.error(
                node, path or "(top level)", f"expected a mapping of keys to values, got {node.describe()}"
            )
            return None
        known = tuple(required) + tuple(optional)
        for key, knode in node.keys.items():
            if key not in known:
                hint = did_you_mean(key, known)
                where = f"{path}.{key}" if path else key
                if hint:
                    self.error(knode, where, f"unknown key{hint}")
                else:
                    self.warn(knode, where, f"unknown key, ignored (known keys: {', '.join(known)})")
        for key in required:
            if key not in node.value:
                self.error(node, path or "(top level)", f"missing required key '{key}'")
        return {k: v for k, v in node.value.items() if k in known}

    def seq(self, node: Node, path: str, min_items: int = 0) -> list[Node] | None:
        if node.kind != "seq":
            self.error(node, path, f"expected a list, got {node.describe()}")
            return None
        if len(node.value) < min_items:
            self.error(
                node, path, "must not be empty" if min_items == 1 else f"needs at least {min_items} items"
            )
        return node.value

    # -- scalars ------------------------------------------------------------
    def text(self, node: Node, path: str, max_len: int = MAX_TEXT) -> str | None:
        if node.kind != "scalar":
            self.error(node, path, f"expected text, got {node.describe()}")
            return None
        if node.type != "text" and not node.quoted:
            self.error(
                node,
                path,
                f"expected text, got {node.type} {node.value!r}; put it in quotes to keep it as text",
            )
            return None
        value = node.value
        if not value.strip():
            self.error(node, path, "must not be empty")
            return None
        bad = CONTROL.search(value)
        if bad:
            code, label = control_name(bad.group())
            self.error(node, path, f"control character U+{code:04X} ({label}) is not allowed in text")
            return None
        if len(value) > max_len:
            self.error(node, path, f"text is {len(value)} characters long; at most {max_len} are allowed")
            return None
        self.texts.append((node, path, value))
        return value

    def integer(self, node: Node, path: str, low: int, high: int, what: str = "a whole number") -> int | None:
        if node.kind != "scalar" or node.type != "whole number" or node.quoted:
            self.error(node, path, f"expected {what}, got {node.describe()}")
            return None
        try:
            value = int(node.value, 0) if not node.value.lstrip("+-").startswith("0") else int(node.value, 10)
        except ValueError:
            self.error(node, path, f"expected {what}, got {node.value!r}; write it in plain digits")
            return None
        if not low <= value <= high:
            self.error(node, path, f"must be from {low} to {high}, got {value}")
            return None
        return value

    def boolean(self, node: Node, path: str) -> bool | None:
        if node.kind != "scalar" or node.type != "true/false value" or node.quoted:
            self.error(node, path, f"expected true or false, got {node.describe()}")
            return None
        return node.value.lower() in ("true", "yes", "on")

    def date(self, node: Node, path: str) -> str | None:
        if node.kind != "scalar" or node.type not in ("text", "date"):
            self.error(node, path, f"expected a date as YYYY-MM-DD, got {node.describe()}")
            return None
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", node.value):
                raise ValueError  # plain ASCII YYYY-MM-DD: no week dates, no other digits
            return _dt.date.fromisoformat(node.value).isoformat()
        except ValueError:
            self.error(node, path, f"expected a date as YYYY-MM-DD, got {node.value!r}")
            return None

    def choice(self, node: Node, path: str, choices) -> str | None:
        value = self.text(node, path)
        if value is not None and value not in choices:
            self.error(
                node,
                path,
                f"expected one of {', '.join(choices)}, got {value!r}{did_you_mean(value, choices)}",
            )
            return None
        return value

    def https_url(self, node: Node, path: str, max_len: int = 300) -> str | None:
        value = self.text(node, path, max_len=max_len)
        if value is None:
            return None
        if not re.match(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/[^\s<>\"]*)?$", value):
            self.error(
                node, path, f"expected an https:// web address, got {value!r}; only https links are allowed"
            )
            return None
        return value

    def asset(self, node: Node, path: str, suffixes) -> Path | None:
        """A file named relative to the library, which must stay inside its folder."""
        value = self.text(node, path, max_len=500)
        if value is None:
            return None
        if Path(value).is_absolute():
            self.error(node, path, f"{value!r} is an absolute path; name the file relative to {self.name}")
            return None
        base = (self.base or Path.cwd()).resolve()
        target = (base / value).resolve()
        if not target.is_relative_to(base):
            self.error(node, path, f"{value!r} is outside the library's folder; assets must stay inside it")
            return None
        if not target.is_file():
            self.error(node, path, f"no such file: {value}")
            return None
        if target.suffix.lower() not in suffixes:
            self.error(node, path, f"expected a {', '.join(suffixes)} file, got {value!r}")
            return None
        record.note(target)  # the cached library is current only while this file is unchanged
        return target

    # -- after the walk -----------------------------------------------------
    def text_list(
        self, node: Node, path: str, min_items: int = 0, max_len: int = MAX_TEXT
    ) -> tuple[str, ...] | None:
        items = self.seq(node, path, min_items)
        if items is None:
            return None
        out = [self.text(n, f"{path}[{i}]", max_len=max_len) for i, n in enumerate(items)]
        return None if None in out else tuple(out)

    def number_range(self, node: Node, path: str, low: int, high: int) -> Range | None:
        if node.kind == "scalar":
            v = self.integer(node, path, low, high)
            return None if v is None else Range(v, v)
        d = self.mapping(node, path, required=("min", "max"))  # the {min, max} of S.range_of
        if d is None or len(d) < 2:
            return None
        lo = self.integer(d["min"], f"{path}.min", low, high)
        hi = self.integer(d["max"], f"{path}.max", low, high)
        if lo is None or hi is None:
            return None
        if lo > hi:
            self.error(node, path, f"min ({lo}) is greater than max ({hi})")
            return None
        return Range(lo, hi)

    def unique_id(self, node: Node, path: str, seen: dict[str, Node]) -> str | None:
        value = self.text(node, path, S.ID.max_len)
        if value is None:
            return None
        if not _ID.fullmatch(value):
            self.error(node, path, f"expected a kebab-case id such as 'wall-angels', got {value!r}")
            return None
        if value in seen:
            self.error(node, path, f"duplicate id '{value}' (first given at line {seen[value].line})")
            return None
        seen[value] = node
        return value

    def refs(self, node: Node, path: str, known, what: str) -> tuple[str, ...] | None:
        items = self.seq(node, path)
        if items is None:
            return None
        out = []
        for i, n in enumerate(items):
            v = self.text(n, f"{path}[{i}]", S.ID_REF.max_len)
            if v is not None and v not in known:
                self.error(n, f"{path}[{i}]", f"no {what} with id '{v}'{did_you_mean(v, known)}")
            elif v is not None:
                out.append(v)
        return tuple(out)

    def finish(self, result, strict: bool = False):
        """``result`` when nothing is wrong; otherwise raise ValidationError with every problem
        (and every warning when ``strict``) in file order. The one end of every reader."""
        problems = sorted(
            self.problems + (self.warnings if strict else []), key=lambda p: (p.line or 0, p.col or 0)
        )
        if problems or result is None:
            if not problems:  # pragma: no cover - a model part failed without saying why
                raise AssertionError("validation failed without a problem")
            raise ValidationError(problems, self.name)
        return result

    def check_glyphs(self) -> None:
        for node, path, value in self.texts:
            problem = glyphs.cannot_draw(value)
            if problem is not None:
                self.error(node, path, problem)
