"""Sessions kept for a grace period after the client left, then ended (and saved)."""

from __future__ import annotations

import pytest

from hamcoach.live.errors import LiveSessionNotFoundError
from hamcoach.live.registry import SessionRegistry
from hamcoach.live.session import LiveSession
from tests.live.helpers import frames, squat_track, stream
from tests.live.test_session import FakeSink


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_session_waits_for_its_client_then_ends_and_is_saved() -> None:
    clock = Clock()
    registry = SessionRegistry(grace_s=60.0, clock=clock)
    sink = FakeSink()
    session = registry.add(LiveSession(stage="S2", sink=sink))
    stream(session, frames(squat_track("side")))
    registry.detach(session.id)
    clock.now = 59.0
    assert registry.attach(session.id) is session  # back in time
    registry.detach(session.id)
    clock.now = 200.0
    assert registry.purge() == [session]
    assert session.phase == "ended" and sink.closed == ("completed", "")
    assert sink.sets and sink.sets[0][0].counts.reps == 5
    with pytest.raises(LiveSessionNotFoundError):
        registry.attach(session.id)


def test_tickets_name_the_patient_until_they_expire() -> None:
    clock = Clock()
    registry = SessionRegistry(grace_s=60.0, clock=clock)
    ticket = registry.issue_ticket("P001")
    assert registry.patient_of(ticket) == "P001"
    assert registry.patient_of("forged") is None and registry.patient_of(None) is None
    clock.now = 13 * 3600.0
    assert registry.patient_of(ticket) is None
