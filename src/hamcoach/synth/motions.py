"""Parametric exercise kinematics: one body configuration per (progress, setup, phase, rep).

Every exercise maps a **progress** ``p`` to a pose: ``p = 0`` is the start position (standing,
lying with the hips down, legs out on the ball) and ``p = rom`` is the turning point of a rep
(``rom`` = 1 for a full rep, less for a partial one). What ``p`` scales, per exercise:

* squats: thigh angle from vertical, shank forward tilt and trunk forward lean, linearly;
* bridges: hip height between the start height and the top;
* ball curls: the curl (knee flexion between the far and the near point);
* single-leg deadlift: trunk inclination (and the free leg's rise).

``setup`` in [0, 1] blends the relaxed posture (0: both feet down, hips on the floor) into the
ready posture of the stage (1: free leg lifted; hips up for C2/C3; hips hovering for B2).
``phase`` (first, hold, second, rest, lead) lets faults act on one phase only (knees coming
together on the way up, the trunk leading on the way down).

Faults are given as physical magnitudes in :class:`Faults`; every default means "good form".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np

from hamcoach.landmarks import L
from hamcoach.synth.body import (
    SIDES,
    FloatArray,
    JointAngles,
    LegAngles,
    SegmentFrames,
    Segments,
    Side,
    cross3,
    frames_from_angles,
    leg_rotation,
    root_rotation,
    rot_x,
    rot_y,
    rot_z,
    rotate_about_axis,
    segment_frame,
    skeleton_points,
    unit,
)

Phase = Literal["lead", "walk", "pre", "first", "hold", "second", "rest"]
Leg = Literal["both", "left", "right"]
Exercise = Literal[
    "bridge",
    "single_leg_bridge",
    "ball_curl",
    "single_leg_ball_curl",
    "squat",
    "box_squat",
    "single_leg_squat",
    "single_leg_deadlift",
]

LEFT: Final = np.array([0.0, 1.0, 0.0])
KNEE_RADIUS_M: Final = 0.05  # half the width of a knee: knees caving in stop at the midline
UP: Final = np.array([0.0, 0.0, 1.0])


@dataclass(frozen=True)
class Faults:
    """Form faults of PROGRAM.md section 7 as magnitudes. Defaults are good form.

    Squats
        ``depth_deg``: thigh angle above horizontal at the bottom (negative = past parallel);
        None = the exercise default (squat -15, single-leg squat -8, box squat +5 = the bench).
        ``knee_valgus_deg``: the knee rotates medially about the hip-ankle axis by this angle at
        the bottom (in proportion to depth on the way). ``valgus_side``: which knee(s).
        ``knees_past_toes_cm``: knee ahead of the foot_index at the bottom (None = natural).
        ``knees_together_ascent_deg``: valgus that appears only on the way up.
        ``pelvis_drop_deg`` (single-leg squat): pelvis drops to the free-leg side.
        ``trunk_lean_deg`` (single-leg squat): trunk leans sideways (towards the stance leg).
    Bridges and ball curls
        ``hip_sag_cm``: hips below the shoulder-knee line at the top of a bridge.
        ``heel_lift_cm``: heels rise (pushing through the toes) at the top of a bridge.
        ``hips_not_level_deg``: pelvis rolls down towards the free leg (single-leg bridge/curl).
        ``rest_before_s``: hips rest on the floor this long just before the rep (B2, C2, C3;
        not on the first rep).
        ``ball_hips_sag_cm``: hips drop while the ball rolls in: at the curled point they are
        this far below where the roll-in started (a good rep's hips rise instead).
        ``incomplete_extension_deg``: knee flexion left at the far point of a ball curl.
        ``incomplete_curl_deg``: knee flexion missing at the near point of a ball curl.
        ``knees_open_cm``: pillow squeeze lost: each knee moves this far outwards (no check id).
    Single-leg deadlift
        ``back_leads_deg``: the trunk tips this far before the free leg starts rising from
        where it rests (about 10 deg behind the body, so the trunk's lead over the leg's
        swing from vertical, ``sldl.leg_leads``'s measure, is about 10 deg less).
        ``v_shape_deg``: trunk below the free-leg line at the bottom ("V").
        ``hips_open_deg``: pelvis rotates open (free-leg hip up) at the bottom.
    All
        ``fast_eccentric_s``: duration of the eccentric phase (None = the set's tempo).
    """

    depth_deg: float | None = None
    knee_valgus_deg: float = 0.0
    valgus_side: Leg = "both"
    knees_past_toes_cm: float | None = None
    knees_together_ascent_deg: float = 0.0
    pelvis_drop_deg: float = 0.0
    trunk_lean_deg: float = 0.0
    hip_sag_cm: float = 0.0
    heel_lift_cm: float = 0.0
    hips_not_level_deg: float = 0.0
    rest_before_s: float = 0.0
    ball_hips_sag_cm: float = 0.0
    incomplete_extension_deg: float = 0.0
    incomplete_curl_deg: float = 0.0
    knees_open_cm: float = 0.0
    back_leads_deg: float = 0.0
    v_shape_deg: float = 0.0
    hips_open_deg: float = 0.0
    fast_eccentric_s: float | None = None

    def nonzero(self) -> dict[str, float]:
        """The fault magnitudes that differ from good form (for the ground truth)."""
        out: dict[str, float] = {}
        for name in self.__dataclass_fields__:
            v = getattr(self, name)
            if name == "valgus_side" or v is None:
                continue
            if float(v) != 0.0:
                out[name] = float(v)
        return out


@dataclass(frozen=True)
class RepContext:
    """What a motion needs to know about the rep it is drawing."""

    rom: float = 1.0
    leg: Leg = "both"  # the working leg (stance leg, foot down, heel on the ball)
    faults: Faults = field(default_factory=Faults)
    prev_faults: Faults = field(default_factory=Faults)  # the previous rep's (continuity)


@dataclass
class BodyFrame:
    """One frame of the noise-free body: 33 landmarks in the lab frame, and props."""

    points: FloatArray
    props: dict[str, FloatArray] = field(default_factory=dict)


def _sgn(side: Side) -> float:
    return 1.0 if side == "left" else -1.0


def _other(side: Side) -> Side:
    return "right" if side == "left" else "left"


def _stance(leg: Leg) -> Side:
    return "right" if leg == "right" else "left"


def _smooth(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def two_link_ik(
    hip: FloatArray, ankle: FloatArray, l1: float, l2: float, pole: FloatArray
) -> FloatArray:
    """Knee position of a two-link leg from hip to ankle, bending towards ``pole``."""
    d_vec = ankle - hip
    d = math.sqrt(float(np.dot(d_vec, d_vec)))
    d = min(max(d, abs(l1 - l2) + 1e-6), l1 + l2 - 1e-6)
    u = unit(d_vec)
    w = unit(pole - float(np.dot(pole, u)) * u)
    cos_a = (l1 * l1 + d * d - l2 * l2) / (2 * l1 * d)
    a = float(np.arccos(np.clip(cos_a, -1.0, 1.0)))
    return np.asarray(hip + l1 * (np.cos(a) * u + np.sin(a) * w), dtype=np.float64)


def _arm_frames(direction: FloatArray, elbow_deg: float = 0.0) -> tuple[FloatArray, FloatArray]:
    upper = segment_frame(-unit(direction), LEFT)
    return upper, upper @ rot_y(-elbow_deg)


def _valgus(
    pts: FloatArray, side: Side, deg: float, outward: bool = False, clamp: bool = True
) -> None:
    """Rotate a knee about its hip-ankle axis towards the midline (or outwards), in place."""
    if abs(deg) < 1e-9:
        return
    hip_i, knee_i, ank_i = (
        (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE)
        if side == "left"
        else (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE)
    )
    hip, knee, ankle = pts[hip_i], pts[knee_i], pts[ank_i]
    medial = -_sgn(side) * (pts[L.LEFT_HIP] - pts[L.RIGHT_HIP])
    if outward:
        medial = -medial
    sign = 1.0
    if float(np.dot(rotate_about_axis(knee, hip, ankle, deg) - knee, medial)) < 0:
        sign = -1.0
    cand = rotate_about_axis(knee, hip, ankle, sign * deg)
    if clamp and not outward:
        # the knees meet at the midline: stop a knee's radius short of it
        mid = (pts[L.LEFT_HIP] + pts[L.RIGHT_HIP]) / 2
        lat = unit(pts[L.LEFT_HIP] - pts[L.RIGHT_HIP]) * _sgn(side)
        limit = KNEE_RADIUS_M

        def room(c: FloatArray) -> float:
            return float(np.dot(c - mid, lat)) - limit

        if room(cand) < 0 <= room(knee):
            lo, hi = 0.0, deg
            for _ in range(14):
                mid_deg = (lo + hi) / 2
                if room(rotate_about_axis(knee, hip, ankle, sign * mid_deg)) < 0:
                    hi = mid_deg
                else:
                    lo = mid_deg
            cand = rotate_about_axis(knee, hip, ankle, sign * lo)
    pts[knee_i] = cand


def _frames(
    pelvis_pos: FloatArray,
    pelvis: FloatArray,
    trunk: FloatArray,
    head: FloatArray,
    legs: dict[Side, tuple[FloatArray, FloatArray, FloatArray]],
    arms: dict[Side, tuple[FloatArray, FloatArray]],
) -> SegmentFrames:
    return SegmentFrames(
        pelvis_pos=pelvis_pos,
        pelvis=pelvis,
        trunk=trunk,
        head=head,
        thigh={s: legs[s][0] for s in SIDES},
        shank={s: legs[s][1] for s in SIDES},
        foot={s: legs[s][2] for s in SIDES},
        upper_arm={s: arms[s][0] for s in SIDES},
        forearm={s: arms[s][1] for s in SIDES},
    )


def _leg_from_points(
    hip: FloatArray, knee: FloatArray, ankle: FloatArray, foot: FloatArray, left: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    return segment_frame(hip - knee, left), segment_frame(knee - ankle, left), foot


class Motion:
    """Base class: an exercise's kinematics for one body."""

    exercise: Exercise
    posture: Literal["standing", "supine"] = "standing"
    eccentric: Literal["first", "second"] = "first"
    single_leg: bool = False
    uses_setup: bool = False

    def __init__(self, seg: Segments, options: dict[str, float] | None = None) -> None:
        self.seg = seg
        self.options = dict(options or {})

    def pose(self, p: float, setup: float, phase: Phase, rep: RepContext) -> BodyFrame:
        raise NotImplementedError


# ----------------------------------------------------------------------------------- squats


def standing_leg(
    s: Segments, side: Side, half_stance: float, toe_out: float, shank_deg: float, elev_deg: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(hip, knee, ankle, foot rotation) of a leg with its foot planted, segment lengths exact.

    The ankle stands ``half_stance`` from the midline, the foot turned out by ``toe_out``; the
    shank tilts forward by ``shank_deg`` from a slight inward lean that makes the standing leg
    straight; the thigh rises ``elev_deg`` above the horizontal from the knee to a hip at
    ``hip_width / 2`` from the midline.
    """
    sg = _sgn(side)
    ankle = np.array([0.0, sg * half_stance, s.ankle_height])
    gamma = np.arcsin(np.clip((half_stance - s.hip_width / 2) / s.leg, -0.5, 0.5))
    # the knee travels straight forward (perpendicular to the leg's inward lean, so the shank
    # keeps its length exactly); only the foot turns out
    f_dir = np.array([1.0, 0.0, 0.0])
    v_dir = np.array([0.0, -sg * np.sin(gamma), np.cos(gamma)])
    a = np.radians(shank_deg)
    knee = ankle + s.shank * (np.sin(a) * f_dir + np.cos(a) * v_dir)
    dy = sg * s.hip_width / 2 - knee[1]
    rise = s.thigh * np.sin(np.radians(elev_deg))
    horiz = float(np.sqrt(max(s.thigh**2 - dy**2 - rise**2, 0.0)))
    hip = np.array([knee[0] - horiz, sg * s.hip_width / 2, knee[2] + rise])
    return hip, knee, ankle, rot_z(sg * toe_out)


STANCE_SHIFT: Final = 0.85  # on one leg, the hips move this far (of hip_width / 2) over the foot


def stance_half_width(s: Segments, setup: float) -> float:
    """Stance ankle to mid-hip, sideways: under its hip on two feet, near the midline on one."""
    return s.hip_width / 2 * (1.0 - STANCE_SHIFT * setup)


def standing_elevation(s: Segments, half_stance: float) -> float:
    """Thigh elevation (deg) of the straight standing leg of :func:`standing_leg`."""
    return 90.0 - float(np.degrees(np.arcsin((half_stance - s.hip_width / 2) / s.leg)))


class SquatMotion(Motion):
    """Two-leg squat (S2), squat to a bench (S1) and loaded squat (S4: a bar on the back).

    Feet a little wider than the shoulders (ankles 0.24 H apart), toes out 15 degrees. ``p`` moves
    the thigh elevation from standing to ``depth_deg`` and scales the shank tilt and the trunk
    lean.
    """

    exercise: Exercise = "squat"
    default_depth = -15.0
    toe_out = 15.0

    def half_stance(self) -> float:
        return 0.12 * self.seg.height

    def bottom(self, f: Faults) -> tuple[float, float, float]:
        """(thigh elevation, shank forward tilt, trunk lean) at the bottom, degrees."""
        s = self.seg
        depth = self.default_depth if f.depth_deg is None else f.depth_deg
        b = 90.0 - depth
        if f.knees_past_toes_cm is not None:
            c = np.cos(np.radians(self.toe_out))
            x = (s.toe_front * c + f.knees_past_toes_cm / 100.0) / (s.shank * c)
            a = float(np.degrees(np.arcsin(np.clip(x, -0.95, 0.95))))
        else:
            a = min(0.3 * b, 40.0)
        return depth, a, max(0.0, 0.42 * b)

    def pose(self, p: float, setup: float, phase: Phase, rep: RepContext) -> BodyFrame:
        s = self.seg
        f = rep.faults
        depth, a_bot, lean_bot = self.bottom(f)
        hs = self.half_stance()
        e0 = standing_elevation(s, hs)
        elev, a, lean = e0 + p * (depth - e0), p * a_bot, p * lean_bot
        pn = p / rep.rom if rep.rom > 0 else 0.0
        hips: dict[Side, FloatArray] = {}
        legs: dict[Side, tuple[FloatArray, FloatArray, FloatArray]] = {}
        for side in SIDES:
            hip, knee, ankle, foot = standing_leg(s, side, hs, self.toe_out, a, elev)
            hips[side] = hip
            legs[side] = _leg_from_points(hip, knee, ankle, foot, LEFT)
        pelvis = rot_y(lean)
        pos = (hips["left"] + hips["right"]) / 2
        arms: dict[Side, tuple[FloatArray, FloatArray]] = {}
        for side in SIDES:
            if self.options.get("loaded", 0.0):
                # hands on a bar across the upper back: elbows out and down, wrists up
                d = pelvis @ np.array([-0.4, _sgn(side) * 0.7, -0.6])
                up, _ = _arm_frames(d)
                fore = segment_frame(-(pelvis @ np.array([0.1, -_sgn(side) * 0.4, 0.9])), LEFT)
                arms[side] = (up, fore)
            else:
                fl = 80.0 * pn
                arms[side] = _arm_frames(
                    np.array([np.sin(np.radians(fl)), 0.0, -np.cos(np.radians(fl))]), 5.0
                )
        head = rot_y(0.4 * lean)
        pts = skeleton_points(s, _frames(pos, pelvis, pelvis, head, legs, arms))
        v = f.knee_valgus_deg * pn
        if phase == "second" and f.knees_together_ascent_deg:
            v += f.knees_together_ascent_deg * _smooth((1 - pn) / 0.3)
        for side in SIDES:
            if f.valgus_side in ("both", side):
                _valgus(pts, side, v)
        props: dict[str, FloatArray] = {}
        if self.options.get("bench", 0.0):
            props["bench"] = self.bench_top()
        return BodyFrame(pts, props)

    def bench_top(self) -> FloatArray:
        """Centre of the bench top: under the hips at the default depth."""
        s = self.seg
        b = 90.0 - self.default_depth
        hip, *_ = standing_leg(
            s, "left", self.half_stance(), self.toe_out, min(0.3 * b, 40.0), self.default_depth
        )
        return np.array([hip[0] - 0.05 * s.scale, 0.0, hip[2] - 0.1 * s.scale])


class BoxSquatMotion(SquatMotion):
    exercise: Exercise = "box_squat"
    default_depth = 5.0


class SingleLegSquatMotion(Motion):
    """Single-leg squat to a bench (S3): stand on one leg, the free leg held forward."""

    exercise: Exercise = "single_leg_squat"
    single_leg = True
    uses_setup = True
    default_depth = -8.0

    def pose(self, p: float, setup: float, phase: Phase, rep: RepContext) -> BodyFrame:
        s = self.seg
        f = rep.faults
        st = _stance(rep.leg)
        fr_side = _other(st)
        depth = self.default_depth if f.depth_deg is None else f.depth_deg
        b_bot = 90.0 - depth
        a_bot = min(0.3 * b_bot, 40.0)
        if f.knees_past_toes_cm is not None:
            x = (s.toe_front + f.knees_past_toes_cm / 100.0) / s.shank
            a_bot = float(np.degrees(np.arcsin(np.clip(x, -0.95, 0.95))))
        lean_bot = 0.45 * b_bot
        a, lean = p * a_bot, p * lean_bot
        pn = p / rep.rom if rep.rom > 0 else 0.0
        ss = _sgn(st)
        hs = stance_half_width(s, setup)
        e0 = standing_elevation(s, hs)
        hip, knee, ankle, st_foot = standing_leg(s, st, hs, 8.0, a, e0 + p * (depth - e0))
        drop = f.pelvis_drop_deg * pn
        pelvis = rot_x(ss * drop) @ rot_y(lean)
        trunk = rot_x(-ss * f.trunk_lean_deg * pn) @ rot_y(lean)
        pos = hip - pelvis @ np.array([0.0, ss * s.hip_width / 2, 0.0])
        legs: dict[Side, tuple[FloatArray, FloatArray, FloatArray]] = {
            st: _leg_from_points(hip, knee, ankle, st_foot, LEFT)
        }
        # free thigh forward of vertical (lab) and free knee: the foot clearly off the floor
        lift = setup * (30.0 + 50.0 * pn)
        knee_free = setup * (60.0 - 50.0 * pn)
        la = LegAngles(
            hip_flex=lift + lean,
            knee_flex=knee_free,
            # the foot stays level while it leaves the floor, then points along the leg
            ankle_dorsi=(knee_free - lift) * (1 - pn) - 10.0 * pn,
        )
        th = pelvis @ leg_rotation(fr_side, la)
        sh = th @ rot_y(la.knee_flex)
        legs[fr_side] = (th, sh, sh @ rot_y(-la.ankle_dorsi))
        arms: dict[Side, tuple[FloatArray, FloatArray]] = {}
        for side in SIDES:
            fl = 30.0 + 50.0 * pn
            arms[side] = _arm_frames(
                np.array([np.sin(np.radians(fl)), 0.0, -np.cos(np.radians(fl))]), 5.0
            )
        pts = skeleton_points(
            s, _frames(pos, pelvis, trunk, trunk @ rot_y(-0.5 * lean), legs, arms)
        )
        _valgus(pts, st, f.knee_valgus_deg * pn, clamp=False)
        b_def = 90.0 - self.default_depth
        bench, *_ = standing_leg(s, st, hs, 8.0, min(0.3 * b_def, 40.0), self.default_depth)
        shift = ss * (s.hip_width / 2 - hs)  # keeps the stance foot where it stood
        pts[:, 1] += shift
        props = {"bench": np.array([bench[0] - 0.05 * s.scale, shift, bench[2] - 0.1 * s.scale])}
        return BodyFrame(pts, props)


# ---------------------------------------------------------------------------------- bridges


def _supine_arms(s: Segments) -> dict[Side, tuple[FloatArray, FloatArray]]:
    return {side: _arm_frames(np.array([1.0, _sgn(side) * 0.18, 0.0])) for side in SIDES}


class BridgeMotion(Motion):
    """Bridges (B1, B2 continuous, B3 single-leg), lying on the back, shoulders on the floor."""

    exercise: Exercise = "bridge"
    posture: Literal["standing", "supine"] = "supine"
    eccentric: Literal["first", "second"] = "second"

    def __init__(self, seg: Segments, options: dict[str, float] | None = None) -> None:
        super().__init__(seg, options)
        s = seg
        self.sin_top = (s.ankle_height + s.shank - s.lying_shoulder_height) / (s.trunk + s.thigh)
        cos_top = float(np.sqrt(1 - self.sin_top**2))
        self.ankle_x = (s.trunk + s.thigh) * cos_top
        self.uses_setup = bool(self.options.get("continuous", 0.0)) or self.single_leg

    def hip_height_top(self) -> float:
        s = self.seg
        return s.lying_shoulder_height + s.trunk * self.sin_top

    def pose(self, p: float, setup: float, phase: Phase, rep: RepContext) -> BodyFrame:
        s = self.seg
        f = rep.faults
        pn = p / rep.rom if rep.rom > 0 else 0.0
        h_rest = s.lying_hip_height
        h0 = h_rest
        if self.options.get("continuous", 0.0):
            h0 = h_rest + setup * 0.05 * s.scale
        h_top = self.hip_height_top() - f.hip_sag_cm / 100.0
        h = h0 + p * (h_top - h0)
        sh_pt = np.array([0.0, 0.0, s.lying_shoulder_height])
        sin_b = np.clip((h - s.lying_shoulder_height) / s.trunk, -0.5, 0.99)
        beta = float(np.arcsin(sin_b))
        mid = sh_pt + s.trunk * np.array([np.cos(beta), 0.0, np.sin(beta)])
        trunk = segment_frame(sh_pt - mid, LEFT)
        st = _stance(rep.leg)
        roll = 0.0
        if self.single_leg:
            roll = _sgn(_other(st)) * f.hips_not_level_deg * pn
        pelvis = trunk @ rot_z(roll)
        pillow = bool(self.options.get("pillow", 0.0))
        foot_y = 0.065 * s.scale if pillow else s.hip_width / 2
        legs: dict[Side, tuple[FloatArray, FloatArray, FloatArray]] = {}
        knees: dict[Side, FloatArray] = {}
        thigh_dirs: dict[Side, FloatArray] = {}
        for side in SIDES:
            hip = mid + pelvis @ np.array([0.0, _sgn(side) * s.hip_width / 2, 0.0])
            ankle0 = np.array([self.ankle_x, _sgn(side) * foot_y, s.ankle_height])
            toe = ankle0 + np.array([s.toe_front, 0.0, -0.85 * s.ankle_height])
            lift = f.heel_lift_cm / 100.0 * pn
            phi = float(np.degrees(np.arcsin(min(0.9, lift / (s.heel_back + s.toe_front)))))
            foot = rot_y(phi)
            ankle = toe + foot @ (ankle0 - toe)
            knee = two_link_ik(hip, ankle, s.thigh, s.shank, UP + 0.3 * np.array([1.0, 0, 0]))
            knees[side] = knee
            thigh_dirs[side] = unit(knee - hip)
            legs[side] = _leg_from_points(hip, knee, ankle, foot, LEFT)
        if self.single_leg:
            fs = _other(st)
            th_down = legs[fs][0]
            th_up = segment_frame(-thigh_dirs[st], LEFT)
            k_down = float(
                np.degrees(np.arccos(np.clip(np.dot(th_down[:, 2], legs[fs][1][:, 2]), -1, 1)))
            )
            th = segment_frame((1 - setup) * th_down[:, 2] + setup * th_up[:, 2], LEFT)
            knee_f = (1 - setup) * k_down + setup * 3.0
            sh = th @ rot_y(knee_f)
            rel = legs[fs][1].T @ legs[fs][2]  # flat foot relative to the shank, about y
            foot_pitch = float(np.degrees(np.arctan2(rel[0, 2], rel[0, 0])))
            legs[fs] = (th, sh, sh @ rot_y((1 - setup) * foot_pitch + setup * 10.0))
        head = root_rotation("supine")
        pts = skeleton_points(s, _frames(mid, pelvis, trunk, head, legs, _supine_arms(s)))
        if pillow and f.knees_open_cm:
            for side in SIDES:
                hip, ank = (
                    pts[L.LEFT_HIP if side == "left" else L.RIGHT_HIP],
                    pts[L.LEFT_ANKLE if side == "left" else L.RIGHT_ANKLE],
                )
                kn = knees[side]
                d = float(np.linalg.norm(cross3(kn - hip, unit(ank - hip))))
                deg = float(np.degrees(np.arcsin(min(1.0, f.knees_open_cm / 100.0 / max(d, 1e-3)))))
                _valgus(pts, side, deg * pn, outward=True)
        return BodyFrame(pts, {})


class SingleLegBridgeMotion(BridgeMotion):
    exercise: Exercise = "single_leg_bridge"
    single_leg = True


class BallCurlMotion(Motion):
    """Ball hamstring curls: heels on a ball, bridge up, roll in (curl) and out.

    ``hips_up`` (C2, C3) keeps the hips up the whole set; otherwise (C1) each rep lifts the hips
    in its first 30 % of progress and curls in the rest.
    """

    exercise: Exercise = "ball_curl"
    posture: Literal["standing", "supine"] = "supine"
    eccentric: Literal["first", "second"] = "second"
    k_ext = 4.0
    k_in = 118.0
    lift_part = 0.3

    def __init__(self, seg: Segments, options: dict[str, float] | None = None) -> None:
        super().__init__(seg, options)
        self.hips_up = bool(self.options.get("hips_up", 0.0)) or self.single_leg
        self.uses_setup = self.hips_up
        self.radius = (0.325 if seg.height >= 1.70 else 0.275) * 0.95

    def _curl(self, p: float, setup: float, rep: RepContext) -> tuple[float, float, float]:
        """(lift 0..1, curl c 0..1, normalised curl progress)."""
        if self.hips_up:
            return setup, p, (p / rep.rom if rep.rom > 0 else 0.0)
        lift = min(1.0, p / self.lift_part)
        c = max(0.0, (p - self.lift_part) / (1 - self.lift_part))
        cmax = max(1e-6, (rep.rom - self.lift_part) / (1 - self.lift_part))
        return lift, c, min(1.0, c / cmax)

    def pose(self, p: float, setup: float, phase: Phase, rep: RepContext) -> BodyFrame:
        s = self.seg
        f = rep.faults
        lift, c, cn = self._curl(p, setup, rep)
        ext_f = rep.prev_faults if phase in ("first", "pre") else f
        k_ext = self.k_ext + ext_f.incomplete_extension_deg
        k_in = self.k_in - f.incomplete_curl_deg
        k = k_ext + c * (k_in - k_ext)
        heel_z = 2 * self.radius
        h_sh = s.lying_shoulder_height
        beta_ext = float(np.arcsin((heel_z + s.ankle_height - h_sh) / (s.trunk + s.leg)))
        beta_in = beta_ext + np.radians(16.0)
        h_up = h_sh + s.trunk * np.sin(beta_ext + c * (beta_in - beta_ext))
        if f.ball_hips_sag_cm:
            # the hips sink instead of rising as the ball comes in: at the curled point they
            # are ball_hips_sag_cm below where the roll-in started
            h_ext = h_sh + s.trunk * np.sin(beta_ext)
            h_up -= (h_up - h_ext + f.ball_hips_sag_cm / 100.0) * cn
        h = s.lying_hip_height + lift * (h_up - s.lying_hip_height)
        sh_pt = np.array([0.0, 0.0, h_sh])
        beta = float(np.arcsin(np.clip((h - h_sh) / s.trunk, -0.5, 0.99)))
        mid = sh_pt + s.trunk * np.array([np.cos(beta), 0.0, np.sin(beta)])
        trunk = segment_frame(sh_pt - mid, LEFT)
        st = _stance(rep.leg)
        roll = _sgn(_other(st)) * f.hips_not_level_deg * cn if self.single_leg else 0.0
        pelvis = trunk @ rot_z(roll)
        legs: dict[Side, tuple[FloatArray, FloatArray, FloatArray]] = {}
        heel_x = 0.0
        d = float(np.sqrt(s.thigh**2 + s.shank**2 + 2 * s.thigh * s.shank * np.cos(np.radians(k))))
        for side in SIDES:
            hip = mid + pelvis @ np.array([0.0, _sgn(side) * s.hip_width / 2, 0.0])
            az = heel_z + s.ankle_height
            for _ in range(3):
                dz = az - hip[2]
                dx = float(np.sqrt(max(d * d - dz * dz, 1e-4)))
                ankle = np.array([hip[0] + dx, hip[1] * 0.8, az])
                knee = two_link_ik(hip, ankle, s.thigh, s.shank, UP)
                shank = segment_frame(knee - ankle, LEFT)
                foot = shank @ rot_y(-5.0)
                heel = ankle + foot @ np.array([-s.heel_back, 0.0, -s.ankle_height])
                az += heel_z - heel[2]
            legs[side] = _leg_from_points(hip, knee, ankle, foot, LEFT)
            if side == st or not self.single_leg:
                heel_x = float(heel[0])
        if self.single_leg:
            fs = _other(st)
            th_ball = legs[fs][0]
            th_up = segment_frame(-np.array([0.2, 0.0, 1.0]), LEFT)
            th = segment_frame((1 - setup) * th_ball[:, 2] + setup * th_up[:, 2], LEFT)
            knee_ball = float(
                np.degrees(np.arccos(np.clip(np.dot(th_ball[:, 2], legs[fs][1][:, 2]), -1, 1)))
            )
            sh = th @ rot_y((1 - setup) * knee_ball + setup * 10.0)
            legs[fs] = (th, sh, sh @ rot_y(-5.0))
        head = root_rotation("supine")
        pts = skeleton_points(s, _frames(mid, pelvis, trunk, head, legs, _supine_arms(s)))
        ball_y = _sgn(st) * s.hip_width / 2 * 0.8 if self.single_leg else 0.0
        ball = np.array([heel_x, ball_y, self.radius])
        return BodyFrame(pts, {"ball": ball})


class SingleLegBallCurlMotion(BallCurlMotion):
    exercise: Exercise = "single_leg_ball_curl"
    single_leg = True


# ------------------------------------------------------------------------------ deadlift


class SingleLegDeadliftMotion(Motion):
    """Single-leg deadlift (D1; D2 with a weight held in front): hinge on the stance leg."""

    exercise: Exercise = "single_leg_deadlift"
    single_leg = True
    uses_setup = True
    theta_max = 80.0

    def pose(self, p: float, setup: float, phase: Phase, rep: RepContext) -> BodyFrame:
        s = self.seg
        f = rep.faults
        st = _stance(rep.leg)
        fs = _other(st)
        ss = _sgn(st)
        pn = p / rep.rom if rep.rom > 0 else 0.0
        trunk_deg = self.theta_max * p
        leg_deg = trunk_deg
        if phase == "first" and f.back_leads_deg > 0:
            bottom = self.theta_max * rep.rom
            lag = min(0.95, f.back_leads_deg / max(bottom, 1e-6))
            leg_deg = bottom * max(0.0, (pn - lag) / (1 - lag))
        trunk_deg += f.v_shape_deg * pn
        ks = 18.0 * pn
        a, b = 0.45 * ks, 0.55 * ks
        hs = stance_half_width(s, setup)
        hip, knee, ankle, st_foot = standing_leg(s, st, hs, 5.0, a, standing_elevation(s, hs) - b)
        open_deg = _sgn(fs) * f.hips_open_deg * pn
        pelvis = rot_y(trunk_deg) @ rot_z(open_deg)
        pos = hip - pelvis @ np.array([0.0, ss * s.hip_width / 2, 0.0])
        legs: dict[Side, tuple[FloatArray, FloatArray, FloatArray]] = {
            st: _leg_from_points(hip, knee, ankle, st_foot, LEFT)
        }
        knee_free = setup * 25.0 * (1 - pn) + 5.0 * pn
        la = LegAngles(hip_flex=trunk_deg - leg_deg, knee_flex=knee_free)
        th = pelvis @ leg_rotation(fs, la)
        sh = th @ rot_y(la.knee_flex)
        # the free foot stays level while it leaves the floor, then points to the floor
        legs[fs] = (th, sh, sh @ rot_y(-knee_free * (1 - pn) - 20.0 * pn))
        weighted = bool(self.options.get("weighted", 0.0))
        arms = {
            side: _arm_frames(np.array([0.05, -_sgn(side) * (0.18 if weighted else 0.05), -1.0]))
            for side in SIDES
        }
        pts = skeleton_points(s, _frames(pos, pelvis, pelvis, pelvis @ rot_y(-15.0), legs, arms))
        pts[:, 1] += ss * (s.hip_width / 2 - hs)  # keeps the stance foot where it stood
        return BodyFrame(pts, {})


def walk_pose(seg: Segments, t_s: float, x: float) -> BodyFrame:
    """A simple walking gait (for a walk-in), pelvis at ``x`` along +X, facing +X."""
    w = 2 * np.pi * 0.9 * t_s
    ang = JointAngles()
    for side, ph in zip(SIDES, (0.0, np.pi), strict=True):
        sw = float(np.sin(w + ph))
        ang.legs[side] = LegAngles(
            hip_flex=20.0 * sw, knee_flex=5.0 + 30.0 * max(0.0, float(np.sin(w + ph + 1.2)))
        )
        ang.arms[side].shoulder_flex = -15.0 * sw
    pos = np.array([x, 0.0, seg.standing_hip_height - 0.02 * seg.scale])
    fr = frames_from_angles(pos, root_rotation("standing"), ang)
    return BodyFrame(skeleton_points(seg, fr), {})


MOTIONS: Final[dict[str, type[Motion]]] = {
    "bridge": BridgeMotion,
    "single_leg_bridge": SingleLegBridgeMotion,
    "ball_curl": BallCurlMotion,
    "single_leg_ball_curl": SingleLegBallCurlMotion,
    "squat": SquatMotion,
    "box_squat": BoxSquatMotion,
    "single_leg_squat": SingleLegSquatMotion,
    "single_leg_deadlift": SingleLegDeadliftMotion,
}
