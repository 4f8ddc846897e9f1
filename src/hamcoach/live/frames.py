"""One frame of landmarks as the browser sends it (MediaPipe Pose's JavaScript format), checked
and converted into the arrays the engine reads: pixels (33, 3), confidence (33,), metres (33, 3).

Wire format (JSON)::

    {"type": "frame", "t_ms": 1234.5, "w": 640, "h": 480,
     "lm": [[x, y, z, visibility] * 33] | null,      # normalized to the image, as MediaPipe gives
     "world": [[x, y, z] * 33] | null}               # metres, optional

``lm`` may also be a flat list of 132 numbers (what the page sends: smaller, faster to parse).
``null`` landmarks mean nobody was found in that frame.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hamcoach.landmarks import N_LANDMARKS
from hamcoach.live.errors import LiveProtocolError
from hamcoach.track import FloatArray, PoseTrack

MAX_SIDE_PX = 16384


@dataclass(frozen=True)
class LandmarkFrame:
    """One frame: time (ms, the client's clock), image size, and landmarks (None: nobody)."""

    t_ms: float
    width: int
    height: int
    landmarks: FloatArray | None  # (33, 4): x, y (0-1 of the image), z (x scale), visibility
    world: FloatArray | None = None  # (33, 3) metres

    def pixels(self) -> tuple[FloatArray, FloatArray, FloatArray | None]:
        """Pixel landmarks (33, 3), confidence (33,) and world landmarks, NaN when nobody."""
        if self.landmarks is None:
            return (
                np.full((N_LANDMARKS, 3), np.nan),
                np.zeros(N_LANDMARKS),
                None,
            )
        lm = self.landmarks
        image = np.stack(
            [lm[:, 0] * self.width, lm[:, 1] * self.height, lm[:, 2] * self.width], axis=1
        )
        conf = np.clip(np.nan_to_num(lm[:, 3], nan=0.0), 0.0, 1.0)
        return image, conf, self.world

    def to_json(self) -> dict[str, Any]:
        """The wire form (flat landmark list), e.g. for tests and the desktop client."""
        return {
            "type": "frame",
            "t_ms": self.t_ms,
            "w": self.width,
            "h": self.height,
            "lm": None
            if self.landmarks is None
            else [round(float(v), 5) for v in self.landmarks.ravel()],
            "world": None
            if self.world is None
            else [round(float(v), 4) for v in self.world.ravel()],
        }


def _array(value: Any, columns: int, name: str, problems: list[str]) -> FloatArray | None:
    if value is None:
        return None
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        problems.append(f"{name} must be numbers")
        return None
    if arr.shape == (N_LANDMARKS * columns,):
        arr = arr.reshape(N_LANDMARKS, columns)
    if arr.shape != (N_LANDMARKS, columns):
        problems.append(
            f"{name} must hold {N_LANDMARKS} landmarks of {columns} numbers "
            f"(or {N_LANDMARKS * columns} in a flat list), got shape {arr.shape}"
        )
        return None
    return arr


def parse_frame(msg: Mapping[str, Any]) -> LandmarkFrame:
    """Check one frame message and convert it; every problem is named in one error."""
    problems: list[str] = []
    t_ms = msg.get("t_ms")
    if not isinstance(t_ms, int | float) or isinstance(t_ms, bool) or not math.isfinite(t_ms):
        problems.append("t_ms must be a finite number (milliseconds)")
    sizes = []
    for key in ("w", "h"):
        v = msg.get(key)
        if not isinstance(v, int) or isinstance(v, bool) or not 0 < v <= MAX_SIDE_PX:
            problems.append(f"{key} must be the image size in pixels (1-{MAX_SIDE_PX})")
            sizes.append(0)
        else:
            sizes.append(v)
    lm = _array(msg.get("lm"), 4, "lm", problems)
    world = _array(msg.get("world"), 3, "world", problems)
    if problems:
        raise LiveProtocolError(
            "Bad frame: " + "; ".join(problems) + ".",
            hint='Send {"type": "frame", "t_ms": ..., "w": ..., "h": ..., "lm": [...33 x 4]}.',
        )
    assert isinstance(t_ms, int | float)
    return LandmarkFrame(float(t_ms), sizes[0], sizes[1], lm, world if lm is not None else None)


def frames_from_track(track: PoseTrack, step: int = 1) -> Iterator[LandmarkFrame]:
    """A pose track as the browser would send it: every ``step``-th frame, landmarks normalized
    to the image (what MediaPipe's JavaScript gives), frames without a person as ``None``."""
    w, h = max(track.width, 1), max(track.height, 1)
    for i in range(0, track.n_frames, step):
        img = track.image[i]
        if not np.isfinite(img[:, 0]).any():
            yield LandmarkFrame(float(track.t_s[i] * 1000.0), w, h, None, None)
            continue
        lm = np.column_stack([img[:, 0] / w, img[:, 1] / h, img[:, 2] / w, track.confidence[i]])
        lm[~np.isfinite(lm)] = 0.0
        world = None if track.world is None else np.nan_to_num(track.world[i])
        yield LandmarkFrame(float(track.t_s[i] * 1000.0), w, h, lm, world)
