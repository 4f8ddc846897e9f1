"""Synthetic squat sets with known faults, and a video to go with them (made in tmp_path)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from hamcoach.pipeline import Analysis, analyze_track
from hamcoach.track import PoseTrack
from tests.closed_form import RepPlan, SquatSet, make_squat_track


def shallow_side_set() -> SquatSet:
    """Side view: reps 1 and 3 shallow (depth fault), rep 3 also rushed, rep 2 good."""
    shallow = RepPlan(depth_deg=25, down_s=3.0)
    return SquatSet(
        reps=[shallow, RepPlan(depth_deg=0, down_s=3.0), RepPlan(depth_deg=25, down_s=0.7)],
        view="side",
    )


def valgus_front_set() -> SquatSet:
    """Front view: both reps cave in (valgus, and the knees close on the way up)."""
    return SquatSet(reps=[RepPlan(valgus=0.25, down_s=3.0)] * 2, view="front")


def good_front_set() -> SquatSet:
    return SquatSet(reps=[RepPlan(down_s=3.0)] * 2, view="front")


def toes_side_set() -> SquatSet:
    """Side view: shallow reps with the knees far past the toes."""
    return SquatSet(reps=[RepPlan(down_s=3.0, shank_lean_deg=45, depth_deg=30)] * 2, view="side")


def shrunk(track: PoseTrack, factor: int = 4) -> PoseTrack:
    """The same track filmed at 1/factor of the frame size (small videos write fast)."""
    image = track.image.copy()
    image[:, :, :2] /= factor
    return track.replace(image=image, width=track.width // factor, height=track.height // factor)


def write_numbered_video(track: PoseTrack, path: Path) -> Path:
    """A video as long as ``track`` whose frame i is filled with grey level (i * 7) % 250, so a
    test can tell which frame it got."""
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter.fourcc(*"mp4v"), track.fps, (track.width, track.height)
    )
    assert writer.isOpened()
    for i in range(track.n_frames):
        writer.write(np.full((track.height, track.width, 3), (i * 7) % 250, dtype=np.uint8))
    writer.release()
    return path


@pytest.fixture(scope="module")
def shallow_side() -> Analysis:
    return analyze_track(make_squat_track(shallow_side_set()), "squat")


@pytest.fixture(scope="module")
def valgus_front() -> Analysis:
    return analyze_track(make_squat_track(valgus_front_set()), "squat")


@pytest.fixture(scope="module")
def good_front() -> Analysis:
    return analyze_track(make_squat_track(good_front_set()), "squat")


@pytest.fixture(scope="module")
def toes_side() -> Analysis:
    return analyze_track(make_squat_track(toes_side_set()), "squat")


@pytest.fixture(scope="module")
def small_shallow_side() -> Analysis:
    """The shallow set at a quarter of the frame size, to go with a small video."""
    return analyze_track(shrunk(make_squat_track(shallow_side_set())), "squat")
