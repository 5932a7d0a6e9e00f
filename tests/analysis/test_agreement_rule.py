"""Agreement rules (quorum and veto): the zone count, the rational frontier, the bargaining zone and the
pyramid's level 1 all follow the rule, and each equals a brute-force oracle on small random cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord.analysis.agreement as agreement_module
from accord.analysis import bargaining, pareto_frontier
from accord.analysis.agreement import passes, zone_distribution
from accord.analysis.pyramid import assess, reference_for, zone_size
from accord.errors import AccordError, CaseError
from accord.io.casefile import load_case, parse_case, save_case
from accord.model import AgreementRule, Case, Interaction, Issue, Party, Preferences
from oracles import all_packages, undominated


@st.composite
def ruled_cases(draw: st.DrawFn, *, additive: bool | None = None) -> Case:
    n_parties = draw(st.integers(2, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(draw(st.integers(1, 4)))]
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    with_terms = (not additive) if additive is not None else draw(st.booleans())
    prefs = []
    for _ in range(n_parties):
        scores = tuple(tuple(float(draw(st.integers(-5, 9))) for _ in range(s)) for s in sizes)
        terms: tuple[Interaction, ...] = ()
        if with_terms and len(sizes) >= 2:
            terms = (Interaction(((0, frozenset({0})), (1, frozenset({0}))), float(draw(st.integers(-6, 6)))),)
        prefs.append(Preferences(scores, terms))
    names = [f"P{i}" for i in range(n_parties)]
    parties = tuple(Party(n, batna=float(draw(st.integers(-5, 15)))) for n in names)
    quorum = draw(st.integers(1, n_parties))
    veto = tuple(draw(st.lists(st.sampled_from(names), unique=True, max_size=quorum)))
    return Case("random", issues, parties, tuple(prefs), agreement=AgreementRule(quorum, veto))


def _brute_passing(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """Every package and whether it passes, straight from the definition (Python loops, no shared code)."""
    pk = all_packages(case)
    u = case.utilities(pk)
    k = case.agreement.required(case.n_parties)
    veto = [case.party_index(v) for v in case.agreement.veto]
    ok = []
    for row in u:
        accept = [row[i] >= case.batnas[i] - 1e-9 for i in range(case.n_parties)]
        ok.append(sum(accept) >= k and all(accept[i] for i in veto))
    return pk, np.array(ok, dtype=bool)


@settings(max_examples=120, deadline=None)
@given(ruled_cases(), st.booleans())
def test_zone_count_equals_brute_force(case: Case, issue_by_issue: bool) -> None:
    _, ok = _brute_passing(case)
    old = agreement_module._SMALL_SPACE
    try:
        if issue_by_issue:  # force the issue-by-issue count even on these small spaces
            agreement_module._SMALL_SPACE = 0
        found = zone_distribution(case)
    finally:
        agreement_module._SMALL_SPACE = old
    assert found is not None
    assert int(found[1].sum()) == int(ok.sum())
    assert zone_size(case) == int(ok.sum())
    assert passes(case, case.utilities(all_packages(case))).tolist() == ok.tolist()


@settings(max_examples=80, deadline=None)
@given(ruled_cases(additive=True))
def test_issue_by_issue_distribution_equals_brute_force(case: Case) -> None:
    pk, ok = _brute_passing(case)
    u = case.utilities(pk)[ok]
    old = agreement_module._SMALL_SPACE
    agreement_module._SMALL_SPACE = 0
    try:
        found = zone_distribution(case)
    finally:
        agreement_module._SMALL_SPACE = old
    assert found is not None
    got: dict[tuple[float, ...], int] = {}
    for row, c in zip(found[0].tolist(), found[1].tolist(), strict=True):
        got[tuple(row)] = got.get(tuple(row), 0) + int(c)
    want: dict[tuple[float, ...], int] = {}
    for row in u.tolist():
        want[tuple(row)] = want.get(tuple(row), 0) + 1
    assert got == want


@settings(max_examples=80, deadline=None)
@given(ruled_cases())
def test_rational_frontier_is_the_undominated_passing_packages(case: Case) -> None:
    pk, ok = _brute_passing(case)
    u = case.utilities(pk)[ok]
    want = {tuple(r) for r in u[undominated(u)].tolist()} if len(u) else set()
    front = pareto_frontier(case, rational=True)
    assert {tuple(r) for r in front.utilities.tolist()} == want
    # the zone frontier is the full frontier's passing part (passing is monotone)
    b = bargaining(case)
    assert b.zone_frontier_size == len(want)
    assert b.zopa_empty == (not ok.any())
    assert b.zone_size == int(ok.sum())


@settings(max_examples=60, deadline=None)
@given(ruled_cases())
def test_level_one_means_passing(case: Case) -> None:
    pk, ok = _brute_passing(case)
    ref = reference_for(case)
    res = assess(ref, case.utilities(pk))
    assert ((res.levels >= 1) == ok).all()
    assert res.passes is not None and (res.passes == ok).all()
    # the bargaining module's Nash point is flagged Nash-optimal by the pyramid, under any rule
    nash = bargaining(case).solutions.get("nash")
    assert (nash is None) == (not ok.any())
    if nash is not None:
        flagged = assess(ref, case.utilities([nash.package_index]))
        assert flagged.nash_optimal is not None and bool(flagged.nash_optimal[0])


def _three() -> Case:
    return Case.from_tables("t", {"a": ["x", "y", "z"]},
                            {"A": {"a": [0, 1, 2]}, "B": {"a": [2, 1, 0]}, "C": {"a": [1, 0, 2]}},
                            batnas={"A": 2, "B": 1, "C": 1})


def test_unanimity_is_the_default_and_a_quorum_widens_the_zone() -> None:
    case = _three()
    assert case.unanimous and zone_size(case) == 0
    ruled = Case(case.name, case.issues, case.parties, case.preferences,
                 agreement=AgreementRule(quorum=2, veto=("A",)))
    assert not ruled.unanimous
    assert zone_size(ruled) == 1  # z: A and C accept; x: B and C accept but A vetoes; y: only B
    assert zone_size(ruled, parties=["B", "C"]) == 1  # "B and C accept" (x) ignores the rule
    assert ruled.with_batnas({"A": 0}).agreement == ruled.agreement


@pytest.mark.parametrize(("rule", "message"), [
    (AgreementRule(quorum=0), "quorum must be between 1 and 3"),
    (AgreementRule(quorum=4), "quorum must be between 1 and 3"),
    (AgreementRule(quorum=2, veto=("Z",)), "unknown party 'Z'"),
    (AgreementRule(quorum=1, veto=("A", "B")), "cannot fit in a quorum of 1"),
    (AgreementRule(quorum=2, veto=("A", "A")), "named twice"),
])
def test_bad_rules_are_one_line_case_errors(rule: AgreementRule, message: str) -> None:
    case = _three()
    with pytest.raises(CaseError, match=message):
        Case(case.name, case.issues, case.parties, case.preferences, agreement=rule)


_FILE = """
name: vote
parties: {A: {batna: 2}, B: {batna: 1}, C: {batna: 1}}
agreement: {quorum: 2, veto: [A]}
issues: {a: [x, y, z]}
preferences:
  A: {a: {x: 0, y: 1, z: 2}}
  B: {a: {x: 2, y: 1, z: 0}}
  C: {a: {x: 1, y: 0, z: 2}}
"""


def test_case_file_agreement_key_round_trips(tmp_path: Path) -> None:
    case = parse_case(_FILE, file="vote.yaml")
    assert case.agreement == AgreementRule(2, ("A",))
    out = tmp_path / "vote.yaml"
    save_case(case, out)
    assert load_case(out).agreement == case.agreement
    assert "agreement" not in _three().to_dict()  # unanimity is not written


@pytest.mark.parametrize(("edit", "message"), [
    ("agreement: {quorum: 2, veto: [Q]}", "agreement.veto.0"),
    ("agreement: {quorum: 7}", "agreement.quorum"),
    ("agreement: {quorum: 2, who: [A]}", "agreement"),
])
def test_case_file_agreement_errors_name_the_place(edit: str, message: str) -> None:
    text = _FILE.replace("agreement: {quorum: 2, veto: [A]}", edit)
    with pytest.raises(AccordError, match=message) as err:
        parse_case(text, file="vote.yaml")
    assert "\n" not in str(err.value)


def test_max_states_gives_none_never_a_wrong_count() -> None:
    rng = np.random.default_rng(1)
    issues = {f"i{k}": [str(o) for o in range(6)] for k in range(5)}  # 7,776 packages: counted issue by issue
    points = {p: {k: [float(x) for x in rng.random(6)] for k in issues} for p in ("A", "B")}
    case = Case.from_tables("t", issues, points, batnas={"A": 2.0, "B": 2.0})
    u = case.utilities(all_packages(case))
    truth = int(np.all(u >= case.batnas[None, :] - 1e-9, axis=1).sum())
    found = zone_distribution(case)
    assert found is not None and int(found[1].sum()) == truth
    assert zone_distribution(case, max_states=50) is None
    assert bargaining(case).zone_size == truth
