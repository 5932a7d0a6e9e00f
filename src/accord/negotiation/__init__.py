"""Simulation: negotiators, protocols, opponent models, measures and tournaments (a floor above tactics).

Negotiators see only their own preferences (:class:`~accord.negotiation.view.PrivateView`); protocols referee
with the true case; outcomes are measured with the analysis floor (frontier, Nash point, pyramid)::

    from accord.negotiation import simulate, tournament
    result = simulate(case, ["boulware", "conceder"], protocol="alternating", rounds=100, seed=0)

See docs/negotiation.md for every protocol's and negotiator's exact rules.
"""

from accord.negotiation.base import Negotiator, Offered, Plan, PlanNegotiator, Replied, Reply, Revealed, State
from accord.negotiation.mediated import MediatedRound, MediatedSession, run_mediated
from accord.negotiation.registry import available, make_negotiator, resolve
from accord.negotiation.simulate import PROTOCOLS, SimulationResult, simulate
from accord.negotiation.tournament import TournamentResult, tournament

__all__ = [
    "PROTOCOLS",
    "MediatedRound",
    "MediatedSession",
    "Negotiator",
    "Offered",
    "Plan",
    "PlanNegotiator",
    "Replied",
    "Reply",
    "Revealed",
    "SimulationResult",
    "State",
    "TournamentResult",
    "available",
    "make_negotiator",
    "resolve",
    "run_mediated",
    "simulate",
    "tournament",
]
