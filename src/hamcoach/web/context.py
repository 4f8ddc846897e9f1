"""What every request of one app instance shares: settings, the database, templates, the audit
worker and the rate limiter. Stored on ``app.state.web``; dependencies read it from there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from fastapi.templating import Jinja2Templates
from starlette.requests import HTTPConnection

from hamcoach.storage.repo import Database
from hamcoach.web.ratelimit import RateLimiter
from hamcoach.web.settings import WebSettings

if TYPE_CHECKING:
    from hamcoach.web.jobs import AuditWorker


@dataclass
class WebContext:
    settings: WebSettings
    db: Database
    templates: Jinja2Templates
    worker: AuditWorker
    limiter: RateLimiter


def web_context(conn: HTTPConnection) -> WebContext:
    """The app's shared context (a FastAPI dependency)."""
    return cast(WebContext, conn.app.state.web)


def get_db(conn: HTTPConnection) -> Database:
    """The database handle of this request; every read or write is a short
    ``with db.transaction()`` block, so a request never holds SQLite's write lock while it waits."""
    return web_context(conn).db
