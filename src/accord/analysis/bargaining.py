"""The bargaining zone and the solution points that claim value (docs/concepts.md#bargaining-zone, #solution-points).

Everything here is computed on the exact Pareto frontier (:func:`accord.analysis.frontier.pareto_frontier`),
restricted to the bargaining zone (individually rational packages). Where parties' values are combined
(joint value, shares, egalitarian) raw points are used only when the case declares shared scales; otherwise
each party's **normalised gain** g_i(ω) = (u_i(ω) − b_i) / (u_i^max − b_i) is used — 0 at the BATNA, 1 at the
party's best package — and every result says which scale it used.

Which frontier point a solution picks, and which of two tied points wins, is decided exactly: on the frontier
engine's integer grid (:attr:`Frontier.grid_points <accord.analysis.frontier.Frontier.grid_points>`, where
integer points are exact and other points are compared on a decimal grid of about 1e-9 of each party's scale,
docs/concepts.md#frontier-and-ties), with Nash products, gains and sums compared as exact rationals. Floating point only
pre-selects
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
from accord.analysis.agreement import passes_flags, zone_distribution
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
    "max_joint": ("max joint value: Σ u_i with shared scales, otherwise Σ normalised gains g_i; among the "
                  "packages reaching it, one inside the bargaining zone when there is one"),
}

#: How a solution point is chosen among exactly tied frontier points — never by the order of the parties.
TIE_RULE = ("ties: the most balanced point (its normalised gains g_i, sorted from the worst-off party up, "
            "compared in turn: leximin), then the first package in issue and option order")


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
    """Joint value of each row: Σ u_i with shared scales, otherwise Σ g_i
    (docs/concepts.md#scales-and-normalised-gains)."""
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
    tied_points : int
        How many frontier points reach the same best value (1 when the solution is unique); the one shown
        is chosen by :data:`TIE_RULE`, which never looks at the order of the parties.
    tied_packages : int
        How many packages reach that best value (the package counts of the tied points, summed).
    in_zone : bool
        Whether the point gives every party at least its BATNA (``max_joint`` may lie outside the zone when
        no max-joint package is inside it).
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
    tied_points: int = 1
    tied_packages: int = 1
    in_zone: bool = True

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
            "tied_points": int(self.tied_points),
            "tied_packages": int(self.tied_packages),
            "in_zone": self.in_zone,
            "tie_rule": TIE_RULE,
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
        Joint value of the compromise package (every issue split down the middle, docs/concepts.md#the-pyramid).
    solutions : dict of str to SolutionPoint
        Nash, Kalai–Smorodinsky, and (shared scales) egalitarian and utilitarian; plus ``max_joint``.
    zone_size : int or None
        Packages in the bargaining zone, i.e. that pass the agreement rule (None when more than
        :data:`~accord.analysis.agreement.ZONE_LIMIT`, or when counting would hold more than 250,000 distinct
        partial utility vectors — real-valued points over many issues).
    agreement_rule : str
        The agreement rule in words (see docs/concepts.md, "Agreement rules").
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
    zone_size: int | None = None
    agreement_rule: str = "unanimity (every party accepts)"

    def to_dict(self) -> dict[str, Any]:
        def per_party(a: FloatArray | None) -> dict[str, float] | None:
            return None if a is None else {p: float(x) for p, x in zip(self.parties, a, strict=True)}

        return {
            "batnas": per_party(self.batnas),
            "ideal": per_party(self.ideal),
            "zone_ideal": per_party(self.zone_ideal),
            "zopa_empty": self.zopa_empty,
            "zone_frontier_size": self.zone_frontier_size,
            "zone_size": self.zone_size,
            "agreement_rule": self.agreement_rule,
            "frontier_size": self.frontier_size,
            "scale": self.scale,
            "max_joint_value": self.max_joint_value,
            "even_split_value": self.even_split_value,
            "solutions": {k: v.to_dict() for k, v in self.solutions.items()},
            "conventions": {k: CONVENTIONS[k] for k in self.solutions},
        }


def compromise_package(case: Case) -> Package:
    """The compromise package of docs/concepts.md#the-pyramid: on each issue, the option maximising min_i e_ik(o).

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


def middle_package(case: Case) -> tuple[Package, tuple[str, ...]]:
    """The literal middle of every ordered issue, and the compromise option of every other one.

    For an integer or real issue the middle is the option whose value is nearest the midpoint of its lowest
    and highest value; for an ordinal issue, the middle rank. When two options are equally near (an even
    number of ranks, or values that straddle the midpoint) the earlier one is taken. A categorical issue has
    no middle, so it keeps the option of :func:`compromise_package`. This is the package a class that "splits
    every issue down the middle" reaches, which a teacher compares with the compromise package.

    Returns
    -------
    package : Package
    literal : tuple of str
        The names of the issues that have a literal middle (the ordered ones).

    Examples
    --------
    >>> from accord.model import Issue, Party, Preferences
    >>> case = Case("t", (Issue.integer_range("days", 0, 3), Issue.categorical("car", ["no", "yes"])),
    ...             (Party("A"), Party("B")),
    ...             (Preferences(((0, 1, 2, 3), (0, 1))), Preferences(((3, 2, 1, 0), (0, 1)))))
    >>> middle_package(case)
    ((1, 1), ('days',))
    """
    comp = compromise_package(case)
    out: list[int] = []
    literal: list[str] = []
    for k, issue in enumerate(case.issues):
        if not issue.ordered or issue.size < 2:
            out.append(comp[k])
            continue
        literal.append(issue.name)
        values = np.asarray(issue.values if issue.values is not None else range(issue.size), dtype=float)
        mid = (values.min() + values.max()) / 2
        dist = np.abs(values - mid)
        out.append(int(np.flatnonzero(dist <= dist.min() + 1e-12 * max(1.0, abs(mid)))[0]))
    return tuple(out), tuple(literal)


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
    zone = passes_flags(case, g >= grid.thresholds(case.batnas)[None, :])  # the agreement rule
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


def _ties(rows: np.ndarray, keys: Sequence[_Key]) -> np.ndarray:
    """Every one of ``rows`` with the largest keys, compared lexicographically and exactly.

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
    return cand


def _balanced(case: Case, cand: np.ndarray, ex: _ExactPoints, front: Frontier) -> tuple[int, Package]:
    """The tied row to show, by :data:`TIE_RULE`: the largest sorted vector of exact normalised gains
    (leximin), then the first package in option order. Both are blind to the order of the parties, unlike the
    frontier's row order (sorted by the first party's points)."""
    u, b = ex.units, ex.batnas
    span = [int(x) for x in (u.max(axis=0) - b)] if len(u) else []

    def balance(j: int) -> tuple[Fraction, ...]:
        return tuple(sorted(Fraction(int(u[j, i] - b[i]), span[i]) if span[i] > 0 else Fraction(0)
                            for i in range(len(span))))

    best = max(balance(int(j)) for j in cand) if len(cand) > 1 else None
    kept = [int(j) for j in cand if best is None or balance(int(j)) == best]
    return min(((j, first_package(case, front, j)) for j in kept), key=lambda jp: jp[1])


def first_package(case: Case, front: Frontier, row: int) -> Package:
    """The first package in issue and option order that reaches frontier point ``row``.

    The frontier lists up to ``cap`` packages per point in an order that depends on how the parties are
    listed; when it lists them all, the smallest is the answer. Otherwise each issue in turn is fixed to its
    first option that still lets some package reach the point (a restricted frontier per option tried: at
    most Σ_k |options_k| small searches, run only for points with more packages than the frontier lists).
    """
    listed = front.packages[row]
    if listed and len(listed) >= int(front.package_counts[row]):
        return min(listed)
    if not listed:
        raise ValueError("the frontier lists no package for this point (cap=0)")
    return first_package_like(case, listed[0])


def first_package_like(case: Case, anchor: Package) -> Package:
    """The first package in issue and option order whose utilities equal those of ``anchor``, a Pareto-optimal
    package: each issue in turn takes its first option with which some package is still weakly preferred to
    ``anchor`` by every party (which, ``anchor`` being undominated, means equal to it on the frontier grid)."""
    chosen: dict[str, str] = {}
    for k, issue in enumerate(case.issues):
        for option in issue.options:
            trial = {**chosen, issue.name: option}
            if len(pareto_frontier(case, fixed=trial, preferred_to=anchor, cap=0)):
                chosen = trial
                break
        else:  # pragma: no cover - the anchor's own option always qualifies
            chosen[issue.name] = issue.options[anchor[k]]
    return tuple(case.issues[k].index(chosen[i.name]) for k, i in enumerate(case.issues))


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
    ties the most balanced point wins (leximin of the normalised gains), then the first package in issue and
    option order (:data:`TIE_RULE`): listing the parties in another order permutes the columns of every
    solution and changes nothing else. Each solution says how many points and packages tie. The max-joint
    point is shown inside the bargaining zone when some max-joint package is in it.

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

    def make(name: str, ties: np.ndarray, among: np.ndarray | None = None) -> SolutionPoint:
        # ``among``: the tied rows the shown point may come from (max joint: those inside the zone, if any)
        row, pkg = _balanced(case, ties if among is None or not among.size else among, exact, front)
        util = u[row]
        return SolutionPoint(
            name, case.party_names, util, util - b, normalised_gains(util[None, :], b, ideal)[0],
            surplus_shares(case, util, ideal), float(joint_all[row]), case.labels(pkg), pkg,
            int(front.package_counts[row]), CONVENTIONS[name], int(ties.size),
            sum(int(front.package_counts[int(j)]) for j in ties), bool(exact.zone[row]),
        )

    best_joint = _ties(np.arange(len(u)), keys["max_joint"])
    solutions["max_joint"] = make("max_joint", best_joint, best_joint[exact.zone[best_joint]])
    zone = np.flatnonzero(exact.zone)
    zone_ideal: FloatArray | None = None
    if zone.size:
        zone_ideal = u[zone].max(axis=0)
        for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
            if name in keys:
                solutions[name] = make(name, _ties(zone, keys[name]))
    # the zone's size is reported in passing: bound the work (None = "not counted", never a wrong count)
    counted = zone_distribution(case, tol=tolerance(np.concatenate([u.ravel(), b])), max_states=250_000)
    return Bargaining(
        case.party_names, b, ideal, zone_ideal, not bool(zone.size), int(zone.size), len(front), scale,
        max_joint, even, solutions, None if counted is None else int(counted[1].sum()),
        case.agreement.describe(case.n_parties),
    )


def nash_point(case: Case, frontier: Frontier | None = None) -> SolutionPoint | None:
    """The Nash bargaining solution on the zone's frontier, or None when the zone is empty."""
    return bargaining(case, frontier).solutions.get("nash")
