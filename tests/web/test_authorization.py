"""The authorization matrix: every route of the app, tried as anonymous, patient A, patient B, a
clinician of another clinic and A's own clinician. Each gets exactly what it may see.

Patient A is the demo patient (with an audit, a job and a report); patient B is another patient
of the same clinic; the other clinician works at a clinic that supervises neither. Forms are sent
empty, so an allowed request is answered with a validation error and nothing changes; a refused
one never reaches the handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.helpers import (
    HTML,
    OTHER_CLINICIAN,
    PATIENT_A,
    PATIENT_B,
    THERAPIST,
    World,
    add_finished_audit,
    build_app,
    csrf_of,
    login,
    patient_id,
)

ACTORS = ("anon", "patient_a", "patient_b", "other_clinician", "clinician")
LOGINS = {
    "patient_a": PATIENT_A,
    "patient_b": PATIENT_B,
    "other_clinician": OTHER_CLINICIAN,
    "clinician": THERAPIST,
}

OK, BAD, LOGIN, NO, GONE = 200, 400, 303, 403, 404
# Expected status per actor: anon, patient A, patient B, other clinic's clinician, A's clinician.
PUBLIC = (OK, OK, OK, OK, OK)
PATIENT_PAGE = (LOGIN, OK, OK, NO, NO)
A_PATIENT_ONLY = (LOGIN, OK, GONE, NO, NO)
CLINIC_PAGE = (LOGIN, NO, NO, OK, OK)
A_CLINIC_ONLY = (LOGIN, NO, NO, GONE, OK)

GETS: dict[str, tuple[int, ...]] = {
    "/": PUBLIC,
    "/program": PUBLIC,
    "/signup": PUBLIC,
    "/login": (OK, LOGIN, LOGIN, LOGIN, LOGIN),  # logged in: sent to their start page
    "/invite/{token}": (GONE,) * 5,  # a made-up invitation
    "/healthz": PUBLIC,
    "/me": PATIENT_PAGE,
    "/me/log": PATIENT_PAGE,
    "/me/pain": PATIENT_PAGE,
    "/me/audits": PATIENT_PAGE,
    "/me/progress": PATIENT_PAGE,
    "/me/progress/report": PATIENT_PAGE,
    "/me/audits/jobs/{job_id}": A_PATIENT_ONLY,
    "/me/audits/jobs/{job_id}/status": A_PATIENT_ONLY,
    "/me/api/jobs/{job_id}": (401, OK, GONE, NO, NO),  # JSON: 401, not a redirect
    "/me/audits/{audit_id}/report": A_PATIENT_ONLY,
    "/clinic": CLINIC_PAGE,
    "/clinic/leads": CLINIC_PAGE,
    "/clinic/invite": CLINIC_PAGE,
    "/clinic/patients/{patient_id}": A_CLINIC_ONLY,
    "/clinic/patients/{patient_id}/progress": A_CLINIC_ONLY,
    "/clinic/patients/{patient_id}/audits/{audit_id}/report": A_CLINIC_ONLY,
    "/clinic/leads/{lead_id}/enroll": (LOGIN, NO, NO, GONE, OK),
}
POSTS: dict[str, tuple[int, ...]] = {
    "/signup": (BAD,) * 5,  # an empty form: no stamp
    "/login": (BAD,) * 5,
    "/logout": (LOGIN,) * 5,
    "/invite/{token}": (GONE,) * 5,
    "/me/log": (LOGIN, BAD, BAD, NO, NO),
    "/me/pain": (LOGIN, BAD, BAD, NO, NO),
    "/me/audits": (LOGIN, BAD, BAD, NO, NO),
    "/clinic/invite": (LOGIN, NO, NO, BAD, BAD),
    "/clinic/patients/{patient_id}/override": (LOGIN, NO, NO, GONE, BAD),
    "/clinic/patients/{patient_id}/clear": (LOGIN, NO, NO, GONE, BAD),
    "/clinic/patients/{patient_id}/invite": (LOGIN, NO, NO, GONE, BAD),
    "/clinic/leads/{lead_id}/status": (LOGIN, NO, NO, GONE, LOGIN),  # no status: unchanged
    "/clinic/leads/{lead_id}/enroll": (LOGIN, NO, NO, GONE, BAD),
}


@pytest.fixture(scope="module")
def world(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    app = build_app(demo_template, tmp_path_factory.mktemp("authz"))
    db = app.state.web.db
    a = patient_id(db, "demo")
    audit_id, job_id = add_finished_audit(app, a)
    from sqlalchemy import select

    from hamcoach.web.models import LeadClinicRow

    with db.transaction() as s:
        lead_id = s.scalars(select(LeadClinicRow.lead_id)).first()
    assert lead_id is not None
    with TestClient(app) as main:
        clients = {"anon": main}
        for actor, who in LOGINS.items():
            c = TestClient(app)
            login(c, who.email, who.password)
            clients[actor] = c
        yield World(
            app=app,
            clients=clients,
            ids={"patient_id": a, "audit_id": audit_id, "job_id": job_id, "lead_id": lead_id},
        )


def fill(path: str, ids: dict[str, int]) -> str:
    out = path.replace("{token}", "not-a-real-invitation")
    for key, value in ids.items():
        out = out.replace("{" + key + "}", str(value))
    return out


def app_routes(routes: list[Any]) -> Iterator[tuple[str, str]]:
    """(path, method) of every route of the web app (the live-coaching router left out: it is
    another package's, and its own tests cover it)."""
    for r in routes:
        if isinstance(r, APIRoute) and not r.path.startswith("/live"):
            yield from ((r.path, m) for m in r.methods)
        sub = getattr(r, "original_router", None)
        if sub is not None and not sub.routes[0].endpoint.__module__.startswith("hamcoach.live"):
            yield from app_routes(sub.routes)


def test_the_matrix_covers_every_route(world: World) -> None:
    routes = set(app_routes(world.app.routes))
    listed = {(p, "GET") for p in GETS} | {(p, "POST") for p in POSTS}
    assert routes == listed


@pytest.mark.parametrize("path", sorted(GETS))
def test_get(world: World, path: str) -> None:
    url = fill(path, world.ids)
    for actor, expected in zip(ACTORS, GETS[path], strict=True):
        headers = {"accept": "application/json"} if "/api/" in path else HTML
        r = world.clients[actor].get(url, headers=headers, follow_redirects=False)
        assert r.status_code == expected, f"GET {url} as {actor}: {r.status_code}"
        if expected == LOGIN and actor == "anon":
            assert r.headers["location"].startswith("/login")


@pytest.mark.parametrize("path", sorted(POSTS))
def test_post_with_the_token(world: World, path: str) -> None:
    url = fill(path, world.ids)
    for actor, expected in zip(ACTORS, POSTS[path], strict=True):
        if path == "/logout":
            continue  # below, on its own clients
        client = world.clients[actor]
        token = csrf_of(client, "/")
        r = client.post(url, data={"csrf_token": token}, headers=HTML, follow_redirects=False)
        assert r.status_code == expected, f"POST {url} as {actor}: {r.status_code}"


@pytest.mark.parametrize("path", sorted(POSTS))
def test_post_without_the_token_is_refused(world: World, path: str) -> None:
    url = fill(path, world.ids)
    # Pages behind a login check it first (nothing is parsed for a stranger), then the token.
    anon = LOGIN if path.startswith(("/me", "/clinic")) else NO
    for actor in ACTORS:
        expected = anon if actor == "anon" else NO
        r = world.clients[actor].post(url, data={}, headers=HTML, follow_redirects=False)
        assert r.status_code == expected, f"POST {url} as {actor} without CSRF: {r.status_code}"
        forged = world.clients[actor].post(
            url, data={"csrf_token": "0" * 64}, headers=HTML, follow_redirects=False
        )
        assert forged.status_code == expected


def test_what_each_one_sees(world: World) -> None:
    c = world.clients
    # The other clinic sees neither the patients nor the sign-ups of the demo clinic.
    other_home = c["other_clinician"].get("/clinic", headers=HTML).text
    assert "demo" not in other_home and "P002" not in other_home
    other_leads = c["other_clinician"].get("/clinic/leads", headers=HTML).text
    assert "Sam Sample" not in other_leads
    own_home = c["clinician"].get("/clinic", headers=HTML).text
    assert 'data-patient="demo"' in own_home and 'data-patient="P002"' in own_home
    assert "Sam Sample" in c["clinician"].get("/clinic/leads", headers=HTML).text
    # Patient B sees their own (empty) audits, not A's.
    b_audits = c["patient_b"].get("/me/audits", headers=HTML).text
    assert f"/me/audits/{world.ids['audit_id']}/report" not in b_audits
    a_audits = c["patient_a"].get("/me/audits", headers=HTML).text
    assert f"/me/audits/{world.ids['audit_id']}/report" in a_audits
    # The patient's progress report is the patient version: no name, no clinician sections.
    a_progress = c["patient_a"].get("/me/progress/report").text
    assert "Dana Demo" not in a_progress
    assert (
        "Dana Demo"
        in c["clinician"].get(f"/clinic/patients/{world.ids['patient_id']}/progress").text
    )


def test_logging_out_ends_the_login(world: World) -> None:
    client = TestClient(world.app)
    login(client, PATIENT_A.email, PATIENT_A.password)
    cookie = client.cookies.get("hc_login")
    assert client.get("/me", headers=HTML, follow_redirects=False).status_code == OK
    r = client.post("/logout", data={"csrf_token": csrf_of(client, "/")}, follow_redirects=False)
    assert r.status_code == LOGIN
    assert client.get("/me", headers=HTML, follow_redirects=False).status_code == LOGIN
    # The old cookie is dead on the server side too.
    replay = TestClient(world.app)
    replay.cookies.set("hc_login", cookie or "")
    assert replay.get("/me", headers=HTML, follow_redirects=False).status_code == LOGIN


def test_static_files_and_unknown_pages(world: World) -> None:
    anon = world.clients["anon"]
    assert anon.get("/static/htmx.min.js").status_code == OK
    assert anon.get("/static/../web.db").status_code == GONE
    assert anon.get("/nowhere", headers=HTML).status_code == GONE
