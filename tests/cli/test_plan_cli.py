"""``accord plan``: HTML and Markdown written, the numbers in them, one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.analysis.issues import fmt
from accord.cli import app

ROOT = Path(__file__).resolve().parents[2]
LICENCE = ROOT / "examples" / "software-licence.yaml"
JOB = ROOT / "examples" / "job-offer.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "200"}, check=False)


def test_html_plan_written(tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    result = CliRunner().invoke(app, ["plan", str(LICENCE), "--party", "licensee", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "walk away below 180" in result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script src" not in page and "https://cdn" not in page
    for title in ("Resource assessment", "Assessment of differences", "Offers and trade-offs",
                  "Acceptance / rejection decision", "Prolonging negotiation and renegotiation",
                  "Questions to ask", "Do not reveal"):
        assert title in page, title
    assert 'id="fig-outcome_space"' in page and "Plotly.newPlot" in page
    assert "Your BATNA (180 points" in page


def test_markdown_plan_written_with_the_computed_numbers(tmp_path: Path) -> None:
    from accord.io import load_case
    from accord.report.plan import build_plan

    out = tmp_path / "plan.md"
    result = CliRunner().invoke(app, ["plan", str(JOB), "-p", "candidate", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    plan = build_plan(load_case(JOB), "candidate")
    assert text.startswith("# Negotiation plan for candidate")
    assert plan.target is not None
    assert f"Aim for {fmt(plan.target)} points" in text
    assert f"less than your BATNA: {fmt(plan.reservation)} points" in text
    assert "data:image/png;base64," in text


def test_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", str(LICENCE), "--party", "vendor", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["party"] == "vendor" and data["acceptance"]["walk_away_below"] == 150


@pytest.mark.parametrize(("args", "message"), [
    (["--party", "seller", "-o", "x.md"], "unknown party 'seller'; the case has: vendor, licensee"),
    (["--party", "vendor", "-o", "plan.pdf"], "the plan is written as .html or .md, not '.pdf'"),
    (["--party", "vendor"], "say where to write the plan: -o plan.html or -o plan.md"),
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    args = [a if a not in ("x.md", "plan.pdf") else str(tmp_path / a) for a in args]
    out = run("plan", str(LICENCE), *args)
    assert out.returncode == 2
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("accord: error: ") and message in line
    assert not any(tmp_path.iterdir())  # nothing written
