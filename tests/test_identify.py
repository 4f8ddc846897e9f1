"""Recognising the exercise from the motion, and warning when it does not match."""

from __future__ import annotations

import pytest

from hamcoach.errors import UnrecognisedExerciseError
from hamcoach.identify import Descriptors, identify, same_movement
from hamcoach.pipeline import analyze_track
from tests.closed_form import RepPlan, SquatSet, make_squat_track


def desc(**over: object) -> Descriptors:
    base = dict(
        lying=False,
        view="front",
        hip_drop=0.9,
        hinge=0.2,
        trunk_min_deg=70.0,
        hip_lift=0.1,
        knee_range_deg=100.0,
        foot_height_gap=0.05,
        foot_lifted_share=0.0,
        foot_split=0.7,
        stance_asymmetry=0.05,
        knee_height_gap=0.02,
    )
    base.update(over)
    return Descriptors(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({}, "squat"),
        ({"stance_asymmetry": 0.35, "foot_height_gap": 0.4}, "single_leg_squat"),
        ({"view": "side", "foot_split": 1.4}, "unknown"),  # a lunge
        ({"knee_height_gap": 0.6, "foot_split": 0.5}, "unknown"),  # a knee drops: lunge
        (
            {"hinge": 0.9, "trunk_min_deg": 5.0, "knee_range_deg": 15.0, "foot_height_gap": 1.3},
            "single_leg_deadlift",
        ),
        ({"hinge": 0.7, "trunk_min_deg": 20.0, "knee_range_deg": 40.0}, "unknown"),  # RDL
        ({"lying": True, "hip_lift": 0.3, "knee_range_deg": 20.0}, "bridge"),
        (
            {"lying": True, "hip_lift": 0.2, "knee_range_deg": 20.0, "foot_height_gap": 1.5},
            "single_leg_bridge",
        ),
        ({"lying": True, "hip_lift": 0.1, "knee_range_deg": 100.0}, "ball_curl"),
        (
            {"lying": True, "hip_lift": 0.1, "knee_range_deg": 100.0, "foot_height_gap": 1.0},
            "single_leg_ball_curl",
        ),
        ({"hip_drop": 0.1, "knee_range_deg": 10.0}, "unknown"),  # standing still
    ],
)
def test_decision_list(over: dict[str, object], expected: str) -> None:
    found = identify(desc(**over))
    assert found.exercise == expected
    assert 0.5 <= found.confidence <= 0.95
    assert found.reason


def test_squat_and_box_squat_are_one_movement() -> None:
    assert same_movement("squat", "box_squat")
    assert not same_movement("squat", "bridge")


def test_audit_without_exercise_recognises_a_squat() -> None:
    audit = analyze_track(make_squat_track(SquatSet()), None).audit
    assert audit.exercise == "squat" == audit.exercise_detected
    assert audit.counts.reps == 3


def test_wrong_exercise_is_warned_about() -> None:
    audit = analyze_track(make_squat_track(SquatSet()), "single_leg_deadlift").audit
    assert any("This does not look like single_leg_deadlift" in w for w in audit.warnings)


def test_standing_still_cannot_be_recognised() -> None:
    still = make_squat_track(SquatSet(reps=[RepPlan(range_fraction=0.0)], lead_in_s=3.0))
    with pytest.raises(UnrecognisedExerciseError, match="Could not recognise the exercise"):
        analyze_track(still, None)
