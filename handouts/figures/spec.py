"""Read and check a figure file into frozen picture panels.

Every problem is reported against the figure file (name, line, column, key
path) and collected into the library's checker, so one run lists them all.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from handouts import model as m
from handouts.errors import ValidationError
from handouts.figures import parts, posing, primitives, scene
from handouts.figures.images import check_image
from handouts.figures.model import (
    FACINGS,
    SHOWS,
    VIEWS,
    Figure,
    Pose,
    view_camera,
)
from handouts.figures.props import stage
from handouts.read.fields import Checker
from handouts.read.nodes import Node, load

MIN_PANELS = 2
#: More panels than this do not fit beside the steps on one sheet (and past 26 run out of letters).
MAX_PANELS = 4
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
PANEL_KEYS = (
    "caption",
    "alt",
    "steps",
    "view",
    "facing",
    "camera",
    "pose",
    "ghost",
    "dashed",
    "props",
    "arrows",
    "image",
)
DRAWING_KEYS = ("view", "facing", "camera", "pose", "ghost", "dashed", "props", "arrows")


def read_pictures(c: Checker, node: Node, path: str) -> tuple[m.Picture, ...] | None:
    """The panels of the figure file named by ``node`` (relative to the library), or None."""
    target = c.asset(node, path, (".yaml",))
    if target is None:
        return None
    name = os.path.normpath(str(Path(c.name).parent / node.value))
    fc = Checker(name, base=target.parent)
    try:
        root, problems = load(target, name)
    except ValidationError as exc:
        c.problems.extend(exc.problems)
        return None
    fc.problems.extend(problems)
    pictures = read_figure_file(fc, root)
    # Glyphs are checked here, where problems carry the figure file's name.
    fc.check_glyphs()
    c.problems.extend(fc.problems)
    c.warnings.extend(fc.warnings)
    return None if fc.problems else pictures


def read_figure_file(c: Checker, root: Node) -> tuple[m.Picture, ...] | None:
    d = c.mapping(root, "", required=("panels",), optional=("camera", "show"))
    if d is None or "panels" not in d:
        return None
    camera = parts.camera_of(c, d["camera"], "camera") if "camera" in d else None
    show = c.choice(d["show"], "show", SHOWS) if "show" in d else "whole-body"
    items = c.seq(d["panels"], "panels")
    if items is None:
        return None
    if len(items) < MIN_PANELS:
        c.error(
            d["panels"], "panels", f"a figure needs at least {MIN_PANELS} panels: the start and the movement"
        )
    if len(items) > MAX_PANELS:
        c.error(
            d["panels"],
            "panels",
            f"a figure has {len(items)} panels; at most {MAX_PANELS} fit beside the steps on a sheet",
        )
        return None
    poses: list[Pose | None] = []
    out = []
    cams = [camera]
    for i, n in enumerate(items):
        pic = _panel(c, n, f"panels[{i}]", poses, cams)
        out.append(pic)
    if None in out or show is None:
        return None
    if show != "whole-body":
        out = [replace(p, figure=replace(p.figure, show=show)) if p.figure else p for p in out]
    return one_scale(tuple(out))


def one_scale(pictures: tuple[m.Picture, ...]) -> tuple[m.Picture, ...]:
    """The panels with one shared extent, so they are drawn at one scale, floors in line."""
    figs = [p.figure for p in pictures if p.figure is not None]
    if not figs:
        return pictures
    # one floor (and mat) under every panel: the area every pose and start pose covers
    poses = [(f.pose, f) for f in figs] + [(f.ghost, f) for f in figs if f.ghost is not None]
    area = stage([posing.world(pose, f) for pose, f in poses])
    pictures = tuple(
        replace(p, figure=replace(p.figure, stage=area)) if p.figure is not None else p for p in pictures
    )
    figs = [p.figure for p in pictures if p.figure is not None]
    boxes = [primitives.bounds(scene.geometry(f)) for f in figs]
    w = max(x1 - x0 for x0, _, x1, _ in boxes)
    low = min(y0 for _, y0, _, _ in boxes)
    h = max(y1 for *_, y1 in boxes) - low
    out = []
    for p in pictures:
        if p.figure is not None:
            p = replace(p, figure=replace(p.figure, extent=(w, h, low)))
        out.append(p)
    return tuple(out)


def _panel(c: Checker, node: Node, p: str, poses: list, cams: list) -> m.Picture | None:
    d = c.mapping(node, p, required=("caption", "alt"), optional=PANEL_KEYS)
    if d is None:
        poses.append(None)
        return None
    caption = c.text(d["caption"], f"{p}.caption", 80) if "caption" in d else None
    alt = c.text(d["alt"], f"{p}.alt", 500) if "alt" in d else None
    steps = _steps(c, d["steps"], f"{p}.steps") if "steps" in d else ()
    if "image" in d:
        for k in DRAWING_KEYS:
            if k in d:
                c.error(d[k], f"{p}.{k}", "a panel has either an 'image' or a drawn 'pose', not both")
        poses.append(None)
        target = c.asset(d["image"], f"{p}.image", IMAGE_SUFFIXES)
        ok = target is not None and check_image(c, d["image"], f"{p}.image", target)
        if None in (caption, alt, steps) or not ok:
            return None
        return m.Picture(caption, alt, steps, image=target)
    if "pose" not in d:
        c.error(node, p, "a panel needs a 'pose' to draw or an 'image' file")
        poses.append(None)
        return None
    fig = _figure(c, d, p, poses, cams)
    if None in (caption, alt, steps, fig):
        return None
    return m.Picture(caption, alt, steps, figure=fig)


def _figure(c: Checker, d: dict[str, Node], p: str, poses: list, cams: list) -> Figure | None:
    view = c.choice(d["view"], f"{p}.view", VIEWS) if "view" in d else "side"
    facing = c.choice(d["facing"], f"{p}.facing", FACINGS) if "facing" in d else "right"
    camera = None
    if "camera" in d:
        camera = parts.camera_of(c, d["camera"], f"{p}.camera")
        if camera is None:
            return None
    elif ("view" in d or "facing" in d) and view and facing:
        camera = view_camera(view, facing)
    elif cams[0] is not None:
        camera = cams[0]
    elif view and facing:
        camera = view_camera(view, facing)
    if cams[0] is None:
        cams[0] = camera  # the first panel's camera is the exercise's
    own = camera is not None and camera != cams[0]
    pose = parts.pose(c, d["pose"], f"{p}.pose", poses)
    poses.append(pose)
    ghost = None
    if "ghost" in d:
        gnode = d["ghost"]
        if gnode.kind == "scalar":
            ghost = parts.earlier(c, gnode, f"{p}.ghost", poses[:-1])
        else:
            ghost = parts.pose(c, gnode, f"{p}.ghost", poses[:-1])
    props = parts.props(c, d["props"], f"{p}.props") if "props" in d else ()
    arrows = parts.arrows(c, d["arrows"], f"{p}.arrows") if "arrows" in d else ()
    dashed = parts.dashed(c, d["dashed"], f"{p}.dashed") if "dashed" in d else ()
    if None in (view, facing, pose, props, arrows, dashed) or ("ghost" in d and ghost is None):
        return None
    if dashed and ghost is None:
        c.error(d["dashed"], f"{p}.dashed", "'dashed' names parts of the start pose: it needs a 'ghost'")
        return None
    if any(a.follow for a in arrows) and ghost is None:
        c.error(d["arrows"], f"{p}.arrows", "an arrow with 'follow: true' needs a 'ghost' (the start pose)")
        return None
    fig = Figure(view, pose, facing, ghost, props, arrows, camera=camera, own_camera=own, dashed=dashed)
    bad = scene.problems(fig)
    for msg in bad:
        c.error(d["props"] if "props" in d else d["pose"], f"{p}.props" if "props" in d else f"{p}.pose", msg)
    return None if bad else fig


def _steps(c: Checker, node: Node, path: str) -> tuple[int, ...] | None:
    items = c.seq(node, path)
    if items is None:
        return None
    # 0 is the starting position: a start picture that a later step returns to lists both
    out = [
        c.integer(n, f"{path}[{i}]", 0, 50, "a step number (0: the starting position)")
        for i, n in enumerate(items)
    ]
    if None in out:
        return None
    if len(set(out)) != len(out):
        c.error(node, path, "a step number is listed twice")
        return None
    return tuple(out)
