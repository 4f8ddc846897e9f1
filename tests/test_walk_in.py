"""Walking back from the phone to the spot, filmed from behind: the body halves in the picture.

A one-leg squat's and a hinge's progress are measured in body sizes (the longest segment seen,
``exercises.LongestSegmentScale``); before that, in pixels, the reference jumped to the walk's
near-camera size and forgot it at 2 %/s, so the first reps read as one movement held for 14 s.
The walk itself, which the body-size scale follows with a lag, is then no rep: the stance knee
hardly bends, the trunk stays upright (``ExerciseSpec.min_turn_bent_knee_deg``,
``min_turn_trunk_tilt_deg``). Both scenes come from the benchmark suite (seed 0, sets 404, 275).
"""

from __future__ import annotations

from hamcoach.pipeline import analyze_track
from hamcoach.synth.body import BodySpec
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import SetSpec, generate_set


def _rear(height_m: float, azimuth_deg: float) -> CameraSpec:
    return CameraSpec(
        view="rear",
        near_side="left",
        height_m=height_m,
        vfov_deg=63.0,
        width=720,
        height=1280,
        azimuth_offset_deg=azimuth_deg,
    )


def test_a_one_leg_squat_after_walking_away_from_the_phone_counts_every_rep() -> None:
    spec = SetSpec(
        stage="S3",
        n_reps=5,
        leg="right",
        tempo_jitter=0.1,
        body=BodySpec(height_m=1.61, build=1.19, leg_scale=0.98),
        camera=_rear(0.72, 3.0),
        noise=NoiseSpec.level("default"),
        walk_in=True,
        seed=258605958,
    )
    synthetic = generate_set(spec)
    analysis = analyze_track(synthetic.track, "single_leg_squat", stage="S3")
    assert analysis.audit.counts.reps == 5
    assert [r.leg for r in analysis.audit.reps] == ["right"] * 5
    walks = [r for r in analysis.rejected if "not a one-leg squat" in r]
    assert len(walks) == 1
    assert float(walks[0].split("-")[0]) < analysis.audit.reps[0].start_s  # before the reps


def test_a_hinge_after_walking_away_from_the_phone_counts_every_rep() -> None:
    spec = SetSpec(
        stage="D2",
        n_reps=3,
        leg="alternate",
        tempo_jitter=0.1,
        body=BodySpec(height_m=1.70, build=1.01, leg_scale=0.98),
        camera=_rear(1.23, 9.0),
        noise=NoiseSpec.level("default"),
        walk_in=True,
        seed=1681969042,
    )
    synthetic = generate_set(spec)
    analysis = analyze_track(synthetic.track, "single_leg_deadlift", stage="D2")
    assert analysis.audit.counts.reps == 3
    assert [r.leg for r in analysis.audit.reps] == ["left", "right", "left"]
    assert any("no hinge" in r for r in analysis.rejected)
