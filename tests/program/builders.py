"""Small builders for histories with known answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from hamcoach.program.catalog import PROGRAM
from hamcoach.program.history import (
    Override,
    PatientHistory,
    Screening,
    SessionRecord,
    SetRecord,
    set_from_counts,
)

T0 = datetime(2026, 1, 5, 18, 0)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def two(stage: str, good: int, reps: int | None = None, **kw: object) -> SetRecord:
    """A hand-logged two-leg set."""
    return set_from_counts(stage, PROGRAM, reps=reps if reps is not None else good, good=good, **kw)


def one(stage: str, left: tuple[int, int], right: tuple[int, int], **kw: object) -> SetRecord:
    """A hand-logged single-leg set; left/right as (good, reps)."""
    return set_from_counts(stage, PROGRAM, left=left, right=right, **kw)


def session(
    n: float,
    *sets: SetRecord,
    pain_before: int | None = 1,
    pain_after: int | None = 1,
    morning: int | None = None,
) -> SessionRecord:
    return SessionRecord(
        id=int(n * 10) + 1,
        started_at=day(n),
        program_version=PROGRAM.version,
        pain_before=pain_before,
        pain_after=pain_after,
        morning_pain=morning,
        sets=sets,
    )


def history(
    *sessions: SessionRecord,
    baseline: int = 0,
    starts: dict[str, str] | None = None,
    screenings: tuple[Screening, ...] = (),
    overrides: tuple[Override, ...] = (),
) -> PatientHistory:
    return PatientHistory(
        patient="T1",
        baseline_pain=baseline,
        start_stages={"B": "B1", "S": "S1", "D": "D1", **(starts or {})},
        sessions=sessions,
        screenings=screenings,
        overrides=overrides,
    )
