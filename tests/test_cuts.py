"""Camera cuts: a jump of the picture is reported and voids the rep in progress; noise, fast
reps and foreshortening are not cuts."""

from __future__ import annotations

import numpy as np
import pytest

from hamcoach.pipeline import analyze_track
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.motions import Faults
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import RepSpec, SetSpec, generate_set

JUMPED = "The picture jumped"


def _cut_warnings(spec: SetSpec, shift_at_s: float | None = None) -> tuple[list[str], int, int]:
    syn = generate_set(spec)
    track = syn.track
    if shift_at_s is not None:
        # The camera is moved mid-set: from then on the body sits 35 % of the frame further right.
        image = track.image.copy()
        image[track.t_s >= shift_at_s, :, 0] += 0.35 * track.width
        track = track.replace(image=image)
    audit = analyze_track(track, syn.truth.exercise).audit
    return (
        [w for w in audit.warnings if w.startswith(JUMPED)],
        audit.counts.reps,
        len(syn.truth.reps),
    )


def test_a_cut_mid_rep_is_reported_and_voids_that_rep() -> None:
    spec = SetSpec(
        stage="S2", n_reps=4, camera=CameraSpec(view="front"), noise=NoiseSpec.level("low")
    )
    truth = generate_set(spec).truth.reps
    cut_s = truth[1].bottom_s  # the bottom of the second squat
    warnings, counted, n = _cut_warnings(spec, cut_s)
    assert len(warnings) == 1
    assert f"at {cut_s:.1f} s" in warnings[0] or f"at {cut_s + 0.1:.1f} s" in warnings[0]
    assert counted == n - 1


@pytest.mark.parametrize(
    ("stage", "view"),
    [("S2", "front"), ("S3", "rear"), ("D2", "front"), ("C1", "front"), ("B3", "overhead")],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_high_noise_and_foreshortening_are_not_cuts(stage: str, view: str, seed: int) -> None:
    spec = SetSpec(
        stage=stage,
        n_reps=5,
        leg="alternate",
        camera=CameraSpec(view=view),  # type: ignore[arg-type]
        noise=NoiseSpec.level("high"),
        seed=seed,
    )
    assert _cut_warnings(spec)[0] == []


def test_a_squat_dropped_in_a_third_of_a_second_is_not_a_cut() -> None:
    fast = RepSpec(faults=Faults(fast_eccentric_s=0.33))
    spec = SetSpec(stage="S3", reps=(fast, fast, RepSpec()), camera=CameraSpec(view="rear"))
    warnings, counted, n = _cut_warnings(spec)
    assert warnings == []
    assert counted == n


def test_no_cut_without_a_jump() -> None:
    spec = SetSpec(stage="S2", n_reps=3, noise=NoiseSpec.level("none"))
    warnings, counted, n = _cut_warnings(spec)
    assert (warnings, counted) == ([], n)
    assert np.isfinite(generate_set(spec).track.image).any()


def _blank(
    track_image: np.ndarray, conf: np.ndarray, t_s: np.ndarray, a_s: float, b_s: float
) -> None:
    gone = (t_s >= a_s) & (t_s < b_s)
    track_image[gone] = np.nan
    conf[gone] = 0.0


def test_a_squat_dropped_while_the_person_was_unseen_is_not_a_cut() -> None:
    """The person vanishes for 0.25 s in the middle of a 0.3 s drop: across the gap the hips
    moved far, but no further than a body moves in that time."""
    fast = RepSpec(faults=Faults(fast_eccentric_s=0.3))
    spec = SetSpec(
        stage="S2",
        reps=(fast, RepSpec(), RepSpec()),
        camera=CameraSpec(view="front"),
        noise=NoiseSpec.level("none"),
    )
    syn = generate_set(spec)
    rep = syn.truth.reps[0]
    image, conf = syn.track.image.copy(), syn.track.confidence.copy()
    _blank(image, conf, syn.track.t_s, rep.start_s + 0.03, rep.start_s + 0.28)
    audit = analyze_track(syn.track.replace(image=image, confidence=conf), "squat").audit
    assert [w for w in audit.warnings if w.startswith(JUMPED)] == []
    assert audit.counts.reps == 3


def test_a_cut_across_a_short_gap_is_still_a_cut() -> None:
    spec = SetSpec(
        stage="S2", n_reps=4, camera=CameraSpec(view="front"), noise=NoiseSpec.level("low")
    )
    syn = generate_set(spec)
    cut_s = syn.truth.reps[1].bottom_s
    image, conf = syn.track.image.copy(), syn.track.confidence.copy()
    image[syn.track.t_s >= cut_s, :, 0] += 0.35 * syn.track.width
    _blank(image, conf, syn.track.t_s, cut_s - 0.15, cut_s)
    audit = analyze_track(syn.track.replace(image=image, confidence=conf), "squat").audit
    assert len([w for w in audit.warnings if w.startswith(JUMPED)]) == 1
    assert audit.counts.reps == 3
