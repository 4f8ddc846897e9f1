"""``hamcoach bench speed`` (and, with the synthetic suite, ``hamcoach bench accuracy``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

console = Console(highlight=False)

DEFAULT_CLIP = Path("../shared/eval/clips/RJ-song__MediapipePy_movement_detect/videos/squat.mp4")


def register(app: typer.Typer) -> None:
    bench = typer.Typer(help="Benchmarks (run on purpose; compare ratios within one run).")
    app.add_typer(bench, name="bench")

    @bench.command()
    def accuracy(
        quick: bool = typer.Option(False, "--quick", help="Small suite (CI, under 2 minutes)."),
        size: int = typer.Option(
            None, help="Number of synthetic sets (default 36 quick, 600 full)."
        ),
        seed: int = typer.Option(0, help="Seed of the synthetic suite."),
        eval_dir: Path = typer.Option(
            Path("../shared/eval"), help="Labelled real clips (skipped when absent)."
        ),
        json_out: Path = typer.Option(None, "--json", help="Also write the figures as JSON."),
        margins: bool = typer.Option(
            False,
            "--margins",
            help="Also sweep every check's fault magnitude and partial ranges (about 3 minutes).",
        ),
    ) -> None:
        """Rep counts, per-check precision/recall/F1 by view and angle RMSE on the seeded
        synthetic suite, with the real-clip evaluation beside it; with --margins, where each
        check's line really is (fail share per fault magnitude and view) and which partial
        ranges get counted.

        Example: hamcoach bench accuracy --quick --json accuracy.json
        """
        from hamcoach.bench.accuracy import (
            FULL_SIZE,
            QUICK_SIZE,
            run_synthetic,
            summarize_synthetic,
        )
        from hamcoach.bench.speed import default_workers
        from hamcoach.evaluation.report import render_summary

        n = size or (QUICK_SIZE if quick else FULL_SIZE)
        results = run_synthetic(n, seed, default_workers())
        synth = summarize_synthetic(results)
        render_synthetic(synth)
        sweeps = None
        if margins:
            from hamcoach.bench.margins import run_sweeps, summarize_sweeps

            sweeps = summarize_sweeps(run_sweeps(seed, default_workers()))
            render_margins(sweeps)
        real = None
        if (eval_dir / "labels.json").exists():
            from hamcoach.evaluation.metrics import summarize
            from hamcoach.evaluation.runner import run_evaluation

            real = summarize(run_evaluation(eval_dir, workers=default_workers()))
            console.rule("Real labelled clips")
            render_summary(real, console)
        if json_out is not None:
            figures = {"synthetic": synth, "real": real}
            if sweeps is not None:
                figures["margins"] = sweeps
            json_out.write_text(json.dumps(figures, indent=2))

    @bench.command()
    def speed(
        clip: Path = typer.Argument(DEFAULT_CLIP, help="A real video (720p recommended)."),
        exercise: str = typer.Option("squat", "--exercise", "-e"),
        hours: float = typer.Option(1.0, help="Hours of frames to stream for the memory check."),
        loops: int = typer.Option(
            4,
            min=0,
            help="Also audit the clip played this many times end to end (a set-length video; "
            "0: skip).",
        ),
        json_out: Path = typer.Option(None, "--json", help="Also write the figures as JSON."),
    ) -> None:
        """Frames/s of decode, pose and analysis; end-to-end audit vs the pose-only ceiling,
        on the clip and on the clip looped to a set's length; memory over an hour of streamed
        frames.

        Example: hamcoach bench speed my_squats.mp4 --exercise squat --hours 1
        """
        from hamcoach.bench.speed import (
            bench_clip,
            bench_long_clip,
            bench_stream,
            default_workers,
        )
        from hamcoach.io.mediapipe_pose import estimate_track
        from hamcoach.io.video import iter_video_frames, probe_video

        report = bench_clip(clip, exercise, default_workers())
        if loops > 1:
            bench_long_clip(report, clip, exercise, loops)
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


def _angle_table(angles: dict[str, Any]) -> Table:
    """Side-view knee and hip angle RMSE: all sets, then per noise level, per stage, and per
    noise level and band of the camera's elevation over the hips."""
    t = Table(title="Synthetic suite: side-view angle RMSE against the true angles (deg)")
    for col in ("sets", "knee", "hip", "hip vs signed truth", "frames", "no-angle frames"):
        t.add_column(col, justify="left" if col == "sets" else "right", no_wrap=True)

    def fmt(v: object) -> str:
        return "-" if v is None else str(v)

    rows = [("all", angles)]
    rows += [(f"noise {k}", v) for k, v in angles.get("by_noise", {}).items()]
    rows += [(f"stage {k}", v) for k, v in angles.get("by_stage", {}).items()]
    rows += [
        (f"noise {k.replace('/', ', camera ')} deg above the hips", v)
        for k, v in angles.get("by_noise_elevation", {}).items()
    ]
    for name, a in rows:
        t.add_row(
            name,
            fmt(a.get("knee")),
            fmt(a.get("hip")),
            fmt(a.get("hip_vs_signed_truth")),
            fmt(a.get("hip_frames")),
            fmt(a.get("hip_no_angle_frames")),
        )
    return t


def render_synthetic(summary: dict[str, object]) -> None:
    """Tables of the synthetic-suite summary."""
    counting = summary["counting"]
    checks = summary["checks"]
    assert isinstance(counting, dict) and isinstance(checks, dict)
    t = Table(title=f"Synthetic suite: rep counting ({summary['sets']} sets)")
    for col in (
        "stage/view",
        "sets",
        "exact %",
        "off-by-one %",
        "MAE",
        "exact, short reps either way %",
    ):
        t.add_column(col, justify="left" if col == "stage/view" else "right", no_wrap=True)
    for key, s in counting.items():
        t.add_row(
            key,
            str(s["sets"]),
            f"{s['exact_pct']:.1f}",
            f"{s['off_by_one_pct']:.1f}",
            f"{s['mae']:.2f}",
            f"{s['exact_short_either_way_pct']:.1f}",
        )
    console.print(t)
    c = Table(title="Synthetic suite: checks against the true per-rep faults")
    for col in ("check/view", "TP", "FP", "FN", "TN", "unknown", "precision", "recall", "F1"):
        c.add_column(col, justify="left" if col == "check/view" else "right", no_wrap=True)

    def fmt(v: object) -> str:
        return "-" if v is None else f"{v:.3g}" if isinstance(v, float) else str(v)

    for key, s in checks.items():
        c.add_row(
            key,
            *(
                fmt(s[k])
                for k in ("tp", "fp", "fn", "tn", "unknown_rate", "precision", "recall", "f1")
            ),
        )
    console.print(c)
    legs = summary.get("working_leg")
    if isinstance(legs, dict) and legs:
        w = Table(title="Synthetic suite: working leg of single-leg reps")
        for col in ("stage/view", "reps", "correct %"):
            w.add_column(col, justify="left" if col == "stage/view" else "right", no_wrap=True)
        for key, s in legs.items():
            w.add_row(key, str(s["reps"]), f"{s['correct_pct']:.1f}")
        console.print(w)
    angles = summary.get("angle_rmse_side_deg")
    if isinstance(angles, dict):
        console.print(_angle_table(angles))
    console.print(
        f"Fail verdicts in views that do not support the check: "
        f"{summary['fails_in_unsupported_views']}."
    )
    for err in summary.get("errors", []) or []:  # type: ignore[attr-defined]
        console.print(f"[red]{err}[/]")


def _pct_cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _mag(value: object) -> str:
    return "good" if value is None else f"{value:g}"


def render_margins(sweeps: dict[str, Any]) -> None:
    """Tables of the margin sweep: fail share per magnitude, and partial pulses counted."""
    t = Table(
        title="Check margins: share of judged reps failed per fault magnitude "
        f"(default noise; margin = first magnitude failed in {sweeps['detection']:.0%})"
    )
    for col in (
        "check/view",
        "unit",
        "fail % by magnitude (truth-faulty %)",
        "unknown %",
        "margin",
    ):
        t.add_column(col, justify="left" if col.startswith(("check", "fail")) else "right")
    for row in sweeps["checks"]:
        cells = []
        for p in row["points"]:
            fail, truth = _pct_cell(p["fail_pct"]), _pct_cell(p["truth_fault_pct"])
            cells.append(f"{_mag(p['magnitude'])}: {fail} ({truth})")
        unknown = [p["unknown_pct"] for p in row["points"] if p["unknown_pct"] is not None]
        t.add_row(
            f"{row['check']}/{row['view']}",
            row["unit"],
            "  ".join(cells),
            f"{max(unknown):.0f}" if unknown else "-",
            "-" if row["margin"] is None else f"{row['margin']:g}",
        )
    console.print(t)
    p = Table(title="Partial pulses counted as reps, by range (1 = a full rep)")
    p.add_column("stage")
    p.add_column("counted % by range", justify="left")
    for row in sweeps["partials"]:
        cells = [f"{q['rom']:g}: {_pct_cell(q['counted_pct'])}" for q in row["points"]]
        p.add_row(row["stage"], "  ".join(cells))
    console.print(p)
