"""End to end in headless Chromium: a real labelled clip from ../shared/eval plays as the webcam
(Chromium's fake capture, converted to .y4m on the fly in tmp_path; the clip is never copied into
the repository), MediaPipe Pose runs in the page from the vendored files, the landmarks go over
the WebSocket, and the page shows the reps and the expected cue.

Headless Chromium has no GPU here: MediaPipe's WebGL runs on SwiftShader (CPU), 1-4 frames per
second on 2 busy cores, too few to see a 2 s squat. The test therefore asks the page for the lite
model on a 256 px input (``model=0&input=256``) and plays the clip in slow motion (``SLOWDOWN``
times slower, with ``timescale`` giving the engine the clip's own times back): test-only
settings; people get the full model on the full picture in real time.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hamcoach.checks import REGISTRY
from hamcoach.live.app import create_live_app
from hamcoach.live.y4m import fake_camera_args, write_y4m

CLIP = "calimiro-ai__WorkoutTracker/data/raw/squats/squat_19.mp4"
CHROMIUM = "/usr/bin/chromium"
SLOWDOWN = 3
pytestmark = [pytest.mark.eval, pytest.mark.browser]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    uvicorn = pytest.importorskip("uvicorn")
    port = _free_port()
    config = uvicorn.Config(create_live_app(), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("the live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_the_page_counts_a_real_clip_and_says_the_cue(
    shared_eval: Path, server: str, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    labels = json.loads((shared_eval / "labels.json").read_text())
    records = labels if isinstance(labels, list) else labels["clips"]
    label = next(r for r in records if r["file"] == CLIP)
    y4m = tmp_path / "clip.y4m"
    n_frames, fps = write_y4m(shared_eval / "clips" / CLIP, y4m, slowdown=SLOWDOWN)
    clip_s = n_frames / fps  # wall-clock seconds of one loop
    expected_cue = REGISTRY["tempo.controlled"].cue  # the offline audit's cue on this clip
    args = fake_camera_args(y4m)
    outside: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page()
            page.on(
                "request",
                lambda r: None if r.url.startswith(server) else outside.append(r.url),
            )
            page.goto(f"{server}/live/?stage=S2&model=0&input=256&speak=0&timescale={1 / SLOWDOWN}")
            page.wait_for_function("window.hamcoach.frames > 0", timeout=90_000)
            started = time.monotonic()
            page.wait_for_function("window.hamcoach.reps.length >= 1", timeout=90_000)
            # The network drops after the first rep; the page reconnects and resumes.
            page.evaluate("window.hamcoach.dropConnection()")
            want = label["rep_count"]
            page.wait_for_function(f"window.hamcoach.reps.length >= {want}", timeout=90_000)
            page.wait_for_function(
                "(t) => window.hamcoach.cues.some((c) => c.text === t)",
                arg=expected_cue,
                timeout=60_000,
            )
            elapsed = time.monotonic() - started
            state = page.evaluate(
                "({reps: window.hamcoach.reps.map((r) => [r.set, r.index]),"
                " hints: window.hamcoach.hints, fps: window.hamcoach.fps,"
                " reconnects: window.hamcoach.reconnects, delays: window.hamcoach.delays,"
                " shown: document.getElementById('reps').textContent,"
                " log: document.getElementById('log').textContent})"
            )
        finally:
            browser.close()
    reps = [tuple(r) for r in state["reps"]]
    assert len(reps) == len(set(reps)), "a rep was counted twice across the reconnect"
    assert state["reconnects"] >= 1
    # Chromium loops the clip: never more reps than the loops played could hold.
    loops = elapsed / clip_s + 1
    assert len(reps) <= label["rep_count"] * loops + 1, (len(reps), elapsed)
    assert int(state["shown"]) == len(reps)
    assert expected_cue in state["log"]
    assert any("to your side" in h for h in state["hints"])  # depth needs a side view
    assert outside == [], f"the page fetched from elsewhere: {outside}"
    print(f"browser fps {state['fps']:.1f}; cue delays (ms) {state['delays']}")
