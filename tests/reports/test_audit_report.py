"""The HTML audit report on closed-form squat sets: numbers, rows, cues, pictures, honesty."""

from __future__ import annotations

from pathlib import Path

import pytest

from hamcoach.checks import REGISTRY
from hamcoach.pipeline import Analysis, analyze_track
from hamcoach.reports import render_audit_report, write_audit_report
from hamcoach.reports.frames import read_frames
from hamcoach.reports.model import build_report
from tests.closed_form import RepPlan, SquatSet, make_squat_track
from tests.reports.conftest import write_numbered_video
from tests.reports.golden import assert_report_matches_audit
from tests.reports.html_tree import parse


def test_shallow_set_report_leads_with_the_depth_fault_and_its_cue(shallow_side: Analysis) -> None:
    audit = shallow_side.audit
    assert (audit.counts.reps, audit.counts.good) == (3, 1)
    html = render_audit_report(shallow_side, None, show_frames=True)
    doc = assert_report_matches_audit(html, audit, pictures="skeleton")
    summary = doc.by_id("summary").text()
    assert "Main thing to work on: not squatting low enough (in 2 of 3 reps)" in summary
    assert REGISTRY["squat.depth"].cue in summary
    # The rushed third rep is listed as a second fault, with its own cue.
    also = doc.find("li", data_check="tempo.controlled").text()
    assert "rep 3" in also and REGISTRY["tempo.controlled"].cue in also
    # The per-rep row shows the measured depth of the faulty reps.
    row1 = doc.find("tr", data_rep="1").find("td", data_check="squat.depth")
    assert row1.attrs["data-verdict"] == "fail" and "°" in row1.text()
    # One picture per shallow rep; the timing fault is explained in words, not pictured.
    figures = doc.by_id("key-frames").find_all("figure")
    assert [(f.attrs["data-check"], f.attrs["data-rep"]) for f in figures] == [
        ("squat.depth", "1"),
        ("squat.depth", "3"),
    ]
    assert "thigh 25° above level" in figures[0].text() or "above level" in figures[0].text()
    assert "timing" in doc.by_id("key-frames").find("p", data_check="tempo.controlled").text()
    # Without video, the report says the pictures are the skeleton alone.
    assert "pose track without video" in doc.by_id("key-frames").text()


def test_front_view_report_explains_the_checks_it_could_not_run(valgus_front: Analysis) -> None:
    html = render_audit_report(valgus_front, None)
    doc = assert_report_matches_audit(html, valgus_front.audit, pictures="skeleton")
    not_checked = doc.by_id("not-checked")
    depth = not_checked.find("li", data_check="squat.depth").text()
    assert "needs a" in depth and "side" in depth
    assert REGISTRY["squat.depth"].camera_hint in depth
    checks = {f.attrs["data-check"] for f in doc.by_id("key-frames").find_all("figure")}
    assert checks == {"squat.knee_valgus", "squat.knees_together_ascent"}


def test_knees_past_toes_key_frame(toes_side: Analysis) -> None:
    doc = assert_report_matches_audit(
        render_audit_report(toes_side, None), toes_side.audit, pictures="skeleton"
    )
    fig = doc.by_id("key-frames").find("figure", data_check="squat.knees_past_toes")
    assert "ahead of the toes" in fig.text()


def test_all_good_set_says_so_and_shows_no_fault_pictures(good_front: Analysis) -> None:
    doc = assert_report_matches_audit(
        render_audit_report(good_front, None), good_front.audit, pictures="skeleton"
    )
    assert doc.by_id("summary").attrs["data-verdict"] == "good"
    assert not doc.by_id("key-frames").find_all("figure")
    assert "no pictures" in doc.by_id("key-frames").text()


def test_unknown_verdicts_are_reported_with_their_reason_and_not_as_good_reps() -> None:
    track = make_squat_track(SquatSet(reps=[RepPlan(down_s=3.0)] * 2, view="front"))
    track.confidence[:, [25, 26]] = 0.35  # knees barely seen: kept, but too weak to judge
    analysis = analyze_track(track, "squat")
    audit = analysis.audit
    assert audit.counts.reps == 2 and audit.counts.good == 0
    doc = assert_report_matches_audit(
        render_audit_report(analysis, None), audit, pictures="skeleton"
    )
    summary = doc.by_id("summary")
    assert summary.attrs["data-verdict"] == "unjudged"
    assert "could not be judged" in summary.text()
    item = doc.by_id("not-checked").find("li", data_check="squat.knee_valgus").text()
    assert "not judged in reps 1, 2" in item and "confidence" in item


def test_no_rep_report() -> None:
    track = make_squat_track(SquatSet(reps=[RepPlan(range_fraction=0.1)], view="side"))
    analysis = analyze_track(track, "squat")
    assert analysis.audit.counts.reps == 0
    doc = assert_report_matches_audit(
        render_audit_report(analysis, None), analysis.audit, pictures="skeleton"
    )
    assert doc.by_id("summary").attrs["data-verdict"] == "empty"
    assert "No complete rep" in doc.by_id("summary").text()


def test_read_frames_decodes_in_order_and_keeps_only_the_wanted_frames(
    small_shallow_side: Analysis, tmp_path: Path
) -> None:
    video = write_numbered_video(small_shallow_side.track, tmp_path / "set.mp4")
    wanted = {3, 40, 41, 10_000}
    frames = read_frames(video, wanted)
    assert set(frames) == {3, 40, 41}
    for i, img in frames.items():
        assert abs(float(img.mean()) - (i * 7) % 250) < 4, i


def test_key_frames_come_from_the_video(small_shallow_side: Analysis, tmp_path: Path) -> None:
    analysis = small_shallow_side
    video = write_numbered_video(analysis.track, tmp_path / "set.mp4")
    html = render_audit_report(analysis, video, show_frames=True)
    doc = assert_report_matches_audit(html, analysis.audit, pictures="video")
    assert "frames of the video" in doc.by_id("key-frames").text()
    # --no-frames: the same report with the skeleton on a plain background.
    html = render_audit_report(analysis, video, show_frames=False)
    doc = assert_report_matches_audit(html, analysis.audit, pictures="skeleton")
    assert "--no-frames" in doc.by_id("key-frames").text()


def test_frames_missing_from_a_short_video_fall_back_to_the_skeleton(
    small_shallow_side: Analysis, tmp_path: Path
) -> None:
    short = small_shallow_side.track.slice(0, 10)
    video = write_numbered_video(short, tmp_path / "short.mp4")
    doc = parse(render_audit_report(small_shallow_side, video))
    assert {f.attrs["data-source"] for f in doc.find_all("figure")} == {"skeleton"}
    assert "could not be read back" in doc.by_id("key-frames").text()


def test_main_fault_ties_go_to_the_check_listed_first(toes_side: Analysis) -> None:
    data = build_report(toes_side.audit, toes_side.track.fps)
    assert data.main_fault is not None and data.main_fault.check == "squat.depth"
    assert [f.check for f in data.other_faults] == ["squat.knees_past_toes"]


def test_write_audit_report_creates_folders(good_front: Analysis, tmp_path: Path) -> None:
    out = write_audit_report(good_front, None, tmp_path / "a" / "b" / "report.html")
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize("escape", ["<script>alert(1)</script>.mp4"])
def test_source_names_are_escaped(good_front: Analysis, escape: str) -> None:
    analysis = good_front
    audit = analysis.audit.model_copy(
        update={"source": analysis.audit.source.model_copy(update={"name": escape})}
    )
    tricky = Analysis(**{**analysis.__dict__, "audit": audit})
    html = render_audit_report(tricky, None)
    assert "<script>" not in html and "&lt;script&gt;" in html
