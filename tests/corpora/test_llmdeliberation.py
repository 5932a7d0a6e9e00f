"""LLM-Deliberation games: the README's reference figures for the base game, a bundled synthetic game checked
against brute force, ``accord import llm-deliberation`` and malformed game folders."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.analysis import bargaining, pareto_frontier
from accord.analysis.pyramid import zone_size
from accord.cli import app
from accord.corpora.llmdeliberation import load_game
from accord.errors import FormatError
from accord.io.casefile import load_case

MINI = Path(__file__).resolve().parents[1] / "data" / "llm-deliberation-mini"
BASE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "llm-deliberation" / "base"


@pytest.fixture(scope="module")
def base_case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not BASE.exists():
        pytest.skip("../shared/data/llm-deliberation/base is not present (the shared data is missing)")
    out = tmp_path_factory.mktemp("llm") / "base.yaml"
    r = CliRunner().invoke(app, ["import", "llm-deliberation", str(BASE), "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


def test_base_reference_figures(base_case_file: Path) -> None:
    """720 deals, 55 pass, 51 Pareto-optimal among them, best passing total 391, 481 on the full frontier."""
    case = load_case(base_case_file)
    assert case.space_size == 720 and case.n_parties == 6
    assert case.agreement.quorum == 5 and set(case.agreement.veto) == {"SportCo", "Department of Tourism"}
    assert zone_size(case) == 55
    assert zone_size(case, parties=list(case.party_names)) == 12  # every party accepts
    zone = pareto_frontier(case, rational=True)
    assert sum(zone.package_counts) == 51
    assert zone.utilities.sum(axis=1).max() == 391
    assert sum(pareto_frontier(case).package_counts) == 481
    b = bargaining(case)
    assert (b.zone_size, b.zone_frontier_size, b.frontier_size) == (55, 51, 481)
    assert b.solutions["utilitarian"].joint_value == 391


def test_base_through_the_command_line(base_case_file: Path) -> None:
    r = CliRunner().invoke(app, ["analyze", str(base_case_file), "--json"])
    assert r.exit_code == 0, r.output
    bar = json.loads(r.output)["bargaining"]
    assert (bar["zone_size"], bar["zone_frontier_size"], bar["frontier_size"]) == (55, 51, 481)
    assert "at least 5 of 6" in bar["agreement_rule"]
    r = CliRunner().invoke(app, ["frontier", str(base_case_file), "--rational", "--json"])
    assert r.exit_code == 0, r.output
    points = json.loads(r.output)["points"]
    assert len(points) == 51 and max(sum(p["utilities"].values()) for p in points) == 391


def test_issue_and_option_names_come_from_the_texts() -> None:
    case = load_game(MINI)
    assert case.issue_names == ("Pier Length", "Opening Hours", "Funding")
    assert case.issues[0].options == ("A1 short", "A2 long")
    assert case.issues[1].options == ("B1 6 am to 10 pm", "B2 around the clock", "B3 daytime only")
    assert case.party_names == ("Harbour Board", "City Council", "Fishers' Guild", "Residents")
    assert case.batnas.tolist() == [45, 35, 40, 50]
    assert case.shared_scales


def test_mini_game_equals_brute_force() -> None:
    """The synthetic game's rule, zone and zone frontier from the score files alone (no Accord code)."""
    files = [line.split(",")[1].strip() for line in (MINI / "config.txt").read_text().splitlines()]
    tables = []
    for f in files:
        rows = [[float(x) for x in ln.split(",")] for ln in (MINI / "scores_files" / f"{f}.txt").read_text().split("\n")
                if ln.strip()]
        tables.append((rows[:-1], rows[-1][0]))
    deals = list(itertools.product(*[range(len(r)) for r in tables[0][0]]))
    scores = [[sum(t[k][o] for k, o in enumerate(d)) for t, _ in tables] for d in deals]
    ok = [sum(s >= b for s, (_, b) in zip(sc, tables, strict=True)) >= 3 and sc[0] >= tables[0][1]
          and sc[1] >= tables[1][1] for sc in scores]
    passing = [sc for sc, o in zip(scores, ok, strict=True) if o]
    undominated = [a for a in passing if not any(all(x >= y for x, y in zip(b, a, strict=True)) and b != a
                                                 for b in passing)]
    case = load_game(MINI)
    assert zone_size(case) == sum(ok) == 4
    zone = pareto_frontier(case, rational=True)
    assert sorted(map(tuple, zone.utilities.tolist())) == sorted(map(tuple, undominated))
    b = bargaining(case)
    assert b.zone_size == 4 and not b.zopa_empty
    # the Nash point counts an outvoted party's shortfall as 0 surplus: it picks a deal everyone accepts
    nash = b.solutions["nash"]
    assert all(v >= 0 for v in nash.surplus.tolist())


def test_import_writes_a_case_file_that_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "mini.yaml"
    r = CliRunner().invoke(app, ["import", "llm-deliberation", str(MINI), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "at least 3 of 4 parties accept" in " ".join(r.output.split())
    assert load_case(out) == load_game(MINI)
    assert "agreement:" in out.read_text(encoding="utf-8")


def _broken(tmp_path: Path, name: str, text: str) -> Path:
    game = tmp_path / "game"
    shutil.copytree(MINI, game)
    (game / name).write_text(text, encoding="utf-8")
    return game


@pytest.mark.parametrize(("name", "text", "message"), [
    ("config.txt", "A,board,p1\nB,council,player\nC,fishers,player\n", "exactly one party with role p2"),
    ("config.txt", "A\n", "a config line reads"),
    ("scores_files/board.txt", "10, 40\n0, 30, 5\n45\n", "options per issue"),
    ("scores_files/board.txt", "10, forty\n0, 30, 5\n0, 30\n45\n", "comma-separated numbers"),
    ("scores_files/board.txt", "10, 40\n0, 30, 5\n0, 30\n45, 46\n", "minimum threshold"),
])
def test_malformed_games_name_the_file(tmp_path: Path, name: str, text: str, message: str) -> None:
    game = _broken(tmp_path, name, text)
    with pytest.raises(FormatError, match=message) as err:
        load_game(game)
    assert "\n" not in str(err.value) and str(game) in str(err.value)


def test_missing_scores_file_and_not_a_folder(tmp_path: Path) -> None:
    game = tmp_path / "game"
    shutil.copytree(MINI, game)
    (game / "scores_files" / "residents.txt").unlink()
    with pytest.raises(FormatError, match=r"residents\.txt"):
        load_game(game)
    with pytest.raises(FormatError, match="not a folder"):
        load_game(game / "config.txt")
