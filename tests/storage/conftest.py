"""A fresh database per test, built by the real migrations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hamcoach.storage.repo import Database, open_database


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hamcoach.db'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.close()
