"""Phase timing as a person watching would time it (RepEvent.down_seen_s / up_seen_s), the
rest between reps built on it, and the single-leg curl's curling knee."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hamcoach.exercises import CurlingKnee
from hamcoach.reps import PACE_WINDOW_S, RepEngine, RepEvent
from hamcoach.settings import DEFAULT_SETTINGS
from hamcoach.synth.scenario import travel_time_s

FPS = 30.0
REPS = DEFAULT_SETTINGS.reps
# A cosine-eased phase passes 10 % of its travel at acos(0.8)/pi of its duration and 90 % at
# 1 - that: the 10-90 % travel takes 0.590 of the phase.
COSINE_TRAVEL_FRACTION = 1.0 - 2.0 * math.acos(0.8) / math.pi


def _eased(x: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * min(max(x, 0.0), 1.0))


def _rep_progress(t: float, down_s: float, hold_s: float, up_s: float, start_s: float) -> float:
    u = t - start_s
    if u < down_s:
        return _eased(u / down_s)
    if u < down_s + hold_s:
        return 1.0
    return 1.0 - _eased((u - down_s - hold_s) / up_s)


def _run(
    down_s: float, up_s: float, rest_s: float, jitter: float, n_reps: int = 3, seed: int = 0
) -> list[RepEvent[int]]:
    rng = np.random.default_rng(seed)
    engine: RepEngine[int] = RepEngine(REPS, 0.3, 0.9, 0.0)
    period = down_s + 0.5 + up_s + rest_s
    events = []
    for i in range(int((1.0 + n_reps * period + 1.0) * FPS)):
        t = i / FPS
        k, u = divmod(t - 1.0, period)
        p = 0.0 if t < 1.0 or k >= n_reps else _rep_progress(u, down_s, 0.5, up_s, 0.0)
        ev = engine.push(t, i, p + float(rng.normal(0.0, jitter)), i)
        if ev is not None:
            events.append(ev)
    return events


def test_a_clean_cosine_phase_is_timed_at_the_ratio_times_its_travel() -> None:
    events = _run(down_s=2.5, up_s=1.2, rest_s=1.0, jitter=0.0)
    assert len(events) == 3
    for ev in events:
        expected_down = REPS.phase_travel_ratio * COSINE_TRAVEL_FRACTION * 2.5
        expected_up = REPS.phase_travel_ratio * COSINE_TRAVEL_FRACTION * 1.2
        assert ev.down_seen_s == pytest.approx(expected_down, abs=0.02)
        assert ev.up_seen_s == pytest.approx(expected_up, abs=0.02)


def test_pose_jitter_does_not_shorten_the_seen_phase() -> None:
    """Jitter (0.5 % of the range, white: the engine's input is already low-pass filtered)
    moves the travel-based timing by less than 0.1 s."""
    expected = REPS.phase_travel_ratio * COSINE_TRAVEL_FRACTION * 2.5
    for seed in range(4):
        events = _run(down_s=2.5, up_s=1.2, rest_s=1.0, jitter=0.005, seed=seed)
        assert len(events) == 3
        for ev in events:
            assert ev.down_seen_s == pytest.approx(expected, abs=0.1)


def test_rest_between_reps_is_the_gap_between_the_seen_phases() -> None:
    """Rest = the next rep's seen start - the previous rep's seen end: the eased tails of the
    phases (about 9 % of each here) are movement, not rest."""
    tail = (1.0 - REPS.phase_travel_ratio * COSINE_TRAVEL_FRACTION) / 2.0
    for rest_s, up_s in ((0.2, 2.8), (2.0, 2.8)):
        events = _run(down_s=1.2, up_s=up_s, rest_s=rest_s, jitter=0.0)
        assert events[0].rest_before_s is None
        for ev in events[1:]:
            assert ev.rest_before_s == pytest.approx(rest_s + tail * (up_s + 1.2), abs=0.05)


def test_a_partial_pulse_between_two_reps_is_movement_but_the_rest_before_it_counts() -> None:
    """Two full reps 4 s apart with a 40 % pulse (rejected as partial) in the gap: the pulse
    is movement, so the second rep's rest is not the whole gap; but the hips lay still before
    the pulse longer than after it, and that rest is the longest between the two reps."""
    engine: RepEngine[int] = RepEngine(REPS, 0.3, 0.9, 0.0)
    plan = [(1.0, 1.0), (4.6, 0.4), (7.6, 1.0)]  # (start s, range) of each movement
    events = []
    for i in range(int(12.0 * FPS)):
        t = i / FPS
        p = sum(a * _rep_progress(t, 1.0, 0.5, 1.0, s) for s, a in plan if s <= t < s + 2.5)
        ev = engine.push(t, i, p, i)
        if ev is not None:
            events.append(ev)
    assert len(events) == 2
    assert [r.reason.startswith("partial range") for r in engine.rejected] == [True]
    pulse = engine.rejected[0]
    second = events[1]
    assert second.rest_before_s is not None
    # before the pulse: from the first rep's seen end (its end, 3.4 s, less the eased tail
    # of its return) to the pulse's start (4.6 s)
    before_pulse = pulse.start_s - events[0].end_s
    assert before_pulse <= second.rest_before_s <= before_pulse + 0.5
    assert second.rest_before_s > 7.6 - pulse.end_s  # the rest after the pulse is shorter
    assert second.rest_before_s < 2.0  # from the first rep's end it would be 4 s


def _pace_of_cosine(duration_s: float) -> float:
    """The pace (s) of a cosine-eased phase: its top speed over PACE_WINDOW_S is
    range x sin(pi W / 2T) / W."""
    w = PACE_WINDOW_S
    return REPS.phase_per_peak_speed * w / math.sin(math.pi * w / (2.0 * duration_s))


@pytest.mark.parametrize("up_s", [0.25, 0.6, 2.0])
def test_a_phase_is_paced_by_its_top_speed(up_s: float) -> None:
    events = _run(down_s=1.2, up_s=up_s, rest_s=1.0, jitter=0.0)
    assert len(events) == 3
    for ev in events:
        assert ev.up_pace_s == pytest.approx(_pace_of_cosine(up_s), rel=0.05)
        assert ev.down_pace_s == pytest.approx(_pace_of_cosine(1.2), rel=0.05)


def test_a_wander_while_holding_stretches_the_travel_time_but_not_the_pace() -> None:
    """Pose noise lets the held hips wander 12 % down over two seconds, then the hips drop in
    0.25 s: timed by its travel, the drop starts with the wander and looks like a slow
    lowering; judged by its top speed it is still a fall."""
    engine: RepEngine[int] = RepEngine(REPS, 0.3, 0.9, 0.0)
    events = []
    for i in range(int(8.0 * FPS)):
        t = i / FPS
        p = _rep_progress(t, 1.2, 3.0, 0.25, 1.0) if t >= 1.0 else 0.0
        if t >= 2.6:  # the hold is 2.2-5.2 s; the drop keeps the wander
            p *= 1.0 - 0.12 * min((t - 2.6) / 2.0, 1.0)
        ev = engine.push(t, i, p, i)
        if ev is not None:
            events.append(ev)
    ev = engine.finish()
    if ev is not None:
        events.append(ev)
    assert len(events) == 1
    assert events[0].up_seen_s > 1.0
    assert events[0].up_pace_s == pytest.approx(_pace_of_cosine(0.25) / 0.88, rel=0.1)
    assert events[0].up_pace_s < 0.4


def test_travel_time_of_a_descending_ramp() -> None:
    t = np.arange(0.0, 2.01, 0.01)
    values = 5.0 - 2.0 * t  # from 5 down to 1 in 2 s: 10 %..90 % of the way in 1.6 s
    assert travel_time_s(values, t, 0.1, 0.9) == pytest.approx(1.6, abs=1e-9)
    assert travel_time_s(np.full(5, 3.0), t[:5], 0.1, 0.9) == 0.0


def test_the_curling_knee_is_never_the_free_knee() -> None:
    knee = CurlingKnee()
    assert knee.flexion(10.0, 80.0) == 80.0  # the right knee curls
    assert math.isnan(knee.flexion(10.0, math.nan))  # it hid: the free knee is not the curl
    assert knee.flexion(math.nan, 85.0) == 85.0
    assert knee.flexion(12.0, 8.0) == 12.0  # both straight: the more bent one
    assert knee.flexion(11.0, math.nan) == 11.0  # now the left is the curling side
    assert math.isnan(knee.flexion(math.nan, math.nan))
    knee.reset()
    assert knee.flexion(math.nan, 9.0) == 9.0
