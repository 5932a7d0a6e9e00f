"""Brute-force oracles and a hand-checked case shared by the test suite (a plain module, not a conftest).

Everything here is independent of the engine: packages are enumerated with ``itertools.product``, evaluated
with ``Case.utilities`` (floats) and compared pairwise, so the tests can check the engine's answers against
them on small cases. ``pyproject.toml`` puts ``tests/`` on ``sys.path`` (``pythonpath``), so any test file can
``from oracles import ...``.

- ``all_packages``: every package (optionally only the ``allowed`` options per issue), one row per package.
- ``undominated``: a pairwise, exact (no tolerance) Pareto mask over utility rows.
- ``scale`` / ``ranks`` / ``brute_frontier`` / ``match_points``: the tolerant frontier oracle, which merges
  values per party that are equal within 1e-9 of the party's scale (chain clustering after sorting) before
  filtering dominated vectors.
- ``purchase_case``: the three-issue buyer/seller "Purchase" case worked out by hand in several tests.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from accord.model import Case


@dataclass(frozen=True)
class Oracle:
    """Brute-force frontier: points (float utilities) with counts and the set of packages reaching each."""

    points: dict[tuple[float, ...], tuple[int, frozenset[tuple[int, ...]]]]
    packages: np.ndarray
    utilities: np.ndarray


def all_packages(case: Case, allowed: list[list[int]] | None = None) -> np.ndarray:
    """Every package of ``case`` (or of the ``allowed`` option indices per issue), shape (n, n_issues)."""
    ranges = allowed or [list(range(s)) for s in case.sizes]
    return np.array(list(itertools.product(*ranges)), dtype=np.int64).reshape(-1, case.n_issues)


def undominated(u: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of ``u`` that no other row weakly dominates (>= everywhere, > somewhere).

    Exact comparison, no tolerance; duplicate rows do not dominate each other, so all copies are kept."""
    ge = np.all(u[None, :, :] >= u[:, None, :], axis=2)
    gt = np.any(u[None, :, :] > u[:, None, :], axis=2)
    return ~np.any(ge & gt, axis=1)


def scale(case: Case) -> np.ndarray:
    """Per party, a bound on |u| (the oracle's tolerance is 1e-9 of it)."""
    out = []
    for p in case.preferences:
        m = sum(float(np.abs(p.table(k)).max()) for k in range(case.n_issues))
        m += sum(abs(t.points) for t in p.interactions)
        out.append(max(m, abs(p.cap) if p.cap is not None else 0.0, 1e-300))
    return np.array(out)


def ranks(case: Case, u: np.ndarray) -> np.ndarray:
    """Dense ranks per party; values within 1e-9 of the scale (chained) share a rank."""
    out = np.zeros(u.shape, dtype=np.int64)
    tol = 1e-9 * scale(case)
    for j in range(u.shape[1]):
        order = np.argsort(u[:, j], kind="stable")
        s = u[order, j]
        out[order, j] = np.cumsum(np.r_[True, np.diff(s) > tol[j]]) - 1
    return out


def brute_frontier(case: Case, *, allowed: list[list[int]] | None = None,
                   at_least: np.ndarray | None = None) -> Oracle:
    """Distinct undominated utility vectors among the (allowed) packages that reach ``at_least``."""
    pk = all_packages(case, allowed)
    u = case.utilities(pk)
    r = ranks(case, u)
    if at_least is not None:
        tol = 1e-9 * scale(case)
        keep = np.all(u >= at_least[None, :] - tol[None, :], axis=1)
        pk, u, r = pk[keep], u[keep], r[keep]
    if len(pk) == 0:
        return Oracle({}, pk, u)
    uniq, inverse, counts = np.unique(r, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    points = {}
    for g in np.flatnonzero(undominated(uniq)):
        rows = np.flatnonzero(inverse == g)
        key = tuple(float(x) for x in u[rows[0]])
        points[key] = (int(counts[g]), frozenset(tuple(int(o) for o in pk[row]) for row in rows))
    return Oracle(points, pk, u)


def match_points(case: Case, oracle: Oracle, utilities: np.ndarray) -> list[tuple[float, ...]]:
    """For each engine point, the oracle point it equals (within the oracle's tolerance); asserts one exists."""
    tol = 2e-9 * scale(case) + 1e-12
    keys = list(oracle.points)
    arr = np.array(keys) if keys else np.zeros((0, case.n_parties))
    out = []
    for row in utilities:
        hit = np.flatnonzero(np.all(np.abs(arr - row[None, :]) <= tol[None, :] * case.n_issues, axis=1))
        assert hit.size == 1, f"engine point {row.tolist()} matches {hit.size} oracle points"
        out.append(keys[int(hit[0])])
    return out


def purchase_case() -> Case:
    """The hand-checked three-issue buyer/seller case (shared scales, both BATNAs 20)."""
    return Case.from_tables(
        "Purchase",
        {"price": ["low", "mid", "high"], "delivery": ["slow", "fast"], "warranty": ["short", "long"]},
        {"buyer": {"price": [40, 20, 0], "delivery": [0, 30], "warranty": [0, 10]},
         "seller": {"price": [0, 20, 40], "delivery": [10, 0], "warranty": [0, 5]}},
        batnas={"buyer": 20, "seller": 20}, shared_scales=True)


# -- oracles written from the definitions (docs/concepts.md), with nothing of the engine but Case.utilities ------
# Each one enumerates every package and evaluates it with ``Case.utilities``; the raw score tables are read from
# the case's data (``Preferences.scores``), never through an engine helper, so a bug in ``best_utilities``,
# ``compromise_package``, ``Belief.utilities`` or the utility grid cannot hide behind its own oracle.

def best_improvement_oracle(case: Case, pkg: tuple[int, ...]) -> tuple[float, tuple[int, ...]] | None:
    """(joint gain, package) of the improvement the definition picks: the largest Σ_i w_i Δu_i over the packages
    that dominate ``pkg``; ties (1e-9 relative) to the leximin-largest sorted weighted gains, then to the first
    package in issue and option order. None when nothing dominates ``pkg``."""
    pk = all_packages(case)
    dom = dominating(case, pkg)
    if not dom.any():
        return None
    w = gain_weights(case)
    d = (case.utilities(pk[dom]) - case.utilities([pkg])[0][None, :]) * w[None, :]
    joint = d.sum(axis=1)
    top = float(joint.max())
    tj = 1e-9 * max(1.0, abs(top))
    rows = np.flatnonzero(joint >= top - tj)
    gains = np.sort(d[rows], axis=1)
    for k in range(gains.shape[1]):  # leximin: the smallest weighted gain first, then the next, ...
        ok = gains[:, k] >= gains[:, k].max() - tj
        rows, gains = rows[ok], gains[ok]
    first = min(tuple(int(x) for x in pk[dom][r]) for r in rows)
    return top, first


def best_points(case: Case) -> np.ndarray:
    """u_i^max: each party's most points over every package (interaction terms and caps included)."""
    return np.asarray(case.utilities(all_packages(case)).max(axis=0), dtype=float)


def gain_weights(case: Case) -> np.ndarray:
    """Weight of a point of party i in a joint gain: 1 with shared scales, else 1 / (u_i^max − b_i) (0 when the
    best package does not beat the BATNA, where the normalised gain is undefined)."""
    if case.shared_scales:
        return np.ones(case.n_parties)
    span = best_points(case) - np.asarray(case.batnas, dtype=float)
    return np.where(span > 0, 1.0 / np.where(span > 0, span, 1.0), 0.0)


def compromise(case: Case) -> tuple[int, ...]:
    """The compromise package: per issue the option maximising min_i e_ik(o), e = (s − min s) / (max s − min s)
    (1 for a party with no stake), ties: larger Σ_i e_ik(o), then the earlier option. Exact rationals."""
    from fractions import Fraction

    out = []
    for k, size in enumerate(case.sizes):
        es = []
        for p in case.preferences:
            s = [Fraction(float(x)) for x in p.scores[k]]
            r = max(s) - min(s)
            es.append([(x - min(s)) / r if r else Fraction(1) for x in s])
        key = [(min(e[o] for e in es), sum(e[o] for e in es), -o) for o in range(size)]
        out.append(max(range(size), key=lambda o: key[o]))
    return tuple(out)


@dataclass(frozen=True)
class OracleTrade:
    """A two-issue logroll found by enumeration: issues k < l moved to options o, p; gains per party (points)."""

    k: int
    l: int  # noqa: E741 - the issue pair (k, l) as in docs/concepts.md
    o: int
    p: int
    package: tuple[int, ...]
    gains: tuple[float, ...]
    joint: float
    least: float


def logroll_trades(case: Case, ref: tuple[int, ...], between: list[int], *, strict: bool) -> list[OracleTrade]:
    """Every two-issue trade from ``ref`` meeting the logrolling rule, best first.

    For the trading parties S: every Δ_i > 0 (``strict``; else all ≥ 0 and one > 0), and each half of the trade
    costs a trading party something (moving issue k alone leaves some i ∈ S strictly worse off, and so does moving
    l alone). Joint gain Σ_S w_i Δ_i (:func:`gain_weights`); order: joint gain, then the smallest weighted gain of
    a trading party, then issue and option order. Comparisons allow 1e-9 of the largest magnitude involved."""
    w = gain_weights(case)
    u_ref = case.utilities([ref])[0]
    span = best_points(case) - np.asarray(case.batnas, dtype=float)
    tol = 1e-9 * max(1.0, float(np.abs(np.concatenate([u_ref, span])).max()))
    s = list(between)

    def moved(changes: dict[int, int]) -> tuple[int, ...]:
        pkg = list(ref)
        for k, o in changes.items():
            pkg[k] = o
        return tuple(pkg)

    def delta(pkg: tuple[int, ...]) -> np.ndarray:
        return np.asarray(case.utilities([pkg])[0] - u_ref, dtype=float)

    out = []
    for k, l in itertools.combinations(range(case.n_issues), 2):  # noqa: E741
        for o in range(case.sizes[k]):
            for p in range(case.sizes[l]):
                if o == ref[k] or p == ref[l]:
                    continue
                pkg = moved({k: o, l: p})
                d = delta(pkg)[s]
                ok = bool(np.all(d > tol)) if strict else bool(np.all(d >= -tol) and np.any(d > tol))
                costs_k = bool(np.any(delta(moved({k: o}))[s] < -tol))
                costs_l = bool(np.any(delta(moved({l: p}))[s] < -tol))
                if ok and costs_k and costs_l:
                    full = delta(pkg)
                    weighted = full[s] * w[s]
                    out.append(OracleTrade(k, l, o, p, pkg, tuple(float(x) for x in full),
                                           float(np.sort(weighted).sum()), float(weighted.min())))
    out.sort(key=lambda t: (-t.joint, -t.least, t.k, t.l, t.o, t.p))
    return out


def best_package_deal(case: Case, ref: tuple[int, ...], between: list[int], *, strict: bool) -> float | None:
    """The largest joint gain Σ_S w_i Δ_i over every package (any number of issues changed) whose gains meet the
    logrolling condition for S; None when no package does."""
    pk = all_packages(case)
    u_ref = case.utilities([ref])[0]
    d = case.utilities(pk) - u_ref[None, :]
    span = best_points(case) - np.asarray(case.batnas, dtype=float)
    tol = 1e-9 * max(1.0, float(np.abs(np.concatenate([u_ref, span])).max()))
    ds = d[:, between]
    ok = np.all(ds > tol, axis=1) if strict else np.all(ds >= -tol, axis=1) & np.any(ds > tol, axis=1)
    if not ok.any():
        return None
    return float((ds[ok] * gain_weights(case)[between]).sum(axis=1).max())


def dominating(case: Case, package: tuple[int, ...]) -> np.ndarray:
    """Rows of :func:`all_packages` that Pareto-dominate ``package``: ≥ for every party, > for one, each
    comparison allowing the tie tolerance of docs/concepts.md (1e-9 of the party's scale)."""
    u = case.utilities(all_packages(case))
    t = case.utilities([package])[0]
    tol = 1e-9 * scale(case)
    d = u - t[None, :]
    return np.asarray(np.all(d >= -tol[None, :], axis=1) & np.any(d > tol[None, :], axis=1))


def lose_lose(case: Case) -> list[set[int]]:
    """Per issue, the options every party scores strictly below one other option of that issue (issues that an
    interaction term touches are left alone: there a swap need not raise everyone's points)."""
    touched = {k for p in case.preferences for t in p.interactions for k, _ in t.conditions}
    out: list[set[int]] = []
    for k, size in enumerate(case.sizes):
        bad: set[int] = set()
        if k not in touched:
            for o in range(size):
                if any(all(p.scores[k][q] > p.scores[k][o] for p in case.preferences) for q in range(size) if q != o):
                    bad.add(o)
        out.append(bad)
    return out


def hypothesis_points(case: Case, tables: list[np.ndarray], packages: np.ndarray) -> np.ndarray:
    """U_h(ω) for every hypothesis h (columns): Σ_k tables[k][h, ω_k], evaluated as a case whose parties are the
    hypotheses (so through ``Case.utilities`` alone)."""
    from accord.model import Party, Preferences

    n_h = tables[0].shape[0]
    prefs = tuple(Preferences(tuple(tuple(float(x) for x in t[h]) for t in tables)) for h in range(n_h))
    hyp = Case("hypotheses", case.issues, tuple(Party(f"h{h}") for h in range(n_h)), prefs)
    return np.asarray(hyp.utilities(packages), dtype=float)


@dataclass(frozen=True)
class MesoOracle:
    """The band on the proposer's points, the packages inside it (lose-lose options excluded) and, per
    hypothesis, the package the definition picks for it (None when the band holds no allowed package)."""

    low: float
    high: float
    inside: np.ndarray
    best_for: tuple[tuple[int, ...] | None, ...]


def meso_oracle(case: Case, proposer: int, level: float, tolerance: float, tables: list[np.ndarray],
                probabilities: np.ndarray, *, tie: float = 1e-9) -> MesoOracle:
    """Per hypothesis h: argmax U_h over the packages with u_A in b_A + (level ± tolerance)(u_A^max − b_A);
    ties in U_h (within ``tie``) go to the LARGER believed mean Σ_h p_h U_h, then to the first package."""
    pk = all_packages(case)
    ua = case.utilities(pk)[:, proposer]
    b = float(case.batnas[proposer])
    span = float(ua.max()) - b
    lo, hi = b + (level - tolerance) * span, b + (level + tolerance) * span
    eps = 1e-9 * max(1.0, abs(lo), abs(hi))
    keep = (ua >= lo - eps) & (ua <= hi + eps)
    for k, bad in enumerate(lose_lose(case)):
        for o in bad:
            keep &= pk[:, k] != o
    inside = pk[keep]
    picks: list[tuple[int, ...] | None] = []
    if len(inside) == 0:
        return MesoOracle(lo, hi, inside, tuple(None for _ in probabilities))
    uh = hypothesis_points(case, tables, inside)
    mean = uh @ np.asarray(probabilities, dtype=float)
    for h in range(uh.shape[1]):
        top = uh[:, h].max()
        tied = np.flatnonzero(uh[:, h] >= top - tie)
        best_mean = mean[tied].max()
        first = tied[mean[tied] >= best_mean - tie][0]  # enumeration order = package order
        picks.append(tuple(int(x) for x in inside[first]))
    return MesoOracle(lo, hi, inside, tuple(picks))
