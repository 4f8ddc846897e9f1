"""Accuracy on the seeded synthetic suite (truth known exactly) and on the labelled real clips.

For every synthetic set: the audit's rep count against the true count of full-range reps; per
check and camera view, verdicts against the true per-rep faults (precision, recall, F1,
unknown rate, and ``fail`` verdicts in views that do not support the check, which must be
zero); and, in side views, the RMSE of the engine's knee and hip angles against the 3-D truth.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hamcoach.audit import Audit
from hamcoach.checks import REGISTRY
from hamcoach.features import INDEX
from hamcoach.pipeline import analyze_track
from hamcoach.synth.scenario import STAGES, SetSpec, SyntheticSet, generate_set, suite
from hamcoach.track import FloatArray

# A truth rep with less than this range of motion is a partial pulse: not a rep.
FULL_ROM = 0.7
QUICK_SIZE = 36
FULL_SIZE = 240


@dataclass
class SetResult:
    stage: str
    exercise: str
    view: str
    noise: str
    true_reps: int
    counted: int
    checks: list[tuple[str, str, bool | None]] = field(
        default_factory=list
    )  # (check, view, truth, verdict)
    verdicts: list[tuple[str, str, bool, str]] = field(default_factory=list)
    legs: list[tuple[str, str]] = field(default_factory=list)  # (true, found) working legs
    knee_err: list[float] = field(default_factory=list)
    hip_err: list[float] = field(default_factory=list)
    error: str = ""


def _noise_name(spec: SetSpec) -> str:
    j = spec.noise.jitter
    return "none" if j == 0 else "low" if j < 0.002 else "default" if j < 0.004 else "high"


def _angle_errors(
    syn: SyntheticSet, rows: FloatArray, audit: Audit
) -> tuple[list[float], list[float]]:
    """Per-frame knee and hip flexion errors (deg) of the leg nearer the camera, side views."""
    if syn.truth.view != "side":
        return [], []
    side = syn.truth.near_side
    s = side[0]
    knee_true = syn.truth.angles[f"knee_flexion_{side}"]
    hip_true = syn.truth.angles[f"hip_flexion_{side}"]
    knee = rows[:, INDEX[f"knee_flex_{s}"]]
    hip = rows[:, INDEX[f"hip_flex_{s}"]]
    ok_k = np.isfinite(knee) & np.isfinite(knee_true)
    ok_h = np.isfinite(hip) & np.isfinite(hip_true)
    return list((knee - knee_true)[ok_k]), list((hip - hip_true)[ok_h])


def run_set(spec: SetSpec) -> SetResult:
    syn = generate_set(spec)
    info = STAGES[spec.stage]
    result = SetResult(
        stage=spec.stage,
        exercise=info.exercise,
        view=syn.truth.view,
        noise=_noise_name(spec),
        true_reps=sum(1 for r in syn.truth.reps if r.rom >= FULL_ROM),
        counted=0,
    )
    try:
        analysis = analyze_track(syn.track, info.exercise, stage=spec.stage)
    except Exception as exc:  # noqa: BLE001 - a benchmark records every failure and goes on
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    audit = analysis.audit
    result.counted = audit.counts.reps
    full = [r for r in syn.truth.reps if r.rom >= FULL_ROM]
    for truth_rep in full:
        rep = min(audit.reps, key=lambda r: abs(r.bottom_s - truth_rep.bottom_s), default=None)
        if rep is None or not (truth_rep.start_s - 0.3 <= rep.bottom_s <= truth_rep.end_s + 0.3):
            continue
        if truth_rep.leg != "both":
            result.legs.append((truth_rep.leg, rep.leg))
        for f in rep.findings:
            result.verdicts.append((f.check, audit.view, f.check in truth_rep.faults, f.verdict))
    result.knee_err, result.hip_err = _angle_errors(syn, analysis.features, audit)
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
    for r in results:
        if not r.error:
            for key in (f"{r.stage}/{r.view}", f"{r.stage}/all", "all"):
                counts[key].append(r.counted - r.true_reps)
    checks: dict[str, CheckStat] = defaultdict(CheckStat)
    wrong_view_fails = 0
    for r in results:
        for check, view, truth, verdict in r.verdicts:
            checks[f"{check}/{view}"].add(truth, verdict)
            checks[f"{check}/all"].add(truth, verdict)
            if verdict == "fail" and not REGISTRY[check].supports_view(view):
                wrong_view_fails += 1
    legs: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        for true_leg, found in r.legs:
            legs[f"{r.stage}/{r.view}"].append(found == true_leg)
            legs[f"{r.stage}/all"].append(found == true_leg)
    knee = [e for r in results for e in r.knee_err]
    hip = [e for r in results for e in r.hip_err]

    def rmse(e: list[float]) -> float | None:
        return round(math.sqrt(float(np.mean(np.square(e)))), 2) if e else None

    return {
        "sets": len(results),
        "errors": [f"{r.stage}/{r.view}: {r.error}" for r in results if r.error],
        "counting": {
            k: {
                "sets": len(v),
                "exact_pct": round(100 * sum(d == 0 for d in v) / len(v), 1),
                "off_by_one_pct": round(100 * sum(abs(d) == 1 for d in v) / len(v), 1),
                "mae": round(sum(abs(d) for d in v) / len(v), 3),
            }
            for k, v in sorted(counts.items())
        },
        "checks": {k: s.as_dict() for k, s in sorted(checks.items())},
        "working_leg": {
            k: {"reps": len(v), "correct_pct": round(100 * sum(v) / len(v), 1)}
            for k, v in sorted(legs.items())
        },
        "fails_in_unsupported_views": wrong_view_fails,
        "angle_rmse_side_deg": {"knee": rmse(knee), "hip": rmse(hip)},
    }


def run_synthetic(
    size: int, seed: int = 0, workers: int = 2, on_done: Callable[[SetResult], None] | None = None
) -> list[SetResult]:
    specs = suite(seed, size)
    out: list[SetResult] = []
    with ProcessPoolExecutor(max_workers=workers) as ex:
        for res in ex.map(run_set, specs, chunksize=2):
            out.append(res)
            if on_done:
                on_done(res)
    return out
