"""Which leg works in a single-leg rep, as the performer's own side.

The planted foot stays put while the free foot travels with the body, so the ankle that moves
least over the rep is the planted one. When both move alike, the free foot is the one lifted
off the floor (higher in the picture near the turning point); standing in a front or rear view,
where a free foot held forward can look as low as the planted one, the planted foot is the one
under the hips. A single-leg ball curl is the exception: its working foot rolls the ball in and
out while the free leg is held up, still, so there the working leg is the one whose knee bends
through the rep (:func:`curling_label`).

Mapping that leg to the performer's left or right never trusts BlazePose's labels alone in side
views, where they are often swapped:

* front / rear views: BlazePose's labels are reliable there (the performer's left shoulder lands
  on the image right in every front clip of ../shared/eval, on the image left in every rear clip);
* side and three-quarter views: the side nearer the camera follows from the body's geometry
  (standing: the feet's pointing direction; lying on the back: the head's direction), and whether
  the stance leg is the nearer one follows from BlazePose's relative depth of the two legs, which
  does not depend on their labels. (Known limit: in a three-quarter view a free leg held far
  forward, towards the camera, can look nearer than the stance leg; a side view avoids it.)
"""

from __future__ import annotations

import math

import numpy as np

from hamcoach.features import FeatureWindow
from hamcoach.track import FloatArray
from hamcoach.views import ViewEstimate

# The two ankles must differ in height by this fraction of the torso length to tell a lifted
# foot from a planted one.
MIN_FOOT_LIFT_TORSO = 0.05
# The same in BlazePose's world frame (m): a free foot held off the floor is higher than this.
MIN_FOOT_LIFT_M = 0.03


# In a front or rear view the stance foot sits under the hips; the free foot is held out to its
# own side. The two ankles' sideways distances from the mid-hip must differ by this fraction of
# the torso length to decide by it.
MIN_STANCE_OFFSET_TORSO = 0.08


def stance_label_frontal(window: FeatureWindow, mask: FloatArray) -> str | None:
    """BlazePose label of the planted leg in a front/rear view: the ankle closer to the mid-hip
    line (under the centre of mass); None when both are equally close or unseen."""
    hx = window["hip_x"]
    dl = np.abs(window["ankle_x_l"] - hx)
    dr = np.abs(window["ankle_x_r"] - hx)
    diff = (dl - dr)[mask & np.isfinite(dl) & np.isfinite(dr)]
    torso = float(np.nanmedian(window["torso_len"]))
    if diff.size == 0 or not math.isfinite(torso):
        return None
    med = float(np.median(diff))
    if abs(med) < MIN_STANCE_OFFSET_TORSO * torso:
        return None
    return "left" if med < 0 else "right"


# The planted foot stays put while the free foot travels with the body: when one ankle moves
# less than this fraction of the other's travel over the rep (and the other travels at least
# MIN_FREE_FOOT_TRAVEL_TORSO trunk lengths), it is the planted one.
STILL_FOOT_RATIO = 0.6
MIN_FREE_FOOT_TRAVEL_TORSO = 0.08


def _spread(values: FloatArray) -> float:
    """The 10-90 percentile spread of the finite values; NaN with fewer than 3."""
    v = values[np.isfinite(values)]
    if v.size < 3:
        return math.nan
    return float(np.percentile(v, 90) - np.percentile(v, 10))


def _still_side(left: float, right: float, min_motion: float, still_ratio: float) -> str | None:
    """The side ("left"/"right") whose motion stays under ``still_ratio`` of the other's while
    the other moves at least ``min_motion``; None when both move alike (or are unmeasured)."""
    if not (math.isfinite(left) and math.isfinite(right)):
        return None
    lo, hi = min(left, right), max(left, right)
    if hi < min_motion or lo > still_ratio * hi:
        return None
    return "left" if left < right else "right"


def _travel(window: FeatureWindow, side: str) -> float:
    """How far an ankle moves over the rep: the 10-90 percentile spread of x plus that of y."""
    return _spread(window[f"ankle_x_{side[0]}"]) + _spread(window[f"ankle_y_{side[0]}"])


def stance_label_motion(window: FeatureWindow) -> str | None:
    """BlazePose label of the planted leg: the ankle that stays still while the other travels;
    None when both move alike (or are unseen)."""
    torso = float(np.nanmedian(window["torso_len"]))
    if not math.isfinite(torso):
        return None
    return _still_side(
        _travel(window, "left"),
        _travel(window, "right"),
        MIN_FREE_FOOT_TRAVEL_TORSO * torso,
        STILL_FOOT_RATIO,
    )


# A single-leg ball curl's working knee bends through the rep while the free leg is held up,
# nearly still: the working knee's flexion must range at least this much (deg), and the other's
# at most STILL_KNEE_RATIO of it.
MIN_CURL_RANGE_DEG = 30.0
STILL_KNEE_RATIO = 0.6


def _knee_range_deg(window: FeatureWindow, side: str) -> float:
    """The 10-90 percentile spread of a knee's flexion over the rep (3-D when available)."""
    for name in (f"knee_flex3d_{side[0]}", f"knee_flex_{side[0]}"):
        spread = _spread(window[name])
        if math.isfinite(spread):
            return spread
    return math.nan


def curling_label(window: FeatureWindow) -> str | None:
    """BlazePose label of the curling leg: the knee that bends through the rep while the other
    stays nearly still; None when both bend alike (or are unseen)."""
    still = _still_side(
        _knee_range_deg(window, "left"),
        _knee_range_deg(window, "right"),
        MIN_CURL_RANGE_DEG,
        STILL_KNEE_RATIO,
    )
    return None if still is None else ("right" if still == "left" else "left")


def stance_label(window: FeatureWindow, mask: FloatArray) -> str | None:
    """BlazePose label ("left"/"right") of the planted leg: the lower ankle over the masked
    frames, in the world frame when the track has world landmarks (a free foot held forward
    towards a low camera looks lower in the picture than the planted one), else in the
    picture; None when the ankles are level or unseen."""
    world = _lower_side(window["ankle_wy_l"] - window["ankle_wy_r"], mask, MIN_FOOT_LIFT_M)
    if world is not None or np.isfinite(window["ankle_wy_l"]).any():
        return world
    torso = float(np.nanmedian(window["torso_len"]))
    if not math.isfinite(torso):
        return None
    return _lower_side(window["ankle_y_l"] - window["ankle_y_r"], mask, MIN_FOOT_LIFT_TORSO * torso)


def _lower_side(dy: FloatArray, mask: FloatArray, min_gap: float) -> str | None:
    """The side whose ankle is lower (y down) by at least ``min_gap`` in the median over the
    masked frames of ``dy`` = left y - right y; None when closer or unseen."""
    dy = dy[mask & np.isfinite(dy)]
    if dy.size == 0:
        return None
    med = float(np.median(dy))
    if abs(med) < min_gap:
        return None
    return "left" if med > 0 else "right"


def near_side(view: ViewEstimate) -> str | None:
    """The performer's side nearer the camera, from body geometry (side and 3/4 views)."""
    if view.near_side in ("left", "right"):
        return view.near_side
    return None


def working_leg(
    window: FeatureWindow, mask: FloatArray, view: ViewEstimate, shows: str = "planted"
) -> tuple[str, str] | None:
    """The working (stance) leg of one rep as (the performer's own side, BlazePose's label of
    that leg in this rep's landmarks), or None when it cannot be told. Checks measure with the
    label; reports and counts use the performer's side. ``shows``: how the exercise's working
    leg shows (ExerciseSpec.working_leg_shows): "planted" or "curling"."""
    moving = curling_label(window) if shows == "curling" else stance_label_motion(window)
    if view.view in ("front", "rear") and view.posture == "standing":
        label = moving or stance_label_frontal(window, mask) or stance_label(window, mask)
        return None if label is None else (label, label)
    label = moving or stance_label(window, mask)
    if label is None:
        return None
    if view.view in ("front", "rear"):
        return label, label
    near = near_side(view)
    if near is None:
        return label, label
    other = "right" if label == "left" else "left"
    s, o = label[0], other[0]
    dz = np.concatenate(
        [
            window[f"ankle_z_{s}"][mask] - window[f"ankle_z_{o}"][mask],
            window[f"knee_z_{s}"][mask] - window[f"knee_z_{o}"][mask],
        ]
    )
    dz = dz[np.isfinite(dz)]
    if dz.size == 0:
        return label, label
    stance_is_near = float(np.median(dz)) < 0  # smaller z = nearer the camera
    far = "right" if near == "left" else "left"
    return (near if stance_is_near else far), label
