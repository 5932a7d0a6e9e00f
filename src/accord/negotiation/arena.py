"""The referee's side of a simulation: the true case, each party's private view, and what protocols share.

An :class:`Arena` is built once per case (and reused by every negotiation of a tournament on that case). It
hands each negotiator only its :class:`~accord.negotiation.view.PrivateView`, evaluates offers with the true
preferences, and caches the true utilities of every rung of the negotiators' ladders, so two plan-based
negotiators can be run with array comparisons (:mod:`accord.negotiation.alternating`).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from accord.model import Case, Package
from accord.model.preferences import FloatArray
from accord.negotiation.base import Negotiator
from accord.negotiation.ladder import OfferLadder
from accord.negotiation.opponent import Accuracy, model_accuracy
from accord.negotiation.view import PrivateView, private_views

__all__ = ["Arena", "Move", "Outcome", "party_seed"]

T = TypeVar("T")

#: Packages sampled (once per case) to measure opponent-model accuracy.
ACCURACY_SAMPLE = 256


@dataclass(frozen=True)
class Move:
    """One move of a negotiation.

    Attributes
    ----------
    turn : int
        0-based position in the sequence of moves.
    round : int
        1-based round (each party proposes at most once per round).
    party : str
        Who moved (``"mediator"`` for a mediator's proposal).
    action : str
        ``"offer"``, ``"accept"``, ``"reject"``, ``"reveal"``, ``"veto"`` or ``"settle"`` (an issue settled).
    packages : tuple of Package
        The packages offered, accepted or rejected (partial ones are padded with -1 for unsettled issues).
    choice : int
        The package the mover preferred (MESO pick), or 0.
    detail : str
        Free text (a revealed priority order, the issue settled).
    """

    turn: int
    round: int
    party: str
    action: str
    packages: tuple[Package, ...] = ()
    choice: int = 0
    detail: str = ""


@dataclass(frozen=True)
class Outcome:
    """What a protocol returns: the package agreed (None = impasse), the rounds used, the moves, the opponent
    models' accuracy at the end and — when moves are traced — after every offer (``(move index, party,
    Accuracy)``)."""

    package: Package | None
    rounds: int
    moves: tuple[Move, ...]
    accuracy: dict[str, Accuracy] = field(default_factory=dict)
    accuracy_trace: tuple[tuple[int, str, Accuracy], ...] = ()


def party_seed(seed: int, party: str) -> int:
    """A party's own seed, derived from the negotiation's seed and the party's NAME (not its position), so
    permuting the parties of a case never changes anybody's draws."""
    return (int(seed) * 0x9E3779B97F4A7C15 + zlib.crc32(party.encode())) % 2**63


class Arena:
    """The true case and the private views of its parties (one per case; shared by many negotiations)."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.views: dict[str, PrivateView] = private_views(case)
        self._cross: dict[int, tuple[OfferLadder, FloatArray]] = {}
        self._sample: np.ndarray | None = None
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """A per-case value computed once (e.g. the mediator's candidates)."""
        if key not in self._memo:
            self._memo[key] = make()
        out: T = self._memo[key]
        return out

    def cross(self, ladder: OfferLadder) -> FloatArray:
        """True utilities (rungs × parties) of a ladder's packages, cached per ladder."""
        hit = self._cross.get(id(ladder))
        if hit is None or hit[0] is not ladder:
            hit = (ladder, self.case.utilities(ladder.packages))
            self._cross[id(ladder)] = hit
        return hit[1]

    def sample(self) -> np.ndarray:
        """A fixed random sample of packages (seeded by the case's shape) for accuracy measures."""
        if self._sample is None:
            rng = np.random.default_rng(zlib.crc32(repr(self.case.sizes).encode()))
            self._sample = np.stack([rng.integers(0, n, ACCURACY_SAMPLE) for n in self.case.sizes], axis=1)
        return self._sample

    def accuracy(self, negotiators: dict[str, Negotiator]) -> dict[str, Accuracy]:
        """For every negotiator with an opponent model (two parties): how well it knows the other."""
        out: dict[str, Accuracy] = {}
        if self.case.n_parties != 2:
            return out
        for party, neg in negotiators.items():
            other = next(p for p in self.case.party_names if p != party)
            est = neg.model_estimate(other)
            if est is not None:
                truth = self.views[other].tables
                out[party] = model_accuracy(est, truth, self.sample())
        return out

    def utilities(self, package: Package) -> dict[str, float]:
        u = self.case.utilities(np.asarray([package], dtype=np.int64))[0]
        return {p: float(x) for p, x in zip(self.case.party_names, u, strict=True)}


def as_package(row: Any) -> Package:
    return tuple(int(x) for x in row)
