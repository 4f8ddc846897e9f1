"""Write a video as YUV4MPEG2 (.y4m): what Chromium's fake camera plays
(``--use-file-for-fake-video-capture``), for the browser tests and the latency benchmark."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

from hamcoach.io.video import iter_video_frames, probe_video

# Chromium run headless in a container, quiet: no sandbox (no user namespaces), no GPU, and none
# of the background traffic (component updates, sync) that a machine without network stalls on.
QUIET_CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def fake_camera_args(y4m: Path) -> list[str]:
    """Chromium flags that make ``y4m`` (:func:`write_y4m`) its webcam, allowed without asking,
    on top of :data:`QUIET_CHROMIUM_ARGS`."""
    return [
        *QUIET_CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
    ]


def write_y4m(
    video: Path,
    out: Path,
    *,
    max_side: int = 640,
    max_seconds: float | None = None,
    slowdown: float = 1.0,
) -> tuple[int, float]:
    """Convert ``video`` to ``out`` (4:2:0, even size, at most ``max_side`` px); returns the
    number of frames and the frame rate written. ``slowdown`` > 1 plays it in slow motion (for a
    browser too slow to keep up; the page's ``timescale`` takes the time back)."""
    info = probe_video(video)
    fps = info.fps if info.fps and info.fps > 0 else 30.0
    n = 0
    with open(out, "wb") as f:
        for frame in iter_video_frames(video):
            if max_seconds is not None and frame.t_s >= max_seconds:
                break
            bgr = frame.bgr
            h, w = bgr.shape[:2]
            scale = min(1.0, max_side / max(h, w))
            size = (round(w * scale) // 2 * 2, round(h * scale) // 2 * 2)
            if size != (w, h):
                bgr = np.asarray(
                    cv2.resize(bgr, size, interpolation=cv2.INTER_AREA), dtype=np.uint8
                )
            if n == 0:
                rate = Fraction(fps / slowdown).limit_denominator(1001)
                num, den = rate.numerator, rate.denominator
                f.write(f"YUV4MPEG2 W{size[0]} H{size[1]} F{num}:{den} Ip A1:1 C420jpeg\n".encode())
            yuv = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420))
            f.write(b"FRAME\n")
            f.write(yuv.tobytes())
            n += 1
    return n, fps / slowdown
