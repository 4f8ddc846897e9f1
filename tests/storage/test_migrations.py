"""Migrations from an empty database to head and back down; the models match the scripts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from hamcoach.storage.engine import ENV_VAR, default_url, make_engine, resolve_url
from hamcoach.storage.migrate import current_revision, downgrade_to, head_revision, upgrade_to_head
from hamcoach.storage.models import Base

TABLES = {
    "alembic_version",
    "audit_findings",
    "audit_reps",
    "audits",
    "clinicians",
    "decisions",
    "overrides",
    "pain_reports",
    "patients",
    "red_flag_screenings",
    "sessions",
    "sets",
}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_empty_to_head_to_base_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'm.db'}"
    upgrade_to_head(url)
    assert _tables(url) == TABLES
    engine = make_engine(url)
    assert current_revision(engine) == head_revision() == "0001"
    engine.dispose()
    downgrade_to(url, "base")
    assert _tables(url) == {"alembic_version"}
    upgrade_to_head(url)
    upgrade_to_head(url)  # idempotent
    assert _tables(url) == TABLES


def test_the_models_and_the_migrations_agree(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
    raw = sqlite3.connect(tmp_path / "m.db")
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # persistent in the file
    raw.close()


def test_the_url_comes_from_the_option_then_the_environment_then_the_data_dir(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_VAR, "postgresql+psycopg://clinic/hamcoach")
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"
    assert resolve_url(None) == "postgresql+psycopg://clinic/hamcoach"
    monkeypatch.delenv(ENV_VAR)
    assert resolve_url(None) == default_url()
    assert default_url().startswith("sqlite:///") and default_url().endswith("hamcoach.db")
    assert "hamcoach" in Path(default_url()[len("sqlite:///") :]).parent.as_posix()
