"""The database schema (SQLAlchemy 2 ORM). Changing it needs a new Alembic migration.

All datetimes are naive UTC. Personal data lives in two columns only (``patients.name`` and
``clinicians.name``); nothing else identifies a person, and neither is ever logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Clinician(Base):
    __tablename__ = "clinicians"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    baseline_pain: Mapped[int] = mapped_column(Integer, default=0)
    start_b: Mapped[str] = mapped_column(String(4), default="B1")
    start_s: Mapped[str] = mapped_column(String(4), default="S1")
    start_d: Mapped[str] = mapped_column(String(4), default="D1")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class TrainingSession(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    program_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    stop_reason: Mapped[str] = mapped_column(Text, default="")
    pain_before: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)


class AuditRow(Base):
    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    exercise: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str | None] = mapped_column(String(4))
    schema_version: Mapped[str] = mapped_column(String(16))
    hamcoach_version: Mapped[str] = mapped_column(String(32))
    view: Mapped[str] = mapped_column(String(32))
    source_name: Mapped[str] = mapped_column(String(260))
    reps: Mapped[int] = mapped_column(Integer)
    good: Mapped[int] = mapped_column(Integer)
    good_left: Mapped[int] = mapped_column(Integer)
    good_right: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)
    """The audit JSON exactly as the pipeline wrote it (docs/AUDIT_SCHEMA.md)."""


class AuditRepRow(Base):
    __tablename__ = "audit_reps"
    __table_args__ = (UniqueConstraint("audit_id", "rep_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    rep_index: Mapped[int] = mapped_column(Integer)
    leg: Mapped[str] = mapped_column(String(8))
    good: Mapped[bool] = mapped_column(Boolean)
    start_s: Mapped[float] = mapped_column(Float)
    bottom_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    down_s: Mapped[float] = mapped_column(Float)
    pause_s: Mapped[float] = mapped_column(Float)
    up_s: Mapped[float] = mapped_column(Float)
    range_fraction: Mapped[float] = mapped_column(Float)


class AuditFindingRow(Base):
    __tablename__ = "audit_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("audit_reps.id", ondelete="CASCADE"), index=True)
    check_id: Mapped[str] = mapped_column(String(64), index=True)
    verdict: Mapped[str] = mapped_column(String(8))
    value: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    frame: Mapped[int | None] = mapped_column(Integer)


class SetRow(Base):
    __tablename__ = "sets"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    ladder: Mapped[str] = mapped_column(String(1))
    stage: Mapped[str] = mapped_column(String(4))
    exercise: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    reps: Mapped[int] = mapped_column(Integer)
    good: Mapped[int] = mapped_column(Integer)
    reps_left: Mapped[int] = mapped_column(Integer)
    reps_right: Mapped[int] = mapped_column(Integer)
    good_left: Mapped[int] = mapped_column(Integer)
    good_right: Mapped[int] = mapped_column(Integer)
    load_kg: Mapped[float | None] = mapped_column(Float)
    pain: Mapped[int | None] = mapped_column(Integer)
    cramp: Mapped[bool] = mapped_column(Boolean, default=False)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PainReportRow(Base):
    __tablename__ = "pain_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    reported_at: Mapped[datetime] = mapped_column(DateTime)


class ScreeningRow(Base):
    __tablename__ = "red_flag_screenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime)
    flags: Mapped[list[Any]] = mapped_column(JSON)
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime)
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))
    clear_reason: Mapped[str] = mapped_column(Text, default="")


class OverrideRow(Base):
    __tablename__ = "overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)


class DecisionRow(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    ladder: Mapped[str] = mapped_column(String(1))
    action: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(4))
    next_stage: Mapped[str] = mapped_column(String(4))
    load_kg: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    program_version: Mapped[str] = mapped_column(String(32))


class LeadRow(Base):
    """A sign-up from the clinic's offer (an audit or a free trial), inside the service area.

    Out-of-area sign-ups are not stored. ``name``, ``phone`` and ``email`` are personal data.
    """

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    zip: Mapped[str] = mapped_column(String(5))
    county: Mapped[str] = mapped_column(String(32))
    border: Mapped[bool] = mapped_column(Boolean, default=False)
    offer: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    red_flags: Mapped[list[Any]] = mapped_column(JSON)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="SET NULL"))
