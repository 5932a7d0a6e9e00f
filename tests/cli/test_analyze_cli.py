"""``accord analyze``: terminal report, --json, --report (HTML / Markdown), and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).resolve().parent.parent.parent

CASE = """\
name: Job offer
shared_scales: true
parties:
  candidate: {batna: 1200}
  employer: {batna: 0}
issues:
  salary: {options: ["90k", "95k", "100k"]}
  start: {options: [June, July, August]}
  training: {options: ["no", "yes"]}
preferences:
  candidate: {salary: {"90k": 0, "95k": 1000, "100k": 2000}, start: {June: 0, July: 300, August: 600},
              training: {"no": 0, "yes": 500}}
  employer:  {salary: {"90k": 2000, "95k": 1000, "100k": 0}, start: {June: 1600, July: 800, August: 0},
              training: {"no": 0, "yes": 300}}
"""


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    p = tmp_path / "job.yaml"
    p.write_text(CASE, encoding="utf-8")
    return p


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, check=False)


def test_terminal_report(case_file: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", str(case_file)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    for text in ("Issues", "distributive", "integrative", "compatible", "Trades (logrolling)",
                 "BATNAs and bargaining zone", "Pareto frontier:", "Solution points", "Nash",
                 "of surplus", "Win-win potential", "What to do", "Settle training at yes"):
        assert text in out, text
    # The why is computed: the stakes of start (600 vs 1,600 points) appear in it.
    assert "candidate 600 points vs employer 1,600 points" in out


def test_json_output(case_file: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", str(case_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(i["id"], i["kind"]) for i in data["issues"]] == [
        ("salary", "distributive"), ("start", "integrative"), ("training", "compatible")]
    assert data["zopa_empty"] is False
    assert data["issues"][1]["stakes"] == {"candidate": 600.0, "employer": 1600.0}
    assert data["tau"] == 0.1


def test_tau_option(case_file: Path) -> None:
    # With τ = 0.9 the start issue's stakes (600 vs 1600: gap 1000 ≤ 0.9·1600 = 1440) count as equal and its
    # joint value's spread (1600 − 600 = 1000 ≤ 1440) as complementary, so it becomes distributive.
    result = CliRunner().invoke(app, ["analyze", str(case_file), "--json", "--tau", "0.9"])
    data = json.loads(result.output)
    assert data["tau"] == 0.9
    assert data["issues"][1]["kind"] == "distributive"
    assert data["issues"][1]["importance_limit"] == pytest.approx(1440)


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_report_files(case_file: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"report{suffix}"
    result = CliRunner().invoke(app, ["analyze", str(case_file), "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert "Report written to" in result.output
    text = out.read_text(encoding="utf-8")
    if suffix == ".html":
        assert text.startswith("<!DOCTYPE html>") and "https://cdn" not in text and "<script src" not in text
    else:
        assert text.startswith("# Job offer") and "| salary | distributive |" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.yaml", f"report{suffix}"]


def test_json_and_report_together(case_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    result = CliRunner().invoke(app, ["analyze", str(case_file), "--json", "--report", str(out)])
    assert result.exit_code == 0
    json.loads(result.output)               # stdout stays pure JSON
    assert out.exists()


def test_unknown_report_suffix_exits_2(case_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    proc = run("analyze", str(case_file), "--report", str(out))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"accord: error: {out}: --report must end in .html or .md, not '.pdf'"]
    assert not out.exists()


def test_existing_report_untouched_on_error(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("keep me", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nparties: [\n", encoding="utf-8")
    proc = run("analyze", str(bad), "--report", str(out))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == "keep me"


def test_bad_tau_exits_2(case_file: Path) -> None:
    proc = run("analyze", str(case_file), "--tau", "1.5")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "accord: error: tau must be at least 0 and below 1 (default 0.1), not 1.5"


def test_missing_file_exits_2(tmp_path: Path) -> None:
    proc = run("analyze", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"accord: error: {tmp_path / 'nope.yaml'}: no such file; check the path"


def test_empty_zone_is_not_an_error(tmp_path: Path) -> None:
    p = tmp_path / "nozone.yaml"
    p.write_text(CASE.replace("batna: 1200", "batna: 5000"), encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(p), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["zopa_empty"] is True and "nash" not in data["bargaining"]["solutions"]
    text = CliRunner().invoke(app, ["analyze", str(p)], env={"COLUMNS": "120"}).output
    assert "EMPTY" in text and "No deal is possible" in text


def test_three_party_example_report(tmp_path: Path) -> None:
    case = tmp_path / "three.yaml"
    case.write_text("""\
name: Three
parties: {A: {batna: 1}, B: {batna: 1}, C: {batna: 1}}
issues: {a: [x, y, z], b: [p, q]}
preferences:
  A: {a: {x: 0, y: 2, z: 4}, b: {p: 1, q: 0}}
  B: {a: {x: 4, y: 2, z: 0}, b: {p: 0, q: 3}}
  C: {a: {x: 1, y: 3, z: 0}, b: {p: 2, q: 2}}
""", encoding="utf-8")
    out = tmp_path / "three.html"
    result = CliRunner().invoke(app, ["analyze", str(case), "--report", str(out)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "A vs C" in out.read_text(encoding="utf-8")      # pairwise panels


def test_trade_already_in_the_compromise_is_said_so(tmp_path: Path) -> None:
    """Each party already has its preferred option in the compromise package: no fake 'x → x' move."""
    case = tmp_path / "settled.yaml"
    case.write_text(
        "name: Settled trade\n"
        "parties: {A: {batna: 0}, B: {batna: 0}}\n"
        "issues: {a: [a0, a1], b: [b0, b1]}\n"
        "preferences:\n"
        "  A: {a: {a0: 10, a1: 0}, b: {b0: 0, b1: 1}}\n"
        "  B: {a: {a0: 0, a1: 1}, b: {b0: 10, b1: 0}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["analyze", str(case)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    # No no-op row ("a0 → a0") in a table titled trades: the compromise package already gives each side its
    # preferred option, so the output says there is no trade, and from which package.
    assert "a0 → a0" not in result.output and "b0 → b0" not in result.output
    assert "Trades (logrolling): No trade: no two-issue trade leaves A and B strictly better off" in \
        " ".join(result.output.split())
    assert "a=a0, b=b0" in result.output


def test_job_offer_trades_pay_both_and_max_joint_is_inside_the_zone() -> None:
    """The trade table only lists trades both sides gain from (no 'salary 84k → 90k: employer −1,200' row), the
    advice names the compromise package it measures from, and the max-joint row is a package inside the zone
    with the number of packages reaching that value (not one that leaves the employer below its BATNA)."""
    example = Path(__file__).resolve().parents[2] / "examples" / "job-offer.yaml"
    result = CliRunner().invoke(app, ["analyze", str(example)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "-1,200" not in text and "-1,400" not in text and "Both gain" not in text
    assert "4 two-issue trade(s) over 4 issue pair(s) leave every party strictly better off" in text
    assert "below BATNA" not in text and "outside the zone" not in text
    assert "max joint value: 15 package(s) reach it, the one shown is inside the zone" in text
    assert "splitting every issue down the middle gives" not in text
    assert "the compromise package (each issue settled at the option whose worse-off party is best off" in text
    data = json.loads(CliRunner().invoke(app, ["analyze", str(example), "--json"]).output)
    mj = data["bargaining"]["solutions"]["max_joint"]
    assert mj["in_zone"] is True and mj["tied_packages"] == 15
    trades = data["trades"]["trades"]
    assert trades and all(all(v > 0 for v in t["gains"].values()) for t in trades)
    logroll = json.loads(CliRunner().invoke(app, ["logroll", str(example), "--json"]).output)
    assert [t["package"] for t in logroll["trades"]] == [t["package"] for t in trades]
