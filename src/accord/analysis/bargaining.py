"""The bargaining zone and the solution points that claim value (DOMAIN §1, §4).

Everything here is computed on the exact Pareto frontier (:func:`accord.analysis.frontier.pareto_frontier`),
restricted to the bargaining zone (individually rational packages). Where parties' values are combined
(joint value, shares, egalitarian) raw points are used only when the case declares shared scales; otherwise
each party's **normalised gain** g_i(ω) = (u_i(ω) − b_i) / (u_i^max − b_i) is used — 0 at the BATNA, 1 at the
party's best package — and every result says which scale it used.

Which frontier point a solution picks, and which of two tied points wins, is decided exactly: on the frontier
engine's integer grid (:attr:`Frontier.grid_points <accord.analysis.frontier.Frontier.grid_points>`, where
integer points are exact and other points are compared on a decimal grid of about 1e-9 of each party's scale,
DOMAIN §4), with Nash products, gains and sums compared as exact rationals. Floating point only pre-selects
the few near-ties that the exact comparison then settles.

References
----------
Nash, J. (1950). The bargaining problem. *Econometrica* 18(2).
Kalai, E., Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem. *Econometrica* 43(3).
Thompson, L. *The Mind and Heart of the Negotiator*, ch. on integrative negotiation ("don't forget about
claiming").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from accord.analysis._compile import grid_utilities, utility_grid
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.model import Case, Package
from accord.model.preferences import FloatArray

#: Absolute slack when testing u ≥ b, relative to the magnitude of the numbers.
EPS = 1e-9

Scale = Literal["points", "normalised gains"]

SOLUTION_NAMES = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "max_joint")

CONVENTIONS = {
    "nash": "max Π_i (u_i − b_i) over the bargaining zone's frontier (Nash 1950); ties: larger joint value",
    "kalai_smorodinsky": (
        "max min_i g_i with the ideal point taken over the bargaining zone (Kalai–Smorodinsky 1975); ties: "
        "larger Σ g_i. GENIUS instead takes the frontier point with the smallest |u_A − u_B|"
    ),
    "egalitarian": "max min_i (u_i − b_i) in raw points (shared scales only); ties: larger Σ surplus",
    "utilitarian": "max Σ_i u_i in raw points (shared scales only); ties: larger min surplus",
    "max_joint": "max joint value: Σ u_i with shared scales, otherwise Σ normalised gains g_i",
}


def scale_of(case: Case) -> Scale:
    """Which scale joint values use for ``case``: raw points with shared scales, else normalised gains."""
    return "points" if case.shared_scales else "normalised gains"


def tolerance(values: FloatArray) -> float:
    """Slack for ≥ comparisons on numbers of this magnitude."""
    return EPS * max(1.0, float(np.max(np.abs(values), initial=0.0)))


def ideal_point(frontier: Frontier) -> FloatArray:
    """Each party's best utility over the packages the frontier covers (its column maximum)."""
    out: FloatArray = frontier.utilities.max(axis=0)
    return out


def normalised_gains(utilities: FloatArray, batnas: FloatArray, ideal: FloatArray) -> FloatArray:
    """g_i = (u_i − b_i) / (u_i^max − b_i); parties whose best package is no better than the BATNA get 0.

    Examples
    --------
    >>> normalised_gains(np.array([[5.0, 2.0]]), np.array([0.0, 2.0]), np.array([10.0, 2.0])).tolist()
    [[0.5, 0.0]]
    """
    u = np.atleast_2d(np.asarray(utilities, dtype=float))
    span = np.asarray(ideal, dtype=float) - np.asarray(batnas, dtype=float)
    safe = np.where(span > 0, span, 1.0)
    g: FloatArray = np.where(span > 0, (u - batnas) / safe, 0.0)
    return g


def joint_values(case: Case, utilities: FloatArray, ideal: FloatArray) -> FloatArray:
    """Joint value of each row: Σ u_i with shared scales, otherwise Σ g_i (DOMAIN §1)."""
    u = np.atleast_2d(np.asarray(utilities, dtype=float))
    if case.shared_scales:
        out: FloatArray = u.sum(axis=1)
        return out
    out = normalised_gains(u, case.batnas, ideal).sum(axis=1)
    return out


def surplus_shares(case: Case, utilities: FloatArray, ideal: FloatArray) -> FloatArray:
    """Each party's share of the surplus: raw surplus / Σ (shared scales), else g_i / Σ_j g_j."""
    u = np.asarray(utilities, dtype=float)
    s = u - case.batnas if case.shared_scales else normalised_gains(u[None, :], case.batnas, ideal)[0]
    s = np.maximum(s, 0.0)
    total = s.sum()
    out: FloatArray = s / total if total > 0 else np.full(len(s), np.nan)
    return out


@dataclass(frozen=True)
class SolutionPoint:
    """A point on the frontier chosen by a bargaining solution.

    Attributes
    ----------
    name : str
        ``"nash"``, ``"kalai_smorodinsky"``, ``"egalitarian"``, ``"utilitarian"`` or ``"max_joint"``.
    parties : tuple of str
    utilities : ndarray, shape (parties,)
    surplus : ndarray
        u_i − b_i.
    gains : ndarray
        Normalised gains g_i.
    shares : ndarray
        Each side's share of the surplus (raw with shared scales, else of Σ g).
    joint_value : float
        Σ u (shared scales) or Σ g.
    package : dict
        One package reaching the point (``{issue: option}``).
    package_count : int
        How many packages reach it.
    convention : str
        The definition used.
    """

    name: str
    parties: tuple[str, ...]
    utilities: FloatArray
    surplus: FloatArray
    gains: FloatArray
    shares: FloatArray
    joint_value: float
    package: dict[str, str]
    package_index: Package
    package_count: int
    convention: str

    def to_dict(self) -> dict[str, Any]:
        def per_party(a: FloatArray) -> dict[str, float]:
            return {p: float(x) for p, x in zip(self.parties, a, strict=True)}

        return {
            "name": self.name,
            "utilities": per_party(self.utilities),
            "surplus": per_party(self.surplus),
            "gains": per_party(self.gains),
            "shares": per_party(self.shares),
            "joint_value": float(self.joint_value),
            "package": dict(self.package),
            "package_count": int(self.package_count),
            "convention": self.convention,
        }


@dataclass(frozen=True)
class Bargaining:
    """The bargaining zone of a case and the solution points on its frontier.

    Attributes
    ----------
    parties : tuple of str
    batnas : ndarray
        b_i.
    ideal : ndarray
        Each party's best utility over all packages (u_i^max).
    zone_ideal : ndarray or None
        Each party's best utility over the bargaining zone (None when the zone is empty).
    zopa_empty : bool
        True when no package gives every party at least its BATNA.
    zone_frontier_size : int
        Frontier points inside the zone.
    frontier_size : int
        Frontier points overall.
    scale : str
        ``"points"`` or ``"normalised gains"``: the scale joint values and shares use.
    max_joint_value : float
        Largest joint value over all packages.
    even_split_value : float
        Joint value of the compromise package (every issue split down the middle, DOMAIN §5).
    solutions : dict of str to SolutionPoint
        Nash, Kalai–Smorodinsky, and (shared scales) egalitarian and utilitarian; plus ``max_joint``.
    """

    parties: tuple[str, ...]
    batnas: FloatArray
    ideal: FloatArray
    zone_ideal: FloatArray | None
    zopa_empty: bool
    zone_frontier_size: int
    frontier_size: int
    scale: Scale
    max_joint_value: float
    even_split_value: float
    solutions: dict[str, SolutionPoint]

    def to_dict(self) -> dict[str, Any]:
        def per_party(a: FloatArray | None) -> dict[str, float] | None:
            return None if a is None else {p: float(x) for p, x in zip(self.parties, a, strict=True)}

        return {
            "batnas": per_party(self.batnas),
            "ideal": per_party(self.ideal),
            "zone_ideal": per_party(self.zone_ideal),
            "zopa_empty": self.zopa_empty,
            "zone_frontier_size": self.zone_frontier_size,
            "frontier_size": self.frontier_size,
            "scale": self.scale,
            "max_joint_value": self.max_joint_value,
            "even_split_value": self.even_split_value,
            "solutions": {k: v.to_dict() for k, v in self.solutions.items()},
            "conventions": {k: CONVENTIONS[k] for k in self.solutions},
        }


def compromise_package(case: Case) -> Package:
    """The compromise package of DOMAIN §5: on each issue, the option maximising min_i e_ik(o).

    e_ik(o) = (s_ik(o) − min s_ik) / r_ik is party i's normalised score on issue k (parties with zero stake
    on k count as indifferent, e = 1). Ties: larger Σ_i e_ik, then the earlier option. This is what
    "splitting the difference" issue by issue reaches (Thompson: compromise slices, it does not expand).

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"]}, {"A": {"a": [0, 1, 2]}, "B": {"a": [2, 1, 0]}})
    >>> compromise_package(case)
    (1,)
    """
    out = []
    for s in case.scores:
        lo = s.min(axis=1, keepdims=True)
        r = s.max(axis=1, keepdims=True) - lo
        e = np.where(r > 0, (s - lo) / np.where(r > 0, r, 1.0), 1.0)
        mins = e.min(axis=0)
        sums = e.sum(axis=0)
        best = mins.max()
        cand = np.flatnonzero(mins >= best - 1e-12)
        best_sum = sums[cand].max()
        cand = cand[sums[cand] >= best_sum - 1e-12]
        out.append(int(cand[0]))
    return tuple(out)


#: Near-ties the floating-point pre-selection keeps for the exact comparison (relative to the magnitudes).
_PRESELECT = 1e-9

#: One level of a lexicographic choice: approximate values and their magnitudes for every frontier row
#: (floats, to pre-select), and the exact value of one row (to decide).
_Key = tuple[np.ndarray, np.ndarray, Callable[[int], Fraction]]


@dataclass(frozen=True)
class _ExactPoints:
    """Frontier points and BATNAs as exact integers in one common unit for every party.

    ``units[j, i] / den`` is party i's utility at frontier point j on the engine's grid (exact decimal steps),
    ``batnas[i] / den`` its BATNA; one common ``den`` makes raw points comparable across parties (shared
    scales) and changes no ratio. Integers are Python ints in object arrays when int64 could overflow.
    """

    units: np.ndarray
    batnas: np.ndarray
    zone: np.ndarray


def _exact_points(case: Case, front: Frontier) -> _ExactPoints:
    grid = utility_grid(case)
    g = front.grid_points
    if g.shape != front.utilities.shape:  # a frontier assembled by hand: put its points on the grid
        g = grid_utilities(case, grid, np.asarray([p[0] for p in front.packages], dtype=np.int64).reshape(
            len(front), case.n_issues)) if len(front) else np.zeros((0, case.n_parties), dtype=np.int64)
    quanta = [_quantum(float(q)) for q in grid.quantum]
    batnas = [_exact_batna(float(b), q, float(fq)) for b, q, fq in zip(case.batnas, quanta, grid.quantum,
                                                                           strict=True)]
    den = 1
    for x in (*quanta, *batnas):
        den = math.lcm(den, x.denominator)
    steps = [int(q * den) for q in quanta]
    b_units = [int(b * den) for b in batnas]
    bound = (int(np.abs(g).max(initial=0)) * max(steps, default=1) + max((abs(x) for x in b_units), default=0))
    if bound < 2**62:
        units = g.astype(np.int64) * np.asarray(steps, dtype=np.int64)[None, :]
        b_arr = np.asarray(b_units, dtype=np.int64)
    else:  # exact Python integers (slower, only for extreme grids)
        units = g.astype(object) * np.asarray(steps, dtype=object)[None, :]
        b_arr = np.asarray(b_units, dtype=object)
    # the zone exactly as ``pareto_frontier(rational=True)`` draws it: grid points reaching the BATNA thresholds
    zone = np.all(g >= grid.thresholds(case.batnas)[None, :], axis=1)
    return _ExactPoints(units, b_arr, zone)


def _quantum(q: float) -> Fraction:
    """A grid step as an exact decimal (10**e; the engine's steps are powers of ten)."""
    e = round(math.log10(q))
    return Fraction(10) ** e if 10.0**e == q else Fraction(q)


def _exact_batna(b: float, quantum: Fraction, q: float) -> Fraction:
    """A BATNA as an exact rational: snapped to the grid when it lies on it (within the rounding of a float
    sum, like the engine's thresholds), otherwise the decimal the user wrote."""
    steps = b / q
    near = round(steps)
    if abs(steps - near) <= 1e-6:
        return near * quantum
    return Fraction(repr(b))


def _pick(rows: np.ndarray, keys: Sequence[_Key]) -> int:
    """The first of ``rows`` (frontier order) with the largest keys, compared lexicographically and exactly.

    Each level keeps the rows whose approximate value is within a relative ``_PRESELECT`` of the best (a
    superset of the exact maxima: the approximations err by about 1e-15 of their magnitudes), then keeps the
    exact maxima among them.
    """
    cand = np.asarray(rows, dtype=np.int64)
    for approx, magnitude, exact in keys:
        if cand.size <= 1:
            break
        v = approx[cand]
        top = float(v.max())
        if not np.isfinite(top):  # every candidate is −inf: exactly tied (a Nash product of 0)
            cand = cand[v == top]
            continue
        tol = _PRESELECT * max(1.0, abs(top), float(np.max(magnitude[cand])))
        cand = cand[v >= top - tol]
        if cand.size > 1:
            values = [exact(int(j)) for j in cand]
            best = max(values)
            cand = cand[np.array([x == best for x in values])]
    return int(cand[0])


def _fraction_sum(parts: Sequence[Fraction]) -> Fraction:
    total = Fraction(0)
    for x in parts:
        total += x
    return total


def _solution_keys(case: Case, ex: _ExactPoints) -> dict[str, list[_Key]]:
    """The exact, lexicographic keys of every solution point (see :data:`CONVENTIONS`)."""
    u, b = ex.units, ex.batnas
    n, p = u.shape
    uf = u.astype(float)
    bf = b.astype(float)
    ideal = u.max(axis=0) if n else b
    span = [int(x) for x in (ideal - b)]

    def joint_exact(j: int) -> Fraction:
        if case.shared_scales:
            return Fraction(sum(int(x) for x in u[j]))
        return _fraction_sum([Fraction(int(u[j, i] - b[i]), span[i]) for i in range(p) if span[i] > 0])

    span_f = np.asarray([float(x) if x > 0 else np.inf for x in span])
    if case.shared_scales:
        joint_f = uf.sum(axis=1)
        joint_mag = np.abs(uf).sum(axis=1)
    else:
        joint_f = ((uf - bf[None, :]) / span_f[None, :]).sum(axis=1)
        joint_mag = (np.abs(uf) + np.abs(bf)[None, :]) @ (1.0 / span_f)
    joint: _Key = (joint_f, joint_mag, joint_exact)
    keys: dict[str, list[_Key]] = {"max_joint": [joint]}

    zone = np.flatnonzero(ex.zone)
    if not zone.size:
        return keys
    surplus = u - b[None, :]
    surplus = np.where(surplus > 0, surplus, 0)  # zone points may sit a grid rounding below a BATNA
    sf = surplus.astype(float)
    z_ideal = u[zone].max(axis=0)
    z_span = [int(x) for x in (z_ideal - b)]

    def nash_exact(j: int) -> Fraction:
        return Fraction(math.prod(int(x) for x in surplus[j]))

    with np.errstate(divide="ignore"):
        logs = np.log(sf)
    log_nash = logs.sum(axis=1)
    keys["nash"] = [(log_nash, np.abs(np.where(np.isfinite(logs), logs, 0.0)).sum(axis=1), nash_exact), joint]

    def ks_gains(j: int) -> list[Fraction]:
        return [Fraction(int(surplus[j, i]), z_span[i]) if z_span[i] > 0 else Fraction(0) for i in range(p)]

    zs_f = np.asarray([float(x) if x > 0 else np.inf for x in z_span])
    gz = sf / zs_f[None, :]
    ones = np.ones(n)
    keys["kalai_smorodinsky"] = [(gz.min(axis=1), ones, lambda j: min(ks_gains(j))),
                                 (gz.sum(axis=1), ones * p, lambda j: _fraction_sum(ks_gains(j)))]
    if case.shared_scales:
        s_min: _Key = (sf.min(axis=1), sf.max(axis=1), lambda j: Fraction(min(int(x) for x in surplus[j])))
        s_sum: _Key = (sf.sum(axis=1), sf.sum(axis=1), lambda j: Fraction(sum(int(x) for x in surplus[j])))
        keys["egalitarian"] = [s_min, s_sum]
        keys["utilitarian"] = [(joint_f, joint_mag, joint_exact), s_min]
    return keys


def bargaining(case: Case, frontier: Frontier | None = None) -> Bargaining:
    """The bargaining zone and the Nash, Kalai–Smorodinsky, egalitarian and utilitarian points.

    Parameters
    ----------
    case : Case
    frontier : Frontier, optional
        The case's full (unrestricted) frontier, if already computed.

    Returns
    -------
    Bargaining

    Notes
    -----
    Solution points are taken on the frontier of the bargaining zone Z = {ω : u_i(ω) ≥ b_i ∀i}; none exist
    when Z is empty (an empty zone is a result, not an error). Nash maximises Π (u_i − b_i) (computed as
    Σ log, so large products cannot overflow); Kalai–Smorodinsky maximises min_i (u_i − b_i)/(ū_i − b_i)
    with ū the ideal point over Z; egalitarian maximises min_i (u_i − b_i) and utilitarian Σ u_i, both only
    when the case declares shared scales, since otherwise the parties' points are not comparable.

    Zone membership, maxima and ties are decided exactly on the frontier's integer grid
    (``Frontier.grid_points``): a point is in Z when its grid utilities reach the BATNA thresholds (as
    ``pareto_frontier(rational=True)`` draws Z), and products, minima and sums of surpluses and gains are
    compared as exact rationals, so two points tie only when they are truly equal on the grid. Among exact
    ties the first point in frontier order wins (the largest utility of the first party).

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 1, 2], "b": [0, 3]}, "B": {"a": [2, 1, 0], "b": [1, 0]}}, shared_scales=True)
    >>> b = bargaining(case)
    >>> b.solutions["nash"].package
    {'a': 'x', 'b': 'q'}
    """
    front = frontier if frontier is not None else pareto_frontier(case)
    u = front.utilities
    b = np.asarray(case.batnas, dtype=float)
    ideal = ideal_point(front)
    exact = _exact_points(case, front)
    scale = scale_of(case)
    joint_all = joint_values(case, u, ideal)
    max_joint = float(joint_all.max())
    comp = compromise_package(case)
    even = float(joint_values(case, case.utilities([comp]), ideal)[0])
    keys = _solution_keys(case, exact)

    solutions: dict[str, SolutionPoint] = {}

    def make(name: str, row: int) -> SolutionPoint:
        util = u[row]
        pkg = front.packages[row][0]
        return SolutionPoint(
            name, case.party_names, util, util - b, normalised_gains(util[None, :], b, ideal)[0],
            surplus_shares(case, util, ideal), float(joint_all[row]), case.labels(pkg), pkg,
            int(front.package_counts[row]), CONVENTIONS[name],
        )

    solutions["max_joint"] = make("max_joint", _pick(np.arange(len(u)), keys["max_joint"]))
    zone = np.flatnonzero(exact.zone)
    zone_ideal: FloatArray | None = None
    if zone.size:
        zone_ideal = u[zone].max(axis=0)
        for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
            if name in keys:
                solutions[name] = make(name, _pick(zone, keys[name]))
    return Bargaining(
        case.party_names, b, ideal, zone_ideal, not bool(zone.size), int(zone.size), len(front), scale,
        max_joint, even, solutions,
    )


def nash_point(case: Case, frontier: Frontier | None = None) -> SolutionPoint | None:
    """The Nash bargaining solution on the zone's frontier, or None when the zone is empty."""
    return bargaining(case, frontier).solutions.get("nash")
