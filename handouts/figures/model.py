"""The frozen figure objects a picture panel holds, and the joints a pose may set.

Every angle is in degrees. A joint without a side prefix (``knee: 90``) sets
both sides; ``left_knee``/``right_knee`` set one side and win over it.
"""

from __future__ import annotations

from handouts.records import record

VIEWS = ("side", "front", "back", "top")
#: Named cameras: (azimuth, elevation) in degrees. Azimuth 0 sees the person's right side (they face
#: right on the page), 90 sees them from the front, -90 from behind, 180 their left side (facing left);
#: elevation lifts the eye above them (90 looks straight down).
CAMERAS: dict[str, tuple[float, float]] = {
    "side": (0.0, 0.0),
    "side-left": (180.0, 0.0),
    "front": (90.0, 0.0),
    "back": (-90.0, 0.0),
    "top": (0.0, 90.0),
    "three-quarter": (35.0, 12.0),
    "three-quarter-back": (-40.0, 12.0),
}
FACINGS = ("right", "left")
#: How much of the body a figure file's panels show (``show:``).
SHOWS = ("whole-body", "upper-body")
PROPS = ("floor", "mat", "chair", "stool", "wall", "doorway")
ARROW_KINDS = ("straight", "curved")
#: Parts a start pose's dashed outline may be limited to (``dashed: [right_arm]``), and their segments.
DASHED_PARTS: dict[str, tuple[str, ...]] = {
    "head": ("head",),
    "torso": ("neck", "upper_torso", "lower_torso"),
    **{
        f"{s}_{limb}": tuple(f"{s}_{seg}" for seg in segs)
        for s in ("left", "right")
        for limb, segs in (("arm", ("upper_arm", "forearm", "hand")), ("leg", ("thigh", "shin", "foot")))
    },
}

#: Joints of the whole body: name -> (low, high, what it means).
BODY_JOINTS: dict[str, tuple[float, float, str]] = {
    "trunk": (-90, 180, "forward lean of the lower back from upright (90 = level, as on all fours)"),
    "trunk_side": (-60, 60, "sideways lean of the lower back, + towards the left"),
    "turn": (-90, 90, "turn of the whole body from the view, + turns the front to the left"),
    "spine": (-50, 60, "bend of the upper back: + rounds forward, - arches back (sways)"),
    "spine_side": (-40, 40, "sideways bend of the upper back, + towards the left"),
    "spine_turn": (-90, 90, "rotation of the upper back, + turns the chest to the left"),
    "neck": (-60, 70, "+ tucks the chin, - looks up"),
    "neck_side": (-45, 45, "sideways tilt of the head, + towards the left"),
}
#: Joints of each side, set as ``left_<name>``, ``right_<name>`` or ``<name>`` for both.
LIMB_JOINTS: dict[str, tuple[float, float, str]] = {
    "shoulder": (0, 180, "how far the arm is raised: 0 hangs down, 90 level, 180 overhead"),
    "arm_plane": (-60, 180, "direction the arm is raised in: 0 forward, 90 out to the side, 180 back"),
    "arm_turn": (-90, 130, "rotation of the upper arm: + turns the forearm outwards/up"),
    "elbow": (0, 160, "elbow bend: 0 straight"),
    "wrist": (-90, 90, "hand bend: + towards the elbow-bend side"),
    "blade": (-10, 30, "shoulder blade drawn towards the spine (seen from the back)"),
    "hip": (-30, 150, "hip bend: + brings the thigh forward, - back"),
    "hip_side": (-30, 60, "leg out to the side"),
    "hip_turn": (-45, 60, "rotation of the thigh, + turns the knee out"),
    "knee": (0, 165, "knee bend: 0 straight"),
    "ankle": (-30, 90, "foot: + points the toes, 90 lies in line with the shin"),
}
SIDES = ("left", "right")
#: Arms raised backward (plane beyond this) go up at most BACK_ELEVATION.
BACK_PLANE, BACK_ELEVATION = 135, 70


def joint_range(name: str) -> tuple[float, float] | None:
    """The allowed range of a joint name as written in a pose, or None if unknown."""
    if name in BODY_JOINTS:
        return BODY_JOINTS[name][:2]
    base = name.split("_", 1)[1] if name.startswith(("left_", "right_")) else name
    return LIMB_JOINTS[base][:2] if base in LIMB_JOINTS else None


def all_joint_names() -> list[str]:
    names = list(BODY_JOINTS)
    for j in LIMB_JOINTS:
        names += [j, f"left_{j}", f"right_{j}"]
    return names


@record
class Pose:
    """Joint angles by full joint name (``left_knee``), and the hip's place along the floor."""

    angles: tuple[tuple[str, float], ...] = ()
    x: float = 0.0

    def angle(self, name: str, side: str | None = None) -> float:
        d = dict(self.angles)
        if side is not None:
            return float(d.get(f"{side}_{name}", d.get(name, 0.0)))
        return float(d.get(name, 0.0))


@record
class Prop:
    kind: str
    #: a body point the prop lines up with (doorway in a side view), or None for automatic
    at: str | None = None


@record
class Arrow:
    """A motion cue: from a body point (plus an offset), ``length`` units towards ``direction``.

    Directions and offsets are as seen facing right: 0 = forward, 90 = up.
    ``bend`` bows the arrow into an arc (+ counter-clockwise); ``heads`` is 1 or 2.
    """

    kind: str
    at: str
    direction: float = 0.0
    length: float = 30.0
    offset: tuple[float, float] = (0.0, 0.0)
    bend: float = 0.0
    heads: int = 1
    #: follow the path the ``at`` point takes from the start pose to the pose, beside it
    follow: bool = False
    #: drawn on the back, inside the torso's outline (for the shoulder blades): it keeps clear of
    #: every limb, the head, the neck, the torso's outline and every line drawn on the back
    on_body: bool = False


@record
class Camera:
    """Where the eye is: ``azimuth`` around the person, ``elevation`` above them, in degrees."""

    azimuth: float = 0.0
    elevation: float = 0.0

    @property
    def name(self) -> str:
        for name, (az, el) in CAMERAS.items():
            if (az, el) == (self.azimuth, self.elevation):
                return name
        az = (self.azimuth + 180) % 360 - 180
        front = "front" if az > 0 else "back"
        side = "right" if abs(az) < 90 else "left"
        plain = {0: "side", 90: "front", -90: "back", -180: "side-left"}
        return f"three-quarter {front} {side}" if az % 90 else plain[az]

    def describe(self) -> str:
        return f"{self.name} (azimuth {self.azimuth:g}\N{DEGREE SIGN}, elevation {self.elevation:g}\N{DEGREE SIGN})"


def view_camera(view: str, facing: str = "right") -> Camera:
    """The camera of an old-style ``view`` and ``facing``."""
    if view == "side":
        return Camera(*CAMERAS["side-left" if facing == "left" else "side"])
    if view == "top":
        return Camera(180.0 if facing == "left" else 0.0, 90.0)
    return Camera(*CAMERAS[view])


@record
class Figure:
    """One drawn panel: a pose seen by ``camera``, optionally over its dashed start pose ``ghost``.

    ``view`` and ``facing`` name the camera when it is one of the four plain views.
    ``own_camera`` marks a panel seen from another camera than the rest of its exercise.
    ``extent`` is the (width, height, lowest y) in body units shared by every panel of the
    exercise, so that all of them are drawn at one scale with their floors in line.
    """

    view: str
    pose: Pose
    facing: str = "right"
    ghost: Pose | None = None
    props: tuple[Prop, ...] = ()
    arrows: tuple[Arrow, ...] = ()
    camera: Camera | None = None
    own_camera: bool = False
    extent: tuple[float, float, float] | None = None
    #: the parts (``DASHED_PARTS``) the start pose's dashed outline shows; empty: every part that moved
    dashed: tuple[str, ...] = ()
    #: ``upper-body``: drawn from the hands up, larger, where the movement is small (the shoulder blades)
    show: str = "whole-body"
    #: the room (x0, x1, top, z0, z1 in the world) every panel of the exercise takes, so the floor,
    #: the mat and the wall are the same in each panel
    stage: tuple[float, float, float, float, float] | None = None

    @property
    def cam(self) -> Camera:
        return self.camera if self.camera is not None else view_camera(self.view, self.facing)
