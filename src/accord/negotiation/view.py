"""What one negotiator may see of a case: its own preferences, the issues, the others' names — nothing else.

A :class:`PrivateView` is built by the simulator from the true case and handed to a negotiator. It carries the
negotiator's own points (additive tables), its BATNA, its own estimates of the others (when the case holds
them: they are its beliefs, not the truth) and the protocol's parameters. The other parties' preferences and
BATNAs are never in it, so a negotiator cannot peek (see docs/concepts.md, "Negotiators and protocols").
Ladders (:mod:`accord.negotiation.ladder`) are cached on the view, so negotiators of one party in one case
share their set-up work.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from math import prod
from typing import Any

import numpy as np

from accord.model import Case, Issue
from accord.model.preferences import FloatArray, IntArray
from accord.negotiation.ladder import LADDER_LIMIT, OfferLadder, build_ladder, ladder_from_candidates

__all__ = ["SAMPLE", "PrivateView", "private_views"]

#: With interaction terms, spaces up to this many packages are ranked in full, larger ones on a sample this big.
SAMPLE = 20_000


@dataclass(frozen=True, eq=False)
class PrivateView:
    """A negotiator's private view of a case.

    Attributes
    ----------
    party : str
        Whom the negotiator represents.
    parties : tuple of str
        Every party's name (in the case's order).
    issues : tuple of Issue
    tables : tuple of ndarray
        Own additive points per option, one read-only array per issue.
    batna : float
        Own BATNA in points.
    shared_scales : bool
        Whether the case declares one point scale for everybody.
    estimates : dict
        ``{other party: tables}``: the negotiator's own guess of another party's points (from the case file),
        if any.
    additive : bool
        Whether the negotiator's own preferences are additive (otherwise offers use their additive part).
    best, worst : float
        Own best and worst additive utility.
    tol : float
        Slack of own-utility comparisons: 1e-9 of the own point scale.
    """

    party: str
    parties: tuple[str, ...]
    issues: tuple[Issue, ...]
    tables: tuple[FloatArray, ...]
    batna: float
    shared_scales: bool
    estimates: dict[str, tuple[FloatArray, ...]]
    additive: bool
    best: float = 0.0
    worst: float = 0.0
    tol: float = 1e-9
    _own: Any = field(default=None, repr=False)
    _ladders: dict[Any, OfferLadder] = field(default_factory=dict, repr=False)

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(p for p in self.parties if p != self.party)

    @property
    def stakes(self) -> FloatArray:
        """r_k = max − min of own points per issue."""
        return np.array([float(t.max() - t.min()) for t in self.tables])

    def priorities(self) -> tuple[str, ...]:
        """Own issues, most important first (largest stake; ties in the case's issue order)."""
        r = self.stakes
        order = sorted(range(len(r)), key=lambda k: (-r[k], k))
        return tuple(self.issues[k].name for k in order)

    def utilities(self, packages: IntArray) -> FloatArray:
        """Own utilities of packages (N, issues), with interaction terms when the view holds them."""
        arr = np.atleast_2d(np.asarray(packages, dtype=np.int64))
        if self._own is not None:
            out: FloatArray = self._own.utilities(arr)
            return out
        total = np.zeros(arr.shape[0])
        for k, t in enumerate(self.tables):
            total += t[arr[:, k]]
        return total

    def fixed_pie_proxy(self) -> tuple[FloatArray, ...]:
        """The fixed-pie assumption: the other side's points are the negative of one's own, issue by issue."""
        return tuple(-t for t in self.tables)

    def ladder(self, proxy: tuple[FloatArray, ...] | None = None, *, key: Any = None,
               limit: int = LADDER_LIMIT) -> OfferLadder:
        """The own offer ladder above the BATNA (cached under ``key``; pass a key for a proxy ladder)."""
        cache_key = ("own", limit) if proxy is None else (key, limit)
        if proxy is not None and key is None:
            return self._build(proxy, limit)
        found = self._ladders.get(cache_key)
        if found is None:
            found = self._build(proxy, limit)
            self._ladders[cache_key] = found
        return found

    def _build(self, proxy: tuple[FloatArray, ...] | None, limit: int) -> OfferLadder:
        if self._own is None:
            return build_ladder(self.tables, proxy, floor=self.batna, limit=limit)
        # interaction terms: the additive merge proposes, the true utilities decide
        base = build_ladder(self.tables, proxy, floor=-np.inf, limit=limit)
        sample, exact = self._candidates()
        cands = np.concatenate((base.packages, sample))
        u = self.utilities(cands)
        v = None
        if proxy is not None:
            v = np.zeros(len(cands))
            for k, t in enumerate(proxy):
                v += np.asarray(t)[cands[:, k]]
        return ladder_from_candidates(cands, u, v, floor=self.batna, exact=exact)

    def _candidates(self) -> tuple[IntArray, bool]:
        """Every package when the space is small, else a seeded random sample (same for every negotiation)."""
        sizes = [issue.size for issue in self.issues]
        space = prod(sizes)
        if space <= SAMPLE:
            grids = np.meshgrid(*[np.arange(n) for n in sizes], indexing="ij")
            return np.stack([g.ravel() for g in grids], axis=1).astype(np.int64), True
        rng = np.random.default_rng([zlib.crc32(self.party.encode()), *sizes])
        return np.stack([rng.integers(0, n, SAMPLE) for n in sizes], axis=1).astype(np.int64), False


def private_views(case: Case) -> dict[str, PrivateView]:
    """One :class:`PrivateView` per party of ``case``."""
    out = {}
    for i, party in enumerate(case.parties):
        prefs = case.preferences[i]
        tables = tuple(np.asarray(case.scores[k][i]) for k in range(case.n_issues))
        estimates = {}
        for est in case.estimates:
            if est.holder == party.name:
                estimates[est.about] = tuple(np.asarray(est.preferences.table(k)) for k in range(case.n_issues))
        best = float(sum(float(t.max()) for t in tables))
        worst = float(sum(float(t.min()) for t in tables))
        b = float(case.batnas[i])
        tol = 1e-9 * max(1.0, abs(best), abs(worst), abs(b))
        out[party.name] = PrivateView(party.name, case.party_names, case.issues, tables, b, case.shared_scales,
                                      estimates, prefs.additive, best, worst, tol, None if prefs.additive else prefs)
    return out
