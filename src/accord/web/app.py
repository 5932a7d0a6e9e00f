"""The web app factory: :func:`create_app` wires the database, the service, security and the routers.

``accord serve`` calls it with a SQLite file in the data directory or ``DATABASE_URL``; tests call it with
their own database. The classroom part will add its router and tables here the same way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.store.db import Database
from accord.web import pages
from accord.web.pages import PageError
from accord.web.security import BodySizeLimit, FailureLimiter
from accord.web.service import Service, ServiceError

STATIC = Path(__file__).with_name("static")
#: Worker threads for the synchronous routes.
THREADS = 100
#: Largest request body accepted (bytes); a case file upload is the largest legitimate one.
MAX_BODY = 256 * 1024
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def plotly_js() -> Path:
    """plotly.min.js as shipped inside the installed plotly wheel (never a CDN)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(x) for x in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts
    return ".".join(parts)


def _is_page(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path.startswith("/static/") or path in ("/healthz", "/openapi.json"))


def create_app(database_url: str | None = None, *, data_dir: str | Path | None = None, max_body: int = MAX_BODY,
               max_failures: int = 20, failure_window: float = 60.0) -> FastAPI:
    """Build the app over ``database_url`` (or a SQLite file in ``data_dir``), applying migrations.

    Parameters
    ----------
    database_url : str, optional
        ``sqlite:///FILE`` or ``postgresql+psycopg://USER@HOST:PORT/DB``.
    data_dir : path, optional
        Where the SQLite file lives when no URL is given.
    max_body : int
        Largest request body in bytes (larger: 413).
    max_failures, failure_window : int, float
        More than ``max_failures`` unknown tokens from one client within ``failure_window`` seconds → 429.
    """
    from accord.store.db import sqlite_url
    from accord.web import api, classroom

    if database_url is None:
        database_url = sqlite_url(data_dir if data_dir is not None else ".")
    db = Database(database_url)
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Route functions are synchronous (SQLAlchemy sessions) and run in anyio's thread pool; its default of
        # 40 threads would queue requests behind ones waiting for the database's write lock.
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield

    # No /docs or /redoc: FastAPI's pages load Swagger UI and ReDoc from a CDN, and no page may load anything
    # from outside the server. The spec itself is at /openapi.json.
    app = FastAPI(title="Accord mediated negotiation", version="1", lifespan=lifespan, docs_url=None,
                  redoc_url=None,
                  description="Confidential preferences, mediator proposals, offers and post-settlement "
                              "improvements. Authenticate with 'Authorization: Bearer TOKEN'.")
    app.state.db = db
    app.state.service = Service(db)
    app.state.limiter = FailureLimiter(max_failures, failure_window)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, err: PageError) -> Response:
        return pages.render(request, "error.html", {"title": "Error", "status": err.status,
                                                    "message": err.message}, status=err.status)

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, err: ServiceError) -> Response:
        if _is_page(request):
            return await _page_error(request, PageError(err.status, err.message))
        body: dict[str, Any] = {"detail": err.message}
        if err.field:
            body["field"] = err.field
        return JSONResponse(body, status_code=err.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> Response:
        errors = [{"field": _field(e.get("loc", ())), "message": str(e.get("msg", "invalid")),
                   "type": str(e.get("type", ""))} for e in err.errors()]
        first = errors[0] if errors else {"field": "body", "message": "invalid"}
        if _is_page(request):
            return await _page_error(request, PageError(422, f"{first['field']}: {first['message']}"))
        return JSONResponse({"detail": f"{first['field']}: {first['message']}", "errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> Response:
        if _is_page(request) and err.status_code in (404, 405, 429):
            return await _page_error(request, PageError(err.status_code, str(err.detail)))
        return JSONResponse({"detail": err.detail}, status_code=err.status_code, headers=err.headers)

    @app.get("/healthz", tags=["server"])
    def healthz() -> Response:
        """200 when the database answers, 503 otherwise."""
        ok = db.ping()
        return JSONResponse({"status": "ok" if ok else "database unreachable"}, status_code=200 if ok else 503)

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_static() -> FileResponse:
        return FileResponse(plotly_js(), media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(classroom.router)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit, max_bytes=max_body)
    _warm_up()
    return app


def _warm_up() -> None:
    """Import what the first analyses import lazily, so that no request of a burst pays for it (~0.3 s)."""
    import accord.analysis.bargaining
    import accord.analysis.frontier
    import accord.analysis.pyramid
    import accord.negotiation.mediated
    import accord.tactics.settlement  # noqa: F401


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response (CSP unless the route set its own).

    A plain ASGI middleware rather than ``@app.middleware("http")``: Starlette's ``BaseHTTPMiddleware`` runs
    each request through an extra task and memory stream, a measurable share of a small request's CPU.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = _CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
                if not static:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


def app_from_environment() -> FastAPI:
    """The app of ``accord serve --workers N``: each worker process builds its own from the environment
    (``DATABASE_URL``, else a SQLite file in ``ACCORD_DATA``); the parent has already migrated the database."""
    import os

    return create_app(os.environ.get("DATABASE_URL") or None, data_dir=os.environ.get("ACCORD_DATA", "."))
