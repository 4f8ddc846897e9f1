"""The live page, its static files (the vendored MediaPipe Pose for the browser) and the
WebSocket that runs :class:`~hamcoach.live.session.LiveSession` (docs/LIVE.md).

``router`` is mounted at ``/live`` by the clinic web app and by :func:`hamcoach.live.app.
create_live_app`. Who is exercising comes from the :func:`live_user` dependency: ``None`` here
(nothing is saved unless the app was configured with a patient); the web app overrides it with its
own login: inside the clinic web app (``app.state.web``) it is the logged-in patient of
:mod:`hamcoach.web.auth`, and another host may override it
(``app.dependency_overrides[live_user] = ...``). The page turns the user into a short-lived ticket
that the WebSocket presents (the WebSocket also reads the web app's login cookie itself).
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, WebSocket, WebSocketDisconnect
from fastapi.requests import HTTPConnection
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from hamcoach.errors import HamCoachError
from hamcoach.exercises import EXERCISE_IDS
from hamcoach.live.errors import LiveProtocolError, LiveSessionNotFoundError
from hamcoach.live.recorder import DatabaseSink, planned_stage
from hamcoach.live.registry import SessionRegistry
from hamcoach.live.session import Event, LiveSession, SetSink, resolve_stage
from hamcoach.live.settings import DEFAULT_LIVE_SETTINGS, LiveSettings
from hamcoach.settings import DEFAULT_SETTINGS, Settings

STATIC_DIR = Path(__file__).parent / "static"
_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".data": "application/octet-stream",
    ".tflite": "application/octet-stream",
    ".binarypb": "application/octet-stream",
    ".css": "text/css",
}
_env = Environment(
    loader=PackageLoader("hamcoach.live", "templates"), autoescape=select_autoescape(["html"])
)


@dataclass
class LiveConfig:
    """How the live router behaves in one app (``app.state.hamcoach_live``)."""

    settings: Settings = DEFAULT_SETTINGS
    live: LiveSettings = DEFAULT_LIVE_SETTINGS
    db_url: str | None = None
    patient: str | None = None  # standalone: save every session for this patient
    registry: SessionRegistry = field(
        default_factory=lambda: SessionRegistry(DEFAULT_LIVE_SETTINGS.resume_grace_s)
    )


def live_config(conn: HTTPConnection) -> LiveConfig:
    """This app's live configuration; made on first use for an app that did not call
    :func:`hamcoach.live.app.configure_live` (e.g. the clinic web app: its database is used)."""
    config = getattr(conn.app.state, "hamcoach_live", None)
    if isinstance(config, LiveConfig):
        return config
    web = getattr(conn.app.state, "web", None)
    db = getattr(web, "db", None)
    config = LiveConfig(db_url=getattr(db, "url", None))
    conn.app.state.hamcoach_live = config
    return config


def web_patient(conn: HTTPConnection) -> str | None:
    """The patient logged in to the clinic web app (``hamcoach.web.auth``), when this router
    runs inside it; None elsewhere, and for clinicians (their sets are not a patient's)."""
    if getattr(conn.app.state, "web", None) is None:
        return None
    try:
        from hamcoach.web.auth import optional_user
    except ImportError:  # pragma: no cover - the web package is part of hamcoach
        return None
    user = optional_user(conn)
    if user is None or not user.is_patient:
        return None
    return user.patient_code


async def live_user(conn: HTTPConnection) -> object | None:
    """Who is exercising: the clinic web app's logged-in patient, else ``None`` (standalone).
    Another host app may override this dependency with its own login (anything with a
    ``patient_code`` or ``code`` attribute, or the patient code as a string)."""
    return await run_in_threadpool(web_patient, conn)


def patient_code(user: object | None) -> str | None:
    """The patient code of whatever the user dependency returned."""
    if user is None:
        return None
    if isinstance(user, str):
        return user
    for attr in ("patient_code", "code"):
        value = getattr(user, attr, None)
        if isinstance(value, str) and value:
            return value
    patient = getattr(user, "patient", None)
    return patient_code(patient) if patient is not None else None


router = APIRouter(tags=["live"])


@router.get("/", response_class=HTMLResponse, summary="The live coaching page")
async def live_page(
    conn: HTTPConnection,
    stage: str | None = Query(None, description="program stage, e.g. S2"),
    exercise: str | None = Query(None, description="exercise id, e.g. squat"),
    model: int = Query(1, ge=0, le=1, description="MediaPipe model complexity (0 lite, 1 full)"),
    fps: float = Query(30.0, gt=0, le=60, description="most frames per second to analyse"),
    user: object | None = Depends(live_user),
) -> HTMLResponse:
    config = live_config(conn)
    patient = patient_code(user) or config.patient
    try:
        st, spec = resolve_stage(stage, exercise or (None if stage else "squat"))
        if patient and stage is None:  # the patient's stage today on that ladder
            planned = await run_in_threadpool(
                planned_stage, patient, st.ladder, db_url=config.db_url
            )
            st, spec = resolve_stage(planned, None)
    except HamCoachError as exc:
        raise HTTPException(status_code=400, detail=f"{exc} {exc.hint}".strip()) from exc
    ticket = config.registry.issue_ticket(patient) if patient else ""
    base = str(conn.url.path).rstrip("/")
    html = _env.get_template("live.html").render(
        stage=st,
        exercise=spec,
        exercises=EXERCISE_IDS,
        static=f"{base}/static",
        ws_path=f"{base}/ws",
        ticket=ticket,
        saving=bool(patient),
        model=model,
        fps=fps,
    )
    return HTMLResponse(html)


@router.get("/static/{path:path}", include_in_schema=False)
async def live_static(path: str) -> FileResponse:
    root = STATIC_DIR.resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise HTTPException(status_code=404, detail="Not found")
    media = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
    return FileResponse(
        target,
        media_type=media or "application/octet-stream",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def _make_session(
    config: LiveConfig, stage: str | None, exercise: str | None, patient: str | None
) -> LiveSession:
    st, _ = resolve_stage(stage, exercise)
    sink: SetSink | None = None
    target: int | None = None
    if patient:
        db_sink = DatabaseSink(patient, st, db_url=config.db_url)
        sink, target = db_sink, db_sink.target
    return LiveSession(
        stage=st.id,
        settings=config.settings,
        live=config.live,
        sink=sink,
        target=target,
        patient=patient,
    )


def _error(exc: HamCoachError) -> Event:
    return {"type": "error", "message": exc.message, "hint": exc.hint}


async def _send(ws: WebSocket, events: list[Event]) -> None:
    for e in events:
        await ws.send_text(json.dumps(e, allow_nan=False))


@router.websocket("/ws")
async def live_socket(
    ws: WebSocket,
    stage: str | None = None,
    exercise: str | None = None,
    ticket: str | None = None,
    session: str | None = None,
    last_set: int = 0,
    last_rep: int = 0,
) -> None:
    """One client connection. New: ``?stage=S2`` (or ``exercise=``) and the page's ``ticket``.
    Resume: ``?session=ID&last_set=N&last_rep=M``; the reps after (N, M) are sent again."""
    config = live_config(ws)
    await ws.accept()
    try:
        if session:
            live = config.registry.attach(session)
            await _send(ws, [*live.intro()[:1], *live.replay(last_set, last_rep)])
        else:
            patient = (
                config.registry.patient_of(ticket)
                or await run_in_threadpool(web_patient, ws)
                or config.patient
            )
            live = await run_in_threadpool(
                _make_session, config, stage, exercise or (None if stage else "squat"), patient
            )
            config.registry.add(live)
            await _send(ws, live.intro())
    except (HamCoachError, LiveSessionNotFoundError) as exc:
        await _send(ws, [_error(exc)])
        await ws.close(code=4404 if isinstance(exc, LiveSessionNotFoundError) else 4400)
        return
    try:
        while True:
            text = await ws.receive_text()
            try:
                msg: Any = json.loads(text)
                if not isinstance(msg, dict):
                    raise LiveProtocolError("Each message must be a JSON object.")
                if msg.get("type") == "frame":
                    events = live.handle(msg)
                elif msg.get("type") == "frames":  # a batch sent after a reconnect
                    batch = msg.get("frames")
                    if not isinstance(batch, list) or not all(isinstance(m, dict) for m in batch):
                        raise LiveProtocolError("frames must be a list of frame objects.")
                    events = []
                    for m in batch:
                        events += live.handle({**m, "type": "frame"})
                else:  # may write to the database
                    events = await run_in_threadpool(live.handle, msg)
            except json.JSONDecodeError:
                events = [_error(LiveProtocolError("A message was not valid JSON."))]
            except HamCoachError as exc:
                events = [_error(exc)]
            await _send(ws, events)
    except WebSocketDisconnect:
        pass
    finally:
        config.registry.detach(live.id)
