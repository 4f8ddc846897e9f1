"""Bridge checks (ladder B and the bridge part of ball curls), PROGRAM.md section 7."""

from __future__ import annotations

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
    median_at,
    register,
    require_visible,
    sagittal_side,
    suffix,
    top_mask,
)
from hamcoach.settings import CheckThresholds, Threshold
from hamcoach.track import FloatArray

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
        return Measurement(value, ctx.window.frame_at(i))


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

    Value: how far the hip line turns from the start of the rep to its top (deg, between the
    line's mean directions there: a roll held at the top, not one noisy frame). From the 3-D world
    landmarks when the track has them: lying bodies are filmed from above or from the feet,
    where the picture's hip line shows a roll poorly or not at all; else from the picture.
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
        top = top_mask(ctx)
        if np.isfinite(line).all(axis=-1).any():
            return Measurement(turn_over_top_deg(line, top), w.frame_at(ctx.bottom_index))
        tilt = w["pelvis_tilt"]
        value, i = median_at(np.abs(tilt - _start_value(tilt, HIPS_UNSEEN_AT_START)), top)
        return Measurement(value, w.frame_at(i))


def _rep_start(values: FloatArray) -> FloatArray:
    """The first tenth of a rep's per-frame values (at least two frames)."""
    return values[: max(2, len(values) // 10)]


HIPS_UNSEEN_AT_START = "the hips were not visible at the start of the rep"


def _start_value(values: FloatArray, unseen: str) -> float:
    """The median of the rep's starting values (:func:`_rep_start`); raises ``unseen`` as
    :class:`Unmeasurable` when none was seen."""
    start = float(np.nanmedian(_rep_start(values)))
    if not np.isfinite(start):
        raise Unmeasurable(unseen)
    return start


def turn_over_top_deg(directions: FloatArray, top: FloatArray) -> float:
    """The angle (deg) between a unit direction's mean over the first tenth of a rep's frames
    and its mean over the ``top`` frames (averaged first: per-frame pose jitter of a few
    degrees would otherwise add up to a turn)."""
    start = _mean_direction(_rep_start(directions))
    held = _mean_direction(directions[top.astype(bool)])
    return float(np.degrees(np.arccos(np.clip(start @ held, -1.0, 1.0))))


def _mean_direction(directions: FloatArray) -> FloatArray:
    """The normalised mean of the finite unit directions (N, 3)."""
    ok = np.isfinite(directions).all(axis=-1)
    mean = directions[ok].mean(axis=0) if ok.any() else np.full(3, np.nan)
    norm = float(np.linalg.norm(mean))
    if not np.isfinite(norm) or norm == 0:
        raise Unmeasurable("the hips were not visible at the start and the top of the rep")
    return np.asarray(mean / norm)


@register
class BridgeNoRest(Check):
    """No resting at the bottom between reps (continuous stages B2, C2, C3).

    Value: seconds spent at rest since the previous rep ended. Fails: a 2 s rest (>= 1.0).
    Passes: touch-and-go, 0.3 s.
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
