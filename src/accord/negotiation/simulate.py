"""``accord.simulate``: one negotiation between negotiators on a case, measured with the analysis floor.

>>> import accord
>>> case = accord.load_case("examples/job-offer.yaml")            # doctest: +SKIP
>>> r = accord.simulate(case, ["boulware", "conceder"], rounds=100, seed=0)   # doctest: +SKIP
>>> r.agreement, r.utilities, r.level                              # doctest: +SKIP

Negotiators are given in the case's party order (a list) or by party (a mapping); each is a registered name,
``module:Class``, a negotiator class or a factory. Who opens is ``opener`` (default: the first party given), so
the result does not depend on the order of the parties in the case file — permuting them permutes the result's
columns only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import RequestError
from accord.model import Case, Package
from accord.negotiation.alternating import run_alternating
from accord.negotiation.arena import Arena, Move, Outcome
from accord.negotiation.base import Negotiator
from accord.negotiation.issue_by_issue import run_issue_by_issue
from accord.negotiation.measures import Measurer, Measures
from accord.negotiation.mediated import run_mediated
from accord.negotiation.meso_exchange import DEFAULT_MESO, run_meso_exchange
from accord.negotiation.registry import resolve

__all__ = ["MAX_ROUNDS", "PROTOCOLS", "SimulationResult", "negotiate", "simulate"]

PROTOCOLS = ("alternating", "issue-by-issue", "meso", "mediated")
#: Bound on the deadline a user may ask for.
MAX_ROUNDS = 100_000

NegotiatorSpec = str | Callable[[], Negotiator]


@dataclass(frozen=True)
class SimulationResult:
    """One simulated negotiation.

    Attributes
    ----------
    case : str
    protocol : str
    parties : tuple of str
    negotiators : dict
        party → negotiator name.
    opener : str
    agreement : bool
    package : dict or None
        ``{issue: option}`` agreed (None on impasse).
    package_index : Package or None
    utilities : dict
        party → points (the BATNA on impasse).
    rounds : int
    pareto_optimal : bool
    level : int or None
        Pyramid level of the agreement (None on impasse).
    measures : Measures
    trace : tuple of Move
    trace_utilities : tuple of dict
        For every move, each party's true utility of its first package (empty dict when it has none).
    accuracy : dict
        party → opponent-model accuracy at the end ({"pearson", "priority_tau"}).
    seed : int
    learning : tuple of dict
        The opponent models' accuracy after every offer: ``{"move", "party", "pearson", "priority_tau"}``.
    discounted_utilities : dict or None
        With GENIUS discount factors d_i in the case: u_i · d_i^t, t = rounds used / deadline (the BATNA is
        discounted the same way on impasse, as GENIUS does); None when no party has one.
    """

    case: str
    protocol: str
    parties: tuple[str, ...]
    negotiators: dict[str, str]
    opener: str
    agreement: bool
    package: dict[str, str] | None
    package_index: Package | None
    utilities: dict[str, float]
    rounds: int
    pareto_optimal: bool
    level: int | None
    measures: Measures
    trace: tuple[Move, ...] = ()
    trace_utilities: tuple[dict[str, float], ...] = field(default=(), repr=False)
    accuracy: dict[str, dict[str, float | None]] = field(default_factory=dict)
    seed: int = 0
    learning: tuple[dict[str, Any], ...] = ()
    discounted_utilities: dict[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "protocol": self.protocol,
            "negotiators": dict(self.negotiators),
            "opener": self.opener,
            "seed": self.seed,
            "agreement": self.agreement,
            "package": self.package,
            "utilities": dict(self.utilities),
            "rounds": self.rounds,
            "pareto_optimal": self.pareto_optimal,
            "level": self.level,
            "measures": self.measures.to_dict(),
            "accuracy": dict(self.accuracy),
            "learning": list(self.learning),
            "discounted_utilities": self.discounted_utilities,
            "trace": [
                {"turn": m.turn, "round": m.round, "party": m.party, "action": m.action,
                 "packages": [[int(x) for x in p] for p in m.packages], "choice": m.choice, "detail": m.detail,
                 "utilities": u}
                for m, u in zip(self.trace, self.trace_utilities, strict=False)
            ],
        }


def _factory(spec: NegotiatorSpec) -> Callable[[], Negotiator]:
    if isinstance(spec, str):
        return resolve(spec)
    if callable(spec):
        return spec
    raise RequestError(f"a negotiator is a name, module:Class or a class, not {spec!r}")


def _label(spec: NegotiatorSpec) -> str:
    if isinstance(spec, str):
        return spec
    return str(getattr(spec, "name", getattr(spec, "__name__", repr(spec))))


def assign(case: Case, negotiators: Sequence[NegotiatorSpec] | Mapping[str, NegotiatorSpec],
           opener: str | None) -> tuple[dict[str, NegotiatorSpec], tuple[str, ...]]:
    """Negotiator per party and the moving order (opener first, then the order the negotiators were given)."""
    if isinstance(negotiators, Mapping):
        by_party = {str(k): v for k, v in negotiators.items()}
        for p in by_party:
            case.party_index(p)
        given = list(by_party)
    else:
        specs = list(negotiators)
        if len(specs) != case.n_parties:
            raise RequestError(f"give one negotiator per party ({case.n_parties}: {', '.join(case.party_names)}), "
                               f"not {len(specs)}")
        by_party = dict(zip(case.party_names, specs, strict=True))
        given = list(case.party_names)
    missing = [p for p in case.party_names if p not in by_party]
    if missing:
        raise RequestError(f"no negotiator for {', '.join(missing)}; give one per party")
    first = opener if opener is not None else given[0]
    case.party_index(first)
    k = given.index(first)
    return by_party, tuple(given[k:] + given[:k])


def check_request(protocol: str, rounds: int, case: Case, meso: int) -> None:
    if protocol not in PROTOCOLS:
        raise RequestError(f"unknown protocol {protocol!r}; choose one of {', '.join(PROTOCOLS)}")
    if not 1 <= rounds <= MAX_ROUNDS:
        raise RequestError(f"rounds must be between 1 and {MAX_ROUNDS:,}, not {rounds}")
    if protocol == "meso" and case.n_parties != 2:
        raise RequestError("the MESO exchange is for two parties; use alternating or mediated")
    if not 1 <= meso <= 10:
        raise RequestError(f"--meso must be between 1 and 10 packages, not {meso}")


def negotiate(arena: Arena, factories: Mapping[str, Callable[[], Negotiator]], order: Sequence[str], *,
              protocol: str, rounds: int, seed: int, meso: int = DEFAULT_MESO, agenda: Sequence[str] | None = None,
              trace: bool = False) -> Outcome:
    """Run one negotiation on an arena (the engine behind :func:`simulate` and tournaments)."""
    if protocol == "issue-by-issue":
        return run_issue_by_issue(arena, factories, order, rounds, agenda=agenda, seed=seed, trace=trace)
    negs = {p: factories[p]() for p in order}
    if protocol == "alternating":
        return run_alternating(arena, negs, order, rounds, seed=seed, trace=trace)
    if protocol == "meso":
        return run_meso_exchange(arena, negs, order, rounds, k=meso, seed=seed, trace=trace)
    return run_mediated(arena, negs, order, rounds, seed=seed, trace=trace)


def simulate(case: Case, negotiators: Sequence[NegotiatorSpec] | Mapping[str, NegotiatorSpec], *,
             protocol: str = "alternating", rounds: int = 100, seed: int = 0, opener: str | None = None,
             meso: int = DEFAULT_MESO, agenda: Sequence[str] | None = None) -> SimulationResult:
    """Simulate one negotiation and measure its outcome.

    Parameters
    ----------
    case : Case
    negotiators : sequence or mapping
        One per party: in the case's party order, or ``{party: negotiator}``. A negotiator is a registered name
        (``"boulware"``, ``"enlightened"``, ...; see :func:`accord.negotiation.registry.available`),
        ``"module:Class"``, or a class/factory returning a :class:`~accord.negotiation.base.Negotiator`.
    protocol : {"alternating", "issue-by-issue", "meso", "mediated"}
    rounds : int
        Deadline: each party proposes at most this many times (mediated: most proposals).
    seed : int
        Seed of the negotiators' random generators.
    opener : str, optional
        The party that moves first (default: the first one given).
    meso : int
        Packages per offer in the MESO exchange.
    agenda : sequence of str, optional
        Issue order for issue-by-issue (default: the case's).

    Returns
    -------
    SimulationResult

    Raises
    ------
    RequestError
        Unknown protocol, negotiator or party; a deadline outside 1..100,000; the wrong number of negotiators.

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [0, 2]}}, shared_scales=True)
    >>> r = simulate(case, ["boulware", "conceder"], rounds=10)
    >>> r.agreement, r.package, r.pareto_optimal
    (True, {'a': 'y', 'b': 'q'}, True)
    """
    check_request(protocol, rounds, case, meso)
    by_party, order = assign(case, negotiators, opener)
    factories = {p: _factory(s) for p, s in by_party.items()}
    arena = Arena(case)
    out = negotiate(arena, factories, order, protocol=protocol, rounds=rounds, seed=seed, meso=meso, agenda=agenda,
                    trace=True)
    m = Measurer(case).measure([out.package])[0]
    trace_u: list[dict[str, float]] = []
    full = [mv.packages[0] for mv in out.moves if mv.packages and min(mv.packages[0]) >= 0]
    table = case.utilities(np.asarray(full, dtype=np.int64)) if full else np.zeros((0, case.n_parties))
    j = 0
    for mv in out.moves:
        if mv.packages and min(mv.packages[0]) >= 0:
            trace_u.append({p: float(x) for p, x in zip(case.party_names, table[j], strict=True)})
            j += 1
        else:
            trace_u.append({})
    discounted = None
    if any(p.discount_factor is not None for p in case.parties):
        t = out.rounds / rounds
        discounted = {p.name: m.utilities[p.name] * (p.discount_factor ** t if p.discount_factor is not None
                                                     else 1.0) for p in case.parties}
    learning = tuple({"move": i, "party": p, **a.to_dict()} for i, p, a in out.accuracy_trace)
    return SimulationResult(
        case.name, protocol, case.party_names, {p: _label(by_party[p]) for p in case.party_names}, order[0],
        out.package is not None, None if out.package is None else case.labels(out.package), out.package,
        m.utilities, out.rounds, m.pareto_optimal, m.level, m, out.moves, tuple(trace_u),
        {p: a.to_dict() for p, a in out.accuracy.items()}, seed, learning, discounted)
