"""The check protocol and registry.

A check measures one value per rep, compares it with its threshold and returns a
:class:`hamcoach.audit.Finding` with verdict ``pass``, ``fail`` or ``unknown`` (with the reason).
A check never prints and never raises for bad data: missing or unreliable joints give
``unknown``, never a fault that was not seen.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np

from hamcoach.audit import Finding
from hamcoach.exercises import get_exercise
from hamcoach.features import FeatureWindow
from hamcoach.settings import CheckThresholds, Threshold
from hamcoach.track import FloatArray
from hamcoach.views import ViewEstimate

FRONTAL = frozenset({"front", "rear"})
OVERHEAD = frozenset({"overhead"})
SAGITTAL = frozenset({"side"})
THREE_QUARTER = frozenset({"three_quarter_front", "three_quarter_rear"})
ANY_VIEW = frozenset(
    {"front", "rear", "side", "three_quarter_front", "three_quarter_rear", "overhead"}
)


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at for one rep."""

    exercise: str
    stage: str | None
    view: ViewEstimate
    window: FeatureWindow
    bottom_index: int  # index in ``window`` of the turning point
    leg: str  # both / left / right
    down_s: float
    pause_s: float
    up_s: float
    thresholds: CheckThresholds
    rest_before_s: float | None = None  # time at rest since the previous rep ended
    stance_label: str | None = None  # BlazePose's label of the working leg in this rep
    down_seen_s: float = 0.0  # the first phase as a person would time it (RepEvent)
    up_seen_s: float = 0.0  # the return phase as a person would time it (RepEvent)
    down_pace_s: float = 0.0  # the first phase judged by its top speed (RepEvent)
    up_pace_s: float = 0.0  # the return phase judged by its top speed (RepEvent)

    @property
    def free_label(self) -> str | None:
        """BlazePose's label of the free (lifted) leg in this rep: use it to measure."""
        if self.stance_label == "left":
            return "right"
        if self.stance_label == "right":
            return "left"
        return None

    @property
    def eccentric_s(self) -> float:
        """The lowering (eccentric) phase's duration (s), as a person would time it (from its
        travel time: RepEvent.down_seen_s). Squats and hinges lower first; bridges and ball
        curls lower on the return (ExerciseSpec.eccentric)."""
        return self.up_seen_s if self._lowers_on_return else self.down_seen_s

    @property
    def eccentric_pace_s(self) -> float:
        """The lowering phase's duration judged by its top speed (RepEvent.down_pace_s /
        up_pace_s): a fall is fast at its fastest, whatever the body did just before it."""
        return self.up_pace_s if self._lowers_on_return else self.down_pace_s

    @property
    def _lowers_on_return(self) -> bool:
        return get_exercise(self.exercise).eccentric == "up"

    @property
    def min_confidence(self) -> float:
        return self.thresholds.min_joint_confidence.value


class Measurement:
    """A measured value and the frame index (in the clip) where it was measured."""

    __slots__ = ("frame", "value")

    def __init__(self, value: float, frame: int) -> None:
        self.value = value
        self.frame = frame


class Unmeasurable(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised inside a check's measure() when the value cannot be judged; carries the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Check(ABC):
    """Base class of every form check. Subclasses set the class attributes and ``measure``."""

    id: ClassVar[str]
    exercises: ClassVar[frozenset[str]]
    views: ClassVar[frozenset[str]]
    threshold_key: ClassVar[str]
    fails_when: ClassVar[str] = "above"  # fails when the value is "above", "below" or "at_or_above"
    cue: ClassVar[str]
    camera_hint: ClassVar[str]

    def threshold(self, ctx: CheckContext) -> Threshold:
        return self.threshold_for(ctx.exercise, ctx.thresholds)

    def threshold_for(self, exercise: str, thresholds: CheckThresholds) -> Threshold:
        value: Threshold = getattr(thresholds, self.threshold_key)
        return value

    def supports_view(self, view: str) -> bool:
        return view in self.views

    def applies_to_stage(self, stage: str | None) -> bool:
        """Whether this check is required in ``stage`` (most are required in every stage)."""
        return True

    stage_note: ClassVar[str] = ""

    @abstractmethod
    def measure(self, ctx: CheckContext) -> Measurement:
        """The value this check compares, or raise :class:`Unmeasurable`."""

    def evaluate(self, ctx: CheckContext) -> Finding:
        th = self.threshold(ctx)
        if not self.supports_view(ctx.view.view):
            return Finding(
                check=self.id,
                verdict="unknown",
                threshold=th.value,
                unit=th.unit,
                reason=f"needs a {describe_views(self.views)} view (camera sees {ctx.view.view})",
            )
        try:
            m = self.measure(ctx)
        except Unmeasurable as exc:
            return Finding(
                check=self.id,
                verdict="unknown",
                threshold=th.value,
                unit=th.unit,
                reason=exc.reason,
            )
        if not math.isfinite(m.value):
            return Finding(
                check=self.id,
                verdict="unknown",
                threshold=th.value,
                unit=th.unit,
                reason="the measure could not be computed from the visible joints",
            )
        failed = {
            "above": m.value > th.value,
            "below": m.value < th.value,
            "at_or_above": m.value >= th.value,
        }[self.fails_when]
        return Finding(
            check=self.id,
            verdict="fail" if failed else "pass",
            value=round(m.value, 4),
            threshold=th.value,
            unit=th.unit,
            frame=m.frame,
            cue=self.cue if failed else "",
        )


REGISTRY: dict[str, Check] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: add one instance of the check to :data:`REGISTRY` under its id."""
    if cls.id in REGISTRY:
        raise ValueError(f"duplicate check id {cls.id}")
    REGISTRY[cls.id] = cls()
    return cls


def get_check(check_id: str) -> Check:
    return REGISTRY[check_id]


def describe_views(views: frozenset[str]) -> str:
    names = sorted(v.replace("_", " ") for v in views)
    return " or ".join(names)


# -- helpers shared by checks ------------------------------------------------------------------


def require_visible(ctx: CheckContext, columns: list[str], what: str) -> None:
    """Raise Unmeasurable when the joints behind ``columns`` were poorly seen during the rep."""
    for col in columns:
        conf = ctx.window[col]
        conf = conf[np.isfinite(conf)]
        if conf.size == 0 or float(np.median(conf)) < ctx.min_confidence:
            raise Unmeasurable(f"{what} not visible clearly enough (low pose confidence)")


def sagittal_side(ctx: CheckContext) -> str:
    """The leg (BlazePose label) to measure in a side view: the working leg, else the leg
    nearer the camera."""
    if ctx.stance_label in ("left", "right"):
        return ctx.stance_label
    if ctx.view.near_side in ("left", "right"):
        return ctx.view.near_side
    return "left"


def suffix(side: str) -> str:
    return "l" if side == "left" else "r"


def bottom_half(ctx: CheckContext, progress_fraction: float = 0.5) -> FloatArray:
    """Mask of the rep's frames deeper than ``progress_fraction`` of the way to the bottom,
    judged by hip height (works for squats and hinges)."""
    h = ctx.window["hip_height"]
    top = np.nanmax(h)
    low = h[ctx.bottom_index]
    if not (math.isfinite(top) and math.isfinite(low)):
        return np.zeros(len(h), dtype=bool)
    level = top - progress_fraction * (top - low)
    return np.asarray(h <= level, dtype=bool)


def top_mask(ctx: CheckContext, fraction: float = 0.8) -> FloatArray:
    """Frames of the rep within ``fraction`` of the way to its turning point, by the frames'
    distance in time from the turning point (symmetric window around it)."""
    t = ctx.window["t_s"]
    tb = t[ctx.bottom_index]
    span_before = (tb - t[0]) * (1 - fraction)
    span_after = (t[-1] - tb) * (1 - fraction)
    return np.asarray((t >= tb - span_before) & (t <= tb + span_after), dtype=bool)


def median_at(values: FloatArray, mask: FloatArray) -> tuple[float, int]:
    """Median of the finite masked values and the index of the value closest to it."""
    v = np.where(mask & np.isfinite(values), values, np.nan)
    if not np.isfinite(v).any():
        raise Unmeasurable("no frame of the rep shows the joints this check needs")
    med = float(np.nanmedian(v))
    return med, int(np.nanargmin(np.abs(v - med)))


def argbest(values: FloatArray, mask: FloatArray, highest: bool) -> int:
    """Index of the highest (or lowest) finite value under ``mask``; raise when there is none."""
    v = np.where(mask & np.isfinite(values), values, np.nan)
    if not np.isfinite(v).any():
        raise Unmeasurable("no frame of the rep shows the joints this check needs")
    return int(np.nanargmax(v) if highest else np.nanargmin(v))


def rep_start(values: FloatArray) -> FloatArray:
    """The first tenth of a rep's per-frame values (at least two frames)."""
    return values[: max(2, len(values) // 10)]


def within_bias(value: float, line: float, band: float, reads: Literal["low", "high"]) -> bool:
    """Whether a view that reads values ``reads`` (lower or higher than the truth, by up to
    ``band``) could have made the call on ``value`` against a fails-above ``line``: a pass within
    ``band`` under the line when it reads low, a fail within ``band`` over it when it reads
    high."""
    if reads == "low":
        return line - band < value <= line
    return line < value <= line + band


def doubt_near_line(
    value_deg: float,
    line_deg: float,
    band_deg: float,
    reads: Literal["low", "high"],
    why: str,
    advice: str,
) -> None:
    """Raise Unmeasurable when a view known to read ``reads`` by up to ``band_deg`` could have
    made the call on ``value_deg`` (:func:`within_bias`); ``why`` says how the view biases the
    reading and ``advice`` how to film instead."""
    if within_bias(value_deg, line_deg, band_deg, reads):
        raise Unmeasurable(
            f"{why}, and {value_deg:.0f} deg is too close to the {line_deg:.0f} deg line to "
            f"call: {advice}"
        )


def rep_ends(values: FloatArray) -> FloatArray:
    """The first and the last tenth of a rep's per-frame values (at least two frames each):
    the body at its starting position before and after the rep, twice the frames of
    :func:`rep_start` to average a reference over."""
    k = max(2, len(values) // 10)
    if len(values) <= 2 * k:
        return values[:k]
    return np.concatenate([values[:k], values[-k:]])


def mean_direction(directions: FloatArray, unseen: str) -> FloatArray:
    """The normalised mean of the finite unit directions (N, 3); raises ``unseen`` as
    :class:`Unmeasurable` when none was seen."""
    ok = np.isfinite(directions).all(axis=-1)
    mean = directions[ok].mean(axis=0) if ok.any() else np.full(3, np.nan)
    norm = float(np.linalg.norm(mean))
    if not np.isfinite(norm) or norm == 0:
        raise Unmeasurable(unseen)
    return np.asarray(mean / norm)
