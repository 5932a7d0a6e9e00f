"""Chunked vectorised enumeration: the exact fallback for small outcome spaces.

When the issue-by-issue merge would hold too many partial packages (many interaction terms keep many masks
apart) but the outcome space itself is small enough to walk, the frontier is computed by enumerating every
package in chunks of about a million: each chunk's utilities on the integer grid, its distinct vectors with
counts and up to ``cap`` packages each, its skyline, then a merge with the skyline so far. Memory stays at a
few chunks whatever |Ω| is; time is linear in |Ω|.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from accord.analysis._compile import UtilityGrid, grid_utilities
from accord.analysis._skyline import undominated
from accord.model import Case

IntArray = NDArray[np.int64]

#: Largest outcome space the fallback walks (about 10 s on one core with a few dozen terms).
ENUMERATION_LIMIT = 10_000_000
_CHUNK = 1 << 20


def enumerate_frontier(
    case: Case, grid: UtilityGrid, allowed: Sequence[Sequence[int]], cap: int, *,
    thresholds: IntArray | None = None, progress: Callable[[int, int, int], None] | None = None,
) -> tuple[IntArray, list[int], IntArray, IntArray]:
    """Frontier by enumeration.

    Returns
    -------
    points : ndarray of int64, shape (F, parties)
        Distinct undominated grid utilities, lexicographically descending.
    counts : list of int
        Packages per point.
    rows : ndarray of int64, shape (R, issues)
        Up to ``cap`` packages per point, grouped by point.
    point : ndarray of int64, shape (R,)
        The point of each row.
    """
    opts = [np.asarray(a, dtype=np.int64) for a in allowed]
    sizes = [a.size for a in opts]
    total = int(np.prod(sizes, dtype=object))
    p = case.n_parties
    keep_u = np.zeros((0, p), dtype=np.int64)
    keep_c: NDArray[np.object_] = np.zeros(0, dtype=object)
    keep_rows = np.zeros((0, len(opts)), dtype=np.int64)
    keep_owner = np.zeros(0, dtype=np.int64)
    for start in range(0, total, _CHUNK):
        idx = np.arange(start, min(total, start + _CHUNK), dtype=np.int64)
        digits = np.unravel_index(idx, sizes)
        pk = np.stack([o[d] for o, d in zip(opts, digits, strict=True)], axis=1)
        u = grid_utilities(case, grid, pk)
        if thresholds is not None:
            ok = np.all(u >= thresholds[None, :], axis=1)
            pk, u = pk[ok], u[ok]
        n_old = keep_u.shape[0]
        all_u = np.concatenate([keep_u, u])
        all_rows = np.concatenate([keep_rows, pk])
        row_owner = np.concatenate([keep_owner, n_old + np.arange(u.shape[0], dtype=np.int64)])
        uniq, inverse = np.unique(all_u, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        # the running points are distinct and carry their counts; each new package counts one
        counts = np.bincount(inverse[n_old:], minlength=uniq.shape[0]).astype(object)
        counts[inverse[:n_old]] += keep_c
        new_owner = inverse[row_owner]
        mask = undominated(uniq)
        order = np.lexsort(tuple(-uniq[:, j] for j in reversed(range(p))))
        order = order[mask[order]]
        new_id = -np.ones(uniq.shape[0], dtype=np.int64)
        new_id[order] = np.arange(order.size)
        owner = new_id[new_owner]
        live = owner >= 0
        rows, owner = all_rows[live], owner[live]
        sort = np.argsort(owner, kind="stable")
        rows, owner = rows[sort], owner[sort]
        starts = np.searchsorted(owner, owner, side="left")
        first_cap = (np.arange(owner.size) - starts) < cap
        keep_rows, keep_owner = rows[first_cap], owner[first_cap]
        keep_u, keep_c = uniq[order], counts[order]
        if progress is not None:
            progress(min(total, start + _CHUNK), total, int(keep_u.shape[0]))
    return keep_u, [int(c) for c in keep_c], keep_rows, keep_owner
