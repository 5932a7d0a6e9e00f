"""Benchmark of `accord serve`: 50 simulated parties in 25 negotiations acting at once.

Starts a real server (a subprocess) on SQLite in a temporary directory and, when Debian's PostgreSQL server
binaries exist, again on a throw-away PostgreSQL server. Each party, in its own thread and HTTP connection,
submits preferences, reads the proposals, values three packages, makes an offer, reads the offers, accepts
the first proposal, and reads the agreement and the improvements. Prints p50/p95/max latency per request
and per route, the error count, and the ratio of the p95 to the p95 of `GET /healthz` measured in the same
run (the baseline: what the server and machine cost with no work).

Run: ``uv run python benchmarks/bench_web.py [--negotiations 25] [--think 0.5] [--workers 2] [--skip-postgres]``
(``--think``: the mean pause of a party between actions; 0, the default, fires everything back to back).
The issue's target is a p95 of at most 100 ms with no errors; this prints the figures, it does not assert them.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
ISSUES = {"price": ["90", "95", "100", "105"], "delivery": ["2 weeks", "4 weeks", "8 weeks"],
          "warranty": ["1 year", "2 years", "3 years"], "payment": ["30 days", "60 days"]}


def _pgserver() -> Any:
    spec = importlib.util.spec_from_file_location("pgserver", ROOT / "tests" / "web" / "pgserver.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PG = _pgserver()


def _start(port: int, data: Path, database_url: str | None, workers: int = 1) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    proc = subprocess.Popen([sys.executable, "-m", "accord", "serve", "--port", str(port), "--data", str(data),
                             "--workers", str(workers)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"accord serve did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def _points(rng: random.Random) -> dict[str, dict[str, float]]:
    weights = [rng.random() for _ in ISSUES]
    total = sum(weights)
    out = {}
    for (issue, options), w in zip(ISSUES.items(), weights, strict=True):
        ratings = sorted((rng.random() for _ in options), reverse=rng.random() < 0.5)
        out[issue] = {o: round(100 * w / total * r, 3) for o, r in zip(options, ratings, strict=True)}
    return out


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def call(self, client: httpx.Client, method: str, url: str, route: str, ok: tuple[int, ...] = (200, 201),
             **kw: Any) -> Any:
        t0 = time.perf_counter()
        r = client.request(method, url, **kw)
        dt = time.perf_counter() - t0
        with self.lock:
            self.times[route].append(dt)
            if r.status_code not in ok:
                self.errors.append(f"{method} {route}: {r.status_code} {r.text[:120]}")
        return r


def _party(rec: Recorder, base: str, nid: str, token: str, seed: int, start: threading.Barrier,
           think: float = 0.0) -> None:
    rng = random.Random(seed)

    def pause() -> None:
        if think:
            time.sleep(rng.uniform(0, 2 * think))

    h = {"Authorization": f"Bearer {token}"}
    url = f"{base}/api/negotiations/{nid}"
    with httpx.Client(timeout=60, headers=h) as c:
        start.wait()
        pause()
        rec.call(c, "PUT", f"{url}/preferences", "PUT preferences",
                 json={"preferences": _points(rng), "batna": round(rng.uniform(0, 20), 3)})
        for _ in range(3):
            pkg = {i: rng.choice(o) for i, o in ISSUES.items()}
            rec.call(c, "POST", f"{url}/value", "POST value", json={"package": pkg})
            pause()
        rec.call(c, "POST", f"{url}/offers", "POST offers",
                 json={"packages": [{i: rng.choice(o) for i, o in ISSUES.items()}]})
        rec.call(c, "GET", f"{url}/offers", "GET offers")
        props: list[dict[str, Any]] = []
        for _ in range(50):  # the other party may not have submitted yet
            props = rec.call(c, "GET", f"{url}/proposals", "GET proposals").json()["proposals"]
            if props:
                break
            time.sleep(0.05 + think)
        pause()
        if props:
            rec.call(c, "POST", f"{url}/proposals/{props[0]['id']}/accept", "POST accept", ok=(200, 409))
        rec.call(c, "GET", url, "GET negotiation")
        rec.call(c, "GET", f"{url}/agreement", "GET agreement")
        rec.call(c, "GET", f"{url}/improvements", "GET improvements", ok=(200, 409))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children (the ``--workers``; Linux /proc), 0 where
    unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        children = []
    return own + sum(_cpu_seconds(c) for c in children)


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))] * 1000


def run(label: str, database_url: str | None, negotiations: int, think: float = 0.0,
        workers: int = 1) -> dict[str, float]:
    port = PG.free_port()
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        proc = _start(port, Path(tmp) / "data", database_url, workers)
        try:
            base = f"http://127.0.0.1:{port}"
            rec = Recorder()
            with httpx.Client(timeout=60) as c:
                for _ in range(200):  # the baseline: an endpoint that only pings the database
                    rec.call(c, "GET", f"{base}/healthz", "baseline GET /healthz")
                created = [rec.call(c, "POST", f"{base}/api/negotiations", "POST negotiations",
                                    json={"name": f"bench {k}", "issues": ISSUES, "parties": ["buyer", "seller"]})
                           .json() for k in range(negotiations)]
            start = threading.Barrier(2 * negotiations)
            threads = [threading.Thread(target=_party, args=(rec, base, n["id"], tok, 1000 * k + j, start, think))
                       for k, n in enumerate(created) for j, tok in enumerate(n["invitations"].values())]
            cpu0 = _cpu_seconds(proc.pid)
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            cpu = _cpu_seconds(proc.pid) - cpu0
        finally:
            proc.kill()
            proc.wait()
    work = [x for route, xs in rec.times.items() if not route.startswith("baseline") for x in xs]
    base_p95 = _pct(rec.times["baseline GET /healthz"], 0.95)
    pacing = f", think time 0-{2 * think:g} s between actions" if think else ", no think time"
    pacing += f", {workers} server processes" if workers > 1 else ""
    print(f"\n== {label}: {2 * negotiations} parties in {negotiations} negotiations{pacing}, {len(work)} requests "
          f"in {wall:.1f} s, {len(rec.errors)} errors")
    print(f"{'route':28} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for route in sorted(rec.times):
        xs = rec.times[route]
        print(f"{route:28} {len(xs):5d} {_pct(xs, .5):8.1f} {_pct(xs, .95):8.1f} {max(xs) * 1000:8.1f}")
    p95 = _pct(work, 0.95)
    print(f"{'all party requests':28} {len(work):5d} {_pct(work, .5):8.1f} {p95:8.1f} {max(work) * 1000:8.1f}")
    print(f"p95 / baseline p95 = {p95 / base_p95:.1f}  (target: p95 <= 100 ms, no errors)")
    print(f"server CPU: {cpu:.2f} s for {len(work)} requests = {1000 * cpu / max(1, len(work)):.1f} ms per request; "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for e in rec.errors[:10]:
        print("  error:", e)
    return {"p95_ms": p95, "errors": float(len(rec.errors))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--negotiations", type=int, default=25)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a party waits between actions (0: all requests back to back)")
    parser.add_argument("--workers", type=int, default=1, help="accord serve --workers")
    args = parser.parse_args()
    run("SQLite", None, args.negotiations, args.think, args.workers)
    if args.skip_postgres:
        return
    if PG.bin_dir() is None:
        print("\n(PostgreSQL skipped: no server binaries under /usr/lib/postgresql/*/bin)")
        return
    server = PG.PgServer(fsync=True).start()
    try:
        run("PostgreSQL", server.new_database(), args.negotiations, args.think, args.workers)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
