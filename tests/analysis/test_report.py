"""The combined analysis result, its JSON form, and the HTML / Markdown / image renderings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.bargaining import bargaining
from accord.analysis.frontier import pareto_frontier
from accord.analysis.issues import classify_issues
from accord.analysis.report import analyze
from accord.errors import RequestError
from accord.model import Case, Estimate, Preferences
from accord.report.analysis_html import analysis_html
from accord.report.analysis_md import analysis_md
from accord.report.plots import outcome_space, outcome_space_figure, plotly_js, save_outcome_space_image


def job_offer() -> Case:
    case = Case.from_tables(
        "Job offer",
        {"salary": ["90k", "95k", "100k"], "start": ["June", "July", "August"], "training": ["no", "yes"]},
        {"candidate": {"salary": [0, 1000, 2000], "start": [0, 300, 600], "training": [0, 500]},
         "employer": {"salary": [2000, 1000, 0], "start": [1600, 800, 0], "training": [0, 300]}},
        batnas={"candidate": 1200, "employer": 0}, shared_scales=True, description="A small <b>test</b> story.")
    guess = Estimate("candidate", "employer", Preferences(((2000.0, 1000.0, 0.0), (1600.0, 800.0, 0.0),
                                                           (300.0, 0.0))))
    return Case(case.name, case.issues, case.parties, case.preferences, True, (guess,),
                description=case.description)


def three_parties() -> Case:
    return Case.from_tables(
        "Three", {"a": ["x", "y", "z"], "b": ["p", "q"]},
        {"A": {"a": [0, 2, 4], "b": [1, 0]}, "B": {"a": [4, 2, 0], "b": [0, 3]}, "C": {"a": [1, 3, 0], "b": [2, 2]}},
        batnas={"A": 1, "B": 1, "C": 1})


def test_analysis_combines_the_parts() -> None:
    case = job_offer()
    a = analyze(case)
    assert a.tau == 0.1
    assert a.issues.kinds == classify_issues(case).kinds
    assert len(a.frontier) == len(pareto_frontier(case))
    assert a.bargaining.to_dict() == bargaining(case).to_dict()
    assert a.zopa_empty is False
    # Perception advice sits right after the first win-win advice.
    assert a.advice[0] == a.potential.advice[0]
    assert a.advice[1].startswith("Illusory conflict on training")
    assert a.notes[0].startswith("joint values, shares and gains use points")


def test_to_dict_is_json_with_issue_ids_and_zopa() -> None:
    d = analyze(job_offer()).to_dict()
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    assert [i["id"] for i in back["issues"]] == ["salary", "start", "training"]
    assert [i["kind"] for i in back["issues"]] == ["distributive", "integrative", "compatible"]
    salary = back["issues"][0]
    assert salary["stakes"] == {"candidate": 2000.0, "employer": 2000.0}
    assert salary["joint_values"] == {"90k": 2000.0, "95k": 2000.0, "100k": 2000.0}
    assert salary["rank_correlation"]["spearman"] == pytest.approx(-1.0)
    assert salary["tau"] == 0.1 and salary["importance_limit"] == pytest.approx(200)
    assert back["zopa_empty"] is False
    assert back["frontier"]["size"] == back["frontier"]["points_shown"] == len(back["frontier"]["points"])
    assert set(back["bargaining"]["solutions"]) >= {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    # salary × start differ in priority, but no move of them leaves both strictly better off: no trade.
    assert back["logrolling_count"] == 1 and back["logrolling"][0]["both_gain"] is False
    assert back["logrolling"][0]["joint_gain"] == 0.0
    assert back["trades"]["trades"] == [] and "no two-issue trade" in back["trades"]["message"]
    assert back["perception"]["estimates"][0]["illusory_conflict"] is True
    assert back["advice"] and back["case"]["packages"] == 18


def test_frontier_points_are_capped_with_both_ends() -> None:
    a = analyze(job_offer())
    summary = a.frontier_summary(max_points=2)
    assert summary["size"] == len(a.frontier) > 2
    assert summary["points_shown"] == 2
    first = summary["points"][0]["utilities"]
    assert first["candidate"] == float(a.frontier.utilities[0, 0])
    assert summary["points"][-1]["utilities"]["candidate"] == float(a.frontier.utilities[-1, 0])


def test_empty_zone_is_reported() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 10]}, "B": {"a": [10, 0]}},
                            batnas={"A": 6, "B": 6}, shared_scales=True)
    a = analyze(case)
    assert a.zopa_empty and a.to_dict()["zopa_empty"] is True
    assert "No bargaining zone" in analysis_md(a)
    assert "No deal is possible" in a.advice[0]


def test_html_is_self_contained() -> None:
    page = analysis_html(analyze(job_offer()))
    assert page.startswith("<!DOCTYPE html>")
    assert "https://cdn" not in page and "http://cdn" not in page
    assert "<script src" not in page
    assert "Plotly.newPlot" in page or "Plotly.react" in page
    assert len(page) > 1_000_000                      # plotly.js itself is inline
    assert "A small &lt;b&gt;test&lt;/b&gt; story." in page       # the story is escaped
    for text in ("Issues", "Trades (logrolling)", "BATNAs and bargaining zone", "Solution points",
                 "Win-win potential", "Perception", "What to do", "distributive", "Illusory conflict"):
        assert text in page
    assert "https://cdn" not in plotly_js()


def test_markdown_report() -> None:
    text = analysis_md(analyze(job_offer()))
    assert text.startswith("# Job offer\n")
    assert "| salary | distributive |" in text
    assert "## What to do" in text and "1. " in text
    assert "| Nash<br>Kalai–Smorodinsky" in text


def test_outcome_space_all_or_sampled() -> None:
    case = job_offer()
    full = outcome_space(case)
    assert not full.sampled and full.packages.shape == (18, 3)
    assert full.utilities.tolist() == case.utilities(full.packages).tolist()
    sample = outcome_space(case, max_packages=5, seed=3)
    assert sample.sampled and sample.packages.shape == (5, 3) and "random sample of 5 of 18" in sample.note
    assert np.array_equal(sample.packages, outcome_space(case, max_packages=5, seed=3).packages)
    with pytest.raises(RequestError):
        outcome_space(case, max_packages=0)


def test_outcome_space_figure_two_and_three_parties() -> None:
    case = job_offer()
    a = analyze(case)
    fig = outcome_space_figure(case, a.frontier, a.bargaining, agreements={"compromise": (1, 1, 1)})
    names = [t.name for t in fig.data]
    assert names[:3] == ["bargaining zone", "packages", "Pareto frontier"] and "compromise" in names
    assert any(n.split(" = ")[0] == "Nash" for n in names)  # coinciding solution points share one marker
    batna_text = [t.text[0] for t in fig.data if t.name == "BATNA lines"]
    assert [t.split(":")[0] for t in batna_text] == ["BATNA of candidate", "BATNA of employer"]
    c3 = three_parties()
    a3 = analyze(c3)
    fig3 = outcome_space_figure(c3, a3.frontier, a3.bargaining, agreements=np.array([[0, 0], [1, 1]]))
    assert sum(1 for t in fig3.data if t.name == "packages") == 3      # one panel per pair of parties
    assert [ann.text for ann in fig3.layout.annotations] == ["A vs B", "A vs C", "B vs C"]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_static_image(tmp_path: Path, suffix: str) -> None:
    case = three_parties()
    a = analyze(case)
    out = save_outcome_space_image(case, a.frontier, a.bargaining, tmp_path / f"space{suffix}")
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data[:2000]
    assert [p.name for p in tmp_path.iterdir()] == [f"space{suffix}"]        # no temporary file left


def test_static_image_bad_suffix(tmp_path: Path) -> None:
    case = job_offer()
    a = analyze(case)
    with pytest.raises(RequestError, match=r"must end in \.png or \.svg"):
        save_outcome_space_image(case, a.frontier, a.bargaining, tmp_path / "space.gif")
    assert not list(tmp_path.iterdir())
