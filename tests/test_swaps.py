"""Left/right swap repair (cleaning.swap_flags) and the ball-curl hip drop measure."""

from __future__ import annotations

import numpy as np

from hamcoach.checks.ball_curl import drop_below_running_max
from hamcoach.cleaning import swap_flags

LEFT, RIGHT = [0, 1, 2], [3, 4, 5]
MAX_AGE = 15  # frames (0.5 s at 30 fps)


def _legs(n: int) -> np.ndarray:
    """Two legs of three landmarks, 100 px apart, standing still (px)."""
    xy = np.zeros((n, 6, 2))
    xy[:, :3, 0], xy[:, 3:, 0] = 100.0, 200.0
    xy[:, :, 1] = np.array([300.0, 400.0, 500.0, 300.0, 400.0, 500.0])
    return xy


def test_a_real_swap_is_found_and_undone_when_it_ends() -> None:
    xy = _legs(60)
    xy[20:26, :3], xy[20:26, 3:] = xy[20:26, 3:].copy(), xy[20:26, :3].copy()
    flags = swap_flags(xy, LEFT, RIGHT, MAX_AGE)
    assert np.flatnonzero(flags).tolist() == list(range(20, 26))


def test_legs_that_moved_while_one_was_hidden_are_not_swapped() -> None:
    """The far (right) leg hides for 2 s; meanwhile the near leg sweeps 100 px to where the far
    leg was and the far leg swings 90 px the other way. Compared with the last frame both were
    seen, exchanging the labels looks 19x better; compared with each leg's own recent position
    there is no evidence, and the labels stand."""
    xy = _legs(90)
    xy[10:70, 3:] = np.nan
    xy[10:70, :3, 0] += np.linspace(0.0, 100.0, 60)[:, None]
    xy[70:, :3, 0] += 100.0
    xy[70:, 3:, 0] -= 90.0
    assert not swap_flags(xy, LEFT, RIGHT, MAX_AGE).any()


def test_hips_rising_as_the_ball_rolls_in_drop_zero() -> None:
    lift = np.array([0.0, 0.1, 0.2, 0.25, 0.3, 0.32])
    assert np.allclose(drop_below_running_max(lift), 0.0)


def test_hips_sinking_after_the_lift_measure_their_fall() -> None:
    lift = np.array([0.0, 0.2, 0.3, np.nan, 0.22, 0.15])
    drop = drop_below_running_max(lift)
    assert np.isnan(drop[3])
    assert np.allclose(drop[[0, 1, 2, 4, 5]], [0.0, 0.0, 0.0, 0.08, 0.15])


def test_the_planted_foot_is_the_lower_one_in_the_world_frame() -> None:
    """A free foot held forward towards a low camera looks lower in the picture than the
    planted one; in BlazePose's world frame (y down) it is higher."""
    from hamcoach.features import FEATURES, INDEX, FeatureWindow
    from hamcoach.legs import stance_label

    rows = np.full((10, len(FEATURES)), np.nan)
    rows[:, INDEX["torso_len"]] = 100.0
    rows[:, INDEX["ankle_y_l"]], rows[:, INDEX["ankle_y_r"]] = 520.0, 500.0  # left looks lower
    rows[:, INDEX["ankle_wy_l"]], rows[:, INDEX["ankle_wy_r"]] = 0.55, 0.85  # right is lower
    window = FeatureWindow(rows, np.arange(10))
    everywhere = np.ones(10, dtype=bool)
    assert stance_label(window, everywhere) == "right"
    rows[:, INDEX["ankle_wy_l"]] = rows[:, INDEX["ankle_wy_r"]] = np.nan  # no world landmarks
    assert stance_label(FeatureWindow(rows, np.arange(10)), everywhere) == "left"
