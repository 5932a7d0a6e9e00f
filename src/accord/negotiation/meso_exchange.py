"""MESO exchange: propose up to k packages at once; the other picks one and accepts it or counters.

The rules are those of :mod:`accord.negotiation.alternating` with offers of up to ``k`` packages: a responder
always says which package it prefers (its ``choice``, seen by everybody — that is what a MESO teaches the
proposer), and accepting means accepting that package. Negotiators that know nothing of MESOs make single
offers, so "MESOs vs single offers" is the same negotiator under k > 1 and k = 1. Two parties only.

References
----------
Medvec, V. H., Leonardelli, G. J., Galinsky, A. D., Claussen-Schulz, A. (2005). Choice and achievement at the
bargaining table: the distributive, integrative, and interpersonal advantages of making multiple equivalent
simultaneous offers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from accord.errors import RequestError
from accord.negotiation.alternating import run_alternating
from accord.negotiation.arena import Arena, Outcome
from accord.negotiation.base import Negotiator

__all__ = ["DEFAULT_MESO", "run_meso_exchange"]

#: Packages per MESO offer by default.
DEFAULT_MESO = 3


def run_meso_exchange(arena: Arena, negotiators: Mapping[str, Negotiator], order: Sequence[str], rounds: int, *,
                      k: int = DEFAULT_MESO, seed: int = 0, trace: bool = True) -> Outcome:
    """Run one MESO exchange (two parties; ``k`` packages per offer at most)."""
    if len(order) != 2:
        raise RequestError(f"the MESO exchange is for two parties; this case has {len(order)} (use alternating "
                           "or mediated)")
    if not 1 <= k <= 10:
        raise RequestError(f"a MESO holds 1 to 10 packages, not {k}")
    return run_alternating(arena, negotiators, order, rounds, seed=seed, meso=k, trace=trace)
