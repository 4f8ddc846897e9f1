"""Sets from an earlier draw of the benchmark suite (``suite(0, 600)`` before each set got its
own random stream), written out so that regression tests keep the exact scene they were found
on. Each is named after its old index."""

from __future__ import annotations

from typing import Literal

from hamcoach.synth.body import BodySpec
from hamcoach.synth.camera import CameraSpec, ViewName
from hamcoach.synth.motions import Faults
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import RepSpec, SetSpec

CLEAN = RepSpec()


def _old_suite_set(
    stage: str,
    reps: tuple[RepSpec, ...],
    leg: Literal["left", "right", "alternate"],
    body: tuple[float, float, float],  # height (m), build, leg scale
    camera: tuple[ViewName, Literal["left", "right"], float, float, float],
    walk_in: bool,
    seed: int,
) -> SetSpec:
    """A set as the old suite drew it: portrait 720x1280, default noise, 60 frames/s.
    ``camera``: view, near side, height (m), vertical field of view (deg), azimuth offset."""
    view, near_side, height_m, vfov_deg, azimuth_deg = camera
    return SetSpec(
        stage=stage,
        reps=reps,
        leg=leg,
        tempo_jitter=0.1,
        body=BodySpec(height_m=body[0], build=body[1], leg_scale=body[2]),
        camera=CameraSpec(
            view=view,
            near_side=near_side,
            height_m=height_m,
            vfov_deg=vfov_deg,
            width=720,
            height=1280,
            azimuth_offset_deg=azimuth_deg,
        ),
        noise=NoiseSpec.level("default"),
        fps=60.0,
        walk_in=walk_in,
        seed=seed,
    )


# A box squat filmed from 0.79 m just behind, walking back to the spot first.
SET_6 = _old_suite_set(
    "S1",
    (
        *([CLEAN] * 6),
        RepSpec(rom=0.34638853862534125),
        RepSpec(faults=Faults(fast_eccentric_s=1.0923929998440511)),
    ),
    "alternate",
    (1.5877983293055622, 1.0521907623812508, 1.00817913411037),
    ("rear", "right", 0.7877134726543984, 53.7501543145557, 3.4505326783373853),
    walk_in=True,
    seed=1079200426,
)

# A weighted single-leg deadlift filmed from the side, legs alternating, a partial rep first.
SET_515 = _old_suite_set(
    "D2",
    (RepSpec(rom=0.3176552662218002), *([CLEAN] * 4)),
    "alternate",
    (1.8094516803751282, 1.1742631368028673, 1.0395230722528253),
    ("side", "left", 0.6245969304314165, 61.394315899228374, 5.587329035786304),
    walk_in=True,
    seed=1589879905,
)

# A box squat filmed from the front, a partial rep last.
SET_594 = _old_suite_set(
    "S1",
    (CLEAN, CLEAN, RepSpec(rom=0.3216592737586739)),
    "left",
    (1.508783225124014, 1.1882311588350016, 0.9650658763232173),
    ("front", "left", 1.242392519198325, 52.87224075804795, -0.6234074859673395),
    walk_in=False,
    seed=200388789,
)
