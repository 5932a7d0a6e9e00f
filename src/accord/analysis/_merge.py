"""The issue-by-issue merge: the exact frontier engine behind :func:`accord.analysis.frontier.pareto_frontier`.

A *state* after k issues is a distinct vector of grid points reached by some partial packages of the first k
issues (in processing order), plus, when the case has interaction terms, the mask of terms still alive. Step
k+1 combines every state with every option class of the next issue and prunes; the states after the last
issue, capped, deduplicated and pruned once more, are the frontier. Each state records which (parent, class)
pairs reach it, so every frontier point can list its packages; counts are summed exactly (Python ints once
the space passes 2**62).

Why pruning is exact (Nemhauser & Ullmann 1969 for knapsacks; the same argument for any number of parties):

- *Additive, no cap.* If partial q ≥ p (and q ≠ p) then q + r ≥ p + r for every completion r, strictly in the
  same coordinate, so no completion of p is undominated.
- *Interaction terms.* The completion adds the same points to p and q only when the same terms are still
  alive, so states compete only inside a mask group.
- *Caps* (u = min(cap, sum)). A strict advantage of q in coordinate i can vanish under the cap, making p + r
  *tie* with q + r instead of being dominated — and a tie still counts packages. So p is pruned only by a q
  ≥ p that is strictly better in a coordinate where p can never reach the cap (p_i + most still to come <
  cap_i); then min(cap, ·) keeps the strict advantage for every completion. Other weakly dominated states are
  kept until the end, where the capped vectors are deduplicated (counts summed) and pruned again. This is the
  issue's "compute on the uncapped sums, cap, prune again", made exact for counts.
- *Restrictions.* A state whose best possible completion (bound: points so far + the most each remaining issue
  and each still-alive term can add, capped) stays below a threshold in some coordinate is dropped; its
  completions are all outside the region. The region {u ≥ a} is closed upwards, so its undominated packages
  are exactly the frontier's packages inside it.

*Ties off the decimal grid* (two parties, ``Problem.tie`` = s > 0). Exactly equal utilities can sit up to
s_i steps apart on the grid, so q is pruned only by a p with p ≥ q − s in every coordinate and p_j > q_j + s_j
in one (near-ties never prune each other; completions add the same grid points to both, so the difference
persists); under a cap the strict advantage must hold where p_j + s_j can never reach the cap; incumbents prune
by the same rule; and at the end neighbouring frontier points within s of each other in both coordinates are
one point (counts summed, packages concatenated, the first one's utility reported). Integer cases have s = 0
and are unchanged. With three or more parties the comparisons stay exact on the grid.

Two parties, no mask: the candidates are the previous frontier shifted by each option — already sorted runs —
so a stable (run-merging) sort by the first party and one prefix maximum of the second give the new frontier:
O(F·O log O) per step. Otherwise: a lexicographic sort and the divide-and-conquer skyline of
:mod:`accord.analysis._skyline`.

References
----------
G. L. Nemhauser, Z. Ullmann, "Discrete dynamic programming and capital allocation", Management Science 15(9),
1969. C. Bazgan, H. Hugot, D. Vanderpooten, "Solving efficiently the 0–1 multi-objective knapsack problem",
Computers & Operations Research 36(1), 2009.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis._compile import Problem, Step
from accord.analysis._skyline import (
    exists_dominator,
    first_of_runs,
    lexsort_desc,
    near_dominated_2d,
    run_ids,
    undominated_sorted,
)
from accord.errors import TooLargeError

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
Progress = Callable[[int, int, int], None]

#: Default bound on the states kept after one step (each costs a few dozen bytes plus back-pointers).
DEFAULT_LIMIT = 2_000_000
#: Bound on the candidates formed in one step (states × option classes): about 100 bytes each at the peak.
CANDIDATE_LIMIT = 10_000_000
#: Bound on the candidates formed over all steps, as a multiple of ``limit`` (30,000,000 by default): each
#: step's back-pointers are kept to list the packages, and a hundred steps just under the per-step bound ran for
#: minutes in gigabytes (100 opposed 10-option issues).
WORK_FACTOR = 15


@dataclass(frozen=True)
class Level:
    """Back-pointers of one step: state j was reached from ``parent[start[j]:start[j+1]]`` with the classes
    ``cls[start[j]:start[j+1]]``."""

    start: IntArray
    parent: IntArray
    cls: IntArray


@dataclass(frozen=True)
class Outcome:
    """Frontier points on the grid (lexicographically descending), exact counts, and back-pointers."""

    points: IntArray
    counts: tuple[int, ...]
    levels: tuple[Level, ...]
    final: Level
    method: str
    states: int  # the most states held after one step


def solve(
    problem: Problem,
    *,
    thresholds: IntArray | None = None,
    incumbents: IntArray | None = None,
    prune: Callable[[int, IntArray], BoolArray] | None = None,
    limit: int = DEFAULT_LIMIT,
    progress: Progress | None = None,
) -> Outcome:
    """Run the merge over every step of ``problem`` and return the frontier (see the module notes).

    ``incumbents`` (grid utilities of known packages) enable branch and bound: a state whose capped upper
    bound some incumbent strictly dominates (≥ everywhere, ≠) has no completion on the frontier, nor one that
    ties a frontier point. ``prune(level, candidates)`` may drop more candidates (True = keep); the single-package
    questions use it for their objective bounds.
    """
    p = problem.parties
    w = problem.words
    tie = problem.tie
    tolerant = bool(tie.any())  # two parties on a rounded grid: near-ties must not prune each other
    big = problem.space >= 2**62
    u = problem.constant[None, :].astype(np.int64)
    mask = np.zeros((1, w), dtype=np.uint64)
    cnt: NDArray[np.int64] | NDArray[np.object_] = (
        np.array([1], dtype=object) if big else np.ones(1, dtype=np.int64))
    levels: list[Level] = []
    peak = 1
    work = 0
    n_steps = len(problem.steps)
    for s, step in enumerate(problem.steps):
        n, o = u.shape[0], step.classes
        work += n * o
        if work > WORK_FACTOR * limit:
            raise TooLargeError(
                f"the exact frontier needs more than {WORK_FACTOR * limit:,} candidate partial packages after {s} "
                f"of {n_steps} issues in all, more than fits in the time and memory available; restrict the "
                f"question (fix some issues, ask only for the rational part or a post-settlement region) or use "
                f"the single-package questions")
        if n * o > CANDIDATE_LIMIT:
            raise TooLargeError(
                f"the exact frontier needs {n:,} partial packages × {o} options after {s} of {n_steps} issues, "
                f"more than fits in memory; restrict the question (fix some issues, ask only for the rational "
                f"part or a post-settlement region) or use the single-package questions")
        cu = u[None, :, :] + step.add[:, None, :]
        if w:
            cm = (mask[None, :, :] & step.keep_and[:, None, :]) | step.start_or[:, None, :]
            if step.close_word.size:
                alive = ((mask[:, step.close_word] >> step.close_shift.astype(np.uint64)) & np.uint64(1))
                # (N, closing) @ (closing, classes·parties) in float64 (BLAS; exact below 2**53)
                g = step.close_gain.transpose(1, 0, 2).reshape(step.close_gain.shape[1], -1).astype(np.float64)
                gain = np.rint(alive.astype(np.float64) @ g).astype(np.int64).reshape(n, o, p)
                cu = cu + gain.transpose(1, 0, 2)
            cmask = cm.reshape(-1, w)
        else:
            cmask = np.zeros((n * o, 0), dtype=np.uint64)
        level = s + 1
        use_inc = incumbents is not None and incumbents.shape[0] > 0 and level < n_steps
        ok = None
        if thresholds is not None or use_inc:
            ub = _upper_bound(problem, step, level, mask, cu).reshape(-1, p)
            ok = np.ones(ub.shape[0], dtype=bool)
            if thresholds is not None:
                ok &= np.all(ub >= thresholds[None, :], axis=1)
            if use_inc:
                assert incumbents is not None
                ok[ok] = ~_beaten(incumbents, ub[ok], tie)
        cu2 = cu.reshape(-1, p)
        if prune is not None:
            keep = prune(level, cu2)
            ok = keep if ok is None else ok & keep
        parent = np.tile(np.arange(n, dtype=np.int64), o)
        cls = np.repeat(np.arange(o, dtype=np.int64), n)
        if ok is not None and not ok.all():
            cu2, cmask, parent, cls = cu2[ok], cmask[ok], parent[ok], cls[ok]
        mult = np.asarray(step.mult, dtype=object if big else np.int64)
        ccnt = cnt[parent] * mult[cls]
        theta = _cap_zone(problem, level)
        unsafe = bool(problem.capped.any() and np.any(cu2[:, problem.capped] >= theta[problem.capped]))
        if cu2.shape[0] == 0:
            u = np.zeros((0, p), dtype=np.int64)
            mask = np.zeros((0, w), dtype=np.uint64)
            cnt = ccnt[:0]
            levels.append(Level(np.zeros(1, dtype=np.int64), parent, cls))
            continue
        if w == 0 and p == 2 and not unsafe:
            order, first, keep_group = _reduce_2d(cu2, tie if tolerant else None)
        else:
            order, first, keep_group = _reduce_general(cu2, cmask, theta if unsafe else None, problem.capped,
                                                       tie if tolerant else None)
        u, mask, cnt, lv = _collect(cu2, cmask, ccnt, parent, cls, order, first, keep_group)
        levels.append(lv)
        peak = max(peak, u.shape[0])
        if u.shape[0] > limit:
            raise TooLargeError(
                f"the exact frontier holds more than {limit:,} partial packages after {s + 1} of {n_steps} issues "
                f"({u.shape[0]:,}); restrict the question (fix some issues, ask only for the rational part or a "
                f"post-settlement region) or use the single-package questions")
        if progress is not None:
            progress(s + 1, n_steps, int(u.shape[0]))
    # cap, merge the packages whose capped vectors tie, prune again
    capped_u = np.minimum(u, problem.cap[None, :])
    if problem.capped.any() and capped_u.shape[0]:
        order = lexsort_desc(capped_u)
        us = capped_u[order]
        first = first_of_runs(us)
        keep_first = ~near_dominated_2d(us[first], tie) if tolerant else undominated_sorted(us[first])
        group = np.cumsum(first) - 1
        kept = keep_first[group]
        idx = order[kept]
        new_id = (np.cumsum(keep_first) - 1)[group[kept]]
        points = us[first][keep_first]
        starts = np.flatnonzero(np.r_[True, new_id[1:] != new_id[:-1]]) if idx.size else np.zeros(0, np.int64)
        counts = np.add.reduceat(cnt[idx], starts) if idx.size else cnt[:0]
        final = Level(np.r_[starts, idx.size].astype(np.int64), idx.astype(np.int64),
                      np.zeros(idx.size, dtype=np.int64))
    else:
        points = capped_u
        counts = cnt
        f = points.shape[0]
        final = Level(np.arange(f + 1, dtype=np.int64), np.arange(f, dtype=np.int64), np.zeros(f, dtype=np.int64))
    if thresholds is not None and points.shape[0]:
        ok = np.all(points >= thresholds[None, :], axis=1)
        if not ok.all():
            sel = np.flatnonzero(ok)
            lo, hi = final.start[sel], final.start[sel + 1]
            take = _ranges(lo, hi)
            final = Level(np.r_[0, np.cumsum(hi - lo)].astype(np.int64), final.parent[take], final.cls[take])
            points, counts = points[sel], counts[sel]
    if tolerant and points.shape[0] > 1:
        points, counts, final = _merge_near_ties(points, counts, final, tie)
    kernel = "two-party sweep" if p == 2 else f"{p}-party divide-and-conquer skyline"
    if problem.n_terms:
        method = f"issue-by-issue merge over interaction states ({problem.n_terms} multi-issue terms, {kernel})"
    else:
        method = f"issue-by-issue merge ({kernel})"
    if problem.capped.any():
        method += ", capped utilities pruned again"
    return Outcome(points, tuple(int(c) for c in counts), tuple(levels), final, method, peak)


def select(outcome: Outcome, points: IntArray) -> Outcome:
    """The same outcome restricted to some frontier points (to list only their packages)."""
    fin = outcome.final
    lo, hi = fin.start[points], fin.start[points + 1]
    take = _ranges(lo, hi)
    final = Level(np.r_[0, np.cumsum(hi - lo)].astype(np.int64), fin.parent[take], fin.cls[take])
    return Outcome(outcome.points[points], tuple(outcome.counts[int(j)] for j in points), outcome.levels, final,
                   outcome.method, outcome.states)


def _upper_bound(problem: Problem, step: Step, level: int, mask: NDArray[np.uint64], cu: IntArray) -> IntArray:
    """Most points any completion of each candidate can reach, capped; shape (classes, states, parties).

    The bound is the candidate's points, plus the most every remaining issue and every unstarted term can
    add, plus the positive points of the open terms still alive: those the class starts alive, and those the
    parent had alive and the class keeps (a 0/1 matrix product on the parents, not a pass per candidate).
    """
    o, n, p = cu.shape
    ub = cu + problem.rest_max[level][None, None, :] + step.start_pos[:, None, :]
    if step.carry_word.size:
        alive = ((mask[:, step.carry_word] >> step.carry_shift.astype(np.uint64)) & np.uint64(1))
        # exact in float64: 0/1 times grid points, sums far below 2**53
        extra = np.rint(alive.astype(np.float64) @ step.carry_pos).astype(np.int64).reshape(n, o, p)
        ub = ub + extra.transpose(1, 0, 2)
    out: IntArray = np.minimum(ub, problem.cap[None, None, :])
    return out


def _merge_near_ties(points: IntArray, counts: NDArray[np.int64] | NDArray[np.object_], final: Level,
                     tie: IntArray) -> tuple[IntArray, NDArray[np.int64] | NDArray[np.object_], Level]:
    """Two parties: join frontier points (sorted by the first party, descending) that lie within the tie slack
    of their neighbour in both coordinates into one point; counts are summed and packages concatenated.

    Among undominated points (by more than the slack), anything between two near-tied points in the first
    coordinate is near-tied to them as well, so chaining neighbours finds every group.
    """
    d1 = points[:-1, 0] - points[1:, 0]
    d2 = np.abs(points[1:, 1] - points[:-1, 1])
    new = np.r_[True, (d1 > tie[0]) | (d2 > tie[1])]
    if new.all():
        return points, counts, final
    heads = np.flatnonzero(new)
    merged = np.add.reduceat(counts, heads)
    start = np.r_[final.start[heads], final.start[-1]].astype(np.int64)
    return points[heads], merged, Level(start, final.parent, final.cls)


def _beaten(incumbents: IntArray, ub: IntArray, tie: IntArray) -> BoolArray:
    """Rows of ``ub`` that some incumbent strictly dominates (≥ in every coordinate and not equal; for two
    parties, beyond the tie slack: ≥ ub − tie everywhere and > ub + tie somewhere)."""
    n, p = ub.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if p == 2:
        # incumbents by first coordinate descending; best second coordinate among those ≥ a query's first
        inc = incumbents[np.argsort(-incumbents[:, 0], kind="stable")]
        best2 = np.maximum.accumulate(inc[:, 1])
        neg1 = -inc[:, 0]

        def reach(x1: IntArray, x2: IntArray) -> BoolArray:
            k = np.searchsorted(neg1, -x1, side="right")  # incumbents with first coordinate ≥ x1
            ok: BoolArray = (k > 0) & (best2[np.maximum(k - 1, 0)] >= x2)
            return ok

        s1, s2 = tie[0], tie[1]
        out2: BoolArray = reach(ub[:, 0] + s1 + 1, ub[:, 1] - s2) | reach(ub[:, 0] - s1, ub[:, 1] + s2 + 1)
        return out2
    queries = np.repeat(ub, p, axis=0)
    queries[np.arange(n * p), np.tile(np.arange(p), n)] += 1
    hit = exists_dominator(incumbents, queries)
    out: BoolArray = np.any(hit.reshape(n, p), axis=1)
    return out


def _cap_zone(problem: Problem, level: int) -> IntArray:
    """Per party, the smallest partial points from which some completion might reach the cap."""
    out: IntArray = problem.cap - problem.rest_max[level] - problem.open_max[level]
    return out


def _reduce_2d(cu: IntArray, tie: IntArray | None = None) -> tuple[IntArray, BoolArray, BoolArray]:
    """Sort two-party candidates (first party descending, then second), find runs and the undominated runs
    (undominated beyond the slack ``tie`` when given)."""
    c1 = cu[:, 0]
    order = np.argsort(-c1, kind="stable")  # the candidates are sorted runs: timsort merges them
    s1 = c1[order]
    if np.any(s1[1:] == s1[:-1]):
        order = np.lexsort((-cu[:, 1], -c1))
    us = cu[order]
    first = first_of_runs(us)
    if tie is not None:  # repeated rows never near-dominate each other, so the kernel can see them all
        return order.astype(np.int64), first, ~near_dominated_2d(us, tie)[first]
    u2 = us[:, 1]
    excl = np.empty_like(u2)
    excl[0] = np.iinfo(np.int64).min
    np.maximum.accumulate(u2[:-1], out=excl[1:])
    keep_group = (excl < u2)[first]
    return order.astype(np.int64), first, keep_group


def _reduce_general(
    cu: IntArray, cmask: NDArray[np.uint64], theta: IntArray | None, capped: BoolArray, tie: IntArray | None = None
) -> tuple[IntArray, BoolArray, BoolArray]:
    """Sort by (mask, points descending), find runs, and keep the runs no same-mask run prunes (beyond the
    slack ``tie``, two parties only, when given)."""
    w = cmask.shape[1]
    keys = [-cu[:, j] for j in reversed(range(cu.shape[1]))] + [cmask[:, j] for j in reversed(range(w))]
    order = np.lexsort(keys).astype(np.int64)
    us = cu[order]
    seg = run_ids(*[cmask[order, j] for j in range(w)]) if w else None
    first = first_of_runs(us, seg)
    d = us[first]
    dseg = None if seg is None else seg[first]
    if tie is not None:
        # near-dominance: a strict advantage must exceed the slack, and survive the cap by more than it
        active = None if theta is None else (~capped[None, :] | (d < (theta - tie)[None, :]))
        return order, first, ~near_dominated_2d(d, tie, dseg, active)
    keep_group = undominated_sorted(d, dseg) if theta is None else ~_safely_dominated(d, dseg, theta, capped)
    return order, first, keep_group


def _safely_dominated(d: IntArray, seg: IntArray | None, theta: IntArray, capped: BoolArray) -> BoolArray:
    """Distinct states q ≥ p that beat p in a coordinate where p can never reach the cap (module notes)."""
    n = d.shape[0]
    active = ~capped[None, :] | (d < theta[None, :])
    rows, cols = np.nonzero(active)
    queries = d[rows].copy()
    queries[np.arange(rows.size), cols] += 1
    s = np.zeros(n, dtype=np.int64) if seg is None else seg
    hit = exists_dominator(d, queries, s, s[rows])
    out = np.zeros(n, dtype=bool)
    out[rows[hit]] = True
    return out


def _collect(
    cu: IntArray, cmask: NDArray[np.uint64], ccnt: NDArray[np.int64] | NDArray[np.object_], parent: IntArray,
    cls: IntArray, order: IntArray, first: BoolArray, keep_group: BoolArray,
) -> tuple[IntArray, NDArray[np.uint64], NDArray[np.int64] | NDArray[np.object_], Level]:
    """New states (kept runs, in sorted order), their summed counts and back-pointers."""
    group = np.cumsum(first) - 1
    kept = keep_group[group]
    idx = order[kept]
    new_id = (np.cumsum(keep_group) - 1)[group[kept]]
    heads = order[first][keep_group]
    starts = np.flatnonzero(np.r_[True, new_id[1:] != new_id[:-1]]) if idx.size else np.zeros(0, np.int64)
    counts = np.add.reduceat(ccnt[idx], starts) if idx.size else ccnt[:0]
    lv = Level(np.r_[starts, idx.size].astype(np.int64), parent[idx], cls[idx])
    return cu[heads], cmask[heads], counts, lv


def _ranges(lo: IntArray, hi: IntArray) -> IntArray:
    """Concatenation of arange(lo[i], hi[i]) for all i, vectorised."""
    lens = hi - lo
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.repeat(lo - (np.cumsum(lens) - lens), lens)
    out: IntArray = np.arange(total, dtype=np.int64) + offs
    return out


def _first_per_group(point: IntArray, cap: int) -> BoolArray:
    """For rows grouped by ``point`` (non-decreasing), True for the first ``cap`` rows of each group (no rows:
    an empty mask, with no special case)."""
    n = point.size
    starts = np.flatnonzero(np.r_[True, point[1:] != point[:-1]])
    begin = np.repeat(starts, np.diff(np.r_[starts, n]))
    keep: BoolArray = (np.arange(n) - begin) < cap
    return keep


def list_packages(problem: Problem, outcome: Outcome, n_issues: int, cap: int) -> tuple[IntArray, IntArray]:
    """Up to ``cap`` packages per frontier point, by walking the back-pointers from the last step to the first.

    Returns
    -------
    packages : ndarray of int64, shape (rows, issues)
        Option indices in the case's issue order.
    point : ndarray of int64, shape (rows,)
        The frontier point of each row (non-decreasing).

    Notes
    -----
    Every state is reached by at least one package, so keeping the first ``cap`` partial paths per point at
    every level never loses a package that the cap would list; the walk is vectorised over all points.
    """
    f = outcome.points.shape[0]
    steps = problem.steps
    empty = (np.zeros((0, n_issues), dtype=np.int64), np.zeros(0, dtype=np.int64))
    if f == 0 or cap <= 0:
        return empty
    fin = outcome.final
    reps = np.minimum(np.diff(fin.start), cap)
    point = np.repeat(np.arange(f, dtype=np.int64), reps)
    node = fin.parent[_ranges(fin.start[:-1], fin.start[:-1] + reps)]
    keep = _first_per_group(point, cap)
    point, node = point[keep], node[keep]
    links: list[IntArray] = []
    chosen: list[IntArray] = []
    for s in range(len(steps) - 1, -1, -1):
        lv = outcome.levels[s]
        lo = lv.start[node]
        reps = np.minimum(lv.start[node + 1] - lo, cap)
        src = np.repeat(np.arange(node.size, dtype=np.int64), reps)
        take = _ranges(lo, lo + reps)
        new_point = point[src]
        keep = _first_per_group(new_point, cap)
        links.append(src[keep])
        chosen.append(lv.cls[take][keep])
        node = lv.parent[take][keep]
        point = new_point[keep]
    n_steps = len(steps)
    classes = np.zeros((point.size, n_steps), dtype=np.int64)
    row = np.arange(point.size, dtype=np.int64)
    for t in range(n_steps - 1, -1, -1):  # chosen[t] belongs to step n_steps - 1 - t
        s = n_steps - 1 - t
        classes[:, s] = chosen[t][row]
        row = links[t][row]
    packages = np.zeros((point.size, n_issues), dtype=np.int64)
    for s, step in enumerate(steps):
        c = classes[:, s]
        size = step.start[c + 1] - step.start[c]
        if np.all(size == 1):
            packages[:, step.issue] = step.members[step.start[c]]
            continue
        src = np.repeat(np.arange(point.size, dtype=np.int64), size)
        within = _ranges(np.zeros(point.size, dtype=np.int64), size)
        new_point = point[src]
        keep = _first_per_group(new_point, cap)
        src, within = src[keep], within[keep]
        packages = packages[src]
        classes = classes[src]
        point = new_point[keep]
        packages[:, step.issue] = step.members[step.start[classes[:, s]] + within]
    return packages, point
