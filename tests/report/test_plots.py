"""Charts for any number of parties: a subset of pairwise panels, an every-party chart, merged solution markers,
the compromise package, the shaded zone, and plotly.js written once beside many reports (issue 8 §1.9, §3)."""

from __future__ import annotations

import itertools
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.bargaining import bargaining, compromise_package
from accord.analysis.frontier import pareto_frontier
from accord.analysis.report import analyze
from accord.io import load_case
from accord.model import Case
from accord.report.analysis_html import analysis_html
from accord.report.plots import (
    MAX_PANELS,
    PLOTLY_FILE,
    chart_pairs,
    outcome_space_figure,
    plotly_js_path,
    profile_figure,
    solution_markers,
    write_plotly_js,
)

ROOT = Path(__file__).resolve().parents[2]


def _random_case(n: int, m: int = 4, seed: int = 1) -> Case:
    r = random.Random(seed)
    issues = {f"i{k}": [f"o{o}" for o in range(3)] for k in range(m)}
    points = {f"P{p}": {k: [r.randint(0, 9) for _ in opts] for k, opts in issues.items()} for p in range(n)}
    return Case.from_tables(f"{n} parties", issues, points, batnas={p: r.randint(3, 8) for p in points})


def _panels(fig: object) -> int:
    """Panels that hold data (a grid may have an empty cell)."""
    return len({t.xaxis for t in fig.data})  # type: ignore[attr-defined]


@pytest.mark.parametrize("n", [3, 7, 8, 10])
def test_any_number_of_parties_draws_a_bounded_set_of_panels(n: int) -> None:
    case = _random_case(n)
    front = pareto_frontier(case)
    fig = outcome_space_figure(case, front, bargaining(case, front))  # 8 parties used to crash plotly
    pairs = n * (n - 1) // 2
    assert _panels(fig) == min(pairs, MAX_PANELS)
    if pairs > MAX_PANELS:
        assert f"{MAX_PANELS} of the {pairs} pairs" in fig.layout.title.text
    chosen, total = chart_pairs(case, front)
    assert total == pairs
    # every party is in some panel when the panels can cover them all
    if n <= 2 * MAX_PANELS:
        assert set(itertools.chain.from_iterable(chosen)) == set(range(n))


def test_chosen_pairs_do_not_depend_on_party_order() -> None:
    case = _random_case(8, seed=4)
    names = case.party_names
    perm = [3, 7, 0, 5, 1, 6, 2, 4]
    permuted = Case(case.name, case.issues, tuple(case.parties[i] for i in perm),
                    tuple(case.preferences[i] for i in perm))

    def named(c: Case) -> set[frozenset[str]]:
        chosen, _ = chart_pairs(c, pareto_frontier(c))
        return {frozenset((c.party_names[i], c.party_names[j])) for i, j in chosen}

    assert named(case) == named(permuted)
    assert len(named(case)) == MAX_PANELS and all(len(p) == 2 for p in named(case))
    assert set(names) == set(permuted.party_names)


def test_coinciding_solution_points_share_one_marker_with_a_combined_label() -> None:
    # One issue, symmetric: Nash, Kalai–Smorodinsky, max joint value and the compromise are the same package.
    case = Case.from_tables("t", {"a": ["x", "y", "z"]}, {"A": {"a": [0, 2, 3]}, "B": {"a": [3, 2, 0]}})
    front = pareto_frontier(case)
    markers = solution_markers(case, bargaining(case, front))
    assert len(markers) == 1
    assert markers[0].label == "Nash = Kalai–Smorodinsky = Max joint value = Compromise package"
    fig = outcome_space_figure(case, front, bargaining(case, front))
    names = [t.name for t in fig.data]
    assert names.count(markers[0].label) == 1 and "Nash" not in names


def test_distinct_points_keep_their_own_markers_and_the_compromise_is_marked() -> None:
    case = load_case(ROOT / "examples" / "joint-venture.yaml")
    front = pareto_frontier(case)
    barg = bargaining(case, front)
    markers = solution_markers(case, barg)
    assert sum(len(m.keys) for m in markers) == len(barg.solutions) + 1
    comp = [m for m in markers if "compromise" in m.keys]
    assert len(comp) == 1
    np.testing.assert_allclose(comp[0].utilities, case.utilities([compromise_package(case)])[0])
    fig = outcome_space_figure(case, front, barg)
    assert sum(1 for t in fig.data if t.name == comp[0].label and t.showlegend) == 1


def test_two_parties_shade_the_bargaining_zone() -> None:
    case = load_case(ROOT / "examples" / "job-offer.yaml")
    front = pareto_frontier(case)
    fig = outcome_space_figure(case, front, bargaining(case, front))
    zone = [t for t in fig.data if t.name == "bargaining zone"]
    assert len(zone) == 1 and zone[0].fill == "toself"
    b = case.batnas
    assert min(zone[0].x) == pytest.approx(b[0]) and min(zone[0].y) == pytest.approx(b[1])
    assert max(zone[0].x) >= front.utilities[:, 0].max() and max(zone[0].y) >= front.utilities[:, 1].max()


def test_profile_figure_draws_every_party_on_normalised_gains() -> None:
    case = _random_case(8, m=5, seed=2)
    front = pareto_frontier(case)
    barg = bargaining(case, front)
    fig = profile_figure(case, front, barg, max_lines=20)
    lines = fig.data[0]
    assert f"20 of {len(front)} points" in lines.name
    assert sum(1 for x in lines.x if x is None) == 20
    ys = np.array([y for y in lines.y if y is not None], dtype=float)
    assert ys.max() <= 1 + 1e-9  # normalised gains: 1 is the party's best package
    nash = next(t for t in fig.data if t.name.startswith("Nash"))
    expected = (barg.solutions["nash"].utilities - case.batnas) / (barg.ideal - case.batnas)
    np.testing.assert_allclose(nash.y, expected)


def test_html_report_has_the_every_party_chart_only_with_more_than_two_parties() -> None:
    three = analysis_html(analyze(load_case(ROOT / "examples" / "joint-venture.yaml")))
    two = analysis_html(analyze(load_case(ROOT / "examples" / "job-offer.yaml")))
    assert 'id="every-party"' in three and 'id="every-party"' not in two
    eight = analysis_html(analyze(_random_case(8)))
    assert 'id="every-party"' in eight and 'id="outcome-space"' in eight


def test_footer_names_the_file_not_its_folders() -> None:
    path = (ROOT / "examples" / "job-offer.yaml").resolve()
    page = analysis_html(analyze(load_case(path)))
    assert "from job-offer.yaml." in page
    assert str(path.parent) not in page
    from accord.report.analysis_md import analysis_md

    md = analysis_md(analyze(load_case(path)))
    assert "from job-offer.yaml._" in md and str(path.parent) not in md


def test_plotly_js_is_written_once_and_referenced_relatively(tmp_path: Path) -> None:
    a, b = tmp_path / "reports" / "a.html", tmp_path / "reports" / "deep" / "b.html"
    assert write_plotly_js(tmp_path / "assets", a) == f"../assets/{PLOTLY_FILE}"
    lib = tmp_path / "assets" / PLOTLY_FILE
    first = lib.stat().st_mtime_ns
    assert write_plotly_js(tmp_path / "assets", b) == f"../../assets/{PLOTLY_FILE}"
    assert lib.stat().st_mtime_ns == first  # identical content: not rewritten
    assert plotly_js_path(tmp_path / "lib.js", a)[1] == "../lib.js"
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    inline = analysis_html(analyze(case))
    linked = analysis_html(analyze(case), plotly_src="../assets/plotly.min.js")
    assert '<script src="../assets/plotly.min.js"' in linked and "<script src" not in inline
    assert len(linked) < len(inline) - 3_000_000 and "https://cdn" not in linked


def test_cli_plotly_js_option(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from accord.cli import app

    runner = CliRunner()
    for name in ("job-offer", "joint-venture"):
        out = tmp_path / "reports" / f"{name}.html"
        r = runner.invoke(app, ["analyze", str(ROOT / "examples" / f"{name}.yaml"), "--report", str(out),
                                "--plotly-js", str(tmp_path / "assets")])
        assert r.exit_code == 0, r.output
        assert '<script src="../assets/plotly.min.js"' in out.read_text(encoding="utf-8")
    assert [p.name for p in (tmp_path / "assets").iterdir()] == [PLOTLY_FILE]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium (headless) on PATH")
def test_eight_party_report_renders_in_a_browser(tmp_path: Path) -> None:
    page = tmp_path / "eight.html"
    page.write_text(analysis_html(analyze(_random_case(8))), encoding="utf-8")
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom",
         page.as_uri()], capture_output=True, text=True, timeout=120, check=False).stdout
    # plotly marks every chart it drew with the class js-plotly-plot; a failed script leaves plain divs
    assert dom.count("js-plotly-plot") >= 2 and 'class="main-svg"' in dom
