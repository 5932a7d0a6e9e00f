"""The HTML page of a batch evaluation: every agreement of a class drawn over the frontier, and the tables.

The page is self-contained: plotly.js is embedded (no CDN, no network request), so it opens offline and can
be mailed to a class. It renders a :class:`~accord.analysis.batch.BatchEvaluation`; nothing is computed here
beyond layout.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.pyramid import LEVEL_MEANINGS, LEVEL_NAMES

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from accord.analysis.batch import BatchEvaluation
    from accord.io.agreements import BadRow

#: Colour of each pyramid level's markers.
LEVEL_COLORS = {0: "#d62728", 1: "#ff7f0e", 2: "#bcbd22", 3: "#2ca02c"}
#: Rows listed in the page's table (all rows are drawn in the chart).
MAX_TABLE_ROWS = 500

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;
padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f4f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.l0{background:#fde2e2}.l1{background:#fff0dd}.l2{background:#f7f7d9}.l3{background:#e3f4e3}
.note{color:#555;font-size:.9em}
"""


def _num(x: float, scale: str) -> str:
    if not np.isfinite(x):
        return "n/a"
    if scale == "points":
        return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.2f}"
    return f"{x:.3f}"


def _pct(x: float | None) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{100 * x:.1f}%"


def agreements_figure(batch: BatchEvaluation, title: str | None = None) -> go.Figure:
    """The outcome space with the frontier and every agreement, coloured by pyramid level.

    Uses :func:`accord.report.plots.outcome_space_figure` for the space, frontier, BATNA lines and solution
    points; with two parties each level is its own series (hover: the pair's id and package); with more
    parties the agreements are drawn as one series in every pairwise panel.
    """
    import plotly.graph_objects as go

    from accord.analysis.bargaining import bargaining
    from accord.report.plots import outcome_space_figure

    case = batch.case
    front = batch.reference.frontier
    barg = bargaining(case, front) if batch.reference.complete else None
    if case.n_parties != 2:
        return outcome_space_figure(case, front, barg, agreements=batch.packages, title=title)
    fig = outcome_space_figure(case, front, barg, title=title)
    u = batch.result.utilities
    levels = batch.result.levels
    for level in range(4):
        sel = np.flatnonzero(levels == level)
        if not sel.size:
            continue
        text = [
            f"{escape(batch.ids[r])}<br>level {level}: {LEVEL_NAMES[level]}<br>"
            + "<br>".join(f"{k}: {v}" for k, v in case.labels(batch.packages[r]).items())
            for r in sel[:5000]
        ]
        fig.add_trace(go.Scattergl(
            x=u[sel, 0], y=u[sel, 1], mode="markers", name=f"level {level}: {LEVEL_NAMES[level]} ({sel.size})",
            marker={"size": 10, "symbol": "x", "color": LEVEL_COLORS[level]},
            text=text if sel.size <= 5000 else None, hoverinfo="text+x+y",
        ))
    return fig


def _table(headers: list[str], rows: list[list[str]], classes: list[str] | None = None,
           numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        cells = "".join(f'<td class="num">{escape(c)}</td>' if j in numeric else f"<td>{escape(c)}</td>"
                        for j, c in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_evaluation_html(batch: BatchEvaluation, *, source: str = "", skipped: tuple[BadRow, ...] = (),
                           plotly_src: str | None = None) -> str:
    """The whole page as a string.

    Parameters
    ----------
    batch : BatchEvaluation
    source : str
        The agreements file, named in the page by its file name (never the folders above it).
    skipped : tuple of BadRow
        Rows skipped as unreadable, listed in the page.
    plotly_src : str, optional
        Load plotly.js from this relative address instead of embedding it (see
        :func:`~accord.report.plots.write_plotly_js`).
    """
    from accord.report.analysis_html import source_name
    from accord.report.plots import figure_div, plotly_script, profile_figure

    case = batch.case
    agg: dict[str, Any] = batch.aggregates()
    scale = agg["scale"]
    names = case.party_names
    parts: list[str] = []
    parts.append(f"<h1>{escape(case.name)} — {agg['rows']} agreement(s) evaluated</h1>")
    parts.append(f'<p class="note">Agreements from {escape(source_name(source) if source else "a table")}; '
                 f'joint values in '
                 f'{escape(scale)}; {len(batch.reference.frontier):,} frontier point(s).</p>')
    level_rows = [[str(k), LEVEL_NAMES[k], LEVEL_MEANINGS[k], str(agg["level_counts"][str(k)]),
                   _pct(agg["level_shares"][str(k)])] for k in (3, 2, 1, 0)]
    parts.append("<h2>The pyramid</h2>")
    parts.append(_table(["level", "name", "meaning", "agreements", "share"], level_rows,
                        [f"l{k}" for k in (3, 2, 1, 0)], {3, 4}))
    joint_rows = [
        ["mean joint value", _num(agg["mean_joint_value"], scale)],
        ["largest joint value possible", _num(agg["max_joint_value"], scale)],
        ["mean / largest", _pct(agg["joint_value_ratio"])],
        ["mean value left on the table (joint)", _num(agg["mean_value_left_joint"], scale)],
        ["agreements at the largest joint value", _pct(agg["at_max_joint_share"])],
        ["agreements at a Nash-product maximum", _pct(agg["nash_optimal_share"])],
    ] + [[f"mean points of {p}", _num(v, "points")] for p, v in agg["mean_utilities"].items()]
    parts.append("<h2>Value created</h2>")
    parts.append(_table(["figure", "value"], joint_rows, numeric={1}))
    parts.append("<h2>Lose-lose: compatible issues settled on a worse option</h2>")
    if agg["compatible_issues"]:
        parts.append(_table(
            ["issue", "best for everyone", "agreements that missed it", "share"],
            [[c["issue"], ", ".join(c["best"]), str(c["missed"]), _pct(c["missed_share"])]
             for c in agg["compatible_issues"]], numeric={2, 3}))
        parts.append(f'<p class="note">{agg["lose_lose_rows"]} agreement(s) ({_pct(agg["lose_lose_share"])}) '
                     "missed at least one compatible issue.</p>")
    else:
        parts.append('<p class="note">The case has no compatible issue.</p>')
    parts.append("<h2>Every agreement over the frontier</h2>")
    parts.append(figure_div(agreements_figure(batch), "accord-agreements"))
    if case.n_parties > 2:
        from accord.analysis.bargaining import bargaining

        barg = bargaining(case, batch.reference.frontier) if batch.reference.complete else None
        parts.append(figure_div(profile_figure(case, batch.reference.frontier, barg,
                                               agreements=batch.packages[:50]), "accord-every-party"))
        if len(batch) > 50:
            parts.append(f'<p class="note">The every-party chart shows the first 50 of {len(batch)} '
                         "agreements.</p>")
    parts.append("<h2>Agreements</h2>")
    res = batch.result
    headers = ["id", "package", "level", *[f"{p}" for p in names], "Pareto-optimal",
               *[f"value left {p}" for p in names], "lose-lose issues"]
    rows = []
    classes = []
    for r in range(min(len(batch), MAX_TABLE_ROWS)):
        level = int(res.levels[r])
        missed = [c.issue for c, m in zip(batch.compatible, batch.missed[r], strict=True) if m]
        rows.append([
            batch.ids[r],
            ", ".join(f"{k}={v}" for k, v in case.labels(batch.packages[r]).items()),
            f"{level} {LEVEL_NAMES[level]}",
            *[_num(float(x), "points") for x in res.utilities[r]],
            "yes" if res.pareto_optimal[r] else "no",
            *[_num(float(x), scale) for x in res.value_left[r]],
            ", ".join(missed),
        ])
        classes.append(f"l{level}")
    n = len(names)
    parts.append(_table(headers, rows, classes, set(range(3, 3 + n)) | set(range(4 + n, 4 + 2 * n))))
    if len(batch) > MAX_TABLE_ROWS:
        parts.append(f'<p class="note">First {MAX_TABLE_ROWS} of {len(batch)} rows; every row is in the chart '
                     "and in --per-row / --json output.</p>")
    if skipped:
        parts.append("<h2>Skipped rows</h2>")
        parts.append(_table(["row", "problem"], [[str(b.row), b.message] for b in skipped], numeric={0}))
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(case.name)} — agreements</title><style>{_CSS}</style>"
        f"{plotly_script(plotly_src)}</head>\n<body>\n{body}\n"
        "<p class=\"note\">Made with Accord. Levels follow Thompson's pyramid (see Accord's "
        "docs/concepts.md#the-pyramid).</p>\n</body></html>\n"
    )
