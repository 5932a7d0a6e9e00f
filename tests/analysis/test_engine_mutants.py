"""Tests written against mutants of the frontier engine and its exact arithmetic that survived
`scripts/mutation.sh` (see docs/testing.md, "Mutation testing"): a near-tie next to a strict improvement,
a joint gain exactly at the 1e-9 tie tolerance, parties whose grids are a billion times apart, and two
user-facing texts (the frontier's method, the bargaining result's agreement rule).

Each checks a documented behaviour against an independent expectation: enumeration through ``Case.utilities``
or values worked out by hand in a comment.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.bargaining import bargaining
from accord.analysis.frontier import pareto_frontier
from accord.analysis.optimize import best_improvement, is_pareto_optimal
from accord.model import AgreementRule, Case, Preferences
from oracles import all_packages, best_improvement_oracle

# -- best improvement next to a near-tie (two parties, decimal points) --------------------------------------


def _near_tie_case(*, capped: bool = False) -> Case:
    """One issue, two parties with decimal points (so the engine compares them on a grid).

    By hand (docs/frontier-engine.md, "Ties and grids"): M_A ≈ 0.5 (0.6 with option z) and M_B = 0.25, so
    both grid steps are q = 10^⌊log10(1e-9 · M)⌋ = 1e-10 and, with one rounded addend, the tie slack is m = 1
    step. On the grid (in steps of 1e-10, relative to option t = 5e9, 2.5e9):

    - ``n`` = (+0, +1): within the slack on both sides, a tie with t, *not* an improvement;
    - ``b`` = (+2, −1): more than the slack better for A, within it for B: a strict improvement over t.

    Neither of n and b near-dominates the other (b is more than a step below n for B; n is more than a step
    below b for A), so both are on the frontier of the region that is at least t (within the slack).
    ``capped`` adds an option z that B rejects outright (0 points) and caps A at 0.55, below z: the cap binds,
    which sends the question through the restricted frontier (the non-additive path), and changes nothing else.
    """
    opts = ["t", "n", "b"] + (["z"] if capped else [])
    a = [0.5, 0.5, 0.5 + 2e-10] + ([0.6] if capped else [])
    b = [0.25, 0.25 + 1e-10, 0.25 - 1e-10] + ([0.0] if capped else [])
    case = Case.from_tables("near tie", {"x": opts}, {"A": {"x": a}, "B": {"x": b}}, shared_scales=True)
    if not capped:
        return case
    prefs = list(case.preferences)
    prefs[0] = Preferences(prefs[0].scores, prefs[0].interactions, cap=0.55)
    return Case(case.name, case.issues, case.parties, tuple(prefs), shared_scales=True)


def test_best_improvement_is_found_beside_a_near_tie() -> None:
    """The improvement over t is b — not "none": the near-tie n (not itself an improvement) sits on the region's
    frontier beside it and must neither hide b nor be offered. b's joint gain is one grid step (2 − 1), the
    least a strict improvement can have (one coordinate one step beyond the slack, the other at −slack)."""
    case = _near_tie_case()
    assert not is_pareto_optimal(case, "x=t")
    imp = best_improvement(case, "x=t")
    assert imp is not None
    assert imp.package == (2,)
    # gains by hand: A +2e-10 (more than the one-step slack), B −1e-10 (within it)
    np.testing.assert_allclose(imp.gains, [2e-10, -1e-10], rtol=1e-6)
    np.testing.assert_allclose(imp.joint_gain, 1e-10, rtol=1e-6)


def test_best_improvement_beside_a_near_tie_on_the_region_path() -> None:
    """The same answer when a (binding) cap sends the question through the restricted frontier."""
    imp = best_improvement(_near_tie_case(capped=True), "x=t")
    assert imp is not None and imp.package == (2,)
    assert "restricted to improvements" in imp.method  # the path this test is about


def test_smallest_possible_improvements_tie_to_the_first_package() -> None:
    """Improvements whose joint gain is a single point — the least any strict improvement of integer points can
    have — are still all considered: mirror-image gains (1, 0) and (0, 1) tie (same joint gain, same
    balance), so the first package in issue and option order is the answer (``best_improvement``'s
    docstring), whichever one the MILP that seeds the search happens to return."""
    cases = [
        ({"x": ["o0", "o1", "o2"]}, {"A": {"x": [0, 1, 0]}, "B": {"x": [0, 0, 1]}}),
        ({"x": ["o0", "o1", "o2"]}, {"A": {"x": [0, 0, 1]}, "B": {"x": [0, 1, 0]}}),
        ({"x": ["o0", "o1", "o2", "o3"]}, {"A": {"x": [5, 6, 5, 6]}, "B": {"x": [5, 5, 6, 5]}}),
    ]
    for issues, tables in cases:
        case = Case.from_tables("single point", issues, tables, shared_scales=True)
        oracle = best_improvement_oracle(case, (0,))
        assert oracle is not None
        expected = oracle[1]
        assert expected == (1,)  # by hand: o1 is the first of the tied improvements in every case
        imp = best_improvement(case, (0,))
        assert imp is not None and imp.package == expected
        assert imp.joint_gain == 1.0


# -- the joint-gain tie tolerance is inclusive ---------------------------------------------------------------


def _boundary_case(b_gain: int) -> Case:
    """Shared integer points. From the agreement ``deal`` (0, 0): ``lopsided`` gains (1e9, 0) — joint gain
    1,000,000,000 — and ``balanced`` gains (5e8, b_gain)."""
    return Case.from_tables(
        "tolerance boundary", {"x": ["deal", "lopsided", "balanced"]},
        {"A": {"x": [0, 1_000_000_000, 500_000_000]}, "B": {"x": [0, 0, b_gain]}}, shared_scales=True)


def test_joint_gains_exactly_1e9_apart_relatively_tie_and_the_more_balanced_wins() -> None:
    """best_improvement: "the largest objective (within 1e-9 relative)", then the most balanced (leximin).

    ``balanced`` has joint gain 999,999,999 = 1e9 − 1e-9 · 1e9: exactly at the tolerance, so it ties with
    ``lopsided`` and, its smallest gain (499,999,999) beating lopsided's (0), it is the answer.
    """
    imp = best_improvement(_boundary_case(499_999_999), "x=deal")
    assert imp is not None
    assert imp.package == (2,)
    assert imp.joint_gain == 999_999_999.0


def test_joint_gains_beyond_the_tolerance_do_not_tie() -> None:
    """Two points beyond the tolerance (999,999,998: 2e-9 below): the larger joint gain wins outright."""
    imp = best_improvement(_boundary_case(499_999_998), "x=deal")
    assert imp is not None and imp.package == (1,)


# -- bargaining with grids a billion times apart -------------------------------------------------------------


def _solutions_by_enumeration(case: Case) -> dict[str, tuple[int, ...]]:
    """Max joint value (Σ normalised gains over all packages), Nash (max Π surplus over the zone) and
    Kalai–Smorodinsky (max min g_i, ideal over the zone) by enumerating every package; assumes unique maxima
    (checked) and BATNAs the parties' worst packages reach."""
    pk = all_packages(case)
    u = case.utilities(pk)
    b = np.asarray(case.batnas, dtype=float)
    g = (u - b) / (u.max(axis=0) - b)
    zone = np.all(u >= b, axis=1)
    gz = (u - b) / (u[zone].max(axis=0) - b)
    picks = {
        "max_joint": g.sum(axis=1),
        "nash": np.where(zone, np.prod(u - b, axis=1), -np.inf),
        "kalai_smorodinsky": np.where(zone, gz.min(axis=1), -np.inf),
    }
    out = {}
    for name, v in picks.items():
        best = np.flatnonzero(v >= v.max() * (1 - 1e-12))
        assert best.size == 1, f"{name} is tied in this case"
        out[name] = tuple(int(o) for o in pk[best[0]])
    return out


def test_bargaining_with_scales_a_billion_apart() -> None:
    """A party counting in currency units (up to 12 billion, integer: grid step 1) against one with utilities in
    0..1 (grid step 1e-9). On the common exact unit A's points become 1.2e19 units — beyond int64 — so the
    exact comparison must use Python integers, and the solution points must still be the ones enumeration
    finds. By hand: normalised gains A 0, 1/3, 2/3, 1 and B 1, .7, .4, .1, so max joint is d (1.1), KS is c
    (min .4) and Nash is c (8e9 · 0.4 = 3.2e9 against 2.8e9 for b)."""
    case = Case.from_tables(
        "scales apart", {"price": ["a", "b", "c", "d"]},
        {"A": {"price": [0, 4_000_000_000, 8_000_000_000, 12_000_000_000]},
         "B": {"price": [1.0, 0.7, 0.4, 0.1]}})
    expected = _solutions_by_enumeration(case)
    assert expected == {"max_joint": (3,), "nash": (2,), "kalai_smorodinsky": (2,)}
    result = bargaining(case)
    for name, pkg in expected.items():
        assert result.solutions[name].package_index == pkg, name


# -- user-facing texts ---------------------------------------------------------------------------------------


def test_bargaining_names_the_agreement_rule() -> None:
    """``bargaining.agreement_rule`` (a documented JSON field, docs/analysis.md) names the rule the zone is taken
    under: the quorum (2 of 3) and the veto party, or unanimity. The reports print this sentence, so it is
    the contract here."""
    tables = {"A": {"x": [0, 1, 2]}, "B": {"x": [2, 1, 0]}, "C": {"x": [1, 2, 1]}}
    plain = Case.from_tables("rule", {"x": ["p", "q", "r"]}, tables)
    ruled = Case(plain.name, plain.issues, plain.parties, plain.preferences,
                 agreement=AgreementRule(quorum=2, veto=("C",)))
    assert bargaining(ruled).to_dict()["agreement_rule"] == "at least 2 of 3 parties accept, including C"
    assert bargaining(plain).to_dict()["agreement_rule"] == "unanimity (every party accepts)"


def test_two_party_frontier_names_its_kernel() -> None:
    """``Frontier.method`` says how the frontier was computed; for two parties the report prints
    "issue-by-issue merge (two-party sweep)" (docs/analysis.md), for three the divide-and-conquer skyline."""
    two = Case.from_tables("k2", {"x": ["p", "q"], "y": ["r", "s"]},
                           {"A": {"x": [0, 2], "y": [0, 1]}, "B": {"x": [1, 0], "y": [2, 0]}})
    three = Case.from_tables("k3", {"x": ["p", "q"], "y": ["r", "s"]},
                             {"A": {"x": [0, 2], "y": [0, 1]}, "B": {"x": [1, 0], "y": [2, 0]},
                              "C": {"x": [1, 1], "y": [0, 1]}})
    assert pareto_frontier(two).method == "issue-by-issue merge (two-party sweep)"
    assert pareto_frontier(three).method == "issue-by-issue merge (3-party divide-and-conquer skyline)"
