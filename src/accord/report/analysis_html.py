"""The analysis as a self-contained HTML page: advice, the outcome-space chart and every table.

The page embeds plotly.js from the installed plotly package (never a CDN), so it opens offline and can be
mailed as one file. Layout comes from :mod:`accord.report.view`, so the page shows exactly what the terminal
report shows, plus the interactive chart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.analysis.report import Analysis
from accord.report import view
from accord.report.plots import MAX_PACKAGES, figure_div, outcome_space_figure, plotly_script, profile_figure

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


def source_name(source: str | None) -> str:
    """How a page names the file it was made from: the file name only (a path would leak the user's folders).

    Examples
    --------
    >>> source_name("/home/ana/cases/job-offer.yaml"), source_name(None)
    ('job-offer.yaml', 'a case object')
    """
    return Path(source).name if source else "a case object"


def analysis_html(a: Analysis, *, max_packages: int = MAX_PACKAGES, plotly_src: str | None = None) -> str:
    """Render ``a`` as one self-contained HTML page.

    Parameters
    ----------
    a : Analysis
    max_packages : int
        Packages drawn in the outcome space before it is sampled (see
        :func:`~accord.report.plots.outcome_space_figure`).
    plotly_src : str, optional
        Load plotly.js from this (relative) address instead of embedding it (see
        :func:`~accord.report.plots.write_plotly_js`).

    Returns
    -------
    str
        The page; by default it contains plotly.js inline and no ``<script src=...>``. With three or more
        parties it has the pairwise panels and an every-party chart (parallel coordinates on normalised gains).

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
    figures = [figure_div(outcome_space_figure(a.case, a.frontier, a.bargaining, max_packages=max_packages),
                          "outcome-space")]
    if a.case.n_parties > 2:
        figures.append(figure_div(profile_figure(a.case, a.frontier, a.bargaining), "every-party"))
    return env.get_template("analysis.html.j2").render(
        version=__version__,
        title=a.case.name,
        headline=view.headline(a),
        description=a.case.description,
        zopa_empty=a.zopa_empty,
        zone_empty_text=view.zone_empty_text(a)[0].upper() + view.zone_empty_text(a)[1:],
        advice=a.advice,
        figures=figures,
        frontier_line=view.frontier_line(a),
        tables=[{"title": t.title, "headers": t.headers, "rows": t.rows, "styles": t.styles, "caption": t.caption,
                 "badge_column": _BADGES.get(t.title, -1), "why": t.title == "Issues"} for t in tables(a)],
        notes=a.notes,
        source=source_name(a.case.source),
        plotly_script=plotly_script(plotly_src),
        plotly_inline=plotly_src is None,
    )
