"""Load YAML into a tree of nodes that remember their line and column.

Safe loading only: no tags are constructed, aliases and anchors are refused,
nesting depth and file size are capped, and duplicate keys are reported. The
result is plain data for :mod:`handouts.read.library`, never Python objects.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import field
from pathlib import Path

from handouts import records
from handouts.errors import Problem, ValidationError
from handouts.read import record


def _yaml():
    """PyYAML and its safe loader: libyaml's parser when PyYAML was built with it (the wheels are);
    the same events, much faster."""
    import yaml  # lazy: a run whose library comes from the cache parses no YAML

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 40

_TAGS = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "whole number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "true/false value",
    "tag:yaml.org,2002:null": "nothing (null)",
    "tag:yaml.org,2002:timestamp": "date",
}


@records.record(frozen=False)
class Node:
    """A YAML node: ``kind`` is ``map``, ``seq`` or ``scalar``."""

    kind: str
    line: int
    col: int
    value: object = None
    #: for scalars: text, whole number, number, true/false value, nothing (null), date
    type: str = "text"
    #: for scalars: True when quoted or a block scalar (so never YAML 1.1 magic)
    quoted: bool = False
    #: for maps: the node of each key, for positions of key errors
    keys: dict[str, Node] = field(default_factory=dict)

    def describe(self) -> str:
        if self.kind == "map":
            return "a mapping"
        if self.kind == "seq":
            return "a list"
        if self.type == "nothing (null)":
            return "nothing"
        return f"{self.type} {self.value!r}" if self.type != "text" else repr(self.value)


def _mark(m) -> tuple[int, int]:
    return m.line + 1, m.column + 1


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        len(raw) > 1 and (raw[0] == 0 or raw[1] == 0)
    ):
        raise _problem(name, 1, 1, "the file is UTF-16; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        byte = raw[exc.start]
        raise _problem(
            name, line, col, f"not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8"
        ) from None


def read_text(path: Path, name: str | None = None, limit: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file with a size cap, as a user-facing error if it cannot."""
    name = name or str(path)
    try:
        # Only a regular file: a FIFO or a device would hang or never end.
        if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode):
            what = "a folder" if os.path.isdir(path) else "not a regular file (a pipe or a device?)"
            raise _problem(name, None, None, f"is {what}; name a file")
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
    except FileNotFoundError:
        raise _problem(name, None, None, "no such file") from None
    except IsADirectoryError:
        raise _problem(name, None, None, "is a folder, not a file") from None
    except OSError as exc:
        raise _problem(name, None, None, f"cannot read: {exc.strerror}") from None
    if len(raw) > limit:
        raise _problem(name, None, None, f"the file is larger than {limit // (1024 * 1024)} MiB")
    record.note(path, raw)
    return _decode(raw, name)


def _check_events(text: str, name: str) -> None:
    """Refuse aliases, anchors and deep nesting before anything is composed."""
    yaml, loader = _yaml()
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line, col = _mark(event.start_mark)
            raise _problem(
                name, line, col, "YAML anchors and aliases are not allowed; write the value out in full"
            )
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _mark(event.start_mark)
                raise _problem(name, line, col, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _convert(node, name: str, problems: list[Problem], path: str) -> Node:
    yaml, _ = _yaml()
    line, col = _mark(node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        return Node(
            "scalar",
            line,
            col,
            value=node.value,
            type=_TAGS.get(node.tag, "text"),
            quoted=node.style is not None and node.style != "",
        )
    if isinstance(node, yaml.SequenceNode):
        items = [_convert(v, name, problems, f"{path}[{i}]") for i, v in enumerate(node.value)]
        return Node("seq", line, col, value=items)
    out: dict[str, Node] = {}
    keys: dict[str, Node] = {}
    for knode, vnode in node.value:
        kline, kcol = _mark(knode.start_mark)
        if not isinstance(knode, yaml.ScalarNode):
            problems.append(Problem(name, kline, kcol, path or "(top level)", "a key must be plain text"))
            continue
        key = knode.value
        child = f"{path}.{key}" if path else key
        if knode.tag == "tag:yaml.org,2002:merge":
            problems.append(Problem(name, kline, kcol, child, "YAML merge keys (<<) are not allowed"))
            continue
        if key in out:
            first = keys[key]
            problems.append(
                Problem(name, kline, kcol, child, f"duplicate key (first given at line {first.line})")
            )
            continue
        keys[key] = Node("scalar", kline, kcol, value=key)
        out[key] = _convert(vnode, name, problems, child)
    return Node("map", line, col, value=out, keys=keys)


def load(path: Path, name: str | None = None) -> tuple[Node, list[Problem]]:
    """Load ``path`` into a :class:`Node` tree and the non-fatal problems found.

    Problems that stop loading altogether raise :class:`ValidationError`; the
    ones that do not (duplicate keys) come back for the validator to report
    with everything else it finds.
    """
    name = name or str(path)
    return loads(read_text(path, name), name)


#: Characters YAML refuses outright; the loader stands each in for a private-use
#: character so the validator can name the key that holds it (see checker.control_name).
RAW_CONTROL_BASE = 0xF700
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def loads(text: str, name: str) -> tuple[Node, list[Problem]]:
    text = _RAW_CONTROL.sub(lambda m: chr(RAW_CONTROL_BASE + ord(m.group())), text)
    yaml, loader = _yaml()
    try:
        _check_events(text, name)
        composed = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _mark(mark) if mark else (None, None)
        msg = exc.problem or str(exc)
        if "nesting depth" in msg:
            raise _problem(name, line, col, f"nested more than {MAX_DEPTH} levels deep") from None
        if exc.context and "found" in (exc.problem or ""):
            msg = f"{exc.context}, {exc.problem}"
        raise _problem(name, line, col, f"YAML syntax: {msg}") from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        mark = getattr(exc, "position", None)
        line = col = None
        if mark is not None:
            line = text.count("\n", 0, mark) + 1
            col = mark - (text.rfind("\n", 0, mark) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc)
        ch = getattr(exc, "character", None)
        if ch is not None:
            code = ch if isinstance(ch, int) else ord(ch)  # PyYAML gives the code point as an int
            reason = f"control character U+{code:04X} is not allowed"
        raise _problem(name, line, col, reason) from None
    if composed is None:
        raise _problem(name, 1, 1, "the file is empty")
    problems: list[Problem] = []
    root = _convert(composed, name, problems, "")
    return root, problems


def _problem(name: str, line: int | None, col: int | None, message: str) -> ValidationError:
    """The error for a file that cannot be read as a whole: one problem, at a place if known."""
    return ValidationError([Problem(name, line, col, "", message)], name)
