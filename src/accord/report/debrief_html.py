"""The classroom debrief rendered: the figures, the charts and the sortable table of every group's result.

One renderer for the instructor's live page, its HTML export and ``accord evaluate CASE --agreements FILE
--report PAGE``: it draws a :class:`~accord.analysis.batch.Debrief` and computes nothing of its own.
:func:`debrief_figures` builds the plotly figures (the web page sends them as JSON and draws them with the
locally served plotly.js); :func:`summary_rows` formats the headline figures; :func:`render_debrief_html`
writes a self-contained page (plotly.js embedded, or loaded from a file beside it; no CDN).
"""

from __future__ import annotations

import dataclasses
import json
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.pyramid import LEVEL_NAMES

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from accord.analysis.batch import Debrief
    from accord.io.agreements import BadRow

#: Rows listed in the table of the standalone page (every row is in the charts and the JSON).
MAX_TABLE_ROWS = 2000
#: Agreements drawn in the every-party chart (three or more parties).
MAX_PROFILE = 50
#: Up to this many points the frontier chart is drawn as SVG (larger ones keep WebGL).
MAX_SVG_POINTS = 20_000

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;
padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f4f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer}
.note{color:#555;font-size:.9em}.charts{display:grid;grid-template-columns:1fr 1fr;gap:1em}
"""

#: Sorts a table.sortable by the clicked column (numbers as numbers); inline in the standalone page, served as
#: a script file by the web app (whose pages allow no inline script).
SORT_JS = """
document.addEventListener("click", function (e) {
  var th = e.target && e.target.closest ? e.target.closest("table.sortable th") : null;
  if (!th) { return; }
  var col = Array.prototype.indexOf.call(th.parentNode.children, th);
  var body = th.closest("table").tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var dir = th.dataset.dir === "asc" ? -1 : 1;
  th.dataset.dir = dir === 1 ? "asc" : "desc";
  function key(cell) { return cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent; }
  rows.sort(function (a, b) {
    var x = key(a.cells[col]), y = key(b.cells[col]);
    if (x === "" || y === "") { return x === y ? 0 : (x === "" ? 1 : -1); }  // no value (impasse): last
    var nx = Number(x), ny = Number(y);
    return dir * (!isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y));
  });
  rows.forEach(function (r) { body.appendChild(r); });
});
"""


def fmt_number(x: float | None, scale: str = "points") -> str:
    """A figure as the debrief prints it ("n/a" before any agreement).

    Examples
    --------
    >>> fmt_number(11900.0), fmt_number(0.5, "normalised gains"), fmt_number(None)
    ('11,900', '0.500', 'n/a')
    """
    if x is None or not np.isfinite(x):
        return "n/a"
    if scale == "points":
        return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.2f}"
    return f"{x:.3f}"


def fmt_share(x: float | None) -> str:
    """A share as a percentage ("n/a" when undefined)."""
    return "n/a" if x is None or not np.isfinite(x) else f"{100 * x:.1f}%"


def summary_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The headline figures of a debrief (``Debrief.to_dict()``) as (label, value) rows.

    Both the web page and the exported page show exactly these strings.
    """
    scale = data["scale"]
    agreements = data["agreements"]
    rows = [("groups", str(data["groups"])), ("submitted", str(data["submitted"])),
            ("agreements", str(agreements)), ("impasses", str(data["impasses"]))]
    for k in ("3", "2", "1", "0"):
        n = data["levels"][k]
        rows.append((f"level {k}: {LEVEL_NAMES[int(k)]}",
                     f"{n} ({fmt_share(n / agreements if agreements else None)})"))
    mean, best = data["mean_joint_value"], data["max_joint_value"]
    rows.append((f"mean joint value ({scale})", fmt_number(mean, scale)))
    rows.append((f"largest joint value ({scale})", fmt_number(best, scale)))
    rows.append(("mean / largest", fmt_share(mean / best if mean is not None and best else None)))
    for issue, share in data["lose_lose"].items():
        rows.append((f"lose-lose on {issue}", fmt_share(share)))
    for lr in data["logrolls"]:
        rows.append((f"traded {' × '.join(lr['issues'])} the right way", fmt_share(lr["share"])))
    for role, r in data["roles"].items():
        rows.append((f"{role}: mean points", fmt_number(r["mean_points"])))
        rows.append((f"{role}: mean surplus share", fmt_share(r["mean_surplus_share"])))
    return rows


def table_rows(data: dict[str, Any]) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """Headers and cells (shown text, sort key) of the per-group table of ``Debrief.to_dict()``."""
    roles = list(data["roles"])
    anonymous = bool(data["rows"]) and "id" not in data["rows"][0]
    headers = ([] if anonymous else ["group"]) + ["agreement", "level", *roles, "joint value", "Pareto-optimal",
                                                   "lose-lose on", "traded the right way"]
    out = []
    for r in data["rows"]:
        pkg = "impasse" if r["impasse"] else ", ".join(f"{k}={v}" for k, v in r["package"].items())
        level = "" if r["level"] is None else str(r["level"])
        cells = [] if anonymous else [(r["id"], r["id"])]
        cells += [(pkg, pkg), (f"{level} {r['level_name']}".strip(), level)]
        cells += [(fmt_number(r["utilities"][p]), repr(r["utilities"][p])) for p in roles]
        jv = r["joint_value"]
        cells += [(fmt_number(jv, data["scale"]), "" if jv is None else repr(jv)),
                  ("yes" if r["pareto_optimal"] else "no", "yes" if r["pareto_optimal"] else "no"),
                  (", ".join(r["compatible_missed"]), ", ".join(r["compatible_missed"])),
                  (", ".join(r["traded"]), str(len(r["traded"])))]
        out.append(cells)
    return headers, out


def _bar(x: list[str], y: list[float | None], title: str, yaxis: str, *, percent: bool = True) -> go.Figure:
    import plotly.graph_objects as go

    vals = [float("nan") if v is None else (100 * v if percent else v) for v in y]
    fig = go.Figure(go.Bar(x=x, y=vals, text=[fmt_share(v) if percent else fmt_number(v) for v in y],
                           textposition="auto", marker={"color": "#1f6feb"}))
    fig.update_layout(title=title, yaxis={"title": yaxis, **({"range": [0, 100]} if percent else {})},
                      margin={"l": 50, "r": 20, "t": 50, "b": 60}, height=340)
    return fig


def debrief_figures(d: Debrief, *, anonymous: bool = False) -> dict[str, go.Figure]:
    """The debrief's charts: agreements over the frontier, joint values against the maximum, the pyramid,
    lose-lose issues, logrolls traded the right way, and each role's surplus share.

    ``anonymous`` leaves the group ids out of the hover texts (what the class sees after the reveal).
    """
    import plotly.graph_objects as go

    from accord.report.evaluation_html import LEVEL_COLORS, agreements_figure

    data = d.to_dict()
    batch = d.batch
    if anonymous:
        batch = dataclasses.replace(batch, ids=tuple("a group" for _ in batch.ids))
    figs: dict[str, go.Figure] = {}
    frontier = agreements_figure(batch, title="Every group's agreement over the frontier")
    frontier.update_layout(height=480)
    if sum(len(t.x) for t in frontier.data if t.type == "scattergl" and t.x is not None) <= MAX_SVG_POINTS:
        # SVG instead of WebGL: a class's chart is small, and SVG draws on every machine (also without a GPU)
        frontier = go.Figure(
            data=[go.Scatter(**{k: v for k, v in t.to_plotly_json().items() if k != "type"})
                  if t.type == "scattergl" else t for t in frontier.data],
            layout=frontier.layout)
    figs["frontier"] = frontier
    scale = data["scale"]
    best = data["max_joint_value"]
    # Bins of 2.5 % of the maximum, one centred on the maximum (its line runs through that bar).
    values = batch.result.joint_values
    bins: dict[str, float] = {}
    if best and len(values):
        size = abs(best) / 40
        bins = {"size": size, "start": best - size / 2 - size * np.ceil(max(0.0, best - float(values.min())) / size)}
    joint = go.Figure(go.Histogram(x=batch.result.joint_values.tolist(), name="agreements",
                                   marker={"color": "#1f6feb", "line": {"color": "#fff", "width": 1}},
                                   xbins=bins))
    if best is not None:
        joint.add_vline(x=best, line={"color": "#2ca02c", "dash": "dash"},
                        annotation_text=f"largest possible {fmt_number(best, scale)}", annotation_position="top left")
    joint.update_layout(title="Joint value of the agreements", xaxis={"title": f"joint value ({scale})"},
                        yaxis={"title": "agreements"}, height=340, margin={"l": 50, "r": 20, "t": 50, "b": 60})
    figs["joint"] = joint
    n = data["agreements"]
    levels = go.Figure(go.Bar(
        x=[f"{k}: {LEVEL_NAMES[k]}" for k in range(4)],
        y=[100 * data["levels"][str(k)] / n if n else 0.0 for k in range(4)],
        text=[f"{data['levels'][str(k)]}" for k in range(4)], textposition="auto",
        marker={"color": [LEVEL_COLORS[k] for k in range(4)]}))
    levels.update_layout(title="Agreements at each pyramid level", yaxis={"title": "% of agreements",
                                                                         "range": [0, 100]},
                         height=340, margin={"l": 50, "r": 20, "t": 50, "b": 60})
    figs["levels"] = levels
    if data["lose_lose"]:
        figs["lose_lose"] = _bar(list(data["lose_lose"]), list(data["lose_lose"].values()),
                                 "Lose-lose: missed the shared best option", "% of agreements")
    if data["logrolls"]:
        figs["logrolls"] = _bar([" × ".join(lr["issues"]) for lr in data["logrolls"]],
                                [lr["share"] for lr in data["logrolls"]],
                                "Logrolling pairs traded the right way", "% of agreements")
    if batch.case.n_parties > 2:
        # Every party at once (pairwise panels hide trade-offs among three or more), for the first agreements.
        from accord.analysis.bargaining import bargaining
        from accord.report.plots import profile_figure

        front = batch.reference.frontier
        barg = bargaining(batch.case, front) if batch.reference.complete else None
        figs["every_party"] = profile_figure(batch.case, front, barg, agreements=batch.packages[:MAX_PROFILE])
    figs["roles"] = _bar(list(data["roles"]), [r["mean_surplus_share"] for r in data["roles"].values()],
                         "Each role's mean share of the surplus", "% of the surplus")
    return figs


def figures_json(d: Debrief, *, anonymous: bool = False) -> str:
    """The charts as one JSON object ``{name: plotly figure}`` (what the web page draws)."""
    return "{" + ",".join(f"{json.dumps(k)}:{fig.to_json()}"
                          for k, fig in debrief_figures(d, anonymous=anonymous).items()) + "}"


def _table_html(headers: list[str], rows: list[list[tuple[str, str]]], css: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td data-v="{escape(v)}">{escape(t)}</td>' for t, v in row) + "</tr>"
                   for row in rows)
    cls = f' class="{css}"' if css else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_debrief_html(d: Debrief, *, source: str = "", plotly_src: str | None = None,
                        anonymous: bool = False, skipped: tuple[BadRow, ...] = ()) -> str:
    """The debrief as one self-contained HTML page.

    Parameters
    ----------
    d : Debrief
    source : str
        Where the results came from (named by its file name only).
    plotly_src : str, optional
        Load plotly.js from this relative address instead of embedding it.
    anonymous : bool
        Leave group ids out (the class's view after the reveal).
    skipped : tuple of BadRow
        Rows of the results file skipped as unreadable, listed at the end.
    """
    from accord.report.analysis_html import source_name
    from accord.report.plots import figure_div, plotly_script

    data = d.to_dict(anonymous=anonymous)
    parts = [f"<h1>Debrief: {escape(data['case'])}</h1>"]
    where = f" from {escape(source_name(source))}" if source else ""
    parts.append(f'<p class="note">{data["submitted"]} of {data["groups"]} group(s) reported{where}; joint values '
                 f"in {escape(data['scale'])}. Figures over agreements leave impasses out.</p>")
    parts.append("<h2>Figures</h2>")
    parts.append(_table_html(["figure", "value"], [[(a, a), (b, b)] for a, b in summary_rows(data)],
                             "figures"))
    figs = debrief_figures(d, anonymous=anonymous)
    parts.append(figure_div(figs.pop("frontier"), "debrief-frontier"))
    parts.append('<div class="charts">' + "".join(figure_div(f, f"debrief-{k}") for k, f in figs.items())
                 + "</div>")
    parts.append("<h2>Every group</h2>")
    headers, rows = table_rows(data)
    parts.append('<p class="note">Click a column header to sort.</p>')
    parts.append(_table_html(headers, rows[:MAX_TABLE_ROWS], "sortable"))
    if len(rows) > MAX_TABLE_ROWS:
        parts.append(f'<p class="note">First {MAX_TABLE_ROWS} of {len(rows)} rows.</p>')
    if skipped:
        parts.append("<h2>Skipped rows</h2>")
        parts.append(_table_html(["row", "problem"], [[(str(b.row), str(b.row)), (b.message, b.message)]
                                                      for b in skipped]))
    body = "\n".join(parts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Debrief: {escape(data['case'])}</title><style>{_CSS}</style>{plotly_script(plotly_src)}"
            f"</head>\n<body>\n{body}\n<script>{SORT_JS}</script>\n"
            "<p class=\"note\">Made with Accord. Levels follow Thompson's pyramid (see Accord's "
            "docs/concepts.md#the-pyramid).</p>\n</body></html>\n")
