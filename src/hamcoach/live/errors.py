"""Errors of live coaching (typed; the WebSocket and the CLI turn them into messages)."""

from __future__ import annotations

from hamcoach.errors import HamCoachError


class LiveProtocolError(HamCoachError):
    """A client message the session cannot use (bad JSON shape, unknown type)."""

    hint = "See docs/LIVE.md for the message format."


class LiveSessionNotFoundError(HamCoachError):
    """A resume asked for a session that has ended or expired."""

    hint = "Start a new session: the old one ended or was kept too long without a connection."


class LiveSessionStateError(HamCoachError):
    """A message that does not fit the session's state (a frame after the session ended)."""

    hint = "Start a new set (or a new session) first."


class DisplayUnavailableError(HamCoachError):
    """OpenCV here has no GUI (opencv-python-headless) or there is no display."""

    hint = (
        "Run with --headless to print the events instead, or use `hamcoach live --browser`. "
        "For a window, install a GUI build of OpenCV in the virtualenv: "
        '`.venv/bin/pip install "opencv-python==4.11.0.86"` after '
        "`.venv/bin/pip uninstall -y opencv-python-headless` (same version: numpy 1.x), "
        "and run it on a desktop session (DISPLAY or WAYLAND_DISPLAY set)."
    )
