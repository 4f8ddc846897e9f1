"""Behaviours found by the synthetic suite: continuous sets, far-side flicker, a walk back from
the camera, and the working leg of a single-leg ball curl."""

from __future__ import annotations

import numpy as np
import pytest

from hamcoach.cleaning import fill_twins
from hamcoach.landmarks import L
from hamcoach.pipeline import analyze_track
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import SetSpec, generate_set
from tests.suite_cases import SET_6


def _count(spec: SetSpec) -> tuple[int, int]:
    syn = generate_set(spec)
    audit = analyze_track(syn.track, syn.truth.exercise, stage=spec.stage).audit
    return audit.counts.reps, len(syn.truth.reps)


@pytest.mark.parametrize("stage", ["B2", "C2"])
@pytest.mark.parametrize("view", ["side", "front"])
def test_continuous_sets_count_every_rep_without_a_rest_between(stage: str, view: str) -> None:
    # B2/C2 never rest the hips on the floor: each rep ends at a valley, not at rest.
    spec = SetSpec(
        stage=stage,
        n_reps=6,
        camera=CameraSpec(view=view),  # type: ignore[arg-type]
        noise=NoiseSpec.level("default"),
        seed=3,
    )
    counted, true = _count(spec)
    assert counted == true == 6


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_walking_back_from_the_camera_is_not_a_squat(seed: int) -> None:
    # Walking 2 m away from the camera shrinks the body; the squat measure is in torso lengths.
    # (Known limit: a box squat filmed from 0.55 m high just behind still shows the walk as a
    # 37 % pulse, rejected only as partial; see the issue 4 note.)
    spec = SetSpec(
        stage="S2",
        n_reps=3,
        walk_in=True,
        camera=CameraSpec(view="rear", height_m=1.0),
        noise=NoiseSpec.level("low"),
        seed=seed,
    )
    assert _count(spec) == (3, 3)


def test_a_walk_that_looks_like_a_squat_from_a_low_camera_is_rejected() -> None:
    # Old suite set 6 (seed 0): a box squat filmed from 0.79 m just behind; walking back to the
    # spot shows as a 56 % squat in the picture, but the knees never bend (1 deg at its
    # "turning point"), so it is no squat.
    spec = SET_6
    assert (spec.stage, spec.walk_in) == ("S1", True)
    syn = generate_set(spec)
    analysis = analyze_track(syn.track, syn.truth.exercise, stage="S1")
    walks = [r for r in analysis.rejected if "knees hardly bent" in r]
    assert analysis.audit.counts.reps == sum(r.rom >= 0.7 for r in syn.truth.reps) == 7
    assert len(walks) == 1 and walks[0].startswith("0.")


@pytest.mark.parametrize("leg", ["left", "right"])
def test_single_leg_ball_curl_credits_the_curling_leg(leg: str) -> None:
    spec = SetSpec(
        stage="C3",
        n_reps=4,
        leg=leg,  # type: ignore[arg-type]
        camera=CameraSpec(view="side", near_side="left"),
        noise=NoiseSpec.level("low"),
    )
    syn = generate_set(spec)
    audit = analyze_track(syn.track, "single_leg_ball_curl", stage="C3").audit
    assert audit.counts.reps == 4
    assert [r.leg for r in audit.reps] == [leg] * 4


def _pair_track(n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n) / 30.0
    values = np.full((n, 33, 3), np.nan)
    values[:, L.LEFT_HIP] = [100.0, 200.0, 0.0]
    values[:, L.RIGHT_HIP] = [100.0, 233.0, 0.0]  # the far hip sits 33 px lower in the picture
    return values, t


def test_a_flickering_far_hip_is_rebuilt_from_its_twin() -> None:
    values, t = _pair_track()
    values[10:40:2, L.RIGHT_HIP] = np.nan  # hidden every other frame
    filled, rebuilt = fill_twins(values, t, max_s=1.0)
    assert rebuilt == 15
    np.testing.assert_allclose(filled[10:40, L.RIGHT_HIP, 1], 233.0)


def test_a_twin_unseen_for_long_is_not_invented() -> None:
    values, t = _pair_track(120)
    values[20:, L.RIGHT_HIP] = np.nan  # last seen together at 0.63 s
    filled, rebuilt = fill_twins(values, t, max_s=1.0)
    assert np.isfinite(filled[20:49, L.RIGHT_HIP, 1]).all()  # within 1 s: rebuilt
    assert np.isnan(filled[51:, L.RIGHT_HIP, 1]).all()  # beyond: left missing
    assert rebuilt in (29, 30, 31)  # frame 49 lies 1.0 s after, to rounding
