"""The clinician's side: alerts first, overrides with who/when/why, clearing red flags,
turning a sign-up into a patient with an invitation, inviting a patient directly."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from hamcoach.storage.repo import load_history, record_screening
from tests.web.helpers import HTML, THERAPIST, csrf_of, login, patient_id


def clinician(client: TestClient) -> TestClient:
    login(client, THERAPIST.email, THERAPIST.password)
    return client


def post(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str]:
    r = client.post(path, data={"csrf_token": csrf_of(client, "/clinic"), **data}, headers=HTML)
    return r.status_code, r.text


def test_patients_with_alerts_come_first(client: TestClient) -> None:
    c = clinician(client)
    db = client.app.state.web.db  # type: ignore[attr-defined]
    record_screening(db, patient_id(db, "P002"), ["fall"])
    page = c.get("/clinic", headers=HTML).text
    order = re.findall(r'data-patient="([^"]+)"', page)
    assert order[0] == "P002"
    assert "Red flag reported" in page and "paused: red flag" in page


def test_an_override_is_recorded_with_who_when_and_why(client: TestClient) -> None:
    c = clinician(client)
    db = client.app.state.web.db  # type: ignore[attr-defined]
    pid = patient_id(db, "P002")
    status, page = post(
        c,
        f"/clinic/patients/{pid}/override",
        {"kind": "target", "key": "S1", "value": "20", "reason": "knee surgery last year"},
    )
    assert status == 200 and "The change is saved" in page
    assert "Override by Demo Clinician: target S1 = 20" in page
    assert "20 good reps in this session" in page
    override = load_history(db, pid).overrides[-1]
    assert (override.clinician, override.kind, override.key, override.value, override.reason) == (
        "Demo Clinician",
        "target",
        "S1",
        "20",
        "knee surgery last year",
    )
    status, page = post(
        c, f"/clinic/patients/{pid}/override", {"kind": "stage", "key": "S2", "reason": "strong"}
    )
    assert status == 200 and "<strong>S2</strong>" in page
    status, page = post(
        c,
        f"/clinic/patients/{pid}/override",
        {"kind": "threshold", "key": "pain.stop_exercise_above", "value": "4", "reason": "fragile"},
    )
    assert status == 200 and "pain.stop_exercise_above (4 /10)" in page
    status, page = post(
        c, f"/clinic/patients/{pid}/override", {"kind": "target", "key": "S1", "value": "20"}
    )
    assert status == 400 and "Please say why" in page
    status, page = post(
        c,
        f"/clinic/patients/{pid}/override",
        {"kind": "target", "key": "S1", "value": "lots", "reason": "x"},
    )
    assert status == 400 and "is not a number" in page


def test_clearing_a_red_flag_unlocks_the_program(client: TestClient) -> None:
    c = clinician(client)
    db = client.app.state.web.db  # type: ignore[attr-defined]
    pid = patient_id(db, "P002")
    record_screening(db, pid, ["knee_locking"])
    page = c.get(f"/clinic/patients/{pid}", headers=HTML).text
    assert "Red flag: program locked" in page and "A knee that locks" in page
    status, page = post(c, f"/clinic/patients/{pid}/clear", {"reason": ""})
    assert status == 400
    status, page = post(c, f"/clinic/patients/{pid}/clear", {"reason": "seen today, fine"})
    assert status == 200 and "The red flag is cleared" in page
    assert "Cleared" in page and "by Demo Clinician: seen today, fine" in page
    assert load_history(db, pid).screenings[-1].cleared_by == "Demo Clinician"


def test_a_sign_up_becomes_a_patient_who_sets_a_password(client: TestClient) -> None:
    c = clinician(client)
    leads = c.get("/clinic/leads", headers=HTML).text
    rows = re.findall(r'<tr data-lead="(\d+)">(.*?)</tr>', leads, re.S)
    lead_id = next(i for i, row in rows if "Sam Sample" in row)
    status, page = post(
        c,
        f"/clinic/leads/{lead_id}/enroll",
        {"code": "P100", "email": "Sam@Example.com", "baseline_pain": "2"},
    )
    assert status == 200 and "Invitation for P100 is ready" in page
    link = re.search(r'id="invite-link" readonly value="([^"]+)"', page)
    assert link is not None
    path = "/" + link.group(1).split("/", 3)[3]
    # The patient, in another browser.
    patient = TestClient(c.app)
    page = patient.get(path, headers=HTML).text
    assert "sam@example.com" in page
    token = csrf_of(patient, path)
    r = patient.post(
        path, data={"csrf_token": token, "password": "short", "password_again": "short"}
    )
    assert r.status_code == 400
    good = "a long enough password"
    r = patient.post(
        path,
        data={"csrf_token": token, "password": good, "password_again": good},
        headers=HTML,
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/me"
    assert "Hello, Sam Sample" in patient.get("/me", headers=HTML).text
    # The link works once.
    assert patient.get(path, headers=HTML).status_code == 404
    fresh = TestClient(c.app)
    login(fresh, "sam@example.com", good)
    # The clinic sees the new patient, and the lead as enrolled.
    assert 'data-patient="P100"' in c.get("/clinic", headers=HTML).text
    assert "enrolled" in c.get("/clinic/leads?show=all", headers=HTML).text


def test_inviting_a_patient_directly(client: TestClient) -> None:
    c = clinician(client)
    status, page = post(c, "/clinic/invite", {"code": "P200", "email": "patient@demo.hamcoach"})
    assert status == 400 and "already uses that e-mail" in page
    status, page = post(c, "/clinic/invite", {"code": "demo", "email": "new@example.com"})
    assert status == 400 and "is taken" in page
    status, page = post(
        c, "/clinic/invite", {"code": "P200", "name": "Robin", "email": "robin@example.com"}
    )
    assert status == 200 and "Invitation for P200 is ready" in page
    home = c.get("/clinic", headers=HTML).text
    assert 'data-patient="P200"' in home and "invited" in home


def test_lead_status_changes(client: TestClient) -> None:
    c = clinician(client)
    leads = c.get("/clinic/leads", headers=HTML).text
    lead_id = re.findall(r'data-lead="(\d+)"', leads)[0]
    r = c.post(
        f"/clinic/leads/{lead_id}/status",
        data={"csrf_token": csrf_of(c, "/clinic"), "status": "closed"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert f'data-lead="{lead_id}"' not in c.get("/clinic/leads", headers=HTML).text
    assert f'data-lead="{lead_id}"' in c.get("/clinic/leads?show=all", headers=HTML).text
