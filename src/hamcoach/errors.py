"""Typed domain errors. The core raises these; only the CLI and web edges turn them into prose.

Every error carries a ``hint``: what the user can do next.
"""

from __future__ import annotations


class HamCoachError(Exception):
    """Base class of every error HamCoach raises on purpose."""

    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputNotFoundError(HamCoachError):
    hint = "Check the path; use quotes around names with spaces."


class UnreadableVideoError(HamCoachError):
    hint = "Re-export the video as MP4 (H.264) from your phone or editor and try again."


class TruncatedVideoError(HamCoachError):
    hint = "The file looks cut short; copy it again from the device that recorded it."


class NoPersonError(HamCoachError):
    hint = (
        "Film the whole body, head to feet, in good light, "
        "with the person filling about half the frame."
    )


class MultiplePeopleError(HamCoachError):
    hint = "Film one person at a time, with nobody else (or a mirror, or a TV) in the frame."


class TrackFormatError(HamCoachError):
    hint = "Create the track with `hamcoach pose VIDEO -o track.npz`, or check the importer format."


class UnknownExerciseError(HamCoachError):
    hint = "Use one of the exercise ids listed above (see `hamcoach audit --help`)."


class UnrecognisedExerciseError(HamCoachError):
    hint = "Say which exercise it is with --exercise."


class PoseBackendError(HamCoachError):
    hint = "Reinstall with `make setup`; the pose model ships inside the mediapipe wheel."


class CameraError(HamCoachError):
    hint = "Check that the webcam is connected and not used by another program; try --camera 1."
