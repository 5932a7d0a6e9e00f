"""Opening the database: engine, sessions, the write lock and the Alembic migrations.

SQLite (a file in the data directory, the default) and PostgreSQL (``postgresql+psycopg://...``) behave the
same for the code above: :meth:`Database.write` opens a transaction that holds the database's write lock
from its first statement on SQLite (``BEGIN IMMEDIATE``), and :meth:`Database.lock` takes a row lock
(``SELECT ... FOR UPDATE``) on PostgreSQL, so read-check-write sequences such as "the last party accepts, so
create the agreement" run one at a time. Migrations live in this package (``migrations/``) and are applied
in code on start, so an installed wheel needs no ``alembic.ini``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from accord.errors import RequestError

T = TypeVar("T")

#: Seconds a SQLite writer waits for the lock before giving up.
SQLITE_BUSY_SECONDS = 30
_MIGRATION_LOCK = threading.Lock()


def sqlite_url(data_dir: str | Path) -> str:
    """The URL of the SQLite file ``accord.sqlite3`` in ``data_dir`` (created if missing)."""
    path = Path(data_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RequestError(f"cannot create the data directory {str(path)!r}: {err.strerror}; "
                           "pass --data with a writable directory") from None
    return f"sqlite:///{(path / 'accord.sqlite3').resolve()}"


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings Accord relies on (WAL and immediate writers on SQLite)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
                               pool_size=10, max_overflow=20)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            # Take transaction control from pysqlite so that BEGIN IMMEDIATE below is honoured.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit survives the process being killed (SIGKILL), only not a power cut.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            mode = "IMMEDIATE" if conn.get_execution_options().get("accord_write") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if url.startswith("postgresql"):
        return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    raise RequestError(f"unsupported database URL {url.split(':', 1)[0]!r}; use sqlite:///FILE or "
                       "postgresql+psycopg://USER@HOST:PORT/DB")


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest Alembic revision (idempotent; safe to call on every start)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    with _MIGRATION_LOCK, engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Several processes may start on one fresh database at once: serialise their migrations.
            conn.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Database:
    """An engine plus the two kinds of session the web layer uses.

    Parameters
    ----------
    url : str
        ``sqlite:///path`` or ``postgresql+psycopg://...``.
    apply_migrations : bool
        Run :func:`migrate` now.
    """

    def __init__(self, url: str, *, apply_migrations: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if apply_migrations:
            migrate(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._writers: AbstractContextManager[Any] = (threading.Lock() if self.engine.dialect.name == "sqlite"
                                                      else nullcontext())
        self._write = sessionmaker(self.engine.execution_options(accord_write=True), expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (rolled back at the end)."""
        with self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits at the end (or rolls back on an exception).

        On SQLite the writers of this process also queue on a lock of their own: SQLite's busy handler polls
        with sleeps of up to 100 ms, so under contention waiting there instead turns milliseconds into seconds.
        ``BEGIN IMMEDIATE`` still orders writers of other processes.
        """
        with self._writers, self._write() as session, session.begin():
            yield session

    def lock(self, session: Session, model: type[T], key: Any) -> T | None:
        """Load ``model`` row ``key`` holding its row lock until the transaction ends (no-op lock on SQLite,
        where a write session already holds the database's write lock)."""
        pk = model.__mapper__.primary_key[0]  # type: ignore[attr-defined]
        stmt = select(model).where(pk == key)
        if self.dialect == "postgresql":
            stmt = stmt.with_for_update()
        return session.execute(stmt).scalar_one_or_none()

    def ping(self) -> bool:
        """Whether the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()
