"""Issue-by-issue bargaining: an agenda, one issue settled at a time, earlier settlements binding.

The seed warns that settling issues one at a time misses the trades between them and risks impasse. This
protocol makes that testable. Each issue of the agenda is a separate alternating-offers negotiation
(:mod:`accord.negotiation.alternating`) over that issue's options alone, with fresh negotiators of the same
kinds, ``rounds // issues`` rounds (at least 1) and the same opener. In each sub-negotiation a party's
reservation point is its share of what it still needs: with S the issues still open and P_i the points already
settled, b_ik = min_k + (r_ik / Σ_{l∈S} r_il)(b_i − P_i − Σ_{l∈S} min_l) — the surplus it still needs over its
worst outcome, split over the open issues in proportion to its stakes r_ik (so a party that meets every
issue's reservation meets its BATNA, and one that won more early can give more later). An issue that ends
without agreement ends the whole negotiation in impasse; settled issues are never reopened. Interaction terms
are not seen issue by issue (each issue is judged by its own points); the final package is measured with the
case's true utilities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from accord.errors import RequestError
from accord.model import Case, Party, Preferences
from accord.negotiation.alternating import run_alternating
from accord.negotiation.arena import Arena, Move, Outcome
from accord.negotiation.base import Negotiator

__all__ = ["issue_case", "run_issue_by_issue"]


def issue_case(case: Case, k: int, settled: Sequence[int] | None = None) -> Case:
    """The one-issue case of issue ``k``; each party's reservation is its share of what it still needs given
    the options already ``settled`` (-1 = open)."""
    done = list(settled) if settled is not None else [-1] * case.n_issues
    open_ = [j for j in range(case.n_issues) if done[j] < 0 or j == k]
    parties = []
    prefs = []
    for i, party in enumerate(case.parties):
        tables = [np.asarray(s[i], dtype=float) for s in case.scores]
        got = sum(float(tables[j][done[j]]) for j in range(case.n_issues) if done[j] >= 0 and j != k)
        stakes = np.array([tables[j].max() - tables[j].min() for j in open_])
        mins = np.array([tables[j].min() for j in open_])
        total = float(stakes.sum())
        pos = open_.index(k)
        share = stakes[pos] / total if total > 0 else 1.0 / len(open_)
        b = float(mins[pos] + share * (float(case.batnas[i]) - got - float(mins.sum())))
        parties.append(Party(party.name, batna=b))
        prefs.append(Preferences((tuple(float(x) for x in tables[k]),)))
    return Case(f"{case.name} — {case.issues[k].name}", (case.issues[k],), tuple(parties), tuple(prefs),
                case.shared_scales)


def run_issue_by_issue(arena: Arena, factories: Mapping[str, Callable[[], Negotiator]], order: Sequence[str],
                       rounds: int, *, agenda: Sequence[str] | None = None, seed: int = 0,
                       trace: bool = True) -> Outcome:
    """Run the agenda; ``factories`` make a fresh negotiator per party for every issue."""
    case = arena.case
    names = list(agenda) if agenda is not None else list(case.issue_names)
    if sorted(names) != sorted(case.issue_names):
        raise RequestError(f"the agenda must list every issue once: {', '.join(case.issue_names)}")
    per_issue = max(1, rounds // case.n_issues)
    settled = [-1] * case.n_issues
    moves: list[Move] = []
    used = 0
    for pos, name in enumerate(names):
        k = case.issue_index(name)
        sub = Arena(issue_case(case, k, settled))
        negs = {p: factories[p]() for p in order}
        out = run_alternating(sub, negs, order, per_issue, seed=seed * 1_000_003 + pos, trace=trace)
        if trace:
            for mv in out.moves:
                pk = tuple(_expand(settled, k, p[0]) for p in mv.packages)
                moves.append(Move(len(moves), used + mv.round, mv.party, mv.action, pk, mv.choice,
                                  mv.detail or name))
        used += out.rounds
        if out.package is None:
            return Outcome(None, used, tuple(moves))
        settled[k] = out.package[0]
        if trace:
            moves.append(Move(len(moves), used, "agenda", "settle", (tuple(settled),), 0, name))
    return Outcome(tuple(settled), used, tuple(moves))


def _expand(settled: list[int], k: int, option: int) -> tuple[int, ...]:
    row = list(settled)
    row[k] = option
    return tuple(row)
