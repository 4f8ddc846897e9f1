"""The annotated video: same frame count, fps and size as the source; counter and cues on time."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from hamcoach.checks import REGISTRY
from hamcoach.errors import HamCoachError
from hamcoach.pipeline import Analysis
from hamcoach.reports import write_annotated_video
from hamcoach.reports.annotate import (
    CUE_SECONDS,
    Tally,
    counter_text,
    plan_messages,
    tally_at,
)
from hamcoach.reports.series import rep_frames
from tests.reports.conftest import write_numbered_video


def video_facts(path: Path) -> tuple[int, float, int, int]:
    cap = cv2.VideoCapture(str(path))
    n = 0
    while cap.read()[0]:
        n += 1
    facts = (
        n,
        cap.get(cv2.CAP_PROP_FPS),
        int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
        int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
    )
    cap.release()
    return facts


def test_fault_cue_shows_from_the_rep_end_for_about_two_seconds(
    small_shallow_side: Analysis,
) -> None:
    analysis = small_shallow_side
    fps = analysis.track.fps
    messages = plan_messages(analysis, fps)
    assert len(messages) == analysis.audit.counts.reps == 3
    for msg, rep in zip(messages, analysis.audit.reps, strict=True):
        end = rep_frames(analysis, rep).end
        assert msg.first == end
        assert msg.last - msg.first + 1 <= round(CUE_SECONDS * fps)
        if rep.good:
            assert msg.lines == (f"Rep {rep.index}: good rep",)
        else:
            assert REGISTRY["squat.depth"].cue in msg.lines
    # The rushed third rep shows both of its cues.
    assert REGISTRY["tempo.controlled"].cue in messages[2].lines


def test_counter_counts_reps_when_they_end(small_shallow_side: Analysis) -> None:
    analysis = small_shallow_side
    ends = [rep_frames(analysis, r).end for r in analysis.audit.reps]
    assert tally_at(analysis, ends[0] - 1).reps == 0
    assert tally_at(analysis, ends[0]) == Tally(1, 0, 1, 1, 0, 0)
    assert tally_at(analysis, ends[-1]).reps == 3 and tally_at(analysis, ends[-1]).good == 1
    assert counter_text(Tally(3, 1, 3, 3, 1, 1), single_leg=False) == "Reps 3   Good 1"
    assert counter_text(Tally(5, 4, 3, 2, 3, 1), single_leg=True).startswith("Left 3 (good 3)")


def test_annotated_video_keeps_the_source_frames_fps_and_size(
    small_shallow_side: Analysis, tmp_path: Path
) -> None:
    track = small_shallow_side.track
    video = write_numbered_video(track, tmp_path / "in.mp4")
    out = write_annotated_video(small_shallow_side, video, tmp_path / "out" / "annotated.mp4")
    n, fps, w, h = video_facts(out)
    assert (n, w, h) == (track.n_frames, track.width, track.height)
    assert fps == pytest.approx(track.fps, abs=0.01)
    assert not list((tmp_path / "out").glob("*.partial*"))


def test_annotated_video_without_video_draws_the_skeleton(
    small_shallow_side: Analysis, tmp_path: Path
) -> None:
    out = write_annotated_video(small_shallow_side, None, tmp_path / "skeleton.mp4")
    n, _, w, h = video_facts(out)
    assert (n, w, h) == (small_shallow_side.track.n_frames, 320, 250)


def test_annotated_video_must_be_mp4(small_shallow_side: Analysis, tmp_path: Path) -> None:
    with pytest.raises(HamCoachError, match=r"\.mp4"):
        write_annotated_video(small_shallow_side, None, tmp_path / "out.gif")
