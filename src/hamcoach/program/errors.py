"""Typed errors of the program engine. The CLI edge turns them into a message and a hint."""

from __future__ import annotations

from hamcoach.errors import HamCoachError


class UnknownStageError(HamCoachError):
    hint = "Use a stage id: B1 B2 B3 C1 C2 C3 (bridge/ball curl), S1-S4 (squat), D1 D2 (deadlift)."


class InvalidOverrideError(HamCoachError):
    hint = (
        "Use a threshold key from `hamcoach rules` (e.g. pain.stop_exercise_above), "
        "a stage id B1..D2 for targets, and a number for the value."
    )


class InvalidSetError(HamCoachError):
    hint = "Good reps are part of all reps: log reps done and, of those, the good ones."


class ProgramLockedError(HamCoachError):
    hint = (
        "A clinician must review the red flag and clear it: "
        "`hamcoach clear PATIENT --by NAME --reason ...`."
    )


class RedFlagUnknownError(HamCoachError):
    hint = "Use red-flag ids from `hamcoach session --help`."


class StageNotAllowedError(HamCoachError):
    hint = (
        "Do the stage of today's plan (`hamcoach plan PATIENT`) or an easier one; a harder stage "
        "needs a clinician: `hamcoach override PATIENT --stage STAGE --by NAME --reason ...`."
    )


class InvalidZipError(HamCoachError):
    hint = "Type the 5-digit ZIP code of your home address, e.g. 18901."
