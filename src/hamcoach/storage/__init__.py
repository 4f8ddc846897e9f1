"""Patient history in a real database (SQLAlchemy 2 + Alembic).

- :mod:`.engine`: the URL (``--db``, ``HAMCOACH_DB_URL`` or SQLite in the user data dir).
- :mod:`.models`: the schema.
- :mod:`.migrate`: ``upgrade_to_head(url)``.
- :mod:`.repo`: ``open_database``, patients, sessions, sets, audits, pain, red flags, overrides,
  ``load_history`` (what the program rules read), ``store_audit``.
- :mod:`.export`: CSV and JSON exports.
"""
