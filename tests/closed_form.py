"""Closed-form squat tracks with exactly known reps, depths and faults (test helper).

A 2-D stick figure is posed from three angles per frame (shank lean, thigh angle from vertical,
trunk lean) that follow smooth cosine ramps, and projected as a side or front view. World
landmarks carry the body's orientation so the view classifier sees the intended view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from hamcoach.landmarks import N_LANDMARKS, L
from hamcoach.track import PoseTrack

SHANK_PX = 200.0
THIGH_PX = 210.0
TRUNK_PX = 260.0
FOOT_PX = 70.0
HIP_HALF_WIDTH_PX = 55.0
ANKLE_HALF_WIDTH_PX = 60.0


@dataclass(frozen=True)
class RepPlan:
    """One rep: bottom thigh angle above horizontal (deg), durations (s), faults."""

    depth_deg: float = -10.0
    down_s: float = 2.0
    pause_s: float = 0.3
    up_s: float = 1.5
    rest_s: float = 1.0
    range_fraction: float = 1.0  # < 1: a partial-range pulse
    shank_lean_deg: float = 25.0  # forward lean of the shank at the bottom (knees forward)
    valgus: float = 0.0  # medial knee shift at the bottom, / leg length (front view)
    ascent_valgus: float = 0.0  # extra medial shift mid-ascent only (knees together going up)


@dataclass(frozen=True)
class SquatSet:
    reps: list[RepPlan] = field(default_factory=lambda: [RepPlan()] * 3)
    view: str = "side"  # side | front
    fps: float = 30.0
    lead_in_s: float = 1.0
    lead_out_s: float = 1.0
    start_mid_rep: bool = False  # clip opens at the bottom of a squat (first rep cut)
    end_mid_rep: bool = False  # clip ends in the middle of a descent


def _ramp(x: float) -> float:
    """0 -> 1 smoothly for x in [0, 1]."""
    x = min(max(x, 0.0), 1.0)
    return 0.5 - 0.5 * math.cos(math.pi * x)


def _timeline(spec: SquatSet) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Per frame: progress q in [0, 1], ascent flag (1 while rising), rep index (-1 between,
    -2 for the rep cut by the clip's start)."""
    q: list[float] = []
    asc: list[float] = []
    idx: list[int] = []
    dt = 1.0 / spec.fps

    def hold(value: float, seconds: float, rep: int) -> None:
        for _ in range(round(seconds / dt)):
            q.append(value)
            asc.append(0.0)
            idx.append(rep)

    if spec.start_mid_rep:
        first = spec.reps[0]
        hold(first.range_fraction, 0.3, -2)
        for i in range(round(first.up_s / dt)):
            q.append(first.range_fraction * (1 - _ramp(i * dt / first.up_s)))
            asc.append(1.0)
            idx.append(-2)
    hold(0.0, spec.lead_in_s, -1)
    for r, rep in enumerate(spec.reps):
        n_down = round(rep.down_s / dt)
        for i in range(n_down):
            q.append(rep.range_fraction * _ramp(i * dt / rep.down_s))
            asc.append(0.0)
            idx.append(r)
        hold(rep.range_fraction, rep.pause_s, r)
        n_up = round(rep.up_s / dt)
        for i in range(n_up + 1):
            q.append(rep.range_fraction * (1 - _ramp(i * dt / rep.up_s)))
            asc.append(1.0)
            idx.append(r)
        hold(0.0, rep.rest_s, -1)
    if spec.end_mid_rep:
        for i in range(round(1.0 / dt)):
            q.append(_ramp(i * dt / 1.2))
            asc.append(0.0)
            idx.append(len(spec.reps))
    else:
        hold(0.0, spec.lead_out_s, -1)
    return np.array(q), np.array(asc), idx


def make_squat_track(spec: SquatSet) -> PoseTrack:
    q, asc, idx = _timeline(spec)
    n = len(q)
    image = np.full((n, N_LANDMARKS, 3), np.nan)
    world = np.full((n, N_LANDMARKS, 3), np.nan)
    conf = np.zeros((n, N_LANDMARKS))
    floor_y = 900.0
    for t in range(n):
        rep = spec.reps[min(max(idx[t], 0), len(spec.reps) - 1)]
        thigh_from_vertical = math.radians(q[t] * (90.0 - rep.depth_deg))
        shank = math.radians(q[t] * rep.shank_lean_deg)
        trunk = math.radians(q[t] * 40.0)
        # Side view, facing image right; x forward, y down.
        ankle = np.array([600.0, floor_y])
        knee = ankle + SHANK_PX * np.array([math.sin(shank), -math.cos(shank)])
        hip = knee + THIGH_PX * np.array(
            [-math.sin(thigh_from_vertical), -math.cos(thigh_from_vertical)]
        )
        shoulder = hip + TRUNK_PX * np.array([math.sin(trunk), -math.cos(trunk)])
        head = shoulder + np.array([15.0 * math.cos(trunk), -60.0])
        toe = ankle + np.array([FOOT_PX, 0.0])
        heel = ankle + np.array([-0.3 * FOOT_PX, 10.0])
        sides = {"left": +1.0, "right": -1.0}
        pts: dict[int, np.ndarray] = {}
        leg_len = SHANK_PX + THIGH_PX
        inward = q[t] * rep.valgus + (
            asc[t] * math.sin(math.pi * min(1.0, 1 - q[t])) * rep.ascent_valgus
        )
        for side, sgn in sides.items():
            if spec.view == "side":
                off = 0.0
                x = {
                    "a": ankle[0],
                    "k": knee[0],
                    "h": hip[0],
                    "s": shoulder[0],
                    "t": toe[0],
                    "e": heel[0],
                }
            else:
                # Front view, facing the camera: the performer's left is on the image right.
                off = sgn
                x = {
                    "a": 600 + sgn * ANKLE_HALF_WIDTH_PX,
                    "k": 600 + sgn * (ANKLE_HALF_WIDTH_PX + 20 * q[t] - inward * leg_len),
                    "h": 600 + sgn * HIP_HALF_WIDTH_PX,
                    "s": 600 + sgn * 80,
                    "t": 600 + sgn * (ANKLE_HALF_WIDTH_PX + 15),
                    "e": 600 + sgn * ANKLE_HALF_WIDTH_PX,
                }
            j = {
                "ankle": (x["a"], ankle[1]),
                "knee": (x["k"], knee[1]),
                "hip": (x["h"], hip[1]),
                "shoulder": (x["s"], shoulder[1]),
                "toe": (x["t"], toe[1] if spec.view == "side" else floor_y + 5),
                "heel": (x["e"], heel[1]),
            }
            names = {
                "ankle": L.LEFT_ANKLE if side == "left" else L.RIGHT_ANKLE,
                "knee": L.LEFT_KNEE if side == "left" else L.RIGHT_KNEE,
                "hip": L.LEFT_HIP if side == "left" else L.RIGHT_HIP,
                "shoulder": L.LEFT_SHOULDER if side == "left" else L.RIGHT_SHOULDER,
                "toe": L.LEFT_FOOT_INDEX if side == "left" else L.RIGHT_FOOT_INDEX,
                "heel": L.LEFT_HEEL if side == "left" else L.RIGHT_HEEL,
            }
            for name, lm in names.items():
                pts[int(lm)] = np.array([*j[name], 0.0])
                # World: metres, hip-centred; the body's left is +x (front view) or +z (side).
                w = (
                    np.array([0.1 * off, 0.0, 0.0])
                    if spec.view == "front"
                    else np.array([0.0, 0.0, 0.1 * sgn])
                )
                world[t, int(lm)] = w
                conf[t, int(lm)] = 0.95 if (spec.view == "front" or side == "right") else 0.7
        pts[int(L.NOSE)] = np.array([head[0], head[1], 0.0])
        conf[t, int(L.NOSE)] = 0.99
        for lm, p in pts.items():
            image[t, lm] = p
    t_s = np.arange(n) / spec.fps
    return PoseTrack(
        image=image,
        confidence=conf,
        t_s=t_s,
        width=1280,
        height=1000,
        fps=spec.fps,
        world=world,
        source=f"closed-form-{spec.view}.npz",
        backend="closed-form",
    )


def true_rep_windows(spec: SquatSet) -> list[tuple[float, float]]:
    """(start_s, end_s) of every complete rep of the spec, in clip time."""
    q, _, idx = _timeline(spec)
    out = []
    for r in range(len(spec.reps)):
        frames = [i for i, k in enumerate(idx) if k == r and q[i] > 0]
        if frames:
            out.append((frames[0] / spec.fps, frames[-1] / spec.fps))
    return out
