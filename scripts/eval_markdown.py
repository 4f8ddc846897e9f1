"""Render an evaluation JSON (hamcoach eval --json) as the Markdown tables of docs/EVALUATION.md."""

from __future__ import annotations

import json
import sys
from typing import Any


def fmt(v: Any) -> str:
    if v is None:
        return "-"
    return f"{v:g}" if isinstance(v, float) else str(v)


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        d = json.load(f)
    print("| exercise / view | clips | exact % | off-by-one % | worse % | MAE | timing MAE (s) |")
    print("|---|---|---|---|---|---|---|")
    for k, s in d["counting"].items():
        keys = ("clips", "exact_pct", "off_by_one_pct", "worse_pct", "mae", "timing_mae_s")
        print(f"| {k} | " + " | ".join(fmt(s[x]) for x in keys) + " |")
    print()
    print("| check / view | TP | FP | FN | TN | unknown | precision | recall |")
    print("|---|---|---|---|---|---|---|---|")
    for k, s in d["checks"].items():
        keys = ("tp", "fp", "fn", "tn", "unknown", "precision", "recall")
        print(f"| {k} | " + " | ".join(fmt(s[x]) for x in keys) + " |")
    print()
    for k, s in d.get("working_leg", {}).items():
        print(f"- Working leg ({k}): {100 * s['accuracy']:.0f}% on {s['reps']} reps")
    ex = d.get("exercise_id", {})
    print(
        f"- Exercise identification: {fmt(ex.get('accuracy'))} on {ex.get('clips')} clips "
        f"({fmt(ex.get('accuracy_squat_equals_box_squat'))} counting squat = box squat); "
        f"misses: {'; '.join(ex.get('misses', []))}"
    )
    print(f"- View classification: {fmt(d['view_accuracy'])} on {d['view_clips']} clips")


if __name__ == "__main__":
    main()
