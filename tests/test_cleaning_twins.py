"""Hidden shoulders and hips rebuilt from their seen twins (cleaning.fill_twins): the twins'
offset is the picture of a rigid width, so it is smoothed before a hidden twin is rebuilt."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hamcoach import kinematics as K
from hamcoach.cleaning import clean_track, fill_twins
from hamcoach.landmarks import L
from hamcoach.settings import CleaningSettings
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import SetSpec, generate_set

FPS = 30.0
NEAR_Y, FAR_Y = 200.0, 233.0  # the far hip sits 33 px lower in the picture
SEEN, HIDDEN = 0.98, 0.4  # confidences of a clearly seen and of a hidden landmark


def _hips(n: int = 150) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A still pair of hips: values (n, 33, 3), times (s), confidence (n, 33)."""
    t = np.arange(n) / FPS
    values = np.full((n, 33, 3), np.nan)
    values[:, L.LEFT_HIP] = [100.0, NEAR_Y, 0.0]
    values[:, L.RIGHT_HIP] = [100.0, FAR_Y, 0.0]
    conf = np.zeros((n, 33))
    conf[:, L.LEFT_HIP] = SEEN
    conf[:, L.RIGHT_HIP] = SEEN
    return values, t, conf


def _sparse_noisy_far_hip(values: np.ndarray, error_px: float) -> np.ndarray:
    """Seen on every third frame only, off by +-``error_px`` in turn (a far hip flickering
    around the confidence gate); returns the frames where it is missing."""
    n = len(values)
    seen = np.arange(n) % 3 == 0
    values[~seen, L.RIGHT_HIP] = np.nan
    values[seen, L.RIGHT_HIP, 1] += error_px * np.where(np.arange(seen.sum()) % 2 == 0, 1, -1)
    return np.flatnonzero(~seen)


def test_a_hidden_twin_is_rebuilt_with_the_smoothed_offset() -> None:
    values, t, _ = _hips()
    missing = _sparse_noisy_far_hip(values, error_px=6.0)
    middle = missing[(missing > 30) & (missing < 120)]  # away from the ends of the clip
    smooth, rebuilt = fill_twins(values, t, max_s=1.0, offset_hz=0.25)
    raw, _ = fill_twins(values, t, max_s=1.0)
    assert rebuilt == len(missing)
    np.testing.assert_allclose(smooth[middle, L.RIGHT_HIP, 1], FAR_Y, atol=1.0)
    # the raw offset carries the samples' error into every rebuilt frame
    assert np.abs(raw[middle, L.RIGHT_HIP, 1] - FAR_Y).max() > 1.5


@pytest.mark.parametrize(("far_conf", "rebuilt"), [(HIDDEN, True), (0.6, False)])
def test_a_twin_seen_below_the_hidden_confidence_is_rebuilt(far_conf: float, rebuilt: bool) -> None:
    values, t, conf = _hips(300)
    values[1::2, L.RIGHT_HIP, 1] += 8.0  # the far hip's own guess jitters
    conf[:, L.RIGHT_HIP] = far_conf
    out, n = fill_twins(values, t, 1.0, offset_hz=0.25, confidence=conf, hidden_below=0.5)
    far_y = out[60:240, L.RIGHT_HIP, 1]  # away from the ends of the clip
    if rebuilt:
        assert n == len(values)
        np.testing.assert_allclose(far_y, FAR_Y + 4.0, atol=0.5)  # the mean offset, no jitter
    else:
        assert n == 0
        np.testing.assert_array_equal(out, values)


def test_twins_both_seen_clearly_stay_as_measured() -> None:
    # A front view, or a real side view (MediaPipe reports far shoulders and hips at
    # visibility ~1): nothing is rebuilt, whatever the offset does.
    values, t, conf = _hips()
    values[:, L.RIGHT_HIP, 1] += 10.0 * np.sin(2 * np.pi * 1.5 * t)
    out, n = fill_twins(values, t, 1.0, offset_hz=0.25, confidence=conf, hidden_below=0.5)
    assert n == 0
    np.testing.assert_array_equal(out, values)


def test_a_twin_missing_one_coordinate_is_rebuilt_whole() -> None:
    # Outlier rejection works per coordinate: a far hip may keep its x and lose its y.
    values, t, _ = _hips()
    values[60:64, L.RIGHT_HIP, 1] = np.nan
    out, rebuilt = fill_twins(values, t, max_s=1.0)
    assert rebuilt == 4
    assert np.isfinite(out[:, L.RIGHT_HIP]).all()
    np.testing.assert_allclose(out[:, L.RIGHT_HIP, 1], FAR_Y)


def _hip_rmse_deg(spec: SetSpec, settings: CleaningSettings) -> float:
    syn = generate_set(spec)
    side = syn.truth.near_side
    cleaned, _ = clean_track(syn.track, settings)
    err = K.hip_flexion(cleaned.image, side) - np.abs(syn.truth.angles[f"hip_flexion_{side}"])
    return math.sqrt(float(np.nanmean(err**2)))


@pytest.mark.filterwarnings("ignore:Mean of empty slice:RuntimeWarning")  # person-loss frames
@pytest.mark.parametrize(("stage", "seed"), [("D1", 1), ("B1", 2)])
def test_smoothed_twins_make_the_side_view_hip_angle_closer_to_the_truth(
    stage: str, seed: int
) -> None:
    # MediaPipe-like noise: the far shoulder and hip are hidden behind the trunk most of the
    # time and flicker around the gate with 2-3x the near side's error.
    spec = SetSpec(
        stage=stage,
        n_reps=3,
        camera=CameraSpec(view="side", near_side="left", height_m=1.0),
        noise=NoiseSpec.level("default"),
        seed=seed,
    )
    raw = _hip_rmse_deg(spec, CleaningSettings(twin_offset_hz=0.0, twin_hidden_confidence=0.0))
    smoothed = _hip_rmse_deg(spec, CleaningSettings())
    assert smoothed < raw - 0.25
