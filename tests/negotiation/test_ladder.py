"""Offer ladders against brute force: every distinct own utility, the (own, proxy) skyline, thinning bounds."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.negotiation.ladder import build_ladder


def tables(draw: st.DrawFn, m: int, d: int, real: bool) -> list[np.ndarray]:
    # real points on a 0.001 grid: distinct sums differ by far more than the 1e-9 tie window
    elem = st.integers(0, 10_000).map(lambda x: x / 1000) if real else st.integers(0, 6)
    return [np.asarray(draw(st.lists(elem, min_size=d, max_size=d)), dtype=float) for _ in range(m)]


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[np.ndarray], list[np.ndarray], float]:
    m = draw(st.integers(1, 4))
    d = draw(st.integers(1, 4))
    real = draw(st.booleans())
    own = tables(draw, m, d, real)
    proxy = tables(draw, m, d, real)
    floor = draw(st.integers(0, 20_000)) / 1000 + 0.0005  # never exactly on a sum
    return own, proxy, floor


Problem = tuple[list[np.ndarray], list[np.ndarray], float]


def brute(own: list[np.ndarray], proxy: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pk = np.array(list(itertools.product(*[range(len(a)) for a in own])))
    u = sum(a[pk[:, k]] for k, a in enumerate(own))
    v = sum(a[pk[:, k]] for k, a in enumerate(proxy))
    return pk, np.asarray(u), np.asarray(v)


@given(problems())
@settings(max_examples=150, deadline=None)
def test_own_ladder_is_every_distinct_utility_above_the_floor(p: Problem) -> None:
    own, _, floor = p
    lad = build_ladder(own, floor=floor)
    _, u, _ = brute(own, own)
    expected = np.unique(np.round(u[u >= floor - 1e-9], 9))
    if expected.size == 0:
        expected = np.array([round(float(u.max()), 9)])
    assert lad.exact
    assert np.allclose(np.round(lad.utilities, 9), expected)
    # each rung's package really has that utility
    assert np.allclose(sum(a[lad.packages[:, k]] for k, a in enumerate(own)), lad.utilities)
    # nearest above: the smallest achievable utility ≥ target
    for t in np.linspace(u.min() - 1, u.max(), 7):
        i = lad.at_least(np.array([t]))[0]
        above = expected[expected >= t - 1e-9]
        if above.size:
            assert abs(lad.utilities[i] - above.min()) < 1e-7


@given(problems())
@settings(max_examples=150, deadline=None)
def test_proxy_ladder_is_the_two_dimensional_frontier(p: Problem) -> None:
    own, proxy, _ = p
    lad = build_ladder(own, proxy)
    _, u, v = brute(own, proxy)
    pts = {(round(float(a), 7), round(float(b), 7)) for a, b in zip(u, v, strict=True)}
    front = {q for q in pts if not any(r[0] >= q[0] and r[1] >= q[1] and r != q for r in pts)}
    got = {(round(float(a), 7), round(float(b), 7)) for a, b in zip(lad.utilities, lad.proxy, strict=True)}
    assert got == front
    assert np.all(np.diff(lad.utilities) > 0)


def test_thinning_keeps_the_ladder_bounded_and_states_its_resolution() -> None:
    rng = np.random.default_rng(3)
    own = [rng.random(10) * 100 for _ in range(12)]  # 10^12 packages, real points: all sums distinct
    lad = build_ladder(own, limit=512)
    assert not lad.exact and 0 < lad.resolution < 12 * 1200 / 512
    assert len(lad) <= 2 * 512
    assert abs(lad.best - sum(float(a.max()) for a in own)) < 1e-9  # the opening offer survives thinning
    assert np.allclose(sum(a[lad.packages[:, k]] for k, a in enumerate(own)), lad.utilities)


def test_interaction_terms_are_ranked_by_true_utility() -> None:
    import itertools

    from accord.model import Case, Interaction, Issue, Party, Preferences
    from accord.negotiation.view import private_views

    issues = tuple(Issue.categorical(f"i{k}", ["a", "b", "c"]) for k in range(3))
    zero = tuple((0.0, 0.0, 0.0) for _ in range(3))
    terms = (Interaction(((0, frozenset({1})), (1, frozenset({2}))), 5.0),
             Interaction(((1, frozenset({0, 1})), (2, frozenset({2}))), 3.0))
    # A's points come only from interaction terms (a GENIUS hyper-rectangle profile)
    case = Case("t", issues, (Party("A", batna=1.0), Party("B")),
                (Preferences(zero, terms), Preferences(((1.0, 0.0, 0.0),) * 3)))
    lad = private_views(case)["A"].ladder()
    pk = np.array(list(itertools.product(range(3), repeat=3)))
    u = case.preferences[0].utilities(pk)
    assert lad.exact and np.allclose(lad.utilities, sorted(set(u[u >= 1.0].tolist())))
    assert np.allclose(case.preferences[0].utilities(lad.packages), lad.utilities)
