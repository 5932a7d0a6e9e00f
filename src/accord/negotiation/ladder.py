"""Offer ladders: a negotiator's own candidate offers, sorted by its own utility, built without enumerating Ω.

A time-based negotiator needs, many times per negotiation, "the package nearest above my target utility u".
Sorting the outcome space would cost O(|Ω| log |Ω|) time and memory — impossible for 10^12 packages. Instead
each negotiator builds once an :class:`OfferLadder`: a bounded list of its own *Pareto-relevant* packages,
found by a knapsack-style merge over the issues of its OWN additive points (and, optionally, a proxy for the
other side: an estimate or an opponent model), keeping after every issue only the partial packages that are
undominated in (own points, proxy points). Every query is then one binary search.

* Without a proxy, partial packages with equal own partial sums are interchangeable for the final own sum, so
  keeping one per distinct sum is exact: the ladder holds every distinct own utility of the space.
* With a proxy, the ladder is the exact 2-D Pareto frontier of (own, proxy) — for each own level, the package
  the proxy says the other side likes best (the "estimated frontier" of an enlightened negotiator).
* Either list is capped at ``limit`` states per issue: beyond it the states are thinned to one per own-utility
  bucket of width (range / limit), keeping the one with the most proxy points. The ladder then answers
  "nearest above u" within ``resolution`` (at most issues × bucket width) of the exact answer, and says so.
  Set-up time is O(issues × limit × options) and memory O(issues × limit), whatever |Ω| is.

The merge sees additive points only. For preferences with interaction terms (GENIUS hyper-rectangles),
:func:`ladder_from_candidates` re-ranks candidates — the merge's packages plus the whole space when it is
small, else a seeded random sample — by their true utilities (see :meth:`PrivateView.ladder
<accord.negotiation.view.PrivateView.ladder>`); such a ladder is exact only when the space was enumerated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.model.preferences import FloatArray, IntArray

__all__ = ["LADDER_LIMIT", "OfferLadder", "build_ladder", "ladder_from_candidates"]

#: Most partial packages kept after each issue.
LADDER_LIMIT = 4096
#: Relative slack below which two own utilities are the same level.
_REL = 1e-9


@dataclass(frozen=True, eq=False)
class OfferLadder:
    """A negotiator's own candidate offers, ascending in its own utility.

    Attributes
    ----------
    utilities : ndarray, shape (L,)
        Own additive utility of each rung, ascending (strictly).
    packages : ndarray of int, shape (L, issues)
        One package per rung.
    proxy : ndarray, shape (L,)
        Proxy points of each rung (0 without a proxy); descending when a proxy was used.
    exact : bool
        False when thinning happened (see ``resolution``).
    resolution : float
        Upper bound on how far above the exact nearest package a query may land (0 when exact).
    tol : float
        Slack of "at or above" (1e-9 of the largest utility).
    """

    utilities: FloatArray
    packages: IntArray
    proxy: FloatArray
    exact: bool
    resolution: float
    tol: float = 0.0

    def __len__(self) -> int:
        return int(self.utilities.shape[0])

    def at_least(self, targets: FloatArray) -> IntArray:
        """Rung index of the package nearest at or above each target (the top rung when none is above)."""
        idx = self.utilities.searchsorted(np.asarray(targets, dtype=float) - self.tol, side="left")
        out: IntArray = np.minimum(idx, len(self) - 1)
        return out

    @property
    def best(self) -> float:
        return float(self.utilities[-1])

    @property
    def worst(self) -> float:
        return float(self.utilities[0])


def _prune(u: FloatArray, v: FloatArray, proxy: bool, scale: float) -> IntArray:
    """Indices of the states kept: one per distinct own sum (no proxy) or the (own, proxy) skyline."""
    key = np.round(u / scale * 1e9)
    if not proxy:
        _, first = np.unique(key, return_index=True)  # ascending own sum, first state in merge order
        out: IntArray = first
        return out
    # descending own, then descending proxy; keep a state when its proxy beats every higher-own state's
    order = np.lexsort((-v, -key))
    vkey = np.round(v[order] / max(1.0, float(np.abs(v).max(initial=0.0))) * 1e9)
    prev = np.concatenate(([-np.inf], np.maximum.accumulate(vkey)[:-1]))
    k = key[order]
    keep = (vkey > prev) & ~np.concatenate(([False], k[1:] == k[:-1]))  # equal own sums: the first of a run
    out = order[keep]
    return out


def _thin(u: FloatArray, v: FloatArray, limit: int) -> tuple[IntArray, float]:
    """One state per own-utility bucket (the one with the most proxy points, then the highest own sum)."""
    lo, hi = float(u.min()), float(u.max())
    width = (hi - lo) / limit if hi > lo else 0.0
    bucket = np.minimum(((u - lo) / width).astype(np.int64), limit - 1) if width > 0 else np.zeros(len(u), np.int64)
    order = np.lexsort((-u, -v, bucket))
    b = bucket[order]
    sel = order[np.concatenate(([True], b[1:] != b[:-1]))]
    # the highest own sum must survive: it is the opening offer
    top = int(np.argmax(u))
    if not np.any(sel == top):
        sel = np.append(sel, top)
    return sel.astype(np.int64), width


def build_ladder(own: Sequence[FloatArray], proxy: Sequence[FloatArray] | None = None, *,
                 floor: float = -np.inf, limit: int = LADDER_LIMIT) -> OfferLadder:
    """Merge issue by issue: the negotiator's candidate offers at or above ``floor`` own points.

    Parameters
    ----------
    own : sequence of ndarray
        Own additive points per option, one array per issue.
    proxy : sequence of ndarray, optional
        Points per option of what the negotiator believes the other side wants (same shapes).
    floor : float
        Own utility below which no offer is kept (its BATNA); the best package is always kept.
    limit : int
        Most states kept after each issue.

    Returns
    -------
    OfferLadder

    Notes
    -----
    A partial package whose own points plus the best the remaining issues can add stays below ``floor`` is
    dropped (branch and bound). Complexity O(m · limit · d · log(limit · d)) for m issues of at most d options.

    Examples
    --------
    >>> lad = build_ladder([np.array([0.0, 2.0]), np.array([0.0, 1.0])])
    >>> lad.utilities.tolist(), lad.packages.tolist()
    ([0.0, 1.0, 2.0, 3.0], [[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> lad.packages[lad.at_least(np.array([1.5]))].tolist()
    [[1, 0]]
    """
    m = len(own)
    own_a = [np.asarray(a, dtype=float) for a in own]
    prox_a = [np.asarray(a, dtype=float) for a in proxy] if proxy is not None else [np.zeros(len(a)) for a in own_a]
    rest_max = np.concatenate((np.cumsum([float(a.max()) for a in own_a][::-1])[::-1], [0.0]))
    scale = max(1.0, float(sum(float(np.abs(a).max()) for a in own_a)))
    tol = _REL * scale
    u = np.zeros(1)
    v = np.zeros(1)
    parents: list[IntArray] = []
    choices: list[IntArray] = []
    resolution = 0.0
    for k in range(m):
        a, b = own_a[k], prox_a[k]
        n = len(a)
        s = len(u)
        u = (u[:, None] + a[None, :]).ravel()
        v = (v[:, None] + b[None, :]).ravel()
        parent = np.repeat(np.arange(s, dtype=np.int64), n)
        choice = np.tile(np.arange(n, dtype=np.int64), s)
        if np.isfinite(floor):
            ok = u + rest_max[k + 1] >= floor - tol
            if not ok.any():
                ok = u + rest_max[k + 1] >= u.max() + rest_max[k + 1] - tol
            u, v, parent, choice = u[ok], v[ok], parent[ok], choice[ok]
        idx = _prune(u, v, proxy is not None, scale)
        u, v, parent, choice = u[idx], v[idx], parent[idx], choice[idx]
        if len(u) > limit:
            idx, width = _thin(u, v, limit)
            resolution += width
            u, v, parent, choice = u[idx], v[idx], parent[idx], choice[idx]
            idx = _prune(u, v, proxy is not None, scale)
            u, v, parent, choice = u[idx], v[idx], parent[idx], choice[idx]
        parents.append(parent)
        choices.append(choice)
    order = np.argsort(u, kind="stable")
    u, v = u[order], v[order]
    if np.isfinite(floor):
        keep = u >= floor - tol
        keep[-1] = True
        u, v, order = u[keep], v[keep], order[keep]
    # walk the back-pointers from the last issue to the first to spell out each rung's package
    pk = np.zeros((len(u), m), dtype=np.int64)
    cur = order
    for k in range(m - 1, -1, -1):
        pk[:, k] = choices[k][cur]
        cur = parents[k][cur]
    for arr in (u, v, pk):
        arr.setflags(write=False)
    return OfferLadder(u, pk, v, resolution == 0.0, float(resolution),
                       _REL * max(1.0, float(np.abs(u).max(initial=0.0))))


def ladder_from_candidates(packages: IntArray, utilities: FloatArray, proxy: FloatArray | None, *, floor: float,
                           exact: bool) -> OfferLadder:
    """A ladder from explicit candidates with their (true) own utilities: one package per distinct utility, or
    the (own, proxy) skyline; rungs below ``floor`` dropped (the best is always kept).

    ``resolution`` is 0 when ``exact`` (every package was a candidate), otherwise inf: nothing bounds how far
    a sampled ladder is from the nearest package above a target.
    """
    u = np.asarray(utilities, dtype=float)
    v = np.zeros(len(u)) if proxy is None else np.asarray(proxy, dtype=float)
    scale = max(1.0, float(np.abs(u).max(initial=0.0)))
    idx = _prune(u, v, proxy is not None, scale)
    idx = idx[np.argsort(u[idx], kind="stable")]
    tol = _REL * scale
    keep = u[idx] >= floor - tol
    keep[-1] = True
    idx = idx[keep]
    out_u, out_v, out_p = u[idx], v[idx], np.asarray(packages, dtype=np.int64)[idx]
    for arr in (out_u, out_v, out_p):
        arr.setflags(write=False)
    return OfferLadder(out_u, out_p, out_v, exact, 0.0 if exact else float("inf"), tol)
