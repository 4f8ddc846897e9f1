"""The camera view's estimate (views.classify_view): which end of a lying body is nearer."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hamcoach.landmarks import L
from hamcoach.pipeline import analyze_track
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import SetSpec, generate_set
from hamcoach.views import ViewEstimate, far_hip_rise_torso, feet_lead_torso


def _bridge_view(camera: CameraSpec) -> ViewEstimate:
    """The engine's view estimate of two bridges (B1) filmed by ``camera`` at default noise."""
    spec = SetSpec(stage="B1", n_reps=2, camera=camera, noise=NoiseSpec.level("default"), seed=3)
    return analyze_track(generate_set(spec).track, "bridge", stage="B1").view


@pytest.mark.parametrize(
    ("view", "low", "high"),
    [("side", -0.3, 0.3), ("three_quarter_rear", -1.6, -0.8), ("three_quarter_front", 0.8, 1.6)],
)
def test_feet_lead_tells_which_end_of_a_lying_body_a_camera_looks_from(
    view: str, low: float, high: float
) -> None:
    camera = CameraSpec(view=view, near_side="right", height_m=1.0)  # type: ignore[arg-type]
    estimate = _bridge_view(camera)
    assert estimate.posture == "lying"
    assert low < estimate.feet_lead < high


def test_feet_lead_is_unknown_for_a_standing_body() -> None:
    spec = SetSpec(stage="S2", n_reps=2, camera=CameraSpec(view="side"), seed=3)
    estimate = analyze_track(generate_set(spec).track, "squat", stage="S2").view
    assert estimate.posture == "standing"
    assert math.isnan(estimate.feet_lead)


def test_feet_lead_is_in_trunk_lengths_and_nan_when_never_seen() -> None:
    points = np.full((4, 33, 3), np.nan)
    points[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]] = (0.0, 0.0, 0.9)  # 0.5 m from the hips
    points[:, [L.LEFT_HIP, L.RIGHT_HIP]] = (0.0, 0.3, 0.5)
    points[:, [L.LEFT_ANKLE, L.RIGHT_ANKLE]] = (0.0, 0.8, 0.4)
    assert feet_lead_torso(points) == pytest.approx(1.0)  # the ankles 0.5 m nearer
    assert math.isnan(feet_lead_torso(np.full((4, 33, 3), np.nan)))


@pytest.mark.parametrize(("height_m", "low", "high"), [(0.6, 0.05, 0.15), (1.35, 0.2, 0.3)])
def test_the_far_hip_shows_higher_the_higher_a_side_camera(
    height_m: float, low: float, high: float
) -> None:
    """Seen square from its side, a lying body's far hip shows above the near one by the hip
    width times the sine of the camera's elevation: a raised camera reads 0.2 and more (a wide
    landscape phone, as the suite places them for lying exercises)."""
    camera = CameraSpec(
        view="side", near_side="left", height_m=height_m, vfov_deg=66.0, width=1280, height=720
    )
    estimate = _bridge_view(camera)
    assert estimate.view == "side"
    assert low < estimate.far_hip_rise < high


def test_far_hip_rise_is_in_trunk_lengths_and_unknown_standing_or_unseen() -> None:
    image = np.full((4, 33, 3), np.nan)
    image[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]] = (100.0, 500.0, 0.0)
    image[:, L.LEFT_HIP] = (300.0, 520.0, 0.0)  # the near hip, 40 px under the far one
    image[:, L.RIGHT_HIP] = (300.0, 480.0, 0.0)
    assert far_hip_rise_torso(image) == pytest.approx(0.2)  # the hips' midpoint 200 px away
    assert math.isnan(far_hip_rise_torso(np.full((4, 33, 3), np.nan)))
    spec = SetSpec(stage="S2", n_reps=2, camera=CameraSpec(view="side"), seed=3)
    assert math.isnan(
        analyze_track(generate_set(spec).track, "squat", stage="S2").view.far_hip_rise
    )
