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
from accord.errors import RequestError
from accord.model import Case
from accord.model.preferences import FloatArray, IntArray

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: Above this many packages the outcome space is sampled rather than drawn in full.
MAX_PACKAGES = 20_000
#: Packages that get a hover label (more would make the page heavy).
MAX_HOVER = 3_000

SOLUTION_LABELS = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
    "max_joint": "Max joint value",
}
_SOLUTION_SYMBOLS = {"nash": "star", "kalai_smorodinsky": "diamond", "egalitarian": "square",
                     "utilitarian": "triangle-up", "max_joint": "circle"}
_MPL_MARKERS = {"nash": "*", "kalai_smorodinsky": "D", "egalitarian": "s", "utilitarian": "^", "max_joint": "o"}
_COLORS = {"nash": "#d62728", "kalai_smorodinsky": "#9467bd", "egalitarian": "#2ca02c", "utilitarian": "#ff7f0e",
           "max_joint": "#8c564b"}
#: Marker sizes: solutions often coincide, so they are drawn largest first and stay visible as nested shapes.
_SIZES = {"max_joint": 17, "utilitarian": 17, "egalitarian": 15, "kalai_smorodinsky": 13, "nash": 12}
_SPACE = "#b0b7c3"
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


def _drawing_order(bargaining: Bargaining) -> list[tuple[str, Any]]:
    """Solution points, largest marker first (Nash last, on top)."""
    return sorted(bargaining.solutions.items(), key=lambda kv: -_SIZES.get(kv[0], 12))


def _pairs(n: int) -> list[tuple[int, int]]:
    return list(combinations(range(n), 2))


def _hover(case: Case, packages: IntArray) -> list[str]:
    return ["<br>".join(f"{case.issues[k].name}: {case.issues[k].options[int(o)]}" for k, o in enumerate(row))
            for row in packages]


def outcome_space_figure(
    case: Case,
    frontier: Frontier,
    bargaining: Bargaining | None = None,
    *,
    agreements: Agreements = None,
    title: str | None = None,
    max_packages: int = MAX_PACKAGES,
    seed: int = 0,
) -> go.Figure:
    """A plotly figure of the outcome space with the frontier, BATNA lines, solution points and agreements.

    Parameters
    ----------
    case : Case
    frontier : Frontier
        The exact Pareto frontier to draw.
    bargaining : Bargaining, optional
        Its solution points are marked (Nash, Kalai–Smorodinsky, ...).
    agreements : mapping or array, optional
        ``{label: package}`` (a package as option indices, ``{issue: option}`` or ``"issue=option,..."``), or
        an (N, issues) array of option indices drawn as one series "agreements".
    title : str, optional
        Defaults to the case's name.
    max_packages : int
        Draw every package up to this many, else a random sample of this size (stated in the subtitle).
    seed : int
        Seed of the sample.

    Returns
    -------
    plotly.graph_objects.Figure
        One chart for two parties; one panel per pair of parties otherwise.

    Examples
    --------
    >>> from accord.analysis.frontier import pareto_frontier
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    >>> fig = outcome_space_figure(case, pareto_frontier(case))
    >>> [t.name for t in fig.data]
    ['packages', 'Pareto frontier', 'BATNA A', 'BATNA B']
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    space = outcome_space(case, max_packages=max_packages, seed=seed)
    names = case.party_names
    pairs = _pairs(case.n_parties)
    cols = 1 if len(pairs) == 1 else min(3, ceil(sqrt(len(pairs))))
    rows = ceil(len(pairs) / cols)
    fig = make_subplots(rows=rows, cols=cols, horizontal_spacing=0.08, vertical_spacing=0.12,
                        subplot_titles=None if len(pairs) == 1 else [f"{names[i]} vs {names[j]}" for i, j in pairs])
    hover = _hover(case, space.packages) if len(space.packages) <= MAX_HOVER else None
    front = frontier.utilities
    front_hover = [
        "<br>".join(f"{p}: {u:g}" for p, u in zip(names, row, strict=True))
        + f"<br>{count:,} package(s), e.g.<br>"
        + "<br>".join(f"{k}: {v}" for k, v in frontier.labels(pkgs[0]).items())
        for row, count, pkgs in zip(front, frontier.package_counts, frontier.packages, strict=True)
    ]
    batnas = np.asarray(case.batnas, dtype=float)
    marks = _agreement_points(case, agreements)
    for n_panel, (i, j) in enumerate(pairs):
        r, c = n_panel // cols + 1, n_panel % cols + 1
        first = n_panel == 0
        fig.add_trace(go.Scattergl(
            x=space.utilities[:, i], y=space.utilities[:, j], mode="markers", name="packages",
            legendgroup="packages", showlegend=first, marker={"size": 5, "color": _SPACE, "opacity": 0.55},
            text=hover, hoverinfo="text+x+y" if hover else "x+y",
        ), row=r, col=c)
        order = np.lexsort((front[:, j], front[:, i])) if len(pairs) == 1 else np.arange(len(front))
        fig.add_trace(go.Scatter(
            x=front[order, i], y=front[order, j], mode="lines+markers" if len(pairs) == 1 else "markers",
            name="Pareto frontier" if len(pairs) == 1 else "Pareto frontier (projected)", legendgroup="frontier",
            showlegend=first, line={"color": _FRONTIER, "width": 2, "shape": "vh"},
            marker={"size": 8, "color": _FRONTIER}, text=[front_hover[int(q)] for q in order], hoverinfo="text",
        ), row=r, col=c)
        lo_x = min(float(space.utilities[:, i].min()), float(front[:, i].min()), float(batnas[i]))
        hi_x = max(float(space.utilities[:, i].max()), float(front[:, i].max()), float(batnas[i]))
        lo_y = min(float(space.utilities[:, j].min()), float(front[:, j].min()), float(batnas[j]))
        hi_y = max(float(space.utilities[:, j].max()), float(front[:, j].max()), float(batnas[j]))
        fig.add_trace(go.Scatter(
            x=[batnas[i], batnas[i]], y=[lo_y, hi_y], mode="lines", name=f"BATNA {names[i]}",
            legendgroup=f"batna-{names[i]}", showlegend=first or i != 0,
            line={"dash": "dash", "color": "#555", "width": 1.5}, hoverinfo="name",
        ), row=r, col=c)
        fig.add_trace(go.Scatter(
            x=[lo_x, hi_x], y=[batnas[j], batnas[j]], mode="lines", name=f"BATNA {names[j]}",
            legendgroup=f"batna-{names[j]}", showlegend=first or (j not in (0, 1) and i == 0),
            line={"dash": "dot", "color": "#555", "width": 1.5}, hoverinfo="name",
        ), row=r, col=c)
        if bargaining is not None:
            for key, sol in _drawing_order(bargaining):
                fig.add_trace(go.Scatter(
                    x=[sol.utilities[i]], y=[sol.utilities[j]], mode="markers", name=SOLUTION_LABELS.get(key, key),
                    legendgroup=key, showlegend=first,
                    marker={"size": _SIZES.get(key, 12), "symbol": _SOLUTION_SYMBOLS.get(key, "circle"),
                            "color": _COLORS.get(key, "#000"), "line": {"width": 1, "color": "white"}},
                    text=[SOLUTION_LABELS.get(key, key) + "<br>" + "<br>".join(
                        f"{k}: {v}" for k, v in sol.package.items())], hoverinfo="text+x+y",
                ), row=r, col=c)
        for label, u in marks:
            fig.add_trace(go.Scatter(
                x=u[:, i], y=u[:, j], mode="markers", name=label, legendgroup=f"agreement-{label}",
                showlegend=first, marker={"size": 11, "symbol": "x", "color": _AGREEMENT},
            ), row=r, col=c)
        fig.update_xaxes(title_text=f"{names[i]} (points)", row=r, col=c, zeroline=False)
        fig.update_yaxes(title_text=f"{names[j]} (points)", row=r, col=c, zeroline=False)
    head = title if title is not None else case.name
    sub = f"{space.note}; {len(frontier):,} frontier point(s)" + (f"; {frontier.grid}" if frontier.grid else "")
    fig.update_layout(
        title={"text": f"{head}<br><sub>{sub}</sub>"}, template="plotly_white",
        height=520 if len(pairs) == 1 else 380 * rows + 80, legend={"itemsizing": "constant"},
        margin={"l": 60, "r": 20, "t": 90, "b": 50},
    )
    return fig


def plotly_js() -> str:
    """The plotly.js library from the installed plotly package, for embedding in a self-contained page.

    plotly.js carries two default URLs on a CDN (topojson maps and mapbox icons) that Accord's charts never
    use; they are rewritten to relative paths so the page contains no CDN address and makes no network request.
    """
    import plotly.offline

    js: str = plotly.offline.get_plotlyjs()
    return js.replace("https://cdn.plot.ly/un/", "./topojson/").replace(
        "https://cdn.jsdelivr.net/npm/@mapbox/maki@8.2.0/icons/", "./maki/")


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
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise RequestError(f"an image must end in .png or .svg, not {p.suffix or 'no suffix'!r}", file=str(p))
    space = outcome_space(case, max_packages=max_packages, seed=seed)
    names = case.party_names
    pairs = _pairs(case.n_parties)
    cols = 1 if len(pairs) == 1 else min(3, ceil(sqrt(len(pairs))))
    rows = ceil(len(pairs) / cols)
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
        if bargaining is not None:
            for key, sol in _drawing_order(bargaining):
                ax.scatter([sol.utilities[i]], [sol.utilities[j]], s=_SIZES.get(key, 12) ** 2,
                           marker=_MPL_MARKERS.get(key, "o"),
                           c=_COLORS.get(key, "#000"), edgecolors="white", label=SOLUTION_LABELS.get(key, key),
                           zorder=4)
        for label, u in marks:
            ax.scatter(u[:, i], u[:, j], s=60, marker="x", c=_AGREEMENT, label=label, zorder=5)
        ax.set_xlabel(f"{names[i]} (points)")
        ax.set_ylabel(f"{names[j]} (points)")
        ax.grid(alpha=0.3)
        if n_panel == 0:
            ax.legend(fontsize=7, loc="best")
    for extra in range(len(pairs), rows * cols):
        axes[extra // cols][extra % cols].axis("off")
    fig.suptitle(f"{title if title is not None else case.name}\n{space.note}", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=120)
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
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
