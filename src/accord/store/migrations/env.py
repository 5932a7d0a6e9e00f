"""Alembic environment: run the migrations on the connection :func:`accord.store.db.migrate` hands over."""

from __future__ import annotations

from alembic import context
from alembic.config import Config

from accord.store.models import Base

target_metadata = Base.metadata


def _config() -> Config | None:
    """Alembic's config while Alembic runs this file; None when it is merely imported (doctest collection)."""
    try:
        return context.config
    except (NameError, AttributeError):
        return None


_cfg = _config()
connection = None if _cfg is None else _cfg.attributes.get("connection")
if _cfg is None:
    pass
elif connection is None:  # pragma: no cover - only `alembic` on the command line takes this path
    from sqlalchemy import create_engine

    engine = create_engine(_cfg.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
