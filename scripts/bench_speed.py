"""Speed benchmark: decode, pose estimation and analysis on one real clip, in one run.

Usage: .venv/bin/python scripts/bench_speed.py [VIDEO] [--exercise squat]
Prints frames/s of each stage, the analysis cost as a share of pose time, and peak memory.
Run on purpose (make bench), never as a test: shared machines are noisy, so compare the
ratios printed by one run, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

from rich.console import Console
from rich.table import Table

from hamcoach.io.mediapipe_pose import estimate_track
from hamcoach.io.video import iter_video_frames, probe_video
from hamcoach.pipeline import analyze_track

DEFAULT_CLIP = (
    Path(__file__).resolve().parents[1].parent
    / "shared/eval/clips/RJ-song__MediapipePy_movement_detect/videos/squat.mp4"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("video", nargs="?", type=Path, default=DEFAULT_CLIP)
    ap.add_argument("--exercise", default="squat")
    ap.add_argument("--repeat", type=int, default=5, help="analysis repetitions (median kept)")
    args = ap.parse_args()
    info = probe_video(args.video)

    t0 = time.perf_counter()
    n_decoded = sum(1 for _ in iter_video_frames(args.video))
    decode_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    track = estimate_track(iter_video_frames(args.video), source=str(args.video), fps=info.fps)
    decode_pose_s = time.perf_counter() - t0
    pose_s = max(decode_pose_s - decode_s, 1e-9)
    rss_after_pose_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        analysis = analyze_track(track, args.exercise)
        times.append(time.perf_counter() - t0)
    analysis_s = statistics.median(times)
    tracemalloc.start()
    analyze_track(track, args.exercise)
    _, analysis_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    n = track.n_frames
    table = Table(
        title=f"{args.video.name}: {info.width}x{info.height}, {n} frames, {info.fps:.1f} fps"
    )
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    table.add_column("frames/s", justify="right")
    table.add_column("share of pose time", justify="right")
    table.add_row(
        "decode", f"{decode_s:.2f}", f"{n_decoded / decode_s:.0f}", f"{decode_s / pose_s:.1%}"
    )
    table.add_row("pose (BlazePose full)", f"{pose_s:.2f}", f"{n / pose_s:.0f}", "100%")
    table.add_row(
        "after pose (clean, features, view, reps, checks, audit)",
        f"{analysis_s:.3f}",
        f"{n / analysis_s:.0f}",
        f"{analysis_s / pose_s:.2%}",
    )
    console = Console()
    console.print(table)
    console.print(
        f"Reps counted: {analysis.audit.counts.reps}. "
        f"Peak RSS after pose: {rss_after_pose_mb:.0f} MB; "
        f"peak Python allocations during one analysis: {analysis_peak / 2**20:.1f} MB."
    )
    verdict = "meets" if analysis_s / pose_s < 0.02 else "MISSES"
    console.print(
        f"Analysis costs {analysis_s / pose_s:.2%} of pose time: {verdict} the 2% budget."
    )


if __name__ == "__main__":
    main()
