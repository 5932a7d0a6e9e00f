"""Fixtures of the web tests: a database URL for SQLite and for a real PostgreSQL server.

The PostgreSQL server (one per pytest-xdist worker) is started on a private loopback port when Debian's
server binaries exist; without them the PostgreSQL variants skip with a message, except under CI=true, where
they fail (CI must exercise PostgreSQL).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _load(name: str) -> Any:
    """Import a helper module of this folder under its own name (tests import it as ``webflow``)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


pgserver = _load("pgserver")
browser = _load("browser")
webflow = _load("webflow")
classroomflow = _load("classroomflow")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A running PostgreSQL server for this test session (worker)."""
    if pgserver.bin_dir() is None:
        message = ("PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin); install the Debian "
                   "package 'postgresql' (scripts/ci-deps.sh does) to run the PostgreSQL variants")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    try:
        server = pgserver.PgServer().start()
    except Exception as err:  # a machine without a postgres user, a sandbox refusing runuser, ...
        detail = getattr(err, "stderr", "") or str(err)
        if IN_CI:
            pytest.fail(f"could not start PostgreSQL: {detail}")
        pytest.skip(f"could not start PostgreSQL: {detail}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'accord.sqlite3'}"
    server = request.getfixturevalue("pg_server")
    url: str = server.new_database()
    return url


@pytest.fixture
def client(db_url: str) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from accord.web.app import create_app

    app = create_app(db_url)
    with TestClient(app) as c:
        yield c
    app.state.db.dispose()


@pytest.fixture
def flow(client: Any) -> Any:
    return webflow.Flow(client)
