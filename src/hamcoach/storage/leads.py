"""Sign-ups (leads) for the clinic's audit or free trial, and turning one into a patient.

Only sign-ups inside the service area are stored; the contact details are personal data, shown to
clinic staff by ``hamcoach lead list`` and never logged or exported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hamcoach.program.errors import InvalidOverrideError, InvalidZipError
from hamcoach.program.redflags import validate_flags
from hamcoach.program.signup import Offer, check_zip
from hamcoach.storage.errors import (
    IncompleteSignupError,
    LeadNotFoundError,
    PatientExistsError,
    PatientNotFoundError,
)
from hamcoach.storage.models import LeadRow, Patient, ScreeningRow
from hamcoach.storage.repo import Database, utcnow

LeadStatus = Literal["new", "contacted", "enrolled", "closed"]
LEAD_STATUSES: tuple[LeadStatus, ...] = ("new", "contacted", "enrolled", "closed")


@dataclass(frozen=True)
class Lead:
    id: int
    created_at: datetime
    zip: str
    county: str
    border: bool
    offer: str
    name: str
    phone: str
    email: str
    red_flags: tuple[str, ...]
    urgent: bool
    status: str
    patient_id: int | None


def _lead(r: LeadRow) -> Lead:
    return Lead(
        id=r.id,
        created_at=r.created_at,
        zip=r.zip,
        county=r.county,
        border=r.border,
        offer=r.offer,
        name=r.name,
        phone=r.phone,
        email=r.email,
        red_flags=tuple(str(f) for f in r.red_flags),
        urgent=r.urgent,
        status=r.status,
        patient_id=r.patient_id,
    )


def add_lead(
    db: Database,
    *,
    zip_code: str,
    offer: Offer,
    name: str,
    phone: str = "",
    email: str = "",
    red_flags: Sequence[str] = (),
    at: datetime | None = None,
) -> int:
    """Store a sign-up from inside the service area; its id. Outside it, nothing is stored."""
    area = check_zip(zip_code)
    if not area.in_area or area.county is None:
        raise InvalidZipError(area.message, hint="Nothing was stored.")
    if not name.strip() or not (phone.strip() or email.strip()):
        raise IncompleteSignupError(
            "A sign-up needs a name and a phone number or an e-mail address."
        )
    flags = validate_flags(red_flags)
    with db.transaction() as s:
        row = LeadRow(
            created_at=at or utcnow(),
            zip=area.zip,
            county=area.county,
            border=area.border,
            offer=offer,
            name=name.strip(),
            phone=phone.strip(),
            email=email.strip(),
            red_flags=list(flags),
            urgent=bool(flags),
            status="new",
        )
        s.add(row)
        s.flush()
        return row.id


def list_leads(db: Database, *, include_done: bool = False) -> list[Lead]:
    """Leads for staff: urgent ones first, then oldest first (open ones only, unless asked)."""
    with db.transaction() as s:
        q = select(LeadRow)
        if not include_done:
            q = q.where(LeadRow.status.in_(("new", "contacted")))
        rows = s.scalars(q.order_by(LeadRow.urgent.desc(), LeadRow.created_at, LeadRow.id))
        return [_lead(r) for r in rows]


def set_lead_status(db: Database, lead_id: int, status: LeadStatus) -> None:
    """Mark a lead new, contacted or closed (``enrolled`` comes only from :func:`enroll_lead`)."""
    if status == "enrolled":
        raise LeadNotFoundError(
            "A lead is enrolled by making a patient of it.",
            hint="Use `hamcoach lead enroll ID CODE`.",
        )
    with db.transaction() as s:
        row = s.get(LeadRow, lead_id)
        if row is None:
            raise LeadNotFoundError(f"No lead #{lead_id}.")
        row.status = status


def enroll_lead(
    db: Database, lead_id: int, code: str, *, baseline_pain: int = 0, at: datetime | None = None
) -> int:
    """Make a patient of a lead, in one transaction; the lead's red flags (if any) become the
    patient's first screen, so the program stays locked until a clinician clears them. The new
    patient's id."""
    when = at or utcnow()
    if not code.strip():
        raise PatientNotFoundError("A patient code is needed.", hint="Use a short handle: P001.")
    if not 0 <= baseline_pain <= 10:
        raise InvalidOverrideError(f"Baseline pain must be 0-10 (got {baseline_pain}).")
    try:
        with db.transaction() as s:
            row = s.get(LeadRow, lead_id)
            if row is None:
                raise LeadNotFoundError(f"No lead #{lead_id}.")
            if row.patient_id is not None:
                raise LeadNotFoundError(
                    f"Lead #{lead_id} is already patient #{row.patient_id}.",
                    hint="Use `hamcoach patient show` for that patient.",
                )
            patient = Patient(
                code=code.strip(),
                name=row.name,
                baseline_pain=baseline_pain,
                start_b="B1",
                start_s="S1",
                start_d="D1",
                created_at=when,
            )
            s.add(patient)
            s.flush()
            if row.red_flags:
                s.add(ScreeningRow(patient_id=patient.id, at=when, flags=list(row.red_flags)))
            row.patient_id = patient.id
            row.status = "enrolled"
            return patient.id
    except IntegrityError as exc:
        raise PatientExistsError(f"A patient with code {code!r} already exists.") from exc
