"""The live router over HTTP and WebSocket (FastAPI's TestClient), standalone and with a
patient whose sets are saved like any other session."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from hamcoach.live.app import create_live_app
from hamcoach.live.router import live_user
from hamcoach.storage.repo import add_patient, find_patient, load_history, open_database
from tests.live.helpers import frames, squat_track


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_live_app()) as c:
        yield c


def read_until(ws: WebSocketTestSession, kind: str, **match: Any) -> list[dict[str, Any]]:
    """Events up to and including the first of ``kind`` (with the given fields)."""
    out: list[dict[str, Any]] = []
    while True:
        event = ws.receive_json()
        out.append(event)
        if event["type"] == kind and all(event.get(k) == v for k, v in match.items()):
            return out


def send_frames(ws: WebSocketTestSession, items: list[Any]) -> None:
    for f in items:
        ws.send_text(json.dumps(f.to_json()))


def reps_in(events: list[dict[str, Any]]) -> list[int]:
    return [e["index"] for e in events if e["type"] == "rep"]


def test_the_page_and_its_assets_are_served_locally(client: TestClient) -> None:
    page = client.get("/live/?stage=S2")
    assert page.status_code == 200
    html = page.text
    assert 'data-ws="/live/ws"' in html and "/live/static/mediapipe/pose.js" in html
    assert "Nothing is saved." in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    wasm = client.get("/live/static/mediapipe/pose_solution_simd_wasm_bin.wasm")
    assert wasm.status_code == 200 and wasm.headers["content-type"] == "application/wasm"
    js = client.get("/live/static/live.js")
    assert js.status_code == 200 and "new Pose(" in js.text
    assert client.get("/live/static/../router.py").status_code == 404
    assert client.get("/live/static/nothing.js").status_code == 404
    assert client.get("/live/?stage=Z9").status_code == 400


def test_a_set_over_the_websocket(client: TestClient) -> None:
    with client.websocket_connect("/live/ws?stage=S2") as ws:
        intro = read_until(ws, "state")
        assert intro[0]["type"] == "session" and intro[0]["target"] == 30
        assert intro[0]["saving"] is False
        send_frames(ws, frames(squat_track("side")))
        ws.send_json({"type": "finish"})
        events = read_until(ws, "status", phase="ended")
    assert reps_in(events) == [1, 2, 3, 4, 5]
    ws_hints = [e for e in events if e["type"] == "hint"]
    assert ws_hints and "in front of you" in ws_hints[0]["text"]


def test_bad_messages_get_an_error_and_the_connection_stays(client: TestClient) -> None:
    with client.websocket_connect("/live/ws?stage=S2") as ws:
        read_until(ws, "state")
        ws.send_text("not json")
        assert ws.receive_json()["type"] == "error"
        ws.send_json({"type": "frame", "t_ms": 0, "w": 640, "h": 480, "lm": [0.5] * 10})
        err = ws.receive_json()
        assert err["type"] == "error" and "33 landmarks" in err["message"]
        ws.send_json({"type": "frames", "frames": [1, 2]})
        assert ws.receive_json()["type"] == "error"
        ws.send_json({"type": "state"})
        assert ws.receive_json()["type"] == "state"


def test_a_dropped_connection_resumes_without_losing_reps(client: TestClient) -> None:
    all_frames = frames(squat_track("front"))
    half = len(all_frames) // 2
    with client.websocket_connect("/live/ws?stage=S2") as ws:
        session_id = read_until(ws, "state")[0]["id"]
        send_frames(ws, all_frames[:half])
        ws.send_json({"type": "state"})
        first = reps_in(read_until(ws, "state"))
    assert 1 <= len(first) < 5
    # The client saw all but the last rep before the network dropped.
    seen = first[:-1]
    url = f"/live/ws?session={session_id}&last_set=1&last_rep={len(seen)}"
    with client.websocket_connect(url) as ws:
        back = read_until(ws, "state")
        assert back[0]["type"] == "session" and back[0]["id"] == session_id
        replayed = reps_in(back)
        assert replayed == [first[-1]]
        send_frames(ws, all_frames[half:])
        ws.send_json({"type": "finish"})
        rest = reps_in(read_until(ws, "status", phase="ended"))
    assert seen + replayed + rest == [1, 2, 3, 4, 5]


def test_resuming_an_unknown_session_says_so(client: TestClient) -> None:
    with client.websocket_connect("/live/ws?session=nope") as ws:
        err = ws.receive_json()
    assert err["type"] == "error" and "resume" in err["message"]


def test_a_patients_set_is_saved_like_any_other_session(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hamcoach.db'}"
    db = open_database(url)
    add_patient(db, "P001", start_stages={"S": "S2"})
    app = create_live_app(db_url=url)
    app.dependency_overrides[live_user] = lambda: "P001"  # what the web app's login provides
    with TestClient(app) as c:
        html = c.get("/live/?stage=S2").text
        assert "Sets are saved to your history." in html
        found = re.search(r'data-ticket="([^"]+)"', html)
        assert found
        with c.websocket_connect(f"/live/ws?stage=S2&ticket={found.group(1)}") as ws:
            assert read_until(ws, "state")[0]["saving"] is True
            send_frames(ws, frames(squat_track("side")))
            ws.send_json({"type": "finish"})
            events = read_until(ws, "status", phase="ended")
        # A stage above the patient's plan is refused.
        with c.websocket_connect(f"/live/ws?stage=S3&ticket={found.group(1)}") as ws:
            err = ws.receive_json()
            assert err["type"] == "error" and "S2" in err["message"]
    assert any("Saved to session" in e.get("message", "") for e in events)
    history = load_history(db, find_patient(db, "P001").id)
    (session,) = history.sessions
    assert session.status == "completed"
    (done,) = session.sets
    assert done.stage == "S2" and done.source == "audit" and done.reps == 5
    assert done.audit_id is not None
    db.close()


def test_a_patients_page_offers_todays_stage(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hamcoach.db'}"
    db = open_database(url)
    add_patient(db, "P002")  # starts at S1, squat to a bench
    db.close()
    app = create_live_app(db_url=url)
    app.dependency_overrides[live_user] = lambda: "P002"
    with TestClient(app) as c:
        html = c.get("/live/?exercise=squat").text
    assert 'data-stage="S1"' in html and 'data-exercise="box_squat"' in html
