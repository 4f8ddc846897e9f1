"""Property tests: what is stored comes back equal (audits, sets, sessions, pain, overrides)."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamcoach.audit import (
    Audit,
    CheckNotRun,
    Finding,
    Rep,
    SourceInfo,
    ViewInfo,
    count_reps,
)
from hamcoach.program.catalog import PROGRAM
from hamcoach.program.history import SessionRecord, SetRecord
from hamcoach.storage.repo import (
    Database,
    add_override,
    add_patient,
    add_set,
    finish_session,
    load_audit,
    load_history,
    open_database,
    record_morning_pain,
    start_session,
    store_audit,
)

floats = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
times = st.floats(min_value=0, max_value=600, allow_nan=False)
text = st.text(max_size=20)
check_ids = st.sampled_from(["squat.depth", "squat.knee_valgus", "tempo.controlled"])

findings = st.builds(
    Finding,
    check=check_ids,
    verdict=st.sampled_from(["pass", "fail", "unknown"]),
    value=st.none() | floats,
    threshold=st.none() | floats,
    unit=text,
    reason=text,
    frame=st.none() | st.integers(0, 10_000),
    cue=text,
)


@st.composite
def audits(draw: st.DrawFn) -> Audit:
    n = draw(st.integers(0, 6))
    reps = [
        Rep(
            index=i + 1,
            start_s=draw(times),
            bottom_s=draw(times),
            end_s=draw(times),
            leg=draw(st.sampled_from(["both", "left", "right"])),
            good=draw(st.booleans()),
            down_s=draw(times),
            pause_s=draw(times),
            up_s=draw(times),
            range_fraction=draw(st.floats(0, 2)),
            findings=draw(st.lists(findings, max_size=3)),
        )
        for i in range(n)
    ]
    return Audit(
        hamcoach_version="0.1.0",
        exercise="squat",
        stage=draw(st.sampled_from([None, "S2", "S4"])),
        view=draw(st.sampled_from(["front", "side", "unknown"])),
        view_info=ViewInfo(view="side", confidence=draw(st.floats(0, 1))),
        source=SourceInfo(
            name=draw(st.text(min_size=1, max_size=30)),
            frames=draw(st.integers(0, 10**6)),
            fps=draw(st.floats(1, 240)),
            duration_s=draw(times),
            width=640,
            height=480,
            backend="mediapipe",
            person_frames_fraction=draw(st.floats(0, 1)),
        ),
        reps=reps,
        counts=count_reps(reps),
        checks_run=draw(st.lists(check_ids, max_size=3)),
        checks_not_run=draw(
            st.lists(st.builds(CheckNotRun, check=check_ids, reason=text, hint=text), max_size=2)
        ),
        warnings=draw(st.lists(text, max_size=2)),
        settings_overrides=draw(
            st.dictionaries(st.sampled_from(["a", "b"]), st.integers() | text, max_size=2)
        ),
    )


def _db(tmp_path_factory_dir: Path) -> Database:
    return open_database(f"sqlite:///{tmp_path_factory_dir / 'roundtrip.db'}")


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(audits())
def test_a_stored_audit_comes_back_equal(tmp_path: Path, audit: Audit) -> None:
    db = _db(tmp_path)
    try:
        pid = add_patient(db, uuid.uuid4().hex)
        assert load_audit(db, store_audit(db, pid, audit)) == audit
    finally:
        db.close()


@st.composite
def set_records(draw: st.DrawFn) -> SetRecord:
    stage = PROGRAM.stage(draw(st.sampled_from([s.id for s in PROGRAM.stages])))
    reps_left, reps_right = draw(st.integers(0, 60)), draw(st.integers(0, 60))
    good_left = draw(st.integers(0, reps_left))
    good_right = draw(st.integers(0, reps_right))
    return SetRecord(
        stage=stage.id,
        exercise=stage.exercise,
        source="manual",
        reps=reps_left + reps_right,
        good=good_left + good_right,
        reps_left=reps_left,
        reps_right=reps_right,
        good_left=good_left,
        good_right=good_right,
        load_kg=draw(st.none() | st.floats(0, 300, allow_nan=False)),
        pain=draw(st.none() | st.integers(0, 10)),
        cramp=draw(st.booleans()),
    )


when = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))


@SETTINGS
@given(
    st.lists(
        st.tuples(
            when,
            st.none() | st.integers(0, 10),
            st.none() | st.integers(0, 10),
            st.none() | st.integers(0, 10),
            st.lists(set_records(), max_size=4),
        ),
        max_size=3,
        unique_by=lambda t: t[0],
    ),
    st.lists(st.tuples(when, st.text(min_size=1, max_size=40).filter(str.strip)), max_size=2),
)
def test_stored_sessions_and_overrides_come_back_equal(
    tmp_path: Path,
    sessions: list[tuple[datetime, int | None, int | None, int | None, list[SetRecord]]],
    overrides: list[tuple[datetime, str]],
) -> None:
    db = _db(tmp_path)
    try:
        pid = add_patient(db, uuid.uuid4().hex, baseline_pain=3)
        expected = []
        for at, before, after, morning, sets in sorted(sessions, key=lambda t: t[0]):
            sid = start_session(db, pid, pain_before=before, at=at)
            for s in sets:
                add_set(db, sid, s, at=at)
            finish_session(db, sid, pain_after=after, at=at)
            if morning is not None:
                record_morning_pain(db, pid, morning, session_id=sid, at=at)
            expected.append(
                SessionRecord(
                    id=sid,
                    started_at=at,
                    program_version=PROGRAM.version,
                    pain_before=before,
                    pain_after=after,
                    morning_pain=morning,
                    sets=tuple(sets),
                )
            )
        for at, reason in overrides:
            add_override(
                db,
                pid,
                clinician="Dr Lee",
                reason=reason,
                kind="target",
                key="B1",
                value="20",
                at=at,
            )
        h = load_history(db, pid)
        assert h.sessions == tuple(expected)
        assert h.baseline_pain == 3
        assert [(o.at, o.reason) for o in h.overrides] == sorted(overrides, key=lambda o: o[0])
    finally:
        db.close()
