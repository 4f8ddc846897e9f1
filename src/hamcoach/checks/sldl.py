"""Single-leg deadlift checks (stages D1, D2), PROGRAM.md section 7."""

from __future__ import annotations

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
    median_at,
    register,
    require_visible,
    suffix,
    top_mask,
)

SLDL = frozenset({"single_leg_deadlift"})
SIDE_HINT = (
    "Place the camera at hip height, 3 m away, on the side of the leg that lifts, "
    "whole body in view."
)


def _free(ctx: CheckContext) -> str:
    if ctx.free_label is None:
        raise Unmeasurable("the working leg could not be told, so neither could the free leg")
    return ctx.free_label


@register
class SldlLegLeads(Check):
    """The free leg leads; the trunk follows only as far as the leg has risen ("one unit").

    Value: the largest lead of the trunk over the free leg on the way down (deg): the trunk's
    tilt from upright minus the free leg's swing back from hanging straight down, beyond the lead
    still held at the bottom (that is a "V", :class:`SldlBodyLine`), from the 3-D
    world landmarks (in the picture, a raised camera and a body turned a few degrees tilt a
    level trunk and a level leg in opposite directions: 25-40 deg of false lead at the bottom
    on the synthetic suite), else in the picture.
    Fails: the trunk tips 35 deg ahead of the leg (> 20). Passes: together (about 0) or the leg
    first (< 0).
    """

    id = "sldl.leg_leads"
    exercises = SLDL
    views = SAGITTAL
    threshold_key = "sldl_leg_leads"
    cue = "Start by sending your free leg back; let your trunk tip only as the leg rises."
    camera_hint = SIDE_HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        f = suffix(_free(ctx))
        require_visible(ctx, [f"conf_leg_{f}"], "the free leg")
        w = ctx.window
        lead = w["trunk_tilt3d"] - w[f"leg_swing3d_{f}"]
        if not np.isfinite(lead).any():  # no world landmarks: the picture's angles
            trunk_tilt = 90.0 - w["trunk_incline"]
            hip = np.stack([w["hip_x"], w["hip_y"]], axis=-1)
            ankle = np.stack([w[f"ankle_x_{f}"], w[f"ankle_y_{f}"]], axis=-1)
            lead = trunk_tilt - (90.0 + K.incline(hip, ankle))
        descent = np.zeros(len(lead), dtype=bool)
        descent[: ctx.bottom_index + 1] = True
        i = argbest(lead, descent, highest=True)
        # a lead still there at the bottom is a "V" (sldl.body_line's fault), not a trunk that
        # went first: only the lead beyond the one held at the bottom counts here
        held, _ = median_at(lead, top_mask(ctx))
        return Measurement(float(lead[i]) - max(held, 0.0), w.frame_at(i))


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
        require_visible(ctx, [f"conf_leg_{f}"], "the free leg")
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
        require_visible(ctx, ["conf_hips"], "the hips")
        roll = ctx.window["hip_roll_world"]
        if not np.isfinite(roll).any():
            raise Unmeasurable("no 3-D landmarks for this track (needs the BlazePose backend)")
        mask = top_mask(ctx)
        value = float(np.nanmedian(np.where(mask, roll, np.nan)))
        i = argbest(-np.abs(roll - value), mask, highest=True)
        return Measurement(value, ctx.window.frame_at(i))
