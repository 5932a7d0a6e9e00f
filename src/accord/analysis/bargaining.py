"""The bargaining zone and the solution points that claim value (DOMAIN §1, §4).

Everything here is computed on the exact Pareto frontier (:func:`accord.analysis.frontier.pareto_frontier`),
restricted to the bargaining zone (individually rational packages). Where parties' values are combined
(joint value, shares, egalitarian) raw points are used only when the case declares shared scales; otherwise
each party's **normalised gain** g_i(ω) = (u_i(ω) − b_i) / (u_i^max − b_i) is used — 0 at the BATNA, 1 at the
party's best package — and every result says which scale it used.

References
----------
Nash, J. (1950). The bargaining problem. *Econometrica* 18(2).
Kalai, E., Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem. *Econometrica* 43(3).
Thompson, L. *The Mind and Heart of the Negotiator*, ch. on integrative negotiation ("don't forget about
claiming").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

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


def _pick(scores: FloatArray, tiebreak: FloatArray) -> int:
    """Index of the max of ``scores`` (ties within tolerance broken by ``tiebreak``, then order)."""
    best = scores.max()
    tol = 1e-9 * max(1.0, abs(float(best))) if np.isfinite(best) else 0.0
    cand = np.flatnonzero(scores >= best - tol)
    return int(cand[np.argmax(tiebreak[cand])])


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
    tol = tolerance(np.concatenate([u.ravel(), b]))
    rational = np.all(u >= b[None, :] - tol, axis=1)
    scale = scale_of(case)
    joint_all = joint_values(case, u, ideal)
    max_joint = float(joint_all.max())
    comp = compromise_package(case)
    even = float(joint_values(case, case.utilities([comp]), ideal)[0])

    solutions: dict[str, SolutionPoint] = {}

    def make(name: str, row: int) -> SolutionPoint:
        util = u[row]
        pkg = front.packages[row][0]
        return SolutionPoint(
            name, case.party_names, util, util - b, normalised_gains(util[None, :], b, ideal)[0],
            surplus_shares(case, util, ideal), float(joint_all[row]), case.labels(pkg), pkg,
            int(front.package_counts[row]), CONVENTIONS[name],
        )

    solutions["max_joint"] = make("max_joint", _pick(joint_all, np.zeros(len(u))))
    zone = np.flatnonzero(rational)
    zone_ideal: FloatArray | None = None
    if zone.size:
        uz = u[zone]
        surplus = np.maximum(uz - b[None, :], 0.0)
        joint_z = joint_all[zone]
        with np.errstate(divide="ignore"):
            log_nash = np.log(surplus).sum(axis=1)
        solutions["nash"] = make("nash", int(zone[_pick(log_nash, joint_z)]))
        zone_ideal = uz.max(axis=0)
        gz = normalised_gains(uz, b, zone_ideal)
        solutions["kalai_smorodinsky"] = make("kalai_smorodinsky", int(zone[_pick(gz.min(axis=1), gz.sum(axis=1))]))
        if case.shared_scales:
            solutions["egalitarian"] = make(
                "egalitarian", int(zone[_pick(surplus.min(axis=1), surplus.sum(axis=1))]))
            solutions["utilitarian"] = make(
                "utilitarian", int(zone[_pick(uz.sum(axis=1), surplus.min(axis=1))]))
    return Bargaining(
        case.party_names, b, ideal, zone_ideal, not bool(zone.size), int(zone.size), len(front), scale,
        max_joint, even, solutions,
    )


def nash_point(case: Case, frontier: Frontier | None = None) -> SolutionPoint | None:
    """The Nash bargaining solution on the zone's frontier, or None when the zone is empty."""
    return bargaining(case, frontier).solutions.get("nash")
