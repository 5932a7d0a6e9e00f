"""``accord serve``: run the mediated negotiation web app (see docs/web.md)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from accord.cli._app import app


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    data: Annotated[str, typer.Option("--data", help="Directory of the SQLite database (ignored when "
                                                     "DATABASE_URL is set).")] = "accord-data",
) -> None:
    """Serve the mediated negotiation web app: a mediator sets up a negotiation, parties enter their
    preferences privately, Accord proposes packages and searches post-settlement improvements.

    Uses SQLite in --data by default; set DATABASE_URL=postgresql+psycopg://USER@HOST:PORT/DB for PostgreSQL.
    Migrations are applied on start.
    """
    from accord.errors import RequestError

    if not 0 < port < 65536:
        raise RequestError(f"--port must be between 1 and 65535, not {port}")
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
    uvicorn.run(web_app, host=host, port=port, access_log=False, log_level="warning")
