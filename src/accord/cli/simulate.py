"""``accord simulate``: one negotiation between negotiators, offer by offer, measured with the analysis floor."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import console, esc, load_case_arg, print_json, write_output


@app.command()
def simulate(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    negotiators: Annotated[str, typer.Option(
        "--negotiators", "-n", help="One per party, in the case's party order, comma-separated: boulware, linear, "
        "conceder, old-fashioned, flower-child, enlightened, enlightened-silent, tit-for-tat, random, or "
        "module:Class.")],
    protocol: Annotated[str, typer.Option(
        "--protocol", help="alternating | issue-by-issue | meso | mediated.")] = "alternating",
    rounds: Annotated[int, typer.Option("--rounds", help="Deadline: proposals per party (1–100000).")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the negotiators' random draws.")] = 0,
    opener: Annotated[str | None, typer.Option("--opener", help="The party that moves first (default: the "
                                                                 "first party).")] = None,
    meso: Annotated[int, typer.Option("--meso", help="Packages per offer in the MESO exchange.")] = 3,
    report: Annotated[str | None, typer.Option("--report", help="Write an HTML report (trace over the outcome "
                                                                 "space) to this file.")] = None,
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Simulate one negotiation and show it offer by offer, with its outcome measured (Pareto, Nash, pyramid)."""
    from accord.negotiation.simulate import simulate as run
    from accord.report._console import literal_table as Table  # names print literally

    c = load_case_arg(case, profile)
    specs = [s.strip() for s in negotiators.split(",") if s.strip()]
    result = run(c, specs, protocol=protocol, rounds=rounds, seed=seed, opener=opener, meso=meso)
    if report:
        from accord.report.simulation_html import simulation_html

        write_output(report, simulation_html(c, result))
    if json_out:
        print_json(result.to_dict())
        return
    out = console()
    out.print(f"[bold]{esc(c.name)}[/bold]: {esc(protocol)}, "
              + esc(", ".join(f"{p} = {n}" for p, n in result.negotiators.items()) + f"; {result.opener} opens"))
    table = Table()
    for col in ("round", "party", "move", "package", *[f"{p}" for p in c.party_names]):
        table.add_column(col, justify="right" if col in c.party_names or col == "round" else "left")
    shown = 0
    for mv, u in zip(result.trace, result.trace_utilities, strict=False):
        if shown >= 400:
            break
        pk = "; ".join(",".join(c.issues[k].options[o] if o >= 0 else "·" for k, o in enumerate(p))
                       for p in mv.packages) or mv.detail
        table.add_row(str(mv.round), mv.party, mv.action, pk, *[f"{u[p]:,.6g}" if p in u else "" for p in
                                                               c.party_names])
        shown += 1
    out.print(table)
    if len(result.trace) > shown:
        out.print(f"[dim]… {len(result.trace) - shown} more moves (see --json or --report)[/dim]")
    m = result.measures
    if result.agreement:
        assert result.package is not None
        out.print(f"[green]agreement[/green] in round {result.rounds}: "
                  + esc(", ".join(f"{k}={v}" for k, v in result.package.items())))
    else:
        out.print(f"[red]no agreement[/red] after {result.rounds} rounds: every party gets its BATNA")
    out.print("utilities: " + ", ".join(f"{p} {u:,.6g}" for p, u in result.utilities.items())
              + "; shares of the surplus: " + ", ".join(f"{p} {s:.2f}" if s == s else f"{p} —"  # NaN: no surplus
                                                          for p, s in m.shares.items()), markup=False)
    nash = "—" if m.distance_nash is None else f"{m.distance_nash:.3f}"
    out.print(f"Pareto-optimal: {'yes' if m.pareto_optimal else 'no'}; pyramid level: {m.level}; distance to "
              f"Nash (normalised gains): {nash}; lose-lose compatible issues: {m.lose_lose}")
    for p, acc in result.accuracy.items():
        r = "—" if acc["pearson"] is None else f"{acc['pearson']:.2f}"
        out.print(f"{p}'s opponent model: Pearson r {r} (utilities), Kendall τ {acc['priority_tau']:.2f} "
                  "(issue priorities)", markup=False)
    if report:
        out.print(f"report written to {report}", markup=False)
