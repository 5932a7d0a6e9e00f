"""The seed's claims as an experiment, with bootstrap confidence intervals.

The seed (Thompson's chapter on integrative negotiation) makes four behavioural claims. Each is turned into a
paired comparison between two conditions that differ in one thing only, run as tournaments
(:mod:`accord.negotiation.tournament`, on any backend) over the bundled two-party examples and seeded random
cases with a controlled mix of distributive, integrative (logrolling pairs) and compatible issues
(:func:`mixed_case`):

1. **Package offers beat issue-by-issue bargaining** — the same negotiator pairs under ``alternating`` and
   ``issue-by-issue``: joint value (Σ normalised gains), impasse rate, lose-lose settlements on compatible
   issues.
2. **The enlightened negotiator creates and claims more** than the old-fashioned one and the flower child —
   all nine pairings under alternating offers: each negotiator's own gain (claiming) and the joint value of
   its negotiations (creating).
3. **MESOs beat single offers** — the enlightened negotiator against the same opponents under the MESO
   exchange (3 packages per offer) and under single offers: joint value and its own gain.
4. **Revealing priorities (never the BATNA) pays** — ``enlightened`` (shares its priority order) versus
   ``enlightened-silent`` (does not) against the same opponents: its own gain and the joint value.

Statistics. Every negotiation of one condition has a twin in the other (same case, pairing, opener and
repetition), so the effect is the mean of paired differences; its 95 % confidence interval is the percentile
bootstrap (2,000 resamples, seeded). A claim is *supported* when the interval lies on the claimed side of 0,
*contradicted* when it lies on the other side, and *not shown* otherwise. Joint values use normalised gains
g_i = (u_i − b_i)/(u_i^max − b_i) (0 on impasse) so that cases with different point scales can be pooled.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*; Efron, B., Tibshirani, R. (1993). *An Introduction to the
Bootstrap*, ch. 13 (percentile intervals).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import RequestError
from accord.model import Case, Issue, Party, Preferences
from accord.negotiation.backends import Backend, make_backend
from accord.negotiation.tournament import tournament

__all__ = ["Claim", "Comparison", "ExperimentResult", "bootstrap_ci", "mixed_case", "seed_claims"]

#: Bootstrap resamples for every interval.
RESAMPLES = 2000
#: Bound on the random cases a user may ask for.
MAX_CASES = 1000


def mixed_case(seed: int, *, distributive: int = 1, integrative: int = 2, compatible: int = 1,
               options: int = 5) -> Case:
    """A two-party case with a controlled mix of issue kinds (shared point scale, BATNAs at 30 % of the best).

    * distributive: equal weights, exactly opposed linear scores (whatever one gains the other loses);
    * integrative: opposed linear scores, with weights drawn so that A cares more about some and B about
      others (so the issues can be traded — logrolling pairs);
    * compatible: both parties prefer the same (highest) option.

    Examples
    --------
    >>> from accord.analysis.issues import classify_issues
    >>> c = mixed_case(0)
    >>> sorted(k.kind for k in classify_issues(c).issues)
    ['compatible', 'distributive', 'integrative', 'integrative']
    """
    rng = np.random.default_rng(seed)
    line = np.linspace(0.0, 1.0, options)
    issues: list[Issue] = []
    a_rows: list[tuple[float, ...]] = []
    b_rows: list[tuple[float, ...]] = []

    def add(name: str, a: np.ndarray, b: np.ndarray) -> None:
        issues.append(Issue.ordinal(name, [f"level {o + 1}" for o in range(options)]))
        a_rows.append(tuple(float(x) for x in np.round(a)))
        b_rows.append(tuple(float(x) for x in np.round(b)))

    for k in range(distributive):
        w = float(rng.integers(20, 60)) * 10
        add(f"distributive {k + 1}", w * line, w * line[::-1])
    for k in range(integrative):
        hi, lo = float(rng.integers(40, 80)) * 10, float(rng.integers(5, 20)) * 10
        wa, wb = (hi, lo) if k % 2 == 0 else (lo, hi)
        add(f"integrative {k + 1}", wa * line, wb * line[::-1])
    for k in range(compatible):
        add(f"compatible {k + 1}", float(rng.integers(10, 40)) * 10 * line, float(rng.integers(10, 40)) * 10 * line)
    best_a = sum(max(r) for r in a_rows)
    best_b = sum(max(r) for r in b_rows)
    parties = (Party("A", batna=round(0.3 * best_a)), Party("B", batna=round(0.3 * best_b)))
    return Case(f"mixed {seed}", tuple(issues), parties, (Preferences(tuple(a_rows)), Preferences(tuple(b_rows))),
                shared_scales=True, description="seeded random case with a controlled mix of issue kinds")


def bootstrap_ci(values: Sequence[float] | np.ndarray, *, seed: int = 0, resamples: int = RESAMPLES,
                 level: float = 0.95) -> tuple[float, float, float]:
    """Mean and percentile-bootstrap confidence interval of the mean.

    Examples
    --------
    >>> m, lo, hi = bootstrap_ci([1.0, 2.0, 3.0, 4.0])
    >>> m, lo <= m <= hi
    (2.5, True)
    """
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, (resamples, x.size))].mean(axis=1)
    alpha = (1 - level) / 2
    return float(x.mean()), float(np.quantile(means, alpha)), float(np.quantile(means, 1 - alpha))


@dataclass(frozen=True)
class Comparison:
    """One measure compared between two conditions (paired by negotiation).

    Attributes
    ----------
    measure : str
    better : str
        ``"higher"`` or ``"lower"``: which direction the seed's claim predicts for condition A.
    a, b : tuple of float
        Mean and 95 % interval in each condition.
    difference : tuple of float
        Mean paired difference A − B and its 95 % interval.
    n : int
        Paired negotiations.
    verdict : str
        ``"supported"``, ``"contradicted"`` or ``"not shown"``.
    """

    measure: str
    better: str
    a: tuple[float, float, float]
    b: tuple[float, float, float]
    difference: tuple[float, float, float]
    n: int
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure, "claim_expects_a": self.better, "a": list(self.a), "b": list(self.b),
                "difference": list(self.difference), "n": self.n, "verdict": self.verdict}


@dataclass(frozen=True)
class Claim:
    """A seed claim, its two conditions and the comparisons."""

    key: str
    statement: str
    condition_a: str
    condition_b: str
    comparisons: tuple[Comparison, ...]
    table: tuple[tuple[Any, ...], ...] = ()
    table_header: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "statement": self.statement, "a": self.condition_a, "b": self.condition_b,
                "comparisons": [c.to_dict() for c in self.comparisons],
                "table": {"header": list(self.table_header), "rows": [list(r) for r in self.table]}}


@dataclass(frozen=True)
class ExperimentResult:
    claims: tuple[Claim, ...]
    cases: tuple[str, ...]
    rounds: int
    repetitions: int
    seed: int
    negotiations: int
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"experiment": "seed-claims", "cases": list(self.cases), "rounds": self.rounds,
                "repetitions": self.repetitions, "seed": self.seed, "negotiations": self.negotiations,
                "claims": [c.to_dict() for c in self.claims], "notes": list(self.notes)}


def _per_job(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per negotiation (job key without the protocol): joint gain, agreement, lose-lose and gains by party."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        j = out.setdefault(r["job"], {"joint": 0.0, "agreement": r["agreement"], "lose_lose": r["lose_lose"],
                                       "pareto": r["pareto_optimal"], "gain": {}, "negotiator": {}})
        g = max(0.0, float(r["gain"])) if r["agreement"] else 0.0
        j["joint"] += g
        j["gain"][r["party"]] = g
        j["negotiator"][r["party"]] = r["negotiator"]
    return out


def _compare(measure: str, better: str, a: list[float], b: list[float], seed: int) -> Comparison:
    da = np.asarray(a, dtype=float)
    db = np.asarray(b, dtype=float)
    diff = bootstrap_ci(da - db, seed=seed)
    lo, hi = diff[1], diff[2]
    if better == "lower":
        verdict = "supported" if hi < 0 else "contradicted" if lo > 0 else "not shown"
    else:
        verdict = "supported" if lo > 0 else "contradicted" if hi < 0 else "not shown"
    return Comparison(measure, better, bootstrap_ci(da, seed=seed), bootstrap_ci(db, seed=seed), diff, len(da),
                      verdict)


def seed_claims(*, random_cases: int = 12, examples: Sequence[Case] = (), rounds: int = 60, repetitions: int = 1,
                seed: int = 0, backend: str | Backend = "serial", workers: int | None = None,
                scheduler: str | None = None,
                progress: Callable[[str], None] | None = None) -> ExperimentResult:
    """Run the four comparisons (see the module docstring) and return their statistics.

    Parameters
    ----------
    random_cases : int
        Seeded :func:`mixed_case` cases (0 to 1,000), cycling through issue mixes.
    examples : sequence of Case
        Extra cases (two-party ones are used), e.g. the bundled examples.
    rounds, repetitions, seed, backend, workers, scheduler
        As in :func:`accord.negotiation.tournament.tournament`.
    progress : callable, optional
        Called with the name of each tournament as it starts.

    Raises
    ------
    RequestError
        No two-party case, or more random cases than :data:`MAX_CASES`.
    """
    if not 0 <= random_cases <= MAX_CASES:
        raise RequestError(f"random cases must be between 0 and {MAX_CASES}, not {random_cases}")
    mixes = [(1, 2, 1), (2, 2, 0), (0, 4, 1), (1, 2, 2), (2, 4, 1), (1, 0, 2)]
    cases: list[Case] = [mixed_case(seed * 7919 + i, distributive=d, integrative=g, compatible=c)
                         for i, (d, g, c) in ((i, mixes[i % len(mixes)]) for i in range(random_cases))]
    cases += [c for c in examples if c.n_parties == 2]
    if not cases:
        raise RequestError("the experiment needs at least one two-party case (random cases or examples)")
    be = backend if isinstance(backend, Backend) else make_backend(backend, workers, scheduler)
    total = 0

    def run(name: str, negs: list[str], protocol: str, meso: int = 3) -> dict[str, dict[str, Any]]:
        nonlocal total
        if progress is not None:
            progress(name)
        res = tournament(cases, negs, protocol=protocol, rounds=rounds, repetitions=repetitions, seed=seed,
                         meso=meso, backend=be)
        total += res.negotiations
        return _per_job(res.rows)

    claims = []
    try:
        # 1. packages vs issue by issue
        negs1 = ["linear", "conceder", "boulware", "enlightened"]
        pk = run("package offers", negs1, "alternating")
        ib = run("issue by issue", negs1, "issue-by-issue")
        keys = sorted(pk)
        comps = [
            _compare("joint value (Σ normalised gains)", "higher", [pk[k]["joint"] for k in keys],
                     [ib[k]["joint"] for k in keys], seed),
            _compare("impasse rate", "lower", [1.0 - pk[k]["agreement"] for k in keys],
                     [1.0 - ib[k]["agreement"] for k in keys], seed),
            _compare("lose-lose settlements on compatible issues", "lower",
                     [float(pk[k]["lose_lose"] or 0) for k in keys], [float(ib[k]["lose_lose"] or 0) for k in keys],
                     seed),
            _compare("Pareto-optimal rate", "higher", [float(pk[k]["pareto"]) for k in keys],
                     [float(ib[k]["pareto"]) for k in keys], seed),
        ]
        claims.append(Claim("packages", "Package offers beat issue-by-issue bargaining (more joint value, fewer "
                            "impasses, no lose-lose agreements on compatible issues)", "alternating offers of whole "
                            "packages", "issue by issue (agenda, binding settlements)", tuple(comps)))

        # 2. enlightened vs old-fashioned vs flower child
        negs2 = ["enlightened", "old-fashioned", "flower-child"]
        ar = run("archetypes", negs2, "alternating")
        gains: dict[str, list[float]] = {n: [] for n in negs2}
        joint: dict[str, list[float]] = {n: [] for n in negs2}
        cell: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for j in ar.values():
            parties = list(j["negotiator"])
            for p in parties:
                me = j["negotiator"][p]
                other = j["negotiator"][next(q for q in parties if q != p)]
                gains[me].append(j["gain"][p])
                joint[me].append(j["joint"])
                cell.setdefault((me, other), []).append((j["gain"][p], j["joint"]))
        table = []
        for me in negs2:
            row: list[Any] = [me]
            for other in negs2:
                vals = cell.get((me, other), [])
                row.append(f"{np.mean([v[0] for v in vals]):.3f} / {np.mean([v[1] for v in vals]):.3f}"
                           if vals else "—")
            m, lo, hi = bootstrap_ci(gains[me], seed=seed)
            row.append(f"{m:.3f} [{lo:.3f}, {hi:.3f}]")
            m, lo, hi = bootstrap_ci(joint[me], seed=seed)
            row.append(f"{m:.3f} [{lo:.3f}, {hi:.3f}]")
            table.append(tuple(row))
        comps = []
        for rival in ("old-fashioned", "flower-child"):
            # same opponent, same seat: the enlightened negotiator's rows against the rival's rows
            a_g, b_g, a_j, b_j = [], [], [], []
            for opp in negs2:
                va = cell.get(("enlightened", opp), [])
                vb = cell.get((rival, opp), [])
                n = min(len(va), len(vb))
                a_g += [v[0] for v in va[:n]]
                b_g += [v[0] for v in vb[:n]]
                a_j += [v[1] for v in va[:n]]
                b_j += [v[1] for v in vb[:n]]
            comps.append(_compare(f"own gain (claiming), enlightened − {rival}", "higher", a_g, b_g, seed))
            comps.append(_compare(f"joint value (creating), enlightened − {rival}", "higher", a_j, b_j, seed))
        claims.append(Claim("archetypes", "The enlightened negotiator creates and claims more value than the "
                            "old-fashioned negotiator and the flower child", "enlightened",
                            "old-fashioned / flower child (same opponents)", tuple(comps), tuple(table),
                            ("negotiator", *[f"vs {o}: own gain / joint" for o in negs2], "own gain [95% CI]",
                             "joint value [95% CI]")))

        # 3. MESOs vs single offers
        negs3 = ["enlightened", "linear", "old-fashioned"]
        me3 = run("MESO exchange", negs3, "meso", 3)
        so3 = run("single offers", negs3, "alternating")
        keys3 = sorted(k for k in me3 if "enlightened" in me3[k]["negotiator"].values())
        eg_a = [max(g for p, g in me3[k]["gain"].items() if me3[k]["negotiator"][p] == "enlightened") for k in keys3]
        eg_b = [max(g for p, g in so3[k]["gain"].items() if so3[k]["negotiator"][p] == "enlightened") for k in keys3]
        comps = [
            _compare("joint value", "higher", [me3[k]["joint"] for k in keys3], [so3[k]["joint"] for k in keys3],
                     seed),
            _compare("enlightened's own gain", "higher", eg_a, eg_b, seed),
            _compare("impasse rate", "lower", [1.0 - me3[k]["agreement"] for k in keys3],
                     [1.0 - so3[k]["agreement"] for k in keys3], seed),
        ]
        claims.append(Claim("meso", "Multiple equivalent simultaneous offers (MESOs) beat single offers",
                            "MESO exchange (3 packages per offer)", "single offers", tuple(comps)))

        # 4. revealing priorities vs not
        rv = run("revealing", ["enlightened", "flower-child", "linear"], "alternating")
        si = run("not revealing", ["enlightened-silent", "flower-child", "linear"], "alternating")

        def twin(key: str) -> str:
            return key.replace("enlightened", "enlightened-silent")

        keys4 = sorted(k for k in rv if "enlightened" in rv[k]["negotiator"].values() and twin(k) in si)
        ga, gb, ja, jb = [], [], [], []
        for k in keys4:
            for p, n in rv[k]["negotiator"].items():
                if n == "enlightened":
                    ga.append(rv[k]["gain"][p])
                    gb.append(si[twin(k)]["gain"][p])
                    ja.append(rv[k]["joint"])
                    jb.append(si[twin(k)]["joint"])
        comps = [_compare("revealer's own gain", "higher", ga, gb, seed),
                 _compare("joint value", "higher", ja, jb, seed)]
        claims.append(Claim("reveal", "Revealing one's priorities (never one's BATNA) pays", "enlightened (shares "
                            "its priority order)", "enlightened-silent (shares nothing)", tuple(comps)))
    finally:
        if not isinstance(backend, Backend):
            be.close()
    return ExperimentResult(tuple(claims), tuple(c.name for c in cases), rounds, repetitions, seed, total)


def bundled_examples(root: str | Path) -> list[Case]:
    """The two-party cases among the examples folder's YAML files."""
    from accord.io import load_case

    out = []
    for p in sorted(Path(root).glob("*.yaml")):
        c = load_case(p)
        if c.n_parties == 2:
            out.append(c)
    return out
