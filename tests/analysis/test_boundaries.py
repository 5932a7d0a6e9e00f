"""Boundaries pinned by hand: the cases where a ≤ made < (or a rule weakened) changes the answer.

Each number below is worked out in the comment beside it from the definitions (docs/concepts.md); each boundary
is checked on both sides, so a mutant that moves it fails here whatever the Hypothesis seed.
"""

from __future__ import annotations

import numpy as np
import pytest

import accord.analysis.frontier as fr
import accord.analysis.pyramid as pm
from accord.analysis.frontier import pareto_frontier
from accord.analysis.issues import classify_issues, party_best_utilities
from accord.analysis.pyramid import evaluate
from accord.errors import TooLargeError
from accord.model import Case, Issue, Party, Preferences
from oracles import all_packages, best_points, compromise, dominating, purchase_case, scale


def _kinds(case: Case, tau: float) -> dict[str, str]:
    return {i.name: i.kind for i in classify_issues(case, tau=tau).issues}


# -- τ equality of issue kinds ------------------------------------------------------------------------------------
def test_tau_equality_of_raw_stakes_is_distributive() -> None:
    """Shared scales: x has stakes 10 and 9, gap 1 = τ · max = 0.1 · 10, and sums (9, 10), spread 1 = τ · 10:
    equal importance and complementary exactly at the limit, so distributive; with τ = 0.09 both fail."""
    case = Case.from_tables("t", {"x": ["a", "b"], "y": ["a", "b"]},
                            {"A": {"x": [0, 10], "y": [0, 5]}, "B": {"x": [9, 0], "y": [5, 0]}}, shared_scales=True)
    assert _kinds(case, 0.1) == {"x": "distributive", "y": "distributive"}
    assert _kinds(case, 0.09) == {"x": "integrative", "y": "distributive"}


def test_tau_equality_of_importance_shares_is_distributive() -> None:
    """Own scales: shares on x are 10/20 = 0.5 and 9/20 = 0.45, gap 0.05 = τ · max = 0.1 · 0.5; the normalised
    scores sum to (1, 1) (spread 0); y (shares 0.5 and
    0.55) is opposed too, so x is not a lone opposed issue: distributive at τ = 0.1, integrative just below
    (τ = 0.09: limit 0.045)."""
    case = Case.from_tables("t", {"x": ["a", "b"], "y": ["a", "b"]},
                            {"A": {"x": [0, 10], "y": [0, 10]}, "B": {"x": [9, 0], "y": [11, 0]}})
    kinds = classify_issues(case, tau=0.1)
    x = kinds.issues[0].pairs[0]
    assert x.shares == pytest.approx((0.5, 0.45))
    assert x.equal_importance and x.complementary
    assert _kinds(case, 0.1)["x"] == "distributive"
    assert _kinds(case, 0.09)["x"] == "integrative"


def test_tau_equality_of_the_complementarity_spread() -> None:
    """Own scales, three options: e_A = (0, .5, 1), e_B = (1, .4, 0), sums (1, .9, 1): spread 0.1 = τ, so
    complementary (distributive) at τ = 0.1 and not at τ = 0.09 (equal shares 0.5 and 0.5 either way)."""
    case = Case.from_tables("t", {"x": ["a", "b", "c"], "y": ["a", "b"]},
                            {"A": {"x": [0, 5, 10], "y": [0, 10]}, "B": {"x": [10, 4, 0], "y": [10, 0]}})
    assert _kinds(case, 0.1)["x"] == "distributive"
    assert _kinds(case, 0.09)["x"] == "integrative"


def test_tau_equality_of_priority_ratios_is_no_logrolling_pair() -> None:
    """Own scales: A's priority ratio π_x/π_y = 1, B's = (9/19)/(10/19) = 0.9; the gap 0.1 equals τ · max = 0.1,
    and a logrolling pair needs a gap *above* it; with τ = 0.09 the pair is there."""
    case = Case.from_tables("t", {"x": ["a", "b"], "y": ["a", "b"]},
                            {"A": {"x": [0, 10], "y": [0, 10]}, "B": {"x": [9, 0], "y": [10, 0]}})
    assert classify_issues(case, tau=0.1).logrolling == ()
    pairs = classify_issues(case, tau=0.09).logrolling
    assert [set(p.issues) for p in pairs] == [{"x", "y"}]


# -- the pyramid's large-case path: every level, level 2 included ------------------------------------------------
@pytest.mark.parametrize("path", ["restricted", "search"])
def test_every_level_on_the_large_case_paths_matches_brute_force(path: str) -> None:
    """When the full frontier does not fit, the pyramid answers from the frontier restricted to the packages that
    dominate the agreement ("restricted": a limit of one partial package, no falling back on enumeration) or,
    when that does not fit either, from the exact single-package search ("search": every frontier refused).
    Every package of the hand-checked purchase case gets the level its definition gives, by brute force; level 2
    (dominates the compromise, not Pareto-optimal) included."""
    case = purchase_case()
    comp = compromise(case)
    u_comp = case.utilities([comp])[0]
    b = np.asarray(case.batnas)
    tol = 1e-9 * scale(case)

    def refuse(*args: object, **kw: object) -> None:
        raise TooLargeError("refused by the test")

    with pytest.MonkeyPatch.context() as m:
        m.setattr(fr, "ENUMERATION_LIMIT", 0)
        if path == "search":
            m.setattr(pm, "pareto_frontier", refuse)
        found = {pkg: evaluate(case, pkg, limit=1) for pkg in map(tuple, all_packages(case).tolist())}
    levels = set()
    for pkg, ev in found.items():
        u = case.utilities([pkg])[0]
        rational = bool(np.all(u >= b - tol))
        pareto = not dominating(case, pkg).any()
        beats_comp = bool(np.all(u >= u_comp - tol) and np.any(u > u_comp + tol))
        want = 0 if not rational else 3 if pareto else 2 if beats_comp else 1
        assert ev.level == want, (pkg, ev.level, want, ev.note)
        assert ev.dominates_compromise == beats_comp
        assert ev.pareto_optimal == pareto
        levels.add(want)
    assert levels == {0, 1, 2, 3}
    # (30, 40): high/fast/short dominates the compromise (30, 35) and is dominated by (40, 45)
    ev = found[(2, 1, 0)]
    assert ev.level == 2
    assert ("too large" in ev.note) == (path == "search")


# -- u_i^max from a frontier is exact within the tie tolerance ----------------------------------------------------
def test_party_best_from_a_frontier_mixing_magnitudes() -> None:
    """Scores mixing 1e4 and 1e-8 (the case Hypothesis found with seed 0): the packages (1e-8, −1e-8) and (0, 0)
    are one frontier point (1e-9 of the scale 1e4 is 1e-5), so the column maximum may read −1e-8 where the
    true maximum is 0; without a frontier the answer is exact."""
    issues = (Issue.categorical("i0", ["a", "b"]), Issue.categorical("i1", ["a", "b"]))
    case = Case("mixed", issues, (Party("P0"), Party("P1")),
                (Preferences(((0.0, 1e4), (1e-8, 0.0)), (), 5000.0),
                 Preferences(((-0.0, -1e4), (-1e-8, -0.0)), (), 0.0)))
    truth = best_points(case)
    assert truth.tolist() == [5000.0, 0.0]
    assert party_best_utilities(case).tolist() == truth.tolist()
    from_frontier = party_best_utilities(case, pareto_frontier(case))
    assert np.all(np.abs(from_frontier - truth) <= 1e-9 * scale(case))
