"""A separate process that writes sessions for one patient (used by test_concurrency.py).

Usage: python writer.py URL PATIENT_CODE SESSIONS [hang | GO_FILE]

With ``hang``, the process stops in the middle of writing the second set of its second session
(inside the transaction, after some of the set's rows were inserted), prints ``MIDSET`` and
sleeps, so the test can kill it there. With a GO_FILE, it prints ``READY`` once the database is
open and waits for that file to exist, so that two writers start at the same moment.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from hamcoach.program.catalog import PROGRAM
from hamcoach.program.demo import rep_plan, synthetic_audit
from hamcoach.program.history import set_from_audit
from hamcoach.storage.models import AuditRepRow
from hamcoach.storage.repo import (
    add_set,
    complete_session,
    find_patient,
    open_database,
    start_session,
)


def _pause(_mapper: Any, _connection: Any, target: AuditRepRow) -> None:
    if target.rep_index == 5:
        print("MIDSET", flush=True)
        time.sleep(120)


def main() -> None:
    url, code, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    hang = len(sys.argv) > 4 and sys.argv[4] == "hang"
    go = Path(sys.argv[4]) if len(sys.argv) > 4 and not hang else None
    db = open_database(url)
    pid = find_patient(db, code).id
    if go is not None:
        print("READY", flush=True)
        while not go.exists():
            time.sleep(0.005)
    for i in range(n):
        sid = start_session(db, pid, pain_before=1)
        for k in range(3):
            if hang and i == 1 and k == 1:
                event.listen(AuditRepRow, "after_insert", _pause)
            audit = synthetic_audit("bridge", "B1", rep_plan("B1", (10, 0), (2, 0)))
            add_set(db, sid, set_from_audit(audit, "B1", PROGRAM, pain=1), audit=audit)
        complete_session(db, sid, pain_after=1)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
