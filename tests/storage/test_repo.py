"""The repository: what is written comes back, writes are whole, errors are typed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from hamcoach.program.catalog import PROGRAM
from hamcoach.program.demo import rep_plan, synthetic_audit
from hamcoach.program.errors import InvalidOverrideError, ProgramLockedError, UnknownStageError
from hamcoach.program.history import set_from_audit, set_from_counts
from hamcoach.program.rules import decide_progression
from hamcoach.storage.errors import (
    AuditStageMismatchError,
    DatabaseError,
    PatientExistsError,
    PatientNotFoundError,
)
from hamcoach.storage.export import CSV_COLUMNS, export_patient
from hamcoach.storage.models import AuditFindingRow, AuditRepRow, AuditRow, SetRow
from hamcoach.storage.repo import (
    Database,
    add_override,
    add_patient,
    add_set,
    clear_red_flags,
    complete_session,
    find_patient,
    list_patients,
    load_audit,
    load_decisions,
    load_history,
    open_database,
    record_morning_pain,
    record_screening,
    start_session,
    store_audit,
    store_audit_for_patient,
)
from tests.program.builders import day


def test_patients_are_found_by_code_or_id_and_codes_are_unique(db: Database) -> None:
    pid = add_patient(db, "P001", name="Jo", baseline_pain=2, start_stages={"B": "B3"}, at=day(0))
    p = find_patient(db, "P001")
    assert (p.id, p.name, p.baseline_pain, p.start_stages) == (
        pid,
        "Jo",
        2,
        {"B": "B3", "S": "S1", "D": "D1"},
    )
    assert find_patient(db, f"#{pid}") == p
    assert find_patient(db, pid) == p
    assert [x.code for x in list_patients(db)] == ["P001"]
    with pytest.raises(PatientExistsError):
        add_patient(db, "P001")
    with pytest.raises(PatientNotFoundError) as err:
        find_patient(db, "P999")
    assert "hamcoach patient list" in err.value.hint
    with pytest.raises(InvalidOverrideError):
        add_patient(db, "P002", start_stages={"B": "S1"})


def test_a_session_is_stored_judged_and_logged(db: Database) -> None:
    pid = add_patient(db, "P001", baseline_pain=1, at=day(-1))
    sid = start_session(db, pid, pain_before=1, at=day(0))
    add_set(db, sid, set_from_counts("B1", PROGRAM, reps=15, good=15, pain=1), at=day(0))
    add_set(db, sid, set_from_counts("B1", PROGRAM, reps=16, good=15, pain=2), at=day(0))
    decisions = complete_session(db, sid, pain_after=1, at=day(0.1))
    assert list(decisions) == ["B"]
    assert (decisions["B"].action, decisions["B"].next_stage) == ("progress", "B2")
    assert decisions["B"].reasons[-1] == (
        "This holds if tomorrow morning's pain is no more than 2/10 "
        "(report it with `hamcoach morning PATIENT --pain N`)."
    )
    logged = load_decisions(db, pid)
    assert [(d.session_id, d.ladder, d.action, d.next_stage) for d in logged] == [
        (sid, "B", "progress", "B2")
    ]
    record_morning_pain(db, pid, 3, at=day(0.6))
    h = load_history(db, pid)
    assert h.sessions[0].morning_pain == 3
    assert [s.good for s in h.sessions[0].sets] == [15, 15]
    # The raised morning takes the provisional progression back.
    assert decide_progression(h, ladder="B").action == "stay"


def test_an_open_session_is_ignored_by_the_rules_and_shown_as_interrupted(db: Database) -> None:
    pid = add_patient(db, "P001")
    sid = start_session(db, pid, pain_before=0, at=day(0))
    add_set(db, sid, set_from_counts("B1", PROGRAM, reps=30, good=30))
    assert load_history(db, pid).sessions == ()
    assert load_history(db, pid, include_open=True).sessions[0].status == "open"
    assert decide_progression(load_history(db, pid), ladder="B").action == "start"


def test_a_failing_set_write_leaves_nothing_behind(db: Database) -> None:
    pid = add_patient(db, "P001")
    sid = start_session(db, pid, pain_before=0)
    squat = synthetic_audit("squat", "S2", rep_plan("S2", (5, 0)))
    with pytest.raises(AuditStageMismatchError):
        add_set(db, sid, set_from_counts("B1", PROGRAM, reps=5), audit=squat)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(SetRow)) == 0
        assert s.scalar(select(func.count()).select_from(AuditRow)) == 0
        assert s.scalar(select(func.count()).select_from(AuditRepRow)) == 0


def test_an_audit_is_stored_whole_with_queryable_reps_and_findings(db: Database) -> None:
    pid = add_patient(db, "P001")
    audit = synthetic_audit("single_leg_bridge", "B3", rep_plan("B3", (3, 2), (1, 0)))
    aid = store_audit(db, pid, audit, "B3")
    assert load_audit(db, aid) == audit
    with db.transaction() as s:
        legs = s.execute(
            select(AuditRepRow.leg, AuditRepRow.good)
            .where(AuditRepRow.audit_id == aid)
            .order_by(AuditRepRow.rep_index)
        ).all()
        fails = s.scalars(
            select(AuditFindingRow.check_id).where(AuditFindingRow.verdict == "fail")
        ).all()
    assert [tuple(r) for r in legs] == [
        ("left", True),
        ("left", True),
        ("left", True),
        ("left", False),
        ("right", True),
        ("right", True),
    ]
    assert fails == ["bridge.hip_height"]


def test_store_audit_for_patient_opens_the_database_and_finds_by_code(
    db_url: str, db: Database
) -> None:
    add_patient(db, "P001")
    audit = synthetic_audit("squat", "S2", rep_plan("S2", (4, 0)))
    aid = store_audit_for_patient("P001", audit, stage="S2", db_url=db_url)
    assert load_audit(db, aid) == audit
    with pytest.raises(AuditStageMismatchError):
        store_audit_for_patient("P001", audit, stage="B1", db_url=db_url)
    with pytest.raises(PatientNotFoundError):
        store_audit_for_patient("nobody", audit, db_url=db_url)


def test_an_audited_set_carries_its_rep_tempo_into_the_history(db: Database) -> None:
    pid = add_patient(db, "P001")
    sid = start_session(db, pid, pain_before=0, at=day(0))
    audit = synthetic_audit("bridge", "B1", rep_plan("B1", (30, 0)))
    add_set(db, sid, set_from_audit(audit, "B1", PROGRAM), audit=audit)
    complete_session(db, sid, pain_after=0)
    (s,) = load_history(db, pid).sessions[0].sets
    assert s.source == "audit" and s.audit_id is not None
    assert len(s.rep_details) == 30 and all(r.eccentric_s == 2.0 for r in s.rep_details)


def test_a_red_flag_blocks_new_sessions_until_cleared_and_the_clearing_is_logged(
    db: Database,
) -> None:
    pid = add_patient(db, "P001")
    record_screening(db, pid, [], at=day(0))
    record_screening(db, pid, ["calf_swelling_breathless"], at=day(1))
    with pytest.raises(ProgramLockedError):
        start_session(db, pid, pain_before=0)
    assert clear_red_flags(db, pid, clinician="Dr Lee", reason="scan clear", at=day(2)) == 1
    h = load_history(db, pid)
    flagged = h.screenings[1]
    assert (flagged.cleared_by, flagged.clear_reason, flagged.cleared_at) == (
        "Dr Lee",
        "scan clear",
        day(2),
    )
    start_session(db, pid, pain_before=0)


def test_overrides_are_validated_and_logged_with_who_when_why(db: Database) -> None:
    pid = add_patient(db, "P001")
    add_override(
        db,
        pid,
        clinician="Dr Lee",
        reason="post-op",
        kind="target",
        key="d1",
        value="24",
        at=day(1),
    )
    add_override(
        db,
        pid,
        clinician="Dr Lee",
        reason="fragile",
        kind="threshold",
        key="pain.stop_exercise_above",
        value=4.0,
        at=day(2),
    )
    add_override(
        db, pid, clinician="Dr Kim", reason="ready", kind="stage", key="", value="b3", at=day(3)
    )
    logged = [
        (o.clinician, o.at, o.kind, o.key, o.value, o.reason)
        for o in load_history(db, pid).overrides
    ]
    assert logged == [
        ("Dr Lee", day(1), "target", "D1", "24", "post-op"),
        ("Dr Lee", day(2), "threshold", "pain.stop_exercise_above", "4", "fragile"),
        ("Dr Kim", day(3), "stage", "B", "B3", "ready"),
    ]
    with pytest.raises(InvalidOverrideError):
        add_override(db, pid, clinician="X", reason="r", kind="threshold", key="pain.nope", value=1)
    with pytest.raises(UnknownStageError):
        add_override(db, pid, clinician="X", reason="r", kind="target", key="Z9", value=1)
    with pytest.raises(InvalidOverrideError):
        add_override(db, pid, clinician="X", reason=" ", kind="target", key="B1", value=1)


def test_exports_have_one_row_per_set_and_no_names(db: Database) -> None:
    pid = add_patient(db, "P001", name="Jo Bloggs")
    sid = start_session(db, pid, pain_before=2, at=day(0))
    add_set(db, sid, set_from_counts("D1", PROGRAM, left=(20, 25), right=(22, 25), pain=3))
    add_set(db, sid, set_from_counts("S1", PROGRAM, reps=30, good=28))
    complete_session(db, sid, pain_after=1)
    rows = list(csv.DictReader(io.StringIO(export_patient(db, pid, "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["stage"], r["good_left"], r["good_right"], r["pain"]) for r in rows] == [
        ("D1", "20", "22", "3"),
        ("S1", "28", "28", ""),
    ]
    data = json.loads(export_patient(db, pid, "json"))
    assert data["patient"] == "P001"
    assert [d["ladder"] for d in data["sessions"][0]["decisions"]] == ["S", "D"]
    both = export_patient(db, pid, "csv") + export_patient(db, pid, "json")
    assert "Jo Bloggs" not in both


@pytest.mark.parametrize(
    "url", ["nonsense://x", "postgresql+nodriver://x@localhost/db", "sqlite:////proc/none/x.db"]
)
def test_an_unusable_database_url_is_a_typed_error_with_a_hint(url: str) -> None:
    with pytest.raises(DatabaseError) as err:
        open_database(url)
    assert err.value.hint
