"""``accord serve``: run the mediated negotiation web app (see docs/web.md)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from accord.cli._app import app

#: Most server processes ``--workers`` starts.
MAX_WORKERS = 16


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    data: Annotated[str, typer.Option("--data", help="Directory of the SQLite database (ignored when "
                                                     "DATABASE_URL is set).")] = "accord-data",
    workers: Annotated[int, typer.Option("--workers", help="Server processes (1 to 16); more help only with "
                                                           "spare cores. Rate limits and caches are per process "
                                                           "(see docs/web.md).")] = 1,
) -> None:
    """Serve the mediated negotiation web app: a mediator sets up a negotiation, parties enter their
    preferences privately, Accord proposes packages and searches post-settlement improvements.

    Uses SQLite in --data by default; set DATABASE_URL=postgresql+psycopg://USER@HOST:PORT/DB for PostgreSQL.
    Migrations are applied on start.
    """
    from accord.errors import RequestError

    if not 0 < port < 65536:
        raise RequestError(f"--port must be between 1 and 65535, not {port}")
    if not 1 <= workers <= MAX_WORKERS:
        raise RequestError(f"--workers must be between 1 and {MAX_WORKERS}, not {workers}")
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from accord.web.app import create_app

    url = os.environ.get("DATABASE_URL") or None
    try:
        web_app = create_app(url, data_dir=data)
    except SQLAlchemyError as err:
        where = "DATABASE_URL" if url else f"--data {data}"
        reason = " ".join(str(getattr(err, "orig", None) or err).split())[:300]
        raise RequestError(f"cannot open the database ({where}): {reason}; check that it is reachable and "
                           "writable") from None
    where = "PostgreSQL" if url else f"SQLite in {data}"
    typer.echo(f"accord: serving on http://{host}:{port}/ ({where}); Ctrl+C stops", err=True)
    # Access logs would record the private links (tokens sit in page paths), so they stay off.
    if workers == 1:
        uvicorn.run(web_app, host=host, port=port, access_log=False, log_level="warning")
        return
    # Each worker process builds its own app from the environment; the database is already migrated above,
    # so their own migration step finds nothing to do.
    web_app.state.db.dispose()
    os.environ["ACCORD_DATA"] = data
    uvicorn.run("accord.web.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                access_log=False, log_level="warning")
