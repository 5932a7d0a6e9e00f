from __future__ import annotations

import numpy as np
import pytest

from accord.errors import CaseError, RequestError
from accord.model import Case, Interaction, Issue, Party, Preferences


def _case() -> Case:
    return Case.from_tables(
        "t",
        {"a": ["x", "y", "z"], "b": ["p", "q"]},
        {"A": {"a": [0, 1, 2], "b": [5, 0]}, "B": {"a": [2, 1, 0], "b": [0, 3]}},
        batnas={"A": 1, "B": 2},
    )


def test_score_tables_and_utilities() -> None:
    case = _case()
    assert case.scores[0].shape == (2, 3)
    assert case.score_array().shape == (2, 2, 3)
    assert np.isnan(case.score_array()[0, 1, 2])
    u = case.utilities(np.array([[2, 0], [0, 1]]))
    assert u.tolist() == [[7.0, 0.0], [0.0, 5.0]]
    assert case.space_size == 6
    assert case.batnas.tolist() == [1.0, 2.0]


def test_interaction_and_cap() -> None:
    issues = (Issue.categorical("a", ["x", "y"]), Issue.integer_range("n", 0, 2))
    t = Interaction(((0, frozenset({1})), (1, frozenset({1, 2}))), 10.0)
    prefs = Preferences(((0.0, 1.0), (0.0, 1.0, 2.0)), (t,), cap=12.0)
    case = Case("t", issues, (Party("A"), Party("B")), (prefs, Preferences(((1.0, 0.0), (0.0, 0.0, 0.0)))))
    assert not case.additive
    u = case.utilities(np.array([[1, 2], [1, 1], [0, 2], [1, 0]]))[:, 0]
    assert u.tolist() == [12.0, 12.0, 2.0, 1.0]


def test_package_errors() -> None:
    case = _case()
    with pytest.raises(RequestError, match="no option 'w'"):
        case.package({"a": "w", "b": "p"})
    with pytest.raises(RequestError, match="gives no option for b"):
        case.package("a=x")
    with pytest.raises(RequestError, match="unknown issue 'c'"):
        case.package("a=x,b=p,c=1")
    assert case.labels(case.package("a=y,b=q")) == {"a": "y", "b": "q"}


def test_duplicate_names() -> None:
    with pytest.raises(CaseError, match="defined twice"):
        Case("t", (Issue.categorical("a", ["x"]), Issue.categorical("a", ["y"])), (Party("A"), Party("B")),
             (Preferences(((0.0,), (0.0,))), Preferences(((0.0,), (0.0,)))))


def test_real_grid() -> None:
    issue = Issue.real_interval("price", 10, 20, grid=3)
    assert issue.options == ("10", "15", "20")
    assert issue.index(15.0) == 1
