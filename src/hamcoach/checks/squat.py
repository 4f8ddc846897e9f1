"""Squat checks (PROGRAM.md section 7): depth, knee valgus, knees past toes, knees together on
the way up. Used by ``squat``, ``box_squat`` and (depth, valgus) ``single_leg_squat``."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from hamcoach.checks.base import (
    FRONTAL,
    SAGITTAL,
    THREE_QUARTER,
    Check,
    CheckContext,
    Measurement,
    Unmeasurable,
    argbest,
    bottom_half,
    doubt_near_line,
    register,
    require_visible,
    sagittal_side,
    suffix,
)
from hamcoach.settings import CheckThresholds, Threshold
from hamcoach.track import FloatArray

SQUATS = frozenset({"squat", "box_squat", "single_leg_squat"})
# A foot seen from the side reaches at least this far ahead of the ankle (in shank lengths);
# a toe landmark closer than that is mislocated and cannot anchor "past the toes".
MIN_FOOT_LENGTH_SHANK = 0.15


@register
class SquatDepth(Check):
    """Thigh past parallel at the bottom: the hip joint goes below the knee.

    Value: the smallest thigh angle above horizontal during the rep, in degrees, from the
    hip's height over the knee and the thigh's standing length (vertical offsets are not
    foreshortened by the camera's yaw, so side and three-quarter views agree).
    Fails: a squat whose hip stays 30 deg above the knee (value 30 > 8).
    Passes: hip 5 deg below the knee (value -5).
    Unknown from a three-quarter camera when the view's depth bias could have made the verdict
    (CheckThresholds.squat_depth_*_three_quarter_doubt).
    """

    id = "squat.depth"
    exercises = SQUATS
    views = SAGITTAL | THREE_QUARTER
    threshold_key = "squat_depth"
    cue = "Sit lower: take your hips below your knees (thighs past level with the floor)."
    camera_hint = "Place the camera at hip height, to your side (or at 45 degrees), 2-3 m away."

    def threshold_for(self, exercise: str, thresholds: CheckThresholds) -> Threshold:
        if exercise == "box_squat":
            return thresholds.box_squat_depth
        return thresholds.squat_depth

    def measure(self, ctx: CheckContext) -> Measurement:
        side = sagittal_side(ctx)
        s = suffix(side)
        require_visible(ctx, [f"conf_leg_{s}"], f"the {side} hip and knee")
        thigh_ref = float(np.nanmax(ctx.window[f"thigh_len_{s}"]))
        if not math.isfinite(thigh_ref) or thigh_ref <= 0:
            raise Unmeasurable("the thigh was not visible")
        rise = ctx.window[f"hip_above_knee_{s}"] / thigh_ref
        angle = np.degrees(np.arcsin(np.clip(rise, -1.0, 1.0)))
        i = argbest(angle, np.ones(len(angle), dtype=bool), highest=False)
        refuse_biased_call(
            ctx.view.view, float(angle[i]), self.threshold(ctx).value, ctx.thresholds
        )
        return Measurement(float(angle[i]), ctx.window.frame_at(i))


def refuse_biased_call(
    view: str, value_deg: float, line_deg: float, thresholds: CheckThresholds
) -> None:
    """Raise Unmeasurable when a three-quarter view's known depth bias could have made the
    verdict: a rear pass or a front fail within the view's band of the line
    (``squat_depth_rear_three_quarter_doubt``, ``squat_depth_front_three_quarter_doubt``)."""
    if view == "three_quarter_rear":
        band = thresholds.squat_depth_rear_three_quarter_doubt.value
        why = "from behind at an angle a squat reads deeper than it is"
        doubt_near_line(value_deg, line_deg, band, "low", why, "film from the side")
    elif view == "three_quarter_front":
        band = thresholds.squat_depth_front_three_quarter_doubt.value
        why = "from the front at an angle a squat reads shallower than it is"
        doubt_near_line(value_deg, line_deg, band, "high", why, "film from the side")


@register
class SquatKneeValgus(Check):
    """Knees cave in: the knee moves medial of the hip-ankle line (front or rear view).

    Value: the medial knee offset from the hip-ankle line / the standing hip-ankle length, both
    knees' mean, at its largest over the deeper half of the rep (on one leg: the knee's offset
    medial of its own ankle / shank length). The mean, because a phone turned a few degrees off
    the front turns the knees' forward travel into sideways picture motion, medial for one knee
    and lateral for the other (the largest of the two read 0.06-0.11 on clean synthetic squats
    whose knees travel forward); one knee caving alone reads half its offset.
    Fails: offset 0.15 (> 0.06). Passes: knees tracking outward (offset < 0).
    """

    id = "squat.knee_valgus"
    exercises = SQUATS
    views = FRONTAL
    threshold_key = "squat_knee_valgus"

    def threshold_for(self, exercise: str, thresholds: CheckThresholds) -> Threshold:
        if exercise == "single_leg_squat":
            return thresholds.single_leg_knee_valgus
        return thresholds.squat_knee_valgus

    cue = "Push your knees out, in line with your toes; don't let them fall inwards."
    camera_hint = "Place the camera in front of you (or behind), at knee height, 2-3 m away."

    def measure(self, ctx: CheckContext) -> Measurement:
        deep = bottom_half(ctx)
        if ctx.stance_label in ("left", "right"):
            medial = knee_medial_of_foot(ctx, ctx.stance_label)
        else:
            require_visible(ctx, ["conf_leg_l", "conf_leg_r"], "the knees")
            medial = np.nanmean(
                np.stack([knee_medial_of_leg_line(ctx, side) for side in ("left", "right")]),
                axis=0,
            )
        i = argbest(medial, deep, highest=True)
        return Measurement(float(medial[i]), ctx.window.frame_at(i))


def knee_medial_of_leg_line(ctx: CheckContext, side: str) -> FloatArray:
    """How far the knee lies medial of the hip-ankle line, / the standing hip-ankle length.

    The picture's hip-ankle line shortens as the hips drop (to about half at parallel, seen from
    the front), so the per-frame ratio (``knee_medial_*``) doubles at the bottom for the same
    offset: the offset is measured against the leg's length standing
    (:func:`standing_length_px` over the rep) instead.
    """
    s = suffix(side)
    line = hip_ankle_line_px(lambda name: ctx.window[name], s)
    standing = standing_length_px(line)
    if not standing > 0:
        raise Unmeasurable(f"the {side} hip and ankle were not visible")
    return np.asarray(ctx.window[f"knee_medial_{s}"] * line / standing, dtype=np.float64)


def hip_ankle_line_px(column: Callable[[str], FloatArray], s: str) -> FloatArray:
    """The picture's hip-ankle line of leg ``s`` (l / r), pixels per frame, from the feature
    columns ``column`` returns by name."""
    return np.asarray(
        np.hypot(
            column(f"hip_x_{s}") - column(f"ankle_x_{s}"),
            column(f"hip_y_{s}") - column(f"ankle_y_{s}"),
        ),
        dtype=np.float64,
    )


def standing_length_px(line: FloatArray) -> float:
    """A leg's length standing: the longest of its hip-ankle lines, as the 90th percentile of
    the seen ones (pose noise makes single frames longer); NaN when none was seen."""
    seen = line[np.isfinite(line)]
    return float(np.percentile(seen, 90)) if seen.size else math.nan


def knee_gap_reference(bottom: float, start: float) -> tuple[float, float] | None:
    """The knee gap (/ ankle gap) the ascent's narrowing is measured from, the narrower of the
    bottom's and the standing one (the rep's start), and the gap it is a share of: the standing
    one (the bottom's when the start was not seen). Knees already together at the bottom
    (valgus) leave a small gap whose noise, as a share of itself, would read as knees coming
    together. None when neither gap was seen."""
    seen = [v for v in (bottom, start) if math.isfinite(v)]
    if not seen:
        return None
    ref = min(seen)
    return ref, start if math.isfinite(start) else ref


def knee_medial_of_foot(ctx: CheckContext, side: str) -> FloatArray:
    """Single-leg stance: how far the stance knee lies medial of its own ankle, / shank length.

    On one leg the pelvis shifts over the stance foot, so the hip-ankle line slants and is no
    reference; "knee over the foot" is (PROGRAM.md S3).
    """
    s = suffix(side)
    o = "r" if s == "l" else "l"
    require_visible(ctx, [f"conf_leg_{s}"], f"the {side} knee")
    w = ctx.window
    toward_other = np.sign(w[f"hip_x_{o}"] - w[f"hip_x_{s}"])
    return np.asarray(
        (w[f"knee_x_{s}"] - w[f"ankle_x_{s}"]) * toward_other / w[f"shank_len_{s}"],
        dtype=np.float64,
    )


@register
class SquatKneesPastToes(Check):
    """Knees travel clearly forward of the toes (side view).

    Value: how far the knee is ahead of the toes at the deepest frames, / shank length, in the
    direction the feet point (the lesser of the two legs when both are seen).
    Fails: 0.35 (> 0.3). Passes: knee above the toes (0.0).
    """

    id = "squat.knees_past_toes"
    exercises = frozenset({"squat", "box_squat"})
    views = SAGITTAL
    threshold_key = "squat_knees_past_toes"
    cue = "Sit back as if onto a chair so your knees stay over your feet, not past your toes."
    camera_hint = "Place the camera to your side at knee height, with your feet in the picture."

    def measure(self, ctx: CheckContext) -> Measurement:
        if ctx.view.facing not in ("left", "right"):
            raise Unmeasurable("the direction the feet point could not be seen")
        sign = 1.0 if ctx.view.facing == "right" else -1.0
        # Both knees travel alike in a two-leg squat: judge by the leg that shows it least, so a
        # badly tracked far leg cannot invent a fault (PROGRAM.md: never report what was not seen).
        sides = [sagittal_side(ctx)] if ctx.stance_label else ["left", "right"]
        found: list[Measurement] = []
        reasons: list[str] = []
        for side in sides:
            s = suffix(side)
            try:
                require_visible(
                    ctx, [f"conf_leg_{s}", f"conf_toe_{s}"], f"the {side} knee and toes"
                )
                ahead = sign * ctx.window[f"knee_toe_{s}"]
                i = argbest(ahead, bottom_half(ctx), highest=True)
                w = ctx.window
                foot = sign * (w[f"toe_x_{s}"][i] - w[f"ankle_x_{s}"][i]) / w[f"shank_len_{s}"][i]
                if not foot >= MIN_FOOT_LENGTH_SHANK:
                    raise Unmeasurable(f"the {side} toes could not be located (foot too short)")
            except Unmeasurable as exc:
                reasons.append(exc.reason)
                continue
            found.append(Measurement(float(ahead[i]), ctx.window.frame_at(i)))
        if not found:
            raise Unmeasurable(reasons[0] if reasons else "the knees and toes were not visible")
        return min(found, key=lambda m: m.value)


@register
class SquatKneesTogetherAscent(Check):
    """Knees come together on the way up (dynamic valgus in the ascent; front or rear view).

    Value: how much the knee gap (relative to the ankle gap) narrows during the ascent below
    both its value at the bottom and at the start of the rep, as a fraction of the gap standing
    (:func:`knee_gap_reference`).
    Fails: the gap shrinks by 30% on the way up (> 0.20). Passes: knees stay apart (0.0).
    """

    id = "squat.knees_together_ascent"
    exercises = frozenset({"squat", "box_squat"})
    views = FRONTAL
    threshold_key = "squat_knees_together_ascent"
    cue = "On the way up, keep your knees apart, pushing them out over your toes."
    camera_hint = "Place the camera in front of you (or behind), at knee height, 2-3 m away."

    def measure(self, ctx: CheckContext) -> Measurement:
        require_visible(ctx, ["conf_leg_l", "conf_leg_r"], "the knees")
        gap = ctx.window["knee_gap_ratio"]
        b = ctx.bottom_index
        refs = knee_gap_reference(float(gap[b]), float(gap[0]))
        if refs is None:
            raise Unmeasurable("the knee gap at the bottom was not visible")
        ref, standing = refs
        if ref <= 0:
            raise Unmeasurable("the feet were too close together to judge the knee gap")
        ascent = np.zeros(len(gap), dtype=bool)
        ascent[b:] = True
        ascent &= bottom_half(ctx, 0.2)
        i = argbest(gap, ascent, highest=False)
        narrowing = max(0.0, (ref - float(gap[i])) / standing)
        return Measurement(narrowing, ctx.window.frame_at(i))
