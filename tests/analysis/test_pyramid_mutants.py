"""The pyramid's value left on the table and its large-case path, checked against brute force and by hand.

Written for the mutation survivors of ``accord.analysis.pyramid`` (docs/testing.md, "Mutation testing"):

- the best improvement (the value left on the table) under *own* scales with nonzero BATNAs, where the joint
  gain is Σ_i g_i with g_i = (u_i − b_i) / (u_i^max − b_i) and ties go to the most balanced split of the
  weighted gains w_i Δu_i, w_i = 1 / (u_i^max − b_i) (see docs/concepts.md): an enumeration oracle
  (``dominating``, ``gain_weights`` of tests/oracles.py) and one tie worked out by hand;
- the single-package-search path of :func:`evaluate` (taken when no frontier fits): the zone, the tie tolerance
  at a BATNA and on a party's gain, and the note that says how the figures were found.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord.analysis.frontier as fr
import accord.analysis.pyramid as pm
from accord.analysis.pyramid import evaluate
from accord.errors import TooLargeError
from accord.model import Case
from oracles import all_packages, best_improvement_oracle, gain_weights, scale


# -- the value left on the table under own scales, nonzero BATNAs ----------------------------------------------
def test_tied_value_left_goes_to_the_balanced_split_in_normalised_gains() -> None:
    """Own scales, A: u^max 10, BATNA 8 (span 2); B: u^max 10, BATNA 0 (span 10). From "deal" (8, 0) two
    improvements tie on the joint normalised gain 0.4: "lean" (8.6, 1) gains Δg = (0.6/2, 1/10) = (0.3, 0.1)
    and "even" (8.3, 2.5) gains (0.3/2, 2.5/10) = (0.15, 0.25). The more balanced split is "even" (its smaller
    gain 0.15 > 0.1). Weighting A's points by 1/(u^max + b) = 1/18 instead would make "lean" look balanced."""
    case = Case.from_tables(
        "tie", {"x": ["deal", "lean", "even", "topA", "topB"]},
        {"A": {"x": [8, 8.6, 8.3, 10, 0]}, "B": {"x": [0, 1, 2.5, -5, 10]}},
        batnas={"A": 8, "B": 0})
    ev = evaluate(case, (0,))
    assert ev.scale == "normalised gains"
    assert ev.value_left_package == {"x": "even"}
    assert abs(ev.value_left_joint - 0.4) < 1e-12
    assert abs(ev.value_left["A"] - 0.15) < 1e-12 and abs(ev.value_left["B"] - 0.25) < 1e-12
    assert ev.value_left_points == {"A": 8.3 - 8, "B": 2.5}
    want = best_improvement_oracle(case, (0,))  # the enumeration oracle agrees with the hand calculation
    assert want is not None and want[1] == (2,) and abs(want[0] - 0.4) < 1e-12


@st.composite
def _own_scale_cases(draw: st.DrawFn) -> tuple[Case, tuple[int, ...]]:
    """Two or three parties on own scales, small integer scores (so joint gains often tie exactly) and nonzero
    BATNAs below each party's best package (every weight w_i > 0), with one agreement."""
    n_parties = draw(st.integers(2, 3))
    sizes = draw(st.lists(st.integers(2, 3), min_size=2, max_size=3))
    issues = {f"i{k}": [f"o{o}" for o in range(s)] for k, s in enumerate(sizes)}
    tables = {f"P{i}": {f"i{k}": draw(st.lists(st.integers(0, 4), min_size=s, max_size=s))
                        for k, s in enumerate(sizes)} for i in range(n_parties)}
    batnas: dict[str, float] = {}
    for name, t in tables.items():
        best = sum(max(v) for v in t.values())
        batnas[name] = draw(st.integers(1, max(1, best - 1))) if best >= 2 else 0
    case = Case.from_tables("own", issues, tables, batnas=batnas)
    pkg = tuple(draw(st.integers(0, s - 1)) for s in sizes)
    return case, pkg


@settings(max_examples=60)
@given(_own_scale_cases())
def test_value_left_under_own_scales_matches_brute_force(drawn: tuple[Case, tuple[int, ...]]) -> None:
    """The improvement reported as the value left on the table is the one the definition picks by enumeration
    (joint normalised gain, then leximin of the weighted gains, then option order), and its joint gain and
    per-party gains match."""
    case, pkg = drawn
    if not np.all(gain_weights(case) > 0):  # a party with no room above its BATNA: ties are not well-posed
        return
    ev = evaluate(case, pkg)
    want = best_improvement_oracle(case, pkg)
    if want is None:
        assert ev.pareto_optimal and ev.value_left_package is None and ev.value_left_joint == 0.0
        return
    top, first = want
    assert not ev.pareto_optimal
    assert abs(ev.value_left_joint - top) <= 1e-9 * max(1.0, abs(top))
    assert ev.value_left_package == case.labels(first)
    du = case.utilities([first])[0] - case.utilities([pkg])[0]
    w = gain_weights(case)
    for i, name in enumerate(case.party_names):
        assert abs(ev.value_left_points[name] - du[i]) <= 1e-9 * scale(case)[i]
        assert abs(ev.value_left[name] - w[i] * du[i]) <= 1e-9


# -- the single-package-search path (no frontier fits) ------------------------------------------------------------
@contextmanager
def _search_only() -> Iterator[None]:
    """Every frontier refused, so :func:`evaluate` answers from the exact single-package search (the path of
    cases whose frontier is too large even restricted to the packages preferred to the agreement)."""
    def refuse(*args: object, **kw: object) -> None:
        raise TooLargeError("refused by the test")

    with pytest.MonkeyPatch.context() as m:
        m.setattr(fr, "ENUMERATION_LIMIT", 0)
        m.setattr(pm, "pareto_frontier", refuse)
        yield


def _small_case() -> Case:
    """Shared scales, every number within [−1, 1] so the tie tolerance is exactly 1e-9 (EPS · max(1, |u|))."""
    return Case.from_tables(
        "small", {"x": ["a", "b", "c"], "y": ["p", "q"]},
        {"A": {"x": [0, 0.5, 0.25], "y": [0, 0.25]}, "B": {"x": [0.5, 0, 0.25], "y": [0.25, 0.125]}},
        batnas={"A": 0.25, "B": 0.25}, shared_scales=True)


def test_search_path_counts_the_zone_like_enumeration() -> None:
    """Zone size and the share of it the agreement dominates, on the search path, equal a count over every
    package: the zone is the packages with u_i ≥ b_i for all i; the fraction counts those the agreement
    dominates (≥ everywhere, > somewhere)."""
    case = _small_case()
    pk = all_packages(case)
    u = case.utilities(pk)
    b = np.asarray(case.batnas)
    zone = np.all(u >= b[None, :] - 1e-9, axis=1)
    assert zone.sum() >= 2  # a real zone to count
    fractions, pareto = set(), set()
    for row in pk:
        pkg = tuple(int(x) for x in row)
        a = case.utilities([pkg])[0]
        dominated = zone & np.all(u <= a[None, :] + 1e-9, axis=1) & np.any(u < a[None, :] - 1e-9, axis=1)
        with _search_only():
            ev = evaluate(case, pkg, limit=1)
        assert "too large" in ev.note
        assert ev.zone_size == int(zone.sum())
        assert ev.zone_dominated_fraction == int(dominated.sum()) / int(zone.sum())
        fractions.add(ev.zone_dominated_fraction)
        pareto.add(ev.pareto_optimal)
    # both branches of the search path (nothing dominates / an improvement found), and agreements that dominate
    # part of the zone: (x=c, y=q) = (0.5, 0.375) dominates (x=b, y=p) = (0.5, 0.25), one of the 4 zone packages
    assert pareto == {True, False} and 0.25 in fractions and 0.0 in fractions


def test_search_path_agreement_at_batna_within_tolerance_is_individually_rational() -> None:
    """A's points (0) sit exactly the tie tolerance (1e-9: every number here is within [−1, 1]) below its BATNA
    1e-9, so A counts as at its BATNA: the agreement is individually rational and passes (under unanimity the two
    are the same flag), as on the frontier path."""
    case = Case.from_tables(
        "edge", {"x": ["a", "b"], "y": ["p", "q"]},
        {"A": {"x": [0, 1], "y": [0, 0]}, "B": {"x": [1, 0], "y": [0, 0]}},
        batnas={"A": 1e-9, "B": 0}, shared_scales=True)
    assert 1e-9 - 1e-9 == 0.0  # b_A − tol is exactly A's points at (a, p)
    with _search_only():
        ev = evaluate(case, (0, 0), limit=1)
    assert "too large" in ev.note
    assert ev.individually_rational is True and ev.passes is True
    assert ev.level == 3  # (1, 0) gives A more only by giving B less: Pareto-optimal
    full = evaluate(case, (0, 0))
    assert (full.individually_rational, full.passes, full.level) == (True, True, 3)


def test_search_path_gain_within_tolerance_counts_as_zero() -> None:
    """From (a, p), worth (0, 0.3), the improvements are (b, p) = (1e-9, 1.0), joint gain 0.7 + 1e-9,
    (c, p) = (0.5, 0.4), joint gain 0.6, and (b, q) = (0.1 + 1e-9, 0.7), joint gain 0.5. In the best one A's gain
    1e-9 equals the tie tolerance (u^max = (0.6, 1.0), every number within [−1, 1], so 1e-9 · 1), so A is left
    where it was and gains 0, as the frontier path reports; B gains 0.7."""
    case = Case.from_tables(
        "gain", {"x": ["a", "b", "c"], "y": ["p", "q"]},
        {"A": {"x": [0, 1e-9, 0.5], "y": [0, 0.1]}, "B": {"x": [0, 0.7, 0.1], "y": [0.3, 0]}},
        batnas={"A": 0, "B": 0}, shared_scales=True)
    assert 1e-9 - 0.0 == 1e-9  # A's gain is exactly the tolerance
    with _search_only():
        ev = evaluate(case, (0, 0), limit=1)
    assert "too large" in ev.note
    assert ev.value_left_package == {"x": "b", "y": "p"}
    assert ev.value_left_points["A"] == 0.0 and abs(ev.value_left_points["B"] - 0.7) < 1e-12
    assert ev.value_left["A"] == 0.0
    full = evaluate(case, (0, 0))
    assert full.value_left_package == {"x": "b", "y": "p"} and full.value_left_points["A"] == 0.0


def test_search_path_note_for_a_pareto_optimal_agreement() -> None:
    """The note is the sentence a user reads to learn how a figure was found (its wording is the contract): for
    a Pareto-optimal agreement whose frontier does not fit, it says the frontier was too large to list and that
    Pareto-optimality was decided by the single-package search, naming its module."""
    case = _small_case()
    with _search_only():
        ev = evaluate(case, (2, 1), limit=1)  # A 0.5, B 0.375: nothing gives one more without the other less
    assert ev.pareto_optimal and ev.level == 3
    assert ev.note.startswith("the full frontier is too large to list")
    assert "decided exactly by the single-package search (accord.analysis.optimize)" in ev.note
