"""The desktop loop's parts: BlazePose results in the browser's format, the overlay, no GUI."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from hamcoach.io.mediapipe_pose import FramePose
from hamcoach.live import desktop
from hamcoach.live.errors import DisplayUnavailableError
from hamcoach.live.session import LiveSession
from tests.live.helpers import squat_track, stream


def test_python_pose_becomes_the_same_frame_the_browser_sends() -> None:
    track = squat_track("side")
    i = 40
    pose = FramePose(track.image[i], track.world[i], track.confidence[i])  # type: ignore[index]
    frame = desktop.to_landmark_frame(pose, float(track.t_s[i]), track.width, track.height)
    image, conf, world = frame.pixels()
    np.testing.assert_allclose(image, track.image[i], atol=1e-9)
    np.testing.assert_allclose(conf, track.confidence[i])
    assert world is not None
    nobody = FramePose(np.full((33, 3), np.nan), np.full((33, 3), np.nan), np.zeros(33))
    assert desktop.to_landmark_frame(nobody, 1.0, 640, 480).landmarks is None


def test_the_overlay_shows_counts_and_the_cue() -> None:
    track = squat_track("front")
    session = LiveSession(stage="S2")
    overlay = desktop.Overlay()
    frames = [
        desktop.to_landmark_frame(
            FramePose(track.image[i], track.world[i], track.confidence[i]),  # type: ignore[index]
            float(track.t_s[i]),
            track.width,
            track.height,
        )
        for i in range(track.n_frames)
    ]
    for e in stream(session, frames):
        overlay.update(e, now=0.0)
    assert overlay.counts["reps"] == 5
    bgr = np.zeros((track.height, track.width, 3), dtype=np.uint8)
    pose = FramePose(track.image[0], track.world[0], track.confidence[0])  # type: ignore[index]
    out = desktop.draw(bgr, pose, overlay, mirror=True, now=0.0)
    assert out.shape == bgr.shape and out.any()  # skeleton and text drawn


def test_no_gui_build_is_reported_with_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cv2, "getBuildInformation", lambda: "  GUI:   NONE\n")
    with pytest.raises(DisplayUnavailableError) as err:
        desktop.require_display()
    assert "--headless" in err.value.hint and "opencv-python" in err.value.hint
