"""Exact dominance primitives on integer utility vectors (the skyline kernels of the frontier engine).

Every routine here works on ``int64`` arrays, so comparisons are exact and transitive: the frontier engine
first puts each party's points on an integer grid (see :mod:`accord.analysis._compile`). Nothing loops over
points in Python; the work is done by sorts, cumulative maxima and a vectorised divide and conquer.

The central routine, :func:`earlier_dominance`, answers for items laid out in a fixed order: *does an earlier
"data" item of the same segment have every remaining coordinate at least as large as this "query" item?*
Both questions the engine asks reduce to it:

- the skyline of distinct vectors (:func:`undominated_sorted`): sort them lexicographically descending; a
  vector is dominated exactly when an earlier one is at least as large in every coordinate but the first;
- orthant queries "is some data vector ≥ this query vector?" (:func:`exists_dominator`): sort data and
  queries together by the first coordinate, descending, data first on ties.

Notes
-----
Two coordinates: an exclusive prefix maximum, O(n) after the sort. Three or more: the offline divide and
conquer of Kung, Luccio and Preparata in the form of Bentley's multidimensional divide and conquer, run
level by level over all blocks at once (positions ``[2bh, 2bh+h)`` answer for ``[2bh+h, 2bh+2h)``), each
level a (d−1)-dimensional instance of the same problem; O(n log^(d−2) n) sorts in total, with a brute-force
base on aligned blocks of 32. In skyline mode an item found dominated stops serving as data: every pair of
positions meets at exactly one level, and a dominated item's own undominated dominator is earlier still.

References
----------
H. T. Kung, F. Luccio, F. P. Preparata, "On finding the maxima of a set of vectors", J. ACM 22(4), 1975.
J. L. Bentley, "Multidimensional divide-and-conquer", Comm. ACM 23(4), 1980.
S. Börzsönyi, D. Kossmann, K. Stocker, "The skyline operator", ICDE 2001.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Aligned block size below which the divide and conquer compares all pairs directly.
_BASE = 32


def dense_ranks(values: IntArray) -> tuple[IntArray, int]:
    """Ranks 0..R-1 preserving order and equality, and R (the number of distinct values)."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64), 0
    uniq, inverse = np.unique(values, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64, copy=False), int(uniq.size)


def run_ids(*keys: NDArray[np.int64]) -> IntArray:
    """Dense ids of runs of equal key tuples in an already ordered sequence (0, 0, 1, 2, 2, ...)."""
    n = keys[0].shape[0]
    change = np.zeros(n, dtype=bool)
    for k in keys:
        change[1:] |= k[1:] != k[:-1]
    out: IntArray = np.cumsum(change, dtype=np.int64)
    return out


def lexsort_desc(u: IntArray, seg: IntArray | None = None) -> IntArray:
    """Order by ``seg`` ascending, then the columns of ``u`` lexicographically descending."""
    keys = [-u[:, j] for j in reversed(range(u.shape[1]))]
    if seg is not None:
        keys.append(seg)
    order: IntArray = np.lexsort(keys).astype(np.int64, copy=False)
    return order


def first_of_runs(u: IntArray, seg: IntArray | None = None) -> BoolArray:
    """In sorted rows, True for the first row of every run of equal (seg, row)."""
    n = u.shape[0]
    first = np.ones(n, dtype=bool)
    if n > 1:
        same = np.all(u[1:] == u[:-1], axis=1)
        if seg is not None:
            same &= seg[1:] == seg[:-1]
        first[1:] = ~same
    return first


def earlier_dominance(
    c: IntArray, seg: IntArray, is_data: BoolArray, is_query: BoolArray, *, transitive: bool = False
) -> BoolArray:
    """For each query item: is there an earlier data item of the same segment with ``c[j, 1:] >= c[i, 1:]``?

    Parameters
    ----------
    c : ndarray of int64, shape (n, d)
        Coordinates as dense ranks (non-negative, below n·something that fits int64 when squared). Column 0 is
        not compared: the order of the items already encodes it.
    seg : ndarray of int64, shape (n,)
        Non-decreasing dense segment ids; items of different segments never compare.
    is_data, is_query : ndarray of bool, shape (n,)
        Which items may dominate, and which ask.
    transitive : bool
        Skyline mode (every item is both data and query, and items are distinct): an item found dominated
        stops serving as data, which is exact because dominance is transitive.

    Returns
    -------
    ndarray of bool, shape (n,)
        True for query items that have such an earlier data item.
    """
    n, d = c.shape
    out = np.zeros(n, dtype=bool)
    if n == 0 or not is_query.any() or not is_data.any():
        return out
    if d == 1:
        before = np.cumsum(is_data, dtype=np.int64) - is_data
        starts = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])
        seg_start = np.repeat(starts, np.diff(np.r_[starts, n]))
        return is_query & (before - before[seg_start] > 0)
    if d == 2:
        r = c[:, 1]
        width = int(r.max()) + 2
        base = seg * width
        v = np.where(is_data, base + r + 1, base)
        cm = np.maximum.accumulate(v)
        excl = np.empty_like(cm)
        excl[0] = -1
        excl[1:] = cm[:-1]
        return is_query & (excl >= base + r + 1)
    data = is_data.copy()
    pending = is_query.copy()
    _base_blocks(c, seg, data, pending, out, transitive)
    rest = c[:, 1:]
    width = int(rest[:, 0].max()) + 2
    idx = np.arange(n, dtype=np.int64)
    h = _BASE
    while h < n:
        left = ((idx // h) & 1) == 0
        dsel = left & data
        qsel = ~left & pending
        if dsel.any() and qsel.any():
            sel = np.flatnonzero(dsel | qsel)
            block = sel // (2 * h)
            sub_seg = run_ids(seg[sel], block)
            sub = rest[sel]
            qflag = qsel[sel]
            key = (sub_seg * width + (width - 1 - sub[:, 0])) * 2 + qflag
            order = np.argsort(key, kind="stable")
            sorted_seg = sub_seg[order]
            res_sorted = earlier_dominance(sub[order], sorted_seg, ~qflag[order], qflag[order])
            hit = sel[order][res_sorted]
            out[hit] = True
            pending[hit] = False
            if transitive:
                data[hit] = False
        h *= 2
    return out


def _base_blocks(c: IntArray, seg: IntArray, data: BoolArray, pending: BoolArray, out: BoolArray,
                 transitive: bool) -> None:
    """All pairs j < i inside aligned blocks of ``_BASE`` items, vectorised; updates the masks in place."""
    n, d = c.shape
    nb = -(-n // _BASE)
    pad = nb * _BASE - n
    rest = np.pad(c[:, 1:], ((0, pad), (0, 0)))
    s = np.pad(seg, (0, pad), constant_values=-1).reshape(nb, _BASE)
    dat = np.pad(data, (0, pad)).reshape(nb, _BASE)
    qry = np.pad(pending, (0, pad)).reshape(nb, _BASE)
    r = rest.reshape(nb, _BASE, d - 1)
    # ge[b, i, j]: item j of block b is at least item i in every compared coordinate
    ge = np.ones((nb, _BASE, _BASE), dtype=bool)
    for col in range(d - 1):
        x = r[:, :, col]
        ge &= x[:, None, :] >= x[:, :, None]
    ge &= s[:, None, :] == s[:, :, None]
    ge &= dat[:, None, :]
    ge &= np.tri(_BASE, _BASE, -1, dtype=bool)[None, :, :]
    # In skyline mode a dominated item may still serve as data inside its block: its own dominator is
    # earlier in the same block and dominates whatever it dominates, so the answers are the same.
    hit = np.any(ge, axis=2) & qry
    flat = hit.reshape(-1)[:n]
    out |= flat
    pending &= ~flat
    if transitive:
        data &= ~flat


def undominated_sorted(u: IntArray, seg: IntArray | None = None) -> BoolArray:
    """Skyline of rows sorted by (seg, lexicographically descending) and distinct within each segment.

    Returns True for rows that no other row of their segment dominates (≥ everywhere, > somewhere).

    Examples
    --------
    >>> u = np.array([[3, 1], [2, 2], [2, 1], [1, 3]])
    >>> undominated_sorted(u).tolist()
    [True, True, False, True]
    """
    n, p = u.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    s = np.zeros(n, dtype=np.int64) if seg is None else run_ids(seg)
    if p == 1:
        first: BoolArray = np.r_[True, s[1:] != s[:-1]]
        return first
    ones = np.ones(n, dtype=bool)
    if p == 2:
        dom = earlier_dominance(_ranked_col1(u), s, ones, ones)
        return ~dom
    ranked = np.stack([dense_ranks(u[:, j])[0] for j in range(p)], axis=1)
    return ~earlier_dominance(ranked, s, ones, ones.copy(), transitive=True)


def _ranked_col1(u: IntArray) -> IntArray:
    """Column 1 shifted to start at 0 when its span is small, else dense ranks (column 0 is unused)."""
    col = u[:, 1]
    lo, hi = int(col.min()), int(col.max())
    span = hi - lo
    # the segmented prefix maximum needs seg · (span + 2) to fit in int64; dense ranks always do
    shifted = col - lo if span < (1 << 40) // max(1, u.shape[0]) else dense_ranks(col)[0]
    return np.stack([np.zeros_like(shifted), shifted], axis=1)


def exists_dominator(
    data: IntArray, queries: IntArray, data_seg: IntArray | None = None, query_seg: IntArray | None = None
) -> BoolArray:
    """For each query row q: is there a data row d (of the same segment) with d ≥ q in every coordinate?

    Examples
    --------
    >>> d = np.array([[3, 1, 0], [1, 3, 2]])
    >>> q = np.array([[1, 1, 0], [2, 2, 0], [1, 3, 2], [0, 0, 3]])
    >>> exists_dominator(d, q).tolist()
    [True, False, True, False]
    """
    nd, p = data.shape
    nq = queries.shape[0]
    if nq == 0 or nd == 0:
        return np.zeros(nq, dtype=bool)
    allv = np.concatenate([data, queries])
    if data_seg is None or query_seg is None:
        seg = np.zeros(nd + nq, dtype=np.int64)
    else:
        seg = dense_ranks(np.concatenate([data_seg, query_seg]))[0]
    ranked = np.stack([dense_ranks(allv[:, j])[0] for j in range(p)], axis=1)
    qflag = np.r_[np.zeros(nd, dtype=bool), np.ones(nq, dtype=bool)]
    order = np.lexsort((qflag, -ranked[:, 0], seg))
    res = earlier_dominance(ranked[order], seg[order], ~qflag[order], qflag[order])
    out = np.zeros(nd + nq, dtype=bool)
    out[order] = res
    return out[nd:]


def undominated(u: IntArray, seg: IntArray | None = None) -> BoolArray:
    """Rows of ``u`` (any order, duplicates allowed) that no row of their segment dominates.

    Duplicated rows are kept together (neither dominates the other).

    Examples
    --------
    >>> undominated(np.array([[1, 2], [2, 1], [1, 1], [2, 1]])).tolist()
    [True, True, False, True]
    """
    n = u.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    order = lexsort_desc(u, seg)
    us = u[order]
    ss = None if seg is None else seg[order]
    first = first_of_runs(us, ss)
    keep_first = undominated_sorted(us[first], None if ss is None else ss[first])
    group = np.cumsum(first) - 1
    keep_sorted = keep_first[group]
    out = np.zeros(n, dtype=bool)
    out[order] = keep_sorted
    return out


def near_dominated_2d(
    u: IntArray, tie: IntArray, seg: IntArray | None = None, active: BoolArray | None = None
) -> BoolArray:
    """Two coordinates: rows some row of their segment dominates by more than the tie slack.

    Row q is dominated when some row p of its segment has ``p >= q - tie`` in both coordinates and
    ``p[j] > q[j] + tie[j]`` in one coordinate ``j`` (where ``active[q, j]``, if given). Differences of at most
    ``tie`` are treated as possible ties, so near-tied rows never prune each other.

    Parameters
    ----------
    u : ndarray of int64, shape (n, 2)
        Rows sorted by ``seg`` ascending, then the first coordinate descending.
    tie : ndarray of int64, shape (2,)
        Slack per coordinate (non-negative).
    seg : ndarray of int64, shape (n,), optional
        Non-decreasing segment ids; rows of different segments never compare.
    active : ndarray of bool, shape (n, 2), optional
        Coordinates in which each row may be beaten strictly (all by default).

    Returns
    -------
    ndarray of bool, shape (n,)

    Notes
    -----
    "Strictly better in the first coordinate" selects a prefix of the segment (sorted by the first coordinate,
    descending), and so does "at least as good in the first coordinate, up to the slack"; each condition is a
    binary search plus a (segmented) prefix maximum of the second coordinate: O(n log n), no Python loop.

    Examples
    --------
    >>> u = np.array([[10, 5], [10, 4], [8, 1], [5, 9]])
    >>> near_dominated_2d(u, np.array([0, 0])).tolist()
    [False, True, True, False]
    >>> near_dominated_2d(u, np.array([1, 1])).tolist()
    [False, False, True, False]
    """
    n = u.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    s1, s2 = np.int64(tie[0]), np.int64(tie[1])
    u1, u2 = u[:, 0], u[:, 1]
    if seg is None or n == 1 or seg[0] == seg[-1]:
        best = np.maximum.accumulate(u2)
        neg1 = -u1  # ascending
        if active is None:
            # Shortcut on the exclusive prefix maximum e of the rows before q (k_a <= q's row < k_b):
            # e > q2 + s2 settles B; e < q2 - s2 rules out A, and B then needs a next row within s1 of q1.
            # Only the rest (near-ties, rare) pay for the binary searches.
            excl = np.empty_like(u2)
            excl[0] = np.iinfo(np.int64).min
            excl[1:] = best[:-1]
            fast: BoolArray = excl > u2 + s2
            near_next = np.r_[u1[1:] >= u1[:-1] - s1, False]
            q = np.flatnonzero(~fast & ((excl >= u2 - s2) | near_next))
            if q.size:
                k_a = np.searchsorted(neg1, -(u1[q] + s1), side="left")
                k_b = np.searchsorted(neg1, -(u1[q] - s1), side="right")
                fast[q] = (((k_a > 0) & (best[np.maximum(k_a - 1, 0)] >= u2[q] - s2))
                           | (best[k_b - 1] > u2[q] + s2))
            return fast
        # A: rows with p1 > q1 + s1 are the first kA; B: rows with p1 >= q1 - s1 are the first kB (kB >= 1)
        k_a = np.searchsorted(neg1, -(u1 + s1), side="left")
        k_b = np.searchsorted(neg1, -(u1 - s1), side="right")
        dom_a = (k_a > 0) & (best[np.maximum(k_a - 1, 0)] >= u2 - s2)
        dom_b = best[k_b - 1] > u2 + s2
    else:
        uniq1 = np.unique(u1)
        uniq2 = np.unique(u2)
        m1, m2 = uniq1.size, uniq2.size
        r1 = np.searchsorted(uniq1, u1, side="right")  # 1..m1, larger = better
        key = seg * (m1 + 2) + (m1 + 1 - r1)  # ascending in the given order
        starts = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])
        seg_start = np.repeat(starts, np.diff(np.r_[starts, n]))
        r2 = np.searchsorted(uniq2, u2, side="left")  # 0..m2-1
        base = seg * (m2 + 1)
        # segmented prefix maximum of the second coordinate's rank: later segments sit above earlier ones
        cum = np.maximum.accumulate(base + r2 + 1)

        def prefix_best(c: IntArray) -> tuple[IntArray, BoolArray]:
            """For rows whose first coordinate rank exceeds c: end of that prefix and whether it is non-empty."""
            k = np.searchsorted(key, seg * (m1 + 2) + (m1 + 1 - c), side="left")
            return k, k > seg_start

        k_a, has_a = prefix_best(np.searchsorted(uniq1, u1 + s1, side="right"))
        k_b, has_b = prefix_best(np.searchsorted(uniq1, u1 - s1, side="left"))
        top_a = cum[np.maximum(k_a - 1, 0)] - base - 1  # best rank of the second coordinate in the prefix
        top_b = cum[np.maximum(k_b - 1, 0)] - base - 1
        dom_a = has_a & (top_a >= np.searchsorted(uniq2, u2 - s2, side="left"))
        dom_b = has_b & (top_b >= np.searchsorted(uniq2, u2 + s2, side="right"))
    if active is not None:
        dom_a &= active[:, 0]
        dom_b &= active[:, 1]
    out: BoolArray = dom_a | dom_b
    return out
