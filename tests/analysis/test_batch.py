"""Batch evaluation on a hand-made class of agreements whose answers are worked out by hand below."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.batch import compatible_issues, evaluate_batch
from accord.analysis.pyramid import evaluate
from accord.errors import RequestError
from accord.io.agreements import parse_agreements
from accord.model import Case
from oracles import purchase_case

# A purchase negotiated by eight pairs of a class. Points (shared scale):
#   price     low / mid / high : buyer 40 / 20 / 0,  seller 0 / 20 / 40   (distributive)
#   delivery  slow / fast      : buyer 0 / 30,       seller 10 / 0        (integrative: buyer cares more)
#   warranty  short / long     : buyer 0 / 10,       seller 0 / 5         (compatible: long is best for both)
# BATNAs: 20 each.
#
# The twelve packages (buyer, seller):
#   low  slow short (40,10)  low  slow long (50,15)  low  fast short (70, 0)  low  fast long (80, 5)
#   mid  slow short (20,30)  mid  slow long (30,35)  mid  fast short (50,20)  mid  fast long (60,25)
#   high slow short ( 0,50)  high slow long (10,55)  high fast short (30,40)  high fast long (40,45)
# Frontier: (80,5) (60,25) (40,45) (10,55). Largest joint value: 85.
# Compromise package: price mid (min e = 0.5), delivery: both options have min e = 0 and Σ e = 1, so the
# first (slow), warranty long → mid slow long = (30,35).
CSV = """pair,price,delivery,warranty
A,mid,fast,long
B,high,fast,long
C,mid,slow,long
D,high,slow,long
E,mid,fast,short
F,high,fast,short
G,low,fast,long
H,low,slow,short
"""


def test_rows_match_the_hand_computation() -> None:
    case = purchase_case()
    table = parse_agreements(CSV, case, file="class.csv")
    assert table.ids == ("A", "B", "C", "D", "E", "F", "G", "H")
    assert table.rows == (2, 3, 4, 5, 6, 7, 8, 9)
    batch = evaluate_batch(case, table.packages, ids=table.ids)
    res = batch.result
    # utilities read off the table above
    assert res.utilities.tolist() == [[60, 25], [40, 45], [30, 35], [10, 55], [50, 20], [30, 40], [80, 5], [40, 10]]
    # A, B on the frontier and rational → 3; C equals the compromise (does not dominate it), dominated by
    # (40,45) → 1; D (10,55): buyer 10 < 20 → 0; E (50,20) rational (20 ≥ 20), dominated by (60,25), does
    # not dominate (30,35) → 1; F (30,40) dominates (30,35), dominated by (40,45) → 2; G (80,5): seller
    # 5 < 20 → 0; H (40,10): seller 10 < 20 → 0.
    assert res.levels.tolist() == [3, 3, 1, 0, 1, 2, 0, 0]
    assert res.pareto_optimal.tolist() == [True, True, False, True, False, False, True, False]
    # value left: C → (40,45) − (30,35) = (10,10); E → (60,25) − (50,20) = (10,5); F → (40,45) − (30,40)
    # = (10,5); H: (60,25) and (40,45) both add 35 jointly; the even split (20,15) beats (0,35).
    assert res.value_left.tolist() == [[0, 0], [0, 0], [10, 10], [0, 0], [10, 5], [10, 5], [0, 0], [20, 15]]
    assert res.joint_gain.tolist() == [0, 0, 20, 0, 15, 15, 0, 35]
    # lose-lose: warranty short (E, F, H)
    assert [c.issue for c in batch.compatible] == ["warranty"]
    assert batch.missed[:, 0].tolist() == [False, False, False, False, True, True, False, True]


def test_aggregates_match_the_hand_computation() -> None:
    case = purchase_case()
    table = parse_agreements(CSV, case)
    agg = evaluate_batch(case, table.packages, ids=table.ids).aggregates()
    assert agg["rows"] == 8
    assert agg["level_counts"] == {"0": 3, "1": 2, "2": 1, "3": 2}
    assert agg["level_shares"] == {"0": 3 / 8, "1": 2 / 8, "2": 1 / 8, "3": 2 / 8}
    assert agg["pareto_optimal_share"] == 4 / 8
    # joint values 85 85 65 65 70 70 85 50 → 575 / 8
    assert agg["mean_joint_value"] == 575 / 8
    assert agg["max_joint_value"] == 85
    assert agg["joint_value_ratio"] == pytest.approx(575 / 8 / 85)
    assert agg["at_max_joint_share"] == 3 / 8
    assert agg["mean_value_left_joint"] == (20 + 15 + 15 + 35) / 8
    assert agg["compatible_issues"] == [{"issue": "warranty", "best": ["long"], "missed": 3, "missed_share": 3 / 8}]
    assert agg["lose_lose_rows"] == 3
    assert agg["mean_utilities"] == {"buyer": 340 / 8, "seller": 235 / 8}


def test_each_row_is_what_evaluate_says() -> None:
    case = purchase_case()
    table = parse_agreements(CSV, case)
    batch = evaluate_batch(case, table.packages, ids=table.ids)
    for r, pkg in enumerate(table.packages):
        ev = evaluate(case, tuple(int(x) for x in pkg))
        row = batch.row(r)
        assert row["level"] == ev.level
        assert row["pareto_optimal"] == ev.pareto_optimal
        assert row["value_left"] == ev.value_left
        assert row["distance"] == pytest.approx(ev.distance)
        assert row["nash_optimal"] == ev.nash_optimal


def test_compatible_issues_with_ties_and_indifference() -> None:
    case = Case.from_tables("t", {"a": ["x", "y", "z"], "b": ["p", "q"], "c": ["u", "v"]},
                            {"A": {"a": [1, 1, 0], "b": [0, 0], "c": [1, 0]},
                             "B": {"a": [0, 1, 1], "b": [3, 1], "c": [0, 1]}})
    comp = {c.issue: c.labels for c in compatible_issues(case)}
    # a: argmax {x, y} ∩ {y, z} = {y}; b: A indifferent, so B's best p is best for both; c: opposed
    assert comp == {"a": ("y",), "b": ("p",)}


def test_bad_arrays() -> None:
    case = purchase_case()
    with pytest.raises(RequestError, match="one option index per issue"):
        evaluate_batch(case, np.zeros((2, 2), dtype=int))
    with pytest.raises(RequestError, match="row 2 has an option index out of range"):
        evaluate_batch(case, [[0, 0, 0], [3, 0, 0]])
    with pytest.raises(RequestError, match="1 ids for 2 agreements"):
        evaluate_batch(case, [[0, 0, 0], [1, 0, 0]], ids=["a"])
