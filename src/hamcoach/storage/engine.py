"""Where the database lives and how to connect to it.

The URL comes from, in order: an explicit argument (the CLI's ``--db``), the environment variable
``HAMCOACH_DB_URL``, or a SQLite file in the user's data directory. Any SQLAlchemy URL works
(``postgresql+psycopg://...``). On SQLite every connection turns on WAL mode, foreign keys and a
busy timeout, and every transaction starts with ``BEGIN IMMEDIATE`` so that two processes writing
at once wait for each other instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ENV_VAR = "HAMCOACH_DB_URL"
BUSY_TIMEOUT_S = 60.0
"""How long a SQLite writer waits for another process's transaction (engineering)."""


def default_url() -> str:
    path = Path(user_data_dir("hamcoach", appauthor=False)) / "hamcoach.db"
    return f"sqlite:///{path}"


def resolve_url(url: str | None = None) -> str:
    return url or os.environ.get(ENV_VAR) or default_url()


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite files, the folder is created if needed."""
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True)
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}, poolclass=NullPool)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own would be DEFERRED).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")
