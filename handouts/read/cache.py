"""The validated library kept between runs, so a second command skips parsing and validation.

One JSON file per library in the user's cache folder (``$XDG_CACHE_HOME/handouts`` or
``~/.cache/handouts`` on Linux, ``~/Library/Caches/handouts`` on macOS, ``%LOCALAPPDATA%\\handouts\\Cache``
on Windows). An entry holds the model as plain JSON with the hash of every file validation read and
the code that validated it; it is used only when all of them still match, and is otherwise rebuilt.

Reading an entry runs no code: JSON is parsed into plain values and every value is checked against
the model's field types (and bounds) before any object is made; a class is made only from a fixed
list of the model's own dataclasses. An entry that is stale, corrupt, truncated, unreadable, of
another version or with anything unexpected in it (a path outside the library's folder, a huge
number, a wrong type) is ignored and rebuilt. Entries are written atomically and hold only what the
library files say: never anything about a patient. Deleting the folder is always safe.

``HANDOUTS_NO_CACHE=1`` (``handouts --no-cache``) turns the cache off.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import types
import typing
from pathlib import Path

from handouts import model as m
from handouts.cachedir import MAX_ENTRY, code_stamp, enabled, folder, read_entry, write_entry
from handouts.checkedjson import MAX_ITEMS, MAX_TEXT, Refused, number
from handouts.figures import cached
from handouts.figures import model as fm
from handouts.read.record import READ_LIMIT, digest

#: Bumped when the entry's layout changes.
FORMAT = 1
MAX_DEPTH = 30


def _entry_path(path: Path, lang: str | None = None) -> Path | None:
    base = folder()
    if base is None:
        return None
    key = digest(f"{path}\0{path.resolve()}\0{lang or ''}".encode())[:40]
    return base / f"library-{key}.json"


#: Libraries this process read from the cache or validated, with the files they came from:
#: id -> (library, {absolute path: sha256}). A translation is cached only over one of these.
_SOURCES: dict[int, tuple] = {}


def _remember(lib, files: dict[str, str]) -> None:
    if len(_SOURCES) > 32:
        _SOURCES.clear()
    _SOURCES[id(lib)] = (lib, dict(files))


def files_of(lib) -> dict[str, str] | None:
    """The files ``lib`` was read from, when this process read it (from the cache or validated)."""
    known = _SOURCES.get(id(lib))
    return known[1] if known is not None and known[0] is lib else None


# -- the model as JSON --------------------------------------------------------------------------


def _classes() -> dict[str, type]:
    classes = [
        m.Range, m.Hold, m.Dose, m.Step, m.Picture, m.Exercise, m.Section, m.Faq, m.Reference,
        m.UrgentHelp, m.Promotion, m.Colours, m.Brand, m.DocumentInfo, m.Schedule, m.Guide, m.Library,
        fm.Pose, fm.Prop, fm.Arrow, fm.Camera, fm.Figure,
    ]  # fmt: skip
    return {c.__name__: c for c in classes}


_HINTS: dict[type, dict[str, object]] = {}
#: (module, annotation as written) -> the type it names: the model writes few distinct ones
_NAMED: dict[tuple[str, str], object] = {}


def _hints(cls: type) -> dict[str, object]:
    """``typing.get_type_hints`` for a model class's fields (a test compares the two), each
    annotation read once per module instead of once per field."""
    found = _HINTS.get(cls)
    if found is None:
        scope = vars(sys.modules[cls.__module__])
        found = {}
        for f in dataclasses.fields(cls):
            kind = f.type
            if isinstance(kind, str):
                key = (cls.__module__, kind)
                if key not in _NAMED:
                    _NAMED[key] = eval(kind, scope)  # noqa: S307 - the model's own source, never data
                kind = _NAMED[key]
            found[f.name] = kind
        _HINTS[cls] = found
    return found


def encode(value, base: Path):
    """A model value as JSON-ready data; paths relative to the library's folder ``base``."""
    if dataclasses.is_dataclass(value):
        out = {"_t": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = encode(getattr(value, f.name), base)
        return out
    if isinstance(value, Path):
        rel = value.resolve().relative_to(base)  # assets are inside the folder: checked by validation
        return {"_path": rel.as_posix()}
    if isinstance(value, tuple):
        return [encode(v, base) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode(data, hint, base: Path, classes: dict[str, type], depth: int = 0):
    """``data`` checked against the type ``hint`` and made into the model's value."""
    return _decoder(hint, classes)(data, base, depth)


#: A checking decoder for each type hint, worked out once per process (the same checks as reading
#: the hint for every value, a fraction of the time): (hint, the classes' names) -> decoder
_DECODERS: dict = {}


def _decoder(hint, classes: dict[str, type]):
    key = (hint, tuple(classes))
    found = _DECODERS.get(key)
    if found is None:
        found = _DECODERS[key] = _make_decoder(hint, classes)
    return found


def _make_decoder(hint, classes: dict[str, type]):
    """A function ``(data, base, depth)`` that checks ``data`` against ``hint`` and makes the value."""

    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        nullable = type(None) in options
        rest = [opt for opt in options if opt is not type(None)]

        def union(data, base, depth):
            _deeper(depth)
            if data is None and nullable:
                return None
            for opt in rest:
                try:
                    return _decoder(opt, classes)(data, base, depth + 1)
                except Refused:
                    continue
            raise Refused("a value of none of the expected types")

        return union
    if origin is tuple:
        args = typing.get_args(hint)

        def listed(data, base, depth):
            _deeper(depth)
            if not isinstance(data, list) or len(data) > MAX_ITEMS:
                raise Refused("expected a list")
            if len(args) == 2 and args[1] is Ellipsis:
                one = _decoder(args[0], classes)
                return tuple(one(v, base, depth + 1) for v in data)
            if len(args) != len(data):
                raise Refused("a list of the wrong length")
            return tuple(_decoder(a, classes)(v, base, depth + 1) for v, a in zip(data, args, strict=True))

        return listed
    if hint is object:  # Picture.figure: a drawn figure, or None

        def figure(data, base, depth):
            _deeper(depth)
            if data is None:
                return None
            return _decoder(classes["Figure"], classes)(data, base, depth + 1)

        return figure
    plain = _plain_decoder(hint)
    if plain is not None:
        return plain
    if isinstance(hint, type) and hint in classes.values():
        name = hint.__name__
        names = {f.name for f in dataclasses.fields(hint)}
        keys = names | {"_t"}
        order = [f.name for f in dataclasses.fields(hint)]
        fields: list = [None]  # ((name, decoder), ...) made on first use: a class may hold itself

        def made(data, base, depth):
            _deeper(depth)
            if not isinstance(data, dict) or data.get("_t") != name:
                raise Refused(f"expected a {name}")
            if data.keys() != keys:
                raise Refused(f"the fields of a {name} differ")
            found = fields[0]
            if found is None:  # made whole, then published: another thread sees all or nothing
                hints = _hints(hint)
                found = fields[0] = tuple((n, _decoder(hints[n], classes)) for n in order)
            return hint(**{n: one(data[n], base, depth + 1) for n, one in found})

        return made

    def unexpected(data, base, depth):
        _deeper(depth)
        raise Refused(f"an unexpected type {hint!r}")

    return unexpected


def _plain_decoder(hint):
    """The decoder for a plain value's type (true or false, a number, text, a path), or None."""
    if hint is bool:

        def boolean(data, base, depth):
            _deeper(depth)
            if not isinstance(data, bool):
                raise Refused("expected true or false")
            return data

        return boolean
    if hint in (int, float):

        def numeric(data, base, depth):
            _deeper(depth)
            return number(data, hint)

        return numeric
    if hint is str:

        def text(data, base, depth):
            _deeper(depth)
            if not isinstance(data, str) or len(data) > MAX_TEXT:
                raise Refused("expected text")
            return data

        return text
    if hint is Path:

        def path(data, base, depth):
            _deeper(depth)
            return _path(data, base)

        return path
    return None


def _deeper(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise Refused("nested too deep")


def _path(data, base: Path) -> Path:
    if not isinstance(data, dict) or set(data) != {"_path"} or not isinstance(data["_path"], str):
        raise Refused("expected a path")
    rel = data["_path"]
    if (
        not rel
        or len(rel) > 1000
        or "\0" in rel
        or "\\" in rel
        or os.path.isabs(rel)
        or ".." in rel.split("/")
    ):
        raise Refused("a path outside the library's folder")
    target = (base / rel).resolve()
    if not target.is_relative_to(base):
        raise Refused("a path outside the library's folder")
    return target


# -- reading and writing entries ----------------------------------------------------------------


def read(path: Path | str, lang: str | None = None):
    """The cached library of ``path`` (in ``lang`` when given) when its entry is current and sound,
    else None."""
    if not enabled():
        return None
    path = Path(path)
    entry = _entry_path(path, lang)
    if entry is None:
        return None
    try:
        return _check(read_entry(entry), path, lang)  # None when missing, unreadable or corrupt
    except (OSError, ValueError, RecursionError, TypeError, KeyError, AttributeError):
        return None  # stale or hostile: validate again


def usable(path: Path | str, strict: bool = False, lang: str | None = None):
    """The cached library (in ``lang``) when it can stand for validating again, else None: with
    ``strict``, a library with warnings is validated again so they are reported."""
    lib = read(path, lang)
    return None if lib is None or (strict and lib.warnings) else lib


def _check(data, path: Path, lang: str | None):
    base = path.resolve().parent
    if not isinstance(data, dict) or set(data) != {
        "format",
        "code",
        "library",
        "lang",
        "files",
        "model",
        "shapes",
    }:
        return None
    if data["format"] != FORMAT or data["code"] != code_stamp() or data["library"] != str(path.resolve()):
        return None
    if data["lang"] != lang:
        return None
    files = data["files"]
    if not isinstance(files, dict) or not files or len(files) > MAX_ITEMS:
        return None
    for rel, expected in files.items():
        target = _path({"_path": rel}, base)
        with open(target, "rb") as fh:
            if digest(fh.read(READ_LIMIT + 1)) != expected:
                return None
    classes = _classes()
    lib = decode(data["model"], m.Library, base, classes)
    figures = _figures(lib)
    shapes = data["shapes"]
    if not isinstance(shapes, list) or len(shapes) != len(figures):
        return None
    if not all(isinstance(one, str) and len(one) <= MAX_ENTRY for one in shapes):
        return None
    for fig, text in zip(figures, shapes, strict=True):
        cached.SHAPES.setdefault(fig, text)
    # the path as this caller named it (translations and messages are found beside it)
    lib = dataclasses.replace(lib, path=path)
    _remember(lib, {str((base / rel).resolve()): digest for rel, digest in files.items()})
    return lib


def _figures(lib) -> list:
    """Every drawn figure of the library, ``extent`` cleared (the shapes do not depend on it)."""
    return [
        dataclasses.replace(p.figure, extent=None)
        for e in lib.exercises
        for p in e.pictures
        if p.figure is not None
    ]


def _shape_text(fig) -> str:
    known = cached.SHAPES.get(fig)
    if isinstance(known, str):
        return known
    if known is None:
        from handouts.figures.scene import geometry  # lazy: posing imports the readers; only a write needs it

        known = geometry(fig)
    return json.dumps([cached.shape_json(s) for s in known], separators=(",", ":"), allow_nan=False)


def write(path: Path | str, lib, files: dict[str, str], lang: str | None = None) -> None:
    """Keep ``lib``, validated from ``files``, for the next run; any failure is silently skipped."""
    if lang is None:
        _remember(lib, files)
    if not enabled():
        return
    path = Path(path)
    entry = _entry_path(path, lang)
    if entry is None:
        return

    base = path.resolve().parent
    try:
        rel = {}
        for name, digest in files.items():
            p = Path(name)
            if digest == "unreadable" or not p.is_relative_to(base):
                return
            rel[p.relative_to(base).as_posix()] = digest
        data = {
            "format": FORMAT,
            "code": code_stamp(),
            "library": str(path.resolve()),
            "lang": lang,
            "files": rel,
            "model": encode(lib, base),
            "shapes": [_shape_text(fig) for fig in _figures(lib)],
        }
    except (OSError, TypeError, ValueError, ArithmeticError):
        return
    write_entry(entry, data)
