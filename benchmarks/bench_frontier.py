"""Benchmarks of the exact frontier engine (issue 3), with ratios against brute force in the same process.

Run: ``uv run python benchmarks/bench_frontier.py`` (add ``--quick`` for fewer repetitions, ``--only 6x10`` to
run the rows whose name contains a text).

Cases (seeded): party p's utility is Σ_k w_pk · v_pk(option), weights from a flat Dirichlet, values uniform in
[0, 1]; the "opposed" variant gives party 2 the values 1 − v of party 1 (with its own weights), so every issue
is opposed. The non-additive row adds 20 interaction terms (10 per party, each on 2–3 issues with random option
sets and points in [−0.1, 0.3]). The GENIUS row loads ``anac/y2014/10issues`` with the GENIUS importer.

Brute force = a vectorised numpy enumeration of every package (outer sums; ``Case.utilities`` in chunks for
interaction terms) followed by a dominance filter (lexicographic sort and a running maximum, which is exact
for two parties), run only where |Ω| ≤ 10**6 so it can finish. Times are the best of several runs after a
warm-up (the machine is shared); memory is the peak of Python/numpy allocations (tracemalloc) in a separate
run.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis.frontier import pareto_frontier
from accord.model import Case, Interaction, Issue, Party, Preferences

GENIUS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "genius" / "genius-xml" / "anac" / \
    "y2014" / "10issues"


def random_case(n_issues: int, n_options: int, n_parties: int = 2, *, opposed: bool = False, seed: int = 0,
                terms: int = 0) -> Case:
    rng = np.random.default_rng(seed)
    v = rng.random((n_parties, n_issues, n_options))
    if opposed:
        v[1] = 1 - v[0]
    w = rng.dirichlet(np.ones(n_issues), size=n_parties)
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(n_options)]) for k in range(n_issues))
    prefs = []
    for p in range(n_parties):
        inter = []
        for _ in range(terms // n_parties):
            ks = sorted(int(k) for k in rng.choice(n_issues, size=int(rng.integers(2, 4)), replace=False))
            conds = tuple((k, frozenset(int(o) for o in rng.choice(n_options, size=int(rng.integers(1, n_options)),
                                                                     replace=False))) for k in ks)
            inter.append(Interaction(conds, float(rng.uniform(-0.1, 0.3))))
        prefs.append(Preferences(tuple(tuple(w[p, k] * v[p, k]) for k in range(n_issues)), tuple(inter)))
    return Case("bench", issues, tuple(Party(f"P{p}") for p in range(n_parties)), tuple(prefs))


def brute_force(case: Case) -> int:
    """Enumerate every package, then filter dominated utility vectors (two parties). Returns the point count."""
    if case.additive:
        cols = []
        for i in range(case.n_parties):
            u = np.zeros(1)
            for k in range(case.n_issues):
                u = np.add.outer(u, case.scores[k][i]).reshape(-1)
            cols.append(u)
        u = np.stack(cols, axis=1)
    else:
        grids = np.indices(case.sizes).reshape(case.n_issues, -1).T
        u = np.concatenate([case.utilities(grids[s:s + 200_000]) for s in range(0, len(grids), 200_000)])
    order = np.lexsort((-u[:, 1], -u[:, 0]))
    us = u[order]
    prev = np.maximum.accumulate(us[:, 1])
    keep = np.r_[True, us[1:, 1] > prev[:-1]]
    # equal vectors are one point: drop exact repeats of a kept vector
    k = us[keep]
    distinct = np.r_[True, np.any(k[1:] != k[:-1], axis=1)]
    return int(distinct.sum())


@dataclass
class Row:
    name: str
    target: str
    seconds: float | None = None
    median: float | None = None
    points: int | None = None
    brute: float | None = None
    peak_mb: float | None = None
    note: str = ""


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    result = fn()  # warm-up
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times), result


def peak_memory(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench(row: Row, case: Case, repeat: int, brute: bool, cap: int = 10) -> None:
    run = lambda: pareto_frontier(case, cap=cap)  # noqa: E731
    best, median, f = timed(run, repeat)
    row.seconds, row.median, row.points = best, median, len(f)
    row.peak_mb = peak_memory(run)
    if brute:
        b_best, _, n = timed(lambda: brute_force(case), max(1, repeat // 5))
        row.brute = b_best
        if n != len(f):
            row.note += f" BRUTE FORCE DISAGREES ({n} points)"
    print(f"{row.name:<34} {best * 1e3:9.1f} ms  points {len(f):>6}  peak {row.peak_mb:7.1f} MB"
          + (f"  brute {row.brute * 1e3:8.1f} ms  ×{row.brute / best:6.0f}" if row.brute else "")
          + f"  [{f.method}]{row.note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", default="", help="run only rows whose name contains this text")
    args = parser.parse_args()
    r = 3 if args.quick else 15
    rows: list[tuple[Row, Callable[[], None]]] = []

    def add(name: str, target: str, make: Callable[[], Case], repeat: int, brute: bool = False) -> None:
        row = Row(name, target)
        rows.append((row, lambda: bench(row, make(), repeat, brute)))

    for variant, opp in (("random", False), ("opposed", True)):
        add(f"6x10 2p {variant} (10^6)", "≤ 5 ms, ≥ 50× brute", lambda o=opp: random_case(6, 10, opposed=o), r * 4,
            brute=True)
        add(f"12x10 2p {variant} (10^12)", "≤ 50 ms", lambda o=opp: random_case(12, 10, opposed=o), r * 2)
        add(f"30x10 2p {variant} (10^30)", "≤ 1 s incl. packages, ≤ 1 GB",
            lambda o=opp: random_case(30, 10, opposed=o), max(3, r // 3))
        add(f"8x10 3p {variant} (10^8)", "≤ 0.2 s", lambda o=opp: random_case(8, 10, 3, opposed=o), r)
        add(f"12x10 3p {variant} (10^12)", "≤ 2 s", lambda o=opp: random_case(12, 10, 3, opposed=o),
            max(3, r // 3))
        add(f"non-additive 6x10 {variant} 20 terms", "≤ 1 s",
            lambda o=opp: random_case(6, 10, opposed=o, terms=20, seed=1), r, brute=True)

    def genius() -> None:
        row = Row("GENIUS anac/y2014/10issues (10^10)", "exact, ≤ 10 s, ≤ 2 GB")
        try:
            from accord.io.genius import load_scenario
        except ImportError:
            print(f"{row.name:<34} skipped: accord.io.genius is not available")
            return
        if not GENIUS.exists():
            print(f"{row.name:<34} skipped: {GENIUS} not found")
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            case = load_scenario(str(GENIUS / "10issues-domain.xml"),
                                 [str(GENIUS / "profile-1.xml"), str(GENIUS / "profile-2.xml")])
        pareto = sorted(tuple(round(float(x), 6) for x in line.split(","))
                        for line in (GENIUS / "pareto.xml").read_text().splitlines() if "," in line)
        bench(row, case, r, brute=False)
        got = sorted(map(tuple, np.round(pareto_frontier(case).utilities, 6).tolist()))
        print(f"{'':<34} matches pareto.xml ({len(pareto)} points): {got == pareto}")

    print(f"numpy {np.__version__}, python {sys.version.split()[0]}; best of N runs after a warm-up\n")
    for row, run in rows:
        if args.only in row.name:
            run()
    if args.only in "GENIUS anac/y2014/10issues":
        genius()
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak resident memory over all rows (incl. brute force and imports): {rss:.0f} MB")


if __name__ == "__main__":
    main()
