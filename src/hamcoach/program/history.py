"""A patient's history as plain values, what the rules read. Storage builds it; no I/O here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hamcoach.audit import Audit, Leg
from hamcoach.program.catalog import LadderId, Program
from hamcoach.program.errors import InvalidSetError

SetSource = Literal["audit", "manual"]
SessionStatus = Literal["open", "completed", "stopped"]
OverrideKind = Literal["threshold", "target", "stage"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RepRecord(_Value):
    """One audited rep, as far as the rules care."""

    leg: Leg
    good: bool
    eccentric_s: float | None = Field(None, description="duration of the slow, lowering phase")
    failed: bool = Field(False, description="a required check said fail (not just unknown)")


class SetRecord(_Value):
    """One set of one stage. Two-leg stages credit both legs (reps_left == reps_right == reps)."""

    stage: str
    exercise: str
    source: SetSource
    reps: int = Field(ge=0)
    good: int = Field(ge=0)
    reps_left: int = Field(ge=0)
    reps_right: int = Field(ge=0)
    good_left: int = Field(ge=0)
    good_right: int = Field(ge=0)
    rep_details: tuple[RepRecord, ...] = ()
    load_kg: float | None = None
    pain: int | None = Field(None, ge=0, le=10, description="worst pain during the set, 0-10")
    cramp: bool = False
    audit_id: int | None = None


class SessionRecord(_Value):
    id: int | None = None
    started_at: datetime
    program_version: str
    status: SessionStatus = "completed"
    stop_reason: str = ""
    pain_before: int | None = Field(None, ge=0, le=10)
    pain_after: int | None = Field(None, ge=0, le=10)
    morning_pain: int | None = Field(None, ge=0, le=10, description="pain the next morning")
    sets: tuple[SetRecord, ...] = ()


class Screening(_Value):
    """A red-flag screen: the flags answered yes (empty: all clear)."""

    at: datetime
    flags: tuple[str, ...] = ()
    cleared_at: datetime | None = None
    cleared_by: str | None = None
    clear_reason: str = ""


class Override(_Value):
    """A clinician's change to one threshold, one stage target, or a ladder's current stage."""

    at: datetime
    clinician: str
    reason: str
    kind: OverrideKind
    key: str = Field(description="threshold key (pain.stop_exercise_above), stage id, or ladder")
    value: str = Field(description="a number for thresholds and targets, a stage id for stages")


def _default_starts() -> dict[LadderId, str]:
    return {"B": "B1", "S": "S1", "D": "D1"}


class PatientHistory(_Value):
    patient: str = Field(description="the patient's code (a handle, not a name)")
    baseline_pain: int = Field(0, ge=0, le=10)
    start_stages: dict[LadderId, str] = Field(default_factory=_default_starts)
    sessions: tuple[SessionRecord, ...] = ()
    screenings: tuple[Screening, ...] = ()
    overrides: tuple[Override, ...] = ()


def set_from_counts(
    stage: str,
    program: Program,
    *,
    reps: int | None = None,
    good: int | None = None,
    left: tuple[int, int] | None = None,
    right: tuple[int, int] | None = None,
    load_kg: float | None = None,
    pain: int | None = None,
    cramp: bool = False,
) -> SetRecord:
    """A hand-logged set. Two-leg stages take ``reps``/``good``; single-leg ones ``left``/``right``
    as (good, reps). A hand-logged good rep is one the person judged slow, controlled, in form.
    """
    st = program.stage(stage)
    if st.single_leg:
        gl, rl = left or (0, 0)
        gr, rr = right or (0, 0)
        total, total_good = rl + rr, gl + gr
    else:
        total = reps or 0
        total_good = good if good is not None else total
        gl = gr = total_good
        rl = rr = total
    if total_good > total or gl > rl or gr > rr:
        raise InvalidSetError(f"More good reps than reps in a {st.id} set.")
    return SetRecord(
        stage=st.id,
        exercise=st.exercise,
        source="manual",
        reps=total,
        good=total_good,
        reps_left=rl,
        reps_right=rr,
        good_left=gl,
        good_right=gr,
        load_kg=load_kg,
        pain=pain,
        cramp=cramp,
    )


def set_from_audit(
    audit: Audit,
    stage: str,
    program: Program,
    *,
    audit_id: int | None = None,
    load_kg: float | None = None,
    pain: int | None = None,
    cramp: bool = False,
) -> SetRecord:
    """A set whose reps come from a video audit (counts and per-rep tempo)."""
    st = program.stage(stage)
    details = tuple(
        RepRecord(
            leg=r.leg,
            good=r.good,
            eccentric_s=r.down_s if st.eccentric_phase == "down" else r.up_s,
            failed=any(f.verdict == "fail" for f in r.findings),
        )
        for r in audit.reps
    )
    c = audit.counts
    return SetRecord(
        stage=st.id,
        exercise=st.exercise,
        source="audit",
        reps=c.reps,
        good=c.good,
        reps_left=c.left,
        reps_right=c.right,
        good_left=c.good_left,
        good_right=c.good_right,
        rep_details=details,
        load_kg=load_kg,
        pain=pain,
        cramp=cramp,
        audit_id=audit_id,
    )


def sets_on_ladder(
    session: SessionRecord, ladder: LadderId, program: Program
) -> Sequence[SetRecord]:
    return [s for s in session.sets if program.stage(s.stage).ladder == ladder]
