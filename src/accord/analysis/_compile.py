"""Turn a case into the exact integer problem the frontier engine solves.

Three things happen here, all of them exact reformulations:

1. **An integer grid per party.** Each party's points (option scores, interaction points, cap, thresholds) are
   expressed in quanta of ``q_i`` points. With integer points (and sums below 2**52) ``q_i = 1`` and nothing is
   rounded, so integer cases are compared exactly. Otherwise ``q_i = 10**(floor(log10(REL_TOL * M_i)) - d_i)``
   where ``M_i`` bounds ``|u_i|`` and ``10**d_i ≥ m_i``, the number of rounded addends (issues and interaction
   terms): a decimal grid, so decimal inputs such as 0.25 or 0.18 stay exact. Each addend is rounded on its
   own, so two packages whose utilities are exactly equal in real numbers can land up to ``m_i`` steps apart
   (``UtilityGrid.tie``; at most one ``REL_TOL`` step of the party's scale). For two parties the engine treats
   differences within that slack as ties (docs/concepts.md#frontier-and-ties: values equal within 1e-9 relative are one
   point); with
   three or more parties it still compares grid sums exactly (an exact real tie off the decimal grid can then
   split into two points). Sums of quanta are exact integers.
2. **Interaction terms are simplified.** Conditions that every allowed option meets are dropped, terms that can
   never fire are dropped, terms on one issue are folded into that issue's scores, and terms with identical
   conditions are merged (their points become one vector over the parties).
3. **Options that nothing can tell apart are merged.** Two options of an issue with the same score for every
   party and the same membership in every remaining term are one *class* with a multiplicity; the engine
   works on classes and expands them only when it lists packages. A zero-stake issue becomes one class.

For non-additive cases the issues are ordered so that few terms are *open* (started on an earlier issue and
not yet decided) at any step; each open term holds one bit in the state's mask, and bits are reused by
interval colouring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.model import Case

IntArray = NDArray[np.int64]
UIntArray = NDArray[np.uint64]
BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]

#: Relative size of one grid quantum (docs/concepts.md#frontier-and-ties: values equal within 1e-9 relative are one
#: point).
REL_TOL = 1e-9
#: Extra decimal digits of grid below REL_TOL at most (keeps grid utilities below about 1e14, exact in float64).
_MAX_DIGITS = 4
#: Stand-in for "no cap" on the integer grid.
NO_CAP = np.int64(1) << np.int64(62)


@dataclass(frozen=True)
class UtilityGrid:
    """The integer grid each party's points are compared on.

    Attributes
    ----------
    quantum : ndarray, shape (parties,)
        Points per grid step.
    exact : ndarray of bool, shape (parties,)
        True where every input is an integer and nothing is rounded.
    slack : ndarray of int64, shape (parties,)
        How many quanta below a threshold still count as reaching it (the rounding of a sum of rounded terms).
    tie : ndarray of int64, shape (parties,)
        How many quanta apart two packages with exactly equal utility can land: each of the ``m`` rounded
        addends (issues and interaction terms) is off by at most half a quantum, so two equal sums differ by at
        most ``m`` quanta on the grid. 0 for exact parties.
    """

    quantum: FloatArray
    exact: BoolArray
    slack: IntArray
    tie: IntArray

    def points(self, values: FloatArray) -> IntArray:
        """Nearest grid values of points, per party along the last axis."""
        out: IntArray = np.rint(np.asarray(values, dtype=float) / self.quantum).astype(np.int64)
        return out

    def thresholds(self, values: Sequence[float] | FloatArray) -> IntArray:
        """Smallest grid utilities that count as reaching ``values`` (u ≥ b, within the grid's rounding)."""
        b = np.asarray(values, dtype=float) / self.quantum
        out: IntArray = np.ceil(b - self.slack - 1e-6).astype(np.int64)
        return out


def utility_grid(case: Case) -> UtilityGrid:
    """The grid of the tolerance of docs/concepts.md#frontier-and-ties for ``case`` (a function of the case only, so
    every restricted
    frontier and single-package question of one case uses the same grid)."""
    quantum = np.ones(case.n_parties)
    exact = np.zeros(case.n_parties, dtype=bool)
    slack = np.zeros(case.n_parties, dtype=np.int64)
    tie = np.zeros(case.n_parties, dtype=np.int64)
    for i, prefs in enumerate(case.preferences):
        tables = [prefs.table(k) for k in range(case.n_issues)]
        numbers = np.concatenate([*tables, np.array([t.points for t in prefs.interactions], dtype=float)])
        magnitude = float(sum(np.abs(t).max(initial=0.0) for t in tables))
        magnitude += float(sum(abs(t.points) for t in prefs.interactions))
        if prefs.cap is not None:
            numbers = np.append(numbers, prefs.cap)
            magnitude = max(magnitude, abs(prefs.cap))
        if magnitude < 2.0**52 and bool(np.all(numbers == np.round(numbers))):
            exact[i] = True
        elif magnitude > 0:
            addends = case.n_issues + len(prefs.interactions)
            # 10**digits >= addends: the m rounded addends of two equal sums drift apart by at most m steps,
            # which then is at most one REL_TOL step, so the tie slack never joins values further apart
            digits = min(len(str(addends - 1)) if addends > 1 else 0, _MAX_DIGITS)
            quantum[i] = 10.0 ** (math.floor(math.log10(REL_TOL * magnitude)) - digits)
            slack[i] = addends // 2 + 1
            tie[i] = addends
    quantum.setflags(write=False)
    return UtilityGrid(quantum, exact, slack, tie)


@dataclass(frozen=True)
class Step:
    """One issue as the engine processes it.

    Attributes
    ----------
    issue : int
        Index of the issue in the case.
    members : IntArray
        Allowed options of the issue grouped by class (class c is ``members[start[c]:start[c+1]]``).
    start : IntArray
        Class offsets into ``members``.
    add : IntArray, shape (classes, parties)
        Grid points each class adds (scores and folded one-issue terms).
    mult : list of int
        Options per class.
    keep_and, start_or : UIntArray, shape (classes, words)
        New mask = (mask & keep_and[c]) | start_or[c]: open terms that stay alive, close, or start.
    close_word, close_shift : IntArray
        Where the bits of the terms decided at this step sit in the parent's mask.
    close_gain : IntArray, shape (classes, closing terms, parties)
        Points a closing term adds when it was alive and class c meets its last condition.
    carry_word, carry_shift : IntArray
        Where the bits of the terms open both before and after this step sit in the parent's mask.
    carry_pos : ndarray of float64, shape (carried terms, classes · parties)
        The positive points of each carried term if class c keeps it alive (for the bound on completions).
    start_pos : IntArray, shape (classes, parties)
        The positive points of the terms that class c starts alive.
    """

    issue: int
    members: IntArray
    start: IntArray
    add: IntArray
    mult: tuple[int, ...]
    keep_and: UIntArray
    start_or: UIntArray
    close_word: IntArray
    close_shift: IntArray
    close_gain: IntArray
    carry_word: IntArray
    carry_shift: IntArray
    carry_pos: FloatArray
    start_pos: IntArray

    @property
    def classes(self) -> int:
        return int(self.add.shape[0])


@dataclass(frozen=True)
class Problem:
    """The whole integer problem: steps in processing order, constant points, caps, and bounds."""

    steps: tuple[Step, ...]
    parties: int
    words: int
    constant: IntArray
    cap: IntArray
    capped: BoolArray
    rest_max: IntArray  # (levels, parties): most points the remaining issues and unstarted terms can add
    open_max: IntArray  # (levels, parties): positive points of all terms open at a level
    n_terms: int
    space: int
    #: Grid steps within which two utilities may be an exact tie (``UtilityGrid.tie``) for two parties; zeros
    #: (exact integer comparisons) for three or more parties and for exact parties.
    tie: IntArray

    @property
    def additive(self) -> bool:
        return self.n_terms == 0


@dataclass(frozen=True)
class _Term:
    conditions: tuple[tuple[int, frozenset[int]], ...]
    points: IntArray


def compile_case(
    case: Case, grid: UtilityGrid, allowed: Sequence[Sequence[int]], order: Sequence[int] | None = None
) -> Problem:
    """Build the integer problem for packages whose option on issue k is in ``allowed[k]``."""
    n_parties = case.n_parties
    allowed_sets = [frozenset(int(o) for o in a) for a in allowed]
    tables = [
        np.stack([np.rint(np.asarray(p.table(k), dtype=float) / grid.quantum[i]).astype(np.int64)
                  for i, p in enumerate(case.preferences)])
        for k in range(case.n_issues)
    ]
    constant = np.zeros(n_parties, dtype=np.int64)
    merged: dict[tuple[tuple[int, frozenset[int]], ...], IntArray] = {}
    for i, prefs in enumerate(case.preferences):
        for term in prefs.interactions:
            pts = int(np.rint(term.points / grid.quantum[i]))
            conds = []
            never = False
            for k, options in term.conditions:
                meet = frozenset(options) & allowed_sets[k]
                if not meet:
                    never = True
                    break
                if meet != allowed_sets[k]:
                    conds.append((k, meet))
            if never or pts == 0:
                continue
            if not conds:
                constant[i] += pts
            elif len(conds) == 1:
                k, meet = conds[0]
                idx = np.fromiter(meet, dtype=np.int64)
                tables[k][i, idx] += pts
            else:
                key = tuple(sorted(conds, key=lambda c: c[0]))
                vec = merged.setdefault(key, np.zeros(n_parties, dtype=np.int64))
                vec[i] += pts
    terms = [_Term(c, v) for c, v in merged.items() if np.any(v != 0)]
    issue_order = list(order) if order is not None else _order(case.n_issues, terms, allowed_sets)
    pos = {k: s for s, k in enumerate(issue_order)}
    spans = [(min(pos[k] for k, _ in t.conditions), max(pos[k] for k, _ in t.conditions)) for t in terms]
    bit_of, words = _colour(spans)

    steps: list[Step] = []
    for s, k in enumerate(issue_order):
        opts = np.array(sorted(allowed_sets[k]), dtype=np.int64)
        here = [j for j, t in enumerate(terms) if any(kk == k for kk, _ in t.conditions)]
        member = np.zeros((opts.size, len(here)), dtype=bool)
        for col, j in enumerate(here):
            cond = dict(terms[j].conditions)[k]
            member[:, col] = np.isin(opts, np.fromiter(cond, dtype=np.int64))
        signature = np.concatenate([tables[k][:, opts].T, member.astype(np.int64)], axis=1)
        _, first, inverse = np.unique(signature, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        # classes in order of their first option, members in option order
        rank = np.argsort(np.argsort(first))
        cls = rank[inverse]
        by_class = np.argsort(cls, kind="stable")
        members = opts[by_class]
        counts = np.bincount(cls, minlength=first.size)
        start = np.r_[0, np.cumsum(counts)].astype(np.int64)
        rep = members[start[:-1]]
        rep_row = np.searchsorted(opts, rep)
        add = tables[k][:, rep].T.astype(np.int64)
        m = member[rep_row]
        n_cls = rep.size
        keep_and = np.zeros((n_cls, words), dtype=np.uint64)
        start_or = np.zeros((n_cls, words), dtype=np.uint64)
        for j, (a, b) in enumerate(spans):  # terms open across this step, untouched by it, stay as they are
            if a < s < b and j not in here:
                w, sh = bit_of[j]
                keep_and[:, w] |= np.uint64(1) << np.uint64(sh)
        close_w: list[int] = []
        close_sh: list[int] = []
        gains: list[IntArray] = []
        for col, j in enumerate(here):
            a, b = spans[j]
            w, sh = bit_of[j]
            bit = np.uint64(1) << np.uint64(sh)
            if s == a:
                start_or[m[:, col], w] |= bit
            elif s == b:
                close_w.append(w)
                close_sh.append(sh)
                gains.append(np.where(m[:, col][:, None], terms[j].points[None, :], 0))
            else:
                keep_and[m[:, col], w] |= bit
        close_gain = (np.stack(gains, axis=1) if gains else np.zeros((n_cls, 0, n_parties), dtype=np.int64))
        carry_w: list[int] = []
        carry_sh: list[int] = []
        carry: list[FloatArray] = []
        start_pos = np.zeros((n_cls, n_parties), dtype=np.int64)
        col_of = {j: col for col, j in enumerate(here)}
        for j, (a, b) in enumerate(spans):
            pos_j = np.maximum(terms[j].points, 0)
            if a < s < b:  # open before and after: alive afterwards if alive before and kept by the class
                kept = m[:, col_of[j]] if j in col_of else np.ones(n_cls, dtype=bool)
                carry_w.append(bit_of[j][0])
                carry_sh.append(bit_of[j][1])
                carry.append((kept[:, None] * pos_j[None, :]).reshape(-1).astype(np.float64))
            elif a == s:
                start_pos += m[:, col_of[j]][:, None] * pos_j[None, :]
        carry_pos = np.stack(carry) if carry else np.zeros((0, n_cls * n_parties))
        steps.append(Step(k, members, start, add, tuple(int(c) for c in counts), keep_and, start_or,
                          np.array(close_w, dtype=np.int64), np.array(close_sh, dtype=np.int64),
                          close_gain.astype(np.int64), np.array(carry_w, dtype=np.int64),
                          np.array(carry_sh, dtype=np.int64), carry_pos, start_pos))

    n_steps = len(steps)
    pos_pts = [np.maximum(t.points, 0) for t in terms]
    rest_max = np.zeros((n_steps + 1, n_parties), dtype=np.int64)
    for s in range(n_steps - 1, -1, -1):
        rest_max[s] = rest_max[s + 1] + steps[s].add.max(axis=0)
    open_max = np.zeros((n_steps + 1, n_parties), dtype=np.int64)
    for level in range(n_steps + 1):  # level = number of steps done
        for j, (a, b) in enumerate(spans):
            if a < level <= b:
                open_max[level] += pos_pts[j]
            elif a >= level:
                rest_max[level] += pos_pts[j]
    caps = np.full(n_parties, NO_CAP, dtype=np.int64)
    capped = np.zeros(n_parties, dtype=bool)
    most = rest_max[0] + constant  # the most points any package can reach, before the cap
    for i, prefs in enumerate(case.preferences):
        if prefs.cap is not None:
            c = np.int64(np.rint(prefs.cap / grid.quantum[i]))
            if c < most[i]:  # a cap no package can reach changes nothing: leave the party uncapped
                caps[i] = c
                capped[i] = True
    space = math.prod(len(a) for a in allowed_sets)
    tie = grid.tie.copy() if n_parties == 2 else np.zeros(n_parties, dtype=np.int64)
    return Problem(tuple(steps), n_parties, words, constant, caps, capped, rest_max, open_max, len(terms), space,
                   tie)


def _order(n_issues: int, terms: list[_Term], allowed: list[frozenset[int]]) -> list[int]:
    """Issue order for the engine: case order when additive; otherwise greedy, keeping few terms open."""
    if not terms:
        return list(range(n_issues))
    issues_of = [frozenset(k for k, _ in t.conditions) for t in terms]
    involved = [k for k in range(n_issues) if any(k in s for s in issues_of)]
    free = [k for k in range(n_issues) if k not in involved]
    done: set[int] = set()
    out: list[int] = []
    remaining = set(involved)
    while remaining:
        best: tuple[int, int, int, int] | None = None
        for k in sorted(remaining):
            after = done | {k}
            open_after = sum(1 for s in issues_of if (s & after) and not s <= after)
            closing = sum(1 for s in issues_of if k in s and s <= after)
            key = (open_after, -closing, len(allowed[k]), k)
            if best is None or key < best:
                best = key
        assert best is not None
        k = best[3]
        out.append(k)
        done.add(k)
        remaining.discard(k)
    return free + out


def _colour(spans: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], int]:
    """Give each term a (word, bit) so that terms open at the same time never share one.

    A term occupies its bit from its first step through its last; a bit freed at step s can be taken by a term
    starting at step s (the closing term reads the parent's mask, the starting one writes the child's).
    """
    order = sorted(range(len(spans)), key=lambda j: spans[j])
    free_at: list[int] = []  # per bit: first step at which it is free again
    bit_of: list[tuple[int, int]] = [(0, 0)] * len(spans)
    for j in order:
        a, b = spans[j]
        for bit, f in enumerate(free_at):
            if f <= a:
                free_at[bit] = b
                break
        else:
            bit = len(free_at)
            free_at.append(b)
        bit_of[j] = (bit // 64, bit % 64)
    return bit_of, max(0, -(-len(free_at) // 64))


def allowed_options(case: Case, fixed: Mapping[int, int]) -> list[list[int]]:
    """Options allowed on each issue when ``fixed`` issues are settled (a pre-settlement)."""
    return [[fixed[k]] if k in fixed else list(range(case.sizes[k])) for k in range(case.n_issues)]


def grid_utilities(case: Case, grid: UtilityGrid, packages: IntArray) -> IntArray:
    """Utilities of packages (N × issues option indices) on the grid, exactly as the engine adds them:
    each option's and each term's points rounded to the grid, summed, then capped."""
    arr = np.asarray(packages, dtype=np.int64)
    if arr.ndim == 1:
        arr = arr[None, :]
    out = np.zeros((arr.shape[0], case.n_parties), dtype=np.int64)
    for i, prefs in enumerate(case.preferences):
        q = grid.quantum[i]
        for k in range(case.n_issues):
            out[:, i] += np.rint(np.asarray(prefs.table(k), dtype=float) / q).astype(np.int64)[arr[:, k]]
        for term in prefs.interactions:
            pts = int(np.rint(term.points / q))
            if pts:
                out[:, i] += pts * term.mask(arr)
        if prefs.cap is not None:
            np.minimum(out[:, i], np.int64(np.rint(prefs.cap / q)), out=out[:, i])
    return out
