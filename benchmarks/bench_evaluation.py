"""Speed of the pyramid evaluation: the Deal or No Deal validation file, and a class of 10,000 agreements.

Run it with ``uv run python benchmarks/bench_evaluation.py`` (``--data DIR`` for another copy of the shared
data). Targets (issue 4): the whole ``val.txt`` in ≤ 1 s; 10,000 agreements of a 10^8-package case in ≤ 5 s
(frontier included). Each timing is printed with a baseline measured in the same run:

- corpus: the same lines evaluated without the per-game cache (a fresh frontier for every agreement);
- batch: 200 agreements evaluated one call at a time with :func:`accord.evaluate` (reference reused),
  extrapolated to 10,000.

Imports are done before timing (they are paid once per process; the first line reports them).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def _clock() -> float:
    return time.perf_counter()


def bench_corpus(path: Path) -> None:
    from accord.analysis.pyramid import evaluate
    from accord.corpora import evaluate_corpus, get_adapter

    adapter = get_adapter("dealornodeal")
    evaluate_corpus(adapter, str(path))  # warm-up (first numpy calls, caches of the interpreter)
    times = []
    for _ in range(3):
        t0 = _clock()
        result = evaluate_corpus(adapter, str(path))
        times.append(_clock() - t0)
    best = min(times)
    agg = result.aggregates
    t0 = _clock()
    n = 0
    for rec in adapter.records(str(path)):
        if rec.agreement is not None:
            evaluate(rec.case, rec.agreement)
            n += 1
    baseline = _clock() - t0
    print(f"corpus  val.txt: {agg['lines']} lines, {agg['agreements']} agreements, {agg['distinct_games']} distinct "
          f"games: best of 3 {best:.3f} s (runs {', '.join(f'{t:.3f}' for t in times)}); target ≤ 1 s "
          f"{'OK' if best <= 1 else 'MISSED'}")
    print(f"        baseline without the per-game cache: {baseline:.3f} s ({n} evaluations) → "
          f"{baseline / best:.1f}× faster")


def _class_case(kind: str, seed: int = 0) -> object:
    """A two-party case with 8 issues × 10 options (10^8 packages): classroom integer points with mixed issue
    kinds, real-valued opposed points, or near-zero-sum points (a frontier of thousands of points)."""
    from accord.model import Case

    rng = np.random.default_rng(seed)
    issues = {f"issue{k}": [f"o{o}" for o in range(10)] for k in range(8)}
    a: dict[str, list[float]] = {}
    b: dict[str, list[float]] = {}
    for k, name in enumerate(issues):
        base = np.linspace(0, 1, 10)
        if kind == "integer":  # classroom point tables: distributive, integrative and compatible issues
            wa, wb = (rng.integers(10, 100), rng.integers(10, 100))
            if k % 4 == 3:  # compatible: both prefer the top options
                a[name] = np.round(wa * base).tolist()
                b[name] = np.round(wb * base).tolist()
            else:
                a[name] = np.round(wa * base).tolist()
                b[name] = np.round(wb * base[::-1]).tolist()
        elif kind == "real":  # real-valued, opposed and noisy
            a[name] = (rng.random() * 100 * base + rng.random(10)).tolist()
            b[name] = (rng.random() * 100 * base[::-1] + rng.random(10)).tolist()
        else:  # near-zero-sum: what one gains the other nearly loses, so the frontier is very large
            x = rng.random(10) * rng.uniform(20, 100)
            a[name] = x.tolist()
            b[name] = (x.max() - x + rng.random(10) * 0.2).tolist()
    return Case.from_tables(f"10^8 packages ({kind} points)", issues, {"A": a, "B": b},
                            batnas={"A": 150, "B": 150}, shared_scales=True)


def bench_batch() -> None:
    from accord.analysis.batch import evaluate_batch
    from accord.analysis.frontier import pareto_frontier
    from accord.analysis.pyramid import evaluate, reference_for
    from accord.model import Case

    for kind in ("integer", "real", "near-zero-sum"):
        case = _class_case(kind)
        assert isinstance(case, Case)
        rng = np.random.default_rng(1)
        packages = rng.integers(0, 10, size=(10_000, 8))
        evaluate_batch(case, packages[:10])  # warm-up
        t0 = _clock()
        front = pareto_frontier(case)
        t1 = _clock()
        batch = evaluate_batch(case, packages, frontier=front)
        t2 = _clock()
        agg = batch.aggregates()
        ref = reference_for(case, frontier=front)
        t3 = _clock()
        for r in range(200):
            evaluate(case, packages[r], reference=ref)
        one_by_one = (_clock() - t3) * 10_000 / 200
        total = t2 - t0
        print(f"batch   {case.name}: |Ω| = {case.space_size:,}, frontier {len(front):,} points in {t1 - t0:.3f} s; "
              f"10,000 agreements in {t2 - t1:.3f} s; total {total:.3f} s; target ≤ 5 s "
              f"{'OK' if total <= 5 else 'MISSED'}")
        print(f"        levels {agg['level_counts']}; one evaluate() call per agreement would take "
              f"≈ {one_by_one:.1f} s → batch {one_by_one / (t2 - t1):.0f}× faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    args = parser.parse_args()
    t0 = _clock()
    import accord.analysis.batch
    import accord.analysis.issues
    import accord.analysis.pyramid
    import accord.corpora.dealornodeal  # noqa: F401

    print(f"imports {_clock() - t0:.3f} s (once per process, not in the timings below)")
    val = args.data / "dealornodeal" / "val.txt"
    if val.exists():
        bench_corpus(val)
    else:
        print(f"corpus  skipped: {val} not found")
    bench_batch()


if __name__ == "__main__":
    main()
