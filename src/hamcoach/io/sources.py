"""One entry point from any input path (or webcam index) to a :class:`PoseTrack`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hamcoach.errors import InputNotFoundError, NoPersonError, UnreadableVideoError
from hamcoach.io import importers
from hamcoach.io.mediapipe_pose import PoseOptions, estimate_track
from hamcoach.io.parallel import estimate_video_parallel
from hamcoach.io.video import (
    DEFAULT_IMAGE_FOLDER_FPS,
    iter_camera_frames,
    iter_image_folder,
    iter_video_frames,
    list_image_files,
    probe_video,
)
from hamcoach.track import PoseTrack, load_track

ProgressFn = Callable[[int, int], None]
"""Called with (frames done, frames expected or 0 when unknown)."""

# Fraction of the header's frame count below which a decoded video is reported as truncated.
TRUNCATION_RATIO = 0.9


def track_from_video(
    path: Path,
    options: PoseOptions | None = None,
    progress: ProgressFn | None = None,
    workers: int = 1,
) -> PoseTrack:
    """Decode ``path`` and run pose estimation on every frame (``workers`` processes)."""
    info = probe_video(path)
    expected = info.frame_count_header
    meta = {"rotation_deg": info.rotation_deg, "frame_count_header": expected}
    if workers > 1:
        done = [0]

        def on_chunk(n: int) -> None:
            done[0] += n
            if progress is not None:
                progress(done[0], expected)

        track = estimate_video_parallel(path, workers, options, on_chunk)
        track.meta.update(meta)
    else:

        def on_frame(i: int) -> None:
            if progress is not None:
                progress(i + 1, expected)

        track = estimate_track(
            iter_video_frames(path),
            source=str(path),
            fps=info.fps or 30.0,
            options=options,
            on_frame=on_frame,
            meta=meta,
        )
    warnings: list[str] = []
    if expected > 0 and track.n_frames < TRUNCATION_RATIO * expected:
        warnings.append(
            f"The video decoded {track.n_frames} frames but its header announces {expected}: "
            "the file may be truncated; the audit covers the decodable part."
        )
    track.meta["warnings"] = warnings
    require_person(track)
    return track


def track_from_image_folder(
    folder: Path,
    fps: float = DEFAULT_IMAGE_FOLDER_FPS,
    options: PoseOptions | None = None,
    progress: ProgressFn | None = None,
) -> PoseTrack:
    n = len(list_image_files(folder)) if folder.is_dir() else 0

    def on_frame(i: int) -> None:
        if progress is not None:
            progress(i + 1, n)

    track = estimate_track(
        iter_image_folder(folder, fps),
        source=str(folder),
        fps=fps,
        options=options,
        on_frame=on_frame,
    )
    require_person(track)
    return track


def track_from_camera(
    index: int, max_seconds: float, options: PoseOptions | None = None
) -> PoseTrack:
    track = estimate_track(
        iter_camera_frames(index, max_seconds), source=f"camera:{index}", fps=30.0, options=options
    )
    require_person(track)
    return track


def require_person(track: PoseTrack, min_fraction: float = 0.05) -> None:
    """Raise :class:`NoPersonError` when a person is visible in too few frames to analyse."""
    if track.n_frames == 0:
        raise UnreadableVideoError(f"{Path(track.source).name} has no frames.")
    found = float(track.detected.mean())
    if found < min_fraction:
        raise NoPersonError(
            f"No person was found in {Path(track.source).name} "
            f"(a body was detected in {found:.0%} of {track.n_frames} frames)."
        )


def load_any(
    path_or_camera: str,
    options: PoseOptions | None = None,
    progress: ProgressFn | None = None,
    camera_seconds: float = 60.0,
    width: int | None = None,
    height: int | None = None,
    fps: float | None = None,
    workers: int = 1,
) -> PoseTrack:
    """A pose track from a saved track, a keypoint file, an image folder, a video, or ``camera:N``.

    ``width``, ``height`` and ``fps`` describe imported keypoint files (normalized MediaPipe
    exports need the frame size); they are ignored for videos, which carry their own.
    """
    kp_fps = fps if fps is not None else importers.DEFAULT_FPS
    if path_or_camera.startswith("camera:") or path_or_camera.isdigit():
        return track_from_camera(
            int(path_or_camera.rsplit(":", maxsplit=1)[-1]), camera_seconds, options
        )
    path = Path(path_or_camera)
    if not path.exists():
        raise InputNotFoundError(f"File not found: {path}")
    if path.is_dir():
        if any(path.glob("*_keypoints.json")):
            return importers.import_openpose_folder(path, width=width, height=height, fps=kp_fps)
        return track_from_image_folder(
            path, fps=fps or DEFAULT_IMAGE_FOLDER_FPS, options=options, progress=progress
        )
    suffix = path.suffix.lower()
    if suffix == ".npz":
        return load_track(path)
    if suffix in importers.KEYPOINT_SUFFIXES:
        return importers.import_keypoints(path, width=width, height=height, fps=kp_fps)
    return track_from_video(path, options, progress, workers)
