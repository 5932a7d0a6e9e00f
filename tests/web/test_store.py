"""The store: migrations applied in code (idempotent, from the package), and the data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from accord.errors import RequestError
from accord.store.db import Database, migrate, sqlite_url

TABLES = {"negotiations", "parties", "tokens", "submissions", "proposals", "acceptances", "offers", "agreements",
          "improvements", "improvement_decisions", "audit_log", "alembic_version"}


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import accord.store

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(accord.store.__file__).with_name("migrations")))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def test_migrations_create_every_table_and_are_idempotent(db_url: str) -> None:
    db = Database(db_url)
    try:
        migrate(db.engine)  # a second start changes nothing
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()
        assert db.ping()
    finally:
        db.dispose()


def test_sqlite_in_the_data_directory(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "new" / "dir")
    assert url.endswith("/new/dir/accord.sqlite3")
    Database(url).dispose()
    assert (tmp_path / "new" / "dir" / "accord.sqlite3").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RequestError, match="--data"):
        sqlite_url(blocker / "sub")


def test_unsupported_database_url() -> None:
    with pytest.raises(RequestError, match="postgresql"):
        Database("mysql://localhost/x")
