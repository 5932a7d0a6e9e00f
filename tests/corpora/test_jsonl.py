"""Accord's JSON Lines corpus format: referenced and inline cases, impasses, groups and metadata, the same
numbers as ``accord evaluate``, one reference per distinct case, and errors that name file and line."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import accord
from accord.cli import app
from accord.corpora import evaluate_corpus
from accord.errors import FormatError
from accord.io.casefile import load_case

DATA = Path(__file__).resolve().parents[1] / "data" / "jsonl"
CORPUS = DATA / "corpus.jsonl"


def test_bundled_corpus_figures() -> None:
    res = evaluate_corpus("jsonl", str(CORPUS))
    agg = res.aggregates
    assert (agg["records"], agg["agreements"], agg["outcomes"]) == (5, 4, {"agreement": 4, "impasse": 1})
    assert agg["distinct_games"] == 2  # the car file (four records) and one inline case
    assert agg["pareto_optimal_count"] == 2  # pair-1 (mid, one year) and vote-1
    assert [r["line"] for r in res.rows] == [1, 2, 3, 5, 6]  # blank line 4 skipped, numbers stay the file's
    by_id = {r["id"]: r for r in res.rows}
    assert by_id["pair-1"]["meta_minutes"] == 12 and by_id["pair-1"]["group"] == "morning"
    assert by_id["pair-3"]["agreed"] is False and by_id["pair-3"]["outcome"] == "impasse"
    # the flatmates vote: Ann and Cy accept blue, Bo does not; the quorum of 2 with Ann's veto passes it
    vote = by_id["vote-1"]
    assert vote["passes"] and not vote["individually_rational"] and vote["level"] == 3
    assert agg["by_group"]["morning"]["agreements"] == 2 and agg["by_group"]["afternoon"]["agreements"] == 1


def test_rows_equal_accord_evaluate() -> None:
    res = evaluate_corpus("jsonl", str(CORPUS))
    car = load_case(DATA / "cases" / "car.yaml")
    for row in res.rows:
        if not row["agreed"] or row["id"] == "vote-1":
            continue
        ev = accord.evaluate(car, {"price": row["agreement_price"], "warranty": row["agreement_warranty"]})
        assert row["level"] == ev.level and row["pareto_optimal"] == ev.pareto_optimal
        assert row["value_left_buyer"] == ev.value_left["buyer"] and row["improvement_count"] == ev.improvement_count
        assert row["nash_optimal"] == ev.nash_optimal and row["distance"] == pytest.approx(ev.distance)


def test_many_records_share_one_reference_and_match_single_evaluations(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "car.yaml").write_text((DATA / "cases" / "car.yaml").read_text(), encoding="utf-8")
    rng = random.Random(3)
    lines = []
    for n in range(300):
        deal = {"price": rng.choice(["low", "mid", "high"]), "warranty": rng.choice(["none", "one year"])}
        lines.append(json.dumps({"id": n, "case": "cases/car.yaml", "agreement": deal}))
    p = tmp_path / "big.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = evaluate_corpus("jsonl", str(p))
    assert res.aggregates["distinct_games"] == 1 and res.aggregates["agreements"] == 300
    car = load_case(tmp_path / "cases" / "car.yaml")
    for row in res.rows[:40]:
        ev = accord.evaluate(car, {"price": row["agreement_price"], "warranty": row["agreement_warranty"]})
        assert (row["level"], row["at_max_joint"]) == (ev.level, ev.at_max_joint)


GOOD = '{"case": "cases/car.yaml", "agreement": {"price": "mid", "warranty": "none"}}'


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "each line must be a JSON object"),
    ('{"agreement": null}', "has no 'case'"),
    ('{"case": "cases/car.yaml", "agrement": null}', "unknown key 'agrement'"),
    ('{"case": "cases/nope.yaml"}', "case 'cases/nope.yaml'"),
    ('{"case": "cases/car.yaml", "agreement": {"price": "free", "warranty": "none"}}', "has no option 'free'"),
    ('{"case": "cases/car.yaml", "agreement": {"price": "mid"}}', "gives no option for warranty"),
    ('{"case": "cases/car.yaml", "agreement": "mid"}', "'agreement' must be an object"),
    ('{"case": 3}', "'case' must be a case file path"),
    ('{"case": {"name": "x"}}', "inline case"),
    ('{"case": "cases/car.yaml", "meta": {"a": [1]}}', "'meta' must be a flat object"),
    ('{"case": "cases/car.yaml", "outcome": "agreement"}', "'agreement' exactly when"),
])
def test_bad_records_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "car.yaml").write_text((DATA / "cases" / "car.yaml").read_text(), encoding="utf-8")
    p = tmp_path / "c.jsonl"
    p.write_text(GOOD + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        evaluate_corpus("jsonl", str(p))
    text = str(err.value)
    assert text.startswith(f"{p}: line 3: ") and message in text and "\n" not in text


def test_cli_table_json_and_per_row(tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    r = CliRunner().invoke(app, ["corpus", "jsonl", str(CORPUS), "--per-row", str(out)])
    assert r.exit_code == 0, r.output
    assert "records" in r.output and "impasse" in r.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["id"] for row in rows] == ["pair-1", "pair-2", "pair-3", "pair-4", "vote-1"]
    r = subprocess.run([sys.executable, "-m", "accord", "corpus", "jsonl", str(CORPUS), "--json"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["records"] == 5


def test_progress_is_reported_per_stage() -> None:
    seen: list[tuple[str, int, int | None]] = []
    evaluate_corpus("jsonl", str(CORPUS), progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen and seen[-1] == ("evaluate", 4, 4)
    assert all(stage == "evaluate" for stage, _, _ in seen)  # fewer than 1,000 records: no reading steps
