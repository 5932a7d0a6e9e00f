"""The plan's content, computed in the tactics floor: which belief its offers use, and that they are never
lose-lose (the New Recruit lesson)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from accord.io import load_case
from accord.model import Case, Estimate, Preferences
from accord.report.plan import plan_sections, render_plan_markdown
from accord.tactics.plan import Plan, build_plan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_new_recruit_plan_offers_the_shared_best_and_clears_the_batna() -> None:
    case = load_case(EXAMPLES / "new-recruit.yaml")
    plan = build_plan(case, "recruit")
    assert isinstance(plan, Plan)
    assert plan.belief.startswith("the case file's preferences for recruiter, used as recruit's estimate")
    assert plan.opening is not None and len(plan.opening.offers) == 3
    for o in plan.opening.offers:
        assert o.package["job_assignment"] == "Analytics" and o.package["location"] == "Chicago"
        assert o.utilities["recruiter"] >= case.batna("recruiter")
    assert plan.opening_below_batna == ()
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["offers_and_tradeoffs"]["belief"] == plan.belief
    assert any(plan.belief in n for n in plan.notes)
    md = render_plan_markdown(plan, figures=False)
    assert f"They assume about recruiter: {plan.belief}" in md


def test_fixed_pie_plan_on_request() -> None:
    case = load_case(EXAMPLES / "new-recruit.yaml")
    plan = build_plan(case, "recruit", assume="fixed-pie")
    assert "fixed-pie assumption" in plan.belief
    assert plan.opening is not None
    assert all(o.package["location"] == "Chicago" for o in plan.opening.offers)


def test_offers_estimated_below_the_counterparts_batna_are_flagged() -> None:
    # A's estimate of B: B needs x=1 (worth 5) to reach its BATNA of 4; A's ambitious offers keep x=0
    case = Case.from_tables("w", {"x": ["0", "1"], "y": [str(i) for i in range(6)]},
                            {"A": {"x": [3, 0], "y": [0, 1, 2, 3, 4, 5]}, "B": {"x": [0, 5], "y": [5, 4, 3, 2, 1, 0]}},
                            batnas={"A": 0, "B": 4})
    est = Preferences(((0.0, 5.0), (1.0, 0.8, 0.6, 0.4, 0.2, 0.0)))
    case = Case(case.name, case.issues, case.parties, case.preferences, estimates=(Estimate("A", "B", est),))
    plan = build_plan(case, "A")
    assert plan.opening is not None
    c = plan.view.party_index("B")
    expect = tuple(j for j, o in enumerate(plan.opening.offers, 1)
                   if plan.view.utility(o.package_index)[c] < plan.view.batnas[c])
    assert expect and plan.opening_below_batna == expect
    text = " ".join(b.text for s in plan_sections(plan) for b in s.blocks)
    assert f"Warning: offer(s) {', '.join(map(str, expect))} give B less than its BATNA" in text
    assert np.isfinite(plan.reservation)


def test_short_opening_offers_are_judged_by_the_agreement_rule() -> None:
    # three parties; as A estimates them, B needs x=1 to reach its BATNA and C wants what A wants. Under a
    # quorum of 2 an offer B rejects still passes with A and C; under unanimity or a B veto it cannot
    from accord.analysis.agreement import passes
    from accord.model import AgreementRule

    base = Case.from_tables("w3", {"x": ["0", "1"], "y": [str(i) for i in range(6)]},
                            {"A": {"x": [3, 0], "y": [0, 1, 2, 3, 4, 5]},
                             "B": {"x": [0, 5], "y": [5, 4, 3, 2, 1, 0]},
                             "C": {"x": [3, 0], "y": [0, 1, 2, 3, 4, 5]}}, batnas={"A": 0, "B": 4, "C": 0})
    ests = (Estimate("A", "B", Preferences(((0.0, 5.0), (1.0, 0.8, 0.6, 0.4, 0.2, 0.0)))),
            Estimate("A", "C", Preferences(((3.0, 0.0), (0.0, 1.0, 2.0, 3.0, 4.0, 5.0)))))
    texts = {}
    for key, rule in {"all": None, "quorum": AgreementRule(quorum=2),
                      "veto": AgreementRule(quorum=2, veto=("B",))}.items():
        case = Case(base.name, base.issues, base.parties, base.preferences, estimates=ests,
                    **({} if rule is None else {"agreement": rule}))
        plan = build_plan(case, "A", counterpart="B")
        assert plan.opening is not None and plan.opening_below_batna
        short = plan.opening_below_batna
        util = plan.view.utilities([plan.opening.offers[j - 1].package_index for j in short])
        assert passes(plan.view, util).tolist() == [key == "quorum"] * len(short)
        text = " ".join(b.text for s in plan_sections(plan) for b in s.blocks)
        assert f"Warning: offer(s) {', '.join(map(str, short))} give B less than its BATNA" in text
        assert plan.to_dict()["offers_and_tradeoffs"]["opening_warning"] == plan.opening_warning
        texts[key] = plan.opening_warning
        counted = next(t for t in plan.acceptance if "pass your walk-away test" in t)
        assert ("pass the agreement rule (at least 2 of 3 parties accept" in counted) == (key != "all")
    assert "still pass the agreement rule (at least 2 of 3 parties accept) without B" in texts["quorum"]
    assert "cannot pass" not in texts["quorum"]
    assert "cannot pass" in texts["all"] and "holds a veto" not in texts["all"]
    assert "cannot pass" in texts["veto"] and "B holds a veto" in texts["veto"]


def test_short_offers_that_fail_the_quorum_say_so() -> None:
    # C never accepts (BATNA out of reach), so without B a quorum of 2 is not met: the offer cannot pass
    from accord.analysis.agreement import below_batna_warning
    from accord.model import AgreementRule

    base = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [2, 0]}, "B": {"a": [0, 2]}, "C": {"a": [0, 2]}},
                            batnas={"A": 1, "B": 1, "C": 5})
    case = Case(base.name, base.issues, base.parties, base.preferences, agreement=AgreementRule(quorum=2))
    text = below_batna_warning(case, case.utilities([(0,)]), "B", (1,), basis="here")
    assert text.endswith("offer(s) 1 do not pass the agreement rule (at least 2 of 3 parties accept) without B, so "
                         "they cannot pass")
    assert below_batna_warning(case, case.utilities([(0,)]), "B", (), basis="here") == ""
