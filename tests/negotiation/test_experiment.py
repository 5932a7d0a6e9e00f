"""The experiment's statistics and the per-negotiation measures."""

from __future__ import annotations

import numpy as np

from accord.model import Case
from accord.negotiation.experiment import _compare, bootstrap_ci, mixed_case
from accord.negotiation.measures import Measurer


def test_verdicts_follow_the_interval() -> None:
    up = list(np.linspace(0.1, 0.3, 50))
    zero = [0.0] * 50
    assert _compare("m", "higher", up, zero, 0).verdict == "supported"
    assert _compare("m", "lower", up, zero, 0).verdict == "contradicted"
    assert _compare("m", "higher", zero, up, 0).verdict == "contradicted"
    noisy = list(np.random.default_rng(0).normal(0, 1, 40))
    assert _compare("m", "higher", noisy, [0.0] * 40, 0).verdict == "not shown"
    m, lo, hi = bootstrap_ci(noisy)
    assert lo < m < hi and abs(m - float(np.mean(noisy))) < 1e-12


def test_mixed_cases_vary_with_the_seed_and_keep_two_parties() -> None:
    a, b = mixed_case(1, distributive=2, integrative=2, compatible=1), mixed_case(2)
    assert a.n_parties == b.n_parties == 2 and a.n_issues == 5 and a.shared_scales
    assert a.preferences != mixed_case(3, distributive=2, integrative=2, compatible=1).preferences


def test_measures_count_lose_lose_and_treat_impasse() -> None:
    case = Case.from_tables("t", {"price": ["lo", "hi"], "colour": ["red", "blue"]},
                            {"A": {"price": [0, 10], "colour": [0, 5]}, "B": {"price": [10, 0], "colour": [0, 3]}},
                            batnas={"A": 1, "B": 1}, shared_scales=True)
    m = Measurer(case)
    good, bad, none = m.measure([(1, 1), (1, 0), None])
    assert good.lose_lose == 0 and bad.lose_lose == 1  # both prefer blue
    assert good.pareto_optimal and not bad.pareto_optimal and good.level == 3
    assert not none.agreement and none.level is None and none.utilities == {"A": 1.0, "B": 1.0}
    assert none.lose_lose is None and not none.pareto_optimal
    assert abs(sum(good.shares.values()) - 1) < 1e-12
