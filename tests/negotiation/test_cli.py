"""``accord simulate``, ``accord tournament``, ``accord experiment seed-claims``: output shapes and errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app, main

ROOT = Path(__file__).resolve().parents[2]
JOB = str(ROOT / "examples" / "job-offer.yaml")
SPLIT = str(ROOT / "examples" / "item-split.yaml")


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def exit_code(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["accord", *args])
    try:
        main()
    except SystemExit as e:
        return int(e.code or 0), capsys.readouterr().err
    return 0, capsys.readouterr().err


def test_simulate_json_and_report(tmp_path: Path) -> None:
    data = json.loads(run("simulate", JOB, "-n", "boulware,conceder", "--rounds", "20", "--json"))
    assert data["negotiators"] == {"candidate": "boulware", "employer": "conceder"}
    assert data["agreement"] is True and data["rounds"] <= 20
    assert data["trace"][0]["action"] == "offer" and set(data["trace"][0]["utilities"]) == {"candidate", "employer"}
    assert set(data["measures"]) >= {"pareto_optimal", "level", "distance_nash", "lose_lose", "shares"}
    page = tmp_path / "sim.html"
    text = run("simulate", JOB, "-n", "enlightened,old-fashioned", "--protocol", "meso", "--rounds", "10",
               "--report", str(page))
    assert "Pareto-optimal" in text and page.read_text().startswith("<!DOCTYPE html>")
    assert "https://cdn" not in page.read_text()


def test_tournament_cli(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    data = json.loads(run("tournament", JOB, SPLIT, "-n", "boulware,linear", "-o", str(out), "--rounds", "15",
                          "--json"))
    assert data["negotiations"] == 2 * 4 * 2
    assert {s["negotiator"] for s in data["summary"]} == {"boulware", "linear"}
    assert out.read_text().count("\n") == 1 + 2 * 16
    text = run("tournament", JOB, "-n", "boulware,linear", "-o", str(tmp_path / "t.parquet"), "--rounds", "15")
    assert "Summary per negotiator" in text


def test_experiment_cli_tiny(tmp_path: Path) -> None:
    page = tmp_path / "claims.html"
    data = json.loads(run("experiment", "seed-claims", "--cases", "1", "--no-examples", "--rounds", "12",
                          "-o", str(page), "--json"))
    assert [c["key"] for c in data["claims"]] == ["packages", "archetypes", "meso", "reveal"]
    for claim in data["claims"]:
        for c in claim["comparisons"]:
            assert c["verdict"] in {"supported", "contradicted", "not shown"}
            lo, hi = c["difference"][1], c["difference"][2]
            assert lo <= c["difference"][0] <= hi
    assert page.read_text().startswith("<!DOCTYPE html>")


def test_experiment_table_shows_verdicts_without_markup() -> None:
    out = run("experiment", "seed-claims", "--cases", "1", "--no-examples", "--rounds", "12")
    assert "[green]" not in out and "[/" not in out and "[yellow]" not in out and "[red]" not in out
    assert any(v in out for v in ("supported", "contradicted", "not shown"))


def test_errors_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, err = exit_code(monkeypatch, capsys, "simulate", JOB, "-n", "boulware,nobody")
    assert code == 2 and "unknown negotiator 'nobody'" in err and "Traceback" not in err
    code, err = exit_code(monkeypatch, capsys, "simulate", JOB, "-n", "boulware", "--rounds", "5")
    assert code == 2 and "one negotiator per party" in err
    code, err = exit_code(monkeypatch, capsys, "simulate", JOB, "-n", "boulware,linear", "--protocol", "auction")
    assert code == 2 and "unknown protocol" in err
    code, err = exit_code(monkeypatch, capsys, "simulate", JOB, "-n", "boulware,linear", "--rounds", "0")
    assert code == 2 and "rounds must be between" in err
    code, err = exit_code(monkeypatch, capsys, "tournament", JOB, "-n", "boulware", "-o", str(tmp_path / "x.txt"))
    assert code == 2 and ".csv or .parquet" in err
    code, err = exit_code(monkeypatch, capsys, "tournament", JOB, "-n", "boulware", "-o", str(tmp_path / "x.csv"),
                          "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "--backend dask" in err
