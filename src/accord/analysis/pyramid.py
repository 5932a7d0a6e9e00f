"""The pyramid: how good is an agreement? (docs/concepts.md#the-pyramid; Thompson's pyramid model of integrative
agreements).

An agreement ω climbs Thompson's pyramid one level at a time, each level keeping the properties of the ones
below it:

- **level 0 — no mutual settlement**: some party gets less than its BATNA (under a quorum rule: the package
  does not pass, see docs/concepts.md, "Agreement rules");
- **level 1 — mutual settlement**: every party gets at least its BATNA (under a quorum rule: it passes);
- **level 2 — better than compromise**: a mutual settlement that is not Pareto-optimal but
  dominates the *compromise package* (what splitting the difference issue by issue reaches);
- **level 3 — Pareto-optimal**: a mutual settlement that no package dominates.

Beside the level, an evaluation lists the *undominated improvements* (packages that dominate ω and are
dominated by no other such package), the *value left on the table* (each party's gain in the one improvement
that maximises the joint gain), the *distance to the frontier*, and — when the bargaining zone is small enough
to count — the fraction of the zone the agreement dominates.

One engine, :func:`assess`, measures any number of agreements of one case against a :class:`PyramidReference`
(the frontier and everything else that depends only on the case) with numpy comparisons; :func:`evaluate`
(one agreement, with the full report) and :mod:`accord.analysis.batch` (a whole class, a corpus) both use it,
so a single agreement and a batch row can never disagree.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*, the pyramid model of integrative agreements.
Raiffa, H. (1982). *The Art and Science of Negotiation*, on Pareto-efficiency and value left on the table.
Nash, J. (1950). The bargaining problem. *Econometrica* 18(2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis._enumerate import ENUMERATION_LIMIT
from accord.analysis._merge import DEFAULT_LIMIT
from accord.analysis.agreement import ZONE_LIMIT as ZONE_LIMIT
from accord.analysis.agreement import passes_flags, rule_note
from accord.analysis.agreement import zone_distribution as zone_distribution
from accord.analysis.bargaining import (
    Scale,
    compromise_package,
    first_package,
    joint_values,
    normalised_gains,
    scale_of,
    tolerance,
)
from accord.analysis.frontier import DEFAULT_CAP, Frontier, grid_note, pareto_frontier
from accord.errors import RequestError, TooLargeError
from accord.model import UNANIMITY, Case, Package, Preferences
from accord.model.preferences import FloatArray, IntArray

if TYPE_CHECKING:
    from accord.analysis.optimize import Improvement as OptimizeImprovement

BoolArray = NDArray[np.bool_]


#: Partial packages the frontier engine may hold when :func:`evaluate` tries the frontier of an additive case
#: with three or more parties and more than ``ENUMERATION_LIMIT`` packages. Beyond it the frontier would take
#: many seconds (a 3-party 30 × 10 opposed case has half a million points), and the single-package search of
#: :mod:`accord.analysis.optimize` answers the level and the value left on the table exactly instead.
EVALUATE_LIMIT = 25_000

#: Names of the pyramid's levels, in the seed's words.
LEVEL_NAMES = {
    0: "no mutual settlement",
    1: "mutual settlement",
    2: "better than compromise",
    3: "Pareto-optimal",
}

#: What each level means, in plain words (for reports).
LEVEL_MEANINGS = {
    0: "some party gets less than its BATNA, so it should walk away",
    1: "every party gets at least its BATNA, but the agreement does not beat splitting the difference",
    2: "every party gets at least its BATNA and the agreement beats splitting the difference issue by issue, "
       "but another package is better for someone and no worse for anyone",
    3: "every party gets at least its BATNA and no package is better for someone without being worse for another",
}

DISTANCE_DEFINITION = (
    "Euclidean distance, in normalised gains g_i = (u_i − b_i)/(u_i^max − b_i), from the agreement to the "
    "nearest frontier point that weakly dominates it (0 when it is Pareto-optimal)"
)

#: Row budget of one chunk of the (rows × frontier points) comparisons, to bound memory.
_CHUNK_CELLS = 4_000_000


# ---------------------------------------------------------------------------------------------------------
# the reference: everything that depends only on the case
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PyramidReference:
    """What agreements of one case are measured against, computed once per case.

    Attributes
    ----------
    case : Case
    frontier : Frontier
        The full Pareto frontier (``complete``) or, for a single agreement of a case whose full frontier is
        too large, the frontier restricted to the packages that weakly dominate that agreement — which holds
        every point the pyramid needs for it.
    complete : bool
        Whether ``frontier`` is the case's whole frontier.
    ideal : ndarray
        u_i^max, each party's best utility over all packages.
    scale : str
        ``"points"`` (shared scales) or ``"normalised gains"``: the scale of joint values and value left.
    frontier_joint : ndarray
        Joint value of each frontier point.
    frontier_gains : ndarray
        Normalised gains of each frontier point.
    compromise : Package
        The compromise package (docs/concepts.md#the-pyramid).
    compromise_utilities : ndarray
    max_joint_value : float
        Largest joint value over all packages.
    max_log_nash : float or None
        log of the largest Nash product Π (u_i − b_i) over the bargaining zone; −inf when every zone point
        leaves some party exactly at its BATNA; None when the zone is empty or the frontier is incomplete.
    tol : float
        Absolute slack of every ≥ / > comparison (1e-9 relative to the magnitude of the utilities).
    weights : ndarray
        w_i such that joint value = Σ_i w_i u_i + constant: 1 with shared scales, else 1 / (u_i^max − b_i)
        (0 for a party whose best package is no better than its BATNA).
    joint_tol : float
        Joint values within this of each other are ties.
    """

    case: Case
    frontier: Frontier
    complete: bool
    ideal: FloatArray
    scale: Scale
    frontier_joint: FloatArray
    frontier_gains: FloatArray
    compromise: Package
    compromise_utilities: FloatArray
    max_joint_value: float
    max_log_nash: float | None
    tol: float
    weights: FloatArray
    joint_tol: float
    _zone: list[tuple[FloatArray, IntArray] | None] = field(default_factory=list, repr=False, compare=False)

    def zone_distribution(self) -> tuple[FloatArray, IntArray] | None:
        """Distinct utility vectors of the bargaining zone with their package counts (cached), or None when
        the zone has more than :data:`ZONE_LIMIT` packages or cannot be counted."""
        if not self._zone:
            self._zone.append(zone_distribution(self.case, tol=self.tol))
        return self._zone[0]


def _additive_ideal(case: Case) -> FloatArray:
    out: FloatArray = np.array([sum(float(s[i].max()) for s in case.scores) for i in range(case.n_parties)])
    return out


def _additive_max_joint(case: Case, ideal: FloatArray) -> float:
    """max Σ_i w_i (u_i − c_i) for additive cases, issue by issue (joint value is additive too)."""
    if case.shared_scales:
        return float(sum(float(s.sum(axis=0).max()) for s in case.scores))
    b = case.batnas
    span = ideal - b
    w = np.where(span > 0, 1.0 / np.where(span > 0, span, 1.0), 0.0)
    best = sum(float((w[:, None] * s).sum(axis=0).max()) for s in case.scores)
    return float(best - float((w * b).sum()))


def reference_for(
    case: Case,
    *,
    frontier: Frontier | None = None,
    cap: int = DEFAULT_CAP,
    limit: int = DEFAULT_LIMIT,
) -> PyramidReference:
    """Build the :class:`PyramidReference` of ``case`` (its full frontier and the derived numbers).

    Parameters
    ----------
    case : Case
    frontier : Frontier, optional
        The case's full, unrestricted frontier if already computed.
    cap : int
        Packages kept per frontier point (when the frontier is computed here).
    limit : int
        Most partial packages the frontier engine may hold (see
        :func:`~accord.analysis.frontier.pareto_frontier`).

    Returns
    -------
    PyramidReference

    Raises
    ------
    TooLargeError
        When the full frontier cannot be computed.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}},
    ...                         shared_scales=True)
    >>> reference_for(case).max_joint_value
    1.0
    """
    front = frontier if frontier is not None else pareto_frontier(case, cap=cap, limit=limit)
    return _reference(case, front, complete=True)


def _reference(case: Case, front: Frontier, *, complete: bool) -> PyramidReference:
    b = np.asarray(case.batnas, dtype=float)
    if complete:
        ideal: FloatArray = front.utilities.max(axis=0) if len(front) else _additive_ideal(case)
    elif case.additive:
        ideal = _additive_ideal(case)
    else:
        raise TooLargeError("the frontier of this case is too large to find its largest joint value (its "
                            "preferences are not additive); pass the case's full frontier")
    u = front.utilities
    comp = compromise_package(case)
    comp_u = case.utilities([comp])[0]
    tol = tolerance(np.concatenate([u.ravel(), b, ideal, comp_u]))
    fj = joint_values(case, u, ideal) if len(front) else np.zeros(0)
    fg = normalised_gains(u, b, ideal) if len(front) else np.zeros((0, case.n_parties))
    max_log_nash: float | None = None
    if complete:
        max_joint = float(fj.max()) if len(fj) else _additive_max_joint(case, ideal)
        zone = passes_flags(case, u >= b[None, :] - tol)
        if zone.any():
            with np.errstate(divide="ignore"):
                max_log_nash = float(np.log(np.maximum(u[zone] - b[None, :], 0.0)).sum(axis=1).max())
    else:
        max_joint = _additive_max_joint(case, ideal)
    if case.shared_scales:
        weights = np.ones(case.n_parties)
    else:
        span = ideal - b
        weights = np.where(span > 0, 1.0 / np.where(span > 0, span, 1.0), 0.0)
    joint_tol = 1e-9 * max(1.0, float(np.abs(fj).max(initial=0.0)), abs(max_joint))
    return PyramidReference(case, front, complete, ideal, scale_of(case), fj, fg, comp, comp_u, max_joint,
                            max_log_nash, tol, weights, joint_tol)


# ---------------------------------------------------------------------------------------------------------
# the engine: many agreements at once
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Assessment:
    """The pyramid measures of R agreements of one case (row r = agreement r).

    Attributes
    ----------
    utilities : ndarray, shape (R, parties)
    individually_rational : ndarray of bool, shape (R,)
        u_i ≥ b_i for every party.
    pareto_optimal : ndarray of bool
        No package dominates the agreement (whatever the BATNAs).
    dominates_compromise : ndarray of bool
        The agreement dominates the compromise package.
    levels : ndarray of int
        Pyramid level 0–3.
    best : ndarray of int
        Row of the reference frontier holding the improvement with the largest joint gain; −1 when
        Pareto-optimal. Ties (joint gains within ``joint_tol``) go to the most balanced improvement — its
        weighted gains w_i Δu_i sorted from the smallest up, compared in turn (leximin) — then to the point whose
        first package in issue and option order comes first: never to the order of the parties (see
        :data:`~accord.analysis.bargaining.TIE_RULE`).
    value_left : ndarray, shape (R, parties)
        Each party's gain in that improvement, on the reference's scale (points or normalised gains).
    value_left_points : ndarray, shape (R, parties)
        The same gains in each party's own points.
    joint_values : ndarray
        Joint value of each agreement (Σ u with shared scales, else Σ g).
    joint_gain : ndarray
        Joint gain of the best improvement (0 when Pareto-optimal).
    distance : ndarray
        See :data:`DISTANCE_DEFINITION`.
    at_max_joint : ndarray of bool
        The agreement reaches the largest joint value of the case.
    nash_optimal : ndarray of bool or None
        The agreement passes and its Nash product Π max(u_i − b_i, 0) is the largest over the zone (None when
        the reference frontier is incomplete).
    passes : ndarray of bool
        The agreement passes the case's agreement rule (:func:`accord.analysis.agreement.passes`); the same as
        ``individually_rational`` under unanimity. Levels 1–3 need it.
    """

    utilities: FloatArray
    individually_rational: BoolArray
    pareto_optimal: BoolArray
    dominates_compromise: BoolArray
    levels: IntArray
    best: IntArray
    value_left: FloatArray
    value_left_points: FloatArray
    joint_values: FloatArray
    joint_gain: FloatArray
    distance: FloatArray
    at_max_joint: BoolArray
    nash_optimal: BoolArray | None
    passes: BoolArray | None = None


def assess(reference: PyramidReference, utilities: FloatArray) -> Assessment:
    """Measure many agreements at once against ``reference`` (the engine behind :func:`evaluate`).

    Parameters
    ----------
    reference : PyramidReference
    utilities : ndarray, shape (R, parties)
        Utilities of the agreements (``case.utilities(packages)``).

    Returns
    -------
    Assessment

    Notes
    -----
    Every package dominated by some package is dominated by a frontier package, so dominance is tested
    against the F frontier points only: an (R × F) comparison done in chunks, one party at a time. With the
    tolerance t, f dominates a when f_i ≥ a_i − t for all i and f_i > a_i + t for some i. The improvement
    with the largest joint gain is always a frontier point too: the joint value Σ_i w_i u_i has non-negative
    weights, so whatever package maximises it over the improvements is matched by a frontier package that
    dominates it. Complexity O(R · F · P) time, O(chunk · F) memory.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"]}, {"A": {"a": [0, 1, 1]}, "B": {"a": [1, 0, 1]}},
    ...                         shared_scales=True)
    >>> ref = reference_for(case)
    >>> assess(ref, case.utilities([(0,), (2,)])).levels.tolist()
    [1, 3]
    """
    case = reference.case
    a = np.atleast_2d(np.asarray(utilities, dtype=float))
    r, p = a.shape
    b = np.asarray(case.batnas, dtype=float)
    t = reference.tol
    fu = reference.frontier.utilities
    nf = fu.shape[0]
    accepting = a >= b[None, :] - t
    rational: BoolArray = np.all(accepting, axis=1)
    passing = passes_flags(case, accepting)
    c = reference.compromise_utilities
    dom_comp = np.all(a >= c[None, :] - t, axis=1) & np.any(a > c[None, :] + t, axis=1)
    ja = joint_values(case, a, reference.ideal)
    ga = normalised_gains(a, b, reference.ideal)

    fj = reference.frontier_joint
    fg = reference.frontier_gains
    # the staircase search pays off only beyond small tables; both give identical answers
    w = reference.weights
    tj = reference.joint_tol
    if p == 2 and r * nf > 65_536 and _two_party_ready(fu, w):
        pareto, best, open_ties = _dominance_two(fu, fj, a, t, w, tj)
    else:
        pareto, best, open_ties = _dominance_general(fu, fj, a, t, w, tj)
    for row, cands in open_ties.items():  # rare: exact ties the smallest gain cannot break
        best[row] = _untie(reference, a[row], cands)
    distance = _distance(fu, fg, a, ga, t, pareto)

    has = best >= 0
    safe = np.where(has, best, 0)
    if nf:
        left_points = np.where(has[:, None], fu[safe] - a, 0.0)
        left_gain = np.where(has, fj[safe] - ja, 0.0)
        left = left_points if case.shared_scales else np.where(has[:, None], fg[safe] - ga, 0.0)
        # a party the improvement leaves where it was gains 0, not the rounding of two float sums (±1e-16)
        same = np.abs(left_points) <= t
        left_points = np.where(same, 0.0, left_points)
        left = np.where(same, 0.0, left)
    else:  # pragma: no cover - a case always has a frontier point
        left_points = np.zeros_like(a)
        left = np.zeros_like(a)
        left_gain = np.zeros(r)
    levels = np.where(~passing, 0, np.where(pareto, 3, np.where(dom_comp, 2, 1))).astype(np.int64)
    at_max = ja >= reference.max_joint_value - reference.joint_tol
    nash: BoolArray | None = None
    if reference.complete:
        if reference.max_log_nash is None:
            nash = np.zeros(r, dtype=bool)
        else:
            with np.errstate(divide="ignore"):
                log_nash = np.log(np.maximum(a - b[None, :], 0.0)).sum(axis=1)
            m = reference.max_log_nash
            # every passing agreement is at the maximum when that maximum is a product of 0
            nash = passing & (log_nash >= m - 1e-9 * max(1.0, abs(m))) if np.isfinite(m) else passing.copy()
    return Assessment(a, rational, pareto, dom_comp, levels, best, left, left_points, ja, left_gain, distance,
                      at_max, nash, passing)


def _untie(reference: PyramidReference, a: FloatArray, cands: IntArray) -> int:
    """The frontier row to report among ``cands``, improvements of ``a`` with tied joint gains.

    The most balanced first: the weighted gains w_i (f_i − a_i) sorted from the smallest up are compared in
    turn (leximin; values within ``joint_tol`` count as equal); then the point whose first package in issue and
    option order comes first (:func:`~accord.analysis.bargaining.first_package`). Neither looks at the order
    of the parties, unlike the frontier's row order (sorted by the first party's points).
    """
    fu = reference.frontier.utilities
    tj = reference.joint_tol
    keep = np.asarray(cands, dtype=np.int64)
    gains = np.sort(reference.weights[None, :] * (fu[keep] - a[None, :]), axis=1)
    for k in range(gains.shape[1]):
        if len(keep) <= 1:
            break
        ok = gains[:, k] >= gains[:, k].max() - tj
        keep, gains = keep[ok], gains[ok]
    if len(keep) == 1:
        return int(keep[0])
    return min((int(j) for j in keep), key=lambda j: first_package(reference.case, reference.frontier, j))


def _dominance_general(fu: FloatArray, fj: FloatArray, a: FloatArray, t: float, w: FloatArray,
                       tj: float) -> tuple[BoolArray, IntArray, dict[int, IntArray]]:
    """Pareto flag and best improvement of every row by (rows × frontier) comparisons in chunks.

    The best improvement maximises the joint value; among joint values within ``tj`` of the best, the one
    whose smallest weighted gain min_i w_i (f_i − a_i) is largest (the most even split of the value left).
    Rows where that smallest gain ties too (within ``tj``) are returned with their candidates, for
    :func:`_untie` (leximin, then option order; never frontier order, which follows the parties' order).
    """
    r, p = a.shape
    nf = fu.shape[0]
    pareto = np.ones(r, dtype=bool)
    best = np.full(r, -1, dtype=np.int64)
    open_ties: dict[int, IntArray] = {}
    step = max(1, _CHUNK_CELLS // max(1, nf))
    for lo in range(0, r if nf else 0, step):
        hi = min(r, lo + step)
        ac = a[lo:hi]
        ge = np.ones((hi - lo, nf), dtype=bool)
        gt = np.zeros((hi - lo, nf), dtype=bool)
        h = np.full((hi - lo, nf), np.inf)
        for i in range(p):
            col = fu[None, :, i]
            ge &= col >= ac[:, i, None] - t
            gt |= col > ac[:, i, None] + t
            np.minimum(h, w[i] * (col - ac[:, i, None]), out=h)
        dom = ge & gt
        pareto[lo:hi] = ~dom.any(axis=1)
        top = np.where(dom, fj[None, :], -np.inf).max(axis=1)
        tie = dom & (fj[None, :] >= top[:, None] - tj)
        ht = np.where(tie, h, -np.inf)
        idx = np.argmax(ht, axis=1)
        best[lo:hi] = np.where(pareto[lo:hi], -1, idx)
        again = tie & (ht >= ht[np.arange(hi - lo), idx][:, None] - tj)
        for row in np.flatnonzero((again.sum(axis=1) > 1) & ~pareto[lo:hi]):
            open_ties[lo + int(row)] = np.flatnonzero(again[row])
    return pareto, best, open_ties


def _two_party_ready(fu: FloatArray, w: FloatArray) -> bool:
    """Whether a two-party frontier is a staircase (u_0 strictly falling, u_1 strictly rising) and both
    parties' gains count (w > 0), which the interval searches of :func:`_dominance_two` rely on."""
    return bool(fu.shape[0] >= 1 and np.all(w > 0) and np.all(np.diff(fu[:, 0]) < 0)
                and np.all(np.diff(fu[:, 1]) > 0))


def _dominance_two(fu: FloatArray, fj: FloatArray, a: FloatArray, t: float, w: FloatArray,
                   tj: float) -> tuple[BoolArray, IntArray, dict[int, IntArray]]:
    """The same answers as :func:`_dominance_general` for two parties, in O(R log² F + F log F).

    On a two-party frontier sorted by u_0 descending, u_1 ascends, so the points that weakly dominate a row
    form one index interval [lo, hi), the points equal to it (within t) a sub-interval, and the strict
    improvements at most two intervals; the best joint value over an interval is a sparse-table query.
    Along the frontier the weighted gain of party 0 falls and that of party 1 rises, so the smaller of the
    two rises up to a crossing index and falls after it: among the joint-value ties the most even split is
    the last tie before the crossing or the first tie after it (binary searches with range-max queries).
    With two parties and equal joint gains, equal smallest gains mean equal sorted gains (leximin); two such
    candidates (mirror images) are returned for :func:`_untie` to settle by option order.
    """
    neg0 = -fu[:, 0]
    f1 = fu[:, 1]
    hi = np.searchsorted(neg0, -(a[:, 0] - t), side="right")
    lo = np.searchsorted(f1, a[:, 1] - t, side="left")
    hi = np.maximum(hi, lo)
    s0 = np.searchsorted(neg0, -(a[:, 0] + t), side="left")
    s1 = np.searchsorted(f1, a[:, 1] + t, side="right")
    e_lo = np.maximum(lo, s0)
    e_hi = np.minimum(hi, s1)
    has_same = e_lo < e_hi
    # strict improvements: [lo, e_lo) and [e_hi, hi) when some point equals the row, else [lo, hi)
    intervals = [(lo, np.where(has_same, e_lo, hi)), (np.where(has_same, e_hi, hi), hi)]
    pareto = (intervals[0][1] <= intervals[0][0]) & (intervals[1][1] <= intervals[1][0])
    table = _sparse_argmax(fj)
    top = np.full(a.shape[0], -np.inf)
    for l_, r_ in intervals:
        b = _range_argmax(table, fj, l_, r_)
        top = np.maximum(top, np.where(b >= 0, fj[np.maximum(b, 0)], -np.inf))
    thr = top - tj
    # crossing: first index where w0 (f0 − a0) < w1 (f1 − a1); D = w0 f0 − w1 f1 strictly falls
    d = w[0] * fu[:, 0] - w[1] * fu[:, 1]
    cross = np.searchsorted(-d, -(w[0] * a[:, 0] - w[1] * a[:, 1]), side="right")
    cands = []
    for l_, r_ in intervals:
        mid = np.clip(cross, l_, np.maximum(l_, r_))
        cands.append(_last_at_least(table, fj, l_, mid, thr))
        cands.append(_first_at_least(table, fj, mid, r_, thr))
    best = np.full(a.shape[0], -1, dtype=np.int64)
    best_h = np.full(a.shape[0], -np.inf)
    hs = []
    for c in cands:
        ok = c >= 0
        cs = np.maximum(c, 0)
        h = np.where(ok, np.minimum(w[0] * (fu[cs, 0] - a[:, 0]), w[1] * (fu[cs, 1] - a[:, 1])), -np.inf)
        hs.append(h)
        better = ok & (h > best_h)
        best = np.where(better, c, best)
        best_h = np.where(better, h, best_h)
    best = np.where(pareto, -1, best).astype(np.int64)
    # Candidates whose smallest gain ties the best one's (within tj, as in _dominance_general) are settled by
    # _untie, not by frontier order. With a tolerance as wide as a grid step, ties other than the four searched
    # above can qualify: walk outward from each (the smallest gain falls away from the crossing on both sides,
    # so the walk stops at the first joint tie that falls short).
    near_h = best_h - tj
    rows_seen: list[IntArray] = []
    points_seen: list[IntArray] = []
    for k, (c, h) in enumerate(zip(cands, hs, strict=True)):
        l_, r_ = intervals[k // 2]
        leftward = k % 2 == 0  # even: last tie before the crossing; odd: first tie after it
        cur, ok = c, (c >= 0) & (h >= near_h) & ~pareto
        while ok.any():
            rows_seen.append(np.flatnonzero(ok))
            points_seen.append(cur[ok])
            nxt = (_last_at_least(table, fj, l_, np.where(ok, cur, l_), thr) if leftward
                   else _first_at_least(table, fj, np.where(ok, cur + 1, r_), r_, thr))
            cs = np.maximum(nxt, 0)
            h = np.minimum(w[0] * (fu[cs, 0] - a[:, 0]), w[1] * (fu[cs, 1] - a[:, 1]))
            cur, ok = nxt, ok & (nxt >= 0) & (h >= near_h)
    open_ties: dict[int, IntArray] = {}
    if rows_seen:
        pairs = np.unique(np.stack([np.concatenate(rows_seen), np.concatenate(points_seen)], axis=1), axis=0)
        rows, starts, counts = np.unique(pairs[:, 0], return_index=True, return_counts=True)
        for row, s0, n0 in zip(rows[counts > 1], starts[counts > 1], counts[counts > 1], strict=True):
            open_ties[int(row)] = pairs[s0 : s0 + n0, 1].astype(np.int64)
    return pareto, best, open_ties


def _first_at_least(table: list[IntArray], v: FloatArray, lo: IntArray, hi: IntArray, thr: FloatArray) -> IntArray:
    """Smallest j in [lo, hi) with v[j] ≥ thr (per row), or −1: binary search on range maxima."""
    found = (hi > lo) & (_range_max(table, v, lo, hi) >= thr)
    left = lo.copy()
    right = np.where(found, hi - 1, lo)  # answer in [left, right]
    while True:
        active = found & (left < right)
        if not active.any():
            break
        mid = (left + right) // 2
        ok = _range_max(table, v, np.where(active, left, 0), np.where(active, mid + 1, 0)) >= thr
        right = np.where(active & ok, mid, right)
        left = np.where(active & ~ok, mid + 1, left)
    return np.where(found, left, -1)


def _last_at_least(table: list[IntArray], v: FloatArray, lo: IntArray, hi: IntArray, thr: FloatArray) -> IntArray:
    """Largest j in [lo, hi) with v[j] ≥ thr (per row), or −1."""
    found = (hi > lo) & (_range_max(table, v, lo, hi) >= thr)
    left = np.where(found, lo, hi)
    right = hi - 1
    while True:
        active = found & (left < right)
        if not active.any():
            break
        mid = (left + right + 1) // 2
        ok = _range_max(table, v, np.where(active, mid, 0), np.where(active, right + 1, 0)) >= thr
        left = np.where(active & ok, mid, left)
        right = np.where(active & ~ok, mid - 1, right)
    return np.where(found, right, -1)


def _range_max(table: list[IntArray], v: FloatArray, lo: IntArray, hi: IntArray) -> FloatArray:
    """max v[lo:hi] per row (−inf for an empty interval)."""
    b = _range_argmax(table, v, lo, hi)
    out: FloatArray = np.where(b >= 0, v[np.maximum(b, 0)], -np.inf)
    return out


def _distance(fu: FloatArray, fg: FloatArray, a: FloatArray, ga: FloatArray, t: float,
              pareto: BoolArray) -> FloatArray:
    """Distance in normalised gains from each row to the nearest frontier point that weakly dominates it.

    The k nearest frontier points of a row (a k-d tree query, k = 16, then 256) are scanned in order of
    distance; the first that weakly dominates the row is the answer, since every nearer point does not.
    Rows not settled that way (rare) are compared with every frontier point. Pareto-optimal rows get 0.
    """
    r, p = a.shape
    nf = fu.shape[0]
    out = np.zeros(r)
    todo = np.flatnonzero(~pareto)
    if not nf or not todo.size:
        return out
    if todo.size * nf * p <= _CHUNK_CELLS:  # small: compare with every point directly
        return _distance_direct(fu, fg, a, ga, t, todo, out)
    from scipy.spatial import cKDTree

    tree = cKDTree(fg)
    for k in (16, 256):
        if not todo.size:
            break
        kk = min(k, nf)
        d, idx = tree.query(ga[todo], k=kk)
        d = np.asarray(d).reshape(todo.size, kk)
        idx = np.asarray(idx).reshape(todo.size, kk)
        ok = np.all(fu[idx] >= a[todo][:, None, :] - t, axis=2)
        found = ok.any(axis=1)
        first = np.argmax(ok, axis=1)
        out[todo[found]] = d[found, first[found]]
        todo = todo[~found]
        if kk == nf:
            break
    return _distance_direct(fu, fg, a, ga, t, todo, out)


def _distance_direct(fu: FloatArray, fg: FloatArray, a: FloatArray, ga: FloatArray, t: float, todo: IntArray,
                     out: FloatArray) -> FloatArray:
    """Fill ``out[todo]`` by comparing those rows with every frontier point (in chunks)."""
    nf, p = fu.shape
    step = max(1, _CHUNK_CELLS // max(1, nf * p))
    for lo in range(0, todo.size, step):
        rows = todo[lo:lo + step]
        ge = np.all(fu[None, :, :] >= a[rows][:, None, :] - t, axis=2)
        d2 = ((fg[None, :, :] - ga[rows][:, None, :]) ** 2).sum(axis=2)
        out[rows] = np.sqrt(np.where(ge, d2, np.inf).min(axis=1))
    return out


def _sparse_argmax(v: FloatArray) -> list[IntArray]:
    """Sparse table: level j holds, for each i, the first index of the maximum of v[i : i + 2^j]."""
    levels = [np.arange(v.size, dtype=np.int64)]
    width = 1
    while 2 * width <= v.size:
        prev = levels[-1]
        left = prev[: v.size - 2 * width + 1]
        right = prev[width: width + left.size]
        levels.append(np.where(v[left] >= v[right], left, right))
        width *= 2
    return levels


def _range_argmax(table: list[IntArray], v: FloatArray, lo: IntArray, hi: IntArray) -> IntArray:
    """First index of the maximum of v[lo:hi] for every (lo, hi); −1 for an empty interval."""
    n = hi - lo
    ok = n > 0
    k = np.zeros(n.shape, dtype=np.int64)
    k[ok] = np.floor(np.log2(n[ok])).astype(np.int64)
    # guard against log2 rounding at exact powers of two
    k = np.where(ok & (np.left_shift(1, k + 1) <= n), k + 1, k)
    k = np.where(ok & (np.left_shift(1, k) > n), k - 1, k)
    out = np.full(n.shape, -1, dtype=np.int64)
    for j in np.unique(k[ok]):
        sel = ok & (k == j)
        c1 = table[int(j)][lo[sel]]
        c2 = table[int(j)][hi[sel] - (1 << int(j))]
        out[sel] = np.where(v[c1] >= v[c2], c1, c2)
    return out


# ---------------------------------------------------------------------------------------------------------
# the zone, counted
# ---------------------------------------------------------------------------------------------------------
def zone_size(case: Case, *, parties: Sequence[str] | None = None, limit: int = ZONE_LIMIT) -> int | None:
    """How many packages give each of ``parties`` at least its BATNA, or (default) pass the agreement rule.

    Without ``parties`` this is the size of the bargaining zone (the passing packages); with one party it is
    how many packages pass that party's walk-away test. Counted with :func:`zone_distribution` (issue by
    issue for additive preferences, never enumerating Ω); None when the count exceeds ``limit``.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"]}, {"A": {"a": [0, 1, 2]}, "B": {"a": [2, 1, 0]}},
    ...                         batnas={"A": 1, "B": 2})
    >>> zone_size(case), zone_size(case, parties=["A"])
    (0, 2)
    """
    keep = set(case.party_names if parties is None else parties)
    for name in keep:
        case.party_index(name)
    # Parties that do not count get a BATNA no package can fall below: a lower bound on their utility.
    lowered = {
        p.name: _utility_floor(prefs) for p, prefs in zip(case.parties, case.preferences, strict=True)
        if p.name not in keep
    }
    view = case.with_batnas(lowered) if lowered else case
    if parties is not None and not view.unanimous:
        # "each of these parties accepts" is a unanimity question among them, whatever the case's rule
        view = replace(view, agreement=UNANIMITY)
    found = zone_distribution(view, limit=limit, tol=tolerance(np.asarray(view.batnas, dtype=float)))
    return None if found is None else int(found[1].sum())


def _utility_floor(prefs: Preferences) -> float:
    """A number no package's utility is below (the additive minimum plus every negative interaction term)."""
    floor = prefs.min_additive() + sum(min(0.0, t.points) for t in prefs.interactions)
    return min(floor, prefs.cap) if prefs.cap is not None else floor


# ---------------------------------------------------------------------------------------------------------
# one agreement, fully reported
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Improvement:
    """A package that dominates the agreement and is dominated by no other such package."""

    package: dict[str, str]
    utilities: dict[str, float]
    joint_gain: float

    def to_dict(self) -> dict[str, Any]:
        return {"package": dict(self.package), "utilities": dict(self.utilities), "joint_gain": self.joint_gain}


@dataclass(frozen=True)
class Evaluation:
    """Where an agreement stands on the pyramid, and what it leaves on the table (docs/concepts.md#the-pyramid).

    Attributes
    ----------
    parties : tuple of str
    package : dict
        The agreement, ``{issue: option}``.
    utilities, batnas, surplus : dict of party to float
        u_i, b_i and u_i − b_i.
    level : int
        0 (some party below its BATNA), 1 (mutual settlement), 2 (better than compromise:
        dominates the compromise package, not Pareto-optimal), 3 (Pareto-optimal and individually rational).
    individually_rational, pareto_optimal, dominates_compromise : bool
    compromise : dict
        The compromise package and its utilities.
    improvements : tuple of Improvement
        Undominated improvements, best joint gain first, at most ``cap``. When the frontier is too large to
        list (``improvement_count`` is None), only the improvement with the largest joint gain.
    improvement_count : int or None
        How many packages are undominated improvements (exact); None when the frontier is too large to list.
    improvement_points : int or None
        How many distinct utility vectors they reach (None likewise).
    value_left : dict of party to float
        Each party's gain in the improvement with the largest joint gain (zeros when Pareto-optimal), on
        ``scale``.
    value_left_points : dict of party to float
        The same gains in each party's own points.
    value_left_joint : float
        The joint gain of that improvement, on ``scale``.
    value_left_package : dict or None
        That improvement.
    scale : str
        ``"points"`` (shared scales) or ``"normalised gains"``.
    joint_value, max_joint_value : float
        The agreement's joint value and the largest possible, on ``scale``.
    at_max_joint : bool
    nash_optimal : bool or None
        Individually rational and at a maximum of the Nash product Π (u_i − b_i) (None if unknown).
    distance : float or None
        See :data:`DISTANCE_DEFINITION` (None when the frontier is too large to list).
    zone_size : int or None
        Packages in the bargaining zone (None when more than :data:`ZONE_LIMIT` or not countable).
    zone_dominated_fraction : float or None
        Share of the zone's packages that the agreement dominates.
    exact : bool
        Always True: every figure is exact (figures that could not be computed are None).
    note : str
        How the figures were found when the case's full frontier was too large ("" otherwise).
    grid : str
        The grids real issues were analysed on ("" if none; see :func:`~accord.analysis.frontier.grid_note`).
    passes : bool or None
        The agreement passes the case's agreement rule (under unanimity: ``individually_rational``).
    agreement_rule : str
        The rule in words when it is not unanimity ("" otherwise).
    """

    parties: tuple[str, ...]
    package: dict[str, str]
    utilities: dict[str, float]
    batnas: dict[str, float]
    surplus: dict[str, float]
    level: int
    individually_rational: bool
    pareto_optimal: bool
    dominates_compromise: bool
    compromise: dict[str, Any]
    improvements: tuple[Improvement, ...]
    improvement_count: int | None
    improvement_points: int | None
    value_left: dict[str, float]
    value_left_points: dict[str, float]
    value_left_joint: float
    value_left_package: dict[str, str] | None
    scale: Scale
    joint_value: float
    max_joint_value: float
    at_max_joint: bool
    nash_optimal: bool | None
    distance: float | None
    zone_size: int | None
    zone_dominated_fraction: float | None
    exact: bool = True
    note: str = ""
    grid: str = ""
    passes: bool | None = None
    agreement_rule: str = ""

    @property
    def level_name(self) -> str:
        """The level in the seed's words."""
        return LEVEL_NAMES[self.level]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (packages as ``{issue: option}``, utilities as ``{party: number}``)."""
        return {
            "package": dict(self.package),
            "level": self.level,
            "level_name": self.level_name,
            "level_meaning": LEVEL_MEANINGS[self.level],
            "individually_rational": self.individually_rational,
            "passes": self.individually_rational if self.passes is None else self.passes,
            "agreement_rule": self.agreement_rule or "unanimity",
            "pareto_optimal": self.pareto_optimal,
            "dominates_compromise": self.dominates_compromise,
            "utilities": dict(self.utilities),
            "batnas": dict(self.batnas),
            "surplus": dict(self.surplus),
            "compromise": dict(self.compromise),
            "improvements": [i.to_dict() for i in self.improvements],
            "improvement_count": self.improvement_count,
            "improvement_points": self.improvement_points,
            "value_left": dict(self.value_left),
            "value_left_points": dict(self.value_left_points),
            "value_left_joint": self.value_left_joint,
            "value_left_package": None if self.value_left_package is None else dict(self.value_left_package),
            "scale": self.scale,
            "joint_value": self.joint_value,
            "max_joint_value": self.max_joint_value,
            "at_max_joint": self.at_max_joint,
            "nash_optimal": self.nash_optimal,
            "distance": self.distance,
            "distance_definition": DISTANCE_DEFINITION,
            "zone_size": self.zone_size,
            "zone_dominated_fraction": self.zone_dominated_fraction,
            "exact": self.exact,
            "note": self.note,
            "grid": self.grid,
        }


def as_package(case: Case, agreement: Mapping[str, str | int | float] | str | Sequence[int] | Package
               | IntArray) -> Package:
    """The agreement as option indices: from ``{issue: option}``, ``"issue=option,..."`` or indices."""
    if isinstance(agreement, np.ndarray):
        agreement = tuple(int(x) for x in agreement.tolist())
    elif isinstance(agreement, list):
        agreement = tuple(agreement)
    if isinstance(agreement, tuple) and not all(isinstance(x, int | np.integer) for x in agreement):
        raise RequestError("an agreement given as a sequence must hold one option index per issue")
    return case.package(agreement)  # type: ignore[arg-type]


def evaluate(
    case: Case,
    agreement: Mapping[str, str | int | float] | str | Sequence[int] | Package | IntArray,
    *,
    cap: int = DEFAULT_CAP,
    frontier: Frontier | None = None,
    reference: PyramidReference | None = None,
    limit: int | None = None,
) -> Evaluation:
    """Place an agreement on Thompson's pyramid and measure the value it leaves on the table.

    Parameters
    ----------
    case : Case
    agreement : mapping, str or sequence of int
        ``{issue: option}``, ``"issue=option,issue=option"`` or one option index per issue.
    cap : int
        At most this many undominated improvements are listed (their count is always exact).
    frontier : Frontier, optional
        The case's full, unrestricted frontier, if already computed.
    reference : PyramidReference, optional
        A reference built by :func:`reference_for` for this case (to evaluate many agreements cheaply).
    limit : int, optional
        Most partial packages the frontier engine may hold before the smaller questions below are asked
        instead. Default: :data:`EVALUATE_LIMIT` for additive cases of three or more parties with more than
        10**7 packages, otherwise the engine's own default.

    Returns
    -------
    Evaluation

    Raises
    ------
    RequestError
        Unknown issue or option, an issue without an option, or a ``reference`` built for another case.
    TooLargeError
        When not even the part of the frontier that dominates the agreement can be computed.

    Notes
    -----
    - Level 0: some u_i(ω) < b_i. Level 1: all u_i(ω) ≥ b_i. Level 2: level 1, not Pareto-optimal, and ω
      dominates the compromise package c (u(ω) ≥ u(c), ≠). Level 3: level 1 and no ω' dominates ω.
    - The undominated improvements are the frontier points p with p ≥ u(ω) other than u(ω) itself: anything
      dominating such a p would dominate ω too, and every improvement is dominated by (or is) one of them.
    - Value left on the table: the improvement ω* maximising the joint gain J(ω*) − J(ω), with
      J = Σ_i u_i (shared scales) or Σ_i g_i (normalised gains); reported per party, on that scale and in
      points. Ties (joint gains within 1e-9 relative): the most balanced split — the gains w_i Δu_i on that
      scale sorted from the smallest up, compared in turn (leximin) — then the point whose first package in
      issue and option order comes first; the package shown is that first package. Never the order of the
      parties (the solution points' rule, :data:`~accord.analysis.bargaining.TIE_RULE`).
    - Distance: :data:`DISTANCE_DEFINITION`.
    - Zone fraction: |{ω' in zone : ω dominates ω'}| / |zone|, when |zone| ≤ 10^7.
    - When the case's full frontier is too large (more than ``limit`` partial packages), the frontier
      restricted to the packages every party weakly prefers to ω (``preferred_to``) is used instead: it
      holds every improvement, so everything but the Nash flag (None) is unchanged. When that is too large
      as well (additive cases only), the level and the value left on the table come from the exact
      single-package search (:func:`~accord.analysis.optimize.best_improvement`, with the same tie rule);
      the improvements are then not counted
      and the distance is not computed (None), and ``note`` says so.

    Examples
    --------
    >>> case = Case.from_tables(
    ...     "Job offer", {"salary": ["90k", "95k", "100k"], "start": ["June", "August"], "training": ["no", "yes"]},
    ...     {"candidate": {"salary": [0, 1000, 2000], "start": [0, 600], "training": [0, 500]},
    ...      "employer": {"salary": [2000, 1000, 0], "start": [1600, 0], "training": [0, 300]}},
    ...     batnas={"candidate": 500, "employer": 0}, shared_scales=True)
    >>> ev = evaluate(case, "salary=95k,start=August,training=no")
    >>> ev.level, ev.level_name, ev.pareto_optimal
    (1, 'mutual settlement', False)
    >>> ev.value_left, ev.value_left_package
    ({'candidate': 900.0, 'employer': 900.0}, {'salary': '100k', 'start': 'June', 'training': 'yes'})
    """
    pkg = as_package(case, agreement)
    u = case.utilities(np.asarray([pkg], dtype=np.int64))
    if reference is not None and reference.case is not case and not _same_game(reference.case, case):
        raise RequestError("the pyramid reference was built for another case (other issues, parties, "
                           "preferences or BATNAs); build it with reference_for(case)")
    if reference is None:
        if frontier is not None:
            reference = reference_for(case, frontier=frontier)
        else:
            lim = limit if limit is not None else _frontier_limit(case)
            try:
                reference = reference_for(case, cap=cap, limit=lim)
            except TooLargeError:
                return _evaluate_large(case, pkg, u[0], cap, lim)
    res = assess(reference, u)
    return _evaluation(reference, pkg, res, cap)


def _frontier_limit(case: Case) -> int:
    """How many partial packages :func:`evaluate` lets the frontier engine hold (see :data:`EVALUATE_LIMIT`)."""
    if case.n_parties >= 3 and case.additive and case.space_size > ENUMERATION_LIMIT:
        return EVALUATE_LIMIT
    return DEFAULT_LIMIT


def _evaluate_large(case: Case, pkg: Package, a: FloatArray, cap: int, limit: int) -> Evaluation:
    """Evaluate when the full frontier is too large: the restricted frontier, else the single-package search."""
    from accord.analysis.optimize import best_improvement

    found = None
    if case.additive:
        # A fast exact answer first: a Pareto-optimal agreement needs no frontier at all.
        found = best_improvement(case, pkg)
        if found is None:
            return _evaluation_by_search(case, pkg, a, None, cap)
    try:
        restricted = pareto_frontier(case, cap=cap, preferred_to=pkg, limit=limit)
    except TooLargeError:
        if found is None:
            raise
        return _evaluation_by_search(case, pkg, a, found, cap)
    reference = _reference(case, restricted, complete=False)
    return _evaluation(reference, pkg, assess(reference, a[None, :]), cap)


def _evaluation_by_search(case: Case, pkg: Package, a: FloatArray, found: OptimizeImprovement | None,
                          cap: int) -> Evaluation:
    """The evaluation of an additive case from the exact best improvement alone (no frontier)."""
    names = case.party_names
    b = np.asarray(case.batnas, dtype=float)
    ideal = _additive_ideal(case)
    comp = compromise_package(case)
    comp_u = case.utilities([comp])[0]
    tol = tolerance(np.concatenate([a, b, ideal, comp_u]))
    rational = bool(np.all(a >= b - tol))
    passing = bool(passes_flags(case, (a >= b - tol)[None, :])[0])
    dom_comp = bool(np.all(a >= comp_u - tol) and np.any(a > comp_u + tol))
    pareto = found is None
    level = 0 if not passing else 3 if pareto else 2 if dom_comp else 1
    ja = float(joint_values(case, a[None, :], ideal)[0])
    max_joint = _additive_max_joint(case, ideal)
    joint_tol = 1e-9 * max(1.0, abs(max_joint), abs(ja))

    def per(x: FloatArray) -> dict[str, float]:
        return {n: float(v) for n, v in zip(names, x, strict=True)}

    zeros = np.zeros(case.n_parties)
    if found is None:
        left = left_points = zeros
        left_joint = 0.0
        left_pkg = None
        improvements: tuple[Improvement, ...] = ()
        count: int | None = 0
        points: int | None = 0
        distance: float | None = 0.0
        note = ("the full frontier is too large to list; Pareto-optimality decided exactly by the single-package "
                "search (accord.analysis.optimize)")
    else:
        gained = normalised_gains(np.stack([found.utilities, a]), b, ideal)
        same = np.abs(found.gains) <= tol
        left_points = np.where(same, 0.0, found.gains)
        left = np.where(same, 0.0, left_points if case.shared_scales else gained[0] - gained[1])
        left_joint = float(joint_values(case, found.utilities[None, :], ideal)[0]) - ja
        left_pkg = case.labels(found.package)
        improvements = (Improvement(left_pkg, per(found.utilities), left_joint),) if cap >= 1 else ()
        count = points = distance = None
        note = ("the frontier is too large to list, even restricted to the packages every party prefers to the "
                "agreement: the level and the value left on the table are exact (single-package search, "
                "accord.analysis.optimize); the improvements are not counted and the distance is not computed")
    zone_size: int | None = None
    zone_frac: float | None = None
    dist = zone_distribution(case, tol=tol)
    if dist is not None:
        zu, zc = dist
        zone_size = int(zc.sum())
        if zone_size:
            dominated = np.all(zu <= a[None, :] + tol, axis=1) & np.any(zu < a[None, :] - tol, axis=1)
            zone_frac = float(zc[dominated].sum()) / zone_size
    return Evaluation(
        parties=names,
        package=case.labels(pkg),
        utilities=per(a),
        batnas=per(b),
        surplus=per(a - b),
        level=level,
        individually_rational=rational,
        passes=passing,
        pareto_optimal=pareto,
        dominates_compromise=dom_comp,
        compromise={"package": case.labels(comp), "utilities": per(comp_u)},
        improvements=improvements,
        improvement_count=count,
        improvement_points=points,
        value_left=per(left),
        value_left_points=per(left_points),
        value_left_joint=left_joint,
        value_left_package=left_pkg,
        scale=scale_of(case),
        joint_value=ja,
        max_joint_value=max_joint,
        at_max_joint=ja >= max_joint - joint_tol,
        nash_optimal=None,
        distance=distance,
        zone_size=zone_size,
        zone_dominated_fraction=zone_frac,
        note=note,
        grid=grid_note(case),
        agreement_rule=rule_note(case).removeprefix("agreement rule: "),
    )


def _same_game(a: Case, b: Case) -> bool:
    """Whether two cases have the same issues, parties, preferences, BATNAs and scales (names may differ)."""
    return (a.issues == b.issues and a.party_names == b.party_names and a.preferences == b.preferences
            and a.shared_scales == b.shared_scales and a.agreement == b.agreement
            and bool(np.array_equal(a.batnas, b.batnas)))


def _evaluation(ref: PyramidReference, pkg: Package, res: Assessment, cap: int) -> Evaluation:
    case = ref.case
    names = case.party_names
    a = res.utilities[0]
    b = np.asarray(case.batnas, dtype=float)

    def per(x: FloatArray) -> dict[str, float]:
        return {n: float(v) for n, v in zip(names, x, strict=True)}

    fu = ref.frontier.utilities
    t = ref.tol
    weakly = np.all(fu >= a[None, :] - t, axis=1)
    same = np.all(fu <= a[None, :] + t, axis=1)
    imp = np.flatnonzero(weakly & ~same)
    gains = ref.frontier_joint[imp] - res.joint_values[0]
    # the engine's choice first (the value left on the table), then by joint gain, then by the first listed
    # package in option order — not frontier order, which follows the order of the parties
    firsts = [min(ref.frontier.packages[int(j)], default=()) for j in imp]
    order = sorted(range(len(imp)), key=lambda k: (-float(gains[k]), firsts[k]))
    imp = imp[np.asarray(order, dtype=np.int64)] if len(imp) else imp
    best = int(res.best[0])
    if best >= 0:
        imp = np.concatenate(([best], imp[imp != best]))
    improvements: list[Improvement] = []
    for j in imp:
        for p in sorted(ref.frontier.packages[int(j)]):
            if len(improvements) >= cap:
                break
            improvements.append(Improvement(case.labels(p), per(fu[j]),
                                            float(ref.frontier_joint[j] - res.joint_values[0])))
        if len(improvements) >= cap:
            break
    count = sum(int(ref.frontier.package_counts[int(j)]) for j in imp)
    left_pkg = case.labels(first_package(case, ref.frontier, best)) if best >= 0 else None
    zone_size: int | None = None
    zone_frac: float | None = None
    dist = ref.zone_distribution()
    if dist is not None:
        zu, zc = dist
        zone_size = int(zc.sum())
        if zone_size:
            dominated = np.all(zu <= a[None, :] + t, axis=1) & np.any(zu < a[None, :] - t, axis=1)
            zone_frac = float(zc[dominated].sum()) / zone_size
    nash = None if res.nash_optimal is None else bool(res.nash_optimal[0])
    return Evaluation(
        parties=names,
        package=case.labels(pkg),
        utilities=per(a),
        batnas=per(b),
        surplus=per(a - b),
        level=int(res.levels[0]),
        individually_rational=bool(res.individually_rational[0]),
        passes=bool(res.individually_rational[0] if res.passes is None else res.passes[0]),
        pareto_optimal=bool(res.pareto_optimal[0]),
        dominates_compromise=bool(res.dominates_compromise[0]),
        compromise={"package": case.labels(ref.compromise), "utilities": per(ref.compromise_utilities)},
        improvements=tuple(improvements),
        improvement_count=count,
        improvement_points=len(imp),
        value_left=per(res.value_left[0]),
        value_left_points=per(res.value_left_points[0]),
        value_left_joint=float(res.joint_gain[0]),
        value_left_package=left_pkg,
        scale=ref.scale,
        joint_value=float(res.joint_values[0]),
        max_joint_value=ref.max_joint_value,
        at_max_joint=bool(res.at_max_joint[0]),
        nash_optimal=nash,
        distance=float(res.distance[0]),
        zone_size=zone_size,
        zone_dominated_fraction=zone_frac,
        grid=grid_note(case),
        agreement_rule=rule_note(case).removeprefix("agreement rule: "),
    )
