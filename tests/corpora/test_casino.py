"""The CaSiNo adapter: the README's reference figures on the train split, a bundled sample checked against an
independent brute force over the 64 splits, malformed dialogues, and ``accord corpus casino``."""

from __future__ import annotations

import csv
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.corpora import CorpusEvaluation, evaluate_corpus
from accord.corpora.casino import parse_dialogue
from accord.errors import FormatError

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "casino_sample.json"
# the shared data sits beside the work tree (as in tests/conftest.py)
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
POINTS = {"High": 5, "Medium": 4, "Low": 3}
ITEMS = ("Food", "Water", "Firewood")


@pytest.fixture(scope="module")
def train() -> CorpusEvaluation:
    path = DATA / "casino" / "casino_train.json"
    if not path.exists():
        pytest.skip("../shared/data/casino/casino_train.json is not present (the shared data is missing)")
    return evaluate_corpus("casino", str(path))


def test_reference_figures_of_train(train: CorpusEvaluation) -> None:
    """Every figure of the README's reference paragraph, to the precision it is printed."""
    agg = train.aggregates
    assert (agg["dialogues"], agg["agreements"], agg["pareto_optimal_count"]) == (900, 876, 588)
    assert agg["outcomes"] == {"agreement": 876, "walk-away": 24}
    assert round(100 * agg["agreement_rate"], 2) == 97.33
    by_party = agg["mean_points_by_party"]
    assert (round(by_party["mturk_agent_1"], 2), round(by_party["mturk_agent_2"], 2)) == (18.91, 19.02)
    assert round(agg["mean_joint_points"], 2) == 37.92
    assert round(agg["mean_max_joint_points"], 2) == 39.38
    assert round(100 * agg["pareto_optimal_rate"], 2) == 67.12
    assert round(100 * agg["max_joint_rate"], 2) == 39.50
    assert round(100 * agg["nash_rate"], 2) == 20.32
    assert agg["distinct_games"] == 6  # 36 pairings, 6 up to the order of the items
    groups = agg["by_group"]
    assert list(groups) == ["identical order", "same top item", "different top item"]
    assert [groups[g]["dialogues"] for g in groups] == [228, 228, 444]
    assert [round(100 * groups[g]["pareto_optimal_rate"], 1) for g in groups] == [100.0, 46.6, 61.0]


def test_points_agree_with_the_recorded_points(train: CorpusEvaluation) -> None:
    agreed = [r for r in train.rows if r["agreed"]]
    assert len(agreed) == 876
    for r in agreed:
        assert r["points_mturk_agent_1"] == r["recorded_points_mturk_agent_1"]
        assert r["points_mturk_agent_2"] == r["recorded_points_mturk_agent_2"]


def _oracle(d: dict[str, Any]) -> dict[str, Any] | None:
    """Brute force over the 64 splits, straight from the corpus README (no Accord code)."""
    v = [{item: POINTS[lvl] for lvl, item in d["participant_info"][a]["value2issue"].items()}
         for a in ("mturk_agent_1", "mturk_agent_2")]
    deal = None
    submitted = None
    for turn in d["chat_logs"]:
        if turn["text"] == "Walk-Away":
            break
        if turn["text"] == "Submit-Deal":
            mine = turn["task_data"]["issue2youget" if turn["id"] == "mturk_agent_1" else "issue2theyget"]
            submitted = {k: int(x) for k, x in mine.items()}
        if turn["text"] == "Accept-Deal":
            deal = submitted
            break
    if deal is None:
        return None

    def pts(x: dict[str, int]) -> tuple[int, int]:
        return (sum(v[0][i] * x[i] for i in ITEMS), sum(v[1][i] * (3 - x[i]) for i in ITEMS))

    splits = [pts(dict(zip(ITEMS, xs, strict=True))) for xs in itertools.product(range(4), repeat=3)]
    a = pts(deal)
    dominated = any(s[0] >= a[0] and s[1] >= a[1] and s != a for s in splits)
    best_joint = max(s[0] + s[1] for s in splits)
    best_nash = max((s[0] - 5) * (s[1] - 5) for s in splits)
    return {"points": a, "pareto": not dominated, "max_joint": sum(a) == best_joint,
            "nash": min(a) >= 5 and (a[0] - 5) * (a[1] - 5) == best_nash}


def test_bundled_sample_equals_brute_force() -> None:
    res = evaluate_corpus("casino", str(SAMPLE))
    dialogues = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert len(res.rows) == len(dialogues) == 5
    for row, d in zip(res.rows, dialogues, strict=True):
        want = _oracle(d)
        assert row["agreed"] == (want is not None)
        if want is None:
            continue
        assert (row["points_mturk_agent_1"], row["points_mturk_agent_2"]) == want["points"]
        assert row["pareto_optimal"] == want["pareto"]
        assert row["at_max_joint"] == want["max_joint"]
        assert row["nash_optimal"] == want["nash"]
    agg = res.aggregates
    assert agg["outcomes"] == {"agreement": 3, "walk-away": 1, "no agreement": 1}
    assert [r["group"] for r in res.rows] == ["different top item", "identical order", "same top item",
                                              "same top item", "different top item"]
    # dialogue 101 trades food for water (Pareto-optimal), but one firewood goes to agent 2, who values it
    # less (3 points, not 4): 41 joint points of a possible 42
    assert res.rows[0]["pareto_optimal"] and not res.rows[0]["at_max_joint"]
    assert res.rows[0]["joint_value"] == 41 and res.rows[0]["max_joint_value"] == 42


def _dialogue(**change: Any) -> dict[str, Any]:
    d: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))[0]
    d.update(change)
    return d


@pytest.mark.parametrize(("dialogue", "message"), [
    (_dialogue(participant_info={"mturk_agent_1": {"value2issue": {"High": "Food"}},
                                 "mturk_agent_2": {"value2issue": {"High": "Food"}}}),
     "value2issue must map High, Medium and Low"),
    (_dialogue(chat_logs=[{"text": "Accept-Deal", "id": "mturk_agent_1", "task_data": {}}]),
     "accepts a deal, but the other participant submitted none"),
    (_dialogue(chat_logs=[{"text": "Submit-Deal", "id": "mturk_agent_1", "task_data": {
        "issue2youget": {"Food": "3", "Water": "3", "Firewood": "3"},
        "issue2theyget": {"Food": "1", "Water": "0", "Firewood": "0"}}}]), "does not split 3 of each"),
    (_dialogue(chat_logs=[{"text": "Submit-Deal", "id": "mturk_agent_1", "task_data": {
        "issue2youget": {"Food": "x", "Water": "3", "Firewood": "3"}}}]), "whole number of packages"),
    (_dialogue(chat_logs="hello"), "chat_logs must be a list"),
])
def test_malformed_dialogues_name_the_dialogue(dialogue: dict[str, Any], message: str) -> None:
    with pytest.raises(FormatError) as err:
        parse_dialogue(dialogue, number=4, file="c.json")
    text = str(err.value)
    assert text.startswith("c.json: dialogue 4 (dialogue_id 101)") and message in text and "\n" not in text


def test_cli_json_per_row_and_several_files(tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    r = CliRunner().invoke(app, ["corpus", "casino", str(SAMPLE), str(SAMPLE), "--json", "--per-row", str(out)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert (d["dialogues"], d["agreements"]) == (10, 6)
    assert set(d) >= {"dialogues", "agreements", "agreement_rate", "mean_points", "mean_joint_points",
                      "mean_max_joint_points", "pareto_optimal_rate", "max_joint_rate", "nash_rate", "by_group"}
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 10 and rows[0]["file"] == str(SAMPLE) and rows[0]["dialogue_id"] == "101"
    r = CliRunner().invoke(app, ["corpus", "casino", str(SAMPLE)])
    assert r.exit_code == 0 and "identical" in r.output and "walk-away" in r.output


def test_cli_bad_file_is_one_line(tmp_path: Path) -> None:
    p = tmp_path / "c.json"
    p.write_text('{"not": "a list"}', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "accord", "corpus", "casino", str(p)], capture_output=True, text=True,
                       check=False)
    assert r.returncode == 2 and r.stderr.strip() == f"accord: error: {p}: a CaSiNo file is a JSON list of dialogues"
