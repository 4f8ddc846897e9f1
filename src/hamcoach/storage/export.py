"""A patient's history as CSV (one row per set) or JSON (everything). Names are never exported:
the patient appears by code only."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from hamcoach.program.catalog import PROGRAM
from hamcoach.storage.repo import Database, load_decisions, load_history

ExportFormat = Literal["csv", "json"]

CSV_COLUMNS = (
    "patient",
    "session_id",
    "started_at",
    "status",
    "program_version",
    "pain_before",
    "pain_after",
    "morning_pain",
    "set",
    "ladder",
    "stage",
    "exercise",
    "source",
    "reps",
    "good",
    "reps_left",
    "reps_right",
    "good_left",
    "good_right",
    "load_kg",
    "pain",
    "cramp",
    "audit_id",
)


def export_patient(db: Database, patient_id: int, fmt: ExportFormat) -> str:
    history = load_history(db, patient_id, include_open=True)
    if fmt == "json":
        decisions: dict[int, list[dict[str, Any]]] = {}
        for d in load_decisions(db, patient_id):
            decisions.setdefault(d.session_id, []).append(
                {
                    "ladder": d.ladder,
                    "action": d.action,
                    "stage": d.stage,
                    "next_stage": d.next_stage,
                    "load_kg": d.load_kg,
                    "reasons": list(d.reasons),
                }
            )
        data = history.model_dump(mode="json")
        for s in data["sessions"]:
            s["decisions"] = decisions.get(s["id"], [])
            for st in s["sets"]:
                st.pop("rep_details", None)
        data["program_version"] = PROGRAM.version
        return json.dumps(data, indent=2)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for s in history.sessions:
        for i, st in enumerate(s.sets, start=1):
            w.writerow(
                [
                    history.patient,
                    s.id,
                    s.started_at.isoformat(),
                    s.status,
                    s.program_version,
                    _blank(s.pain_before),
                    _blank(s.pain_after),
                    _blank(s.morning_pain),
                    i,
                    PROGRAM.stage(st.stage).ladder,
                    st.stage,
                    st.exercise,
                    st.source,
                    st.reps,
                    st.good,
                    st.reps_left,
                    st.reps_right,
                    st.good_left,
                    st.good_right,
                    _blank(st.load_kg),
                    _blank(st.pain),
                    "yes" if st.cramp else "no",
                    _blank(st.audit_id),
                ]
            )
    return out.getvalue()


def _blank(x: object) -> str:
    return "" if x is None else str(x)
