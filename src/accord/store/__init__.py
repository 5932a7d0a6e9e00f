"""Persistence for the web app: SQLAlchemy models, sessions and Alembic migrations (no HTTP, no analysis)."""

from accord.store.db import Database, migrate, sqlite_url

__all__ = ["Database", "migrate", "sqlite_url"]
