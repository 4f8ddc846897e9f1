"""Reading frames from video files, animated GIFs, image folders and webcams.

Frames are read in order. A reader that starts mid-file (a chunk of a parallel audit) jumps to a
key frame first, and keeps the jump only when the decoder lands exactly on that key frame's time:
arbitrary seeks return wrong frames in some files (MPEG-TS named .mp4), and some key frames are
no clean entry point. Phone rotation metadata is applied by OpenCV's FFmpeg backend
(``CAP_PROP_ORIENTATION_AUTO``), so frames come out upright.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from hamcoach.errors import CameraError, InputNotFoundError, UnreadableVideoError

Frame = npt.NDArray[np.uint8]

# FFmpeg and OpenCV print their own diagnostics on stderr ("moov atom not found", "[ WARN:0] ...
# can't be used to capture by name"); the typed errors below say the same in words a user can act
# on. Set OPENCV_FFMPEG_LOGLEVEL / OPENCV_LOG_LEVEL to see them again.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET, read when FFmpeg starts
if "OPENCV_LOG_LEVEL" not in os.environ:
    cv2.setLogLevel(2)  # errors only

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".avi", ".webm", ".mkv", ".m4v", ".gif", ".ts", ".y4m"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp"})
DEFAULT_IMAGE_FOLDER_FPS = 30.0
# Container times further than this from index / fps are not trusted (seconds): a broken
# timestamp, not jitter.
MAX_TIMESTAMP_DRIFT_S = 2.0


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video (before decoding it)."""

    path: str
    width: int
    height: int
    fps: float
    frame_count_header: int
    rotation_deg: int

    @property
    def duration_header_s(self) -> float:
        return self.frame_count_header / self.fps if self.fps > 0 else 0.0


@dataclass(frozen=True)
class TimedFrame:
    index: int
    t_s: float
    bgr: Frame


def open_capture(path: Path, decode_threads: int | None = None) -> cv2.VideoCapture:
    """Open a video file for sequential reading, or raise a typed error. ``decode_threads``:
    FFmpeg's decoding threads (None: its own choice, one per core)."""
    if not path.exists():
        raise InputNotFoundError(f"Video not found: {path}")
    if path.is_dir():
        raise UnreadableVideoError(f"{path} is a folder, not a video.")
    params = [] if decode_threads is None else [cv2.CAP_PROP_N_THREADS, decode_threads]
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, params)
    if not cap.isOpened():
        cap.release()
        raise UnreadableVideoError(
            f"Cannot open {path.name} as a video (unknown or damaged format)."
        )
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return cap


def probe_video(path: Path) -> VideoInfo:
    """Container facts of a video file (frame size after rotation, fps, header frame count)."""
    cap = open_capture(path)
    try:
        return _info_of(cap, str(path))
    finally:
        cap.release()


def _info_of(cap: cv2.VideoCapture, name: str) -> VideoInfo:
    w = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))
    h = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    rot = int(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0) % 360
    if rot in (90, 270):
        w, h = h, w
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
    if not math.isfinite(fps) or fps <= 0 or fps > 1000:
        fps = 0.0
    n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
    return VideoInfo(name, w, h, fps, max(n, 0), rot)


@dataclass(frozen=True)
class KeyFrame:
    """A frame decoding can start from: its index and its container time (ms)."""

    index: int
    t_ms: float


def key_frames(path: Path) -> list[KeyFrame]:
    """The key frames of a video file, read from its packets alone: nothing is decoded (about
    30 ms for 900 frames of 720p H.264). Empty when the container does not say."""
    cap = open_capture(path)
    try:
        if not cap.set(cv2.CAP_PROP_FORMAT, -1):  # raw packets
            return []
        keys, index = [], 0
        while cap.grab():
            if cap.get(cv2.CAP_PROP_LRF_HAS_KEY_FRAME):
                keys.append(KeyFrame(index, float(cap.get(cv2.CAP_PROP_POS_MSEC))))
            index += 1
        return keys
    finally:
        cap.release()


def _seek_to_key(cap: cv2.VideoCapture, start: int, keys: Sequence[KeyFrame]) -> int | None:
    """Jump to the last key frame at or before ``start`` and grab it (decoded, not converted);
    return its index. 0: no key frame to jump to, nothing grabbed. None: the decoder did not
    land on the key frame's own time (a key frame that is no clean entry point decodes from
    the next frame), so the capture must be reopened."""
    key = max((k for k in keys if 0 < k.index <= start), key=lambda k: k.index, default=None)
    if key is None:
        return 0
    if not (cap.set(cv2.CAP_PROP_POS_FRAMES, key.index) and cap.grab()):
        return None
    return key.index if abs(float(cap.get(cv2.CAP_PROP_POS_MSEC)) - key.t_ms) < 0.5 else None


def iter_video_frames(
    path: Path,
    start: int = 0,
    decode_threads: int | None = None,
    keys: Sequence[KeyFrame] = (),
) -> Iterator[TimedFrame]:
    """Decode the frames of a video file in order, with their presentation times in seconds.

    Times come from the container (``CAP_PROP_POS_MSEC``) when they increase, else from the
    frame index and the nominal frame rate. Frames before index ``start`` are not yielded: the
    reader jumps to the last of ``keys`` (:func:`key_frames`) at or before ``start`` and
    decodes the frames between without converting them to BGR (about 40% of the cost of
    reading them). A jump is kept only when the decoder lands on the key frame's own time
    (on 4 of the 150 key frames of ../shared/eval's clips it lands one frame late); otherwise,
    and without key frames, it decodes from the start of the file. Either way the frames
    yielded are exactly those of a full read, with the same times. ``decode_threads``: as
    :func:`open_capture`.
    """
    cap = open_capture(path, decode_threads)
    try:
        info = _info_of(cap, str(path))
        fps = info.fps or 30.0
        last_t = -math.inf
        landed = _seek_to_key(cap, start, keys) if start > 0 else 0
        if landed is None:  # the jump missed: read from the start after all
            cap.release()
            cap = open_capture(path, decode_threads)
        index = landed or 0
        grabbed = index > 0  # the key frame jumped to is grabbed, not yet read
        while True:
            if grabbed:
                grabbed = False
                ok, frame = _retrieve(cap) if index >= start else (True, None)
            else:
                ok, frame = _next_frame(cap, keep=index >= start)
            if not ok:
                break
            last_t = frame_time_s(float(cap.get(cv2.CAP_PROP_POS_MSEC)), index, fps, last_t)
            if frame is not None:
                yield TimedFrame(index, last_t, _ensure_bgr(frame))
            index += 1
        if index == 0:
            raise UnreadableVideoError(
                f"{path.name} contains no decodable frames "
                "(damaged, empty or an unsupported codec)."
            )
    finally:
        cap.release()


def _retrieve(cap: cv2.VideoCapture) -> tuple[bool, npt.NDArray[Any] | None]:
    """The pixels of the frame just grabbed."""
    ok, frame = cap.retrieve()
    return (True, frame) if ok and frame is not None else (False, None)


def _next_frame(cap: cv2.VideoCapture, keep: bool) -> tuple[bool, npt.NDArray[Any] | None]:
    """Advance one frame; return its pixels only when ``keep`` (grab alone skips the colour
    conversion, the larger part of reading a frame after decoding it)."""
    if not keep:
        return bool(cap.grab()), None
    ok, frame = cap.read()
    if not ok or frame is None:
        return False, None
    return True, frame


def frame_time_s(pos_ms: float, index: int, fps: float, last_t_s: float) -> float:
    """Presentation time of frame ``index``: the container's ``pos_ms`` when it is finite,
    increasing and near ``index / fps``; else ``index / fps``, or one frame after ``last_t_s``
    when that would not increase."""
    t = pos_ms / 1000.0 if math.isfinite(pos_ms) else math.nan
    fallback = index / fps
    if not math.isfinite(t) or t <= last_t_s or abs(t - fallback) > MAX_TIMESTAMP_DRIFT_S:
        t = fallback if fallback > last_t_s else last_t_s + 1.0 / fps
    return t


def _ensure_bgr(frame: npt.NDArray[Any]) -> Frame:
    if frame.ndim == 2:
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    if frame.shape[2] == 4:
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR), dtype=np.uint8)
    return np.asarray(frame, dtype=np.uint8)


def list_image_files(folder: Path) -> list[Path]:
    """Image files of a folder in natural (numeric-aware) name order."""
    files = [p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES]
    return sorted(files, key=_natural_key)


def _natural_key(p: Path) -> list[object]:
    import re

    return [int(s) if s.isdigit() else s.lower() for s in re.split(r"(\d+)", p.name)]


def iter_image_folder(folder: Path, fps: float = DEFAULT_IMAGE_FOLDER_FPS) -> Iterator[TimedFrame]:
    """Frames from a folder of images (one frame per file, at ``fps`` frames per second)."""
    if not folder.exists():
        raise InputNotFoundError(f"Folder not found: {folder}")
    files = list_image_files(folder)
    if not files:
        raise UnreadableVideoError(
            f"{folder} holds no images ({', '.join(sorted(IMAGE_SUFFIXES))}).",
            hint="Point at a folder of frames, or at a video file.",
        )
    size: tuple[int, ...] | None = None
    for i, f in enumerate(files):
        img = cv2.imread(str(f), cv2.IMREAD_COLOR)
        if img is None:
            raise UnreadableVideoError(f"Cannot read image {f.name} in {folder}.")
        if size is None:
            size = img.shape[:2]
        elif img.shape[:2] != size:
            img = cv2.resize(img, (size[1], size[0]))
        yield TimedFrame(i, i / fps, _ensure_bgr(img))


def iter_camera_frames(index: int, max_seconds: float | None = None) -> Iterator[TimedFrame]:
    """Frames from webcam ``index`` with wall-clock times, until it stops or time runs out."""
    import time

    cap = cv2.VideoCapture(index)
    if not cap.isOpened():
        cap.release()
        raise CameraError(f"Cannot open webcam {index}.")
    t0 = time.monotonic()
    i = 0
    try:
        while True:
            ok, frame = cap.read()
            if not ok or frame is None:
                if i == 0:
                    raise CameraError(f"Webcam {index} opened but delivered no picture.")
                break
            t = time.monotonic() - t0
            yield TimedFrame(i, t, _ensure_bgr(frame))
            i += 1
            if max_seconds is not None and t >= max_seconds:
                break
    finally:
        cap.release()


def is_video_path(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_SUFFIXES
