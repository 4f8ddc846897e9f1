"""MediaPipe BlazePose "full" (legacy ``mediapipe.solutions.pose``, ``model_complexity=1``).

The model ships inside the mediapipe wheel; nothing is downloaded. Frames larger than
``max_side_px`` are downscaled before inference (the network itself runs at 256x256, so this
costs no accuracy and saves the colour conversion of full-size frames); landmarks are returned
in the pixels of the original frame.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from typing import Any

import cv2
import numpy as np

from hamcoach.errors import PoseBackendError
from hamcoach.io.video import Frame, TimedFrame
from hamcoach.landmarks import N_LANDMARKS
from hamcoach.track import FloatArray, PoseTrack, empty_frame

BACKEND_NAME = "mediapipe-blazepose-full"
# Version of HamCoach's own handling around the model (recovery of lost poses); part of the
# pose cache key, so a change here re-runs the pose estimation of cached videos.
RECOVERY_VERSION = 1


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
    return f"{BACKEND_NAME} mediapipe=={mp.__version__} recovery={RECOVERY_VERSION}"


class BlazePoseEstimator:
    """A stateful per-frame estimator (tracking mode): feed frames in order."""

    def __init__(self, options: PoseOptions | None = None) -> None:
        self.options = options or PoseOptions()
        try:
            import mediapipe as mp
        except ImportError as exc:  # pragma: no cover
            raise PoseBackendError(f"MediaPipe is not installed ({exc}).") from exc
        with quiet_native_stderr():
            self._pose: Any = mp.solutions.pose.Pose(
                static_image_mode=self.options.static_image_mode,
                model_complexity=1,
                smooth_landmarks=False,
                enable_segmentation=False,
                min_detection_confidence=self.options.min_detection_confidence,
                min_tracking_confidence=self.options.min_tracking_confidence,
            )
        self._warm = False

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
        if self._warm:
            result = self._pose.process(rgb)
        else:  # the first call initialises the graph and logs from C++: keep that off stderr
            with quiet_native_stderr():
                result = self._pose.process(rgb)
            self._warm = True
        return landmarks_to_frame_pose(result, w, h)


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Silence file descriptor 2 for a moment: MediaPipe's C++ start-up logging (absl, TFLite)
    cannot be switched off from Python. Python-level errors still propagate as exceptions."""
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr: nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


# -- recovery of lost or implausible poses (people lying down) ---------------------------------

# A pose is implausible when, from one frame to the next, a hip or knee jumps further than this
# many trunk lengths, or the trunk's length changes by more than this factor.
MAX_JUMP_TORSO = 0.5
MAX_TORSO_CHANGE = 1.6
# After this many implausible frames in a row the new pose is the new truth (a camera cut, or
# the person really moved): the last good pose is forgotten.
MAX_IMPLAUSIBLE_RUN = 5
_CORE = [11, 12, 23, 24, 25, 26]


@dataclass
class RecoveryStats:
    """What the recovering estimator had to do (for diagnostics and the lying-body report)."""

    frames: int = 0
    lost: int = 0
    implausible: int = 0
    recovered_redetect: int = 0
    recovered_rotated: int = 0


def _torso_px(image: FloatArray) -> float:
    sh = (image[11, :2] + image[12, :2]) / 2
    hp = (image[23, :2] + image[24, :2]) / 2
    return float(np.linalg.norm(sh - hp))


def is_plausible(pose: FramePose, previous: FramePose | None) -> bool:
    """Whether ``pose`` continues ``previous`` like a body can (no teleporting, no shrinking)."""
    if not pose.found:
        return False
    if previous is None or not previous.found:
        return True
    t0, t1 = _torso_px(previous.image), _torso_px(pose.image)
    if not (np.isfinite(t0) and np.isfinite(t1)) or t0 <= 0 or t1 <= 0:
        return True
    if max(t0 / t1, t1 / t0) > MAX_TORSO_CHANGE:
        return False
    jump = np.linalg.norm(pose.image[_CORE, :2] - previous.image[_CORE, :2], axis=1)
    return bool(np.nanmax(jump) <= MAX_JUMP_TORSO * t0)


def _pose_distance(a: FramePose, b: FramePose) -> float:
    d = np.linalg.norm(a.image[_CORE, :2] - b.image[_CORE, :2], axis=1)
    return float(np.nanmedian(d)) if np.isfinite(d).any() else float("inf")


def _unrotate(pose: FramePose, rotation: int, width: int, height: int) -> FramePose:
    """Landmarks found on a frame rotated by ``rotation`` (a cv2.ROTATE_* code) back in the
    original frame's pixels."""
    img = pose.image.copy()
    x, y = img[:, 0].copy(), img[:, 1].copy()
    if rotation == cv2.ROTATE_90_CLOCKWISE:  # (x', y') = (h - 1 - y, x)
        img[:, 0], img[:, 1] = y, height - 1 - x
    else:  # ROTATE_90_COUNTERCLOCKWISE: (x', y') = (y, w - 1 - x)
        img[:, 0], img[:, 1] = width - 1 - y, x
    return FramePose(img, pose.world, pose.confidence)


class RecoveringEstimator:
    """Tracking-mode BlazePose that re-detects when the pose is lost or jumps implausibly.

    On such a frame it tries a fresh detection on the same frame and, when the body was lying
    down (trunk nearer horizontal than vertical), a detection on the frame turned so the body
    stands upright; it keeps the plausible candidate closest to the last good pose.
    """

    def __init__(self, options: PoseOptions | None = None) -> None:
        self.options = options or PoseOptions()
        self._track = BlazePoseEstimator(self.options)
        self._detect: BlazePoseEstimator | None = None
        self._last: FramePose | None = None
        self._run = 0
        self.stats = RecoveryStats()

    def close(self) -> None:
        self._track.close()
        if self._detect is not None:
            self._detect.close()

    def __enter__(self) -> RecoveringEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _detector(self) -> BlazePoseEstimator:
        if self._detect is None:
            self._detect = BlazePoseEstimator(replace(self.options, static_image_mode=True))
        return self._detect

    def _lying(self) -> bool:
        last = self._last
        if last is None or not last.found:
            return False
        sh = (last.image[11, :2] + last.image[12, :2]) / 2
        hp = (last.image[23, :2] + last.image[24, :2]) / 2
        return bool(abs(sh[0] - hp[0]) > abs(sh[1] - hp[1]))

    def estimate(self, bgr: Frame) -> FramePose:
        self.stats.frames += 1
        pose = self._track.estimate(bgr)
        if is_plausible(pose, self._last) or (pose.found and self._run >= MAX_IMPLAUSIBLE_RUN):
            self._last, self._run = pose, 0
            return pose
        if pose.found:
            self.stats.implausible += 1
        else:
            self.stats.lost += 1
        candidates: list[tuple[FramePose, str]] = []
        fresh = self._detector().estimate(bgr)
        if fresh.found:
            candidates.append((fresh, "redetect"))
        last = self._last
        if self._lying() and last is not None:
            h, w = bgr.shape[:2]
            head_left = bool(last.image[0, 0] < last.image[23, 0])
            code = cv2.ROTATE_90_CLOCKWISE if head_left else cv2.ROTATE_90_COUNTERCLOCKWISE
            turned = self._detector().estimate(np.ascontiguousarray(cv2.rotate(bgr, code)))
            if turned.found:
                candidates.append((_unrotate(turned, code, w, h), "rotated"))
        good = [(c, how) for c, how in candidates if is_plausible(c, last)]
        if not good:
            # Nothing believable: report the frame as missing rather than a teleported body.
            self._run += 1
            image, world, conf = empty_frame()
            return FramePose(image, world, conf)
        best, how = min(good, key=lambda ch: _pose_distance(ch[0], last) if last else 0.0)
        if how == "redetect":
            self.stats.recovered_redetect += 1
        else:
            self.stats.recovered_rotated += 1
        self._last, self._run = best, 0
        return best


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
    with RecoveringEstimator(options) as est:
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
        meta={**(meta or {}), "pose_recovery": asdict(est.stats)},
    )
