"""The demo patient: three weeks of sessions that show a progression, a clinician override, a
pain-triggered regression, a raised next-morning pain that holds a progression back, and the plan
that results.

The sets come either from video audits, through ``make_audit(exercise, stage, plan)`` (``make
demo`` passes one that runs the real pipeline on a synthetic performance of ``plan``), or, when
``make_audit`` is None, are logged by hand. :func:`synthetic_audit` builds an audit straight from a
plan, without video, for tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hamcoach import __version__
from hamcoach.audit import (
    Audit,
    Finding,
    Leg,
    Rep,
    SourceInfo,
    ViewInfo,
    count_reps,
)
from hamcoach.program.catalog import PROGRAM, LadderId, Program
from hamcoach.program.history import set_from_audit, set_from_counts
from hamcoach.program.plan import Plan, todays_plan
from hamcoach.program.rules import Decision
from hamcoach.storage.repo import (
    Database,
    add_override,
    add_patient,
    add_set,
    complete_session,
    load_history,
    open_database,
    record_morning_pain,
    record_screening,
    start_session,
)

DEMO_PATIENT = "demo"
DEMO_CLINICIAN = "Demo Clinician"


@dataclass(frozen=True)
class PlannedRep:
    leg: Leg
    good: bool
    eccentric_s: float = 2.0


@dataclass(frozen=True)
class RepPlan:
    """The reps a performer is to do in one set, in order: which leg, good form or not, and how
    slowly they lower. ``fault_check`` is the check a bad rep fails (it must be required by the
    stage)."""

    reps: tuple[PlannedRep, ...]
    fault_check: str

    @property
    def good(self) -> int:
        return sum(r.good for r in self.reps)


MakeAudit = Callable[[str, str, RepPlan], Audit]


def rep_plan(
    stage: str, good: tuple[int, int], bad: tuple[int, int] = (0, 0), program: Program = PROGRAM
) -> RepPlan:
    """A plan of ``good``/``bad`` reps as (left, right) for single-leg stages; two-leg stages use
    the first number of each. Bad reps come last (fatigue)."""
    st = program.stage(stage)
    reps: list[PlannedRep] = []
    if st.single_leg:
        for leg, g, b in (("left", good[0], bad[0]), ("right", good[1], bad[1])):
            side: Leg = "left" if leg == "left" else "right"
            reps += [PlannedRep(side, True)] * g + [PlannedRep(side, False)] * b
    else:
        reps = [PlannedRep("both", True)] * good[0] + [PlannedRep("both", False)] * bad[0]
    fault = next(c for c in st.required_checks if c != "tempo.controlled")
    return RepPlan(reps=tuple(reps), fault_check=fault)


def synthetic_audit(exercise: str, stage: str, plan: RepPlan, program: Program = PROGRAM) -> Audit:
    """An audit that says exactly what ``plan`` says, as the pipeline would write it."""
    st = program.stage(stage)
    reps = []
    t = 0.0
    for i, r in enumerate(plan.reps, start=1):
        down = r.eccentric_s if st.eccentric_phase == "down" else 1.0
        up = r.eccentric_s if st.eccentric_phase == "up" else 1.0
        findings = [
            Finding(
                check=c,
                verdict="fail" if (c == plan.fault_check and not r.good) else "pass",
                cue="Watch your form." if (c == plan.fault_check and not r.good) else "",
            )
            for c in st.required_checks
        ]
        reps.append(
            Rep(
                index=i,
                start_s=t,
                bottom_s=t + down,
                end_s=t + down + up,
                leg=r.leg,
                good=r.good,
                down_s=down,
                pause_s=0.0,
                up_s=up,
                findings=findings,
            )
        )
        t += down + up + 0.5
    return Audit(
        hamcoach_version=__version__,
        exercise=exercise,
        stage=st.id,
        view="side",
        view_info=ViewInfo(view="side", posture="lying" if st.ladder == "B" else "standing"),
        source=SourceInfo(
            name=f"demo-{st.id.lower()}.mp4",
            frames=round(t * 30),
            fps=30.0,
            duration_s=t,
            width=1280,
            height=720,
            backend="synthetic",
            person_frames_fraction=1.0,
        ),
        reps=reps,
        counts=count_reps(reps),
        checks_run=list(st.required_checks),
        checks_not_run=[],
        warnings=[],
    )


@dataclass(frozen=True)
class DemoSet:
    stage: str
    good: tuple[int, int]
    bad: tuple[int, int] = (0, 0)
    pain: int = 1
    cramp: bool = False
    load_kg: float | None = None


@dataclass(frozen=True)
class DemoSession:
    day: int
    pain_before: int
    pain_after: int
    sets: tuple[DemoSet, ...]
    morning_pain: int | None = None


# Baseline pain 2/10. Numbers are (left, right); two-leg stages use the first.
_S = DemoSet
DEMO_SCRIPT: tuple[DemoSession, ...] = (
    DemoSession(
        0,
        3,
        2,
        (
            _S("B1", (12, 12), (3, 3)),
            _S("B1", (12, 12), (3, 3)),
            _S("S1", (20, 20), (5, 5)),
            _S("D1", (10, 10), (5, 5)),
        ),
    ),
    DemoSession(
        2,
        2,
        2,
        (
            _S("B1", (15, 15)),
            _S("B1", (15, 15)),
            _S("S1", (30, 30), (2, 2)),
            _S("D1", (14, 15), (4, 3)),
        ),
        2,
    ),
    DemoSession(
        4, 2, 1, (_S("B2", (30, 30)), _S("S2", (18, 18), (12, 12)), _S("D1", (18, 17), (2, 3))), 2
    ),
    DemoSession(
        7,
        2,
        2,
        (_S("B3", (20, 22), (5, 3)), _S("S2", (24, 24), (6, 6)), _S("D1", (20, 21), (2, 1))),
        1,
    ),
    DemoSession(
        9,
        1,
        1,
        (_S("B3", (30, 28), (0, 2)), _S("S2", (30, 30), (1, 1)), _S("D1", (23, 22), (1, 2))),
        2,
    ),
    DemoSession(
        11, 1, 2, (_S("B3", (30, 30)), _S("S3", (12, 12), (6, 6)), _S("D1", (24, 25), (1, 0))), 2
    ),
    DemoSession(
        14,
        2,
        4,
        (
            _S("C1", (8, 8), (2, 2), pain=6),
            _S("S3", (15, 14), (5, 6)),
            _S("D2", (8, 8), load_kg=4.0),
        ),
        3,
    ),
    DemoSession(
        16,
        2,
        2,
        (
            _S("B3", (30, 30), pain=2),
            _S("S3", (18, 17), (2, 3)),
            _S("D2", (10, 10), load_kg=4.0, cramp=True),
        ),
        4,
    ),
    DemoSession(
        18, 2, 1, (_S("B3", (30, 30)), _S("S3", (20, 21)), _S("D2", (10, 10), load_kg=4.0)), 2
    ),
)
"""Three weeks, Monday-Wednesday-Friday. B: B1 -> B2 -> B3 -> C1; pain 6/10 in C1 sends it back
to B3; a raised next morning (4/10 against a baseline of 2) holds B3 back once; then C1 again.
S: S1 -> S2 -> S3. D: the clinician lowers the D1 target to 24 on day 7; D1 -> D2 on day 11;
the 2-for-2 rule adds load on day 18."""


@dataclass
class DemoResult:
    patient_id: int
    session_ids: list[int] = field(default_factory=list)
    decisions: list[dict[LadderId, Decision]] = field(default_factory=list)
    plan: Plan | None = None


def build_demo(
    db_url: str,
    make_audit: MakeAudit | None = None,
    *,
    start: datetime | None = None,
    patient_code: str = DEMO_PATIENT,
    program: Program = PROGRAM,
) -> DemoResult:
    """Create the demo patient and three weeks of sessions in the database at ``db_url`` (use a
    fresh one: the demo patient's code must be free).

    ``make_audit(exercise, stage, plan)`` turns each set's plan into an audit (the real pipeline in
    ``make demo``); None logs every set by hand. ``start`` is the first session's day (default:
    21 days ago, so the demo ends "today").
    """
    db = open_database(db_url)
    try:
        return _build(db, make_audit, start, patient_code, program)
    finally:
        db.close()


def _build(
    db: Database,
    make_audit: MakeAudit | None,
    start: datetime | None,
    patient_code: str,
    program: Program,
) -> DemoResult:
    first = start or (
        datetime.now().replace(hour=18, minute=0, second=0, microsecond=0) - timedelta(days=21)
    )
    pid = add_patient(db, patient_code, baseline_pain=2, at=first - timedelta(days=1))
    result = DemoResult(patient_id=pid)
    record_screening(db, pid, [], at=first - timedelta(minutes=5))
    for script in DEMO_SCRIPT:
        at = first + timedelta(days=script.day)
        # Each set is of the stage today's plan gives its ladder (the script's stage is the one
        # the story expects): the demo never skips a stage, whatever the audits say.
        plan = {i.ladder: i for i in todays_plan(load_history(db, pid), program).items}
        if script.day == 7:
            add_override(
                db,
                pid,
                clinician=DEMO_CLINICIAN,
                kind="target",
                key="D1",
                value="24",
                reason="balance limits the single-leg deadlift; 24 each leg is enough for D2",
                at=at - timedelta(hours=2),
            )
        sid = start_session(db, pid, pain_before=script.pain_before, at=at)
        for k, ds in enumerate(script.sets):
            planned = plan[program.stage(ds.stage).ladder]
            st = program.stage(planned.stage)
            load = (ds.load_kg or 4.0) if st.loaded else None
            if st.loaded and planned.load_kg is not None:
                load = planned.load_kg
            when = at + timedelta(minutes=5 * (k + 1))
            if make_audit is None:
                record = set_from_counts(
                    st.id,
                    program,
                    reps=ds.good[0] + ds.bad[0],
                    good=ds.good[0],
                    left=(ds.good[0], ds.good[0] + ds.bad[0]),
                    right=(ds.good[1], ds.good[1] + ds.bad[1]),
                    pain=ds.pain,
                    cramp=ds.cramp,
                    load_kg=load,
                )
                add_set(db, sid, record, program=program, at=when)
            else:
                audit = make_audit(st.exercise, st.id, rep_plan(st.id, ds.good, ds.bad, program))
                record = set_from_audit(
                    audit, st.id, program, pain=ds.pain, cramp=ds.cramp, load_kg=load
                )
                add_set(db, sid, record, audit=audit, program=program, at=when)
        stopped = any(d.pain >= 7 for d in script.sets)
        decisions = complete_session(
            db,
            sid,
            pain_after=script.pain_after,
            status="stopped" if stopped else "completed",
            program=program,
            at=at + timedelta(minutes=40),
        )
        if script.morning_pain is not None:
            record_morning_pain(
                db, pid, script.morning_pain, session_id=sid, at=at + timedelta(hours=14)
            )
        result.session_ids.append(sid)
        result.decisions.append(decisions)
    result.plan = todays_plan(load_history(db, pid), program)
    return result
