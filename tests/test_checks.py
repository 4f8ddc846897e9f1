"""Data-driven pass/fail traces for every squat check, through the whole pipeline."""

from __future__ import annotations

import pytest

from hamcoach.checks import REGISTRY
from hamcoach.pipeline import analyze_track
from tests.closed_form import RepPlan, SquatSet, make_squat_track

# (check id, view, rep plan, expected verdict)
CASES = [
    ("squat.depth", "side", RepPlan(depth_deg=-10), "pass"),
    ("squat.depth", "side", RepPlan(depth_deg=5), "pass"),
    ("squat.depth", "side", RepPlan(depth_deg=30), "fail"),
    ("squat.depth", "side", RepPlan(depth_deg=40, down_s=1.5), "fail"),
    ("squat.knee_valgus", "front", RepPlan(valgus=0.0), "pass"),
    ("squat.knee_valgus", "front", RepPlan(valgus=0.05), "pass"),
    ("squat.knee_valgus", "front", RepPlan(valgus=0.25), "fail"),
    ("squat.knees_past_toes", "side", RepPlan(shank_lean_deg=15), "pass"),
    ("squat.knees_past_toes", "side", RepPlan(shank_lean_deg=45), "fail"),
    ("squat.knees_together_ascent", "front", RepPlan(ascent_valgus=0.0), "pass"),
    ("squat.knees_together_ascent", "front", RepPlan(ascent_valgus=0.2), "fail"),
    ("tempo.controlled", "side", RepPlan(down_s=3.0), "pass"),
    ("tempo.controlled", "front", RepPlan(down_s=0.7), "fail"),
]


@pytest.mark.parametrize(("check_id", "view", "plan", "expected"), CASES)
def test_check_verdicts(check_id: str, view: str, plan: RepPlan, expected: str) -> None:
    audit = analyze_track(make_squat_track(SquatSet(reps=[plan] * 2, view=view)), "squat").audit
    assert audit.counts.reps == 2
    for rep in audit.reps:
        finding = next(f for f in rep.findings if f.check == check_id)
        assert finding.verdict == expected, finding
        assert finding.value is not None and finding.frame is not None
        assert finding.threshold is not None
        assert (finding.cue != "") == (expected == "fail")
        if expected == "fail":
            assert rep.good is False


@pytest.mark.parametrize(
    ("view", "not_run"),
    [
        ("side", {"squat.knee_valgus", "squat.knees_together_ascent"}),
        ("front", {"squat.depth", "squat.knees_past_toes"}),
    ],
)
def test_checks_the_view_cannot_support_are_not_run_with_a_hint(
    view: str, not_run: set[str]
) -> None:
    audit = analyze_track(make_squat_track(SquatSet(view=view)), "squat").audit
    assert {c.check for c in audit.checks_not_run} == not_run
    assert all(c.hint and view in c.reason for c in audit.checks_not_run)
    for rep in audit.reps:
        assert not_run.isdisjoint({f.check for f in rep.findings})


def test_hidden_joints_give_unknown_not_a_fault() -> None:
    track = make_squat_track(SquatSet(reps=[RepPlan(depth_deg=40)] * 2, view="side"))
    track.confidence[:, [25, 26]] = 0.35  # knees barely seen: kept, but too weak to judge
    audit = analyze_track(track, "squat").audit
    depth = [f for r in audit.reps for f in r.findings if f.check == "squat.depth"]
    assert depth and all(f.verdict == "unknown" for f in depth)
    assert all("confidence" in f.reason for f in depth)
    assert all(not r.good for r in audit.reps)


def test_every_check_declares_its_contract() -> None:
    for cid, check in REGISTRY.items():
        assert check.id == cid and "." in cid
        assert check.views and check.exercises and check.cue and check.camera_hint
        assert check.__doc__ and "Fails" in check.__doc__ and "Passes" in check.__doc__
