"""Security details: cookies, headers, password hashing, login throttling, upload jobs that
survive a restart, the live-coaching router behind the login, a friendly page for bugs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.testclient import WebSocketDenialResponse

from hamcoach.storage.repo import utcnow
from hamcoach.web.app import live_router
from hamcoach.web.auth import hash_password, verify_password
from hamcoach.web.models import AuditJobRow, UserRow
from hamcoach.web.settings import WebSettings
from tests.web.helpers import HTML, PATIENT_A, PATIENT_B, build_app, csrf_of, login, patient_id


def test_passwords_are_argon2_hashes(app: FastAPI) -> None:
    with app.state.web.db.transaction() as s:
        stored = s.scalars(select(UserRow.password_hash)).all()
    assert stored and all(h.startswith("$argon2id$") for h in stored)
    h = hash_password("correct horse battery")
    assert verify_password(h, "correct horse battery") and not verify_password(h, "wrong")
    assert not verify_password("", "anything") and not verify_password("garbage", "x")


def test_cookies_and_headers(client: TestClient) -> None:
    page = client.get("/login", headers=HTML)
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    csrf_cookie = page.headers["set-cookie"]
    assert "hc_csrf=" in csrf_cookie and "HttpOnly" in csrf_cookie and "SameSite=Lax" in csrf_cookie
    r = client.post(
        "/login",
        data={
            "csrf_token": csrf_of(client),
            "email": PATIENT_A.email,
            "password": PATIENT_A.password,
        },
        follow_redirects=False,
    )
    login_cookie = r.headers["set-cookie"]
    assert "hc_login=" in login_cookie and "HttpOnly" in login_cookie
    assert "samesite=lax" in login_cookie.lower()


def test_a_login_token_from_a_form_of_another_browser_is_refused(
    app: FastAPI,
) -> None:
    victim, attacker = TestClient(app), TestClient(app)
    login(victim, PATIENT_A.email, PATIENT_A.password)
    stolen_form_token = csrf_of(attacker, "/")  # valid, but for the attacker's own cookie
    r = victim.post("/me/pain", data={"csrf_token": stolen_form_token, "score": "9"}, headers=HTML)
    assert r.status_code == 403


def test_after_logging_in_the_page_asked_for_opens_and_never_another_site(
    client: TestClient,
) -> None:
    r = client.get("/me/audits", headers=HTML, follow_redirects=False)
    assert r.headers["location"] == "/login?next=/me/audits"
    for asked, landing in (("/me/audits", "/me/audits"), ("//evil.example/x", "/me")):
        r = client.post(
            "/login",
            data={
                "csrf_token": csrf_of(client),
                "email": PATIENT_A.email,
                "password": PATIENT_A.password,
                "next": asked,
            },
            headers=HTML,
            follow_redirects=False,
        )
        assert r.headers["location"] == landing


def test_failed_logins_are_throttled(demo_template: Path, tmp_path: Path) -> None:
    app = build_app(demo_template, tmp_path, login_rate=(3, 300.0))
    with TestClient(app) as client:
        codes = []
        for _ in range(4):
            r = client.post(
                "/login",
                data={"csrf_token": csrf_of(client), "email": PATIENT_A.email, "password": "x"},
                headers=HTML,
            )
            codes.append(r.status_code)
        assert codes == [400, 400, 400, 429]
        r = client.post(
            "/login",
            data={
                "csrf_token": csrf_of(client),
                "email": PATIENT_A.email,
                "password": PATIENT_A.password,
            },
            headers=HTML,
            follow_redirects=False,
        )
        assert r.status_code == 429  # even the right password waits


def test_unfinished_jobs_resume_or_fail_after_a_restart(
    demo_template: Path, tmp_path: Path
) -> None:
    app = build_app(demo_template, tmp_path)
    ctx = app.state.web
    pid = patient_id(ctx.db, "P002")
    with ctx.db.transaction() as s:
        gone = AuditJobRow(
            patient_id=pid,
            created_at=utcnow(),
            stage="S1",
            exercise="box_squat",
            status="running",
            video_name="missing.mp4",
        )
        s.add(gone)
        s.flush()
        gone_id = gone.id
    with TestClient(app):  # start-up resumes jobs
        pass
    with ctx.db.transaction() as s:
        row = s.get(AuditJobRow, gone_id)
        assert row is not None and row.status == "failed" and "upload again" in row.message


def test_the_live_coaching_page_needs_a_login(app: FastAPI) -> None:
    if live_router() is None:
        pytest.skip("hamcoach.live is not installed")
    anon = TestClient(app)
    r = anon.get("/live/", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    with pytest.raises(WebSocketDenialResponse), anon.websocket_connect("/live/ws"):
        pass  # no login, no WebSocket
    patient = TestClient(app)
    login(patient, PATIENT_B.email, PATIENT_B.password)
    page = patient.get("/live/", headers=HTML)
    assert page.status_code == 200
    assert "wasm-unsafe-eval" in page.headers["content-security-policy"]
    assert 'href="/live/"' in patient.get("/me", headers=HTML).text


def test_a_bug_shows_a_friendly_page(app: FastAPI) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    client = TestClient(app, raise_server_exceptions=False)
    r = client.get("/boom", headers=HTML)
    assert r.status_code == 500 and "Something went wrong" in r.text
    assert "a bug" not in r.text


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="audit_workers"):
        WebSettings(db_url="sqlite://", audit_workers=5)
