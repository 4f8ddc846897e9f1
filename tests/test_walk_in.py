"""Walking back from the phone to the spot, filmed from behind: the body halves in the picture.

A one-leg squat's and a hinge's progress are measured in body sizes (the longest segment seen,
``exercises.LongestSegmentScale``); before that, in pixels, the reference jumped to the walk's
near-camera size and forgot it at 2 %/s, so the first reps read as one movement held for 14 s.
The walk itself, which the body-size scale follows with a lag, is then no rep: the stance knee
hardly bends, the trunk stays upright (``ExerciseSpec.min_turn_bent_knee_deg``,
``min_turn_trunk_tilt_deg``). Both scenes come from the benchmark suite (seed 0, sets 404, 275).
"""

from __future__ import annotations

import pytest

from hamcoach.pipeline import analyze_track
from hamcoach.synth.body import BodySpec
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import SetSpec, generate_set

# (stage, exercise, reps, working legs, body, camera height (m), azimuth (deg), seed, why the
# walk is no rep)
SCENES = [
    (
        "S3",
        "single_leg_squat",
        5,
        ["right"] * 5,
        BodySpec(height_m=1.61, build=1.19, leg_scale=0.98),
        0.72,
        3.0,
        258605958,
        "not a one-leg squat",
    ),
    (
        "D2",
        "single_leg_deadlift",
        3,
        ["left", "right", "left"],
        BodySpec(height_m=1.70, build=1.01, leg_scale=0.98),
        1.23,
        9.0,
        1681969042,
        "no hinge",
    ),
]


@pytest.mark.parametrize(
    ("stage", "exercise", "n_reps", "legs", "body", "height_m", "azimuth_deg", "seed", "walk"),
    SCENES,
    ids=["one-leg squat", "hinge"],
)
def test_every_rep_after_walking_away_from_the_phone_counts_and_the_walk_does_not(
    stage: str,
    exercise: str,
    n_reps: int,
    legs: list[str],
    body: BodySpec,
    height_m: float,
    azimuth_deg: float,
    seed: int,
    walk: str,
) -> None:
    spec = SetSpec(
        stage=stage,
        n_reps=n_reps,
        leg="right" if stage == "S3" else "alternate",
        tempo_jitter=0.1,
        body=body,
        camera=CameraSpec(
            view="rear",
            near_side="left",
            height_m=height_m,
            vfov_deg=63.0,
            width=720,
            height=1280,
            azimuth_offset_deg=azimuth_deg,
        ),
        noise=NoiseSpec.level("default"),
        walk_in=True,
        seed=seed,
    )
    analysis = analyze_track(generate_set(spec).track, exercise, stage=stage)
    assert analysis.audit.counts.reps == n_reps
    assert [r.leg for r in analysis.audit.reps] == legs
    walks = [r for r in analysis.rejected if walk in r]
    assert len(walks) == 1
    assert float(walks[0].split("-")[0]) < analysis.audit.reps[0].start_s  # before the reps
