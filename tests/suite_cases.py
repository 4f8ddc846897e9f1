"""Sets from an earlier draw of the benchmark suite (``suite(0, 600)`` before each set got its
own random stream), written out so that regression tests keep the exact scene they were found
on. Each is named after its old index."""

from __future__ import annotations

from hamcoach.synth.body import BodySpec
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.motions import Faults
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import RepSpec, SetSpec

CLEAN = RepSpec()

# A box squat filmed from 0.79 m just behind, walking back to the spot first.
SET_6 = SetSpec(
    stage="S1",
    reps=(
        *([CLEAN] * 6),
        RepSpec(rom=0.34638853862534125),
        RepSpec(faults=Faults(fast_eccentric_s=1.0923929998440511)),
    ),
    leg="alternate",
    tempo_jitter=0.1,
    body=BodySpec(
        height_m=1.5877983293055622, build=1.0521907623812508, leg_scale=1.00817913411037
    ),
    camera=CameraSpec(
        view="rear",
        near_side="right",
        height_m=0.7877134726543984,
        vfov_deg=53.7501543145557,
        width=720,
        height=1280,
        azimuth_offset_deg=3.4505326783373853,
    ),
    noise=NoiseSpec.level("default"),
    fps=60.0,
    walk_in=True,
    seed=1079200426,
)

# A weighted single-leg deadlift filmed from the side, legs alternating, a partial rep first.
SET_515 = SetSpec(
    stage="D2",
    reps=(RepSpec(rom=0.3176552662218002), *([CLEAN] * 4)),
    leg="alternate",
    tempo_jitter=0.1,
    body=BodySpec(
        height_m=1.8094516803751282, build=1.1742631368028673, leg_scale=1.0395230722528253
    ),
    camera=CameraSpec(
        view="side",
        near_side="left",
        height_m=0.6245969304314165,
        vfov_deg=61.394315899228374,
        width=720,
        height=1280,
        azimuth_offset_deg=5.587329035786304,
    ),
    noise=NoiseSpec.level("default"),
    fps=60.0,
    walk_in=True,
    seed=1589879905,
)

# A box squat filmed from the front, a partial rep last.
SET_594 = SetSpec(
    stage="S1",
    reps=(CLEAN, CLEAN, RepSpec(rom=0.3216592737586739)),
    leg="left",
    tempo_jitter=0.1,
    body=BodySpec(
        height_m=1.508783225124014, build=1.1882311588350016, leg_scale=0.9650658763232173
    ),
    camera=CameraSpec(
        view="front",
        near_side="left",
        height_m=1.242392519198325,
        vfov_deg=52.87224075804795,
        width=720,
        height=1280,
        azimuth_offset_deg=-0.6234074859673395,
    ),
    noise=NoiseSpec.level("default"),
    fps=60.0,
    seed=200388789,
)
