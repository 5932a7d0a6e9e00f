"""Self-contained HTML pages for simulations: one negotiation's trace over the outcome space, and the
seed-claims experiment (tables with confidence intervals and plots).

The pages embed plotly.js from the installed plotly package (never a CDN) through
:func:`accord.report.plots.plotly_script`, and the outcome space comes from
:func:`accord.report.plots.outcome_space_figure`, like every other report. Nothing is computed here beyond
arranging the result objects' numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from accord.model import Case

if TYPE_CHECKING:
    from accord.negotiation.experiment import ExperimentResult
    from accord.negotiation.simulate import SimulationResult

__all__ = ["experiment_figures", "experiment_html", "experiment_report", "simulation_html"]

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f3f3f3}.num{text-align:right}.note{color:#555;font-size:14px}.bad{color:#b00}.good{color:#070}
"""
_PARTY_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


def _page(title: str, body: str, plotly: bool = True) -> str:
    from accord.report.plots import plotly_script

    script = plotly_script() if plotly else ""
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{_STYLE}</style>{script}</head><body>{body}</body></html>\n")


def _fmt(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"
    return str(x)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(_fmt(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def simulation_html(case: Case, result: SimulationResult) -> str:
    """One negotiation as a page: the outcome, the offers drawn over the outcome space, the offer table.

    Examples
    --------
    >>> from accord.negotiation import simulate
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [0, 2]}}, shared_scales=True)
    >>> page = simulation_html(case, simulate(case, ["boulware", "conceder"], rounds=5))
    >>> page.startswith("<!DOCTYPE html>"), "https://cdn" in page
    (True, False)
    """
    parts = [f"<h1>Simulation: {escape(case.name)}</h1>"]
    negs = ", ".join(f"{p}: {n}" for p, n in result.negotiators.items())
    parts.append(f"<p>Protocol <b>{escape(result.protocol)}</b>; negotiators {escape(negs)}; {escape(result.opener)} "
                 f"opens; seed {result.seed}.</p>")
    m = result.measures
    verdict = ("agreement in round " + str(result.rounds)) if result.agreement else "no agreement (impasse)"
    rows: list[list[Any]] = [["outcome", verdict]]
    if result.package:
        rows.append(["package", ", ".join(f"{k}={v}" for k, v in result.package.items())])
    rows += [[f"{p} utility", u] for p, u in result.utilities.items()]
    rows += [[f"{p} share of the surplus", s] for p, s in m.shares.items()]
    rows += [["joint value", m.joint_value], ["Pareto-optimal", m.pareto_optimal], ["pyramid level", m.level],
             ["distance to the Nash point (normalised gains)", m.distance_nash],
             ["lose-lose compatible issues", m.lose_lose]]
    for p, acc in result.accuracy.items():
        rows.append([f"{p}'s opponent model (Pearson r, priority τ)",
                     f"{_fmt(acc.get('pearson'))}, {_fmt(acc.get('priority_tau'))}"])
    parts.append(_table(["measure", "value"], rows))
    fig_html = _trace_figure(case, result)
    if fig_html:
        parts.append("<h2>Offers over the outcome space</h2>" + fig_html)
    if result.learning:
        parts.append("<h2>What the opponent models learned</h2>" + _learning_figure(result))
    moves = [[mv.round, mv.party, mv.action,
              "; ".join(", ".join(f"{case.issues[k].name}={case.issues[k].options[o]}" for k, o in enumerate(p)
                                  if o >= 0) for p in mv.packages) or mv.detail,
              *[u.get(p) for p in case.party_names]]
             for mv, u in zip(result.trace, result.trace_utilities, strict=False)]
    parts.append("<h2>Offer by offer</h2>" + _table(["round", "party", "move", "package(s)",
                                                      *[f"{p} points" for p in case.party_names]], moves))
    return _page(f"Simulation — {case.name}", "\n".join(parts))


def _trace_figure(case: Case, result: SimulationResult) -> str:
    if case.n_parties != 2:
        return ""
    try:
        from accord.analysis.bargaining import bargaining
        from accord.analysis.frontier import pareto_frontier
        from accord.errors import TooLargeError
        from accord.report.plots import figure_div, outcome_space_figure

        front = pareto_frontier(case, cap=1)
        fig = outcome_space_figure(case, front, bargaining(case, front), max_packages=5000)
    except TooLargeError:
        return "<p class=note>The outcome space is too large to draw its frontier.</p>"
    import plotly.graph_objects as go

    a, b = case.party_names
    for i, party in enumerate(result.parties):
        pts = [u for mv, u in zip(result.trace, result.trace_utilities, strict=False)
               if mv.party == party and mv.action == "offer" and u]
        if pts:
            fig.add_trace(go.Scatter(x=[u[a] for u in pts], y=[u[b] for u in pts], mode="lines+markers",
                                     name=f"{party}'s offers ({result.negotiators[party]})",
                                     line={"color": _PARTY_COLORS[i % 5], "width": 1}, marker={"size": 5}))
    med = [u for mv, u in zip(result.trace, result.trace_utilities, strict=False)
           if mv.party == "mediator" and u]
    if med:
        fig.add_trace(go.Scatter(x=[u[a] for u in med], y=[u[b] for u in med], mode="lines+markers",
                                 name="mediator's proposals", line={"color": "#555", "width": 1}))
    if result.agreement:
        fig.add_trace(go.Scatter(x=[result.utilities[a]], y=[result.utilities[b]], mode="markers",
                                 name="agreement", marker={"symbol": "x", "size": 14, "color": "#000"}))
    return figure_div(fig, "trace")


def _learning_figure(result: SimulationResult) -> str:
    """Accuracy of each negotiator's opponent model after every offer (Pearson r and priority τ)."""
    import plotly.graph_objects as go

    from accord.report.plots import figure_div

    fig = go.Figure()
    for i, party in enumerate(result.parties):
        rows = [r for r in result.learning if r["party"] == party]
        if not rows:
            continue
        colour = _PARTY_COLORS[i % 5]
        fig.add_trace(go.Scatter(x=[r["move"] for r in rows], y=[r["pearson"] for r in rows], mode="lines",
                                 name=f"{party}: Pearson r (utilities)", line={"color": colour}))
        fig.add_trace(go.Scatter(x=[r["move"] for r in rows], y=[r["priority_tau"] for r in rows], mode="lines",
                                 name=f"{party}: Kendall τ (priorities)", line={"color": colour, "dash": "dot"}))
    fig.update_layout(xaxis_title="move", yaxis_title="accuracy", yaxis_range=[-1.05, 1.05], height=360)
    return figure_div(fig, "learning")


def experiment_html(title: str, intro: str, sections: Sequence[tuple[str, str, Sequence[str],
                                                                      Sequence[Sequence[Any]], Any]]) -> str:
    """The seed-claims report: for each claim a heading, a verdict paragraph, a table and a figure.

    ``sections`` holds (heading, verdict, table header, table rows, plotly figure or None).
    """
    from accord.report.plots import figure_div

    parts = [f"<h1>{escape(title)}</h1>", f"<p>{escape(intro)}</p>"]
    for n, (heading, verdict, header, rows, fig) in enumerate(sections):
        parts.append(f"<h2>{escape(heading)}</h2><p>{escape(verdict)}</p>")
        parts.append(_table(header, rows))
        if fig is not None:
            parts.append(figure_div(fig, f"claim{n}"))
    return _page(title, "\n".join(parts))


def experiment_figures(result: ExperimentResult) -> list[Any]:
    """One bar chart per claim: each comparison's two conditions with 95 % intervals."""
    import plotly.graph_objects as go

    figs = []
    for claim in result.claims:
        fig = go.Figure()
        names = [c.measure for c in claim.comparisons]
        for label, pick, color in ((claim.condition_a, "a", "#1f77b4"), (claim.condition_b, "b", "#ff7f0e")):
            vals = [getattr(c, pick) for c in claim.comparisons]
            fig.add_trace(go.Bar(name=label[:40], x=names, y=[v[0] for v in vals], marker_color=color,
                                 error_y={"type": "data", "symmetric": False, "array": [v[2] - v[0] for v in vals],
                                          "arrayminus": [v[0] - v[1] for v in vals]}))
        fig.update_layout(barmode="group", title=claim.statement[:90], height=380, margin={"t": 50, "b": 120})
        figs.append(fig)
    return figs


def experiment_report(result: ExperimentResult) -> str:
    """The HTML report of the experiment (tables, verdicts, plots with 95 % intervals)."""
    sections = []
    for claim, fig in zip(result.claims, experiment_figures(result), strict=True):
        verdicts = "; ".join(f"{c.measure}: {c.verdict}" for c in claim.comparisons)
        header = ["measure", f"A: {claim.condition_a}", f"B: {claim.condition_b}", "A − B [95% CI]", "n",
                  "verdict"]
        rows = [[c.measure, _fmt_ci(c.a), _fmt_ci(c.b), _fmt_ci(c.difference), c.n, c.verdict]
                for c in claim.comparisons]
        sections.append((claim.statement, "Verdicts — " + verdicts, header, rows, fig))
        if claim.table:
            sections.append((claim.statement + " (pairings)", "Rows: the negotiator; cells: its mean own gain / "
                             "mean joint value against each opponent.", list(claim.table_header),
                             [list(r) for r in claim.table], None))
    intro = (f"{result.negotiations} negotiations on {len(result.cases)} cases ({', '.join(result.cases[:8])}"
             f"{', …' if len(result.cases) > 8 else ''}), {result.rounds} rounds, {result.repetitions} repetition(s), "
             f"seed {result.seed}. Gains are normalised (0 = BATNA, 1 = the party's best package; 0 on impasse); "
             "intervals are 95 % percentile bootstrap intervals of the mean (paired differences for A − B).")
    return experiment_html("The seed's claims, as measured", intro, sections)


def _fmt_ci(t: tuple[float, float, float]) -> str:
    return f"{t[0]:.3f} [{t[1]:.3f}, {t[2]:.3f}]"
