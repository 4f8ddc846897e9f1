"""Side-view knee and hip angles against the synthetic truth, and how the benchmark compares."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hamcoach import kinematics as K
from hamcoach.bench.accuracy import (
    SetResult,
    _angle_errors,
    camera_elevation_deg,
    elevation_band,
    rmse_deg,
    summarize_angles,
)
from hamcoach.features import FEATURES, INDEX
from hamcoach.landmarks import L
from hamcoach.pipeline import analyze_track
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import STAGES, SetSpec, SyntheticSet, generate_set

# Noise-free side views leave only the projection of a 3-D body to the picture: the issue's
# target is 3 deg with MediaPipe-like noise, so the clean picture must stay well inside it.
CLEAN_SIDE_RMSE_DEG = 2.0
# An error any engine angle may carry on top of the truth in the comparison tests (deg).
OFFSET_DEG = 1.0


def _clean_side_set(stage: str, near_side: str) -> SyntheticSet:
    spec = SetSpec(
        stage=stage,
        n_reps=2,
        camera=CameraSpec(view="side", near_side=near_side),  # type: ignore[arg-type]
        noise=NoiseSpec.level("none"),
        seed=0,
    )
    return generate_set(spec)


@pytest.mark.parametrize(("stage", "near_side"), [("S2", "left"), ("B1", "right")])
def test_clean_side_view_angles_match_truth(stage: str, near_side: str) -> None:
    syn = _clean_side_set(stage, near_side)
    analysis = analyze_track(syn.track, STAGES[stage].exercise, stage=stage)
    errors = _angle_errors(syn, analysis.features)
    knee, hip = rmse_deg(errors.knee), rmse_deg(errors.hip)
    assert knee is not None and knee < CLEAN_SIDE_RMSE_DEG
    assert hip is not None and hip < CLEAN_SIDE_RMSE_DEG
    assert errors.knee_no_angle == 0 and errors.hip_no_angle == 0


def _image(points: dict[int, tuple[float, float]]) -> np.ndarray:
    img = np.full((33, 3), np.nan)
    for idx, (x, y) in points.items():
        img[idx] = (x, y, 0.0)
    return img


# A side view (y down): the trunk upright, the thigh straight forward (hip flexion 90 deg). The
# near (left) shoulder stands 30 px forward of its hip, as perspective shows a shoulder wider
# than the hip; the far ones mirror it about the midline.
_SIDE_VIEW = {
    L.LEFT_SHOULDER: (130.0, 0.0),
    L.RIGHT_SHOULDER: (70.0, 0.0),
    L.LEFT_HIP: (100.0, 300.0),
    L.RIGHT_HIP: (100.0, 300.0),
    L.LEFT_KNEE: (300.0, 300.0),
}


def test_hip_flexion_follows_the_trunk_midline() -> None:
    img = _image(_SIDE_VIEW)
    assert K.hip_flexion(img, "left") == pytest.approx(90.0)
    own_line = K.flexion(img[L.LEFT_SHOULDER, :2], img[L.LEFT_HIP, :2], img[L.LEFT_KNEE, :2])
    assert abs(float(own_line) - 90.0) > 5.0  # what the same-side shoulder line would say


def test_hip_flexion_falls_back_to_its_own_side_when_the_far_shoulder_is_hidden() -> None:
    img = _image({k: v for k, v in _SIDE_VIEW.items() if k != L.RIGHT_SHOULDER})
    own = math.degrees(math.atan2(30.0, 300.0))  # the near shoulder's tilt off the vertical
    assert K.hip_flexion(img, "left") == pytest.approx(90.0 + own)
    assert np.isnan(K.hip_flexion(_image({L.LEFT_HIP: (0.0, 0.0)}), "left"))


def _rows_from_truth(syn: SyntheticSet, side: str, other_offset_deg: float) -> np.ndarray:
    """Feature rows holding the truth's angles: ``side`` within OFFSET_DEG, the other leg far
    off (as a swapped or far leg would be)."""
    n = syn.truth.lab_points.shape[0]
    rows = np.full((n, len(FEATURES)), np.nan)
    other = "right" if side == "left" else "left"
    for leg, offset in ((side, OFFSET_DEG), (other, other_offset_deg)):
        s = leg[0]
        rows[:, INDEX[f"knee_flex_{s}"]] = syn.truth.angles[f"knee_flexion_{leg}"] + offset
        hip = np.abs(syn.truth.angles[f"hip_flexion_{leg}"])
        rows[:, INDEX[f"hip_flex_{s}"]] = hip + offset
    return rows


def test_angle_errors_compare_the_near_leg_with_its_own_truth() -> None:
    syn = _clean_side_set("D1", "right")  # single-leg deadlift: the legs differ a lot
    rows = _rows_from_truth(syn, "right", other_offset_deg=40.0)
    errors = _angle_errors(syn, rows)
    assert errors.knee and errors.hip
    assert np.allclose(errors.knee, OFFSET_DEG)
    assert np.allclose(errors.hip, OFFSET_DEG)


def test_hip_error_uses_the_true_magnitude_and_keeps_the_signed_one() -> None:
    syn = _clean_side_set("D1", "left")
    rows = _rows_from_truth(syn, "left", other_offset_deg=0.0)
    # the thigh behind the trunk line (hip extension, as a deadlift's free leg) in the first half
    hip_true = syn.truth.angles["hip_flexion_left"].copy()
    half = hip_true.shape[0] // 2
    hip_true[:half] = -np.abs(hip_true[:half])
    syn.truth.angles["hip_flexion_left"] = hip_true
    errors = _angle_errors(syn, rows)
    assert np.allclose(errors.hip, OFFSET_DEG)
    signed = np.asarray(errors.hip_signed)
    assert np.allclose(signed[:half], 2 * np.abs(hip_true[:half]) + OFFSET_DEG)
    assert np.allclose(signed[half:], OFFSET_DEG)


def test_frames_without_an_engine_angle_are_left_out_and_counted() -> None:
    syn = _clean_side_set("S2", "left")
    rows = _rows_from_truth(syn, "left", other_offset_deg=0.0)
    rows[:10, INDEX["knee_flex_l"]] = np.nan
    errors = _angle_errors(syn, rows)
    assert errors.knee_no_angle == 10 and errors.hip_no_angle == 0
    assert len(errors.knee) == rows.shape[0] - 10


def test_other_views_give_no_angle_errors() -> None:
    spec = SetSpec(stage="S2", n_reps=1, camera=CameraSpec(view="front"), seed=0)
    syn = generate_set(spec)
    errors = _angle_errors(syn, np.zeros((syn.truth.lab_points.shape[0], len(FEATURES))))
    assert not errors.knee and not errors.hip


def test_summary_breaks_the_rmse_down_by_stage_and_noise() -> None:
    def result(stage: str, noise: str, err: float) -> SetResult:
        return SetResult(
            stage, "squat", "side", noise, 1, 1, knee_err=[err], hip_err=[err], knee_no_angle=2
        )

    summary = summarize_angles([result("S1", "low", 1.0), result("S2", "high", 3.0)])
    assert summary["knee"] == pytest.approx(math.sqrt(5.0), abs=0.01)
    assert summary["knee_no_angle_frames"] == 4
    assert summary["by_stage"]["S1"]["hip"] == 1.0
    assert summary["by_noise"]["high"]["knee"] == 3.0


@pytest.mark.parametrize(
    ("stage", "height_m", "low_deg", "high_deg"),
    [("S2", 0.95, -10.0, 10.0), ("B1", 0.15, -10.0, 10.0), ("B1", 1.4, 30.0, 40.0)],
)
def test_camera_elevation_is_how_far_the_camera_looks_down_on_the_hips(
    stage: str, height_m: float, low_deg: float, high_deg: float
) -> None:
    spec = SetSpec(
        stage=stage,
        n_reps=1,
        # 1.8 m away: a body lying with its hips ~0.15 m up sees a 1.4 m camera at ~35 deg
        camera=CameraSpec(view="side", height_m=height_m, distance_m=1.8),
        noise=NoiseSpec.level("none"),
        seed=0,
    )
    assert low_deg < camera_elevation_deg(generate_set(spec)) < high_deg


def test_elevation_bands_split_at_15_and_30_deg() -> None:
    assert [elevation_band(e) for e in (-5.0, 14.9, 15.0, 29.9, 30.0, 44.0)] == [
        "under 15",
        "under 15",
        "15-30",
        "15-30",
        "30 and over",
        "30 and over",
    ]


def test_summary_breaks_the_rmse_down_by_noise_and_camera_elevation() -> None:
    def result(noise: str, elevation_deg: float, err: float) -> SetResult:
        return SetResult(
            "B1",
            "bridge",
            "side",
            noise,
            1,
            1,
            knee_err=[err],
            hip_err=[err],
            camera_elevation_deg=elevation_deg,
        )

    rows = [result("default", 5.0, 1.0), result("default", 35.0, 7.0), result("high", 35.0, 2.0)]
    by = summarize_angles(rows)["by_noise_elevation"]
    assert list(by) == ["default/under 15", "default/30 and over", "high/30 and over"]
    assert by["default/under 15"]["hip"] == 1.0
    assert by["default/30 and over"]["hip"] == 7.0


def test_the_bench_prints_the_angle_rmse_as_a_table_by_noise_and_stage() -> None:
    from rich.console import Console

    from hamcoach.cli.bench import _angle_table

    one = {"knee": 2.5, "hip": 3.1, "hip_vs_signed_truth": 3.4, "hip_frames": 900}
    angles = {
        **one,
        "by_noise": {"default": one},
        "by_stage": {"S2": {**one, "hip": None}},
        "by_noise_elevation": {"default/30 and over": {**one, "hip": 7.5}},
    }
    console = Console(width=120, record=True)
    console.print(_angle_table(angles))
    text = console.export_text()
    assert "noise default" in text and "stage S2" in text
    row = text.split("noise default, camera 30 and over deg above the hips")[1].splitlines()[0]
    assert "7.5" in row
    assert "3.1" in text and "-" in text.split("stage S2")[1].splitlines()[0]
