"""The web tables: migrated databases match the models; seeding the demo twice changes nothing."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from hamcoach.storage.engine import make_engine
from hamcoach.storage.migrate import current_revision, head_revision
from hamcoach.storage.models import Patient
from hamcoach.web.app import open_web_database
from hamcoach.web.models import UserRow, WebBase
from hamcoach.web.schema import MIGRATIONS, upgrade_web, web_version
from hamcoach.web.seed import demo_logins_present, seed_demo_web


def test_a_migrated_database_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert upgrade_web(engine) == len(MIGRATIONS)
    assert upgrade_web(engine) == len(MIGRATIONS)  # a second run does nothing
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert web_version(conn) == len(MIGRATIONS)
        diff = compare_metadata(MigrationContext.configure(conn), WebBase.metadata)
    web_diff = [d for d in diff if "web_" in repr(d) and "web_schema_version" not in repr(d)]
    assert web_diff == []
    engine.dispose()


def test_seeding_the_demo_twice_is_harmless(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = seed_demo_web(url, tmp_path / "storage")
    second = seed_demo_web(url, tmp_path / "storage")
    assert first == second
    db = open_web_database(url)
    assert demo_logins_present(db) == first
    db.close()
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Patient)) == 2
        assert conn.scalar(select(func.count()).select_from(UserRow)) == len(first)
    engine.dispose()
