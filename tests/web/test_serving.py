"""How the server is run: the security headers on every kind of response, principals resolved through the
in-memory cache of another process, and `accord serve --workers N`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
from pgserver import free_port
from webflow import BATNA, ISSUES, POINTS


def _security_headers(r: Any, *, static: bool = False) -> None:
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"
    assert (r.headers.get("cache-control") == "no-store") is not static


def test_security_headers_on_pages_api_errors_and_static_files(client: Any) -> None:
    _security_headers(client.get("/healthz"))
    _security_headers(client.get("/"))
    _security_headers(client.get("/api/negotiations/x"))  # 401 or 404 from an exception handler
    _security_headers(client.get("/no-such-page"))
    _security_headers(client.post("/api/negotiations", json={"name": ""}))  # 422
    static = client.get("/static/accord.css")
    assert static.status_code == 200
    _security_headers(static, static=True)


def test_tokens_resolve_in_a_process_that_did_not_create_them(db_url: str) -> None:
    """Two apps over one database stand for two worker processes: each caches principals on its own."""
    from fastapi.testclient import TestClient

    from accord.web.app import create_app

    first, second = create_app(db_url), create_app(db_url)
    try:
        with TestClient(first) as a, TestClient(second) as b:
            bad = {"Authorization": "Bearer not-a-token"}
            assert b.get("/api/negotiations/" + "0" * 32, headers=bad).status_code == 401
            created = a.post("/api/negotiations", json={"name": "Job", "issues": ISSUES,
                                                        "parties": ["Ana", "Ben"]}).json()
            nid = created["id"]
            for who in ("Ana", "Ben"):
                h = {"Authorization": f"Bearer {created['invitations'][who]}"}
                for c in (a, b, a, b):  # the second lookup of each app comes from its cache
                    r = c.get(f"/api/negotiations/{nid}", headers=h)
                    assert r.status_code == 200 and r.json()["you"] == who
            h = {"Authorization": f"Bearer {created['mediator_token']}"}
            assert b.get(f"/api/negotiations/{nid}", headers=h).json()["role"] == "mediator"
            assert b.get("/api/negotiations/" + "f" * 32, headers=h).status_code == 403
    finally:
        first.state.db.dispose()
        second.state.db.dispose()


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}


def test_serve_with_two_workers_runs_a_negotiation(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "accord", "serve", "--port", str(port), "--data",
                             str(tmp_path / "data"), "--workers", "2"], env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise AssertionError(f"accord serve --workers 2 did not come up: {err}")
            time.sleep(0.2)
        created = httpx.post(f"{base}/api/negotiations", timeout=30,
                             json={"name": "Job", "issues": ISSUES, "parties": ["Ana", "Ben"]}).json()
        url = f"{base}/api/negotiations/{created['id']}"
        for who in ("Ana", "Ben"):
            # A new connection per request, so the requests are spread over both processes.
            r = httpx.put(f"{url}/preferences", timeout=30,
                          headers={"Authorization": f"Bearer {created['invitations'][who]}"},
                          json={"preferences": POINTS[who], "batna": BATNA[who]})
            assert r.status_code == 200, r.text
        for _ in range(6):
            r = httpx.get(f"{url}/proposals", timeout=30,
                          headers={"Authorization": f"Bearer {created['invitations']['Ana']}"})
            assert r.status_code == 200 and len(r.json()["proposals"]) == 1
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_serve_refuses_a_worker_count_out_of_bounds(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "accord", "serve", "--data", str(tmp_path), "--workers", "0"],
                       env=_env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "--workers must be between 1 and 16, not 0" in r.stderr
    assert "Traceback" not in r.stderr
