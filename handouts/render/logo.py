"""The brand logo, on every page of every document: an SVG logo is drawn once, its drawing kept.

An SVG logo is read with svglib (which brings lxml: about 30 ms of a cold run) and drawn through
reportlab once per process; its operators are then written again on every page (a
``ReplayedDrawing``), and kept in the cache folder (handouts/figures/kept.py) keyed by the logo
file's content and its size on the page, so the next run writes them without reading the SVG at
all: the same operators, so the same bytes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from reportlab.platypus import Image

from handouts.figures import render as figures
from handouts.figures.images import load_svg
from handouts.perthread import per_thread
from handouts.render.theme import Theme

#: A logo file larger than this is drawn, never kept (the checks refuse far smaller SVGs).
MAX_SOURCE = 16 * 1024 * 1024


def logo_drawing(theme: Theme, size: float):
    """The brand logo scaled to ``size`` points square, or None."""
    path = theme.brand.logo
    if path is None:
        return None
    return _logo(str(path), size)


def _logo(path: str, size: float):
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)  # an edited logo is read again
    except OSError:
        stamp = (None, None)
    return _made(path, size, *stamp)


@per_thread(maxsize=32)
def _made(path: str, size: float, mtime_ns, length):
    """The logo's flowable, made once per thread (a flowable holds the canvas while it draws: two
    threads never share one) for each file, size and the file's modification time and length."""
    return _svg_logo(path, size) if path.lower().endswith(".svg") else _bitmap_logo(path, size)


def forget() -> None:
    """Forget this thread's logos (for tests)."""
    _made.cache_clear()


def _bitmap_logo(path: str, size: float):
    return Image(path, width=size, height=size, kind="proportional")


def _svg_logo(path: str, size: float):
    def draw():
        d = load_svg(Path(path))
        s = size / max(d.width, d.height)
        d.scale(s, s)
        d.width, d.height = d.width * s, d.height * s
        return d

    # drawn on every page of every document: worked out once, then replayed (and kept, by content)
    source = _source_digest(path)
    if source is None:  # unreadable or too large to hash: drawn (load_svg reports the problem)
        return figures.replayed(draw(), "logo", path, size)
    return figures.kept_drawing(f"logo\0{source}\0{size!r}", draw)


def _source_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_SOURCE + 1)
    except OSError:
        return None  # load_svg reports it
    return hashlib.sha256(data).hexdigest() if len(data) <= MAX_SOURCE else None
