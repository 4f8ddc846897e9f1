"""Every default of the program's rules in one typed place, each with its unit and its source.

Sources follow :mod:`hamcoach.settings`: ``article`` (the clinic's article, quoted in PROGRAM.md)
and ``clinic`` (clinical practice, PROGRAM.md sections 3-4: starting values a therapist changes per
patient). A clinician override of a threshold goes through :meth:`ProgramRules.with_value`, which
validates it; nothing else changes these values.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from hamcoach.program.errors import InvalidOverrideError
from hamcoach.settings import Source, Threshold


def _t(value: float, unit: str, source: Source, note: str = "") -> Threshold:
    return Threshold(value=value, unit=unit, source=source, note=note)


class ProgressionRules(BaseModel):
    """When a patient moves up a stage (PROGRAM.md section 3)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_good_reps_per_leg: Threshold = _t(
        30, "reps", "article", "good reps on each leg in one session to progress ('30 on each leg')"
    )
    min_eccentric_s: Threshold = _t(
        1.5, "s", "clinic", "'slow and controlled': a rep's lowering phase lasts at least this long"
    )


class RegressionRules(BaseModel):
    """When a patient moves back a stage (PROGRAM.md section 3)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    form_fail_fraction: Threshold = _t(
        0.30, "fraction", "clinic", "more than this share of a session's reps failing form ..."
    )
    form_fail_sessions: Threshold = _t(
        2, "sessions", "clinic", "... in this many sessions running at the same stage: regress"
    )


class LoadRules(BaseModel):
    """Loaded stages (S4, D2): the 2-for-2 rule (PROGRAM.md section 3)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    set_target_reps: Threshold = _t(
        8, "reps", "clinic", "reps per set a loaded stage prescribes at a given load"
    )
    extra_reps: Threshold = _t(
        2, "reps", "clinic", "'2-for-2': target + this many reps in the last set ..."
    )
    sessions_running: Threshold = _t(
        2, "sessions", "clinic", "... in this many sessions running: add load"
    )
    load_step_kg: Threshold = _t(2.5, "kg", "clinic", "the load added when the 2-for-2 rule is met")


class PainRules(BaseModel):
    """Pain monitoring, 0-10 scale (PROGRAM.md section 4)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fine_max: Threshold = _t(2, "/10", "clinic", "pain up to this is fine")
    acceptable_max: Threshold = _t(5, "/10", "clinic", "pain up to this is acceptable")
    stop_exercise_above: Threshold = _t(
        5, "/10", "clinic", "pain above this stops the exercise and regresses its ladder one stage"
    )
    stop_session_at: Threshold = _t(
        7, "/10", "clinic", "pain at or above this stops the session and alerts the clinic"
    )
    morning_above_baseline: Threshold = _t(
        1, "/10", "clinic", "next-morning pain above baseline + this blocks progression"
    )
    morning_alert_mornings: Threshold = _t(
        2, "mornings", "clinic", "that many raised mornings running alerts the clinic"
    )


class CrampRules(BaseModel):
    """Cramps during a set (PROGRAM.md section 4)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    recur_count: Threshold = _t(
        2,
        "cramps",
        "clinic",
        "this many cramps in one session on one exercise: suggest the easier stage, tell the "
        "therapist (one cramp: stop, rest, continue [article])",
    )


class ProgramRules(BaseModel):
    """All rule defaults. A patient's rules are these plus the clinician's overrides."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    progression: ProgressionRules = ProgressionRules()
    regression: RegressionRules = RegressionRules()
    load: LoadRules = LoadRules()
    pain: PainRules = PainRules()
    cramp: CrampRules = CrampRules()

    def keys(self) -> list[str]:
        """Every threshold key, as ``group.name`` (what an override names)."""
        out: list[str] = []
        for group_name, group in self.model_dump().items():
            out.extend(f"{group_name}.{name}" for name in group)
        return out

    def get(self, key: str) -> Threshold:
        group_name, _, name = key.partition(".")
        group = getattr(self, group_name, None)
        if not isinstance(group, BaseModel) or not isinstance(
            getattr(group, name, None), Threshold
        ):
            raise InvalidOverrideError(f"Unknown rule threshold {key!r}.")
        value = getattr(group, name)
        assert isinstance(value, Threshold)
        return value

    def with_value(self, key: str, value: float, note: str = "") -> ProgramRules:
        """A validated copy where the threshold ``key`` has ``value`` (source becomes clinic)."""
        old = self.get(key)
        if value < 0:
            raise InvalidOverrideError(f"Rule {key} cannot be negative (got {value}).")
        new = Threshold(value=value, unit=old.unit, source="clinic", note=note or old.note)
        group_name, _, name = key.partition(".")
        data: dict[str, Any] = self.model_dump()
        data[group_name][name] = new.model_dump()
        return ProgramRules.model_validate(data)


DEFAULT_RULES = ProgramRules()
