"""Every default of live coaching, with its unit and why (engineering choices unless noted)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class LiveSettings(BaseModel):
    """Knobs of a live session. Overrides go through ``LiveSettings(**values)`` (validated)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    warmup_s: float = Field(
        1.5, gt=0, description="seconds of a visible body before the camera view is judged"
    )
    warmup_min_frames: int = Field(
        6, ge=2, description="frames of a visible body needed for the view (10 fps devices too)"
    )
    warmup_max_s: float = Field(
        10.0, gt=0, description="longest warm-up buffer kept (s); older frames are dropped"
    )
    cue_cooldown_s: float = Field(
        4.0, ge=0, description="at least this long (s) between two spoken cues (no nagging)"
    )
    same_cue_cooldown_s: float = Field(
        12.0, ge=0, description="the same cue is not repeated within this long (s)"
    )
    visibility_hint_every_s: float = Field(
        5.0, gt=0, description="how often (s) to repeat 'I can't see you' while warming up"
    )
    resume_grace_s: float = Field(
        120.0, gt=0, description="a dropped session is kept this long (s) for the client to resume"
    )
    max_frame_gap_s: float = Field(
        1.0,
        gt=0,
        description="a clock jump back on resume continues this long after the last frame",
    )
    min_visible_confidence: float = Field(
        0.5, ge=0, le=1, description="visibility above which a joint counts as seen (warm-up)"
    )


DEFAULT_LIVE_SETTINGS = LiveSettings()
