"""The audit document: what HamCoach saw in one set.

A versioned JSON contract, documented in docs/AUDIT_SCHEMA.md.

Compatibility policy: fields are only ever added (minor version bump). Removing or renaming a
field, or changing its meaning, is a major version bump. Readers must ignore unknown fields.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AUDIT_SCHEMA_VERSION = "1.0"

Verdict = Literal["pass", "fail", "unknown"]
Leg = Literal["both", "left", "right"]
View = Literal[
    "front", "rear", "side", "three_quarter_front", "three_quarter_rear", "overhead", "unknown"
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Finding(_Model):
    """One check's verdict on one rep."""

    check: str = Field(description="stable check id, e.g. squat.depth")
    verdict: Verdict
    value: float | None = Field(None, description="the measured value, in `unit`")
    threshold: float | None = Field(None, description="the threshold it was compared with")
    unit: str = ""
    reason: str = Field("", description="why the verdict (always set for unknown)")
    frame: int | None = Field(None, description="frame index where the value was measured")
    cue: str = Field("", description="what to tell the person when the verdict is fail")


class Rep(_Model):
    index: int = Field(description="1-based rep number in the set")
    start_s: float
    bottom_s: float = Field(
        description="time of the turning point (deepest squat, top of a bridge)"
    )
    end_s: float
    leg: Leg
    good: bool = Field(description="no fail and no unknown among the checks the view supports")
    down_s: float = Field(description="duration of the first (for squats: lowering) phase")
    pause_s: float = Field(description="time held at the turning point")
    up_s: float = Field(description="duration of the return phase")
    range_fraction: float = Field(1.0, description="rep range / the set's typical range")
    findings: list[Finding] = Field(default_factory=list)


class Counts(_Model):
    reps: int
    good: int
    left: int
    right: int
    good_left: int
    good_right: int


class CheckNotRun(_Model):
    check: str
    reason: str
    hint: str = Field("", description="how to place the camera so the check can run")


class ViewInfo(_Model):
    view: View
    facing: Literal["left", "right", "camera", "away", "up", "unknown"] = Field(
        "unknown", description="where the performer's front faces, in image terms"
    )
    near_side: Literal["left", "right", "both", "unknown"] = Field(
        "unknown", description="the performer's body side nearer the camera"
    )
    posture: Literal["standing", "lying", "unknown"] = "unknown"
    confidence: float = 0.0


class SourceInfo(_Model):
    name: str = Field(description="file name only (never a full path: it may hold personal data)")
    frames: int
    fps: float
    duration_s: float
    width: int
    height: int
    backend: str
    person_frames_fraction: float


class Audit(_Model):
    schema_version: str = AUDIT_SCHEMA_VERSION
    hamcoach_version: str
    exercise: str
    exercise_detected: str | None = None
    exercise_confidence: float | None = None
    stage: str | None = None
    view: View
    view_info: ViewInfo
    source: SourceInfo
    reps: list[Rep]
    counts: Counts
    checks_run: list[str]
    checks_not_run: list[CheckNotRun]
    warnings: list[str]
    settings_overrides: dict[str, object] = Field(default_factory=dict)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


def count_reps(reps: list[Rep]) -> Counts:
    """Per-leg totals. Two-leg reps credit both legs (PROGRAM.md section 3)."""
    left = sum(1 for r in reps if r.leg in ("left", "both"))
    right = sum(1 for r in reps if r.leg in ("right", "both"))
    good_left = sum(1 for r in reps if r.good and r.leg in ("left", "both"))
    good_right = sum(1 for r in reps if r.good and r.leg in ("right", "both"))
    return Counts(
        reps=len(reps),
        good=sum(1 for r in reps if r.good),
        left=left,
        right=right,
        good_left=good_left,
        good_right=good_right,
    )


def load_audit(path: Path) -> Audit:
    return Audit.model_validate_json(Path(path).read_text(encoding="utf-8"))


def audit_json_schema() -> str:
    return json.dumps(Audit.model_json_schema(), indent=2)
