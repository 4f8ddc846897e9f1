"""A small in-process sliding-window rate limiter (no third-party service)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """Counts events per key within a window; ``hit`` says whether one more is allowed."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _window(self, key: str, window_s: float) -> deque[float]:
        now = self._clock()
        q = self._events.setdefault(key, deque())
        while q and q[0] <= now - window_s:
            q.popleft()
        return q

    def allowed(self, key: str, limit: int, window_s: float) -> bool:
        """Whether fewer than ``limit`` events were recorded for ``key`` in the window."""
        with self._lock:
            return len(self._window(key, window_s)) < limit

    def hit(self, key: str, limit: int, window_s: float) -> bool:
        """Record an event if allowed; whether it was."""
        with self._lock:
            q = self._window(key, window_s)
            if len(q) >= limit:
                return False
            q.append(self._clock())
            return True

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)
