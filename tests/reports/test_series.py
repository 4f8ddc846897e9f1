"""The report's traces measure what the checks measure: the value a check reports for a rep is
the trace's value at the frame the check points to."""

from __future__ import annotations

import pytest

from hamcoach.pipeline import Analysis, analyze_track
from hamcoach.reports import series
from hamcoach.reports.plots import _gap_limits, check_threshold
from hamcoach.synth.camera import CameraSpec
from hamcoach.synth.motions import Faults
from hamcoach.synth.noise import NoiseSpec
from hamcoach.synth.scenario import SetSpec, generate_set


def _front_squats(faults: Faults, azimuth_deg: float) -> Analysis:
    """Three squats filmed from the front at 1.2 m, low pose noise."""
    spec = SetSpec(
        stage="S2",
        n_reps=3,
        faults=faults,
        camera=CameraSpec(view="front", height_m=1.2, azimuth_offset_deg=azimuth_deg),
        noise=NoiseSpec.level("low"),
        seed=3,
    )
    return analyze_track(generate_set(spec).track, "squat", stage="S2")


@pytest.mark.parametrize("valgus_deg", [0.0, 30.0])
def test_the_valgus_trace_is_the_checks_measure(valgus_deg: float) -> None:
    analysis = _front_squats(Faults(knee_valgus_deg=valgus_deg), azimuth_deg=5.0)
    trace = series.valgus_trace(analysis)
    findings = [
        f for r in analysis.audit.reps for f in r.findings if f.check == "squat.knee_valgus"
    ]
    assert len(findings) == 3
    for f in findings:
        assert f.value is not None and f.frame is not None
        assert trace[f.frame] == pytest.approx(f.value, abs=1e-3)


@pytest.mark.parametrize("together_deg", [0.0, 25.0])
def test_the_knee_gap_line_is_where_the_check_fails(together_deg: float) -> None:
    analysis = _front_squats(Faults(knees_together_ascent_deg=together_deg), azimuth_deg=0.0)
    gap = series.knee_gap_trace(analysis)
    th = check_threshold(analysis, "squat.knees_together_ascent")
    lines = _gap_limits(analysis, gap, th)
    findings = [
        f
        for r in analysis.audit.reps
        for f in r.findings
        if f.check == "squat.knees_together_ascent"
    ]
    assert len(findings) == len(lines) == 3
    for f, (_, _, line) in zip(findings, lines, strict=True):
        assert f.frame is not None
        assert (gap[f.frame] < line) == (f.verdict == "fail")
    assert {f.verdict for f in findings} == {"fail" if together_deg else "pass"}
