"""Pre- and post-settlement settlements against brute force over every package."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import RequestError
from accord.model import Case, Interaction, Issue, Party, Preferences
from accord.tactics.settlement import improve, presettle
from oracles import all_packages, undominated


@st.composite
def small_cases(draw: st.DrawFn) -> Case:
    n_parties = draw(st.integers(2, 3))
    n_issues = draw(st.integers(2, 4))
    sizes = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    prefs = []
    for _ in range(n_parties):
        scores = tuple(tuple(float(draw(st.integers(0, 9))) for _ in range(s)) for s in sizes)
        terms: tuple[Interaction, ...] = ()
        if draw(st.booleans()) and draw(st.booleans()):
            terms = (Interaction(((0, frozenset({1})), (1, frozenset({0}))), float(draw(st.integers(-5, 5)))),)
        prefs.append(Preferences(scores, terms))
    parties = tuple(Party(f"P{i}", batna=float(draw(st.integers(0, 12)))) for i in range(n_parties))
    return Case("random", issues, parties, tuple(prefs), shared_scales=draw(st.booleans()))


def as_set(u: np.ndarray) -> set[tuple[float, ...]]:
    return {tuple(round(float(x), 9) for x in row) for row in u}


def joint(case: Case, u: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    if case.shared_scales:
        return u.sum(axis=1)
    span = ideal - case.batnas
    return np.where(span > 0, (u - case.batnas) / np.where(span > 0, span, 1), 0).sum(axis=1)


@given(small_cases(), st.data())
@settings(max_examples=60)
def test_presettle_matches_brute_force(case: Case, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, case.n_issues - 1))
    o = data.draw(st.integers(0, case.sizes[k] - 1))
    fix = {case.issues[k].name: case.issues[k].options[o]}
    result = presettle(case, fix)
    pkgs = all_packages(case)
    u = case.utilities(pkgs)
    keep = pkgs[:, k] == o
    ur = u[keep]
    assert as_set(result.restricted.utilities) == as_set(ur[undominated(ur)])
    assert as_set(result.full.utilities) == as_set(u[undominated(u)])
    ideal = u.max(axis=0)
    lost = joint(case, u, ideal).max() - joint(case, ur, ideal).max()
    assert result.joint_value_lost == pytest.approx(lost, abs=1e-9)
    fixed = result.outlook_fixed
    assert fixed.best.tolist() == pytest.approx(ur.max(axis=0).tolist())
    assert fixed.worst.tolist() == pytest.approx(ur.min(axis=0).tolist())
    front = ur[undominated(ur)]
    rational = front[np.all(front >= case.batnas, axis=1)]
    assert fixed.zone_empty == (len(rational) == 0) == (not np.any(np.all(ur >= case.batnas, axis=1)))
    if len(rational):
        assert fixed.best_in_zone is not None and fixed.worst_in_zone is not None
        assert fixed.best_in_zone.tolist() == pytest.approx(rational.max(axis=0).tolist())
        assert fixed.worst_in_zone.tolist() == pytest.approx(rational.min(axis=0).tolist())
        nash = np.prod(rational - case.batnas, axis=1).max()
        assert fixed.nash is not None
        got = np.array([fixed.nash["utilities"][p] for p in case.party_names])
        assert np.prod(got - case.batnas) == pytest.approx(nash)
    else:
        assert fixed.best_in_zone is None and fixed.nash is None
    kept = as_set(u[undominated(u)]) & as_set(front)
    assert result.points_kept == len(kept)
    d = result.to_dict()
    assert d["joint_value_lost"] == result.joint_value_lost and isinstance(d["frontier"], list)


@given(small_cases(), st.data())
@settings(max_examples=60)
def test_improve_matches_brute_force(case: Case, data: st.DataObject) -> None:
    pkgs = all_packages(case)
    agreement = tuple(int(x) for x in pkgs[data.draw(st.integers(0, len(pkgs) - 1))])
    result = improve(case, agreement, cap=1000)
    u = case.utilities(pkgs)
    a = case.utilities([agreement])[0]
    better = np.all(u >= a, axis=1) & np.any(u > a, axis=1)
    assert result.pareto_optimal == (not better.any())
    ub = u[better]
    und = ub[undominated(ub)] if len(ub) else ub
    assert as_set(np.array([[imp.utilities[p] for p in case.party_names] for imp in result.improvements])
                  if result.improvements else np.zeros((0, case.n_parties))) == as_set(und)
    assert result.improvement_count == len(as_set(und))
    assert result.improvement_packages == sum(int(np.all(np.isclose(u, row), axis=1).sum()) for row in
                                              {tuple(r) for r in und})
    if result.pareto_optimal:
        assert result.proposal is None and result.improvements == ()
        assert "already Pareto-optimal" in result.message
        return
    assert result.proposal is not None
    products = np.prod(und - a, axis=1)
    assert result.proposal.nash_product == pytest.approx(products.max())
    got = case.utilities([result.proposal.package_index])[0]
    assert np.all(got >= a) and np.any(got > a)
    assert [result.proposal.gains[p] for p in case.party_names] == pytest.approx((got - a).tolist())
    ranked = [i.nash_product for i in result.improvements]
    assert ranked == sorted(ranked, reverse=True)
    # strict improvements (every party gains) come first, and the proposal is one whenever one exists
    strict = np.all(und > a + 1e-9, axis=1)
    assert result.strict_count == len(as_set(und[strict])) if strict.any() else result.strict_count == 0
    assert result.proposal.strict == bool(strict.any())
    flags = [i.strict for i in result.improvements]
    assert flags == sorted(flags, reverse=True)
    for imp in result.improvements:
        assert set(imp.no_gain) == {p for p in case.party_names if imp.gains[p] <= 1e-9}
    if not strict.any():
        assert "none is better for every party" in result.message and "gain" in result.message
        assert all(p in result.message for p in result.proposal.no_gain)


def test_improve_example_and_private_views() -> None:
    case = Case.from_tables(
        "lease", {"rent": ["1400", "1500"], "pets": ["no", "cat"], "lease": ["1y", "3y"]},
        {"tenant": {"rent": [300, 0], "pets": [0, 500], "lease": [0, 100]},
         "landlord": {"rent": [0, 300], "pets": [100, 0], "lease": [0, 500]}},
        batnas={"tenant": 0, "landlord": 0}, shared_scales=True)
    r = improve(case, "rent=1400,pets=no,lease=1y", cap=1)
    assert not r.pareto_optimal and len(r.improvements) == 1 and r.improvement_count >= 1
    assert r.proposal is not None
    # Nash relative to the agreement (300, 100): (+600)(+400) beats (+300)(+700) and (+100)(+500)
    assert r.proposal.package == {"rent": "1400", "pets": "cat", "lease": "3y"}
    view = r.view_for("tenant")
    text = repr(view)
    assert "landlord" not in text and "500" not in text and view["proposal"]["your_gain"] == 600.0
    assert r.to_dict()["proposal"]["utilities"] == {"tenant": 900.0, "landlord": 500.0}
    assert improve(case, "rent=1500,pets=cat,lease=3y").pareto_optimal


def test_presettle_lost_value() -> None:
    case = Case.from_tables(
        "t", {"a": ["x", "y"], "b": ["p", "q"]},
        {"A": {"a": [0, 4], "b": [0, 1]}, "B": {"a": [1, 0], "b": [0, 3]}}, shared_scales=True)
    assert presettle(case, "b=q").joint_value_lost == 0.0
    assert presettle(case, "b=q").keeps_max_joint_value
    p = presettle(case, {"b": "p"})
    assert p.joint_value_lost == 4.0 and not p.keeps_max_joint_value
    assert p.fixed == {"b": "p"}


def test_bad_requests() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
                            {"A": {"a": [0, 1], "b": [0, 1]}, "B": {"a": [1, 0], "b": [1, 0]}})
    with pytest.raises(RequestError, match="issue 'a' has no option 'z'") as err:
        presettle(case, "a=z")
    assert "\n" not in str(err.value)
    with pytest.raises(RequestError, match="unknown issue 'c'"):
        presettle(case, "c=1")
    with pytest.raises(RequestError, match="not issue=option"):
        presettle(case, "a")
    with pytest.raises(RequestError, match="gives no option for b"):
        improve(case, "a=x")
    with pytest.raises(RequestError, match="cap must be at least 1"):
        improve(case, "a=x,b=p", cap=0)
    r = improve(case, "a=x,b=p")
    with pytest.raises(RequestError, match="unknown party 'C'"):
        r.view_for("C")


def test_improvements_smaller_than_a_float_tolerance_are_found() -> None:
    """Integer points of 10**10: b = (10**10, 10**10 + 3) improves on a = (10**10, 10**10) by 3 points, far
    below 1e-9 of the scale but exact on the integer grid (``preferred_to`` compares there)."""
    big = 10**10
    case = Case.from_tables("t", {"a": ["x", "y", "z"]},
                            {"A": {"a": [big, big, big - 1]}, "B": {"a": [big, big + 3, big + 5]}})
    r = improve(case, "a=x")
    assert not r.pareto_optimal and r.improvement_count == 1
    assert r.proposal is not None and r.proposal.package == {"a": "y"} and r.proposal.gains == {"A": 0.0, "B": 3.0}
    assert improve(case, "a=y").pareto_optimal


def test_an_agreement_on_a_decimal_grid_is_never_its_own_improvement() -> None:
    """0.1 + 0.2 and 0.3 are one point (docs/concepts.md#frontier-and-ties), whatever the floats say: no improvement
    either way."""
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
                            {"A": {"a": [0.1, 0.3], "b": [0.2, 0.0]}, "B": {"a": [0.7, 0.5], "b": [0.0, 0.2]}})
    assert 0.1 + 0.2 != 0.3  # the floats differ; the grid does not
    assert improve(case, "a=x,b=p").pareto_optimal
    assert improve(case, "a=y,b=q").pareto_optimal


def test_only_weak_improvements_are_said_plainly() -> None:
    # from (cat, 1y) the landlord can gain (3y) only at no gain to the tenant, who is indifferent to the lease
    case = Case.from_tables(
        "lease", {"pets": ["no", "cat"], "lease": ["1y", "3y"]},
        {"tenant": {"pets": [0, 500], "lease": [0, 0]}, "landlord": {"pets": [100, 0], "lease": [0, 500]}},
        batnas={"tenant": 0, "landlord": 0}, shared_scales=True)
    r = improve(case, "pets=cat,lease=1y")
    assert r.strict_count == 0 and r.proposal is not None and r.proposal.no_gain == ("tenant",)
    assert r.message == ("1 undominated improvement(s) exist, but none is better for every party: the best one "
                         "leaves tenant exactly where the agreement does — it gains nothing, and would agree only "
                         "to help the others")
    view = r.view_for("tenant")
    assert view["proposal"]["you_gain_nothing"] and not view["proposal"]["every_party_gains"]
    strict = improve(case, "pets=no,lease=1y")
    assert strict.proposal is not None and strict.proposal.strict and "every party gains" in strict.message
