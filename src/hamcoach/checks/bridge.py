"""Bridge checks (ladder B and the bridge part of ball curls), PROGRAM.md section 7."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from hamcoach.checks.base import (
    ANY_VIEW,
    FRONTAL,
    OVERHEAD,
    SAGITTAL,
    THREE_QUARTER,
    Check,
    CheckContext,
    Measurement,
    Unmeasurable,
    doubt_near_line,
    mean_direction,
    median_at,
    register,
    rep_ends,
    rep_start,
    require_visible,
    sagittal_side,
    suffix,
    top_mask,
)
from hamcoach.settings import CheckThresholds, Threshold
from hamcoach.track import FloatArray
from hamcoach.views import ViewEstimate

BRIDGES = frozenset({"bridge", "single_leg_bridge"})
SIDE_HINT = "Place the camera at floor level, to your side, 2 m away, with head and feet in view."
FRONT_HINT = (
    "Place the camera at floor level beyond your feet (or above you), looking along your body."
)


@register
class BridgeHipHeight(Check):
    """Hips as high as possible: shoulder, hip and knee close to a straight line at the top.

    Value: hip flexion (180 - shoulder-hip-knee angle, deg) held at the top.
    Fails: hips stopping 35 deg short of the line (> 20). Passes: 5 deg.
    Unknown from a three-quarter camera when the view's slant could have made the verdict
    (CheckThresholds.bridge_hip_height_three_quarter_doubt), and for a pass near the line from a
    raised camera square to the side (bridge_hip_height_raised_doubt).
    """

    id = "bridge.hip_height"
    exercises = BRIDGES
    views = SAGITTAL
    threshold_key = "bridge_hip_height"

    def threshold_for(self, exercise: str, thresholds: CheckThresholds) -> Threshold:
        if exercise == "single_leg_bridge":
            return thresholds.single_leg_bridge_hip_height
        return thresholds.bridge_hip_height

    cue = "Push your hips higher, until shoulders, hips and knees make one line."
    camera_hint = SIDE_HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        side = sagittal_side(ctx)
        s = suffix(side)
        require_visible(ctx, [f"conf_leg_{s}"], f"the {side} hip and knee")
        value, i = median_at(ctx.window[f"hip_flex_{s}"], top_mask(ctx))
        refuse_slanted_call(ctx.view, value, self.threshold(ctx).value, ctx.thresholds)
        refuse_raised_call(ctx.view, value, self.threshold(ctx).value, ctx.thresholds)
        return Measurement(value, ctx.window.frame_at(i))


def refuse_slanted_call(
    view: ViewEstimate, value_deg: float, line_deg: float, thresholds: CheckThresholds
) -> None:
    """Raise Unmeasurable when a three-quarter camera's known slant could have made a
    bridge.hip_height verdict: with the body less square to the camera than
    ``bridge_hip_height_square_min_yaw``, a pass within ``bridge_hip_height_three_quarter_doubt``
    under the line seen from beyond the head (``view.feet_lead`` < 0), or a fail within it over
    the line seen from beyond the feet (> 0)."""
    if not view.yaw_deg < thresholds.bridge_hip_height_square_min_yaw.value:
        return
    band = thresholds.bridge_hip_height_three_quarter_doubt.value
    square = "film square to your side"
    if view.feet_lead < 0:
        why = "seen from beyond your head at an angle, a bridge reads straighter than it is"
        doubt_near_line(value_deg, line_deg, band, "low", why, square)
    if view.feet_lead > 0:
        why = "seen from beyond your feet at an angle, a bridge reads more bent than it is"
        doubt_near_line(value_deg, line_deg, band, "high", why, square)


def refuse_raised_call(
    view: ViewEstimate, value_deg: float, line_deg: float, thresholds: CheckThresholds
) -> None:
    """Raise Unmeasurable when a raised camera square to the side could have made a
    bridge.hip_height pass: the far hip showing at least ``bridge_hip_height_raised_rise`` above
    the near one (``view.far_hip_rise``), a pass within ``bridge_hip_height_raised_doubt`` under
    the line."""
    if not view.yaw_deg >= thresholds.bridge_hip_height_square_min_yaw.value:
        return
    if not view.far_hip_rise >= thresholds.bridge_hip_height_raised_rise.value:
        return
    doubt_near_line(
        value_deg,
        line_deg,
        thresholds.bridge_hip_height_raised_doubt.value,
        "low",
        "filmed from above, a bridge reads straighter than it is",
        "film from lower down, at hip height or below",
    )


@register
class BridgeHeelDown(Check):
    """Heels stay down: push through the whole foot, not the toes.

    Value: how much the heel rose relative to the toes between the start and the top of the rep,
    / shank length. Fails: heel lifted by a quarter shank (0.25 > 0.12). Passes: 0.0.
    """

    id = "bridge.heel_down"
    exercises = BRIDGES
    views = SAGITTAL
    threshold_key = "bridge_heel_down"
    cue = "Keep your heels down and push through your whole foot, not your toes."
    camera_hint = SIDE_HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        side = sagittal_side(ctx)
        s = suffix(side)
        require_visible(ctx, [f"conf_toe_{s}", f"conf_leg_{s}"], f"the {side} heel and toes")
        shank = float(np.nanmedian(ctx.window[f"shank_len_{s}"]))
        if not shank > 0:
            raise Unmeasurable("the shank was not visible")
        heel_above_toe = (ctx.window[f"toe_y_{s}"] - ctx.window[f"heel_y_{s}"]) / shank
        start = _start_value(heel_above_toe, "the foot was not visible at the start of the rep")
        value, i = median_at(heel_above_toe - start, top_mask(ctx))
        return Measurement(value, ctx.window.frame_at(i))


@register
class BridgeHipsLevel(Check):
    """Hips stay level on one leg (no drop to the lifted-leg side).

    Value: how far the hip line turns from the ends of the rep (where the body lies as it
    started) to its top (deg, between the line's mean directions there: a roll held at the
    top, not one noisy frame). From the 3-D world landmarks when the track has them: lying
    bodies are filmed from above or from the feet, where the picture's hip line shows a roll
    poorly or not at all; else from the picture.
    Fails: the pelvis rolls 15 deg (> 8). Passes: 2 deg.
    """

    id = "bridge.hips_level"
    exercises = frozenset({"single_leg_bridge", "single_leg_ball_curl"})
    views = FRONTAL | THREE_QUARTER | OVERHEAD
    threshold_key = "bridge_hips_level"
    cue = "Keep both hips at the same height as you lift; don't let the free side drop."
    camera_hint = FRONT_HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        require_visible(ctx, ["conf_hips"], "both hips")
        w = ctx.window
        line = np.stack([w["hip_line_wx"], w["hip_line_wy"], w["hip_line_wz"]], axis=-1)
        trunk = np.stack([w["trunk_line_wx"], w["trunk_line_wy"], w["trunk_line_wz"]], axis=-1)
        top = top_mask(ctx)
        if np.isfinite(line).all(axis=-1).any():
            return Measurement(roll_over_top_deg(line, trunk, top), w.frame_at(ctx.bottom_index))
        tilt = w["pelvis_tilt"]
        start = _start_value(tilt, HIPS_UNSEEN_AT_ENDS, rep_ends)
        value, i = median_at(np.abs(tilt - start), top)
        return Measurement(value, w.frame_at(i))


HIPS_UNSEEN_AT_ENDS = "the hips were not visible at either end of the rep"
TRUNK_UNSEEN_AT_ENDS = "the trunk was not visible at either end of the rep"


def _start_value(
    values: FloatArray,
    unseen: str,
    frames: Callable[[FloatArray], FloatArray] = rep_start,
) -> float:
    """The median of the rep's starting values (``frames``: by default its first tenth,
    :func:`~hamcoach.checks.base.rep_start`); raises ``unseen`` as :class:`Unmeasurable` when
    none was seen."""
    start = float(np.nanmedian(frames(values)))
    if not np.isfinite(start):
        raise Unmeasurable(unseen)
    return start


def roll_over_top_deg(hip_line: FloatArray, trunk: FloatArray, top: FloatArray) -> float:
    """How far (deg, unsigned) the pelvis rolls about the body's long axis between the rep's
    ends (its first and last tenths, :func:`~hamcoach.checks.base.rep_ends`: the body lies as
    it started when the rep is over, and twice the frames average out twice the jitter) and the
    ``top`` frames: the hip line's tilt out of the plane it lay in with the trunk at the ends
    (unit directions, (N, 3), any fixed frame). One hip rising or falling moves the line across
    that plane; the line turning within it (the pelvis twisting towards head or feet, or jitter
    along it) does not count. Unlike the angle of the whole turn, which is never negative,
    averaged jitter adds no bias: a level pelvis reads about 0, not the jitter's magnitude."""
    start = _principal_axis(rep_ends(hip_line))
    normal = np.cross(start, mean_direction(rep_ends(trunk), TRUNK_UNSEEN_AT_ENDS))
    size = float(np.linalg.norm(normal))
    if not np.isfinite(size) or size < MIN_TRUNK_HIP_SINE:
        raise Unmeasurable("the trunk was not seen across the hips at either end of the rep")
    held = _principal_axis(hip_line[top.astype(bool)])
    return float(np.degrees(np.arcsin(min(abs(float(held @ normal)) / size, 1.0))))


def _principal_axis(lines: FloatArray) -> FloatArray:
    """The unit axis (N, 3) -> (3,) that the finite unit ``lines`` lie closest to, whichever
    way each points: a frame whose left and right hips were swapped gives the same axis
    reversed, which a mean would cancel against the others."""
    ok = np.isfinite(lines).all(axis=-1)
    if not ok.any():
        raise Unmeasurable("the hips were not visible at the start and the top of the rep")
    _, vectors = np.linalg.eigh(lines[ok].T @ lines[ok])
    return np.asarray(vectors[:, -1])


# sin of the smallest angle between the trunk and the hip line for the plane they span to be
# defined (a body's trunk is about square to its hips: sin ~ 1)
MIN_TRUNK_HIP_SINE = 0.5


@register
class BridgeNoRest(Check):
    """No resting at the bottom between reps (continuous stages B2, C2, C3).

    Value: seconds spent at rest since the previous rep ended; for bridges, no longer than the
    hips lay down on the floor in that time (pipeline.FloorRests: a continuous bridge hovers
    between reps, and hovering is not resting); for ball curls, none when the hips stayed up on
    the ball (pipeline.HipDrops: a pause with straight legs and the hips up is not resting).
    Fails: a 2 s rest (>= 1.0). Passes: touch-and-go, 0.3 s.
    """

    id = "bridge.no_rest"
    exercises = frozenset({"bridge", "ball_curl", "single_leg_ball_curl"})
    views = SAGITTAL
    threshold_key = "bridge_no_rest"
    fails_when = "at_or_above"
    cue = "Don't rest at the bottom: touch down lightly and go straight into the next rep."
    camera_hint = SIDE_HINT
    stage_note = "only in stages B2, C2 and C3 (continuous); pass --stage to run it"
    STAGES = frozenset({"B2", "C2", "C3"})

    def applies_to_stage(self, stage: str | None) -> bool:
        return stage in self.STAGES

    def measure(self, ctx: CheckContext) -> Measurement:
        if ctx.rest_before_s is None:
            raise Unmeasurable("first rep of the set: no rest before it to judge")
        return Measurement(ctx.rest_before_s, ctx.window.frame_at(0))


@register
class BridgeSlowLowering(Check):
    """Lower the hips slowly.

    Value: duration of the lowering phase (s) judged by its top speed
    (:attr:`CheckContext.eccentric_pace_s`): a fall is fast at its fastest, and pose noise
    wobbling the hips while they are held up cannot make it look slow (the travel timing of
    tempo.controlled can). Fails: dropped in 0.3 s (< 0.4, a fall). Passes: 1.0 s.
    """

    id = "bridge.slow_lowering"
    exercises = BRIDGES
    views = ANY_VIEW
    threshold_key = "bridge_slow_lowering"
    fails_when = "below"
    cue = "Lower your hips slowly, taking two seconds or more."
    camera_hint = "Any camera position works for tempo."

    def measure(self, ctx: CheckContext) -> Measurement:
        return Measurement(ctx.eccentric_pace_s, ctx.window.frame_at(len(ctx.window) - 1))
