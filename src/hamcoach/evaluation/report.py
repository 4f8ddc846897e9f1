"""Rich tables of an evaluation summary."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def _pct(v: Any) -> str:
    """A share (0..1) as a percentage ("1" read as one correct, not all)."""
    return "-" if v is None else f"{100 * v:.1f} %"


def render_summary(summary: dict[str, Any], out: Console) -> None:
    t = Table(title="Rep counting (clips usable for counting)")
    for col in (
        "exercise/view",
        "clips",
        "exact %",
        "off-by-one %",
        "worse %",
        "MAE",
        "timing MAE s",
    ):
        if col == "exercise/view":
            t.add_column(col, no_wrap=True, min_width=34)
        else:
            t.add_column(col, justify="right")
    for key, s in summary["counting"].items():
        t.add_row(
            key,
            *(
                _fmt(s[k])
                for k in (
                    "clips",
                    "exact_pct",
                    "off_by_one_pct",
                    "worse_pct",
                    "mae",
                    "timing_mae_s",
                )
            ),
        )
    out.print(t)
    c = Table(title="Form checks against labelled faults (per rep)")
    for col in ("check/view", "TP", "FP", "FN", "TN", "unknown", "precision", "recall"):
        if col == "check/view":
            c.add_column(col, no_wrap=True, min_width=44)
        else:
            c.add_column(col, justify="right")
    for key, s in summary["checks"].items():
        c.add_row(
            key,
            *(_fmt(s[k]) for k in ("tp", "fp", "fn", "tn", "unknown", "precision", "recall")),
        )
    out.print(c)
    for key, s in summary.get("working_leg", {}).items():
        out.print(f"Working leg ({key}): {_pct(s['accuracy'])} correct on {s['reps']} reps.")
    ex = summary.get("exercise_id", {})
    if ex.get("clips"):
        out.print(
            f"Exercise identification: {_pct(ex['accuracy'])} correct on {ex['clips']} clips "
            f"({_pct(ex['accuracy_squat_equals_box_squat'])} counting squat = box squat)."
        )
        for miss in ex["misses"]:
            out.print(f"  missed {miss}")
    out.print(
        f"View classification: {_pct(summary['view_accuracy'])} correct on "
        f"{summary['view_clips']} clips."
    )
    for e in summary["errors"]:
        out.print(f"[red]{e['clip']}: {e['error']}[/]")
