"""bridge.no_rest times rest as hips down on the floor (exercises.HipFloor, pipeline.FloorRests),
not as the time between two reps."""

from __future__ import annotations

import numpy as np
import pytest

from hamcoach.audit import Finding
from hamcoach.exercises import HipFloor
from hamcoach.features import INDEX
from hamcoach.pipeline import FloorRests, HipDrops, analyze_track
from hamcoach.settings import DEFAULT_SETTINGS
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.motions import Faults
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import RepSpec, SetSpec, SyntheticSet, generate_set

FPS = 30.0


def _rows(lift_torso: list[float]) -> np.ndarray:
    """Feature rows of a lying body whose hips are ``lift_torso`` trunk lengths over the
    shoulders in the picture (a 200 px trunk), one row per frame at 30 frames/s."""
    rows = np.full((len(lift_torso), len(INDEX)), np.nan)
    rows[:, INDEX["t_s"]] = np.arange(len(lift_torso)) / FPS
    rows[:, INDEX["torso_len"]] = 200.0
    rows[:, INDEX["shoulder_y"]] = 500.0
    rows[:, INDEX["hip_y"]] = 500.0 - 200.0 * np.asarray(lift_torso)
    return rows


def test_hips_on_the_floor_or_hovering() -> None:
    rows = _rows([0.0] * 30 + [0.1] * 30 + [0.03] * 30)  # floor, a 5 cm hover, the floor again
    reps = DEFAULT_SETTINGS.reps
    floor = HipFloor(reps.floor_band_torso, reps.floor_decay_per_s)
    seen = [floor.on_floor(r) for r in rows]
    assert seen[:30] == [True] * 30
    assert seen[30:60] == [False] * 30
    assert seen[60:] == [True] * 30
    assert 0.03 < reps.floor_band_torso < 0.1


def test_the_longest_stretch_on_the_floor_between_two_times() -> None:
    lift = [0.0] * 45 + [0.1] * 30 + [0.0] * 15 + [0.1] * 30  # 1.5 s down, hover, 0.5 s down
    rests = FloorRests(DEFAULT_SETTINGS.reps)
    for row in _rows(lift):
        rests.push(row)
    assert rests.longest_s(0.0, 4.0) == pytest.approx(44 / FPS)
    assert rests.longest_s(2.0, 4.0) == pytest.approx(14 / FPS)
    assert rests.longest_s(0.5, 1.0) == pytest.approx(0.5)  # clipped to the window
    rests.forget_before(2.0)
    assert rests.longest_s(0.0, 4.0) == pytest.approx(14 / FPS)
    assert rests.rest_s(5.0, 4.0) == 5.0  # no rep yet to time the rest from
    rests.rep_done(1.0, 2.0)
    assert rests.rest_s(5.0, 4.0) == pytest.approx(14 / FPS)  # no longer than on the floor
    assert rests.rest_s(0.2, 4.0) == 0.2


def _pulse_then_rest(
    stage: str, exercise: str, camera: CameraSpec, pulse_rom: float
) -> tuple[SyntheticSet, int, list[Finding]]:
    """A noise-free continuous set: a rep, a slow pulse of ``pulse_rom`` too small to be one,
    a rep, a 2 s rest before the next rep, a last rep. The set, the reps counted and the
    bridge.no_rest findings."""
    spec = SetSpec(
        stage=stage,
        camera=camera,
        noise=NoiseSpec(),
        seed=2,
        reps=(
            RepSpec(),
            RepSpec(rom=pulse_rom),
            RepSpec(),
            RepSpec(faults=Faults(rest_before_s=2.0)),
            RepSpec(),
        ),
    )
    synthetic = generate_set(spec)
    audit = analyze_track(synthetic.track, exercise, stage=stage).audit
    findings = [f for r in audit.reps for f in r.findings if f.check == "bridge.no_rest"]
    return synthetic, audit.counts.reps, findings


@pytest.mark.parametrize("height_m", [0.6, 1.2])
def test_a_pulse_from_the_hover_is_no_rest_and_a_rest_on_the_floor_is(height_m: float) -> None:
    """A continuous bridge: a slow pulse of 15 % of the lift from the hover, too small to start
    a rep, fills 5 s between two reps; the hips never touch the floor, and the truth sees no
    rest. Timed between reps, the rep after it failed bridge.no_rest at 5.3 s; on the floor it
    is 0. A 2 s rest on the floor before the 4th rep still fails."""
    camera = CameraSpec(view="side", near_side="left", height_m=height_m)
    _, count, findings = _pulse_then_rest("B2", "bridge", camera, 0.15)
    assert count == 4
    assert [f.verdict for f in findings] == ["unknown", "pass", "fail", "pass"]
    assert findings[1].value == pytest.approx(0.0, abs=0.1)
    assert findings[2].value is not None and 1.8 < findings[2].value < 3.1


def test_how_far_the_hips_came_down_after_the_previous_rep() -> None:
    """A ball curl's hips held up 0.4 trunk lengths: a pause that lets them sag 0.05 is not a
    drop to the floor; lowering them to the floor is a drop of the whole lift, even when the
    previous rep ended once they were already down (its start was up)."""
    lift = [0.4] * 30 + [0.35] * 30 + [0.0] * 30  # a rep's frames, a pause, the floor
    drops = HipDrops(DEFAULT_SETTINGS.reps)
    for row in _rows(lift):
        drops.push(row)
    assert drops.drop_before(1.9) is None  # no rep yet
    assert drops.rest_s(3.0, 1.9) == 3.0  # drop unknown: the rep engine's rest stands
    drops.rep_done(0.0, 1.0)
    assert drops.drop_before(1.9) == pytest.approx(0.05, abs=0.005)
    assert drops.drop_before(2.9) == pytest.approx(0.4, abs=0.005)
    assert drops.rest_s(3.0, 1.9) == 0.0  # the hips stayed up: no rest
    assert drops.rest_s(3.0, 2.9) == 3.0  # they came down to the floor
    drops.rep_done(0.0, 2.5)  # ended on the floor
    assert drops.drop_before(2.9) == pytest.approx(0.4, abs=0.005)
    drops.rep_done(2.2, 2.5)  # started and ended on the floor: no level up to drop from
    assert drops.drop_before(2.9) == pytest.approx(0.0)
    assert drops.seen[0][0] >= 2.1  # frames before the last rep are forgotten
    assert drops.drop_before(5.0) == pytest.approx(0.0)
    assert 0.1 < DEFAULT_SETTINGS.reps.rest_hip_drop_torso < 0.37


@pytest.mark.parametrize("view", ["side", "three_quarter_front"])
def test_a_ball_curl_pause_with_the_hips_up_is_no_rest_and_a_rest_on_the_floor_is(
    view: str,
) -> None:
    """Hips-up ball curls (C2): a slow pulse of a quarter of the curl, too small to start a rep,
    fills 5-6 s between two reps while the hips stay up on the ball, and the truth sees no rest.
    Timed between reps (legs still), the rep after it failed bridge.no_rest at 5-6 s; the hips
    never came down, so it is no rest (0). A rest with the hips on the floor before the 4th rep
    still fails, timed as the truth times it."""
    camera = CameraSpec(view=view, near_side="left", height_m=0.8)  # type: ignore[arg-type]
    synthetic, count, findings = _pulse_then_rest("C2", "ball_curl", camera, 0.25)
    assert count == 4
    assert [f.verdict for f in findings] == ["unknown", "pass", "fail", "pass"]
    assert findings[1].value == 0.0
    # the rest as a person times it: 2 s down plus the hips' eased way down and up (2.95 s)
    truth = synthetic.truth.reps[3].metrics["bridge.no_rest"]
    assert findings[2].value == pytest.approx(truth, abs=0.3)
