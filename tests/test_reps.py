"""The rep engine on closed-form squat tracks with known reps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hamcoach.exercises import PAIR_DIFF_FADE_S, HipDropSignal, PairMean
from hamcoach.pipeline import analyze_track
from hamcoach.reps import RepEngine
from hamcoach.settings import DEFAULT_SETTINGS
from tests.closed_form import RepPlan, SquatSet, make_squat_track, true_rep_windows


@pytest.mark.parametrize("view", ["side", "front"])
@pytest.mark.parametrize("n_reps", [1, 3, 7])
def test_counts_every_complete_rep(view: str, n_reps: int) -> None:
    spec = SquatSet(reps=[RepPlan()] * n_reps, view=view)
    audit = analyze_track(make_squat_track(spec), "squat").audit
    assert audit.counts.reps == n_reps
    assert audit.counts.left == audit.counts.right == n_reps  # two-leg reps credit both legs
    assert [r.index for r in audit.reps] == list(range(1, n_reps + 1))


def test_rep_times_lie_inside_the_true_reps() -> None:
    spec = SquatSet(reps=[RepPlan(down_s=1.5, up_s=1.0)] * 3)
    audit = analyze_track(make_squat_track(spec), "squat").audit
    truth = true_rep_windows(spec)
    assert len(audit.reps) == len(truth)
    for rep, (t0, t1) in zip(audit.reps, truth, strict=True):
        assert t0 <= rep.start_s < rep.bottom_s < rep.end_s <= t1 + 0.05
        # The turning point is the middle of the 0.3 s hold at the bottom.
        assert rep.bottom_s == pytest.approx(t0 + 1.5 + 0.15, abs=0.1)


def test_phase_durations_order_fast_and_slow_descents() -> None:
    spec = SquatSet(reps=[RepPlan(down_s=0.8, up_s=1.0), RepPlan(down_s=3.0, up_s=1.0)])
    reps = analyze_track(make_squat_track(spec), "squat").audit.reps
    assert len(reps) == 2
    assert reps[1].down_s > reps[0].down_s + 1.2
    assert reps[0].up_s == pytest.approx(reps[1].up_s, abs=0.1)
    assert reps[0].pause_s == pytest.approx(0.3, abs=0.35)


def test_partial_range_pulses_are_not_reps() -> None:
    plans = [RepPlan(), RepPlan(range_fraction=0.3), RepPlan(), RepPlan(range_fraction=0.25)]
    analysis = analyze_track(make_squat_track(SquatSet(reps=plans)), "squat")
    assert analysis.audit.counts.reps == 2


def test_reps_cut_by_the_clip_ends_are_not_counted() -> None:
    # The clip opens at the bottom of a squat and ends in the middle of a descent, around
    # three complete reps: only those three count.
    spec = SquatSet(reps=[RepPlan()] * 3, start_mid_rep=True, end_mid_rep=True)
    analysis = analyze_track(make_squat_track(spec), "squat")
    assert analysis.audit.counts.reps == 3
    first_complete_start = true_rep_windows(spec)[0][0]
    assert analysis.audit.reps[0].start_s >= first_complete_start
    assert any("cut off by the end of the clip" in r for r in analysis.rejected)


def test_standing_still_is_not_a_rep() -> None:
    spec = SquatSet(reps=[RepPlan(range_fraction=0.0)], lead_in_s=3.0)
    assert analyze_track(make_squat_track(spec), "squat").audit.counts.reps == 0


def test_short_gap_is_bridged_and_long_gap_drops_the_rep_in_progress() -> None:
    track = make_squat_track(SquatSet(reps=[RepPlan()] * 3))
    short = track.replace(image=track.image.copy(), confidence=track.confidence.copy())
    short.image[40:44] = np.nan  # 0.13 s: interpolated
    short.confidence[40:44] = 0.0
    assert analyze_track(short, "squat").audit.counts.reps == 3
    medium = track.replace(image=track.image.copy(), confidence=track.confidence.copy())
    medium.image[60:95] = np.nan  # 1.2 s in the middle of rep 1 (a far knee hidden at the
    medium.confidence[60:95] = 0.0  # top of a curl): bridged, the rep still counts
    assert analyze_track(medium, "squat").audit.counts.reps == 3
    long = track.replace(image=track.image.copy(), confidence=track.confidence.copy())
    long.image[60:112] = np.nan  # 1.7 s over the start of rep 1: that rep cannot be judged
    long.confidence[60:112] = 0.0
    assert analyze_track(long, "squat").audit.counts.reps == 2


def test_engine_memory_is_bounded_over_an_hour_of_frames() -> None:
    engine: RepEngine[int] = RepEngine(DEFAULT_SETTINGS.reps, 0.3, 0.9, 0.1)
    fps = 30
    reps = 0
    for i in range(3600 * fps):
        t = i / fps
        progress = 0.5 - 0.5 * math.cos(2 * math.pi * t / 4.0)  # one squat every 4 s
        if engine.push(t, i, progress, i) is not None:
            reps += 1
        assert len(engine._buf) < 10 * fps  # never more than a rep's worth of frames
    assert reps == pytest.approx(900, abs=1)


def test_the_mean_of_two_knees_does_not_step_when_one_drops_out() -> None:
    knees = PairMean()
    assert knees.mean(40.0, 35.0, 0.0) == 37.5
    # the left knee alone, less half the gap just seen
    assert knees.mean(42.0, math.nan, 0.0) == 39.5
    assert knees.mean(math.nan, 38.0, 0.0) == 40.5
    assert math.isnan(knees.mean(math.nan, math.nan, 0.0))
    # the gap fades the longer the other knee stays unseen: after 3 s it is all but gone
    assert knees.mean(math.nan, 38.0, PAIR_DIFF_FADE_S) == pytest.approx(38.0 + 2.5 / math.e)
    assert knees.mean(math.nan, 38.0, 3.0) == pytest.approx(38.0, abs=0.01)
    knees.reset()
    assert knees.mean(math.nan, 38.0, 3.0) == 38.0  # no gap seen yet


def _engine_reps(progress: list[float], fps: float = 30.0) -> int:
    engine: RepEngine[int] = RepEngine(DEFAULT_SETTINGS.reps, 0.3, 0.9, 0.1)
    reps = sum(engine.push(i / fps, i, p, i) is not None for i, p in enumerate(progress))
    return reps + (engine.finish() is not None)


def _cosine_reps(low: float, high: float, n: int, rep_s: float = 4.0, fps: float = 30.0):
    frames = round(rep_s * fps)
    return [
        low + (high - low) * 0.5 * (1 - math.cos(2 * math.pi * k / frames))
        for _ in range(n)
        for k in range(frames)
    ]


def test_a_set_that_never_returns_to_the_start_posture_rests_where_it_holds_still() -> None:
    # Every rep of this set stops short of the start posture (a ball curl that never
    # straightens the knees): the body holds still at 0.5 before the first rep, and that
    # hold is its rest, so all three reps count.
    hold = [0.5] * 60
    assert _engine_reps(hold + _cosine_reps(0.5, 1.3, 3) + hold) == 3


def test_a_clip_opening_mid_movement_does_not_take_the_movement_for_rest() -> None:
    # The clip opens on the way up of a rep (moving, never still for a second): that rep
    # cannot be judged; the two after it, from the real rest at 0, count.
    rise = [0.5 + 0.8 * k / 45 for k in range(45)]
    fall = [1.3 * (1 - k / 45) for k in range(46)]
    assert _engine_reps(rise + fall + [0.0] * 30 + _cosine_reps(0.0, 1.0, 2) + [0.0] * 30) == 2


def test_a_squats_range_is_compared_in_how_far_the_thighs_turned() -> None:
    """HipDropSignal.range_measure: progress (1 - sine of the thighs' elevation) to the thighs'
    turn from vertical in right angles; a squat 25 deg short of parallel against one 10 deg
    below: 49 % of the hip drop, 65 % of the turn."""
    turn = HipDropSignal.range_measure
    assert turn(0.0) == 0.0 and turn(1.0) == 1.0
    shallow, deep = 1 - math.sin(math.radians(25)), 1 + math.sin(math.radians(10))
    assert shallow / deep == pytest.approx(0.49, abs=0.005)
    assert turn(shallow) / turn(deep) == pytest.approx(0.65, abs=0.005)
