"""``hamcoach report``: a patient's progress report (HTML)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(highlight=False)

DB_HELP = "Database URL (default: $HAMCOACH_DB_URL, else SQLite in the user data folder)."


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        patient: str = typer.Argument(..., help="Patient code (or #id)."),
        clinician: bool = typer.Option(
            False,
            "--clinician",
            help="The clinician's version: adds overrides, red flags, alerts and video audits.",
        ),
        output: Annotated[
            Path | None,
            typer.Option(
                "-o", "--output", help="Where to write the HTML (default: progress-CODE.html)."
            ),
        ] = None,
        db: str = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Write a patient's progress report: stages, good reps per leg, balance, pain,
        sessions done and every decision with its reasons.

        Example: hamcoach report P001 --clinician -o p001.html
        """
        from hamcoach.reports.progress import render_progress_report
        from hamcoach.storage.repo import find_patient, list_audits, load_history, open_database

        database = open_database(db)
        try:
            p = find_patient(database, patient)
            history = load_history(database, p.id, include_open=True)
            audits = list_audits(database, p.id) if clinician else []
        finally:
            database.close()
        html = render_progress_report(history, clinician=clinician, name=p.name, audits=audits)
        out = output or Path(f"progress-{p.code}.html")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
        console.print(f"Progress report written to {out}")
