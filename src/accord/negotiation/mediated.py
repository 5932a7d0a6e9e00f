"""Mediated single negotiating text: a mediator proposes, every party accepts or vetoes (n parties).

This module is the one implementation of the mediated protocol: the simulator runs it with negotiators
(:func:`run_mediated`) and the web app runs it with people (:class:`MediatedSession`, a small state machine
whose state can be stored and rebuilt by replaying the votes).

What the mediator knows and does. Like a post-settlement mediator (see docs/concepts.md), the mediator is the
system: it holds the preferences the parties submitted in confidence and never shows one party's
preferences to another. It learns nothing else than the votes. It proposes only Pareto-efficient packages of
the bargaining zone (every party at least its BATNA):

1. The first proposal is the Nash point (max Π_i (u_i − b_i), computed by :mod:`accord.analysis.bargaining`).
2. Every party votes ``accept`` or ``veto`` on the proposal. When the votes pass the case's agreement rule
   (every party by default; a quorum with veto parties when the case says so), it is the agreement.
3. A veto by party i of a package worth g_i to it (normalised gain, 0 = BATNA, 1 = i's best in the zone) is
   read as a demand: i wants more than g_i. The next proposal is the zone frontier package not yet proposed
   in this pass that meets every demand of the pass with the largest Nash product Π_i g_i (ties: larger
   Σ g_i, then the lexicographically smallest package — never the party order).
4. When no package meets every demand (vetoes pull in opposite directions), a new pass starts: the demands
   are forgotten — parties may have moved — and the mediator proposes the package with the largest Nash
   product other than the one just refused (the Nash point itself again from the pass after). After
   ``max_rounds`` proposals without agreement the mediation ends in impasse.

API (for the web app and anyone else)::

    session = MediatedSession(case, max_rounds=20)
    session.status            # "voting", "agreed" or "impasse"
    session.proposal          # Package (option indices) or None; session.proposal_labels() → {issue: option}
    session.pending           # parties that have not voted on the current proposal yet
    session.vote("buyer", True); session.vote("seller", False)   # → the new status
    session.history           # tuple of MediatedRound(round, package, votes)
    session.agreement         # Package or None
    session.to_dict()         # JSON-ready state (what to store)
    MediatedSession.replay(case, [{"buyer": True, "seller": False}, ...])   # rebuild from stored votes

:meth:`MediatedSession.view_for` gives what one party may see of the state (its own utilities only).
Raises :class:`~accord.errors.RequestError` for a vote by an unknown party, a second vote, or a vote after the end,
and :class:`~accord.errors.TooLargeError` when the zone's frontier is too large to hold (the session is
built for cases a person can judge).

References
----------
Raiffa, H. (1982). *The Art and Science of Negotiation*, ch. on the single negotiating text (Camp David).
Klein, M., Faratin, P., Sayama, H., Bar-Yam, Y. (2003). Negotiating complex contracts. *Group Decision and
Negotiation* 12(2) (mediated single text with accept/veto votes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.agreement import passes_flags
from accord.analysis.bargaining import nash_point, normalised_gains
from accord.analysis.frontier import pareto_frontier
from accord.errors import RequestError
from accord.model import Case, Package
from accord.negotiation.arena import Arena, Move, Outcome, party_seed
from accord.negotiation.base import Negotiator, Offered, Replied, State

__all__ = ["DEFAULT_MAX_ROUNDS", "Candidates", "MediatedRound", "MediatedSession", "run_mediated"]

DEFAULT_MAX_ROUNDS = 50
#: Slack on normalised gains when a demand "more than g" is checked.
_EPS = 1e-9


@dataclass(frozen=True)
class MediatedRound:
    """One proposal and the votes on it."""

    round: int
    package: Package
    votes: dict[str, bool]

    def to_dict(self, case: Case) -> dict[str, Any]:
        return {"round": self.round, "package": case.labels(self.package), "votes": dict(self.votes)}


class Candidates:
    """The zone's frontier packages, their gains and log Nash products: computed once per case.

    Build it once and pass it to every :class:`MediatedSession` of the same case (the web app does, per
    preference revision) to skip recomputing the frontier for each session.
    """

    def __init__(self, case: Case) -> None:
        front = pareto_frontier(case, rational=True, cap=1)
        self.packages: list[Package] = [pk[0] for pk in front.packages if pk]
        u = case.utilities(np.asarray(self.packages, dtype=np.int64)) if self.packages else np.zeros(
            (0, case.n_parties))
        ideal = u.max(axis=0) if len(u) else np.zeros(case.n_parties)
        self.gains = normalised_gains(u, case.batnas, ideal) if len(u) else np.zeros((0, case.n_parties))
        with np.errstate(divide="ignore"):
            self.log_nash = np.log(np.maximum(self.gains, 0.0)).sum(axis=1)
        self.start: int | None = None
        if self.packages:
            sol = nash_point(case, pareto_frontier(case, cap=1))
            if sol is not None and tuple(sol.package_index) in self.packages:
                self.start = self.packages.index(tuple(sol.package_index))
            else:
                self.start = self._best(np.ones(len(self.packages), dtype=bool))

    def _best(self, ok: np.ndarray) -> int | None:
        idx = np.flatnonzero(ok)
        if not idx.size:
            return None
        key = sorted(idx.tolist(), key=lambda j: (-round(float(self.log_nash[j]), 9),
                                                  -round(float(self.gains[j].sum()), 9), self.packages[j]))
        return int(key[0])

    def next(self, demands: np.ndarray, used: set[int]) -> int | None:
        ok = np.all(self.gains > demands[None, :] + _EPS, axis=1)
        if used:
            ok[list(used)] = False
        return self._best(ok)


class MediatedSession:
    """The mediated single-text protocol as a state machine (see the module docstring for the rules).

    Parameters
    ----------
    case : Case
    max_rounds : int
        Most proposals before the mediation ends in impasse (1 to 10,000).
    candidates : Candidates, optional
        The case's precomputed :class:`Candidates`, shared by every session of the same case.
    """

    def __init__(self, case: Case, *, max_rounds: int = DEFAULT_MAX_ROUNDS,
                 candidates: Candidates | None = None) -> None:
        if not 1 <= int(max_rounds) <= 10_000:
            raise RequestError(f"max_rounds must be between 1 and 10000, not {max_rounds}")
        self.case = case
        self.max_rounds = int(max_rounds)
        self.candidates: Candidates = candidates if candidates is not None else Candidates(case)
        self._demands = np.full(case.n_parties, -np.inf)
        self._used: set[int] = set()
        self._votes: dict[str, bool] = {}
        self._history: list[MediatedRound] = []
        self._current: int | None = self.candidates.start
        self.reason = ""
        #: How many times the mediator started over from the Nash point.
        self.passes = 0
        if self._current is None:
            self._status = "impasse"
            self.reason = "no package gives every party at least its BATNA (the bargaining zone is empty)"
        else:
            self._status = "voting"
            self._used.add(self._current)

    # -- state -----------------------------------------------------------------------------------------------
    @property
    def status(self) -> str:
        """``"voting"``, ``"agreed"`` or ``"impasse"``."""
        return self._status

    @property
    def round(self) -> int:
        """1-based number of the current (or last) proposal."""
        return len(self._history) + (1 if self._status == "voting" else 0)

    @property
    def proposal(self) -> Package | None:
        """The package on the table (None once the mediation has ended in impasse)."""
        if self._status == "impasse" or self._current is None:
            return None
        return self.candidates.packages[self._current]

    def proposal_labels(self) -> dict[str, str] | None:
        p = self.proposal
        return None if p is None else self.case.labels(p)

    @property
    def pending(self) -> tuple[str, ...]:
        """Parties that have not voted on the current proposal."""
        if self._status != "voting":
            return ()
        return tuple(p for p in self.case.party_names if p not in self._votes)

    @property
    def history(self) -> tuple[MediatedRound, ...]:
        return tuple(self._history)

    @property
    def agreement(self) -> Package | None:
        return self.proposal if self._status == "agreed" else None

    # -- moves -----------------------------------------------------------------------------------------------
    def vote(self, party: str, accept: bool) -> str:
        """Record ``party``'s vote on the current proposal; returns the status afterwards."""
        self.case.party_index(party)  # unknown party → RequestError naming the parties
        if self._status != "voting":
            raise RequestError(f"the mediation has ended ({self._status}); no more votes are taken")
        if party in self._votes:
            raise RequestError(f"{party} has already voted on proposal {self.round}")
        self._votes[party] = bool(accept)
        if self.pending:
            return self._status
        assert self._current is not None
        self._history.append(MediatedRound(len(self._history) + 1, self.candidates.packages[self._current],
                                           dict(self._votes)))
        flags = np.array([[self._votes[p] for p in self.case.party_names]])
        if passes_flags(self.case, flags)[0]:  # unanimity, or the case's quorum and veto rule
            self._status = "agreed"
            return self._status
        g = self.candidates.gains[self._current]
        for p, ok in self._votes.items():
            if not ok:
                j = self.case.party_index(p)
                self._demands[j] = max(self._demands[j], float(g[j]))
        self._votes = {}
        if len(self._history) >= self.max_rounds:
            self._status, self._current = "impasse", None
            self.reason = f"no proposal was accepted by every party within {self.max_rounds} rounds"
            return self._status
        nxt = self.candidates.next(self._demands, self._used)
        if nxt is None:
            # the vetoes cannot all be met: start a new pass, demands forgotten, from the best Nash product
            # other than the package just refused (when there is another)
            self.passes += 1
            self._demands = np.full(self.case.n_parties, -np.inf)
            self._used = {self._current}
            nxt = self.candidates.next(self._demands, self._used)
            if nxt is None:
                nxt = self._current
        self._current = nxt
        self._used.add(nxt)
        return self._status

    @classmethod
    def replay(cls, case: Case, votes: Sequence[Mapping[str, bool]], *, max_rounds: int = DEFAULT_MAX_ROUNDS
               ) -> MediatedSession:
        """Rebuild a session from the votes of its rounds, in order (the last round may be incomplete)."""
        s = cls(case, max_rounds=max_rounds)
        for r, rnd in enumerate(votes):
            for party in case.party_names:
                if party in rnd:
                    if s.status != "voting":
                        raise RequestError(f"stored votes go on after the mediation ended (round {r + 1})")
                    s.vote(party, bool(rnd[party]))
        return s

    def view_for(self, party: str) -> dict[str, Any]:
        """What ``party`` may see: the proposal, its own utility of it, whether it has voted, the status."""
        i = self.case.party_index(party)
        p = self.proposal
        return {
            "status": self._status,
            "round": self.round,
            "proposal": None if p is None else self.case.labels(p),
            "your_utility": None if p is None else float(self.case.preferences[i].utility(p)),
            "your_batna": float(self.case.batnas[i]),
            "voted": party in self._votes,
            "waiting_for": len(self.pending),
        }

    def to_dict(self) -> dict[str, Any]:
        p = self.proposal
        return {
            "protocol": "mediated single text",
            "status": self._status,
            "round": self.round,
            "proposal": None if p is None else self.case.labels(p),
            "pending": list(self.pending),
            "history": [r.to_dict(self.case) for r in self._history],
            "agreement": None if self.agreement is None else self.case.labels(self.agreement),
            "reason": self.reason,
            "passes": self.passes,
        }


def run_mediated(arena: Arena, negotiators: Mapping[str, Negotiator], order: Sequence[str], rounds: int, *,
                 seed: int = 0, trace: bool = True) -> Outcome:
    """Run the mediated protocol with negotiators voting (``respond``) on each proposal, in ``order``."""
    for p in order:
        negotiators[p].start(arena.views[p], rounds, party_seed(seed, p))
    cand = arena.memo("mediation", lambda: Candidates(arena.case))
    session = MediatedSession(arena.case, max_rounds=rounds, candidates=cand)
    moves: list[Move] = []
    while session.status == "voting":
        pkg = session.proposal
        assert pkg is not None
        r = session.round
        offer = (pkg,)
        moves.append(Move(len(moves), r, "mediator", "offer", offer))
        for p in order:
            negotiators[p].observe(Offered("mediator", offer))
        for p in order:
            reply = negotiators[p].respond(State(min(r - 1, rounds - 1), rounds), offer)
            moves.append(Move(len(moves), r, p, "accept" if reply.accept else "veto", offer))
            for q in order:
                if q != p:
                    negotiators[q].observe(Replied(p, reply.accept, 0, offer))
            session.vote(p, reply.accept)
    return Outcome(session.agreement, len(session.history), tuple(moves) if trace else (),
                   arena.accuracy(dict(negotiators)))
