"""The mediator's computations for the web app, as thin calls into the analysis and tactics floors.

Everything here is a plain function of a :class:`~accord.model.Case` built from the stored submissions:
proposals are the bargaining zone's Pareto-efficient packages nearest the Nash point (from the exact frontier
engine, which never enumerates the outcome space), the mediator's chart shows the frontier in normalised
gains, the pyramid level comes from :func:`accord.analysis.pyramid.evaluate`, and post-settlement
improvements from :func:`accord.tactics.settlement.improve`. No database and no HTTP here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import AccordError
from accord.model import Case, Issue, Party, Preferences

#: Bounds on what a mediator may set up (checked before any computation; see docs/web.md).
MAX_PARTIES = 6
MAX_ISSUES = 8
MAX_OPTIONS = 8
MAX_NAME = 60
#: Post-settlement improvements offered at a time.
IMPROVEMENTS = 3
#: Partial packages the frontier engine may hold before a request is refused as too large.
FRONTIER_LIMIT = 200_000


@dataclass(frozen=True)
class Submitted:
    """One party's stored submission: points per option, BATNA points or a walk-away package."""

    name: str
    points: Mapping[str, Mapping[str, float]]
    batna: float | None
    batna_package: Mapping[str, str] | None


def build_case(name: str, issues: Sequence[tuple[str, Sequence[str]]], parties: Sequence[Submitted]) -> Case:
    """The case the mediator analyses: the negotiation's issues and every party's private points.

    Each party's points are on its own scale (``shared_scales=False``), so joint values use normalised gains.
    """
    iss = tuple(Issue.categorical(n, list(opts)) for n, opts in issues)
    party_objs = tuple(
        Party(p.name, batna=p.batna if p.batna_package is None else None,
              batna_package=None if p.batna_package is None else tuple((k, p.batna_package[k]) for k, _ in issues))
        for p in parties
    )
    prefs = tuple(
        Preferences(tuple(tuple(float(p.points[i][o]) for o in opts) for i, opts in issues)) for p in parties
    )
    return Case(name, iss, party_objs, prefs, shared_scales=False)


def package_index(issues: Sequence[tuple[str, Sequence[str]]], package: Mapping[str, str]) -> tuple[int, ...]:
    """Option indices of a stored ``{issue: option}`` package."""
    return tuple(list(opts).index(package[n]) for n, opts in issues)


@dataclass(frozen=True)
class Analysis:
    """What the mediator computes once every party has submitted.

    Attributes
    ----------
    frontier_gains : ndarray, shape (points, parties)
        Normalised gains of every frontier point (0 = BATNA, 1 = the party's best package).
    in_zone : ndarray of bool
        Which frontier points pass the case's agreement rule (the bargaining zone's frontier).
    nash : dict or None
        The Nash package (None when the bargaining zone is empty).
    note : str
        Why there are no proposals, or "".
    """

    frontier_gains: np.ndarray
    in_zone: np.ndarray
    nash: dict[str, str] | None
    note: str
    ideal: np.ndarray | None = None

    def gains_of(self, case: Case, packages: Sequence[Mapping[str, str]]) -> list[list[float]]:
        """Normalised gains of ``packages`` on the same scale as ``frontier_gains``."""
        from accord.analysis.bargaining import normalised_gains

        if self.ideal is None or not packages:
            return []
        u = case.utilities(np.asarray([case.package(dict(p)) for p in packages], dtype=np.int64))
        g = normalised_gains(u, np.asarray(case.batnas, dtype=float), self.ideal)
        return [[round(float(x), 6) for x in row] for row in g]


def analyse(case: Case) -> Analysis:
    """The frontier in normalised gains, which points are in the zone, and the Nash package (the mediator's chart).

    The proposals themselves come from :class:`accord.negotiation.mediated.MediatedSession`.
    """
    from accord.analysis.agreement import passes
    from accord.analysis.bargaining import bargaining, normalised_gains
    from accord.analysis.frontier import pareto_frontier

    try:
        front = pareto_frontier(case, cap=1, limit=FRONTIER_LIMIT)
    except AccordError as err:
        return Analysis(np.zeros((0, case.n_parties)), np.zeros(0, dtype=bool), None,
                        f"the case is too large to analyse here: {err.message}")
    u = front.utilities
    ideal = u.max(axis=0)
    gains = normalised_gains(u, np.asarray(case.batnas, dtype=float), ideal)
    nash = bargaining(case, front).solutions.get("nash")
    if nash is None:
        return Analysis(gains, passes(case, u), None,
                        "no package gives every party at least its BATNA: there is no bargaining zone", ideal)
    return Analysis(gains, passes(case, u), dict(nash.package), "", ideal)


def level(case: Case, package: Mapping[str, str]) -> dict[str, Any]:
    """The pyramid level of ``package`` (see docs/concepts.md) as ``{"level", "name"}``."""
    from accord.analysis.pyramid import evaluate

    ev = evaluate(case, dict(package), cap=1)
    return {"level": ev.level, "name": ev.level_name}


def improvements(case: Case, agreement: Mapping[str, str], *, k: int = IMPROVEMENTS) -> tuple[dict[str, str], ...]:
    """Up to ``k`` post-settlement improvements on ``agreement`` (best Nash product over it first)."""
    from accord.tactics.settlement import improve

    result = improve(case, dict(agreement), cap=k)
    return tuple(dict(i.package) for i in result.improvements)


def values(case: Case, party: str, packages: Sequence[Mapping[str, str]]) -> list[float]:
    """What each package is worth to ``party`` in its own points."""
    if not packages:
        return []
    idx = np.asarray([case.package(dict(p)) for p in packages], dtype=np.int64)
    return [float(x) for x in case.utilities(idx)[:, case.party_index(party)]]
