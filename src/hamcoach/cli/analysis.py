"""``hamcoach pose``, ``hamcoach audit``, ``hamcoach eval``, ``hamcoach schema``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from hamcoach.audit import Audit, audit_json_schema
from hamcoach.errors import HamCoachError
from hamcoach.exercises import EXERCISE_IDS, get_exercise
from hamcoach.io.sources import ProgressFn, load_any
from hamcoach.pipeline import analyze_track
from hamcoach.settings import DEFAULT_SETTINGS
from hamcoach.track import PoseTrack, save_track

console = Console(highlight=False)

# Pose estimation of a video uses this many processes (long videos are split into chunks).
POSE_WORKERS = max(1, min(2, os.cpu_count() or 1))

VERDICT_STYLE = {"pass": "green", "fail": "bold red", "unknown": "yellow"}
VERDICT_MARK = {"pass": "ok", "fail": "X", "unknown": "?"}


def _load_with_progress(
    source: str, width: int | None, height: int | None, fps: float | None, quiet: bool
) -> PoseTrack:
    if quiet or source.lower().endswith(".npz"):
        return load_any(source, width=width, height=height, fps=fps, workers=POSE_WORKERS)
    with Progress(
        TextColumn("[bold]Pose estimation[/]"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} frames"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("pose", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        progress: ProgressFn = report
        return load_any(
            source, progress=progress, width=width, height=height, fps=fps, workers=POSE_WORKERS
        )


def short_number(value: float) -> str:
    """A measured value as a person reads it: 24, 3.1, 0.08."""
    size = abs(value)
    return f"{value:.0f}" if size >= 10 else f"{value:.1f}" if size >= 1 else f"{value:.2f}"


def render_audit(audit: Audit, out: Console) -> None:
    """The readable per-rep table and summary of an audit."""
    c = audit.counts
    if audit.exercise_detected == audit.exercise and audit.exercise_confidence is not None:
        out.print(f"Recognised: {audit.exercise} (confidence {audit.exercise_confidence:.2f})")
    out.print(
        f"[bold]{audit.exercise}[/] - {audit.source.name} - view: "
        f"{audit.view.replace('_', ' ')} ({audit.view_info.posture}), "
        f"{audit.source.duration_s:.1f} s"
    )
    table = Table(
        title=None, show_lines=False, caption="ok = pass, X = fault, ? = not judged; times in s"
    )
    table.add_column("#", justify="right")
    table.add_column("start", justify="right")
    table.add_column("bottom", justify="right")
    table.add_column("end", justify="right")
    table.add_column("leg")
    table.add_column("down/hold/up", justify="right")
    for check in audit.checks_run:
        label = "tempo" if check == "tempo.controlled" else check.split(".")[-1]
        table.add_column(label.replace("_", " "), justify="center")
    table.add_column("good", justify="center")
    for rep in audit.reps:
        by_check = {f.check: f for f in rep.findings}
        cells = []
        for check in audit.checks_run:
            f = by_check.get(check)
            if f is None:
                cells.append("")
                continue
            value = "" if f.value is None else short_number(f.value)
            cells.append(f"[{VERDICT_STYLE[f.verdict]}]{VERDICT_MARK[f.verdict]} {value}[/]")
        table.add_row(
            str(rep.index),
            f"{rep.start_s:.2f}",
            f"{rep.bottom_s:.2f}",
            f"{rep.end_s:.2f}",
            {"both": "both", "left": "L", "right": "R"}[rep.leg],
            f"{rep.down_s:.1f}/{rep.pause_s:.1f}/{rep.up_s:.1f}",
            *cells,
            "[green]yes[/]" if rep.good else "[red]no[/]",
        )
    out.print(table)
    legs = f" (left {c.left}, right {c.right})" if audit.exercise.startswith("single_leg") else ""
    out.print(f"[bold]{c.reps} rep{'' if c.reps == 1 else 's'}{legs}, {c.good} good.[/]")
    cues = sorted({f.cue for r in audit.reps for f in r.findings if f.verdict == "fail" and f.cue})
    for cue in cues:
        out.print(f"  [red]Cue:[/] {cue}")
    for rep in audit.reps:
        for f in rep.findings:
            if f.verdict == "unknown":
                out.print(f"  [yellow]Rep {rep.index} {f.check}: not judged ({f.reason}).[/]")
    for cnr in audit.checks_not_run:
        out.print(f"  [dim]Not run:[/] {cnr.check} - {cnr.reason}. {cnr.hint}")
    for w in audit.warnings:
        out.print(f"  [yellow]Warning:[/] {w}")


def register(app: typer.Typer) -> None:
    @app.command()
    def pose(
        source: str = typer.Argument(
            ..., help="Video file, image folder, keypoint file, or camera:N (webcam N)."
        ),
        output: Path = typer.Option(..., "-o", "--output", help="Where to write the track (.npz)."),
        width: int = typer.Option(None, help="Frame width (px) for normalized keypoint files."),
        height: int = typer.Option(None, help="Frame height (px) for normalized keypoint files."),
        fps: float = typer.Option(None, help="Frame rate of keypoint files and image folders."),
        seconds: float = typer.Option(60.0, help="How long to record from a webcam (s)."),
    ) -> None:
        """Run pose estimation once and save the track, so later audits are instant.

        Example: hamcoach pose my_squats.mp4 -o track.npz
        """
        if output.suffix != ".npz":
            raise HamCoachError(
                f"The track file must end in .npz (got {output.name}).", hint="Use -o track.npz."
            )
        track = _load_with_progress(source, width, height, fps, quiet=False)
        save_track(track, output)
        console.print(
            f"Saved {track.n_frames} frames ({track.duration_s:.1f} s, person seen in "
            f"{track.detected.mean():.0%}) to {output}"
        )

    @app.command()
    def audit(
        source: str = typer.Argument(
            ..., help="Video file, saved track (.npz), keypoint file, image folder or camera:N."
        ),
        exercise: str = typer.Option(
            None,
            "--exercise",
            "-e",
            help=f"One of: {', '.join(EXERCISE_IDS)}. Recognised from the motion when omitted.",
        ),
        json_out: Path = typer.Option(None, "--json", help="Also write the audit JSON here."),
        stage: str = typer.Option(None, help="Program stage id (B1..D2), recorded in the audit."),
        width: int = typer.Option(None, help="Frame width (px) for normalized keypoint files."),
        height: int = typer.Option(None, help="Frame height (px) for normalized keypoint files."),
        fps: float = typer.Option(None, help="Frame rate of keypoint files and image folders."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No table; only errors."),
        patient: str = typer.Option(
            None, "--patient", "-p", help="Store the audit in this patient's history (code or id)."
        ),
        db: str = typer.Option(
            None, "--db", help="Database URL (default: $HAMCOACH_DB_URL or the user data folder)."
        ),
        report: Path = typer.Option(
            None, "--report", help="Also write a self-contained HTML report here (prints to PDF)."
        ),
        no_frames: bool = typer.Option(
            False,
            "--no-frames",
            help="In the report and annotated video, draw the skeleton on a plain background "
            "instead of video frames (to share without showing the person).",
        ),
        annotate: Path = typer.Option(
            None,
            "--annotate",
            help="Also write an annotated video (.mp4): skeleton, rep counter and cues.",
        ),
    ) -> None:
        """Count reps and check form in one set; print a per-rep table.

        Example: hamcoach audit my_squats.mp4 --exercise squat --json out.json
        Example: hamcoach audit my_squats.mp4 -e squat --stage S2 --patient demo
        Example: hamcoach audit my_squats.mp4 -e squat --report audit.html --annotate out.mp4
        """
        if exercise is not None:
            get_exercise(exercise)  # fail fast, before a slow pose run
        track = _load_with_progress(source, width, height, fps, quiet)
        result = analyze_track(track, exercise, DEFAULT_SETTINGS, stage)
        if json_out is not None:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(result.audit.to_json(), encoding="utf-8")
        stored_id = None
        if patient is not None:
            from hamcoach.storage.repo import store_audit_for_patient

            stored_id = store_audit_for_patient(patient, result.audit, stage=stage, db_url=db)
        if report is not None or annotate is not None:
            from hamcoach.reports import pictures_of, write_annotated_video, write_audit_report

            video = pictures_of(source)
            if report is not None:
                write_audit_report(result, video, report, show_frames=not no_frames)
            if annotate is not None:
                write_annotated_video(result, video, annotate, show_frames=not no_frames)
        if not quiet:
            render_audit(result.audit, console)
            if json_out is not None:
                console.print(f"Audit written to {json_out}")
            if stored_id is not None:
                console.print(f"Audit stored for patient {patient} (audit #{stored_id}).")
            if report is not None:
                console.print(f"Report written to {report}")
            if annotate is not None:
                console.print(f"Annotated video written to {annotate}")

    @app.command(name="eval")
    def evaluate(
        eval_dir: Path = typer.Argument(Path("../shared/eval"), help="Folder with labels.json."),
        json_out: Path = typer.Option(None, "--json", help="Write the metrics as JSON here."),
        floor: Path = typer.Option(
            None, help="A JSON file of minimum metrics; exit 1 when any is not reached."
        ),
        workers: int = typer.Option(2, help="Processes to use."),
    ) -> None:
        """Audit every labelled clip and print accuracy per exercise and view.

        Example: hamcoach eval ../shared/eval --json eval.json --floor eval_floor.json
        """
        from hamcoach.evaluation.floor import check_floor
        from hamcoach.evaluation.metrics import summarize
        from hamcoach.evaluation.report import render_summary
        from hamcoach.evaluation.runner import run_evaluation, supported_clips

        n = len(supported_clips(eval_dir))
        with Progress(
            TextColumn("[bold]Evaluating[/]"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} clips"),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("eval", total=n)
            results = run_evaluation(
                eval_dir, workers=workers, on_done=lambda _r: bar.advance(task)
            )
        summary = summarize(results)
        render_summary(summary, console)
        if json_out is not None:
            json_out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
        if floor is not None:
            failures = check_floor(summary, json.loads(floor.read_text(encoding="utf-8")))
            for f in failures:
                console.print(f"[bold red]Below the floor:[/] {f}")
            if failures:
                raise typer.Exit(1)
            console.print("[green]All metrics at or above the floor.[/]")

    @app.command()
    def schema() -> None:
        """Print the JSON Schema of the audit document.

        Example: hamcoach schema > audit.schema.json
        """
        typer.echo(audit_json_schema())
