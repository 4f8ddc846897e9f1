"""What the public pages say about the program, in HamCoach's own words (from PROGRAM.md).

The stages, their cues and their form checks come from the program data
(:data:`hamcoach.program.catalog.PROGRAM`) and the check registry, so these pages never disagree
with what the coach checks. Only the one-line description of each stage is written here.
"""

from __future__ import annotations

from dataclasses import dataclass

from hamcoach.checks import REGISTRY
from hamcoach.program.catalog import LADDER_NAMES, LADDERS, PROGRAM, LadderId, Stage
from hamcoach.reports.wording import check_words

STAGE_WHAT: dict[str, str] = {
    "B1": "Lying on your back, feet flat: lift the hips as high as you can and lower them slowly.",
    "B2": "The bridge without resting at the bottom between reps.",
    "B3": "A bridge on one foot, the other leg lifted.",
    "C1": "Heels on an exercise ball: bridge up, roll the ball in and out; the hips may come "
    "down between reps.",
    "C2": "The ball curl with the hips up for the whole set.",
    "C3": "The ball curl with one heel on the ball.",
    "S1": "Sit back to a bench or a box and stand up again.",
    "S2": "A full squat with your own body weight, going below 90 degrees.",
    "S3": "On one leg, down to a bench and back up.",
    "S4": "A squat with a bar on your back.",
    "D1": "Standing on one leg, tip forward as one piece while the free leg rises behind you; "
    "a mirror helps.",
    "D2": "The single-leg deadlift holding a weight in front of you.",
}

WHY_PARAGRAPHS: tuple[str, ...] = (
    "When the hamstrings at the back of the thigh are weak and the quadriceps at the front are "
    "strong, other muscles have to make up the difference. They are not built for that work: they "
    "tighten, knot up and can hurt, and the knee and the lower back are where people feel it.",
    "The answer is more activity, not less: the right activity, done correctly. The program "
    "strengthens the hamstrings with three families of exercises. Each family is a ladder of "
    "stages, from an easy start to a demanding finish, and you move up one stage at a time.",
    "Weak hamstrings make cheating easy: the body finds a way round the hard part. That is why "
    "form matters more than anything else, and why HamCoach watches your form with the camera "
    "and counts only the reps done well.",
)


@dataclass(frozen=True)
class Mistake:
    fault: str
    fix: str


@dataclass(frozen=True)
class StageCard:
    stage: Stage
    what: str
    mistakes: tuple[Mistake, ...]


@dataclass(frozen=True)
class LadderCard:
    ladder: LadderId
    name: str
    stages: tuple[StageCard, ...]


def _mistakes(stage: Stage) -> tuple[Mistake, ...]:
    out = []
    for cid in stage.required_checks:
        check = REGISTRY.get(cid)
        words = check_words(cid)
        fault = words.fault
        out.append(Mistake(fault=fault[:1].upper() + fault[1:], fix=check.cue if check else ""))
    return tuple(out)


def ladder_cards() -> tuple[LadderCard, ...]:
    """The three ladders, each stage with what it is, its cues and its common mistakes."""
    return tuple(
        LadderCard(
            ladder=ladder,
            name=LADDER_NAMES[ladder],
            stages=tuple(
                StageCard(stage=s, what=STAGE_WHAT.get(s.id, ""), mistakes=_mistakes(s))
                for s in PROGRAM.ladder(ladder)
            ),
        )
        for ladder in LADDERS
    )
