"""Single-package questions (is it Pareto-optimal? the best improvement) against brute force, the full
frontier and an independent ``scipy.optimize.milp`` model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis._compile import grid_utilities, utility_grid
from accord.analysis.frontier import pareto_frontier
from accord.analysis.optimize import Improvement, best_improvement, is_pareto_optimal, joint_weights
from accord.errors import RequestError
from accord.model import Case


def _brute(case: Case, kit, package: tuple[int, ...]):  # type: ignore[no-untyped-def]
    """Packages that dominate ``package`` (on the exact grid) and the best joint gain among them."""
    pk = kit.all_packages(case)
    grid = utility_grid(case)
    u = grid_utilities(case, grid, pk)
    t = grid_utilities(case, grid, np.array([package]))[0]
    gain = u - t[None, :]
    dom = np.all(gain >= 0, axis=1) & np.any(gain > 0, axis=1)
    w, _ = joint_weights(case)
    value = (gain * grid.quantum[None, :]) @ w
    return dom, (float(value[dom].max()) if dom.any() else None), value


@settings(max_examples=80)
@given(data=st.data())
def test_answers_equal_brute_force(data, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = data.draw(frontier_kit.small_cases())
    pk = frontier_kit.all_packages(case)
    package = tuple(int(x) for x in pk[data.draw(st.integers(0, len(pk) - 1))])
    dom, best, value = _brute(case, frontier_kit, package)
    assert is_pareto_optimal(case, package) == (not dom.any())
    imp = best_improvement(case, package)
    if best is None:
        assert imp is None
        return
    assert imp is not None and imp.exact
    row = int(np.flatnonzero(np.all(pk == np.array(imp.package), axis=1))[0])
    assert dom[row], "the improvement must dominate the agreement"
    assert value[row] == pytest.approx(best, rel=1e-9, abs=1e-12)
    # a party may "lose" less than the tolerance of its own scale (docs/concepts.md#frontier-and-ties: that is no loss)
    assert np.all(imp.gains >= -1e-8 * frontier_kit.scale(case))
    assert imp.joint_gain == pytest.approx(best, rel=1e-6, abs=1e-9)


@settings(max_examples=40)
@given(data=st.data())
def test_answers_agree_with_the_full_frontier(data, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = data.draw(frontier_kit.small_cases(max_parties=3))
    f = pareto_frontier(case, cap=2)
    listed = [p for pkgs in f.packages for p in pkgs]
    for p in listed[:: max(1, len(listed) // 5)]:
        assert is_pareto_optimal(case, p)
        assert best_improvement(case, p) is None
    pk = frontier_kit.all_packages(case)
    grid = utility_grid(case)
    for row in pk[:: max(1, len(pk) // 6)]:
        package = tuple(int(x) for x in row)
        on_frontier = any(np.array_equal(grid_utilities(case, grid, row[None, :])[0], g) for g in f.grid_points)
        assert is_pareto_optimal(case, package) == on_frontier
        imp = best_improvement(case, package)
        if imp is not None:  # the best improvement is itself on the frontier
            g = grid_utilities(case, grid, np.array([imp.package]))[0]
            assert any(np.array_equal(g, x) for x in f.grid_points)


def _milp_best(case: Case, package: tuple[int, ...]) -> float | None:
    """Independent model: binaries per (issue, option), max Σ_i w_i u_i subject to u_i ≥ u_i(package)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    w, _ = joint_weights(case)
    sizes = case.sizes
    cols = [(k, o) for k in range(case.n_issues) for o in range(sizes[k])]
    s = np.array([[case.preferences[i].table(k)[o] for (k, o) in cols] for i in range(case.n_parties)])
    eq = np.zeros((case.n_issues, len(cols)))
    for j, (k, _) in enumerate(cols):
        eq[k, j] = 1
    base = case.utilities([package])[0]
    res = milp(-(w @ s), constraints=[LinearConstraint(eq, 1, 1), LinearConstraint(s, base - 1e-9, np.inf)],
               integrality=np.ones(len(cols)), bounds=Bounds(0, 1), options={"mip_rel_gap": 1e-12})
    assert res.status == 0
    return float(-res.fun - w @ base)


@pytest.mark.parametrize("seed", range(4))
def test_best_improvement_agrees_with_scipy_milp_on_mid_size_cases(frontier_kit, seed: int) -> None:  # type: ignore[no-untyped-def]
    case = frontier_kit.random_additive(12, 6, 3, opposed=seed % 2 == 1, seed=seed)
    rng = np.random.default_rng(seed)
    package = tuple(int(x) for x in rng.integers(0, 6, 12))
    imp = best_improvement(case, package)
    value = _milp_best(case, package)
    assert imp is not None
    assert imp.joint_gain == pytest.approx(value, rel=1e-6, abs=1e-9)
    # the MILP optimum itself is Pareto-optimal, so nothing improves on our answer either
    assert is_pareto_optimal(case, imp.package)
    assert _milp_best(case, imp.package) == pytest.approx(0.0, abs=1e-7)


def test_works_where_the_frontier_is_huge(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    # 3 parties × 30 issues × 10 options: the frontier is far too large to list, the questions are not
    case = frontier_kit.random_additive(30, 10, 3, opposed=True, seed=2)
    package = tuple([0] * 30)
    assert not is_pareto_optimal(case, package)
    imp = best_improvement(case, package)
    assert imp is not None and np.all(imp.gains >= 0) and np.any(imp.gains > 0)
    assert is_pareto_optimal(case, imp.package)
    assert best_improvement(case, imp.package) is None


def test_non_additive_questions_use_the_restricted_frontier(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = frontier_kit.hyper_rectangles(6, 5, 10, seed=3)
    package = tuple([0] * 6)
    f = pareto_frontier(case, cap=1)
    _, best, _ = _brute(case, frontier_kit, package)
    imp = best_improvement(case, package)
    assert (imp is None) == (best is None)
    if imp is not None:
        assert "interaction" in imp.method
        assert imp.joint_gain == pytest.approx(best)
    assert all(is_pareto_optimal(case, p[0]) for p in f.packages)


def test_improvement_to_dict_and_shared_scale_objective() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
                            {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [2, 0]}},
                            shared_scales=True)
    imp = best_improvement(case, {"a": "x", "b": "q"})
    assert isinstance(imp, Improvement)
    d = json.loads(json.dumps(imp.to_dict()))
    assert d["package"] == {"a": "y", "b": "p"}
    assert d["gains"] == {"A": 1.0, "B": 1.0} and d["joint_gain"] == 2.0
    assert "points" in d["objective"] and d["exact"] is True


def test_normalised_weights_and_their_fallback() -> None:
    case = Case.from_tables("t", {"a": ["x", "y", "z"]}, {"A": {"a": [0, 2, 4]}, "B": {"a": [3, 2, 0]}},
                            batnas={"A": 1, "B": 5})
    w, note = joint_weights(case)
    # A: best 4, BATNA 1 → 1/3; B: best 3 is below its BATNA 5 → divided by its range 3 instead
    assert w.tolist() == pytest.approx([1 / 3, 1 / 3])
    assert "normalised" in note and "B" in note


def test_bad_requests() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    with pytest.raises(RequestError, match="unknown objective 'nash'"):
        best_improvement(case, "a=x", objective="nash")
    with pytest.raises(RequestError, match="has no option 'w'"):
        is_pareto_optimal(case, "a=w")
    with pytest.raises(RequestError, match="unknown issue 'b'"):
        best_improvement(case, {"b": "x"})


def test_best_utilities_equal_the_frontier_extremes(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    from accord.analysis.optimize import best_utilities

    for case in (frontier_kit.random_additive(5, 4, 3, seed=2), frontier_kit.hyper_rectangles(5, 5, 8, seed=4)):
        f = pareto_frontier(case, cap=1)
        assert best_utilities(case) == pytest.approx(f.utilities.max(axis=0))
