"""The application factory: ``create_app(settings)`` builds one instance of the clinic web app.

One instance = one database, one storage folder, one secret key, one audit worker. Tests build a
fresh one per test; ``hamcoach serve`` builds one from its flags.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from hamcoach import __version__
from hamcoach.errors import HamCoachError
from hamcoach.reports.wording import check_words
from hamcoach.storage.repo import Database, open_database
from hamcoach.web.auth import (
    ForbiddenError,
    LoginRequiredError,
    NotFoundError,
    current_user,
)
from hamcoach.web.context import WebContext
from hamcoach.web.jobs import AuditWorker
from hamcoach.web.ratelimit import RateLimiter
from hamcoach.web.schema import upgrade_web
from hamcoach.web.security import SecurityMiddleware
from hamcoach.web.settings import WebSettings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
LIVE_ROUTER_MODULE = "hamcoach.live.router"
UPLOAD_SLACK_BYTES = 1024 * 1024
"""Room for the other form fields around the largest video allowed."""


def open_web_database(url: str) -> Database:
    """Open the database and bring the program's and the web app's tables to the newest schema."""
    db = open_database(url)
    upgrade_web(db.engine)
    return db


def live_router() -> APIRouter | None:
    """The live-coaching router (``hamcoach.live.router``) when that package is installed."""
    if importlib.util.find_spec("hamcoach.live") is None:
        return None
    if importlib.util.find_spec(LIVE_ROUTER_MODULE) is None:
        return None
    module = importlib.import_module(LIVE_ROUTER_MODULE)
    router = getattr(module, "router", None)
    return router if isinstance(router, APIRouter) else None


def local_time_filter(zone: str) -> Callable[[datetime | None, str], str]:
    """A template filter: a stored naive-UTC time, in the clinic's time zone."""
    tz = ZoneInfo(zone)

    def local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        if value is None:
            return ""
        return value.replace(tzinfo=UTC).astimezone(tz).strftime(fmt)

    return local


def _wants_html(request: Request) -> bool:
    """A browser asking for a page (forms included), rather than a script asking for data."""
    return "text/html" in request.headers.get("accept", "")


def create_app(settings: WebSettings) -> FastAPI:
    """The clinic web app for ``settings`` (database migrated, worker ready)."""
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    db = open_web_database(settings.db_url)
    worker = AuditWorker(db, settings)
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals["version"] = __version__
    templates.env.filters["local"] = local_time_filter(settings.timezone)
    templates.env.filters["check_title"] = lambda check_id: check_words(str(check_id)).title
    ctx = WebContext(
        settings=settings, db=db, templates=templates, worker=worker, limiter=RateLimiter()
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker.resume()
        yield
        worker.shutdown()

    app = FastAPI(
        title="HamCoach clinic",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.web = ctx
    app.add_middleware(
        SecurityMiddleware,
        max_body_bytes=settings.max_upload_bytes + UPLOAD_SLACK_BYTES,
        secure_cookies=settings.secure_cookies,
    )
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    from hamcoach.web import routes_clinic, routes_patient, routes_public

    app.include_router(routes_public.router)
    app.include_router(routes_patient.router)
    app.include_router(routes_clinic.router)
    live = live_router()
    if live is not None:
        app.include_router(live, prefix="/live", dependencies=[Depends(current_user)])
    templates.env.globals["live_enabled"] = live is not None

    def page(request: Request, template: str, status: int, **context: object) -> Response:
        from hamcoach.web.pages import render

        return render(request, template, status_code=status, **context)

    @app.exception_handler(LoginRequiredError)
    async def on_login_required(request: Request, exc: LoginRequiredError) -> Response:
        if _wants_html(request) and request.method == "GET":
            target = quote(
                request.url.path + (f"?{request.url.query}" if request.url.query else "")
            )
            return Response(status_code=303, headers={"location": f"/login?next={target}"})
        if _wants_html(request):
            return Response(status_code=303, headers={"location": "/login"})
        return JSONResponse({"detail": "Log in first."}, status_code=401)

    @app.exception_handler(ForbiddenError)
    async def on_forbidden(request: Request, exc: ForbiddenError) -> Response:
        return page(
            request,
            "error.html",
            403,
            title="Not for this account",
            message="This page is not part of your account.",
        )

    @app.exception_handler(NotFoundError)
    async def on_not_found(request: Request, exc: NotFoundError) -> Response:
        return page(
            request,
            "error.html",
            404,
            title="Not found",
            message="There is nothing here for your account.",
        )

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "That did not work."
        if exc.status_code == 404:
            detail = "There is nothing at this address."
        if not _wants_html(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code)
        return page(request, "error.html", exc.status_code, title="Sorry", message=detail)

    @app.exception_handler(HamCoachError)
    async def on_domain_error(request: Request, exc: HamCoachError) -> Response:
        return page(
            request,
            "error.html",
            400,
            title="That did not work",
            message=exc.message,
            hint=exc.hint,
        )

    @app.exception_handler(Exception)
    async def on_bug(request: Request, exc: Exception) -> Response:
        # Log the route's pattern, never the URL (an invitation token) or what was sent.
        route = getattr(request.scope.get("route"), "path", "?")
        log.error("unexpected error on %s %s", request.method, route, exc_info=exc)
        return page(
            request,
            "error.html",
            500,
            title="Something went wrong",
            message="Sorry: something went wrong on our side. Please go back and try again "
            "in a moment; if it keeps happening, tell your clinic.",
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
