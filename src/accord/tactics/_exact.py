"""Exact optimisation over packages, shared by the tactics (MESOs, pre-settlement, logrolls).

The tactics keep asking one question: *which package is best for some linear objective, among the packages
that fix some issues and keep one party's utility inside a band?* (the best MESO for a hypothesis; a party's
best and worst outcome once some issues are fixed; a party's best package for normalised gains). This
module answers it exactly: by vectorised enumeration when the restricted space is small, and otherwise by a
0/1 integer programme solved with HiGHS (:func:`scipy.optimize.milp`) in which each issue is a "choose one
option" constraint and each interaction term of the banded party is linearised exactly. Never by sampling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import prod
from typing import Literal

import numpy as np

from accord.model import Case, Package
from accord.model.preferences import FloatArray, IntArray

#: Largest restricted space that is enumerated (packages); above it the integer programme is used.
ENUMERATION_LIMIT = 100_000
#: Relative slack on band edges (points equal within it count as inside).
BAND_EPS = 1e-9

Tables = Sequence[FloatArray]
Method = Literal["auto", "enumerate", "milp"]


@dataclass(frozen=True)
class Band:
    """Keep only packages whose utility for party ``party`` (true, non-additive if so) is in [low, high]."""

    party: int
    low: float
    high: float

    def slack(self) -> float:
        return BAND_EPS * max(1.0, abs(self.low), abs(self.high))

    def contains(self, values: FloatArray) -> np.ndarray:
        eps = self.slack()
        out: np.ndarray = (values >= self.low - eps) & (values <= self.high + eps)
        return out


def allowed_options(case: Case, fixed: Mapping[int, int] | None = None) -> list[IntArray]:
    """Option indices each issue may take once ``fixed`` issues are set."""
    fixed = fixed or {}
    return [np.asarray([fixed[k]] if k in fixed else range(case.sizes[k]), dtype=np.int64)
            for k in range(case.n_issues)]


def restricted_size(case: Case, fixed: Mapping[int, int] | None = None) -> int:
    """Number of packages that agree with ``fixed`` (an exact int)."""
    return prod(len(a) for a in allowed_options(case, fixed))


def enumerate_packages(case: Case, fixed: Mapping[int, int] | None = None) -> IntArray:
    """Every package that agrees with ``fixed``, as an (N, issues) array — only for small spaces."""
    allowed = allowed_options(case, fixed)
    grids = np.meshgrid(*allowed, indexing="ij")
    out: IntArray = np.stack([g.reshape(-1) for g in grids], axis=1).astype(np.int64)
    return out


def table_values(tables: Tables, packages: IntArray) -> FloatArray:
    """Σ_k tables[k][ω_k] for each row ω of ``packages``."""
    total = np.zeros(packages.shape[0])
    for k, t in enumerate(tables):
        total += np.asarray(t)[packages[:, k]]
    return total


def _objective_values(case: Case, objective: int | Tables, packages: IntArray) -> FloatArray:
    if isinstance(objective, int):
        return case.preferences[objective].utilities(packages)
    return table_values(objective, packages)


def optimise(
    case: Case,
    objective: int | Tables,
    *,
    maximise: bool = True,
    fixed: Mapping[int, int] | None = None,
    band: Band | None = None,
    floor: tuple[Tables, float] | None = None,
    method: Method = "auto",
) -> tuple[Package, float] | None:
    """The best package for ``objective`` under the restrictions, or None if no package meets them.

    Parameters
    ----------
    case : Case
    objective : int or sequence of arrays
        A party index (its true utility, interactions and cap included) or per-issue linear tables.
    maximise : bool
        Maximise (default) or minimise.
    fixed : mapping issue index -> option index, optional
    band : Band, optional
        Keep a party's true utility inside [low, high].
    floor : (tables, value), optional
        Keep Σ_k tables[k][ω_k] ≥ value (used for lexicographic tie-breaking).
    method : {"auto", "enumerate", "milp"}
        ``auto`` enumerates spaces up to :data:`ENUMERATION_LIMIT` packages.

    Returns
    -------
    (package, value) or None

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [0, 1]}})
    >>> optimise(case, 1, band=Band(0, 2.0, 2.0))
    ((1, 0), 0.0)
    >>> optimise(case, 1, band=Band(0, 2.0, 2.0), method="milp")
    ((1, 0), 0.0)
    """
    if band is None and floor is None and method == "auto" and _separable(case, objective):
        return _per_issue(case, objective, maximise, fixed)
    if method == "enumerate" or (method == "auto" and restricted_size(case, fixed) <= ENUMERATION_LIMIT):
        return _by_enumeration(case, objective, maximise, fixed, band, floor)
    return _by_milp(case, objective, maximise, fixed, band, floor)


def _separable(case: Case, objective: int | Tables) -> bool:
    return not isinstance(objective, int) or case.preferences[objective].additive


def _per_issue(case: Case, objective: int | Tables, maximise: bool,
               fixed: Mapping[int, int] | None) -> tuple[Package, float]:
    """Unconstrained optimum of a separable objective: the best option of each issue on its own."""
    tables = [case.preferences[objective].table(k) for k in range(case.n_issues)] if isinstance(objective, int) \
        else [np.asarray(t, dtype=float) for t in objective]
    pkg = []
    for k, allowed in enumerate(allowed_options(case, fixed)):
        values = tables[k][allowed]
        pkg.append(int(allowed[int(np.argmax(values) if maximise else np.argmin(values))]))
    package = tuple(pkg)
    value = _objective_values(case, objective, np.asarray(package, dtype=np.int64)[None, :])[0]
    return package, float(value)


def _floor_ok(floor: tuple[Tables, float] | None, packages: IntArray) -> np.ndarray:
    if floor is None:
        return np.ones(packages.shape[0], dtype=bool)
    v = table_values(floor[0], packages)
    out: np.ndarray = v >= floor[1] - BAND_EPS * max(1.0, abs(floor[1]))
    return out


def _by_enumeration(case: Case, objective: int | Tables, maximise: bool, fixed: Mapping[int, int] | None,
                    band: Band | None, floor: tuple[Tables, float] | None) -> tuple[Package, float] | None:
    packages = enumerate_packages(case, fixed)
    ok = _floor_ok(floor, packages)
    if band is not None:
        ok &= band.contains(case.preferences[band.party].utilities(packages))
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return None
    values = _objective_values(case, objective, packages[idx])
    j = int(np.argmax(values) if maximise else np.argmin(values))
    return tuple(int(x) for x in packages[idx[j]]), float(values[j])


class _Programme:
    """A 0/1 programme over x_{k,o} (one option per issue) plus z_t (interaction term t holds)."""

    def __init__(self, case: Case, fixed: Mapping[int, int] | None, parties: set[int]) -> None:
        self.case = case
        self.offsets = np.concatenate([[0], np.cumsum(case.sizes)]).astype(int)
        self.n_x = int(self.offsets[-1])
        self.terms: dict[int, list[int]] = {}
        self.term_points: list[float] = []
        rows: list[tuple[dict[int, float], float, float]] = []
        for k in range(case.n_issues):
            rows.append(({int(self.offsets[k]) + o: 1.0 for o in range(case.sizes[k])}, 1.0, 1.0))
        n = self.n_x
        for p in sorted(parties):
            ids = []
            for t in case.preferences[p].interactions:
                z = n
                n += 1
                ids.append(z)
                self.term_points.append(t.points)
                # z ≤ [ω_k ∈ A_k] for every condition, and z ≥ Σ_k [ω_k ∈ A_k] − (c − 1): z is exactly the AND.
                total: dict[int, float] = {z: 1.0}
                for k, allowed in t.conditions:
                    row = {z: 1.0}
                    for o in allowed:
                        row[int(self.offsets[k]) + o] = -1.0
                        total[int(self.offsets[k]) + o] = -1.0
                    rows.append((row, -np.inf, 0.0))
                rows.append((total, -(len(t.conditions) - 1.0), np.inf))
            self.terms[p] = ids
        self.n = n
        self.rows = rows
        self.lb = np.zeros(n)
        self.ub = np.ones(n)
        for k, o in (fixed or {}).items():
            sl = slice(int(self.offsets[k]), int(self.offsets[k + 1]))
            self.ub[sl] = 0.0
            self.ub[int(self.offsets[k]) + o] = 1.0
            self.lb[int(self.offsets[k]) + o] = 1.0

    def linear(self, tables: Tables) -> FloatArray:
        c = np.zeros(self.n)
        for k, t in enumerate(tables):
            c[int(self.offsets[k]):int(self.offsets[k + 1])] = np.asarray(t, dtype=float)
        return c

    def party(self, p: int) -> FloatArray:
        """Raw (uncapped) utility of party p as a linear form (p must be in ``parties``)."""
        c = self.linear([np.asarray(r, dtype=float) for r in self.case.preferences[p].scores])
        for z in self.terms.get(p, []):
            c[z] = self.term_points[z - self.n_x]
        return c

    def add(self, coef: FloatArray, low: float, high: float) -> None:
        row = {int(j): float(v) for j, v in enumerate(coef) if v != 0.0}
        self.rows.append((row, low, high))

    def exclude(self, package: Package) -> None:
        row = {int(self.offsets[k]) + o: 1.0 for k, o in enumerate(package)}
        self.rows.append((row, -np.inf, len(package) - 1.0))

    def solve(self, c: FloatArray) -> Package | None:
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix

        r, cols, vals = [], [], []
        lo, hi = [], []
        for i, (row, a, b) in enumerate(self.rows):
            for j, v in row.items():
                r.append(i)
                cols.append(j)
                vals.append(v)
            lo.append(a)
            hi.append(b)
        a_mat = coo_matrix((vals, (r, cols)), shape=(len(self.rows), self.n)).tocsr()
        res = milp(c, integrality=np.ones(self.n), bounds=Bounds(self.lb, self.ub),
                   constraints=LinearConstraint(a_mat, np.asarray(lo), np.asarray(hi)),
                   options={"mip_rel_gap": 0.0})
        if res.x is None or res.status != 0:
            return None
        x = np.round(res.x[: self.n_x]).astype(int)
        return tuple(int(np.argmax(x[self.offsets[k]:self.offsets[k + 1]])) for k in range(self.case.n_issues))


def _by_milp(case: Case, objective: int | Tables, maximise: bool, fixed: Mapping[int, int] | None,
             band: Band | None, floor: tuple[Tables, float] | None) -> tuple[Package, float] | None:
    parties = set()
    if isinstance(objective, int):
        parties.add(objective)
    if band is not None:
        parties.add(band.party)
    prog = _Programme(case, fixed, parties)
    if band is not None:
        cap = case.preferences[band.party].cap
        eps = band.slack()
        coef = prog.party(band.party)
        # u = min(cap, raw): u ≥ low ⇔ raw ≥ low (cap ≥ low), and u ≤ high ⇔ raw ≤ high unless cap ≤ high.
        if cap is not None and cap < band.low - eps:
            return None
        upper = np.inf if cap is not None and cap <= band.high + eps else band.high + eps
        prog.add(coef, band.low - eps, upper)
    if floor is not None:
        prog.add(prog.linear(floor[0]), floor[1] - BAND_EPS * max(1.0, abs(floor[1])), np.inf)
    c = prog.party(objective) if isinstance(objective, int) else prog.linear(objective)
    # The solver's tolerances are absolute; a package it accepts is re-checked exactly and cut off if it
    # strays outside the band by rounding.
    for _ in range(50):
        pkg = prog.solve(-c if maximise else c)
        if pkg is None:
            return None
        arr = np.asarray(pkg, dtype=np.int64)[None, :]
        ok = bool(_floor_ok(floor, arr)[0])
        if band is not None:
            ok &= bool(band.contains(case.preferences[band.party].utilities(arr))[0])
        if ok:
            return pkg, float(_objective_values(case, objective, arr)[0])
        prog.exclude(pkg)
    return None  # pragma: no cover - only with pathological rounding
