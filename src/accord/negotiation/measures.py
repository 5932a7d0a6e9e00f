"""Measures of negotiated outcomes, taken with the analysis floor (see docs/concepts.md on the frontier,
solution points and the pyramid).

Per negotiation: agreement, rounds, each side's utility and share of the surplus, joint value, Pareto-optimal
or not, distance to the frontier and to the Nash point, pyramid level and, on compatible issues, the number of
lose-lose settlements (an option that is not best for every party where one exists). A :class:`Measurer` is
built once per case: the frontier, its pyramid reference and the Nash point are computed once, and any number
of outcomes are then measured with :func:`accord.analysis.pyramid.assess` in one vectorised call. When the
case's frontier is too large to hold, Pareto-optimality comes from the exact single-package search
(:func:`accord.analysis.pyramid.evaluate` one outcome at a time) and the distance to Nash is not reported.

An impasse gives every party its BATNA; it has no level and is not Pareto-optimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.bargaining import nash_point, normalised_gains
from accord.analysis.issues import best_masks
from accord.analysis.optimize import best_utilities
from accord.analysis.pyramid import PyramidReference, assess, evaluate, reference_for
from accord.errors import TooLargeError
from accord.model import Case, Package
from accord.model.preferences import FloatArray

__all__ = ["Measurer", "Measures"]


@dataclass(frozen=True)
class Measures:
    """The measures of one negotiated outcome.

    Attributes
    ----------
    agreement : bool
    utilities : dict
        party → points (the BATNA on impasse).
    shares : dict
        party → share of the surplus (raw surplus with shared scales, else of Σ normalised gains); NaN when
        nobody gains.
    joint_value : float
        Σ u (shared scales) or Σ normalised gains.
    pareto_optimal : bool
    level : int or None
        Pyramid level 0–3 (None on impasse).
    distance_frontier : float or None
        Distance in normalised gains to the nearest frontier point that weakly dominates the outcome.
    distance_nash : float or None
        Distance in normalised gains to the Nash point (None when the zone is empty or too large to search).
    lose_lose : int or None
        Compatible issues settled on an option that is not best for every party (None on impasse).
    """

    agreement: bool
    utilities: dict[str, float]
    shares: dict[str, float]
    joint_value: float
    pareto_optimal: bool
    level: int | None
    distance_frontier: float | None
    distance_nash: float | None
    lose_lose: int | None

    def to_dict(self) -> dict[str, Any]:
        def clean(x: float | None) -> float | None:
            return None if x is None or not np.isfinite(x) else float(x)

        return {
            "agreement": self.agreement,
            "utilities": dict(self.utilities),
            "shares": {k: clean(v) for k, v in self.shares.items()},
            "joint_value": clean(self.joint_value),
            "pareto_optimal": self.pareto_optimal,
            "level": self.level,
            "distance_frontier": clean(self.distance_frontier),
            "distance_nash": clean(self.distance_nash),
            "lose_lose": self.lose_lose,
        }


class Measurer:
    """Measures outcomes of one case (frontier, pyramid reference and Nash point computed once)."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.reference: PyramidReference | None
        try:
            self.reference = reference_for(case, cap=1)
        except TooLargeError:
            self.reference = None
        self.ideal: FloatArray = (self.reference.ideal if self.reference is not None else best_utilities(case))
        self.nash_gains: FloatArray | None = None
        if self.reference is not None:
            sol = nash_point(case, self.reference.frontier)
            if sol is not None:
                self.nash_gains = np.asarray(sol.gains, dtype=float)
        masks = [best_masks(s) for s in case.scores]
        self.compatible = [np.flatnonzero(mk.all(axis=0)) for mk in masks]  # mutually best options per issue

    def lose_lose(self, package: Package) -> int:
        return sum(1 for k, best in enumerate(self.compatible) if best.size and package[k] not in set(best.tolist()))

    def measure(self, packages: Sequence[Package | None]) -> list[Measures]:
        """Measure many outcomes (None = impasse) at once."""
        case = self.case
        b = np.asarray(case.batnas, dtype=float)
        n = len(packages)
        u = np.tile(b, (n, 1))
        agreed = [i for i, p in enumerate(packages) if p is not None]
        if agreed:
            u[agreed] = case.utilities(np.asarray([packages[i] for i in agreed], dtype=np.int64))
        g = normalised_gains(u, b, self.ideal)
        joint = u.sum(axis=1) if case.shared_scales else g.sum(axis=1)
        surplus = np.maximum(u - b[None, :] if case.shared_scales else g, 0.0)
        tot = surplus.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(tot[:, None] > 0, surplus / np.where(tot > 0, tot, 1.0)[:, None], np.nan)
        pareto = np.zeros(n, dtype=bool)
        level = np.full(n, -1)
        dist = np.full(n, np.nan)
        if agreed and self.reference is not None:
            res = assess(self.reference, u[agreed])
            pareto[agreed] = res.pareto_optimal
            level[agreed] = res.levels
            dist[agreed] = res.distance
        elif agreed:
            for i in agreed:
                pkg = packages[i]
                assert pkg is not None
                ev = evaluate(case, pkg, cap=1)
                pareto[i] = ev.pareto_optimal
                level[i] = ev.level
                dist[i] = np.nan if ev.distance is None else ev.distance
        dn = (np.linalg.norm(g - self.nash_gains[None, :], axis=1) if self.nash_gains is not None
              else np.full(n, np.nan))
        out = []
        names = case.party_names
        for i, p in enumerate(packages):
            out.append(Measures(
                p is not None,
                {q: float(x) for q, x in zip(names, u[i], strict=True)},
                {q: float(x) for q, x in zip(names, shares[i], strict=True)},
                float(joint[i]),
                bool(pareto[i]),
                int(level[i]) if p is not None else None,
                float(dist[i]) if p is not None and np.isfinite(dist[i]) else None,
                float(dn[i]) if np.isfinite(dn[i]) else None,
                self.lose_lose(p) if p is not None else None,
            ))
        return out
