"""The one interface every negotiator has: ``start``, ``propose``, ``respond``, ``observe`` (and ``reveal``).

A negotiator is a small object, not a tower of base classes. The protocol calls:

* ``start(view, rounds, seed)`` once, with the negotiator's :class:`~accord.negotiation.view.PrivateView` (its
  own preferences only), the deadline in rounds and its own seed (``self.rng`` is a generator made from it on
  first use);
* ``reveal(asked)`` once, where the protocol allows sharing information: return the own priority order
  (issue names, most important first) to share it, or None. Only a priority order can be shared — the type
  has no room for a BATNA, which a negotiator never reveals;
* ``propose(state)`` → a tuple of packages: one offer, or up to ``state.meso`` equivalent offers (a MESO);
* ``respond(state, packages)`` → :class:`Reply`: accept or not, and which package it prefers (its pick is
  what a MESO teaches the proposer);
* ``observe(event)`` after every move of the others (:class:`Offered`, :class:`Replied`, :class:`Revealed`).

:class:`PlanNegotiator` is the base of negotiators whose offers and acceptance thresholds depend only on time
(the time-dependent family, random): they fix a whole :class:`Plan` at ``start``, which lets the alternating
protocol run two of them with array comparisons instead of a Python loop (same result, tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from accord.model import Package
from accord.model.preferences import FloatArray, IntArray
from accord.negotiation.ladder import OfferLadder
from accord.negotiation.view import PrivateView

__all__ = ["Negotiator", "Offered", "Plan", "PlanNegotiator", "Replied", "Reply", "Revealed", "State", "concession",
           "target", "time_grid"]


@dataclass(frozen=True)
class State:
    """Where the negotiation is, as the acting negotiator sees it.

    Attributes
    ----------
    step : int
        The acting party's own turn, 0-based (its k-th proposal or response), at most ``rounds − 1``.
    rounds : int
        Deadline: each party proposes at most this many times.
    meso : int
        How many packages one offer may hold (1 = single offers).
    final : bool
        True for a response after the deadline: rejecting ends the negotiation without agreement.
    """

    step: int
    rounds: int
    meso: int = 1
    final: bool = False

    @property
    def time(self) -> float:
        """Normalised time t = step / (rounds − 1) ∈ [0, 1]."""
        return 1.0 if self.rounds <= 1 else min(1.0, self.step / (self.rounds - 1))


@dataclass(frozen=True)
class Reply:
    """A response: accept (the package ``choice`` of the offer) or reject; ``choice`` is the preferred one."""

    accept: bool
    choice: int = 0


@dataclass(frozen=True)
class Offered:
    party: str
    packages: tuple[Package, ...]


@dataclass(frozen=True)
class Replied:
    party: str
    accept: bool
    choice: int
    packages: tuple[Package, ...]


@dataclass(frozen=True)
class Revealed:
    """A party shared its priority order (issue names, most important first) — never its BATNA."""

    party: str
    priorities: tuple[str, ...]


Event = Offered | Replied | Revealed


class Negotiator:
    """Default behaviour: share nothing, ask nothing, ignore events. Subclasses override what they need."""

    #: Registry name (for tables and reports).
    name: ClassVar[str] = "negotiator"
    #: Whether the negotiator asks the others for their priorities at the start.
    asks: ClassVar[bool] = False

    def __init__(self) -> None:
        self.view: PrivateView | None = None
        self.rounds = 0
        self.seed = 0
        self._rng: np.random.Generator | None = None

    def start(self, view: PrivateView, rounds: int, seed: int) -> None:
        self.view = view
        self.rounds = rounds
        self.seed = seed
        self._rng = None

    @property
    def rng(self) -> np.random.Generator:
        """The negotiator's own generator (made from its seed on first use: most negotiators never draw)."""
        if self._rng is None:
            self._rng = np.random.default_rng(self.seed)
        return self._rng

    def reveal(self, asked: bool) -> tuple[str, ...] | None:
        return None

    def propose(self, state: State) -> tuple[Package, ...]:
        raise NotImplementedError

    def respond(self, state: State, packages: tuple[Package, ...]) -> Reply:
        raise NotImplementedError

    def observe(self, event: Event) -> None:
        return None

    def model_estimate(self, about: str) -> tuple[FloatArray, ...] | None:
        """The opponent model's current estimate of ``about``'s points per option (None without a model)."""
        return None

    # helpers -------------------------------------------------------------------------------------------------
    @property
    def own(self) -> PrivateView:
        assert self.view is not None, "start() was not called"
        return self.view

    def best_of(self, packages: tuple[Package, ...]) -> tuple[int, float]:
        """Index and own utility of the package this negotiator likes best (ties: the first)."""
        u = self.own.utilities(np.asarray(packages, dtype=np.int64))
        j = int(np.argmax(u))
        return j, float(u[j])


_GRIDS: dict[int, FloatArray] = {}


def time_grid(rounds: int) -> FloatArray:
    """t_k = k / (rounds − 1) for k = 0 … rounds − 1 (shared, read-only)."""
    grid = _GRIDS.get(rounds)
    if grid is None:
        grid = np.arange(rounds) / max(rounds - 1, 1)
        grid.setflags(write=False)
        if len(_GRIDS) < 64:
            _GRIDS[rounds] = grid
    return grid


def target(p_min: float, p_max: float, t: FloatArray | float, e: float) -> FloatArray:
    """Time-dependent target u(t) = P_min + (P_max − P_min)(1 − t^{1/e}) (Faratin, Sierra & Jennings 1998).

    Examples
    --------
    >>> target(0.0, 1.0, np.array([0.0, 0.5, 1.0]), 1.0).tolist()
    [1.0, 0.5, 0.0]
    """
    return concession(p_min, p_max, np.minimum(np.maximum(t, 0.0), 1.0), e)


def concession(p_min: float, p_max: float, t: FloatArray, e: float) -> FloatArray:
    """:func:`target` for times already in [0, 1] (e.g. :func:`time_grid`), without the clipping."""
    out: FloatArray = p_min + (p_max - p_min) * (1.0 - t ** (1.0 / e))
    return out


@dataclass(frozen=True, eq=False)
class Plan:
    """Offers and acceptance thresholds fixed for every step: rung ``index[k]`` of ``ladder`` is offered at
    step k; an offer is accepted at step k when it gives at least ``threshold[k]`` (minus ``tol``)."""

    ladder: OfferLadder
    index: IntArray
    threshold: FloatArray
    tol: float


class PlanNegotiator(Negotiator):
    """A negotiator whose whole behaviour is a :class:`Plan` made at ``start`` (it ignores the others' moves)."""

    def __init__(self) -> None:
        super().__init__()
        self.plan: Plan | None = None

    def make_plan(self, view: PrivateView, rounds: int) -> Plan:
        raise NotImplementedError

    def start(self, view: PrivateView, rounds: int, seed: int) -> None:
        super().start(view, rounds, seed)
        self.plan = self.make_plan(view, rounds)

    def propose(self, state: State) -> tuple[Package, ...]:
        assert self.plan is not None
        row = self.plan.ladder.packages[self.plan.index[min(state.step, state.rounds - 1)]]
        return (tuple(int(x) for x in row),)

    def respond(self, state: State, packages: tuple[Package, ...]) -> Reply:
        assert self.plan is not None
        j, u = self.best_of(packages)
        k = min(state.step, state.rounds - 1)
        return Reply(bool(u >= self.plan.threshold[k] - self.plan.tol), j)


def scale_tol(view: PrivateView) -> float:
    """Slack of own-utility comparisons (1e-9 of the own point scale)."""
    return view.tol
