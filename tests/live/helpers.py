"""Synthetic squat sets streamed as the browser would stream them (test helper)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from hamcoach.live.frames import LandmarkFrame, frames_from_track
from hamcoach.live.session import LiveSession
from hamcoach.synth import CameraSpec, NoiseSpec, SetSpec, generate_set
from hamcoach.track import PoseTrack


@lru_cache(maxsize=8)
def squat_track(view: str = "side", n_reps: int = 5, seed: int = 1) -> PoseTrack:
    """An S2 squat set with MediaPipe-like noise; every rep has good form and a slow descent."""
    spec = SetSpec(
        stage="S2",
        n_reps=n_reps,
        camera=CameraSpec(view=view),  # type: ignore[arg-type]
        noise=NoiseSpec.level("low"),
        seed=seed,
    )
    return generate_set(spec).track


def stream(session: LiveSession, frames: list[LandmarkFrame]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for f in frames:
        events += session.push(f)
    return events


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def frames(track: PoseTrack, step: int = 1) -> list[LandmarkFrame]:
    return list(frames_from_track(track, step))


def with_knees_unclear(track: PoseTrack, after_s: float, visibility: float) -> PoseTrack:
    """The same set with both knees seen poorly (visibility ``visibility``) after ``after_s``."""
    conf = track.confidence.copy()
    late = track.t_s > after_s
    for j in (25, 26):  # left and right knee
        conf[late, j] = np.minimum(conf[late, j], visibility)
    return track.replace(confidence=conf)
