"""The synthetic benchmark's counting summary: exact counts, and exact counts where reps that
moved less than a full rep (a shallow squat, a sagging continuous bridge) may go either way."""

from __future__ import annotations

from hamcoach.bench.accuracy import SetResult, summarize_synthetic


def _set(true_reps: int, counted: int, short_reps: int) -> SetResult:
    return SetResult("S2", "squat", "rear", "default", true_reps, counted, short_reps=short_reps)


def test_a_short_rep_the_engine_calls_partial_is_exact_either_way_but_not_exact() -> None:
    summary = summarize_synthetic(
        [
            _set(4, 4, 0),  # exact
            _set(4, 3, 1),  # the one short rep was called partial: fine either way
            _set(4, 2, 1),  # one more missed than the short reps allow
            _set(4, 5, 1),  # a rep too many is never explained by short reps
        ]
    )
    row = summary["counting"]["noise/default"]
    assert row["exact_pct"] == 25.0
    assert row["exact_short_either_way_pct"] == 50.0
    assert row["off_by_one_pct"] == 50.0
