"""Shared fixtures: where the real labelled clips live (../shared/eval), when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def eval_dir() -> Path | None:
    env = os.environ.get("HAMCOACH_EVAL_DIR")
    path = Path(env) if env else REPO.parent / "shared" / "eval"
    return path if (path / "labels.json").exists() else None


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    path = eval_dir()
    if path is None:
        pytest.skip("../shared/eval is not present on this machine")
    return path
