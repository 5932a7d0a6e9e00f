"""Relative tit-for-tat: concede, in one's own utility, as much as the other side has conceded.

Target at each step: P_max − Δ, where Δ = (own utility of the best offer received so far) − (own utility of the
first offer received), never below P_min = max(BATNA, own worst package). It offers the rung of its own ladder
nearest above the target and accepts an offer worth at least that target. A negotiator that never moves gets no
concession back (Axelrod's reciprocity, as adapted to bargaining by Faratin et al. 1998 and Baarslag et al. 2013).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from accord.model import Package
from accord.negotiation.base import Event, Negotiator, Offered, Reply, State, scale_tol
from accord.negotiation.view import PrivateView

__all__ = ["TitForTat"]


class TitForTat(Negotiator):
    """Mirror the other side's concessions (measured in own utility)."""

    name: ClassVar[str] = "tit-for-tat"

    def start(self, view: PrivateView, rounds: int, seed: int) -> None:
        super().start(view, rounds, seed)
        self.ladder = view.ladder()
        self.p_max = self.ladder.best
        self.p_min = min(self.p_max, max(view.batna, self.ladder.worst))
        self.first: float | None = None
        self.best_seen = -np.inf
        self.tol = scale_tol(view)

    def goal(self) -> float:
        conceded = 0.0 if self.first is None else max(0.0, self.best_seen - self.first)
        return max(self.p_min, self.p_max - conceded)

    def propose(self, state: State) -> tuple[Package, ...]:
        i = int(self.ladder.at_least(np.array([self.goal()]))[0])
        return (tuple(int(x) for x in self.ladder.packages[i]),)

    def respond(self, state: State, packages: tuple[Package, ...]) -> Reply:
        j, u = self.best_of(packages)
        i = int(self.ladder.at_least(np.array([self.goal()]))[0])
        return Reply(bool(u >= float(self.ladder.utilities[i]) - self.tol), j)

    def observe(self, event: Event) -> None:
        if isinstance(event, Offered) and event.party != self.own.party:
            _, u = self.best_of(event.packages)
            if self.first is None:
                self.first = u
            self.best_seen = max(self.best_seen, u)
