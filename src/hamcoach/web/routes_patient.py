"""The patient's pages: today's plan, logging a session, pain check-ins, video audits, progress.

Every route needs a logged-in patient and only ever reads or writes that patient's own record.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select
from starlette.datastructures import UploadFile

from hamcoach.errors import HamCoachError
from hamcoach.program.catalog import PROGRAM, LadderId
from hamcoach.program.history import set_from_counts
from hamcoach.program.plan import Plan, todays_plan
from hamcoach.program.redflags import EMERGENCY_TEXT, LOCK_TEXT, RED_FLAGS, is_emergency
from hamcoach.program.rules import pain_advice, rules_at
from hamcoach.reports.progress import render_progress_report
from hamcoach.storage.models import AuditRow
from hamcoach.storage.repo import (
    Database,
    add_set,
    complete_session,
    list_audits,
    load_history,
    record_morning_pain,
    record_screening,
    start_session,
    utcnow,
)
from hamcoach.web.auth import CurrentUser, NotFoundError, require_patient
from hamcoach.web.context import get_db, web_context
from hamcoach.web.models import AuditJobRow
from hamcoach.web.pages import form_float, form_int, redirect, render
from hamcoach.web.security import csrf_protect

# The login is checked before the CSRF token, so nobody else's upload is ever parsed.
router = APIRouter(prefix="/me", dependencies=[Depends(require_patient), Depends(csrf_protect)])

UPLOAD_CHUNK = 1024 * 1024


def _pid(user: CurrentUser) -> int:
    assert user.patient_id is not None
    return user.patient_id


def stages_allowed(planned: str) -> list[str]:
    """The planned stage and the easier ones on its ladder (never a harder one)."""
    ladder = PROGRAM.ladder(PROGRAM.stage(planned).ladder)
    upto = PROGRAM.position(planned)
    return [s.id for s in ladder[: upto + 1]]


def _flags_from(form: object) -> list[str]:
    get = getattr(form, "get", None)
    assert get is not None
    return [f.id for f in RED_FLAGS if get(f"flag_{f.id}") == "yes"]


@router.get("", response_class=HTMLResponse)
def today(
    request: Request, user: CurrentUser = Depends(require_patient), db: Database = Depends(get_db)
) -> Response:
    history = load_history(db, _pid(user))
    plan = todays_plan(history)
    last = history.sessions[-1] if history.sessions else None
    ask_morning = last is not None and last.morning_pain is None
    return render(request, "patient_today.html", plan=plan, last=last, ask_morning=ask_morning)


# --- logging a session by hand ------------------------------------------------------------------


@router.get("/log", response_class=HTMLResponse)
def log_page(
    request: Request, user: CurrentUser = Depends(require_patient), db: Database = Depends(get_db)
) -> Response:
    plan = todays_plan(load_history(db, _pid(user)))
    return _log_form(request, plan)


def _log_form(request: Request, plan: Plan, status_code: int = 200, **context: object) -> Response:
    choices = {
        item.ladder: [PROGRAM.stage(s) for s in reversed(stages_allowed(item.stage))]
        for item in plan.items
    }
    return render(
        request,
        "patient_log.html",
        status_code=status_code,
        plan=plan,
        choices=choices,
        red_flags=RED_FLAGS,
        **context,
    )


@router.post("/log", response_class=HTMLResponse)
async def log_submit(
    request: Request, user: CurrentUser = Depends(require_patient), db: Database = Depends(get_db)
) -> Response:
    pid = _pid(user)
    form = await request.form()
    history = load_history(db, pid)
    plan = todays_plan(history)
    if plan.locked:
        return render(request, "patient_locked.html", status_code=409, reason=plan.locked)
    errors: list[str] = []
    pain_before = form_int(form.get("pain_before"), 0, 10)
    pain_after = form_int(form.get("pain_after"), 0, 10)
    if pain_before is None or pain_after is None:
        errors.append("Please give your pain before and after the session (0 to 10).")
    flags = _flags_from(form)
    if form.get("screen_done") != "yes":
        errors.append("Please answer the health questions (tick the box under them).")
    records = []
    for item in plan.items:
        if form.get(f"do_{item.ladder}") != "yes":
            continue
        stage_id = str(form.get(f"stage_{item.ladder}", item.stage))
        if stage_id not in stages_allowed(item.stage):
            errors.append(f"{stage_id} is not in today's plan.")
            continue
        st = PROGRAM.stage(stage_id)
        pain = form_int(form.get(f"pain_{item.ladder}"), 0, 10)
        cramp = form.get(f"cramp_{item.ladder}") == "yes"
        load = form_float(form.get(f"load_{item.ladder}"), 0.0, 500.0) if st.loaded else None
        try:
            if st.single_leg:
                left = (
                    form_int(form.get(f"good_left_{item.ladder}"), 0, 500) or 0,
                    form_int(form.get(f"reps_left_{item.ladder}"), 0, 500) or 0,
                )
                right = (
                    form_int(form.get(f"good_right_{item.ladder}"), 0, 500) or 0,
                    form_int(form.get(f"reps_right_{item.ladder}"), 0, 500) or 0,
                )
                record = set_from_counts(
                    st.id, PROGRAM, left=left, right=right, pain=pain, cramp=cramp, load_kg=load
                )
            else:
                reps = form_int(form.get(f"reps_{item.ladder}"), 0, 500) or 0
                good = form_int(form.get(f"good_{item.ladder}"), 0, 500) or 0
                record = set_from_counts(
                    st.id,
                    PROGRAM,
                    reps=reps,
                    good=good,
                    pain=pain,
                    cramp=cramp,
                    load_kg=load,
                )
        except HamCoachError as exc:
            errors.append(f"{item.ladder_name}: {exc.message}")
            continue
        if record.reps == 0:
            errors.append(f"{item.ladder_name}: how many reps did you do?")
            continue
        records.append(record)
    if not records and not errors:
        errors.append("Tick at least one exercise you did.")
    if errors:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        return _log_form(request, plan, 400, errors=errors, values=values)
    record_screening(db, pid, flags)
    if flags:
        return render(
            request,
            "patient_locked.html",
            status_code=200,
            reason=EMERGENCY_TEXT if is_emergency(flags) else LOCK_TEXT,
            emergency=is_emergency(flags),
        )
    sid = start_session(db, pid, pain_before=pain_before)
    for record in records:
        add_set(db, sid, record)
    rules = rules_at(history.overrides, None)
    stopped = any(
        r.pain is not None and r.pain >= rules.pain.stop_session_at.value for r in records
    )
    decisions = complete_session(
        db,
        sid,
        pain_after=pain_after,
        status="stopped" if stopped else "completed",
        stop_reason="pain" if stopped else "",
    )
    advice = [
        (PROGRAM.stage(r.stage).name, pain_advice(r.pain)) for r in records if r.pain is not None
    ]
    ordered: list[tuple[LadderId, object]] = sorted(
        decisions.items(), key=lambda kv: "BSD".index(kv[0])
    )
    return render(request, "patient_logged.html", decisions=[d for _, d in ordered], advice=advice)


# --- pain check-ins -----------------------------------------------------------------------------


@router.get("/pain", response_class=HTMLResponse)
def pain_page(
    request: Request, user: CurrentUser = Depends(require_patient), db: Database = Depends(get_db)
) -> Response:
    history = load_history(db, _pid(user))
    last = history.sessions[-1] if history.sessions else None
    return render(request, "patient_pain.html", last=last, red_flags=RED_FLAGS)


@router.post("/pain", response_class=HTMLResponse)
async def pain_submit(
    request: Request, user: CurrentUser = Depends(require_patient), db: Database = Depends(get_db)
) -> Response:
    pid = _pid(user)
    form = await request.form()
    history = load_history(db, pid)
    last = history.sessions[-1] if history.sessions else None
    score = form_int(form.get("score"), 0, 10)
    flags = _flags_from(form)
    if score is None or last is None:
        error = (
            "Please choose a number from 0 to 10."
            if last is not None
            else "There is no finished session yet to report the next morning for."
        )
        return render(
            request,
            "patient_pain.html",
            status_code=400,
            last=last,
            red_flags=RED_FLAGS,
            error=error,
        )
    record_morning_pain(db, pid, score)
    rules = rules_at(history.overrides, None)
    if score > rules.pain.fine_max.value or flags:
        record_screening(db, pid, flags)
    if flags:
        return render(
            request,
            "patient_locked.html",
            reason=EMERGENCY_TEXT if is_emergency(flags) else LOCK_TEXT,
            emergency=is_emergency(flags),
        )
    limit = history.baseline_pain + rules.pain.morning_above_baseline.value
    return render(request, "patient_pain_done.html", score=score, raised=score > limit, limit=limit)


# --- video audits -------------------------------------------------------------------------------


def _jobs(db: Database, pid: int) -> list[AuditJobRow]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(AuditJobRow)
                .where(AuditJobRow.patient_id == pid)
                .order_by(AuditJobRow.id.desc())
                .limit(20)
            )
        )


def audits_with_reports(db: Database, patient_id: int) -> set[int]:
    """The ids of the patient's audits that have a report (those uploaded in the web app)."""
    with db.transaction() as s:
        return {
            int(a)
            for a in s.scalars(
                select(AuditJobRow.audit_id)
                .where(AuditJobRow.patient_id == patient_id)
                .where(AuditJobRow.report_name.is_not(None))
            )
            if a is not None
        }


def _audits_page(
    request: Request,
    db: Database,
    pid: int,
    plan: Plan,
    status_code: int = 200,
    **context: object,
) -> Response:
    ctx = web_context(request)
    groups = [
        (item.ladder_name, [PROGRAM.stage(s) for s in reversed(stages_allowed(item.stage))])
        for item in plan.items
    ]
    return render(
        request,
        "patient_audits.html",
        status_code=status_code,
        groups=groups,
        planned={item.stage for item in plan.items},
        jobs=_jobs(db, pid),
        audits=list_audits(db, pid),
        reports=audits_with_reports(db, pid),
        max_mb=ctx.settings.max_upload_mb,
        extensions=ctx.settings.video_extensions,
        **context,
    )


@router.get("/audits", response_class=HTMLResponse)
def audits_page(
    request: Request, user: CurrentUser = Depends(require_patient), db: Database = Depends(get_db)
) -> Response:
    pid = _pid(user)
    plan = todays_plan(load_history(db, pid))
    return _audits_page(request, db, pid, plan)


@router.post("/audits", response_class=HTMLResponse)
async def audits_upload(
    request: Request, user: CurrentUser = Depends(require_patient), db: Database = Depends(get_db)
) -> Response:
    ctx = web_context(request)
    pid = _pid(user)
    form = await request.form()
    video = form.get("video")
    stage_id = str(form.get("stage", ""))
    keep = form.get("keep") == "yes"
    plan = todays_plan(load_history(db, pid))
    allowed = [s for item in plan.items for s in stages_allowed(item.stage)]
    error = None
    suffix = ""
    if not isinstance(video, UploadFile) or not video.filename:
        error = "Please choose a video file."
    else:
        suffix = Path(video.filename).suffix.lower()
        if suffix not in ctx.settings.video_extensions:
            error = (
                "That is not a video HamCoach can read. Please upload one of: "
                + ", ".join(ctx.settings.video_extensions)
                + "."
            )
    if error is None and stage_id not in allowed:
        error = "Please choose which exercise the video shows."
    if error is not None or not isinstance(video, UploadFile):
        return _audits_page(request, db, pid, plan, 400, error=error)
    ctx.settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    # Never the patient's own file name (it may hold their name); random, so nobody can guess it.
    name = f"video-{utcnow():%Y%m%d}-{secrets.token_hex(8)}{suffix}"
    target = ctx.settings.uploads_dir / name
    size = 0
    with target.open("wb") as out:
        while chunk := await video.read(UPLOAD_CHUNK):
            size += len(chunk)
            if size > ctx.settings.max_upload_bytes:
                break
            out.write(chunk)
    head = target.read_bytes()[:64] if size else b""
    if size > ctx.settings.max_upload_bytes or size == 0 or not _looks_like_video(head):
        target.unlink(missing_ok=True)
        too_big = size > ctx.settings.max_upload_bytes
        return _audits_page(
            request,
            db,
            pid,
            plan,
            413 if too_big else 400,
            error=(
                f"The video is larger than {ctx.settings.max_upload_mb:g} MB. Please trim it."
                if too_big
                else "That file is not a video HamCoach can read."
            ),
        )
    stage = PROGRAM.stage(stage_id)
    with db.transaction() as s:
        job = AuditJobRow(
            patient_id=pid,
            created_at=utcnow(),
            stage=stage.id,
            exercise=stage.exercise,
            status="queued",
            progress=0.0,
            message="Waiting for its turn...",
            video_name=name,
            keep_video=keep,
        )
        s.add(job)
        s.flush()
        job_id = job.id
    ctx.worker.submit(job_id)
    return redirect(f"/me/audits/jobs/{job_id}")


def _looks_like_video(head: bytes) -> bool:
    """The first bytes of a video container (MP4/MOV, AVI, WebM/MKV, MPEG-TS)."""
    return (
        head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")
        or head[:4] == b"RIFF"
        or head[:4] == b"\x1a\x45\xdf\xa3"
        or head[:1] == b"\x47"
    )


def _job(db: Database, user: CurrentUser, job_id: int) -> AuditJobRow:
    with db.transaction() as s:
        job = s.get(AuditJobRow, job_id)
        if job is None or job.patient_id != user.patient_id:
            raise NotFoundError
        return job


@router.get("/audits/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request,
    job_id: int,
    user: CurrentUser = Depends(require_patient),
    db: Database = Depends(get_db),
) -> Response:
    job = _job(db, user, job_id)
    return render(request, "patient_job.html", job=job, stage=PROGRAM.stage(job.stage))


@router.get("/audits/jobs/{job_id}/status", response_class=HTMLResponse)
def job_status(
    request: Request,
    job_id: int,
    user: CurrentUser = Depends(require_patient),
    db: Database = Depends(get_db),
) -> Response:
    """The progress box alone (polled by the job page)."""
    return render(request, "_job_status.html", job=_job(db, user, job_id))


@router.get("/api/jobs/{job_id}")
def job_json(
    job_id: int, user: CurrentUser = Depends(require_patient), db: Database = Depends(get_db)
) -> JSONResponse:
    job = _job(db, user, job_id)
    return JSONResponse(
        {
            "id": job.id,
            "status": job.status,
            "progress": round(job.progress, 3),
            "message": job.message,
            "audit_id": job.audit_id,
        }
    )


REPORT_BAR = (
    '<nav style="font:15px/1.4 system-ui,sans-serif;background:#11694f;padding:.5rem 1rem;'
    'margin:0 0 1rem" class="no-print"><a style="color:#fff" href="{back}">&larr; {label}</a>'
    "</nav><style>@media print{{.no-print{{display:none}}}}</style>"
)


def with_back_link(html: str, back: str, label: str) -> str:
    """The stand-alone report with a bar at the top leading back into the app."""
    bar = REPORT_BAR.format(back=back, label=label)
    at = html.find("<body")
    if at < 0:
        return bar + html
    end = html.find(">", at) + 1
    return html[:end] + bar + html[end:]


def report_response(
    request: Request,
    db: Database,
    patient_id: int,
    audit_id: int,
    back: tuple[str, str] = ("/me/audits", "Back to my audits"),
) -> Response:
    """The stored audit report of one of the patient's audits."""
    ctx = web_context(request)
    with db.transaction() as s:
        row = s.get(AuditRow, audit_id)
        if row is None or row.patient_id != patient_id:
            raise NotFoundError
        job = s.scalar(select(AuditJobRow).where(AuditJobRow.audit_id == audit_id))
        report_name = job.report_name if job is not None else None
    path = ctx.settings.reports_dir / report_name if report_name else None
    if path is None or not path.exists():
        return render(request, "report_missing.html", status_code=404, audit_id=audit_id)
    return HTMLResponse(with_back_link(path.read_text(encoding="utf-8"), *back))


@router.get("/audits/{audit_id}/report", response_class=HTMLResponse)
def audit_report(
    request: Request,
    audit_id: int,
    user: CurrentUser = Depends(require_patient),
    db: Database = Depends(get_db),
) -> Response:
    return report_response(request, db, _pid(user), audit_id)


# --- progress -----------------------------------------------------------------------------------


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, user: CurrentUser = Depends(require_patient)) -> Response:
    return render(request, "patient_progress.html")


@router.get("/progress/report", response_class=HTMLResponse)
def progress_report(
    user: CurrentUser = Depends(require_patient), db: Database = Depends(get_db)
) -> HTMLResponse:
    history = load_history(db, _pid(user))
    return HTMLResponse(render_progress_report(history, clinician=False))
