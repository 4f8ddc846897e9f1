"""Clinic-side queries: a clinic's patients with their alerts, invitations, a patient's timeline.

Pure reads and small writes over the program's tables and the web tables; the routes in
:mod:`hamcoach.web.routes_clinic` only call these and render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from hamcoach.program.catalog import LADDER_NAMES
from hamcoach.program.history import PatientHistory
from hamcoach.program.plan import todays_plan
from hamcoach.program.redflags import RED_FLAGS
from hamcoach.program.rules import clinic_alerts
from hamcoach.reports.progress import ACTION_WORDS
from hamcoach.storage.models import Clinician, Patient
from hamcoach.storage.repo import (
    Database,
    StoredDecision,
    load_decisions,
    load_history,
    utcnow,
)
from hamcoach.web.auth import new_token
from hamcoach.web.models import PatientClinicRow, UserRow

NEVER_LOGGED_DAYS = 2
"""A patient with no session this many days after joining gets a missed-sessions alert."""
FLAG_TEXT = {f.id: f.question for f in RED_FLAGS}
LADDER_NAMES_ANY: dict[str, str] = {k: v for k, v in LADDER_NAMES.items()}


@dataclass(frozen=True)
class PatientRow:
    id: int
    code: str
    name: str | None
    alerts: tuple[str, ...]
    stages: tuple[str, ...]
    last_session: datetime | None
    locked: bool
    account: str
    """'active', 'invited' or 'none'."""


@dataclass
class TimelineEvent:
    at: datetime
    kind: str
    text: str
    details: list[str] = field(default_factory=list)


def patient_alerts(
    db: Database, patient_id: int, history: PatientHistory, missed_days: int, now: datetime
) -> list[str]:
    """The clinic's alerts for one patient: the program's own (red flags, pain stops, raised
    mornings, cramps), plus a regression at the last session and missed sessions."""
    out = list(clinic_alerts(history))
    finished = [s for s in history.sessions if s.status != "open"]
    decisions = load_decisions(db, patient_id)
    if finished and decisions:
        last_id = finished[-1].id
        regressed = [d for d in decisions if d.session_id == last_id and d.action == "regress"]
        for d in regressed:
            out.append(
                f"Moved down {d.stage} -> {d.next_stage} after the session of "
                f"{finished[-1].started_at:%Y-%m-%d}."
            )
    if finished:
        idle = (now - finished[-1].started_at).days
        if idle >= missed_days:
            out.append(
                f"No session logged for {idle} days (last {finished[-1].started_at:%Y-%m-%d})."
            )
    return out


def clinic_patients(db: Database, clinic_id: int, missed_days: int) -> list[PatientRow]:
    """The clinic's patients, those with alerts first (most alerts first), then by code."""
    now = utcnow()
    with db.transaction() as s:
        rows = s.execute(
            select(Patient, UserRow)
            .join(PatientClinicRow, PatientClinicRow.patient_id == Patient.id)
            .outerjoin(UserRow, UserRow.patient_id == Patient.id)
            .where(PatientClinicRow.clinic_id == clinic_id)
        ).all()
        people = [(p.id, p.code, p.name, p.created_at, u) for p, u in rows]
    out = []
    for pid, code, name, created, account in people:
        history = load_history(db, pid)
        plan = todays_plan(history)
        alerts = patient_alerts(db, pid, history, missed_days, now)
        if not history.sessions and (now - created).days >= NEVER_LOGGED_DAYS:
            alerts.append(f"No session logged since joining on {created:%Y-%m-%d}.")
        last = history.sessions[-1].started_at if history.sessions else None
        if account is None:
            state = "none"
        elif account.password_hash:
            state = "active"
        else:
            state = "invited"
        out.append(
            PatientRow(
                id=pid,
                code=code,
                name=name,
                alerts=tuple(alerts),
                stages=tuple(i.stage for i in plan.items),
                last_session=last,
                locked=plan.locked is not None,
                account=state,
            )
        )
    out.sort(key=lambda r: (-len(r.alerts), r.code))
    return out


def issue_invite(db: Database, *, clinic_id: int, patient_id: int, email: str, days: float) -> str:
    """Create (or renew) the patient's account invitation; the token for the link."""
    token, digest = new_token()
    now = utcnow()
    with db.transaction() as s:
        user = s.scalar(select(UserRow).where(UserRow.patient_id == patient_id))
        if user is None:
            user = UserRow(
                email=email,
                password_hash="",
                role="patient",
                clinic_id=clinic_id,
                patient_id=patient_id,
                active=True,
                created_at=now,
            )
            s.add(user)
        user.invite_digest = digest
        user.invite_expires = now + timedelta(days=days)
    return token


def email_taken(db: Database, email: str, except_patient: int | None = None) -> bool:
    """Whether another account already logs in with this e-mail address."""
    with db.transaction() as s:
        row = s.scalar(select(UserRow).where(UserRow.email == email))
        return row is not None and (except_patient is None or row.patient_id != except_patient)


def link_patient(db: Database, patient_id: int, clinic_id: int) -> None:
    with db.transaction() as s:
        if s.get(PatientClinicRow, patient_id) is None:
            s.add(PatientClinicRow(patient_id=patient_id, clinic_id=clinic_id))


def clinician_name(db: Database, clinician_id: int | None) -> str:
    with db.transaction() as s:
        row = s.get(Clinician, clinician_id) if clinician_id is not None else None
        if row is None:
            raise LookupError("clinician account without a clinician")
        return row.name


def timeline(
    history: PatientHistory, decisions: Sequence[StoredDecision] = ()
) -> list[TimelineEvent]:
    """Everything that happened to a patient's program, newest first: sessions with their sets
    and the decisions announced at their end, red flags, overrides."""
    events: list[TimelineEvent] = []
    decided: dict[int, list[str]] = {}
    for d in decisions:
        words = ACTION_WORDS.get(d.action, d.action)
        move = f"{d.stage} -> {d.next_stage}" if d.next_stage != d.stage else d.stage
        decided.setdefault(d.session_id, []).append(
            f"{LADDER_NAMES_ANY.get(d.ladder, d.ladder)}: {words} ({move})"
        )
    for session in history.sessions:
        sets = [
            f"{st.stage}: {st.good}/{st.reps} good"
            + (
                f" (left {st.good_left}/{st.reps_left}, right {st.good_right}/{st.reps_right})"
                if st.reps_left != st.reps_right or st.good_left != st.good_right
                else ""
            )
            + (f", pain {st.pain}/10" if st.pain is not None else "")
            + (", cramp" if st.cramp else "")
            + (" [video audit]" if st.source == "audit" else "")
            for st in session.sets
        ]
        pain = (
            f"pain before {session.pain_before if session.pain_before is not None else '-'}, "
            f"after {session.pain_after if session.pain_after is not None else '-'}, "
            f"next morning {session.morning_pain if session.morning_pain is not None else '-'}"
        )
        status = {
            "completed": "Session",
            "stopped": "Session stopped early",
            "open": "Session left unfinished",
        }[session.status]
        outcome = decided.get(session.id, []) if session.id is not None else []
        events.append(
            TimelineEvent(
                session.started_at,
                "session",
                f"{status} ({pain})",
                sets + [f"Decision: {x}" for x in outcome],
            )
        )
    for screen in history.screenings:
        if screen.flags:
            text = "Red flag reported: " + "; ".join(FLAG_TEXT.get(f, f) for f in screen.flags)
            if screen.cleared_at:
                when = f"{screen.cleared_at:%Y-%m-%d}"
                details = [f"Cleared {when} by {screen.cleared_by}: {screen.clear_reason}"]
            else:
                details = ["Not cleared: the program is locked."]
            events.append(TimelineEvent(screen.at, "redflag", text, details))
    for o in history.overrides:
        events.append(
            TimelineEvent(
                o.at,
                "override",
                f"Override by {o.clinician}: {o.kind} {o.key} = {o.value}",
                [f"Why: {o.reason}"],
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    return events
