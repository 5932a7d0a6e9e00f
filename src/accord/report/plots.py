"""Figures of the outcome space: plotly for HTML reports, matplotlib (Agg) for PNG/SVG files.

The outcome space is the cloud of utility vectors of the packages — all of them when there are few, a
stated random sample otherwise (Ω is never enumerated when it is large) — with the exact Pareto frontier,
the BATNA lines that bound the bargaining zone, the solution points and, optionally, agreements to judge.
Two parties give one chart; with more parties every pair gets its own panel (the frontier is then shown as
the projection of the n-party frontier, which need not be a curve in that panel).

Every report in Accord (analysis, debriefs, batch summaries) builds its charts with these functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from math import ceil, sqrt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.bargaining import Bargaining
from accord.analysis.frontier import Frontier
from accord.analysis.issues import fmt
from accord.errors import RequestError
from accord.model import Case
from accord.model.preferences import FloatArray, IntArray

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: Above this many packages the outcome space is sampled rather than drawn in full.
MAX_PACKAGES = 20_000
#: Packages that get a hover label (more would make the page heavy).
MAX_HOVER = 3_000
#: Pairwise panels drawn at most; with more pairs of parties the most opposed are drawn (see chart_pairs).
MAX_PANELS = 6
#: Frontier points drawn as lines in the every-party chart (profile_figure).
MAX_PROFILE_LINES = 400

SOLUTION_LABELS = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
    "max_joint": "Max joint value",
}
_SOLUTION_SYMBOLS = {"nash": "star", "kalai_smorodinsky": "diamond", "egalitarian": "square",
                     "utilitarian": "triangle-up", "max_joint": "circle", "compromise": "hourglass"}
_MPL_MARKERS = {"nash": "*", "kalai_smorodinsky": "D", "egalitarian": "s", "utilitarian": "^", "max_joint": "o",
                "compromise": "X"}
_COLORS = {"nash": "#d62728", "kalai_smorodinsky": "#9467bd", "egalitarian": "#2ca02c", "utilitarian": "#ff7f0e",
           "max_joint": "#8c564b", "compromise": "#222222"}
_SPACE = "#b0b7c3"
_ZONE = "rgba(46, 139, 87, 0.10)"
_FRONTIER = "#1f77b4"
_AGREEMENT = "#111111"

Agreements = Mapping[str, Sequence[int] | Mapping[str, str] | str] | IntArray | None


@dataclass(frozen=True)
class OutcomeSpace:
    """The data behind an outcome-space figure.

    Attributes
    ----------
    packages : ndarray of int, shape (N, issues)
        The packages drawn (all of Ω, or a sample).
    utilities : ndarray, shape (N, parties)
    sampled : bool
        Whether ``packages`` is a random sample of Ω.
    total : int
        |Ω|.
    note : str
        What is drawn, in words (for titles and captions).
    """

    packages: IntArray
    utilities: FloatArray
    sampled: bool
    total: int
    note: str


def outcome_space(case: Case, *, max_packages: int = MAX_PACKAGES, seed: int = 0) -> OutcomeSpace:
    """All packages of ``case`` with their utilities when |Ω| ≤ ``max_packages``, else a uniform random sample.

    Parameters
    ----------
    case : Case
    max_packages : int
        The most packages to evaluate.
    seed : int
        Seed of the sample (the figure is reproducible).

    Returns
    -------
    OutcomeSpace

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q", "r"]},
    ...     {"A": {"a": [0, 1], "b": [0, 1, 2]}, "B": {"a": [1, 0], "b": [2, 1, 0]}})
    >>> space = outcome_space(case)
    >>> space.utilities.shape, space.sampled
    ((6, 2), False)
    """
    if max_packages < 1:
        raise RequestError(f"max_packages must be at least 1, not {max_packages}")
    total = case.space_size
    if total <= max_packages:
        grids = np.indices(case.sizes).reshape(case.n_issues, -1).T
        packages = np.ascontiguousarray(grids, dtype=np.int64)
        sampled = False
        note = f"all {total:,} packages"
    else:
        rng = np.random.default_rng(seed)
        packages = np.stack([rng.integers(0, s, size=max_packages) for s in case.sizes], axis=1).astype(np.int64)
        sampled = True
        note = f"a random sample of {max_packages:,} of {total:,} packages"
    return OutcomeSpace(packages, case.utilities(packages), sampled, total, note)


def _agreement_points(case: Case, agreements: Agreements) -> list[tuple[str, FloatArray]]:
    """(label, utilities (N, parties)) for the agreements to mark."""
    if agreements is None:
        return []
    if isinstance(agreements, np.ndarray):
        arr = np.atleast_2d(np.asarray(agreements, dtype=np.int64))
        return [("agreements", case.utilities(arr))] if arr.size else []
    out = []
    for label, pkg in agreements.items():
        p = case.package(tuple(int(o) for o in pkg) if isinstance(pkg, Sequence) and not isinstance(pkg, str)
                         else pkg)
        out.append((str(label), case.utilities([p])))
    return out


@dataclass(frozen=True)
class Marker:
    """One marked point of a chart: solution points (and the compromise package) that coincide share it.

    Attributes
    ----------
    keys : tuple of str
        The solutions drawn here (``"nash"``, ..., ``"compromise"``), in :data:`SOLUTION_LABELS` order.
    label : str
        Their names joined with " = " (e.g. ``"Nash = Kalai–Smorodinsky"``).
    utilities : ndarray, shape (parties,)
    package : dict
        ``{issue: option}`` of one package reaching the point.
    """

    keys: tuple[str, ...]
    label: str
    utilities: FloatArray
    package: dict[str, str]


def solution_markers(case: Case, bargaining: Bargaining | None, *, compromise: bool = True) -> list[Marker]:
    """The solution points and the compromise package, coinciding points merged into one marker.

    Points coincide when their utilities agree to 1e-9 (relative); they are then one marker whose label names
    all of them, so no marker hides another.

    Examples
    --------
    >>> from accord.analysis.bargaining import bargaining
    >>> from accord.analysis.frontier import pareto_frontier
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"]}, {"A": {"a": [0, 2, 3]}, "B": {"a": [3, 2, 0]}})
    >>> [m.label for m in solution_markers(case, bargaining(case, pareto_frontier(case)))]
    ['Nash = Kalai–Smorodinsky = Max joint value = Compromise package']
    """
    from accord.analysis.bargaining import compromise_package

    items: list[tuple[str, FloatArray, dict[str, str]]] = []
    if bargaining is not None:
        order = [k for k in SOLUTION_LABELS if k in bargaining.solutions]
        order += [k for k in bargaining.solutions if k not in SOLUTION_LABELS]
        items = [(k, np.asarray(bargaining.solutions[k].utilities, dtype=float), dict(bargaining.solutions[k].package))
                 for k in order]
    if compromise:
        comp = compromise_package(case)
        items.append(("compromise", case.utilities([comp])[0], case.labels(comp)))
    markers: list[Marker] = []
    for key, u, pkg in items:
        for n, m in enumerate(markers):
            if np.allclose(m.utilities, u, rtol=1e-9, atol=1e-9):
                keys = (*m.keys, key)
                markers[n] = Marker(keys, " = ".join(_label(k) for k in keys), m.utilities, m.package)
                break
        else:
            markers.append(Marker((key,), _label(key), u, pkg))
    return markers


def _pairs(n: int) -> list[tuple[int, int]]:
    return list(combinations(range(n), 2))


def _hover(case: Case, packages: IntArray) -> list[str]:
    return ["<br>".join(f"{case.issues[k].name}: {case.issues[k].options[int(o)]}" for k, o in enumerate(row))
            for row in packages]


def _label(key: str) -> str:
    return "Compromise package" if key == "compromise" else SOLUTION_LABELS.get(key, key)


def chart_pairs(case: Case, frontier: Frontier, max_panels: int = MAX_PANELS) -> tuple[list[tuple[int, int]], int]:
    """The pairs of parties that get a panel, and how many pairs there are.

    Every pair when there are at most ``max_panels``; otherwise the most opposed pairs (lowest correlation
    of their points along the frontier), first making sure every party appears in some panel. Ties are
    broken by the parties' names, never by their order in the case.

    Examples
    --------
    >>> from accord.analysis.frontier import pareto_frontier
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    >>> chart_pairs(case, pareto_frontier(case))
    ([(0, 1)], 1)
    """
    pairs = _pairs(case.n_parties)
    if len(pairs) <= max_panels:
        return pairs, len(pairs)
    u = np.asarray(frontier.utilities, dtype=float)
    names = case.party_names

    def opposition(p: tuple[int, int]) -> tuple[float, tuple[str, ...]]:
        a, b = u[:, p[0]], u[:, p[1]]
        corr = 0.0
        if len(u) > 1 and a.std() > 0 and b.std() > 0:
            corr = float(np.corrcoef(a, b)[0, 1])
        return round(corr, 9), tuple(sorted((names[p[0]], names[p[1]])))

    ranked = sorted(pairs, key=opposition)
    chosen: list[tuple[int, int]] = []
    covered: set[int] = set()
    # First pairs of two parties not yet shown, then pairs with one, then the most opposed of the rest: every
    # party gets a panel whenever 2 · max_panels ≥ n.
    for new in (2, 1, 0):
        for p in ranked:
            if len(chosen) < max_panels and p not in chosen and len({p[0], p[1]} - covered) >= new:
                chosen.append(p)
                covered |= {p[0], p[1]}
    return chosen, len(pairs)


def _zone_rect(bx: float, by: float, hx: float, hy: float) -> tuple[list[float], list[float]] | None:
    """The closed outline of the rectangle where both parties are at or above their BATNAs (None if empty)."""
    if hx < bx or hy < by:
        return None
    return [bx, hx, hx, bx, bx], [by, by, hy, hy, by]


def outcome_space_figure(
    case: Case,
    frontier: Frontier,
    bargaining: Bargaining | None = None,
    *,
    agreements: Agreements = None,
    title: str | None = None,
    max_packages: int = MAX_PACKAGES,
    seed: int = 0,
    max_panels: int = MAX_PANELS,
    compromise: bool = True,
) -> go.Figure:
    """A plotly figure of the outcome space with the frontier, the zone, solution points and agreements.

    Parameters
    ----------
    case : Case
    frontier : Frontier
        The exact Pareto frontier to draw.
    bargaining : Bargaining, optional
        Its solution points are marked (Nash, Kalai–Smorodinsky, ...); points that coincide share one
        marker with a combined label.
    agreements : mapping or array, optional
        ``{label: package}`` (a package as option indices, ``{issue: option}`` or ``"issue=option,..."``), or
        an (N, issues) array of option indices drawn as one series "agreements".
    title : str, optional
        Defaults to the case's name.
    max_packages : int
        Draw every package up to this many, else a random sample of this size (stated in the subtitle).
    seed : int
        Seed of the sample.
    max_panels : int
        With many parties, the most pairwise panels drawn (see :func:`chart_pairs`; the subtitle says how
        many of the pairs are shown, and :func:`profile_figure` shows every party at once).
    compromise : bool
        Mark the compromise package (see docs/concepts.md#the-pyramid).

    Returns
    -------
    plotly.graph_objects.Figure
        One chart for two parties; one panel per chosen pair of parties otherwise. The shaded rectangle is
        where both parties of the panel are at or above their BATNAs (for two parties: the bargaining zone).

    Examples
    --------
    >>> from accord.analysis.frontier import pareto_frontier
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    >>> fig = outcome_space_figure(case, pareto_frontier(case))
    >>> [t.name for t in fig.data]
    ['bargaining zone', 'packages', 'Pareto frontier', 'BATNA lines', 'BATNA lines', 'Compromise package']
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    space = outcome_space(case, max_packages=max_packages, seed=seed)
    names = case.party_names
    pairs, n_pairs = chart_pairs(case, frontier, max_panels)
    single = n_pairs == 1
    cols = 1 if single else min(3, ceil(sqrt(len(pairs))))
    rows = ceil(len(pairs) / cols)
    fig = make_subplots(rows=rows, cols=cols, horizontal_spacing=0.08, vertical_spacing=min(0.12, 0.6 / rows),
                        subplot_titles=None if single else [f"{names[i]} vs {names[j]}" for i, j in pairs])
    hover = _hover(case, space.packages) if len(space.packages) <= MAX_HOVER else None
    front = frontier.utilities
    front_hover = [
        "<br>".join(f"{p}: {fmt(u)}" for p, u in zip(names, row, strict=True))
        + f"<br>{count:,} package(s), e.g.<br>"
        + "<br>".join(f"{k}: {v}" for k, v in frontier.labels(pkgs[0]).items())
        for row, count, pkgs in zip(front, frontier.package_counts, frontier.packages, strict=True)
    ]
    batnas = np.asarray(case.batnas, dtype=float)
    marks = _agreement_points(case, agreements)
    markers = solution_markers(case, bargaining, compromise=compromise)
    for n_panel, (i, j) in enumerate(pairs):
        r, c = n_panel // cols + 1, n_panel % cols + 1
        first = n_panel == 0
        lo_x = min(float(space.utilities[:, i].min()), float(front[:, i].min()), float(batnas[i]))
        hi_x = max(float(space.utilities[:, i].max()), float(front[:, i].max()), float(batnas[i]))
        lo_y = min(float(space.utilities[:, j].min()), float(front[:, j].min()), float(batnas[j]))
        hi_y = max(float(space.utilities[:, j].max()), float(front[:, j].max()), float(batnas[j]))
        rect = _zone_rect(float(batnas[i]), float(batnas[j]), hi_x, hi_y)
        if rect is not None:
            fig.add_trace(go.Scatter(
                x=rect[0], y=rect[1], mode="lines", fill="toself", fillcolor=_ZONE, line={"width": 0},
                name="bargaining zone" if single else "both at or above their BATNAs", legendgroup="zone",
                showlegend=first, hoverinfo="name",
            ), row=r, col=c)
        fig.add_trace(go.Scattergl(
            x=space.utilities[:, i], y=space.utilities[:, j], mode="markers", name="packages",
            legendgroup="packages", showlegend=first, marker={"size": 5, "color": _SPACE, "opacity": 0.55},
            text=hover, hoverinfo="text+x+y" if hover else "x+y",
        ), row=r, col=c)
        order = np.lexsort((front[:, j], front[:, i])) if single else np.arange(len(front))
        fig.add_trace(go.Scatter(
            x=front[order, i], y=front[order, j], mode="lines+markers" if single else "markers",
            name="Pareto frontier" if single else "Pareto frontier (projected)", legendgroup="frontier",
            showlegend=first, line={"color": _FRONTIER, "width": 2, "shape": "vh"},
            marker={"size": 8 if single else 6, "color": _FRONTIER, "opacity": 1 if single else 0.7},
            text=[front_hover[int(q)] for q in order], hoverinfo="text",
        ), row=r, col=c)
        fig.add_trace(go.Scatter(
            x=[batnas[i], batnas[i]], y=[lo_y, hi_y], mode="lines", name="BATNA lines", legendgroup="batna",
            showlegend=first, line={"dash": "dash", "color": "#555", "width": 1.5},
            text=[f"BATNA of {names[i]}: {fmt(batnas[i])}"] * 2, hoverinfo="text",
        ), row=r, col=c)
        fig.add_trace(go.Scatter(
            x=[lo_x, hi_x], y=[batnas[j], batnas[j]], mode="lines", name="BATNA lines", legendgroup="batna",
            showlegend=False, line={"dash": "dot", "color": "#555", "width": 1.5},
            text=[f"BATNA of {names[j]}: {fmt(batnas[j])}"] * 2, hoverinfo="text",
        ), row=r, col=c)
        for m in markers:
            key = m.keys[0]
            fig.add_trace(go.Scatter(
                x=[m.utilities[i]], y=[m.utilities[j]], mode="markers", name=m.label,
                legendgroup="+".join(m.keys), showlegend=first,
                marker={"size": 14 + 2 * (len(m.keys) - 1), "symbol": _SOLUTION_SYMBOLS.get(key, "circle"),
                        "color": _COLORS.get(key, "#000"), "line": {"width": 1.5, "color": "white"}},
                text=[m.label + "<br>" + "<br>".join(f"{k}: {v}" for k, v in m.package.items())],
                hoverinfo="text+x+y",
            ), row=r, col=c)
        for label, u in marks:
            fig.add_trace(go.Scatter(
                x=u[:, i], y=u[:, j], mode="markers", name=label, legendgroup=f"agreement-{label}",
                showlegend=first, marker={"size": 11, "symbol": "x", "color": _AGREEMENT},
            ), row=r, col=c)
        fig.update_xaxes(title_text=f"{names[i]} (points)", row=r, col=c, zeroline=False, tickformat=",~r")
        fig.update_yaxes(title_text=f"{names[j]} (points)", row=r, col=c, zeroline=False, tickformat=",~r")
    head = title if title is not None else case.name
    sub = f"{space.note}; {len(frontier):,} frontier point(s)" + (f"; {frontier.grid}" if frontier.grid else "")
    if len(pairs) < n_pairs:
        sub += (f"<br>{len(pairs)} of the {n_pairs} pairs of parties, the most opposed along the frontier; "
                "every party at once in the next chart")
    fig.update_layout(
        title={"text": f"{head}<br><sub>{sub}</sub>"}, template="plotly_white",
        height=540 if single else 360 * rows + 150, legend={"itemsizing": "constant"},
        margin={"l": 60, "r": 20, "t": 90 if single else 150 if len(pairs) < n_pairs else 120, "b": 50},
    )
    return fig


def profile_figure(
    case: Case,
    frontier: Frontier,
    bargaining: Bargaining | None = None,
    *,
    agreements: Agreements = None,
    max_lines: int = MAX_PROFILE_LINES,
    compromise: bool = True,
) -> go.Figure:
    """Every party at once (parallel coordinates): one line per frontier point, on normalised gains.

    Each party is an axis; a package is a line through each party's normalised gain
    g_i = (u_i − b_i) / (u_i^max − b_i) (0 at the BATNA, 1 at the party's best package; see
    docs/concepts.md#scales-and-normalised-gains), so parties with different point scales share one axis.
    Frontier points are thin grey lines (at most ``max_lines``, evenly spread by joint gain, the count
    stated); solution points and the compromise package are bold lines, coinciding ones merged.

    Examples
    --------
    >>> from accord.analysis.frontier import pareto_frontier
    >>> case = Case.from_tables("t", {"a": ["x", "y"]},
    ...     {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}, "C": {"a": [1, 1]}})
    >>> [t.name for t in profile_figure(case, pareto_frontier(case)).data]
    ['Pareto frontier (2 points)', 'BATNA (g = 0)', 'Compromise package']
    """
    import plotly.graph_objects as go

    names = list(case.party_names)
    batnas = np.asarray(case.batnas, dtype=float)
    front = np.asarray(frontier.utilities, dtype=float)
    best = np.maximum(front.max(axis=0), batnas) if bargaining is None else np.asarray(bargaining.ideal, float)
    span = np.where(best - batnas > 0, best - batnas, 1.0)

    def gains(u: FloatArray) -> FloatArray:
        return np.asarray((np.atleast_2d(u) - batnas) / span, dtype=float)

    g = gains(front)
    keep = np.arange(len(g))
    if len(g) > max_lines:
        by_joint = np.argsort(g.sum(axis=1), kind="stable")
        keep = by_joint[np.linspace(0, len(g) - 1, max_lines).round().astype(int)]
    xs: list[str | None] = []
    ys: list[float | None] = []
    for row in g[keep]:
        xs.extend([*names, None])
        ys.extend([*(float(v) for v in row), None])
    shown = (f"{len(keep):,} of {len(g):,} points" if len(keep) < len(g) else f"{len(g):,} points")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=f"Pareto frontier ({shown})",
                             line={"color": _FRONTIER, "width": 1}, opacity=0.25, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=names, y=[0.0] * len(names), mode="lines", name="BATNA (g = 0)",
                             line={"color": "#555", "dash": "dash", "width": 1.5}, hoverinfo="name"))
    for m in solution_markers(case, bargaining, compromise=compromise):
        key = m.keys[0]
        u = m.utilities
        fig.add_trace(go.Scatter(
            x=names, y=[float(v) for v in gains(u)[0]], mode="lines+markers", name=m.label,
            line={"color": _COLORS.get(key, "#000"), "width": 3, "dash": "dot" if key == "compromise" else "solid"},
            marker={"size": 10, "symbol": _SOLUTION_SYMBOLS.get(key, "circle")},
            text=[f"{m.label}<br>{p}: {fmt(float(v))} points" for p, v in zip(names, u, strict=True)],
            hoverinfo="text+y",
        ))
    for label, u in _agreement_points(case, agreements):
        for r, row in enumerate(gains(u)):
            fig.add_trace(go.Scatter(x=names, y=[float(v) for v in row], mode="lines+markers", name=label,
                                     legendgroup=f"agreement-{label}", showlegend=r == 0,
                                     line={"color": _AGREEMENT, "width": 1.5}, marker={"symbol": "x"}))
    fig.update_layout(
        title={"text": "Every party at once<br><sub>normalised gain g: 0 = the party's BATNA, 1 = its best "
                       "package; each line is one package</sub>"},
        template="plotly_white", height=460, legend={"itemsizing": "constant"},
        yaxis={"title": "normalised gain g", "zeroline": False}, xaxis={"title": "party"},
        margin={"l": 60, "r": 20, "t": 90, "b": 60},
    )
    return fig


#: The file name of plotly.js written beside reports (``--plotly-js DIR``).
PLOTLY_FILE = "plotly.min.js"


def plotly_js() -> str:
    """The plotly.js library from the installed plotly package, for embedding in a self-contained page.

    plotly.js carries two default URLs on a CDN (topojson maps and mapbox icons) that Accord's charts never
    use; they are rewritten to relative paths so the page contains no CDN address and makes no network request.
    """
    import plotly.offline

    js: str = plotly.offline.get_plotlyjs()
    return js.replace("https://cdn.plot.ly/un/", "./topojson/").replace(
        "https://cdn.jsdelivr.net/npm/@mapbox/maki@8.2.0/icons/", "./maki/")


def plotly_js_path(target: str | Path, page: str | Path) -> tuple[Path, str]:
    """Where :func:`write_plotly_js` puts the library, and its address relative to ``page`` (writes nothing).

    Examples
    --------
    >>> plotly_js_path("shared", "reports/a.html")[1]
    '../shared/plotly.min.js'
    >>> plotly_js_path("lib/plotly.js", "a.html")[1]
    'lib/plotly.js'
    """
    import os

    t = Path(target)
    file = t if t.suffix.lower() == ".js" and not t.is_dir() else t / PLOTLY_FILE
    rel = os.path.relpath(file.resolve(), Path(page).resolve().parent)
    return file, rel.replace(os.sep, "/")


def write_plotly_js(target: str | Path, page: str | Path) -> str:
    """Write plotly.js once at ``target`` for many reports, and return its address relative to ``page``.

    Parameters
    ----------
    target : str or Path
        A ``.js`` file, or a folder (existing, or any path not ending in ``.js``) that gets ``plotly.min.js``.
        The file is written only when it is missing or differs (atomically), so a hundred reports share one
        copy of the ~4.6 MB library instead of carrying one each.
    page : str or Path
        The report that will load it; the returned address is relative to the report's folder, so the
        reports and the library can be moved together.

    Returns
    -------
    str
        The ``src`` of the page's ``<script>`` element (forward slashes).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_plotly_js(d / "assets", d / "reports" / "a.html")
    '../assets/plotly.min.js'
    >>> (d / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    True
    """
    file, rel = plotly_js_path(target, page)
    data = plotly_js().encode("utf-8")
    if not file.is_file() or file.stat().st_size != len(data) or file.read_bytes() != data:
        _write_bytes_atomic(file, data)
    return rel


def plotly_script(src: str | None = None) -> str:
    """The page's ``<script>`` element: plotly.js inline, or (``src``) a reference to a file beside the page.

    Examples
    --------
    >>> plotly_script("../plotly.min.js")
    '<script src="../plotly.min.js" charset="utf-8"></script>'
    """
    if src is None:
        return f'<script type="text/javascript">{plotly_js()}</script>'
    from html import escape

    return f'<script src="{escape(src)}" charset="utf-8"></script>'


def figure_div(fig: go.Figure, div_id: str) -> str:
    """The HTML of one figure without the library (include :func:`plotly_js` once in the page)."""
    import plotly.io as pio

    html: str = pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                            config={"displaylogo": False, "responsive": True})
    return html


def save_outcome_space_image(
    case: Case,
    frontier: Frontier,
    bargaining: Bargaining | None,
    path: str | Path,
    *,
    agreements: Agreements = None,
    title: str | None = None,
    max_packages: int = MAX_PACKAGES,
    seed: int = 0,
) -> Path:
    """Write the outcome-space figure as a static PNG or SVG with matplotlib (Agg), atomically.

    Parameters
    ----------
    case, frontier, bargaining, agreements, title, max_packages, seed
        As for :func:`outcome_space_figure`.
    path : str or Path
        Ends in ``.png`` or ``.svg``.

    Returns
    -------
    Path

    Raises
    ------
    RequestError
        For another suffix.
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p = Path(path)
    image_format = p.suffix.lower().lstrip(".")
    if image_format not in ("png", "svg"):
        raise RequestError(f"an image must end in .png or .svg, not {p.suffix or 'no suffix'!r}", file=str(p))
    space = outcome_space(case, max_packages=max_packages, seed=seed)
    names = case.party_names
    pairs, n_pairs = chart_pairs(case, frontier)
    markers = solution_markers(case, bargaining)
    cols = 1 if len(pairs) == 1 else min(3, ceil(sqrt(len(pairs))))
    rows = ceil(len(pairs) / cols)
    from matplotlib.ticker import FuncFormatter

    numbers = FuncFormatter(lambda v, _: fmt(float(v)))  # 9,600 as everywhere else
    fig, axes = plt.subplots(rows, cols, figsize=(6.4 * cols, 5.0 * rows), squeeze=False)
    front = frontier.utilities
    batnas = np.asarray(case.batnas, dtype=float)
    marks = _agreement_points(case, agreements)
    for n_panel, (i, j) in enumerate(pairs):
        ax: Any = axes[n_panel // cols][n_panel % cols]
        ax.scatter(space.utilities[:, i], space.utilities[:, j], s=6, c=_SPACE, alpha=0.5, label="packages",
                   linewidths=0)
        if len(pairs) == 1:
            order = np.lexsort((front[:, j], front[:, i]))
            # The boundary of the dominated region: down from each point, then across to the next.
            ax.step(front[order, i], front[order, j], where="pre", color=_FRONTIER, lw=1.5)
        ax.scatter(front[:, i], front[:, j], s=22, c=_FRONTIER, zorder=3,
                   label="Pareto frontier" if len(pairs) == 1 else "Pareto frontier (projected)")
        ax.axvline(batnas[i], ls="--", c="#555", lw=1, label=f"BATNA {names[i]}")
        ax.axhline(batnas[j], ls=":", c="#555", lw=1, label=f"BATNA {names[j]}")
        if n_pairs == 1 and batnas[i] <= space.utilities[:, i].max() and batnas[j] <= space.utilities[:, j].max():
            ax.fill_between([batnas[i], float(space.utilities[:, i].max())], batnas[j],
                            float(space.utilities[:, j].max()), color="#2e8b57", alpha=0.10, lw=0,
                            label="bargaining zone")
        for m in markers:
            key = m.keys[0]
            ax.scatter([m.utilities[i]], [m.utilities[j]], s=(14 + 2 * (len(m.keys) - 1)) ** 2,
                       marker=_MPL_MARKERS.get(key, "o"), c=_COLORS.get(key, "#000"), edgecolors="white",
                       label=m.label, zorder=4)
        for label, u in marks:
            ax.scatter(u[:, i], u[:, j], s=60, marker="x", c=_AGREEMENT, label=label, zorder=5)
        ax.set_xlabel(f"{names[i]} (points)")
        ax.set_ylabel(f"{names[j]} (points)")
        ax.xaxis.set_major_formatter(numbers)
        ax.yaxis.set_major_formatter(numbers)
        ax.grid(alpha=0.3)
        if n_panel == 0:
            ax.legend(fontsize=7, loc="best")
    for extra in range(len(pairs), rows * cols):
        axes[extra // cols][extra % cols].axis("off")
    shown = f"; {len(pairs)} of {n_pairs} pairs of parties (the most opposed)" if len(pairs) < n_pairs else ""
    fig.suptitle(f"{title if title is not None else case.name}\n{space.note}{shown}", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=image_format, dpi=120)
    plt.close(fig)
    _write_bytes_atomic(p, buf.getvalue())
    return p


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and an atomic rename (never a half-written image)."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; images and plotly.js are for a browser or a web server
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
