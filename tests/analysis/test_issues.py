"""Issue kinds and logrolling pairs agree with docs/concepts.md#kinds-of-issue, computed directly (exact fractions) in
the test."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.issues import (
    classify_issues,
    fmt,
    importance_shares,
    pair_kinds,
    pct,
    rank_correlations,
    stakes,
)
from accord.errors import AccordError, RequestError
from accord.model import Case, Interaction, Issue, Party, Preferences
from oracles import all_packages

TAUS = {0.0: Fraction(0), 0.1: Fraction(1, 10), 0.25: Fraction(1, 4), 0.5: Fraction(1, 2)}


# ---------------------------------------------------------------------------------------------------------
# random small cases and the oracle
# ---------------------------------------------------------------------------------------------------------
@st.composite
def small_cases(draw: st.DrawFn, parties: tuple[int, int] = (2, 3), max_issues: int = 4) -> Case:
    n = draw(st.integers(*parties))
    m = draw(st.integers(1, max_issues))
    sizes = [draw(st.integers(1, 4)) for _ in range(m)]
    names = ["A", "B", "C"][:n]
    issues = {f"i{k}": [f"o{o}" for o in range(sizes[k])] for k in range(m)}
    points = {p: {f"i{k}": [draw(st.integers(0, 6)) for _ in range(sizes[k])] for k in range(m)} for p in names}
    batnas = {p: draw(st.integers(0, 10)) for p in names}
    return Case.from_tables("random", issues, points, batnas=batnas, shared_scales=draw(st.booleans()))


def table(case: Case, party: int, k: int) -> list[Fraction]:
    return [Fraction(int(x)) for x in case.scores[k][party]]


def oracle_stake(case: Case, i: int, k: int) -> Fraction:
    s = table(case, i, k)
    return max(s) - min(s)


def oracle_share(case: Case, i: int, k: int) -> Fraction:
    total = sum(oracle_stake(case, i, q) for q in range(case.n_issues))
    return oracle_stake(case, i, k) / total if total else Fraction(0)


def oracle_best(case: Case, i: int, k: int) -> set[int]:
    s = table(case, i, k)
    return {o for o, x in enumerate(s) if x == max(s)}


def oracle_e(case: Case, i: int, k: int) -> list[Fraction]:
    s = table(case, i, k)
    r = max(s) - min(s)
    return [(x - min(s)) / r if r else Fraction(1) for x in s]


def oracle_opposed(case: Case, i: int, j: int, k: int) -> bool:
    return not (oracle_best(case, i, k) & oracle_best(case, j, k))


def oracle_kind(case: Case, i: int, j: int, k: int, tau: Fraction) -> str:
    """docs/concepts.md#kinds-of-issue, written out literally."""
    if not oracle_opposed(case, i, j, k):
        return "compatible"
    ri, rj = oracle_stake(case, i, k), oracle_stake(case, j, k)
    si, sj = table(case, i, k), table(case, j, k)
    if case.shared_scales:
        equal = abs(ri - rj) <= tau * max(ri, rj)
        sums = [a + b for a, b in zip(si, sj, strict=True)]
        complementary = max(sums) - min(sums) <= tau * max(ri, rj)
    else:
        pi, pj = oracle_share(case, i, k), oracle_share(case, j, k)
        equal = abs(pi - pj) <= tau * max(pi, pj)
        sums = [a + b for a, b in zip(oracle_e(case, i, k), oracle_e(case, j, k), strict=True)]
        complementary = max(sums) - min(sums) <= tau
    single = sum(oracle_opposed(case, i, j, q) for q in range(case.n_issues)) == 1
    if single:
        return "distributive" if complementary else "integrative"
    return "distributive" if equal and complementary else "integrative"


def oracle_compromise(case: Case) -> tuple[int, ...]:
    """docs/concepts.md#the-pyramid: per issue the option maximising min_i e_ik; ties: larger Σ e, then the earlier
    option."""
    out = []
    for k in range(case.n_issues):
        es = [oracle_e(case, i, k) for i in range(case.n_parties)]
        key = [(min(e[o] for e in es), sum(e[o] for e in es), -o) for o in range(case.sizes[k])]
        out.append(max(range(case.sizes[k]), key=lambda o: key[o]))
    return tuple(out)


# ---------------------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------------------
@settings(max_examples=150)
@given(case=small_cases(), tau=st.sampled_from(sorted(TAUS)))
def test_kinds_agree_with_the_definitions(case: Case, tau: float) -> None:
    kinds = classify_issues(case, tau=tau)
    assert kinds.tau == tau
    for k, issue in enumerate(kinds):
        labels = []
        for pk in issue.pairs:
            i, j = case.party_index(pk.parties[0]), case.party_index(pk.parties[1])
            expected = oracle_kind(case, i, j, k, TAUS[tau])
            assert pk.kind == expected, (issue.name, pk.parties, pk.reason)
            labels.append(expected)
            # The evidence is the numbers the definition uses.
            assert pk.stakes == (oracle_stake(case, i, k), oracle_stake(case, j, k))
            assert pk.shares == pytest.approx((float(oracle_share(case, i, k)), float(oracle_share(case, j, k))))
            assert set(pk.common_best) == {case.issues[k].options[o]
                                           for o in oracle_best(case, i, k) & oracle_best(case, j, k)}
            assert pk.basis == ("raw stakes" if case.shared_scales else "importance shares")
        assert len(issue.pairs) == len(list(combinations(range(case.n_parties), 2)))
        assert issue.kind == (labels[0] if len(set(labels)) == 1 else "mixed")
        for i, p in enumerate(case.party_names):
            assert issue.stakes[p] == oracle_stake(case, i, k)
            assert issue.best_options[p] == tuple(case.issues[k].options[o] for o in sorted(oracle_best(case, i, k)))
        if case.shared_scales:
            expected_joint = [sum(table(case, i, k)[o] for i in range(case.n_parties)) for o in range(case.sizes[k])]
        else:
            # Separate scales: what the option adds to Σ g_i, g_i = (u_i − b_i) / (u_i^max − b_i) (0 if no span).
            u_max = case.utilities(all_packages(case)).max(axis=0)
            span = [float(u_max[i] - case.batnas[i]) for i in range(case.n_parties)]
            expected_joint = [sum((table(case, i, k)[o] - min(table(case, i, k))) / span[i]
                                  for i in range(case.n_parties) if span[i] > 0) for o in range(case.sizes[k])]
        assert issue.joint_values == pytest.approx([float(x) for x in expected_joint], abs=1e-9)
        assert issue.joint_scale == ("points" if case.shared_scales else "normalised gains")


@settings(max_examples=150)
@given(case=small_cases(), tau=st.sampled_from(sorted(TAUS)))
def test_logrolling_pairs_agree_with_the_definition(case: Case, tau: float) -> None:
    t = TAUS[tau]
    kinds = classify_issues(case, tau=tau, max_pairs=10_000)
    expected = {}
    for i, j in combinations(range(case.n_parties), 2):
        opposed = [k for k in range(case.n_issues) if oracle_opposed(case, i, j, k)]
        for k, q in combinations(opposed, 2):
            ri = oracle_share(case, i, k) / oracle_share(case, i, q)
            rj = oracle_share(case, j, k) / oracle_share(case, j, q)
            if abs(ri - rj) > t * max(ri, rj):
                expected[(i, j, k, q)] = (i, j) if ri > rj else (j, i)
    assert kinds.logrolling_count == len(expected)
    assert len(kinds.logrolling) == len(expected)
    # Oracle trade: from the compromise package, the best move of k and q that leaves both i and j strictly
    # better off, each issue moved alone hurting one of them (a genuine trade); none → no change at all.
    ref = oracle_compromise(case)
    assert kinds.reference == case.labels(ref)
    u_all = case.utilities(all_packages(case))
    span = u_all.max(axis=0) - case.batnas
    weights = np.ones(case.n_parties) if case.shared_scales else np.where(span > 0, 1 / np.where(span > 0, span, 1), 0)
    u_ref = case.utilities([ref])[0]
    tol = 1e-9 * max(1.0, float(np.abs(u_ref).max()))

    def delta(moves: dict[int, int]) -> np.ndarray:
        pkg = list(ref)
        for issue_idx, o in moves.items():
            pkg[issue_idx] = o
        return case.utilities([tuple(pkg)])[0] - u_ref

    seen_without = False
    for pair in kinds.logrolling:
        i, j = case.party_index(pair.parties[0]), case.party_index(pair.parties[1])
        k, q = case.issue_index(pair.issues[0]), case.issue_index(pair.issues[1])
        assert (i, j, k, q) in expected
        best = None
        for o in range(case.sizes[k]):
            for p in range(case.sizes[q]):
                if o == ref[k] or p == ref[q]:
                    continue
                d = delta({k: o, q: p})
                if not (d[i] > tol and d[j] > tol):
                    continue
                if not (min(delta({k: o})[[i, j]]) < -tol and min(delta({q: p})[[i, j]]) < -tol):
                    continue
                key = (round(d[i] * weights[i] + d[j] * weights[j], 9), round(min(d[i] * weights[i],
                                                                                    d[j] * weights[j]), 9), -o, -p)
                if best is None or key > best[0]:
                    best = (key, o, p, d)
        if best is None:
            assert not pair.both_gain and pair.joint_gain == 0.0
            assert all(v == 0.0 for v in pair.changes.values())
            seen_without = True
            continue
        assert not seen_without, "pairs with a trade come first"
        _, o, p, d = best
        pkg = list(ref)
        pkg[k], pkg[q] = o, p
        assert pair.both_gain and pair.joint_gain > 0
        assert pair.package == case.labels(tuple(pkg))
        assert [pair.changes[name] for name in case.party_names] == pytest.approx(d.tolist())
        assert pair.joint_gain == pytest.approx(d[i] * weights[i] + d[j] * weights[j])


@settings(max_examples=60)
@given(case=small_cases(parties=(2, 2)))
def test_why_is_written_from_the_numbers(case: Case) -> None:
    kinds = classify_issues(case)
    for issue in kinds:
        pk = issue.pairs[0]
        assert issue.why == pk.reason
        assert pk.reason.startswith(pk.kind + ":")
        if pk.kind == "compatible":
            continue
        for x in (pk.stakes if case.shared_scales else pk.shares):
            assert (fmt(x) if case.shared_scales else pct(x)) in pk.reason
        assert "wants" in pk.reason


# ---------------------------------------------------------------------------------------------------------
# worked examples
# ---------------------------------------------------------------------------------------------------------
def job_offer() -> Case:
    return Case.from_tables(
        "Job offer",
        {"salary": ["90k", "95k", "100k"], "start": ["June", "July", "August"], "training": ["no", "yes"],
         "parking": ["no", "yes"]},
        {"candidate": {"salary": [0, 1000, 2000], "start": [0, 300, 600], "training": [0, 500], "parking": [0, 0]},
         "employer": {"salary": [2000, 1000, 0], "start": [1600, 800, 0], "training": [0, 300],
                      "parking": [100, 0]}},
        batnas={"candidate": 1200, "employer": 0}, shared_scales=True)


def test_job_offer_labels_and_numbers() -> None:
    kinds = classify_issues(job_offer())
    assert kinds.kinds == {"salary": "distributive", "start": "integrative", "training": "compatible",
                           "parking": "compatible"}
    salary = kinds["salary"].pairs[0]
    assert salary.stakes == (2000.0, 2000.0)
    assert salary.importance_gap == 0 and salary.importance_limit == pytest.approx(200)
    assert salary.spread == 0 and salary.spread_limit == pytest.approx(200)
    assert salary.spearman == pytest.approx(-1.0) and salary.kendall == pytest.approx(-1.0)
    start = kinds["start"].pairs[0]
    assert start.stakes == (600.0, 1600.0)
    assert start.importance_gap == 1000 and start.importance_limit == pytest.approx(160)
    # s_cand + s_emp over June, July, August = 1600, 1100, 600: spread 1000 > τ·max stake = 160.
    assert kinds["start"].joint_values == (1600.0, 1100.0, 600.0)
    assert start.spread == 1000
    assert "employer cares more" in start.reason and "1,000" in start.reason
    # Shares: candidate's total stakes 2000 + 600 + 500 + 0 = 3100.
    assert kinds["start"].shares["candidate"] == pytest.approx(600 / 3100)
    # A party with no stake on parking: compatible, and the why says so.
    parking = kinds["parking"]
    assert parking.stakes == {"candidate": 0.0, "employer": 100.0}
    assert parking.best_options["candidate"] == ("no", "yes")
    assert "indifferent" in parking.why and "candidate" in parking.why
    assert parking.pairs[0].spearman is None
    # The one trade: candidate weighs salary 2000/600 = 3.33× start, employer 2000/1600 = 1.25×.
    assert kinds.logrolling_count == 1
    trade = kinds.logrolling[0]
    assert trade.ratios == pytest.approx((2000 / 600, 2000 / 1600))
    assert trade.gets == {"salary": ("candidate", "100k"), "start": ("employer", "June")}
    assert trade.reference == {"salary": "95k", "start": "July"}
    # Giving each side its preferred option (100k, June) would cost the employer 200 points (candidate +700):
    # not a trade. No other move of salary and start leaves both strictly better off either, so the pair is
    # listed without a trade — never as a "trade" that one side loses by.
    assert not trade.both_gain and trade.joint_gain == 0.0
    assert trade.changes == {"candidate": 0.0, "employer": 0.0}
    assert trade.package == {"salary": "95k", "start": "July", "training": "yes", "parking": "no"}
    assert trade.why.endswith("no trade here")
    json.dumps(kinds.to_dict(), allow_nan=False)


def test_single_opposed_issue_rule() -> None:
    # One opposed issue with different importance shares: nothing to trade against, so only its joint value counts.
    case = Case.from_tables("t", {"price": ["low", "high"], "colour": ["red", "blue"]},
                            {"A": {"price": [0, 10], "colour": [0, 10]}, "B": {"price": [10, 0], "colour": [0, 30]}})
    kinds = classify_issues(case)
    price = kinds["price"].pairs[0]
    assert not price.equal_importance          # 50% vs 25% of the stakes
    assert price.single_opposed and price.kind == "distributive"
    assert "only issue they disagree on" in price.reason
    # Its joint value varies (A: 0, 10; B: 10, 4 → e sums 1, 1.4): integrative.
    case2 = Case.from_tables("t", {"price": ["low", "mid", "high"], "colour": ["red", "blue"]},
                             {"A": {"price": [0, 5, 10], "colour": [0, 10]},
                              "B": {"price": [10, 9, 0], "colour": [0, 30]}})
    p2 = classify_issues(case2)["price"].pairs[0]
    assert p2.single_opposed and p2.kind == "integrative" and p2.spread == pytest.approx(0.4)


def test_three_parties_mixed_issue() -> None:
    case = Case.from_tables("t", {"site": ["north", "south"], "fee": ["low", "high"]},
                            {"A": {"site": [5, 0], "fee": [0, 5]}, "B": {"site": [5, 0], "fee": [5, 0]},
                             "C": {"site": [0, 5], "fee": [5, 0]}}, shared_scales=True)
    kinds = classify_issues(case)
    site = kinds["site"]
    assert site.kind == "mixed"
    assert {pk.parties: pk.kind for pk in site.pairs} == {("A", "B"): "compatible", ("A", "C"): "distributive",
                                                          ("B", "C"): "distributive"}
    assert site.why.startswith("mixed: compatible for A–B")
    assert site.to_dict()["pairs"][0]["parties"] == ["A", "B"]


def test_interaction_terms_are_in_the_joint_gains() -> None:
    issues = (Issue.categorical("a", ["x", "y", "z"]), Issue.categorical("b", ["p", "q", "r"]))
    plain = (Preferences(((0.0, 5.0, 10.0), (0.0, 1.0, 2.0))), Preferences(((2.0, 1.0, 0.0), (10.0, 5.0, 0.0))))
    bonus = Interaction(((0, frozenset({2})), (1, frozenset({0}))), 5.0)  # A: +5 when a=z and b=p
    with_bonus = (Preferences(plain[0].scores, (bonus,)), plain[1])
    parties = (Party("A"), Party("B"))
    base = classify_issues(Case("t", issues, parties, plain, shared_scales=True))
    extra = classify_issues(Case("t", issues, parties, with_bonus, shared_scales=True))
    assert base.kinds == extra.kinds
    # From the compromise (y, q): A gets z, B gets p — A +5 − 1, B +5 − 1 — and the bonus adds 5 for A.
    assert base.logrolling[0].package == extra.logrolling[0].package == {"a": "z", "b": "p"}
    assert base.logrolling[0].changes == {"A": 4.0, "B": 4.0}
    assert extra.logrolling[0].joint_gain == base.logrolling[0].joint_gain + 5.0
    assert extra.notes and "interaction" in extra.notes[0]


def test_normalised_gains_when_scales_are_not_shared() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
                            {"A": {"a": [0, 8], "b": [0, 2]}, "B": {"a": [10, 0], "b": [90, 0]}},
                            batnas={"A": 0, "B": 0})
    kinds = classify_issues(case)
    trade = kinds.logrolling[0]
    assert trade.scale == "normalised gains"
    # The compromise package, computed independently (docs/concepts.md#the-pyramid):
    ref = oracle_compromise(case)
    traded = case.package(trade.package)
    delta = case.utilities([traded])[0] - case.utilities([ref])[0]
    assert trade.joint_gain == pytest.approx(delta[0] / 10 + delta[1] / 100)


def test_helpers() -> None:
    case = job_offer()
    r = stakes(case)
    assert r.tolist() == [[2000, 600, 500, 0], [2000, 1600, 300, 100]]
    assert importance_shares(r)[1].tolist() == pytest.approx([2000 / 4000, 1600 / 4000, 300 / 4000, 100 / 4000])
    assert [pk.kind for pk in pair_kinds(case, 1, 0)] == [pk.kind for pk in pair_kinds(case, 0, 1)]


@pytest.mark.parametrize("tau", [-0.1, 1.0, float("nan"), "abc"])
def test_bad_tau_is_one_line(tau: object) -> None:
    with pytest.raises(RequestError) as err:
        classify_issues(job_offer(), tau=tau)  # type: ignore[arg-type]
    assert "tau must be" in str(err.value) and "\n" not in str(err.value)


def test_unknown_issue_lookup() -> None:
    with pytest.raises(AccordError, match="unknown issue 'bonus'; the case has: salary"):
        classify_issues(job_offer())["bonus"]
    with pytest.raises(RequestError, match="max_pairs"):
        classify_issues(job_offer(), max_pairs=-1)


@settings(max_examples=200)
@given(a=st.lists(st.integers(0, 5), min_size=1, max_size=12), data=st.data())
def test_rank_correlations_match_scipy(a: list[int], data: st.DataObject) -> None:
    from scipy import stats

    b = data.draw(st.lists(st.integers(0, 5), min_size=len(a), max_size=len(a)))
    rho, ken = rank_correlations(np.array(a, dtype=float), np.array(b, dtype=float))
    if len(set(a)) < 2 or len(set(b)) < 2:
        assert (rho, ken) == (None, None)
        return
    assert rho == pytest.approx(stats.spearmanr(a, b).statistic, abs=1e-12)
    assert ken == pytest.approx(stats.kendalltau(a, b).statistic, abs=1e-12)


def test_rank_correlations_large_issue_uses_scipy() -> None:
    from scipy import stats

    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 50, 1500).astype(float), rng.integers(0, 50, 1500).astype(float)
    rho, ken = rank_correlations(a, b)
    assert rho == pytest.approx(stats.spearmanr(a, b).statistic)
    assert ken == pytest.approx(stats.kendalltau(a, b).statistic)


@settings(max_examples=60)
@given(data=st.data())
def test_party_best_utilities_without_a_frontier(data: st.DataObject, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    """u_i^max is each party's best package over all packages, interaction terms and caps included, and no
    frontier of the case itself is computed for it (accord.analysis.optimize.best_utilities)."""
    import accord.analysis.frontier as fr
    from accord.analysis.issues import party_best_utilities

    case = data.draw(frontier_kit.small_cases(max_parties=3))
    brute = case.utilities(frontier_kit.all_packages(case)).max(axis=0)
    real = fr.pareto_frontier

    def only_twins(c: Case, **kw: object) -> object:  # optimize may use a frontier of two copies of one party
        assert c.party_names == ("a", "b"), "a frontier of the case was computed"
        return real(c, **kw)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as m:
        m.setattr(fr, "pareto_frontier", only_twins)
        best = party_best_utilities(case)
    assert best.tolist() == pytest.approx(brute.tolist(), rel=1e-9, abs=1e-12)
    # From a frontier, u_i^max is a column maximum of its points, and a point stands for every package within the
    # frontier's tie tolerance (1e-9 of the party's scale, see docs/concepts.md), so it is exact only to that:
    # scores mixing 1e4 and 1e-8 make (1e-8, -1e-8) and (0, 0) one point. The test must allow the same.
    tol = 1e-9 * frontier_kit.scale(case) * case.n_issues
    from_frontier = party_best_utilities(case, real(case))
    assert np.all(np.abs(from_frontier - brute) <= tol), (from_frontier.tolist(), brute.tolist())


@settings(max_examples=120, deadline=None)
@given(case=small_cases())
def test_best_option_of_every_issue_is_the_max_joint_package(case: Case) -> None:
    """Separate scales: the issue table's joint value is on the scale of the max-joint package (Σ g, or raw points
    with shared scales), so the package of each issue's best options reaches the largest joint value. Summing
    per-issue normalised scores e (the old column) picked a different "best" whenever one party's stakes on the
    other issues dwarfed the rest."""
    from accord.analysis.bargaining import bargaining

    kinds = classify_issues(case)
    best = tuple(int(np.argmax(issue.joint_values)) for issue in kinds)
    u_all = case.utilities(all_packages(case))
    span = u_all.max(axis=0) - case.batnas
    u_best = case.utilities([best])[0]
    if case.shared_scales:
        joint = float(u_best.sum())
    else:
        joint = float(sum((u_best[i] - case.batnas[i]) / span[i] for i in range(case.n_parties) if span[i] > 0))
    assert joint == pytest.approx(bargaining(case).max_joint_value, abs=1e-9)
    assert all(issue.joint_scale == ("points" if case.shared_scales else "normalised gains") for issue in kinds)


def test_issue_best_option_uses_normalised_gains_not_per_issue_scores() -> None:
    # On `a`, per-issue normalised scores e are A (1, 5/6, 0) and B (0, 1, 1): their sum calls y best (1.83).
    # But B's point there is 1 of its 101-point range, A's step from y to x is 1 of 10: in Σ g, x is best
    # (0.6 vs 0.5 + 0.0099), and x is what the max-joint package takes.
    case = Case.from_tables("t", {"a": ["x", "y", "z"], "b": ["p", "q"]},
                            {"A": {"a": [6, 5, 0], "b": [0, 4]}, "B": {"a": [0, 1, 1], "b": [100, 0]}})
    kinds = classify_issues(case)
    assert kinds["a"].joint_scale == "normalised gains"
    assert kinds["a"].joint_values == pytest.approx((6 / 10, 5 / 10 + 1 / 101, 1 / 101))
    from accord.analysis.bargaining import bargaining

    assert bargaining(case).solutions["max_joint"].package["a"] == "x"
