"""The progress report on the demo patient (built by the real migrations and the real rules)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hamcoach.cli.main import app
from hamcoach.program.catalog import LADDERS
from hamcoach.program.demo import build_demo
from hamcoach.program.history import PatientHistory
from hamcoach.program.rules import decide_all, replay
from hamcoach.reports.progress import build_progress, render_progress_report
from hamcoach.storage.repo import (
    add_patient,
    clear_red_flags,
    load_history,
    open_database,
    record_screening,
)
from tests.reports.golden import assert_self_contained
from tests.reports.html_tree import Node, parse

START = datetime(2026, 3, 2, 18, 0)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    url = f"sqlite:///{tmp_path_factory.mktemp('progress') / 'hamcoach.db'}"
    result = build_demo(url, start=START)
    db = open_database(url)
    try:
        # A fall reported and cleared, for the red-flag history.
        at = START + timedelta(days=10, hours=-1)
        record_screening(db, result.patient_id, ["fall"], at=at)
        clear_red_flags(
            db,
            result.patient_id,
            clinician="Dr Lee",
            reason="no injury",
            at=at + timedelta(hours=2),
        )
    finally:
        db.close()
    return url, result.patient_id


@pytest.fixture(scope="module")
def history(demo_db: tuple[str, int]) -> PatientHistory:
    db = open_database(demo_db[0])
    try:
        return load_history(db, demo_db[1], include_open=True)
    finally:
        db.close()


def _doc(history: PatientHistory, clinician: bool) -> Node:
    html = render_progress_report(history, clinician=clinician, today=date(2026, 3, 30))
    doc = parse(html)
    assert_self_contained(doc)
    return doc


def test_patient_report_matches_the_rules(history: PatientHistory) -> None:
    doc = _doc(history, clinician=False)
    # Where the patient is now: the rules' current decision on each ladder, with its reasons.
    current = decide_all(history)
    for ladder in LADDERS:
        row = doc.by_id("summary").find("tr", data_ladder=ladder)
        assert row.attrs["data-next"] == current[ladder].next_stage
        assert row.attrs["data-action"] == current[ladder].action
        assert current[ladder].reasons[0] in row.text()
    # One row per session, with each ladder's stage and good reps per leg.
    finished = [s for s in history.sessions if s.status != "open"]
    rows = doc.by_id("good-reps").find_all("tr", pred=lambda n: "data-session" in n.attrs)
    assert len(rows) == len(history.sessions) == len(finished)
    for row, s in zip(rows, history.sessions, strict=True):
        for ladder in LADDERS:
            done = [x for x in s.sets if x.stage[0] in {"B": "BC", "S": "S", "D": "D"}[ladder]]
            cell = row.find("td", data_ladder=ladder)
            if done:
                assert cell.attrs["data-stage"] == done[-1].stage
                assert int(cell.attrs["data-good-left"]) == sum(x.good_left for x in done)
                assert int(cell.attrs["data-good-right"]) == sum(x.good_right for x in done)
    # Every decision of the replay, with its reasons, in the decisions table.
    table = doc.by_id("decisions")
    expected = sum(len(replay(history, ladder=la)) for la in LADDERS)
    assert len(table.find_all("tr", pred=lambda n: "data-action" in n.attrs)) == expected
    text = table.text()
    for ladder in LADDERS:
        for _, d in replay(history, ladder=ladder):
            assert all(r in text for r in d.reasons)
    # The demo's regression after a painful session is there, and why.
    assert table.find_all("tr", data_action="regress")
    assert "Pain 6/10" in text


def test_balance_pain_and_adherence(history: PatientHistory) -> None:
    doc = _doc(history, clinician=False)
    data = build_progress(history)
    for b in data.balance:
        item = doc.by_id("balance").find("li", data_ladder=b.ladder)
        assert (int(item.attrs["data-left"]), int(item.attrs["data-right"])) == (
            b.good_left,
            b.good_right,
        )
    # D1/D2 are single-leg: the deadlift balance sums their good reps per leg.
    d_sets = [x for s in history.sessions for x in s.sets if x.stage.startswith("D")]
    d = next(b for b in data.balance if b.ladder == "D")
    assert d.good_left == sum(x.good_left for x in d_sets)
    assert f"Your usual pain: {history.baseline_pain}/10" in doc.by_id("pain").text()
    sessions = doc.by_id("adherence").find("p", data_sessions=str(len(history.sessions)))
    assert "a week" in sessions.text()
    assert len(doc.by_id("pain").find_all("img")) == 1


def test_patient_version_leaves_out_the_clinician_section(history: PatientHistory) -> None:
    doc = _doc(history, clinician=False)
    assert not doc.find_all(id="clinician")
    assert "Dr Lee" not in doc.text()


def test_clinician_version_adds_overrides_and_red_flags(history: PatientHistory) -> None:
    doc = _doc(history, clinician=True)
    section = doc.by_id("clinician")
    overrides = section.find_all("tr", data_kind="target")
    assert len(overrides) == len(history.overrides) == 1
    assert history.overrides[0].reason in overrides[0].text()
    flagged = section.find("tr", data_flags="1").text()
    assert "fall" in flagged.lower() and "cleared" in flagged and "Dr Lee" in flagged


def test_locked_patient_report_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    db = open_database(url)
    try:
        pid = add_patient(db, "P9", at=START)
        record_screening(db, pid, ["leg_weakness"], at=START + timedelta(hours=1))
        history = load_history(db, pid)
    finally:
        db.close()
    doc = _doc(history, clinician=True)
    summary = doc.by_id("summary")
    assert summary.attrs["data-locked"] == "yes"
    assert "locked" in summary.find(data_alert="locked").text().lower()
    assert "No session yet" in doc.by_id("timeline").text()
    assert "open" in doc.by_id("clinician").find("tr", data_flags="1").text()


def test_report_command(demo_db: tuple[str, int], tmp_path: Path) -> None:
    url, _ = demo_db
    out = tmp_path / "p.html"
    result = CliRunner().invoke(app, ["report", "demo", "--clinician", "--db", url, "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = parse(out.read_text(encoding="utf-8"))
    assert doc.find_all(id="clinician")
    result = CliRunner().invoke(app, ["report", "nobody", "--db", url, "-o", str(out)])
    assert result.exit_code != 0
