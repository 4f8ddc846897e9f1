"""Pelvis measures from BlazePose world landmarks (view-independent)."""

from __future__ import annotations

import numpy as np
import pytest

from hamcoach.checks.base import Unmeasurable
from hamcoach.checks.bridge import roll_over_top_deg
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


N_FRAMES = 60
FRAME = np.arange(N_FRAMES)
TOP = (FRAME >= 25) & (FRAME < 35)
TRUNK = np.tile([0.0, 0.0, 1.0], (N_FRAMES, 1))  # the body's long axis (the frame is arbitrary)


def _hip_lines(
    roll_deg: float,
    twist_deg: float = 0.0,
    jitter_deg: float = 2.0,
    on: np.ndarray | None = None,
) -> np.ndarray:
    """Hip lines lying along x, from frame 20 to 39 (or on ``on``) rolled about the long axis
    (towards y) and twisted within the body's plane (towards z), with jitter; level again by
    the end of the rep, as a body lies back down."""
    rng = np.random.default_rng(0)
    on = (FRAME >= 20) & (FRAME < 40) if on is None else on
    roll, twist = np.radians(np.where(on, roll_deg, 0.0)), np.radians(np.where(on, twist_deg, 0.0))
    lines = np.stack([np.cos(roll) * np.cos(twist), np.sin(roll), np.sin(twist)], axis=-1)
    lines += rng.normal(0.0, np.radians(jitter_deg), lines.shape)
    return np.asarray(lines / np.linalg.norm(lines, axis=-1, keepdims=True))


def test_a_pelvis_rolling_10_deg_at_the_top_reads_10_deg() -> None:
    """Whatever the camera, a roll about the body's long axis tilts the hip line out of the
    plane it started in with the trunk; jitter of 2 deg per frame averages out."""
    assert roll_over_top_deg(_hip_lines(10.0), TRUNK, TOP) == pytest.approx(10.0, abs=1.0)
    assert roll_over_top_deg(_hip_lines(-10.0), TRUNK, TOP) == pytest.approx(10.0, abs=1.0)
    assert roll_over_top_deg(_hip_lines(0.0), TRUNK, TOP) == pytest.approx(0.0, abs=1.0)


def test_the_level_reference_averages_both_ends_of_the_rep() -> None:
    """A hip line 6 deg off for the rep's first tenth alone (a hidden hip's noisy depth) moves
    the reference by half as much: the last tenth, where the body lies as it started, weighs
    the same. Off at the end instead, the same."""
    start_off = _hip_lines(10.0, jitter_deg=0.0)
    start_off[:6] = _hip_lines(6.0, jitter_deg=0.0, on=np.ones(N_FRAMES, bool))[:6]
    end_off = _hip_lines(10.0, jitter_deg=0.0)
    end_off[-6:] = start_off[:6]
    assert roll_over_top_deg(start_off, TRUNK, TOP) == pytest.approx(7.0, abs=0.2)
    assert roll_over_top_deg(end_off, TRUNK, TOP) == pytest.approx(7.0, abs=0.2)


def test_a_pelvis_twisting_within_the_bodys_plane_does_not_read_as_a_roll() -> None:
    assert roll_over_top_deg(_hip_lines(0.0, twist_deg=15.0), TRUNK, TOP) == pytest.approx(
        0.0, abs=1.0
    )
    assert roll_over_top_deg(_hip_lines(10.0, twist_deg=15.0), TRUNK, TOP) == pytest.approx(
        10.0, abs=1.0
    )


def test_frames_with_the_hips_swapped_leave_the_roll_as_it_was() -> None:
    """A left/right swap reverses the hip line; a mean over the start would shrink towards
    the swapped frames' noise, the line's axis does not."""
    lines = _hip_lines(10.0)
    swapped = lines.copy()
    swapped[[1, 2, 26, 27, 28, 58]] *= -1
    assert roll_over_top_deg(swapped, TRUNK, TOP) == pytest.approx(
        roll_over_top_deg(lines, TRUNK, TOP), abs=1e-6
    )


def test_a_trunk_along_the_hip_line_leaves_the_roll_unmeasured() -> None:
    along = np.tile([1.0, 0.0, 0.0], (N_FRAMES, 1))
    with pytest.raises(Unmeasurable, match="trunk"):
        roll_over_top_deg(_hip_lines(10.0), along, TOP)


def test_hip_line_world_is_a_unit_vector_from_the_right_hip_to_the_left() -> None:
    cols = hip_line_world(hip_line_unit(_world_hips((0.0, 0.0, 0.2), (0.0, 0.0, -0.1)), (1,)))
    assert [float(cols[k][0]) for k in ("hip_line_wx", "hip_line_wy", "hip_line_wz")] == [
        0.0,
        0.0,
        1.0,
    ]
