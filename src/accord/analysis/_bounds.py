"""Incumbent packages for branch and bound in non-additive cases.

With interaction terms and caps the merge keeps one skyline per mask of still-alive terms, which can hold
millions of partial packages. Most of them can never reach the frontier: their *upper bound* (points so far,
plus the most every remaining issue and every still-satisfiable term can add, capped) is beaten by a package
already known. This module finds such known packages quickly — a vectorised coordinate ascent on weighted sums
of the parties' utilities from a few random starts — so the engine can drop every state whose upper bound an
incumbent strictly dominates. The search only ever makes the engine faster; it never changes the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.analysis._compile import UtilityGrid, grid_utilities
from accord.analysis._skyline import undominated
from accord.model import Case

IntArray = NDArray[np.int64]


def incumbents(
    case: Case, grid: UtilityGrid, allowed: Sequence[Sequence[int]], *, starts: int = 48, sweeps: int = 3,
    seed: int = 0,
) -> IntArray:
    """Grid utilities of good packages (mutually undominated), found by coordinate ascent.

    Each start has its own positive weight per party (the parties' unit vectors first, then flat-Dirichlet
    draws), scaled by each party's utility range; every sweep sets each issue, in turn, to the option that
    maximises the weighted sum given the others. Deterministic for a given ``seed``.
    """
    rng = np.random.default_rng(seed)
    p = case.n_parties
    opts = [np.asarray(a, dtype=np.int64) for a in allowed]
    free = [k for k, a in enumerate(opts) if a.size > 1]
    pk = np.stack([a[rng.integers(0, a.size, starts)] for a in opts], axis=1)
    lam = rng.dirichlet(np.ones(p), size=starts)
    lam[: min(p, starts)] = np.eye(p)[: min(p, starts)] * 0.98 + 0.02 / p
    seen = [grid_utilities(case, grid, pk)]
    span = np.maximum(1.0, seen[0].max(axis=0) - seen[0].min(axis=0)).astype(float)
    weight = lam / span[None, :]
    for _ in range(sweeps):
        changed = False
        for k in free:
            o = opts[k]
            cand = np.repeat(pk, o.size, axis=0)
            cand[:, k] = np.tile(o, starts)
            u = grid_utilities(case, grid, cand)
            seen.append(u)
            score = (u.reshape(starts, o.size, p) * weight[:, None, :]).sum(axis=2)
            best = o[np.argmax(score, axis=1)]
            changed |= bool(np.any(best != pk[:, k]))
            pk[:, k] = best
        if not changed:
            break
    allu = np.unique(np.concatenate(seen), axis=0)
    out: IntArray = allu[undominated(allu)]
    return out
