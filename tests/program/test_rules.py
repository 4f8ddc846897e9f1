"""Executable scenarios for every rule of PROGRAM.md sections 3-4: exact actions and reasons."""

from __future__ import annotations

import pytest

from hamcoach.audit import Audit, count_reps
from hamcoach.program.catalog import PROGRAM
from hamcoach.program.demo import rep_plan, synthetic_audit
from hamcoach.program.history import Override, Screening, set_from_audit
from hamcoach.program.redflags import lock_reason, needs_screening
from hamcoach.program.rules import (
    clinic_alerts,
    cramp_advice,
    decide_progression,
    pain_advice,
    replay,
)
from tests.program.builders import day, history, one, session, two

# --- progression: the stage target in one session -----------------------------------------------


def test_thirty_good_reps_on_a_two_leg_stage_progresses_to_the_next_stage() -> None:
    h = history(session(0, two("B1", 30)))
    d = decide_progression(h, PROGRAM, ladder="B")
    assert (d.action, d.stage, d.next_stage) == ("progress", "B1", "B2")
    assert d.reasons == (
        "Good reps: 30; the target is 30.",
        "Target reached, slow and controlled: on to B2 (continuous bridge).",
    )


def test_thirty_right_but_twenty_eight_left_does_not_progress() -> None:
    h = history(session(0, one("B3", left=(28, 30), right=(30, 30))), starts={"B": "B3"})
    d = decide_progression(h, PROGRAM, ladder="B")
    assert (d.action, d.next_stage) == ("stay", "B3")
    assert d.reasons == (
        "Good reps: left 28, right 30; the target is 30 on each leg.",
        "Not yet: left 2 short.",
        "Stay at B3 (single-leg bridge).",
    )


def test_sets_add_up_within_a_session_but_not_across_sessions() -> None:
    within = history(session(0, two("S1", 15), two("S1", 15)))
    assert decide_progression(within, ladder="S").action == "progress"
    across = history(session(0, two("S1", 20)), session(2, two("S1", 20)))
    d = decide_progression(across, ladder="S")
    assert (d.action, d.next_stage) == ("stay", "S1")
    assert "Not yet: 10 short." in d.reasons


def test_reps_that_failed_form_do_not_count() -> None:
    h = history(session(0, two("B1", good=29, reps=34)))
    d = decide_progression(h, ladder="B")
    assert d.action == "stay"
    assert d.reasons[0] == "Good reps: 29; the target is 30."


def _audit_set(stage: str, good: int, eccentric_s: float) -> Audit:
    plan = rep_plan(stage, (good, good))
    slow = type(plan)(
        reps=tuple(type(r)(r.leg, r.good, eccentric_s) for r in plan.reps),
        fault_check=plan.fault_check,
    )
    return synthetic_audit(PROGRAM.stage(stage).exercise, stage, slow)


def test_audited_reps_lowered_faster_than_the_tempo_do_not_count() -> None:
    fast = set_from_audit(_audit_set("B1", 30, eccentric_s=1.0), "B1", PROGRAM)
    d = decide_progression(history(session(0, fast)), ladder="B")
    assert d.action == "stay"
    assert d.reasons[:2] == (
        "Good reps: 0; the target is 30.",
        "30 good rep(s) were lowered faster than 1.5 s and do not count: slow down.",
    )
    slow = set_from_audit(_audit_set("B1", 30, eccentric_s=2.0), "B1", PROGRAM)
    assert decide_progression(history(session(0, slow)), ladder="B").action == "progress"


def test_progression_moves_exactly_one_stage_and_the_top_stage_holds() -> None:
    h = history(session(0, two("B1", 30)), session(2, two("B2", 30)))
    assert decide_progression(h, ladder="B").next_stage == "B3"
    top = history(session(0, one("C3", (30, 30), (30, 30))), starts={"B": "C3"})
    d = decide_progression(top, ladder="B")
    assert (d.action, d.next_stage) == ("stay", "C3")
    assert "Target reached at the top of the B ladder: keep it up." in d.reasons


# --- pain ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "fine"),
        (2, "fine"),
        (3, "acceptable"),
        (5, "acceptable"),
        (6, "stop_exercise"),
        (7, "stop_session"),
        (10, "stop_session"),
    ],
)
def test_pain_levels(score: int, level: str) -> None:
    assert pain_advice(score).level == level


def test_pain_six_stops_the_exercise_and_regresses_one_stage() -> None:
    h = history(session(0, two("B2", 30, pain=6)), starts={"B": "B2"})
    d = decide_progression(h, ladder="B")
    assert (d.action, d.stage, d.next_stage) == ("regress", "B2", "B1")
    assert d.reasons == (
        "Pain 6/10 during continuous bridge is above 5/10: the exercise was stopped.",
        "Back one stage to B1 (bridge).",
    )
    assert pain_advice(6).message.startswith("Pain 6/10 is above 5/10: stop this exercise")


def test_pain_seven_stops_the_session_and_alerts_the_clinic() -> None:
    h = history(session(0, two("S2", 10, pain=7)), starts={"S": "S2"})
    d = decide_progression(h, ladder="S")
    assert (d.action, d.next_stage) == ("regress", "S1")
    assert d.alerts == ("Pain 7/10 during full bodyweight squat on 2026-01-05: session stopped.",)
    assert clinic_alerts(h) == ["Pain 7/10 on 2026-01-05: the session was stopped."]
    assert "stop the session now" in pain_advice(7).message


def test_pain_at_the_first_stage_stays_and_asks_for_the_therapist() -> None:
    d = decide_progression(history(session(0, two("B1", 30, pain=6))), ladder="B")
    assert (d.action, d.next_stage) == ("stay", "B1")
    assert d.reasons[1] == (
        "B1 is already the first stage of its ladder: stay there and ask your therapist "
        "before the next session."
    )


def test_acceptable_pain_during_the_set_does_not_block_progression() -> None:
    d = decide_progression(history(session(0, two("B1", 30, pain=5))), ladder="B")
    assert d.action == "progress"


def test_pain_after_the_session_above_five_blocks_progression() -> None:
    d = decide_progression(history(session(0, two("B1", 30), pain_after=6)), ladder="B")
    assert (d.action, d.next_stage) == ("stay", "B1")
    assert "Pain after the session was 6/10, above 5/10: no progression." in d.reasons


def test_morning_pain_above_baseline_plus_one_blocks_progression() -> None:
    blocked = history(session(0, two("B1", 30), morning=3), baseline=1)
    d = decide_progression(blocked, ladder="B")
    assert (d.action, d.next_stage) == ("stay", "B1")
    assert d.reasons[-2:] == (
        "Next-morning pain 3/10 is above your baseline 1/10 + 1: no progression.",
        "Stay at B1 (bridge).",
    )
    at_limit = history(session(0, two("B1", 30), morning=2), baseline=1)
    assert decide_progression(at_limit, ladder="B").action == "progress"


def test_two_raised_mornings_running_alert_the_clinic() -> None:
    h = history(
        session(0, two("B1", 10), morning=3), session(2, two("B1", 10), morning=4), baseline=1
    )
    assert clinic_alerts(h) == [
        "Next-morning pain above baseline + 1 2 mornings running (3/10, 4/10)."
    ]
    one_raised = history(
        session(0, two("B1", 10), morning=2), session(2, two("B1", 10), morning=4), baseline=1
    )
    assert clinic_alerts(one_raised) == []


# --- form failures ------------------------------------------------------------------------------


def test_more_than_30_percent_failing_form_in_two_sessions_running_regresses() -> None:
    h = history(
        session(0, two("B2", good=13, reps=20)),  # 35% failed
        session(2, two("B2", good=12, reps=20)),  # 40% failed
        starts={"B": "B2"},
    )
    d = decide_progression(h, ladder="B")
    assert (d.action, d.next_stage) == ("regress", "B1")
    assert d.reasons == (
        "More than 30% of reps failed form in 2 sessions running (35%, 40%).",
        "Back one stage to B1 (bridge).",
    )


def test_one_bad_session_or_a_good_one_in_between_does_not_regress() -> None:
    once = history(session(0, two("B2", good=12, reps=20)), starts={"B": "B2"})
    assert decide_progression(once, ladder="B").action == "stay"
    broken = history(
        session(0, two("B2", good=12, reps=20)),
        session(2, two("B2", good=19, reps=20)),
        session(4, two("B2", good=12, reps=20)),
        starts={"B": "B2"},
    )
    assert decide_progression(broken, ladder="B").action == "stay"


def test_exactly_30_percent_is_not_more_than_30_percent() -> None:
    h = history(
        session(0, two("B2", good=14, reps=20)),
        session(2, two("B2", good=14, reps=20)),
        starts={"B": "B2"},
    )
    assert decide_progression(h, ladder="B").action == "stay"


# --- cramps -------------------------------------------------------------------------------------


def test_one_cramp_means_rest_and_continue_and_blocks_progression_for_now() -> None:
    assert cramp_advice(1, PROGRAM.stage("B2")) == (
        "Cramp: stop, rest until it settles, then carry on."
    )
    d = decide_progression(history(session(0, two("B1", 30, cramp=True))), ladder="B")
    assert (d.action, d.next_stage) == ("stay", "B1")
    assert "A cramp in this session: stay at this stage until a session is cramp-free." in d.reasons


def test_recurring_cramps_suggest_the_easier_stage_and_tell_the_therapist() -> None:
    assert cramp_advice(2, PROGRAM.stage("B2")) == (
        "Cramps keep coming back (2 this session): stop this exercise. "
        "Next time try the easier stage, B1 (bridge), and tell your therapist."
    )
    h = history(
        session(0, two("B2", 10, cramp=True), two("B2", 10, cramp=True)), starts={"B": "B2"}
    )
    d = decide_progression(h, ladder="B")
    assert (d.action, d.next_stage) == ("regress", "B1")
    assert d.reasons == (
        "Cramps came back (2 in this session): an easier stage is suggested.",
        "Back one stage to B1 (bridge).",
        "Tell your therapist about the cramps.",
    )
    assert clinic_alerts(h) == ["Recurring cramps (2) on 2026-01-05."]


# --- loaded stages: 2-for-2 ---------------------------------------------------------------------


def test_two_for_two_adds_load_after_target_plus_two_in_two_sessions_running() -> None:
    h = history(
        session(0, two("S4", 8, load_kg=20.0), two("S4", 10, load_kg=20.0)),
        session(2, two("S4", 10, load_kg=20.0)),
        starts={"S": "S4"},
    )
    d = decide_progression(h, ladder="S")
    assert (d.action, d.next_stage, d.load_kg) == ("add_load", "S4", 22.5)
    assert d.reasons == (
        "Last set: 10 good reps at 20 kg (target 8, 2-for-2 needs 10).",
        "Target + 2 in the last set 2 sessions running: add 2.5 kg (next load 22.5 kg).",
    )


def test_two_for_two_needs_the_last_set_and_two_sessions_at_the_same_load() -> None:
    once = history(session(0, two("S4", 10, load_kg=20.0)), starts={"S": "S4"})
    d = decide_progression(once, ladder="S")
    assert (d.action, d.load_kg) == ("stay", 20.0)
    assert "Reached in 1 of 2 sessions running." in d.reasons
    last_set_short = history(
        session(0, two("S4", 10, load_kg=20.0)),
        session(2, two("S4", 10, load_kg=20.0), two("S4", 9, load_kg=20.0)),
        starts={"S": "S4"},
    )
    assert decide_progression(last_set_short, ladder="S").action == "stay"
    new_load = history(
        session(0, two("S4", 10, load_kg=20.0)),
        session(2, two("S4", 10, load_kg=22.5)),
        starts={"S": "S4"},
    )
    assert decide_progression(new_load, ladder="S").action == "stay"


def test_single_leg_loaded_stage_counts_the_weaker_leg() -> None:
    h = history(
        session(0, one("D2", (10, 10), (10, 10), load_kg=6.0)),
        session(2, one("D2", (10, 10), (9, 10), load_kg=6.0)),
        starts={"D": "D2"},
    )
    assert decide_progression(h, ladder="D").action == "stay"


# --- red flags ----------------------------------------------------------------------------------


def test_a_red_flag_locks_the_plan_until_a_clinician_clears_it() -> None:
    flagged = Screening(at=day(1), flags=("fall",))
    h = history(session(0, two("B1", 30)), screenings=(flagged,))
    d = decide_progression(h, ladder="B")
    assert d.action == "locked"
    assert d.reasons[0] == (
        "Red flag reported on 2026-01-06 (fall): the program is locked until a clinician clears it."
    )
    cleared = flagged.model_copy(
        update={"cleared_at": day(2), "cleared_by": "Dr Lee", "clear_reason": "checked"}
    )
    h2 = history(session(0, two("B1", 30)), screenings=(cleared,))
    assert lock_reason(h2) is None
    assert decide_progression(h2, ladder="B").action == "progress"


def test_screening_before_the_first_session_and_whenever_pain_is_reported() -> None:
    assert needs_screening(history(), pain_now=0, fine_max=2)
    screened = history(screenings=(Screening(at=day(0)),))
    assert not needs_screening(screened, pain_now=2, fine_max=2)
    assert needs_screening(screened, pain_now=3, fine_max=2)


# --- clinician overrides ------------------------------------------------------------------------


def _ov(at: float, kind: str, key: str, value: str) -> Override:
    return Override(
        at=day(at), clinician="Dr Lee", reason="post-op", kind=kind, key=key, value=value
    )  # type: ignore[arg-type]


def test_a_target_override_takes_effect_from_its_time() -> None:
    ov = _ov(1, "target", "D1", "24")
    h = history(
        session(0, one("D1", (24, 24), (24, 24))),
        session(2, one("D1", (24, 24), (24, 24))),
        overrides=(ov,),
    )
    steps = replay(h, ladder="D")
    assert [d.action for _, d in steps] == ["stay", "progress"]
    assert steps[1][1].reasons[0] == "Good reps: left 24, right 24; the target is 24 on each leg."


def test_a_threshold_override_changes_the_rule() -> None:
    ov = _ov(0, "threshold", "pain.stop_exercise_above", "3")
    h = history(session(1, two("B2", 30, pain=4)), starts={"B": "B2"}, overrides=(ov,))
    d = decide_progression(h, ladder="B")
    assert (d.action, d.next_stage) == ("regress", "B1")
    assert (
        d.reasons[0]
        == "Pain 4/10 during continuous bridge is above 3/10: the exercise was stopped."
    )


def test_a_stage_override_moves_the_ladder_and_says_who_and_why() -> None:
    h = history(session(0, two("B1", 10)), overrides=(_ov(1, "stage", "B", "C1"),))
    d = decide_progression(h, ladder="B")
    assert (d.action, d.stage, d.next_stage) == ("override", "B1", "C1")
    assert d.reasons == (
        "Clinician Dr Lee set the stage to C1 (ball curl, hips down) on 2026-01-06: post-op",
    )


def test_overrides_passed_explicitly_replace_the_recorded_ones() -> None:
    h = history(session(0, two("B1", 20)))
    d = decide_progression(h, PROGRAM, [_ov(-1, "target", "B1", "20")], ladder="B")
    assert d.action == "progress"


def _unjudged_audit(stage: str, good: int, unknown: int, failed: int) -> Audit:
    """An audit whose reps are good, could not be judged (unknown), or failed a check."""
    base = _audit_set(stage, good + unknown + failed, eccentric_s=2.0)
    reps = []
    for i, rep in enumerate(base.reps):
        if i < good:
            reps.append(rep)
            continue
        verdict = "unknown" if i < good + unknown else "fail"
        findings = [f.model_copy(update={"verdict": verdict}) for f in rep.findings[:1]]
        reps.append(rep.model_copy(update={"good": False, "findings": findings + rep.findings[1:]}))
    return base.model_copy(update={"reps": reps, "counts": count_reps(reps)})


def test_reps_the_camera_could_not_judge_are_not_good_but_are_not_form_failures() -> None:
    hidden = set_from_audit(_unjudged_audit("B2", good=10, unknown=10, failed=0), "B2", PROGRAM)
    h = history(session(0, hidden), session(2, hidden), starts={"B": "B2"})
    d = decide_progression(h, ladder="B")
    assert (d.action, d.reasons[0]) == ("stay", "Good reps: 10; the target is 30.")
    faulty = set_from_audit(_unjudged_audit("B2", good=10, unknown=2, failed=8), "B2", PROGRAM)
    h2 = history(session(0, faulty), session(2, faulty), starts={"B": "B2"})
    d2 = decide_progression(h2, ladder="B")
    assert (d2.action, d2.reasons[0]) == (
        "regress",
        "More than 30% of reps failed form in 2 sessions running (40%, 40%).",
    )


def test_pain_above_an_overridden_acceptable_level_blocks_progression() -> None:
    ov = _ov(-1, "threshold", "pain.acceptable_max", "3")
    d = decide_progression(history(session(0, two("B1", 30, pain=4)), overrides=(ov,)), ladder="B")
    assert (d.action, d.next_stage) == ("stay", "B1")
    assert "Pain 4/10 during bridge is above the acceptable 3/10: no progression." in d.reasons
