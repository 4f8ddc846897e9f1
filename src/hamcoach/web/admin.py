"""Setting up a clinic for the web app (what ``hamcoach clinic ...`` calls): clinics, clinician
accounts, and giving web logins to patients made with ``hamcoach patient add``.

Accounts are created without a password; each gets a one-time invitation link with which its
owner chooses one. Nothing here prints: the CLI does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update

from hamcoach.errors import HamCoachError
from hamcoach.storage.repo import Database, add_clinician, find_patient, utcnow
from hamcoach.web.app import open_web_database
from hamcoach.web.auth import new_token
from hamcoach.web.clinic import email_taken, issue_invite, link_patient
from hamcoach.web.models import ClinicRow, PatientClinicRow, UserRow


class ClinicSetupError(HamCoachError):
    hint = "List the clinics with `hamcoach clinic list`."


@dataclass(frozen=True)
class ClinicInfo:
    id: int
    name: str
    town: str
    takes_signups: bool
    clinicians: int
    patients: int


def _clinic_id(db: Database, name: str) -> int:
    with db.transaction() as s:
        found = s.scalar(select(ClinicRow.id).where(ClinicRow.name == name.strip()))
    if found is None:
        raise ClinicSetupError(f"No clinic named {name!r}.")
    return found


def add_clinic(db_url: str, name: str, *, town: str = "", takes_signups: bool = False) -> int:
    """Create a clinic (or update its town and sign-up flag); its id. Only one clinic receives
    the public sign-ups: giving it to this one takes it from the others."""
    if not name.strip():
        raise ClinicSetupError("A clinic needs a name.")
    db = open_web_database(db_url)
    try:
        with db.transaction() as s:
            row = s.scalar(select(ClinicRow).where(ClinicRow.name == name.strip()))
            if row is None:
                row = ClinicRow(name=name.strip(), created_at=utcnow())
                s.add(row)
            row.town = town or row.town or ""
            if takes_signups:
                s.execute(update(ClinicRow).values(takes_signups=False))
            row.takes_signups = takes_signups or bool(row.takes_signups)
            s.flush()
            return row.id
    finally:
        db.close()


def list_clinics(db_url: str) -> list[ClinicInfo]:
    db = open_web_database(db_url)
    try:
        with db.transaction() as s:
            out = []
            for row in s.scalars(select(ClinicRow).order_by(ClinicRow.name)):
                clinicians = s.scalar(
                    select(func.count())
                    .select_from(UserRow)
                    .where(UserRow.clinic_id == row.id, UserRow.role == "clinician")
                )
                patients = s.scalar(
                    select(func.count())
                    .select_from(PatientClinicRow)
                    .where(PatientClinicRow.clinic_id == row.id)
                )
                out.append(
                    ClinicInfo(
                        row.id,
                        row.name,
                        row.town,
                        row.takes_signups,
                        clinicians or 0,
                        patients or 0,
                    )
                )
            return out
    finally:
        db.close()


def _invite_email(raw: str) -> str:
    """The address an invitation goes to, normalised (lower case, no spaces around); raises
    :class:`ClinicSetupError` when it is not an e-mail address."""
    email = raw.strip().lower()
    if "@" not in email:
        raise ClinicSetupError(f"{email!r} is not an e-mail address.", hint="")
    return email


def invite_clinician(db_url: str, clinic: str, email: str, name: str, *, days: float = 14.0) -> str:
    """A clinician account at ``clinic`` (by name) with an invitation; the token for the link
    ``/invite/TOKEN``. ``name`` is how overrides and cleared red flags are signed."""
    email = _invite_email(email)
    db = open_web_database(db_url)
    try:
        clinic_id = _clinic_id(db, clinic)
        if email_taken(db, email):
            raise ClinicSetupError(f"An account already uses {email}.", hint="")
        clinician_id = add_clinician(db, name)
        token, digest = new_token()
        with db.transaction() as s:
            s.add(
                UserRow(
                    email=email,
                    password_hash="",
                    role="clinician",
                    clinic_id=clinic_id,
                    clinician_id=clinician_id,
                    invite_digest=digest,
                    invite_expires=utcnow() + timedelta(days=days),
                    active=True,
                    created_at=utcnow(),
                )
            )
        return token
    finally:
        db.close()


def invite_patient(
    db_url: str, clinic: str, patient: str, email: str, *, days: float = 14.0
) -> str:
    """Put an existing patient (code or #id) under ``clinic`` and invite them; the token."""
    email = _invite_email(email)
    db = open_web_database(db_url)
    try:
        clinic_id = _clinic_id(db, clinic)
        pid = find_patient(db, patient).id
        with db.transaction() as s:
            current = s.get(PatientClinicRow, pid)
            if current is not None and current.clinic_id != clinic_id:
                raise ClinicSetupError(f"Patient {patient} belongs to another clinic.", hint="")
            account = s.scalar(select(UserRow).where(UserRow.patient_id == pid))
            if account is not None and account.password_hash:
                raise ClinicSetupError(f"Patient {patient} already has a login.", hint="")
        if email_taken(db, email, except_patient=pid):
            raise ClinicSetupError(f"An account already uses {email}.", hint="")
        link_patient(db, pid, clinic_id)
        return issue_invite(db, clinic_id=clinic_id, patient_id=pid, email=email, days=days)
    finally:
        db.close()
