"""Multi-party output is readable (issue 8 §1.9): one line per issue's kind, pairwise detail only in JSON, and
tables that wrap between words at 80, 100 and 120 columns for 2, 3 and 8 parties."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest

from accord.analysis.issues import classify_issues
from accord.analysis.report import Analysis, analyze
from accord.io import load_case
from accord.model import Case
from accord.report import view

ROOT = Path(__file__).resolve().parents[2]


def _eight() -> Case:
    r = random.Random(1)
    issues = {f"issue_{k}": [f"opt{o}" for o in range(3)] for k in range(5)}
    points = {f"party_{chr(65 + p)}": {k: [r.randint(0, 10) for _ in o] for k, o in issues.items()} for p in range(8)}
    return Case.from_tables("Generated 8-party case", issues, points,
                            batnas={p: r.randint(5, 10) for p in points})


def test_kind_summary_groups_parties_by_best_option_and_names_the_minority_pairs() -> None:
    case = load_case(ROOT / "examples" / "joint-venture.yaml")
    kinds = classify_issues(case)
    line = view.kind_summary(kinds["land_lease"])
    assert line == ("land_lease is mixed: developer & cooperative want 2 EUR/m², port wants 4 EUR/m²; "
                    "compatible for developer–cooperative, integrative otherwise")
    assert "\n" not in line
    assert view.kind_summary(kinds["equity_split"]).endswith("; integrative for every pair")


def test_kind_summary_of_two_parties_is_the_kind_and_the_wishes() -> None:
    case = load_case(ROOT / "examples" / "job-offer.yaml")
    line = view.kind_summary(classify_issues(case)["training_budget"])
    assert line == "training_budget is compatible: candidate & employer want 3k"


def test_kind_summary_caps_the_pairs_it_names() -> None:
    kinds = classify_issues(_eight())
    for issue in kinds:
        line = view.kind_summary(issue)
        named = re.findall(r"party_[A-H]–party_[A-H]", line)
        assert len(named) <= 2 * view.MAX_PAIRS_NAMED, line
        assert len(line) < 400
        # every party is named once in the "wants" part
        wants = line.split(";")[0]
        assert all(wants.count(p) == 1 for p in issue.best_options), line


def test_kind_summary_does_not_depend_on_party_order() -> None:
    case = load_case(ROOT / "examples" / "joint-venture.yaml")
    perm = (2, 0, 1)
    permuted = Case(case.name, case.issues, tuple(case.parties[i] for i in perm),
                    tuple(case.preferences[i] for i in perm))

    def parts(c: Case, name: str) -> tuple[set[str], set[str]]:
        line = view.kind_summary(classify_issues(c)[name])
        head, _, tail = line.partition("; ")
        groups = {"&".join(sorted(g.split(" want")[0].split(" & "))) for g in head.split(": ", 1)[1].split(", ")}
        pairs = {"–".join(sorted(p.split("–"))) for p in re.findall(r"\w+–\w+", tail)}
        return groups, pairs

    for issue in case.issue_names:
        assert parts(case, issue) == parts(permuted, issue)


def _terminal(a: Analysis, width: int) -> str:
    from rich.console import Console

    from accord.report.terminal import print_analysis

    buf = io.StringIO()
    print_analysis(a, Console(file=buf, width=width, force_terminal=False, color_system=None, highlight=False))
    return buf.getvalue()


def _words(a: Analysis) -> set[str]:
    """Words of every table cell (the tables the terminal prints)."""
    out: set[str] = set()
    for t in (view.issues_table(a), view.zone_table(a), view.solutions_table(a)):
        for row in t.rows:
            for cell in row[:-1] if t.title == "Issues" else row:
                out.update(w for w in cell.split() if len(w) <= 24)
    return out


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("which", ["job-offer", "joint-venture", "eight"])
def test_tables_wrap_between_words(which: str, width: int) -> None:
    case = _eight() if which == "eight" else load_case(ROOT / "examples" / f"{which}.yaml")
    a = analyze(case)
    text = _terminal(a, width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    tokens = {w.strip(",;:.()") for w in text.split()}
    broken = sorted(w for w in _words(a) if w.strip(",;:.()") not in tokens)
    assert not broken, f"words split across lines at {width} columns: {broken[:10]}"


def test_many_parties_print_one_line_per_issue_and_keep_pairs_in_json() -> None:
    case = load_case(ROOT / "examples" / "joint-venture.yaml")
    a = analyze(case)
    text = _terminal(a, 100)
    bullets = [line for line in text.splitlines() if line.lstrip().startswith("•") and " is " in line]
    assert len([b for b in bullets if any(f"• {i} is " in b for i in case.issue_names)]) == case.n_issues
    assert "developer–cooperative: integrative," not in text  # the old pair-by-pair reasons
    data = json.loads(json.dumps(a.to_dict(), default=str))
    issues = data["issues"] if isinstance(data["issues"], list) else data["issues"]["issues"]
    issue = next(i for i in issues if i["id"] == "operator")
    assert len(issue["pairs"]) == 3 and all("why" in p for p in issue["pairs"])


def test_html_issue_table_uses_the_one_line_summary_with_many_parties() -> None:
    a = analyze(load_case(ROOT / "examples" / "joint-venture.yaml"))
    why = {row[0]: row[-1] for row in view.issues_table(a).rows}
    assert why["land_lease"] == view.kind_summary(a.issues["land_lease"])


def test_a_very_narrow_terminal_prints_blocks_not_broken_tables() -> None:
    a = analyze(_eight())
    text = _terminal(a, 40)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "party_A:" in text or "party_A" in text


def test_named_pairs_of_many_parties_do_not_depend_on_party_order() -> None:
    case = _eight()
    perm = (5, 2, 7, 0, 3, 6, 1, 4)
    permuted = Case(case.name, case.issues, tuple(case.parties[i] for i in perm),
                    tuple(case.preferences[i] for i in perm))

    def named(c: Case) -> list[set[frozenset[str]]]:
        return [{frozenset(p.split("–")) for p in re.findall(r"party_[A-H]–party_[A-H]", view.kind_summary(k))}
                for k in classify_issues(c)]

    assert named(case) == named(permuted)
