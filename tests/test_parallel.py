"""Splitting one video's pose estimation across processes: ranges, jobs and the stitched track."""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest

from hamcoach.io import parallel
from hamcoach.io.mediapipe_pose import PoseOptions, estimate_track
from hamcoach.io.parallel import (
    SKIP_COST_720P,
    WORKER_START_COST,
    ChunkJob,
    balanced_frame_ranges,
    chunk_jobs,
    estimate_video_parallel,
    skip_cost,
)
from hamcoach.io.video import iter_video_frames

FPS = 30.0


def finish_times(ranges: list[tuple[int, int]], skip: float, start: float) -> list[float]:
    """When each worker finishes, in posed frames (worker 0 neither starts nor skips)."""
    return [(0.0 if k == 0 else start + skip * a) + (b - a) for k, (a, b) in enumerate(ranges)]


def test_without_costs_the_ranges_are_of_equal_length() -> None:
    assert balanced_frame_ranges(900, 2) == [(0, 450), (450, 900)]
    assert balanced_frame_ranges(10, 3) == [(0, 3), (3, 7), (7, 10)]
    assert balanced_frame_ranges(7, 1) == [(0, 7)]


def test_the_720p_reference_split_gives_the_worker_fewer_frames() -> None:
    ranges = balanced_frame_ranges(900, 2, SKIP_COST_720P, WORKER_START_COST)
    assert ranges == [(0, 484), (484, 900)]
    a, b = finish_times(ranges, SKIP_COST_720P, WORKER_START_COST)
    assert abs(a - b) <= 1.0


@pytest.mark.parametrize(
    ("n", "workers", "skip", "start"),
    [(900, 2, 0.066, 1.0), (901, 3, 0.066, 36.0), (5000, 4, 0.15, 36.0), (1234, 2, 0.3, 0.0)],
)
def test_ranges_tile_the_video_and_finish_together(
    n: int, workers: int, skip: float, start: float
) -> None:
    ranges = balanced_frame_ranges(n, workers, skip, start)
    assert len(ranges) == workers
    assert ranges[0][0] == 0 and ranges[-1][1] == n
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(ranges))
    assert all(b > a for a, b in ranges)
    times = finish_times(ranges, skip, start)
    assert max(times) - min(times) <= 2.0  # rounding each bound costs at most a frame


def test_a_video_too_short_for_the_start_cost_stays_in_this_process() -> None:
    assert balanced_frame_ranges(30, 2, 0.066, 36.0) == [(0, 30)]


def test_no_frames_no_ranges() -> None:
    assert balanced_frame_ranges(0, 2, 0.066, 36.0) == []
    assert balanced_frame_ranges(100, 0) == []


def test_skip_cost_grows_with_the_pixel_count() -> None:
    assert skip_cost(1280, 720) == pytest.approx(SKIP_COST_720P)
    assert skip_cost(1920, 1080) == pytest.approx(SKIP_COST_720P * 2.25)
    assert skip_cost(640, 360) == pytest.approx(SKIP_COST_720P / 4)


def test_the_last_job_runs_to_the_true_end() -> None:
    opts = PoseOptions()
    jobs = chunk_jobs(Path("v.mp4"), [(0, 5), (5, 9)], FPS, opts)
    assert jobs == [ChunkJob("v.mp4", 0, 5, FPS, opts), ChunkJob("v.mp4", 5, None, FPS, opts)]


def write_blank_video(path: Path, n_frames: int) -> Path:
    """A small video without a person: every frame a different grey level."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), FPS, (160, 120))
    for i in range(n_frames):
        writer.write(np.full((120, 160, 3), i % 256, dtype=np.uint8))
    writer.release()
    return path


def test_the_stitched_track_matches_one_process(tmp_path: Path) -> None:
    video = write_blank_video(tmp_path / "blank.mp4", 2 * parallel.MIN_FRAMES_PER_WORKER + 10)
    whole = estimate_track(iter_video_frames(video), source=str(video), fps=FPS)
    chunks: list[int] = []
    split = estimate_video_parallel(video, 2, on_chunk=chunks.append)
    assert split.meta["pose_chunks"] == 2
    assert len(chunks) == 2 and sum(chunks) == whole.n_frames == split.n_frames
    assert chunks[0] > chunks[1]  # the worker process starts later and skips: fewer frames
    np.testing.assert_array_equal(split.t_s, whole.t_s)
    np.testing.assert_array_equal(split.image, whole.image)  # nobody there: all missing
    assert split.meta["pose_recovery"]["frames"] == whole.n_frames


def test_workers_start_without_rerunning_the_main_script() -> None:
    import sys

    from hamcoach.io.parallel import main_script_hidden

    main = sys.modules["__main__"]
    before = (getattr(main, "__file__", None), getattr(main, "__spec__", None))
    with main_script_hidden():
        assert not hasattr(main, "__file__")
        assert main.__spec__ is None
    assert (getattr(main, "__file__", None), getattr(main, "__spec__", None)) == before


def test_the_concurrent_pose_pass_poses_every_frame_in_each_process(tmp_path: Path) -> None:
    from hamcoach.bench.speed import pose_concurrently, timed_pose_pass

    video = write_blank_video(tmp_path / "blank.mp4", 40)
    frames, decoding, total = timed_pose_pass(str(video))
    assert frames == 40 and 0 < decoding < total
    pose_s = pose_concurrently(video, 2)
    assert len(pose_s) == 2 and all(p > 0 for p in pose_s)
