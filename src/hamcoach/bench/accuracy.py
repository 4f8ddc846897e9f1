"""Accuracy on the seeded synthetic suite (truth known exactly) and on the labelled real clips.

For every synthetic set: the audit's rep count against the true count of full-range reps; per
check and camera view, verdicts against the true per-rep faults (precision, recall, F1,
unknown rate, and ``fail`` verdicts in views that do not support the check, which must be
zero), with reps whose true metric lies near the truth's line scored apart
(``<check>/near_line``, :data:`hamcoach.synth.scenario.NEAR_LINE_BANDS`); and, in side views,
the RMSE of the engine's knee and hip angles against the 3-D truth (:func:`_angle_errors`),
overall, per stage and per noise level.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from hamcoach.checks import REGISTRY
from hamcoach.features import INDEX
from hamcoach.landmarks import L
from hamcoach.pipeline import analyze_track
from hamcoach.synth.scenario import (
    FULL_REP_ROM,
    STAGES,
    SetSpec,
    SyntheticSet,
    generate_set,
    is_near_line,
    suite,
)
from hamcoach.track import FloatArray

T = TypeVar("T")
R = TypeVar("R")

QUICK_SIZE = 36
FULL_SIZE = 600


@dataclass
class SetResult:
    stage: str
    exercise: str
    view: str
    noise: str
    true_reps: int
    counted: int
    # of the true_reps, those whose movement is short of FULL_REP_ROM (TruthRep.range_fraction):
    # the engine may count them or call them partial
    short_reps: int = 0
    checks: list[tuple[str, str, bool | None]] = field(
        default_factory=list
    )  # (check, view, truth, verdict)
    verdicts: list[tuple[str, str, bool, str]] = field(default_factory=list)
    # reps whose true metric lies within scenario.NEAR_LINE_BANDS of the truth's line: scored
    # apart (too close to call either way), same tuples
    near_line: list[tuple[str, str, bool, str]] = field(default_factory=list)
    legs: list[tuple[str, str]] = field(default_factory=list)  # (true, found) working legs
    knee_err: list[float] = field(default_factory=list)  # deg, per side-view frame
    hip_err: list[float] = field(default_factory=list)  # deg, against the truth's magnitude
    hip_signed_err: list[float] = field(default_factory=list)  # deg, against the signed truth
    knee_no_angle: int = 0  # side-view frames where the engine reports no knee angle
    hip_no_angle: int = 0
    camera_elevation_deg: float = 0.0  # the camera's line of sight down to the hips
    error: str = ""


def _noise_name(spec: SetSpec) -> str:
    j = spec.noise.jitter
    return "none" if j == 0 else "low" if j < 0.002 else "default" if j < 0.004 else "high"


@dataclass
class AngleErrors:
    """Per-frame angle errors (deg) of one side-view set, and the frames left out."""

    knee: list[float] = field(default_factory=list)
    hip: list[float] = field(default_factory=list)  # against the magnitude of the true angle
    hip_signed: list[float] = field(default_factory=list)  # against the signed true angle
    knee_no_angle: int = 0  # frames where the engine reports no knee angle (NaN)
    hip_no_angle: int = 0


def _angle_errors(syn: SyntheticSet, rows: FloatArray) -> AngleErrors:
    """Per-frame knee and hip flexion errors (engine - truth, deg) in side views.

    * The leg compared is the one nearer the camera in the truth, on both sides of the
      comparison: the engine's ``knee_flex_*`` / ``hip_flex_*`` of that leg against the true
      angles of that same leg (never the far leg's truth).
    * The engine's angles are unsigned (:mod:`hamcoach.kinematics`: 0 = straight or in line, a
      thigh behind the trunk line also reads positive), while the true hip flexion is signed
      (negative = extension, e.g. the free leg of a deadlift). ``hip`` compares like with like:
      the engine's angle against the magnitude of the true one. ``hip_signed`` keeps the signed
      truth, so what the missing sign costs stays visible.
    * Frames where the engine reports no angle (NaN: the joint unseen and not interpolated) are
      left out and counted (``*_no_angle``): a user is shown no angle there either. Frames whose
      landmarks the cleaning interpolated or rebuilt count like any other.
    """
    out = AngleErrors()
    if syn.truth.view != "side":
        return out
    side = syn.truth.near_side
    s = side[0]
    knee_true = syn.truth.angles[f"knee_flexion_{side}"]
    hip_true = syn.truth.angles[f"hip_flexion_{side}"]
    knee = rows[:, INDEX[f"knee_flex_{s}"]]
    hip = rows[:, INDEX[f"hip_flex_{s}"]]
    ok_k = np.isfinite(knee) & np.isfinite(knee_true)
    ok_h = np.isfinite(hip) & np.isfinite(hip_true)
    out.knee = [float(e) for e in (knee - knee_true)[ok_k]]
    out.hip = [float(e) for e in (hip - np.abs(hip_true))[ok_h]]
    out.hip_signed = [float(e) for e in (hip - hip_true)[ok_h]]
    out.knee_no_angle = int((np.isfinite(knee_true) & ~np.isfinite(knee)).sum())
    out.hip_no_angle = int((np.isfinite(hip_true) & ~np.isfinite(hip)).sum())
    return out


def camera_elevation_deg(syn: SyntheticSet) -> float:
    """How far (deg) the camera looks down on the body: the elevation of the camera's centre
    above the mid-hip (its median position over the set), over the horizontal. A camera at
    hip height reads 0; the suite's side views of lying bodies read 4-44 deg, of standing
    ones -8 to 16."""
    pts = syn.truth.lab_points
    hip = np.median((pts[:, L.LEFT_HIP] + pts[:, L.RIGHT_HIP]) / 2, axis=0)
    up = syn.truth.camera.centre - hip  # lab frame, Z up
    return float(np.degrees(np.arctan2(up[2], np.hypot(up[0], up[1]))))


def run_set(spec: SetSpec) -> SetResult:
    syn = generate_set(spec)
    info = STAGES[spec.stage]
    result = SetResult(
        stage=spec.stage,
        exercise=info.exercise,
        view=syn.truth.view,
        noise=_noise_name(spec),
        true_reps=sum(1 for r in syn.truth.reps if r.rom >= FULL_REP_ROM),
        counted=0,
        short_reps=sum(
            1 for r in syn.truth.reps if r.rom >= FULL_REP_ROM and r.range_fraction < FULL_REP_ROM
        ),
        camera_elevation_deg=camera_elevation_deg(syn),
    )
    try:
        analysis = analyze_track(syn.track, info.exercise, stage=spec.stage)
    except Exception as exc:  # noqa: BLE001 - a benchmark records every failure and goes on
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    audit = analysis.audit
    result.counted = audit.counts.reps
    full = [r for r in syn.truth.reps if r.rom >= FULL_REP_ROM]
    for truth_rep in full:
        rep = min(audit.reps, key=lambda r: abs(r.bottom_s - truth_rep.bottom_s), default=None)
        if rep is None or not (truth_rep.start_s - 0.3 <= rep.bottom_s <= truth_rep.end_s + 0.3):
            continue
        if truth_rep.leg != "both":
            result.legs.append((truth_rep.leg, rep.leg))
        for f in rep.findings:
            scored = (f.check, audit.view, f.check in truth_rep.faults, f.verdict)
            metric = truth_rep.metrics.get(f.check)
            near = metric is not None and is_near_line(f.check, info.exercise, metric)
            (result.near_line if near else result.verdicts).append(scored)
    errors = _angle_errors(syn, analysis.features)
    result.knee_err, result.hip_err, result.hip_signed_err = (
        errors.knee,
        errors.hip,
        errors.hip_signed,
    )
    result.knee_no_angle, result.hip_no_angle = errors.knee_no_angle, errors.hip_no_angle
    return result


@dataclass
class CheckStat:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    unknown: int = 0

    def add(self, truth: bool, verdict: str) -> None:
        if verdict == "unknown":
            self.unknown += 1
        elif verdict == "fail":
            self.tp += truth
            self.fp += not truth
        else:
            self.fn += truth
            self.tn += not truth

    def as_dict(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = 2 * p * r / (p + r) if p and r else (None if p is None or r is None else 0.0)
        n = self.tp + self.fp + self.fn + self.tn + self.unknown
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "unknown_rate": round(self.unknown / n, 3) if n else None,
            "precision": None if p is None else round(p, 3),
            "recall": None if r is None else round(r, 3),
            "f1": None if f1 is None else round(f1, 3),
        }


def summarize_synthetic(results: list[SetResult]) -> dict[str, Any]:
    counts: dict[str, list[int]] = defaultdict(list)
    # per set: whether the count is exact once each short rep may go either way
    either_way: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        if not r.error:
            # noise/... and view/... slices: the counting target is at default noise
            for key in (
                f"{r.stage}/{r.view}",
                f"{r.stage}/all",
                f"noise/{r.noise}",
                f"view/{r.view}",
                "all",
            ):
                counts[key].append(r.counted - r.true_reps)
                either_way[key].append(r.true_reps - r.short_reps <= r.counted <= r.true_reps)
    checks: dict[str, CheckStat] = defaultdict(CheckStat)
    wrong_view_fails = 0
    for r in results:
        for check, view, truth, verdict in r.verdicts:
            checks[f"{check}/{view}"].add(truth, verdict)
            checks[f"{check}/all"].add(truth, verdict)
            # the check target is at default noise: that slice on its own too
            checks[f"{check}/noise={r.noise}"].add(truth, verdict)
            if verdict == "fail" and not REGISTRY[check].supports_view(view):
                wrong_view_fails += 1
        for check, view, truth, verdict in r.near_line:
            checks[f"{check}/near_line"].add(truth, verdict)
            if verdict == "fail" and not REGISTRY[check].supports_view(view):
                wrong_view_fails += 1
    legs: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        for true_leg, found in r.legs:
            legs[f"{r.stage}/{r.view}"].append(found == true_leg)
            legs[f"{r.stage}/all"].append(found == true_leg)
    return {
        "sets": len(results),
        "errors": [f"{r.stage}/{r.view}: {r.error}" for r in results if r.error],
        "counting": {
            k: {
                "sets": len(v),
                "exact_pct": round(100 * sum(d == 0 for d in v) / len(v), 1),
                "off_by_one_pct": round(100 * sum(abs(d) == 1 for d in v) / len(v), 1),
                "mae": round(sum(abs(d) for d in v) / len(v), 3),
                "exact_short_either_way_pct": round(
                    100 * sum(either_way[k]) / len(either_way[k]), 1
                ),
            }
            for k, v in sorted(counts.items())
        },
        "checks": {k: s.as_dict() for k, s in sorted(checks.items())},
        "working_leg": {
            k: {"reps": len(v), "correct_pct": round(100 * sum(v) / len(v), 1)}
            for k, v in sorted(legs.items())
        },
        "fails_in_unsupported_views": wrong_view_fails,
        "angle_rmse_side_deg": summarize_angles(results),
    }


def rmse_deg(errors: list[float]) -> float | None:
    """Root mean square of errors in degrees, to 0.01 deg; None without any."""
    return round(math.sqrt(float(np.mean(np.square(errors)))), 2) if errors else None


def _angle_rmse(results: list[SetResult]) -> dict[str, Any]:
    return {
        "knee": rmse_deg([e for r in results for e in r.knee_err]),
        "hip": rmse_deg([e for r in results for e in r.hip_err]),
        "hip_vs_signed_truth": rmse_deg([e for r in results for e in r.hip_signed_err]),
        "knee_frames": sum(len(r.knee_err) for r in results),
        "hip_frames": sum(len(r.hip_err) for r in results),
        "knee_no_angle_frames": sum(r.knee_no_angle for r in results),
        "hip_no_angle_frames": sum(r.hip_no_angle for r in results),
    }


# Bands of the camera's elevation over the hips (deg, :func:`camera_elevation_deg`) that the
# angle RMSE is also given for, by name: a side camera looking down on a lying body sees the
# plane it bends in at a slant, and the picture's angles flatten (docs/EVALUATION.md).
ELEVATION_BANDS_DEG: tuple[tuple[str, float, float], ...] = (
    ("under 15", -90.0, 15.0),
    ("15-30", 15.0, 30.0),
    ("30 and over", 30.0, 90.0),
)


def elevation_band(elevation_deg: float) -> str:
    """The name of the :data:`ELEVATION_BANDS_DEG` band an elevation (deg) falls in."""
    for name, lo, hi in ELEVATION_BANDS_DEG:
        if lo <= elevation_deg < hi:
            return name
    return "other"


def summarize_angles(results: list[SetResult]) -> dict[str, Any]:
    """Side-view knee and hip angle RMSE (deg): overall, then per stage, per noise level, and
    per noise level and band of camera elevation over the hips (``by_noise_elevation``, keys
    "<noise>/<band>", e.g. "default/30 and over").

    ``hip`` compares the engine's unsigned hip angle with the magnitude of the true one;
    ``hip_vs_signed_truth`` with the signed truth (:func:`_angle_errors`). ``*_no_angle_frames``
    are the side-view frames left out because the engine reports no angle there.
    """
    side = [r for r in results if r.view == "side" and not r.error]
    out = _angle_rmse(side)
    keys: dict[str, Callable[[SetResult], str]] = {
        "by_stage": lambda r: r.stage,
        "by_noise": lambda r: r.noise,
        "by_noise_elevation": lambda r: f"{r.noise}/{elevation_band(r.camera_elevation_deg)}",
    }
    for key, group_of in keys.items():
        groups: dict[str, list[SetResult]] = defaultdict(list)
        for r in side:
            groups[group_of(r)].append(r)
        out[key] = {k: _angle_rmse(groups[k]) for k in sorted(groups, key=_band_order)}
    return out


def _band_order(key: str) -> tuple[str, int]:
    """Sort key of a group name: its elevation band in band order, else by name."""
    head, _, band = key.rpartition("/")
    names = [name for name, _, _ in ELEVATION_BANDS_DEG]
    return (head, names.index(band)) if band in names else (key, -1)


def run_synthetic(
    size: int, seed: int = 0, workers: int = 2, on_done: Callable[[SetResult], None] | None = None
) -> list[SetResult]:
    return map_in_processes(run_set, suite(seed, size), workers, on_done)


def map_in_processes(
    fn: Callable[[T], R],
    items: list[T],
    workers: int,
    on_done: Callable[[R], None] | None = None,
) -> list[R]:
    """``fn`` over ``items`` in ``workers`` processes, results in order (``on_done`` is told of
    each as it arrives, for progress)."""
    out: list[R] = []
    with ProcessPoolExecutor(max_workers=workers) as ex:
        for res in ex.map(fn, items, chunksize=2):
            out.append(res)
            if on_done:
                on_done(res)
    return out
