"""Recovery of lost or implausible poses: the pure parts (plausibility, un-rotation)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from hamcoach.io.mediapipe_pose import FramePose, _unrotate, is_plausible
from hamcoach.landmarks import N_LANDMARKS


def pose_at(offset_x: float = 0.0, scale: float = 1.0) -> FramePose:
    image = np.zeros((N_LANDMARKS, 3))
    rng = np.random.default_rng(0)
    image[:, :2] = rng.uniform(100, 200, size=(N_LANDMARKS, 2))
    image[[11, 12], 1] = 100.0  # shoulders
    image[[23, 24], 1] = 100.0 + 100.0 * scale  # hips: a trunk of 100 px * scale
    image[:, 0] += offset_x
    return FramePose(image, np.zeros((N_LANDMARKS, 3)), np.ones(N_LANDMARKS))


def test_a_small_move_is_plausible_and_a_teleport_is_not() -> None:
    assert is_plausible(pose_at(10.0), pose_at())
    assert not is_plausible(pose_at(80.0), pose_at())  # hips jump 0.8 trunk lengths
    assert not is_plausible(pose_at(scale=2.0), pose_at())  # the trunk doubles in one frame
    assert is_plausible(pose_at(), None)


def test_a_missing_pose_is_never_plausible() -> None:
    nan = np.full((N_LANDMARKS, 3), np.nan)
    assert not is_plausible(FramePose(nan, nan, np.zeros(N_LANDMARKS)), pose_at())


@pytest.mark.parametrize("code", [cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE])
def test_unrotate_maps_points_back_to_the_original_frame(code: int) -> None:
    h, w = 48, 64
    frame = np.zeros((h, w), np.uint8)
    original = pose_at().image.copy()
    original[:, 0] = np.linspace(3, w - 4, N_LANDMARKS).round()
    original[:, 1] = np.linspace(2, h - 3, N_LANDMARKS).round()
    rotated_points = np.zeros_like(original)
    for j, (x, y) in enumerate(original[:, :2].astype(int)):
        frame[:] = 0
        frame[y, x] = 255
        ys, xs = np.nonzero(cv2.rotate(frame, code))
        rotated_points[j, :2] = (xs[0], ys[0])
    back = _unrotate(FramePose(rotated_points, rotated_points, np.ones(N_LANDMARKS)), code, w, h)
    assert np.allclose(back.image[:, :2], original[:, :2])
