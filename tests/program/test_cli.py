"""The patient commands, driven like a user would: options, or prompts fed through stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from hamcoach.cli import patients
from hamcoach.program.demo import rep_plan, synthetic_audit
from hamcoach.program.errors import InvalidSetError, ProgramLockedError, StageNotAllowedError
from hamcoach.storage.errors import PatientNotFoundError
from hamcoach.storage.repo import find_patient, load_history, open_database, store_audit
from hamcoach.storage.repo import load_audit as load_stored_audit

COMMANDS = [
    ["patient", "add"],
    ["patient", "list"],
    ["patient", "show"],
    ["plan"],
    ["session"],
    ["morning"],
    ["override"],
    ["clear"],
    ["history"],
    ["export"],
    ["rules"],
]


@pytest.fixture
def app() -> typer.Typer:
    a = typer.Typer()
    patients.register(a)
    return a


class Cli:
    """Runs the commands against a fresh database in a temporary folder."""

    def __init__(self, app: typer.Typer, url: str) -> None:
        self.app, self.url, self.runner = app, url, CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        env = {"HAMCOACH_DB_URL": self.url, "COLUMNS": "200"}
        return self.runner.invoke(self.app, list(args), input=input, env=env)


@pytest.fixture
def cli(app: typer.Typer, tmp_path: Path) -> Cli:
    return Cli(app, f"sqlite:///{tmp_path / 'cli.db'}")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(cli: Cli, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_add_list_show_and_plan(cli: Cli) -> None:
    assert (
        cli(
            "patient", "add", "P001", "--name", "Jo", "--baseline-pain", "2", "--start", "B2,S1"
        ).exit_code
        == 0
    )
    listed = cli("patient", "list").output
    assert "P001" in listed and "B2" in listed and "active" in listed
    shown = cli("patient", "show", "P001").output
    assert "P001 (#1) - Jo" in shown and "Baseline pain 2/10" in shown
    plan = cli("plan", "P001").output
    assert "B2 continuous bridge (bridge and ball curl) - 30 good reps in this session" in plan
    assert "D1 single-leg deadlift (single-leg deadlift) - 30 good reps on each leg" in plan
    assert "Tempo: up steadily, lower over at least 1.5 s" in plan


def test_a_session_from_options_ends_with_the_decision(cli: Cli) -> None:
    cli("patient", "add", "P001")
    result = cli(
        "session",
        "P001",
        "--pain-before",
        "1",
        "--red-flags",
        "none",
        "--set",
        "B1 reps=15 good=15 pain=1",
        "--set",
        "B1 reps=16 good=15",
        "--set",
        "D1 left=28/30 right=30/30",
        "--pain-after",
        "1",
    )
    assert result.exit_code == 0, result.output
    assert "bridge and ball curl: progress (B1 -> B2)" in result.output
    assert "Not yet: left 2 short." in result.output
    db = open_database(cli.url)
    (s,) = load_history(db, find_patient(db, "P001").id).sessions
    assert (s.status, s.pain_before, s.pain_after, len(s.sets)) == ("completed", 1, 1, 3)
    assert len(load_history(db, 1).screenings) == 1


def test_a_guided_session_through_prompts(cli: Cli) -> None:
    cli("patient", "add", "P001")
    answers = [
        "1",  # pain before
        *["n"] * 7,  # safety questions
        "y",
        "",
        "30",
        "29",
        "1",
        "n",
        "n",  # B1: do it, by hand, 30 reps, 29 good, pain 1
        "n",  # S1: skip
        "y",
        "",
        "10",
        "10",
        "10",
        "9",
        "6",
        "n",  # D1: left 10/10, right 9/10, pain 6
        *["n"] * 7,  # pain above 'fine': the safety questions again
        "2",  # pain after
    ]
    result = cli("session", "P001", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Pain 6/10 is above 5/10: stop this exercise" in result.output
    assert "bridge and ball curl: stay (B1)" in result.output
    assert "single-leg deadlift: stay (D1)" in result.output
    db = open_database(cli.url)
    h = load_history(db, 1)
    assert [(x.stage, x.good_left, x.good_right, x.pain) for x in h.sessions[0].sets] == [
        ("B1", 29, 29, 1),
        ("D1", 10, 9, 6),
    ]
    assert len(h.screenings) == 2


def test_a_red_flag_locks_the_program_until_a_clinician_clears_it(cli: Cli) -> None:
    cli("patient", "add", "P001")
    flagged = cli("session", "P001", "--pain-before", "0", "--red-flags", "fall")
    assert flagged.exit_code == patients.EXIT_LOCKED
    assert "Red flag: fall" in flagged.output
    assert "Locked: Red flag reported on" in cli("plan", "P001").output
    locked = cli("session", "P001", "--pain-before", "0", "--set", "B1 reps=30")
    assert isinstance(locked.exception, ProgramLockedError)
    cleared = cli("clear", "P001", "--by", "Dr Lee", "--reason", "seen in clinic")
    assert "Cleared 1 red-flag screening(s) for P001." in cleared.output
    ok = cli("session", "P001", "--pain-before", "0", "--set", "B1 reps=30", "--pain-after", "0")
    assert ok.exit_code == 0, ok.output


def test_pain_seven_stops_the_session_and_alerts(cli: Cli) -> None:
    cli("patient", "add", "P001", "--start", "B2")
    result = cli(
        "session",
        "P001",
        "--pain-before",
        "1",
        "--red-flags",
        "none",
        "--set",
        "B2 reps=10 good=10 pain=7",
        "--set",
        "S1 reps=10",
        "--pain-after",
        "6",
    )
    assert result.exit_code == 0, result.output
    assert "stop the session now" in result.output
    assert "Clinic alert: Pain 7/10 during continuous bridge" in result.output
    s = load_history(open_database(cli.url), 1).sessions[0]
    assert (s.status, s.stop_reason, len(s.sets)) == (
        "stopped",
        "pain 7/10 during continuous bridge",
        1,
    )


def test_override_morning_history_and_export(cli: Cli, tmp_path: Path) -> None:
    cli("patient", "add", "P001", "--baseline-pain", "1")
    ov = cli("override", "P001", "--by", "Dr Lee", "--reason", "post-op", "--target", "B1=20")
    assert "Override recorded for P001: target B1=20." in ov.output
    assert "B1 bridge (bridge and ball curl) - 20 good reps" in cli("plan", "P001").output
    assert "by Dr Lee: target B1 = 20 (post-op)" in cli("patient", "show", "P001").output
    cli(
        "session",
        "P001",
        "--pain-before",
        "1",
        "--red-flags",
        "none",
        "--set",
        "B1 reps=20 good=20",
        "--pain-after",
        "1",
    )
    morning = cli("morning", "P001", "--pain", "3", input="n\n" * 7)
    assert "Any new weakness in a leg?" in morning.output
    assert "Morning pain 3/10 is above 2/10 (your baseline 1 + 1)" in morning.output
    hist = cli("history", "P001").output
    assert "B1 20 = B1" in hist and "completed" in hist
    out = tmp_path / "p.json"
    assert cli("export", "P001", "--format", "json", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text())
    assert data["sessions"][0]["morning_pain"] == 3
    assert cli("export", "P001").output.splitlines()[1].startswith("P001,1,")
    bad = cli("override", "P001", "--by", "X", "--reason", "r", "--target", "B1")
    assert isinstance(bad.exception, InvalidSetError)


def test_sets_from_an_audit_file_or_a_stored_audit(cli: Cli, tmp_path: Path) -> None:
    cli("patient", "add", "P001")
    audit = synthetic_audit("bridge", "B1", rep_plan("B1", (20, 0), (2, 0)))
    path = tmp_path / "a.json"
    path.write_text(audit.to_json())
    stored = store_audit(
        open_database(cli.url), 1, synthetic_audit("bridge", "B1", rep_plan("B1", (10, 0)))
    )
    result = cli(
        "session",
        "P001",
        "--pain-before",
        "0",
        "--red-flags",
        "none",
        "--set",
        f"B1 audit={path} pain=1",
        "--set",
        f"B1 audit=#{stored}",
        "--pain-after",
        "0",
    )
    assert result.exit_code == 0, result.output
    assert "progress (B1 -> B2)" in result.output
    sets = load_history(open_database(cli.url), 1).sessions[0].sets
    assert [(s.source, s.reps, s.good) for s in sets] == [("audit", 22, 20), ("audit", 10, 10)]
    assert sets[1].audit_id == stored
    listed = cli("patient", "audits", "P001").output
    assert f"#{stored}" in listed and "rep 21 (both) bridge.hip_height" in listed


def test_typed_errors_reach_the_edge(cli: Cli) -> None:
    assert isinstance(cli("plan", "nobody").exception, PatientNotFoundError)
    cli("patient", "add", "P001")
    bad = cli(
        "session", "P001", "--pain-before", "0", "--red-flags", "none", "--set", "B1 reps=ten"
    )
    assert isinstance(bad.exception, InvalidSetError)


def test_the_installed_command_prints_the_error_and_its_hint(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from hamcoach.cli.main import run; run()", "patient", "show", "X"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={"HAMCOACH_DB_URL": f"sqlite:///{tmp_path / 'e.db'}", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "Error: No patient 'X'." in result.stderr
    assert "hamcoach patient list" in result.stderr


def test_a_harder_stage_than_planned_is_refused_and_nothing_is_written(cli: Cli) -> None:
    cli("patient", "add", "P001")
    harder = cli(
        "session",
        "P001",
        "--pain-before",
        "0",
        "--red-flags",
        "none",
        "--set",
        "B1 reps=30",
        "--set",
        "B3 left=30/30 right=30/30",
    )
    assert isinstance(harder.exception, StageNotAllowedError)
    assert str(harder.exception) == (
        "Today's plan has B1 (bridge) on this ladder, not B3 (single-leg bridge)."
    )
    db = open_database(cli.url)
    assert load_history(db, 1, include_open=True).sessions == ()
    cli("override", "P001", "--by", "Dr Lee", "--reason", "strong", "--stage", "B3")
    easier = cli(
        "session",
        "P001",
        "--pain-before",
        "0",
        "--red-flags",
        "none",
        "--set",
        "B2 reps=30",
        "--pain-after",
        "0",
    )
    assert easier.exit_code == 0, easier.output
    assert "bridge and ball curl: progress (B2 -> B3)" in easier.output


def test_rules_lists_every_threshold_with_its_source(cli: Cli) -> None:
    out = cli("rules").output
    assert "progression.target_good_reps_per_leg" in out and "article" in out
    assert "pain.stop_session_at" in out and "clinic" in out


def test_a_guided_loaded_set_with_recurring_cramps_stops_the_exercise(cli: Cli) -> None:
    cli("patient", "add", "L1", "--start", "B1,S4,D2")
    answers = [
        "1",
        *["n"] * 7,  # pain before, safety questions
        "n",
        "n",  # skip B1 and S4
        "y",
        "",
        "6",
        "10",
        "10",
        "10",
        "10",
        "1",
        "y",
        "y",  # D2 set 1 at 6 kg, cramp
        "",
        "6",
        "10",
        "10",
        "10",
        "10",
        "1",
        "y",  # set 2, cramp again: stop
        "1",  # pain after
    ]
    result = cli("session", "L1", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Cramp: stop, rest until it settles, then carry on." in result.output
    assert "Cramps keep coming back (2 this session): stop this exercise." in result.output
    assert "single-leg deadlift: regress (D2 -> D1)" in result.output
    sets = load_history(open_database(cli.url), 1).sessions[0].sets
    assert [(s.stage, s.load_kg, s.cramp) for s in sets] == [("D2", 6.0, True), ("D2", 6.0, True)]


def test_morning_pain_with_a_red_flag_locks_the_program(cli: Cli) -> None:
    cli("patient", "add", "P001")
    cli(
        "session",
        "P001",
        "--pain-before",
        "0",
        "--red-flags",
        "none",
        "--set",
        "B1 reps=30",
        "--pain-after",
        "0",
    )
    result = cli("morning", "P001", "--pain", "4", "--red-flags", "knee_locking")
    assert result.exit_code == patients.EXIT_LOCKED
    assert "Do not exercise; contact your clinic." in result.output
    assert cli("plan", "P001").output.count("Locked:") == 1


def test_signup_in_the_area_then_staff_enroll_the_lead(cli: Cli) -> None:
    out = cli("signup", input="19446\ntrial\nJo Bloggs\n215-555-0100\n" + "n\n" * 7)
    assert out.exit_code == 0, out.output
    assert "Good news: the clinic serves Montgomery County." in out.output
    assert "the clinic has your sign-up for a free 2-week trial (#1)" in out.output
    listed = cli("lead", "list").output
    assert "Jo Bloggs" in listed and "215-555-0100" in listed and "new" in listed
    assert "Lead #1 is now patient P005 (#1)." in cli("lead", "enroll", "1", "P005").output
    assert "P005" in cli("patient", "list").output
    assert "Jo Bloggs" not in cli("export", "P005", "--format", "json").output


def test_signup_outside_the_area_stores_nothing(cli: Cli) -> None:
    out = cli("signup", "--zip", "10001")
    assert out.exit_code == 0
    assert "your ZIP code is outside that area" in out.output
    assert "Jo" not in cli("lead", "list", "--all").output
    flagged = cli(
        "signup",
        "--zip",
        "18901",
        "--offer",
        "audit",
        "--name",
        "Al",
        "--email",
        "a@b",
        "--red-flags",
        "chest_pain_faint",
    )
    assert "Stop now and get urgent medical help" in flagged.output
    assert "marked urgent" in flagged.output


def test_a_set_from_a_video_is_audited_by_the_pipeline_and_stored(cli: Cli, tmp_path: Path) -> None:
    from hamcoach.synth import CameraSpec, NoiseSpec, SetSpec, generate_set
    from hamcoach.track import save_track

    synthetic = generate_set(
        SetSpec(stage="S1", n_reps=4, camera=CameraSpec(view="side"), noise=NoiseSpec.level("low"))
    )
    track = tmp_path / "squats.npz"
    save_track(synthetic.track, track)
    cli("patient", "add", "P001")
    result = cli(
        "session",
        "P001",
        "--pain-before",
        "0",
        "--red-flags",
        "none",
        "--set",
        f"S1 video={track} pain=1",
        "--pain-after",
        "0",
    )
    assert result.exit_code == 0, result.output
    assert "Auditing squats.npz" in result.output
    db = open_database(cli.url)
    (s,) = load_history(db, 1).sessions[0].sets
    assert (s.source, s.stage) == ("audit", "S1") and s.audit_id is not None
    stored = load_stored_audit(db, s.audit_id)
    assert (stored.exercise, stored.stage, stored.counts.reps) == ("box_squat", "S1", s.reps)
    assert s.reps == len(stored.reps) > 0
