"""``accord meso`` says which belief it used; the fixed pie only on request; no lose-lose option offered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).resolve().parents[2]
NEW_RECRUIT = str(ROOT / "examples" / "new-recruit.yaml")


def test_default_belief_is_named_and_offers_are_not_lose_lose() -> None:
    result = CliRunner().invoke(app, ["meso", NEW_RECRUIT, "--party", "recruiter"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "belief about recruit: the case file's preferences for recruit, used as recruiter's estimate" in \
        result.output
    assert "San Francisco" not in result.output.split("never offered")[0]
    data = json.loads(CliRunner().invoke(app, ["meso", NEW_RECRUIT, "--party", "recruiter", "--json"]).output)
    assert data["belief_source"].startswith("the case file's preferences for recruit")
    assert {o["package"]["job_assignment"] for o in data["offers"]} == {"Analytics"}
    assert data["below_batna"] == []


def test_assume_fixed_pie_and_its_errors(tmp_path: Path) -> None:
    data = json.loads(CliRunner().invoke(
        app, ["meso", NEW_RECRUIT, "--party", "recruit", "--assume", "fixed-pie", "--json"]).output)
    assert data["belief_source"].startswith("the fixed-pie assumption, on request")
    belief = tmp_path / "b.json"
    saved = CliRunner().invoke(app, ["meso", NEW_RECRUIT, "--party", "recruit", "-o", str(belief), "--json"])
    assert saved.exit_code == 0, saved.output
    assert json.loads(belief.read_text())["source"].startswith("the case file's preferences")
    updated = CliRunner().invoke(app, ["meso", NEW_RECRUIT, "--party", "recruit", "--update", str(belief),
                                       "--chosen", "1", "--json"])
    assert updated.exit_code == 0, updated.output
    assert json.loads(updated.output)["belief_source"].endswith("updated by Bayes' rule after 1 answer(s)")
    for args, message in [(["--assume", "zero-sum"], "--assume takes 'estimate' or 'fixed-pie'"),
                          (["--assume", "fixed-pie", "--belief", str(belief)], "not both")]:
        out = subprocess.run([sys.executable, "-m", "accord", "meso", NEW_RECRUIT, "--party", "recruit", *args],
                             capture_output=True, text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "200"},
                             check=False)
        assert out.returncode == 2 and message in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
