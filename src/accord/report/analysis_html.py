"""The analysis as a self-contained HTML page: advice, the outcome-space chart and every table.

The page embeds plotly.js from the installed plotly package (never a CDN), so it opens offline and can be
mailed as one file. Layout comes from :mod:`accord.report.view`, so the page shows exactly what the terminal
report shows, plus the interactive chart.
"""

from __future__ import annotations

from typing import Any

from accord.analysis.report import Analysis
from accord.report import view
from accord.report.plots import MAX_PACKAGES, figure_div, outcome_space_figure, plotly_js

#: Column of each table that holds a badge (kind, yes/no), by title.
_BADGES = {"Issues": 1, "Trades (logrolling)": 4, "Win-win potential (telltale signs)": 1,
           "Perception (estimates vs truth)": 2}


def _cell(text: object) -> Any:
    from markupsafe import Markup, escape

    return escape(str(text)).replace("\n", Markup("<br>"))


def tables(a: Analysis) -> list[view.Table]:
    """The tables of the report, in reading order."""
    return [view.issues_table(a), view.trades_table(a), view.zone_table(a), view.solutions_table(a),
            view.signs_table(a), view.perception_table(a)]


def analysis_html(a: Analysis, *, max_packages: int = MAX_PACKAGES) -> str:
    """Render ``a`` as one self-contained HTML page.

    Parameters
    ----------
    a : Analysis
    max_packages : int
        Packages drawn in the outcome space before it is sampled (see
        :func:`~accord.report.plots.outcome_space_figure`).

    Returns
    -------
    str
        The page; it contains plotly.js inline and no ``<script src=...>``.

    Examples
    --------
    >>> from accord.analysis.report import analyze
    >>> from accord.model import Case
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    >>> page = analysis_html(analyze(case))
    >>> page.startswith("<!DOCTYPE html>"), "https://cdn" in page, "<script src" in page
    (True, False, False)
    """
    import jinja2

    from accord import __version__

    env = jinja2.Environment(loader=jinja2.PackageLoader("accord.report", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["cell"] = _cell
    fig = outcome_space_figure(a.case, a.frontier, a.bargaining, max_packages=max_packages)
    return env.get_template("analysis.html.j2").render(
        version=__version__,
        title=a.case.name,
        headline=view.headline(a),
        description=a.case.description,
        zopa_empty=a.zopa_empty,
        advice=a.advice,
        figure=figure_div(fig, "outcome-space"),
        frontier_line=view.frontier_line(a),
        tables=[{"title": t.title, "headers": t.headers, "rows": t.rows, "styles": t.styles, "caption": t.caption,
                 "badge_column": _BADGES.get(t.title, -1), "why": t.title == "Issues"} for t in tables(a)],
        notes=a.notes,
        source=a.case.source or "a case object",
        plotly_js=plotly_js(),
    )
