"""Alternating offers over whole packages with a deadline (stacked alternating offers for n parties).

Rules. The parties move in a fixed order starting with the opener. At each turn the mover first answers the
standing offer (if any): when every other party has accepted it in turn, it is agreed. Otherwise the mover
proposes its own package (or, in the MESO exchange, up to ``meso`` packages of which a responder picks one);
the previous offer lapses. Each party proposes at most ``rounds`` times; after the last proposal the others
may still answer it, and a rejection then ends the negotiation without agreement (each party gets its BATNA).
With two parties this is Rubinstein's alternating-offers protocol with a deadline (Aydoğan et al. 2017 call
the n-party version the stacked alternating offers protocol, SAOP).

Before the first offer, every negotiator may share its priority order (``reveal``), asked or not; a party that
asks (``asks``) makes the question explicit. Only a priority order can be shared, never a BATNA.

Two plan-based negotiators (:class:`~accord.negotiation.base.PlanNegotiator`) are run without the Python loop:
their offers and thresholds are arrays, so the first accepted offer is found by one vectorised comparison over
all rounds — the same outcome as the loop (tested), at a small fraction of the cost.

References
----------
Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. *Econometrica* 50(1).
Aydoğan, R., Festen, D., Hindriks, K., Jonker, C. (2017). Alternating offers protocols for multilateral
negotiation. In *Modern Approaches to Agent-based Complex Automated Negotiation*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from accord.model import Package
from accord.negotiation.arena import Arena, Move, Outcome, party_seed
from accord.negotiation.base import Negotiator, Offered, PlanNegotiator, Replied, Revealed, State
from accord.negotiation.opponent import Accuracy

__all__ = ["run_alternating", "share_priorities"]


def share_priorities(negotiators: Mapping[str, Negotiator], order: Sequence[str], moves: list[Move] | None) -> None:
    """Information sharing before the first offer: each party in turn may reveal its priority order."""
    asked = any(type(n).asks for n in negotiators.values())
    for p in order:
        told = negotiators[p].reveal(asked)
        if told is None:
            continue
        priorities = tuple(str(x) for x in told)
        for q in order:
            if q != p:
                negotiators[q].observe(Revealed(p, priorities))
        if moves is not None:
            moves.append(Move(len(moves), 0, p, "reveal", detail=" > ".join(priorities)))


def run_alternating(arena: Arena, negotiators: Mapping[str, Negotiator], order: Sequence[str], rounds: int, *,
                    seed: int = 0, meso: int = 1, trace: bool = True, fast: bool = True) -> Outcome:
    """Run one negotiation under alternating offers.

    Parameters
    ----------
    arena : Arena
    negotiators : mapping party → Negotiator
        Fresh (not yet started) negotiators, one per party.
    order : sequence of str
        The parties in moving order; the first is the opener.
    rounds : int
        Each party proposes at most this many times (≥ 1).
    seed : int
        Seed of the negotiators' own generators (derived per party name).
    meso : int
        Most packages one offer may hold (1 = single offers; the MESO exchange passes k > 1).
    trace : bool
        Record the moves.
    fast : bool
        Allow the vectorised run for two plan-based negotiators.

    Returns
    -------
    Outcome
    """
    for p in order:
        negotiators[p].start(arena.views[p], rounds, party_seed(seed, p))
    moves: list[Move] | None = [] if trace else None
    share_priorities(negotiators, order, moves)
    if fast and len(order) == 2 and all(isinstance(negotiators[p], PlanNegotiator) for p in order):
        return _run_plans(arena, negotiators, order, rounds, moves)
    n = len(order)
    current: tuple[Package, ...] | None = None
    learning: list[tuple[int, str, Accuracy]] = []
    track = moves is not None and any(negotiators[p].model_estimate(q) is not None
                                      for p in order for q in order if q != p)
    accepted = 0
    choice = 0
    for turn in range(n * rounds + n - 1):
        p = order[turn % n]
        step = turn // n
        neg = negotiators[p]
        state = State(min(step, rounds - 1), rounds, meso, step >= rounds)
        if current is not None:
            reply = neg.respond(state, current)
            choice = reply.choice if 0 <= reply.choice < len(current) else 0
            for q in order:
                if q != p:
                    negotiators[q].observe(Replied(p, reply.accept, choice, current))
            if moves is not None:
                moves.append(Move(len(moves), min(step, rounds - 1) + 1, p, "accept" if reply.accept else "reject",
                                  current, choice))
            if reply.accept:
                accepted += 1
                if accepted == n - 1:
                    return Outcome(current[choice], min(step, rounds - 1) + 1, tuple(moves or ()),
                                   arena.accuracy(dict(negotiators)), tuple(learning))
                continue
        if step >= rounds:
            break
        offer = tuple(tuple(int(x) for x in pkg) for pkg in neg.propose(state))[: max(1, meso)]
        if not offer:
            raise ValueError(f"negotiator {type(neg).__name__} proposed nothing")
        current, accepted = offer, 0
        for q in order:
            if q != p:
                negotiators[q].observe(Offered(p, offer))
        if moves is not None:
            moves.append(Move(len(moves), step + 1, p, "offer", offer))
            if track:  # the models' accuracy as the negotiation goes
                learning += [(len(moves) - 1, q, a) for q, a in arena.accuracy(dict(negotiators)).items()]
    return Outcome(None, rounds, tuple(moves or ()), arena.accuracy(dict(negotiators)), tuple(learning))


def _run_plans(arena: Arena, negotiators: Mapping[str, Negotiator], order: Sequence[str], rounds: int,
               moves: list[Move] | None) -> Outcome:
    """Two plan-based negotiators: find the first accepted offer with array comparisons.

    A proposes A_k at turn 2k; B answers it at turn 2k+1 against its threshold at step k, then proposes B_k;
    A answers B_k at turn 2k+2 against its threshold at step min(k+1, R−1).
    """
    a_name, b_name = order
    pa = negotiators[a_name]
    pb = negotiators[b_name]
    assert isinstance(pa, PlanNegotiator) and isinstance(pb, PlanNegotiator)
    plan_a, plan_b = pa.plan, pb.plan
    assert plan_a is not None and plan_b is not None
    ia = arena.case.party_index(a_name)
    ib = arena.case.party_index(b_name)
    u_b_of_a = arena.cross(plan_a.ladder)[plan_a.index, ib]
    u_a_of_b = arena.cross(plan_b.ladder)[plan_b.index, ia]
    accept = np.empty(2 * rounds, dtype=bool)
    np.greater_equal(u_b_of_a, plan_b.threshold - plan_b.tol, out=accept[0::2])
    np.greater_equal(u_a_of_b[:-1], plan_a.threshold[1:] - plan_a.tol, out=accept[1:-1:2])
    accept[-1] = u_a_of_b[-1] >= plan_a.threshold[-1] - plan_a.tol
    hit = int(accept.argmax())
    if not accept[hit]:
        hit = -1
    package: Package | None = None
    used = rounds
    if hit >= 0:
        k = hit // 2
        if hit % 2 == 0:
            package = tuple(plan_a.ladder.packages[plan_a.index[k]].tolist())
            used = k + 1
        else:
            package = tuple(plan_b.ladder.packages[plan_b.index[k]].tolist())
            used = min(k + 2, rounds)
    if moves is not None:
        last = hit if hit >= 0 else 2 * rounds - 1
        for e in range(last + 1):
            k = e // 2
            if e % 2 == 0:
                offer = (tuple(int(x) for x in plan_a.ladder.packages[plan_a.index[k]]),)
                moves.append(Move(len(moves), k + 1, a_name, "offer", offer))
                moves.append(Move(len(moves), k + 1, b_name, "accept" if accept[e] else "reject", offer))
            else:
                offer = (tuple(int(x) for x in plan_b.ladder.packages[plan_b.index[k]]),)
                moves.append(Move(len(moves), k + 1, b_name, "offer", offer))
                moves.append(Move(len(moves), min(k + 2, rounds), a_name, "accept" if accept[e] else "reject",
                                  offer))
    return Outcome(package, used, tuple(moves or ()))
