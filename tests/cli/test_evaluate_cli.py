"""``accord evaluate``: one agreement, a CSV of agreements, the report, per-row CSV, bad rows and exit codes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

CASE = """\
name: Purchase
shared_scales: true
parties:
  buyer: {batna: 20}
  seller: {batna: 20}
issues:
  price: [low, mid, high]
  delivery: [slow, fast]
  warranty: [short, long]
preferences:
  buyer:  {price: {low: 40, mid: 20, high: 0}, delivery: {slow: 0, fast: 30}, warranty: {short: 0, long: 10}}
  seller: {price: {low: 0, mid: 20, high: 40}, delivery: {slow: 10, fast: 0}, warranty: {short: 0, long: 5}}
"""

CSV = """pair,price,delivery,warranty
A,mid,fast,long
C,mid,slow,long
F,high,fast,short
H,low,slow,short
"""

BAD = CSV + "X,mid,express,long\nY,mid,,long\n"


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    p = tmp_path / "purchase.yaml"
    p.write_text(CASE, encoding="utf-8")
    return p


def _accord(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m accord`` (exit codes go through accord.cli.main)."""
    return subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, check=False)


def test_one_agreement_json(case_file: Path) -> None:
    r = CliRunner().invoke(app, ["evaluate", str(case_file), "--agreement", "price=mid,delivery=slow,warranty=long",
                                 "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["level"] == 1 and d["individually_rational"] is True and d["pareto_optimal"] is False
    assert d["improvements"] == [{"package": {"price": "high", "delivery": "fast", "warranty": "long"},
                                  "utilities": {"buyer": 40.0, "seller": 45.0}, "joint_gain": 20.0}]
    assert d["improvement_count"] == 1
    assert d["value_left"] == {"buyer": 10.0, "seller": 10.0}


def test_one_agreement_in_words(case_file: Path) -> None:
    r = CliRunner().invoke(app, ["evaluate", str(case_file), "--agreement", "price=high,delivery=fast,warranty=short"])
    assert r.exit_code == 0, r.output
    assert "Level 2 of 3 — better than compromise" in r.output
    assert "undominated improvements: 1 package(s)" in r.output
    r = CliRunner().invoke(app, ["evaluate", str(case_file), "--agreement", "price=mid,delivery=fast,warranty=long"])
    assert "Level 3 of 3 — Pareto-optimal" in r.output


def test_agreements_csv_with_report_and_per_row(case_file: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(CSV, encoding="utf-8")
    report, rows = tmp_path / "out" / "class.html", tmp_path / "rows.csv"
    r = CliRunner().invoke(app, ["evaluate", str(case_file), "--agreements", str(results), "--json",
                                 "--report", str(report), "--per-row", str(rows)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert [row["level"] for row in d["rows"]] == [3, 1, 2, 0]
    assert [row["row"] for row in d["rows"]] == [2, 3, 4, 5]
    assert d["aggregates"]["level_counts"] == {"0": 1, "1": 1, "2": 1, "3": 1}
    assert d["aggregates"]["compatible_issues"][0]["missed"] == 2
    assert d["skipped"] == []
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script src" not in page and "cdn.plot.ly" not in page
    assert "Plotly" in page and "level 2: better than compromise" in page
    with rows.open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert [t["id"] for t in table] == ["A", "C", "F", "H"]
    assert [t["level"] for t in table] == ["3", "1", "2", "0"]
    assert table[3]["value_left_buyer"] == "20.0" and table[3]["compatible_missed"] == "warranty"


def test_agreements_csv_in_words(case_file: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(CSV, encoding="utf-8")
    r = CliRunner().invoke(app, ["evaluate", str(case_file), "--agreements", str(results)])
    assert r.exit_code == 0, r.output
    assert "Lose-lose: 2 agreement(s)" in r.output and "Pareto-optimal" in r.output


def test_bad_rows_fail_before_writing_anything(case_file: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(BAD, encoding="utf-8")
    report, rows = tmp_path / "class.html", tmp_path / "rows.csv"
    r = _accord("evaluate", str(case_file), "--agreements", str(results), "--report", str(report),
                "--per-row", str(rows))
    assert r.returncode == 2
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1
    assert "results.csv: row 6: issue 'delivery' has no option 'express'" in err
    assert "1 more bad row(s): 7" in err and "--skip-bad" in err
    assert not report.exists() and not rows.exists()
    assert r.stdout == ""


def test_skip_bad_skips_and_lists(case_file: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(BAD, encoding="utf-8")
    rows = tmp_path / "rows.csv"
    r = CliRunner().invoke(app, ["evaluate", str(case_file), "--agreements", str(results), "--skip-bad", "--json",
                                 "--per-row", str(rows)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert len(d["rows"]) == 4
    assert [s["row"] for s in d["skipped"]] == [6, 7]
    assert "empty cell for issue 'delivery'" in d["skipped"][1]["message"]
    assert rows.exists()
    r = CliRunner().invoke(app, ["evaluate", str(case_file), "--agreements", str(results), "--skip-bad"])
    assert "skipped 2 bad row(s)" in r.output and "row 6:" in r.output


def test_header_errors_fail_even_with_skip_bad(case_file: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("pair,price,delivery,colour\nA,mid,fast,red\n", encoding="utf-8")
    r = _accord("evaluate", str(case_file), "--agreements", str(results), "--skip-bad")
    assert r.returncode == 2
    assert "row 1 (header): unknown issue column 'colour'" in r.stderr
    results.write_text("pair,price,delivery\nA,mid,fast\n", encoding="utf-8")
    r = _accord("evaluate", str(case_file), "--agreements", str(results))
    assert r.returncode == 2 and "no column for issue(s) warranty" in r.stderr


def test_usage_errors(case_file: Path, tmp_path: Path) -> None:
    r = _accord("evaluate", str(case_file))
    assert r.returncode == 2 and "give exactly one of --agreement" in r.stderr
    r = _accord("evaluate", str(case_file), "--agreement", "price=mid,delivery=slow,warranty=maybe")
    assert r.returncode == 2
    assert r.stderr.strip() == ("accord: error: issue 'warranty' has no option 'maybe'; expected one of: short, long")
    r = _accord("evaluate", str(case_file), "--agreement", "price=mid,delivery=slow,warranty=long",
                "--report", str(tmp_path / "x.html"))
    assert r.returncode == 2 and "--report, --per-row and --skip-bad go with --agreements" in r.stderr
    assert not (tmp_path / "x.html").exists()
    r = _accord("evaluate", str(case_file), "--agreements", str(tmp_path / "missing.csv"))
    assert r.returncode == 2 and "missing.csv: no such file" in r.stderr


NEW_RECRUIT = str(Path(__file__).resolve().parents[2] / "examples" / "new-recruit.yaml")
LOSE_LOSE_DEAL = ("bonus=6%,job_assignment=Division C,vacation=20 days,starting_date=July 1,moving_expenses=50%,"
                  "insurance=Plan C,salary=86k,location=Boston")


def test_one_agreement_names_every_lose_lose_issue_and_missed_trade(tmp_path: Path) -> None:
    from accord.analysis.batch import evaluate_batch
    from accord.io import load_case
    from accord.tactics.logroll import logrolls

    case = load_case(NEW_RECRUIT)
    pkg = case.package(LOSE_LOSE_DEAL)
    result = CliRunner().invoke(app, ["evaluate", NEW_RECRUIT, "--agreement", LOSE_LOSE_DEAL, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # the same lose-lose issues as the batch mode finds for the same agreement
    batch = evaluate_batch(case, [pkg])
    assert [d["issue"] for d in data["lose_lose"]] == batch.row(0)["compatible_missed"] == ["job_assignment",
                                                                                             "location"]
    assert data["lose_lose"][1] == {"issue": "location", "agreed": "Boston", "best": ["Chicago"]}
    expected = logrolls(case, reference=pkg, limit=5)
    assert data["missed_trades"]["count"] == expected.count > 0
    for t in data["missed_trades"]["trades"]:
        assert all(v > 0 for v in t["gains"].values())  # every party gains from a missed trade
    words = CliRunner().invoke(app, ["evaluate", NEW_RECRUIT, "--agreement", LOSE_LOSE_DEAL],
                               env={"COLUMNS": "200"}).output
    assert "Lose-lose on job_assignment: the agreement has Division C, but every party does best with Analytics." \
        in words
    assert "Lose-lose on location" in words and f"missed trades: {expected.count:,} two-issue trade(s)" in words
    assert expected.trades[0].description in words


def test_pareto_optimal_agreement_has_no_lose_lose_or_trade() -> None:
    best = ("bonus=6%,job_assignment=Analytics,vacation=30 days,starting_date=July 1,moving_expenses=100%,"
            "insurance=Plan E,salary=82k,location=Chicago")
    data = json.loads(CliRunner().invoke(app, ["evaluate", NEW_RECRUIT, "--agreement", best, "--json"]).output)
    assert data["level"] == 3 and data["lose_lose"] == [] and data["missed_trades"]["trades"] == []
