"""Which exercise is this? Naming the movement from posture and motion alone.

A small, readable decision list over whole-clip descriptors (each a robust range or median of
a per-frame measure), written down so a therapist can follow it:

1. lying on the back -> a bridge or a ball curl: a curl bends the knees through a wide range,
   a bridge lifts the hips with the knees still; a foot held up makes it single-leg;
2. standing, the trunk tipping towards level -> a hinge: with the free foot rising high behind,
   a single-leg deadlift, otherwise a two-leg hinge (not in the program: "unknown");
3. standing, the hips dropping -> a squat: feet split far apart front to back is a lunge, one
   foot far higher than the other is a step-up (both "unknown"); one foot held away from under
   the body in a front view makes it a single-leg squat; otherwise a squat.

Thresholds: :class:`hamcoach.settings.IdentifySettings`, read off the ``exercise_id`` clips of
../shared/eval (docs/EVALUATION.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hamcoach.exercises import HingeSignal, HipDropSignal, HipLiftSignal, KneeCurlSignal
from hamcoach.features import INDEX
from hamcoach.settings import DEFAULT_SETTINGS, IdentifySettings
from hamcoach.track import FloatArray
from hamcoach.views import ViewEstimate

UNKNOWN = "unknown"
DEFAULT_IDENTIFY = DEFAULT_SETTINGS.identify
# Exercises a viewer cannot tell apart from the motion alone (the bench is not a landmark).
SAME_MOVEMENT = {frozenset({"squat", "box_squat"})}


@dataclass(frozen=True)
class Descriptors:
    """Whole-clip summaries, each in body-relative units."""

    lying: bool
    view: str
    hip_drop: float  # squat progress range (thigh lengths)
    hinge: float  # trunk tip range (trunk lengths)
    trunk_min_deg: float  # 5th percentile of the trunk's incline above horizontal
    hip_lift: float  # bridge progress range (trunk lengths)
    knee_range_deg: float
    foot_height_gap: float  # 90th percentile of the ankles' height difference / trunk length
    foot_lifted_share: float  # share of frames with one ankle > 0.25 trunk higher
    foot_split: float  # median horizontal distance between the ankles / trunk length
    stance_asymmetry: float  # |left - right| sideways ankle offset from the mid-hip / trunk
    knee_height_gap: float  # median height difference of the knees in the deepest frames / trunk


@dataclass(frozen=True)
class Identification:
    exercise: str
    confidence: float
    reason: str


def _range(
    signal: HingeSignal | HipDropSignal | HipLiftSignal | KneeCurlSignal, rows: FloatArray
) -> float:
    signal.prime(rows)
    v = np.array([signal.update(r) for r in rows])
    v = v[np.isfinite(v)]
    if v.size < 5:
        return math.nan
    return float(np.percentile(v, 95) - np.percentile(v, 5))


def pct(a: FloatArray, q: float) -> float:
    """The q-th percentile of the finite values (NaN when there are none)."""
    a = a[np.isfinite(a)]
    return float(np.percentile(a, q)) if a.size else math.nan


def describe(rows: FloatArray, view: ViewEstimate) -> Descriptors:
    """The descriptors of a clip from its feature rows and view."""

    def col(name: str) -> FloatArray:
        return np.asarray(rows[:, INDEX[name]], dtype=np.float64)

    torso = float(np.nanmedian(col("torso_len")))
    if not (math.isfinite(torso) and torso > 0):
        torso = math.nan
    with np.errstate(all="ignore"):
        dy = np.abs(col("ankle_y_l") - col("ankle_y_r")) / torso
        dx = np.abs(col("ankle_x_l") - col("ankle_x_r")) / torso
        hx = col("hip_x")
        asym = np.abs(np.abs(col("ankle_x_l") - hx) - np.abs(col("ankle_x_r") - hx)) / torso
    inc = col("trunk_incline")
    with np.errstate(all="ignore"):
        knee_gap = np.abs(col("knee_y_l") - col("knee_y_r")) / torso
    hip_y = col("hip_y")
    deep = hip_y >= pct(hip_y, 85) if np.isfinite(hip_y).any() else np.zeros(len(hip_y), bool)

    return Descriptors(
        lying=view.posture == "lying",
        view=view.view,
        hip_drop=_range(HipDropSignal(), rows),
        hinge=_range(HingeSignal(), rows),
        trunk_min_deg=pct(inc, 5),
        hip_lift=_range(HipLiftSignal(), rows),
        knee_range_deg=_range(KneeCurlSignal(), rows) * 90.0,
        foot_height_gap=pct(dy, 90),
        foot_lifted_share=float(np.mean(dy[np.isfinite(dy)] > 0.25))
        if np.isfinite(dy).any()
        else 0.0,
        foot_split=pct(dx, 50),
        stance_asymmetry=pct(asym, 50),
        knee_height_gap=pct(knee_gap[deep], 50),
    )


def _confidence(margin: float) -> float:
    """Map a rule's margin (how far past its threshold, as a fraction) to 0.55-0.95."""
    if not math.isfinite(margin):
        return 0.55
    return round(0.55 + 0.4 * min(max(margin, 0.0), 1.0), 2)


def identify(d: Descriptors, s: IdentifySettings = DEFAULT_IDENTIFY) -> Identification:
    """Name the exercise (one of the program's eight ids, or "unknown")."""
    if d.lying:
        return _identify_lying(d, s)
    hinge = (
        d.hinge >= s.hinge_min_range
        and d.trunk_min_deg < s.hinge_max_trunk_deg
        and d.knee_range_deg < s.hinge_max_knee_range_deg
    )
    if hinge:
        if d.foot_height_gap >= s.single_foot_gap:
            return Identification(
                "single_leg_deadlift",
                _confidence((d.foot_height_gap - s.single_foot_gap) / s.single_foot_gap),
                "trunk tipping towards level while the free leg rises behind",
            )
        return Identification(
            UNKNOWN,
            _confidence(1 - d.foot_height_gap / s.single_foot_gap),
            "a two-leg hip hinge (not part of the program)",
        )
    if d.hip_drop >= s.squat_min_hip_drop or d.knee_range_deg >= s.squat_min_knee_range_deg:
        return _identify_squat_like(d, s)
    return Identification(UNKNOWN, 0.6, "no clear exercise movement")


def _identify_lying(d: Descriptors, s: IdentifySettings) -> Identification:
    single = d.foot_height_gap >= s.single_foot_gap
    curl_range = s.curl_min_knee_range_deg
    if d.knee_range_deg >= curl_range and d.knee_range_deg > s.curl_knee_per_hip_lift * d.hip_lift:
        return Identification(
            "single_leg_ball_curl" if single else "ball_curl",
            _confidence((d.knee_range_deg - curl_range) / curl_range),
            f"lying on the back, knees bending through {d.knee_range_deg:.0f} deg",
        )
    if d.hip_lift >= s.bridge_min_hip_lift:
        return Identification(
            "single_leg_bridge" if single else "bridge",
            _confidence(abs(d.foot_height_gap - s.single_foot_gap) / s.single_foot_gap),
            "lying on the back, lifting the hips"
            + (" with one foot off the floor" if single else " on both feet"),
        )
    return Identification(UNKNOWN, 0.5, "lying down without a clear bridge or curl")


def _identify_squat_like(d: Descriptors, s: IdentifySettings) -> Identification:
    split_stance = d.view == "side" and d.foot_split >= s.lunge_side_foot_split
    knee_drops = d.knee_height_gap >= s.lunge_knee_gap and d.foot_split >= s.lunge_min_foot_split
    if split_stance or knee_drops:
        return Identification(
            UNKNOWN,
            0.7,
            "a split stance with one knee dropping (lunge or step), not part of the program",
        )
    one_foot = (
        d.view in ("front", "rear")
        and d.stance_asymmetry >= s.single_leg_asymmetry
        and d.foot_height_gap >= s.single_leg_min_foot_gap
    )
    if one_foot:
        return Identification(
            "single_leg_squat",
            _confidence((d.stance_asymmetry - s.single_leg_asymmetry) / s.single_leg_asymmetry),
            "squatting on one foot under the body, the other held up and away",
        )
    if d.foot_height_gap >= s.step_up_foot_gap and d.foot_lifted_share >= s.step_up_lifted_share:
        return Identification(UNKNOWN, 0.6, "one foot much higher than the other (step-up?)")
    drop = s.squat_min_hip_drop
    return Identification(
        "squat",
        _confidence((max(d.hip_drop, 0.0) - drop) / drop),
        "standing on both feet, hips dropping and rising",
    )


def same_movement(a: str, b: str) -> bool:
    """Whether two exercise ids cannot be told apart from motion (e.g. squat and box squat)."""
    return a == b or frozenset({a, b}) in SAME_MOVEMENT
