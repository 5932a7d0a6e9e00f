"""Pre-settlement settlements and post-settlement settlements (docs/concepts.md#tactics-that-create-value).

* **Pre-settlement settlement (PreSS)** — a binding, partial, initial agreement on some issues (Thompson:
  formal, initial, partial), with the rest negotiated later. :func:`presettle` shows what fixing those issues
  keeps and costs: the restricted frontier against the full one, the joint value given up, and what each side
  can still hope for and must still fear.
* **Post-settlement settlement** — after an agreement, the agreement becomes every party's new BATNA and a
  mediator searches for packages that all prefer (Raiffa 1985). Because nobody can end up worse than the deal
  already signed, parties can reveal their preferences to the mediator without fear of exploitation.
  :func:`improve` lists the undominated such packages and proposes the Nash point relative to the agreement.

References
----------
Raiffa, H. (1985). Post-settlement settlements. *Negotiation Journal* 1(1), 9–12.
Raiffa, H. (1982). *The Art and Science of Negotiation*. Harvard University Press.
Thompson, L. *The Mind and Heart of the Negotiator* ("pre-settlement settlements", "search for
post-settlement settlements").
Nash, J. (1950). The bargaining problem. *Econometrica* 18(2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis._compile import utility_grid
from accord.analysis.bargaining import Scale, ideal_point, joint_values, scale_of, tolerance
from accord.analysis.frontier import DEFAULT_CAP, Frontier, grid_point, pareto_frontier
from accord.analysis.optimize import best_utilities
from accord.errors import RequestError
from accord.model import Case, Package, PartialPackage
from accord.model.preferences import FloatArray
from accord.tactics._exact import optimise


def _per_party(names: tuple[str, ...], a: FloatArray | None) -> dict[str, float] | None:
    return None if a is None else {p: float(x) for p, x in zip(names, a, strict=True)}


# ---------------------------------------------------------------------------------------------------------
# pre-settlement
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outlook:
    """What one region of packages (the whole space, or what a partial agreement leaves) holds for each side.

    Attributes (each a per-party array, None where undefined)
    ----------
    best : ndarray
        Each party's best utility over every package of the region.
    best_in_zone, worst_in_zone : ndarray or None
        Each party's best and worst utility over the region's frontier points that are individually rational
        (the outcomes a rational, efficient negotiation of the rest can end in). None when no such point exists.
    worst : ndarray
        Each party's worst utility over every package of the region (what a bad negotiation of the rest
        could leave it with, before any BATNA check).
    max_joint_value : float
        The region's largest joint value (on the case's scale).
    zone_empty : bool
        No package of the region gives every party its BATNA.
    nash : dict or None
        The Nash point of the region's zone: ``{"package", "utilities"}``.
    """

    best: FloatArray
    best_in_zone: FloatArray | None
    worst_in_zone: FloatArray | None
    worst: FloatArray
    max_joint_value: float
    zone_empty: bool
    nash: dict[str, Any] | None

    def to_dict(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {
            "best": _per_party(names, self.best),
            "best_in_zone": _per_party(names, self.best_in_zone),
            "worst_in_zone": _per_party(names, self.worst_in_zone),
            "worst": _per_party(names, self.worst),
            "max_joint_value": self.max_joint_value,
            "zone_empty": self.zone_empty,
            "nash": self.nash,
        }


@dataclass(frozen=True)
class PreSettlement:
    """What a binding partial agreement keeps and costs.

    Attributes
    ----------
    parties : tuple of str
    fixed : dict
        The issues fixed by the partial agreement, ``{issue: option}``.
    scale : str
        Scale of joint values: ``"points"`` (shared scales) or ``"normalised gains"`` (g_i with each party's
        best package over the *whole* space, so both regions are measured with one ruler).
    full, restricted : Frontier
        The frontier of the whole space and of the packages that agree with the fix.
    joint_value_lost : float
        max joint value (full) − max joint value (restricted), ≥ 0.
    points_kept : int
        Full-frontier points still reachable with the fix (each is also on the restricted frontier).
    outlook_full, outlook_fixed : Outlook
        Each side's best and worst outcomes before and after the fix.
    """

    parties: tuple[str, ...]
    fixed: dict[str, str]
    scale: Scale
    full: Frontier
    restricted: Frontier
    joint_value_lost: float
    points_kept: int
    outlook_full: Outlook
    outlook_fixed: Outlook

    @property
    def keeps_max_joint_value(self) -> bool:
        return self.joint_value_lost <= 1e-9 * max(1.0, abs(self.outlook_full.max_joint_value))

    def to_dict(self) -> dict[str, Any]:
        def points(front: Frontier) -> list[dict[str, Any]]:
            out: list[dict[str, Any]] = front.to_dict()["points"]
            return out

        return {
            "fixed": dict(self.fixed),
            "scale": self.scale,
            "joint_value_lost": self.joint_value_lost,
            "keeps_max_joint_value": self.keeps_max_joint_value,
            "max_joint_value": {"full": self.outlook_full.max_joint_value,
                                "fixed": self.outlook_fixed.max_joint_value},
            "frontier_size": {"full": len(self.full), "fixed": len(self.restricted)},
            "frontier_points_kept": self.points_kept,
            "grid": self.full.grid,
            "outlook": {"full": self.outlook_full.to_dict(self.parties),
                        "fixed": self.outlook_fixed.to_dict(self.parties)},
            "frontier": points(self.restricted),
            "full_frontier": points(self.full),
            "definitions": {
                "best": "each party's best utility over every package of the region",
                "best_in_zone/worst_in_zone": "over the region's individually rational frontier points",
                "worst": "each party's worst utility over every package of the region",
                "joint_value": "Σ u_i (shared scales) or Σ g_i with g_i normalised over the whole space",
            },
        }


def _outlook(case: Case, front: Frontier, fixed: Mapping[int, int], ideal: FloatArray) -> Outlook:
    u = front.utilities
    b = case.batnas
    tol = tolerance(np.concatenate([u.ravel(), b]))
    rational = np.all(u >= b[None, :] - tol, axis=1)
    worst = np.empty(case.n_parties)
    for i in range(case.n_parties):
        found = optimise(case, i, maximise=False, fixed=fixed)
        assert found is not None
        worst[i] = found[1]
    nash = None
    if rational.any():
        zone = u[rational]
        surplus = np.maximum(zone - b[None, :], 0.0)
        with np.errstate(divide="ignore"):
            log_nash = np.log(surplus).sum(axis=1)
        joint = joint_values(case, zone, ideal)
        # max Π (u_i − b_i); ties to the larger joint value (the convention of accord.analysis.bargaining)
        j = int(np.lexsort((-joint, -np.round(log_nash, 12)))[0])
        row = int(np.flatnonzero(rational)[j])
        nash = {"package": front.labels(front.packages[row][0]),
                "utilities": _per_party(case.party_names, u[row])}
    return Outlook(
        u.max(axis=0), u[rational].max(axis=0) if rational.any() else None,
        u[rational].min(axis=0) if rational.any() else None, worst,
        float(joint_values(case, u, ideal).max()), not bool(rational.any()), nash)


def presettle(case: Case, fixed: PartialPackage | Mapping[str, str] | str) -> PreSettlement:
    """What fixing some issues now (a pre-settlement settlement) keeps and costs of the frontier.

    Parameters
    ----------
    case : Case
    fixed : PartialPackage, mapping or "issue=option,..." text
        The partial agreement.

    Returns
    -------
    PreSettlement

    Raises
    ------
    RequestError
        Unknown issues or options, or an empty fix.

    Notes
    -----
    With R = {ω : ω_k = f_k for the fixed issues}: the restricted frontier is the undominated set of R (exact,
    :func:`~accord.analysis.frontier.pareto_frontier` with ``fixed``). Joint value J(ω) = Σ_i u_i(ω) with
    shared scales, else Σ_i g_i(ω) with g_i = (u_i − b_i) / (u_i^max − b_i) and u_i^max over the whole space;
    the value lost is max_Ω J − max_R J (the maximum of J is always reached on a frontier). Each side's best
    in R is its column maximum on R's frontier; best/worst in the zone are taken over R's individually
    rational frontier points; the absolute worst in R is min_{ω∈R} u_i(ω), computed exactly (per-issue
    minima for additive preferences, otherwise enumeration or a 0/1 programme). A full-frontier point is
    *kept* when it is also a point of R's frontier.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 4], "b": [0, 1]}, "B": {"a": [1, 0], "b": [0, 3]}}, shared_scales=True)
    >>> p = presettle(case, "b=p")
    >>> p.joint_value_lost, p.outlook_fixed.best.tolist()
    (4.0, [4.0, 1.0])
    """
    partial = fixed if isinstance(fixed, PartialPackage) else case.partial(fixed)
    if not partial.fixed:
        raise RequestError("a pre-settlement settlement fixes at least one issue, e.g. --fix salary=95k")
    fixed_map = partial.as_mapping()
    full = pareto_frontier(case)
    restricted = pareto_frontier(case, fixed=partial)
    ideal = ideal_point(full)
    out_full = _outlook(case, full, {}, ideal)
    out_fixed = _outlook(case, restricted, fixed_map, ideal)
    lost = max(0.0, out_full.max_joint_value - out_fixed.max_joint_value)
    tol = tolerance(full.utilities)
    kept = int(np.sum(np.any(np.all(np.abs(full.utilities[:, None, :] - restricted.utilities[None, :, :]) <= tol,
                                    axis=2), axis=1))) if len(restricted) else 0
    labels = {case.issues[k].name: case.issues[k].options[o] for k, o in sorted(fixed_map.items())}
    return PreSettlement(case.party_names, labels, scale_of(case), full, restricted, lost, kept, out_full,
                         out_fixed)


# ---------------------------------------------------------------------------------------------------------
# post-settlement
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Improvement:
    """A package every party weakly prefers to the agreement (one strictly), and no such package dominates.

    Attributes
    ----------
    package : dict
    package_index : tuple of int
    utilities : dict
        Each party's points (its own scale).
    gains : dict
        Each party's gain over the agreement, in its own points.
    package_count : int
        How many packages reach the same utilities.
    nash_product : float
        Π_i (u_i − a_i).
    joint_gain : float
        Σ gains (shared scales) or Σ g_i with the agreement as BATNA.
    no_gain : tuple of str
        The parties it leaves exactly where the agreement put them (empty: every party strictly gains).
    """

    package: dict[str, str]
    package_index: Package
    utilities: dict[str, float]
    gains: dict[str, float]
    package_count: int
    nash_product: float
    joint_gain: float
    no_gain: tuple[str, ...] = ()

    @property
    def strict(self) -> bool:
        """Whether every party strictly gains (a strict improvement), not merely one with the others equal."""
        return not self.no_gain

    def to_dict(self) -> dict[str, Any]:
        return {"package": dict(self.package), "utilities": dict(self.utilities), "gains": dict(self.gains),
                "package_count": int(self.package_count), "nash_product": self.nash_product,
                "joint_gain": self.joint_gain, "every_party_gains": self.strict, "no_gain": list(self.no_gain)}


@dataclass(frozen=True)
class PostSettlement:
    """The result of a post-settlement search (what a mediator holds; see :meth:`view_for`).

    Attributes
    ----------
    parties : tuple of str
    agreement : dict
    agreement_index : tuple of int
    agreement_utilities : dict
    individually_rational : bool
        Whether the agreement gives every party at least its (original) BATNA.
    pareto_optimal : bool
        No package dominates the agreement (every party ≥ and one >).
    improvements : tuple of Improvement
        The undominated improvements, best Nash product first, at most ``cap``.
    improvement_count : int
        How many distinct undominated improvement points exist (``improvement_packages``: how many packages
        reach them).
    strict_count : int
        How many of those points raise every party strictly (the others leave some party where it is).
    proposal : Improvement or None
        The Nash point relative to the agreement — a strict improvement whenever one exists; None when the
        agreement is Pareto-optimal.
    scale : str
        Scale of ``joint_gain``.
    cap : int
        Most improvements listed.
    grid : str
        The grids real issues were analysed on ("" if none).
    """

    parties: tuple[str, ...]
    agreement: dict[str, str]
    agreement_index: Package
    agreement_utilities: dict[str, float]
    individually_rational: bool
    pareto_optimal: bool
    improvements: tuple[Improvement, ...]
    improvement_count: int
    improvement_packages: int
    proposal: Improvement | None
    scale: Scale
    cap: int
    grid: str = ""
    strict_count: int = 0

    @property
    def message(self) -> str:
        if self.pareto_optimal:
            return "the agreement is already Pareto-optimal: no package makes one party better off and none worse"
        head = f"{self.improvement_count} undominated improvement(s) exist"
        if self.strict_count:
            return (f"{head}, {self.strict_count} of them better for every party; the proposal is the Nash point "
                    "relative to the agreement, and every party gains from it")
        assert self.proposal is not None
        return (f"{head}, but none is better for every party: the best one leaves "
                f"{_names(self.proposal.no_gain)} exactly where the agreement does — "
                f"{'it gains' if len(self.proposal.no_gain) == 1 else 'they gain'} nothing, and would agree only "
                "to help the others")

    def to_dict(self) -> dict[str, Any]:
        return {
            "agreement": dict(self.agreement),
            "agreement_utilities": dict(self.agreement_utilities),
            "individually_rational": self.individually_rational,
            "pareto_optimal": self.pareto_optimal,
            "message": self.message,
            "improvements": [i.to_dict() for i in self.improvements],
            "improvement_count": self.improvement_count,
            "strict_improvement_count": self.strict_count,
            "improvement_packages": self.improvement_packages,
            "cap": self.cap,
            "proposal": None if self.proposal is None else self.proposal.to_dict(),
            "scale": self.scale,
            "grid": self.grid,
            "convention": "proposal = max Π_i (u_i − a_i) over the undominated improvements, a = the agreement; "
                          "ties: larger joint gain",
        }

    def view_for(self, party: str) -> dict[str, Any]:
        """What the mediator tells ``party``: the proposal and that party's own points only.

        The other parties' utilities, gains and preferences are left out, so running a post-settlement
        search never reveals one side's table to the other.
        """
        if party not in self.parties:
            raise RequestError(f"unknown party {party!r}; the case has: {', '.join(self.parties)}")
        d: dict[str, Any] = {"party": party, "agreement": dict(self.agreement),
                             "pareto_optimal": self.pareto_optimal,
                             "your_agreement_points": self.agreement_utilities[party]}
        if self.proposal is not None:
            d["proposal"] = {"package": dict(self.proposal.package),
                             "your_points": self.proposal.utilities[party],
                             "your_gain": self.proposal.gains[party],
                             "you_gain_nothing": party in self.proposal.no_gain,
                             "every_party_gains": self.proposal.strict}
        else:
            d["proposal"] = None
        return d


def improve(case: Case, agreement: Package | Mapping[str, str] | str, *, cap: int = DEFAULT_CAP) -> PostSettlement:
    """Post-settlement settlement: the packages every party prefers to ``agreement``, and a proposal.

    The agreement becomes every party's BATNA (``case.with_batnas``). Each party's private preferences stay
    with the system acting as mediator: the result holds everyone's utilities for the analyst, and
    :meth:`PostSettlement.view_for` gives each party only the proposal and its own points.

    Parameters
    ----------
    case : Case
    agreement : package, mapping or "issue=option,..." text
        The agreement reached (every issue).
    cap : int
        Most improvements listed (their count is always reported).

    Returns
    -------
    PostSettlement

    Raises
    ------
    RequestError
        Unknown or missing issues or options; ``cap`` < 1.

    Notes
    -----
    Let a = u(agreement). An improvement is ω with u_i(ω) ≥ a_i for all i and u_j(ω) > a_j for some j. The
    undominated improvements are exactly the Pareto-frontier points in {u ≥ a} other than a itself (any
    package dominating an improvement is an improvement), so they come from the exact frontier restricted
    with ``preferred_to=agreement`` (compared on the frontier engine's grid, where the agreement's own point
    always qualifies and "strictly better for one party" is exact). The proposal maximises the Nash product
    Π_i (u_i − a_i) over them (Raiffa's suggestion; ties: larger joint gain — Σ (u_i − a_i) with shared
    scales, else Σ (u_i − a_i)/(u_i^max − a_i)). A strict improvement (every party gains) has a positive
    product, so it is always preferred to a weak one (some party gains nothing). If every improvement leaves
    some party exactly at a_i, all products are 0, the joint gain decides, and ``message`` says plainly which
    party gains nothing.
    None exist exactly when the agreement is Pareto-optimal. Gains are ranked in floating point.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 4], "b": [1, 0]}, "B": {"a": [1, 0], "b": [0, 3]}}, shared_scales=True)
    >>> r = improve(case, "a=x,b=p")
    >>> r.pareto_optimal, r.proposal.package, r.proposal.gains
    (False, {'a': 'y', 'b': 'q'}, {'A': 3.0, 'B': 2.0})
    >>> improve(case, "a=y,b=q").message
    'the agreement is already Pareto-optimal: no package makes one party better off and none worse'
    """
    if cap < 1:
        raise RequestError(f"cap must be at least 1, not {cap}")
    pkg = case.package(agreement)
    a = case.utilities(np.asarray(pkg, dtype=np.int64)[None, :])[0]
    names = case.party_names
    tol = tolerance(np.concatenate([a, case.batnas]))
    rational = bool(np.all(a >= case.batnas - tol))
    # The region every party weakly prefers to the agreement, drawn on the engine's grid: the agreement's own
    # point always qualifies, and a frontier point is a strict improvement exactly when its grid point differs
    # from the agreement's (every point of the region is at least the agreement's on the grid).
    front = pareto_frontier(case, cap=cap, preferred_to=pkg)
    u = front.utilities
    gains = u - a[None, :]
    tol = tolerance(np.concatenate([u.ravel(), a]))
    # Two-party frontiers merge exact real ties that per-option rounding put up to ``tie`` grid steps apart
    # (docs/concepts.md#frontier-and-ties), so a point within that window of the agreement is the agreement's own point.
    tie = utility_grid(case).tie if case.n_parties == 2 else np.zeros(case.n_parties, dtype=np.int64)
    offset = np.abs(front.grid_points - grid_point(case, pkg)[None, :])
    idx = np.flatnonzero(np.any(offset > tie[None, :], axis=1))
    improvements: list[Improvement] = []
    proposal = None
    n_packages = 0
    if idx.size:
        span = best_utilities(case) - a
        g = np.clip(gains[idx], 0.0, None)
        if case.shared_scales:
            joint = g.sum(axis=1)
        else:
            joint = np.where(span > tol, g / np.where(span > tol, span, 1.0), 0.0).sum(axis=1)
        with np.errstate(divide="ignore"):
            log_nash = np.log(g).sum(axis=1)
        order = np.lexsort((-joint, -np.round(log_nash, 12)))
        n_packages = int(sum(front.package_counts[i] for i in idx))
        # a party whose gain is within the comparison tolerance gains nothing (weak improvement for it)
        none = gains[idx] <= tol
        strict_count = int(np.sum(~none.any(axis=1)))
        for j in order[:cap]:
            row = int(idx[j])
            p = front.packages[row][0]
            improvements.append(Improvement(
                front.labels(p), p, _per_party(names, u[row]) or {}, _per_party(names, gains[row]) or {},
                int(front.package_counts[row]), float(np.prod(g[j])), float(joint[j]),
                tuple(n for n, z in zip(names, none[j], strict=True) if z)))
        proposal = improvements[0]
    else:
        strict_count = 0
    return PostSettlement(names, case.labels(pkg), pkg, _per_party(names, a) or {}, rational, not bool(idx.size),
                          tuple(improvements), int(idx.size), n_packages, proposal, scale_of(case), cap, front.grid,
                          strict_count)


def _names(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

