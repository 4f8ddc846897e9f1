"""What an audit report says, decided in one place (the template only lays it out).

:func:`build_report` turns an :class:`~hamcoach.pipeline.Analysis` into plain data: the summary
(reps per leg, good reps, the main fault and its cue), per-rep rows, which faults need a picture,
what could not be judged and why, and how to place the camera for the checks that did not run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hamcoach.audit import Audit, Finding
from hamcoach.checks import REGISTRY
from hamcoach.exercises import EXERCISES
from hamcoach.reports.wording import check_words, describe_value, short_value, verdict_words

# Pictures per fault: the worst reps first; the others are listed by number.
MAX_FRAMES_PER_FAULT = 3
# Faults of timing: no single picture shows them (the per-rep table and the traces do).
TIMING_CHECKS = frozenset(
    {"tempo.controlled", "bridge.slow_lowering", "bridge.no_rest", "sldl.leg_leads"}
)


@dataclass(frozen=True)
class Cell:
    check: str
    verdict: str
    text: str  # OK / Fix / Not judged
    short: str  # the value in a few characters ('' when not measured)
    detail: str  # the value in words, or why it was not judged


@dataclass(frozen=True)
class RepRow:
    index: int
    start_s: float
    end_s: float
    leg: str
    down_s: float
    pause_s: float
    up_s: float
    good: bool
    cells: list[Cell]


@dataclass(frozen=True)
class Fault:
    """One check that failed on at least one rep."""

    check: str
    title: str
    fault: str
    cue: str
    reps: list[int]
    total_reps: int


@dataclass(frozen=True)
class KeyFrameRequest:
    """A picture to show: the frame where a failing check measured its value."""

    rep: int
    leg: str  # the rep's working leg: both / left / right
    check: str
    frame: int
    time_s: float
    finding: Finding
    caption: str


@dataclass(frozen=True)
class Unjudged:
    """A check that ran but could not judge some reps."""

    check: str
    title: str
    reps: list[int]
    reasons: list[str]
    hint: str


@dataclass(frozen=True)
class NotRun:
    check: str
    title: str
    question: str
    reason: str
    hint: str


@dataclass(frozen=True)
class ReportData:
    exercise: str
    exercise_label: str
    single_leg: bool
    audit: Audit
    headline: str
    verdict_class: str  # good / fault / unjudged / empty
    main_fault: Fault | None
    other_faults: list[Fault]
    rows: list[RepRow]
    columns: list[tuple[str, str]]  # (check id, title) of the per-rep table
    key_frames: list[KeyFrameRequest]
    more_reps: dict[str, list[int]]  # check -> reps with the fault but no picture
    timing_faults: list[Fault]  # faults of timing, which no picture shows
    unjudged: list[Unjudged]
    not_run: list[NotRun]
    notes: list[str] = field(default_factory=list)


def _severity(f: Finding) -> float:
    """How far past its limit a failing value is, relative to the limit."""
    if f.value is None or f.threshold is None:
        return 0.0
    excess = abs(f.value - f.threshold)
    return excess / max(abs(f.threshold), 1e-6)


def _hint(check_id: str) -> str:
    check = REGISTRY.get(check_id)
    return check.camera_hint if check is not None else ""


def build_report(audit: Audit, fps: float) -> ReportData:
    spec = EXERCISES.get(audit.exercise)
    label = spec.label if spec is not None else audit.exercise.replace("_", " ").capitalize()
    single_leg = spec.single_leg if spec is not None else audit.exercise.startswith("single_leg")
    order = {c: i for i, c in enumerate(audit.checks_run)}

    failing: dict[str, list[tuple[int, Finding]]] = {}
    unknown: dict[str, list[tuple[int, Finding]]] = {}
    for rep in audit.reps:
        for f in rep.findings:
            if f.verdict == "fail":
                failing.setdefault(f.check, []).append((rep.index, f))
            elif f.verdict == "unknown":
                unknown.setdefault(f.check, []).append((rep.index, f))

    faults = [
        Fault(
            check=c,
            title=check_words(c).title,
            fault=check_words(c).fault,
            cue=next((f.cue for _, f in items if f.cue), ""),
            reps=[i for i, _ in items],
            total_reps=len(audit.reps),
        )
        for c, items in failing.items()
    ]
    # The main fault: the one seen in most reps; ties go to the check listed first for the
    # exercise (the program's order puts the key form point first).
    faults.sort(key=lambda f: (-len(f.reps), order.get(f.check, len(order))))
    main = faults[0] if faults else None

    key_frames: list[KeyFrameRequest] = []
    more: dict[str, list[int]] = {}
    timing: list[Fault] = []
    for fault in faults:
        items = sorted(failing[fault.check], key=lambda it: -_severity(it[1]))
        if fault.check in TIMING_CHECKS:
            timing.append(fault)
            continue
        shown = [it for it in items if it[1].frame is not None][:MAX_FRAMES_PER_FAULT]
        for rep_index, f in sorted(shown, key=lambda it: it[0]):
            assert f.frame is not None
            leg = next(r.leg for r in audit.reps if r.index == rep_index)
            detail = describe_value(f, leg)
            key_frames.append(
                KeyFrameRequest(
                    rep=rep_index,
                    leg=leg,
                    check=f.check,
                    frame=f.frame,
                    time_s=f.frame / fps if fps > 0 else 0.0,
                    finding=f,
                    caption=f"Rep {rep_index}: {fault.fault}" + (f" — {detail}" if detail else ""),
                )
            )
        shown_reps = {i for i, _ in shown}
        rest = sorted(i for i, _ in items if i not in shown_reps)
        if rest:
            more[fault.check] = rest

    rows = [
        RepRow(
            index=r.index,
            start_s=r.start_s,
            end_s=r.end_s,
            leg=r.leg,
            down_s=r.down_s,
            pause_s=r.pause_s,
            up_s=r.up_s,
            good=r.good,
            cells=[_cell(r.findings, c, r.leg) for c in audit.checks_run],
        )
        for r in audit.reps
    ]
    unjudged = [
        Unjudged(
            check=c,
            title=check_words(c).title,
            reps=[i for i, _ in items],
            reasons=sorted({f.reason for _, f in items if f.reason}),
            hint=_hint(c),
        )
        for c, items in sorted(unknown.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]
    not_run = [
        NotRun(
            check=n.check,
            title=check_words(n.check).title,
            question=check_words(n.check).question,
            reason=n.reason,
            hint=n.hint,
        )
        for n in audit.checks_not_run
    ]
    headline, verdict_class = _headline(audit, main, unjudged)
    return ReportData(
        exercise=audit.exercise,
        exercise_label=label,
        single_leg=single_leg,
        audit=audit,
        headline=headline,
        verdict_class=verdict_class,
        main_fault=main,
        other_faults=faults[1:],
        rows=rows,
        columns=[(c, check_words(c).title) for c in audit.checks_run],
        key_frames=key_frames,
        more_reps=more,
        timing_faults=timing,
        unjudged=unjudged,
        not_run=not_run,
    )


def _cell(findings: list[Finding], check_id: str, leg: str) -> Cell:
    f = next((x for x in findings if x.check == check_id), None)
    if f is None:
        return Cell(check_id, "none", "", "", "")
    detail = describe_value(f, leg) if f.verdict != "unknown" else f.reason
    return Cell(check_id, f.verdict, verdict_words(f.verdict), short_value(f), detail)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _headline(audit: Audit, main: Fault | None, unjudged: list[Unjudged]) -> tuple[str, str]:
    c = audit.counts
    if c.reps == 0:
        return (
            "No complete rep was found in this video. A rep counts when you go down and come "
            "all the way back up inside the recording.",
            "empty",
        )
    if main is not None:
        return (
            f"Main thing to work on: {main.fault} "
            f"(in {len(main.reps)} of {_plural(c.reps, 'rep')}).",
            "fault",
        )
    if unjudged or c.good < c.reps:
        return (
            "No fault was seen, but some checks could not be judged, so those reps do not "
            "count as good reps yet. See below why, and how to place the camera.",
            "unjudged",
        )
    return ("Every rep passed all the checks this camera view allows. Well done!", "good")
