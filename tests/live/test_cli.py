"""``hamcoach live`` on the desktop: a real clip as the camera, headless (events printed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HAMCOACH = Path(sys.executable).parent / "hamcoach"
CLIP = "calimiro-ai__WorkoutTracker/data/raw/squats/squat_19.mp4"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run(
        [str(HAMCOACH), *args], check=False, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.eval
@pytest.mark.pose
def test_a_video_as_the_camera_counts_the_labelled_reps(shared_eval: Path) -> None:
    labels = json.loads((shared_eval / "labels.json").read_text())
    records = labels if isinstance(labels, list) else labels["clips"]
    label = next(r for r in records if r["file"] == CLIP)
    done = run(
        "live",
        "--video",
        str(shared_eval / "clips" / CLIP),
        "--stage",
        "S2",
        "--headless",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    reps = [e for e in events if e["type"] == "rep"]
    assert len(reps) == label["rep_count"]
    hints = [e["text"] for e in events if e["type"] == "hint"]
    assert any("to your side" in h for h in hints)
    assert any(e["type"] == "cue" for e in events)
    assert events[-1]["type"] == "status" and events[-1]["phase"] == "ended"


def test_no_gui_is_explained_not_a_traceback(tmp_path: Path) -> None:
    done = run("live", "--video", str(tmp_path / "any.mp4"), "--exercise", "squat")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--headless" in done.stderr and "opencv-python" in done.stderr


def test_camera_or_video_is_required() -> None:
    done = run("live", "--headless")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--video" in done.stderr
