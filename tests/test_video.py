"""Sequential video reading: skipping the first frames, and presentation times."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from hamcoach.io.video import (
    MAX_TIMESTAMP_DRIFT_S,
    KeyFrame,
    frame_time_s,
    iter_video_frames,
    key_frames,
)

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


def _assert_same_tail(path: Path, start: int, keys: list[KeyFrame]) -> None:
    full = list(iter_video_frames(path))
    tail = list(iter_video_frames(path, start=start, keys=keys))
    assert [f.index for f in tail] == [f.index for f in full[start:]]
    assert [f.t_s for f in tail] == [f.t_s for f in full[start:]]
    assert all(np.array_equal(a.bgr, b.bgr) for a, b in zip(tail, full[start:], strict=True))


def test_key_frames_are_read_from_the_packets(video: Path) -> None:
    keys = key_frames(video)
    assert keys[0] == KeyFrame(0, 0.0)
    assert len(keys) > 1  # mp4v puts a key frame every 12 frames
    assert [k.index for k in keys] == sorted({k.index for k in keys})
    assert all(k.t_ms == pytest.approx(1000.0 * k.index / FPS) for k in keys)


@pytest.mark.parametrize("start", [1, 12, 17, 25, 39])
def test_jumping_to_a_key_frame_reads_what_a_full_read_reads(video: Path, start: int) -> None:
    _assert_same_tail(video, start, key_frames(video))


def test_a_jump_that_lands_at_another_time_is_dropped(video: Path) -> None:
    """A key frame whose time the decoder does not land on (an open-GOP key frame lands one
    frame late): the reader starts over from the first frame, and the frames are still exact."""
    keys = key_frames(video)
    wrong = [KeyFrame(k.index, k.t_ms + 40.0) for k in keys]
    _assert_same_tail(video, 30, wrong)


@pytest.mark.parametrize(
    ("clip", "start"),
    [
        ("tuxotiikeri__squatdetection/vids/hyva2.mp4", 150),  # key frame 128 lands late
        ("rnhrn__exercises/videos/deadlift.mp4", 70),  # key frame 58 lands late
        ("RJ-song__MediapipePy_movement_detect/videos/squat.mp4", 484),  # key frame 250
    ],
)
def test_real_clips_read_from_a_key_frame_exactly(shared_eval: Path, clip: str, start: int) -> None:
    path = shared_eval / "clips" / clip
    _assert_same_tail(path, start, key_frames(path))


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
