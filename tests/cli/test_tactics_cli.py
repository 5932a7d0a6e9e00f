"""``accord logroll``, ``meso``, ``presettle``, ``improve``: JSON shapes, the MESO update loop, bad input → exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app, main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
JOB = str(ROOT / "examples" / "job-offer.yaml")


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``accord`` in-process through :func:`accord.cli.main`; return the exit code and stderr."""
    monkeypatch.setattr(sys, "argv", ["accord", *args])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err


def compromise_text(path: str) -> str:
    from accord.analysis.bargaining import compromise_package
    from accord.io import load_case

    case = load_case(path)
    return ",".join(f"{k}={v}" for k, v in case.labels(compromise_package(case)).items())


def first_party(path: str) -> str:
    from accord.io import load_case

    return load_case(path).party_names[0]


def test_logroll_json() -> None:
    data = run_json("logroll", JOB)
    assert data["trades"], "the job offer has logrolls"
    for t in data["trades"]:
        assert set(t) >= {"package", "gains", "joint_gain", "description", "changes"}
        assert all(v > 0 for v in t["gains"].values())
        assert set(t["package"]) == {"salary", "signing_bonus", "start_date", "remote_days", "training_budget",
                                     "vacation_days"}
    joints = [t["joint_gain"] for t in data["trades"]]
    assert joints == sorted(joints, reverse=True)
    believed = run_json("logroll", JOB, "--estimate-of", "candidate", "--between", "candidate", "employer")
    assert believed["view"] == "as candidate believes"
    assert all("true_gains" in t for t in believed["trades"])
    start = run_json("logroll", JOB, "--from", "salary=81k", "--limit", "2", "--all")
    assert start["reference"]["salary"] == "81k" and len(start["trades"]) <= 2


def test_meso_json_and_update_loop(tmp_path: Path) -> None:
    first = tmp_path / "b1.json"
    data = run_json("meso", JOB, "--party", "candidate", "--level", "0.8", "--count", "3", "--save-belief",
                    str(first))
    assert data["tolerance"] == 0.02 and len(data["offers"]) == 3
    for o in data["offers"]:
        assert set(o) >= {"package", "utilities", "serves"}
        assert abs(o["gain"] - 0.8) <= 0.02 + 1e-9
    assert set(data) >= {"spread", "diversity", "expected_value", "information_gain", "belief"}
    saved = json.loads(first.read_text())
    assert len(saved["offers"]) == 3 and saved["request"]["level"] == 0.8
    second = tmp_path / "b2.json"
    upd = run_json("meso", JOB, "--party", "candidate", "--update", str(first), "--chosen", "2", "-o", str(second))
    assert upd["update"]["chosen"] == 2
    assert upd["update"]["posterior"] != upd["update"]["prior"]
    assert upd["level"] == 0.8
    assert len(json.loads(second.read_text())["history"]) == 1
    # a belief file given by hand
    hand = tmp_path / "hand.json"
    hand.write_text(json.dumps({"about": "employer", "proposer": "candidate", "hypotheses": [
        {"name": "start matters", "weights": {"start_date": 3, "salary": 1}},
        {"name": "remote matters", "weights": {"remote_days": 3, "salary": 1}}]}))
    data = run_json("meso", JOB, "--party", "candidate", "--target", "8000", "--count", "2", "--belief", str(hand))
    assert data["belief"].keys() == {"start matters", "remote matters"}
    assert data["target"] == pytest.approx(8000)
    for o in data["offers"]:
        assert o["serves"] in ("start matters", "remote matters") or o["serves"].startswith("mixture")
        assert data["band"]["low"] - 1e-6 <= o["utilities"]["candidate"] <= data["band"]["high"] + 1e-6


def test_presettle_and_improve_json() -> None:
    data = run_json("presettle", JOB, "--fix", "salary=84k")
    assert set(data) >= {"joint_value_lost", "frontier", "full_frontier", "outlook"}
    assert data["joint_value_lost"] >= 0 and data["frontier"]
    data = run_json("improve", JOB, "--agreement", compromise_text(JOB))
    assert data["pareto_optimal"] is False
    assert data["proposal"] is not None and set(data["proposal"]) >= {"package", "utilities"}
    for imp in data["improvements"]:
        assert set(imp) >= {"package", "utilities"}
    private = run_json("improve", JOB, "--agreement", compromise_text(JOB), "--for", "candidate")
    assert "employer" not in json.dumps(private)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_command_runs_on_every_example(example: Path) -> None:
    path = str(example)
    party = first_party(path)
    agreement = compromise_text(path)
    fix = agreement.split(",")[0]
    for args in (["logroll", path], ["meso", path, "--party", party], ["presettle", path, "--fix", fix],
                 ["improve", path, "--agreement", agreement]):
        run_json(*args)
        human = CliRunner().invoke(app, args)
        assert human.exit_code == 0, (args, human.output, human.exception)
        assert human.output.strip()


BAD = [
    (["presettle", JOB, "--fix", "salary=1M"], "issue 'salary' has no option '1M'"),
    (["presettle", JOB, "--fix", "bonus=5k"], "unknown issue 'bonus'"),
    (["improve", JOB, "--agreement", "salary=84k"], "gives no option for"),
    (["meso", JOB, "--party", "candidate", "--target", "99999"], "above candidate's best package"),
    (["meso", JOB, "--party", "candidate", "--level", "1.5"], "level must be between 0"),
    (["meso", JOB, "--party", "candidate", "--tolerance", "0"], "tolerance must be a positive number"),
    (["meso", JOB, "--party", "candidate", "--count", "0"], "count must be at least 1"),
    (["meso", JOB, "--party", "nobody"], "unknown party 'nobody'"),
    (["meso", JOB, "--party", "candidate", "--belief", "/nonexistent/b.json"], "belief file not found"),
    (["meso", JOB, "--party", "candidate", "--chosen", "1"], "--chosen needs --update"),
    (["logroll", JOB, "--between", "candidate", "ghost"], "unknown party 'ghost'"),
    (["logroll", JOB, "--estimate-of", "employer"], "no estimate by 'employer'"),
    (["logroll", JOB, "--from", "start_date=July"], "no option 'July'"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a[:1] + a[2:]) for a, _ in BAD])
def test_bad_input_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                          args: list[str], message: str) -> None:
    code, err = run_main(monkeypatch, capsys, *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and err.startswith("accord: error: ")


def test_bad_belief_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, err = run_main(monkeypatch, capsys, "meso", JOB, "--party", "candidate", "--belief", str(broken))
    assert code == 2 and "not valid JSON" in err and str(broken) in err
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"about": "employer", "hypotheses": [{"scores": {"salary": {"78k": 1}}}]}))
    code, err = run_main(monkeypatch, capsys, "meso", JOB, "--party", "candidate", "--belief", str(wrong))
    assert code == 2 and "no value for option '81k'" in err and "hypotheses[0].scores.salary" in err
    saved = tmp_path / "saved.json"
    run_json("meso", JOB, "--party", "candidate", "--save-belief", str(saved))
    code, err = run_main(monkeypatch, capsys, "meso", JOB, "--party", "candidate", "--update", str(saved),
                         "--chosen", "9")
    assert code == 2 and "must be one of 1..3" in err
    code, err = run_main(monkeypatch, capsys, "meso", JOB, "--party", "employer", "--update", str(saved),
                         "--chosen", "1")
    assert code == 2 and "held by 'candidate'" in err


def test_exit_code_through_the_real_entry_point() -> None:
    out = subprocess.run([sys.executable, "-m", "accord", "presettle", JOB, "--fix", "salary=1M"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().startswith("accord: error:") and out.stderr.count("\n") == 1
    assert "Traceback" not in out.stderr
