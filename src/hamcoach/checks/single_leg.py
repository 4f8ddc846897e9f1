"""Single-leg squat checks on the frontal plane: pelvis level and trunk upright."""

from __future__ import annotations

import numpy as np

from hamcoach.checks.base import (
    FRONTAL,
    Check,
    CheckContext,
    Measurement,
    Unmeasurable,
    argbest,
    bottom_half,
    median_at,
    register,
    require_visible,
)

HINT = "Place the camera in front of you at hip height, 2-3 m away, whole body in view."


@register
class SquatPelvisLevel(Check):
    """Pelvis stays level: no drop to the free-leg side (front or rear view).

    Value: how far the free-leg side of the hip line drops below level over the deeper half of
    the rep (deg, the median: a drop held at the bottom, not one noisy frame), from the 3-D
    world landmarks when the track has them (the picture's hip line tilts with perspective
    when the body is turned a little or sits below the camera), else from the picture.
    Fails: a 15 deg drop (> 10). Passes: level (0 deg) or the free side higher.
    """

    id = "squat.pelvis_level"
    exercises = frozenset({"single_leg_squat"})
    views = FRONTAL
    threshold_key = "squat_pelvis_level"
    cue = "Keep your hips level: squeeze the buttock of your standing leg."
    camera_hint = HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        if ctx.free_label is None:
            raise Unmeasurable("the working leg could not be told, so neither could the free side")
        require_visible(ctx, ["conf_hips"], "both hips")
        world = ctx.window["pelvis_tilt_world"]
        # positive: performer's left hip higher
        tilt = world if np.isfinite(world).any() else ctx.window["pelvis_tilt"]
        drop = tilt if ctx.free_label == "right" else -tilt
        value, i = median_at(drop, bottom_half(ctx))
        return Measurement(value, ctx.window.frame_at(i))


@register
class SquatTrunkLean(Check):
    """Trunk stays upright: no sideways lean (front or rear view).

    Value: the largest sideways lean of the trunk from vertical in the deeper half (deg).
    Fails: 25 deg (> 15). Passes: 5 deg.
    """

    id = "squat.trunk_lean"
    exercises = frozenset({"single_leg_squat"})
    views = FRONTAL
    threshold_key = "squat_trunk_lean"
    cue = "Keep your chest up and your trunk straight over your standing leg."
    camera_hint = HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        require_visible(ctx, ["conf_hips"], "the hips")
        lean = np.abs(ctx.window["trunk_lateral"])
        i = argbest(lean, bottom_half(ctx), highest=True)
        return Measurement(float(lean[i]), ctx.window.frame_at(i))
