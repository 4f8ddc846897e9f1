"""Reading ``labels.json`` of an evaluation folder (format: that folder's README)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hamcoach.errors import InputNotFoundError, TrackFormatError

# Fault names of the labels -> check ids (the eval README's mapping).
FAULT_TO_CHECK: dict[str, str] = {
    "shallow": "squat.depth",
    "knee_valgus": "squat.knee_valgus",
    "knees_past_toes": "squat.knees_past_toes",
    "knees_together_on_ascent": "squat.knees_together_ascent",
    "pelvis_drop": "squat.pelvis_level",
    "trunk_lean": "squat.trunk_lean",
    "low_hips": "bridge.hip_height",
    "heel_lift_bridge": "bridge.heel_down",
    "hips_not_level": "bridge.hips_level",
    "rest_at_bottom": "bridge.no_rest",
    "fast_lowering": "bridge.slow_lowering",
    "hips_open": "sldl.hips_square",
    "v_shape": "sldl.body_line",
    "back_leads": "sldl.leg_leads",
    "hips_sag": "ball_curl.hips_up",
}


def fault_check(fault: str, exercise: str) -> str | None:
    """The check id a labelled fault maps to for ``exercise`` (None: no check yet)."""
    if fault == "heel_lift":
        return "bridge.heel_down" if "bridge" in exercise else None
    return FAULT_TO_CHECK.get(fault)


@dataclass(frozen=True)
class LabelRep:
    start: float | None
    bottom: float | None
    end: float | None
    leg: str
    partial: bool
    faults: tuple[str, ...]
    unsure: tuple[str, ...]


@dataclass(frozen=True)
class ClipLabel:
    id: str
    file: Path
    exercise: str
    view: str
    people: int
    working_leg: str
    rep_count: int
    reps: tuple[LabelRep, ...]
    usable_for: frozenset[str]
    faults_clip: tuple[str, ...]
    count_confidence: str

    @property
    def complete_reps(self) -> list[LabelRep]:
        return [r for r in self.reps if not r.partial]


def _rep(d: dict[str, Any]) -> LabelRep:
    return LabelRep(
        start=d.get("start"),
        bottom=d.get("bottom"),
        end=d.get("end"),
        leg=str(d.get("leg", "both")),
        partial=bool(d.get("partial", False)),
        faults=tuple(d.get("faults", [])),
        unsure=tuple(d.get("unsure", [])),
    )


def load_labels(eval_dir: Path) -> list[ClipLabel]:
    """Every clip record of ``eval_dir/labels.json``, with absolute clip paths."""
    path = Path(eval_dir) / "labels.json"
    if not path.exists():
        raise InputNotFoundError(
            f"No labels.json in {eval_dir}.",
            hint="Point at the evaluation folder (../shared/eval).",
        )
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TrackFormatError(f"{path} is not valid JSON: {exc}") from exc
    clips_dir = Path(eval_dir) / "clips"
    return [
        ClipLabel(
            id=r["id"],
            file=clips_dir / r["file"],
            exercise=r["exercise"],
            view=r["view"],
            people=int(r.get("people", 1)),
            working_leg=str(r.get("working_leg", "both")),
            rep_count=int(r["rep_count"]),
            reps=tuple(_rep(x) for x in r.get("reps", [])),
            usable_for=frozenset(r.get("usable_for", [])),
            faults_clip=tuple(r.get("faults_clip", [])),
            count_confidence=str(r.get("count_confidence", "")),
        )
        for r in records
    ]
