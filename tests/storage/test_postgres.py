"""The same storage on PostgreSQL. Runs when HAMCOACH_TEST_PG_URL names a server where the user
may create databases (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres) and psycopg is
installed; skipped otherwise."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from hamcoach.program.demo import build_demo, synthetic_audit
from hamcoach.storage.engine import make_engine
from hamcoach.storage.migrate import downgrade_to, upgrade_to_head
from hamcoach.storage.models import Base
from hamcoach.storage.repo import load_audit, load_history, open_database
from tests.program.builders import T0

ADMIN_URL = os.environ.get("HAMCOACH_TEST_PG_URL", "")
pytestmark = pytest.mark.skipif(not ADMIN_URL, reason="HAMCOACH_TEST_PG_URL is not set")


@pytest.fixture
def pg_url() -> Iterator[str]:
    pytest.importorskip("psycopg")
    name = f"hamcoach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_up_and_down_and_the_models_agree(pg_url: str) -> None:
    upgrade_to_head(pg_url)
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert "audit_findings" in inspect(engine).get_table_names()
    engine.dispose()
    downgrade_to(pg_url, "base")
    engine = make_engine(pg_url)
    assert inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()


def test_the_demo_and_its_audits_round_trip(pg_url: str) -> None:
    result = build_demo(pg_url, synthetic_audit, start=T0)
    db = open_database(pg_url)
    try:
        h = load_history(db, result.patient_id)
        assert len(h.sessions) == 9
        audit_id = h.sessions[0].sets[0].audit_id
        assert audit_id is not None
        assert load_audit(db, audit_id).counts.reps == 15
        assert result.plan is not None
        assert [i.stage for i in result.plan.items] == ["C1", "S3", "D2"]
    finally:
        db.close()
