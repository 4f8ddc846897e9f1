"""The progress report of one patient: an HTML page over their whole history.

For the patient: where they are on each ladder and why, the stage timeline, good reps per leg per
session against the target, left/right balance, the pain trend, adherence, and every decision with
its reasons. The clinician version adds the overrides, the red-flag history, the clinic alerts,
the sessions stopped for pain, and the stored audits with their faults.

Pure: it reads a :class:`~hamcoach.program.history.PatientHistory` (and optionally the audit
summaries) and replays the program's rules (:func:`hamcoach.program.rules.replay`), so it always
agrees with ``hamcoach history``; it never touches the database itself.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import matplotlib
import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from hamcoach.program.catalog import LADDER_NAMES, LADDERS, PROGRAM, LadderId, Program
from hamcoach.program.history import Override, PatientHistory, SessionRecord
from hamcoach.program.redflags import RED_FLAGS, lock_reason
from hamcoach.program.rules import (
    Decision,
    clinic_alerts,
    decide_all,
    replay,
    rules_at,
    target_at,
)
from hamcoach.reports.audit_report import environment
from hamcoach.storage.repo import AuditSummary

ACTION_WORDS = {
    "start": "start",
    "progress": "move up",
    "stay": "stay",
    "regress": "move down",
    "add_load": "add load",
    "override": "changed by the clinician",
    "locked": "locked",
}
# Left and right differ "clearly" when the weaker leg has this much less than the stronger.
BALANCE_TOLERANCE = 0.10


@dataclass(frozen=True)
class LadderCell:
    """One ladder in one session."""

    stage: str
    single_leg: bool
    reps: int
    good: int
    good_left: int
    good_right: int
    target: int
    decision: Decision | None


@dataclass(frozen=True)
class SessionRow:
    id: int | None
    when: datetime
    status: str
    stop_reason: str
    pain_before: int | None
    pain_after: int | None
    morning_pain: int | None
    worst_set_pain: int | None
    cramps: int
    ladders: dict[LadderId, LadderCell]


@dataclass(frozen=True)
class Balance:
    ladder: LadderId
    good_left: int
    good_right: int
    sessions: int
    verdict: str


@dataclass(frozen=True)
class Adherence:
    sessions: int
    stopped: int
    interrupted: int
    days: int
    per_week: float | None
    weeks: list[tuple[str, int]]  # ISO week label, sessions finished
    mornings_reported: int


@dataclass(frozen=True)
class DecisionRow:
    when: datetime
    ladder: LadderId
    action: str
    stage: str
    next_stage: str
    reasons: tuple[str, ...]
    by_clinician: bool


@dataclass(frozen=True)
class ProgressData:
    patient: str
    name: str | None
    clinician: bool
    generated: date
    program_version: str
    baseline_pain: int
    current: dict[LadderId, Decision]
    locked: str | None
    sessions: list[SessionRow]
    decisions: list[DecisionRow]
    balance: list[Balance]
    adherence: Adherence
    alerts: list[str] = field(default_factory=list)
    overrides: tuple[Override, ...] = ()
    screenings: list[tuple[datetime, list[str], str]] = field(default_factory=list)
    audits: Sequence[AuditSummary] = ()
    versions: list[tuple[str, int]] = field(default_factory=list)


def _cell(
    session: SessionRecord,
    ladder: LadderId,
    history: PatientHistory,
    program: Program,
    decision: Decision | None,
) -> LadderCell | None:
    done = [s for s in session.sets if program.stage(s.stage).ladder == ladder]
    if not done:
        return None
    stage = program.stage(done[-1].stage)
    rules = rules_at(history.overrides, session.started_at)
    return LadderCell(
        stage=stage.id,
        single_leg=stage.single_leg,
        reps=sum(s.reps for s in done),
        good=sum(s.good for s in done),
        good_left=sum(s.good_left for s in done),
        good_right=sum(s.good_right for s in done),
        target=target_at(stage, history.overrides, session.started_at, rules),
        decision=decision,
    )


def _balance(rows: list[SessionRow]) -> list[Balance]:
    out = []
    for ladder in LADDERS:
        cells = [r.ladders[ladder] for r in rows if ladder in r.ladders]
        cells = [c for c in cells if c.single_leg]
        if not cells:
            continue
        left = sum(c.good_left for c in cells)
        right = sum(c.good_right for c in cells)
        strong = max(left, right)
        if strong == 0:
            verdict = "no good reps yet"
        elif abs(left - right) <= BALANCE_TOLERANCE * strong:
            verdict = "balanced"
        else:
            weaker = "left" if left < right else "right"
            verdict = f"{weaker} leg behind by {abs(left - right)} good reps"
        out.append(Balance(ladder, left, right, len(cells), verdict))
    return out


def _adherence(history: PatientHistory) -> Adherence:
    finished = [s for s in history.sessions if s.status != "open"]
    weeks: Counter[str] = Counter()
    for s in finished:
        y, w, _ = s.started_at.isocalendar()
        weeks[f"{y}-W{w:02d}"] += 1
    days = (finished[-1].started_at - finished[0].started_at).days + 1 if finished else 0
    return Adherence(
        sessions=len(finished),
        stopped=sum(1 for s in finished if s.status == "stopped"),
        interrupted=sum(1 for s in history.sessions if s.status == "open"),
        days=days,
        per_week=round(len(finished) * 7 / days, 1) if len(finished) >= 2 and days else None,
        weeks=sorted(weeks.items()),
        mornings_reported=sum(1 for s in finished if s.morning_pain is not None),
    )


def build_progress(
    history: PatientHistory,
    *,
    clinician: bool = False,
    name: str | None = None,
    audits: Sequence[AuditSummary] = (),
    today: date | None = None,
    program: Program = PROGRAM,
) -> ProgressData:
    """Everything the progress report shows, from a patient's history."""
    by_session: dict[tuple[int | None, datetime, LadderId], Decision] = {}
    decisions: list[DecisionRow] = []
    for ladder in LADDERS:
        for ev, d in replay(history, program, ladder=ladder):
            when = ev.started_at if isinstance(ev, SessionRecord) else ev.at
            if isinstance(ev, SessionRecord):
                by_session[(ev.id, ev.started_at, ladder)] = d
            decisions.append(
                DecisionRow(
                    when, ladder, d.action, d.stage, d.next_stage, d.reasons, d.action == "override"
                )
            )
    decisions.sort(key=lambda r: (r.when, LADDERS.index(r.ladder)))
    rows = []
    for s in history.sessions:
        cells = {}
        for ladder in LADDERS:
            c = _cell(s, ladder, history, program, by_session.get((s.id, s.started_at, ladder)))
            if c is not None:
                cells[ladder] = c
        pains = [x.pain for x in s.sets if x.pain is not None]
        rows.append(
            SessionRow(
                id=s.id,
                when=s.started_at,
                status="interrupted" if s.status == "open" else s.status,
                stop_reason=s.stop_reason,
                pain_before=s.pain_before,
                pain_after=s.pain_after,
                morning_pain=s.morning_pain,
                worst_set_pain=max(pains) if pains else None,
                cramps=sum(1 for x in s.sets if x.cramp),
                ladders=cells,
            )
        )
    flag_text = {f.id: f.question for f in RED_FLAGS}
    screenings = [
        (
            sc.at,
            [flag_text.get(f, f) for f in sc.flags],
            (
                f"cleared {sc.cleared_at:%Y-%m-%d} by {sc.cleared_by}: {sc.clear_reason}"
                if sc.cleared_at
                else ("all clear" if not sc.flags else "open: the program is locked")
            ),
        )
        for sc in history.screenings
    ]
    versions = Counter(s.program_version for s in history.sessions)
    return ProgressData(
        patient=history.patient,
        name=name if clinician else None,
        clinician=clinician,
        generated=today or date.today(),
        program_version=program.version,
        baseline_pain=history.baseline_pain,
        current=decide_all(history, program),
        locked=lock_reason(history),
        sessions=rows,
        decisions=decisions,
        balance=_balance([r for r in rows if r.status != "interrupted"]),
        adherence=_adherence(history),
        alerts=clinic_alerts(history) if clinician else [],
        overrides=history.overrides if clinician else (),
        screenings=screenings if clinician else [],
        audits=audits if clinician else (),
        versions=sorted(versions.items()),
    )


# --- charts -------------------------------------------------------------------------------------

ACTION_COLORS = {
    "progress": "#2f7d32",
    "add_load": "#2f7d32",
    "stay": "#1f5fa8",
    "regress": "#b3261e",
    "override": "#8a4fbf",
    "locked": "#b3261e",
    "start": "#1f5fa8",
}


def _svg(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _rc() -> dict[Any, Any]:
    return {"svg.fonttype": "none", "svg.hashsalt": "hamcoach", "font.size": 8.5}


def _dates(values: Sequence[datetime]) -> npt.NDArray[np.datetime64]:
    return np.array(values, dtype="datetime64[s]")


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def stage_timeline_svg(data: ProgressData, program: Program = PROGRAM) -> str:
    """One row per ladder: the stage done at each session (a step), coloured by the decision."""
    ladders = [la for la in LADDERS if any(la in r.ladders for r in data.sessions)]
    if not ladders:
        return ""
    with matplotlib.rc_context(_rc()):
        height = 1.45 * len(ladders) + 0.7
        fig = Figure(figsize=(7.6, height))
        fig.subplots_adjust(
            left=0.25, right=0.98, top=1 - 0.25 / height, bottom=0.7 / height, hspace=0.45
        )
        axes = fig.subplots(len(ladders), 1, sharex=True, squeeze=False)[:, 0]
        for ax, ladder in zip(axes, ladders, strict=True):
            rung = [s.id for s in program.ladder(ladder)]
            pts = [(r.when, r.ladders[ladder]) for r in data.sessions if ladder in r.ladders]
            xs = _dates([w for w, _ in pts])
            ys = [rung.index(c.stage) for _, c in pts]
            ax.step(xs, ys, where="post", color="#9aa5ad", lw=1.2)
            for x, y, (_, c) in zip(xs, ys, pts, strict=True):
                action = c.decision.action if c.decision else "stay"
                ax.plot([x], [y], "o", color=ACTION_COLORS.get(action, "#1f5fa8"), ms=6)
            ax.set_yticks(range(len(rung)))
            ax.set_yticklabels([_short(f"{s.id} {s.name}") for s in program.ladder(ladder)])
            ax.set_ylim(-0.5, len(rung) - 0.5)
            ax.set_title(LADDER_NAMES[ladder].capitalize(), loc="left", fontsize=8.5)
            ax.grid(True, axis="x", alpha=0.25)
        axes[-1].tick_params(axis="x", rotation=30)
        return _svg(fig)


def good_reps_svg(data: ProgressData) -> str:
    """Per ladder: good reps on the left and right leg per session, with the stage target."""
    ladders = [la for la in LADDERS if any(la in r.ladders for r in data.sessions)]
    if not ladders:
        return ""
    with matplotlib.rc_context(_rc()):
        height = 1.9 * len(ladders) + 0.3
        fig = Figure(figsize=(7.6, height))
        fig.subplots_adjust(
            left=0.08, right=0.98, top=1 - 0.25 / height, bottom=0.45 / height, hspace=0.75
        )
        axes = fig.subplots(len(ladders), 1, squeeze=False)[:, 0]
        for ax, ladder in zip(axes, ladders, strict=True):
            rows = [r for r in data.sessions if ladder in r.ladders]
            xs = list(range(len(rows)))
            cells = [r.ladders[ladder] for r in rows]
            ax.bar(
                [x - 0.2 for x in xs],
                [c.good_left for c in cells],
                0.4,
                label="left",
                color="#1f5fa8",
            )
            ax.bar(
                [x + 0.2 for x in xs],
                [c.good_right for c in cells],
                0.4,
                label="right",
                color="#e07b00",
            )
            for x, c in zip(xs, cells, strict=True):
                ax.hlines(c.target, x - 0.45, x + 0.45, color="#c02020", ls="--", lw=1.1)
            ax.set_xticks(xs)
            ax.set_xticklabels([f"{r.when:%d %b}\n{r.ladders[ladder].stage}" for r in rows])
            ax.set_title(
                f"{LADDER_NAMES[ladder].capitalize()}: good reps, blue left leg, orange right "
                "leg (dashed: the target)",
                loc="left",
                fontsize=8.5,
            )
            ax.grid(True, axis="y", alpha=0.25)
        return _svg(fig)


def pain_svg(data: ProgressData) -> str:
    """Pain before, after and the next morning, over the sessions, on the 0-10 zones."""
    rows = [r for r in data.sessions if r.status != "interrupted"]
    if not rows:
        return ""
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(7.6, 2.4))
        fig.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.2)
        ax = fig.subplots()
        ax.axhspan(0, 2, color="#e8f4e8", lw=0)
        ax.axhspan(2, 5, color="#fff4d6", lw=0)
        ax.axhspan(5, 10, color="#fbeaea", lw=0)
        xs = [r.when for r in rows]
        for label, values, color, marker in (
            ("before", [r.pain_before for r in rows], "#1f5fa8", "o"),
            ("after", [r.pain_after for r in rows], "#e07b00", "s"),
            ("next morning", [r.morning_pain for r in rows], "#6b3fa0", "^"),
        ):
            pts = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
            if pts:
                ax.plot(
                    _dates([p[0] for p in pts]),
                    [p[1] for p in pts],
                    marker=marker,
                    color=color,
                    lw=1.3,
                    label=label,
                )
        ax.axhline(data.baseline_pain, color="#555", ls=":", lw=1, label="usual pain")
        ax.set_ylim(0, 12.5)
        ax.set_yticks(range(0, 11, 2))
        ax.set_ylabel("pain 0-10")
        ax.legend(loc="upper right", fontsize=7.5, ncols=4, framealpha=0.85)
        ax.tick_params(axis="x", rotation=30)
        ax.set_title("Pain (green: fine, yellow: acceptable, red: stop)", loc="left", fontsize=8.5)
        return _svg(fig)


def render_progress_report(
    history: PatientHistory,
    *,
    clinician: bool = False,
    name: str | None = None,
    audits: Sequence[AuditSummary] = (),
    today: date | None = None,
) -> str:
    """The progress report of one patient as a self-contained HTML document."""
    data = build_progress(history, clinician=clinician, name=name, audits=audits, today=today)
    template = environment().get_template("progress.html.j2")
    return template.render(
        d=data,
        ladders=LADDERS,
        ladder_names=LADDER_NAMES,
        action_words=ACTION_WORDS,
        program=PROGRAM,
        timeline_uri=stage_timeline_svg(data),
        reps_uri=good_reps_svg(data),
        pain_uri=pain_svg(data),
    )
