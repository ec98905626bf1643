"""The parts of a figure file's panel read and checked: camera, numbers, poses, dashed parts,
props and arrows. Every problem names its file, line and key."""

from __future__ import annotations

import math

from handouts.figures.body import ARM_CHAIN, LEG_CHAIN
from handouts.figures.model import (
    ARROW_KINDS,
    BACK_ELEVATION,
    BACK_PLANE,
    CAMERAS,
    DASHED_PARTS,
    PROPS,
    SIDES,
    Arrow,
    Camera,
    Pose,
    Prop,
    all_joint_names,
    joint_range,
)
from handouts.read.fields import Checker, did_you_mean
from handouts.read.nodes import Node

#: The points an arrow may be anchored at.
ANCHORS = ("pelvis", "waist", "chest", "neck", "head") + tuple(
    f"{s}_{j}" for s in SIDES for j in ARM_CHAIN + LEG_CHAIN + ("blade",)
)


def camera_of(c: Checker, node: Node, path: str) -> Camera | None:
    if node.kind == "scalar":
        name = c.choice(node, path, tuple(CAMERAS))
        return Camera(*CAMERAS[name]) if name else None
    d = c.mapping(node, path, required=("azimuth",), optional=("elevation",))
    if d is None or "azimuth" not in d:
        return None
    az = number(c, d["azimuth"], f"{path}.azimuth", -180, 180)
    el = number(c, d["elevation"], f"{path}.elevation", -10, 90) if "elevation" in d else 0.0
    return None if None in (az, el) else Camera(az, el)


def number(c: Checker, node: Node, path: str, low: float, high: float, unit: str = "degrees") -> float | None:
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


def earlier(c: Checker, node: Node, path: str, poses: list) -> Pose | None:
    n = c.integer(node, path, 1, 1000, "the number of an earlier panel")
    if n is None:
        return None
    if n > len(poses) or poses[n - 1] is None:
        c.error(node, path, f"panel {n} is not an earlier drawn panel of this file")
        return None
    return poses[n - 1]


def pose(c: Checker, node: Node, path: str, poses: list) -> Pose | None:
    if node.kind != "map":
        c.error(node, path, f"expected a mapping of joint names to angles, got {node.describe()}")
        return None
    known = all_joint_names()
    angles: dict[str, float] = {}
    x, ok = 0.0, True
    if "from" in node.value:
        base = earlier(c, node.value["from"], f"{path}.from", poses)
        if base is None:
            return None
        angles, x = dict(base.angles), base.x
    at: dict[str, Node] = {}
    for key, vnode in node.value.items():
        where = f"{path}.{key}"
        if key == "from":
            continue
        if key == "x":
            v = number(c, vnode, where, -300, 300, "units")
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
        v = number(c, vnode, where, *rng)
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


def dashed(c: Checker, node: Node, path: str) -> tuple[str, ...] | None:
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


def props(c: Checker, node: Node, path: str) -> tuple[Prop, ...] | None:
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


def arrows(c: Checker, node: Node, path: str) -> tuple[Arrow, ...] | None:
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
                kw[key] = number(c, d[key], f"{p}.{key}", lo, hi, unit)
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
            vals = [number(c, v, f"{p}.offset[{j}]", -300, 300, "units") for j, v in enumerate(xy or [])]
            kw["offset"] = tuple(vals) if xy and None not in vals else None
        if None in (kind, at) or None in kw.values():
            ok = False
            continue
        out.append(Arrow(kind, at, **kw))
    return tuple(out) if ok else None
