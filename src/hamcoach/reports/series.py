"""Per-frame traces of what the checks measure, for plots and overlays.

The checks compute one value per rep (:mod:`hamcoach.checks`); a report also wants to show that
measure over time. These functions rebuild it frame by frame from the same feature rows with the
same formulas, so the trace passes through the value the check reported at its key frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hamcoach.audit import Rep
from hamcoach.checks.squat import hip_ankle_line_px, standing_length_px
from hamcoach.features import INDEX
from hamcoach.pipeline import Analysis
from hamcoach.track import FloatArray


@dataclass(frozen=True)
class RepFrames:
    """A rep's start, turning point and end as frame indices of the track."""

    start: int
    bottom: int
    end: int


def frame_at(t_s: FloatArray, time_s: float) -> int:
    """Index of the first frame at or after ``time_s`` (clamped to the track)."""
    if t_s.size == 0:
        return 0
    i = int(np.searchsorted(t_s, time_s - 1e-6))
    return min(max(i, 0), t_s.size - 1)


def rep_frames(analysis: Analysis, rep: Rep) -> RepFrames:
    t = analysis.cleaned.t_s
    return RepFrames(frame_at(t, rep.start_s), frame_at(t, rep.bottom_s), frame_at(t, rep.end_s))


def measured_side(analysis: Analysis, leg: str = "both") -> str:
    """The leg a check measures: a single-leg rep's working leg, else the one nearer the camera
    (left when unknown). Mirrors :func:`hamcoach.checks.base.sagittal_side`."""
    if leg in ("left", "right"):
        return leg
    near = analysis.view.near_side
    return near if near in ("left", "right") else "left"


def _col(analysis: Analysis, name: str) -> FloatArray:
    return np.asarray(analysis.features[:, INDEX[name]], dtype=np.float64)


def _s(side: str) -> str:
    return "l" if side == "left" else "r"


def knee_flexion(analysis: Analysis) -> FloatArray:
    """Knee bend (deg, 0 = straight): the measured leg in a side view, else both legs' mean."""
    if analysis.view.view == "side":
        return _col(analysis, f"knee_flex_{_s(measured_side(analysis))}")
    return _nanmean2(_col(analysis, "knee_flex_l"), _col(analysis, "knee_flex_r"))


def hip_flexion(analysis: Analysis) -> FloatArray:
    if analysis.view.view == "side":
        return _col(analysis, f"hip_flex_{_s(measured_side(analysis))}")
    return _nanmean2(_col(analysis, "hip_flex_l"), _col(analysis, "hip_flex_r"))


def _nanmean2(a: FloatArray, b: FloatArray) -> FloatArray:
    both = np.stack([a, b])
    with np.errstate(all="ignore"):
        out = np.where(np.isfinite(both).any(axis=0), np.nanmean(both, axis=0), np.nan)
    return np.asarray(out, dtype=np.float64)


def depth_trace(analysis: Analysis) -> FloatArray:
    """Thigh angle above horizontal (deg) as ``squat.depth`` measures it: inside a rep, the
    thigh's longest length in that rep is the reference; elsewhere its 95th percentile."""
    s = _s(measured_side(analysis))
    rise = _col(analysis, f"hip_above_knee_{s}")
    thigh = _col(analysis, f"thigh_len_{s}")
    finite = thigh[np.isfinite(thigh)]
    ref = np.full(thigh.shape, float(np.percentile(finite, 95)) if finite.size else math.nan)
    for rep in analysis.audit.reps:
        rf = rep_frames(analysis, rep)
        window = thigh[rf.start : rf.end + 1]
        if np.isfinite(window).any():
            ref[rf.start : rf.end + 1] = np.nanmax(window)
    with np.errstate(all="ignore"):
        angle = np.degrees(np.arcsin(np.clip(rise / ref, -1.0, 1.0)))
    return np.asarray(angle, dtype=np.float64)


def valgus_trace(analysis: Analysis) -> FloatArray:
    """Medial knee offset / standing hip-ankle length, both knees' mean, as
    ``squat.knee_valgus`` measures it (inside a rep the leg's standing length is the rep's 90th
    percentile of its hip-ankle line, elsewhere the clip's), except inside single-leg reps,
    where only the working leg's knee counts."""
    sides = []
    for s in ("l", "r"):
        line = hip_ankle_line_px(lambda name: _col(analysis, name), s)
        standing = np.full(line.shape, standing_length_px(line))
        for rep in analysis.audit.reps:
            rf = rep_frames(analysis, rep)
            standing[rf.start : rf.end + 1] = standing_length_px(line[rf.start : rf.end + 1])
        with np.errstate(all="ignore"):
            sides.append(_col(analysis, f"knee_medial_{s}") * line / standing)
    both = np.stack(sides)
    with np.errstate(all="ignore"):
        out = np.where(np.isfinite(both).any(axis=0), np.nanmean(both, axis=0), np.nan)
    for rep in analysis.audit.reps:
        if rep.leg in ("left", "right"):
            rf = rep_frames(analysis, rep)
            own = knee_medial_of_foot(analysis, rep.leg)
            out[rf.start : rf.end + 1] = own[rf.start : rf.end + 1]
    return np.asarray(out, dtype=np.float64)


def knee_medial_of_foot(analysis: Analysis, side: str) -> FloatArray:
    """On one leg: how far the stance knee lies medial of its own ankle, / shank length (as
    :func:`hamcoach.checks.squat.knee_medial_of_foot`)."""
    s, o = _s(side), _s("right" if side == "left" else "left")
    toward_other = np.sign(_col(analysis, f"hip_x_{o}") - _col(analysis, f"hip_x_{s}"))
    with np.errstate(all="ignore"):
        out = (
            (_col(analysis, f"knee_x_{s}") - _col(analysis, f"ankle_x_{s}"))
            * toward_other
            / _col(analysis, f"shank_len_{s}")
        )
    return np.asarray(out, dtype=np.float64)


def knees_past_toes_trace(analysis: Analysis) -> FloatArray | None:
    """Knee ahead of the toes / shank length, in the direction the feet point (None when the
    facing direction is unknown, as ``squat.knees_past_toes`` then does not judge)."""
    facing = analysis.view.facing
    if facing not in ("left", "right"):
        return None
    sign = 1.0 if facing == "right" else -1.0
    return sign * _col(analysis, f"knee_toe_{_s(measured_side(analysis))}")


def trunk_lean_trace(analysis: Analysis) -> FloatArray:
    """Sideways lean of the trunk from vertical (deg, signed by image x)."""
    return _col(analysis, "trunk_lateral")


def knee_gap_trace(analysis: Analysis) -> FloatArray:
    """Knee gap / ankle gap (front and rear views)."""
    return _col(analysis, "knee_gap_ratio")


def worse_knee(analysis: Analysis, frame: int) -> str:
    """The knee that lies further inside its hip-ankle line at ``frame``."""
    left = float(analysis.features[frame, INDEX["knee_medial_l"]])
    right = float(analysis.features[frame, INDEX["knee_medial_r"]])
    if not math.isfinite(right):
        return "left"
    if not math.isfinite(left):
        return "right"
    return "left" if left >= right else "right"
