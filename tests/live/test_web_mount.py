"""The live router inside the clinic web app: the logged-in patient's sets are saved."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

web_app = pytest.importorskip("hamcoach.web.app")

from fastapi.testclient import TestClient  # noqa: E402

from hamcoach.live.frames import frames_from_track  # noqa: E402
from hamcoach.program.demo import DEMO_PATIENT  # noqa: E402
from hamcoach.storage.repo import find_patient, load_history  # noqa: E402
from hamcoach.synth import CameraSpec, NoiseSpec, SetSpec, generate_set  # noqa: E402
from tests.live.test_socket import read_until  # noqa: E402


def test_a_logged_in_patient_coached_live_in_the_web_app(tmp_path: Path) -> None:
    helpers = pytest.importorskip("tests.web.helpers")
    app = helpers.build_app(helpers.seed_template(tmp_path / "seed"), tmp_path / "app")
    with TestClient(app) as client:
        assert client.get("/live/", follow_redirects=False).status_code in (303, 401)
        who = helpers.PATIENT_A
        helpers.login(client, who.email, who.password)
        page = client.get("/live/?exercise=squat")
        assert page.status_code == 200
        assert "wasm-unsafe-eval" in page.headers.get("content-security-policy", "")
        stage = re.search(r'data-stage="([A-Z0-9]+)"', page.text)
        ticket = re.search(r'data-ticket="([^"]+)"', page.text)
        assert stage and ticket and "Sets are saved to your history." in page.text
        track = generate_set(
            SetSpec(
                stage=stage.group(1),
                n_reps=4,
                camera=CameraSpec(view="side"),
                noise=NoiseSpec.level("low"),
                seed=5,
            )
        ).track
        url = f"/live/ws?stage={stage.group(1)}&ticket={ticket.group(1)}"
        with client.websocket_connect(url) as ws:
            intro = read_until(ws, "state")
            assert intro[0]["saving"] is True
            for f in frames_from_track(track):
                ws.send_text(json.dumps(f.to_json()))
            ws.send_json({"type": "finish"})
            events = read_until(ws, "status", phase="ended")
    reps = [e for e in events if e["type"] == "rep"]
    assert len(reps) == 4
    db = app.state.web.db
    history = load_history(db, find_patient(db, DEMO_PATIENT).id)  # PATIENT_A's record
    last = history.sessions[-1]
    assert last.sets[-1].stage == stage.group(1) and last.sets[-1].reps == 4
