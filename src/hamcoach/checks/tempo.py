"""``tempo.controlled``: the lowering (eccentric) phase is not rushed. Any view."""

from __future__ import annotations

from hamcoach.checks.base import ANY_VIEW, Check, CheckContext, Measurement, register


@register
class TempoControlled(Check):
    """Value: the duration of the lowering phase in seconds, as a person timing it would count
    (:attr:`CheckContext.eccentric_s`: its 10-90 % travel time x
    ``RepSettings.phase_travel_ratio``, which pose jitter at the phase's slow ends cannot
    shorten). Fails below the prescribed minimum.

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
        return Measurement(ctx.eccentric_s, ctx.window.frame_at(ctx.bottom_index))
