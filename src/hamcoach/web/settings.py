"""Every default of the clinic web app in one typed object (:class:`WebSettings`).

``hamcoach serve`` builds it from its flags; tests build one per test (a fresh database, a
temporary storage folder, a known secret key, short limits). Nothing reads the environment here.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field

VIDEO_EXTENSIONS: tuple[str, ...] = (".mp4", ".mov", ".m4v", ".avi", ".webm", ".mkv")
"""What a patient may upload for an audit (the formats `hamcoach audit` reads from a phone)."""


def default_storage_dir() -> Path:
    return Path(user_data_dir("hamcoach", appauthor=False)) / "web"


class WebSettings(BaseModel):
    """How one instance of the web app runs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    db_url: str = Field(description="SQLAlchemy URL of the program database")
    storage_dir: Path = Field(
        default_factory=default_storage_dir,
        description="uploads (deleted after analysis unless kept) and audit reports",
    )
    secret_key: str = Field(
        default_factory=lambda: secrets.token_urlsafe(32),
        description="signs CSRF tokens and form timestamps; keep it stable across restarts",
    )
    max_upload_mb: float = Field(200.0, gt=0, description="largest video accepted (MB)")
    video_extensions: tuple[str, ...] = VIDEO_EXTENSIONS
    audit_workers: int = Field(
        1, ge=1, le=2, description="audits analysed at once (pose estimation is CPU heavy)"
    )
    pose_workers: int = Field(1, ge=1, description="processes per audit for pose estimation")
    session_hours: float = Field(12.0, gt=0, description="a login lasts this long")
    invite_days: float = Field(14.0, gt=0, description="an invitation link lasts this long")
    secure_cookies: bool = Field(False, description="Secure cookies (set behind HTTPS)")
    signup_min_seconds: float = Field(
        3.0, ge=0, description="a sign-up sent sooner than this after the page loaded is a bot"
    )
    signup_rate: tuple[int, float] = Field(
        (5, 3600.0), description="sign-ups per address per window (count, seconds)"
    )
    login_rate: tuple[int, float] = Field(
        (10, 300.0), description="failed logins per address per window (count, seconds)"
    )
    missed_days: int = Field(
        4, ge=1, description="clinic alert when a patient has not logged a session for this long"
    )
    timezone: str = Field(
        "America/New_York", description="times on the pages are shown in the clinic's zone"
    )
    report_frames: bool = Field(
        True, description="audit reports show video pictures of the faults (else a skeleton)"
    )

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def uploads_dir(self) -> Path:
        return self.storage_dir / "uploads"

    @property
    def reports_dir(self) -> Path:
        return self.storage_dir / "reports"
