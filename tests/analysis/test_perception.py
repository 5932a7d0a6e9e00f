"""Fixed-pie perception and illusory conflict flags against the definitions, computed directly in the test."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.perception import check_estimate, perception
from accord.errors import RequestError
from accord.model import Case, Estimate, Preferences


def with_estimate(case: Case, holder: str, about: str, table: dict[str, list[float]]) -> Case:
    est = Estimate(holder, about, Preferences(tuple(tuple(float(x) for x in table[i.name]) for i in case.issues)))
    return Case(case.name, case.issues, case.parties, case.preferences, case.shared_scales, (*case.estimates, est))


@st.composite
def cases_with_estimate(draw: st.DrawFn) -> Case:
    n = draw(st.integers(2, 3))
    m = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 3)) for _ in range(m)]
    names = ["A", "B", "C"][:n]
    issues = {f"i{k}": [f"o{o}" for o in range(sizes[k])] for k in range(m)}

    def table() -> dict[str, list[float]]:
        return {f"i{k}": [float(draw(st.integers(0, 5))) for _ in range(sizes[k])] for k in range(m)}

    case = Case.from_tables("random", issues, {p: table() for p in names}, shared_scales=draw(st.booleans()))
    holder, about = draw(st.permutations(names))[:2]
    return with_estimate(case, holder, about, table())


def _facts(case: Case, h: int, other: list[list[float]], k: int) -> tuple[bool, bool]:
    """(opposed, equal importance) for the holder and ``other``'s score tables on issue k
    (docs/concepts.md#kinds-of-issue)."""
    mine = [[Fraction(x) for x in case.scores[q][h]] for q in range(case.n_issues)]
    theirs = [[Fraction(x) for x in row] for row in other]
    best = [o for o, x in enumerate(mine[k]) if x == max(mine[k])]
    opposed = not any(theirs[k][o] == max(theirs[k]) for o in best)
    r_h = [max(t) - min(t) for t in mine]
    r_o = [max(t) - min(t) for t in theirs]
    if case.shared_scales:
        a, b = r_h[k], r_o[k]
    else:
        a = r_h[k] / sum(r_h) if sum(r_h) else Fraction(0)
        b = r_o[k] / sum(r_o) if sum(r_o) else Fraction(0)
    return opposed, abs(a - b) <= Fraction(1, 10) * max(a, b)


@settings(max_examples=150)
@given(case=cases_with_estimate())
def test_flags_agree_with_the_definitions(case: Case) -> None:
    est = case.estimates[0]
    h, a = case.party_index(est.holder), case.party_index(est.about)
    believed_tables = [list(est.preferences.scores[k]) for k in range(case.n_issues)]
    true_tables = [case.scores[k][a].tolist() for k in range(case.n_issues)]
    expected = set()
    for k, issue in enumerate(case.issues):
        b_opp, b_eq = _facts(case, h, believed_tables, k)
        t_opp, t_eq = _facts(case, h, true_tables, k)
        if b_opp and not t_opp:
            expected.add((issue.name, "illusory_conflict"))
        if t_opp and not b_opp:
            expected.add((issue.name, "assumed_agreement"))
        if b_opp or t_opp:
            if b_eq and not t_eq:
                expected.add((issue.name, "fixed_pie"))
            if t_eq and not b_eq:
                expected.add((issue.name, "imagined_difference"))
    check = perception(case).checks[0]
    assert {(f.issue, f.flag) for f in check.flags} == expected
    assert check.fixed_pie == any(f == "fixed_pie" for _, f in expected)
    assert check.illusory_conflict == any(f == "illusory_conflict" for _, f in expected)
    for f in check.flags:
        k = case.issue_index(f.issue)
        opts = case.issues[k].options
        assert f.true_best == tuple(o for o, x in zip(opts, true_tables[k], strict=True) if x == max(true_tables[k]))
        assert f.believed_best == tuple(o for o, x in zip(opts, believed_tables[k], strict=True)
                                        if x == max(believed_tables[k]))
        assert f.holder == est.holder and f.about == est.about


def base_case(shared: bool = True) -> Case:
    return Case.from_tables(
        "Job offer",
        {"salary": ["90k", "100k"], "remote": ["0", "3"], "training": ["none", "3k"]},
        {"candidate": {"salary": [0, 2000], "remote": [0, 2400], "training": [0, 600]},
         "employer": {"salary": [2000, 0], "remote": [800, 0], "training": [0, 500]}},
        shared_scales=shared)


def test_illusory_conflict_with_numbers() -> None:
    case = with_estimate(base_case(), "candidate", "employer",
                         {"salary": [2000, 0], "remote": [800, 0], "training": [500, 0]})
    check = check_estimate(case, "candidate", "employer")
    assert [(f.issue, f.flag) for f in check.flags] == [("training", "illusory_conflict")]
    flag = check.flags[0]
    assert (flag.believed_best, flag.true_best, flag.holder_best) == (("none",), ("3k",), ("3k",))
    assert (flag.believed_kind, flag.true_kind) == ("integrative", "compatible")
    assert (flag.holder_importance, flag.believed_importance, flag.true_importance) == (600.0, 500.0, 500.0)
    assert "believes employer wants none" in flag.text and "both want 3k" in flag.text
    assert check.illusory_conflict and not check.fixed_pie
    assert check.true_kinds["training"] == "compatible" and check.believed_kinds["training"] == "integrative"


def test_fixed_pie_and_imagined_difference() -> None:
    # The candidate believes remote days matter as much to the employer (2400) as to itself (2400): in truth 800.
    case = with_estimate(base_case(), "candidate", "employer",
                         {"salary": [2000, 0], "remote": [2400, 0], "training": [0, 500]})
    check = check_estimate(case, "candidate", "employer")
    assert [(f.issue, f.flag) for f in check.flags] == [("remote", "fixed_pie")]
    flag = check.flags[0]
    assert (flag.holder_importance, flag.believed_importance, flag.true_importance) == (2400.0, 2400.0, 800.0)
    assert "2,400 points" in flag.text and "800 points" in flag.text
    assert check.fixed_pie
    # Believed: salary and remote both 2000:2400 vs 2000:2400 → no trade; truly 2000/2400 vs 2000/800 → a trade.
    assert (check.believed_trades, check.true_trades) == (0, 1)
    # The reverse mistake: believing the employer barely cares about salary.
    case2 = with_estimate(base_case(), "candidate", "employer",
                          {"salary": [200, 0], "remote": [800, 0], "training": [0, 500]})
    flags2 = {(f.issue, f.flag) for f in check_estimate(case2, "candidate", "employer").flags}
    assert flags2 == {("salary", "imagined_difference")}


def test_assumed_agreement_with_shares() -> None:
    case = with_estimate(base_case(shared=False), "employer", "candidate",
                         {"salary": [0, 2000], "remote": [0, 2400], "training": [600, 0]})
    check = check_estimate(case, "employer", "candidate")
    assert ("training", "assumed_agreement") not in {(f.issue, f.flag) for f in check.flags}
    case2 = with_estimate(base_case(shared=False), "employer", "candidate",
                          {"salary": [2000, 0], "remote": [0, 2400], "training": [0, 600]})
    flags = {(f.issue, f.flag): f for f in check_estimate(case2, "employer", "candidate").flags}
    assert ("salary", "assumed_agreement") in flags
    assert flags[("salary", "assumed_agreement")].basis == "importance shares"


def test_no_estimates_and_bad_requests() -> None:
    assert perception(base_case()).checks == ()
    assert perception(base_case()).advice == ()
    with pytest.raises(RequestError, match="no estimate by 'candidate' of 'employer'"):
        check_estimate(base_case(), "candidate", "employer")
    with pytest.raises(RequestError, match="unknown party 'boss'"):
        check_estimate(base_case(), "candidate", "boss")
    with pytest.raises(RequestError, match="not 'employer' with itself"):
        check_estimate(base_case(), "employer", "employer")
