"""Red-flag screening (PROGRAM.md section 4): the questions, and whether the program is locked.

Any flag answered yes locks the whole program until a clinician clears it. HamCoach never
diagnoses: the texts say what to do, not what it might be.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from hamcoach.program.errors import RedFlagUnknownError
from hamcoach.program.history import PatientHistory, Screening


class RedFlag(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    question: str
    emergency: bool


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        id="bladder_bowel_saddle",
        question="Any new change in bladder or bowel control, or numbness between the legs?",
        emergency=True,
    ),
    RedFlag(id="leg_weakness", question="Any new weakness in a leg?", emergency=True),
    RedFlag(
        id="hot_swollen_knee",
        question="A hot, swollen knee together with a fever?",
        emergency=False,
    ),
    RedFlag(
        id="knee_locking",
        question="A knee that locks, or a leg you cannot stand on?",
        emergency=False,
    ),
    RedFlag(
        id="calf_swelling_breathless",
        question="A swollen calf together with shortness of breath?",
        emergency=True,
    ),
    RedFlag(id="chest_pain_faint", question="Chest pain, or feeling faint?", emergency=True),
    RedFlag(id="fall", question="Have you had a fall since your last session?", emergency=False),
)
RED_FLAG_IDS = tuple(f.id for f in RED_FLAGS)

EMERGENCY_TEXT = (
    "Stop now and get urgent medical help (call your emergency number); "
    "then tell your clinic. HamCoach is locked until a clinician clears it."
)
LOCK_TEXT = "Do not exercise; contact your clinic. HamCoach is locked until a clinician clears it."


def validate_flags(flags: Iterable[str]) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(f.strip() for f in flags if f.strip()))
    unknown = [f for f in out if f not in RED_FLAG_IDS]
    if unknown:
        raise RedFlagUnknownError(
            f"Unknown red flag(s): {', '.join(unknown)}. Known: {', '.join(RED_FLAG_IDS)}."
        )
    return out


def is_emergency(flags: Iterable[str]) -> bool:
    emergencies = {f.id for f in RED_FLAGS if f.emergency}
    return any(f in emergencies for f in flags)


def active_flags(history: PatientHistory) -> tuple[Screening, ...]:
    """Positive screens that no clinician has cleared yet."""
    return tuple(s for s in history.screenings if s.flags and s.cleared_at is None)


def lock_reason(history: PatientHistory) -> str | None:
    """Why the program is locked, in plain words, or None when it is not."""
    active = active_flags(history)
    if not active:
        return None
    flags = sorted({f for s in active for f in s.flags})
    first = min(s.at for s in active)
    return (
        f"Red flag reported on {first:%Y-%m-%d} ({', '.join(flags)}): the program is locked "
        "until a clinician clears it."
    )


def needs_screening(history: PatientHistory, pain_now: int | None, fine_max: float) -> bool:
    """Screen before the first session, and whenever pain above 'fine' is reported."""
    if not history.screenings:
        return True
    return pain_now is not None and pain_now > fine_max
