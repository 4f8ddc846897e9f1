"""Joint-angle traces over time (matplotlib, no pyplot state), as an inline SVG data URI.

One panel with knee and hip bend, then one panel per check that has a per-frame measure, with
its limit drawn; reps are shaded (green good, red with a fault, amber not fully judged).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from hamcoach.audit import Rep
from hamcoach.checks import REGISTRY
from hamcoach.checks.squat import knee_gap_reference
from hamcoach.pipeline import Analysis
from hamcoach.reports import series
from hamcoach.settings import DEFAULT_SETTINGS
from hamcoach.track import FloatArray

REP_COLORS = {"good": "#3c9c3c", "fault": "#d43c3c", "unjudged": "#e0a020"}
LIMIT_COLOR = "#c02020"


@dataclass(frozen=True)
class Panel:
    check: str | None
    title: str
    ylabel: str
    lines: list[tuple[str, FloatArray, str]]  # label, values, colour
    limits: tuple[tuple[float, str], ...] = ()  # (value, label) of dashed limit lines
    rep_limits: list[tuple[int, int, float]] | None = None  # (first, last frame, value)
    percent: bool = False


def rep_status(rep: Rep) -> str:
    if rep.good:
        return "good"
    if any(f.verdict == "fail" for f in rep.findings):
        return "fault"
    return "unjudged"


def check_threshold(analysis: Analysis, check_id: str) -> float | None:
    """The limit a check used (from its findings), else its default for the exercise."""
    for rep in analysis.audit.reps:
        for f in rep.findings:
            if f.check == check_id and f.threshold is not None:
                return f.threshold
    check = REGISTRY.get(check_id)
    if check is None:
        return None
    return check.threshold_for(analysis.audit.exercise, DEFAULT_SETTINGS.checks).value


def build_panels(analysis: Analysis) -> list[Panel]:
    panels = [
        Panel(
            None,
            "Knee and hip bend (0 = straight)",
            "degrees",
            [
                ("knee", series.knee_flexion(analysis), "#1f5fa8"),
                ("hip", series.hip_flexion(analysis), "#e07b00"),
            ],
        )
    ]
    run = analysis.audit.checks_run
    if "squat.depth" in run:
        th = check_threshold(analysis, "squat.depth")
        panels.append(
            Panel(
                "squat.depth",
                "Depth: thigh angle above level (the lowest point should reach the dashed line)",
                "degrees",
                [("thigh", series.depth_trace(analysis), "#1f5fa8")],
                _limits(th),
            )
        )
    if "squat.knee_valgus" in run:
        th = check_threshold(analysis, "squat.knee_valgus")
        panels.append(
            Panel(
                "squat.knee_valgus",
                "Knees caving in: knee inside the hip-to-ankle line "
                "(on one leg: inside the foot; above the dashed line = fault)",
                "%",
                [("knees", series.valgus_trace(analysis), "#1f5fa8")],
                _limits(th),
                percent=True,
            )
        )
    toes = series.knees_past_toes_trace(analysis)
    if "squat.knees_past_toes" in run and toes is not None:
        th = check_threshold(analysis, "squat.knees_past_toes")
        panels.append(
            Panel(
                "squat.knees_past_toes",
                "Knee ahead of the toes (above the dashed line = fault)",
                "% of shin",
                [("knee", toes, "#1f5fa8")],
                _limits(th),
                percent=True,
            )
        )
    if "squat.knees_together_ascent" in run:
        th = check_threshold(analysis, "squat.knees_together_ascent")
        gap = series.knee_gap_trace(analysis)
        panels.append(
            Panel(
                "squat.knees_together_ascent",
                "Gap between the knees / gap between the ankles "
                "(on the way up it should stay above the dashed line)",
                "ratio",
                [("knee gap", gap, "#1f5fa8")],
                rep_limits=_gap_limits(analysis, gap, th),
            )
        )
    for cid in ("bridge.hip_height", "ball_curl.hips_up"):
        if cid in run:
            panels.append(
                Panel(
                    cid,
                    "Hip bend: 0 = shoulders, hips and knees in one line "
                    "(at the top it should be below the dashed line)",
                    "degrees",
                    [("hip", series.hip_flexion(analysis), "#e07b00")],
                    _limits(check_threshold(analysis, cid)),
                )
            )
            break
    curl = [c for c in ("ball_curl.full_extension", "ball_curl.full_curl") if c in run]
    if curl:
        panels.append(
            Panel(
                curl[0],
                "Knee bend: below the lower dashed line with the ball out, "
                "above the upper one with the ball in",
                "degrees",
                [("knee", series.knee_flexion(analysis), "#1f5fa8")],
                tuple(lim for c in curl for lim in _limits(check_threshold(analysis, c))),
            )
        )
    if "squat.trunk_lean" in run:
        panels.append(
            Panel(
                "squat.trunk_lean",
                "Sideways lean of the trunk (above the dashed line = fault)",
                "degrees",
                [("trunk", np.abs(series.trunk_lean_trace(analysis)), "#1f5fa8")],
                _limits(check_threshold(analysis, "squat.trunk_lean")),
            )
        )
    return panels


def _limits(th: float | None) -> tuple[tuple[float, str], ...]:
    return () if th is None else ((th, "limit"),)


def _gap_limits(
    analysis: Analysis, gap: FloatArray, th: float | None
) -> list[tuple[int, int, float]]:
    """Per rep: the knee gap below which the ascent fails, as ``squat.knees_together_ascent``
    judges it (:func:`hamcoach.checks.squat.knee_gap_reference`: the reference less the
    threshold x the standing gap)."""
    if th is None:
        return []
    out = []
    for rep in analysis.audit.reps:
        rf = series.rep_frames(analysis, rep)
        refs = knee_gap_reference(float(gap[rf.bottom]), float(gap[rf.start]))
        if refs is not None and refs[0] > 0:
            ref, standing = refs
            out.append((rf.bottom, rf.end, ref - th * standing))
    return out


def traces_svg(analysis: Analysis, width_in: float = 7.6) -> str:
    """The traces figure as a ``data:image/svg+xml;base64,...`` URI."""
    panels = build_panels(analysis)
    t = analysis.cleaned.t_s
    heights = [2.0] + [1.45] * (len(panels) - 1)
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "hamcoach", "font.size": 8.5}
    ):
        # Fixed margins (in inches) instead of a layout engine: half the drawing time.
        gap_in, top_in, bottom_in = 0.32, 0.38, 0.42
        total = sum(heights) + gap_in * (len(panels) - 1) + top_in + bottom_in
        fig = Figure(figsize=(width_in, total))
        fig.subplots_adjust(
            left=0.75 / width_in,
            right=1 - 0.1 / width_in,
            top=1 - top_in / total,
            bottom=bottom_in / total,
            hspace=gap_in / (sum(heights) / len(panels)),
        )
        axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False, height_ratios=heights)
        for ax, panel in zip(axes[:, 0], panels, strict=True):
            _draw_panel(ax, panel, t, analysis)
        axes[-1, 0].set_xlabel("time (s)")
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _draw_panel(ax: object, panel: Panel, t: FloatArray, analysis: Analysis) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    scale = 100.0 if panel.percent else 1.0
    for rep in analysis.audit.reps:
        ax.axvspan(rep.start_s, rep.end_s, color=REP_COLORS[rep_status(rep)], alpha=0.13, lw=0)
    for label, values, color in panel.lines:
        ax.plot(t, values * scale, color=color, lw=1.4, label=label)
    for value, _label in panel.limits:
        ax.axhline(value * scale, color=LIMIT_COLOR, lw=1.1, ls="--")
    for first, last, value in panel.rep_limits or []:
        ax.hlines(value * scale, t[first], t[last], color=LIMIT_COLOR, lw=1.1, ls="--")
    ax.set_title(panel.title, loc="left", fontsize=8.5, pad=12 if panel.check is None else 4)
    ax.set_ylabel(panel.ylabel)
    ax.grid(True, alpha=0.25, lw=0.6)
    ax.margins(x=0.01)
    if panel.check is None:
        for rep in analysis.audit.reps:
            ax.text(
                (rep.start_s + rep.end_s) / 2,
                1.01,
                str(rep.index),
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8,
                color=REP_COLORS[rep_status(rep)],
                fontweight="bold",
            )
        ax.legend(loc="lower right", fontsize=7.5, ncols=2, framealpha=0.8)
