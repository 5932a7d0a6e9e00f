"""Every agreement of a batch evaluation drawn over the frontier, coloured by pyramid level.

The debrief page (:mod:`accord.report.debrief_html`, used by ``accord evaluate --agreements --report`` and
the classroom's instructor page) draws its agreements chart with :func:`agreements_figure`; nothing is
computed here beyond layout.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import numpy as np

from accord.analysis.pyramid import LEVEL_NAMES

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from accord.analysis.batch import BatchEvaluation

#: Colour of each pyramid level's markers.
LEVEL_COLORS = {0: "#d62728", 1: "#ff7f0e", 2: "#bcbd22", 3: "#2ca02c"}


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
