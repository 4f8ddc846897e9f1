"""The patient's side: the plan, logging a session by hand, pain check-ins, red flags, uploads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hamcoach.storage.repo import load_history
from hamcoach.web.models import AuditJobRow
from tests.conftest import eval_dir
from tests.web.helpers import HTML, PATIENT_B, build_app, csrf_of, login, patient_id

SHORT_CLIP = "clips/kaiakol__computervision/data/squat/correct/squat_correct_009.avi"


@pytest.fixture
def newcomer(client: TestClient) -> TestClient:
    login(client, PATIENT_B.email, PATIENT_B.password)
    return client


def post(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str]:
    r = client.post(path, data={"csrf_token": csrf_of(client, "/me"), **data}, headers=HTML)
    return r.status_code, r.text


def test_today_shows_the_plan_with_cues(newcomer: TestClient) -> None:
    page = newcomer.get("/me", headers=HTML).text
    for stage in ("B1", "S1", "D1"):
        assert f'<span class="stage-id">{stage}</span>' in page
    assert "30 good reps in this session" in page
    assert "Press the floor through the whole foot" in page  # a cue of B1


def test_logging_a_session_by_hand_decides_what_next(newcomer: TestClient) -> None:
    status, page = post(
        newcomer,
        "/me/log",
        {
            "pain_before": "1",
            "pain_after": "2",
            "screen_done": "yes",
            "do_B": "yes",
            "stage_B": "B1",
            "reps_B": "30",
            "good_B": "30",
            "pain_B": "1",
            "do_D": "yes",
            "stage_D": "D1",
            "reps_left_D": "20",
            "good_left_D": "18",
            "reps_right_D": "20",
            "good_right_D": "20",
        },
    )
    assert status == 200, page
    assert "Session saved" in page
    assert "B1 → B2" in page and "moving up" in page
    assert "(report it tomorrow with the pain check-in)" in page
    assert "left 12 short" in page  # D1 needs 30 on each leg
    db = newcomer.app.state.web.db  # type: ignore[attr-defined]
    history = load_history(db, patient_id(db, "P002"))
    assert len(history.sessions) == 1 and len(history.sessions[0].sets) == 2
    # The next morning: raised pain holds the progression back.
    assert "How do you feel this morning?" in newcomer.get("/me", headers=HTML).text
    status, page = post(newcomer, "/me/pain", {"score": "5"})
    assert status == 200 and "you stay at your current stages" in page
    assert load_history(db, patient_id(db, "P002")).sessions[0].morning_pain == 5


def test_a_harder_stage_than_planned_is_refused(newcomer: TestClient) -> None:
    status, page = post(
        newcomer,
        "/me/log",
        {
            "pain_before": "1",
            "pain_after": "1",
            "screen_done": "yes",
            "do_B": "yes",
            "stage_B": "C1",
            "reps_B": "10",
            "good_B": "10",
        },
    )
    assert status == 400 and "C1 is not in today&#39;s plan" in page


def test_a_red_flag_locks_the_program(newcomer: TestClient) -> None:
    status, page = post(
        newcomer,
        "/me/log",
        {
            "pain_before": "4",
            "pain_after": "4",
            "screen_done": "yes",
            "flag_chest_pain_faint": "yes",
            "do_B": "yes",
            "stage_B": "B1",
            "reps_B": "10",
            "good_B": "10",
        },
    )
    assert status == 200 and "Get medical help now" in page
    today = newcomer.get("/me", headers=HTML).text
    assert "Your program is paused" in today and "Log today" not in today
    status, page = post(
        newcomer,
        "/me/log",
        {"pain_before": "0", "pain_after": "0", "screen_done": "yes", "do_B": "yes"},
    )
    assert status == 409


def upload(client: TestClient, name: str, content: bytes, **extra: str) -> tuple[int, str, str]:
    token = csrf_of(client, "/me/audits")
    r = client.post(
        "/me/audits",
        data={"csrf_token": token, "stage": "S1", **extra},
        files={"video": (name, content, "application/octet-stream")},
        headers=HTML,
        follow_redirects=False,
    )
    return r.status_code, r.text, r.headers.get("location", "")


def test_uploads_must_be_videos(newcomer: TestClient) -> None:
    status, page, _ = upload(newcomer, "notes.txt", b"hello")
    assert status == 400 and "not a video HamCoach can read" in page
    status, page, _ = upload(newcomer, "fake.mp4", b"this is not a video at all" * 10)
    assert status == 400 and "not a video HamCoach can read" in page
    uploads = newcomer.app.state.web.settings.uploads_dir  # type: ignore[attr-defined]
    assert list(uploads.iterdir()) == []


def test_uploads_have_a_size_limit(demo_template: Path, tmp_path: Path) -> None:
    app = build_app(demo_template, tmp_path, max_upload_mb=0.01)
    with TestClient(app) as client:
        login(client, PATIENT_B.email, PATIENT_B.password)
        status, _, _ = upload(client, "big.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40_000)
        assert status == 413
        assert list(app.state.web.settings.uploads_dir.iterdir()) == []


def clip_path() -> Path:
    root = eval_dir()
    if root is None or not (root / SHORT_CLIP).exists():
        pytest.skip("../shared/eval is not present on this machine")
    return root / SHORT_CLIP


@pytest.mark.eval
@pytest.mark.pose
@pytest.mark.parametrize("keep", [False, True])
def test_a_real_clip_is_audited_in_the_background(newcomer: TestClient, keep: bool) -> None:
    clip = clip_path()
    extra = {"keep": "yes"} if keep else {}
    status, _, location = upload(newcomer, clip.name, clip.read_bytes(), **extra)
    assert status == 303 and re.fullmatch(r"/me/audits/jobs/\d+", location)
    ctx = newcomer.app.state.web  # type: ignore[attr-defined]
    ctx.worker.wait(timeout=120)
    job_id = int(location.rsplit("/", 1)[1])
    state = newcomer.get(f"/me/api/jobs/{job_id}").json()
    assert state["status"] == "done", state
    assert state["progress"] == 1.0 and re.match(r"Done: \d+ reps? counted", state["message"])
    box = newcomer.get(f"{location}/status", headers=HTML).text
    assert 'data-status="done"' in box and "hx-get" not in box  # polling stops
    report = newcomer.get(f"/me/audits/{state['audit_id']}/report", headers=HTML)
    assert report.status_code == 200 and "Rep by rep" in report.text
    assert clip.name not in report.text  # the stored name is random, never the patient's
    with ctx.db.transaction() as s:
        job = s.get(AuditJobRow, job_id)
        assert job is not None
        stored = ctx.settings.uploads_dir / job.video_name
        assert job.video_deleted is not keep
    assert stored.exists() is keep
