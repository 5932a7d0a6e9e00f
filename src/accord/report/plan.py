"""The planning document laid out: HTML and Markdown renderings of a :class:`~accord.tactics.plan.Plan`.

The plan's content — every number and every piece of advice — is computed in the tactics floor
(:func:`accord.tactics.plan.build_plan`); this module only lays it out, step by step of Thompson's strategic
framework (:func:`plan_sections`), draws its figures from the plan's own numbers (:func:`plan_figures`,
:func:`plan_pngs`) and renders the same sections as a self-contained HTML page (plotly.js embedded from the
installed package, no CDN) or as Markdown (PNG figures inlined, or left out for the terminal).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from accord.analysis.issues import fmt, pct
from accord.report.analysis_html import source_name

if TYPE_CHECKING:
    import plotly.graph_objects as go
    from matplotlib.figure import Figure

    from accord.tactics.contingency import ContingentContract
    from accord.tactics.plan import Plan


def _short(pkg: dict[str, str]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in pkg.items())


# -- the document model shared by the HTML and Markdown renderings ---------------------------------------------
@dataclass(frozen=True)
class Block:
    """One piece of a section: a paragraph, a bullet list, a table, a call-out or a figure.

    Attributes
    ----------
    kind : {"text", "bullets", "table", "callout", "figure"}
    text : str
        Paragraph or call-out text (for a table: its caption; for a figure: its caption).
    items : tuple of str
        Bullet items.
    headers, rows : tuple
        Table cells as text.
    figure : str
        Key of a figure (see :func:`plan_figures`).
    """

    kind: Literal["text", "bullets", "table", "callout", "figure"]
    text: str = ""
    items: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    figure: str = ""


@dataclass(frozen=True)
class Section:
    """A titled section of the plan (one step of the framework)."""

    key: str
    title: str
    blocks: tuple[Block, ...]


# -- sections ----------------------------------------------------------------------------------------------------
def plan_sections(plan: Plan) -> tuple[Section, ...]:
    """The document, step by step (what both renderings lay out)."""
    an = plan.analysis
    me, them = plan.party, plan.counterpart
    issues = Block("table", text=f"{plan.case.n_issues} issues, {plan.case.space_size:,} packages. Shares are "
                   "importance shares π (stake over the sum of stakes); the other side's are your estimate.",
                   headers=("issue", "kind", "options", "your share", f"{them}'s share", "your best",
                            f"{them}'s best"),
                   rows=tuple((k.name, k.kind, str(len(k.options)), pct(k.shares[me]), pct(k.shares[them]),
                               ", ".join(k.best_options[me]), ", ".join(k.best_options[them])) for k in an.issues))
    resource = Section("resource", "Resource assessment", (
        Block("text", text=f"Computed from {plan.basis}."),
        issues,
        Block("bullets", items=plan.suggestions) if plan.suggestions else Block("text", text="The issue mix "
              "already has room to trade."),
    ))
    differences = Section("differences", "Assessment of differences", (
        Block("bullets", items=plan.differences),
        Block("figure", text="Importance shares per issue: yours and (estimated) theirs. Issues where the bars "
              "differ are the ones to trade.", figure="priorities"),
    ))
    offers: list[Block] = []
    offers.append(Block("table", headers=("", "points", "g"), rows=(
        ("your best package", fmt(plan.best), "1"),
        ("target (Nash point you see)", fmt(plan.target) if plan.target is not None else "—",
         f"{plan.target_gain:.2f}" if plan.target_gain is not None else "—"),
        ("reservation (BATNA)", fmt(plan.reservation), "0"),
    ), text=("Target package: " + _short(plan.target_package)) if plan.target_package else
        "No bargaining zone as you see the case."))
    offers.append(Block("figure", text="The outcome space as you see it: every package, the Pareto frontier, "
                        "both BATNAs and your target.", figure="outcome_space"))
    if plan.opening is not None:
        rows = []
        for j, o in enumerate(plan.opening.offers, 1):
            their = float(plan.view.utility(o.package_index)[plan.view.party_index(them)])
            rows.append((str(j), _short(o.package), fmt(o.utilities[me]), fmt(their), o.serves,
                         f"{o.choice_probability:.0%}"))
        offers.append(Block("table", text=f"Opening offers — make all {len(rows)} at once ({plan.opening_note}). "
                            f"They assume about {them}: {plan.belief}. Whichever they pick tells you about their "
                            f"priorities (expected information {plan.opening.information_gain:.2f} bits).",
                            headers=("#", "package", "your points", f"{them}'s points (estimated)",
                                     "best if they care most about", "chance they pick it"), rows=tuple(rows)))
        if plan.opening_below_batna:
            # the wording follows the case's agreement rule (a quorum may pass an offer without them)
            offers.append(Block("callout", text=(
                f"Warning: {plan.opening_warning}. Keep such offers out of the set or lower your level.")))
    else:
        offers.append(Block("callout", text=plan.opening_note))
    if plan.trades is not None and plan.trades.trades:
        offers.append(Block("table", text=f"Logrolls: {plan.trades_note}. Say them as whole packages.",
                            headers=("trade", f"you ({me})", f"{them} (estimated)"),
                            rows=tuple((t.description, f"{t.gains[me]:+,.4g}", f"{t.gains[them]:+,.4g}")
                                       for t in plan.trades.trades)))
        deal = plan.trades.package_deal
        if deal is not None:
            offers.append(Block("text", text=f"Best package deal from the compromise: {_short(deal.package)} "
                                f"(you {deal.gains[me]:+,.4g}, {them} {deal.gains[them]:+,.4g})."))
    else:
        offers.append(Block("callout", text=plan.trades_note))
    for c in plan.contracts:
        w = c.worst_case[me]
        offers.append(Block("bullets", text=f"Contingency proposal on {c.event} ({c.unit}): by each side's own "
                            f"forecast it is worth {c.value_created:,.2f} {c.unit} more than no term (today's money), "
                            "split equally.",
                            items=(*c.wording(),
                                   f"You gain {c.gain_money[me]:+,.2f} {c.unit} ({c.gain_points[me]:+,.2f} points) "
                                   f"as a certainty equivalent under your beliefs; {them} gains "
                                   f"{c.gain_money[them]:+,.2f} {c.unit} under theirs.",
                                   f"Your worst outcome is {w.outcome} (p = {w.probability:.0%} by your beliefs): "
                                   f"the term {'pays you' if w.payment >= 0 else 'costs you'} {abs(w.payment):,.2f} "
                                   f"{c.unit} net there, leaving you {w.position:,.2f} instead of "
                                   f"{w.position_without:,.2f}.")))
        offers.append(Block("bullets", text="What the value created is:", items=tuple(c.explanation())))
        offers.append(Block("bullets", text="Before you propose it, four cautions (Thompson):",
                            items=tuple(c.cautions())))
        offers.append(Block("figure", text=f"Payments on {c.event}: what you receive in each outcome, with both "
                            "sides' probabilities.", figure=f"contingency:{c.event}"))
    for note in plan.contingency_notes:
        offers.append(Block("callout", text=f"No contingent term: {note}"))
    offer_section = Section("offers", "Offers and trade-offs", tuple(offers))
    acceptance = Section("acceptance", "Acceptance / rejection decision", (Block("bullets", items=plan.acceptance),))
    reneg_blocks: list[Block] = [Block("text", text=(
        "Once you have a deal, propose a post-settlement settlement (Raiffa): 'Now that we have an agreement, let "
        "us check together whether a package exists that we both prefer; if not, we keep this one.' The current "
        "agreement becomes both sides' BATNA, so each can reveal its preferences to a neutral party without "
        "risk. Run accord improve CASE --agreement issue=option,... with the agreement."))]
    r = plan.renegotiation
    if r is not None:
        if r.proposal is not None:
            reneg_blocks.append(Block("text", text=(
                f"Example: if you settle on the compromise package ({_short(r.agreement)}), {r.improvement_count} "
                f"better package(s) exist as you see the case; the Nash proposal {_short(r.proposal.package)} "
                f"gives you {r.proposal.gains[me]:+,.4g} and {them} {r.proposal.gains[them]:+,.4g} points.")))
        else:
            reneg_blocks.append(Block("text", text=f"The compromise package ({_short(r.agreement)}) is already "
                                      "Pareto-optimal as you see the case."))
    renegotiation = Section("renegotiation", "Prolonging negotiation and renegotiation", tuple(reneg_blocks))
    talk = Section("talk", "At the table: what to ask and what to reveal", (
        Block("bullets", text="Questions to ask about their interests and priorities (diagnostic, not "
              "defensive):", items=plan.questions),
        Block("bullets", text="Reveal:", items=plan.reveal),
        Block("bullets", text="Do not reveal:", items=plan.conceal),
    ))
    notes = Section("notes", "Notes", (Block("bullets", items=plan.notes),))
    return (resource, differences, offer_section, acceptance, renegotiation, talk, notes)


# -- figures -----------------------------------------------------------------------------------------------------
def plan_figures(plan: Plan) -> dict[str, go.Figure]:
    """The plan's plotly figures by key: ``outcome_space``, ``priorities`` and ``contingency:<event>``."""
    import plotly.graph_objects as go

    from accord.report.plots import outcome_space_figure

    an = plan.analysis
    me, them = plan.party, plan.counterpart
    agreements = {"your target": plan.target_package} if plan.target_package else None
    space = outcome_space_figure(plan.view, an.frontier, an.bargaining, agreements=agreements,
                                 title=f"{plan.case.name} — as {me} sees it")
    if plan.target is not None and plan.view.n_parties == 2:
        if plan.view.party_index(me) == 0:
            space.add_vline(x=plan.target, line_dash="dot", line_color="#2e8b57", annotation_text="your target")
        else:
            space.add_hline(y=plan.target, line_dash="dot", line_color="#2e8b57", annotation_text="your target")
    names = [k.name for k in an.issues]
    prio = go.Figure([
        go.Bar(name=f"{me} (you)", x=names, y=[k.shares[me] for k in an.issues], marker_color="#1f77b4"),
        go.Bar(name=f"{them} (estimated)", x=names, y=[k.shares[them] for k in an.issues], marker_color="#ff7f0e"),
    ])
    prio.update_layout(barmode="group", template="plotly_white", height=380, yaxis_tickformat=".0%",
                       title="Importance shares per issue", margin={"l": 60, "r": 20, "t": 60, "b": 60})
    figs: dict[str, go.Figure] = {"outcome_space": space, "priorities": prio}
    for c in plan.contracts:
        sign = -1.0 if c.payer == me else 1.0
        recv = [sign * float(t) for t in c.payments]
        fig = go.Figure([go.Bar(name="you receive when resolved", x=list(c.outcomes), y=recv, marker_color="#2e8b57",
                                yaxis="y")])
        for who, color in ((me, "#1f77b4"), (them, "#ff7f0e")):
            fig.add_trace(go.Scatter(name=f"P({who})", x=list(c.outcomes), y=list(c.differences.probabilities[who]),
                                     mode="lines+markers", yaxis="y2", line={"color": color}))
        fig.update_layout(template="plotly_white", height=380,
                          title=f"Contingent term on {c.event} ({_fixed_text(c, me)})",
                          yaxis={"title": c.unit}, yaxis2={"title": "probability", "overlaying": "y", "side": "right",
                                                           "range": [0, 1], "tickformat": ".0%"},
                          margin={"l": 60, "r": 60, "t": 60, "b": 50})
        figs[f"contingency:{c.event}"] = fig
    return figs


def _fixed_text(c: ContingentContract, me: str) -> str:
    mine = -c.fixed if c.payer == me else c.fixed
    if mine == 0:
        return "no fixed part"
    return f"fixed part at signing: you {'receive' if mine > 0 else 'pay'} {abs(mine):,.2f} {c.unit}"


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def plan_pngs(plan: Plan) -> dict[str, str]:
    """The plan's figures as base64 PNG (matplotlib, Agg), by the same keys as :func:`plan_figures`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    an = plan.analysis
    me, them = plan.party, plan.counterpart
    out: dict[str, str] = {}
    a, b = plan.view.party_index(me), plan.view.party_index(them)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    if plan.view.space_size <= 20_000:
        pk = np.indices(plan.view.sizes).reshape(plan.view.n_issues, -1).T
        u = plan.view.utilities(pk)
        ax.scatter(u[:, a], u[:, b], s=6, color="#b0b7c3", alpha=0.6, label="packages")
    f = an.frontier.utilities
    order = np.argsort(f[:, a])
    ax.plot(f[order, a], f[order, b], "-o", color="#1f77b4", ms=4, label="Pareto frontier", drawstyle="steps-post")
    ax.axvline(plan.view.batnas[a], ls="--", color="#555", lw=1, label=f"BATNA {me}")
    ax.axhline(plan.view.batnas[b], ls=":", color="#555", lw=1, label=f"BATNA {them}")
    if plan.target is not None:
        ax.axvline(plan.target, ls="-.", color="#2e8b57", lw=1.2, label="your target")
    ax.set_xlabel(f"{me} (points)")
    ax.set_ylabel(f"{them} (points, estimated)")
    ax.set_title(f"Outcome space as {me} sees it")
    ax.legend(fontsize=7)
    out["outcome_space"] = _png(fig)
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    x = np.arange(len(an.issues))
    ax.bar(x - 0.2, [k.shares[me] for k in an.issues], 0.4, label=f"{me} (you)", color="#1f77b4")
    ax.bar(x + 0.2, [k.shares[them] for k in an.issues], 0.4, label=f"{them} (estimated)", color="#ff7f0e")
    ax.set_xticks(x, [k.name for k in an.issues], rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("importance share")
    ax.set_title("Importance shares per issue")
    ax.legend(fontsize=8)
    out["priorities"] = _png(fig)
    for c in plan.contracts:
        sign = -1.0 if c.payer == me else 1.0
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
        ax.bar(list(c.outcomes), [sign * float(t) for t in c.payments], color="#2e8b57", label="you receive")
        ax.set_ylabel(c.unit)
        ax2 = ax.twinx()
        for who, color in ((me, "#1f77b4"), (them, "#ff7f0e")):
            ax2.plot(list(c.outcomes), c.differences.probabilities[who], "o-", color=color, label=f"P({who})")
        ax2.set_ylim(0, 1)
        ax2.set_ylabel("probability")
        ax.set_title(f"Contingent term on {c.event} ({_fixed_text(c, me)})", fontsize=9)
        ax2.legend(fontsize=8, loc="upper left")
        out[f"contingency:{c.event}"] = _png(fig)
    return out


# -- rendering ---------------------------------------------------------------------------------------------------
def _env(autoescape: bool) -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("accord.report", "templates"), autoescape=autoescape,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def render_plan_html(plan: Plan, *, plotly_src: str | None = None) -> str:
    """The plan as one self-contained HTML page (plotly.js inline from the installed package, no CDN).

    ``plotly_src`` loads plotly.js from that (relative) address instead of embedding it (see
    :func:`~accord.report.plots.write_plotly_js`, used by ``accord plan --plotly-js``).

    Examples
    --------
    >>> from accord.model import Case
    >>> from accord.tactics.plan import build_plan
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [3, 0]}})
    >>> page = render_plan_html(build_plan(case, "A"))
    >>> page.startswith("<!DOCTYPE html>"), "https://cdn" in page, "<script src" in page
    (True, False, False)
    """
    from accord import __version__
    from accord.report.plots import figure_div, plotly_script

    figs = {key: figure_div(fig, "fig-" + key.replace(":", "-").replace(" ", "-"))
            for key, fig in plan_figures(plan).items()}
    return str(_env(True).get_template("plan.html.j2").render(
        title=plan.title, plan=plan, sections=plan_sections(plan), figures=figs,
        plotly_script=plotly_script(plotly_src),
        version=__version__, source=source_name(plan.case.source), description=plan.case.description,
    ))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render_plan_markdown(plan: Plan, *, figures: bool = True) -> str:
    """The plan as Markdown, figures inlined as base64 PNG images (or, with ``figures=False``, named only).

    Examples
    --------
    >>> from accord.model import Case
    >>> from accord.tactics.plan import build_plan
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [3, 0]}})
    >>> render_plan_markdown(build_plan(case, "A")).splitlines()[0]
    '# Negotiation plan for A: t'
    """
    from accord import __version__

    env = _env(False)
    env.filters["md"] = _md_cell
    return str(env.get_template("plan.md.j2").render(
        title=plan.title, plan=plan, sections=plan_sections(plan), pngs=plan_pngs(plan) if figures else None,
        version=__version__,
        source=source_name(plan.case.source), description=(plan.case.description or "").strip(),
    ))
