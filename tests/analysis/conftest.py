"""Random small cases for the frontier and optimisation tests, bundled with the brute-force frontier oracle.

The oracle itself (``all_packages``, ``brute_frontier``, ``match_points``, ``scale``) lives in ``tests/oracles.py``;
the ``frontier_kit`` fixture hands it out together with the case generators below.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st

from accord.model import Case, Interaction, Issue, Party, Preferences
from oracles import all_packages, brute_frontier, match_points, scale

# -- random cases ---------------------------------------------------------------------------------------------

def _values(draw: st.DrawFn, kind: str, size: int) -> tuple[float, ...]:
    if kind == "integer":
        return tuple(float(x) for x in draw(st.lists(st.integers(0, 3), min_size=size, max_size=size)))
    if kind == "decimal":  # one-place decimals: exact ties whose float sums differ in the last bits
        return tuple(x / 10 for x in draw(st.lists(st.integers(0, 12), min_size=size, max_size=size)))
    # "scaled": two-place decimals times a large or small power of ten (tolerance is relative)
    exp = draw(st.sampled_from([-6, 0, 6]))
    return tuple(x / 100 * 10.0**exp for x in draw(st.lists(st.integers(0, 40), min_size=size, max_size=size)))


@st.composite
def small_cases(draw: st.DrawFn, *, max_parties: int = 4, interactions: bool = True, caps: bool = True,
                max_space: int = 3000) -> Case:
    """Random cases up to ``max_space`` packages: 2–4 parties, ties, zero-stake issues, identical and opposite
    parties, and (optionally) interaction terms and caps."""
    n_parties = draw(st.integers(2, max_parties))
    sizes: list[int] = []
    for _ in range(draw(st.integers(1, 5))):
        s = draw(st.integers(1, 5))
        if int(np.prod([*sizes, s])) > max_space:
            break
        sizes.append(s)
    kind = draw(st.sampled_from(["integer", "integer", "decimal", "scaled"]))
    relation = draw(st.sampled_from(["random", "random", "identical", "opposite"]))
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    zero_stake = draw(st.lists(st.booleans(), min_size=len(sizes), max_size=len(sizes)))
    prefs: list[Preferences] = []
    first: tuple[tuple[float, ...], ...] | None = None
    for i in range(n_parties):
        tables = tuple((0.0,) * s if (zero_stake[k] and draw(st.booleans())) else _values(draw, kind, s)
                       for k, s in enumerate(sizes))
        if first is not None and i == 1 and relation == "identical":
            tables = first
        if first is not None and i == 1 and relation == "opposite":
            tables = tuple(tuple(-x for x in row) for row in first)
        first = first or tables
        terms: list[Interaction] = []
        if interactions and len(sizes) >= 2 and draw(st.booleans()):
            for _ in range(draw(st.integers(1, 4))):
                ks = draw(st.lists(st.integers(0, len(sizes) - 1), min_size=2, max_size=3, unique=True))
                conds = tuple((k, frozenset(draw(st.lists(st.integers(0, sizes[k] - 1), min_size=1,
                                                          max_size=sizes[k], unique=True)))) for k in ks)
                pts = draw(st.integers(-3, 4)) * (1.0 if kind == "integer" else 0.1)
                terms.append(Interaction(conds, float(pts)))
        cap = None
        if caps and draw(st.integers(0, 3)) == 0:
            top = sum(max(r) for r in tables) + sum(max(0.0, t.points) for t in terms)
            cap = float(np.floor(top * draw(st.sampled_from([0.5, 0.7, 0.9]))))
        prefs.append(Preferences(tables, tuple(terms), cap))
    batnas = [draw(st.integers(0, 6)) * (1.0 if kind == "integer" else 0.1) for _ in range(n_parties)]
    parties = tuple(Party(f"P{i}", batna=b) for i, b in enumerate(batnas))
    return Case("random", issues, parties, tuple(prefs), shared_scales=draw(st.booleans()))


def random_additive(n_issues: int, n_options: int, n_parties: int = 2, *, opposed: bool = False,
                    seed: int = 0) -> Case:
    """The benchmark's random cases: Σ_k w_pk · v_pk(option), flat Dirichlet weights, values U[0, 1]; opposed:
    party 2 values 1 − v of party 1 (with its own weights)."""
    rng = np.random.default_rng(seed)
    v = rng.random((n_parties, n_issues, n_options))
    if opposed:
        v[1] = 1 - v[0]
    w = rng.dirichlet(np.ones(n_issues), size=n_parties)
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(n_options)]) for k in range(n_issues))
    prefs = tuple(Preferences(tuple(tuple(w[p, k] * v[p, k]) for k in range(n_issues))) for p in range(n_parties))
    return Case("random", issues, tuple(Party(f"P{p}") for p in range(n_parties)), prefs)


def hyper_rectangles(n_issues: int, n_values: int, rects: int, *, seed: int = 0, cap: float = 1.0) -> Case:
    """A GENIUS-like non-linear case: integer issues, per party ``rects`` hyper-rectangles over 1–4 issues with
    integer utilities 1–99 divided by a "maxutility", utilities capped at 1 (as GENIUS does)."""
    rng = np.random.default_rng(seed)
    issues = tuple(Issue.integer_range(f"c{k}", 0, n_values - 1) for k in range(n_issues))
    prefs = []
    for _ in range(2):
        raw = []
        for _ in range(rects):
            ks = rng.choice(n_issues, size=int(rng.integers(1, min(4, n_issues) + 1)), replace=False)
            conds = []
            for k in sorted(ks):
                lo, hi = sorted(int(x) for x in rng.integers(0, n_values, 2))
                conds.append((int(k), frozenset(range(lo, hi + 1))))
            raw.append((tuple(conds), int(rng.integers(1, 100))))
        top = sum(u for _, u in raw) * 0.45  # like GENIUS's maxutility: below the sum, so the cap can bind
        terms = tuple(Interaction(c, u / top) for c, u in raw)
        prefs.append(Preferences(tuple((0.0,) * n_values for _ in range(n_issues)), terms, cap))
    return Case("rectangles", issues, (Party("A"), Party("B")), tuple(prefs))


@pytest.fixture
def genius_10issues(data_dir):  # type: ignore[no-untyped-def]
    """The ANAC 2014 ``10issues`` scenario (10**10 packages, hyper-rectangles), via the GENIUS importer."""
    genius = pytest.importorskip("accord.io.genius")
    folder = data_dir / "genius" / "genius-xml" / "anac" / "y2014" / "10issues"
    if not folder.exists():
        pytest.skip("the 10issues scenario is not in the shared data")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        case = genius.load_scenario(str(folder / "10issues-domain.xml"),
                                    [str(folder / "profile-1.xml"), str(folder / "profile-2.xml")])
    pareto = [tuple(float(x) for x in line.split(","))
              for line in (folder / "pareto.xml").read_text().splitlines() if "," in line]
    return case, pareto


@pytest.fixture(scope="session")
def frontier_kit():  # type: ignore[no-untyped-def]
    """The helpers above, for the frontier and optimisation tests (draw cases with ``st.data()``)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        small_cases=small_cases, brute_frontier=brute_frontier, match_points=match_points, scale=scale,
        all_packages=all_packages, random_additive=random_additive, hyper_rectangles=hyper_rectangles,
    )
