"""The program as data: three ladders, twelve stages (PROGRAM.md section 2).

Each stage names its exercise id, whether it works one leg at a time, the form checks a good rep
must pass (ids from PROGRAM.md section 7), its tempo, and the cues shown before the set, written in
HamCoach's own words. ``PROGRAM_VERSION`` is stored with every session: change it whenever a stage,
a target, a check list or the ladder order changes, so history shows which program a session ran.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from hamcoach.program.errors import UnknownStageError

PROGRAM_VERSION = "2026.1"

LadderId = Literal["B", "S", "D"]
LADDERS: tuple[LadderId, ...] = ("B", "S", "D")
LADDER_NAMES: dict[LadderId, str] = {
    "B": "bridge and ball curl",
    "S": "squat",
    "D": "single-leg deadlift",
}


class Stage(BaseModel):
    """One rung of a ladder."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    ladder: LadderId
    name: str
    exercise: str
    single_leg: bool
    loaded: bool = False
    required_checks: tuple[str, ...]
    eccentric_phase: Literal["down", "up"]
    """Which phase of an audited rep (``Rep.down_s`` or ``Rep.up_s``) is the slow, lowering one."""
    tempo: str
    cues: tuple[str, ...]
    entry_rule: str = ""
    """What must be true before this stage starts (beyond the previous stage's target)."""


class Program(BaseModel):
    """The ladders, in order. Pure data; the rules live in :mod:`hamcoach.program.rules`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    stages: tuple[Stage, ...]

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id.upper():
                return s
        raise UnknownStageError(f"Unknown stage {stage_id!r}.")

    def ladder(self, ladder: LadderId) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if s.ladder == ladder)

    def first(self, ladder: LadderId) -> Stage:
        return self.ladder(ladder)[0]

    def next_stage(self, stage_id: str) -> Stage | None:
        rung = self.ladder(self.stage(stage_id).ladder)
        i = [s.id for s in rung].index(stage_id.upper())
        return rung[i + 1] if i + 1 < len(rung) else None

    def previous_stage(self, stage_id: str) -> Stage | None:
        rung = self.ladder(self.stage(stage_id).ladder)
        i = [s.id for s in rung].index(stage_id.upper())
        return rung[i - 1] if i > 0 else None

    def position(self, stage_id: str) -> int:
        """0-based position of the stage on its ladder."""
        rung = self.ladder(self.stage(stage_id).ladder)
        return [s.id for s in rung].index(stage_id.upper())


_BRIDGE = ("bridge.hip_height", "bridge.heel_down", "bridge.slow_lowering", "tempo.controlled")
_CURL = (
    "ball_curl.hips_up",
    "ball_curl.full_extension",
    "ball_curl.full_curl",
    "tempo.controlled",
)
_SQUAT = (
    "squat.depth",
    "squat.knee_valgus",
    "squat.knees_past_toes",
    "squat.knees_together_ascent",
    "tempo.controlled",
)
_SL_SQUAT = (
    "squat.depth",
    "squat.knee_valgus",
    "squat.pelvis_level",
    "squat.trunk_lean",
    "tempo.controlled",
)
_SLDL = ("sldl.leg_leads", "sldl.body_line", "sldl.hips_square", "tempo.controlled")

_FOOT = "Press the floor through the whole foot: big toe, little toe, inner and outer heel."
_BRIDGE_TEMPO = "up steadily, lower over at least 1.5 s"
_SQUAT_TEMPO = "down over at least 1.5 s, up steadily"

STAGES: tuple[Stage, ...] = (
    Stage(
        id="B1",
        ladder="B",
        name="bridge",
        exercise="bridge",
        single_leg=False,
        required_checks=_BRIDGE,
        eccentric_phase="up",
        tempo=_BRIDGE_TEMPO,
        cues=(
            "Lie on your back, knees bent, feet flat and hip-width apart.",
            _FOOT,
            "Keep the heels on the floor; do not push up from your toes.",
            "Lift your hips until shoulders, hips and knees make a straight line.",
            "Come down slowly and let the hips rest before the next rep.",
        ),
    ),
    Stage(
        id="B2",
        ladder="B",
        name="continuous bridge",
        exercise="bridge",
        single_leg=False,
        required_checks=(*_BRIDGE, "bridge.no_rest"),
        eccentric_phase="up",
        tempo=_BRIDGE_TEMPO,
        cues=(
            "Same set-up as the bridge.",
            _FOOT,
            "Lower slowly until the hips almost touch, then lift again without resting.",
        ),
    ),
    Stage(
        id="B3",
        ladder="B",
        name="single-leg bridge",
        exercise="single_leg_bridge",
        single_leg=True,
        required_checks=(*_BRIDGE, "bridge.hips_level"),
        eccentric_phase="up",
        tempo=_BRIDGE_TEMPO,
        cues=(
            "One foot on the floor, the other leg lifted.",
            "Keep the pelvis level: the lifted-leg side must not drop.",
            _FOOT,
            "Do the same number on each leg.",
        ),
    ),
    Stage(
        id="C1",
        ladder="B",
        name="ball curl, hips down",
        exercise="ball_curl",
        single_leg=False,
        required_checks=_CURL,
        eccentric_phase="up",
        tempo="roll in steadily, roll out over at least 1.5 s",
        cues=(
            "Heels on the ball, lift into a bridge.",
            "Roll the ball in, heels towards your buttocks, without letting the hips sag.",
            "Roll out until the legs are nearly straight.",
            "You may lower the hips to the floor between reps.",
        ),
    ),
    Stage(
        id="C2",
        ladder="B",
        name="ball curl, hips up",
        exercise="ball_curl",
        single_leg=False,
        required_checks=(*_CURL, "bridge.no_rest"),
        eccentric_phase="up",
        tempo="roll in steadily, roll out over at least 1.5 s",
        cues=(
            "As the ball curl, but the hips stay up for the whole set.",
            "Full range: legs nearly straight out, heels close to the buttocks in.",
        ),
    ),
    Stage(
        id="C3",
        ladder="B",
        name="single-leg ball curl",
        exercise="single_leg_ball_curl",
        single_leg=True,
        required_checks=(*_CURL, "bridge.hips_level", "bridge.no_rest"),
        eccentric_phase="up",
        tempo="roll in steadily, roll out over at least 1.5 s",
        cues=(
            "One heel on the ball, the other leg lifted.",
            "Keep the pelvis level and the hips up.",
            "Use the full range you reached in the two-leg curl.",
        ),
        entry_rule="only once the two-leg ball curl (C2) is done through its full range",
    ),
    Stage(
        id="S1",
        ladder="S",
        name="squat to a bench",
        exercise="box_squat",
        single_leg=False,
        required_checks=_SQUAT,
        eccentric_phase="down",
        tempo=_SQUAT_TEMPO,
        cues=(
            "Stand in front of a bench; sit back until you touch it, then stand up.",
            "Knees point the same way as the toes and stay behind them.",
            "Keep the knees apart on the way up.",
        ),
    ),
    Stage(
        id="S2",
        ladder="S",
        name="full bodyweight squat",
        exercise="squat",
        single_leg=False,
        required_checks=_SQUAT,
        eccentric_phase="down",
        tempo=_SQUAT_TEMPO,
        cues=(
            "Go deeper than a right angle: the hip crease ends below the knee.",
            "Stopping at a right angle works the front of the thigh and loads the knee more.",
            "Knees track over the toes, not inwards and not past them.",
            "Keep the knees apart as you stand.",
        ),
    ),
    Stage(
        id="S3",
        ladder="S",
        name="single-leg squat to a bench",
        exercise="single_leg_squat",
        single_leg=True,
        required_checks=_SL_SQUAT,
        eccentric_phase="down",
        tempo=_SQUAT_TEMPO,
        cues=(
            "One leg, down to the bench and up again.",
            "The knee stays over the foot; the pelvis stays level.",
            "Keep the trunk fairly upright, without leaning to the side.",
        ),
    ),
    Stage(
        id="S4",
        ladder="S",
        name="loaded squat",
        exercise="squat",
        single_leg=False,
        loaded=True,
        required_checks=_SQUAT,
        eccentric_phase="down",
        tempo=_SQUAT_TEMPO,
        cues=(
            "A bar on the back; the same depth and knee rules as the bodyweight squat.",
            "Start light: a load you can move with perfect form for the whole set.",
        ),
        entry_rule="only after 30 bodyweight squats with perfect form",
    ),
    Stage(
        id="D1",
        ladder="D",
        name="single-leg deadlift",
        exercise="single_leg_deadlift",
        single_leg=True,
        required_checks=_SLDL,
        eccentric_phase="down",
        tempo="tip forward over at least 1.5 s, return steadily",
        cues=(
            "Work in front of a mirror if you can.",
            "The free leg rises first; the trunk tips only when the leg cannot go higher.",
            "Keep both hips square to the floor.",
            "Upper back, hip and free leg stay in one straight line: no 'V'.",
        ),
    ),
    Stage(
        id="D2",
        ladder="D",
        name="weighted single-leg deadlift",
        exercise="single_leg_deadlift",
        single_leg=True,
        loaded=True,
        required_checks=_SLDL,
        eccentric_phase="down",
        tempo="tip forward over at least 1.5 s, return steadily",
        cues=(
            "Hold a weight in front of you; everything else as the bodyweight version.",
            "If a hip starts to turn up, stop and reset.",
        ),
        entry_rule="only after 30 on each leg, slow and controlled",
    ),
)

PROGRAM = Program(version=PROGRAM_VERSION, stages=STAGES)
