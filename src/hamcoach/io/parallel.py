"""Pose estimation of one video split across processes (both cores of a small machine).

The video is cut into contiguous frame ranges, one per worker. Each worker decodes the file
sequentially from the start (never seeking: some files return wrong frames when seeked),
skipping the frames before its range, which costs little because decoding runs an order of
magnitude faster than the pose model, and tracks its range with its own BlazePose instance.
The ranges are stitched back in order; at each seam the next worker starts with a fresh
detection, exactly as after a lost track.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from pathlib import Path

import numpy as np

from hamcoach.io.mediapipe_pose import PoseOptions, estimate_track
from hamcoach.io.video import TimedFrame, iter_video_frames, probe_video
from hamcoach.track import PoseTrack

# Below this many frames a single process is faster than starting workers.
MIN_FRAMES_PER_WORKER = 150


def pose_context() -> BaseContext:
    """A process context safe for MediaPipe and quick to start: a fork server that has imported
    the pose stack once (never run it), so workers neither re-import it (spawn's cost) nor
    inherit a running MediaPipe graph (plain fork's crash)."""
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(["hamcoach.io.mediapipe_pose", "mediapipe", "cv2", "numpy"])
    return ctx


def frame_ranges(n_frames: int, workers: int) -> list[tuple[int, int]]:
    """Split [0, n_frames) into ``workers`` contiguous ranges of near-equal length."""
    bounds = np.linspace(0, n_frames, workers + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in itertools.pairwise(bounds) if b > a]


def _frames_in(path: Path, start: int, stop: int | None) -> Iterator[TimedFrame]:
    for fr in iter_video_frames(path):
        if fr.index < start:
            continue
        if stop is not None and fr.index >= stop:
            return
        yield fr


def _pose_chunk(args: tuple[str, int, int | None, float, PoseOptions]) -> PoseTrack:
    path, start, stop, fps, options = args
    return estimate_track(
        _frames_in(Path(path), start, stop), source=path, fps=fps, options=options
    )


def concat_tracks(parts: list[PoseTrack]) -> PoseTrack:
    """Join consecutive pieces of one video's track."""
    first = parts[0]
    world = None
    if all(p.world is not None for p in parts):
        world = np.concatenate([p.world for p in parts if p.world is not None])
    recovery: dict[str, int] = {}
    for p in parts:
        for k, v in p.meta.get("pose_recovery", {}).items():
            recovery[k] = recovery.get(k, 0) + int(v)
    return first.replace(
        image=np.concatenate([p.image for p in parts]),
        confidence=np.concatenate([p.confidence for p in parts]),
        t_s=np.concatenate([p.t_s for p in parts]),
        world=world,
        meta={**first.meta, "pose_recovery": recovery, "pose_chunks": len(parts)},
    )


def estimate_video_parallel(
    path: Path,
    workers: int = 2,
    options: PoseOptions | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> PoseTrack:
    """BlazePose over every frame of ``path`` using ``workers`` processes."""
    options = options or PoseOptions()
    info = probe_video(path)
    fps = info.fps or 30.0
    n = info.frame_count_header
    if workers <= 1 or n < 2 * MIN_FRAMES_PER_WORKER:
        return estimate_track(iter_video_frames(path), source=str(path), fps=fps, options=options)
    ranges = frame_ranges(n, workers)
    jobs: list[tuple[str, int, int | None, float, PoseOptions]] = [
        (str(path), a, b if i < len(ranges) - 1 else None, fps, options)
        for i, (a, b) in enumerate(ranges)
    ]  # the last range runs to the true end: header frame counts can be wrong
    with ProcessPoolExecutor(max_workers=workers, mp_context=pose_context()) as ex:
        parts = []
        for part in ex.map(_pose_chunk, jobs):
            parts.append(part)
            if on_chunk is not None:
                on_chunk(part.n_frames)
    parts = [p for p in parts if p.n_frames > 0]
    return concat_tracks(parts)
