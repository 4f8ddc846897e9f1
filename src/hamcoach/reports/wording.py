"""Plain words for the reports: what each check looks at and how to read its measured value.

The cue (what to do) and the camera hint come from the check itself (:mod:`hamcoach.checks`);
this module only names the checks for a patient and phrases their numbers. A check id that is
not listed here still renders, with its id as the name and a generic phrasing of the value.
"""

from __future__ import annotations

from dataclasses import dataclass

from hamcoach.audit import Finding


@dataclass(frozen=True)
class CheckWords:
    """How a report names one check."""

    title: str  # short: a table column, a heading
    question: str  # what the check asks, in a patient's words
    fault: str  # the fault, as a noun phrase ("not going low enough")


CHECK_WORDS: dict[str, CheckWords] = {
    "squat.depth": CheckWords(
        "Depth", "Do the hips go below the knees?", "not squatting low enough"
    ),
    "squat.knee_valgus": CheckWords(
        "Knees in line", "Do the knees stay in line with the toes?", "knees caving inwards"
    ),
    "squat.knees_past_toes": CheckWords(
        "Knees over feet", "Do the knees stay over the feet?", "knees travelling past the toes"
    ),
    "squat.knees_together_ascent": CheckWords(
        "Knees apart going up",
        "Do the knees stay apart on the way up?",
        "knees coming together on the way up",
    ),
    "squat.pelvis_level": CheckWords(
        "Pelvis level", "Does the pelvis stay level?", "pelvis dropping to one side"
    ),
    "squat.trunk_lean": CheckWords(
        "Trunk upright", "Does the upper body stay upright?", "leaning sideways"
    ),
    "bridge.hip_height": CheckWords(
        "Hips high", "Do the hips rise high enough at the top?", "hips not lifted high enough"
    ),
    "bridge.heel_down": CheckWords(
        "Heels down", "Do the heels stay on the floor?", "heels lifting (pushing with the toes)"
    ),
    "bridge.hips_level": CheckWords(
        "Hips level", "Do the hips stay level?", "hips tilting to one side"
    ),
    "bridge.no_rest": CheckWords(
        "No resting", "Do the hips stay off the floor between reps?", "resting between reps"
    ),
    "bridge.slow_lowering": CheckWords(
        "Slow lowering", "Are the hips lowered slowly?", "lowering too fast"
    ),
    "ball_curl.hips_up": CheckWords(
        "Hips up", "Do the hips stay up while the ball rolls in?", "hips sagging"
    ),
    "ball_curl.full_extension": CheckWords(
        "Legs straight", "Are the legs almost straight when the ball is out?", "legs not straight"
    ),
    "ball_curl.full_curl": CheckWords(
        "Full curl", "Do the heels come close to the buttocks?", "ball not rolled in far enough"
    ),
    "sldl.leg_leads": CheckWords(
        "Leg leads", "Does the free leg lead the movement?", "the upper body tipping first"
    ),
    "sldl.body_line": CheckWords(
        "Straight line",
        "Is there a straight line from the upper back to the free leg?",
        "a V shape between back and leg",
    ),
    "sldl.hips_square": CheckWords(
        "Hips square", "Do the hips stay square to the floor?", "hips rotating open"
    ),
    "tempo.controlled": CheckWords(
        "Slow lowering", "Is the lowering slow and controlled?", "lowering too fast"
    ),
}


def check_words(check_id: str) -> CheckWords:
    """The words for ``check_id`` (its id, made readable, when it is not listed)."""
    known = CHECK_WORDS.get(check_id)
    if known is not None:
        return known
    name = check_id.rsplit(".", maxsplit=1)[-1].replace("_", " ")
    return CheckWords(name.capitalize(), f"Check: {name}", name)


# Checks whose negative values only say "the other way, which is fine" (knees outside the
# line, behind the toes, the free hip higher, the leg leading): no number is shown for them.
NEGATIVE_IS_FINE = frozenset(
    {
        "squat.knee_valgus",
        "squat.knees_past_toes",
        "squat.pelvis_level",
        "sldl.leg_leads",
    }
)


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def describe_value(finding: Finding, leg: str = "both") -> str:
    """The measured value and what it was compared with, in plain words ('' for unknown);
    ``leg`` is the rep's working leg (single-leg reps are measured on it alone)."""
    v, th = finding.value, finding.threshold
    if v is None:
        return ""
    c = finding.check
    if c == "squat.depth" and th is not None:
        where = f"{v:.0f}° above level" if v >= 0 else f"{-v:.0f}° below level"
        return f"thigh {where} at the lowest point (aim: {th:.0f}° above level or lower)"
    if c == "squat.knee_valgus" and th is not None:
        if leg in ("left", "right"):
            if v <= 0:
                return "knee stayed over the foot"
            return f"knee {_pct(v)} of the shin length inside the foot (limit {_pct(th)})"
        if v <= 0:
            return "knees stayed outside the hip-to-ankle line"
        return f"knee {_pct(v)} of the leg length inside the hip-to-ankle line (limit {_pct(th)})"
    if c == "squat.knees_past_toes" and th is not None:
        if v <= 0:
            return "knee stayed behind the toes"
        return f"knee {_pct(v)} of the shin length ahead of the toes (limit {_pct(th)})"
    if c == "squat.knees_together_ascent" and th is not None:
        return f"gap between the knees narrowed by {_pct(v)} on the way up (limit {_pct(th)})"
    if c in ("tempo.controlled", "bridge.slow_lowering") and th is not None:
        return f"lowering took {v:.1f} s (aim: at least {th:.1f} s)"
    if c in ("bridge.hip_height", "ball_curl.hips_up") and th is not None:
        return f"hips {v:.0f}° short of a straight shoulder-hip-knee line (limit {th:.0f}°)"
    if c == "bridge.heel_down" and th is not None:
        return f"heel rose by {_pct(v)} of the shin length (limit {_pct(th)})"
    if c in ("bridge.hips_level", "sldl.hips_square") and th is not None:
        return f"hips tilted {v:.0f}° out of level (limit {th:.0f}°)"
    if c == "squat.pelvis_level" and th is not None:
        return f"free-leg side of the pelvis dropped {v:.0f}° (limit {th:.0f}°)"
    if c == "squat.trunk_lean" and th is not None:
        return f"trunk leaned {v:.0f}° sideways (limit {th:.0f}°)"
    if c == "sldl.body_line" and th is not None:
        return f"{v:.0f}° bend between back and free leg (limit {th:.0f}°)"
    if c == "sldl.leg_leads" and th is not None:
        return f"trunk tipped {v:.1f} s before the free leg rose (limit {th:.1f} s)"
    if c == "bridge.no_rest" and th is not None:
        return f"rested {v:.1f} s at the bottom (limit {th:.1f} s)"
    if c == "ball_curl.full_extension" and th is not None:
        return f"knees still bent {v:.0f}° with the ball out (limit {th:.0f}°)"
    if c == "ball_curl.full_curl" and th is not None:
        return f"knees bent only {v:.0f}° with the ball in (aim: {th:.0f}° or more)"
    unit = f" {finding.unit}" if finding.unit else ""
    if th is None:
        return f"measured {v:.2f}{unit}"
    return f"measured {v:.2f}{unit} (threshold {th:g}{unit})"


def verdict_words(verdict: str) -> str:
    return {"pass": "OK", "fail": "Fix", "unknown": "Not judged"}.get(verdict, verdict)


def short_value(finding: Finding) -> str:
    """The measured value in a few characters, for table cells ('' when not measured)."""
    v = finding.value
    if v is None:
        return ""
    if v < 0 and finding.check in NEGATIVE_IS_FINE:
        return ""
    if finding.check == "squat.depth" and v < 0:
        return f"{-v:.0f}° below"
    if finding.unit == "deg":
        return f"{v:.0f}°"
    if finding.unit == "s":
        return f"{v:.1f} s"
    if finding.unit == "ratio":
        return f"{v * 100:.0f}%"
    return f"{v:.2f}"
