"""Contingency-contract (and post-settlement JSON) behaviours that mutation testing found unchecked (see
docs/testing.md, "Mutation testing").

Every expected value is worked out by hand in the test (or recomputed from the case's own numbers), never read
back from the implementation.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest

from accord.model import Case, Event, Party
from accord.tactics.contingency import certainty_equivalent, check_conditions, contingency_contracts
from accord.tactics.settlement import improve


def _case(pa: tuple[float, ...], pb: tuple[float, ...], *, a: tuple[float, float] = (0.0, 0.0),
          cap: tuple[float | None, float | None] = (-100.0, 100.0), **event_kw: object) -> Case:
    """Payer A and payee B, one event with outcomes s0, s1, ...; no exposure, no discounting unless given."""
    base = Case.from_tables("t", {"x": ["a", "b"]}, {"A": {"x": [0, 10]}, "B": {"x": [10, 0]}})
    outcomes = tuple(f"s{i}" for i in range(len(pa)))
    ev = Event("ev", outcomes, (("A", pa), ("B", pb)), cap_low=cap[0], cap_high=cap[1], unit="kEUR",
               **event_kw)  # type: ignore[arg-type]
    parties = (Party("A", risk_aversion=a[0]), Party("B", risk_aversion=a[1]))
    return Case("t", base.issues, parties, base.preferences, events=(ev,))


# -- the risk-neutral tie-break: smallest fixed part, then smallest Σ|t| ------------------------------------------
def test_risk_neutral_optimum_is_the_smallest_in_l1_among_ties() -> None:
    """Risk neutral, no discounting: J(t) = Σ (p_B − p_A)(s) t_s, caps ±100 (see docs/concepts.md).

    p_A = (0.3, 0.1, 0.2, 0.4), p_B = (0.4, 0.0, 0.2, 0.4), so c = p_B − p_A = (0.1, −0.1, 0, 0):
    J is largest at t_0 = 100, t_1 = −100 (J* = 20) whatever t_2, t_3 are. The fixed part is
    f = −Σ w_s t_s with w = (p_A + p_B)/2 = (0.35, 0.05, 0.2, 0.4), i.e. f = −(35 − 5 + 0.2 t_2 + 0.4 t_3);
    the smallest |f| is 0, reached on the line 0.2 t_2 + 0.4 t_3 = −30. On it, the smallest |t_2| + |t_3| puts
    everything on the heavier outcome: t_3 = −75, t_2 = 0 (Σ|t| = 75; e.g. t_2 = −100, t_3 = −25 costs 125).
    Each side then expects 10: A pays E_A[t] = 30 − 10 − 30 = −10 (gains 10), B receives 40 − 0 − 30 = 10.
    """
    case = _case((0.3, 0.1, 0.2, 0.4), (0.4, 0.0, 0.2, 0.4))
    con = contingency_contracts(case).contracts[0]
    assert con.payments.tolist() == pytest.approx([100.0, -100.0, 0.0, -75.0], abs=1e-6)
    assert con.fixed == pytest.approx(0.0, abs=1e-6)
    assert con.gain_money == pytest.approx({"A": 10.0, "B": 10.0}, abs=1e-6)
    assert con.value_created == pytest.approx(20.0, abs=1e-6)
    assert con.wording()[2].endswith("no payment")  # the outcome both weigh alike and lightly carries nothing


def test_the_l1_choice_does_not_depend_on_outcome_order() -> None:
    """Permuting the outcomes permutes the payments (the same hand-worked optimum as above, reversed)."""
    case = _case((0.4, 0.2, 0.1, 0.3), (0.4, 0.2, 0.0, 0.4))
    con = contingency_contracts(case).contracts[0]
    assert con.payments.tolist() == pytest.approx([-75.0, 0.0, -100.0, 100.0], abs=1e-6)


# -- why no contract ---------------------------------------------------------------------------------------------
def test_no_value_reason_does_not_call_a_risk_averse_party_risk_neutral() -> None:
    """Same beliefs, no exposure, A risk averse (a = 0.01), B risk neutral, no caps: J(t) = CE_A(−t) + E[t] ≤ 0
    (Jensen), 0 for a constant t, so no term creates value. The reason names the difference (risk attitudes)
    and must not claim that both parties are risk neutral."""
    case = _case((0.5, 0.5), (0.5, 0.5), a=(0.01, 0.0), cap=(None, None))
    result = contingency_contracts(case)
    assert result.contracts == ()
    reason = result.no_value[0].reason
    assert "risk attitudes" in reason and "no contingent term creates value" in reason
    assert "risk neutral" not in reason


def test_no_value_reason_for_a_time_difference_without_belief_difference() -> None:
    """Different discount rates but the event resolves now (resolves_in = 0) and both risk neutral with the same
    beliefs and exposure: the parties agree on everything a term could use (time only counts for later events)."""
    base = _case((0.5, 0.5), (0.5, 0.5), cap=(None, None))
    parties = (Party("A", discount_rate=0.1), Party("B", discount_rate=0.3))
    case = dataclasses.replace(base, parties=parties)
    reason = contingency_contracts(case).no_value[0].reason
    assert "agree on everything" in reason


# -- the continued-interaction check says when the event resolves -------------------------------------------------
@pytest.mark.parametrize(
    ("kw", "expected"),
    [({}, "the case does not say when it resolves"), ({"resolves_in": 2.0}, "resolves in 2 years"),
     ({"resolves": "end of 2027"}, "resolves end of 2027")],
)
def test_continued_interaction_evidence_says_when_it_resolves(kw: dict[str, object], expected: str) -> None:
    """The evidence a user reads for the fourth condition ends with when the event resolves, or says plainly
    that the case does not say (this sentence is the user-facing contract of the check)."""
    ev = Event("ev", ("lo", "hi"), (("A", (0.5, 0.5)),), continued_interaction=True, **kw)  # type: ignore[arg-type]
    cont = check_conditions(ev)[3]
    assert cont.status == "pass"
    assert cont.evidence == f"the parties keep working together; {expected}"


# -- wording: amounts a billionth of the contract's size are noise -----------------------------------------------
def test_wording_treats_amounts_a_billionth_of_the_largest_payment_as_no_payment() -> None:
    """The plain wording rounds amounts below 1e-9 of the contract's largest amount (fixed part or payment) to
    nothing: with payments of 2·10⁹, a payment of 10⁻³ and a fixed part of 10⁻³ are float noise (a billionth
    of a billionth) and must not read as terms someone pays."""
    con = contingency_contracts(_case((0.3, 0.7), (0.7, 0.3))).contracts[0]
    noisy = dataclasses.replace(con, fixed=1e-3, payments=np.array([2e9, 1e-3]))
    lines = noisy.wording()
    assert len(lines) == 2  # no line for the fixed part
    assert "A pays B 2e+09 kEUR" in lines[0]
    assert lines[1] == "if ev is 's1': no payment"
    # the same small amounts in a small contract are real terms and are written out
    small = dataclasses.replace(con, fixed=1e-3, payments=np.array([2.0, 1e-3]))
    lines = small.wording()
    assert len(lines) == 3 and lines[0].startswith("at signing, A pays B 0.001 kEUR")
    assert lines[2] == "if ev is 's1': A pays B 0.001 kEUR when it is known"


# -- documented JSON fields (docs/tactics.md shows them) ---------------------------------------------------------
def test_differences_json_gives_each_sides_expected_value() -> None:
    """``differences.expected_value`` (a documented JSON field) is Σ_s p_i(s)·v_s under each side's beliefs:
    values (0, 100), A: 0.7·0 + 0.3·100 = 30, B: 0.3·0 + 0.7·100 = 70."""
    case = _case((0.7, 0.3), (0.3, 0.7), values=(0.0, 100.0))
    data = contingency_contracts(case).to_dict()["contracts"][0]["differences"]
    assert data["expected_value"] == pytest.approx({"A": 30.0, "B": 70.0})


def test_improvement_json_gives_the_joint_gain() -> None:
    """``joint_gain`` of each improvement in ``improve``'s JSON (a documented field) is Σ_i (u_i − a_i) on shared
    scales, recomputed here from every package's utilities by enumeration."""
    case = Case.from_tables("t", {"a": ["x", "y", "z"], "b": ["p", "q"]},
                            {"A": {"a": [0, 4, 6], "b": [0, 3]}, "B": {"a": [6, 3, 0], "b": [5, 0]}},
                            shared_scales=True)
    agreement = {"a": "x", "b": "q"}  # A 3, B 6: dominated by (y, p) = A 4, B 8
    u_agree = case.utilities([case.package(agreement)])[0]
    packages = np.array(list(itertools.product(range(3), range(2))))
    u = case.utilities(packages)
    by_labels = {tuple(case.labels(tuple(int(v) for v in row)).values()): u[j] for j, row in enumerate(packages)}
    data = improve(case, agreement).to_dict()
    assert data["improvements"]
    for imp in data["improvements"]:
        expected = float((by_labels[tuple(imp["package"].values())] - u_agree).sum())
        assert imp["joint_gain"] == pytest.approx(expected)


def test_certainty_equivalent_of_a_coin_flip_for_a_risk_averse_holder() -> None:
    """CARA with a = 1 (docs/concepts.md, contingency contracts): a 50/50 lottery over 0 and 1 is worth
    CE = −ln(½ e⁰ + ½ e⁻¹) = ln 2 − ln(1 + e⁻¹) ≈ 0.3799 for sure — less than its mean ½ (risk aversion);
    a = 0 gives the mean itself."""
    ce = certainty_equivalent([0.0, 1.0], [0.5, 0.5], 1.0)
    assert abs(ce - (math.log(2.0) - math.log(1.0 + math.exp(-1.0)))) < 1e-12
    assert certainty_equivalent([0.0, 1.0], [0.5, 0.5], 0.0) == 0.5
