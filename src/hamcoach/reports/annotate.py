"""The annotated video: the source video with the skeleton, a rep counter (per leg for
single-leg exercises) and, from the moment each rep ends, its verdict and cue for ~2 s.

Streaming: one frame is decoded, drawn and written at a time (bounded memory). Written with
OpenCV's VideoWriter (``mp4v``) at the source's frame rate and frame size. Without a video (a
track file) or with ``show_frames=False``, the skeleton is drawn on a plain background.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from hamcoach.audit import Rep
from hamcoach.errors import HamCoachError
from hamcoach.exercises import EXERCISES
from hamcoach.io.video import TimedFrame, probe_video
from hamcoach.pipeline import Analysis
from hamcoach.reports import drawing, series
from hamcoach.reports.frames import close_iterator, iter_source_frames

CUE_SECONDS = 2.0
MP4V: int = cv2.VideoWriter.fourcc(*"mp4v")
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov"})


class AnnotationError(HamCoachError):
    hint = "Give an output path ending in .mp4, in a folder you can write to."


@dataclass(frozen=True)
class Message:
    """Text shown on the video from ``first`` to ``last`` frame (inclusive)."""

    first: int
    last: int
    lines: tuple[str, ...]
    color: drawing.Color


@dataclass(frozen=True)
class Tally:
    """Counts reached at a frame."""

    reps: int = 0
    good: int = 0
    left: int = 0
    right: int = 0
    good_left: int = 0
    good_right: int = 0


def rep_message(rep: Rep, first: int, last: int) -> Message:
    """What to show when ``rep`` ends: its cue(s) when it has a fault, else its verdict."""
    cues = [f.cue for f in rep.findings if f.verdict == "fail" and f.cue]
    if cues:
        return Message(first, last, (f"Rep {rep.index}:", *dict.fromkeys(cues)), drawing.FAULT)
    if rep.good:
        return Message(first, last, (f"Rep {rep.index}: good rep",), drawing.GOOD)
    return Message(
        first,
        last,
        (f"Rep {rep.index} counted; some form points could not be judged",),
        (0, 140, 200),
    )


def plan_messages(analysis: Analysis, fps: float) -> list[Message]:
    """One message per rep, from its end frame for :data:`CUE_SECONDS` (cut short by the next)."""
    ends = [(series.rep_frames(analysis, r).end, r) for r in analysis.audit.reps]
    ends.sort(key=lambda e: e[0])
    span = max(1, round(CUE_SECONDS * fps))
    out = []
    for k, (end, rep) in enumerate(ends):
        last = end + span - 1
        if k + 1 < len(ends):
            last = min(last, ends[k + 1][0] - 1)
        out.append(rep_message(rep, end, max(end, last)))
    return out


def tally_at(analysis: Analysis, frame: int) -> Tally:
    """Rep counts of the reps that have ended at or before ``frame``."""
    done = [r for r in analysis.audit.reps if series.rep_frames(analysis, r).end <= frame]
    return Tally(
        reps=len(done),
        good=sum(r.good for r in done),
        left=sum(r.leg in ("left", "both") for r in done),
        right=sum(r.leg in ("right", "both") for r in done),
        good_left=sum(r.good and r.leg in ("left", "both") for r in done),
        good_right=sum(r.good and r.leg in ("right", "both") for r in done),
    )


def counter_text(tally: Tally, single_leg: bool) -> str:
    if single_leg:
        return (
            f"Left {tally.left} (good {tally.good_left})   "
            f"Right {tally.right} (good {tally.good_right})"
        )
    return f"Reps {tally.reps}   Good {tally.good}"


def _draw_text_block(
    img: drawing.Image,
    lines: list[str],
    top: int,
    color: drawing.Color,
    scale: float,
    thick: int,
    *,
    bottom: bool = False,
) -> None:
    """White box with lines of text across the frame, at ``top`` (or the bottom)."""
    font = cv2.FONT_HERSHEY_SIMPLEX
    h_line = cv2.getTextSize("Ag", font, scale, thick)[0][1] + round(12 * scale)
    height = h_line * len(lines) + round(12 * scale)
    width = max(cv2.getTextSize(t, font, scale, thick)[0][0] for t in lines) + round(24 * scale)
    y0 = img.shape[0] - height - round(10 * scale) if bottom else top
    x0 = round(10 * scale)
    x1, y1 = min(img.shape[1], x0 + width), min(img.shape[0], y0 + height)
    y0 = max(0, y0)
    roi = img[y0:y1, x0:x1]
    # Lighten the box (82% white) so the text reads on any picture; only the box is touched.
    roi[:] = (roi.astype(np.uint16) * 18 // 100 + 209).astype(np.uint8)
    for k, text in enumerate(lines):
        y = y0 + h_line * (k + 1)
        cv2.putText(img, text, (x0 + round(12 * scale), y), font, scale, color, thick, cv2.LINE_AA)


def annotate_frame(
    img: drawing.Image,
    analysis: Analysis,
    frame: int,
    tally: Tally,
    message: Message | None,
    *,
    on_video: bool,
    single_leg: bool,
) -> None:
    """Draw the skeleton, the rep counter and the current message on one frame (in place)."""
    h, w = img.shape[:2]
    scale = max(0.45, min(w, h) / 720.0 * 0.85)
    thick = max(1, round(2 * scale))
    track = analysis.cleaned
    if 0 <= frame < track.n_frames:
        drawing.draw_skeleton(
            img,
            track.image[frame, :, :2],
            track.confidence[frame],
            on_video=on_video,
            thickness=max(2, round(min(w, h) / 240)),
        )
    _draw_text_block(
        img, [counter_text(tally, single_leg)], round(10 * scale), (40, 40, 40), scale, thick
    )
    if message is not None:
        max_px = w - round(60 * scale)
        lines: list[str] = []
        for text in message.lines:
            lines += drawing.wrap_text(text, max_px, scale * 0.9, thick)
        _draw_text_block(img, lines, 0, message.color, scale * 0.9, thick, bottom=True)


def _frames(
    analysis: Analysis, video_path: Path | None, show_frames: bool
) -> tuple[Iterator[TimedFrame], float, bool]:
    """The frames to draw on, the frame rate, and whether they are video pictures."""
    track = analysis.track
    if video_path is not None and show_frames:
        fps = track.fps
        if not video_path.is_dir():
            fps = probe_video(video_path).fps or track.fps
        return iter_source_frames(video_path, track.fps), fps, True
    if video_path is not None and not video_path.is_dir():
        info = probe_video(video_path)
        size = (info.width or track.width, info.height or track.height)
        fps = info.fps or track.fps
    else:
        size, fps = (track.width, track.height), track.fps

    def plain() -> Iterator[TimedFrame]:
        for i in range(track.n_frames):
            yield TimedFrame(i, float(track.t_s[i]), drawing.neutral_canvas(*size))

    return plain(), fps, False


def write_annotated_video(
    analysis: Analysis,
    video_path: Path | None,
    out_path: Path,
    *,
    show_frames: bool = True,
) -> Path:
    """Write the annotated video of one analysed set to ``out_path`` (mp4v, source fps/size)."""
    out_path = Path(out_path)
    if out_path.suffix.lower() not in VIDEO_SUFFIXES:
        raise AnnotationError(f"The annotated video must be an .mp4 file (got {out_path.name}).")
    frames, fps, on_video = _frames(analysis, video_path, show_frames)
    fps = fps if fps > 0 else 30.0
    spec = EXERCISES.get(analysis.audit.exercise)
    single_leg = spec.single_leg if spec else analysis.audit.exercise.startswith("single_leg")
    messages = plan_messages(analysis, fps)
    ends = sorted(series.rep_frames(analysis, r).end for r in analysis.audit.reps)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.stem + ".partial" + out_path.suffix)
    writer: cv2.VideoWriter | None = None
    written = 0
    try:
        msg_i = end_i = 0
        tally = Tally()
        for tf in frames:
            img = tf.bgr
            if writer is None:
                h, w = img.shape[:2]
                writer = cv2.VideoWriter(str(tmp), MP4V, fps, (w, h))
                if not writer.isOpened():
                    raise AnnotationError(f"Cannot write a video to {out_path}.")
            if end_i < len(ends) and ends[end_i] <= tf.index:
                while end_i < len(ends) and ends[end_i] <= tf.index:
                    end_i += 1
                tally = tally_at(analysis, tf.index)
            while msg_i < len(messages) and messages[msg_i].last < tf.index:
                msg_i += 1
            current = messages[msg_i] if msg_i < len(messages) else None
            if current is not None and current.first > tf.index:
                current = None
            annotate_frame(
                img, analysis, tf.index, tally, current, on_video=on_video, single_leg=single_leg
            )
            writer.write(img)
            written += 1
    finally:
        close_iterator(frames)
        if writer is not None:
            writer.release()
    if written == 0:
        tmp.unlink(missing_ok=True)
        raise AnnotationError("There were no frames to write.")
    tmp.replace(out_path)
    return out_path
