"""Lying bodies: how often BlazePose loses or garbles the pose on the bridge clips, with plain
tracking (before) and with HamCoach's recovering estimator (after).

Usage: .venv/bin/python scripts/lying_robustness.py [../shared/eval]
Counts per clip: frames with no pose, frames whose hips/knees jump more than half a trunk length
from the previous frame, left/right knee label swaps, and what the recovery did.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from hamcoach.evaluation.labels import load_labels
from hamcoach.io.mediapipe_pose import BlazePoseEstimator, RecoveringEstimator
from hamcoach.io.video import iter_video_frames
from hamcoach.track import FloatArray

CORE = [11, 12, 23, 24, 25, 26]


def run(path: Path, recovering: bool) -> tuple[FloatArray, dict[str, int]]:
    est = RecoveringEstimator() if recovering else BlazePoseEstimator()
    with est:
        poses = np.array([est.estimate(f.bgr).image for f in iter_video_frames(path)])
        stats = vars(est.stats) if isinstance(est, RecoveringEstimator) else {}
    return poses, dict(stats)


def problems(image: FloatArray) -> tuple[int, int, int]:
    lost = int((~np.isfinite(image[:, CORE, 0]).all(axis=1)).sum())
    sh = (image[:, 11, :2] + image[:, 12, :2]) / 2
    hp = (image[:, 23, :2] + image[:, 24, :2]) / 2
    torso = float(np.nanmedian(np.linalg.norm(sh - hp, axis=1)))
    step = np.linalg.norm(np.diff(image[:, CORE, :2], axis=0), axis=2)
    with np.errstate(all="ignore"):
        jumps = int((np.nanmax(step, axis=1) > 0.5 * torso).sum())
    kl, kr = image[:, 25, :2], image[:, 26, :2]
    keep = np.linalg.norm(kl[1:] - kl[:-1], axis=1) + np.linalg.norm(kr[1:] - kr[:-1], axis=1)
    swap = np.linalg.norm(kl[1:] - kr[:-1], axis=1) + np.linalg.norm(kr[1:] - kl[:-1], axis=1)
    swaps = int(((swap < 0.5 * keep) & (keep > 0.1 * torso)).sum())
    return lost, jumps, swaps


def main() -> None:
    eval_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval")
    clips = [c for c in load_labels(eval_dir) if "bridge" in c.exercise or "curl" in c.exercise]
    table = Table(title="Lying bodies: pose lost / jumps / knee swaps, before -> after recovery")
    for col in ("clip", "frames", "lost", "jumps", "swaps", "re-detected", "rotated"):
        table.add_column(col, justify="left" if col == "clip" else "right")
    totals = np.zeros(7, dtype=int)
    for clip in clips:
        before, _ = run(clip.file, recovering=False)
        after, stats = run(clip.file, recovering=True)
        b, a = problems(before), problems(after)
        row = [len(before), *b, *a]
        totals[: len(row)] += row
        table.add_row(
            clip.id,
            str(len(before)),
            *(f"{x} -> {y}" for x, y in zip(b, a, strict=True)),
            str(stats.get("recovered_redetect", 0)),
            str(stats.get("recovered_rotated", 0)),
        )
    Console().print(table)


if __name__ == "__main__":
    main()
