"""``hamcoach live`` on the desktop: frames from a webcam or a video file, BlazePose in Python,
the same :class:`~hamcoach.live.session.LiveSession` as the browser, and an OpenCV window (or,
headless, the events printed). The loop only wires parts together; each part is tested alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import cv2
import numpy as np

from hamcoach.io.mediapipe_pose import FramePose, RecoveringEstimator
from hamcoach.io.video import Frame, TimedFrame
from hamcoach.live.errors import DisplayUnavailableError
from hamcoach.live.frames import LandmarkFrame
from hamcoach.live.session import Event, LiveSession

WINDOW = "HamCoach live (q: end, s: next set, c: cramp, 0-9: pain)"
_BONES = (
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16), (11, 23), (12, 24), (23, 24), (23, 25),
    (25, 27), (27, 29), (29, 31), (27, 31), (24, 26), (26, 28), (28, 30), (30, 32), (28, 32),
)  # fmt: skip


def display_problem() -> str | None:
    """Why no window can be shown here (None: it can)."""
    gui = "NONE"
    for line in cv2.getBuildInformation().splitlines():
        if line.strip().startswith("GUI:"):
            gui = line.split(":", 1)[1].strip()
    if gui.upper() == "NONE":
        return "This OpenCV build has no GUI (opencv-python-headless)."
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return "There is no display (DISPLAY and WAYLAND_DISPLAY are not set)."
    return None


def require_display() -> None:
    problem = display_problem()
    if problem:
        raise DisplayUnavailableError(problem)


def to_landmark_frame(pose: FramePose, t_s: float, width: int, height: int) -> LandmarkFrame:
    """A Python BlazePose result in the browser's format (normalized, with visibility)."""
    if not pose.found:
        return LandmarkFrame(t_s * 1000.0, width, height, None, None)
    lm = np.column_stack(
        [
            pose.image[:, 0] / width,
            pose.image[:, 1] / height,
            pose.image[:, 2] / width,
            pose.confidence,
        ]
    )
    lm[~np.isfinite(lm)] = 0.0
    world = pose.world if np.isfinite(pose.world).all() else None
    return LandmarkFrame(t_s * 1000.0, width, height, lm, world)


def speaker() -> Callable[[str], None] | None:
    """Speak text aloud with the system's speech command (spd-say or espeak-ng), without
    waiting; None when neither is installed."""
    found = next((p for p in map(shutil.which, ("spd-say", "espeak-ng", "espeak")) if p), None)
    if found is None:
        return None
    exe: str = found

    def say(text: str) -> None:
        subprocess.Popen([exe, text], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return say


@dataclass
class Overlay:
    """What the window shows besides the picture: counts, the last cue and the status."""

    counts: dict[str, int] = field(default_factory=dict)
    cue: str = ""
    cue_until: float = 0.0
    status: str = ""

    def update(self, event: Event, now: float) -> None:
        if event["type"] == "rep":
            self.counts = event["counts"]
        elif event["type"] in ("cue", "advice"):
            self.cue, self.cue_until = event["text"], now + 5.0
        elif event["type"] in ("status", "hint"):
            self.status = event.get("message") or event.get("text", "")


def draw(bgr: Frame, pose: FramePose, overlay: Overlay, mirror: bool, now: float) -> Frame:
    """The frame with the skeleton, the counters and the current cue drawn on it."""
    out = bgr.copy()
    pts = pose.image[:, :2]
    for a, b in _BONES:
        if pose.confidence[a] >= 0.5 and pose.confidence[b] >= 0.5:
            p, q = pts[a], pts[b]
            if np.isfinite(p).all() and np.isfinite(q).all():
                cv2.line(out, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])), (255, 200, 50), 3)
    if mirror:
        out = np.ascontiguousarray(out[:, ::-1])
    c = overlay.counts
    text = f"reps {c.get('reps', 0)}  good {c.get('good', 0)}"
    if c and (c.get("left") != c.get("right")):
        left = f"{c.get('good_left', 0)}/{c.get('left', 0)}"
        text += f"  L {left}  R {c.get('good_right', 0)}/{c.get('right', 0)}"
    _label(out, text, 30)
    if overlay.cue and now < overlay.cue_until:
        _label(out, overlay.cue, out.shape[0] - 20)
    elif overlay.status:
        _label(out, overlay.status, out.shape[0] - 20, scale=0.5)
    return np.asarray(out, dtype=np.uint8)


def _label(img: Frame, text: str, y: int, scale: float = 0.7) -> None:
    cv2.putText(img, text, (10, y), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 4, cv2.LINE_AA)
    cv2.putText(
        img, text, (10, y), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1, cv2.LINE_AA
    )


_KEYS: dict[int, dict[str, object]] = {
    ord("s"): {"type": "start"},
    ord("c"): {"type": "cramp"},
    ord("f"): {"type": "stop"},
    **{ord(str(i)): {"type": "pain", "score": i} for i in range(10)},
}


@dataclass
class RunStats:
    frames: int = 0
    seconds: float = 0.0
    engine_s: float = 0.0

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0


def run(
    frames: Iterable[TimedFrame],
    session: LiveSession,
    on_event: Callable[[Event], None],
    *,
    window: bool,
    mirror: bool,
    realtime: bool = False,
    estimator_factory: Callable[[], RecoveringEstimator] = RecoveringEstimator,
) -> RunStats:
    """Coach ``frames`` live; every event goes to ``on_event``. With ``window``, an OpenCV
    window shows the picture (keys: q end, s next set, f finish set, c cramp, 0-9 pain)."""
    stats = RunStats()
    overlay = Overlay()
    t_start = time.perf_counter()

    def emit(events: list[Event]) -> None:
        for e in events:
            overlay.update(e, time.monotonic())
            on_event(e)

    emit(session.intro())
    first_t: float | None = None
    with estimator_factory() as estimator:
        for tf in frames:
            if first_t is None:
                first_t = tf.t_s
            if realtime:
                ahead = (tf.t_s - first_t) - (time.perf_counter() - t_start)
                if ahead > 0:
                    time.sleep(ahead)
            h, w = tf.bgr.shape[:2]
            pose = estimator.estimate(tf.bgr)
            t0 = time.perf_counter()
            emit(session.push(to_landmark_frame(pose, tf.t_s, w, h)))
            stats.engine_s += time.perf_counter() - t0
            stats.frames += 1
            if window:
                cv2.imshow(WINDOW, draw(tf.bgr, pose, overlay, mirror, time.monotonic()))
                key = cv2.waitKey(1) & 0xFF
                if key in (ord("q"), 27):
                    break
                if key in _KEYS:
                    emit(session.handle(_KEYS[key]))
            if session.phase == "ended":
                break
    emit(session.finish())
    stats.seconds = time.perf_counter() - t_start
    if window:
        cv2.destroyAllWindows()
    return stats
