"""The speed report's table: the ceiling is workers x the 1-process pose rate of the same run;
and the looped clip it also audits."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from hamcoach.bench.speed import SpeedReport, loop_clip
from hamcoach.io.video import iter_video_frames


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


def test_the_looped_clip_is_judged_against_the_clips_own_ceilings() -> None:
    r = report()
    r.long_loops, r.long_frames, r.long_e2e_s, r.long_pose_parallel_s = 4, 3600, 25.0, 24.0
    rows = {stage: (secs, fps, share) for stage, secs, fps, share in r.rows()}
    what = "4 x the clip, 3600 frames"
    # 3600 frames in 25 s = 144 frames/s against 2 x 80 (strict) and 2 x 75 (stage)
    assert rows[f"end-to-end audit, 2 processes (cold start), {what}"] == ("25.00", "144", "90%")
    assert rows[f"pose only, 2 processes (warm start), {what}"] == ("24.00", "150", "94%")
    assert rows[f"end-to-end audit against the stage ceiling, {what}"] == ("", "", "96%")
    assert not any("concurrent" in s and what in s for s in rows)
    r.pose_concurrent_s = [12.5, 12.0]  # 147 frames/s
    rows = {stage: share for stage, _, _, share in r.rows()}
    assert rows[f"end-to-end audit against the concurrent ceiling, {what}"] == "98%"


def test_a_clip_looped_end_to_end_decodes_to_the_same_frames_in_order(tmp_path: Path) -> None:
    src = tmp_path / "ramp.mp4"
    writer = cv2.VideoWriter(str(src), cv2.VideoWriter.fourcc(*"mp4v"), 25.0, (64, 48))
    for i in range(30):
        writer.write(np.full((48, 64, 3), 8 * i, dtype=np.uint8))
    writer.release()
    looped = tmp_path / "looped.mp4"
    loop_clip(src, looped, 3)
    once = list(iter_video_frames(src))
    thrice = list(iter_video_frames(looped))
    assert len(thrice) == 3 * len(once) == 90
    assert all(np.array_equal(a.bgr, b.bgr) for a, b in zip(thrice, once * 3, strict=True))
    # time runs on across the seams: one frame period apart everywhere
    assert np.allclose(np.diff([f.t_s for f in thrice]), 1 / 25.0, atol=1e-3)
