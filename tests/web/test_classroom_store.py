"""The classroom tables: migration 0002 creates exactly what the models in accord.store.classroom declare, and
its downgrade removes them, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.migration import MigrationContext
from sqlalchemy import inspect

import accord.store.classroom  # noqa: F401  (registers the classroom models on the shared metadata)
from accord.store.db import Database
from accord.store.models import Base

TABLES = {"classroom_exercises", "classroom_students", "classroom_results"}


def test_migration_matches_the_models(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata

    db = Database(db_url)
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        ours = [d for d in diff if any(t in repr(d) for t in TABLES)]
        assert not ours, ours
        assert set(inspect(db.engine).get_table_names()) >= TABLES
    finally:
        db.dispose()


def test_downgrade_removes_the_classroom_tables(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    import accord.store.db as store_db

    url = f"sqlite:///{tmp_path / 'down.sqlite3'}"
    db = Database(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_db.__file__).with_name("migrations")))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    names = set(inspect(db.engine).get_table_names())
    assert not (TABLES & names) and "negotiations" in names
    db.dispose()
