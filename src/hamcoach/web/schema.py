"""The web tables' migrations: a list of functions, each recorded in ``web_schema_version`` once
it has run (the program's own tables are migrated first, by Alembic: ``upgrade_to_head``).

To change :mod:`hamcoach.web.models`, append a function to :data:`MIGRATIONS` that brings a
database from the previous version to the new one (never edit one that has shipped);
``tests/web/test_schema.py`` checks that a migrated database matches the models.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, text

from hamcoach.storage.migrate import current_revision, head_revision, upgrade_engine
from hamcoach.web.models import WebBase

Migration = Callable[[Connection], None]


def _m001_initial(conn: Connection) -> None:
    WebBase.metadata.create_all(conn)


MIGRATIONS: tuple[Migration, ...] = (_m001_initial,)
VERSION_TABLE = "web_schema_version"


def web_version(conn: Connection) -> int:
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL)"))
    found = conn.execute(text(f"SELECT max(version) FROM {VERSION_TABLE}")).scalar()
    return int(found or 0)


def upgrade_web(engine: Engine) -> int:
    """Bring the program tables (Alembic) and then the web tables to the newest schema; the web
    schema version."""
    if current_revision(engine) != head_revision():
        upgrade_engine(engine)
    with engine.begin() as conn:
        done = web_version(conn)
        for number, migration in enumerate(MIGRATIONS, start=1):
            if number > done:
                migration(conn)
                conn.execute(
                    text(f"INSERT INTO {VERSION_TABLE} (version) VALUES (:v)"), {"v": number}
                )
        return len(MIGRATIONS)
