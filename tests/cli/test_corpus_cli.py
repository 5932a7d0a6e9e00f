"""``accord corpus``: the figures of val.txt, per-line CSV, unknown corpora, malformed files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from accord.cli import app
from shared_data import shared_data

GOOD = ("<input> 1 6 3 0 2 2 </input> <dialogue> YOU: hi <eos> THEM: <selection> </dialogue> "
        "<output> item0=1 item1=0 item2=2 item0=0 item1=3 item2=0 </output> "
        "<partner_input> 1 2 3 2 2 1 </partner_input>")
NONE = GOOD.split("<output>")[0] + "<output>" + " <disagree>" * 6 + " </output>" + GOOD.split("</output>")[1]


def _accord(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, check=False)


def test_val_figures_as_json() -> None:
    r = _accord("corpus", "dealornodeal", str(shared_data("dealornodeal/val.txt")), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert (d["lines"], d["agreements"], d["pareto_optimal_count"]) == (1087, 844, 686)
    assert [round(100 * d[k], 2) for k in ("agreement_rate", "pareto_optimal_rate", "max_joint_rate", "nash_rate")] \
        == [77.64, 81.28, 61.61, 56.87]
    means = [round(d[k], 2) for k in ("mean_points", "mean_joint_points", "mean_max_joint_points")]
    assert means == [7.49, 14.97, 15.67]


def test_small_file_in_words_and_per_line(tmp_path: Path) -> None:
    p = tmp_path / "c.txt"
    p.write_text(GOOD + "\n" + NONE + "\n", encoding="utf-8")
    out = tmp_path / "lines.csv"
    r = CliRunner().invoke(app, ["corpus", "dealornodeal", str(p), "--per-line", str(out)])
    assert r.exit_code == 0, r.output
    assert "agreements" in r.output and "1 (50.00 %)" in r.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and lines[0].startswith("line,outcome,agreed,")
    assert lines[2].startswith("2,<disagree>,false,")


def test_unknown_corpus_lists_the_known_ones(tmp_path: Path) -> None:
    r = _accord("corpus", "negochat", str(tmp_path / "x.txt"))
    assert r.returncode == 2
    assert r.stderr.strip() == "accord: error: unknown corpus 'negochat'; known corpora: casino, dealornodeal, jsonl"


def test_malformed_file_fails_and_writes_nothing(tmp_path: Path) -> None:
    p = tmp_path / "c.txt"
    p.write_text(GOOD + "\n" + GOOD.replace("<output>", "<outptu>") + "\n", encoding="utf-8")
    out = tmp_path / "lines.csv"
    r = _accord("corpus", "dealornodeal", str(p), "--per-line", str(out), "--json")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert f"{p}: line 2: no <output> ... </output> part" in r.stderr
    assert not out.exists() and r.stdout == ""
    r = _accord("corpus", "dealornodeal", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "missing.txt: no such file" in r.stderr
