"""Tests written against mutants that survived `scripts/mutation.sh` (see docs/testing.md): paths no test
reached (the bargaining zone of spaces above a few thousand packages, merged or enumerated in chunks),
tolerance floors, and user-facing sentences.

Each checks a documented behaviour against an independent expectation: enumeration through ``Case.utilities``
(``tests/oracles.py``) or a value worked out by hand in a comment.
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.analysis._merge import _first_per_group
from accord.analysis.agreement import zone_distribution
from accord.analysis.bargaining import bargaining
from accord.analysis.issues import best_masks, pair_kinds
from accord.analysis.perception import check_estimate
from accord.analysis.potential import win_win_potential
from accord.model import Case, Estimate, Interaction, Issue, Party, Preferences
from oracles import all_packages


def _zone_by_brute_force(case: Case) -> dict[tuple[float, ...], int]:
    """Every package with u_i ≥ b_i for every party (unanimity), counted per utility vector."""
    u = case.utilities(all_packages(case))
    ok = np.all(u >= np.asarray(case.batnas)[None, :], axis=1)
    out: dict[tuple[float, ...], int] = {}
    for row in u[ok]:
        key = tuple(float(x) for x in row)
        out[key] = out.get(key, 0) + 1
    return out


def _as_dict(result: tuple[np.ndarray, np.ndarray] | None) -> dict[tuple[float, ...], int]:
    assert result is not None
    u, n = result
    out: dict[tuple[float, ...], int] = {}
    for row, c in zip(u, n, strict=True):
        key = tuple(float(x) for x in row)
        out[key] = out.get(key, 0) + int(c)
    return out


@st.composite
def large_cases(draw: st.DrawFn, interactions: bool) -> Case:
    """Two or three parties, 5 issues of 5–6 options (3,125–7,776 packages: above the 4,096 that are simply
    enumerated), integer points 0–3, BATNAs that packages reach exactly, and optionally an interaction term
    (then the zone is enumerated in chunks rather than built issue by issue)."""
    n_p = draw(st.integers(2, 3))
    sizes = [draw(st.integers(5, 6)) for _ in range(5)]
    if np.prod(sizes) <= 4096:
        sizes[0] = 6
        sizes[1] = 6
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    prefs = []
    for _ in range(n_p):
        tables = tuple(tuple(float(draw(st.integers(0, 3))) for _ in range(s)) for s in sizes)
        terms = ((Interaction(((0, frozenset({0})), (1, frozenset({0, 1}))), float(draw(st.integers(-2, 3)))),)
                 if interactions else ())
        prefs.append(Preferences(tables, terms))
    parties = tuple(Party(f"P{i}", batna=float(draw(st.integers(4, 9)))) for i in range(n_p))
    return Case("large", issues, parties, tuple(prefs))


@given(large_cases(interactions=False))
@settings(max_examples=15)
def test_zone_of_a_large_additive_space_matches_enumeration(case: Case) -> None:
    """Built issue by issue with equal partial points merged (integer tables): same vectors, same counts,
    packages exactly at a BATNA included."""
    assert case.space_size > 4096
    assert _as_dict(zone_distribution(case)) == _zone_by_brute_force(case)


@given(large_cases(interactions=True))
@settings(max_examples=10)
def test_zone_of_a_large_non_additive_space_matches_enumeration(case: Case) -> None:
    """Enumerated in chunks (interaction terms): same vectors, same counts, packages at a BATNA included."""
    assert case.space_size > 4096 and not case.additive
    assert _as_dict(zone_distribution(case)) == _zone_by_brute_force(case)


def test_zone_counts_a_package_exactly_at_every_batna_on_the_large_paths() -> None:
    # 6^5 = 7,776 packages; P0 scores 1 per issue at option o0, P1 per issue at o1, so u_P0 = #issues at o0
    # and u_P1 = #issues at o1. With BATNAs 2 and 3 the zone is every package with at least 2 issues at o0 and
    # at least 3 at o1 — exactly 2 and 3 of the 5 issues: 5!/(2!·3!) = 10 packages, all at (2, 3), exactly on
    # both BATNAs. Once additive (built issue by issue), once with a zero-point interaction term (chunks).
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(6)]) for k in range(5))
    p0 = tuple((1.0, 0.0, 0.0, 0.0, 0.0, 0.0) for _ in range(5))
    p1 = tuple((0.0, 1.0, 0.0, 0.0, 0.0, 0.0) for _ in range(5))
    for terms in ((), (Interaction(((0, frozenset({5})), (1, frozenset({5}))), 0.0),)):
        case = Case("edge", issues, (Party("P0", batna=2.0), Party("P1", batna=3.0)),
                    (Preferences(p0, terms), Preferences(p1)))
        assert _as_dict(zone_distribution(case)) == {(2.0, 3.0): 10}


def test_best_options_tie_within_1e9_of_the_scale_only() -> None:
    """docs/concepts.md: options within 1e-9 of a party's scale (max(1, max |s|)) of its best are tied best.
    Scale 1 here: 1.5e-9 below the best is not a tie, 0.5e-9 below is."""
    s = np.array([[1.0, 1.0 - 1.5e-9, 0.0], [1.0, 1.0 - 0.5e-9, 0.0], [300.0, 300.0 - 1.5e-7, 0.0]])
    assert best_masks(s).tolist() == [[True, False, False], [True, True, False], [True, True, False]]


@given(st.sampled_from([1e5, 1e6, 3e7]))
@example(1e6)
def test_importance_gap_at_tau_is_equal_up_to_relative_slack(stake: float) -> None:
    """Raw stakes a and b are of equal importance when |a − b| ≤ τ·max(a, b) (docs/concepts.md), up to a
    RELATIVE slack of 1e-9: a gap exceeding the limit by 1e-10 of it is still equal (opposed best options →
    distributive), a gap exceeding it by 1e-6 of it is not (→ integrative)."""
    limit = 0.1 * stake
    for excess, kind in ((1e-10, "distributive"), (1e-6, "integrative")):
        other = stake - limit * (1 + excess)
        case = Case.from_tables("t", {"x": ["a", "b"]}, {"A": {"x": [0, stake]}, "B": {"x": [other, 0]}},
                                shared_scales=True)
        gap = stake - other
        assert gap > limit  # the gap really is above τ·max, by about `excess` of it
        assert pair_kinds(case, 0, 1)[0].kind == kind, (stake, excess)


def test_fixed_pie_flag_quotes_the_holders_own_importance() -> None:
    # The candidate's remote days are worth 2,400 points to it; it believes the employer's stake is 2,400 too,
    # the truth is 800. The sentence compares the belief with the holder's OWN stake (2,400), not the truth.
    case = Case.from_tables(
        "Job offer", {"salary": ["90k", "100k"], "remote": ["0", "3"], "training": ["none", "3k"]},
        {"candidate": {"salary": [0, 2000], "remote": [0, 2400], "training": [0, 600]},
         "employer": {"salary": [2000, 0], "remote": [800, 0], "training": [0, 500]}}, shared_scales=True)
    est = Estimate("candidate", "employer", Preferences(((2000.0, 0.0), (2400.0, 0.0), (0.0, 500.0))))
    case = Case(case.name, case.issues, case.parties, case.preferences, case.shared_scales, (est,))
    flag = next(f for f in check_estimate(case, "candidate", "employer").flags if f.flag == "fixed_pie")
    assert "(stake 2,400 points) as to itself (2,400 points)" in flag.text
    assert "employer's true stake is 800 points" in flag.text


def test_advice_on_several_distributive_issues_is_grammatical() -> None:
    # Two issues with opposed best options and equal stakes for both parties: both distributive (see
    # docs/concepts.md), so the advice speaks of them in the plural.
    case = Case.from_tables("t", {"x": ["a", "b"], "y": ["c", "d"]},
                            {"A": {"x": [0, 5], "y": [0, 5]}, "B": {"x": [5, 0], "y": [5, 0]}}, shared_scales=True)
    advice = " ".join(win_win_potential(case).advice)
    assert "x and y are win-lose on their own" in advice, advice


def test_exact_ties_on_a_grid_beyond_int64() -> None:
    """BATNAs with 16 decimals make the exact common denominator large: with stakes of 10⁶ the grid values
    in exact units pass 2⁶³ (1.5625·10²⁰ here), so the solution points are compared in Python integers.

    Worked by hand, b = 0.1234567890123456 for both, spans 10⁶ − b: the three frontier points (10⁶, 0),
    (5·10⁵, 5·10⁵), (0, 10⁶) all have the joint gain (10⁶ − 2b)/(10⁶ − b) — an exact three-way tie, shown by
    the most balanced point (5·10⁵, 5·10⁵); the Nash product (5·10⁵ − b)² is largest there, uniquely.
    """
    b = 0.1234567890123456
    case = Case("big units", (Issue.categorical("price", ["a", "b", "c"]), Issue.categorical("x", ["p", "q"])),
                (Party("A", batna=b), Party("B", batna=b)),
                (Preferences(((1e6, 5e5, 0.0), (0.0, 0.0))), Preferences(((0.0, 5e5, 1e6), (0.0, 0.0)))))
    res = bargaining(case)
    joint = res.solutions["max_joint"]
    assert joint.tied_points == 3
    assert joint.utilities.tolist() == [5e5, 5e5] and joint.package == {"price": "b", "x": "p"}
    nash = res.solutions["nash"]
    assert nash.tied_points == 1 and nash.utilities.tolist() == [5e5, 5e5]


def test_first_rows_per_group_including_no_rows() -> None:
    """The cap per frontier point when packages are listed: the first ``cap`` rows of each run of equal
    points, checked against a loop; no rows give an empty mask."""
    point = np.array([0, 0, 0, 1, 2, 2, 2, 2, 5], dtype=np.int64)
    for cap in (1, 2, 3):
        seen: dict[int, int] = {}
        expected = []
        for x in point.tolist():
            seen[x] = seen.get(x, 0) + 1
            expected.append(seen[x] <= cap)
        assert _first_per_group(point, cap).tolist() == expected
    assert _first_per_group(np.zeros(0, dtype=np.int64), 2).shape == (0,)
