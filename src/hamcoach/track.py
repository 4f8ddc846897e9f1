"""The one pose-track type every source produces and every stage consumes.

Coordinate convention (written once, used everywhere):

* ``image[t, j] = (x, y, z)`` in **pixels** of the (rotation-corrected) frame: x to the right,
  y downwards, origin at the top-left corner. ``z`` is the backend's relative depth on the same
  pixel scale (smaller = nearer the camera), NaN when the source has none.
* ``world[t, j] = (x, y, z)`` in **metres**, origin between the hips, as MediaPipe's world
  landmarks (y downwards); NaN when the source has none.
* ``confidence[t, j]`` in [0, 1] (MediaPipe's visibility, OpenPose/COCO scores).
* A joint that is missing is NaN in ``image``/``world`` and 0 in ``confidence``: never zeros.
* ``t_s[t]`` is the presentation time of frame ``t`` in seconds, increasing.
"""

from __future__ import annotations

import json
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hamcoach.errors import InputNotFoundError, TrackFormatError
from hamcoach.landmarks import N_LANDMARKS, mirror_permutation

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

TRACK_FORMAT_VERSION = 1


@dataclass(eq=False)
class PoseTrack:
    """A pose track: T frames x 33 BlazePose landmarks. See the module docstring for units."""

    image: FloatArray  # (T, 33, 3) pixels
    confidence: FloatArray  # (T, 33) in [0, 1]
    t_s: FloatArray  # (T,) seconds
    width: int
    height: int
    fps: float
    world: FloatArray | None = None  # (T, 33, 3) metres
    source: str = ""
    backend: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            self.image = np.asarray(self.image, dtype=np.float64)
            self.confidence = np.asarray(self.confidence, dtype=np.float64)
            self.t_s = np.asarray(self.t_s, dtype=np.float64)
            if self.world is not None:
                self.world = np.asarray(self.world, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TrackFormatError(
                f"Pose track is malformed: arrays must hold numbers ({exc})."
            ) from exc
        problems = validate_track_arrays(self.image, self.confidence, self.t_s, self.world)
        if problems:
            raise TrackFormatError("Pose track is malformed: " + "; ".join(problems) + ".")

    @property
    def n_frames(self) -> int:
        return int(self.image.shape[0])

    @property
    def duration_s(self) -> float:
        return float(self.t_s[-1] - self.t_s[0]) if self.n_frames > 1 else 0.0

    @property
    def detected(self) -> BoolArray:
        """Frames where the backend found a person (any landmark present)."""
        return np.asarray(np.isfinite(self.image[:, :, 0]).any(axis=1))

    def xy(self) -> FloatArray:
        """Image x, y in pixels, (T, 33, 2)."""
        return self.image[:, :, :2]

    def slice(self, start: int, stop: int) -> PoseTrack:
        """Frames [start, stop) as a new track sharing no memory."""
        w = None if self.world is None else self.world[start:stop].copy()
        return PoseTrack(
            image=self.image[start:stop].copy(),
            confidence=self.confidence[start:stop].copy(),
            t_s=self.t_s[start:stop].copy(),
            width=self.width,
            height=self.height,
            fps=self.fps,
            world=w,
            source=self.source,
            backend=self.backend,
            meta=dict(self.meta),
        )

    def replace(self, **changes: Any) -> PoseTrack:
        fields: dict[str, Any] = {
            "image": self.image,
            "confidence": self.confidence,
            "t_s": self.t_s,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "world": self.world,
            "source": self.source,
            "backend": self.backend,
            "meta": dict(self.meta),
        }
        fields.update(changes)
        return PoseTrack(**fields)

    def mirrored(self) -> PoseTrack:
        """The track as seen in a mirror: x flipped and left/right landmarks exchanged."""
        perm = mirror_permutation()
        img = self.image[:, perm].copy()
        img[:, :, 0] = (self.width - 1) - img[:, :, 0]
        world = None
        if self.world is not None:
            world = self.world[:, perm].copy()
            world[:, :, 0] = -world[:, :, 0]
        return self.replace(image=img, confidence=self.confidence[:, perm].copy(), world=world)


def validate_track_arrays(
    image: FloatArray, confidence: FloatArray, t_s: FloatArray, world: FloatArray | None
) -> list[str]:
    """Every problem with the arrays of a track, as phrases (empty when the track is valid)."""
    problems: list[str] = []
    if image.ndim != 3 or image.shape[1:] != (N_LANDMARKS, 3):
        problems.append(f"image must have shape (frames, {N_LANDMARKS}, 3), got {image.shape}")
        return problems
    n = image.shape[0]
    if confidence.shape != (n, N_LANDMARKS):
        problems.append(f"confidence must have shape ({n}, {N_LANDMARKS}), got {confidence.shape}")
    if t_s.shape != (n,):
        problems.append(f"t_s must have shape ({n},), got {t_s.shape}")
    elif n > 1 and not np.all(np.diff(t_s) > 0):
        problems.append("timestamps t_s must be strictly increasing")
    if world is not None and world.shape != (n, N_LANDMARKS, 3):
        problems.append(f"world must have shape ({n}, {N_LANDMARKS}, 3), got {world.shape}")
    if (
        confidence.shape == (n, N_LANDMARKS)
        and confidence.size
        and (np.nanmin(confidence) < 0 or np.nanmax(confidence) > 1)
    ):
        problems.append("confidence must lie in [0, 1]")
    return problems


def save_track(track: PoseTrack, path: Path) -> None:
    """Write a track to ``path`` (.npz), losslessly."""
    meta = {
        "format": "hamcoach.pose_track",
        "version": TRACK_FORMAT_VERSION,
        "width": track.width,
        "height": track.height,
        "fps": track.fps,
        "source": track.source,
        "backend": track.backend,
        "meta": track.meta,
    }
    arrays: dict[str, Any] = {
        "image": track.image,
        "confidence": track.confidence,
        "t_s": track.t_s,
        "header": np.array(json.dumps(meta)),
    }
    if track.world is not None:
        arrays["world"] = track.world
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A unique temporary name: two processes may write the same cache entry at once.
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.partial.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def load_track(path: Path) -> PoseTrack:
    """Read a track written by :func:`save_track`."""
    path = Path(path)
    if not path.exists():
        raise InputNotFoundError(f"Track file not found: {path}")
    if not zipfile.is_zipfile(path):
        raise TrackFormatError(f"{path.name} is not a HamCoach pose track (not an .npz archive).")
    try:
        with np.load(path, allow_pickle=False) as data:
            if "header" not in data or "image" not in data:
                raise TrackFormatError(
                    f"{path.name} is not a HamCoach pose track (no 'header'/'image' arrays)."
                )
            header = json.loads(str(data["header"]))
            image = data["image"]
            conf = data["confidence"]
            t_s = data["t_s"]
            world = data.get("world", None)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise TrackFormatError(f"Cannot read track file {path.name}: {exc}") from exc
    if not isinstance(header, dict) or header.get("format") != "hamcoach.pose_track":
        raise TrackFormatError(f"{path.name} is not a HamCoach pose track.")
    if _newer_than_supported(header.get("version", 0)):
        raise TrackFormatError(
            f"{path.name} was written by a newer HamCoach (track format {header['version']}).",
            hint="Upgrade HamCoach.",
        )
    try:
        width, height, fps = int(header["width"]), int(header["height"]), float(header["fps"])
        meta = dict(header.get("meta", {}))
    except KeyError as exc:
        raise TrackFormatError(f"The header of {path.name} lacks {exc}.") from exc
    except (TypeError, ValueError) as exc:
        raise TrackFormatError(f"The header of {path.name} is damaged: {exc}.") from exc
    return PoseTrack(
        image=image,
        confidence=conf,
        t_s=t_s,
        width=width,
        height=height,
        fps=fps,
        world=world,
        source=str(header.get("source", "")),
        backend=str(header.get("backend", "")),
        meta=meta,
    )


def _newer_than_supported(version: Any) -> bool:
    try:
        return int(version) > TRACK_FORMAT_VERSION
    except (TypeError, ValueError):
        return False  # not a number: judged by the other header fields


# numpy warns when a statistic meets only missing values; in HamCoach a missing joint is NaN by
# design and stays NaN through every measure (then "unknown" in the audit), so these warnings
# carry no news for a user. The edges (CLI, evaluation workers) silence exactly these.
MISSING_JOINT_WARNINGS = (
    "Mean of empty slice",
    "All-NaN slice encountered",
    "invalid value encountered",
)


def silence_missing_joint_warnings() -> None:
    """Install warning filters for numpy's all-missing-values warnings (edges only)."""
    import warnings

    for message in MISSING_JOINT_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=RuntimeWarning)


def empty_frame() -> tuple[FloatArray, FloatArray, FloatArray]:
    """(image, world, confidence) of a frame where no person was found."""
    nan3 = np.full((N_LANDMARKS, 3), np.nan)
    return nan3, nan3.copy(), np.zeros(N_LANDMARKS)
