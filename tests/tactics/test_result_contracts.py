"""Contracts of the tactics' results that the property tests do not look at: dictionary keys (what `--json`
prints), the contract's wording (who pays whom, and when), a third party's points beside a contingent term, and
error messages that name what is missing.

Written to kill mutants that survived scripts/mutation.sh (see docs/testing.md); each assertion follows the
documented contract.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from accord.errors import RequestError
from accord.model import Case, Event, Party
from accord.tactics.contingency import contingency_contracts
from accord.tactics.meso import Belief
from accord.tactics.settlement import presettle

_NAME = re.compile(r"[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)?")


def field_keys(value: Any, names: set[str], where: str = "") -> None:
    """Every key of every nested dict is a lower-case field name or a name from the case."""
    if isinstance(value, dict):
        for k, v in value.items():
            assert k in names or _NAME.fullmatch(k), f"{where}: key {k!r}"
            field_keys(v, names, f"{where}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            field_keys(v, names, f"{where}[{i}]")


def job() -> Case:
    return Case.from_tables(
        "job", {"salary": ["90k", "95k", "100k"], "start": ["june", "july", "aug"], "car": ["no", "yes"]},
        {"cand": {"salary": [0, 500, 1000], "start": [0, 100, 200], "car": [0, 300]},
         "firm": {"salary": [200, 100, 0], "start": [1000, 500, 0], "car": [0, 300]}},
        batnas={"cand": 300, "firm": 300}, shared_scales=True)


def test_presettlement_dict_keys_are_field_names() -> None:
    case = job()
    names = {*case.party_names, *case.issue_names, *(o for i in case.issues for o in i.options)}
    result = presettle(case, "car=yes")
    d = result.to_dict()
    field_keys(d, names, "presettle")
    assert d["fixed"] == {"car": "yes"}
    assert d["keeps_max_joint_value"] is True  # every party wants the car: fixing it keeps the best joint value
    for key in ("with", "without"):
        if key in d:
            assert "zone_empty" in d[key]


def money_case(*, fixed_sign: int = 1, years: float = 2.0, third: bool = False) -> Case:
    """Risk-neutral A (payer) and B (payee) with the same beliefs and different discount rates; ``fixed_sign``
    +1 makes B the impatient one (A receives the later payments, so A pays B at signing), −1 the reverse."""
    ra, rb = (0.05, 0.20) if fixed_sign > 0 else (0.20, 0.05)
    tables = {"A": {"x": [0, 10]}, "B": {"x": [10, 0]}}
    if third:
        tables["C"] = {"x": [3, 7]}
    base = Case.from_tables("t", {"x": ["a", "b"]}, tables)
    ev = Event("ev", ("s0", "s1"), (("A", (0.4, 0.6)), ("B", (0.4, 0.6))), cap_low=-100.0, cap_high=100.0,
               resolves_in=years, points_per_unit=(("A", 1.0), ("B", 1.0)), unit="kEUR")
    parties = [Party("A", discount_rate=ra), Party("B", discount_rate=rb)]
    if third:
        parties.append(Party("C"))
    return Case("t", base.issues, tuple(parties), base.preferences, events=(ev,))


def test_wording_says_who_pays_whom_at_signing_and_when() -> None:
    """B impatient: every t_s = −C (B pays A at resolution), so the fixed part f = (d_A + d_B) C / 2 > 0 is paid by
    the payer A to B at signing; A patient lends today and is repaid later."""
    con = contingency_contracts(money_case(fixed_sign=1)).contracts[0]
    assert con.fixed > 0
    words = con.wording()
    assert words[0].startswith("at signing, A pays B ")
    assert all(line.endswith("in 2 years") for line in words[1:])
    assert all(": B pays A " in line for line in words[1:])
    con = contingency_contracts(money_case(fixed_sign=-1)).contracts[0]
    assert con.fixed < 0
    assert con.wording()[0].startswith("at signing, B pays A ")


def test_wording_without_a_delay_says_when_it_is_known() -> None:
    """Different beliefs, no delay: the payments fall due when the event is known."""
    base = Case.from_tables("t", {"x": ["a", "b"]}, {"A": {"x": [0, 10]}, "B": {"x": [10, 0]}})
    ev = Event("ev", ("s0", "s1"), (("A", (0.3, 0.7)), ("B", (0.7, 0.3))), cap_low=-100.0, cap_high=100.0,
               points_per_unit=(("A", 1.0), ("B", 1.0)), unit="kEUR")
    case = Case("t", base.issues, (Party("A"), Party("B")), base.preferences, events=(ev,))
    words = contingency_contracts(case).contracts[0].wording()
    assert all(line.endswith("when it is known") for line in words if line.startswith("if "))


def test_a_third_party_keeps_its_points_beside_the_term() -> None:
    """With a base package, every party's points with the term are its points in the base plus its gain from
    the term; a party outside the term (C) gains nothing."""
    case = money_case(third=True)
    con = contingency_contracts(case, base="x=b").contracts[0]
    assert con.base is not None
    assert con.base["points"] == {"A": 10.0, "B": 0.0, "C": 7.0}
    assert con.base["with_term"]["C"] == 7.0
    for q in ("A", "B"):
        assert con.base["with_term"][q] == pytest.approx(con.base["points"][q] + con.gain_points[q])


def test_a_hand_written_belief_names_the_first_missing_option() -> None:
    case = Case.from_tables("t", {"i0": ["0", "1", "2"], "i1": ["a", "b"]},
                            {"A": {"i0": [0, 1, 2], "i1": [0, 1]}, "B": {"i0": [2, 1, 0], "i1": [1, 0]}})
    with pytest.raises(RequestError) as err:
        Belief.from_dict({"about": "B", "hypotheses": [{"name": "h", "scores": {"i0": {"0": 1}}}]}, case)
    assert "no value for option '1'" in err.value.message
