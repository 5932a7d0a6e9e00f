"""Bargaining zone and solution points against brute force over every package of small random cases."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.bargaining import bargaining, compromise_package, normalised_gains, surplus_shares
from accord.analysis.frontier import pareto_frontier
from accord.model import Case, Interaction, Issue, Party, Preferences
from oracles import all_packages, undominated


@st.composite
def small_cases(draw: st.DrawFn) -> Case:
    """2–3 parties, 1–4 issues of 1–4 options, small integer points (many ties), sometimes an interaction."""
    n = draw(st.integers(2, 3))
    m = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(m)]
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(sizes[k])]) for k in range(m))
    prefs = []
    for _ in range(n):
        scores = tuple(tuple(float(draw(st.integers(0, 6))) for _ in range(s)) for s in sizes)
        terms: tuple[Interaction, ...] = ()
        if m >= 2 and draw(st.booleans()):
            k1, k2 = draw(st.sampled_from([(a, b) for a in range(m) for b in range(a + 1, m)]))
            terms = (Interaction(((k1, frozenset({draw(st.integers(0, sizes[k1] - 1))})),
                                  (k2, frozenset({draw(st.integers(0, sizes[k2] - 1))}))),
                                 float(draw(st.integers(-4, 4)))),)
        prefs.append(Preferences(scores, terms))
    parties = tuple(Party(f"P{i}", batna=float(draw(st.integers(0, 14)))) for i in range(n))
    return Case("random", issues, parties, tuple(prefs), shared_scales=draw(st.booleans()))


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@settings(max_examples=200)
@given(case=small_cases())
def test_solution_points_match_brute_force(case: Case) -> None:
    u = case.utilities(all_packages(case))
    b = np.asarray(case.batnas)
    zone = np.all(u >= b, axis=1)
    result = bargaining(case)
    assert result.zopa_empty == (not zone.any())
    assert result.ideal.tolist() == u.max(axis=0).tolist()
    front = undominated(u)
    assert result.frontier_size == len({tuple(r) for r in u[front]})
    assert result.zone_frontier_size == len({tuple(r) for r in u[front & zone]})

    # max joint value over every package (raw points with shared scales, else Σ normalised gains)
    span = u.max(axis=0) - b
    g_all = np.where(span > 0, (u - b) / np.where(span > 0, span, 1), 0.0)
    joint = u.sum(axis=1) if case.shared_scales else g_all.sum(axis=1)
    assert close(result.max_joint_value, float(joint.max()))
    assert close(result.solutions["max_joint"].joint_value, float(joint.max()))
    comp = compromise_package(case)
    assert close(result.even_split_value, float(joint[np.flatnonzero(
        np.all(np.array(list(product(*[range(s) for s in case.sizes]))) == comp, axis=1))[0]]))

    if not zone.any():
        assert set(result.solutions) == {"max_joint"}
        assert result.zone_ideal is None
        return
    uz = u[zone]
    sur = uz - b
    zone_ideal = uz.max(axis=0)
    assert result.zone_ideal is not None and result.zone_ideal.tolist() == zone_ideal.tolist()
    expected = {"max_joint", "nash", "kalai_smorodinsky"} | ({"egalitarian", "utilitarian"} if case.shared_scales
                                                             else set())
    assert set(result.solutions) == expected
    for sol in result.solutions.values():
        # Every solution point is a frontier point reached by the package it names.
        assert case.utility(sol.package).tolist() == sol.utilities.tolist()
        assert any(np.array_equal(sol.utilities, r) for r in u[front])
        assert sol.surplus.tolist() == (sol.utilities - b).tolist()
    for key in expected - {"max_joint"}:
        assert np.all(result.solutions[key].utilities >= b)

    nash = result.solutions["nash"]
    assert close(float(np.prod(nash.utilities - b)), float(np.prod(sur, axis=1).max()))
    gz = np.where(zone_ideal - b > 0, sur / np.where(zone_ideal - b > 0, zone_ideal - b, 1), 0.0)
    ks = result.solutions["kalai_smorodinsky"]
    ks_g = np.where(zone_ideal - b > 0, (ks.utilities - b) / np.where(zone_ideal - b > 0, zone_ideal - b, 1), 0.0)
    best_min = float(gz.min(axis=1).max())
    assert close(float(ks_g.min()), best_min)
    ties = np.abs(gz.min(axis=1) - best_min) <= 1e-9
    assert close(float(ks_g.sum()), float(gz[ties].sum(axis=1).max()))
    if case.shared_scales:
        eg = result.solutions["egalitarian"]
        assert close(float((eg.utilities - b).min()), float(sur.min(axis=1).max()))
        ut = result.solutions["utilitarian"]
        assert close(float(ut.utilities.sum()), float(uz.sum(axis=1).max()))
        total = float((nash.utilities - b).sum())
        if total > 0:
            assert nash.shares.tolist() == pytest.approx(((nash.utilities - b) / total).tolist())
    else:
        g = normalised_gains(nash.utilities[None, :], b, u.max(axis=0))[0]
        if g.sum() > 0:
            assert nash.shares.tolist() == pytest.approx((g / g.sum()).tolist())


@settings(max_examples=200)
@given(case=small_cases())
def test_compromise_package_matches_definition(case: Case) -> None:
    from fractions import Fraction

    expected = []
    for k, s in enumerate(case.scores):
        es = []
        for row in s:
            lo, hi = Fraction(int(row.min())), Fraction(int(row.max()))
            es.append([(Fraction(int(x)) - lo) / (hi - lo) if hi > lo else Fraction(1) for x in row])
        keys = [(min(e[o] for e in es), sum(e[o] for e in es), -o) for o in range(case.sizes[k])]
        expected.append(max(range(case.sizes[k]), key=lambda o: keys[o]))
    assert compromise_package(case) == tuple(expected)


def test_empty_zone_is_a_result() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 10]}, "B": {"a": [10, 0]}},
                            batnas={"A": 6, "B": 6}, shared_scales=True)
    result = bargaining(case)
    assert result.zopa_empty and result.zone_frontier_size == 0
    assert set(result.solutions) == {"max_joint"}
    assert result.to_dict()["zopa_empty"] is True


def test_shares_with_shared_scales() -> None:
    case = Case.from_tables("t", {"a": ["x", "y", "z"], "b": ["p", "q"]},
                            {"A": {"a": [0, 1, 2], "b": [0, 3]}, "B": {"a": [2, 1, 0], "b": [1, 0]}},
                            batnas={"A": 1, "B": 0}, shared_scales=True)
    result = bargaining(case, pareto_frontier(case))
    nash = result.solutions["nash"]
    # Brute force: packages (a, b) give A = a + 3b, B = (2 − a) + (1 − b); Nash max (A − 1)·B.
    assert nash.utilities.tolist() == [3.0, 2.0]
    assert nash.shares.tolist() == pytest.approx([2 / 4, 2 / 4])
    assert surplus_shares(case, np.array([3.0, 2.0]), result.ideal).tolist() == pytest.approx([0.5, 0.5])


# -- exact choices and ties (Frontier.grid_points), against an oracle in exact rationals ----------------------
@st.composite
def scaled_cases(draw: st.DrawFn) -> tuple[Case, list[list[list[Fraction]]], list[Fraction]]:
    """Small cases whose points are large integers (distinct Nash products within 1e-9 of each other) or
    decimals (0.1 + 0.2 must tie with 0.3), with the exact values of every score and BATNA."""
    n = draw(st.integers(2, 3))
    m = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 4)) for _ in range(m)]
    kind = draw(st.sampled_from(["big", "decimal"]))

    def value(x: int, y: int) -> Fraction:
        return Fraction(x * 10**9 + y) if kind == "big" else Fraction(x, 10)

    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(sizes[k])]) for k in range(m))
    exact = [[[value(draw(st.integers(0, 4)), draw(st.integers(0, 3))) for _ in range(s)] for s in sizes]
             for _ in range(n)]
    batnas = [value(draw(st.integers(0, 5)), draw(st.integers(0, 3))) for _ in range(n)]
    prefs = tuple(Preferences(tuple(tuple(float(x) for x in row) for row in tables)) for tables in exact)
    parties = tuple(Party(f"P{i}", batna=float(b)) for i, b in enumerate(batnas))
    return Case("exact", issues, parties, prefs, shared_scales=draw(st.booleans())), exact, batnas


def _exact_choices(case: Case, exact: list[list[list[Fraction]]], batnas: list[Fraction]) -> dict[str, tuple]:
    """Every solution point by its definition (CONVENTIONS), in exact rationals; ties by TIE_RULE: leximin of
    the normalised gains, then the first package in option order (never the order of the parties)."""
    n = case.n_parties
    first: dict[tuple, tuple[int, ...]] = {}
    for pkg in product(*[range(s) for s in case.sizes]):  # option order: the first package reaching each point
        first.setdefault(tuple(sum((exact[i][k][o] for k, o in enumerate(pkg)), Fraction(0)) for i in range(n)),
                         pkg)
    points = set(first)
    front = [v for v in points if not any(all(w[i] >= v[i] for i in range(n)) and w != v for w in points)]
    ideal = [max(v[i] for v in front) for i in range(n)]
    span = [ideal[i] - batnas[i] for i in range(n)]

    def joint(v: tuple) -> Fraction:
        if case.shared_scales:
            return sum(v, Fraction(0))
        return sum(((v[i] - batnas[i]) / span[i] for i in range(n) if span[i] > 0), Fraction(0))

    def choose(among: list[tuple], key: Callable[[tuple], Any]) -> tuple:
        top = max(key(v) for v in among)
        tied = [v for v in among if key(v) == top]
        lexi = max(tuple(sorted((v[i] - batnas[i]) / span[i] if span[i] > 0 else Fraction(0) for i in range(n)))
                   for v in tied)
        tied = [v for v in tied if tuple(sorted((v[i] - batnas[i]) / span[i] if span[i] > 0 else Fraction(0)
                                                for i in range(n))) == lexi]
        return min(tied, key=lambda v: first[v])

    zone = [v for v in front if all(v[i] >= batnas[i] for i in range(n))]
    best_joint = max(joint(v) for v in front)
    inside = [v for v in zone if joint(v) == best_joint]
    out = {"max_joint": choose(inside or front, joint)}
    if not zone:
        return out
    z_span = [max(v[i] for v in zone) - batnas[i] for i in range(n)]

    def surplus(v: tuple) -> list[Fraction]:
        return [v[i] - batnas[i] for i in range(n)]

    def gains(v: tuple) -> list[Fraction]:
        return [(v[i] - batnas[i]) / z_span[i] if z_span[i] > 0 else Fraction(0) for i in range(n)]

    out["nash"] = choose(zone, lambda v: (math.prod(surplus(v)), joint(v)))
    out["kalai_smorodinsky"] = choose(zone, lambda v: (min(gains(v)), sum(gains(v), Fraction(0))))
    if case.shared_scales:
        out["egalitarian"] = choose(zone, lambda v: (min(surplus(v)), sum(surplus(v), Fraction(0))))
        out["utilitarian"] = choose(zone, lambda v: (sum(v, Fraction(0)), min(surplus(v))))
    return out


@settings(max_examples=150)
@given(drawn=scaled_cases())
def test_solution_points_and_ties_are_exact(drawn: tuple[Case, list[list[list[Fraction]]], list[Fraction]]) -> None:
    case, exact, batnas = drawn
    expected = _exact_choices(case, exact, batnas)
    result = bargaining(case)
    assert set(result.solutions) == set(expected)
    for name, sol in result.solutions.items():
        got = tuple(sum((exact[i][case.issue_index(k)][case.issues[case.issue_index(k)].options.index(o)]
                         for k, o in sol.package.items()), Fraction(0)) for i in range(case.n_parties))
        assert got == expected[name], name


def test_nash_products_closer_than_float_tolerance_are_told_apart() -> None:
    """Two Nash products 1e-9 apart (relative): a float tolerance calls them tied and lets the larger joint
    value win; on the exact grid the larger product wins."""
    big = 10**9
    # x gives (A, B) = (4e9, 1e9 + 1): product 4e18 + 4e9, joint 5e9 + 1; y gives (8e9, 5e8): product 4e18,
    # joint 8.5e9. Integers below 2**52, so the grid is exact.
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [4 * big, 8 * big]},
                                                    "B": {"a": [big + 1, big // 2]}}, shared_scales=True)
    assert bargaining(case).solutions["nash"].package == {"a": "x"}
