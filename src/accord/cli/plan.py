"""``accord plan``: one side's negotiation plan (Thompson's strategic framework) as HTML or Markdown."""

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
        "--output", "-o", help="Write the plan here: plan.html (self-contained page) or plan.md.")] = None,
    counterpart: Annotated[str | None, typer.Option(
        "--counterpart", help="The side it negotiates with (default: the first other party).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the plan's numbers and advice as JSON.")] = False,
) -> None:
    """Plan a negotiation for one side: resources, differences, offers, acceptance rule, renegotiation.

    Uses the party's own preferences and its estimate of the other side (when the case holds one); includes
    the opening MESO set, logrolls, a contingent term where one creates value, the questions to ask and what
    to reveal (priorities, never the BATNA), with the charts embedded.
    """
    from accord.errors import RequestError

    fmt = None
    if output is not None:
        fmt = _FORMATS.get(Path(output).suffix.lower())
        if fmt is None:
            raise RequestError(f"the plan is written as .html or .md, not {Path(output).suffix or 'no suffix'!r}; "
                               "use e.g. -o plan.html")
    elif not json_out:
        raise RequestError("say where to write the plan: -o plan.html or -o plan.md (or --json)")
    from accord.report.plan import build_plan, render_plan_html, render_plan_markdown

    c = load_case_arg(case)
    result = build_plan(c, party, counterpart=counterpart)
    if json_out:
        print_json(result.to_dict())
    if output is not None:
        text = render_plan_html(result) if fmt == "html" else render_plan_markdown(result)
        write_output(output, text)
        if not json_out:
            target = "none (no bargaining zone)" if result.target is None else f"{result.target:,.4g}"
            console().print(f"wrote {output}: plan for {party} — walk away below {result.reservation:,.4g} points, "
                            f"target {target}, {len(result.contracts)} contingent term(s)")
