"""The program's rules as pure functions over a patient's history (PROGRAM.md sections 3-4).

Nothing here reads a clock, a file or a database: the same history always gives the same
decision, and every decision carries its reasons in plain words.

How the current stage is found: the ladder starts at the patient's start stage and the rules are
replayed over every finished session in order. Each session is judged at the stage it was done at,
with the thresholds and targets in force at its time (clinician overrides apply from their time
on), and with the next-morning pain reported after it. A clinician's stage override moves the
ladder at its time. A progression announced at the end of a session is therefore provisional: a
raised next-morning pain takes it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from hamcoach.program.catalog import LADDERS, PROGRAM, LadderId, Program, Stage
from hamcoach.program.errors import InvalidOverrideError
from hamcoach.program.history import (
    Override,
    PatientHistory,
    SessionRecord,
    SetRecord,
    sets_on_ladder,
)
from hamcoach.program.redflags import lock_reason
from hamcoach.program.rules_settings import DEFAULT_RULES, ProgramRules

Action = Literal["start", "progress", "stay", "regress", "add_load", "override", "locked"]
PainLevel = Literal["fine", "acceptable", "stop_exercise", "stop_session"]


class Decision(BaseModel):
    """What to do next on one ladder, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ladder: LadderId
    action: Action
    stage: str
    """The stage the decision judged (the one last done on this ladder)."""
    next_stage: str
    """The stage to do next."""
    load_kg: float | None = None
    """For loaded stages: the load to use next (None: not known yet, pick a light one)."""
    reasons: tuple[str, ...]
    alerts: tuple[str, ...] = ()
    """Things the clinic must be told."""


class PainAdvice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    level: PainLevel
    message: str


def _n(x: float) -> str:
    """A threshold as people write it: 30 not 30.0."""
    return f"{x:g}"


# --- pain and cramps during a session -----------------------------------------------------------


def pain_advice(score: int, rules: ProgramRules = DEFAULT_RULES) -> PainAdvice:
    """What to do about a pain score (0-10) reported during the session."""
    p = rules.pain
    if score >= p.stop_session_at.value:
        return PainAdvice(
            level="stop_session",
            message=(
                f"Pain {score}/10 is {_n(p.stop_session_at.value)}/10 or more: stop the session "
                "now. Your clinic will be alerted; please contact your physical therapist."
            ),
        )
    if score > p.stop_exercise_above.value:
        return PainAdvice(
            level="stop_exercise",
            message=(
                f"Pain {score}/10 is above {_n(p.stop_exercise_above.value)}/10: stop this "
                "exercise and talk to your physical therapist. Next time: one stage easier."
            ),
        )
    if score > p.fine_max.value:
        return PainAdvice(
            level="acceptable",
            message=(
                f"Pain {score}/10 is acceptable (up to {_n(p.acceptable_max.value)}/10); keep an "
                "eye on it."
            ),
        )
    return PainAdvice(level="fine", message=f"Pain {score}/10 is fine.")


def cramp_advice(
    cramps_so_far: int,
    stage: Stage,
    program: Program = PROGRAM,
    rules: ProgramRules = DEFAULT_RULES,
) -> str:
    """What to say after a cramp; ``cramps_so_far`` counts this one."""
    if cramps_so_far >= rules.cramp.recur_count.value:
        easier = program.previous_stage(stage.id)
        easier_text = f"{easier.id} ({easier.name})" if easier else "a shorter set"
        return (
            f"Cramps keep coming back ({cramps_so_far} this session): stop this exercise. "
            f"Next time try the easier stage, {easier_text}, and tell your therapist."
        )
    return "Cramp: stop, rest until it settles, then carry on."


# --- overrides ----------------------------------------------------------------------------------


def _in_force(overrides: Sequence[Override], when: datetime | None) -> list[Override]:
    ordered = sorted(overrides, key=lambda o: o.at)
    return [o for o in ordered if when is None or o.at <= when]


def rules_at(
    overrides: Sequence[Override], when: datetime | None, base: ProgramRules = DEFAULT_RULES
) -> ProgramRules:
    """The thresholds in force at ``when`` (None: now, i.e. every override)."""
    rules = base
    for o in _in_force(overrides, when):
        if o.kind == "threshold":
            rules = rules.with_value(
                o.key, _number(o), note=f"override by {o.clinician}: {o.reason}"
            )
    return rules


def target_at(
    stage: Stage,
    overrides: Sequence[Override],
    when: datetime | None,
    rules: ProgramRules,
) -> int:
    """The stage target in force at ``when``: good reps per leg, or reps per set when loaded."""
    target = (
        rules.load.set_target_reps.value
        if stage.loaded
        else rules.progression.target_good_reps_per_leg.value
    )
    for o in _in_force(overrides, when):
        if o.kind == "target" and o.key.upper() == stage.id:
            target = _number(o)
    return round(target)


def _number(o: Override) -> float:
    try:
        return float(o.value)
    except ValueError as exc:
        raise InvalidOverrideError(
            f"Override of {o.key} has a value that is not a number: {o.value!r}."
        ) from exc


# --- judging one session on one ladder ----------------------------------------------------------


@dataclass
class _Judged:
    stage: str
    fail_fraction: float
    last_set_good: int
    load_kg: float | None


@dataclass
class _LadderState:
    stage: str
    load_kg: float | None = None
    judged: list[_Judged] = field(default_factory=list)
    """Sessions judged at the current stage, oldest first (reset when the stage changes)."""


def _good_per_leg(sets: Sequence[SetRecord], stage: Stage, min_ecc: float) -> tuple[int, int, int]:
    """Good reps per leg that also were slow enough, and how many good reps were too fast."""
    left = right = too_fast = 0
    for s in sets:
        if not s.rep_details:
            left += s.good_left
            right += s.good_right
            continue
        for r in s.rep_details:
            if not r.good:
                continue
            if r.eccentric_s is not None and r.eccentric_s < min_ecc:
                too_fast += 1
                continue
            if r.leg in ("left", "both"):
                left += 1
            if r.leg in ("right", "both"):
                right += 1
    if not stage.single_leg:
        # Two-leg stages credit both legs with the same reps.
        both = min(left, right)
        return both, both, too_fast
    return left, right, too_fast


def _failed(s: SetRecord) -> int:
    """Reps that failed a form check. An audited rep that could not be judged (verdict unknown)
    is not a good rep, but it did not fail either: a fault that was not seen is never counted."""
    if s.rep_details:
        return sum(1 for r in s.rep_details if r.failed)
    return s.reps - s.good


def _stage_text(stage: Stage | None) -> str:
    return f"{stage.id} ({stage.name})" if stage else ""


def _regress(
    ladder: LadderId, stage: Stage, program: Program, why: str, alerts: tuple[str, ...] = ()
) -> Decision:
    easier = program.previous_stage(stage.id)
    if easier is None:
        return Decision(
            ladder=ladder,
            action="stay",
            stage=stage.id,
            next_stage=stage.id,
            reasons=(
                why,
                f"{stage.id} is already the first stage of its ladder: stay there and "
                "ask your therapist before the next session.",
            ),
            alerts=alerts,
        )
    return Decision(
        ladder=ladder,
        action="regress",
        stage=stage.id,
        next_stage=easier.id,
        reasons=(why, f"Back one stage to {_stage_text(easier)}."),
        alerts=alerts,
    )


def judge_session(
    history: PatientHistory,
    *,
    session: SessionRecord,
    ladder: LadderId,
    state: _LadderState,
    program: Program,
    overrides: Sequence[Override],
    base_rules: ProgramRules,
) -> tuple[Decision, _Judged] | None:
    """The decision one finished session leads to on one ladder (None: the ladder was not done)."""
    sets = sets_on_ladder(session, ladder, program)
    if not sets:
        return None
    stage = program.stage(sets[-1].stage)
    sets = [s for s in sets if s.stage == stage.id]
    rules = rules_at(overrides, session.started_at, base_rules)
    target = target_at(stage, overrides, session.started_at, rules)
    p = rules.pain

    reps = sum(s.reps for s in sets)
    fail_fraction = sum(_failed(s) for s in sets) / reps if reps else 0.0
    last = sets[-1]
    last_good = min(last.good_left, last.good_right) if stage.single_leg else last.good
    load = (
        last.load_kg
        if last.load_kg is not None
        else (state.load_kg if stage.id == state.stage else None)
    )
    judged = _Judged(stage.id, fail_fraction, last_good, load)
    earlier = [j for j in state.judged if j.stage == stage.id] if stage.id == state.stage else []

    # 1. Pain during the exercise.
    pains = [s.pain for s in sets if s.pain is not None]
    worst = max(pains) if pains else None
    if worst is not None and worst >= p.stop_session_at.value:
        day = f"{session.started_at:%Y-%m-%d}"
        alert = f"Pain {worst}/10 during {stage.name} on {day}: session stopped."
        why = (
            f"Pain {worst}/10 during {stage.name} reached {_n(p.stop_session_at.value)}/10: the "
            "session was stopped and the clinic alerted."
        )
        return _regress(ladder, stage, program, why, (alert,)), judged
    if worst is not None and worst > p.stop_exercise_above.value:
        why = (
            f"Pain {worst}/10 during {stage.name} is above {_n(p.stop_exercise_above.value)}/10: "
            "the exercise was stopped."
        )
        return _regress(ladder, stage, program, why), judged

    # 2. Cramps that came back.
    cramps = sum(1 for s in sets if s.cramp)
    if cramps >= rules.cramp.recur_count.value:
        why = f"Cramps came back ({cramps} in this session): an easier stage is suggested."
        alert = f"Recurring cramps during {stage.name} on {session.started_at:%Y-%m-%d}."
        d = _regress(ladder, stage, program, why, (alert,))
        return d.model_copy(
            update={"reasons": (*d.reasons, "Tell your therapist about the cramps.")}
        ), judged

    # 3. Form failing in sessions running.
    limit = rules.regression.form_fail_fraction.value
    needed = round(rules.regression.form_fail_sessions.value)
    if fail_fraction > limit:
        run = [fail_fraction]
        for j in reversed(earlier):
            if j.fail_fraction <= limit:
                break
            run.append(j.fail_fraction)
        if len(run) >= needed:
            shares = ", ".join(f"{f:.0%}" for f in reversed(run[:needed]))
            why = (
                f"More than {limit:.0%} of reps failed form in {needed} sessions running "
                f"({shares})."
            )
            return _regress(ladder, stage, program, why), judged

    # 4. What blocks progression.
    blockers: list[str] = []
    if worst is not None and worst > p.acceptable_max.value:
        blockers.append(
            f"Pain {worst}/10 during {stage.name} is above the acceptable "
            f"{_n(p.acceptable_max.value)}/10: no progression."
        )
    if session.pain_after is not None and session.pain_after > p.acceptable_max.value:
        blockers.append(
            f"Pain after the session was {session.pain_after}/10, above "
            f"{_n(p.acceptable_max.value)}/10: no progression."
        )
    limit_morning = history.baseline_pain + p.morning_above_baseline.value
    if session.morning_pain is not None and session.morning_pain > limit_morning:
        blockers.append(
            f"Next-morning pain {session.morning_pain}/10 is above your baseline "
            f"{history.baseline_pain}/10 + {_n(p.morning_above_baseline.value)}: "
            "no progression."
        )
    if cramps:
        blockers.append(
            "A cramp in this session: stay at this stage until a session is cramp-free."
        )

    # 5. Loaded stages: the 2-for-2 rule.
    if stage.loaded:
        extra = round(rules.load.extra_reps.value)
        running = round(rules.load.sessions_running.value)
        hit = last_good >= target + extra
        streak = 1 if hit else 0
        if hit:
            for j in reversed(earlier):
                if j.last_set_good < target + extra or j.load_kg != load:
                    break
                streak += 1
        at_load = f"{_n(load)} kg" if load is not None else "the current load"
        head = (
            f"Last set: {last_good} good reps at {at_load}"
            f" (target {target}, 2-for-2 needs {target + extra})."
        )
        if streak >= running and not blockers:
            new_load = (load or 0.0) + rules.load.load_step_kg.value
            return Decision(
                ladder=ladder,
                action="add_load",
                stage=stage.id,
                next_stage=stage.id,
                load_kg=new_load,
                reasons=(
                    head,
                    f"Target + {extra} in the last set {running} sessions running: add "
                    f"{_n(rules.load.load_step_kg.value)} kg (next load {_n(new_load)} kg).",
                ),
            ), judged
        more = (
            f"Reached in {streak} of {running} sessions running."
            if hit
            else "Not reached in this session."
        )
        return Decision(
            ladder=ladder,
            action="stay",
            stage=stage.id,
            next_stage=stage.id,
            load_kg=load,
            reasons=(head, more, *blockers, f"Stay at {_stage_text(stage)} at the same load."),
        ), judged

    # 6. Bodyweight stages: the stage target in one session.
    gl, gr, too_fast = _good_per_leg(sets, stage, rules.progression.min_eccentric_s.value)
    if stage.single_leg:
        head = f"Good reps: left {gl}, right {gr}; the target is {target} on each leg."
    else:
        head = f"Good reps: {gl}; the target is {target}."
    notes = [head]
    if too_fast:
        notes.append(
            f"{too_fast} good rep(s) were lowered faster than "
            f"{_n(rules.progression.min_eccentric_s.value)} s and do not count: slow down."
        )
    met = gl >= target and gr >= target
    nxt = program.next_stage(stage.id)
    if met and not blockers and nxt is not None:
        return Decision(
            ladder=ladder,
            action="progress",
            stage=stage.id,
            next_stage=nxt.id,
            reasons=(*notes, f"Target reached, slow and controlled: on to {_stage_text(nxt)}."),
        ), judged
    if met and not blockers:
        notes.append(f"Target reached at the top of the {stage.ladder} ladder: keep it up.")
    elif met:
        notes.append("Target reached, but:")
    else:
        short = [
            f"{leg} {target - n} short" for leg, n in (("left", gl), ("right", gr)) if n < target
        ]
        notes.append(
            "Not yet: " + (", ".join(short) if stage.single_leg else f"{target - gl} short") + "."
        )
    return Decision(
        ladder=ladder,
        action="stay",
        stage=stage.id,
        next_stage=stage.id,
        reasons=(*notes, *blockers, f"Stay at {_stage_text(stage)}."),
    ), judged


# --- the public decisions -----------------------------------------------------------------------


def replay(
    history: PatientHistory,
    program: Program = PROGRAM,
    overrides: Sequence[Override] | None = None,
    *,
    ladder: LadderId,
    rules: ProgramRules = DEFAULT_RULES,
) -> list[tuple[SessionRecord | Override, Decision]]:
    """Every decision on one ladder, in order, each with the session or override that caused it."""
    ovs = history.overrides if overrides is None else tuple(overrides)
    state = _LadderState(
        stage=program.stage(history.start_stages.get(ladder, program.first(ladder).id)).id
    )
    events: list[tuple[datetime, int, SessionRecord | Override]] = []
    for s in history.sessions:
        if s.status != "open":
            events.append((s.started_at, 1, s))
    for o in ovs:
        if o.kind == "stage" and program.stage(o.value).ladder == ladder:
            events.append((o.at, 0, o))
    events.sort(key=lambda e: (e[0], e[1]))
    out: list[tuple[SessionRecord | Override, Decision]] = []
    for _, _, ev in events:
        if isinstance(ev, Override):
            new = program.stage(ev.value)
            d = Decision(
                ladder=ladder,
                action="override",
                stage=state.stage,
                next_stage=new.id,
                reasons=(
                    f"Clinician {ev.clinician} set the stage to {_stage_text(new)} on "
                    f"{ev.at:%Y-%m-%d}: {ev.reason}",
                ),
            )
            state = _LadderState(stage=new.id)
            out.append((ev, d))
            continue
        judged = judge_session(
            history,
            session=ev,
            ladder=ladder,
            state=state,
            program=program,
            overrides=ovs,
            base_rules=rules,
        )
        if judged is None:
            continue
        d, j = judged
        if d.next_stage == j.stage:
            prior = state.judged if state.stage == j.stage else []
            state = _LadderState(
                stage=j.stage,
                load_kg=d.load_kg if d.load_kg is not None else j.load_kg,
                judged=[*prior, j],
            )
            if d.action == "add_load":
                state.judged = []  # a new load starts a new 2-for-2 count
        else:
            state = _LadderState(stage=d.next_stage)
        out.append((ev, d))
    return out


def decide_progression(
    history: PatientHistory,
    program: Program = PROGRAM,
    overrides: Sequence[Override] | None = None,
    *,
    ladder: LadderId,
    rules: ProgramRules = DEFAULT_RULES,
) -> Decision:
    """What to do next on ``ladder``: the last decision of the replay, unless the program is locked.

    ``overrides`` default to the ones recorded in ``history``.
    """
    steps = replay(history, program, overrides, ladder=ladder, rules=rules)
    if steps:
        decision = steps[-1][1]
    else:
        start = program.stage(history.start_stages.get(ladder, program.first(ladder).id))
        decision = Decision(
            ladder=ladder,
            action="start",
            stage=start.id,
            next_stage=start.id,
            reasons=(f"No session on this ladder yet: start at {_stage_text(start)}.",),
        )
    locked = lock_reason(history)
    if locked:
        return Decision(
            ladder=ladder,
            action="locked",
            stage=decision.stage,
            next_stage=decision.next_stage,
            load_kg=decision.load_kg,
            reasons=(locked, *decision.reasons),
            alerts=(locked,),
        )
    return decision


def decide_all(
    history: PatientHistory,
    program: Program = PROGRAM,
    overrides: Sequence[Override] | None = None,
    *,
    rules: ProgramRules = DEFAULT_RULES,
) -> dict[LadderId, Decision]:
    return {
        ladder: decide_progression(history, program, overrides, ladder=ladder, rules=rules)
        for ladder in LADDERS
    }


def clinic_alerts(history: PatientHistory, rules: ProgramRules = DEFAULT_RULES) -> list[str]:
    """What the clinic must hear about now: red flags, pain stops, raised mornings running."""
    out: list[str] = []
    locked = lock_reason(history)
    if locked:
        out.append(locked)
    finished = [s for s in history.sessions if s.status != "open"]
    r = rules_at(history.overrides, None, rules)
    if finished:
        last = finished[-1]
        worst = max((s.pain for s in last.sets if s.pain is not None), default=None)
        if worst is not None and worst >= r.pain.stop_session_at.value:
            out.append(f"Pain {worst}/10 on {last.started_at:%Y-%m-%d}: the session was stopped.")
        cramps = sum(1 for s in last.sets if s.cramp)
        if cramps >= r.cramp.recur_count.value:
            out.append(f"Recurring cramps ({cramps}) on {last.started_at:%Y-%m-%d}.")
    limit = history.baseline_pain + r.pain.morning_above_baseline.value
    mornings = [s.morning_pain for s in finished if s.morning_pain is not None]
    need = round(r.pain.morning_alert_mornings.value)
    if len(mornings) >= need and all(m > limit for m in mornings[-need:]):
        shown = ", ".join(f"{m}/10" for m in mornings[-need:])
        out.append(
            f"Next-morning pain above baseline + {_n(r.pain.morning_above_baseline.value)} "
            f"{need} mornings running ({shown})."
        )
    return out
