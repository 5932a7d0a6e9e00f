"""Nothing is lost: `accord serve` killed with SIGKILL mid-session restarts with everything intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2 as httpx
from pgserver import free_port
from webflow import BATNA, INEFFICIENT, ISSUES, POINTS


@contextmanager
def serving(data: Path, port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen([sys.executable, "-m", "accord", "serve", "--port", str(port), "--data", str(data)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise AssertionError(f"accord serve did not come up: {err}")
            time.sleep(0.2)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_sigkill_mid_session_loses_nothing(db_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if db_url.startswith("postgresql"):
        env["DATABASE_URL"] = db_url
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/negotiations"
    with serving(tmp_path / "data", port, env) as proc:
        c = httpx.Client(timeout=30)
        created = c.post(base, json={"name": "Job offer", "issues": ISSUES, "parties": ["Ana", "Ben"]}).json()
        nid, tok = created["id"], {"mediator": created["mediator_token"], **created["invitations"]}

        def h(who: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {tok[who]}"}

        for who in ("Ana", "Ben"):
            r = c.put(f"{base}/{nid}/preferences", headers=h(who),
                      json={"preferences": POINTS[who], "batna": BATNA[who]})
            assert r.status_code == 200
        offer = c.post(f"{base}/{nid}/offers", headers=h("Ana"), json={"packages": [INEFFICIENT]}).json()
        pid = c.get(f"{base}/{nid}/proposals", headers=h("Ben")).json()["proposals"][0]["id"]
        assert c.post(f"{base}/{nid}/proposals/{pid}/accept", headers=h("Ben")).status_code == 200
        before: dict[str, Any] = {
            "audit": c.get(f"{base}/{nid}/audit", headers=h("mediator")).json(),
            "mediator": c.get(f"{base}/{nid}", headers=h("mediator")).json(),
        }
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    with serving(tmp_path / "data", port, env):
        c = httpx.Client(timeout=30)
        for who in ("Ana", "Ben"):
            mine = c.get(f"{base}/{nid}/preferences", headers=h(who)).json()
            assert mine["preferences"] == POINTS[who] and mine["batna"] == BATNA[who]
        offers = c.get(f"{base}/{nid}/offers", headers=h("Ben")).json()["offers"]
        assert [o["id"] for o in offers] == [offer["id"]] and offers[0]["packages"] == [INEFFICIENT]
        props = {p["id"]: p for p in c.get(f"{base}/{nid}/proposals", headers=h("Ben")).json()["proposals"]}
        assert props[pid]["your_decision"] == "accept"
        assert c.get(f"{base}/{nid}/audit", headers=h("mediator")).json() == before["audit"]
        assert c.get(f"{base}/{nid}", headers=h("mediator")).json() == before["mediator"]
        # And the session goes on: Ana accepts, the agreement is made.
        r = c.post(f"{base}/{nid}/proposals/{pid}/accept", headers=h("Ana")).json()
        assert r["agreement"]["package"] == props[pid]["package"]
