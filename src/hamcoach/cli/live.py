"""``hamcoach live``: coach a set live, in a local window (OpenCV) or in the browser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

console = Console(highlight=False)


def _print_event(e: dict[str, Any]) -> None:
    kind = e["type"]
    if kind == "rep":
        c = e["counts"]
        legs = "" if e["leg"] == "both" else f" ({e['leg']})"
        console.print(
            f"rep {e['index']}{legs} at {e['end_s']:.1f} s: {'good' if e['good'] else 'not good'}"
            f" - {c['reps']} reps, {c['good']} good"
        )
    elif kind == "cue":
        console.print(f"[bold]cue:[/] {escape(e['text'])}")
    elif kind == "hint":
        console.print(f"[yellow]camera:[/] {escape(e['text'])}")
    elif kind in ("status", "advice"):
        console.print(escape(e.get("message") or e.get("text", "")))
        for d in e.get("decisions", []) or []:
            console.print(f"  {escape(d)}")
    elif kind == "session":
        console.print(
            f"[bold]{escape(e['exercise_label'])}[/] - {e['stage']} {escape(e['stage_name'])}; "
            f"target: {escape(e['target_text'])}"
        )


def register(app: typer.Typer) -> None:
    @app.command()
    def live(
        video: Path = typer.Option(None, "--video", help="Use a video file as the camera."),
        camera: int = typer.Option(None, "--camera", help="Webcam index (0 is the first)."),
        exercise: str = typer.Option(None, "--exercise", "-e", help="Exercise id, e.g. squat."),
        stage: str = typer.Option(None, "--stage", help="Program stage (B1..D2), e.g. S2."),
        headless: bool = typer.Option(
            False, "--headless", help="No window: print the events (also without a display)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the events as JSON lines."),
        realtime: bool = typer.Option(
            False, "--realtime", help="Play a --video at its own speed (as a camera would)."
        ),
        browser: bool = typer.Option(
            False, "--browser", help="Serve the live page instead (pose runs in the browser)."
        ),
        host: str = typer.Option("127.0.0.1", help="Address of the live page (--browser)."),
        port: int = typer.Option(8000, help="Port of the live page (--browser)."),
        patient: str = typer.Option(
            None, "--patient", "-p", help="Save each set to this patient's history (by code)."
        ),
        db: str = typer.Option(
            None, "--db", help="Database URL (default: HAMCOACH_DB_URL, then the user data dir)."
        ),
        seconds: float = typer.Option(None, help="Stop after this many seconds of frames."),
        speak: bool = typer.Option(
            False, "--speak", help="Say the cues aloud (needs spd-say or espeak-ng)."
        ),
    ) -> None:
        """Coach a set live: counts reps, says one cue at a time, and tells you where to put
        the camera. Pose runs on this machine; nothing is saved without --patient.

        In the window: q ends, f finishes the set, s starts the next one, c reports a cramp,
        0-9 report pain. Without a GUI build of OpenCV, use --headless or --browser.

        Example: hamcoach live --camera 0 --exercise squat

        Example: hamcoach live --video my_squats.mp4 --stage S2 --headless

        Example: hamcoach live --browser --stage S2 --patient P001
        """
        from hamcoach.live.session import LiveSession, resolve_stage

        if browser:
            _serve(host, port, patient, db)
            return
        if (video is None) == (camera is None):
            raise typer.BadParameter("Give exactly one of --video FILE or --camera N.")
        st, _ = resolve_stage(stage, exercise if exercise or stage else "squat")
        from hamcoach.io.video import iter_camera_frames, iter_video_frames
        from hamcoach.live.desktop import require_display, run

        window = not headless
        if window:
            require_display()
        sink = None
        if patient:
            from hamcoach.live.recorder import DatabaseSink

            sink = DatabaseSink(patient, st, db_url=db)
        session = LiveSession(
            stage=st.id,
            sink=sink,
            target=sink.target if sink else None,
            patient=patient,
            backend="mediapipe-blazepose-full",
        )
        if video is not None:
            frames = iter_video_frames(video)
        else:
            frames = iter_camera_frames(camera, seconds)
        if seconds is not None and video is not None:
            frames = (f for f in frames if f.t_s <= seconds)

        say = None
        if speak:
            from hamcoach.live.desktop import speaker

            say = speaker()
            if say is None:
                console.print(
                    "[yellow]No speech command found (spd-say, espeak-ng): cues are shown only.[/]"
                )

        def show(e: dict[str, Any]) -> None:
            if say is not None and e["type"] in ("cue", "hint"):
                say(e["text"])
            if as_json:
                typer.echo(json.dumps(e))
            else:
                _print_event(e)

        stats = run(
            frames, session, show, window=window, mirror=camera is not None, realtime=realtime
        )
        if not as_json:
            console.print(
                f"[dim]{stats.frames} frames, {stats.fps:.1f} frames/s with pose; engine "
                f"{stats.engine_s / max(stats.frames, 1) * 1000:.2f} ms a frame[/]"
            )


def _serve(host: str, port: int, patient: str | None, db: str | None) -> None:
    import uvicorn

    from hamcoach.live.app import create_live_app

    if patient:
        from hamcoach.storage.repo import find_patient, open_database

        database = open_database(db)
        try:
            find_patient(database, patient)  # fail now, not at the first set
        finally:
            database.close()
    console.print(
        f"Open http://{host}:{port}/live/?stage=S2 in a browser on this machine "
        "(a camera page needs localhost or https). Ctrl+C stops."
    )
    uvicorn.run(
        create_live_app(db_url=db, patient=patient), host=host, port=port, log_level="warning"
    )
