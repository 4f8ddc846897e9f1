"""Public pages: the program, the free-trial sign-up, logging in and accepting an invitation."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from hamcoach.program.redflags import RED_FLAGS, is_emergency
from hamcoach.program.signup import OFFERS, Offer
from hamcoach.storage.models import LeadRow
from hamcoach.storage.repo import Database, utcnow
from hamcoach.web.area import lookup_zip
from hamcoach.web.auth import (
    LOGIN_COOKIE,
    MIN_PASSWORD_LENGTH,
    CurrentUser,
    authenticate,
    end_login,
    hash_password,
    optional_user,
    start_login,
    token_digest,
)
from hamcoach.web.content import WHY_PARAGRAPHS, ladder_cards
from hamcoach.web.context import WebContext, get_db, web_context
from hamcoach.web.models import ClinicRow, LeadClinicRow, UserRow
from hamcoach.web.pages import redirect, render, safe_next
from hamcoach.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])

HONEYPOT_FIELD = "website"
"""A field people never see (hidden by CSS, skipped by keyboard); bots fill it in."""
SEE_DOCTOR = (
    "Please see a doctor before you start any exercise program. What you told us needs a "
    "medical check first, so we cannot offer a trial or an audit today."
)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _home_for(user: CurrentUser) -> str:
    return "/me" if user.is_patient else "/clinic"


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return render(request, "home.html", why=WHY_PARAGRAPHS)


@router.get("/program", response_class=HTMLResponse)
def program_page(request: Request) -> Response:
    return render(request, "program.html", ladders=ladder_cards())


# --- sign-up --------------------------------------------------------------------------------


def _serializer(ctx: WebContext) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(ctx.settings.secret_key, salt="hamcoach-signup-form")


def _signup_form(request: Request, status_code: int = 200, **context: object) -> Response:
    ctx = web_context(request)
    stamp = _serializer(ctx).dumps(datetime.now().timestamp())
    values = context.pop("values", {})
    return render(
        request,
        "signup.html",
        status_code=status_code,
        red_flags=RED_FLAGS,
        offers=OFFERS,
        stamp=stamp,
        values=values,
        honeypot=HONEYPOT_FIELD,
        **context,
    )


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request) -> Response:
    return _signup_form(request)


def _signup_clinic(db: Database) -> ClinicRow | None:
    with db.transaction() as s:
        return s.scalar(select(ClinicRow).where(ClinicRow.takes_signups.is_(True)).limit(1))


@router.post("/signup", response_class=HTMLResponse)
async def signup_submit(request: Request, db: Database = Depends(get_db)) -> Response:
    ctx = web_context(request)
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    flags = [f.id for f in RED_FLAGS if form.get(f"flag_{f.id}") == "yes"]
    # Spam: a filled honeypot, a form sent too fast or with a forged stamp, too many sign-ups.
    try:
        shown_at = float(_serializer(ctx).loads(values.get("stamp", ""), max_age=86400))
    except (BadSignature, ValueError):
        return _signup_form(
            request, 400, values=values, errors=["The form expired. Please fill it in again."]
        )
    too_fast = datetime.now().timestamp() - shown_at < ctx.settings.signup_min_seconds
    if values.get(HONEYPOT_FIELD) or too_fast:
        # Say nothing useful to a bot; a person who was just very quick can send again.
        return _signup_form(
            request,
            400,
            values=values,
            errors=["Sorry, that did not go through. Please check the form and send it again."],
        )
    count, window = ctx.settings.signup_rate
    if not ctx.limiter.hit(f"signup:{_client(request)}", count, window):
        return _signup_form(
            request,
            429,
            values=values,
            errors=["Too many sign-ups from this connection. Please try again later."],
        )
    errors = []
    name = values.get("name", "")
    phone, email = values.get("phone", ""), values.get("email", "").lower()
    offer = values.get("offer", "trial")
    if not name:
        errors.append("Please tell us your name.")
    if not phone and not email:
        errors.append("Please give a phone number or an e-mail address so the clinic can reply.")
    if email and ("@" not in email or len(email) > 200):
        errors.append("That e-mail address does not look right.")
    if offer not in OFFERS:
        errors.append("Please choose the trial or the audit.")
    area = lookup_zip(values.get("zip", ""))
    if not area.valid:
        errors.append("Please enter your 5-digit ZIP code.")
    if values.get("screen_done") != "yes":
        errors.append("Please answer the health questions (tick the box under them).")
    if errors:
        return _signup_form(request, 400, values=values, errors=errors)
    if not area.in_area:
        # Out of the area: nothing is stored.
        return render(request, "signup_outside.html", area=area)
    clinic = _signup_clinic(db)
    note = SEE_DOCTOR if flags else ""
    with db.transaction() as s:
        lead = LeadRow(
            created_at=utcnow(),
            zip=area.zip,
            county=area.county or "",
            border=area.border,
            offer=offer,
            name=name[:200],
            phone=phone[:40],
            email=email[:200],
            red_flags=flags,
            urgent=bool(flags),
            status="new",
        )
        s.add(lead)
        s.flush()
        if clinic is not None:
            s.add(LeadClinicRow(lead_id=lead.id, clinic_id=clinic.id, note=note))
    if flags:
        return render(
            request,
            "signup_doctor.html",
            emergency=is_emergency(flags),
            message=SEE_DOCTOR,
        )
    return render(
        request,
        "signup_thanks.html",
        area=area,
        offer=OFFERS[cast(Offer, offer)],
        clinic=clinic,
        name=name,
    )


# --- logging in -----------------------------------------------------------------------------


def _set_login_cookie(ctx: WebContext, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=int(ctx.settings.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=ctx.settings.secure_cookies,
        path="/",
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    user = optional_user(request)
    if user is not None:
        return redirect(safe_next(next, _home_for(user)))
    return render(request, "login.html", next=safe_next(next, ""))


@router.post("/login", response_class=HTMLResponse)
async def login_submit(request: Request, db: Database = Depends(get_db)) -> Response:
    ctx = web_context(request)
    form = await request.form()
    email = str(form.get("email", "")).strip().lower()
    password = str(form.get("password", ""))
    nxt = str(form.get("next", ""))
    count, window = ctx.settings.login_rate
    key = f"login:{_client(request)}"
    if not ctx.limiter.allowed(key, count, window):
        return render(
            request,
            "login.html",
            status_code=429,
            next=safe_next(nxt, ""),
            email=email,
            error="Too many attempts. Please wait a few minutes and try again.",
        )
    user_id = authenticate(db, email, password)
    if user_id is None:
        ctx.limiter.hit(key, count, window)
        return render(
            request,
            "login.html",
            status_code=400,
            next=safe_next(nxt, ""),
            email=email,
            error="That e-mail and password do not match an account.",
        )
    with db.transaction() as s:
        role = s.get(UserRow, user_id)
        home_url = "/me" if role is not None and role.role == "patient" else "/clinic"
    response = redirect(safe_next(nxt, home_url))
    _set_login_cookie(ctx, response, start_login(db, user_id, ctx.settings.session_hours))
    return response


@router.post("/logout")
def logout(request: Request, db: Database = Depends(get_db)) -> Response:
    end_login(db, request.cookies.get(LOGIN_COOKIE))
    response = redirect("/")
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


# --- invitations ------------------------------------------------------------------------------


def _invited(db: Database, token: str) -> int | None:
    with db.transaction() as s:
        row = s.scalar(select(UserRow).where(UserRow.invite_digest == token_digest(token)))
        if row is None or row.invite_expires is None or row.invite_expires < utcnow():
            return None
        return row.id


@router.get("/invite/{token}", response_class=HTMLResponse)
def invite_page(request: Request, token: str, db: Database = Depends(get_db)) -> Response:
    user_id = _invited(db, token)
    if user_id is None:
        return render(request, "invite_invalid.html", status_code=404)
    with db.transaction() as s:
        row = s.get(UserRow, user_id)
        email = row.email if row else ""
    return render(request, "invite.html", token=token, email=email, min_length=MIN_PASSWORD_LENGTH)


@router.post("/invite/{token}", response_class=HTMLResponse)
async def invite_accept(request: Request, token: str, db: Database = Depends(get_db)) -> Response:
    ctx = web_context(request)
    user_id = _invited(db, token)
    if user_id is None:
        return render(request, "invite_invalid.html", status_code=404)
    form = await request.form()
    password = str(form.get("password", ""))
    again = str(form.get("password_again", ""))
    error = None
    if len(password) < MIN_PASSWORD_LENGTH:
        error = f"Please choose a password of at least {MIN_PASSWORD_LENGTH} characters."
    elif password != again:
        error = "The two passwords are not the same."
    if error:
        with db.transaction() as s:
            row = s.get(UserRow, user_id)
            email = row.email if row else ""
        return render(
            request,
            "invite.html",
            status_code=400,
            token=token,
            email=email,
            error=error,
            min_length=MIN_PASSWORD_LENGTH,
        )
    with db.transaction() as s:
        row = s.get(UserRow, user_id)
        assert row is not None
        row.password_hash = hash_password(password)
        row.invite_digest = None
        row.invite_expires = None
        home_url = "/me" if row.role == "patient" else "/clinic"
    response = redirect(home_url)
    _set_login_cookie(ctx, response, start_login(db, user_id, ctx.settings.session_hours))
    return response
