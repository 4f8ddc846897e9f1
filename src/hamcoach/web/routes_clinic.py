"""The clinician's pages: patients with alerts first, each patient's timeline, audits, overrides,
clearing red flags, inviting patients, and the sign-up inbox.

Every route needs a logged-in clinician; a patient of another clinic is answered with 404.
"""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from hamcoach.errors import HamCoachError
from hamcoach.program.catalog import LADDER_NAMES, LADDERS, PROGRAM
from hamcoach.program.history import OverrideKind
from hamcoach.program.plan import todays_plan
from hamcoach.program.redflags import RED_FLAGS, active_flags
from hamcoach.program.rules import rules_at
from hamcoach.program.rules_settings import DEFAULT_RULES
from hamcoach.reports.progress import render_progress_report
from hamcoach.storage.errors import PatientExistsError
from hamcoach.storage.leads import LEAD_STATUSES, LeadStatus, enroll_lead, set_lead_status
from hamcoach.storage.models import LeadRow, Patient
from hamcoach.storage.repo import (
    Database,
    add_override,
    add_patient,
    clear_red_flags,
    list_audits,
    load_decisions,
    load_history,
    utcnow,
)
from hamcoach.web.auth import CurrentUser, NotFoundError, patient_for_clinician, require_clinician
from hamcoach.web.clinic import (
    clinic_patients,
    clinician_name,
    email_taken,
    issue_invite,
    link_patient,
    patient_alerts,
    timeline,
)
from hamcoach.web.context import get_db, web_context
from hamcoach.web.models import ClinicRow, LeadClinicRow, UserRow
from hamcoach.web.pages import form_int, redirect, render
from hamcoach.web.routes_patient import audits_with_reports, report_response
from hamcoach.web.security import csrf_protect

router = APIRouter(
    prefix="/clinic", dependencies=[Depends(require_clinician), Depends(csrf_protect)]
)

RED_FLAG_TEXT = {f.id: f.question for f in RED_FLAGS}


@router.get("", response_class=HTMLResponse)
def clinic_home(
    request: Request,
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> Response:
    ctx = web_context(request)
    patients = clinic_patients(db, user.clinic_id, ctx.settings.missed_days)
    with db.transaction() as s:
        new_leads = len(
            s.scalars(
                select(LeadRow.id)
                .join(LeadClinicRow, LeadClinicRow.lead_id == LeadRow.id)
                .where(LeadClinicRow.clinic_id == user.clinic_id)
                .where(LeadRow.status == "new")
            ).all()
        )
    return render(request, "clinic_home.html", patients=patients, new_leads=new_leads)


# --- one patient --------------------------------------------------------------------------------


def _patient_page(
    request: Request,
    db: Database,
    pid: int,
    status_code: int = 200,
    **extra: object,
) -> Response:
    ctx = web_context(request)
    history = load_history(db, pid)
    plan = todays_plan(history)
    now_rules = rules_at(history.overrides, None)
    rule_keys = DEFAULT_RULES.keys()
    with db.transaction() as s:
        patient = s.get(Patient, pid)
        assert patient is not None
        account = s.scalar(select(UserRow).where(UserRow.patient_id == pid))
        name, code = patient.name, patient.code
        account_state = (
            "none" if account is None else "active" if account.password_hash else "invited"
        )
        account_email = account.email if account else ""
    return render(
        request,
        "clinic_patient.html",
        status_code=status_code,
        pid=pid,
        name=name,
        code=code,
        plan=plan,
        history=history,
        alerts=patient_alerts(db, pid, history, ctx.settings.missed_days, utcnow()),
        active_flags=active_flags(history),
        flag_text=RED_FLAG_TEXT,
        audits=list_audits(db, pid),
        reports=audits_with_reports(db, pid),
        events=timeline(history, load_decisions(db, pid)),
        stages=PROGRAM.stages,
        ladders=LADDERS,
        ladder_names=LADDER_NAMES,
        rule_rows=[(k, now_rules.get(k)) for k in rule_keys],
        account_state=account_state,
        account_email=account_email,
        **extra,
    )


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(
    request: Request,
    pid: int = Depends(patient_for_clinician),
    db: Database = Depends(get_db),
) -> Response:
    return _patient_page(request, db, pid)


@router.post("/patients/{patient_id}/override", response_class=HTMLResponse)
async def patient_override(
    request: Request,
    pid: int = Depends(patient_for_clinician),
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> Response:
    form = await request.form()
    kind = str(form.get("kind", ""))
    reason = str(form.get("reason", "")).strip()
    key = str(form.get("key", "")).strip()
    value = str(form.get("value", "")).strip()
    if kind not in ("stage", "target", "threshold"):
        return _patient_page(request, db, pid, 400, override_error="Choose what to change.")
    if kind == "stage":
        key, value = "", value or key
    if not reason:
        return _patient_page(
            request, db, pid, 400, override_error="Please say why (it is kept with the change)."
        )
    try:
        add_override(
            db,
            pid,
            clinician=clinician_name(db, user.clinician_id),
            reason=reason,
            kind=cast(OverrideKind, kind),
            key=key,
            value=value,
        )
    except HamCoachError as exc:
        return _patient_page(request, db, pid, 400, override_error=exc.message)
    return redirect(f"/clinic/patients/{pid}?saved=override")


@router.post("/patients/{patient_id}/clear", response_class=HTMLResponse)
async def patient_clear(
    request: Request,
    pid: int = Depends(patient_for_clinician),
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> Response:
    form = await request.form()
    reason = str(form.get("reason", "")).strip()
    if not reason:
        return _patient_page(
            request, db, pid, 400, clear_error="Please say why it is safe to go on."
        )
    clear_red_flags(db, pid, clinician=clinician_name(db, user.clinician_id), reason=reason)
    return redirect(f"/clinic/patients/{pid}?saved=cleared")


@router.post("/patients/{patient_id}/invite", response_class=HTMLResponse)
async def patient_reinvite(
    request: Request,
    pid: int = Depends(patient_for_clinician),
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> Response:
    ctx = web_context(request)
    form = await request.form()
    email = str(form.get("email", "")).strip().lower()
    if "@" not in email or email_taken(db, email, except_patient=pid):
        return _patient_page(
            request, db, pid, 400, invite_error="Give an e-mail address no other account uses."
        )
    with db.transaction() as s:
        account = s.scalar(select(UserRow).where(UserRow.patient_id == pid))
        if account is not None and account.password_hash:
            return _patient_page(
                request, db, pid, 400, invite_error="This patient already has an account."
            )
        if account is not None:
            account.email = email
    token = issue_invite(
        db, clinic_id=user.clinic_id, patient_id=pid, email=email, days=ctx.settings.invite_days
    )
    return _invite_done(request, db, pid, token)


def _invite_done(request: Request, db: Database, pid: int, token: str) -> Response:
    with db.transaction() as s:
        patient = s.get(Patient, pid)
        account = s.scalar(select(UserRow).where(UserRow.patient_id == pid))
        code = patient.code if patient else ""
        email = account.email if account else ""
    link = str(request.base_url).rstrip("/") + f"/invite/{token}"
    return render(
        request,
        "clinic_invited.html",
        pid=pid,
        code=code,
        email=email,
        link=link,
        days=web_context(request).settings.invite_days,
    )


@router.get("/patients/{patient_id}/progress", response_class=HTMLResponse)
def patient_progress(
    pid: int = Depends(patient_for_clinician), db: Database = Depends(get_db)
) -> HTMLResponse:
    with db.transaction() as s:
        patient = s.get(Patient, pid)
        name = patient.name if patient else None
    return HTMLResponse(
        render_progress_report(
            load_history(db, pid), clinician=True, name=name, audits=list_audits(db, pid)
        )
    )


@router.get("/patients/{patient_id}/audits/{audit_id}/report", response_class=HTMLResponse)
def patient_audit_report(
    request: Request,
    audit_id: int,
    pid: int = Depends(patient_for_clinician),
    db: Database = Depends(get_db),
) -> Response:
    return report_response(
        request, db, pid, audit_id, back=(f"/clinic/patients/{pid}", "Back to the patient")
    )


# --- new patients -------------------------------------------------------------------------------


@router.get("/invite", response_class=HTMLResponse)
def invite_form(request: Request, user: CurrentUser = Depends(require_clinician)) -> Response:
    return render(request, "clinic_invite.html", values={})


@router.post("/invite", response_class=HTMLResponse)
async def invite_submit(
    request: Request,
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> Response:
    ctx = web_context(request)
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    code, email = values.get("code", ""), values.get("email", "").lower()
    baseline = form_int(values.get("baseline_pain", "0") or "0", 0, 10)
    errors = []
    if not code:
        errors.append("Give the patient a short code (e.g. P012): it is what reports show.")
    if "@" not in email:
        errors.append("Give the e-mail address the patient will log in with.")
    elif email_taken(db, email):
        errors.append("Another account already uses that e-mail address.")
    if baseline is None:
        errors.append("Usual pain is a number from 0 to 10.")
    if not errors:
        try:
            pid = add_patient(
                db, code, name=values.get("name") or None, baseline_pain=baseline or 0
            )
        except PatientExistsError:
            errors.append(f"The code {code} is taken; choose another.")
    if errors:
        return render(request, "clinic_invite.html", status_code=400, values=values, errors=errors)
    link_patient(db, pid, user.clinic_id)
    token = issue_invite(
        db, clinic_id=user.clinic_id, patient_id=pid, email=email, days=ctx.settings.invite_days
    )
    return _invite_done(request, db, pid, token)


# --- the sign-up inbox --------------------------------------------------------------------------


def _clinic_lead(db: Database, user: CurrentUser, lead_id: int) -> LeadRow:
    with db.transaction() as s:
        row = s.scalar(
            select(LeadRow)
            .join(LeadClinicRow, LeadClinicRow.lead_id == LeadRow.id)
            .where(LeadRow.id == lead_id)
            .where(LeadClinicRow.clinic_id == user.clinic_id)
        )
        if row is None:
            raise NotFoundError
        return row


@router.get("/leads", response_class=HTMLResponse)
def leads_page(
    request: Request,
    show: str = "open",
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> Response:
    with db.transaction() as s:
        clinic = s.get(ClinicRow, user.clinic_id)
        q = (
            select(LeadRow, LeadClinicRow)
            .join(LeadClinicRow, LeadClinicRow.lead_id == LeadRow.id)
            .where(LeadClinicRow.clinic_id == user.clinic_id)
        )
        if show != "all":
            q = q.where(LeadRow.status.in_(("new", "contacted")))
        rows = s.execute(
            q.order_by(LeadRow.urgent.desc(), LeadRow.created_at.desc(), LeadRow.id.desc())
        ).all()
        leads = [(lead, link.note) for lead, link in rows]
        takes = clinic.takes_signups if clinic else False
    return render(
        request,
        "clinic_leads.html",
        leads=leads,
        show=show,
        takes_signups=takes,
        flag_text=RED_FLAG_TEXT,
        statuses=[s for s in LEAD_STATUSES if s != "enrolled"],
    )


@router.post("/leads/{lead_id}/status", response_class=HTMLResponse)
async def lead_status(
    request: Request,
    lead_id: int,
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> Response:
    _clinic_lead(db, user, lead_id)
    form = await request.form()
    status = str(form.get("status", ""))
    if status in ("new", "contacted", "closed"):
        set_lead_status(db, lead_id, cast(LeadStatus, status))
    return redirect("/clinic/leads")


@router.get("/leads/{lead_id}/enroll", response_class=HTMLResponse)
def lead_enroll_form(
    request: Request,
    lead_id: int,
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> Response:
    lead = _clinic_lead(db, user, lead_id)
    return render(request, "clinic_enroll.html", lead=lead, values={"email": lead.email})


@router.post("/leads/{lead_id}/enroll", response_class=HTMLResponse)
async def lead_enroll(
    request: Request,
    lead_id: int,
    user: CurrentUser = Depends(require_clinician),
    db: Database = Depends(get_db),
) -> Response:
    ctx = web_context(request)
    lead = _clinic_lead(db, user, lead_id)
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    code, email = values.get("code", ""), values.get("email", "").lower()
    baseline = form_int(values.get("baseline_pain", "0") or "0", 0, 10)
    errors = []
    if lead.patient_id is not None:
        errors.append("This sign-up is already a patient.")
    if not code:
        errors.append("Give the patient a short code (e.g. P012): it is what reports show.")
    if "@" not in email:
        errors.append("Give the e-mail address the patient will log in with.")
    elif email_taken(db, email):
        errors.append("Another account already uses that e-mail address.")
    if baseline is None:
        errors.append("Usual pain is a number from 0 to 10.")
    pid = None
    if not errors:
        try:
            pid = enroll_lead(db, lead_id, code, baseline_pain=baseline or 0)
        except HamCoachError as exc:
            errors.append(exc.message)
    if errors or pid is None:
        return render(
            request, "clinic_enroll.html", status_code=400, lead=lead, values=values, errors=errors
        )
    link_patient(db, pid, user.clinic_id)
    token = issue_invite(
        db, clinic_id=user.clinic_id, patient_id=pid, email=email, days=ctx.settings.invite_days
    )
    return _invite_done(request, db, pid, token)
