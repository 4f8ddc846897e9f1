"""The ``hamcoach`` command. Each command group lives in its own module and registers itself."""

from __future__ import annotations

import sys

import typer

from hamcoach import __version__
from hamcoach.cli.errors import exit_on_error
from hamcoach.track import silence_missing_joint_warnings

app = typer.Typer(
    name="hamcoach",
    help="HamCoach: counts reps and checks the form of the hamstring program's exercises.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hamcoach {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """HamCoach command line."""


def _register_all() -> None:
    # Each module defines `register(app)`; add new command groups here.
    from hamcoach.cli import analysis, bench, live, patients, reports, web

    analysis.register(app)
    patients.register(app)
    bench.register(app)
    reports.register(app)
    live.register(app)
    web.register(app)


_register_all()


def run() -> None:
    """Console-script entry point."""
    silence_missing_joint_warnings()
    with exit_on_error():
        app()
    sys.exit(0)
