"""Read and check a figure file into frozen picture panels.

Every problem is reported against the figure file (name, line, column, key
path) and collected into the library's checker, so one run lists them all.
"""

from __future__ import annotations

import math
import os
from dataclasses import replace
from pathlib import Path

from handouts import model as m
from handouts.errors import ValidationError
from handouts.figures import posing, primitives, scene
from handouts.figures.body import ARM_CHAIN, LEG_CHAIN
from handouts.figures.images import check_image
from handouts.figures.model import (
    ARROW_KINDS,
    BACK_ELEVATION,
    BACK_PLANE,
    CAMERAS,
    DASHED_PARTS,
    FACINGS,
    PROPS,
    SHOWS,
    SIDES,
    VIEWS,
    Arrow,
    Camera,
    Figure,
    Pose,
    Prop,
    all_joint_names,
    joint_range,
    view_camera,
)
from handouts.figures.props import stage
from handouts.read.fields import Checker, did_you_mean
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
ANCHORS = ("pelvis", "waist", "chest", "neck", "head") + tuple(
    f"{s}_{j}" for s in SIDES for j in ARM_CHAIN + LEG_CHAIN + ("blade",)
)


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
    camera = camera_of(c, d["camera"], "camera") if "camera" in d else None
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


def camera_of(c: Checker, node: Node, path: str) -> Camera | None:
    if node.kind == "scalar":
        name = c.choice(node, path, tuple(CAMERAS))
        return Camera(*CAMERAS[name]) if name else None
    d = c.mapping(node, path, required=("azimuth",), optional=("elevation",))
    if d is None or "azimuth" not in d:
        return None
    az = _number(c, d["azimuth"], f"{path}.azimuth", -180, 180)
    el = _number(c, d["elevation"], f"{path}.elevation", -10, 90) if "elevation" in d else 0.0
    return None if None in (az, el) else Camera(az, el)


def _figure(c: Checker, d: dict[str, Node], p: str, poses: list, cams: list) -> Figure | None:
    view = c.choice(d["view"], f"{p}.view", VIEWS) if "view" in d else "side"
    facing = c.choice(d["facing"], f"{p}.facing", FACINGS) if "facing" in d else "right"
    camera = None
    if "camera" in d:
        camera = camera_of(c, d["camera"], f"{p}.camera")
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
    pose = _pose(c, d["pose"], f"{p}.pose", poses)
    poses.append(pose)
    ghost = None
    if "ghost" in d:
        gnode = d["ghost"]
        if gnode.kind == "scalar":
            ghost = _earlier(c, gnode, f"{p}.ghost", poses[:-1])
        else:
            ghost = _pose(c, gnode, f"{p}.ghost", poses[:-1])
    props = _props(c, d["props"], f"{p}.props") if "props" in d else ()
    arrows = _arrows(c, d["arrows"], f"{p}.arrows") if "arrows" in d else ()
    dashed = _dashed(c, d["dashed"], f"{p}.dashed") if "dashed" in d else ()
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


def _number(
    c: Checker, node: Node, path: str, low: float, high: float, unit: str = "degrees"
) -> float | None:
    if node.kind != "scalar" or node.type not in ("whole number", "number") or node.quoted:
        c.error(node, path, f"expected a number, got {node.describe()}")
        return None
    try:
        v = float(node.value.replace("_", ""))
    except ValueError:
        c.error(node, path, f"expected a number in plain digits, got {node.value!r}")
        return None
    if not math.isfinite(v):
        c.error(node, path, f"expected a number, got {node.value!r}")
        return None
    if not low <= v <= high:
        c.error(node, path, f"{v:g} is outside the allowed range {low:g} to {high:g} {unit}")
        return None
    return v


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


def _earlier(c: Checker, node: Node, path: str, poses: list) -> Pose | None:
    n = c.integer(node, path, 1, 1000, "the number of an earlier panel")
    if n is None:
        return None
    if n > len(poses) or poses[n - 1] is None:
        c.error(node, path, f"panel {n} is not an earlier drawn panel of this file")
        return None
    return poses[n - 1]


def _pose(c: Checker, node: Node, path: str, poses: list) -> Pose | None:
    if node.kind != "map":
        c.error(node, path, f"expected a mapping of joint names to angles, got {node.describe()}")
        return None
    known = all_joint_names()
    angles: dict[str, float] = {}
    x, ok = 0.0, True
    if "from" in node.value:
        base = _earlier(c, node.value["from"], f"{path}.from", poses)
        if base is None:
            return None
        angles, x = dict(base.angles), base.x
    at: dict[str, Node] = {}
    for key, vnode in node.value.items():
        where = f"{path}.{key}"
        if key == "from":
            continue
        if key == "x":
            v = _number(c, vnode, where, -300, 300, "units")
            ok &= v is not None
            x = v if v is not None else x
            continue
        rng = joint_range(key)
        if rng is None:
            hint = (
                did_you_mean(key, known + ["x", "from"])
                or " (see the joint list in handouts/figures/model.py)"
            )
            c.error(node.keys[key], where, f"unknown joint{hint}")
            ok = False
            continue
        v = _number(c, vnode, where, *rng)
        if v is None:
            ok = False
            continue
        if not key.startswith(SIDES):
            for s in SIDES:
                angles.pop(f"{s}_{key}", None)
        angles[key] = v
        at[key] = vnode
    pose = Pose(tuple(sorted(angles.items())), x)
    for s in SIDES:
        plane, elev = pose.angle("arm_plane", s), pose.angle("shoulder", s)
        if plane > BACK_PLANE and elev > BACK_ELEVATION:
            n = at.get(f"{s}_shoulder") or at.get("shoulder") or node
            c.error(
                n,
                f"{path}.{s}_shoulder",
                f"{elev:g} is outside the allowed range 0 to {BACK_ELEVATION} degrees for an arm raised "
                f"backwards ({s}_arm_plane {plane:g})",
            )
            ok = False
    return pose if ok else None


def _dashed(c: Checker, node: Node, path: str) -> tuple[str, ...] | None:
    items = c.seq(node, path)
    if items is None:
        return None
    names = [c.choice(n, f"{path}[{i}]", tuple(DASHED_PARTS)) for i, n in enumerate(items)]
    if None in names:
        return None
    if not names:
        c.error(node, path, f"name at least one part: {', '.join(DASHED_PARTS)}")
        return None
    return tuple(names)


def _props(c: Checker, node: Node, path: str) -> tuple[Prop, ...] | None:
    items = c.seq(node, path)
    if items is None:
        return None
    out, ok = [], True
    for i, n in enumerate(items):
        p = f"{path}[{i}]"
        at = None
        if n.kind == "map":
            d = c.mapping(n, p, required=("kind",), optional=("at",))
            if d is None or "kind" not in d:
                ok = False
                continue
            kn = d["kind"]
            if "at" in d:
                at = c.choice(d["at"], f"{p}.at", ANCHORS)
                ok &= at is not None
        else:
            kn = n
        kind = c.text(kn, p, 40)
        if kind is not None and kind not in PROPS:
            c.error(kn, p, f"unknown prop {kind!r}{did_you_mean(kind, PROPS)}; props are {', '.join(PROPS)}")
            kind = None
        if kind is None:
            ok = False
        elif kind != "floor":
            out.append(Prop(kind, at))
    return tuple(out) if ok else None


def _arrows(c: Checker, node: Node, path: str) -> tuple[Arrow, ...] | None:
    items = c.seq(node, path)
    if items is None:
        return None
    out, ok = [], True
    opt = ("direction", "length", "offset", "bend", "heads", "follow", "on_body")
    for i, n in enumerate(items):
        p = f"{path}[{i}]"
        d = c.mapping(n, p, required=("kind", "at"), optional=opt)
        if d is None or not {"kind", "at"} <= d.keys():
            ok = False
            continue
        kind = c.text(d["kind"], f"{p}.kind", 40)
        if kind is not None and kind not in ARROW_KINDS:
            c.error(
                d["kind"],
                f"{p}.kind",
                f"unknown arrow kind {kind!r}{did_you_mean(kind, ARROW_KINDS)}; "
                f"arrows are {', '.join(ARROW_KINDS)}",
            )
            kind = None
        at = c.choice(d["at"], f"{p}.at", ANCHORS)
        kw: dict = {}
        for key, lo, hi, unit in (
            ("direction", -360, 360, "degrees"),
            ("length", 5, 300, "units"),
            ("bend", -300, 300, "degrees"),
        ):
            if key in d:
                kw[key] = _number(c, d[key], f"{p}.{key}", lo, hi, unit)
        if "heads" in d:
            kw["heads"] = c.integer(d["heads"], f"{p}.heads", 1, 2)
        for key in ("follow", "on_body"):
            if key in d:
                kw[key] = c.boolean(d[key], f"{p}.{key}")
        if "offset" in d:
            on = d["offset"]
            xy = c.seq(on, f"{p}.offset")
            if xy is not None and len(xy) != 2:
                c.error(on, f"{p}.offset", "expected [across, up], two numbers")
                xy = None
            vals = [_number(c, v, f"{p}.offset[{j}]", -300, 300, "units") for j, v in enumerate(xy or [])]
            kw["offset"] = tuple(vals) if xy and None not in vals else None
        if None in (kind, at) or None in kw.values():
            ok = False
            continue
        out.append(Arrow(kind, at, **kw))
    return tuple(out) if ok else None
