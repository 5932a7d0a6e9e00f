"""GENIUS and GeniusWeb cannot hold an agreement rule: exporting a case whose rule is not unanimity warns in one
line on stderr naming the rule (see docs/formats.md, "Agreement rules are not exported")."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from accord.corpora.llmdeliberation import load_game
from accord.io._xml import FormatWarning
from accord.io.casefile import save_case
from accord.io.genius import export_genius
from accord.io.geniusweb import export_geniusweb

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "llm-deliberation-mini"
RULE = "at least 3 of 4 parties accept, including Harbour Board and City Council"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accord", *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("fmt", ["genius", "geniusweb"])
def test_export_warns_once_about_a_dropped_rule(fmt: str, tmp_path: Path) -> None:
    case_file = tmp_path / "mini.yaml"
    save_case(load_game(MINI), case_file)
    proc = _run("export", fmt, str(case_file), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "agreement rule" in line]
    name = "GENIUS" if fmt == "genius" else "GeniusWeb"
    assert lines == [f"accord: warning: {name} files cannot hold an agreement rule: the case's rule ({RULE}) is "
                     "not written, and tools reading the export will assume unanimity (every party accepts)"]
    assert (tmp_path / "out").is_dir()


@pytest.mark.parametrize("fmt", ["genius", "geniusweb"])
def test_unanimity_exports_without_a_rule_warning(fmt: str, tmp_path: Path) -> None:
    proc = _run("export", fmt, str(ROOT / "examples" / "job-offer.yaml"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "agreement rule" not in proc.stderr


def test_library_exports_raise_a_format_warning(tmp_path: Path) -> None:
    case = load_game(MINI)
    for export, folder in ((export_genius, "g"), (export_geniusweb, "gw")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            export(case, tmp_path / folder)
        rule = [w for w in caught if issubclass(w.category, FormatWarning) and "agreement rule" in str(w.message)]
        assert len(rule) == 1 and RULE in str(rule[0].message)
