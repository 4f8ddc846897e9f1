"""Ball hamstring curl checks (stages C1-C3), PROGRAM.md section 7."""

from __future__ import annotations

import numpy as np

from hamcoach.checks.base import (
    SAGITTAL,
    Check,
    CheckContext,
    Measurement,
    Unmeasurable,
    argbest,
    register,
    require_visible,
    sagittal_side,
    suffix,
)
from hamcoach.track import FloatArray

CURLS = frozenset({"ball_curl", "single_leg_ball_curl"})
HINT = "Place the camera at floor level, to your side, 2 m away, with you and the ball in view."


def _curl_side(ctx: CheckContext) -> str:
    return sagittal_side(ctx)


def _knee_flexion(ctx: CheckContext, side: str) -> FloatArray:
    """Per frame, the knee flexion (deg) of the ``side`` ("l"/"r") leg; in a two-leg curl,
    where that knee is unseen, the other's (both knees bend together): the frames around the
    far point, where the near knee can be lost for a few frames, still count."""
    flex = ctx.window[f"knee_flex_{side}"]
    if ctx.exercise != "ball_curl":
        return flex
    other = ctx.window[f"knee_flex_{'r' if side == 'l' else 'l'}"]
    return np.where(np.isfinite(flex), flex, other)


@register
class BallCurlHipsUp(Check):
    """Hips stay up while the ball rolls in ("make sure you aren't dropping your hips down as
    you roll the ball in").

    Value: how far the hips went down while the ball rolled in, up to the curled point: the
    largest fall of the hips below their highest point so far, in trunk lengths (the hips'
    height is measured against the shoulders, which stay on the floor). Hips that keep rising
    as the knees bend (the body straightening towards the knees) drop 0. Fails: hips sinking a
    third of the trunk as the ball comes in (0.33 > 0.1). Passes: 0.02.
    """

    id = "ball_curl.hips_up"
    exercises = CURLS
    views = SAGITTAL
    threshold_key = "ball_curl_hips_up"
    cue = "Keep your hips lifted as you roll the ball in."
    camera_hint = HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        s = suffix(_curl_side(ctx))
        require_visible(ctx, [f"conf_leg_{s}"], "the hip and knee")
        w = ctx.window
        torso = float(np.nanmedian(w["torso_len"]))
        if not torso > 0:
            raise Unmeasurable("the trunk was not visible")
        lift = ((w["shoulder_y"] - w["hip_y"]) / torso)[: ctx.bottom_index + 1]
        drop = drop_below_running_max(lift)
        i = argbest(drop, np.ones(len(drop), dtype=bool), highest=True)
        return Measurement(float(drop[i]), w.frame_at(i))


def drop_below_running_max(values: FloatArray) -> FloatArray:
    """Per frame, how far ``values`` lie below their highest finite value so far (NaN where a
    value or every earlier one is missing)."""
    filled = np.where(np.isfinite(values), values, -np.inf)
    peak = np.maximum.accumulate(filled)
    return np.where(np.isfinite(values) & np.isfinite(peak), peak - values, np.nan)


@register
class BallCurlFullExtension(Check):
    """Leg almost straight when the ball is rolled out.

    Value: the smallest knee flexion (deg) before the curled point: the far point this curl
    started from, where the previous roll-out ended (the first curl: the starting position).
    The roll-out that ends a rep is still going on when the rep is counted (the engine ends a
    curl once the knees are back within ``LYING_EXIT_FRACTION`` of the range), so its far point
    is judged with the next curl. Fails: knees still bent 40 deg (> 25). Passes: 10 deg.
    """

    id = "ball_curl.full_extension"
    exercises = CURLS
    views = SAGITTAL
    threshold_key = "ball_curl_full_extension"
    cue = "Roll the ball all the way out, until your legs are almost straight."
    camera_hint = HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        s = suffix(_curl_side(ctx))
        require_visible(ctx, [f"conf_leg_{s}"], "the knee")
        flex = _knee_flexion(ctx, s)
        before = np.zeros(len(flex), dtype=bool)
        before[: ctx.bottom_index + 1] = True
        i = argbest(flex, before, highest=False)
        return Measurement(float(flex[i]), ctx.window.frame_at(i))


@register
class BallCurlFullCurl(Check):
    """Heels brought close to the buttocks when the ball is rolled in.

    Value: the largest knee flexion of the rep (deg). Fails: 70 deg (< 100). Passes: 120 deg.
    Unknown when the camera stands more than 30 deg off square to the side
    (CheckThresholds.ball_curl_full_curl_min_yaw).
    """

    id = "ball_curl.full_curl"
    exercises = CURLS
    views = SAGITTAL
    threshold_key = "ball_curl_full_curl"
    fails_when = "below"
    cue = "Roll the ball further in, bringing your heels close to your buttocks."
    camera_hint = HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        if ctx.view.yaw_deg < ctx.thresholds.ball_curl_full_curl_min_yaw.value:
            raise Unmeasurable(
                f"the camera stands {90 - ctx.view.yaw_deg:.0f} deg off square to your side, "
                "which flattens how far the knees bend: turn it square to your side"
            )
        s = suffix(_curl_side(ctx))
        require_visible(ctx, [f"conf_leg_{s}"], "the knee")
        flex = ctx.window[f"knee_flex_{s}"]
        i = argbest(flex, np.ones(len(flex), dtype=bool), highest=True)
        return Measurement(float(flex[i]), ctx.window.frame_at(i))
