"""Logrolls against a brute-force oracle: every reported trade raises every trading party, and none is missed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.bargaining import compromise_package
from accord.analysis.optimize import best_utilities
from accord.errors import RequestError
from accord.model import Case, Estimate, Interaction, Issue, Party, Preferences
from accord.tactics.logroll import logrolls
from oracles import all_packages


@st.composite
def small_cases(draw: st.DrawFn, max_parties: int = 3) -> Case:
    n_parties = draw(st.integers(2, max_parties))
    n_issues = draw(st.integers(2, 4))
    sizes = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    prefs = []
    for _ in range(n_parties):
        scores = tuple(tuple(float(draw(st.integers(0, 9))) for _ in range(s)) for s in sizes)
        terms: tuple[Interaction, ...] = ()
        if draw(st.booleans()) and draw(st.booleans()):
            terms = (Interaction(((0, frozenset({0})), (1, frozenset({1}))), float(draw(st.integers(-5, 5)))),)
        prefs.append(Preferences(scores, terms))
    parties = tuple(Party(f"P{i}", batna=float(draw(st.integers(0, 6)))) for i in range(n_parties))
    return Case("random", issues, parties, tuple(prefs), shared_scales=draw(st.booleans()))


def oracle(case: Case, ref: tuple[int, ...], between: list[int], strict: bool) -> set[tuple[int, ...]]:
    """Every two-issue trade from ``ref`` meeting the documented rule, by direct evaluation."""
    u_ref = case.utilities([ref])[0]
    tol = 1e-9 * max(1.0, float(np.abs(u_ref).max()))

    def gains(pkg: tuple[int, ...]) -> np.ndarray:
        return (case.utilities([pkg])[0] - u_ref)[between]

    def hurts(pkg: tuple[int, ...]) -> bool:
        return bool(np.any(gains(pkg) < -tol))

    found = set()
    m = case.n_issues
    for k in range(m):
        for q in range(k + 1, m):
            for o in range(case.sizes[k]):
                for p in range(case.sizes[q]):
                    if o == ref[k] or p == ref[q]:
                        continue
                    pkg = list(ref)
                    pkg[k], pkg[q] = o, p
                    g = gains(tuple(pkg))
                    ok = bool(np.all(g > tol)) if strict else bool(np.all(g >= -tol) and np.any(g > tol))
                    half_k = list(ref)
                    half_k[k] = o
                    half_q = list(ref)
                    half_q[q] = p
                    if ok and hurts(tuple(half_k)) and hurts(tuple(half_q)):
                        found.add(tuple(pkg))
    return found


@given(small_cases(), st.booleans())
@settings(max_examples=60)
def test_logrolls_match_brute_force(case: Case, strict: bool) -> None:
    result = logrolls(case, limit=10_000, all_options=True, strict=strict)
    ref = compromise_package(case)
    assert result.reference_index == ref
    expected = oracle(case, ref, list(range(case.n_parties)), strict)
    assert {t.package_index for t in result.trades} == expected
    assert result.count == len(expected)
    u_ref = case.utilities([ref])[0]
    span = best_utilities(case) - case.batnas
    for t in result.trades:
        gain = case.utilities([t.package_index])[0] - u_ref
        # every reported logroll raises every party's points (strictly unless asked otherwise)
        assert np.all(gain > 0) if strict else (np.all(gain >= 0) and np.any(gain > 0))
        assert [t.gains[p] for p in case.party_names] == pytest.approx(gain.tolist())
        weight = np.ones_like(span) if case.shared_scales else np.where(span > 0, 1 / np.where(span > 0, span, 1), 0)
        assert t.joint_gain == pytest.approx(float((gain * weight).sum()))
        assert len(t.changes) == 2
    joints = [t.joint_gain for t in result.trades]
    assert joints == sorted(joints, reverse=True)


@given(small_cases(max_parties=2))
@settings(max_examples=40)
def test_best_per_pair_and_package_deal(case: Case) -> None:
    every = logrolls(case, limit=10_000, all_options=True)
    best = logrolls(case, limit=10_000)
    pairs = {tuple(c.issue for c in t.changes) for t in every.trades}
    assert len(best.trades) == len(pairs) == best.pairs
    for t in best.trades:
        same = [x.joint_gain for x in every.trades if [c.issue for c in x.changes] == [c.issue for c in t.changes]]
        assert t.joint_gain == pytest.approx(max(same))
    # the package deal is the best of all packages that raise both parties (any number of issues)
    ref = best.reference_index
    u = case.utilities(all_packages(case)) - case.utilities([ref])[0]
    span = best_utilities(case) - case.batnas
    weight = np.ones_like(span) if case.shared_scales else np.where(span > 0, 1 / np.where(span > 0, span, 1), 0)
    ok = np.all(u > 1e-9, axis=1)
    if not ok.any():
        assert best.package_deal is None
    else:
        assert best.package_deal is not None
        assert best.package_deal.joint_gain == pytest.approx(float((u[ok] * weight).sum(axis=1).max()))
        assert best.package_deal.joint_gain >= max((t.joint_gain for t in best.trades), default=0) - 1e-9


def job() -> Case:
    return Case.from_tables(
        "job", {"salary": ["90k", "95k", "100k"], "start": ["June", "July", "Aug"], "car": ["no", "yes"]},
        {"cand": {"salary": [0, 500, 1000], "start": [0, 100, 200], "car": [0, 300]},
         "firm": {"salary": [200, 100, 0], "start": [1000, 500, 0], "car": [0, 300]}},
        shared_scales=True)


def test_trade_text_and_free_gains() -> None:
    case = job()
    result = logrolls(case)
    assert result.reference == {"salary": "95k", "start": "July", "car": "yes"}
    assert result.trades[0].description == "cand gives start July → June, gets salary 95k → 100k: cand +400, firm +400"
    assert result.scale == "points"
    # from a reference without the car both want, the car is a free gain, not a logroll
    result = logrolls(case, reference="car=no")
    assert [t.package["car"] for t in result.free_gains] == ["yes"]
    assert all(t.package["car"] == "no" for t in result.trades)
    assert result.to_dict()["trades"][0]["gains"] == {"cand": 400.0, "firm": 400.0}


def test_estimate_view_reports_true_gains() -> None:
    case = job()
    # the candidate wrongly thinks the firm would rather not give her a car (fixed-pie perception)
    believed = Preferences(((200.0, 100.0, 0.0), (1000.0, 500.0, 0.0), (300.0, 0.0)))
    case = Case(case.name, case.issues, case.parties, case.preferences, shared_scales=True,
                estimates=(Estimate("cand", "firm", believed),))
    result = logrolls(case, use_estimate_of="cand", limit=100, all_options=True)
    assert result.view == "as cand believes"
    view = case.replace_preferences("firm", believed)
    ref = result.reference_index
    assert ref == compromise_package(view)
    for t in result.trades:
        assert t.true_gains is not None
        believed_gain = view.utilities([t.package_index])[0] - view.utilities([ref])[0]
        true_gain = case.utilities([t.package_index])[0] - case.utilities([ref])[0]
        assert [t.gains["cand"], t.gains["firm"]] == pytest.approx(believed_gain.tolist())
        assert [t.true_gains["cand"], t.true_gains["firm"]] == pytest.approx(true_gain.tolist())
    assert result.reference["car"] == "no"
    # she believes she must pay for the car with an earlier start; in truth the firm wants the car too
    trade = next(t for t in result.trades if {c.issue for c in t.changes} == {"start", "car"})
    assert trade.gains == {"cand": 200.0, "firm": 200.0}
    assert trade.true_gains == {"cand": 200.0, "firm": 800.0}
    assert trade.to_dict()["truly_mutual"] is True
    assert result.free_gains == ()
    truth = logrolls(case, reference=ref)
    assert [t.package["car"] for t in truth.free_gains] == ["yes"]


def test_three_parties_between_two() -> None:
    case = Case.from_tables(
        "three", {"a": ["x", "y"], "b": ["p", "q"]},
        {"A": {"a": [0, 5], "b": [2, 0]}, "B": {"a": [3, 0], "b": [0, 6]}, "C": {"a": [4, 0], "b": [4, 0]}})
    assert logrolls(case).trades == ()  # C loses from any trade of A and B
    pair = logrolls(case, between=["A", "B"])
    assert pair.reference == {"a": "x", "b": "p"}
    assert [t.package for t in pair.trades] == [{"a": "y", "b": "q"}]
    assert pair.trades[0].gains == {"A": 3.0, "B": 3.0, "C": -8.0}
    for t in pair.trades:
        assert t.gains["A"] > 0 and t.gains["B"] > 0 and "C" in t.gains
    # The third party's loss is never silent: named in the trade and in its one-line description.
    assert pair.trades[0].hurts == ("C",) and "costs C 8 points" in pair.trades[0].description
    assert pair.trades[0].to_dict()["hurts"] == ["C"]
    # Between all three: nothing, and the result says so and where to look instead.
    everyone = logrolls(case)
    assert "no two-issue trade leaves A, B and C strictly better off" in everyone.message


@settings(max_examples=80, deadline=None)
@given(case=small_cases(max_parties=3))
def test_analyze_and_logroll_list_the_same_trades_and_every_one_pays_every_party(case: Case) -> None:
    """One source: ``analyze`` shows exactly ``accord logroll``'s trades; a trade never leaves a party without a
    strict gain, never is a no-op, never has a negative joint gain; logrolling pairs carry those trades."""
    from accord.analysis.report import analyze
    from accord.report.view import trades_table

    a = analyze(case)
    lr = logrolls(case)
    assert [t.to_dict() for t in a.trades.trades] == [t.to_dict() for t in lr.trades]
    assert (a.trades.count, a.trades.pairs) == (lr.count, lr.pairs)
    ref = case.package(lr.reference)
    u_ref = case.utilities([ref])[0]
    tol = 1e-9 * max(1.0, float(np.abs(u_ref).max()))
    for t in lr.trades:
        assert len(t.changes) == 2 and all(c.before != c.after for c in t.changes)
        gain = case.utilities([t.package_index])[0] - u_ref
        assert np.all(gain > tol) and t.joint_gain > 0
    table = trades_table(a, limit=1000)
    assert len(table.rows) == len(lr.trades)
    if not lr.trades:
        assert lr.message and "no two-issue trade" in lr.message and "No trade" in table.caption
    by_pair = {(frozenset(c.issue for c in t.changes)): t for t in
               logrolls(case, limit=1000, package_deal=False).trades} if case.n_parties == 2 else {}
    for pair in a.issues.logrolling:
        i, j = pair.parties
        if pair.both_gain:
            assert pair.changes[i] > 0 and pair.changes[j] > 0 and pair.joint_gain > 0
            if by_pair:
                assert by_pair[frozenset(pair.issues)].package == pair.package
        else:
            assert pair.joint_gain == 0 and all(v == 0 for v in pair.changes.values())
            if by_pair:
                assert frozenset(pair.issues) not in by_pair
    # The advice recommends only these trades.
    for line in a.advice:
        if line.startswith("Trade "):
            assert any(t.description in line for t in lr.trades)


def test_non_additive_trades_use_whole_packages() -> None:
    issues = (Issue.categorical("a", ["x", "y"]), Issue.categorical("b", ["p", "q"]))
    bonus = Interaction(((0, frozenset({1})), (1, frozenset({1}))), -10.0)
    case = Case("t", issues, (Party("A"), Party("B")),
                (Preferences(((0.0, 3.0), (2.0, 0.0)), (bonus,)), Preferences(((2.0, 0.0), (0.0, 3.0)))),
                shared_scales=True)
    # additively (x,p) → (y,q) would give A +1, B +1; the interaction makes A lose, so there is no logroll
    result = logrolls(case, reference="a=x,b=p")
    assert result.trades == ()


def test_bad_requests() -> None:
    case = job()
    with pytest.raises(RequestError, match="limit must be at least 1"):
        logrolls(case, limit=0)
    with pytest.raises(RequestError, match="unknown party 'zed'"):
        logrolls(case, between=["cand", "zed"])
    with pytest.raises(RequestError, match="two different trading parties"):
        logrolls(case, between=["cand", "cand"])
    with pytest.raises(RequestError, match="no estimate by 'cand'"):
        logrolls(case, use_estimate_of="cand")
    with pytest.raises(RequestError, match="no option 'Dec'") as err:
        logrolls(case, reference="start=Dec")
    assert "\n" not in str(err.value)
