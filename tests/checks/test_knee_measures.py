"""The two frontal knee checks of a squat, each judged on the other's fault and on a camera
turned off the front: valgus is measured against the standing leg's length and on both knees'
mean; knees coming together against the standing knee gap."""

from __future__ import annotations

from hamcoach.pipeline import analyze_track
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.motions import Faults
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import SetSpec, generate_set


def _verdicts(stage: str, faults: Faults, camera: CameraSpec, check: str, noise: str) -> list:
    spec = SetSpec(
        stage=stage,
        n_reps=3,
        faults=faults,
        camera=camera,
        noise=NoiseSpec.level(noise) if noise != "none" else NoiseSpec(),  # type: ignore[arg-type]
        seed=207869581,
    )
    exercise = {"S1": "box_squat", "S2": "squat"}[stage]
    audit = analyze_track(generate_set(spec).track, exercise, stage=stage).audit
    assert audit.counts.reps == 3
    return [f.verdict for r in audit.reps for f in r.findings if f.check == check]


def test_knees_travelling_forward_are_no_valgus_on_a_phone_turned_off_the_front() -> None:
    # A phone turned 7 deg moves the knees' 20 cm forward travel sideways in the picture: medial
    # for one knee, lateral for the other. The larger of the two read 0.06-0.11 (suite set 234).
    turned = CameraSpec(view="front", height_m=1.36, azimuth_offset_deg=7.0)
    forward = Faults(knees_past_toes_cm=21.0)
    assert _verdicts("S1", forward, turned, "squat.knee_valgus", "none") == ["pass"] * 3
    caving = Faults(knee_valgus_deg=30.0)
    assert _verdicts("S1", caving, turned, "squat.knee_valgus", "none") == ["fail"] * 3


def test_knees_already_together_at_the_bottom_are_not_coming_together_on_the_way_up() -> None:
    # Valgus of 35 deg brings the knees to a quarter of their standing gap at the bottom; pose
    # noise on that small gap, as a share of itself, read 0.20-0.32 (suite set 114).
    camera = CameraSpec(view="front", height_m=1.19, azimuth_offset_deg=7.0)
    caving = Faults(knee_valgus_deg=35.0)
    assert _verdicts("S1", caving, camera, "squat.knees_together_ascent", "default") == ["pass"] * 3
    assert _verdicts("S1", caving, camera, "squat.knee_valgus", "default") == ["fail"] * 3
