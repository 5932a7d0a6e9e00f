"""Tests written against mutants that survived `scripts/mutation.sh` (see docs/testing.md), and for two MESO
defects found alongside: ``best_for`` of mixture and variant offers, and the 0/1 programme's tie rule.

Each checks a documented behaviour against an independent expectation: enumeration through ``Case.utilities``
(``tests/oracles.py``) or a value worked out by hand in a comment.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.errors import RequestError
from accord.model import Case, Issue, Party, Preferences
from accord.tactics import meso
from accord.tactics.meso import Belief, meso_set
from oracles import all_packages, hypothesis_points, meso_oracle

Problem = tuple[Case, Belief, float]


def _problem(ta: list[list[int]], tb: list[list[int]], tables: list[list[list[int]]], probs: list[float],
             level: float) -> Problem:
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(len(t))]) for k, t in enumerate(ta))
    prefs = tuple(Preferences(tuple(tuple(float(x) for x in t) for t in side)) for side in (ta, tb))
    case = Case("t", issues, (Party("A"), Party("B")), prefs)
    names = [f"h{h}" for h in range(len(probs))]
    belief = Belief.from_tables("B", case.issue_names, [i.options for i in case.issues],
                                [np.asarray(t, dtype=float) for t in tables], names, probs)
    return case, belief, level


def _scaled_tables(case: Case, belief: Belief) -> list[np.ndarray]:
    """The hypotheses' tables scaled so each hypothesis's worst package is 0 and its best 1 (docs/concepts.md),
    recomputed by enumeration."""
    tables = [np.asarray(t, dtype=float) for t in belief.tables]
    raw = hypothesis_points(case, tables, all_packages(case))
    span = raw.max(axis=0) - raw.min(axis=0)
    return [np.where(span[:, None] > 0, (t - t.min(axis=1, keepdims=True)) / np.where(span[:, None] > 0,
            span[:, None], 1.0), 0.0) for t in tables]


@st.composite
def tie_problems(draw: st.DrawFn) -> Problem:
    """Small two-party cases whose belief tables take only 0 and 1 (so hypotheses tie on many packages, and
    believed means tie too) and a wide band."""
    sizes = [draw(st.integers(2, 4)) for _ in range(3)]
    ta = [[draw(st.integers(0, 2)) for _ in range(s)] for s in sizes]
    tb = [[draw(st.integers(0, 2)) for _ in range(s)] for s in sizes]
    n_h = draw(st.integers(2, 3))
    tables = [[[draw(st.integers(0, 1)) for _ in range(s)] for _ in range(n_h)] for s in sizes]
    return _problem(ta, tb, tables, [1.0 / n_h] * n_h, draw(st.sampled_from([0.3, 0.5, 0.7])))


# h0 and h1 tie on several packages with equal believed means: the tie rule picks the first, (o0, o1, o3);
# the 0/1 programme used to serve (o1, o1, o3), whichever HiGHS returned
_TIE_EXAMPLE = _problem([[1, 0], [0, 2], [2, 1, 0, 1]], [[0, 1], [2, 0], [1, 1, 0, 2]],
                        [[[0, 0], [1, 1]], [[0, 0], [0, 1]], [[1, 0, 0, 1], [0, 0, 1, 1]]], [0.5, 0.5], 0.5)


@given(tie_problems())
@example(_TIE_EXAMPLE)
@settings(max_examples=25)
def test_integer_programme_applies_the_whole_tie_rule(problem: Problem) -> None:
    """Per hypothesis: argmax U_h, ties to the larger believed mean, THEN THE FIRST PACKAGE — on the 0/1
    programme path too (compared with the oracle's enumeration, not with the engine's)."""
    case, belief, level = problem
    want = meso_oracle(case, 0, level, 0.3, _scaled_tables(case, belief), np.asarray(belief.probabilities))
    if any(p is None for p in want.best_for):
        return
    distinct = list(dict.fromkeys(want.best_for))
    expected = {belief.names[want.best_for.index(p)]: p for p in distinct}
    with pytest.MonkeyPatch.context() as m:
        m.setattr(meso, "ENUMERATION_LIMIT", 0)
        try:
            s = meso_set(case, "A", level=level, count=len(distinct), tolerance=0.3, belief=belief)
        except RequestError:
            ua = case.utilities(all_packages(case))[:, 0]
            assert ua.max() <= case.batnas[0]
            return
    assert s.method.startswith("exact 0/1 programme")
    assert {o.serves: o.package_index for o in s.offers} == expected


def _check_best_for(case: Case, belief: Belief, level: float, count: int, tolerance: float) -> list[str]:
    """Every offer's ``best_for`` is exactly the hypotheses it is (tied) best for in the band; returns the
    kinds of offer seen."""
    s = meso_set(case, "A", level=level, count=count, tolerance=tolerance, belief=belief)
    want = meso_oracle(case, 0, level, tolerance, _scaled_tables(case, belief), np.asarray(belief.probabilities))
    scaled = _scaled_tables(case, belief)
    u_in = hypothesis_points(case, scaled, want.inside)
    for o in s.offers:
        mine = hypothesis_points(case, scaled, np.asarray([o.package_index]))[0]
        assert set(o.best_for) == {belief.names[h] for h in range(belief.size)
                                   if mine[h] >= u_in[:, h].max() - 1e-9}, (o.serves, o.package_index)
    return [o.serves for o in s.offers]


def _variant_tie() -> Problem:
    """A's band at level 0.5 holds (o0, o0) and (o1, o1) (A scores 1 for each matching o1). h0 scores both 1
    (a tie), h1 prefers (o1, o1): both hypotheses pick (o1, o1), so a second offer is a variant — (o0, o0),
    which is still tied best for h0, so its best_for is ("h0",)."""
    return _problem([[0, 1], [1, 0]], [[1, 0], [0, 1]], [[[0, 1], [0, 1]], [[1, 0], [0, 1]]], [0.5, 0.5], 0.5)


@pytest.mark.parametrize("enumerate_limit", [None, 0])
def test_variant_offer_lists_the_hypothesis_it_is_tied_best_for(enumerate_limit: int | None) -> None:
    case, belief, level = _variant_tie()
    with pytest.MonkeyPatch.context() as m:
        if enumerate_limit is not None:
            m.setattr(meso, "ENUMERATION_LIMIT", enumerate_limit)
        s = meso_set(case, "A", level=level, count=2, tolerance=0.05, belief=belief)
    got = {o.package_index: (o.serves, set(o.best_for)) for o in s.offers}
    assert got[(1, 1)] == ("h0", {"h0", "h1"})
    assert got[(0, 0)][0].startswith("variant") or got[(0, 0)][0].startswith("mixture")
    assert got[(0, 0)][1] == {"h0"}


@given(tie_problems(), st.integers(2, 5))
@example(_variant_tie(), 2)
@settings(max_examples=25)
def test_best_for_is_right_on_every_offer(problem: Problem, count: int) -> None:
    """Mixture and variant offers too (the docstring: "every hypothesis it is best for")."""
    case, belief, level = problem
    try:
        _check_best_for(case, belief, level, count, 0.3)
    except RequestError:
        return


def test_mixture_names_show_the_two_largest_weights() -> None:
    """A mixture offer's name gives the two hypotheses with the largest Dirichlet weights (three hypotheses,
    so listing a third would be wrong)."""
    rng = np.random.default_rng(7)
    belief = _problem([[0, 1]], [[1, 0]], [[[0, 1], [1, 0], [1, 1]]], [0.2, 0.3, 0.5], 0.5)[1]
    alphas, names = meso._mixtures(belief, np.random.default_rng(7), 6)
    assert np.allclose(alphas, rng.dirichlet(np.ones(3), size=6))
    for al, name in zip(alphas, names, strict=True):
        shown = re.findall(r"([0-9.]+)·(h[0-9])", name)
        assert name.startswith("mixture ")
        assert [h for _, h in shown] == [f"h{h}" for h in np.argsort(-al)[:2]]
        assert [float(w) for w, _ in shown] == pytest.approx(sorted(al)[::-1][:2], abs=0.005)


def test_default_level_snaps_to_the_nearest_achievable_gain_with_a_batna() -> None:
    """No level asked for and nothing worth g = 0.8 ± 0.02 (0/1 programme path): the nearest achievable level.
    A scores 0/4 and 0/6, BATNA 1: u_A ∈ {0, 4, 6, 10}, span 10 − 1 = 9, so g ∈ {−1/9, 3/9, 5/9, 1}; the
    nearest to 0.8 are 5/9 (0.244 away) and 1 (0.2 away): g = 1, the package (o1, o1)."""
    case = Case.from_tables("t", {"x": ["a", "b"], "y": ["c", "d"]},
                            {"A": {"x": [0, 4], "y": [0, 6]}, "B": {"x": [4, 0], "y": [6, 0]}},
                            batnas={"A": 1, "B": 0})
    belief = Belief.from_tables("B", case.issue_names, [i.options for i in case.issues],
                                [np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])], ["h0"], [1.0])
    with pytest.MonkeyPatch.context() as m:
        m.setattr(meso, "ENUMERATION_LIMIT", 0)
        s = meso_set(case, "A", count=1, belief=belief)
    assert s.level == pytest.approx(1.0)
    assert [o.package_index for o in s.offers] == [(1, 1)]
    assert any("used the nearest achievable level g = 1" in n for n in s.notes), s.notes
