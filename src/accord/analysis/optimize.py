"""Single-package questions without the whole frontier (docs/concepts.md#the-pyramid): is an agreement Pareto-optimal,
and which
package that dominates it creates the most joint gain (the "value left on the table")?

Both are answered exactly even where the frontier itself is far too large to list (3 parties × 30 issues ×
10 options). For additive cases the answer is a branch and bound over the issue-by-issue merge of
:mod:`accord.analysis._merge`, restricted to the packages every party weakly prefers to the agreement:

- an incumbent from a mixed-integer program (``scipy.optimize.milp``, HiGHS), verified on the exact integer
  grid, sets the objective value to beat;
- each partial package is dropped when a Lagrangian bound shows that no completion that every party weakly
  prefers can reach the incumbent. The multipliers are the duals of the linear relaxation (``linprog``): for
  any λ ≥ 0, max {w·(u − t) : u ≥ t} ≤ max over all completions of (w + λ)·(u − t), which splits into the
  best option of each remaining issue under the weights w + λ;
- dominated partial packages are dropped as in the frontier engine.

What survives is certified by exact integer arithmetic, so the MILP's tolerances never decide the answer.
Cases with interaction terms or binding caps use the restricted frontier of the region instead
(:func:`accord.analysis.frontier.pareto_frontier` with ``preferred_to``), which is exact too.

References
----------
Raiffa, "Post-settlement settlements", Negotiation Journal 1(1), 1985; Thompson, *The Mind and Heart of the
Negotiator*, ch. 4 (the pyramid model); A. M. Geoffrion, "Lagrangean relaxation for integer programming",
Mathematical Programming Study 2, 1974.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis._compile import Problem, UtilityGrid, allowed_options, compile_case, grid_utilities, utility_grid
from accord.analysis._merge import DEFAULT_LIMIT, list_packages, select, solve
from accord.errors import RequestError
from accord.model import Case, Package
from accord.model.preferences import FloatArray

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

__all__ = ["Improvement", "best_improvement", "best_utilities", "is_pareto_optimal", "joint_weights"]


@dataclass(frozen=True)
class Improvement:
    """A package that every party weakly prefers to an agreement (and one strictly), with the gains.

    Attributes
    ----------
    parties : tuple of str
    agreement : Package
        The package being improved on.
    package : Package
        The improvement (option indices).
    labels : tuple of (issue, option)
        The improvement as labels.
    base, utilities : ndarray, shape (parties,)
        Utilities of the agreement and of the improvement.
    gains : ndarray, shape (parties,)
        ``utilities - base``, in each party's points.
    joint_gain : float
        The objective: Σ gains with shared scales, else Σ normalised gains
        (docs/concepts.md#scales-and-normalised-gains).
    objective : str
        Which joint gain was maximised, in words.
    exact : bool
        Always True (the result is certified on the exact integer grid).
    method : str
    """

    parties: tuple[str, ...]
    agreement: Package
    package: Package
    labels: tuple[tuple[str, str], ...]
    base: FloatArray
    utilities: FloatArray
    gains: FloatArray
    joint_gain: float
    objective: str
    exact: bool = True
    method: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "package": dict(self.labels),
            "utilities": {p: float(u) for p, u in zip(self.parties, self.utilities, strict=True)},
            "base": {p: float(u) for p, u in zip(self.parties, self.base, strict=True)},
            "gains": {p: float(g) for p, g in zip(self.parties, self.gains, strict=True)},
            "joint_gain": self.joint_gain,
            "objective": self.objective,
            "exact": self.exact,
            "method": self.method,
        }


def best_utilities(case: Case) -> FloatArray:
    """Each party's most points over all packages (u_i^max of docs/concepts.md#scales-and-normalised-gains), exactly
    and without the frontier.

    Additive: the sum of each issue's best option (capped). With interaction terms: the frontier of two copies
    of the party, a single point.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...                         {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [2, 0]}})
    >>> best_utilities(case).tolist()
    [3.0, 3.0]
    """
    return np.array([_extreme(case, i, +1) for i in range(case.n_parties)])


def joint_weights(case: Case) -> tuple[FloatArray, str]:
    """Weight per point of each party in the joint gain (docs/concepts.md#scales-and-normalised-gains), and its
    description.

    Shared scales: raw points (weight 1). Otherwise normalised gains g_i = (u_i − b_i) / (u_i^max − b_i), so
    party i's points weigh 1 / (u_i^max − b_i), with u_i^max the party's best package (its most points,
    capped). When a party's best package does not beat its BATNA the gain is undefined; its points then weigh
    1 / (u_i^max − u_i^min) and the description says so.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 4]}, "B": {"a": [2, 0]}},
    ...                         batnas={"A": 0, "B": 1})
    >>> joint_weights(case)[0].tolist()
    [0.25, 1.0]
    """
    if case.shared_scales:
        return np.ones(case.n_parties), "joint gain in points (shared scales)"
    best = best_utilities(case)
    span = best - case.batnas
    note = "joint normalised gain, g_i = (u_i - b_i) / (u_i^max - b_i)"
    bad = span <= 0
    if bad.any():
        worst = np.array([_extreme(case, i, -1) for i in range(case.n_parties)])
        span = np.where(bad, best - worst, span)
        note += ("; for " + ", ".join(p for p, b in zip(case.party_names, bad, strict=True) if b)
                 + " (best package not above the BATNA) gains are divided by the utility range instead")
    span = np.where(span > 0, span, 1.0)
    return 1.0 / span, note


def _extreme(case: Case, i: int, sign: int) -> float:
    """A party's most (sign +1) or fewest (−1) points over all packages, exactly."""
    prefs = case.preferences[i]
    if not prefs.interactions:
        total = prefs.max_additive() if sign > 0 else prefs.min_additive()
    else:
        # the frontier of two copies of the party is the single point (max, max); negate for the minimum
        from accord.analysis.frontier import pareto_frontier
        from accord.model import Interaction, Party, Preferences

        signed = Preferences(tuple(tuple(sign * x for x in row) for row in prefs.scores),
                             tuple(Interaction(t.conditions, sign * t.points, t.label) for t in prefs.interactions))
        twins = Case(case.name, case.issues, (Party("a"), Party("b")), (signed, signed))
        total = sign * float(pareto_frontier(twins, cap=1).utilities[0, 0])
    # min(cap, ·) is monotone, so the extreme of the capped utility is the capped extreme
    return min(total, prefs.cap) if prefs.cap is not None else total


def is_pareto_optimal(case: Case, package: Package | Mapping[str, str] | str, *,
                      limit: int = DEFAULT_LIMIT) -> bool:
    """Whether no package dominates ``package`` (docs/concepts.md#frontier-and-ties), decided exactly without listing
    the frontier.

    Parameters
    ----------
    case : Case
    package : package (option indices), mapping or "issue=option,..." string

    Returns
    -------
    bool

    Raises
    ------
    RequestError
        Unknown issue or option, or an incomplete package.
    TooLargeError
        The search does not fit within ``limit`` partial packages.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...                         {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [2, 0]}})
    >>> is_pareto_optimal(case, "a=y,b=p"), is_pareto_optimal(case, "a=x,b=q")
    (True, False)
    """
    return _search(case, package, None, limit) is None


def best_improvement(case: Case, package: Package | Mapping[str, str] | str, *, objective: str = "joint",
                     limit: int = DEFAULT_LIMIT) -> Improvement | None:
    """The package that dominates ``package`` and maximises the joint gain over it, or None if none does.

    Parameters
    ----------
    case : Case
    package : package (option indices), mapping or "issue=option,..." string
        The agreement to improve on.
    objective : {"joint"}
        The joint gain: raw points with shared scales, otherwise normalised gains (see :func:`joint_weights`).

    Returns
    -------
    Improvement or None
        None exactly when ``package`` is Pareto-optimal. Among improvements with the same joint gain, the most
        balanced (the weighted gains sorted from the smallest up, largest first: leximin) is returned, then the
        first package in issue and option order — never a choice by the order of the parties.

    Raises
    ------
    RequestError
        Unknown issue or option, or an unknown objective.
    TooLargeError
        The search does not fit within ``limit`` partial packages.

    Notes
    -----
    The improvement maximises Σ_i w_i (u_i(ω') − u_i(ω)) over the packages ω' with u(ω') ≥ u(ω) and
    u(ω') ≠ u(ω); its gains are the "value left on the table" of docs/concepts.md#the-pyramid. It is itself
    Pareto-optimal (a package
    dominating it would dominate ω too and have a larger joint gain).

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...                         {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [2, 0]}},
    ...                         shared_scales=True)
    >>> imp = best_improvement(case, "a=x,b=q")
    >>> imp.to_dict()["package"], imp.gains.tolist()
    ({'a': 'y', 'b': 'p'}, [1.0, 1.0])
    """
    if objective != "joint":
        raise RequestError(f"unknown objective {objective!r}; the best improvement maximises the 'joint' gain")
    weights, note = joint_weights(case)
    return _search(case, package, (weights, note), limit)


def _search(case: Case, package: Package | Mapping[str, str] | str, objective: tuple[FloatArray, str] | None,
            limit: int) -> Improvement | None:
    agreement = case.package(package)
    grid = utility_grid(case)
    t = grid_utilities(case, grid, np.asarray(agreement, dtype=np.int64))[0]
    if objective is None:
        # any positive weights decide existence; one grid step in any coordinate is worth at least min(w)
        w = 1.0 / np.maximum(1.0, np.abs(t).astype(float) + 1.0)
        note = ""
    else:
        w = objective[0] * grid.quantum
        note = objective[1]
    problem = compile_case(case, grid, allowed_options(case, {}))
    if problem.n_terms or problem.capped.any():
        best, pkg, method = _by_region(case, grid, agreement, t, w, problem.tie, limit)
    else:
        best, pkg, method = _branch_and_bound(case, grid, problem, t, w, limit, objective is None)
    if best is None or pkg is None:
        return None
    if objective is None:
        return _improvement(case, agreement, pkg, np.zeros(case.n_parties), "", method)
    return _improvement(case, agreement, pkg, objective[0], note, method)


def _improvement(case: Case, agreement: Package, pkg: Package, weights: FloatArray, note: str,
                 method: str) -> Improvement:
    base = case.utilities([agreement])[0]
    util = case.utilities([pkg])[0]
    gains = util - base
    return Improvement(case.party_names, agreement, pkg, tuple(case.labels(pkg).items()), base, util, gains,
                       float(np.dot(weights, gains)), note, True, method)


def _improves(gain: IntArray, tie: IntArray) -> BoolArray:
    """Rows of grid gains that are a strict improvement: ≥ 0 everywhere and > 0 somewhere, where differences
    within the tie slack (two parties on a rounded grid, as the frontier engine) count as ties."""
    out: BoolArray = np.all(gain >= -tie, axis=-1) & np.any(gain > tie, axis=-1)
    return out


#: Packages listed per tied point when choosing the first in option order (see :func:`_first_listed`).
_TIE_LISTING = 1000


def _pick(points: IntArray, t: IntArray, w: FloatArray, tie: IntArray) -> int | None:
    """Index of the point with the largest objective among those that strictly improve on t (None if none)."""
    ties = _ties(points, t, w, tie)
    return int(ties[0]) if ties.size else None


def _ties(points: IntArray, t: IntArray, w: FloatArray, tie: IntArray) -> IntArray:
    """The strict improvements with the largest objective (within 1e-9 relative) that are the most balanced:
    their weighted gains w_i (u_i − t_i), sorted from the smallest up, are the largest (leximin). Neither
    criterion looks at the order of the parties; what is left differs only by mirror-image gains."""
    gain = points - t[None, :]
    better = _improves(gain, tie)
    if not better.any():
        return np.zeros(0, dtype=np.int64)
    value = np.where(better, gain @ w, -np.inf)
    top = float(value.max())
    scale = max(1.0, abs(top))
    cand = np.flatnonzero(value >= top - 1e-9 * scale)
    balance = [tuple(np.round(np.sort(gain[j] * w) / scale, 9)) for j in cand]
    best = max(balance)
    out: IntArray = cand[[b == best for b in balance]].astype(np.int64)
    return out


def _first_listed(listed: list[tuple[Package, ...]]) -> Package:
    """The first package in issue and option order among those listed for the tied points (each point lists
    up to ``_TIE_LISTING`` packages, all of them in all but extreme cases)."""
    return min(min(pk) for pk in listed)


def _by_region(case: Case, grid: UtilityGrid, agreement: Package, t: IntArray, w: FloatArray, tie: IntArray,
               limit: int) -> tuple[float | None, Package | None, str]:
    """Non-additive cases: the undominated packages every party weakly prefers to the agreement (on the grid,
    within the tie slack: grid utilities at least ``t - tie``)."""
    from accord.analysis.frontier import pareto_frontier

    if tie.any():
        # at_least becomes ceil(a / q - slack - 1e-6) on the grid; half a step below t - tie lands exactly there
        least = (t - tie + grid.slack - 0.5) * grid.quantum
        f = pareto_frontier(case, at_least=least, cap=_TIE_LISTING, limit=limit)
    else:
        f = pareto_frontier(case, preferred_to=agreement, cap=_TIE_LISTING, limit=limit)
    ties = _ties(f.grid_points, t, w, tie)
    if not ties.size:
        return None, None, f.method
    pkg = _first_listed([f.packages[int(j)] for j in ties])
    return float((f.grid_points[int(ties[0])] - t) @ w), pkg, f.method + ", restricted to improvements"


def _branch_and_bound(case: Case, grid: UtilityGrid, problem: Problem, t: IntArray, w: FloatArray,
                      limit: int, existence: bool) -> tuple[float | None, Package | None, str]:
    """Additive cases: exact branch and bound (see the module notes). With ``existence`` any verified strict
    improvement answers the question."""
    tie = problem.tie
    lam, incumbent = _relaxations(problem, t, w)
    # the least objective a strict improvement can have: one coordinate beyond the slack, the others within it
    least = min(float(w[j] * (tie[j] + 1) - (w @ tie - w[j] * tie[j])) for j in range(w.size))
    floor = least - 1e-9 * abs(least)
    best_value = None
    best_pkg: Package | None = None
    if incumbent is not None:
        u = grid_utilities(case, grid, np.asarray(incumbent, dtype=np.int64))[0]
        gain = u - t
        if _improves(gain, tie):
            best_value = float(gain @ w)
            best_pkg = incumbent
            if existence:
                return best_value, best_pkg, "mixed-integer program (HiGHS), verified on the exact grid"
    target = max(floor, best_value if best_value is not None else floor)
    tol = 1e-9 * max(1.0, abs(target))
    vectors = [w] + ([w + lam] if lam is not None else [])
    # suffix sums of each remaining issue's best option under each weight vector
    suffix = []
    for v in vectors:
        per_step = np.array([float(np.max(step.add @ v)) for step in problem.steps] + [0.0])
        suffix.append(np.cumsum(per_step[::-1])[::-1])
    # region u ≥ t − tie: for v = w + λ, w·(u − t) ≤ v·u − w·t − λ·(t − tie) (Lagrangian bound)
    offsets = [float(w @ t)] + ([float(w @ t + lam @ (t - tie))] if lam is not None else [])

    def prune(level: int, cand: IntArray) -> BoolArray:
        keep = np.ones(cand.shape[0], dtype=bool)
        for v, suf, off in zip(vectors, suffix, offsets, strict=True):
            keep &= cand.astype(np.float64) @ v + suf[level] - off >= target - tol
        return keep

    outcome = solve(problem, thresholds=t - tie, prune=prune, limit=limit)
    ties = _ties(outcome.points, t, w, tie)
    method = "branch and bound over the issue-by-issue merge (Lagrangian bounds, MILP incumbent)"
    if ties.size:
        value = float((outcome.points[int(ties[0])] - t) @ w)
        # The incumbent, when optimal, survives the pruning as one of the tied points: choose among all of
        # them by the rule of :func:`_ties`, not whichever the solver happened to return.
        if best_value is None or value >= best_value - 1e-9 * max(1.0, abs(best_value)):
            rows, point = list_packages(problem, select(outcome, ties), case.n_issues, _TIE_LISTING)
            listed = [tuple(tuple(int(x) for x in rows[r]) for r in np.flatnonzero(point == q))
                      for q in range(ties.size)]
            best_value, best_pkg = max(value, best_value or value), _first_listed(listed)
    return best_value, best_pkg, method


def _relaxations(problem: Problem, t: IntArray, w: FloatArray) -> tuple[FloatArray | None, Package | None]:
    """Lagrange multipliers from the linear relaxation and an incumbent package from the MILP (HiGHS).

    Either may be None if the solver fails; neither affects exactness, only speed.
    """
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp
    from scipy.sparse import csr_array

    steps = problem.steps
    sizes = [s.classes for s in steps]
    n = sum(sizes)
    if n == 0:
        return None, None
    add = np.concatenate([s.add for s in steps]).astype(np.float64)  # (n, parties)
    rows = np.repeat(np.arange(len(steps)), sizes)
    eq = csr_array((np.ones(n), (rows, np.arange(n))), shape=(len(steps), n))
    need = (t - problem.constant).astype(np.float64)
    scale = np.maximum(1.0, np.abs(add).max(axis=0))
    a = (add / scale[None, :]).T
    b = need / scale
    c = -(add @ w)
    lam: FloatArray | None = None
    try:
        lp = linprog(c, A_ub=-a, b_ub=-b, A_eq=eq, b_eq=np.ones(len(steps)), bounds=(0, 1), method="highs")
        if lp.status == 0:
            lam = np.maximum(0.0, -np.asarray(lp.ineqlin.marginals, dtype=float)) / scale
    except (ValueError, AttributeError):  # pragma: no cover - solver trouble only costs speed
        lam = None
    incumbent: Package | None = None
    try:
        res = milp(c, constraints=[LinearConstraint(eq, 1, 1), LinearConstraint(a, b, np.inf)],
                   integrality=np.ones(n), bounds=Bounds(0, 1),
                   options={"time_limit": 5.0, "mip_rel_gap": 1e-9, "presolve": True})
        if res.x is not None:
            x = np.asarray(res.x)
            offsets = np.r_[0, np.cumsum(sizes)]
            chosen: dict[int, int] = {}
            for s, step in enumerate(steps):
                cls = int(np.argmax(x[offsets[s]:offsets[s + 1]]))
                chosen[step.issue] = int(step.members[step.start[cls]])
            incumbent = tuple(chosen[k] for k in sorted(chosen))
    except ValueError:  # pragma: no cover
        incumbent = None
    return lam, incumbent
