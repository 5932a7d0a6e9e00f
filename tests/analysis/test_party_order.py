"""Party order never matters: listing the parties of a case in another order permutes the columns of every
result and changes nothing else — solution points (Nash, Kalai–Smorodinsky, egalitarian, utilitarian, max joint)
with their tie counts, the issue table's joint values, logrolling pairs, trades, package deals, the compromise
and middle packages, and MESOs.

Scores are drawn from a tiny range on purpose: ties between frontier points are then common, and a tie-break
that looked at the first-listed party (the frontier's row order) would show up.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.analysis.bargaining import bargaining, compromise_package, middle_package
from accord.analysis.issues import classify_issues
from accord.analysis.logroll import logrolls
from accord.analysis.potential import win_win_potential
from accord.model import Case, Interaction, Issue, Party, Preferences


@st.composite
def cases_and_orders(draw: st.DrawFn) -> tuple[Case, Case]:
    """A random case with 2–4 parties and the same case with its parties listed in another order."""
    n = draw(st.integers(2, 4))
    m = draw(st.integers(2, 3))
    sizes = [draw(st.integers(2, 3)) for _ in range(m)]
    issues = tuple(Issue.ordinal(f"i{k}", [f"o{o}" for o in range(s)]) if draw(st.booleans())
                   else Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    prefs = []
    for _ in range(n):
        scores = tuple(tuple(float(draw(st.integers(0, 3))) for _ in range(s)) for s in sizes)
        terms: tuple[Interaction, ...] = ()
        if draw(st.integers(0, 4)) == 0:
            terms = (Interaction(((0, frozenset({0})), (1, frozenset({1}))), float(draw(st.integers(-2, 2)))),)
        prefs.append(Preferences(scores, terms))
    parties = tuple(Party(f"P{i}", batna=float(draw(st.integers(0, 4)))) for i in range(n))
    shared = draw(st.booleans())
    perm = draw(st.permutations(range(n)))
    case = Case("random", issues, parties, tuple(prefs), shared_scales=shared)
    other = Case("random", issues, tuple(parties[p] for p in perm), tuple(prefs[p] for p in perm),
                 shared_scales=shared)
    return case, other


def _by_name(case: Case, values: np.ndarray) -> dict[str, float]:
    return {p: float(v) for p, v in zip(case.party_names, values, strict=True)}


def _symmetric() -> tuple[Case, Case]:
    # Two mirror-image parties: every frontier point has a twin with the gains swapped, so Nash, KS and max
    # joint each tie between two points; the old rule took the one best for the first-listed party.
    issues = (Issue.categorical("a", ["x", "y"]), Issue.categorical("b", ["p", "q"]))
    a = Preferences(((2.0, 0.0), (0.0, 1.0)))
    b = Preferences(((0.0, 2.0), (1.0, 0.0)))
    one = Case("mirror", issues, (Party("A"), Party("B")), (a, b), shared_scales=True)
    two = Case("mirror", issues, (Party("B"), Party("A")), (b, a), shared_scales=True)
    return one, two


@settings(max_examples=120, deadline=None)
@given(pair=cases_and_orders())
@example(pair=_symmetric())
def test_solution_points_do_not_depend_on_party_order(pair: tuple[Case, Case]) -> None:
    case, other = pair
    one, two = bargaining(case), bargaining(other)
    assert set(one.solutions) == set(two.solutions)
    assert one.zopa_empty == two.zopa_empty and one.zone_frontier_size == two.zone_frontier_size
    assert one.max_joint_value == pytest.approx(two.max_joint_value)
    for name, sol in one.solutions.items():
        alt = two.solutions[name]
        assert sol.package == alt.package, name
        assert _by_name(case, sol.utilities) == _by_name(other, alt.utilities), name
        assert _by_name(case, sol.shares) == pytest.approx(_by_name(other, alt.shares), nan_ok=True), name
        assert (sol.tied_points, sol.tied_packages, sol.in_zone) == (alt.tied_points, alt.tied_packages,
                                                                     alt.in_zone), name


def test_mirror_case_ties_are_counted_and_broken_by_option_order() -> None:
    one, two = _symmetric()
    for b in (bargaining(one), bargaining(two)):
        nash = b.solutions["nash"]
        # (x, p): A 2, B 1 and (y, q): A 1, B 2 tie for Nash; equally balanced, so the first package in option
        # order wins — whichever party is listed first.
        assert nash.package == {"a": "x", "b": "p"} and nash.tied_points == 2 and nash.tied_packages == 2
        # All four packages give 3 joint points; (x, q) = (3, 0) and (y, p) = (0, 3) are the least balanced.
        mj = b.solutions["max_joint"]
        assert mj.package == {"a": "x", "b": "p"} and (mj.tied_points, mj.tied_packages) == (4, 4)


@settings(max_examples=100, deadline=None)
@given(pair=cases_and_orders())
def test_issue_table_and_trades_do_not_depend_on_party_order(pair: tuple[Case, Case]) -> None:
    case, other = pair
    assert compromise_package(case) == compromise_package(other)
    assert middle_package(case) == middle_package(other)
    k1, k2 = classify_issues(case, max_pairs=10_000), classify_issues(other, max_pairs=10_000)
    assert k1.kinds == k2.kinds and k1.logrolling_count == k2.logrolling_count
    for i1, i2 in zip(k1.issues, k2.issues, strict=True):
        assert i1.joint_values == pytest.approx(i2.joint_values, abs=1e-12)
        assert i1.best_options == i2.best_options and i1.stakes == i2.stakes

    def pairs(kinds: object) -> list[tuple[object, ...]]:
        return [(frozenset(p.parties), p.issues, tuple(p.package.items()), p.both_gain,
                 tuple(sorted(p.changes.items()))) for p in kinds.logrolling]  # type: ignore[attr-defined]

    assert pairs(k1) == pairs(k2)
    l1, l2 = logrolls(case, limit=1000), logrolls(other, limit=1000)
    assert (l1.count, l1.pairs, l1.reference) == (l2.count, l2.pairs, l2.reference)
    assert [(t.package, t.gains) for t in l1.trades] == [(t.package, t.gains) for t in l2.trades]
    assert [t.package for t in l1.free_gains] == [t.package for t in l2.free_gains]
    d1, d2 = l1.package_deal, l2.package_deal
    assert (d1 is None) == (d2 is None)
    if d1 is not None and d2 is not None:
        assert d1.package == d2.package and d1.gains == d2.gains
    # Two named parties trading, the others watching: the same trades, the same third-party costs.
    names = sorted(case.party_names)[:2]
    p1, p2 = logrolls(case, between=names, limit=1000), logrolls(other, between=names, limit=1000)
    assert [(t.package, t.gains, t.hurts) for t in p1.trades] == [(t.package, t.gains, t.hurts) for t in p2.trades]
    pot1, pot2 = win_win_potential(case), win_win_potential(other)
    assert [s.present for s in pot1.signs] == [s.present for s in pot2.signs]
    assert pot1.even_split_package == pot2.even_split_package and pot1.middle_package == pot2.middle_package


@settings(max_examples=40, deadline=None)
@given(pair=cases_and_orders())
def test_mesos_do_not_depend_on_party_order(pair: tuple[Case, Case]) -> None:
    from accord.tactics.meso import meso_set

    case, other = pair
    proposer, counterpart = sorted(case.party_names)[:2]
    try:
        m1 = meso_set(case, proposer, counterpart=counterpart, count=2)
    except Exception as err:  # a case where no MESO can be built must fail the same way in both orders
        with pytest.raises(type(err)):
            meso_set(other, proposer, counterpart=counterpart, count=2)
        return
    m2 = meso_set(other, proposer, counterpart=counterpart, count=2)
    assert m1.to_dict()["offers"] == m2.to_dict()["offers"]


def _unordered(x: object) -> object:
    """A JSON value up to the order of the parties: lists of party names become sets, and sentences the multiset
    of their words and numbers ("P0 +1, P1 +0" and "P1 +0, P0 +1" say the same)."""
    if isinstance(x, dict):
        return {k: _unordered(v) for k, v in x.items()}
    if isinstance(x, list):
        items = [_unordered(v) for v in x]
        if x and all(isinstance(v, str) and re.fullmatch(r"P\d", v) for v in x):
            return frozenset(x)
        return items
    if isinstance(x, str):
        return frozenset(Counter(re.findall(r"[+-]?\d+(?:\.\d+)?%?|\w+", x)).items())
    return x


@settings(max_examples=15, deadline=None)
@given(pair=cases_and_orders())
def test_plans_do_not_depend_on_party_order(pair: tuple[Case, Case]) -> None:
    from accord.tactics.plan import build_plan

    case, other = pair
    party, counterpart = sorted(case.party_names)[:2]
    try:
        p1 = build_plan(case, party, counterpart=counterpart)
    except Exception as err:  # a case no plan can be built for must fail the same way in both orders
        with pytest.raises(type(err)):
            build_plan(other, party, counterpart=counterpart)
        return
    p2 = build_plan(other, party, counterpart=counterpart)
    d1, d2 = _unordered(p1.to_dict()), _unordered(p2.to_dict())
    assert d1 == d2


@settings(max_examples=60, deadline=None)
@given(pair=cases_and_orders(), data=st.data())
def test_best_improvement_does_not_depend_on_party_order(pair: tuple[Case, Case], data: st.DataObject) -> None:
    """The value left on the table: the same improving package whatever the order of the parties (ties go to
    the most balanced improvement, then the first package in option order)."""
    from accord.analysis.optimize import best_improvement

    case, other = pair
    agreement = tuple(data.draw(st.integers(0, s - 1)) for s in case.sizes)
    one, two = best_improvement(case, agreement), best_improvement(other, agreement)
    assert (one is None) == (two is None)
    if one is not None and two is not None:
        assert one.package == two.package
        assert _by_name(case, one.gains) == _by_name(other, two.gains)


def test_best_improvement_mirror_tie() -> None:
    from accord.analysis.optimize import best_improvement

    # The agreement (z, p) gives A −1, B 0. Four packages improve on it, all by 4 joint points: (x, p) gains
    # (3, 1), (y, p) (1, 3), (x, q) (4, 0) and (y, q) (2, 2). The most balanced, (y, q), wins in either order
    # (the old rule took the one best for the first-listed party).
    issues = (Issue.categorical("a", ["x", "y", "z"]), Issue.categorical("b", ["p", "q"]))
    a = Preferences(((2.0, 0.0, -1.0), (0.0, 1.0)))
    b = Preferences(((0.0, 2.0, -1.0), (1.0, 0.0)))
    one = Case("mirror", issues, (Party("A"), Party("B")), (a, b), shared_scales=True)
    two = Case("mirror", issues, (Party("B"), Party("A")), (b, a), shared_scales=True)
    for c in (one, two):
        found = best_improvement(c, "a=z,b=p")
        assert found is not None and found.to_dict()["package"] == {"a": "y", "b": "q"}
        assert found.joint_gain == 4.0


def _evaluation_by_name(case: Case, agreement: tuple[int, ...]) -> dict[str, object]:
    """What :func:`evaluate` says about ``agreement``, with every per-party value keyed by party name."""
    from accord.analysis.pyramid import evaluate

    ev = evaluate(case, agreement)
    return {
        "level": ev.level,
        "pareto": ev.pareto_optimal,
        "improvements": [(imp.package, imp.utilities, round(imp.joint_gain, 9)) for imp in ev.improvements],
        "count": ev.improvement_count,
        "value_left": {p: round(v, 9) for p, v in ev.value_left.items()},
        "value_left_points": ev.value_left_points,
        "value_left_package": ev.value_left_package,
        "joint": round(ev.value_left_joint, 9),
    }


@settings(max_examples=60, deadline=None)
@given(pair=cases_and_orders(), data=st.data())
def test_pyramid_evaluation_does_not_depend_on_party_order(pair: tuple[Case, Case], data: st.DataObject) -> None:
    """Level, improvements (in their listed order) and the value left on the table: the same whatever the order
    of the parties (joint-gain ties go to the most balanced improvement, then the first package in option
    order — never frontier order, which follows the first-listed party)."""
    case, other = pair
    agreement = tuple(data.draw(st.integers(0, s - 1)) for s in case.sizes)
    assert _evaluation_by_name(case, agreement) == _evaluation_by_name(other, agreement)


def test_pyramid_value_left_mirror_ties() -> None:
    from accord.analysis.optimize import best_improvement
    from accord.analysis.pyramid import assess, evaluate, reference_for

    # From z (0, 0), x gains (2, 0) and y gains (0, 2): equal joint gains, equally balanced (sorted gains
    # (0, 2) both), so option order decides: x, in either order of the parties. The old rule took the first
    # frontier point, the one best for the first-listed party (y when B is listed first).
    issues = (Issue.categorical("a", ["x", "y", "z"]), Issue.categorical("b", ["p", "q"]))
    a = Preferences(((2.0, 0.0, 0.0), (0.0, 0.0)))
    b = Preferences(((0.0, 2.0, 0.0), (0.0, 0.0)))
    one = Case("mirror", issues, (Party("A"), Party("B")), (a, b), shared_scales=True)
    two = Case("mirror", issues, (Party("B"), Party("A")), (b, a), shared_scales=True)
    for c in (one, two):
        ev = evaluate(c, "a=z,b=q")
        assert ev.value_left_package == {"a": "x", "b": "p"}
        assert ev.value_left == {"A": 2.0, "B": 0.0}
        assert [i.package for i in ev.improvements] == [{"a": "x", "b": "p"}, {"a": "x", "b": "q"},
                                                        {"a": "y", "b": "p"}, {"a": "y", "b": "q"}]
        found = best_improvement(c, "a=z,b=q")
        assert found is not None and found.to_dict()["package"] == ev.value_left_package
        # the vectorised engine (general and two-party staircase paths) makes the same choice
        ref = reference_for(c)
        u = c.utilities([(2, 1)])
        small = assess(ref, u).best
        big = assess(ref, np.repeat(u, 70_000, axis=0)).best
        expect = [2.0, 0.0] if c is one else [0.0, 2.0]  # A's 2 points, in the case's column order
        assert ref.frontier.utilities[small[0]].tolist() == expect
        assert set(big.tolist()) == {int(small[0])}
