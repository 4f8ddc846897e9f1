"""Speed and memory: decode, pose and analysis frames/s on a real clip, the end-to-end audit as
a share of the pose-only ceiling in the same run, and memory over an hour of streamed frames.

Shared machines are noisy: compare the ratios printed by one run, not seconds across runs.
The end-to-end audit is timed first, from a cold start as a user's ``hamcoach audit`` (the pose
fork server not running yet); the pose-only split runs after it, with the fork server warm.

The same frames are also audited as a set-length clip: the clip played ``loops`` times end to
end (remuxed, not re-encoded, so every frame decodes and poses exactly as in the clip), from a
cold start in a fresh process. A 30 s clip pays the parallel audit's fixed start-up (about
1 s of a core) against 7 s of work; a set of 10-15 reps on camera lasts 1-2 minutes.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hamcoach.cleaning import CausalCleaner
from hamcoach.errors import UnreadableVideoError
from hamcoach.exercises import get_exercise
from hamcoach.features import compute_features
from hamcoach.io.mediapipe_pose import estimate_track
from hamcoach.io.parallel import (
    PARALLEL_DECODE_THREADS,
    estimate_video_parallel,
    main_script_hidden,
    pose_context,
)
from hamcoach.io.video import TimedFrame, iter_video_frames, probe_video
from hamcoach.pipeline import SetAnalyzer, analyze_track, prepare_track
from hamcoach.settings import DEFAULT_SETTINGS
from hamcoach.track import FloatArray, PoseTrack


@dataclass
class SpeedReport:
    clip: str
    width: int
    height: int
    frames: int
    decode_s: float
    pose_1proc_s: float
    pose_1proc_cpu_s: float  # CPU seconds of the 1-process decode + pose run (all threads)
    pose_1proc_wall_s: float  # wall seconds of the same run (decode included)
    pose_parallel_s: float
    e2e_parallel_s: float
    analysis_s: float
    workers: int
    reps: int
    peak_rss_mb: float
    # pose seconds (decoding excluded) of each of ``workers`` processes posing the whole clip
    # at the same time: the pose-only ceiling of this machine with every core busy
    pose_concurrent_s: list[float] = field(default_factory=list)
    stream: list[tuple[float, float]] = field(default_factory=list)  # (stream hours, MiB)
    stream_fps: float = 0.0
    # the clip played ``long_loops`` times end to end: its frames, the cold end-to-end audit's
    # seconds (fresh process) and reps, and a warm pose-only parallel run's seconds
    long_loops: int = 0
    long_frames: int = 0
    long_e2e_s: float = 0.0
    long_pose_parallel_s: float = 0.0
    long_reps: int = 0

    @property
    def decode_share_of_stage(self) -> float:
        """Share of one process's decode + pose time spent decoding: the strict ceiling
        (decoding excluded) is out of reach by at least this much, whatever the split."""
        return self.decode_s / self.pose_1proc_wall_s

    @property
    def cores_per_process(self) -> float:
        """Cores one decode + pose process keeps busy: the ceiling assumes 1 per process."""
        return self.pose_1proc_cpu_s / self.pose_1proc_wall_s

    @property
    def ceiling_fps(self) -> float:
        """The strict pose-only ceiling: ``workers`` x one process's pose rate, decoding
        excluded."""
        return self.workers * self.frames / self.pose_1proc_s

    @property
    def stage_ceiling_fps(self) -> float:
        """The pose-only stage's ceiling: ``workers`` x one process's decode + pose rate."""
        return self.workers * self.frames / self.pose_1proc_wall_s

    @property
    def concurrent_ceiling_fps(self) -> float:
        """Frames/s of pose alone (decoding excluded) when every worker poses at once: the
        sum of each process's rate. Below ``workers`` x one process alone by what the
        processes cost each other (shared caches and memory bandwidth of one machine)."""
        return sum(self.frames / p for p in self.pose_concurrent_s)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """The table: decode, pose and the ceilings; the parallel runs as shares of the strict
        ceiling (pose alone, decoding excluded) and of the pipeline's own ceiling (decode +
        pose, the whole pose-only stage, as one process runs it)."""
        n = self.frames
        ceiling_fps, stage_ceiling_fps = self.ceiling_fps, self.stage_ceiling_fps
        return [
            ("decode (1 process)", f"{self.decode_s:.2f}", f"{n / self.decode_s:.0f}", ""),
            ("pose, 1 process", f"{self.pose_1proc_s:.2f}", f"{n / self.pose_1proc_s:.0f}", ""),
            (
                "CPU of that process (decode + pose, CPU s)",
                f"{self.pose_1proc_cpu_s:.2f}",
                "",
                f"{self.cores_per_process:.2f} cores",
            ),
            (
                f"pose-only ceiling ({self.workers} x 1 process)",
                "",
                f"{ceiling_fps:.0f}",
                "100%",
            ),
            (
                f"pose only, {self.workers} processes (warm start)",
                f"{self.pose_parallel_s:.2f}",
                f"{n / self.pose_parallel_s:.0f}",
                f"{n / self.pose_parallel_s / ceiling_fps:.0%}",
            ),
            (
                f"end-to-end audit, {self.workers} processes (cold start)",
                f"{self.e2e_parallel_s:.2f}",
                f"{n / self.e2e_parallel_s:.0f}",
                f"{n / self.e2e_parallel_s / ceiling_fps:.0%}",
            ),
            (
                f"pose-only stage ceiling, decode included ({self.workers} x 1 process)",
                "",
                f"{stage_ceiling_fps:.0f}",
                f"{self.decode_share_of_stage:.0%} of it decoding",
            ),
            (
                "end-to-end audit against the stage ceiling",
                "",
                "",
                f"{n / self.e2e_parallel_s / stage_ceiling_fps:.0%}",
            ),
            *self._concurrent_rows(),
            *self._long_rows(),
            (
                "after pose (clean..audit), 1 process",
                f"{self.analysis_s:.3f}",
                f"{n / self.analysis_s:.0f}",
                f"{self.analysis_s / self.pose_1proc_s:.2%} of pose time",
            ),
        ]

    def _concurrent_rows(self) -> list[tuple[str, str, str, str]]:
        if not self.pose_concurrent_s:
            return []
        n = self.frames
        fps = self.concurrent_ceiling_fps
        alone = self.ceiling_fps
        return [
            (
                f"pose-only ceiling, {self.workers} processes posing at once (decode excluded)",
                "",
                f"{fps:.0f}",
                f"{fps / alone:.0%} of {self.workers} x 1 process",
            ),
            (
                "end-to-end audit against the concurrent ceiling",
                "",
                "",
                f"{n / self.e2e_parallel_s / fps:.0%}",
            ),
        ]

    def _long_rows(self) -> list[tuple[str, str, str, str]]:
        """The set-length clip against the same ceilings: its frames are the clip's own."""
        if not self.long_frames:
            return []
        n = self.long_frames
        strict, stage = self.ceiling_fps, self.stage_ceiling_fps
        what = f"{self.long_loops} x the clip, {n} frames"
        rows = [
            (
                f"pose only, {self.workers} processes (warm start), {what}",
                f"{self.long_pose_parallel_s:.2f}",
                f"{n / self.long_pose_parallel_s:.0f}",
                f"{n / self.long_pose_parallel_s / strict:.0%}",
            ),
            (
                f"end-to-end audit, {self.workers} processes (cold start), {what}",
                f"{self.long_e2e_s:.2f}",
                f"{n / self.long_e2e_s:.0f}",
                f"{n / self.long_e2e_s / strict:.0%}",
            ),
            (
                f"end-to-end audit against the stage ceiling, {what}",
                "",
                "",
                f"{n / self.long_e2e_s / stage:.0%}",
            ),
        ]
        if self.pose_concurrent_s:
            rows.append(
                (
                    f"end-to-end audit against the concurrent ceiling, {what}",
                    "",
                    "",
                    f"{n / self.long_e2e_s / self.concurrent_ceiling_fps:.0%}",
                )
            )
        return rows


def loop_clip(src: Path, dst: Path, loops: int) -> None:
    """Write ``src``'s video stream ``loops`` times end to end into ``dst``, packets copied
    with shifted time stamps (no re-encoding: every frame decodes as in ``src``)."""
    import av  # PyAV: only this benchmark remuxes

    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        ist = inp.streams.video[0]
        ost = out.add_stream_from_template(ist)
        kept = []  # (packet, its pts, its dts); the demuxer's final flush packet has none
        for p in inp.demux(ist):
            if p.pts is not None and p.dts is not None:
                kept.append((p, p.pts, p.dts))
        pts = sorted(pt for _, pt, _ in kept)
        if len(pts) < 2:
            raise UnreadableVideoError(f"{src.name} has fewer than 2 frames: nothing to loop.")
        span = pts[-1] - pts[0] + (pts[1] - pts[0])  # one frame period after the last frame
        for k in range(loops):
            for p, pt, dt in kept:
                p.pts, p.dts = pt + k * span, dt + k * span
                p.stream = ost
                out.mux(p)


def time_cold_audit(path: Path, exercise: str, workers: int) -> tuple[float, int, int]:
    """Audit ``path`` in a fresh process, as a user's ``hamcoach audit`` (pose stack imported,
    fork server not started): (seconds from the video to the audit, frames, reps)."""
    code = "from hamcoach.bench.speed import _print_cold_audit; _print_cold_audit()"
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), exercise, str(workers)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    return float(figures["seconds"]), int(figures["frames"]), int(figures["reps"])


def _print_cold_audit() -> None:
    """Entry point of :func:`time_cold_audit`'s process: one JSON line on stdout."""
    path, exercise, workers = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    t0 = time.perf_counter()
    track = estimate_video_parallel(path, workers)
    audit = analyze_track(track, exercise).audit
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "frames": track.n_frames, "reps": audit.counts.reps}))


def bench_long_clip(report: SpeedReport, path: Path, exercise: str, loops: int) -> None:
    """Fill ``report``'s set-length figures: ``path`` looped ``loops`` times, audited from a
    cold start in a fresh process, then posed in parallel here (warm). The looped file lives
    in a temporary folder, deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="hamcoach-bench-") as tmp:
        long_path = Path(tmp) / f"looped{path.suffix}"
        loop_clip(path, long_path, loops)
        e2e, frames, reps = time_cold_audit(long_path, exercise, report.workers)
        t0 = time.perf_counter()
        estimate_video_parallel(long_path, report.workers)
        report.long_pose_parallel_s = time.perf_counter() - t0
    report.long_loops, report.long_frames, report.long_e2e_s, report.long_reps = (
        loops,
        frames,
        e2e,
        reps,
    )


def timed_pose_pass(path: str) -> tuple[int, float, float]:
    """Pose every frame of ``path`` in this process: (frames, seconds spent decoding, seconds
    in all). Decoding is timed around the frame iterator, so pose time = all - decoding."""
    decoding = 0.0
    # one decoding thread, as each process of the parallel audit decodes
    frames = iter_video_frames(Path(path), decode_threads=PARALLEL_DECODE_THREADS)

    def timed() -> Iterator[TimedFrame]:
        nonlocal decoding
        while True:
            t0 = time.perf_counter()
            try:
                frame = next(frames)
            except StopIteration:
                return
            decoding += time.perf_counter() - t0
            yield frame

    t0 = time.perf_counter()
    track = estimate_track(timed(), source=path, fps=probe_video(Path(path)).fps or 30.0)
    return track.n_frames, decoding, time.perf_counter() - t0


def pose_concurrently(path: Path, workers: int) -> list[float]:
    """Each of ``workers`` fresh processes poses the whole clip, all at once; their pose
    seconds (decoding excluded)."""
    ctx = pose_context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as ex:
        # start the processes first, so that the timed passes overlap from their first frame
        list(ex.map(_warm, range(workers)))
        with main_script_hidden():
            passes = list(ex.map(timed_pose_pass, [str(path)] * workers))
    return [total - decoding for _, decoding, total in passes]


def _warm(_: int) -> None:
    """Nothing: makes the pool start its process."""


def _time_decode(path: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    n = sum(1 for _ in iter_video_frames(path))
    return time.perf_counter() - t0, n


def bench_clip(path: Path, exercise: str, workers: int = 2, repeat: int = 5) -> SpeedReport:
    """Measure one real clip: every figure comes from this one run."""
    info = probe_video(path)
    decode_s, _ = _time_decode(path)
    t0, cpu0 = time.perf_counter(), time.process_time()
    track = estimate_track(iter_video_frames(path), source=str(path), fps=info.fps or 30.0)
    pose_1_wall, pose_1_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    pose_1 = pose_1_wall - decode_s
    t0 = time.perf_counter()  # first: a cold start, as a user's audit
    par_track = estimate_video_parallel(path, workers)
    audit = analyze_track(par_track, exercise).audit
    e2e = time.perf_counter() - t0
    t0 = time.perf_counter()
    estimate_video_parallel(path, workers)
    pose_par = time.perf_counter() - t0
    concurrent = pose_concurrently(path, workers) if workers > 1 else []
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        analyze_track(track, exercise)
        times.append(time.perf_counter() - t0)
    return SpeedReport(
        clip=path.name,
        width=info.width,
        height=info.height,
        frames=track.n_frames,
        decode_s=decode_s,
        pose_1proc_s=pose_1,
        pose_1proc_cpu_s=pose_1_cpu,
        pose_1proc_wall_s=pose_1_wall,
        pose_parallel_s=pose_par,
        e2e_parallel_s=e2e,
        analysis_s=statistics.median(times),
        pose_concurrent_s=concurrent,
        workers=workers,
        reps=audit.counts.reps,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def _tiled_frames(track: PoseTrack, hours: float) -> Iterator[tuple[float, FloatArray, FloatArray]]:
    """The track's frames repeated end to end for ``hours`` of stream time."""
    period = track.duration_s + 1.0 / track.fps
    total = int(hours * 3600 * track.fps)
    for i in range(total):
        k, j = divmod(i, track.n_frames)
        yield k * period + float(track.t_s[j] - track.t_s[0]), track.image[j], track.confidence[j]


def bench_stream(
    track: PoseTrack, exercise: str, hours: float = 1.0
) -> tuple[float, list[tuple[float, float]]]:
    """Stream ``hours`` of frames through the live path (causal cleaning, per-frame features,
    the set analyzer); return frames/s and traced memory (MiB) sampled every 10 minutes."""
    spec = get_exercise(exercise)
    view = prepare_track(track.slice(0, min(track.n_frames, 300))).view
    cleaner = CausalCleaner(DEFAULT_SETTINGS.cleaning)
    analyzer = SetAnalyzer(spec, view, DEFAULT_SETTINGS, keep_reps=False)
    samples: list[tuple[float, float]] = []
    every = int(600 * track.fps)
    tracemalloc.start()
    t0 = time.perf_counter()
    n = 0
    for t, image, conf in _tiled_frames(track, hours):
        clean = cleaner.push(image, conf, t)
        row = compute_features(clean[None], conf[None], np.array([t]))[0]
        analyzer.push(row, n)
        if n % every == 0:
            samples.append((t / 3600, tracemalloc.get_traced_memory()[0] / 2**20))
        n += 1
    elapsed = time.perf_counter() - t0
    samples.append((hours, tracemalloc.get_traced_memory()[0] / 2**20))
    tracemalloc.stop()
    return n / elapsed, samples


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))
