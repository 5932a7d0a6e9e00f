"""One debrief, many faces: the API's debrief, the instructor's page, the HTML export and ``accord evaluate
CASE --agreements results.csv --report debrief.html`` show the same figures for the same results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from classroomflow import EXPECTED_TEXT, JOB, Exercise, check_debrief
from typer.testing import CliRunner

from accord.cli._app import app


def test_cli_debrief_equals_api_debrief(client: Any, db_url: str, tmp_path: Path) -> None:
    ex = Exercise(client)
    ex.play_hand_computed_set()
    h = ex.h(ex.instructor)
    api = client.get(ex.url("/debrief"), headers=h).json()
    results = tmp_path / "results.csv"
    results.write_text(client.get(ex.url("/results.csv"), headers=h).text, encoding="utf-8")
    report = tmp_path / "debrief.html"
    r = CliRunner().invoke(app, ["evaluate", str(JOB), "--agreements", str(results), "--json",
                                 "--report", str(report)])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.output)["debrief"]
    check_debrief(cli)
    assert cli == api
    # The same figures, printed the same way, in the CLI's page, the web export and the instructor's page.
    cli_page = report.read_text(encoding="utf-8")
    web_export = client.get(ex.url("/debrief.html"), headers=h).text
    instructor = client.get(f"/c/i/{ex.instructor}").text
    for label, value in EXPECTED_TEXT.items():
        row = f"<td data-v=\"{value}\">{value}</td>"
        assert label in cli_page and row in cli_page, label
        assert label.replace("×", "&#215;") in web_export or label in web_export, label
        assert value in web_export, label
        assert label in instructor and value in instructor, label


def test_cli_prints_the_debrief_figures(tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("id,salary,signing_bonus,start_date,remote_days,training_budget,vacation_days\n"
                       "group 1,84k,10k,1 March,3,3k,27\ngroup 2,81k,5k,1 April,2,1.5k,27\n"
                       "group 3,impasse,impasse,impasse,impasse,impasse,impasse\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["evaluate", str(JOB), "--agreements", str(results)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    for label, value in EXPECTED_TEXT.items():
        line = next((ln for ln in r.output.splitlines() if label in ln), "")
        assert value in line, (label, r.output)
