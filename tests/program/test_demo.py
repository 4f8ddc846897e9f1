"""The demo patient: a progression, a pain-triggered regression, and the resulting plan, from
hand-logged sets and from audits."""

from __future__ import annotations

from pathlib import Path

import pytest

from hamcoach.program.demo import MakeAudit, build_demo, synthetic_audit
from hamcoach.program.rules import replay
from hamcoach.storage.repo import load_decisions, load_history, open_database
from tests.program.builders import T0


@pytest.mark.parametrize("make_audit", [None, synthetic_audit], ids=["by-hand", "audits"])
def test_the_demo_tells_its_story(tmp_path: Path, make_audit: MakeAudit | None) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = build_demo(url, make_audit, start=T0)
    assert len(result.session_ids) == 9
    b = [(d["B"].action, d["B"].next_stage) for d in result.decisions]
    assert b == [
        ("stay", "B1"),
        ("progress", "B2"),
        ("progress", "B3"),
        ("stay", "B3"),
        ("stay", "B3"),
        ("progress", "C1"),
        ("regress", "B3"),
        ("progress", "C1"),
        ("progress", "C1"),
    ]
    assert result.decisions[6]["B"].reasons[0] == (
        "Pain 6/10 during ball curl, hips down is above 5/10: the exercise was stopped."
    )
    assert [d["D"].action for d in result.decisions][5:] == [
        "progress",
        "stay",
        "stay",
        "add_load",
    ]
    # The next-morning pain after day 16 takes that session's progression back.
    db = open_database(url)
    steps = replay(load_history(db, result.patient_id), ladder="B")
    assert steps[7][1].action == "stay"
    assert steps[7][1].reasons[-2].startswith("Next-morning pain 4/10 is above your baseline 2/10")
    assert len(load_decisions(db, result.patient_id)) == 27
    db.close()
    assert result.plan is not None
    assert [(i.stage, i.load_kg) for i in result.plan.items] == [
        ("C1", None),
        ("S3", None),
        ("D2", 6.5),
    ]
    assert result.plan.items[0].target_text == "30 good reps in this session"
    assert result.plan.alerts == ()
