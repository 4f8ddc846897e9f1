"""Sequential video reading: skipping the first frames, and presentation times."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from hamcoach.io.video import MAX_TIMESTAMP_DRIFT_S, frame_time_s, iter_video_frames

FPS = 25.0


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("video") / "ramp.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), FPS, (64, 48))
    for i in range(40):
        writer.write(np.full((48, 64, 3), 6 * i, dtype=np.uint8))
    writer.release()
    return path


@pytest.mark.parametrize("start", [0, 1, 17, 39])
def test_skipped_frames_leave_the_rest_as_a_full_read_gives_them(video: Path, start: int) -> None:
    full = list(iter_video_frames(video))
    tail = list(iter_video_frames(video, start=start))
    assert [f.index for f in tail] == [f.index for f in full[start:]]
    assert [f.t_s for f in tail] == [f.t_s for f in full[start:]]
    assert all(np.array_equal(a.bgr, b.bgr) for a, b in zip(tail, full[start:], strict=True))


def test_skipping_past_the_end_yields_nothing(video: Path) -> None:
    assert list(iter_video_frames(video, start=1000)) == []


def test_container_time_is_kept_when_it_increases() -> None:
    assert frame_time_s(400.0, 10, FPS, 0.36) == pytest.approx(0.4)


def test_missing_or_stuck_container_time_falls_back_to_the_index() -> None:
    assert frame_time_s(math.nan, 10, FPS, 0.36) == pytest.approx(10 / FPS)
    assert frame_time_s(360.0, 10, FPS, 0.36) == pytest.approx(10 / FPS)


def test_a_far_off_container_time_is_not_trusted() -> None:
    far = (10 / FPS + MAX_TIMESTAMP_DRIFT_S + 1.0) * 1000.0
    assert frame_time_s(far, 10, FPS, 0.36) == pytest.approx(10 / FPS)


def test_times_never_go_back_even_when_the_index_time_would() -> None:
    assert frame_time_s(math.nan, 2, FPS, 1.0) == pytest.approx(1.0 + 1 / FPS)
