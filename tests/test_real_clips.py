"""The engine on the real labelled clips of ../shared/eval (skipped where they are absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hamcoach.evaluation.floor import check_floor
from hamcoach.evaluation.labels import load_labels
from hamcoach.evaluation.metrics import summarize
from hamcoach.evaluation.runner import audit_clip, run_evaluation
from tests.conftest import REPO

pytestmark = pytest.mark.eval


def test_evaluation_meets_the_committed_floor(shared_eval: Path) -> None:
    summary = summarize(run_evaluation(shared_eval, workers=2))
    floor = json.loads((REPO / "eval_floor.json").read_text(encoding="utf-8"))
    assert check_floor(summary, floor) == []
    assert summary["errors"] == []


@pytest.mark.parametrize(
    ("clip_id", "reps", "view"),
    [
        ("B_rjsong_squat", 12, "front"),  # 12 continuous reps, front view
        ("B_calimiro_squat_13", 2, "rear"),
        ("kaiakol_sq_correct_018", 0, "side"),  # opens mid-descent: no complete rep
        ("03y_squat_fail", 0, "front"),  # ends before lockout
    ],
)
def test_real_clip_rep_counts(shared_eval: Path, clip_id: str, reps: int, view: str) -> None:
    label = next(c for c in load_labels(shared_eval) if c.id == clip_id)
    result = audit_clip(label)
    assert result.audit is not None, result.error
    assert result.audit.counts.reps == reps
    assert result.audit.view == view


def test_shallow_real_squat_fails_depth_with_its_frame(shared_eval: Path) -> None:
    label = next(c for c in load_labels(shared_eval) if c.id == "B_calimiro_squat_17")
    audit = audit_clip(label).audit
    assert audit is not None and audit.counts.reps == 1
    depth = next(f for f in audit.reps[0].findings if f.check == "squat.depth")
    assert depth.verdict == "fail"
    assert depth.value is not None and depth.value > 12.0
    assert depth.frame is not None and audit.reps[0].start_s * audit.source.fps <= depth.frame
