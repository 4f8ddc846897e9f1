"""Reading and writing patient history. Every write is one transaction.

A session is written as it happens: the session row first (status ``open``), then each set in its
own transaction together with its audit and per-rep rows, then the end of the session (pain after,
status, decisions). A process killed part-way leaves whole sets only, and an ``open`` session that
the rules ignore and the history shows as interrupted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from hamcoach.audit import Audit, Leg
from hamcoach.program.catalog import PROGRAM, PROGRAM_VERSION, LadderId, Program
from hamcoach.program.errors import InvalidOverrideError, ProgramLockedError
from hamcoach.program.history import Override as OverrideValue
from hamcoach.program.history import (
    OverrideKind,
    PatientHistory,
    RepRecord,
    SessionRecord,
    SessionStatus,
    SetRecord,
    SetSource,
)
from hamcoach.program.history import Screening as ScreeningValue
from hamcoach.program.redflags import validate_flags
from hamcoach.program.rules import Decision, decide_all, rules_at
from hamcoach.program.rules_settings import DEFAULT_RULES
from hamcoach.storage.engine import make_engine, resolve_url
from hamcoach.storage.errors import (
    AuditNotFoundError,
    AuditStageMismatchError,
    DatabaseError,
    PatientExistsError,
    PatientNotFoundError,
    SessionNotFoundError,
)
from hamcoach.storage.migrate import current_revision, head_revision, upgrade_engine
from hamcoach.storage.models import (
    AuditFindingRow,
    AuditRepRow,
    AuditRow,
    Clinician,
    DecisionRow,
    OverrideRow,
    PainReportRow,
    Patient,
    ScreeningRow,
    SetRow,
    TrainingSession,
)


def utcnow() -> datetime:
    """Naive UTC, to the second: how every timestamp is stored."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Database:
    """One database: an engine and a transaction factory."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        try:
            with self._sessions.begin() as s:
                yield s
        except OperationalError as exc:
            raise DatabaseError(f"The database could not be used: {exc.orig}") from exc

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open the database at ``url`` (``--db``, else ``HAMCOACH_DB_URL``, else the default SQLite
    file) and bring its schema to head."""
    resolved = resolve_url(url)
    try:
        engine = make_engine(resolved)
        if migrate and current_revision(engine) != head_revision():
            upgrade_engine(engine)
    except OperationalError as exc:
        raise DatabaseError(f"The database could not be opened: {exc.orig}") from exc
    except OSError as exc:
        raise DatabaseError(f"The database folder cannot be used: {exc}") from exc
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(
            f"The database URL cannot be used: {exc}",
            hint="Use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB (pip install psycopg).",
        ) from exc
    return Database(resolved, engine)


# --- people -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatientInfo:
    id: int
    code: str
    name: str | None
    baseline_pain: int
    start_stages: dict[LadderId, str]
    created_at: datetime


def _info(p: Patient) -> PatientInfo:
    return PatientInfo(
        id=p.id,
        code=p.code,
        name=p.name,
        baseline_pain=p.baseline_pain,
        start_stages={"B": p.start_b, "S": p.start_s, "D": p.start_d},
        created_at=p.created_at,
    )


def _clinician_id(s: Session, name: str, at: datetime) -> int:
    name = name.strip()
    if not name:
        raise InvalidOverrideError("A clinician's name is needed.", hint="Pass --by NAME.")
    found = s.scalar(select(Clinician.id).where(Clinician.name == name))
    if found is not None:
        return found
    row = Clinician(name=name, created_at=at)
    s.add(row)
    s.flush()
    return row.id


def add_clinician(db: Database, name: str, *, at: datetime | None = None) -> int:
    """The clinician's id (created if new)."""
    with db.transaction() as s:
        return _clinician_id(s, name, at or utcnow())


def add_patient(
    db: Database,
    code: str,
    *,
    name: str | None = None,
    baseline_pain: int = 0,
    start_stages: dict[LadderId, str] | None = None,
    program: Program = PROGRAM,
    at: datetime | None = None,
) -> int:
    code = code.strip()
    if not code:
        raise PatientNotFoundError("A patient code is needed.", hint="Use a short handle: P001.")
    if not 0 <= baseline_pain <= 10:
        raise InvalidOverrideError(f"Baseline pain must be 0-10 (got {baseline_pain}).")
    starts = {"B": "B1", "S": "S1", "D": "D1", **(start_stages or {})}
    for ladder, stage in starts.items():
        if program.stage(stage).ladder != ladder:
            raise InvalidOverrideError(f"Stage {stage} is not on ladder {ladder}.")
    try:
        with db.transaction() as s:
            row = Patient(
                code=code,
                name=name,
                baseline_pain=baseline_pain,
                start_b=program.stage(starts["B"]).id,
                start_s=program.stage(starts["S"]).id,
                start_d=program.stage(starts["D"]).id,
                created_at=at or utcnow(),
            )
            s.add(row)
            s.flush()
            return row.id
    except IntegrityError as exc:
        raise PatientExistsError(f"A patient with code {code!r} already exists.") from exc


def find_patient(db: Database, ref: str | int) -> PatientInfo:
    """A patient by code, or by id (an int, or ``#12``)."""
    with db.transaction() as s:
        row: Patient | None
        if isinstance(ref, int) or (isinstance(ref, str) and ref.startswith("#")):
            key = ref if isinstance(ref, int) else ref[1:]
            row = s.get(Patient, int(key)) if str(key).isdigit() else None
        else:
            row = s.scalar(select(Patient).where(Patient.code == ref.strip()))
        if row is None:
            raise PatientNotFoundError(f"No patient {ref!r}.")
        return _info(row)


def list_patients(db: Database) -> list[PatientInfo]:
    with db.transaction() as s:
        return [_info(p) for p in s.scalars(select(Patient).order_by(Patient.code))]


# --- sessions and sets --------------------------------------------------------------------------


def start_session(
    db: Database,
    patient_id: int,
    *,
    pain_before: int | None,
    at: datetime | None = None,
    program_version: str = PROGRAM_VERSION,
) -> int:
    with db.transaction() as s:
        if s.get(Patient, patient_id) is None:
            raise PatientNotFoundError(f"No patient #{patient_id}.")
        locked = s.scalars(
            select(ScreeningRow)
            .where(ScreeningRow.patient_id == patient_id)
            .where(ScreeningRow.cleared_at.is_(None))
        ).all()
        if any(r.flags for r in locked):
            raise ProgramLockedError(
                "A red flag was reported: no session until a clinician clears it."
            )
        row = TrainingSession(
            patient_id=patient_id,
            started_at=at or utcnow(),
            program_version=program_version,
            status="open",
            stop_reason="",
            pain_before=pain_before,
        )
        s.add(row)
        s.flush()
        return row.id


def _store_audit(
    s: Session, patient_id: int, audit: Audit, stage: str | None, *, program: Program, at: datetime
) -> int:
    stage_id = stage or audit.stage
    if stage_id is not None:
        st = program.stage(stage_id)
        if st.exercise != audit.exercise:
            raise AuditStageMismatchError(
                f"The audit is of {audit.exercise}, but stage {st.id} is {st.exercise}."
            )
        stage_id = st.id
    row = AuditRow(
        patient_id=patient_id,
        created_at=at,
        exercise=audit.exercise,
        stage=stage_id,
        schema_version=audit.schema_version,
        hamcoach_version=audit.hamcoach_version,
        view=audit.view,
        source_name=audit.source.name,
        reps=audit.counts.reps,
        good=audit.counts.good,
        good_left=audit.counts.good_left,
        good_right=audit.counts.good_right,
        document=audit.to_json(indent=None),
    )
    s.add(row)
    s.flush()
    for rep in audit.reps:
        rep_row = AuditRepRow(
            audit_id=row.id,
            rep_index=rep.index,
            leg=rep.leg,
            good=rep.good,
            start_s=rep.start_s,
            bottom_s=rep.bottom_s,
            end_s=rep.end_s,
            down_s=rep.down_s,
            pause_s=rep.pause_s,
            up_s=rep.up_s,
            range_fraction=rep.range_fraction,
        )
        s.add(rep_row)
        s.flush()
        s.add_all(
            AuditFindingRow(
                rep_id=rep_row.id,
                check_id=f.check,
                verdict=f.verdict,
                value=f.value,
                threshold=f.threshold,
                unit=f.unit,
                reason=f.reason,
                frame=f.frame,
            )
            for f in rep.findings
        )
    s.flush()
    return row.id


def store_audit(
    db: Database,
    patient_id: int,
    audit: Audit,
    stage: str | None = None,
    *,
    program: Program = PROGRAM,
    at: datetime | None = None,
) -> int:
    """Store one audit for a patient (the JSON plus per-rep and per-finding rows); its id.

    ``stage`` (or, if None, ``audit.stage``) must be a stage of the audit's exercise.
    """
    with db.transaction() as s:
        if s.get(Patient, patient_id) is None:
            raise PatientNotFoundError(f"No patient #{patient_id}.")
        return _store_audit(s, patient_id, audit, stage, program=program, at=at or utcnow())


def store_audit_for_patient(
    patient: str,
    audit: Audit,
    *,
    stage: str | None = None,
    db_url: str | None = None,
) -> int:
    """What ``hamcoach audit VIDEO --patient P`` calls: open the database (``db_url``, else
    ``HAMCOACH_DB_URL``, else the default), find patient ``P`` by code, store the audit; its id."""
    db = open_database(db_url)
    try:
        return store_audit(db, find_patient(db, patient).id, audit, stage)
    finally:
        db.close()


def load_audit(db: Database, audit_id: int) -> Audit:
    with db.transaction() as s:
        row = s.get(AuditRow, audit_id)
        if row is None:
            raise AuditNotFoundError(f"No audit #{audit_id}.")
        return Audit.model_validate_json(row.document)


def audit_stage(db: Database, audit_id: int) -> tuple[int, str | None]:
    """(patient id, stage) of a stored audit."""
    with db.transaction() as s:
        row = s.get(AuditRow, audit_id)
        if row is None:
            raise AuditNotFoundError(f"No audit #{audit_id}.")
        return row.patient_id, row.stage


@dataclass(frozen=True)
class FaultSeen:
    rep: int
    leg: str
    check: str
    frame: int | None
    reason: str


@dataclass(frozen=True)
class AuditSummary:
    id: int
    created_at: datetime
    exercise: str
    stage: str | None
    source_name: str
    reps: int
    good: int
    used_in_session: int | None
    faults: tuple[FaultSeen, ...]


def list_audits(db: Database, patient_id: int) -> list[AuditSummary]:
    """A patient's stored audits, newest first, each with the faults seen (rep, check, frame)."""
    with db.transaction() as s:
        audits = s.scalars(
            select(AuditRow)
            .where(AuditRow.patient_id == patient_id)
            .order_by(AuditRow.created_at.desc(), AuditRow.id.desc())
        ).all()
        ids = [a.id for a in audits]
        faults: dict[int, list[FaultSeen]] = {i: [] for i in ids}
        for rep, finding in s.execute(
            select(AuditRepRow, AuditFindingRow)
            .join(AuditFindingRow, AuditFindingRow.rep_id == AuditRepRow.id)
            .where(AuditRepRow.audit_id.in_(ids))
            .where(AuditFindingRow.verdict == "fail")
            .order_by(AuditRepRow.rep_index, AuditFindingRow.id)
        ).all():
            faults[rep.audit_id].append(
                FaultSeen(rep.rep_index, rep.leg, finding.check_id, finding.frame, finding.reason)
            )
        used: dict[int | None, int] = {
            audit_id: session_id
            for audit_id, session_id in s.execute(
                select(SetRow.audit_id, SetRow.session_id).where(SetRow.audit_id.in_(ids))
            ).all()
        }
        return [
            AuditSummary(
                id=a.id,
                created_at=a.created_at,
                exercise=a.exercise,
                stage=a.stage,
                source_name=a.source_name,
                reps=a.reps,
                good=a.good,
                used_in_session=used.get(a.id),
                faults=tuple(faults[a.id]),
            )
            for a in audits
        ]


def add_set(
    db: Database,
    session_id: int,
    record: SetRecord,
    *,
    audit: Audit | None = None,
    program: Program = PROGRAM,
    at: datetime | None = None,
) -> int:
    """Append one set to an open session, with its audit if given, in one transaction."""
    when = at or utcnow()
    stage = program.stage(record.stage)
    with db.transaction() as s:
        sess = s.get(TrainingSession, session_id)
        if sess is None:
            raise SessionNotFoundError(f"No session #{session_id}.")
        audit_id = record.audit_id
        if audit is not None:
            audit_id = _store_audit(s, sess.patient_id, audit, stage.id, program=program, at=when)
        elif audit_id is not None and s.get(AuditRow, audit_id) is None:
            raise AuditNotFoundError(f"No audit #{audit_id}.")
        position = (
            s.scalar(select(func.max(SetRow.position)).where(SetRow.session_id == session_id)) or 0
        ) + 1
        row = SetRow(
            session_id=session_id,
            position=position,
            ladder=stage.ladder,
            stage=stage.id,
            exercise=stage.exercise,
            source=record.source,
            reps=record.reps,
            good=record.good,
            reps_left=record.reps_left,
            reps_right=record.reps_right,
            good_left=record.good_left,
            good_right=record.good_right,
            load_kg=record.load_kg,
            pain=record.pain,
            cramp=record.cramp,
            audit_id=audit_id,
            created_at=when,
        )
        s.add(row)
        s.flush()
        return row.id


def finish_session(
    db: Database,
    session_id: int,
    *,
    pain_after: int | None,
    status: SessionStatus = "completed",
    stop_reason: str = "",
    decisions: Iterable[Decision] = (),
    at: datetime | None = None,
) -> None:
    """Close a session and log the decisions it led to, in one transaction."""
    with db.transaction() as s:
        sess = s.get(TrainingSession, session_id)
        if sess is None:
            raise SessionNotFoundError(f"No session #{session_id}.")
        sess.pain_after = pain_after
        sess.status = status
        sess.stop_reason = stop_reason
        sess.ended_at = at or utcnow()
        s.add_all(
            DecisionRow(
                session_id=session_id,
                ladder=d.ladder,
                action=d.action,
                stage=d.stage,
                next_stage=d.next_stage,
                load_kg=d.load_kg,
                reasons=list(d.reasons),
                program_version=sess.program_version,
            )
            for d in decisions
        )


def complete_session(
    db: Database,
    session_id: int,
    *,
    pain_after: int | None,
    status: SessionStatus = "completed",
    stop_reason: str = "",
    program: Program = PROGRAM,
    at: datetime | None = None,
) -> dict[LadderId, Decision]:
    """End a session: judge it with the rules, log the decisions of the ladders it worked on,
    close it. Returns those decisions (provisional until the next-morning pain is in)."""
    with db.transaction() as s:
        sess = s.get(TrainingSession, session_id)
        if sess is None:
            raise SessionNotFoundError(f"No session #{session_id}.")
        patient_id = sess.patient_id
    history = load_history(db, patient_id, include_open=True)
    sessions = tuple(
        x.model_copy(
            update={"status": status, "pain_after": pain_after, "stop_reason": stop_reason}
        )
        if x.id == session_id
        else x
        for x in history.sessions
        if x.id == session_id or x.status != "open"
    )
    done = next(x for x in sessions if x.id == session_id)
    worked = {program.stage(st.stage).ladder for st in done.sets}
    judged = history.model_copy(update={"sessions": sessions})
    decisions = {
        ladder: _provisional(d, history.baseline_pain, judged)
        for ladder, d in decide_all(judged, program).items()
        if ladder in worked
    }
    finish_session(
        db,
        session_id,
        pain_after=pain_after,
        status=status,
        stop_reason=stop_reason,
        decisions=decisions.values(),
        at=at,
    )
    return decisions


def _provisional(d: Decision, baseline: int, history: PatientHistory) -> Decision:
    if d.action != "progress":
        return d
    rules = rules_at(history.overrides, None)
    limit = baseline + rules.pain.morning_above_baseline.value
    note = (
        f"This holds if tomorrow morning's pain is no more than {limit:g}/10 "
        "(report it with `hamcoach morning PATIENT --pain N`)."
    )
    return d.model_copy(update={"reasons": (*d.reasons, note)})


def record_morning_pain(
    db: Database,
    patient_id: int,
    score: int,
    *,
    session_id: int | None = None,
    at: datetime | None = None,
) -> int:
    """Next-morning pain, attached to the session it follows (default: the latest finished one)."""
    if not 0 <= score <= 10:
        raise InvalidOverrideError(f"Pain is scored 0-10 (got {score}).")
    with db.transaction() as s:
        if session_id is None:
            session_id = s.scalar(
                select(TrainingSession.id)
                .where(TrainingSession.patient_id == patient_id)
                .where(TrainingSession.status != "open")
                .order_by(TrainingSession.started_at.desc(), TrainingSession.id.desc())
                .limit(1)
            )
            if session_id is None:
                raise SessionNotFoundError("No finished session to attach the morning pain to.")
        row = PainReportRow(
            patient_id=patient_id,
            session_id=session_id,
            kind="morning",
            score=score,
            reported_at=at or utcnow(),
        )
        s.add(row)
        s.flush()
        return row.id


def record_screening(
    db: Database, patient_id: int, flags: Sequence[str], *, at: datetime | None = None
) -> int:
    checked = validate_flags(flags)
    with db.transaction() as s:
        if s.get(Patient, patient_id) is None:
            raise PatientNotFoundError(f"No patient #{patient_id}.")
        row = ScreeningRow(patient_id=patient_id, at=at or utcnow(), flags=list(checked))
        s.add(row)
        s.flush()
        return row.id


def clear_red_flags(
    db: Database, patient_id: int, *, clinician: str, reason: str, at: datetime | None = None
) -> int:
    """A clinician clears every open red flag of a patient; how many were cleared."""
    if not reason.strip():
        raise InvalidOverrideError("Clearing a red flag needs a reason.", hint="Pass --reason.")
    when = at or utcnow()
    with db.transaction() as s:
        cid = _clinician_id(s, clinician, when)
        rows = s.scalars(
            select(ScreeningRow)
            .where(ScreeningRow.patient_id == patient_id)
            .where(ScreeningRow.cleared_at.is_(None))
        ).all()
        open_rows = [r for r in rows if r.flags]
        for r in open_rows:
            r.cleared_at = when
            r.cleared_by_id = cid
            r.clear_reason = reason
        return len(open_rows)


def add_override(
    db: Database,
    patient_id: int,
    *,
    clinician: str,
    reason: str,
    kind: OverrideKind,
    key: str,
    value: str | float,
    program: Program = PROGRAM,
    at: datetime | None = None,
) -> int:
    """Record a clinician's override (validated first); it applies from ``at`` on."""
    if not reason.strip():
        raise InvalidOverrideError("An override needs a reason.", hint="Pass --reason.")
    text = f"{value:g}" if isinstance(value, float) else str(value).strip()
    if kind == "threshold":
        DEFAULT_RULES.with_value(key, _as_number(text))
    elif kind == "target":
        key = program.stage(key).id
        if _as_number(text) < 1:
            raise InvalidOverrideError(f"A target must be at least 1 rep (got {text}).")
    else:
        text = program.stage(text).id
        key = program.stage(text).ladder
    when = at or utcnow()
    with db.transaction() as s:
        if s.get(Patient, patient_id) is None:
            raise PatientNotFoundError(f"No patient #{patient_id}.")
        row = OverrideRow(
            patient_id=patient_id,
            clinician_id=_clinician_id(s, clinician, when),
            at=when,
            kind=kind,
            key=key,
            value=text,
            reason=reason,
        )
        s.add(row)
        s.flush()
        return row.id


def _as_number(text: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise InvalidOverrideError(f"{text!r} is not a number.") from exc


# --- reading history ----------------------------------------------------------------------------


def load_history(db: Database, patient_id: int, *, include_open: bool = False) -> PatientHistory:
    """Everything the rules read about a patient, oldest first."""
    with db.transaction() as s:
        patient = s.get(Patient, patient_id)
        if patient is None:
            raise PatientNotFoundError(f"No patient #{patient_id}.")
        q = select(TrainingSession).where(TrainingSession.patient_id == patient_id)
        if not include_open:
            q = q.where(TrainingSession.status != "open")
        sessions = s.scalars(q.order_by(TrainingSession.started_at, TrainingSession.id)).all()
        ids = [x.id for x in sessions]
        sets_by: dict[int, list[SetRow]] = {i: [] for i in ids}
        for row in s.scalars(
            select(SetRow).where(SetRow.session_id.in_(ids)).order_by(SetRow.position)
        ):
            sets_by[row.session_id].append(row)
        audit_ids = [r.audit_id for rows in sets_by.values() for r in rows if r.audit_id]
        reps_by: dict[int, list[AuditRepRow]] = {i: [] for i in audit_ids}
        stage_of = {
            a.id: a.stage for a in s.scalars(select(AuditRow).where(AuditRow.id.in_(audit_ids)))
        }
        for rep in s.scalars(
            select(AuditRepRow)
            .where(AuditRepRow.audit_id.in_(audit_ids))
            .order_by(AuditRepRow.rep_index)
        ):
            reps_by[rep.audit_id].append(rep)
        failed_reps = set(
            s.scalars(
                select(AuditFindingRow.rep_id)
                .join(AuditRepRow, AuditRepRow.id == AuditFindingRow.rep_id)
                .where(AuditRepRow.audit_id.in_(audit_ids))
                .where(AuditFindingRow.verdict == "fail")
            )
        )
        morning: dict[int, int] = {}
        for p in s.scalars(
            select(PainReportRow)
            .where(PainReportRow.patient_id == patient_id)
            .where(PainReportRow.kind == "morning")
            .order_by(PainReportRow.reported_at, PainReportRow.id)
        ):
            if p.session_id is not None:
                morning[p.session_id] = p.score  # the latest report for a session wins
        names = {c.id: c.name for c in s.scalars(select(Clinician))}
        screenings = s.scalars(
            select(ScreeningRow)
            .where(ScreeningRow.patient_id == patient_id)
            .order_by(ScreeningRow.at, ScreeningRow.id)
        ).all()
        overrides = s.scalars(
            select(OverrideRow)
            .where(OverrideRow.patient_id == patient_id)
            .order_by(OverrideRow.at, OverrideRow.id)
        ).all()

        def set_value(r: SetRow) -> SetRecord:
            details: tuple[RepRecord, ...] = ()
            if r.audit_id is not None:
                st = PROGRAM.stage(stage_of.get(r.audit_id) or r.stage)
                details = tuple(
                    RepRecord(
                        leg=_leg(x.leg),
                        good=x.good,
                        eccentric_s=x.down_s if st.eccentric_phase == "down" else x.up_s,
                        failed=x.id in failed_reps,
                    )
                    for x in reps_by.get(r.audit_id, [])
                )
            return SetRecord(
                stage=r.stage,
                exercise=r.exercise,
                source=_source(r.source),
                reps=r.reps,
                good=r.good,
                reps_left=r.reps_left,
                reps_right=r.reps_right,
                good_left=r.good_left,
                good_right=r.good_right,
                rep_details=details,
                load_kg=r.load_kg,
                pain=r.pain,
                cramp=r.cramp,
                audit_id=r.audit_id,
            )

        return PatientHistory(
            patient=patient.code,
            baseline_pain=patient.baseline_pain,
            start_stages={"B": patient.start_b, "S": patient.start_s, "D": patient.start_d},
            sessions=tuple(
                SessionRecord(
                    id=x.id,
                    started_at=x.started_at,
                    program_version=x.program_version,
                    status=_status(x.status),
                    stop_reason=x.stop_reason,
                    pain_before=x.pain_before,
                    pain_after=x.pain_after,
                    morning_pain=morning.get(x.id),
                    sets=tuple(set_value(r) for r in sets_by[x.id]),
                )
                for x in sessions
            ),
            screenings=tuple(
                ScreeningValue(
                    at=x.at,
                    flags=tuple(str(f) for f in x.flags),
                    cleared_at=x.cleared_at,
                    cleared_by=names.get(x.cleared_by_id) if x.cleared_by_id else None,
                    clear_reason=x.clear_reason,
                )
                for x in screenings
            ),
            overrides=tuple(
                OverrideValue(
                    at=o.at,
                    clinician=names[o.clinician_id],
                    reason=o.reason,
                    kind=_kind(o.kind),
                    key=o.key,
                    value=o.value,
                )
                for o in overrides
            ),
        )


@dataclass(frozen=True)
class StoredDecision:
    session_id: int
    ladder: str
    action: str
    stage: str
    next_stage: str
    load_kg: float | None
    reasons: tuple[str, ...]


def load_decisions(db: Database, patient_id: int) -> list[StoredDecision]:
    """The decisions announced at the end of each session, as they were logged."""
    with db.transaction() as s:
        rows = s.scalars(
            select(DecisionRow)
            .join(TrainingSession, TrainingSession.id == DecisionRow.session_id)
            .where(TrainingSession.patient_id == patient_id)
            .order_by(TrainingSession.started_at, DecisionRow.id)
        ).all()
        return [
            StoredDecision(
                session_id=r.session_id,
                ladder=r.ladder,
                action=r.action,
                stage=r.stage,
                next_stage=r.next_stage,
                load_kg=r.load_kg,
                reasons=tuple(str(x) for x in r.reasons),
            )
            for r in rows
        ]


def _leg(x: str) -> Leg:
    if x in ("both", "left", "right"):
        return cast(Leg, x)
    raise DatabaseError(f"Unexpected leg {x!r} in the database.")


def _source(x: str) -> SetSource:
    if x in ("audit", "manual"):
        return cast(SetSource, x)
    raise DatabaseError(f"Unexpected set source {x!r} in the database.")


def _status(x: str) -> SessionStatus:
    if x in ("open", "completed", "stopped"):
        return cast(SessionStatus, x)
    raise DatabaseError(f"Unexpected session status {x!r} in the database.")


def _kind(x: str) -> OverrideKind:
    if x in ("threshold", "target", "stage"):
        return cast(OverrideKind, x)
    raise DatabaseError(f"Unexpected override kind {x!r} in the database.")
