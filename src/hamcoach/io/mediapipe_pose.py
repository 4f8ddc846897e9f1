"""MediaPipe BlazePose "full" (legacy ``mediapipe.solutions.pose``, ``model_complexity=1``).

The model ships inside the mediapipe wheel; nothing is downloaded. Frames larger than
``max_side_px`` are downscaled before inference (the network itself runs at 256x256, so this
costs no accuracy and saves the colour conversion of full-size frames); landmarks are returned
in the pixels of the original frame.
"""

from __future__ import annotations

import os

# Quiet MediaPipe's C++ logging (INFO/WARNING lines on stderr) before it is imported.
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from hamcoach.errors import PoseBackendError
from hamcoach.io.video import Frame, TimedFrame
from hamcoach.landmarks import N_LANDMARKS
from hamcoach.track import FloatArray, PoseTrack, empty_frame

BACKEND_NAME = "mediapipe-blazepose-full"


@dataclass(frozen=True)
class PoseOptions:
    """Knobs of the BlazePose backend (defaults: MediaPipe's own, documented values)."""

    min_detection_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    max_side_px: int = 640
    static_image_mode: bool = False


@dataclass(frozen=True)
class FramePose:
    """One frame's estimate: pixels (33, 3), metres (33, 3), confidence (33,)."""

    image: FloatArray
    world: FloatArray
    confidence: FloatArray

    @property
    def found(self) -> bool:
        return bool(np.isfinite(self.image[:, 0]).any())


def backend_version() -> str:
    try:
        import mediapipe as mp
    except ImportError as exc:  # pragma: no cover - exercised only on a broken install
        raise PoseBackendError(f"MediaPipe is not installed ({exc}).") from exc
    return f"{BACKEND_NAME} mediapipe=={mp.__version__}"


class BlazePoseEstimator:
    """A stateful per-frame estimator (tracking mode): feed frames in order."""

    def __init__(self, options: PoseOptions | None = None) -> None:
        self.options = options or PoseOptions()
        try:
            import mediapipe as mp
        except ImportError as exc:  # pragma: no cover
            raise PoseBackendError(f"MediaPipe is not installed ({exc}).") from exc
        self._pose: Any = mp.solutions.pose.Pose(
            static_image_mode=self.options.static_image_mode,
            model_complexity=1,
            smooth_landmarks=False,
            enable_segmentation=False,
            min_detection_confidence=self.options.min_detection_confidence,
            min_tracking_confidence=self.options.min_tracking_confidence,
        )

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> BlazePoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def estimate(self, bgr: Frame) -> FramePose:
        """Landmarks of the person in one BGR frame (all NaN when nobody is found)."""
        h, w = bgr.shape[:2]
        rgb = cv2.cvtColor(_downscale(bgr, self.options.max_side_px), cv2.COLOR_BGR2RGB)
        rgb.flags.writeable = False
        result = self._pose.process(rgb)
        return landmarks_to_frame_pose(result, w, h)


def _downscale(bgr: Frame, max_side: int) -> Frame:
    h, w = bgr.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1.0:
        return bgr
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(cv2.resize(bgr, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def landmarks_to_frame_pose(result: Any, width: int, height: int) -> FramePose:
    """Convert a MediaPipe result into pixels / metres / confidence arrays."""
    image, world, conf = empty_frame()
    lms = getattr(result, "pose_landmarks", None)
    if lms is None:
        return FramePose(image, world, conf)
    pts = np.array([(p.x, p.y, p.z, p.visibility) for p in lms.landmark], dtype=np.float64)
    image = np.stack([pts[:, 0] * width, pts[:, 1] * height, pts[:, 2] * width], axis=1)
    conf = np.clip(pts[:, 3], 0.0, 1.0)
    wl = getattr(result, "pose_world_landmarks", None)
    if wl is not None:
        world = np.array([(p.x, p.y, p.z) for p in wl.landmark], dtype=np.float64)
    return FramePose(image, world, conf)


def estimate_track(
    frames: Iterable[TimedFrame],
    *,
    source: str,
    fps: float,
    options: PoseOptions | None = None,
    on_frame: Callable[[int], None] | None = None,
    meta: dict[str, Any] | None = None,
) -> PoseTrack:
    """Run BlazePose over frames (in order) and collect a :class:`PoseTrack`."""
    images: list[FloatArray] = []
    worlds: list[FloatArray] = []
    confs: list[FloatArray] = []
    times: list[float] = []
    width = height = 0
    with BlazePoseEstimator(options) as est:
        for fr in frames:
            height, width = fr.bgr.shape[:2]
            fp = est.estimate(fr.bgr)
            images.append(fp.image)
            worlds.append(fp.world)
            confs.append(fp.confidence)
            times.append(fr.t_s)
            if on_frame is not None:
                on_frame(fr.index)
    n = len(times)
    return PoseTrack(
        image=np.array(images).reshape(n, N_LANDMARKS, 3),
        confidence=np.array(confs).reshape(n, N_LANDMARKS),
        t_s=np.array(times),
        width=width,
        height=height,
        fps=fps,
        world=np.array(worlds).reshape(n, N_LANDMARKS, 3),
        source=source,
        backend=backend_version(),
        meta=dict(meta or {}),
    )
