"""Alembic migrations, run from code (no alembic.ini): ``upgrade_to_head(url)``.

The scripts live in ``hamcoach/storage/migrations/versions``. To add one after changing
:mod:`hamcoach.storage.models`, run ``python -m hamcoach.storage.migrate revision "message"``
(it autogenerates against a scratch database at head), then read and fix the script.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from hamcoach.storage.engine import make_engine, resolve_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def upgrade_to_head(url: str | None = None) -> None:
    """Bring the database at ``url`` (default: :func:`resolve_url`) to the newest schema."""
    engine = make_engine(resolve_url(url))
    try:
        upgrade_engine(engine)
    finally:
        engine.dispose()


def downgrade_to(url: str, revision: str = "base") -> None:
    """Undo migrations down to ``revision`` (``base``: an empty database)."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), revision)
    finally:
        engine.dispose()


def _revision(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/scratch.db")
        upgrade_engine(engine)
        with engine.begin() as conn:
            command.revision(alembic_config(conn), message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":  # pragma: no cover - developer tool
    if len(sys.argv) == 3 and sys.argv[1] == "revision":
        _revision(sys.argv[2])
    else:
        sys.exit("usage: python -m hamcoach.storage.migrate revision MESSAGE")
