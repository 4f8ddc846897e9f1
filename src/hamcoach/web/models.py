"""The web app's own tables: clinics, accounts, logins, invitations, audit jobs.

They live in the program database next to the tables of :mod:`hamcoach.storage.models` (with
foreign keys into them) but in their own metadata and their own migration list
(:mod:`hamcoach.web.schema`), so the program's Alembic history stays untouched.

Personal data: ``web_users.email`` and ``web_clinics`` (a business). Passwords are stored as
argon2 hashes only; login and invitation tokens as SHA-256 digests only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hamcoach.storage.models import NAMING, AuditRow, Clinician, LeadRow, Patient


class WebBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ClinicRow(WebBase):
    __tablename__ = "web_clinics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    town: Mapped[str] = mapped_column(String(200), default="")
    takes_signups: Mapped[bool] = mapped_column(Boolean, default=False)
    """The clinic whose inbox receives the public sign-ups (one clinic)."""
    created_at: Mapped[datetime] = mapped_column(DateTime)


class UserRow(WebBase):
    """An account: a clinician (of one clinic) or a patient (of one clinic)."""

    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    clinic_id: Mapped[int] = mapped_column(ForeignKey(ClinicRow.id), index=True)
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey(Clinician.id))
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey(Patient.id, ondelete="CASCADE"), unique=True
    )
    invite_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PatientClinicRow(WebBase):
    """Which clinic supervises a patient (patients made outside the web app have none)."""

    __tablename__ = "web_patient_clinics"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey(Patient.id, ondelete="CASCADE"), primary_key=True
    )
    clinic_id: Mapped[int] = mapped_column(ForeignKey(ClinicRow.id), index=True)


class LeadClinicRow(WebBase):
    """Which clinic's inbox a sign-up went to."""

    __tablename__ = "web_lead_clinics"

    lead_id: Mapped[int] = mapped_column(
        ForeignKey(LeadRow.id, ondelete="CASCADE"), primary_key=True
    )
    clinic_id: Mapped[int] = mapped_column(ForeignKey(ClinicRow.id), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    """What the person was told (e.g. to see a doctor first)."""


class LoginRow(WebBase):
    """A server-side login session; the cookie holds the token, the table its digest."""

    __tablename__ = "web_logins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey(UserRow.id, ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class AuditJobRow(WebBase):
    """A video uploaded for an audit, analysed in the background."""

    __tablename__ = "web_audit_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey(Patient.id, ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    stage: Mapped[str] = mapped_column(String(4))
    exercise: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    """queued, running, done, failed."""
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    video_name: Mapped[str] = mapped_column(String(64))
    """The stored file's name in the uploads folder (random; never the patient's file name)."""
    keep_video: Mapped[bool] = mapped_column(Boolean, default=False)
    video_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey(AuditRow.id, ondelete="SET NULL"))
    report_name: Mapped[str | None] = mapped_column(String(64))
