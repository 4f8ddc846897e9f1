"""Alembic environment, driven from :mod:`hamcoach.storage.migrate` with a live connection."""

from __future__ import annotations

from alembic import context

from hamcoach.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through hamcoach.storage.migrate (it passes a connection).")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
