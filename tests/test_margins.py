"""The margin sweep (hamcoach.bench.margins): which sets it builds, what it reads off them, and
how it finds a check's margin."""

from __future__ import annotations

import io

from rich.console import Console

from hamcoach.bench.margins import (
    REPS_PER_SET,
    SWEEPS,
    Point,
    PointResult,
    run_point,
    summarize_sweeps,
    sweep_points,
    views_for,
)
from hamcoach.checks import REGISTRY
from hamcoach.cli import bench as bench_cli


def test_every_check_with_a_synthetic_fault_is_swept_in_the_views_it_supports() -> None:
    swept = {sw.check for sw in SWEEPS}
    assert swept == set(REGISTRY)
    assert views_for("squat.knee_valgus", "S2") == ["front", "rear"]
    assert "overhead" in views_for("bridge.slow_lowering", "B1")
    assert "overhead" not in views_for("tempo.controlled", "S2")  # standing: no overhead camera


def test_sweep_sets_carry_the_fault_on_every_rep_and_are_seeded() -> None:
    first = list(sweep_points(seed=3, sets_per_point=1))
    again = list(sweep_points(seed=3, sets_per_point=1))
    assert [p.spec for p in first] == [p.spec for p in again]
    depth = [p for p in first if p.name == "squat.depth" and p.magnitude == 20.0]
    assert depth and all(p.spec.reps is not None for p in depth)
    for p in depth:
        assert p.spec.reps is not None and len(p.spec.reps) == REPS_PER_SET
        assert all(r.faults.depth_deg == 20.0 for r in p.spec.reps)
    good = next(p for p in first if p.name == "squat.depth" and p.magnitude is None)
    assert good.spec.reps is not None and all(r.faults.depth_deg is None for r in good.spec.reps)
    partial = next(p for p in first if p.kind == "partial")
    assert partial.spec.reps is not None
    assert [r.rom for r in partial.spec.reps] == [
        1.0,
        partial.magnitude,
        1.0,
        partial.magnitude,
        1.0,
    ]


def _point(check: str, view: str, magnitude: float | None) -> Point:
    sweep = next(sw for sw in SWEEPS if sw.check == check)
    return next(
        p
        for p in sweep_points(seed=0, sets_per_point=1)
        if p.name == sweep.check and p.view == view and p.magnitude == magnitude
    )


def test_a_clear_fault_fails_and_good_form_passes() -> None:
    good = run_point(_point("squat.knees_past_toes", "side", None))
    bad = run_point(_point("squat.knees_past_toes", "side", 22))
    assert good.error == "" and bad.error == ""
    assert len(good.verdicts) == REPS_PER_SET and set(good.verdicts) == {"pass"}
    assert good.truth_faulty == 0
    assert len(bad.verdicts) == REPS_PER_SET and set(bad.verdicts) == {"fail"}
    assert bad.truth_faulty == REPS_PER_SET


def test_the_margin_is_the_first_magnitude_failed_in_nine_judged_reps_of_ten() -> None:
    def res(mag: float | None, verdicts: list[str]) -> PointResult:
        return PointResult("check", "squat.depth", "side", mag, verdicts, truth_faulty=0)

    results = [
        res(None, ["pass"] * 10),
        res(5.0, ["fail"] * 5 + ["pass"] * 5),
        res(10.0, ["fail"] * 8 + ["pass"] + ["unknown"] * 3),  # 8 of 9 judged: 89 %
        res(15.0, ["fail"] * 9 + ["pass"]),  # 90 %
        res(20.0, ["fail"] * 10),
    ]
    summary = summarize_sweeps(results)
    (row,) = summary["checks"]
    assert row["margin"] == 15.0
    assert [p["fail_pct"] for p in row["points"]] == [0.0, 50.0, 88.9, 90.0, 100.0]
    assert row["points"][2]["unknown_pct"] == 25.0
    partial = summarize_sweeps(
        [PointResult("partial", "B1", "side", 0.3, partials=2, partials_counted=1)]
    )
    assert partial["partials"] == [
        {"stage": "B1", "points": [{"rom": 0.3, "partials": 2, "counted_pct": 50.0}]}
    ]


def test_the_bench_prints_the_margins_and_the_partials() -> None:
    summary = summarize_sweeps(
        [
            PointResult("check", "squat.depth", "side", None, ["pass"] * 4),
            PointResult("check", "squat.depth", "side", 15.0, ["fail"] * 4, truth_faulty=4),
            PointResult("partial", "S2", "front", 0.4, partials=2, partials_counted=0),
        ]
    )
    out = io.StringIO()
    saved = bench_cli.console
    bench_cli.console = Console(file=out, width=200)
    try:
        bench_cli.render_margins(summary)
    finally:
        bench_cli.console = saved
    text = out.getvalue()
    assert "squat.depth/side" in text
    assert "good: 0 (0)" in text and "15: 100 (100)" in text
    assert "0.4: 0" in text
