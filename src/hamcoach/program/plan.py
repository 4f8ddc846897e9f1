"""Today's plan: one stage from each ladder, with its target, tempo, checks and cues."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from hamcoach.program.catalog import LADDER_NAMES, LADDERS, PROGRAM, LadderId, Program
from hamcoach.program.errors import StageNotAllowedError
from hamcoach.program.history import PatientHistory
from hamcoach.program.redflags import lock_reason
from hamcoach.program.rules import Decision, clinic_alerts, decide_all, rules_at, target_at
from hamcoach.program.rules_settings import DEFAULT_RULES, ProgramRules


class PlanItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ladder: LadderId
    ladder_name: str
    stage: str
    stage_name: str
    exercise: str
    single_leg: bool
    loaded: bool
    target: int
    target_text: str
    load_kg: float | None
    tempo: str
    cues: tuple[str, ...]
    required_checks: tuple[str, ...]
    decision: Decision


class Plan(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    patient: str
    program_version: str
    locked: str | None
    items: tuple[PlanItem, ...]
    alerts: tuple[str, ...]


def todays_plan(
    history: PatientHistory, program: Program = PROGRAM, rules: ProgramRules = DEFAULT_RULES
) -> Plan:
    """The exercises for the next session (pure: the same history gives the same plan)."""
    decisions = decide_all(history, program, rules=rules)
    now_rules = rules_at(history.overrides, None, rules)
    items = []
    for ladder in LADDERS:
        d = decisions[ladder]
        st = program.stage(d.next_stage)
        target = target_at(st, history.overrides, None, now_rules)
        if st.loaded:
            load = f"{d.load_kg:g} kg" if d.load_kg is not None else "a light load"
            text = f"sets of {target} good reps with {load}; add load after 2-for-2"
        elif st.single_leg:
            text = f"{target} good reps on each leg in this session"
        else:
            text = f"{target} good reps in this session"
        items.append(
            PlanItem(
                ladder=ladder,
                ladder_name=LADDER_NAMES[ladder],
                stage=st.id,
                stage_name=st.name,
                exercise=st.exercise,
                single_leg=st.single_leg,
                loaded=st.loaded,
                target=target,
                target_text=text,
                load_kg=d.load_kg if st.loaded else None,
                tempo=st.tempo,
                cues=st.cues,
                required_checks=st.required_checks,
                decision=d,
            )
        )
    return Plan(
        patient=history.patient,
        program_version=program.version,
        locked=lock_reason(history),
        items=tuple(items),
        alerts=tuple(clinic_alerts(history, rules)),
    )


def check_stage_allowed(plan: Plan, stage_id: str, program: Program = PROGRAM) -> None:
    """A set may be of the planned stage or an easier one on the same ladder, never a harder one:
    progression only moves one stage at a time, through the rules or a clinician."""
    stage = program.stage(stage_id)
    planned = next(i for i in plan.items if i.ladder == stage.ladder)
    if program.position(stage.id) > program.position(planned.stage):
        raise StageNotAllowedError(
            f"Today's plan has {planned.stage} ({planned.stage_name}) on this ladder, "
            f"not {stage.id} ({stage.name})."
        )
