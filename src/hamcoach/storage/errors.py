"""Typed errors of the storage layer. The CLI edge turns them into a message and a hint."""

from __future__ import annotations

from hamcoach.errors import HamCoachError


class PatientNotFoundError(HamCoachError):
    hint = "List patients with `hamcoach patient list`; add one with `hamcoach patient add CODE`."


class PatientExistsError(HamCoachError):
    hint = "Patient codes are unique: pick another code, or use the existing patient."


class SessionNotFoundError(HamCoachError):
    hint = "Start a session with `hamcoach session PATIENT`."


class AuditNotFoundError(HamCoachError):
    hint = "List a patient's audits with `hamcoach history PATIENT`."


class AuditStageMismatchError(HamCoachError):
    hint = "Pass the stage of the exercise that was filmed (see `hamcoach plan PATIENT`)."


class DatabaseError(HamCoachError):
    hint = (
        "Check the database URL (HAMCOACH_DB_URL or --db). For SQLite, check that the folder is "
        "writable and not on a network drive."
    )


class LeadNotFoundError(HamCoachError):
    hint = "List open sign-ups with `hamcoach lead list` (add --all for closed ones)."


class IncompleteSignupError(HamCoachError):
    hint = "Give --name and --phone or --email, so the clinic can reach you."
