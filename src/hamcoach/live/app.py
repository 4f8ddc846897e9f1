"""A small app around the live router: ``hamcoach live --browser`` and the tests.

The clinic web app mounts :data:`hamcoach.live.router.router` itself (with its login); this one
has no login, so it saves sets only for the patient it was started with.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from hamcoach import __version__
from hamcoach.live.registry import SessionRegistry
from hamcoach.live.router import LiveConfig, router
from hamcoach.live.settings import DEFAULT_LIVE_SETTINGS, LiveSettings
from hamcoach.settings import DEFAULT_SETTINGS, Settings


def configure_live(
    app: FastAPI,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    live: LiveSettings = DEFAULT_LIVE_SETTINGS,
    db_url: str | None = None,
    patient: str | None = None,
) -> LiveConfig:
    """Give an app (one that includes the live router) its live settings and database."""
    config = LiveConfig(
        settings=settings,
        live=live,
        db_url=db_url,
        patient=patient,
        registry=SessionRegistry(live.resume_grace_s),
    )
    app.state.hamcoach_live = config
    return config


def create_live_app(
    *,
    settings: Settings = DEFAULT_SETTINGS,
    live: LiveSettings = DEFAULT_LIVE_SETTINGS,
    db_url: str | None = None,
    patient: str | None = None,
) -> FastAPI:
    """The live page at ``/live/`` without a login. With ``patient``, every set is saved for
    that patient (``db_url`` or the default database); without, nothing is saved."""
    app = FastAPI(title="HamCoach live", version=__version__, docs_url=None, redoc_url=None)
    app.include_router(router, prefix="/live")
    configure_live(app, settings=settings, live=live, db_url=db_url, patient=patient)

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/live/")

    return app
