"""The whole analysis of a case in one result: what ``accord analyze`` prints and the reports render.

:func:`analyze` runs, once each, the pieces of docs/concepts.md (kinds of issue to solution points) — issue kinds with
their evidence and the
logrolling pairs, the exact Pareto frontier, the bargaining zone and its solution points, the win-win
potential and the perception checks — and returns them in one frozen :class:`Analysis` with a JSON-ready
:meth:`Analysis.to_dict`. The command line, the HTML/Markdown reports and the web app all render this one
object, so they always say the same thing.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*, ch. 8.
Raiffa, H. (1982). *The Art and Science of Negotiation*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.bargaining import Bargaining, bargaining
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.analysis.issues import DEFAULT_TAU, IssueKinds, check_tau, classify_issues
from accord.analysis.logroll import Logrolls, logrolls
from accord.analysis.perception import Perception, perception
from accord.analysis.potential import Potential, win_win_potential
from accord.model import Case

#: Frontier points listed in :meth:`Analysis.to_dict` (the size is always exact).
MAX_POINTS = 200


@dataclass(frozen=True)
class Analysis:
    """Everything ``accord analyze`` reports about a case.

    Attributes
    ----------
    case : Case
        The case analysed.
    tau : float
        The tolerance τ used for issue kinds, logrolling pairs and perception flags.
    issues : IssueKinds
        Every issue's kind with its evidence, and the logrolling pairs.
    frontier : Frontier
        The exact Pareto frontier (unrestricted).
    bargaining : Bargaining
        Zone, ``zopa_empty``, solution points with each side's surplus share.
    potential : Potential
        Telltale signs of win-win potential and the advice.
    perception : Perception
        Checks of every estimate the case carries.
    trades : Logrolls
        Two-issue trades that leave every party strictly better off than the compromise package, best first
        (exactly what ``accord logroll`` lists for the case), with the best package deal.
    """

    case: Case
    tau: float
    issues: IssueKinds
    frontier: Frontier
    bargaining: Bargaining
    potential: Potential
    perception: Perception
    trades: Logrolls

    @property
    def zopa_empty(self) -> bool:
        """True when no package gives every party at least its BATNA."""
        return self.bargaining.zopa_empty

    @property
    def advice(self) -> tuple[str, ...]:
        """All advice: the win-win advice, with the perception warnings after the first item of it."""
        pot = self.potential.advice
        return (*pot[:1], *self.perception.advice, *pot[1:])

    @property
    def notes(self) -> tuple[str, ...]:
        """Caveats every output must state (grids, interaction terms, scale)."""
        out = [f"joint values, shares and gains use {self.bargaining.scale}"
               + (" (the case declares shared scales)" if self.case.shared_scales else
                  " (each party's points are its own; g = 0 at the BATNA, 1 at its best package)")]
        if self.frontier.grid:
            out.append(self.frontier.grid)
        out.extend(self.issues.notes)
        return tuple(out)

    def frontier_summary(self, max_points: int = MAX_POINTS) -> dict[str, Any]:
        """The frontier's size, method and spread, with at most ``max_points`` points (evenly spread, ends kept)."""
        f = self.frontier
        full = f.to_dict()
        pts = full.pop("points")
        if len(pts) > max_points:
            keep = np.unique(np.linspace(0, len(pts) - 1, max_points).round().astype(int))
            pts = [pts[int(i)] for i in keep]
        full["points"] = pts
        full["points_shown"] = len(pts)
        full["spread"] = {p: {"min": float(f.utilities[:, q].min()), "max": float(f.utilities[:, q].max())}
                          for q, p in enumerate(f.parties)}
        full["zone_points"] = self.bargaining.zone_frontier_size
        return full

    def to_dict(self, *, max_points: int = MAX_POINTS) -> dict[str, Any]:
        """JSON-ready form: ``{"case", "issues": [{"id", "kind", ...}], "zopa_empty", "bargaining", ...}``."""
        case = self.case
        kinds = self.issues.to_dict()
        return {
            "case": {
                "name": case.name,
                "description": case.description,
                "source": case.source,
                "parties": list(case.party_names),
                "issues": {i.name: list(i.options) for i in case.issues},
                "shared_scales": case.shared_scales,
                "packages": case.space_size,
                "additive": case.additive,
            },
            "tau": self.tau,
            "scale": self.bargaining.scale,
            "grid": self.frontier.grid,
            "issues": kinds["issues"],
            "kinds": dict(self.issues.kinds),
            "logrolling": kinds["logrolling"],
            "logrolling_count": kinds["logrolling_count"],
            "trades": self.trades.to_dict(),
            "reference_package": kinds["reference"],
            "zopa_empty": self.zopa_empty,
            "bargaining": self.bargaining.to_dict(),
            "frontier": self.frontier_summary(max_points),
            "potential": self.potential.to_dict(),
            "perception": self.perception.to_dict(),
            "advice": list(self.advice),
            "notes": list(self.notes),
        }


def analyze(case: Case, *, tau: float = DEFAULT_TAU, frontier: Frontier | None = None) -> Analysis:
    """Analyse a case: issue kinds, logrolling, frontier, bargaining zone, solution points, potential, perception.

    Parameters
    ----------
    case : Case
    tau : float, default 0.1
        Tolerance τ of docs/concepts.md#kinds-of-issue (issue kinds, logrolling pairs, perception flags).
    frontier : Frontier, optional
        The case's unrestricted frontier, if already computed.

    Returns
    -------
    Analysis

    Raises
    ------
    RequestError
        If ``tau`` is not in [0, 1).
    TooLargeError
        If the exact frontier does not fit (see :func:`~accord.analysis.frontier.pareto_frontier`).

    Notes
    -----
    The frontier is computed once and shared by every part. An empty bargaining zone is a result
    (``zopa_empty`` is True and there are no solution points), not an error.

    Examples
    --------
    >>> case = Case.from_tables("Job offer",
    ...     {"salary": ["90k", "95k", "100k"], "start": ["June", "July", "August"]},
    ...     {"candidate": {"salary": [0, 1000, 2000], "start": [0, 300, 600]},
    ...      "employer": {"salary": [2000, 1000, 0], "start": [1600, 800, 0]}},
    ...     batnas={"candidate": 1200, "employer": 0}, shared_scales=True)
    >>> result = analyze(case)
    >>> result.zopa_empty, result.issues.kinds
    (False, {'salary': 'distributive', 'start': 'integrative'})
    >>> result.to_dict()["issues"][0]["id"]
    'salary'
    """
    tau = check_tau(tau)
    front = frontier if frontier is not None else pareto_frontier(case)
    kinds = classify_issues(case, tau=tau, frontier=front)
    bar = bargaining(case, front)
    trades = logrolls(case, frontier=front)
    pot = win_win_potential(case, tau=tau, kinds=kinds, frontier=front, bargain=bar, trades=trades)
    per = perception(case, tau=tau)
    return Analysis(case, tau, kinds, front, bar, pot, per, trades)
