"""``accord contingency``: tables, JSON, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).resolve().parents[2]
LICENCE = ROOT / "examples" / "software-licence.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "200"}, check=False)


def test_json_output_on_the_software_licence() -> None:
    result = CliRunner().invoke(app, ["contingency", str(LICENCE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (con,) = data["contracts"]
    assert con["event"] == "first_year_sales"
    assert set(con["terms"]["payments"]) == {"low", "medium", "high"}
    assert all(0 <= v <= 600 + 1e-9 for v in con["terms"]["payments"].values())
    assert all(v > 0 for v in con["expected_gain"].values())
    assert con["checks"]["no_conflict_of_interest"]["ok"] is False
    assert con["checks"]["enforceable"]["ok"] is True


def test_human_output_shows_terms_gains_and_checks() -> None:
    from accord.io import load_case
    from accord.tactics.contingency import contingency_contracts

    con = contingency_contracts(load_case(LICENCE)).contracts[0]
    out = run("contingency", str(LICENCE))
    assert out.returncode == 0, out.stderr
    assert f"{con.gain_money['vendor']:+,.2f}" in out.stdout
    assert f"{con.value_created:,.2f}" in out.stdout
    assert "FAIL" in out.stdout and "Can either side steer the outcome? Yes: licensee can influence" in out.stdout
    assert "Settle first: Can either side steer the outcome?" in out.stdout
    # plain words: what the value is, that it is a transfer, the eager-counterpart warning; no internal names
    text = " ".join(out.stdout.split())
    assert "It is not new money: each side values the term by its own forecast" in text
    assert "the term is a transfer" in text
    assert "it may know more about the outcome than you do" in text
    assert f"vendor {con.expected_payment['vendor']:+,.2f} kEUR" in text
    for internal in ("no_conflict_of_interest", "continued_interaction", "SLSQP", "scipy", "HiGHS", "CARA", "ΔCE"):
        assert internal not in out.stdout, internal


def test_base_option(tmp_path: Path) -> None:
    out = CliRunner().invoke(app, ["contingency", str(LICENCE), "--json", "--base",
                                   "upfront_fee=300,term_years=3,exclusivity=none,support=email,source_escrow=no"])
    assert out.exit_code == 0, out.output
    base = json.loads(out.output)["contracts"][0]["base"]
    assert base["points"]["vendor"] == pytest.approx(340.0)


@pytest.fixture
def broken(tmp_path: Path) -> dict[str, Path]:
    data = yaml.safe_load(LICENCE.read_text())
    files = {}
    no_prob = json.loads(json.dumps(data))
    del no_prob["events"]["first_year_sales"]["beliefs"]["vendor"]
    files["no_prob"] = no_prob
    tight = json.loads(json.dumps(data))
    # the same forecasts but royalties fixed at 0: nothing can depend on the event any more
    tight["events"]["first_year_sales"]["money"]["cap"] = {"min": 0, "max": 0}
    files["tight"] = tight
    out = {}
    for name, d in files.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(d, sort_keys=False, allow_unicode=True))
        out[name] = path
    return out


@pytest.mark.parametrize(("args", "message"), [
    (["--event", "sales"], "unknown event 'sales'; the case has: first_year_sales"),
])
def test_unknown_event_exits_2(args: list[str], message: str) -> None:
    out = run("contingency", str(LICENCE), *args)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [f"accord: error: {message}"]


def test_event_without_probabilities_exits_2(broken: dict[str, Path]) -> None:
    out = run("contingency", str(broken["no_prob"]))
    assert out.returncode == 2
    (line,) = out.stderr.strip().splitlines()
    assert "gives no probabilities for party 'vendor'" in line
    assert "events.first_year_sales.beliefs.vendor" in line


def test_infeasible_caps_exit_2(broken: dict[str, Path]) -> None:
    out = run("contingency", str(broken["tight"]))
    assert out.returncode == 2
    (line,) = out.stderr.strip().splitlines()
    assert "make every contract infeasible" in line and "events.first_year_sales.money.cap" in line


def test_case_without_events_exits_2() -> None:
    out = run("contingency", str(ROOT / "examples" / "job-offer.yaml"))
    assert out.returncode == 2
    assert "has no events" in out.stderr
