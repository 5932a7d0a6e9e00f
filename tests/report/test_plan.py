"""The planning document: every step of the framework present, with numbers recomputed independently."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.bargaining import bargaining, compromise_package
from accord.analysis.issues import fmt
from accord.errors import RequestError
from accord.io import load_case
from accord.model import Case
from accord.report.plan import plan_sections, render_plan_html, render_plan_markdown
from accord.tactics.contingency import contingency_contracts
from accord.tactics.logroll import believed_case
from accord.tactics.plan import Plan, build_plan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TITLES = ["Resource assessment", "Assessment of differences", "Offers and trade-offs",
          "Acceptance / rejection decision", "Prolonging negotiation and renegotiation",
          "At the table: what to ask and what to reveal", "Notes"]


@pytest.fixture(scope="module")
def licence() -> Case:
    return load_case(EXAMPLES / "software-licence.yaml")


@pytest.fixture(scope="module")
def vendor_plan(licence: Case) -> Plan:
    return build_plan(licence, "vendor")


@pytest.fixture(scope="module")
def vendor_md(vendor_plan: Plan) -> str:
    return render_plan_markdown(vendor_plan)


@pytest.fixture(scope="module")
def vendor_html(vendor_plan: Plan) -> str:
    return render_plan_html(vendor_plan)


def test_sections_follow_the_framework(vendor_plan: Plan) -> None:
    assert [s.title for s in plan_sections(vendor_plan)] == TITLES


def test_reservation_target_and_contract_match_independent_computations(licence: Case, vendor_plan: Plan) -> None:
    # no estimate by the vendor in this case: the plan works from the file's preferences, and says so
    assert "holds no estimate of yours" in vendor_plan.basis
    assert vendor_plan.reservation == licence.batna("vendor") == 150
    nash = bargaining(licence).solutions["nash"]
    assert vendor_plan.target == pytest.approx(float(nash.utilities[licence.party_index("vendor")]))
    assert vendor_plan.target_package == nash.package
    con = contingency_contracts(licence).contracts[0]
    (mine,) = vendor_plan.contracts
    assert mine.gain_money == pytest.approx(con.gain_money)
    assert np.allclose(mine.payments, con.payments)
    u = licence.utilities(np.indices(licence.sizes).reshape(licence.n_issues, -1).T)
    assert vendor_plan.acceptable_count == int((u[:, 0] >= 150).sum())
    assert vendor_plan.zone_count == int(np.all(u >= licence.batnas, axis=1).sum())


def test_markdown_carries_the_numbers_and_figures(licence: Case, vendor_plan: Plan, vendor_md: str) -> None:
    for title in TITLES:
        assert f"## {title}" in vendor_md
    con = vendor_plan.contracts[0]
    for number in (fmt(vendor_plan.reservation), fmt(vendor_plan.target), f"{con.gain_money['vendor']:+,.2f}",
                   f"{con.value_created:,.2f}", f"{abs(float(con.payments[-1])):,.4g}"):
        assert number in vendor_md, number
    assert "- Can either side steer the outcome? Yes: licensee can influence the outcome" in vendor_md
    assert "it may know more about the outcome than you do" in vendor_md
    assert "It is not new money" in vendor_md and "no_conflict_of_interest" not in vendor_md
    images = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", vendor_md)
    assert len(images) == 3  # priorities, outcome space, contingency
    assert all(base64.b64decode(x).startswith(b"\x89PNG") for x in images)
    assert "https://" not in vendor_md


def test_html_is_self_contained_with_plots(vendor_plan: Plan, vendor_html: str) -> None:
    assert vendor_html.startswith("<!DOCTYPE html>")
    assert "<script src" not in vendor_html and "https://cdn" not in vendor_html
    assert "cdn.plot.ly" not in vendor_html and "cdn.jsdelivr" not in vendor_html
    for key in ("fig-outcome_space", "fig-priorities", "fig-contingency-first_year_sales"):
        assert f'id="{key}"' in vendor_html
    for title in TITLES:
        assert title.replace("/", "/") in vendor_html
    assert fmt(vendor_plan.target) in vendor_html
    assert f"{vendor_plan.contracts[0].gain_money['vendor']:+,.2f}" in vendor_html


def test_questions_and_what_to_reveal(licence: Case, vendor_plan: Plan) -> None:
    questions = " ".join(vendor_plan.questions)
    assert "Which matters more to you" in questions  # priorities differ: ask about them
    assert "What do you expect for first_year_sales" in questions  # expectations differ
    assert "money now or after" in questions  # time preferences differ
    assert "term_years" in questions  # compatible issue: confirm it
    reveal = " ".join(vendor_plan.reveal)
    assert "upfront_fee matters most" in reveal
    assert "BATNA" not in reveal and fmt(vendor_plan.reservation) not in reveal
    conceal = " ".join(vendor_plan.conceal)
    assert "BATNA" in conceal and fmt(vendor_plan.reservation) in conceal


def test_differences_name_risk_and_time(vendor_plan: Plan) -> None:
    text = " ".join(vendor_plan.differences)
    assert "vendor is the more risk-averse side" in text
    assert "licensee is more patient: on time alone, later payments should go to licensee" in text
    assert "expected value 101,000 vs 55,500" in text


def test_plan_uses_the_partys_estimate_of_the_other_side() -> None:
    case = load_case(EXAMPLES / "job-offer.yaml")
    plan = build_plan(case, "candidate")
    view = believed_case(case, "candidate", ["employer"])
    assert "your estimate of employer" in plan.basis
    assert plan.view.preferences[1] == case.estimate("candidate", "employer")
    nash = bargaining(view).solutions["nash"]
    assert plan.target == pytest.approx(float(nash.utilities[0]))
    assert plan.trades is not None and plan.trades.view.startswith("as candidate believes")
    assert plan.renegotiation is not None
    assert plan.renegotiation.agreement == view.labels(compromise_package(view))
    assert plan.contracts == () and any("add the event" in s for s in plan.suggestions)
    md = render_plan_markdown(plan)
    assert fmt(plan.target) in md and fmt(4200) in md
    json.dumps(plan.to_dict())


def test_single_issue_case_suggests_unbundling() -> None:
    case = Case.from_tables("Price", {"price": ["90", "100", "110"]},
                            {"buyer": {"price": [2, 1, 0]}, "seller": {"price": [0, 1, 2]}})
    plan = build_plan(case, "buyer")
    assert any("single-issue negotiation" in s and "Unbundle price" in s for s in plan.suggestions)


def test_distributive_only_case_suggests_adding_issues() -> None:
    case = Case.from_tables("Two prices", {"a": ["0", "1"], "b": ["0", "1"]},
                            {"A": {"a": [0, 1], "b": [0, 1]}, "B": {"a": [1, 0], "b": [1, 0]}})
    plan = build_plan(case, "A")
    assert any("pie-slicing" in s for s in plan.suggestions)


def test_no_bargaining_zone() -> None:
    case = Case.from_tables("Stuck", {"a": ["x", "y"], "b": ["p", "q"]},
                            {"A": {"a": [0, 1], "b": [0, 1]}, "B": {"a": [1, 0], "b": [1, 0]}},
                            batnas={"A": 1.5, "B": 1.5})
    plan = build_plan(case, "A")
    assert plan.target is None and plan.zone_count == 0
    assert any("no bargaining zone" in s for s in plan.acceptance)
    assert "No bargaining zone" in render_plan_markdown(plan)


def test_to_dict_is_json_ready(vendor_plan: Plan) -> None:
    data = json.loads(json.dumps(vendor_plan.to_dict()))
    assert set(data) >= {"resource_assessment", "assessment_of_differences", "offers_and_tradeoffs", "acceptance",
                         "renegotiation", "questions", "reveal", "do_not_reveal"}
    assert data["acceptance"]["walk_away_below"] == 150
    assert data["offers_and_tradeoffs"]["contingency"][0]["event"] == "first_year_sales"


def test_bad_party_and_counterpart(licence: Case) -> None:
    with pytest.raises(RequestError, match="unknown party 'seller'; the case has: vendor, licensee"):
        build_plan(licence, "seller")
    with pytest.raises(RequestError, match="another party"):
        build_plan(licence, "vendor", counterpart="vendor")
