"""The speed report's table: the ceiling is workers x the 1-process pose rate of the same run."""

from __future__ import annotations

from hamcoach.bench.speed import SpeedReport


def report() -> SpeedReport:
    return SpeedReport(
        clip="squat.mp4",
        width=1280,
        height=720,
        frames=900,
        decode_s=0.72,
        pose_1proc_s=11.25,
        pose_1proc_cpu_s=13.2,
        pose_1proc_wall_s=12.0,
        pose_parallel_s=6.25,
        e2e_parallel_s=6.5,
        analysis_s=0.045,
        workers=2,
        reps=5,
        peak_rss_mb=300.0,
    )


def test_rows_give_each_stage_its_share_of_the_ceiling() -> None:
    rows = {stage: (secs, fps, share) for stage, secs, fps, share in report().rows()}
    assert rows["pose, 1 process"] == ("11.25", "80", "")
    assert rows["pose-only ceiling (2 x 1 process)"] == ("", "160", "100%")
    assert rows["pose only, 2 processes (warm start)"] == ("6.25", "144", "90%")
    assert rows["end-to-end audit, 2 processes (cold start)"] == ("6.50", "138", "87%")
    assert rows["CPU of that process (decode + pose, CPU s)"] == ("13.20", "", "1.10 cores")
    # the whole pose-only stage (decode included, 12.0 s for 900 frames) as its own ceiling
    stage = "pose-only stage ceiling, decode included (2 x 1 process)"
    assert rows[stage] == ("", "150", "6% of it decoding")
    assert rows["end-to-end audit against the stage ceiling"] == ("", "", "92%")


def test_the_concurrent_ceiling_sums_the_rates_of_processes_posing_at_once() -> None:
    r = report()
    r.pose_concurrent_s = [12.5, 12.0]  # each posed all 900 frames: 72 + 75 frames/s
    rows = {stage: (secs, fps, share) for stage, secs, fps, share in r.rows()}
    ceiling = "pose-only ceiling, 2 processes posing at once (decode excluded)"
    assert rows[ceiling] == ("", "147", "92% of 2 x 1 process")
    # 900 frames in 6.5 s = 138.5 frames/s against 147
    assert rows["end-to-end audit against the concurrent ceiling"] == ("", "", "94%")


def test_without_a_concurrent_run_its_rows_are_left_out() -> None:
    stages = [row[0] for row in report().rows()]
    assert not any("concurrent" in s or "at once" in s for s in stages)
