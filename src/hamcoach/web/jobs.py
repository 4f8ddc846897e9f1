"""Audits of uploaded videos, analysed in the background by a small in-process worker.

A job is a row of ``web_audit_jobs`` (status, progress 0-1, a message for the patient); the page
polls it (HTMX). At most ``WebSettings.audit_workers`` jobs run at once: pose estimation is CPU
heavy. When a job ends, the audit is stored in the patient's history (``store_audit``), the audit
report is written to the storage folder, and the video is deleted unless the patient asked to keep
it. Jobs left queued or running by a stopped server are picked up again at start (or marked failed
when their video is gone).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from hamcoach.errors import HamCoachError
from hamcoach.io.sources import track_from_video
from hamcoach.pipeline import analyze_track
from hamcoach.storage.repo import Database, store_audit, utcnow
from hamcoach.web.models import AuditJobRow
from hamcoach.web.settings import WebSettings

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.5
"""Write pose progress to the database at most this often (engineering)."""
POSE_SHARE = 0.85
"""Share of the progress bar given to pose estimation; the rest is analysis and the report."""


class AuditWorker:
    """Runs audit jobs on a thread pool of ``settings.audit_workers`` threads."""

    def __init__(self, db: Database, settings: WebSettings) -> None:
        self.db = db
        self.settings = settings
        self._pool = ThreadPoolExecutor(
            max_workers=settings.audit_workers, thread_name_prefix="hamcoach-audit"
        )
        self._futures: dict[int, Future[None]] = {}
        self._lock = threading.Lock()

    def submit(self, job_id: int) -> None:
        with self._lock:
            self._futures[job_id] = self._pool.submit(self.run, job_id)

    def resume(self) -> None:
        """Queue again the jobs a stopped server left unfinished."""
        with self.db.transaction() as s:
            rows = s.scalars(
                select(AuditJobRow).where(AuditJobRow.status.in_(("queued", "running")))
            ).all()
            pending = []
            for row in rows:
                if (self.settings.uploads_dir / row.video_name).exists():
                    row.status, row.progress = "queued", 0.0
                    pending.append(row.id)
                else:
                    _fail(row, "The server restarted and the video was gone; please upload again.")
        for job_id in pending:
            self.submit(job_id)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for every submitted job (tests)."""
        with self._lock:
            futures = list(self._futures.values())
        for f in futures:
            f.result(timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _set(self, job_id: int, **values: object) -> None:
        with self.db.transaction() as s:
            row = s.get(AuditJobRow, job_id)
            if row is not None:
                for key, value in values.items():
                    setattr(row, key, value)

    def run(self, job_id: int) -> None:
        """Analyse one job's video (called on a worker thread); never raises."""
        with self.db.transaction() as s:
            row = s.get(AuditJobRow, job_id)
            if row is None or row.status not in ("queued", "running"):
                return
            row.status, row.progress = "running", 0.0
            row.message = "Finding the body in each frame of the video..."
            patient_id, stage, exercise = row.patient_id, row.stage, row.exercise
            video = self.settings.uploads_dir / row.video_name
            keep = row.keep_video
        try:
            self._analyse(job_id, patient_id, stage, exercise, video)
        except HamCoachError as exc:
            message = exc.message + (f" {exc.hint}" if exc.hint else "")
            self._finish_failed(job_id, message)
        except Exception:  # a bug must not kill the worker
            log.exception("audit job %s failed", job_id)
            self._finish_failed(
                job_id, "The video could not be analysed. Please try another recording."
            )
        finally:
            if not keep:
                video.unlink(missing_ok=True)
                self._set(job_id, video_deleted=True)

    def _analyse(
        self, job_id: int, patient_id: int, stage: str, exercise: str, video: Path
    ) -> None:
        last = [0.0]

        def on_progress(done: int, expected: int) -> None:
            now = time.monotonic()
            if expected > 0 and now - last[0] >= PROGRESS_EVERY_S:
                last[0] = now
                self._set(job_id, progress=POSE_SHARE * min(done / expected, 1.0))

        from hamcoach.reports import render_audit_report

        track = track_from_video(video, progress=on_progress, workers=self.settings.pose_workers)
        self._set(job_id, progress=POSE_SHARE, message="Counting reps and checking form...")
        analysis = analyze_track(track, exercise, stage=stage)
        audit_id = store_audit(self.db, patient_id, analysis.audit, stage)
        self._set(job_id, progress=0.92, message="Writing the report...")
        html = render_audit_report(analysis, video, show_frames=self.settings.report_frames)
        self.settings.reports_dir.mkdir(parents=True, exist_ok=True)
        report_name = f"audit-{audit_id}.html"
        (self.settings.reports_dir / report_name).write_text(html, encoding="utf-8")
        counts = analysis.audit.counts
        self._set(
            job_id,
            status="done",
            progress=1.0,
            audit_id=audit_id,
            report_name=report_name,
            finished_at=utcnow(),
            message=f"Done: {counts.reps} {'rep' if counts.reps == 1 else 'reps'} counted, "
            f"{counts.good} good.",
        )

    def _finish_failed(self, job_id: int, message: str) -> None:
        with self.db.transaction() as s:
            row = s.get(AuditJobRow, job_id)
            if row is not None:
                _fail(row, message)


def _fail(row: AuditJobRow, message: str) -> None:
    row.status = "failed"
    row.message = message
    row.finished_at = utcnow()
