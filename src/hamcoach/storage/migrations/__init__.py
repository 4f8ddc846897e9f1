"""Alembic migration scripts (see hamcoach.storage.migrate)."""
