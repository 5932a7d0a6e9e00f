"""The time-dependent family: Boulware (e = 0.2), linear (e = 1), conceder (e = 2).

Target at normalised time t: u(t) = P_min + (P_max − P_min)(1 − t^{1/e}), with P_max the negotiator's best
package and P_min the larger of its BATNA and its worst package. It offers the package nearest at or above the
target (from its own offer ladder, :mod:`accord.negotiation.ladder`, so the outcome space is never sorted), and
accepts an offer that gives it at least what it would propose next. e < 1 concedes late (Boulware), e > 1 early.

References
----------
Faratin, P., Sierra, C., Jennings, N. R. (1998). Negotiation decision functions for autonomous agents.
*Robotics and Autonomous Systems* 24(3–4).
Baarslag, T. et al. (2012). The first automated negotiating agents competition (ANAC 2010), for the
family's use as baselines.
"""

from __future__ import annotations

from typing import ClassVar

from accord.negotiation.base import Plan, PlanNegotiator, concession, scale_tol, time_grid
from accord.negotiation.view import PrivateView

__all__ = ["Boulware", "Conceder", "Linear", "TimeDependent"]


def time_dependent_plan(view: PrivateView, rounds: int, e: float) -> Plan:
    """The plan of a time-dependent concession on the negotiator's own ladder: at step k the first rung
    reaching u(t_k) = P_min + (P_max − P_min)(1 − t_k^{1/e}), P_min = the BATNA (or the worst package if
    higher). Shared by :class:`TimeDependent` and the old-fashioned archetype."""
    ladder = view.ladder()
    p_max = ladder.best
    p_min = min(p_max, max(view.batna, ladder.worst))
    idx = ladder.at_least(concession(p_min, p_max, time_grid(rounds), e))
    return Plan(ladder, idx, ladder.utilities[idx], scale_tol(view))


class TimeDependent(PlanNegotiator):
    """Concede along u(t) = P_min + (P_max − P_min)(1 − t^{1/e}); offer the package nearest above; accept an
    offer at least as good as the own next offer.

    Parameters
    ----------
    e : float
        Concession exponent (> 0).
    """

    name: ClassVar[str] = "time-dependent"

    def __init__(self, e: float = 1.0) -> None:
        super().__init__()
        if not e > 0:
            raise ValueError(f"the concession exponent e must be positive, not {e}")
        self.e = float(e)

    def make_plan(self, view: PrivateView, rounds: int) -> Plan:
        return time_dependent_plan(view, rounds, self.e)


class Boulware(TimeDependent):
    """Time-dependent with e = 0.2: holds out and concedes near the deadline."""

    name: ClassVar[str] = "boulware"

    def __init__(self) -> None:
        super().__init__(0.2)


class Linear(TimeDependent):
    """Time-dependent with e = 1: concedes at a constant rate."""

    name: ClassVar[str] = "linear"

    def __init__(self) -> None:
        super().__init__(1.0)


class Conceder(TimeDependent):
    """Time-dependent with e = 2: concedes early."""

    name: ClassVar[str] = "conceder"

    def __init__(self) -> None:
        super().__init__(2.0)
