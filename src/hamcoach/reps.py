"""The streaming rep engine: one frame at a time in, each rep out as soon as it completes.

It watches a *progress* signal (0 at the exercise's rest position, growing towards the turning
point: the hip drop of a squat, the hip lift of a bridge) and runs a hysteresis state machine
whose thresholds are fractions of the set's typical rep range:

``rest`` --(progress leaves rest by ``enter_fraction`` of the range)--> ``moving``
``moving`` --(progress returns within ``exit_fraction`` of rest)--> a rep candidate;
``moving`` --(progress turns back up from a valley near rest, without resting)--> a candidate.

A candidate is counted when its range reaches both the exercise's absolute minimum and
``min_range_fraction`` of the typical range (partial-range pulses are not reps; the two ranges are
compared in the signal's :attr:`RepEngine.range_measure`, e.g. how far a squat's thighs turned
rather than how far its hips dropped), when its duration
is plausible, and when its start was seen (a rep already under way when the clip starts, or still
under way when it ends, is not counted; a clip that opens away from rest waits for the body to
come back to rest or to hold still for a second, and rests there). Memory is bounded: only the
frames of the current rep (at most ``max_rep_s`` seconds) are kept.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from hamcoach.settings import RepSettings

P = TypeVar("P")

# A rep starts where the body leaves rest and ends where it is back: the progress is within this
# fraction of the rep's range from rest, or stops moving towards rest, whichever comes first.
SETTLE_FRACTION = 0.015
# While at rest, the rest level follows the signal upwards only inside this fraction of the
# entry threshold (slow drift of a still body), never along the start of a slow descent.
REST_DRIFT_BAND = 0.1
# Back near rest, a rise of this fraction of the range above the lowest point means the body has
# turned into the next movement: the rep ended at that lowest point. (0.04 confirmed some rep
# ends up to 167 ms late in live streams; 0.025 keeps them within ~100 ms at 30 frames/s with
# unchanged counts on the real clips and the synthetic suite.)
TURN_FRACTION = 0.025
# Continuous sets (B2, C2: no rest between reps) turn back up before reaching rest: a movement
# that came back to within VALLEY_FRACTION of the range from rest and then rose again by
# VALLEY_RISE of the range (as much as starts a rep from rest) has ended at that valley, if its
# range was at least VALLEY_MIN_RANGE of the set's typical range (a smaller pulse before a rep
# stays part of that rep: a real squat clip has a 0.3-range bob before its second rep, a real
# bridge clip a 0.07 re-lift while lowering). Set on the synthetic B2/C2 sets, whose hips hover
# about 20 % of the lift above the floor, and checked on every real clip. 0.45 (was 0.35): a
# ball curl whose roll-out stops 30-45 deg short of straight (ball_curl.full_extension's fault)
# turns back 25-38 % of the range from rest, and must still end there, not merge with the next
# curl (the real clips are unchanged; on the suite, default noise, one merged pair of C2 curls
# is split; at high noise, of the 1200 sets of seeds 0 and 1, one gains and three lose a rep).
VALLEY_FRACTION = 0.45
VALLEY_RISE = 0.35
VALLEY_MIN_RANGE = 0.7
# How many recent reps set the typical range.
RANGE_MEMORY = 5
# Longest stretch of missing signal (s) the engine bridges; longer resets it (camera cut, exit).
# 1.5 (was 1.0): seen from the side, the far leg's knee of a single-leg ball curl hides behind
# the near leg for up to 1.3 s at the top of the curl, and the curl was lost (synthetic suite,
# default and high noise: 5 sets of 1200 regain their count, none changes otherwise; the real
# clips are unchanged).
MAX_SIGNAL_GAP_S = 1.5
# Between reps the body rests when it is within this fraction of the previous rep's range of the
# rest level (tighter than SETTLE_FRACTION: the slow end of a lowering is not rest yet).
REST_BAND = 0.015
# A phase's top speed is its fastest change over this long (s): single frames are pose jitter
# (a 0.76 s lowering read as a 0.26 s fall), and a 0.25 s fall still peaks at 86 % of its
# instantaneous top speed over it.
PACE_WINDOW_S = 0.15
# A phase of movement starts and ends where its speed is this fraction of the phase's top speed
# (a smooth movement eases in and out; timing it by position alone cuts its slow ends off).
STOP_SPEED_FRACTION = 0.1
# A clip that opens away from the rest position (mid-rep, or a set whose every rep stops short
# of the start posture) takes the level where the body holds still this long (s), moving less
# than what starts a rep, as its rest: a rep under way does not hold still for a second.
# (Synthetic suite: a C1 set whose every curl stops 30-44 deg short of straight lost its first
# curl; on seeds 0 and 1 that set regains it and no other count changes; real clips unchanged.)
HOLD_S = 0.9
# At rest the engine keeps the frames since the body was last at rest, plus REST_KEEP_S before
# that: a rep's start and its lowering's travel window are found in them. At rest means within
# REST_KEEP_BAND of the entry threshold of the rest level, or holding still (moving less than
# STILL_BAND of the entry threshold over STILL_WINDOW_S: a continuous curl's legs resting short
# of straight). Keeping only the last second cut the slow start off a squat stopping 20-25 deg
# above parallel: its hips barely drop while the thighs start to turn (the drop goes as one
# minus a sine), it reaches the entry threshold 2 s in, and its lowering read 1.1-1.4 s for a
# true 1.9-2.3 (`tempo.controlled` false fails: suite, default noise, 4 -> 3 on seed 0 and 9 -> 4
# on seed 1, no other verdict or count changed; the real clips' verdicts are unchanged, squat
# rep timing error 124 -> 129 ms: slow real starts now begin a little earlier than marked).
REST_KEEP_S = 1.0
REST_KEEP_BAND = 0.3
STILL_BAND = 0.1
STILL_WINDOW_S = 0.5
# Hard cap of buffered frames, whatever the frame rate (memory bound).
MAX_BUFFER_FRAMES = 4096


@dataclass(frozen=True)
class Sample(Generic[P]):
    t_s: float
    frame: int
    progress: float
    payload: P


@dataclass(frozen=True)
class RepEvent(Generic[P]):
    """A completed rep: times (s), phase durations (s), range, and the frames it spans."""

    start_s: float
    bottom_s: float
    end_s: float
    start_frame: int
    bottom_frame: int
    end_frame: int
    down_s: float
    pause_s: float
    up_s: float
    amplitude: float
    range_fraction: float
    samples: tuple[Sample[P], ...] = field(repr=False)
    rest_before_s: float | None = None  # time resting since the previous rep (None: first rep)
    # Each phase's duration as a person watching would time it (s): the time it took to cover
    # the middle of its travel (RepSettings.travel_low to travel_high of the way from its start
    # level to its end level) x RepSettings.phase_travel_ratio. Pose jitter at a phase's slow,
    # eased ends cannot stretch or shorten it, unlike down_s / up_s.
    down_seen_s: float = 0.0
    up_seen_s: float = 0.0
    # Each phase's duration judged by its top speed (s): its range / its fastest progress per
    # second x RepSettings.phase_per_peak_speed. A slow wobble of the signal before or after
    # the movement (pose noise while holding) cannot stretch it: it tells a fall from a
    # lowering where the travel time cannot.
    down_pace_s: float = 0.0
    up_pace_s: float = 0.0


@dataclass(frozen=True)
class Rejected:
    """A movement the engine saw and did not count, with the reason (for diagnostics)."""

    start_s: float
    end_s: float
    reason: str


def _same_progress(progress: float) -> float:
    """Progress as it is (the default range measure)."""
    return progress


class RepEngine(Generic[P]):
    """Streaming rep segmentation. Feed frames with :meth:`push`; read reps as they return."""

    def __init__(
        self,
        settings: RepSettings,
        min_amplitude: float,
        typical_amplitude: float,
        rest_prior: float = 0.0,
    ) -> None:
        self.s = settings
        self.min_amplitude = min_amplitude
        self.rest_prior = rest_prior
        self._prior = max(typical_amplitude, min_amplitude)
        self._primed = False
        self.exit_fraction = settings.exit_fraction
        self.min_rep_s = settings.min_rep_s
        self._amplitudes: deque[float] = deque(maxlen=RANGE_MEMORY)
        # Maps progress to the measure in which a rep's range is compared with the typical one
        # (monotone, progress 0 -> 0 and 1 -> 1); progress itself by default.
        self.range_measure: Callable[[float], float] = _same_progress
        self.rejected: list[Rejected] = []
        self.reset()

    # -- state -------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget the rep in progress (camera cut, person left the frame)."""
        self._buf: deque[Sample[P]] = deque(maxlen=MAX_BUFFER_FRAMES)
        self._rest = math.nan
        self._state = "init"  # init -> (rest | unseen_start) -> moving -> rest
        self._peak: Sample[P] | None = None
        self._low: Sample[P] | None = None
        self._trough: Sample[P] | None = None  # lowest point since the peak (moving)
        self._return_speed = 0.0
        self._last_t = -math.inf
        self._posture_ok = False
        self._rep_start_seen = False
        self._last_seen_end: float | None = None  # when the previous rep was seen to end (s)
        # the longest rest (s) before a partial pulse since the previous rep
        self._rest_before_partials = 0.0
        self._rest_seen_t: float | None = None  # when the body was last at rest (s)

    def configure(
        self,
        min_amplitude: float,
        typical_amplitude: float,
        rest_prior: float,
        exit_fraction: float | None = None,
        min_rep_s: float | None = None,
    ) -> None:
        """Set the signal's scale (a signal that picks 3-D or 2-D measures knows it only once it
        sees data). Keeps a clip-derived prior (from :meth:`prime_amplitude`) when set."""
        self.min_amplitude = min_amplitude
        self.rest_prior = rest_prior
        self.exit_fraction = self.s.exit_fraction if exit_fraction is None else exit_fraction
        self.min_rep_s = self.s.min_rep_s if min_rep_s is None else min_rep_s
        if not self._primed:
            self._prior = max(typical_amplitude, min_amplitude)

    def prime_amplitude(self, amplitude: float) -> None:
        """Offline: start from the clip's own typical range instead of the exercise's prior."""
        if math.isfinite(amplitude) and amplitude >= self.min_amplitude:
            self._prior = amplitude
            self._primed = True

    @property
    def typical_amplitude(self) -> float:
        if self._amplitudes:
            return statistics.median(self._amplitudes)
        return self._prior

    @property
    def state(self) -> str:
        return self._state

    # -- input -------------------------------------------------------------------------------
    def push(
        self, t_s: float, frame: int, progress: float, payload: P, at_rest: bool | None = None
    ) -> RepEvent[P] | None:
        """Consume one frame; return the rep that this frame completes, if any.

        ``at_rest`` says whether the body is in the exercise's start posture (for a squat:
        legs straight), when the caller can tell; a rep is counted only if the body was seen in
        its start posture before it (or a previous rep ended), so a clip that opens mid-rep
        does not count that rep.
        """
        if at_rest is None or at_rest:
            self._posture_ok = True
        if not math.isfinite(progress):
            if t_s - self._last_t > MAX_SIGNAL_GAP_S and self._state != "init":
                self._drop("signal lost")
            return None
        if t_s - self._last_t > MAX_SIGNAL_GAP_S and self._state != "init":
            self._drop("signal lost")
        self._last_t = t_s
        sample = Sample(t_s, frame, progress, payload)
        amp = self.typical_amplitude
        enter = self.s.enter_fraction * amp
        if self._state == "init":
            if progress > self.rest_prior + enter:
                self._state, self._rest = "unseen_start", self.rest_prior
            else:
                self._state, self._rest = "rest", progress
            self._buf.append(sample)
            return None
        if self._state in ("rest", "unseen_start"):
            return self._step_rest(sample, enter)
        if self._state == "returning":
            return self._step_returning(sample)
        return self._step_moving(sample)

    def finish(self) -> RepEvent[P] | None:
        """End of the stream. A rep already back near rest is closed and returned; one still
        under way was cut off and is not counted."""
        if self._state == "returning" and self._buf:
            return self._close(self._buf[-1])
        if self._state == "moving":
            self._drop("cut off by the end of the clip")
        return None

    # -- internals ---------------------------------------------------------------------------
    def _step_rest(self, sample: Sample[P], enter: float) -> RepEvent[P] | None:
        self._buf.append(sample)
        self._trim_buffer(sample.t_s)
        if self._state == "unseen_start":
            # Wait for the body to come back to a rest position, or to hold still where it is
            # (a set whose every rep stops short of the start posture), before trusting anything.
            back = sample.progress <= self._rest + self.exit_fraction * self.typical_amplitude
            still = _held_still(self._buf, enter)
            if back or still is not None:
                self._state = "rest"
                self._rest = sample.progress if back or still is None else still
                self._buf.clear()
                self._buf.append(sample)
            return None
        # Rest level follows slow drift upwards only while still; drops at once to new lows.
        if sample.progress < self._rest:
            self._rest = sample.progress
        elif sample.progress - self._rest < REST_DRIFT_BAND * enter:
            self._rest += 0.05 * (sample.progress - self._rest)
        if sample.progress - self._rest > enter:
            self._state = "moving"
            self._peak = sample
            self._trough = None
            self._rep_start_seen = self._posture_ok
        return None

    def _step_moving(self, sample: Sample[P]) -> RepEvent[P] | None:
        self._buf.append(sample)
        assert self._peak is not None
        if sample.progress > self._peak.progress:
            self._peak = sample
            self._trough = None
        elif self._trough is None or sample.progress < self._trough.progress:
            self._trough = sample
        rng = self._peak.progress - self._rest
        start_t = self._buf[0].t_s
        if sample.t_s - start_t > self.s.max_rep_s + 2.0 and rng > 0:
            # Holding far from rest (a long hold or a new rest position): re-anchor there.
            self._drop("held too long away from the start position")
            self._state = "rest"
            self._rest = sample.progress
            self._buf.append(sample)
            return None
        trough = self._trough
        if (
            trough is not None
            and trough.progress - self._rest <= VALLEY_FRACTION * rng
            and sample.progress - trough.progress >= VALLEY_RISE * rng
            and rng >= VALLEY_MIN_RANGE * self.typical_amplitude
        ):
            return self._close(trough)
        if sample.progress - self._rest <= self.exit_fraction * rng:
            self._state = "returning"
            self._low = None
            self._return_speed = 0.0
            return self._step_returning(sample, appended=True)
        return None

    def _step_returning(self, sample: Sample[P], appended: bool = False) -> RepEvent[P] | None:
        """Back near rest: wait until the body settles (or turns into the next rep) to end it."""
        assert self._peak is not None
        if not appended:
            self._buf.append(sample)
        rng = self._peak.progress - self._rest
        if self._low is None or sample.progress < self._low.progress:
            self._low = sample
        near_rest = sample.progress - self._rest <= SETTLE_FRACTION * rng
        speed = _speed(self._buf[-2], sample) if len(self._buf) >= 2 else 0.0
        self._return_speed = max(self._return_speed, speed)
        stopped = speed <= STOP_SPEED_FRACTION * self._return_speed
        home = sample.progress - self._rest <= REST_BAND * rng
        turned = sample.progress > self._low.progress + TURN_FRACTION * rng
        if near_rest and (stopped or home):
            return self._close(sample)
        if turned:
            return self._close(self._low)
        return None

    def _close(self, last: Sample[P]) -> RepEvent[P] | None:
        assert self._peak is not None
        samples = list(self._buf)
        i1 = next(i for i, s in enumerate(samples) if s is last)
        peak = self._peak
        rest = self._rest
        rng = peak.progress - rest
        self._state = "rest"
        self._peak = None
        self._trough = None
        self._buf.clear()
        self._buf.extend(samples[i1:])
        ipeak = next(i for i, s in enumerate(samples) if s is peak)
        settle = rest + SETTLE_FRACTION * rng
        edge = rest + self.exit_fraction * rng
        i0 = ipeak
        while i0 > 0 and samples[i0 - 1].progress > edge:
            i0 -= 1
        while (
            i0 > 0
            and samples[i0 - 1].progress < samples[i0].progress
            and samples[i0].progress > settle
        ):
            i0 -= 1
        i0 = _motion_onset(samples, i0, ipeak)
        start_s = samples[i0].t_s
        end_s = samples[i1].t_s
        band = peak.progress - self.s.pause_band * rng
        near = [s for s in samples[i0 : i1 + 1] if s.progress >= band]
        mid_hold = (near[0].t_s + near[-1].t_s) / 2
        bottom = min(near, key=lambda s: abs(s.t_s - mid_hold))
        hold_a, hold_b = _hold_edges(samples, i0, ipeak, i1, near[0].t_s, near[-1].t_s)
        typical = self.typical_amplitude
        duration = end_s - start_s
        reason = ""
        self._posture_ok = True
        turned = self.range_measure(peak.progress) - self.range_measure(rest)
        typical_turn = self.range_measure(rest + typical) - self.range_measure(rest)
        share = turned / typical_turn if typical_turn > 0 else math.inf
        partial = rng >= self.min_amplitude and share < self.s.min_range_fraction
        if not self._rep_start_seen:
            reason = "already under way when the clip started"
        elif rng < self.min_amplitude:
            reason = f"range {rng:.2f} below the exercise minimum {self.min_amplitude:.2f}"
        elif partial:
            reason = f"partial range ({share:.0%} of the set's typical range)"
        elif duration < self.min_rep_s:
            reason = f"too quick to be a rep ({duration:.2f} s)"
        elif duration > self.s.max_rep_s:
            reason = f"too slow to be one rep ({duration:.1f} s)"
        if reason:
            self.rejected.append(Rejected(start_s, end_s, reason))
            if partial and self._rep_start_seen and self._last_seen_end is not None:
                # a partial pulse between two reps is movement, not rest: rest starts again
                # when it is over; the rest before it still counts as rest between the reps
                self._rest_before_partials = max(
                    self._rest_before_partials, start_s - self._last_seen_end
                )
                self._last_seen_end = max(self._last_seen_end, end_s)
            return None
        self._amplitudes.append(rng)
        band = self.exit_fraction * rng
        before, after = samples[: ipeak + 1], samples[ipeak : i1 + 1]
        floor_before, floor_after = (
            _phase_floor(before, rest, band),
            _phase_floor(after, rest, band),
        )
        down = _seen_phase(before, floor_before, peak.progress, self.s)
        up = _seen_phase(after, peak.progress, floor_after, self.s)
        rest_before = None
        if self._last_seen_end is not None:
            # the longest rest since the previous rep, partial pulses in between or not
            rest_before = max(down[0] - self._last_seen_end, self._rest_before_partials, 0.0)
        self._last_seen_end = up[1]
        self._rest_before_partials = 0.0
        return RepEvent(
            start_s=start_s,
            bottom_s=bottom.t_s,
            end_s=end_s,
            start_frame=samples[i0].frame,
            bottom_frame=bottom.frame,
            end_frame=samples[i1].frame,
            down_s=max(hold_a - start_s, 0.0),
            pause_s=max(hold_b - hold_a, 0.0),
            up_s=max(end_s - hold_b, 0.0),
            amplitude=rng,
            range_fraction=rng / typical,
            samples=tuple(samples[i0 : i1 + 1]),
            rest_before_s=rest_before,
            down_seen_s=down[1] - down[0],
            up_seen_s=up[1] - up[0],
            down_pace_s=_pace_s(samples[i0 : ipeak + 1], peak.progress - floor_before, self.s),
            up_pace_s=_pace_s(after, peak.progress - floor_after, self.s),
        )

    def _drop(self, reason: str) -> None:
        if self._state in ("moving", "returning") and self._buf:
            self.rejected.append(Rejected(self._buf[0].t_s, self._buf[-1].t_s, reason))
        self._state = "init"
        self._peak = None
        self._buf.clear()

    def _trim_buffer(self, now: float) -> None:
        """At rest: drop the frames more than REST_KEEP_S older than the last frame at rest
        (:func:`_at_rest_now`), so that a slow start stays whole. Waiting for a first rest
        (``unseen_start``): keep the last REST_KEEP_S."""
        enter = self.s.enter_fraction * self.typical_amplitude
        if (
            self._rest_seen_t is None
            or self._state != "rest"
            or _at_rest_now(self._buf, self._rest, enter)
        ):
            self._rest_seen_t = now
        while len(self._buf) > 2 and self._rest_seen_t - self._buf[0].t_s > REST_KEEP_S:
            self._buf.popleft()


def _at_rest_now(samples: deque[Sample[P]], rest: float, enter: float) -> bool:
    """Whether the last of ``samples`` is at rest: within REST_KEEP_BAND x ``enter`` of the
    ``rest`` level, or still (within STILL_BAND x ``enter`` over the last STILL_WINDOW_S)."""
    last = samples[-1]
    if last.progress <= rest + REST_KEEP_BAND * enter:
        return True
    lo = hi = last.progress
    for sample in reversed(samples):
        if last.t_s - sample.t_s > STILL_WINDOW_S:
            return True
        lo, hi = min(lo, sample.progress), max(hi, sample.progress)
        if hi - lo > STILL_BAND * enter:
            return False
    return False


def _held_still(samples: deque[Sample[P]], band: float) -> float | None:
    """The lowest progress of ``samples`` when they span at least HOLD_S and stay within
    ``band`` of each other (a body holding still, not moving through a rep); else None."""
    if len(samples) < 2 or samples[-1].t_s - samples[0].t_s < HOLD_S:
        return None
    values = [s.progress for s in samples]
    low = min(values)
    return low if max(values) - low <= band else None


def _speed(a: Sample[P], b: Sample[P]) -> float:
    """Absolute rate of change of progress between two samples (progress per second)."""
    dt = b.t_s - a.t_s
    return abs(b.progress - a.progress) / dt if dt > 0 else 0.0


def _speeds(samples: list[Sample[P]]) -> list[float]:
    """Central-difference speed of every sample (one-sided at the ends)."""
    n = len(samples)
    out = []
    for k in range(n):
        a, b = samples[max(k - 1, 0)], samples[min(k + 1, n - 1)]
        out.append(_speed(a, b) if b is not a else 0.0)
    return out


def _crossing_s(a: Sample[P], b: Sample[P], level: float) -> float:
    """Time (s) at which the straight line from ``a`` to ``b`` passes ``level``."""
    span = b.progress - a.progress
    if span == 0:
        return a.t_s
    return a.t_s + (level - a.progress) / span * (b.t_s - a.t_s)


def _travel_window(
    phase: list[Sample[P]], v0: float, v1: float, low: float, high: float
) -> tuple[float, float]:
    """When (s) a phase travelling from level ``v0`` to ``v1`` passes ``low`` and ``high`` of
    the way: the last passage of ``low`` before it first reaches ``high``, so jitter around
    either level cannot stretch or cut it (a level never passed: the phase's first or last
    sample). Equal times for a phase that does not travel."""
    span = v1 - v0
    if len(phase) < 2 or span == 0:
        return phase[0].t_s, phase[0].t_s
    frac = [(s.progress - v0) / span for s in phase]
    k_high = next((k for k, f in enumerate(frac) if f >= high), len(phase) - 1)
    if k_high == 0:
        return phase[0].t_s, phase[0].t_s
    k_low = max((k for k in range(k_high) if frac[k] <= low), default=None)
    t_high = _crossing_s(phase[k_high - 1], phase[k_high], v0 + high * span)
    if frac[k_high] < high:  # never got there: the phase ends where it was cut off
        t_high = phase[k_high].t_s
    t_low = (
        phase[0].t_s
        if k_low is None
        else _crossing_s(phase[k_low], phase[k_low + 1], v0 + low * span)
    )
    return t_low, max(t_high, t_low)


def _pace_s(phase: list[Sample[P]], span: float, s: RepSettings) -> float:
    """A phase's duration judged by its top speed: ``span`` / its fastest progress per second
    over PACE_WINDOW_S x ``phase_per_peak_speed`` (0.0 for a phase too short to have one)."""
    top = _top_speed(phase, PACE_WINDOW_S)
    return s.phase_per_peak_speed * abs(span) / top if top > 0 else 0.0


def _top_speed(phase: list[Sample[P]], window_s: float) -> float:
    """The fastest change of progress per second over any ``window_s`` of ``phase`` (over the
    whole phase when it is shorter)."""
    top, j = 0.0, 0
    for a in phase:
        while j < len(phase) - 1 and phase[j].t_s - a.t_s < window_s:
            j += 1
        dt = phase[j].t_s - a.t_s
        if dt > 0:
            top = max(top, abs(phase[j].progress - a.progress) / dt)
        if dt < window_s:
            break
    return top


def _seen_phase(
    phase: list[Sample[P]], v0: float, v1: float, s: RepSettings
) -> tuple[float, float]:
    """A phase's start and end (s) as a person watching would mark them: its travel window
    (:func:`_travel_window`) widened at each end by half of what ``phase_travel_ratio`` adds,
    so that end - start = ratio x travel time."""
    t_low, t_high = _travel_window(phase, v0, v1, s.travel_low, s.travel_high)
    margin = (s.phase_travel_ratio - 1.0) / 2.0 * (t_high - t_low)
    return t_low - margin, t_high + margin


def _phase_floor(phase: list[Sample[P]], rest: float, band: float) -> float:
    """The level a phase starts from or returns to: the rest level when it comes within
    ``band`` of it (jitter and the rep's cut-off are not a different level), else its lowest
    point (a continuous set's valley)."""
    low = min(s.progress for s in phase)
    return rest if low - rest <= band else low


def _motion_onset(samples: list[Sample[P]], i0: int, ipeak: int) -> int:
    """Walk back from ``i0`` to where the movement really began: the earliest sample still
    moving at STOP_SPEED_FRACTION of the phase's top speed (the slow start of a smooth movement
    is part of it; a still body is not)."""
    v = _speeds(samples)
    top = max(v[i0 : ipeak + 1], default=0.0)
    k = i0
    while (
        k > 0
        and v[k - 1] > STOP_SPEED_FRACTION * top
        and samples[k - 1].progress < samples[k].progress
    ):
        k -= 1
    return k


def _hold_edges(
    samples: list[Sample[P]], i0: int, ipeak: int, i1: int, band_a: float, band_b: float
) -> tuple[float, float]:
    """When the body stopped at the turning point and when it set off again: where the speed
    falls below STOP_SPEED_FRACTION of the phase's top speed, kept between the moment the body
    came within ``pause_band`` of the extreme (band_a, band_b) and the extreme itself."""
    v = _speeds(samples)
    top_down = max(v[i0 : ipeak + 1], default=0.0)
    top_up = max(v[ipeak : i1 + 1], default=0.0)
    a = ipeak
    while a > i0 and v[a - 1] <= STOP_SPEED_FRACTION * top_down:
        a -= 1
    b = ipeak
    while b < i1 and v[b + 1] <= STOP_SPEED_FRACTION * top_up:
        b += 1
    t_peak = samples[ipeak].t_s
    hold_a = min(max(samples[a].t_s, band_a), t_peak)
    hold_b = max(min(samples[b].t_s, band_b), t_peak)
    return hold_a, hold_b
