"""Pictures from the source video for reports: read once, in order, keep only what is needed.

Never seeks by frame index (some MPEG-TS files named .mp4 return wrong frames when seeked):
frames are decoded sequentially and reading stops after the last wanted one. Frame ``i`` is the
``i``-th decoded frame, which is frame ``i`` of the pose track made from the same file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from hamcoach.io.video import (
    DEFAULT_IMAGE_FOLDER_FPS,
    Frame,
    TimedFrame,
    is_video_path,
    iter_image_folder,
    iter_video_frames,
    open_capture,
)


def pictures_of(source: str) -> Path | None:
    """The video file or image folder behind an audit's source, or None for saved tracks,
    keypoint files and webcams (their pictures are the skeleton on a plain background)."""
    path = Path(source)
    if path.is_dir():
        return None if any(path.glob("*_keypoints.json")) else path
    return path if path.is_file() and is_video_path(path) else None


def iter_source_frames(path: Path, fps: float = DEFAULT_IMAGE_FOLDER_FPS) -> Iterator[TimedFrame]:
    """Frames of a video file, or of a folder of images (at ``fps``)."""
    if path.is_dir():
        return iter_image_folder(path, fps)
    return iter_video_frames(path)


def read_frames(
    path: Path, indices: Iterable[int], fps: float = DEFAULT_IMAGE_FOLDER_FPS
) -> dict[int, Frame]:
    """The frames with the given indices (those the file has), decoding it once in order."""
    wanted = {i for i in indices if i >= 0}
    found: dict[int, Frame] = {}
    if not wanted:
        return found
    last = max(wanted)
    if not path.is_dir():
        return _grab_video_frames(path, wanted, last)
    frames = iter_source_frames(path, fps)
    try:
        for tf in frames:
            if tf.index in wanted:
                found[tf.index] = tf.bgr.copy()
            if tf.index >= last:
                break
    finally:
        close_iterator(frames)
    return found


def close_iterator(frames: Iterator[TimedFrame]) -> None:
    """Release the decoder of a frame generator left before its end."""
    close = getattr(frames, "close", None)
    if callable(close):
        close()


def _grab_video_frames(path: Path, wanted: set[int], last: int) -> dict[int, Frame]:
    """Sequential decode; only the wanted frames are converted to pictures (``grab`` skips the
    colour conversion of the others), and decoding stops after the last one."""
    found: dict[int, Frame] = {}
    cap = open_capture(path)
    try:
        index = 0
        while index <= last and cap.grab():
            if index in wanted:
                ok, frame = cap.retrieve()
                if ok and frame is not None:
                    found[index] = ensure_bgr(frame)
            index += 1
    finally:
        cap.release()
    return found


def ensure_bgr(frame: npt.NDArray[Any]) -> Frame:
    """A decoded picture as 3-channel BGR (grey and BGRA files exist)."""
    if frame.ndim == 2:
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    if frame.shape[2] == 4:
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR), dtype=np.uint8)
    return np.asarray(frame, dtype=np.uint8)
