"""What the browser tests share: a live server in a thread, Debian's chromium, and a watch on every page.

Both end-to-end tests (the mediated negotiation and the classroom) drive ``/usr/bin/chromium`` with
Playwright (never ``playwright install``) against an app served by uvicorn on a free loopback port, and fail
if a page requests anything outside the server or logs a console error.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from pgserver import free_port

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@contextmanager
def live_server(database: Path) -> Iterator[str]:
    """``accord``'s web app on SQLite at ``database``, served in a thread; yields its base URL."""
    import uvicorn

    from accord.web.app import create_app

    app = create_app(f"sqlite:///{database}")
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
        app.state.db.dispose()


def require_chromium() -> None:
    """Skip without Debian's chromium, except under CI=true, where its absence is a failure."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing (Debian: apt-get install chromium; scripts/ci-deps.sh does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def artifacts(folder: str) -> Path:
    """A fresh ``test-artifacts/<folder>`` for screenshots."""
    path = ARTIFACTS / folder
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def screenshot(page: Any, folder: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


class Watch:
    """Collects console errors, page errors and requests that leave the server."""

    def __init__(self, base: str) -> None:
        self.host = urlparse(base).netloc
        self.problems: list[str] = []

    def attach(self, context: Any) -> None:
        def route(r: Any) -> None:
            url = urlparse(r.request.url)
            if url.scheme in ("data", "blob") or url.netloc == self.host:
                r.continue_()
            else:
                self.problems.append(f"request outside the server: {r.request.url}")
                r.abort()

        context.route("**/*", route)
        context.on("page", lambda page: self._page(page))

    def _page(self, page: Any) -> None:
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
