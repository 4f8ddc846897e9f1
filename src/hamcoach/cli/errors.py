"""The one place where HamCoach's typed errors become a friendly line and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape

from hamcoach.errors import HamCoachError

EXIT_USER_ERROR = 2

_err = Console(stderr=True, highlight=False)


def print_error(error: HamCoachError) -> None:
    """One line saying what is wrong, one saying what to do.

    Never wrapped at the console width (a path or a shape must stay on its line) and never read
    as Rich markup (a file named ``clip[1].mp4`` is printed as it is).
    """
    _err.print(f"[bold red]Error:[/] {escape(error.message)}", soft_wrap=True)
    if error.hint:
        _err.print(f"[dim]What to do:[/] {escape(error.hint)}", soft_wrap=True)


@contextmanager
def exit_on_error() -> Iterator[None]:
    """Turn a :class:`HamCoachError` raised inside into a message and exit code 2."""
    try:
        yield
    except HamCoachError as exc:
        print_error(exc)
        sys.exit(EXIT_USER_ERROR)
