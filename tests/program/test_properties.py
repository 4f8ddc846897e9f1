"""Property tests: whatever a patient does, progression never skips a stage and never passes a
pain rule."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamcoach.program.catalog import LADDERS, PROGRAM
from hamcoach.program.history import (
    Override,
    PatientHistory,
    SessionRecord,
    SetRecord,
    set_from_counts,
)
from hamcoach.program.rules import decide_progression, replay, rules_at
from tests.program.builders import day

SetDraw = tuple[int, int, int, int, int, bool]  # good_l, bad_l, good_r, bad_r, pain, cramp
sets_st = st.tuples(
    st.integers(0, 40),
    st.sampled_from([0, 0, 1, 5, 15]),
    st.integers(0, 40),
    st.sampled_from([0, 0, 1, 5, 15]),
    st.sampled_from([0, 0, 1, 1, 2, 2, 3, 5, 6, 7]),  # mostly low pain, sometimes a breach
    st.sampled_from([False, False, False, False, True]),
)
session_st = st.tuples(
    st.lists(sets_st, min_size=0, max_size=3),  # sets per ladder draw (applied to each ladder)
    st.sampled_from([0, 1, 2, 3, 4, 5, 6]),  # pain after
    st.one_of(st.none(), st.sampled_from([0, 1, 2, 3, 4, 6])),  # morning pain
)


def _set(stage_id: str, d: SetDraw) -> SetRecord:
    gl, bl, gr, br, pain, cramp = d
    stage = PROGRAM.stage(stage_id)
    load = 10.0 if stage.loaded else None
    if stage.single_leg:
        return set_from_counts(
            stage_id,
            PROGRAM,
            left=(gl, gl + bl),
            right=(gr, gr + br),
            pain=pain,
            cramp=cramp,
            load_kg=load,
        )
    return set_from_counts(
        stage_id, PROGRAM, reps=gl + bl, good=gl, pain=pain, cramp=cramp, load_kg=load
    )


def _grow(
    draws: list[tuple[list[SetDraw], int, int | None]],
    baseline: int,
    starts: dict[str, str],
    overrides: tuple[Override, ...] = (),
) -> PatientHistory:
    """A history where every session does the stages the plan asked for."""
    h = PatientHistory(
        patient="H", baseline_pain=baseline, start_stages=starts, overrides=overrides
    )  # type: ignore[arg-type]
    for i, (set_draws, pain_after, morning) in enumerate(draws):
        sets: list[SetRecord] = []
        for ladder in LADDERS:
            stage = decide_progression(h, ladder=ladder).next_stage
            sets += [_set(stage, d) for d in set_draws]
        s = SessionRecord(
            id=i + 1,
            started_at=day(2 * i),
            program_version=PROGRAM.version,
            pain_after=pain_after,
            morning_pain=morning,
            sets=tuple(sets),
        )
        h = h.model_copy(update={"sessions": (*h.sessions, s)})
    return h


starts_st = st.fixed_dictionaries(
    {
        "B": st.sampled_from([s.id for s in PROGRAM.ladder("B")]),
        "S": st.sampled_from([s.id for s in PROGRAM.ladder("S")]),
        "D": st.sampled_from([s.id for s in PROGRAM.ladder("D")]),
    }
)


overrides_st = st.lists(
    st.one_of(
        st.builds(
            lambda at, stage, n: Override(
                at=day(at), clinician="Dr H", reason="test", kind="target", key=stage, value=str(n)
            ),
            st.integers(-1, 12),
            st.sampled_from([s.id for s in PROGRAM.stages]),
            st.integers(5, 40),
        ),
        st.builds(
            lambda at, key, v: Override(
                at=day(at), clinician="Dr H", reason="test", kind="threshold", key=key, value=v
            ),
            st.integers(-1, 12),
            st.sampled_from(
                ["pain.stop_exercise_above", "pain.acceptable_max", "regression.form_fail_fraction"]
            ),
            st.sampled_from(["0.2", "0.5", "3", "4", "6"]),
        ),
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(session_st, min_size=1, max_size=6), st.integers(0, 4), starts_st, overrides_st)
def test_progression_never_skips_a_stage_nor_passes_a_pain_rule(
    draws: list[tuple[list[SetDraw], int, int | None]],
    baseline: int,
    starts: dict[str, str],
    overrides: list[Override],
) -> None:
    """Also under random clinician overrides of targets and thresholds: whatever the numbers,
    one stage at a time, and never past a pain rule in force at the time of the session."""
    h = _grow(draws, baseline, starts, tuple(overrides))
    for ladder in LADDERS:
        for session, d in replay(h, ladder=ladder):
            assert isinstance(session, SessionRecord)
            p = rules_at(h.overrides, session.started_at).pain
            assert PROGRAM.stage(d.next_stage).ladder == ladder
            step = PROGRAM.position(d.next_stage) - PROGRAM.position(d.stage)
            assert -1 <= step <= 1, d
            assert d.reasons, d
            if d.action in ("progress", "add_load"):
                assert step == (1 if d.action == "progress" else 0)
                done = [s for s in session.sets if PROGRAM.stage(s.stage).ladder == ladder]
                assert all(s.pain is None or s.pain <= p.acceptable_max.value for s in done)
                assert not any(s.cramp for s in done)
                assert session.pain_after is None or session.pain_after <= p.acceptable_max.value
                assert session.morning_pain is None or session.morning_pain <= baseline + 1
            if any(
                s.pain is not None and s.pain > p.stop_exercise_above.value
                for s in session.sets
                if PROGRAM.stage(s.stage).ladder == ladder
            ):
                assert step <= 0 and d.action in ("regress", "stay")
