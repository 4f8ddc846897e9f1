"""The web demo: a clinic, its therapist, patients with logins, a second clinic, and sign-ups.

``seed_demo_web(db_url, storage_dir)`` is what ``make demo`` and ``hamcoach serve --demo`` call.
It is idempotent: running it again changes nothing (passwords are reset to the demo ones).
The demo patient's three weeks of history come from :func:`hamcoach.program.demo.build_demo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from hamcoach.program.demo import DEMO_CLINICIAN, DEMO_PATIENT, build_demo
from hamcoach.storage.models import LeadRow, Patient
from hamcoach.storage.repo import Database, add_clinician, add_patient, utcnow
from hamcoach.web.app import open_web_database
from hamcoach.web.auth import hash_password
from hamcoach.web.models import ClinicRow, LeadClinicRow, PatientClinicRow, UserRow

DEMO_CLINIC = "Hamstring Health Physical Therapy"
DEMO_CLINIC_TOWN = "Doylestown, PA"
OTHER_CLINIC = "Riverside Physio"
OTHER_CLINIC_TOWN = "Trenton, NJ"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    who: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "clinician", "therapist@demo.hamcoach", "demo-therapist", f"{DEMO_CLINICIAN}, {DEMO_CLINIC}"
    ),
    DemoLogin(
        "patient", "patient@demo.hamcoach", "demo-patient", "patient demo: three weeks of history"
    ),
    DemoLogin("patient", "newpatient@demo.hamcoach", "demo-patient", "patient P002: just starting"),
    DemoLogin(
        "clinician", "other@demo.hamcoach", "demo-other", f"{OTHER_CLINIC}: sees none of the above"
    ),
)


def demo_logins_present(db: Database) -> tuple[DemoLogin, ...]:
    """The demo logins that exist in this database (what ``hamcoach serve`` prints)."""
    with db.transaction() as s:
        found = set(
            s.scalars(
                select(UserRow.email).where(UserRow.email.in_([x.email for x in DEMO_LOGINS]))
            )
        )
    return tuple(x for x in DEMO_LOGINS if x.email in found)


def _clinic(db: Database, name: str, town: str, takes_signups: bool) -> int:
    with db.transaction() as s:
        row = s.scalar(select(ClinicRow).where(ClinicRow.name == name))
        if row is None:
            row = ClinicRow(name=name, town=town, takes_signups=takes_signups, created_at=utcnow())
            s.add(row)
            s.flush()
        return row.id


def _patient(db: Database, code: str, clinic_id: int, *, name: str | None, build: bool) -> int:
    with db.transaction() as s:
        found = s.scalar(select(Patient.id).where(Patient.code == code))
    if found is None:
        if build:
            found = build_demo(db.url, patient_code=code).patient_id
        else:
            found = add_patient(
                db, code, name=name, baseline_pain=1, at=utcnow() - timedelta(hours=1)
            )
    with db.transaction() as s:
        p = s.get(Patient, found)
        if p is not None and name and not p.name:
            p.name = name
        if s.get(PatientClinicRow, found) is None:
            s.add(PatientClinicRow(patient_id=found, clinic_id=clinic_id))
    return found


def _user(
    db: Database,
    login: DemoLogin,
    clinic_id: int,
    *,
    clinician_id: int | None = None,
    patient_id: int | None = None,
) -> None:
    with db.transaction() as s:
        row = s.scalar(select(UserRow).where(UserRow.email == login.email))
        if row is None:
            row = UserRow(
                email=login.email,
                role=login.role,
                clinic_id=clinic_id,
                clinician_id=clinician_id,
                patient_id=patient_id,
                active=True,
                created_at=utcnow(),
            )
            s.add(row)
        row.password_hash = hash_password(login.password)


def seed_demo_web(db_url: str, storage_dir: Path | None = None) -> tuple[DemoLogin, ...]:
    """Seed the web demo into the database at ``db_url``; the demo logins.

    ``storage_dir`` (uploads and reports) is created if given; the demo needs nothing in it.
    """
    if storage_dir is not None:
        Path(storage_dir).mkdir(parents=True, exist_ok=True)
    db = open_web_database(db_url)
    try:
        clinic = _clinic(db, DEMO_CLINIC, DEMO_CLINIC_TOWN, takes_signups=True)
        other = _clinic(db, OTHER_CLINIC, OTHER_CLINIC_TOWN, takes_signups=False)
        therapist, patient, newcomer, stranger = DEMO_LOGINS
        _user(db, therapist, clinic, clinician_id=add_clinician(db, DEMO_CLINICIAN))
        _user(db, stranger, other, clinician_id=add_clinician(db, "Riverside Therapist"))
        demo_id = _patient(db, DEMO_PATIENT, clinic, name="Dana Demo", build=True)
        _user(db, patient, clinic, patient_id=demo_id)
        new_id = _patient(db, "P002", clinic, name="Pat Newman", build=False)
        _user(db, newcomer, clinic, patient_id=new_id)
        _seed_leads(db, clinic)
        return DEMO_LOGINS
    finally:
        db.close()


def _seed_leads(db: Database, clinic_id: int) -> None:
    with db.transaction() as s:
        if s.scalar(select(LeadClinicRow.lead_id).where(LeadClinicRow.clinic_id == clinic_id)):
            return
        now = utcnow()
        samples: tuple[tuple[str, str, str, str, str, list[str]], ...] = (
            ("Sam Sample", "18901", "Bucks", "215-555-0100", "", []),
            ("Alex Example", "19401", "Montgomery", "", "alex@example.com", []),
        )
        for name, zip_code, county, phone, email, flags in samples:
            lead = LeadRow(
                created_at=now - timedelta(hours=3),
                zip=zip_code,
                county=county,
                border=False,
                offer="trial",
                name=name,
                phone=phone,
                email=email,
                red_flags=flags,
                urgent=bool(flags),
                status="new",
            )
            s.add(lead)
            s.flush()
            s.add(LeadClinicRow(lead_id=lead.id, clinic_id=clinic_id))
