"""The report in a real browser: headless Chromium renders it (screenshot not blank) and
prints it to PDF. Needs Debian's ``chromium`` (installed by .ci/run)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from hamcoach.live.y4m import QUIET_CHROMIUM_ARGS
from hamcoach.pipeline import Analysis
from hamcoach.reports import write_audit_report
from tests.reports.conftest import write_numbered_video

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def chromium(tmp_path: Path, page: Path, *args: str) -> None:
    assert CHROMIUM is not None
    cmd = [
        CHROMIUM,
        "--headless",
        *QUIET_CHROMIUM_ARGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
        page.as_uri(),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def test_report_renders_and_prints_in_chromium(
    small_shallow_side: Analysis, tmp_path: Path
) -> None:
    video = write_numbered_video(small_shallow_side.track, tmp_path / "set.mp4")
    page = write_audit_report(small_shallow_side, video, tmp_path / "report.html")
    png, pdf = tmp_path / "shot.png", tmp_path / "report.pdf"
    chromium(tmp_path, page, f"--screenshot={png}", "--window-size=1200,1600")
    img = cv2.imread(str(png))
    assert img is not None and img.shape[:2] == (1600, 1200)
    assert float(np.var(img)) > 100.0, "the screenshot is blank"
    # The summary box's red border is there: the CSS was applied.
    assert (np.abs(img.astype(int) - (30, 38, 179)).sum(axis=2) < 60).sum() > 200
    chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1024
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2, "expected 2+ pages"
