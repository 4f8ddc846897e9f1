"""Pelvis measures from BlazePose world landmarks (view-independent)."""

from __future__ import annotations

import numpy as np
import pytest

from hamcoach.checks.bridge import turn_over_top_deg
from hamcoach.features import hip_line_unit, hip_line_world, pelvis_tilt_world_deg
from hamcoach.landmarks import L


def _world_hips(left: tuple[float, float, float], right: tuple[float, float, float]) -> np.ndarray:
    w = np.zeros((1, 33, 3))
    w[0, L.LEFT_HIP], w[0, L.RIGHT_HIP] = left, right
    return w


def test_pelvis_tilt_world_is_positive_with_the_left_hip_higher() -> None:
    # world y points down: the left hip 0.05 m higher than the right over a 0.3 m hip width
    w = _world_hips((0.15, -0.05, 0.0), (-0.15, 0.0, 0.0))
    assert pelvis_tilt_world_deg(hip_line_unit(w, (1,)))[0] == pytest.approx(
        np.degrees(np.arcsin(0.05 / np.hypot(0.3, 0.05)))
    )
    assert np.isnan(pelvis_tilt_world_deg(hip_line_unit(None, (1,)))).all()


def test_a_pelvis_rolling_10_deg_at_the_top_turns_the_hip_line_10_deg() -> None:
    """Whatever the camera (the frame here is arbitrary), a roll about the body's long axis
    turns the hip line by the roll; jitter of 2 deg per frame averages out."""
    rng = np.random.default_rng(0)
    n = 60
    roll = np.where(np.arange(n) >= 30, np.radians(10.0), 0.0)
    lines = np.stack([np.cos(roll), np.sin(roll), np.zeros(n)], axis=-1)
    lines += rng.normal(0.0, np.radians(2.0), lines.shape)
    lines /= np.linalg.norm(lines, axis=-1, keepdims=True)
    top = np.arange(n) >= 35
    assert turn_over_top_deg(lines, top) == pytest.approx(10.0, abs=1.0)
    assert turn_over_top_deg(lines[:30], np.arange(30) >= 20) == pytest.approx(0.0, abs=1.5)


def test_hip_line_world_is_a_unit_vector_from_the_right_hip_to_the_left() -> None:
    cols = hip_line_world(hip_line_unit(_world_hips((0.0, 0.0, 0.2), (0.0, 0.0, -0.1)), (1,)))
    assert [float(cols[k][0]) for k in ("hip_line_wx", "hip_line_wy", "hip_line_wz")] == [
        0.0,
        0.0,
        1.0,
    ]
