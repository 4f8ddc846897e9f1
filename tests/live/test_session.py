"""LiveSession on synthetic landmark streams with known reps (no transport, no camera)."""

from __future__ import annotations

from typing import Literal

import pytest

from hamcoach.audit import Audit
from hamcoach.live.errors import LiveProtocolError
from hamcoach.live.frames import LandmarkFrame, parse_frame
from hamcoach.live.session import LiveSession
from hamcoach.live.settings import LiveSettings
from hamcoach.program.rules_settings import DEFAULT_RULES, ProgramRules
from hamcoach.settings import DEFAULT_SETTINGS, Settings
from tests.live.helpers import frames, of_type, squat_track, stream, with_knees_unclear


@pytest.mark.parametrize("view", ["side", "front"])
def test_counts_every_rep_of_a_synthetic_set(view: str) -> None:
    session = LiveSession(stage="S2")
    events = stream(session, frames(squat_track(view)))
    events += session.finish()
    reps = of_type(events, "rep")
    assert [r["index"] for r in reps] == [1, 2, 3, 4, 5]
    assert reps[-1]["counts"]["reps"] == 5
    assert all(r["leg"] == "both" for r in reps)
    # The view is judged before the first rep, and the placement hint names the checks it
    # cannot run from there.
    first_rep = events.index(reps[0])
    ready = [e for e in events[:first_rep] if e["type"] == "status" and e["phase"] == "active"]
    assert ready and ready[0]["view"] == view
    hints = of_type(events[:first_rep], "hint")
    missing = {c for h in hints for c in h["checks"]}
    if view == "side":
        assert missing == {"squat.knee_valgus", "squat.knees_together_ascent"}
    else:
        assert missing == {"squat.depth", "squat.knees_past_toes"}


@pytest.mark.parametrize("view", ["side", "front"])
def test_a_slow_device_at_10_fps_still_counts_correctly(view: str) -> None:
    session = LiveSession(stage="S2")
    events = stream(session, frames(squat_track(view), step=3))  # 30 fps -> 10 fps
    events += session.finish()
    assert len(of_type(events, "rep")) == 5


# Frames that hold the first full rep of squat_track (lead-in, a 3.2 s descent, the return).
FIRST_REP_FRAMES = 300


def test_rep_events_arrive_as_the_rep_ends() -> None:
    session = LiveSession(stage="S2")
    reps = of_type(stream(session, frames(squat_track("side"))), "rep")
    # Stream time from the rep's end to the frame whose arrival closed it.
    delays = [r["emitted_s"] - r["end_s"] for r in reps]
    assert max(delays) <= 0.15, delays


def test_hidden_knees_give_i_cant_see_not_a_fault() -> None:
    track = with_knees_unclear(squat_track("front"), after_s=1.7, visibility=0.4)
    session = LiveSession(stage="S2")
    events = stream(session, frames(track))
    reps = of_type(events, "rep")
    assert len(reps) == 5
    knee_checks = [f for r in reps for f in r["findings"] if f["check"] == "squat.knee_valgus"]
    assert {f["verdict"] for f in knee_checks} == {"unknown"}
    cues = of_type(events, "cue")
    assert cues and cues[0]["kind"] == "unseen"
    assert "can't see your knees" in cues[0]["text"]
    assert not any(c["kind"] == "fault" and "knee" in c["check"] for c in cues)


def test_hidden_body_during_warm_up_asks_to_step_back() -> None:
    track = with_knees_unclear(squat_track("front"), after_s=-1.0, visibility=0.1)
    session = LiveSession(stage="S2")
    events = stream(session, frames(track))
    assert session.phase == "warmup"
    assert not of_type(events, "rep")
    asks = [e["message"] for e in of_type(events, "status")]
    assert asks and all("I can't see your knees" in m for m in asks)


def test_cues_respect_the_cooldown() -> None:
    # A stage whose check every rep fails: a tempo far too fast for the 60 s minimum.
    rules_fast = LiveSettings(cue_cooldown_s=60.0, same_cue_cooldown_s=0.0)
    settings = _strict_tempo()
    session = LiveSession(stage="S2", live=rules_fast, settings=settings)
    events = stream(session, frames(squat_track("side")))
    reps = of_type(events, "rep")
    assert len(reps) == 5 and not any(r["good"] for r in reps)
    assert len(of_type(events, "cue")) == 1  # one cue, then quiet for 60 s
    session = LiveSession(
        stage="S2",
        live=LiveSettings(cue_cooldown_s=0.0, same_cue_cooldown_s=0.0),
        settings=settings,
    )
    assert len(of_type(stream(session, frames(squat_track("side"))), "cue")) == 5


def _strict_tempo() -> Settings:
    th = DEFAULT_SETTINGS.checks.tempo_min_eccentric_s.model_copy(update={"value": 60.0})
    checks = DEFAULT_SETTINGS.checks.model_copy(update={"tempo_min_eccentric_s": th})
    return DEFAULT_SETTINGS.model_copy(update={"checks": checks})


def test_replay_sends_the_reps_a_client_missed() -> None:
    session = LiveSession(stage="S2")
    all_frames = frames(squat_track("side"))
    half = len(all_frames) // 2
    seen = of_type(stream(session, all_frames[:half]), "rep")
    assert 1 <= len(seen) < 5
    missed = session.replay(1, len(seen) - 1)
    assert [e["index"] for e in of_type(missed, "rep")] == [len(seen)]
    assert missed[-1]["type"] == "state" and missed[-1]["last_rep"] == [1, len(seen)]
    # The client's clock restarts (a reloaded page): time keeps going forward, nothing double.
    rest = [
        LandmarkFrame(f.t_ms - all_frames[half].t_ms, f.width, f.height, f.landmarks, f.world)
        for f in all_frames[half:]
    ]
    later = of_type(stream(session, rest), "rep")
    total = [r["index"] for r in seen + later]
    assert total == sorted(set(total)) and len(total) >= 4


class FakeSink:
    def __init__(self) -> None:
        self.sets: list[tuple[Audit, str, int | None, bool]] = []
        self.closed: tuple[str, str] | None = None

    @property
    def rules(self) -> ProgramRules:
        return DEFAULT_RULES

    def save_set(self, audit: Audit, stage: str, *, pain: int | None, cramp: bool) -> str:
        self.sets.append((audit, stage, pain, cramp))
        return "saved"

    def close(self, *, status: Literal["completed", "stopped"], stop_reason: str) -> list[str]:
        self.closed = (status, stop_reason)
        return ["decision"]


def test_a_cramp_stops_the_set_and_a_second_one_the_exercise() -> None:
    sink = FakeSink()
    session = LiveSession(stage="S2", sink=sink)
    stream(session, frames(squat_track("side"))[:FIRST_REP_FRAMES])
    events = session.report_cramp()
    assert session.phase == "paused"
    advice = of_type(events, "advice")[0]["text"]
    assert "rest" in advice
    assert sink.sets and sink.sets[0][3] is True and sink.sets[0][0].counts.reps >= 1
    assert of_type(session.start_set(), "status")[0]["phase"] == "warmup"
    stream(session, frames(squat_track("side", seed=2)))
    events = session.report_cramp()
    assert session.phase in ("ended",)
    assert "stop this exercise" in of_type(events, "advice")[0]["text"]
    assert sink.closed == ("completed", "")
    assert len(sink.sets) == 2


@pytest.mark.parametrize(
    ("score", "phase", "status"),
    [(3, "paused", None), (6, "ended", "completed"), (8, "ended", "stopped")],
)
def test_pain_follows_the_program_rules(score: int, phase: str, status: str | None) -> None:
    sink = FakeSink()
    session = LiveSession(stage="S2", sink=sink)
    stream(session, frames(squat_track("side"))[:FIRST_REP_FRAMES])
    events = session.report_pain(score)
    assert session.phase == phase
    assert of_type(events, "cue")[-1]["kind"] == "safety"
    assert sink.sets[0][2] == score
    assert (sink.closed[0] if sink.closed else None) == status
    if status == "stopped":
        assert sink.closed is not None and "pain 8/10" in sink.closed[1]
    if status is not None:  # nothing more after the end
        assert of_type(session.report_pain(9), "status")[0]["message"] == "The session has ended."
        assert of_type(session.report_cramp(), "status") and len(sink.sets) == 1


def test_standalone_saves_nothing_and_builds_an_audit() -> None:
    session = LiveSession(exercise="squat")
    assert session.stage.id == "S2" and session.target == 30
    stream(session, frames(squat_track("side")))
    audit = session.audit()
    assert audit.counts.reps == 5 and audit.stage == "S2" and audit.view == "side"
    assert session.finish()[-1]["phase"] == "ended"
    assert session.saved == []


def test_bad_frames_are_named() -> None:
    with pytest.raises(LiveProtocolError) as err:
        parse_frame({"type": "frame", "t_ms": "soon", "w": 0, "h": 480, "lm": [1, 2, 3]})
    text = str(err.value)
    assert "t_ms" in text and "w must" in text and "lm must hold 33" in text
    with pytest.raises(LiveProtocolError):
        LiveSession(stage="S2").handle({"type": "dance"})
    with pytest.raises(LiveProtocolError):
        LiveSession(stage="S2", exercise="bridge")


def test_reaching_the_target_is_said_once_over_the_sets() -> None:
    th = DEFAULT_SETTINGS.checks.tempo_min_eccentric_s.model_copy(update={"value": 0.0})
    easy = DEFAULT_SETTINGS.model_copy(
        update={"checks": DEFAULT_SETTINGS.checks.model_copy(update={"tempo_min_eccentric_s": th})}
    )
    session = LiveSession(stage="S2", target=7, settings=easy)
    first = stream(session, frames(squat_track("side")))
    assert sum(r["good"] for r in of_type(first, "rep")) == 5
    assert not [c for c in of_type(first, "cue") if c["kind"] == "target"]
    session.stop_set()
    session.start_set()
    second = stream(session, frames(squat_track("side", seed=2)))
    targets = [c for c in of_type(second, "cue") if c["kind"] == "target"]
    assert len(targets) == 1 and targets[0]["rep"] == 2  # 5 + 2 good reps
    assert session.snapshot()["session_counts"]["good"] == 10


def test_cues_go_on_after_a_cramp() -> None:
    settings = _strict_tempo()  # every rep fails the tempo check: a cue each time allowed
    session = LiveSession(
        stage="S2",
        settings=settings,
        live=LiveSettings(cue_cooldown_s=0.0, same_cue_cooldown_s=0.0),
    )
    stream(session, frames(squat_track("side"))[:FIRST_REP_FRAMES])
    assert of_type(session.report_cramp(), "cue")[-1]["kind"] == "safety"
    session.start_set()
    later = stream(session, frames(squat_track("side", seed=2)))
    assert [c["kind"] for c in of_type(later, "cue")] == ["fault"] * 5
