"""Failure margins of the form checks and of rep counting, swept on the synthetic generator.

The suite (:func:`hamcoach.synth.scenario.suite`) samples fault magnitudes clearly past the
lines, so its F1 says how the engine does on faults a therapist would call; this sweep says
where the lines really are. For every check, in every view it supports, sets at default noise
whose every rep carries the check's fault at one magnitude, from good form to well past the
suite's range: the share of judged reps that ``fail`` (at good form: the false-positive rate),
the share left ``unknown``, and the share the ground truth calls faulty. The **margin** is the
smallest magnitude failed in at least :data:`MARGIN_DETECTION` of the judged reps.

Partial reps are swept the same way: sets whose second and fourth reps reach only part of the
range; the share of those partial pulses the engine counted as reps, per range.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

import numpy as np

from hamcoach.bench.accuracy import map_in_processes
from hamcoach.checks import REGISTRY
from hamcoach.pipeline import analyze_track
from hamcoach.synth.camera import ViewName
from hamcoach.synth.motions import Faults
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import (
    LYING_EXERCISES,
    STAGES,
    VIEW_NAMES,
    RepSpec,
    SetSpec,
    generate_set,
    random_body,
    random_camera,
)

# A magnitude is "detected" when at least this share of the judged reps fail.
MARGIN_DETECTION: Final = 0.9
REPS_PER_SET: Final = 4
SETS_PER_POINT: Final = 2


@dataclass(frozen=True)
class Sweep:
    """One check's fault, swept in one stage. ``magnitudes`` run from good form (None: the
    generator's default) towards a worse fault; ``field`` is the :class:`Faults` field."""

    check: str
    stage: str
    field: str
    unit: str
    magnitudes: tuple[float | None, ...]


# Grids reach past the suite's ranges (synth.scenario._FAULT_MENU); the tempo grids run from the
# stage's own tempo down to a drop.
SWEEPS: Final[tuple[Sweep, ...]] = (
    Sweep("squat.depth", "S2", "depth_deg", "deg", (None, 0.0, 5.0, 10.0, 15.0, 20.0, 25.0)),
    Sweep("squat.knee_valgus", "S2", "knee_valgus_deg", "deg", (None, 10, 20, 28, 34, 40)),
    Sweep("squat.knees_past_toes", "S2", "knees_past_toes_cm", "cm", (None, 8, 12, 16, 19, 22)),
    Sweep(
        "squat.knees_together_ascent",
        "S2",
        "knees_together_ascent_deg",
        "deg",
        (None, 4.0, 7.0, 9.0, 12.0, 15.0, 18.0),
    ),
    Sweep(
        "squat.pelvis_level",
        "S3",
        "pelvis_drop_deg",
        "deg",
        (None, 5.0, 8.0, 10.0, 13.0, 17.0, 20.0),
    ),
    Sweep(
        "squat.trunk_lean",
        "S3",
        "trunk_lean_deg",
        "deg",
        (None, 10.0, 15.0, 18.0, 22.0, 28.0, 34.0),
    ),
    Sweep("bridge.hip_height", "B1", "hip_sag_cm", "cm", (None, 3.0, 5.0, 7.5, 9.0, 10.0)),
    Sweep("bridge.heel_down", "B1", "heel_lift_cm", "cm", (None, 4.0, 7.0, 10.0, 12.0, 14.0)),
    Sweep("bridge.hips_level", "B3", "hips_not_level_deg", "deg", (None, 5, 8, 10, 14, 18)),
    Sweep("bridge.no_rest", "B2", "rest_before_s", "s", (None, 0.5, 1.0, 1.5, 2.0, 3.0)),
    Sweep(
        "bridge.slow_lowering",
        "B1",
        "fast_eccentric_s",
        "s",
        (None, 0.8, 0.6, 0.45, 0.35, 0.3, 0.25),
    ),
    Sweep("ball_curl.hips_up", "C1", "ball_hips_sag_cm", "cm", (None, 4.0, 6.0, 8.0, 11.0, 14.0)),
    Sweep(
        "ball_curl.full_extension",
        "C1",
        "incomplete_extension_deg",
        "deg",
        (None, 10.0, 20.0, 30.0, 38.0, 45.0),
    ),
    Sweep("ball_curl.full_curl", "C1", "incomplete_curl_deg", "deg", (None, 10, 20, 35, 42, 50)),
    Sweep("sldl.leg_leads", "D1", "back_leads_deg", "deg", (None, 20.0, 25.0, 30.0, 35.0, 45.0)),
    Sweep("sldl.body_line", "D1", "v_shape_deg", "deg", (None, 10.0, 20.0, 25.0, 32.0, 40.0)),
    Sweep("sldl.hips_square", "D1", "hips_open_deg", "deg", (None, 10.0, 20.0, 25.0, 32.0, 40.0)),
    Sweep("tempo.controlled", "S2", "fast_eccentric_s", "s", (None, 2.0, 1.6, 1.3, 1.1, 0.75)),
)
# Ranges of the partial sweep (1 = a full rep), and one stage per exercise.
PARTIAL_ROMS: Final = (0.2, 0.3, 0.4, 0.5, 0.6)
PARTIAL_STAGES: Final = ("B1", "B2", "B3", "C1", "C2", "C3", "S1", "S2", "S3", "D1")


@dataclass(frozen=True)
class Point:
    """One set of a sweep: what is swept, where, and the set itself."""

    kind: Literal["check", "partial"]
    name: str  # check id, or stage for partials
    view: str
    magnitude: float | None
    spec: SetSpec


@dataclass
class PointResult:
    kind: str
    name: str
    view: str
    magnitude: float | None
    verdicts: list[str] = field(default_factory=list)  # per judged full rep: fail/pass/unknown
    truth_faulty: int = 0  # reps the ground truth calls faulty
    partials: int = 0
    partials_counted: int = 0
    error: str = ""


def views_for(check: str, stage: str) -> list[ViewName]:
    """The synthetic views a check supports (overhead only for lying exercises)."""
    lying = STAGES[stage].exercise in LYING_EXERCISES
    return [
        v for v in VIEW_NAMES if REGISTRY[check].supports_view(v) and (lying or v != "overhead")
    ]


def _set_spec(
    stage: str, view: ViewName, reps: tuple[RepSpec, ...], rng: np.random.Generator
) -> SetSpec:
    lying = STAGES[stage].exercise in LYING_EXERCISES
    return SetSpec(
        stage=stage,
        reps=reps,
        leg="left" if rng.uniform() < 0.5 else "right",
        tempo_jitter=0.1,
        body=random_body(rng),
        camera=random_camera(view, lying, rng),
        noise=NoiseSpec.level("default"),
        fps=30.0,
        seed=int(rng.integers(0, 2**31 - 1)),
    )


def _faults(sweep: Sweep, magnitude: float | None) -> Faults:
    if magnitude is None:
        return Faults()
    return replace(Faults(), **{sweep.field: magnitude})  # type: ignore[arg-type]


def sweep_points(seed: int = 0, sets_per_point: int = SETS_PER_POINT) -> Iterator[Point]:
    """Every set of the check and partial sweeps (seeded)."""
    rng = np.random.default_rng(seed)
    for sw in SWEEPS:
        for view in views_for(sw.check, sw.stage):
            for m in sw.magnitudes:
                rep = RepSpec(faults=_faults(sw, m))
                for _ in range(sets_per_point):
                    spec = _set_spec(sw.stage, view, (rep,) * REPS_PER_SET, rng)
                    yield Point("check", sw.check, view, m, spec)
    for stage in PARTIAL_STAGES:
        lying = STAGES[stage].exercise in LYING_EXERCISES
        views = [v for v in VIEW_NAMES if lying or v != "overhead"]
        for rom in PARTIAL_ROMS:
            reps = tuple(RepSpec(rom=rom if i in (1, 3) else 1.0) for i in range(5))
            for _ in range(sets_per_point):
                view = views[int(rng.integers(0, len(views)))]
                yield Point("partial", stage, view, rom, _set_spec(stage, view, reps, rng))


def run_point(point: Point) -> PointResult:
    """Run the engine on one sweep set and read off what the sweep measures."""
    out = PointResult(point.kind, point.name, point.view, point.magnitude)
    syn = generate_set(point.spec)
    try:
        audit = analyze_track(
            syn.track, STAGES[point.spec.stage].exercise, stage=point.spec.stage
        ).audit
    except Exception as exc:  # noqa: BLE001 - a benchmark records every failure and goes on
        out.error = f"{type(exc).__name__}: {exc}"
        return out
    for truth in syn.truth.reps:
        found = [r for r in audit.reps if truth.start_s - 0.3 <= r.bottom_s <= truth.end_s + 0.3]
        if point.kind == "partial":
            if truth.rom < 1.0:
                out.partials += 1
                out.partials_counted += bool(found)
            continue
        rep = min(found, key=lambda r: abs(r.bottom_s - truth.bottom_s), default=None)
        finding = (
            None if rep is None else next((f for f in rep.findings if f.check == point.name), None)
        )
        if finding is None:
            continue
        out.verdicts.append(finding.verdict)
        out.truth_faulty += point.name in truth.faults
    return out


def run_sweeps(
    seed: int = 0,
    workers: int = 2,
    sets_per_point: int = SETS_PER_POINT,
    on_done: Callable[[PointResult], None] | None = None,
) -> list[PointResult]:
    return map_in_processes(run_point, list(sweep_points(seed, sets_per_point)), workers, on_done)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def summarize_sweeps(results: list[PointResult]) -> dict[str, Any]:
    """Per check and view: each magnitude's fail / unknown / truth-faulty shares and the
    margin; per stage: the share of partial pulses counted, per range."""
    groups: dict[tuple[str, str], dict[float | None, list[PointResult]]] = {}
    partial: dict[str, dict[float | None, list[PointResult]]] = {}
    for r in results:
        if r.kind == "check":
            groups.setdefault((r.name, r.view), {}).setdefault(r.magnitude, []).append(r)
        else:
            partial.setdefault(r.name, {}).setdefault(r.magnitude, []).append(r)
    units = {sw.check: sw.unit for sw in SWEEPS}
    checks: list[dict[str, Any]] = []
    for (check, view), by_mag in groups.items():
        points = []
        margin: float | None = None
        for mag, rs in by_mag.items():
            verdicts = [v for r in rs for v in r.verdicts]
            judged = [v for v in verdicts if v != "unknown"]
            fails = sum(v == "fail" for v in judged)
            points.append(
                {
                    "magnitude": mag,
                    "reps": len(verdicts),
                    "fail_pct": _pct(fails, len(judged)),
                    "unknown_pct": _pct(len(verdicts) - len(judged), len(verdicts)),
                    "truth_fault_pct": _pct(sum(r.truth_faulty for r in rs), len(verdicts)),
                    "errors": sum(bool(r.error) for r in rs),
                }
            )
            if (
                margin is None
                and mag is not None
                and judged
                and fails >= MARGIN_DETECTION * len(judged)
            ):
                margin = mag
        checks.append(
            {"check": check, "view": view, "unit": units[check], "margin": margin, "points": points}
        )
    partials = [
        {
            "stage": stage,
            "points": [
                {
                    "rom": rom,
                    "partials": sum(r.partials for r in rs),
                    "counted_pct": _pct(
                        sum(r.partials_counted for r in rs), sum(r.partials for r in rs)
                    ),
                }
                for rom, rs in by_rom.items()
            ],
        }
        for stage, by_rom in partial.items()
    ]
    return {"detection": MARGIN_DETECTION, "checks": checks, "partials": partials}
