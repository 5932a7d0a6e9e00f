"""Every bundled example loads, carries its story, and is analysed by ``accord analyze`` through the real CLI.

The expected issue kinds below are the ones each example was written to show; they were checked by hand
against the definitions of docs/concepts.md#kinds-of-issue (stakes, importance shares, complementary scores) and are
asserted here
against what ``accord analyze --json`` computes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.io import load_case

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
IDS = [p.stem for p in EXAMPLES]

#: What each two-party example was designed to show, issue by issue (docs/concepts.md#kinds-of-issue, τ = 0.1).
DESIGNED_KINDS: dict[str, dict[str, str]] = {
    "job-offer": {"salary": "distributive", "signing_bonus": "integrative", "start_date": "integrative",
                  "remote_days": "integrative", "training_budget": "compatible", "vacation_days": "distributive"},
    "supplier-contract": {"unit_price": "distributive", "committed_volume": "integrative",
                          "lead_time": "integrative", "payment_terms": "integrative", "warranty": "integrative"},
    "apartment-lease": {"rent": "distributive", "lease_length": "compatible", "deposit": "integrative",
                        "pets": "integrative", "move_in": "integrative"},
    "software-licence": {"upfront_fee": "distributive", "term_years": "compatible", "exclusivity": "integrative",
                         "support": "integrative", "source_escrow": "integrative"},
    "item-split": {"books": "integrative", "hats": "integrative", "balls": "compatible"},
    "new-recruit": {"bonus": "distributive", "starting_date": "distributive", "job_assignment": "compatible",
                    "location": "compatible", "vacation": "integrative", "salary": "integrative",
                    "moving_expenses": "integrative", "insurance": "integrative"},
}


def _accord(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, check=False)


def test_at_least_six_examples() -> None:
    assert len(EXAMPLES) >= 6
    required = {"job-offer", "supplier-contract", "apartment-lease", "software-licence", "item-split"}
    assert required <= set(IDS)


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_example_loads_and_tells_its_story(path: Path) -> None:
    case = load_case(path)
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# ") and len(first_line) > 20, "each example starts with a one-line comment"
    assert len(case.description.split()) >= 40, "each example carries a short story in its description"
    assert case.space_size >= 2


def test_examples_cover_every_case_file_feature() -> None:
    cases = {p.stem: load_case(p) for p in EXAMPLES}
    assert any(not c.additive for c in cases.values()), "some example has interaction terms"
    assert any(c.estimates for c in cases.values()), "some example has a party's estimate of another"
    assert any(c.events for c in cases.values()), "some example has an event"
    assert any(c.n_parties >= 3 for c in cases.values()), "some example has three parties"
    assert any(p.batna_package is not None for c in cases.values() for p in c.parties), "a BATNA package"
    assert any(i.type == "real" for c in cases.values() for i in c.issues), "a real interval on a grid"
    assert any(i.type == "integer" for c in cases.values() for i in c.issues), "an integer range"
    assert cases["job-offer"].shared_scales and cases["item-split"].shared_scales


def test_software_licence_event_is_complete() -> None:
    case = load_case(ROOT / "examples" / "software-licence.yaml")
    (event,) = case.events
    assert event.probabilities("vendor") != event.probabilities("licensee")  # different beliefs
    assert {p.name: p.risk_aversion > 0 and p.discount_rate > 0 for p in case.parties} == {
        "vendor": True, "licensee": True}
    assert (event.payer, event.payee, event.unit) == ("licensee", "vendor", "kEUR")
    assert event.cap_low == 0 and event.cap_high is not None and event.resolves_in > 0
    assert event.measured_by and event.resolves and event.enforced_by and event.continued_interaction


def test_item_split_counts_what_the_first_side_receives() -> None:
    case = load_case(ROOT / "examples" / "item-split.yaml")
    counts = {i.name: int(i.high or 0) for i in case.issues}
    alice = {"books": 2, "hats": 4, "balls": 0}
    bob = {"books": 1, "hats": 1, "balls": 3}
    for k, issue in enumerate(case.issues):
        received = [int(v) for v in issue.values or ()]
        assert case.scores[k][0].tolist() == [alice[issue.name] * n for n in received]
        assert case.scores[k][1].tolist() == [bob[issue.name] * (counts[issue.name] - n) for n in received]
    whole = {i.name: i.size - 1 for i in case.issues}
    assert case.utility(whole).tolist()[0] == 10.0 and case.utility({n: 0 for n in whole}).tolist()[1] == 10.0


def test_apartment_lease_estimate_is_a_fixed_pie_perception() -> None:
    case = load_case(ROOT / "examples" / "apartment-lease.yaml")
    believed = case.estimate("tenant", "landlord")
    assert believed is not None
    k = case.issue_index("lease_length")
    truth, guess, tenant = case.scores[k][1], believed.table(k), case.scores[k][0]
    assert truth.argmax() == tenant.argmax()        # in fact both want the longest lease ...
    assert guess.argmax() != tenant.argmax()        # ... but the tenant believes they are opposed
    stakes = {n: float(np.ptp(believed.table(case.issue_index(n)))) for n in ("deposit", "move_in")}
    true_stakes = {n: float(np.ptp(case.scores[case.issue_index(n)][1])) for n in ("deposit", "move_in")}
    assert stakes["deposit"] == stakes["move_in"]   # believed equally important ...
    assert true_stakes["deposit"] >= 3 * true_stakes["move_in"]  # ... but they are not


# --- through the CLI ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_analyze_example_json(path: Path) -> None:
    run = _accord("analyze", str(path), "--json")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    case = load_case(path)
    assert isinstance(result["zopa_empty"], bool)
    assert result["zopa_empty"] is False  # every example has agreements both (all) sides prefer to walking away
    kinds = {item["id"]: item["kind"] for item in result["issues"]}
    assert list(kinds) == list(case.issue_names)
    allowed = {"compatible", "distributive", "integrative"} | ({"mixed"} if case.n_parties > 2 else set())
    assert set(kinds.values()) <= allowed
    if path.stem in DESIGNED_KINDS:
        assert kinds == DESIGNED_KINDS[path.stem]


def test_quick_start_report(tmp_path: Path) -> None:
    # what `bash scripts/demo.sh` runs, writing into a scratch folder
    report = tmp_path / "job-offer-report.html"
    run = _accord("analyze", str(ROOT / "examples" / "job-offer.yaml"), "--report", str(report))
    assert run.returncode == 0, run.stderr
    text = report.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith(("<!doctype html", "<html"))
    assert "salary" in text and "training_budget" in text
