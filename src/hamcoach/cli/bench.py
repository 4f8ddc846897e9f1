"""``hamcoach bench speed`` (and, with the synthetic suite, ``hamcoach bench accuracy``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console(highlight=False)

DEFAULT_CLIP = Path("../shared/eval/clips/RJ-song__MediapipePy_movement_detect/videos/squat.mp4")


def register(app: typer.Typer) -> None:
    bench = typer.Typer(help="Benchmarks (run on purpose; compare ratios within one run).")
    app.add_typer(bench, name="bench")

    @bench.command()
    def speed(
        clip: Path = typer.Argument(DEFAULT_CLIP, help="A real video (720p recommended)."),
        exercise: str = typer.Option("squat", "--exercise", "-e"),
        hours: float = typer.Option(1.0, help="Hours of frames to stream for the memory check."),
        json_out: Path = typer.Option(None, "--json", help="Also write the figures as JSON."),
    ) -> None:
        """Frames/s of decode, pose and analysis; end-to-end audit vs the pose-only ceiling;
        memory over an hour of streamed frames.

        Example: hamcoach bench speed my_squats.mp4 --exercise squat --hours 1
        """
        from hamcoach.bench.speed import bench_clip, bench_stream, default_workers
        from hamcoach.io.mediapipe_pose import estimate_track
        from hamcoach.io.video import iter_video_frames, probe_video

        report = bench_clip(clip, exercise, default_workers())
        table = Table(
            title=f"{report.clip}: {report.width}x{report.height}, {report.frames} frames, "
            f"{report.reps} reps"
        )
        for col in ("stage", "seconds", "frames/s", "share"):
            table.add_column(col, justify="left" if col == "stage" else "right")
        for row in report.rows():
            table.add_row(*row)
        console.print(table)
        track = estimate_track(
            iter_video_frames(clip), source=str(clip), fps=probe_video(clip).fps or 30.0
        )
        fps, samples = bench_stream(track, exercise, hours)
        report.stream, report.stream_fps = samples, fps
        mem = Table(title=f"Live path over {hours:g} h of streamed frames ({fps:.0f} frames/s)")
        mem.add_column("stream time (h)", justify="right")
        mem.add_column("traced memory (MiB)", justify="right")
        for h, mib in samples:
            mem.add_row(f"{h:.2f}", f"{mib:.2f}")
        console.print(mem)
        growth = samples[-1][1] - samples[1][1] if len(samples) > 2 else 0.0
        console.print(
            f"Peak RSS {report.peak_rss_mb:.0f} MB; memory growth after the first 10 minutes: "
            f"{growth:+.2f} MiB."
        )
        if json_out is not None:
            json_out.write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
