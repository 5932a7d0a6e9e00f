"""Exact real ties that the per-option rounding to the grid puts a few steps apart (docs/concepts.md#frontier-and-ties:
one point).

The cases are integer point tables mapped per party by u' = a·u + b_k with an ``a`` that no decimal grid holds
(1/3, 0.95/0.27, ...) and per-issue offsets b_k: packages with equal integer sums tie exactly in real numbers,
but each option is rounded to the grid separately, so their grid sums can differ by a few steps. The oracle
(``frontier_kit.brute_frontier``) enumerates every package and merges values within 1e-9 of the party's scale.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis._compile import allowed_options, compile_case, utility_grid
from accord.analysis._skyline import near_dominated_2d
from accord.analysis.frontier import pareto_frontier
from accord.analysis.optimize import best_improvement, is_pareto_optimal
from accord.io.casefile import load_case
from accord.io.genius import export_genius, load_scenario
from accord.model import Case, Interaction, Issue, Party, Preferences

SUPPLIER = Path(__file__).resolve().parents[2] / "examples" / "supplier-contract.yaml"
_SCALES = (1 / 3, 0.95 / 0.27, 2 / 7, 1e-3 / 3, 7e5 / 3)
_OFFSETS = (0.0, 1 / 7, 0.3, 2 / 3, 1e-2 / 9)


@st.composite
def tied_cases(draw: st.DrawFn) -> Case:
    """Two parties, 2–5 issues, integer tables scaled by awkward factors plus per-issue offsets; optionally an
    interaction term and a cap, both scaled the same way so exact ties stay exact."""
    sizes = draw(st.lists(st.integers(2, 4), min_size=2, max_size=5))
    while int(np.prod(sizes)) > 1500:
        sizes.pop()
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    opposed = draw(st.booleans())
    raw0 = [draw(st.lists(st.integers(0, 4), min_size=s, max_size=s)) for s in sizes]
    prefs = []
    for p in range(2):
        raw = [[4 - x for x in row] for row in raw0] if (p == 1 and opposed) else (
            raw0 if p == 0 else [draw(st.lists(st.integers(0, 4), min_size=s, max_size=s)) for s in sizes])
        a = draw(st.sampled_from(_SCALES))
        offs = [draw(st.sampled_from(_OFFSETS)) for _ in sizes]
        tables = tuple(tuple(a * x + b for x in row) for row, b in zip(raw, offs, strict=True))
        terms: tuple[Interaction, ...] = ()
        if len(sizes) >= 2 and draw(st.booleans()):
            conds = ((0, frozenset({0})), (1, frozenset(range(sizes[1] // 2 + 1))))
            terms = (Interaction(conds, a * draw(st.integers(-2, 3))),)
        cap = None
        if draw(st.integers(0, 3)) == 0:
            top = sum(max(row) for row in raw) + sum(max(0, round(t.points / a)) for t in terms)
            cap = a * (top * 2 // 3) + sum(offs)
        prefs.append(Preferences(tables, terms, cap))
    return Case("ties", issues, (Party("A"), Party("B")), tuple(prefs))


def _check(case: Case, oracle, kit) -> None:  # type: ignore[no-untyped-def]
    f = pareto_frontier(case, cap=10_000)
    assert len(f) == len(oracle.points)
    keys = kit.match_points(case, oracle, f.utilities)
    assert len(set(keys)) == len(keys)
    for key, count, pkgs in zip(keys, f.package_counts, f.packages, strict=True):
        want, reachers = oracle.points[key]
        assert count == want
        assert set(pkgs) == reachers


@settings(max_examples=150, deadline=None)
@given(case=tied_cases())
def test_exact_ties_off_the_grid_are_one_point(case, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    _check(case, frontier_kit.brute_frontier(case), frontier_kit)


@settings(max_examples=25, deadline=None)
@given(case=tied_cases(), data=st.data())
def test_single_package_questions_agree_with_the_frontier(case, data, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    """A package is Pareto-optimal exactly when it reaches a frontier point (ties within the slack included)."""
    oracle = frontier_kit.brute_frontier(case)
    on = set().union(*(r for _, r in oracle.points.values()))
    pk = [tuple(int(o) for o in row) for row in oracle.packages]
    picks = data.draw(st.lists(st.sampled_from(pk), min_size=1, max_size=3, unique=True))
    for pkg in picks:
        assert is_pareto_optimal(case, pkg) == (pkg in on)
        imp = best_improvement(case, pkg)
        assert (imp is None) == (pkg in on)
        if imp is not None:
            assert imp.package in on


def test_supplier_contract_genius_export_keeps_its_tied_packages(tmp_path, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    """Regression: the exported scenario has two packages tied at (95, 33) whose grid sums were one step apart,
    so one was pruned (81 points / 95 packages instead of 80 / 96)."""
    case = load_case(SUPPLIER)
    files = export_genius(case, tmp_path / "genius", force=True)
    domain = next(f for f in files if f.name.endswith("_domain.xml"))
    profiles = [f for f in files if f != domain]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exported = load_scenario(domain, profiles)
    original = pareto_frontier(case)
    f = pareto_frontier(exported, cap=10_000)
    assert (len(f), f.total_packages) == (len(original), original.total_packages) == (80, 96)
    _check(exported, frontier_kit.brute_frontier(exported), frontier_kit)


def test_integer_cases_compare_exactly() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
                            {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [2, 0]}})
    grid = utility_grid(case)
    assert grid.exact.all() and not grid.tie.any()
    assert not compile_case(case, grid, allowed_options(case, {})).tie.any()
    # one grid step apart is a strict difference for integer points
    near = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [5, 5]}})
    assert pareto_frontier(near).utilities.tolist() == [[1.0, 5.0]]


def test_three_parties_keep_exact_grid_comparisons() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"]},
                            {"A": {"a": [0, 1 / 3]}, "B": {"a": [0.5, 0.25]}, "C": {"a": [1, 1]}})
    grid = utility_grid(case)
    assert grid.tie.tolist() == [1, 1, 0]
    assert not compile_case(case, grid, allowed_options(case, {})).tie.any()


def test_grid_steps_keep_the_tie_slack_within_the_tolerance() -> None:
    """m rounded addends may drift m steps apart; the grid is fine enough that m steps ≤ 1e-9 of the scale."""
    tables = {f"i{k}": [0.1 * k, 1 / 3] for k in range(30)}
    case = Case.from_tables("t", {k: ["x", "y"] for k in tables}, {"A": tables, "B": tables})
    grid = utility_grid(case)
    scale = sum(max(v) for v in tables.values())
    assert np.all(grid.tie * grid.quantum <= 1e-9 * scale)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_near_dominated_2d_matches_pairwise(data) -> None:  # type: ignore[no-untyped-def]
    n = data.draw(st.integers(1, 30))
    u = np.array(data.draw(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=n, max_size=n)),
                 dtype=np.int64)
    segmented = data.draw(st.booleans())
    seg = np.sort(np.array(data.draw(st.lists(st.integers(0, 2 if segmented else 0), min_size=n, max_size=n)),
                           dtype=np.int64))
    tie = np.array(data.draw(st.tuples(st.integers(0, 2), st.integers(0, 2))), dtype=np.int64)
    active = None
    if data.draw(st.booleans()):
        active = np.array(data.draw(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=n, max_size=n)),
                          dtype=bool).reshape(n, 2)
    order = np.lexsort((-u[:, 1], -u[:, 0], seg))
    u, seg = u[order], seg[order]
    active = None if active is None else active[order]
    same = seg[:, None] == seg[None, :]
    ge = np.all(u[None, :, :] >= u[:, None, :] - tie, axis=2)
    gt = u[None, :, :] > u[:, None, :] + tie
    if active is not None:
        gt &= active[:, None, :]
    want = np.any(same & ge & gt.any(axis=2), axis=1)
    got = near_dominated_2d(u, tie, seg if segmented else None, active)
    assert got.tolist() == want.tolist()


def test_tied_packages_are_one_point_on_a_small_case() -> None:
    """x+p and y+q tie exactly in reals (1/3 + 2/3 = 2/3 + 1/3 for A, 2k + k = k + 2k for B): one point."""
    t, k = 1 / 3, 0.95 / 0.27
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
                            {"A": {"a": [t, 2 * t], "b": [2 * t, t]}, "B": {"a": [2 * k, k], "b": [k, 2 * k]}})
    f = pareto_frontier(case)
    assert f.package_counts == (1, 2, 1)
    assert set(f.packages[1]) == {(0, 0), (1, 1)}
    assert all(is_pareto_optimal(case, pkg) for pkgs in f.packages for pkg in pkgs)
