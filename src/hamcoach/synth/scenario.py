"""Synthetic sets: a :class:`SetSpec` in, a pose track plus its ground truth out.

``generate_set(spec)`` builds the timeline of the set (a still lead-in, optional walk-in, the
setup of the stage, the reps with their phases and rests, a still lead-out), poses the body at
every frame (:mod:`hamcoach.synth.motions`), places the camera (:mod:`hamcoach.synth.camera`),
projects, and adds noise (:mod:`hamcoach.synth.noise`). The same seed gives the same track.

Ground truth (:class:`Truth`) comes from the noise-free 3D model:

* reps: start (the body leaves the start position), bottom (the turning point: deepest squat, top
  of a bridge, nearest point of a ball curl, lowest hinge; the middle of the hold when there is
  one), end (back at the start position), the working leg, phase durations, and the check ids of
  PROGRAM.md section 7 that this rep **should fail** (with the true metric behind each verdict);
* per-frame joint angles in degrees. Convention: ``knee_flexion`` = 180 - the 3D angle
  hip-knee-ankle (0 = straight leg, positive = bent); ``hip_flexion`` = the angle between the thigh
  (hip->knee) and the continuation of the trunk line (shoulder->hip) of the same side, both
  projected on the body's sagittal plane (the shoulder/hip lateral axis removed),
  positive when the thigh is in front of the trunk (0 = thigh in line with the trunk, negative =
  extension, as the free leg of a deadlift); ``thigh_elevation`` = angle of hip above knee over the
  horizontal (negative = hip below knee, i.e. past parallel); ``trunk_inclination`` = angle of
  mid-hip->mid-shoulder from vertical; ``pelvis_obliquity`` = angle of the hip line over the
  horizontal, positive = left hip higher.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Final, Literal

import numpy as np

from hamcoach.errors import HamCoachError
from hamcoach.landmarks import L
from hamcoach.synth.body import BodySpec, FloatArray, Segments
from hamcoach.synth.camera import Camera, CameraSpec, ViewName, place_camera, project_landmarks
from hamcoach.synth.motions import (
    MOTIONS,
    BodyFrame,
    Faults,
    Leg,
    Motion,
    Phase,
    RepContext,
    walk_pose,
)
from hamcoach.synth.noise import NoiseLevel, NoiseLog, NoiseSpec, apply_noise
from hamcoach.track import PoseTrack


class SynthSpecError(HamCoachError):
    hint = "Check the SetSpec fields against docs/SYNTH.md."


@dataclass(frozen=True)
class StageInfo:
    stage: str
    exercise: str
    options: tuple[tuple[str, float], ...]
    checks: tuple[str, ...]  # the section-7 checks of the stage


_BRIDGE_CHECKS = (
    "bridge.hip_height",
    "bridge.heel_down",
    "bridge.slow_lowering",
    "tempo.controlled",
)
_CURL_CHECKS = (
    "ball_curl.hips_up",
    "ball_curl.full_extension",
    "ball_curl.full_curl",
    "tempo.controlled",
)
_SQUAT_CHECKS = (
    "squat.depth",
    "squat.knee_valgus",
    "squat.knees_past_toes",
    "squat.knees_together_ascent",
    "tempo.controlled",
)
_SLDL_CHECKS = ("sldl.leg_leads", "sldl.body_line", "sldl.hips_square", "tempo.controlled")

STAGES: Final[dict[str, StageInfo]] = {
    "B1": StageInfo("B1", "bridge", (), _BRIDGE_CHECKS),
    "B2": StageInfo("B2", "bridge", (("continuous", 1.0),), (*_BRIDGE_CHECKS, "bridge.no_rest")),
    "B3": StageInfo("B3", "single_leg_bridge", (), (*_BRIDGE_CHECKS, "bridge.hips_level")),
    "C1": StageInfo("C1", "ball_curl", (), _CURL_CHECKS),
    "C2": StageInfo("C2", "ball_curl", (("hips_up", 1.0),), (*_CURL_CHECKS, "bridge.no_rest")),
    "C3": StageInfo(
        "C3",
        "single_leg_ball_curl",
        (("hips_up", 1.0),),
        (*_CURL_CHECKS, "bridge.no_rest", "bridge.hips_level"),
    ),
    "S1": StageInfo("S1", "box_squat", (("bench", 1.0),), _SQUAT_CHECKS),
    "S2": StageInfo("S2", "squat", (), _SQUAT_CHECKS),
    "S3": StageInfo(
        "S3",
        "single_leg_squat",
        (),
        (
            "squat.depth",
            "squat.knee_valgus",
            "squat.pelvis_level",
            "squat.trunk_lean",
            "tempo.controlled",
        ),
    ),
    "S4": StageInfo("S4", "squat", (("loaded", 1.0),), _SQUAT_CHECKS),
    "D1": StageInfo("D1", "single_leg_deadlift", (), _SLDL_CHECKS),
    "D2": StageInfo("D2", "single_leg_deadlift", (("weighted", 1.0),), _SLDL_CHECKS),
}


@dataclass(frozen=True)
class TruthThresholds:
    """Where the ground truth draws the line between a good and a faulty rep.

    Sources: PROGRAM.md section 7 wording, and clinical rules of thumb marked ``synth``. They are
    deliberately independent of ``hamcoach.settings`` (the checker's tunable thresholds), so the
    truth does not move when the checker is tuned. Benchmarks should sample magnitudes clearly
    away from these lines (as :func:`suite` does) and report near-line cases separately.
    """

    squat_depth_deg: float = 0.0  # article: thigh past parallel
    box_squat_margin_deg: float = 8.0  # synth: hips stop this far (thigh deg) above the bench
    knee_valgus_ratio: float = 0.05  # synth: knee clearly medial of the hip-ankle line
    knees_past_toes_ratio: float = 0.25  # synth: knee ahead of the toes / shank ('clearly')
    knees_together_loss: float = 0.20  # synth: gap lost vs the way down, / gap at the bottom
    pelvis_drop_deg: float = 5.0  # synth
    trunk_lean_deg: float = 10.0  # synth
    bridge_line_deg: float = 15.0  # synth: shoulder-hip-knee deviation from straight
    # eval labels: single-leg bridges judged "reasonably extended" reach 40 deg (one leg extends
    # the hip less than two; settings.single_leg_bridge_hip_height)
    single_leg_bridge_line_deg: float = 40.0
    heel_lift_m: float = 0.02  # synth
    hips_level_deg: float = 5.0  # synth
    no_rest_s: float = 1.0  # PROGRAM.md: about 1 s or more
    bridge_drop_s: float = 0.4  # eval labels: bridges lowered in 0.43 s were not called fast
    min_eccentric_s: float = 1.5  # PROGRAM.md section 3: eccentric phase at least ~1.5 s
    # A lowering is timed as a person watching the true body would time it: the true body's
    # 10-90 % travel time x this (eval labels: labelled phase / its travel, 87 real reps).
    travel_low: float = 0.1
    travel_high: float = 0.9
    labelled_phase_per_travel: float = 1.33
    ball_hips_sag_m: float = 0.05  # synth
    full_extension_deg: float = 15.0  # synth: knee flexion at the far point
    full_curl_deg: float = 100.0  # synth: knee flexion the near point must reach
    leg_leads_deg: float = 15.0  # synth: trunk tilt beyond the free leg's swing (true_leg_lead_deg)
    body_line_deg: float = 15.0  # synth: trunk vs free-leg deviation from straight
    hips_square_deg: float = 15.0  # synth: pelvis opening


TRUTH_THRESHOLDS: Final = TruthThresholds()


@dataclass(frozen=True)
class Tempo:
    """Phase durations (s). ``first`` leaves the start position, ``second`` returns to it."""

    first_s: float = 1.5
    hold_s: float = 0.5
    second_s: float = 1.5
    rest_s: float = 1.0


# Default tempos: slow, controlled lowerings ("slow and controlled", PROGRAM.md 3) that a person
# timing the video would call about 2.2 s (observed_eccentric_s), clear of the 1.5 s line. The
# generator's eased phases are longer than that: their slow ends barely move the body.
DEFAULT_TEMPO: Final[dict[str, Tempo]] = {
    "bridge": Tempo(1.2, 1.0, 2.8, 1.2),
    "single_leg_bridge": Tempo(1.2, 1.0, 2.8, 1.2),
    "ball_curl": Tempo(1.5, 0.5, 3.8, 1.0),  # C1: roll out, then lower the hips
    "single_leg_ball_curl": Tempo(1.5, 0.5, 2.9, 1.0),
    "squat": Tempo(3.2, 0.3, 1.3, 0.8),
    "box_squat": Tempo(3.1, 0.6, 1.3, 0.8),
    "single_leg_squat": Tempo(3.5, 0.5, 1.5, 1.0),
    "single_leg_deadlift": Tempo(3.4, 0.5, 1.8, 1.0),
}
CONTINUOUS_REST_S: Final = 0.2  # B2, C2, C3: no rest between reps


@dataclass(frozen=True)
class RepSpec:
    """One rep: range of motion (1 = full), faults, and optional tempo/leg overrides."""

    rom: float = 1.0
    faults: Faults = field(default_factory=Faults)
    tempo: Tempo | None = None
    leg: Literal["left", "right"] | None = None


@dataclass(frozen=True)
class SetSpec:
    """Everything that defines a synthetic set. See docs/SYNTH.md for examples.

    ``reps`` (if given) spells out every rep; otherwise ``n_reps`` reps of ``rom`` and ``faults``.
    ``leg``: the working leg of single-leg stages, or ``alternate`` (left first); ignored on
    two-leg stages (reps are ``both``). ``tempo`` None = the exercise default. ``tempo_jitter`` /
    ``rom_jitter``: random per-rep variation (fractions). ``right_rom``: range multiplier of
    right-leg reps (left/right asymmetry).
    """

    stage: str = "S2"
    n_reps: int = 5
    reps: tuple[RepSpec, ...] | None = None
    rom: float = 1.0
    faults: Faults = field(default_factory=Faults)
    leg: Literal["left", "right", "alternate"] = "left"
    tempo: Tempo | None = None
    tempo_jitter: float = 0.0
    rom_jitter: float = 0.0
    right_rom: float = 1.0
    pillow: bool = False
    body: BodySpec = field(default_factory=BodySpec)
    camera: CameraSpec = field(default_factory=CameraSpec)
    noise: NoiseSpec = field(default_factory=NoiseSpec)
    fps: float = 30.0
    lead_in_s: float = 1.5
    lead_out_s: float = 1.5
    walk_in: bool = False
    seed: int = 0

    def problems(self) -> list[str]:
        out: list[str] = []
        if self.stage not in STAGES:
            out.append(f"stage must be one of {', '.join(STAGES)}, got {self.stage!r}")
        if self.reps is None and self.n_reps < 1:
            out.append(f"n_reps must be at least 1, got {self.n_reps}")
        if self.reps is not None and len(self.reps) == 0:
            out.append("reps, when given, must hold at least one RepSpec")
        if not 5.0 <= self.fps <= 240.0:
            out.append(f"fps must be in [5, 240], got {self.fps}")
        roms = [r.rom for r in self.reps] if self.reps is not None else [self.rom]
        if any(not 0.05 <= r <= 1.3 for r in roms):
            out.append(f"rom must be in [0.05, 1.3] (1 = full range), got {roms}")
        if self.lead_in_s < 0 or self.lead_out_s < 0:
            out.append("lead_in_s and lead_out_s must not be negative")
        out += self.body.problems()
        out += self.camera.problems()
        return out


@dataclass(frozen=True)
class TruthRep:
    index: int  # 1-based, as audit.Rep
    start_s: float
    bottom_s: float
    end_s: float
    leg: Leg
    down_s: float  # first phase
    pause_s: float
    up_s: float  # second phase
    rom: float
    faults: tuple[str, ...]  # check ids this rep should fail
    metrics: dict[str, float]  # the true value behind each check of the stage
    magnitudes: dict[str, float]  # the requested fault magnitudes (Faults fields)
    # how far the body really moved (true_range_fractions): a full-range rep whose fault cuts
    # its movement short (a shallow squat, a sagging bridge) can move less than ``rom`` says
    range_fraction: float = 1.0


@dataclass
class Truth:
    stage: str
    exercise: str
    view: ViewName
    near_side: Literal["left", "right"]
    posture: Literal["standing", "lying"]
    facing: Literal["left", "right", "camera", "away", "up"]  # as audit.ViewInfo.facing
    reps: list[TruthRep]
    checks: tuple[str, ...]  # the section-7 checks of the stage
    angles: dict[str, FloatArray]  # per frame, degrees (convention: module docstring)
    lab_points: FloatArray  # (T, 33, 3) metres, noise-free, lab frame (Z up)
    clean_image: FloatArray  # (T, 33, 3) noise-free projection
    clean_confidence: FloatArray  # (T, 33) visibility before noise
    props: dict[str, FloatArray]  # e.g. "ball" (T, 3) centre, "bench" (3,)
    camera: Camera
    noise_log: NoiseLog
    segments: Segments
    thresholds: TruthThresholds = TRUTH_THRESHOLDS


@dataclass
class SyntheticSet:
    spec: SetSpec
    track: PoseTrack
    truth: Truth


# ------------------------------------------------------------------------------- timeline


# Where a timeline segment eases to zero speed: both ends, or only its start or its end.
Ease = Literal["both", "start", "end"]


@dataclass(frozen=True)
class _Seg:
    t0: float
    t1: float
    phase: Phase
    ctx: int
    p0: float
    p1: float
    u0: float
    u1: float
    ease: Ease = "both"


def _resolve_reps(spec: SetSpec, rng: np.random.Generator, single_leg: bool) -> list[RepSpec]:
    base = (
        list(spec.reps)
        if spec.reps is not None
        else [RepSpec(rom=spec.rom, faults=spec.faults) for _ in range(spec.n_reps)]
    )
    out: list[RepSpec] = []
    for i, r in enumerate(base):
        leg: Literal["left", "right"] | None = None
        if single_leg:
            if r.leg is not None:
                leg = r.leg
            elif spec.leg == "alternate":
                leg = "left" if i % 2 == 0 else "right"
            else:
                leg = spec.leg
        rom = r.rom
        if spec.rom_jitter:
            rom *= float(1 + rng.uniform(-spec.rom_jitter, spec.rom_jitter))
        if leg == "right":
            rom *= spec.right_rom
        out.append(replace(r, rom=float(np.clip(rom, 0.05, 1.3)), leg=leg))
    return out


def _timeline(
    spec: SetSpec, motion: Motion, reps: list[RepSpec], rng: np.random.Generator
) -> tuple[list[_Seg], list[RepContext], list[tuple[float, float, float, float, float, float]]]:
    """Segments, rep contexts, and per rep (start, bottom, end, first, hold, second) seconds."""
    info = STAGES[spec.stage]
    no_rest_stage = "bridge.no_rest" in info.checks
    base_tempo = spec.tempo or DEFAULT_TEMPO[motion.exercise]
    if spec.tempo is None and no_rest_stage:
        base_tempo = replace(base_tempo, rest_s=CONTINUOUS_REST_S)
    segs: list[_Seg] = []
    t = 0.0
    u_ready = 1.0

    def add(
        dur: float,
        phase: Phase,
        ctx: int,
        p0: float,
        p1: float,
        u0: float,
        u1: float,
        ease: Ease = "both",
    ) -> None:
        nonlocal t
        if dur <= 0:
            return
        if not motion.uses_setup:
            u0 = u1 = 1.0
        segs.append(_Seg(t, t + dur, phase, ctx, p0, p1, u0, u1, ease))
        t += dur

    ctxs: list[RepContext] = []
    for i, r in enumerate(reps):
        leg: Leg = r.leg if r.leg is not None else "both"
        prev = reps[i - 1].faults if i > 0 else r.faults
        ctxs.append(RepContext(rom=r.rom, leg=leg, faults=r.faults, prev_faults=prev))

    add(spec.lead_in_s, "lead", 0, 0, 0, 0, 0)
    add(0.8, "lead", 0, 0, 0, 0, u_ready)
    add(0.4, "lead", 0, 0, 0, u_ready, u_ready)
    times: list[tuple[float, float, float, float, float, float]] = []
    for i, r in enumerate(reps):
        if i > 0 and motion.single_leg and r.leg != reps[i - 1].leg:
            add(0.5, "rest", i - 1, 0, 0, u_ready, 0)
            add(0.5, "pre", i, 0, 0, 0, u_ready)
        if r.faults.rest_before_s > 0 and i > 0:
            if no_rest_stage:
                add(0.5, "pre", i, 0, 0, u_ready, 0)
                add(r.faults.rest_before_s, "pre", i, 0, 0, 0, 0)
                add(0.5, "pre", i, 0, 0, 0, u_ready)
            else:
                add(r.faults.rest_before_s, "pre", i, 0, 0, u_ready, u_ready)
        tempo = r.tempo or base_tempo
        j = spec.tempo_jitter
        first, hold, second = (
            d * float(1 + rng.uniform(-j, j)) if j else d
            for d in (tempo.first_s, tempo.hold_s, tempo.second_s)
        )
        if r.faults.fast_eccentric_s is not None:
            if motion.eccentric == "first":
                first = r.faults.fast_eccentric_s
            else:
                second = r.faults.fast_eccentric_s
        start = t
        # continuous stages turn round at the floor without stopping (touch and go)
        first_ease: Ease = "end" if no_rest_stage else "both"
        second_ease: Ease = "start" if no_rest_stage else "both"
        add(first, "first", i, 0, r.rom, u_ready, u_ready, first_ease)
        add(hold, "hold", i, r.rom, r.rom, u_ready, u_ready)
        add(second, "second", i, r.rom, 0, u_ready, u_ready, second_ease)
        times.append((start, start + first + hold / 2, t, first, hold, second))
        if i < len(reps) - 1:
            rest = tempo.rest_s * (float(1 + rng.uniform(-j, j)) if j else 1.0)
            add(rest, "rest", i, 0, 0, u_ready, u_ready)
    last = len(reps) - 1
    add(0.8, "rest", last, 0, 0, u_ready, 0)
    add(spec.lead_out_s, "lead", last, 0, 0, 0, 0)
    return segs, ctxs, times


def _ease(x: float, which: Ease = "both") -> float:
    """Fraction of a segment's way done at time fraction ``x``: eased (zero speed) at both ends,
    or only at its start or its end (a continuous set turns round at the floor without
    stopping: its phases keep their speed there)."""
    x = min(1.0, max(0.0, x))
    if which == "end":
        return float(np.sin(0.5 * np.pi * x))
    if which == "start":
        return 1.0 - float(np.cos(0.5 * np.pi * x))
    return 0.5 - 0.5 * float(np.cos(np.pi * x))


# --------------------------------------------------------------------------- truth angles


def _angle(a: FloatArray, b: FloatArray) -> FloatArray:
    na = np.linalg.norm(a, axis=-1)
    nb = np.linalg.norm(b, axis=-1)
    c = np.sum(a * b, axis=-1) / np.maximum(na * nb, 1e-12)
    return np.asarray(np.degrees(np.arccos(np.clip(c, -1.0, 1.0))), dtype=np.float64)


def _drop(v: FloatArray, axis: FloatArray) -> FloatArray:
    """``v`` without its component along the unit vectors ``axis`` (row-wise)."""
    return np.asarray(v - np.sum(v * axis, axis=-1, keepdims=True) * axis, dtype=np.float64)


def true_angles(pts: FloatArray) -> dict[str, FloatArray]:
    """Joint angles (degrees) of lab points (T, 33, 3); convention in the module docstring."""
    out: dict[str, FloatArray] = {}
    left = (
        pts[:, L.LEFT_SHOULDER]
        - pts[:, L.RIGHT_SHOULDER]
        + pts[:, L.LEFT_HIP]
        - pts[:, L.RIGHT_HIP]
    )
    mid_hip = (pts[:, L.LEFT_HIP] + pts[:, L.RIGHT_HIP]) / 2
    mid_sh = (pts[:, L.LEFT_SHOULDER] + pts[:, L.RIGHT_SHOULDER]) / 2
    up = mid_sh - mid_hip
    fwd = np.cross(left, up)
    lat = left / np.maximum(np.linalg.norm(left, axis=-1, keepdims=True), 1e-12)
    for side, (sh, hip, knee, ank) in {
        "left": (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE),
        "right": (L.RIGHT_SHOULDER, L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE),
    }.items():
        thigh = pts[:, knee] - pts[:, hip]
        shank = pts[:, ank] - pts[:, knee]
        out[f"knee_flexion_{side}"] = _angle(thigh, shank)
        # hip flexion is measured in the sagittal plane (the lateral component removed)
        trunk_down = _drop(pts[:, hip] - pts[:, sh], lat)
        thigh_s = _drop(thigh, lat)
        mag = _angle(trunk_down, thigh_s)
        sign = np.where(np.sum(thigh_s * fwd, axis=-1) >= 0, 1.0, -1.0)
        out[f"hip_flexion_{side}"] = mag * sign
        rise = pts[:, hip, 2] - pts[:, knee, 2]
        out[f"thigh_elevation_{side}"] = np.degrees(
            np.arcsin(np.clip(rise / np.maximum(np.linalg.norm(thigh, axis=-1), 1e-12), -1, 1))
        )
    out["trunk_inclination"] = _angle(up, np.array([0.0, 0.0, 1.0])[None, :])
    hl = pts[:, L.LEFT_HIP] - pts[:, L.RIGHT_HIP]
    out["pelvis_obliquity"] = np.degrees(
        np.arcsin(np.clip(hl[:, 2] / np.maximum(np.linalg.norm(hl, axis=-1), 1e-12), -1, 1))
    )
    return out


# ---------------------------------------------------------------------------- rep verdicts

_IDX: Final[dict[str, dict[str, int]]] = {
    "left": {
        "sh": L.LEFT_SHOULDER,
        "hip": L.LEFT_HIP,
        "knee": L.LEFT_KNEE,
        "ankle": L.LEFT_ANKLE,
        "heel": L.LEFT_HEEL,
        "toe": L.LEFT_FOOT_INDEX,
    },
    "right": {
        "sh": L.RIGHT_SHOULDER,
        "hip": L.RIGHT_HIP,
        "knee": L.RIGHT_KNEE,
        "ankle": L.RIGHT_ANKLE,
        "heel": L.RIGHT_HEEL,
        "toe": L.RIGHT_FOOT_INDEX,
    },
}


def _rep_metrics(
    info: StageInfo,
    since: list[TruthRep],
    rep: TruthRep,
    r: RepSpec,
    pts: FloatArray,
    ang: dict[str, FloatArray],
    t_s: FloatArray,
    seg: Segments,
) -> dict[str, float]:
    """The true value behind each check of the stage, for one rep."""
    th = TRUTH_THRESHOLDS
    idx = np.flatnonzero((t_s >= rep.start_s - 1e-9) & (t_s <= rep.end_s + 1e-9))
    bot = int(np.argmin(np.abs(t_s - rep.bottom_s)))
    asc = np.flatnonzero((t_s >= rep.bottom_s + rep.pause_s / 2) & (t_s <= rep.end_s))
    work: list[str] = ["left", "right"] if rep.leg == "both" else [rep.leg]
    free = "right" if rep.leg == "left" else "left"
    m: dict[str, float] = {}
    f = r.faults
    for check in info.checks:
        if check == "squat.depth":
            elev = np.mean([ang[f"thigh_elevation_{s}"][idx] for s in work], axis=0)
            m[check] = float(np.min(elev))
        elif check == "squat.knee_valgus":
            # frontal plane (y, z): signed medial distance of the knee from the hip-ankle line,
            # over the frames where the hip is above the knee (deeper, the line is degenerate)
            worst = 0.0
            for s in work:
                i = _IDX[s]
                sel = idx[ang[f"thigh_elevation_{s}"][idx] > VALGUS_MIN_ELEVATION_DEG]
                if len(sel) == 0:
                    continue
                hip, knee, ank = (pts[sel, i[k]][:, 1:] for k in ("hip", "knee", "ankle"))
                line, rel = ank - hip, knee - hip
                cross = line[:, 0] * rel[:, 1] - line[:, 1] * rel[:, 0]
                dist = cross / np.maximum(np.linalg.norm(line, axis=1), 1e-12)
                # the line runs downwards: a knee on the +y side of it has cross > 0
                medial = -dist if s == "left" else dist
                worst = max(worst, float(np.max(medial)) / seg.leg)
            m[check] = worst
        elif check == "squat.knees_past_toes":
            m[check] = max(
                float(pts[bot, _IDX[s]["knee"], 0] - pts[bot, _IDX[s]["toe"], 0]) / seg.shank
                for s in work
            )
        elif check == "squat.knees_together_ascent":
            # knee gap on the way up against the way down at the same thigh elevation
            gap = pts[:, L.LEFT_KNEE, 1] - pts[:, L.RIGHT_KNEE, 1]
            elev = (ang["thigh_elevation_left"] + ang["thigh_elevation_right"]) / 2
            desc = idx[t_s[idx] <= rep.start_s + rep.down_s]
            g_b = float(gap[bot])
            loss = 0.0
            if len(asc) and len(desc) > 1 and g_b > 0:
                order = np.argsort(elev[desc])
                ref = np.interp(elev[asc], elev[desc][order], gap[desc][order])
                loss = float(np.max(ref - gap[asc])) / g_b
            m[check] = loss
        elif check == "squat.pelvis_level":
            ob = ang["pelvis_obliquity"][idx]
            m[check] = float(np.max(ob if free == "right" else -ob))
        elif check == "squat.trunk_lean":
            mid_hip = (pts[idx, L.LEFT_HIP] + pts[idx, L.RIGHT_HIP]) / 2
            mid_sh = (pts[idx, L.LEFT_SHOULDER] + pts[idx, L.RIGHT_SHOULDER]) / 2
            d = mid_sh - mid_hip
            m[check] = float(np.max(np.degrees(np.arctan2(np.abs(d[:, 1]), d[:, 2]))))
        elif check == "bridge.hip_height":
            xz = pts[bot][:, [0, 2]]  # the sagittal plane (side view)
            dev = [
                180.0
                - float(
                    _angle(
                        xz[_IDX[s]["sh"]] - xz[_IDX[s]["hip"]],
                        xz[_IDX[s]["knee"]] - xz[_IDX[s]["hip"]],
                    )
                )
                for s in work
            ]
            m[check] = float(np.mean(dev))
        elif check == "bridge.heel_down":
            m[check] = max(
                float(np.max(pts[idx, _IDX[s]["heel"], 2]) - pts[0, _IDX[s]["heel"], 2])
                for s in work
            )
        elif check == "bridge.hips_level":
            dz = pts[idx, _IDX[work[0]]["hip"], 2] - pts[idx, _IDX[free]["hip"], 2]
            m[check] = float(np.degrees(np.arcsin(np.clip(np.max(dz) / seg.hip_width, -1, 1))))
        elif check == "bridge.no_rest":
            m[check] = longest_rest_s(info.exercise, [*since, rep], pts, ang, t_s) if since else 0.0
        elif check in ("bridge.slow_lowering", "tempo.controlled"):
            m[check] = observed_eccentric_s(info.exercise, rep, pts, ang, t_s)
        elif check == "ball_curl.hips_up":
            # how far the true hips fell below their highest point so far, up to the curled point
            roll_in = np.flatnonzero((t_s >= rep.start_s - 1e-9) & (t_s <= rep.bottom_s + 1e-9))
            hips = (pts[roll_in, L.LEFT_HIP, 2] + pts[roll_in, L.RIGHT_HIP, 2]) / 2
            m[check] = float(np.max(np.maximum.accumulate(hips) - hips))
        elif check == "ball_curl.full_extension":
            # the far point this curl starts from (the previous roll-out's end): a rep is judged
            # when it ends, and the roll-out that ends it is still going on then
            start = int(np.argmin(np.abs(t_s - rep.start_s)))
            m[check] = float(np.mean([ang[f"knee_flexion_{s}"][start] for s in work]))
        elif check == "ball_curl.full_curl":
            m[check] = float(np.mean([np.max(ang[f"knee_flexion_{s}"][idx]) for s in work]))
        elif check == "sldl.leg_leads":
            m[check] = true_leg_lead_deg(pts[idx], int(np.searchsorted(idx, bot)), free)
        elif check == "sldl.body_line":
            xz = pts[bot][:, [0, 2]]  # the sagittal plane (side view)
            mid_sh = (xz[L.LEFT_SHOULDER] + xz[L.RIGHT_SHOULDER]) / 2
            hip = xz[_IDX[free]["hip"]]
            m[check] = 180.0 - float(_angle(mid_sh - hip, xz[_IDX[free]["ankle"]] - hip))
        elif check == "sldl.hips_square":
            m[check] = float(f.hips_open_deg)
    del th
    return m


VALGUS_MIN_ELEVATION_DEG: Final = 10.0


def true_leg_lead_deg(pts: FloatArray, bottom: int, free: str) -> float:
    """The true lead of a hinge's trunk over its free leg (deg), as the clinic's line reads it:
    the largest tilt of the trunk from upright beyond the free leg's swing from hanging
    straight down, on the way down (frames up to ``bottom`` of the rep's true points ``pts``,
    z up), less any lead still held at the bottom (a "V", ``sldl.body_line``'s fault). A
    free foot resting a little behind the body already has its swing: the trunk reaching it
    before the leg moves is still one line (the generator's ``back_leads_deg`` counts from
    the leg's resting place, so it reads about 10 deg more)."""
    up = np.array([0.0, 0.0, 1.0])
    trunk = (pts[:, L.LEFT_SHOULDER] + pts[:, L.RIGHT_SHOULDER]) / 2 - (
        pts[:, L.LEFT_HIP] + pts[:, L.RIGHT_HIP]
    ) / 2
    leg = pts[:, _IDX[free]["ankle"]] - pts[:, _IDX[free]["hip"]]
    tilt = np.degrees(np.arccos(np.clip(trunk @ up / np.linalg.norm(trunk, axis=1), -1, 1)))
    swing = np.degrees(np.arccos(np.clip(-(leg @ up) / np.linalg.norm(leg, axis=1), -1, 1)))
    lead = tilt - swing
    return float(np.max(lead[: bottom + 1]) - max(float(lead[bottom]), 0.0))


def _lowers_first(exercise: str) -> bool:
    """Whether the exercise's lowering (eccentric) phase is its first one (squats, the hinge)."""
    return MOTIONS[exercise].eccentric == "first"


def true_range_fractions(
    exercise: str,
    reps: list[TruthRep],
    pts: FloatArray,
    ang: dict[str, FloatArray],
    t_s: FloatArray,
) -> list[float]:
    """Each rep's true excursion (:func:`lowering_measure` from its start to its turning point)
    as a share of the largest excursion of the set's full-range reps (``rom`` 1): what share of
    a full rep the body really moved. A squat stopping 25 deg above parallel drops its hips
    about half as far as one past parallel, and a 10 cm sag leaves a continuous bridge (hips
    hovering 5 cm up) under half its lift: the rep engine may call those partial."""
    values = lowering_measure(exercise, pts, ang)

    def excursion(rep: TruthRep) -> float:
        start = int(np.argmin(np.abs(t_s - rep.start_s)))
        turn = int(np.argmin(np.abs(t_s - rep.bottom_s)))
        return float(np.max(values[start : turn + 1]) - values[start])

    moves = [excursion(r) for r in reps]
    full = [m for m, r in zip(moves, reps, strict=True) if r.rom >= 1.0]
    best = max(full, default=max(moves, default=0.0))
    return [m / best if best > 0 else 1.0 for m in moves]


def lowering_measure(exercise: str, pts: FloatArray, ang: dict[str, FloatArray]) -> FloatArray:
    """Per frame, the true quantity a lowering moves (rising towards the turning point): the
    hips' drop for squats, the shoulders' drop for the hinge, the hips' lift for bridges, and
    the knees' flexion for ball curls (whose roll-out is the lowering, the hips follow later)."""
    hips = (pts[:, L.LEFT_HIP, 2] + pts[:, L.RIGHT_HIP, 2]) / 2
    if exercise in ("ball_curl", "single_leg_ball_curl"):
        return np.maximum(ang["knee_flexion_left"], ang["knee_flexion_right"])
    if exercise == "single_leg_deadlift":
        return -(pts[:, L.LEFT_SHOULDER, 2] + pts[:, L.RIGHT_SHOULDER, 2]) / 2
    return -hips if _lowers_first(exercise) else hips


def travel_window_s(
    values: FloatArray, t_s: FloatArray, low: float, high: float
) -> tuple[float, float]:
    """When (s) a monotone-ish phase (values from its start to its end level) passes ``low``
    and ``high`` of its travel: the last passage of ``low`` before it first reaches ``high``
    (linear interpolation between frames). Both the first time for a phase without travel."""
    span = float(values[-1] - values[0])
    if len(values) < 2 or span == 0:
        return float(t_s[0]), float(t_s[0])
    frac = (values - values[0]) / span
    k_high = int(np.argmax(frac >= high))
    if k_high == 0:
        return float(t_s[0]), float(t_s[0])
    k_low = int(np.flatnonzero(frac[:k_high] <= low)[-1])

    def cross(k: int, level: float) -> float:
        return float(t_s[k] + (level - frac[k]) / (frac[k + 1] - frac[k]) * (t_s[k + 1] - t_s[k]))

    t_low = cross(k_low, low)
    return t_low, max(cross(k_high - 1, high), t_low)


def travel_time_s(values: FloatArray, t_s: FloatArray, low: float, high: float) -> float:
    """Seconds a phase takes from ``low`` to ``high`` of its travel (:func:`travel_window_s`)."""
    t_low, t_high = travel_window_s(values, t_s, low, high)
    return t_high - t_low


def seen_phase_s(
    values: FloatArray, t_s: FloatArray, a_s: float, b_s: float
) -> tuple[float, float]:
    """When a person watching would say a phase of the true body started and ended (s): its
    10-90 % travel window between ``a_s`` and ``b_s``, widened at each end by half of what
    ``labelled_phase_per_travel`` adds (as the engine's RepEvent.down_seen_s; the truth keeps
    its own copy of the rule so that tuning the engine cannot move it)."""
    th = TRUTH_THRESHOLDS
    sel = np.flatnonzero((t_s >= a_s - 1e-9) & (t_s <= b_s + 1e-9))
    t_low, t_high = travel_window_s(values[sel], t_s[sel], th.travel_low, th.travel_high)
    margin = (th.labelled_phase_per_travel - 1.0) / 2.0 * (t_high - t_low)
    return t_low - margin, t_high + margin


# A rep of at least this share of the full range is a rep (the benchmark counts it); below it,
# a partial pulse.
FULL_REP_ROM: Final = 0.7


def since_full_rep(reps: list[TruthRep]) -> list[TruthRep]:
    """The reps from the last one of full range on (partial pulses after it included); all of
    them when none was full."""
    last = max((i for i, r in enumerate(reps) if r.rom >= FULL_REP_ROM), default=0)
    return reps[last:]


def longest_rest_s(
    exercise: str,
    reps: list[TruthRep],
    pts: FloatArray,
    ang: dict[str, FloatArray],
    t_s: FloatArray,
) -> float:
    """The rest before the last of ``reps`` (the previous full rep, the partial pulses after it,
    then this rep): the longest rest between two of them (:func:`observed_rest_s`). A partial
    pulse is movement, but it does not make the seconds the hips lay on the floor before it no
    rest: "no rest between reps" is broken by any rest of the stage's length since the last
    rep."""
    return max(observed_rest_s(exercise, a, b, pts, ang, t_s) for a, b in itertools.pairwise(reps))


def observed_rest_s(
    exercise: str,
    prev: TruthRep,
    rep: TruthRep,
    pts: FloatArray,
    ang: dict[str, FloatArray],
    t_s: FloatArray,
) -> float:
    """The rest before ``rep`` as a person watching would time it: from the previous rep's seen
    end to this rep's seen start (:func:`seen_phase_s` on :func:`lowering_measure`). A
    continuous set's turn at the floor is no rest; a lowering's eased, barely moving tail is."""
    values = lowering_measure(exercise, pts, ang)
    _, prev_end = seen_phase_s(values, t_s, prev.end_s - prev.up_s, prev.end_s)
    start, _ = seen_phase_s(values, t_s, rep.start_s, rep.start_s + rep.down_s)
    return max(start - prev_end, 0.0)


def observed_eccentric_s(
    exercise: str, rep: TruthRep, pts: FloatArray, ang: dict[str, FloatArray], t_s: FloatArray
) -> float:
    """The rep's lowering time as a person would time it on the true body: the travel time of
    :func:`lowering_measure` through the lowering phase x ``labelled_phase_per_travel``. The
    generator's own phase duration includes eased ends nobody can see (a squat's hips barely
    move during the first quarter of a 2.5 s descent), so it is not what a check can judge."""
    th = TRUTH_THRESHOLDS
    if _lowers_first(exercise):
        a, b = rep.start_s, rep.start_s + rep.down_s
    else:
        a, b = rep.end_s - rep.up_s, rep.end_s
    sel = np.flatnonzero((t_s >= a - 1e-9) & (t_s <= b + 1e-9))
    values = lowering_measure(exercise, pts, ang)[sel]
    travel = travel_time_s(values, t_s[sel], th.travel_low, th.travel_high)
    return travel * th.labelled_phase_per_travel


def truth_line(check: str, exercise: str) -> tuple[float, Literal[">", ">=", "<"]]:
    """The truth's line for ``check`` on ``exercise``, and how a faulty metric compares to it."""
    th = TRUTH_THRESHOLDS
    if check == "squat.depth":
        box = exercise == "box_squat"
        return (5.0 + th.box_squat_margin_deg if box else th.squat_depth_deg), ">"
    if check == "bridge.hip_height" and exercise == "single_leg_bridge":
        return th.single_leg_bridge_line_deg, ">"
    lines: dict[str, tuple[float, Literal[">", ">=", "<"]]] = {
        "squat.knee_valgus": (th.knee_valgus_ratio, ">"),
        "squat.knees_past_toes": (th.knees_past_toes_ratio, ">"),
        "squat.knees_together_ascent": (th.knees_together_loss, ">"),
        "squat.pelvis_level": (th.pelvis_drop_deg, ">"),
        "squat.trunk_lean": (th.trunk_lean_deg, ">"),
        "bridge.hip_height": (th.bridge_line_deg, ">"),
        "bridge.heel_down": (th.heel_lift_m, ">"),
        "bridge.hips_level": (th.hips_level_deg, ">"),
        "bridge.no_rest": (th.no_rest_s, ">="),
        "bridge.slow_lowering": (th.bridge_drop_s, "<"),
        "tempo.controlled": (th.min_eccentric_s, "<"),
        "ball_curl.hips_up": (th.ball_hips_sag_m, ">="),
        "ball_curl.full_extension": (th.full_extension_deg, ">"),
        "ball_curl.full_curl": (th.full_curl_deg, "<"),
        "sldl.leg_leads": (th.leg_leads_deg, ">="),
        "sldl.body_line": (th.body_line_deg, ">"),
        "sldl.hips_square": (th.hips_square_deg, ">="),
    }
    return lines[check]


# How close to the truth's line a true metric is "near the line" (units of the metric): too
# close to call either way, by the truth's own precision (a clinician could not tell 15.3 deg
# from 15) and by the lines' sources (rules of thumb). The benchmark scores these reps apart
# from the clear ones. The suite samples every fault past its line by more than this; near-line
# metrics arise as side effects (a 16 cm heel lift bends the body line to 15.3 deg).
NEAR_LINE_BANDS: Final[dict[str, float]] = {
    "squat.depth": 3.0,
    "squat.knee_valgus": 0.015,
    "squat.knees_past_toes": 0.05,
    "squat.knees_together_ascent": 0.05,
    "squat.pelvis_level": 1.5,
    "squat.trunk_lean": 3.0,
    "bridge.hip_height": 3.0,
    "bridge.heel_down": 0.005,
    "bridge.hips_level": 1.5,
    "bridge.no_rest": 0.2,
    "bridge.slow_lowering": 0.05,
    "tempo.controlled": 0.15,
    "ball_curl.hips_up": 0.01,
    "ball_curl.full_extension": 3.0,
    "ball_curl.full_curl": 5.0,
    "sldl.leg_leads": 3.0,
    "sldl.body_line": 3.0,
    "sldl.hips_square": 3.0,
}


def is_near_line(check: str, exercise: str, metric: float) -> bool:
    """Whether a true metric lies within :data:`NEAR_LINE_BANDS` of the truth's line."""
    line, _ = truth_line(check, exercise)
    return abs(metric - line) < NEAR_LINE_BANDS[check]


def _verdicts(info: StageInfo, m: dict[str, float]) -> tuple[str, ...]:
    """The checks whose true metric is on the faulty side of the truth's line."""
    out = []
    for check in info.checks:
        if check not in m:
            continue
        line, op = truth_line(check, info.exercise)
        v = m[check]
        if v > line if op == ">" else v >= line if op == ">=" else v < line:
            out.append(check)
    return tuple(out)


# ------------------------------------------------------------------------------ generation


def _facing(cam: Camera) -> Literal["left", "right", "camera", "away"]:
    """Where a standing performer's front (+X) points in the image of ``cam``."""
    fwd = np.array([1.0, 0.0, 0.0])
    depth = float(fwd @ cam.rotation[:, 2])
    if depth < -0.75:
        return "camera"
    if depth > 0.75:
        return "away"
    return "right" if float(fwd @ cam.rotation[:, 0]) > 0 else "left"


def generate_set(spec: SetSpec) -> SyntheticSet:
    """The pose track and ground truth of ``spec``. Deterministic for a given ``spec.seed``."""
    problems = spec.problems()
    if problems:
        raise SynthSpecError("Invalid synthetic set: " + "; ".join(problems) + ".")
    info = STAGES[spec.stage]
    rng = np.random.default_rng(spec.seed)
    seg = Segments.from_spec(spec.body)
    opts = dict(info.options)
    if spec.pillow:
        opts["pillow"] = 1.0
    motion = MOTIONS[info.exercise](seg, opts)
    reps = _resolve_reps(spec, rng, motion.single_leg)
    segs, ctxs, times = _timeline(spec, motion, reps, rng)
    walk = spec.walk_in and motion.posture == "standing"
    walk_s = 3.0 if walk else 0.0
    total = segs[-1].t1 + walk_s
    n = int(np.floor(total * spec.fps)) + 1
    t_s = np.arange(n) / spec.fps
    pts = np.zeros((n, 33, 3))
    ball = np.full((n, 3), np.nan)
    bench: FloatArray | None = None
    k = 0
    stand = motion.pose(0.0, 0.0, "lead", ctxs[0]).points
    for i, t in enumerate(t_s):
        if t < walk_s:
            x = -2.0 * (1 - t / walk_s)
            w = walk_pose(seg, t, x).points
            blend = max(0.0, (t - (walk_s - 0.6)) / 0.6)
            pts[i] = (1 - blend) * w + blend * stand
            continue
        tt = t - walk_s
        while k < len(segs) - 1 and tt >= segs[k].t1:
            k += 1
        sg = segs[k]
        x = _ease((tt - sg.t0) / (sg.t1 - sg.t0), sg.ease)
        p = sg.p0 + (sg.p1 - sg.p0) * x
        u = sg.u0 + (sg.u1 - sg.u0) * x
        fr: BodyFrame = motion.pose(p, u, sg.phase, ctxs[sg.ctx])
        pts[i] = fr.points
        if "ball" in fr.props:
            ball[i] = fr.props["ball"]
        if "bench" in fr.props:
            bench = fr.props["bench"]
    fit = pts[t_s >= walk_s]
    lying = motion.posture == "supine"
    cam = place_camera(spec.camera, fit, lying)
    image, world, conf = project_landmarks(cam, pts)
    noisy_img, noisy_world, noisy_conf, log = apply_noise(
        spec.noise, image, world, conf, spec.fps, spec.camera.height, rng
    )
    angles = true_angles(pts)
    truth_reps: list[TruthRep] = []
    for i, (r, (start, bottom, end, first, hold, second)) in enumerate(
        zip(reps, times, strict=True)
    ):
        leg: Leg = r.leg if r.leg is not None else "both"
        tr = TruthRep(
            index=i + 1,
            start_s=start + walk_s,
            bottom_s=bottom + walk_s,
            end_s=end + walk_s,
            leg=leg,
            down_s=first,
            pause_s=hold,
            up_s=second,
            rom=r.rom,
            faults=(),
            metrics={},
            magnitudes=r.faults.nonzero(),
        )
        metrics = _rep_metrics(info, since_full_rep(truth_reps), tr, r, pts, angles, t_s, seg)
        truth_reps.append(replace(tr, metrics=metrics, faults=_verdicts(info, metrics)))
    fractions = true_range_fractions(info.exercise, truth_reps, pts, angles, t_s)
    truth_reps = [
        replace(tr, range_fraction=f) for tr, f in zip(truth_reps, fractions, strict=True)
    ]
    props: dict[str, FloatArray] = {}
    if np.isfinite(ball).any():
        props["ball"] = ball
    if bench is not None:
        props["bench"] = bench
    track = PoseTrack(
        image=noisy_img,
        confidence=noisy_conf,
        t_s=t_s,
        width=spec.camera.width,
        height=spec.camera.height,
        fps=spec.fps,
        world=noisy_world,
        source=f"synth:{spec.stage}:{spec.camera.view}:seed{spec.seed}",
        backend="synth",
        meta={
            "synthetic": True,
            "stage": spec.stage,
            "exercise": info.exercise,
            "view": spec.camera.view,
            "near_side": spec.camera.near_side,
            "seed": spec.seed,
        },
    )
    truth = Truth(
        stage=spec.stage,
        exercise=info.exercise,
        view=spec.camera.view,
        near_side=spec.camera.near_side,
        posture="lying" if lying else "standing",
        facing="up" if lying else _facing(cam),
        reps=truth_reps,
        checks=info.checks,
        angles=angles,
        lab_points=pts,
        clean_image=image,
        clean_confidence=conf,
        props=props,
        camera=cam,
        noise_log=log,
        segments=seg,
    )
    return SyntheticSet(spec=spec, track=track, truth=truth)


# ----------------------------------------------------------------------------------- suites


def demo_squat_set(seed: int = 0, noise: NoiseLevel = "low") -> SetSpec:
    """A side-view S2 squat set of 5 good reps (no faults), for ``make demo``."""
    return SetSpec(
        stage="S2",
        n_reps=5,
        camera=CameraSpec(view="side", near_side="left"),
        noise=NoiseSpec.level(noise),
        seed=seed,
    )


# fault generators per stage: (Faults field, failing magnitudes, the check it should trip).
# A bridge's hips rise about 21 cm (1.75 m body): a sag of 7.5-10 cm bends the body line by
# 21-29 deg (truth line 15 deg); a deeper sag leaves less than half the lift, which the engine
# rightly rejects as a partial rep rather than a sagging one. Heel lifts of 14-18 cm: on the
# real clips a heel that stays down already measures up to 0.19 shank (~7 cm) of "lift" from
# pose noise at the foot (bridge_heel_down 0.2), so smaller lifts are below what a phone video
# shows: the margin sweep (`bench accuracy --margins`) fails 0 % of 10 cm lifts, 12 % of 12 cm
# and all 14 cm ones (4-7 cm lifts measured 0.03-0.14 shank, 10-14 cm ones 0.15-0.25).
# Past the engine's lines too, which the real clips or the clinic set: a pelvis drop of 14-20 deg
# (squat_pelvis_level 10), a sideways lean of 26-34 deg (squat_trunk_lean 20, where the real
# clips' doubtful reps measure 17-22), a V of 28-42 deg (sldl_body_line 20; a 25 deg V bends
# the true body line 22.9 deg, which the picture reads 3 deg flatter), a trunk tipping 32-45 deg
# before the free leg moves (sldl_leg_leads 20: the free foot rests about 10 deg behind the
# body, so the true lead over the leg is 23-38 deg, true_leg_lead_deg). Until 2026-11-27 the
# first two started at the engine's line (10-15, 18-25); leads of 25-40 deg (a true lead of
# 15-32) were sampled until the truth measured the lead over the leg's swing.
_FAULT_MENU: Final[dict[str, tuple[tuple[str, tuple[float, float]], ...]]] = {
    "bridge": (("hip_sag_cm", (7.5, 10.0)), ("heel_lift_cm", (14.0, 18.0))),
    "single_leg_bridge": (
        ("hip_sag_cm", (7.5, 10.0)),
        ("heel_lift_cm", (14.0, 18.0)),
        ("hips_not_level_deg", (10.0, 18.0)),
    ),
    "ball_curl": (
        ("ball_hips_sag_cm", (8.0, 14.0)),
        ("incomplete_extension_deg", (30.0, 45.0)),
        ("incomplete_curl_deg", (35.0, 50.0)),
    ),
    "single_leg_ball_curl": (
        ("ball_hips_sag_cm", (8.0, 14.0)),
        ("incomplete_extension_deg", (30.0, 45.0)),
        ("incomplete_curl_deg", (35.0, 50.0)),
        ("hips_not_level_deg", (10.0, 18.0)),
    ),
    "squat": (
        ("depth_deg", (12.0, 25.0)),
        ("knee_valgus_deg", (28.0, 40.0)),
        ("knees_past_toes_cm", (16.0, 22.0)),
        ("knees_together_ascent_deg", (9.0, 12.0)),
    ),
    "box_squat": (
        ("depth_deg", (22.0, 32.0)),
        ("knee_valgus_deg", (28.0, 40.0)),
        ("knees_past_toes_cm", (16.0, 22.0)),
        ("knees_together_ascent_deg", (9.0, 12.0)),
    ),
    "single_leg_squat": (
        ("depth_deg", (12.0, 25.0)),
        ("knee_valgus_deg", (25.0, 35.0)),
        ("pelvis_drop_deg", (14.0, 20.0)),
        ("trunk_lean_deg", (26.0, 34.0)),
    ),
    "single_leg_deadlift": (
        ("back_leads_deg", (32.0, 45.0)),
        ("v_shape_deg", (28.0, 42.0)),
        ("hips_open_deg", (25.0, 40.0)),
    ),
}


# Every camera view the generator places, and the exercises done lying on the back.
VIEW_NAMES: Final[tuple[ViewName, ...]] = (
    "side",
    "front",
    "rear",
    "three_quarter_front",
    "three_quarter_rear",
    "overhead",
)
LYING_EXERCISES: Final = frozenset(
    {"bridge", "single_leg_bridge", "ball_curl", "single_leg_ball_curl"}
)


# Range of the suite's partial pulses (1 = a full rep). The engine rejects a movement below 45 %
# of the set's typical range (settings.RepSettings.min_range_fraction, set on the real clips) and
# the benchmark counts reps of 70 % or more (FULL_REP_ROM): the suite's partials stay
# clearly below both lines; the band between is swept separately (`hamcoach bench accuracy
# --margins`, partial sweep). A bridge's range is its hip height, and the engine's 45 % of the
# picture's lift falls at 30-40 % of that height (the sweep counts no 0.3 pulse and every 0.4
# one in B1): bridge partials stay below a quarter of the lift.
PARTIAL_ROM: Final = (0.15, 0.35)
BRIDGE_PARTIAL_ROM: Final = (0.1, 0.25)
# Eccentric phases of the suite's tempo faults (s): dropped, and hurried (truth lines 0.4, 1.5).
FAST_DROP_S: Final = (0.25, 0.32)
HURRIED_S: Final = (0.75, 1.1)


def random_camera(view: ViewName, lying: bool, rng: np.random.Generator) -> CameraSpec:
    """A phone placed as people place it for ``view``: 0.5-1.4 m high (none overhead), a
    50-70 deg field of view, portrait for standing exercises, turned up to 10 deg off the view."""
    height = float(rng.uniform(0.5, 1.4))  # drawn in every view: the later draws never shift
    return CameraSpec(
        view=view,
        near_side="left" if rng.uniform() < 0.5 else "right",
        height_m=height if view != "overhead" else None,
        vfov_deg=float(rng.uniform(50.0, 70.0)),
        width=1280 if lying else 720,
        height=720 if lying else 1280,
        azimuth_offset_deg=float(rng.uniform(-10.0, 10.0)),
    )


def random_body(rng: np.random.Generator) -> BodySpec:
    """A person 1.5-1.95 m tall, slim to heavy build, legs a little shorter or longer."""
    return BodySpec(
        height_m=float(rng.uniform(1.5, 1.95)),
        build=float(rng.uniform(0.85, 1.2)),
        leg_scale=float(rng.uniform(0.96, 1.04)),
    )


# How often the suite's sets and reps carry their stage's faults. A faulty set carries one fault
# of its stage's menu on each full rep with this probability; its other reps stay clean (every
# stage then has clean and faulty reps side by side, in the same view and noise).
FAULTY_SET_SHARE: Final = 0.7
FAULTY_REP_SHARE: Final = 0.6
PARTIAL_REP_SHARE: Final = 0.1
TEMPO_FAULT_SHARE: Final = 0.1
NO_REST_SHARE: Final = 0.15  # reps after the first, in stages that must not rest


def suite_set(seed: int, k: int) -> SetSpec:
    """Set ``k`` of the suite for ``seed``: stage ``k`` mod 12, everything else drawn from its own
    random stream (``default_rng([seed, k])``), each choice from a draw that is always made. So a
    set never depends on another set, nor on the suite's size, and changing one share above
    changes only the choices it governs."""
    rng = np.random.default_rng([seed, k])
    stage = list(STAGES)[k % len(STAGES)]
    info = STAGES[stage]
    lying = info.exercise in LYING_EXERCISES
    views: tuple[ViewName, ...] = ("side", *VIEW_NAMES)  # side views twice as often
    view = views[int(rng.integers(0, len(views)))]
    if view == "overhead" and not lying:
        view = "front"
    n_reps = int(rng.integers(3, 9))
    menu = _FAULT_MENU[info.exercise]
    fault_field, (lo, hi) = menu[int(rng.integers(0, len(menu)))]
    faulty = bool(rng.uniform() < FAULTY_SET_SHARE)
    bridge = info.exercise in ("bridge", "single_leg_bridge")
    partial_lo, partial_hi = BRIDGE_PARTIAL_ROM if bridge else PARTIAL_ROM
    reps: list[RepSpec] = []
    for i in range(n_reps):
        u = rng.uniform(size=9)  # one draw per choice below, whatever the choices are
        kw: dict[str, float] = {}
        # partial reps carry no other fault, so every flag has a single cause
        partial = bool(u[0] < PARTIAL_REP_SHARE)
        if faulty and not partial and u[1] < FAULTY_REP_SHARE:
            kw[fault_field] = float(lo + u[2] * (hi - lo))
        if not partial and u[3] < TEMPO_FAULT_SHARE:
            # a dropped lowering (a fall: every stage's tempo, and a bridge's lowering) or a
            # hurried one (tempo only); both clear of the truth lines
            d_lo, d_hi = FAST_DROP_S if u[4] < 0.5 else HURRIED_S
            kw["fast_eccentric_s"] = float(d_lo + u[5] * (d_hi - d_lo))
        if "bridge.no_rest" in info.checks and i > 0 and u[6] < NO_REST_SHARE:
            kw["rest_before_s"] = float(1.5 + u[7] * 1.5)
        rom = float(partial_lo + u[8] * (partial_hi - partial_lo)) if partial else 1.0
        reps.append(RepSpec(rom=rom, faults=Faults(**kw)))  # type: ignore[arg-type]
    level: NoiseLevel = ("low", "default", "default", "high")[int(rng.integers(0, 4))]
    cam = random_camera(view, lying, rng)
    body = random_body(rng)
    legs: tuple[Literal["left", "right", "alternate"], ...] = ("left", "right", "alternate")
    leg = legs[int(rng.integers(0, 3))]
    fps = (25.0, 30.0, 30.0, 60.0)[int(rng.integers(0, 4))]
    walk_in, pillow_u = rng.uniform(size=2)
    return SetSpec(
        stage=stage,
        reps=tuple(reps),
        leg=leg,
        tempo_jitter=0.1,
        body=body,
        camera=cam,
        noise=NoiseSpec.level(level),
        fps=fps,
        walk_in=bool(walk_in < 0.2),
        pillow=bridge and bool(pillow_u < 0.2),
        seed=int(rng.integers(0, 2**31 - 1)),
    )


def suite(seed: int = 0, size: int = 48) -> list[SetSpec]:
    """``size`` varied set specs (:func:`suite_set` 0 .. size-1): every stage in turn, random
    views, bodies, faults and noise. A smaller suite is the start of a larger one.

    70 % of the sets carry one fault on about 60 % of their full reps (magnitudes well past the
    truth thresholds); some reps add a fast eccentric phase, a partial rep or a no-rest breach.
    """
    return [suite_set(seed, k) for k in range(size)]


def iter_suite(seed: int = 0, size: int = 48) -> Iterator[SyntheticSet]:
    """Generate the sets of :func:`suite` one by one (bounded memory)."""
    for spec in suite(seed, size):
        yield generate_set(spec)
