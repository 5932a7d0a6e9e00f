"""The agreement rule, applied: which packages pass (see docs/concepts.md, "Agreement rules").

A case's :class:`~accord.model.AgreementRule` says who must accept. Party i *accepts* a package ω when it is
individually rational for i, u_i(ω) ≥ b_i; ω *passes* when at least K parties accept and every veto party is
among them. Unanimity (the default) is K = n. Every part of Accord that asks "is this a deal?" — the
bargaining zone, ``frontier --rational``, the pyramid's level 1, the warnings of MESOs and plans, batch and
corpus evaluation — asks :func:`passes` (or :func:`passes_flags` on flags it already has), so they can never
disagree.

Passing is *monotone*: a package that dominates a passing package gives every accepting party at least as
much, so it passes too. Hence the frontier of the passing packages (passing packages no passing package
dominates) is exactly the set of Pareto-frontier packages that pass, and the frontier engine may prune with
the bounds every passing package meets (:func:`rule_bounds`) and filter its points afterwards.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.model import Case
from accord.model.preferences import FloatArray, IntArray

BoolArray = NDArray[np.bool_]

#: Relative slack of u ≥ b (the same as the bargaining module's).
_EPS = 1e-9


def accepts(case: Case, utilities: FloatArray, *, tol: float | None = None) -> BoolArray:
    """Which parties accept each package: an (R, parties) array of u_i ≥ b_i (within ``tol``).

    ``tol`` defaults to 1e-9 relative to the magnitude of the utilities and BATNAs.
    """
    u = np.atleast_2d(np.asarray(utilities, dtype=float))
    b = np.asarray(case.batnas, dtype=float)
    if tol is None:
        tol = _EPS * max(1.0, float(np.max(np.abs(u), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    out: BoolArray = u >= b[None, :] - tol
    return out


def passes_flags(case: Case, accepting: BoolArray) -> BoolArray:
    """Apply the case's rule to acceptance flags (R, parties) → (R,) bool.

    Examples
    --------
    >>> from accord.model import AgreementRule
    >>> case = Case.from_tables("t", {"a": ["x"]}, {"A": {"a": [0]}, "B": {"a": [0]}, "C": {"a": [0]}})
    >>> flags = np.array([[True, True, False], [False, True, True], [True, True, True]])
    >>> passes_flags(case, flags).tolist()
    [False, False, True]
    >>> ruled = Case(case.name, case.issues, case.parties, case.preferences,
    ...              agreement=AgreementRule(quorum=2, veto=("A",)))
    >>> passes_flags(ruled, flags).tolist()
    [True, False, True]
    """
    f = np.atleast_2d(np.asarray(accepting, dtype=bool))
    rule = case.agreement
    n = case.n_parties
    if rule.unanimous(n):
        out: BoolArray = np.all(f, axis=1)
        return out
    out = np.asarray(f.sum(axis=1) >= rule.required(n), dtype=bool)
    for who in rule.veto:
        out &= f[:, case.party_index(who)]
    return out


def passes(case: Case, utilities: FloatArray, *, tol: float | None = None) -> BoolArray:
    """Whether each package passes the case's agreement rule, from its utilities (R, parties) → (R,) bool.

    Parameters
    ----------
    case : Case
    utilities : ndarray, shape (R, parties) or (parties,)
        ``case.utilities(packages)``.
    tol : float, optional
        Absolute slack of u_i ≥ b_i (default 1e-9 relative to the magnitudes).

    Returns
    -------
    ndarray of bool, shape (R,)

    Notes
    -----
    ω passes when |{i : u_i(ω) ≥ b_i}| ≥ K and every veto party is in that set; under unanimity (K = n) this
    is individual rationality for every party (see docs/concepts.md, "Agreement rules").

    Examples
    --------
    >>> from accord.model import AgreementRule
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"]},
    ...     {"A": {"a": [0, 1, 2]}, "B": {"a": [2, 1, 0]}, "C": {"a": [1, 1, 0]}}, batnas={"A": 1, "B": 1, "C": 1})
    >>> passes(case, case.utilities([(0,), (1,), (2,)])).tolist()
    [False, True, False]
    >>> ruled = Case(case.name, case.issues, case.parties, case.preferences,
    ...              agreement=AgreementRule(quorum=2, veto=("A",)))
    >>> passes(ruled, ruled.utilities([(0,), (1,), (2,)])).tolist()
    [False, True, False]
    """
    return passes_flags(case, accepts(case, utilities, tol=tol))


def rule_bounds(case: Case) -> BoolArray:
    """Which parties every passing package must satisfy (u_i ≥ b_i): all under unanimity, else the veto
    parties — each other party can be outvoted when K < n. The frontier engine prunes with these bounds (the
    passing region lies inside them) and filters its points by the rule afterwards."""
    n = case.n_parties
    if case.agreement.unanimous(n):
        return np.ones(n, dtype=bool)
    out = np.zeros(n, dtype=bool)
    for who in case.agreement.veto:
        out[case.party_index(who)] = True
    return out


def rule_note(case: Case) -> str:
    """"" under unanimity, else the rule in words (for notes on zone results)."""
    return "" if case.unanimous else "agreement rule: " + case.agreement.describe(case.n_parties)


def below_batna_warning(case: Case, utilities: FloatArray, party: str, numbers: tuple[int, ...], *,
                        basis: str) -> str:
    """Warn, under the case's rule, about offers worth less to ``party`` than its BATNA ("" when none are).

    Parameters
    ----------
    case : Case
        Supplies the BATNAs and the agreement rule (the case as the warning's reader sees it).
    utilities : ndarray, shape (R, parties)
        Every party's points for each offer, in offer order (offer j is row j − 1).
    party : str
        The side the offers are made to.
    numbers : tuple of int
        Offer numbers (1, 2, ...) worth less to ``party`` than its BATNA.
    basis : str
        Whose preferences the points come from, in words (e.g. "under the case file's preferences").

    Notes
    -----
    Under unanimity, and when ``party`` holds a veto, such an offer cannot pass: ``party`` would be better off
    with its BATNA and its acceptance is required. Under a quorum rule a non-veto party can be outvoted: the
    offer still passes when enough other parties accept it (:func:`passes`), and the warning says so rather
    than calling it hopeless (see docs/concepts.md, "Agreement rules").

    Examples
    --------
    >>> from accord.model import AgreementRule
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [2, 0]}, "B": {"a": [2, 0]},
    ...     "C": {"a": [0, 2]}}, batnas={"A": 1, "B": 1, "C": 1})
    >>> w = below_batna_warning(case, case.utilities([(0,)]), "C", (1,), basis="here")
    >>> w.split(": ", 1)[1]
    "expect a no, and as C's acceptance is required they cannot pass"
    >>> ruled = Case(case.name, case.issues, case.parties, case.preferences, agreement=AgreementRule(quorum=2))
    >>> below_batna_warning(ruled, ruled.utilities([(0,)]), "C", (1,), basis="here").split("; ", 1)[1]
    'offer(s) 1 still pass the agreement rule (at least 2 of 3 parties accept) without C'
    """
    if not numbers:
        return ""
    u = np.atleast_2d(np.asarray(utilities, dtype=float))
    q = case.party_index(party)
    head = (f"offer(s) {', '.join(map(str, numbers))} give {party} less than its BATNA "
            f"({float(case.batnas[q]):,.4g} points) {basis}: expect a no")
    if rule_bounds(case)[q]:
        why = ("" if case.unanimous else
               f" ({party} holds a veto under the agreement rule: {case.agreement.describe(case.n_parties)})")
        return f"{head}, and as {party}'s acceptance is required they cannot pass{why}"
    rule = case.agreement.describe(case.n_parties)
    ok = passes(case, u[[j - 1 for j in numbers]])
    still = [j for j, p in zip(numbers, ok.tolist(), strict=True) if p]
    fail = [j for j, p in zip(numbers, ok.tolist(), strict=True) if not p]
    parts = [head]
    if still:
        parts.append(f"offer(s) {', '.join(map(str, still))} still pass the agreement rule ({rule}) without "
                     f"{party}")
    if fail:
        parts.append(f"offer(s) {', '.join(map(str, fail))} do not pass the agreement rule ({rule}) without "
                     f"{party}, so they cannot pass")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------------------
# the zone, counted
# ---------------------------------------------------------------------------------------------------------
#: The zone is counted (to report its size and the fraction an agreement dominates) up to this many packages.
ZONE_LIMIT = 10**7

#: Spaces up to this many packages are enumerated outright when the zone is counted.
_SMALL_SPACE = 4096

#: Rows of one enumerated chunk (times the issues) when a non-additive zone is counted.
_CHUNK_CELLS = 4_000_000


def zone_distribution(case: Case, *, limit: int = ZONE_LIMIT, tol: float = 0.0,
                      max_states: int | None = None) -> tuple[FloatArray, IntArray] | None:
    """The bargaining zone — the packages that pass the agreement rule — as distinct utility vectors with
    their package counts.

    Parameters
    ----------
    case : Case
    limit : int
        Give up (return None) when the zone has more packages than this.
    tol : float
        Slack on u_i ≥ b_i.
    max_states : int, optional
        Also give up when the count would hold more than this many distinct partial utility vectors (or, without
        additive preferences, enumerate more packages): a bound on the work, for callers that only report the
        size in passing (``bargaining`` uses 250,000).

    Returns
    -------
    (utilities, counts) or None
        ``utilities`` (D, parties) utility vectors of the passing packages, ``counts`` (D,) how many packages
        reach each (vectors are merged when the space is large; small spaces list each package); None when
        the zone exceeds ``limit`` (or, without additive preferences, when |Ω| does).

    Notes
    -----
    For additive preferences the zone is built issue by issue: the joint distribution of the parties'
    partial points (a dynamic programme over the issues, merging partial packages with equal points when the
    point tables are integers). A partial package is kept only while the parties that can still reach their
    BATNA (partial points plus the most the remaining issues can add) could pass the rule: at least K of them,
    every veto party among them. Acceptance sets only shrink as issues are added, so nothing that could pass
    is dropped, and the last stage keeps exactly the passing packages; Ω itself is never enumerated. Under
    unanimity this is the classic "can still reach every BATNA" bound. Other cases are enumerated in chunks
    when |Ω| ≤ ``limit``. When |Ω| > ``limit``, a sample of 20,000 packages (fixed seed) first rules out
    zones that are larger than ``limit`` beyond doubt (6 standard errors), so the count is not attempted in
    vain; None then only means "not counted", never a wrong count.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"]}, {"A": {"a": [0, 1, 2]}, "B": {"a": [2, 1, 0]}},
    ...                         batnas={"A": 1, "B": 0})
    >>> u, n = zone_distribution(case)
    >>> sorted(u.tolist()), int(n.sum())
    ([[1.0, 1.0], [2.0, 0.0]], 2)
    """
    b = np.asarray(case.batnas, dtype=float) - tol
    p = case.n_parties
    if case.space_size <= _SMALL_SPACE:  # a few thousand packages: enumerate, no merging needed
        u = case.utilities(np.indices(case.sizes).reshape(case.n_issues, -1).T)
        u = u[passes_flags(case, u >= b[None, :])]
        return (u, np.ones(len(u), dtype=np.int64)) if len(u) <= limit else None
    if case.space_size > limit and _zone_surely_exceeds(case, b, limit):
        return None
    if case.additive:
        # merging equal partial points pays with integer point tables (classroom cases), rarely otherwise
        merge = all(bool(np.all(sc == np.round(sc))) for sc in case.scores)
        suffix = np.zeros((case.n_issues + 1, p))
        for k in range(case.n_issues - 1, -1, -1):
            suffix[k] = suffix[k + 1] + case.scores[k].max(axis=1)
        states = np.zeros((1, p))
        counts = np.ones(1, dtype=np.int64)
        for k, s in enumerate(case.scores):
            parts_u = []
            parts_c = []
            total = 0
            held = 0
            for o in range(s.shape[1]):
                cand = states + s[:, o][None, :]
                ok = passes_flags(case, cand + suffix[k + 1][None, :] >= b[None, :])
                parts_u.append(cand[ok])
                parts_c.append(counts[ok])
                total += int(counts[ok].sum())
                held += len(parts_c[-1])
                if total > limit or (max_states is not None and held > max_states):
                    return None
            states, counts = np.concatenate(parts_u), np.concatenate(parts_c)
            if merge:
                states, counts = merge_rows(states, counts)
        return states, counts
    if case.space_size > min(limit, max_states if max_states is not None else limit):
        return None
    sizes = np.asarray(case.sizes, dtype=np.int64)
    acc_u: list[FloatArray] = []
    acc_c: list[IntArray] = []
    step = max(1, _CHUNK_CELLS // max(1, case.n_issues))
    for lo in range(0, case.space_size, step):
        idx = np.arange(lo, min(case.space_size, lo + step), dtype=np.int64)
        pk = np.empty((idx.size, case.n_issues), dtype=np.int64)
        for k in range(case.n_issues - 1, -1, -1):
            pk[:, k] = idx % sizes[k]
            idx = idx // sizes[k]
        u = case.utilities(pk)
        u = u[passes_flags(case, u >= b[None, :])]
        mu, mc = merge_rows(u, np.ones(len(u), dtype=np.int64))
        acc_u.append(mu)
        acc_c.append(mc)
    return merge_rows(np.concatenate(acc_u), np.concatenate(acc_c))


def merge_rows(u: FloatArray, counts: IntArray) -> tuple[FloatArray, IntArray]:
    """Merge identical rows of ``u``, adding their counts (a lexicographic sort, then run boundaries)."""
    if len(u) <= 1:
        return u, counts
    order = np.lexsort(u.T[::-1])
    su = u[order]
    starts = np.flatnonzero(np.concatenate(([True], np.any(su[1:] != su[:-1], axis=1))))
    merged: IntArray = np.add.reduceat(counts[order], starts)
    return su[starts], merged


def _zone_surely_exceeds(case: Case, b: FloatArray, limit: int, sample: int = 20_000) -> bool:
    """Whether a uniform sample of packages (fixed seed) puts |zone| above ``limit`` beyond doubt.

    With k of n sampled packages in the zone, the zone's share is at least (k − 6·√(k(1 − k/n)))/n but for a
    one-in-a-billion chance; when even that share of |Ω| exceeds ``limit``, counting the zone would only
    confirm that it is too large, at the cost of building ``limit`` partial packages first.
    """
    rng = np.random.default_rng(0)
    pk = np.stack([rng.integers(0, n, size=sample) for n in case.sizes], axis=1).astype(np.int64)
    k = int(passes_flags(case, case.utilities(pk) >= b[None, :]).sum())
    low = (k - 6.0 * np.sqrt(k * (1.0 - k / sample))) / sample
    return bool(low > 0 and low * case.space_size > limit)
