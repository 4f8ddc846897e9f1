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
    top_mask,
)

CURLS = frozenset({"ball_curl", "single_leg_ball_curl"})
HINT = "Place the camera at floor level, to your side, 2 m away, with you and the ball in view."


def _curl_side(ctx: CheckContext) -> str:
    return sagittal_side(ctx)


@register
class BallCurlHipsUp(Check):
    """Hips stay up while the ball rolls in.

    Value: how far the hips have dropped at the curled position below their highest point of the
    rep, in trunk lengths (the hips' height is measured against the shoulders, which stay on
    the floor). Fails: hips sagging by a third of the trunk (0.33 > 0.15). Passes: 0.02.
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
        lift = (w["shoulder_y"] - w["hip_y"]) / torso
        highest = float(np.nanmax(lift))
        drop = highest - lift
        i = argbest(drop, top_mask(ctx, 0.5), highest=True)
        return Measurement(float(drop[i]), w.frame_at(i))


@register
class BallCurlFullExtension(Check):
    """Leg almost straight when the ball is rolled out.

    Value: the smallest knee flexion of the rep (deg), at the far point.
    Fails: knees still bent 40 deg (> 25). Passes: 10 deg.
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
        flex = ctx.window[f"knee_flex_{s}"]
        i = argbest(flex, np.ones(len(flex), dtype=bool), highest=False)
        return Measurement(float(flex[i]), ctx.window.frame_at(i))


@register
class BallCurlFullCurl(Check):
    """Heels brought close to the buttocks when the ball is rolled in.

    Value: the largest knee flexion of the rep (deg). Fails: 70 deg (< 100). Passes: 120 deg.
    """

    id = "ball_curl.full_curl"
    exercises = CURLS
    views = SAGITTAL
    threshold_key = "ball_curl_full_curl"
    fails_when = "below"
    cue = "Roll the ball further in, bringing your heels close to your buttocks."
    camera_hint = HINT

    def measure(self, ctx: CheckContext) -> Measurement:
        s = suffix(_curl_side(ctx))
        require_visible(ctx, [f"conf_leg_{s}"], "the knee")
        flex = ctx.window[f"knee_flex_{s}"]
        i = argbest(flex, np.ones(len(flex), dtype=bool), highest=True)
        return Measurement(float(flex[i]), ctx.window.frame_at(i))
