"""A throw-away PostgreSQL server on a private loopback port, for the web tests and the benchmark.

Runs Debian's server binaries (/usr/lib/postgresql/*/bin) as the ``postgres`` user when we are root (the
server refuses to run as root), in a temporary directory owned by that user; each pytest-xdist worker gets
its own directory and port.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's bin directory, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """Start with :meth:`start`, get databases with :meth:`new_database`, stop with :meth:`stop`."""

    def __init__(self, *, fsync: bool = False) -> None:
        bindir = bin_dir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
                               "(Debian: apt-get install postgresql)")
        self.bin = bindir
        self.fsync = fsync
        self.root = Path(tempfile.mkdtemp(prefix="accord-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        # cwd: the postgres user may not be allowed into the repository (e.g. under /root).
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120, cwd=self.root)

    def start(self) -> PgServer:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o700)
        user = "postgres"
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", user, "-E", "UTF8",
                  "--no-sync", "--no-instructions")
        opts = f"-p {self.port} -k {self.root} -h 127.0.0.1 -c max_connections=200"
        if not self.fsync:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"), "-w",
                  "-t", "60", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
