"""The classroom debrief (:func:`accord.analysis.batch.debrief`): hand-computed figures, party order, impasses,
and a brute-force oracle for the logrolls traded the right way and each role's means."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.batch import MAX_GROUPS, debrief
from accord.analysis.issues import classify_issues
from accord.errors import RequestError
from accord.io.agreements import parse_agreements
from accord.io.casefile import load_case
from accord.model import Case

JOB = "examples/job-offer.yaml"
G1 = {"salary": "84k", "signing_bonus": "10k", "start_date": "1 March", "remote_days": "3",
      "training_budget": "3k", "vacation_days": "27"}
G2 = {"salary": "81k", "signing_bonus": "5k", "start_date": "1 April", "remote_days": "2",
      "training_budget": "1.5k", "vacation_days": "27"}


def _job() -> Case:
    from pathlib import Path

    return load_case(Path(__file__).resolve().parents[2] / JOB)


def test_hand_computed_debrief() -> None:
    case = _job()
    d = debrief(case, [case.package(G1), case.package(G2)], ids=["g1", "g2"], impasses=["g3"], groups=4)
    out = d.to_dict()
    assert (out["groups"], out["submitted"], out["agreements"], out["impasses"]) == (4, 3, 2, 1)
    assert out["levels"] == {"0": 0, "1": 1, "2": 0, "3": 1}
    assert out["mean_joint_value"] == pytest.approx(11125) and out["max_joint_value"] == 11900
    assert out["lose_lose"] == {"training_budget": 0.5}
    share = (2400 / 4100 + 100 / 2550) / 2
    assert out["roles"]["candidate"] == pytest.approx({"mean_points": 5450, "mean_surplus_share": share})
    assert out["roles"]["employer"] == pytest.approx({"mean_points": 5675, "mean_surplus_share": 1 - share})
    traded = {tuple(lr["issues"]): (lr["traded"], lr["share"]) for lr in out["logrolls"]}
    assert traded[("signing_bonus", "start_date")] == (1, 0.5)
    assert traded[("start_date", "vacation_days")] == (0, 0.0)
    assert out["rows"][2] == {**out["rows"][2], "id": "g3", "impasse": True, "level": None}


def test_no_agreement_yet_gives_nulls_not_nans() -> None:
    out = debrief(_job(), [], groups=3).to_dict()
    assert out["submitted"] == 0 and out["mean_joint_value"] is None and out["max_joint_value"] == 11900
    assert out["roles"]["candidate"] == {"mean_points": None, "mean_surplus_share": None}
    assert all(lr["share"] is None for lr in out["logrolls"])


def test_anonymous_rows_have_no_ids() -> None:
    case = _job()
    out = debrief(case, [case.package(G2), case.package(G1)], ids=["Ana & Ben", "Cleo & Dev"]).to_dict(
        anonymous=True)
    assert all("id" not in r for r in out["rows"]) and "Ana" not in str(out)
    assert [r["joint_value"] for r in out["rows"]] == [11900, 10350]  # ordered by value, not by who


def test_party_order_permutes_roles_only() -> None:
    case = _job()
    rev = Case.from_tables(case.name, {i.name: list(i.options) for i in case.issues},
                           {p: {i.name: case.scores[k][j].tolist() for k, i in enumerate(case.issues)}
                            for j, p in reversed(list(enumerate(case.party_names)))},
                           batnas={p: float(b) for p, b in zip(case.party_names, case.batnas, strict=True)},
                           shared_scales=True)
    assert rev.party_names == ("employer", "candidate")
    pk = [case.package(G1), case.package(G2)]
    a, b = debrief(case, pk).to_dict(), debrief(rev, pk).to_dict()
    for role in case.party_names:
        assert a["roles"][role] == pytest.approx(b["roles"][role])
    for key in ("levels", "mean_joint_value", "lose_lose"):
        assert a[key] == b[key]
    assert {tuple(sorted(lr["issues"])): lr["traded"] for lr in a["logrolls"]} == \
        {tuple(sorted(lr["issues"])): lr["traded"] for lr in b["logrolls"]}


def test_bounds_are_checked() -> None:
    case = _job()
    with pytest.raises(RequestError, match="results for 1 groups"):
        debrief(case, [case.package(G1)], impasses=["x"], groups=1)
    with pytest.raises(RequestError, match=f"at most {MAX_GROUPS:,}"):
        debrief(case, [], impasses=["x"] * (MAX_GROUPS + 1))


def test_impasse_rows_in_an_agreements_csv() -> None:
    case = _job()
    text = ("id,salary,signing_bonus,start_date,remote_days,training_budget,vacation_days\n"
            "g1,84k,10k,1 March,3,3k,27\ng2,impasse,,,,,\ng3,impasse,impasse,impasse,impasse,impasse,impasse\n")
    table = parse_agreements(text, case)
    assert table.ids == ("g1",) and table.impasses == ("g2", "g3")
    with pytest.raises(Exception, match="empty cell"):
        parse_agreements(text.replace("g2,impasse,,,,,", "g2,84k,,,,,"), case)


# -- oracle ------------------------------------------------------------------------------------------------------
@st.composite
def _class(draw: st.DrawFn) -> tuple[Case, np.ndarray]:
    sizes = draw(st.lists(st.integers(2, 4), min_size=2, max_size=4))
    tables = {p: {f"i{k}": [float(x) for x in draw(st.lists(st.integers(0, 9), min_size=s, max_size=s))]
                  for k, s in enumerate(sizes)} for p in ("A", "B")}
    case = Case.from_tables("t", {f"i{k}": [f"o{o}" for o in range(s)] for k, s in enumerate(sizes)}, tables,
                            shared_scales=draw(st.booleans()))
    rows = draw(st.lists(st.tuples(*[st.integers(0, s - 1) for s in sizes]), min_size=1, max_size=8))
    return case, np.array(rows, dtype=np.int64)


@settings(max_examples=60, deadline=None)
@given(_class())
def test_debrief_matches_a_row_by_row_oracle(drawn: tuple[Case, Any]) -> None:
    case, rows = drawn
    d = debrief(case, rows)
    pairs = [p for p in classify_issues(case).logrolling if p.both_gain]
    assert [lr.issues for lr in d.logrolls] == [p.issues for p in pairs]
    for j, p in enumerate(pairs):
        for r, row in enumerate(rows):
            ok = True
            for issue, (party, option) in p.gets.items():
                k = case.issue_names.index(issue)
                i = case.party_names.index(party)
                s = case.scores[k][i]
                ok = ok and s[row[k]] >= s[case.issues[k].index(option)] - 1e-9
            assert d.traded[r, j] == ok
    u = np.array([case.utility(case.labels(row)) for row in rows])
    out = d.to_dict()
    for i, p in enumerate(case.party_names):
        assert out["roles"][p]["mean_points"] == pytest.approx(float(u[:, i].mean()))
    shares = [x for x in (out["roles"][p]["mean_surplus_share"] for p in case.party_names) if x is not None]
    assert not shares or sum(shares) == pytest.approx(1.0)
