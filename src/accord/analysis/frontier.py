"""The exact Pareto frontier of a case (docs/concepts.md#frontier-and-ties), at any size the frontier itself fits in
memory.

:func:`pareto_frontier` returns every distinct undominated utility vector with its exact package count and up
to ``cap`` of the packages that reach it, for the whole outcome space or a region of it: only individually
rational packages, some issues fixed (a pre-settlement settlement), or packages every party weakly prefers to
given utilities or to an agreement (post-settlement). It does not enumerate the outcome space: the engine
(:mod:`accord.analysis._merge`) merges issue by issue and keeps only undominated partial packages, so a 30-issue
case with 10**30 packages is answered in well under a second when its frontier has some ten thousand points.
Interaction terms (GENIUS hyper-rectangles) are handled exactly by keeping partial packages apart while their
still-open terms differ, with branch-and-bound pruning against known packages. Only when that would hold more
than ``limit`` partial packages and the space has at most ``ENUMERATION_LIMIT`` (10**7) packages does it
enumerate them in chunks instead (and says so in ``Frontier.method``); beyond that it raises
:class:`~accord.errors.TooLargeError`.

Ties follow docs/concepts.md#frontier-and-ties through an integer grid per party (:mod:`accord.analysis._compile`):
integer points are
compared exactly, and other points on a decimal grid of about 1e-9 of the party's scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from accord.analysis._bounds import incumbents
from accord.analysis._compile import (
    REL_TOL,
    UtilityGrid,
    allowed_options,
    compile_case,
    grid_utilities,
    utility_grid,
)
from accord.analysis._enumerate import ENUMERATION_LIMIT, enumerate_frontier
from accord.analysis._merge import DEFAULT_LIMIT, Progress, list_packages, select, solve
from accord.analysis.agreement import passes_flags, rule_bounds
from accord.errors import RequestError, TooLargeError
from accord.model import Case, Package, PartialPackage
from accord.model.preferences import FloatArray

__all__ = ["DEFAULT_CAP", "DEFAULT_LIMIT", "REL_TOL", "Frontier", "grid_note", "grid_point", "pareto_frontier"]

#: Default number of packages listed per frontier point.
DEFAULT_CAP = 10
#: A threshold no package falls below (an ``at_least`` entry of -inf).
_NO_BOUND = -(2**62)


@dataclass(frozen=True)
class Frontier:
    """Distinct undominated utility vectors of a case, with the packages that reach each.

    Attributes
    ----------
    parties : tuple of str
        Column order of ``utilities``.
    issues : tuple of str
        Issue order of the packages.
    options : tuple of tuple of str
        Option labels per issue (to turn packages into labels).
    utilities : ndarray, shape (points, parties)
        One row per distinct undominated utility vector (the utility of the point's first listed package),
        sorted by the first party's utility, descending (then the next party's, descending).
    package_counts : tuple of int
        How many packages reach each point (exact Python ints; can exceed 2**63).
    packages : tuple of tuple of Package
        Up to ``cap`` packages (option indices) per point.
    cap : int
        The cap on listed packages per point.
    exact : bool
        Always True for results of :func:`pareto_frontier` (it raises rather than approximate).
    method : str
        Which algorithm produced it.
    restriction : str
        Human-readable restriction ("" = the whole outcome space).
    grid : str
        The grids real issues were analysed on ("" if none).
    grid_points : ndarray of int64, shape (points, parties)
        The points on the engine's integer grid (``utilities`` ≈ ``grid_points * quantum``); exact and
        tie-free, for code that needs to compare points exactly.
    quantum : ndarray, shape (parties,)
        Points per grid step of each party (1 for integer points).
    """

    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    utilities: FloatArray
    package_counts: tuple[int, ...]
    packages: tuple[tuple[Package, ...], ...]
    cap: int = DEFAULT_CAP
    exact: bool = True
    method: str = ""
    restriction: str = ""
    grid: str = ""
    grid_points: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64), compare=False,
                                    repr=False)
    quantum: FloatArray = field(default_factory=lambda: np.zeros(0), compare=False, repr=False)
    _meta: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return int(self.utilities.shape[0])

    @property
    def total_packages(self) -> int:
        """How many packages reach the frontier (sum of the counts; exact)."""
        return sum(self.package_counts)

    def labels(self, package: Package) -> dict[str, str]:
        """``{issue: option}`` of a package."""
        return {i: opts[o] for i, opts, o in zip(self.issues, self.options, package, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"parties", "exact", "points": [{"utilities", "package_count", "packages"}]}``."""
        return {
            "parties": list(self.parties),
            "exact": self.exact,
            "method": self.method,
            "restriction": self.restriction,
            "grid": self.grid,
            "package_cap": self.cap,
            "size": len(self),
            "points": [
                {
                    "utilities": {p: float(u) for p, u in zip(self.parties, row, strict=True)},
                    "package_count": int(count),
                    "packages": [self.labels(pkg) for pkg in pkgs],
                }
                for row, count, pkgs in zip(self.utilities, self.package_counts, self.packages, strict=True)
            ],
        }


def grid_note(case: Case) -> str:
    """Statement of the grids real issues are analysed on, for every output.

    Examples
    --------
    >>> from accord.model import Issue, Party, Preferences
    >>> case = Case("t", (Issue.real_interval("price", 0, 1, grid=5),), (Party("A"), Party("B")),
    ...             (Preferences(((0, 1, 2, 3, 4),)), Preferences(((4, 3, 2, 1, 0),))))
    >>> grid_note(case)
    'real issues analysed on a grid: price on 5 points'
    """
    parts = [f"{i.name} on {i.grid} points" for i in case.issues if i.type == "real"]
    return ("real issues analysed on a grid: " + ", ".join(parts)) if parts else ""


def grid_point(case: Case, package: Package | Mapping[str, str] | str) -> np.ndarray:
    """A package's utilities on the integer grid :func:`pareto_frontier` compares on (one int64 per party).

    Comparable with :attr:`Frontier.grid_points` of any frontier of the same case, so code can tell exactly
    whether a frontier point equals or improves on an agreement (``preferred_to`` uses the same numbers).

    Raises
    ------
    RequestError
        Unknown issue or option, or an incomplete package.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 2]}, "B": {"a": [0.5, 0.25]}})
    >>> grid_point(case, "a=y").tolist()
    [2, 2500000000]
    """
    pkg = case.package(package)
    out: np.ndarray = grid_utilities(case, utility_grid(case), np.asarray([pkg], dtype=np.int64))[0]
    return out


def pareto_frontier(
    case: Case,
    *,
    cap: int = DEFAULT_CAP,
    rational: bool = False,
    fixed: PartialPackage | Mapping[str, str] | None = None,
    at_least: Sequence[float] | FloatArray | None = None,
    preferred_to: Package | Mapping[str, str] | str | None = None,
    limit: int = DEFAULT_LIMIT,
    progress: Progress | None = None,
) -> Frontier:
    """The exact Pareto frontier of ``case``, optionally restricted to a region.

    Parameters
    ----------
    case : Case
    cap : int
        Packages listed per frontier point (the count is always exact). 0 lists none.
    rational : bool
        Only individually rational packages (every party at least its BATNA): the frontier of the
        bargaining zone (docs/concepts.md#bargaining-zone).
    fixed : PartialPackage or mapping, optional
        Issues fixed to one option (a pre-settlement settlement, docs/concepts.md#pre-settlement-settlement).
    at_least : sequence of float, optional
        Only packages that give every party at least these utilities (in the case's party order; -inf for no
        bound on a party).
    preferred_to : package, mapping or "issue=option,..." string, optional
        Only packages every party weakly prefers to this agreement (post-settlement,
        docs/concepts.md#post-settlement-settlement). Compared on
        the engine's grid, so the agreement's own point always qualifies.
    limit : int
        Most partial packages the engine may hold after one issue. Beyond it, spaces of at most
        ``ENUMERATION_LIMIT`` packages are enumerated in chunks instead (exact too); larger ones raise
        :class:`TooLargeError` rather than run for hours.
    progress : callable, optional
        Called as ``progress(done, total, partial_packages)`` after every issue (or enumerated chunk).

    Returns
    -------
    Frontier

    Raises
    ------
    RequestError
        Unknown issue, option or party; ``at_least`` of the wrong length; a negative cap.
    TooLargeError
        The frontier (or the engine's intermediate one) does not fit within ``limit``.

    Notes
    -----
    ω' dominates ω when u_i(ω') ≥ u_i(ω) for every party and > for one. The undominated packages of a region
    {ω : u(ω) ≥ a} are exactly the frontier's packages inside it, because whatever dominates a package of the
    region is in the region too; so a restricted frontier is never larger than the region's undominated part,
    however many packages the region holds (their number appears only in the counts). Fixing issues changes
    the outcome space itself: its frontier is computed on the remaining issues.

    Values are compared on an integer grid per party (1 point for integer cases, which makes ties and counts
    exact; otherwise a decimal step finer than ``REL_TOL`` times the party's largest utility). Each option is
    rounded to the grid on its own, so two packages whose real utilities are equal can land up to ``m`` steps
    apart (``m`` = issues + interaction terms); with two parties such near-ties (always within one ``REL_TOL``
    step) count as one point, as docs/concepts.md#frontier-and-ties asks; with three or more parties the grid sums are
    compared exactly.
    ``utilities`` reports the true utility of each point's first package. See :mod:`accord.analysis._merge`
    for the engine, including how capped utilities (GENIUS caps at 1) keep their package counts exact.

    References
    ----------
    Raiffa, *The Art and Science of Negotiation* (1982), ch. 11 (the efficient frontier); Raiffa,
    "Post-settlement settlements", Negotiation Journal 1(1), 1985; Nemhauser & Ullmann (1969).

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...                         {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [2, 0]}})
    >>> f = pareto_frontier(case)
    >>> f.utilities.tolist(), f.package_counts, f.packages[1]
    ([[3.0, 0.0], [2.0, 2.0], [0.0, 3.0]], (1, 1, 1), ((1, 0),))
    >>> pareto_frontier(case, at_least=[1, 1]).utilities.tolist()
    [[2.0, 2.0]]
    """
    if cap < 0:
        raise RequestError(f"the package cap must be 0 or more, not {cap}")
    grid = utility_grid(case)
    partial = case.partial(fixed) if isinstance(fixed, Mapping) else fixed
    fixed_map = partial.as_mapping() if partial is not None else {}
    allowed = allowed_options(case, fixed_map)
    notes: list[str] = []
    bounds: list[np.ndarray] = []
    ruled = rational and not case.unanimous
    if rational:
        # under a quorum rule only the veto parties bound every passing package; the rule filters the points
        bounds.append(np.where(rule_bounds(case), grid.thresholds(case.batnas), _NO_BOUND))
        notes.append("individually rational" if not ruled else "passing the rule: "
                     + case.agreement.describe(case.n_parties))
    if at_least is not None:
        a = np.asarray(at_least, dtype=float).reshape(-1)
        if a.size != case.n_parties or np.any(np.isnan(a) | (a == np.inf)):
            raise RequestError(f"at_least needs one utility per party ({', '.join(case.party_names)}; -inf for "
                               f"no bound), got {a.size} values: {', '.join(f'{x:g}' for x in a)}")
        free = a == -np.inf
        bounds.append(np.where(free, _NO_BOUND, grid.thresholds(np.where(free, 0.0, a))))
        notes.append("at least " + ", ".join(f"{p} {x:g}" for p, x, f in zip(case.party_names, a, free,
                                                                               strict=True) if not f))
    if preferred_to is not None:
        agreement = case.package(preferred_to)
        bounds.append(grid_utilities(case, grid, np.asarray(agreement, dtype=np.int64))[0])
        shown = ", ".join(f"{k}={v}" for k, v in case.labels(agreement).items())
        notes.append(f"every party weakly prefers it to {shown}")
    if fixed_map:
        notes.append("fixed " + ", ".join(f"{case.issues[k].name}={case.issues[k].options[o]}"
                                           for k, o in sorted(fixed_map.items())))
    thresholds = np.max(np.stack(bounds), axis=0) if bounds else None
    problem = compile_case(case, grid, allowed)
    known = None
    if problem.n_terms or problem.capped.any():
        # Any known package may prune, even outside a restricted region: whatever it dominates is either
        # outside the region or dominated by a package inside it (the region is closed upwards).
        known = incumbents(case, grid, allowed)
    try:
        outcome = solve(problem, thresholds=thresholds, incumbents=known, limit=limit, progress=progress)
    except TooLargeError as err:
        if problem.space > ENUMERATION_LIMIT:
            raise TooLargeError(f"{err.message}; the {problem.space:,} packages are too many to enumerate "
                                f"instead (at most {ENUMERATION_LIMIT:,})") from None
        points, counts, rows, point = enumerate_frontier(case, grid, allowed, max(cap, 1), thresholds=thresholds,
                                                         progress=progress)
        meta = {"peak_states": None, "space": problem.space, "multi_issue_terms": problem.n_terms}
        method = f"chunked enumeration of all {problem.space:,} packages"
        front = _assemble(case, grid, points, tuple(counts), rows, point, cap, "; ".join(notes), method, meta)
        return _passing(case, grid, front) if ruled else front
    if ruled:  # keep only the passing points: the frontier of the passing packages (monotone rule)
        ok = passes_flags(case, outcome.points >= grid.thresholds(case.batnas)[None, :])
        outcome = select(outcome, np.flatnonzero(ok))
    rows, point = list_packages(problem, outcome, case.n_issues, max(cap, 1))
    meta = {"peak_states": outcome.states, "space": problem.space, "multi_issue_terms": problem.n_terms}
    return _assemble(case, grid, outcome.points, outcome.counts, rows, point, cap, "; ".join(notes),
                     outcome.method, meta)


def _passing(case: Case, grid: UtilityGrid, front: Frontier) -> Frontier:
    """The frontier points that pass the case's agreement rule (judged on the grid, like the thresholds)."""
    ok = passes_flags(case, front.grid_points >= grid.thresholds(case.batnas)[None, :])
    keep = np.flatnonzero(ok)
    return replace(front, utilities=front.utilities[keep],
                   package_counts=tuple(front.package_counts[int(j)] for j in keep),
                   packages=tuple(front.packages[int(j)] for j in keep), grid_points=front.grid_points[keep])


def _assemble(case: Case, grid: UtilityGrid, points: np.ndarray, counts: tuple[int, ...], rows: np.ndarray,
              point: np.ndarray, cap: int, restriction: str, method: str, meta: dict[str, Any]) -> Frontier:
    """Build the :class:`Frontier` from grid points, counts and listed packages (rows grouped by point)."""
    f = points.shape[0]
    if f:
        bounds = np.searchsorted(point, np.arange(f + 1))
        utilities = case.utilities(rows[bounds[:-1]])
        listed = rows.tolist()
        packages = tuple(tuple(tuple(r) for r in listed[bounds[j]:min(bounds[j + 1], bounds[j] + cap)])
                         for j in range(f))
    else:
        utilities = np.zeros((0, case.n_parties))
        packages = ()
    return Frontier(
        case.party_names, case.issue_names, tuple(i.options for i in case.issues), utilities, counts, packages,
        cap, True, method, restriction, grid_note(case), points, grid.quantum, meta,
    )
