"""``accord improve``: post-settlement settlement — packages every party prefers to the agreement reached."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import console, load_case_arg, print_json


@app.command()
def improve(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    agreement: Annotated[str, typer.Option("--agreement", help="The agreement reached: issue=option,... (all)")],
    cap: Annotated[int, typer.Option("--cap", help="Most improvements listed (the count is exact).")] = 10,
    for_party: Annotated[str | None, typer.Option(
        "--for", help="Show only what the mediator tells this party (its own points, never the others').")] = None,
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Post-settlement settlement: the agreement becomes every BATNA; list what all prefer and propose Nash."""
    from rich.table import Table

    from accord.cli._tactics import num, package_text
    from accord.tactics.settlement import improve as run

    c = load_case_arg(case, profile)
    result = run(c, agreement, cap=cap)
    if for_party is not None:
        view = result.view_for(for_party)
        if json_out:
            print_json(view)
            return
        out = console()
        out.print(f"[bold]To {for_party}[/bold]: your agreement is worth {num(view['your_agreement_points'])} to you.")
        if view["proposal"] is None:
            out.print("No package makes anyone better off without making someone worse off: keep the agreement.")
        else:
            p = view["proposal"]
            out.print(f"The mediator proposes {package_text(p['package'])}: {num(p['your_points'])} to you "
                      f"({num(p['your_gain'], True)}); every other party gains too or stays where it is.")
        return
    if json_out:
        print_json(result.to_dict())
        return
    out = console()
    a = ", ".join(f"{p} {num(v)}" for p, v in result.agreement_utilities.items())
    out.print(f"[bold]Post-settlement[/bold] in {c.name!r}: agreement {package_text(result.agreement)} ({a})")
    if not result.individually_rational:
        out.print("[yellow]the agreement leaves some party below its BATNA[/yellow]")
    if result.pareto_optimal:
        out.print(f"[green]{result.message}[/green]")
        return
    out.print(result.message)
    table = Table(title=f"undominated improvements ({result.improvement_count}, "
                        f"{result.improvement_packages:,} packages; best Nash product first)")
    table.add_column("#", justify="right")
    for p in result.parties:
        table.add_column(f"{p} gain", justify="right")
    table.add_column("joint", justify="right")
    table.add_column("package")
    for j, imp in enumerate(result.improvements, 1):
        table.add_row(str(j), *[num(v, True) for v in imp.gains.values()], num(imp.joint_gain, True),
                      package_text(imp.package))
    out.print(table)
    if result.proposal is not None:
        out.print(f"[bold]proposal[/bold] (Nash relative to the agreement): {package_text(result.proposal.package)}")
