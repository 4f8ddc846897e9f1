"""Helpers for the web tests: demo database copies, apps, logged-in clients, CSRF tokens."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from hamcoach.program.demo import rep_plan, synthetic_audit
from hamcoach.storage.models import Patient
from hamcoach.storage.repo import Database, store_audit, utcnow
from hamcoach.web.app import create_app
from hamcoach.web.models import AuditJobRow
from hamcoach.web.seed import DEMO_LOGINS, seed_demo_web
from hamcoach.web.settings import WebSettings

THERAPIST, PATIENT_A, PATIENT_B, OTHER_CLINICIAN = DEMO_LOGINS
SECRET = "test-secret-key"
HTML = {"accept": "text/html"}


def seed_template(folder: Path) -> Path:
    """A seeded demo database file, made once and copied for each test."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.db"
    seed_demo_web(f"sqlite:///{path}", folder / "storage")
    return path


def copy_db(template: Path, target_dir: Path) -> str:
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / "web.db"
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{template}{suffix}")
        if src.exists():
            shutil.copy(src, Path(f"{target}{suffix}"))
    return f"sqlite:///{target}"


def make_settings(db_url: str, storage: Path, **overrides: Any) -> WebSettings:
    values: dict[str, Any] = {
        "db_url": db_url,
        "storage_dir": storage,
        "secret_key": SECRET,
        "signup_min_seconds": 0.0,
        "report_frames": False,
    }
    values.update(overrides)
    return WebSettings(**values)


def csrf_of(client: TestClient, path: str = "/login") -> str:
    page = client.get(path, headers=HTML)
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.text) or re.search(
        r'"X-CSRF-Token": "([^"]+)"', page.text
    )
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def login(client: TestClient, email: str, password: str) -> None:
    token = csrf_of(client)
    r = client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": password},
        headers=HTML,
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]


def patient_id(db: Database, code: str) -> int:
    with db.transaction() as s:
        pid = s.scalar(select(Patient.id).where(Patient.code == code))
    assert pid is not None
    return pid


def add_finished_audit(app: FastAPI, pid: int, stage: str = "S1") -> tuple[int, int]:
    """A stored audit with its report file and its finished job: (audit id, job id)."""
    ctx = app.state.web
    from hamcoach.program.catalog import PROGRAM

    st = PROGRAM.stage(stage)
    audit = synthetic_audit(st.exercise, st.id, rep_plan(st.id, (8, 8), (2, 2)))
    audit_id = store_audit(ctx.db, pid, audit, st.id)
    name = f"audit-{audit_id}.html"
    (ctx.settings.reports_dir / name).write_text(
        f"<html><body><h1>Audit report {audit_id}</h1></body></html>", encoding="utf-8"
    )
    with ctx.db.transaction() as s:
        job = AuditJobRow(
            patient_id=pid,
            created_at=utcnow(),
            finished_at=utcnow(),
            stage=st.id,
            exercise=st.exercise,
            status="done",
            progress=1.0,
            message="Done.",
            video_name="gone.mp4",
            keep_video=False,
            video_deleted=True,
            audit_id=audit_id,
            report_name=name,
        )
        s.add(job)
        s.flush()
        return audit_id, job.id


@dataclass
class World:
    app: FastAPI
    clients: dict[str, TestClient]
    ids: dict[str, int]


def build_app(template: Path, tmp: Path, **overrides: Any) -> FastAPI:
    url = copy_db(template, tmp)
    return create_app(make_settings(url, tmp / "storage", **overrides))
