"""Migrations from an empty database to head and back down; the models match the scripts."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect

from hamcoach.storage.engine import ENV_VAR, default_url, make_engine, resolve_url
from hamcoach.storage.migrate import (
    current_revision,
    downgrade_to,
    head_revision,
    upgrade_engine,
    upgrade_to_head,
)
from hamcoach.storage.models import Base

TABLES = {
    "alembic_version",
    "audit_findings",
    "audit_reps",
    "audits",
    "clinicians",
    "decisions",
    "leads",
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
    assert current_revision(engine) == head_revision() == "0002"
    engine.dispose()
    downgrade_to(url, "0001")
    assert _tables(url) == TABLES - {"leads"}
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


@settings(max_examples=8, deadline=None)
@given(st.lists(st.sampled_from(["up", "down"]), max_size=4))
def test_any_walk_of_upgrades_and_downgrades_ends_at_a_schema_equal_to_the_models(
    steps: list[str],
) -> None:
    """From an empty database, any sequence of one-step upgrades and downgrades, then head,
    gives the schema of the models; at base only Alembic's own table is left."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'walk.db'}"
        engine = make_engine(url)
        for step in steps:
            at = current_revision(engine)
            if step == "up" and at != head_revision():
                upgrade_engine(engine, "+1")
            elif step == "down" and at is not None:
                downgrade_to(url, "-1")
            if current_revision(engine) is None:
                assert inspect(engine).get_table_names() in ([], ["alembic_version"])
        upgrade_engine(engine)
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        engine.dispose()
