"""The exercises HamCoach can watch: posture, legs, rep signal and the checks each one runs.

The *progress* signal of an exercise is 0 at its rest position and grows towards the turning
point, in units of a body length, so that one rep engine serves every exercise.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hamcoach.cuts import body_segments_px
from hamcoach.errors import UnknownExerciseError
from hamcoach.features import INDEX
from hamcoach.track import FloatArray

EXERCISE_IDS: tuple[str, ...] = (
    "bridge",
    "single_leg_bridge",
    "ball_curl",
    "single_leg_ball_curl",
    "squat",
    "box_squat",
    "single_leg_squat",
    "single_leg_deadlift",
)

# Leg length reference: a running maximum that forgets slowly (per second), so a person walking
# towards the camera does not leave a stale reference behind.
LEG_REF_DECAY_PER_S = 0.02


class RunningReference:
    """A running extreme of a body measure: jumps at once to a new maximum (or minimum) and
    relaxes slowly (per second) otherwise, so a person walking towards the camera does not leave
    a stale reference behind. Offline it starts from the stretch's robust extreme."""

    def __init__(self, decay_per_s: float = LEG_REF_DECAY_PER_S, mode: str = "max") -> None:
        self.value = math.nan
        self.decay = decay_per_s
        self.mode = mode
        self._last_t = math.nan

    def prime(self, values: FloatArray) -> None:
        """Offline: start from a stretch's robust extreme (95th or 5th percentile)."""
        v = values[np.isfinite(values)]
        if v.size:
            self.value = float(np.percentile(v, 95 if self.mode == "max" else 5))

    def update(self, value: float, t_s: float) -> float:
        if math.isfinite(value):
            beyond = value > self.value if self.mode == "max" else value < self.value
            if not math.isfinite(self.value) or beyond:
                self.value = value
            elif math.isfinite(self._last_t):
                dt = max(t_s - self._last_t, 0.0)
                if self.mode == "max":
                    self.value *= 1.0 - self.decay * dt
                else:
                    self.value += self.decay * dt
        self._last_t = t_s
        return self.value


class SlidingMax:
    """The largest value seen over the last ``window_s`` seconds (streaming, O(1) amortised)."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._q: deque[tuple[float, float]] = deque()  # (t, value), values decreasing

    def update(self, value: float, t_s: float) -> float:
        if math.isfinite(value):
            while self._q and self._q[-1][1] <= value:
                self._q.pop()
            self._q.append((t_s, value))
        while self._q and t_s - self._q[0][0] > self.window_s:
            self._q.popleft()
        return self._q[0][1] if self._q else math.nan


# The body's size for scale-free signals: its torso's longest picture length over this long (s).
# Long enough to ride out a trunk leaning towards the camera (front view, hands to the floor),
# short enough to follow a person walking back from the phone.
BODY_SCALE_WINDOW_S = 2.0

# Shortest bridge or curl (s): the real bridge reps of ../shared/eval last 1.5-4 s.
LYING_MIN_REP_S = 1.0
# Continuous ball curls (C2, C3) roll back out only part of the way: a rep ends once the knees
# are back within this fraction of the range (measured on the synthetic suite; no real clips).
LYING_EXIT_FRACTION = 0.3
# Knee flexion (deg) below which a leg counts as straight (standing start posture).
STANDING_KNEE_MAX_DEG = 30.0
# Trunk incline (deg above horizontal) above which the trunk counts as upright.
UPRIGHT_TRUNK_MIN_DEG = 60.0


def _mean_of_finite(*values: float) -> float:
    vals = [v for v in values if math.isfinite(v)]
    return sum(vals) / len(vals) if vals else math.nan


def _col(row: FloatArray, name: str) -> float:
    return float(row[INDEX[name]])


class ProgressSignal(ABC):
    """A normalised progress signal: 0 at the rest position, growing towards the turning point.

    ``measure`` is the raw per-frame body measure; ``to_progress`` turns it into progress with a
    running reference (offline primed with the clip's robust value).
    """

    ref_mode = "max"
    # In progress units: the smallest range that can be a rep, the range of a typical full rep
    # (the engine's starting prior), and the progress expected at rest.
    min_amplitude = 0.2
    typical_amplitude = 0.9
    rest_prior = 0.1
    # Fraction of the rep's range back from the turning point that ends a rep (None: settings).
    # Continuous stages (B2, C2, C3) never come fully back down, so lying signals end earlier.
    exit_fraction: float | None = None
    # Shortest plausible rep (s) for this movement (None: settings). Lying exercises are slow:
    # a bridge or a curl shorter than a second is pose noise, not a rep.
    min_rep_s: float | None = None
    # A feature whose recent maximum (BODY_SCALE_WINDOW_S) the measure is divided by before it
    # meets the reference, when the body's size in the picture may change during the clip (a
    # person walking back from the phone after pressing record): both shrink together, the ratio
    # does not. None: the raw measure.
    scale_feature: str | None = None

    @staticmethod
    def range_measure(progress: float) -> float:
        """The measure a rep's range is compared with the set's typical range in, to tell a
        rep from a partial pulse (RepEngine.range_measure): progress itself by default."""
        return progress

    def __init__(self) -> None:
        self.ref = RunningReference(mode=self.ref_mode)
        self.scale = SlidingMax(BODY_SCALE_WINDOW_S)

    @abstractmethod
    def measure(self, row: FloatArray) -> float: ...

    @abstractmethod
    def to_progress(self, value: float, ref: float) -> float: ...

    def prime(self, rows: FloatArray) -> None:
        fresh = SlidingMax(BODY_SCALE_WINDOW_S)
        self.ref.prime(np.array([self.scaled_measure(r, fresh) for r in rows]))

    def scaled_measure(self, row: FloatArray, scale: SlidingMax | None = None) -> float:
        """The measure, divided by the recent maximum of :meth:`body_size` when the signal is
        scaled (``scale``: that running maximum; the signal's own by default)."""
        value = self.measure(row)
        body = self.body_size(row)
        if body is None:
            return value
        tracker = self.scale if scale is None else scale
        size = tracker.update(body, _col(row, "t_s"))
        return value / size if math.isfinite(size) and size > 0 else math.nan

    def body_size(self, row: FloatArray) -> float | None:
        """The body's size in this row (pixels), which a scaled signal divides its measure by
        (its recent maximum); None for a signal measured unscaled."""
        return None if self.scale_feature is None else _col(row, self.scale_feature)

    def update(self, row: FloatArray) -> float:
        value = self.scaled_measure(row)
        ref = self.ref.update(value, _col(row, "t_s"))
        if not (math.isfinite(value) and math.isfinite(ref)):
            return math.nan
        return self.to_progress(value, ref)

    def at_rest(self, row: FloatArray) -> bool | None:
        """Whether the body is in the start posture (None when it cannot be told)."""
        return None


class HipDropSignal(ProgressSignal):
    """Squat progress: how far the hips have dropped towards the knees, in thigh lengths.

    ``progress = 1 - (hip height over the knees) / (standing thigh length)``: about 0 standing,
    1 with the thighs level, more below parallel. Only hips and knees are needed (feet are often
    out of the picture or poorly seen), and vertical offsets keep their length from any
    horizontal camera view. Measured in torso lengths (the torso's longest picture length over
    the last 2 s, which a forward lean does not shorten), so that walking away from the camera
    does not look like squatting.
    """

    scale_feature = "torso_len"

    def measure(self, row: FloatArray) -> float:
        return _mean_of_finite(_col(row, "hip_above_knee_l"), _col(row, "hip_above_knee_r"))

    def to_progress(self, value: float, ref: float) -> float:
        return 1.0 - value / ref if ref > 0 else math.nan

    @staticmethod
    def range_measure(progress: float) -> float:
        """How far the thighs turned from vertical, in right angles (0 standing, 1 level, more
        below parallel), from progress (1 - the hips' height over the knees in thigh lengths,
        i.e. 1 - the sine of the thighs' elevation).

        A squat is the thighs turning about the knees, and the hips' drop grows as one minus
        the sine of that turn: a squat stopping 25 deg above parallel turns its thighs 65 % as
        far as one 10 deg below, but drops its hips only 49 % as far [geometry; the synthetic
        suite's true hip drops for 16-25 deg short squats are 45-57 % of the set's full one].
        Compared in hip drop, such reps sat on the 45 % partial line; compared in thigh turn
        they sit well above it, while partial pulses (a third of a squat's joint angles) stay
        under it.
        """
        return 1.0 - math.asin(min(max(1.0 - progress, -1.0), 1.0)) / (math.pi / 2)

    def at_rest(self, row: FloatArray) -> bool | None:
        """Legs straight (standing), when a knee is seen."""
        flex = _mean_of_finite(_col(row, "knee_flex_l"), _col(row, "knee_flex_r"))
        return None if not math.isfinite(flex) else flex < STANDING_KNEE_MAX_DEG


class LongestSegmentScale(ProgressSignal):
    """Mixin: the body's size is its longest segment in the picture (a leg's thigh + shank, or
    the torso; :func:`hamcoach.cuts.body_segments_px`). A hinge or a single-leg squat leans the
    torso towards a front or rear camera for seconds, shortening it in the picture, while the
    stance leg keeps its length; a person walking back from the phone shrinks whole."""

    def body_size(self, row: FloatArray) -> float | None:
        return max(body_segments_px(row), default=math.nan)


class StanceHipDropSignal(LongestSegmentScale):
    """Single-leg squat progress: the hips' drop towards the stance (lower) ankle, in leg
    lengths. Measured in body sizes (:class:`LongestSegmentScale`): seen from behind, a person
    walking back from the phone to their spot halves in the picture, which in pixels read as a
    squat held for seconds."""

    min_amplitude = 0.07
    typical_amplitude = 0.2
    rest_prior = 0.04

    def measure(self, row: FloatArray) -> float:
        low_ankle = max(
            (v for v in (_col(row, "ankle_y_l"), _col(row, "ankle_y_r")) if math.isfinite(v)),
            default=math.nan,
        )
        return low_ankle - _col(row, "hip_y")

    def to_progress(self, value: float, ref: float) -> float:
        return 1.0 - value / ref if ref > 0 else math.nan

    def at_rest(self, row: FloatArray) -> bool | None:
        flex = [v for v in (_col(row, "knee_flex_l"), _col(row, "knee_flex_r")) if math.isfinite(v)]
        return None if not flex else min(flex) < STANDING_KNEE_MAX_DEG


class HingeSignal(LongestSegmentScale):
    """Single-leg deadlift progress: how far the shoulders have come down towards hip height,
    in trunk lengths (0 upright, 1 with the trunk level). Measured in body sizes
    (:class:`LongestSegmentScale`), so that walking to the spot is no hinge."""

    min_amplitude = 0.3
    typical_amplitude = 0.8
    rest_prior = 0.1

    def measure(self, row: FloatArray) -> float:
        return _col(row, "hip_y") - _col(row, "shoulder_y")

    def to_progress(self, value: float, ref: float) -> float:
        return 1.0 - value / ref if ref > 0 else math.nan

    def at_rest(self, row: FloatArray) -> bool | None:
        inc = _col(row, "trunk_incline")
        return None if not math.isfinite(inc) else inc > UPRIGHT_TRUNK_MIN_DEG


class HipLiftSignal(ProgressSignal):
    """Bridge progress: the hips' lift above the shoulders, in trunk lengths, from the lowest
    (resting) position seen."""

    min_amplitude = 0.05
    typical_amplitude = 0.3
    rest_prior = 0.03
    min_rep_s = LYING_MIN_REP_S

    ref_mode = "min"

    def __init__(self) -> None:
        super().__init__()
        self.torso = RunningReference()

    def prime(self, rows: FloatArray) -> None:
        self.torso.prime(rows[:, INDEX["torso_len"]])
        super().prime(rows)

    def measure(self, row: FloatArray) -> float:
        torso = self.torso.update(_col(row, "torso_len"), _col(row, "t_s"))
        if not (math.isfinite(torso) and torso > 0):
            return math.nan
        return (_col(row, "shoulder_y") - _col(row, "hip_y")) / torso

    def to_progress(self, value: float, ref: float) -> float:
        return value - ref


class HipFloor:
    """Whether a lying body's hips are down on the floor: the hips' lift above the shoulders (in
    trunk lengths, :class:`HipLiftSignal`'s measure) within ``band_torso`` of the lowest lift
    seen, which relaxes upward at ``decay_per_s`` (offline it starts from the stretch's 5th
    percentile; settings.RepSettings.floor_band_torso, floor_decay_per_s). A progress reference
    follows a hover within seconds, so it cannot tell hovering from resting; this one can."""

    def __init__(self, band_torso: float, decay_per_s: float) -> None:
        self.band_torso = band_torso
        self.lift = HipLiftSignal()
        self.floor = RunningReference(decay_per_s, "min")

    def prime(self, rows: FloatArray) -> None:
        self.lift.prime(rows)
        self.floor.prime(np.array([self.lift.measure(r) for r in rows]))

    def on_floor(self, row: FloatArray) -> bool | None:
        """Whether the hips are down on the floor in this frame (None: not seen)."""
        lift = self.lift.measure(row)
        floor = self.floor.update(lift, _col(row, "t_s"))
        if not (math.isfinite(lift) and math.isfinite(floor)):
            return None
        return lift - floor <= self.band_torso


class KneeCurlSignal(ProgressSignal):
    """Ball-curl progress: knee flexion beyond the most extended position seen, / 90 deg."""

    min_amplitude = 0.3
    typical_amplitude = 0.9
    rest_prior = 0.1
    min_rep_s = LYING_MIN_REP_S
    exit_fraction = LYING_EXIT_FRACTION

    ref_mode = "min"

    def __init__(self) -> None:
        super().__init__()
        self.knees = PairMean()

    def prime(self, rows: FloatArray) -> None:
        super().prime(rows)
        self.knees.reset()

    def measure(self, row: FloatArray) -> float:
        knees = self.knees.mean(
            _col(row, "knee_flex_l"), _col(row, "knee_flex_r"), _col(row, "t_s")
        )
        return knees / 90.0

    def to_progress(self, value: float, ref: float) -> float:
        return value - ref


class PairMean:
    """The mean of a left and a right value, one frame at a time, that does not step when one
    of them drops out of sight: the one seen, shifted by half the last difference seen between
    them, a difference that fades (:data:`PAIR_DIFF_FADE_S`) the longer the other stays
    unseen. A plain mean of what is seen jumps by half that difference (a near knee bending
    5 deg more than the far one: the curl's progress dips as the far knee appears and
    disappears, which cut a fast curl's start short by 0.3 s); a difference held for seconds
    would be stale (legs seen at an angle differ by more in one pose than in another)."""

    def __init__(self) -> None:
        self.diff = 0.0  # left - right when both were last seen
        self.seen_s = -math.inf  # when that was

    def reset(self) -> None:
        self.diff, self.seen_s = 0.0, -math.inf

    def mean(self, left: float, right: float, t_s: float) -> float:
        seen_l, seen_r = math.isfinite(left), math.isfinite(right)
        if seen_l and seen_r:
            self.diff, self.seen_s = left - right, t_s
            return (left + right) / 2
        half = self.diff / 2 * math.exp(-max(t_s - self.seen_s, 0.0) / PAIR_DIFF_FADE_S)
        if seen_l:
            return left - half
        if seen_r:
            return right + half
        return math.nan


# Time constant (s) over which the last difference seen between a pair fades once one of the
# pair is unseen: a far knee hidden for a few frames (0.1-0.4 s, pose noise) is bridged; one
# hidden for seconds is left out.
PAIR_DIFF_FADE_S = 0.5


class CurlingKnee:
    """The flexion of the knee that curls, in a single-leg ball curl, one frame at a time.

    The free leg stays straight, so the mean of both knees halves the curl, and whenever the
    curling knee flickers out of sight (in a side view it hides behind the raised free leg at
    the curled point) the mean jumps to the free knee's few degrees: fake reps. The curling
    knee is the more bent one; when only the other is seen the curl is unknown (NaN, which the
    rep engine bridges), never the free knee's value.
    """

    def __init__(self) -> None:
        self.side: str | None = None

    def reset(self) -> None:
        self.side = None

    def flexion(self, left: float, right: float) -> float:
        seen_l, seen_r = math.isfinite(left), math.isfinite(right)
        if seen_l and seen_r:
            self.side = "l" if left >= right else "r"
            return max(left, right)
        if seen_l and self.side != "r":
            return left
        if seen_r and self.side != "l":
            return right
        return math.nan


class CurlingKneeSignal(ProgressSignal):
    """Mixin for single-leg ball-curl progress: the curling knee's flexion (:class:`CurlingKnee`)
    read from ``knee_columns`` (left, right), / 90 deg. Put it before the two-knee signal."""

    knee_columns: tuple[str, str] = ("knee_flex_l", "knee_flex_r")

    def __init__(self) -> None:
        super().__init__()
        self.knee = CurlingKnee()

    def prime(self, rows: FloatArray) -> None:
        super().prime(rows)
        self.knee.reset()

    def measure(self, row: FloatArray) -> float:
        left, right = self.knee_columns
        return self.knee.flexion(_col(row, left), _col(row, right)) / 90.0


class SingleLegKneeCurlSignal(CurlingKneeSignal, KneeCurlSignal):
    """Single-leg ball-curl progress from the picture: the curling knee's flexion."""


class HipExtension3DSignal(ProgressSignal):
    """Bridge progress from 3-D hip extension (view-independent): the drop of the mean
    shoulder-hip-knee flexion from its resting value, / 45 deg."""

    min_amplitude = 0.15
    typical_amplitude = 0.8
    rest_prior = 0.05
    min_rep_s = LYING_MIN_REP_S

    def measure(self, row: FloatArray) -> float:
        return _mean_of_finite(_col(row, "hip_flex3d_l"), _col(row, "hip_flex3d_r"))

    def to_progress(self, value: float, ref: float) -> float:
        return (ref - value) / 45.0


class KneeFlexion3DSignal(ProgressSignal):
    """Progress from 3-D knee flexion (view-independent) beyond its straightest value, / 90 deg
    (ball curls; a single-leg squat's stance knee)."""

    min_amplitude = 0.25
    typical_amplitude = 0.8
    rest_prior = 0.05
    min_rep_s = LYING_MIN_REP_S
    exit_fraction = LYING_EXIT_FRACTION

    ref_mode = "min"

    def measure(self, row: FloatArray) -> float:
        return _mean_of_finite(_col(row, "knee_flex3d_l"), _col(row, "knee_flex3d_r")) / 90.0

    def to_progress(self, value: float, ref: float) -> float:
        return value - ref


class SingleLegKneeFlexion3DSignal(CurlingKneeSignal, KneeFlexion3DSignal):
    """Single-leg ball-curl progress in 3-D: the curling knee's flexion."""

    knee_columns = ("knee_flex3d_l", "knee_flex3d_r")


class TrunkTilt3DSignal(ProgressSignal):
    """Hinge progress from the trunk's 3-D tilt from upright (view-independent), / 90 deg."""

    min_amplitude = 0.3
    typical_amplitude = 0.8
    rest_prior = 0.1

    ref_mode = "min"

    def measure(self, row: FloatArray) -> float:
        return _col(row, "trunk_tilt3d") / 90.0

    def to_progress(self, value: float, ref: float) -> float:
        return value - ref

    def at_rest(self, row: FloatArray) -> bool | None:
        tilt = _col(row, "trunk_tilt3d")
        return None if not math.isfinite(tilt) else tilt < 90.0 - UPRIGHT_TRUNK_MIN_DEG


@dataclass(frozen=True)
class ExerciseSpec:
    id: str
    label: str
    posture: str  # standing / lying
    single_leg: bool
    checks: tuple[str, ...]
    signal: Callable[[], ProgressSignal]  # image-plane signal (validated on the real clips)
    signal_3d: Callable[[], ProgressSignal] | None  # world-landmark signal for other views
    stages: tuple[str, ...]
    eccentric: str  # "down" (first phase) or "up" (return phase) is the lowering phase
    # How a single-leg rep's working leg shows: "planted" (its foot stays put while the free
    # foot travels) or "curling" (its knee bends and straightens while the free leg is held up).
    working_leg_shows: str = "planted"
    # A rep whose less bent knee stays under this flexion (deg, 3-D) at the turning point is not
    # this exercise (None: no such rule): see SQUAT_MIN_KNEE_FLEX_DEG.
    min_turn_knee_flex_deg: float | None = None
    # The same for the more bent knee (one-leg squats: the stance knee), and for the trunk's
    # tilt from vertical (deg, 3-D; hinges): see SINGLE_LEG_SQUAT_MIN_KNEE_FLEX_DEG.
    min_turn_bent_knee_deg: float | None = None
    min_turn_trunk_tilt_deg: float | None = None


# Both knees bend in a squat. A "rep" whose less bent knee is under this (deg, BlazePose world
# landmarks, at the turning point) is the body moving another way: walking back to the phone
# after pressing record shows as a 56 % squat in the picture with a knee at 1 deg [synth S1].
# Every counted real squat rep reaches 39 deg or more (46 reps; the next lowest 63).
SQUAT_MIN_KNEE_FLEX_DEG = 25.0
# On one leg the stance knee bends and a hinge tilts the trunk. Walking back to the spot after
# pressing record, seen from behind, reads as a one-leg squat or a hinge in the picture (the body
# halves in size faster than the body-size scale follows) with the knees at 3-30 deg and the
# trunk 5-7 deg from vertical [synth S3, D1, D2]. Every counted real single-leg squat rep bends
# its stance knee 49 deg or more (13 reps), every real single-leg deadlift rep tilts the trunk
# 76 deg or more (8 reps).
SINGLE_LEG_SQUAT_MIN_KNEE_FLEX_DEG = 25.0
HINGE_MIN_TRUNK_TILT_DEG = 30.0


SQUAT_CHECKS = (
    "squat.depth",
    "squat.knee_valgus",
    "squat.knees_past_toes",
    "squat.knees_together_ascent",
    "tempo.controlled",
)
BRIDGE_CHECKS = (
    "bridge.hip_height",
    "bridge.heel_down",
    "bridge.no_rest",
    "bridge.slow_lowering",
    "tempo.controlled",
)
BALL_CURL_CHECKS = (
    "ball_curl.hips_up",
    "ball_curl.full_extension",
    "ball_curl.full_curl",
    "bridge.no_rest",
    "tempo.controlled",
)

EXERCISES: dict[str, ExerciseSpec] = {
    e.id: e
    for e in (
        ExerciseSpec(
            "bridge",
            "Bridge",
            "lying",
            False,
            BRIDGE_CHECKS,
            HipLiftSignal,
            HipExtension3DSignal,
            ("B1", "B2"),
            "up",
        ),
        ExerciseSpec(
            "single_leg_bridge",
            "Single-leg bridge",
            "lying",
            True,
            (*BRIDGE_CHECKS[:2], "bridge.hips_level", *BRIDGE_CHECKS[2:]),
            HipLiftSignal,
            HipExtension3DSignal,
            ("B3",),
            "up",
        ),
        ExerciseSpec(
            "ball_curl",
            "Ball hamstring curl",
            "lying",
            False,
            BALL_CURL_CHECKS,
            KneeCurlSignal,
            KneeFlexion3DSignal,
            ("C1", "C2"),
            "up",
        ),
        ExerciseSpec(
            "single_leg_ball_curl",
            "Single-leg ball curl",
            "lying",
            True,
            (*BALL_CURL_CHECKS[:3], "bridge.hips_level", *BALL_CURL_CHECKS[3:]),
            SingleLegKneeCurlSignal,
            SingleLegKneeFlexion3DSignal,
            ("C3",),
            "up",
            working_leg_shows="curling",
        ),
        ExerciseSpec(
            "squat",
            "Bodyweight squat",
            "standing",
            False,
            SQUAT_CHECKS,
            HipDropSignal,
            None,
            ("S2", "S4"),
            "down",
            min_turn_knee_flex_deg=SQUAT_MIN_KNEE_FLEX_DEG,
        ),
        ExerciseSpec(
            "box_squat",
            "Squat to a bench",
            "standing",
            False,
            SQUAT_CHECKS,
            HipDropSignal,
            None,
            ("S1",),
            "down",
            min_turn_knee_flex_deg=SQUAT_MIN_KNEE_FLEX_DEG,
        ),
        ExerciseSpec(
            "single_leg_squat",
            "Single-leg squat",
            "standing",
            True,
            (
                "squat.depth",
                "squat.knee_valgus",
                "squat.pelvis_level",
                "squat.trunk_lean",
                "tempo.controlled",
            ),
            StanceHipDropSignal,
            None,
            ("S3",),
            "down",
            min_turn_bent_knee_deg=SINGLE_LEG_SQUAT_MIN_KNEE_FLEX_DEG,
        ),
        ExerciseSpec(
            "single_leg_deadlift",
            "Single-leg deadlift",
            "standing",
            True,
            ("sldl.leg_leads", "sldl.body_line", "sldl.hips_square", "tempo.controlled"),
            HingeSignal,
            None,
            ("D1", "D2"),
            "down",
            min_turn_trunk_tilt_deg=HINGE_MIN_TRUNK_TILT_DEG,
        ),
    )
}


def get_exercise(exercise_id: str) -> ExerciseSpec:
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        known = ", ".join(EXERCISES)
        raise UnknownExerciseError(
            f"Unknown exercise '{exercise_id}'. The exercises are: {known}."
        ) from None


def make_signal(spec: ExerciseSpec, view: str = "side", has_world: bool = True) -> ProgressSignal:
    """The progress signal of an exercise for a camera view (fresh state).

    Image-plane signals are used wherever they were validated on the real clips (lying bodies
    seen from the side, standing bodies from any horizontal view). A body lying down seen from
    its feet, its head or above moves along the camera's axis, so there the view-independent
    3-D joint angles of BlazePose's world landmarks take over (they are noisier on real video,
    which is why they are not used everywhere).
    """
    if spec.signal_3d is not None and view != "side" and has_world:
        return spec.signal_3d()
    return spec.signal()
