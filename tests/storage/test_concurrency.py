"""Real processes: two writers at once lose nothing; a writer killed mid-set leaves the database
consistent (whole sets only, an open session the rules ignore)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from hamcoach.program.catalog import PROGRAM
from hamcoach.program.history import set_from_counts
from hamcoach.program.rules import decide_progression
from hamcoach.storage.models import AuditRepRow, AuditRow, DecisionRow, SetRow, TrainingSession
from hamcoach.storage.repo import (
    add_patient,
    add_set,
    complete_session,
    list_patients,
    load_history,
    open_database,
    start_session,
)

WRITER = str(Path(__file__).with_name("writer.py"))
SESSIONS = 8


def _consistent(path: Path) -> None:
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every audit is whole: as many rep rows as its counted reps, and used by one set.
        assert (
            raw.execute(
                "SELECT a.id FROM audits a LEFT JOIN audit_reps r ON r.audit_id = a.id "
                "GROUP BY a.id HAVING count(r.id) != a.reps"
            ).fetchall()
            == []
        )
        assert (
            raw.execute(
                "SELECT a.id FROM audits a LEFT JOIN sets s ON s.audit_id = a.id WHERE s.id IS NULL"
            ).fetchall()
            == []
        )
    finally:
        raw.close()


def test_two_processes_writing_sessions_for_different_patients_lose_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shared.db"
    url = f"sqlite:///{path}"
    db = open_database(url)
    ids = {code: add_patient(db, code) for code in ("A1", "B2")}
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, WRITER, url, code, str(SESSIONS), str(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for code in ids
    ]
    for p in procs:  # both are connected before either writes
        assert p.stdout is not None and p.stdout.readline().strip() == "READY"
    go.touch()
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert all(o.strip().endswith("DONE") for o in outs)
    with db.transaction() as s:
        for pid in ids.values():
            sessions = s.scalars(
                select(TrainingSession).where(TrainingSession.patient_id == pid)
            ).all()
            assert [x.status for x in sessions] == ["completed"] * SESSIONS
            sids = [x.id for x in sessions]
            sets = s.scalar(select(func.count()).where(SetRow.session_id.in_(sids)))
            assert sets == 3 * SESSIONS
            decisions = s.scalar(select(func.count()).where(DecisionRow.session_id.in_(sids)))
            assert decisions == SESSIONS
            assert s.scalar(select(func.count()).where(AuditRow.patient_id == pid)) == 3 * SESSIONS
        assert s.scalar(select(func.count()).select_from(AuditRepRow)) == 2 * 3 * SESSIONS * 12
    db.close()
    _consistent(path)


def test_a_process_killed_in_the_middle_of_a_set_leaves_the_database_consistent(
    tmp_path: Path,
) -> None:
    path = tmp_path / "killed.db"
    url = f"sqlite:///{path}"
    db = open_database(url)
    pid = add_patient(db, "K1")
    db.close()
    proc = subprocess.Popen(
        [sys.executable, WRITER, url, "K1", "3", "hang"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "MIDSET"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    _consistent(path)
    db = open_database(url)
    h = load_history(db, pid, include_open=True)
    assert [(s.status, len(s.sets)) for s in h.sessions] == [("completed", 3), ("open", 1)]
    assert all(len(s.rep_details) == 12 for x in h.sessions for s in x.sets)
    # The rules see only the finished session; the database takes new writes at once.
    assert len(load_history(db, pid).sessions) == 1
    sid = start_session(db, pid, pain_before=0)
    add_set(db, sid, set_from_counts("B1", PROGRAM, reps=30, good=30))
    complete_session(db, sid, pain_after=0)
    assert decide_progression(load_history(db, pid), ladder="B").action == "progress"
    db.close()


OPEN_AND_ADD = """
import sys, time
from pathlib import Path
go = Path(sys.argv[3])
print("READY", flush=True)
while not go.exists():
    time.sleep(0.005)
from hamcoach.storage.repo import add_patient, open_database
add_patient(open_database(sys.argv[1]), sys.argv[2])
print("DONE", flush=True)
"""


def test_two_processes_creating_the_same_new_database_both_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'fresh.db'}"
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_ADD, url, code, str(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for code in ("N1", "N2")
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "READY"
    go.touch()
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    db = open_database(url)
    assert sorted(x.code for x in list_patients(db)) == ["N1", "N2"]
    db.close()
    _consistent(tmp_path / "new" / "fresh.db")
