"""Which cue to say after a rep, and when to keep quiet.

Policy (one cue at a time, never nagging):

1. Only a just-finished rep can trigger a cue, and a rep gives at most one.
2. A fault seen in that rep (a ``fail`` verdict) comes first, in the exercise's check order.
3. Otherwise a check the camera could not judge because a joint was hidden gives
   "I can't see your knees..." - never a fault that was not seen.
4. No cue within ``cue_cooldown_s`` of the previous one, and never the same cue within
   ``same_cue_cooldown_s``; a cue that cannot be said now is dropped, not queued (a stale cue
   about an earlier rep would confuse).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from hamcoach.audit import Finding, Rep
from hamcoach.live.settings import LiveSettings

CueKind = Literal["fault", "unseen", "target", "safety"]

# Reasons of ``unknown`` verdicts that mean a joint was hidden (see checks/base.py).
_HIDDEN = re.compile(
    r"^(?P<what>.+?) (?:not visible clearly enough|was not visible|were not visible)"
)
# Body parts to name when a check's reason does not say which joints were missing.
_CHECK_PARTS: dict[str, str] = {
    "squat.depth": "hips and knees",
    "squat.knee_valgus": "knees",
    "squat.knees_past_toes": "knees and toes",
    "squat.knees_together_ascent": "knees",
    "squat.pelvis_level": "hips",
    "squat.trunk_lean": "shoulders and hips",
    "bridge.hip_height": "shoulders, hips and knees",
    "bridge.heel_down": "heels and toes",
    "bridge.hips_level": "hips",
    "ball_curl.hips_up": "hips",
    "ball_curl.full_extension": "knees",
    "ball_curl.full_curl": "knees",
    "sldl.leg_leads": "free leg",
    "sldl.body_line": "back and free leg",
    "sldl.hips_square": "hips",
}


@dataclass(frozen=True)
class Cue:
    text: str
    kind: CueKind
    check: str = ""
    rep: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "type": "cue",
            "text": self.text,
            "kind": self.kind,
            "check": self.check,
            "rep": self.rep,
        }


def hidden_parts(finding: Finding) -> str | None:
    """The body parts an ``unknown`` verdict could not see ("your left knee"), or None when the
    verdict is unknown for another reason (wrong view, first rep...)."""
    if finding.verdict != "unknown":
        return None
    m = _HIDDEN.match(finding.reason)
    if m:
        what = m.group("what")
        for prefix in ("the ", "both "):
            if what.startswith(prefix):
                what = what[len(prefix) :]
        return f"your {what}"
    if finding.reason.startswith("no frame of the rep shows the joints"):
        return f"your {_CHECK_PARTS.get(finding.check, 'body')}"
    return None


def unseen_text(parts: str) -> str:
    return f"I can't see {parts} well: move so the camera sees them, or step back a little."


def candidate_cue(rep: Rep) -> Cue | None:
    """The cue a rep deserves, before the cooldown: its first fault, else a hidden joint."""
    for f in rep.findings:
        if f.verdict == "fail" and f.cue:
            return Cue(f.cue, "fault", f.check, rep.index)
    for f in rep.findings:
        parts = hidden_parts(f)
        if parts:
            return Cue(unseen_text(parts), "unseen", f.check, rep.index)
    return None


class CuePolicy:
    """Says at most one cue per ``cue_cooldown_s`` and never repeats one too soon."""

    def __init__(self, settings: LiveSettings) -> None:
        self.settings = settings
        self._last_t = -math.inf
        self._said: dict[str, float] = {}
        self.dropped = 0

    def offer(self, cue: Cue | None, t_s: float) -> Cue | None:
        """The cue to say now at stream time ``t_s`` (or None: keep quiet)."""
        if cue is None:
            return None
        if cue.kind != "safety":
            too_soon = t_s - self._last_t < self.settings.cue_cooldown_s
            repeated = t_s - self._said.get(cue.text, -math.inf) < self.settings.same_cue_cooldown_s
            if too_soon or repeated:
                self.dropped += 1
                return None
        self._last_t = t_s
        self._said[cue.text] = t_s
        return cue

    def after_rep(self, rep: Rep, t_s: float) -> Cue | None:
        return self.offer(candidate_cue(rep), t_s)
