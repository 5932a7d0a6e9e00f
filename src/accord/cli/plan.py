"""``accord plan``: one side's negotiation plan (Thompson's strategic framework) as Markdown, HTML or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import console, load_case_arg, print_json, write_output

_FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


@app.command()
def plan(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON).")],
    party: Annotated[str, typer.Option("--party", "-p", help="The side the plan is for.")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Write the plan here: plan.html (self-contained page) or plan.md (figures "
        "inlined). Without it, the plan is printed as Markdown (figures named, not drawn).")] = None,
    counterpart: Annotated[str | None, typer.Option(
        "--counterpart", help="The side it negotiates with (default: the first other party).")] = None,
    assume: Annotated[str | None, typer.Option(
        "--assume", help="Base the opening offers on 'fixed-pie' (the other side opposed on every issue) to see "
        "what that assumption costs. Default: your estimate of the other side, else its preferences in the "
        "case file.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the plan's numbers and advice as JSON.")] = False,
    plotly_js: Annotated[str | None, typer.Option(
        "--plotly-js", metavar="FILE.js|DIR",
        help="With an HTML plan: write plotly.js once to this file or folder and load it from there, "
             "instead of embedding 4.6 MB in every plan.")] = None,
) -> None:
    """Plan a negotiation for one side: resources, differences, offers, acceptance rule, renegotiation.

    Uses the party's own preferences and its estimate of the other side (the case's estimate when it holds
    one, otherwise the other side's preferences in the case file, and the plan says which); includes the
    opening MESO set, logrolls, a contingent term where one creates value, the questions to ask and what to
    reveal (priorities, never the BATNA).
    """
    import sys

    from accord.errors import RequestError

    fmt = None
    if output is not None:
        fmt = _FORMATS.get(Path(output).suffix.lower())
        if fmt is None:
            raise RequestError(f"the plan is written as .html or .md, not {Path(output).suffix or 'no suffix'!r}; "
                               "use e.g. -o plan.html")
    if assume is not None and assume not in ("estimate", "fixed-pie"):
        raise RequestError(f"--assume takes 'estimate' or 'fixed-pie', not {assume!r}")
    from accord.analysis.issues import fmt as number
    from accord.report.plan import render_plan_html, render_plan_markdown
    from accord.tactics.plan import build_plan

    c = load_case_arg(case)
    result = build_plan(c, party, counterpart=counterpart,
                        assume="fixed-pie" if assume == "fixed-pie" else "estimate")
    if json_out:
        print_json(result.to_dict())
    if output is None:
        if not json_out:
            # plain text, not through rich: names from the case file are printed literally
            sys.stdout.write(render_plan_markdown(result, figures=False))
        return
    if fmt == "html":
        from accord.report.plots import plotly_js_path

        src = plotly_js_path(plotly_js, output)[1] if plotly_js else None
        text = render_plan_html(result, plotly_src=src)
    else:
        text = render_plan_markdown(result)
    if plotly_js and fmt == "html":
        from accord.report.plots import write_plotly_js

        write_plotly_js(plotly_js, output)  # once, shared by every plan that points at it
    write_output(output, text)
    if not json_out:
        target = "none (no bargaining zone)" if result.target is None else f"{number(result.target)} points"
        console().print(f"wrote {output}: plan for {party} — walk away below {number(result.reservation)} points, "
                        f"target {target}, {len(result.contracts)} contingent term(s)", markup=False)
