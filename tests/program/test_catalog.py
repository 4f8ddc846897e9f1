"""The program as data: the ladders, stages, exercise and check ids of PROGRAM.md."""

from __future__ import annotations

import pytest

from hamcoach.program.catalog import PROGRAM, PROGRAM_VERSION
from hamcoach.program.errors import InvalidOverrideError, UnknownStageError
from hamcoach.program.rules_settings import DEFAULT_RULES

# PROGRAM.md section 7.
CHECKS = {
    "squat.depth",
    "squat.knee_valgus",
    "squat.knees_past_toes",
    "squat.knees_together_ascent",
    "squat.pelvis_level",
    "squat.trunk_lean",
    "bridge.hip_height",
    "bridge.heel_down",
    "bridge.hips_level",
    "bridge.no_rest",
    "bridge.slow_lowering",
    "ball_curl.hips_up",
    "ball_curl.full_extension",
    "ball_curl.full_curl",
    "sldl.leg_leads",
    "sldl.body_line",
    "sldl.hips_square",
    "tempo.controlled",
}


def test_three_ladders_twelve_stages_with_the_documented_exercises() -> None:
    assert [(s.id, s.exercise) for s in PROGRAM.stages] == [
        ("B1", "bridge"),
        ("B2", "bridge"),
        ("B3", "single_leg_bridge"),
        ("C1", "ball_curl"),
        ("C2", "ball_curl"),
        ("C3", "single_leg_ball_curl"),
        ("S1", "box_squat"),
        ("S2", "squat"),
        ("S3", "single_leg_squat"),
        ("S4", "squat"),
        ("D1", "single_leg_deadlift"),
        ("D2", "single_leg_deadlift"),
    ]
    assert {s.ladder for s in PROGRAM.stages} == {"B", "S", "D"}
    assert [s.id for s in PROGRAM.stages if s.loaded] == ["S4", "D2"]
    assert [s.id for s in PROGRAM.stages if s.single_leg] == ["B3", "C3", "S3", "D1", "D2"]
    assert PROGRAM.version == PROGRAM_VERSION


def test_every_stage_requires_known_checks_including_tempo_and_has_cues() -> None:
    for s in PROGRAM.stages:
        assert set(s.required_checks) <= CHECKS, s.id
        assert "tempo.controlled" in s.required_checks
        assert s.cues and all(c.endswith(".") for c in s.cues)
    assert "bridge.no_rest" in PROGRAM.stage("B2").required_checks
    assert "bridge.no_rest" not in PROGRAM.stage("B1").required_checks
    assert "bridge.hips_level" in PROGRAM.stage("C3").required_checks


def test_ladder_navigation() -> None:
    assert PROGRAM.next_stage("B3").id == "C1"
    assert PROGRAM.next_stage("C3") is None
    assert PROGRAM.previous_stage("s1") is None
    assert PROGRAM.previous_stage("D2").id == "D1"
    with pytest.raises(UnknownStageError):
        PROGRAM.stage("X9")


def test_every_rule_default_has_a_unit_and_a_source() -> None:
    keys = DEFAULT_RULES.keys()
    assert len(keys) == 15
    assert DEFAULT_RULES.get("progression.target_good_reps_per_leg").source == "article"
    assert DEFAULT_RULES.get("progression.target_good_reps_per_leg").value == 30
    for key in keys:
        t = DEFAULT_RULES.get(key)
        assert t.unit and t.source in ("article", "clinic") and t.note, key
    changed = DEFAULT_RULES.with_value("pain.stop_session_at", 6, note="fragile")
    assert changed.pain.stop_session_at.value == 6 and DEFAULT_RULES.pain.stop_session_at.value == 7
    with pytest.raises(InvalidOverrideError):
        DEFAULT_RULES.with_value("pain.nothing", 1)
    with pytest.raises(InvalidOverrideError):
        DEFAULT_RULES.with_value("pain.fine_max", -1)
