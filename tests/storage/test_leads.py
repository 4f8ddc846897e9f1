"""Sign-ups: stored only inside the area, urgent when a red flag was answered, enrolled whole."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hamcoach.program.errors import InvalidZipError, ProgramLockedError
from hamcoach.program.plan import todays_plan
from hamcoach.storage.errors import IncompleteSignupError, LeadNotFoundError, PatientExistsError
from hamcoach.storage.leads import add_lead, enroll_lead, list_leads, set_lead_status
from hamcoach.storage.models import LeadRow
from hamcoach.storage.repo import Database, add_patient, load_history, start_session
from tests.program.builders import day


def test_leads_are_listed_urgent_first_and_enrolled_into_patients(db: Database) -> None:
    calm = add_lead(db, zip_code="18901", offer="trial", name="Ann", phone="215", at=day(0))
    urgent = add_lead(
        db, zip_code="19401", offer="audit", name="Bo", email="b@x", at=day(1), red_flags=["fall"]
    )
    assert [(x.id, x.urgent, x.county) for x in list_leads(db)] == [
        (urgent, True, "Montgomery"),
        (calm, False, "Bucks"),
    ]
    set_lead_status(db, calm, "contacted")
    pid = enroll_lead(db, calm, "P010", baseline_pain=2, at=day(2))
    assert [x.id for x in list_leads(db)] == [urgent]
    done = next(x for x in list_leads(db, include_done=True) if x.id == calm)
    assert (done.status, done.patient_id) == ("enrolled", pid)
    assert load_history(db, pid).baseline_pain == 2
    with pytest.raises(LeadNotFoundError):
        enroll_lead(db, calm, "P011")
    with pytest.raises(LeadNotFoundError):
        set_lead_status(db, urgent, "enrolled")


def test_a_lead_with_a_red_flag_becomes_a_locked_patient(db: Database) -> None:
    lead = add_lead(db, zip_code="18940", offer="trial", name="Cy", phone="1", red_flags=["fall"])
    pid = enroll_lead(db, lead, "P020")
    assert todays_plan(load_history(db, pid)).locked is not None
    with pytest.raises(ProgramLockedError):
        start_session(db, pid, pain_before=0)


def test_nothing_is_stored_outside_the_area_or_without_a_way_to_call(db: Database) -> None:
    with pytest.raises(InvalidZipError):
        add_lead(db, zip_code="19103", offer="trial", name="Di", phone="1")
    with pytest.raises(IncompleteSignupError):
        add_lead(db, zip_code="18901", offer="trial", name="Di")
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(LeadRow)) == 0


def test_enrolling_under_a_taken_code_changes_nothing(db: Database) -> None:
    add_patient(db, "P001")
    lead = add_lead(db, zip_code="18901", offer="audit", name="Ed", phone="1")
    with pytest.raises(PatientExistsError):
        enroll_lead(db, lead, "P001")
    (still,) = list_leads(db)
    assert (still.status, still.patient_id) == ("new", None)
