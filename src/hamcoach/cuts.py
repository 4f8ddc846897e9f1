"""Camera cuts (or the tracker jumping to another person) in a stream of feature rows.

A cut moves the body in the picture at once; exercise moves the hips gradually. Smoothing
spreads a cut's step over a few frames, so each frame is compared with the frame ``window_s``
earlier, not with the previous one: that comparison sees the whole step, while hips moving at
exercise speed travel far less in so short a time. The jump must hold for ``confirm_frames``
frames in a row (a one-frame spike is pose noise), and one cut is reported once. Across a gap
(frames without a person) the allowed jump grows in proportion to the time the gap lasted: a
squat dropped while the person was unseen for 0.25 s is not a cut.

The jump is measured in body sizes: the longest segment (a leg's thigh + shank, or the torso)
seen over the last few seconds. Any single segment can look tiny for a while (a leg or torso
pointing at the camera, a free leg hiding), the body does not shrink. A change of size alone
is not taken as a cut: on synthetic sets filmed along the body, legs and torso foreshorten
together by 2x within 0.1 s as the hips lift, which no size rule separated from a zoom.
"""

from __future__ import annotations

import math
from collections import deque

from hamcoach.features import INDEX
from hamcoach.settings import CutSettings
from hamcoach.track import FloatArray

Frame = tuple[float, float, float]  # t (s), hip x, hip y (px)


def body_segments_px(row: FloatArray) -> list[float]:
    """The body's segment lengths seen in a row (pixels): each leg (thigh + shank), the torso."""
    values = (
        row[INDEX["thigh_len_l"]] + row[INDEX["shank_len_l"]],
        row[INDEX["thigh_len_r"]] + row[INDEX["shank_len_r"]],
        row[INDEX["torso_len"]],
    )
    return [float(v) for v in values if math.isfinite(v) and v > 0]


class CutDetector:
    """Push feature rows in time order; ``push`` is True on the frame a cut is confirmed."""

    def __init__(self, settings: CutSettings) -> None:
        self.settings = settings
        self._past: deque[Frame] = deque()
        self._run = 0
        self._quiet_until = -math.inf
        self._size = math.nan  # the body's recent size: a decaying max of its segments (px)
        self._size_t = -math.inf

    def push(self, row: FloatArray) -> bool:
        t = float(row[INDEX["t_s"]])
        now = (t, float(row[INDEX["hip_x"]]), float(row[INDEX["hip_y"]]))
        if not (math.isfinite(now[1]) and math.isfinite(now[2])):
            return False
        segments = body_segments_px(row)
        self._track_size(t, segments)
        ref = self._reference(t)
        self._past.append(now)
        if ref is None or not self._jumped(ref, now):
            self._run = 0
            return False
        self._run += 1
        if self._run < self.settings.confirm_frames or t < self._quiet_until:
            return False
        self._quiet_until = t + self.settings.window_s
        self._size = math.nan
        self._track_size(t, segments)
        self._past.clear()
        self._past.append(now)
        return True

    def _reference(self, t: float) -> Frame | None:
        """The newest frame at least ``window_s`` old (older ones are dropped)."""
        ref = None
        while self._past and t - self._past[0][0] >= self.settings.window_s:
            ref = self._past.popleft()
        if ref is not None:
            self._past.appendleft(ref)
        return ref

    def _jumped(self, ref: Frame, now: Frame) -> bool:
        if not math.isfinite(self._size):
            return False
        jump = math.hypot(now[1] - ref[1], now[2] - ref[2])
        # across a gap in the signal (the person unseen for a moment) the body had longer to
        # move: the allowance grows with the time between the frames compared
        elapsed = max(now[0] - ref[0], self.settings.window_s)
        allowed = self.settings.hip_jump_sizes * self._size * elapsed / self.settings.window_s
        return jump > allowed

    def _track_size(self, t: float, segments: list[float]) -> None:
        """Update the body's size: the longest segment seen lately, forgotten over
        ``size_memory_s``."""
        if not segments:
            return
        if math.isfinite(self._size):
            decay = math.exp(-(t - self._size_t) / self.settings.size_memory_s)
            self._size = max(self._size * decay, *segments)
        else:
            self._size = max(segments)
        self._size_t = t
