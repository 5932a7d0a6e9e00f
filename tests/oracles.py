"""Brute-force oracles and a hand-checked case shared by the test suite (a plain module, not a conftest).

Everything here is independent of the engine: packages are enumerated with ``itertools.product``, evaluated
with ``Case.utilities`` (floats) and compared pairwise, so the tests can check the engine's answers against
them on small cases. ``pyproject.toml`` puts ``tests/`` on ``sys.path`` (``pythonpath``), so any test file can
``from oracles import ...``.

- ``all_packages``: every package (optionally only the ``allowed`` options per issue), one row per package.
- ``undominated``: a pairwise, exact (no tolerance) Pareto mask over utility rows.
- ``scale`` / ``ranks`` / ``brute_frontier`` / ``match_points``: the tolerant frontier oracle, which merges
  values per party that are equal within 1e-9 of the party's scale (chain clustering after sorting) before
  filtering dominated vectors.
- ``purchase_case``: the three-issue buyer/seller "Purchase" case worked out by hand in several tests.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from accord.model import Case


@dataclass(frozen=True)
class Oracle:
    """Brute-force frontier: points (float utilities) with counts and the set of packages reaching each."""

    points: dict[tuple[float, ...], tuple[int, frozenset[tuple[int, ...]]]]
    packages: np.ndarray
    utilities: np.ndarray


def all_packages(case: Case, allowed: list[list[int]] | None = None) -> np.ndarray:
    """Every package of ``case`` (or of the ``allowed`` option indices per issue), shape (n, n_issues)."""
    ranges = allowed or [list(range(s)) for s in case.sizes]
    return np.array(list(itertools.product(*ranges)), dtype=np.int64).reshape(-1, case.n_issues)


def undominated(u: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of ``u`` that no other row weakly dominates (>= everywhere, > somewhere).

    Exact comparison, no tolerance; duplicate rows do not dominate each other, so all copies are kept."""
    ge = np.all(u[None, :, :] >= u[:, None, :], axis=2)
    gt = np.any(u[None, :, :] > u[:, None, :], axis=2)
    return ~np.any(ge & gt, axis=1)


def scale(case: Case) -> np.ndarray:
    """Per party, a bound on |u| (the oracle's tolerance is 1e-9 of it)."""
    out = []
    for p in case.preferences:
        m = sum(float(np.abs(p.table(k)).max()) for k in range(case.n_issues))
        m += sum(abs(t.points) for t in p.interactions)
        out.append(max(m, abs(p.cap) if p.cap is not None else 0.0, 1e-300))
    return np.array(out)


def ranks(case: Case, u: np.ndarray) -> np.ndarray:
    """Dense ranks per party; values within 1e-9 of the scale (chained) share a rank."""
    out = np.zeros(u.shape, dtype=np.int64)
    tol = 1e-9 * scale(case)
    for j in range(u.shape[1]):
        order = np.argsort(u[:, j], kind="stable")
        s = u[order, j]
        out[order, j] = np.cumsum(np.r_[True, np.diff(s) > tol[j]]) - 1
    return out


def brute_frontier(case: Case, *, allowed: list[list[int]] | None = None,
                   at_least: np.ndarray | None = None) -> Oracle:
    """Distinct undominated utility vectors among the (allowed) packages that reach ``at_least``."""
    pk = all_packages(case, allowed)
    u = case.utilities(pk)
    r = ranks(case, u)
    if at_least is not None:
        tol = 1e-9 * scale(case)
        keep = np.all(u >= at_least[None, :] - tol[None, :], axis=1)
        pk, u, r = pk[keep], u[keep], r[keep]
    if len(pk) == 0:
        return Oracle({}, pk, u)
    uniq, inverse, counts = np.unique(r, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    points = {}
    for g in np.flatnonzero(undominated(uniq)):
        rows = np.flatnonzero(inverse == g)
        key = tuple(float(x) for x in u[rows[0]])
        points[key] = (int(counts[g]), frozenset(tuple(int(o) for o in pk[row]) for row in rows))
    return Oracle(points, pk, u)


def match_points(case: Case, oracle: Oracle, utilities: np.ndarray) -> list[tuple[float, ...]]:
    """For each engine point, the oracle point it equals (within the oracle's tolerance); asserts one exists."""
    tol = 2e-9 * scale(case) + 1e-12
    keys = list(oracle.points)
    arr = np.array(keys) if keys else np.zeros((0, case.n_parties))
    out = []
    for row in utilities:
        hit = np.flatnonzero(np.all(np.abs(arr - row[None, :]) <= tol[None, :] * case.n_issues, axis=1))
        assert hit.size == 1, f"engine point {row.tolist()} matches {hit.size} oracle points"
        out.append(keys[int(hit[0])])
    return out


def purchase_case() -> Case:
    """The hand-checked three-issue buyer/seller case (shared scales, both BATNAs 20)."""
    return Case.from_tables(
        "Purchase",
        {"price": ["low", "mid", "high"], "delivery": ["slow", "fast"], "warranty": ["short", "long"]},
        {"buyer": {"price": [40, 20, 0], "delivery": [0, 30], "warranty": [0, 10]},
         "seller": {"price": [0, 20, 40], "delivery": [10, 0], "warranty": [0, 5]}},
        batnas={"buyer": 20, "seller": 20}, shared_scales=True)
