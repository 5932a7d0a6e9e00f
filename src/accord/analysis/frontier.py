"""The exact Pareto frontier of a case (DOMAIN §4).

THIS IS THE PLACEHOLDER ENGINE: exact but simple (an issue-by-issue merge with a quadratic dominance filter for
additive cases, full enumeration for small non-additive ones). The scalable engine replaces the internals
of :func:`pareto_frontier` and keeps its signature and the :class:`Frontier` result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import TooLargeError
from accord.model import Case, Package, PartialPackage
from accord.model.preferences import FloatArray

#: Default number of packages listed per frontier point.
DEFAULT_CAP = 10
#: Relative tolerance under which two utility values are the same point (DOMAIN §4).
REL_TOL = 1e-9


@dataclass(frozen=True)
class Frontier:
    """Distinct undominated utility vectors of a case, with the packages that reach each.

    Attributes
    ----------
    parties : tuple of str
        Column order of ``utilities``.
    issues : tuple of str
        Issue order of the packages.
    options : tuple of tuple of str
        Option labels per issue (to turn packages into labels).
    utilities : ndarray, shape (points, parties)
        One row per distinct undominated utility vector, sorted by the first party's utility, descending.
    package_counts : tuple of int
        How many packages reach each point (exact Python ints; can exceed 2**63).
    packages : tuple of tuple of Package
        Up to ``cap`` packages (option indices) per point.
    cap : int
        The cap on listed packages per point.
    exact : bool
        Always True for results of :func:`pareto_frontier` (it raises rather than approximate).
    method : str
        Which algorithm produced it.
    restriction : str
        Human-readable restriction ("" = the whole outcome space).
    grid : str
        The grids real issues were analysed on ("" if none).
    """

    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    utilities: FloatArray
    package_counts: tuple[int, ...]
    packages: tuple[tuple[Package, ...], ...]
    cap: int = DEFAULT_CAP
    exact: bool = True
    method: str = ""
    restriction: str = ""
    grid: str = ""
    _meta: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return int(self.utilities.shape[0])

    def labels(self, package: Package) -> dict[str, str]:
        """``{issue: option}`` of a package."""
        return {i: opts[o] for i, opts, o in zip(self.issues, self.options, package, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"parties", "exact", "points": [{"utilities", "package_count", "packages"}]}``."""
        return {
            "parties": list(self.parties),
            "exact": self.exact,
            "method": self.method,
            "restriction": self.restriction,
            "grid": self.grid,
            "package_cap": self.cap,
            "size": len(self),
            "points": [
                {
                    "utilities": {p: float(u) for p, u in zip(self.parties, row, strict=True)},
                    "package_count": int(count),
                    "packages": [self.labels(pkg) for pkg in pkgs],
                }
                for row, count, pkgs in zip(self.utilities, self.package_counts, self.packages, strict=True)
            ],
        }


def grid_note(case: Case) -> str:
    """Statement of the grids real issues are analysed on, for every output."""
    parts = [f"{i.name} on {i.grid} points" for i in case.issues if i.type == "real"]
    return ("real issues analysed on a grid: " + ", ".join(parts)) if parts else ""


def _undominated(u: FloatArray) -> np.ndarray:
    """Boolean mask of rows not dominated by any other row (rows must be distinct)."""
    n = u.shape[0]
    keep = np.ones(n, dtype=bool)
    block = max(1, 2_000_000 // max(1, n * u.shape[1]))
    for start in range(0, n, block):
        chunk = u[start:start + block]
        ge = np.all(u[None, :, :] >= chunk[:, None, :], axis=2)
        gt = np.any(u[None, :, :] > chunk[:, None, :], axis=2)
        keep[start:start + block] = ~np.any(ge & gt, axis=1)
    return keep


def _distinct(u: FloatArray) -> tuple[FloatArray, np.ndarray]:
    """Merge rows equal within REL_TOL: returns representative rows and the inverse index."""
    scale = np.maximum(1.0, np.abs(u).max(axis=0, initial=0.0))
    key = np.round(u / (scale * REL_TOL * 10)).astype(np.int64) if u.size else u.astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return u[first], inverse.reshape(-1)


def pareto_frontier(
    case: Case,
    *,
    cap: int = DEFAULT_CAP,
    rational: bool = False,
    fixed: PartialPackage | Mapping[str, str] | None = None,
    at_least: Sequence[float] | FloatArray | None = None,
) -> Frontier:
    """The exact Pareto frontier of ``case``, optionally restricted.

    Parameters
    ----------
    case : Case
    cap : int
        Packages listed per frontier point (the count is always exact).
    rational : bool
        Keep only individually rational points (every party at least its BATNA).
    fixed : PartialPackage or mapping, optional
        Issues fixed to one option (a pre-settlement settlement).
    at_least : sequence of float, optional
        Keep only packages every party weakly prefers to these utilities (post-settlement).

    Returns
    -------
    Frontier

    Notes
    -----
    The undominated packages of a region {ω : u(ω) ≥ a} are exactly the frontier's packages in it: any
    package dominating one of them is in the region too. So restrictions filter the (possibly fixed-issue)
    frontier rather than enumerate the region.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    >>> len(pareto_frontier(case))
    2
    """
    partial = case.partial(fixed) if isinstance(fixed, Mapping) else fixed
    fixed_map = partial.as_mapping() if partial is not None else {}
    allowed = [[fixed_map[k]] if k in fixed_map else list(range(case.sizes[k])) for k in range(case.n_issues)]
    if case.additive:
        util, counts, pkgs = _additive(case, allowed, cap)
        method = "issue-by-issue merge (placeholder)"
    else:
        util, counts, pkgs = _enumerate(case, allowed, cap)
        method = "enumeration (placeholder)"
    keep = np.ones(len(util), dtype=bool)
    notes = []
    if rational:
        keep &= np.all(util >= case.batnas[None, :] - 1e-12, axis=1)
        notes.append("individually rational")
    if at_least is not None:
        a = np.asarray(at_least, dtype=float)
        keep &= np.all(util >= a[None, :] - REL_TOL * np.maximum(1, np.abs(a))[None, :], axis=1)
        notes.append("every party at least " + ", ".join(f"{x:g}" for x in a))
    if fixed_map:
        notes.append("fixed " + ", ".join(f"{case.issues[k].name}={case.issues[k].options[o]}"
                                           for k, o in sorted(fixed_map.items())))
    idx = np.flatnonzero(keep)
    order = idx[np.lexsort(tuple(-util[idx, j] for j in reversed(range(case.n_parties))))]
    return Frontier(
        case.party_names, case.issue_names, tuple(i.options for i in case.issues), util[order],
        tuple(counts[i] for i in order), tuple(pkgs[i] for i in order), cap, True, method,
        "; ".join(notes), grid_note(case),
    )


_Parts = tuple[FloatArray, list[int], list[tuple[Package, ...]]]


def _additive(case: Case, allowed: list[list[int]], cap: int) -> _Parts:
    util = np.zeros((1, case.n_parties))
    counts: list[int] = [1]
    pkgs: list[tuple[Package, ...]] = [((),)]
    for k, opts in enumerate(allowed):
        s = case.scores[k][:, opts].T  # (O, P)
        cand = (util[:, None, :] + s[None, :, :]).reshape(-1, case.n_parties)
        src = np.repeat(np.arange(len(util)), len(opts))
        opt = np.tile(np.asarray(opts), len(util))
        reps, inverse = _distinct(cand)
        keep = _undominated(reps)
        new_index = -np.ones(len(reps), dtype=np.int64)
        new_index[keep] = np.arange(int(keep.sum()))
        new_counts = [0] * int(keep.sum())
        new_pkgs: list[list[Package]] = [[] for _ in range(int(keep.sum()))]
        for c in range(len(cand)):
            j = new_index[inverse[c]]
            if j < 0:
                continue
            new_counts[j] += counts[src[c]]
            room = cap - len(new_pkgs[j])
            if room > 0:
                new_pkgs[j].extend((*p, int(opt[c])) for p in pkgs[src[c]][:room])
        util = reps[keep]
        counts = new_counts
        pkgs = [tuple(p) for p in new_pkgs]
    return util, counts, pkgs


def _enumerate(case: Case, allowed: list[list[int]], cap: int) -> _Parts:
    total = int(np.prod([len(a) for a in allowed], dtype=float))
    if total > 2_000_000:
        raise TooLargeError(f"{total} packages with interaction terms is too many for the placeholder engine")
    grids = np.meshgrid(*[np.asarray(a) for a in allowed], indexing="ij")
    packages = np.stack([g.reshape(-1) for g in grids], axis=1)
    u = case.utilities(packages)
    reps, inverse = _distinct(u)
    keep = _undominated(reps)
    util = reps[keep]
    idx = np.flatnonzero(keep)
    counts = [int(np.sum(inverse == i)) for i in idx]
    pkgs = [tuple(tuple(int(x) for x in packages[r]) for r in np.flatnonzero(inverse == i)[:cap]) for i in idx]
    return util, counts, pkgs
