"""``accord logroll``: trades between issue pairs that give each party what it values more."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import MAX_LISTED, console, esc, load_case_arg, print_json


@app.command()
def logroll(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    between: Annotated[tuple[str, str] | None, typer.Option(
        "--between", help="The two parties that trade (default: all parties).")] = None,
    start: Annotated[str | None, typer.Option(
        "--from", help="Reference package issue=option,... (default: the compromise package; naming only some "
                       "issues changes the compromise on those).")] = None,
    estimate_of: Annotated[str | None, typer.Option(
        "--estimate-of", help="Work from this party's estimate of the others (what it sees preparing alone).")] = None,
    limit: Annotated[int, typer.Option("--limit", max=MAX_LISTED, help="Most trades shown.")] = 10,
    all_options: Annotated[bool, typer.Option(
        "--all", help="Every option pair, not only the best trade of each issue pair.")] = False,
    weak: Annotated[bool, typer.Option(
        "--weak", help="Also trades that leave one trading party indifferent (the others gain).")] = False,
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Logrolls: trades between issue pairs that raise both parties' points, ranked by the joint gain."""
    from accord.cli._tactics import num, package_text
    from accord.report._console import literal_table as Table  # names print literally
    from accord.tactics.logroll import logrolls

    c = load_case_arg(case, profile)
    result = logrolls(c, between=list(between) if between else None, reference=start,
                      use_estimate_of=estimate_of, limit=limit, strict=not weak, all_options=all_options)
    if json_out:
        print_json(result.to_dict())
        return
    out = console()
    ref_u = ", ".join(f"{p} {num(v)}" for p, v in result.reference_utilities.items())
    out.print(f"[bold]Logrolls[/bold] in {esc(repr(c.name))} between {esc(' and '.join(result.between))} "
              f"({esc(result.view)})")
    out.print(f"from {result.baseline.split(':')[0]}: {package_text(result.reference)}  ({ref_u})", markup=False)
    out.print(f"rule: {result.condition}; joint gain in {result.scale}", markup=False)
    estimated = any(t.true_gains is not None for t in result.trades)
    table = Table(show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("trade")
    for p in result.trades[0].gains if result.trades else result.between:
        table.add_column(p, justify="right")
    table.add_column("joint", justify="right")
    if estimated:
        table.add_column("true gains", justify="right")
    for j, t in enumerate(result.trades, 1):
        text = t.description.split(":")[0] + (f" (costs {', '.join(t.hurts)})" if t.hurts else "")
        row = [str(j), text, *[num(v, True) for v in t.gains.values()], num(t.joint_gain, True)]
        if estimated:
            row.append(", ".join(f"{p} {num(v, True)}" for p, v in (t.true_gains or {}).items()))
        table.add_row(*row)
    if result.trades:
        out.print(table)
        out.print(f"{result.count} two-issue trade(s) over {result.pairs} issue pair(s) meet the rule")
    else:
        out.print(f"[yellow]{esc(result.message)}[/yellow]")
    for t in result.free_gains:
        out.print(f"free gain (nobody trading loses): {t.description}", markup=False)
    if result.package_deal is not None:
        d = result.package_deal
        out.print(f"[bold]best package deal[/bold] (any number of issues): {esc(d.description)}")
    for note in result.notes:
        out.print(f"[dim]{esc(note)}[/dim]")
