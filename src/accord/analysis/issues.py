"""Kinds of issue — compatible, distributive, integrative — and the logrolling pairs between them
(docs/concepts.md#kinds-of-issue).

Thompson's first diagnostic question is what kind of interest each issue is: *compatible* (both sides want
the same thing), *distributive* (fixed-sum: whatever one gains the other loses) or *integrative* (the sides
care differently, so trading it creates value). This module labels every issue for every pair of parties,
with the numbers that produced the label — stakes, importance shares, best options, the complementarity
spread, rank correlations and joint values — and a "why" sentence written from those numbers. Beside the
labels it lists the logrolling pairs: opposed issues whose priorities differ, each with the concrete trade
and the joint gain it creates.

Everything is computed from per-issue score tables (parties × options), never from packages, except the
joint gains of trades, which evaluate one package per trade (vectorised).

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*, ch. 8 (integrative negotiation: distributive,
integrative and compatible issues; logrolling).
Raiffa, H. (1982). *The Art and Science of Negotiation*, ch. 10–11 (many issues, additive scoring systems).
Kendall, M. G. (1938). A new measure of rank correlation. *Biometrika* 30(1/2).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

import numpy as np

from accord._format import fmt_number
from accord.analysis.frontier import Frontier
from accord.errors import RequestError
from accord.model import Case, Package
from accord.model.preferences import FloatArray

Kind = Literal["compatible", "distributive", "integrative"]
IssueKindName = Literal["compatible", "distributive", "integrative", "mixed"]

#: Default tolerance τ of docs/concepts.md#kinds-of-issue.
DEFAULT_TAU = 0.1
#: Default number of logrolling pairs kept (the count is always exact).
DEFAULT_MAX_PAIRS = 50
#: Relative slack for floating-point comparisons (points are floats; a boundary case must not flip).
_SLACK = 1e-9


# ---------------------------------------------------------------------------------------------------------
# small numeric helpers (shared with potential.py and perception.py)
# ---------------------------------------------------------------------------------------------------------
def check_tau(tau: float) -> float:
    """Validate the tolerance τ: a finite number in [0, 1)."""
    try:
        t = float(tau)
    except (TypeError, ValueError):
        raise RequestError(f"tau must be a number between 0 and 1, not {tau!r}") from None
    if not (0.0 <= t < 1.0):
        raise RequestError(f"tau must be at least 0 and below 1 (default 0.1), not {tau!r}")
    return t


def _le(a: float, b: float) -> bool:
    """a ≤ b up to floating-point slack."""
    return a <= b + _SLACK * max(1.0, abs(b))


def _gt(a: float, b: float) -> bool:
    """a > b beyond floating-point slack."""
    return not _le(a, b)


def fmt(x: float) -> str:
    """A number as a person reads it: thousands separated, integers without decimals, else 3 digits.

    Examples
    --------
    >>> fmt(4000.0), fmt(0.25), fmt(-1234.5), fmt(1e-12)
    ('4,000', '0.25', '-1,234', '0')
    """
    return fmt_number(float(x))  # the one number formatter of every command and report


def pct(x: float) -> str:
    """A share as a percentage with 3 significant digits (``0.5`` → ``"50%"``)."""
    if not np.isfinite(x):
        return "n/a"
    return f"{100 * x:.3g}%"


def stakes(case: Case) -> FloatArray:
    """Stakes r_ik = max_o s_ik(o) − min_o s_ik(o), shape (parties, issues).

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...                         {"A": {"a": [0, 3], "b": [1, 2]}, "B": {"a": [2, 0], "b": [0, 0]}})
    >>> stakes(case).tolist()
    [[3.0, 1.0], [2.0, 0.0]]
    """
    out = np.stack([s.max(axis=1) - s.min(axis=1) for s in case.scores], axis=1)
    tiny = _SLACK * np.maximum(1.0, np.stack([np.abs(s).max(axis=1) for s in case.scores], axis=1))
    out = np.where(out <= tiny, 0.0, out)
    return np.asarray(out, dtype=float)


def importance_shares(r: FloatArray) -> FloatArray:
    """Importance shares π_ik = r_ik / Σ_l r_il (0 for a party with no stake anywhere).

    Examples
    --------
    >>> importance_shares(np.array([[3.0, 1.0], [0.0, 0.0]])).tolist()
    [[0.75, 0.25], [0.0, 0.0]]
    """
    total = r.sum(axis=1, keepdims=True)
    out: FloatArray = np.where(total > 0, r / np.where(total > 0, total, 1.0), 0.0)
    return out


def normalised_scores(s: FloatArray) -> FloatArray:
    """e_ik(o) = (s_ik(o) − min s_ik) / r_ik per party (rows); a party with zero stake gets e = 1 everywhere.

    The convention e = 1 for an indifferent party matches :func:`accord.analysis.bargaining.compromise_package`:
    every option is as good as its best.
    """
    lo = s.min(axis=1, keepdims=True)
    r = s.max(axis=1, keepdims=True) - lo
    tiny = _SLACK * np.maximum(1.0, np.abs(s).max(axis=1, keepdims=True))
    zero = r <= tiny
    out: FloatArray = np.where(zero, 1.0, (s - lo) / np.where(zero, 1.0, r))
    return out


def best_masks(s: FloatArray) -> np.ndarray:
    """Boolean (parties, options): which options are best for each party (argmax sets, float-tolerant)."""
    top = s.max(axis=1, keepdims=True)
    tol = _SLACK * np.maximum(1.0, np.abs(s).max(axis=1, keepdims=True))
    return np.asarray(s >= top - tol)


def issue_joint_values(case: Case, k: int, weights: FloatArray | None = None) -> FloatArray:
    """Joint value of each option of issue ``k``, on the scale every combined value uses (docs/concepts.md).

    With shared scales, Σ_i s_ik(o) in raw points. Otherwise what the option adds to the sum of normalised
    gains Σ_i g_i over each party's worst option of the issue: Σ_i w_i (s_ik(o) − min s_ik) with
    w_i = 1 / (u_i^max − b_i) (``weights``, see :func:`joint_weights`; 0 for a party whose best package does
    not beat its BATNA). For additive preferences without a cap, the package of each issue's highest joint
    value is therefore the package of the largest Σ g — the "best" option of every issue agrees with the
    max-joint package.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 4]}, "B": {"a": [2, 0]}},
    ...                         batnas={"A": 0, "B": 1})
    >>> issue_joint_values(case, 0).tolist()  # A: 4 points from BATNA 0 to best; B: 2 − 1 = 1
    [2.0, 1.0]
    """
    s = case.scores[k]
    if case.shared_scales:
        out: FloatArray = s.sum(axis=0)
        return out
    w = joint_weights(case) if weights is None else weights
    out = np.sort((s - s.min(axis=1, keepdims=True)) * w[:, None], axis=0).sum(axis=0)
    return out


def _average_ranks(a: FloatArray) -> FloatArray:
    """1-based ranks, ties sharing their average rank (as ``scipy.stats.rankdata``)."""
    _, inverse, counts = np.unique(a, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    out: FloatArray = ((ends - counts + 1 + ends) / 2.0)[inverse.reshape(-1)]
    return out


#: Above this many options Kendall's τ is left to scipy's O(n log n) routine (the direct way needs n² memory).
_KENDALL_DIRECT = 1000


def rank_correlations(a: FloatArray, b: FloatArray) -> tuple[float | None, float | None]:
    """Spearman ρ and Kendall τ-b of two parties' option scores (None when either is constant).

    Computed with numpy (the same definitions as ``scipy.stats.spearmanr`` and ``kendalltau``, against which
    the tests check them): importing ``scipy.stats`` costs more than a second, which ``accord analyze``
    should not pay. Issues with more than 1000 options use scipy's routine.

    Examples
    --------
    >>> rank_correlations(np.array([0.0, 1.0, 2.0]), np.array([2.0, 1.0, 0.0]))
    (-1.0, -1.0)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.size < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return None, None
    ra, rb = _average_ranks(a), _average_ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    rho = float(np.clip((ra @ rb) / np.sqrt((ra @ ra) * (rb @ rb)), -1.0, 1.0))
    if a.size > _KENDALL_DIRECT:
        from scipy import stats

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ken = float(stats.kendalltau(a, b).statistic)
    else:
        sa = np.sign(a[:, None] - a[None, :])
        sb = np.sign(b[:, None] - b[None, :])
        n0 = a.size * (a.size - 1) / 2
        ties_a = float(np.sum(sa == 0) - a.size) / 2
        ties_b = float(np.sum(sb == 0) - b.size) / 2
        ken = float(np.clip(float(np.sum(sa * sb)) / 2 / np.sqrt((n0 - ties_a) * (n0 - ties_b)), -1.0, 1.0))
    return (rho if np.isfinite(rho) else None), (ken if np.isfinite(ken) else None)


# ---------------------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PairKind:
    """The kind of one issue for one pair of parties, with the numbers behind it.

    Attributes
    ----------
    issue : str
    parties : (str, str)
    kind : {"compatible", "distributive", "integrative"}
    stakes : (float, float)
        r_ik, r_jk in each party's points.
    shares : (float, float)
        Importance shares π_ik, π_jk.
    basis : str
        What the equal-importance test compared: ``"raw stakes"`` (shared scales) or ``"importance shares"``.
    importance_gap, importance_limit : float
        |r_ik − r_jk| or |π_ik − π_jk|, and τ · max of the two.
    equal_importance : bool
        gap ≤ limit.
    spread, spread_limit : float
        Spread (max − min over options) of s_ik + s_jk (shared scales; limit τ · max stake) or of
        e_ik + e_jk (limit τ).
    complementary : bool
        spread ≤ limit: every option gives the pair the same joint value.
    best : (tuple of str, tuple of str)
        Each party's best options (argmax set).
    common_best : tuple of str
        Options best for both (non-empty ⇔ compatible).
    spearman, kendall : float or None
        Rank correlation of the two parties' option scores (None when a party is indifferent or there is
        one option); −1 is perfectly opposed.
    single_opposed : bool
        True when this is the only opposed issue of the pair, so the single-issue rule decided the label.
    reason : str
        The "why", written from these numbers.
    """

    issue: str
    parties: tuple[str, str]
    kind: Kind
    stakes: tuple[float, float]
    shares: tuple[float, float]
    basis: str
    importance_gap: float
    importance_limit: float
    equal_importance: bool
    spread: float
    spread_limit: float
    complementary: bool
    best: tuple[tuple[str, ...], tuple[str, ...]]
    common_best: tuple[str, ...]
    spearman: float | None
    kendall: float | None
    single_opposed: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        i, j = self.parties
        return {
            "parties": [i, j],
            "kind": self.kind,
            "stakes": {i: self.stakes[0], j: self.stakes[1]},
            "shares": {i: self.shares[0], j: self.shares[1]},
            "basis": self.basis,
            "importance_gap": self.importance_gap,
            "importance_limit": self.importance_limit,
            "equal_importance": self.equal_importance,
            "complementarity_spread": self.spread,
            "spread_limit": self.spread_limit,
            "complementary": self.complementary,
            "best_options": {i: list(self.best[0]), j: list(self.best[1])},
            "common_best": list(self.common_best),
            "rank_correlation": {"spearman": self.spearman, "kendall": self.kendall},
            "single_opposed_issue": self.single_opposed,
            "why": self.reason,
        }


@dataclass(frozen=True)
class IssueKind:
    """One issue's kind with all its evidence.

    Attributes
    ----------
    name : str
    kind : {"compatible", "distributive", "integrative", "mixed"}
        The common label of every pair of parties, or ``"mixed"`` (n > 2) with the pairs' labels in ``pairs``.
    options : tuple of str
    stakes : dict
        r_ik per party.
    shares : dict
        π_ik per party.
    best_options : dict
        Each party's argmax set.
    joint_values : tuple of float
        Per option: Σ_i s_ik(o) with shared scales, else what it adds to the sum of normalised gains
        Σ_i (s_ik(o) − min s_ik) / (u_i^max − b_i) (see :func:`issue_joint_values`).
    joint_scale : str
        ``"points"`` or ``"normalised gains"``.
    joint_spread : float
        max − min of ``joint_values``.
    joint_varies : bool
        Whether the joint value varies beyond τ times the largest stake on the same scale (raw stake with
        shared scales, else r_ik / (u_i^max − b_i)).
    pairs : tuple of PairKind
        The evidence for every pair of parties.
    why : str
        The reason, written from the numbers.
    tau : float
        The tolerance τ the label used.
    """

    name: str
    kind: IssueKindName
    options: tuple[str, ...]
    stakes: dict[str, float]
    shares: dict[str, float]
    best_options: dict[str, tuple[str, ...]]
    joint_values: tuple[float, ...]
    joint_scale: str
    joint_spread: float
    joint_varies: bool
    pairs: tuple[PairKind, ...]
    why: str
    tau: float = DEFAULT_TAU

    @property
    def opposed(self) -> bool:
        """Whether the issue is opposed for at least one pair of parties."""
        return any(p.kind != "compatible" for p in self.pairs)

    def pair(self, a: str, b: str) -> PairKind:
        """The evidence for parties ``a`` and ``b`` (in either order)."""
        for p in self.pairs:
            if set(p.parties) == {a, b}:
                return p
        raise RequestError(f"no pair ({a}, {b}) for issue {self.name!r}; the parties are "
                           f"{', '.join(self.stakes)}")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.name,
            "kind": self.kind,
            "why": self.why,
            "stakes": dict(self.stakes),
            "shares": dict(self.shares),
            "best_options": {p: list(o) for p, o in self.best_options.items()},
            "joint_values": dict(zip(self.options, self.joint_values, strict=True)),
            "joint_scale": self.joint_scale,
            "joint_spread": self.joint_spread,
            "joint_value_varies": self.joint_varies,
            "tau": self.tau,
        }
        if len(self.pairs) == 1:
            # Two parties: the pair's evidence is the issue's evidence; flatten it for easy reading.
            flat = self.pairs[0].to_dict()
            for key in ("basis", "importance_gap", "importance_limit", "equal_importance",
                        "complementarity_spread", "spread_limit", "complementary", "common_best",
                        "rank_correlation", "single_opposed_issue"):
                d[key] = flat[key]
        d["pairs"] = [p.to_dict() for p in self.pairs]
        return d


@dataclass(frozen=True)
class LogrollPair:
    """Two opposed issues whose priorities differ, with the trade they allow (see docs/concepts.md).

    The trade is the best two-issue trade on these issues that leaves both parties *strictly* better off than
    the compromise package, found by :func:`accord.analysis.logroll.logrolls` (the one trade search behind
    ``accord analyze`` and ``accord logroll``). When there is none, ``both_gain`` is False, ``package`` is the
    compromise package, every change is 0, and ``gets`` says only who wants what.

    Attributes
    ----------
    parties : (str, str)
        The two parties that trade (i, j).
    issues : (str, str)
        The two issues k and l (k before l in the case's order); ``gets`` says who gets which.
    ratios : (float, float)
        Priority ratios π_ik/π_il and π_jk/π_jl.
    ratio_gap, ratio_limit : float
        |ratio_i − ratio_j| and τ · max(ratio_i, ratio_j); a pair is listed when gap > limit.
    gets : dict
        ``{issue: (party, option)}``: on each issue, who the trade moves it towards and to which option (the
        party whose points rise when that issue alone moves); without a trade, each party's preferred option.
    reference : dict
        The reference package's options on the two issues (the compromise package).
    package : dict
        The whole traded package (the reference with the two issues moved).
    changes : dict
        Every party's change in points from the reference package (third parties included).
    joint_gain : float
        Over the two trading parties: Σ Δu with shared scales, else Σ Δu_p / (u_p^max − b_p) (normalised
        gains); always > 0 with a trade, 0 without.
    scale : str
        ``"points"`` or ``"normalised gains"``.
    both_gain : bool
        Whether there is a trade (it leaves both trading parties strictly better off than the reference).
    why : str
    """

    parties: tuple[str, str]
    issues: tuple[str, str]
    ratios: tuple[float, float]
    ratio_gap: float
    ratio_limit: float
    gets: dict[str, tuple[str, str]]
    reference: dict[str, str]
    package: dict[str, str]
    changes: dict[str, float]
    joint_gain: float
    scale: str
    both_gain: bool
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "issues": list(self.issues),
            "ratios": {self.parties[0]: self.ratios[0], self.parties[1]: self.ratios[1]},
            "ratio_gap": self.ratio_gap,
            "ratio_limit": self.ratio_limit,
            "trade": {issue: {"party": who, "option": opt} for issue, (who, opt) in self.gets.items()},
            "reference": dict(self.reference),
            "package": dict(self.package),
            "changes": dict(self.changes),
            "joint_gain": self.joint_gain,
            "scale": self.scale,
            "both_gain": self.both_gain,
            "why": self.why,
        }


@dataclass(frozen=True)
class IssueKinds:
    """Every issue's kind with its evidence, and the logrolling pairs (result of :func:`classify_issues`).

    Attributes
    ----------
    parties : tuple of str
    tau : float
    shared_scales : bool
    issues : tuple of IssueKind
        In the case's issue order.
    logrolling : tuple of LogrollPair
        The logrolling pairs (at most ``max_pairs``): those with a win-win trade first, by joint gain.
    logrolling_count : int
        How many issue pairs have different priorities in all (with a trade or not).
    reference : dict
        The reference package trades are measured from (the compromise package, docs/concepts.md#the-pyramid).
    notes : tuple of str
        Caveats (e.g. interaction terms are not part of per-issue kinds).
    """

    parties: tuple[str, ...]
    tau: float
    shared_scales: bool
    issues: tuple[IssueKind, ...]
    logrolling: tuple[LogrollPair, ...]
    logrolling_count: int
    reference: dict[str, str]
    notes: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> IssueKind:
        for issue in self.issues:
            if issue.name == name:
                return issue
        raise RequestError(f"unknown issue {name!r}; the case has: {', '.join(i.name for i in self.issues)}")

    def __iter__(self) -> Iterator[IssueKind]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def kinds(self) -> dict[str, IssueKindName]:
        """``{issue: kind}``."""
        return {i.name: i.kind for i in self.issues}

    def of_kind(self, kind: str) -> tuple[str, ...]:
        """Names of the issues with this kind."""
        return tuple(i.name for i in self.issues if i.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "tau": self.tau,
            "basis": "raw stakes (shared scales)" if self.shared_scales else "importance shares",
            "issues": [i.to_dict() for i in self.issues],
            "logrolling": [p.to_dict() for p in self.logrolling],
            "logrolling_count": self.logrolling_count,
            "reference": dict(self.reference),
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------------------------------------------------
# classification
# ---------------------------------------------------------------------------------------------------------
def _opts(options: tuple[str, ...], mask: np.ndarray) -> tuple[str, ...]:
    return tuple(o for o, m in zip(options, mask, strict=True) if m)


def _say(opts: tuple[str, ...]) -> str:
    if len(opts) > 3:
        return " or ".join(opts[:3]) + f" (or {len(opts) - 3} more)"
    return " or ".join(opts)


def _pair_kind(case: Case, k: int, i: int, j: int, tau: float, r: FloatArray, pi: FloatArray,
               single: bool) -> PairKind:
    """Label issue ``k`` for parties ``i`` and ``j`` exactly as docs/concepts.md#kinds-of-issue defines it."""
    issue = case.issues[k]
    names = (case.party_names[i], case.party_names[j])
    s = case.scores[k][[i, j]]
    masks = best_masks(s)
    common = masks[0] & masks[1]
    ri, rj = float(r[i, k]), float(r[j, k])
    shared = case.shared_scales
    if shared:
        basis, a, b = "raw stakes", ri, rj
        sums = s.sum(axis=0)
        spread_limit = tau * max(ri, rj)
    else:
        basis, a, b = "importance shares", float(pi[i, k]), float(pi[j, k])
        sums = normalised_scores(s).sum(axis=0)
        spread_limit = tau
    gap = abs(a - b)
    limit = tau * max(a, b)
    equal = _le(gap, limit)
    spread = float(np.ptp(sums))
    complementary = _le(spread, spread_limit)
    rho, ken = rank_correlations(s[0], s[1])
    best = (_opts(issue.options, masks[0]), _opts(issue.options, masks[1]))
    common_best = _opts(issue.options, common)
    kind: Kind
    if common.any():
        kind = "compatible"
    elif single:
        kind = "distributive" if complementary else "integrative"
    else:
        kind = "distributive" if (equal and complementary) else "integrative"
    reason = _pair_reason(case, k, names, kind, (ri, rj), (a, b), basis, gap, limit, equal, spread,
                          spread_limit, complementary, best, common_best, rho, single, sums)
    return PairKind(issue.name, names, kind, (ri, rj), (float(pi[i, k]), float(pi[j, k])), basis, gap, limit,
                    equal, spread, spread_limit, complementary, best, common_best, rho, ken,
                    single and kind != "compatible", reason)


def _pair_reason(case: Case, k: int, names: tuple[str, str], kind: Kind, r: tuple[float, float],
                 imp: tuple[float, float], basis: str, gap: float, limit: float, equal: bool, spread: float,
                 spread_limit: float, complementary: bool, best: tuple[tuple[str, ...], tuple[str, ...]],
                 common_best: tuple[str, ...], rho: float | None, single: bool, sums: FloatArray) -> str:
    """The "why" of one pair's label, written from the numbers that decided it."""
    i, j = names
    opts = case.issues[k].options
    shared = basis == "raw stakes"
    unit = " points" if shared else ""

    def importance(x: float, stake: float) -> str:
        return f"{fmt(stake)} points" if shared else f"{pct(x)} of its total stakes"

    if kind == "compatible":
        if r[0] == 0 and r[1] == 0:
            return f"compatible: neither {i} nor {j} cares about it (stake 0 for both); any option will do"
        if r[0] == 0 or r[1] == 0:
            idle, keen = (i, j) if r[0] == 0 else (j, i)
            stake = r[1] if r[0] == 0 else r[0]
            return (f"compatible: {idle} is indifferent (stake 0), so giving {keen} its best "
                    f"({_say(common_best)}) costs {idle} nothing and is worth {fmt(stake)} points to {keen}")
        return (f"compatible: {i} and {j} both do best with {_say(common_best)}; any other option costs "
                f"{i} up to {fmt(r[0])} and {j} up to {fmt(r[1])} points (a lose-lose agreement)")
    head = f"{i} wants {_say(best[0])}, {j} wants {_say(best[1])}"
    rank = f"; Spearman ρ = {rho:.2f}" if rho is not None else ""
    imp_text = (f"{i} {importance(imp[0], r[0])} vs {j} {importance(imp[1], r[1])}, "
                f"gap {fmt(gap) if shared else pct(gap)} {'≤' if equal else '>'} τ·max = "
                f"{fmt(limit) if shared else pct(limit)}")
    jv = "s_i + s_j" if shared else "e_i + e_j"
    spread_text = (f"the joint value ({jv}) varies by {'only ' if complementary else ''}{fmt(spread)}{unit} "
                   f"across options ({'≤' if complementary else '>'} {fmt(spread_limit)})")
    if kind == "distributive":
        if single:
            return (f"distributive: {head}; it is the only issue they disagree on ({i} {importance(imp[0], r[0])}, "
                    f"{j} {importance(imp[1], r[1])}), so there is nothing to trade it against, and {spread_text}: "
                    f"what one gains the other loses{rank}")
        return (f"distributive: {head}; equal importance ({imp_text}) and {spread_text}: what one gains the "
                f"other loses{rank}")
    parts = []
    if single:
        parts.append(f"it is the only issue they disagree on ({i} {importance(imp[0], r[0])}, {j} "
                     f"{importance(imp[1], r[1])})")
    elif equal:
        parts.append(f"they care about it equally ({imp_text})")
    else:
        parts.append(f"{i if imp[0] > imp[1] else j} cares more ({imp_text})")
    parts.append(spread_text + ("" if complementary else f", highest at {opts[int(np.argmax(sums))]}"))
    return f"integrative: {head}; {'; '.join(parts)}: worth trading{rank}"


def _issue_why(name: str, kind: IssueKindName, pairs: tuple[PairKind, ...]) -> str:
    if len(pairs) == 1:
        return pairs[0].reason
    if kind == "mixed":
        labels = ", ".join(f"{p.kind} for {p.parties[0]}–{p.parties[1]}" for p in pairs)
        return f"mixed: {labels}. " + " ".join(f"[{p.parties[0]}–{p.parties[1]}] {p.reason}." for p in pairs)
    return f"{kind} for every pair of parties. " + " ".join(
        f"[{p.parties[0]}–{p.parties[1]}] {p.reason}." for p in pairs)


def opposed_issues(case: Case, i: int, j: int) -> np.ndarray:
    """Boolean per issue: parties ``i`` and ``j`` have no best option in common (the issue is opposed)."""
    out = np.zeros(case.n_issues, dtype=bool)
    for k in range(case.n_issues):
        masks = best_masks(case.scores[k][[i, j]])
        out[k] = not bool((masks[0] & masks[1]).any())
    return out


def pair_kinds(case: Case, i: int, j: int, *, tau: float = DEFAULT_TAU) -> tuple[PairKind, ...]:
    """The kind of every issue for parties ``i`` and ``j`` (indices), with evidence; see :func:`classify_issues`.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    >>> [pk.kind for pk in pair_kinds(case, 0, 1)]
    ['distributive']
    """
    tau = check_tau(tau)
    r = stakes(case)
    pi = importance_shares(r)
    opposed = opposed_issues(case, i, j)
    single = int(opposed.sum()) == 1
    return tuple(_pair_kind(case, k, i, j, tau, r, pi, single and bool(opposed[k])) for k in range(case.n_issues))


def logrolling_candidates(case: Case, i: int, j: int, *,
                          tau: float = DEFAULT_TAU) -> list[tuple[int, int, int, int, float, float, float, float]]:
    """Issue pairs (k, l) that parties ``i``, ``j`` can logroll: both opposed, priority ratios differ beyond τ.

    Returns rows ``(k, l, party getting k, party getting l, ratio_i, ratio_j, gap, limit)`` with k < l.
    """
    tau = check_tau(tau)
    pi = importance_shares(stakes(case))
    idx = np.flatnonzero(opposed_issues(case, i, j))
    rows: list[tuple[int, int, int, int, float, float, float, float]] = []
    if idx.size < 2:
        return rows
    ri = pi[i, idx][:, None] / pi[i, idx][None, :]
    rj = pi[j, idx][:, None] / pi[j, idx][None, :]
    gap = np.abs(ri - rj)
    lim = tau * np.maximum(ri, rj)
    ok = np.triu(gap > lim + _SLACK * np.maximum(1.0, lim), 1)
    for a, b in zip(*np.nonzero(ok), strict=True):
        wk, wl = (i, j) if ri[a, b] > rj[a, b] else (j, i)
        rows.append((int(idx[a]), int(idx[b]), wk, wl, float(ri[a, b]), float(rj[a, b]), float(gap[a, b]),
                     float(lim[a, b])))
    return rows


def classify_issues(
    case: Case,
    *,
    tau: float = DEFAULT_TAU,
    frontier: Frontier | None = None,
    max_pairs: int = DEFAULT_MAX_PAIRS,
) -> IssueKinds:
    """Label every issue compatible, distributive or integrative, with its evidence and the logrolling pairs.

    Parameters
    ----------
    case : Case
    tau : float, default 0.1
        The tolerance τ of docs/concepts.md#kinds-of-issue (importance gap, complementarity spread, priority-ratio gap).
    frontier : Frontier, optional
        The case's frontier, if already computed: its column maxima then give each party's best utility
        (needed without shared scales). A frontier is never computed here.
    max_pairs : int, default 50
        How many logrolling pairs to keep (the best by joint gain); ``logrolling_count`` is always exact.

    Returns
    -------
    IssueKinds

    Raises
    ------
    RequestError
        If ``tau`` is not in [0, 1) or ``max_pairs`` is negative.

    Notes
    -----
    For parties i, j and issue k (docs/concepts.md#kinds-of-issue), with stakes r_ik = max s_ik − min s_ik, importance
    shares
    π_ik = r_ik / Σ_l r_il and normalised scores e_ik(o) = (s_ik(o) − min s_ik) / r_ik:

    * **compatible** when the argmax sets of s_ik and s_jk intersect;
    * otherwise (opposed) **distributive** when |π_ik − π_jk| ≤ τ · max(π_ik, π_jk) and the spread over
      options of e_ik + e_jk is ≤ τ — with shared scales, |r_ik − r_jk| ≤ τ · max(r_ik, r_jk) and the
      spread of s_ik + s_jk ≤ τ · max(r_ik, r_jk);
    * **integrative** otherwise.

    *Single opposed issue.* When k is the only issue opposed for i and j, there is nothing to trade it
    against, so importance is not looked at: it is distributive when its joint value does not vary
    (spread within the limit above) and integrative when it does.

    *Zero stakes.* A party with r_ik = 0 finds every option best, so its argmax set meets the other's and the
    issue is compatible for that pair: the indifferent party can give the other its best option at no
    cost, and anything else is lose-lose. Such an issue is never opposed, so it never enters logrolling (its
    priority ratio would divide by zero) and it never counts towards the single-opposed-issue rule.

    *More than two parties.* Every pair is classified; the issue's kind is the pairs' common label, or
    ``"mixed"`` with each pair's label and evidence in ``pairs``.

    *Logrolling pairs.* Issues k, l both opposed for i, j form a pair when
    |π_ik/π_il − π_jk/π_jl| > τ · max(π_ik/π_il, π_jk/π_jl) (with shared scales the ratio of shares equals the
    ratio of raw stakes). The party with the larger ratio cares relatively more about k. Each pair carries
    its **trade**: the best move of k and l away from the compromise package ρ (see docs/concepts.md) that
    leaves *both* i and j strictly better off, as :func:`accord.analysis.logroll.logrolls` finds it (ranked by
    joint gain, then balance, then option order). Its joint gain = Σ_{p∈{i,j}} (u_p(traded) − u_p(ρ)) in raw
    points with shared scales, otherwise Σ_{p∈{i,j}} (u_p(traded) − u_p(ρ)) / (u_p^max − b_p), the change in
    the sum of normalised gains (a party whose best package is not above its BATNA counts 0); every other
    party's change is in ``changes``. A pair with different priorities may still have no such trade (each
    move that pays one side costs the other more than it can bear): it is listed with ``both_gain`` False and
    no change, after the pairs that have one. Utilities are the full preferences, interactions included.

    The kinds use each party's additive points s_ik; interaction terms join several issues and belong to no
    single one (a note says so when a case has them).

    Examples
    --------
    >>> case = Case.from_tables("Job offer",
    ...     {"salary": ["90k", "95k", "100k"], "start": ["June", "July", "August"],
    ...      "training": ["no", "yes"]},
    ...     {"candidate": {"salary": [0, 1000, 2000], "start": [0, 300, 600], "training": [0, 500]},
    ...      "employer": {"salary": [2000, 1000, 0], "start": [1600, 800, 0], "training": [0, 300]}},
    ...     shared_scales=True)
    >>> kinds = classify_issues(case)
    >>> kinds.kinds
    {'salary': 'distributive', 'start': 'integrative', 'training': 'compatible'}
    >>> kinds["start"].stakes
    {'candidate': 600.0, 'employer': 1600.0}
    >>> pair = kinds.logrolling[0]
    >>> pair.issues, pair.both_gain
    (('salary', 'start'), False)
    >>> pair.why.endswith("no trade here")
    True
    """
    tau = check_tau(tau)
    if max_pairs < 0:
        raise RequestError(f"max_pairs must be 0 or more, not {max_pairs}")
    r = stakes(case)
    pi = importance_shares(r)
    n, m = case.n_parties, case.n_issues
    pair_idx = list(combinations(range(n), 2))
    per_issue: list[list[PairKind]] = [[] for _ in range(m)]
    for i, j in pair_idx:
        for k, pk in enumerate(pair_kinds(case, i, j, tau=tau)):
            per_issue[k].append(pk)
    results = []
    weights = joint_weights(case, frontier)
    for k, issue in enumerate(case.issues):
        pairs = tuple(per_issue[k])
        labels = {pk.kind for pk in pairs}
        kind: IssueKindName = pairs[0].kind if len(labels) == 1 else "mixed"
        joint = issue_joint_values(case, k, weights)
        spread = float(np.ptp(joint))
        limit = tau * float((r[:, k] * weights).max())
        results.append(IssueKind(
            issue.name, kind, issue.options,
            {case.party_names[i]: float(r[i, k]) for i in range(n)},
            {case.party_names[i]: float(pi[i, k]) for i in range(n)},
            {case.party_names[i]: _opts(issue.options, best_masks(case.scores[k][[i]])[0]) for i in range(n)},
            tuple(float(x) for x in joint), "points" if case.shared_scales else "normalised gains",
            spread, _gt(spread, limit), pairs, _issue_why(issue.name, kind, pairs), tau,
        ))
    from accord.analysis.bargaining import compromise_package

    ref = compromise_package(case)
    logs, count = _logrolling(case, tau, pair_idx, ref, frontier, max_pairs)
    notes = []
    if not case.additive:
        notes.append("some preferences have interaction terms or a binding cap: issue kinds use the additive "
                     "points per issue; joint gains of trades use the full preferences")
    return IssueKinds(case.party_names, tau, case.shared_scales, tuple(results), logs, count, case.labels(ref),
                      tuple(notes))


# ---------------------------------------------------------------------------------------------------------
# logrolling
# ---------------------------------------------------------------------------------------------------------
def party_best_utilities(case: Case, frontier: Frontier | None = None) -> FloatArray:
    """u_i^max for every party: the column maxima of ``frontier`` when one is given (free), otherwise each
    party's best package found exactly without a frontier (:func:`accord.analysis.optimize.best_utilities`)."""
    if frontier is not None:
        out: FloatArray = frontier.utilities.max(axis=0)
        return out
    from accord.analysis.optimize import best_utilities

    return best_utilities(case)


def joint_weights(case: Case, frontier: Frontier | None = None) -> FloatArray:
    """Weights w_i turning point changes into joint-value changes: 1 with shared scales, else 1/(u_i^max − b_i)."""
    if case.shared_scales:
        return np.ones(case.n_parties)
    span = party_best_utilities(case, frontier) - np.asarray(case.batnas, dtype=float)
    out: FloatArray = np.where(span > 0, 1.0 / np.where(span > 0, span, 1.0), 0.0)
    return out


def preferred_options(case: Case, weights: FloatArray | None = None) -> np.ndarray:
    """(parties, issues): each party's preferred option — its best, ties to the highest joint value, then first."""
    out = np.zeros((case.n_parties, case.n_issues), dtype=np.int64)
    w = weights if weights is not None or case.shared_scales else joint_weights(case)
    for k in range(case.n_issues):
        masks = best_masks(case.scores[k])
        joint = issue_joint_values(case, k, w)
        for i in range(case.n_parties):
            cand = np.flatnonzero(masks[i])
            out[i, k] = int(cand[np.argmax(joint[cand])])
    return out


def _logrolling(case: Case, tau: float, pair_idx: list[tuple[int, int]], ref: Package, frontier: Frontier | None,
                max_pairs: int) -> tuple[tuple[LogrollPair, ...], int]:
    # The concrete trade of each pair comes from the one trade search (accord.analysis.logroll), so the
    # logrolling pairs, the trade table of ``accord analyze`` and ``accord logroll`` never disagree.
    from accord.analysis.logroll import Trade, logrolls

    pref = preferred_options(case, joint_weights(case, frontier))
    rows: list[tuple[int, int, int, int, int, float, float, float, float]] = []  # pair, k, l, wk, wl, ratios..
    for p, (i, j) in enumerate(pair_idx):
        rows.extend((p, *row) for row in logrolling_candidates(case, i, j, tau=tau))
    count = len(rows)
    if not rows or max_pairs == 0:
        return (), count
    names = case.party_names
    found: dict[int, dict[tuple[int, int], Trade]] = {}
    for p in sorted({row[0] for row in rows}):
        i, j = pair_idx[p]
        lr = logrolls(case, between=[names[i], names[j]], reference=ref,
                      limit=max(1, case.n_issues * (case.n_issues - 1) // 2), package_deal=False,
                      frontier=frontier)
        found[p] = {}
        for t in lr.trades:
            k, q = (case.issue_index(c.issue) for c in t.changes)
            found[p][(min(k, q), max(k, q))] = t
    scale = "points" if case.shared_scales else "normalised gains"
    ref_labels = case.labels(ref)
    base = case.utilities(np.asarray(ref, dtype=np.int64)[None, :])[0]
    made: list[tuple[tuple[Any, ...], LogrollPair]] = []
    for p, k, k2, wk, wl, rat_i, rat_j, gap, lim in rows:
        i, j = pair_idx[p]
        ik, il = case.issues[k], case.issues[k2]
        trade = found[p].get((k, k2))
        if trade is not None:
            pkg = trade.package_index
            gets = {}
            for issue in (k, k2):
                one = np.asarray(ref, dtype=np.int64)
                one[issue] = pkg[issue]
                alone = case.utilities(one[None, :])[0] - base
                who = i if alone[i] > alone[j] else j
                gets[case.issues[issue].name] = (names[who], case.issues[issue].options[pkg[issue]])
            changes = dict(trade.gains)
            gain = trade.joint_gain
        else:
            # No two-issue trade on k and l leaves both strictly better off: say who wants what, change nothing.
            pkg = ref
            gets = {ik.name: (names[wk], ik.options[int(pref[wk, k])]),
                    il.name: (names[wl], il.options[int(pref[wl, k2])])}
            changes = {q: 0.0 for q in names}
            gain = 0.0
        why = _trade_reason(names[i], names[j], ik.name, il.name, rat_i, rat_j, gets, ref_labels, changes,
                            gain, scale, names[wk], trade is not None)
        pair = LogrollPair(
            (names[i], names[j]), (ik.name, il.name), (rat_i, rat_j), gap, lim, gets,
            {ik.name: ik.options[ref[k]], il.name: il.options[ref[k2]]}, case.labels(tuple(pkg)), changes,
            float(gain), scale, trade is not None, why,
        )
        # Best first; ties by issue order and the parties' names — never by the order of the parties.
        made.append(((trade is None, -round(gain, 12), k, k2, tuple(sorted((names[i], names[j])))), pair))
    made.sort(key=lambda item: item[0])
    return tuple(pair for _, pair in made[:max_pairs]), count


def _trade_reason(i: str, j: str, k: str, k2: str, rat_i: float, rat_j: float,
                  gets: dict[str, tuple[str, str]], ref: dict[str, str], changes: dict[str, float],
                  gain: float, scale: str, keen: str, traded: bool) -> str:
    other = j if keen == i else i
    hi, lo = (rat_i, rat_j) if keen == i else (rat_j, rat_i)
    if not traded:
        wants = "; ".join(f"{who} wants {opt} on {issue}" for issue, (who, opt) in gets.items())
        return (f"{keen} puts {hi:.2f}× as much weight on {k} as on {k2}, {other} only {lo:.2f}× ({wants}), "
                f"but no change of these two issues from the compromise package leaves both {i} and {j} strictly "
                "better off: no trade here")
    moves = "; ".join(f"{who} gets {opt} on {issue} (from {ref[issue]})" for issue, (who, opt) in gets.items())
    deltas = ", ".join(f"{p} {'+' if v >= 0 else ''}{fmt(v)}" for p, v in changes.items())
    g = fmt(gain) if scale == "points" else f"{gain:+.3f}"
    if scale == "points" and gain >= 0:
        g = "+" + g
    return (f"{keen} puts {hi:.2f}× as much weight on {k} as on {k2}, {other} only {lo:.2f}×: {moves}. "
            f"Points: {deltas}; joint gain {g} ({scale})")
