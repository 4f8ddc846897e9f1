"""``hamcoach audit --report/--annotate/--no-frames`` end to end on a saved track."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from hamcoach.cli.main import app
from hamcoach.track import save_track
from tests.closed_form import make_squat_track
from tests.reports.conftest import shallow_side_set, shrunk
from tests.reports.html_tree import parse


def test_audit_writes_report_and_annotated_video_from_a_track(tmp_path: Path) -> None:
    track_file = tmp_path / "set.npz"
    save_track(shrunk(make_squat_track(shallow_side_set())), track_file)
    report, video = tmp_path / "out" / "report.html", tmp_path / "out" / "set.mp4"
    result = CliRunner().invoke(
        app,
        [
            "audit",
            str(track_file),
            "-e",
            "squat",
            "--report",
            str(report),
            "--annotate",
            str(video),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Report written to" in result.output and "Annotated video written to" in result.output
    doc = parse(report.read_text(encoding="utf-8"))
    assert len(doc.find_all("tr", pred=lambda n: "data-rep" in n.attrs)) == 3
    # A track has no video: the pictures are the skeleton alone, and the report says why.
    assert {f.attrs["data-source"] for f in doc.find_all("figure")} == {"skeleton"}
    assert "pose track without video" in doc.by_id("key-frames").text()
    assert video.stat().st_size > 1000


def test_no_frames_option_is_accepted(tmp_path: Path) -> None:
    track_file = tmp_path / "set.npz"
    save_track(shrunk(make_squat_track(shallow_side_set())), track_file)
    report = tmp_path / "r.html"
    result = CliRunner().invoke(
        app, ["audit", str(track_file), "-e", "squat", "-q", "--no-frames", "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    assert "Report written" not in result.output
    assert report.exists()
