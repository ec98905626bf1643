"""The brand logo, on every page of every document: an SVG logo is drawn once, its drawing kept.

An SVG logo is read with svglib (which brings lxml: about 30 ms of a cold run) and drawn through
reportlab once per process; its operators are then written again on every page (a
``ReplayedDrawing``). They are also kept in the user's cache folder (handouts/cachedir.py),
keyed by the logo file's content, its size on the page, Handouts' own code and the versions of
the libraries that draw it, so the next run writes them without reading the SVG at all: the same
operators, so the same bytes.

Reading an entry runs no code: checked JSON whose every operator is a number or one of the path,
colour and graphics-state operators a drawing writes (nothing that names a resource, shows text
or an image), its ``q`` and ``Q`` balanced. An entry that is missing, stale, corrupt or odd is
ignored, the SVG is drawn, and the entry written again. ``--no-cache`` turns it off.
"""

from __future__ import annotations

import hashlib
import math
import os
from pathlib import Path

from reportlab.platypus import Image

from handouts import cachedir
from handouts.figures.images import load_svg
from handouts.figures.render import RecordedDrawing, portable, replayed
from handouts.render.theme import Theme

#: Bumped when an entry's layout changes.
FORMAT = 1
#: A logo file larger than this is drawn, never kept (the checks refuse far smaller SVGs).
MAX_SOURCE = 16 * 1024 * 1024

#: (path, size, the file's modification time and size) -> the logo's flowable, for this process.
_LOGOS: dict = {}


def logo_drawing(theme: Theme, size: float):
    """The brand logo scaled to ``size`` points square, or None."""
    path = theme.brand.logo
    if path is None:
        return None
    return _logo(str(path), size)


def _logo(path: str, size: float):
    try:
        st = os.stat(path)
        key = (path, size, st.st_mtime_ns, st.st_size)  # an edited logo is read again
    except OSError:
        key = (path, size, None, None)
    if key not in _LOGOS:
        if len(_LOGOS) > 32:
            _LOGOS.clear()
        _LOGOS[key] = _svg_logo(path, size) if path.lower().endswith(".svg") else _bitmap_logo(path, size)
    return _LOGOS[key]


def _bitmap_logo(path: str, size: float):
    return Image(path, width=size, height=size, kind="proportional")


def _svg_logo(path: str, size: float):
    source = _source_digest(path)
    entry = cachedir.entry_path("drawing", f"logo\0{source}\0{size!r}") if source else None
    kept = _read(entry, source, size) if entry is not None else None
    if kept is not None:
        return RecordedDrawing(*kept)
    d = load_svg(Path(path))
    s = size / max(d.width, d.height)
    d.scale(s, s)
    d.width, d.height = d.width * s, d.height * s
    width, height = d.wrap(0, 0)

    def keep(ops: list[str]) -> None:
        if entry is not None:
            cachedir.write_entry(entry, _entry(source, size, width, height, ops))

    # drawn on every page of every document: worked out once, then replayed
    return replayed(d, "logo", source or path, size, on_record=keep)


def _source_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_SOURCE + 1)
    except OSError:
        return None  # load_svg reports it
    return hashlib.sha256(data).hexdigest() if len(data) <= MAX_SOURCE else None


def _stamp() -> list:
    return [FORMAT, cachedir.code_stamp(), *cachedir.engine_versions()]


def _entry(source: str, size: float, width: float, height: float, ops: list[str]) -> dict:
    return {"stamp": _stamp(), "source": source, "size": size, "width": width, "height": height, "ops": ops}


def _read(entry: Path, source: str, size: float) -> tuple[float, float, list[str]] | None:
    """The kept (width, height, operators) when the entry is current and sound, else None."""
    data = cachedir.read_entry(entry)
    if not isinstance(data, dict) or set(data) != {"stamp", "source", "size", "width", "height", "ops"}:
        return None
    if data["stamp"] != _stamp() or data["source"] != source or data["size"] != size:
        return None
    width, height, ops = data["width"], data["height"], data["ops"]
    for v in (width, height):
        if (
            not isinstance(v, int | float)
            or isinstance(v, bool)
            or not math.isfinite(v)
            or not 0 < v <= 10_000
        ):
            return None
    if not portable(ops) or not ops:
        return None
    return float(width), float(height), ops
