"""Scoring audits against labels: rep counts, rep timing, fault precision/recall, views."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from hamcoach.audit import Audit, Rep
from hamcoach.evaluation.labels import FAULT_TO_CHECK, ClipLabel, LabelRep, fault_check
from hamcoach.exercises import EXERCISES
from hamcoach.identify import UNKNOWN, same_movement

# Checks that some label can confirm or refute; others (tempo.controlled) are not scored.
LABELLED_CHECKS = frozenset(FAULT_TO_CHECK.values())


@dataclass
class ClipResult:
    label: ClipLabel
    audit: Audit | None
    error: str = ""
    identified: str | None = None

    @property
    def predicted_count(self) -> int:
        return self.audit.counts.reps if self.audit else 0


def match_reps(labelled: list[LabelRep], predicted: list[Rep]) -> list[tuple[LabelRep, Rep]]:
    """Pair each labelled rep with the predicted rep whose turning point lies inside it
    (closest turning point first); each rep is used at most once."""
    pairs: list[tuple[LabelRep, Rep]] = []
    used: set[int] = set()
    for lr in labelled:
        if lr.start is None or lr.end is None:
            continue
        ref = lr.bottom if lr.bottom is not None else (lr.start + lr.end) / 2
        best: tuple[float, int] | None = None
        for i, pr in enumerate(predicted):
            if i in used or not (lr.start - 0.3 <= pr.bottom_s <= lr.end + 0.3):
                continue
            d = abs(pr.bottom_s - ref)
            if best is None or d < best[0]:
                best = (d, i)
        if best is not None:
            used.add(best[1])
            pairs.append((lr, predicted[best[1]]))
    return pairs


@dataclass
class CountStats:
    clips: int = 0
    exact: int = 0
    off_by_one: int = 0
    abs_error_sum: int = 0
    timing_errors: list[float] = field(default_factory=list)

    def add(self, truth: int, predicted: int) -> None:
        self.clips += 1
        err = abs(truth - predicted)
        self.exact += err == 0
        self.off_by_one += err == 1
        self.abs_error_sum += err

    def as_dict(self) -> dict[str, float | int | None]:
        n = self.clips
        return {
            "clips": n,
            "exact_pct": round(100 * self.exact / n, 1) if n else None,
            "off_by_one_pct": round(100 * self.off_by_one / n, 1) if n else None,
            "worse_pct": round(100 * (n - self.exact - self.off_by_one) / n, 1) if n else None,
            "mae": round(self.abs_error_sum / n, 3) if n else None,
            "timing_mae_s": round(sum(self.timing_errors) / len(self.timing_errors), 3)
            if self.timing_errors
            else None,
        }


@dataclass
class CheckStats:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    unknown: int = 0

    def as_dict(self) -> dict[str, float | int | None]:
        prec = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        rec = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        judged = self.tp + self.fp + self.fn + self.tn
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "unknown": self.unknown,
            "precision": round(prec, 3) if prec is not None else None,
            "recall": round(rec, 3) if rec is not None else None,
            "unknown_rate": round(self.unknown / (judged + self.unknown), 3)
            if judged + self.unknown
            else None,
        }


def _timing_errors(pairs: list[tuple[LabelRep, Rep]]) -> list[float]:
    out: list[float] = []
    for lr, pr in pairs:
        for truth, pred in ((lr.start, pr.start_s), (lr.bottom, pr.bottom_s), (lr.end, pr.end_s)):
            if truth is not None and math.isfinite(pred):
                out.append(abs(truth - pred))
    return out


def summarize(results: list[ClipResult]) -> dict[str, object]:
    """Per exercise and view: counts; per check: precision/recall; view accuracy; errors."""
    counts: dict[tuple[str, str], CountStats] = defaultdict(CountStats)
    checks: dict[tuple[str, str], CheckStats] = defaultdict(CheckStats)
    view_ok = view_n = 0
    leg_ok: dict[str, int] = defaultdict(int)
    leg_n: dict[str, int] = defaultdict(int)
    id_n = id_ok = id_lenient = 0
    id_misses: list[str] = []
    errors = []
    for res in results:
        lab = res.label
        if "exercise_id" in lab.usable_for and res.identified is not None:
            truth = lab.exercise if lab.exercise in EXERCISES else UNKNOWN
            id_n += 1
            id_ok += res.identified == truth
            id_lenient += same_movement(res.identified, truth)
            if res.identified != truth:
                id_misses.append(f"{lab.id}: {truth} -> {res.identified}")
        if res.audit is None:
            if res.error:
                errors.append({"clip": lab.id, "error": res.error})
            continue
        au = res.audit
        if "view" in lab.usable_for and lab.view != "mixed":
            view_n += 1
            view_ok += au.view == lab.view
        pairs = match_reps(lab.complete_reps, au.reps)
        if "count" in lab.usable_for:
            for key in ((lab.exercise, lab.view), (lab.exercise, "all")):
                counts[key].add(lab.rep_count, au.counts.reps)
                counts[key].timing_errors.extend(_timing_errors(pairs))
        if "faults" in lab.usable_for:
            _score_checks(lab, pairs, checks)
        if "count" in lab.usable_for:
            for lr, pr in pairs:
                if lr.leg in ("left", "right"):
                    for leg_key in (lab.exercise, "all"):
                        leg_n[leg_key] += 1
                        leg_ok[leg_key] += pr.leg == lr.leg
    return {
        "counting": {f"{ex}/{view}": s.as_dict() for (ex, view), s in sorted(counts.items())},
        "checks": {f"{c}/{view}": s.as_dict() for (c, view), s in sorted(checks.items())},
        "working_leg": {
            k: {"reps": leg_n[k], "accuracy": round(leg_ok[k] / leg_n[k], 3)} for k in sorted(leg_n)
        },
        "exercise_id": {
            "clips": id_n,
            "accuracy": round(id_ok / id_n, 3) if id_n else None,
            "accuracy_squat_equals_box_squat": round(id_lenient / id_n, 3) if id_n else None,
            "misses": id_misses,
        },
        "view_accuracy": round(view_ok / view_n, 3) if view_n else None,
        "view_clips": view_n,
        "errors": errors,
    }


def _score_checks(
    lab: ClipLabel, pairs: list[tuple[LabelRep, Rep]], checks: dict[tuple[str, str], CheckStats]
) -> None:
    for lr, pr in pairs:
        truth = {fault_check(f, lab.exercise) for f in lr.faults} | {
            fault_check(f, lab.exercise) for f in lab.faults_clip
        }
        unsure = {fault_check(f, lab.exercise) for f in lr.unsure}
        for f in pr.findings:
            if f.check not in LABELLED_CHECKS:
                continue
            if f.check in unsure and f.check not in truth:
                continue
            for key in ((f.check, lab.view), (f.check, "all")):
                st = checks[key]
                if f.verdict == "unknown":
                    st.unknown += 1
                elif f.verdict == "fail":
                    if f.check in truth:
                        st.tp += 1
                    else:
                        st.fp += 1
                elif f.check in truth:
                    st.fn += 1
                else:
                    st.tn += 1
