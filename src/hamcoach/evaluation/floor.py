"""The accuracy floor CI enforces: minimum metrics that may only ever be raised."""

from __future__ import annotations

from typing import Any


def _lookup(summary: dict[str, Any], dotted: str) -> Any:
    node: Any = summary
    for part in dotted.split("|"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check_floor(summary: dict[str, Any], floor: dict[str, Any]) -> list[str]:
    """Each metric below its floor, as a sentence. Keys are paths joined by ``|``, e.g.
    ``counting|squat/all|exact_pct``; a ``max:`` prefix marks metrics that must stay below."""
    failures: list[str] = []
    for key, bound in floor.items():
        if key.startswith("_"):
            continue
        upper = key.startswith("max:")
        path = key.removeprefix("max:")
        value = _lookup(summary, path)
        if value is None:
            failures.append(f"{path} is missing from the evaluation (floor {bound})")
        elif upper and value > bound:
            failures.append(f"{path} = {value}, above the ceiling {bound}")
        elif not upper and value < bound:
            failures.append(f"{path} = {value}, below the floor {bound}")
    return failures
