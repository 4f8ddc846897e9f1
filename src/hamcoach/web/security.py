"""CSRF protection, the upload size limit and security headers.

CSRF: every browser gets a random ``hc_csrf`` cookie (HttpOnly, SameSite=Lax); every form carries
``csrf_token`` = HMAC(secret key, that cookie), and HTMX requests send it as ``X-CSRF-Token``.
:func:`csrf_protect` (a dependency of every router of the app) refuses any POST, PUT, PATCH or
DELETE without the right token: another site can neither read the cookie nor compute the token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hamcoach.web.context import web_context

CSRF_COOKIE = "hc_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
LIVE_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; worker-src 'self' blob:; "
    "connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'self'"
)
"""The live-coaching page runs MediaPipe Pose in the browser (WebAssembly, a worker, the camera)."""
LIVE_PREFIX = "/live"


def csrf_seed(scope: Scope) -> str:
    state = scope.setdefault("state", {})
    return str(state.get("csrf_seed", ""))


def csrf_token_for(secret_key: str, seed: str) -> str:
    return hmac.new(secret_key.encode(), f"csrf:{seed}".encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token to put in this page's forms."""
    return csrf_token_for(web_context(request).settings.secret_key, csrf_seed(request.scope))


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing request without the page's CSRF token (403)."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    seed = request.cookies.get(CSRF_COOKIE, "")
    expected = csrf_token_for(web_context(request).settings.secret_key, seed)
    if not seed or not sent or not hmac.compare_digest(sent, expected):
        raise HTTPException(
            status_code=403,
            detail="This form has expired or did not come from this site. Reload the page "
            "and try again.",
        )


class BodyTooLargeError(Exception):
    pass


class SecurityMiddleware:
    """Pure ASGI: gives every browser a CSRF cookie, caps request bodies, adds security headers."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, secure_cookies: bool = False) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        cookie = SimpleCookie()
        cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        seed = cookie[CSRF_COOKIE].value if CSRF_COOKIE in cookie else ""
        new_seed = not seed
        if new_seed:
            seed = secrets.token_urlsafe(24)
        scope.setdefault("state", {})["csrf_seed"] = seed
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            await _too_large(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLargeError
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = list(message.get("headers", []))
                names = {name.lower() for name, _ in out}
                policy = (
                    LIVE_CONTENT_SECURITY_POLICY
                    if str(scope.get("path", "")).startswith(LIVE_PREFIX)
                    else CONTENT_SECURITY_POLICY
                )
                out += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"SAMEORIGIN"),
                    (b"referrer-policy", b"same-origin"),
                ]
                if b"content-security-policy" not in names:
                    out.append((b"content-security-policy", policy.encode()))
                if new_seed:
                    flags = "; Path=/; HttpOnly; SameSite=Lax"
                    if self.secure_cookies:
                        flags += "; Secure"
                    out.append((b"set-cookie", f"{CSRF_COOKIE}={seed}{flags}".encode()))
                message["headers"] = out
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLargeError:
            if not started:
                await _too_large(send)


async def _too_large(send: Send) -> None:
    body = b"The file is too large."
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})
