"""Pagination: laying an exercise's parts onto pages, and sizing its pictures to the room left.

A standard exercise is one page whose pictures grow into spare space or give a little back. An
exercise the theme lets take more pages (large print) is laid out as a deliberate one or two
pages, choosing by these rules, in this order: pictures at least the standard size times the
theme's picture scale; pictures on the same page as the steps that cite them; no page under
half full (except the document's last); fewer pages; larger pictures; the emptiest page fullest.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import field

from reportlab.platypus import Spacer

from handouts.errors import LayoutError
from handouts.i18n import Labels
from handouts.model import NO_RX, Exercise, Library, Prescription, Schedule
from handouts.records import record
from handouts.render.block import MAX_PANEL, MIN_PANEL, PANEL, exercise_parts
from handouts.render.panels import P, Prepared
from handouts.render.para import Paragraph
from handouts.render.theme import Theme
from handouts.text import esc

#: Larger picture sizes a multi-page exercise tries first, as multiples of its least size.
GROW = (1.6, 1.45, 1.3, 1.15, 1.0)


def measure(flowables, width: float) -> float:
    """The height ``flowables`` take stacked in a frame of ``width``."""
    total = 0.0
    prev_after = 0.0
    for i, f in enumerate(flowables):
        _, h = f.wrap(width, 10_000)
        before = f.getSpaceBefore() if i else 0
        total += h + max(before, prev_after) if i else h
        prev_after = f.getSpaceAfter()
    return total


def fit_pictures(build, frame_h: float, theme: Theme) -> list:
    """The flowables ``build(panel_h)`` makes, with picture panels sized to the room left.

    Panels grow into spare space (up to MAX_PANEL) and give back a little (down to
    MIN_PANEL) before a page overflows; type never changes size.
    """
    scale = theme.picture_scale
    size = PANEL * scale
    flowables = build(size)
    height = measure(flowables, theme.frame_width)
    spare = frame_h - height
    if 0 <= spare < 1:  # fits, with less than a point to spare
        return flowables
    panel = min(MAX_PANEL * scale, max(MIN_PANEL * scale, PANEL * scale + spare - 1))
    # A panel's height is not exactly its drawing's: measure again and give back what overflows.
    for _ in range(3):
        if panel != size:  # (a page with room to spare keeps the size it was built at: no growing)
            flowables, size = build(panel), panel
            height = measure(flowables, theme.frame_width)
        over = height - frame_h
        if over <= 0 or panel <= MIN_PANEL * scale:
            break
        panel = max(MIN_PANEL * scale, panel - over - 1)
    return flowables


@record(frozen=False)
class Parts:
    """Content for up to ``max_pages`` pages, broken only between parts.

    ``build(panel_h)`` makes the parts; ``panels`` are the picture sizes to try, largest first.
    """

    build: object
    panels: tuple[float, ...]
    max_pages: int = 1
    continued: list = field(default_factory=list)  # flowables that open a continuation page
    #: which part holds the steps, the pictures and the safety panel (None: no such part; a negative
    #: index counts from the end)
    steps: int | None = None
    pictures: int | None = None
    safety: int | None = None
    #: what the steps' page says when the safety panel is over the page
    pointer: list = field(default_factory=list)
    #: whether the last page may be under half full (it ends the document)
    ends_document: bool = True
    #: the least picture size the rules ask for
    least_panel: float = 0.0
    #: how many trailing parts follow the exercise (the urgent-help box): a multi-page exercise
    #: may take one page more for them
    tail: int = 0


def _overflow(name: str, theme: Theme, over: float, pages: str = "one") -> LayoutError:
    return LayoutError(
        f"the {name} does not fit on {pages} {theme.paper.upper()} page{'' if pages in ('one', 'any') else 's'}: "
        "it is "
        f"{math.ceil(over / 72 * 25.4)} mm ({math.ceil(over)} pt) too long; shorten its text or split a step"
    )


def _splits(n: int, pages: int):
    """Every way to cut ``n`` parts, in order, into ``pages`` non-empty runs."""
    for cuts in itertools.combinations(range(1, n), pages - 1):
        bounds = (0, *cuts, n)
        yield [list(range(a, b)) for a, b in itertools.pairwise(bounds)]


def _candidates(spec: Parts, frame_h: float, theme: Theme, limit: int):
    """Every layout within ``limit`` pages at every picture size, with its score (higher wins)."""
    w = theme.frame_width
    cont_h = measure(spec.continued, w) if spec.continued else 0.0
    pointer_h = measure(spec.pointer, w) if spec.pointer else 0.0
    for panel in spec.panels:
        parts = spec.build(panel)
        heights = [measure(p, w) if p else 0.0 for p in parts]
        safety = _index(spec.safety, len(parts))
        for pages in range(1, min(limit, len(parts)) + 1):
            for split in _splits(len(parts), pages):
                where = {i: k for k, run in enumerate(split) for i in run}
                # the name and the steps start on one page
                named = spec.steps is None or where.get(0) == where.get(spec.steps)
                used = []
                for k, run in enumerate(split):
                    h = sum(heights[i] for i in run) + (cont_h if k else 0)
                    if safety is not None and spec.steps in run and where[safety] > k:
                        h += pointer_h
                    used.append(h)
                if max(used) > frame_h:
                    continue
                together = spec.pictures is None or where[spec.pictures] == where[spec.steps]
                short = used[:-1] if spec.ends_document else used
                full = all(h >= frame_h / 2 for h in short)
                # ties go to larger pictures, then to the layout whose emptiest page is fullest
                score = (named, panel >= spec.least_panel - 0.01, together, full, -pages, panel, min(used))
                yield score, panel, parts, split, where


def _index(i: int | None, n: int) -> int | None:
    """Part ``i`` of ``n`` as an index from the start (a negative one counts from the end)."""
    return None if i is None else i % n


def _pages(spec: Parts, parts, split, where) -> list[list]:
    out = []
    safety = _index(spec.safety, len(parts))
    for k, run in enumerate(split):
        page = list(spec.continued) if k else []
        for i in run:
            page += parts[i]
        if safety is not None and spec.steps in run and where[safety] > k:
            page += spec.pointer
        out.append(page)
    return out


def paginate(name: str, spec: Parts, frame_h: float, theme: Theme) -> list[list]:
    """Parts laid onto pages by the rules in this module's notes; LayoutError past ``max_pages``
    (large print may take one page more when long names leave too little room)."""
    if spec.max_pages == 1:
        return _one_page(name, spec, frame_h, theme)
    # one page more when long names leave too little room, one more for a tail (the urgent box);
    # last, a page a part, rather than fail while every part fits a page
    limits = [*range(spec.max_pages, spec.max_pages + 2 + (spec.tail > 0)), len(spec.build(spec.panels[-1]))]
    for limit in limits:
        found = sorted(_candidates(spec, frame_h, theme, limit), key=lambda c: c[0], reverse=True)
        for _, _, parts, split, where in found:
            laid = _pages(spec, parts, split, where)
            if all(measure(p, theme.frame_width) <= frame_h for p in laid):
                return laid
    parts = spec.build(spec.panels[-1])
    over = max(measure(p, theme.frame_width) for p in parts) - frame_h
    raise _overflow(name, theme, max(over, 1.0), "any")


def _one_page(name: str, spec: Parts, frame_h: float, theme: Theme) -> list[list]:
    """One page, pictures sized to the room left (the urgent-help box included); LayoutError,
    saying by how much, when it cannot fit."""
    page = fit_pictures(lambda h: [f for part in spec.build(h) for f in part], frame_h, theme)
    over = measure(page, theme.frame_width) - frame_h
    if over > 0:
        raise _overflow(name, theme, over)
    return [page]


def exercise_pages(
    lib: Library,
    ex: Exercise,
    theme: Theme,
    labels: Labels,
    schedule: Schedule,
    rx: Prescription = NO_RX,
    prepared: Prepared | None = None,
    depth: int = 0,
    lead=(),
    tail=(),
    ends_document: bool = True,
) -> Parts:
    """An exercise laid out for the theme: one page, or (large print) a deliberate pair whose
    second page opens with the exercise's name. ``lead`` opens its first part; ``tail`` are
    parts that follow it (the urgent-help box on a sheet)."""

    fixed: dict = {}  # what the picture size does not change, made once (see exercise_parts)

    def build(panel_h: float) -> list[list]:
        parts = exercise_parts(
            lib, ex, theme, labels, schedule, rx, prepared, panel_h=panel_h, depth=depth, fixed=fixed
        )
        parts[0] = [*lead, *parts[0]]
        return [*parts, *(list(t) for t in tail)]

    s = theme.styles
    least = PANEL * theme.picture_scale
    pictures = 2 if ex.pictures else None
    pointer = s["box_label"].clone("pointer", textColor=theme.colours["safety"])
    return Parts(
        build,
        tuple(least * g for g in GROW),
        theme.exercise_pages,
        continued=[P(Paragraph(esc(labels("continued", name=ex.name)), s["h2"]))],
        steps=1,
        pictures=pictures,
        safety=-1 - len(tail),  # the safety panel is the exercise's last part, before the tail
        pointer=[Spacer(1, 6), P(Paragraph(esc(labels("safety_over")), pointer))],
        ends_document=ends_document,
        least_panel=least,
        tail=len(tail),
    )
