"""``tempo.controlled``: the lowering (eccentric) phase is not rushed. Any view."""

from __future__ import annotations

from hamcoach.checks.base import ANY_VIEW, Check, CheckContext, Measurement, register

# Exercises whose eccentric (lowering) phase is the *return* phase, not the first one.
ECCENTRIC_IS_RETURN = frozenset(
    {"bridge", "single_leg_bridge", "ball_curl", "single_leg_ball_curl"}
)


@register
class TempoControlled(Check):
    """Value: the duration of the lowering phase in seconds. Fails below the prescribed minimum.

    Fails: a squat dropped in 0.5 s (< 1.0). Passes: a 2 s descent.
    """

    id = "tempo.controlled"
    exercises = frozenset(
        {
            "bridge",
            "single_leg_bridge",
            "ball_curl",
            "single_leg_ball_curl",
            "squat",
            "box_squat",
            "single_leg_squat",
            "single_leg_deadlift",
        }
    )
    views = ANY_VIEW
    threshold_key = "tempo_min_eccentric_s"
    fails_when = "below"
    cue = "Slow down on the way down: count two seconds."
    camera_hint = "Any camera position works for tempo."

    def measure(self, ctx: CheckContext) -> Measurement:
        eccentric = ctx.up_s if ctx.exercise in ECCENTRIC_IS_RETURN else ctx.down_s
        frame = ctx.window.frame_at(ctx.bottom_index)
        return Measurement(eccentric, frame)
