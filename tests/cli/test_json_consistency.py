"""``--json`` outputs speak one vocabulary: utilities as ``{party: number}``, packages as ``{issue: option}`` in
the case's issue order, the scale of any combined value, and the grid note of a case with real issues."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.io import load_case

SUPPLIER = Path(__file__).resolve().parents[2] / "examples" / "supplier-contract.yaml"
AGREEMENT = "unit_price=210,committed_volume=7,lead_time=5,payment_terms=60 days,warranty=2 years"
GRID = "real issues analysed on a grid: unit_price on 7 points, committed_volume on 9 points"


def _run(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _walk(x: Any, path: str = "") -> Any:
    if isinstance(x, dict):
        yield path, x
        for k, v in x.items():
            yield from _walk(v, f"{path}.{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from _walk(v, f"{path}[{i}]")


def _check_vocabulary(data: dict[str, Any]) -> None:
    case = load_case(str(SUPPLIER))
    issues, parties = list(case.issue_names), set(case.party_names)
    for path, d in _walk(data):
        keys = list(d)
        if keys and set(keys) <= set(issues) and all(isinstance(v, str) for v in d.values()):
            assert keys == [i for i in issues if i in keys], f"{path}: issues out of order {keys}"
        last = path.rsplit(".", 1)[-1]
        if last in {"utilities", "agreement_utilities", "reference_utilities", "batnas", "surplus", "value_left",
                    "value_left_points", "gains"} and isinstance(d, dict):
            assert set(d) <= parties and all(isinstance(v, int | float) for v in d.values()), path


COMMANDS = {
    "analyze": ("analyze", str(SUPPLIER)),
    "frontier": ("frontier", str(SUPPLIER)),
    "evaluate": ("evaluate", str(SUPPLIER), "--agreement", AGREEMENT),
    "logroll": ("logroll", str(SUPPLIER)),
    "meso": ("meso", str(SUPPLIER), "--party", "buyer"),
    "improve": ("improve", str(SUPPLIER), "--agreement", AGREEMENT),
    "presettle": ("presettle", str(SUPPLIER), "--fix", "warranty=3 years"),
}
COMBINES_VALUES = {"analyze", "evaluate", "logroll", "improve", "presettle"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_json_vocabulary_scale_and_grid(command: str) -> None:
    data = _run(*COMMANDS[command])
    _check_vocabulary(data)
    assert data.get("grid") == GRID, f"{command} does not state the grid of the real issues"
    if command in COMBINES_VALUES:
        assert data.get("scale") == "normalised gains", command  # the case's parties keep their own scales


def test_batch_evaluation_states_scale_and_grid(tmp_path: Path) -> None:
    rows = tmp_path / "class.csv"
    rows.write_text("pair,unit_price,committed_volume,lead_time,payment_terms,warranty\n"
                    "A,210,7,5,60 days,2 years\nB,190,10,6,60 days,3 years\n", encoding="utf-8")
    data = _run("evaluate", str(SUPPLIER), "--agreements", str(rows))
    _check_vocabulary(data)
    assert data["scale"] == "normalised gains" and data["grid"] == GRID
    assert data["aggregates"]["scale"] == "normalised gains"


def test_value_left_has_no_rounding_noise() -> None:
    """The improvement leaves the supplier exactly where it was: its gain is 0, not ±1e-16."""
    data = _run("evaluate", str(SUPPLIER), "--agreement", AGREEMENT)
    assert data["value_left_points"]["supplier"] == 0.0 and data["value_left"]["supplier"] == 0.0
    assert data["value_left_points"]["buyer"] > 0


def test_contingency_states_its_money_scale(examples_dir: Path) -> None:
    data = _run("contingency", str(examples_dir / "software-licence.yaml"))
    assert all(c["scale"] == f"money ({c['terms']['unit']}, today's value)" for c in data["contracts"])
