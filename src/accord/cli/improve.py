"""``accord improve``: post-settlement settlement — packages every party prefers to the agreement reached."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import MAX_LISTED, console, esc, load_case_arg, print_json


@app.command()
def improve(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    agreement: Annotated[str, typer.Option("--agreement", help="The agreement reached: issue=option,... (all)")],
    cap: Annotated[int, typer.Option("--cap", max=MAX_LISTED, help="Most improvements listed (the count is exact).")
                   ] = 10,
    for_party: Annotated[str | None, typer.Option(
        "--for", help="Show only what the mediator tells this party (its own points, never the others').")] = None,
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Post-settlement settlement: the agreement becomes every BATNA; list what all prefer and propose Nash."""
    from accord.cli._tactics import num, package_text
    from accord.report._console import literal_table as Table  # names print literally
    from accord.tactics.settlement import improve as run

    c = load_case_arg(case, profile)
    result = run(c, agreement, cap=cap)
    if for_party is not None:
        view = result.view_for(for_party)
        if json_out:
            print_json(view)
            return
        out = console()
        out.print(f"[bold]To {esc(for_party)}[/bold]: your agreement is worth "
                  f"{num(view['your_agreement_points'])} to you.")
        if view["proposal"] is None:
            out.print("No package makes anyone better off without making someone worse off: keep the agreement.")
        else:
            p = view["proposal"]
            if p["you_gain_nothing"]:
                tail = ("you gain nothing from it: it only helps the others, and you may keep the agreement")
            elif p["every_party_gains"]:
                tail = "every other party gains too"
            else:
                tail = "no party loses, but some other party gains nothing from it"
            out.print(f"The mediator proposes {package_text(p['package'])}: {num(p['your_points'])} to you "
                      f"({num(p['your_gain'], True)}); {tail}.", markup=False)
        return
    if json_out:
        print_json(result.to_dict())
        return
    out = console()
    a = ", ".join(f"{p} {num(v)}" for p, v in result.agreement_utilities.items())
    out.print(f"[bold]Post-settlement[/bold] in {esc(repr(c.name))}: agreement {esc(package_text(result.agreement))} "
              f"({esc(a)})")
    if not result.individually_rational:
        out.print("[yellow]the agreement leaves some party below its BATNA[/yellow]")
    if result.pareto_optimal:
        out.print(f"[green]{esc(result.message)}[/green]")
        return
    out.print(result.message, markup=False)
    table = Table(title=f"undominated improvements ({result.improvement_count}, "
                        f"{result.improvement_packages:,} packages; best Nash product first)")
    table.add_column("#", justify="right")
    for p in result.parties:
        table.add_column(f"{p} gain", justify="right")
    table.add_column("joint", justify="right")
    table.add_column("who gains")
    table.add_column("package")
    for j, imp in enumerate(result.improvements, 1):
        who = "every party" if imp.strict else f"not {', '.join(imp.no_gain)}"
        table.add_row(str(j), *[num(v, True) for v in imp.gains.values()], num(imp.joint_gain, True), who,
                      package_text(imp.package))
    out.print(table)
    if result.proposal is not None:
        out.print(f"[bold]proposal[/bold] (Nash relative to the agreement): "
                  f"{esc(package_text(result.proposal.package))}")
        gains = ", ".join(f"{p} {num(v, True)}" for p, v in result.proposal.gains.items())
        if result.proposal.strict:
            out.print(f"every party gains: {gains}", markup=False)
        else:
            out.print(f"[yellow]{esc(', '.join(result.proposal.no_gain))} gain(s) nothing from it[/yellow] "
                      f"({esc(gains)}): a weak improvement, which that side has no reason to accept except "
                      "to help the others")
