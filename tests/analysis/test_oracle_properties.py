"""Single-package questions and win-win potential against oracles that share nothing with the engine but
``Case.utilities`` (tests/oracles.py): no ``best_utilities``, no ``compromise_package``, no utility grid.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.optimize import best_improvement, is_pareto_optimal
from accord.analysis.potential import win_win_potential
from accord.model import Case
from oracles import all_packages, best_points, compromise, dominating, gain_weights, scale


def improvement_weights(case: Case) -> np.ndarray:
    """Weights of a joint gain (docs/concepts.md): 1 with shared scales, else 1 / (u_i^max − b_i), or
    1 / (u_i^max − u_i^min) for a party whose best package does not beat its BATNA."""
    if case.shared_scales:
        return np.ones(case.n_parties)
    u = case.utilities(all_packages(case))
    hi, lo = u.max(axis=0), u.min(axis=0)
    span = hi - np.asarray(case.batnas, dtype=float)
    span = np.where(span > 0, span, hi - lo)
    return 1.0 / np.where(span > 0, span, 1.0)


@settings(max_examples=80)
@given(data=st.data())
def test_single_package_questions_match_enumeration(data: st.DataObject, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = data.draw(frontier_kit.small_cases())
    pk = all_packages(case)
    package = tuple(int(x) for x in pk[data.draw(st.integers(0, len(pk) - 1))])
    dom = dominating(case, package)
    assert is_pareto_optimal(case, package) == (not dom.any())
    imp = best_improvement(case, package)
    if not dom.any():
        assert imp is None
        return
    assert imp is not None
    u = case.utilities(pk)
    gains = u - case.utilities([package])[0][None, :]
    value = gains @ improvement_weights(case)
    best = float(value[dom].max())
    row = int(np.flatnonzero(np.all(pk == np.array(imp.package), axis=1))[0])
    assert dom[row], "the improvement must dominate the agreement"
    assert imp.gains.tolist() == pytest.approx(gains[row].tolist(), abs=1e-9 * float(scale(case).max()))
    # the best joint gain among the dominating packages, up to the tie tolerance of each party's scale
    slack = 2e-9 * float((scale(case) * improvement_weights(case)).sum()) + 1e-12
    assert abs(float(value[row]) - best) <= slack
    assert abs(imp.joint_gain - best) <= slack + 1e-9 * abs(best)


@st.composite
def integer_cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(2, 3))
    sizes = [draw(st.integers(1, 4)) for _ in range(draw(st.integers(1, 4)))]
    names = ["A", "B", "C"][:n]
    issues = {f"i{k}": [f"o{o}" for o in range(s)] for k, s in enumerate(sizes)}
    points = {p: {f"i{k}": [draw(st.integers(0, 6)) for _ in range(s)] for k, s in enumerate(sizes)} for p in names}
    batnas = {p: draw(st.integers(0, 10)) for p in names}
    return Case.from_tables("random", issues, points, batnas=batnas, shared_scales=draw(st.booleans()))


@settings(max_examples=100)
@given(case=integer_cases())
def test_potential_matches_enumeration(case: Case) -> None:
    pot = win_win_potential(case)
    pk = all_packages(case)
    u = case.utilities(pk)
    b = np.asarray(case.batnas, dtype=float)
    w = gain_weights(case)
    joint = (u - (0 if case.shared_scales else b)) @ w
    comp = compromise(case)
    uc = case.utilities([comp])[0]
    even = float((uc - (0 if case.shared_scales else b)) @ w)
    assert pot.max_joint_value == pytest.approx(float(joint.max()))
    assert pot.even_split_package == case.labels(comp)
    assert pot.even_split_value == pytest.approx(even)
    assert pot.even_split_rational == bool(np.all(uc >= b))
    # distinct undominated points among the packages that dominate the compromise
    above = {tuple(r) for r in u[dominating(case, comp)].tolist()}
    top = {r for r in above if not any(all(x >= y for x, y in zip(o, r, strict=True)) and o != r for o in above)}
    assert pot.even_split_dominated_by == len(top)
    assert pot.sign("pie_larger_than_even_split").present == (float(joint.max()) - even
                                                             > 1e-9 * max(1.0, abs(float(joint.max()))))
    for q, p in enumerate(case.party_names):
        assert pot.frontier_spread[p][1] == best_points(case)[q]
