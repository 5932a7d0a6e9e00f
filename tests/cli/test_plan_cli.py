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
    from accord.tactics.plan import build_plan

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
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    args = [a if a not in ("x.md", "plan.pdf") else str(tmp_path / a) for a in args]
    out = run("plan", str(LICENCE), *args)
    assert out.returncode == 2
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("accord: error: ") and message in line
    assert not any(tmp_path.iterdir())  # nothing written


def test_without_output_prints_markdown_to_stdout(tmp_path: Path) -> None:
    out = run("plan", str(JOB), "--party", "candidate")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith("# Negotiation plan for candidate")
    for title in ("## Resource assessment", "## Offers and trade-offs", "## Acceptance / rejection decision"):
        assert title in text
    # the terminal gets no base64 images, only the figures' captions
    assert "data:image/png" not in text and "_Figure (in the file written with -o" in text
    assert "Walk away from any package worth less than your BATNA: 4,200 points." in text
    assert out.stderr == ""


def test_cli_message_formats_numbers_alike(tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    result = CliRunner().invoke(app, ["plan", str(ROOT / "examples" / "new-recruit.yaml"), "-p", "recruit", "-o",
                                      str(out)])
    assert result.exit_code == 0, result.output
    # thousands separated, never 1.38e+04
    assert "walk away below 7,000 points" in result.output and "e+0" not in result.output


def test_assume_fixed_pie_is_only_on_request(tmp_path: Path) -> None:
    newrec = str(ROOT / "examples" / "new-recruit.yaml")
    default = json.loads(CliRunner().invoke(app, ["plan", newrec, "-p", "recruit", "--json"]).output)
    assert "the case file's preferences for recruiter" in default["offers_and_tradeoffs"]["belief"]
    fixed = CliRunner().invoke(app, ["plan", newrec, "-p", "recruit", "--json", "--assume", "fixed-pie"])
    assert fixed.exit_code == 0, fixed.output
    assert "fixed-pie assumption" in json.loads(fixed.output)["offers_and_tradeoffs"]["belief"]
    bad = run("plan", newrec, "-p", "recruit", "--assume", "zero-sum")
    assert bad.returncode == 2 and "--assume takes 'estimate' or 'fixed-pie'" in bad.stderr


def test_plotly_js_is_written_once_and_linked(tmp_path: Path) -> None:
    # two plans in one folder share one copy of plotly.js (the same helper as analyze/evaluate --plotly-js)
    from accord.report.plots import PLOTLY_FILE

    pages = []
    for party in ("licensee", "vendor"):
        out = tmp_path / "plans" / f"{party}.html"
        result = CliRunner().invoke(app, ["plan", str(LICENCE), "--party", party, "-o", str(out),
                                          "--plotly-js", str(tmp_path / "assets")])
        assert result.exit_code == 0, result.output
        pages.append(out.read_text(encoding="utf-8"))
    assert [p.name for p in (tmp_path / "assets").iterdir()] == [PLOTLY_FILE]
    assert (tmp_path / "assets" / PLOTLY_FILE).stat().st_size > 1_000_000
    inline = (tmp_path / "inline.html")
    assert CliRunner().invoke(app, ["plan", str(LICENCE), "--party", "licensee", "-o", str(inline)]).exit_code == 0
    for page in pages:
        assert page.count('<script src="../assets/plotly.min.js" charset="utf-8"></script>') == 1
        assert "Plotly.newPlot" in page and "https://cdn" not in page
        assert len(page) < len(inline.read_text(encoding="utf-8")) - 3_000_000
    # a single .js file name works too
    out = tmp_path / "one.html"
    result = CliRunner().invoke(app, ["plan", str(LICENCE), "--party", "licensee", "-o", str(out),
                                      "--plotly-js", str(tmp_path / "lib" / "p.js")])
    assert result.exit_code == 0, result.output
    assert '<script src="lib/p.js"' in out.read_text(encoding="utf-8") and (tmp_path / "lib" / "p.js").is_file()
