"""Seeded models of the errors real pose estimators make, applied to a clean projected track.

In order: Gaussian jitter (white, plus a slow AR(1) wander), larger on joints that are hard to see;
left/right swaps of the legs (or, sometimes, of the whole body) for short runs; frozen frames
(the previous frame repeated); dropouts (runs of frames with no person: NaN and confidence 0) and
single-joint dropouts; and lower, noisier confidence on occluded joints. Every draw comes from
the one ``numpy.random.Generator`` passed in, so a seed reproduces the track exactly.

Levels (:meth:`NoiseSpec.level`): ``none``; ``low``; ``default``, roughly MediaPipe Pose (full
model) on a phone video of one person in good light: ~0.25 % of the image height of white jitter
(3 px at 1280 px), a similar slow wander, a short person loss every ~30 s, a left/right leg swap
every ~30 s (side views), one frozen frame run per clip; ``high``: poor light, loose clothes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from hamcoach.landmarks import LEFT_RIGHT_PAIRS, L, mirror_permutation
from hamcoach.synth.body import FloatArray

NoiseLevel = Literal["none", "low", "default", "high"]

_LEG_PAIRS = tuple(
    (a, b)
    for a, b in LEFT_RIGHT_PAIRS
    if a in (L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX)
)


@dataclass(frozen=True)
class NoiseSpec:
    """Noise magnitudes. Lengths are fractions of the image height; rates are per minute."""

    jitter: float = 0.0  # white Gaussian sd
    wander: float = 0.0  # sd of the slow AR(1) component
    wander_tau_s: float = 0.5
    world_jitter_m: float = 0.0
    dropout_per_min: float = 0.0  # runs of frames with no person
    dropout_len_s: tuple[float, float] = (0.05, 0.3)
    joint_dropout_per_min: float = 0.0  # runs of one missing joint
    swap_per_min: float = 0.0  # left/right leg swaps
    swap_len_s: tuple[float, float] = (0.1, 0.4)
    whole_body_swap_fraction: float = 0.25
    frozen_runs: int = 0
    frozen_len_s: tuple[float, float] = (0.07, 0.25)
    occluded_confidence_drop: float = 0.0  # random extra visibility loss on hidden joints
    confidence_jitter: float = 0.0

    @classmethod
    def level(cls, name: NoiseLevel) -> NoiseSpec:
        """A preset: none, low, default (MediaPipe-like) or high."""
        if name == "none":
            return cls()
        base = cls(
            jitter=0.0025,
            wander=0.002,
            world_jitter_m=0.012,
            dropout_per_min=2.0,
            joint_dropout_per_min=0.0,
            swap_per_min=2.0,
            frozen_runs=1,
            occluded_confidence_drop=0.25,
            confidence_jitter=0.04,
        )
        if name == "default":
            return base
        if name == "low":
            return replace(
                base,
                jitter=0.001,
                wander=0.001,
                world_jitter_m=0.005,
                dropout_per_min=0.0,
                swap_per_min=0.0,
                frozen_runs=0,
                occluded_confidence_drop=0.1,
                confidence_jitter=0.02,
            )
        if name == "high":
            return replace(
                base,
                jitter=0.006,
                wander=0.005,
                world_jitter_m=0.03,
                dropout_per_min=6.0,
                joint_dropout_per_min=6.0,
                swap_per_min=6.0,
                frozen_runs=2,
                occluded_confidence_drop=0.4,
                confidence_jitter=0.08,
            )
        raise ValueError(f"unknown noise level {name!r}: use none, low, default or high")

    @property
    def is_clean(self) -> bool:
        return self == NoiseSpec()


@dataclass
class NoiseLog:
    """What the noise did, frame by frame (for debugging a benchmark miss)."""

    dropped: list[tuple[int, int]]
    swapped: list[tuple[int, int]]
    frozen: list[tuple[int, int]]


def _runs(
    rng: np.random.Generator, n: int, fps: float, count: int, length_s: tuple[float, float]
) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for _ in range(count):
        length = max(1, round(rng.uniform(*length_s) * fps))
        if n - length <= 1:
            continue
        start = int(rng.integers(1, n - length))
        out.append((start, start + length))
    return out


def _count(rng: np.random.Generator, per_min: float, duration_s: float) -> int:
    return int(rng.poisson(per_min * duration_s / 60.0)) if per_min > 0 else 0


def apply_noise(
    spec: NoiseSpec,
    image: FloatArray,
    world: FloatArray,
    conf: FloatArray,
    fps: float,
    frame_height: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray, FloatArray, NoiseLog]:
    """Noisy copies of (image, world, confidence); the inputs are left unchanged."""
    img, wld, cf = image.copy(), world.copy(), conf.copy()
    n, j = img.shape[:2]
    log = NoiseLog([], [], [])
    if n == 0:
        return img, wld, cf, log
    hidden = np.clip((VISIBLE_REF - conf) / VISIBLE_REF, 0.0, 1.0)  # 0 seen .. 1 hidden
    gain = 1.0 + 2.0 * hidden
    if spec.jitter > 0 or spec.wander > 0:
        sd = spec.jitter * frame_height
        white = rng.normal(0.0, 1.0, (n, j, 3)) * sd
        a = float(np.exp(-1.0 / max(spec.wander_tau_s * fps, 1e-6)))
        drive = rng.normal(0.0, 1.0, (n, j, 3)) * spec.wander * frame_height * np.sqrt(1 - a * a)
        slow = np.zeros_like(drive)
        slow[0] = drive[0] / max(np.sqrt(1 - a * a), 1e-6)
        for t in range(1, n):
            slow[t] = a * slow[t - 1] + drive[t]
        img += (white + slow) * gain[..., None]
    if spec.world_jitter_m > 0:
        wld += rng.normal(0.0, spec.world_jitter_m, (n, j, 3)) * gain[..., None]
    if spec.occluded_confidence_drop > 0:
        cf -= spec.occluded_confidence_drop * hidden * rng.uniform(0.5, 1.5, (n, j))
    if spec.confidence_jitter > 0:
        cf += rng.normal(0.0, spec.confidence_jitter, (n, j))
    cf = np.clip(cf, 0.0, 1.0)
    duration = n / fps
    perm = mirror_permutation()
    for a0, a1 in _runs(rng, n, fps, _count(rng, spec.swap_per_min, duration), spec.swap_len_s):
        if rng.uniform() < spec.whole_body_swap_fraction:
            idx_from = np.array(perm)
            img[a0:a1] = img[a0:a1][:, idx_from]
            wld[a0:a1] = wld[a0:a1][:, idx_from]
            cf[a0:a1] = cf[a0:a1][:, idx_from]
        else:
            for p, q in _LEG_PAIRS:
                for arr in (img, wld, cf):
                    arr[a0:a1, [p, q]] = arr[a0:a1, [q, p]]
        log.swapped.append((a0, a1))
    for a0, a1 in _runs(rng, n, fps, spec.frozen_runs, spec.frozen_len_s):
        img[a0:a1] = img[a0 - 1]
        wld[a0:a1] = wld[a0 - 1]
        cf[a0:a1] = cf[a0 - 1]
        log.frozen.append((a0, a1))
    for a0, a1 in _runs(
        rng, n, fps, _count(rng, spec.dropout_per_min, duration), spec.dropout_len_s
    ):
        img[a0:a1] = np.nan
        wld[a0:a1] = np.nan
        cf[a0:a1] = 0.0
        log.dropped.append((a0, a1))
    for a0, a1 in _runs(
        rng, n, fps, _count(rng, spec.joint_dropout_per_min, duration), spec.dropout_len_s
    ):
        jj = int(rng.integers(0, j))
        img[a0:a1, jj] = np.nan
        wld[a0:a1, jj] = np.nan
        cf[a0:a1, jj] = 0.0
    return img, wld, cf, log


VISIBLE_REF = 0.98
