"""Live sessions kept in memory between connections, so a dropped WebSocket can resume.

A session whose client has gone is kept for ``resume_grace_s``; a client that comes back with the
session id and the last rep it saw gets the reps it missed. Expired sessions are ended (their
sets saved and the stored session closed) the next time the registry is touched.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from hamcoach.live.errors import LiveSessionNotFoundError
from hamcoach.live.session import LiveSession

# A page's ticket (who the patient is) is valid this long (s) after the page was served.
TICKET_TTL_S = 12 * 3600.0


@dataclass
class _Entry:
    session: LiveSession
    connections: int
    left_at: float | None


class SessionRegistry:
    """Thread-safe map of session id -> live session, with a grace period after disconnects."""

    def __init__(self, grace_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.grace_s = grace_s
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._tickets: dict[str, tuple[str, float]] = {}

    def add(self, session: LiveSession) -> LiveSession:
        self.purge()
        with self._lock:
            self._entries[session.id] = _Entry(session, 1, None)
        return session

    def attach(self, session_id: str) -> LiveSession:
        """A client reconnects to a session it had."""
        self.purge()
        with self._lock:
            entry = self._entries.get(session_id)
            if entry is None:
                raise LiveSessionNotFoundError(f"No live session {session_id[:8]}... to resume.")
            entry.connections += 1
            entry.left_at = None
            return entry.session

    def detach(self, session_id: str) -> None:
        """A client's connection closed: keep the session for the grace period."""
        with self._lock:
            entry = self._entries.get(session_id)
            if entry is None:
                return
            entry.connections = max(0, entry.connections - 1)
            if entry.connections == 0:
                entry.left_at = self.clock()
                if entry.session.phase == "ended":
                    del self._entries[session_id]

    def purge(self) -> list[LiveSession]:
        """End and forget sessions whose client has been gone longer than the grace period."""
        now = self.clock()
        with self._lock:
            gone = [
                k
                for k, e in self._entries.items()
                if e.left_at is not None and now - e.left_at > self.grace_s
            ]
            ended = [self._entries.pop(k).session for k in gone]
            self._tickets = {k: v for k, v in self._tickets.items() if v[1] > now}
        for s in ended:
            s.finish()
        return ended

    def __len__(self) -> int:
        return len(self._entries)

    def issue_ticket(self, patient: str) -> str:
        """A token that names the patient to the WebSocket (the page holds it, not the code)."""
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._tickets[token] = (patient, self.clock() + TICKET_TTL_S)
        return token

    def patient_of(self, ticket: str | None) -> str | None:
        if not ticket:
            return None
        with self._lock:
            found = self._tickets.get(ticket)
        if found is None or found[1] < self.clock():
            return None
        return found[0]
