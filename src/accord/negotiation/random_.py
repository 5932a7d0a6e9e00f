"""A random negotiator: a baseline that knows nothing but its own BATNA.

It offers a uniformly random rung of its own offer ladder (every rung is at or above its BATNA) and accepts an
offer that gives it at least its BATNA with probability 1/2 at each turn. All draws are made at ``start`` from
its own seeded generator, so a negotiation is reproducible under a seed.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from accord.negotiation.base import Plan, PlanNegotiator, scale_tol
from accord.negotiation.view import PrivateView

__all__ = ["RandomNegotiator"]


class RandomNegotiator(PlanNegotiator):
    """Random rungs above the BATNA; accepts a rational offer with probability ``accept`` per turn."""

    name: ClassVar[str] = "random"

    def __init__(self, accept: float = 0.5) -> None:
        super().__init__()
        self.accept = float(accept)

    def make_plan(self, view: PrivateView, rounds: int) -> Plan:
        ladder = view.ladder()
        idx = self.rng.integers(0, len(ladder), size=rounds).astype(np.int64)
        willing = self.rng.random(rounds) < self.accept
        return Plan(ladder, idx, np.where(willing, view.batna, np.inf), scale_tol(view))
