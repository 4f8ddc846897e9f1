"""Accounts, logins and who may see what.

- Passwords: argon2id (``argon2-cffi``), never stored or logged in clear.
- Logins: server-side rows (:class:`~hamcoach.web.models.LoginRow`); the ``hc_login`` cookie
  (HttpOnly, SameSite=Lax) carries a random token, the table only its SHA-256 digest, so logging
  out or expiring a login really ends it.
- Dependencies for routes (also used by the live-coaching router): :func:`current_user`,
  :func:`optional_user`, :func:`require_patient`, :func:`require_clinician`. They take an
  ``HTTPConnection`` so they work for WebSocket routes as well as pages.
- Ownership: :func:`patient_for_clinician` answers 404 (not 403) for a patient of another clinic,
  so nobody learns which patient ids exist.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from hamcoach.storage.models import Clinician, Patient
from hamcoach.storage.repo import Database, utcnow
from hamcoach.web.context import get_db, web_context
from hamcoach.web.models import ClinicRow, LoginRow, PatientClinicRow, UserRow

LOGIN_COOKIE = "hc_login"
MIN_PASSWORD_LENGTH = 10
"""Shortest password an account may set (engineering; NIST SP 800-63B asks for at least 8)."""

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a real password, used to spend the same time")


class LoginRequiredError(Exception):
    """No valid login: pages redirect to the login page, other requests get 401."""


class ForbiddenError(Exception):
    """Logged in, but this role may not use this page (403)."""


class NotFoundError(Exception):
    """Nothing here for this user (404): also used for other people's data."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches; spends the same time when there is no hash to check."""
    try:
        return bool(stored_hash) and _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A random URL-safe token and its digest (what the database keeps)."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


@dataclass(frozen=True)
class CurrentUser:
    """The logged-in account, as plain values (no database session attached)."""

    user_id: int
    email: str
    role: str
    clinic_id: int
    clinic_name: str
    patient_id: int | None
    patient_code: str | None
    clinician_id: int | None
    display_name: str

    @property
    def is_patient(self) -> bool:
        return self.role == "patient"

    @property
    def is_clinician(self) -> bool:
        return self.role == "clinician"


def authenticate(db: Database, email: str, password: str) -> int | None:
    """The user id when the e-mail and password match an active account with a password."""
    with db.transaction() as s:
        row = s.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
        if row is None or not row.active or not row.password_hash:
            verify_password(_DUMMY_HASH, password)
            return None
        if not verify_password(row.password_hash, password):
            return None
        if _HASHER.check_needs_rehash(row.password_hash):
            row.password_hash = hash_password(password)
        return row.id


def start_login(db: Database, user_id: int, hours: float) -> str:
    """A new login for the user; the token for the cookie."""
    token, digest = new_token()
    now = utcnow()
    with db.transaction() as s:
        s.execute(delete(LoginRow).where(LoginRow.expires_at < now))
        s.add(
            LoginRow(
                digest=digest,
                user_id=user_id,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
    return token


def end_login(db: Database, token: str | None) -> None:
    if token:
        with db.transaction() as s:
            s.execute(delete(LoginRow).where(LoginRow.digest == token_digest(token)))


def load_user(s: Session, user_id: int) -> CurrentUser | None:
    row = s.get(UserRow, user_id)
    if row is None or not row.active:
        return None
    clinic = s.get(ClinicRow, row.clinic_id)
    code = None
    display = row.email
    if row.patient_id is not None:
        patient = s.get(Patient, row.patient_id)
        if patient is None:
            return None
        code = patient.code
        display = patient.name or patient.code
    if row.clinician_id is not None:
        clinician = s.get(Clinician, row.clinician_id)
        display = clinician.name if clinician else display
    return CurrentUser(
        user_id=row.id,
        email=row.email,
        role=row.role,
        clinic_id=row.clinic_id,
        clinic_name=clinic.name if clinic else "",
        patient_id=row.patient_id,
        patient_code=code,
        clinician_id=row.clinician_id,
        display_name=display,
    )


def optional_user(conn: HTTPConnection) -> CurrentUser | None:
    """The logged-in user, or None (a FastAPI dependency; works for WebSockets too)."""
    cached = conn.scope.get("hamcoach.user", False)
    if cached is not False:
        return cached if isinstance(cached, CurrentUser) else None
    token = conn.cookies.get(LOGIN_COOKIE)
    user: CurrentUser | None = None
    if token:
        db = web_context(conn).db
        now: datetime = utcnow()
        with db.transaction() as s:
            login = s.scalar(select(LoginRow).where(LoginRow.digest == token_digest(token)))
            if login is not None and login.expires_at > now:
                user = load_user(s, login.user_id)
    conn.scope["hamcoach.user"] = user
    return user


def current_user(user: CurrentUser | None = Depends(optional_user)) -> CurrentUser:
    """The logged-in user; :class:`LoginRequiredError` otherwise."""
    if user is None:
        raise LoginRequiredError
    return user


def require_patient(user: CurrentUser = Depends(current_user)) -> CurrentUser:
    """A logged-in patient (403 for clinicians)."""
    if not user.is_patient or user.patient_id is None:
        raise ForbiddenError
    return user


def require_clinician(user: CurrentUser = Depends(current_user)) -> CurrentUser:
    """A logged-in clinician (403 for patients)."""
    if not user.is_clinician:
        raise ForbiddenError
    return user


def patient_clinic(s: Session, patient_id: int) -> int | None:
    row = s.get(PatientClinicRow, patient_id)
    return row.clinic_id if row else None


def check_patient_access(db: Database, user: CurrentUser, patient_id: int) -> None:
    """A patient reaches only their own record; a clinician only their clinic's patients.
    Anything else is :class:`NotFoundError`."""
    if user.is_patient:
        if user.patient_id != patient_id:
            raise NotFoundError
        return
    with db.transaction() as s:
        if patient_clinic(s, patient_id) != user.clinic_id:
            raise NotFoundError


def patient_for_clinician(
    patient_id: int,
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> int:
    """A path's patient id, once the clinician is known to supervise that patient."""
    check_patient_access(db, user, patient_id)
    return patient_id
