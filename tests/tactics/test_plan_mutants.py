"""The negotiation plan's words and JSON, checked against expectations worked out independently of the code.

These tests close mutation-testing gaps in :mod:`accord.tactics.plan` (and the post-settlement improvement's
JSON): each checks a documented behaviour of the plan a user reads — every integrative issue yields its
question, the plan says which preferences it used, the risk line qualifies what it claims, the ``--json``
fields documented in docs/tactics.md are present and carry the right values. Expected values come from hand
calculation (in comments) or from brute-force enumeration through ``Case.utilities`` (as in ``tests/oracles.py``).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from accord.io import load_case
from accord.model import Case, Estimate, Preferences
from accord.tactics.plan import MESO_COUNT, build_plan
from accord.tactics.settlement import improve
from oracles import all_packages

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _index(case: Case, labels: dict[str, str]) -> list[int]:
    """Option indices of a package given by its labels (read from the case's issue lists, not the engine)."""
    return [case.issues[k].options.index(labels[case.issues[k].name]) for k in range(case.n_issues)]


def _points(case: Case, labels: dict[str, str]) -> np.ndarray:
    row: np.ndarray = case.utilities(np.array([_index(case, labels)], dtype=np.int64))[0]
    return row


# -- a hand-classified two-party case ------------------------------------------------------------------------
def _trade_case() -> Case:
    """Two opposed issues with crossed priorities and one compatible issue.

    A: a [0, 10], b [0, 2], c [0, 5];  B: a [2, 0], b [10, 0], c [0, 5]  (no shared scale).
    Importance shares (stake / total stake): A has a 10/17, b 2/17, c 5/17; B has a 2/17, b 10/17, c 5/17.
    On a and b the two want opposite options and their shares differ by 8/17 ≈ 47 % (far above τ·max), so
    both are integrative (docs/concepts.md, kinds of issue); on c both do best with "y": compatible.
    """
    return Case.from_tables("Crossed", {"a": ["x", "y"], "b": ["x", "y"], "c": ["x", "y"]},
                            {"A": {"a": [0, 10], "b": [0, 2], "c": [0, 5]},
                             "B": {"a": [2, 0], "b": [10, 0], "c": [0, 5]}})


def test_every_integrative_issue_yields_its_question() -> None:
    """Thompson: ask about interests on each issue one side cares more about — a question per integrative issue.

    The kinds here are worked out by hand (see ``_trade_case``), so the test does not trust the classifier's
    output to decide which questions must exist.
    """
    plan = build_plan(_trade_case(), "A")
    assert all(isinstance(q, str) and q for q in plan.questions), plan.questions
    for issue in ("a", "b"):  # integrative by hand
        asked = [q for q in plan.questions if f"On {issue}," in q]
        assert len(asked) == 1, (issue, plan.questions)
        assert "which option works best for you" in asked[0]
    # the compatible issue is confirmed with the option both want, not asked about as a trade
    assert any("we both prefer y on c" in q for q in plan.questions), plan.questions
    assert not any("On c," in q for q in plan.questions)
    # the plan's JSON carries the same questions, as plain strings
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["questions"] == list(plan.questions)


def test_the_same_questions_from_the_other_side() -> None:
    """Party order never matters: B's plan asks the same per-issue questions (both issues integrative for B)."""
    plan = build_plan(_trade_case(), "B")
    assert all(isinstance(q, str) for q in plan.questions)
    assert {i for i in ("a", "b", "c") if any(q.startswith(f"On {i},") for q in plan.questions)} == {"a", "b"}


def test_compatible_issue_suggestion_names_the_option_both_want() -> None:
    """A compatible issue is not a concession: the suggestion names the option both sides do best with.

    In ``_trade_case`` both A and B score c = y above c = x (5 vs 0), so the suggestion must name y; with zero
    stakes on both sides every option is best for both, and the suggestion names them all.
    """
    plan = build_plan(_trade_case(), "A")
    (line,) = [s for s in plan.suggestions if s.startswith("c is compatible")]
    assert line.startswith("c is compatible: you both want y.")
    idle = Case.from_tables("Idle", {"a": ["x", "y"], "d": ["p", "q"]},
                            {"A": {"a": [0, 3], "d": [0, 0]}, "B": {"a": [3, 0], "d": [0, 0]}})
    (line,) = [s for s in build_plan(idle, "B").suggestions if s.startswith("d is compatible")]
    assert line.startswith("d is compatible: you both want p, q.")


def test_equal_risk_attitudes_are_stated_with_their_caveat() -> None:
    """When both sides have the same CARA coefficient the plan says so, and says it only knows it from the case.

    The sentence a user reads is the contract here: "the same risk attitude (CARA 0) as far as the case says"
    (risk_aversion defaults to 0 for both parties of ``_trade_case``); the qualifier matters because the case
    file is the plan's only evidence about the other side's attitude.
    """
    plan = build_plan(_trade_case(), "A")
    (risk,) = [d for d in plan.differences if d.startswith("Risk:")]
    assert risk == "Risk: you and they have the same risk attitude (CARA 0) as far as the case says."
    (time,) = [d for d in plan.differences if d.startswith("Time:")]
    assert time.endswith("as far as the case says.")


# -- which preferences the plan used ---------------------------------------------------------------------------
def _three_party_case() -> Case:
    """A, B and C on two issues; A holds an estimate of B's preferences, none of C's."""
    case = Case.from_tables("Three", {"a": ["x", "y"], "b": ["x", "y"]},
                            {"A": {"a": [0, 6], "b": [0, 3]}, "B": {"a": [4, 0], "b": [0, 1]},
                             "C": {"a": [1, 0], "b": [5, 0]}})
    guess = Preferences(((3.0, 0.0), (0.0, 2.0)))
    return dataclasses.replace(case, estimates=(Estimate("A", "B", guess),))


def test_the_plan_says_whose_file_preferences_stand_in_for_a_missing_estimate() -> None:
    """"Say which belief was used": with no estimate of C, the basis names C — and only C — as read from the file.

    The sentence is what the reader is told about the plan's evidence, so its words are the contract: it must
    say the case file's preferences were used for C, that the file is treated as the reader's best guess, and
    that the guess should be checked at the table.
    """
    plan = build_plan(_three_party_case(), "A")
    assert plan.basis.startswith("your own preferences and, for C, the preferences in the case file (")
    assert "the case holds no estimate of yours" in plan.basis
    assert "the plan treats the file as your best guess, so check it at the table" in plan.basis
    assert "B" not in plan.basis  # A's estimate of B exists: B is not listed among the file's stand-ins
    assert plan.notes[0] == f"computed from {plan.basis}"


def test_two_party_basis_without_estimate_names_the_other_side() -> None:
    plan = build_plan(_trade_case(), "B")
    assert plan.basis == ("your own preferences and, for A, the preferences in the case file (the case holds no "
                          "estimate of yours: the plan treats the file as your best guess, so check it at the "
                          "table)")


# -- the documented JSON fields ---------------------------------------------------------------------------------
# docs/tactics.md, "accord plan", "--json shape": the top-level fields and those of each section.
TOP = {"case", "party", "counterpart", "basis", "resource_assessment", "assessment_of_differences",
       "offers_and_tradeoffs", "acceptance", "renegotiation", "questions", "reveal", "do_not_reveal", "notes"}
SECTIONS = {
    "resource_assessment": {"issues", "packages", "suggestions"},
    "assessment_of_differences": {"lines", "logrolling_pairs", "events"},
    "offers_and_tradeoffs": {"reservation", "best", "target", "target_gain", "target_package", "opening_meso",
                             "opening_note", "belief", "opening_below_batna", "opening_warning", "logrolls",
                             "logrolls_note", "contingency", "contingency_notes"},
    "acceptance": {"rules", "walk_away_below", "acceptable_packages", "zone_packages", "packages"},
}


def test_json_has_the_documented_fields_with_the_requested_sides() -> None:
    """The documented field names are the contract a machine reads; ``party``/``counterpart`` are who was asked.

    A non-default counterpart (C, not the first other party B) makes the check mean something.
    """
    case = _three_party_case()
    data = json.loads(json.dumps(build_plan(case, "A", counterpart="C").to_dict()))
    assert set(data) == TOP
    for section, keys in SECTIONS.items():
        assert keys <= set(data[section]), (section, keys - set(data[section]))
    assert data["case"] == "Three"
    assert (data["party"], data["counterpart"]) == ("A", "C")
    # the same plan for C (counterpart A) swaps the two fields
    other = build_plan(case, "C", counterpart="A").to_dict()
    assert (other["party"], other["counterpart"]) == ("C", "A")
    # A's walk-away point is its BATNA: none given means 0 (Case.batnas)
    assert data["acceptance"]["walk_away_below"] == 0


def _grid_case() -> Case:
    """Three four-option issues on which A and B are opposed with crossed weights (64 packages).

    A scores a, b, c as 0..3, 0..6, 0..9 (steps 1, 2, 3); B as 9..0, 6..0, 3..0; both BATNAs 3. Many packages
    give A the same points, so an opening set of equivalent offers exists.
    """
    opts = ["0", "1", "2", "3"]
    return Case.from_tables("Grid", {"a": opts, "b": opts, "c": opts},
                            {"A": {"a": [0, 1, 2, 3], "b": [0, 2, 4, 6], "c": [0, 3, 6, 9]},
                             "B": {"a": [9, 6, 3, 0], "b": [6, 4, 2, 0], "c": [3, 2, 1, 0]}},
                            batnas={"A": 3, "B": 3})


def test_json_opening_meso_carries_equivalent_offers() -> None:
    """The opening set in the JSON: MESO_COUNT offers, each worth the same to A within the stated band.

    Checked by enumeration: every offer's points are recomputed from its labels with ``Case.utilities``, and
    its normalised gain g = (u − b)/(u^max − b) — u^max = 3 + 6 + 9 = 18 the best of all 64 packages, b = 3 —
    lies within the level ± tolerance that the plan's note states.
    """
    case = _grid_case()
    plan = build_plan(case, "A")
    assert plan.opening is not None  # the plan built an opening set: the JSON must carry it
    data = json.loads(json.dumps(plan.to_dict()))
    meso = data["offers_and_tradeoffs"]["opening_meso"]
    assert meso is not None
    assert (meso["party"], meso["counterpart"]) == ("A", "B")
    offers = meso["offers"]
    assert len(offers) == MESO_COUNT
    assert len({json.dumps(o["package"], sort_keys=True) for o in offers}) == MESO_COUNT  # distinct packages
    u_max = float(case.utilities(all_packages(case))[:, 0].max())
    assert u_max == 18.0
    b = 3.0
    note = data["offers_and_tradeoffs"]["opening_note"]
    assert note.startswith(f"level g = {meso['level']:g} ± {meso['tolerance']:g}")
    for o in offers:
        u = _points(case, o["package"])
        assert o["utilities"] == pytest.approx({"A": u[0], "B": u[1]})
        g = (u[0] - b) / (u_max - b)
        assert abs(g - meso["level"]) <= meso["tolerance"] + 1e-9, (o["package"], g)
        assert meso["band"]["low"] - 1e-9 <= u[0] <= meso["band"]["high"] + 1e-9


# -- the post-settlement improvement's JSON ---------------------------------------------------------------------
def test_improvement_json_joint_gain_is_the_sum_of_gains_on_shared_scales() -> None:
    """docs/tactics.md ("accord improve", --json shape): each improvement carries ``joint_gain`` = Σ_i (u_i − a_i)
    on shared scales. Recomputed from each package's labels with ``Case.utilities``."""
    case = load_case(EXAMPLES / "job-offer.yaml")
    assert case.shared_scales
    agreement = {"salary": "84k", "signing_bonus": "none", "start_date": "1 April", "remote_days": "2",
                 "training_budget": "1.5k", "vacation_days": "27"}
    data = json.loads(json.dumps(improve(case, agreement, cap=3).to_dict()))
    a = _points(case, agreement)
    assert data["improvements"]
    for imp in data["improvements"]:
        gains = _points(case, imp["package"]) - a
        assert imp["gains"] == pytest.approx(dict(zip(case.party_names, gains.tolist(), strict=True)))
        assert imp["joint_gain"] == pytest.approx(float(gains.sum()))
    assert data["proposal"]["joint_gain"] == pytest.approx(data["improvements"][0]["joint_gain"])


def test_improvement_json_joint_gain_in_normalised_gains() -> None:
    """Without shared scales ``joint_gain`` = Σ_i (u_i − a_i)/(u_i^max − a_i), u_i^max over every package.

    Hand check: A: a [0, 4], b [1, 0]; B: a [1, 0], b [0, 3]; agreement (a=x, b=x) gives A 1, B 1. The only
    improvement is (a=y, b=y): A 4, B 3; u^max = (5, 4), so joint gain = 3/4 + 2/3 = 17/12.
    """
    case = Case.from_tables("Swap", {"a": ["x", "y"], "b": ["x", "y"]},
                            {"A": {"a": [0, 4], "b": [1, 0]}, "B": {"a": [1, 0], "b": [0, 3]}})
    data = improve(case, {"a": "x", "b": "x"}).to_dict()
    (imp,) = data["improvements"]
    assert imp["package"] == {"a": "y", "b": "y"}
    u_max = case.utilities(all_packages(case)).max(axis=0)
    assert u_max.tolist() == [5.0, 4.0]
    assert imp["joint_gain"] == pytest.approx(17 / 12)
