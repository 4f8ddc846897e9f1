"""An articulated 3D body: anthropometrics, segment frames and forward kinematics to 33 landmarks.

Anthropometry
-------------
Segment lengths are fractions of standing height ``H`` from Drillis & Contini (1966), as tabulated
in D. A. Winter, *Biomechanics and Motor Control of Human Movement*, 4th ed. (Wiley, 2009),
Fig. 4.1: ankle height 0.039 H, shank (knee-ankle) 0.246 H, thigh (hip-knee) 0.245 H,
hip-to-shoulder 0.288 H (0.818 H - 0.530 H), upper arm 0.186 H, forearm 0.146 H, hand 0.108 H,
foot length 0.152 H, shoulder breadth 0.259 H, hip breadth 0.191 H, chin to eye 0.066 H.
Landmarks sit on joint centres, so the breadths are reduced to joint-centre spacings: hip joint
centres 0.52 x hip breadth, shoulder joint centres 0.85 x shoulder breadth (approximations,
documented in docs/SYNTH.md). ``build`` scales breadths (slender 0.85 .. broad 1.2);
``leg_scale`` scales thigh and shank (individual proportions, about +-4 % in adults).

Frames
------
The lab frame is right-handed, Z up, the ground at Z = 0. A performer with heading 0 stands facing
+X with their left towards +Y; lying on the back (supine) they have their feet towards +X, head
towards -X, belly up. Every segment carries a rotation matrix whose columns are the segment's own
axes in the lab: x = the segment's front, y = the performer's left, z = from the distal towards the
proximal end (up the body in standing). Joint angles compose these rotations
(:func:`frames_from_angles`); closed chains (feet on the floor, heels on a ball) build them from
joint positions instead (:func:`segment_frame`). Left/right are always the performer's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from hamcoach.landmarks import N_LANDMARKS, L

FloatArray = npt.NDArray[np.float64]
Side = Literal["left", "right"]
Posture = Literal["standing", "supine"]
SIDES: Final[tuple[Side, Side]] = ("left", "right")

# Drillis & Contini (1966) via Winter (2009) Fig. 4.1: lengths as fractions of height.
DRILLIS_CONTINI: Final[dict[str, float]] = {
    "ankle_height": 0.039,
    "shank": 0.246,
    "thigh": 0.245,
    "hip_height": 0.530,
    "shoulder_height": 0.818,
    "trunk": 0.288,
    "upper_arm": 0.186,
    "forearm": 0.146,
    "hand": 0.108,
    "foot_length": 0.152,
    "foot_width": 0.055,
    "shoulder_breadth": 0.259,
    "hip_breadth": 0.191,
    "eye_height": 0.936,
    "chin_height": 0.870,
}
HIP_JOINT_FRACTION: Final = 0.52  # hip joint-centre spacing / bi-trochanteric breadth
SHOULDER_JOINT_FRACTION: Final = 0.85  # shoulder joint-centre spacing / biacromial breadth


def rot_x(deg: float) -> FloatArray:
    """Rotation about the x axis by ``deg`` (right-hand rule)."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rot_y(deg: float) -> FloatArray:
    """Rotation about the y axis by ``deg``: positive turns +z towards +x."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_z(deg: float) -> FloatArray:
    """Rotation about the z axis by ``deg``: positive turns +x towards +y."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def cross3(a: FloatArray, b: FloatArray) -> FloatArray:
    """Cross product of two 3-vectors (much faster than ``np.cross`` on single vectors)."""
    return np.array(
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    )


def unit(v: FloatArray) -> FloatArray:
    n = math.sqrt(float(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]))
    if n < 1e-12:
        raise ValueError("cannot normalise a zero vector")
    return np.asarray(v / n, dtype=np.float64)


def segment_frame(z_axis: FloatArray, left_hint: FloatArray) -> FloatArray:
    """Rotation whose z column is ``z_axis`` and whose y column is ``left_hint`` made orthogonal."""
    z = unit(z_axis)
    y = unit(left_hint - float(np.dot(left_hint, z)) * z)
    x = cross3(y, z)
    return np.column_stack([x, y, z])


def rotate_about_axis(point: FloatArray, a: FloatArray, b: FloatArray, deg: float) -> FloatArray:
    """``point`` rotated by ``deg`` about the line through ``a`` and ``b`` (Rodrigues)."""
    k = unit(b - a)
    v = point - a
    th = np.radians(deg)
    out = v * np.cos(th) + cross3(k, v) * np.sin(th) + k * float(np.dot(k, v)) * (1 - np.cos(th))
    return np.asarray(a + out, dtype=np.float64)


def root_rotation(posture: Posture, heading_deg: float = 0.0) -> FloatArray:
    """Orientation of the body's neutral frame: standing facing +X, or supine feet to +X."""
    base = rot_z(heading_deg)
    return base if posture == "standing" else base @ rot_y(-90.0)


@dataclass(frozen=True)
class BodySpec:
    """Who is exercising: height and build. Defaults: an average adult."""

    height_m: float = 1.72
    build: float = 1.0  # breadth scale: 0.85 slender .. 1.2 broad
    leg_scale: float = 1.0  # thigh and shank length scale: about 0.96 .. 1.04

    def problems(self) -> list[str]:
        out: list[str] = []
        if not 1.3 <= self.height_m <= 2.2:
            out.append(f"height_m must be in [1.3, 2.2] m, got {self.height_m}")
        if not 0.7 <= self.build <= 1.4:
            out.append(f"build must be in [0.7, 1.4], got {self.build}")
        if not 0.9 <= self.leg_scale <= 1.1:
            out.append(f"leg_scale must be in [0.9, 1.1], got {self.leg_scale}")
        return out


@dataclass(frozen=True)
class Segments:
    """Segment lengths (metres) of one body, from :data:`DRILLIS_CONTINI`."""

    height: float
    ankle_height: float
    shank: float
    thigh: float
    trunk: float
    hip_width: float
    shoulder_width: float
    neck: float
    head: float  # neck top to head centre
    upper_arm: float
    forearm: float
    hand: float
    foot_length: float
    heel_back: float  # ankle to heel, along the foot
    toe_front: float  # ankle to foot_index, along the foot
    lying_hip_height: float  # hip joint centre above the floor when lying on the back
    lying_shoulder_height: float
    scale: float  # height / 1.75 m, for small offsets (face, hands)

    @classmethod
    def from_spec(cls, spec: BodySpec) -> Segments:
        h = spec.height_m
        d = DRILLIS_CONTINI
        foot = d["foot_length"] * h
        return cls(
            height=h,
            ankle_height=d["ankle_height"] * h,
            shank=d["shank"] * h * spec.leg_scale,
            thigh=d["thigh"] * h * spec.leg_scale,
            trunk=d["trunk"] * h,
            hip_width=d["hip_breadth"] * h * HIP_JOINT_FRACTION * spec.build,
            shoulder_width=d["shoulder_breadth"] * h * SHOULDER_JOINT_FRACTION * spec.build,
            neck=0.035 * h,
            head=0.072 * h,
            upper_arm=d["upper_arm"] * h,
            forearm=d["forearm"] * h,
            hand=d["hand"] * h,
            foot_length=foot,
            heel_back=0.22 * foot,
            toe_front=0.78 * foot,
            lying_hip_height=0.055 * h * spec.build,
            lying_shoulder_height=0.050 * h * spec.build,
            scale=h / 1.75,
        )

    @property
    def leg(self) -> float:
        return self.thigh + self.shank

    @property
    def standing_hip_height(self) -> float:
        return self.ankle_height + self.shank + self.thigh


@dataclass
class SegmentFrames:
    """One body configuration: the pelvis centre (mid hip joints) and every segment's rotation."""

    pelvis_pos: FloatArray
    pelvis: FloatArray
    trunk: FloatArray
    head: FloatArray
    thigh: dict[Side, FloatArray]
    shank: dict[Side, FloatArray]
    foot: dict[Side, FloatArray]
    upper_arm: dict[Side, FloatArray]
    forearm: dict[Side, FloatArray]


@dataclass
class LegAngles:
    """Leg joint angles in degrees, relative to the pelvis (hip) and the parent segment."""

    hip_flex: float = 0.0  # thigh forward
    hip_abd: float = 0.0  # thigh away from the midline
    hip_rot: float = 0.0  # internal rotation (knee front turning medially)
    knee_flex: float = 0.0  # 0 = straight; shank backwards
    ankle_dorsi: float = 0.0  # toes up; 0 = foot at right angles to the shank


@dataclass
class ArmAngles:
    shoulder_flex: float = 0.0  # arm forward
    shoulder_abd: float = 0.0  # arm sideways, away from the trunk
    elbow_flex: float = 0.0


@dataclass
class JointAngles:
    """Every joint angle (degrees). Pelvis relative to the root frame, trunk to the pelvis."""

    pelvis_tilt: float = 0.0  # anterior tilt (top forward)
    pelvis_drop: float = 0.0  # + = right hip lower (rotation about the pelvis's forward axis)
    pelvis_rot: float = 0.0  # + = turning the front towards the performer's left
    trunk_flex: float = 0.0  # forward
    trunk_lean: float = 0.0  # + = towards the performer's left
    trunk_rot: float = 0.0  # + = towards the left
    head_flex: float = 0.0  # chin down
    legs: dict[Side, LegAngles] = field(
        default_factory=lambda: {"left": LegAngles(), "right": LegAngles()}
    )
    arms: dict[Side, ArmAngles] = field(
        default_factory=lambda: {"left": ArmAngles(), "right": ArmAngles()}
    )


def _sgn(side: Side) -> float:
    return 1.0 if side == "left" else -1.0


def leg_rotation(side: Side, a: LegAngles) -> FloatArray:
    """Hip rotation of a thigh relative to the pelvis: flexion, then abduction, then axial."""
    s = _sgn(side)
    return rot_y(-a.hip_flex) @ rot_x(s * a.hip_abd) @ rot_z(-s * a.hip_rot)


def frames_from_angles(pelvis_pos: FloatArray, root: FloatArray, ang: JointAngles) -> SegmentFrames:
    """Forward kinematics: segment rotations from the root frame and the joint angles."""
    pelvis = root @ rot_y(ang.pelvis_tilt) @ rot_x(ang.pelvis_drop) @ rot_z(ang.pelvis_rot)
    trunk = pelvis @ rot_y(ang.trunk_flex) @ rot_x(-ang.trunk_lean) @ rot_z(ang.trunk_rot)
    head = trunk @ rot_y(ang.head_flex)
    thigh: dict[Side, FloatArray] = {}
    shank: dict[Side, FloatArray] = {}
    foot: dict[Side, FloatArray] = {}
    upper: dict[Side, FloatArray] = {}
    fore: dict[Side, FloatArray] = {}
    for side in SIDES:
        la = ang.legs[side]
        thigh[side] = pelvis @ leg_rotation(side, la)
        shank[side] = thigh[side] @ rot_y(la.knee_flex)
        foot[side] = shank[side] @ rot_y(-la.ankle_dorsi)
        aa = ang.arms[side]
        upper[side] = trunk @ rot_y(-aa.shoulder_flex) @ rot_x(_sgn(side) * aa.shoulder_abd)
        fore[side] = upper[side] @ rot_y(-aa.elbow_flex)
    return SegmentFrames(
        pelvis_pos=np.asarray(pelvis_pos, dtype=np.float64),
        pelvis=pelvis,
        trunk=trunk,
        head=head,
        thigh=thigh,
        shank=shank,
        foot=foot,
        upper_arm=upper,
        forearm=fore,
    )


# Face points relative to the head centre, in the head frame (x front, y left, z up), metres for a
# 1.75 m adult. Right-side points mirror the left ones (y negated).
_FACE: Final[dict[int, tuple[float, float, float]]] = {
    L.NOSE: (0.105, 0.0, -0.02),
    L.LEFT_EYE_INNER: (0.09, 0.015, 0.015),
    L.LEFT_EYE: (0.087, 0.032, 0.017),
    L.LEFT_EYE_OUTER: (0.08, 0.047, 0.016),
    L.LEFT_EAR: (0.0, 0.075, 0.0),
    L.MOUTH_LEFT: (0.09, 0.025, -0.055),
}
_FACE_RIGHT: Final[dict[int, int]] = {
    L.LEFT_EYE_INNER: L.RIGHT_EYE_INNER,
    L.LEFT_EYE: L.RIGHT_EYE,
    L.LEFT_EYE_OUTER: L.RIGHT_EYE_OUTER,
    L.LEFT_EAR: L.RIGHT_EAR,
    L.MOUTH_LEFT: L.MOUTH_RIGHT,
}
# Hand points relative to the wrist in the forearm frame (z towards the elbow), per hand length.
_HAND: Final[dict[str, tuple[float, float, float]]] = {
    "index": (0.10, 0.0, -0.42),
    "pinky": (-0.10, 0.0, -0.38),
    "thumb": (0.20, 0.05, -0.25),
}

_LEG_IDX: Final[dict[Side, tuple[int, int, int, int, int]]] = {
    "left": (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX),
    "right": (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX),
}
_ARM_IDX: Final[dict[Side, tuple[int, int, int, int, int, int]]] = {
    "left": (L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST, L.LEFT_INDEX, L.LEFT_PINKY, L.LEFT_THUMB),
    "right": (
        L.RIGHT_SHOULDER,
        L.RIGHT_ELBOW,
        L.RIGHT_WRIST,
        L.RIGHT_INDEX,
        L.RIGHT_PINKY,
        L.RIGHT_THUMB,
    ),
}


def leg_points(
    seg: Segments, hip: FloatArray, thigh: FloatArray, shank: FloatArray, foot: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Knee, ankle, heel and foot_index of a leg hanging from ``hip``."""
    knee = hip + thigh @ np.array([0.0, 0.0, -seg.thigh])
    ankle = knee + shank @ np.array([0.0, 0.0, -seg.shank])
    heel = ankle + foot @ np.array([-seg.heel_back, 0.0, -seg.ankle_height])
    toe = ankle + foot @ np.array([seg.toe_front, 0.0, -seg.ankle_height * 0.85])
    return knee, ankle, heel, toe


def skeleton_points(seg: Segments, fr: SegmentFrames) -> FloatArray:
    """The 33 BlazePose landmarks (lab frame, metres) of a body configuration."""
    pts = np.zeros((N_LANDMARKS, 3))
    p = fr.pelvis_pos
    for side in SIDES:
        s = _sgn(side)
        hip = p + fr.pelvis @ np.array([0.0, s * seg.hip_width / 2, 0.0])
        knee, ankle, heel, toe = leg_points(seg, hip, fr.thigh[side], fr.shank[side], fr.foot[side])
        for idx, v in zip(_LEG_IDX[side], (hip, knee, ankle, heel, toe), strict=True):
            pts[idx] = v
        sh = p + fr.trunk @ np.array([0.0, s * seg.shoulder_width / 2, seg.trunk])
        elbow = sh + fr.upper_arm[side] @ np.array([0.0, 0.0, -seg.upper_arm])
        wrist = elbow + fr.forearm[side] @ np.array([0.0, 0.0, -seg.forearm])
        hand = [
            wrist + fr.forearm[side] @ (np.array(_HAND[k]) * np.array([1.0, s, 1.0]) * seg.hand)
            for k in ("index", "pinky", "thumb")
        ]
        for idx, v in zip(_ARM_IDX[side], (sh, elbow, wrist, *hand), strict=True):
            pts[idx] = v
    mid_sh = (pts[L.LEFT_SHOULDER] + pts[L.RIGHT_SHOULDER]) / 2
    neck = mid_sh + fr.head @ np.array([0.0, 0.0, seg.neck])
    centre = neck + fr.head @ np.array([0.0, 0.0, seg.head])
    for idx, off in _FACE.items():
        o = np.array(off) * seg.scale
        pts[idx] = centre + fr.head @ o
        if idx in _FACE_RIGHT:
            pts[_FACE_RIGHT[idx]] = centre + fr.head @ (o * np.array([1.0, -1.0, 1.0]))
    return pts


def standing_frames(seg: Segments, heading_deg: float = 0.0) -> SegmentFrames:
    """A person standing upright at the origin, feet under the hips, arms hanging."""
    root = root_rotation("standing", heading_deg)
    pos = root @ np.array([0.0, 0.0, 0.0]) + np.array([0.0, 0.0, seg.standing_hip_height])
    return frames_from_angles(pos, root, JointAngles())
