"""Run the audit over every labelled clip of an evaluation folder (pose cached, two processes)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from hamcoach.errors import HamCoachError
from hamcoach.evaluation.labels import ClipLabel, load_labels
from hamcoach.evaluation.metrics import ClipResult
from hamcoach.exercises import EXERCISES
from hamcoach.io.cache import cached_track
from hamcoach.io.sources import track_from_video
from hamcoach.pipeline import analyze_track, identify_track
from hamcoach.settings import DEFAULT_SETTINGS, Settings
from hamcoach.track import silence_missing_joint_warnings


def supported_clips(eval_dir: Path) -> list[ClipLabel]:
    """Labelled clips of the exercises HamCoach supports."""
    return [c for c in load_labels(eval_dir) if c.exercise in EXERCISES]


def evaluated_clips(eval_dir: Path) -> list[ClipLabel]:
    """Clips to audit (supported exercises) or to name (any clip usable for exercise_id)."""
    return [
        c for c in load_labels(eval_dir) if c.exercise in EXERCISES or "exercise_id" in c.usable_for
    ]


# Clips carry no program stage; stage-only checks are scored in the stage that requires them
# (the continuous bridge B2 forbids resting at the bottom, so its labels can be checked).
EVAL_STAGES = {"bridge": "B2", "ball_curl": "C2"}


def audit_clip(label: ClipLabel, settings: Settings = DEFAULT_SETTINGS) -> ClipResult:
    """Pose (from the cache when possible) and audit one labelled clip."""
    silence_missing_joint_warnings()
    try:
        track = cached_track(label.file, lambda: track_from_video(label.file))
        if label.exercise not in EXERCISES:
            return ClipResult(label, None, identified=identify_track(track, settings).exercise)
        stage = EVAL_STAGES.get(label.exercise)
        analysis = analyze_track(track, label.exercise, settings, stage)
    except HamCoachError as exc:
        return ClipResult(label, None, exc.message)
    return ClipResult(label, analysis.audit, identified=analysis.audit.exercise_detected)


def run_evaluation(
    eval_dir: Path,
    workers: int = 2,
    settings: Settings = DEFAULT_SETTINGS,
    on_done: Callable[[ClipResult], None] | None = None,
) -> list[ClipResult]:
    clips = evaluated_clips(eval_dir)
    results: list[ClipResult] = []
    if workers <= 1:
        for c in clips:
            results.append(audit_clip(c, settings))
            if on_done:
                on_done(results[-1])
        return results
    # "spawn": a forked child of a process that already ran MediaPipe can die (native threads).
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as ex:
        for res in ex.map(audit_clip, clips, [settings] * len(clips)):
            results.append(res)
            if on_done:
                on_done(res)
    return results
