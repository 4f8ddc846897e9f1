"""Pose estimation of one video split across processes (both cores of a small machine).

The video is cut into contiguous frame ranges, one per worker. This process poses the first
range itself while worker processes pose the others, so it never waits for a worker to start.
Each worker jumps to the last key frame before its range (read from the file's packets,
:func:`hamcoach.io.video.key_frames`; a jump that does not land exactly falls back to decoding
from the start), decodes the frames up to its range without converting them, and tracks its
range with its own BlazePose instance. The ranges are sized so that every worker finishes at
the same time: a worker that must start a process and skip more frames poses fewer. The ranges
depend only on the video's size, frame count and key frames, so the result does not vary from
run to run. They are stitched back in order; at each seam the next worker starts
with a fresh detection, exactly as after a lost track.
"""

from __future__ import annotations

import itertools
import sys
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import NamedTuple

import numpy as np

from hamcoach.errors import PoseBackendError
from hamcoach.io.mediapipe_pose import PoseOptions, estimate_track
from hamcoach.io.video import KeyFrame, TimedFrame, iter_video_frames, key_frames, probe_video
from hamcoach.track import PoseTrack

# Below this many frames a single process is faster than starting workers.
MIN_FRAMES_PER_WORKER = 150

# Costs below are in "posed frames": the time one process takes to decode and pose one frame
# (13.7 ms for a 720p H.264 clip on the 2-core reference machine, `hamcoach bench speed`).
# Skipping (decode without colour conversion, `grab`) a 720p frame takes 0.45 ms alone and
# about 0.9 ms while another process poses on the other core: 0.9 / 13.7 posed frames.
SKIP_COST_720P = 0.066
PIXELS_720P = 1280 * 720
# A worker's start before it decodes its first frame, beyond the graph start-up every worker
# (this process included) pays: 0.49 s (36 posed frames) when the fork server must first start
# and import the pose stack, once per process, as in every `hamcoach audit`; 0.01 s once it
# runs (a long-lived server), where the worker then finishes ~0.25 s early. One figure for
# both keeps the seams, hence the track, the same from run to run.
WORKER_START_COST = 36.0


# Each chunk decodes on one thread: every core already runs a pose process, and FFmpeg's own
# decoding threads (one per core by default) only fight them [bench speed, 720p clip: two
# processes pose the whole clip in 6.7 s instead of 7.0 s warm, 7.5 s instead of 7.8 s cold].
PARALLEL_DECODE_THREADS = 1


class ChunkJob(NamedTuple):
    """One worker's share: frames [start, stop) of ``path`` (``stop`` None: to the end),
    decoded from the last of the file's ``keys`` at or before ``start``."""

    path: str
    start: int
    stop: int | None
    fps: float
    options: PoseOptions
    keys: tuple[KeyFrame, ...] = ()


def pose_context() -> BaseContext:
    """A process context safe for MediaPipe and quick to start: a fork server that has imported
    the pose stack once (never run it), so workers neither re-import it (spawn's cost) nor
    inherit a running MediaPipe graph (plain fork's crash)."""
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(["hamcoach.io.mediapipe_pose", "mediapipe", "cv2", "numpy"])
    return ctx


def skip_cost(width: int, height: int) -> float:
    """Cost of skipping one frame of ``width`` x ``height`` pixels, in posed frames (decoding
    grows with the pixel count; posing hardly does: frames are downscaled first)."""
    return SKIP_COST_720P * max(width * height, 1) / PIXELS_720P


def balanced_frame_ranges(
    n_frames: int,
    workers: int,
    skip: float = 0.0,
    start: float = 0.0,
    keys: Sequence[int] = (),
) -> list[tuple[int, int]]:
    """Split [0, n_frames) into at most ``workers`` contiguous ranges that finish together.

    Worker 0 (this process) poses its range at once. Worker k > 0 first pays ``start`` and
    skips the frames between the last key frame at or before its range (``keys``, frame
    indices; none: the first frame) and its range at ``skip`` each (both in posed frames), so
    with every worker finishing at time ``T``: ``L_0 = T`` and
    ``L_k = T - start - skip * (a_k - key(a_k))``. With no costs the ranges are of near-equal
    length. Empty ranges are dropped.
    """
    if n_frames <= 0 or workers <= 0:
        return []
    starts = sorted(k for k in keys if k > 0)

    def bounds_for(t: float) -> list[float]:  # where each range ends if all finish at t
        out = [0.0, t]
        for _ in range(workers - 1):
            a = out[-1]
            key = starts[bisect_right(starts, a) - 1] if starts and starts[0] <= a else 0
            out.append(a + max(t - start - skip * (a - key), 0.0))
        return out

    lo, hi = 0.0, float(n_frames)
    for _ in range(60):  # the last bound grows with t: bisect t until it reaches n_frames
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if bounds_for(mid)[-1] < n_frames else (lo, mid)
    bounds = [*bounds_for(hi)[:-1], float(n_frames)]
    edges = np.clip(np.maximum.accumulate(np.round(bounds)), 0, n_frames).astype(int)
    edges[-1] = n_frames
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges) if b > a]


def chunk_jobs(
    path: Path,
    ranges: list[tuple[int, int]],
    fps: float,
    options: PoseOptions,
    keys: Sequence[KeyFrame] = (),
) -> list[ChunkJob]:
    """One job per range, each with the file's key frames (the reader picks the one to start
    from); the last runs to the true end (header frame counts can be wrong)."""
    last = len(ranges) - 1
    return [
        ChunkJob(str(path), a, b if i < last else None, fps, options, tuple(keys))
        for i, (a, b) in enumerate(ranges)
    ]


def _frames_in(
    path: Path, start: int, stop: int | None, keys: Sequence[KeyFrame] = ()
) -> Iterator[TimedFrame]:
    frames = iter_video_frames(path, start=start, decode_threads=PARALLEL_DECODE_THREADS, keys=keys)
    for fr in frames:
        if stop is not None and fr.index >= stop:
            return
        yield fr


def pose_chunk(job: ChunkJob) -> PoseTrack:
    """The track of one job's frames (a fresh detection on its first frame)."""
    return estimate_track(
        _frames_in(Path(job.path), job.start, job.stop, job.keys),
        source=job.path,
        fps=job.fps,
        options=job.options,
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


@contextmanager
def main_script_hidden() -> Iterator[None]:
    """While worker processes start, hide the main script from multiprocessing, which would
    otherwise re-run it in each worker before its job: the ``hamcoach`` command's script
    imports the whole CLI (about 1 s of a core, taken from the pose running on the other one).
    The workers only run :func:`pose_chunk`, which they import by its module's name."""
    with _MAIN_LOCK:  # concurrent audits (the web server) must not save each other's hiding
        yield from _hide_main()


_MAIN_LOCK = threading.Lock()


def _hide_main() -> Iterator[None]:
    main = sys.modules["__main__"]
    saved: dict[str, object] = {
        k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__
    }
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def _submit_all(ex: ProcessPoolExecutor, jobs: list[ChunkJob]) -> list[Future[PoseTrack]]:
    """Hand the jobs to the worker processes (starting them), main script hidden."""
    with main_script_hidden():
        return [ex.submit(pose_chunk, job) for job in jobs]


def _pose_jobs(jobs: list[ChunkJob], on_chunk: Callable[[int], None] | None) -> list[PoseTrack]:
    """Pose the first job here while worker processes pose the others; parts in order."""
    parts: list[PoseTrack] = []

    def keep(part: PoseTrack) -> None:
        parts.append(part)
        if on_chunk is not None:
            on_chunk(part.n_frames)

    with (
        ProcessPoolExecutor(max_workers=len(jobs) - 1, mp_context=pose_context()) as ex,
        ThreadPoolExecutor(max_workers=1) as starter,
    ):
        # Starting a worker waits for the fork server to import the pose stack (~0.4 s): a
        # thread does it while this process poses its own range at once.
        submitted = starter.submit(_submit_all, ex, jobs[1:])
        keep(pose_chunk(jobs[0]))
        futures = submitted.result()
        for future in futures:
            try:
                keep(future.result())
            except BrokenProcessPool as exc:
                raise PoseBackendError(
                    "A pose worker process stopped unexpectedly (out of memory?). "
                    "Close other programs and run the audit again."
                ) from exc
    return parts


def estimate_video_parallel(
    path: Path,
    workers: int = 2,
    options: PoseOptions | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> PoseTrack:
    """BlazePose over every frame of ``path`` using ``workers`` processes (this one included)."""
    options = options or PoseOptions()
    info = probe_video(path)
    fps = info.fps or 30.0
    n = info.frame_count_header
    if workers > 1 and n >= 2 * MIN_FRAMES_PER_WORKER:
        keys = key_frames(path)
        skip = skip_cost(info.width, info.height)
        ranges = balanced_frame_ranges(n, workers, skip, WORKER_START_COST, [k.index for k in keys])
        if len(ranges) >= 2:
            parts = _pose_jobs(chunk_jobs(path, ranges, fps, options, keys), on_chunk)
            return concat_tracks([p for p in parts if p.n_frames > 0])
    return estimate_track(iter_video_frames(path), source=str(path), fps=fps, options=options)
