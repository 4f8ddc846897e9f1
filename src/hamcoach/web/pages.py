"""Rendering helpers shared by the routes: templates with the user and the CSRF token."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hamcoach.web.auth import optional_user
from hamcoach.web.context import web_context
from hamcoach.web.security import csrf_token


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page: the template with ``user``, ``csrf`` and ``request`` added."""
    templates = web_context(request).templates
    context.setdefault("user", optional_user(request))
    context["csrf"] = csrf_token(request)
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    """After a form: see the result with a GET (303)."""
    return RedirectResponse(url, status_code=303)


def safe_next(value: str | None, default: str) -> str:
    """A local path to go back to after logging in (never another site)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def form_float(value: object, low: float, high: float) -> float | None:
    """A number in [low, high] from a form field, or None when blank or out of range."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        x = float(value.strip())
    except ValueError:
        return None
    return x if low <= x <= high else None


def form_int(value: object, low: int, high: int) -> int | None:
    """A whole number in [low, high] from a form field, or None when blank or out of range."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        n = int(value.strip())
    except ValueError:
        return None
    return n if low <= n <= high else None
