"""``zone_size`` counts the packages that pass some parties' walk-away tests, without enumerating Ω."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.pyramid import zone_size
from accord.model import Case, Interaction, Issue, Party, Preferences
from oracles import all_packages


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n_parties = draw(st.integers(2, 3))
    sizes = [draw(st.integers(1, 4)) for _ in range(draw(st.integers(1, 4)))]
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    prefs = []
    for _ in range(n_parties):
        scores = tuple(tuple(float(draw(st.integers(-5, 9))) for _ in range(s)) for s in sizes)
        terms: tuple[Interaction, ...] = ()
        if len(sizes) >= 2 and draw(st.booleans()):
            terms = (Interaction(((0, frozenset({0})), (1, frozenset({0}))), float(draw(st.integers(-6, 6)))),)
        cap = float(draw(st.integers(0, 20))) if draw(st.booleans()) else None
        prefs.append(Preferences(scores, terms, cap))
    parties = tuple(Party(f"P{i}", batna=float(draw(st.integers(-5, 15)))) for i in range(n_parties))
    return Case("random", issues, parties, tuple(prefs))


@settings(max_examples=80)
@given(cases(), st.data())
def test_zone_size_equals_brute_force(case: Case, data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.sampled_from(case.party_names), min_size=1, unique=True))
    u = case.utilities(all_packages(case))
    idx = [case.party_index(p) for p in chosen]
    expected = int(np.all(u[:, idx] >= case.batnas[idx][None, :] - 1e-9, axis=1).sum())
    assert zone_size(case, parties=chosen) == expected
    everyone = int(np.all(u >= case.batnas[None, :] - 1e-9, axis=1).sum())
    assert zone_size(case) == everyone


def test_limit_gives_none_not_a_wrong_count() -> None:
    case = Case.from_tables("t", {"a": [str(i) for i in range(10)], "b": [str(i) for i in range(10)]},
                            {"A": {"a": list(range(10)), "b": list(range(10))},
                             "B": {"a": list(range(10)), "b": list(range(10))}})
    assert zone_size(case) == 100
    assert zone_size(case, limit=50) is None
