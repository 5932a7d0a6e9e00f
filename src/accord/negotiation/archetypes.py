"""The seed's three negotiators: the old-fashioned one, the flower child and the enlightened one.

Thompson contrasts negotiators by what they believe about the pie and what they do with information:

* **old-fashioned** (:class:`OldFashioned`) — assumes a fixed pie: whatever it gains the other loses, so it
  never looks for trades, shares nothing, asks nothing, and concedes hard and late in its own value
  (time-dependent with e = 0.1 on its own ladder; where the protocol goes issue by issue it makes
  single-issue demands, since each sub-negotiation is one issue);
* **flower child** (:class:`FlowerChild`) — expands the pie and forgets to claim: it reveals its true
  priority order, learns the other's wishes with a frequency model, offers the package with the highest
  joint value it believes in among those above its target, and concedes fast (e = 3);
* **enlightened** (:class:`Enlightened`) — asks for the other's priorities and shares its own (never its
  BATNA), learns with a Bayesian model over priority hypotheses (the MESO belief), offers packages — and
  MESOs where the protocol allows — on its estimated frontier, and concedes slowly in its own value (e = 0.5):
  it creates *and* claims. :class:`EnlightenedSilent` is the same without revealing its priorities (for the
  experiment "revealing priorities vs not").

Exact rules (targets, acceptance, model updates) are in each class's docstring and in docs/negotiation.md.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*, ch. on integrative negotiation.
Medvec, V. H. et al. (2005), on MESOs.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from accord.model import Package
from accord.model.preferences import FloatArray
from accord.negotiation.base import (
    Event,
    Negotiator,
    Offered,
    Plan,
    PlanNegotiator,
    Replied,
    Reply,
    Revealed,
    State,
    scale_tol,
    target,
)
from accord.negotiation.ladder import OfferLadder
from accord.negotiation.opponent import BayesianPriorityModel, FrequencyModel
from accord.negotiation.timedependent import time_dependent_plan
from accord.negotiation.view import PrivateView

__all__ = ["BAND", "Enlightened", "EnlightenedSilent", "FlowerChild", "ModelNegotiator", "OldFashioned"]

#: Width, as a fraction of (P_max − BATNA), of the band above the target where a joint-value maximiser looks.
BAND = 0.1


class OldFashioned(PlanNegotiator):
    """Fixed-pie, hard: time-dependent with e = 0.1 on its own ladder (one package per own utility level,
    chosen without regard for the other side); shares and asks nothing; accepts an offer at least as good as
    its next own offer."""

    name: ClassVar[str] = "old-fashioned"
    e: ClassVar[float] = 0.1

    def make_plan(self, view: PrivateView, rounds: int) -> Plan:
        return time_dependent_plan(view, rounds, self.e)


class ModelNegotiator(Negotiator):
    """A time-dependent negotiator whose offers come from its estimated frontier (own vs an opponent model).

    At step k its target is u(t_k) = P_min + (P_max − P_min)(1 − t_k^{1/e}), P_min = its BATNA (or its worst
    package if higher). It offers from an :class:`~accord.negotiation.ladder.OfferLadder` built with the
    models' current estimate as proxy — with several other parties, the sum of one model per party, taken in
    name order — (rebuilt every ``refresh`` = max(1, rounds // 10) of its steps when the
    model learned something); with ``joint=True`` it offers, among the rungs between the target and the target
    plus :data:`BAND` of its range, the one with the largest believed joint value (own normalised gain +
    estimated normalised gain), otherwise the rung nearest above the target. It accepts
    an offer worth at least the own utility of what it would offer at that step.
    """

    name: ClassVar[str] = "model-based"
    e: ClassVar[float] = 1.0
    joint: ClassVar[bool] = False
    shares: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__()
        self.ladder: OfferLadder | None = None
        self.dirty = True
        self.last_offer: tuple[Package, ...] = ()
        self.models: dict[str, FrequencyModel | BayesianPriorityModel] = {}
        self.tol = 0.0
        self.refresh = 1

    def make_model(self, view: PrivateView, other: str) -> FrequencyModel | BayesianPriorityModel:
        return FrequencyModel(view)

    def start(self, view: PrivateView, rounds: int, seed: int) -> None:
        super().start(view, rounds, seed)
        # one model per other party, combined in name order (never the case's party order)
        self.models = {q: self.make_model(view, q) for q in sorted(view.others)}
        self.tol = scale_tol(view)
        self.refresh = max(1, rounds // 10)
        self.base = view.ladder()
        self.p_max = self.base.best
        self.p_min = min(self.p_max, max(view.batna, self.base.worst))

    def reveal(self, asked: bool) -> tuple[str, ...] | None:
        return self.own.priorities() if self.shares else None

    def model_estimate(self, about: str) -> tuple[FloatArray, ...] | None:
        model = self.models.get(about)
        return None if model is None else model.estimate()

    def proxy(self) -> tuple[FloatArray, ...]:
        """What the others are believed to want: the sum of the models' estimates (each scaled to [0, 1])."""
        estimates = [m.estimate() for m in self.models.values()]
        return tuple(sum((e[k] for e in estimates[1:]), estimates[0][k]) for k in range(len(estimates[0])))

    def current_ladder(self, step: int) -> OfferLadder:
        if self.ladder is None or (self.dirty and step % self.refresh == 0):
            self.ladder = self.own.ladder(self.proxy(), limit=1024)
            self.dirty = False
        return self.ladder

    def target_at(self, step: int) -> float:
        return float(target(self.p_min, self.p_max, step / max(self.rounds - 1, 1), self.e))

    def rung(self, ladder: OfferLadder, goal: float) -> int:
        i = int(ladder.at_least(np.array([goal]))[0])
        if not self.joint:
            return i
        span_u = max(self.p_max - self.own.batna, self.tol)
        # the joint-value choice is made among the rungs near the target, so it still concedes on schedule
        hi = int(np.searchsorted(ladder.utilities, goal + BAND * span_u, side="right"))
        u = ladder.utilities[i:max(hi, i + 1)]
        v = ladder.proxy[i:max(hi, i + 1)]
        span_v = max(float(ladder.proxy.max() - ladder.proxy.min()), self.tol)
        return i + int(np.argmax((u - self.own.batna) / span_u + (v - ladder.proxy.min()) / span_v))

    def threshold(self, step: int) -> float:
        ladder = self.current_ladder(step)
        return float(ladder.utilities[self.rung(ladder, self.target_at(step))])

    def propose(self, state: State) -> tuple[Package, ...]:
        ladder = self.current_ladder(state.step)
        goal = self.target_at(state.step)
        offers = [tuple(int(x) for x in ladder.packages[self.rung(ladder, goal)])]
        if state.meso > 1:
            offers = self.equivalent_offers(offers[0], goal, state.meso)
        self.last_offer = tuple(offers)
        return self.last_offer

    def equivalent_offers(self, first: Package, goal: float, k: int) -> list[Package]:
        return [first]

    def respond(self, state: State, packages: tuple[Package, ...]) -> Reply:
        j, u = self.best_of(packages)
        return Reply(bool(u >= self.threshold(min(state.step, state.rounds - 1)) - self.tol), j)

    def observe(self, event: Event) -> None:
        model = self.models.get(event.party)
        if model is None:  # our own moves, or a mediator's
            return
        if isinstance(event, Offered):
            if isinstance(model, FrequencyModel):
                for p in event.packages:
                    model.observe_offer(p)
            elif self.last_offer:
                # it proposed its own rather than accept ours: a noisy choice of its package over ours
                model.observe_counter(self.last_offer[0], event.packages[0])
            self.dirty = True
        elif isinstance(event, Replied) and len(event.packages) > 1:
            if isinstance(model, BayesianPriorityModel):
                model.observe_choice(event.choice, event.packages)
            else:
                model.observe_offer(event.packages[event.choice])
            self.dirty = True
        elif isinstance(event, Revealed):
            model.observe_priorities(event.priorities)
            self.dirty = True


class FlowerChild(ModelNegotiator):
    """Reveals its priorities, learns with a frequency model, offers the believed joint-value maximum above
    its target, concedes fast (e = 3)."""

    name: ClassVar[str] = "flower-child"
    e: ClassVar[float] = 3.0
    joint: ClassVar[bool] = True
    shares: ClassVar[bool] = True


class Enlightened(ModelNegotiator):
    """Asks and shares priorities, learns with the Bayesian priority model, offers on its estimated frontier
    (nearest above its target) and MESOs — one package per most likely hypothesis, each nearest above the same
    target on that hypothesis' frontier — and concedes slowly (e = 0.5)."""

    name: ClassVar[str] = "enlightened"
    e: ClassVar[float] = 0.5
    asks: ClassVar[bool] = True
    shares: ClassVar[bool] = True

    def make_model(self, view: PrivateView, other: str) -> FrequencyModel | BayesianPriorityModel:
        return BayesianPriorityModel(view, other)

    def equivalent_offers(self, first: Package, goal: float, k: int) -> list[Package]:
        model = next(iter(self.models.values()))  # the MESO exchange has two parties: one model
        assert isinstance(model, BayesianPriorityModel)
        belief = model.belief
        order = np.argsort(-belief.probabilities, kind="stable")
        out = [first]
        for h in order:
            if len(out) >= k:
                break
            lad = self.own.ladder(model.hypothesis(int(h)), key=("hypothesis", belief.names[int(h)]),
                                  limit=1024)
            pkg = tuple(int(x) for x in lad.packages[int(lad.at_least(np.array([goal]))[0])])
            if pkg not in out:
                out.append(pkg)
        return out


class EnlightenedSilent(Enlightened):
    """The enlightened negotiator that asks but does not reveal its own priorities."""

    name: ClassVar[str] = "enlightened-silent"
    shares: ClassVar[bool] = False
