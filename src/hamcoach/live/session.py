"""The live session: landmark frames in, JSON-ready events out. No transport, no clock.

One session coaches one exercise (a program stage) for one person, as a series of sets::

    warm-up (a visible body for ``warmup_s``: classify the camera view, placement hints)
      -> active set (per frame: CausalCleaner -> compute_features -> SetAnalyzer.push)
      -> stopped (finish, cramp or pain button) -> next set ... -> ended

Events (dicts, sent as JSON by the WebSocket and printed by the desktop client)::

    {"type": "status", "phase": "warmup" | "active" | "paused" | "ended", "message": ...}
    {"type": "hint", "check": ..., "text": ...}          camera placement, before the set
    {"type": "rep", "set": 1, "index": 3, "leg": ..., "good": ..., "counts": {...}, ...}
    {"type": "cue", "text": ..., "kind": "fault" | "unseen" | "target" | "safety", ...}
    {"type": "advice", "text": ..., "level": ...}         after a cramp or pain report
    {"type": "state", ...}                                a snapshot (after a resume)

Time is the client's frame clock (``t_ms``), so the same stream gives the same events however
fast it is fed. Every rep event is kept (a few hundred bytes each) so a client that lost its
connection can ask for the ones after the last it saw (:meth:`LiveSession.replay`).
"""

from __future__ import annotations

import math
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

from hamcoach import __version__
from hamcoach.audit import Audit, Counts, Rep, SourceInfo, count_reps
from hamcoach.cleaning import CausalCleaner
from hamcoach.exercises import ExerciseSpec, get_exercise
from hamcoach.features import INDEX, compute_features
from hamcoach.landmarks import L
from hamcoach.live.cues import Cue, CuePolicy
from hamcoach.live.errors import LiveProtocolError
from hamcoach.live.frames import LandmarkFrame, parse_frame
from hamcoach.live.settings import DEFAULT_LIVE_SETTINGS, LiveSettings
from hamcoach.pipeline import SetAnalyzer, checks_not_run, view_info_of, view_warnings
from hamcoach.program.catalog import PROGRAM, Stage
from hamcoach.program.rules import cramp_advice, pain_advice, target_at
from hamcoach.program.rules_settings import DEFAULT_RULES, ProgramRules
from hamcoach.settings import DEFAULT_SETTINGS, Settings
from hamcoach.track import FloatArray
from hamcoach.views import ViewEstimate, classify_view

Phase = Literal["warmup", "active", "paused", "ended"]
Event = dict[str, Any]

# Joints that must be seen for the warm-up to judge the camera view: the shoulder, hip and knee
# of at least one side (a side view hides the far side).
_SIDES = (
    (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_KNEE),
    (L.RIGHT_SHOULDER, L.RIGHT_HIP, L.RIGHT_KNEE),
)
_CORE = _SIDES[0] + _SIDES[1]
_PART_NAMES = {
    L.LEFT_SHOULDER: "shoulders",
    L.RIGHT_SHOULDER: "shoulders",
    L.LEFT_HIP: "hips",
    L.RIGHT_HIP: "hips",
    L.LEFT_KNEE: "knees",
    L.RIGHT_KNEE: "knees",
}
# A frame arriving this much earlier than the last one is a client clock that restarted (a
# reloaded page); less than this, a late duplicate that is dropped.
CLOCK_RESET_S = 0.5


class SetSink(Protocol):
    """Where finished sets go (the patient's history). Absent: nothing is saved."""

    @property
    def rules(self) -> ProgramRules: ...

    def save_set(self, audit: Audit, stage: str, *, pain: int | None, cramp: bool) -> str:
        """Store one set; a short sentence saying where it went."""

    def close(self, *, status: Literal["completed", "stopped"], stop_reason: str) -> list[str]:
        """End the stored session; the decisions it led to, as sentences."""


def resolve_stage(stage: str | None, exercise: str | None) -> tuple[Stage, ExerciseSpec]:
    """The stage and exercise of a live session (a stage implies its exercise; an exercise alone
    takes its first stage on the program)."""
    if stage is not None:
        st = PROGRAM.stage(stage)
        if exercise is not None and exercise != st.exercise:
            raise LiveProtocolError(
                f"Stage {st.id} is {st.exercise}, not {exercise}.",
                hint="Give the stage alone, or an exercise that matches it.",
            )
        return st, get_exercise(st.exercise)
    if exercise is None:
        raise LiveProtocolError("Say which exercise (or stage) the set is.", hint="e.g. squat")
    spec = get_exercise(exercise)
    st = next(s for s in PROGRAM.stages if s.exercise == spec.id)
    return st, spec


@dataclass
class _Set:
    """The state of one set."""

    number: int
    cleaner: CausalCleaner
    warm: deque[tuple[FloatArray, FloatArray, FloatArray | None, FloatArray, bool]]
    analyzer: SetAnalyzer | None = None
    view: ViewEstimate | None = None
    first_t: float = math.nan
    last_t: float = math.nan
    frames: int = 0
    seen_frames: int = 0
    width: int = 0
    height: int = 0
    reps: list[Rep] = field(default_factory=list)
    last_hint_t: float = -math.inf
    pain: int | None = None
    cramp: bool = False

    @property
    def counts(self) -> Counts:
        return count_reps(self.reps)


class LiveSession:
    """Coach one exercise live. Feed messages with :meth:`handle` (or frames with :meth:`push`);
    each call returns the events to send back, in order."""

    def __init__(
        self,
        *,
        stage: str | None = None,
        exercise: str | None = None,
        settings: Settings = DEFAULT_SETTINGS,
        live: LiveSettings = DEFAULT_LIVE_SETTINGS,
        sink: SetSink | None = None,
        target: int | None = None,
        patient: str | None = None,
        backend: str = "mediapipe-pose-js",
        session_id: str | None = None,
    ) -> None:
        self.stage, self.spec = resolve_stage(stage, exercise)
        self.settings = settings
        self.live = live
        self.sink = sink
        self.patient = patient
        self.backend = backend
        self.id = session_id or uuid.uuid4().hex
        rules = sink.rules if sink is not None else DEFAULT_RULES
        self.rules = rules
        self.target = target if target is not None else target_at(self.stage, (), None, rules)
        self.cues = CuePolicy(live)
        self.phase: Phase = "warmup"
        self.cramps = 0
        self.rep_log: list[Event] = []
        self.saved: list[str] = []
        self.decisions: list[str] = []
        self._t0_ms: float | None = None
        self._offset_s = 0.0
        self._clock_last = -math.inf
        self._frame_index = 0
        self._target_said = False
        self._frame_t_ms = math.nan
        self._set = self._new_set(1)

    # -- public API --------------------------------------------------------------------------
    def handle(self, msg: Mapping[str, Any]) -> list[Event]:
        """Dispatch one client message (see docs/LIVE.md)."""
        kind = msg.get("type")
        if kind == "frame":
            return self.push(parse_frame(msg))
        if kind == "start":
            return self.start_set()
        if kind == "stop":
            return self.stop_set()
        if kind == "cramp":
            return self.report_cramp()
        if kind == "pain":
            score = msg.get("score")
            if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
                raise LiveProtocolError("A pain report needs a score from 0 to 10.")
            return self.report_pain(score)
        if kind == "finish":
            return self.finish()
        if kind == "state":
            return [self.snapshot()]
        if kind == "resume":
            last = msg.get("last_rep", [0, 0])
            if not (
                isinstance(last, list) and len(last) == 2 and all(isinstance(v, int) for v in last)
            ):
                raise LiveProtocolError("resume needs last_rep: [set, index].")
            return self.replay(last[0], last[1])
        raise LiveProtocolError(f"Unknown message type {kind!r}.")

    def intro(self) -> list[Event]:
        """What a client is told when it connects: the session, the stage and its target."""
        return [
            {
                "type": "session",
                "id": self.id,
                "exercise": self.spec.id,
                "exercise_label": self.spec.label,
                "stage": self.stage.id,
                "stage_name": self.stage.name,
                "single_leg": self.stage.single_leg,
                "target": self.target,
                "target_text": self.target_text(),
                "tempo": self.stage.tempo,
                "cues": list(self.stage.cues),
                "saving": self.sink is not None,
            },
            self.snapshot(),
        ]

    def target_text(self) -> str:
        if self.stage.loaded:
            return f"sets of {self.target} good reps"
        if self.stage.single_leg:
            return f"{self.target} good reps on each leg"
        return f"{self.target} good reps"

    def snapshot(self) -> Event:
        s = self._set
        return {
            "type": "state",
            "phase": self.phase,
            "set": s.number,
            "counts": s.counts.model_dump(),
            "session_counts": self.session_counts().model_dump(),
            "view": s.view.view if s.view else None,
            "last_rep": [s.number, len(s.reps)],
        }

    def session_counts(self) -> Counts:
        """Counts over every set of the session (the stage target adds sets up)."""
        return count_reps([e["_rep"] for e in self.rep_log])

    def push(self, frame: LandmarkFrame) -> list[Event]:
        """One frame of landmarks; the events it causes."""
        if self.phase in ("paused", "ended"):
            return []
        t_s = self._clock(frame.t_ms)
        if t_s is None:
            return []
        self._frame_t_ms = frame.t_ms
        s = self._set
        image, conf, world = frame.pixels()
        clean = s.cleaner.push(image, conf, t_s)
        row = compute_features(
            clean[None], conf[None], np.array([t_s]), None if world is None else world[None]
        )[0]
        s.frames += 1
        s.width, s.height = frame.width, frame.height
        if not math.isfinite(s.first_t):
            s.first_t = t_s
        s.last_t = t_s
        if self.phase == "warmup":
            return self._warm_up(s, clean, conf, world, row, t_s)
        return self._analyse(s, row, t_s)

    def start_set(self) -> list[Event]:
        """Start the next set (after a stop, a cramp or a pain report)."""
        if self.phase == "ended":
            return [self._status("The session has ended; start a new one.")]
        if self.phase != "paused":
            return [self._status("A set is already running.")]
        self._set = self._new_set(self._set.number + 1)
        self.phase = "warmup"
        return [self._status("Get into the start position, facing the camera as before.")]

    def stop_set(self) -> list[Event]:
        """The person says the set is over."""
        return self._end_set("Set finished.")

    def report_cramp(self) -> list[Event]:
        """Cramp button: stop the set; the program's cramp rule says what next."""
        if self.phase == "ended":
            return [self._status("The session has ended.")]
        self.cramps += 1
        self._set.cramp = True
        advice = cramp_advice(self.cramps, self.stage, PROGRAM, self.rules)
        events = self._end_set("Set stopped for a cramp.")
        events.append({"type": "advice", "level": "cramp", "text": advice})
        events.append(self._safety_cue(advice))
        if self.cramps >= self.rules.cramp.recur_count.value:
            events += self._close("completed", "")
        return events

    def report_pain(self, score: int) -> list[Event]:
        """Pain button (score 0-10): stop the set; the program's pain rule says what next."""
        if self.phase == "ended":
            return [self._status("The session has ended.")]
        s = self._set
        s.pain = max(score, s.pain or 0)
        advice = pain_advice(score, self.rules)
        events = self._end_set("Set stopped: pain reported.")
        events.append({"type": "advice", "level": advice.level, "text": advice.message})
        events.append(self._safety_cue(advice.message))
        if advice.level == "stop_session":
            events += self._close("stopped", f"pain {score}/10 during {self.stage.name}")
        elif advice.level == "stop_exercise":
            events += self._close("completed", "")
        return events

    def finish(self) -> list[Event]:
        """End the session: the running set is ended (and saved), then the stored session."""
        if self.phase == "ended":
            return []
        events = self._end_set("Set finished.")
        return events + self._close("completed", "")

    def replay(self, last_set: int, last_index: int) -> list[Event]:
        """Events a resuming client missed: rep events after (set, index), then a snapshot."""
        missed = [
            _public(e) for e in self.rep_log if (e["set"], e["index"]) > (last_set, last_index)
        ]
        return [*missed, self.snapshot()]

    # -- internals ---------------------------------------------------------------------------
    def _new_set(self, number: int) -> _Set:
        max_frames = max(16, round(self.live.warmup_max_s * 60))
        return _Set(number, CausalCleaner(self.settings.cleaning), deque(maxlen=max_frames))

    def _clock(self, t_ms: float) -> float | None:
        """The client's frame time as session seconds, continuing across client clock resets."""
        if self._t0_ms is None:
            self._t0_ms = t_ms
        t = (t_ms - self._t0_ms) / 1000.0 + self._offset_s
        if t <= self._clock_last:
            if self._clock_last - t < CLOCK_RESET_S:
                return None  # duplicate or out of order
            self._offset_s += self._clock_last + self.live.max_frame_gap_s - t
            t = self._clock_last + self.live.max_frame_gap_s
        self._clock_last = t
        return t

    def _status(self, message: str, **extra: Any) -> Event:
        return {
            "type": "status",
            "phase": self.phase,
            "set": self._set.number,
            "message": message,
            **extra,
        }

    def _safety_cue(self, text: str) -> Event:
        """A safety message is always said; it also starts the cue cooldown."""
        said = self.cues.offer(Cue(text, "safety"), self._clock_last)
        assert said is not None
        return said.to_json()

    def _warm_up(
        self,
        s: _Set,
        clean: FloatArray,
        conf: FloatArray,
        world: FloatArray | None,
        row: FloatArray,
        t_s: float,
    ) -> list[Event]:
        seen = any(
            bool((conf[list(side)] >= self.live.min_visible_confidence).all()) for side in _SIDES
        )
        s.warm.append((clean, conf, world, row, seen))
        s.seen_frames += int(seen)
        seen_t = [w[3][INDEX["t_s"]] for w in s.warm if w[4]]
        if (
            len(seen_t) >= self.live.warmup_min_frames
            and seen_t[-1] - seen_t[0] >= self.live.warmup_s
        ):
            return self._begin(s)
        if (
            not seen
            and t_s - s.last_hint_t >= self.live.visibility_hint_every_s
            and t_s - s.first_t >= self.live.warmup_s
        ):
            s.last_hint_t = t_s
            ok = self.live.min_visible_confidence
            missing = sorted(
                {
                    _PART_NAMES[left]
                    for left, right in zip(*_SIDES, strict=True)
                    if conf[left] < ok and conf[right] < ok
                }
            )
            if not missing or len(missing) == 3 or not np.isfinite(clean[:, 0]).any():
                text = "I can't see you yet: stand where the camera sees you from head to feet."
            else:
                text = (
                    f"I can't see your {' and '.join(missing)}: step back so the camera sees "
                    "your whole body."
                )
            return [self._status(text, visible=False)]
        return []

    def _begin(self, s: _Set) -> list[Event]:
        seen = [w for w in s.warm if w[4]]
        images = np.stack([w[0] for w in seen])
        worlds = [w[2] for w in seen]
        world = (
            np.stack([w for w in worlds if w is not None])
            if all(w is not None for w in worlds)
            else None
        )
        view = classify_view(
            images, world, self.settings.views, self.settings.views.lying_max_torso_deg
        )
        s.view = view
        s.analyzer = SetAnalyzer(self.spec, view, self.settings, self.stage.id, keep_reps=True)
        self.phase = "active"
        events: list[Event] = [
            self._status(
                f"Camera sees a {view.view.replace('_', ' ')} view. Go ahead: "
                f"{self.target_text()}, {self.stage.tempo}.",
                view=view.view,
                checks_run=[c.id for c in s.analyzer.checks],
            )
        ]
        hints: dict[str, list[str]] = {}
        for c in checks_not_run(self.spec, view, self.stage.id):
            if c.hint and "Any camera position" not in c.hint:
                hints.setdefault(c.hint, []).append(c.check)
        for text, checks in hints.items():
            events.append({"type": "hint", "text": text, "checks": checks})
        for w in view_warnings(view, self.spec):
            events.append({"type": "hint", "text": w, "checks": []})
        rows = [w[3] for w in s.warm]
        s.warm.clear()
        for r in rows:
            events += self._analyse(s, r, float(r[INDEX["t_s"]]))
        return events

    def _analyse(self, s: _Set, row: FloatArray, t_s: float) -> list[Event]:
        assert s.analyzer is not None
        rep, _progress = s.analyzer.push(row, self._frame_index)
        self._frame_index += 1
        if rep is None:
            return []
        return self._on_rep(s, rep, t_s)

    def _on_rep(self, s: _Set, rep: Rep, t_s: float) -> list[Event]:
        s.reps.append(rep)
        counts = s.counts
        event: Event = {
            "type": "rep",
            "set": s.number,
            "index": rep.index,
            "leg": rep.leg,
            "good": rep.good,
            "start_s": rep.start_s,
            "end_s": rep.end_s,
            "emitted_s": round(t_s, 3),
            "frame_t_ms": self._frame_t_ms if math.isfinite(self._frame_t_ms) else None,
            "down_s": rep.down_s,
            "up_s": rep.up_s,
            "counts": counts.model_dump(),
            "findings": [
                {"check": f.check, "verdict": f.verdict, "cue": f.cue, "reason": f.reason}
                for f in rep.findings
            ],
        }
        self.rep_log.append({**event, "_rep": rep})
        events: list[Event] = [event]
        cue = self.cues.after_rep(rep, t_s)
        if cue is None and not self._target_said and self._target_reached(self.session_counts()):
            self._target_said = True
            cue = self.cues.offer(
                Cue("Target reached: well done. You can finish the set.", "target", rep=rep.index),
                t_s,
            )
        if cue is not None:
            events.append(cue.to_json())
        return events

    def _target_reached(self, c: Counts) -> bool:
        if self.stage.single_leg:
            return min(c.good_left, c.good_right) >= self.target
        return c.good >= self.target

    def _end_set(self, message: str) -> list[Event]:
        if self.phase in ("paused", "ended"):
            return [self._status(message)]
        s = self._set
        events: list[Event] = []
        if s.analyzer is not None:
            last = s.analyzer.finish()
            if last is not None:
                events += self._on_rep(s, last, s.last_t)
        self.phase = "paused"
        saved = ""
        if self.sink is not None and s.reps:
            saved = self.sink.save_set(self.audit(s), self.stage.id, pain=s.pain, cramp=s.cramp)
            self.saved.append(saved)
        c = s.counts
        events.append(
            self._status(
                f"{message} {c.reps} reps, {c.good} good." + (f" {saved}" if saved else ""),
                counts=c.model_dump(),
            )
        )
        return events

    def _close(self, status: Literal["completed", "stopped"], reason: str) -> list[Event]:
        self.phase = "ended"
        if self.sink is not None:
            self.decisions = self.sink.close(status=status, stop_reason=reason)
        return [self._status("Session ended.", decisions=self.decisions)]

    def audit(self, s: _Set | None = None) -> Audit:
        """The audit document of a set (the current one by default), as the CLI writes it."""
        s = s or self._set
        view = s.view or ViewEstimate("unknown", math.nan, "unknown", "unknown", "unknown", 0.0)
        analyzer = s.analyzer
        duration = max(s.last_t - s.first_t, 0.0) if math.isfinite(s.first_t) else 0.0
        fps = (s.frames - 1) / duration if duration > 0 else 0.0
        return Audit(
            hamcoach_version=__version__,
            exercise=self.spec.id,
            stage=self.stage.id,
            view=view.view,
            view_info=view_info_of(view),
            source=SourceInfo(
                name=f"live set {s.number}",
                frames=s.frames,
                fps=round(fps, 3),
                duration_s=round(duration, 3),
                width=s.width,
                height=s.height,
                backend=self.backend,
                person_frames_fraction=round(s.seen_frames / s.frames, 3) if s.frames else 0.0,
            ),
            reps=list(s.reps),
            counts=s.counts,
            checks_run=[c.id for c in analyzer.checks] if analyzer else [],
            checks_not_run=checks_not_run(self.spec, view, self.stage.id),
            warnings=list(analyzer.warnings) if analyzer else [],
        )


def _public(event: Event) -> Event:
    return {k: v for k, v in event.items() if not k.startswith("_")}
