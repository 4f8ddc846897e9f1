"""Saving live sets like any other session, through the storage API.

A :class:`DatabaseSink` belongs to one live session of one patient: the stored session is opened
with the first set that has reps (so a page opened and closed saves nothing), each set is stored
with its audit in one transaction (``add_set``), and the end runs the program's rules
(``complete_session``), exactly as ``hamcoach session`` does. A process killed in between leaves
whole sets and an ``open`` session, which the rules ignore and ``history`` shows as interrupted.
"""

from __future__ import annotations

from typing import Literal

from hamcoach.audit import Audit
from hamcoach.program.catalog import PROGRAM, LadderId, Stage
from hamcoach.program.errors import ProgramLockedError
from hamcoach.program.history import set_from_audit
from hamcoach.program.plan import check_stage_allowed, todays_plan
from hamcoach.program.rules import rules_at, target_at
from hamcoach.program.rules_settings import ProgramRules
from hamcoach.storage.repo import (
    Database,
    add_set,
    complete_session,
    find_patient,
    load_history,
    open_database,
    start_session,
)


class DatabaseSink:
    """Stores the sets of one live session for one patient (a :class:`SetSink`)."""

    def __init__(self, patient: str, stage: Stage, *, db_url: str | None = None) -> None:
        self.db: Database = open_database(db_url)
        try:
            self.patient = find_patient(self.db, patient)
            history = load_history(self.db, self.patient.id)
            self._rules = rules_at(history.overrides, None)
            plan = todays_plan(history)
            if plan.locked:
                raise ProgramLockedError(plan.locked)
            check_stage_allowed(plan, stage.id)
            self.target = target_at(stage, history.overrides, None, self._rules)
        except BaseException:
            self.db.close()
            raise
        self.stage = stage
        self.session_id: int | None = None

    @property
    def rules(self) -> ProgramRules:
        return self._rules

    def save_set(self, audit: Audit, stage: str, *, pain: int | None, cramp: bool) -> str:
        if self.session_id is None:
            self.session_id = start_session(self.db, self.patient.id, pain_before=None)
        record = set_from_audit(audit, stage, PROGRAM, pain=pain, cramp=cramp)
        add_set(self.db, self.session_id, record, audit=audit)
        return f"Saved to session #{self.session_id} of {self.patient.code}."

    def close(self, *, status: Literal["completed", "stopped"], stop_reason: str) -> list[str]:
        try:
            if self.session_id is None:
                return []
            decisions = complete_session(
                self.db, self.session_id, pain_after=None, status=status, stop_reason=stop_reason
            )
            return [
                f"{d.stage} -> {d.next_stage} ({d.action}): " + " ".join(d.reasons)
                for d in decisions.values()
            ]
        finally:
            self.db.close()


def planned_stage(patient: str, ladder: LadderId, *, db_url: str | None = None) -> str:
    """Today's stage of ``patient`` on ``ladder`` (what the live page offers by default)."""
    db = open_database(db_url)
    try:
        plan = todays_plan(load_history(db, find_patient(db, patient).id))
    finally:
        db.close()
    return next(i.stage for i in plan.items if i.ladder == ladder)
