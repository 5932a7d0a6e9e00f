"""``accord frontier``: JSON and table output, restrictions, the grid, the output file, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

CASE = """\
name: Job offer
shared_scales: true
parties:
  candidate: {batna: 1200}
  employer: {batna: 0}
issues:
  salary: ["90k", "95k", "100k"]
  start: [June, July, August]
  bonus: {type: real, min: 0, max: 10, grid: 3}
preferences:
  candidate:
    salary: {"90k": 0, "95k": 1000, "100k": 2000}
    start: {June: 0, July: 300, August: 600}
    bonus: {linear: {at_min: 0, at_max: 500}}
  employer:
    salary: {"90k": 2000, "95k": 1000, "100k": 0}
    start: {June: 1600, July: 800, August: 0}
    bonus: {linear: {at_min: 300, at_max: 0}}
"""

TIES = """\
name: Ties
parties: {A: {}, B: {}}
issues:
  x: [a, b, c]
  y: [p, q]
preferences:
  A: {x: {a: 0, b: 1, c: 1}, y: {p: 0, q: 0}}
  B: {x: {a: 1, b: 0, c: 0}, y: {p: 0, q: 0}}
"""


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    p = tmp_path / "job.yaml"
    p.write_text(CASE, encoding="utf-8")
    return p


def _run(*args: str) -> dict:  # type: ignore[type-arg]
    r = CliRunner().invoke(app, ["frontier", *args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)  # type: ignore[no-any-return]


def _accord(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m accord`` (exit codes go through accord.cli.main)."""
    return subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, check=False)


def test_json_lists_points_counts_and_packages(case_file: Path) -> None:
    d = _run(str(case_file))
    assert d["parties"] == ["candidate", "employer"] and d["exact"] is True
    assert d["size"] == len(d["points"]) == 15
    assert d["grid"] == "real issues analysed on a grid: bonus on 3 points"
    first = d["points"][0]
    assert first == {"utilities": {"candidate": 3100.0, "employer": 0.0}, "package_count": 1,
                     "packages": [{"salary": "100k", "start": "August", "bonus": "10"}]}
    assert d["packages_in_space"] == "27" and d["packages_on_frontier"] == "15"
    assert "two-party" in d["method"]


def test_cap_limits_listed_packages_not_counts(tmp_path: Path) -> None:
    p = tmp_path / "ties.yaml"
    p.write_text(TIES, encoding="utf-8")
    d = _run(str(p), "--cap", "3")
    counts = [pt["package_count"] for pt in d["points"]]
    assert counts == [4, 2]
    assert [len(pt["packages"]) for pt in d["points"]] == [3, 2]
    d0 = _run(str(p), "--cap", "0")
    assert [pt["packages"] for pt in d0["points"]] == [[], []]


def test_restrictions(case_file: Path) -> None:
    rational = _run(str(case_file), "--rational")
    assert rational["restriction"] == "individually rational"
    assert all(pt["utilities"]["candidate"] >= 1200 for pt in rational["points"])
    fixed = _run(str(case_file), "--fix", "salary=95k")
    assert {pkg["salary"] for pt in fixed["points"] for pkg in pt["packages"]} == {"95k"}
    assert "fixed salary=95k" in fixed["restriction"]
    floor = _run(str(case_file), "--at-least", "employer=1600")
    assert [pt["utilities"]["employer"] >= 1600 for pt in floor["points"]] == [True] * floor["size"]
    assert floor["restriction"] == "at least employer 1600"
    better = _run(str(case_file), "--preferred-to", "salary=95k,start=July,bonus=0")
    assert all(pt["utilities"]["candidate"] >= 1300 and pt["utilities"]["employer"] >= 1100
               for pt in better["points"])
    assert "weakly prefers" in better["restriction"]


def test_grid_option_regrids_real_issues(case_file: Path) -> None:
    d = _run(str(case_file), "--grid", "5")
    assert d["grid"] == "real issues analysed on a grid: bonus on 5 points"
    bonuses = {pkg["bonus"] for pt in d["points"] for pkg in pt["packages"]}
    assert "7.5" in bonuses


def test_table_output_shows_size_method_and_points(case_file: Path) -> None:
    r = CliRunner().invoke(app, ["frontier", str(case_file)])
    assert r.exit_code == 0, r.output
    assert "Job offer: 15 frontier points" in r.output
    assert "method: issue-by-issue merge" in r.output
    assert "bonus on 3 points" in r.output
    assert "salary=100k, start=August, bonus=10" in r.output


def test_long_frontier_table_shows_first_and_last_points(tmp_path: Path) -> None:
    issues = {f"i{k}": [f"o{o}" for o in range(4)] for k in range(5)}
    a = {f"i{k}": {f"o{o}": o * (k + 1) for o in range(4)} for k in range(5)}
    b = {f"i{k}": {f"o{o}": (3 - o) * (8 - k) + (o * o) % 3 for o in range(4)} for k in range(5)}
    p = tmp_path / "long.json"
    p.write_text(json.dumps({"name": "Long", "parties": {"A": {}, "B": {}}, "issues": issues,
                             "preferences": {"A": a, "B": b}}), encoding="utf-8")
    r = CliRunner().invoke(app, ["frontier", str(p)])
    assert r.exit_code == 0, r.output
    assert "Long: 20 frontier points" in r.output and "(4 more points)" in r.output
    assert "│ 20 │" in r.output and "│  1 │" in r.output


def test_output_file_is_written(case_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "front.json"
    r = CliRunner().invoke(app, ["frontier", str(case_file), "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text(encoding="utf-8"))["size"] == 15


def test_no_package_meets_the_restriction(case_file: Path) -> None:
    r = CliRunner().invoke(app, ["frontier", str(case_file), "--at-least", "candidate=5000"])
    assert r.exit_code == 0, r.output
    assert "no package meets the restriction" in r.output


@pytest.mark.parametrize(("args", "message"), [
    (["--fix", "colour=red"], "unknown issue 'colour'"),
    (["--fix", "salary"], "is not issue=option"),
    (["--at-least", "boss=3"], "unknown party 'boss'"),
    (["--at-least", "employer=lots"], "'lots' is not a number of points for 'employer'"),
    (["--at-least", "employer"], "is not party=points"),
    (["--preferred-to", "salary=95k"], "gives no option for start, bonus"),
    (["--cap", "-1"], "--cap must be 0 or more"),
    (["--grid", "1"], "--grid must be at least 2 points"),
])
def test_bad_input_is_one_line_and_exit_code_2(case_file: Path, args: list[str], message: str) -> None:
    r = _accord("frontier", str(case_file), *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_missing_case_file_exits_2(tmp_path: Path) -> None:
    r = _accord("frontier", str(tmp_path / "nope.yaml"))
    assert r.returncode == 2
    assert "nope.yaml" in r.stderr and "Traceback" not in r.stderr


def test_limit_falls_back_to_enumeration_or_says_too_large(case_file: Path, tmp_path: Path) -> None:
    d = _run(str(case_file), "--limit", "2")
    assert d["method"] == "chunked enumeration of all 27 packages" and d["size"] == 15
    # 8 issues × 10 options = 10**8 packages: too many to enumerate, so a one-line error and exit code 2
    issues = {f"i{k}": [f"o{o}" for o in range(10)] for k in range(8)}
    a = {f"i{k}": {f"o{o}": o * (k + 1) for o in range(10)} for k in range(8)}
    b = {f"i{k}": {f"o{o}": (9 - o) * (9 - k) for o in range(10)} for k in range(8)}
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"name": "Big", "parties": {"A": {}, "B": {}}, "issues": issues,
                               "preferences": {"A": a, "B": b}}), encoding="utf-8")
    r = _accord("frontier", str(big), "--limit", "5")
    assert r.returncode == 2
    assert "restrict the question" in r.stderr and "too many to enumerate" in r.stderr
    assert r.stderr.count("\n") == 1


def test_progress_display_runs_the_same_engine(case_file: Path) -> None:
    from accord.cli.frontier import _with_progress
    from accord.io import load_case

    case = load_case(case_file)
    f = _with_progress(case, {"cap": 1})
    assert len(f) == 15
