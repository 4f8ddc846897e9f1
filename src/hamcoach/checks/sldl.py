"""Single-leg deadlift checks (stages D1, D2), PROGRAM.md section 7."""

from __future__ import annotations

import math

import numpy as np

from hamcoach import kinematics as K
from hamcoach.checks.base import (
    FRONTAL,
    SAGITTAL,
    Check,
    CheckContext,
    Measurement,
    Unmeasurable,
    argbest,
    register,
    require_visible,
    suffix,
    top_mask,
)
from hamcoach.track import FloatArray

SLDL = frozenset({"single_leg_deadlift"})
SIDE_HINT = "Place the camera to your side at hip height, 3 m away, whole body in view."
# The fraction of its own range at which a movement counts as started.
ONSET_FRACTION = 0.25


def _free(ctx: CheckContext) -> str:
    if ctx.free_leg is None:
        raise Unmeasurable("the working leg could not be told, so neither could the free leg")
    return ctx.free_leg


def _onset_time(t: FloatArray, values: FloatArray, end: int) -> float:
    """First time (s) before index ``end`` at which ``values`` covers ONSET_FRACTION of its rise."""
    seg = values[: end + 1]
    ok = np.isfinite(seg)
    if ok.sum() < 3:
        return math.nan
    lo, hi = float(np.nanmin(seg)), float(np.nanmax(seg))
    if hi - lo <= 0:
        return math.nan
    level = lo + ONSET_FRACTION * (hi - lo)
    above = np.flatnonzero(ok & (seg >= level))
    return float(t[above[0]]) if above.size else math.nan


@register
class SldlLegLeads(Check):
    """The free leg leads; the trunk follows only when the leg cannot rise further.

    Value: how much later (s) the free leg starts rising than the trunk starts tipping.
    Fails: trunk first by 0.5 s (> 0.3). Passes: leg and trunk together (0.0) or leg first (< 0).
    """

    id = "sldl.leg_leads"
    exercises = SLDL
    views = SAGITTAL
    threshold_key = "sldl_leg_leads"
    cue = "Start by sending your free leg back; let your trunk tip only as the leg rises."
    camera_hint = SIDE_HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        f = suffix(_free(ctx))
        require_visible(ctx, [f"conf_leg_{f}", "conf_hips"], "the free leg and hips")
        t = ctx.window["t_s"]
        trunk_tip = -ctx.window["trunk_incline"]
        torso = np.nanmedian(ctx.window["torso_len"])
        leg_rise = (ctx.window["hip_y"] - ctx.window[f"ankle_y_{f}"]) / torso
        leg_rise = -leg_rise  # the free ankle rises towards hip height: value grows
        b = ctx.bottom_index
        lag = _onset_time(t, leg_rise, b) - _onset_time(t, trunk_tip, b)
        if not math.isfinite(lag):
            raise Unmeasurable("the start of the movement was not visible")
        return Measurement(lag, ctx.window.frame_at(0))


@register
class SldlBodyLine(Check):
    """A straight line from the upper back through the free leg at the bottom (no "V").

    Value: the bend at the hip between trunk and free leg (180 - shoulder-hip-free ankle angle,
    deg). Fails: a 50 deg "V" (> 30). Passes: 10 deg.
    """

    id = "sldl.body_line"
    exercises = SLDL
    views = SAGITTAL
    threshold_key = "sldl_body_line"
    cue = (
        "Keep one straight line from your shoulders through your free heel; "
        "don't let your chest drop below it."
    )
    camera_hint = SIDE_HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        f = suffix(_free(ctx))
        require_visible(ctx, [f"conf_leg_{f}", "conf_hips"], "the free leg and hips")
        w = ctx.window
        shoulder = np.stack([w["shoulder_x"], w["shoulder_y"]], axis=-1)
        hip = np.stack([w["hip_x"], w["hip_y"]], axis=-1)
        ankle = np.stack([w[f"ankle_x_{f}"], w[f"ankle_y_{f}"]], axis=-1)
        bend = K.flexion(shoulder, hip, ankle)
        i = argbest(-np.abs(bend - np.nanmedian(bend[top_mask(ctx)])), top_mask(ctx), highest=True)
        return Measurement(float(bend[i]), w.frame_at(i))


@register
class SldlHipsSquare(Check):
    """Hips square to the floor: the pelvis does not rotate open at the bottom.

    Value: tilt of the hip line out of the horizontal (deg), from BlazePose's 3-D world
    landmarks near the bottom. Fails: 35 deg (> 20). Passes: 5 deg.
    """

    id = "sldl.hips_square"
    exercises = SLDL
    views = FRONTAL | SAGITTAL
    threshold_key = "sldl_hips_square"
    cue = "Keep both hips pointing at the floor; don't let the free hip turn up."
    camera_hint = "Place the camera to your side or in front of you, at hip height."

    def measure(self, ctx: CheckContext) -> Measurement:
        require_visible(ctx, ["conf_hips"], "both hips")
        roll = ctx.window["hip_roll_world"]
        if not np.isfinite(roll).any():
            raise Unmeasurable("no 3-D landmarks for this track (needs the BlazePose backend)")
        mask = top_mask(ctx)
        value = float(np.nanmedian(np.where(mask, roll, np.nan)))
        i = argbest(-np.abs(roll - value), mask, highest=True)
        return Measurement(value, ctx.window.frame_at(i))
