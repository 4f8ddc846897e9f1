"""Bad input through the real ``hamcoach`` command: exit code 2, one ``Error:`` line naming the
problem, one ``What to do:`` line, and never a traceback.

The videos are made here (OpenCV, 320x240, 64 frames of moving shapes) and are tiny, so the cases
that reach MediaPipe run it for real in about a second.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from hamcoach.errors import (
    InputNotFoundError,
    NoPersonError,
    TrackFormatError,
    UnknownExerciseError,
    UnreadableVideoError,
)
from hamcoach.exercises import EXERCISES
from hamcoach.io import sources
from hamcoach.track import load_track, save_track
from tests.closed_form import SquatSet, make_squat_track

HAMCOACH = Path(sys.executable).parent / "hamcoach"
N_FRAMES = 64
FPS = 30.0


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(cwd: Path, *args: str) -> Run:
    """The console script as a user runs it, in a narrow terminal (no line may be wrapped)."""
    env = {**os.environ, "COLUMNS": "60", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [str(HAMCOACH), *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def user_error_lines(run: Run) -> tuple[str, str]:
    """The ``Error:`` and ``What to do:`` lines of a failed run, after checking the failure is a
    clean user error."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == 2, (run.code, run.stderr)
    lines = run.stderr.splitlines()
    errors = [ln for ln in lines if ln.startswith("Error:")]
    todo = [ln for ln in lines if ln.startswith("What to do:")]
    assert len(errors) == 1, run.stderr
    assert len(todo) == 1, run.stderr
    assert len(todo[0]) > len("What to do: ") + 10, run.stderr
    return errors[0], todo[0]


def only_lines(run: Run) -> list[str]:
    """The non-blank stderr lines (for cases that never reach MediaPipe: nothing else may show)."""
    return [ln for ln in run.stderr.splitlines() if ln.strip()]


def write_shapes_video(path: Path, fourcc: str) -> None:
    """64 frames of a circle and a square moving over a dark background: no person anywhere."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*fourcc), FPS, (320, 240))
    assert writer.isOpened(), f"OpenCV cannot write {fourcc} here"
    for i in range(N_FRAMES):
        frame = np.full((240, 320, 3), 30, np.uint8)
        cv2.circle(frame, (20 + 4 * i, 120), 25, (0, 200, 255), -1)
        cv2.rectangle(frame, (200, 40 + i), (260, 100 + i), (255, 80, 0), -1)
        writer.write(frame)
    writer.release()


def write_first_half(src: Path, dst: Path) -> None:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the videos and tracks every case below uses."""
    d = tmp_path_factory.mktemp("media")
    write_shapes_video(d / "shapes.mp4", "mp4v")
    write_first_half(d / "shapes.mp4", d / "truncated.mp4")
    write_shapes_video(d / "shapes.avi", "MJPG")
    write_first_half(d / "shapes.avi", d / "truncated.avi")
    save_track(make_squat_track(SquatSet()), d / "squat.npz")
    return d


# --- files that are not there or not videos ------------------------------------------------------


@pytest.mark.parametrize("command", ["audit", "pose"])
def test_missing_file(media: Path, command: str) -> None:
    extra = ["-e", "squat"] if command == "audit" else ["-o", "out.npz"]
    run = run_cli(media, command, "missing.mp4", *extra)
    error, todo = user_error_lines(run)
    assert error == "Error: File not found: missing.mp4"
    assert todo == f"What to do: {InputNotFoundError.hint}"
    assert only_lines(run) == [error, todo]
    assert not (media / "out.npz").exists()


def test_file_name_with_brackets_is_printed_verbatim(media: Path) -> None:
    # Rich reads "[/b]" as a closing tag: unescaped, this name crashed the error printer itself.
    run = run_cli(media, "audit", "take[/b]2.mp4", "-e", "squat")
    error, _ = user_error_lines(run)
    assert error == "Error: File not found: take[/b]2.mp4"


def test_text_file_named_mp4(tmp_path: Path) -> None:
    (tmp_path / "clip.mp4").write_text("not a video, just text\n", encoding="utf-8")
    run = run_cli(tmp_path, "audit", "clip.mp4", "-e", "squat")
    error, todo = user_error_lines(run)
    assert error == "Error: Cannot open clip.mp4 as a video (unknown or damaged format)."
    assert todo == f"What to do: {UnreadableVideoError.hint}"
    # FFmpeg's and OpenCV's own diagnostics ("moov atom not found", "[ WARN:0] ...") are silenced.
    assert only_lines(run) == [error, todo]


def test_truncated_mp4_fails_clearly(media: Path) -> None:
    # OpenCV writes the MP4 index (moov) at the end: the first half of the file cannot be opened
    # at all, so this is a clean "cannot open" error rather than a partial audit.
    run = run_cli(media, "audit", "truncated.mp4", "-e", "squat")
    error, todo = user_error_lines(run)
    assert error == "Error: Cannot open truncated.mp4 as a video (unknown or damaged format)."
    assert todo == f"What to do: {UnreadableVideoError.hint}"
    assert only_lines(run) == [error, todo]


def test_truncated_avi_decodes_with_a_truncation_warning(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An AVI cut in half still decodes its first frames, and the header still announces 64: the
    # track says the file looks truncated. (No person is in the shapes, so the person check,
    # which runs after the warning is made, is switched off here.)
    monkeypatch.setattr(sources, "require_person", lambda track: None)
    track = sources.track_from_video(media / "truncated.avi")
    assert 0 < track.n_frames < sources.TRUNCATION_RATIO * N_FRAMES
    assert track.meta["frame_count_header"] == N_FRAMES
    assert track.meta["warnings"] == [
        f"The video decoded {track.n_frames} frames but its header announces {N_FRAMES}: "
        "the file may be truncated; the audit covers the decodable part."
    ]
    whole = sources.track_from_video(media / "shapes.avi")
    assert whole.n_frames == N_FRAMES
    assert whole.meta["warnings"] == []


def test_video_without_a_person(media: Path) -> None:
    run = run_cli(media, "audit", "shapes.mp4", "-e", "squat")
    error, todo = user_error_lines(run)
    assert error == (
        f"Error: No person was found in shapes.mp4 (a body was detected in 0% of {N_FRAMES} "
        "frames)."
    )
    assert todo == f"What to do: {NoPersonError.hint}"
    assert run.stdout == ""


# --- track files ---------------------------------------------------------------------------------


def test_npz_that_is_not_a_track(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "random.npz", a=rng.random((3, 4)), b=np.arange(5))
    run = run_cli(tmp_path, "audit", "random.npz", "-e", "squat")
    error, todo = user_error_lines(run)
    assert error == "Error: random.npz is not a HamCoach pose track (no 'header'/'image' arrays)."
    assert todo == f"What to do: {TrackFormatError.hint}"
    assert only_lines(run) == [error, todo]


def test_npy_array_named_npz(tmp_path: Path) -> None:
    # np.load returns a bare array for these (no archive to open): it used to end in a traceback.
    np.save(tmp_path / "keypoints.npy", np.zeros((10, 17, 2)))
    (tmp_path / "keypoints.npy").rename(tmp_path / "keypoints.npz")
    run = run_cli(tmp_path, "audit", "keypoints.npz", "-e", "squat")
    error, todo = user_error_lines(run)
    assert error == "Error: keypoints.npz is not a HamCoach pose track (not an .npz archive)."
    assert todo == f"What to do: {TrackFormatError.hint}"


def test_track_with_wrong_shape_image(media: Path, tmp_path: Path) -> None:
    with np.load(media / "squat.npz") as data:
        arrays = dict(data)
    n = arrays["image"].shape[0]
    arrays["image"] = arrays["image"][:, :17, :2]  # a COCO-17 2-D array where 33x3 belongs
    np.savez(tmp_path / "coco.npz", **arrays)
    run = run_cli(tmp_path, "audit", "coco.npz", "-e", "squat")
    error, todo = user_error_lines(run)
    assert error == (
        f"Error: Pose track is malformed: image must have shape (frames, 33, 3), got ({n}, 17, 2)."
    )
    assert todo == f"What to do: {TrackFormatError.hint}"
    assert only_lines(run) == [error, todo]


def _header(**fields: object) -> npt.NDArray[Any]:
    return np.array(json.dumps({"format": "hamcoach.pose_track", "version": 1, **fields}))


def _npy_bytes(array: npt.NDArray[Any]) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def _good_arrays() -> dict[str, npt.NDArray[Any]]:
    return {"image": np.zeros((2, 33, 3)), "confidence": np.zeros((2, 33)), "t_s": np.arange(2.0)}


SIZE = {"width": 640, "height": 480, "fps": 30.0}


DAMAGED_TRACKS: list[tuple[str, Callable[[Path], object], str]] = [
    (
        "text.npz",
        lambda p: p.write_text("hello\n", encoding="utf-8"),
        "text.npz is not a HamCoach pose track (not an .npz archive).",
    ),
    (
        "array.npz",  # a single .npy array under an .npz name
        lambda p: p.write_bytes(_npy_bytes(np.zeros(3))),
        "array.npz is not a HamCoach pose track (not an .npz archive).",
    ),
    (
        "nowidth.npz",
        lambda p: np.savez(p, header=_header(height=480, fps=30.0), **_good_arrays()),
        "The header of nowidth.npz lacks 'width'.",
    ),
    (
        "listheader.npz",
        lambda p: np.savez(p, header=np.array("[1, 2]"), **_good_arrays()),
        "listheader.npz is not a HamCoach pose track.",
    ),
    (
        "newer.npz",
        lambda p: np.savez(p, header=_header(version=99), **_good_arrays()),
        "newer.npz was written by a newer HamCoach (track format 99).",
    ),
    (
        "strings.npz",
        lambda p: np.savez(
            p,
            header=_header(**SIZE),
            image=np.full((2, 33, 3), "a"),
            confidence=np.zeros((2, 33)),
            t_s=np.arange(2.0),
        ),
        "Pose track is malformed: arrays must hold numbers "
        "(could not convert string to float: 'a').",
    ),
    (
        "noconf.npz",
        lambda p: np.savez(p, header=_header(**SIZE), image=np.zeros((2, 33, 3))),
        "Cannot read track file noconf.npz: 'confidence is not a file in the archive'",
    ),
]


@pytest.mark.parametrize(
    ("name", "write", "message"), DAMAGED_TRACKS, ids=[c[0] for c in DAMAGED_TRACKS]
)
def test_damaged_track_files_raise_track_format_error(
    tmp_path: Path, name: str, write: Callable[[Path], object], message: str
) -> None:
    path = tmp_path / name
    write(path)
    with pytest.raises(TrackFormatError) as info:
        load_track(path)
    assert str(info.value) == message


# --- arguments -----------------------------------------------------------------------------------


def test_unknown_exercise_lists_the_supported_ones(media: Path) -> None:
    run = run_cli(media, "audit", "squat.npz", "--exercise", "lunges")
    error, todo = user_error_lines(run)
    supported = ", ".join(EXERCISES)
    assert error == (f"Error: Unknown exercise 'lunges'. The exercises are: {supported}.")
    assert todo == f"What to do: {UnknownExerciseError.hint}"
    assert only_lines(run) == [error, todo]


def test_pose_output_must_be_npz(media: Path, tmp_path: Path) -> None:
    out = tmp_path / "track.txt"
    run = run_cli(media, "pose", "squat.npz", "-o", str(out))
    error, todo = user_error_lines(run)
    assert error == "Error: The track file must end in .npz (got track.txt)."
    assert todo == "What to do: Use -o track.npz."
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
