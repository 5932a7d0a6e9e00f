"""Win-win potential: each telltale sign against numbers computed directly from the case."""

from __future__ import annotations

import re
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.bargaining import compromise_package
from accord.analysis.potential import win_win_potential
from accord.model import Case


@st.composite
def small_cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(2, 3))
    m = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(m)]
    names = ["A", "B", "C"][:n]
    issues = {f"i{k}": [f"o{o}" for o in range(sizes[k])] for k in range(m)}
    points = {p: {f"i{k}": [draw(st.integers(0, 6)) for _ in range(sizes[k])] for k in range(m)} for p in names}
    batnas = {p: draw(st.integers(0, 10)) for p in names}
    return Case.from_tables("random", issues, points, batnas=batnas, shared_scales=draw(st.booleans()))


def brute(case: Case) -> tuple[np.ndarray, np.ndarray]:
    pk = np.array(list(product(*[range(s) for s in case.sizes])), dtype=np.int64)
    return pk, case.utilities(pk)


@settings(max_examples=150)
@given(case=small_cases())
def test_pie_and_signs_match_brute_force(case: Case) -> None:
    pot = win_win_potential(case)
    _, u = brute(case)
    b = np.asarray(case.batnas)
    span = u.max(axis=0) - b
    joint = u.sum(axis=1) if case.shared_scales else np.where(span > 0, (u - b) / np.where(span > 0, span, 1),
                                                                0).sum(axis=1)
    comp = compromise_package(case)
    uc = case.utilities([comp])[0]
    even = uc.sum() if case.shared_scales else float(np.where(span > 0, (uc - b) / np.where(span > 0, span, 1),
                                                              0).sum())
    assert pot.max_joint_value == pytest.approx(float(joint.max()))
    assert pot.even_split_value == pytest.approx(float(even))
    assert pot.even_split_package == case.labels(comp)
    assert pot.even_split_rational == bool(np.all(uc >= b))
    # Distinct frontier points that dominate the compromise, by enumeration.
    dominating = {tuple(r) for r in u if np.all(r >= uc) and np.any(r > uc)}
    undominated = {r for r in dominating
                   if not any(all(x >= y for x, y in zip(o, r, strict=True)) and o != r for o in dominating)}
    assert pot.even_split_dominated_by == len(undominated)
    pie = pot.sign("pie_larger_than_even_split")
    assert pie.present == (float(joint.max()) - float(even) > 1e-9 * max(1.0, abs(float(joint.max()))))
    staked = [k for k in range(case.n_issues) if np.ptp(case.scores[k], axis=1).max() > 0]
    assert pot.sign("several_issues").present == (len(staked) >= 2)
    for q, p in enumerate(case.party_names):
        assert pot.frontier_spread[p][1] == u[:, q].max()
    assert pot.score == sum(s.present for s in pot.signs)
    assert all(isinstance(a, str) and a for a in pot.advice)


def test_job_offer_like_case() -> None:
    case = Case.from_tables(
        "Job offer",
        {"salary": ["90k", "95k", "100k"], "start": ["June", "July", "August"], "training": ["no", "yes"]},
        {"candidate": {"salary": [0, 1000, 2000], "start": [0, 300, 600], "training": [0, 500]},
         "employer": {"salary": [2000, 1000, 0], "start": [1600, 800, 0], "training": [0, 300]}},
        batnas={"candidate": 1200, "employer": 0}, shared_scales=True)
    pot = win_win_potential(case)
    # Compromise: 95k, July, yes → candidate 1000 + 300 + 500, employer 1000 + 800 + 300: joint 3900.
    assert pot.even_split_utilities == {"candidate": 1800.0, "employer": 2100.0}
    assert pot.even_split_value == 3900.0
    # Best joint: salary is fixed-sum (2000), June gives 1600, yes gives 800: 4400.
    assert pot.max_joint_value == 4400.0
    compat = pot.sign("compatible_issues")
    assert compat.present
    assert compat.evidence["issues"] == [{"issue": "training", "options": ["yes"], "joint_value_at_best": 800.0,
                                          "worst_joint_value": 0.0, "lost_if_missed": 800.0,
                                          "joint_scale": "points"}]
    varies = pot.sign("joint_value_varies").evidence["issues"]
    assert [v["issue"] for v in varies] == ["start", "training"]
    assert varies[0]["spread"] == 1000.0 and varies[0]["best_option"] == "June"
    prio = pot.sign("different_priorities")
    # salary and start have different priorities, but from the compromise (95k, July) giving each side its way
    # (100k, June) costs the employer 200 points, and no other move pays both: no trade may be advised.
    assert not prio.present and prio.evidence["logrolling_pairs"] == 1
    assert prio.evidence["trades"] == 0 and prio.evidence["best_trades"] == []
    assert "no two-issue trade leaves every party strictly better off" in prio.text
    text = " ".join(pot.advice)
    assert "Trade salary against start" not in text and "-200" not in text
    assert "No trade leaves both sides strictly better off than the compromise package" in text
    assert "Settle training at yes" in text and "800 joint points" in text
    assert "3,900" in text and "4,400" in text
    assert "salary is win-lose" in text
    assert "Nash point" in text


def test_single_issue_and_empty_zone_advice() -> None:
    case = Case.from_tables("Haggle", {"price": ["10", "20", "30"]},
                            {"buyer": {"price": [20, 10, 0]}, "seller": {"price": [0, 10, 20]}},
                            batnas={"buyer": 15, "seller": 15}, shared_scales=True)
    pot = win_win_potential(case)
    assert not pot.sign("several_issues").present
    assert not pot.sign("different_priorities").present
    assert not pot.sign("pie_larger_than_even_split").present
    assert pot.score == 0
    text = " ".join(pot.advice)
    assert "No deal is possible" in text and "no single package does it for all at once" in text
    assert "unbundle it" in text
    assert "Nash" not in text


def test_party_whose_batna_beats_every_package() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
                            {"A": {"a": [0, 3], "b": [0, 1]}, "B": {"a": [1, 0], "b": [0, 5]}},
                            batnas={"A": 5, "B": 0}, shared_scales=True)
    pot = win_win_potential(case)
    assert "A (BATNA 5, best possible 4) cannot reach its BATNA" in pot.advice[0]


def test_compromise_and_literal_middle_are_reported_separately() -> None:
    """'Splitting every issue down the middle' names the package it used: the compromise (max-min of the
    per-issue normalised scores) and, for ordered issues, the literal middle option, reported apart."""
    from accord.model import Issue, Party, Preferences

    # days 0..4: A's points rise steeply then flatten, B's fall linearly, so the compromise is 1 day, while the
    # literal middle is 2 days; `car` is categorical and has no middle (its compromise option is kept).
    case = Case("t", (Issue.integer_range("days", 0, 4), Issue.categorical("car", ["no", "yes"])),
                (Party("A"), Party("B")),
                (Preferences(((0.0, 9.0, 10.0, 11.0, 12.0), (0.0, 3.0))),
                 Preferences(((12.0, 9.0, 6.0, 3.0, 0.0), (2.0, 0.0)))), shared_scales=True)
    pot = win_win_potential(case)
    assert pot.even_split_package == {"days": "1", "car": "no"}
    assert pot.middle_package == {"days": "2", "car": "no"} and pot.middle_issues == ("days",)
    assert pot.middle_utilities == {"A": 10.0, "B": 8.0} and pot.middle_value == 18.0
    d = pot.to_dict()
    assert d["middle"]["package"] == {"days": "2", "car": "no"} and d["middle"]["ordered_issues"] == ["days"]
    text = pot.sign("pie_larger_than_even_split").text
    assert "the compromise package (on each issue the option whose worse-off party is best off: days=1, car=no)" \
        in text
    assert "the literal middle of every ordered issue (days=2, car=no) gives 18" in text
    assert "splitting every issue down the middle gives" not in " ".join([text, *pot.advice])


def test_level_two_has_one_name_everywhere() -> None:
    from pathlib import Path

    from accord.analysis.pyramid import LEVEL_NAMES

    assert LEVEL_NAMES[2] == "better than compromise"
    root = Path(__file__).resolve().parents[2]
    for folder in ("src", "docs"):
        for path in (root / folder).rglob("*"):
            if path.suffix in {".py", ".md", ".html", ".j2"}:
                text = path.read_text(encoding="utf-8")
                assert "better than other feasible" not in text, path
                # level 2 is defined by the compromise package, not by "splitting down the middle" (the literal
                # middle can differ from it: see docs/concepts.md, "The pyramid")
                flat = " ".join(text.split())
                assert not re.search(r"down the middle \(level 2\)", flat), path
